"""GK602 prose-contradicts-table4: review/litigation counts in the prose contradict table 4."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from gklint.facts import parse_numeral
from gklint.findings import Message, Problem
from gklint.model import Document, TableStatus
from gklint.national.crosscheck._prose import (
    _CLAUSE_SEP,
    Sentence,
    Sum,
    _about_other_year,
    _approximate,
    _cell_related,
    _negated,
    _per_document,
    _report_year,
    _screen,
    _usable,
)
from gklint.national.crosscheck.data import CrossData, T4Fact, cross_data
from gklint.rule import CheckContext


def _t4_sum(doc: Document, cells: Sequence[tuple[str, str]]) -> Sum | None:
    """The sum of table 4 *cells* (None if one is unusable); computed once per document and cells."""
    known = _per_document(doc)[0].t4_sums
    key = tuple(cells)
    if key not in known:
        known[key] = _compute_t4_sum(doc, key)
    return known[key]


def _compute_t4_sum(doc: Document, cells: Sequence[tuple[str, str]]) -> Sum | None:
    table = doc.table("table4")
    if table is None or table.status is not TableStatus.FOUND:
        return None
    found = _usable([table.cell(r, c) for r, c in cells])
    if found is None:
        return None
    value = int(sum(c.number for c in found))
    labels = "、".join(f"“{c.column_label}”" for c in found)
    return Sum(value, tuple(found), Message(f"表4 {labels} 合计为{value}", f"table 4 {labels} total {value}"))


def _t4_relevant(s: Sentence, cfg: CrossData) -> bool:
    return s.paragraph.section == "appeals" or any(w in s.text for w in cfg.t4_sentence_requires)


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """行政复议 / 行政诉讼 counts and "none" statements in the prose that contradict table 4."""
    screen = _screen(doc)
    cfg = cross_data(context.data)
    year = _report_year(doc)
    table = doc.table("table4")
    if table is None or table.status is not TableStatus.FOUND:
        return
    # a statement needs a count (see T3Fact.needs_unit) or a negation; most sentences have neither
    with_count: set[int] | None = None  # id() of the sentences with a count, if known
    unit = cfg.unit if all(fact.needs_unit for fact in cfg.table4) else None
    if unit is not None:
        with_count = {id(s) for s in screen.having((unit, cfg.count))}
    for s in screen.having((unit, cfg.count) if unit is not None else None, cfg.negation):
        if not _t4_relevant(s, cfg):
            continue
        counts = id(s) in with_count if with_count is not None else cfg.count.search(s.text) is not None
        negated = cfg.negation is None or cfg.negation.search(s.text) is not None
        counted: set[tuple[int, str]] = set()  # (clause start, fact) stated with a number
        for fact in cfg.table4:
            if fact.needs_unit and not counts:
                continue
            for pattern in fact.patterns:
                for m in pattern.finditer(s.text):
                    counted.add((s.clause_bounds(m.start())[0], fact.fact))
                    problem = _t4_count(doc, cfg, s, m, fact, year)
                    if problem is not None:
                        yield problem
        if negated:  # else no clause has a negation: _t4_negations finds nothing
            yield from _t4_negations(doc, cfg, s, year, counted)


def _t4_count(doc: Document, cfg: CrossData, s: Sentence, m: re.Match[str], fact: T4Fact, year: int | None) -> Problem | None:
    clause_start, _ = s.clause_bounds(m.start())
    prefix = s.text[clause_start : m.start()]
    if _negated(prefix, cfg) or any(w in prefix for w in cfg.t4_clause_excludes):
        return None
    if _approximate(s, m, cfg) or _about_other_year(s, m.start(), year, cfg):
        return None
    stated = parse_numeral(m.group("n"))
    sums = [_t4_sum(doc, alt) for alt in fact.alternatives]
    if stated is None or sums[0] is None or any(x is not None and x.value == stated for x in sums):
        return None
    expected = sums[0]
    said = doc.text[s.start + m.start() : s.start + m.end()]
    return Problem(
        s.span(m.start("n"), m.end()),
        Message(
            f"正文“{said}”与表4不一致：{fact.name.zh}写为{stated}，{expected.label.zh}（相差{abs(stated - expected.value)}）",
            f"the prose “{said}” contradicts table 4: {fact.name.en} given as {stated}, but {expected.label.en} "
            f"(difference {abs(stated - expected.value)})",
        ),
        related=_cell_related(expected.cells, "table4"),
        key=("table4", fact.fact, str(stated)),
    )


def _blank(text: str, phrases: Iterable[str]) -> str:
    for phrase in phrases:
        text = text.replace(phrase, " " * len(phrase))
    return text


def _t4_negations(doc: Document, cfg: CrossData, s: Sentence, year: int | None, counted: set[tuple[int, str]]) -> Iterator[Problem]:
    start = 0
    for sep in [*_CLAUSE_SEP.finditer(s.text), None]:
        end = sep.start() if sep else len(s.text)
        clause = _blank(s.text[start:end], cfg.t4_ignore_phrases)
        clause_start, start = start, (sep.end() if sep else end)
        hits = [clause.find(w) for w in cfg.negations if w in clause]
        if not hits or any(w in clause for w in cfg.t4_negation_excludes):
            continue
        neg = min(hits)
        if _about_other_year(s, clause_start + neg, year, cfg):
            continue
        for fact in cfg.table4:
            where = [(clause.find(k, neg), k) for k in fact.keywords if clause.find(k, neg) > neg]
            if not where or (clause_start, fact.fact) in counted:
                continue
            sums = [_t4_sum(doc, alt) for alt in fact.alternatives]
            expected = sums[0]
            if expected is None or any(x is not None and x.value == 0 for x in sums):
                continue
            at, keyword = min(where)
            said = doc.text[s.start + clause_start + neg : s.start + clause_start + at + len(keyword)]
            yield Problem(
                s.span(clause_start + neg, clause_start + at + len(keyword)),
                Message(f"正文“{said}”称没有{fact.name.zh}，但{expected.label.zh}",
                        f"the prose “{said}” says there was no {fact.name.en}, but {expected.label.en}"),
                related=_cell_related(expected.cells, "table4"),
                key=("table4", fact.fact, "none"),
            )
