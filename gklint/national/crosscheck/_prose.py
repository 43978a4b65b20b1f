"""What the cross-checks share: sentences, the screen of phrases and table sums (the statistics period is
``Document.facts``)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import cast

from gklint.data import StandardData
from gklint.facts import parse_numeral, table_name
from gklint.findings import Message, Related
from gklint.memo import latest
from gklint.model import Cell, CellKind, Document, Paragraph, Row, Span, Table, TableStatus
from gklint.national.crosscheck.data import CrossData
from gklint.normalize import fold

#: A count in Arabic or Chinese numerals (:func:`gklint.facts.parse_numeral`, under the name packs import).
parse_count = parse_numeral


_SENTENCE = re.compile(r"[^。!?\n]+[。!?]?")


_CLAUSE_SEP = re.compile(r"[,;:]")


_YEAR_IN_TEXT = re.compile(r"(\d{4})\s*年")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a paragraph: ``text`` is folded (same length as the original)."""

    text: str
    start: int  # offset of text[0] in Document.text
    paragraph: Paragraph

    def span(self, start: int, end: int) -> Span:
        return Span(self.start + start, self.start + end)

    def clause_bounds(self, at: int) -> tuple[int, int]:
        """``[start, end)`` of the comma/semicolon clause holding offset *at*."""
        start = 0
        for sep in _CLAUSE_SEP.finditer(self.text, 0, at):
            start = sep.end()
        m = _CLAUSE_SEP.search(self.text, at)
        return start, (m.start() if m else len(self.text))


def sentences(doc: Document) -> Iterator[Sentence]:
    """Every sentence of the prose (paragraphs outside the tables), folded."""
    return iter(_screen(doc).having())


def _split(para: Paragraph, folded: str) -> list[Sentence]:
    """The sentences of *para* (*folded* is its folded text)."""
    base = para.span.start
    return [Sentence(text, base + m.start(), para) for m in _SENTENCE.finditer(folded) if (text := m.group()).strip()]


#: A pre-check for :meth:`_Screen.having`: a pattern, or a pair (a quick pattern that matches
#: inside every match of the second, the pattern).
_Gate = re.Pattern[str] | tuple[re.Pattern[str], re.Pattern[str]]


class _Screen:
    """The sentences of one document, and those that hold a match of a pre-check pattern (a *gate*).

    Rules look for their phrases in few sentences.  The folded paragraphs are joined,
    and each gate runs once over the whole to find the paragraphs worth a look; only
    those are split into sentences (each once) and searched sentence by sentence.  A
    gate must match no empty string and have no look-arounds, anchors or
    back-references.  Then, whatever it matches in a sentence on its own, the last
    match over the joined text that starts at or before that place covers it, so
    the paragraph of every sentence with a match is looked at.
    """

    def __init__(self, doc: Document) -> None:
        self._paragraphs = doc.paragraphs
        self._folded = [fold(p.text) for p in doc.paragraphs]
        self._starts = list(accumulate((len(f) + 1 for f in self._folded[:-1]), initial=0))
        self._joined = "\n".join(self._folded)
        self._split: dict[int, list[Sentence]] = {}
        self._found: dict[_Gate, list[tuple[int, int]]] = {}

    def having(self, *gates: _Gate | None) -> list[Sentence]:
        """The sentences, in order, where one of *gates* matches (all of them if a gate is None or none is given).

        A pair (quick, pattern) keeps the sentences where pattern matches, looking for
        quick first: for a pattern that is slow to look for (``CrossData.count``).
        """
        if not gates or None in gates:
            return [s for k in range(len(self._folded)) for s in self._sentences_of(k)]
        keys = self._keys(cast("_Gate", gates[0]))
        if len(gates) > 1:
            keys = sorted(set(keys).union(*(self._keys(cast("_Gate", g)) for g in gates[1:])))
        return [self._sentences_of(k)[j] for k, j in keys]

    def _keys(self, gate: _Gate) -> list[tuple[int, int]]:
        """(paragraph, sentence) indices of the sentences where *gate* matches, in order."""
        found = self._found.get(gate)
        if found is None:
            quick, pattern = gate if isinstance(gate, tuple) else (gate, gate)
            found = self._found[gate] = [
                (k, j) for k in self._paragraphs_with(quick) if pattern is quick or pattern.search(self._folded[k])
                for j, s in enumerate(self._sentences_of(k)) if pattern.search(s.text)
            ]
        return found

    def _paragraphs_with(self, gate: re.Pattern[str]) -> list[int]:
        """Indices of the paragraphs overlapping a match of *gate* in the joined text, in order.

        After a match the search goes on from the next paragraph: every place *gate*
        matches at is still covered by a match found or in a paragraph found.
        """
        found: list[int] = []
        pos, starts, joined = 0, self._starts, self._joined
        while (m := gate.search(joined, pos)) is not None:
            first, last = bisect_right(starts, m.start()) - 1, bisect_right(starts, max(m.end() - 1, m.start())) - 1
            found.extend(range(first, last + 1))
            if last + 1 == len(starts):
                break
            pos = starts[last + 1]
        return found

    def _sentences_of(self, k: int) -> list[Sentence]:
        split = self._split.get(k)
        if split is None:
            split = self._split[k] = _split(self._paragraphs[k], self._folded[k])
        return split


