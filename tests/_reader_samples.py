"""A short but realistic 2022 report used by the reader tests (written for the tests).

Loaded by the ``test_reader_*`` modules with ``importlib`` (the tests directory is
not a package).  Values are consistent: table 3 satisfies 一 + 二 = （七）总计 + 四 in
every column and each row's 总计 is the sum of its six applicant columns.
"""

from __future__ import annotations

import html

TITLE = "某某市某某区司法局2022年政府信息公开工作年度报告"

INTRO = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室"
    "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制。"
    "报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。如对本报告有疑问，请与某某区司法局办公室联系"
    "（地址：某某区人民路18号；邮编：310000；电话：0571-88886666）。"
)

OVERVIEW = [
    "2022年，我局深入贯彻落实《条例》，围绕法治政府建设中心工作，扎实做好政府信息公开各项工作。",
    "（一）主动公开",
    "全年通过区政府门户网站主动公开政府信息186条，其中规范性文件3件、政策解读5篇。",
    "（二）依申请公开",
    "全年共收到政府信息公开申请31件，上年结转3件，均在法定期限内答复。",
    "（三）政府信息管理",
    "严格落实公开前保密审查制度，动态更新主动公开目录。",
    "（四）政府信息公开平台建设",
    "持续优化政府网站信息公开专栏，做好政务新媒体信息发布。",
    "（五）监督保障",
    "将政府信息公开工作纳入年度考核，全年未发生责任追究情况。",
]

#: table 2 (2021 layout): block caption, header cells, rows of (label, values)
TABLE2 = [
    ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
     [("规章", ["0", "0", "0"]), ("行政规范性文件", ["3", "1", "12"])]),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [("行政许可", ["156"])]),
    ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], [("行政处罚", ["42"]), ("行政强制", ["5"])]),
    ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], [("行政事业性收费", ["12.5"])]),
]

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _v(*values: int) -> list[str]:
    return [str(v) for v in values]


