"""Helpers for testing gklint and rule packs on realistic report text.

:func:`make_report` writes a complete, clean annual report (2021 or 2020
layout) whose tables balance and whose prose agrees with the tables, in any of
the ways reports reach us: one cell per line, tab-separated rows, ``|``-separated
cells, space-separated rows, markdown pipes, HTML (with rowspan/colspan) or
.docx (needs python-docx, a test-only dependency).  Tests then break exactly
one thing with ``str.replace`` or the keyword arguments.

:func:`load_document` and :func:`run_rule` run one rule on a text without the
plugin machinery.
"""

from __future__ import annotations

import html as _html
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Any

from gklint.data import StandardData, load_standard_data, national_data_files
from gklint.findings import Problem
from gklint.model import Document, Position, SourceText
from gklint.rule import CheckContext, Rule
from gklint.structure import build_document

__all__ = [
    "FLATTENINGS",
    "TABLE3_2021",
    "TABLE4",
    "STYLES",
    "docx_document",
    "load_document",
    "located",
    "make_report",
    "pack_data",
    "pack_plugins",
    "report_in",
    "run_rule",
    "standard_data",
]

FLATTENINGS = ("cells", "tabs", "pipes", "spaces", "markdown")
#: Every form a report reaches gklint in: the text flattenings, HTML and .docx.
STYLES = (*FLATTENINGS, "html", "docx")

#: Applicant columns (自然人 … 其他) per data row of a balanced table 3; 总计 is computed.
TABLE3_2021: dict[str, list[int]] = {
    "new": [5, 2, 0, 0, 1, 0],
    "carried_over": [1, 0, 0, 0, 0, 0],
    "disclosed": [2, 1, 0, 0, 0, 0],
    "partly": [1, 0, 0, 0, 0, 0],
    "withheld_4": [1, 0, 0, 0, 0, 0],
    "unable_1": [1, 1, 0, 0, 1, 0],
}
#: Table 4: (维持, 纠正, 其他, 尚未审结) for 行政复议, 未经复议直接起诉, 复议后起诉; 总计 computed.
TABLE4: list[list[int]] = [[1, 0, 0, 1], [1, 0, 0, 0], [0, 0, 0, 0]]

_DATA: StandardData | None = None


def standard_data() -> StandardData:
    """The national standard data (cached)."""
    global _DATA
    if _DATA is None:
        _DATA = load_standard_data(national_data_files())
    return _DATA


def load_document(text: str | bytes, path: str = "report.txt", data: StandardData | None = None) -> Document:
    """Build the document model of *text* read as file *path*.

    Plain text (``str``, a ``.txt`` path) is taken as the text reader would
    decode it; ``.html``/``.htm`` and ``.docx`` go through the built-in readers
    (``str`` is encoded as UTF-8).
    """
    suffix = PurePath(path).suffix.lower()
    if suffix in (".html", ".htm", ".docx"):
        from gklint.readers.base import Limits
        from gklint.readers.docx import DocxReader
        from gklint.readers.html import HtmlReader

        reader = DocxReader() if suffix == ".docx" else HtmlReader()
        raw = text.encode("utf-8") if isinstance(text, str) else text
        source = reader.read(raw, path, Limits())
    elif isinstance(text, bytes):
        from gklint.readers.base import Limits
        from gklint.readers.text import TextReader

        source = TextReader().read(text, path, Limits())
    else:
        from gklint.reflow import reflow

        repaired = reflow(text)
        source = (SourceText(text, "text", "utf-8") if repaired is None else
                  SourceText(repaired.text, "text", "utf-8", source=text, offsets=repaired.offsets,
                             repairs=repaired.repairs))
    return build_document(source, path, data or standard_data())


