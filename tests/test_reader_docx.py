"""The .docx reader: paragraphs, merged-cell grids, logical labels, hostile archives."""

from __future__ import annotations

import importlib.util
import io
import random
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from gklint.model import SourceText
from gklint.readers.base import Limits, ReadError
from gklint.readers.docx import DocxReader, gklint_readers
from gklint.readers.html import HtmlReader

_spec = importlib.util.spec_from_file_location("_reader_samples", Path(__file__).with_name("_reader_samples.py"))
assert _spec is not None and _spec.loader is not None
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)

READER = DocxReader()
LIMITS = Limits()
T = "\t"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def read(data: bytes, limits: Limits = LIMITS) -> SourceText:
    return READER.read(data, "report.docx", limits)


def report_docx() -> bytes:
    buf = io.BytesIO()
    samples.build_docx(buf)
    return buf.getvalue()


REPORT_DOCX = report_docx()


def make_docx(body: str, *, parts: dict[str, bytes] | None = None, raw_document: bytes | None = None) -> bytes:
    """A minimal hand-made .docx around *body* (the inside of ``w:body``)."""
    document = raw_document if raw_document is not None else (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f"<w:body>{body}</w:body></w:document>"
    ).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", document)
        for name, data in (parts or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def p(text: str, extra: str = "") -> str:
    return f"<w:p>{extra}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def test_plugin_hook() -> None:
    (reader,) = gklint_readers()
    assert reader.name == "docx"
    assert reader.suffixes == (".docx",)


def test_paragraphs_and_headings() -> None:
    st = read(REPORT_DOCX)
    assert st.reader == "docx" and st.coordinates == "extracted-text"
    assert st.source == st.text and st.offsets is None and st.encoding is None
    lines = st.text.split("\n")
    assert lines[:3] == [samples.TITLE, samples.INTRO, "一、总体情况"]
    for title in samples.SECTION_TITLES:
        assert title in lines
    assert lines[-2:] == [samples.OTHER[0], ""]
    labels = {label: st.text[s:e] for s, e, label in st.logical}
    assert labels["第1段（标题）"] == samples.TITLE
    assert labels["第2段"] == samples.INTRO
    assert labels["第3段（标题 1）"] == "一、总体情况"
    assert labels["第4段"] == samples.OVERVIEW[0]
    # paragraphs are numbered in body order; tables do not count: 1 title + 1 intro + 1 heading
    # + 11 overview + heading 二 -> heading 三 is paragraph 16, heading 四 17
    assert labels["第16段（标题 1）"] == samples.SECTION_TITLES[2]
    assert labels["第17段（标题 1）"] == samples.SECTION_TITLES[3]


def test_table3_grid_from_merged_cells() -> None:
    lines = read(REPORT_DOCX).text.split("\n")
    assert "\t（七）总计\t\t25\t3\t0\t1\t1\t0\t30" in lines
    header2 = next(line for line in lines if "法人或其他组织" in line)
    header3 = next(line for line in lines if "商业企业" in line)
    assert header2.split(T) == ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]
    assert header3.split(T) == ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    # vMerge continuation cells are empty: the group label appears once
    assert "\t（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0" in lines
    assert "\t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0" in lines
    assert sum(1 for line in lines if "三、本年度办理结果" in line) == 1
    assert "四、结转下年度继续办理\t\t\t2\t1\t0\t0\t1\t0\t4" in lines
    assert "1\t0\t0\t1\t2\t0\t1\t0\t0\t1\t0\t0\t0\t0\t0" in lines
    assert "行政许可\t156\t\t" in lines


def test_docx_and_html_tables_are_identical() -> None:
    docx_text = read(REPORT_DOCX).text
    html_text = HtmlReader().read(samples.cms_page().encode(), "r.html", LIMITS).text

    def tables(text: str) -> list[str]:
        lines = text.split("\n")
        start = lines.index(samples.SECTION_TITLES[1])
        end = lines.index(samples.SECTION_TITLES[4])
        return lines[start:end]

    assert tables(docx_text) == tables(html_text)


