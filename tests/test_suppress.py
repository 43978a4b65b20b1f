"""Inline suppressions in .txt, .html and .docx; reasons; unused ones; SARIF/JSON/text output."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from gklint.api import Linter
from gklint.config import Config
from gklint.formats import ReportOptions
from gklint.reporters import json as json_reporter
from gklint.reporters import sarif as sarif_reporter
from gklint.reporters.text import TextReporter
from gklint.testing import make_docx, make_report

DATA = Path(__file__).parent / "data"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
CLEAN = make_report()
PHONE = "电话：0538-5261234；"
NUMBER = "（国办公开办函〔2021〕30号）"
INTRO = "本报告根据"
#: the intro without a phone number (GK502) and with a malformed 文号 (GK401)
BAD = CLEAN.replace(PHONE, "").replace(NUMBER, "（国办公开办函[2021]30号）")


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Config(root=Path.cwd()))


def _ids(findings: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(f.rule_id for f in findings)


def _before_intro(text: str, *lines: str) -> str:
    return text.replace(INTRO, "\n".join(lines) + "\n" + INTRO, 1)


def test_unsuppressed_report_has_both_findings(linter: Linter) -> None:
    assert _ids(linter.lint_bytes(BAD.encode(), "r.txt").findings) == ["GK401", "GK502"]


def test_next_line_suppression_with_reason(linter: Linter) -> None:
    text = _before_intro(BAD, "gklint: disable=GK401 原因：文号按来文原样引用")
    result = linter.lint_bytes(text.encode(), "r.txt")
    assert _ids(result.findings) == ["GK502"]
    assert [(f.rule_id, f.suppression) for f in result.suppressed] == [("GK401", "文号按来文原样引用")]
    # the directive line is not part of the structure: the title and intro are read as before
    assert result.year == 2022 and result.layout == "2021"


def test_directive_line_does_not_shift_line_numbers(linter: Linter) -> None:
    text = _before_intro(BAD, "# gklint: disable=GK401 原因：原文如此")
    result = linter.lint_bytes(text.encode(), "r.txt")
    (gk502,) = result.findings
    intro_line = text.split("\n").index(next(line for line in text.split("\n") if line.startswith(INTRO))) + 1
    assert gk502.location.start_line == intro_line == 5


def test_prefix_and_several_codes(linter: Linter) -> None:
    text = _before_intro(BAD, "gklint: disable=GK4,GK502 reason: checked with the office")
    result = linter.lint_bytes(text.encode(), "r.txt")
    assert result.findings == []
    assert _ids(result.suppressed) == ["GK401", "GK502"]


def test_suppression_applies_to_the_next_non_empty_line_only(linter: Linter) -> None:
    # after the blank line the next line is the agency's name, not the intro with the missing phone
    text = "gklint: disable=GK502 原因：测试\n\n" + BAD
    result = linter.lint_bytes(text.encode(), "r.txt")
    assert _ids(result.findings) == ["GK002", "GK401", "GK502"]
    assert result.suppressed == []


def test_whole_file_form(linter: Linter) -> None:
    text = "gklint: disable-file=GK5 原因：电话号码另行公布\n" + BAD
    result = linter.lint_bytes(text.encode(), "r.txt")
    assert _ids(result.findings) == ["GK401"]
    assert [f.suppression for f in result.suppressed] == ["电话号码另行公布"]
    assert result.year == 2022  # the title is still the title


def test_missing_reason_does_not_suppress_and_is_reported(linter: Linter) -> None:
    text = _before_intro(BAD, "gklint: disable=GK401")
    result = linter.lint_bytes(text.encode(), "r.txt")
    assert _ids(result.findings) == ["GK001", "GK401", "GK502"]
    (gk001,) = [f for f in result.findings if f.rule_id == "GK001"]
    assert gk001.location.start_line == 4 and gk001.location.snippet == "gklint: disable=GK401"
    assert "没有写原因" in gk001.message.zh
    assert result.suppressed == []


def test_malformed_directive_is_reported(linter: Linter) -> None:
    text = _before_intro(BAD, "gklint: 忽略 GK401")
    result = linter.lint_bytes(text.encode(), "r.txt")
    assert "GK001" in _ids(result.findings) and "GK401" in _ids(result.findings)
    assert result.year == 2022  # removed from the structure all the same


def test_unused_suppression_is_reported(linter: Linter) -> None:
    text = _before_intro(CLEAN, "gklint: disable=GK201 原因：已核实")
    result = linter.lint_bytes(text.encode(), "r.txt")
    (gk002,) = result.findings
    assert gk002.rule_id == "GK002" and gk002.severity.value == "info"
    assert gk002.location.start_line == 4 and "GK201" in gk002.message.zh


def test_unused_is_not_claimed_for_rules_that_did_not_run() -> None:
    linter = Linter(Config(root=Path.cwd()).override(select=["GK0", "GK2"]))
    text = _before_intro(CLEAN, "gklint: disable=GK503 原因：已核实")
    assert linter.lint_bytes(text.encode(), "r.txt").findings == []


def test_crlf_and_gb18030(linter: Linter) -> None:
    text = _before_intro(BAD, "gklint: disable=GK401 原因：原文如此").replace("\n", "\r\n")
    result = linter.lint_bytes(text.encode("gb18030"), "r.txt")
    assert _ids(result.findings) == ["GK502"] and _ids(result.suppressed) == ["GK401"]


def test_html_comment(linter: Linter) -> None:
    html = make_report(flattening="html").replace(PHONE, "")
    page = html.replace(f"<p>{INTRO}", f"<!-- gklint: disable=GK502 原因：电话号码另行公布 -->\n<p>{INTRO}", 1)
    result = linter.lint_bytes(page.encode(), "r.html")
    assert result.findings == [] and _ids(result.suppressed) == ["GK502"]
    no_reason = html.replace(f"<p>{INTRO}", f"<!-- gklint: disable=GK502 -->\n<p>{INTRO}", 1)
    assert _ids(linter.lint_bytes(no_reason.encode(), "r.html").findings) == ["GK001", "GK502"]


def test_html_visible_text_is_not_a_directive(linter: Linter) -> None:
    html = make_report(flattening="html").replace(PHONE, "")
    page = html.replace(f"<p>{INTRO}", f"<p>gklint: disable=GK502 原因：x</p>\n<p>{INTRO}", 1)
    assert "GK502" in _ids(linter.lint_bytes(page.encode(), "r.html").findings)


def _docx(marker: str | None) -> bytes:
    import docx

    document = docx.Document(io.BytesIO(make_docx()))
    for p in document.paragraphs:
        if p.text.startswith(INTRO):
            p.text = p.text.replace(PHONE, "")
            if marker:
                p.insert_paragraph_before(marker)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_marked_paragraph(linter: Linter) -> None:
    assert _ids(linter.lint_bytes(_docx(None), "r.docx").findings) == ["GK502"]
    result = linter.lint_bytes(_docx("gklint: disable=GK502 原因：电话号码另行公布"), "r.docx")
    assert result.findings == [] and [f.suppression for f in result.suppressed] == ["电话号码另行公布"]
    assert result.year == 2022


def test_sarif_and_json_keep_suppressed_findings(linter: Linter) -> None:
    text = _before_intro(BAD, "gklint: disable=GK401 原因：文号按来文原样引用")
    result = linter.result([linter.lint_bytes(text.encode(), "r.txt")])
    log = sarif_reporter.build(result, ReportOptions())
    jsonschema.validate(log, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r.get("suppressions")) for r in results] == [
        ("GK502", None),
        ("GK401", [{"kind": "inSource", "justification": "文号按来文原样引用"}]),
    ]
    doc = json_reporter.build(result, ReportOptions())
    jsonschema.validate(doc, json_reporter.schema(), cls=jsonschema.Draft202012Validator)
    (file,) = doc["files"]
    assert [f["rule_id"] for f in file["findings"]] == ["GK502"]
    assert file["suppressed"][0]["suppression"] == {"kind": "inSource", "reason": "文号按来文原样引用"}
    # the suppressed GK401 error counts nowhere: only the GK502 warning is left
    assert doc["summary"]["suppressed"] == 1 and file["counts"] == {"error": 0, "warning": 1, "info": 0}
    assert file["verdict"]["publishable"] is True


def test_text_hides_suppressed_and_counts_them(linter: Linter) -> None:
    text = _before_intro(BAD, "gklint: disable=GK401 原因：文号按来文原样引用")
    result = linter.result([linter.lint_bytes(text.encode(), "r.txt")])
    out = io.StringIO()
    TextReporter().write(result, out, ReportOptions())
    report = out.getvalue()
    assert "GK401" not in report and "GK502" in report
    assert report.rstrip().endswith("；另有 1 个已被报告中的抑制注释忽略，未显示")
