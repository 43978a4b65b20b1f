"""The command line: exit codes, options, plugin failures without tracebacks, output files.

Plugins reach the CLI the way real packs do: as entry points of small
distributions installed into a directory on ``sys.path``.  ``--select TST``
keeps the national rules out of these tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gklint
from gklint.testing import run_cli

LINT = ["报告.txt", "--select", "TST", "--format", "lines"]

CRASHING_RULE = '''
def _boom(doc, ctx):
    raise ZeroDivisionError("division by zero")

RULES.append(make("TST900", fn=_boom))
'''

WARNING_ONLY = '''
RULES[:] = [make("TST201", severity=Severity.WARNING)]
'''

BROKEN_IMPORT = 'raise ImportError("缺少依赖 gd_cms_parser")\n'


run = run_cli


@pytest.fixture
def installed(site, workdir, kit):
    """The test pack installed as distribution gklint-test-pack 0.3 (entry point test-pack)."""
    site.add("gklint-test-pack", {"test-pack": "gkt_pack_mod"}, {"gkt_pack_mod": kit.pack_module(["TST101"])},
             version="0.3")
    return site


def _placeholder_lines(kit, path="报告.txt"):
    out = []
    for number, line in enumerate(kit.REPORT.splitlines(), 1):
        if kit.PLACEHOLDER in line:
            out.append(f"{path}:{number}:{line.index(kit.PLACEHOLDER) + 1}: TST101 报告中留有占位符“（此处待填）”")
    return out


def test_findings_exit_1_with_exact_output(installed, capsys, kit):
    code, out, err = run(capsys, *LINT)
    assert code == 1
    assert out.splitlines() == _placeholder_lines(kit)
    assert err == ""


def test_english_messages(installed, capsys):
    code, out, _ = run(capsys, *LINT, "--lang", "en")
    assert code == 1 and "placeholder left in the report" in out


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--fail-on", "never"], 0),
        (["--ignore", "TST101"], 0),
        (["--ignore", "TST", "--extend-select", "TST1"], 1),
        (["--select", "GK1,TST"], 1),
        (["--fail-on", "info"], 1),
    ],
)
def test_exit_code_follows_fail_on_and_selection(installed, capsys, extra, expected):
    code, _, _ = run(capsys, *LINT, *extra)
    assert code == expected


def test_warning_findings_pass_by_default_but_fail_on_warning(site, workdir, capsys, kit):
    site.add("gklint-test-pack", {"test-pack": "gkt_warn_mod"},
             {"gkt_warn_mod": kit.pack_module(["TST101"], WARNING_ONLY)})
    assert run(capsys, *LINT)[0] == 0
    assert run(capsys, *LINT, "--fail-on", "warning")[0] == 1


def test_clean_report_exits_0(installed, workdir, capsys, kit):
    (workdir / "报告.txt").write_text(kit.REPORT.replace(kit.PLACEHOLDER, "人员不足。"), encoding="utf-8")
    code, out, _ = run(capsys, *LINT)
    assert (code, out) == (0, "")


def test_plugin_failing_at_import_exit_2_named_without_traceback(installed, capsys, kit):
    installed.add("gklint-pack-gd", {"gd-cms": "gd_cli_broken"}, {"gd_cli_broken": BROKEN_IMPORT}, version="2.0")
    code, out, err = run(capsys, *LINT)
    assert code == 2
    assert out.splitlines() == _placeholder_lines(kit)  # the run went on
    assert "gd-cms" in err and "gklint-pack-gd" in err and "ImportError: 缺少依赖 gd_cms_parser" in err


def test_rule_crash_exit_2_names_rule_plugin_and_file(site, workdir, capsys, kit):
    site.add("gklint-test-pack", {"test-pack": "gkt_crash_mod"},
             {"gkt_crash_mod": kit.pack_module(["TST101"], CRASHING_RULE)})
    code, out, err = run(capsys, *LINT)
    assert code == 2
    assert out.splitlines() == _placeholder_lines(kit)  # TST101 still ran
    (line,) = [x for x in err.splitlines() if "TST900" in x]
    assert "test-pack" in line and "报告.txt" in line and "ZeroDivisionError: division by zero" in line


def test_subprocess_plugin_failures_never_show_a_traceback(installed, workdir):
    installed.add("gklint-pack-gd", {"gd-cms": "gd_sub_broken"}, {"gd_sub_broken": BROKEN_IMPORT})
    env = {**os.environ, "PYTHONPATH": str(installed.root)}
    proc = subprocess.run([sys.executable, "-m", "gklint", *LINT], cwd=workdir, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "gd-cms" in proc.stderr and "TST101" in proc.stdout


def test_unknown_format_lists_available(installed, capsys):
    code, _, err = run(capsys, "报告.txt", "--format", "xml")
    assert code == 2
    assert "xml" in err and "lines" in err


@pytest.mark.parametrize("args", [["--no-such-option"], ["--fail-on", "sometimes", "报告.txt"], []])
def test_usage_errors_exit_2(installed, capsys, args):
    assert run(capsys, *args)[0] == 2


def test_missing_and_unreadable_inputs_exit_2(installed, workdir, capsys):
    (workdir / "乱码.txt").write_bytes("年度报告".encode("gb18030"))
    code, _, err = run(capsys, "乱码.txt", "不存在.txt", "--select", "TST", "--format", "lines")
    assert code == 2
    assert "乱码.txt" in err and "不是 UTF-8 编码" in err
    assert "不存在.txt" in err and "文件不存在" in err


def test_bad_configuration_is_one_line_naming_key_and_file(installed, workdir, capsys):
    (workdir / "gklint.toml").write_text('selekt = ["GK2"]\n', encoding="utf-8")
    code, out, err = run(capsys, *LINT)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "selekt" in err and "gklint.toml" in err and "未知的配置项" in err
    code, _, err = run(capsys, *LINT, "--lang", "en")
    assert code == 2 and "unknown configuration key selekt" in err
    assert run(capsys, *LINT, "--isolated")[0] == 1


def test_configuration_file_values_and_cli_override(installed, workdir, capsys):
    (workdir / "pyproject.toml").write_text('[tool.gklint]\nfail-on = "never"\nformat = "lines"\n'
                                            'select = ["TST"]\n', encoding="utf-8")
    code, out, _ = run(capsys, "报告.txt")
    assert code == 0 and "TST101" in out
    assert run(capsys, "报告.txt", "--fail-on", "error")[0] == 1
    other = workdir / "ci.toml"
    other.write_text('select = ["TST"]\nformat = "lines"\n', encoding="utf-8")
    assert run(capsys, "报告.txt", "--config", str(other))[0] == 1


def test_output_file_is_written_atomically(installed, workdir, capsys, kit):
    code, out, err = run(capsys, *LINT, "--output", "结果.txt")
    assert code == 1 and out == ""
    assert err == f"gklint: 检查结果已写入 {workdir / '结果.txt'}\n"  # where the report went
    assert (workdir / "结果.txt").read_text(encoding="utf-8").splitlines() == _placeholder_lines(kit)
    assert sorted(p.name for p in workdir.iterdir()) == ["报告.txt", "结果.txt"]  # no temporary left


def test_output_never_overwrites_an_input(installed, workdir, capsys, kit):
    code, _, err = run(capsys, *LINT, "--output", "报告.txt")
    assert code == 2 and "报告.txt" in err
    assert (workdir / "报告.txt").read_text(encoding="utf-8") == kit.REPORT


def test_stdin_with_stdin_filename(installed, capsys, monkeypatch, kit):
    import io

    fake = io.TextIOWrapper(io.BytesIO(kit.REPORT.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    code, out, _ = run(capsys, "-", "--stdin-filename", "草稿/年报.txt", "--select", "TST", "--format", "lines")
    assert code == 1
    assert out.splitlines() == _placeholder_lines(kit, "草稿/年报.txt")


def test_directory_argument(installed, workdir, capsys, kit):
    sub = workdir / "年报"
    sub.mkdir()
    (sub / "b.txt").write_text(kit.REPORT, encoding="utf-8")
    (sub / "a.txt").write_text(kit.REPORT, encoding="utf-8")
    code, out, _ = run(capsys, "年报", "--select", "TST", "--format", "lines")
    assert code == 1
    assert out.splitlines() == _placeholder_lines(kit, "年报/a.txt") + _placeholder_lines(kit, "年报/b.txt")


def test_list_rules_in_chinese(installed, capsys):
    code, out, _ = run(capsys, "--list-rules")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split() == ["编号", "类别", "级别", "说明", "插件"]
    (row,) = [r for r in rows if r.startswith("TST101")]
    assert row.split() == ["TST101", "测试", "错误", "报告中不应留有占位符", "test-pack"]


def test_explain(installed, capsys):
    code, out, _ = run(capsys, "--explain", "TST101")
    assert code == 0
    for text in ("TST101 placeholder-left", "报告中不应留有占位符", "年度报告发布前应删除占位符。",
                 "依据", "《政府信息公开条例》第五十条", "如何修改", "反例", "（此处待填）", "正例",
                 "人员不足。", "[tool.gklint.rules.TST101]", 'marker = "（此处待填）"'):
        assert text in out, text
    code, out, _ = run(capsys, "--explain", "TST101", "--lang", "en")
    assert "Normative source" in out and "OGI Regulations art. 50" in out
    code, _, err = run(capsys, "--explain", "TST999")
    assert code == 2 and "TST999" in err


def test_list_plugins_shows_versions_and_errors(installed, capsys):
    installed.add("gklint-pack-gd", {"gd-cms": "gd_list_broken"}, {"gd_list_broken": BROKEN_IMPORT}, version="2.0")
    code, out, err = run(capsys, "--list-plugins", "--disable-plugin", "national-contact")
    assert code == 2  # a plugin failed to load
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert rows["test-pack"].split() == ["test-pack", "gklint-test-pack", "0.3", "已加载", "TST101", "全国"]
    assert "ImportError" in rows["gd-cms"] and "gklint-pack-gd" in rows["gd-cms"]
    assert "已禁用" in rows["national-contact（内置）"]
    assert "gd-cms" in err


def test_version_lists_loaded_plugins(installed, capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"gklint {gklint.__version__}"
    assert lines[1].startswith("Python ")
    assert any(line.split()[:3] == ["test-pack", "gklint-test-pack", "0.3"] for line in lines)


def test_inspect_prints_json(installed, capsys):
    code, out, _ = run(capsys, "inspect", "报告.txt")
    assert code == 0
    payload = json.loads(out)
    assert isinstance(payload, dict)
    assert "\\u" not in out  # Chinese is written as is
    assert run(capsys, "inspect", "不存在.txt")[0] == 2


def test_internal_error_is_one_line(installed, capsys, monkeypatch):
    import gklint.api

    def explode(*args, **kwargs):
        raise RuntimeError("意外")

    monkeypatch.setattr(gklint.api.Linter, "lint_paths", explode)
    code, out, err = run(capsys, *LINT)
    assert code == 2
    assert err.strip() == "gklint: 错误: 内部错误：RuntimeError: 意外（请报告此问题）"


def test_reporter_crash_names_the_format(installed, capsys, monkeypatch):
    import gkt_pack_mod

    def broken(self, result, stream, options):
        raise ValueError("坏了")

    monkeypatch.setattr(gkt_pack_mod.Lines, "write", broken)
    code, _, err = run(capsys, *LINT)
    assert code == 2 and "lines" in err and "ValueError: 坏了" in err


def test_default_text_format_is_used(installed, capsys):
    code, out, _ = run(capsys, "报告.txt", "--select", "TST", "--no-show-source")
    assert code == 1 and "TST101" in out


def test_python_dash_m_works(workdir):
    proc = subprocess.run([sys.executable, "-m", "gklint", "--help"], cwd=workdir, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 0 and "--fail-on" in proc.stdout


def test_help_exits_0(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "退出码" in out
    # the default command's options, then every command
    from gklint.cli import COMMANDS

    assert "--fail-on" in out and "--list-rules" in out
    listed = out.split("Commands:")[1]
    for name in COMMANDS:
        assert f"\n  {name} " in listed, name


@pytest.mark.parametrize(("command", "option"), [
    (["rules"], ["--list-rules"]),
    (["explain", "GK201"], ["--explain", "GK201"]),
    (["plugins"], ["--list-plugins"]),
    (["check", "--isolated", "--lang", "en", "--list-rules"], ["--isolated", "--lang", "en", "--list-rules"]),
])
def test_commands_print_what_the_options_print(capsys, command, option):
    assert run(capsys, *command) == run(capsys, *option)


def test_check_is_the_default_command(installed, capsys):
    assert run(capsys, "check", *LINT) == run(capsys, *LINT)


def test_a_file_named_like_a_command_is_linted_by_its_path(installed, workdir, capsys):
    (workdir / "rules").write_bytes((workdir / "报告.txt").read_bytes())
    code, out, _ = run(capsys, "./rules", "--select", "TST", "--format", "lines")
    assert code == 1 and "rules:" in out


def test_import_of_cli_stays_light():
    code = ("import sys, gklint.cli; heavy = [m for m in ('lxml', 'docx', 'chardet', 'gklint.api', "
            "'gklint.reporters.sarif', 'gklint.national') if m in sys.modules]; print(heavy)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).parent)
    assert proc.stdout.strip() == "[]"


def test_report_options_reach_the_reporter(installed, capsys, monkeypatch):
    import gkt_pack_mod

    seen = []
    monkeypatch.setattr(gkt_pack_mod.Lines, "write", lambda self, result, stream, options: seen.append(options))
    run(capsys, *LINT)
    run(capsys, *LINT, "--quiet", "--statistics", "--lang", "en", "--show-source")
    default, chosen = seen
    assert (default.lang, default.quiet, default.statistics, default.show_source, default.color) == (
        "zh", False, False, False, False)  # not a terminal: no source, no colour
    assert (chosen.lang, chosen.quiet, chosen.statistics, chosen.show_source) == ("en", True, True, True)


def test_unwritable_output_is_one_line(installed, workdir, capsys):
    code, _, err = run(capsys, *LINT, "--output", str(workdir / "没有这个目录" / "out.txt"))
    assert code == 2
    assert err.count("\n") == 1 and "--output" in err and "没有这个目录" in err


def test_click_runner_sees_the_same_exit_codes(installed):
    from click.testing import CliRunner

    from gklint.cli import cli

    runner = CliRunner()
    assert runner.invoke(cli, LINT).exit_code == 1
    assert runner.invoke(cli, [*LINT, "--fail-on", "never"]).exit_code == 0
    bad = runner.invoke(cli, ["报告.txt", "--format", "xml"])
    assert bad.exit_code == 2 and "xml" in bad.output
