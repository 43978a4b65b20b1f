"""GK702 in-force-continuity: table 2 documents in force do not follow from last year's."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem, Related
from gklint.model import Document
from gklint.national.crossyear._compare import _comparable, _found, _value
from gklint.rule import CheckContext


def check(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or not _comparable(doc, prev, ctx.data):
        return
    this, last = _found(doc, "table2"), _found(prev, "table2")
    if this is None or last is None:
        return
    for row in ("rules", "normative"):
        now = this.cell(row, "in_force")
        issued, repealed = _value(this.cell(row, "issued")), _value(this.cell(row, "repealed"))
        before = last.cell(row, "in_force")
        a, b = _value(now), _value(before)
        if now is None or before is None or a is None or b is None or issued is None or repealed is None:
            continue
        expected = b + issued - repealed
        if a == expected:
            continue
        label = now.row_label
        yield Problem(
            now.span,
            Message(f"表2“{label}”现行有效件数为{a}，而上年报告现行有效件数{b} + 本年制发件数{issued} − "
                    f"本年废止件数{repealed} = {expected}，相差{a - expected:+d}；如因清理、重新编号等原因，请在正文中说明",
                    f"table 2 '{label}': {a} in force, but last year's report had {b} in force, + {issued} "
                    f"issued − {repealed} repealed this year = {expected} (a gap of {a - expected:+d}); "
                    "if a review or renumbering explains it, say so in the text"),
            related=(Related(before.span, Message(f"上年报告“{label}”现行有效件数：{b}",
                                                  f"last year's '{label}' in force: {b}"), prev),),
            key=("table2", row, "in_force"),
        )