def test_logical_labels_for_cells() -> None:
    st = read(REPORT_DOCX)
    labels = {label: st.text[s:e] for s, e, label in st.logical}
    # table 2 of the document is the report's table 3; （七）总计 is its 27th row (3 header rows + 24th data row)
    assert labels["表2 › 第27行 › 第2列"] == "（七）总计"
    assert labels["表2 › 第27行 › 第4列"] == "25"
    assert labels["表2 › 第27行 › 第10列"] == "30"
    assert labels["表2 › 第1行 › 第1列"] == samples.T3_NOTE
    assert labels["表1 › 第4行 › 第1列"] == "行政规范性文件"
    assert labels["表3 › 第4行 › 第15列"] == "0"
    assert "表2 › 第28行 › 第2列" not in labels  # the gridSpan continuation of 四、结转… is empty


def test_tabs_breaks_and_images_in_paragraphs() -> None:
    body = (
        '<w:p><w:r><w:t>一、</w:t></w:r><w:r><w:tab/><w:t>总体情况</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>前</w:t></w:r><w:r><w:drawing><wp:inline><wp:docPr id="1" name="图片 1" descr="申请统计图"/>'
        '</wp:inline></w:drawing></w:r><w:r><w:t>后</w:t></w:r></w:p>'
        '<w:p/>'
        '<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>'
        '<w:ins><w:r><w:t>插入</w:t></w:r></w:ins><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>'
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        '<wp:docPr id="2" name="文本框 2"/><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent>'
        '</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><w:t>回退</w:t></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>'
    )
    st = read(make_docx(body))
    assert st.text == "一、 总体情况\n第一行\n第二行\n前\n[image: 申请统计图]\n后\n插入\n正文\n"
    labels = [(st.text[s:e], label) for s, e, label in st.logical]
    assert labels == [("一、 总体情况", "第1段"), ("第一行\n第二行", "第2段"), ("前\n[image: 申请统计图]\n后", "第3段"),
                      ("插入", "第5段"), ("正文", "第6段")]
    assert any("文本框" in note for note in st.notes)


def test_picture_from_python_docx() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、总体情况")
    document.add_picture(io.BytesIO(png_1x1()))
    buf = io.BytesIO()
    document.save(buf)
    assert read(buf.getvalue()).text == "一、总体情况\n[image: Picture 1]\n"


NUMBERING = f"""<?xml version="1.0" encoding="UTF-8"?>
<w:numbering xmlns:w="{W}">
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>""".encode()


