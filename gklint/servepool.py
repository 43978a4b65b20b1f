"""Worker processes for ``gklint serve``: each request is linted where it can be stopped and capped.

The service's threads (waitress) parse requests and answer ``/healthz``; the
document itself is read and checked in one of a few worker processes:

* **time**: the thread waiting for the worker kills it when the document is not
  done within ``[limits] max-seconds-per-document`` (504, naming the rule or
  reader that was running, as ``gklint -j`` does);
* **memory**: a worker's address space (``RLIMIT_AS``) may grow by at most
  ``memory_bytes`` beyond what it inherits at start; a document that needs more
  fails inside the worker (``MemoryError``, or an allocation failure in C code),
  the answer is 503 naming the limit, and the worker is replaced (its heap may be
  fragmented);
* **crashes**: a plugin calling ``sys.exit()`` or ``os._exit()``, or a crash in C
  code, ends only the worker; the answer is 500 naming what was running, and a
  fresh worker takes its place;
* **wear**: a worker is replaced after ``max_requests`` documents, so memory a
  long-lived process keeps after big documents is given back.

One request at a time per worker, so a worker's limits are one document's
limits.  A request waits at most ``queue_seconds`` for a free worker (503
``busy`` with ``Retry-After`` otherwise); small documents go first, and big ones
(over :data:`BIG_BYTES`) never hold the last free worker.  Workers run at a
lower CPU priority than the service, and on Linux die with it.

Workers started again later (after a kill, a crash or ``max_requests``) are
forked from the running service, which has threads by then.  That is safe as
long as no lock is held across the fork: the service's threads only parse
requests and wait (plugins and rules run in workers only), gklint's own code
takes no locks, and Python re-initialises its own (imports, logging) in the child.

Workers are forked on Linux (they inherit the loaded plugins: starting one costs
a few milliseconds); elsewhere they are spawned and load the plugins of the
configuration themselves.  ``RLIMIT_AS`` exists on Linux and most Unix systems;
where it does not (Windows), the memory cap is not applied.
"""

from __future__ import annotations

import heapq
import itertools
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

from gklint.findings import Message
from gklint.parallel import IDLE, READING, _culprit, _Task, _Watch

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

    from gklint.api import Linter

__all__ = ["DEFAULT_MAX_REQUESTS", "Hooks", "DEFAULT_MEMORY_MB", "DEFAULT_WORKERS", "PoolError", "WorkerPool"]

DEFAULT_WORKERS = 2
DEFAULT_MEMORY_MB = 256
DEFAULT_MAX_REQUESTS = 500
DEFAULT_QUEUE_SECONDS = 60
#: Requests declaring more than this wait behind smaller ones and never take the last free worker.
BIG_BYTES = 2 * 1024 * 1024
#: Workers run at a lower CPU priority than the service's threads.
WORKER_NICENESS = 5
#: Peak address space this close to the cap counts as "the cap was hit" (the failing allocation is not counted).
_NEAR_CAP = 32 * 1024 * 1024

def _out_of_memory(exc: BaseException | None) -> bool:
    """Whether *exc* is, or was caused by, a :class:`MemoryError` (readers turn it into a ``ReadError``)."""
    seen = 0
    while exc is not None and seen < 16:
        if isinstance(exc, MemoryError):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


class _Guard:
    """A rule's check or a reader's read that records a failed allocation before passing the error on."""

    def __init__(self, call: Callable[..., Any], hooks: Hooks) -> None:
        self.call, self.hooks = call, hooks

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            result = self.call(*args, **kwargs)
            return list(result) if hasattr(result, "__next__") else result  # generators run here
        except BaseException as exc:
            if _out_of_memory(exc):
                self.hooks.out_of_memory = True
            raise


class _GuardedReader:
    def __init__(self, reader: Any, hooks: Hooks) -> None:
        self._reader = reader
        self.read = _Guard(reader.read, hooks)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


