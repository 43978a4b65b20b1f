"""Text that lost its shape (copied out of a PDF, crawled): what :mod:`gklint.reflow` repairs,
how tables are judged (read, reconstructed, unreadable), and that findings still point into the input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gklint.api import lint_text
from gklint.inspect import inspect_document
from gklint.model import TableStatus
from gklint.reflow import reflow
from gklint.testing import FLATTENINGS, load_document, located, make_report

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _errors(result) -> list[str]:
    return [f.rule_id for f in result.findings if f.severity.value == "error"]


def _ids(result) -> list[str]:
    return [f.rule_id for f in result.findings]


def _check_offsets(source: str) -> None:
    """Every character of the repaired text is the source character it claims to come from."""
    repaired = reflow(source)
    assert repaired is not None
    assert len(repaired.offsets) == len(repaired.text) + 1
    for ch, at in zip(repaired.text, repaired.offsets, strict=False):
        if ch != "\n":
            assert source[at] == ch


# -- a report as a PDF viewer's "copy" gives it -------------------------------------------------


def _spaced(line: str) -> str:
    """Spaces between CJK and digits, as glyph placement in a PDF puts them."""
    line = re.sub(r"(?<=[\u4e00-\u9fff〕）])(\d+)", r" \1", line)
    return re.sub(r"(\d+)(?=[\u4e00-\u9fff])", r"\1 ", line)


def _width(text: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def _wrap(line: str, width: int = 54) -> list[str]:
    """Hard-wrap a paragraph at *width* display columns (a printed A4 line), first line indented."""
    out: list[str] = []
    current = "  "
    for ch in line:
        if _width(current + ch) > width:
            out.append(current)
            current = ""
        current += ch
    if current:
        out.append(current)
    return out


def pdf_copy(text: str, page_every: int = 28) -> str:
    """*text* (tab-separated tables) as copied out of a PDF: prose wrapped and spaced, page numbers between lines."""
    lines: list[str] = []
    for line in text.split("\n"):
        if "\t" in line or _width(line) <= 54:
            lines.append(line)
        else:
            lines.extend(_wrap(_spaced(line)))
    out: list[str] = []
    page = 1
    for i, line in enumerate(lines, 1):
        out.append(line)
        if i % page_every == 0:
            out.extend(["", f"                 - {page} -", ""])
            page += 1
    return "\n".join(out) + "\n"


def test_text_that_kept_its_shape_is_not_touched() -> None:
    for flattening in FLATTENINGS:
        for layout in ("2021", "2020"):
            assert reflow(make_report(flattening=flattening, layout=layout)) is None
    seeds = SHARED / "seeds"
    for seed in sorted(seeds.glob("*.txt")) if seeds.is_dir() else []:
        assert reflow(seed.read_text(encoding="utf-8")) is None, seed.name


def test_page_numbers_spaces_and_wraps_are_repaired_with_offsets_into_the_input() -> None:
    source = (
        "  本报告中所列数据统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止。如对本报告有疑问，请与本\n"
        "机关办公室联系（电 话 ：0517-87290606）。本报告根据《中华人民共和国政府信息公开条例》（国务院\n"
        "令第 711 号）编制。\n"
        "\n"
        "                                 — 2 —\n"
        "\n"
        "  一、总体情况\n"
        "  2024 年，本机关共收到申请 17 件。\n"
        "                                 第 3 页\n"
        "行政许可          9487\n"
    )
    repaired = reflow(source)
    assert repaired is not None
    assert repaired.repairs == ("page-numbers", "inserted-spaces", "hard-wraps")
    assert "统计期限自2024年1月1日起至2024年12月31日止。如对本报告有疑问，请与本机关办公室联系（电话：0517-87290606）" in repaired.text
    assert "（国务院令第711号）编制。\n" in repaired.text
    assert "— 2 —" not in repaired.text and "第 3 页" not in repaired.text
    assert "  一、总体情况\n  2024年，本机关共收到申请17件。\n行政许可          9487\n" in repaired.text
    _check_offsets(source)


def test_digits_apart_stay_apart() -> None:
    source = "统计期限自 2024 年 1 月 1 日起。\n— 1 —\n一、本年新收政府信息公开申请数量  5 2 0 0 1 0 8\n"
    repaired = reflow(source)
    assert repaired is not None
    assert "5 2 0 0 1 0 8" in repaired.text


def test_a_clean_report_copied_out_of_a_pdf_has_no_finding_and_its_tables_are_read() -> None:
    for layout in ("2021", "2020"):
        text = pdf_copy(make_report(flattening="tabs", layout=layout))
        result = lint_text(text, "copy.txt")
        assert _ids(result) == [], [(f.rule_id, f.message.zh) for f in result.findings]
        doc = load_document(text)
        assert doc.repairs
        assert {t.status for t in doc.tables.values()} == {TableStatus.FOUND}


def test_findings_point_at_the_input_line_and_column() -> None:
    text = pdf_copy(make_report(flattening="tabs").replace("〔2021〕30号", "[2021]30号"))
    result = lint_text(text, "copy.txt")
    gk401 = [f for f in result.findings if f.rule_id == "GK401"]
    assert len(gk401) == 1
    where = located(text, "[2021]")
    assert (gk401[0].location.start_line, gk401[0].location.start_column) == (where.line, where.column - 6)


def test_a_spaced_document_number_is_not_malformed() -> None:
    text = pdf_copy(make_report(flattening="tabs", layout="2020"))
    assert "〔2019〕 60 号" in text or "〔2019〕60 号" in text
    result = lint_text(text, "copy.txt")
    assert "GK401" not in _ids(result)


def test_a_period_broken_over_two_lines_is_read() -> None:
    text = pdf_copy(make_report(flattening="tabs"))
    assert "统计期限自 2022 年 1\n 月 1 日起至 2022 年 12 月 31 日止" in text
    doc = load_document(text)
    assert doc.metadata.period_start == (2022, 1, 1) and doc.metadata.period_end == (2022, 12, 31)
    assert not {"GK604", "GK605", "GK607", "GK608"} & set(_ids(lint_text(text, "copy.txt")))


def test_a_defect_in_a_copied_report_is_still_found() -> None:
    clean = make_report(flattening="tabs")
    wrong = clean.replace("（七）总计\t\t5\t2\t0\t0\t1\t0\t8", "（七）总计\t\t5\t2\t0\t0\t1\t0\t9")
    assert wrong != clean
    result = lint_text(pdf_copy(wrong), "copy.txt")
    assert "GK203" in _errors(result)
    text = pdf_copy(clean.replace("共收到政府信息公开申请8件", "共收到政府信息公开申请10件"))
    assert "GK601" in _errors(lint_text(text, "copy.txt"))


# -- tables that cannot be read ----------------------------------------------------------------------


def _scrambled_table3(text: str) -> str:
    """Table 3 as plain ``pdftotext`` gives it: labels in one block, the values column by column."""
    start = text.index("（本列数据的勾稽关系为")
    end = text.index("四、政府信息公开行政复议、行政诉讼情况")
    rows = [line.split("\t") for line in text[start:end].split("\n") if line.strip()]
    labels = [c for row in rows for c in row if c and not c.isdigit()]
    values = [[c for c in row if c.isdigit()] for row in rows]
    columns = ["\n".join(v[i] for v in values if len(v) > i) for i in range(7)]
    return text[:start] + "\n".join(labels) + "\n" + "\n\n".join(columns) + "\n" + text[end:]


def test_an_unreadable_table_gets_one_warning_and_no_guesses() -> None:
    text = pdf_copy(_scrambled_table3(make_report(flattening="tabs")))
    result = lint_text(text, "copy.txt")
    assert _errors(result) == []
    assert _ids(result).count("GK209") == 1
    gk209 = next(f for f in result.findings if f.rule_id == "GK209")
    assert "表3" in gk209.message.zh and ".docx" in gk209.message.zh
    assert not {"GK201", "GK202", "GK203", "GK206", "GK303", "GK304", "GK305", "GK601"} & set(_ids(result))
    doc = load_document(text)
    table = doc.tables["table3"]
    assert table.status is TableStatus.UNREADABLE and table.notes
    shown = inspect_document(doc)["tables"]["table3"]
    assert shown["reading"] == "unreadable" and shown["reasons"] == table.notes
    assert inspect_document(doc)["tables"]["table2"]["reading"] == "read"


# -- cells run together --------------------------------------------------------------------------------


def _run_on(text: str) -> str:
    """Each table row's cells run together with no separator, as a crawler drops them."""
    return "\n".join("".join(c for c in line.split("\t") if c.strip()) if "\t" in line else line
                     for line in text.split("\n"))


