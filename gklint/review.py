"""``gklint review DIR``: a supervising office's summary of a region's reports across agencies and years.

Lints every report under the given paths (reports of one agency are compared with the
year before, GK7), then prints per year which agencies published a report, which lack
one (an agency seen in another year but not this one), and the findings per agency;
``--format json`` writes the same as JSON (see ``docs/json-output.md``).

Agencies are told apart by :func:`gklint.identity.agency_key`, a name written without
its region prefix joining the one agency of the run that has it.  Exit codes as for
``gklint``: 0, 1 when a finding reaches ``--fail-on``, 2 for unreadable input or errors.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

import click

import gklint
from gklint.findings import Severity

__all__ = ["ReviewEntry", "review_command", "summarize"]


@dataclass(slots=True)
class ReviewEntry:
    """What the summary keeps of one file."""

    path: str
    agency: str
    year: int | None
    readable: bool
    counts: dict[str, int]
    rules: dict[str, int]
    previous: str | None = None
    key: str = ""
    notes: list[str] = field(default_factory=list)


def entry_of(file: Any, data: Any = None) -> ReviewEntry:
    """A :class:`ReviewEntry` of a :class:`~gklint.results.FileResult`."""
    from gklint.identity import agency_key

    rules = Counter(f.rule_id for f in file.findings)
    return ReviewEntry(path=file.path, agency=file.agency, year=file.year, readable=file.readable,
                       counts=file.counts(), rules=dict(sorted(rules.items())), previous=file.previous,
                       key=agency_key(file.agency, data) if file.agency else "")


def summarize(entries: Iterable[ReviewEntry]) -> dict[str, Any]:
    """The summary as JSON-ready data: ``years`` (oldest first), ``agencies``, ``unidentified``."""
    from gklint.identity import merge_region_free

    items = list(entries)
    canon = merge_region_free(e.key for e in items if e.key)
    names: dict[str, Counter[str]] = {}
    known: list[ReviewEntry] = []
    unidentified = []
    for e in items:
        if not e.key or e.year is None:
            unidentified.append({"path": e.path, "agency": e.agency or None, "year": e.year, "readable": e.readable})
            continue
        e.key = canon[e.key]
        names.setdefault(e.key, Counter())[e.agency] += 1
        known.append(e)
    # the name shown for an agency: its most frequent written form, the longest on a tie (it has the region)
    shown = {key: max(c.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0] for key, c in names.items()}
    agencies = sorted(shown, key=lambda k: shown[k])
    years = sorted({e.year for e in known if e.year is not None})
    out_years = []
    for year in years:
        here = [e for e in known if e.year == year]
        published = []
        for key in sorted({e.key for e in here}, key=lambda k: shown[k]):
            files = [e for e in here if e.key == key]
            total = Counter[str]()
            for e in files:
                total.update(e.counts)
            published.append({
                "agency": shown[key],
                "agency_key": key,
                "counts": {s.value: total.get(s.value, 0) for s in Severity},
                "files": [{"path": e.path, "counts": e.counts, "rules": e.rules, "previous": e.previous,
                           "readable": e.readable} for e in files],
            })
        present = {e.key for e in here}
        missing = [{"agency": shown[k], "agency_key": k,
                    "years": sorted({e.year for e in known if e.key == k and e.year is not None})}
                   for k in agencies if k not in present]
        out_years.append({"year": year, "published": published, "missing": missing})
    return {
        "agencies": [{"agency": shown[k], "agency_key": k, "names": sorted(names[k]),
                      "years": sorted({e.year for e in known if e.key == k and e.year is not None})}
                     for k in agencies],
        "years": out_years,
        "unidentified": unidentified,
    }


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _counts(counts: Mapping[str, int], lang: str) -> str:
    return _t(lang, f"错误 {counts.get('error', 0)}，警告 {counts.get('warning', 0)}，提示 {counts.get('info', 0)}",
              f"{counts.get('error', 0)} errors, {counts.get('warning', 0)} warnings, {counts.get('info', 0)} info")


def write_text(summary: Mapping[str, Any], out: IO[str], lang: str) -> None:
    """The summary for a reader: one block per year."""
    for year in summary["years"]:
        published, missing = year["published"], year["missing"]
        out.write(_t(lang, f"{year['year']}年：{len(published)} 个机关已发布报告，{len(missing)} 个缺少报告\n",
                     f"{year['year']}: {len(published)} agencies published, {len(missing)} without a report\n"))
        for item in published:
            out.write(f"  {item['agency']}{_t(lang, '：', ': ')}{_counts(item['counts'], lang)}\n")
            for f in item["files"]:
                rules = ", ".join(f"{rid}×{n}" for rid, n in f["rules"].items())
                compared = (_t(lang, f"；对照上年 {f['previous']}", f"; compared with {f['previous']}")
                            if f["previous"] else "")
                unread = _t(lang, "（无法读取）", " (unreadable)") if not f["readable"] else ""
                out.write(f"    {f['path']}{unread}{compared}" + (f"  [{rules}]" if rules else "") + "\n")
        for item in missing:
            seen = "、".join(str(y) for y in item["years"]) if lang != "en" else ", ".join(str(y) for y in item["years"])
            out.write(_t(lang, f"  缺少报告：{item['agency']}（有 {seen} 年的报告）\n",
                         f"  no report: {item['agency']} (has reports for {seen})\n"))
    if summary["unidentified"]:
        out.write(_t(lang, "未能确定机关或年度的文件：\n", "files whose agency or year was not found:\n"))
        for item in summary["unidentified"]:
            out.write(f"  {item['path']}\n")
    if not summary["years"] and not summary["unidentified"]:
        out.write(_t(lang, "没有找到报告。\n", "No reports found.\n"))


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text",
              help="输出格式 (output format)")
@click.option("-o", "--output", metavar="FILE", help="把汇总写入文件（原子写入） (write the summary to FILE)")
@click.option("--select", multiple=True, metavar="IDS", help="只启用这些规则编号或前缀 (rule ids or prefixes)")
@click.option("--ignore", multiple=True, metavar="IDS", help="停用这些规则编号或前缀 (disable rule ids or prefixes)")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="达到该级别的问题使退出码为 1 (severity that makes the exit code 1)")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="并行检查的进程数 (parallel processes)")
@click.option("--config", "config_file", metavar="FILE", help="配置文件 (configuration file)")
@click.option("--isolated", is_flag=True, default=False, help="忽略所有配置文件 (ignore configuration files)")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="消息语言 (message language)")
@click.pass_context
def review_command(ctx: click.Context, paths: tuple[str, ...], format_: str, output: str | None,
                   select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None, jobs: int | None,
                   config_file: str | None, isolated: bool, lang: str | None) -> None:
    """按年度汇总一个地区各机关的报告：谁已发布、谁缺少、各机关的问题 (review a region's reports by year)."""
    from gklint.cli import _echo_notes, _load, _split, exit_code, write_atomic
    from gklint.parallel import default_jobs
    from gklint.results import RunTally

    config, linter = _load(ctx, config_file, isolated, select=_split(select), ignore=_split(ignore),
                           fail_on=fail_on, lang=lang)
    lang = config.lang
    tally = RunTally()
    entries = []
    for file in linter.iter_results(paths, jobs=jobs or default_jobs()):
        tally.add(file)
        entries.append(entry_of(file, linter.data))
    summary = summarize(entries)
    run = linter.result([])

    def emit(out: IO[str]) -> None:
        if format_ == "json":
            json.dump({"version": gklint.__version__, **summary}, out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            write_text(summary, out, lang)

    if output is None:
        emit(sys.stdout)
        sys.stdout.flush()
    else:
        write_atomic(output, emit)
    _echo_notes([*run.notifications, *tally.notifications], lang, False)
    ctx.exit(exit_code(run, tally))
