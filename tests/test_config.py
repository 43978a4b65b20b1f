"""Configuration discovery, validation and rule selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from gklint.config import Config, ConfigError, Selection, find_config_file, load_config
from gklint.findings import Severity
from gklint.readers.base import Limits


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """project/ with reports/2023/ below it; no configuration yet."""
    (tmp_path / "project" / "reports" / "2023").mkdir(parents=True)
    return tmp_path / "project"


def test_found_upwards_from_the_working_directory(tree):
    cfg = _write(tree / "gklint.toml", 'select = ["GK2"]\nfail-on = "warning"\n')
    config = load_config(cwd=tree / "reports" / "2023")
    assert config.source == str(cfg)
    assert config.root == tree
    assert config.fail_on is Severity.WARNING
    assert config.is_selected("GK201") and not config.is_selected("GK101")


def test_pyproject_without_gklint_table_is_passed_over(tree):
    _write(tree / "gklint.toml", 'lang = "en"\n')
    _write(tree / "reports" / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config_file(tree / "reports" / "2023") == tree / "gklint.toml"


def test_nearest_file_with_gklint_config_wins(tree):
    _write(tree / "gklint.toml", 'lang = "en"\n')
    nearer = _write(tree / "reports" / "pyproject.toml", '[tool.gklint]\nfail-on = "info"\n')
    config = load_config(cwd=tree / "reports" / "2023")
    assert config.source == str(nearer)
    assert (config.lang, config.fail_on) == ("zh", Severity.INFO)  # no merging with the outer file


def test_gklint_toml_beats_pyproject_in_the_same_directory(tree):
    _write(tree / "pyproject.toml", '[tool.gklint]\nlang = "en"\n')
    _write(tree / "gklint.toml", 'lang = "zh"\n')
    assert find_config_file(tree) == tree / "gklint.toml"


def test_explicit_file_and_isolated(tree):
    _write(tree / "gklint.toml", 'lang = "en"\n')
    other = _write(tree / "ci.toml", 'fail-on = "never"\n')
    explicit = load_config(other, cwd=tree)
    assert explicit.source == str(other) and explicit.fail_on is None and explicit.lang == "zh"
    isolated = load_config(cwd=tree, isolated=True)
    assert isolated.source is None and isolated.lang == "zh"
    with pytest.raises(ConfigError, match="not found"):
        load_config(tree / "missing.toml")


def test_full_configuration_is_parsed(tree):
    _write(tree / "pyproject.toml", '''
[tool.gklint]
select = ["GK"]
ignore = ["GK4"]
extend-select = ["GK401"]
fail-on = "warning"
lang = "en"
format = "sarif"
show-source = true
disable-plugins = ["national-contact"]
exclude = ["草稿/*", "*.bak.txt"]

[tool.gklint.severity]
GK2 = "warning"
GK201 = "off"

[tool.gklint.rules.GK501]
patterns = ["0531-"]

[tool.gklint.plugins.gd]
province = "广东"

[tool.gklint.limits]
max-file-bytes = 1000
max-html-depth = 50
''')
    c = load_config(cwd=tree)
    assert (c.fail_on, c.lang, c.format, c.show_source) == (Severity.WARNING, "en", "sarif", True)
    assert c.disable_plugins == ("national-contact",)
    assert c.rules == {"GK501": {"patterns": ["0531-"]}}
    assert c.plugins == {"gd": {"province": "广东"}}
    assert c.limits == Limits(max_file_bytes=1000, max_html_depth=50)
    assert c.is_selected("GK401") and not c.is_selected("GK402") and c.is_selected("GK101")
    assert c.severity_for("GK202", Severity.ERROR) is Severity.WARNING
    assert c.severity_for("GK201", Severity.ERROR) is None
    assert c.severity_for("GK101", Severity.INFO) is Severity.INFO


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('selekt = ["GK1"]\n', "selekt"),
        ('[limits]\nmax-bytes = 5\n', "limits.max-bytes"),
        ('[format]\nname = "json"\n', "format"),
        ('fail_on = "error"\n', "fail_on"),
    ],
)
def test_unknown_or_mistyped_key_names_key_and_file(tree, text, key):
    cfg = _write(tree / "gklint.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(cwd=tree)
    message = info.value.message
    assert key in message.zh and str(cfg) in message.zh
    assert key in message.en and str(cfg) in message.en


def test_unknown_key_in_pyproject_is_named_with_its_table_and_a_suggestion(tree):
    _write(tree / "pyproject.toml", '[tool.gklint]\nextend_select = ["GK2"]\n')
    with pytest.raises(ConfigError) as info:
        load_config(cwd=tree)
    assert "未知的配置项 tool.gklint.extend_select" in info.value.message.zh
    assert "did you mean tool.gklint.extend-select?" in info.value.message.en


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('fail-on = "fatal"\n', "fail-on"),
        ('select = ["gk-2"]\n', "'GK-2'"),
        ('[severity]\nGK201 = "critical"\n', "severity.GK201"),
        ('[rules.table3]\nx = 1\n', "rules.table3"),
        ('[limits]\nmax-file-bytes = -1\n', "limits.max-file-bytes"),
        ('show-source = "yes"\n', "show-source"),
        ('select = "GK1', "TOML"),
    ],
)
def test_bad_values_are_errors(tree, text, expected):
    _write(tree / "gklint.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(cwd=tree)
    assert expected in info.value.message.en and "gklint.toml" in info.value.message.en


IDS = ["GK101", "GK201", "GK202", "GK401", "SD101"]


@pytest.mark.parametrize(
    ("layers", "enabled"),
    [
        ((), IDS),
        ((Selection(select=("GK2",)),), ["GK201", "GK202"]),
        ((Selection(ignore=("GK2",)),), ["GK101", "GK401", "SD101"]),
        ((Selection(select=("GK",), ignore=("GK20",)),), ["GK101", "GK401"]),
        # the longer selector wins, whichever list it is in
        ((Selection(select=("GK201",), ignore=("GK2",)),), ["GK201"]),
        ((Selection(select=("GK2",), ignore=("GK2",)),), []),  # a tie: ignore wins
        ((Selection(ignore=("ALL",), extend_select=("SD",)),), ["SD101"]),
        # command line on top of the file: select resets, ignore/extend-select carry over
        ((Selection(select=("GK2",)), Selection(extend_select=("GK4",))), ["GK201", "GK202", "GK401"]),
        ((Selection(select=("GK2",)), Selection(select=("GK1",))), ["GK101"]),
        ((Selection(ignore=("GK1",)), Selection(ignore=("GK202",))), ["GK201", "GK401", "SD101"]),
        ((Selection(ignore=("GK2",)), Selection(extend_select=("GK202",))), ["GK101", "GK202", "GK401", "SD101"]),
    ],
)
def test_selection_layers(layers, enabled):
    config = Config(selections=layers)
    assert [i for i in IDS if config.is_selected(i)] == enabled


def test_command_line_overrides_file(tree):
    _write(tree / "gklint.toml", 'select = ["GK2"]\nfail-on = "warning"\ndisable-plugins = ["a"]\n'
                                 '[severity]\nGK201 = "info"\n[limits]\nmax-file-bytes = 10\n')
    config = load_config(cwd=tree).override(
        ignore=["GK201"], fail_on="never", lang="en", disable_plugins=["b"],
        severity={"GK202": "warning"}, limits={"max-docx-members": 5}, show_source=None)
    assert config.fail_on is None and config.lang == "en"
    assert not config.is_selected("GK201") and config.is_selected("GK202") and not config.is_selected("GK101")
    assert config.disable_plugins == ("a", "b")
    assert dict(config.severity) == {"GK201": "info", "GK202": "warning"}
    assert (config.limits.max_file_bytes, config.limits.max_docx_members) == (10, 5)
    assert config.source == str(tree / "gklint.toml")


def test_bad_command_line_value_names_the_command_line():
    with pytest.raises(ConfigError) as info:
        Config().override(fail_on="sometimes")
    assert info.value.message.zh.startswith("命令行")
    assert "fail-on" in info.value.message.en
    with pytest.raises(ConfigError, match="unknown configuration key colour"):
        Config().override(colour=True)


def test_exclude_globs(tree):
    config = Config(root=tree, exclude=("草稿", "reports/2023/*.bak.txt"))
    assert config.is_excluded(tree / "草稿")
    assert config.is_excluded(tree / "reports" / "2023" / "年报.bak.txt")
    assert not config.is_excluded(tree / "reports" / "2023" / "年报.txt")