def test_run_on_cells_are_split_when_exactly_one_split_fits() -> None:
    text = _run_on(make_report(flattening="tabs", table3={"new": [12, 2, 0, 0, 1, 0]}))
    assert "一、本年新收政府信息公开申请数量122001015" in text
    result = lint_text(text, "crawled.txt")
    assert _errors(result) == []
    assert _ids(result).count("GK210") == 3  # tables 2, 3 and 4
    doc = load_document(text)
    assert doc.tables["table3"].reconstructed
    assert [c.value for c in doc.table("table3").row("new").cells] == [12, 2, 0, 0, 1, 0, 15]
    cell = doc.table("table3").cell("new", "total")
    assert doc.snippet(cell.span) == "15"


def test_run_on_cells_one_digit_each_are_split_and_checked() -> None:
    text = _run_on(make_report(flattening="tabs")).replace("（七）总计5200108", "（七）总计5200109")
    result = lint_text(text, "crawled.txt")
    assert {"GK202", "GK203"} <= set(_errors(result))  # the only split: the total is wrong, and said so
    assert "GK209" not in _ids(result)


def test_run_on_cells_that_no_split_balances_are_not_guessed() -> None:
    text = _run_on(make_report(flattening="tabs", table3={"new": [12, 2, 0, 0, 1, 0]}))
    text = text.replace("（七）总计5200108", "（七）总计5200109")
    result = lint_text(text, "crawled.txt")
    assert _errors(result) == []
    assert "GK209" in _ids(result)
    assert load_document(text).tables["table3"].notes == ["ambiguous-digits"]