def test_automatic_numbering_is_rendered() -> None:
    def item(text: str, level: int) -> str:
        return p(text, f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="5"/></w:numPr></w:pPr>')

    body = (item("总体情况", 0) + item("主动公开", 1) + item("依申请公开", 1) + item("属于国家秘密", 2)
            + item("主动公开政府信息情况", 0) + item("规章", 1)
            + "".join(item(f"第{i}节", 0) for i in range(3, 12)))
    st = read(make_docx(body, parts={"word/numbering.xml": NUMBERING}))
    lines = st.text.split("\n")
    assert lines[:6] == ["一、总体情况", "（一）主动公开", "（二）依申请公开", "1.属于国家秘密",
                         "二、主动公开政府信息情况", "（一）规章"]
    assert lines[6] == "三、第3节" and lines[12] == "九、第9节" and lines[13] == "十、第10节"
    assert lines[14] == "十一、第11节"


def test_layout_table_is_flowed_as_blocks() -> None:
    inner = ("<w:tbl><w:tr><w:tc>" + p("行政许可") + "</w:tc><w:tc>" + p("156") + "</w:tc></w:tr>"
             "<w:tr><w:tc>" + p("行政处罚") + "</w:tc><w:tc>" + p("42") + "</w:tc></w:tr></w:tbl>")
    body = ("<w:tbl><w:tr><w:tc>" + p("一、总体情况") + p("正文。") + inner + p("") + "</w:tc></w:tr></w:tbl>"
            + p("结尾"))
    st = read(make_docx(body))
    assert st.text == "一、总体情况\n正文。\n行政许可\t156\n行政处罚\t42\n结尾\n"
    labels = [(st.text[s:e], label) for s, e, label in st.logical]
    assert ("一、总体情况", "表1 › 第1行 › 第1列") in labels
    assert ("156", "表2 › 第1行 › 第2列") in labels
    assert ("结尾", "第1段") in labels


def test_grid_before_and_vmerge() -> None:
    body = (
        "<w:tbl>"
        "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>" + p("标题") + "</w:tc><w:tc>" + p("列") + "</w:tc></w:tr>"
        "<w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>" + p("（三）不予公开") + "</w:tc><w:tc>"
        + p("1.属于国家秘密") + "</w:tc><w:tc>" + p("0") + "</w:tc></w:tr>"
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>" + p("") + "</w:tc><w:tc>" + p("2.其他") + "</w:tc><w:tc>"
        + p("") + "</w:tc></w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr><w:tc>" + p("合计") + "</w:tc><w:tc>" + p("5")
        + "</w:tc></w:tr>"
        "</w:tbl>"
    )
    st = read(make_docx(body))
    assert st.text == "标题\t\t列\n（三）不予公开\t1.属于国家秘密\t0\n\t2.其他\t\n\t合计\t5\n"


def test_zip_bomb_by_declared_size() -> None:
    big = b"<w:document/>" + b" " * (5 * 1024 * 1024)
    data = make_docx("", raw_document=big)
    assert len(data) < 100_000
    start = time.perf_counter()
    with pytest.raises(ReadError) as err:
        read(data, Limits(max_docx_uncompressed_bytes=1024 * 1024))
    assert time.perf_counter() - start < 1
    assert err.value.setting == "max-docx-uncompressed-bytes"
    assert "max-docx-uncompressed-bytes" in err.value.message.zh


def test_zip_bomb_with_lying_header() -> None:
    body = p("一、总体情况") + p("填充" * 400_000)  # ~2.4 MB of XML, compresses to a few KB
    data = bytearray(make_docx(body))
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("word/document.xml")
    assert info.file_size > 2_000_000
    # claim 2000 bytes in the local header and the central directory
    struct.pack_into("<I", data, info.header_offset + 22, 2000)
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:  # central directory entries
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + name_len]) == b"word/document.xml":
            struct.pack_into("<I", data, pos + 24, 2000)
        pos += 4
    start = time.perf_counter()
    with pytest.raises(ReadError) as err:
        read(bytes(data), Limits(max_docx_uncompressed_bytes=1024 * 1024))
    assert time.perf_counter() - start < 1
    # either the bounded read stops at the claimed size (CRC mismatch) or the XML is cut short
    assert "zip 结构损坏" in err.value.message.zh or "不是有效的 XML" in err.value.message.zh


def test_too_many_members() -> None:
    assert len(zipfile.ZipFile(io.BytesIO(REPORT_DOCX)).namelist()) > 5
    with pytest.raises(ReadError) as err:
        read(REPORT_DOCX, Limits(max_docx_members=5))
    assert err.value.setting == "max-docx-members"
    assert "max-docx-members" in err.value.message.zh


