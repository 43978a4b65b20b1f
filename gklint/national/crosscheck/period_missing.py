"""GK608 period-missing: no statistics period stated."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """The report never states its statistics period."""
    if doc.facts.period_statements:
        return
    yield Problem(
        doc.metadata.title_span,
        Message("报告未写明数据统计期限（如“本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止”）",
                "the report does not state its statistics period (e.g. 统计期限自2022年1月1日起至2022年12月31日止)"),
        key=("period", "missing"),
    )
