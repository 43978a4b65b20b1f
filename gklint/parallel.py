"""Lint many inputs: in this process or in worker processes, in input order, within a time limit.

:func:`run_inputs` yields one :class:`~gklint.results.FileResult` per
input, in the order of the inputs, whatever the number of jobs, so the output
of ``-j 4`` is the output of ``-j 1``.  Documents never leave the process that
read them; only the small, picklable results travel, and each document is
released before the next one is read.

Time limit (``[limits] max-seconds-per-document``): reading, building and
checking one document may take at most that many seconds.

* A POSIX interval timer (``SIGALRM``) interrupts Python code between
  bytecodes, in this process (``-j 1`` or a single input) or in each worker.
  A rule cut off by it ends the document's rule loop: the findings of the
  rules that finished are kept and a ``timeout`` notification (an error) says
  the file was checked incompletely.  Cut off while reading, the file has no
  results.  The timer needs the main thread of a POSIX system; elsewhere
  (Windows, other threads) there is no limit in this process, and a run that
  must be bounded should use ``-j 2`` or more.
* With worker processes (``jobs > 1`` and more than one input) the parent
  also watches the clock and kills a worker still busy :data:`KILL_GRACE`
  seconds after the limit, then starts a fresh one; this stops anything, even
  a regular expression stuck in C code (that file then has no results).  Each
  worker writes the index of the rule it is running into shared memory, so the
  notification names the rule and its plugin (or the reader, if reading hung).

A pool of our own rather than :class:`multiprocessing.pool.Pool`: a pool cannot
kill the one worker that hangs.  Tasks go out one at a time (a pipe round trip
costs well under 1% of a document's time), at most :data:`WINDOW_PER_JOB` per
job ahead of the first result not yet yielded, so memory stays bounded.

Workers are forked on Linux (they inherit the loaded plugins, including
in-process plugin objects); elsewhere they are spawned and build their own linter
once each with the ``rebuild`` callable the caller gives (loading the entry-point
plugins: in-process plugin objects are then not available to them).

This module knows the linter only by what it uses (:class:`Linting`, which
:class:`gklint.api.Linter` is): it does not import the API that calls it.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, Protocol

from gklint.engine import DocumentTimeout
from gklint.findings import Message, Notification
from gklint.plugins import PLUGIN_FAILURES, reraise_user_interrupt
from gklint.results import FileResult

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

    from gklint.config import Config
    from gklint.engine import ActiveRule
    from gklint.model import Document
    from gklint.plugins import PluginSet

__all__ = ["DocumentTimeout", "Input", "Linting", "default_jobs", "run_inputs"]

#: How many tasks per job may be handed out beyond the first result not yet yielded.
WINDOW_PER_JOB = 8
#: Seconds past the time limit before the parent kills a worker: the worker's own timer stops Python
#: code at the limit and sends what finished; only code stuck in C (a regular expression) needs the kill.
KILL_GRACE = 2
#: Marker values: reading and building the document; idle.
READING, IDLE = -1, -2

Progress = Callable[[int, int], None]


class Linting(Protocol):
    """What the pool uses of a linter (:class:`gklint.api.Linter`).

    ``active`` is copied with each rule's check wrapped, to know which rule is running
    when time runs out; ``plugin_set`` names the reader of a file that hung.
    """

    active: list[ActiveRule]
    plugin_set: PluginSet
    config: Config

    def lint_file(self, path: str, display: str | None = None) -> FileResult: ...

    def lint_bytes(self, data: bytes, filename: str) -> FileResult: ...


class Input(Protocol):
    """One input (:class:`gklint.api.InputFile`): a path, standard input (``path`` ``None``) or a ready result."""

    @property
    def display(self) -> str: ...

    @property
    def path(self) -> str | os.PathLike[str] | None: ...

    @property
    def error(self) -> FileResult | None: ...


#: Builds a worker's own linter in a spawned process (picklable: a module-level function or a partial of one).
Rebuild = Callable[[], Linting]


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class _Task:
    """One input for a worker: a file's ``path``, or its ``data`` when ``path`` is ``None``."""

    __slots__ = ("index", "display", "path", "data")

    def __init__(self, index: int, display: str, path: str | None, data: bytes | None = None) -> None:
        self.index = index
        self.display = display
        self.path = path
        self.data = data


