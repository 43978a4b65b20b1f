"""GK001 and GK002, the rules about suppression comments (plugin ``core-suppressions``).

Their findings come from the filter :func:`gklint.suppress.apply_suppressions`, which the
engine runs after all other rules; this plugin declares them (``suppressions.rules.toml``), so
they can be listed, selected, configured and explained like any rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gklint import hookimpl
from gklint.findings import Problem
from gklint.rule import CheckContext, Rule

if TYPE_CHECKING:
    from gklint.model import Document

__all__ = ["gklint_rule_list", "gklint_rules"]


def _reported_by_engine(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK001/GK002 are reported by the engine after all rules ran (:func:`gklint.suppress.apply_suppressions`)."""
    return iter(())


def gklint_rule_list() -> list[Rule]:
    """GK001 and GK002: problems with the suppression comments themselves."""
    from gklint.declare import load_rules

    return list(load_rules("gklint", "suppressions.rules.toml"))


@hookimpl
def gklint_rules() -> list[Rule]:
    return gklint_rule_list()
