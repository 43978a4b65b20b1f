"""Regular expressions compiled on first use, for modules whose patterns most runs never need.

Compiling a pattern with a large character class (``[\\u3400-\\u9fff]``) takes
about a millisecond; a module that defines a dozen of them for a rarely used
path (the HTML reader on a batch of text files) would add that to every start.
:func:`lazy` returns an object that behaves like the compiled pattern and
compiles it the first time one of its attributes is used.  ``benchmarks/bench_coldstart.py``
measured the start of the command line on a text report about 40 ms slower (CPU, of
about 180 ms) with every such pattern compiled at import.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast, overload

__all__ = ["lazy"]


class _LazyPattern:
    """Compiles on first attribute access, then keeps the pattern's attributes as its own."""

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        pattern, flags = self._source
        compiled: re.Pattern[Any] = re.compile(pattern, flags)
        value = getattr(compiled, name)
        setattr(self, name, value)  # next time a plain attribute: no __getattr__
        return value

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r})"


@overload
def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]: ...


@overload
def lazy(pattern: bytes, flags: int = 0) -> re.Pattern[bytes]: ...


def lazy(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """A stand-in for ``re.compile(pattern, flags)`` that compiles when first used.

    A mistake in *pattern* is only raised on first use: use it for the
    module's own fixed patterns, not for patterns from data files (those are
    validated when the data is loaded).
    """
    return cast("re.Pattern[AnyStr]", _LazyPattern(pattern, flags))
