"""Atomic file writes: a temporary file in the same directory, then a rename.

Readers of the file never see half of it, a failed write leaves the old file
as it was, an existing file keeps its permission bits, and a symlink is
written through (the link stays a link).  A path that is not a regular file
(``/dev/null``, a FIFO, a terminal) is written directly: renaming over it would
replace the device with a regular file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_write", "write_bytes_atomic"]


def _mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def _atomic(path: str | os.PathLike[str], binary: bool) -> Iterator[IO[Any]]:
    real = Path(os.path.realpath(path))
    try:
        special = not stat.S_ISREG(os.stat(real).st_mode)
    except FileNotFoundError:
        special = False
    if special:  # a device or FIFO: written as it is, never renamed over (a directory fails to open)
        with open(real, "wb") if binary else open(real, "w", encoding="utf-8", newline="") as fh:
            yield fh
        return
    mode = _mode(real)
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".gklint-tmp", dir=real.parent)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: str | os.PathLike[str]) -> AbstractContextManager[IO[str]]:
    """Open *path* for writing UTF-8 text; the file appears only when the block ends without error."""
    return _atomic(path, binary=False)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write *data* to *path* atomically."""
    with _atomic(path, binary=True) as fh:
        fh.write(data)
