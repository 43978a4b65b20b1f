"""Helpers for testing gklint and rule packs on realistic report text.

:func:`make_report` writes a complete, clean annual report (in any layout of the
standard data; its tables and citation come from the layout's data) whose tables balance and whose prose agrees with the tables, in any of
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
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Protocol

from gklint import hookimpl
from gklint.data import LayoutSpec, StandardData, load_standard_data, national_data_files
from gklint.findings import Problem
from gklint.model import Document, Position, SourceText
from gklint.rule import CheckContext, Rule
from gklint.structure import build_document

__all__ = [
    "DEFECTS",
    "DataFiles",
    "FLATTENINGS",
    "PARTS",
    "SHAPES",
    "TRUNCATIONS",
    "TABLE3_2021",
    "TABLE4",
    "STYLES",
    "docx_document",
    "load_document",
    "Defect",
    "located",
    "make_report",
    "make_shaped",
    "pack_data",
    "pack_plugins",
    "regional_report",
    "report_in",
    "run_cli",
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


class _Capture(Protocol):
    def readouterr(self) -> tuple[str, str]: ...


def run_cli(capture: _Capture, *args: str) -> tuple[int, str, str]:
    """Run the ``gklint`` command in this process: (exit code, stdout, stderr).

    *capture* is what captured the output (pytest's ``capsys``).  A traceback in the output,
    or a command that does not exit with a code, fails the calling test.
    """
    from gklint.cli import main

    try:
        main(list(args))
    except SystemExit as exited:
        code = exited.code
    else:
        raise AssertionError("gklint returned without exiting")
    out, err = capture.readouterr()
    assert "Traceback" not in out + err, out + err
    assert isinstance(code, int), code
    return code, out, err


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
    previous: Document | str | None = None,
) -> list[Problem]:
    """Run one rule's check on a document (or on text) and return its problems.

    *data* defaults to the national standard; a pack passes :func:`pack_data`.
    *previous*: the same agency's earlier report (a document, or text read as
    ``previous.txt``), given as ``context.previous`` to a rule declared ``needs_previous``.
    """
    if isinstance(doc, str):
        doc = load_document(doc, data=data)
    if isinstance(previous, str):
        previous = load_document(previous, "previous.txt", data=data)
    merged = {**rule.options, **(options or {})}
    context = CheckContext(options=merged, data=data or standard_data(), plugin_config=plugin_config or {},
                           previous=previous)
    return list(rule.check(doc, context))


def pack_data(files: Iterable[Any]) -> StandardData:
    """The national standard merged with a pack's data *files* (paths or resources).

    Only merged, not validated by the families; to see validation messages, lint
    with the pack loaded (:func:`pack_plugins`) and read the notifications.
    """
    return load_standard_data([*national_data_files(), *files])


class DataFiles:
    """A plugin that only adds data files: ``plugins=[("name", DataFiles(path))]`` (a layout or a
    data pack under test, without a package around it)."""

    def __init__(self, *paths: Any) -> None:
        self.paths = list(paths)

    @hookimpl
    def gklint_data_files(self) -> list[Any]:
        return self.paths


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


#: Table 2 values by (row id, column id), for every layout that has that cell; any other cell is 0.
TABLE2_VALUES: dict[tuple[str, str], str] = {
    ("normative", "issued"): "2", ("normative", "repealed"): "1", ("normative", "in_force"): "5",
    ("normative", "made"): "2", ("normative", "published"): "2", ("normative", "total_published"): "5",
    ("licensing", "previous_items"): "3", ("licensing", "decisions"): "120",
    ("other_services", "previous_items"): "2", ("other_services", "decisions"): "8",
    ("penalty", "previous_items"): "4", ("penalty", "decisions"): "15",
    ("enforcement", "previous_items"): "2", ("enforcement", "decisions"): "3",
    ("fees", "previous_items"): "1",
    ("procurement", "procurement_items"): "2", ("procurement", "procurement_amount"): "36.5",
}


def _layout_year(layout: str | None, year: int | None, data: StandardData | None) -> tuple[LayoutSpec, int]:
    """The layout to write (the newest when *layout* is None) and the report year (by default one
    the layout applies to: its last year, or the year after its first when it has no end)."""
    from gklint.layouts import newest_first

    data = data or standard_data()
    spec = data.layouts[layout if layout is not None else newest_first(data)[0]]
    if year is None:
        year = spec.last_year if spec.last_year < 9999 else spec.first_year + 1
    return spec, year


def _table3_rows(layout: LayoutSpec, values: Mapping[str, Sequence[int]]) -> tuple[list[list[str]], dict[str, list[int]]]:
    spec = layout.tables["table3"]
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
    top = {r.id for r in spec.rows if not r.group}
    last_group = ""
    started: set[str] = set()
    for row in spec.rows:
        if row.group_only:
            continue
        nums = [str(v) for v in full[row.id]]
        if not row.group:
            grid.append([row.label, L, L, *nums])
        elif row.group in top:
            first = row.group not in started
            started.add(row.group)
            grid.append([labels[row.group] if first else U, row.label, L, *nums])
        else:
            group_label = labels[row.group] if row.group != last_group else U
            grid.append([U, group_label, row.label, *nums])
        last_group = row.group
    return grid, full


def _table2_rows(layout: LayoutSpec, values: Mapping[str, Sequence[str]] | None) -> list[list[str]]:
    spec = layout.tables["table2"]
    grid: list[list[str]] = []
    width = 1 + max(len(b.columns) for b in spec.blocks)
    for block in spec.blocks:
        grid.append([block.caption, *[L] * (width - 1)])
        grid.append(["信息内容", *(c.label for c in block.columns), *[L] * (width - 1 - len(block.columns))])
        for row in block.rows:
            default = [TABLE2_VALUES.get((row.id, c.id), "0") for c in block.columns]
            vals = list((values or {}).get(row.id, default))
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
    layout: LayoutSpec, year: int, agency: str, table3: Mapping[str, Sequence[int]] | None,
    table4: Sequence[Sequence[int]] | None, table2: Mapping[str, Sequence[str]] | None,
) -> tuple[list[str | list[list[str]]], dict[str, Any]]:
    t3_values: dict[str, Sequence[int]] = dict(TABLE3_2021)
    t3_values.update(table3 or {})
    t3_grid, t3 = _table3_rows(layout, t3_values)
    t4_grid, t4 = _table4_rows(table4 or TABLE4)
    t2_grid = _table2_rows(layout, table2)
    basis = f"{layout.notice}（{layout.basis}）"
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
    layout: str | None = None,
    year: int | None = None,
    flattening: str = "cells",
    agency: str = "东平市工业和信息化局",
    table3: Mapping[str, Sequence[int]] | None = None,
    table4: Sequence[Sequence[int]] | None = None,
    table2: Mapping[str, Sequence[str]] | None = None,
    data: StandardData | None = None,
) -> str:
    """A complete, clean report as text (``flattening`` in :data:`FLATTENINGS`) or ``"html"``.

    ``layout`` is the id of a layout of *data* (the national data by default), the newest
    when not given; ``year`` is by default one the layout applies to.

    ``table3`` overrides the six applicant values of data rows by row id (the
    总计 column, the （七）总计 row and 四、结转 are computed unless given);
    ``table4`` gives (维持, 纠正, 其他, 尚未审结) per group.
    """
    spec, year = _layout_year(layout, year, data)
    parts, _ = _parts(spec, year, agency, table3, table4, table2)
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


def regional_report(region: str, *, data: StandardData | None = None, **kwargs: Any) -> str:
    """:func:`make_report` for an agency of *region* (``"江苏省"``): its name in the title and the address,
    its first telephone area code and a postcode of its own, so gklint works the region out.

    *data* is the standard data that knows the region (the national table by default; pass
    :func:`pack_data` of a pack that declares a city or county); *kwargs* go to :func:`make_report`.
    """
    from gklint.regions import region_table

    table = region_table(data or standard_data())
    found = table.lookup(region)
    if found is None:
        raise ValueError(f"unknown region {region!r}")
    chain = table.chain(found.code)
    codes = next((sorted(r.area_codes) for r in reversed(chain) if r.area_codes), [])
    posts = next((r.postcodes for r in reversed(chain) if r.postcodes), ())
    kwargs.setdefault("agency", f"{found.name}工业和信息化局")
    text = make_report(**kwargs).replace("地址：东平市人民路88号", f"地址：{found.name}人民路88号")
    if codes:
        text = text.replace("0538-", f"{codes[0]}-")
    if posts:
        text = text.replace("271500", (posts[0] + "00000")[:6])
    return text


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
        parts, _ = _report_parts(kwargs)
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
    _, facts = _report_parts(kwargs)
    return facts


def _report_parts(kwargs: Mapping[str, Any]) -> tuple[list[str | list[list[str]]], dict[str, Any]]:
    """:func:`_parts` for *kwargs* as :func:`make_report` takes them."""
    spec, year = _layout_year(kwargs.get("layout"), kwargs.get("year") or None, kwargs.get("data"))
    return _parts(spec, year, kwargs.get("agency", "东平市工业和信息化局"), kwargs.get("table3"),
                  kwargs.get("table4"), kwargs.get("table2"))


# -- reports whose shape was lost ------------------------------------------------------

#: The shapes :func:`make_shaped` renders a report in (text as real extraction and crawling leave it).
SHAPES = ("pdf-layout", "pdf-plain", "wrapped", "runon", "oneline", "truncated")
#: Where a ``"truncated"`` report is cut, chosen by ``seed % len(TRUNCATIONS)``: inside section 一
#: (after its first paragraph), inside table 2, 3 or 4, or inside section 五.
TRUNCATIONS = ("section1", "table2", "table3", "table4", "section5")
#: The parts of a report in reading order (the ``part`` of a :data:`DEFECTS` entry is one of
#: them, or ``"layout"``: the whole report).
PARTS = ("citation", "period", "contact", "prose", "table2", "table3", "table4", "section")

_CLOSING = set("，。、；：？！）》〕」』”’%,.;:)]")
_PAGE_NUMBERS = ("-{n}-", "— {n} —", "—{n}—", "第 {n} 页", "第{n}页", "- {n} -", "{n}", "第{n}页 共{total}页")
_SPACED_LABELS = ("地址：", "邮编：", "电话：", "电子邮箱：")


def _width(text: str) -> int:
    """Display columns of *text* (CJK and full-width forms count two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _space_digits(text: str) -> str:
    """A space between CJK ideographs and ASCII letters or digits, as PDF extraction inserts it."""
    import re

    return re.sub(r"(?<=[\u4e00-\u9fff])(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])(?=[\u4e00-\u9fff])", " ", text)


def _spread(text: str, rng: Any) -> str:
    """*text* with spaces between some of its characters (a justified short label)."""
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        if i < len(text) - 1 and not ch.isascii() and rng.random() < 0.6:
            out.append(" ")
    return "".join(out)


def _one_space(text: str, rng: Any) -> str:
    """*text* with one space inside (justified text extracted: ``只计这一情 形，不计其他情形``)."""
    at = rng.randint(2, len(text) - 2)
    return text[:at] + " " + text[at:]


def _wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """*text* hard-wrapped at *width* display columns, the first line indented by *indent* columns.

    ASCII runs are not broken; closing punctuation never starts a line (it overhangs).
    """
    import re

    tokens = re.findall(r"[\x21-\x2c\x2e-\x7e]+-?|-| |.", text)  # ASCII runs may break after a hyphen
    lines: list[str] = []
    line, used = " " * indent, indent
    for token in tokens:
        w = _width(token)
        if used + w > width and used > 0 and token not in _CLOSING and line.strip():
            lines.append(line.rstrip())
            line, used = "", 0
            if token == " ":
                continue
        line += token
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _edited_parts(edits: Sequence[tuple[str, str]], kwargs: Mapping[str, Any]) -> list[str | list[list[str]]]:
    """:func:`_parts` for *kwargs* (as :func:`make_report`'s) with *edits* applied (see :func:`make_shaped`)."""
    unknown = set(kwargs) - {"layout", "year", "agency", "table3", "table4", "table2", "data"}
    if unknown:
        raise TypeError(f"unknown report arguments: {', '.join(sorted(unknown))}")
    parts, _ = _report_parts(kwargs)
    out: list[str | list[list[str]]] = [p if isinstance(p, str) else [list(r) for r in p] for p in parts]
    for old, new in edits:
        if not _apply_edit(out, old, new):
            raise ValueError(f"not in the example report: {old!r}")
    return out


def _apply_edit(parts: list[str | list[list[str]]], old: str, new: str) -> bool:
    for i, part in enumerate(parts):
        if isinstance(part, str):
            if "\t" not in old and old in part:
                parts[i] = part.replace(old, new, 1)
                return True
            continue
        for row in part:
            if "\t" in old:
                joined = "\t".join("" if c in (L, U) else c for c in row)
                if old in joined:
                    cells = joined.replace(old, new, 1).split("\t")
                    if len(cells) != len(row):
                        raise ValueError(f"an edit of a table row must keep its cells: {old!r} -> {new!r}")
                    row[:] = [c if c in (L, U) and not v else v for c, v in zip(row, cells, strict=True)]
                    return True
                continue
            for c, cell in enumerate(row):
                if cell not in (L, U) and old in cell:
                    row[c] = cell.replace(old, new, 1)
                    return True
    return False


def _table_widths(grid: list[list[str]], rng: Any, wide: bool) -> list[int]:
    """Display widths of the columns of *grid* when printed (table 3 and 4 number columns are narrow)."""
    n = max(len(r) for r in grid)
    if n == 4:  # table 2
        return [rng.randint(14, 22), *[rng.randint(12, 20)] * 3]
    if n == 15:  # table 4: five narrow columns per group
        w = rng.choice((4, 4, 5, 6))
        return [w] * n
    labels = [rng.randint(10, 14), rng.randint(12, 16), rng.randint(26, 30)] if wide else [rng.randint(5, 7)] * 3
    return [*labels, *[rng.choice((2, 3, 4, 5, 6, 7))] * (n - 3)]


def _layout_table(grid: list[list[str]], rng: Any, wide: bool, row_gap: bool, centred: bool,
                  header_rows: int) -> list[str]:
    merged_middle = rng.random() < 0.5  # merged labels on a middle line of their rows (WPS) or on the first (Word)
    """*grid* as ``pdftotext -layout`` prints a Word table: cells wrapped in their columns, columns
    aligned by runs of spaces, merged cells' text on a middle line of their block."""
    widths = _table_widths(grid, rng, wide)
    gap = 2
    xs = [sum(widths[:c]) + gap * c for c in range(len(widths))]
    placed: list[tuple[int, int, int, int, list[str]]] = []  # (row, rowspan, x, height, lines)
    heights = [1] * len(grid)
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell in (L, U) or not cell:
                continue
            rowspan, colspan = _extent(grid, r, c)
            span = sum(widths[c:c + colspan]) + gap * (colspan - 1)
            lines = _wrap(cell, span)
            if r < header_rows or colspan == len(widths):
                lines = [" " * max(0, (span - _width(line)) // 2) + line for line in lines]
            placed.append((r, rowspan, xs[c], len(lines), lines))
            if rowspan == 1:
                heights[r] = max(heights[r], len(lines))
    for r, rowspan, _, h, _ in placed:
        if rowspan > 1:
            have = sum(heights[r:r + rowspan]) + (rowspan - 1 if row_gap else 0)
            if h > have:
                heights[r + rowspan - 1] += h - have
    starts = []
    line = 0
    for h in heights:
        starts.append(line)
        line += h + (1 if row_gap else 0)
    canvas: list[list[tuple[int, str]]] = [[] for _ in range(line)]
    for r, rowspan, x, h, lines in placed:
        block = sum(heights[r:r + rowspan]) + (rowspan - 1 if row_gap else 0)
        top = starts[r]
        if (rowspan > 1 and merged_middle) or (rowspan == 1 and centred):
            top += max(0, (block - h) // 2)
        for i, text in enumerate(lines):
            canvas[min(top + i, len(canvas) - 1)].append((x, text))
    out = []
    for segments in canvas:
        text = ""
        for x, seg in sorted(segments):
            pad = x - len(text)  # pdftotext places a glyph at the character column of its x: a column keeps its column
            text += " " * max(pad, 1 if text else 0) + seg
        out.append(text.rstrip())
    while out and not out[-1]:
        out.pop()
    return out


def _plain_table(grid: list[list[str]], rng: Any, wide: bool, cell_gap: bool, header_rows: int) -> list[str]:
    """*grid* as plain ``pdftotext`` prints a Word table: one text block per cell, wrapped in its
    column; a block of rows either row by row or column by column (numbers of several rows
    down each column, their labels before or after), merged labels out of place."""
    widths = _table_widths(grid, rng, wide)
    out: list[str] = []

    def cell_lines(r: int, c: int) -> list[str]:
        _, colspan = _extent(grid, r, c)
        return _wrap(grid[r][c], sum(widths[c:c + colspan]) + 2 * (colspan - 1))

    def emit(lines: list[str]) -> None:
        out.extend(lines)
        if cell_gap:
            out.append("")

    # blocks of data rows: a row with a label in the first column (or the results group) starts one
    blocks: list[list[int]] = []
    for r in range(header_rows, len(grid)):
        if not blocks or any(c not in (L, U) and c for c in grid[r][:2]) or len(grid[r]) in (4, 15):
            blocks.append([r])
        else:
            blocks[-1].append(r)
    late: list[list[str]] = []
    for r in range(header_rows):
        for c, cell in enumerate(grid[r]):
            if cell in (L, U) or not cell:
                continue
            if cell == "总计" and rng.random() < 0.5:
                late.append(cell_lines(r, c))  # printed after the first data row
            else:
                emit(cell_lines(r, c))
    for b, rows in enumerate(blocks):
        order = rng.choice(("rows", "rows", "split", "split", "numbers-first", "columns", "columns-late"))
        if len(rows) == 1 and order not in ("rows", "split"):
            order = "split"
        labels: list[list[str]] = []
        numbers: list[list[str]] = []
        merged: list[list[str]] = []
        for r in rows:
            row_labels, row_numbers = [], []
            for c, cell in enumerate(grid[r]):
                if cell in (L, U) or not cell:
                    continue
                rowspan, _ = _extent(grid, r, c)
                if rowspan > 1:
                    merged.append(cell_lines(r, c))
                elif cell.isdigit() or cell.replace(".", "", 1).isdigit():
                    row_numbers.append(cell)
                else:
                    row_labels.append(cell_lines(r, c))
            labels.append([line for lines in row_labels for line in lines])
            numbers.append(row_numbers)
        if order in ("rows", "split"):  # split: a label's first line, the numbers, then its other lines
            for i in range(len(rows)):
                if merged and i == len(rows) // 2:
                    emit(merged.pop(0))
                if labels[i]:
                    emit(labels[i][:1] if order == "split" else labels[i])
                for n in numbers[i]:
                    emit([n])
                if order == "split" and labels[i][1:]:
                    out.extend(labels[i][1:])
            for lines in merged:
                emit(lines)
        elif order == "numbers-first":  # every number of the block row by row, then the labels
            for n in [n for row in numbers for n in row]:
                emit([n])
            for lines in merged + labels:
                if lines:
                    out.extend(lines)
        else:
            if order == "columns":
                for lines in merged + labels:
                    if lines:
                        emit(lines)
            width = max((len(n) for n in numbers), default=0)
            for c in range(width):
                out.extend(n[c] for n in numbers if c < len(n))
                out.append("")
            if order == "columns-late":
                for lines in labels + merged:
                    if lines:
                        emit(lines)
        if b == 0:
            for lines in late:
                emit(lines)
    while out and not out[-1]:
        out.pop()
    return out


def _header_rows(grid: list[list[str]]) -> int:
    return 0 if len(grid[0]) == 4 else 3


def _is_heading(text: str) -> bool:
    return len(text) <= 30 and "。" not in text


class _Page:
    """Lines gathered into pages with page-number lines, as PDF text extraction gives them: the
    page number after a few blank lines (the bottom margin), then a form feed before the next
    page's first line; ``pdftotext -layout`` also places each page's columns anew (*shift*)."""

    def __init__(self, rng: Any, length: int, centre: int, form_feed: bool, shift: bool) -> None:
        self.rng, self.length, self.centre, self.form_feed, self.shift = rng, length, centre, form_feed, shift
        self.style = rng.choice(_PAGE_NUMBERS)
        self.blank_before = rng.choice((0, 1, 1, 4))
        self.blank_after = rng.choice((0, 1))
        self.lines: list[str] = []
        self.on_page = 0.0
        self.page = 1
        self.offset = 0

    def add(self, line: str, breakable: bool = True, weight: float = 1.0) -> None:
        if self.on_page >= self.length and breakable:
            self.end_page()
        if self.on_page == 0 and self.page > 1 and not line.strip():
            return  # a page starts with its first text
        if self.offset > 0 and line:
            line = " " * self.offset + line
        elif self.offset < 0:
            line = line[min(-self.offset, len(line) - len(line.lstrip(" "))):]
        if self.form_feed and self.on_page == 0 and self.page > 1:
            line = "\f" + line
        self.lines.append(line)
        self.on_page += weight

    def end_page(self, last: bool = False) -> None:
        number = self.style.format(n=self.page, total="{total}")
        self.lines.extend([""] * self.blank_before)
        self.lines.append(" " * max(0, self.centre - _width(number) // 2) + number)
        self.lines.extend([""] * self.blank_after)
        if last and self.form_feed:
            self.lines.append("\f")
        self.page += 1
        self.on_page = 0
        if self.shift:
            self.offset = self.rng.choice((0, 0, -2, -4, 2, 4))

    def text(self) -> str:
        self.end_page(last=True)
        total = str(self.page - 1)
        text = "\n".join(line.replace("{total}", total) for line in self.lines)
        return text if self.form_feed else text.rstrip("\n") + "\n"


def _prose_lines(text: str, rng: Any, width: int, indent: int, spaced: bool) -> list[str]:
    text = _space_digits(text)
    if spaced:
        for label in _SPACED_LABELS:
            if label in text and rng.random() < 0.5:
                text = text.replace(label, _spread(label[:-1], rng) + " ：", 1)
    if _is_heading(text):
        return [" " * indent + text]
    return _wrap(text, width, indent)


def _render_pdf(parts: list[str | list[list[str]]], rng: Any, mode: str) -> str:
    """*parts* as ``pdftotext`` (``mode`` ``"layout"`` or ``"plain"``) or as wrapped text with tab
    tables (``"wrapped"``)."""
    import random
    width = 2 * rng.choice((28, 29, 30, 38, 40, 41))
    indent = 0 if mode == "plain" else rng.choice((0, 2, 4, 5))
    gap = rng.random() < 0.5  # a blank line between paragraphs
    wide = rng.random() < 0.5
    row_gap = rng.random() < 0.5
    centred = rng.random() < 0.5
    cell_gap = rng.random() < 0.6
    page = _Page(rng, rng.randint(36, 48), 0 if mode == "plain" else width // 2, form_feed=mode != "wrapped",
                 shift=mode == "layout")
    if mode == "plain":  # no layout: the page number alone between blank lines
        page.blank_before, page.blank_after = rng.choice((0, 1)), 1
    if mode == "wrapped" and rng.random() < 0.5:
        page.length = 10**9  # copied from one page view: no page numbers
    title_lines = 2
    for i, part in enumerate(parts):
        if isinstance(part, list):
            if mode == "wrapped":
                rows = _flatten(part, "tabs").split("\n")
                for j, line in enumerate(rows):
                    page.add(line, breakable=j == 0)
                continue
            if mode == "layout":
                spaced = [[_spread(c, rng) if c in ("总计", "三、本年度办理结果") and rng.random() < 0.5
                           else _one_space(c, rng) if len(c) > 8 and c[0] != "\x00" and rng.random() < 0.1 else c
                           for c in row] for row in part]
                lines = _layout_table(spaced, rng, wide, row_gap, centred, _header_rows(part))
                weight = 1.0
            else:
                lines = _plain_table(part, rng, wide, cell_gap, _header_rows(part))
                # the page breaks fall where they fall in print: count the printed lines
                printed = _layout_table(part, random.Random(rng.random()), wide, row_gap, centred, _header_rows(part))
                weight = len(printed) / max(1, len(lines))
            if gap:
                page.add("")
            room = page.length - page.on_page
            if len(part[0]) == 10 and len(lines) * weight < room:  # table 3 runs over a page break
                page.on_page += room - rng.uniform(3, max(4, len(lines) * weight / 2))
            for line in lines:
                page.add(line, weight=weight)
            if gap:
                page.add("")
            continue
        if not part:
            continue
        if i < title_lines:
            pad = 0 if mode == "plain" else max(0, (width - _width(part)) // 2)
            page.add(" " * pad + _space_digits(part))
            if gap or i == title_lines - 1:
                page.add("")
            continue
        for line in _prose_lines(part, rng, width, indent, spaced=True):
            page.add(line)
        if gap:
            page.add("")
    return page.text()


def _render_runs(parts: list[str | list[list[str]]], rng: Any, oneline: bool) -> str:
    """Crawled text: tables' cells run together (``oneline``: everything on one line, cells apart by a space)."""
    pieces: list[str] = []
    for part in parts:
        if isinstance(part, list):
            rows = _plain(part)
            if oneline:
                pieces.append(" ".join(c for row in rows for c in row if c))
            else:
                pieces.extend("".join(row) for row in rows)
        elif part:
            pieces.append(part)
    if oneline:
        return rng.choice(("", " ")).join(pieces) + "\n"
    return "\n".join(pieces) + "\n"


def _render_truncated(parts: list[str | list[list[str]]], rng: Any, region: str) -> str:
    """The first part of a wrapped or tab-separated report, cut inside *region* (see :data:`TRUNCATIONS`)."""
    wrapped = rng.random() < 0.5
    width = 2 * rng.choice((28, 30, 40))
    chunks: list[str] = []
    for part in parts:
        if isinstance(part, list):
            chunks.append(_flatten(part, "tabs"))
        elif wrapped and part:
            chunks.append("\n".join(_prose_lines(part, rng, width, 0, spaced=True)))
        else:
            chunks.append(part)
    tables = [i for i, p in enumerate(parts) if isinstance(p, list)]
    target = {
        "section1": tables[0] - 6,  # the body of （三）政府信息管理
        "table2": tables[0], "table3": tables[1], "table4": tables[2],
        "section5": tables[2] + 2,  # the body of 五、
    }[region]
    before = "\n".join(chunks[:target])
    chunk = chunks[target]
    if region == "table4":  # the row of numbers is the last line: cut in it or in the header
        cut = rng.randint(len(chunk) // 3, len(chunk) - 3)
    else:
        cut = rng.randint(max(1, len(chunk) * 3 // 10), max(2, len(chunk) * 8 // 10))
    return before + "\n" + chunk[:cut]


def make_shaped(shape: str, *, edits: Sequence[tuple[str, str]] = (), seed: int = 0, **kwargs: Any) -> str:
    """The example report (:func:`make_report` *kwargs*) in a *shape* of :data:`SHAPES`, as text whose
    table shape was lost on the way; the same *seed* gives the same text.

    *edits* are ``(old, new)`` replacements applied before rendering, each to the first paragraph
    or table cell (in document order) holding ``old``; an ``old`` with a tab acts on a table row,
    its cells joined by tabs (merged positions empty), and must keep the number of cells.

    - ``"pdf-layout"``: as ``pdftotext -layout`` prints the report from Word: prose hard-wrapped
      with first-line indentation, page-number lines (``-3-``, ``— 2 —``, ``第 3 页`` …) and form
      feeds, spaces between CJK and digits (``2022 年``) and inside short labels (``电 话 ：``);
      table cells wrapped in their columns, merged labels on a middle line of their rows, header
      rows over many lines, columns aligned by runs of spaces, page breaks inside tables;
    - ``"pdf-plain"``: as plain ``pdftotext``: the same prose without indentation; tables one cell
      text per line, blocks of rows row by row or column by column, merged labels out of place;
    - ``"wrapped"``: prose as in ``"pdf-layout"``, tables intact (tab-separated rows);
    - ``"runon"``: paragraphs one a line, each table row's cells run together;
    - ``"oneline"``: everything on one line, table cells apart by single spaces;
    - ``"truncated"``: a wrapped or tab-separated report cut inside the part
      ``TRUNCATIONS[seed % len(TRUNCATIONS)]``.

    A flattening of :data:`FLATTENINGS` gives the intact text (as :func:`make_report`) with *edits*.
        """
    import random

    parts = _edited_parts(edits, kwargs)
    rng = random.Random(f"{shape}:{seed}")
    if shape == "pdf-layout":
        return _render_pdf(parts, rng, "layout")
    if shape == "pdf-plain":
        return _render_pdf(parts, rng, "plain")
    if shape == "wrapped":
        return _render_pdf(parts, rng, "wrapped")
    if shape in ("runon", "oneline"):
        return _render_runs(parts, rng, shape == "oneline")
    if shape == "truncated":
        return _render_truncated(parts, rng, TRUNCATIONS[seed % len(TRUNCATIONS)])
    if shape in FLATTENINGS:
        return "\n".join(_flatten(p, shape) if isinstance(p, list) else p for p in parts) + "\n"
    raise ValueError(f"unknown shape {shape!r}")


@dataclass(frozen=True)
class Defect:
    """One kind of defect to put into a generated report (see :data:`DEFECTS`).

    ``edits`` and ``kwargs`` (never ``layout``) go to :func:`make_shaped`; ``rules`` are the rule ids gklint reports for it on an intact (tab or
    one-cell-a-line) report, nothing else; ``part`` is what must be there and be read for it to
    be found (one of :data:`PARTS`, or ``"layout"``; a prose-against-table defect needs its table); ``layouts`` are the layouts (``"2021"``, ``"2020"``) it applies to.
    """

    name: str
    part: str
    rules: tuple[str, ...]
    edits: tuple[tuple[str, str], ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    layouts: tuple[str, ...] = ("2021", "2020")


_FORMAT_2021 = ("《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
                "（国办公开办函〔2021〕30号）")
_FORMAT_2019 = "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）"

#: Defects that gklint finds in an intact report, each with the rules that report it.
DEFECTS: tuple[Defect, ...] = (
    Defect("table3-row-total", "table3", ("GK201", "GK203"),
           edits=(("公开申请数量\t\t\t5\t2\t0\t0\t1\t0\t8", "公开申请数量\t\t\t5\t2\t0\t0\t1\t0\t9"),)),
    Defect("table3-column-identity", "table3", ("GK201",), kwargs={"table3": {"carried_forward": [0] * 6}}),
    Defect("table3-grand-total", "table3", ("GK202", "GK205"), kwargs={"table3": {"total": [5, 3, 0, 0, 1, 0]}}),
    Defect("table4-total", "table4", ("GK204",), edits=(("1\t0\t0\t1\t2", "1\t0\t0\t1\t3"),)),
    # (a cross-check needs its table: it is found where the table is read)
    Defect("prose-table3", "table3", ("GK601",), edits=(("共收到政府信息公开申请8件", "共收到政府信息公开申请10件"),)),
    Defect("prose-table4", "table4", ("GK602",),
           edits=(("结转下年度继续办理", "政府信息公开行政复议5件，结转下年度继续办理"),)),
    Defect("missing-section", "section", ("GK101",), edits=(("五、存在的主要问题及改进情况", ""),)),
    Defect("section-order", "section", ("GK102",), edits=(
        ("五、存在的主要问题及改进情况", "§"), ("六、其他需要报告的事项", "五、存在的主要问题及改进情况"),
        ("§", "六、其他需要报告的事项"))),
    Defect("number-brackets", "citation", ("GK401",), edits=(("〔", "["), ("〕", "]"))),
    Defect("office-name", "citation", ("GK403",),
           edits=(("政府信息与政务公开办公室关于", "政府信息公开与政务公开办公室关于"),)),
    Defect("regulation-title", "citation", ("GK405",),
           edits=(("《中华人民共和国政府信息公开条例》", "《政府信息公开条例》"),)),
    Defect("superseded-format-notice", "citation", ("GK406",), edits=((_FORMAT_2021, _FORMAT_2019),),
           layouts=("2021",)),
    Defect("no-phone", "contact", ("GK502",), edits=(("电话：0538-5261234；", ""),)),
    Defect("bad-email", "contact", ("GK505",), edits=(("dpgk@dongping.gov.cn", "dpgk@dongping"),)),
    Defect("period-not-a-year", "period", ("GK605",), edits=(("12月31日止", "6月30日止"),)),
    Defect("old-layout", "layout", ("GK301", "GK406"), kwargs={"year": 2022}, layouts=("2020",)),
)