# -- one document ---------------------------------------------------------------------


class _Watch:
    """A rule's check that first records which rule is running."""

    def __init__(self, check: Callable[..., Any], index: int, mark: Callable[[int], None]) -> None:
        self.check, self.index, self.mark = check, index, mark

    def __call__(self, doc: Document, context: Any) -> Any:
        self.mark(self.index)
        return self.check(doc, context)


def _watched(linter: Linting, mark: Callable[[int], None]) -> Linting:
    """A shallow copy of *linter* whose rules report themselves through *mark* (index into ``linter.active``)."""
    clone = copy.copy(linter)
    clone.active = [
        dataclasses.replace(a, rule=dataclasses.replace(a.rule, check=_Watch(a.rule.check, i, mark)))
        for i, a in enumerate(linter.active)
    ]
    return clone


def _lint(linter: Linting, task: _Task, mark: Callable[[int], None]) -> FileResult:
    mark(READING)
    if task.path is None:
        result = linter.lint_bytes(task.data or b"", task.display)
    else:
        result = linter.lint_file(task.path, task.display)
    mark(IDLE)  # not on the way out of a timeout: the stage names the culprit
    return result


def _culprit(linter: Linting, task: _Task, stage: int) -> tuple[str, str, str, str]:
    """(zh, en, rule id, plugin) naming what was running at *stage*."""
    if 0 <= stage < len(linter.active):
        active = linter.active[stage]
        plugin = active.plugin or "?"
        return (f"规则 {active.rule.id}（插件 {plugin}）", f"rule {active.rule.id} (plugin {plugin})",
                active.rule.id, active.plugin)
    found = linter.plugin_set.reader_for(task.display)
    if found is None:
        return "读取文件", "reading the file", "", ""
    reader, plugin = found
    return (f"读取和分析文档（读取器 {reader.name}，插件 {plugin}）",
            f"reading the document (reader {reader.name}, plugin {plugin})", "", plugin)


def timeout_result(linter: Linting, task_display: str, stage: int, seconds: int) -> FileResult:
    """The result of a document that ran out of time while *stage* was running."""
    task = _Task(-1, task_display, task_display)
    zh, en, rule_id, plugin = _culprit(linter, task, stage)
    note = Notification(
        kind="timeout",
        message=Message(
            f"超过每个文件的时间上限 {seconds} 秒：{zh}未在时限内结束，已停止检查此文件，结果已丢弃"
            "（可调高配置 [limits] max-seconds-per-document）",
            f"checking took longer than {seconds} s: {en} did not finish in time; this file was not "
            "checked and its results are dropped (raise [limits] max-seconds-per-document in the configuration)",
        ),
        path=task_display,
        plugin=plugin,
        rule_id=rule_id,
    )
    return FileResult(path=task_display, reader=None, encoding=None, notifications=[note], readable=False)


def _died_result(linter: Linting, task: _Task, stage: int, exitcode: int | None) -> FileResult:
    zh, en, rule_id, plugin = _culprit(linter, task, stage)
    code = "?" if exitcode is None else str(exitcode)
    note = Notification(
        kind="rule-crash" if rule_id else "unreadable",
        message=Message(f"检查此文件的工作进程意外退出（退出码 {code}），当时正在运行：{zh}；此文件的结果已丢弃",
                        f"the worker process checking this file exited unexpectedly (exit code {code}) "
                        f"while running {en}; this file's results are dropped"),
        path=task.display,
        plugin=plugin,
        rule_id=rule_id,
    )
    return FileResult(path=task.display, reader=None, encoding=None, notifications=[note], readable=False)


def _internal_result(display: str, exc: BaseException) -> FileResult:
    from gklint.plugins import exception_text

    text = exception_text(exc)
    note = Notification(kind="unreadable", message=Message(f"内部错误：{text}（请报告此问题）",
                                                           f"internal error: {text} (please report this)"),
                        path=display, exception=text)
    return FileResult(path=display, reader=None, encoding=None, notifications=[note], readable=False)


