"""What the built-in reporters share: safe file names and the one JSON text form.

The reporter contract itself (:class:`~gklint.formats.Reporter`, :class:`~gklint.formats.ReporterFactory`)
is in :mod:`gklint.formats`; the run result reporters receive is in :mod:`gklint.results`.
"""

from __future__ import annotations

import re

__all__ = ["dump_json", "escape_name"]


#: what a file name may hold that must not reach a terminal or a line-based format as it is: control
#: characters, line and paragraph separators, bidirectional overrides, and lone surrogates (the
#: bytes of a name that is not UTF-8, as Python's ``surrogateescape`` keeps them)
_UNSAFE_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group()
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def escape_name(name: str) -> str:
    """*name* (a file name) safe to print on one line of a terminal or text report.

    Control characters, line separators and bidirectional overrides become ``\\n``, ``\\x1b``,
    ``\\u202e``; a byte that is not UTF-8 becomes ``\\xff``.  Other names are returned as they are.
    """
    return _UNSAFE_NAME.sub(_escape_char, name)


def dump_json(document: object) -> str:
    """The one JSON text form gklint writes: UTF-8 characters as is, indented, keys sorted, final newline.

    A lone surrogate (a byte of a file name that is not UTF-8) is written as a ``\\udcff`` escape,
    which JSON allows and which reads back as the same string: the name is kept exactly.
    """
    import json

    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if _LONE_SURROGATE.search(text):  # (only inside strings: escaping it there is valid JSON)
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text
