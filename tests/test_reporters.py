"""Tests for the text, JSON and SARIF reporters.

The run results are built by hand from realistic findings on 政府信息公开工作年度报告
content, so these tests do not depend on the readers or the rule packs.  Every
SARIF log is validated against the official SARIF 2.1.0 schema and every JSON
document against gklint's own schema.
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema
import pytest

from gklint.declare import load_rules
from gklint.findings import Finding, Location, Message, Notification, Severity
from gklint.formats import ReportOptions
from gklint.reporters import json as json_reporter
from gklint.reporters import sarif as sarif_reporter
from gklint.reporters import text as text_reporter
from gklint.results import FileResult, PluginInfo, RunResult
from gklint.rule import Rule

DATA = Path(__file__).parent / "data"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
GKLINT_SCHEMA = json_reporter.schema()

TXT = "reports/2023年度报告.txt"
DOCX = "reports/附件/济南市2023年报.docx"
BAD = "reports/坏文件.html"

TOTAL_LINE = "  （七）总计\t3\t0\t0\t0\t0\t0\t3"
CONTACT_LINE = "联系人：张𠀀，电话：0531-123456"
CITATION_LINE = "根据《政府信息公开条例》第五十条规定，编制本报告。"


# -- factories --------------------------------------------------------------------


def _no_check(document: Any, context: Any) -> list[Any]:
    return []


#: The national families' names, as their declarations (rules.toml) give them.
FAMILY_NAMES = {rule.family: rule.family_name for family in ("tables", "template", "citations", "contact", "crosscheck")
                for rule in load_rules(f"gklint.national.{family}")}


def make_rule(
    rule_id: str, name: str, family: str, severity: Severity, short: str, short_en: str
) -> Rule:
    return Rule(
        id=rule_id,
        name=name,
        family=family,
        severity=severity,
        short=Message(short, short_en),
        full=Message(f"{short}。详见规则说明。", f"{short_en}. See the rule documentation."),
        help=Message("按模板核对并改正数字。", "Check the figures against the template."),
        check=_no_check,
        source=Message(
            "国办公开办函〔2021〕30号 附件", "State Council GOV office letter [2021] No. 30"
        ),
        family_name=FAMILY_NAMES.get(family),
    )


RULES = {
    r.id: r
    for r in [
        make_rule(
            "GK201",
            "table3-balance",
            "GK2",
            Severity.ERROR,
            "表3收支不平衡",
            "table 3 does not balance",
        ),
        make_rule(
            "GK301",
            "template-2020-layout",
            "GK3",
            Severity.WARNING,
            "使用了旧版模板",
            "old template layout",
        ),
        make_rule(
            "GK401",
            "citation-full-title",
            "GK4",
            Severity.INFO,
            "引用文件名称不完整",
            "abbreviated citation",
        ),
        make_rule(
            "GK501",
            "contact-phone-format",
            "GK5",
            Severity.WARNING,
            "联系电话格式不规范",
            "malformed phone number",
        ),
        make_rule(
            "GK602",
            "prose-table-total",
            "GK6",
            Severity.ERROR,
            "正文与表格数字不一致",
            "prose contradicts table",
        ),
        make_rule(
            "SD101",
            "shandong-seal",
            "山东",
            Severity.WARNING,
            "缺少山东省规定的落款",
            "missing Shandong signature",
        ),
    ]
}
RULE_PLUGINS = {
    "GK201": "national-tables",
    "GK301": "national-template",
    "GK401": "national-citations",
    "GK501": "national-contact",
    "GK602": "national-crosscheck",
    "SD101": "shandong",
}
PLUGINS = [
    PluginInfo("national-tables", "gklint", "0.1.0", builtin=True, rule_ids=["GK201"]),
    PluginInfo("national-template", "gklint", "0.1.0", builtin=True, rule_ids=["GK301"]),
    PluginInfo("national-citations", "gklint", "0.1.0", builtin=True, rule_ids=["GK401"]),
    PluginInfo("national-contact", "gklint", "0.1.0", builtin=True, rule_ids=["GK501"]),
    PluginInfo("national-crosscheck", "gklint", "0.1.0", builtin=True, rule_ids=["GK602"]),
    PluginInfo("shandong", "gklint-shandong", "0.3.1", rule_ids=["SD101"]),
]


def col(line: str, text: str) -> int:
    """1-based code-point column of *text* in *line*."""
    return line.index(text) + 1


def total_finding(line: int = 60) -> Finding:
    start = col(TOTAL_LINE, "（七）总计")
    return Finding(
        rule_id="GK201",
        severity=Severity.ERROR,
        message=Message(
            "表3“（七）总计”列“自然人”：一+二=3，三（七）总计+四=2，相差1",
            "Table 3, column 自然人: 一+二=3 but 三（七）总计+四=2 (difference 1)",
        ),
        location=Location(
            TXT,
            line,
            start,
            line,
            start + 5,
            "（七）总计",
            TOTAL_LINE,
            "三、收到和处理政府信息公开申请情况 › （七）总计 › 自然人",
        ),
        plugin="national-tables",
        related=(
            (
                Location(
                    TXT,
                    line - 15,
                    3,
                    line - 15,
                    20,
                    "一、本年新收政府信息公开申请数量",
                    "",
                    "三、收到和处理政府信息公开申请情况 › 一、本年新收政府信息公开申请数量",
                ),
                Message("本年新收申请数量在此", "new applications this year"),
            ),
        ),
        key=("table3", "（七）总计", "自然人"),
    )


def contact_finding(line: int = 80) -> Finding:
    start = col(CONTACT_LINE, "0531")
    return Finding(
        rule_id="GK501",
        severity=Severity.WARNING,
        message=Message(
            "联系电话“0531-123456”位数不对", "phone number 0531-123456 has the wrong length"
        ),
        location=Location(
            TXT,
            line,
            start,
            line,
            start + len("0531-123456"),
            "0531-123456",
            CONTACT_LINE,
            "六、其他需要报告的事项",
        ),
        plugin="national-contact",
        key=("phone", "0531-123456"),
    )


def citation_finding(line: int = 3) -> Finding:
    start = col(CITATION_LINE, "《政府信息公开条例》")
    end = start + len("《政府信息公开条例》")
    loc = Location(TXT, line, start, line, end, "《政府信息公开条例》", CITATION_LINE, "标题与导语")
    return Finding(
        rule_id="GK401",
        severity=Severity.INFO,
        message=Message(
            "引用文件应写全称《中华人民共和国政府信息公开条例》", "cite the full title"
        ),
        location=loc,
        plugin="national-citations",
        fix=(loc, "《中华人民共和国政府信息公开条例》", Message("改为全称", "use the full title")),
        key=("citation", "政府信息公开条例"),
    )


def docx_findings() -> list[Finding]:
    line = "表三　收到和处理政府信息公开申请情况"
    loc = Location(DOCX, 41, 1, 41, len(line) + 1, line, line, "三、收到和处理政府信息公开申请情况")
    return [
        Finding(
            "GK301",
            Severity.WARNING,
            Message("表3使用了2020年版模板的行名", "table 3 uses the 2020 row labels"),
            loc,
            plugin="national-template",
            key=("table3", "2020"),
            fix=(loc, "表3", Message("改用2021年版模板", "use the 2021 template")),
        ),
        Finding(
            "SD101",
            Severity.WARNING,
            Message("报告末尾缺少单位落款和日期", "no signature and date at the end"),
            Location(DOCX, 120, 1, 120, 1, "", "", ""),
            plugin="shandong",
            key=("signature",),
        ),
    ]


def make_result(
    txt_line_shift: int = 0,
    *,
    fail_on: Severity | None = Severity.ERROR,
    notifications: bool = True,
    plugins: list[PluginInfo] | None = None,
) -> RunResult:
    s = txt_line_shift
    txt = FileResult(
        TXT,
        "text",
        "utf-8",
        "source",
        findings=[total_finding(60 + s), contact_finding(80 + s), citation_finding(3 + s)],
        layout="2021",
        year=2023,
    )
    docx = FileResult(
        DOCX, "docx", None, "extracted-text", findings=docx_findings(), layout="2020", year=2023
    )
    files = [txt, docx]
    if notifications:
        docx.notifications.append(
            Notification(
                "rule-crash",
                Message("规则 GK602 检查时出错，已跳过", "rule GK602 crashed and was skipped"),
                path=DOCX,
                plugin="national-crosscheck",
                rule_id="GK602",
                exception="ZeroDivisionError: division by zero",
            )
        )
        files.append(
            FileResult(
                BAD,
                "html",
                None,
                readable=False,
                notifications=[
                    Notification(
                        "unreadable",
                        Message("无法识别文件编码", "cannot detect the encoding"),
                        path=BAD,
                        exception="UnicodeDecodeError: 'gb18030' codec can't decode byte 0xff",
                    )
                ],
            )
        )
    return RunResult(
        files=files,
        rules=dict(RULES),
        rule_plugins=dict(RULE_PLUGINS),
        plugins=list(PLUGINS if plugins is None else plugins),
        notifications=[],
        fail_on=fail_on,
        version="0.1.0",
    )


def clean_result() -> RunResult:
    return RunResult(
        files=[FileResult(TXT, "text", "utf-8")],
        rules=dict(RULES),
        rule_plugins=dict(RULE_PLUGINS),
        plugins=list(PLUGINS),
        notifications=[],
        fail_on=Severity.ERROR,
        version="0.1.0",
    )


def render(reporter: Any, result: RunResult, **options: Any) -> str:
    stream = io.StringIO()
    reporter.write(result, stream, ReportOptions(**options))
    return stream.getvalue()


def sarif(result: RunResult, **options: Any) -> dict[str, Any]:
    out = render(sarif_reporter.SarifReporter(), result, **options)
    log: dict[str, Any] = json.loads(out)
    jsonschema.validate(log, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
    return log


def json_doc(result: RunResult, **options: Any) -> dict[str, Any]:
    out = render(json_reporter.JsonReporter(), result, **options)
    doc: dict[str, Any] = json.loads(out)
    jsonschema.validate(doc, GKLINT_SCHEMA, cls=jsonschema.Draft202012Validator)
    return doc


def shuffled(result: RunResult, seed: int) -> RunResult:
    rng = random.Random(seed)
    files = []
    for f in result.files:
        findings = list(f.findings)
        rng.shuffle(findings)
        files.append(dataclasses.replace(f, findings=findings))
    rng.shuffle(files)
    plugins = list(result.plugins)
    rng.shuffle(plugins)
    return dataclasses.replace(result, files=files, plugins=plugins)


# -- plugin registration ----------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "name"),
    [(text_reporter, "text"), (json_reporter, "json"), (sarif_reporter, "sarif")],
)
def test_each_module_registers_one_reporter(module: Any, name: str) -> None:
    (factory,) = module.gklint_reporters()
    assert factory.name == name
    assert factory.description
    assert hasattr(factory.create(), "write")


# -- text -------------------------------------------------------------------------


def test_text_finding_lines_and_summary() -> None:
    out = render(text_reporter.TextReporter(), make_result())
    lines = out.splitlines()
    assert (
        f"{TXT}:60:3: GK201 [错误] 表3“（七）总计”列“自然人”：一+二=3，三（七）总计+四=2，相差1"
        in lines
    )
    assert (
        f"{TXT}:80:{col(CONTACT_LINE, '0531')}: GK501 [警告] 联系电话“0531-123456”位数不对" in lines
    )
    assert (
        f"{TXT}:3:{col(CITATION_LINE, '《')}: GK401 [提示] 引用文件应写全称《中华人民共和国政府信息公开条例》"
        in lines
    )
    # files in path order, findings by line
    finding_lines = [line for line in lines if ": GK" in line or ": SD" in line]
    assert [line.split(":")[0] + ":" + line.split(":")[1] for line in finding_lines] == [
        f"{TXT}:3",
        f"{TXT}:60",
        f"{TXT}:80",
        f"{DOCX}:41",
        f"{DOCX}:120",
    ]
    assert "    相关位置：reports/2023年度报告.txt:45:3: 本年新收申请数量在此" in lines
    assert "    修复建议：改为全称" in lines
    assert (
        lines[-1]
        == "共检查 3 个文件（1 个无法读取），发现 5 个问题（错误 1，警告 3，提示 1）；运行中出现错误（见上）"
    )
    assert "\x1b[" not in out


def test_text_notifications_are_marked() -> None:
    out = render(text_reporter.TextReporter(), make_result())
    assert (
        f"{BAD}: 无法读取：无法识别文件编码（UnicodeDecodeError: 'gb18030' codec can't decode byte 0xff）"
        in out.splitlines()
    )
    assert (
        f"{DOCX}: 规则运行出错：规则 GK602 检查时出错，已跳过（插件 national-crosscheck；"
        "ZeroDivisionError: division by zero）" in out.splitlines()
    )
    # A run-level notification has no file.
    result = clean_result()
    result.notifications.append(
        Notification(
            "plugin-load",
            Message("插件 broken 无法导入", "plugin broken failed to import"),
            plugin="broken",
            exception="ImportError: No module named 'nope'",
        )
    )
    out = render(text_reporter.TextReporter(), result)
    assert (
        "gklint: 插件加载失败：插件 broken 无法导入（ImportError: No module named 'nope'）" in out
    )
    assert "检查通过" not in out
    assert out.splitlines()[-1] == "共检查 1 个文件，未发现问题，但运行中出现错误（见上）"


def test_text_clean_summary() -> None:
    assert (
        render(text_reporter.TextReporter(), clean_result())
        == "检查通过：未发现问题（共检查 1 个文件）\n"
    )
    assert render(text_reporter.TextReporter(), clean_result(), lang="en") == (
        "Passed: no problems found (1 file checked)\n"
    )


def test_text_english() -> None:
    out = render(text_reporter.TextReporter(), make_result(), lang="en")
    lines = out.splitlines()
    assert (
        f"{TXT}:60:3: GK201 [error] Table 3, column 自然人: 一+二=3 but 三（七）总计+四=2 (difference 1)"
        in lines
    )
    assert f"{DOCX}:120:1: SD101 [warning] no signature and date at the end" in lines
    assert f"{TXT}:3:{col(CITATION_LINE, '《')}: GK401 [info] cite the full title" in lines
    assert (
        f"{BAD}: unreadable: cannot detect the encoding (UnicodeDecodeError: 'gb18030' codec can't decode byte 0xff)"
        in lines
    )
    assert lines[-1] == (
        "Checked 3 files (1 unreadable), found 5 problems (1 error, 3 warnings, 1 info); "
        "gklint reported errors (see above)"
    )


def _caret_under(out: str, header: str) -> tuple[str, str]:
    lines = out.splitlines()
    i = lines.index(header)
    source, caret = lines[i + 1], lines[i + 2]
    bar = source.index("|")
    assert caret.index("|") == bar
    return source[bar + 2 :], caret[bar + 2 :]


def test_caret_aligned_by_display_width_with_supplementary_char() -> None:
    out = render(text_reporter.TextReporter(), make_result(), show_source=True)
    header = f"{TXT}:80:{col(CONTACT_LINE, '0531')}: GK501 [警告] 联系电话“0531-123456”位数不对"
    source, caret = _caret_under(out, header)
    assert source == CONTACT_LINE
    prefix = CONTACT_LINE[: CONTACT_LINE.index("0531")]  # 联系人：张𠀀，电话： — all wide
    assert text_reporter.display_width(prefix) == 2 * len(prefix) == 20
    assert caret == " " * 20 + "^" + "~" * (len("0531-123456") - 1)


def test_caret_with_tabs_and_full_width_span() -> None:
    out = render(text_reporter.TextReporter(), make_result(), show_source=True)
    header = next(line for line in out.splitlines() if line.startswith(f"{TXT}:60:3:"))
    source, caret = _caret_under(out, header)
    assert "\t" not in source and "\t" not in caret
    assert source.startswith("  （七）总计    3   0")  # tabs expanded to stops of 4 cells
    assert caret == "  ^" + "~" * 9  # five full-width characters = ten cells


def test_caret_lines_edge_cases() -> None:
    # Tab before the span: the same stops in both lines.
    text, caret = text_reporter.caret_lines("表3\t总计\t3", 4, 6)
    assert text == "表3 总计    3"
    assert caret == "    ^~~~"  # 总计 is four cells
    # Empty span: a single caret.  End beyond the line: clipped to the line.
    assert text_reporter.caret_lines("一二三", 2, 2)[1] == "  ^"
    assert text_reporter.caret_lines("一二三", 3, 99)[1] == "    ^~"
    # Multi-line finding: to the end of the first line.
    assert text_reporter.caret_lines("ab一", 2, None)[1] == " ^~~"
    # Combining mark takes no cell.
    assert text_reporter.caret_lines("e\u0301x", 3, 4)[1] == " ^"


def test_long_source_line_is_clipped_around_the_finding() -> None:
    line = "<p>" + "政府信息" * 200 + "<td>（七）总计</td>" + "x" * 500
    start = col(line, "（七）总计")
    text, caret = text_reporter.caret_lines(line, start, start + 5)
    assert text.startswith("...") and text.endswith("...")
    assert text_reporter.display_width(text) <= text_reporter.MAX_SOURCE_WIDTH + 6
    pos = caret.index("^")
    assert text_reporter.display_width(text[: text.index("（七）总计")]) == pos
    assert caret.endswith("^" + "~" * 9)


def test_quiet_and_color() -> None:
    out = render(text_reporter.TextReporter(), make_result(), quiet=True, show_source=True)
    assert "共检查" not in out and "|" not in out and "相关位置" not in out
    assert all(": GK" in line or ": SD" in line or "：" in line for line in out.splitlines())
    colored = render(text_reporter.TextReporter(), make_result(), color=True, show_source=True)
    assert "\x1b[31m[错误]\x1b[0m" in colored
    assert "\x1b[" not in render(text_reporter.TextReporter(), make_result(), show_source=True)


def test_statistics_table() -> None:
    out = render(text_reporter.TextReporter(), make_result(), statistics=True)
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("规则"))
    table = lines[i : i + 6]
    assert [row.split()[0] for row in table] == [
        "规则",
        "GK201",
        "GK301",
        "GK401",
        "GK501",
        "SD101",
    ]
    assert table[1].split() == ["GK201", "1", "错误", "表3收支不平衡"]
    assert table[2].split() == ["GK301", "1", "警告", "使用了旧版模板"]
    # Columns aligned by display width.
    positions = {text_reporter.display_width(row[: row.index(row.split()[3])]) for row in table}
    assert len(positions) == 1
    twice = dataclasses.replace(make_result(), files=[*make_result().files])
    twice.files[0].findings.append(total_finding(70))
    out = render(text_reporter.TextReporter(), twice, statistics=True, lang="en")
    row = next(line for line in out.splitlines() if line.startswith("GK201"))
    assert row.split()[:3] == ["GK201", "2", "error"]
    header = next(n for n, line in enumerate(out.splitlines()) if line.startswith("rule"))
    assert out.splitlines()[header + 1].startswith("GK201")


def test_text_deterministic() -> None:
    base = render(text_reporter.TextReporter(), make_result(), show_source=True, statistics=True)
    for seed in range(5):
        assert (
            render(
                text_reporter.TextReporter(),
                shuffled(make_result(), seed),
                show_source=True,
                statistics=True,
            )
            == base
        )


# -- JSON -------------------------------------------------------------------------


def test_json_shape() -> None:
    doc = json_doc(make_result())
    assert doc["schema_version"] == "1.2"
    assert doc["tool"]["name"] == "gklint" and doc["tool"]["version"] == "0.1.0"
    assert doc["execution_successful"] is False
    assert doc["summary"] == {
        "files": 3,
        "unreadable": 1,
        "findings": 5,
        "counts": {"error": 1, "warning": 3, "info": 1},
        "publishable": False,
        "suppressed": 0,
        "baselined": 0,
    }
    files = {f["path"]: f for f in doc["files"]}
    assert [f["path"] for f in doc["files"]] == sorted(files)
    txt = files[TXT]
    assert (txt["reader"], txt["encoding"], txt["coordinates"]) == ("text", "utf-8", "source")
    assert txt["verdict"] == {"publishable": False, "fail_on": "error"}
    assert txt["counts"] == {"error": 1, "warning": 1, "info": 1}
    total = txt["findings"][1]
    assert total["rule_id"] == "GK201"
    assert (
        total["message"]
        == total["message_zh"]
        == "表3“（七）总计”列“自然人”：一+二=3，三（七）总计+四=2，相差1"
    )
    assert total["location"] == {
        "path": TXT,
        "start_line": 60,
        "start_column": 3,
        "end_line": 60,
        "end_column": 8,
        "snippet": "（七）总计",
        "logical": "三、收到和处理政府信息公开申请情况 › （七）总计 › 自然人",
    }
    assert total["related"][0]["location"]["start_line"] == 45
    assert total["fix"] is None and total["plugin"] == "national-tables"
    assert txt["findings"][0]["fix"]["replacement"] == "《中华人民共和国政府信息公开条例》"
    docx = files[DOCX]
    assert docx["coordinates"] == "extracted-text" and docx["encoding"] is None
    assert docx["verdict"]["publishable"] is True  # warnings only, --fail-on error
    assert docx["notifications"][0]["rule_id"] == "GK602"
    bad = files[BAD]
    assert bad["readable"] is False and bad["verdict"]["publishable"] is False
    assert bad["notifications"][0]["kind"] == "unreadable"
    assert [r["id"] for r in doc["rules"]] == ["GK201", "GK301", "GK401", "GK501", "SD101"]


def test_json_english_and_fail_on() -> None:
    doc = json_doc(make_result(fail_on=Severity.WARNING), lang="en")
    assert doc["lang"] == "en"
    txt = next(f for f in doc["files"] if f["path"] == TXT)
    assert txt["findings"][2]["message"] == "phone number 0531-123456 has the wrong length"
    assert txt["findings"][2]["message_zh"] == "联系电话“0531-123456”位数不对"
    assert next(f for f in doc["files"] if f["path"] == DOCX)["verdict"] == {
        "publishable": False,
        "fail_on": "warning",
    }
    never = json_doc(make_result(fail_on=None, notifications=False))
    assert never["fail_on"] == "never"
    assert never["execution_successful"] is True
    assert never["summary"]["publishable"] is True
    assert json_doc(clean_result())["files"][0]["findings"] == []


def test_json_deterministic_and_unescaped() -> None:
    out = render(json_reporter.JsonReporter(), make_result())
    assert "自然人" in out and "\\u" not in out
    assert out.endswith("}\n")
    for seed in range(5):
        assert render(json_reporter.JsonReporter(), shuffled(make_result(), seed)) == out


def test_fingerprints_ignore_line_numbers() -> None:
    a = json_doc(make_result())
    b = json_doc(make_result(txt_line_shift=7))
    assert a["files"][0]["path"] == TXT
    fa = [f["fingerprint"] for f in a["files"][0]["findings"]]
    fb = [f["fingerprint"] for f in b["files"][0]["findings"]]
    assert a["files"][0]["findings"][1]["location"]["start_line"] == 60
    assert b["files"][0]["findings"][1]["location"]["start_line"] == 67
    assert fa == fb and len(set(fa)) == 3
    # Two identical problems in one file are told apart by occurrence.
    twice = [total_finding(60), total_finding(70)]
    prints = json_reporter.fingerprints(twice)
    assert prints[0].endswith(":1") and prints[1].endswith(":2")
    assert prints[0].split(":")[0] == prints[1].split(":")[0]


def test_json_schema_is_package_data() -> None:
    path = Path(json_reporter.__file__).parent.parent / "schemas" / "gklint-output.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == GKLINT_SCHEMA
    jsonschema.Draft202012Validator.check_schema(GKLINT_SCHEMA)


# -- SARIF ------------------------------------------------------------------------


def test_sarif_driver_rules_and_results() -> None:
    log = sarif(make_result())
    assert log["version"] == "2.1.0" and "$schema" in log
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "gklint" and driver["version"] == "0.1.0"
    assert driver["semanticVersion"] == "0.1.0" and driver["informationUri"]
    assert driver["language"] == "zh-CN"
    assert run["columnKind"] == "unicodeCodePoints"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == ["GK201", "GK301", "GK401", "GK501", "GK602"]  # fired or crashed, built-in only
    gk201 = driver["rules"][0]
    assert gk201["name"] == "table3-balance"
    assert gk201["shortDescription"]["text"] == "表3收支不平衡"
    assert gk201["fullDescription"]["text"] and gk201["help"]["text"]
    assert gk201["defaultConfiguration"]["level"] == "error"
    assert gk201["properties"]["tags"] == ["GK2 表格计算", "compliance"]

    results = run["results"]
    assert len(results) == 5
    for result in results:
        assert len(result["locations"]) == 1
        assert "gklintFinding/v1" in result["partialFingerprints"]
        if "ruleIndex" in result:
            assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    total = next(r for r in results if r["ruleId"] == "GK201")
    assert total["level"] == "error"
    assert (
        total["message"]["text"] == "表3“（七）总计”列“自然人”：一+二=3，三（七）总计+四=2，相差1"
    )
    loc = total["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"] == {
        "uri": quote(TXT),
        "uriBaseId": "%SRCROOT%",
        "index": 0,
    }
    assert loc["physicalLocation"]["region"] == {
        "startLine": 60,
        "startColumn": 3,
        "endLine": 60,
        "endColumn": 8,
        "snippet": {"text": "（七）总计"},
    }
    assert loc["logicalLocations"] == [
        {
            "fullyQualifiedName": "三、收到和处理政府信息公开申请情况 › （七）总计 › 自然人",
            "kind": "element",
        }
    ]
    assert total["relatedLocations"][0]["id"] == 1
    assert total["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 45
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {
        "GK201": "error",
        "GK301": "warning",
        "GK401": "note",
        "GK501": "warning",
        "SD101": "warning",
    }


def test_sarif_uris_are_relative_and_percent_encoded(tmp_path: Path) -> None:
    assert sarif_reporter.artifact_uri("reports/附件/济南 市.docx", ".") == (
        "reports/%E9%99%84%E4%BB%B6/%E6%B5%8E%E5%8D%97%20%E5%B8%82.docx",
        "%SRCROOT%",
    )
    assert sarif_reporter.artifact_uri("./a/../b/c:d.txt", ".") == ("b/c%3Ad.txt", "%SRCROOT%")
    inside = (tmp_path / "报告" / "2023.txt").as_posix()
    assert sarif_reporter.artifact_uri(inside, str(tmp_path)) == (
        "%E6%8A%A5%E5%91%8A/2023.txt",
        "%SRCROOT%",
    )
    outside = (tmp_path.parent / "其他.txt").as_posix()
    uri, base = sarif_reporter.artifact_uri(outside, str(tmp_path))
    assert uri.startswith("file:///") and base is None and "%E5%85%B6" in uri

    result = make_result()
    for f in result.files:
        f.path = (tmp_path / f.path).as_posix()
        f.findings = [
            dataclasses.replace(
                x, location=dataclasses.replace(x.location, path=f.path), related=()
            )
            for x in f.findings
        ]
        f.notifications = [dataclasses.replace(n, path=f.path) for n in f.notifications]
    run = sarif(result, root=str(tmp_path))["runs"][0]
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert uris == [quote(p) for p in sorted([TXT, DOCX, BAD])]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def test_sarif_artifacts_record_reader_and_coordinates() -> None:
    run = sarif(make_result())["runs"][0]
    artifacts = {a["location"]["uri"]: a for a in run["artifacts"]}
    txt = artifacts[quote(TXT)]
    assert txt["encoding"] == "utf-8"
    assert txt["properties"]["reader"] == "text"
    assert txt["properties"]["coordinates"] == "source"
    docx = artifacts[quote(DOCX)]
    assert "encoding" not in docx
    assert docx["properties"]["coordinates"] == "extracted-text"
    assert docx["properties"]["reader"] == "docx"
    assert artifacts[quote(BAD)]["properties"]["readable"] is False


def test_sarif_third_party_rules_go_to_extensions() -> None:
    run = sarif(make_result())["runs"][0]
    (ext,) = run["tool"]["extensions"]
    assert ext["name"] == "shandong" and ext["version"] == "0.3.1"
    assert ext["fullName"] == "gklint-shandong"
    assert [r["id"] for r in ext["rules"]] == ["SD101"]
    assert ext["rules"][0]["properties"]["tags"] == ["山东", "compliance"]
    sd = next(r for r in run["results"] if r["ruleId"] == "SD101")
    assert "ruleIndex" not in sd
    assert sd["rule"] == {
        "id": "SD101",
        "index": 0,
        "toolComponent": {"index": 0, "name": "shandong"},
    }
    assert "SD101" not in [r["id"] for r in run["tool"]["driver"]["rules"]]


def test_sarif_fixes_only_in_source_coordinates() -> None:
    results = sarif(make_result())["runs"][0]["results"]
    citation = next(r for r in results if r["ruleId"] == "GK401")
    (fix,) = citation["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == quote(TXT)
    (replacement,) = change["replacements"]
    start = col(CITATION_LINE, "《")
    assert replacement["deletedRegion"] == {
        "startLine": 3,
        "startColumn": start,
        "endLine": 3,
        "endColumn": start + len("《政府信息公开条例》"),
    }
    assert replacement["insertedContent"]["text"] == "《中华人民共和国政府信息公开条例》"
    assert "fixes" not in next(r for r in results if r["ruleId"] == "GK301")  # .docx


def test_sarif_notifications_and_execution_successful() -> None:
    invocation = sarif(make_result())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    crash = next(n for n in notes if n["descriptor"]["id"] == "rule-crash")
    assert crash["level"] == "error"
    assert crash["associatedRule"]["id"] == "GK602"
    assert crash["exception"] == {"kind": "ZeroDivisionError", "message": "division by zero"}
    assert crash["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == quote(DOCX)
    unreadable = next(n for n in notes if n["descriptor"]["id"] == "unreadable")
    assert unreadable["message"]["text"] == "无法识别文件编码"
    assert unreadable["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == quote(BAD)

    result = make_result(notifications=False)
    result.notifications.append(
        Notification(
            "plugin-load",
            Message("插件 broken 无法导入", "plugin broken failed to import"),
            plugin="broken",
            exception="ImportError: No module named 'nope'",
        )
    )
    invocation = sarif(result, lang="en")["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["message"]["text"] == "plugin broken failed to import"
    assert "locations" not in note and note["properties"]["plugin"] == "broken"

    ok = sarif(make_result(notifications=False))["runs"][0]["invocations"][0]
    assert ok == {"executionSuccessful": True, "toolExecutionNotifications": []}


def test_sarif_english() -> None:
    run = sarif(make_result(), lang="en")["runs"][0]
    assert run["tool"]["driver"]["language"] == "en-US"
    gk201 = run["tool"]["driver"]["rules"][0]
    assert gk201["shortDescription"]["text"] == "table 3 does not balance"
    assert gk201["properties"]["tags"] == ["GK2 table arithmetic", "compliance"]
    total = next(r for r in run["results"] if r["ruleId"] == "GK201")
    assert total["message"]["text"].startswith("Table 3, column 自然人")


def test_sarif_fingerprints_stable_when_lines_move() -> None:
    def prints(shift: int) -> dict[str, str]:
        results = sarif(make_result(txt_line_shift=shift))["runs"][0]["results"]
        return {
            r["ruleId"]: r["partialFingerprints"]["gklintFinding/v1"]
            for r in results
            if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == quote(TXT)
        }

    assert prints(0) == prints(12)
    assert len(set(prints(0).values())) == 3


def test_sarif_deterministic_whatever_the_order() -> None:
    out = render(sarif_reporter.SarifReporter(), make_result())
    assert "\\u" not in out
    for seed in range(5):
        assert render(sarif_reporter.SarifReporter(), shuffled(make_result(), seed)) == out


def test_sarif_unknown_rule_and_empty_run() -> None:
    result = clean_result()
    result.files[0].findings.append(
        Finding("GK999", Severity.ERROR, Message("未知规则", "unknown"), Location(TXT, 1, 1, 1, 1))
    )
    run = sarif(result)["runs"][0]
    assert run["tool"]["driver"]["rules"] == [
        {
            "id": "GK999",
            "shortDescription": {"text": "GK999"},
            "properties": {"tags": ["compliance"]},
        }
    ]
    assert run["results"][0]["ruleIndex"] == 0
    empty = sarif(dataclasses.replace(clean_result(), files=[]))["runs"][0]
    assert empty["results"] == [] and empty["artifacts"] == []


def test_documented_json_example_is_valid() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "json-output.md").read_text(encoding="utf-8")
    block = doc.split("```json\n", 1)[1].split("\n```", 1)[0]
    jsonschema.validate(json.loads(block), GKLINT_SCHEMA, cls=jsonschema.Draft202012Validator)
