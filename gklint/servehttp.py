"""``gklint serve`` on waitress: the health lane, JSON errors from waitress itself, and a stoppable loop.

* :class:`LaneDispatcher`: ``GET /healthz`` is answered by a thread of its own,
  never queued behind documents (the WSGI threads may all be waiting for worker
  processes).
* :func:`json_channel`: errors waitress answers before the application (a body
  over the limit, declared or sent, is refused as soon as its headers arrive; a
  malformed request) come back as the service's JSON errors.
* :func:`run`: the event loop in slices, checking a flag set by SIGTERM/SIGINT,
  so a stop request cannot be swallowed by a connection's error handler; then
  a bounded grace period for requests in progress.
"""

from __future__ import annotations

import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from waitress.channel import HTTPChannel
from waitress.task import ErrorTask, ThreadedTaskDispatcher
from waitress.utilities import RequestEntityTooLarge

__all__ = ["LaneDispatcher", "json_channel", "raise_file_limit", "run"]

#: How long, and how much, a refused body is still read and dropped before the connection closes.
LINGER_SECONDS = 2.0
LINGER_BYTES = 64 * 1024 * 1024
#: ``(status, reason, content_type, body)`` for an error waitress found: ``(error, declared_length, lang)``.
ErrorRenderer = Callable[[Any, "int | None", "str | None"], tuple[int, str, str, bytes]]


class LaneDispatcher(ThreadedTaskDispatcher):
    """waitress's thread pool, with ``GET``/``HEAD`` on *fast_paths* served by a thread of their own."""

    def __init__(self, fast_paths: Iterable[str]) -> None:
        super().__init__()
        self.fast_paths = frozenset(fast_paths)
        self.lane = ThreadedTaskDispatcher()
        self.lane.set_thread_count(1)

    def add_task(self, task: Any) -> None:
        requests = getattr(task, "requests", None)
        if requests:
            first = requests[0]
            if first.error is None and first.command in ("GET", "HEAD") and first.path in self.fast_paths:
                self.lane.add_task(task)
                return
        super().add_task(task)

    def busy(self) -> bool:
        """Whether a request is being answered or waits for a thread."""
        return bool(self.queue or self.lane.queue or self.active_count > 0 or self.lane.active_count > 0)

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        self.lane.shutdown(cancel_pending, timeout)
        return bool(super().shutdown(cancel_pending, timeout))


def json_channel(render: ErrorRenderer) -> type[HTTPChannel]:
    """A waitress channel class whose own error answers are rendered by *render*."""

    class JsonErrorTask(ErrorTask):
        def execute(self) -> None:
            error = self.request.error
            declared = None
            if isinstance(error, RequestEntityTooLarge) and not self.request.chunked:
                declared = self.request.content_length or None
            query = urllib.parse.parse_qs(self.request.query or "", errors="replace")
            status, reason, content_type, body = render(error, declared, query.get("lang", [None])[0])
            self.status = f"{status} {reason}"
            self.response_headers.extend([("Content-Type", content_type), ("Cache-Control", "no-store")])
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)
            if status == 413:
                self.channel.linger = True

    class JsonChannel(HTTPChannel):
        """A channel that, after refusing a body, reads and drops what the client still sends for a moment.

        Closing while the client is still sending makes the kernel reset the
        connection, and the client may never read the answer; so the answer goes
        out, the sending side is shut, and the rest of the body is read and dropped
        for at most :data:`LINGER_SECONDS` (or :data:`LINGER_BYTES`).
        """

        error_task_class = JsonErrorTask
        linger = False
        drain_until = 0.0
        drained = 0

        def handle_write(self) -> None:
            flushed = self.close_when_flushed and not self.total_outbufs_len  # type: ignore[has-type]
            if self.linger and flushed and not self.will_close:  # type: ignore[has-type]
                self.linger = False
                self.close_when_flushed = False
                self.drain_until = time.monotonic() + LINGER_SECONDS
                try:
                    self.socket.shutdown(socket.SHUT_WR)
                except OSError:
                    self.will_close = True
                    self.handle_close()
                return
            super().handle_write()

        def readable(self) -> bool:
            if self.drain_until:
                if time.monotonic() > self.drain_until or self.drained > LINGER_BYTES:
                    self.drain_until = 0.0
                    self.will_close = True
                    return False
                return True
            return bool(super().readable())

        def writable(self) -> bool:
            return False if self.drain_until else bool(super().writable())

        def handle_read(self) -> None:
            if not self.drain_until:
                return super().handle_read()
            try:
                data = self.recv(self.adj.recv_bytes)
            except OSError:
                data = b""
            self.drained += len(data)
            if not data:
                self.drain_until = 0.0
                self.handle_close()

    return JsonChannel


def raise_file_limit(wanted: int) -> None:
    """Raise the soft limit of open files to *wanted* (each connection holds one), within the hard limit."""
    try:
        import resource
    except ImportError:
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (OSError, ValueError):
        pass


def return_big_blocks(threshold: int = 1024 * 1024) -> None:
    """glibc: allocate blocks over *threshold* with ``mmap`` always, so memory of big bodies goes back when freed.

    By default glibc raises that threshold after the first big block is freed (up to
    32 MiB), and later 20 MB bodies then stay in the heap of the service (and of every
    worker forked from it).  Nothing happens on other C libraries.
    """
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_mmap_threshold = -3
    mallopt(m_mmap_threshold, threshold)


def run(server: Any, dispatcher: LaneDispatcher, *, grace_seconds: float, on_stop: Callable[[], None],
        slice_seconds: float = 0.2) -> None:
    """Serve until SIGTERM or SIGINT, then finish requests in progress for at most *grace_seconds*.

    *on_stop* is called when the grace period is over (it stops the worker processes);
    what is still waiting then is dropped.
    """
    from waitress import wasyncore

    stopping: list[int] = []

    def stop(signum: int, frame: Any) -> None:
        stopping.append(signum)

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGTERM, signal.SIGINT):
            previous[number] = signal.signal(number, stop)
    use_poll = server.adj.asyncore_use_poll
    try:
        while not stopping:
            wasyncore.loop(timeout=slice_seconds, map=server._map, use_poll=use_poll, count=1)
        server.accepting = False  # no new connections; answers in progress still go out
        deadline = time.monotonic() + grace_seconds
        while time.monotonic() < deadline and (dispatcher.busy() or _writing(server)):
            wasyncore.loop(timeout=0.05, map=server._map, use_poll=use_poll, count=1)
    finally:
        on_stop()
        dispatcher.shutdown(timeout=1)
        server.close()
        for restored, handler in previous.items():
            signal.signal(restored, handler)


def _writing(server: Any) -> bool:
    return any(getattr(channel, "total_outbufs_len", 0) for channel in list(server._map.values()))
