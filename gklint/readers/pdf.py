"""The PDF reader (``.pdf``): the text layer read with :mod:`pdfplumber` (pdfminer.six underneath).

Only PDFs with a text layer are read; a scan (pages of images, no text) is refused with a
message saying so and the page count (gklint does no OCR).  Encrypted, damaged and
truncated files, and files that are not PDFs at all, are refused with one line each.

Text layout (``SourceText.text``; ``source`` is the same string, ``coordinates`` is
``"extracted-text"``), page by page, top to bottom:

* **tables by geometry**: ruling lines (stroked lines and rectangles, and filled
  rectangles thin enough to be rules; white or tinted cell backgrounds and text-frame
  boxes are not rules) are turned into tables with pdfplumber's ``lines`` strategy.  A
  table is written like the .docx and HTML readers write one: one line per row, ``\\t``
  between cells, expanded into the full grid (a merged cell's text at its first grid
  position, the positions it also covers empty), rows whose cells are all empty omitted.
  A cell's wrapped lines are joined (no space between CJK characters, one space between
  Latin words) and the spaces that glyph placement leaves beside CJK characters
  (``总 计``, ``2024 年``) are removed.  A table that ends a page and a table that starts
  the next page with the same columns are one table; a repeated header row on the
  second page is dropped.  A one-column ruled box is a frame, read as prose.
  Where there are horizontal rules but no ruled grid (a three-line table, cells with only a
  bottom border), and where three or more lines show two or more wide gaps each (a table
  with no rules at all), the region is read with the ``text`` strategy (columns from word
  positions); if that gives no confident grid (two rows and columns, mostly filled, no cell
  holding two numbers), the region's lines are written in reading order, each a line of its
  own, and a note says so;
* **prose**: characters are grouped into lines by position (so WPS text frames read in
  order); page headers, footers and page numbers (``-1-``, ``— 2 —``, ``第 3 页``, a line
  repeated in the margin of several pages) are dropped; the lines of one paragraph are
  joined into one line (a new paragraph starts at a first-line indent, after a short
  line, after a vertical gap, and at a heading such as ``一、`` or ``（一）`` after a
  sentence end); spaces beside CJK characters are removed.

``logical``: ``第P页第L行`` for prose (L counts the text lines of page P outside tables,
from the top, headers and footers not counted) and ``第P页 › 表T › 第R行 › 第C列`` for
table cells (tables numbered in document order, a table continued over a page break
counted once; rows of the joined table and grid columns 1-based).
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gklint import hookimpl
from gklint.findings import Message
from gklint.lazyre import lazy
from gklint.model import SourceText
from gklint.readers._decode import check_size, limit_error, sniff_binary
from gklint.readers.base import Limits, ReadError

__all__ = ["PdfReader", "gklint_readers"]

_CJK_CLASS = (
    "\u2014\u2018\u2019\u201c\u201d\u2026\u00b7\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
_CJK = lazy(f"[{_CJK_CLASS}]")
_SPACE_BY_CJK = lazy(f"(?<=[{_CJK_CLASS}]) +| +(?=[{_CJK_CLASS}])")
_SPACES = lazy(r"\s+")
_PAGE_NUMBER = lazy(
    r"^(?:[-—–－~～_\s]*\d{1,4}[-—–－~～_\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|\d+\s*/\s*\d+|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*of\s*\d+)$",
    re.I,
)
_DECORATED_NUMBER = lazy(r"^[-—–－~～]+\s*\d{1,4}\s*[-—–－~～]+$")
_HEADING = lazy(r"^(?:[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,3}[）)])")
_SENTENCE_END = tuple("。；;：:！!？?）)")
#: pdfplumber's ``lines`` strategy; tolerances of 4 pt join the double borders (1.5 pt apart) that
#: browsers draw for ``<table border>``
_LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines",
          "snap_tolerance": 4, "join_tolerance": 4, "intersection_tolerance": 4}
_LINES_TIGHT = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_MARGIN = 0.12  # share of the page height at the top and bottom where headers and footers live


def median(values: Iterable[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return 0.0
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def _err(zh: str, en: str) -> ReadError:
    return ReadError(Message(zh, en))


def _damaged(detail: str = "") -> ReadError:
    zh = "PDF 文件已损坏或不完整，无法读取"
    en = "the PDF is damaged or incomplete and cannot be read"
    if detail:
        zh, en = f"{zh}（{detail}）", f"{en} ({detail})"
    return _err(zh, en)


def _encrypted() -> ReadError:
    return _err("这是设有打开密码的加密 PDF，请取消密码后再检查",
                "this PDF is password-protected (encrypted); remove the password and check it again")


#: CJK radicals some fonts map their glyphs to (Chromium's PDFs: ⼯ for 工, ⺠ for 民): the
#: Kangxi radicals (U+2F00–U+2FD5) by their compatibility decomposition, the supplement by hand.
_RADICALS: dict[str, str] = {}
_RADICAL_CHARS = lazy("[\u2e80-\u2fdf\u2329\u232a]")


def _radical(match: re.Match[str]) -> str:
    if not _RADICALS:
        import unicodedata

        _RADICALS.update({chr(cp): unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)})
        _RADICALS.update((pair[0], pair[1]) for pair in (
            "⺠民 ⻓长 ⻅见 ⻔门 ⻋车 ⻛风 ⻜飞 ⻩黄 ⻝食 ⻢马 ⻥鱼 ⻦鸟 ⻚页 ⻉贝 ⻆角 ⻄西 ⺟母 ⻘青 ⻬齐 ⻮齿 "
            "⻰龙 ⻳龟 ⻨麦 ⻙韦 ⻤鬼 ⺮竹 ⻣骨 ⻗雨 ⻭齿".split()
        ))
        _RADICALS.update({"\u2329": "\u3008", "\u232a": "\u3009"})  # angle brackets: 〈〉 as in the CJK block
    char = match.group()
    return _RADICALS.get(char, char)


def clean(text: str) -> str:
    """Collapse whitespace, drop the spaces beside CJK characters, map radicals to characters."""
    text = _SPACE_BY_CJK.sub("", _SPACES.sub(" ", text).strip())
    if _RADICAL_CHARS.search(text):
        text = _RADICAL_CHARS.sub(_radical, text)
    return text


def _joiner(left: str, right: str) -> str:
    """What goes between two pieces of one logical line: nothing beside CJK, else a space."""
    if not left or not right:
        return ""
    if _CJK.match(left[-1]) or _CJK.match(right[0]) or left[-1] in "-/":
        return ""
    return " "


# ---------------------------------------------------------------------------
# page geometry


@dataclass(slots=True)
class _Line:
    """A line of characters: its text and box."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    lead: float = 0.0  # width of the first unbreakable piece (a word, or a character and its closing mark)
    fixed: bool = False  # in a table that could not be read: a line of its own
    gaps: int = 0  # gaps wider than 1.5 characters between its characters (columns of an unruled table)


