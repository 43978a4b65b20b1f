"""The command-line pre-publish hook: ``gklint - --stdin-filename NAME --format json|sarif``.

A CMS pipes the article body; the name picks the reader.  In-process runs are
schema-checked by the ``_validate_reports`` fixture of conftest; the subprocess
runs validate their output here.  The broken report misses table 3's balance by
1 in the 自然人 and 总计 columns (two GK201 errors; see tests/test_server.py).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gklint.cli import main
from gklint.reporters import json as json_reporter
from gklint.testing import make_report

BROKEN = {"carried_forward": [2, 0, 0, 0, 0, 0]}
PAGE = make_report(flattening="html")
BROKEN_PAGE = make_report(flattening="html", table3=BROKEN)
FRAGMENT = BROKEN_PAGE.split("<body>", 1)[1].split("</body>", 1)[0]
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def hook(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: bytes, name: str,
         *args: str) -> tuple[int, dict[str, Any], str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    with pytest.raises(SystemExit) as exited:
        main(["-", "--stdin-filename", name, "--isolated", "--format", "json", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    code = exited.value.code
    assert isinstance(code, int)
    return code, json.loads(out), err


def test_whole_page_clean_is_exit_0(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, doc, _ = hook(capsys, monkeypatch, PAGE.encode("utf-8"), "正文.html")
    (file,) = doc["files"]
    assert code == 0 and (file["path"], file["reader"], file["findings"]) == ("正文.html", "html", [])
    assert file["verdict"]["publishable"] is True and doc["summary"]["publishable"] is True


def test_fragment_without_html_element(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert "<html" not in FRAGMENT and "<body" not in FRAGMENT
    code, doc, _ = hook(capsys, monkeypatch, FRAGMENT.encode("utf-8"), "正文.html")
    (file,) = doc["files"]
    assert code == 1 and file["reader"] == "html" and file["layout"] == "2021"
    assert [(f["rule_id"], f["key"][-1]) for f in file["findings"]] == [("GK201", "自然人"), ("GK201", "总计")]
    assert file["verdict"] == {"publishable": False, "fail_on": "error"}
    # the same findings as for the whole page, only the source lines differ
    _, page, _ = hook(capsys, monkeypatch, BROKEN_PAGE.encode("utf-8"), "正文.html")
    same = [(f["rule_id"], f["message"], f["location"]["logical"]) for f in page["files"][0]["findings"]]
    assert [(f["rule_id"], f["message"], f["location"]["logical"]) for f in file["findings"]] == same


def test_gb18030_text(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    data = make_report(table3=BROKEN).encode("gb18030")
    code, doc, _ = hook(capsys, monkeypatch, data, "正文.txt", "--fail-on", "never")
    (file,) = doc["files"]
    assert code == 0 and (file["reader"], file["encoding"]) == ("text", "gb18030")
    assert doc["fail_on"] == "never" and file["counts"]["error"] == 2 and file["verdict"]["publishable"] is True
    assert "相差1" in file["findings"][0]["message"]


def test_gb18030_html_fragment_without_charset(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, doc, _ = hook(capsys, monkeypatch, FRAGMENT.encode("gb18030"), "正文.htm")
    assert code == 1 and doc["files"][0]["encoding"] == "gb18030" and doc["summary"]["counts"]["error"] == 2


def test_empty_stdin_is_exit_2_with_the_reason(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, doc, err = hook(capsys, monkeypatch, b"", "正文.html")
    (file,) = doc["files"]
    assert code == 2 and file["readable"] is False and doc["execution_successful"] is False
    assert file["notifications"][0]["kind"] == "unreadable" and "文件为空" in file["notifications"][0]["message"]
    assert "正文.html" in err and "文件为空" in err


def run_cli(data: bytes, *args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "gklint", "-", "--isolated", *args], input=data,
                          capture_output=True, cwd=cwd, timeout=120)


def test_shell_pipe_json_and_sarif(tmp_path):
    """What a CMS's shell hook does: pipe the body, read the exit code, keep the JSON."""
    data = BROKEN_PAGE.encode("utf-8")
    as_json = run_cli(data, "--stdin-filename", "正文.html", "--format", "json", cwd=tmp_path)
    assert as_json.returncode == 1 and b"Traceback" not in as_json.stderr
    doc = json.loads(as_json.stdout)
    jsonschema.Draft202012Validator(json_reporter.schema()).validate(doc)
    assert doc["summary"]["publishable"] is False and doc["files"][0]["path"] == "正文.html"

    as_sarif = run_cli(data, "--stdin-filename", "正文.html", "--format", "sarif", cwd=tmp_path)
    assert as_sarif.returncode == 1
    log = json.loads(as_sarif.stdout)
    jsonschema.validate(log, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["GK201", "GK201"]

    clean = run_cli(PAGE.encode("utf-8"), "--stdin-filename", "正文.html", "--format", "json", "-q", cwd=tmp_path)
    assert clean.returncode == 0 and json.loads(clean.stdout)["summary"]["publishable"] is True
