"""The ``gklint`` command: the only place that prints diagnostics and picks exit codes.

A click group (:data:`cli`) whose default command is ``check``: ``gklint 报告.txt`` is
``gklint check 报告.txt``.  The other commands: ``rules``, ``explain``, ``plugins``,
``inspect`` (the document structure as JSON), ``serve``, ``review``, ``new-pack``.  A file
literally named like a command is linted as ``./inspect``.  Commands map options to the API
(the run itself: :mod:`gklint.run`), print, and map errors to exit codes.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings at or above it;
2 usage error, bad configuration, unreadable input or plugin failure.
"""

from __future__ import annotations

import codecs
import gc
import importlib
import io
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

import gklint
from gklint.config import Config, ConfigError, load_config
from gklint.findings import Message, Notification
from gklint.plugins import watch_interrupts
from gklint.reporters.base import escape_name

if TYPE_CHECKING:
    from gklint.api import Linter
    from gklint.results import RunResult, RunTally
    from gklint.rule import Rule
    from gklint.run import CheckRun

__all__ = ["COMMANDS", "DefaultGroup", "check_command", "cli", "exit_code", "explain_command", "inspect_command",
           "main", "plugins_command", "rules_command"]

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
CONTEXT = {"help_option_names": ["-h", "--help"]}


class _State:
    """Shared between :func:`main` and the commands.

    :ivar lang: the language for error messages.
    :ivar gc_paused: :func:`main` paused garbage collection for the start-up; :func:`_load` resumes it.
    """

    def __init__(self, lang: str = "zh", gc_paused: bool = False) -> None:
        self.lang = lang
        self.gc_paused = gc_paused


class CliError(click.ClickException):
    """Usage error, bad configuration or a failing reporter: one line on stderr, exit 2."""

    exit_code = 2

    def __init__(self, message: Message, lang: str) -> None:
        super().__init__(message.get(lang))
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"gklint: {_t(self.lang, '错误', 'error')}: {self.message}", file=file, err=file is None)


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _split(values: Sequence[str]) -> tuple[str, ...] | None:
    """``--select A,B --select C`` -> ``("A", "B", "C")``; ``None`` when not given."""
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _echo_notes(notes: Sequence[Notification], lang: str, quiet: bool) -> None:
    for note in notes:
        if quiet and note.level != "error":
            continue
        level = {"error": _t(lang, "错误", "error"), "warning": _t(lang, "警告", "warning")}.get(note.level, note.level)
        where = f"{escape_name(note.path)}: " if note.path else ""
        click.echo(f"gklint: {level}: {where}{note.message.get(lang)}", err=True)


def exit_code(result: RunResult, tally: RunTally | None = None) -> int:
    """0, 1 or 2 for a finished run (see the module docstring); *tally* counts its files when they were streamed."""
    from gklint.results import RunTally

    tally = tally if tally is not None else RunTally.of(result.files)
    if not tally.execution_successful(result) or tally.unreadable:
        return EXIT_ERROR
    return EXIT_FINDINGS if tally.hit(result.fail_on) else EXIT_OK


def write_atomic(path: str | os.PathLike[str], write: Callable[[IO[str]], None]) -> None:
    """Write a UTF-8 text file atomically (see :mod:`gklint.atomic`)."""
    from gklint.atomic import atomic_write

    with atomic_write(path) as fh:
        write(fh)


# -- display helpers -----------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _family(rule: Rule, lang: str) -> str:
    return rule.family_name.get(lang) if rule.family_name else rule.family


def _severity_label(value: str, lang: str) -> str:
    zh = {"error": "错误", "warning": "警告", "info": "提示", "off": "关闭"}
    return value if lang == "en" else zh.get(value, value)


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def _version_text(linter: Linter, lang: str) -> str:
    import platform

    lines = [f"gklint {gklint.__version__}",
             f"Python {platform.python_version()} ({platform.python_implementation()}, {platform.system()})",
             _t(lang, "已加载的插件：", "loaded plugins:")]
    rows = [[p.name, p.distribution or "-", p.version or "-", _t(lang, "内置", "built-in") if p.builtin else ""]
            for p in linter.plugin_set.plugins if p.loaded]
    lines += ["  " + line for line in _table(rows).splitlines()] if rows else []
    return "\n".join(lines)


