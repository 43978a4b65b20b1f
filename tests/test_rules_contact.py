"""GK5 contact info: each rule fires on a realistic report with one defect and stays quiet on the clean one."""

from __future__ import annotations

from pathlib import Path

import pytest

from gklint.data import DataError, load_standard_data, national_data_files
from gklint.findings import Problem
from gklint.model import Document, Position
from gklint.national import contact
from gklint.national.contact import data as contact_data
from gklint.normalize import fold
from gklint.testing import (
    FLATTENINGS,
    STYLES,
    docx_document,
    load_document,
    make_report,
    report_in,
    run_rule,
    standard_data,
)

RULES = {rule.id: rule for rule in contact.gklint_rules()}
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

CONTACT = "（地址：东平市人民路88号；邮编：271500；电话：0538-5261234；电子邮箱：dpgk@dongping.gov.cn）"
EVERSION = "本报告电子版可在东平市人民政府门户网站（www.dongping.gov.cn）查阅或下载。"


def problems(rule_id: str, text: str | Document) -> list[Problem]:
    return run_rule(RULES[rule_id], text)


def fired(text: str | Document) -> set[str]:
    return {rid for rid, rule in RULES.items() if run_rule(rule, text)}


def pos(text: str, needle: str) -> Position:
    """1-based line/column of the first *needle*, computed without gklint."""
    offset = text.index(needle)
    return Position(text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)


# -- clean ----------------------------------------------------------------------------------


@pytest.mark.parametrize("flattening", FLATTENINGS)
@pytest.mark.parametrize("layout", ["2021", "2020"])
def test_clean_report_is_quiet(flattening: str, layout: str) -> None:
    assert fired(make_report(layout=layout, flattening=flattening)) == set()


def test_clean_html_and_docx_are_quiet() -> None:
    assert fired(load_document(make_report(flattening="html"), "r.html")) == set()
    assert fired(docx_document()) == set()


# -- GK501 and its suppression of GK502/GK506/GK507 --------------------------------------------------


@pytest.mark.parametrize("flattening", [*FLATTENINGS, "html"])
def test_gk501_no_contact_at_all_is_one_finding(flattening: str) -> None:
    text = make_report(flattening=flattening).replace(CONTACT, "").replace(EVERSION, "")
    doc = load_document(text, "r.html") if flattening == "html" else load_document(text)
    assert fired(doc) == {"GK501"}
    (problem,) = problems("GK501", doc)
    assert problem.message.zh == "报告中没有联系方式：未找到地址、电话、传真、邮编或电子邮箱"


def test_gk501_anchor_is_the_intro_paragraph() -> None:
    text = make_report().replace(CONTACT, "")
    (problem,) = problems("GK501", text)
    assert problem.span is not None
    assert load_document(text).position(problem.span.start) == pos(text, "本报告根据")


def test_docx_findings() -> None:
    assert fired(docx_document(text=make_report().replace(CONTACT, "").replace(EVERSION, ""))) == {"GK501"}
    doc = docx_document(text=make_report().replace("0538-5261234", "0538-526123"))
    (problem,) = problems("GK503", doc)
    assert problem.span is not None and doc.snippet(problem.span) == "0538-526123"


def test_contact_at_the_end_of_the_report_counts() -> None:
    text = make_report().replace("如对本报告有疑问，请与东平市工业和信息化局办公室联系" + CONTACT + "。", "")
    assert "GK501" in fired(text)
    text = text.rstrip("\n") + "\n联系地址：东平市人民路88号，联系电话：0538-5261234。\n"
    assert fired(text) == set()


# -- GK502 / GK506 / GK507 -----------------------------------------------------------------------


@pytest.mark.parametrize("flattening", [*FLATTENINGS, "html"])
def test_gk502_no_telephone(flattening: str) -> None:
    text = make_report(flattening=flattening).replace("电话：0538-5261234；", "")
    doc = load_document(text, "r.html") if flattening == "html" else load_document(text)
    assert fired(doc) == {"GK502"}
    (problem,) = problems("GK502", doc)
    assert problem.message.zh == "联系方式中没有电话（已有邮编、电子邮箱、地址）"
    assert problem.span is not None and doc.snippet(problem.span) == "地址：东平市人民路88号"


