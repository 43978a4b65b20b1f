"""Atomic file writes: a temporary file in the same directory, then a rename.

Readers of the file never see half of it, a failed write leaves the old file
as it was, an existing file keeps its permission bits, its owner and its group
(a run as root on another user's file leaves it theirs), and a symlink is
written through (the link stays a link).  The temporary file's name holds the
writer's process id (``.NAME.PID.XXXX.gklint-tmp``): one left behind by a
killed run is removed by the next write into that directory.  A path that is not a regular file
(``/dev/null``, a FIFO, a terminal) is written directly: renaming over it would
replace the device with a regular file.
"""

from __future__ import annotations

import os
import re
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


SUFFIX = ".gklint-tmp"
_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[^.]+" + re.escape(SUFFIX) + "$")
_cleaned: set[str] = set()  # directories already cleaned by this process


def _keep_owner(real: Path, tmp: str, strict: bool) -> None:
    """Give the temporary file the owner and group of the file it replaces (when there is one).

    *strict*: a user who may not give the file away gets the ``PermissionError`` (the write is
    refused); otherwise the file becomes theirs, as any editor's save would make it.
    """
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except PermissionError:
            if strict:
                raise


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process (or no way to tell): leave its file alone
    return True


def _clean_stale(directory: Path) -> None:
    """Remove temporary files of gklint runs that were killed, once per directory and process."""
    key = os.fspath(directory)
    if key in _cleaned:
        return
    _cleaned.add(key)
    try:
        with os.scandir(directory) as scan:
            for entry in scan:
                m = _TEMP_NAME.match(entry.name)
                if m and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))) \
                        and entry.is_file(follow_symlinks=False):
                    try:
                        os.unlink(entry.path)
                    except OSError:
                        pass
    except OSError:
        pass


@contextmanager
def _atomic(path: str | os.PathLike[str], binary: bool, strict_owner: bool = False) -> Iterator[IO[Any]]:
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
    _clean_stale(real.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.{os.getpid()}.", suffix=SUFFIX, dir=real.parent)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        _keep_owner(real, tmp, strict_owner)
        os.replace(tmp, real)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: str | os.PathLike[str]) -> AbstractContextManager[IO[str]]:
    """Open *path* for writing UTF-8 text; the file appears only when the block ends without error."""
    return _atomic(path, binary=False)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write *data* to *path* atomically; refused (``PermissionError``) when its owner and group cannot be kept."""
    with _atomic(path, binary=True, strict_owner=True) as fh:
        fh.write(data)