# -- in this process --------------------------------------------------------------------


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _drain(tasks: list[_Task | FileResult]) -> Iterator[_Task | FileResult]:
    """The items of *tasks* in order, each dropped from memory once taken (the list is emptied)."""
    queue = deque(tasks)
    tasks.clear()
    while queue:
        yield queue.popleft()


class _Alarm:
    """The time limit for one document at a time, by a POSIX interval timer (``SIGALRM``).

    A rule cut off by it ends the rule loop (:func:`gklint.engine.check_document` keeps the
    findings of the rules that finished); cut off elsewhere, the document has no results.
    Only in the main thread of a POSIX system (:attr:`available`).
    """

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self.available = _can_alarm()
        self.armed = False
        self.previous: Any = None

    def _fire(self, signum: int, frame: Any) -> None:
        if self.armed:
            self.armed = False
            raise DocumentTimeout(self.seconds)

    def install(self) -> None:
        if self.available:
            self.previous = signal.signal(signal.SIGALRM, self._fire)

    def uninstall(self) -> None:
        if self.available:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    def run(self, linter: Linting, watched: Linting, task: _Task, mark: Callable[[int], None],
            stage: Callable[[], int]) -> FileResult:
        """Lint *task* within the limit; a timeout outside the rules gives the document no results."""
        if not self.available:
            return _guarded(watched, task, mark)
        try:
            try:
                self.armed = True
                signal.setitimer(signal.ITIMER_REAL, self.seconds)
                return _guarded(watched, task, mark)
            finally:
                self.armed = False
                signal.setitimer(signal.ITIMER_REAL, 0)
        except DocumentTimeout:
            return timeout_result(linter, task.display, stage(), self.seconds)


def _in_process(linter: Linting, tasks: list[_Task | FileResult], seconds: int) -> Iterator[FileResult]:
    stage = [IDLE]

    def mark(value: int) -> None:
        stage[0] = value

    watched = _watched(linter, mark)
    alarm = _Alarm(seconds)
    alarm.install()
    try:
        for task in _drain(tasks):
            if isinstance(task, FileResult):
                yield task
                continue
            yield alarm.run(linter, watched, task, mark, lambda: stage[0])
    finally:
        alarm.uninstall()


def _guarded(linter: Linting, task: _Task, mark: Callable[[int], None]) -> FileResult:
    try:
        return _lint(linter, task, mark)
    except PLUGIN_FAILURES as exc:  # readers and the engine isolate failures; this is the last net
        reraise_user_interrupt(exc)
        return _internal_result(task.display, exc)


# -- worker processes ------------------------------------------------------------------------

_inherited: Linting | None = None  # the parent's linter, seen by forked workers


