"""The document model: what readers build and what rules read.

Every piece of a report (heading, paragraph, table cell) carries a :class:`Span`,
a pair of code-point offsets into :attr:`Document.text`.  ``Document.position``
turns an offset into a 1-based line and column *in the coordinates the user can
open*: the decoded file for ``.txt`` and ``.html`` (so an HTML finding points
into the HTML source), the extracted text for ``.docx`` (see
:attr:`Document.coordinates`).  Columns count Unicode code points, so a 汉字
or a supplementary character such as 𠀀 is one column.

The model is built once per document and not changed afterwards; rules only read it.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal, NamedTuple, cast

from gklint.normalize import Normalized, normalize
from gklint.positions import line_starts

__all__ = [
    "Cell",
    "CellKind",
    "Document",
    "Facts",
    "HeaderLabel",
    "Heading",
    "LayoutInfo",
    "LayoutMarker",
    "Metadata",
    "Paragraph",
    "Period",
    "PeriodStatement",
    "Position",
    "Row",
    "Section",
    "SourceText",
    "Span",
    "Table",
    "TableStatus",
]


class _SpanFields(NamedTuple):
    start: int
    end: int


class Span(_SpanFields):
    """Half-open range ``[start, end)`` of code-point offsets into ``Document.text``.

    Immutable, hashable and ordered by ``(start, end)``; a tuple underneath
    (documents have hundreds of spans, and a tuple is the cheapest to make).
    """

    __slots__ = ()

    def __new__(cls, start: int, end: int) -> Span:
        if start < 0 or end < start:
            raise ValueError(f"bad span {start}..{end}")
        return tuple.__new__(cls, (start, end))

    def __repr__(self) -> str:
        return f"Span(start={self.start}, end={self.end})"


class _IntervalIndex:
    """Which of a list of half-open intervals ``[start, end)`` holding a point comes first in the list.

    Built once in O(n log n) by a sweep that gives each stretch between two interval ends the
    earliest interval covering it; :meth:`find` is then a binary search.  Intervals may overlap.
    """

    __slots__ = ("_starts", "_values")

    def __init__(self, intervals: Sequence[tuple[int, int, object]]) -> None:
        opening = sorted((start, order) for order, (start, end, _) in enumerate(intervals) if end > start)
        bounds = sorted({b for start, end, _ in intervals if end > start for b in (start, end)})
        self._starts: list[int] = []
        self._values: list[object] = []
        live: list[tuple[int, int]] = []  # (order, end)
        i = 0
        for bound in bounds:
            while i < len(opening) and opening[i][0] == bound:
                order = opening[i][1]
                heapq.heappush(live, (order, intervals[order][1]))
                i += 1
            while live and live[0][1] <= bound:
                heapq.heappop(live)
            self._starts.append(bound)
            self._values.append(intervals[live[0][0]][2] if live else None)

    def find(self, at: int) -> object:
        """The value of the first interval holding *at*, or ``None``."""
        i = bisect.bisect_right(self._starts, at) - 1
        return self._values[i] if i >= 0 else None


class Position(NamedTuple):
    """1-based line and column (Unicode code points) in the user's coordinates."""

    line: int
    column: int


