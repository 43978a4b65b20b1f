"""Reading tables (:mod:`gklint.tables`): tokens, and rows read alike by the fast and the general path."""

from __future__ import annotations

import pytest

from gklint import tables
from gklint.model import CellKind, Span
from gklint.tables import tokens
from gklint.testing import FLATTENINGS, load_document, make_report


def test_tokens_join_a_unit_to_its_number() -> None:
    text = "总计 12 件 | 3.5 万元\t无 件 -"
    got = [(t.text, t.start, t.end) for t in tokens(text, 0, len(text))]
    assert got == [("总计", 0, 2), ("12 件", 3, 7), ("3.5 万元", 10, 16), ("无", 17, 18), ("件", 19, 20), ("-", 21, 22)]


@pytest.mark.parametrize("flattening", FLATTENINGS)
def test_rows_read_the_same_without_the_one_value_per_column_path(flattening: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # a dash, text, a unit and an empty cell: the fast path must hand each such row to the general one
    text = make_report(flattening=flattening, table3={"carried_forward": [2, 0, 0, 0, 0, 0]},
                       table2={"rules": ["-", "无", "3件"], "normative": ["", "1", "2"], "fees": ["1.5万元"]})

    def cells(doc_text: str) -> list[tuple[str, str, str, CellKind, object, Span | None, str, bool]]:
        doc = load_document(doc_text)
        return [(c.row_id, c.column_id, c.text, c.kind, c.value, c.span, c.unit, c.extra)
                for t in doc.tables.values() for c in t.cells()]

    fast = cells(text)
    monkeypatch.setattr(tables, "_one_value_per_column", lambda *args: None)
    assert fast == cells(text)
    assert len(fast) > 150
