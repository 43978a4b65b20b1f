"""GK6 cross-checks: prose against tables 3 and 4, the report year, the statistics period, 其中 sums.

Reports come from ``make_report`` (whose prose agrees with its tables) with one targeted
replacement, in every text flattening, as HTML and as .docx.  Expected lines and columns
were counted by hand on the generated text: in the text flattenings the introduction is
line 4, the opening of 一、总体情况 line 6, the 主动公开 sentence line 8 and the
依申请公开 sentence line 10 (the tables come later); the HTML page puts each paragraph in
``<p>`` on its own line, three columns to the right and three lines further down (two from
line 4 on, since the blank line 3 has no paragraph).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gklint.data import DataError, load_standard_data, national_data_files
from gklint.findings import Problem, Severity
from gklint.model import Document, Span
from gklint.national import crosscheck
from gklint.national.crosscheck import _prose as crosscheck_prose
from gklint.national.crosscheck import data as crosscheck_data
from gklint.national.crosscheck import gklint_rules, parse_count
from gklint.readers import docx as docx_reader
from gklint.readers import html as html_reader
from gklint.readers.base import Limits
from gklint.rule import CheckContext, Rule
from gklint.structure import build_document
from gklint.testing import (
    FLATTENINGS,
    load_document,
    make_docx,
    make_report,
    run_rule,
    standard_data,
)

RULES = {rule.id: rule for rule in gklint_rules()}
FORMATS = (*FLATTENINGS, "html", "docx")
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

T3_LINE = "2022年，本机关共收到政府信息公开申请8件，上年结转1件，共办理答复8件，结转下年度继续办理1件。"
ACTIVE_LINE = "全年通过政府门户网站主动公开政府信息236条，其中机构职能12条、政策文件38条、工作动态186条。"
PERIOD = "统计期限自2022年1月1日起至2022年12月31日止"
ZERO_T3 = {row: [0] * 6 for row in ("new", "carried_over", "disclosed", "partly", "withheld_4", "unable_1")}
ZERO_T4 = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]


# -- helpers ------------------------------------------------------------------------------------


def _docx(replacements: Sequence[tuple[str, str]], **kwargs: object) -> bytes:
    pytest.importorskip("docx")
    return make_docx(replacements=replacements, **kwargs)


def _reader_doc(module: object, data: bytes, path: str) -> Document:
    readers = module.gklint_readers()  # type: ignore[attr-defined]
    if not readers:
        pytest.skip(f"{module.__name__} provides no reader yet")  # type: ignore[attr-defined]
    return build_document(readers[0].read(data, path, Limits()), path, standard_data())



def make_doc(fmt: str, replacements: Sequence[tuple[str, str]] = (), **kwargs: object) -> Document:
    """A clean generated report in *fmt* with *replacements* applied to its prose."""
    if fmt == "docx":
        return _reader_doc(docx_reader, _docx(replacements, **kwargs), "report.docx")
    text = make_report(flattening=fmt, **kwargs)  # type: ignore[arg-type]
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    if fmt == "html":
        return _reader_doc(html_reader, text.encode("utf-8"), "report.html")
    return load_document(text)


def check(rule_id: str, doc: Document) -> list[Problem]:
    return run_rule(RULES[rule_id], doc)


def snippet(doc: Document, span: Span | None) -> str:
    assert span is not None
    return doc.text[span.start : span.end]


def assert_at(doc: Document, fmt: str, span: Span | None, line: int, column: int, text: str) -> None:
    """The span covers *text*; in text and HTML its position is (line, column) of the text layout."""
    assert snippet(doc, span) == text
    if fmt == "docx":
        return
    assert span is not None
    pos = doc.position(span.start)
    if fmt == "html":
        # <!DOCTYPE>, <html>, <body> come first and the blank line 3 has no <p>.
        assert (pos.line, pos.column) == (line + (3 if line < 3 else 2), column + 3)
    else:
        assert (pos.line, pos.column) == (line, column)


def all_problems(doc: Document) -> list[tuple[str, Problem]]:
    return [(rid, p) for rid, rule in RULES.items() for p in run_rule(rule, doc)]


# -- the rules as declared ----------------------------------------------------------------------


def test_rules_declared() -> None:
    assert sorted(RULES) == ["GK601", "GK602", "GK603", "GK604", "GK605", "GK606", "GK607", "GK608"]
    severities = {rid: rule.severity for rid, rule in RULES.items()}
    assert severities == {
        "GK601": Severity.ERROR, "GK602": Severity.ERROR, "GK603": Severity.ERROR, "GK604": Severity.ERROR,
        "GK605": Severity.ERROR, "GK606": Severity.WARNING, "GK607": Severity.WARNING, "GK608": Severity.INFO,
    }
    for rule in RULES.values():
        assert rule.family == "GK6" and rule.source.zh and rule.examples


@pytest.mark.parametrize("fmt", FORMATS)
def test_clean_report_is_quiet(fmt: str) -> None:
    assert all_problems(make_doc(fmt)) == []


@pytest.mark.parametrize("fmt", FLATTENINGS)
def test_clean_2020_report_is_quiet(fmt: str) -> None:
    assert all_problems(load_document(make_report(layout="2020", flattening=fmt))) == []


# -- GK601 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk601_received_count_contradicts_table3(fmt: str) -> None:
    # 7: neither 一 (8) nor 一 + 二 (9): an error (the rule's severity)
    doc = make_doc(fmt, [("共收到政府信息公开申请8件", "共收到政府信息公开申请7件")])
    (problem,) = check("GK601", doc)
    # "2022年，本机关共收到政府信息公开申请" is 20 characters: the 7 is column 21.
    assert_at(doc, fmt, problem.span, 10, 21, "7件")
    assert "写为7" in problem.message.zh and "“一、本年新收政府信息公开申请数量”行“总计”列为8" in problem.message.zh
    assert "（相差1）" in problem.message.zh
    cell = doc.tables["table3"].cell("new", "total")
    assert cell is not None and [r.span for r in problem.related] == [cell.span]
    assert snippet(doc, problem.related[0].span) == "8"
    assert problem.key == ("table3", "new", "7") and problem.severity is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk601_received_count_equal_to_new_plus_carried_over_is_a_warning(fmt: str) -> None:
    # 9 = 一 8 + 二 1: the prose may count the application carried over; both readings are named
    doc = make_doc(fmt, [("共收到政府信息公开申请8件", "共收到政府信息公开申请9件")])
    (problem,) = check("GK601", doc)
    assert problem.severity is Severity.WARNING
    assert_at(doc, fmt, problem.span, 10, 21, "9件")
    assert problem.message.zh == (
        "正文“收到政府信息公开申请9件”可能与表3不一致：若指本年新收政府信息公开申请，"
        "表3“一、本年新收政府信息公开申请数量”行“总计”列为8（相差1）；若指本年新收与上年结转之和，"
        "表3“一、本年新收政府信息公开申请数量”“二、上年结转政府信息公开申请数量”各行“总计”列之和为9，与正文相符。"
        "请核实正文所指，并写明口径")
    assert "as applications received this year" in problem.message.en and "which agrees" in problem.message.en
    cells = [doc.tables["table3"].cell(row, "total") for row in ("new", "carried_over")]
    assert [r.span for r in problem.related] == [c.span for c in cells if c is not None]
    assert problem.key == ("table3", "new", "9")


@pytest.mark.parametrize(("table3", "stated", "severity"), [
    ({"new": [60, 10, 0, 0, 4, 0], "carried_over": [1, 0, 0, 0, 0, 0]}, 75, Severity.WARNING),  # 74 + 1
    ({"new": [60, 10, 0, 0, 4, 0], "carried_over": [1, 0, 0, 0, 0, 0]}, 76, None),  # neither: an error
    ({"new": [60, 10, 0, 0, 4, 0], "carried_over": [1, 0, 0, 0, 0, 0]}, 73, None),
])
def test_gk601_received_75_with_74_new_and_1_carried_over(table3: dict[str, list[int]], stated: int,
                                                           severity: Severity | None) -> None:
    text = make_report(table3=table3)
    assert "共收到政府信息公开申请74件" in text
    doc = load_document(text.replace("共收到政府信息公开申请74件", f"共收到政府信息公开申请{stated}件", 1))
    (problem,) = check("GK601", doc)
    assert problem.severity is severity and snippet(doc, problem.span) == f"{stated}件"
    assert "若指本年新收与上年结转之和" in problem.message.zh if severity else "写为" in problem.message.zh


def test_gk601_two_readings_severity_in_the_output() -> None:
    """Through the engine: the warning is a warning, the error an error, unless configured."""
    from gklint.config import Config
    from gklint.engine import run_rules

    text = make_report().replace("共收到政府信息公开申请8件", "共收到政府信息公开申请9件", 1)
    text = text.replace("上年结转1件", "上年结转3件", 1)
    doc = load_document(text)
    findings, _ = run_rules(doc, [RULES["GK601"]], Config(), standard_data())
    assert sorted((f.key[1], f.severity) for f in findings) == [("carried_over", Severity.ERROR), ("new", Severity.WARNING)]
    findings, _ = run_rules(doc, [RULES["GK601"]], Config(severity={"GK601": "error"}), standard_data())
    assert {f.severity for f in findings} == {Severity.ERROR}


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk601_each_fact_of_the_sentence(fmt: str) -> None:
    cases = [
        ("上年结转1件", "上年结转3件", "carried_over", "3件"),
        ("共办理答复8件", "共办理答复7件", "total", "7件"),
        ("结转下年度继续办理1件", "结转下年度继续办理0件", "carried_forward", "0件"),
    ]
    for old, new, row, said in cases:
        doc = make_doc(fmt, [(old, new)])
        (problem,) = check("GK601", doc)
        assert snippet(doc, problem.span) == said
        cell = doc.tables["table3"].cell(row, "total")
        assert cell is not None and problem.related[0].span == cell.span


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk601_result_counts_compare_with_group_sums(fmt: str) -> None:
    # Table 3 of make_report: 予以公开 3, 部分公开 1, 不予公开 1 (4.保护第三方合法权益), 无法提供 3.
    results = "共办理答复8件，其中予以公开3件、部分公开1件、不予公开{w}件、无法提供3件"
    quiet = make_doc(fmt, [("共办理答复8件", results.format(w=1))])
    assert check("GK601", quiet) == []
    doc = make_doc(fmt, [("共办理答复8件", results.format(w=2))])
    (problem,) = check("GK601", doc)
    assert snippet(doc, problem.span) == "2件"
    assert "不予公开写为2" in problem.message.zh and "各行“总计”列之和为1" in problem.message.zh
    assert len(problem.related) == 8  # the eight 不予公开 sub-rows
    assert {snippet(doc, r.span) for r in problem.related} == {"0", "1"}


COMBINED = "办结的申请中，予以公开及部分公开{n}件，无法提供3件，不予公开1件。"


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk601_combined_result_is_the_sum_of_both_rows(fmt: str) -> None:
    # Table 3 of make_report: （一）予以公开 3, （二）部分公开 1.
    after = "结转下年度继续办理1件。"
    assert check("GK601", make_doc(fmt, [(after, after + COMBINED.format(n=4))])) == []
    doc = make_doc(fmt, [(after, after + COMBINED.format(n=5))])
    (problem,) = check("GK601", doc)
    assert snippet(doc, problem.span) == "5件" and problem.severity is None
    assert problem.message.zh.startswith("正文“予以公开及部分公开5件”与表3不一致：予以公开及部分公开写为5，")
    assert "各行“总计”列之和为4（相差1）" in problem.message.zh
    cells = [doc.tables["table3"].cell(row, "total") for row in ("disclosed", "partly")]
    assert [r.span for r in problem.related] == [c.span for c in cells if c is not None]
    assert problem.key == ("table3", "disclosed_or_partly", "5")


@pytest.mark.parametrize(("wording", "fires"), [
    ("予以全部或部分公开{n}件", False), ("全部或部分公开{n}件", False), ("予以公开和部分公开共{n}件", False),
    ("予以公开或部分公开的申请{n}件", False), ("部分公开{n}件", True),  # 部分公开 alone is row （二）
])
def test_gk601_combined_wordings(wording: str, fires: bool) -> None:
    sentence = "共办理答复8件，其中" + wording.format(n=4)
    doc = load_document(make_report().replace("共办理答复8件", sentence, 1))
    assert bool(check("GK601", doc)) is fires


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("共收到政府信息公开申请8件", "共收到政府信息公开申请10件左右"),  # approximate
        ("共收到政府信息公开申请8件", "共收到政府信息公开申请八件"),  # Chinese numerals, agrees
        ("2022年，本机关共收到", "2021年，本机关共收到"),  # about another year: not compared (GK604 is not about this)
        ("共办理答复8件", "共办理答复8件，其中通过信函收到申请2件"),  # a sub-count
        ("共办理答复8件", "共办理政府信息公开申请9件（含上年结转1件）"),  # 一 + 二, said so
        ("。", "，较上年减少收到申请3件。"),  # a comparison
        ("上年结转1件，", "上年结转1件，去年收到政府信息公开申请5件，"),  # last year's figure
    ],
)
def test_gk601_quiet(old: str, new: str) -> None:
    doc = load_document(make_report().replace(T3_LINE, T3_LINE.replace(old, new, 1), 1))
    assert check("GK601", doc) == []


def test_gk601_fires_on_chinese_numerals_and_handled_without_carry_over() -> None:
    doc = load_document(make_report().replace("申请8件", "申请十件", 1))
    (problem,) = check("GK601", doc)
    assert snippet(doc, problem.span) == "十件" and "写为10" in problem.message.zh
    doc = load_document(make_report().replace("共办理答复8件", "共办理政府信息公开申请9件", 1))
    (problem,) = check("GK601", doc)
    assert "（七）总计" in problem.message.zh and "写为9" in problem.message.zh


@pytest.mark.parametrize("fmt", FLATTENINGS)
def test_gk601_2020_layout(fmt: str) -> None:
    text = make_report(layout="2020", flattening=fmt)
    doc = load_document(text.replace("共收到政府信息公开申请8件", "共收到政府信息公开申请6件", 1))
    (problem,) = check("GK601", doc)
    assert (doc.position(problem.span.start).line, snippet(doc, problem.span)) == (10, "6件")  # type: ignore[union-attr]


def test_gk601_missing_table_is_not_compared() -> None:
    text = make_report().replace("共收到政府信息公开申请8件", "共收到政府信息公开申请9件", 1)
    head, sep, tail = text.partition("三、收到和处理政府信息公开申请情况")
    doc = load_document(head + "三、收到和处理政府信息公开申请情况\n本年未收到申请。\n" + tail.split("四、政府信息公开行政复议", 1)[1])
    assert sep and check("GK601", doc) == []


# -- GK602 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk602_review_count_contradicts_table4(fmt: str) -> None:
    # Table 4 of make_report: 行政复议 总计 2 (维持1, 尚未审结1), 直接起诉 1, 复议后起诉 0.
    extra = "因政府信息公开被申请行政复议3件，被提起行政诉讼1件。"
    doc = make_doc(fmt, [(T3_LINE, T3_LINE + extra)])
    (problem,) = check("GK602", doc)
    column = len(T3_LINE) + len("因政府信息公开被申请行政复议") + 1
    assert_at(doc, fmt, problem.span, 10, column, "3件")
    assert "行政复议写为3" in problem.message.zh and "合计为2" in problem.message.zh
    cell = doc.tables["table4"].cell("counts", "review_total")
    assert cell is not None and [r.span for r in problem.related] == [cell.span]
    assert snippet(doc, problem.related[0].span) == "2"


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk602_none_statement_with_cases_in_table4(fmt: str) -> None:
    extra = "本机关未因政府信息公开被申请行政复议、提起行政诉讼。"
    doc = make_doc(fmt, [(T3_LINE, T3_LINE + extra)])
    problems = check("GK602", doc)
    assert [p.key for p in problems] == [("table4", "review", "none"), ("table4", "litigation", "none")]
    column = len(T3_LINE) + len("本机关") + 1
    assert_at(doc, fmt, problems[0].span, 10, column, "未因政府信息公开被申请行政复议")
    assert snippet(doc, problems[1].span) == "未因政府信息公开被申请行政复议、提起行政诉讼"
    assert "没有行政诉讼" in problems[1].message.zh and "合计为1" in problems[1].message.zh
    quiet = make_doc(fmt, [(T3_LINE, T3_LINE + extra)], table4=ZERO_T4)
    assert check("GK602", quiet) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "本机关因政府信息公开被申请行政复议2件，被提起行政诉讼1件。",  # agrees
        "本机关办理行政复议案件45件。",  # the agency's own reconsideration work, not about 信息公开
        "未发生因政府信息公开被纠错的行政复议案件。",  # about corrections
        "2021年因政府信息公开被申请行政复议5件。",  # another year
        "因政府信息公开未经行政复议直接提起行政诉讼1件。",  # 未经 is not a negation of 行政复议
        "因政府信息公开被申请行政复议2件，尚未审结1件。",
    ],
)
def test_gk602_quiet(sentence: str) -> None:
    doc = load_document(make_report().replace(T3_LINE, T3_LINE + sentence, 1))
    assert check("GK602", doc) == []


# -- GK603 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk603_none_received_but_table3_has_applications(fmt: str) -> None:
    doc = make_doc(fmt, [(T3_LINE, "2022年，本机关未收到政府信息公开申请。")])
    (problem,) = check("GK603", doc)
    assert_at(doc, fmt, problem.span, 10, 10, "未收到政府信息公开申请")
    assert "“一、本年新收政府信息公开申请数量”行“总计”列为8" in problem.message.zh
    cell = doc.tables["table3"].cell("new", "total")
    assert cell is not None and [r.span for r in problem.related] == [cell.span]
    quiet = make_doc(fmt, [("2022年，本机关共收到政府信息公开申请0件，上年结转0件，共办理答复0件，结转下年度继续办理0件。",
                            "2022年，本机关未收到政府信息公开申请。")], table3=ZERO_T3)
    assert check("GK603", quiet) == []


def test_gk603_statement_kinds() -> None:
    base = make_report()
    doc = load_document(base.replace(T3_LINE, "2022年我局未收到和处理政府信息公开申请。", 1))
    (problem,) = check("GK603", doc)
    assert "列为8" in problem.message.zh and "“（七）总计”行“总计”列为8" in problem.message.zh
    assert len(problem.related) == 2
    doc = load_document(base.replace(T3_LINE, "2022年本机关无依申请公开事项。", 1))
    (problem,) = check("GK603", doc)
    assert "“二、上年结转政府信息公开申请数量”行“总计”列为1" in problem.message.zh
    doc = load_document(base.replace(T3_LINE, "2022年我局没有收到依申请公开政府信息。", 1))
    assert len(check("GK603", doc)) == 1
    # Seed 004's wording: the number 0 is not a GK601 count, it is a "none" statement.
    doc = load_document(base.replace(T3_LINE, "2022年，本机关未收到政府信息公开申请0件，上年度结转1件。", 1))
    assert len(check("GK603", doc)) == 1 and check("GK601", doc) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "本机关未收到申请人的投诉。",
        "未发生因依申请公开引发的行政复议和行政诉讼。",
        "本机关依申请公开政府信息未收取任何费用。",
        "2021年本机关未收到政府信息公开申请。",
    ],
)
def test_gk603_quiet(sentence: str) -> None:
    doc = load_document(make_report().replace(T3_LINE, T3_LINE + sentence, 1))
    assert check("GK603", doc) == []


# -- GK604 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk604_period_year_differs_from_title(fmt: str) -> None:
    doc = make_doc(fmt, [(PERIOD, PERIOD.replace("2022", "2021"))])
    (problem,) = check("GK604", doc)
    intro = make_report().splitlines()[3]
    assert_at(doc, fmt, problem.span, 4, intro.index("自2022年") + 2, "2021")
    assert problem.message.zh == "标题中的报告年度为2022年，但统计期限为2021年1月1日至2021年12月31日"
    assert_at(doc, fmt, problem.related[0].span, 2, 1, "2022")
    assert check("GK605", doc) == []  # a whole calendar year: not GK605's business


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk604_overview_year_differs(fmt: str) -> None:
    doc = make_doc(fmt, [("2022年，东平市工业和信息化局坚持", "2021年，东平市工业和信息化局坚持")])
    (problem,) = check("GK604", doc)
    assert_at(doc, fmt, problem.span, 6, 1, "2021")
    assert problem.message.zh == "“一、总体情况”开头写的是2021年，但标题中的报告年度为2022年，统计期限为2022年"
    assert [snippet(doc, r.span) for r in problem.related] == ["2022", "2022"]


def test_gk604_quiet() -> None:
    base = make_report()
    assert check("GK604", load_document(base.replace("2022年，东平市工业和信息化局坚持", "2019年以来，东平市工业和信息化局坚持", 1))) == []
    # A 2022 report in the 2020 layout is GK301's finding, not GK604's.
    assert check("GK604", load_document(make_report(layout="2020", year=2022))) == []
    # A 2020 report in the 2020 layout.
    assert check("GK604", load_document(make_report(layout="2020"))) == []


# -- GK605 / GK607 / GK608 ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk605_period_not_calendar_year(fmt: str) -> None:
    doc = make_doc(fmt, [(PERIOD, PERIOD.replace("12月31日", "12月30日"))])
    (problem,) = check("GK605", doc)
    intro = make_report().splitlines()[3]
    assert_at(doc, fmt, problem.span, 4, intro.index("2022年1月1日") + 1, "2022年1月1日起至2022年12月30日")
    assert problem.message.zh == "统计期限为2022年1月1日至2022年12月30日，未到12月31日结束；应为2022年1月1日至2022年12月31日"
    assert check("GK604", doc) == [] and check("GK607", doc) == [] and check("GK608", doc) == []


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("统计期限自2022年1月1日起至2023年1月1日止", "跨越两个年度、未到12月31日结束"),
        ("统计期限自2022年2月1日起至2022年12月31日止", "未从1月1日开始"),
        ("统计期限自2022年1月1日起至2022年2月30日止", "日期不存在、未到12月31日结束"),
    ],
)
def test_gk605_messages(period: str, expected: str) -> None:
    (problem,) = check("GK605", load_document(make_report().replace(PERIOD, period, 1)))
    assert expected in problem.message.zh and "应为2022年1月1日至2022年12月31日" in problem.message.zh


@pytest.mark.parametrize(
    "period",
    ["统计期限自2022年1月1日起至12月31日止", "统计期限为二〇二二年一月一日至十二月三十一日", "统计期限为2022年1月1日—2022年12月31日"],
)
def test_gk605_accepts_period_wordings(period: str) -> None:
    doc = load_document(make_report().replace(PERIOD, period, 1))
    assert [rid for rid, _ in all_problems(doc)] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk607_damaged_period(fmt: str) -> None:
    damaged = "统计期限自202211日起至20221231日止"
    doc = make_doc(fmt, [(PERIOD, damaged)])
    (problem,) = check("GK607", doc)
    intro = make_report().splitlines()[3]
    # the statement is quoted from its first keyword, 所列数据, to the end of the sentence
    start = intro.index("所列数据的统计期限")
    assert_at(doc, fmt, problem.span, 4, start + 1, "所列数据的" + damaged)
    assert check("GK605", doc) == [] and check("GK608", doc) == [] and check("GK604", doc) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk608_no_period(fmt: str) -> None:
    doc = make_doc(fmt, [("本报告中所列数据的" + PERIOD + "。", "")])
    (problem,) = check("GK608", doc)
    assert snippet(doc, problem.span).endswith("2022年政府信息公开工作年度报告")
    if fmt in FLATTENINGS:
        assert doc.position(problem.span.start).line == 1  # type: ignore[union-attr]
    assert check("GK607", doc) == [] and check("GK605", doc) == []


# -- GK606 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_gk606_parts_do_not_add_up(fmt: str) -> None:
    doc = make_doc(fmt, [("工作动态186条", "工作动态180条")])
    (problem,) = check("GK606", doc)
    # "全年通过政府门户网站主动公开政府信息" is 18 characters: 236 starts in column 19.
    assert_at(doc, fmt, problem.span, 8, 19, "236条")
    assert problem.message.zh == "“其中”所列各项之和为12+38+180=230条，与总数236条不符（相差6）"
    assert snippet(doc, problem.related[0].span) == "机构职能12条、政策文件38条、工作动态180条"


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("2022年主动公开政府信息517条，其中政府网站公开信息138条，占26.7%；政务微信公开信息379条，占73.3%。", False),
        ("2022年主动公开政府信息518条，其中政府网站公开信息138条，占26.7%；政务微信公开信息379条，占73.3%。", True),
        ("发布信息95条,其中,工作概况82条,会议公开8条,部门预决算2条,规划计划1条,部门指南1条,政务公开年报1条。", False),
        ("公开信息236条，其中机构职能12条、政策文件38条等。", False),  # partial on purpose
        ("公开信息236条，其中主要有机构职能12条、政策文件38条。", False),
        ("公开信息200余条，其中机构职能12条、政策文件38条。", False),  # approximate total
        ("公开信息236条，其中机构职能12条、政策文件38条、工作动态百余条。", False),  # approximate part
        ("办理人大代表建议18件、政协委员提案34件，其中主办5件、协办47件。", False),  # which total?
        ("共收到申请8件，其中自然人5件、法人3件，予以公开6件、不予公开2件。", False),  # two breakdowns
        ("共收到申请8件（其中自然人5件、法人4件），均已答复。", True),
        ("共收到申请8件，其中自然人10件。", True),  # one part larger than the total
        ("共收到申请8件，其中自然人5件。", False),  # one part: partial
        ("共作出政府信息公开申请答复1件，其中无法提供1件。", False),
        ("公开信息50条，其中机构职能12条、政策文件38条，同比增长15%。", False),  # the comparison is not a part
        ("公开信息50条，其中机构职能12条、政策文件38条，同比增加3条。", False),  # a count that is not a part: unsure
        ("公开信息50条，其中机构职能12条、政策文件36条。", True),
        ("公开信息236条，其中机构职能十二条、政策文件三十八条、工作动态一百八十六条。", False),
        ("公开信息236条，其中机构职能十二条、政策文件三十八条、工作动态一百八十条。", True),
    ],
)
def test_gk606_cases(sentence: str, fires: bool) -> None:
    doc = load_document(make_report().replace(ACTIVE_LINE, sentence, 1))
    assert bool(check("GK606", doc)) is fires


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("parts", "fires"),
    [
        ("其中机构职能12条、政策文件38条、其他类信息（含人事、采购）186条", False),
        ("其中机构职能12条、政策文件38条、其他类信息（含人事、采购）185条", True),
        ("其中机构职能12条、其他类信息（含人事、采购）186条、政策文件38条", False),
        ("其中机构职能12条、其他类信息（含人事、采购）180条、政策文件38条", True),
        ("其中机构职能12条，政策文件38条；工作动态186条", False),
        ("其中机构职能12条，政策文件38条；工作动态180条", True),
        ("其中机构职能12条；政策文件38条；人事信息（含招录；任免）186条", False),
        ("其中机构职能12条；政策文件38条；人事信息（含招录；任免）187条", True),
    ],
)
def test_gk606_parts_with_brackets_or_semicolons(fmt: str, parts: str, fires: bool) -> None:
    """A part whose label holds bracketed words (with 、 or ；) is one part; ； separates parts like 、 and ，."""
    doc = make_doc(fmt, [("其中机构职能12条、政策文件38条、工作动态186条", parts)])
    found = check("GK606", doc)
    assert bool(found) is fires
    if fires:
        (problem,) = found
        assert snippet(doc, problem.span) == "236条"
        assert snippet(doc, problem.related[0].span) == parts.removeprefix("其中")


def test_gk606_a_list_in_brackets_with_bracketed_labels() -> None:
    for parts, fires in (("（其中甲类1条，乙类（含人事、采购）1条；丙类5条；丁类7条），均已公开", False),
                         ("（其中甲类1条，乙类（含人事、采购）1条；丙类5条；丁类8条），均已公开", True)):
        doc = load_document(make_report().replace(ACTIVE_LINE, f"全年主动公开政府信息14条{parts}。", 1))
        assert bool(check("GK606", doc)) is fires


# -- the seeds ------------------------------------------------------------------------------------

SEED_EXPECTED: dict[str, set[tuple[str, int]]] = {
    # 001 has no statistics period at all: GK608 (info) at its title, line 3.
    "001_c3166346273e220a.txt": {("GK608", 3)},
    "000_aaee5b92eb1fdaf0.txt": set(),
    "002_2dfc536c7b58f7e3.txt": set(),
    "003_07346d24f20e1799.txt": set(),
    "004_061f25e04a17c5ed.txt": set(),
}


def _seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed {path} not available")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_seeds_exact_findings(name: str) -> None:
    doc = load_document(_seed(name))
    found = {(rid, doc.position(p.span.start).line if p.span else 0) for rid, p in all_problems(doc)}
    assert found == SEED_EXPECTED[name]


SEED_MUTATIONS = [
    # (seed, text, replacement, rule, line)
    ("000_aaee5b92eb1fdaf0.txt", "共收到政府信息公开申请1件", "共收到政府信息公开申请3件", "GK601", 13),
    ("000_aaee5b92eb1fdaf0.txt", "其中无法提供1件", "其中予以公开1件", "GK601", 13),
    ("000_aaee5b92eb1fdaf0.txt", "上年度结转0件", "上年度结转2件", "GK601", 13),
    ("000_aaee5b92eb1fdaf0.txt", "答复1件", "答复2件", "GK601", 13),
    ("000_aaee5b92eb1fdaf0.txt", "2022年政府信息公开工作年度报告", "2021年政府信息公开工作年度报告", "GK604", 6),
    ("000_aaee5b92eb1fdaf0.txt", "至2022年12月31日止", "至2022年12月30日止", "GK605", 6),
    ("001_c3166346273e220a.txt", "一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
     "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1", "GK603", 15),
    ("002_2dfc536c7b58f7e3.txt", "收到政府信息公开申请2件", "收到政府信息公开申请3件", "GK601", 21),
    ("003_07346d24f20e1799.txt", "发布信息95条", "发布信息96条", "GK606", 8),
    ("003_07346d24f20e1799.txt", "统计期限自2023年1月1日起至2023年12月31日止", "统计期限自2022年1月1日起至2022年12月31日止", "GK604", 6),
    ("003_07346d24f20e1799.txt", "统计期限自2023年1月1日起至2023年12月31日止", "统计期限自202311日起至20231230日止", "GK607", 4),
    ("004_061f25e04a17c5ed.txt", "517条", "518条", "GK606", 9),
]


@pytest.mark.parametrize(("name", "old", "new", "rule_id", "line"), SEED_MUTATIONS)
def test_seed_mutations_are_found(name: str, old: str, new: str, rule_id: str, line: int) -> None:
    text = _seed(name)
    assert old in text
    doc = load_document(text.replace(old, new, 1))
    expected = SEED_EXPECTED[name] | {(rule_id, line)}
    found = {(rid, doc.position(p.span.start).line if p.span else 0) for rid, p in all_problems(doc)}
    assert found == expected


def test_seed_004_table4_against_its_none_statement() -> None:
    """Seed 004 says 未因政府信息公开被申请行政复议; a 行政复议 case in table 4 contradicts it."""
    text = _seed("004_061f25e04a17c5ed.txt")
    doc = load_document(text)
    table = doc.tables["table4"]
    cell, total = table.cell("counts", "review_pending"), table.cell("counts", "review_total")
    assert cell is not None and total is not None and cell.span and total.span
    # Replace the two cells from the end so earlier offsets stay valid.
    for c in sorted((cell, total), key=lambda c: c.span.start, reverse=True):  # type: ignore[union-attr]
        text = text[: c.span.start] + "1" + text[c.span.end :]  # type: ignore[union-attr]
    doc = load_document(text)
    (problem,) = check("GK602", doc)
    assert doc.position(problem.span.start).line == 11  # type: ignore[union-attr]
    assert snippet(doc, problem.span) == "未因政府信息公开被申请行政复议"


# -- numbers, data and properties -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一百零五", 105),
     ("三千二百", 3200), ("二〇二二", 2022), ("一万二千", 12000), ("零", 0), ("", None), ("三x", None)],
)
def test_parse_count(text: str, value: int | None) -> None:
    assert parse_count(text) == value


def test_period_keywords_are_the_document_model_s(tmp_path: Path) -> None:
    moved = tmp_path / "pack.toml"
    moved.write_text('[crosscheck.period]\nkeywords = ["统计期限"]\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        crosscheck_data.cross_data(load_standard_data([*national_data_files(), moved]))
    assert "crosscheck.period.keywords" in info.value.message.zh and "[period] keywords" in info.value.message.en


def test_bad_data_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "pack.toml"
    bad.write_text('[[crosscheck.table3]]\nfact = "x"\nname = { zh = "某", en = "x" }\nrows = ["new"]\npatterns = ["收到申请"]\n',
                   encoding="utf-8")
    data = load_standard_data([*national_data_files(), bad])
    doc = load_document(make_report(), data=data)
    with pytest.raises(DataError) as info:
        list(RULES["GK601"].check(doc, CheckContext(options={}, data=data)))
    assert "crosscheck.table3[0].patterns[0]" in info.value.message.zh and str(bad) in info.value.message.zh


def test_bad_regex_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "pack.toml"
    bad.write_text('[[crosscheck.none_received.statements]]\nrows = ["new"]\npatterns = ["(未收到"]\n', encoding="utf-8")
    data = load_standard_data([*national_data_files(), bad])
    with pytest.raises(DataError) as info:
        crosscheck.gklint_validate_data(data)
    assert "none_received.statements[0].patterns[0]" in info.value.message.en


def test_unknown_row_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "pack.toml"
    bad.write_text('[[crosscheck.none_received.statements]]\nrows = ["newly"]\npatterns = ["未收到"]\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        crosscheck.gklint_validate_data(load_standard_data([*national_data_files(), bad]))
    assert "newly" in info.value.message.zh


@pytest.mark.parametrize(("readings", "expected"), [
    ('[{ rows = ["new", "carried"], name = { zh = "和", en = "sum" } }]', "carried"),
    ('[{ rows = ["new"] }]', "table3[0].readings[0].name"),
    ('["new"]', "table3[0].readings[0]"),
])
def test_bad_readings_are_reported(tmp_path: Path, readings: str, expected: str) -> None:
    bad = tmp_path / "pack.toml"
    bad.write_text(f'[[crosscheck.table3]]\nfact = "x"\nname = {{ zh = "某", en = "x" }}\nrows = ["new"]\n'
                   f'patterns = ["收到申请{{N}}"]\nreadings = {readings}\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        crosscheck.gklint_validate_data(load_standard_data([*national_data_files(), bad]))
    assert expected in info.value.message.zh


def test_data_is_parsed_once() -> None:
    data = standard_data()
    assert crosscheck_data.cross_data(data) is crosscheck_data.cross_data(data)


_ROW = st.lists(st.integers(min_value=0, max_value=4), min_size=6, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(new=_ROW, disclosed=_ROW, unable=_ROW, review=st.lists(st.integers(0, 3), min_size=4, max_size=4))
def test_consistent_generated_reports_are_quiet(new: list[int], disclosed: list[int], unable: list[int], review: list[int]) -> None:
    """make_report's prose agrees with its tables whatever the numbers: no GK6 finding."""
    carried = [max(0, d + u - n) for n, d, u in zip(new, disclosed, unable, strict=True)]
    table3 = {"new": new, "carried_over": carried, "disclosed": disclosed, "unable_1": unable,
              "partly": [0] * 6, "withheld_4": [0] * 6}
    doc = load_document(make_report(table3=table3, table4=[review, [0] * 4, [0] * 4]))
    assert all_problems(doc) == []


