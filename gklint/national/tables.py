"""GK2 table arithmetic: the 勾稽关系 of tables 3 and 4, and the cells of tables 2–4.

The identities are data: the ``[[identities]]`` of the layout files and of data
packs (kinds ``column``, ``row`` and ``cells``, see :class:`gklint.data.IdentitySpec`).
One engine (:func:`evaluate`) evaluates them all on the tables the structure
builder read; ``[identity_rules]`` (``rules/tables.toml``) says which rule
reports which identity:

* GK201 – table 3, per column: 一 + 二 = 三（七）总计 + 四 (printed in the table);
* GK202 – table 3, per column: （七）总计 = the sum of the result rows;
* GK203 – table 3, per row: 总计 = the six applicant columns;
* GK204 – table 4: four outcomes = 总计, per group; and every identity that no
  ``[identity_rules]`` entry assigns (those a data pack adds).

Cells: GK205 (not a non-negative integer: text, negative, decimal in a count
column), GK206 (a row or cells missing), GK207 (blank cell, counted as 0),
GK208 (a unit written in a cell that does not match the column).

To avoid cascades an identity is not evaluated where its inputs are unknown:
a row that is missing, or whose values ran short (so that the values it has
may sit in the wrong columns), or a cell that is not a number.  GK205/GK206
report those; an editor sees the cause once, not a dozen broken sums.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from gklint import hookimpl
from gklint.data import ColumnSpec, DataError, IdentitySpec, StandardData, TableSpec
from gklint.findings import Message, Problem, Related, Severity
from gklint.lazyre import lazy
from gklint.model import Cell, CellKind, Document, Row, Span, Table, TableStatus
from gklint.rule import CheckContext, Example, Rule
from gklint.tables import MAX_DIGITS, out_of_range

__all__ = ["CellView", "Outcome", "Term", "evaluate", "gklint_rules", "identity_rule_map", "row_view", "short_cells"]

Number = int | Decimal

#: Rules that report identities; an identity no ``[identity_rules]`` entry names goes to the last.
IDENTITY_RULES = ("GK201", "GK202", "GK203", "GK204")
FALLBACK_RULE = "GK204"

_TRAILING_NOTE = lazy(r"(?<=.)[（(][^（）()]*[）)]$")
_NUMBERING = lazy(r"^(?:[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}、|\d{1,2}[.．、])")
_HEADER_UNIT = lazy(r"单位[:：]\s*([^）)\s]+)")
_MONEY_UNITS = ("万元", "元")


# -- data --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Standard:
    """What this family reads from the standard data, validated once."""

    rule_of: Mapping[str, str]  # identity id -> rule id




def _data_error(file: str, key: str, zh: str, en: str) -> DataError:
    return DataError(Message(f"{file}: 键 {key}：{zh}", f"{file}: key {key}: {en}"))


def _row_spec_ok(spec: TableSpec, term: str) -> bool:
    return any(term in (r.id, r.label) and not r.group_only for r in spec.rows)


def _column_spec_ok(spec: TableSpec, term: str) -> bool:
    return any(term in (c.id, c.label) for c in spec.columns)


def _validate_identity(ident: IdentitySpec, layout_id: str, spec: TableSpec | None) -> None:
    """Raise DataError unless every term of *ident* names a row/column of its table in *layout_id*."""
    where = f"identities.{ident.id}"
    if spec is None:
        raise _data_error(ident.source, f"{where}.table", f"布局 {layout_id} 中没有表 {ident.table}",
                          f"layout {layout_id} has no table {ident.table}")
    if not ident.lhs or not ident.rhs:
        raise _data_error(ident.source, where, "lhs 与 rhs 都不能为空", "lhs and rhs must not be empty")
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
                raise _data_error(
                    ident.source, f"{where}.{side}",
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
    for file, value in data.items("identity_rules"):
        if not isinstance(value, Mapping):
            raise _data_error(file, "identity_rules", "应为表 {GK201 = [\"T3-1\"], …}",
                              'expected a table {GK201 = ["T3-1"], ...}')
        for rule_id, ids in value.items():
            key = f"identity_rules.{rule_id}"
            if rule_id not in IDENTITY_RULES:
                raise _data_error(file, key, f"只能是 {'、'.join(IDENTITY_RULES)} 之一",
                                  f"must be one of {', '.join(IDENTITY_RULES)}")
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise _data_error(file, key, "应为勾稽关系编号的列表", "expected a list of identity ids")
            for ident_id in ids:
                if ident_id not in known:
                    raise _data_error(file, key, f"没有编号为 {ident_id} 的勾稽关系", f"no identity {ident_id!r}")
                if rule_of.get(ident_id, rule_id) != rule_id:
                    raise _data_error(file, key, f"{ident_id} 已归入 {rule_of[ident_id]}",
                                      f"{ident_id} is already assigned to {rule_of[ident_id]}")
                rule_of[ident_id] = rule_id
    return _Standard(rule_of)


def _standard(data: StandardData) -> _Standard:
    """The validated GK2 view of *data* (computed once per StandardData object)."""
    return data.derived("tables", _compile)


def identity_rule_map(data: StandardData) -> dict[str, str]:
    """Identity id -> reporting rule id, for every identity of every layout in *data*."""
    rule_of = _standard(data).rule_of
    return {
        ident.id: rule_of.get(ident.id, FALLBACK_RULE)
        for layout in data.layouts.values()
        for ident in data.identities(layout.id)
    }


# -- names ---------------------------------------------------------------------------


def _table_name(table: Table) -> tuple[str, str]:
    number = table.id[-1]
    return f"表{number}", f"table {number}"


def _short(label: str) -> str:
    """A row label without its trailing parenthetical note (``（二）部分公开``)."""
    return _TRAILING_NOTE.sub("", label)


def _row_name(spec: TableSpec | None, row_id: str, label: str) -> str:
    """Display name of a row: short label, prefixed by its group's numbering when nested (``（三）4.…``)."""
    name = _short(label)
    if spec is None:
        return name
    row = spec.row(row_id)
    group = spec.row(row.group) if row is not None and row.group else None
    if group is not None and group.group:
        m = _NUMBERING.match(group.label)
        if m:
            name = m.group() + name
    return name


