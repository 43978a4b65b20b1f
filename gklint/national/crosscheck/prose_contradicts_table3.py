"""GK601 prose-contradicts-table3: application counts in the prose contradict table 3."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.data import StandardData
from gklint.facts import parse_numeral
from gklint.findings import Message, Problem, Severity
from gklint.model import Document
from gklint.national.crosscheck._prose import (
    Sentence,
    Sum,
    _about_other_year,
    _approximate,
    _cell_related,
    _negated,
    _report_year,
    _screen,
    _t3_sums,
)
from gklint.national.crosscheck.data import CrossData, Reading, T3Fact, cross_data
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Counts of applications and results in the prose that contradict table 3."""
    screen = _screen(doc)
    cfg = cross_data(context.data)
    year = _report_year(doc)
    # without a count (numeral and unit) the {N} of the patterns can't match, so facts whose
    # patterns all need it can't either; most sentences have none
    unit = cfg.unit if all(fact.needs_unit for fact in cfg.table3) else None
    for s in screen.having((unit, cfg.count) if unit is not None else None):
        counts = unit is not None or cfg.count.search(s.text) is not None
        taken: set[int] = set()
        numeral = cfg.numeral.search(s.text) is not None
        for fact in cfg.table3:
            if (fact.needs_count and not numeral) or (fact.needs_unit and not counts):
                continue
            if fact.requires is not None and fact.requires.search(s.text) is None:
                continue
            for pattern in fact.patterns:
                for m in pattern.finditer(s.text):
                    if m.start("n") in taken:
                        continue
                    taken.add(m.start("n"))
                    problem = _t3_statement(doc, context.data, cfg, s, m, fact, year)
                    if problem is not None:
                        yield problem


def _t3_statement(
    doc: Document, data: StandardData, cfg: CrossData, s: Sentence, m: re.Match[str], fact: T3Fact, year: int | None
) -> Problem | None:
    clause_start, clause_end = s.clause_bounds(m.start())
    prefix = s.text[clause_start : m.start()]
    if _negated(prefix, cfg) or (fact.excludes is not None and fact.excludes.search(prefix)):
        return None
    if _approximate(s, m, cfg) or _about_other_year(s, m.start(), year, cfg):
        return None
    stated = parse_numeral(m.group("n"))
    sums = _t3_sums(doc, data, fact.rows)
    if stated is None or sums is None:
        return None
    expected, by_columns = sums
    accepted = {expected.value, by_columns}
    if any(w in s.text[clause_start:clause_end] for w in fact.also_when):
        for rows in fact.also_rows:
            other = _t3_sums(doc, data, rows)
            if other is not None:
                accepted.add(other[0].value)
    if stated in accepted:
        return None
    said = doc.text[s.start + m.start() : s.start + m.end()]
    for reading in fact.readings:
        other = _t3_sums(doc, data, reading.rows)
        if other is not None and other[0].value == stated:
            return _two_readings(s, m, fact, said, stated, expected, reading, other[0])
    return Problem(
        s.span(m.start("n"), m.end()),
        Message(
            f"正文“{said}”与表3不一致：{fact.name.zh}写为{stated}，{expected.label.zh}（相差{abs(stated - expected.value)}）",
            f"the prose “{said}” contradicts table 3: {fact.name.en} given as {stated}, but {expected.label.en} "
            f"(difference {abs(stated - expected.value)})",
        ),
        related=_cell_related(expected.cells),
        key=("table3", fact.fact, str(stated)),
    )


def _two_readings(s: Sentence, m: re.Match[str], fact: T3Fact, said: str, stated: int, expected: Sum,
                  reading: Reading, other: Sum) -> Problem:
    """A warning: *stated* is not the fact's row but equals another plausible sum (收到申请75件 = 新收 74 + 结转 1)."""
    diff = abs(stated - expected.value)
    return Problem(
        s.span(m.start("n"), m.end()),
        Message(
            f"正文“{said}”可能与表3不一致：若指{fact.name.zh}，{expected.label.zh}（相差{diff}）；"
            f"若指{reading.name.zh}，{other.label.zh}，与正文相符。请核实正文所指，并写明口径",
            f"the prose “{said}” may contradict table 3: as {fact.name.en}, {expected.label.en} (difference {diff}); "
            f"as {reading.name.en}, {other.label.en}, which agrees. Check what the prose means and say so",
        ),
        related=_cell_related([*expected.cells, *(c for c in other.cells if all(c is not e for e in expected.cells))]),
        key=("table3", fact.fact, str(stated)),
        severity=Severity.WARNING,
    )
