"""The HTML reader: body detection, table grids, source offsets, hostile pages."""

from __future__ import annotations

import importlib.util
import random
import time
from pathlib import Path

import pytest

from gklint.model import Document, LayoutInfo, Metadata, SourceText
from gklint.readers.base import Limits, ReadError
from gklint.readers.html import HtmlReader, gklint_readers

_spec = importlib.util.spec_from_file_location("_reader_samples", Path(__file__).with_name("_reader_samples.py"))
assert _spec is not None and _spec.loader is not None
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)

READER = HtmlReader()
LIMITS = Limits()
T = "\t"

TOTAL_ROW = "\t（七）总计\t\t25\t3\t0\t1\t1\t0\t30"
T4_VALUES_ROW = "1\t0\t0\t1\t2\t0\t1\t0\t0\t1\t0\t0\t0\t0\t0"


def read(source: str | bytes, limits: Limits = LIMITS) -> SourceText:
    data = source.encode("utf-8") if isinstance(source, str) else source
    return READER.read(data, "report.html", limits)


def document(st: SourceText) -> Document:
    assert st.source is not None
    return Document(
        path="report.html", reader=st.reader, encoding=st.encoding, text=st.text, source=st.source,
        offsets=st.offsets, coordinates=st.coordinates, metadata=Metadata(), sections=[], paragraphs=[],
        tables={}, layout=LayoutInfo(layout="unknown"),
    )


def line_col(source: str, offset: int) -> tuple[int, int]:
    """1-based line/column of *offset*, counted by hand (LF or CRLF line ends)."""
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def check_offsets(st: SourceText) -> None:
    assert st.source is not None and st.offsets is not None
    assert len(st.offsets) == len(st.text) + 1
    assert all(0 <= o <= len(st.source) for o in st.offsets)


def test_plugin_hook() -> None:
    (reader,) = gklint_readers()
    assert reader.name == "html"
    assert reader.suffixes == (".html", ".htm")


def test_cms_page_picks_the_article() -> None:
    page = samples.cms_page()
    st = read(page)
    check_offsets(st)
    assert st.reader == "html" and st.encoding == "utf-8" and st.coordinates == "source"
    assert st.source == page
    lines = st.text.split("\n")
    assert lines[0] == samples.TITLE  # the <h1> of the article, not the <title>
    for title in samples.SECTION_TITLES:
        assert title in lines
    for junk in ("首页", "当前位置", "版权所有", "主办单位", "相关信息", "教育局", "document.write",
                 "float", "_trackPageview", "欢迎访问", "_某某区人民政府"):
        assert junk not in st.text
    assert lines[-1] == ""  # text ends with a newline
    # the article's container; of its wrapper only the title is kept, not the date, source and print links
    line = page[:page.index('<div class="art-content" id="zoom">')].count("\n") + 1
    assert st.notes[0] == (
        f'正文取自 <div id="zoom" class="art-content">（源文件第 {line} 行）：含全部 6 个部分标题的最内层元素，'
        f'即内容管理系统的正文容器（zoom）；另取其前的 1 行（标题等） / body text taken from '
        f'<div id="zoom" class="art-content"> (source line {line}): the innermost element holding all 6 '
        f'section headings, a CMS article container (zoom); with 1 line(s) before it (the title...)')
    assert st.notes[1].startswith("略去正文前后的页面装饰 2 行：发布日期：2023-01-18")
    for chrome in ("来源", "发布日期", "浏览次数", "打印本页", "关闭窗口"):
        assert chrome not in st.text
    assert "  " not in st.text and "\xa0" not in st.text


def test_table3_grid_from_rowspan_and_colspan() -> None:
    lines = read(samples.cms_page()).text.split("\n")
    assert TOTAL_ROW in lines
    # header rows line up with the data rows: 10 grid columns each
    header1 = next(line for line in lines if line.startswith(samples.T3_NOTE))
    header2 = next(line for line in lines if "法人或其他组织" in line)
    header3 = next(line for line in lines if "商业企业" in line)
    first = next(line for line in lines if line.startswith("一、本年新收"))
    assert header1.split(T) == [samples.T3_NOTE, "", "", "申请人情况", "", "", "", "", "", ""]
    assert header2.split(T) == ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]
    assert header3.split(T) == ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    assert first.split(T) == ["一、本年新收政府信息公开申请数量", "", "", "25", "3", "0", "1", "2", "0", "31"]
    # group labels appear once, on their first row; continuation positions are empty
    assert "三、本年度办理结果\t（一）予以公开\t\t10\t1\t0\t0\t1\t0\t12" in lines
    assert "\t（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0" in lines
    assert "\t\t2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0" in lines
    assert "\t（四）无法提供\t1.本机关不掌握相关政府信息\t5\t1\t0\t1\t0\t0\t7" in lines
    assert "四、结转下年度继续办理\t\t\t2\t1\t0\t0\t1\t0\t4" in lines
    assert sum(1 for line in lines if "（三）不予公开" in line) == 1