def _column_name(label: str) -> str:
    return label.split("/")[-1]


def _single_row(spec: TableSpec | None) -> bool:
    return spec is not None and len(spec.data_rows()) == 1


def _cell_place(table: Table, spec: TableSpec | None, row: Row, column_label: str) -> tuple[str, str]:
    """``表3“（一）予以公开”行“自然人”列`` (``表4“行政复议/总计”栏`` for one-row tables)."""
    tzh, ten = _table_name(table)
    if _single_row(spec):
        return f"{tzh}“{column_label}”栏", f"{ten}, cell “{column_label}”"
    name = _row_name(spec, row.id, row.label)
    return f"{tzh}“{name}”行“{column_label}”列", f"{ten}, row “{name}”, column “{column_label}”"


def _fmt(value: Number) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


# -- reading cells -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellView:
    """A template cell as the identities see it.

    ``value`` is ``None`` when the cell is not a number (``无``); blank cells
    count as 0.  ``span`` is the cell's span, or an empty span where an empty
    cell of a separated row sits.
    """

    cell: Cell
    span: Span | None
    value: Number | None

    @property
    def blank(self) -> bool:
        return self.cell.kind in (CellKind.BLANK, CellKind.MISSING)


def _gap(text: str, after: int) -> Span:
    """Empty span where an empty cell follows offset *after* (past one separator)."""
    p = after
    while p < len(text) and text[p] in " \u3000":
        p += 1
    if p < len(text) and text[p] in "\t|｜":
        p += 1
    return Span(p, p)


def _template_cells(row: Row) -> list[Cell]:
    """The cells of *row* the template has (not to be changed: may be ``row.cells`` itself)."""
    cells = row.cells
    if cells and cells[-1].extra:  # the reader appends spilled cells after the template's
        return [c for c in cells if not c.extra]
    return cells


def short_cells(row: Row) -> list[Cell]:
    """The template cells at the end of *row* for which no value was found."""
    cells = _template_cells(row)
    end = len(cells)
    while end and cells[end - 1].kind is _MISSING:
        end -= 1
    return cells[end:]


_MISSING, _BLANK, _INT, _DECIMAL = CellKind.MISSING, CellKind.BLANK, CellKind.INT, CellKind.DECIMAL


def row_view(doc: Document, row: Row) -> dict[str, CellView] | None:
    """Column id -> :class:`CellView` of *row*, or ``None`` when the row cannot be trusted.

    A row is not trusted when it is missing or its values ran short: the values
    it has may then sit in the wrong columns.  A ``MISSING`` cell followed by
    present ones is an empty cell of a separated row: blank, 0.
    """
    cells = _template_cells(row)
    if row.label_matched == "missing" or row.extra or not cells or cells[-1].kind is CellKind.MISSING:
        return None  # (the last cell MISSING <=> short_cells(row))
    out: dict[str, CellView] = {}
    prev_end = row.label_span.end if row.label_span else 0
    for cell in cells:
        span = cell.span if cell.span is not None else _gap(doc.text, prev_end)
        prev_end = span.end
        if cell.kind in (CellKind.INT, CellKind.DECIMAL):
            value: Number | None = cell.value
        elif cell.kind in (CellKind.BLANK, CellKind.MISSING):
            value = 0
        else:
            value = None
        out[cell.column_id] = CellView(cell, span, value)
    return out


def _row_values(row: Row) -> dict[str, Number | None] | None:
    """Column id -> the value :func:`row_view` gives each cell, or ``None`` for the rows it does not trust."""
    cells = _template_cells(row)
    if row.label_matched == "missing" or row.extra or not cells or cells[-1].kind is _MISSING:
        return None
    out: dict[str, Number | None] = {}
    for cell in cells:
        value = cell.value
        if value is None and (cell.kind is _BLANK or cell.kind is _MISSING):
            value = 0
        out[cell.column_id] = value
    return out


def _tables(doc: Document) -> Iterator[Table]:
    for table in doc.tables.values():
        if table.status is TableStatus.FOUND:
            yield table


def _table_spec(data: StandardData, table: Table) -> TableSpec | None:
    layout = data.layouts.get(table.layout or "")
    return layout.tables.get(table.id) if layout else None


def _column_spec(spec: TableSpec | None, row_id: str, column_id: str) -> ColumnSpec:
    if spec is not None:
        row = spec.row(row_id)
        for col in (row.columns if row is not None and row.columns else spec.columns):
            if col.id == column_id:
                return col
    return ColumnSpec(column_id, column_id)