def test_rule_type() -> None:
    assert all(isinstance(r, Rule) for r in RULES.values())


# -- pre-checks: each keeps every sentence the full check could act on ---------------------------

CFG = crosscheck_data.cross_data(standard_data())
COUNT = crosscheck_data._count_regex("零〇一二两三四五六七八九十百千万", ("件",))
# Prose fragments as reports write them, with the edge cases of the pre-checks: a count at
# the start of a line, 无/未 statements, period keywords, 其中 lists, traditional characters.
_FRAGMENTS = (
    T3_LINE, ACTIVE_LINE, PERIOD + "。", "本机关未收到政府信息公开申请", "全年无依申请公开事项", "2022年度", "统计期限",
    "本年度未发生行政复议、行政诉讼。", "被申请行政复议2件", "行政诉讼一件", "其中", "予以公开3件", "二十件", "12个",
    "文件", "个人", "条例", "國辦", "無", "。", ",", "、", "!", "?", " ", "\u3000", "8", "件",
)


def _paragraphs(texts: Sequence[str]) -> Document:
    """A document whose paragraphs are *texts* (one per line), read like any text report."""
    return load_document("\n".join(texts))


def _gates() -> list[crosscheck_prose._Gate]:
    """Every gate the rules use with the national data, and the (quick, pattern) pair of GK601."""
    single = [CFG.unit, CFG.count, CFG.negation, CFG.none_starts, CFG.part_opener]
    gates: list[crosscheck_prose._Gate] = [g for g in single if g is not None]
    assert len(gates) == len(single) and CFG.unit is not None
    return [*gates, (CFG.unit, CFG.count)]


