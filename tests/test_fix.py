"""``--fix`` / ``--diff``: safe fixes only, encodings, BOMs and line ends kept, idempotent, atomic."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gklint.api import Linter
from gklint.config import Config
from gklint.fixes import FixError, diff_text, fix_bytes, fix_file
from gklint.testing import make_docx, make_report

CLEAN = make_report()
NUMBER = "（国办公开办函〔2021〕30号）"
REGULATION = "《中华人民共和国政府信息公开条例》"

#: Each safe fix: (what the report says instead of the clean text, the clean text).
CASES = {
    "brackets": ("（国办公开办函[2021]30号）", NUMBER),
    "round-brackets": ("（国办公开办函（2021）30号）", NUMBER),
    "di": ("（国办公开办函〔2021〕第30号）", NUMBER),
    "brackets-and-di": ("（国办公开办函[2021]第30号）", NUMBER),
    "full-name": ("《政府信息公开条例》", REGULATION),
    "registry-title": ("《国务院办公厅关于印发〈政府信息公开信息收费管理办法〉的通知》（国办函〔2020〕109号）",
                       "《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）"),
    "office-name": ("国务院办公厅政府信息公开与政务公开办公室关于印发", "国务院办公厅政府信息与政务公开办公室关于印发"),
    "ascii-angle": ("〈中华人民共和国政府信息公开工作年度报告格式〉", "<中华人民共和国政府信息公开工作年度报告格式>"),
}
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16"]  # utf-16: little-endian with BOM here
NEWLINES = {"LF": "\n", "CRLF": "\r\n", "CR": "\r"}


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Config(root=Path.cwd()))


def _bad(case: str) -> str:
    wrong, right = CASES[case]
    if case == "ascii-angle":  # the clean report has 〈〉; the broken one ASCII <>
        assert wrong in CLEAN
        return CLEAN.replace(wrong, right, 1)
    assert right in CLEAN
    return CLEAN.replace(right, wrong, 1)


def _encode(text: str, encoding: str, newline: str) -> bytes:
    data = text.replace("\n", newline).encode(encoding)
    if encoding == "utf-16":
        assert data.startswith(b"\xff\xfe")  # the BOM the reader must see and the fixer keep
    return data


@pytest.mark.parametrize("newline", NEWLINES, ids=str)
@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("case", CASES)
def test_each_fix_in_each_encoding_and_line_end(linter: Linter, case: str, encoding: str, newline: str) -> None:
    bad = _encode(_bad(case), encoding, NEWLINES[newline])
    good = _encode(CLEAN, encoding, NEWLINES[newline])
    outcome = fix_bytes(linter, bad, "报告.txt")
    assert outcome.applied >= 1 and not outcome.refused
    assert outcome.fixed == good  # exact bytes: BOM, encoding and line ends as they were
    again = fix_bytes(linter, outcome.fixed, "报告.txt")
    assert again.applied == 0 and not again.changed


def test_all_fixes_at_once_leave_a_clean_report(linter: Linter) -> None:
    text = CLEAN.replace(NUMBER, "（国办公开办函[2021]第30号）").replace(REGULATION, "《政府信息公开条例》", 1)
    text = text.replace("〈中华人民共和国政府信息公开工作年度报告格式〉", "<中华人民共和国政府信息公开工作年度报告格式>")
    outcome = fix_bytes(linter, text.encode(), "r.txt")
    assert outcome.fixed.decode() == CLEAN
    assert outcome.applied == 3
    assert linter.lint_bytes(outcome.fixed, "r.txt").findings == []


def test_meaning_changing_fixes_are_not_applied(linter: Linter) -> None:
    # a wrong 文号 for a registered title would change a number; a section title wording is the editor's call
    text = CLEAN.replace("（国办公开办函〔2021〕30号）", "（国办公开办函〔2021〕31号）")
    text = text.replace("五、存在的主要问题及改进情况", "五、存在的问题及改进情况")
    result = linter.lint_bytes(text.encode(), "r.txt")
    suggested = [f for f in result.findings if f.fix is not None]
    assert suggested and not any(f.fix_safe for f in suggested)
    outcome = fix_bytes(linter, text.encode(), "r.txt")
    assert not outcome.changed and outcome.applied == 0


def test_numbers_are_never_changed(linter: Linter) -> None:
    # a leading zero in the sequence number: the canonical 文号 would drop it, so the fix is not safe
    text = CLEAN.replace(NUMBER, "（国办公开办函[2021]030号）")
    outcome = fix_bytes(linter, text.encode(), "r.txt")
    assert not outcome.changed
    assert "030" in outcome.fixed.decode()


def test_unchanged_file_is_not_rewritten(linter: Linter, tmp_path: Path) -> None:
    path = tmp_path / "报告.txt"
    path.write_bytes(CLEAN.encode("gb18030"))
    os.utime(path, (1_000_000_000, 1_000_000_000))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    outcome = fix_file(linter, path)
    assert not outcome.changed
    assert path.stat().st_mtime == 1_000_000_000
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_fix_file_writes_atomically_and_keeps_the_mode(linter: Linter, tmp_path: Path) -> None:
    path = tmp_path / "报告.txt"
    path.write_bytes(_bad("brackets-and-di").encode("utf-8-sig"))
    path.chmod(0o640)
    outcome = fix_file(linter, path)
    assert outcome.applied == 1
    assert path.read_bytes() == CLEAN.encode("utf-8-sig")
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.txt"]  # no temporary file left


def test_diff_shows_the_change_without_writing(linter: Linter, tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    data = _bad("brackets").encode()
    path.write_bytes(data)
    outcome = fix_file(linter, path, "r.txt", write=False)
    assert path.read_bytes() == data
    diff = diff_text(linter, outcome)
    assert diff.startswith("--- a/r.txt\n+++ b/r.txt\n")
    assert "-本报告根据" in diff and "（国办公开办函[2021]30号）" in diff
    assert "+本报告根据" in diff and "（国办公开办函〔2021〕30号）" in diff


def test_file_that_does_not_round_trip_is_refused(linter: Linter) -> None:
    # a lone GB18030 byte pair that decodes but would be written back differently does not exist for
    # valid input; simulate a lossy decode with an encoding the reader reports but cannot reproduce
    text = _bad("brackets")
    data = text.encode("utf-8")
    doc, _ = linter.read_document(data, "r.txt")
    assert doc is not None and doc.encoding == "utf-8"
    from gklint import fixes

    with pytest.raises(FixError):
        fixes._encode_source(doc, b"\xef\xbb\xbf" + data + b"x", doc.source, [], [])


# -- HTML -------------------------------------------------------------------------------

HTML = make_report(flattening="html")
FEE = "（国办函〔2020〕109号）"


def test_html_fix_in_text_node(linter: Linter) -> None:
    bad = HTML.replace(FEE, "（国办函[2020]第109号）").replace(REGULATION, "《政府信息公开条例》", 1)
    outcome = fix_bytes(linter, bad.encode("gb18030"), "r.html")
    assert outcome.applied == 2 and not outcome.refused
    assert outcome.fixed == HTML.encode("gb18030")


@pytest.mark.parametrize("markup", ["（国办函[2020]<span>第</span>109号）", "（国办函&#91;2020]第109号）",
                                    "（国办函[2020]\n第109号）"])
def test_html_fix_across_markup_is_refused(linter: Linter, markup: str) -> None:
    bad = HTML.replace(FEE, markup)
    outcome = fix_bytes(linter, bad.encode(), "r.html")
    assert not outcome.changed
    assert [r.rule_id for r in outcome.refused] == ["GK401"]
    assert "HTML 源码" in outcome.refused[0].message.zh


def test_html_replacement_is_escaped(linter: Linter) -> None:
    bad = HTML.replace("〈中华人民共和国政府信息公开工作年度报告格式〉", "&lt;中华人民共和国政府信息公开工作年度报告格式&gt;")
    outcome = fix_bytes(linter, bad.encode(), "r.html")
    # the ASCII marks are written as entities: the source does not hold the text as read, so no fix
    assert not outcome.changed and outcome.refused


# -- docx -------------------------------------------------------------------------------


def _docx_with(split_at: str | None = None, replace: tuple[str, str] | None = None) -> bytes:
    import docx

    document = docx.Document(io.BytesIO(make_docx()))
    for p in document.paragraphs:
        if p.text.startswith("本报告根据"):
            text = p.text
            if replace:
                text = text.replace(*replace)
            if split_at:
                i = text.index(split_at)
                p.text = text[:i]
                p.add_run(text[i:]).bold = True
            else:
                p.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_fix_across_runs_keeps_other_members(linter: Linter) -> None:
    data = _docx_with(split_at="21]第30号", replace=(NUMBER, "（国办公开办函[2021]第30号）"))
    outcome = fix_bytes(linter, data, "r.docx")
    assert outcome.applied == 1 and not outcome.refused
    doc, _ = linter.read_document(outcome.fixed, "r.docx")
    assert doc is not None and NUMBER in doc.text
    before, after = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(outcome.fixed))
    assert [i.filename for i in before.infolist()] == [i.filename for i in after.infolist()]
    for info in before.infolist():
        if info.filename != "word/document.xml":
            assert after.read(info.filename) == before.read(info)
            assert after.getinfo(info.filename).compress_type == info.compress_type
    assert fix_bytes(linter, outcome.fixed, "r.docx").applied == 0


def test_docx_insertion_and_diff_of_paragraphs(linter: Linter) -> None:
    data = _docx_with(replace=(REGULATION, "《政府信息公开条例》"))
    outcome = fix_bytes(linter, data, "r.docx")
    assert outcome.applied == 1
    diff = diff_text(linter, outcome)
    assert "-本报告根据《政府信息公开条例》" in diff and f"+本报告根据{REGULATION}" in diff


def _docx_number(middle: str, run_xml: str) -> bytes:
    """The intro paragraph with the 文号 written ``…[2021]`` + a special run + ``第30号``."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document(io.BytesIO(make_docx()))
    for p in document.paragraphs:
        if p.text.startswith("本报告根据"):
            text = p.text.replace(NUMBER, f"（国办公开办函[2021]{middle}第30号）")
            i = text.index("第30号")
            p.text = text[:i - len(middle)]
            p._p.append(parse_xml(run_xml))
            p.add_run(text[i:])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_hidden_run_is_skipped_like_the_reader_does(linter: Linter) -> None:
    data = _docx_number("", f'<w:r {W_NS}><w:rPr><w:vanish/></w:rPr><w:t>X</w:t></w:r>')
    outcome = fix_bytes(linter, data, "r.docx")
    assert outcome.applied == 1
    doc, _ = linter.read_document(outcome.fixed, "r.docx")
    assert doc is not None and NUMBER in doc.text


