"""GK506 no-address: contact details without an address."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Problem
from gklint.model import Document
from gklint.national.contact._details import _missing
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK506: contact details without an address."""
    yield from _missing(doc, context, "address", "地址", "address")
