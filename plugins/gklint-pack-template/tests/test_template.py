"""The template pack: inert as shipped (no region); copied and given a region, its data file
(a required sub-item, reported by GK108) and its Python rule XX101 apply to that region's reports."""

from __future__ import annotations

from pathlib import Path

import gklint_pack_template as pack

from gklint import hookimpl, lint_text
from gklint.config import Config
from gklint.testing import make_report, pack_data, pack_plugins, run_rule

XX101 = pack.gklint_rules()[0]
WORK_POINTS = "（一）落实上级年度政务公开工作要点情况\n按照2022年政务公开工作要点，逐项抓好落实。\n"
PROBLEMS = "2022年政府信息公开工作取得一定成效，但仍存在政策解读形式不够丰富、公开内容不够全面等问题。下一步将丰富解读形式，拓展公开深度。"
DATA = pack.gklint_data_files()[0]


class _Copied:
    """The template as an author has it after copying: the same rules, the data file with a region."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @hookimpl
    def gklint_rules(self):
        return pack.gklint_rules()

    @hookimpl
    def gklint_data_files(self):
        return [self.path]

    @hookimpl
    def gklint_config_defaults(self):
        return pack.gklint_config_defaults()


#: The installed template (tox -e packs) is set aside while its copy, "mypack", runs: the rule ids are the same.
SET_ASIDE: tuple[str, ...] = ()
try:
    from importlib import metadata

    metadata.distribution("gklint-pack-template")
    SET_ASIDE = ("template",)
except Exception:
    pass


def _copied(tmp_path: Path, region: str = "山东省") -> list:
    path = tmp_path / "template.toml"
    path.write_text(DATA.read_text(encoding="utf-8").replace('name = ""', f'name = "{region}"'), encoding="utf-8")
    return [("mypack", _Copied(path))]


def _lint(text: str, plugins: list, **plugin_config: object):
    config = Config(disable_plugins=SET_ASIDE, plugins={"mypack": plugin_config} if plugin_config else None)
    return lint_text(text, plugins=plugins, config=config)


def _ids(result, rule_id: str) -> list[tuple[str, ...]]:
    """Keys of *rule_id*'s findings that come from this pack (other installed packs may add their own)."""
    return [f.key for f in result.findings if f.rule_id == rule_id and (rule_id == "XX101" or f.key[0].startswith("XX-"))]


# -- as shipped: inert -----------------------------------------------------------------


def test_inert_without_a_region() -> None:
    plugins = pack_plugins("template", pack)
    result = lint_text(make_report().replace(PROBLEMS, "无。"), plugins=plugins)
    assert not result.notifications, [n.message.zh for n in result.notifications]
    assert [f for f in result.findings if f.pack == "template" or f.rule_id == "XX101"] == []
    config = Config(plugins={"template": {"min-chars": 500}})
    assert _ids(lint_text(make_report(), plugins=plugins, config=config), "XX101") == []


# -- copied and given a region: the data file ------------------------------------------------


def test_data_file_requirement_fires_when_the_sub_item_is_missing(tmp_path: Path) -> None:
    result = _lint(make_report(), _copied(tmp_path))  # the example report is of 山东 (0538, 271500)
    assert not result.notifications, [n.message.zh for n in result.notifications]
    assert _ids(result, "GK108") == [("XX-work-points",)]
    finding = next(f for f in result.findings if f.rule_id == "GK108" and f.key == ("XX-work-points",))
    assert finding.plugin == "national-sections" and finding.pack == "mypack"
    assert "落实上级年度政务公开工作要点情况" in finding.message.zh


def test_data_file_requirement_is_quiet_when_the_sub_item_is_there(tmp_path: Path) -> None:
    text = make_report().replace("六、其他需要报告的事项\n", "六、其他需要报告的事项\n" + WORK_POINTS)
    assert _ids(_lint(text, _copied(tmp_path)), "GK108") == []


def test_data_file_applies_to_its_region_only(tmp_path: Path) -> None:
    result = _lint(make_report(), _copied(tmp_path, "江苏省"))
    assert _ids(result, "GK108") == []


def test_data_file_alone_merges_into_the_standard() -> None:
    data = pack_data(pack.gklint_data_files())
    assert [v for _, v in data.items("required_subitems")][0][0]["id"] == "XX-work-points"


# -- the Python rule -------------------------------------------------------------------


def test_python_rule_quiet_on_a_real_section() -> None:
    assert run_rule(XX101, make_report(), plugin_config={"min-chars": 30}) == []


def test_python_rule_fires_on_a_one_line_section() -> None:
    problems = run_rule(XX101, make_report().replace(PROBLEMS, "无。"), plugin_config={"min-chars": 30})
    assert [p.message.zh for p in problems] == ["“存在的主要问题及改进情况”只有2个字，至少应写30个字"]


def test_python_rule_reads_its_plugin_configuration(tmp_path: Path) -> None:
    result = _lint(make_report(), _copied(tmp_path), **{"min-chars": 500})
    assert not result.notifications, [n.message.zh for n in result.notifications]
    assert len(_ids(result, "XX101")) == 1
    assert _ids(_lint(make_report(), _copied(tmp_path)), "XX101") == []
