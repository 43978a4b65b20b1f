"""The Python API and the Linter: inputs, readers, unreadable files, data, reuse."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

import gklint
from gklint.api import Linter, lint_path, lint_paths, lint_text
from gklint.config import Config, ConfigError
from gklint.findings import Message
from gklint.readers.base import ReadError


@pytest.fixture
def reports(tmp_path: Path, kit) -> Path:
    root = tmp_path / "reports"
    for name in ("2023/市政府.txt", "2023/区政府.html", "2022/年报.docx", "2023/说明.pdf", ".git/x.txt",
                 "草稿/未完成.txt", "a.htm"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(kit.REPORT, encoding="utf-8")
    return root


def _linter(kit, pack, config=None):
    return Linter(config, autoload=False, plugins=[("test-pack", pack)])


def test_lint_text_finds_and_locates(kit, pack):
    result = lint_text(kit.REPORT, "年报.txt", autoload=False, plugins=[pack])
    assert result.readable and result.reader == "utf8-test" and result.encoding == "utf-8"
    assert result.path == "年报.txt"
    lines = kit.REPORT.splitlines()
    expected = [(i + 1, line.index(kit.PLACEHOLDER) + 1) for i, line in enumerate(lines) if kit.PLACEHOLDER in line]
    assert [(f.location.start_line, f.location.start_column) for f in result.findings] == expected
    assert all(f.rule_id == "TST101" and f.plugin == "Pack" for f in result.findings)


def test_lint_text_options_are_configuration(kit, pack):
    result = lint_text(kit.REPORT.encode("utf-8"), autoload=False, plugins=[pack],
                       rules={"TST101": {"marker": "1234"}}, severity={"TST1": "warning"})
    (finding,) = result.findings
    assert finding.location.snippet == "1234" and finding.severity.value == "warning"
    assert lint_text(kit.REPORT, autoload=False, plugins=[pack], ignore=["TST"]).findings == []


def test_lint_path_reads_without_writing(tmp_path, kit, pack):
    path = tmp_path / "年报.txt"
    path.write_text(kit.REPORT, encoding="utf-8")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = lint_path(path, autoload=False, plugins=[pack])
    assert len(result.findings) == 2
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(os.listdir(tmp_path)) == ["年报.txt"]


def test_directory_recursion_is_sorted_and_filtered(reports, kit, pack, monkeypatch):
    monkeypatch.chdir(reports.parent)
    config = Config(root=reports.parent, exclude=("草稿",))
    linter = Linter(config, autoload=False, plugins=[pack])
    inputs = [i.display for i in linter.iter_inputs(["reports"])]
    assert inputs == ["reports/2022/年报.docx", "reports/2023/区政府.html", "reports/2023/市政府.txt",
                      "reports/2023/说明.pdf", "reports/a.htm"]  # PDFs are reports too
    result = linter.lint_paths(["reports/2023/市政府.txt", "reports"])  # the file is not linted twice
    assert [f.path for f in result.files] == sorted(inputs)


def test_symlink_loops_end(reports, kit, pack):
    (reports / "2023" / "loop").symlink_to(reports / "2023", target_is_directory=True)
    (reports / "2023" / "同一文件.txt").symlink_to(reports / "2023" / "市政府.txt")
    linter = Linter(autoload=False, plugins=[pack])
    inputs = [Path(i.display).name for i in linter.iter_inputs([reports / "2023"])]
    # the loop is entered no further, and the linked file (sorted first) stands for its target
    assert inputs == ["区政府.html", "同一文件.txt", "说明.pdf"]


def test_unreadable_inputs_are_reported_not_raised(tmp_path, kit, pack):
    bad = tmp_path / "乱码.txt"
    bad.write_bytes("年度报告".encode("gb18030"))
    result = lint_paths([bad, tmp_path / "不存在.txt"], autoload=False, plugins=[pack])
    by_path = {Path(f.path).name: f for f in result.files}
    for name, zh in (("乱码.txt", "不是 UTF-8 编码"), ("不存在.txt", "文件不存在")):
        file = by_path[name]
        assert not file.readable and file.reader is None
        (note,) = file.notifications
        assert note.kind == "unreadable" and note.path == file.path and zh in note.message.zh
    assert not result.execution_successful


def test_reader_crash_names_the_reader_plugin(kit):
    class Crashing(kit.Utf8Reader):
        def read(self, data, path, limits):
            raise IndexError("list index out of range")

    result = lint_text(kit.REPORT, autoload=False, plugins=[("gd-reader", kit.Pack(readers=[Crashing()]))])
    (note,) = result.notifications
    assert not result.readable
    assert "gd-reader" in note.message.zh and note.exception == "IndexError: list index out of range"


def test_read_error_with_setting_mentions_it(kit):
    class Limited(kit.Utf8Reader):
        def read(self, data, path, limits):
            raise ReadError(Message("压缩包成员过多", "too many zip members"), setting="max-docx-members")

    result = lint_text(kit.REPORT, "年报.docx", autoload=False, plugins=[kit.Pack(readers=[Limited((".docx",))])])
    assert "max-docx-members" in result.notifications[0].message.zh


def test_no_reader_at_all_is_unreadable(kit):
    result = lint_text(kit.REPORT, autoload=False, plugins=[kit.Pack(rules=[kit.make_rule()])])
    assert not result.readable and result.notifications[0].kind == "unreadable"


def test_file_size_limit(tmp_path, kit, pack):
    path = tmp_path / "大文件.txt"
    path.write_text(kit.REPORT, encoding="utf-8")
    result = lint_path(path, autoload=False, plugins=[pack], limits={"max-file-bytes": 100})
    assert not result.readable
    assert "max-file-bytes" in result.notifications[0].message.zh
    small = lint_text(kit.REPORT, autoload=False, plugins=[pack], limits={"max-file-bytes": 100})
    assert not small.readable


def test_stdin_uses_stdin_filename(kit, pack):
    linter = _linter(kit, pack)
    result = linter.lint_paths(["-"], stdin_filename="来自标准输入.txt", stdin=io.BytesIO(kit.REPORT.encode()))
    (file,) = result.files
    assert file.path == "来自标准输入.txt" and len(file.findings) == 2


def test_structure_failure_is_a_notification(kit, pack, monkeypatch):
    import gklint.structure

    def broken(source, path, data):
        raise ValueError("表3 无法解析")

    monkeypatch.setattr(gklint.structure, "build_document", broken)
    result = lint_text(kit.REPORT, autoload=False, plugins=[pack])
    assert not result.readable
    assert result.notifications[0].exception == "ValueError: 表3 无法解析"


def test_linter_is_reusable_and_loads_plugins_once(kit, pack):
    linter = _linter(kit, pack)
    first = linter.lint_bytes(kit.REPORT.encode(), "一.txt")
    second = linter.lint_bytes(kit.REPORT.replace(kit.PLACEHOLDER, "人员不足。").encode(), "二.txt")
    assert (len(first.findings), len(second.findings)) == (2, 0)
    assert pack.calls == 1
    result = linter.result([first, second])
    assert list(result.rules) == ["TST101"] and result.rule_plugins == {"TST101": "test-pack"}
    assert result.version == gklint.__version__ and result.fail_on is not None


def test_bad_data_file_is_reported_and_national_data_still_loads(tmp_path, kit, pack):
    bad = tmp_path / "gd.toml"
    bad.write_text("[[identities]]\nid = 1\n", encoding="utf-8")
    linter = Linter(autoload=False, plugins=[pack, ("gd-data", kit.Pack(data_files=[bad]))])
    (note,) = [n for n in linter.notifications if n.plugin == "gd-data"]
    assert "gd.toml" in note.message.zh and note.level == "error"
    assert {"2020", "2021"} <= set(linter.data.layouts)
    assert not linter.result([]).execution_successful


def test_rule_options_in_configuration_are_validated(kit, pack):
    with pytest.raises(ConfigError) as info:
        _linter(kit, pack, Config(source="gklint.toml", rules={"TST101": {"markr": "x"}}))
    assert "rules.TST101.markr" in info.value.message.zh and "gklint.toml" in info.value.message.zh
    with pytest.raises(ConfigError, match="must be a str"):
        _linter(kit, pack, Config(rules={"TST101": {"marker": 3}}))
    # a section for a rule that is not there is an error (a warning when a plugin is disabled or broken)
    with pytest.raises(ConfigError, match=r"\[rules.TST102\] names no rule \(did you mean TST101\?\)"):
        _linter(kit, pack, Config(rules={"TST102": {"x": 1}}, selections=()))
    linter = _linter(kit, pack, Config(rules={"GK999": {"x": 1}}, selections=(), disable_plugins=("other",)))
    assert any("GK999" in n.message.zh and n.level == "warning" for n in linter.notifications)


def test_plugin_tables_are_validated_against_defaults(kit):
    gd = kit.Pack(rules=[kit.make_rule("GD101")], defaults={"province": ""})
    with pytest.raises(ConfigError, match="plugins.gd.city"):
        Linter(Config(plugins={"gd": {"city": "广州"}}), autoload=False, plugins=[("gd", gd)])


def test_selector_matching_no_rule_warns(kit, pack):
    linter = _linter(kit, pack, Config().override(select=["GK2", "TST"]))
    assert [a.rule.id for a in linter.active] == ["TST101"]
    assert any("GK2" in n.message.en and n.level == "warning" for n in linter.notifications)
    # a selection none of whose ids matches a loaded rule would check nothing: an error
    with pytest.raises(ConfigError, match="matches no loaded rule"):
        _linter(kit, pack, Config().override(select=["GK2"]))


def test_plugin_failure_reaches_run_result(kit, pack):
    result = lint_paths([], autoload=False, plugins=[pack, ("future", kit.Pack(api="99"))])
    assert not result.execution_successful
    assert any(n.plugin == "future" for n in result.notifications)
    assert any(p.name == "future" and not p.loaded for p in result.plugins)
