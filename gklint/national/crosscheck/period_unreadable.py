"""GK607 period-unreadable: the statistics period's dates cannot be read."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national.crosscheck._prose import _period_statements
from gklint.national.crosscheck.data import cross_data
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """A statistics period is stated but its dates cannot be read."""
    statements = _period_statements(doc, cross_data(context.data))
    if not statements or any(st.period is not None for st in statements):
        return
    st = statements[0]
    end = len(st.sentence.text.rstrip("。!? \t"))
    said = doc.text[st.sentence.start + st.keyword_at : st.sentence.start + end]
    yield Problem(
        st.sentence.span(st.keyword_at, end),
        Message(f"无法从“{said}”读出统计期限的起止日期（日期可能缺少“年”“月”，或在转换中损坏）；应写明“YYYY年1月1日至YYYY年12月31日”",
                f"cannot read the dates of the statistics period in “{said}” (年/月 missing or damaged); "
                "write it as YYYY年1月1日至YYYY年12月31日"),
        key=("period", "unreadable"),
    )
