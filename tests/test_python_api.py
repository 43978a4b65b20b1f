"""The Python API a CMS with a Python side uses: gklint.lint_text, lint_path, publishable, Linter.

Realistic reports from ``gklint.testing.make_report``; the broken one misses
table 3's balance by 1 in the 自然人 and 总计 columns (two GK201 errors).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import gklint
from gklint.findings import Finding, Severity
from gklint.testing import make_report

BROKEN = {"carried_forward": [2, 0, 0, 0, 0, 0]}


def test_lint_text_returns_findings_and_verdict():
    result = gklint.lint_text(make_report(table3=BROKEN), "2022年报.txt")
    assert result.readable and result.reader == "text" and result.path == "2022年报.txt"
    assert all(isinstance(f, Finding) for f in result.findings)
    assert [(f.rule_id, f.severity, f.location.logical.rsplit(" › ", 1)[-1]) for f in result.findings] == [
        ("GK201", Severity.ERROR, "自然人"), ("GK201", Severity.ERROR, "总计")]
    first = result.findings[0]
    assert "相差1" in first.message.zh and "difference 1" in first.message.en
    assert first.message.get("en") == first.message.en and first.location.snippet == "5"
    assert gklint.publishable(result) is False
    assert gklint.publishable(result, fail_on="never") is True and gklint.publishable(result, None) is True


def test_lint_text_clean_html_and_options():
    html = make_report(flattening="html")
    result = gklint.lint_text(html, "正文.html")
    assert result.reader == "html" and result.findings == [] and gklint.publishable(result)
    broken = gklint.lint_text(make_report(flattening="html", table3=BROKEN), "正文.html", select=["GK1"])
    assert broken.findings == [] and gklint.publishable(broken)


def test_lint_path_reads_gb18030_and_leaves_the_file_alone(tmp_path: Path):
    path = tmp_path / "年报.txt"
    path.write_bytes(make_report(table3=BROKEN).encode("gb18030"))
    before = path.read_bytes()
    result = gklint.lint_path(path)
    assert result.encoding == "gb18030" and len(result.findings) == 2 and not gklint.publishable(result)
    assert path.read_bytes() == before


def test_publishable_thresholds():
    result = gklint.lint_text(make_report(table3=BROKEN), severity={"GK201": "warning"})
    assert {f.severity for f in result.findings} == {Severity.WARNING}
    assert gklint.publishable(result) is True
    assert gklint.publishable(result, "warning") is False and gklint.publishable(result, "info") is False
    with pytest.raises(ValueError):
        gklint.publishable(result, "fatal")


def test_unreadable_is_never_publishable():
    result = gklint.lint_text(b"", "empty.txt")
    assert not result.readable and result.findings == []
    assert result.notifications[0].kind == "unreadable" and "文件为空" in result.notifications[0].message.zh
    assert gklint.publishable(result, fail_on="never") is False


def test_reusable_linter_gives_the_same_answers():
    linter = gklint.Linter()
    text = make_report(table3=BROKEN)
    reused = [linter.lint_text(text, "a.txt") for _ in range(3)]
    once = gklint.lint_text(text, "a.txt")
    assert all(r.findings == once.findings for r in reused)
    assert linter.lint_bytes(text.encode("gb18030"), "a.txt").findings[0].message == once.findings[0].message


def test_documented_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    """The Python example of docs/integration.md, run as written."""
    docs = Path(__file__).parent.parent / "docs"
    for name in ("integration.md", "integration.en.md"):
        text = (docs / name).read_text(encoding="utf-8")
        block = re.search(r"```python\n(.*?)```", text, re.S)
        assert block, name
        monkeypatch.chdir(tmp_path)
        (tmp_path / "正文.html").write_text(make_report(flattening="html", table3=BROKEN), encoding="utf-8")
        exec(compile(block.group(1), name, "exec"), {"__name__": "example"})
        out = capsys.readouterr().out
        assert "GK201" in out and "False" in out
