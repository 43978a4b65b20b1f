"""Text normalisation for matching labels, with a map back to the original offsets.

Reports write the same label in many ways: full-width or ASCII punctuation
(``（一）`` / ``(一)``, ``1．`` / ``1.`` / ``1、``), spaces and line breaks inside
labels (``商业\\n企业``), table separators (``|``), curly or straight quotes,
traditional characters.  :func:`normalize` folds all of these so that a label
from the template can be found with a plain substring search, and keeps for
every normalised character the offset of the original character it came from.

Every mapping is one character to one character (or to nothing), so the
offset map is exact.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

__all__ = ["KEPT_RUN", "Normalized", "fold", "normalize", "norm_label"]

# Full-width ASCII variants -> ASCII; ideographic space -> space.
_TABLE: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TABLE[0x3000] = 0x20
for _quote in "“”„‟«»「」『』＂":
    _TABLE[ord(_quote)] = ord('"')
for _quote in "‘’‚‛":
    _TABLE[ord(_quote)] = ord("'")
_TABLE[ord("〈")] = ord("<")
_TABLE[ord("〉")] = ord(">")
_TABLE[ord("﹝")] = ord("〔")
_TABLE[ord("﹞")] = ord("〕")
_TABLE[ord("—")] = ord("-")
_TABLE[ord("–")] = ord("-")
_TABLE[ord("－")] = ord("-")

# Traditional characters seen in mirrored reports, folded to simplified ones.
_TRADITIONAL = (
    "國国開开務务機机關关處处計计總总請请數数結结轉转辦办屬属於于況况與与類类條条項项"
    "資资訊讯規规範范權权許许證证報报書书縣县區区員员準准經经濟济產产業业體体為为這这"
    "會会議议錄录單单網网絡络電电話话郵邮編编號号門门導导責责實实際际點点態态應应對对"
    "復复訴诉訟讼維维糾纠審审錯错誤误費费適适當当聯联絡络負负責责劃划統统據据態态來来"
    "鄉乡鎮镇務务歸归標标準准決决爭争補补書书並并節节製制該该說说項项護护險险與与")
for _t, _s in zip(_TRADITIONAL[0::2], _TRADITIONAL[1::2], strict=True):
    _TABLE[ord(_t)] = ord(_s)

#: the characters ``str.isspace`` (and so a regex's ``\s``) calls white space: listed, the pattern below
#: is a plain character set, which the regex engine tests faster than the ``\s`` category
_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: a run of the characters :func:`normalize` keeps (neither white space nor ``|``): also a table cell's token
KEPT_RUN = re.compile(f"[^{_SPACES}|｜]+")
# str.translate looks every character of the text up in the table; finding the
# few distinct characters that change and replacing each with str.replace is
# several times faster on report text.  (No target is itself a key, so the
# order of the replacements does not matter.)
_MAPPED = {chr(k): chr(v) for k, v in _TABLE.items() if v is not None}
_CHANGED = re.compile("[" + "".join(sorted(re.escape(c) for c in _MAPPED)) + "]")


def _fold(text: str) -> str:
    for char in set(_CHANGED.findall(text)):
        text = text.replace(char, _MAPPED[char])
    if "、" in text:  # a numbered item's 、 after a digit becomes "." (``1、`` is ``1.``)
        parts = text.split("、")
        out = [parts[0]]
        for before, part in zip(parts, parts[1:], strict=False):
            out.append("." if before[-1:] in _DIGITS else "、")
            out.append(part)
        text = "".join(out)
    return text


_DIGITS = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class Normalized:
    """``text`` with ``index[i]`` = offset in the original of ``text[i]``.

    ``index`` has one extra entry: the original offset just past the end.
    """

    text: str
    index: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` offsets covering normalised ``[start, end)``."""
        if end <= start:
            at = self.index[start]
            return at, at
        return self.index[start], self.index[end - 1] + 1

    def locate(self, original_offset: int) -> int:
        """The first normalised index whose original offset is ``>= original_offset``."""
        return bisect_left(self.index, original_offset, 0, len(self.text))


def fold(text: str) -> str:
    """Character-wise folding without removing anything (same length as *text*).

    Rules fold the same paragraphs and the same whole text again and again:
    short strings are cached, and the latest long one.
    """
    if len(text) <= _SHORT:
        return _fold_short(text)
    seen, folded = _last_long[0]  # one tuple: consistent even with threads
    if seen is text:
        return folded
    folded = _fold(text)
    _last_long[0] = (text, folded)
    return folded


_SHORT = 1024
_last_long: list[tuple[str, str]] = [("", "")]


@lru_cache(maxsize=2048)
def _fold_short(text: str) -> str:
    return _fold(text)


#: 0, 1, 2, ...: an index is built of slices of this list, which copy references to int objects that
#: exist already instead of making an int per character; grown on demand up to _SHARED_MAX entries
_shared: list[list[int]] = [list(range(4096))]
_SHARED_MAX = 1 << 17


def _naturals(n: int) -> list[int] | None:
    """A list of ``0 .. m-1`` with ``m >= n``; ``None`` when *n* is beyond what is shared."""
    nat = _shared[0]  # one list, replaced, never changed: consistent even with threads
    if len(nat) < n:
        if n > _SHARED_MAX:
            return None
        nat = _shared[0] = list(range(min(max(n, 2 * len(nat)), _SHARED_MAX)))
    return nat


def normalize(text: str, start: int = 0, end: int | None = None) -> Normalized:
    """Fold ``text[start:end]`` and drop whitespace and ``|``; keep the offset map."""
    if end is None:
        end = len(text)
    folded = fold(text[start:end])
    runs = list(KEPT_RUN.finditer(folded))
    index: list[int] = []
    extend = index.extend
    nat = _naturals(end)
    if nat is not None:  # every kept character's original offset
        for m in runs:
            s, e = m.span()
            extend(nat[start + s : start + e])
    else:
        starts, ends = map(re.Match.start, runs), map(re.Match.end, runs)
        extend(chain.from_iterable(map(range, map(start.__add__, starts), map(start.__add__, ends))))
    index.append(end)
    return Normalized("".join(map(re.Match.group, runs)), index)


@lru_cache(maxsize=4096)
def norm_label(label: str) -> str:
    """The normalised form of a template label (cached: labels are few)."""
    return "".join(KEPT_RUN.findall(fold(label)))