def _expected(doc: Document, gate: crosscheck_prose._Gate) -> list[tuple[int, str]]:
    pattern = gate[1] if isinstance(gate, tuple) else gate
    return [(s.start, s.text) for s in crosscheck_prose.sentences(doc) if pattern.search(s.text)]


def _screened(doc: Document, *gates: crosscheck_prose._Gate) -> list[tuple[int, str]]:
    return [(s.start, s.text) for s in crosscheck_prose._screen(doc).having(*gates)]


@pytest.mark.parametrize("fmt", FLATTENINGS)
def test_screen_keeps_exactly_the_sentences_a_gate_matches(fmt: str) -> None:
    docs = [make_doc(fmt), make_doc(fmt, [(T3_LINE, "本年度未收到政府信息公开申请。" + T3_LINE)])]
    docs += [load_document(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    for doc in docs:
        for gate in _gates():
            assert _screened(doc, gate) == _expected(doc, gate)
        assert CFG.negation is not None
        both = sorted(set(_expected(doc, CFG.count)) | set(_expected(doc, CFG.negation)))
        assert _screened(doc, CFG.count, CFG.negation) == both


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(_FRAGMENTS), max_size=6).map("".join), min_size=1, max_size=6))
def test_screen_finds_matches_next_to_paragraph_and_sentence_breaks(texts: list[str]) -> None:
    doc = _paragraphs(texts)
    for gate in _gates():
        assert _screened(doc, gate) == _expected(doc, gate)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=8).map("".join))
