"""Line/column <-> offset arithmetic on a decoded source, as :class:`~gklint.model.Document` counts.

Lines end at ``\\r\\n``, ``\\r`` or ``\\n``; lines and columns are 1-based, columns
count code points.  Used to turn a :class:`~gklint.findings.Location` back into
source offsets (fixes, suppressions).
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate

__all__ = ["line_starts", "offset_of", "position_of"]


_BREAK = re.compile(r"\r\n?|\n")


def line_starts(source: str) -> list[int]:
    """Offsets where each line of *source* starts (the first is 0)."""
    starts = [0]
    if "\r" in source:
        starts.extend(m.end() for m in _BREAK.finditer(source))
        return starts
    lines = source.split("\n")
    lines.pop()  # the text after the last break
    starts.extend(accumulate(map(_PLUS_ONE, map(len, lines))))
    return starts


_PLUS_ONE = (1).__add__


def offset_of(starts: list[int], line: int, column: int) -> int:
    """The source offset of 1-based *line* and *column* (clamped to the known lines)."""
    line = min(max(line, 1), len(starts))
    return starts[line - 1] + max(column, 1) - 1


def position_of(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based ``(line, column)`` of a source offset."""
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1
