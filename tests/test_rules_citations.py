"""GK4 citations: each rule fires on a realistic report with one defect and stays quiet on the clean one."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gklint.data import DataError, StandardData, load_standard_data, national_data_files
from gklint.findings import Problem
from gklint.model import Document, Span
from gklint.national import citations
from gklint.national.citations import _scan as citations_scan
from gklint.national.citations.registry import build_registry
from gklint.rule import CheckContext
from gklint.testing import (
    FLATTENINGS,
    docx_document,
    load_document,
    located,
    make_report,
    run_rule,
    standard_data,
)

RULES = {rule.id: rule for rule in citations.gklint_rules()}
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

BASIS = "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）"
FEE = "《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）"
REG = "《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）"
ANCHOR = "认真贯彻落实《条例》和上级"


def problems(rule_id: str, text: str | Document) -> list[Problem]:
    return run_rule(RULES[rule_id], text)


def all_problems(doc: Document) -> list[tuple[str, Problem]]:
    return [(rid, p) for rid, rule in RULES.items() for p in run_rule(rule, doc)]


def sp(problem: Problem) -> Span:
    assert problem.span is not None
    return problem.span


def apply_fix(text: str, problem: Problem) -> str:
    assert problem.fix is not None
    fix = problem.fix
    return text[: fix.span.start] + fix.replacement + text[fix.span.end :]


# -- the clean report -------------------------------------------------------------------


@pytest.mark.parametrize("flattening", FLATTENINGS)
@pytest.mark.parametrize("layout", ["2021", "2020"])
def test_clean_report_is_quiet(flattening: str, layout: str) -> None:
    doc = load_document(make_report(layout=layout, flattening=flattening))
    assert all_problems(doc) == []


def test_clean_html_and_docx_are_quiet() -> None:
    assert all_problems(load_document(make_report(flattening="html"), "r.html")) == []
    assert all_problems(docx_document()) == []


# -- GK401 ------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["[2021]30号", "(2021)30号", "（2021）30号", "【2021】30号", "［2021］30号",
                                     "〔2021〕第30号", "〔2021〕30 号"])
def test_gk401_wrong_brackets_di_and_spaces(written: str) -> None:
    text = make_report().replace("国办公开办函〔2021〕30号", f"国办公开办函{written}")
    found = problems("GK401", text)
    assert len(found) == 1
    problem = found[0]
    doc = load_document(text)
    assert doc.snippet(sp(problem)) == f"国办公开办函{written}"
    assert doc.position(sp(problem).start) == doc.position(text.index("国办公开办函"))
    assert "应写作“国办公开办函〔2021〕30号”" in problem.message.zh
    assert problem.key == ("国办公开办函〔2021〕30号",)
    fixed = apply_fix(text, problem)
    assert fixed == make_report()


@pytest.mark.parametrize("flattening", [*FLATTENINGS])
def test_gk401_position_in_each_flattening(flattening: str) -> None:
    text = make_report(flattening=flattening).replace("国办函〔2020〕109号", "国办函[2020]109号")
    found = problems("GK401", text)
    assert [load_document(text).position(sp(p).start) for p in found] == [located(text, "国办函[2020]109号")]


def test_gk401_any_prefix_and_doubled_prefix_but_not_court_numbers() -> None:
    text = make_report().replace(ANCHOR, "认真贯彻落实鲁政办字[2020]179号、国办发国办发〔2021〕12号和（2021）鲁03行终30号判决及上级")
    found = problems("GK401", text)
    assert [load_document(text).snippet(sp(p)) for p in found] == ["鲁政办字[2020]179号", "国办发国办发〔2021〕12号"]
    assert "发文字号“国办发”重复" in found[1].message.zh
    assert found[1].fix is not None and found[1].fix.replacement == "国办发〔2021〕12号"


def test_gk401_html() -> None:
    doc = load_document(make_report(flattening="html").replace("国办公开办函〔2021〕30号", "国办公开办函【2021】30号"), "r.html")
    found = problems("GK401", doc)
    assert len(found) == 1 and doc.snippet(sp(found[0])) == "国办公开办函【2021】30号"
    # HTML positions point into the HTML source
    line = doc.position(sp(found[0]).start).line
    assert "国办公开办函【2021】30号" in doc.source_line(line)


def test_docx_findings() -> None:
    text = make_report().replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号").replace(
        "〈政府信息公开信息处理费管理办法〉", "<政府信息公开信息处理费管理办法>")
    doc = docx_document(text=text)
    assert [doc.snippet(sp(p)) for p in problems("GK401", doc)] == ["国办公开办函[2021]30号"]
    assert [doc.snippet(sp(p)) for p in problems("GK407", doc)] == ["<政府信息公开信息处理费管理办法>"]


# -- GK402 ------------------------------------------------------------------------------


def test_gk402_wrong_title_for_registry_number_with_fix() -> None:
    wrong = FEE.replace("信息处理费管理办法", "信息收费管理办法")
    text = make_report().replace(FEE, wrong)
    found = problems("GK402", text)
    assert len(found) == 1
    doc = load_document(text)
    assert doc.snippet(sp(found[0])) == "国务院办公厅关于印发〈政府信息公开信息收费管理办法〉的通知"
    assert found[0].message.zh == ("“国办函〔2020〕109号”的标题应为《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》，"
                                   "此处写作《国务院办公厅关于印发〈政府信息公开信息收费管理办法〉的通知》")
    assert apply_fix(text, found[0]) == make_report()


def test_gk402_wrong_number_for_registry_title() -> None:
    text = make_report().replace("（国办函〔2020〕109号）", "（国办发〔2020〕109号）")
    found = problems("GK402", text)
    assert len(found) == 1
    assert load_document(text).snippet(sp(found[0])) == "国办发〔2020〕109号"
    assert "文号应为“国办函〔2020〕109号”" in found[0].message.zh
    assert apply_fix(text, found[0]) == make_report()
    assert problems("GK408", text) == []  # the number is GK402's, not an "unknown citation"


def test_gk402_quiet_on_acceptable_forms() -> None:
    for replacement in [
        "《关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）",  # issuer left out
        "《国务院办公厅政府信息与政务公开办公室关于印发中华人民共和国政府信息公开工作年度报告格式的通知》（国办公开办函〔2021〕30号）",
        "国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知（国办公开办函〔2021〕30号）",
        "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）",  # GK404's, not GK402's
    ]:
        assert problems("GK402", make_report().replace(BASIS, replacement)) == [], replacement


# -- GK403 ------------------------------------------------------------------------------


@pytest.mark.parametrize("wrong", ["国务院办公厅政府信息公开与政务公开办公室", "国务院办公厅政务公开办公室", "國辦信息公開辦"])
def test_gk403_wrong_office(wrong: str) -> None:
    text = make_report().replace("国务院办公厅政府信息与政务公开办公室", wrong)
    found = problems("GK403", text)
    assert len(found) == 1
    doc = load_document(text)
    assert doc.snippet(sp(found[0])) == wrong
    assert doc.position(sp(found[0]).start) == located(text, wrong)
    assert found[0].message.zh == f"发文机关名称“{wrong}”有误，应为“国务院办公厅政府信息与政务公开办公室”"
    assert apply_fix(text, found[0]) == make_report()
    assert problems("GK402", text) == []  # one finding, not two


def test_gk403_across_a_line_break() -> None:
    text = make_report().replace("国务院办公厅政府信息与政务公开办公室", "国务院办公厅政府信息公开\n与政务公开办公室")
    found = problems("GK403", text)
    assert [load_document(text).snippet(sp(p)) for p in found] == ["国务院办公厅政府信息公开\n与政务公开办公室"]


# -- GK404 ------------------------------------------------------------------------------


def test_gk404_attachment_title_with_notice_number() -> None:
    text = make_report().replace(BASIS, "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）")
    found = problems("GK404", text)
    assert len(found) == 1
    assert load_document(text).snippet(sp(found[0])) == "《中华人民共和国政府信息公开工作年度报告格式》"
    assert "“国办公开办函〔2021〕30号”是通知《国务院办公厅政府信息与政务公开办公室关于印发" in found[0].message.zh
    assert RULES["GK404"].severity.value == "warning"


def test_gk404_fee_measures_short_form_is_a_warning_only() -> None:
    text = make_report().replace(FEE, "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）")
    assert len(problems("GK404", text)) == 1
    assert problems("GK402", text) == []


# -- GK405 ------------------------------------------------------------------------------


def test_gk405_short_name_on_first_mention_with_fix() -> None:
    text = make_report().replace(REG, "《政府信息公开条例》（以下简称《条例》）")
    found = problems("GK405", text)
    assert len(found) == 1
    doc = load_document(text)
    assert doc.snippet(sp(found[0])) == "《政府信息公开条例》"
    assert doc.position(sp(found[0]).start) == located(text, "《政府信息公开条例》")
    assert found[0].message.zh == "首次引用《政府信息公开条例》应写全称《中华人民共和国政府信息公开条例》"
    assert "《中华人民共和国政府信息公开条例》（以下简称《条例》）" in apply_fix(text, found[0])


def test_gk405_short_name_after_full_first_mention_is_fine() -> None:
    text = make_report().replace(ANCHOR, "认真贯彻落实《政府信息公开条例》和上级")
    assert problems("GK405", text) == []


@pytest.mark.parametrize(("decree", "expected"), [
    ("国务院令第492号", "引用了修订前的“国务院令第492号”；2022年度报告应引用修订后的“国务院令第711号”"),
    ("国务院令第712号", "国务院令编号应为“国务院令第711号”，此处写作“国务院令第712号”"),
])
def test_gk405_wrong_decree_number(decree: str, expected: str) -> None:
    text = make_report().replace("国务院令第711号", decree)
    found = problems("GK405", text)
    assert len(found) == 1
    assert load_document(text).snippet(sp(found[0])) == decree
    assert expected in found[0].message.zh


def test_gk405_both_editions_cited_is_fine() -> None:
    both = "（2007年4月5日中华人民共和国国务院令第492号公布，2019年4月3日中华人民共和国国务院令第711号修订，以下简称《条例》）"
    assert problems("GK405", make_report().replace("（国务院令第711号，以下简称《条例》）", both)) == []


# -- GK406 ------------------------------------------------------------------------------

OLD = "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）"


def test_gk406_superseded_notice_in_2021_report() -> None:
    text = make_report(year=2021).replace(BASIS, OLD)
    found = problems("GK406", text)
    assert len(found) == 1
    doc = load_document(text)
    assert doc.snippet(sp(found[0])) == "国办公开办函〔2019〕60号"
    assert found[0].message.zh.startswith("引用的国办公开办函〔2019〕60号只适用于2019—2020年度报告，已被替代，2021年度报告应依据国办公开办函〔2021〕30号")


def test_gk406_old_notice_fine_in_2020_report() -> None:
    assert OLD in make_report(layout="2020")
    assert problems("GK406", make_report(layout="2020")) == []


def test_gk406_trial_format_title_without_number() -> None:
    text = make_report().replace(BASIS, "《中华人民共和国政府信息公开工作年度报告格式（试行）》")
    found = problems("GK406", text)
    assert [load_document(text).snippet(sp(p)) for p in found] == ["《中华人民共和国政府信息公开工作年度报告格式（试行）》"]


def test_gk406_needs_a_year() -> None:
    text = make_report(year=2022).replace(BASIS, OLD).replace("2022年政府信息公开工作年度报告", "政府信息公开工作年度报告")
    text = text.replace("自2022年1月1日起至2022年12月31日止", "")
    doc = load_document(text)
    assert doc.metadata.year is None
    assert problems("GK406", doc) == []


# -- GK407 ------------------------------------------------------------------------------


def test_gk407_ascii_marks_with_fix() -> None:
    text = make_report().replace("〈中华人民共和国政府信息公开工作年度报告格式〉", "<中华人民共和国政府信息公开工作年度报告格式>")
    found = problems("GK407", text)
    assert len(found) == 1
    doc = load_document(text)
    assert doc.snippet(sp(found[0])) == "<中华人民共和国政府信息公开工作年度报告格式>"
    assert doc.position(sp(found[0]).start) == located(text, "<中华")
    assert "用了“<>”，应为单书名号“〈〉”" in found[0].message.zh
    assert apply_fix(text, found[0]) == make_report()


def test_gk407_misplaced_inner_marks_around_the_verb() -> None:
    text = make_report().replace("关于印发〈政府信息公开信息处理费管理办法〉的通知", "关于〈印发政府信息公开信息处理费管理办法〉的通知")
    found = problems("GK407", text)
    assert len(found) == 1
    assert "“印发”不是书名的一部分" in found[0].message.zh
    assert apply_fix(text, found[0]) == make_report()


def test_gk407_fullwidth_and_nested_double_marks_and_outer_single_marks() -> None:
    text = make_report().replace("〈政府信息公开信息处理费管理办法〉", "＜政府信息公开信息处理费管理办法＞")
    assert len(problems("GK407", text)) == 1
    text = make_report().replace("〈政府信息公开信息处理费管理办法〉", "《政府信息公开信息处理费管理办法》")
    assert ["书名号内又用了双书名号" in p.message.zh for p in problems("GK407", text)] == [True]
    text = make_report().replace(ANCHOR, "认真贯彻落实〈中华人民共和国政府信息公开条例〉和上级")
    found = problems("GK407", text)
    assert len(found) == 1 and found[0].fix is not None and found[0].fix.replacement == "《中华人民共和国政府信息公开条例》"


# -- GK408 / GK409 ---------------------------------------------------------------------------


def test_gk408_unknown_national_number_once() -> None:
    text = make_report().replace(ANCHOR, "认真贯彻落实国办发〔2022〕99号、国办发〔2022〕99号、鲁政办字〔2020〕179号和上级")
    found = problems("GK408", text)
    assert len(found) == 1
    assert load_document(text).snippet(sp(found[0])) == "国办发〔2022〕99号"
    assert found[0].message.zh.startswith("未核实的引用：“国办发〔2022〕99号”")
    assert RULES["GK408"].severity.value == "warning"


def test_gk408_damaged_number() -> None:
    text = make_report().replace("（国办公开办函〔2021〕30号）", "（國辦公開辦函〔202130）")
    found = problems("GK408", text)
    assert [load_document(text).snippet(sp(p)) for p in found] == ["國辦公開辦函〔202130"]
    assert "残缺" in found[0].message.zh
    assert problems("GK401", text) == []


def test_gk409_work_points_of_another_year() -> None:
    cited = "《国务院办公厅关于印发2021年政务公开工作要点的通知》"
    text = make_report(year=2022).replace(ANCHOR, f"认真贯彻落实{cited}和上级")
    found = problems("GK409", text)
    assert len(found) == 1 and load_document(text).snippet(sp(found[0])) == cited
    assert "本年度的要点是国办发〔2022〕8号" in found[0].message.zh
    assert problems("GK409", text.replace("2021年政务", "2022年政务")) == []


def test_gk409_unverified_years_left_unchecked() -> None:
    text = make_report(year=2023).replace(ANCHOR, "认真贯彻落实《国务院办公厅关于印发2022年政务公开工作要点的通知》和上级")
    assert problems("GK409", text) == []


# -- the registry as a data pack -----------------------------------------------------------


def _data_with(tmp_path: Path, body: str) -> StandardData:
    pack = tmp_path / "pack.toml"
    pack.write_text(body, encoding="utf-8")
    return load_standard_data([*national_data_files(), pack])


def test_pack_adds_an_entry_that_is_then_checked(tmp_path: Path) -> None:
    data = _data_with(tmp_path, '''
[[citations]]
key = "SD-FEE"
status = "verified"
kind = "notice"
title = "山东省人民政府办公厅关于做好政府信息公开信息处理费管理工作有关事项的通知"
issuer = "山东省人民政府办公厅"
numbers = ["鲁政办字〔2020〕179号"]
''')
    text = make_report().replace(ANCHOR, "认真贯彻落实《山东省人民政府办公厅关于做好信息处理费管理工作的通知》（鲁政办字〔2020〕179号）和上级")
    doc = load_document(text, data=data)
    found = list(RULES["GK402"].check(doc, CheckContext(options={}, data=data)))
    assert len(found) == 1 and found[0].fix is not None
    assert found[0].fix.replacement == "山东省人民政府办公厅关于做好政府信息公开信息处理费管理工作有关事项的通知"


@pytest.mark.parametrize(("body", "expected"), [
    ('[[citations]]\nkey = "X"\nstatus = "maybe"\nkind = "notice"\n', "citations[0]（key = X）.status"),
    ('[[citations]]\nkey = "X"\nstatus = "verified"\nkind = "notice"\n', "citations[0]（key = X）.title"),
    ('[[citations]]\nkey = "X"\nstatus = "unverified"\nkind = "notice"\nnumbers = ["国办函[2020]1号"]\n', "citations[0]（key = X）.numbers"),
    ('[[citations]]\nkey = "X"\nstatus = "unverified"\nkind = "notice"\ntitel = "x"\n', "citations[0]（key = X）.titel"),
    ('[[citations]]\nkey = "FEE"\nstatus = "unverified"\nkind = "notice"\n', "重复的 key “FEE”"),
    ('[[citations]]\nkey = "X"\nstatus = "unverified"\nkind = "notice"\nsuperseded_by = "NOPE"\n', "superseded_by"),
    ('[[citations]]\nkey = "X"\nstatus = "unverified"\nkind = "notice"\napplies_to_years = {first = 2021, last = 2019}\n', "applies_to_years"),
    ('[[citations]]\nkey = "X"\nstatus = "unverified"\nkind = "notice"\ndates = {signed = "2021-9-1"}\n', "dates.signed"),
    ('[[citations]]\nkey = "X"\nstatus = "unverified"\nkind = "notice"\nnumbers = ["国办函〔2020〕109号"]\n', "已属于条目 FEE"),
    ('[citation_patterns]\nwork_points_title = "("\n', "citation_patterns.work_points_title"),
])
def test_registry_validation_names_file_key_and_expectation(tmp_path: Path, body: str, expected: str) -> None:
    data = _data_with(tmp_path, body)
    with pytest.raises(DataError) as err:
        build_registry(data)
    assert "pack.toml" in err.value.message.zh and expected in err.value.message.zh
    assert "pack.toml" in err.value.message.en


def test_national_registry_loads() -> None:
    reg = build_registry(standard_data())
    assert reg.entry("FMT2021") is not None and reg.entry("FMT2021").number == "国办公开办函〔2021〕30号"  # type: ignore[union-attr]
    assert all(not e.verified for e in reg.entries if e.key in ("KP2023", "KP2024"))


# -- the seeds -----------------------------------------------------------------------------

SEED_FINDINGS = {
    # ASCII <> inside 《》 in the intro (format notice) and in section 六 (fee notice)
    "000_aaee5b92eb1fdaf0.txt": {("GK407", 5, 67), ("GK407", 438, 27)},
    # 《国务院办公厅关于<印发政府信息公开信息处理费管理办法>的通知》: ASCII and around 印发
    "001_c3166346273e220a.txt": {("GK407", 99, 21)},
    # 根据《政府信息公开条例》（以下简称《条例》）
    "002_2dfc536c7b58f7e3.txt": {("GK405", 5, 3)},
    # 国务院办公厅政府信息公开与政务公开办公室
    "003_07346d24f20e1799.txt": {("GK403", 4, 35)},
    "004_061f25e04a17c5ed.txt": {("GK407", 4, 67), ("GK407", 445, 27)},
}


@pytest.mark.parametrize("name", sorted(SEED_FINDINGS))
def test_seed_findings(name: str) -> None:
    path = SEEDS / name
    if not path.exists():
        pytest.skip("seed reports not available")
    text = path.read_text(encoding="utf-8")
    doc = load_document(text, path=name)
    got = set()
    for rid, problem in all_problems(doc):
        pos = doc.position(sp(problem).start)
        got.add((rid, pos.line, pos.column))
    assert got == SEED_FINDINGS[name]
    for rid, line, column in got:  # the spans start where the defect is
        assert doc.source_line(line)[column - 1] in "<《国", (rid, line, column)


def test_seed_002_fix_inserts_the_full_name() -> None:
    path = SEEDS / "002_2dfc536c7b58f7e3.txt"
    if not path.exists():
        pytest.skip("seed reports not available")
    text = path.read_text(encoding="utf-8")
    (problem,) = problems("GK405", text)
    assert apply_fix(text, problem).splitlines()[4].startswith("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）")


# -- quick paths give the answers of the plain computations ----------------------------------------

_OPEN, _CLOSE = "〔[(（【［﹝〖{", "〕])）】］﹞〗}"
_HAN = st.text(alphabet="国办发函政号第\u3400\u9fff", max_size=20)
_SPACE = st.text(alphabet=" \t\u3000", max_size=2)
#: Pieces of a 文号 in the order _NUMBER_RE wants them, each sometimes wrong or missing.
_NUMBER_PARTS = st.tuples(
    _HAN, _SPACE, st.sampled_from([*_OPEN, "x", ""]), _SPACE, st.sampled_from(["2021", "1999", "2000", "201", "3020"]), _SPACE,
    st.sampled_from([*_CLOSE, "y"]), _SPACE, st.sampled_from(["第", ""]), _SPACE, st.sampled_from(["30", "1", "12345", "123456", ""]),
    _SPACE, st.sampled_from(["号", "", "x"]), st.sampled_from(["", "", "\n", "，", "和", "1", "号", "\u33ff"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_NUMBER_PARTS.map("".join), min_size=1, max_size=4).map("".join))
def test_number_matches_equal_a_whole_text_scan(text: str) -> None:
    assert [m.span() for m in citations_scan._number_matches(text)] == [m.span() for m in citations_scan._NUMBER_RE.finditer(text)]


@pytest.mark.parametrize("text", [
    "各" * 20 + "国办公开办函〔2021〕30号",  # a run longer than 16 汉字: the match starts 16 before the bracket
    "国办发　〔 2021 〕 第 5 号",  # spaces everywhere
    "国办发〔2021〕1号国办函〔2020〕109号",  # the 号 of one is not part of the next run
    "国办发〔2021〕1号号〔2020〕3号",  # a run that is only the 号 of the previous number
    "2021年〔2021〕30号，（2021）年度",  # no 汉字 right before the bracket
    "东平政办发〔2022〕 第 5 号\n国办函[2020]\n109号",  # a line break ends a run and a number
])
def test_number_matches_edge_cases(text: str) -> None:
    assert [m.span() for m in citations_scan._number_matches(text)] == [m.span() for m in citations_scan._NUMBER_RE.finditer(text)]


def _plain_paren_after(text: str, pos: int) -> Span | None:
    """The parenthesis after *pos*, character by character."""
    i = pos
    while i < len(text) and text[i] in " \t\u3000":
        i += 1
    if i >= len(text) or text[i] not in "（(":
        return None
    depth = 0
    for j in range(i, min(len(text), i + 160)):
        if text[j] in "（(":
            depth += 1
        elif text[j] in "）)":
            depth -= 1
            if depth == 0:
                return Span(i, j + 1)
        elif text[j] == "\n":
            break
    return None


def _plain_inner_pairs(text: str, inner: Span) -> list[tuple[int, int | None, str]]:
    """Marks nested in a 《…》, character by character."""
    out: list[tuple[int, int | None, str]] = []
    stack: list[tuple[int, str]] = []
    for i in range(inner.start, inner.end):
        if text[i] in "<＜‹《〈":
            stack.append((i, text[i]))
        elif text[i] in ">＞›》〉":
            if stack:
                start, opener = stack.pop()
                if not stack:
                    out.append((start, i, opener))
            else:
                out.append((i, None, text[i]))
    return out + [(start, None, opener) for start, opener in stack[:1]]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="《》（()）〈〉<>＜＞‹›\n \u3000关于印发办法通知号1", max_size=40))
def test_title_marks_and_parentheses_equal_a_character_scan(text: str) -> None:
    for pos in range(len(text) + 1):
        assert citations_scan._paren_after(text, pos) == _plain_paren_after(text, pos)
        for end in range(pos, len(text) + 1, 3):
            assert list(citations_scan._inner_pairs(text, Span(pos, end))) == _plain_inner_pairs(text, Span(pos, end))
    opened = [i for i, ch in enumerate(text) if ch == "《"]
    for mark in citations_scan.title_marks(text):
        assert mark.span.start in opened and text[mark.span.end - 1] == "》"
        assert mark.paren == _plain_paren_after(text, mark.span.end)


def test_title_look_ups_answer_as_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remembered look-ups (also once the memory is full and starts over) are the registry's answers."""
    monkeypatch.setattr(citations_scan, "_KEPT", 3)
    reg = citations.registry(standard_data())
    titles = citations_scan._Titles(reg)
    names = [t for e in reg.entries for t in (e.title, e.attachment, *e.short_names) if t] + ["不在登记表中的文件"]
    for _ in range(2):
        for name in names:
            assert titles.key(name) == citations.title_key(reg.canonical_issuers(name))
            assert titles.by_title(name) is reg.by_title(name)
        for entry in reg.entries:
            assert titles.forms(entry) == citations.title_forms(entry)
            for number in entry.numbers:
                m = citations_scan._NUMBER_RE.search(number)
                if m is not None:
                    run, year, num = m["run"], int(m["year"]), int(m["num"])
                    assert titles.lookup(run, year, num) is reg.lookup(run, year, num) is not None


