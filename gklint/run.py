"""One check run as ``gklint check`` makes it: safe fixes, the lint, the baseline, the report.

The command line maps its options to a :class:`CheckRequest`, prints what a :class:`CheckRun`
tells it (each file's :class:`FixStep`, notifications, where the report went) and maps
:class:`RunError` to exit code 2; everything else a run does is here.  The steps are
called in this order: :meth:`CheckRun.fixes` (only with ``fix`` or ``diff``),
:meth:`CheckRun.lint_whole` (only when not :attr:`CheckRun.streaming`), then
:meth:`CheckRun.report` for each stream the report is written to.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

from gklint.findings import Message
from gklint.plugins import PLUGIN_FAILURES, exception_text, reraise_user_interrupt

if TYPE_CHECKING:
    from gklint.api import Linter
    from gklint.fixes import FixOutcome
    from gklint.formats import Reporter, ReporterFactory, ReportOptions, StreamingReporter
    from gklint.results import RunResult, RunTally

__all__ = ["CheckRequest", "CheckRun", "FixStep", "Progress", "RunError"]


class RunError(Exception):
    """The run cannot go on as asked (a usage error, a failing format, a bad baseline); ``message`` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


class Progress(Protocol):
    """``progress(done, total)`` after each file; ``close()`` erases what it drew (:class:`gklint.progress.ProgressBar`)."""

    def __call__(self, done: int, total: int) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class CheckRequest:
    """What to check and how, as the command line's options give it."""

    paths: tuple[str, ...]
    output: str | None = None  # the report's file (``None``: a stream the caller gives)
    stdin_filename: str | None = None
    fix: bool = False
    diff: bool = False
    force: bool = False  # let ``fix`` rewrite read-only files
    baseline: str | None = None  # compare with this baseline (else the configuration's)
    write_baseline: str | None = None
    previous: str | None = None
    follow_links: bool = False
    jobs: int | None = None  # ``None``: one process per CPU


@dataclass(frozen=True)
class FixStep:
    """What fixing one input did: an ``outcome``, or the ``problem`` that kept it from being fixed.

    ``write_error`` is set when the fixed file could not be written (the run then exits 2).
    """

    display: str
    outcome: FixOutcome | None = None
    problem: Message | None = None
    write_error: str | None = None


@contextmanager
def reporter_errors(name: str) -> Iterator[None]:
    """A format that fails (other than by a write error) is a :class:`RunError` naming it."""
    try:
        yield
    except (OSError, RunError):
        raise
    except PLUGIN_FAILURES as exc:
        reraise_user_interrupt(exc)
        text = exception_text(exc)
        raise RunError(Message(f"输出格式 {name} 出错：{text}", f"format {name} failed: {text}")) from None


class _BarAware:
    """A report stream on the progress bar's terminal: erases the bar before each write, so lines do not mix."""

    def __init__(self, stream: IO[str], bar: Progress) -> None:
        self._stream, self._bar = stream, bar

    def write(self, text: str) -> int:
        self._bar.close()
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _NoProgress:
    def __call__(self, done: int, total: int) -> None:
        pass

    def close(self) -> None:
        pass


