"""Apply safe fixes to a report file: ``--fix`` and ``--diff``.

Contract:

* Only findings whose fix is marked safe (``Finding.fix_safe``) and that are not
  suppressed are applied; a fix that would change a digit is refused whatever the rule says.
* The file is read again, decoded with the same reader and linted; fixes are placed
  in the decoded source by their locations (line/column), and a fix is applied only
  where the source holds exactly the text the rule saw.  Overlapping fixes: the first
  is applied, the others wait for the next round; rounds repeat (at most
  :data:`MAX_ROUNDS`) until nothing more applies, so a second ``--fix`` changes nothing.
* ``.txt``: the new text is encoded with the file's encoding and byte-order mark;
  line ends are untouched (a fix never spans one).  A file whose bytes do not
  round-trip through its encoding is not touched.
* ``.html``: text nodes only; a fix whose source range crosses a tag or an entity is refused.
  The replacement is HTML-escaped.
* ``.docx``: the text is changed inside the ``w:t`` nodes of ``word/document.xml``
  (across runs of one paragraph if needed; the replaced part takes the formatting of
  its first run); every other zip member is copied unchanged.  Each change is checked
  by extracting the text again; a fix that cannot be placed exactly is refused.
* :func:`fix_file` writes atomically (temporary file in the same directory, then a
  rename; the file's mode, owner and group are kept) and only when the bytes changed.
  It refuses a read-only file unless forced, and a file with several hard links
  always (the rename would split the link).
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import html
import io
import os
import re
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gklint.atomic import write_bytes_atomic
from gklint.engine import check
from gklint.findings import Finding, Message
from gklint.positions import line_starts, offset_of

if TYPE_CHECKING:
    from gklint.api import Linter
    from gklint.model import Document

__all__ = ["MAX_ROUNDS", "FixError", "FixOutcome", "Refusal", "diff_text", "fix_bytes", "fix_file"]

MAX_ROUNDS = 8
_DIGITS = re.compile(r"[0-9０-９]+")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class FixError(Exception):
    """The file cannot be fixed at all (unreadable, encoding does not round-trip, damaged zip)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass(frozen=True, slots=True)
class Refusal:
    """A safe fix that was not applied, and why."""

    rule_id: str
    line: int
    column: int
    message: Message


@dataclass(slots=True)
class FixOutcome:
    """What fixing one file did.  ``fixed == original`` when nothing changed."""

    path: str
    original: bytes
    fixed: bytes
    applied: int = 0
    refused: list[Refusal] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int  # offsets in Document.source
    end: int
    original: str
    replacement: str
    finding: Finding


# -- planning: findings -> edits in source coordinates ----------------------------------


def _refusal(finding: Finding, zh: str, en: str) -> Refusal:
    loc = finding.fix[0] if finding.fix is not None else finding.location
    return Refusal(finding.rule_id, loc.start_line, loc.start_column, Message(zh, en))


def _plan(doc: Document, findings: Sequence[Finding]) -> tuple[list[_Edit], list[Refusal]]:
    """Edits for the safe fixes of *findings*, and refusals for those that cannot be placed."""
    starts = line_starts(doc.source)
    offsets = doc.offsets
    edits: list[_Edit] = []
    refused: list[Refusal] = []
    for finding in findings:
        if finding.fix is None or not finding.fix_safe:
            continue
        loc, replacement, _description = finding.fix
        original = loc.snippet
        if _DIGITS.findall(original) != _DIGITS.findall(replacement):
            refused.append(_refusal(finding, f"修复会改动数字（“{original}”→“{replacement}”），未自动修改",
                                    f"the fix would change a number ({original!r} -> {replacement!r}); not applied"))
            continue
        if any(ch in "\r\n" for ch in original + replacement):
            refused.append(_refusal(finding, "修复跨越了行尾，未自动修改", "the fix spans a line end; not applied"))
            continue
        start = offset_of(starts, loc.start_line, loc.start_column)
        end = start + len(original) if offsets is None else _source_end(doc, start, original)
        if end < 0 or doc.source[start:end] != original:
            if doc.reader == "html":
                zh = f"“{original}”在 HTML 源码中跨越标签、字符实体或换行，不能安全地自动修改，请手工修改"
                en = f"{original!r} crosses a tag, an entity or a line break in the HTML source; fix it by hand"
            else:
                zh = f"在源文件中找不到“{original}”的原文，未自动修改"
                en = f"{original!r} is not in the source as read; not applied"
            refused.append(_refusal(finding, zh, en))
            continue
        if doc.reader == "html":
            replacement = html.escape(replacement, quote=False)
        edits.append(_Edit(start, end, original, replacement, finding))
    return edits, refused


