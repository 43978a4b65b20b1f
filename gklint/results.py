"""What a run produces: one :class:`FileResult` per input, gathered in a :class:`RunResult`.

The linter (:mod:`gklint.api`, :mod:`gklint.parallel`) builds these; reporters, the
service and the baseline read them.  :class:`RunTally` counts results as they stream
by, for runs that keep no file's result; :class:`PluginInfo` describes a loaded plugin.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gklint.findings import Finding, Message, Notification, Severity, _Record
from gklint.rule import Rule

__all__ = ["FileResult", "PluginInfo", "RunResult", "RunTally"]


@dataclass(slots=True, init=False, repr=False, eq=False)
class FileResult(_Record):
    """The outcome for one input file."""

    path: str  # as given by the user (or --stdin-filename), with "/" separators
    reader: str | None
    encoding: str | None
    coordinates: str = "source"
    findings: list[Finding] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    readable: bool = True
    layout: str | None = None
    year: int | None = None
    suppressed: list[Finding] = field(default_factory=list)  # silenced inline (``Finding.suppression``)
    baselined: list[Finding] = field(default_factory=list)  # recorded in the baseline (``--baseline``)
    #: Tables 2–4 as :func:`gklint.snapshot.table_snapshot` data; only filled when the
    #: chosen reporter's factory sets ``needs_tables`` (the HTML report draws them).
    tables: dict[str, Any] | None = None
    #: the report's region (``山东省``) when known, worked out from the text or set by the user
    region: str | None = None
    #: the agency that published the report, as written (:func:`gklint.identity.identify`; ``""``: not found)
    agency: str = ""
    #: the path of the same agency's earlier report it was compared with (GK7), if any
    previous: str | None = None

    def __init__(self, path: str, reader: str | None, encoding: str | None, coordinates: str = "source",
                 findings: list[Finding] | None = None, notifications: list[Notification] | None = None,
                 readable: bool = True, layout: str | None = None, year: int | None = None,
                 suppressed: list[Finding] | None = None, baselined: list[Finding] | None = None,
                 tables: dict[str, Any] | None = None, region: str | None = None, agency: str = "",
                 previous: str | None = None) -> None:
        self.path = path
        self.reader = reader
        self.encoding = encoding
        self.coordinates = coordinates
        self.findings = [] if findings is None else findings
        self.notifications = [] if notifications is None else notifications
        self.readable = readable
        self.region = region
        self.layout = layout
        self.year = year
        self.suppressed = [] if suppressed is None else suppressed
        self.baselined = [] if baselined is None else baselined
        self.tables = tables
        self.agency = agency
        self.previous = previous

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out


@dataclass(slots=True, init=False, repr=False, eq=False)
class PluginInfo(_Record):
    """A loaded (or failed) plugin: entry-point name, distribution and version."""

    name: str
    distribution: str
    version: str
    loaded: bool = True
    error: str = ""
    rule_ids: list[str] = field(default_factory=list)
    builtin: bool = False
    #: for a regional rule pack, the region it serves (``山东省``); ``None`` for a pack that
    #: declares a region table without a name yet (it is inert)
    region: str | None = ""

    def __init__(self, name: str, distribution: str, version: str, loaded: bool = True, error: str = "",
                 rule_ids: list[str] | None = None, builtin: bool = False, region: str | None = "") -> None:
        self.name = name
        self.distribution = distribution
        self.version = version
        self.loaded = loaded
        self.error = error
        self.rule_ids = [] if rule_ids is None else rule_ids
        self.builtin = builtin
        self.region = region

    def pack_label(self) -> Message:
        """How output names this rule pack: ``山东省规则包`` / ``shandong pack for 山东省``."""
        if self.region:
            return Message(f"{self.region}规则包", f"{self.name} pack for {self.region}")
        return Message(f"规则包 {self.name}", f"rule pack {self.name}")


@dataclass(slots=True, init=False, repr=False, eq=False)
class RunResult(_Record):
    """Everything a reporter needs about one run."""

    files: list[FileResult]
    rules: dict[str, Rule]  # every active rule by id
    rule_plugins: dict[str, str]  # rule id -> plugin name
    plugins: list[PluginInfo]
    notifications: list[Notification]  # run-level (plugin load, config)
    fail_on: Severity | None  # None = never fail
    version: str
    baseline: str | None = None  # the baseline file compared with, if any (``FileResult.baselined``)
    baseline_absent: int = 0  # baseline entries no longer found

    def __init__(self, files: list[FileResult], rules: dict[str, Rule], rule_plugins: dict[str, str],
                 plugins: list[PluginInfo], notifications: list[Notification], fail_on: Severity | None,
                 version: str, baseline: str | None = None, baseline_absent: int = 0) -> None:
        self.files = files
        self.rules = rules
        self.rule_plugins = rule_plugins
        self.plugins = plugins
        self.notifications = notifications
        self.fail_on = fail_on
        self.version = version
        self.baseline = baseline
        self.baseline_absent = baseline_absent

    def pack_label(self, name: str) -> Message:
        """How output names the rule pack *name* (see :meth:`PluginInfo.pack_label`)."""
        for info in self.plugins:
            if info.name == name:
                return info.pack_label()
        return PluginInfo(name, "", "").pack_label()

    @property
    def execution_successful(self) -> bool:
        if any(n.level == "error" for n in self.notifications):
            return False
        return not any(n.level == "error" for f in self.files for n in f.notifications)

    def publishable(self, file: FileResult) -> bool:
        """The verdict for one file under ``--fail-on``."""
        if not file.readable:
            return False
        if self.fail_on is None:
            return True
        return not any(f.severity.rank >= self.fail_on.rank for f in file.findings)


@dataclass(slots=True, init=False, repr=False, eq=False)
class RunTally(_Record):
    """Running counts over a run's files: what summaries, ``--statistics`` and the exit code need.

    Files are counted with :meth:`add` as they arrive and are not kept; only their
    notifications are (rare and small: unreadable files, rule crashes, time-outs).
    """

    files: int = 0
    unreadable: int = 0
    counts: dict[Severity, int] = field(default_factory=lambda: {s: 0 for s in Severity})
    by_rule: dict[str, int] = field(default_factory=dict)  # findings per rule id
    worst: dict[str, Severity] = field(default_factory=dict)  # highest severity seen per rule id
    suppressed: int = 0
    baselined: int = 0
    file_errors: bool = False  # an error-level notification in some file
    notifications: list[Notification] = field(default_factory=list)  # every file's, in file order

    def __init__(self, files: int = 0, unreadable: int = 0, counts: dict[Severity, int] | None = None,
                 by_rule: dict[str, int] | None = None, worst: dict[str, Severity] | None = None,
                 suppressed: int = 0, baselined: int = 0, file_errors: bool = False,
                 notifications: list[Notification] | None = None) -> None:
        self.files = files
        self.unreadable = unreadable
        self.counts = {s: 0 for s in Severity} if counts is None else counts
        self.by_rule = {} if by_rule is None else by_rule
        self.worst = {} if worst is None else worst
        self.suppressed = suppressed
        self.baselined = baselined
        self.file_errors = file_errors
        self.notifications = [] if notifications is None else notifications

    def add(self, file: FileResult) -> None:
        self.files += 1
        self.unreadable += not file.readable
        for finding in file.findings:
            self.counts[finding.severity] += 1
            rule_id = finding.rule_id
            self.by_rule[rule_id] = self.by_rule.get(rule_id, 0) + 1
            seen = self.worst.get(rule_id)
            if seen is None or finding.severity.rank > seen.rank:
                self.worst[rule_id] = finding.severity
        self.suppressed += len(file.suppressed)
        self.baselined += len(file.baselined)
        self.file_errors = self.file_errors or any(n.level == "error" for n in file.notifications)
        self.notifications.extend(file.notifications)

    @classmethod
    def of(cls, files: Iterable[FileResult]) -> RunTally:
        tally = cls()
        for file in files:
            tally.add(file)
        return tally

    @property
    def findings(self) -> int:
        return sum(self.counts.values())

    def hit(self, fail_on: Severity | None) -> bool:
        """Whether some finding is at or above *fail_on* (never when ``None``)."""
        return fail_on is not None and any(n for s, n in self.counts.items() if s.rank >= fail_on.rank)

    def execution_successful(self, run: RunResult) -> bool:
        """:attr:`RunResult.execution_successful` from the counts (*run* gives the run-level notifications)."""
        return not self.file_errors and not any(n.level == "error" for n in run.notifications)
