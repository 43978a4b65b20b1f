"""Property-based tests: whatever the bytes, every run ends with a documented outcome.

For random bytes, random edits of real report text (every flattening), random
HTML and damaged .docx files, through the readers alone and through the whole
pipeline (:meth:`Linter.lint_bytes`):

* a reader returns text or raises :class:`ReadError`, nothing else;
* the pipeline returns a :class:`FileResult`; its notifications are of a
  documented kind and none is a crash (no rule, reader or structure builder raised);
* the exit code the CLI would give is 0, 1 or 2.

The number of examples is bounded for CI (``GKLINT_HYPOTHESIS_EXAMPLES``
raises it for a longer local run).  Inputs hypothesis finds crashing are to be
kept as ``@example`` or in :func:`test_regressions`; a 1500-example run found none.
"""

from __future__ import annotations

import io
import os
import zipfile
from functools import cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gklint.api import Linter
from gklint.cli import exit_code
from gklint.config import Config
from gklint.readers.base import Limits, ReadError
from gklint.results import FileResult
from gklint.testing import FLATTENINGS, make_docx, make_report

EXAMPLES = int(os.environ.get("GKLINT_HYPOTHESIS_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
KINDS = {"unreadable", "timeout"}  # what a file may legitimately get; crashes are "rule-crash" or carry an exception


@cache
def linter() -> Linter:
    return Linter(Config())


@cache
def readers() -> dict[str, object]:
    ps = linter().plugin_set
    return {suffix: ps.reader_for(f"x{suffix}")[0] for suffix in (".txt", ".html", ".docx")}  # type: ignore[index]


def check_outcome(result: FileResult) -> None:
    """The documented outcomes: read and linted, or unreadable with a message; never a crash."""
    for note in result.notifications:
        assert note.kind in KINDS, (note.kind, note.message.en)
        assert not note.exception, note.message.en  # a reader or the structure builder raised
        assert "internal error" not in note.message.en
    if not result.readable:
        assert result.findings == [] and result.notifications
    run = linter().result([result])
    assert exit_code(run) in (0, 1, 2)


def lint(data: bytes, name: str) -> FileResult:
    result = linter().lint_bytes(data, name)
    check_outcome(result)
    return result


def read(data: bytes, suffix: str) -> None:
    reader = readers()[suffix]
    try:
        source = reader.read(data, f"报告{suffix}", Limits())  # type: ignore[attr-defined]
    except ReadError as exc:
        assert exc.message.zh and exc.message.en
    else:
        assert isinstance(source.text, str)


# -- random bytes ---------------------------------------------------------------------------------


@SETTINGS
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".html", ".htm", ".docx"]))
@example(data=b"\xef\xbb\xbf", suffix=".txt")
@example(data=b"\xff\xfe", suffix=".txt")
@example(data=b"PK\x05\x06" + bytes(18), suffix=".docx")
@example(data=b"<", suffix=".html")
def test_random_bytes(data: bytes, suffix: str) -> None:
    if suffix != ".htm":
        read(data, suffix)
    lint(data, f"报告{suffix}")


# -- random edits of real report text -----------------------------------------------------------------

REPORTISH = st.sampled_from(list("一二三四五六七八九十（）()〔〕[]【】《》、，。；：:|\t\n 0123456789-—总计合计表年件"))
FRAGMENTS = st.sampled_from([
    "三、收到和处理政府信息公开申请情况", "（七）总计", "四、结转下年度继续办理", "本年新收政府信息公开申请数量",
    "国办公开办函〔2021〕30号", "《中华人民共和国政府信息公开条例》", "电话：", "邮编：", "自然人", "商业企业",
    "总计", "一、总体情况", "\t", "|", "\n\n", "共六部分", "统计期限自2022年1月1日起至2022年12月31日止",
])


