"""GK204 table4-group-total: table 4: a group's 总计 ≠ its four outcomes (or another identity from a data file fails)."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Problem
from gklint.model import Document
from gklint.national.tables._cells import identity_problems
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Broken identities assigned to GK204."""
    return identity_problems(doc, context, "GK204")
