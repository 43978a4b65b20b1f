"""Heading and label variants contributed by data files (``[[heading_variants]]``, ``[[label_variants]]``).

A data pack cannot edit the national layout files, but it can teach gklint
other ways its reports write a section heading or a table label::

    [[heading_variants]]
    section = "other"                       # section key of the layouts
    variants = ["其他需报告的事项"]
    layouts = ["2021"]                      # optional: default every layout with that section

    [[label_variants]]
    table = "table3"
    row = "（七）总计"                      # row id or canonical label (or column = "自然人")
    variants = ["（七）合计"]

:func:`apply_variants` adds them to the layouts of a :class:`StandardData`
(called by :func:`gklint.data.load_standard_data` after every file is merged).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from gklint.data import ColumnSpec, LayoutSpec, RowSpec, StandardData, TableSpec
from gklint.findings import Message
from gklint.schema import ArrayOf, Table, Text, Texts, Where, in_file, one_of, parse_items

__all__ = ["KEYS", "apply_variants"]

KEYS = ("heading_variants", "label_variants")
_VARIANTS = Texts(nonempty=True, min_items=1, required=True)
_LAYOUTS = Texts(nonempty=True, default=())
HEADING_VARIANT = Table({"section": Text(nonempty=True, required=True), "variants": _VARIANTS, "layouts": _LAYOUTS})
LABEL_VARIANT = Table({
    "table": Text(nonempty=True, required=True),
    "row": Text(nonempty=True),
    "column": Text(nonempty=True),
    "variants": _VARIANTS,
    "layouts": _LAYOUTS,
}, check=one_of("row", "column"))


def _targets(data: StandardData, layouts: tuple[str, ...], at: Where) -> list[LayoutSpec]:
    for lid in layouts:
        if data.layouts and lid not in data.layouts:
            raise at.child("layouts").no_such(Message("布局", "layout"), lid, sorted(data.layouts))
    return [data.layouts[lid] for lid in (layouts or tuple(data.layouts)) if lid in data.layouts]


def _add(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*old, *new)))


def _heading(data: StandardData, raw: Mapping[str, Any], at: Where) -> None:
    key, variants = raw["section"], raw["variants"]
    targets = _targets(data, raw["layouts"], at)
    hit = False
    for layout in targets:
        if layout.section(key) is None:
            continue
        hit = True
        sections = tuple(dataclasses.replace(s, variants=_add(s.variants, variants)) if s.key == key else s
                         for s in layout.sections)
        data.layouts[layout.id] = dataclasses.replace(layout, sections=sections)
    if targets and not hit:
        raise at.child("section").no_such(Message("部分", "section"), key,
                                          sorted({s.key for lay in targets for s in lay.sections}))


def _with_column(table: TableSpec, key: str, variants: tuple[str, ...]) -> TableSpec | None:
    if not any(key in (c.id, c.label) for c in table.columns):
        return None

    def col(c: ColumnSpec) -> ColumnSpec:
        return dataclasses.replace(c, variants=_add(c.variants, variants)) if key in (c.id, c.label) else c

    rows = tuple(dataclasses.replace(r, columns=tuple(col(c) for c in r.columns)) for r in table.rows)
    blocks = tuple(dataclasses.replace(b, columns=tuple(col(c) for c in b.columns),
                                       rows=tuple(r for r in rows if r.block == b.id)) for b in table.blocks)
    return dataclasses.replace(table, columns=tuple(col(c) for c in table.columns), rows=rows, blocks=blocks)


def _with_row(table: TableSpec, key: str, variants: tuple[str, ...]) -> TableSpec | None:
    if not any(key in (r.id, r.label) for r in table.rows):
        return None

    def row(r: RowSpec) -> RowSpec:
        return dataclasses.replace(r, variants=_add(r.variants, variants)) if key in (r.id, r.label) else r

    rows = tuple(row(r) for r in table.rows)
    blocks = tuple(dataclasses.replace(b, rows=tuple(r for r in rows if r.block == b.id)) for b in table.blocks)
    return dataclasses.replace(table, rows=rows, blocks=blocks)


def _label(data: StandardData, raw: Mapping[str, Any], at: Where) -> None:
    table_id, variants = raw["table"], raw["variants"]
    field = "row" if "row" in raw else "column"
    key = raw[field]
    targets = _targets(data, raw["layouts"], at)
    hit = False
    for layout in targets:
        table = layout.tables.get(table_id)
        if table is None:
            continue
        changed = (_with_row if field == "row" else _with_column)(table, key, variants)
        if changed is None:
            continue
        hit = True
        data.layouts[layout.id] = dataclasses.replace(layout, tables={**layout.tables, table_id: changed})
    if targets and not hit:
        what = ("行", "row") if field == "row" else ("列", "column")
        raise at.child(field).error(
            f"{table_id} 中没有 id 或标签为“{key}”的{what[0]}（标签须与模板一致，如“（七）总计”“自然人”）",
            f"{table_id} has no {what[1]} with id or label {key!r} (use the template's label, e.g. （七）总计, 自然人)")


def apply_variants(data: StandardData) -> None:
    """Validate the variant tables of *data* and add them to its layouts; raise :class:`DataError`."""
    for key, schema, apply in (("heading_variants", HEADING_VARIANT, _heading), ("label_variants", LABEL_VARIANT, _label)):
        for path, entries in parse_items(data, key, ArrayOf(schema)):
            for i, raw in enumerate(entries):
                apply(data, raw, in_file(path, key).item(i))
