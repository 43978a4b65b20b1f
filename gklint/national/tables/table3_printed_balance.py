"""GK201 table3-printed-balance: table 3: new + carried over ≠ total results + carried forward."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Problem
from gklint.model import Document
from gklint.national.tables._cells import identity_problems
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Broken identities assigned to GK201."""
    return identity_problems(doc, context, "GK201")