def _source_end(doc: Document, start: int, original: str) -> int:
    """Source offset after the last character of *original* found at source offset *start*; -1 if it is not there."""
    offsets = doc.offsets
    assert offsets is not None
    i = bisect.bisect_left(offsets, start)
    while i < len(offsets) and offsets[i] == start:  # separators may share a source offset
        if doc.text.startswith(original, i):
            return offsets[i + len(original) - 1] + 1 if original else start
        i += 1
    return -1


def _non_overlapping(edits: list[_Edit]) -> list[_Edit]:
    """The edits to apply this round: the first of overlapping ones (by position, then rule)."""
    chosen: list[_Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end, e.finding.rule_id)):
        if chosen and edit.start < chosen[-1].end:
            continue
        if chosen and edit.start == edit.end == chosen[-1].end == chosen[-1].start:
            continue  # two insertions at one place
        if any(e.start == edit.start and e.end == edit.end and e.replacement == edit.replacement for e in chosen):
            continue
        chosen.append(edit)
    return chosen


def _splice(text: str, edits: Sequence[_Edit]) -> str:
    out = []
    pos = 0
    for edit in sorted(edits, key=lambda e: e.start):
        out.append(text[pos:edit.start])
        out.append(edit.replacement)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


# -- text and HTML: encode as the file was encoded --------------------------------------------


def _codec(data: bytes, encoding: str | None) -> tuple[bytes, str]:
    """``(bom, codec)`` to write a file read as *encoding* with the same bytes around the text."""
    enc = (encoding or "utf-8").lower()
    for bom, name, codec in _BOMS:
        if data.startswith(bom) and enc in (name, codec):
            return bom, codec
    return b"", "utf-8" if enc == "utf-8-sig" else enc


def _encode_source(doc: Document, data: bytes, new_source: str, edits: list[_Edit],
                   refused: list[Refusal]) -> tuple[bytes, list[_Edit]]:
    bom, codec = _codec(data, doc.encoding)
    try:
        same = bom + doc.source.encode(codec) == data
    except (LookupError, UnicodeEncodeError):
        same = False
    if not same:
        raise FixError(Message(
            f"文件无法按原编码 {doc.encoding} 原样写回（部分字节不能往返转换），未修改",
            f"the file does not round-trip through its encoding {doc.encoding}; not changed"))
    good = []
    for edit in edits:
        try:
            edit.replacement.encode(codec)
        except UnicodeEncodeError:
            refused.append(_refusal(edit.finding, f"“{edit.replacement}”无法用文件的编码 {doc.encoding} 表示，未自动修改",
                                    f"{edit.replacement!r} cannot be written in the file's encoding {doc.encoding}"))
            continue
        good.append(edit)
    if len(good) != len(edits):
        new_source = _splice(doc.source, good)
    return bom + new_source.encode(codec), good


# -- docx: edit w:t nodes ------------------------------------------------------------------


def _xml_parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=False, remove_pis=False, remove_blank_text=False)