class Hooks:
    """What :data:`Render` gets from the worker: ``mark(stage)``, ``watch(linter)``, ``out_of_memory``."""

    def __init__(self, rule_ids: list[str], mark: Callable[[int], None]) -> None:
        self._index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
        self.mark = mark
        #: set when an allocation failed during the job, even if the failure was turned into another error
        self.out_of_memory = False

    def watch(self, linter: Linter) -> Linter:
        """A shallow copy of *linter* whose rules mark themselves (by their place among all loaded rules)
        and whose rules and readers record failed allocations."""
        import copy
        import dataclasses

        clone = copy.copy(linter)
        clone.active = [
            dataclasses.replace(a, rule=dataclasses.replace(a.rule, check=_Watch(
                _Guard(a.rule.check, self), self._index.get(a.rule.id, IDLE), self.mark)))
            for a in linter.active
        ]
        plugin_set = copy.copy(linter.plugin_set)
        plugin_set.readers = {suffix: (_GuardedReader(reader, self), plugin)
                              for suffix, (reader, plugin) in linter.plugin_set.readers.items()}
        clone.plugin_set = plugin_set
        return clone

    def saw(self, notes: Any) -> None:
        """Look at a document's notifications for failures that were a failed allocation."""
        if any(str(getattr(n, "exception", "") or "").startswith("MemoryError") for n in notes):
            self.out_of_memory = True


def culprit(linter: Linter, display: str, stage: int) -> tuple[str, str, str, str]:
    """(zh, en, rule id, plugin) naming what was running at *stage* (see :class:`Hooks`)."""
    rule_ids = sorted(linter.plugin_set.rules)
    if 0 <= stage < len(rule_ids):
        rule_id = rule_ids[stage]
        plugin = linter.plugin_set.rule_plugins.get(rule_id) or "?"
        return f"规则 {rule_id}（插件 {plugin}）", f"rule {rule_id} (plugin {plugin})", rule_id, plugin
    if stage == READING:
        return _culprit(linter, _Task(-1, display, display), READING)
    return "生成检查结果", "producing the result", "", ""


#: What a worker computes for one job: ``(status, body, content_type, headers)`` of the answer.
Answer = tuple[int, bytes, str, tuple[tuple[str, str], ...]]
#: The function a worker runs for a job: ``render(linter, job) -> Answer``, *linter* reporting its rules.
Render = Callable[["Linter", Any, Hooks], Answer]


class PoolError(Exception):
    """A request the pool could not complete: *status*, *code* and a message naming the limit or culprit."""

    def __init__(self, status: int, code: str, message: Message, *, retry_after: int | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message.en)
        self.status, self.code, self.message = status, code, message
        self.retry_after = retry_after
        self.extra = extra or {}


# -- in the worker --------------------------------------------------------------------------

_inherited: tuple[Linter, Render] | None = None  # what forked workers see


