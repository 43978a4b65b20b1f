"""Where a table that could not be read with confidence is shown (GK209, GK210)."""

from __future__ import annotations

from gklint.model import Document, Span, Table


def _where(doc: Document, table: Table) -> Span | None:
    if table.span is not None:
        return table.span
    for section in doc.sections:
        if section.canonical_title == table.title:
            return section.heading_span
    return None