@st.composite
def edited_report(draw: st.DrawFn) -> tuple[str, str]:
    flattening = draw(st.sampled_from([*FLATTENINGS, "html"]))
    layout = draw(st.sampled_from(["2021", "2020"]))
    text = make_report(flattening=flattening, layout=layout)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "digit", "fragment"]))
        i = draw(st.integers(0, len(text)))
        j = min(len(text), i + draw(st.integers(0, 400)))
        if kind == "delete":
            text = text[:i] + text[j:]
        elif kind == "insert":
            text = text[:i] + draw(st.text(REPORTISH, max_size=30)) + text[i:]
        elif kind == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif kind == "digit":
            text = text[:i] + str(draw(st.integers(0, 10**12))) + text[i:]
        else:
            text = text[:i] + draw(FRAGMENTS) + text[i:]
    return text, ".html" if flattening == "html" else ".txt"


@SETTINGS
@given(case=edited_report(), encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_random_edits_of_real_reports(case: tuple[str, str], encoding: str) -> None:
    text, suffix = case
    lint(text.encode(encoding), f"报告{suffix}")


# -- random HTML ------------------------------------------------------------------------------------------

TAGS = ["p", "div", "span", "table", "tbody", "thead", "tr", "td", "th", "br", "b", "script", "style", "font", "h1"]


@st.composite
def html_tree(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        if draw(st.booleans()):
            parts.append(draw(st.one_of(FRAGMENTS, st.text(REPORTISH, max_size=12))).replace("<", "&lt;"))
            continue
        tag = draw(st.sampled_from(TAGS))
        attrs = ""
        if tag in ("td", "th"):
            for attr in ("rowspan", "colspan"):
                if draw(st.booleans()):
                    attrs += f' {attr}="{draw(st.sampled_from(["0", "-1", "2", "3", "1000", "99999", "x", ""]))}"'
        inner = draw(html_tree(depth + 1))
        closing = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"  # sometimes unclosed
        parts.append(f"<{tag}{attrs}>{inner}{closing}")
    return "".join(parts)


@SETTINGS
@given(body=html_tree(), wrap=st.booleans())
@example(body='<table><tr><td rowspan="99999" colspan="99999">总计</td></tr></table>', wrap=True)
@example(body='<table><tr><td colspan="0">（七）总计</td><td rowspan="-1">1</td></tr></table>', wrap=True)
@example(body="<td>自然人<td>3</td>", wrap=False)
def test_random_html(body: str, wrap: bool) -> None:
    html = f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body></html>" if wrap else body
    data = html.encode("utf-8")
    read(data, ".html")
    lint(data, "报告.html")


@SETTINGS
@given(body=html_tree(), where=st.integers(0, 3))
def test_random_html_inside_a_real_report(body: str, where: int) -> None:
    html = make_report(flattening="html")
    anchors = ["<body>", "<table", "</table>", "</body>"]
    at = html.index(anchors[where])
    lint((html[:at] + body + html[at:]).encode("utf-8"), "报告.html")


# -- damaged .docx ------------------------------------------------------------------------------------------


@cache
def docx_bytes() -> bytes:
    return make_docx()


@SETTINGS
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
       cut=st.one_of(st.none(), st.integers(0, 10**6)))
def test_damaged_docx(flips: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(docx_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    blob = bytes(data[: cut % len(data)] if cut is not None else data)
    read(blob, ".docx")
    lint(blob, "报告.docx")


@SETTINGS
@given(xml_edit=st.tuples(st.integers(0, 10**6), st.integers(0, 400), st.lists(REPORTISH | st.sampled_from(
    ["<w:p>", "</w:p>", "<w:tc>", "<w:tr>", "</w:tbl>", '<w:gridSpan w:val="9"/>', '<w:vMerge/>', "&amp;", "<"]),
    max_size=20).map("".join)))
def test_docx_with_edited_document_xml(xml_edit: tuple[int, int, str]) -> None:
    at, length, insert = xml_edit
    src = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                i = at % len(text)
                data = (text[:i] + insert + text[i + length:]).encode("utf-8")
            z.writestr(info, data)
    lint(out.getvalue(), "报告.docx")


# -- hand-picked edge cases (1500 examples per test found no crash; add hypothesis finds here) -------------


@pytest.mark.parametrize("text", [
    pytest.param("三、收到和处理政府信息公开申请情况\n（七）总计\t1\t2", id="table3-total-only"),
])
def test_regressions(text: str) -> None:
    lint(text.encode("utf-8"), "报告.txt")
