"""TOML files shipped in packages, parsed once: a marshal copy kept beside them, as Python keeps bytecode.

Parsing TOML is pure Python: the national data and rule declarations (about 120 KB) cost about
12 ms of every start, their marshal copies well under 1 ms (``benchmarks/bench_coldstart.py``).
The copy lives in ``__pycache__`` next to the file (or under ``sys.pycache_prefix``) and is used
only while the file's size and modification time are those it was made from.  It is not written
when bytecode writing is off (``PYTHONDONTWRITEBYTECODE``, ``-B``) or the folder is read-only,
and a value marshal cannot hold (a TOML date) leaves the file to be parsed every time.  Only
package files come here (the standard data, packs' data files, rule declarations), never a
user's configuration or report.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["load"]

_VERSION = 1  # of the copy's layout


def load(file: Path | Traversable, text: str | None = None) -> dict[str, Any]:
    """*file* parsed (its *text*, when the caller has read it already).

    Raises what reading the file or :func:`tomllib.loads` raises.
    """
    if not isinstance(file, Path):  # inside a zip: no place for a copy
        return tomllib.loads(file.read_text(encoding="utf-8") if text is None else text)
    stat = file.stat()
    stamp = (_VERSION, stat.st_size, stat.st_mtime_ns)
    copy = Path(importlib.util.cache_from_source(str(file) + ".py"))
    try:
        cached = marshal.loads(copy.read_bytes())
        if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == stamp:
            return cast(dict[str, Any], cached[1])
    except (OSError, EOFError, ValueError, TypeError):
        pass
    parsed = tomllib.loads(file.read_text(encoding="utf-8") if text is None else text)
    if not sys.dont_write_bytecode:
        try:
            copy.parent.mkdir(parents=True, exist_ok=True)
            partial = copy.with_name(f"{copy.name}.{os.getpid()}.tmp")
            partial.write_bytes(marshal.dumps((stamp, parsed)))
            os.replace(partial, copy)
        except (OSError, ValueError):
            pass  # read-only, or a value marshal cannot hold: parse next time too
    return parsed
