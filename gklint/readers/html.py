"""The HTML reader (``.html``, ``.htm``): CMS pages and bare article fragments.

Pipeline:

1. decode the bytes (BOM, ``<meta charset>``, then the cascade of
   :func:`gklint.readers._decode.decode_text`); ``SourceText.source`` is the decoded page;
2. parse the string with :mod:`lxml.html` (no network, no DTD, no entity expansion;
   libxml2's depth limit of 256 applies unless ``max-html-depth`` is raised);
3. tokenize the source with a small HTML5-style tokenizer to know where every text
   node lies in the source, and align lxml's text nodes with it in document order;
4. flatten the whole page (dropping scripts, styles, navigation, headers, footers,
   hidden and menu-like elements), recording each element's range of output;
5. pick the report body: the deepest element that holds every section marker found in
   the page (with too few markers: the largest CMS article container -- ``TRS_Editor``,
   ``zoom``, ``content``... -- else the element holding most of the Chinese text); of the
   ancestors that add only a little text, keep the lines from the report's title on, but not
   the page chrome (来源/时间, 全真版/文字版, 附件下载, 扫一扫, print and close links...).
   The notes (shown by ``gklint inspect``) say which element was taken, why, and what was
   left out.

A file without any markup is read by the plain-text reader; a page whose text sits in
``<body>`` without block elements or ``<br>`` keeps the source's line breaks, and text on
one line is given its shape back by :func:`gklint.reflow.reflow`.

Text layout (what the structure builder and table parser can rely on):

* block elements (``p``, ``div``, ``h1``..., ``li``...) and ``<br>`` end lines; no blank lines;
  runs of ASCII whitespace and ``&nbsp;`` collapse to one space, lines are stripped;
* a data table becomes one line per ``<tr>`` with ``\\t`` between cells, expanded into a
  full grid: a ``rowspan``/``colspan`` cell's text sits at its first grid position and the
  positions it also covers are empty cells; every line of a table has the same number of
  cells (the grid width), so column *k* of a header line is column *k* of a data line;
  rows whose cells are all empty are omitted; a cell's inner whitespace, ``<br>`` and
  block boundaries collapse to single spaces; a ``<caption>`` is a line before the rows;
* a table that contains another table, has a single column, or has a cell with more
  than 500 characters is a layout table: its cells are flowed as ordinary blocks;
* an ``<img>`` becomes the line ``[image: ALT]`` (``alt``, else ``src``).

``offsets[i]`` is the source offset of ``text[i]``: the exact character for text taken
from a text node, the start of the entity for a character written as an entity, the
position after the previous character for inserted separators, and the ``<img`` tag for
image lines.  ``logical`` labels table cells ``表N › 第R行 › 第C列`` (1-based, grid
columns, tables numbered from the start of the extracted body; the structure builder
renumbers them as the template does, see :func:`gklint.structure.template_table_numbers`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from typing import Any

from gklint import hookimpl
from gklint.findings import Message
from gklint.lazyre import lazy
from gklint.model import SourceText
from gklint.readers._decode import check_size, decode_text
from gklint.readers.base import Limits, ReadError
from gklint.reflow import reflow

__all__ = ["HtmlReader", "gklint_readers"]

# ---------------------------------------------------------------------------
# source tokenizer: where is the text in the source?

_WS_CHARS = " \t\n\r\f\xa0"
_WORD = lazy(r"[^ \t\n\r\f\xa0]+")
_CJK = lazy(r"[\u3400-\u9fff\uf900-\ufaff]")

_TAG = lazy(
    r"""
    <!---?>                                   # abruptly closed empty comment
  | <!--.*?(?:--!?>|\Z)                       # comment
  | <![^>]*>?                                 # doctype, CDATA outside svg, bogus comment
  | <\?[^>]*>?                                # processing instruction (a bogus comment)
  | </(?P<end>[A-Za-z][^\t\n\f\r />]*)[^>]*>? # end tag
  | </>                                       # ignored
  | </[^A-Za-z>][^>]*>?                       # bogus comment
  | <(?P<start>[A-Za-z][^\t\n\f\r />]*)       # start tag and its attributes
      (?:[\t\n\f\r /]++
        | [^\t\n\f\r />][^\t\n\f\r />=]*+(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >]*+))?
      )*+
      (?:>|\Z)
    """,
    re.S | re.X,
)
_ENTITY = lazy(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")

#: elements whose content the tokenizer (HTML5) does not parse for tags; never text for us
_RAWTEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes"})
_RCDATA = frozenset({"title", "textarea"})


def _close_tag(name: str) -> re.Pattern[str]:
    return re.compile(r"</" + re.escape(name) + r"[\t\n\f\r />]", re.I)


class _Stream:
    """The source's text (entities decoded) with per-character source offsets.

    Text segments are separated by ``\\x00`` so a search never crosses a tag.
    """

    def __init__(self, source: str) -> None:
        parts: list[str] = []
        offs: list[int] = []
        self.img_tags: list[int] = []
        pos, n = 0, len(source)
        while pos < n:
            m = _TAG.search(source, pos)
            stop = m.start() if m else n
            if stop > pos:
                self._add(parts, offs, source, pos, stop, entities=True)
            if m is None:
                break
            pos = m.end()
            name = m.group("start")
            if not name:
                continue
            lname = name.lower()
            if lname == "img":
                self.img_tags.append(m.start())
            elif lname in _RAWTEXT or lname in _RCDATA:
                close = _close_tag(lname).search(source, pos)
                end = close.start() if close else n
                if lname in _RCDATA:
                    self._add(parts, offs, source, pos, end, entities=True)
                pos = end
            elif lname == "plaintext":
                self._add(parts, offs, source, pos, n, entities=False)
                pos = n
        self.text = "".join(parts)
        self.offs = offs
        self.end = n

    @staticmethod
    def _add(parts: list[str], offs: list[int], source: str, start: int, stop: int, *, entities: bool) -> None:
        segment = source[start:stop]
        if not entities or "&" not in segment:
            parts.append(segment)
            offs.extend(range(start, stop))
        else:
            from html import unescape

            last = 0
            for m in _ENTITY.finditer(segment):
                if m.start() > last:
                    parts.append(segment[last:m.start()])
                    offs.extend(range(start + last, start + m.start()))
                raw = m.group(0)
                rep = unescape(raw)
                keep = 0  # unmatched tail of a legacy entity (``&notit;`` -> ``¬it;``)
                while keep < min(len(rep), len(raw)) - 1 and rep[-1 - keep] == raw[-1 - keep]:
                    keep += 1
                parts.append(rep)
                offs.extend([start + m.start()] * (len(rep) - keep))
                offs.extend(range(start + m.end() - keep, start + m.end()))
                last = m.end()
            if last < len(segment):
                parts.append(segment[last:])
                offs.extend(range(start + last, stop))
        parts.append("\x00")
        offs.append(stop)


class _Aligner:
    """Finds lxml's text nodes, in document order, in the tokenized source."""

    WINDOW = 8192
    MAX_MISSES = 2000  # past this, stop searching: hostile or very unusual markup

    def __init__(self, stream: _Stream) -> None:
        self.stream = stream
        self.cursor = 0
        self.misses = 0

    def offsets(self, node: str) -> list[int]:
        """Source offset of every character of *node* (a text node's string)."""
        text, offs = self.stream.text, self.stream.offs
        result: list[int] = [-1] * len(node)
        for m in _WORD.finditer(node):
            word = m.group(0)
            p = -1
            if self.misses < self.MAX_MISSES:
                p = text.find(word, self.cursor, self.cursor + self.WINDOW + len(word))
                if p < 0 and len(word) >= 4:
                    p = text.find(word, self.cursor)
                if p < 0:
                    self.misses += 1
            if p >= 0:
                result[m.start():m.end()] = offs[p:p + len(word)]
                self.cursor = p + len(word)
            else:  # not found (an entity or character lxml sees differently): approximate
                here = offs[self.cursor] if self.cursor < len(offs) else self.stream.end
                result[m.start():m.end()] = [here] * len(word)
        # whitespace: just after the previous character, or at the next one
        prev = -1
        for i, o in enumerate(result):
            if o >= 0:
                prev = o
            elif prev >= 0:
                result[i] = prev + 1
        nxt = self.stream.offs[self.cursor] if self.cursor < len(self.stream.offs) else self.stream.end
        for i in range(len(result) - 1, -1, -1):
            if result[i] >= 0:
                break
            result[i] = nxt
        return result


