"""What a new user tripped over in the first hour (issue 18): locations, order, messages, commands."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest
from lxml import html as lxml_html

from gklint.testing import make_report, run_cli

_spec = importlib.util.spec_from_file_location("_reader_samples", Path(__file__).with_name("_reader_samples.py"))
assert _spec is not None and _spec.loader is not None
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)

ROW_OK = "（一）予以公开\t\t2\t1\t0\t0\t0\t0\t3"
ROW_BAD = "（一）予以公开\t\t2\t1\t0\t0\t0\t0\t4"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, *(["--isolated", *args] if args and args[0] not in ("inspect", "serve") else args))


def _bad_cms_page() -> str:
    """The sample CMS page (tables 2, 3, 4 are the file's 1st, 2nd and 3rd) with 25 -> 26 in table 3."""
    page = samples.cms_page()
    i = page.index(">25<", page.index("一、本年新收"))
    return page[:i] + ">26<" + page[i + 4:]


# -- locations people can use ---------------------------------------------------------------


def test_logical_location_uses_the_template_table_number(tmp_path: Path, capsys) -> None:
    path = tmp_path / "report.html"
    path.write_text(_bad_cms_page(), encoding="utf-8")
    _, out, _ = run(capsys, "--format", "json", str(path))
    (gk203,) = [f for f in json.loads(out)["files"][0]["findings"] if f["rule_id"] == "GK203"]
    assert gk203["message_zh"].startswith("表3“一、本年新收")
    # the file's second table is the template's 表3: the location says so too
    assert gk203["location"]["logical"].endswith("表3 › 第4行 › 第10列")


def test_template_numbers_for_reader_labels() -> None:
    from gklint.model import Span, Table, TableStatus
    from gklint.structure import template_table_numbers

    tables = {"table3": Table(id="table3", title="", status=TableStatus.FOUND, layout="2021", span=Span(100, 200))}
    logical = [(10, 12, "第1段"), (50, 52, "表1 › 第1行 › 第2列"), (120, 122, "表2 › 第4行 › 第2列"),
               (130, 132, "表2 › 第5行 › 第2列")]
    assert template_table_numbers(logical, tables) == [
        (10, 12, "第1段"), (50, 52, "文中第1个表格 › 第1行 › 第2列"), (120, 122, "表3 › 第4行 › 第2列"),
        (130, 132, "表3 › 第5行 › 第2列")]


def test_docx_text_output_names_paragraphs_and_cells(tmp_path: Path, capsys) -> None:
    docx = pytest.importorskip("docx")
    path = tmp_path / "report.docx"
    samples.build_docx(path)
    document = docx.Document(str(path))
    changed = False
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text == "25" and not changed:
                    cell.text, changed = "26", True
    document.save(str(path))
    _, out, _ = run(capsys, str(path))
    lines = out.splitlines()
    assert any(line.startswith(f"{path}:第2段: GK507 ") for line in lines), out
    assert any(line.startswith(f"{path}:表3第4行第10列: GK203 ") for line in lines), out
    assert f"相关位置：{path}:表3第4行第4列: " in out
    # a .txt keeps line:column
    text = tmp_path / "report.txt"
    text.write_text(samples.report_text(), encoding="utf-8")
    _, out, _ = run(capsys, str(text))
    assert f"{text}:2:166: GK507 " in out


def test_gk101_findings_in_section_order(tmp_path: Path, capsys) -> None:
    text = make_report()
    lines = text.split("\n")
    # drop sections 二, 三 and 五 (headings and bodies): all three belong before a later section
    keep, skip = [], False
    for line in lines:
        if line.startswith(("二、", "三、", "五、")):
            skip = True
        elif line.startswith(("四、", "六、")):
            skip = False
        if not skip:
            keep.append(line)
    path = tmp_path / "报告.txt"
    path.write_text("\n".join(keep), encoding="utf-8")
    _, out, _ = run(capsys, "--select", "GK101", "--format", "json", str(path))
    messages = [f["message_zh"] for f in json.loads(out)["files"][0]["findings"]]
    numbers = [m[len("缺少第"):m.index("部分")] for m in messages]
    assert numbers == ["二", "三", "五"], messages
    _, out, _ = run(capsys, "--select", "GK101", str(path))
    assert [line.split("缺少第")[1][0] for line in out.splitlines() if "缺少第" in line] == ["二", "三", "五"]


def test_numeral_order() -> None:
    from gklint.findings import numeral_order

    words = ["第十部分", "第三部分", "第二部分", "第五部分", "第十一部分", "第二十部分"]
    assert sorted(words, key=numeral_order) == ["第二部分", "第三部分", "第五部分", "第十部分", "第十一部分", "第二十部分"]
    assert numeral_order("没有数字") == "没有数字"


def test_html_report_shows_errors_first_and_links_the_counts(tmp_path: Path, capsys) -> None:
    report = make_report(flattening="tabs")
    assert report.count(ROW_OK) == 1
    (tmp_path / "报告.txt").write_text(report.replace(ROW_OK, ROW_BAD), encoding="utf-8")
    out = tmp_path / "检查结果.html"
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        code, _, err = run(capsys, "--format", "html", "--output", str(out), "报告.txt",
                           "--ignore", "GK5")  # keep it to one error among other severities
    finally:
        os.chdir(cwd)
    tree = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    severities = [li.get("class").split()[-1][len("sev-"):] for li in tree.xpath('//li[contains(@class, "finding")]')]
    order = {"error": 0, "warning": 1, "info": 2}
    assert severities and severities == sorted(severities, key=order.__getitem__)
    assert severities[0] == "error"
    heads = tree.xpath('//h4[contains(@class, "severity")]')
    assert heads[0].get("id") == "report-1-error" and heads[0].text.startswith("错误")
    link = tree.xpath('//dl[@class="summary"]//span[@class="count error"]/b/a')[0]
    assert link.get("href") == "#report-1-error"
    ids = [li.get("id") for li in tree.xpath('//li[contains(@class, "finding")]')]
    assert ids == [f"finding-{i}" for i in range(1, len(ids) + 1)]


# -- commands and messages ----------------------------------------------------------------------

ROOT = Path(__file__).parent.parent
DOCS = sorted([*ROOT.glob("README*.md"), *(ROOT / "docs").glob("*.md")])


def test_docs_state_the_current_schema_version_and_their_examples_validate() -> None:
    import re

    import jsonschema

    from gklint.reporters import json as json_reporter

    schema = json_reporter.schema()
    stated = re.compile(r"schema_version[^\n]{0,40}?[`\"]\s*(\d+\.\d+)\s*[`\"]")
    checked = examples = 0
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in stated.finditer(text):
            assert m.group(1) == json_reporter.SCHEMA_VERSION, f"{doc.name}: {m.group(0)}"
            checked += 1
        for block in re.findall(r"```json\n(.*?)\n```", text, re.S):
            if '"schema_version"' in block:
                jsonschema.validate(json.loads(block), schema, cls=jsonschema.Draft202012Validator)
                examples += 1
    assert checked >= 4 and examples >= 1  # integration.md, integration.en.md, json-output.md (twice)


def test_serve_needs_no_extra_install() -> None:
    from importlib.metadata import requires

    deps = requires("gklint") or []
    assert any(d.startswith("waitress") and "extra ==" not in d for d in deps), deps
    for doc in [*DOCS, ROOT / "gklint" / "server.py"]:
        assert "gklint[server]" not in doc.read_text(encoding="utf-8"), doc.name


# -- Windows: GBK consoles ----------------------------------------------------------------------


def _gbk_run(tmp_path: Path, *args: str) -> tuple[int, bytes, bytes]:
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "PYTHONIOENCODING")}
    env["PYTHONIOENCODING"] = "gbk"
    proc = subprocess.run([sys.executable, "-m", "gklint", *args], cwd=tmp_path, capture_output=True, env=env,
                          timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_gbk_console_output_never_crashes(tmp_path: Path) -> None:
    # characters GBK cannot encode, in the title and in a line a finding shows with --show-source
    report = make_report().replace("政府信息公开工作年度报告", "政府信息公开工作年度报告😀₂⁂", 1)
    report = report.replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号😀", 1)
    (tmp_path / "报告.txt").write_text(report, encoding="utf-8")
    for args in (["--isolated", "--show-source", "报告.txt"], ["--isolated", "--lang", "en", "报告.txt"],
                 ["--isolated", "--statistics", "报告.txt"], ["--explain", "GK401"], ["--list-rules"],
                 ["inspect", "--isolated", "报告.txt"], ["--help"]):
        code, out, err = _gbk_run(tmp_path, *args)
        assert code in (0, 1), (args, err.decode("gbk", "replace"))
        assert b"Traceback" not in out + err and b"UnicodeEncodeError" not in out + err, args
        out.decode("gbk")  # a GBK console can show all of it (unencodable characters escaped)
        err.decode("gbk")
    code, out, _ = _gbk_run(tmp_path, "--isolated", "--show-source", "报告.txt")
    assert "国办公开办函[2021]30号\\U0001f600" in out.decode("gbk")


def test_machine_formats_are_utf8_when_redirected_on_a_gbk_console(tmp_path: Path) -> None:
    # (a bracket slip is a warning: the changed count makes the report fail, exit 1)
    report = make_report().replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号😀", 1).replace(
        "共收到政府信息公开申请8件", "共收到政府信息公开申请10件")
    (tmp_path / "报告.txt").write_text(report, encoding="utf-8")
    code, out, err = _gbk_run(tmp_path, "--isolated", "--format", "json", "报告.txt")
    assert code == 1 and b"Traceback" not in err
    parsed = json.loads(out.decode("utf-8"))
    assert "国办公开办函[2021]30号" in json.dumps(parsed, ensure_ascii=False)
    code, out, _ = _gbk_run(tmp_path, "--isolated", "--format", "html", "报告.txt")
    page = out.decode("utf-8")  # as its <meta charset> says, not the console's GBK
    assert code == 1 and 'charset="utf-8"' in page.lower() and "不宜发布" in page


# -- tests that explain themselves, docs for Windows ---------------------------------------------


def test_tox_shows_skip_reasons() -> None:
    import configparser

    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini", encoding="utf-8")
    commands = [tox[s]["commands"] for s in tox.sections() if "commands" in tox[s] and "pytest" in tox[s]["commands"]]
    assert len(commands) == 2 and all(" -rs " in f" {c} " for c in commands), commands


def test_readmes_say_how_to_run_on_windows_and_what_skipping_tests_need() -> None:
    for name in ("README.md", "README.en.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "py -m venv .venv" in text and ".venv\\Scripts\\gklint.exe" in text, name
        assert "../shared" in text and "chromium" in text.lower() and "-rs" in text, name
