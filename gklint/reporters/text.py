"""The ``text`` output format: one line per finding, for people.

Contract:

* Each finding is one line ``path:line:col: GK201 [错误] message`` (with
  ``lang="en"``: ``[error]`` and the English message).  For a .docx (positions in
  extracted text) the position is the paragraph or cell a reader of the document can
  find: ``path:第12段:`` or ``path:表3第4行第2列:`` (line:col when there is neither).  Files are written in
  path order, findings in :meth:`~gklint.findings.Finding.sort_key` order.
* ``show_source``: the source line (``Location.source_line``) follows, with a
  caret line underneath that is aligned by *display width*: East Asian Wide and
  Fullwidth characters take two terminal cells, combining marks and format
  characters none, and tabs are expanded to the same tab stops in both lines.
  The caret (``^~~~``) spans the finding on that line.  Very long lines (an
  HTML page on one line) are clipped to a window around the finding.
* Related locations and the fix description follow, indented.
* Notifications (plugin failures, unreadable files, rule crashes) are written to
  the same stream after the findings, each on its own line marked with its kind
  (``path: 无法读取：…``), so they cannot be mistaken for findings.
* ``statistics``: a table of counts per rule id, by count (descending) then id.
* Suppressed (``FileResult.suppressed``) and baselined findings are not shown;
  the summary line says how many there are.
* A summary line ends the output (``共检查 3 个文件，发现 5 个问题（错误 2，警告 2，提示 1）``
  or ``检查通过：未发现问题…``).
* ``quiet``: only finding and notification lines (no source, related locations,
  fixes or summary); the statistics table is still written when asked for.
* ``color``: ANSI colours only when true.

The reporter never opens files; it writes to the stream it is given.
"""

from __future__ import annotations

import re
import unicodedata
from typing import IO

from gklint import hookimpl
from gklint.findings import Finding, Location, Notification, Severity
from gklint.formats import ReporterFactory, ReportOptions
from gklint.reporters.base import escape_name
from gklint.results import FileResult, PluginInfo, RunResult, RunTally

__all__ = ["TextReporter", "caret_lines", "display_width", "gklint_reporters"]

#: Tab stops for expanding tabs in source lines (display cells).
TAB_SIZE = 4
#: Source lines wider than this many cells are clipped around the finding.
MAX_SOURCE_WIDTH = 120
#: Cells of context kept left of the finding when a line is clipped.
CLIP_CONTEXT = 30
_ELLIPSIS = "..."

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_COLOR = {
    Severity.ERROR: "\x1b[31m",  # red
    Severity.WARNING: "\x1b[33m",  # yellow
    Severity.INFO: "\x1b[36m",  # cyan
}
_NOTIFICATION_COLOR = "\x1b[35m"  # magenta: distinct from every severity

_SEVERITY_EN = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}

_KIND_LABELS: dict[str, tuple[str, str]] = {
    "plugin-load": ("插件加载失败", "plugin failed to load"),
    "rule-crash": ("规则运行出错", "rule crashed"),
    "unreadable": ("无法读取", "unreadable"),
    "timeout": ("检查超时", "timed out"),
    "config": ("配置错误", "configuration error"),
}


# -- display width --------------------------------------------------------------