def _rules_text(linter: Linter, lang: str) -> str:
    ps = linter.plugin_set
    active = {a.rule.id: a for a in [*linter.active, *linter.regional_active]}
    rows = [[_t(lang, "编号", "id"), _t(lang, "类别", "family"), _t(lang, "级别", "severity"),
             _t(lang, "说明", "description"), _t(lang, "插件", "plugin")]]
    for rule_id, rule in ps.rules.items():
        severity = active[rule_id].severity.value if rule_id in active else "off"
        rows.append([rule_id, _family(rule, lang), _severity_label(severity, lang), rule.short.get(lang),
                     ps.rule_plugins.get(rule_id, "")])
    if len(rows) == 1:
        return _t(lang, "没有已加载的规则。", "No rules loaded.")
    return _table(rows)


def _explain_text(linter: Linter, rule_id: str, lang: str) -> str:
    ps = linter.plugin_set
    rule = ps.rules.get(rule_id.strip().upper())
    if rule is None:
        raise CliError(Message(f"未知的规则 {rule_id}（用 --list-rules 查看所有规则）",
                                       f"unknown rule {rule_id} (see --list-rules)"), lang)
    from gklint.policy import reason_for

    severity = _severity_label(rule.severity.value, lang)
    plugin = ps.rule_plugins.get(rule.id, "")
    out = [f"{rule.id} {rule.name}",
           f"{_t(lang, '类别', 'family')}: {_family(rule, lang)}    {_t(lang, '默认级别', 'default severity')}: "
           f"{severity}    {_t(lang, '插件', 'plugin')}: {plugin}",
           "", rule.short.get(lang), ""]
    info = ps.info(plugin)
    if info is not None and plugin in linter.pack_regions:
        label = info.pack_label().get(lang) if info.region else _t(lang, "未设置地区，不生效", "no region set: inert")
        out[1] += f"    {_t(lang, '规则包', 'pack')}: {label}"

    def block(title_zh: str, title_en: str, body: str) -> None:
        if body.strip():
            out.append(f"{_t(lang, title_zh, title_en)}:")
            out.extend("  " + line for line in body.strip("\n").splitlines())
            out.append("")

    block("检查什么、为什么", "What and why", rule.full.get(lang))
    block("依据", "Normative source", rule.source.get(lang))
    block("为什么是这个级别", "Why this severity", reason_for(rule.severity.value, rule.reason).get(lang))
    providers = sorted({linter.provenance.origins.get(path, "") for path in linter.data.files}
                       & set(linter.provenance.packs) & set(_data_packs(linter, rule.id)))
    if providers:
        names = "、".join(f"{info.pack_label().get(lang)}（{p}）" if (info := ps.info(p)) is not None else p
                         for p in providers)
        block("由规则包的数据驱动", "Driven by rule-pack data",
              _t(lang, f"本规则也检查这些规则包数据文件中的要求，其结果注明规则包名称：{names}",
                 f"this rule also checks requirements from the data of these packs; their findings name the pack: {names}"))
    block("如何修改", "How to fix", rule.help.get(lang))
    for i, example in enumerate(rule.examples, 1):
        suffix = f" {i}" if len(rule.examples) > 1 else ""
        block(f"数据包中的设置{suffix}", f"Data-pack setting{suffix}", example.data)
        block(f"反例{suffix}", f"Bad example{suffix}", example.bad)
        block(f"正例{suffix}", f"Good example{suffix}", example.good)
    if rule.options:
        body = "\n".join(f"{k} = {_toml_value(v)}" for k, v in sorted(rule.options.items()))
        block(f"选项（在 [tool.gklint.rules.{rule.id}] 中设置）",
              f"Options (set in [tool.gklint.rules.{rule.id}])", body)
    return "\n".join(out).rstrip()


