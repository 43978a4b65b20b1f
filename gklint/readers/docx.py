"""The Word reader (``.docx``): ``word/document.xml`` read with :mod:`zipfile` and :mod:`lxml.etree`.

Safety: the zip's entry count (``max-docx-members``, checked in the end-of-central-directory
record before :class:`zipfile.ZipFile` builds its index) and its declared uncompressed size
(``max-docx-uncompressed-bytes``, for the whole archive and for every part read) are bounded,
parts are read through a bounded stream, the XML parser resolves no entities, loads no
DTD and never touches the network, and a part with a ``DOCTYPE`` is refused.

Text layout (``SourceText.text``; ``source`` is the same string, ``coordinates`` is
``"extracted-text"``):

* every body paragraph (``w:p``) is a line; ``w:br``/``w:cr`` inside it start a new line,
  ``w:tab`` is a space (a tab is reserved for table cells); empty paragraphs produce no
  line but are counted; automatic list numbers (``numbering.xml``: ``一、``, ``（一）``,
  ``1.``) are rendered in front of the text, as Word shows them;
* a drawing, picture or embedded object is a line ``[image: NAME]`` (alt text, else name);
* a table (``w:tbl``) is one line per ``w:tr`` with ``\\t`` between cells, expanded into a
  full grid: a ``w:gridSpan`` cell's text sits at its first grid column and the columns it
  also covers are empty cells; a ``w:vMerge`` continuation cell is an empty cell (a group
  label such as ``（三）不予公开`` appears once, on its first row, like a rowspan in HTML);
  ``w:gridBefore``/``w:gridAfter`` are empty cells; every line of a table has the grid
  width's number of cells; rows whose cells are all empty are omitted; a cell's
  paragraphs are joined by one space and its whitespace collapsed;
* a table containing another table, with a single column, or with a cell of more than
  500 characters is a layout table: its cells' paragraphs and tables are emitted as blocks;
* ignored: text boxes, footnotes, endnotes, comments, headers and footers, deleted
  revisions and hidden text (``notes`` says when text boxes or footnotes were skipped).

``logical``: ``第N段`` for the N-th body paragraph (1-based, empty ones counted, as in
python-docx's ``Document.paragraphs``), ``第N段（标题 2）`` for heading styles, and
``表T › 第R行 › 第C列`` for table cells (tables numbered in document order, rows and
grid columns 1-based).
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gklint import hookimpl
from gklint.findings import Message
from gklint.model import SourceText
from gklint.readers._decode import check_size, format_size, limit_error, sniff_binary
from gklint.readers.base import Limits, ReadError

if TYPE_CHECKING:
    import zipfile

__all__ = ["DocxReader", "gklint_readers"]

_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_VML = "urn:schemas-microsoft-com:vml"
_REL_OFFICE = re.compile(r"/officeDocument$")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIN = "word/document.xml"
_WS = re.compile(r"\s+")
_HEADING = re.compile(r"^heading\s*(\d)$", re.I)


def _broken(detail: str = "", detail_en: str | None = None) -> ReadError:
    zh = "不是有效的 .docx（Word 2007 及以后格式）文件：zip 结构损坏"
    en = "not a valid .docx (Word 2007 or later) file: the zip structure is damaged"
    detail_en = detail if detail_en is None else detail_en
    if detail:
        zh = f"{zh}（{detail}）"
    if detail_en:
        en = f"{en} ({detail_en})"
    return ReadError(Message(zh, en))


def _members_error(count: int, limits: Limits) -> ReadError:
    return limit_error(".docx 中的文件数过多", "too many parts in the .docx", str(count),
                       str(limits.max_docx_members), "max-docx-members")


def _size_error(size: int, limits: Limits, what_zh: str = ".docx 解压后过大",
                what_en: str = "the .docx is too large uncompressed") -> ReadError:
    return limit_error(what_zh, what_en, format_size(size),
                       format_size(limits.max_docx_uncompressed_bytes), "max-docx-uncompressed-bytes")


def _precheck_entries(data: bytes, limits: Limits) -> None:
    """Count the entries from the end-of-central-directory record, before zipfile indexes them."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if eocd < 0 or eocd + 22 > len(data):
        raise _broken("找不到中央目录", "no central directory")
    count = struct.unpack_from("<H", data, eocd + 10)[0]
    if count == 0xFFFF and eocd >= 20 and data[eocd - 20:eocd - 16] == b"PK\x06\x07":
        offset = struct.unpack_from("<Q", data, eocd - 12)[0]
        if offset + 40 <= len(data) and data[offset:offset + 4] == b"PK\x06\x06":
            count = struct.unpack_from("<Q", data, offset + 32)[0]
    if count > limits.max_docx_members:
        raise _members_error(count, limits)