def test_gk502_fax_is_not_a_telephone_but_combined_label_is() -> None:
    assert fired(make_report().replace("电话：0538-5261234", "传真：0538-5261234")) == {"GK502"}
    assert fired(make_report().replace("电话：0538-5261234", "电话/传真：0538-5261234")) == set()


def test_gk506_no_address_and_prose_mentions_are_not_addresses() -> None:
    text = make_report().replace("地址：东平市人民路88号；", "")
    assert fired(text) == {"GK506"}
    (problem,) = problems("GK506", text)
    assert problem.message.zh == "联系方式中没有地址（已有电话、邮编、电子邮箱）"
    # "办公地址、办公时间" in prose and 网站地址 do not count as an address
    text2 = text.replace("持续优化政府门户网站", "公开办公地址、办公时间，网站地址：www.dongping.gov.cn。持续优化政府门户网站")
    assert "GK506" in fired(text2)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("written", ["联系地址，东平市人民路88号", "地址东平市人民路88号", "通讯地址 东平市人民路88号",
                                     "地址，人民路88号", "办公地址：东平市人民路88号"])
def test_gk506_address_without_a_colon_counts(style: str, written: str) -> None:
    doc, _ = report_in(style, [("地址：东平市人民路88号", written)])
    assert fired(doc) == set()


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("prose", ["办公地址、办公时间等信息在门户网站公开", "联系地址，电话号码等均已更新", "地址变更情况及时公告"])
def test_gk506_prose_after_an_address_label_is_not_an_address(style: str, prose: str) -> None:
    doc, _ = report_in(style, [("地址：东平市人民路88号；", ""), ("持续优化政府门户网站", prose + "，持续优化政府门户网站")])
    (problem,) = problems("GK506", doc)
    assert problem.message.zh == "联系方式中没有地址（已有电话、邮编、电子邮箱）"


def test_gk507_no_electronic_version_statement() -> None:
    text = make_report().replace(EVERSION, "")
    assert fired(text) == {"GK507"}
    (problem,) = problems("GK507", text)
    assert problem.span is not None
    assert load_document(text).snippet(problem.span) == "地址：东平市人民路88号"


@pytest.mark.parametrize("statement", [
    "本年度报告的电子版可以从东平市人民政府网站(http://www.dongping.gov.cn/)下载。",
    "报告电子版可在东平市人民政府门户网站（www.dongping.gov.cn）查阅和下载。",
    "可在东平市人民政府门户网站查阅本报告电子版。",
    "本年度工作报告的电子文本可在东平市人民政府门户网站下载。",
    "本报告的电子版在东平市人民政府门户网站公布。",
    "本报告在东平市人民政府门户网站公布。",
])
def test_gk507_statement_variants(statement: str) -> None:
    assert problems("GK507", make_report().replace(EVERSION, statement)) == []


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("statement", ["本年度工作报告的电子文本可在东平市人民政府门户网站下载。",
                                       "本报告的电子版在东平市人民政府门户网站公布。"])
def test_gk507_real_wordings_in_every_form(style: str, statement: str) -> None:
    doc, _ = report_in(style, [(EVERSION, statement)])
    assert fired(doc) == set()


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("statement", ["本年度工作报告的电子文本已存档备查。", "本报告的电子版报送上级主管部门。",
                                       "门户网站全年公布信息236条，本报告电子版另行印发。"])
def test_gk507_electronic_version_without_where(style: str, statement: str) -> None:
    doc, _ = report_in(style, [(EVERSION, statement)])
    assert [p.key for p in problems("GK507", doc)] == [("electronic-version",)]


# -- GK503 --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["0538-5261234", "0538—5261234", "(0538)5261234", "（0538）5261234", "0538 5261234",
                                    "05385261234", "010-12345678", "13812345678", "138-1234-5678", "12345",
                                    "400-123-4567", "0538-5261234-801", "0538-5261234转801", "0538-5261234、0538-5261235"])
def test_gk503_accepts_valid_numbers(number: str) -> None:
    assert problems("GK503", make_report().replace("0538-5261234", number)) == []