def _visible_paragraphs(root: Any) -> list[list[Any]]:
    """Per body paragraph (document order), its ``w:t`` nodes as the reader reads them."""
    q = f"{{{_W}}}"
    skip = {f"{q}del", f"{q}moveFrom", f"{q}txbxContent", "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
    out: list[list[Any]] = []

    def hidden(run: Any) -> bool:
        rpr = run.find(f"{q}rPr")
        vanish = rpr.find(f"{q}vanish") if rpr is not None else None
        return vanish is not None and vanish.get(f"{q}val", "true") not in ("0", "false", "off")

    for p in root.iter(f"{q}p"):
        if any(a.tag in skip for a in p.iterancestors()):
            continue
        nodes = []
        for t in p.iter(f"{q}t"):
            ancestors = []
            for a in t.iterancestors():
                if a is p:
                    break
                ancestors.append(a)
            if any(a.tag in skip or a.tag == f"{q}p" or (a.tag == f"{q}r" and hidden(a)) for a in ancestors):
                continue
            nodes.append(t)
        out.append(nodes)
    return out


def _occurrences(text: str, needle: str) -> list[int]:
    found, i = [], text.find(needle)
    while i >= 0:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def _edit_nodes(nodes: list[Any], at: int, original: str, replacement: str) -> None:
    """Replace ``original`` at char *at* of the nodes' joined text, touching as little as possible."""
    pre = 0
    while pre < min(len(original), len(replacement)) and original[pre] == replacement[pre]:
        pre += 1
    suf = 0
    while (suf < min(len(original), len(replacement)) - pre
           and original[len(original) - 1 - suf] == replacement[len(replacement) - 1 - suf]):
        suf += 1
    a, b = at + pre, at + len(original) - suf
    new = replacement[pre:len(replacement) - suf]
    chars = [(n, k) for n in nodes for k in range(len(n.text or ""))]
    texts = {id(n): list(n.text or "") for n in nodes}
    if a < b:
        first_node, first_k = chars[a]
        for node, k in chars[a:b]:
            texts[id(node)][k] = ""
        texts[id(first_node)][first_k] = new
    elif a > 0:
        node, k = chars[a - 1]
        texts[id(node)][k] += new
    else:
        node, k = chars[0]
        texts[id(node)][k] = new + texts[id(node)][k]
    for node in nodes:
        value = "".join(texts[id(node)])
        if value != (node.text or ""):
            node.text = value
            if value != value.strip():
                node.set(_XML_SPACE, "preserve")


def _widen(source: str, edit: _Edit) -> tuple[int, str, str]:
    """Give an insertion a character of context so it can be found: ``(start, original, replacement)``."""
    if edit.original:
        return edit.start, edit.original, edit.replacement
    if edit.end < len(source) and source[edit.end] not in "\r\n":
        return edit.start, source[edit.end], edit.replacement + source[edit.end]
    if edit.start > 0 and source[edit.start - 1] not in "\r\n":
        return edit.start - 1, source[edit.start - 1], source[edit.start - 1] + edit.replacement
    return edit.start, "", edit.replacement


def _rezip(data: bytes, member: str, content: bytes) -> bytes:
    """*data* (a zip) with *member* replaced; every other member copied with its metadata."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = content if info.filename == member else src.read(info)
            dst.writestr(info, body, compress_type=info.compress_type)
    return out.getvalue()


def _fix_docx(linter: Linter, doc: Document, data: bytes, edits: list[_Edit],
              refused: list[Refusal]) -> tuple[bytes, list[_Edit]]:
    from lxml import etree

    from gklint.readers.base import ReadError
    from gklint.readers.docx import DocxReader

    member = "word/document.xml"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            raw = zf.read(member)
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise FixError(Message(f"无法修改此 .docx（{type(exc).__name__}），未修改",
                               f"cannot edit this .docx ({type(exc).__name__}); not changed")) from None
    reader = DocxReader()
    source = doc.source
    current, current_raw = data, raw
    applied: list[_Edit] = []
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):  # later edits first: offsets stay valid
        start, original, replacement = _widen(source, edit)
        expected = source[:start] + replacement + source[start + len(original):]
        candidate = None
        if original:
            k = sum(1 for i in _occurrences(source, original) if i < start)
            root = etree.fromstring(current_raw, _xml_parser())
            seen = 0
            for nodes in _visible_paragraphs(root):
                joined = "".join(n.text or "" for n in nodes)
                hits = _occurrences(joined, original)
                if seen + len(hits) > k:
                    _edit_nodes(nodes, hits[k - seen], original, replacement)
                    tree = root.getroottree()
                    candidate_raw = etree.tostring(tree, xml_declaration=True, encoding="UTF-8",
                                                   standalone=tree.docinfo.standalone)
                    candidate = (_rezip(current, member, candidate_raw), candidate_raw)
                    break
                seen += len(hits)
        ok = False
        if candidate is not None:
            try:
                ok = reader.read(candidate[0], doc.path, linter.config.limits).text == expected
            except ReadError:
                ok = False
        if not ok or candidate is None:
            refused.append(_refusal(edit.finding,
                                    f"在 Word 文档中无法准确定位“{edit.original or edit.replacement}”（可能拆在域代码、"
                                    "修订或编号中），请在 Word 中手工修改",
                                    f"cannot place {edit.original or edit.replacement!r} exactly in the Word document "
                                    "(field code, revision or list number); fix it in Word"))
            continue
        current, current_raw = candidate
        source = expected
        applied.append(edit)
    return current, applied


# -- rounds ----------------------------------------------------------------------------------


def _read(linter: Linter, data: bytes, filename: str) -> Document:
    doc, result = linter.read_document(data, filename)
    if doc is None:
        note = result.notifications[0].message if result.notifications else Message("无法读取", "unreadable")
        raise FixError(note)
    return doc


def fix_bytes(linter: Linter, data: bytes, filename: str) -> FixOutcome:
    """Apply the safe fixes to the contents *data* of file *filename*; nothing is written.

    :raises FixError: the file cannot be read, or cannot be written back as it was encoded.
    """
    outcome = FixOutcome(filename, data, data)
    seen = {data}
    for _round in range(MAX_ROUNDS):
        doc = _read(linter, outcome.fixed, filename)
        if doc.reader == "pdf":
            raise FixError(Message(
                "PDF 是排版后的成品，gklint 不修改 PDF；请在原始的 .docx/.html 中修改后重新生成 PDF，未修改",
                "a PDF is a finished print that gklint does not edit; fix the source .docx/.html and print it "
                "again; not changed"))
        checked = check(doc, linter.active_for(doc))
        edits, refused = _plan(doc, checked.findings)
        chosen = _non_overlapping(edits)
        if doc.reader == "docx":
            new, applied = _fix_docx(linter, doc, outcome.fixed, chosen, refused) if chosen else (outcome.fixed, [])
        elif chosen:
            new, applied = _encode_source(doc, outcome.fixed, _splice(doc.source, chosen), chosen, refused)
        else:
            new, applied = outcome.fixed, []
        outcome.refused = refused
        if not applied or new in seen:
            break
        seen.add(new)
        outcome.fixed = new
        outcome.applied += len(applied)
    return outcome


def fix_file(linter: Linter, path: str | os.PathLike[str], display: str | None = None, *,
             write: bool = True, force: bool = False) -> FixOutcome:
    """Fix one file in place (only when something changed); *write=False* only computes the outcome.

    A read-only file (no write permission for its owner, or none for this user) is refused
    unless *force*; a file with more than one hard link is always refused (replacing it would
    split the link, and writing into it would not be atomic).  Owner, group and mode are kept.

    :raises FixError: as :func:`fix_bytes`, a read-only file or hard link, or the file changed
        while it was being fixed.
    :raises OSError: the file cannot be read or written.
    """
    target = Path(path)
    shown = display or os.fspath(path)
    data = target.read_bytes()
    outcome = fix_bytes(linter, data, shown)
    if write and outcome.changed:
        st = os.stat(target)
        if st.st_nlink > 1:
            raise FixError(Message(
                f"文件有 {st.st_nlink} 个硬链接，替换它会拆开这些链接，未写入（请先复制出一个单独的文件再修复）",
                f"the file has {st.st_nlink} hard links, which replacing it would split; not written "
                "(fix a separate copy)"))
        if not force and (not st.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK)):
            raise FixError(Message("文件是只读的，未写入（确需修复请加 --force）",
                                   "the file is read-only; not written (add --force to fix it anyway)"))
        if target.read_bytes() != data:
            raise FixError(Message("文件在修复期间被其他程序修改，未写入", "the file changed while it was being fixed; not written"))
        write_bytes_atomic(target, outcome.fixed)
    return outcome


# -- diff ---------------------------------------------------------------------------------


def diff_text(linter: Linter, outcome: FixOutcome) -> str:
    """A unified diff of *outcome*: the decoded text (.txt, .html) or the extracted paragraphs (.docx)."""
    if not outcome.changed:
        return ""
    before = _read(linter, outcome.original, outcome.path).source
    after = _read(linter, outcome.fixed, outcome.path).source
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(),
                                 f"a/{outcome.path}", f"b/{outcome.path}", lineterm="")
    return "\n".join(lines) + "\n"
