"""GK701 carryover-continuity: table 3 carried over differs from last year's carried forward."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem, Related
from gklint.model import Document
from gklint.national.crossyear._compare import _comparable, _found, _value
from gklint.rule import CheckContext

_APPLICANTS = ("natural", "business", "research", "public_interest", "legal_service", "other")


def check(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or not _comparable(doc, prev, ctx.data):
        return
    this, last = _found(doc, "table3"), _found(prev, "table3")
    if this is None or last is None:
        return
    for column in _APPLICANTS:
        now = this.cell("carried_over", column)
        before = last.cell("carried_forward", column)
        a, b = _value(now), _value(before)
        if a is None or b is None or a == b or now is None or before is None:
            continue
        label = now.column_label
        yield Problem(
            now.span,
            Message(f"表3“二、上年结转政府信息公开申请数量”{label}列为{a}，"
                    f"但上年报告“四、结转下年度继续办理”为{b}，两者应相等",
                    f"table 3 '二、上年结转' ({label}) is {a}, but last year's report "
                    f"'四、结转下年度继续办理' is {b}; they must be equal"),
            related=(Related(before.span, Message(f"上年报告“四、结转下年度继续办理”{label}列：{b}",
                                                  f"last year's '四、结转下年度继续办理' ({label}): {b}"), prev),),
            key=("table3", "carried_over", column),
        )
