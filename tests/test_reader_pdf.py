"""The PDF reader: generated reports printed by LibreOffice (.docx) and Chromium (HTML) read
cell for cell like their sources, the real report in ../shared/real, and every kind of bad PDF.

Printing needs ``soffice`` and ``chromium``; the tests that print skip without them.  Printed
PDFs are cached for the session (tests/_pdf_samples.py).
"""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gklint.api import Linter, lint_text
from gklint.cli import main
from gklint.config import Config
from gklint.model import Document, Span, TableStatus
from gklint.readers.base import Limits, ReadError
from gklint.readers.pdf import PdfReader, clean
from gklint.reporters import json as json_reporter
from gklint.results import FileResult
from gklint.testing import make_docx, make_report, run_cli

if "_pdf_samples" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("_pdf_samples", Path(__file__).with_name("_pdf_samples.py"))
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["_pdf_samples"] = _module
    _spec.loader.exec_module(_module)
samples: Any = sys.modules["_pdf_samples"]

LINTER = Linter(Config())


def read(data: bytes, name: str) -> Document:
    doc, result = LINTER.read_document(data, name)
    assert doc is not None, [n.message.en for n in result.notifications]
    return doc


def lint(data: bytes, name: str) -> FileResult:
    return LINTER.lint_bytes(data, name)


def cells(doc: Document, table_id: str) -> list[tuple[str, str, str]]:
    table = doc.tables[table_id]
    return [(cell.row_id, cell.column_id, cell.text) for cell in table.cells()]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code, out, err = run_cli(capsys, "--isolated", "--no-show-source", *args)
    return code, out + err


# -- generated reports, printed ------------------------------------------------------------------


def _printed(source: str, layout: str) -> tuple[Document, Document]:
    """(the PDF's document, the source's document) for the example report."""
    if source == "docx":
        data = samples.ruled_docx(make_docx(layout=layout))
        pdf = samples.docx_to_pdf([data])[0]
        return read(pdf, "r.pdf"), read(data, "r.docx")
    html = make_report(layout=layout, flattening="html")
    return read(samples.html_to_pdf(html), "r.pdf"), read(html.encode("utf-8"), "r.html")


@pytest.fixture(scope="module")
def printed_docx() -> None:
    """Print every .docx of this module in one LibreOffice run (each run starts LibreOffice anew)."""
    samples.docx_to_pdf([samples.ruled_docx(make_docx(layout=layout)) for layout in ("2021", "2020")]
                        + [make_docx(layout="2021"), samples.ruled_docx(make_docx(layout="2021"), repeat_header=3)]
                        + [_mutated(*m) for m in MUTATIONS])


@pytest.mark.parametrize("layout", ["2021", "2020"])
@pytest.mark.parametrize("source", ["docx", "html"])
def test_printed_report_reads_like_its_source(printed_docx: None, source: str, layout: str) -> None:
    pdf, original = _printed(source, layout)
    assert pdf.reader == "pdf" and pdf.coordinates == "extracted-text"
    assert [(s.number, s.key) for s in pdf.sections] == [(s.number, s.key) for s in original.sections]
    assert pdf.layout.layout == original.layout.layout == layout
    for table_id in ("table2", "table3", "table4"):
        assert cells(pdf, table_id) == cells(original, table_id), table_id
    assert pdf.metadata.title == original.metadata.title
    assert pdf.metadata.period_text == original.metadata.period_text
    assert [p.text for p in pdf.paragraphs] == [p.text for p in original.paragraphs]


def test_printed_text_equals_the_docx_text(printed_docx: None) -> None:
    """LibreOffice's print of the .docx gives exactly the .docx reader's text, table 3 over two pages."""
    for layout in ("2021", "2020"):
        pdf, original = _printed("docx", layout)
        assert pdf.text == original.text
        pages = {label.split(" › ")[0] for start, end, label in pdf.logical if " › 表2 › " in label}
        assert len(pages) >= 2, "table 3 should break across a page"


def test_repeated_header_rows_are_dropped(printed_docx: None) -> None:
    """Table 3's three header rows repeated by LibreOffice on the next page are read once."""
    import pdfplumber

    source = samples.ruled_docx(make_docx(layout="2021"), repeat_header=3)
    pdf = samples.docx_to_pdf([source])[0]
    with pdfplumber.open(io.BytesIO(pdf)) as printed:
        assert sum(page.extract_text().count("申请人情况") for page in printed.pages) >= 2
    doc, original = read(pdf, "r.pdf"), read(source, "r.docx")
    assert doc.text == original.text
    assert cells(doc, "table3") == cells(original, "table3")


