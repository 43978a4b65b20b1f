"""What the table checks share: cell views of tables 2–4, the identity engine (:func:`evaluate`), the cells' places and names."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from gklint.data import ColumnSpec, IdentitySpec, StandardData, TableSpec
from gklint.facts import table_name
from gklint.findings import Message, Problem, Related
from gklint.lazyre import lazy
from gklint.model import Cell, CellKind, Document, Row, Span, Table, TableStatus
from gklint.national.tables.data import _standard
from gklint.rule import CheckContext

Number = int | Decimal


FALLBACK_RULE = "GK204"


_TRAILING_NOTE = lazy(r"(?<=.)[（(][^（）()]*[）)]$")


_NUMBERING = lazy(r"^(?:[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}、|\d{1,2}[.．、])")


def identity_rule_map(data: StandardData) -> dict[str, str]:
    """Identity id -> reporting rule id, for every identity of every layout in *data*."""
    rule_of = _standard(data).rule_of
    return {
        ident.id: rule_of.get(ident.id, FALLBACK_RULE)
        for layout in data.layouts.values()
        for ident in data.identities(layout.id)
    }


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
    tzh, ten = table_name(table.id)
    if _single_row(spec):
        return f"{tzh}“{column_label}”栏", f"{ten}, cell “{column_label}”"
    name = _row_name(spec, row.id, row.label)
    return f"{tzh}“{name}”行“{column_label}”列", f"{ten}, row “{name}”, column “{column_label}”"


def _fmt(value: Number) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


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
    tzh, ten = table_name(tv.table.id)
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
    tzh, ten = table_name(tv.table.id)
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
    tzh, ten = table_name(tv.table.id)
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
    tzh, ten = table_name(first.table.id)
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


def identity_problems(doc: Document, context: CheckContext, rule_id: str) -> Iterator[Problem]:
    """The broken identities that ``[identity_rules]`` assigns to *rule_id* (GK201–GK204)."""
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
