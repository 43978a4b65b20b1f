"""The ``html`` output format: one self-contained page for editors.

Contract:

* One HTML5 document, UTF-8, with its stylesheet and a small script inline and
  nothing external (no fonts, images, scripts or requests; a
  Content-Security-Policy allows only the page's own script and style by hash).
  Without script the page still shows everything; the script only adds
  highlighting.
* More than one file: an index at the top, one row per report (path, verdict,
  counts), each linking to that report's section ``#report-N``.
* Per report: the verdict under ``--fail-on`` (可以发布 / 不宜发布, or 无法读取),
  counts per severity, the layout detected, the report year, reader and
  encoding, each count linking to its findings; the findings grouped by severity
  (errors first, then warnings, then info: ``<h4 id="report-N-error">``), within
  it by section (the first element of the finding's logical path, ``<h5>``),
  each with its message, position, related places,
  fix and the rule's explanation (short and full description, how to fix,
  normative source); and tables 2–4 as HTML tables (canonical row and column
  labels, the text as read, the position on hover) when
  :attr:`FileResult.tables` is filled (the factory sets ``needs_tables``).
* Each finding is ``<li class="finding" id="finding-N">`` (N counts from 1
  over the whole page, files in path order, findings in the order shown) with
  ``data-primary`` / ``data-related``: the ids of the table cells (or row
  labels) its location / related locations start in.  Hovering, focusing or
  clicking it, or opening the page at ``#finding-N``, gives those cells the
  classes ``hl-primary`` / ``hl`` and shows the message (which states the
  identity and the difference) in a bar at the bottom.  Cells involved in any
  finding carry ``flagged`` without script.
* Everything taken from the report or the findings is escaped as by
  :func:`html.escape`; no report text reaches the script.  Output is
  deterministic (no dates, stable ids).  The reporter never opens files.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import IO, Any

from gklint import hookimpl
from gklint.findings import Finding, Location, Notification, Severity
from gklint.formats import ReporterFactory, ReportOptions
from gklint.reporters.base import _LONE_SURROGATE, escape_name
from gklint.reporters.json import ordered_findings, ordered_notifications
from gklint.results import FileResult, RunResult

__all__ = ["HtmlReporter", "cell_targets", "gklint_reporters", "render"]

_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_SEVERITY_EN = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
#: the verdicts that are no layout (a layout is named by its ``short_name``, carried by the table snapshot)
_VERDICTS = {
    "mixed": ("新旧格式混用", "mixed templates"),
    "unknown": ("未能判断", "not detected"),
}
_TABLE_ORDER = ("table2", "table3", "table4")
_KINDS = {
    "plugin-load": ("插件加载失败", "plugin failed to load"),
    "rule-crash": ("规则运行出错", "rule crashed"),
    "unreadable": ("无法读取", "unreadable"),
    "timeout": ("检查超时", "timed out"),
    "config": ("配置问题", "configuration"),
}


def e(value: object) -> str:
    """Escape for element text and double-quoted attribute values: ``html.escape(str(value), quote=True)``."""
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


class _Lang:
    __slots__ = ("en",)

    def __init__(self, en: bool) -> None:
        self.en = en

    def __call__(self, zh: str, en: str) -> str:
        return en if self.en else zh

    def severity(self, severity: Severity) -> str:
        return _SEVERITY_EN[severity] if self.en else severity.label_zh

    def position(self, line: int, column: int) -> str:
        return self(f"第{line}行第{column}列", f"line {line}, column {column}")

    def where(self, loc: Location) -> str:
        """The position, led by the page and line on the page for a PDF."""
        page = loc.page_text("en" if self.en else "zh")
        position = self.position(loc.start_line, loc.start_column)
        if not page:
            return position
        return self(f"{page}（提取文本{position}）", f"{page} (extracted text {position})")


# -- finding -> table cells ---------------------------------------------------------


class _Targets:
    """Positions of the drawn cells and row labels of one file, for lookups by location."""

    __slots__ = ("starts", "entries")

    def __init__(self) -> None:
        self.starts: list[tuple[int, int]] = []
        self.entries: list[tuple[tuple[int, int], tuple[int, int], str]] = []

    def add(self, at: Sequence[int] | None, element_id: str) -> None:
        if at is not None and len(at) == 4:
            self.entries.append(((at[0], at[1]), (at[2], at[3]), element_id))

    def freeze(self) -> None:
        self.entries.sort()
        self.starts = [start for start, _, _ in self.entries]

    def find(self, loc: Location) -> str | None:
        """The element whose span contains the start of *loc* (an empty span: starts there).

        Cells and row labels never overlap, so only the last one starting at or
        before the point can contain it.
        """
        point = (loc.start_line, loc.start_column)
        i = bisect.bisect_right(self.starts, point) - 1
        if i < 0:
            return None
        start, end, element_id = self.entries[i]
        return element_id if start <= point < end or start == point else None


def _element_id(file_no: int, table_no: int, row_no: int, cell_no: int | None) -> str:
    suffix = "h" if cell_no is None else str(cell_no)
    return f"c{file_no}-{table_no}-{row_no}-{suffix}"


def _targets(file_no: int, tables: dict[str, Any]) -> _Targets:
    targets = _Targets()
    for table_no, table in _numbered_tables(tables):
        for row_no, row in enumerate(table.get("rows", ()), 1):
            targets.add(row.get("at"), _element_id(file_no, table_no, row_no, None))
            for cell_no, cell in enumerate(row.get("cells", ()), 1):
                targets.add(cell.get("at"), _element_id(file_no, table_no, row_no, cell_no))
    targets.freeze()
    return targets


def cell_targets(
    file_no: int, file: FileResult, finding: Finding
) -> tuple[list[str], list[str]]:
    """Element ids of the cells (or row labels) *finding*'s location and related locations start in.

    Returns ``(primary, related)``, each without duplicates, related minus primary.
    """
    return _cells_for(_targets(file_no, file.tables or {}), finding)


def _cells_for(targets: _Targets, finding: Finding) -> tuple[list[str], list[str]]:
    primary: list[str] = []
    related: list[str] = []
    hit = targets.find(finding.location)
    if hit is not None:
        primary.append(hit)
    for loc, _message in finding.related:
        if loc.path != finding.location.path:  # a place in another file (last year's report)
            continue
        hit = targets.find(loc)
        if hit is not None and hit not in primary and hit not in related:
            related.append(hit)
    return primary, related


def _numbered_tables(tables: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Tables 2, 3, 4 numbered as in the template; any other table id after them (10, 11, …)."""
    out = [(int(tid[-1]), tables[tid]) for tid in _TABLE_ORDER if tid in tables]
    others = sorted(t for t in tables if t not in _TABLE_ORDER)
    out.extend((10 + i, tables[tid]) for i, tid in enumerate(others))
    return out


