"""GK409 work-points-year: cited 政务公开工作要点 of another year."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national.citations._scan import _key, _year, title_marks
from gklint.national.citations.registry import registry
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK409: the national 政务公开工作要点 cited for another year than the report's."""
    reg = registry(context.data)
    year = _year(doc)
    if year is None:
        return
    own = next((e for e in reg.entries if e.series == "work-points" and e.topic_year == year), None)
    if own is None or not own.verified:
        return  # no verified 要点 for the report year: left unchecked
    for mark in title_marks(doc.text):
        written = doc.snippet(mark.inner)
        m = reg.work_points_title.match(_key(written))
        if m is None or not m["year"] or int(m["year"]) == year:
            continue
        yield Problem(
            mark.span,
            Message(f"{year}年度报告引用了{m['year']}年的《{written}》；本年度的要点是{own.number}《{own.title}》",
                    f"a {year} report cites the {m['year']} work points 《{written}》; this year's are {own.number}"),
            key=("work-points", m["year"]),
        )
