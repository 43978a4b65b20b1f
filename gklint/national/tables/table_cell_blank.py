"""GK207 table-cell-blank: a table cell is blank."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.data import TableSpec
from gklint.facts import table_name
from gklint.findings import Message, Problem, Related
from gklint.model import Cell, Document, Row, Span, Table
from gklint.national.tables._cells import (
    _BLANK,
    _COLLAPSE,
    _MISSING,
    CellView,
    _cell_place,
    _column_spec,
    _row_name,
    _single_row,
    _table_spec,
    _tables,
    _template_cells,
    row_view,
)
from gklint.rule import CheckContext


def _blank_cells(doc: Document, row: Row) -> list[tuple[Cell, Span | None]]:
    blanks: list[tuple[Cell, Span | None]] = []
    views: dict[str, CellView] | None = None
    for cell in _template_cells(row):
        if cell.kind is _BLANK:
            blanks.append((cell, cell.span))
        elif cell.kind is _MISSING:
            views = views or row_view(doc, row)  # (rare: an empty cell of a separated row)
            if views is not None:
                blanks.append((cell, views[cell.column_id].span))
    return blanks


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK207: blank cells (``-``, ``/``, empty cells of a separated row): one finding per row,
    or one per table when blanks are the table's habit (three rows or more)."""
    for table in _tables(doc):
        spec = _table_spec(context.data, table)
        rows = [(row, blanks) for row in table.rows if not row.extra and (blanks := _blank_cells(doc, row))]
        if len(rows) >= _COLLAPSE:
            yield _blank_table_problem(table, spec, rows)
            continue
        for row, blanks in rows:
            yield _blank_problem(table, spec, row, blanks)


def _blank_table_problem(
    table: Table, spec: TableSpec | None, rows: list[tuple[Row, list[tuple[Cell, Span | None]]]]
) -> Problem:
    tzh, ten = table_name(table.id)
    count = sum(len(blanks) for _, blanks in rows)
    message = Message(
        f"{tzh}有{count}个单元格空白（{len(rows)}行），计算时按0计；没有数据的应填“0”",
        f"{ten} has {count} blank cells in {len(rows)} rows, counted as 0; write 0 where there is nothing to count",
    )
    related = []
    for row, blanks in rows[1:]:
        name = _row_name(spec, row.id, row.label)
        related.append(Related(blanks[0][1], Message(f"“{name}”行有{len(blanks)}个空白单元格",
                                                     f"row “{name}” has {len(blanks)} blank cell(s)")))
    return Problem(rows[0][1][0][1], message, related=tuple(related), key=(table.id, "blank"))


def _blank_problem(table: Table, spec: TableSpec | None, row: Row, blanks: list[tuple[Cell, Span | None]]) -> Problem:
    first, span = blanks[0]
    cols = "”“".join(_column_spec(spec, row.id, c.column_id).label for c, _ in blanks)
    if len(blanks) == 1:
        zh, en = _cell_place(table, spec, row, cols)
        shown = f"“{first.text}”" if first.text else "空白"
        message = Message(f"{zh}为{shown}，计算时按0计；没有数据的应填“0”",
                          f"{en} is blank, counted as 0; write 0 where there is nothing to count")
    else:
        tzh, ten = table_name(table.id)
        name = _row_name(spec, row.id, row.label)
        head = (tzh, ten) if _single_row(spec) else (f"{tzh}“{name}”行", f"{ten}, row “{name}”")
        message = Message(f"{head[0]}有{len(blanks)}个单元格空白（“{cols}”），计算时按0计；没有数据的应填“0”",
                          f"{head[1]} has {len(blanks)} blank cells (“{cols}”), counted as 0; write 0 instead")
    related = tuple(
        Related(s, Message(f"“{_column_spec(spec, row.id, c.column_id).label}”空白",
                           f"“{_column_spec(spec, row.id, c.column_id).label}” is blank"))
        for c, s in blanks[1:]
    )
    return Problem(span, message, related=related, key=(table.id, row.label, *(c.column_label for c, _ in blanks)))