def _plugins_text(linter: Linter, lang: str) -> str:
    rows = [[_t(lang, "插件", "plugin"), _t(lang, "发行包", "distribution"), _t(lang, "版本", "version"),
             _t(lang, "状态", "status"), _t(lang, "规则", "rules")]]
    for p in linter.plugin_set.plugins:
        if p.error == "disabled":
            status = _t(lang, "已禁用", "disabled")
        elif not p.loaded:
            status = _t(lang, f"错误：{p.error}", f"error: {p.error}")
        elif p.error:
            status = _t(lang, f"已加载，有错误：{p.error}", f"loaded, with errors: {p.error}")
        else:
            status = _t(lang, "已加载", "loaded")
        name = p.name + (_t(lang, "（内置）", " (built-in)") if p.builtin else "")
        rules = ", ".join(p.rule_ids) or (_t(lang, "（仅数据）", "(data only)") if p.name in _packs_with_data(linter)
                                          else "-")
        rows.append([name, p.distribution or "-", p.version or "-", status, rules, _region_text(linter, p.name, lang)])
    rows[0].append(_t(lang, "地区", "region"))
    return _table(rows)


def _packs_with_data(linter: Linter) -> set[str]:
    return {p for _, p in linter.provenance.origins.items()}


def _region_text(linter: Linter, plugin: str, lang: str) -> str:
    """The region a pack serves (``山东省``), or why it is inert; ``全国`` for the others."""
    if plugin not in linter.pack_regions:
        info = linter.plugin_set.info(plugin)
        return "-" if info is None or info.builtin else _t(lang, "全国", "all")
    info = linter.plugin_set.info(plugin)
    if info is None or not info.region:
        return _t(lang, "未设置地区，不生效", "no region set: inert")
    return info.region


#: data keys -> the national rules that check them (for --explain of a data-driven rule)
_DATA_RULES = {"required_subitems": ("GK108",), "required_mentions": ("GK410",),
               "contact_constraints": ("GK508", "GK509"), "citations": ("GK402", "GK403", "GK410")}


def _data_packs(linter: Linter, rule_id: str) -> set[str]:
    """The plugins whose data files hold keys *rule_id* checks."""
    out = set()
    for key, rules in _DATA_RULES.items():
        if rule_id in rules:
            out |= {linter.provenance.origins.get(path, "") for path, _ in linter.data.items(key)}
    return out


# -- commands ------------------------------------------------------------------------


def _load(ctx: click.Context, config_file: str | None, isolated: bool,
          **overrides: Any) -> tuple[Config, Linter]:
    """Configuration (file, then command line) and a :class:`Linter` for it."""
    from gklint.api import Linter

    state: _State = ctx.ensure_object(_State)
    try:
        config = load_config(config_file, isolated=isolated).override(**overrides)
        state.lang = config.lang
        return config, Linter(config)
    except ConfigError as exc:
        raise CliError(exc.message, state.lang) from None
    finally:
        _resume_gc(state)


def _resume_gc(state: _State) -> None:
    if state.gc_paused:
        state.gc_paused = False
        # What is loaded by now (plugins, rules, data) lives as long as the process: keep it out of
        # the collections that follow, which then only walk the documents' objects.
        gc.freeze()
        # Each document makes thousands of small objects that reference counting frees; the
        # default threshold (700 allocations) would start a collection several times per report.
        gc.set_threshold(10_000, 10, 10)
        gc.enable()