@dataclass(slots=True)
class _Table:
    rows: list[list[str]]
    x0: float
    x1: float
    top: float
    bottom: float
    page: int
    columns: list[float] = field(default_factory=list)
    #: per row, the left edges of the cells that start in it
    starts: list[list[float]] = field(default_factory=list)


def _group_lines(chars: Iterable[dict[str, Any]]) -> list[_Line]:
    """Characters grouped into lines by vertical overlap, each line's characters left to right."""
    ordered = sorted(chars, key=lambda c: (c["top"], c["x0"]))
    groups: list[list[dict[str, Any]]] = []
    tops: list[tuple[float, float]] = []
    for ch in ordered:
        if not ch["text"].strip():
            continue
        height = max(ch["bottom"] - ch["top"], 1.0)
        mid = (ch["top"] + ch["bottom"]) / 2
        if groups:
            top, bottom = tops[-1]
            if top - height * 0.2 <= mid <= bottom + height * 0.2 and mid - top < (bottom - top) * 1.1 + 1:
                groups[-1].append(ch)
                tops[-1] = (min(top, ch["top"]), max(bottom, ch["bottom"]))
                continue
        groups.append([ch])
        tops.append((ch["top"], ch["bottom"]))
    lines = []
    for group in groups:
        group.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        prev: dict[str, Any] | None = None
        wide = 0
        for ch in group:
            if prev is not None:
                if ch["text"] == prev["text"] and abs(ch["x0"] - prev["x0"]) < 1 and abs(ch["top"] - prev["top"]) < 1:
                    continue  # a glyph drawn twice (fake bold)
                gap = ch["x0"] - prev["x1"]
                if gap > 0.25 * max(ch["size"], 1.0):
                    parts.append(" ")
                    if gap > 1.5 * max(ch["size"], 1.0):
                        wide += 1
            parts.append(ch["text"])
            prev = ch
        text = clean("".join(parts))
        if text:
            lines.append(_Line(text, group[0]["x0"], max(c["x1"] for c in group),
                               min(c["top"] for c in group), max(c["bottom"] for c in group),
                               median(c["size"] for c in group), _lead(group), gaps=wide))
    return lines