# -- the page -------------------------------------------------------------------------


class HtmlReporter:
    """Writes :func:`render`'s page; see the module docstring for the contract."""

    def write(self, result: RunResult, stream: IO[str], options: ReportOptions) -> None:
        stream.write(render(result, options))


def render(result: RunResult, options: ReportOptions) -> str:
    """The whole page as one string."""
    from gklint.reporters._html_assets import CSP, SCRIPT, STYLE  # only when a page is written

    t = _Lang(options.lang == "en")
    files = sorted(result.files, key=lambda f: f.path)
    out: list[str] = []
    counter = [0]
    if len(files) == 1:
        title = t(f"检查结果：{files[0].path}", f"gklint report: {files[0].path}")
    else:
        title = t(f"检查结果（{len(files)} 个文件）", f"gklint report ({len(files)} files)")
    out.append(
        f'<!DOCTYPE html>\n<html lang="{t("zh-CN", "en")}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="gklint {e(result.version)}">\n'
        f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
    )
    out.append(f"<h1>{t('政府信息公开工作年度报告检查结果', 'Annual report check results')}</h1>\n")
    out.append(f'<p class="meta">{e(_run_line(result, files, t))}</p>\n')
    out.append(_run_notes(result, t))
    if len(files) > 1:
        out.append(_index(result, files, t))
    for file_no, file in enumerate(files, 1):
        out.append(_report(result, file, file_no, counter, t))
    out.append(
        f'<footer>{e(t("由 gklint", "Made by gklint"))} {e(result.version)} '
        f'{e(t("生成。行号、列号从 1 开始，列按字符计（一个汉字是一列）。", "(lines and columns count from 1; a column is one character)."))}'
        "</footer>\n</main>\n"
        '<div id="active" role="status" aria-live="polite" hidden></div>\n'
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
    page = "".join(out)
    # a file name that is not UTF-8 holds lone surrogates, which no page can hold: shown as \xff
    return _LONE_SURROGATE.sub(lambda m: escape_name(m.group()), page) if _LONE_SURROGATE.search(page) else page


def _counts_text(counts: dict[str, int], t: _Lang, file_no: int = 0) -> str:
    """The count per severity; a count above 0 links to its findings (``#report-N-error``)."""
    out = []
    for s in _SEVERITIES:
        n = counts.get(s.value, 0)
        number = f'<a href="#report-{file_no}-{s.value}">{n}</a>' if n and file_no else str(n)
        out.append(f'<span class="count {s.value}">{e(t.severity(s))} <b>{number}</b></span>')
    return "".join(out)


def _verdict(result: RunResult, file: FileResult, t: _Lang) -> str:
    if not file.readable:
        return f'<span class="verdict bad">{t("无法读取", "unreadable")}</span>'
    if result.publishable(file):
        return f'<span class="verdict ok">{t("可以发布", "OK to publish")}</span>'
    return f'<span class="verdict bad">{t("不宜发布", "do not publish yet")}</span>'


def _run_line(result: RunResult, files: list[FileResult], t: _Lang) -> str:
    total = sum(len(f.findings) for f in files)
    bad = sum(1 for f in files if not result.publishable(f))
    if result.fail_on is None:
        rule = t("不以问题级别判断是否可以发布（--fail-on never）", "no severity blocks publication (--fail-on never)")
    else:
        rule = t(f"有“{result.fail_on.label_zh}”及以上级别的问题即不宜发布",
                 f"a finding of severity {result.fail_on.value} or above blocks publication")
    return t(f"共检查 {len(files)} 个文件，发现 {total} 个问题，{bad} 个文件不宜发布或无法读取。{rule}。",
             f"{len(files)} file(s) checked, {total} finding(s), {bad} not ready or unreadable. {rule}.")


def _notes_block(notes: Iterable[Notification], t: _Lang) -> str:
    items = list(notes)
    if not items:
        return ""
    lines = []
    for note in items:
        zh, en = _KINDS.get(note.kind, ("运行问题", "problem"))
        label = t(zh, en) + (t("（警告）", " (warning)") if note.level == "warning" else "")
        extra = f"（{note.exception}）" if note.exception and note.exception not in note.message.zh else ""
        lines.append(f"<p><b>{e(label)}</b>：{e(note.message.get('en' if t.en else 'zh'))}{e(extra)}</p>")
    return '<div class="notes">' + "".join(lines) + "</div>\n"


def _run_notes(result: RunResult, t: _Lang) -> str:
    return _notes_block(ordered_notifications(result.notifications), t)


def _index(result: RunResult, files: list[FileResult], t: _Lang) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in (
        t("文件", "file"), t("结论", "verdict"), t("错误", "errors"), t("警告", "warnings"), t("提示", "info")))
    rows = []
    for no, file in enumerate(files, 1):
        counts = file.counts()
        rows.append(
            f'<tr><td><a href="#report-{no}">{e(file.path)}</a></td><td>{_verdict(result, file, t)}</td>'
            + "".join(f'<td class="n"><a href="#report-{no}-{s.value}">{counts[s.value]}</a></td>'
                      if counts[s.value] else f'<td class="n">{counts[s.value]}</td>' for s in _SEVERITIES)
            + "</tr>"
        )
    return (f'<h2>{t("文件一览", "Files")}</h2>\n<table class="index"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>\n")


def _layout_name(layout: str, tables: Iterable[dict[str, Any]]) -> tuple[str, str]:
    """(zh, en) name of *layout*: a verdict's, else the layout's as a table snapshot carries it, else its id."""
    if layout in _VERDICTS:
        return _VERDICTS[layout]
    for table in tables:
        if table.get("layout") == layout and table.get("layout_name"):
            zh, en = table["layout_name"]
            return str(zh), str(en)
    return layout, layout


def _summary(file: FileResult, result: RunResult, t: _Lang, file_no: int = 0) -> str:
    layout = _layout_name(file.layout or "unknown", (file.tables or {}).values())
    year = str(file.year) if file.year else t("未能判断", "not detected")
    reader = file.reader or "-"
    if file.encoding:
        reader += f" · {file.encoding}"
    rows = [
        (t("问题", "Findings"), _counts_text(file.counts(), t, file_no), True),
        (t("表格版式", "Layout"), layout[1] if t.en else layout[0], False),
        (t("报告年度", "Report year"), year, False),
        (t("读取方式", "Read as"), reader, False),
    ]
    if file.coordinates == "extracted-text":
        rows.append((t("行列号", "Positions"),
                     t("指 gklint 提取出的文本（gklint inspect 可以看到）", "refer to the extracted text (see gklint inspect)"),
                     False))
    body = "".join(f"<dt>{e(k)}</dt><dd>{v if raw else e(v)}</dd>" for k, v, raw in rows)
    return f'<dl class="summary">{body}</dl>\n'


def _report(result: RunResult, file: FileResult, file_no: int, counter: list[int], t: _Lang) -> str:
    out = [f'<section class="report" id="report-{file_no}">\n'
           f"<h2>{_verdict(result, file, t)} <span>{e(file.path)}</span></h2>\n"]
    out.append(_summary(file, result, t, file_no if file.readable else 0))
    out.append(_notes_block(ordered_notifications(file.notifications), t))
    if not file.readable:
        out.append("</section>\n")
        return "".join(out)
    tables = file.tables or {}
    targets = _targets(file_no, tables)
    rank = {s: i for i, s in enumerate(_SEVERITIES)}
    # errors first, then warnings, then info (each in report order): the first screen shows what blocks
    findings = sorted(ordered_findings(file.findings), key=lambda f: rank.get(f.severity, len(rank)))
    numbered: list[tuple[int, Finding, list[str], list[str]]] = []
    by_cell: dict[str, list[str]] = {}
    for finding in findings:
        counter[0] += 1
        primary, related = _cells_for(targets, finding)
        numbered.append((counter[0], finding, primary, related))
        for cell in primary + related:
            by_cell.setdefault(cell, []).append(f"finding-{counter[0]}")
    out.append('<div class="cols">\n<div class="findings-col">\n')
    out.append(f"<h3>{e(t(f'发现的问题（{len(findings)}）', f'Findings ({len(findings)})'))}</h3>\n")
    if not findings:
        out.append(f'<p class="empty">{t("未发现问题。", "No problems found.")}</p>\n')
    out.append(_findings(result, numbered, t, file_no))
    out.append('</div>\n<div class="tables-col">\n')
    out.append(_tables(file_no, tables, by_cell, t))
    out.append("</div>\n</div>\n</section>\n")
    return "".join(out)


def _group_of(finding: Finding, t: _Lang) -> str:
    logical = finding.location.logical
    first = logical.split(" › ", 1)[0].strip() if logical else ""
    return first or t("全文", "Whole document")


def _findings(result: RunResult, numbered: list[tuple[int, Finding, list[str], list[str]]], t: _Lang,
              file_no: int = 0) -> str:
    """By severity (``<h4 id="report-N-error">``), then by section (``<h5>``)."""
    by_severity: dict[Severity, dict[str, list[str]]] = {}
    for number, finding, primary, related in numbered:
        groups = by_severity.setdefault(finding.severity, {})
        groups.setdefault(_group_of(finding, t), []).append(_finding(result, number, finding, primary, related, t))
    out = []
    for severity, groups in by_severity.items():
        count = sum(len(items) for items in groups.values())
        out.append(f'<h4 class="severity {severity.value}" id="report-{file_no}-{severity.value}">'
                   f'{e(t.severity(severity))}{e(t(f"（{count}）", f" ({count})"))}</h4>\n')
        out.extend(f'<h5>{e(name)}</h5>\n<ol class="findings">\n{"".join(items)}</ol>\n'
                   for name, items in groups.items())
    return "".join(out)


def _finding(result: RunResult, number: int, finding: Finding, primary: list[str], related: list[str],
             t: _Lang) -> str:
    lang = "en" if t.en else "zh"
    loc = finding.location
    sev = finding.severity
    attrs = f'class="finding sev-{sev.value}" id="finding-{number}" tabindex="0"'
    if primary:
        attrs += f' data-primary="{e(" ".join(primary))}"'
    if related:
        attrs += f' data-related="{e(" ".join(related))}"'
    parts = [
        f"<li {attrs}>",
        f'<div class="head"><span class="sev">{e(t.severity(sev))}</span>'
        f'<code class="rule">{e(finding.rule_id)}</code>'
        f'<span class="pos">{e(t.where(loc))}</span>'
        f'<span class="logical">{e(loc.logical)}</span></div>',
        f'<p class="msg">{e(finding.message.get(lang))}</p>',
    ]
    if finding.pack:
        parts.append(f'<p class="pack">{e(t("来自：", "From: "))}{e(result.pack_label(finding.pack).get(lang))}</p>')
    if loc.snippet.strip() and not (primary and len(loc.snippet) < 12):
        snippet = loc.snippet if len(loc.snippet) <= 160 else loc.snippet[:160] + "…"
        parts.append(f'<p class="snippet">{e(t("原文：", "Text: "))}<code>{e(snippet)}</code></p>')
    if finding.related:
        items = []
        for rloc, message in finding.related:
            where = t.where(rloc) if rloc.path else ""
            if rloc.path and rloc.path != finding.location.path:  # in another file (last year's report)
                where = f"{rloc.path} {where}"
            text = message.get(lang)
            sep = t("：", ": ") if where and text else ""
            items.append(f"<li>{e(where)}{sep}{e(text)}</li>")
        parts.append(f'<ul class="related">{"".join(items)}</ul>')
    if finding.fix is not None:
        parts.append(f'<p class="fix">{e(t("修复建议：", "Fix: "))}{e(finding.fix[2].get(lang))}</p>')
    if primary or related:
        n = len(primary) + len(related)
        parts.append(f'<p class="cells">{e(t(f"点击在表中标出 {n} 个单元格", f"click to mark {n} cell(s) in the table"))}</p>')
    rule = result.rules.get(finding.rule_id)
    if rule is not None:
        body = []
        for label, text in ((t("检查什么、为什么", "What and why"), rule.full.get(lang)),
                            (t("如何修改", "How to fix"), rule.help.get(lang)),
                            (t("依据", "Source"), rule.source.get(lang))):
            if text.strip():
                body.append(f"<p><b>{e(label)}</b>{t('：', ': ')}{e(text.strip())}</p>")
        parts.append(f"<details><summary>{e(finding.rule_id)} {e(rule.short.get(lang))}</summary>"
                     f"{''.join(body)}</details>")
    parts.append("</li>\n")
    return "".join(parts)


# -- tables ---------------------------------------------------------------------------


def _tables(file_no: int, tables: dict[str, Any], by_cell: dict[str, list[str]], t: _Lang) -> str:
    if not tables:
        return ""
    out = [f"<h3>{t('统计表（按模板读出）', 'Tables (as read against the template)')}</h3>\n"]
    for table_no, table in _numbered_tables(tables):
        out.append(_table(file_no, table_no, table, by_cell, t))
    return "".join(out)


def _table(file_no: int, table_no: int, table: dict[str, Any], by_cell: dict[str, list[str]], t: _Lang) -> str:
    caption = f"{t('表', 'Table ')}{table_no}{t('：', ': ')}{table.get('title', '')}"
    layout = table.get("layout")
    layout_text = ""
    if layout:
        zh, en = _layout_name(str(layout), [table])
        layout_text = f'<span class="layout">{e(t(zh, en))}</span>'
    head = f'<figure class="table" id="t{file_no}-{table_no}"><figcaption>{e(caption)}{layout_text}</figcaption>'
    status = table.get("status")
    if status != "found":
        if status == "unreadable":
            text = t("这张表无法可靠读取（文本丢失了表格结构），未核对；请检查报告的 .docx、网页或 PDF 原件",
                     "this table cannot be read with confidence (the text lost its shape) and was not checked; "
                     "lint the report's .docx, web page or PDF")
        else:
            text = (t("只有图片，没有可读的表格", "only an image, no readable table") if status == "image"
                    else t("没有找到这张表", "table not found"))
        return f'{head}<p class="notes">{e(text)}</p></figure>\n'
    rows: list[dict[str, Any]] = list(table.get("rows", ()))
    width = 1 + max((len(r.get("cells", ())) for r in rows), default=0)
    body: list[str] = []
    columns: tuple[str, ...] | None = None
    for row_no, row in enumerate(rows, 1):
        cells: list[dict[str, Any]] = list(row.get("cells", ()))
        label_id = _element_id(file_no, table_no, row_no, None)
        if not cells and not row.get("extra"):
            body.append(f'<tr class="group"><th id="{label_id}" colspan="{width}" scope="rowgroup"'
                        f'{_flag(label_id, by_cell)}>{_row_label(row, t)}</th></tr>')
            continue
        signature = tuple(str(c.get("column", "")) for c in cells)
        if signature != columns:
            columns = signature
            body.append(_header(signature, width, t))
        sub = " sub" if row.get("group") else ""
        tds = [f'<th class="row{sub}" id="{label_id}" scope="row"{_flag(label_id, by_cell)}>{_row_label(row, t)}</th>']
        for cell_no, cell in enumerate(cells, 1):
            tds.append(_cell(_element_id(file_no, table_no, row_no, cell_no), row, cell, by_cell, t))
        tds.extend("<td></td>" for _ in range(width - 1 - len(cells)))
        body.append(f"<tr>{''.join(tds)}</tr>")
    return f'{head}<div class="scroll"><table class="grid"><tbody>{"".join(body)}</tbody></table></div></figure>\n'


def _flag(element_id: str, by_cell: dict[str, list[str]]) -> str:
    found = by_cell.get(element_id)
    if not found:
        return ""
    return f' data-findings="{e(" ".join(found))}"'


def _row_label(row: dict[str, Any], t: _Lang) -> str:
    label = str(row.get("label", ""))
    found = str(row.get("found_label", ""))
    text = e(label)
    if found and found != label:
        text += f' <span class="found">{e(t(f"（原文：{found}）", f" (written: {found})"))}</span>'
    return text


def _header(columns: Sequence[str], width: int, t: _Lang) -> str:
    """Header rows for *columns*; labels with ``/`` (``行政复议/结果维持``) become nested headers."""
    paths = [c.split("/") for c in columns]
    depth = max((len(p) for p in paths), default=1)
    rows: list[list[str]] = [[] for _ in range(depth)]
    rows[0].append(f'<th class="corner" rowspan="{depth}"></th>')
    for level in range(depth):
        j = 0
        while j < len(paths):
            path = paths[j]
            if len(path) <= level:
                j += 1
                continue
            span = 1
            while (j + span < len(paths) and len(paths[j + span]) > level
                   and paths[j + span][: level + 1] == path[: level + 1] and len(path) > level + 1):
                span += 1
            rowspan = depth - level if len(path) == level + 1 else 1
            attrs = (f' colspan="{span}"' if span > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
            rows[level].append(f'<th scope="col"{attrs}>{e(path[level])}</th>')
            j += span
    pad = width - 1 - len(paths)
    if pad > 0:
        rows[0].append(f'<th rowspan="{depth}" colspan="{pad}"></th>')
    return "".join(f'<tr class="head">{"".join(r)}</tr>' for r in rows)


def _cell(element_id: str, row: dict[str, Any], cell: dict[str, Any], by_cell: dict[str, list[str]],
          t: _Lang) -> str:
    kind = str(cell.get("kind", ""))
    text = str(cell.get("text", ""))
    classes = [kind] if kind in ("blank", "missing", "invalid") else []
    if element_id in by_cell:
        classes.append("flagged")
    shown = text if kind != "missing" else t("（缺）", "(missing)")
    tip = [f"{row.get('label', '')} × {cell.get('column', '')}"]
    at = cell.get("at")
    if at:
        tip.append(t.position(at[0], at[1]))
    if kind == "missing":
        tip.append(t("报告中没有这个单元格", "this cell is missing from the report"))
    else:
        value = cell.get("value")
        tip.append(t(f"原文：{text}", f"text: {text}"))
        tip.append(t(f"读作：{value}", f"read as: {value}") if value is not None
                   else t("不计数（空白或不是数字）", "no number (blank or not a number)"))
    class_attr = f' class="{" ".join(classes)}"' if classes else ""
    return (f'<td id="{element_id}"{class_attr} title="{e(chr(10).join(tip))}"'
            f'{_flag(element_id, by_cell)}>{e(shown)}</td>')


@hookimpl
def gklint_reporters() -> list[ReporterFactory]:
    return [
        ReporterFactory(
            "html",
            "网页报告（含表格和标出的单元格）/ self-contained HTML page with the tables",
            HtmlReporter,
            needs_tables=True,
        )
    ]
