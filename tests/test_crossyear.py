"""GK7 across years, agency and year identification, batch pairing, ``--previous``, ``gklint review``.

Reports are pairs of generated reports (``make_report``) of one agency for consecutive
years, written so that they agree (table 3 carried over = last year's carried forward,
table 2 in force = last year's + issued − repealed, sections 一 and 五 rewritten and
五 saying how last year's problems were addressed); each test then breaks one thing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gklint.api import Linter
from gklint.config import Config
from gklint.findings import Severity
from gklint.identity import (
    agency_key,
    identify,
    identify_text,
    merge_region_free,
    pair_reports,
    region_free,
)
from gklint.model import TableStatus
from gklint.national import crossyear
from gklint.rule import Rule
from gklint.testing import load_document, make_docx, make_report, run_rule, standard_data

AGENCY = "东平市工业和信息化局"
RULES = {r.id: r for r in crossyear.gklint_rules()}

PROBLEMS_2022 = ("五、存在的主要问题及改进情况\n2022年政府信息公开工作取得一定成效，但仍存在政策解读形式不够丰富、"
                 "公开内容不够全面等问题。下一步将丰富解读形式，拓展公开深度。")
OVERVIEW_LINE = "坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》和上级政务公开工作部署，扎实推进政府信息公开工作。"


#: the paragraphs of 一、总体情况 that make_report writes the same every year
OVERVIEW_FIXED = [
    "全年通过政府门户网站主动公开政府信息236条，其中机构职能12条、政策文件38条、工作动态186条。",
    "严格落实公开属性源头认定和保密审查机制，动态更新政府信息公开指南和主动公开目录。",
    "持续优化政府门户网站信息公开专栏，及时更新各栏目内容。",
    "调整政务公开工作领导小组，组织开展政务公开业务培训2次。",
]
#: what each year's sections 一 and 五 say: (一, how last year's problems were dealt with, this year's problem,
#: two more paragraphs of 一)
WORKS = [
    ("围绕优化营商环境主题，集中发布惠企政策汇编，开设企业诉求直通车专栏，月度更新政策兑现进度。",
     "已将政策图解扩展为短视频和在线访谈两种形式",
     "二是部分科室对公开属性认定把握不准，拟编制认定指引并开展专题培训。",
     "门户网站改版上线，新增无障碍浏览和适老化模式，栏目由二十个精简为十二个。",
     "会同保密部门开展存量文件清理，对三类历史文件重新认定公开属性。"),
    ("聚焦制造业数字化转型，公开技改项目申报指南与评审结果，组织线上政策宣讲会覆盖规上企业。",
     "已建立公开内容季度自查机制，补齐历年专项资金分配结果",
     "二是政务新媒体更新频次不均衡，将建立内容排期表并纳入年度考核。",
     "把政府信息公开纳入科室绩效考核，季度通报各科室公开工作完成情况。",
     "依托政务服务平台推送惠企政策，实现政策精准匹配到企业。"),
    ("以数据开放为抓手，上线工业经济运行数据专栏，按季度发布产业监测报告并提供下载。",
     "已完成依申请公开答复文书模板修订，规范告知内容",
     "二是基层站所公开目录与上级不衔接，将统一目录结构并组织逐项核对。",
     "编制政府信息公开工作手册，明确从起草到发布的七个环节和责任人。",
     "举办企业开放日活动两场，邀请企业代表走进机关了解政策制定过程。"),
    ("推进基层政务公开标准化，梳理事项清单四十余项，实现办事指南全部在线可查。",
     "已开展答复期限台账管理，逾期答复清零",
     "二是政策解读的针对性有待增强，将邀请企业代表参与解读材料的评议。",
     "建立政策文件发布前合法性审核与解读同步机制，解读材料随文件同步上网。",
     "主动公开目录完成动态调整，新增产业扶持和安全生产两个类别。"),
]


def report(year: int, *, agency: str = AGENCY, carried_over: list[int] | None = None,
           carried_forward: list[int] | None = None, normative: tuple[int, int, int] = (2, 1, 5),
           rules_row: tuple[int, int, int] = (0, 0, 0), fresh: bool = True, followup: bool = True) -> str:
    """A clean report of *year*; with *fresh* its sections 一 and 五 are written for that year."""
    table3: dict[str, list[int]] = {}
    if carried_over is not None:
        table3["carried_over"] = carried_over
        # keep the report's own balance: the new applications absorb the difference
        table3["new"] = [5 - (c - d) for c, d in zip(carried_over, [1, 0, 0, 0, 0, 0], strict=True)]
        table3["new"] = [max(v, 0) for v in table3["new"]]
    if carried_forward is not None:
        table3["carried_forward"] = carried_forward
    text = make_report(year=year, agency=agency, table3=table3 or None,
                       table2={"rules": [str(v) for v in rules_row], "normative": [str(v) for v in normative]})
    if fresh:
        works = WORKS[year % len(WORKS)]
        text = text.replace(OVERVIEW_LINE, works[0])
        for n, line in enumerate(OVERVIEW_FIXED):
            text = text.replace(line, WORKS[(year + n + 1) % len(WORKS)][3 + n % 2])
        body = (f"一是针对上年报告指出的问题，{works[1]}，整改到位。" if followup else f"一是{works[1]}。")
        start = text.index("五、存在的主要问题及改进情况\n") + len("五、存在的主要问题及改进情况\n")
        end = text.index("\n六、其他需要报告的事项")
        text = text[:start] + body + works[2] + text[end:]
    return text


def pair(this: str, last: str) -> tuple[object, object]:
    return load_document(this, "2023.txt"), load_document(last, "2022.txt")


def run(rule_id: str, this: str, last: str | None) -> list:
    doc = load_document(this, "2023.txt")
    prev = load_document(last, "2022.txt") if last is not None else None
    return run_rule(RULES[rule_id], doc, previous=prev)


CLEAN_2022 = report(2022)
CLEAN_2023 = report(2023, normative=(2, 1, 6))


# -- identification ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["东平市工业和信息化局", "东平市 工业和信息化局", "东平市工信局", "东平市工业和信息化局 ",
                                  "东平市（工业和信息化局）", "ＤＰ东平市工业和信息化局"[2:]])
def test_agency_key_folds_the_ways_one_agency_is_written(name):
    assert agency_key(name, standard_data()) == agency_key(AGENCY, standard_data())


def test_agency_key_keeps_agencies_apart():
    data = standard_data()
    assert agency_key("东平市人民政府办公室", data) == agency_key("东平市政府办公室", data)
    assert agency_key("东平市财政局", data) != agency_key("东平市交通运输局", data)
    assert region_free(agency_key("山东省东平市市场监督管理局", data)) == agency_key("市场监督管理局", data)
    assert region_free(agency_key("东平市城市管理局", data)) == "城市管理局"


def test_identify_from_title_with_evidence():
    doc = load_document(CLEAN_2023)
    who = identify(doc, standard_data())
    assert (who.agency, who.year) == (AGENCY, 2023)
    assert [(w, s) for w, s, _, _ in who.evidence] == [("agency", "title"), ("year", "title")]
    shown = who.as_dict(doc)
    assert shown["evidence"][0]["at"] == "1:1" and shown["agency_key"] == "东平市工信局"


def test_identify_year_first_in_title():
    text = CLEAN_2023.replace(f"{AGENCY}\n2023年政府信息公开工作年度报告", f"2023年{AGENCY}政府信息公开工作年度报告")
    who = identify(load_document(text))
    assert (who.agency, who.year) == (AGENCY, 2023)
    assert (identify_text(text).agency, identify_text(text).year) == (AGENCY, 2023)


def test_identify_from_publisher_and_period():
    text = CLEAN_2023.replace(f"{AGENCY}\n2023年政府信息公开工作年度报告", f"政府信息公开工作年度报告\n发布机构：{AGENCY}")
    doc = load_document(text)
    who = identify(doc)
    assert who.agency == AGENCY and who.year == 2023
    assert ("agency", "publisher") in [(w, s) for w, s, _, _ in who.evidence]
    assert ("year", "period") in [(w, s) for w, s, _, _ in who.evidence]
    light = identify_text(text)
    assert (light.agency, light.year) == (AGENCY, 2023)


def test_identify_from_introduction():
    text = CLEAN_2023.replace(f"{AGENCY}\n2023年政府信息公开工作年度报告", "政府信息公开工作年度报告").replace(
        "本报告根据", f"本报告由{AGENCY}编制。本报告根据", 1)
    who = identify(load_document(text))
    assert who.agency == AGENCY and who.evidence[0][1] == "introduction"


def test_inspect_shows_identity(tmp_path, capsys):
    from gklint.cli import main

    path = tmp_path / "r.txt"
    path.write_text(CLEAN_2023, encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["inspect", "--isolated", str(path)])
    shown = json.loads(capsys.readouterr().out)["identity"]
    assert shown["agency"] == AGENCY and shown["year"] == 2023 and shown["evidence"][1]["for"] == "year"


# -- pairing ----------------------------------------------------------------------------------------


def test_pair_reports_consecutive_years_only():
    found = [("a22", "x", 2022), ("a23", "x", 2023), ("a21", "x", 2021), ("b23", "y", 2023), ("b21", "y", 2021)]
    assert pair_reports(found) == {"a23": "a22", "a22": "a21"}


def test_same_year_is_never_paired_and_ambiguity_pairs_nothing():
    assert pair_reports([("a", "x", 2023), ("b", "x", 2023)]) == {}
    assert pair_reports([("a", "x", 2022), ("b", "x", 2022), ("c", "x", 2023)]) == {}
    assert pair_reports([("a", "x", None), ("b", "x", 2023), ("c", "", 2022)]) == {}


def test_a_name_without_its_region_joins_the_one_agency_that_has_it():
    assert merge_region_free(["东平市工信局", "工信局"])["工信局"] == "东平市工信局"
    assert merge_region_free(["东平市工信局", "西平市工信局", "工信局"])["工信局"] == "工信局"
    assert pair_reports([("a", "东平市工信局", 2022), ("b", "工信局", 2023)]) == {"b": "a"}


# -- the rules --------------------------------------------------------------------------------------


def test_clean_pair_is_quiet():
    for rule_id in RULES:
        assert run(rule_id, CLEAN_2023, CLEAN_2022) == [], rule_id


def test_family_is_silent_without_an_earlier_report():
    for rule_id in RULES:
        assert run(rule_id, report(2023, fresh=False), None) == [], rule_id
    result = Linter(Config().override(select=["GK7"])).lint_text(report(2023, fresh=False), "2023.txt")
    assert result.findings == [] and result.previous is None


def test_rules_are_declared_as_needing_the_earlier_report():
    assert all(isinstance(r, Rule) and r.needs_previous and r.family == "GK7" for r in RULES.values())
    assert RULES["GK701"].severity is Severity.ERROR and RULES["GK702"].severity is Severity.WARNING
    assert RULES["GK703"].severity is Severity.WARNING and RULES["GK704"].severity is Severity.INFO


def test_gk701_carried_over_must_equal_last_years_carried_forward():
    this = report(2023, carried_over=[2, 0, 0, 1, 0, 0], normative=(2, 1, 6))
    found = run("GK701", this, CLEAN_2022)
    assert [p.key for p in found] == [("table3", "carried_over", "natural"), ("table3", "carried_over", "public_interest")]
    doc, prev = pair(this, CLEAN_2022)
    first = found[0]
    assert doc.text[first.span.start:first.span.end] == "2"  # type: ignore[attr-defined]
    assert "自然人" in first.message.zh and "为1" in first.message.zh
    related = first.related[0]
    assert related.document is not None and related.document.path == "2022.txt"
    assert related.document.text[related.span.start:related.span.end] == "1"
    assert related.document.logical_path(related.span).endswith("四、结转下年度继续办理 › 自然人")


def test_gk701_quiet_when_a_table_is_unreadable_or_absent():
    this = report(2023, carried_over=[2, 0, 0, 0, 0, 0], normative=(2, 1, 6))
    doc, prev = pair(this, CLEAN_2022)
    assert run_rule(RULES["GK701"], doc, previous=prev)
    doc.tables["table3"].status = TableStatus.UNREADABLE  # type: ignore[attr-defined]
    assert run_rule(RULES["GK701"], doc, previous=prev) == []
    doc2, prev2 = pair(this, CLEAN_2022)
    prev2.tables["table3"].status = TableStatus.IMAGE  # type: ignore[attr-defined]
    assert run_rule(RULES["GK701"], doc2, previous=prev2) == []


def test_gk701_quiet_when_the_years_do_not_follow():
    this = report(2024, carried_over=[2, 0, 0, 0, 0, 0], normative=(2, 1, 6))
    assert run("GK701", this, CLEAN_2022) == []


def test_gk702_in_force_follows_from_last_year():
    this = report(2023, normative=(3, 1, 9))  # 5 + 3 - 1 = 7, not 9
    found = run("GK702", this, CLEAN_2022)
    assert len(found) == 1 and found[0].key == ("table2", "normative", "in_force")
    message = found[0].message.zh
    assert "现行有效件数为9" in message and "5 + 本年制发件数3" in message and "= 7" in message and "+2" in message
    assert found[0].related[0].document is not None
    assert run("GK702", report(2023, normative=(3, 1, 7)), CLEAN_2022) == []


def test_gk702_rules_row_and_not_for_the_2020_layout():
    this = report(2023, normative=(2, 1, 6), rules_row=(1, 0, 0))  # 0 + 1 - 0 = 1, not 0
    assert [p.key[1] for p in run("GK702", this, CLEAN_2022)] == ["rules"]
    old = make_report(layout="2020", year=2020)
    older = make_report(layout="2020", year=2019)
    assert run("GK702", old, older) == []


def test_gk703_repeated_sections_located_in_both_files():
    this, last = report(2023, fresh=False, normative=(2, 1, 6)), report(2022, fresh=False)
    found = run("GK703", this, last)
    assert sorted(p.key for p in found) == [("repeated", "overview"), ("repeated", "problems")]
    problems = next(p for p in found if p.key == ("repeated", "problems"))
    assert "100%" in problems.message.zh
    doc = load_document(this, "2023.txt")
    assert "政策解读形式不够丰富" in doc.text[problems.span.start:problems.span.end]  # type: ignore[union-attr]
    there = problems.related[0]
    assert there.document is not None and there.document.path == "2022.txt"
    assert "政策解读形式不够丰富" in there.document.text[there.span.start:there.span.end]


def test_gk703_threshold_and_quiet_when_rewritten():
    this = report(2023, normative=(2, 1, 6))
    assert run("GK703", this, CLEAN_2022) == []
    half = this.replace(this[this.index("五、存在的主要问题及改进情况\n"):this.index("\n六、")], PROBLEMS_2022.replace("2022", "2023")
                        + "另外，本年度新增了政务新媒体矩阵建设、基层政务公开标准化规范化试点和政策问答库三项工作内容。")
    last = CLEAN_2022.replace(CLEAN_2022[CLEAN_2022.index("五、存在的主要问题及改进情况\n"):CLEAN_2022.index("\n六、")], PROBLEMS_2022)
    share, _ = crossyear.repeated_passages("abcdef", "abcxyz", 2)
    assert share == 0.5
    assert [p.key for p in run("GK703", half, last)] == []  # about 60% repeated: under 80%
    doc, prev = pair(half, last)
    lower = run_rule(RULES["GK703"], doc, options={"threshold": 0.5}, previous=prev)
    assert [p.key for p in lower] == [("repeated", "problems")]


def test_gk704_followup_of_last_years_problems():
    this = report(2023, normative=(2, 1, 6), followup=False)
    found = run("GK704", this, CLEAN_2022)
    assert len(found) == 1 and found[0].related[0].document is not None
    assert run("GK704", report(2023, normative=(2, 1, 6)), CLEAN_2022) == []
    with_year = this.replace("一是", "一是针对2022年报告中解读不足的问题，", 1)
    assert run("GK704", with_year, CLEAN_2022) == []


def test_gk705_year_and_period_follow_last_year():
    copied = report(2022, normative=(2, 1, 6))  # this year's report still says 2022
    found = run("GK705", copied, CLEAN_2022)
    assert sorted(p.key for p in found) == [("sequence", "period"), ("sequence", "title")]
    assert all(p.severity is None for p in found)  # the rule's error
    gap = run("GK705", report(2025, normative=(2, 1, 6)), CLEAN_2022)
    assert gap and all(p.severity is Severity.WARNING for p in gap)
    assert run("GK705", CLEAN_2023, CLEAN_2022) == []


def test_gk706_another_agency():
    other = report(2022, agency="东平市财政局")
    found = run("GK706", CLEAN_2023, other)
    assert len(found) == 1 and "东平市财政局" in found[0].message.zh
    broken = report(2023, carried_over=[3, 0, 0, 0, 0, 0], normative=(9, 9, 9), fresh=False)
    for rule_id in ("GK701", "GK702", "GK703", "GK704", "GK705"):
        assert run(rule_id, broken, other) == [], rule_id
    assert run("GK706", CLEAN_2023, report(2022, agency="工业和信息化局")) == []


def test_html_and_docx_pair():
    this = make_report(year=2023, flattening="html", table3={"carried_over": [2, 0, 0, 0, 0, 0]})
    doc = load_document(this, "2023.html")
    prev = load_document(make_docx(year=2022), "2022.docx")
    found = run_rule(RULES["GK701"], doc, previous=prev)
    assert len(found) == 1 and found[0].related[0].document is prev


# -- batches, --previous, outputs ------------------------------------------------------------------


def write_region(root: Path) -> None:
    (root / "2022").mkdir()
    (root / "2023").mkdir()
    (root / "2022" / "gxj.txt").write_text(CLEAN_2022, encoding="utf-8")
    (root / "2023" / "gxj.txt").write_text(report(2023, carried_over=[2, 0, 0, 0, 0, 0], normative=(2, 1, 6)),
                                           encoding="utf-8")
    (root / "2022" / "czj.txt").write_text(report(2022, agency="东平市财政局"), encoding="utf-8")
    (root / "2023" / "jtj.txt").write_text(report(2023, agency="东平市交通运输局"), encoding="utf-8")


@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_pairs_reports_of_one_agency(tmp_path, jobs):
    write_region(tmp_path)
    result = Linter(Config().override(select=["GK7"])).lint_paths([tmp_path], jobs=jobs)
    by_path = {Path(f.path).relative_to(tmp_path).as_posix(): f for f in result.files}
    assert by_path["2023/gxj.txt"].previous == f"{tmp_path.as_posix()}/2022/gxj.txt"
    assert [f.rule_id for f in by_path["2023/gxj.txt"].findings] == ["GK701"]
    related = by_path["2023/gxj.txt"].findings[0].related[0][0]
    assert related.path.endswith("2022/gxj.txt") and related.snippet == "1"
    for name in ("2022/gxj.txt", "2022/czj.txt", "2023/jtj.txt"):
        assert by_path[name].findings == [] and by_path[name].previous is None, name
    assert by_path["2023/jtj.txt"].agency == "东平市交通运输局"


def test_reports_of_the_same_year_are_not_paired(tmp_path):
    for n in range(3):
        (tmp_path / f"r{n}.txt").write_text(report(2023, fresh=False), encoding="utf-8")
    result = Linter(Config()).lint_paths([tmp_path])
    assert all(f.previous is None and not any(x.rule_id.startswith("GK7") for x in f.findings) for f in result.files)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    from gklint.cli import main

    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return int(exited.value.code or 0), out, err


def test_previous_option_text_json_sarif(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("2022年报告.txt").write_text(CLEAN_2022, encoding="utf-8")
    Path("2023年报告.txt").write_text(report(2023, carried_over=[2, 0, 0, 0, 0, 0], normative=(2, 1, 6)),
                                    encoding="utf-8")
    code, out, _ = cli(capsys, "--isolated", "--select", "GK7", "--no-show-source", "2023年报告.txt",
                       "--previous", "2022年报告.txt")
    assert code == 1 and "GK701" in out and "相关位置：2022年报告.txt:389:2" in out
    code, out, _ = cli(capsys, "--isolated", "--select", "GK7", "--format", "json", "2023年报告.txt",
                       "--previous", "2022年报告.txt")
    payload = json.loads(out)
    file = payload["files"][0]
    assert file["previous"] == "2022年报告.txt"
    assert file["findings"][0]["related"][0]["location"]["path"] == "2022年报告.txt"
    import jsonschema

    from gklint.reporters.json import schema
    jsonschema.validate(payload, schema())
    code, out, _ = cli(capsys, "--isolated", "--select", "GK7", "--format", "sarif", "2023年报告.txt",
                       "--previous", "2022年报告.txt")
    related = json.loads(out)["runs"][0]["results"][0]["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"].endswith(".txt")
    assert "2022" in related["physicalLocation"]["artifactLocation"]["uri"]
    code, out, _ = cli(capsys, "--isolated", "--select", "GK7", "2023年报告.txt")
    assert code == 0 and "GK7" not in out.replace("GK7 ", "")


def test_previous_that_cannot_be_read_is_a_warning(tmp_path, capsys):
    this = tmp_path / "2023.txt"
    this.write_text(CLEAN_2023, encoding="utf-8")
    code, out, err = cli(capsys, "--isolated", "--select", "GK7", str(this), "--previous", str(tmp_path / "nope.txt"))
    assert code == 0 and "nope.txt" in out + err


def test_review_command_text_and_json(tmp_path, capsys):
    write_region(tmp_path)
    code, out, _ = cli(capsys, "review", "--isolated", "-j", "1", str(tmp_path))
    assert code == 1
    assert "2022年：2 个机关已发布报告，1 个缺少报告" in out
    assert "缺少报告：东平市交通运输局（有 2023 年的报告）" in out
    assert "缺少报告：东平市财政局（有 2022 年的报告）" in out
    assert "GK701×1" in out and "对照上年" in out
    code, out, _ = cli(capsys, "review", "--isolated", "--format", "json", "--select", "GK7", str(tmp_path))
    summary = json.loads(out)
    years = {y["year"]: y for y in summary["years"]}
    assert [m["agency"] for m in years[2023]["missing"]] == ["东平市财政局"]
    published = {p["agency"]: p for p in years[2023]["published"]}
    assert published[AGENCY]["counts"] == {"error": 1, "warning": 0, "info": 0}
    assert published[AGENCY]["files"][0]["rules"] == {"GK701": 1}
    assert summary["unidentified"] == []
    out_file = tmp_path / "review.json"
    code, _, _ = cli(capsys, "review", "--isolated", "--format", "json", "-o", str(out_file), str(tmp_path / "2022"))
    assert code == 0 and json.loads(out_file.read_text(encoding="utf-8"))["years"][0]["year"] == 2022


def test_service_takes_the_earlier_report():
    pytest.importorskip("waitress")
    import io
    from wsgiref.util import setup_testing_defaults

    from gklint.server import make_app

    app = make_app(Linter(Config()))

    def post(payload: dict) -> tuple[int, dict]:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        env = {"REQUEST_METHOD": "POST", "PATH_INFO": "/v1/lint", "QUERY_STRING": "select=GK7",
               "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
        setup_testing_defaults(env)
        status: list[str] = []
        data = b"".join(app(env, lambda s, h: status.append(s)))
        return int(status[0].split()[0]), json.loads(data)

    this = report(2023, carried_over=[2, 0, 0, 0, 0, 0], normative=(2, 1, 6))
    code, answer = post({"filename": "2023.txt", "content": this,
                         "previous": {"filename": "2022.txt", "content": CLEAN_2022}})
    assert code == 200
    file = answer["files"][0]
    assert [f["rule_id"] for f in file["findings"]] == ["GK701"] and file["previous"] == "2022.txt"
    assert file["findings"][0]["related"][0]["location"]["path"] == "2022.txt"
    code, answer = post({"filename": "2023.txt", "content": this})
    assert code == 200 and answer["files"][0]["findings"] == []
    code, answer = post({"filename": "2023.txt", "content": this, "previous": {"content": 3}})
    assert code == 400 and answer["error"]["code"] == "bad-json"
    code, answer = post({"filename": "2023.txt", "content": this,
                         "previous": {"filename": "2022.docx", "content_base64": "AAAA"}})
    assert code == 422 and answer["error"]["code"] == "unreadable-previous"


def test_html_report_names_the_other_file(tmp_path, capsys):
    this, last = tmp_path / "2023.txt", tmp_path / "2022.txt"
    this.write_text(report(2023, carried_over=[2, 0, 0, 0, 0, 0], normative=(2, 1, 6)), encoding="utf-8")
    last.write_text(CLEAN_2022, encoding="utf-8")
    out = tmp_path / "o.html"
    cli(capsys, "--isolated", "--select", "GK7", "--format", "html", "-o", str(out), str(this), "--previous", str(last))
    page = out.read_text(encoding="utf-8")
    assert "2022.txt 第389行第2列" in page


def test_batch_pairs_html_and_docx(tmp_path):
    (tmp_path / "a.docx").write_bytes(make_docx(year=2022))
    (tmp_path / "b.html").write_text(
        make_report(year=2023, flattening="html", table3={"carried_over": [2, 0, 0, 0, 0, 0]}), encoding="utf-8")
    result = Linter(Config().override(select=["GK701"])).lint_paths([tmp_path])
    by_name = {Path(f.path).name: f for f in result.files}
    assert by_name["b.html"].previous is not None and by_name["b.html"].previous.endswith("a.docx")
    assert [f.rule_id for f in by_name["b.html"].findings] == ["GK701"]


def test_batch_pairs_a_printed_pdf(tmp_path):
    pytest.importorskip("pdfplumber")
    import importlib.util
    import sys

    if "_pdf_samples" not in sys.modules:  # shared with test_reader_pdf: one cache of printed PDFs
        spec = importlib.util.spec_from_file_location("_pdf_samples", Path(__file__).with_name("_pdf_samples.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules["_pdf_samples"] = module
    samples = sys.modules["_pdf_samples"]
    try:
        pdf = samples.html_to_pdf(make_report(year=2022, flattening="html"))
    except Exception as exc:  # no chromium here
        pytest.skip(f"cannot print a PDF: {exc}")
    (tmp_path / "2022.pdf").write_bytes(pdf)
    (tmp_path / "2023.txt").write_text(report(2023, carried_over=[2, 0, 0, 0, 0, 0], normative=(2, 1, 6)),
                                       encoding="utf-8")
    result = Linter(Config().override(select=["GK701"])).lint_paths([tmp_path])
    by_name = {Path(f.path).name: f for f in result.files}
    assert by_name["2023.txt"].previous is not None and by_name["2023.txt"].previous.endswith("2022.pdf")
    findings = by_name["2023.txt"].findings
    assert [f.rule_id for f in findings] == ["GK701"]
    assert findings[0].related[0][0].path.endswith("2022.pdf")


def test_service_workers_get_the_earlier_report():
    pytest.importorskip("waitress")
    import io
    from wsgiref.util import setup_testing_defaults

    from gklint.servepool import WorkerPool
    from gklint.server import make_app, render_job

    linter = Linter(Config())
    pool = WorkerPool(linter, render_job, size=1)
    this = report(2023, carried_over=[2, 0, 0, 0, 0, 0], normative=(2, 1, 6))
    job = (this.encode("utf-8"), "2023.txt", {"select": ["GK7"]}, False, (CLEAN_2022.encode("utf-8"), "2022.txt"))
    try:
        status, out, _, _ = pool.run(lambda: (job, "2023.txt"), size=len(job[0]))
        assert status == 200
        file = json.loads(out)["files"][0]
        assert [f["rule_id"] for f in file["findings"]] == ["GK701"] and file["previous"] == "2022.txt"
        app = make_app(linter, pool=pool)  # the request's previous travels to the worker with the document
        body = json.dumps({"filename": "2023.txt", "content": this,
                           "previous": {"filename": "2022.txt", "content": CLEAN_2022}}).encode("utf-8")
        env = {"REQUEST_METHOD": "POST", "PATH_INFO": "/v1/lint", "QUERY_STRING": "select=GK7",
               "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
        setup_testing_defaults(env)
        statuses: list[str] = []
        answer = json.loads(b"".join(app(env, lambda s, h: statuses.append(s))))
        assert statuses[0].startswith("200")
        assert [f["rule_id"] for f in answer["files"][0]["findings"]] == ["GK701"]
    finally:
        pool.close()