_CLOSING = frozenset("、，。；：！？）》」』】”’,.;:!?)%")


def _lead(group: list[dict[str, Any]]) -> float:
    """Width of the line's first piece that a line break cannot split."""
    first = group[0]
    end = first["x1"]
    cjk = bool(_CJK.match(first["text"]))
    for ch in group[1:]:
        if ch["x0"] - end > 0.25 * max(ch["size"], 1.0):
            break
        if ch["text"] in _CLOSING:
            end = ch["x1"]
            continue
        if cjk or _CJK.match(ch["text"]):
            break
        end = ch["x1"]
    return end - first["x0"]


def _is_rule(obj: dict[str, Any]) -> bool:
    """Keep everything but rectangles that are not visible rules (cell backgrounds, frames)."""
    if obj.get("object_type") != "rect":
        return True
    if obj.get("stroke"):
        return True
    thin = min(obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]) <= 2.0
    if not thin or not obj.get("fill"):
        return False
    color = obj.get("non_stroking_color")
    if isinstance(color, (tuple, list)) and color and all(isinstance(v, (int, float)) for v in color):
        if len(color) == 4:  # CMYK: white is all zero
            return max(color) > 0.1
        return min(color) < 0.9  # grey or RGB: white and near-white are not rules
    return True


def _cell_text(chars: list[dict[str, Any]]) -> str:
    lines = _group_lines(chars)
    out = ""
    for line in lines:
        out += _joiner(out, line.text) + line.text
    return clean(out)


def _grid(table: Any, chars: list[dict[str, Any]]) -> tuple[list[list[str]], list[float], list[list[float]]] | None:
    """The table's rows as text, merged positions empty, and the columns' left edges;
    ``None`` if it is not a data grid (one column, or a cell of more than 500 characters)."""
    rows = table.rows
    if not rows:
        return None
    xs = sorted({cell[0] for cell in table.cells})
    width = len(xs)
    if width <= 1:
        return None
    tops = [row.bbox[1] for row in rows]
    boxes: list[list[Any]] = [list(r.cells) + [None] * (width - len(r.cells)) for r in rows]
    buckets: dict[tuple[int, int], list[dict[str, Any]]] = {}
    flat = [(r, c, box) for r, row in enumerate(boxes) for c, box in enumerate(row) if box is not None]
    for ch in chars:
        x = (ch["x0"] + ch["x1"]) / 2
        y = (ch["top"] + ch["bottom"]) / 2
        for r, c, (x0, top, x1, bottom) in flat:
            if x0 <= x < x1 and top <= y < bottom:
                buckets.setdefault((r, c), []).append(ch)
                break
        else:
            # in a merged cell whose closing rule is missing (a cell cut by a page break):
            # the cell that starts highest in this column above the character
            c = max(0, bisect_right(xs, x) - 1)
            r = max(0, bisect_right(tops, y) - 1)
            while r > 0 and boxes[r][c] is None and boxes[r - 1][c] is None:
                r -= 1
            buckets.setdefault((r, c), []).append(ch)
    grid = []
    for r, row in enumerate(boxes):
        grid.append([_cell_text(buckets[(r, c)]) if (r, c) in buckets else "" for c in range(len(row))])
    if any(len(cell) > 500 for row in grid for cell in row):
        return None
    return grid, xs, [[box[0] for box in row if box is not None] for row in boxes]


