"""Line/column <-> offset arithmetic on a decoded source, as :class:`~gklint.model.Document` counts.

Lines end at ``\\r\\n``, ``\\r`` or ``\\n``; lines and columns are 1-based, columns
count code points.  Used to turn a :class:`~gklint.findings.Location` back into
source offsets (fixes, suppressions).
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Sequence
from itertools import accumulate

__all__ = ["line_starts", "offset_of", "position_of"]


_BREAK = re.compile(r"\r\n?|\n")


#: characters of source split at a time: the pieces of one chunk are all that exist at once
_CHUNK = 1 << 20


def line_starts(source: str) -> array[int]:
    """Offsets where each line of *source* starts (the first is 0).

    A compact array (8 bytes a line), built a chunk at a time: a text of millions of empty lines
    must not cost a Python object per line.
    """
    starts = array("q", [0])
    if "\r" in source:
        starts.extend(m.end() for m in _BREAK.finditer(source))
        return starts
    base = 0
    for at in range(0, len(source), _CHUNK):
        lines = source[at : at + _CHUNK].split("\n")
        tail = len(lines.pop())  # the text after the chunk's last break runs into the next chunk
        ends = list(accumulate(map(_PLUS_ONE, map(len, lines)), initial=base))
        starts.extend(ends[1:])
        base = ends[-1] + tail
        del lines, ends
    return starts


_PLUS_ONE = (1).__add__


def offset_of(starts: Sequence[int], line: int, column: int) -> int:
    """The source offset of 1-based *line* and *column* (clamped to the known lines)."""
    line = min(max(line, 1), len(starts))
    return starts[line - 1] + max(column, 1) - 1


def position_of(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """1-based ``(line, column)`` of a source offset."""
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1
