"""GK301 layout-year: the tables' format does not match the report year."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.data import LayoutSpec
from gklint.findings import Message, Problem, Related
from gklint.model import Document, TableStatus
from gklint.national.template._evidence import _evidence, _quoted, _short, _years
from gklint.rule import CheckContext


def _describe(spec: LayoutSpec) -> Message:
    """``《name》（basis，适用于 years）``."""
    zh, en = _years(spec)
    return Message(f"《{spec.name}》（{spec.basis}，适用于{zh}报告）", f"《{spec.name}》 ({spec.basis}, for the reports of {en})")


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """The tables follow the format that applies to the report year."""
    year = doc.metadata.year
    found = context.data.layouts.get(doc.layout.layout)
    expected = context.data.layout_for_year(year)
    if year is None or found is None or expected is None or found.id == expected.id:
        return
    evidence = _evidence(doc, context.data, found.id)
    tables = [t for t in doc.tables.values() if t.status is TableStatus.FOUND and t.span is not None]
    span = evidence[0].span if evidence else (tables[0].span if tables else None)
    shown, shown_en = _quoted(evidence), _quoted(evidence, "en")
    want, got = _describe(expected), _describe(found)
    related: list[Related] = []
    year_span = doc.metadata.title_span if doc.metadata.year_from_title else doc.metadata.period_span
    if year_span is not None:
        related.append(Related(year_span, Message(f"报告年度：{year}年", f"report year: {year}")))
    related.extend(Related(e.span, Message(f"{_short(found, found.id).zh}的标志", f"marker of {_short(found, found.id).en}")) for e in evidence[1:4])
    yield Problem(
        span,
        Message(
            f"{year}年度报告应使用{want.zh}的表格，但表格采用的是{got.zh}：{shown}",
            f"a report for {year} must use the tables of {want.en}, but its tables follow {got.en}: {shown_en}",
        ),
        related=tuple(related),
        key=(str(year), expected.id, found.id),
    )