def test_table_without_full_ruling_is_read_line_by_line_with_a_note() -> None:
    """Cells with only a bottom border: no confident grid, so the lines are kept apart and noted."""
    html = make_report(layout="2021", flattening="html").replace(
        '<table border="1">', '<table style="border-collapse:collapse">').replace(
        "<head>", "<head><style>td{border:none;border-bottom:1px solid #000;padding:2px 6px}</style>")
    doc = read(samples.html_to_pdf(html), "r.pdf")
    assert any("没有完整的表格线" in note for note in doc.notes)
    lines = doc.text.splitlines()
    assert "一、本年新收政府信息公开申请数量5 2 0 0 1 0 8" in lines
    assert "二、上年结转政府信息公开申请数量1 0 0 0 0 0 1" in lines
    assert [s.key for s in doc.sections] == ["overview", "active", "requests", "appeals", "problems", "other"]
    # read line by line, the tables are judged like text that lost its shape: no guessed error
    assert doc.repairs == ("unruled-tables",)
    assert all(t.status in (TableStatus.FOUND, TableStatus.UNREADABLE) for t in doc.tables.values())
    assert [f.rule_id for f in lint_text(samples.html_to_pdf(html), "r.pdf").findings
            if f.severity.value == "error"] == []


def test_table_without_any_ruling_gets_a_note(printed_docx: None) -> None:
    """python-docx's default table style draws no lines: no confident grid, a note per table region."""
    doc = read(samples.docx_to_pdf([make_docx(layout="2021")])[0], "r.pdf")
    assert any("没有表格线" in note for note in doc.notes)
    # the table's lines stay lines of their own (a garbled row label can still pass for a heading)
    assert "一、本年新收政府信息5 2 0 0 1 0 8" in doc.text.splitlines()
    assert {"overview", "active", "requests", "problems", "other"} <= {s.key for s in doc.sections}
    assert "2022年政府信息公开工作取得一定成效" in doc.text  # prose after the tables is still joined
    data = samples.docx_to_pdf([make_docx(layout="2021")])[0]
    assert [f.rule_id for f in lint_text(data, "r.pdf").findings if f.severity.value == "error"] == []


def test_page_furniture_patterns() -> None:
    from gklint.readers.pdf import _DECORATED_NUMBER, _PAGE_NUMBER

    for text in ("-1-", "— 2 —", "第 3 页", "第3页 共5页", "2 / 5", "- 12 -", "Page 3 of 9", "7"):
        assert _PAGE_NUMBER.match(text), text
    for text in ("-1-", "— 2 —", "－ 3 －"):
        assert _DECORATED_NUMBER.match(text), text
    for text in ("第二十条第（一）项", "2024年", "1 0 0 1 2", "表3"):
        assert not _PAGE_NUMBER.match(text), text


def test_page_and_line_labels(printed_docx: None) -> None:
    pdf, _ = _printed("docx", "2021")
    labels = [label for _s, _e, label in pdf.logical]
    assert labels[0] == "第1页第1行"
    assert any(label.startswith("第2页 › 表") for label in labels)
    start = pdf.text.index("2022年，东平市")
    assert re.search(r"^一、总体情况 › 第1页第\d+行$", pdf.logical_path(Span(start, start + 4)))


# -- every single-cell change in tables 3 and 4 is found -------------------------------------------


MUTATIONS = [  # (docx table index, row, column): 1 = table 3, 2 = table 4
    (1, 3, 3), (1, 5, 9), (1, 11, 4), (1, -1, 9), (2, 3, 0), (2, 3, 4), (2, 3, 12),
]