def char_width(ch: str) -> int:
    """Terminal cells taken by one code point (tabs are handled by the caller)."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def display_width(text: str) -> int:
    """Terminal cells taken by *text*, with tabs expanded to :data:`TAB_SIZE` stops."""
    return _layout(text)[1][-1]


def _layout(line: str) -> tuple[list[str], list[int]]:
    """Render *line* for a terminal.

    :returns: the rendered pieces (one per code point, a tab becomes spaces) and
        the starting cell of every code point plus a final entry for the end of
        the line, so ``cells[i]`` is where code point ``i`` (0-based) starts.
    """
    pieces: list[str] = []
    cells = [0]
    col = 0
    for ch in line:
        if ch == "\t":
            width = TAB_SIZE - col % TAB_SIZE
            pieces.append(" " * width)
        elif ch < " " or ch == "\x7f":
            width = 1
            pieces.append(" ")  # a control character must not move the cursor
        else:
            width = char_width(ch)
            pieces.append(ch)
        col += width
        cells.append(col)
    return pieces, cells


def caret_lines(source_line: str, start_column: int, end_column: int | None) -> tuple[str, str]:
    """The rendered source line and the caret line under ``[start_column, end_column)``.

    Columns are 1-based code points into *source_line*; ``end_column=None`` means
    "to the end of the line" (a finding that continues on the next line).  The
    caret is at least one cell wide.  Trailing whitespace of the caret line is
    stripped; the source line is clipped to a window of
    :data:`MAX_SOURCE_WIDTH` cells around the finding when it is longer.
    """
    pieces, cells = _layout(source_line)
    n = len(pieces)
    start = min(max(start_column - 1, 0), n)
    end = n if end_column is None else min(max(end_column - 1, start), n)
    first, last = cells[start], cells[end]

    lo, hi = 0, n  # code-point window shown
    prefix = suffix = ""
    if cells[n] > MAX_SOURCE_WIDTH:
        want = max(0, first - CLIP_CONTEXT)
        while lo < n and cells[lo] < want:
            lo += 1
        limit = cells[lo] + MAX_SOURCE_WIDTH
        hi = lo
        while hi < n and cells[hi + 1] <= limit:
            hi += 1
        prefix = _ELLIPSIS if lo > 0 else ""
        suffix = _ELLIPSIS if hi < n else ""
    shift = len(prefix) - cells[lo]
    text = prefix + "".join(pieces[lo:hi]) + suffix
    first = max(first, cells[lo]) + shift
    last = min(max(last, cells[lo]), cells[hi]) + shift
    width = max(last - first, 1)
    caret = " " * first + "^" + "~" * (width - 1)
    return text.rstrip(), caret


# -- the reporter -----------------------------------------------------------------


class TextReporter:
    """Human-readable output; see the module docstring for the contract.

    Streams (:class:`~gklint.formats.StreamingReporter`): each file's
    findings are written as the file arrives; notifications, statistics and the
    summary come from the :class:`~gklint.results.RunTally` at the end.
    :meth:`write` makes the same calls, so both ways give the same bytes.
    """

    def __init__(self) -> None:
        self._run: _TextRun | None = None

    def write(self, result: RunResult, stream: IO[str], options: ReportOptions) -> None:
        files = sorted(result.files, key=lambda f: f.path)
        run = _TextRun(result, stream, options)
        for file in files:
            run.file(file)
        run.finish(RunTally.of(files))

    def start(self, run: RunResult, stream: IO[str], options: ReportOptions) -> None:
        self._run = _TextRun(run, stream, options)

    def file(self, file: FileResult) -> None:
        assert self._run is not None, "start() first"
        self._run.file(file)

    def finish(self, tally: RunTally) -> None:
        assert self._run is not None, "start() first"
        self._run.finish(tally)
        self._run = None


class _TextRun:
    """One run of the text reporter; keeps only the files' notifications (written at the end)."""

    def __init__(self, run: RunResult, stream: IO[str], options: ReportOptions) -> None:
        self.run, self.stream, self.options = run, stream, options
        self.painter = _Painter(options.color)
        self.notes: list[Notification] = sorted(run.notifications, key=_note_order)
        self.extracted = False  # the current file's positions are in extracted text (.docx)

    def file(self, file: FileResult) -> None:
        self.extracted = file.coordinates == "extracted-text"
        for finding in sorted(file.findings, key=_finding_order):
            self._write_finding(finding, self.stream, self.options, self.painter)
        self.notes.extend(sorted(file.notifications, key=_note_order))

    def finish(self, tally: RunTally) -> None:
        stream, options = self.stream, self.options
        en = options.lang == "en"
        for note in self.notes:
            stream.write(self._notification_line(note, en, self.painter) + "\n")
        if options.statistics:
            stream.write(self._statistics(self.run, tally, options))
        if not options.quiet:
            stream.write(_summary(self.run, tally, en, self.painter) + "\n")

    # -- findings -----------------------------------------------------------------

    def _write_finding(
        self, finding: Finding, stream: IO[str], options: ReportOptions, painter: _Painter
    ) -> None:
        en = options.lang == "en"
        loc = finding.location
        severity = finding.severity
        label = _SEVERITY_EN[severity] if en else severity.label_zh
        color = _SEVERITY_COLOR[severity]
        pack = ""
        if finding.pack:
            run = getattr(self, "run", None)
            name = run.pack_label(finding.pack) if run is not None else PluginInfo(finding.pack, "", "").pack_label()
            pack = f" ({name.en})" if en else f"（{name.zh}）"
        stream.write(
            f"{painter(_position(loc, en, self.extracted), _BOLD)}: {painter(finding.rule_id, _BOLD)} "
            f"{painter('[' + label + ']', color)} {finding.message.get(options.lang)}{painter(pack, _DIM)}\n"
        )
        if options.quiet:
            return
        if options.show_source and loc.source_line:
            stream.write(_source_block(loc, painter, color))
        for related_loc, related_message in finding.related:
            head = "related" if en else "相关位置"
            where = _position(related_loc, en, self.extracted) if related_loc.path else ""
            text = related_message.get(options.lang)
            body = f"{where}: {text}" if where and text else where or text
            stream.write(f"    {painter(head, _DIM)}{': ' if en else '：'}{body}\n")
        if finding.fix is not None:
            _fix_loc, _replacement, description = finding.fix
            if finding.fix_safe:
                head = "fix (--fix applies it)" if en else "可自动修复（--fix）"
            else:
                head = "suggested fix" if en else "修复建议"
            stream.write(
                f"    {painter(head, _DIM)}{': ' if en else '：'}{description.get(options.lang)}\n"
            )

    # -- notifications ------------------------------------------------------------

    @staticmethod
    def _notification_line(note: Notification, en: bool, painter: _Painter) -> str:
        """``path: 无法读取：message（ValueError: …）``; ``gklint:`` when there is no file."""
        zh_label, en_label = _KIND_LABELS.get(note.kind, (note.kind, note.kind))
        label = en_label if en else zh_label
        if note.level == "warning":
            label += " (warning)" if en else "（警告）"
        text = note.message.get("en" if en else "zh")
        details = []
        if note.rule_id and note.rule_id not in text:
            details.append(f"rule {note.rule_id}" if en else f"规则 {note.rule_id}")
        if note.plugin and note.plugin not in text:
            details.append(f"plugin {note.plugin}" if en else f"插件 {note.plugin}")
        if note.exception and note.exception not in text:
            details.append(note.exception)
        if details:
            text += f" ({'; '.join(details)})" if en else f"（{'；'.join(details)}）"
        where = escape_name(note.path) if note.path else "gklint"
        sep = ": " if en else "："
        return f"{painter(where, _BOLD)}: {painter(label, _NOTIFICATION_COLOR + _BOLD)}{sep}{text}"

    # -- statistics ---------------------------------------------------------------

    @staticmethod
    def _statistics(result: RunResult, tally: RunTally, options: ReportOptions) -> str:
        en = options.lang == "en"
        counts, worst = tally.by_rule, tally.worst
        if not counts:
            return ""
        header = (
            ("rule", "count", "severity", "description") if en else ("规则", "数量", "级别", "说明")
        )
        rows = [header]
        for rule_id in sorted(counts, key=lambda r: (-counts[r], r)):
            rule = result.rules.get(rule_id)
            severity = worst[rule_id]
            rows.append(
                (
                    rule_id,
                    str(counts[rule_id]),
                    _SEVERITY_EN[severity] if en else severity.label_zh,
                    rule.short.get(options.lang) if rule is not None else "",
                )
            )
        widths = [max(display_width(row[i]) for row in rows) for i in range(3)]
        out = []
        for row in rows:
            cells = [
                row[0] + " " * (widths[0] - display_width(row[0])),
                " " * (widths[1] - display_width(row[1])) + row[1],
                row[2] + " " * (widths[2] - display_width(row[2])),
                row[3],
            ]
            out.append("  ".join(cells).rstrip() + "\n")
        return "".join(out)