# ---------------------------------------------------------------------------
# output

class _Writer:
    """Accumulates output text with per-character source offsets (-1: fill in later)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offs: list[int] = []
        self.line_has_text = False
        self.pending: int | None = None  # source offset of a collapsed space

    def __len__(self) -> int:
        return len(self.offs)

    def words(self, node: str, offs: Sequence[int]) -> None:
        """Append a text node's words, collapsing whitespace runs to one space."""
        for m in _WORD.finditer(node):
            if m.start() > 0 and self.pending is None:
                self.pending = offs[m.start() - 1]
            self.word(m.group(0), offs[m.start():m.end()])
        if node and node[-1] in _WS_CHARS and self.pending is None:
            self.pending = offs[-1]

    def word(self, word: str, offs: Sequence[int]) -> None:
        if self.pending is not None and self.line_has_text:
            self.parts.append(" ")
            self.offs.append(self.pending)
        self.pending = None
        self.parts.append(word)
        self.offs.extend(offs)
        self.line_has_text = True

    def newline(self) -> None:
        if self.line_has_text:
            self.parts.append("\n")
            self.offs.append(-1)
        self.line_has_text = False
        self.pending = None

    def line(self, text: str, offs: Sequence[int]) -> None:
        """Append a whole line (a table row) as it is."""
        self.newline()
        self.parts.append(text)
        self.offs.extend(offs)
        self.line_has_text = True
        self.newline()

    def text(self) -> str:
        return "".join(self.parts)


