"""What the citation checks share: the 文号 and 《》 titles found in the text, matched to the registry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from gklint.data import StandardData
from gklint.memo import latest
from gklint.model import Document, Span
from gklint.national.citations.registry import Entry, Registry, registry, title_forms, title_key
from gklint.normalize import fold

_SP = r"[ \t\u3000]*"


_SPACES = " \t\u3000"  # what _SP is made of


_HAN = ("\u3400", "\u9fff")  # the first and last 汉字 of a run before a 文号


_RUN = 16  # the longest run


#: A 文号 in any bracket style: the 汉字 run before it, the year, the number.
_NUMBER_RE = re.compile(
    rf"(?P<run>[{_HAN[0]}-{_HAN[1]}]{{1,{_RUN}}})(?P<sp1>{_SP})(?P<open>[〔\[(（【［﹝〖{{])(?P<sp2>{_SP})"
    rf"(?P<year>(?:19|20)[0-9]{{2}})(?P<sp3>{_SP})(?P<close>[〕\])）】］﹞〗}}])(?P<sp4>{_SP})"
    rf"(?P<di>第?)(?P<sp5>{_SP})(?P<num>[0-9]{{1,5}})(?P<sp6>{_SP})号"
)


#: What every 文号 contains, from its opening bracket; _NUMBER_RE (slow to scan for: it starts
#: with a run of 汉字) is only tried where this is (:func:`_number_matches`).
_NUMBER_HINT = re.compile(rf"[〔\[(（【［﹝〖{{]{_SP}(?:19|20)[0-9]{{2}}")


_MAX_PREFIX = 8  # an unknown prefix longer than this is cut (文号 prefixes are short)


_INNER_OPEN = "<＜‹《〈"


_INNER_CLOSE = ">＞›》〉"


_INNER_MARKS = re.compile(f"[{re.escape(_INNER_OPEN + _INNER_CLOSE)}]")


_PAREN_CHARS = re.compile(r"[（()）\n]")


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A 文号 found in the text."""

    span: Span  # prefix start .. end of 号
    tail: Span  # first space or bracket after the prefix .. end of 号 (what a fix replaces)
    run: str  # the 汉字 run before the year (may start with unrelated words)
    prefix: str  # best guess of the prefix
    open: str
    close: str
    year: int
    num: int
    has_di: bool
    has_space: bool
    doubled_prefix: bool

    @property
    def canonical(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.num}号"

    @property
    def written(self) -> str:
        return f"{self.prefix}{self.open}{self.year}{self.close}{'第' if self.has_di else ''}{self.num}号"

    @property
    def well_formed(self) -> bool:
        return self.open == "〔" and self.close == "〕" and not (self.has_di or self.has_space or self.doubled_prefix)


@dataclass(frozen=True, slots=True)
class TitleMark:
    """A top-level 《…》 (``inner`` excludes the marks) and the parenthesis right after it."""

    span: Span
    inner: Span
    paren: Span | None  # the （…） right after 》, including the parentheses


def _prefix(run: str, reg: Registry) -> str:
    folded = fold(run)
    for known in reg.known_prefixes:
        if folded.endswith(known):
            return run[len(run) - len(known):]
    cut = max((folded.rfind(w) + len(w) for w in reg.prefix_boundaries if w in folded[:-1]), default=0)
    prefix = run[cut:] or run
    return prefix[-_MAX_PREFIX:]