def test_table2_and_table4_grids() -> None:
    lines = read(samples.cms_page()).text.split("\n")
    assert "第二十条第（一）项\t\t\t" in lines
    assert "行政规范性文件\t3\t1\t12" in lines
    assert "行政许可\t156\t\t" in lines
    assert "行政事业性收费\t12.5\t\t" in lines
    assert T4_VALUES_ROW in lines
    top = next(line for line in lines if line.startswith("行政复议"))
    assert top.split(T).index("行政诉讼") == 5
    second = next(line for line in lines if "未经复议直接起诉" in line).split(T)
    assert second.index("未经复议直接起诉") == 5 and second.index("复议后起诉") == 10
    assert len(second) == 15


def test_fragment_without_html_element() -> None:
    fragment = read(samples.article_html())
    page = read(samples.cms_page())
    check_offsets(fragment)
    assert fragment.text.startswith(samples.TITLE + "\n" + samples.INTRO + "\n一、总体情况\n")
    body = fragment.text[fragment.text.index("一、总体情况"):]
    assert body in page.text  # the same report text whether embedded in a page or not


def test_text_offsets_point_into_the_source() -> None:
    page = samples.cms_page()
    st = read(page)
    doc = document(st)
    # the 总计 row label: its first character maps exactly to the source
    i = st.text.index("（七）总计")
    src = page.index("（七）总计")
    assert st.offsets is not None and st.offsets[i] == src
    assert (doc.position(i).line, doc.position(i).column) == line_col(page, src)
    # the 总计 cell of that row (30)
    j = st.text.index(TOTAL_ROW) + len(TOTAL_ROW) - 2
    assert st.text[j:j + 2] == "30"
    src30 = page.index(">30<", src) + 1
    assert st.offsets[j] == src30 and st.offsets[j + 1] == src30 + 1
    assert (doc.position(j).line, doc.position(j).column) == line_col(page, src30)
    # a character in the middle of a paragraph
    k = st.text.index("186条")
    assert st.offsets[k] == page.index("186条")
    # every character taken from a text node is the character at its offset
    for n, ch in enumerate(st.text):
        if ch not in "\t\n ":
            assert page[st.offsets[n]] == ch


def test_offsets_with_crlf_source() -> None:
    page = samples.cms_page().replace("\n", "\r\n")
    st = read(page)
    doc = document(st)
    i = st.text.index("（七）总计")
    src = page.index("（七）总计")
    assert st.offsets is not None and st.offsets[i] == src
    assert (doc.position(i).line, doc.position(i).column) == line_col(page, src)
    assert "\r" not in st.text


def test_entities_and_nbsp() -> None:
    src = (
        "<div><p>&nbsp;&nbsp;&nbsp;一、总体情况</p>"
        "<p>A&amp;B&lt;C&gt;&#x4e00;&#20108;&ldquo;三&rdquo;&copy</p>"
        "<table><tr><td>&nbsp;</td><td>自然人</td></tr><tr><td>（七）总计</td><td> 5&nbsp;</td></tr></table></div>"
    )
    st = read(src)
    assert st.text == "一、总体情况\nA&B<C>一二“三”©\n\t自然人\n（七）总计\t5\n"
    assert st.offsets is not None
    assert st.offsets[0] == src.index("一、总体情况")
    line2 = st.text.index("A&B")
    assert st.offsets[line2] == src.index("A&amp;")
    assert st.offsets[line2 + 1] == src.index("&amp;")
    assert st.offsets[line2 + 2] == src.index("B&lt;")
    assert st.offsets[line2 + 6] == src.index("&#x4e00;")
    assert st.offsets[line2 + 7] == src.index("&#20108;")
    assert st.offsets[st.text.index("©")] == src.index("&copy")
    assert st.offsets[st.text.index("5")] == src.index("5&nbsp;")


def test_gbk_page_with_meta_charset() -> None:
    page = samples.cms_page().replace("charset=utf-8", "charset=gb2312")
    st = read(page.encode("gbk"))
    assert st.encoding == "gb18030"
    assert st.source == page
    assert st.text == read(page).text