def located(text: str, needle: str, start: int = 0) -> Position:
    """1-based line and column of the first *needle* in *text* (from *start*), counted without gklint.

    Lines end at ``\n``; columns count code points.  Tests use it to check
    positions independently of :meth:`Document.position`.
    """
    offset = text.index(needle, start)
    return Position(text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def run_rule(
    rule: Rule,
    doc: Document | str,
    options: Mapping[str, Any] | None = None,
    plugin_config: Mapping[str, Any] | None = None,
    data: StandardData | None = None,
) -> list[Problem]:
    """Run one rule's check on a document (or on text) and return its problems.

    *data* defaults to the national standard; a pack passes :func:`pack_data`.
    """
    if isinstance(doc, str):
        doc = load_document(doc, data=data)
    merged = {**rule.options, **(options or {})}
    context = CheckContext(options=merged, data=data or standard_data(), plugin_config=plugin_config or {})
    return list(rule.check(doc, context))


def pack_data(files: Iterable[Any]) -> StandardData:
    """The national standard merged with a pack's data *files* (paths or resources).

    Only merged, not validated by the families; to see validation messages, lint
    with the pack loaded (:func:`pack_plugins`) and read the notifications.
    """
    return load_standard_data([*national_data_files(), *files])


def pack_plugins(name: str, module: object) -> list[tuple[str, object]]:
    """What to pass as ``plugins=`` so that a pack is loaded exactly once under *name*.

    Empty when the pack is installed (its entry point ``name`` is found by
    autoloading); ``[(name, module)]`` when its tests run from a source tree.
    """
    from importlib.metadata import entry_points

    if any(ep.name == name for ep in entry_points(group="gklint")):
        return []
    return [(name, module)]


# -- the report generator -------------------------------------------------------


def _table3_rows(layout: str, values: Mapping[str, Sequence[int]]) -> tuple[list[list[str]], dict[str, list[int]]]:
    spec = standard_data().layouts[layout].tables["table3"]
    full: dict[str, list[int]] = {}
    for row in spec.data_rows():
        six = list(values.get(row.id, [0] * 6))
        full[row.id] = [*six, sum(six)]
    results = [r.id for r in spec.data_rows() if r.group and r.id != "total"]
    if "total" not in values:
        full["total"] = [sum(full[r][i] for r in results) for i in range(7)]
    if "carried_forward" not in values:
        full["carried_forward"] = [full["new"][i] + full["carried_over"][i] - full["total"][i] for i in range(7)]
    grid: list[list[str]] = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", L, L, "申请人情况", L, L, L, L, L, L],
        [U, U, U, "自然人", "法人或其他组织", L, L, L, L, "总计"],
        [U, U, U, U, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", U],
    ]
    labels = {r.id: r.label for r in spec.rows}
    last_group = ""
    for row in spec.rows:
        if row.group_only:
            continue
        nums = [str(v) for v in full[row.id]]
        if not row.group:
            grid.append([row.label, L, L, *nums])
        elif row.group == "results":
            first = row.id == "disclosed"
            grid.append(["三、本年度办理结果" if first else U, row.label, L, *nums])
        else:
            group_label = labels[row.group] if row.group != last_group else U
            grid.append([U, group_label, row.label, *nums])
        last_group = row.group
    return grid, full


def _table2_rows(layout: str, values: Mapping[str, Sequence[str]] | None) -> list[list[str]]:
    spec = standard_data().layouts[layout].tables["table2"]
    defaults_2021 = {"rules": ["0", "0", "0"], "normative": ["2", "1", "5"], "licensing": ["120"], "penalty": ["15"], "enforcement": ["3"], "fees": ["0"]}
    defaults_2020 = {"rules": ["0", "0", "0"], "normative": ["2", "2", "5"], "licensing": ["3", "0", "120"], "other_services": ["2", "0", "8"], "penalty": ["4", "0", "15"], "enforcement": ["2", "0", "3"], "fees": ["1", "0"], "procurement": ["2", "36.5"]}
    defaults = defaults_2021 if layout == "2021" else defaults_2020
    grid: list[list[str]] = []
    width = 1 + max(len(b.columns) for b in spec.blocks)
    for block in spec.blocks:
        grid.append([block.caption, *[L] * (width - 1)])
        grid.append(["信息内容", *(c.label for c in block.columns), *[L] * (width - 1 - len(block.columns))])
        for row in block.rows:
            vals = list((values or {}).get(row.id, defaults[row.id]))
            grid.append([row.label, *vals, *[L] * (width - 1 - len(vals))])
    return grid


def _table4_rows(values: Sequence[Sequence[int]]) -> tuple[list[list[str]], list[int]]:
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    flat: list[int] = []
    for group in values:
        flat.extend([*group, sum(group)])
    grid = [
        ["行政复议", L, L, L, L, "行政诉讼", *[L] * 9],
        [*outcomes, "未经复议直接起诉", L, L, L, L, "复议后起诉", L, L, L, L],
        [U, U, U, U, U, *outcomes, *outcomes],
        [str(v) for v in flat],
    ]
    return grid, flat


#: Grid markers: this cell is merged into the one on its left (L) or above (U).
L = "\x00<"
U = "\x00^"


def _plain(grid: list[list[str]]) -> list[list[str]]:
    """Merged positions become empty cells, as text flatteners write them."""
    return [["" if c in (L, U) else c for c in row] for row in grid]


def _extent(grid: list[list[str]], r: int, c: int) -> tuple[int, int]:
    """(rowspan, colspan) of the cell at (r, c)."""
    colspan = 1
    while c + colspan < len(grid[r]) and grid[r][c + colspan] == L:
        colspan += 1
    rowspan = 1
    while r + rowspan < len(grid) and c < len(grid[r + rowspan]) and grid[r + rowspan][c] == U:
        rowspan += 1
    return rowspan, colspan


def _flatten(grid: list[list[str]], style: str) -> str:
    lines: list[str] = []
    for row in _plain(grid):
        if style == "cells":
            lines.extend("\t" + cell for cell in row)
            lines.append("")
        elif style == "tabs":
            lines.append("\t".join(row))
        elif style == "pipes":
            lines.extend(f"{cell} |" for cell in row if cell)
            lines.append("|" * max(1, sum(1 for c in row if not c)))
        elif style == "spaces":
            lines.append("    ".join(cell for cell in row if cell))
        elif style == "markdown":
            lines.append("| " + " | ".join(row) + " |")
            if len(lines) == 1 or lines[-2] == "":
                lines.append("|" + " --- |" * len(row))
        else:
            raise ValueError(f"unknown flattening {style!r}")
    return "\n".join(lines)


def _html_table(grid: list[list[str]]) -> str:
    rows = []
    for r, row in enumerate(grid):
        cells = []
        for c, cell in enumerate(row):
            if cell in (L, U):
                continue
            rowspan, colspan = _extent(grid, r, c)
            attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
            cells.append(f"<td{attrs}>{_html.escape(cell)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1">\n' + "\n".join(rows) + "\n</table>"


def _parts(
    layout: str, year: int, agency: str, table3: Mapping[str, Sequence[int]] | None,
    table4: Sequence[Sequence[int]] | None, table2: Mapping[str, Sequence[str]] | None,
) -> tuple[list[str | list[list[str]]], dict[str, Any]]:
    t3_values: dict[str, Sequence[int]] = dict(TABLE3_2021)
    if layout == "2020":
        t3_values["other_handling"] = [0] * 6
    t3_values.update(table3 or {})
    t3_grid, t3 = _table3_rows(layout, t3_values)
    t4_grid, t4 = _table4_rows(table4 or TABLE4)
    t2_grid = _table2_rows(layout, table2)
    basis = (
        "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）"
        if layout == "2021"
        else "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）"
    )
    intro = (
        f"本报告根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）和{basis}要求编制。"
        "报告全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
        "存在的主要问题及改进情况、其他需要报告的事项共六部分。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        f"本报告电子版可在东平市人民政府门户网站（www.dongping.gov.cn）查阅或下载。"
        f"如对本报告有疑问，请与{agency}办公室联系（地址：东平市人民路88号；邮编：271500；电话：0538-5261234；电子邮箱：dpgk@dongping.gov.cn）。"
    )
    answered = t3["total"][6]
    facts = {"table3": t3, "table4": t4}
    parts: list[str | list[list[str]]] = [
        agency,
        f"{year}年政府信息公开工作年度报告",
        "",
        intro,
        "一、总体情况",
        f"{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》和上级政务公开工作部署，扎实推进政府信息公开工作。",
        "（一）主动公开",
        "全年通过政府门户网站主动公开政府信息236条，其中机构职能12条、政策文件38条、工作动态186条。",
        "（二）依申请公开",
        f"{year}年，本机关共收到政府信息公开申请{t3['new'][6]}件，上年结转{t3['carried_over'][6]}件，"
        f"共办理答复{answered}件，结转下年度继续办理{t3['carried_forward'][6]}件。",
        "（三）政府信息管理",
        "严格落实公开属性源头认定和保密审查机制，动态更新政府信息公开指南和主动公开目录。",
        "（四）政府信息公开平台建设",
        "持续优化政府门户网站信息公开专栏，及时更新各栏目内容。",
        "（五）监督保障",
        "调整政务公开工作领导小组，组织开展政务公开业务培训2次。",
        "二、主动公开政府信息情况",
        t2_grid,
        "三、收到和处理政府信息公开申请情况",
        t3_grid,
        "四、政府信息公开行政复议、行政诉讼情况",
        t4_grid,
        "五、存在的主要问题及改进情况",
        f"{year}年政府信息公开工作取得一定成效，但仍存在政策解读形式不够丰富、公开内容不够全面等问题。下一步将丰富解读形式，拓展公开深度。",
        "六、其他需要报告的事项",
        f"本机关{year}年未收取信息处理费。"
        + ("依据《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）执行。" if year >= 2021 else ""),
    ]
    return parts, facts


def make_report(
    *,
    layout: str = "2021",
    year: int | None = None,
    flattening: str = "cells",
    agency: str = "东平市工业和信息化局",
    table3: Mapping[str, Sequence[int]] | None = None,
    table4: Sequence[Sequence[int]] | None = None,
    table2: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """A complete, clean report as text (``flattening`` in :data:`FLATTENINGS`) or ``"html"``.

    ``table3`` overrides the six applicant values of data rows by row id (the
    总计 column, the （七）总计 row and 四、结转 are computed unless given);
    ``table4`` gives (维持, 纠正, 其他, 尚未审结) per group.
    """
    year = year if year is not None else (2022 if layout == "2021" else 2020)
    parts, _ = _parts(layout, year, agency, table3, table4, table2)
    if flattening == "html":
        body = []
        for part in parts:
            if isinstance(part, list):
                body.append(_html_table(part))
            elif part:
                body.append(f"<p>{_html.escape(part)}</p>")
        return (
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>年度报告</title></head>\n<body>\n"
            + "\n".join(body)
            + "\n</body></html>\n"
        )
    out: list[str] = []
    for part in parts:
        out.append(_flatten(part, flattening) if isinstance(part, list) else part)
    return "\n".join(out) + "\n"


def report_in(style: str, edits: Sequence[tuple[str, str]] = (), **kwargs: Any) -> tuple[Document, str]:
    """The example report in *style* (one of :data:`STYLES`) with *edits*: the document and the
    text its positions refer to (the extracted text for .docx).

    Each ``(old, new)`` edit replaces the first ``old``, which must be there; *kwargs* go to
    :func:`make_report` / :func:`make_docx`.
    """
    if style == "docx":
        doc = load_document(make_docx(replacements=edits, **kwargs), "r.docx")
        return doc, doc.source
    text = make_report(flattening=style, **kwargs)
    for old, new in edits:
        if old not in text:
            raise ValueError(f"not in the example report: {old!r}")
        text = text.replace(old, new, 1)
    return load_document(text, "r.html" if style == "html" else "report.txt"), text


def docx_document(**kwargs: Any) -> Document:
    """The document of :func:`make_docx` (*kwargs*), read as ``r.docx``."""
    return load_document(make_docx(**kwargs), "r.docx")


def make_docx(*, replacements: Sequence[tuple[str, str]] = (), text: str | None = None, **kwargs: Any) -> bytes:
    """The same report as :func:`make_report`, as .docx bytes with merged table cells (needs python-docx).

    ``replacements`` are ``(old, new)`` edits, each applied once to the first
    paragraph or table-cell paragraph that holds ``old``.  With ``text``, the
    document is instead one paragraph per line of that text (enough for rules
    about prose).
    """
    import docx  # test-only dependency

    document = docx.Document()
    if text is not None:
        for line in text.splitlines():
            document.add_paragraph(line)
    else:
        layout = kwargs.get("layout", "2021")
        year = kwargs.get("year") or (2022 if layout == "2021" else 2020)
        parts, _ = _parts(layout, year, kwargs.get("agency", "东平市工业和信息化局"), kwargs.get("table3"),
                          kwargs.get("table4"), kwargs.get("table2"))
        for part in parts:
            if isinstance(part, list):
                _docx_table(document, part)
            elif part:
                document.add_paragraph(part)
    if replacements:
        paragraphs = list(document.paragraphs)
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    paragraphs.extend(cell.paragraphs)
        for old, new in replacements:
            target = next((p for p in paragraphs if old in p.text), None)
            if target is None:
                raise ValueError(f"no paragraph of the .docx holds {old!r}")
            target.text = target.text.replace(old, new, 1)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document: Any, grid: list[list[str]]) -> None:
    width = max(len(r) for r in grid)
    table = document.add_table(rows=len(grid), cols=width)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value in (L, U):
                continue
            rowspan, colspan = _extent(grid, r, c)
            cell = table.cell(r, c)
            if rowspan > 1 or colspan > 1:
                cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
            cell.text = value


def report_facts(**kwargs: Any) -> dict[str, Any]:
    """The computed table values of :func:`make_report` with the same arguments."""
    layout = kwargs.get("layout", "2021")
    year = kwargs.get("year") or (2022 if layout == "2021" else 2020)
    _, facts = _parts(layout, year, kwargs.get("agency", "东平市工业和信息化局"), kwargs.get("table3"),
                      kwargs.get("table4"), kwargs.get("table2"))
    return facts
