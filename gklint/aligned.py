"""Rebuild the rows of a table whose columns are aligned by spaces (``pdftotext -layout``, a PDF viewer's copy).

In such text a row's label may wrap over several lines inside its column
(``2.其他`` / ``法律行`` / ``政法规`` …), a merged group cell is spread over
the lines of its rows (``三、本`` / ``年度办`` / ``理结果``), and the values
stand on the first line of the row (cells aligned to the top) or below its
label (cells centred).  :func:`rebuild` turns each block of such rows into one
line per row: the label of each label column, then the values, separated by
tabs, the way the other readers write tables.

Fragments are told apart by their column (their start relative to the first
value column of their page, which moves from page to page) and by their
numbering: a numbered fragment (``（二）``, ``3.``, ``四、``) starts a label,
anything else in the same column continues the label above it.  A label
written above a row of values without a label of its own is that row's.

Readers know nothing of templates: this works on the text alone.  Every
character of the result keeps its source offset (tabs and line breaks put in
take the offset of the character after them).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from gklint.lazyre import lazy
from gklint.reflow import _BARE_NUMBER, _Builder, is_page_number

__all__ = ["rebuild"]

_VALUES = lazy(r"(?:(?<=\S)[ \u3000]{2,}|^[ \u3000]*)(-?\d+(?:\.\d+)?(?:[ \u3000]+-?\d+(?:\.\d+)?)*)[ \u3000]*$")
_NUMBER = lazy(r"-?\d+(?:\.\d+)?")
_FRAGMENT = lazy(r"[^\s\f]+(?: [^\s\f]+)*")  # split at runs of two spaces or more
_NUMBERED = lazy(  # (a narrow column may wrap inside the numbering: ``（三`` / ``）不予公开``)
    r"(?:[一二三四五六七八九十]{1,2} ?(?:[、.．]|$)|[（(][一二三四五六七八九十]{1,2}(?:[）)]|$)|\d{1,2} ?[.．、](?!\d))"
)
_SENTENCE = lazy(r"[。；;]")
_MAX_GAP = 40  # lines between two rows of one block (a long label wraps over many)


@dataclass(slots=True)
class _Line:
    start: int  # source offset of the line
    text: str
    values: list[tuple[int, int]] = field(default_factory=list)  # (start, end) in the line
    fragments: list[tuple[int, int]] = field(default_factory=list)  # label fragments (start, end)
    page: int = 0

    @property
    def value_x(self) -> int:
        return self.values[0][0] if self.values else -1


@dataclass(slots=True)
class _Label:
    column: int
    pieces: list[tuple[int, int]]  # source (start, end)


def _parse(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    page = 0
    for raw in text.split("\n"):
        if "\f" in raw:  # a new page starts here (the rest of the line is on it)
            page += 1
        line = _Line(pos, raw, page=page)
        if ((is_page_number(raw) or _BARE_NUMBER.fullmatch(raw)) and raw.strip(" \t\u3000\f")
                and len(raw) - len(raw.lstrip()) >= 4):
            page += 1
            line.page = -1  # a page number: not part of any row
        else:
            m = _VALUES.search(raw)
            label_end = len(raw)
            if m is not None and not _SENTENCE.search(raw):
                line.values = [(v.start(), v.end()) for v in _NUMBER.finditer(raw, m.start(1), m.end(1))]
                label_end = m.start(1)
            line.fragments = [(f.start(), f.end()) for f in _FRAGMENT.finditer(raw, 0, label_end)]
        lines.append(line)
        pos += len(raw) + 1
    return lines


def _is_row(line: _Line) -> bool:
    """A line with values after a label or alone, in columns (two spaces or more apart)."""
    if not line.values:
        return False
    if len(line.values) >= 2:
        return True
    return line.value_x >= 4 and (not line.fragments or line.value_x - line.fragments[-1][1] >= 2)


def _blocks(lines: list[_Line]) -> list[tuple[int, int]]:
    """Line ranges ``[first, last]`` of runs of rows (two or more), with what lies between them."""
    rows = [i for i, line in enumerate(lines) if _is_row(line)]
    blocks: list[tuple[int, int]] = []
    limit = 0  # where the labels of the current block's rows end
    for i in rows:
        end = lines[i].fragments[-1][1] if lines[i].fragments else 0
        if blocks and i - blocks[-1][1] <= _MAX_GAP and not any(
            _ends_block(lines[k], lines[blocks[-1][1]] if lines[k].page == lines[blocks[-1][1]].page else lines[i],
                        max(limit, end))
            for k in range(blocks[-1][1] + 1, i)
        ):
            blocks[-1] = (blocks[-1][0], i)
            limit = max(limit, end)
        else:
            blocks.append((i, i))
            limit = end
    out = []
    for first, last in blocks:
        if sum(1 for i in rows if first <= i <= last) < 2:
            continue
        # the last row's label may go on below it; after a plain label (a caption may follow it) only
        # one line shorter than the label: the rest of a wrapped label
        row = lines[last]
        numbered = bool(row.fragments) and _NUMBERED.match(row.text, row.fragments[0][0], row.fragments[0][1])
        while last + 1 < len(lines) and _continues(lines[last + 1], row):
            if not numbered:
                # (a caption is shorter than the label too, but a header follows it)
                tail = lines[last + 1].fragments
                head = row.fragments[-1] if row.fragments else (0, 0)
                after = next((ln for ln in lines[last + 2 :] if ln.text.strip()), None)
                if (len(tail) == 1 and tail[0][1] - tail[0][0] < head[1] - head[0]
                        and (after is None or not _ends_block(after, row, head[1]))):
                    last += 1
                break
            last += 1
        out.append((first, last))
    return out


def _continues(line: _Line, row: _Line) -> bool:
    """A line right below a block's last row that carries on its labels (no gap, no values)."""
    if line.page == -1 or not line.text.strip() or line.values or _SENTENCE.search(line.text):
        return False
    return bool(line.fragments) and all(
        end - start <= 12 and not _NUMBERED.match(line.text, start, end) for start, end in line.fragments
    ) and line.fragments[-1][1] <= max(row.value_x, 0)


