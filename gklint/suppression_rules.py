"""GK001 and GK002, the rules about suppression comments (plugin ``core-suppressions``).

Their findings come from the filter :func:`gklint.suppress.apply_suppressions`, which the
engine runs after all other rules; this plugin declares them, so they can be listed,
selected, configured and explained like any rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gklint import hookimpl
from gklint.findings import Message, Problem, Severity
from gklint.rule import CheckContext, Example, Rule
from gklint.suppress import INVALID_ID, UNUSED_ID

if TYPE_CHECKING:
    from gklint.model import Document

__all__ = ["gklint_rule_list", "gklint_rules"]


def _reported_by_engine(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK001/GK002 are reported by the engine after all rules ran (:func:`gklint.suppress.apply_suppressions`)."""
    return iter(())


def gklint_rule_list() -> list[Rule]:
    """GK001 and GK002: problems with the suppression comments themselves."""
    return [
        Rule(
            id=INVALID_ID, name="invalid-suppression", family="GK0", severity=Severity.WARNING,
            short=Message("抑制注释无效（没有写原因或无法识别）", "invalid suppression comment (no reason, or unparsable)"),
            full=Message(
                "“gklint: disable=规则编号 原因：……”必须写明原因，原因会随检查结果一起输出（SARIF 中为 justification）。"
                "没有原因或无法识别的抑制注释不生效。",
                "A \"gklint: disable=RULE reason: …\" comment must give a reason, which is reported with the "
                "results (the SARIF justification). Without one, or when it cannot be parsed, it has no effect."),
            help=Message("补上原因，如“gklint: disable=GK503 原因：已与办公室核实”。",
                         "Add the reason, e.g. \"gklint: disable=GK503 reason: checked with the office\"."),
            check=_reported_by_engine,
            source=Message("gklint 自身（docs/editing-workflow.md）", "gklint itself (docs/editing-workflow.en.md)"),
            examples=(Example(bad="gklint: disable=GK503", good="gklint: disable=GK503 原因：已与办公室核实"),),
        ),
        Rule(
            id=UNUSED_ID, name="unused-suppression", family="GK0", severity=Severity.INFO,
            short=Message("抑制注释没有抑制任何问题", "suppression comment silences nothing"),
            full=Message("抑制注释指向的规则在其后一行（或全文）没有报出问题：问题已经改正，注释可以删除，"
                         "否则它会在以后悄悄掩盖新的问题。",
                         "The rule the comment names reports nothing on the next line (or in the file): the "
                         "problem was fixed, and the comment would silently hide a new one later."),
            help=Message("删除这条抑制注释。", "Remove the comment."),
            check=_reported_by_engine,
            source=Message("gklint 自身（docs/editing-workflow.md）", "gklint itself (docs/editing-workflow.en.md)"),
        ),
    ]


@hookimpl
def gklint_rules() -> list[Rule]:
    return gklint_rule_list()