def _mutated(table: int, row: int, column: int) -> bytes:
    import docx

    document = docx.Document(io.BytesIO(samples.ruled_docx(make_docx(layout="2021"))))
    cell = document.tables[table].rows[row].cells[column]
    cell.text = str(int(cell.text) + 1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_single_cell_changes_are_found_in_the_pdf(printed_docx: None) -> None:
    sources = [_mutated(*m) for m in MUTATIONS]
    pdfs = samples.docx_to_pdf(sources)
    for mutation, source, pdf in zip(MUTATIONS, sources, pdfs, strict=True):
        from_docx = sorted({f.rule_id for f in lint(source, "r.docx").findings})
        from_pdf = sorted({f.rule_id for f in lint(pdf, "r.pdf").findings})
        assert any(rule.startswith("GK2") for rule in from_pdf), mutation
        assert from_pdf == from_docx, mutation


# -- the real report ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hongze() -> Document:
    return read(samples.shared_pdf().read_bytes(), "hongze-2024.pdf")


def test_real_report_sections_and_text(hongze: Document) -> None:
    assert [s.key for s in hongze.sections] == ["overview", "active", "requests", "appeals", "problems", "other"]
    assert hongze.metadata.title == "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
    assert hongze.metadata.year == 2024
    text = hongze.text
    assert "（国令第711号）" in text and "2024年1月1日起至2024年12月31日止" in text  # spaces around digits gone
    assert "-1-" not in text and "-4-" not in text  # page numbers dropped
    # paragraphs joined over lines and over the page break between pages 4 and 5
    assert "使各行政机关答复的方式" in text
    assert "\n（三）政府信息管理情况。加强区政府门户网站及政务新媒体日常管理，" in text


def test_real_report_tables_as_printed(hongze: Document) -> None:
    t2 = {row.id: [c.text for c in row.cells] for row in hongze.tables["table2"].rows}
    assert t2 == {"rules": ["0", "0", "0"], "normative": ["3", "0", "8"], "licensing": ["9487"],
                  "penalty": ["2776"], "enforcement": ["84"], "fees": ["7545"]}
    t3 = {row.id: [c.text for c in row.cells] for row in hongze.tables["table3"].rows if row.cells}
    zeros = ["0"] * 7
    assert t3 == {
        "new": ["95", "0", "0", "0", "0", "0", "95"], "carried_over": zeros,
        "disclosed": ["50", "0", "0", "0", "0", "0", "50"], "partly": ["9", "0", "0", "0", "0", "0", "9"],
        "withheld_1": zeros, "withheld_2": zeros, "withheld_3": ["1", "0", "0", "0", "0", "0", "1"],
        "withheld_4": zeros, "withheld_5": zeros, "withheld_6": ["1", "0", "0", "0", "0", "0", "1"],
        "withheld_7": ["1", "0", "0", "0", "0", "0", "1"], "withheld_8": zeros,
        "unable_1": ["31", "0", "0", "0", "0", "0", "31"], "unable_2": ["1", "0", "0", "0", "0", "0", "1"],
        "unable_3": zeros, "rejected_1": ["1", "0", "0", "0", "0", "0", "1"], "rejected_2": zeros,
        "rejected_3": zeros, "rejected_4": zeros, "rejected_5": zeros,
        "other_handling": zeros, "total": ["95", "0", "0", "0", "0", "0", "95"], "carried_forward": zeros,
    }
    labels = {row.id: row.found_label for row in hongze.tables["table3"].rows}
    assert labels["withheld_2"] == "2.其他法律行政止公开"  # misprinted in the report
    assert labels["partly"] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert labels["rejected_5"] == "5.要求行政机关确认或重新出具已获取信息"
    t4 = [c.text for c in hongze.tables["table4"].cells()]
    assert t4 == ["1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"]


def test_real_report_findings(hongze: Document) -> None:
    result = lint(samples.shared_pdf().read_bytes(), "hongze-2024.pdf")
    found = sorted((f.rule_id, f.location.page_text("zh")) for f in result.findings)
    assert found == [
        # table 3 keeps the 2019-2020 form's single （六）其他处理 row in a 2021-form report
        ("GK302", "第4页"),
        # “2.其他法律行政止公开”: 法规禁 missing from the row label
        ("GK303", "第3页"),
        # no word on where the electronic version is published
        ("GK507", "第1页第7行"),
        # the prose says 17 applications were received, table 3 says 95
        ("GK601", "第1页第24行"),
    ]


def test_real_report_outputs_carry_page_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(samples.shared_pdf())
    code, out = run(capsys, path)
    assert code == 1 and "（第1页第24行）: GK601" in out and "（第3页）: GK303" in out
    code, out = run(capsys, "--format", "json", path)
    report = json.loads(out)
    jsonschema.Draft202012Validator(json_reporter.schema()).validate(report)
    locations = {f["rule_id"]: f["location"] for f in report["files"][0]["findings"]}
    assert (locations["GK601"]["page"], locations["GK601"]["page_line"]) == (1, 24)
    assert locations["GK303"]["page"] == 3 and locations["GK303"]["page_line"] is None
    assert locations["GK303"]["logical"].endswith("第3页 › 表2 › 第9行 › 第3列")  # the second table of the PDF
    code, out = run(capsys, "--format", "sarif", path)
    results = json.loads(out)["runs"][0]["results"]
    by_rule = {r["ruleId"]: r["locations"][0] for r in results}
    assert by_rule["GK601"]["properties"] == {"page": 1, "pageLine": 24}
    assert by_rule["GK601"]["logicalLocations"][0]["fullyQualifiedName"].endswith("第1页第24行")
    code, out = run(capsys, "--format", "html", path)
    assert "第1页第24行（提取文本第" in out


def test_inspect_stdin_fix_and_service(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    data = samples.shared_pdf().read_bytes()
    target = tmp_path / "报告.pdf"
    target.write_bytes(data)
    with pytest.raises(SystemExit) as exited:
        main(["inspect", str(target)])
    out = capsys.readouterr().out
    assert exited.value.code == 0 and '"reader": "pdf"' in out
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out = run(capsys, "--stdin-filename", "x.pdf", "-")
    assert code == 1 and "x.pdf:" in out and "GK601" in out
    code, out = run(capsys, "--fix", str(target))
    assert "PDF" in out and "不修改 PDF" in out
    assert target.read_bytes() == data

    from gklint.server import make_app

    app = make_app(LINTER)
    status, report = _post(app, data, "application/pdf")
    assert status == 200 and report["files"][0]["path"] == "document.pdf"
    assert report["files"][0]["reader"] == "pdf"
    body = json.dumps({"filename": "洪泽.pdf", "content_base64": base64.b64encode(data).decode()}).encode()
    status, report = _post(app, body, "application/json")
    assert status == 200 and report["files"][0]["path"] == "洪泽.pdf"
    assert {f["rule_id"] for f in report["files"][0]["findings"]} == {"GK302", "GK303", "GK507", "GK601"}


def _post(app: Any, body: bytes, content_type: str) -> tuple[int, Any]:
    from wsgiref.util import setup_testing_defaults

    env: dict[str, Any] = {"REQUEST_METHOD": "POST", "PATH_INFO": "/v1/lint", "QUERY_STRING": "",
                           "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type,
                           "wsgi.input": io.BytesIO(body)}
    setup_testing_defaults(env)
    status: list[str] = []
    data = b"".join(app(env, lambda s, _headers: status.append(s)))
    return int(status[0].split()[0]), json.loads(data)


# -- bad PDFs -------------------------------------------------------------------------------------


def _bad_cases() -> list[tuple[str, bytes, str]]:
    html = make_report(flattening="html").encode("utf-8")
    return [
        ("scan", samples.image_only_pdf(3), "扫描件（共 3 页"),
        ("encrypted", samples.encrypted_pdf(), "加密"),
        ("truncated", samples.encrypted_pdf()[:-300].replace(b"/Encrypt 6 0 R", b""), "不完整"),
        ("html", html, "HTML 网页文件"),
        ("docx", make_docx(), "Word .docx"),
        ("empty", b"", "文件为空"),
        ("garbage", b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "损坏"),
        ("not-pdf", "年度报告".encode() * 10, "不是 PDF 文件"),
    ]


@pytest.mark.parametrize("case", [c[0] for c in _bad_cases()])
def test_bad_pdf_is_one_clear_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str) -> None:
    name, data, expected = next(c for c in _bad_cases() if c[0] == case)
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    code, out = run(capsys, str(path))
    assert code == 2, out
    problem = [line for line in out.splitlines() if str(path) in line]
    assert len(problem) == 1 and expected in problem[0], out
    with pytest.raises(ReadError):
        PdfReader().read(data, str(path), Limits())


def test_truncated_real_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = samples.shared_pdf().read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    code, out = run(capsys, str(path))
    assert code == 2 and "不完整" in out


def test_page_limit_names_its_setting(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(samples.shared_pdf().read_bytes())
    config = tmp_path / "gklint.toml"
    config.write_text("[limits]\nmax-pdf-pages = 3\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["--config", str(config), "--no-show-source", str(path)])
    out, err = capsys.readouterr()
    assert exited.value.code == 2 and "max-pdf-pages" in out + err and "5" in out + err
    with pytest.raises(ReadError) as error:
        PdfReader().read(path.read_bytes(), "r.pdf", Limits(max_pdf_chars=100))
    assert error.value.setting == "max-pdf-chars"


def test_clean_spacing() -> None:
    assert clean("2024 年 1 月") == "2024年1月"
    assert clean("第 711 号") == "第711号"
    assert clean("信 息 内 容") == "信息内容"
    assert clean("www.gov.cn  Tel 0517") == "www.gov.cn Tel 0517"
    assert clean("⼯作⼈⺠") == "工作人民"


def test_pdfplumber_is_imported_lazily() -> None:
    import subprocess

    code = "import gklint.readers.pdf, sys; print('pdfplumber' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_missing_pdfplumber_is_named_not_taken_for_a_damaged_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """An install without the PDF dependency says what to install; it does not call the file damaged."""
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    monkeypatch.setitem(sys.modules, "pdfplumber", None)  # import pdfplumber now raises ImportError
    with pytest.raises(ReadError) as caught:
        PdfReader().read(pdf, "r.pdf", Limits())
    assert "pip install pdfplumber" in caught.value.message.zh and "损坏" not in caught.value.message.zh
