"""GK604 report-year-mismatch: title year, statistics period and overview year disagree."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.findings import Message, Problem, Related
from gklint.model import Document, Span
from gklint.national.crosscheck._prose import _YEAR_IN_TEXT, _date
from gklint.national.crosscheck.data import CrossData, cross_data
from gklint.normalize import fold
from gklint.rule import CheckContext

_OVERVIEW_YEAR = re.compile(r"(?:\s|\[(?:bookmark|image)[^\]\n]*\])*(\d{4})\s*年(?:度)?")


def _title_year_span(doc: Document) -> Span | None:
    span = doc.metadata.title_span
    if span is None:
        return None
    m = _YEAR_IN_TEXT.search(doc.text, span.start, span.end)
    return Span(m.start(1), m.end(1)) if m else span


def _overview_year(doc: Document, cfg: CrossData) -> tuple[int, Span] | None:
    """The year opening 一、总体情况 (``2022年，…``), looked for before its first sub-heading."""
    section = doc.section("overview")
    if section is None:
        return None
    first_heading = section.headings[0].span.start if section.headings else section.body_span.end
    for para in section.paragraphs:
        if para.span.start >= first_heading:
            break
        folded = fold(para.text)
        m = _OVERVIEW_YEAR.match(folded)
        if m is None:
            continue
        if folded.startswith(tuple(cfg.overview_year_skip_after), m.end()):
            return None
        return int(m.group(1)), Span(para.span.start + m.start(1), para.span.start + m.end(1))
    return None


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Title year, statistics period and the year opening 一、总体情况 must agree."""
    cfg = cross_data(context.data)
    title_year = doc.metadata.year_from_title
    title_span = _title_year_span(doc)
    period = doc.facts.stated_period
    period_years = {period.start[0], period.end[0]} if period else set()
    if title_year and period and title_year not in period_years:
        yield Problem(
            period.year_span,
            Message(f"标题中的报告年度为{title_year}年，但统计期限为{_date(period.start)}至{_date(period.end)}",
                    f"the title names the year {title_year}, but the statistics period is {_date(period.start)} to {_date(period.end)}"),
            related=(Related(title_span, Message(f"标题：{doc.metadata.title}", f"title: {doc.metadata.title}")),),
            key=("year", "period", str(title_year), str(period.start[0])),
        )
    overview = _overview_year(doc, cfg)
    if overview is None:
        return
    year, span = overview
    known: list[tuple[int, Span | None, Message]] = []
    if title_year:
        known.append((title_year, title_span, Message(f"标题中的报告年度为{title_year}年", f"the title names {title_year}")))
    if period and period.start[0] == period.end[0]:
        known.append((period.start[0], period.year_span,
                      Message(f"统计期限为{period.start[0]}年", f"the statistics period is {period.start[0]}")))
    if not known or any(year == k[0] for k in known):
        return
    yield Problem(
        span,
        Message(f"“一、总体情况”开头写的是{year}年，但" + "，".join(k[2].zh for k in known),
                f"“一、总体情况” opens with the year {year}, but " + "; ".join(k[2].en for k in known)),
        related=tuple(Related(k[1], k[2]) for k in known),
        key=("year", "overview", str(year), str(known[0][0])),
    )
