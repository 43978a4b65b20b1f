"""GK704 problems-followup-missing: no word on how last year's problems were addressed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.findings import Message, Problem, Related
from gklint.model import Document
from gklint.national.crossyear._compare import _comparable, _who
from gklint.national.crossyear.data import _phrases
from gklint.rule import CheckContext


def check(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or not _comparable(doc, prev, ctx.data):
        return
    section = doc.section("problems")
    if section is None or prev.section("problems") is None:
        return
    text = doc.text[section.body_span.start : section.body_span.end]
    phrases = _phrases(ctx.data)
    last_year = [*phrases.last_year]
    year = _who(prev, ctx.data).year
    if year is not None:
        last_year.append(re.compile(f"{year}\\s*年"))
    for sentence in re.split(r"[。；;！!\n]", text):
        if any(p.search(sentence) for p in last_year) and any(p.search(sentence) for p in phrases.addressed):
            return
    yield Problem(
        section.heading_span,
        Message("“五、存在的主要问题及改进情况”没有说明上年报告所列问题的改进情况",
                "'五、存在的主要问题及改进情况' does not say how the problems of last year's report were addressed"),
        related=(Related(prev.section("problems").heading_span,  # type: ignore[union-attr]
                         Message("上年报告所列的问题", "the problems of last year's report"), prev),),
        key=("followup",),
    )