#: table 3 rows: (top group, sub group, label, values); groups are "" when the row has none
TABLE3 = [
    ("", "", "一、本年新收政府信息公开申请数量", _v(25, 3, 0, 1, 2, 0, 31)),
    ("", "", "二、上年结转政府信息公开申请数量", _v(2, 1, 0, 0, 0, 0, 3)),
    ("三、本年度办理结果", "", "（一）予以公开", _v(10, 1, 0, 0, 1, 0, 12)),
    ("三、本年度办理结果", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", _v(3, 1, 0, 0, 0, 0, 4)),
    ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", _v(0, 0, 0, 0, 0, 0, 0)),
    ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开", _v(0, 0, 0, 0, 0, 0, 0)),
    ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”", _v(1, 0, 0, 0, 0, 0, 1)),
    ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益", _v(1, 0, 0, 0, 0, 0, 1)),
    ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息", _v(0, 0, 0, 0, 0, 0, 0)),
    ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息", _v(1, 0, 0, 0, 0, 0, 1)),
    ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷", _v(0, 0, 0, 0, 0, 0, 0)),
    ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项", _v(0, 0, 0, 0, 0, 0, 0)),
    ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息", _v(5, 1, 0, 1, 0, 0, 7)),
    ("三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作", _v(1, 0, 0, 0, 0, 0, 1)),
    ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确", _v(0, 0, 0, 0, 0, 0, 0)),
    ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请", _v(1, 0, 0, 0, 0, 0, 1)),
    ("三、本年度办理结果", "（五）不予处理", "2.重复申请", _v(1, 0, 0, 0, 0, 0, 1)),
    ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物", _v(0, 0, 0, 0, 0, 0, 0)),
    ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请", _v(0, 0, 0, 0, 0, 0, 0)),
    ("三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", _v(0, 0, 0, 0, 0, 0, 0)),
    ("三、本年度办理结果", "（六）其他处理",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", _v(0, 0, 0, 0, 0, 0, 0)),
    ("三、本年度办理结果", "（六）其他处理",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", _v(0, 0, 0, 0, 0, 0, 0)),
    ("三、本年度办理结果", "（六）其他处理", "3.其他", _v(1, 0, 0, 0, 0, 0, 1)),
    ("三、本年度办理结果", "", "（七）总计", _v(25, 3, 0, 1, 1, 0, 30)),
    ("", "", "四、结转下年度继续办理", _v(2, 1, 0, 0, 1, 0, 4)),
]

T4_TOP = [("行政复议", 5), ("行政诉讼", 10)]
T4_RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T4_VALUES = _v(1, 0, 0, 1, 2, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0)

PROBLEMS = [
    "2022年我局政府信息公开工作取得一定成效，但仍存在政策解读形式较为单一等问题。",
    "下一步，我局将丰富解读形式，提升公开质量。",
]
OTHER = ["本年度未收取信息处理费。"]

SECTION_TITLES = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def report_text(newline: str = "\n") -> str:
    """The report as plain text; tables flattened one row per line, cells separated by tabs."""
    lines = [TITLE, INTRO, SECTION_TITLES[0], *OVERVIEW, SECTION_TITLES[1]]
    for caption, header, rows in TABLE2:
        lines.append(caption)
        lines.append("\t".join(header))
        lines.extend("\t".join([label, *values]) for label, values in rows)
    lines.append(SECTION_TITLES[2])
    lines.append(T3_NOTE + "\t申请人情况")
    lines.append("\t".join(["自然人", "法人或其他组织", "总计"]))
    lines.append("\t".join(T3_COLUMNS[1:6]))
    for _group, _sub, label, values in TABLE3:
        lines.append("\t".join([label, *values]))
    lines.append(SECTION_TITLES[3])
    lines.append("行政复议\t行政诉讼")
    lines.append("\t".join([*T4_RESULTS, "未经复议直接起诉", "复议后起诉"]))
    lines.append("\t".join(T4_RESULTS * 2))
    lines.append("\t".join(T4_VALUES))
    lines.append(SECTION_TITLES[4])
    lines.extend(PROBLEMS)
    lines.append(SECTION_TITLES[5])
    lines.extend(OTHER)
    return newline.join(lines) + newline


# ---------------------------------------------------------------------------
# HTML


def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs}><p><span>{html.escape(text, quote=False)}</span></p></td>"


def table2_html() -> str:
    rows = []
    for caption, header, body in TABLE2:
        rows.append("<tr>" + _td(caption, colspan=4) + "</tr>")
        if len(header) == 4:
            rows.append("<tr>" + "".join(_td(h) for h in header) + "</tr>")
            rows.extend("<tr>" + _td(label) + "".join(_td(v) for v in values) + "</tr>" for label, values in body)
        else:
            rows.append("<tr>" + _td(header[0]) + _td(header[1], colspan=3) + "</tr>")
            rows.extend("<tr>" + _td(label) + _td(values[0], colspan=3) + "</tr>" for label, values in body)
    return '<table border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"


def table3_html() -> str:
    """Table 3 as the official template draws it: 3 label columns, merged group labels."""
    rows = [
        "<tr>" + _td(T3_NOTE, rowspan=3, colspan=3) + _td("申请人情况", colspan=7) + "</tr>",
        "<tr>" + _td("自然人", rowspan=2) + _td("法人或其他组织", colspan=5) + _td("总计", rowspan=2) + "</tr>",
        "<tr>" + "".join(_td(c) for c in T3_COLUMNS[1:6]) + "</tr>",
    ]
    group_rows = sum(1 for g, _s, _l, _v in TABLE3 if g)
    sub_counts: dict[str, int] = {}
    for _g, sub, _l, _v in TABLE3:
        if sub:
            sub_counts[sub] = sub_counts.get(sub, 0) + 1
    seen_group = False
    seen_sub: set[str] = set()
    for group, sub, label, values in TABLE3:
        cells = ""
        if not group:
            cells += _td(label, colspan=3)
        else:
            if not seen_group:
                cells += _td(group, rowspan=group_rows)
                seen_group = True
            if sub:
                if sub not in seen_sub:
                    cells += _td(sub, rowspan=sub_counts[sub])
                    seen_sub.add(sub)
                cells += _td(label)
            else:
                cells += _td(label, colspan=2)
        cells += "".join(_td(v) for v in values)
        rows.append("<tr>" + cells + "</tr>")
    return '<table border="1">\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>"


def table4_html() -> str:
    rows = [
        "<tr>" + _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10) + "</tr>",
        "<tr>" + "".join(_td(r, rowspan=2) for r in T4_RESULTS)
        + _td("未经复议直接起诉", colspan=5) + _td("复议后起诉", colspan=5) + "</tr>",
        "<tr>" + "".join(_td(r) for r in T4_RESULTS * 2) + "</tr>",
        "<tr>" + "".join(_td(v) for v in T4_VALUES) + "</tr>",
    ]
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def article_html() -> str:
    """The report body as a CMS editor would paste it (paragraphs indented with &nbsp;)."""
    p = "<p style=\"text-indent:2em\">&nbsp;&nbsp;{}</p>".format
    parts = [f"<p style=\"text-align:center\"><strong>{TITLE}</strong></p>", p(html.escape(INTRO))]
    parts.append(p(SECTION_TITLES[0]))
    parts.extend(p(html.escape(x)) for x in OVERVIEW)
    parts.append(p(SECTION_TITLES[1]))
    parts.append(table2_html())
    parts.append(p(SECTION_TITLES[2]))
    parts.append(table3_html())
    parts.append(p(SECTION_TITLES[3]))
    parts.append(table4_html())
    parts.append(p(SECTION_TITLES[4]))
    parts.extend(p(x) for x in PROBLEMS)
    parts.append(p(SECTION_TITLES[5]))
    parts.extend(p(x) for x in OTHER)
    return "\n".join(parts)


def cms_page(article: str | None = None) -> str:
    """A whole CMS page around the article: head, scripts, navigation, sidebar, footer."""
    article = article_html() if article is None else article
    sidebar_items = "".join(
        f"<li><a href=\"/art/{i}.html\">某某区{name}2022年政府信息公开工作年度报告</a></li>"
        for i, name in enumerate(["教育局", "民政局", "财政局", "人力社保局", "自然资源局", "住建局",
                                   "交通运输局", "农业农村局", "商务局", "文广旅体局"])
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{TITLE}_某某区人民政府</title>
<link rel="stylesheet" href="/css/main.css">
<style>.nav li {{ float: left; }} /* 总体情况 */</style>
<script type="text/javascript">
  var s = "<p>一、总体情况</p>"; if (a < b && c > d) {{ document.write(s); }}
</script>
</head>
<body>
<div class="top-bar">欢迎访问某某区人民政府门户网站 <a href="/login">登录</a></div>
<div class="header"><img src="/images/logo.png" alt="某某区人民政府"></div>
<ul class="nav">
  <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
  <li><a href="/zdgk/">主动公开</a></li><li><a href="/ysqgk/">依申请公开</a></li>
</ul>
<div class="main clearfix">
  <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; 年度报告</div>
  <div class="col-left">
    <div class="article">
      <h1 class="art-title">{TITLE}</h1>
      <div class="art-info">发布日期：2023-01-18　来源：区司法局　浏览次数：<span id="hits">1024</span></div>
      <div class="art-content" id="zoom">
{article}
      </div>
      <div class="art-tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
    </div>
  </div>
  <div class="col-right">
    <h3>相关信息</h3>
    <ul>{sidebar_items}</ul>
  </div>
</div>
<div class="footer">
  <p>主办单位：某某区人民政府办公室　承办单位：某某区大数据发展管理局</p>
  <p>版权所有：某某区人民政府　网站标识码：3301000001　浙ICP备00000000号</p>
</div>
<script>_hmt.push(["_trackPageview"]);</script>
</body>
</html>
"""


# ---------------------------------------------------------------------------
# .docx (python-docx is a test-only dependency)


def _fill_table3(table) -> None:  # type: ignore[no-untyped-def]
    cell = table.cell
    cell(0, 0).merge(cell(2, 2)).text = T3_NOTE
    cell(0, 3).merge(cell(0, 9)).text = "申请人情况"
    cell(1, 3).merge(cell(2, 3)).text = "自然人"
    cell(1, 4).merge(cell(1, 8)).text = "法人或其他组织"
    cell(1, 9).merge(cell(2, 9)).text = "总计"
    for k, name in enumerate(T3_COLUMNS[1:6]):
        cell(2, 4 + k).text = name
    group_rows = [3 + i for i, row in enumerate(TABLE3) if row[0]]
    cell(group_rows[0], 0).merge(cell(group_rows[-1], 0)).text = TABLE3[group_rows[0] - 3][0]
    subs: dict[str, list[int]] = {}
    for i, (_g, sub, _l, _v) in enumerate(TABLE3):
        if sub:
            subs.setdefault(sub, []).append(3 + i)
    for sub, rows in subs.items():
        cell(rows[0], 1).merge(cell(rows[-1], 1)).text = sub
    for i, (group, sub, label, values) in enumerate(TABLE3):
        r = 3 + i
        if not group:
            cell(r, 0).merge(cell(r, 2)).text = label
        elif not sub:
            cell(r, 1).merge(cell(r, 2)).text = label
        else:
            cell(r, 2).text = label
        for k, value in enumerate(values):
            cell(r, 3 + k).text = value


def build_docx(path) -> None:  # type: ignore[no-untyped-def]
    """Write the report as a .docx with headings, paragraphs and merged-cell tables."""
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(INTRO)
    document.add_paragraph(SECTION_TITLES[0], style="Heading 1")
    for text in OVERVIEW:
        document.add_paragraph(text)
    document.add_paragraph(SECTION_TITLES[1], style="Heading 1")
    t2 = document.add_table(rows=0, cols=4)
    for caption, header, rows in TABLE2:
        cells = t2.add_row().cells
        cells[0].merge(cells[3]).text = caption
        cells = t2.add_row().cells
        if len(header) == 4:
            for k, h in enumerate(header):
                cells[k].text = h
            for label, values in rows:
                cells = t2.add_row().cells
                cells[0].text = label
                for k, v in enumerate(values):
                    cells[k + 1].text = v
        else:
            cells[0].text = header[0]
            cells[1].merge(cells[3]).text = header[1]
            for label, values in rows:
                cells = t2.add_row().cells
                cells[0].text = label
                cells[1].merge(cells[3]).text = values[0]
    document.add_paragraph(SECTION_TITLES[2], style="Heading 1")
    t3 = document.add_table(rows=3 + len(TABLE3), cols=10)
    _fill_table3(t3)
    document.add_paragraph(SECTION_TITLES[3], style="Heading 1")
    t4 = document.add_table(rows=4, cols=15)
    c = t4.cell
    c(0, 0).merge(c(0, 4)).text = "行政复议"
    c(0, 5).merge(c(0, 14)).text = "行政诉讼"
    for k, name in enumerate(T4_RESULTS):
        c(1, k).merge(c(2, k)).text = name
    c(1, 5).merge(c(1, 9)).text = "未经复议直接起诉"
    c(1, 10).merge(c(1, 14)).text = "复议后起诉"
    for k, name in enumerate(T4_RESULTS * 2):
        c(2, 5 + k).text = name
    for k, value in enumerate(T4_VALUES):
        c(3, k).text = value
    document.add_paragraph(SECTION_TITLES[4], style="Heading 1")
    for text in PROBLEMS:
        document.add_paragraph(text)
    document.add_paragraph(SECTION_TITLES[5], style="Heading 1")
    for text in OTHER:
        document.add_paragraph(text)
    document.save(path)