@pytest.mark.parametrize(("number", "bad", "why"), [
    ("0538-526123", "0538-526123", "区号后的本地号码“526123”为6位，应为7位或8位"),
    ("0538-526123456", "0538-526123456", "区号后的本地号码“526123456”为9位，应为7位或8位"),
    ("05-5261234", "05-5261234", "区号“05”应为0加2至3位数字"),
    ("5261234", "5261234", "“5261234”缺少区号"),
    ("1381234567", "1381234567", "手机号码应为11位，此处为10位"),
    ("0538-5261234、0538-526123", "0538-526123", "区号后的本地号码“526123”为6位，应为7位或8位"),
])
def test_gk503_malformed(number: str, bad: str, why: str) -> None:
    text = make_report().replace("0538-5261234", number)
    (problem,) = problems("GK503", text)
    doc = load_document(text)
    assert problem.span is not None and doc.snippet(problem.span) == bad
    assert problem.message.zh == f"电话号码“{bad}”格式有误：{why}"
    offset = text.index(number) + number.rindex(bad)
    line = text.count("\n", 0, offset) + 1
    assert doc.position(problem.span.start) == Position(line, offset - text.rfind("\n", 0, offset))


@pytest.mark.parametrize("flattening", [*FLATTENINGS, "html"])
def test_gk503_position_in_each_flattening(flattening: str) -> None:
    text = make_report(flattening=flattening).replace("0538-5261234", "0538-526123")
    doc = load_document(text, "r.html") if flattening == "html" else load_document(text)
    (problem,) = problems("GK503", doc)
    assert problem.span is not None
    assert doc.position(problem.span.start) == pos(text, "0538-526123")


def test_gk503_fax_checked_too() -> None:
    text = make_report().replace("电话：0538-5261234；", "电话：0538-5261234；传真：0538-526124；")
    (problem,) = problems("GK503", text)
    assert problem.message.zh.startswith("传真号码“0538-526124”格式有误")


def test_gk503_number_followed_by_prose_digits() -> None:
    text = make_report().replace("电话：0538-5261234）", "电话：0538-5261234 2022年）")
    assert problems("GK503", text) == []


SUPERVISION = "组织开展政务公开业务培训2次。"


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("count", ["全年接听热线电话11通，均已按时办结。", "全年受理咨询电话200余次。", "全年接听服务热线1234通。"])
def test_gk503_a_count_of_calls_is_not_a_number(style: str, count: str) -> None:
    doc, _ = report_in(style, [(SUPERVISION, SUPERVISION + count)])
    assert fired(doc) == set()


@pytest.mark.parametrize("style", STYLES)
def test_gk503_count_of_calls_beside_a_malformed_number(style: str) -> None:
    doc, text = report_in(style, [(SUPERVISION, SUPERVISION + "全年接听热线电话11通。"), ("0538-5261234", "0538-526123")])
    (problem,) = problems("GK503", doc)
    assert problem.span is not None and doc.snippet(problem.span) == "0538-526123"
    # a labelled number that is followed by something else than a count unit is still checked
    doc, _ = report_in(style, [(SUPERVISION, SUPERVISION + "热线电话：5261234。")])
    (problem,) = problems("GK503", doc)
    assert problem.message.zh == "电话号码“5261234”格式有误：“5261234”缺少区号"


# -- GK504 / GK505 -----------------------------------------------------------------------------


@pytest.mark.parametrize(("postcode", "digits"), [("27150", 5), ("2715000", 7)])
def test_gk504_postcode(postcode: str, digits: int) -> None:
    text = make_report().replace("271500", postcode)
    (problem,) = problems("GK504", text)
    assert problem.span is not None and load_document(text).position(problem.span.start) == pos(text, postcode)
    assert problem.message.zh == f"邮政编码“{postcode}”为{digits}位数字，应为6位"
    assert problems("GK504", make_report().replace("邮编：271500", "邮政编码：271 500")) == []


@pytest.mark.parametrize(("email", "why"), [
    ("dpgk＠dongping.gov.cn", "含有全角或中文字符"),
    ("dpgk.dongping.gov.cn", "缺少“@”"),
    ("dpgk@dongping", "不是“用户名@域名”的形式"),
])
def test_gk505_email(email: str, why: str) -> None:
    text = make_report().replace("dpgk@dongping.gov.cn", email)
    (problem,) = problems("GK505", text)
    assert problem.span is not None and load_document(text).snippet(problem.span) == email
    assert problem.message.zh == f"电子邮箱“{email}”格式有误：{why}"


