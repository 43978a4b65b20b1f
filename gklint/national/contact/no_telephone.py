"""GK502 no-telephone: contact details without a telephone."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Problem
from gklint.model import Document
from gklint.national.contact._details import _missing
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK502: contact details without a telephone number (a fax alone does not count)."""
    yield from _missing(doc, context, "telephone", "电话", "telephone")
