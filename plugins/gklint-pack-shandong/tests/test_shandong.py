"""The 山东 pack: quiet on the correct sample reports, fires where they are broken.

The sample reports are read from ``../shared/seeds`` next to the repository (skipped if absent).
"""

from __future__ import annotations

from pathlib import Path

import gklint_pack_shandong as sd
import pytest

from gklint import lint_text
from gklint.config import Config
from gklint.findings import Severity
from gklint.testing import make_report, pack_plugins, run_rule

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
    """This pack's findings: its own rules, and the national data-driven rules on its data (ids SD-…)."""
    if finding.rule_id in ("GK108", "GK410"):
        return bool(finding.key) and finding.key[0].startswith("SD-")
    return finding.rule_id in PACK_RULES


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
    assert [rid for rid, _ in found] == ["GK410"], found
    assert "缺少文号或文号有误" in found[0][1]


def test_missing_fee_notice_fires_as_an_error() -> None:
    text = _seed("004").replace(f"和{NOTICE}", "")
    assert "179号" not in text
    result = _lint(text)
    fee = [f for f in result.findings if f.rule_id == "GK410" and _ours(f)]
    assert len(fee) == 1 and fee[0].severity is Severity.ERROR  # the pack's data makes GK410 an error
    assert fee[0].message.zh.startswith("报告提到“信息处理费”，但没有引用《山东省人民政府办公厅")


def test_wrong_title_of_the_fee_notice_fires() -> None:
    text = _seed("004").replace("关于做好政府信息公开信息处理费管理工作", "关于政府信息公开信息处理费管理工作")
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
    problems = run_rule(sd.RULES[0], text, data=_data())
    assert [p.key for p in problems] == [("科学技术和工业信息化局",)]


def _data():
    from gklint.testing import pack_data

    return pack_data(sd.gklint_data_files())