def test_xml_declaration_with_encoding() -> None:
    page = '<?xml version="1.0" encoding="gb2312"?>\n' + samples.article_html()
    st = read(page.encode("gb18030"))
    assert st.text.startswith(samples.TITLE)


def test_images_become_lines() -> None:
    src = '<p>前言</p>\n<p><img src="/u/2023/chart.png" alt="2022年 申请 统计图"></p><p>后文</p><img src="x.jpg">'
    st = read(src)
    assert st.text == "前言\n[image: 2022年 申请 统计图]\n后文\n[image: x.jpg]\n"
    assert st.offsets is not None
    assert st.offsets[st.text.index("[image: 2022")] == src.index("<img")
    assert st.offsets[st.text.index("[image: x.jpg")] == src.index('<img src="x.jpg"')


def test_br_and_inline_whitespace() -> None:
    st = read("<p>一、总体<b>情况</b><br>第二行  有\n 空格<br><br>第三行</p>")
    assert st.text == "一、总体情况\n第二行 有 空格\n第三行\n"


def test_cell_inner_breaks_collapse_to_spaces() -> None:
    st = read("<table><tr><td><p>本年新</p><p>公开数量</p></td><td>商业<br>企业</td></tr>"
              "<tr><td>规章</td><td>1</td></tr></table>")
    assert st.text == "本年新 公开数量\t商业 企业\n规章\t1\n"


def test_layout_table_with_nested_table() -> None:
    inner = "<table><tr><td>行政许可</td><td>156</td></tr><tr><td>行政处罚</td><td>42</td></tr></table>"
    src = f"<table><tr><td><p>一、总体情况</p><p>正文。</p><p>二、主动公开政府信息情况</p>{inner}</td></tr></table>"
    st = read(src)
    assert st.text == "一、总体情况\n正文。\n二、主动公开政府信息情况\n行政许可\t156\n行政处罚\t42\n"
    # "一、总体情况\n" (7) + "正文。\n" (4) + "二、主动公开政府信息情况\n" (13) = 24
    assert st.logical == [(24, 28, "表1 › 第1行 › 第1列"), (29, 32, "表1 › 第1行 › 第2列"),
                          (33, 37, "表1 › 第2行 › 第1列"), (38, 40, "表1 › 第2行 › 第2列")]
    assert st.text[24:28] == "行政许可" and st.text[38:40] == "42"


def test_logical_labels_for_table_cells() -> None:
    st = read(samples.cms_page())
    labels = {label: st.text[s:e] for s, e, label in st.logical}
    assert labels["表2 › 第27行 › 第2列"] == "（七）总计"
    assert labels["表2 › 第27行 › 第10列"] == "30"
    assert labels["表3 › 第4行 › 第5列"] == "2"


def test_odd_spans_do_not_explode() -> None:
    src = ('<table><tr><td colspan="100000">标题</td><td rowspan="0">甲</td></tr>'
           '<tr><td rowspan="99999999">乙</td><td>1</td></tr><td>孤立单元格</td></table>')
    start = time.perf_counter()
    st = read(src)
    assert time.perf_counter() - start < 2
    rows = st.text.split("\n")
    first = rows[0].split(T)
    assert first[0] == "标题" and first[1000] == "甲" and len(first) == 1001  # colspan capped at 1000
    assert rows[1].split(T)[:2] == ["乙", "1"]
    assert len(rows[1].split(T)) == 1001


def test_entity_bomb_and_external_entity(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER-42", encoding="utf-8")
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    src = (
        f'<!DOCTYPE html [<!ENTITY lol0 "lol">{lol}<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
        '<!ENTITY remote SYSTEM "http://127.0.0.1:9/evil.dtd">]>'
        "<html><body><p>一、总体情况 &lol9; &xxe; &remote;</p></body></html>"
    )
    start = time.perf_counter()
    st = read(src)
    assert time.perf_counter() - start < 2
    assert "SECRET-MARKER" not in st.text
    assert "lollol" not in st.text
    assert len(st.text) < 200
    assert "一、总体情况 &lol9; &xxe; &remote;" in st.text  # unknown references stay literal


def test_doctype_with_external_dtd_is_not_fetched() -> None:
    src = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://127.0.0.1:9/x.dtd">'
           "<html><body><p>一、总体情况</p></body></html>")
    start = time.perf_counter()
    assert read(src).text == "一、总体情况\n"
    assert time.perf_counter() - start < 2