def _setup_options(region_help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options every command that loads the plugins shares: configuration, plugins, language, region."""
    options = [
        click.option("--config", "config_file", metavar="FILE", help="配置文件，不再向上查找 (configuration file)"),
        click.option("--isolated", is_flag=True, default=False, help="忽略所有配置文件 (ignore configuration files)"),
        click.option("--disable-plugin", multiple=True, metavar="NAME", help="不加载该插件，可重复 (do not load plugin)"),
        click.option("--lang", type=click.Choice(["zh", "en"]), help="消息语言（默认中文） (message language)"),
        click.option("--region", metavar="NAME", help=region_help),
    ]

    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def _show(ctx: click.Context, linter: Linter, texts: Sequence[str], quiet: bool = False) -> NoReturn:
    """Print *texts* (rule list, explanation, …) and the plugins' notifications; exit 2 on a load error."""
    click.echo("\n\n".join(texts))
    _echo_notes(linter.notifications, linter.config.lang, quiet)
    ctx.exit(EXIT_ERROR if any(n.level == "error" for n in linter.notifications) else EXIT_OK)


@click.command("check", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option("--format", "format_", metavar="NAME", help="输出格式：text、json、sarif 或插件提供的格式 (output format)")
@click.option("-o", "--output", metavar="FILE", help="把报告写入文件（原子写入） (write the report to FILE)")
@click.option("--select", multiple=True, metavar="IDS", help="只启用这些规则编号或前缀，逗号分隔 (rule ids or prefixes)")
@click.option("--ignore", multiple=True, metavar="IDS", help="停用这些规则编号或前缀 (disable rule ids or prefixes)")
@click.option("--extend-select", multiple=True, metavar="IDS", help="在已选规则之外再启用 (enable in addition)")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="达到该级别的问题使退出码为 1（默认 error） (severity that makes the exit code 1)")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="消息语言（默认中文） (message language)")
@click.option("--statistics", is_flag=True, default=False, help="输出按规则统计 (per-rule counts)")
@click.option("-q", "--quiet", is_flag=True, default=False, help="只输出问题，不输出摘要 (findings only)")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="并行检查的进程数（默认 CPU 数；1 为顺序检查） (parallel processes; default: CPUs)")
@click.option("--show-source/--no-show-source", default=None, help="显示源文本行和定位符 (show the source line)")
@click.option("--fix", "fix", is_flag=True, default=False,
              help="自动修复不会改变含义的问题（改写文件），再报告其余问题 (apply safe fixes in place)")
@click.option("--force", "force", is_flag=True, default=False,
              help="--fix 也修改只读文件 (let --fix rewrite read-only files)")
@click.option("--diff", "diff", is_flag=True, default=False,
              help="只显示 --fix 会做的修改，不写文件 (show what --fix would change)")
@click.option("--baseline", "baseline", metavar="FILE", help="只报告基线文件中没有的问题 (report only new findings)")
@click.option("--write-baseline", "write_baseline", metavar="FILE",
              help="把当前所有问题写入基线文件 (record the current findings)")
@click.option("--stdin-filename", metavar="NAME", help="标准输入 - 的文件名，决定读取器 (name for stdin)")
@click.option("--previous", "previous", metavar="FILE",
              help="同一机关上年的报告，用于跨年度核对 GK7 (the same agency's report of the year before)")
@click.option("--follow-links", is_flag=True, default=False,
              help="遍历目录时也跟随指向目录树之外的符号链接 (follow symbolic links out of a directory)")
@click.option("--config", "config_file", metavar="FILE", help="配置文件，不再向上查找 (configuration file)")
@click.option("--isolated", is_flag=True, default=False, help="忽略所有配置文件 (ignore configuration files)")
@click.option("--disable-plugin", multiple=True, metavar="NAME", help="不加载该插件，可重复 (do not load plugin)")
@click.option("--region", metavar="NAME",
              help="报告所属地区，如 山东省；不给出时从每份报告判断 (the reports' region, e.g. 山东省)")
