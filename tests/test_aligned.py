"""Rows of tables aligned by spaces (``pdftotext -layout``) rebuilt one line per row (:mod:`gklint.aligned`)."""

from __future__ import annotations

from gklint.aligned import rebuild

# Table 3 as pdftotext -layout prints a Word table with narrow label columns: cells aligned to the
# top, labels wrapped inside their columns, a merged group cell spread over its rows, a page break
# after which every column stands six characters further right.
NARROW = """\
    一、本年新收政府信息公             5     2     0     0     1     0     8
    开申请数量

    三、本     （一）予以公开         2     1     0     0     0     0     3
    年度办
    理结果     （二）部分公开         1     0     0     0     0     0     1
            （区分处理的，
            只计这一情形，
            不计其他情形）

            （三）     1.属于    0     0     0     0     0     0     0
            不予公     国家秘
            开       密

                    2.其他    0     0     0     0     0     0     0
                    法律行

                                     第 2 页
\f                         政法规
                          禁止公
                          开

                          3.危及    0     0     0     0     0     0     0
                          “三安
                          全一稳
                          定”
"""

# Table 3 as WPS prints it: wide label columns, a wrapped label above its values (centred cells),
# the group label on a middle line of its rows.
CENTRED = """\
一、本年新收政府信息公开申请数量                             95    0         0     0   0   0     95
                  （一）予以公开                    50    0         0     0   0   0     50
                  （二）部分公开（区分处理的，只计这一情 形，不
                  计其他情形）
                                              9    0         0     0   0   0     9
                            1.属于国家秘密         0     0         0     0   0   0     0
 三 、本 年 度办 理 结果
                            2.其他法律行政法规禁止公开      0     0         0     0   0   0     0
"""

# Table 2: a caption and a header between the blocks are not labels of the rows before them.
TABLE2 = """\
第二十条第（一）项
信息内容            本年制发件数          本年废止件数   现行有效件数
规章                   0                   0                0
行政规范性文件         2                   1                5
第二十条第（五）项
信息内容              本年处理决定数量
行政许可              120
第二十条第（六）项
信息内容              本年处理决定数量
行政处罚                15
行政强制                3
"""


def _rows(text: str) -> list[list[str]]:
    rebuilt, offsets = rebuild(text)
    assert offsets, "nothing was rebuilt"
    assert len(offsets) == len(rebuilt) + 1
    for ch, at in zip(rebuilt, offsets, strict=False):
        if ch not in "\t\n":
            assert text[at] == ch  # every character is the source character it came from
    return [line.split("\t") for line in rebuilt.split("\n") if "\t" in line]


def test_narrow_columns_aligned_to_the_top() -> None:
    rows = _rows(NARROW)
    assert rows[0] == ["一、本年新收政府信息公开申请数量", "5", "2", "0", "0", "1", "0", "8"]
    assert rows[1][:2] == ["三、本年度办理结果", "（一）予以公开"]
    assert rows[2][0] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert rows[3][:2] == ["（三）不予公开", "1.属于国家秘密"]
    assert rows[4][0] == "2.其他法律行政法规禁止公开"  # across the page break
    assert rows[5] == ["3.危及“三安全一稳定”", "0", "0", "0", "0", "0", "0", "0"]


def test_centred_cells_and_a_label_above_its_values() -> None:
    rows = _rows(CENTRED)
    assert rows[1] == ["（一）予以公开", "50", "0", "0", "0", "0", "0", "50"]
    assert rows[2][0] == "（二）部分公开（区分处理的，只计这一情 形，不计其他情形）"
    assert rows[2][1:] == ["9", "0", "0", "0", "0", "0", "9"]
    assert rows[4][0] == "三 、本 年 度办 理 结果"  # the group label printed between two rows goes with the next
    assert rows[4][1] == "2.其他法律行政法规禁止公开"


def test_captions_and_headers_stay_outside_the_rows() -> None:
    rebuilt, _ = rebuild(TABLE2)
    assert "规章\t0\t0\t0\n行政规范性文件\t2\t1\t5\n" in rebuilt
    assert "行政处罚\t15\n行政强制\t3" in rebuilt
    assert "第二十条第（五）项\n信息内容" in rebuilt and "第二十条第（六）项\n信息内容" in rebuilt


def test_prose_is_not_a_table() -> None:
    prose = ("2022 年，本机关共收到政府信息公开申请 8 件，上年结转 1 件。\n"
             "全年通过政府门户网站主动公开政府信息 236 条。\n")
    text, offsets = rebuild(prose)
    assert text == prose and len(offsets) == 0