# -- the identity engine -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One cell of an identity instance: short name for the sum, full place for related locations."""

    name: str
    view: CellView
    table: Table
    spec: TableSpec
    row: Row
    column_label: str

    @property
    def place(self) -> tuple[str, str]:
        return _cell_place(self.table, self.spec, self.row, self.column_label)

    @property
    def value(self) -> Number:
        return self.view.value if self.view.value is not None else 0


@dataclass(frozen=True, slots=True)
class Outcome:
    """One evaluated instance of an identity (one column, one row, or the listed cells)."""

    identity: IdentitySpec
    table: Table
    where: tuple[str, str]  # "表3“自然人”列", "table 3, column 自然人"
    instance: str  # canonical label of the column or row; "" for kind "cells"
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]

    @property
    def lhs_sum(self) -> Number:
        return sum((t.value for t in self.lhs), 0)

    @property
    def rhs_sum(self) -> Number:
        return sum((t.value for t in self.rhs), 0)

    @property
    def balanced(self) -> bool:
        return self.lhs_sum == self.rhs_sum

    @property
    def anchor(self) -> Term:
        """The cell a finding points at: the sole term of a one-term side, else the first on the right."""
        if len(self.lhs) == 1:
            return self.lhs[0]
        return self.rhs[0]


class _TableView:
    """Rows of one table by template id, with their cell views (computed lazily)."""

    def __init__(self, doc: Document, table: Table, spec: TableSpec) -> None:
        self.doc, self.table, self.spec = doc, table, spec
        self.rows = {r.id: r for r in table.rows if not r.extra}
        self._views: dict[str, dict[str, CellView] | None] = {}
        self._names: dict[str, str] = {}

    def row_id(self, term: str) -> str:
        return _row_id(self.spec, term)

    def column(self, term: str) -> ColumnSpec:
        return _column(self.spec, term)

    def view(self, row_id: str) -> dict[str, CellView] | None:
        if row_id not in self._views:
            row = self.rows.get(row_id)
            self._views[row_id] = row_view(self.doc, row) if row is not None else None
        return self._views[row_id]

    def term(self, row_id: str, column: ColumnSpec, name: str) -> Term | None:
        views = self.view(row_id)
        cell = views.get(column.id) if views else None
        if cell is None or cell.value is None:
            return None
        return Term(name, cell, self.table, self.spec, self.rows[row_id], column.label)

    def row_name(self, row_id: str) -> str:
        if row_id not in self._names:
            self._names[row_id] = _row_name(self.spec, row_id, self.rows[row_id].label)
        return self._names[row_id]


def _terms(items: Iterable[Term | None]) -> tuple[Term, ...] | None:
    out = tuple(items)
    return None if any(t is None for t in out) else out  # type: ignore[return-value]


def _column_outcome(tv: _TableView, ident: IdentitySpec, column: ColumnSpec,
                    lhs_rows: list[str], rhs_rows: list[str]) -> Outcome | None:
    lhs = _terms(tv.term(r, column, tv.row_name(r)) for r in lhs_rows)
    rhs = _terms(tv.term(r, column, tv.row_name(r)) for r in rhs_rows)
    if lhs is None or rhs is None:
        return None
    tzh, ten = _table_name(tv.table)
    where = (f"{tzh}“{column.label}”列", f"{ten}, column “{column.label}”")
    return Outcome(ident, tv.table, where, column.label, lhs, rhs)


def _column_outcomes(tv: _TableView, ident: IdentitySpec) -> Iterator[Outcome]:
    lhs_rows = [tv.row_id(t) for t in ident.lhs]
    rhs_rows = [tv.row_id(t) for t in ident.rhs]
    if any(tv.view(r) is None for r in lhs_rows + rhs_rows):
        return  # a row is missing or short: GK206
    for column in tv.spec.columns:
        outcome = _column_outcome(tv, ident, column, lhs_rows, rhs_rows)
        if outcome is not None:
            yield outcome


def _row_outcome(tv: _TableView, ident: IdentitySpec, row_id: str, label: str,
                 lhs_cols: list[ColumnSpec], rhs_cols: list[ColumnSpec]) -> Outcome | None:
    lhs = _terms(tv.term(row_id, c, _column_name(c.label)) for c in lhs_cols)
    rhs = _terms(tv.term(row_id, c, _column_name(c.label)) for c in rhs_cols)
    if lhs is None or rhs is None:
        return None
    tzh, ten = _table_name(tv.table)
    name = tv.row_name(row_id)
    where = (f"{tzh}“{name}”行", f"{ten}, row “{name}”")
    return Outcome(ident, tv.table, where, label, lhs, rhs)


def _row_outcomes(tv: _TableView, ident: IdentitySpec) -> Iterator[Outcome]:
    lhs_cols = [tv.column(t) for t in ident.lhs]
    rhs_cols = [tv.column(t) for t in ident.rhs]
    for spec_row in tv.spec.data_rows():
        if spec_row.id not in tv.rows or tv.view(spec_row.id) is None:
            continue
        outcome = _row_outcome(tv, ident, spec_row.id, spec_row.label, lhs_cols, rhs_cols)
        if outcome is not None:
            yield outcome


