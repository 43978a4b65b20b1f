"""Facts read once when a document is built: the statistics period, image placeholders, numerals."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from gklint.data import DataError, load_standard_data, national_data_files
from gklint.facts import (
    CHINESE_NUMERALS,
    IMAGE_MARKER,
    image_markers,
    parse_numeral,
    table_name,
    validate_period_data,
)
from gklint.model import Document, Span, TableStatus
from gklint.testing import load_document, make_docx, make_report

PERIOD = "统计期限自2022年1月1日起至2022年12月31日止"
STATEMENT = "本报告中所列数据的" + PERIOD + "。"
OVERVIEW = "2022年，东平市工业和信息化局坚持"


def snippet(doc: Document, span: Span | None) -> str:
    assert span is not None
    return doc.text[span.start : span.end]


def report(old: str, new: str) -> Document:
    text = make_report()
    assert old in text
    return load_document(text.replace(old, new, 1))


# -- numerals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), ("0", 0), ("1,200", 1200), ("1，200", 1200), ("12,345,678", 12345678), ("两", 2), ("十", 10),
     ("十二", 12), ("三十一", 31), ("一百零五", 105), ("一千二百", 1200), ("三千二百", 3200), ("一万二千", 12000),
     ("二〇二二", 2022), ("零", 0)],
)
def test_parse_numeral(text: str, value: int) -> None:
    assert parse_numeral(text) == value


def test_chinese_numerals_are_what_parse_numeral_reads() -> None:
    assert CHINESE_NUMERALS == "零〇一二两三四五六七八九十百千万"
    assert all(parse_numeral(ch) is not None for ch in CHINESE_NUMERALS)


@pytest.mark.parametrize("text", ["", "1,20", "12,", ",120", "1.5", "-3", "三x", "１２", "二〇二二年", "9" * 101])
def test_parse_numeral_refuses(text: str) -> None:
    assert parse_numeral(text) is None


def test_table_name() -> None:
    assert table_name("table3") == ("表3", "table 3")
    assert table_name("appendix") == ("appendix", "appendix")


# -- the statistics period ------------------------------------------------------------------------


def test_period_in_arabic_numerals() -> None:
    doc = load_document(make_report())
    period = doc.facts.period
    assert period is not None and period is doc.facts.stated_period
    assert period.text == snippet(doc, period.span) == "2022年1月1日起至2022年12月31日"
    assert (period.start, period.end, period.written, period.basis) == ((2022, 1, 1), (2022, 12, 31), "arabic", "statement")
    assert snippet(doc, period.year_span) == "2022"
    (statement,) = doc.facts.period_statements
    assert snippet(doc, statement.span) == "所列数据的" + PERIOD
    assert snippet(doc, statement.keyword) == "所列数据"
    assert snippet(doc, statement.sentence) == STATEMENT
    assert doc.facts.unreadable_period is None
    # the metadata's period is the same fact
    meta = doc.metadata
    assert (meta.period_text, meta.period_span, meta.period_start, meta.period_end, meta.year_from_period) == (
        period.text, period.span, period.start, period.end, 2022)


@pytest.mark.parametrize(
    ("written", "start", "end", "how"),
    [
        ("2022年1月1日至2022年12月31日", (2022, 1, 1), (2022, 12, 31), "arabic"),
        ("二〇二二年一月一日至十二月三十一日", (2022, 1, 1), (2022, 12, 31), "chinese"),
        ("2022年一月一日起至2022年十二月三十一日", (2022, 1, 1), (2022, 12, 31), "mixed"),
        ("2022年1月1日–2022年12月31日", (2022, 1, 1), (2022, 12, 31), "arabic"),  # an en dash
        ("２０２２年１月１日至２０２２年１２月３０日", (2022, 1, 1), (2022, 12, 30), "arabic"),  # full-width digits
        ("2021年1月1日至2022年2月30日", (2021, 1, 1), (2022, 2, 30), "arabic"),  # kept as written
    ],
)
def test_period_wordings(written: str, start: tuple[int, int, int], end: tuple[int, int, int], how: str) -> None:
    doc = report(PERIOD, "统计期限为" + written)
    period = doc.facts.period
    assert period is not None
    assert (period.text, period.start, period.end, period.written, period.basis) == (written, start, end, how, "statement")
    assert doc.metadata.year_from_period == start[0]


def test_chinese_period_gives_the_year_when_the_title_has_none() -> None:
    # the same year for every rule: the layout check (GK301) and the period checks (GK604, GK605)
    text = make_report().replace(PERIOD, "统计期限为二〇二二年一月一日至十二月三十一日", 1)
    doc = load_document(text.replace("2022年政府信息公开工作年度报告", "政府信息公开工作年度报告", 1))
    assert doc.metadata.year_from_title is None
    assert doc.metadata.year == 2022
    assert doc.facts.stated_period is not None and doc.facts.stated_period.start == (2022, 1, 1)


def test_unreadable_period_is_not_replaced_by_another_date_range() -> None:
    damaged = "统计期限自202211日起至20221231日止"
    text = make_report().replace(PERIOD, damaged, 1).replace(OVERVIEW, "2021年3月1日至3月5日开展宣传周。" + OVERVIEW, 1)
    doc = load_document(text)
    assert doc.facts.period is None and doc.metadata.year_from_period is None
    unreadable = doc.facts.unreadable_period
    assert unreadable is not None and unreadable.period is None
    assert snippet(doc, unreadable.span) == "所列数据的" + damaged


def test_the_first_readable_statement_wins() -> None:
    doc = report(STATEMENT, "统计期限自202211日起至20221231日止。报告期为2022年1月1日至2022年12月31日。")
    assert [s.period is None for s in doc.facts.period_statements] == [True, False]
    assert doc.facts.unreadable_period is None
    assert doc.facts.period is not None and doc.facts.period.text == "2022年1月1日至2022年12月31日"


def test_a_statement_wins_over_an_earlier_date_range_after_a_hint() -> None:
    doc = report("本报告根据", "据统计，2022年3月1日至3月31日开展专项活动。本报告根据")
    assert doc.facts.period is not None and doc.facts.period.start == (2022, 1, 1)


def test_report_without_a_period() -> None:
    doc = report(STATEMENT, "")
    assert doc.facts.period is None and doc.facts.period_statements == () and doc.facts.unreadable_period is None
    assert doc.metadata.period_span is None and doc.metadata.year_from_period is None


@pytest.mark.parametrize(
    ("sentence", "basis"),
    [("本报告数据时间为2022年1月1日至2022年12月31日。", "hint"),  # a hint, not a keyword
     ("2022年1月1日至2022年12月31日为本报告所列数据的统计期限。", "first")],  # no numeral after the keyword
)
def test_period_found_outside_a_statement(sentence: str, basis: str) -> None:
    doc = report(STATEMENT, sentence)
    period = doc.facts.period
    assert period is not None and period.basis == basis and period.start == (2022, 1, 1)
    assert doc.facts.stated_period is None and doc.facts.period_statements == ()
    assert doc.metadata.year_from_period == 2022


def test_keyword_without_numeral_is_no_statement() -> None:
    doc = report(STATEMENT, "统计期限为公历年度。")
    assert doc.facts.period_statements == ()


def test_traditional_characters_state_the_period() -> None:
    doc = report(PERIOD, "統計期限自2022年1月1日起至2022年12月31日止")
    assert doc.facts.stated_period is not None


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_period_read_from_html_and_docx(fmt: str) -> None:
    if fmt == "docx":
        pytest.importorskip("docx")
        doc = load_document(make_docx(), "report.docx")
    else:
        doc = load_document(make_report(flattening="html"), "report.html")
    period = doc.facts.stated_period
    assert period is not None and period.text == "2022年1月1日起至2022年12月31日"
    assert snippet(doc, period.span) == period.text


# -- image placeholders ---------------------------------------------------------------------------

_SECTION4 = "四、政府信息公开行政复议、行政诉讼情况"
_SECTION5 = "五、存在的主要问题及改进情况"


def _without_table4(text: str, instead: str) -> str:
    start, end = text.index(_SECTION4), text.index(_SECTION5)
    return text[:start] + _SECTION4 + "\n" + instead + "\n" + text[end:]


def test_image_placeholder_in_text() -> None:
    doc = load_document(_without_table4(make_report(flattening="tabs"), "[image: 表4]"))
    (image,) = doc.facts.images
    assert snippet(doc, image) == "[image: 表4]"
    section = doc.section("appeals")
    assert section is not None and doc.facts.images_in(section.body_span) == [image]
    assert doc.tables["table4"].status is TableStatus.IMAGE


def test_image_placeholder_from_html() -> None:
    html = make_report(flattening="html")
    start, end = html.index(_SECTION4), html.index(_SECTION5)
    table_start = html.index("<table", start)
    table_end = html.index("</table>", table_start) + len("</table>")
    assert table_end < end
    doc = load_document(html[:table_start] + '<p><img src="t4.png" alt="表4 行政复议"></p>' + html[table_end:], "r.html")
    (image,) = doc.facts.images
    assert snippet(doc, image) == "[image: 表4 行政复议]"
    assert doc.tables["table4"].status is TableStatus.IMAGE


def test_image_placeholder_from_docx() -> None:
    docx = pytest.importorskip("docx")
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("东平市工业和信息化局2022年政府信息公开工作年度报告")
    document.add_paragraph(_SECTION4)
    document.add_paragraph()._p.append(parse_xml(
        f'<w:r {nsdecls("w", "wp")}><w:drawing><wp:inline><wp:docPr id="1" name="图片 1" descr="表4 行政复议"/>'
        "</wp:inline></w:drawing></w:r>"))
    buf = io.BytesIO()
    document.save(buf)
    doc = load_document(buf.getvalue(), "r.docx")
    assert [snippet(doc, s) for s in doc.facts.images] == ["[image: 表4 行政复议]"]


def test_image_markers_are_what_a_full_scan_finds() -> None:
    rng = random.Random(7)
    pieces = ["[image: 表4]", "[image：图]", "[IMAGE: x", "<img src=a>", "<IMG", "<imgx>", "[", "<", "]", ">", "\n", "表", " "]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    found = 0
    for text in texts:
        expected = [m.span() for m in IMAGE_MARKER.finditer(text)]
        assert [tuple(s) for s in image_markers(text)] == expected, text
        found += bool(expected)
    assert found > 1000


def test_no_images() -> None:
    assert load_document(make_report()).facts.images == ()


# -- data -----------------------------------------------------------------------------------------


def test_bad_period_data_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "pack.toml"
    bad.write_text('[period]\nkeywords = "统计期限"\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        validate_period_data(load_standard_data([*national_data_files(), bad]))
    assert "period.keywords" in info.value.message.zh and str(bad) in info.value.message.zh


def test_pack_period_keywords_replace_the_national_ones(tmp_path: Path) -> None:
    pack = tmp_path / "pack.toml"
    pack.write_text('[period]\nkeywords = ["数据年度"]\n', encoding="utf-8")
    data = load_standard_data([*national_data_files(), pack])
    doc = load_document(make_report().replace(STATEMENT, "本报告数据年度为2022年1月1日至2022年12月31日。", 1), data=data)
    assert doc.facts.stated_period is not None


def test_inspect_shows_the_facts() -> None:
    from gklint.inspect import inspect_document

    doc = report("本报告根据", "[image: 封面]\n本报告根据")
    facts = inspect_document(doc)["facts"]
    column = make_report().splitlines()[3].index("2022年1月1日") + 1
    assert facts["period"] == {"text": "2022年1月1日起至2022年12月31日", "at": f"5:{column}", "start": [2022, 1, 1],
                               "end": [2022, 12, 31], "written": "arabic", "basis": "statement"}
    assert [s["text"] for s in facts["period_statements"]] == ["所列数据的" + PERIOD]
    assert facts["images"] == [{"text": "[image: 封面]", "at": "4:1"}]
