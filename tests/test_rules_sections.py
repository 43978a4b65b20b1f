"""GK1 sections: each rule fires on a realistic report with one defect and stays quiet on the clean one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gklint.data import DataError, StandardData
from gklint.findings import Problem, Severity
from gklint.model import Document, Position
from gklint.national import sections
from gklint.national.sections import _parts as sections_parts
from gklint.national.sections import data as sections_data
from gklint.readers.base import Limits
from gklint.rule import CheckContext
from gklint.structure import build_document
from gklint.testing import (
    FLATTENINGS,
    STYLES,
    load_document,
    located,
    make_docx,
    make_report,
    report_in,
    run_rule,
    standard_data,
)

RULES = {rule.id: rule for rule in sections.gklint_rules()}
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

H5 = "五、存在的主要问题及改进情况"
H6 = "六、其他需要报告的事项"
P5 = "2022年政府信息公开工作取得一定成效，但仍存在政策解读形式不够丰富、公开内容不够全面等问题。下一步将丰富解读形式，拓展公开深度。"
PARTS = ("报告全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
         "存在的主要问题及改进情况、其他需要报告的事项共六部分。")


# -- helpers -------------------------------------------------------------------------------------


def load_document_html(html: str) -> Document:
    return load_document(html, "r.html")


def problems(rule_id: str, doc: Document | str) -> list[Problem]:
    return run_rule(RULES[rule_id], doc)


def at(doc: Document, problem: Problem) -> Position:
    assert problem.span is not None
    return doc.position(problem.span.start)


def every(doc: Document) -> list[tuple[str, str]]:
    return [(rid, p.message.zh) for rid, rule in RULES.items() for p in run_rule(rule, doc)]


# -- the clean report ----------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("layout", ["2021", "2020"])
def test_clean_report_is_quiet(style: str, layout: str) -> None:
    doc, _ = report_in(style, layout=layout)
    assert len(doc.sections) == 6
    assert every(doc) == []


def test_severities() -> None:
    assert {rid: r.severity for rid, r in RULES.items()} == {
        "GK101": Severity.ERROR, "GK102": Severity.ERROR, "GK103": Severity.WARNING, "GK104": Severity.ERROR,
        "GK105": Severity.ERROR, "GK106": Severity.WARNING, "GK107": Severity.WARNING,
        "GK108": Severity.ERROR, "GK109": Severity.WARNING,
    }


# -- GK101 missing section -----------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_gk101_missing_section_located_before_the_next_heading(style: str) -> None:
    doc, source = report_in(style, [(H5, "")])
    found = problems("GK101", doc)
    assert len(found) == 1
    assert found[0].message.zh == "缺少第五部分“五、存在的主要问题及改进情况”（应在“六、其他需要报告的事项”之前）"
    assert found[0].key == ("problems", "存在的主要问题及改进情况")
    assert at(doc, found[0]) == located(source, H6)
    assert every(doc) == [("GK101", found[0].message.zh)]  # numbering 四 → 六 is explained by the gap


@pytest.mark.parametrize("style", FLATTENINGS)
def test_gk101_missing_last_section_points_at_the_end(style: str) -> None:
    doc, text = report_in(style, [(H6, "")])
    found = problems("GK101", doc)
    assert [p.message.zh for p in found] == ["缺少第六部分“六、其他需要报告的事项”（应在报告末尾）"]
    last_line = text.rstrip().count("\n") + 1
    assert at(doc, found[0]).line == last_line


def test_gk101_two_missing_and_renumbered_sections() -> None:
    # 二 is dropped and the later sections close up: 三→二 … 六→五.  GK101 names 二; GK102 stays quiet.
    text = make_report()
    text = text.replace("二、主动公开政府信息情况\n", "")
    for old, new in [("三、收到和处理", "二、收到和处理"), ("四、政府信息公开行政复议", "三、政府信息公开行政复议"),
                     (H5, "四、存在的主要问题及改进情况"), (H6, "五、其他需要报告的事项")]:
        text = text.replace(old, new)
    doc = load_document(text)
    found = problems("GK101", doc)
    assert [p.message.zh for p in found] == ["缺少第二部分“二、主动公开政府信息情况”（应在“二、收到和处理政府信息公开申请情况”之前）"]
    assert at(doc, found[0]) == located(text, "二、收到和处理")
    assert problems("GK102", doc) == []


def test_gk101_no_sections_at_all_is_one_finding() -> None:
    doc = load_document("东平市工业和信息化局2022年政府信息公开工作年度报告\n本年度工作正常开展。\n")
    found = problems("GK101", doc)
    assert len(found) == 1 and found[0].span is None
    assert "“一、总体情况”" in found[0].message.zh and "“六、其他需要报告的事项”" in found[0].message.zh
    assert problems("GK104", doc) == []


# -- GK102 order and numbering --------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_gk102_wrong_numeral(style: str) -> None:
    doc, source = report_in(style, [(H6, "七、其他需要报告的事项")])
    found = problems("GK102", doc)
    assert len(found) == 1
    assert found[0].message.zh == "“七、其他需要报告的事项”的编号应为“六”，写成了“七”"
    assert at(doc, found[0]) == located(source, "七、其他需要报告的事项")
    assert found[0].fix is not None and found[0].fix.replacement == "六"
    assert problems("GK101", doc) == [] and problems("GK103", doc) == []


def test_gk102_fix_restores_the_numeral() -> None:
    text = make_report().replace(H6, "七、其他需要报告的事项")
    fix = problems("GK102", text)[0].fix
    assert fix is not None
    assert text[: fix.span.start] + fix.replacement + text[fix.span.end :] == make_report()


def test_gk102_duplicated_numeral() -> None:
    text = make_report().replace(H6, "五、其他需要报告的事项")
    found = problems("GK102", text)
    assert [p.message.zh for p in found] == ["“五、其他需要报告的事项”的编号应为“六”，写成了“五”，与“五、存在的主要问题及改进情况”编号重复"]
    assert at(load_document(text), found[0]) == located(text, "五、其他需要报告的事项")


def test_gk102_sections_out_of_order_once() -> None:
    text = make_report()
    block = f"{H5}\n{P5}\n"
    text = text.replace(block, "").rstrip("\n") + "\n" + block
    doc = load_document(text)
    found = problems("GK102", doc)
    assert [p.message.zh for p in found] == ["章节顺序错误：“五、存在的主要问题及改进情况”应在“六、其他需要报告的事项”之前"]
    assert at(doc, found[0]) == located(text, H5)
    assert found[0].related and found[0].related[0].span == doc.section("other").heading_span  # type: ignore[union-attr]


def test_gk102_content_swapped_under_sequential_numerals_is_one_finding() -> None:
    text = make_report().replace(f"{H5}\n{P5}\n", "")
    text = text.replace(H6, "五、其他需要报告的事项").rstrip("\n") + f"\n六、存在的主要问题及改进情况\n{P5}\n"
    found = problems("GK102", text)
    assert [p.message.zh for p in found] == ["章节顺序错误：“六、存在的主要问题及改进情况”应在“五、其他需要报告的事项”之前"]


def test_gk102_unknown_extra_section_in_sequence_is_quiet() -> None:
    assert problems("GK102", make_report() + "七、附件\n政府信息公开工作机构联系方式。\n") == []


# -- GK103 heading wording -------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_gk103_variant_heading(style: str) -> None:
    doc, source = report_in(style, [(H5, "五、存在问题及改进情况")])
    found = problems("GK103", doc)
    assert len(found) == 1
    assert found[0].message.zh == "第五部分标题写作“存在问题及改进情况”（常见的改写），格式规定为“存在的主要问题及改进情况”"
    assert at(doc, found[0]) == located(source, "五、存在问题及改进情况")
    assert problems("GK101", doc) == []


def test_gk103_variant_fix_and_fuzzy_heading() -> None:
    text = make_report().replace(H5, "五、存在问题及改进情况")
    fix = problems("GK103", text)[0].fix
    assert fix is not None and text[: fix.span.start] + fix.replacement + text[fix.span.end :] == make_report()
    text = make_report().replace("二、主动公开政府信息情况", "二、主动公开政府政府情况")
    found = problems("GK103", text)
    assert [p.message.zh for p in found] == ["第二部分标题写作“主动公开政府政府情况”（与格式不一致），格式规定为“主动公开政府信息情况”"]
    assert found[0].fix is None
    assert located(text, "二、主动公开政府政府情况") == at(load_document(text), found[0])


def test_gk103_fullwidth_and_spacing_are_not_wording() -> None:
    text = make_report().replace(H5, "五．存在的主要问题及改进情况")
    assert problems("GK103", text) == []


# -- GK104 table missing ---------------------------------------------------------------------------

H4 = "四、政府信息公开行政复议、行政诉讼情况"


def _without_table4(text: str, replacement: str) -> str:
    start = text.index(H4) + len(H4)
    end = text.index(H5)
    return text[:start] + replacement + text[end:]


@pytest.mark.parametrize("style", FLATTENINGS)
def test_gk104_table_as_image(style: str) -> None:
    text = _without_table4(make_report(flattening=style), "\n[image: 表4.png]\n")
    doc = load_document(text)
    found = problems("GK104", doc)
    assert [p.message.zh for p in found] == [f"“{H4}”的表4只有图片，没有可以读取和核对的表格文字"]
    assert at(doc, found[0]) == located(text, "[image: 表4.png]")
    assert found[0].key == ("table4", "image")


def test_gk104_table_as_image_html() -> None:
    html = _without_table4(make_report(flattening="html"), '</p>\n<p><img src="t4.png" alt="表4"></p>\n<p>')
    doc = load_document_html(html)
    found = problems("GK104", doc)
    assert len(found) == 1 and "只有图片" in found[0].message.zh
    assert at(doc, found[0]) == located(html, "<img")


@pytest.mark.parametrize("style", [*FLATTENINGS, "html"])
def test_gk104_table_absent(style: str) -> None:
    sep = "</p>\n<p>" if style == "html" else "\n"
    text = _without_table4(make_report(flattening=style), f"{sep}本年度未发生行政复议、行政诉讼案件。{sep}")
    doc = load_document_html(text) if style == "html" else load_document(text)
    found = problems("GK104", doc)
    assert [p.message.zh for p in found] == [f"“{H4}”下没有表4（格式规定本部分以表格列出统计数据）"]
    assert at(doc, found[0]) == located(text, H4)


def test_gk104_table_absent_docx() -> None:
    docx = pytest.importorskip("docx")
    from gklint.readers.docx import DocxReader

    document = docx.Document(io.BytesIO(make_docx()))
    table4 = document.tables[2]._element
    table4.getparent().remove(table4)
    out = io.BytesIO()
    document.save(out)
    doc = build_document(DocxReader().read(out.getvalue(), "r.docx", Limits()), "r.docx", standard_data())
    found = problems("GK104", doc)
    assert [p.key for p in found] == [("table4", "absent")]
    assert at(doc, found[0]) == located(doc.source, H4)


# -- GK105 / GK107 content -------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_gk105_empty_section(style: str) -> None:
    doc, source = report_in(style, [(P5, "")])
    found = problems("GK105", doc)
    assert [p.message.zh for p in found] == [f"第五部分“{H5}”没有内容"]
    assert at(doc, found[0]) == located(source, H5)
    assert problems("GK107", doc) == []


def test_gk105_subheadings_only() -> None:
    text = make_report().replace(P5, "（一）存在问题\n（二）改进情况")
    found = problems("GK105", text)
    assert [p.message.zh for p in found] == [f"第五部分“{H5}”没有内容（只有小标题“（一）存在问题”、“（二）改进情况”）"]


def test_gk105_overview_empty_but_subheadings() -> None:
    text = make_report()
    start = text.index("一、总体情况\n") + len("一、总体情况\n")
    end = text.index("二、主动公开政府信息情况")
    heads = "（一）主动公开\n（二）依申请公开\n（三）政府信息管理\n（四）政府信息公开平台建设\n（五）监督保障\n"
    text = text[:start] + heads + text[end:]
    found = problems("GK105", text)
    assert len(found) == 1 and found[0].message.zh.startswith("第一部分“一、总体情况”没有内容")


def test_gk105_text_on_the_heading_line_counts() -> None:
    text = make_report().replace(f"{H5}\n{P5}", f"{H5}。{P5}")
    assert problems("GK105", text) == [] and problems("GK107", text) == []


@pytest.mark.parametrize("style", STYLES)
def test_gk107_only_wu(style: str) -> None:
    doc, source = report_in(style, [(P5, "无。")])
    found = problems("GK107", doc)
    assert [p.message.zh for p in found] == [f"第五部分“{H5}”只写了“无。”，没有实际内容"]
    assert at(doc, found[0]) == located(source, "无。", source.index(H5))
    assert problems("GK105", doc) == []


def test_gk107_placeholders_under_subheadings() -> None:
    text = make_report().replace(P5, "（一）存在问题\n暂无\n（二）改进情况\n本年度无。")
    found = problems("GK107", text)
    assert [p.message.zh for p in found] == [f"第五部分“{H5}”只写了“暂无”“本年度无。”，没有实际内容"]
    assert at(load_document(text), found[0]) == located(text, "暂无")


def test_gk107_short_real_content_is_quiet() -> None:
    text = make_report().replace(P5, "本年度无突出问题，下一步将继续加强业务培训。")
    assert problems("GK107", text) == [] and problems("GK105", text) == []


def test_gk107_section_six_may_say_wu() -> None:
    text = make_report().replace("本机关2022年未收取信息处理费。", "无。")
    assert problems("GK107", text) == []


def test_gk105_gk107_lines_of_images_bookmarks_and_marks_only_are_not_content() -> None:
    empty = make_report().replace(P5, "[image: 问题.png]\n[bookmark: _Toc1]\n<img src='a.png'>\n____ ……")
    assert [p.message.zh for p in problems("GK105", empty)] == [f"第五部分“{H5}”没有内容"]
    text = make_report().replace(P5, "[bookmark: _Toc2]无。[image: x.png]\n——")
    found = problems("GK107", text)
    assert [p.message.zh for p in found] == [f"第五部分“{H5}”只写了“无。”，没有实际内容"]
    assert problems("GK105", text) == []


def test_gk107_stops_at_the_first_real_line_wherever_it_is() -> None:
    text = make_report().replace(P5, "无。\n暂无\n" + P5)
    assert problems("GK107", text) == [] and problems("GK105", text) == []


# -- GK106 the intro's list of parts -------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_gk106_lists_five_of_six(style: str) -> None:
    written = PARTS.replace("存在的主要问题及改进情况、", "")
    doc, source = report_in(style, [(PARTS, written)])
    found = problems("GK106", doc)
    assert [p.message.zh for p in found] == [
        "导语称报告共六部分，但列出了5部分：“总体情况”、“主动公开政府信息情况”、“收到和处理政府信息公开申请情况”、"
        "“政府信息公开行政复议、行政诉讼情况”、“其他需要报告的事项”",
        "导语列出的各部分中没有报告的“五、存在的主要问题及改进情况”",
    ]
    assert at(doc, found[0]) == located(source, "六部分")
    assert at(doc, found[1]) == located(source, "总体情况、")
    assert found[1].related[0].span == doc.section("problems").heading_span  # type: ignore[union-attr]


def test_gk106_old_structure() -> None:
    written = ("报告全文包括概述、主动公开政府信息情况、收到和处理政府信息公开申请情况、收费及减免情况、"
               "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项共七部分。")
    text = make_report().replace(PARTS, written)
    found = problems("GK106", text)
    assert [p.message.zh for p in found] == [
        "导语所列“概述”与报告的各部分都对不上",
        "导语所列“收费及减免情况”与报告的各部分都对不上",
        "导语列出的各部分中没有报告的“一、总体情况”",
    ]
    doc = load_document(text)
    assert at(doc, found[0]) == located(text, "概述")
    assert at(doc, found[1]) == located(text, "收费及减免情况")


def test_gk106_count_only() -> None:
    text = make_report().replace(PARTS, "报告全文共五部分。")
    found = problems("GK106", text)
    assert [p.message.zh for p in found] == ["导语称报告共五部分，报告实际有6个一级标题"]
    assert at(load_document(text), found[0]) == located(text, "五部分")


@pytest.mark.parametrize(
    "written",
    [
        PARTS,
        # seeds 000/004 and 003 word section 四 differently; both are recognised
        PARTS.replace("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议和行政诉讼情况").replace("共六部分", "6个部分"),
        PARTS.replace("政府信息公开行政复议、行政诉讼情况", "信息公开工作行政复议及行政诉讼情况").replace("共六部分", "共六部分组成"),
        # the count first, enumerated; a conjunction before the last item; a reworded item
        "报告共分六个部分：一是总体情况；二是主动公开政府信息情况；三是收到和处理政府信息公开申请情况；"
        "四是政府信息公开行政复议、行政诉讼情况；五是存在的主要问题及改进情况；六是其他需要报告的事项。",
        PARTS.replace("、其他需要报告的事项共六部分", "和其他需要报告的事项六个部分"),
        PARTS.replace("主动公开政府信息情况", "主动公开政务信息情况"),
        "报告全文共六部分。",
    ],
)
def test_gk106_quiet_on_accepted_wordings(written: str) -> None:
    assert problems("GK106", make_report().replace(PARTS, written)) == []


def test_gk106_same_list_in_another_place_points_at_its_own_items() -> None:
    """An intro list already read in one report is placed right in another report at another offset."""
    written = PARTS.replace("主动公开政府信息情况", "概述")
    spans = []
    for before in ("", "本机关依据条例编制本报告。"):
        text = make_report().replace(PARTS, before + written)
        found = [p for p in problems("GK106", text) if p.key[0] == "unknown"]
        assert [text[p.span.start : p.span.end] for p in found if p.span] == ["概述"]
        spans.append(found[0].span)
    assert spans[1].start - spans[0].start == len("本机关依据条例编制本报告。")  # type: ignore[union-attr]


def test_gk106_without_intro_is_quiet() -> None:
    assert problems("GK106", make_report().replace(PARTS, "")) == []


# -- data ------------------------------------------------------------------------------------------


def test_section_data_errors_name_file_and_key() -> None:
    bad = StandardData(layouts=standard_data().layouts, extra={"section_checks": [("x.toml", {"intro": {"patterns": ["(?P<count>一"]}})]})
    with pytest.raises(DataError) as exc:
        sections.gklint_validate_data(bad)
    assert "x.toml" in exc.value.message.zh and "section_checks.intro.patterns[0]" in exc.value.message.zh
    no_count = StandardData(extra={"section_checks": [("y.toml", {"intro": {"patterns": ["全文(?P<list>.+)部分"]}})]})
    with pytest.raises(DataError, match="count"):
        sections.gklint_validate_data(no_count)
    wrong = StandardData(extra={"section_checks": [("z.toml", {"content": {"placeholders": "无"}})]})
    with pytest.raises(DataError, match="content.placeholders"):
        sections.gklint_validate_data(wrong)


def test_section_data_is_parsed_once() -> None:
    data = standard_data()
    assert sections_data._config(data) is sections_data._config(data)


# -- seeds -------------------------------------------------------------------------------------------

SEED_EXPECTED: dict[str, set[tuple[str, int]]] = {
    # checked by hand: every seed has the six sections, exact headings, tables 2-4 as text, content in 一 and 五,
    # and intros (000, 003, 004) listing the six parts; 001 and 002 have no intro list.
    "000_aaee5b92eb1fdaf0.txt": set(),
    "001_c3166346273e220a.txt": set(),
    "002_2dfc536c7b58f7e3.txt": set(),
    "003_07346d24f20e1799.txt": set(),
    "004_061f25e04a17c5ed.txt": set(),
}


@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_seeds(name: str) -> None:
    path = SEEDS / name
    if not path.exists():
        pytest.skip("seed reports not available")
    doc = load_document(path.read_text(encoding="utf-8"))
    assert [s.key for s in doc.sections] == ["overview", "active", "requests", "appeals", "problems", "other"]
    found = {(rid, doc.position(p.span.start).line if p.span else 0) for rid, rule in RULES.items() for p in run_rule(rule, doc)}
    assert found == SEED_EXPECTED[name]


def test_seed_intros_are_read() -> None:
    """The intros of 000, 003 and 004 are parsed (so their quietness is not an accident)."""
    for name, count in [("000_aaee5b92eb1fdaf0.txt", 6), ("003_07346d24f20e1799.txt", 6), ("004_061f25e04a17c5ed.txt", 6)]:
        path = SEEDS / name
        if not path.exists():
            pytest.skip("seed reports not available")
        doc = load_document(path.read_text(encoding="utf-8"))
        claim = sections_parts._intro_claim(doc, CheckContext(options={}, data=standard_data()))
        assert claim is not None and claim.count == count
        assert [it.key for it in claim.items] == ["overview", "active", "requests", "appeals", "problems", "other"]