def test_a_sentence_without_count_or_starting_character_matches_no_statement(text: str) -> None:
    """``count`` and ``unit`` are found wherever a {N} pattern matches, ``none_starts`` wherever a GK603 one does."""
    for fact in (*CFG.table3, *CFG.table4):
        assert fact.needs_unit
        for pattern in fact.patterns:
            if pattern.search(text):
                assert CFG.count.search(text) and CFG.unit is not None and CFG.unit.search(text), (pattern.pattern, text)
    for statement in CFG.none_statements:
        for pattern in statement.patterns:
            for m in pattern.finditer(text):
                assert CFG.none_starts is not None and CFG.none_starts.match(text, m.start()), text


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        ("收到申请{N}", True),
        ("(?:收到{N})+", True),
        ("(?i:收到{N})", True),
        ("收到申请{N}?", False),  # the unit is optional: a numeral alone may match
        ("收到申请{N}*", False),
        ("收到申请(?:{N})?", False),
        ("收到申请{N}|未收到", False),
        ("收到申请(?={N})", False),
    ],
)
def test_needs_count_and_unit_only_when_every_match_has_both(pattern: str, needed: bool) -> None:
    assert crosscheck_data._needs_count_and_unit(re.compile(pattern.replace("{N}", COUNT))) is needed


