"""GK305 extra-values: extra values in a row, or an annotation added to a header."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.facts import table_name
from gklint.findings import Message, Problem, Severity
from gklint.model import CellKind, Document
from gklint.national.template._evidence import _found_tables, _is_annotation, _where
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Values beyond the template's columns in a template row, and annotations added to a column header."""
    for table in _found_tables(doc):
        for row in table.rows:
            extra = [c for c in row.cells if c.extra and c.span is not None]
            if row.extra or not extra:
                continue
            n = len(row.cells) - len(extra)
            values = "、".join(f"“{c.text}”" for c in extra)
            where_zh, where_en = table_name(table.id)
            message = Message(f"{where_zh}“{row.label}”行多出{len(extra)}个数值{values}（模板为{n}列），这些数值未参与核对",
                              f"{where_en} row “{row.label}” has {len(extra)} value(s) more than the template's {n} columns: {values}; they are not checked")
            # a number other than 0 that nobody checked may be a figure that shifted: worth a warning
            numbers = [c for c in extra if c.kind in (CellKind.INT, CellKind.DECIMAL) and c.value]
            if numbers:
                shown = "、".join(f"“{c.text}”" for c in numbers)
                message = Message(f"{message.zh}；{'其中' if len(extra) > 1 else ''}{shown}不是0，请确认数值没有错位",
                                  f"{message.en}, and {shown} is not 0: make sure no figure shifted")
            yield Problem(
                extra[0].span,
                message,
                key=(table.id, row.id, str(len(extra))),
                severity=Severity.WARNING if numbers else None,
            )
        for header in table.headers:
            if header.matched != "fuzzy" or header.span is None or not _is_annotation(header):
                continue
            where_zh, where_en = _where(context.data, table, block=header.block)
            canon = header.label.split("/")[-1]
            yield Problem(
                header.span,
                Message(f"{where_zh}的列标题写作“{header.found_label}”，在模板的“{canon}”上加了说明",
                        f"{where_en}: column header “{header.found_label}” adds an annotation to the template's “{canon}”"),
                key=(table.id, header.column_id, header.found_label),
            )