# -- the searches that look only where a doc number or title mark can be --------------------------


CITING = (
    "根据《中华人民共和国政府信息公开条例》（国务院令第711号）和\n"
    "国办公开办函〔2021〕30号、国办公开办函[2021]30号要求，\n"
    "参照《关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号），\n"
    "《未闭合的书名\n号》不算；国办公开办函〔202130 残缺；东平政办发〔2022〕 第 5 号。\n"
)


def test_doc_numbers_line_search_finds_what_a_whole_text_scan_finds() -> None:
    text = make_report().replace("本年度", CITING, 1)
    whole = [m.span() for m in citations_scan._NUMBER_RE.finditer(text)]
    assert whole and [m.span() for m in citations_scan._number_matches(text)] == whole
    damaged = [m.span() for m in citations_scan._DAMAGED_RE.finditer(text)]
    assert damaged and [m.span() for m in citations_scan._line_matches(
        citations_scan._DAMAGED_RE, citations_scan._DAMAGED_HINT, text)] == damaged


def test_title_marks_nested_and_broken_by_a_line_break() -> None:
    marks = citations_scan.title_marks(CITING)
    inner = [CITING[m.inner.start:m.inner.end] for m in marks]
    assert inner == ["中华人民共和国政府信息公开条例", "关于印发〈政府信息公开信息处理费管理办法〉的通知"]
    nested = citations_scan.title_marks("见《关于《某办法》的通知》。")
    assert [(m.span.start, m.span.end) for m in nested] == [(1, 13)]
    # the 《 before the line break is forgotten: the 》 after it closes nothing
    assert citations_scan.title_marks("《未闭合\n号》") == []
