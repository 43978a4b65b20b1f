"""GK304 extra-row: a table has a row the template lacks."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document, Row
from gklint.national.template._evidence import _found_tables, _short, _where
from gklint.national.template.data import _config
from gklint.normalize import fold
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Rows the template does not have."""
    config = _config(context.data)
    for table in _found_tables(doc):
        fmt = _short(context.data.layouts.get(table.layout or ""), table.layout or "")
        previous: Row | None = None
        note_line = -1
        for row in table.rows:
            if not row.extra:
                previous = row
                continue
            if row.label_span is None:
                continue
            line = doc.position(row.label_span.start).line
            if line == note_line or any(p.search(fold(row.found_label)) for p in config.not_a_row):
                note_line = line  # the rest of a note's line is not a row either
                continue
            values = "、".join(c.text for c in row.cells)
            where_zh, where_en = _where(context.data, table, previous)
            after_zh = f"在“{previous.label}”之后" if previous else ""
            after_en = f" after “{previous.label}”" if previous else ""
            yield Problem(
                row.label_span,
                Message(f"{where_zh}{after_zh}多出一行“{row.found_label}”（数值：{values}），{fmt.zh}没有这一行",
                        f"{where_en}: extra row “{row.found_label}”{after_en} (values: {values}); {fmt.en} has no such row"),
                key=(table.id, row.found_label),
            )
