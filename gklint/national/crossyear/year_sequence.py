"""GK705 year-sequence: report year or statistics period does not follow last year's."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gklint.findings import Message, Problem, Related, Severity
from gklint.model import Document, Span
from gklint.national.crossyear._compare import _same_agency
from gklint.rule import CheckContext


def check(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or _same_agency(doc, prev, ctx.data) is False:
        return
    now, last = doc.metadata, prev.metadata
    checks: Sequence[tuple[str, int | None, int | None, Span | None, Span | None, str, str]] = (
        ("title", now.year_from_title, last.year_from_title, now.title_span, last.title_span, "标题中的年度", "the title's year"),
        ("period", now.year_from_period, last.year_from_period, now.period_span, last.period_span,
         "统计期限", "the statistics period"),
    )
    for what, a, b, here, there, zh, en in checks:
        if a is None or b is None or a == b + 1:
            continue
        severity = None if a <= b else Severity.WARNING
        yield Problem(
            here,
            Message(f"{zh}为{a}年，上年报告为{b}年；本年报告应为{b + 1}年"
                    + ("（是否沿用了上年的内容？）" if a <= b else "（给出的上年报告是否有误，或缺少中间年度的报告？）"),
                    f"{en} is {a}, last year's report has {b}; this report should be {b + 1}"
                    + (" (copied from last year?)" if a <= b else " (is the earlier report the right one, or is a year missing?)")),
            related=(Related(there, Message(f"上年报告的{zh}：{b}年", f"last year's {en}: {b}"), prev),),
            key=("sequence", what),
            severity=severity,
        )
