"""The 山东 pack: quiet on the correct sample reports and on reports of other provinces, fires where
山东 reports are broken.

The sample reports are read from ``../shared/seeds`` next to the repository (skipped if absent).
"""

from __future__ import annotations

from pathlib import Path

import gklint_pack_shandong as sd
import pytest

from gklint import lint_text
from gklint.config import Config
from gklint.findings import Severity
from gklint.testing import make_report, pack_plugins, regional_report, run_rule

PLUGINS = pack_plugins("shandong", sd)
SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
PACK_RULES = ("SD101", "GK108", "GK410", "GK508", "GK509")
NOTICE = "《山东省人民政府办公厅关于做好政府信息公开信息处理费管理工作有关事项的通知》（鲁政办字〔2020〕179号）"
FEE_SUBITEM = "（一）政府信息公开信息处理费收取情况\n"


def _seed(prefix: str) -> str:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip(f"sample report {prefix} not available")
    return found[0].read_text(encoding="utf-8")


def _lint(text: str, config: Config | None = None):
    result = lint_text(text, plugins=PLUGINS, config=config)
    assert not result.notifications, [n.message.zh for n in result.notifications]
    return result


def _ours(finding) -> bool:
    """This pack's findings: its own rules, and the national data-driven rules on its data (they carry its name)."""
    return finding.pack == "shandong"


def _pack(result) -> list[tuple[str, str]]:
    return [(f.rule_id, f.message.zh) for f in result.findings if _ours(f)]


# -- the sample reports ----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_quiet_on_correct_shandong_reports(prefix: str) -> None:
    text = _seed(prefix)
    assert "鲁政办字〔2020〕179号" in text and "0533-" in text
    assert _pack(_lint(text)) == []


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_wrong_number_of_the_fee_notice_fires(prefix: str) -> None:
    text = _seed(prefix).replace("鲁政办字〔2020〕179号", "鲁政办字〔2020〕197号")
    found = _pack(_lint(text))
    # one finding (GK402, the registered number), not GK402 and GK410 both; it names the pack
    assert found == [("GK402", "《山东省人民政府办公厅关于做好政府信息公开信息处理费管理工作有关事项的通知》的文号应为"
                               "“鲁政办字〔2020〕179号”，此处写作“鲁政办字〔2020〕197号”")], found


def test_missing_fee_notice_fires_as_an_error() -> None:
    text = _seed("004").replace(f"和{NOTICE}", "")
    assert "179号" not in text
    result = _lint(text)
    fee = [f for f in result.findings if f.rule_id == "GK410" and _ours(f)]
    assert len(fee) == 1 and fee[0].severity is Severity.ERROR  # a required citation missing: an error
    assert fee[0].message.zh.startswith("报告提到“信息处理费”，但没有引用《山东省人民政府办公厅")


def test_wrong_title_of_the_fee_notice_fires() -> None:
    text = _seed("004").replace("关于做好政府信息公开信息处理费管理工作", "关于政府信息公开信息处理费管理工作")
    found = _pack(_lint(text))
    assert [rid for rid, _ in found] == ["GK402"]  # the registered title, once
    assert found[0][1].startswith("“鲁政办字〔2020〕179号”的标题应为《山东省人民政府办公厅关于做好政府信息公开信息处理费管理工作")


def test_number_cited_without_its_title_fires_gk410() -> None:
    text = _seed("004").replace(NOTICE, "鲁政办字〔2020〕179号文件")
    found = _pack(_lint(text))
    assert [rid for rid, _ in found] == ["GK410"]
    assert "引用“鲁政办字〔2020〕179号”时标题或文号写法有误" in found[0][1]


def test_fee_notice_wrapped_over_two_lines_is_still_found() -> None:
    text = _seed("000").replace("关于做好政府信息公开", "关于做好\n政府信息公开")
    assert text.count("关于做好\n政府信息公开") == 1
    assert [rid for rid, _ in _pack(_lint(text))] == []


def test_area_code_outside_shandong_fires() -> None:
    text = _seed("004").replace("电话：0533-6951755", "电话：0551-6951755")
    found = _pack(_lint(text))
    assert found == [("GK508", "号码“0551-6951755”的区号 0551 不在本地区的区号中（0530、0531、0532、0533、0534、"
                                "0535、0536、0537、0538、0539、0543、0546、0631、0632、0633、0635）")]


def test_extra_area_code_from_configuration() -> None:
    text = _seed("004").replace("电话：0533-6951755", "电话：0634-6951755")
    assert [rid for rid, _ in _pack(_lint(text))] == ["GK508"]
    config = Config(rules={"GK508": {"extra-area-codes": ["0634"]}})
    assert _pack(_lint(text, config)) == []


