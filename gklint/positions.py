"""Line/column <-> offset arithmetic on a decoded source, as :class:`~gklint.model.Document` counts.

Lines end at ``\\r\\n``, ``\\r`` or ``\\n``; lines and columns are 1-based, columns
count code points.  Used to turn a :class:`~gklint.findings.Location` back into
source offsets (fixes, suppressions).
"""

from __future__ import annotations

import bisect

__all__ = ["line_starts", "offset_of", "position_of"]


def line_starts(source: str) -> list[int]:
    """Offsets where each line of *source* starts (the first is 0)."""
    starts = [0]
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\r":
            if i + 1 < n and source[i + 1] == "\n":
                i += 1
            starts.append(i + 1)
        elif ch == "\n":
            starts.append(i + 1)
        i += 1
    return starts


def offset_of(starts: list[int], line: int, column: int) -> int:
    """The source offset of 1-based *line* and *column* (clamped to the known lines)."""
    line = min(max(line, 1), len(starts))
    return starts[line - 1] + max(column, 1) - 1


def position_of(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based ``(line, column)`` of a source offset."""
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1
