"""GK3 template version: do the tables follow the right format, and follow it exactly?

Two formats exist: the trial format of 国办公开办函〔2019〕60号 for the 2019 and
2020 reports, and the format of 国办公开办函〔2021〕30号 for 2021 onwards.  They
differ in table 2 (columns and blocks) and in table 3's （六）其他处理.  This family
checks that the tables use the format of the report year, that one report does not
mix both, and that row and column labels are the template's (accepted spellings
listed in the template are fine; other wordings are reported), and notes rows,
values and header annotations the template does not have.

Layout years, 文号, markers and labels come from ``rules/layouts/*.toml``; the
patterns that tell a note after a table from an extra row are in
``rules/template.toml`` (top-level table ``template_checks``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gklint import hookimpl
from gklint.data import DataError, LayoutSpec, StandardData, TableSpec
from gklint.findings import Fix, Message, Problem, Related, Severity
from gklint.model import CellKind, Document, HeaderLabel, Row, Span, Table, TableStatus
from gklint.normalize import fold, norm_label
from gklint.rule import CheckContext, Example, Rule

__all__ = ["RULES", "gklint_rules"]

_TABLE_NAMES = {"table2": ("表2", "table 2"), "table3": ("表3", "table 3"), "table4": ("表4", "table 4")}


# -- data ----------------------------------------------------------------------------------


class _Config:
    __slots__ = ("not_a_row",)

    def __init__(self, not_a_row: tuple[re.Pattern[str], ...]) -> None:
        self.not_a_row = not_a_row




def _build_config(data: StandardData) -> _Config:
    patterns: list[re.Pattern[str]] = []
    for path, raw in data.items("template_checks"):
        values: Any = raw.get("not_a_row", []) if isinstance(raw, dict) else None
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DataError(Message(f"{path}: 键 template_checks.not_a_row：应为正则表达式字符串列表",
                                    f"{path}: key template_checks.not_a_row: expected a list of regular expression strings"))
        for i, value in enumerate(values):
            try:
                patterns.append(re.compile(value))
            except re.error as exc:
                raise DataError(Message(f"{path}: 键 template_checks.not_a_row[{i}]：不是有效的正则表达式（{exc}）",
                                        f"{path}: key template_checks.not_a_row[{i}]: not a valid regular expression ({exc})")) from None
    return _Config(tuple(patterns))


def _config(data: StandardData) -> _Config:
    """The compiled ``template_checks`` data (parsed once per :class:`StandardData`)."""
    return data.derived("template", _build_config)


# -- helpers --------------------------------------------------------------------------------


def _years(spec: LayoutSpec) -> tuple[str, str]:
    if spec.last_year >= 9999:
        return f"{spec.first_year}年及以后年度", f"{spec.first_year} onwards"
    return f"{spec.first_year}—{spec.last_year}年度", f"{spec.first_year}-{spec.last_year}"


def _describe(spec: LayoutSpec) -> Message:
    """``《name》（basis，适用于 years）``."""
    zh, en = _years(spec)
    return Message(f"《{spec.name}》（{spec.basis}，适用于{zh}报告）", f"《{spec.name}》 ({spec.basis}, for the reports of {en})")


def _short(spec: LayoutSpec | None, layout_id: str) -> Message:
    if spec is None:
        return Message(f"{layout_id}格式", f"the {layout_id} layout")
    zh, en = _years(spec)
    return Message(f"{zh}格式（{spec.basis}）", f"the format for {en} ({spec.basis})")


def _table_name(table_id: str) -> tuple[str, str]:
    return _TABLE_NAMES.get(table_id, (table_id, table_id))


def _quoted(evidence: list[_Evidence], lang: str = "zh", limit: int = 4) -> str:
    """``“a”“b”“c”等``: the distinct evidence texts, at most *limit*."""
    seen = list(dict.fromkeys(e.show(lang) for e in evidence))
    more = ("等" if lang == "zh" else " etc.") if len(seen) > limit else ""
    return "".join(seen[:limit]) + more


def _table_spec(data: StandardData, table: Table) -> TableSpec | None:
    layout = data.layouts.get(table.layout or "")
    return layout.tables.get(table.id) if layout else None


def _distinctive_rows(data: StandardData, table: Table) -> list[Row]:
    """Rows found in *table* that only its layout's template has as data rows (e.g. table 3's （六） sub-rows)."""
    own = _table_spec(data, table)
    if own is None:
        return []
    others = [lay.tables[table.id] for lay in data.layouts.values() if lay.id != table.layout and table.id in lay.tables]
    out = []
    for row in table.rows:
        spec = own.row(row.id)
        if row.extra or row.label_span is None or spec is None or spec.group_only:
            continue
        if all((o.row(row.id) is None or o.row(row.id).group_only) for o in others):  # type: ignore[union-attr]
            out.append(row)
    return out


class _Evidence:
    __slots__ = ("span", "text", "note")

    def __init__(self, span: Span, text: str, note: Message | None = None) -> None:
        self.span = span
        self.text = text
        self.note = note

    def show(self, lang: str = "zh") -> str:
        return f"“{self.text}”" + (self.note.get(lang) if self.note else "")


def _evidence(doc: Document, data: StandardData, layout_id: str) -> list[_Evidence]:
    """What shows that tables follow *layout_id*: its markers, else rows only its template has."""
    out = [_Evidence(m.span, m.text) for m in doc.layout.markers if m.layout == layout_id]
    for table in doc.tables.values():
        if table.status is TableStatus.FOUND and table.layout == layout_id:
            single = {r.id for lay in data.layouts.values() if lay.id != layout_id and table.id in lay.tables
                      for r in lay.tables[table.id].rows if r.group_only}
            for row in _distinctive_rows(data, table):
                if row.label_span is not None:
                    note = Message("（只有一行，没有子项）", " (a single row, no sub-rows)") if row.id in single else None
                    out.append(_Evidence(row.label_span, row.label, note))
    out.sort(key=lambda e: e.span.start)
    return out


# -- GK301 layout vs year ----------------------------------------------------------------------


def check_layout_year(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """The tables follow the format that applies to the report year."""
    year = doc.metadata.year
    found = context.data.layouts.get(doc.layout.layout)
    expected = context.data.layout_for_year(year)
    if year is None or found is None or expected is None or found.id == expected.id:
        return
    evidence = _evidence(doc, context.data, found.id)
    tables = [t for t in doc.tables.values() if t.status is TableStatus.FOUND and t.span is not None]
    span = evidence[0].span if evidence else (tables[0].span if tables else None)
    shown, shown_en = _quoted(evidence), _quoted(evidence, "en")
    want, got = _describe(expected), _describe(found)
    related: list[Related] = []
    year_span = doc.metadata.title_span if doc.metadata.year_from_title else doc.metadata.period_span
    if year_span is not None:
        related.append(Related(year_span, Message(f"报告年度：{year}年", f"report year: {year}")))
    related.extend(Related(e.span, Message(f"{_short(found, found.id).zh}的标志", f"marker of {_short(found, found.id).en}")) for e in evidence[1:4])
    yield Problem(
        span,
        Message(
            f"{year}年度报告应使用{want.zh}的表格，但表格采用的是{got.zh}：{shown}",
            f"a report for {year} must use the tables of {want.en}, but its tables follow {got.en}: {shown_en}",
        ),
        related=tuple(related),
        key=(str(year), expected.id, found.id),
    )


# -- GK302 mixed layouts -----------------------------------------------------------------------


def _layouts_in_use(doc: Document) -> list[str]:
    used = {m.layout for m in doc.layout.markers}
    used.update(v for v in doc.layout.tables.values() if v)
    return sorted(used)


def check_mixed_layout(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """All tables follow one format."""
    used = [lid for lid in _layouts_in_use(doc) if lid in context.data.layouts]
    if doc.layout.layout != "mixed" and len(used) < 2:
        return
    evidence = {lid: _evidence(doc, context.data, lid) for lid in used}
    used = [lid for lid in used if evidence[lid]]
    if len(used) < 2:
        return
    expected = context.data.layout_for_year(doc.metadata.year)
    if expected is not None and expected.id in used:
        odd = [lid for lid in used if lid != expected.id]
    else:
        odd = sorted(used, key=lambda lid: (len(evidence[lid]), lid))[:-1]
    main = [lid for lid in used if lid not in odd]
    parts_zh, parts_en = [], []
    for lid in [*main, *odd]:
        short = _short(context.data.layouts.get(lid), lid)
        parts_zh.append(f"{short.zh}的{_quoted(evidence[lid], 'zh', 3)}")
        parts_en.append(f"{short.en}: {_quoted(evidence[lid], 'en', 3)}")
    first = evidence[odd[0]][0]
    related = tuple(
        Related(e.span, Message(f"{_short(context.data.layouts.get(lid), lid).zh}的标志“{e.text}”",
                                f"marker “{e.text}” of {_short(context.data.layouts.get(lid), lid).en}"))
        for lid in main for e in evidence[lid][:2]
    )
    yield Problem(
        first.span,
        Message(f"同一报告的表格混用了两种格式：{'；'.join(parts_zh)}", f"the tables mix two formats: {'; '.join(parts_en)}"),
        related=related,
        key=("mixed", *used),
    )


# -- GK303 / GK304 / GK305 labels -------------------------------------------------------------------


def _where(data: StandardData, table: Table, row: Row | None = None, block: str = "") -> tuple[str, str]:
    """``表2“第二十条第（一）项”`` / ``表3“（三）不予公开”下`` for messages."""
    zh, en = _table_name(table.id)
    spec = _table_spec(data, table)
    if spec is not None and spec.blocks:
        block_id = block or (spec.row(row.id).block if row is not None and spec.row(row.id) else "")  # type: ignore[union-attr]
        caption = next((b.caption for b in spec.blocks if b.id == block_id), "")
        if caption:
            return f"{zh}“{caption}”", f"{en} “{caption}”"
    if row is not None and row.group:
        return f"{zh}“{row.group}”下", f"{en} under “{row.group}”"
    return zh, en


def _is_annotation(header: HeaderLabel) -> bool:
    """The written header is the template's with more annotation, e.g. ``（单位：万元，保留4位小数）``."""
    canon = norm_label(header.label.split("/")[-1])
    written = norm_label(header.found_label)
    if len(written) <= len(canon):
        return False
    if written.startswith(canon):
        return True
    return canon.endswith(")") and written.endswith(")") and written.startswith(canon[:-1])