@click.option("--version", "show_version", is_flag=True, default=False, help="显示版本和已加载插件 (show versions)")
@click.option("--list-rules", is_flag=True, default=False, help="列出所有规则 (list rules)")
@click.option("--explain", metavar="RULE", help="解释一条规则，如 GK201 (explain a rule)")
@click.option("--list-plugins", is_flag=True, default=False, help="列出插件及其状态 (list plugins)")
@click.pass_context
def check_command(ctx: click.Context, paths: tuple[str, ...], format_: str | None, output: str | None,
                  select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
                  fail_on: str | None, lang: str | None, statistics: bool, quiet: bool, show_source: bool | None,
                  stdin_filename: str | None, config_file: str | None, isolated: bool,
                  disable_plugin: tuple[str, ...], show_version: bool, list_rules: bool, explain: str | None,
                  list_plugins: bool, jobs: int | None = None, fix: bool = False, diff: bool = False,
                  baseline: str | None = None, write_baseline: str | None = None, region: str | None = None,
                  follow_links: bool = False, force: bool = False, previous: str | None = None) -> None:
    """检查报告，不写命令时即为此命令 (lint reports: the default command).

    PATH 可以是文件、目录（递归查找 .txt .html .htm .docx .pdf，不跟随指向目录之外的符号链接）或 -（标准输入）。

    退出码：0 没有达到 --fail-on 级别的问题；1 有；2 用法错误、配置错误、无法读取的输入或插件失败。
    """
    from gklint.formats import ReportOptions
    from gklint.progress import ProgressBar
    from gklint.run import CheckRequest, CheckRun, RunError

    config, linter = _load(
        ctx, config_file, isolated, select=_split(select), ignore=_split(ignore),
        extend_select=_split(extend_select), fail_on=fail_on, lang=lang, format=format_,
        show_source=show_source, disable_plugins=tuple(disable_plugin) or None, region=region)
    lang = config.lang
    info: list[str] = []
    if show_version:
        info.append(_version_text(linter, lang))
    if list_rules:
        info.append(_rules_text(linter, lang))
    if explain:
        info.append(_explain_text(linter, explain, lang))
    if list_plugins:
        info.append(_plugins_text(linter, lang))
    if info:
        _show(ctx, linter, info, quiet)

    request = CheckRequest(paths, output=output, stdin_filename=stdin_filename, fix=fix, diff=diff, force=force,
                           baseline=baseline, write_baseline=write_baseline, previous=previous,
                           follow_links=follow_links, jobs=jobs)
    try:
        run = CheckRun(linter, request, ProgressBar(lang, enabled=None if not quiet else False))
        if fix or diff:
            _print_fixes(run, lang, quiet)
        result: RunResult | None = None
        if not run.streaming:
            result = run.lint_whole()
            if write_baseline:
                count = run.record_baseline(result)
                if not quiet:
                    click.echo(_t(lang, f"gklint: 已把 {count} 个问题记入基线 {write_baseline}",
                                  f"gklint: recorded {count} finding{'s' if count != 1 else ''} in baseline "
                                  f"{write_baseline}"), err=True)
            run.compare_baseline(result)
            if diff:  # the diff was the output; the exit code is the usual one for the files as they are
                ctx.exit(max(exit_code(result), EXIT_ERROR if run.fix_failed else EXIT_OK))
        stream = sys.stdout
        if run.fixed_stdin is not None:  # the fixed document goes to stdout, the report to stderr
            sys.stdout.buffer.write(run.fixed_stdin)
            sys.stdout.flush()
            stream = sys.stderr
        tty = output is None and sys.stdout.isatty()
        options = ReportOptions(
            lang=lang,
            show_source=config.show_source if config.show_source is not None else tty,
            color=tty and not os.environ.get("NO_COLOR"),
            statistics=statistics,
            quiet=quiet,
        )
        runs: list[tuple[RunResult, RunTally]] = []

        def report(fh: IO[str]) -> None:
            runs.append(run.report(result, fh, options))

        if output is None:
            if config.format != "text" and stream is sys.stdout:
                _utf8_when_redirected(stream)
            report(stream)
            stream.flush()
        else:
            try:
                write_atomic(output, report)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise CliError(Message(f"无法写入 --output {output}（{reason}）",
                                       f"cannot write --output {output} ({reason})"), lang) from None
            if not quiet:
                where = os.path.abspath(output)
                click.echo(_t(lang, f"gklint: 检查结果已写入 {where}", f"gklint: report written to {where}"),
                           err=True)
    except RunError as exc:
        raise CliError(exc.message, lang) from None
    done, tally = runs[0]
    if output is not None or config.format != "text":
        # The text format shows notifications in the report itself; others get them on stderr too.
        _echo_notes([*done.notifications, *tally.notifications], lang, quiet)
    ctx.exit(max(exit_code(done, tally), EXIT_ERROR if run.fix_failed else EXIT_OK))