class _Cell:
    """Inline text of one table cell: words joined by single spaces where there was whitespace."""

    __slots__ = ("colspan", "offs", "pending", "rowspan", "words")

    def __init__(self, rowspan: int, colspan: int) -> None:
        self.words: list[str] = []
        self.offs: list[int] = []
        self.pending: int | None = None
        self.rowspan = rowspan
        self.colspan = colspan

    def add(self, node: str, offs: Sequence[int]) -> None:
        for m in _WORD.finditer(node):
            if m.start() > 0:
                self.boundary(offs[m.start() - 1])
            self._word(m.group(0), offs[m.start():m.end()])
        if node and node[-1] in _WS_CHARS:
            self.boundary(offs[-1])

    def boundary(self, offset: int = -1) -> None:
        """Whitespace, ``<br>`` or a block boundary: the next word is preceded by a space."""
        if self.pending is None:
            self.pending = offset

    def _word(self, word: str, offs: Sequence[int]) -> None:
        if self.pending is not None and self.words:
            self.words.append(" ")
            self.offs.append(self.pending if self.pending >= 0 else offs[0])
        self.pending = None
        self.words.append(word)
        self.offs.extend(offs)

    def add_word(self, word: str, offset: int) -> None:
        self.boundary(offset)
        self._word(word, [offset] * len(word))
        self.boundary(offset)

    def value(self) -> tuple[str, list[int]]:
        text = "".join(self.words)
        stripped = text.strip()  # also U+3000 at the edges
        if stripped == text:
            return text, self.offs
        lead = len(text) - len(text.lstrip())
        return stripped, self.offs[lead:lead + len(stripped)]


# ---------------------------------------------------------------------------
# element classes

