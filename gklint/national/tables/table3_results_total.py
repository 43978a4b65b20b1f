"""GK202 table3-results-total: table 3: (7) total ≠ the sum of the result rows."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Problem
from gklint.model import Document
from gklint.national.tables._cells import identity_problems
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Broken identities assigned to GK202."""
    return identity_problems(doc, context, "GK202")