class _PerDocument:
    """What the rules of this family work out once per document and share.

    Each rule asks for it (:func:`_per_document`) before anything else, so that the
    memo holds the latest document only, never an older one.
    """

    def __init__(self, doc: Document) -> None:
        self.screen = _Screen(doc)  # every sentence object comes from it: rules may compare them by identity
        self.t3_sums: dict[tuple[str, ...], tuple[StandardData, tuple[Sum, int | None] | None]] = {}
        self.t4_sums: dict[tuple[tuple[str, str], ...], Sum | None] = {}


@latest
def _per_document(doc: Document) -> list[_PerDocument]:
    """The :class:`_PerDocument` of *doc* (a one-item list: what :func:`latest` keeps)."""
    return [_PerDocument(doc)]


def _screen(doc: Document) -> _Screen:
    return _per_document(doc)[0].screen


def _report_year(doc: Document) -> int | None:
    return doc.metadata.year_from_title or doc.metadata.year_from_period


def _about_other_year(s: Sentence, at: int, year: int | None, cfg: CrossData) -> bool:
    """Whether the text before *at* says the statement is about another year than *year*."""
    clause_start, _ = s.clause_bounds(at)
    if cfg.other_year is not None and cfg.other_year.search(s.text, clause_start, at):
        return True
    years = _YEAR_IN_TEXT.findall(s.text, 0, at)
    return bool(year and years and int(years[-1]) != year)


def _approximate(s: Sentence, m: re.Match[str], cfg: CrossData) -> bool:
    """Whether the count of *m* is approximate: a number or approx_before word before it, a word after its unit."""
    text, n = s.text, m.start("n")
    if text[n - 1 : n].isdigit() or text.endswith(".", 0, n):  # text[n - 1 : n] is "" when n == 0
        return True
    return text.endswith(tuple(cfg.approx_before), 0, n) or text.startswith(tuple(cfg.approx_after_unit), m.end())


def _negated(prefix: str, cfg: CrossData) -> bool:
    return prefix.rstrip().endswith(tuple(cfg.negations))


@dataclass(frozen=True, slots=True)
class Sum:
    """A sum of table cells: its value, the cells and a label for messages."""

    value: int
    cells: tuple[Cell, ...]
    label: Message


_UNSUMMABLE = frozenset((CellKind.MISSING, CellKind.INVALID, CellKind.DECIMAL))


_BLANK = CellKind.BLANK