def test_deep_nesting_is_a_clear_error() -> None:
    src = "<div>" * 100_000 + "一、总体情况" + "</div>" * 100_000
    start = time.perf_counter()
    with pytest.raises(ReadError) as err:
        read(src)
    assert time.perf_counter() - start < 5
    assert err.value.setting == "max-html-depth"
    assert "max-html-depth" in err.value.message.zh


def test_moderate_nesting_is_fine() -> None:
    src = "<div>" * 200 + "一、总体情况" + "</div>" * 200
    assert read(src).text == "一、总体情况\n"


def test_own_depth_limit() -> None:
    src = "<div>" * 60 + "一、总体情况" + "</div>" * 60
    with pytest.raises(ReadError) as err:
        read(src, Limits(max_html_depth=50))
    assert err.value.setting == "max-html-depth"


def test_bad_input() -> None:
    with pytest.raises(ReadError, match="empty"):
        read(b"")
    with pytest.raises(ReadError):
        read(b"   \n  ")
    with pytest.raises(ReadError) as err:
        read(b"%PDF-1.7\n1 0 obj\n")
    assert "PDF" in err.value.message.zh
    with pytest.raises(ReadError) as err:
        read("<html><head><title>x</title><script>var a=1;</script></head><body> </body></html>")
    assert "正文" in err.value.message.zh or "文本" in err.value.message.zh
    with pytest.raises(ReadError) as err:
        read(samples.cms_page(), Limits(max_file_bytes=1000))
    assert err.value.setting == "max-file-bytes"


def test_scripts_and_styles_in_body_are_ignored() -> None:
    src = ("<body><p>一、总体情况</p><script>document.write('<p>二、假的</p>')</script>"
           "<style>p { color: red }</style><noscript>请启用脚本</noscript><p style='display:none'>隐藏</p>"
           "<p>正文</p><!-- 注释 <p>三、假的</p> --><template><p>模板</p></template></body>")
    st = read(src)
    assert st.text == "一、总体情况\n正文\n"
    assert st.offsets is not None and st.offsets[st.text.index("正文")] == src.index("正文")


def test_random_html_never_escapes() -> None:
    rng = random.Random(7)
    pieces = ["<p>", "</p>", "<div class='nav'>", "</div>", "<table>", "<tr>", "<td rowspan=2>", "<td colspan='3'>",
              "</td>", "</tr>", "</table>", "<br>", "&nbsp;", "&amp;", "&#x4e00;", "&bogus;", "<!--", "-->",
              "<script>", "</script>", "<img alt='图'>", "一、总体情况", "（七）总计", "25", "\r\n", " ", "<",
              ">", "\"", "<![CDATA[", "]]>", "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&a;", "<title>", "\x00"]
    for _ in range(300):
        src = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 60)))
        try:
            st = read(src)
        except ReadError as exc:
            assert exc.message.zh and exc.message.en
        else:
            check_offsets(st)


def trs_page() -> str:
    """A TRS WCM page: the article in ``TRS_Editor``, chrome inside the article's wrapper."""
    return f"""<html><head><meta charset="utf-8"><title>{samples.TITLE}</title></head><body>
<div class="bread">首页 &gt; 政府信息公开 &gt; 年度报告</div>
<div class="wrap">
  <div class="xl_title">{samples.TITLE}</div>
  <div class="xl_info"><span>来源：县司法局</span> <span>时间：2023-01-18</span></div>
  <div class="xl_ver"><a href="#">全真版</a> <a href="#">文字版</a></div>
  <div class="xl_con"><div class="TRS_Editor">
{samples.article_html()}
  </div></div>
  <div class="fj"><p>附件下载：</p><p><a href="/a.pdf">某某区司法局2022年政府信息公开工作年度报告.pdf</a></p></div>
  <div class="ewm">扫一扫在手机打开当前页</div>
</div></body></html>"""


def test_trs_editor_article_without_page_chrome() -> None:
    page = trs_page()
    st = read(page)
    check_offsets(st)
    lines = st.text.split("\n")
    assert lines[0] == samples.TITLE
    assert lines[1] == samples.TITLE  # the article repeats its title, as CMS pages do
    assert lines[2] == samples.INTRO
    assert lines[-2] == samples.OTHER[-1]
    for chrome in ("首页", "来源", "时间：", "全真版", "文字版", "附件下载", ".pdf", "扫一扫"):
        assert chrome not in st.text, chrome
    assert "TRS_Editor" in st.notes[0] and "内容管理系统的正文容器" in st.notes[0]
    assert st.notes[1].startswith("略去正文前后的页面装饰 5 行：来源：县司法局")
    for n, ch in enumerate(st.text):
        if ch not in "\t\n ":
            assert page[st.offsets[n]] == ch  # type: ignore[index]