def _read_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, limits: Limits) -> bytes:
    """A part's bytes, never more than *limit* however the header lies."""
    if info.file_size > limit:
        raise _size_error(info.file_size, limits, f"{info.filename} 解压后过大",
                          f"{info.filename} is too large uncompressed")
    chunks: list[bytes] = []
    total = 0
    try:
        with zf.open(info) as stream:
            while True:
                chunk = stream.read(1 << 20)
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise _size_error(total, limits, f"{info.filename} 解压后过大",
                                      f"{info.filename} is too large uncompressed")
                chunks.append(chunk)
    except ReadError:
        raise
    except RuntimeError as exc:  # encrypted member
        raise ReadError(Message(f".docx 中的 {info.filename} 已加密，无法读取",
                                f"{info.filename} in the .docx is encrypted")) from exc
    except Exception as exc:  # BadZipFile (CRC), zlib.error, NotImplementedError, EOFError ...
        raise _broken(f"{info.filename}：{type(exc).__name__}") from exc
    return b"".join(chunks)


def _xml(raw: bytes, name: str) -> Any:
    """Parse a part with a hardened parser; refuse a DOCTYPE."""
    from lxml import etree

    for pattern in ("<!DOCTYPE", "<!ENTITY"):
        for enc in ("ascii", "utf-16-le", "utf-16-be"):
            if pattern.encode(enc) in raw:
                raise ReadError(Message(
                    f"{name} 含有 DOCTYPE/实体声明，.docx 中不应出现（可能是恶意文件），拒绝读取",
                    f"{name} contains a DOCTYPE or entity declaration, which a .docx never has "
                    "(possibly malicious); refused",
                ))
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        if "Excessive depth" in str(exc):
            raise ReadError(Message(f"{name} 的元素嵌套超过 256 层，.docx 中不应出现（可能是恶意文件），拒绝读取",
                                    f"{name} nests elements more than 256 levels deep (possibly malicious); refused")) from None
        raise ReadError(Message(f"{name} 不是有效的 XML：{exc}", f"{name} is not valid XML: {exc}")) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ReadError(Message(f"{name} 含有 DOCTYPE 声明，拒绝读取", f"{name} has a DOCTYPE; refused"))
    return root


# ---------------------------------------------------------------------------
# numbering