# -- helpers ----------------------------------------------------------------------


class _Painter:
    """Wraps text in ANSI codes only when colour is on."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.enabled and text else text


def _finding_order(finding: Finding) -> tuple[object, ...]:
    loc = finding.location
    return (*finding.sort_key(), loc.end_line, loc.end_column, finding.message.en, finding.key)


_PLACE = re.compile(r"(?:第\d+段|(?:表\d+|文中第\d+个表格) › 第\d+行 › 第\d+列)(?=（|$)")


def _position(loc: Location, en: bool = False, extracted: bool = False) -> str:
    """``path:line:col``, with the page and its line for a PDF (``（第2页第5行）``); for a .docx
    (other extracted text) the paragraph or table cell a reader of the document can find,
    ``path:第12段`` or ``path:表3第4行第2列``, when the finding has one."""
    where = f"{escape_name(loc.path)}:{loc.start_line}:{loc.start_column}"
    page = loc.page_text("en" if en else "zh")
    if page:
        return where + (f" ({page})" if en else f"（{page}）")
    if extracted:
        m = _PLACE.search(loc.logical)
        if m is not None:
            return f"{escape_name(loc.path)}:{m.group(0).replace(' › ', '')}"
    return where


def _source_block(loc: Location, painter: _Painter, color: str) -> str:
    end = loc.end_column if loc.end_line == loc.start_line else None
    text, caret = caret_lines(loc.source_line, loc.start_column, end)
    number = str(loc.start_line)
    gutter = " " * len(number)
    return (
        f" {painter(number, _DIM)} {painter('|', _DIM)} {text}\n"
        f" {gutter} {painter('|', _DIM)} {painter(caret, color)}\n"
    )


def _note_order(n: Notification) -> tuple[str, ...]:
    """Notifications are written run-level first, then each file's, each group in this order."""
    return (n.path, n.kind, n.plugin, n.rule_id, n.message.zh, n.exception)