@dataclass(slots=True)
class SourceText:
    """What a reader produces: linear text plus the way back to the source.

    ``text`` is what the structure builder reads.  Table cells are separated by
    ``\\t`` and table rows by ``\\n`` when the reader knows the table structure
    (HTML, docx); a text reader passes the decoded file unchanged.

    ``source`` is the decoded text that line/column numbers refer to, and
    ``offsets[i]`` is the offset in ``source`` of ``text[i]`` (``offsets`` has
    ``len(text) + 1`` entries; ``None`` means ``text is source``).

    ``logical`` optionally lists ``(start, end, label)`` structural labels
    (``"第12段"``, ``"表3 › 第4行 › 第2列"``) covering parts of ``text``;
    they are appended to logical paths.
    """

    text: str
    reader: str
    encoding: str | None = None
    source: str | None = None
    offsets: Sequence[int] | None = None
    coordinates: Literal["source", "extracted-text"] = "source"
    logical: list[tuple[int, int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: what the reader repaired in text that had lost its shape (see :mod:`gklint.reflow`); empty if nothing
    repairs: tuple[str, ...] = ()


class CellKind(StrEnum):
    """How a cell's text parsed."""

    INT = "int"
    DECIMAL = "decimal"
    BLANK = "blank"  # present but empty, or a dash / slash placeholder
    INVALID = "invalid"  # text that is not a number (``无``, ``1O``)
    MISSING = "missing"  # the template expects a cell here and none was found


class TableStatus(StrEnum):
    FOUND = "found"
    IMAGE = "image"  # only an image placeholder where the table should be
    ABSENT = "absent"
    #: the table is there but its cells cannot be told apart with confidence (text that lost its
    #: shape); ``Table.notes`` holds the reasons.  No rule checks its values.
    UNREADABLE = "unreadable"


@dataclass(slots=True)
class Cell:
    """One data cell of a statistical table, keyed by its canonical labels."""

    row_id: str
    row_label: str  # canonical label from the template (or the text found, for extra rows)
    column_id: str
    column_label: str
    text: str
    kind: CellKind
    value: int | Decimal | None
    span: Span | None
    unit: str = ""  # trailing unit written in the cell, e.g. ``万元``
    extra: bool = False  # a cell the template does not have

    @property
    def number(self) -> int | Decimal:
        """The value for arithmetic: blank, missing and invalid cells count as 0."""
        return self.value if self.value is not None else 0


@dataclass(slots=True)
class Row:
    """A table row: its canonical label, the label as written, and its cells."""

    id: str
    label: str  # canonical
    found_label: str  # as written in the report (normalised whitespace)
    label_span: Span | None
    cells: list[Cell]
    group: str = ""  # canonical label of the group row it belongs to (``（三）不予公开``)
    extra: bool = False  # not in the template
    label_matched: Literal["exact", "variant", "fuzzy", "missing", "extra"] = "exact"


@dataclass(slots=True)
class HeaderLabel:
    """A column (or block caption) label of a table as found against the template."""

    column_id: str
    label: str  # canonical
    found_label: str
    span: Span | None
    matched: Literal["exact", "variant", "fuzzy", "missing"]
    block: str = ""  # table 2 block id ("art20_1"), or "caption" entries use column_id == block id


@dataclass(slots=True)
class Table:
    """Table 2, 3 or 4 of the report, read against a template."""

    id: Literal["table2", "table3", "table4"]
    title: str  # canonical title of the section that holds it
    status: TableStatus
    layout: str | None  # id of the layout whose template it was read with (``rules/layouts/``), or None
    rows: list[Row] = field(default_factory=list)
    span: Span | None = None
    columns: list[tuple[str, str]] = field(default_factory=list)  # (id, label) of the template
    headers: list[HeaderLabel] = field(default_factory=list)
    score: float = 0.0  # how well the template matched (higher is better)
    #: why the table is :attr:`TableStatus.UNREADABLE` (codes: ``rows-missing``, ``rows-outside-template``,
    #: ``value-counts``, ``no-values``, ``ambiguous-digits``), or how it was read (``reconstructed``)
    notes: list[str] = field(default_factory=list)
    #: the cells were split out of digits run together, the only split that satisfies the identities
    reconstructed: bool = False

    @property
    def reading(self) -> str:
        """``read``, ``reconstructed``, ``unreadable``, ``image`` or ``absent``: how the table was read."""
        if self.status is TableStatus.FOUND:
            return "reconstructed" if self.reconstructed else "read"
        return self.status.value

    def row(self, key: str) -> Row | None:
        """The row whose id, canonical label or written label is *key*."""
        for row in self.rows:
            if key in (row.id, row.label, row.found_label):
                return row
        return None

    def cell(self, row: str, column: str) -> Cell | None:
        """The cell at *row* x *column* (ids or canonical labels)."""
        found = self.row(row)
        if found is None:
            return None
        for cell in found.cells:
            if column in (cell.column_id, cell.column_label):
                return cell
        return None

    def cells(self) -> Iterator[Cell]:
        for row in self.rows:
            yield from row.cells


@dataclass(slots=True)
class Heading:
    """A sub-heading inside a section: ``（一）主动公开``, ``1、存在问题``."""

    number: str
    title: str
    span: Span
    level: int


@dataclass(slots=True)
class Paragraph:
    text: str
    span: Span
    section: str | None  # key of the enclosing top-level section, None before section 一


@dataclass(slots=True)
class Section:
    """One of the six numbered top-level sections, as found in the report."""

    key: str | None  # canonical key from the template ("overview" ...), None if not recognised
    number: str  # the numeral as written: "一"
    ordinal: int  # 1..6 from the numeral
    title: str  # the title as written, without the numeral
    canonical_title: str | None
    heading_span: Span
    body_span: Span  # from the end of the heading line to the next top-level heading
    match: Literal["exact", "variant", "fuzzy", "unknown"] = "exact"
    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(slots=True)
class LayoutMarker:
    text: str
    layout: str
    span: Span


@dataclass(slots=True)
class LayoutInfo:
    """Which template layout the tables follow, and the evidence.

    ``layout`` is a layout id, ``"mixed"`` (the labels found agree on no one layout) or
    ``"unknown"``; each marker is a label found that tells layouts apart (:mod:`gklint.layouts`).
    """

    layout: str
    markers: list[LayoutMarker] = field(default_factory=list)
    tables: dict[str, str | None] = field(default_factory=dict)  # table id -> layout it matched best

    def reason(self) -> str:
        seen = sorted({(m.layout, m.text) for m in self.markers})
        return "; ".join(f"{layout}: {text}" for layout, text in seen)


@dataclass(slots=True)
class Metadata:
    title: str = ""
    title_span: Span | None = None
    agency: str = ""
    year_from_title: int | None = None
    year_from_period: int | None = None
    period_text: str = ""
    period_span: Span | None = None
    period_start: tuple[int, int, int] | None = None
    period_end: tuple[int, int, int] | None = None
    intro: list[Paragraph] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        """The report year: from the title, else from the statistics period."""
        return self.year_from_title or self.year_from_period


# -- facts read once (gklint.facts) -------------------------------------------------------------

Date = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Period:
    """A statistics period as written: ``2022年1月1日至2022年12月31日`` (read by :mod:`gklint.facts`).

    The dates are as written (``(2022, 2, 30)`` is kept: judging them is a rule's business).
    """

    text: str  #: as written in ``Document.text``
    span: Span
    start: Date
    end: Date
    year_span: Span  #: the year of the first date
    #: how the numbers are written: all in Arabic or all in Chinese numerals, or some of each
    written: Literal["arabic", "chinese", "mixed"]
    #: where it was found: in a sentence stating the period, after a hint, or the first range of the text
    basis: Literal["statement", "hint", "first"]


@dataclass(frozen=True, slots=True)
class PeriodStatement:
    """A sentence of the prose that states the statistics period, readable or not."""

    sentence: Span  #: the whole sentence
    keyword: Span  #: its first period keyword
    #: from the keyword to the end of the sentence, without its closing punctuation (what a message quotes)
    span: Span
    period: Period | None  #: ``None``: its dates cannot be read


@dataclass(frozen=True, slots=True)
class Facts:
    """What the model knows beyond the structure, read once by :func:`gklint.facts.read_facts`.

    Rules read these and never parse the text for them again.
    """

    #: the statistics period (see :mod:`gklint.facts` for which date range it is)
    period: Period | None = None
    #: every sentence of the prose stating the period, in order
    period_statements: tuple[PeriodStatement, ...] = ()
    #: every image placeholder (``[image: …]`` from the html and docx readers, ``<img …>`` left in text), in order
    images: tuple[Span, ...] = ()

    @property
    def stated_period(self) -> Period | None:
        """The period read from a statement (``None`` when it was found only elsewhere, or not at all)."""
        return self.period if self.period is not None and self.period.basis == "statement" else None

    @property
    def unreadable_period(self) -> PeriodStatement | None:
        """The first statement, when the period is stated but no statement's dates can be read."""
        if self.period_statements and all(s.period is None for s in self.period_statements):
            return self.period_statements[0]
        return None

    def images_in(self, span: Span) -> list[Span]:
        """The image placeholders wholly inside *span*, in order."""
        return [image for image in self.images if span.start <= image.start and image.end <= span.end]


@dataclass(slots=True)
class Document:
    """A report read into sections, paragraphs and tables.

    ``text`` is what spans index; ``source`` is what line/column numbers refer to.
    """

    path: str
    reader: str
    encoding: str | None
    text: str
    source: str
    offsets: Sequence[int] | None
    coordinates: Literal["source", "extracted-text"]
    metadata: Metadata
    sections: list[Section]
    paragraphs: list[Paragraph]
    tables: dict[str, Table]
    layout: LayoutInfo
    logical: list[tuple[int, int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: what the reader repaired in text that had lost its shape (:attr:`SourceText.repairs`)
    repairs: tuple[str, ...] = ()
    #: where the text stops short, when it holds only the first part of a report (cut inside a
    #: section or a table); the sections after the last one found are then not missing but cut off
    truncated: Span | None = None
    #: the report's region (a :class:`gklint.regions.RegionGuess`), set by the linter before the rules run
    region: Any = None
    #: the statistics period, image placeholders …, read once (:mod:`gklint.facts`); rules read them here
    facts: Facts = field(default_factory=Facts)
    _line_starts: Sequence[int] = field(default_factory=list, repr=False)
    _normalized: Normalized | None = field(default=None, repr=False)
    #: built on first use by :meth:`logical_path`: locating a finding must not walk every cell
    _indexes: dict[str, _IntervalIndex] = field(default_factory=dict, repr=False, compare=False)

    def normalized(self) -> Normalized:
        """``text`` normalised for label and phrase matching (see :mod:`gklint.normalize`), computed once."""
        if self._normalized is None:
            self._normalized = normalize(self.text)
        return self._normalized

    # -- coordinates --------------------------------------------------------

    def _source_offset(self, offset: int) -> int:
        offset = max(0, min(offset, len(self.text)))
        if self.offsets is None:
            return offset
        return self.offsets[offset]

    def _starts(self) -> Sequence[int]:
        if not self._line_starts:
            self._line_starts = line_starts(self.source)
        return self._line_starts

    def position(self, offset: int) -> Position:
        """Line and column (1-based, code points) of a ``text`` offset, in source coordinates."""
        src_offset = self._source_offset(offset)
        starts = self._starts()
        line = bisect.bisect_right(starts, src_offset) - 1
        return Position(line + 1, src_offset - starts[line] + 1)

    def place(self, span: Span | None) -> str | None:
        """``"line:column"`` of the start of *span* (what ``gklint inspect`` shows), ``None`` for no span."""
        if span is None:
            return None
        p = self.position(span.start)
        return f"{p.line}:{p.column}"

    def source_line(self, line: int) -> str:
        """The text of 1-based *line* of ``source``, without its line end."""
        starts = self._starts()
        if not 1 <= line <= len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.source)
        return self.source[start:end].rstrip("\r\n")

    def snippet(self, span: Span) -> str:
        return self.text[span.start : span.end]

    # -- structure ----------------------------------------------------------

    def section(self, key: str) -> Section | None:
        for section in self.sections:
            if section.key == key:
                return section
        return None

    def section_at(self, offset: int) -> Section | None:
        for section in self.sections:
            if section.heading_span.start <= offset < section.body_span.end:
                return section
        return None

    def table(self, table_id: str) -> Table | None:
        return self.tables.get(table_id)

    def logical_path(self, span: Span | None) -> str:
        """A readable structural path: ``三、收到和处理政府信息公开申请情况 › （七）总计 › 自然人``.

        The reader's own structural label (``第12段``, ``表3 › 第9行 › 第4列``) is appended
        when there is one.
        """
        if span is None:
            return ""
        at = span.start
        parts: list[str] = []
        section = self.section_at(at)
        if section is not None:
            parts.append(f"{section.number}、{section.canonical_title or section.title}")
            parts.extend(self._table_path(at) or self._heading_path(section, at))
        elif self.sections and at < self.sections[0].heading_span.start:
            parts.append("标题与导语")
        label = self._index("logical", lambda: self.logical).find(at)
        if label is not None:
            parts.append(str(label))
        return " › ".join(p for p in parts if p)

    def _index(self, key: str, intervals: Callable[[], Sequence[tuple[int, int, object]]]) -> _IntervalIndex:
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = _IntervalIndex(intervals())
        return index

    def _table_path(self, at: int) -> list[str]:
        for table in self.tables.values():
            if table.span is None or not table.span.start <= at <= table.span.end:
                continue
            found = self._index(f"table:{table.id}", lambda t=table: _table_intervals(t)).find(at)  # type: ignore[misc]
            if found is not None:
                return list(cast("tuple[str, ...]", found))
            return [table.title and f"表{table.id[-1]}"]
        return []

    @staticmethod
    def _heading_path(section: Section, at: int) -> list[str]:
        current = ""
        for heading in section.headings:
            if heading.span.start > at:
                break
            current = f"{heading.number}{heading.title}"
        return [current] if current else []


def _table_intervals(table: Table) -> list[tuple[int, int, object]]:
    """Each cell's and row label's stretch of text with the logical path it gives, in reading order.

    A cell holds the offsets ``start .. max(end - 1, start)`` (its last character, not the tab after
    it); a row label holds ``[start, end)``.
    """
    out: list[tuple[int, int, object]] = []
    for row in table.rows:
        grouped = bool(row.group) and row.group != "三、本年度办理结果"
        for cell in row.cells:
            if cell.span is not None:
                path = (row.group, row.label, cell.column_label) if grouped else (row.label, cell.column_label)
                out.append((cell.span.start, max(cell.span.end - 1, cell.span.start) + 1, path))
        if row.label_span is not None:
            out.append((row.label_span.start, row.label_span.end, (row.label,)))
    return out