def _common_prefix(labels: list[str]) -> str:
    parts = [label.split("/")[:-1] for label in labels]
    prefix: list[str] = []
    for segments in zip(*parts, strict=False):
        if len(set(segments)) != 1:
            break
        prefix.append(segments[0])
    return "/".join(prefix)


def _cells_outcome(tv: _TableView, ident: IdentitySpec) -> Outcome | None:
    refs = []
    for term in (*ident.lhs, *ident.rhs):
        row, _, col = term.partition("|")
        refs.append((tv.row_id(row), tv.column(col)))
    if any(tv.view(r) is None for r, _ in refs):
        return None
    tzh, ten = _table_name(tv.table)
    one_row = len({r for r, _ in refs}) == 1
    prefix = _common_prefix([c.label for _, c in refs]) if one_row else ""
    if one_row and prefix:
        where = (f"{tzh}“{prefix}”", f"{ten}, “{prefix}”")
        names = [c.label[len(prefix) + 1 :] for _, c in refs]
    elif one_row and _single_row(tv.spec):
        where = (tzh, ten)
        names = [c.label for _, c in refs]
    elif one_row:
        name = tv.row_name(refs[0][0])
        where = (f"{tzh}“{name}”行", f"{ten}, row “{name}”")
        names = [_column_name(c.label) for _, c in refs]
    else:
        where = (tzh, ten)
        names = [f"{tv.row_name(r)}·{c.label}" for r, c in refs]
    terms = _terms(tv.term(r, c, n) for (r, c), n in zip(refs, names, strict=True))
    if terms is None:
        return None
    n = len(ident.lhs)
    return Outcome(ident, tv.table, where, "", terms[:n], terms[n:])


class _Plan(NamedTuple):
    """An identity resolved against its table's template, for evaluating on numbers alone.

    ``lhs``/``rhs`` hold row ids (kind ``column``) or column ids (kind ``row``);
    ``cells`` the ``(row id, column id)`` of each term, left side first (kind ``cells``).
    """

    ident: IdentitySpec
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    cells: tuple[tuple[str, str], ...] = ()


def _row_id(spec: TableSpec, term: str) -> str:
    """The id of the row an identity term names (by id or label; validated to exist)."""
    return next(r.id for r in spec.rows if term in (r.id, r.label))


def _column(spec: TableSpec, term: str) -> ColumnSpec:
    """The column an identity term names (by id or label; validated to exist)."""
    return next(c for c in spec.columns if term in (c.id, c.label))


def _compile_plans(data: StandardData) -> dict[tuple[str, str], list[_Plan]]:
    """(layout id, table id) -> the plans of its identities, in :meth:`StandardData.identities` order."""
    _standard(data)  # the terms are validated: every one resolves
    plans: dict[tuple[str, str], list[_Plan]] = {}
    for layout in data.layouts.values():
        for ident in data.identities(layout.id):
            spec = layout.tables[ident.table]
            if ident.kind == "column":
                plan = _Plan(ident, tuple(_row_id(spec, t) for t in ident.lhs),
                             tuple(_row_id(spec, t) for t in ident.rhs))
            elif ident.kind == "row":
                plan = _Plan(ident, tuple(_column(spec, t).id for t in ident.lhs),
                             tuple(_column(spec, t).id for t in ident.rhs))
            else:
                pairs = []
                for term in (*ident.lhs, *ident.rhs):
                    row, _, col = term.partition("|")
                    pairs.append((_row_id(spec, row), _column(spec, col).id))
                plan = _Plan(ident, (), (), tuple(pairs))
            plans.setdefault((layout.id, ident.table), []).append(plan)
    return plans


def _sum(values: Iterable[Number | None]) -> Number | None:
    """The sum, or ``None`` when a value is not a number."""
    total: Number = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _unbalanced(left: Number | None, right: Number | None) -> bool:
    return left is not None and right is not None and left != right


def _broken_outcomes(doc: Document, data: StandardData) -> list[Outcome]:
    """The unbalanced instances of :func:`evaluate`, in its order.

    Every instance is first evaluated on the numbers alone; terms and names are
    built only for the few that do not balance.
    """
    plans = data.derived("tables.plans", _compile_plans)
    out: list[Outcome] = []
    for table in _tables(doc):
        spec = _table_spec(data, table)
        if spec is None or table.layout is None:
            continue
        grid = {row.id: _row_values(row) for row in table.rows if not row.extra}
        tv: _TableView | None = None
        for plan in plans.get((table.layout, table.id), ()):
            ident = plan.ident
            if ident.kind == "column":
                lhs_rows = [v for r in plan.lhs if (v := grid.get(r)) is not None]
                rhs_rows = [v for r in plan.rhs if (v := grid.get(r)) is not None]
                if len(lhs_rows) < len(plan.lhs) or len(rhs_rows) < len(plan.rhs):
                    continue
                for column in spec.columns:
                    cid = column.id
                    if _unbalanced(_sum([v.get(cid) for v in lhs_rows]), _sum([v.get(cid) for v in rhs_rows])):
                        tv = tv or _TableView(doc, table, spec)
                        outcome = _column_outcome(tv, ident, column, list(plan.lhs), list(plan.rhs))
                        if outcome is not None:
                            out.append(outcome)
            elif ident.kind == "row":
                for spec_row in spec.data_rows():
                    values = grid.get(spec_row.id)
                    if values is None:
                        continue
                    if _unbalanced(_sum([values.get(c) for c in plan.lhs]), _sum([values.get(c) for c in plan.rhs])):
                        tv = tv or _TableView(doc, table, spec)
                        outcome = _row_outcome(tv, ident, spec_row.id, spec_row.label,
                                               [tv.column(c) for c in ident.lhs], [tv.column(c) for c in ident.rhs])
                        if outcome is not None:
                            out.append(outcome)
            else:
                rows = [v for r, _ in plan.cells if (v := grid.get(r)) is not None]
                if len(rows) < len(plan.cells):
                    continue
                cell_values = [row.get(c) for row, (_, c) in zip(rows, plan.cells, strict=True)]
                n = len(ident.lhs)
                if _unbalanced(_sum(cell_values[:n]), _sum(cell_values[n:])):
                    tv = tv or _TableView(doc, table, spec)
                    outcome = _cells_outcome(tv, ident)
                    if outcome is not None:
                        out.append(outcome)
    return out


