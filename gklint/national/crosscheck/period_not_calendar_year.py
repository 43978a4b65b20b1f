"""GK605 period-not-calendar-year: the statistics period is not a calendar year."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national.crosscheck._prose import _date
from gklint.rule import CheckContext

_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """The statistics period must be 1 January to 31 December of one year."""
    period = doc.facts.stated_period
    if period is None:
        return
    (y1, m1, d1), (y2, m2, d2) = period.start, period.end
    if (m1, d1) == (1, 1) and (m2, d2) == (12, 31) and y1 == y2:
        return
    year = doc.metadata.year_from_title if doc.metadata.year_from_title in (y1, y2) else y1
    problems = []
    if not (1 <= m1 <= 12 and 1 <= d1 <= _DAYS[m1 - 1]) or not (1 <= m2 <= 12 and 1 <= d2 <= _DAYS[m2 - 1]):
        problems.append(("日期不存在", "a date does not exist"))
    if y1 != y2:
        problems.append(("跨越两个年度", "spans two years"))
    if (m1, d1) != (1, 1):
        problems.append(("未从1月1日开始", "does not start on 1 January"))
    if (m2, d2) != (12, 31):
        problems.append(("未到12月31日结束", "does not end on 31 December"))
    yield Problem(
        period.span,
        Message(
            f"统计期限为{_date(period.start)}至{_date(period.end)}，{'、'.join(p[0] for p in problems)}；应为{year}年1月1日至{year}年12月31日",
            f"the statistics period {_date(period.start)} to {_date(period.end)} {', '.join(p[1] for p in problems)}; "
            f"expected {year}-01-01 to {year}-12-31",
        ),
        key=("period", _date(period.start), _date(period.end)),
    )
