"""The plain-text reader: encodings, line ends, binary and hostile input."""

from __future__ import annotations

import codecs
import importlib.util
import random
import time
from pathlib import Path

import pytest

from gklint.model import Document, LayoutInfo, Metadata, SourceText
from gklint.readers.base import Limits, ReadError
from gklint.readers.text import TextReader, gklint_readers

_spec = importlib.util.spec_from_file_location("_reader_samples", Path(__file__).with_name("_reader_samples.py"))
assert _spec is not None and _spec.loader is not None
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)

REPORT = samples.report_text()
READER = TextReader()
LIMITS = Limits()

#: a traditional-character excerpt (Big5 cannot encode the simplified report)
TRADITIONAL = (
    "某某市某某區司法局2022年政府資訊公開工作年度報告\n"
    "一、總體情況\n"
    "本機關全年共收到政府資訊公開申請31件，上年結轉3件，均在法定期限內答覆。\n"
    "二、主動公開政府資訊情況\n"
    "三、收到和處理政府資訊公開申請情況\n"
    "（七）總計\t25\t3\t0\t1\t1\t0\t30\n"
    "四、結轉下年度繼續辦理\t2\t1\t0\t0\t1\t0\t4\n"
    "五、存在的主要問題及改進情況\n"
    "六、其他需要報告的事項\n"
)


def read(data: bytes, limits: Limits = LIMITS) -> SourceText:
    return READER.read(data, "report.txt", limits)


def document(st: SourceText) -> Document:
    return Document(
        path="report.txt", reader=st.reader, encoding=st.encoding, text=st.text,
        source=st.source if st.source is not None else st.text, offsets=st.offsets,
        coordinates=st.coordinates, metadata=Metadata(), sections=[], paragraphs=[], tables={},
        layout=LayoutInfo(layout="unknown"),
    )


def test_plugin_hook() -> None:
    (reader,) = gklint_readers()
    assert reader.name == "text"
    assert reader.suffixes == (".txt", "")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + REPORT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + REPORT.encode("utf-32-le"), "utf-32-le"),
        (codecs.BOM_UTF32_BE + REPORT.encode("utf-32-be"), "utf-32-be"),
        (REPORT.encode("utf-16-le"), "utf-16-le"),  # no BOM
        (REPORT.encode("utf-16-be"), "utf-16-be"),  # no BOM
        (REPORT.encode("gb18030"), "gb18030"),
        (REPORT.encode("gbk"), "gb18030"),
        (REPORT.encode("gb2312"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16le-bom", "utf-16be-bom", "utf-32le-bom", "utf-32be-bom",
         "utf-16le", "utf-16be", "gb18030", "gbk", "gb2312"],
)
def test_encodings_decode_to_the_same_text(data: bytes, encoding: str) -> None:
    st = read(data)
    assert st.text == REPORT  # BOM removed, nothing else changed
    assert st.encoding == encoding
    assert st.reader == "text"
    assert st.offsets is None and st.source is None
    assert st.coordinates == "source"


def test_gb18030_four_byte_characters() -> None:
    text = "一、总体情况\n𠀀与㐀为扩展区汉字，€符号。\n" + REPORT
    st = read(text.encode("gb18030"))
    assert st.text == text
    assert st.encoding == "gb18030"


def test_big5() -> None:
    st = read(TRADITIONAL.encode("big5"))
    assert st.text == TRADITIONAL
    assert st.encoding == "big5"


def test_big5_is_not_mistaken_for_gb18030() -> None:
    data = TRADITIONAL.encode("big5")
    data.decode("gb18030")  # it *is* valid GB18030 ...
    assert read(data).encoding == "big5"  # ... but implausible as such


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_ends_are_kept_and_positions_are_right(newline: str) -> None:
    text = samples.report_text(newline)
    st = read(text.encode("utf-8"))
    assert st.text == text
    doc = document(st)
    lines = samples.report_text().split("\n")
    heading = samples.SECTION_TITLES[2]
    offset = st.text.index(heading)
    pos = doc.position(offset + 2)  # the 收 of 三、收到
    assert (pos.line, pos.column) == (lines.index(heading) + 1, 3)
    row = st.text.index("（七）总计")
    value = st.text.index("30", row)
    pos = doc.position(value)
    assert pos.line == lines.index("（七）总计\t25\t3\t0\t1\t1\t0\t30") + 1
    assert pos.column == len("（七）总计\t25\t3\t0\t1\t1\t0\t") + 1