def _context() -> BaseContext:
    import multiprocessing  # only here: single-file runs start faster without it

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _worker_main(conn: Connection, stage: Any, rebuild: Rebuild | None, seconds: int) -> None:
    """A worker: load once, then lint tasks from *conn* until it closes, each within *seconds*."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    linter = _inherited
    if linter is None:
        assert rebuild is not None
        linter = rebuild()

    def mark(value: int) -> None:
        stage.value = value

    watched = _watched(linter, mark)
    alarm = _Alarm(seconds)  # Python code is stopped here, keeping what finished; the parent kills the rest
    alarm.install()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = alarm.run(linter, watched, task, mark, lambda: int(stage.value))
        try:
            conn.send((task.index, result))
        except (OSError, ValueError):
            return
        except Exception as exc:  # a plugin put something unpicklable into a finding
            conn.send((task.index, _internal_result(task.display, exc)))


class _Worker:
    def __init__(self, ctx: BaseContext, rebuild: Rebuild | None, seconds: int) -> None:
        self.stage = ctx.RawValue("i", IDLE)
        self.conn, child = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(child, self.stage, rebuild, seconds), daemon=True)
        self.process.start()
        child.close()
        self.task: _Task | None = None
        self.started = 0.0

    def give(self, task: _Task) -> None:
        self.conn.send(task)
        self.task, self.started = task, time.monotonic()

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.conn.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)


def _in_workers(linter: Linting, tasks: list[_Task | FileResult], jobs: int,
                seconds: int, rebuild: Rebuild | None) -> Iterator[FileResult]:
    global _inherited
    from multiprocessing.connection import wait

    ctx = _context()
    fork = ctx.get_start_method() == "fork"
    rebuild = None if fork else rebuild  # forked workers inherit the linter: nothing to send
    done: dict[int, FileResult] = {i: t for i, t in enumerate(tasks) if isinstance(t, FileResult)}
    pending = deque(t for t in tasks if isinstance(t, _Task))
    count = len(pending)
    total = len(tasks)
    tasks.clear()  # each task is dropped once done: memory does not grow with the number of inputs
    window = WINDOW_PER_JOB * jobs
    _inherited = linter if fork else None
    workers: list[_Worker] = []
    try:
        workers = [_Worker(ctx, rebuild, seconds) for _ in range(min(jobs, count))]
        next_out = 0
        while next_out < total:
            for w in workers:
                if w.task is None and pending and pending[0].index < next_out + window:
                    w.give(pending.popleft())
            busy = [w for w in workers if w.task is not None]
            if busy:
                now = time.monotonic()
                left = min(w.started + seconds + KILL_GRACE for w in busy) - now
                ready = wait([w.conn for w in busy], timeout=max(0.0, left))
                for w in busy:
                    if w.conn not in ready or w.task is None:
                        continue
                    try:
                        index, result = w.conn.recv()
                    except (EOFError, OSError):
                        w.process.join(timeout=5)
                        index, result = w.task.index, _died_result(linter, w.task, w.stage.value,
                                                                  w.process.exitcode)
                        workers[workers.index(w)] = _replace(w, ctx, rebuild, seconds)
                    done[index] = result
                    w.task = None
                now = time.monotonic()
                for i, w in enumerate(workers):
                    if w.task is not None and now - w.started >= seconds + KILL_GRACE:
                        stage = w.stage.value
                        done[w.task.index] = timeout_result(linter, w.task.display, stage, seconds)
                        w.stop(kill=True)
                        workers[i] = _Worker(ctx, rebuild, seconds)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for w in workers:
            w.stop(kill=w.task is not None)
        _inherited = None


def _replace(worker: _Worker, ctx: BaseContext, rebuild: Rebuild | None, seconds: int) -> _Worker:
    worker.stop(kill=True)
    return _Worker(ctx, rebuild, seconds)


# -- entry point ------------------------------------------------------------------------------


def _tasks(items: Sequence[Input], stdin: IO[bytes] | None, limit: int) -> list[_Task | FileResult]:
    tasks: list[_Task | FileResult] = []
    for i, item in enumerate(items):
        if item.error is not None:
            tasks.append(item.error)
        elif item.path is None:
            stream = stdin or sys.stdin.buffer
            tasks.append(_Task(i, item.display, None, stream.read(limit + 1)))
        else:
            tasks.append(_Task(i, item.display, os.fspath(item.path)))
    return tasks


def run_inputs(linter: Linting, items: Sequence[Input], *, jobs: int = 1, stdin: IO[bytes] | None = None,
               progress: Progress | None = None, rebuild: Rebuild | None = None) -> Iterator[FileResult]:
    """Lint *items* (from :meth:`gklint.api.Linter.iter_inputs`) with *jobs* processes; results in input order.

    :param stdin: where ``-`` is read from (default: the process's standard input).
    :param progress: called as ``progress(done, total)`` after each result.
    :param rebuild: how a spawned worker builds its linter (where processes are not forked:
        not Linux); without it such a system lints in this process.
    """
    tasks = _tasks(items, stdin, linter.config.limits.max_file_bytes)
    del items  # the tasks hold what is needed; the runners drop each once done
    seconds = linter.config.limits.max_seconds_per_document
    real = sum(1 for t in tasks if isinstance(t, _Task))
    total = len(tasks)
    workers = jobs > 1 and real > 1 and (rebuild is not None or _context().get_start_method() == "fork")
    run = _in_workers(linter, tasks, jobs, seconds, rebuild) if workers else _in_process(linter, tasks, seconds)
    for n, result in enumerate(run, 1):
        if progress is not None:
            progress(n, total)
        yield result
