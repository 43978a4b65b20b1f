"""GK608 period-missing: no statistics period stated."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national.crosscheck._prose import _period_statements
from gklint.national.crosscheck.data import cross_data
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """The report never states its statistics period."""
    if _period_statements(doc, cross_data(context.data)):
        return
    yield Problem(
        doc.metadata.title_span,
        Message("报告未写明数据统计期限（如“本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止”）",
                "the report does not state its statistics period (e.g. 统计期限自2022年1月1日起至2022年12月31日止)"),
        key=("period", "missing"),
    )