# -- one line, cut short, no headings -----------------------------------------------------------------


def test_a_report_on_one_line_is_read() -> None:
    text = make_report(flattening="tabs")
    one = " ".join(" ".join(c for c in line.split("\t") if c) for line in text.split("\n") if line.strip())
    doc = load_document(one)
    assert [s.key for s in doc.sections] == ["overview", "active", "requests", "appeals", "problems", "other"]
    assert {t.status for t in doc.tables.values()} == {TableStatus.FOUND}
    assert _ids(lint_text(one, "one.txt")) == []
    broken = one.replace("〔2021〕30号", "[2021]30号")
    assert "GK401" in _ids(lint_text(broken, "one.txt"))


@pytest.mark.parametrize("cut", ["（二）部分公开", "扎实推进政府信息公开工作", "持续优化政府门户网站"])
def test_a_report_cut_short_is_said_once(cut: str) -> None:
    text = make_report(flattening="tabs")
    text = text[: text.index(cut) + len(cut) + 3] + "\n"
    result = lint_text(text, "part.txt")
    assert _ids(result) == ["GK109"], [(f.rule_id, f.message.zh) for f in result.findings]
    assert result.findings[0].severity.value == "warning"


def test_a_report_missing_its_last_sections_is_not_cut_short() -> None:
    text = make_report(flattening="tabs")
    text = text[: text.index("五、存在的主要问题及改进情况")]
    ids = _ids(lint_text(text, "r.txt"))
    assert "GK109" not in ids and ids.count("GK101") == 2


# -- the real report, as pdftotext gives it -----------------------------------------------------------


def _pdftotext(*args: str) -> str:
    import shutil
    import subprocess

    pdf = SHARED / "real" / "hongze-2024.pdf"
    if not pdf.is_file() or shutil.which("pdftotext") is None:
        pytest.skip("needs ../shared/real/hongze-2024.pdf and pdftotext (poppler-utils)")
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")


def test_real_report_copied_with_layout() -> None:
    text = _pdftotext("-layout")
    result = lint_text(text, "hongze.txt")
    found = sorted((f.rule_id, f.severity.value) for f in result.findings)
    # by hand: no word on where the electronic version is; prose says 17 applications against
    # table 3's 95; a misprinted row label (2.其他法律行政止公开); row （六）其他处理 without the
    # 2021 format's sub-rows in a 2024 report
    assert found == [("GK302", "error"), ("GK303", "warning"), ("GK507", "warning"), ("GK601", "error")]
    doc = load_document(text)
    t3 = doc.table("table3")
    assert [c.value for c in t3.row("new").cells] == [95, 0, 0, 0, 0, 0, 95]
    assert [c.value for c in t3.row("unable_1").cells] == [31, 0, 0, 0, 0, 0, 31]
    assert [c.value for c in doc.table("table4").rows[0].cells] == [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3]
    gk601 = next(f for f in result.findings if f.rule_id == "GK601")
    assert "17" in text.split("\n")[gk601.location.start_line - 1]