def _summary(result: RunResult, tally: RunTally, en: bool, painter: _Painter) -> str:
    counts = tally.counts
    total = tally.findings
    nfiles = tally.files
    unreadable = tally.unreadable
    failed = not tally.execution_successful(result)

    if en:
        checked = f"{nfiles} file{'s' if nfiles != 1 else ''}"
        if unreadable:
            checked += f" ({unreadable} unreadable)"
        if total == 0:
            if failed or unreadable:
                line = (
                    f"Checked {checked}, no problems found, but gklint reported errors (see above)"
                )
            else:
                line = f"Passed: no problems found ({checked} checked)"
        else:
            parts = [
                f"{counts[Severity.ERROR]} error{'s' if counts[Severity.ERROR] != 1 else ''}",
                f"{counts[Severity.WARNING]} warning{'s' if counts[Severity.WARNING] != 1 else ''}",
                f"{counts[Severity.INFO]} info",
            ]
            line = f"Checked {checked}, found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)})"
            if failed:
                line += "; gklint reported errors (see above)"
    else:
        checked = f"{nfiles} 个文件"
        if unreadable:
            checked += f"（{unreadable} 个无法读取）"
        if total == 0:
            if failed or unreadable:
                line = f"共检查 {checked}，未发现问题，但运行中出现错误（见上）"
            else:
                line = f"检查通过：未发现问题（共检查 {checked}）"
        else:
            line = (
                f"共检查 {checked}，发现 {total} 个问题（错误 {counts[Severity.ERROR]}，"
                f"警告 {counts[Severity.WARNING]}，提示 {counts[Severity.INFO]}）"
            )
            if failed:
                line += "；运行中出现错误（见上）"
    line += _hidden(tally, en)
    code = _SEVERITY_COLOR[Severity.ERROR] if failed or counts[Severity.ERROR] else _BOLD
    return painter(line, code)


def _hidden(tally: RunTally, en: bool) -> str:
    """What the summary says about findings not shown: suppressed inline, or in the baseline."""
    suppressed = tally.suppressed
    baselined = tally.baselined
    parts = []
    if en:
        if suppressed:
            parts.append(f"{suppressed} suppressed by comments in the report")
        if baselined:
            parts.append(f"{baselined} recorded in the baseline")
        return f"; not shown: {', '.join(parts)}" if parts else ""
    if suppressed:
        parts.append(f"{suppressed} 个已被报告中的抑制注释忽略")
    if baselined:
        parts.append(f"{baselined} 个已记入基线")
    return f"；另有 {'、'.join(parts)}，未显示" if parts else ""


@hookimpl
def gklint_reporters() -> list[ReporterFactory]:
    return [ReporterFactory("text", "文本输出（默认）/ human-readable text", TextReporter)]