def _print_fixes(run: CheckRun, lang: str, quiet: bool) -> None:
    """``--fix`` / ``--diff``: each file's diff, refusals and problems, then how many fixes were made."""
    from gklint.fixes import diff_text

    applied = files = 0
    for step in run.fixes():
        display = escape_name(step.display)
        if step.problem is not None:
            click.echo(f"gklint: {_t(lang, '警告', 'warning')}: {display}: "
                       f"{_t(lang, '未能自动修复：', 'not fixed: ')}{step.problem.get(lang)}", err=True)
            continue
        if step.write_error is not None:
            _fail(lang, f"{display}：无法写入修复结果（{step.write_error}）",
                  f"{display}: cannot write the fixed file ({step.write_error})")
            continue
        outcome = step.outcome
        assert outcome is not None
        if run.request.diff:
            click.echo(diff_text(run.linter, outcome), nl=False)
        for refusal in outcome.refused:
            click.echo(f"gklint: {display}:{refusal.line}:{refusal.column}: {refusal.rule_id} "
                       f"{_t(lang, '未自动修复：', 'not fixed: ')}{refusal.message.get(lang)}", err=True)
        if outcome.applied:
            applied += outcome.applied
            files += 1
    if not quiet and not applied:
        click.echo(_t(lang, "gklint: 没有可自动修复的问题", "gklint: nothing to fix automatically"), err=True)
    elif not quiet:
        verb = _t(lang, "可自动修复" if run.request.diff else "已自动修复", "would fix" if run.request.diff else "fixed")
        click.echo(_t(lang, f"gklint: {verb} {applied} 处问题（{files} 个文件）",
                      f"gklint: {verb} {applied} problem{'s' if applied != 1 else ''} in {files} "
                      f"file{'s' if files != 1 else ''}"), err=True)


_RULE_SELECTION = [
    click.option("--select", multiple=True, metavar="IDS", help="只启用这些规则编号或前缀，逗号分隔 (rule ids or prefixes)"),
    click.option("--ignore", multiple=True, metavar="IDS", help="停用这些规则编号或前缀 (disable rule ids or prefixes)"),
    click.option("--extend-select", multiple=True, metavar="IDS", help="在已选规则之外再启用 (enable in addition)"),
]


@click.command("rules", context_settings=CONTEXT)
@_RULE_SELECTION[0]
@_RULE_SELECTION[1]
@_RULE_SELECTION[2]
@_setup_options("报告所属地区，如 山东省：显示该地区规则包的规则级别 (a region, for its pack's rules)")
@click.pass_context
def rules_command(ctx: click.Context, select: tuple[str, ...], ignore: tuple[str, ...],
                  extend_select: tuple[str, ...], config_file: str | None, isolated: bool,
                  disable_plugin: tuple[str, ...], lang: str | None, region: str | None) -> None:
    """列出所有规则及其级别（同 gklint --list-rules） (list the rules)."""
    _, linter = _load(ctx, config_file, isolated, select=_split(select), ignore=_split(ignore),
                      extend_select=_split(extend_select), lang=lang,
                      disable_plugins=tuple(disable_plugin) or None, region=region)
    _show(ctx, linter, [_rules_text(linter, linter.config.lang)])