def test_truncated_zip() -> None:
    for cut in (len(REPORT_DOCX) // 2, len(REPORT_DOCX) - 10, 30):
        with pytest.raises(ReadError) as err:
            read(REPORT_DOCX[:cut])
        assert err.value.message.zh.startswith("不是有效的 .docx（Word 2007 及以后格式）文件：zip 结构损坏")


def test_corrupted_member() -> None:
    data = bytearray(REPORT_DOCX)
    info = zipfile.ZipFile(io.BytesIO(REPORT_DOCX)).getinfo("word/document.xml")
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    payload = info.header_offset + 30 + name_len + extra_len
    for k in range(payload + 10, payload + 60):
        data[k] ^= 0x5A
    with pytest.raises(ReadError) as err:
        read(bytes(data))
    assert "zip 结构损坏" in err.value.message.zh


def test_doc_renamed_to_docx() -> None:
    with pytest.raises(ReadError) as err:
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    assert err.value.message.zh == "这是旧版 Word .doc 文件，请另存为 .docx"


def test_other_files_renamed_to_docx() -> None:
    with pytest.raises(ReadError) as err:
        read("一、总体情况\n".encode())
    assert "zip 结构损坏" in err.value.message.zh
    with pytest.raises(ReadError) as err:
        read(b"<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert "HTML" in err.value.message.zh
    with pytest.raises(ReadError) as err:
        read(b"%PDF-1.7\n")
    assert "PDF" in err.value.message.zh
    with pytest.raises(ReadError, match="empty"):
        read(b"")


def test_missing_document_xml() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/styles.xml", "<styles/>")
    with pytest.raises(ReadError) as err:
        read(buf.getvalue())
    assert err.value.message.zh == "不是有效的 .docx 文件：缺少主文档 word/document.xml"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReadError) as err:
        read(buf.getvalue())
    assert "Excel" in err.value.message.zh


def test_doctype_and_entities_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER-42", encoding="utf-8")
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol0 "lol">{lol}]>'
            f'<w:document xmlns:w="{W}"><w:body>{p("&lol9;")}</w:body></w:document>').encode()
    xxe = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
           f'<w:document xmlns:w="{W}"><w:body>{p("&xxe;")}</w:body></w:document>').encode()
    utf16 = (f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>'
             f'<w:document xmlns:w="{W}"><w:body>{p("&a;")}</w:body></w:document>').encode("utf-16")
    for raw in (bomb, xxe, utf16):
        start = time.perf_counter()
        with pytest.raises(ReadError) as err:
            read(make_docx("", raw_document=raw))
        assert time.perf_counter() - start < 1
        assert "DOCTYPE" in err.value.message.zh
        assert "SECRET" not in err.value.message.zh


def test_invalid_xml_and_wrong_root() -> None:
    with pytest.raises(ReadError) as err:
        read(make_docx("", raw_document=b"<w:document><unclosed>"))
    assert "不是有效的 XML" in err.value.message.zh
    with pytest.raises(ReadError) as err:
        read(make_docx("", raw_document=b"<html><body/></html>"))
    assert "不是 Word 文档正文" in err.value.message.zh
    with pytest.raises(ReadError) as err:
        read(make_docx(p("") + p("   ")))
    assert "没有文字" in err.value.message.zh


def test_deeply_nested_xml_is_an_error_not_a_crash() -> None:
    raw = (f'<w:document xmlns:w="{W}"><w:body><w:p>' + "<w:ins>" * 5000 + "<w:r><w:t>x</w:t></w:r>"
           + "</w:ins>" * 5000 + "</w:p></w:body></w:document>").encode()
    with pytest.raises(ReadError) as err:
        read(make_docx("", raw_document=raw))
    assert "嵌套超过 256 层" in err.value.message.zh


def test_random_bytes_and_mutations_only_raise_read_error() -> None:
    rng = random.Random(11)
    for i in range(150):
        if i % 2:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
        else:
            mutated = bytearray(REPORT_DOCX)
            for _ in range(rng.randrange(1, 8)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            data = bytes(mutated)
        try:
            st = read(data)
        except ReadError as exc:
            assert exc.message.zh and exc.message.en
        else:
            assert st.text.strip()


def test_same_cells_as_the_text_form() -> None:
    """Through the structure builder, .txt, .html and .docx give identical table cells."""
    from gklint.readers.text import TextReader
    from gklint.structure import build_document
    from gklint.testing import standard_data

    data = standard_data()

    def cells(st: SourceText) -> dict[tuple[str, str, str], str]:
        doc = build_document(st, "report", data)
        total = doc.tables["table3"].cell("（七）总计", "总计")
        assert total is not None and total.text == "30"
        return {(t, c.row_id, c.column_id): c.text for t, table in doc.tables.items() for c in table.cells()}

    text = cells(TextReader().read(samples.report_text().encode("gb18030"), "r.txt", LIMITS))
    html = cells(HtmlReader().read(samples.cms_page().encode(), "r.html", LIMITS))
    word = cells(read(REPORT_DOCX))
    assert len(text) == 10 + 175 + 15
    assert html == text and word == text