def _gklint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    from gklint.cli import main

    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return int(exited.value.code or 0), out + err


def test_inspect_says_which_element_was_taken(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = tmp_path / "report.html"
    path.write_text(trs_page(), encoding="utf-8")
    code, out = _gklint(capsys, "inspect", "--isolated", str(path))
    assert code == 0, out
    notes = json.loads(out)["notes"]
    assert notes[0].startswith('正文取自 <div class="TRS_Editor">')
    assert "holding all 6 section headings" in notes[0]


def test_text_directly_in_body_is_read() -> None:
    one_line = " ".join(samples.report_text().split("\n"))
    st = read(f"<html><body>{one_line}</body></html>")
    check_offsets(st)
    assert any(line.startswith("三、收到和处理政府信息公开申请情况") for line in st.text.split("\n"))
    assert "one-line" in st.repairs
    st = read(f"<body>\n{samples.report_text()}</body>")
    assert samples.SECTION_TITLES[2] in st.text.split("\n")
    assert any("没有段落等块级元素" in n for n in st.notes)
    inline = read("<body>标题\n一、总体情况<b>加粗</b>接着\n二、主动公开</body>")
    assert inline.text == "标题\n一、总体情况加粗接着\n二、主动公开\n"  # inline markup does not break lines
    for n, ch in enumerate(st.text):
        if ch not in "\t\n ":
            assert st.source[st.offsets[n]] == ch  # type: ignore[index]


def test_plain_text_named_html_is_read_as_text() -> None:
    text = samples.report_text()
    st = read(text)
    assert st.text == text and st.reader == "text"
    assert st.notes == ["文件中没有 HTML 标记，按纯文本读取 / the file has no HTML markup: read as plain text"]
    check_offsets(st)


def test_plain_text_on_stdin_as_html(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    stdin = io.TextIOWrapper(io.BytesIO(samples.report_text().encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out = _gklint(capsys, "--isolated", "--stdin-filename", "x.html", "-")
    assert code in (0, 1), out
    assert "网页中没有找到正文文本" not in out
    assert "共检查 1 个文件" in out and "无法读取" not in out


def test_chrome_inside_the_article_element_is_left_out() -> None:
    """No separate content container: the element holding the sections also holds the page chrome."""
    page = f"""<html><body><div class="main">
<p>首页 &gt; 政务公开 &gt; 年度报告</p>
<h2>{samples.TITLE}</h2>
<p>发布时间：2023-01-18 来源：区司法局</p><p>字号：[ 大 中 小 ]</p>
{samples.article_html()}
<p>附件：</p><p><a href="/a.docx">年度报告.docx</a></p>
<p>【打印本页】【关闭窗口】</p>
</div>
<div class="links">相关链接</div></body></html>"""
    st = read(page)
    check_offsets(st)
    lines = st.text.split("\n")
    assert lines[0] == samples.TITLE and lines[-2] == samples.OTHER[-1]
    for chrome in ("首页", "发布时间", "来源", "字号", "附件", ".docx", "打印本页"):
        assert chrome not in st.text, chrome
    assert "一、总体情况" in lines and samples.INTRO in lines


def test_without_section_headings_the_cms_container_is_taken() -> None:
    """Headings the markers do not know (第一部分…): the CMS container, not the whole page with its sidebar."""
    paragraphs = "".join(f"<p>第{n}部分 这一部分写了本机关本年度政府信息公开工作的有关情况和数据。</p>" for n in "一二三四五六")
    sidebar = "".join(f"<li>某某区第{i}个部门2022年政府信息公开工作年度报告（相关链接）</li>" for i in range(40))
    page = (f"<html><body><div class='left'><h1>{samples.TITLE}</h1><div class='info'>来源：区司法局</div>"
            f"<div class='TRS_Editor'>{paragraphs}</div></div><div class='right'><ul>{sidebar}</ul></div></body></html>")
    st = read(page)
    check_offsets(st)
    assert "相关链接" not in st.text and "来源" not in st.text
    assert st.text.startswith(samples.TITLE + "\n第一部分")
    assert st.notes[0].startswith('正文取自 <div class="TRS_Editor">') and "内容管理系统的正文容器" in st.notes[0]
