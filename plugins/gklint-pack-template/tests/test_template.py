"""The template pack: its data file (a required sub-item, reported by GK108) and its Python rule XX101."""

from __future__ import annotations

import gklint_pack_template as pack

from gklint import lint_text
from gklint.config import Config
from gklint.testing import make_report, pack_data, pack_plugins, run_rule

PLUGINS = pack_plugins("template", pack)
XX101 = pack.RULES[0]
WORK_POINTS = "（一）落实上级年度政务公开工作要点情况\n按照2022年政务公开工作要点，逐项抓好落实。\n"
PROBLEMS = "2022年政府信息公开工作取得一定成效，但仍存在政策解读形式不够丰富、公开内容不够全面等问题。下一步将丰富解读形式，拓展公开深度。"


def _ids(result, rule_id: str) -> list[tuple[str, ...]]:
    """Keys of *rule_id*'s findings that come from this pack (other installed packs may add their own)."""
    return [f.key for f in result.findings if f.rule_id == rule_id and (rule_id == "XX101" or f.key[0].startswith("XX-"))]


# -- the data file ---------------------------------------------------------------------


def test_data_file_requirement_fires_when_the_sub_item_is_missing() -> None:
    result = lint_text(make_report(), plugins=PLUGINS)
    assert not result.notifications, [n.message.zh for n in result.notifications]
    assert _ids(result, "GK108") == [("XX-work-points",)]
    finding = next(f for f in result.findings if f.rule_id == "GK108" and f.key == ("XX-work-points",))
    assert finding.plugin == "national-requirements"
    assert "落实上级年度政务公开工作要点情况" in finding.message.zh


def test_data_file_requirement_is_quiet_when_the_sub_item_is_there() -> None:
    text = make_report().replace("六、其他需要报告的事项\n", "六、其他需要报告的事项\n" + WORK_POINTS)
    assert _ids(lint_text(text, plugins=PLUGINS), "GK108") == []


def test_data_file_alone_merges_into_the_standard() -> None:
    data = pack_data(pack.gklint_data_files())
    assert [v for _, v in data.items("required_subitems")][0][0]["id"] == "XX-work-points"


# -- the Python rule -------------------------------------------------------------------


def test_python_rule_quiet_on_a_real_section() -> None:
    assert run_rule(XX101, make_report(), plugin_config={"min-chars": 30}) == []


def test_python_rule_fires_on_a_one_line_section() -> None:
    problems = run_rule(XX101, make_report().replace(PROBLEMS, "无。"), plugin_config={"min-chars": 30})
    assert [p.message.zh for p in problems] == ["“存在的主要问题及改进情况”只有2个字，至少应写30个字"]


def test_python_rule_reads_its_plugin_configuration() -> None:
    config = Config(plugins={"template": {"min-chars": 500}})
    result = lint_text(make_report(), plugins=PLUGINS, config=config)
    assert len(_ids(result, "XX101")) == 1
    assert _ids(lint_text(make_report(), plugins=PLUGINS), "XX101") == []
