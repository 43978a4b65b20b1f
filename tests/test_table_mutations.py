"""Changing any single number of table 3 or table 4 breaks an identity, and GK2 says where.

For every template cell of tables 3 and 4 (cells the template does not have are
skipped) the number at the cell's span is changed (+1; 1 for a blank), the
document is rebuilt and the identity rules GK201–GK204 are run.  At least one
finding must point (span or related span) at a cell of an identity that
contains the changed cell.  Which identities contain a cell is read from the
identity definitions of the standard data, not from the rules' engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gklint.data import IdentitySpec
from gklint.findings import Problem
from gklint.model import Cell, CellKind, Document, Span
from gklint.national.tables import gklint_rules
from gklint.rule import CheckContext
from gklint.testing import FLATTENINGS, load_document, make_report, standard_data

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
IDENTITY_RULES = [r for r in gklint_rules() if r.id in ("GK201", "GK202", "GK203", "GK204")]


def _context() -> CheckContext:
    return CheckContext(options={}, data=standard_data())


def _problems(doc: Document) -> list[Problem]:
    ctx = _context()
    return [p for rule in IDENTITY_RULES for p in rule.check(doc, ctx)]


def _members(ident: IdentitySpec, row: str, column: str, data_rows: list[str]) -> set[tuple[str, str]]:
    """The (row id, column id) cells of the instance of *ident* that contains (row, column), if any."""
    terms = [*ident.lhs, *ident.rhs]
    if ident.kind == "column":
        return {(r, column) for r in terms} if row in terms else set()
    if ident.kind == "row":
        return {(row, c) for c in terms} if column in terms and row in data_rows else set()
    cells = {tuple(t.split("|", 1)) for t in terms}
    return {(r, c) for r, c in cells} if (row, column) in cells else set()


def _identity_cells(doc: Document, table_id: str, row: str, column: str) -> set[Span]:
    """Spans (in *doc*) of every cell of every identity instance containing (row, column)."""
    table = doc.tables[table_id]
    assert table.layout is not None
    spec = standard_data().layouts[table.layout].tables[table_id]
    data_rows = [r.id for r in spec.data_rows()]
    spans: set[Span] = set()
    for ident in standard_data().identities(table.layout):
        if ident.table != table_id:
            continue
        for r, c in _members(ident, row, column, data_rows):
            cell = table.cell(r, c)
            if cell is not None and cell.span is not None:
                spans.add(cell.span)
    return spans


def _mutable_cells(doc: Document) -> Iterator[tuple[str, Cell]]:
    for table_id in ("table3", "table4"):
        for row in doc.tables[table_id].rows:
            if row.extra:
                continue
            for cell in row.cells:
                if not cell.extra and cell.span is not None and cell.kind in (CellKind.INT, CellKind.BLANK):
                    yield table_id, cell


def _mutate(text: str, cell: Cell) -> str:
    assert cell.span is not None
    new = "1" if cell.kind is CellKind.BLANK else str(int(cell.number) + 1)
    return text[: cell.span.start] + new + text[cell.span.end :]


def _assert_detected(text: str, table_id: str, cell: Cell, label: str) -> None:
    mutated = load_document(_mutate(text, cell))
    wanted = _identity_cells(mutated, table_id, cell.row_id, cell.column_id)
    assert wanted, f"{label}: {cell.row_label}/{cell.column_label} is in no identity"
    hits = [
        p for p in _problems(mutated)
        if p.span in wanted or any(r.span in wanted for r in p.related)
    ]
    assert hits, f"{label}: changing {cell.row_label}/{cell.column_label} ({cell.text!r}) went unnoticed"


def _seed_files() -> list[Path]:
    if not SEEDS.is_dir():
        return []
    return sorted(SEEDS.glob("*.txt"))


@pytest.mark.skipif(not _seed_files(), reason="the shared seed reports are not available")
@pytest.mark.parametrize("seed", _seed_files(), ids=lambda p: p.name[:3])
def test_every_cell_of_every_seed(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    doc = load_document(text)
    assert _problems(doc) == [], "the seed's tables balance"
    cells = list(_mutable_cells(doc))
    template = len(standard_data().layouts[doc.tables["table3"].layout or ""].tables["table3"].data_rows()) * 7 + 15
    assert len(cells) == template, "every template cell of tables 3 and 4 was read"
    for table_id, cell in cells:
        _assert_detected(text, table_id, cell, seed.name)


@pytest.mark.parametrize("layout", ["2021", "2020"])
@pytest.mark.parametrize("flattening", FLATTENINGS)
def test_sample_of_cells_in_every_flattening(layout: str, flattening: str) -> None:
    text = make_report(layout=layout, flattening=flattening)
    doc = load_document(text)
    assert _problems(doc) == []
    cells = list(_mutable_cells(doc))
    assert len(cells) > 150
    sample = [c for i, c in enumerate(cells) if i % 5 == 0 or c[0] == "table4"]
    for table_id, cell in sample:
        _assert_detected(text, table_id, cell, f"{layout}/{flattening}")