def _usable(cells: Sequence[Cell | None]) -> list[Cell] | None:
    """The cells if they can be summed: none missing or invalid, not all blank, integers only."""
    found: list[Cell] = []
    blank = True
    for c in cells:
        if c is None or c.kind in _UNSUMMABLE:
            return None
        blank = blank and c.kind is _BLANK
        found.append(c)
    return None if blank else found


def _t3_rows(doc: Document, data: StandardData, row_id: str) -> list[str] | None:
    """The data rows a table 3 row id stands for (a group row stands for its sub-rows)."""
    table = doc.table("table3")
    if table is None or table.layout not in data.layouts:
        return None
    spec = data.layouts[table.layout].tables["table3"]
    row = spec.row(row_id)
    if row is None:
        return None
    if not row.group_only:
        return [row.id]
    return [r.id for r in spec.data_rows() if r.group == row.id]


def _row_label(table: Table, row_id: str, data: StandardData, row: Row | None) -> str:
    """The label of the row *row_id* (*row* is ``table.row(row_id)``), from the template if the table lacks it."""
    if row is not None:
        return row.label
    spec = data.layouts[table.layout].tables[table.id] if table.layout in data.layouts else None
    found = spec.row(row_id) if spec else None
    return found.label if found else row_id


def _t3_sums(doc: Document, data: StandardData, row_ids: Sequence[str]) -> tuple[Sum, int | None] | None:
    """The 总计 sum of table 3 rows, and the same rows summed over the six applicant columns.

    Computed once per document and rows: statements of several rules compare with the same rows.
    """
    known = _per_document(doc)[0].t3_sums
    key = tuple(row_ids)
    found = known.get(key)
    if found is None or found[0] is not data:
        found = known[key] = (data, _compute_t3_sums(doc, data, key))
    return found[1]


def _compute_t3_sums(doc: Document, data: StandardData, row_ids: Sequence[str]) -> tuple[Sum, int | None] | None:
    table = doc.table("table3")
    if table is None or table.status is not TableStatus.FOUND:
        return None
    rows: list[str] = []
    for rid in row_ids:
        expanded = _t3_rows(doc, data, rid)
        if expanded is None:
            return None
        rows.extend(expanded)
    found = {r: table.row(r) for r in dict.fromkeys((*rows, *row_ids))}  # each row looked up once
    totals = _usable([_cell_of(found[r], "total") for r in rows])
    if totals is None:
        return None
    value = int(sum(c.number for c in totals))
    applicant: list[Cell | None] = []
    for r in rows:
        row = found[r]
        applicant.extend(c for c in (row.cells if row else []) if c.column_id != "total")
    usable = _usable(applicant)
    by_columns = int(sum(c.number for c in usable)) if usable else None
    labels = "”“".join(_row_label(table, r, data, found[r]) for r in row_ids)
    if len(row_ids) == 1 and rows == list(row_ids):
        label = Message(f"表3“{labels}”行“总计”列为{value}", f"table 3 row “{labels}”, column 总计, is {value}")
    else:
        label = Message(f"表3“{labels}”各行“总计”列之和为{value}", f"table 3 rows “{labels}” sum to {value} in column 总计")
    return Sum(value, tuple(totals), label), by_columns


def _cell_of(row: Row | None, column: str) -> Cell | None:
    """The cell of *row* in *column* (id or canonical label), as :meth:`Table.cell` finds it."""
    if row is None:
        return None
    return next((c for c in row.cells if column in (c.column_id, c.column_label)), None)


def _cell_related(cells: Iterable[Cell], table_id: str = "table3") -> tuple[Related, ...]:
    zh, en = table_name(table_id)
    return tuple(Related(c.span, Message(f"{zh}“{c.row_label}”行“{c.column_label}”列：{c.text or '空'}",
                                         f"{en} row “{c.row_label}”, column “{c.column_label}”: {c.text or 'blank'}"))
                 for c in cells)


def _date(d: tuple[int, int, int]) -> str:
    return f"{d[0]}年{d[1]}月{d[2]}日"
