"""Split table rows whose cells ran together into one string of digits (crawled text).

A crawler that drops cell separators turns ``一、本年新收政府信息公开申请数量 | 7 | 13 | 0 | 0 | 0 | 0 | 20``
into ``一、本年新收政府信息公开申请数量713000020``.  Such a string splits into the
row's cells in many ways; the table's identities (勾稽关系, from the layout data)
usually leave exactly one.  :func:`reconstruct` keeps the table when its digits
split in only one way (one digit per cell), or else when exactly one combination
of row splits satisfies every identity; otherwise the table is left for the
caller to mark unreadable.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice, product

from gklint.data import IdentitySpec
from gklint.model import Cell, CellKind, Row, Span, Table

__all__ = ["reconstruct", "runon_rows", "splits"]

#: Give up (ambiguous) past this many combinations of row splits.
_MAX_COMBINATIONS = 20_000
_MAX_SPLITS = 5_000


def splits(digits: str, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut *digits* into *parts* non-negative integers written without leading zeros."""
    if parts == 1:
        if digits and (digits == "0" or digits[0] != "0"):
            yield (int(digits),)
        return
    if not digits:
        return
    longest = 1 if digits[0] == "0" else len(digits) - parts + 1
    for cut in range(1, max(longest, 0) + 1):
        for rest in splits(digits[cut:], parts - 1):
            yield (int(digits[:cut]), *rest)


def runon_rows(table: Table) -> list[Row]:
    """Rows read as one run of digits in the first cell and nothing in the others."""
    out = []
    for row in table.rows:
        if row.extra or len(row.cells) < 2:
            continue
        first, rest = row.cells[0], row.cells[1:]
        if (first.kind is CellKind.INT and first.text.isdigit() and len(first.text) >= 2
                and all(c.kind is CellKind.MISSING for c in rest)):
            out.append(row)
    return out


class _Grid:
    """Values by (row id, column id), with labels resolved to ids."""

    def __init__(self, table: Table) -> None:
        self.values: dict[tuple[str, str], int] = {}
        self.row_ids = {r.id: r.id for r in table.rows if not r.extra}
        self.row_ids.update({r.label: r.id for r in table.rows if not r.extra})
        self.col_ids = {cid: cid for cid, _ in table.columns}
        self.col_ids.update({label: cid for cid, label in table.columns})
        self.data_rows = [r.id for r in table.rows if not r.extra and r.cells]
        for row in table.rows:
            if row.extra:
                continue
            for cell in row.cells:
                if cell.kind is CellKind.INT and isinstance(cell.value, int):
                    self.values[(row.id, cell.column_id)] = cell.value

    def get(self, row: str, column: str) -> int:
        return self.values.get((self.row_ids.get(row, row), self.col_ids.get(column, column)), 0)

    def holds(self, identity: IdentitySpec) -> bool:
        if identity.kind == "column":
            return all(
                sum(self.get(r, c) for r in identity.lhs) == sum(self.get(r, c) for r in identity.rhs)
                for c in self.col_ids.values()
            )
        if identity.kind == "row":
            return all(
                sum(self.get(r, c) for c in identity.lhs) == sum(self.get(r, c) for c in identity.rhs)
                for r in self.data_rows
            )
        def cell(term: str) -> int:
            row, _, column = term.partition("|")
            return self.get(row, column)
        return sum(map(cell, identity.lhs)) == sum(map(cell, identity.rhs))


def _row_ok(row: Row, values: Sequence[int], identities: list[IdentitySpec], labels: dict[str, str]) -> bool:
    """Does a candidate split satisfy the identities that involve this row alone (*labels*: column
    label -> column id)?"""
    by_id = dict(zip([c.column_id for c in row.cells], values, strict=True))
    for identity in identities:
        if identity.kind == "row":
            lhs = sum(by_id.get(labels.get(c, c), 0) for c in identity.lhs)
            rhs = sum(by_id.get(labels.get(c, c), 0) for c in identity.rhs)
            if lhs != rhs:
                return False
        elif identity.kind == "cells":
            terms = [t.partition("|") for t in (*identity.lhs, *identity.rhs)]
            if all(r in (row.id, row.label) for r, _, _ in terms):
                lhs = sum(by_id.get(labels.get(c, c), 0) for _, _, c in (t.partition("|") for t in identity.lhs))
                rhs = sum(by_id.get(labels.get(c, c), 0) for _, _, c in (t.partition("|") for t in identity.rhs))
                if lhs != rhs:
                    return False
    return True


def reconstruct(table: Table, identities: list[IdentitySpec]) -> bool | None:
    """Split the run-on rows of *table* in place if exactly one combination fits every identity.

    Returns ``None`` when there is nothing to split, ``True`` when the table was
    reconstructed, ``False`` when no split or more than one fits (the table is left as it was).
    """
    rows = runon_rows(table)
    if not rows:
        return None
    originals = [row.cells for row in rows]
    only = [list(islice(splits(row.cells[0].text, len(row.cells)), 2)) for row in rows]
    if all(len(options) == 1 for options in only):
        # one value per digit: the split is the only one, whatever the figures say (the rules check them)
        _assign(rows, originals, [options[0] for options in only])
        table.reconstructed = True
        return True
    own = [i for i in identities if i.table == table.id]
    labels = {label: cid for cid, label in table.columns}
    candidates: list[list[tuple[int, ...]]] = []
    for row in rows:
        options = []
        for values in splits(row.cells[0].text, len(row.cells)):
            if _row_ok(row, values, own, labels):
                options.append(values)
                if len(options) > _MAX_SPLITS:
                    return False
        if not options:
            return False
        candidates.append(options)
    total = 1
    for options in candidates:
        total *= len(options)
    if total > _MAX_COMBINATIONS:
        return False
    whole = [i for i in own if i.kind == "column"]
    found: tuple[tuple[int, ...], ...] | None = None
    for combination in product(*candidates):
        _assign(rows, originals, combination)
        grid = _Grid(table)
        if all(grid.holds(i) for i in whole):
            if found is not None:
                _restore(rows, originals)
                return False
            found = combination
    if found is None:
        _restore(rows, originals)
        return False
    _assign(rows, originals, found)
    table.reconstructed = True
    return True


def _assign(rows: list[Row], originals: list[list[Cell]], combination: Sequence[tuple[int, ...]]) -> None:
    """Give each run-on row the cells of its split, located inside the run of digits."""
    for row, cells, values in zip(rows, originals, combination, strict=True):
        span = cells[0].span
        pos = span.start if span is not None else None
        out: list[Cell] = []
        for cell, value in zip(cells, values, strict=True):
            text = str(value)
            at = Span(pos, pos + len(text)) if pos is not None else None
            out.append(Cell(cell.row_id, cell.row_label, cell.column_id, cell.column_label, text,
                            CellKind.INT, value, at))
            if pos is not None:
                pos += len(text)
        row.cells = out


def _restore(rows: list[Row], originals: list[list[Cell]]) -> None:
    for row, cells in zip(rows, originals, strict=True):
        row.cells = cells