def evaluate(doc: Document, data: StandardData, broken_only: bool = False) -> list[Outcome]:
    """Every evaluable instance of every identity of the tables *doc* has (balanced or not).

    With *broken_only*, only the unbalanced instances (same order): balanced ones
    are checked on the numbers alone, without building their terms and names.
    """
    _standard(data)  # validates the identities' terms
    if broken_only:
        return _broken_outcomes(doc, data)
    out: list[Outcome] = []
    for table in _tables(doc):
        spec = _table_spec(data, table)
        if spec is None or table.layout is None:
            continue
        tv = _TableView(doc, table, spec)
        for ident in data.identities(table.layout):
            if ident.table != table.id:
                continue
            if ident.kind == "column":
                out.extend(_column_outcomes(tv, ident))
            elif ident.kind == "row":
                out.extend(_row_outcomes(tv, ident))
            else:
                outcome = _cells_outcome(tv, ident)
                if outcome is not None:
                    out.append(outcome)
    return out


# -- identity findings ---------------------------------------------------------------

_RELATED_ALL = 8  # instances with more cells list only the non-zero and blank ones as related


def _value_text(term: Term) -> tuple[str, str]:
    if term.view.blank:
        return "空白（按0计）", "blank (counted as 0)"
    value = _fmt(term.value)
    return value, value


def _side(terms: tuple[Term, ...], total: Number) -> tuple[str, str]:
    if len(terms) == 1:
        return f"{terms[0].name}={_fmt(total)}", f"{terms[0].name} = {_fmt(total)}"
    if len(terms) <= 4:
        zh = "+".join(f"{t.name}（{_value_text(t)[0]}）" for t in terms)
        en = " + ".join(f"{t.name} ({_value_text(t)[1]})" for t in terms)
        return f"{zh}={_fmt(total)}", f"{en} = {_fmt(total)}"
    first, last = terms[0].name, terms[-1].name
    return (f"{first}至{last}共{len(terms)}项之和={_fmt(total)}",
            f"the sum of the {len(terms)} items {first} … {last} = {_fmt(total)}")


def _identity_problem(outcome: Outcome) -> Problem:
    lhs_zh, lhs_en = _side(outcome.lhs, outcome.lhs_sum)
    rhs_zh, rhs_en = _side(outcome.rhs, outcome.rhs_sum)
    diff = _fmt(abs(Decimal(outcome.lhs_sum) - Decimal(outcome.rhs_sum)))
    desc = outcome.identity.description
    message = Message(
        f"{outcome.where[0]}：{lhs_zh}，{rhs_zh}，相差{diff}；应满足：{desc.zh}",
        f"{outcome.where[1]}: {lhs_en}, but {rhs_en}; difference {diff}; expected: {desc.en}",
    )
    anchor = outcome.anchor
    terms = [t for t in (*outcome.lhs, *outcome.rhs) if t is not anchor]
    if len(terms) + 1 > _RELATED_ALL:
        terms = [t for t in terms if t.value != 0 or t.view.blank]
    related = tuple(
        Related(t.view.span, Message(f"{t.place[0]}={_value_text(t)[0]}", f"{t.place[1]} = {_value_text(t)[1]}"))
        for t in terms
    )
    key = (outcome.table.id, outcome.identity.id, outcome.instance)
    return Problem(anchor.view.span, message, related=related, key=key)


_LAST: list[tuple[Document, StandardData, list[Outcome]]] = []


def _evaluated(doc: Document, data: StandardData) -> list[Outcome]:
    """The unbalanced instances of :func:`evaluate`, remembered for the last document
    (the identity rules run one after another)."""
    if _LAST and _LAST[0][0] is doc and _LAST[0][1] is data:
        return _LAST[0][2]
    outcomes = evaluate(doc, data, broken_only=True)
    _LAST[:] = [(doc, data, outcomes)]
    return outcomes


#: From this many rows (or cells) on, one systematic defect is reported once per table.
_COLLAPSE = 3


def _expected(outcome: Outcome) -> Number:
    """The value the anchor cell would need for the identity to hold."""
    anchor = outcome.anchor
    gap = outcome.rhs_sum - outcome.lhs_sum
    return anchor.value + gap if anchor in outcome.lhs else anchor.value - gap


