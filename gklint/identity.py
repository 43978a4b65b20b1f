"""Who published a report and for which year, and which earlier report goes with it.

:func:`identify` works out a document's agency and report year, with the evidence
for each (``gklint inspect`` shows them).  The agency is taken, in this order, from
the title (the words before the year: ``东平市工业和信息化局2023年政府信息公开工作年度报告``,
or between the year and ``政府信息公开``), a ``发布机构：`` line, or the introduction
(``本报告由…编制``, ``…坚持以…``); the year from the title, else the statistics period.

:func:`agency_key` normalises a name so that the ways one agency is written compare
equal: full-width and half-width forms, white space and punctuation dropped,
``人民政府`` → ``政府``, the abbreviations of ``agency-names.abbreviations`` in the
standard data (``rules/agencies.toml``: ``工信局`` → ``工业和信息化局``).
:func:`region_free` is the name without its region prefix (``东平市``, ``山东省东平市``);
:func:`pair_reports` uses it to join a name written without its region to the one
agency of the batch that has it.

This module is part of the core: it reads no rule, and rules read it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gklint.findings import Message
from gklint.lazyre import lazy
from gklint.schema import MapOf, Table, Text, parse_items

if TYPE_CHECKING:
    from gklint.data import StandardData
    from gklint.model import Document, Span

__all__ = ["Identity", "agency_key", "identify", "identify_text", "pair_reports", "quick_text", "region_free"]

#: The data key (``rules/agencies.toml``) with the abbreviations of agency names.
DATA_KEY = "agency-names"

_YEAR = lazy(r"((?:19|20)\d{2})\s*年(?:度)?")
_REPORT_TAIL = lazy(r"(?:本?(?:机关|部门|单位))?(?:政府信息公开|政务公开|信息公开)?(?:工作)?(?:年度)?(?:工作)?报告.*$")
_PUBLISHER = lazy(r"发布机构\s*[:：]\s*\|?\s*([^|\n\r]+)")
_BY = lazy(r"本(?:年度)?报告由([^，,。；;（(\n]{2,40}?)(?:负责)?(?:编制|编写|发布|制作)")
_OPENING = lazy(r"(?:^|[。\n])\s*(?:(?:19|20)\d{2}年(?:度)?[，,]\s*)?([^，,。；;：:\n]{3,40}?(?:局|委员会|委|办公室|办|厅|院|政府|中心|署|会|所|部|处|站|队))"
                      r"(?:深入|认真|坚持|全面|始终|紧紧|严格|积极|扎实|以)")
_PERIOD_YEAR = lazy(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_DROP = lazy(r"[\s\u3000\xa0·•．.,，、:：;；\"'“”‘’《》〈〉()（）\[\]【】<>\-—_/|]+")
_REGION = lazy(
    r"^(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,7}?(?:市|自治州|州|盟|地区))?"
    r"(?:[\u4e00-\u9fff]{2,7}?(?:区|县|旗|市))?"
)
_DEFAULT_ABBREVIATIONS: tuple[tuple[str, str], ...] = (("人民政府", "政府"),)


@dataclass(slots=True)
class Identity:
    """A report's agency and year, with where each came from.

    :ivar agency: the name as written (``""``: not found).
    :ivar key: :func:`agency_key` of it (``""``: not found).
    :ivar year: the report year (``None``: not found).
    :ivar evidence: ``(what, source, text, span)``: ``what`` is ``agency`` or ``year``;
        ``source`` is ``title``, ``publisher``, ``introduction`` or ``period``.
    """

    agency: str = ""
    key: str = ""
    year: int | None = None
    evidence: list[tuple[str, str, str, Span | None]] = field(default_factory=list)

    def as_dict(self, doc: Document | None = None) -> dict[str, Any]:
        def at(span: Span | None) -> str | None:
            return doc.place(span) if doc is not None else None

        return {
            "agency": self.agency,
            "agency_key": self.key,
            "year": self.year,
            "evidence": [{"for": what, "source": source, "text": text, "at": at(span)}
                         for what, source, text, span in self.evidence],
        }


def _abbreviations(data: StandardData | None) -> tuple[tuple[str, str], ...]:
    if data is None:
        return _DEFAULT_ABBREVIATIONS

    def build(d: StandardData) -> tuple[tuple[str, str], ...]:
        pairs = list(_DEFAULT_ABBREVIATIONS)
        for _file, table in parse_items(d, DATA_KEY, agency_names_schema()):
            pairs.extend((_fold(full), _fold(short)) for short, full in table["abbreviations"].items())
        # longer names first, so 工业和信息化局 is replaced before a part of it could be
        return tuple(sorted(set(pairs), key=lambda p: -len(p[0])))

    return data.derived("identity.abbreviations", build)


def agency_names_schema() -> Table:
    """The schema of ``[agency-names]``: ``abbreviations``, short form = full form."""
    name = Text(nonempty=True, noun=Message("非空的机关名称", "a non-empty agency name"))
    return Table({"abbreviations": MapOf(name, key=name, default={})})


def _fold(name: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", name))


def agency_key(name: str, data: StandardData | None = None) -> str:
    """The comparable form of an agency name: folded, no white space or punctuation, 全称 → 简称."""
    key = _fold(name)
    for full, short in _abbreviations(data):
        key = key.replace(full, short)
    return key


def region_free(key: str) -> str:
    """*key* (an :func:`agency_key`) without its region prefix; *key* itself when nothing is left after it."""
    m = _REGION.match(key)
    rest = key[m.end():] if m else key
    return rest if len(rest) >= 2 else key


def _clean_agency(text: str) -> str:
    text = text.strip().strip("：:|").strip()
    return text if 2 <= len(text) <= 40 else ""


def _from_title(title: str) -> tuple[str, int | None]:
    m = _YEAR.search(title)
    if not m:
        return "", None
    year = int(m.group(1))
    before = _clean_agency(title[: m.start()])
    if before:
        return before, year
    after = _REPORT_TAIL.sub("", title[m.end():])
    return _clean_agency(after), year


def identify(doc: Document, data: StandardData | None = None) -> Identity:
    """The agency and year of *doc*, with evidence (see the module docstring)."""
    from gklint.model import Span

    meta = doc.metadata
    out = Identity()
    if meta.title:
        agency, year = _from_title(meta.title)
        if agency:
            out.agency = agency
            out.evidence.append(("agency", "title", meta.title, meta.title_span))
        if year is not None:
            out.year = year
            out.evidence.append(("year", "title", meta.title, meta.title_span))
    head_end = doc.sections[0].heading_span.start if doc.sections else min(len(doc.text), 3000)
    if not out.agency:
        m = _PUBLISHER.search(doc.text, 0, head_end)
        if m and (agency := _clean_agency(m.group(1))):
            out.agency = agency
            out.evidence.append(("agency", "publisher", m.group().strip(), Span(m.start(), m.end())))
    if not out.agency:
        texts = [(p.text, p.span) for p in meta.intro]
        overview = doc.section("overview")
        if overview is not None:
            texts += [(p.text, p.span) for p in overview.paragraphs[:2]]
        for text, span in texts:
            m = _BY.search(text) or _OPENING.search(text)
            if m and (agency := _clean_agency(m.group(1))):
                out.agency = agency
                out.evidence.append(("agency", "introduction", m.group().strip("。\n "), span))
                break
    if out.year is None and meta.year_from_period is not None:
        out.year = meta.year_from_period
        out.evidence.append(("year", "period", meta.period_text, meta.period_span))
    out.key = agency_key(out.agency, data) if out.agency else ""
    return out


def identify_text(text: str, data: StandardData | None = None) -> Identity:
    """:func:`identify` from the first lines of a report's text alone, without building its document.

    Used to pair the reports of a batch before they are checked; it reads the same
    places (title lines, ``发布机构``, the introduction, the statistics period).
    """
    head = text[:4000]
    heading = re.search(r"(?:^|\n)[ \t\u3000]*一[ \t\u3000]*[、.．]", head)
    if heading:
        head = head[: heading.start()]
    out = Identity()
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    for i, line in enumerate(lines[:12]):
        if "报告" in line and len(line) <= 60 and ("年" in line or "信息公开" in line) and "根据" not in line:
            title = line
            if i > 0 and len(lines[i - 1]) <= 30 and not lines[i - 1].endswith("。") and not re.search("[:：|]", lines[i - 1]):
                title = lines[i - 1] + line
            agency, year = _from_title(title)
            if agency:
                out.agency = agency
                out.evidence.append(("agency", "title", title, None))
            if year is not None:
                out.year = year
                out.evidence.append(("year", "title", title, None))
            break
    if not out.agency:
        m = _PUBLISHER.search(head)
        if m and (agency := _clean_agency(m.group(1))):
            out.agency = agency
            out.evidence.append(("agency", "publisher", m.group().strip(), None))
    if not out.agency:
        m = _BY.search(head)
        if m and (agency := _clean_agency(m.group(1))):
            out.agency = agency
            out.evidence.append(("agency", "introduction", m.group(), None))
    if out.year is None:
        m = _PERIOD_YEAR.search(text[:8000])
        if m:
            out.year = int(m.group(1))
            out.evidence.append(("year", "period", m.group(), None))
    out.key = agency_key(out.agency, data) if out.agency else ""
    return out


_SKIP_BLOCKS = lazy(rb"<(script|style|head)\b.*?</\1\s*>", re.S | re.I)
_BLOCK_TAGS = lazy(rb"<(?:/?(?:p|div|br|tr|h[1-6]|li|table|section|article)|w:p|w:br|w:tab)\b[^>]*>", re.I)
_TAG = lazy(rb"<[^>]*>")
_HEAD_BYTES = 256 * 1024


def quick_text(data: bytes, suffix: str) -> str | None:
    """The beginning of an .html/.htm, .docx or .pdf file as plain text (tags stripped by pattern; a
    PDF's first two pages), for
    :func:`identify_text` (the readers build the whole table structure, which identifying a report
    does not need).  ``None`` for other kinds of file."""
    import html

    if suffix == ".pdf":
        return _pdf_head(data)
    if suffix == ".docx":
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z, z.open("word/document.xml") as fh:
                raw = fh.read(_HEAD_BYTES)
        except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
            return None
        encoding = "utf-8"
    elif suffix in (".html", ".htm"):
        raw = data[:_HEAD_BYTES]
        m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", raw[:4096])
        encoding = m.group(1).decode("ascii") if m else "utf-8"
    else:
        return None
    raw = _TAG.sub(b"", _BLOCK_TAGS.sub(b"\n", _SKIP_BLOCKS.sub(b"", raw)))
    try:
        text = raw.decode(encoding, "replace")
    except LookupError:
        text = raw.decode("utf-8", "replace")
    return html.unescape(text)


def _pdf_head(data: bytes) -> str | None:
    """The text of the first two pages of a PDF (``None`` when it cannot be had cheaply)."""
    try:
        import io

        import pdfplumber
    except ImportError:
        return None
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages[:2])
    except Exception:  # a damaged or encrypted file: the reader reports it when the file is linted
        return None


def merge_region_free(keys: Iterable[str]) -> dict[str, str]:
    """Map each key to the agency it stands for: a name written without its region
    (``工业和信息化局``) joins the one key of the batch that is that name with a region
    prefix (``东平市工业和信息化局``); with none or several, it stays itself."""
    keys = set(keys)
    by_rest: dict[str, set[str]] = {}
    for key in keys:
        rest = region_free(key)
        if rest != key:
            by_rest.setdefault(rest, set()).add(key)
    out = {}
    for key in keys:
        full = by_rest.get(key)
        out[key] = next(iter(full)) if full and len(full) == 1 else key
    return out


def pair_reports(reports: Sequence[tuple[str, str, int | None]]) -> dict[str, str]:
    """Pair ``(name, agency key, year)`` reports with the same agency's report of the year before.

    Returns ``{name: earlier name}``.  A report is paired only when its agency and year
    are known and exactly one report of that agency has the year before and exactly one
    has its own year (several reports of one agency and year are not told apart, so none
    of them is paired; reports of the same year are never paired).
    """
    canon = merge_region_free(key for _, key, _ in reports if key)
    groups: dict[tuple[str, int], list[str]] = {}
    for name, key, year in reports:
        if key and year is not None:
            groups.setdefault((canon[key], year), []).append(name)
    pairs: dict[str, str] = {}
    for (key, year), names in groups.items():
        before = groups.get((key, year - 1))
        if len(names) == 1 and before is not None and len(before) == 1:
            pairs[names[0]] = before[0]
    return pairs
