"""GK205 table-cell-not-a-count: a table cell is not a non-negative whole number."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.data import StandardData
from gklint.facts import table_name
from gklint.findings import Message, Problem, Related
from gklint.model import Cell, CellKind, Document, Row, Table
from gklint.national.tables._cells import (
    _BLANK,
    _COLLAPSE,
    _INT,
    _MISSING,
    _cell_place,
    _cells,
    _column_spec,
)
from gklint.rule import CheckContext
from gklint.tables import MAX_DIGITS, out_of_range


def _odd_value(cell: Cell) -> bool:
    """Not blank or missing, and not a non-negative integer (the common case: nothing to say)."""
    kind = cell.kind
    if kind is _INT:
        return cell.value < 0 and cell.span is not None  # type: ignore[operator]
    return kind is not _BLANK and kind is not _MISSING and cell.span is not None


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK205: text, a negative number in an unsigned column, a decimal in a count column.

    The same text in three or more cells of a table (``无`` written for zero
    throughout) is one finding for the table.
    """
    problems = list(_value_problems(doc, context.data))
    texts: dict[tuple[str, str], list[tuple[Table, Row, Cell, Problem]]] = {}
    for item in problems:
        table, _, cell, _ = item
        if cell.kind is CellKind.INVALID:
            texts.setdefault((table.id, cell.text), []).append(item)
    systematic = {key: items for key, items in texts.items() if len(items) >= _COLLAPSE}
    done: set[tuple[str, str]] = set()
    for table, _row, cell, problem in problems:
        key = (table.id, cell.text)
        if cell.kind is not CellKind.INVALID or key not in systematic:
            yield problem
        elif key not in done:
            done.add(key)
            yield _systematic_text_problem(systematic[key])


def _systematic_text_problem(items: list[tuple[Table, Row, Cell, Problem]]) -> Problem:
    table, _, cell, first = items[0]
    tzh, ten = table_name(table.id)
    message = Message(
        f"{tzh}有{len(items)}个单元格填写“{cell.text}”，不是数字；统计表只能填写数字，没有的填“0”",
        f"{ten}: {len(items)} cells say “{cell.text}”, not a number; table cells take numbers only (0 for none)",
    )
    related = tuple(Related(p.span, p.message) for _, _, _, p in items[1:])
    return Problem(first.span, message, related=related, key=(table.id, "text", cell.text))


def _value_problems(doc: Document, data: StandardData) -> Iterator[tuple[Table, Row, Cell, Problem]]:
    for table, spec, row, cell in _cells(doc, data, _odd_value):
        col = _column_spec(spec, row.id, cell.column_id)
        if cell.kind is CellKind.INVALID and out_of_range(cell.text):
            zh, en = _cell_place(table, spec, row, col.label)
            shown = f"{cell.text[:12]}…（共 {len(cell.text)} 个字符）"
            shown_en = f"{cell.text[:12]}… ({len(cell.text)} characters)"
            message = Message(f"{zh}填写的“{shown}”超出数值范围（超过 {MAX_DIGITS} 位数字）；请核对该数值",
                              f"{en}: “{shown_en}” is out of range (more than {MAX_DIGITS} digits); check the value")
        elif cell.kind is CellKind.INVALID:
            zh, en = _cell_place(table, spec, row, col.label)
            message = Message(f"{zh}填写的“{cell.text}”不是数字；统计表只能填写数字，没有的填“0”",
                              f"{en}: “{cell.text}” is not a number; table cells take numbers only (0 for none)")
        elif cell.kind is CellKind.DECIMAL and not col.decimal:
            zh, en = _cell_place(table, spec, row, col.label)
            message = Message(f"{zh}填写的“{cell.text}”是小数；此列是件数，只能填写整数",
                              f"{en}: “{cell.text}” is a decimal; this column counts items and takes whole numbers")
        elif cell.number < 0 and not col.signed:
            zh, en = _cell_place(table, spec, row, col.label)
            message = Message(f"{zh}填写的“{cell.text}”是负数；此列只能填写非负数",
                              f"{en}: “{cell.text}” is negative; this column takes non-negative numbers only")
        else:
            continue
        yield table, row, cell, Problem(cell.span, message, key=(table.id, row.label, col.label))