class CheckRun:
    """A check of ``request.paths`` with *linter*; the request is validated on creation.

    :raises RunError: no path, an unknown format, ``output`` is one of the inputs, or options that
        cannot be combined.
    """

    def __init__(self, linter: Linter, request: CheckRequest, progress: Progress | None = None) -> None:
        self.linter = linter
        self.request = request
        self.progress: Progress = progress if progress is not None else _NoProgress()
        paths = request.paths
        if not paths and request.stdin_filename:
            paths = ("-",)
        if not paths:
            raise RunError(Message("缺少要检查的路径（例如：gklint 报告.txt）",
                                   "missing PATH to lint (for example: gklint report.txt)"))
        self.paths: tuple[str, ...] = paths
        self.factory: ReporterFactory = self._factory()
        if request.output is not None:
            inputs = linter.iter_inputs(paths, stdin_filename=request.stdin_filename,
                                        follow_links=request.follow_links)
            _refuse_overwriting_input(request.output, [i.path for i in inputs])
        if request.fix and request.diff:
            raise RunError(Message("--fix 与 --diff 不能同时使用", "--fix and --diff cannot be combined"))
        if request.baseline and request.write_baseline:
            raise RunError(Message("--baseline 与 --write-baseline 不能同时使用",
                                   "--baseline and --write-baseline cannot be combined"))
        #: the baseline the findings are compared with (written first with ``write_baseline``)
        self.compare = request.baseline or linter.config.baseline
        #: the standard input as fixed (``--fix -``) or read once for ``--diff``; linted instead of reading it again
        self.fixed_stdin: bytes | None = None
        self.fix_failed = False  # a fixed file could not be written
        self._reporter: Reporter | None = None

    def _factory(self) -> ReporterFactory:
        config, reporters = self.linter.config, self.linter.plugin_set.reporters
        factory = reporters.get(config.format)
        if factory is None:
            available = ", ".join(reporters)
            zh, en = available or "（无：没有加载输出格式插件）", available or "(none: no reporter plugin loaded)"
            raise RunError(Message(f"未知的输出格式 {config.format}；可用：{zh}",
                                   f"unknown format {config.format}; available: {en}"))
        return factory

    # -- fixes -------------------------------------------------------------------------

    def fixes(self) -> Iterator[FixStep]:
        """Apply the safe fixes (``fix``: files are rewritten) or compute them (``diff``), input by input."""
        from gklint.fixes import FixError, fix_bytes, fix_file

        request, linter = self.request, self.linter
        for item in linter.iter_inputs(self.paths, stdin_filename=request.stdin_filename,
                                       follow_links=request.follow_links):
            if item.error is not None:
                continue  # reported by the lint that follows
            try:
                if item.path is None:
                    data = sys.stdin.buffer.read(linter.config.limits.max_file_bytes + 1)
                    self.fixed_stdin = data  # linted afterwards: as it is (--diff) or fixed
                    outcome = fix_bytes(linter, data, item.display)
                    self.fixed_stdin = data if request.diff else outcome.fixed
                else:
                    outcome = fix_file(linter, item.path, item.display, write=not request.diff,
                                       force=request.force)
            except FixError as exc:
                yield FixStep(item.display, problem=exc.message)
                continue
            except OSError as exc:
                self.fix_failed = True
                yield FixStep(item.display, write_error=str(exc.strerror or exc))
                continue
            yield FixStep(item.display, outcome)

    # -- the lint and the report -----------------------------------------------------------

    @property
    def reporter(self) -> Reporter:
        """The format's reporter, created on first use."""
        if self._reporter is None:
            with reporter_errors(self.factory.name):
                self._reporter = self.factory.create()
        return self._reporter

    @property
    def streaming(self) -> bool:
        """Whether files go to the reporter one by one as they are linted (memory stays flat).

        A streaming format (text) does, unless the baseline options or ``diff`` need the whole run first.
        """
        from gklint.formats import is_streaming

        request = self.request
        return is_streaming(self.reporter) and not (request.diff or request.write_baseline or self.compare)

    def _lint_args(self) -> dict[str, Any]:
        from gklint.parallel import default_jobs

        request = self.request
        self.linter.keep_tables = self.factory.needs_tables
        return {"stdin_filename": request.stdin_filename, "jobs": request.jobs or default_jobs(),
                "progress": self.progress,
                "stdin": io.BytesIO(self.fixed_stdin) if self.fixed_stdin is not None else None,
                "follow_links": request.follow_links, "previous": request.previous}

    def lint_whole(self) -> RunResult:
        """Lint every input and keep every result (formats that need the whole run; baselines; ``diff``)."""
        try:
            return self.linter.lint_paths(self.paths, **self._lint_args())
        finally:
            self.progress.close()

    def record_baseline(self, result: RunResult) -> int:
        """Record *result*'s findings in ``write_baseline``; the number recorded."""
        from gklint.baseline import BaselineError, write_baseline

        assert self.request.write_baseline is not None
        try:
            return write_baseline(self.request.write_baseline, result.files)
        except BaselineError as exc:
            raise RunError(exc.message) from None

    def compare_baseline(self, result: RunResult) -> None:
        """Move the findings recorded in the baseline (the one just written, or :attr:`compare`) aside."""
        from gklint.baseline import BaselineError, apply_baseline

        path = self.request.write_baseline or self.compare
        if not path:
            return
        try:
            apply_baseline(result, path)
        except BaselineError as exc:
            raise RunError(exc.message) from None

    def report(self, result: RunResult | None, stream: IO[str], options: ReportOptions) -> tuple[RunResult, RunTally]:
        """Write the report to *stream*: of *result*, or (streaming, *result* ``None``) of the files as they are linted."""
        from gklint.results import RunTally

        name = self.factory.name
        if result is not None:
            with reporter_errors(name):
                self.reporter.write(result, stream, options)
            return result, RunTally.of(result.files)
        reporter = cast("StreamingReporter", self.reporter)
        run = self.linter.result([])
        tally = RunTally()
        isatty = getattr(stream, "isatty", None)
        if isatty is not None and isatty():
            stream = cast(IO[str], _BarAware(stream, self.progress))
        with reporter_errors(name):
            reporter.start(run, stream, options)
        try:
            for file in self.linter.iter_results(self.paths, **self._lint_args()):
                tally.add(file)
                with reporter_errors(name):
                    reporter.file(file)
        finally:
            self.progress.close()
        with reporter_errors(name):
            reporter.finish(tally)
        return run, tally


def _refuse_overwriting_input(output: str, inputs: Sequence[str | os.PathLike[str] | None]) -> None:
    """``output`` must not be any input: an argument or a file found by walking a directory."""
    try:
        st = os.stat(output)
    except OSError:
        return  # not there yet (or not reachable): it cannot be an input
    if not stat.S_ISREG(st.st_mode):
        return  # a device or FIFO (/dev/null) is written directly, never replaced
    for path in inputs:
        try:
            same = path is not None and os.path.samestat(os.stat(path), st)
        except OSError:
            continue
        if same:
            raise RunError(Message(f"--output {output} 是输入文件之一（{path}），gklint 不会覆盖输入文件",
                                   f"--output {output} is one of the input files ({path}); gklint never "
                                   "overwrites input"))
