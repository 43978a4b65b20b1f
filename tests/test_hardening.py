"""Issue 15's hardening of the command line and the core: hostile or huge input, plugins that exit, odd paths."""

from __future__ import annotations

import pytest

from gklint.api import Linter
from gklint.cli import main
from gklint.config import Config, ConfigError


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    code = exited.value.code
    assert isinstance(code, int)
    return code, out, err


# -- a selection that selects nothing --------------------------------------------------------


@pytest.mark.parametrize("select", ["", "GKX99", "GKX99,ZZ"])
def test_select_that_selects_nothing_is_a_usage_error(capsys, workdir, select) -> None:
    code, out, err = run(capsys, "--isolated", "--select", select, "报告.txt")
    assert code == 2 and out == ""
    assert "select" in err


def test_empty_select_in_the_configuration_is_an_error(tmp_path) -> None:
    from gklint.config import parse_config

    with pytest.raises(ConfigError, match="select"):
        parse_config({"select": []}, str(tmp_path / "gklint.toml"), tmp_path)
    with pytest.raises(ConfigError, match="matches no loaded rule"):
        Linter(Config().override(select=["GKX9"]))
    # selecting nothing but extending is a selection
    assert parse_config({"select": [], "extend-select": ["GK2"]}, str(tmp_path / "gklint.toml"), tmp_path)


# -- a plugin that exits ------------------------------------------------------------------------

EXITING_RULES = '''
import sys

def _exit(doc, ctx):
    sys.exit(0)
    yield

def _interrupt(doc, ctx):
    raise KeyboardInterrupt
    yield

RULES.append(make("TST900", fn=_exit))
RULES.append(make("TST901", fn=_interrupt))
'''


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_rule_calling_sys_exit_is_a_plugin_failure_not_a_pass(site, workdir, kit, capsys, monkeypatch, jobs) -> None:
    import io

    site.add("gklint-exiting", {"exiting": "gkt_exiting"}, {"gkt_exiting": kit.pack_module(["TST101"], EXITING_RULES)})
    (workdir / "二.txt").write_text("没有占位符\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("没有占位符\n".encode())))
    code, out, err = run(capsys, "--isolated", "--select", "TST9", "--format", "json", "-j", jobs,
                         "--stdin-filename", "x.txt", "-", "二.txt")
    assert code == 2
    import json

    notes = [n for f in json.loads(out)["files"] for n in f["notifications"]]
    assert {(n["kind"], n["rule_id"]) for n in notes} == {("rule-crash", "TST900"), ("rule-crash", "TST901")}
    assert any("SystemExit" in n["message"] for n in notes) and any("KeyboardInterrupt" in n["message"] for n in notes)


def test_sys_exit_in_a_rule_reader_or_reporter_through_the_api(kit) -> None:
    import sys

    from gklint.api import publishable

    def exiting(doc, ctx):
        sys.exit(0)
        yield

    result = Linter(autoload=False, plugins=[kit.Pack(rules=[kit.make_rule("TST100", exiting)],
                                                       readers=[kit.Utf8Reader()])]).lint_text("正文")
    assert not publishable(result)
    assert [n.rule_id for n in result.notifications] == ["TST100"] and "SystemExit" in result.notifications[0].message.en

    class ExitingReader(kit.Utf8Reader):
        def read(self, data, path, limits):
            raise SystemExit(0)

    result = Linter(autoload=False, plugins=[kit.Pack(rules=[kit.make_rule()], readers=[ExitingReader()])]).lint_text("x")
    assert not result.readable and "SystemExit" in result.notifications[0].message.en
