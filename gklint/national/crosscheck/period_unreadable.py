"""GK607 period-unreadable: the statistics period's dates cannot be read."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """A statistics period is stated but its dates cannot be read."""
    statement = doc.facts.unreadable_period
    if statement is None:
        return
    said = doc.snippet(statement.span)
    yield Problem(
        statement.span,
        Message(f"无法从“{said}”读出统计期限的起止日期（日期可能缺少“年”“月”，或在转换中损坏）；应写明“YYYY年1月1日至YYYY年12月31日”",
                f"cannot read the dates of the statistics period in “{said}” (年/月 missing or damaged); "
                "write it as YYYY年1月1日至YYYY年12月31日"),
        key=("period", "unreadable"),
    )