def test_real_report_copied_without_layout_says_its_tables_cannot_be_read() -> None:
    text = _pdftotext()
    result = lint_text(text, "hongze.txt")
    assert _errors(result) == []
    assert _ids(result).count("GK209") == 3
    assert json.loads(json.dumps(inspect_document(load_document(text))["tables"]["table3"]["reading"])) == "unreadable"


def test_a_fix_never_spans_pieces_of_several_lines() -> None:
    from gklint.engine import _in_one_piece
    from gklint.model import Span
    from gklint.testing import make_shaped

    text = pdf_copy(make_report(flattening="tabs").replace("〔2021〕30号", "[2021]30号"))
    doc = load_document(text)
    start = doc.text.index("[2021]30号")
    assert _in_one_piece(doc, Span(start, start + len("[2021]30号")))  # only spaces dropped between
    gk401 = next(f for f in lint_text(text, "copy.txt").findings if f.rule_id == "GK401")
    assert gk401.fix is not None and gk401.fix[1] == "〔2021〕30号"

    shaped = make_shaped("pdf-layout", seed=0)
    doc = load_document(shaped)
    label = "2.其他法律行政法规禁止公开"
    start = doc.text.index(label)  # a row label rebuilt from lines with the row's values between
    span = Span(start, start + len(label))
    between = doc.source[doc.offsets[span.start] : doc.offsets[span.end - 1] + 1]
    assert any(ch.isdigit() for ch in between)
    assert not _in_one_piece(doc, span)


# -- reports printed by LibreOffice, copied out with pdftotext -----------------------------------------


@pytest.mark.parametrize("layout", ["2021", "2020"])
def test_printed_reports_copied_out_read_like_their_source(layout: str) -> None:
    import shutil
    import subprocess
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    import _pdf_samples as samples

    if shutil.which("pdftotext") is None or shutil.which("soffice") is None:
        pytest.skip("needs pdftotext (poppler-utils) and soffice (libreoffice-writer-nogui)")
    from gklint.testing import make_docx

    source = load_document(make_docx(layout=layout), "r.docx")
    pdf = samples.docx_to_pdf([make_docx(layout=layout)])[0]
    for mode in (["-layout"], []):
        text = subprocess.run(["pdftotext", *mode, "-", "-"], input=pdf, capture_output=True,
                              check=True).stdout.decode("utf-8")
        result = lint_text(text, "copy.txt")
        assert _errors(result) == [], (mode, [(f.rule_id, f.message.zh) for f in result.findings])
        doc = load_document(text)
        assert [s.key for s in doc.sections] == [s.key for s in source.sections]
        if mode:  # columns kept: table 3 reads cell for cell like the .docx
            assert doc.tables["table3"].status is TableStatus.FOUND
            assert ([[c.text for c in r.cells] for r in doc.tables["table3"].rows]
                    == [[c.text for c in r.cells] for r in source.tables["table3"].rows])


def test_the_html_report_shows_an_unreadable_table_as_such(tmp_path: Path) -> None:
    from gklint.cli import main

    source = tmp_path / "copy.txt"
    source.write_text(pdf_copy(_scrambled_table3(make_report(flattening="tabs"))), encoding="utf-8")
    out = tmp_path / "report.html"
    with pytest.raises(SystemExit):
        main(["--isolated", "--format", "html", "-o", str(out), str(source)])
    page = out.read_text(encoding="utf-8")
    assert page.count("这张表无法可靠读取") == 1  # table 3 only; tables 2 and 4 are drawn
    assert "GK209" in page


@pytest.mark.parametrize("flattening", FLATTENINGS)
def test_a_report_that_kept_its_shape_but_spaces_its_years_reads_as_before(flattening: str) -> None:
    """``2022 年`` typed with a space sets the text on the careful reading; its tables still read whole
    (a cell written alone on its line is not a page number) and nothing is found."""
    for layout in ("2021", "2020"):
        text = re.sub(r"(\d{4})年", r"\1 年", make_report(flattening=flattening, layout=layout))
        doc = load_document(text)
        assert doc.repairs
        assert {t.status for t in doc.tables.values()} == {TableStatus.FOUND}
        assert _ids(lint_text(text, "r.txt")) == []
