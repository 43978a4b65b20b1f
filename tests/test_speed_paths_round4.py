"""Fourth round of issue 7's fast paths: each gives the same answers as the plain computation it replaces."""

from __future__ import annotations

import random
import re

import pytest

from gklint import tables
from gklint.model import CellKind, Span
from gklint.national import tables as table_rules
from gklint.normalize import _TABLE, fold, norm_label, normalize
from gklint.positions import line_starts
from gklint.structure import _lines
from gklint.testing import FLATTENINGS, load_document, make_report, standard_data

_SUBNUM = re.compile(r"(?<=[0-9])、")
_RUNS = re.compile(r"[^\s|｜]+")
_BREAK = re.compile(r"\r\n?|\n")
# every character the folding table changes, plus what the 、-after-a-digit rule looks at
_ALPHABET = [chr(k) for k in _TABLE] + list("0123456789０９、 \t\n|｜汉字，。年")


def _plain_fold(text: str) -> str:
    return _SUBNUM.sub(".", text.translate(_TABLE))


def _plain_normalize(text: str, start: int, end: int) -> tuple[str, list[int]]:
    folded = _plain_fold(text[start:end])
    parts, index = [], []
    for m in _RUNS.finditer(folded):
        parts.append(m.group())
        index.extend(range(start + m.start(), start + m.end()))
    return "".join(parts), [*index, end]


def _random_texts(count: int) -> list[str]:
    rng = random.Random(7)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 16))) for _ in range(count)]


def test_fold_is_the_translation_table_then_the_numbered_item_rule() -> None:
    report = make_report()
    for text in [*_random_texts(3000), report, "１、２、（三）", "2、3、"]:
        assert fold(text) == _plain_fold(text), text
    assert fold("（一）１、说明") == "(一)1.说明"


def test_normalize_keeps_every_kept_character_s_original_offset() -> None:
    rng = random.Random(8)
    for text in [*_random_texts(2000), make_report(flattening="pipes")]:
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        for s, e in ((0, len(text)), (start, end)):
            got = normalize(text, s, e)
            assert (got.text, got.index) == _plain_normalize(text, s, e)
        assert norm_label(text) == _plain_normalize(text, 0, len(text))[0]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_starts_and_lines_match_the_line_breaks(newline: str) -> None:
    for text in [*_random_texts(500), make_report()]:
        text = text.replace("\n", newline)
        assert list(line_starts(text)) == [0, *(m.end() for m in _BREAK.finditer(text))]
        expected, pos = [], 0
        for m in _BREAK.finditer(text):
            expected.append((pos, m.start()))
            pos = m.end()
        if pos < len(text):
            expected.append((pos, len(text)))
        # blank and white-space-only lines are left out (nothing reads them)
        assert _lines(text) == [(s, e) for s, e in expected if text[s:e].strip()]


def test_span_is_validated_ordered_and_immutable() -> None:
    assert Span(2, 5) < Span(3, 3) and Span(2, 5) == Span(2, 5) and hash(Span(2, 5)) == hash(Span(2, 5))
    assert (Span(1, 4).start, Span(1, 4).end) == (1, 4)
    with pytest.raises(ValueError, match="bad span 5..2"):
        Span(5, 2)
    with pytest.raises(AttributeError):
        Span(1, 2).start = 0  # type: ignore[misc]


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


def test_broken_identities_equal_the_unbalanced_outcomes_of_every_mutation() -> None:
    data = standard_data()
    base = make_report(flattening="tabs")
    doc = load_document(base)
    spans = [c.span for t in doc.tables.values() for c in t.cells() if c.span is not None and c.kind is CellKind.INT]
    rng = random.Random(9)
    checked = 0
    for span in rng.sample(spans, 40):
        value = int(base[span.start:span.end])
        for new in (str(value + 1), "-", "无"):
            mutated = load_document(base[:span.start] + new + base[span.end:])
            every = table_rules.evaluate(mutated, data)
            broken = table_rules.evaluate(mutated, data, broken_only=True)
            assert [(o.identity.id, o.where, o.lhs_sum, o.rhs_sum) for o in broken] == [
                (o.identity.id, o.where, o.lhs_sum, o.rhs_sum) for o in every if not o.balanced]
            checked += bool(broken)
    assert checked >= 40  # every +1 breaks at least one identity


def test_row_values_and_short_cells_agree_with_the_row_views() -> None:
    for flattening in FLATTENINGS:
        doc = load_document(make_report(flattening=flattening, table3={"carried_forward": [2, 0, 0, 0, 0, 0]}))
        for table in doc.tables.values():
            for row in table.rows:
                views = table_rules.row_view(doc, row)
                values = table_rules._row_values(row)
                assert values == (None if views is None else {k: v.value for k, v in views.items()})
                cells = [c for c in row.cells if not c.extra]
                last = max((i for i, c in enumerate(cells) if c.kind is not CellKind.MISSING), default=-1)
                assert table_rules.short_cells(row) == cells[last + 1:]