_CN_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographLegalTraditional"):
        return _chinese(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return "子丑寅卯辰巳午未申酉戌亥"[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Numbering:
    """Renders automatic list numbers from ``word/numbering.xml``."""

    def __init__(self, root: Any, w: str) -> None:
        self.w = w
        q = f"{{{w}}}"
        self.abstract: dict[str, dict[int, tuple[int, str, str, str, bool]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for absnum in root.iter(f"{q}abstractNum"):
            levels: dict[int, tuple[int, str, str, str, bool]] = {}
            for lvl in absnum.iter(f"{q}lvl"):
                ilvl = _int(lvl.get(f"{q}ilvl"), 0)
                levels[ilvl] = (
                    _int(_val(lvl, f"{q}start", q), 1),
                    _val(lvl, f"{q}numFmt", q) or "decimal",
                    _val(lvl, f"{q}lvlText", q) or "",
                    _val(lvl, f"{q}suff", q) or "tab",
                    lvl.find(f"{q}isLgl") is not None,
                )
            self.abstract[absnum.get(f"{q}abstractNumId", "")] = levels
        for num in root.iter(f"{q}num"):
            overrides: dict[int, int] = {}
            for ov in num.iter(f"{q}lvlOverride"):
                start = ov.find(f"{q}startOverride")
                if start is not None:
                    overrides[_int(ov.get(f"{q}ilvl"), 0)] = _int(start.get(f"{q}val"), 1)
            self.nums[num.get(f"{q}numId", "")] = (_val(num, f"{q}abstractNumId", q) or "", overrides)

    def label(self, num_id: str, ilvl: int) -> str:
        if num_id in ("", "0") or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = overrides.get(ilvl, levels[ilvl][0])
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        _, fmt, text, suff, legal = levels[ilvl]
        if fmt == "bullet" or fmt == "none":
            return ""

        def repl(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            value = counters.get(k, overrides.get(k, levels[k][0]))
            return _format_number(value, "decimal" if legal and k != ilvl else levels[k][1])

        rendered = re.sub(r"%([1-9])", repl, text)
        if not rendered:
            return ""
        if suff == "space" or (suff == "tab" and rendered[-1] not in "、.．)）:："):
            rendered += " "
        return rendered


def _val(el: Any, tag: str, q: str) -> str | None:
    child = el.find(tag)
    return None if child is None else child.get(f"{q}val")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# ---------------------------------------------------------------------------
# extraction


class _Extractor:
    def __init__(self, w: str, styles: Any, numbering: Any) -> None:
        self.w = w
        self.q = f"{{{w}}}"
        self.lines: list[str] = []
        self.length = 0
        self.logical: list[tuple[int, int, str]] = []
        self.paragraphs = 0
        self.tables = 0
        self.textboxes = 0
        self.footnotes = 0
        self.numbering = _Numbering(numbering, w)
        self.style_names: dict[str, str] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        if styles is not None:
            q = self.q
            for style in styles.iter(f"{q}style"):
                sid = style.get(f"{q}styleId", "")
                name = _val(style, f"{q}name", q)
                if name:
                    self.style_names[sid] = name
                ppr = style.find(f"{q}pPr")
                numpr = ppr.find(f"{q}numPr") if ppr is not None else None
                if numpr is not None:
                    self.style_num[sid] = (_val(numpr, f"{q}numId", q) or "",
                                           _int(_val(numpr, f"{q}ilvl", q), 0))

    # -- output ---------------------------------------------------------------

    def _emit(self, line: str) -> tuple[int, int]:
        start = self.length
        self.lines.append(line)
        self.lines.append("\n")
        self.length += len(line) + 1
        return start, start + len(line)

    # -- blocks ---------------------------------------------------------------

    def _block_items(self, container: Any) -> Iterator[Any]:
        """``w:p`` and ``w:tbl`` in document order, looking through content controls."""
        q = self.q
        stack = [iter(container)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            tag = child.tag
            if tag in (f"{q}p", f"{q}tbl"):
                yield child
            elif tag in (f"{q}sdt", f"{q}sdtContent", f"{q}customXml", f"{q}ins", f"{q}moveTo"):
                if len(stack) < 64:
                    stack.append(iter(child))

    def body(self, body: Any) -> None:
        """Emit the body.  Layout tables are flattened with an explicit stack, not recursion."""
        work: list[tuple[Iterator[Any], str | None]] = [(self._block_items(body), None)]
        while work:
            items, cell_label = work[-1]
            item = next(items, None)
            if item is None:
                work.pop()
                continue
            if item.tag == f"{self.q}p":
                if cell_label is None:
                    self.paragraphs += 1
                self._paragraph(item, cell_label)
            else:
                self.tables += 1
                nested = self._table(item, self.tables)
                if nested is not None and len(work) < 32:
                    work.append((nested, None))

    def _paragraph(self, p: Any, cell_label: str | None) -> None:
        label = cell_label or f"第{self.paragraphs}段"
        heading = self._heading(p)
        if heading and cell_label is None:
            label = f"{label}（{heading}）"
        prefix = self._number(p)
        lines = self._inline(p)
        if prefix:
            if lines and lines[0][0] == "text":
                lines[0] = ("text", prefix + lines[0][1])
            else:
                lines.insert(0, ("text", prefix))
        start = end = -1
        for _kind, line in lines:
            if not line.strip():
                continue
            s, e = self._emit(line)
            if start < 0:
                start = s
            end = e
        if start >= 0:
            self.logical.append((start, end, label))

    def _heading(self, p: Any) -> str:
        q = self.q
        ppr = p.find(f"{q}pPr")
        sid = _val(ppr, f"{q}pStyle", q) if ppr is not None else None
        if not sid:
            return ""
        name = self.style_names.get(sid, sid)
        m = _HEADING.match(name)
        if m:
            return f"标题 {m.group(1)}"
        if name.lower() == "title":
            return "标题"
        return ""

    def _number(self, p: Any) -> str:
        q = self.q
        ppr = p.find(f"{q}pPr")
        if ppr is None:
            return ""
        numpr = ppr.find(f"{q}numPr")
        if numpr is not None:
            num_id = _val(numpr, f"{q}numId", q)
            ilvl = _int(_val(numpr, f"{q}ilvl", q), 0)
            if num_id is None:
                sid = _val(ppr, f"{q}pStyle", q)
                num_id = self.style_num.get(sid or "", ("", 0))[0]
            return self.numbering.label(num_id or "", ilvl)
        sid = _val(ppr, f"{q}pStyle", q)
        if sid and sid in self.style_num:
            num_id, ilvl = self.style_num[sid]
            return self.numbering.label(num_id, ilvl)
        return ""

    def _image_label(self, el: Any) -> str:
        for doc_pr in el.iter(f"{{{_WP}}}docPr"):
            name = doc_pr.get("descr") or doc_pr.get("title") or doc_pr.get("name") or "图片"
            return f"[image: {' '.join(name.split())[:200]}]"
        for img in el.iter(f"{{{_VML}}}imagedata"):
            name = img.get("{urn:schemas-microsoft-com:office:office}title") or img.get("alt") or "图片"
            return f"[image: {' '.join(name.split())[:200]}]"
        return "[image: 图片]"

    def _inline(self, p: Any) -> list[tuple[str, str]]:
        """The paragraph as lines: ``("text", s)`` and ``("image", "[image: …]")``."""
        q = self.q
        skip = {f"{q}pPr", f"{q}rPr", f"{q}del", f"{q}moveFrom", f"{q}instrText", f"{q}delText",
                f"{{{_MC}}}Fallback"}
        out: list[tuple[str, str]] = []
        buf: list[str] = []

        def flush() -> None:
            out.append(("text", "".join(buf)))
            buf.clear()

        stack = [iter(p)]
        while stack:
            el = next(stack[-1], None)
            if el is None:
                stack.pop()
                continue
            tag = el.tag
            if not isinstance(tag, str) or tag in skip:
                continue
            if tag == f"{q}t":
                if el.text:
                    buf.append(el.text.translate(_CONTROL_TO_SPACE))
            elif tag == f"{q}tab" or tag == f"{q}ptab":
                buf.append(" ")
            elif tag in (f"{q}br", f"{q}cr"):
                flush()
            elif tag == f"{q}noBreakHyphen":
                buf.append("-")
            elif tag == f"{q}footnoteReference" or tag == f"{q}endnoteReference":
                self.footnotes += 1
            elif tag in (f"{q}drawing", f"{q}pict", f"{q}object"):
                if any(True for _ in el.iter(f"{q}txbxContent")):
                    self.textboxes += 1
                else:
                    flush()
                    out.append(("image", self._image_label(el)))
            elif tag == f"{q}r" and self._hidden(el):
                continue
            elif tag == f"{{{_MC}}}AlternateContent":
                choice = el.find(f"{{{_MC}}}Choice")
                target = choice if choice is not None else el.find(f"{{{_MC}}}Fallback")
                if target is not None and len(stack) < 64:
                    stack.append(iter(target))
            elif len(el) and len(stack) < 64:
                stack.append(iter(el))
        flush()
        return out

    def _hidden(self, run: Any) -> bool:
        q = self.q
        rpr = run.find(f"{q}rPr")
        if rpr is None:
            return False
        vanish = rpr.find(f"{q}vanish")
        return vanish is not None and vanish.get(f"{q}val", "true") not in ("0", "false", "off")

    def _cell_text(self, tc: Any) -> str:
        parts: list[str] = []
        for item in self._block_items(tc):
            if item.tag == f"{self.q}p":
                number = self._number(item)
                texts = [line for _k, line in self._inline(item)]
                parts.append(number + " ".join(texts))
        return " ".join(_WS.sub(" ", " ".join(parts)).split())

    def _table(self, tbl: Any, number: int) -> Iterator[Any] | None:
        """Emit a data table; for a layout table return the blocks to flow instead."""
        q = self.q
        rows: list[list[tuple[Any, int, str]]] = []  # (tc, span, merge) ; merge: "", "restart", "continue"
        before: list[int] = []
        layout = False
        width = 0
        for tr in self._rows(tbl):
            cells: list[tuple[Any, int, str]] = []
            trpr = tr.find(f"{q}trPr")
            skip = _int(_val(trpr, f"{q}gridBefore", q), 0) if trpr is not None else 0
            skip = max(0, min(skip, 64))
            row_width = skip
            for tc in self._cells(tr):
                tcpr = tc.find(f"{q}tcPr")
                span, merge = 1, ""
                if tcpr is not None:
                    span = max(1, min(_int(_val(tcpr, f"{q}gridSpan", q), 1), 64))
                    vm = tcpr.find(f"{q}vMerge")
                    if vm is not None:
                        merge = "restart" if vm.get(f"{q}val") == "restart" else "continue"
                    hm = tcpr.find(f"{q}hMerge")
                    if hm is not None and hm.get(f"{q}val") != "restart":
                        merge = "continue"
                if any(True for _ in tc.iter(f"{q}tbl")):
                    layout = True
                cells.append((tc, span, merge))
                row_width += span
            rows.append(cells)
            before.append(skip)
            width = max(width, row_width)
        if width <= 1:
            layout = True
        texts: list[list[str]] = []
        if not layout:
            for cells in rows:
                row_texts = []
                for tc, _span, merge in cells:
                    text = "" if merge == "continue" else self._cell_text(tc)
                    if len(text) > 500:
                        layout = True
                    row_texts.append(text)
                texts.append(row_texts)
        if layout:
            return self._layout_blocks(rows, number)
        for r, (cells, row_texts) in enumerate(zip(rows, texts, strict=True)):
            grid = [""] * width
            col = before[r]
            for (_tc, span, _merge), text in zip(cells, row_texts, strict=True):
                if col < width:
                    grid[col] = text
                col += span
            if not any(grid):
                continue
            start = self.length
            line = "\t".join(grid)
            self._emit(line)
            pos = start
            for c, text in enumerate(grid):
                if text:
                    self.logical.append((pos, pos + len(text), f"表{number} › 第{r + 1}行 › 第{c + 1}列"))
                pos += len(text) + 1
        return None

    def _layout_blocks(self, rows: list[list[tuple[Any, int, str]]], number: int) -> Iterator[Any]:
        """Flow a layout table's cells as blocks; cell paragraphs are labelled by the cell."""
        for r, cells in enumerate(rows):
            col = 0
            for tc, span, merge in cells:
                if merge != "continue":
                    label = f"表{number} › 第{r + 1}行 › 第{col + 1}列"
                    for item in self._block_items(tc):
                        if item.tag == f"{self.q}p":
                            self._paragraph(item, label)
                        else:
                            yield item
                col += span

    def _rows(self, tbl: Any) -> Iterator[Any]:
        yield from self._children_through(tbl, f"{self.q}tr")

    def _cells(self, tr: Any) -> Iterator[Any]:
        return self._children_through(tr, f"{self.q}tc")

    def _children_through(self, parent: Any, tag: str) -> Iterator[Any]:
        q = self.q
        stack = [iter(parent)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            if child.tag == tag:
                yield child
            elif child.tag in (f"{q}sdt", f"{q}sdtContent", f"{q}customXml") and len(stack) < 16:
                stack.append(iter(child))

    def text(self) -> str:
        return "".join(self.lines)


_CONTROL_TO_SPACE = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\x0b": " ", "\x0c": " "})


class DocxReader:
    """Reads a Word 2007+ report; see the module docstring for the text layout."""

    name = "docx"
    suffixes: tuple[str, ...] = (".docx",)

    def read(self, data: bytes, path: str, limits: Limits) -> SourceText:
        """Extract *data*.  Raise :class:`ReadError` for damaged, hostile or non-.docx input."""
        try:
            return self._read(data, limits)
        except ReadError:
            raise
        except MemoryError as exc:
            raise _size_error(len(data), limits) from exc
        except Exception as exc:  # the contract: nothing but ReadError escapes
            raise ReadError(Message(f"读取 .docx 时出错：{type(exc).__name__}: {exc}",
                                    f"error while reading the .docx: {type(exc).__name__}: {exc}")) from exc

    def _read(self, data: bytes, limits: Limits) -> SourceText:
        check_size(data, limits)
        if not data:
            raise ReadError(Message("文件为空", "the file is empty"))
        if data.startswith(_OLE):
            if "EncryptedPackage".encode("utf-16-le") in data:
                raise ReadError(Message("这是设有打开密码的加密 Word 文件，请取消密码后另存为 .docx",
                                        "this is a password-protected (encrypted) Word file; remove the password and save as .docx"))
            raise ReadError(Message("这是旧版 Word .doc 文件，请另存为 .docx",
                                    "this is a legacy Word .doc file; save it as .docx"))
        if not data.startswith(b"PK"):
            binary = sniff_binary(data)
            if binary is not None:
                raise binary
            head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
            if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
                raise ReadError(Message("这是一个 HTML 网页文件（扩展名却是 .docx），请改用 .html 扩展名",
                                        "this is an HTML file with a .docx suffix; rename it to .html"))
            if head.startswith(b"mime-version:"):
                raise ReadError(Message("这是 MHT 网页归档文件，不是 .docx；请在 Word 中另存为 .docx",
                                        "this is an MHT web archive, not a .docx; save it as .docx in Word"))
            raise _broken()
        _precheck_entries(data, limits)
        import zipfile

        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            infos = zf.infolist()
        except zipfile.LargeZipFile as exc:
            raise _broken(str(exc)) from exc
        except Exception as exc:  # BadZipFile, EOFError, struct.error, ValueError ...
            raise _broken() from exc
        with zf:
            if len(infos) > limits.max_docx_members:
                raise _members_error(len(infos), limits)
            total = sum(i.file_size for i in infos)
            if total > limits.max_docx_uncompressed_bytes:
                raise _size_error(total, limits)
            by_name = {i.filename: i for i in infos}
            main = self._main_part(zf, by_name, limits)
            raw = _read_part(zf, main, limits.max_docx_uncompressed_bytes, limits)
            root = _xml(raw, main.filename)
            w = next((ns for ns in _W_NAMESPACES if root.tag == f"{{{ns}}}document"), None)
            if w is None:
                raise ReadError(Message(f"{main.filename} 不是 Word 文档正文（根元素为 {root.tag}）",
                                        f"{main.filename} is not a Word document body (root {root.tag})"))
            # styles (heading names, numbering linked to styles) and numbering are read only when used
            styles_raw = self._optional(zf, by_name, "word/styles.xml", limits) if b"pStyle" in raw else None
            wants_numbering = b"numPr" in raw or (styles_raw is not None and b"numPr" in styles_raw)
            numbering_raw = self._optional(zf, by_name, "word/numbering.xml", limits) if wants_numbering else None
            styles = self._parse_optional(styles_raw, "word/styles.xml")
            numbering = self._parse_optional(numbering_raw, "word/numbering.xml")
        ex = _Extractor(w, styles, numbering)
        body = root.find(f"{{{w}}}body")
        if body is not None:
            ex.body(body)
        text = ex.text()
        if not text.strip():
            raise ReadError(Message("文档中没有文字", "the document contains no text"))
        notes: list[str] = []
        if ex.textboxes:
            notes.append(f"忽略了 {ex.textboxes} 个文本框中的文字 / text in {ex.textboxes} text box(es) was not read")
        if ex.footnotes:
            notes.append(f"未读取 {ex.footnotes} 处脚注/尾注 / {ex.footnotes} footnote(s)/endnote(s) were not read")
        return SourceText(
            text=text, reader=self.name, encoding=None, source=text, offsets=None,
            coordinates="extracted-text", logical=ex.logical, notes=notes,
        )

    @staticmethod
    def _main_part(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], limits: Limits) -> zipfile.ZipInfo:
        if _MAIN in by_name:
            return by_name[_MAIN]
        rels = by_name.get("_rels/.rels")
        if rels is not None:
            try:
                root = _xml(_read_part(zf, rels, min(limits.max_docx_uncompressed_bytes, 1 << 20), limits),
                            "_rels/.rels")
            except ReadError:
                root = None
            if root is not None:
                for rel in root:
                    if _REL_OFFICE.search(rel.get("Type", "")):
                        target = rel.get("Target", "").lstrip("/")
                        if target in by_name:
                            return by_name[target]
        lower = {name.lower(): info for name, info in by_name.items()}
        if _MAIN in lower:
            return lower[_MAIN]
        if "xl/workbook.xml" in lower:
            raise ReadError(Message("这是 Excel .xlsx 文件，不是 Word .docx", "this is an Excel .xlsx file, not a Word .docx"))
        if "ppt/presentation.xml" in lower:
            raise ReadError(Message("这是 PowerPoint .pptx 文件，不是 Word .docx",
                                    "this is a PowerPoint .pptx file, not a Word .docx"))
        if "mimetype" in lower or "content.xml" in lower:
            raise ReadError(Message("这是 OpenDocument（.odt 等）文件，请另存为 .docx",
                                    "this is an OpenDocument (.odt) file; save it as .docx"))
        raise ReadError(Message("不是有效的 .docx 文件：缺少主文档 word/document.xml",
                                "not a valid .docx file: the main part word/document.xml is missing"))

    @staticmethod
    def _optional(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], name: str,
                  limits: Limits) -> bytes | None:
        info = by_name.get(name)
        if info is None:
            return None
        try:
            return _read_part(zf, info, limits.max_docx_uncompressed_bytes, limits)
        except ReadError:
            return None  # styles and numbering are optional refinements

    @staticmethod
    def _parse_optional(raw: bytes | None, name: str) -> Any:
        if raw is None:
            return None
        try:
            return _xml(raw, name)
        except ReadError:
            return None


@hookimpl
def gklint_readers() -> list[DocxReader]:
    return [DocxReader()]
