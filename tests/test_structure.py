"""The structure builder: sections, tables 2–4 and metadata from report text.

Expected values for the sample reports were read off the files by hand.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from gklint.model import CellKind, Document, TableStatus
from gklint.testing import FLATTENINGS, load_document, make_report, report_facts

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SECTION_KEYS = ["overview", "active", "requests", "appeals", "problems", "other"]


def seed(name: str) -> Document:
    path = next(SEEDS.glob(f"{name}_*.txt"), None)
    if path is None:
        pytest.skip("../shared/seeds is not beside the repository")
    return load_document(path.read_text(encoding="utf-8"), path.name)


def values(doc: Document, table: str, row: str) -> list[int | Decimal | None]:
    found = doc.tables[table].row(row)
    assert found is not None, row
    return [c.value for c in found.cells if not c.extra]


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_every_seed_has_six_sections_and_three_tables(name: str) -> None:
    doc = seed(name)
    assert [s.key for s in doc.sections] == SECTION_KEYS
    for table_id, rows in (("table3", 25 if doc.layout.layout == "2021" else 23), ("table4", 1)):
        table = doc.tables[table_id]
        assert table.status is TableStatus.FOUND
        data_rows = [r for r in table.rows if not r.extra and r.cells]
        assert len(data_rows) == rows
        assert all(c.kind is not CellKind.MISSING for r in data_rows for c in r.cells)
    assert doc.tables["table2"].status is TableStatus.FOUND


def test_seed_000_sections_lines_and_table3_cell() -> None:
    doc = seed("000")
    assert [doc.position(s.heading_span.start).line for s in doc.sections] == [7, 24, 83, 374, 431, 436]
    # 四、结转下年度继续办理 (a table row) is not mistaken for the section heading 四、
    assert doc.sections[3].title.startswith("政府信息公开行政复议")
    row = doc.tables["table3"].row("1.本机关不掌握相关政府信息")
    assert row is not None and row.group == "（四）无法提供"
    assert values(doc, "table3", "unable_1") == [1, 0, 0, 0, 0, 0, 1]
    natural = doc.tables["table3"].cell("unable_1", "自然人")
    assert natural is not None and natural.span is not None
    assert doc.position(natural.span.start) == (232, 2)  # the value sits on the line after the label
    assert values(doc, "table3", "total") == [1, 0, 0, 0, 0, 0, 1]
    assert doc.metadata.title == "高青县工业和信息化局2022年政府信息公开工作年度报告"
    assert doc.metadata.agency == "高青县工业和信息化局"
    assert doc.metadata.year_from_title == 2022 and doc.metadata.year_from_period == 2022
    assert doc.metadata.period_start == (2022, 1, 1) and doc.metadata.period_end == (2022, 12, 31)
    assert doc.layout.layout == "2021"


def test_seed_001_tab_rows_and_deviating_label() -> None:
    doc = seed("001")
    row = doc.tables["table3"].row("withheld_2")
    assert row is not None
    assert row.label_matched == "fuzzy"
    assert row.found_label == "2.其他法律法规禁止公开"
    assert row.label_span is not None and doc.position(row.label_span.start) == (57, 3)
    # the flattening wrote an eighth value on the 总计 row: kept, marked extra
    total = doc.tables["table3"].row("total")
    assert total is not None and [c.extra for c in total.cells].count(True) == 1
    assert values(doc, "table3", "total") == [0] * 7


def test_seed_002_2020_layout_and_values() -> None:
    doc = seed("002")
    assert doc.layout.layout == "2020"
    assert doc.tables["table2"].layout == "2020" and doc.tables["table3"].layout == "2020"
    assert values(doc, "table2", "规范性文件") == [4, 4, 5]
    assert values(doc, "table2", "other_services") == [25, 0, 5]
    assert values(doc, "table3", "new") == [2, 0, 0, 0, 0, 0, 2]
    assert values(doc, "table3", "disclosed") == [1, 0, 0, 0, 0, 0, 1]
    assert values(doc, "table3", "other_handling") == [0] * 7  # one data row in the 2020 layout
    procurement = doc.tables["table2"].cell("procurement", "procurement_amount")
    assert procurement is not None
    assert procurement.value == Decimal("134.8") and procurement.unit == "万元"
    assert {m.text for m in doc.layout.markers} >= {"本年新制作数量", "政府集中采购"}


def test_seed_003_pipes_without_title_uses_period_year() -> None:
    doc = seed("003")
    assert doc.metadata.title == ""
    assert doc.metadata.agency == "河东区工业和信息化局"
    assert doc.metadata.year == 2023
    assert values(doc, "table3", "new") == [0] * 7


@pytest.mark.parametrize("layout", ["2021", "2020"])
@pytest.mark.parametrize("flattening", FLATTENINGS)
def test_generated_report_reads_back_in_every_flattening(layout: str, flattening: str) -> None:
    doc = load_document(make_report(layout=layout, flattening=flattening))
    facts = report_facts(layout=layout)
    assert [s.key for s in doc.sections] == SECTION_KEYS
    assert doc.layout.layout == layout
    for row_id, expected in facts["table3"].items():
        assert values(doc, "table3", row_id) == expected, row_id
    assert values(doc, "table4", "counts") == facts["table4"]
    assert all(r.label_matched == "exact" for r in doc.tables["table3"].rows)


def test_numbering_collision_when_heading_follows_row_on_next_line() -> None:
    text = make_report(flattening="tabs")
    assert "四、结转下年度继续办理" in text
    doc = load_document(text)
    appeals = doc.section("appeals")
    carried = doc.tables["table3"].row("carried_forward")
    assert appeals is not None and carried is not None and carried.label_span is not None
    assert appeals.heading_span.start > carried.label_span.start
    assert values(doc, "table3", "carried_forward") == [1, 0, 0, 0, 0, 0, 1]


def test_table_given_only_as_image() -> None:
    text = make_report(flattening="tabs")
    start = text.index("四、政府信息公开行政复议、行政诉讼情况")
    end = text.index("五、存在的主要问题及改进情况")
    doc = load_document(text[:start] + "四、政府信息公开行政复议、行政诉讼情况\n[image: 表4]\n" + text[end:])
    assert doc.tables["table4"].status is TableStatus.IMAGE


def test_missing_table_is_absent() -> None:
    text = make_report(flattening="tabs")
    start = text.index("四、政府信息公开行政复议、行政诉讼情况")
    end = text.index("五、存在的主要问题及改进情况")
    doc = load_document(text[:start] + "四、政府信息公开行政复议、行政诉讼情况\n本年度未发生行政复议和行政诉讼。\n" + text[end:])
    assert doc.tables["table4"].status is TableStatus.ABSENT


def test_blank_and_invalid_cells() -> None:
    text = make_report(flattening="tabs")
    line = "（一）予以公开\t\t2\t1\t0\t0\t0\t0\t3"
    assert line in text
    doc = load_document(text.replace(line, "（一）予以公开\t\t2\t1\t\t0\t无\t0\t3"))
    cells = doc.tables["table3"].row("disclosed").cells  # type: ignore[union-attr]
    assert [c.kind for c in cells] == [
        CellKind.INT, CellKind.INT, CellKind.BLANK, CellKind.INT, CellKind.INVALID, CellKind.INT, CellKind.INT,
    ]


def test_crlf_and_cr_line_ends_keep_positions() -> None:
    text = make_report(flattening="tabs")
    lf = load_document(text)
    for sep in ("\r\n", "\r"):
        other = load_document(text.replace("\n", sep))
        for a, b in zip(lf.tables["table3"].cells(), other.tables["table3"].cells(), strict=True):
            assert a.value == b.value
            assert a.span is not None and b.span is not None
            assert lf.position(a.span.start) == other.position(b.span.start)


def test_columns_count_code_points_with_supplementary_characters() -> None:
    text = make_report(flattening="tabs", agency="𠀀𠀁县工业和信息化局")
    doc = load_document(text)
    assert doc.metadata.agency == "𠀀𠀁县工业和信息化局"
    # line 1 is the agency; the section heading 一 starts at column 1 of its line
    pos = doc.position(text.index("工业和信息化局"))
    assert pos == (1, 4)  # 𠀀 𠀁 县 are one column each


_LINTER = None


def _cells_of(data: bytes, name: str) -> dict[tuple[str, str, str], str]:
    global _LINTER
    from gklint.api import Linter

    _LINTER = _LINTER or Linter()
    doc, result = _LINTER.read_document(data, name)
    assert doc is not None, result.notifications
    return {(t, c.row_id, c.column_id): c.text for t, table in doc.tables.items() for c in table.cells()}


@pytest.mark.parametrize("name", ["000", "002", "003"])
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-be"])
def test_seed_in_other_encodings_parses_identically(name: str, encoding: str) -> None:
    path = next(SEEDS.glob(f"{name}_*.txt"), None)
    if path is None:
        pytest.skip("../shared/seeds is not beside the repository")
    text = path.read_text(encoding="utf-8")
    utf8 = _cells_of(text.encode("utf-8"), path.name)
    assert len(utf8) >= 10 + 161 + 15
    assert _cells_of(text.encode(encoding), path.name) == utf8


@pytest.mark.parametrize("layout", ["2021", "2020"])
def test_html_and_docx_with_merged_cells_read_like_the_text(layout: str) -> None:
    from gklint.testing import make_docx

    html = make_report(layout=layout, flattening="html")
    assert 'rowspan="' in html and 'colspan="' in html
    text = _cells_of(make_report(layout=layout).encode("utf-8"), "r.txt")
    assert _cells_of(html.encode("utf-8"), "r.html") == text
    assert _cells_of(make_docx(layout=layout), "r.docx") == text
