"""Reports whose tables lost their shape: what gklint should make of them.

The example report is rendered by :func:`gklint.testing.make_shaped` in every shape of
:data:`~gklint.testing.SHAPES` (text as ``pdftotext`` gives it, hard-wrapped text, run-on
and one-line text from crawlers, a truncated report), clean and with each defect of
:data:`~gklint.testing.DEFECTS`, in both layouts.

(a) A clean report in any shape gives no error-level finding (a table that cannot be
    read is to be said so, not reported as wrong sums).
(b) Each defect is found in each shape (its rule ids appear, more often than on the clean
    report), except where :func:`expected` says it cannot be: table defects in
    ``"pdf-plain"``, tables in ``"runon"`` whose runs of digits split into cells in more
    than one way, and parts cut away in ``"truncated"``.

Cases that fail today are listed in ``KNOWN_FAILING`` and marked ``xfail(strict=True)``:
delete an entry when the reading of lost shapes makes it pass (a passing entry fails the run).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest

from gklint.api import Linter
from gklint.testing import DEFECTS, SHAPES, TRUNCATIONS, Defect, _edited_parts, _plain, make_shaped

LAYOUTS = ("2021", "2020")
#: Seeds per shape (each seed renders differently; for "truncated" the seed picks the cut, see TRUNCATIONS).
SEEDS: dict[str, tuple[int, ...]] = {
    "pdf-layout": (0, 1),
    "pdf-plain": (0,),
    "wrapped": (0, 1),
    "runon": (0,),
    "oneline": (0,),
    "truncated": tuple(range(len(TRUNCATIONS))),
}
#: Error-level rules accepted on a clean report of a shape (none so far; a cut report may come
#: to be allowed GK101, its missing sections being really missing).
ALLOWED_ERRORS: dict[str, frozenset[str]] = {}
#: Parts of a report still whole when "truncated" cuts inside each region (the region itself is cut).
SURVIVES: dict[str, frozenset[str]] = {
    "section1": frozenset({"citation", "period", "contact", "prose"}),
    "table2": frozenset({"citation", "period", "contact", "prose"}),
    "table3": frozenset({"citation", "period", "contact", "prose", "table2"}),
    "table4": frozenset({"citation", "period", "contact", "prose", "table2", "table3", "layout"}),
    "section5": frozenset({"citation", "period", "contact", "prose", "table2", "table3", "table4", "layout"}),
}
TABLE_PARTS = frozenset({"table2", "table3", "table4"})


def _unique_split(digits: str, cells: int) -> bool:
    """Whether *digits* splits into *cells* whole numbers (no leading zeros) in exactly one way."""
    ways = [[0] * (cells + 1) for _ in range(len(digits) + 1)]
    ways[0][0] = 1
    for i in range(len(digits)):
        for k in range(cells):
            if not ways[i][k]:
                continue
            for j in range(i + 1, len(digits) + 1):
                if digits[i] == "0" and j > i + 1:
                    break
                ways[j][k + 1] += ways[i][k]
    return ways[len(digits)][cells] == 1


def _runon_splits(defect: Defect | None, layout: str) -> bool:
    """Whether every row of the defect's table, run together, splits into its cells in one way only."""
    if defect is None or defect.part not in TABLE_PARTS:
        return True
    parts = _edited_parts(defect.edits, {"layout": layout, **defect.kwargs})
    table = [p for p in parts if isinstance(p, list)][("table2", "table3", "table4").index(defect.part)]
    for row in _plain(table):
        if any(re.fullmatch(r"-\d+", c) for c in row):
            return False  # a minus sign inside a run of digits: no split is certain
        numbers = [c for c in row if re.fullmatch(r"\d+", c)]
        if numbers and not _unique_split("".join(numbers), len(numbers)):
            return False
    return True


def expected(shape: str, seed: int, defect: Defect, layout: str) -> bool:
    """Whether *defect* must be found in *shape* (see the module docstring)."""
    if shape == "pdf-plain" and defect.part in TABLE_PARTS:
        return False
    if shape == "runon" and not _runon_splits(defect, layout):
        return False
    if shape == "truncated":
        return defect.part in SURVIVES[TRUNCATIONS[seed % len(TRUNCATIONS)]]
    return True


def _cases() -> Iterator[tuple[str, int, Defect | None, str]]:
    for shape in SHAPES:
        for seed in SEEDS[shape]:
            for layout in LAYOUTS:
                yield shape, seed, None, layout
                for defect in DEFECTS:
                    if layout in defect.layouts:
                        yield shape, seed, defect, layout


def _id(shape: str, seed: int, defect: Defect | None, layout: str) -> str:
    return f"{shape}/{seed}/{defect.name if defect else 'clean'}/{layout}"


