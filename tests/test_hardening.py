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