def _ends_block(line: _Line, row: _Line, limit: int) -> bool:
    """A line between two rows that no table row would hold: prose, a caption, or a header over the
    values (*row*: a row on the line's page; *limit*: where row labels end on that page)."""
    if line.page == -1 or not line.text.strip():
        return False
    if _SENTENCE.search(line.text) or len(line.text.strip()) > 40:
        return True
    return any(end > row.value_x or start > limit + 2 for start, end in line.fragments)


def _columns(lines: list[_Line], first: int, last: int) -> dict[tuple[int, int], int]:
    """Column of each label fragment ``(line index, fragment start)`` of a block, counted from the
    right (0: the column nearest the values).

    Columns are found page by page (a page may place them anew): fragment starts within
    two characters of each other are one column, and a column that no numbered fragment
    opens (a wrapped label's line, placed a little off) belongs to the nearest one that is
    (the leftmost is always one).
    """
    by_page: dict[int, list[tuple[int, int, bool]]] = {}
    for i in range(first, last + 1):
        line = lines[i]
        if line.page == -1:
            continue
        for start, end in line.fragments:
            by_page.setdefault(line.page, []).append((start, i, bool(_NUMBERED.match(line.text, start, end))))
    out: dict[tuple[int, int], int] = {}
    for items in by_page.values():
        clusters: list[list[int]] = []
        for x in sorted({x for x, _, _ in items}):
            if clusters and x - clusters[-1][-1] <= 2:
                clusters[-1].append(x)
            else:
                clusters.append([x])
        numbered = {x for x, _, flag in items if flag}
        # the leftmost column (labels that span every label column start there) and numbered ones
        opening = [c for k, c in enumerate(clusters) if k == 0 or numbered.intersection(c)]
        column_of: dict[int, int] = {}
        for cluster in clusters:
            # a cluster no numbered fragment opens joins the nearest one that is opened
            near = min(range(len(opening)), key=lambda k: (abs(opening[k][0] - cluster[0]), k))
            for x in cluster:
                column_of[x] = near
        for x, i, _ in items:
            out[(i, x)] = len(opening) - 1 - column_of[x]
    return out


def _rows(lines: list[_Line], first: int, last: int) -> list[tuple[int, dict[int, _Label]]] | None:
    """Each row of the block (its line index) with its labels by column; ``None`` if unsure."""
    column_of = _columns(lines, first, last)
    rows: list[tuple[int, dict[int, _Label]]] = []
    pending: dict[int, _Label] = {}
    latest: dict[int, _Label] = {}
    for i in range(first, last + 1):
        line = lines[i]
        if line.page == -1:
            continue
        own: dict[int, _Label] = {}
        for start, end in line.fragments:
            col = column_of[(i, start)]
            piece = (line.start + start, line.start + end)
            # a label starts with its numbering; on a row's own line, an unnumbered one nearest the
            # values starts one too unless a label written above is waiting for this row
            starts = (_NUMBERED.match(line.text, start, end) is not None or col not in latest
                      or (_is_row(line) and col == 0 and col not in pending))
            if starts:
                label = _Label(col, [piece])
                latest[col] = label
                if _is_row(line):
                    own[col] = label
                else:
                    pending[col] = label
            else:
                latest[col].pieces.append(piece)
        if _is_row(line):
            for col, label in pending.items():
                own.setdefault(col, label)
            pending = {}
            rows.append((i, own))
    if pending:
        return None  # a label after the last row: the reading is not certain
    return rows


def rebuild(text: str) -> tuple[str, array[int]]:
    """*text* with its space-aligned table rows rebuilt (see the module docstring), and the offset map.

    Returns ``(text, [])`` when there is nothing to rebuild.
    """
    lines = _parse(text)
    blocks = _blocks(lines)
    if not blocks:
        return text, array("i")
    out = _Builder()
    pos = 0
    changed = False
    for first, last in blocks:
        rows = _rows(lines, first, last)
        if rows is None:
            continue
        out.keep(text, pos, lines[first].start)
        for n, (i, labels) in enumerate(rows):
            line = lines[i]
            at = line.start + line.values[0][0]
            if n:
                out.insert("\n", at)
            for col in sorted(labels, reverse=True):  # left to right
                for piece_start, piece_end in labels[col].pieces:
                    out.keep(text, piece_start, piece_end)
                out.insert("\t", at)
            for k, (start, end) in enumerate(line.values):
                if k:
                    out.insert("\t", line.start + start)
                out.keep(text, line.start + start, line.start + end)
        end_line = lines[last]
        pos = end_line.start + len(end_line.text)
        changed = True
    if not changed:
        return text, array("i")
    out.keep(text, pos, len(text))
    return out.result(len(text))