def test_docx_fix_that_cannot_be_placed_is_refused(linter: Linter) -> None:
    # a w:tab reads as a space: the text the rule saw is not in any w:t run
    data = _docx_number(" ", f"<w:r {W_NS}><w:tab/></w:r>")
    doc, _ = linter.read_document(data, "r.docx")
    assert doc is not None and "（国办公开办函[2021] 第30号）" in doc.text
    outcome = fix_bytes(linter, data, "r.docx")
    assert not outcome.changed
    assert [r.rule_id for r in outcome.refused] == ["GK401"]
    assert "Word" in outcome.refused[0].message.zh


# -- command line -------------------------------------------------------------------------


def _gklint(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "gklint", "--isolated", "-j", "1", *args], cwd=cwd,
                          input=stdin, capture_output=True, timeout=120)


def test_cli_fix_reports_what_remains(tmp_path: Path) -> None:
    text = _bad("brackets-and-di").replace("五、存在的主要问题及改进情况", "五、存在的问题及改进情况")
    (tmp_path / "r.txt").write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    proc = _gklint("--fix", "r.txt", cwd=tmp_path)
    err, out = proc.stderr.decode(), proc.stdout.decode()
    assert "已自动修复 1 处问题（1 个文件）" in err
    assert "GK401" not in out and "GK103" in out  # the wording is reported, not rewritten
    fixed = (tmp_path / "r.txt").read_bytes().decode("gb18030")
    assert NUMBER in fixed and "\r\n" in fixed and "\n" not in fixed.replace("\r\n", "")
    assert "[警告]" in out and proc.returncode == 0  # what remains is a warning: below --fail-on error


