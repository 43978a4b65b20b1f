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

from gklint.data import (
    ColumnSpec,
    LayoutSpec,
    RowSpec,
    StandardData,
    TableSpec,
    data_error,
    table_array,
)

__all__ = ["KEYS", "apply_variants"]

KEYS = ("heading_variants", "label_variants")
_HEADING_FIELDS = ("section", "variants", "layouts")
_LABEL_FIELDS = ("table", "row", "column", "variants", "layouts")



def _strings(raw: Mapping[str, Any], name: str, path: str, where: str, *, required: bool) -> tuple[str, ...]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value) or (required and not value):
        need = "非空字符串的非空列表" if required else "非空字符串的列表"
        raise data_error(path, f"{where}.{name}", f"应为{need}", "expected a non-empty list of non-empty strings"
                   if required else "expected a list of non-empty strings")
    return tuple(value)


def _string(raw: Mapping[str, Any], name: str, path: str, where: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise data_error(path, f"{where}.{name}", "应为非空字符串", "expected a non-empty string")
    return value


def _targets(data: StandardData, layouts: tuple[str, ...], path: str, where: str) -> list[LayoutSpec]:
    for lid in layouts:
        if data.layouts and lid not in data.layouts:
            raise data_error(path, f"{where}.layouts", f"没有布局 {lid}（已有：{', '.join(sorted(data.layouts))}）",
                       f"no layout {lid} (known: {', '.join(sorted(data.layouts))})")
    return [data.layouts[lid] for lid in (layouts or tuple(data.layouts)) if lid in data.layouts]


def _add(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*old, *new)))


def _heading(data: StandardData, path: str, i: int, raw: Mapping[str, Any]) -> None:
    where = f"heading_variants[{i}]"
    key = _string(raw, "section", path, where)
    variants = _strings(raw, "variants", path, where, required=True)
    targets = _targets(data, _strings(raw, "layouts", path, where, required=False), path, where)
    hit = False
    for layout in targets:
        if layout.section(key) is None:
            continue
        hit = True
        sections = tuple(dataclasses.replace(s, variants=_add(s.variants, variants)) if s.key == key else s
                         for s in layout.sections)
        data.layouts[layout.id] = dataclasses.replace(layout, sections=sections)
    if targets and not hit:
        known = sorted({s.key for lay in targets for s in lay.sections})
        raise data_error(path, f"{where}.section", f"没有键为“{key}”的部分（可用：{', '.join(known)}）",
                   f"no section with key {key!r} (known: {', '.join(known)})")


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


def _label(data: StandardData, path: str, i: int, raw: Mapping[str, Any]) -> None:
    where = f"label_variants[{i}]"
    table_id = _string(raw, "table", path, where)
    if ("row" in raw) == ("column" in raw):
        raise data_error(path, where, "须写 row 或 column 之一（只写一个）", "give exactly one of row or column")
    field = "row" if "row" in raw else "column"
    key = _string(raw, field, path, where)
    variants = _strings(raw, "variants", path, where, required=True)
    targets = _targets(data, _strings(raw, "layouts", path, where, required=False), path, where)
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
        raise data_error(path, f"{where}.{field}",
                   f"{table_id} 中没有 id 或标签为“{key}”的{what[0]}（标签须与模板一致，如“（七）总计”“自然人”）",
                   f"{table_id} has no {what[1]} with id or label {key!r} (use the template's label, e.g. （七）总计, 自然人)")


def apply_variants(data: StandardData) -> None:
    """Validate the variant tables of *data* and add them to its layouts; raise :class:`DataError`."""
    for path, value in data.items("heading_variants"):
        for i, raw in enumerate(table_array(value, path, "heading_variants", _HEADING_FIELDS)):
            _heading(data, path, i, raw)
    for path, value in data.items("label_variants"):
        for i, raw in enumerate(table_array(value, path, "label_variants", _LABEL_FIELDS)):
            _label(data, path, i, raw)
