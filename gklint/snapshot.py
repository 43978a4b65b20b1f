"""A small, JSON-able copy of a document's tables 2–4 for reporters that draw them.

Reporters only receive a :class:`~gklint.results.RunResult`, never the
:class:`~gklint.model.Document`; a reporter that shows the tables (the HTML
report) declares ``needs_tables`` on its factory, and the linter then stores
:func:`table_snapshot` in :attr:`FileResult.tables`.

Shape (plain ``dict`` / ``list`` / ``str`` / ``int`` / ``None``, so it pickles and
serialises as is)::

    {"table3": {"id": "table3", "title": "收到和处理政府信息公开申请情况",
                "status": "found", "layout": "<layout id>",
                "layout_name": ["<zh>", "<en>"],  # the layout's short_name, when the data is given
                "columns": [["natural", "自然人"], ...],
                "rows": [{"id": "disclosed", "label": "（一）予以公开", "found_label": "…",
                          "group": "三、本年度办理结果", "extra": False, "matched": "exact",
                          "at": [145, 2, 145, 9] | None,
                          "cells": [{"column_id": "natural", "column": "自然人", "text": "3",
                                     "kind": "int", "value": "3" | None, "unit": "",
                                     "extra": False, "at": [147, 2, 147, 3] | None}]}]}}

``at`` is ``[line, column, end_line, end_column]`` (1-based, code points, end
exclusive) in the document's coordinates, the same coordinates as every
:class:`~gklint.findings.Location`, so a finding can be matched to the cells it
points at.  Values are strings (``Decimal`` is not JSON).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gklint.model import Document, Span

if TYPE_CHECKING:
    from gklint.data import StandardData

__all__ = ["table_snapshot"]


def _at(doc: Document, span: Span | None) -> list[int] | None:
    if span is None:
        return None
    start, end = doc.position(span.start), doc.position(span.end)
    return [start.line, start.column, end.line, end.column]


def _layout_name(data: StandardData | None, layout_id: str | None) -> dict[str, Any]:
    spec = data.layouts.get(layout_id or "") if data is not None else None
    if spec is None or spec.short_name is None:
        return {}
    return {"layout_name": [spec.short_name.zh, spec.short_name.en]}


def table_snapshot(doc: Document, data: StandardData | None = None) -> dict[str, Any]:
    """Tables of *doc* by id (``table2`` … ``table4``), in the shape described above.

    With *data*, each table also carries the name of the layout it was read with.
    """
    out: dict[str, Any] = {}
    for table_id in sorted(doc.tables):
        table = doc.tables[table_id]
        out[table_id] = {
            "id": table.id,
            "title": table.title,
            "status": table.status.value,
            **({"reconstructed": True} if table.reconstructed else {}),
            "layout": table.layout,
            **_layout_name(data, table.layout),
            "columns": [[cid, label] for cid, label in table.columns],
            "rows": [
                {
                    "id": row.id,
                    "label": row.label,
                    "found_label": row.found_label,
                    "group": row.group,
                    "extra": row.extra,
                    "matched": row.label_matched,
                    "at": _at(doc, row.label_span),
                    "cells": [
                        {
                            "column_id": cell.column_id,
                            "column": cell.column_label,
                            "text": cell.text,
                            "kind": cell.kind.value,
                            "value": None if cell.value is None else str(cell.value),
                            "unit": cell.unit,
                            "extra": cell.extra,
                            "at": _at(doc, cell.span),
                        }
                        for cell in row.cells
                    ],
                }
                for row in table.rows
            ],
        }
    return out