def _blank_totals_problem(outcomes: list[Outcome]) -> Problem:
    """One finding for many instances of one identity whose total cell was left blank."""
    first = outcomes[0]
    tzh, ten = _table_name(first.table)
    shown = outcomes[:3]
    more = "等" if len(outcomes) > len(shown) else ""
    listed_zh = "，".join(f"{o.anchor.place[0].removeprefix(tzh)}应为{_fmt(_expected(o))}" for o in shown)
    listed_en = "; ".join(f"{o.anchor.place[1].removeprefix(ten + ', ')} should be {_fmt(_expected(o))}" for o in shown)
    desc = first.identity.description
    message = Message(
        f"{tzh}有{len(outcomes)}处“{first.anchor.name}”空白（按0计），与应有的和不符：{listed_zh}{more}；应满足：{desc.zh}",
        f"{ten}: {len(outcomes)} “{first.anchor.name}” cells are blank (counted as 0) and do not match their "
        f"sums: {listed_en}{'; …' if more else ''}; expected: {desc.en}",
    )
    related = tuple(
        Related(o.anchor.view.span, Message(f"{o.anchor.place[0]}应为{_fmt(_expected(o))}",
                                            f"{o.anchor.place[1]} should be {_fmt(_expected(o))}"))
        for o in outcomes[1:]
    )
    return Problem(first.anchor.view.span, message, related=related,
                   key=(first.table.id, first.identity.id, "blank"))


def _identity_check(rule_id: str) -> Callable[[Document, CheckContext], Iterator[Problem]]:
    def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
        rule_of = _standard(context.data).rule_of
        broken = [o for o in _evaluated(doc, context.data)
                  if not o.balanced and rule_of.get(o.identity.id, FALLBACK_RULE) == rule_id]
        blank_totals: dict[tuple[str, str], list[Outcome]] = {}
        for outcome in broken:
            if outcome.anchor.view.blank:
                blank_totals.setdefault((outcome.table.id, outcome.identity.id), []).append(outcome)
        collapsed = {id(o) for group in blank_totals.values() if len(group) >= _COLLAPSE for o in group}
        for outcome in broken:
            if id(outcome) not in collapsed:
                yield _identity_problem(outcome)
        for group in blank_totals.values():
            if len(group) >= _COLLAPSE:
                yield _blank_totals_problem(group)

    check.__doc__ = f"Broken identities assigned to {rule_id}."
    return check


# -- cell findings -------------------------------------------------------------------


def _cells(doc: Document, data: StandardData,
           wanted: Callable[[Cell], bool]) -> Iterator[tuple[Table, TableSpec | None, Row, Cell]]:
    """The *wanted* template cells of the template rows of every table found."""
    for table in _tables(doc):
        spec = _table_spec(data, table)
        for row in table.rows:
            if row.extra:
                continue
            for cell in _template_cells(row):
                if wanted(cell):
                    yield table, spec, row, cell


def _odd_value(cell: Cell) -> bool:
    """Not blank or missing, and not a non-negative integer (the common case: nothing to say)."""
    kind = cell.kind
    if kind is _INT:
        return cell.value < 0 and cell.span is not None  # type: ignore[operator]
    return kind is not _BLANK and kind is not _MISSING and cell.span is not None


def _with_unit(cell: Cell) -> bool:
    return bool(cell.unit) and cell.span is not None


def check_values(doc: Document, context: CheckContext) -> Iterator[Problem]:
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
    tzh, ten = _table_name(table)
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
    tzh, ten = _table_name(table)
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
    tzh, ten = _table_name(table)
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


