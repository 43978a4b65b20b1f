"""Data packs: every kind of requirement works from a pack's TOML file alone, and bad files are caught at load time."""

from __future__ import annotations

from pathlib import Path

import pytest

from gklint import hookimpl, lint_text
from gklint.config import Config
from gklint.datacheck import key_line
from gklint.findings import Severity
from gklint.testing import make_report

NOTICE_TOML = """\
[[citations]]
key = "DP-FEE"
status = "verified"
kind = "notice"
title = "东平市人民政府办公室关于规范政府信息公开信息处理费收取工作的通知"
issuer = "东平市人民政府办公室"
numbers = ["东政办字〔2021〕12号"]
"""
NOTICE = "《东平市人民政府办公室关于规范政府信息公开信息处理费收取工作的通知》（东政办字〔2021〕12号）"
BROKEN = make_report().replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号")
FEE_SENTENCE = "依据《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）执行。"


class DataPack:
    """A data-only pack: its one hook returns the TOML files."""

    def __init__(self, *paths: Path) -> None:
        self.paths = list(paths)

    @hookimpl
    def gklint_data_files(self) -> list[Path]:
        return self.paths


def _write(tmp_path: Path, text: str, name: str = "pack.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _lint(text: str, *packs: tuple[str, object], config: Config | None = None):
    return lint_text(text, plugins=list(packs), config=config)


def _rules(result, *ids: str) -> list[tuple[str, str]]:
    return [(f.rule_id, f.message.zh) for f in result.findings if f.rule_id in ids]


def _errors(result) -> list[str]:
    return [n.message.zh for n in result.notifications if n.level == "error"]


# -- citation registry ----------------------------------------------------------------------------


def test_registry_entry_from_a_pack_is_checked_by_gk402(tmp_path: Path) -> None:
    pack = ("dp", DataPack(_write(tmp_path, NOTICE_TOML)))
    wrong = NOTICE.replace("规范政府信息公开", "做好政府信息公开")
    text = make_report().replace(FEE_SENTENCE, f"依据{wrong}执行。")
    result = _lint(text, pack)
    assert _errors(result) == []
    found = _rules(result, "GK402")
    assert len(found) == 1 and "东政办字〔2021〕12号" in found[0][1] and "规范政府信息公开信息处理费收取工作" in found[0][1]
    assert _rules(_lint(text), "GK402") == []  # unknown to the national registry


# -- required mention (GK410) -----------------------------------------------------------------------


MENTION_TOML = NOTICE_TOML + """
[[required_mentions]]
id = "DP-fee"
when = ["信息处理费"]
cite = "DP-FEE"
"""


def test_required_mention_missing_fires_at_the_mention(tmp_path: Path) -> None:
    result = _lint(make_report(), ("dp", DataPack(_write(tmp_path, MENTION_TOML))))
    found = [f for f in result.findings if f.rule_id == "GK410"]
    assert [f.message.zh for f in found] == [f"报告提到“信息处理费”，但没有引用{NOTICE}"]
    assert found[0].location.snippet == "信息处理费" and found[0].severity is Severity.ERROR
    assert found[0].pack == "dp" and found[0].plugin == "national-citations"


def test_required_mention_correct_citation_is_quiet(tmp_path: Path) -> None:
    text = make_report().replace(FEE_SENTENCE, f"依据{NOTICE}执行。")
    assert _rules(_lint(text, ("dp", DataPack(_write(tmp_path, MENTION_TOML)))), "GK410") == []


def test_required_mention_number_without_title_fires(tmp_path: Path) -> None:
    text = make_report().replace(FEE_SENTENCE, "依据东政办字〔2021〕12号文件执行。")
    found = _rules(_lint(text, ("dp", DataPack(_write(tmp_path, MENTION_TOML)))), "GK410")
    assert found == [("GK410", f"引用“东政办字〔2021〕12号”时标题或文号写法有误，应写作{NOTICE}")]


def test_required_mention_title_with_wrong_number_fires_once(tmp_path: Path) -> None:
    text = make_report().replace(FEE_SENTENCE, f"依据{NOTICE.replace('12号', '21号')}执行。")
    result = _lint(text, ("dp", DataPack(_write(tmp_path, MENTION_TOML))))
    assert _rules(result, "GK410") == []  # GK402 reports the wrong number of the registered document: one finding
    found = [f for f in result.findings if f.rule_id == "GK402"]
    assert [f.message.zh for f in found] == ["《东平市人民政府办公室关于规范政府信息公开信息处理费收取工作的通知》的文号应为"
                                             "“东政办字〔2021〕12号”，此处写作“东政办字〔2021〕21号”"]
    assert found[0].pack == "dp"


def test_required_mention_title_without_number_fires(tmp_path: Path) -> None:
    title = NOTICE[:NOTICE.index("》") + 1]
    text = make_report().replace(FEE_SENTENCE, f"依据{title}执行。")
    found = _rules(_lint(text, ("dp", DataPack(_write(tmp_path, MENTION_TOML)))), "GK410")
    assert len(found) == 1 and found[0][1].startswith("引用《东平市人民政府办公室关于规范政府信息公开信息处理费收取工作的通知》时缺少文号或文号有误")


def test_required_mention_not_triggered_without_the_phrase(tmp_path: Path) -> None:
    text = make_report().replace(f"本机关2022年未收取信息处理费。{FEE_SENTENCE}", "本机关2022年无其他需要报告的事项。")
    assert "信息处理费" not in text
    assert _rules(_lint(text, ("dp", DataPack(_write(tmp_path, MENTION_TOML)))), "GK410") == []


# -- required sub-item (GK108) -------------------------------------------------------------------------


SUBITEM_TOML = """\
[[required_subitems]]
id = "DP-points"
section = "other"
heading = ["政务公开工作要点"]
name = "落实上级年度政务公开工作要点情况"
years = { first = 2021 }
"""


def test_required_subitem(tmp_path: Path) -> None:
    pack = ("dp", DataPack(_write(tmp_path, SUBITEM_TOML)))
    found = _rules(_lint(make_report(), pack), "GK108")
    assert found == [("GK108", "“六、其他需要报告的事项”中缺少“落实上级年度政务公开工作要点情况”一项（应有标题含“政务公开工作要点”的小标题）")]
    fixed = make_report().replace("六、其他需要报告的事项\n", "六、其他需要报告的事项\n（一）落实2022年政务公开工作要点情况\n")
    assert _rules(_lint(fixed, pack), "GK108") == []
    assert _rules(_lint(make_report(layout="2020"), pack), "GK108") == []  # years = {first = 2021}


# -- heading and label variants -----------------------------------------------------------------------------


def test_heading_variant_makes_a_section_recognised(tmp_path: Path) -> None:
    text = make_report().replace("五、存在的主要问题及改进情况", "五、工作中的不足和下一步打算")
    assert [rid for rid, _ in _rules(_lint(text), "GK101", "GK103")] == ["GK101"]
    pack = ("dp", DataPack(_write(tmp_path, '[[heading_variants]]\nsection = "problems"\nvariants = ["工作中的不足和下一步打算"]\n')))
    found = _rules(_lint(text, pack), "GK101", "GK103")
    assert [rid for rid, _ in found] == ["GK103"] and "常见的改写" in found[0][1]


def test_label_variant_is_accepted(tmp_path: Path) -> None:
    text = make_report().replace("（七）总计", "（七）合计")
    assert [rid for rid, _ in _rules(_lint(text), "GK303")] == ["GK303"]
    pack = ("dp", DataPack(_write(tmp_path, '[[label_variants]]\ntable = "table3"\nrow = "（七）总计"\nvariants = ["（七）合计"]\n')))
    assert _rules(_lint(text, pack), "GK303", "GK202", "GK206") == []


# -- contact constraints (GK508, GK509) ----------------------------------------------------------------------------


CONTACT_TOML = '[contact_constraints]\narea_codes = ["0538", "0531"]\nrequired = ["telephone", "fax"]\n'


def test_area_codes_and_required_pieces(tmp_path: Path) -> None:
    pack = ("dp", DataPack(_write(tmp_path, CONTACT_TOML)))
    assert _rules(_lint(make_report(), pack), "GK508") == []  # 0538-5261234
    assert _rules(_lint(make_report(), pack), "GK509") == [("GK509", "联系方式中没有传真（本地区要求写明）")]
    text = make_report().replace("电话：0538-5261234", "电话：0532-5261234；传真：010-65261234；手机：13905381234")
    found = _rules(_lint(text, pack), "GK508", "GK509")
    assert [m for _, m in found] == ["号码“0532-5261234”的区号 0532 不在本地区的区号中（0531、0538）",
                                     "号码“010-65261234”的区号 010 不在本地区的区号中（0531、0538）"]


# -- extra identities by canonical labels --------------------------------------------------------------------------


IDENTITY_TOML = """\
[[identities]]
id = "DP-natural"
table = "table3"
kind = "cells"
lhs = ["（七）总计|自然人"]
rhs = ["一、本年新收政府信息公开申请数量|自然人"]
description = { zh = "自然人申请全部办结", en = "every application by a natural person is answered" }
layouts = ["2021"]
"""


def test_pack_identity_over_labels(tmp_path: Path) -> None:
    pack = ("dp", DataPack(_write(tmp_path, IDENTITY_TOML)))
    assert _rules(_lint(make_report(), pack), "GK201", "GK202", "GK203", "GK204") == []  # 5 == 5
    broken = make_report(table3={"new": [6, 2, 0, 0, 1, 0]})  # national identities still hold
    assert _rules(_lint(broken), "GK201", "GK202", "GK203", "GK204") == []
    found = _rules(_lint(broken, pack), "GK201", "GK202", "GK203", "GK204")
    assert len(found) == 1 and found[0][0] == "GK204" and "自然人申请全部办结" in found[0][1]


# -- severity changes -------------------------------------------------------------------------------------------------


def test_a_packs_severity_leaves_the_national_rules_findings_alone(tmp_path: Path) -> None:
    pack = ("dp", DataPack(_write(tmp_path, '[severity]\nGK507 = "error"\nGK5 = "info"\nGK303 = "off"\n')))
    text = make_report().replace("本报告电子版可在东平市人民政府门户网站（www.dongping.gov.cn）查阅或下载。", "").replace(
        "（七）总计", "（七）合计")
    plain = {f.rule_id: f.severity for f in _lint(text).findings}
    assert plain["GK507"] is Severity.WARNING and plain["GK303"] is Severity.WARNING
    changed = {f.rule_id: f.severity for f in _lint(text, pack).findings}
    assert changed == plain  # the findings come from the national data, not the pack's


def test_a_packs_severity_applies_to_findings_from_its_data_and_user_config_wins(tmp_path: Path) -> None:
    pack = ("dp", DataPack(_write(tmp_path, MENTION_TOML + '\n[severity]\nGK41 = "info"\nGK410 = "warning"\n')))
    found = [f for f in _lint(make_report(), pack).findings if f.rule_id == "GK410"]
    assert [f.severity for f in found] == [Severity.WARNING]  # longest prefix wins
    user = [f for f in _lint(make_report(), pack, config=Config(severity={"GK410": "info"})).findings
            if f.rule_id == "GK410"]
    assert [f.severity for f in user] == [Severity.INFO]


# -- validation at load time ---------------------------------------------------------------------------------------------


def test_bad_field_is_reported_once_with_file_line_and_key(tmp_path: Path) -> None:
    bad = _write(tmp_path, MENTION_TOML.replace('cite = "DP-FEE"', 'cite = "DP-FEE"\nwhen_not = ["x"]'), "bad.toml")
    good = _write(tmp_path, SUBITEM_TOML, "good.toml")
    result = _lint(make_report(), ("dp", DataPack(bad)), ("dp2", DataPack(good)))
    errors = _errors(result)
    assert len(errors) == 1
    assert errors[0] == (f"插件 dp 的数据文件有误，已忽略该文件（其余数据和规则照常使用）：{bad}:13: "
                         "键 required_mentions[0].when_not：未知字段，可用字段：id, when, cite, years, note")
    en = next(n for n in result.notifications if n.level == "error").message.en
    assert f"{bad}:13: key required_mentions[0].when_not: unknown field" in en
    ids = {f.rule_id for f in result.findings}
    assert "GK410" not in ids and "GK108" in ids  # the bad file is left out, the good one and the national rules run
    assert not any(n.kind == "rule-crash" for n in result.notifications)


def test_misspelt_top_level_key_suggests_the_right_one(tmp_path: Path) -> None:
    bad = _write(tmp_path, SUBITEM_TOML.replace("[[required_subitems]]", "[[required_subitem]]"))
    errors = _errors(_lint(make_report(), ("dp", DataPack(bad))))
    assert len(errors) == 1 and f"{bad}:1: 键 required_subitem：没有已加载的插件读取这个键（是否想写 required_subitems？）" in errors[0]


@pytest.mark.parametrize(("toml", "key", "line"), [
    (MENTION_TOML.replace('cite = "DP-FEE"', 'cite = "NOPE"'), "required_mentions[0].cite", 12),
    (CONTACT_TOML.replace('"0531"', '"531"'), "contact_constraints.area_codes[1]", 2),
    (SUBITEM_TOML.replace('section = "other"', 'section = "others"'), "required_subitems[0].section", 3),
    ('[severity]\nGK507 = "fatal"\n', "severity.GK507", 2),
    ('[[label_variants]]\ntable = "table3"\nrow = "（八）总计"\nvariants = ["x"]\n', "label_variants[0].row", 3),
    (IDENTITY_TOML.replace("（七）总计|自然人", "（七）总计|外国人"), "identities.DP-natural.lhs", 5),
    (NOTICE_TOML.replace('numbers = ["东政办字〔2021〕12号"]', 'numbers = ["国办函〔2020〕109号"]'),
     "citations[0]（key = DP-FEE）.numbers", 7),
])
def test_bad_values_name_the_key_and_line(tmp_path: Path, toml: str, key: str, line: int) -> None:
    bad = _write(tmp_path, toml)
    result = _lint(BROKEN, ("dp", DataPack(bad)))
    errors = _errors(result)
    assert len(errors) == 1, errors
    assert f"{bad}:{line}: 键 {key}" in errors[0]
    assert [f.rule_id for f in result.findings] == ["GK401"]  # the national rules still run


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    bad = _write(tmp_path, "[[citations]\nkey = 1\n")
    errors = _errors(_lint(make_report(), ("dp", DataPack(bad))))
    assert len(errors) == 1 and "不是有效的 UTF-8 TOML 文件" in errors[0] and str(bad) in errors[0]


class RaisingValidator:
    @hookimpl
    def gklint_validate_data(self, data: object) -> list[str]:
        raise RuntimeError("boom")


def test_validation_hook_that_raises_is_reported_and_skipped() -> None:
    result = _lint(BROKEN, ("raiser", RaisingValidator()))
    errors = _errors(result)
    assert errors == ["插件 raiser 的 gklint_validate_data 钩子出错：RuntimeError: boom；未校验它读取的数据"]
    assert [f.rule_id for f in result.findings] == ["GK401"]


def test_key_line_best_effort() -> None:
    text = '[[citations]]\nkey = "A"\n\n[[citations]]\nkey = "B"\nnumbers = ["x"]\n[contact]\nfax_labels = []\n'
    assert key_line(text, "citations[1].numbers") == 6
    assert key_line(text, "citations（key = B）.numbers") == 6
    assert key_line(text, "contact.fax_labels") == 8
    assert key_line(text, "nothing.here") is None
