"""GK203 table3-row-total: table 3: a row's 总计 ≠ the six applicant columns."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Problem
from gklint.model import Document
from gklint.national.tables._cells import identity_problems
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Broken identities assigned to GK203."""
    return identity_problems(doc, context, "GK203")