def check_missing(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK206: template rows not found, rows whose values ran short (not when the whole table is absent)."""
    for table in _tables(doc):
        if not _has_values(table):
            continue  # no table here, only a label-like sentence: the sections family reports it
        spec = _table_spec(context.data, table)
        yield from _missing_rows(table, spec)
        yield from _missing_cells(table, spec)


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


def check_blank(doc: Document, context: CheckContext) -> Iterator[Problem]:
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
    tzh, ten = _table_name(table)
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
        tzh, ten = _table_name(table)
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


def check_units(doc: Document, context: CheckContext) -> Iterator[Problem]:
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


# -- rules ---------------------------------------------------------------------------

_T3_SOURCE_2021 = "国办公开办函〔2021〕30号 附件 表3"
_T3_SOURCE_2020 = "国办公开办函〔2019〕60号 附件 表3（2019、2020年度报告）"

# Fragments of the example report (make_report(), "cells" flattening).
_T3_CARRIED_FORWARD = "\t四、结转下年度继续办理\n\t\n\t\n\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n"
_T3_DISCLOSED = "\t（一）予以公开\n\t\n\t2\n\t1\n\t0\n\t0\n\t0\n\t0\n\t3\n"
_T3_SECRET = "\t1.属于国家秘密\n\t0\n"
_T3_ENFORCEMENT_CASES = "\t\n\t\n\t7.属于行政执法案卷\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n"
_T4_VALUES = "\t总计\n\n\t1\n\t0\n\t0\n\t1\n\t2\n\t1\n\t0\n\t0\n\t0\n\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n"
_T2_FEES = "\t行政事业性收费\n\t0\n"


def _rule(
    rule_id: str, name: str, severity: Severity, short: Message, full: Message, help_: Message,
    check: Callable[[Document, CheckContext], Iterable[Problem]], source: Message, examples: tuple[Example, ...],
) -> Rule:
    return Rule(rule_id, name, "GK2", severity, short, full, help_, check, source, examples)


def _rules() -> list[Rule]:
    return [
        _rule(
            "GK201", "table3-printed-balance", Severity.ERROR,
            Message("表3勾稽关系不成立：第一项加第二项之和不等于第三项加第四项之和",
                    "table 3: new + carried over ≠ total results + carried forward"),
            Message(
                "表3表头注明“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”，即每一列都应满足"
                "“一、本年新收+二、上年结转=三、本年度办理结果（七）总计+四、结转下年度继续办理”。"
                "这是格式本身印明的关系，不成立说明有数字填错或漏填。空白单元格按0计算；"
                "某行缺失或数值不全时不计算（见GK206）。",
                "Table 3 states in its header that in every column 'item one plus item two equals item three "
                "plus item four': new applications + carried over = total results (七) + carried forward. "
                "It is printed in the format; when it fails a number is wrong or missing. Blank cells count "
                "as 0; a missing or short row is not evaluated (see GK206).",
            ),
            Message("逐列核对四个数：本年新收、上年结转、（七）总计、结转下年度，改正填错的那一个。",
                    "Check the four numbers of the column and correct the wrong one."),
            _identity_check("GK201"),
            Message(f"{_T3_SOURCE_2021}表头注明的勾稽关系；{_T3_SOURCE_2020}同",
                    f"{_T3_SOURCE_2021}, the relation printed in the header; likewise {_T3_SOURCE_2020}"),
            (Example(bad="| 四、结转下年度继续办理 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n",
                     good="| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n", replaces=_T3_CARRIED_FORWARD),),
        ),
        _rule(
            "GK202", "table3-results-total", Severity.ERROR,
            Message("表3“（七）总计”不等于各项办理结果之和", "table 3: (7) total ≠ the sum of the result rows"),
            Message(
                "表3“三、本年度办理结果”下的“（七）总计”应等于（一）至（六）各行之和（2021年起的格式中"
                "（六）其他处理分3行，2019、2020年格式中为1行），逐列核对。格式未印明此等式，但“总计”即此含义。",
                "Table 3's (7) total must equal the sum of the result rows (一)–(六) in every column "
                "((六) has three sub-rows from the 2021 format on, one row in the 2019/2020 format). "
                "The format does not print this equation; it is what 总计 means.",
            ),
            Message("把（一）至（六）各行在该列的数相加，改正总计或填错的办理结果。",
                    "Add up the result rows of that column and correct the total or the wrong result."),
            _identity_check("GK202"),
            Message(f"{_T3_SOURCE_2021}“（七）总计”行（由“总计”的含义推出，格式未印明等式）",
                    f"{_T3_SOURCE_2021}, row (7) total (implied by 总计; the equation is not printed)"),
            (Example(bad="| （一）予以公开 | 3 | 1 | 0 | 0 | 0 | 0 | 4 |\n",
                     good="| （一）予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |\n", replaces=_T3_DISCLOSED),),
        ),
        _rule(
            "GK203", "table3-row-total", Severity.ERROR,
            Message("表3某行的“总计”不等于各类申请人之和", "table 3: a row's 总计 ≠ the six applicant columns"),
            Message(
                "表3每一行的“总计”列应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。"
                "格式未印明此等式，但“总计”即此含义。",
                "In every row of table 3 the 总计 column must equal the six applicant columns "
                "(natural persons, businesses, research, public-interest, legal-service, other). "
                "Implied by 总计; not printed.",
            ),
            Message("把该行六类申请人的数相加，改正总计或填错的那一列。",
                    "Add up the six applicant columns and correct the total or the wrong column."),
            _identity_check("GK203"),
            Message(f"{_T3_SOURCE_2021}“总计”列（由表头推出，格式未印明等式）",
                    f"{_T3_SOURCE_2021}, column 总计 (implied by the header; not printed)"),
            (Example(bad="| （一）予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 4 |\n",
                     good="| （一）予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |\n", replaces=_T3_DISCLOSED),),
        ),
        _rule(
            "GK204", "table4-group-total", Severity.ERROR,
            Message("表4某组的“总计”不等于四种结果之和（或数据文件中的其他勾稽关系不成立）",
                    "table 4: a group's 总计 ≠ its four outcomes (or another identity from a data file fails)"),
            Message(
                "表4中“行政复议”“行政诉讼/未经复议直接起诉”“行政诉讼/复议后起诉”三组，每组的“总计”应等于"
                "结果维持、结果纠正、其他结果、尚未审结之和。格式未印明等式，但“总计”即此含义。"
                "复议与复议后起诉之间没有等式，不作核对。数据包补充的勾稽关系若未指定规则，也由本规则报告。",
                "In table 4 each group (administrative review; suits without review; suits after review) "
                "must have 总计 = upheld + corrected + other + pending. Implied by 总计; not printed. No "
                "relation between review and suits is checked. Identities added by data packs without an "
                "[identity_rules] entry are reported by this rule too.",
            ),
            Message("把该组四种结果相加，改正总计或填错的结果。",
                    "Add up the group's four outcomes and correct the total or the wrong outcome."),
            _identity_check("GK204"),
            Message("国办公开办函〔2021〕30号 附件 表4“总计”列（由“总计”的含义推出，格式未印明等式）",
                    "国办公开办函〔2021〕30号, attachment, table 4, the 总计 columns (implied; not printed)"),
            (Example(bad="\t总计\n\n| 1 | 0 | 0 | 1 | 3 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |\n",
                     good="\t总计\n\n| 1 | 0 | 0 | 1 | 2 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |\n",
                     replaces=_T4_VALUES),),
        ),
        _rule(
            "GK205", "table-cell-not-a-count", Severity.ERROR,
            Message("表格单元格不是非负整数", "a table cell is not a non-negative whole number"),
            Message(
                "表2、表3、表4的数值是件数、项数，只能是非负整数：不能写文字（如“无”“1O”），不能为负数，"
                "不能为小数。例外：2019、2020年格式表2“本年增/减”列可以为负数；金额列（“本年收费金额（单位：万元）”"
                "“采购总金额”）可以有小数。空白单元格见GK207，单位见GK208。",
                "Tables 2–4 count items: a cell must be a non-negative whole number, not text (无, 1O), not "
                "negative, not a decimal. Exceptions: 本年增/减 of the 2019/2020 table 2 may be negative; "
                "money columns may have decimals. Blank cells: GK207; units: GK208.",
            ),
            Message("改为阿拉伯数字；没有的填“0”。", "Write an Arabic number; 0 where there is nothing."),
            check_values,
            Message("国办公开办函〔2021〕30号 附件 表2至表4（件数为非负整数，由表格含义推出）",
                    "国办公开办函〔2021〕30号, attachment, tables 2-4 (counts; implied by the tables)"),
            (Example(bad="\t1.属于国家秘密\n\t无\n", good=_T3_SECRET, replaces=_T3_SECRET),),
        ),
        _rule(
            "GK206", "table-row-or-cells-missing", Severity.ERROR,
            Message("表格缺少行或数值", "a table row or values are missing"),
            Message(
                "表2至表4应有模板的全部行和列。某行找不到，或某行的数值少于模板列数（后面的列没有数），"
                "说明漏填或删改了表格。这样的行不参与勾稽关系核对，以免误报。整张表缺失由章节规则报告。",
                "Tables 2–4 must have every row and column of the template. A row that is not found, or a "
                "row with fewer values than columns, means the table was cut or left incomplete. Such rows "
                "are left out of the identities. A table missing altogether is reported by the sections rules.",
            ),
            Message("按格式模板补齐该行或各列的数值，没有的填“0”。",
                    "Restore the row or the missing values from the template; write 0 where there is nothing."),
            check_missing,
            Message("国办公开办函〔2021〕30号 附件（表格模板）；2019、2020年度为国办公开办函〔2019〕60号 附件",
                    "国办公开办函〔2021〕30号, attachment (the table templates); 国办公开办函〔2019〕60号 for 2019/2020"),
            (Example(bad="| 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
                     good="| 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n", replaces=_T3_ENFORCEMENT_CASES),),
        ),
        _rule(
            "GK207", "table-cell-blank", Severity.WARNING,
            Message("表格单元格空白", "a table cell is blank"),
            Message(
                "单元格空白或只写“-”“/”时，看不出是0还是漏填。核对勾稽关系时按0计算。",
                "A blank cell (or one with only - or /) does not say whether it is 0 or left out. "
                "The identities count it as 0.",
            ),
            Message("没有数据的单元格填“0”。", "Write 0 in cells with nothing to count."),
            check_blank,
            Message("通行做法：没有数字的单元格填“0”（年度报告格式没有规定空白的写法）",
                    "common practice: a cell with nothing to count holds 0 (the report format does not say how to write it)"),
            (Example(bad="\t1.属于国家秘密\n\t-\n", good=_T3_SECRET, replaces=_T3_SECRET),),
        ),
        _rule(
            "GK208", "table-cell-unit", Severity.INFO,
            Message("表格单元格中写了单位", "a unit written in a table cell"),
            Message(
                "件数列只填数字，不写“件”“项”等单位；金额列的单位以表头为准（如“本年收费金额（单位：万元）”），"
                "单元格写了与表头不同的单位（如“元”）时数值可能差一万倍。表头没有单位的金额列写明单位不提示。",
                "Count cells take the number only, without 件/项; in money columns the header's unit counts "
                "(本年收费金额（单位：万元）) and a different unit in the cell (元) may be off by 10,000. A unit in "
                "a money column whose header gives none is fine.",
            ),
            Message("去掉单位；金额按表头单位换算后只填数字。",
                    "Drop the unit; convert money to the header's unit and write the number."),
            check_units,
            Message("国办公开办函〔2021〕30号 附件 表2“本年收费金额（单位：万元）”；件数不写单位为惯例",
                    "国办公开办函〔2021〕30号, table 2 header 本年收费金额（单位：万元）; no unit in counts is practice"),
            (Example(bad="\t行政事业性收费\n\t3500元\n", good="\t行政事业性收费\n\t0.35\n", replaces=_T2_FEES),),
        ),
    ]


@hookimpl
def gklint_rules() -> list[Rule]:
    return _rules()


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    _standard(data)
    return ["identity_rules"]