@click.command("explain", context_settings=CONTEXT)
@click.argument("rule", metavar="RULE")
@_setup_options("报告所属地区，如 山东省 (the report's region)")
@click.pass_context
def explain_command(ctx: click.Context, rule: str, config_file: str | None, isolated: bool,
                    disable_plugin: tuple[str, ...], lang: str | None, region: str | None) -> None:
    """解释一条规则，如 gklint explain GK201（同 gklint --explain GK201） (explain a rule)."""
    _, linter = _load(ctx, config_file, isolated, lang=lang, disable_plugins=tuple(disable_plugin) or None,
                      region=region)
    _show(ctx, linter, [_explain_text(linter, rule, linter.config.lang)])


@click.command("plugins", context_settings=CONTEXT)
@_setup_options("报告所属地区，如 山东省 (the report's region)")
@click.pass_context
def plugins_command(ctx: click.Context, config_file: str | None, isolated: bool, disable_plugin: tuple[str, ...],
                    lang: str | None, region: str | None) -> None:
    """列出插件及其状态（同 gklint --list-plugins） (list the plugins)."""
    _, linter = _load(ctx, config_file, isolated, lang=lang, disable_plugins=tuple(disable_plugin) or None,
                      region=region)
    _show(ctx, linter, [_plugins_text(linter, linter.config.lang)])


def _utf8_when_redirected(stream: IO[str]) -> None:
    """JSON, SARIF and HTML (which declares UTF-8) are UTF-8 in a file or pipe, whatever the locale.

    On Windows a redirected stdout otherwise takes the ANSI code page (GBK), which readers of
    those formats do not expect and which cannot hold every character of a report.
    """
    isatty = getattr(stream, "isatty", None)
    reconfigure = getattr(stream, "reconfigure", None)
    if isatty is None or reconfigure is None or isatty():
        return
    try:
        if codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name != "utf-8":
            reconfigure(encoding="utf-8", errors="backslashreplace")
    except (LookupError, ValueError, OSError, io.UnsupportedOperation):
        pass


@click.command("inspect", context_settings=CONTEXT)
@click.argument("file", metavar="FILE")
@click.option("--stdin-filename", metavar="NAME", help="标准输入 - 的文件名 (name for stdin)")
@_setup_options("报告所属地区，如 山东省 (the report's region)")
@click.pass_context
def inspect_command(ctx: click.Context, file: str, stdin_filename: str | None, config_file: str | None,
                    isolated: bool, disable_plugin: tuple[str, ...], lang: str | None, region: str | None = None) -> None:
    """以 JSON 输出报告的结构：标题、所属地区及依据、章节、表格 (print the document structure as JSON)."""
    import json

    config, linter = _load(ctx, config_file, isolated, lang=lang, disable_plugins=tuple(disable_plugin) or None,
                           region=region)
    lang = config.lang
    if file == "-":
        data = sys.stdin.buffer.read(config.limits.max_file_bytes + 1)
        doc, result = linter.read_document(data, stdin_filename or "-")
    else:
        doc, result = linter.read_path(file)
    _echo_notes([*linter.notifications, *result.notifications], lang, False)
    if doc is None:
        ctx.exit(EXIT_ERROR)
    from gklint.inspect import inspect_document

    payload = inspect_document(doc, linter.data)
    payload["region"] = linter.region_of(doc).as_dict(doc)
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    ctx.exit(EXIT_ERROR if any(n.level == "error" for n in linter.notifications) else EXIT_OK)


# -- the command group --------------------------------------------------------------------

#: The subcommands, loaded on first use (``gklint 报告.txt`` never imports the service).
COMMANDS: dict[str, str] = {
    "check": "gklint.cli:check_command",
    "rules": "gklint.cli:rules_command",
    "explain": "gklint.cli:explain_command",
    "plugins": "gklint.cli:plugins_command",
    "inspect": "gklint.cli:inspect_command",
    "serve": "gklint.server:serve_command",
    "review": "gklint.review:review_command",
    "new-pack": "gklint.newpack:new_pack_command",
}
DEFAULT_COMMAND = "check"


