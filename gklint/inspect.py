"""``gklint inspect``: the parsed model of a report as JSON-ready data.

Users debug a surprising finding with it; rule-pack authors learn the model
from it.  Positions are ``line:column`` (1-based, code points) in the
coordinates named by ``coordinates``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gklint.model import Document, Period, Span

if TYPE_CHECKING:
    from gklint.data import StandardData

__all__ = ["inspect_document"]


def _pos(doc: Document, span: Span | None) -> str | None:
    return doc.place(span)


def _period(doc: Document, period: Period | None) -> dict[str, Any] | None:
    if period is None:
        return None
    return {"text": period.text, "at": _pos(doc, period.span), "start": list(period.start), "end": list(period.end),
            "written": period.written, "basis": period.basis}


def _facts(doc: Document) -> dict[str, Any]:
    """The facts read once (:mod:`gklint.facts`): the period, its statements, the image placeholders."""
    facts = doc.facts
    return {
        "period": _period(doc, facts.period),
        "period_statements": [{"text": doc.snippet(s.span), "at": _pos(doc, s.span), "period": _period(doc, s.period)}
                              for s in facts.period_statements],
        "images": [{"text": doc.snippet(span), "at": _pos(doc, span)} for span in facts.images],
    }


def inspect_document(doc: Document, data: StandardData | None = None) -> dict[str, Any]:
    """Sections, tables (every cell with labels, value and position), layout, metadata, the facts, and the
    agency and year the report is identified by, with their evidence (:mod:`gklint.identity`;
    *data* gives the abbreviations of agency names)."""
    from gklint.identity import identify

    meta = doc.metadata
    return {
        "path": doc.path,
        "reader": doc.reader,
        "encoding": doc.encoding,
        "coordinates": doc.coordinates,
        "metadata": {
            "title": meta.title,
            "title_at": _pos(doc, meta.title_span),
            "agency": meta.agency,
            "year": meta.year,
            "year_from_title": meta.year_from_title,
            "year_from_period": meta.year_from_period,
            "period": meta.period_text,
            "period_at": _pos(doc, meta.period_span),
            "intro": [{"at": _pos(doc, p.span), "text": p.text} for p in meta.intro],
        },
        "facts": _facts(doc),
        "identity": identify(doc, data).as_dict(doc),
        "layout": {
            "layout": doc.layout.layout,
            "tables": doc.layout.tables,
            "markers": [{"text": m.text, "layout": m.layout, "at": _pos(doc, m.span)} for m in doc.layout.markers],
            "reason": doc.layout.reason(),
        },
        "sections": [
            {
                "number": s.number,
                "key": s.key,
                "title": s.title,
                "canonical_title": s.canonical_title,
                "match": s.match,
                "at": _pos(doc, s.heading_span),
                "line_range": [doc.position(s.heading_span.start).line, doc.position(max(s.body_span.end - 1, s.body_span.start)).line],
                "headings": [{"number": h.number, "title": h.title, "level": h.level, "at": _pos(doc, h.span)} for h in s.headings],
                "paragraphs": len(s.paragraphs),
            }
            for s in doc.sections
        ],
        "tables": {
            tid: {
                "status": t.status.value,
                "reading": t.reading,
                **({"reasons": list(t.notes)} if t.notes else {}),
                "layout": t.layout,
                "at": _pos(doc, t.span),
                "headers": [
                    {"id": h.column_id, "label": h.label, "found": h.found_label, "match": h.matched, "at": _pos(doc, h.span)}
                    for h in t.headers
                ],
                "rows": [
                    {
                        "id": r.id,
                        "label": r.label,
                        "found_label": r.found_label,
                        "match": r.label_matched,
                        "group": r.group,
                        "extra": r.extra,
                        "at": _pos(doc, r.label_span),
                        "cells": [
                            {
                                "column": c.column_label,
                                "text": c.text,
                                "kind": c.kind.value,
                                "value": (str(c.value) if c.value is not None else None),
                                "at": _pos(doc, c.span),
                                **({"extra": True} if c.extra else {}),
                            }
                            for c in r.cells
                        ],
                    }
                    for r in t.rows
                ],
            }
            for tid, t in doc.tables.items()
        },
        "notes": doc.notes,
        "repairs": list(doc.repairs),
        "truncated_at": _pos(doc, doc.truncated),
    }
