"""Run rules on one document: isolate each check, resolve spans, stamp findings.

A check that raises (or yields something that is not a
:class:`~gklint.findings.Problem`) becomes a :class:`~gklint.findings.Notification`
naming the rule, its plugin and the file; its problems are dropped and the
other rules still run.  Findings come back sorted by
:meth:`~gklint.findings.Finding.sort_key`, so output does not depend on the
order plugins were loaded in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from gklint.findings import Finding, Location, Message, Notification, Problem, Severity
from gklint.plugins import PLUGIN_FAILURES, reraise_user_interrupt
from gklint.rule import CheckContext, Rule

if TYPE_CHECKING:
    from gklint.config import Config
    from gklint.data import StandardData
    from gklint.model import Document, Span

__all__ = ["ActiveRule", "Checked", "DocumentTimeout", "cap_findings", "check", "check_document", "locate", "prepare_rules", "run_rules"]


class DocumentTimeout(BaseException):
    """Raised by the interval timer inside a document (a BaseException, so rule isolation cannot swallow it).

    :ivar seconds: the time limit that ran out.
    """

    def __init__(self, seconds: int = 0) -> None:
        super().__init__(seconds)
        self.seconds = seconds


@dataclass(frozen=True)
class ActiveRule:
    """A selected rule with its effective severity, plugin and check context.

    ``configured``: the severity was set for this rule (by id, prefix or ``ALL``) by
    the configuration, a national data file's ``[severity]`` or (for a pack's own rule)
    the pack's ``[severity]``; it then applies to every finding, and a problem's own
    :attr:`~gklint.findings.Problem.severity` is ignored.  ``by_user``: set by the
    configuration, which also overrides a pack's ``[severity]`` for findings from the
    pack's data.
    """

    rule: Rule
    plugin: str
    severity: Severity
    context: CheckContext
    configured: bool = False
    by_user: bool = False


def prepare_rules(
    rules: Mapping[str, Rule] | Iterable[Rule],
    config: Config,
    data: StandardData,
    *,
    rule_plugins: Mapping[str, str] | None = None,
    plugin_defaults: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[ActiveRule]:
    """Apply select / ignore / severity overrides and build each rule's context.

    A rule whose severity the configuration or the data's ``[severity]`` sets is
    marked :attr:`ActiveRule.configured`: that severity is then every finding's.

    Options are the rule's defaults overlaid with ``[rules.<ID>]``; the plugin
    configuration is the plugin's ``gklint_config_defaults`` overlaid with
    ``[plugins.<name>]``.  Returns the active rules sorted by id.
    """
    items = list(rules.values()) if isinstance(rules, Mapping) else list(rules)
    owners = rule_plugins or {}
    defaults = plugin_defaults or {}
    prov = data.provenance

    def data_keys(plugin: str) -> list[str]:
        """The data ``[severity]`` keys that bear on *plugin*'s rules: the national files' and its own."""
        return [k for path, table in data.items("severity") if isinstance(table, Mapping)
                and (prov is None or prov.pack_of(path) in ("", plugin)) for k in table]

    active: list[ActiveRule] = []
    for rule in sorted(items, key=lambda r: r.id):
        if not config.is_selected(rule.id):
            continue
        severity = config.severity_for(rule.id, rule.severity)
        if severity is None:
            continue
        plugin = owners.get(rule.id, "")
        options = {**rule.options, **config.rules.get(rule.id, {})}
        plugin_config = {**defaults.get(plugin, {}), **config.plugins.get(plugin, {})}
        by_user = any(k == "ALL" or rule.id.startswith(k) for k in config.severity)
        configured = by_user or any(k == "ALL" or rule.id.startswith(k) for k in data_keys(plugin))
        active.append(ActiveRule(rule, plugin, severity, CheckContext(options, data, plugin_config), configured,
                                 by_user))
    return active


def locate(doc: Document, span: Span | None, logical: str | None = None) -> Location:
    """Resolve *span* to a :class:`Location` in *doc*'s coordinates (``None``: line 1, column 1).

    *logical* replaces the logical path derived from the span.
    """
    if span is None:
        return Location(doc.path, 1, 1, 1, 1, "", doc.source_line(1), logical or "")
    start = doc.position(span.start)
    end = doc.position(span.end)
    return Location(
        path=doc.path,
        start_line=start.line,
        start_column=start.column,
        end_line=end.line,
        end_column=end.column,
        snippet=doc.text[span.start : span.end],
        source_line=doc.source_line(start.line),
        logical=logical or doc.logical_path(span),
    )


def _in_one_piece(doc: Document, span: Span | None) -> bool:
    """Is *span* one stretch of the input, but for white space?  In text whose shape was repaired
    (:attr:`Document.repairs`) a span may join pieces of several lines (a table row rebuilt);
    replacing the stretch between them would destroy what lies between, so such a fix is not offered."""
    if not doc.repairs or doc.offsets is None or span is None or span.end <= span.start:
        return True
    stretch = doc.source[doc.offsets[span.start] : doc.offsets[span.end - 1] + 1]
    return "".join(stretch.split()) == "".join(doc.text[span.start : span.end].split())


def _finding(doc: Document, active: ActiveRule, problem: Problem) -> Finding | None:
    """The finding for *problem*; ``None`` when the pack whose data produced it turns it ``off``."""
    location = locate(doc, problem.span, problem.logical)
    related = tuple((locate(r.document or doc, r.span), r.message) for r in problem.related)
    fix = None
    if problem.fix is not None and _in_one_piece(doc, problem.fix.span):
        fix = (locate(doc, problem.fix.span), problem.fix.replacement, problem.fix.description)
    severity = active.severity if problem.severity is None or active.configured else problem.severity
    pack = ""
    prov = active.context.data.provenance
    if prov is not None:
        pack = prov.pack_of(problem.origin) if problem.origin else ""
        if pack and pack != active.plugin and not active.by_user:
            own = prov.severity(pack, active.rule.id)  # the pack's [severity], for findings from its data
            if own == "off":
                return None
            if own is not None:
                severity = Severity(own)
        if not pack and active.plugin in prov.packs:
            pack = active.plugin
    return Finding(
        rule_id=active.rule.id,
        severity=severity,
        message=problem.message,
        location=location,
        plugin=active.plugin,
        related=related,
        fix=fix,
        key=problem.key,
        fix_safe=problem.fix is not None and problem.fix.safe,
        pack=pack,
    )


def _crash(doc: Document, active: ActiveRule, exc: BaseException) -> Notification:
    from gklint.plugins import exception_text

    text = exception_text(exc)
    rule, plugin = active.rule.id, active.plugin or "?"
    return Notification(
        kind="rule-crash",
        message=Message(
            f"规则 {rule}（插件 {plugin}）检查此文件时出错：{text}；该规则的结果已丢弃，其他规则照常运行",
            f"rule {rule} (plugin {plugin}) failed on this file: {text}; its results are dropped, "
            "the other rules still ran",
        ),
        path=doc.path,
        plugin=active.plugin,
        rule_id=rule,
        exception=text,
    )


def _timed_out(doc: Document, active: ActiveRule, seconds: int) -> Notification:
    rule, plugin = active.rule.id, active.plugin or "?"
    return Notification(
        kind="timeout",
        message=Message(
            f"超过每个文件的时间上限 {seconds} 秒：规则 {rule}（插件 {plugin}）未在时限内结束；已运行完的规则的结果保留，"
            "此规则及其后的规则未运行，此文件的检查不完整（可调高配置 [limits] max-seconds-per-document）",
            f"checking took longer than {seconds} s: rule {rule} (plugin {plugin}) did not finish in time; the "
            "findings of the rules that finished are kept, this rule and the rules after it did not run: this file "
            "was checked incompletely (raise [limits] max-seconds-per-document in the configuration)",
        ),
        path=doc.path,
        plugin=active.plugin,
        rule_id=rule,
    )


@dataclass(slots=True)
class Checked:
    """The outcome of :func:`check`: reported findings, silenced ones, notifications."""

    findings: list[Finding]
    suppressed: list[Finding]
    notifications: list[Notification]


def check(doc: Document, active: Iterable[ActiveRule], *, max_per_rule: int | None = None,
          previous: Document | None = None) -> Checked:
    """Run the rules, then apply the document's inline suppressions (:mod:`gklint.suppress`).

    Suppressed findings come back separately, with ``Finding.suppression`` set to the
    reason; problems with the suppression comments themselves (GK001, GK002) are
    added to the findings when those rules are active.  With *max_per_rule*, a rule's
    findings beyond that many (in output order) are replaced by one summary finding
    (see :func:`cap_findings`).  *previous*: the same agency's report of an earlier year
    (see :func:`check_document`).
    """
    from gklint.suppress import apply_suppressions

    rules = list(active)
    findings, notes = check_document(doc, rules, suppress=False, previous=previous)
    kept, suppressed = apply_suppressions(doc, findings, rules)
    kept.sort(key=_order)
    if max_per_rule is not None:
        kept = cap_findings(kept, max_per_rule)
    return Checked(kept, suppressed, notes)


def cap_findings(findings: list[Finding], limit: int) -> list[Finding]:
    """Keep the first *limit* findings of each rule (of sorted *findings*); the rest become one summary.

    The summary finding stands at the first finding left out, with the highest severity of
    those left out and a message saying how many there were (``[limits] max-findings-per-rule``).
    """
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule_id] = counts.get(finding.rule_id, 0) + 1
    if all(n <= limit for n in counts.values()):
        return findings
    out: list[Finding] = []
    seen: dict[str, int] = {}
    summaries: dict[str, tuple[Finding, Severity]] = {}
    for finding in findings:
        n = seen[finding.rule_id] = seen.get(finding.rule_id, 0) + 1
        if n <= limit:
            out.append(finding)
            continue
        first, severity = summaries.get(finding.rule_id, (finding, finding.severity))
        summaries[finding.rule_id] = (first, max(severity, finding.severity, key=lambda s: s.rank))
    for rule_id, (first, severity) in summaries.items():
        left = counts[rule_id] - limit
        out.append(dataclasses.replace(
            first, severity=severity, related=(), fix=None, fix_safe=False, key=("more-findings",),
            message=Message(
                f"规则 {rule_id} 在此文件中还有 {left} 个问题未逐一列出（每条规则最多列出 {limit} 个；"
                "可调高配置 [limits] max-findings-per-rule）",
                f"rule {rule_id} has {left} more finding{'s' if left != 1 else ''} in this file, not listed one "
                f"by one (at most {limit} per rule; raise [limits] max-findings-per-rule in the configuration)")))
    out.sort(key=_order)
    return out


def check_document(doc: Document, active: Iterable[ActiveRule], *, suppress: bool = True,
                   previous: Document | None = None) -> tuple[list[Finding], list[Notification]]:
    """Run each active rule on *doc* in isolation; findings sorted, notifications in rule-id order.

    With *suppress* (the default) inline suppressions are applied and the silenced
    findings dropped; use :func:`check` to keep them.  *previous* (the same agency's
    report of an earlier year) is given to rules declared ``needs_previous`` as
    ``context.previous``; without it those rules are not run.
    """
    if suppress:
        checked = check(doc, active, previous=previous)
        return checked.findings, checked.notifications
    findings: list[Finding] = []
    notes: list[Notification] = []
    for item in sorted(active, key=lambda a: a.rule.id):
        context = item.context
        if item.rule.needs_previous:
            if previous is None:
                continue
            context = replace(context, previous=previous)
        try:
            found = []
            for problem in item.rule.check(doc, context):
                if not isinstance(problem, Problem):
                    raise TypeError(f"check yielded {type(problem).__name__}, expected gklint.findings.Problem")
                finding = _finding(doc, item, problem)
                if finding is not None:
                    found.append(finding)
        except PLUGIN_FAILURES as exc:  # SystemExit too: a rule cannot end the run as if it passed
            reraise_user_interrupt(exc)
            notes.append(_crash(doc, item, exc))
            continue
        except DocumentTimeout as exc:
            # the rules that finished keep their findings; this one and those after it did not run
            notes.append(_timed_out(doc, item, exc.seconds))
            break
        findings.extend(found)
    findings.sort(key=_order)
    return findings, notes


def _order(f: Finding) -> tuple[Any, ...]:
    loc = f.location
    return (*f.sort_key(), loc.end_line, loc.end_column, f.message.en, f.key)


def run_rules(
    doc: Document,
    rules: Mapping[str, Rule] | Iterable[Rule],
    config: Config,
    data: StandardData,
    *,
    rule_plugins: Mapping[str, str] | None = None,
    plugin_defaults: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[list[Finding], list[Notification]]:
    """Select the rules per *config* and run them on *doc* (see :func:`prepare_rules`)."""
    active = prepare_rules(rules, config, data, rule_plugins=rule_plugins, plugin_defaults=plugin_defaults)
    return check_document(doc, active)
