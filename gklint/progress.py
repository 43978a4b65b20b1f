"""A one-line progress bar on a terminal's stderr, for runs over many files.

:class:`ProgressBar` is a ``progress(done, total)`` callback.  It draws only
when the stream is a terminal and there are more than :data:`MIN_FILES`
inputs, redraws at most every :data:`INTERVAL` seconds, and erases itself when
the run ends, so the report that follows is not disturbed.
"""

from __future__ import annotations

import sys
import time
from typing import IO

__all__ = ["MIN_FILES", "ProgressBar"]

#: No bar for runs with this many inputs or fewer.
MIN_FILES = 20
#: Seconds between redraws.
INTERVAL = 0.1
WIDTH = 30


class ProgressBar:
    """``progress(done, total)`` drawing ``检查中 [#####.....] 120/1000`` on *stream* (stderr by default)."""

    def __init__(self, lang: str = "zh", stream: IO[str] | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = enabled if enabled is not None else bool(isatty and isatty())
        self.label = "checking" if lang == "en" else "检查中"
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= MIN_FILES:
            return
        now = time.monotonic()
        if done < total and now - self.last < INTERVAL:
            return
        self.last = now
        filled = WIDTH * done // total
        bar = "#" * filled + "." * (WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        self.stream.flush()
        self.drawn = True
        if done >= total:
            self.close()

    def close(self) -> None:
        """Erase the bar (idempotent)."""
        if self.drawn:
            self.stream.write("\r" + " " * (len(self.label) + WIDTH + 30) + "\r")
            self.stream.flush()
            self.drawn = False