_BLOCK = frozenset(
    "address article aside blockquote body center caption dd details dialog dir div dl dt fieldset "
    "figcaption figure form h1 h2 h3 h4 h5 h6 hgroup hr html li main menu ol p pre section summary "
    "table tbody td tfoot th thead tr ul".split()
)
_DROP_TAGS = frozenset(
    "script style noscript template nav header footer aside head title meta link iframe object embed "
    "select option button textarea input svg canvas audio video map area noembed noframes xmp".split()
)
_DROP_TOKENS = frozenset(
    "nav navbar navigation menu menus submenu mainmenu topmenu breadcrumb breadcrumbs crumb crumbs "
    "bread footer foot share sharebox bdsharebuttonbox bdshare fenxiang sidebar toolbar topbar "
    "copyright banner dqwz location position skip search searchbox login".split()
)
_SPLIT_TOKENS = lazy(r"[^a-z0-9]+")
_HIDDEN_STYLE = lazy(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPAN_VALUE = lazy(r"\s*(\d+)")

# Section headings, not mere mentions: the intro often names all six parts in one sentence.
_HEADING = r"(?m)^[ \t]*[一二三四五六七八九十]{1,2}[ \t]*[、.．][ \t]*(?:"
_MARKERS = tuple(
    lazy(_HEADING + p + ")")
    for p in (
        "总体情况|總體情況",
        "[^\\n]{0,6}主动公开政府|[^\\n]{0,6}主動公開政府",
        "收到和处理政府信息公开申请|收到和處理",
        "[^\\n]{0,12}行政复议|[^\\n]{0,12}行政復議",
        "[^\\n]{0,12}存在的?主要问题|[^\\n]{0,12}存在的?主要問題|[^\\n]{0,12}存在问题|[^\\n]{0,12}改进情况",
        "其他需要报告|其他需要報告",
    )
)

_MAX_GRID = 500_000


def _is_hidden_or_menu(el: Any, use_classes: bool) -> int:
    """0: keep; 1: hidden; 2: class, id or role suggests navigation, menus, footer, sharing."""
    get = el.get
    if get("hidden") is not None or get("aria-hidden") == "true":
        return 1
    style = get("style")
    if style and _HIDDEN_STYLE.search(style):
        return 1
    if use_classes:
        for attr in ("class", "id", "role"):
            value = get(attr)
            if value and not _DROP_TOKENS.isdisjoint(_SPLIT_TOKENS.split(value.lower())):
                return 2
    return 0


def _span_attr(el: Any, name: str, default: int, maximum: int) -> int:
    m = _SPAN_VALUE.match(el.get(name) or "")
    if not m:
        return default
    return min(int(m.group(1)[:7]), maximum)


def _tag(el: Any) -> str | None:
    tag = el.tag
    if not isinstance(tag, str):
        return None  # comment, processing instruction, entity
    return tag.lower()


def _children(el: Any) -> Iterator[Any]:
    return iter(el)


# ---------------------------------------------------------------------------
# the flattener


class _Flattener:
    def __init__(self, source: str, stream: _Stream, limits: Limits, img_offsets: dict[Any, int],
                 use_classes: bool, keep_newlines: bool = False) -> None:
        self.source = source
        self.keep_newlines = keep_newlines
        self.align = _Aligner(stream)
        self.out = _Writer()
        self.limits = limits
        self.img_offsets = img_offsets
        self.use_classes = use_classes
        self.ranges: dict[Any, tuple[int, int]] = {}
        self.cells: list[tuple[int, int, int, int, int]] = []  # start, end, table, row, col
        self.table_count = 0
        self.class_drops = 0
        self.notes: list[str] = []

    # -- helpers --------------------------------------------------------------

    def _depth_error(self) -> ReadError:
        return _depth_error(self.limits)

    def _dropped(self, el: Any, tag: str) -> bool:
        if tag in _DROP_TAGS:
            return True
        why = _is_hidden_or_menu(el, self.use_classes)
        if why == 2:
            self.class_drops += 1
        return why > 0

    def _image_label(self, el: Any) -> str:
        label = " ".join((el.get("alt") or "").split())
        if not label:
            src = (el.get("src") or "").strip()
            label = src.split(",", 1)[0] if src.startswith("data:") else src
        return f"[image: {label[:200]}]"

    def _text(self, node: str | None) -> list[int] | None:
        if not node:
            return None
        return self.align.offsets(node)

    # -- main walk ------------------------------------------------------------

    def run(self, root: Any) -> None:
        out = self.out
        max_depth = self.limits.max_html_depth
        root_tag = _tag(root) or ""
        root_dropped = self._dropped(root, root_tag) and root_tag not in ("html", "body")
        self.ranges[root] = (len(out), len(out))
        root_start = len(out)
        offs = self._text(root.text)
        if offs is not None and not root_dropped:
            self._words(root.text, offs)
        stack: list[tuple[Any, Iterator[Any], bool, bool, int]] = [
            (root, _children(root), root_dropped, True, root_start)
        ]
        while stack:
            el, it, dropped, block, start = stack[-1]
            child = next(it, None)
            if child is None:
                stack.pop()
                if not dropped:
                    self.ranges[el] = (start, len(out))
                    if block:
                        out.newline()
                if stack:
                    self._tail(el, stack[-1][2])
                continue
            tag = _tag(child)
            if tag is None:  # comment / PI: its text is not in the stream
                self._tail(child, dropped)
                continue
            if len(stack) >= max_depth:
                raise self._depth_error()
            if tag in _RAWTEXT:
                self._tail(child, dropped)
                continue
            child_dropped = dropped or self._dropped(child, tag)
            if tag == "br":
                if not child_dropped:
                    out.newline()
                self._tail(child, dropped)
                continue
            if tag == "img":
                if not child_dropped:
                    out.newline()
                    label = self._image_label(child)
                    at = self.img_offsets.get(child, -1)
                    start_img = len(out)
                    out.word(label, [at] * len(label))
                    out.newline()
                    self.ranges[child] = (start_img, start_img + len(label))
                self._tail(child, dropped)
                continue
            if tag == "table" and not child_dropped and self._is_data_table(child):
                out.newline()
                start_tbl = len(out)
                self._table(child, len(stack))
                self.ranges[child] = (start_tbl, len(out))
                out.newline()
                self._tail(child, dropped)
                continue
            child_block = tag in _BLOCK
            if child_block and not child_dropped:
                out.newline()
            child_start = len(out)  # the element's own text (before its first child) is its output too
            offs = self._text(child.text)
            if offs is not None and not child_dropped:
                if tag == "pre":
                    self._pre(child.text, offs)
                else:
                    self._words(child.text, offs)
            stack.append((child, _children(child), child_dropped, child_block, child_start))

    def _tail(self, el: Any, parent_dropped: bool) -> None:
        tail = el.tail
        if tail:
            offs = self.align.offsets(tail)
            if not parent_dropped:
                self._words(tail, offs)

    def _words(self, node: str, offs: Sequence[int]) -> None:
        if not (self.keep_newlines and "\n" in node):
            self.out.words(node, offs)
            return
        pos = 0
        lines = node.split("\n")
        for i, line in enumerate(lines):  # a line break of the source ends a line (a page without blocks)
            self.out.words(line, offs[pos:pos + len(line)])
            if i < len(lines) - 1:
                self.out.newline()
            pos += len(line) + 1

    def _pre(self, node: str, offs: Sequence[int]) -> None:
        pos = 0
        for line in node.split("\n"):
            self.out.words(line, offs[pos:pos + len(line)])
            self.out.newline()
            pos += len(line) + 1

    # -- tables ---------------------------------------------------------------

    @staticmethod
    def _rows(table: Any) -> list[Any]:
        rows = []
        for child in table:
            tag = _tag(child)
            if tag == "tr":
                rows.append(child)
            elif tag in ("thead", "tbody", "tfoot"):
                rows.extend(c for c in child if _tag(c) == "tr")
        return rows

    def _is_data_table(self, table: Any) -> bool:
        for _ in table.iterdescendants("table"):
            return False
        rows = self._rows(table)
        if not rows:
            return False
        width = 0
        for row in rows:
            row_width = 0
            for cell in row:
                if _tag(cell) in ("td", "th"):
                    row_width += _span_attr(cell, "colspan", 1, 1000) or 1
                    if sum(len(t) for t in cell.itertext()) > 500:
                        return False
            width = max(width, row_width)
        return width >= 2

    def _table(self, table: Any, depth: int) -> None:
        """Walk the table's subtree in document order (aligning every text node) and emit its grid."""
        max_depth = self.limits.max_html_depth
        rows: list[list[_Cell]] = []
        caption = _Cell(1, 1)
        cell: _Cell | None = None
        in_caption = False
        self.table_count += 1
        table_no = self.table_count
        self._text(table.text)  # stray text before the first row: aligned, not emitted
        stack: list[tuple[Any, Iterator[Any], bool]] = [(table, _children(table), False)]
        while stack:
            el, it, dropped = stack[-1]
            child = next(it, None)
            if child is None:
                stack.pop()
                tag = _tag(el)
                if tag in ("td", "th"):
                    cell = None
                elif tag == "caption":
                    in_caption = False
                elif cell is not None and tag in _BLOCK:
                    cell.boundary()
                if stack:
                    self._cell_tail(el, cell if not stack[-1][2] else None, in_caption, caption)
                continue
            tag = _tag(child)
            if tag is None:
                self._cell_tail(child, cell if not dropped else None, in_caption, caption)
                continue
            if depth + len(stack) >= max_depth:
                raise self._depth_error()
            if tag in _RAWTEXT:
                self._cell_tail(child, cell if not dropped else None, in_caption, caption)
                continue
            child_dropped = dropped or self._dropped(child, tag)
            if tag == "tr":
                rows.append([])
                cell = None
            elif tag in ("td", "th"):
                if not rows:
                    rows.append([])
                cell = _Cell(_span_attr(child, "rowspan", 1, 65534),
                             max(1, _span_attr(child, "colspan", 1, 1000)))
                rows[-1].append(cell)
            elif tag == "caption":
                in_caption = True
            target = caption if in_caption else cell
            if tag == "img" and not child_dropped and target is not None:
                target.add_word(self._image_label(child), self.img_offsets.get(child, -1))
            elif (tag == "br" or tag in _BLOCK) and target is not None:
                target.boundary()
            offs = self._text(child.text)
            if offs is not None and not child_dropped and target is not None:
                target.add(child.text, offs)
            stack.append((child, _children(child), child_dropped))
        out = self.out
        if caption.words:
            text, coffs = caption.value()
            out.line(text, coffs)
        self._emit_grid(rows, table_no)

    def _cell_tail(self, el: Any, cell: _Cell | None, in_caption: bool, caption: _Cell) -> None:
        tail = el.tail
        if tail:
            offs = self.align.offsets(tail)
            target = caption if in_caption else cell
            if target is not None:
                target.add(tail, offs)

    def _emit_grid(self, rows: list[list[_Cell]], table_no: int) -> None:
        n = len(rows)
        budget = 0
        for r, row in enumerate(rows):
            for c in row:
                rs = c.rowspan if c.rowspan > 0 else n - r
                budget += min(rs, n - r) * c.colspan
        expand = budget <= _MAX_GRID
        grid: list[dict[int, _Cell | None]] = [{} for _ in rows]
        width = 0
        for r, row in enumerate(rows):
            col = 0
            occupied = grid[r]
            for c in row:
                while col in occupied:
                    col += 1
                rs = (c.rowspan if c.rowspan > 0 else n - r) if expand else 1
                cs = c.colspan if expand else 1
                rs = max(1, min(rs, n - r))
                for dr in range(rs):
                    target = grid[r + dr]
                    for dc in range(cs):
                        target[col + dc] = None
                occupied[col] = c
                col += cs
                width = max(width, col)
        for r, occupied in enumerate(grid):
            texts: list[str] = []
            offs: list[int] = []
            cells: list[tuple[int, int, int]] = []
            pos = 0
            for col in range(width):
                if col:
                    texts.append("\t")
                    offs.append(-1)
                    pos += 1
                found = occupied.get(col)
                if found is not None:
                    text, coffs = found.value()
                    if text:
                        texts.append(text)
                        offs.extend(coffs)
                        cells.append((pos, pos + len(text), col))
                        pos += len(text)
            if not cells:
                continue
            self.out.newline()
            base = len(self.out)
            self.out.line("".join(texts), offs)
            for start, end, col in cells:
                self.cells.append((base + start, base + end, table_no, r + 1, col + 1))


# ---------------------------------------------------------------------------
# body selection

#: class/id names that content-management systems give the article's container (TRS WCM's
#: ``TRS_Editor``, the ``zoom`` of the font-size buttons, ``article``/``content``/``detail``...)
_CONTENT_HINT = lazy(
    r"trs_?editor|(?<![a-z])zoom(?![a-z])|article|content|detail|zhengwen|(?<![a-z])zw(?![a-z])|"
    r"(?<![a-z])text(?![a-z])|wenzhang|news_?con|art_?con|xxgk_?con|(?<![a-z])con(?![a-z])|print_?area",
    re.I,
)
_STRONG_HINT = lazy(r"trs_?editor|zoom|print_?area", re.I)
#: a line of page chrome around the article: source and time, print/close, QR code, versions,
#: attachment downloads, font size, sharing, neighbouring articles, breadcrumbs
_CHROME_LINE = lazy(
    r"^(?:信息)?来\s*源\s*[:：]|^(?:发布|发文|成文|生成|更新)?(?:时间|日期)\s*[:：]|^发布机构\s*[:：]|"
    r"^(?:作\s*者|编\s*辑|责任编辑|审\s*核|索\s*引\s*号|文\s*号|分\s*类|主\s*题\s*词)\s*[:：]|"
    r"浏览(?:次数|量)?\s*[:：]|阅读(?:次数|量)\s*[:：]|点击(?:数|量|率)\s*[:：]|访问(?:次数|量)\s*[:：]|"
    r"扫一扫|二维码|打印本页|打印此页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|全真版|文字版|"
    r"附件下载|下载附件|相关附件|^附\s*件\s*[:：]?\s*$|\.(?:pdf|docx?|xlsx?|wps|et|zip|rar)\s*$|"
    r"分享到|^分享\s*[:：]?|收藏本页|加入收藏|返回顶部|^【?\s*返回\s*】?$|上一篇|下一篇|"
    r"当前位置|您现在的位置|所在位置|字号\s*[:：]|^\[?\s*大\s*中\s*小\s*\]?$|"
    r"首页\s*[>＞»›/]|[>＞»›]\s*首页",
    re.I,
)
_TITLE_LINE = lazy(r"政府信息公开.{0,12}报告|年度报告|年报")
_MAX_CHROME_LINE = 100


def _markers(text: str) -> list[list[int]]:
    return [[m.start() for m in pattern.finditer(text)] for pattern in _MARKERS]


def _marker_set(positions: list[list[int]], start: int, end: int) -> frozenset[int]:
    found = set()
    for i, pos in enumerate(positions):
        k = bisect.bisect_left(pos, start)
        if k < len(pos) and pos[k] < end:
            found.add(i)
    return frozenset(found)


def _content_hint(el: Any) -> str:
    for attr in ("id", "class"):
        value = el.get(attr)
        if value:
            m = _CONTENT_HINT.search(value)
            if m:
                return m.group(0)
    return ""


def _describe(el: Any) -> str:
    attrs = "".join(f' {a}="{el.get(a)}"' for a in ("id", "class") if el.get(a))
    return f"<{el.tag}{attrs}>"


class _Choice:
    """The chosen article: its element, why it was taken, and the output ranges kept."""

    def __init__(self, element: Any, why_zh: str, why_en: str) -> None:
        self.element = element
        self.why_zh = why_zh
        self.why_en = why_en
        self.pieces: list[tuple[int, int]] = []
        self.dropped: list[str] = []
        self.lines_before = 0


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each line in ``text[start:end]``, the end after its newline (if any)."""
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl + 1
        out.append((pos, stop))
        pos = stop
    return out


def _is_chrome(line: str) -> bool:
    line = line.strip()
    return (bool(line) and len(line) <= _MAX_CHROME_LINE and "\t" not in line
            and _CHROME_LINE.search(line) is not None)


def _choose(root: Any, ranges: dict[Any, tuple[int, int]], text: str) -> _Choice:
    """The element holding the report and the lines kept around it (see the module docstring)."""
    body = None
    for el in root.iter("body"):
        body = el
        break
    start_el = body if body is not None and body in ranges else root
    positions = _markers(text)

    def cjk(el: Any) -> int:
        s, e = ranges[el]
        return len(_CJK.findall(text, s, e))

    def marks(el: Any) -> frozenset[int]:
        s, e = ranges[el]
        return _marker_set(positions, s, e)

    cur = start_el
    wanted = marks(cur)
    if len(wanted) >= 2:
        while True:
            best, best_cjk = None, -1
            for child in cur:
                if child in ranges and marks(child) == wanted:
                    count = cjk(child)
                    if count > best_cjk:
                        best, best_cjk = child, count
            if best is None:
                break
            cur = best
        why_zh = f"含全部 {len(wanted)} 个部分标题的最内层元素"
        why_en = f"the innermost element holding all {len(wanted)} section headings"
        hint = _content_hint(cur)
        if hint:
            why_zh += f"，即内容管理系统的正文容器（{hint}）"
            why_en += f", a CMS article container ({hint})"
    else:
        total = cjk(start_el)
        hinted = [el for el in start_el.iter() if el in ranges and el is not start_el and _content_hint(el)]
        strong = [el for el in hinted if _STRONG_HINT.search(_content_hint(el))]
        best_hint = max(strong, key=cjk, default=None)
        if best_hint is None or cjk(best_hint) < 50:  # a container only these CMSs use for the article
            best_hint = max(hinted, key=cjk, default=None)
            if best_hint is not None and cjk(best_hint) < 0.3 * total:  # a "content" that is not most of it
                best_hint = None
        if best_hint is not None and total:
            cur = best_hint
            why_zh = f"没有找到足够的部分标题；取内容管理系统的正文容器（{_content_hint(cur)}）"
            why_en = (f"too few section headings found; took the CMS article container "
                      f"({_content_hint(cur)})")
        else:
            while True:
                total = cjk(cur)
                nxt = None
                for child in cur:
                    if child in ranges and total and cjk(child) >= 0.85 * total:
                        nxt = child
                        break
                if nxt is None:
                    break
                cur = nxt
            why_zh = "没有找到足够的部分标题；取含页面大部分中文文字的元素"
            why_en = "too few section headings found; took the element holding most of the page's Chinese text"
    choice = _Choice(cur, why_zh, why_en)
    # widen to the ancestors that add only a little text (a title line, an introduction) ...
    container = cur
    while container is not start_el:
        parent = container.getparent()
        if parent is None or parent not in ranges or cjk(parent) - cjk(cur) > 150:
            break
        container = parent
    s, e = ranges[cur]
    cs, ce = ranges[container]
    # ... but keep of what they add only the lines from the report's title on, without page chrome
    before = _lines(text, cs, s)
    titles = [i for i, (a, b) in enumerate(before) if _TITLE_LINE.search(text, a, b) and not _is_chrome(text[a:b])]
    if titles:
        for a, b in before[:titles[-1]]:
            if text[a:b].strip():
                choice.dropped.append(text[a:b].strip())
        before = before[titles[-1]:]
    # the element's own lines before its first section heading: chrome there is left out too
    core = _lines(text, s, e)
    inside = [p for pos in positions for p in pos if s <= p < e]
    if inside:
        first, last = min(inside), max(inside)
        head = sum(1 for a, _b in core if a < first)
        tail = next((k + 1 for k, (a, b) in enumerate(core) if a <= last < b), len(core))
    else:
        head = next((k for k, (a, b) in enumerate(core) if not _is_chrome(text[a:b])), len(core))
        tail = next((k + 1 for k in range(len(core) - 1, -1, -1) if not _is_chrome(text[slice(*core[k])])), 0)
        tail = max(tail, head)
    for a, b in before + core[:head]:
        if _is_chrome(text[a:b]):
            choice.dropped.append(text[a:b].strip())
        elif text[a:b].strip():
            choice.pieces.append((a, b))
        if (a, b) == (before[-1] if before else None):
            choice.lines_before = len(choice.pieces)
    if head < tail:
        choice.pieces.append((core[head][0], core[tail - 1][1]))
    # after the last section heading, the first line of chrome ends the report
    after = core[tail:] + _lines(text, e, ce)
    for k, (a, b) in enumerate(after):
        if _is_chrome(text[a:b]):
            choice.dropped.extend(text[x:y].strip() for x, y in after[k:] if text[x:y].strip())
            break
        choice.pieces.append((a, b))
    if container is not cur and not choice.dropped:
        choice.element = container  # nothing left out: the widest element with the same text
        choice.pieces = [(cs, ce)]
        choice.lines_before = 0
    return choice


# ---------------------------------------------------------------------------
# reader

_ANY_TAG = lazy(r"<(?:[A-Za-z][^\t\n\f\r />]*[\t\n\f\r />]|/[A-Za-z]|!--|!doctype)", re.I)
#: inline elements that a page without structure may still have
_LINE_BREAKING = _BLOCK - {"html", "body"} | {"br", "table", "img"}


def _structureless(root: Any) -> bool:
    """True for a page whose text sits in ``<body>`` without a single block element or ``<br>``."""
    return not any(_tag(el) in _LINE_BREAKING for el in root.iter())


_META_CHARSET = lazy(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)


def _parse(source: str, limits: Limits) -> Any:
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=False, remove_pis=False,
        huge_tree=limits.max_html_depth > 255, default_doctype=False, recover=True,
    )
    try:
        root = etree.fromstring(source.encode("utf-8", "surrogatepass"), parser)
    except (etree.LxmlError, ValueError) as exc:
        raise ReadError(Message(f"无法解析 HTML：{exc}", f"cannot parse the HTML: {exc}")) from None
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in entry.message:
            if "depth" in entry.message:
                raise _depth_error(limits)
            raise ReadError(Message(f"HTML 超出解析器的资源限制：{entry.message.strip()}",
                                    f"the HTML exceeds a parser resource limit: {entry.message.strip()}"))
    return root


def _depth_error(limits: Limits) -> ReadError:
    n = limits.max_html_depth
    return ReadError(
        Message(
            f"HTML 元素嵌套超过 {n} 层，无法可靠读取（上限可在配置 [tool.gklint.limits] max-html-depth 中调整）",
            f"HTML elements are nested more than {n} levels deep (raise max-html-depth under [tool.gklint.limits])",
        ),
        setting="max-html-depth",
    )


def _fill(offs: list[int], end: int) -> None:
    """Replace the -1 placeholders of separators by the position after the previous character."""
    prev = -1
    for i, o in enumerate(offs):
        if o < 0:
            if prev >= 0:
                offs[i] = min(prev + 1, end)
        else:
            prev = o
    nxt = end
    for i in range(len(offs) - 1, -1, -1):
        if offs[i] < 0:
            offs[i] = nxt
        else:
            nxt = offs[i]


class HtmlReader:
    """Reads a report published as a web page; see the module docstring for the text layout."""

    name = "html"
    suffixes: tuple[str, ...] = (".html", ".htm")

    def read(self, data: bytes, path: str, limits: Limits) -> SourceText:
        """Decode, parse and flatten *data*.  Raise :class:`ReadError` for unreadable input."""
        try:
            return self._read(data, limits)
        except ReadError:
            raise
        except RecursionError as exc:
            raise _depth_error(limits) from exc
        except Exception as exc:  # the contract: nothing but ReadError escapes
            raise ReadError(Message(f"读取 HTML 时出错：{type(exc).__name__}: {exc}",
                                    f"error while reading the HTML: {type(exc).__name__}: {exc}")) from exc

    def _read(self, data: bytes, limits: Limits) -> SourceText:
        check_size(data, limits)
        if not data:
            raise ReadError(Message("文件为空", "the file is empty"))
        declared = None
        if b"\x00" not in data[:4096]:
            m = _META_CHARSET.search(data[:16384])
            if m:
                declared = m.group(1).decode("ascii", "replace")
        source, encoding = decode_text(data, declared=declared)
        if not source.strip():
            raise ReadError(Message("文件为空（只有空白字符）", "the file is empty (whitespace only)"))
        if not _ANY_TAG.search(source):
            # no markup at all (a plain-text report named .html, or piped with --stdin-filename x.html)
            from gklint.readers.text import TextReader

            plain = TextReader().read(data, "", limits)
            if plain.offsets is None:  # identity, spelled out as the HTML reader always does
                plain.source, plain.offsets = plain.text, list(range(len(plain.text) + 1))
            plain.notes.append("文件中没有 HTML 标记，按纯文本读取 / the file has no HTML markup: read as plain text")
            return plain
        root = _parse(source, limits)
        if root is None:
            raise ReadError(Message("网页中没有文本", "the page has no text"))
        stream = _Stream(source)
        imgs = list(root.iter("img"))
        if len(imgs) == len(stream.img_tags):
            img_offsets = dict(zip(imgs, stream.img_tags, strict=True))
        else:
            img_offsets = {}
        bare = _structureless(root)
        text, offs, logical, notes, class_drops = self._flatten(root, source, stream, limits, img_offsets,
                                                                use_classes=True, bare=bare)
        if class_drops and sum(1 for p in _MARKERS if p.search(text)) < 3:
            # the menu heuristics may have dropped the report itself: try without them
            retry = self._flatten(root, source, stream, limits, img_offsets, use_classes=False, bare=bare)
            if sum(1 for p in _MARKERS if p.search(retry[0])) > sum(1 for p in _MARKERS if p.search(text)):
                text, offs, logical, notes = retry[:4]
        if not text.strip():
            raise ReadError(Message("网页中没有找到正文文本", "no body text found in the page"))
        repairs: tuple[str, ...] = ()
        if bare:
            notes.append("网页正文没有段落等块级元素，按源文件中的换行分行 / the page's text has no block "
                         "elements: lines are taken from the line breaks of the source")
            repaired = reflow(text)
            if repaired is not None:
                end = len(source)
                offs = [offs[i] if i < len(offs) else end for i in repaired.offsets]
                text, repairs = repaired.text, repaired.repairs
        return SourceText(
            text=text, reader=self.name, encoding=encoding, source=source, offsets=offs,
            coordinates="source", logical=logical, notes=notes, repairs=repairs,
        )

    @staticmethod
    def _flatten(root: Any, source: str, stream: _Stream, limits: Limits, img_offsets: dict[Any, int],
                 *, use_classes: bool, bare: bool = False
                 ) -> tuple[str, list[int], list[tuple[int, int, str]], list[str], int]:
        """The chosen body's text, offsets, cell labels and notes, and how many elements the
        class/id heuristics dropped.  *bare*: keep the source's line breaks (a page without blocks)."""
        flat = _Flattener(source, stream, limits, img_offsets, use_classes, keep_newlines=bare)
        flat.run(root)
        full = flat.out.text()
        offs = flat.out.offs
        _fill(offs, len(source))
        if root not in flat.ranges:
            return "", [0], [], [], flat.class_drops
        choice = _choose(root, flat.ranges, full)
        chosen = choice.element
        pieces = []
        for start, end in choice.pieces:  # whole lines, without blank lines at the edges
            while start < end and full[start] == "\n":
                start += 1
            while end > start and full[end - 1] == "\n":
                end -= 1
            if start < end:
                pieces.append((start, end))
        if not pieces:
            return "", [0], [], [], flat.class_drops
        if chosen is not root:
            element, line, before = _describe(chosen), chosen.sourceline, choice.lines_before
            more_zh = f"；另取其前的 {before} 行（标题等）" if before else ""
            more_en = f"; with {before} line(s) before it (the title...)" if before else ""
            flat.notes.append(f"正文取自 {element}（源文件第 {line} 行）：{choice.why_zh}{more_zh}"
                              f" / body text taken from {element} (source line {line}): {choice.why_en}{more_en}")
        if choice.dropped:
            shown = "；".join(line[:30] for line in choice.dropped[:5])
            more = len(choice.dropped) - 5
            flat.notes.append(
                f"略去正文前后的页面装饰 {len(choice.dropped)} 行：{shown}{' 等' if more > 0 else ''}"
                f" / left out {len(choice.dropped)} line(s) of page chrome around the article"
            )
        parts: list[str] = []
        out_offs: list[int] = []
        logical: list[tuple[int, int, str]] = []
        numbers: dict[int, int] = {}
        cells = flat.cells
        for start, end in pieces:
            shift = len(out_offs) - start
            parts.append(full[start:end])
            parts.append("\n")
            out_offs.extend(offs[start:end])
            last = offs[end - 1] + 1
            out_offs.append(min(last, len(source)))
            for s, e, table, row, col in cells:
                if s >= start and e <= end:
                    t = numbers.setdefault(table, len(numbers) + 1)
                    logical.append((s + shift, e + shift, f"表{t} › 第{row}行 › 第{col}列"))
        text = "".join(parts)
        out_offs.append(min(out_offs[-1] + 1, len(source)))
        return text, out_offs, logical, flat.notes, flat.class_drops


@hookimpl
def gklint_readers() -> list[HtmlReader]:
    return [HtmlReader()]
