"""The tables (GK2) family's data: built and validated once at load time (``gklint_validate_data``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gklint import hookimpl
from gklint.data import IdentitySpec, StandardData, TableSpec
from gklint.findings import Message
from gklint.schema import Choice, MapOf, Texts, in_file, parse_items

#: Rules that report identities; an identity no ``[identity_rules]`` entry names goes to the last.
IDENTITY_RULES = ("GK201", "GK202", "GK203", "GK204")


@dataclass(frozen=True, slots=True)
class _Standard:
    """What this family reads from the standard data, validated once."""

    rule_of: Mapping[str, str]  # identity id -> rule id


#: ``[identity_rules]``: which rule reports which identities (rule id = [identity ids]).
IDENTITY_RULES_TABLE = MapOf(Texts(), key=Choice(*IDENTITY_RULES))


def _row_spec_ok(spec: TableSpec, term: str) -> bool:
    return any(term in (r.id, r.label) and not r.group_only for r in spec.rows)


def _column_spec_ok(spec: TableSpec, term: str) -> bool:
    return any(term in (c.id, c.label) for c in spec.columns)


def _validate_identity(ident: IdentitySpec, layout_id: str, spec: TableSpec | None) -> None:
    """Raise DataError unless every term of *ident* names a row/column of its table in *layout_id*."""
    at = in_file(ident.source, f"identities.{ident.id}")
    if spec is None:
        raise at.child("table").error(f"布局 {layout_id} 中没有表 {ident.table}", f"layout {layout_id} has no table {ident.table}")
    if not ident.lhs or not ident.rhs:
        raise at.error("lhs 与 rhs 都不能为空", "lhs and rhs must not be empty")
    for side, terms in (("lhs", ident.lhs), ("rhs", ident.rhs)):
        for term in terms:
            if ident.kind == "column":
                ok = _row_spec_ok(spec, term)
            elif ident.kind == "row":
                ok = _column_spec_ok(spec, term)
            else:
                row, sep, col = term.partition("|")
                ok = bool(sep) and _row_spec_ok(spec, row) and _column_spec_ok(spec, col)
            if not ok:
                what = {"column": "数据行", "row": "列", "cells": "“行|列”单元格"}[ident.kind]
                raise at.child(side).error(
                    f"“{term}”不是布局 {layout_id} 中{ident.table}的{what}（如只适用于部分布局，请设置 layouts）",
                    f"{term!r} is not a {ident.kind} term of {ident.table} in layout {layout_id} "
                    "(set `layouts` if the identity applies to some layouts only)",
                )


def _compile(data: StandardData) -> _Standard:
    known: set[str] = set()
    for layout in data.layouts.values():
        for ident in data.identities(layout.id):
            _validate_identity(ident, layout.id, layout.tables.get(ident.table))
            known.add(ident.id)
    rule_of: dict[str, str] = {}
    for file, table in parse_items(data, "identity_rules", IDENTITY_RULES_TABLE):
        for rule_id, ids in table.items():
            for i, ident_id in enumerate(ids):
                at = in_file(file, "identity_rules").child(rule_id).item(i)
                if ident_id not in known:
                    raise at.no_such(Message("勾稽关系", "identity"), ident_id)
                if rule_of.get(ident_id, rule_id) != rule_id:
                    raise at.error(f"{ident_id} 已归入 {rule_of[ident_id]}", f"{ident_id} is already assigned to {rule_of[ident_id]}")
                rule_of[ident_id] = rule_id
    return _Standard(rule_of)


def _standard(data: StandardData) -> _Standard:
    """The validated GK2 view of *data* (computed once per StandardData object)."""
    return data.derived("tables", _compile)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    _standard(data)
    return ["identity_rules"]