# Failing today (shape/seed/case/layout).  Delete entries as the reading improves.
KNOWN_FAILING: frozenset[str] = frozenset("""
""".split())


def _params(clean: bool) -> list[object]:
    params = []
    for shape, seed, defect, layout in _cases():
        if (defect is None) != clean or (defect is not None and not expected(shape, seed, defect, layout)):
            continue
        case_id = _id(shape, seed, defect, layout)
        marks = [pytest.mark.xfail(strict=True, reason="lost-shape reading")] if case_id in KNOWN_FAILING else []
        params.append(pytest.param(shape, seed, defect, layout, id=case_id, marks=marks))
    return params


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _findings(linter: Linter, text: str) -> Counter[tuple[str, str]]:
    result = linter.lint_bytes(text.encode("utf-8"), "report.txt")
    assert result.readable
    return Counter((f.rule_id, f.severity.value) for f in result.findings)


def _shaped(shape: str, seed: int, defect: Defect | None, layout: str) -> str:
    if defect is None:
        return make_shaped(shape, seed=seed, layout=layout)
    return make_shaped(shape, edits=defect.edits, seed=seed, layout=layout, **defect.kwargs)


@pytest.mark.parametrize(("shape", "seed", "defect", "layout"), _params(clean=True))
def test_clean_report_has_no_errors(linter, shape, seed, defect, layout) -> None:
    found = _findings(linter, _shaped(shape, seed, None, layout))
    errors = sorted(rule for (rule, level), n in found.items() if level == "error"
                    for _ in range(n) if rule not in ALLOWED_ERRORS.get(shape, frozenset()))
    assert errors == []


@pytest.mark.parametrize(("shape", "seed", "defect", "layout"), _params(clean=False))
def test_defect_is_found(linter, shape, seed, defect, layout) -> None:
    found = _findings(linter, _shaped(shape, seed, defect, layout))
    clean = _findings(linter, _shaped(shape, seed, None, layout))

    def count(counter: Counter[tuple[str, str]]) -> int:
        return sum(n for (rule, _), n in counter.items() if rule in defect.rules)

    missing = [rule for rule in defect.rules if not any(r == rule for r, _ in found)]
    assert missing == [] and count(found) > count(clean)


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda d: d.name)
@pytest.mark.parametrize("flattening", ["tabs", "cells"])
def test_defects_on_intact_reports(linter, defect, flattening) -> None:
    """DEFECTS is right: on an intact report each defect gives exactly its rules."""
    for layout in defect.layouts:
        text = make_shaped(flattening, edits=defect.edits, layout=layout, **defect.kwargs)
        assert sorted({rule for rule, _ in _findings(linter, text)}) == sorted(defect.rules)


@pytest.mark.parametrize("shape", SHAPES)
def test_shapes_are_deterministic_and_carry_the_edits(shape) -> None:
    for seed in (0, 1, 7):
        text = make_shaped(shape, seed=seed)
        assert text == make_shaped(shape, seed=seed)
        assert text != make_shaped("tabs")
    edited = make_shaped(shape, edits=[("东平市工业和信息化局", "东平市第九局")], seed=2)
    assert "东平市第九局" in edited
    with pytest.raises(ValueError):
        make_shaped(shape, edits=[("不在报告里的文字", "")])


def test_shape_features() -> None:
    layout = make_shaped("pdf-layout", seed=0)
    assert "\f" in layout and re.search(r"2022 年", layout) and re.search(r"\S {3,}\S", layout)
    assert not any("\t" in line for line in layout.splitlines())
    for shape in ("pdf-layout", "pdf-plain"):  # a page break inside table 3
        for seed in range(5):
            text = make_shaped(shape, seed=seed)
            assert "\f" in text[text.index("三、收到和处理"):text.index("四、政府信息公开行政复议")]
    assert len(make_shaped("oneline", seed=0).strip().splitlines()) == 1
    assert "一、本年新收政府信息公开申请数量5200108" in make_shaped("runon")
    assert "\t" in make_shaped("wrapped") and "2022 年" in make_shaped("wrapped")
    assert len(make_shaped("truncated", seed=2)) < len(make_shaped("tabs")) * 0.8


def test_unique_split() -> None:
    assert _unique_split("5200108", 7) and _unique_split("100121000100000", 15)
    assert not _unique_split("12345", 4) and not _unique_split("1010", 3)
    assert _unique_split("1000", 2) and _unique_split("100", 1)  # 100|0: no number starts with 0


def test_unknown_report_argument() -> None:
    with pytest.raises(TypeError):
        make_shaped("wrapped", flattening="tabs")