def test_cli_diff_writes_nothing(tmp_path: Path) -> None:
    data = _bad("di").encode()
    (tmp_path / "r.txt").write_bytes(data)
    proc = _gklint("--diff", "--fail-on", "warning", "r.txt", cwd=tmp_path)
    assert proc.returncode == 1  # as usual: the file still has the (GK401) warning
    assert proc.stdout.decode().startswith("--- a/r.txt\n+++ b/r.txt\n")
    assert (tmp_path / "r.txt").read_bytes() == data


def test_cli_fix_stdin_prints_the_fixed_document(tmp_path: Path) -> None:
    proc = _gklint("--fix", "-", "--stdin-filename", "r.txt", cwd=tmp_path,
                   stdin=_bad("brackets").encode("utf-8-sig"))
    assert proc.stdout == CLEAN.encode("utf-8-sig")
    assert "检查通过" in proc.stderr.decode()
    assert proc.returncode == 0


def test_cli_fix_and_diff_together_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(CLEAN, encoding="utf-8")
    proc = _gklint("--fix", "--diff", "r.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "--fix 与 --diff 不能同时使用" in proc.stderr.decode()


def test_fix_with_suppression_lines_in_the_file(linter: Linter) -> None:
    # directive lines are taken out of the text the rules read; fixes still land in the right place
    text = _bad("brackets-and-di").replace("本报告根据", "gklint: disable=GK5 原因：电话另行公布\n本报告根据", 1)
    outcome = fix_bytes(linter, text.replace("\n", "\r\n").encode("gb18030"), "r.txt")
    assert outcome.applied == 1
    expected = CLEAN.replace("本报告根据", "gklint: disable=GK5 原因：电话另行公布\n本报告根据", 1)
    assert outcome.fixed == expected.replace("\n", "\r\n").encode("gb18030")


def test_suppressed_findings_are_not_fixed(linter: Linter) -> None:
    text = _bad("brackets").replace("本报告根据", "gklint: disable=GK401 原因：按来文原样引用\n本报告根据", 1)
    outcome = fix_bytes(linter, text.encode(), "r.txt")
    assert not outcome.changed