def test_missing_fee_sub_item_fires() -> None:
    text = _seed("004").replace(FEE_SUBITEM, "")
    found = _pack(_lint(text))
    assert [rid for rid, _ in found] == ["GK108"]
    assert "缺少“政府信息公开信息处理费收取情况”一项" in found[0][1]


# -- generated reports ----------------------------------------------------------------------------------


def test_generated_report_needs_the_notice_and_the_sub_item() -> None:
    text = make_report()  # 六 mentions 信息处理费 and cites only the national measures
    assert sorted(rid for rid, _ in _pack(_lint(text))) == ["GK108", "GK410"]
    fixed = text.replace("六、其他需要报告的事项\n", "六、其他需要报告的事项\n" + FEE_SUBITEM).replace(
        "（国办函〔2020〕109号）执行。", f"（国办函〔2020〕109号）和{NOTICE}执行。")
    assert _pack(_lint(fixed)) == []


def test_2020_reports_are_not_held_to_the_2021_requirements() -> None:
    assert _pack(_lint(make_report(layout="2020"))) == []


def test_user_severity_wins_over_the_pack_default() -> None:
    config = Config(severity={"GK410": "info"})
    fee = [f for f in _lint(make_report(), config).findings if f.rule_id == "GK410" and _ours(f)]
    assert [f.severity for f in fee] == [Severity.INFO]


# -- reports of other provinces ------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["江苏省", "福建省", "贵州省"])
def test_quiet_on_reports_of_other_provinces(region: str) -> None:
    text = regional_report(region, agency="科学技术和工业信息化局")  # 信息处理费 without 鲁政办字, no 山东 place
    assert "信息处理费" in text
    result = _lint(text)
    assert result.region == region
    assert [f for f in result.findings if f.rule_id in PACK_RULES] == []


@pytest.mark.parametrize(("region", "code"), [("江苏省", "0517"), ("福建省", "0591"), ("贵州省", "0851")])
def test_other_area_codes_are_left_alone(region: str, code: str) -> None:
    text = regional_report(region)
    first = next(c for c in ("025", "0591", "0851") if f"{c}-" in text)
    result = _lint(text.replace(f"{first}-", f"{code}-"))
    assert [f for f in result.findings if f.rule_id == "GK508"] == []


def test_a_report_of_unknown_region_gets_the_national_rules_and_one_note() -> None:
    text = _seed("001")  # no contact details, no place in the title
    result = _lint(text)
    assert result.region is None and _pack(result) == []
    notes = [f for f in result.findings if f.rule_id == "GK003"]
    assert len(notes) == 1 and "山东省规则包" in notes[0].message.zh
    given = _lint(text, Config(region="山东省"))
    assert sorted(rid for rid, _ in _pack(given)) == ["GK108", "GK410", "SD101"]


def test_findings_carry_the_packs_name() -> None:
    result = _lint(make_report())
    fee = next(f for f in result.findings if f.rule_id == "GK410")
    assert fee.pack == "shandong" and fee.plugin == "national-citations"


# -- the Python rule SD101 -----------------------------------------------------------------------------------


def test_sd101_fires_on_an_agency_without_its_place() -> None:
    text = make_report(agency="科学技术和工业信息化局")
    found = [(f.rule_id, f.message.zh) for f in _lint(text).findings if f.rule_id == "SD101"]
    assert found == [("SD101", "标题中的机关名称“科学技术和工业信息化局”没有写明所属地方，应写全称，"
                               "如“淄博市科学技术和工业信息化局”“高青县科学技术和工业信息化局”")]


@pytest.mark.parametrize("agency", ["淄博市工业和信息化局", "高青县芦湖街道办事处", "山东省人民政府办公厅", "河东区工业和信息化局"])
def test_sd101_quiet_on_named_places(agency: str) -> None:
    assert [f for f in _lint(make_report(agency=agency)).findings if f.rule_id == "SD101"] == []


def test_sd101_extra_places_from_the_pack_configuration() -> None:
    text = make_report(agency="经济技术开发区管理委员会")
    assert [f.rule_id for f in _lint(text).findings if f.rule_id == "SD101"] == ["SD101"]
    config = Config(plugins={"shandong": {"extra-places": ["经济技术开发区"]}})
    assert [f.rule_id for f in _lint(text, config).findings if f.rule_id == "SD101"] == []


def test_sd101_on_the_sample_without_a_place() -> None:
    text = _seed("001")
    problems = run_rule(sd.gklint_rules()[0], text, data=_data())
    assert [p.key for p in problems] == [("科学技术和工业信息化局",)]


def _data():
    from gklint.testing import pack_data

    return pack_data(sd.gklint_data_files())
