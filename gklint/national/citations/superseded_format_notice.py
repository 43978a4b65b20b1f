"""GK406 superseded-format-notice: format notice that does not apply to the report year."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document, Span
from gklint.national.citations._scan import _key, _titles, _year, citations, doc_numbers
from gklint.national.citations.registry import Entry, Registry, registry
from gklint.normalize import fold
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK406: a format notice that does not apply to the report year (superseded, or not yet issued)."""
    reg, titles = registry(context.data), _titles(context.data)
    year = _year(doc)
    if year is None:
        return
    numbered: set[tuple[int, int]] = set()
    hits: list[tuple[Span, Entry, str]] = []
    for n in doc_numbers(doc.text, reg):
        entry = titles.lookup(n.run, n.year, n.num)
        if entry is not None and entry.verified and entry.first_year is not None and not entry.applies_to(year):
            hits.append((n.span, entry, doc.snippet(n.span)))
    for cit in citations(doc, reg):
        if cit.number is not None:
            continue
        key = _key(cit.title)
        for entry in reg.entries:
            if entry.first_year is None or entry.applies_to(year) or not entry.verified:
                continue
            if key in titles.forms(entry) or (entry.attachment and key == _key(entry.attachment)):
                hits.append((cit.mark.span, entry, f"《{cit.title}》"))
    for span, entry, written in sorted(hits, key=lambda h: h[0]):
        if (span.start, span.end) in numbered:
            continue
        numbered.add((span.start, span.end))
        yield _superseded_problem(reg, entry, span, written, year)


def _superseded_problem(reg: Registry, entry: Entry, span: Span, written: str, year: int) -> Problem:
    successor = reg.entry(entry.superseded_by) if entry.superseded_by else None
    if successor is None:
        successor = next((e for e in reg.entries if e.superseded_by == entry.key and e.applies_to(year)), None)
    instead_zh = f"，{year}年度报告应依据{successor.number}《{successor.nested_title()}》" if successor else ""
    instead_en = f"; a {year} report is based on {successor.number}" if successor else ""
    cited = written if fold(written) == fold(entry.number) else f"{written}（{entry.number}）"
    if entry.last_year is not None and year > entry.last_year:
        msg = Message(f"引用的{cited}只适用于{entry.years_text()}报告，已被替代{instead_zh}",
                      f"{cited} applies to the reports for {entry.first_year}-{entry.last_year} only and was superseded{instead_en}")
    else:
        msg = Message(f"引用的{cited}自{entry.first_year}年度报告起适用，不适用于{year}年度报告{instead_zh}",
                      f"{cited} applies from the {entry.first_year} reports on, not to a {year} report{instead_en}")
    return Problem(span, msg, key=(entry.key, str(year)))