def _line_matches(pattern: re.Pattern[str], hint: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, run only on the lines where *hint* matches.

    Correct for a *pattern* whose matches never span lines, contain a match of
    *hint*, and whose look-arounds do not look past the end of a line.
    """
    end = -1
    for found in hint.finditer(text):
        if found.start() < end:
            continue  # on a line already searched
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        if end < 0:
            end = len(text)
        yield from pattern.finditer(text, start, end)


def _number_matches(text: str) -> Iterator[re.Match[str]]:
    """``_NUMBER_RE.finditer(text)``, tried only at the 汉字 run before each bracketed year.

    A match of _NUMBER_RE is a run of 1 to _RUN 汉字, spaces, and an opening bracket
    where _NUMBER_HINT matches; nothing else can precede that bracket, so the match
    can only start where the run does (or _RUN 汉字 before the spaces, if the run is
    longer), and not before the end of the previous match, as in ``finditer``.
    """
    floor = 0  # end of the previous match
    for found in _NUMBER_HINT.finditer(text):
        spaces = found.start()
        while spaces > floor and text[spaces - 1] in _SPACES:
            spaces -= 1
        start, lowest = spaces, max(floor, spaces - _RUN)
        while start > lowest and _HAN[0] <= text[start - 1] <= _HAN[1]:
            start -= 1
        if start == spaces:
            continue  # no 汉字 before the bracket
        m = _NUMBER_RE.match(text, start)
        if m is not None:
            floor = m.end()
            yield m


@latest
def doc_numbers(text: str, reg: Registry) -> list[DocNumber]:
    """Every 文号 in *text* (wrong brackets only when the prefix ends like a 文号 prefix)."""
    found: list[DocNumber] = []
    for m in _number_matches(text):
        run = m["run"]
        prefix = _prefix(run, reg)
        canonical_brackets = m["open"] == "〔" and m["close"] == "〕"
        if not canonical_brackets and not fold(prefix).endswith(tuple(fold(e) for e in reg.prefix_endings)):
            continue
        doubled = len(run) >= 2 * len(prefix) and fold(run).endswith(fold(prefix) * 2)
        start = m.start("run") + len(run) - len(prefix) * (2 if doubled else 1)
        spaces = any(m[g] for g in ("sp1", "sp2", "sp3", "sp4", "sp5", "sp6"))
        tail_start = m.start("run") + len(run) - (len(prefix) if doubled else 0)
        found.append(DocNumber(
            Span(start, m.end()), Span(tail_start, m.end()), run, prefix, m["open"], m["close"],
            int(m["year"]), int(m["num"]), bool(m["di"]), spaces, doubled,
        ))
    return found


@latest
def title_marks(text: str) -> list[TitleMark]:
    """Top-level 《…》 pairs (nested 《》 are part of the outer one) with the parenthesis after them."""
    marks: list[TitleMark] = []
    depth, start = 0, -1
    last = 0
    for i in _positions(text, "《》"):
        ch = text[i]
        if depth and text.find("\n", last, i) >= 0:
            depth = 0  # a line break closes every open mark
        last = i
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                marks.append(TitleMark(Span(start, i + 1), Span(start + 1, i), _paren_after(text, i + 1)))
    return marks


def _positions(text: str, chars: str) -> list[int]:
    """The offsets of every one of *chars* in *text*, in order (``str.find`` is quicker than a regex)."""
    found: list[int] = []
    for ch in chars:
        i = text.find(ch)
        while i >= 0:
            found.append(i)
            i = text.find(ch, i + 1)
    found.sort()
    return found


def _paren_after(text: str, pos: int) -> Span | None:
    i = pos
    while i < len(text) and text[i] in " \t\u3000":
        i += 1
    if i >= len(text) or text[i] not in "（(":
        return None
    depth = 0
    for found in _PAREN_CHARS.finditer(text, i, min(len(text), i + 160)):  # the other characters change nothing
        ch = found.group()
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
            if depth == 0:
                return Span(i, found.end())
        else:  # a line break
            break
    return None


def _inside(span: Span, outer: Span | None) -> bool:
    return outer is not None and outer.start <= span.start and span.end <= outer.end


@dataclass(frozen=True, slots=True)
class Citation:
    """A 《title》 with the registry 文号 in the parenthesis right after it, if any."""

    mark: TitleMark
    title: str
    number: DocNumber | None


def citations(doc: Document, reg: Registry) -> Iterator[Citation]:
    """Every top-level 《title》 of *doc*, with the first 文号 in the parenthesis after it."""
    return iter(_citations(doc.text, reg))


@latest
def _citations(text: str, reg: Registry) -> list[Citation]:
    """:func:`citations` of the document whose text is *text*, found once (several rules read them)."""
    numbers = doc_numbers(text, reg)
    return [
        Citation(mark, text[mark.inner.start : mark.inner.end], next((n for n in numbers if _inside(n.span, mark.paren)), None))
        for mark in title_marks(text)
    ]


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """:func:`title_key` of *text*, remembered (reports cite the same titles again and again)."""
    return title_key(text)


_KEPT = 4096  # titles remembered per registry


class _Titles:
    """Look-ups in one registry by title or 文号, each answered once: reports cite the same few documents.

    Every answer is the registry's own (``Registry.by_title``, ``Registry.lookup``,
    :func:`title_forms`); at most _KEPT of each kind are kept.
    """

    def __init__(self, reg: Registry) -> None:
        self._reg = reg
        self._keys: dict[str, str] = {}
        self._by_title: dict[str, Entry | None] = {}
        self._by_number: dict[tuple[str, int, int], Entry | None] = {}
        self._forms: dict[str, set[str]] = {}

    def key(self, title: str) -> str:
        """``title_key(reg.canonical_issuers(title))``: a cited title for comparison."""
        found = self._keys.get(title)
        if found is None:
            found = _remember(self._keys, title, title_key(self._reg.canonical_issuers(title)))
        return found

    def by_title(self, title: str) -> Entry | None:
        """``reg.by_title(title)``."""
        if title in self._by_title:
            return self._by_title[title]
        return _remember(self._by_title, title, self._reg.by_title(title))

    def lookup(self, run: str, year: int, num: int) -> Entry | None:
        """``reg.lookup(run, year, num)``."""
        key = (run, year, num)
        if key in self._by_number:
            return self._by_number[key]
        return _remember(self._by_number, key, self._reg.lookup(run, year, num))

    def forms(self, entry: Entry) -> set[str]:
        """``title_forms(entry)`` for an entry of this registry (the same set every time: do not change it)."""
        found = self._forms.get(entry.key)
        if found is None:
            found = _remember(self._forms, entry.key, title_forms(entry))
        return found


_K = TypeVar("_K")


_V = TypeVar("_V")


def _remember(memo: dict[_K, _V], key: _K, value: _V) -> _V:
    """Store *value* under *key* in *memo* (emptied first when full) and return it."""
    if len(memo) >= _KEPT:
        memo.clear()
    memo[key] = value
    return value


def _titles(data: StandardData) -> _Titles:
    """The :class:`_Titles` of the registry of *data* (one per :class:`StandardData`)."""
    return data.derived("citation_titles", lambda d: _Titles(registry(d)))


def _year(doc: Document) -> int | None:
    return doc.metadata.year


def _entry_of(cit: Citation, titles: _Titles) -> Entry | None:
    if cit.number is None:
        return None
    return titles.lookup(cit.number.run, cit.number.year, cit.number.num)


def _inner_pairs(text: str, inner: Span) -> Iterator[tuple[int, int | None, str]]:
    """(open, close or None, open char) of marks nested inside a 《…》."""
    stack: list[tuple[int, str]] = []
    for found in _INNER_MARKS.finditer(text, inner.start, inner.end):  # the other characters change nothing
        i, ch = found.start(), found.group()
        if ch in _INNER_OPEN:
            stack.append((i, ch))
        elif ch in _INNER_CLOSE:
            if stack:
                start, opener = stack.pop()
                if not stack:
                    yield start, i, opener
            else:
                yield i, None, ch
    for start, opener in stack[:1]:
        yield start, None, opener


_DAMAGED_RE = re.compile(r"(?P<run>[\u3400-\u9fff]{2,16})[〔\[(（【［﹝](?P<digits>(?:19|20)[0-9]{3,6})(?![0-9])")


_DAMAGED_HINT = re.compile(r"[〔\[(（【［﹝](?:19|20)[0-9]{3,6}(?![0-9])")