def test_bom_is_not_counted_in_columns() -> None:
    st = read(codecs.BOM_UTF8 + "一、总体情况\n".encode())
    assert st.text == "一、总体情况\n"
    assert document(st).position(0).column == 1


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "PNG 图片"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG 图片"),
        (b"GIF89a\x01\x00\x01\x00", "GIF 图片"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF 文件"),
        (b"%PDF-1.4\n1 0 obj << >> endobj\n", "PDF 文件"),  # all ASCII: still a PDF
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "旧版 Office 文件"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"word/document.xml" + b"\x00" * 20, ".docx"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00data.bin" + b"\x00" * 20, "ZIP 压缩文件"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}", "RTF"),
        (b"\x7fELF\x02\x01\x01\x00", "可执行程序"),
    ],
)
def test_binary_files_are_named(data: bytes, needle: str) -> None:
    with pytest.raises(ReadError) as err:
        read(data)
    assert needle in err.value.message.zh
    assert err.value.message.en


def test_nul_bytes_mean_binary() -> None:
    data = "一、总体情况\n".encode() + b"\x00\x01\x02\x03binary\x00\xff\x10"
    with pytest.raises(ReadError) as err:
        read(data)
    assert "NUL" in err.value.message.zh and "二进制" in err.value.message.zh


def test_control_characters_mean_binary() -> None:
    data = bytes(range(1, 9)) * 50 + "一、总体情况\n".encode()
    with pytest.raises(ReadError) as err:
        read(data)
    assert "控制字符" in err.value.message.zh


def test_invalid_bytes() -> None:
    data = "一、总体情况\n".encode() + b"\x80\x81\xfe\xff\xfe" + "二、主动公开\n".encode()
    with pytest.raises(ReadError) as err:
        read(data)
    message = err.value.message
    assert message.zh.startswith("无法识别的文件编码（既不是 UTF-8，也不是 GB18030")
    # 6 hanzi (3 bytes each) + LF = 19 valid bytes; the 20th (0x80) is the first bad one
    assert "第 20 字节" in message.zh
    assert "byte 20" in message.en


def test_invalid_utf16_after_bom() -> None:
    data = codecs.BOM_UTF16_LE + "一、总体".encode("utf-16-le") + b"\x00\xd8" + b"A\x00"  # lone surrogate
    with pytest.raises(ReadError) as err:
        read(data)
    assert "UTF-16-LE" in err.value.message.zh
    assert "BOM" in err.value.message.zh


def test_mixed_utf8_and_gbk_is_rejected() -> None:
    data = "一、总体情况\n本机关全年共收到申请。\n".encode() + "二、主动公开政府信息情况\n规章制度\n".encode("gbk")
    with pytest.raises(ReadError) as err:
        read(data)
    assert "无法识别的文件编码" in err.value.message.zh


def test_empty_and_whitespace() -> None:
    with pytest.raises(ReadError) as err:
        read(b"")
    assert err.value.message.zh == "文件为空"
    for blank in (b"   \r\n\t\n", codecs.BOM_UTF8 + b"\n\n", "\u3000\u3000\n".encode()):
        with pytest.raises(ReadError) as err:
            read(blank)
        assert err.value.message.zh == "文件为空（只有空白字符）"


def test_size_limit_names_the_setting() -> None:
    data = REPORT.encode("utf-8")
    with pytest.raises(ReadError) as err:
        read(data, Limits(max_file_bytes=1024))
    assert err.value.setting == "max-file-bytes"
    assert "文件过大" in err.value.message.zh
    assert "超过上限 1 KB" in err.value.message.zh
    assert "[tool.gklint.limits] max-file-bytes" in err.value.message.zh
    assert "max-file-bytes" in err.value.message.en
    assert read(data, Limits(max_file_bytes=len(data))).text == REPORT


def test_size_limit_message_in_megabytes() -> None:
    data = b"a" * (3 * 1024 * 1024)
    with pytest.raises(ReadError) as err:
        read(data, Limits(max_file_bytes=2 * 1024 * 1024))
    assert "文件过大：3 MB，超过上限 2 MB" in err.value.message.zh


def test_long_single_line_is_fast() -> None:
    data = ("数据" * 2_000_000).encode("gb18030")  # 8 MB, one line, not UTF-8
    start = time.perf_counter()
    st = read(data)
    assert st.encoding == "gb18030" and len(st.text) == 4_000_000
    assert time.perf_counter() - start < 5


def test_random_bytes_only_raise_read_error() -> None:
    rng = random.Random(20240601)
    report = REPORT.encode("utf-8")
    for i in range(300):
        if i % 3 == 0:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 400)))
        else:  # random edits of real text
            data = bytearray(report)
            for _ in range(rng.randrange(1, 6)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            data = bytes(data)
        try:
            st = read(data)
        except ReadError as exc:
            assert exc.message.zh and exc.message.en
        else:
            assert isinstance(st.text, str) and st.text.strip()
