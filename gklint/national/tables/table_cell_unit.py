"""GK208 table-cell-unit: a unit written in a table cell."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.lazyre import lazy
from gklint.model import Cell, Document
from gklint.national.tables._cells import _cell_place, _cells, _column_spec
from gklint.rule import CheckContext

_HEADER_UNIT = lazy(r"单位[:：]\s*([^）)\s]+)")


_MONEY_UNITS = ("万元", "元")


def _with_unit(cell: Cell) -> bool:
    return bool(cell.unit) and cell.span is not None


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK208: a unit in a count cell (``5件``), or a money unit that differs from the header's."""
    for table, spec, row, cell in _cells(doc, context.data, _with_unit):
        col = _column_spec(spec, row.id, cell.column_id)
        zh, en = _cell_place(table, spec, row, col.label)
        m = _HEADER_UNIT.search(col.label)
        header_unit = m.group(1) if m else ""
        if col.decimal:
            if not header_unit or header_unit == cell.unit or cell.unit not in _MONEY_UNITS:
                continue
            message = Message(f"{zh}写的是“{cell.text}”，单位是{cell.unit}，表头单位为{header_unit}，请换算后只填数字",
                              f"{en}: “{cell.text}” is in {cell.unit} but the header's unit is {header_unit}; "
                              "convert and write the number only")
        else:
            message = Message(f"{zh}写的是“{cell.text}”，表格数值只填数字，不写单位“{cell.unit}”",
                              f"{en}: “{cell.text}”; table cells take the number only, without the unit “{cell.unit}”")
        yield Problem(cell.span, message, key=(table.id, row.label, col.label, cell.unit))