@pytest.mark.parametrize(
    ("pattern", "first"),
    [
        ("未收到", "未"),
        ("(?:未|没有|尚未)收到", "未没尚"),
        ("(?<![不])(?:无|没有)?依申请", "无没依"),  # a look-behind consumes nothing; an optional part adds the next
        ("[一二三]是", "一二三"),
        ("(?:未|)收到", "未收"),
        ("\\d件", None),  # a category: unknown
        ("[^未]件", None),
        (".件", None),
        ("(?i)a件", None),
        ("(?:未)?", None),  # may match the empty string
        ("未?", None),
    ],
)
def test_first_chars(pattern: str, first: str | None) -> None:
    found = crosscheck_data._first_chars(re.compile(pattern))
    assert found == (frozenset(first) if first is not None else None)


def test_starts_gate_is_none_when_one_pattern_is_unknown() -> None:
    assert crosscheck_data._starts_gate([re.compile("未收到"), re.compile(".收到")]) is None
    gate = crosscheck_data._starts_gate([re.compile("未收到"), re.compile("(?:无|没有)申请")])
    assert gate is not None and {c for c in "未无没申" if gate.match(c)} == {"未", "无", "没"}


def test_pack_statement_starting_with_a_class_is_still_checked(tmp_path: Path) -> None:
    """A data pack's GK603 pattern whose first characters are unknown turns the pre-check off."""
    pack = tmp_path / "pack.toml"
    pack.write_text('[[crosscheck.none_received.statements]]\nrows = ["new"]\npatterns = ["[^，。]{0,2}零申请"]\n', encoding="utf-8")
    data = load_standard_data([*national_data_files(), pack])
    assert crosscheck_data.cross_data(data).none_starts is None
    doc = make_doc(FLATTENINGS[0], [(T3_LINE, "本年度零申请。" + T3_LINE)])
    found = run_rule(RULES["GK603"], doc, data=data)
    assert [snippet(doc, p.span) for p in found] == ["年度零申请"]


