"""GK303 label-wording: a row or column label differs from the template."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Fix, Message, Problem
from gklint.model import Document
from gklint.national.template._evidence import _found_tables, _is_annotation, _short, _where
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Row and column labels are the template's (or a spelling the template accepts)."""
    for table in _found_tables(doc):
        fmt = _short(context.data.layouts.get(table.layout or ""), table.layout or "")
        for row in table.rows:
            if row.extra or row.label_matched != "fuzzy" or row.label_span is None:
                continue
            where_zh, where_en = _where(context.data, table, row)
            yield Problem(
                row.label_span,
                Message(f"{where_zh}的行标签写作“{row.found_label}”，{fmt.zh}为“{row.label}”",
                        f"{where_en}: row label “{row.found_label}”; {fmt.en} has “{row.label}”"),
                fix=Fix(row.label_span, row.label, Message(f"改为“{row.label}”", f"use “{row.label}”")),
                key=(table.id, row.id, row.found_label),
            )
        for header in table.headers:
            if header.matched != "fuzzy" or header.span is None or _is_annotation(header):
                continue
            where_zh, where_en = _where(context.data, table, block=header.block)
            canon = header.label.split("/")[-1]
            yield Problem(
                header.span,
                Message(f"{where_zh}的列标题写作“{header.found_label}”，{fmt.zh}为“{canon}”",
                        f"{where_en}: column header “{header.found_label}”; {fmt.en} has “{canon}”"),
                key=(table.id, header.column_id, header.found_label),
            )