class DefaultGroup(click.Group):
    """A group whose first argument, when it names no command, belongs to :data:`DEFAULT_COMMAND`.

    ``gklint 报告.txt`` and ``gklint --list-rules`` run ``gklint check …``; a file literally named
    like a command is linted as ``./inspect``.  ``gklint --help`` shows the default command's
    options followed by the list of commands.  Commands are imported on first use
    (click's documented way: overriding :meth:`list_commands` and :meth:`get_command`).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not (args and (args[0] in COMMANDS or (len(args) == 1 and args[0] in ctx.help_option_names))):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] PATH...")
        formatter.write_usage(ctx.command_path, "COMMAND [ARGS]...", prefix="   or: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        default = self.get_command(ctx, DEFAULT_COMMAND)
        assert default is not None
        default.format_options(click.Context(default, info_name=DEFAULT_COMMAND, parent=ctx), formatter)
        self.format_commands(ctx, formatter)


@click.group(cls=DefaultGroup, context_settings=CONTEXT)
def cli() -> None:
    """政府信息公开工作年度报告合规检查 (lint government information disclosure annual reports).

    PATH 可以是文件、目录（递归查找 .txt .html .htm .docx .pdf，不跟随指向目录之外的符号链接）或 -（标准输入）。
    不写命令时为 check：gklint 报告.txt 即 gklint check 报告.txt (check is the default command)。

    退出码：0 没有达到 --fail-on 级别的问题；1 有；2 用法错误、配置错误、无法读取的输入或插件失败。

    各命令的选项见 gklint COMMAND --help，如 gklint inspect --help (each command's options)。
    """


# -- entry point -------------------------------------------------------------------------


def _sniff_lang(args: Sequence[str]) -> str:
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg == "--lang=en" else "zh"
    return "zh"


def _fail(lang: str, zh: str, en: str) -> None:
    click.echo(f"gklint: {_t(lang, '错误', 'error')}: {_t(lang, zh, en)}", err=True)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the command line and exit; no traceback ever reaches the user.

    *argv* defaults to the process's own arguments (``sys.argv[1:]``): the process ends with this call.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except Exception:  # a replaced or exotic stream: leave it alone
                pass
    # Loading the plugins and the standard data creates many long-lived objects and next to no
    # garbage: collecting meanwhile only costs time.  _load resumes collection before any input is read.
    state = _State(lang=_sniff_lang(args), gc_paused=gc.isenabled())
    gc.disable()
    code: Any
    stop_watching = watch_interrupts()  # a KeyboardInterrupt raised by a plugin is its failure, not Ctrl-C
    try:
        code = cli.main(args, prog_name="gklint", standalone_mode=False, obj=state)
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except ConfigError as exc:
        _fail(state.lang, exc.message.zh, exc.message.en)
        code = EXIT_ERROR
    except (KeyboardInterrupt, click.exceptions.Abort):
        _fail(state.lang, "已中断", "interrupted")
        code = 130
    except BrokenPipeError:
        # The reader of our output went away (``gklint … | head``): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_FINDINGS
    except OSError as exc:
        target = f" {exc.filename}" if exc.filename else ""
        _fail(state.lang, f"无法写入或读取{target}：{exc.strerror or exc}", f"cannot access{target}: {exc.strerror or exc}")
        code = EXIT_ERROR
    except Exception as exc:
        from gklint.plugins import exception_text

        text = exception_text(exc)
        _fail(state.lang, f"内部错误：{text}（请报告此问题）", f"internal error: {text} (please report this)")
        code = EXIT_ERROR
    finally:
        stop_watching()
        _resume_gc(state)
    if argv is None:
        # The process ends here: the interpreter's last collections need not walk everything still alive.
        gc.freeze()
    sys.exit(code if isinstance(code, int) else EXIT_OK)