# -- count patterns: which need the numeral, and the sentences they can match ---------------------


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        ("收到申请{N}", True),
        ("(?:共|合计)收到申请{N}", True),
        ("收到(?:申请)+{N}", True),
        ("(?i:收到{N})", True),
        ("收到申请(?:{N})?", False),  # optional: may match without a numeral
        ("收到申请(?:{N})*", False),
        ("收到申请{N}|未收到申请", False),  # a branch without the count
        ("收到申请(?={N})", False),  # look-ahead: not followed
    ],
)
def test_needs_group_is_true_only_when_every_match_has_the_count(pattern: str, needed: bool) -> None:
    assert crosscheck_data._needs_group(re.compile(pattern.replace("{N}", COUNT)), "n") is needed


def test_needs_group_without_the_group_is_false() -> None:
    assert crosscheck_data._needs_group(re.compile("收到申请"), "n") is False


def test_national_table3_patterns_all_need_the_count() -> None:
    facts = crosscheck_data.cross_data(standard_data()).table3
    assert facts and all(f.needs_count for f in facts)


@pytest.mark.parametrize("words", [(), ("收到",), ("收到", "办理答复"), ("", "x"), ("a.b", "(")])
def test_any_of_agrees_with_any(words: tuple[str, ...]) -> None:
    pattern = crosscheck_data._any_of(words)
    for text in ("本机关共收到申请8件", "共办理答复8件", "", "a.b", "axb(", "无"):
        expected = any(w in text for w in words)
        assert (pattern is not None and pattern.search(text) is not None) is expected


def _corpus_texts() -> list[str]:
    texts = [make_report(layout=layout, flattening=f) for f in FLATTENINGS for layout in ("2021", "2020")]
    texts.append(make_report().replace("申请8件", "申请九件", 1))
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return texts


def test_sentences_without_a_numeral_match_no_table3_pattern() -> None:
    """The skip in GK601 drops only sentences where no pattern of the skipped facts can match."""
    cfg = crosscheck_data.cross_data(standard_data())
    skipped = 0
    for text in _corpus_texts():
        for s in crosscheck_prose.sentences(load_document(text)):
            if cfg.numeral.search(s.text) is None:
                skipped += 1
                assert not any(p.search(s.text) for f in cfg.table3 for p in f.patterns), s.text
    assert skipped > 20  # the corpus has plenty of sentences without numerals
