"""Output formats: the contract between a run and a reporter plugin.

Two ways to report a run:

* :class:`Reporter` (every format): ``write(result, stream, options)`` gets the
  whole :class:`~gklint.results.RunResult` at the end.  JSON, SARIF and HTML work this way: their
  summary fields come before the list of files (JSON keys are sorted), or they
  cross-reference files, so they need every file's result at once.
* :class:`StreamingReporter` (optional, the ``text`` format): ``start`` with the
  run's rules, plugins and run-level notifications, ``file`` once per file as
  its result arrives (in path order), ``finish`` with the :class:`~gklint.results.RunTally`.
  The command line uses it when the format offers it (see :func:`is_streaming`),
  so memory does not grow with the number of files: only running counts are
  kept.  Its output must be exactly what ``write`` gives for the same run.

A plugin offers formats through the ``gklint_reporters`` hook, as :class:`ReporterFactory` objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Protocol

from gklint.findings import _FrozenRecord
from gklint.results import FileResult, RunResult, RunTally

__all__ = ["ReportOptions", "Reporter", "ReporterFactory", "StreamingReporter", "is_streaming"]


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class ReportOptions(_FrozenRecord):
    """How to write a report; ``root`` is the directory SARIF artifact URIs are relative to."""

    lang: str = "zh"  # "zh" | "en"
    show_source: bool = False
    color: bool = False
    statistics: bool = False
    quiet: bool = False
    root: str = "."

    def __init__(self, lang: str = "zh", show_source: bool = False, color: bool = False, statistics: bool = False,
                 quiet: bool = False, root: str = ".") -> None:
        object.__setattr__(self, "lang", lang)
        object.__setattr__(self, "show_source", show_source)
        object.__setattr__(self, "color", color)
        object.__setattr__(self, "statistics", statistics)
        object.__setattr__(self, "quiet", quiet)
        object.__setattr__(self, "root", root)


class Reporter(Protocol):
    """Writes a :class:`RunResult` to a text stream.  Never opens files itself."""

    def write(self, result: RunResult, stream: IO[str], options: ReportOptions) -> None: ...


class StreamingReporter(Reporter, Protocol):
    """A :class:`Reporter` that can also write a run file by file, keeping nothing per file.

    The calls come in this order, on one object, for one run: :meth:`start`, :meth:`file`
    for each file in path order (as :meth:`Reporter.write` orders them), :meth:`finish`.
    The bytes written must be those :meth:`Reporter.write` writes for the same run.
    """

    def start(self, run: RunResult, stream: IO[str], options: ReportOptions) -> None:
        """Begin a run; ``run.files`` is empty (the files come through :meth:`file`)."""

    def file(self, file: FileResult) -> None:
        """One file's result, as soon as it is known; do not keep it."""

    def finish(self, tally: RunTally) -> None:
        """End the run; *tally* has counted every file given to :meth:`file`."""


def is_streaming(reporter: object) -> bool:
    """Whether *reporter* offers the :class:`StreamingReporter` calls."""
    return all(callable(getattr(reporter, name, None)) for name in ("start", "file", "finish"))


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class ReporterFactory(_FrozenRecord):
    """A named output format."""

    name: str
    description: str
    create: Callable[[], Reporter]
    #: Ask the linter to fill :attr:`FileResult.tables` (costs time and memory; off by default).
    needs_tables: bool = False

    def __init__(self, name: str, description: str, create: Callable[[], Reporter],
                 needs_tables: bool = False) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "create", create)
        object.__setattr__(self, "needs_tables", needs_tables)
