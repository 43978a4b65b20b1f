"""Baselines: record findings, report only new ones; robust to moved text; SARIF baselineState."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from gklint.api import Linter
from gklint.baseline import BaselineError, apply_baseline, load_baseline, write_baseline
from gklint.config import Config
from gklint.formats import ReportOptions
from gklint.reporters import json as json_reporter
from gklint.reporters import sarif as sarif_reporter
from gklint.results import RunResult
from gklint.testing import make_docx, make_report

DATA = Path(__file__).parent / "data"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
CLEAN = make_report()
BAD = CLEAN.replace("电话：0538-5261234；", "").replace("（国办公开办函〔2021〕30号）", "（国办公开办函[2021]30号）")
NEW_ERROR = ("（国办函〔2020〕109号）", "（国办函[2020]109号）")
INSERTED = "（六）其他工作\n本年度还组织开展了政务公开专题培训。\n补充说明一段。\n"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Config(root=Path.cwd()))


def _lint(linter: Linter, tmp_path: Path, text: str, name: str = "r.txt") -> RunResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return linter.result([linter.lint_file(path, str(path))])


def test_baseline_hides_recorded_findings_after_lines_are_inserted(linter: Linter, tmp_path: Path) -> None:
    baseline = tmp_path / "gklint-baseline.json"
    first = _lint(linter, tmp_path, BAD)
    assert write_baseline(baseline, first.files) == 2
    # insert lines above both findings' sections, and a blank line at the top: every line number moves
    moved = "\n" + BAD.replace("一、总体情况", "一、总体情况\n" + INSERTED, 1).replace("2022年政府", "\n2022年政府", 1)
    moved = moved.replace(*NEW_ERROR)
    result = _lint(linter, tmp_path, moved)
    before = [f.location.start_line for f in first.files[0].findings]
    apply_baseline(result, baseline)
    (file,) = result.files
    assert [f.rule_id for f in file.findings] == ["GK401"] and "109" in file.findings[0].message.zh
    assert sorted(f.rule_id for f in file.baselined) == ["GK401", "GK502"]
    assert sorted(f.location.start_line for f in file.baselined) != sorted(before)
    assert result.baseline_absent == 0


def test_fixed_findings_are_absent(linter: Linter, tmp_path: Path) -> None:
    baseline = tmp_path / "b.json"
    write_baseline(baseline, _lint(linter, tmp_path, BAD).files)
    result = _lint(linter, tmp_path, CLEAN)
    apply_baseline(result, baseline)
    assert result.files[0].findings == [] and result.baseline_absent == 2


def test_identical_findings_are_counted(linter: Linter, tmp_path: Path) -> None:
    baseline = tmp_path / "b.json"
    write_baseline(baseline, _lint(linter, tmp_path, BAD).files)
    entries = load_baseline(baseline)["r.txt"]
    assert sum(entries.values()) == 2 and all(n == 1 for n in entries.values())


def test_baseline_file_is_deterministic_and_documented_shape(linter: Linter, tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_baseline(a, _lint(linter, tmp_path, BAD).files)
    write_baseline(b, _lint(linter, tmp_path, BAD).files)
    assert a.read_bytes() == b.read_bytes()
    doc = json.loads(a.read_text(encoding="utf-8"))
    assert doc["gklint_baseline"] == 1 and list(doc["files"]) == ["r.txt"]
    first = doc["files"]["r.txt"][0]
    assert set(first) == {"rule", "logical", "message", "key", "count"}
    assert not any(re.search(r"第\d+[段行]", e["logical"]) for e in doc["files"]["r.txt"])  # no positions


def test_docx_paragraph_numbers_do_not_break_it(linter: Linter, tmp_path: Path) -> None:
    import docx

    def build(extra: int) -> bytes:
        document = docx.Document(io.BytesIO(make_docx()))
        for p in document.paragraphs:
            if p.text.startswith("本报告根据"):
                p.text = p.text.replace("电话：0538-5261234；", "")
                for _ in range(extra):
                    p.insert_paragraph_before("")
                    p.insert_paragraph_before("（说明）本报告由办公室编制。")
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    baseline = tmp_path / "b.json"
    (tmp_path / "r.docx").write_bytes(build(0))
    first = linter.result([linter.lint_file(tmp_path / "r.docx", str(tmp_path / "r.docx"))])
    assert "第" in first.files[0].findings[0].location.logical  # the reader's 第N段 label
    write_baseline(baseline, first.files)
    (tmp_path / "r.docx").write_bytes(build(2))
    later = linter.result([linter.lint_file(tmp_path / "r.docx", str(tmp_path / "r.docx"))])
    assert later.files[0].findings[0].location.logical != first.files[0].findings[0].location.logical
    apply_baseline(later, baseline)
    assert later.files[0].findings == [] and len(later.files[0].baselined) == 1


def test_bad_baseline_files(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="not found"):
        load_baseline(tmp_path / "missing.json")
    (tmp_path / "x.json").write_text('{"files": {}}', encoding="utf-8")
    with pytest.raises(BaselineError, match="not a gklint baseline"):
        load_baseline(tmp_path / "x.json")
    (tmp_path / "y.json").write_text("{", encoding="utf-8")
    with pytest.raises(BaselineError):
        load_baseline(tmp_path / "y.json")


def test_sarif_baseline_state_and_json(linter: Linter, tmp_path: Path) -> None:
    baseline = tmp_path / "b.json"
    write_baseline(baseline, _lint(linter, tmp_path, BAD).files)
    result = _lint(linter, tmp_path, BAD.replace(*NEW_ERROR))
    apply_baseline(result, baseline)
    log = sarif_reporter.build(result, ReportOptions(root=str(tmp_path)))
    jsonschema.validate(log, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
    states = sorted((r["ruleId"], r["baselineState"]) for r in log["runs"][0]["results"])
    assert states == [("GK401", "new"), ("GK401", "unchanged"), ("GK502", "unchanged")]
    doc = json_reporter.build(result, ReportOptions())
    jsonschema.validate(doc, json_reporter.schema(), cls=jsonschema.Draft202012Validator)
    assert doc["summary"]["baselined"] == 2 and doc["summary"]["findings"] == 1
    assert doc["baseline"] == {"path": str(baseline), "absent": 0}
    assert [f["baseline_state"] for f in doc["files"][0]["findings"]] == ["new"]


def _gklint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gklint", "-j", "1", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_cli_write_then_compare(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(BAD, encoding="utf-8")
    proc = _gklint("--isolated", "--write-baseline", "base.json", "r.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "已把 2 个问题记入基线 base.json" in proc.stderr
    assert proc.stdout.strip().endswith("另有 2 个已记入基线，未显示")
    (tmp_path / "r.txt").write_text("\n\n" + BAD.replace(*NEW_ERROR), encoding="utf-8")
    proc = _gklint("--isolated", "--baseline", "base.json", "r.txt", cwd=tmp_path)
    assert proc.returncode == 0  # the new finding is a GK401 warning: below --fail-on error
    assert proc.stdout.count("GK401") == 1 and "GK502" not in proc.stdout
    proc = _gklint("--isolated", "--baseline", "base.json", "--fail-on", "warning", "r.txt", cwd=tmp_path)
    assert proc.returncode == 1


def test_config_key(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "r.txt").write_text(BAD, encoding="utf-8")
    assert _gklint("--isolated", "--write-baseline", "sub/base.json", "r.txt", cwd=tmp_path).returncode == 0
    (tmp_path / "gklint.toml").write_text('baseline = "sub/base.json"\n', encoding="utf-8")
    proc = _gklint("r.txt", cwd=tmp_path)
    assert proc.returncode == 0 and "GK401" not in proc.stdout, proc.stdout + proc.stderr
    (tmp_path / "gklint.toml").write_text('baseline = "missing.json"\n', encoding="utf-8")
    proc = _gklint("r.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "missing.json" in proc.stderr and "--write-baseline" in proc.stderr