def test_gk505_quiet_on_none_and_sentence_end() -> None:
    assert problems("GK505", make_report().replace("dpgk@dongping.gov.cn", "无")) == []
    text = make_report().replace("电子邮箱：dpgk@dongping.gov.cn）。", "）。电子邮箱：dpgk@dongping.gov.cn.")
    assert problems("GK505", text) == []


# -- data ---------------------------------------------------------------------------------


def test_contact_data_validation(tmp_path: Path) -> None:
    pack = tmp_path / "pack.toml"
    pack.write_text('[contact]\nelectronic_version = ["电子版(("]\n', encoding="utf-8")
    with pytest.raises(DataError) as err:
        contact.gklint_validate_data(load_standard_data([*national_data_files(), pack]))
    assert "pack.toml" in err.value.message.zh and "contact.electronic_version" in err.value.message.zh
    pack.write_text('[contact]\nphone_labels = ["手机"]\n', encoding="utf-8")
    with pytest.raises(DataError) as err:
        contact.gklint_validate_data(load_standard_data([*national_data_files(), pack]))
    assert "contact.phone_labels" in err.value.message.zh


def test_pack_adds_a_label(tmp_path: Path) -> None:
    pack = tmp_path / "pack.toml"
    pack.write_text('[contact]\ntelephone_labels = ["值班手机"]\n', encoding="utf-8")
    data = load_standard_data([*national_data_files(), pack])
    patterns = contact_data.build_patterns(data)
    assert patterns.labels[fold("值班手机")] == "telephone"


# -- seeds -----------------------------------------------------------------------------------

SEED_FINDINGS = {
    "000_aaee5b92eb1fdaf0.txt": set(),  # 地址、邮编、电话、电子邮箱 and 电子版 in the intro
    "001_c3166346273e220a.txt": {("GK501", 3, 1)},  # nothing at all: one finding at the title
    # 联系电话：0533-312068 (6-digit local number); no statement where the electronic version is
    "002_2dfc536c7b58f7e3.txt": {("GK503", 5, 136), ("GK507", 5, 131)},
    "003_07346d24f20e1799.txt": {("GK506", 4, 340)},  # 联系电话 only, no address
    "004_061f25e04a17c5ed.txt": set(),  # also 传真 in telephone format
}


@pytest.mark.parametrize("name", sorted(SEED_FINDINGS))
def test_seed_findings(name: str) -> None:
    path = SEEDS / name
    if not path.exists():
        pytest.skip("seed reports not available")
    text = path.read_text(encoding="utf-8")
    doc = load_document(text, path=name)
    got = set()
    for rid, rule in RULES.items():
        for problem in run_rule(rule, doc):
            assert problem.span is not None
            p = doc.position(problem.span.start)
            got.add((rid, p.line, p.column))
    assert got == SEED_FINDINGS[name]


def test_seed_002_telephone_exact_place() -> None:
    path = SEEDS / "002_2dfc536c7b58f7e3.txt"
    if not path.exists():
        pytest.skip("seed reports not available")
    text = path.read_text(encoding="utf-8")
    doc = load_document(text)
    (problem,) = problems("GK503", doc)
    assert problem.span is not None
    assert doc.snippet(problem.span) == "0533-312068"
    assert doc.position(problem.span.start) == pos(text, "0533-312068") == Position(5, 136)
    assert problem.message.zh == "电话号码“0533-312068”格式有误：区号后的本地号码“312068”为6位，应为7位或8位"


# -- contact labels -------------------------------------------------------------------------------


def test_contact_label_inside_an_ascii_word_is_not_a_label() -> None:
    patterns = contact.contact_patterns(standard_data())
    text = make_report().replace("本年度", "详见 Telefax: 12 或 MyFax：0538-5261234；传真：0538-5261235。本年度", 1)
    found = contact.details(load_document(text), patterns)
    faxes = [d.text for d in found if "fax" in d.kinds]
    assert faxes == ["0538-5261235"]  # "Fax" in "Telefax" and "MyFax" continues a word
