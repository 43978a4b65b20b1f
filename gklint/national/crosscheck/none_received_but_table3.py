"""GK603 none-received-but-table3: the prose says no applications, but table 3 has some."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.data import StandardData
from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national.crosscheck._prose import (
    Sentence,
    Sum,
    _about_other_year,
    _cell_related,
    _report_year,
    _screen,
    _t3_sums,
)
from gklint.national.crosscheck.data import CrossData, NoneStatement, cross_data
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """"未收到申请" while table 3 shows applications."""
    cfg = cross_data(context.data)
    year = _report_year(doc)
    for s in _screen(doc).having(cfg.none_starts):  # a character a statement can start with
        seen: list[tuple[int, int]] = []  # a place matched by an earlier statement is not matched again
        for statement in cfg.none_statements:
            for pattern in statement.patterns:
                for m in pattern.finditer(s.text):
                    if any(start < m.end() and m.start() < end for start, end in seen):
                        continue
                    seen.append((m.start(), m.end()))
                    problem = _none_statement(doc, context.data, cfg, s, m, statement, year)
                    if problem is not None:
                        yield problem


def _none_statement(
    doc: Document, data: StandardData, cfg: CrossData, s: Sentence, m: re.Match[str], statement: NoneStatement, year: int | None
) -> Problem | None:
    clause_start, clause_end = s.clause_bounds(m.start())
    if any(w in s.text[clause_start:clause_end] for w in cfg.none_clause_excludes):
        return None
    if _about_other_year(s, m.start(), year, cfg):
        return None
    nonzero: list[Sum] = []
    for row in statement.rows:
        sums = _t3_sums(doc, data, [row])
        if sums is not None and sums[0].value != 0:
            nonzero.append(sums[0])
    if not nonzero:
        return None
    said = doc.text[s.start + m.start() : s.start + m.end()]
    return Problem(
        s.span(m.start(), m.end()),
        Message(f"正文称“{said}”，但" + "，".join(x.label.zh for x in nonzero),
                f"the prose says “{said}”, but " + "; ".join(x.label.en for x in nonzero)),
        related=tuple(r for x in nonzero for r in _cell_related(x.cells)),
        key=("table3", "none_received", *statement.rows),
    )