def _vm_bytes(field: str) -> int | None:
    """``VmSize``/``VmPeak`` of this process from ``/proc`` (Linux), in bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def _cap_memory(memory_bytes: int) -> int | None:
    """Set ``RLIMIT_AS`` to the present address space plus *memory_bytes*; the cap, or None where unsupported."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    base = _vm_bytes("VmSize")
    if base is None:
        return None
    cap = base + memory_bytes
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (OSError, ValueError):
        return None
    return cap


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the service dies (even by SIGKILL), however busy it is."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _worker_main(conn: Connection, stage: Any, memory_bytes: int, setup: Any) -> None:
    """A worker: cap its memory, then answer jobs from *conn* until it closes or the cap was hit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the service stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if hasattr(os, "nice"):
        try:
            os.nice(WORKER_NICENESS)  # the service's own threads (health checks, requests coming in) come first
        except OSError:
            pass
    if _inherited is not None:
        linter, render = _inherited
    else:  # spawned: load what the parent loaded
        from gklint.api import Linter

        config, render = setup
        linter = Linter(config)

    def mark(value: int) -> None:
        stage.value = value

    hooks = Hooks(sorted(linter.plugin_set.rules), mark)
    cap = _cap_memory(memory_bytes)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        outcome: tuple[str, Any]
        hooks.out_of_memory = False
        try:
            outcome = ("ok", render(linter, job, hooks))
        except MemoryError:
            outcome = ("memory", None)
        except SystemExit as exc:
            outcome = ("exit", exc.code if isinstance(exc.code, int) else 1)
        except BaseException as exc:  # render answers errors itself; this is the last net
            from gklint.plugins import exception_text

            outcome = ("error", exception_text(exc))
        peak = _vm_bytes("VmPeak")
        near_cap = cap is not None and peak is not None and peak >= cap - _NEAR_CAP
        if outcome[0] in ("ok", "error") and (hooks.out_of_memory or near_cap):
            outcome = ("memory", None)  # an allocation failed and was turned into another error on the way
        try:
            conn.send(outcome)
        except (OSError, ValueError):
            return
        if outcome[0] in ("memory", "exit"):
            return  # the pool replaces us: the heap may be fragmented, or a plugin wanted the process gone
        mark(IDLE)


class _Worker:
    def __init__(self, ctx: BaseContext, memory_bytes: int, setup: Any) -> None:
        self.stage = ctx.RawValue("i", IDLE)
        self.conn, child = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(child, self.stage, memory_bytes, setup), daemon=True,
            name="gklint-serve-worker")
        self.process.start()
        child.close()
        self.served = 0

    def stop(self, kill: bool = False) -> None:
        if kill:
            try:
                self.process.kill()
            except (OSError, ValueError):
                pass
        else:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
        try:
            self.conn.close()
        except OSError:
            pass
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=2)


# -- in the service ----------------------------------------------------------------------------


class _Free:
    """The free workers, handed out small documents first and never all to big ones.

    Waiters are served in order of (big, arrival): a small document never waits
    behind a big one, and big documents may hold at most ``size - 1`` workers at
    once (when there are two or more), so one worker always stays for the
    ordinary reports while maximal ones are checked.  Only the waiter whose turn
    it is gets woken.
    """

    def __init__(self, size: int) -> None:
        self.big_limit = max(1, size - 1)
        self._lock = threading.Lock()
        self._free: list[_Worker | None] = []
        self._waiting: list[tuple[bool, int, threading.Event]] = []
        self._seq = itertools.count()
        self._big = 0

    def _wake(self) -> None:
        """Wake the first waiter if it may take a worker now (with the lock held)."""
        if self._free and self._waiting:
            big, _, event = self._waiting[0]
            if not big or self._big < self.big_limit:
                event.set()

    def put(self, worker: _Worker | None, *, was_big: bool = False) -> None:
        with self._lock:
            self._free.append(worker)
            if was_big:
                self._big -= 1
            self._wake()

    def get(self, big: bool, timeout: float) -> _Worker | None:
        """A free worker (``None``: one is to be started), or :class:`queue.Empty` after *timeout* seconds."""
        event = threading.Event()
        entry = (big, next(self._seq), event)
        deadline = time.monotonic() + timeout
        with self._lock:
            heapq.heappush(self._waiting, entry)
            self._wake()
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not event.wait(left):
                    raise queue.Empty
                with self._lock:
                    event.clear()
                    if self._free and self._waiting[0] is entry and (not big or self._big < self.big_limit):
                        heapq.heappop(self._waiting)
                        if big:
                            self._big += 1
                        return self._free.pop()
        finally:
            with self._lock:
                if entry in self._waiting:
                    self._waiting.remove(entry)
                    heapq.heapify(self._waiting)
                self._wake()

    def idle(self) -> int:
        with self._lock:
            return len(self._free)

    def take_all(self) -> list[_Worker | None]:
        with self._lock:
            found, self._free = self._free, []
            return found


class WorkerPool:
    """*size* worker processes answering jobs with *render*; :meth:`run` is safe to call from many threads."""

    def __init__(self, linter: Linter, render: Render, *, size: int = DEFAULT_WORKERS,
                 seconds: int | None = None, memory_mb: int = DEFAULT_MEMORY_MB,
                 max_requests: int = DEFAULT_MAX_REQUESTS, queue_seconds: float = DEFAULT_QUEUE_SECONDS,
                 start_method: str | None = None) -> None:
        global _inherited
        import multiprocessing

        self.linter = linter
        self.size = size
        self.seconds = seconds if seconds is not None else linter.config.limits.max_seconds_per_document
        self.memory_mb = memory_mb
        self.max_requests = max_requests
        self.queue_seconds = queue_seconds
        if start_method is None:
            start_method = "fork" if sys.platform.startswith("linux") else "spawn"
        fork = start_method == "fork"
        self._ctx = multiprocessing.get_context(start_method)
        self._setup = None if fork else (linter.config, render)
        if fork:
            _inherited = (linter, render)
        self._idle = _Free(size)
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        worker = _Worker(self._ctx, self.memory_mb * 1024 * 1024, self._setup)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop(kill=kill)

    def _release(self, worker: _Worker | None, big: bool) -> None:
        if self._closed:
            if worker is not None:
                self._retire(worker, kill=True)
            return
        if worker is None or worker.served >= self.max_requests or not worker.process.is_alive():
            if worker is not None:
                self._retire(worker, kill=not worker.process.is_alive())
            try:
                worker = self._start()
            except OSError:  # cannot fork now (out of processes or memory): try again on the next request
                worker = None
        self._idle.put(worker, was_big=big)

    def busy(self) -> int:
        """How many workers are working on a request now."""
        return max(0, self.size - self._idle.idle())

    def run(self, make_job: Callable[[], tuple[Any, str]], *, size: int | None = None) -> Answer:
        """The answer for the job ``make_job()`` returns as ``(job, display name)``, or :class:`PoolError`.

        *make_job* is called once a worker is free (so a request waiting for one does
        not hold its document in memory); what it raises is passed on.  *size* is the
        declared size of the request (``None``: unknown, counted as big): documents over
        :data:`BIG_BYTES` wait behind smaller ones and never take the last worker.
        """
        big = size is None or size > BIG_BYTES
        try:
            worker = self._idle.get(big, self.queue_seconds)
        except queue.Empty:
            raise PoolError(503, "busy", Message(
                f"服务繁忙：{self.queue_seconds:g} 秒内没有空闲的检查进程（gklint serve --workers {self.size}），请稍后重试",
                f"service busy: no checking process became free within {self.queue_seconds:g} s "
                f"(gklint serve --workers {self.size}); retry later"), retry_after=5) from None
        if worker is None:  # a replacement could not be started earlier
            try:
                worker = self._start()
            except OSError as exc:
                self._idle.put(None, was_big=big)
                raise PoolError(503, "no-worker", Message(f"无法启动检查进程：{exc}",
                                                          f"cannot start a checking process: {exc}")) from None
        keep: _Worker | None = worker
        try:
            job, display = make_job()
        except BaseException:
            self._release(worker, big)
            raise
        try:
            return self._ask(worker, job, display)
        except PoolError:
            keep = None if not worker.process.is_alive() or worker.conn.closed else worker
            raise
        finally:
            del job
            worker.served += 1
            self._release(keep, big)

    def _ask(self, worker: _Worker, job: Any, display: str) -> Answer:
        worker.stage.value = READING
        try:
            worker.conn.send(job)
        except (OSError, ValueError):
            return self._died(worker, display)
        if not worker.conn.poll(self.seconds):
            stage = worker.stage.value
            self._retire(worker, kill=True)
            zh, en, rule_id, plugin = culprit(self.linter, display, stage)
            raise PoolError(504, "timeout", Message(
                f"超过每个文件的时间上限 {self.seconds} 秒：{zh}未在时限内结束，已停止检查"
                "（可调高配置 [limits] max-seconds-per-document）",
                f"checking took longer than {self.seconds} s: {en} did not finish in time and was stopped "
                "(raise [limits] max-seconds-per-document in the configuration)"),
                extra={"limit_seconds": self.seconds, "rule_id": rule_id, "plugin": plugin})
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            return self._died(worker, display)
        if kind == "ok":
            answer: Answer = value
            return answer
        stage = worker.stage.value
        zh, en, rule_id, plugin = culprit(self.linter, display, stage)
        if kind == "memory":
            self._retire(worker, kill=False)
            raise PoolError(503, "memory-limit", Message(
                f"检查此文件所需内存超过上限 {self.memory_mb} MiB（当时正在运行：{zh}），已停止检查"
                "（可调高 gklint serve --worker-memory-mb）",
                f"checking this file needed more memory than the limit of {self.memory_mb} MiB "
                f"(what was running: {en}) and was stopped (raise gklint serve --worker-memory-mb)"),
                extra={"limit_mb": self.memory_mb, "rule_id": rule_id, "plugin": plugin})
        if kind == "exit":
            self._retire(worker, kill=False)
            raise PoolError(500, "worker-exit", Message(
                f"{zh}调用了 sys.exit({value})，此文件的检查已中止；服务继续运行",
                f"{en} called sys.exit({value}); checking this file was abandoned, the service goes on"),
                extra={"rule_id": rule_id, "plugin": plugin})
        raise PoolError(500, "internal-error", Message(f"内部错误：{value}（请报告此问题）",
                                                       f"internal error: {value} (please report this)"))

    def _died(self, worker: _Worker, display: str) -> NoReturn:
        stage = worker.stage.value
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        self._retire(worker, kill=True)
        zh, en, rule_id, plugin = culprit(self.linter, display, stage)
        shown = "?" if code is None else str(code)
        raise PoolError(500, "worker-died", Message(
            f"检查此文件的工作进程意外退出（退出码 {shown}），当时正在运行：{zh}；服务继续运行",
            f"the worker process checking this file exited unexpectedly (exit code {shown}; what was running: {en}); "
            "the service goes on"), extra={"exit_code": code, "rule_id": rule_id, "plugin": plugin})

    def close(self) -> None:
        """Stop every worker (those still working are killed)."""
        global _inherited
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        idle = {found for found in self._idle.take_all() if found is not None}
        for worker in workers:
            worker.stop(kill=worker not in idle)
        _inherited = None
