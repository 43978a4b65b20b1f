"""GK206 table-row-or-cells-missing: a table row or values are missing."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.data import TableSpec
from gklint.facts import table_name
from gklint.findings import Message, Problem, Related
from gklint.model import Cell, Document, Row, Table
from gklint.national.tables._cells import (
    _row_name,
    _single_row,
    _table_spec,
    _tables,
    _template_cells,
    short_cells,
)
from gklint.rule import CheckContext


def _row_cell_groups(table: Table) -> Iterator[tuple[Row, list[Cell]]]:
    for row in table.rows:
        if not row.extra and row.label_matched != "missing":
            short = short_cells(row)
            if short:
                yield row, short


def _missing_rows(table: Table, spec: TableSpec | None) -> Iterator[Problem]:
    data_ids = {r.id for r in spec.data_rows()} if spec is not None else None
    rows = [r for r in table.rows if not r.extra]
    missing = [r for r in rows if r.label_matched == "missing" and (data_ids is None or r.id in data_ids)]
    if not missing:
        return
    tzh, ten = table_name(table.id)
    found = [r for r in rows if r.label_span is not None]
    names = [_row_name(spec, r.id, r.label) for r in missing]
    expected = len(data_ids) if data_ids is not None else len(rows)
    if len(missing) > max(3, expected // 2) and found:
        listed = "”“".join(names[:5]) + ("”等" if len(names) > 5 else "”")
        yield Problem(
            found[0].label_span,
            Message(f"{tzh}按模板应有{expected}个数据行，缺少{len(missing)}行：“{listed}",
                    f"{ten} lacks {len(missing)} of the template's rows: " + ", ".join(names[:5])
                    + (", …" if len(names) > 5 else "")),
            key=(table.id, "rows", *[r.label for r in missing]),
        )
        return
    for row, name in zip(missing, names, strict=True):
        index = rows.index(row)
        after = next((r for r in rows[index + 1 :] if r.label_span is not None), None)
        before = next((r for r in reversed(rows[:index]) if r.label_span is not None), None)
        near = after or before
        if near is None:
            continue
        near_name = _row_name(spec, near.id, near.label)
        where_zh = "之前" if near is after else "之后"
        where_en = "before" if near is after else "after"
        yield Problem(
            near.label_span,
            Message(f"{tzh}缺少“{name}”行（按模板应在“{near_name}”行{where_zh}）",
                    f"{ten} lacks the row “{name}” (the template has it {where_en} “{near_name}”)"),
            key=(table.id, "row", row.label),
        )


def _missing_cells(table: Table, spec: TableSpec | None) -> Iterator[Problem]:
    tzh, ten = table_name(table.id)
    groups: dict[tuple[str, ...], list[Row]] = {}
    for row, short in _row_cell_groups(table):
        groups.setdefault(tuple(c.column_label for c in short), []).append(row)
    for columns, rows in groups.items():
        cols = "”“".join(columns)
        if len(rows) >= 3:
            first = rows[0]
            yield Problem(
                first.label_span,
                Message(f"{tzh}有{len(rows)}行缺少最后{len(columns)}个数值（按顺序应为“{cols}”列），可能漏填了整列",
                        f"{ten}: {len(rows)} rows lack their last {len(columns)} value(s) (in order the “{cols}” "
                        "column); a whole column may be missing"),
                related=tuple(Related(r.label_span, Message(f"“{_row_name(spec, r.id, r.label)}”行",
                                                            f"row “{_row_name(spec, r.id, r.label)}”"))
                              for r in rows[1:]),
                key=(table.id, "columns", *columns),
            )
            continue
        for row in rows:
            have = len(_template_cells(row)) - len(columns)
            total = len(_template_cells(row))
            if _single_row(spec):
                head_zh, head_en = tzh, ten
            else:
                name = _row_name(spec, row.id, row.label)
                head_zh, head_en = f"{tzh}“{name}”行", f"{ten}, row “{name}”"
            yield Problem(
                row.label_span,
                Message(f"{head_zh}只有{have}个数值，模板有{total}列，缺少{len(columns)}个"
                        f"（按顺序缺的是“{cols}”列；如是中间的单元格空着，请填“0”）",
                        f"{head_en} has {have} values but the template has {total} columns; {len(columns)} "
                        f"missing (in order the “{cols}” column; if a cell in between is empty, write 0 there)"),
                key=(table.id, "cells", row.label, *columns),
            )


def _has_values(table: Table) -> bool:
    """Did the reader find any value of the table (else it is prose the reader took for a label)?"""
    return any(c.span is not None for r in table.rows if not r.extra for c in _template_cells(r))


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK206: template rows not found, rows whose values ran short (not when the whole table is absent)."""
    for table in _tables(doc):
        if not _has_values(table):
            continue  # no table here, only a label-like sentence: the sections family reports it
        spec = _table_spec(context.data, table)
        yield from _missing_rows(table, spec)
        yield from _missing_cells(table, spec)
