"""The reporter interface and the run result reporters receive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from gklint.findings import Finding, Notification, Severity
from gklint.rule import Rule

__all__ = ["FileResult", "PluginInfo", "Reporter", "ReporterFactory", "RunResult", "ReportOptions"]


@dataclass(slots=True)
class FileResult:
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

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out


@dataclass(slots=True)
class PluginInfo:
    """A loaded (or failed) plugin: entry-point name, distribution and version."""

    name: str
    distribution: str
    version: str
    loaded: bool = True
    error: str = ""
    rule_ids: list[str] = field(default_factory=list)
    builtin: bool = False


@dataclass(slots=True)
class RunResult:
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


@dataclass(frozen=True, slots=True)
class ReportOptions:
    lang: str = "zh"  # "zh" | "en"
    show_source: bool = False
    color: bool = False
    statistics: bool = False
    quiet: bool = False
    root: str = "."  # directory SARIF artifact URIs are relative to


class Reporter(Protocol):
    """Writes a :class:`RunResult` to a text stream.  Never opens files itself."""

    def write(self, result: RunResult, stream: IO[str], options: ReportOptions) -> None: ...


@dataclass(frozen=True, slots=True)
class ReporterFactory:
    """A named output format."""

    name: str
    description: str
    create: Callable[[], Reporter]
    #: Ask the linter to fill :attr:`FileResult.tables` (costs time and memory; off by default).
    needs_tables: bool = False