def _found_tables(doc: Document) -> Iterator[Table]:
    for table in doc.tables.values():
        if table.status is TableStatus.FOUND:
            yield table


def check_label_wording(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Row and column labels are the template's (or a spelling the template accepts)."""
    for table in _found_tables(doc):
        fmt = _short(context.data.layouts.get(table.layout or ""), table.layout or "")
        for row in table.rows:
            if row.extra or row.label_matched != "fuzzy" or row.label_span is None:
                continue
            where_zh, where_en = _where(context.data, table, row)
            yield Problem(
                row.label_span,
                Message(f"{where_zh}的行标签写作“{row.found_label}”，{fmt.zh}为“{row.label}”",
                        f"{where_en}: row label “{row.found_label}”; {fmt.en} has “{row.label}”"),
                fix=Fix(row.label_span, row.label, Message(f"改为“{row.label}”", f"use “{row.label}”")),
                key=(table.id, row.id, row.found_label),
            )
        for header in table.headers:
            if header.matched != "fuzzy" or header.span is None or _is_annotation(header):
                continue
            where_zh, where_en = _where(context.data, table, block=header.block)
            canon = header.label.split("/")[-1]
            yield Problem(
                header.span,
                Message(f"{where_zh}的列标题写作“{header.found_label}”，{fmt.zh}为“{canon}”",
                        f"{where_en}: column header “{header.found_label}”; {fmt.en} has “{canon}”"),
                key=(table.id, header.column_id, header.found_label),
            )


def check_extra_rows(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Rows the template does not have."""
    config = _config(context.data)
    for table in _found_tables(doc):
        fmt = _short(context.data.layouts.get(table.layout or ""), table.layout or "")
        previous: Row | None = None
        note_line = -1
        for row in table.rows:
            if not row.extra:
                previous = row
                continue
            if row.label_span is None:
                continue
            line = doc.position(row.label_span.start).line
            if line == note_line or any(p.search(fold(row.found_label)) for p in config.not_a_row):
                note_line = line  # the rest of a note's line is not a row either
                continue
            values = "、".join(c.text for c in row.cells)
            where_zh, where_en = _where(context.data, table, previous)
            after_zh = f"在“{previous.label}”之后" if previous else ""
            after_en = f" after “{previous.label}”" if previous else ""
            yield Problem(
                row.label_span,
                Message(f"{where_zh}{after_zh}多出一行“{row.found_label}”（数值：{values}），{fmt.zh}没有这一行",
                        f"{where_en}: extra row “{row.found_label}”{after_en} (values: {values}); {fmt.en} has no such row"),
                key=(table.id, row.found_label),
            )


def check_extra_cells(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Values beyond the template's columns in a template row, and annotations added to a column header."""
    for table in _found_tables(doc):
        for row in table.rows:
            extra = [c for c in row.cells if c.extra and c.span is not None]
            if row.extra or not extra:
                continue
            n = len(row.cells) - len(extra)
            values = "、".join(f"“{c.text}”" for c in extra)
            where_zh, where_en = _table_name(table.id)
            message = Message(f"{where_zh}“{row.label}”行多出{len(extra)}个数值{values}（模板为{n}列），这些数值未参与核对",
                              f"{where_en} row “{row.label}” has {len(extra)} value(s) more than the template's {n} columns: {values}; they are not checked")
            # a number other than 0 that nobody checked may be a figure that shifted: worth a warning
            numbers = [c for c in extra if c.kind in (CellKind.INT, CellKind.DECIMAL) and c.value]
            if numbers:
                shown = "、".join(f"“{c.text}”" for c in numbers)
                message = Message(f"{message.zh}；{'其中' if len(extra) > 1 else ''}{shown}不是0，请确认数值没有错位",
                                  f"{message.en}, and {shown} is not 0: make sure no figure shifted")
            yield Problem(
                extra[0].span,
                message,
                key=(table.id, row.id, str(len(extra))),
                severity=Severity.WARNING if numbers else None,
            )
        for header in table.headers:
            if header.matched != "fuzzy" or header.span is None or not _is_annotation(header):
                continue
            where_zh, where_en = _where(context.data, table, block=header.block)
            canon = header.label.split("/")[-1]
            yield Problem(
                header.span,
                Message(f"{where_zh}的列标题写作“{header.found_label}”，在模板的“{canon}”上加了说明",
                        f"{where_en}: column header “{header.found_label}” adds an annotation to the template's “{canon}”"),
                key=(table.id, header.column_id, header.found_label),
            )


# -- rules -----------------------------------------------------------------------------------

_F2021 = "国办公开办函〔2021〕30号 附件《中华人民共和国政府信息公开工作年度报告格式》"
_F2019 = "国办公开办函〔2019〕60号 附件《中华人民共和国政府信息公开工作年度报告格式（试行）》"
_TITLE = "2022年政府信息公开工作年度报告"

RULES: list[Rule] = [
    Rule(
        id="GK301",
        name="layout-year",
        family="GK3",
        severity=Severity.ERROR,
        short=Message("表格格式与报告年度不符", "the tables' format does not match the report year"),
        full=Message(
            "2019、2020年度报告使用国办公开办函〔2019〕60号印发的试行格式，2021年度及以后的报告使用国办公开办函〔2021〕30号印发的格式。"
            "两者的表2（列和栏目）和表3“（六）其他处理”不同。报告年度取自标题，标题没有年份时取自统计期限；"
            "表格格式依据表中的标志性栏目判断（如“本年制发件数”“本年新制作数量”“上一年项目数量”）。用了旧格式的新年度报告"
            "缺少新格式要求的数据，反之亦然。",
            "Reports for 2019 and 2020 use the trial format of 国办公开办函〔2019〕60号; reports for 2021 onwards use the "
            "format of 国办公开办函〔2021〕30号. They differ in table 2 and in table 3's （六）其他处理. The report year comes "
            "from the title (else the statistics period); the tables' format from their distinctive labels. A report in "
            "the wrong format lacks figures its year's format asks for.",
        ),
        help=Message(
            "按报告年度适用的格式重新制作表格（照抄该格式附件的表格），并核对引用的格式文件文号。",
            "Redo the tables from the attachment of the format for the report year, and check the cited 文号.",
        ),
        check=check_layout_year,
        source=Message(f"{_F2021}；{_F2019}", f"{_F2021}; {_F2019}"),
        examples=(
            Example(bad="2020年政府信息公开工作年度报告", good=_TITLE, replaces=_TITLE),
        ),
    ),
    Rule(
        id="GK302",
        name="mixed-layout",
        family="GK3",
        severity=Severity.ERROR,
        short=Message("表格混用新旧两种格式", "the tables mix the old and the new format"),
        full=Message(
            "同一份报告的表格部分按2019/2020年试行格式、部分按2021年格式制作，例如表2的栏目用了新格式的“本年制发件数”，"
            "又用了旧格式的“本年新制作数量”，或表2是新格式而表3“（六）其他处理”仍只有一行。这样的表格与任何一种格式都不一致，数据无法汇总。",
            "Some tables (or columns) follow the 2019/2020 trial format and others the 2021 format, e.g. table 2 has both "
            "“本年制发件数” (new) and “本年新制作数量” (old), or table 2 is new while table 3 still has a single "
            "（六）其他处理 row. Such tables match neither format and cannot be collated.",
        ),
        help=Message("全部表格按报告年度适用的格式制作。", "Make every table in the format for the report year."),
        check=check_mixed_layout,
        source=Message(f"{_F2021}；{_F2019}", f"{_F2021}; {_F2019}"),
        examples=(
            Example(bad="\t本年新制作数量\n", good="\t本年制发件数\n", replaces="\t本年制发件数\n"),
        ),
    ),
    Rule(
        id="GK303",
        name="label-wording",
        family="GK3",
        severity=Severity.WARNING,
        short=Message("表格行列标签与模板不一致", "a row or column label differs from the template"),
        full=Message(
            "表格的行标签或列标题能对应到模板的某一行（列），但文字与模板不同，例如“2.其他法律法规禁止公开”（模板为“2.其他法律行政法规禁止公开”），"
            "2021年格式表2中写成旧格式的“规范性文件”（应为“行政规范性文件”）。模板列出的常见写法（如逗号代替顿号）视为一致，不报告。"
            "改动标签会改变统计口径的含义，也妨碍汇总。",
            "A row or column label corresponds to one of the template's but is worded differently, e.g. "
            "“2.其他法律法规禁止公开” for “2.其他法律行政法规禁止公开”, or the old “规范性文件” in a 2021 table 2 "
            "(“行政规范性文件”). Spellings the template lists as accepted are not reported. Changed labels change what "
            "a figure means and hinder collation.",
        ),
        help=Message("照抄模板的行列标签。", "Copy the labels from the template."),
        check=check_label_wording,
        source=Message(f"{_F2021}（表2至表4）", f"{_F2021} (tables 2 to 4)"),
        examples=(
            Example(bad="\t2.其他法律法规禁止公开\n", good="\t2.其他法律行政法规禁止公开\n", replaces="\t2.其他法律行政法规禁止公开\n"),
        ),
    ),
    Rule(
        id="GK304",
        name="extra-row",
        family="GK3",
        severity=Severity.WARNING,
        short=Message("表格多出模板没有的行", "a table has a row the template lacks"),
        full=Message(
            "表格中有模板没有的行（带有数值），例如在表2第二十条第（一）项下加了“其他主动公开文件”。格式的表格是统一的统计口径，"
            "自行增加的行不属于任何一项，也不参与勾稽关系的核对；需要补充说明的内容应写在正文中。表格后的注释、说明文字不算多出的行。",
            "A table has a row with values that the template does not have, e.g. “其他主动公开文件” added to table 2. "
            "The format's tables are a uniform statistical scheme; an added row belongs to no item and is not checked; "
            "explanations belong in the text. Notes after a table are not counted as rows.",
        ),
        help=Message("删去多出的行，需要说明的情况写在正文中。", "Remove the row; explain in the text if needed."),
        check=check_extra_rows,
        source=Message(f"{_F2021}（表2至表4）", f"{_F2021} (tables 2 to 4)"),
        examples=(
            Example(
                bad="\t行政规范性文件\n\t2\n\t1\n\t5\n\n\t其他主动公开文件\n\t3\n\t0\n\t3\n",
                good="\t行政规范性文件\n\t2\n\t1\n\t5\n",
                replaces="\t行政规范性文件\n\t2\n\t1\n\t5\n",
            ),
        ),
    ),
    Rule(
        id="GK305",
        name="extra-values",
        family="GK3",
        severity=Severity.INFO,
        short=Message("表格多出的数值或列标题附注", "extra values in a row, or an annotation added to a header"),
        full=Message(
            "模板中的某一行读到的数值比模板的列数多（常见于从 Word 或网页复制时多出一个空列或重复单元格），或者列标题在模板文字上加了说明"
            "（如“本年收费金额（单位：万元，保留4位小数）”）。多出的数值不参与核对，需要确认没有错位；列标题附注通常无害，仅作提示。"
            "多出的数值中有不是0的数字时报警告：那是一个没有人核对过的数，可能是错位的数据；多出的是0或空白时仍为提示。",
            "A template row has more values than the template's columns (often an extra empty column or a duplicated cell "
            "from copying out of Word or a web page), or a column header adds an annotation to the template's text (such as "
            "“（单位：万元，保留4位小数）”). Extra values are not checked; make sure nothing shifted. Header annotations are "
            "usually harmless; this is a note. When a surplus value is a number other than 0 the finding is a warning: a figure "
            "nobody checked, perhaps shifted; surplus zeros or blanks stay a note.",
        ),
        help=Message("删去多余的单元格；列标题照抄模板。", "Remove the surplus cells; copy column headers from the template."),
        check=check_extra_cells,
        source=Message(f"{_F2021}（表2至表4）", f"{_F2021} (tables 2 to 4)"),
        examples=(
            Example(
                bad="\t本年收费金额（单位：万元，保留4位小数）\n",
                good="\t本年收费金额（单位：万元）\n",
                replaces="\t本年收费金额（单位：万元）\n",
            ),
        ),
    ),
]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    _config(data)
    return ["template_checks"]