def _inside(ch: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (ch["x0"] + ch["x1"]) / 2
    y = (ch["top"] + ch["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


class _Page:
    """One page read into prose lines and tables."""

    def __init__(self, number: int, page: Any, notes: list[str]) -> None:
        self.number = number
        self.height = float(page.height)
        self.width = float(page.width)
        chars = page.chars
        self.tables: list[_Table] = []
        self.unreadable: list[tuple[float, float, float, float]] = []
        boxes: list[tuple[float, float, float, float]] = []
        ruled = page.filter(_is_rule)
        edges = [e for e in ruled.edges if e.get("orientation") in ("h", "v")]
        found = []
        if edges:
            # pdfplumber's default tolerances, and wider ones for double borders: the reading
            # that finds more cells wins
            found = ruled.find_tables(_LINES_TIGHT)
            wide = ruled.find_tables(_LINES)
            if sum(len(t.cells) for t in wide) > sum(len(t.cells) for t in found):
                found = wide
        for table in found:
            box = tuple(table.bbox)
            inside = [c for c in chars if _inside(c, box)]
            read = _grid(table, inside)
            if read is None:
                continue  # a frame or a layout box: its text is prose
            self.tables.append(_Table(read[0], box[0], box[2], box[1], box[3], number, read[1],
                                      read[2]))
            boxes.append(box)
        boxes.extend(self._unruled(ruled, page, chars, boxes, notes))
        rest = [c for c in chars if not any(_inside(c, b) for b in boxes)]
        self.lines = _group_lines(rest)
        for region in _columnar_regions(self.lines):
            read_box = self._text_table(page, region, _TEXT_GRID, rest, rules_only=False)
            if read_box is not None:
                top, bottom = read_box[1], read_box[3]
                self.lines = [ln for ln in self.lines if not top <= (ln.top + ln.bottom) / 2 <= bottom]
                continue
            notes.append(f"第{number}页有一处表格没有表格线，未能可靠读出单元格，已按阅读顺序逐行输出其文字 / "
                         f"a table on page {number} has no ruling and no confident grid; "
                         "its lines were read in reading order")
        for line in self.lines:
            middle = (line.top + line.bottom) / 2
            line.fixed = any(r[1] <= middle <= r[3] for r in self.unreadable)

    def _unruled(self, ruled: Any, page: Any, chars: list[dict[str, Any]],
                 boxes: list[tuple[float, float, float, float]], notes: list[str]) -> list[tuple[float, float, float, float]]:
        """Tables drawn with horizontal rules only (a three-line table, cells with only a bottom
        border): columns from word positions (pdfplumber's ``text`` strategy), kept only when
        the grid is confident; otherwise the region's lines are kept as they are and a note says so."""
        out: list[tuple[float, float, float, float]] = []
        for region in _rule_regions(ruled.edges, boxes, self.width):
            box = self._text_table(page, region, _TEXT_COLUMNS, chars, rules_only=True)
            if box is not None:
                out.append(box)
                continue
            notes.append(f"第{self.number}页有一处表格没有完整的表格线，未能可靠读出单元格，已按阅读顺序逐行输出其文字 / "
                         f"a table on page {self.number} has incomplete ruling and no confident grid; "
                         "its lines were read in reading order")
        return out

    def _text_table(self, page: Any, region: tuple[float, float, float, float], settings: dict[str, Any],
                    chars: list[dict[str, Any]], *, rules_only: bool) -> tuple[float, float, float, float] | None:
        """The box of the one confident grid pdfplumber's ``text`` strategy finds in *region* (of
        *page*, only its rules kept with *rules_only*), added to the page's tables; ``None``, and
        the region marked unreadable, when there is none."""
        try:
            cropped = page.crop(region)
            found = (cropped.filter(_is_rule) if rules_only else cropped).find_tables(settings)
        except Exception:  # a geometry pdfplumber cannot crop: no grid
            found = []
        read = _grid(found[0], [c for c in chars if _inside(c, found[0].bbox)]) if len(found) == 1 else None
        if read is None or not _confident(read[0]):
            self.unreadable.append(region)
            return None
        box = tuple(found[0].bbox)
        self.tables.append(_Table(read[0], box[0], box[2], box[1], box[3], self.number, read[1], read[2]))
        return box


_TEXT_GRID = {"vertical_strategy": "text", "horizontal_strategy": "text", "min_words_vertical": 2}


def _columnar_regions(lines: list[_Line]) -> list[tuple[float, float, float, float]]:
    """Boxes of three or more lines with two or more wide gaps each (an unruled table), the lines
    between them (wrapped labels) included when no more than seven in a row."""
    regions = []
    run: list[int] = []
    for i, line in enumerate(lines):
        if line.gaps >= 2:
            if run and i - run[-1] > 8:
                if len(run) >= 3:
                    regions.append(run)
                run = []
            run.append(i)
    if len(run) >= 3:
        regions.append(run)
    out = []
    for run in regions:
        part = lines[run[0]:run[-1] + 1]
        out.append((min(ln.x0 for ln in part) - 1, part[0].top - 1, max(ln.x1 for ln in part) + 1, part[-1].bottom + 1))
    return out


_TEXT_COLUMNS = {"vertical_strategy": "text", "horizontal_strategy": "lines", "min_words_vertical": 2}


def _rule_regions(edges: list[dict[str, Any]], boxes: list[tuple[float, float, float, float]],
                  width: float) -> list[tuple[float, float, float, float]]:
    """Regions of three or more long horizontal rules (collinear segments joined) outside *boxes*."""
    segments = sorted(
        ((e["top"], e["x0"], e["x1"]) for e in edges
         if e.get("orientation") == "h"
         and not any(b[1] - 6 <= e["top"] <= b[3] + 6 and b[0] - 6 <= e["x0"] <= b[2] + 6 for b in boxes)),
        key=lambda seg: (round(seg[0]), seg[1], seg[0], seg[2]),
    )
    rules: list[list[float]] = []  # [top, x0, x1]
    for top, x0, x1 in segments:
        for rule in rules:
            if abs(rule[0] - top) <= 1.5 and x0 <= rule[2] + 6 and x1 >= rule[1] - 6:
                rule[1], rule[2] = min(rule[1], x0), max(rule[2], x1)
                break
        else:
            rules.append([top, x0, x1])
    long = sorted((r for r in rules if r[2] - r[1] > width * 0.3), key=lambda r: r[0])
    regions: list[list[list[float]]] = []
    for rule in long:
        if regions and rule[0] - regions[-1][-1][0] <= 150 and rule[1] < regions[-1][-1][2] and rule[2] > regions[-1][-1][1]:
            regions[-1].append(rule)
        else:
            regions.append([rule])
    out = []
    for group in regions:
        if len(group) >= 3 and group[-1][0] - group[0][0] >= 10:
            out.append((min(r[1] for r in group), group[0][0] - 1, max(r[2] for r in group), group[-1][0] + 1))
    return out


def _confident(grid: list[list[str]]) -> bool:
    """A grid of at least two rows and columns, mostly filled, no cell holding two numbers."""
    if len(grid) < 2 or max(len(row) for row in grid) < 2:
        return False
    cells = [cell for row in grid for cell in row]
    if sum(1 for cell in cells if cell) < 0.5 * len(cells):
        return False
    return not any(_TWO_NUMBERS.search(cell) for cell in cells)


_TWO_NUMBERS = lazy(r"\d\s+\d")


# ---------------------------------------------------------------------------
# assembling the text


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def _drop_furniture(pages: list[_Page]) -> None:
    """Remove page headers, footers and page numbers."""
    repeated: Counter[str] = Counter()
    for page in pages:
        seen = set()
        for line in page.lines:
            if line.top < page.height * _MARGIN or line.bottom > page.height * (1 - _MARGIN):
                seen.add(_key(line.text))
        repeated.update(seen)
    for page in pages:
        kept = []
        for i, line in enumerate(page.lines):
            in_margin = line.top < page.height * _MARGIN or line.bottom > page.height * (1 - _MARGIN)
            edge = i == 0 or i == len(page.lines) - 1
            if in_margin and (_PAGE_NUMBER.match(line.text) or (len(pages) > 2 and repeated[_key(line.text)] >= 2)):
                continue
            if edge and _DECORATED_NUMBER.match(line.text) and not any(t.bottom > line.top for t in page.tables if t.top > line.bottom):
                continue
            kept.append(line)
        page.lines = kept


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.logical: list[tuple[int, int, str]] = []
        self.tables = 0

    def paragraph(self, pieces: list[tuple[str, str]]) -> None:
        """One output line from (label, text) pieces."""
        line = ""
        for label, text in pieces:
            line += _joiner(line, text)
            start = self.length + len(line)
            line += text
            self.logical.append((start, self.length + len(line), label))
        self._emit(line)

    def table(self, table: _Table, row_pages: list[int]) -> None:
        self.tables += 1
        width = max(len(r) for r in table.rows)
        for r, (row, page) in enumerate(zip(table.rows, row_pages, strict=True)):
            cells = row + [""] * (width - len(row))
            if not any(cells):
                continue
            pos = self.length
            for c, text in enumerate(cells):
                if text:
                    self.logical.append((pos, pos + len(text), f"第{page}页 › 表{self.tables} › 第{r + 1}行 › 第{c + 1}列"))
                pos += len(text) + 1
            self._emit("\t".join(cells))

    def _emit(self, line: str) -> None:
        self.parts.append(line)
        self.parts.append("\n")
        self.length += len(line) + 1

    def text(self) -> str:
        return "".join(self.parts)


def _aligned(a: _Table, b: _Table) -> list[float] | None:
    """The union of the two tables' column edges if *b* can continue *a* (same outer edges,
    and every column edge of the narrower table among the wider one's)."""
    if abs(a.x0 - b.x0) > 6 or abs(a.x1 - b.x1) > 6:
        return None
    few, many = (a.columns, b.columns) if len(a.columns) <= len(b.columns) else (b.columns, a.columns)
    if not all(any(abs(x - y) <= 3 for y in many) for x in few):
        return None
    return many


def _nearest(values: list[float], x: float) -> int:
    return min(range(len(values)), key=lambda k: abs(values[k] - x))


def _regrid(table: _Table, columns: list[float]) -> None:
    """Widen *table*'s rows to *columns* (a superset of its own)."""
    if len(table.columns) == len(columns):
        return
    where = [_nearest(columns, x) for x in table.columns]
    rows = []
    for row in table.rows:
        wide = [""] * len(columns)
        for c, text in enumerate(row):
            wide[where[c] if c < len(where) else len(columns) - 1] = text
        rows.append(wide)
    table.rows = rows
    table.columns = columns


def _numeric(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d[\d,.]*%?", cell))


def _join(table: _Table, pages: list[int], more: _Table) -> bool:
    """Append *more* (the next page's first table) to *table* if it continues it."""
    columns = _aligned(table, more)
    if columns is None:
        return False
    _regrid(table, columns)
    _regrid(more, columns)
    rows = more.rows
    start = 0  # a header row repeated on the new page
    while start < min(len(rows), len(table.rows)) and rows[start] == table.rows[start] \
            and not any(_numeric(cell) for cell in rows[start]):
        start += 1
    rows = rows[start:]
    if rows and table.rows:
        last, first = table.rows[-1], rows[0]
        # a row cut by the page break: its second part has only text, in columns the first part
        # has, and a cell wherever the first part has one
        if any(_numeric(cell) for cell in last) and any(first) \
                and not any(_numeric(cell) for cell in first) \
                and all(not cell or last[c] for c, cell in enumerate(first)) \
                and all(any(abs(x - y) <= 3 for y in more.starts[start]) for x in table.starts[-1]):
            table.rows[-1] = [x + _joiner(x, y) + y for x, y in zip(last, first, strict=True)]
            rows = rows[1:]
    table.rows.extend(rows)
    table.starts.extend(more.starts[len(more.starts) - len(rows):])
    pages.extend([more.page] * len(rows))
    table.page = more.page
    return True


def _assemble(pages: list[_Page]) -> _Builder:
    out = _Builder()
    # blocks in reading order: ("line", page, line) / ("table", page, table)
    blocks: list[tuple[str, _Page, Any]] = []
    for page in pages:
        items: list[tuple[float, int, str, Any]] = [(ln.top, 1, "line", ln) for ln in page.lines]
        items.extend((t.top, 0, "table", t) for t in page.tables)
        items.sort(key=lambda item: (item[0], item[1]))
        blocks.extend((kind, page, obj) for _top, _order, kind, obj in items)
    # page statistics for paragraph breaks
    stats: dict[int, tuple[float, float, float]] = {}
    for page in pages:
        if page.lines:
            left = min(ln.x0 for ln in page.lines)
            right = max(ln.x1 for ln in page.lines)
            steps = [b.top - a.top for a, b in zip(page.lines, page.lines[1:], strict=False)
                     if 0 < b.top - a.top < 3 * max(a.size, 1.0)]
            pitch = sorted(steps)[len(steps) // 4] if steps else 0.0  # the usual line step, not a paragraph gap
            stats[page.number] = (left, right, pitch)
    first_index: dict[int, int] = {}
    for index, (_kind, page, _obj) in enumerate(blocks):
        first_index.setdefault(page.number, index)
    last_on_page = False
    line_numbers: dict[int, int] = {}
    pending: list[tuple[str, str]] = []
    prev: tuple[_Page, _Line] | None = None
    table: _Table | None = None
    table_pages: list[int] = []
    i = 0
    while i < len(blocks):
        kind, page, obj = blocks[i]
        if kind == "table":
            if pending:
                out.paragraph(pending)
                pending = []
            prev = None
            t: _Table = obj
            if not (table is not None and table.page != t.page and last_on_page
                    and i == first_index.get(page.number) and _join(table, table_pages, t)):
                if table is not None:
                    out.table(table, table_pages)
                table = _Table([list(r) for r in t.rows], t.x0, t.x1, t.top, t.bottom, t.page, t.columns,
                               list(t.starts))
                table_pages = [t.page] * len(t.rows)
            last_on_page = i + 1 >= len(blocks) or blocks[i + 1][1] is not page
            i += 1
            continue
        if table is not None:
            out.table(table, table_pages)
            table = None
        line: _Line = obj
        number = line_numbers[page.number] = line_numbers.get(page.number, 0) + 1
        label = f"第{page.number}页第{number}行"
        if pending and prev is not None and _continues(prev, (page, line), stats):
            pending.append((label, line.text))
        else:
            if pending:
                out.paragraph(pending)
            pending = [(label, line.text)]
        prev = (page, line)
        i += 1
    if pending:
        out.paragraph(pending)
    if table is not None:
        out.table(table, table_pages)
    return out


def _continues(prev: tuple[_Page, _Line], cur: tuple[_Page, _Line], stats: dict[int, tuple[float, float, float]]) -> bool:
    """Whether *cur* continues the paragraph whose last line is *prev*."""
    ppage, pline = prev
    cpage, cline = cur
    pleft, pright, _ = stats[ppage.number]
    cleft, _cright, pitch = stats[cpage.number]
    size = max(cline.size, 1.0)
    if pline.fixed or cline.fixed:
        return False
    if pright - pline.x1 > cline.lead + 0.6 * size:
        return False  # the previous line is short (the next line's first word would have fit): its paragraph ended
    if cline.x0 > cleft + 0.8 * size:
        return False  # first-line indent (or a centred line)
    if pline.x0 > pleft + 3 * max(pline.size, 1.0) and pline.x1 < pright - 0.5 * size:
        return False  # the previous line was centred
    if abs(cline.size - pline.size) > 1.5:
        return False
    if cpage is ppage:
        step = cline.top - pline.top
        if pitch and step > pitch * 1.4:
            return False  # a vertical gap
    if _HEADING.match(cline.text) and pline.text.endswith(_SENTENCE_END):
        return False
    return True


# ---------------------------------------------------------------------------
# the reader


def _not_pdf(data: bytes) -> ReadError:
    binary = sniff_binary(data)
    if binary is not None:
        return binary
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head:
        return _err("这是一个 HTML 网页文件（扩展名却是 .pdf），请改用 .html 扩展名",
                    "this is an HTML file with a .pdf suffix; rename it to .html")
    if head.startswith(b"mime-version:"):
        return _err("这是 MHT 网页归档文件，不是 PDF", "this is an MHT web archive, not a PDF")
    return _err("不是 PDF 文件（文件开头没有 %PDF 标记）", "not a PDF file (it does not start with %PDF)")


class PdfReader:
    """Reads a PDF report's text layer; see the module docstring for the text layout."""

    name = "pdf"
    suffixes: tuple[str, ...] = (".pdf",)

    def read(self, data: bytes, path: str, limits: Limits) -> SourceText:
        """Extract *data*.  Raise :class:`ReadError` for scans, encrypted, damaged or non-PDF input."""
        try:
            return self._read(data, limits)
        except ReadError:
            raise
        except MemoryError as exc:
            raise _damaged("内存不足 / out of memory") from exc
        except RecursionError as exc:
            raise _damaged("对象嵌套过深 / objects nested too deeply") from exc
        except Exception as exc:  # the contract: nothing but ReadError escapes
            raise _damaged(f"{type(exc).__name__}") from exc

    def _read(self, data: bytes, limits: Limits) -> SourceText:
        check_size(data, limits)
        if not data:
            raise _err("文件为空", "the file is empty")
        start = data.find(b"%PDF-", 0, 1024)
        if start < 0:
            raise _not_pdf(data)
        if data.rfind(b"%%EOF", max(0, len(data) - 4096)) < 0:
            raise _damaged("缺少文件结尾标记 %%EOF，可能下载或复制不完整 / no %%EOF end marker: "
                           "probably cut short while downloading or copying")
        import logging

        try:
            import pdfplumber
            from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        except ImportError as exc:  # an install without gklint's dependencies: say so, not "damaged"
            raise _err(f"读取 PDF 需要 pdfplumber，但它没有安装（{exc.name}）；请运行 python -m pip install pdfplumber",
                       f"reading a PDF needs pdfplumber, which is not installed ({exc.name}); "
                       "run python -m pip install pdfplumber") from exc
        logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font-descriptor chatter, not the user's concern

        try:
            pdf = pdfplumber.open(io.BytesIO(data[start:] if start else data))
        except Exception as exc:
            inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
            if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)):
                raise _encrypted() from None
            if b"/Encrypt" in data:
                raise _encrypted() from None
            raise _damaged(type(inner).__name__) from None
        with pdf:
            try:
                page_objs = pdf.pages
            except Exception as exc:
                if b"/Encrypt" in data:
                    raise _encrypted() from None
                raise _damaged(type(exc).__name__) from None
            count = len(page_objs)
            if count == 0:
                raise _damaged("没有页面 / no pages")
            if count > limits.max_pdf_pages:
                raise limit_error("PDF 页数过多", "too many pages in the PDF", str(count),
                                  str(limits.max_pdf_pages), "max-pdf-pages")
            total = 0
            images = 0
            for page in page_objs:
                total += len(page.chars)
                if total > limits.max_pdf_chars:
                    raise limit_error("PDF 中的字符过多", "too many characters in the PDF", f"> {limits.max_pdf_chars}",
                                      str(limits.max_pdf_chars), "max-pdf-chars")
                images += len(page.images)
            if not any(c["text"].strip() for page in page_objs for c in page.chars):
                if images:
                    raise _err(
                        f"这是扫描件（共 {count} 页，页面是图像，没有文字层）；gklint 不做文字识别（OCR），"
                        "请提供原始的 .docx/.html，或带文字层的 PDF",
                        f"this is a scanned PDF ({count} page{'s' if count != 1 else ''} of images, no text layer); "
                        "gklint does no OCR: supply the original .docx/.html or a PDF with a text layer",
                    )
                raise _err(f"PDF 中没有文字（共 {count} 页）", f"the PDF contains no text ({count} page{'s' if count != 1 else ''})")
            notes: list[str] = []
            pages = [_Page(n, page, notes) for n, page in enumerate(page_objs, start=1)]
            for page in page_objs:
                page.flush_cache()
        _drop_furniture(pages)
        built = _assemble(pages)
        text = built.text()
        if not text.strip():
            raise _err("PDF 中没有可读的文字", "the PDF contains no readable text")
        scanned = sum(1 for p in pages if not p.lines and not p.tables)
        if scanned and images:
            notes.append(f"{scanned} 页没有文字（可能是扫描的图像），未读取 / {scanned} page(s) have no text "
                         "(perhaps scanned images) and were not read")
        # a table read line by line (no confident grid) is judged like text that lost its shape:
        # kept only if every row reads whole, else reported as unreadable (GK209), never guessed
        unruled = any(p.unreadable for p in pages)
        return SourceText(
            text=text, reader=self.name, encoding=None, source=text, offsets=None,
            coordinates="extracted-text", logical=built.logical, notes=notes,
            repairs=("unruled-tables",) if unruled else (),
        )


@hookimpl
def gklint_readers() -> list[PdfReader]:
    return [PdfReader()]
