"""GK4 citations: how a report cites the 条例, the format notice and other documents.

Checks 文号 typography (〔〕 brackets, no 第, no spaces), titles and numbers of
documents in the citation registry (``rules/citations.toml``, see
:mod:`gklint.national.citation_registry`), issuing office names, the 条例's full
name and 国务院令 number, superseded format notices, nested title marks, 国办
文号 missing from the registry and the year of the cited 政务公开工作要点.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from gklint import hookimpl
from gklint.data import StandardData
from gklint.findings import Fix, Message, Problem, Related, Severity
from gklint.memo import latest
from gklint.model import Document, Span
from gklint.national.citation_registry import Entry, Registry, registry, title_forms, title_key
from gklint.normalize import fold, norm_label
from gklint.rule import CheckContext, CheckFunction, Example, Rule

__all__ = ["gklint_rules"]

# -- scanning the text ------------------------------------------------------------

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
_DECREE_RE = re.compile(r"国务院令\s*第?\s*(?P<num>[0-9０-９]{1,5})\s*号")
_MAX_PREFIX = 8  # an unknown prefix longer than this is cut (文号 prefixes are short)
_INNER_OPEN = "<＜‹《〈"
_INNER_CLOSE = ">＞›》〉"
_ASCII_MARKS = "<>＜＞‹›"
_DIGITS = re.compile(r"[0-9０-９]+")
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


# -- GK401 文号 typography --------------------------------------------------------------


def check_number_format(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK401: a 文号 with other brackets than 〔〕, with 第, with spaces, or a doubled prefix."""
    reg = registry(context.data)
    for n in doc_numbers(doc.text, reg):
        if n.well_formed:
            continue
        written = doc.snippet(n.span)
        wrong: list[tuple[str, str]] = []
        if n.open != "〔" or n.close != "〕":
            wrong.append((f"年份括号用了“{n.open}{n.close}”，应为六角括号“〔〕”",
                          f"the year is in {n.open}{n.close} instead of 六角括号 〔〕"))
        if n.has_di:
            wrong.append(("序号前多了“第”", "a superfluous 第 before the number"))
        if n.has_space:
            wrong.append(("文号中有空格", "spaces inside the number"))
        if n.doubled_prefix:
            wrong.append((f"发文字号“{n.prefix}”重复", f"the prefix {n.prefix} is doubled"))
        replacement = n.canonical[len(n.prefix):] if not n.doubled_prefix else n.canonical
        fix_span = n.tail if not n.doubled_prefix else n.span
        # brackets, 第 and spaces only; a doubled prefix or a number written with a leading zero is left to the editor
        safe = not n.doubled_prefix and _DIGITS.findall(doc.snippet(fix_span)) == _DIGITS.findall(replacement)
        yield Problem(
            n.span,
            Message(f"文号“{written}”格式不规范：{'；'.join(z for z, _ in wrong)}。应写作“{n.canonical}”",
                    f"document number {written!r} is malformed: {'; '.join(e for _, e in wrong)}; write {n.canonical!r}"),
            fix=Fix(fix_span, replacement, Message(f"改为“{n.canonical}”", f"write {n.canonical}"), safe=safe),
            key=(n.canonical,),
        )


# -- GK402 / GK404 title vs 文号 -------------------------------------------------------------


def _entry_of(cit: Citation, titles: _Titles) -> Entry | None:
    if cit.number is None:
        return None
    return titles.lookup(cit.number.run, cit.number.year, cit.number.num)


def check_title(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK402: a registry 文号 with another title, or a registry title with another 文号."""
    reg, titles = registry(context.data), _titles(context.data)
    for cit in citations(doc, reg):
        if cit.number is None:
            continue
        entry = _entry_of(cit, titles)
        key = titles.key(cit.title)
        number_text = doc.snippet(cit.number.span)
        if entry is not None:
            if not entry.verified or key in titles.forms(entry):
                continue
            if entry.attachment and key == _key(entry.attachment):
                continue  # GK404
            other = titles.by_title(cit.title)
            if other is not None and other is not entry:
                yield Problem(
                    cit.number.span,
                    Message(f"《{cit.title}》的文号应为“{other.number}”；“{number_text}”是《{entry.nested_title()}》的文号",
                            f"the number of 《{cit.title}》 is {other.number}; {number_text} is the number of 《{entry.title}》"),
                    related=(Related(cit.mark.span, Message("引用的标题", "the title cited")),),
                    key=(cit.number.canonical, other.key),
                    origin=other.source,
                )
                continue
            expected = entry.nested_title()
            yield Problem(
                cit.mark.inner,
                Message(f"“{number_text}”的标题应为《{expected}》，此处写作《{cit.title}》",
                        f"the title of {number_text} is 《{expected}》, not 《{cit.title}》"),
                related=(Related(cit.number.span, Message("文号", "the document number")),),
                fix=Fix(cit.mark.inner, expected, Message(f"改为登记的标题《{expected}》", "use the registered title"),
                        safe=True),  # the 文号 is in the registry and verified: the title is certain
                key=(cit.number.canonical, "title"),
                origin=entry.source,
            )
            continue
        titled = titles.by_title(cit.title)
        if titled is not None and titled.number and not titled.kind == "regulation":
            yield Problem(
                cit.number.span,
                Message(f"《{cit.title}》的文号应为“{titled.number}”，此处写作“{number_text}”",
                        f"the number of 《{cit.title}》 is {titled.number}, not {number_text}"),
                related=(Related(cit.mark.span, Message("引用的标题", "the title cited")),),
                fix=Fix(cit.number.span, titled.number, Message(f"改为“{titled.number}”", f"write {titled.number}")),
                key=(cit.number.canonical, titled.key),
                origin=titled.source,
            )


def check_attachment_title(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK404: the attachment's title paired with the notice's 文号."""
    reg, titles = registry(context.data), _titles(context.data)
    for cit in citations(doc, reg):
        entry = _entry_of(cit, titles)
        if entry is None or cit.number is None or not entry.attachment or not entry.verified:
            continue
        if titles.key(cit.title) != _key(entry.attachment):
            continue
        number_text = doc.snippet(cit.number.span)
        yield Problem(
            cit.mark.span,
            Message(f"《{cit.title}》是附件，“{number_text}”是通知《{entry.nested_title()}》的文号；"
                    f"应引用通知标题，或写作“{entry.number}印发的《{entry.attachment}》”",
                    f"《{cit.title}》 is the attachment; {number_text} is the number of the notice 《{entry.title}》: "
                    "cite the notice's title, or write that the notice issued the attachment"),
            related=(Related(cit.number.span, Message("通知的文号", "the notice's number")),),
            key=(entry.number, "attachment"),
        )


# -- GK403 issuing office ---------------------------------------------------------------


def check_issuer(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK403: a known wrong name of an issuing office."""
    reg = registry(context.data)
    norm = doc.normalized()
    hits: list[tuple[int, int, str, str]] = []
    for issuer in reg.issuers:
        for wrong in issuer.wrong_names:
            needle = norm_label(wrong)
            if needle not in norm.text:
                continue
            for m in re.finditer(re.escape(needle), norm.text):
                start, end = norm.span(m.start(), m.end())
                hits.append((start, end, wrong, issuer.name))
    for start, end, wrong, right in sorted(hits):
        written = doc.text[start:end]
        yield Problem(
            Span(start, end),
            Message(f"发文机关名称“{written}”有误，应为“{right}”", f"the issuing office {written!r} is wrong; it is {right!r}"),
            fix=Fix(Span(start, end), right, Message(f"改为“{right}”", f"write {right}"), safe=True),
            key=(wrong,),
        )


# -- GK405 the 条例 ---------------------------------------------------------------------


def _decrees(doc: Document, paren: Span | None) -> list[tuple[Span, int]]:
    if paren is None:
        return []
    found = []
    for m in _DECREE_RE.finditer(doc.text, paren.start, paren.end):
        found.append((Span(m.start(), m.end()), int(fold(m["num"]))))
    return found


def check_regulation(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK405: the 条例 without 中华人民共和国 on first mention, or with a wrong 国务院令 number."""
    reg = registry(context.data)
    year = _year(doc)
    for entry in reg.entries:
        if entry.kind != "regulation" or not entry.verified:
            continue
        full = _key(entry.title)
        shorts = {_key(s): s for s in entry.short_names}
        names = {full, *shorts}
        mentions = [m for m in title_marks(doc.text) if _key(doc.snippet(m.inner)) in names]
        if mentions and _key(doc.snippet(mentions[0].inner)) in shorts:
            first = mentions[0]
            written = doc.snippet(first.inner)
            missing = entry.title[: len(entry.title) - len(written)] if entry.title.endswith(written) else ""
            yield Problem(
                first.span,
                Message(f"首次引用《{written}》应写全称《{entry.title}》", f"first citation of 《{written}》 must give the full title 《{entry.title}》"),
                fix=Fix(Span(first.inner.start, first.inner.start), missing, Message(f"补上“{missing}”", f"insert {missing}"),
                        safe=True)
                if missing else None,
                key=(entry.key, "short"),
            )
        yield from _decree_problems(doc, entry, mentions, year)


def _decree_problems(doc: Document, entry: Entry, mentions: list[TitleMark], year: int | None) -> Iterator[Problem]:
    current, former = entry.decree_numbers()
    if not current:
        return
    want = "、".join(f"国务院令第{n}号" for n in sorted(current))
    for mention in mentions:
        decrees = _decrees(doc, mention.paren)
        cited = {n for _, n in decrees}
        for span, n in decrees:
            if n in current:
                continue
            if n in former:
                if cited & current or year is None or entry.current_since is None or year < entry.current_since:
                    continue
                msg = Message(f"《{entry.title}》引用了修订前的“国务院令第{n}号”；{year}年度报告应引用修订后的“{want}”",
                              f"cites the unrevised edition (国务院令第{n}号); a {year} report must cite the revised {want}")
            else:
                msg = Message(f"《{entry.title}》的国务院令编号应为“{want}”，此处写作“国务院令第{n}号”",
                              f"the State Council decree number of 《{entry.title}》 is {want}, not 国务院令第{n}号")
            yield Problem(span, msg, key=(entry.key, f"decree-{n}"), severity=Severity.ERROR)


# -- GK406 superseded format ---------------------------------------------------------------


def check_superseded(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK406: a format notice that does not apply to the report year (superseded, or not yet issued)."""
    reg, titles = registry(context.data), _titles(context.data)
    year = _year(doc)
    if year is None:
        return
    numbered: set[tuple[int, int]] = set()
    hits: list[tuple[Span, Entry, str]] = []
    for n in doc_numbers(doc.text, reg):
        entry = titles.lookup(n.run, n.year, n.num)
        if entry is not None and entry.verified and entry.first_year is not None and not entry.applies_to(year):
            hits.append((n.span, entry, doc.snippet(n.span)))
    for cit in citations(doc, reg):
        if cit.number is not None:
            continue
        key = _key(cit.title)
        for entry in reg.entries:
            if entry.first_year is None or entry.applies_to(year) or not entry.verified:
                continue
            if key in titles.forms(entry) or (entry.attachment and key == _key(entry.attachment)):
                hits.append((cit.mark.span, entry, f"《{cit.title}》"))
    for span, entry, written in sorted(hits, key=lambda h: h[0]):
        if (span.start, span.end) in numbered:
            continue
        numbered.add((span.start, span.end))
        yield _superseded_problem(reg, entry, span, written, year)


def _superseded_problem(reg: Registry, entry: Entry, span: Span, written: str, year: int) -> Problem:
    successor = reg.entry(entry.superseded_by) if entry.superseded_by else None
    if successor is None:
        successor = next((e for e in reg.entries if e.superseded_by == entry.key and e.applies_to(year)), None)
    instead_zh = f"，{year}年度报告应依据{successor.number}《{successor.nested_title()}》" if successor else ""
    instead_en = f"; a {year} report is based on {successor.number}" if successor else ""
    cited = written if fold(written) == fold(entry.number) else f"{written}（{entry.number}）"
    if entry.last_year is not None and year > entry.last_year:
        msg = Message(f"引用的{cited}只适用于{entry.years_text()}报告，已被替代{instead_zh}",
                      f"{cited} applies to the reports for {entry.first_year}-{entry.last_year} only and was superseded{instead_en}")
    else:
        msg = Message(f"引用的{cited}自{entry.first_year}年度报告起适用，不适用于{year}年度报告{instead_zh}",
                      f"{cited} applies from the {entry.first_year} reports on, not to a {year} report{instead_en}")
    return Problem(span, msg, key=(entry.key, str(year)))


# -- GK407 nested title marks -------------------------------------------------------------


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


def _inner_problem(doc: Document, mark: TitleMark, start: int, close: int | None, opener: str,
                   verbs: tuple[str, ...]) -> Problem | None:
    text = doc.text
    title = doc.snippet(mark.span)
    if close is None:
        if opener == "〈":
            return None
        return Problem(Span(start, start + 1),
                       Message(f"{title}中有不成对的书名号“{opener}”；书名号内的书名应使用单书名号〈〉",
                               f"unpaired title mark {opener!r} in {title}; titles nested in 《》 take 〈〉"),
                       key=("unpaired", opener))
    content = text[start + 1:close]
    verb = next((v for v in verbs if fold(content).startswith(v)), "")
    ascii_marks = opener in _ASCII_MARKS or text[close] in _ASCII_MARKS
    nested_double = opener == "《"
    if not (ascii_marks or nested_double or verb):
        return None
    right = f"{verb}〈{content[len(verb):]}〉"
    problems_zh: list[str] = []
    problems_en: list[str] = []
    if ascii_marks:
        problems_zh.append(f"用了“{opener}{text[close]}”，应为单书名号“〈〉”")
        problems_en.append(f"uses {opener}{text[close]} instead of 〈〉")
    elif nested_double:
        problems_zh.append("书名号内又用了双书名号“《》”，应为单书名号“〈〉”")
        problems_en.append("nests 《》 inside 《》 instead of 〈〉")
    if verb:
        problems_zh.append(f"“{verb}”不是书名的一部分，应在书名号之外")
        problems_en.append(f"{verb} is not part of the inner title and belongs outside the marks")
    span = Span(start, close + 1)
    safe = ascii_marks and not verb and not nested_double  # only <> -> 〈〉; moving a verb is the editor's call
    return Problem(
        span,
        Message(f"书名号内的“{doc.snippet(span)}”有误：{'；'.join(problems_zh)}，应写作“{right}”",
                f"{doc.snippet(span)!r} inside 《》: {'; '.join(problems_en)}; write {right!r}"),
        fix=Fix(span, right, Message(f"改为“{right}”", f"write {right}"), safe=safe),
        key=(title_key(title), "inner"),
    )


def check_title_marks(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK407: ASCII ``<>`` (or 《》) inside 《》, inner marks around the verb, 〈〉 used as outer marks."""
    reg = registry(context.data)
    marks = title_marks(doc.text)
    for mark in marks:
        for start, close, opener in _inner_pairs(doc.text, mark.inner):
            problem = _inner_problem(doc, mark, start, close, opener, reg.misplaced_inner_prefixes)
            if problem is not None:
                yield problem
    yield from _outer_single_marks(doc, marks)


_OUTER_SINGLE_RE = re.compile(r"〈([^〈〉\n]{2,80})〉")
_CJK_RE = re.compile(r"[\u3400-\u9fff]{2}")


def _outer_single_marks(doc: Document, marks: list[TitleMark]) -> Iterator[Problem]:
    for m in _OUTER_SINGLE_RE.finditer(doc.text):
        span = Span(m.start(), m.end())
        if any(_inside(span, mark.span) for mark in marks) or not _CJK_RE.search(m[1]):
            continue
        right = f"《{m[1]}》"
        yield Problem(
            span,
            Message(f"“{m[0]}”用单书名号作外层书名号，应写作“{right}”", f"{m[0]!r} uses 〈〉 as the outer title marks; write {right!r}"),
            fix=Fix(span, right, Message(f"改为“{right}”", f"write {right}")),
            key=(title_key(m[1]), "outer"),
        )


# -- GK408 unverified 国办 文号 ----------------------------------------------------------------


def check_unverified(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK408: a 国务院办公厅 文号 that is not in the registry (cannot be verified)."""
    reg, titles = registry(context.data), _titles(context.data)
    national = tuple(fold(p) for p in reg.national_prefixes)
    titled: set[Span] = set()
    for cit in citations(doc, reg):
        if cit.number is not None and titles.by_title(cit.title) is not None:
            titled.add(cit.number.span)
    seen: set[str] = set()
    for n in doc_numbers(doc.text, reg):
        if fold(n.prefix) not in national or titles.lookup(n.run, n.year, n.num) is not None:
            continue
        if n.span in titled or n.canonical in seen:
            continue
        seen.add(n.canonical)
        yield Problem(
            n.span,
            Message(f"未核实的引用：“{doc.snippet(n.span)}”不在引用文件登记表中，请核对文号与标题",
                    f"unverified citation: {doc.snippet(n.span)} is not in the citation registry; check the number and title"),
            key=(n.canonical,),
        )
    yield from _damaged_numbers(doc, national)


_DAMAGED_RE = re.compile(r"(?P<run>[\u3400-\u9fff]{2,16})[〔\[(（【［﹝](?P<digits>(?:19|20)[0-9]{3,6})(?![0-9])")
_DAMAGED_HINT = re.compile(r"[〔\[(（【［﹝](?:19|20)[0-9]{3,6}(?![0-9])")


def _damaged_numbers(doc: Document, national: tuple[str, ...]) -> Iterator[Problem]:
    """A 国办 文号 whose closing bracket and 号 are lost (scrape damage: 國辦公開辦函〔202130)."""
    for m in _line_matches(_DAMAGED_RE, _DAMAGED_HINT, doc.text):
        if not fold(m["run"]).endswith(national) or doc.text.startswith("号", m.end()):
            continue
        prefix = next(p for p in national if fold(m["run"]).endswith(p))
        start = m.start("run") + len(m["run"]) - len(prefix)
        written = doc.text[start:m.end()]
        yield Problem(
            Span(start, m.end()),
            Message(f"未核实的引用：文号“{written}”残缺（缺少“〕”或“号”），无法核对", f"unverified citation: the number {written!r} is damaged (no 〕 or 号)"),
            key=(fold(written), "damaged"),
        )


# -- GK409 政务公开工作要点 year ---------------------------------------------------------------


def check_work_points(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK409: the national 政务公开工作要点 cited for another year than the report's."""
    reg = registry(context.data)
    year = _year(doc)
    if year is None:
        return
    own = next((e for e in reg.entries if e.series == "work-points" and e.topic_year == year), None)
    if own is None or not own.verified:
        return  # no verified 要点 for the report year: left unchecked
    for mark in title_marks(doc.text):
        written = doc.snippet(mark.inner)
        m = reg.work_points_title.match(_key(written))
        if m is None or not m["year"] or int(m["year"]) == year:
            continue
        yield Problem(
            mark.span,
            Message(f"{year}年度报告引用了{m['year']}年的《{written}》；本年度的要点是{own.number}《{own.title}》",
                    f"a {year} report cites the {m['year']} work points 《{written}》; this year's are {own.number}"),
            key=("work-points", m["year"]),
        )


# -- the rules ---------------------------------------------------------------------------

_SOURCE_GBT = "GB/T 15834—2011《标点符号用法》4.15（书名号）；国办公开办函〔2021〕30号等原件标题"


def _rule(rid: str, name: str, severity: Severity, short: tuple[str, str], full: tuple[str, str],
          help_: tuple[str, str], source: tuple[str, str], check: CheckFunction, examples: tuple[Example, ...]) -> Rule:
    return Rule(rid, name, "GK4", severity, Message(*short), Message(*full), Message(*help_), check,
                Message(*source), examples)


_INTRO_BASIS = "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）"
_FEE = "《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）"

RULES = [
    _rule("GK401", "document-number-format", Severity.WARNING,
          ("文号格式不规范（括号、“第”、空格）", "malformed document number (brackets, 第, spaces)"),
          ("发文字号的年份须用六角括号“〔〕”括入，序号不加“第”、不编虚位，文号中不留空格。"
           "“[2021]”“(2021)”“（2021）”“【2021】”“［2021］”“〔2021〕第30号”“30 号”都不规范。任何发文字号都检查，不限于登记表中的文件。",
           "The year of a document number goes in 六角括号 〔〕, the sequence number has no 第 and the number has no spaces; "
           "[2021], (2021), （2021）, 【2021】, ［2021］, 〔2021〕第30号 and 30 号 are malformed. Checked for every document number, "
           "not only registry ones."),
          ("把年份括号改为“〔〕”，删去“第”和空格，例如“国办公开办函〔2021〕30号”。", "Write the year in 〔〕 and drop 第 and spaces, e.g. 国办公开办函〔2021〕30号."),
          ("GB/T 9704—2012《党政机关公文格式》7.2.4（发文字号）", "GB/T 9704-2012 Layout key for official documents, 7.2.4"),
          check_number_format,
          (Example(bad="（国办公开办函[2021]30号）", good="（国办公开办函〔2021〕30号）", replaces="（国办公开办函〔2021〕30号）"),)),
    _rule("GK402", "registry-title-mismatch", Severity.ERROR,
          ("登记文件的标题与文号不符", "registry document cited with a wrong title or number"),
          ("登记表中已核实文件的文号后面的《》标题须与该文号的原标题一致（允许省略发文机关，书名号写法由 GK407 检查）；"
           "标题是某登记文件的原标题时，文号须是该文件的文号。",
           "For a verified registry document, the title in 《》 before its number must be the title as issued (the issuer may be "
           "left out; title-mark typography is GK407's); a registry title must come with that document's number."),
          ("按登记表改正标题或文号。", "Correct the title or number as registered."),
          ("各文件发文机关公布的原件（gklint 自带的引用文件登记表据此登记标题和文号）；公文写作惯例：引用公文先引标题，后引发文字号",
           "the documents as their issuers published them (gklint's citation registry records their titles and numbers); "
           "practice: cite the title, then the number"),
          check_title,
          (Example(bad="《国务院办公厅关于印发〈政府信息公开信息收费管理办法〉的通知》（国办函〔2020〕109号）", good=_FEE, replaces=_FEE),)),
    _rule("GK403", "issuing-office-name", Severity.ERROR,
          ("发文机关名称有误", "wrong name of the issuing office"),
          ("发文机关名称须与登记表一致。例如年度报告格式的发文机关是“国务院办公厅政府信息与政务公开办公室”，"
           "不是“国务院办公厅政府信息公开与政务公开办公室”“国务院办公厅政务公开办公室”或“国办信息公开办”。",
           "Issuing office names must match the registry: the format's issuer is 国务院办公厅政府信息与政务公开办公室, not "
           "国务院办公厅政府信息公开与政务公开办公室, 国务院办公厅政务公开办公室 or 国办信息公开办."),
          ("改为登记的机关全称。", "Write the registered full name."),
          ("国办公开办函〔2021〕30号（发文机关）；引用文件登记表 citation_issuers", "国办公开办函〔2021〕30号 (issuer); registry citation_issuers"),
          check_issuer,
          (Example(bad="国务院办公厅政府信息公开与政务公开办公室关于印发", good="国务院办公厅政府信息与政务公开办公室关于印发",
                   replaces="国务院办公厅政府信息与政务公开办公室关于印发"),)),
    _rule("GK404", "attachment-title-with-notice-number", Severity.WARNING,
          ("附件标题配了通知的文号", "attachment title paired with the notice's number"),
          ("文号属于印发通知，不属于附件。《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）、"
           "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）这类写法引用的文件本身没有错，只是不精确，而且相当普遍，所以只作警告。",
           "A document number belongs to the notice, not to its attachment. Citations like 《…年度报告格式》（国办公开办函〔2021〕30号） "
           "point at the right document but imprecisely and are widespread, hence a warning."),
          ("引用通知全称，或写作“国办公开办函〔2021〕30号印发的《中华人民共和国政府信息公开工作年度报告格式》”。",
           "Cite the notice's title, or say the notice issued the attachment."),
          ("国办公开办函〔2021〕30号、国办函〔2020〕109号原件：文号属于印发通知，所附格式、办法本身没有文号；引用时写通知标题是通行做法",
           "the notices 国办公开办函〔2021〕30号 and 国办函〔2020〕109号 as issued: the number belongs to the notice, the attached "
           "format or measures have none; citing the notice's title is common practice"),
          check_attachment_title,
          (Example(bad="《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）", good=_INTRO_BASIS, replaces=_INTRO_BASIS),)),
    _rule("GK405", "regulation-citation", Severity.WARNING,
          ("《条例》首次引用未写全称或国务院令编号有误", "the 条例 cited without its full title or with a wrong decree number"),
          ("行政法规须以全称引用：首次引用应为《中华人民共和国政府信息公开条例》，其后可用“以下简称《条例》”。"
           "修订后的条例是国务院令第711号；2019年度起的报告只引第492号（2007年原条例）是错误的。"
           "首次引用用了简称是书写形式问题，作为警告；国务院令编号写错是引用错误，作为错误。",
           "The regulation is cited by its full title 《中华人民共和国政府信息公开条例》 on first mention (then 以下简称《条例》). "
           "The revised 条例 is 国务院令第711号; citing only 第492号 (the 2007 original) in a 2019+ report is wrong. "
           "A short name on first mention is a warning (form); a wrong decree number is an error (a wrong citation)."),
          ("首次引用补上“中华人民共和国”，编号写“国务院令第711号”。", "Add 中华人民共和国 on first mention; cite 国务院令第711号."),
          ("《中华人民共和国政府信息公开条例》（国务院令第711号）；引用文件登记表 REG", "the 条例 (State Council decree 711); registry entry REG"),
          check_regulation,
          (Example(bad="本报告根据《政府信息公开条例》（以下简称《条例》）", good="本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）",
                   replaces="本报告根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）"),
           Example(bad="《中华人民共和国政府信息公开条例》（国务院令第492号，以下简称《条例》）",
                   good="《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）",
                   replaces="《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）"))),
    _rule("GK406", "superseded-format-notice", Severity.ERROR,
          ("引用了不适用于本年度的年度报告格式通知", "format notice that does not apply to the report year"),
          ("国办公开办函〔2019〕60号及其附件《格式（试行）》只适用于2019、2020年度报告，2021年度起由国办公开办函〔2021〕30号替代。"
           "报告年度取自标题（或统计期限）。",
           "国办公开办函〔2019〕60号 and its trial format apply to the 2019 and 2020 reports; from 2021 on 国办公开办函〔2021〕30号 replaces it. "
           "The report year comes from the title (or the statistics period)."),
          ("改为引用适用于本年度的格式通知。", "Cite the format notice that applies to the report year."),
          ("国办公开办函〔2021〕30号；引用文件登记表 applies_to_years", "国办公开办函〔2021〕30号; registry applies_to_years"),
          check_superseded,
          (Example(bad="《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）",
                   good=_INTRO_BASIS, replaces=_INTRO_BASIS),)),
    _rule("GK407", "nested-title-marks", Severity.WARNING,
          ("书名号内的书名号写法或位置有误", "wrong or misplaced title marks inside 《》"),
          ("书名号内再有书名时用单书名号“〈〉”；英文尖括号“<>”、全角“＜＞”或再套“《》”都不对，"
           "单书名号只括书名本身（“关于印发〈……办法〉的通知”，不是“关于〈印发……办法〉的通知”）。"
           "这是书写形式问题，不改变所引的是哪个文件，所以作为警告（可以安全地自动修正）。",
           "A title nested in 《》 takes 〈〉; ASCII <>, full-width ＜＞ or nested 《》 are wrong, and the inner marks enclose only the "
           "title (关于印发〈…办法〉的通知, not 关于〈印发…办法〉的通知). This is typography: it does not change which document is cited, "
           "hence a warning (with a safe fix)."),
          ("把“<”“>”改为“〈”“〉”，并把“印发”等动词移到单书名号外。", "Replace < > with 〈 〉 and move verbs such as 印发 outside."),
          (_SOURCE_GBT, "GB/T 15834-2011 Use of punctuation marks, 4.15 (title marks); the titles as issued"),
          check_title_marks,
          (Example(bad="《国务院办公厅关于<印发政府信息公开信息处理费管理办法>的通知》（国办函〔2020〕109号）", good=_FEE, replaces=_FEE),
           Example(bad="《国务院办公厅政府信息与政务公开办公室关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知》",
                   good="《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》",
                   replaces="《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"))),
    _rule("GK408", "unverified-national-citation", Severity.WARNING,
          ("未核实的国务院办公厅文号", "unverified 国务院办公厅 document number"),
          ("引用的国办发、国办函、国办公开办函等文号不在引用文件登记表中，无法核对标题和文号，请人工核实。",
           "A 国办发/国办函/国办公开办函 number not in the citation registry cannot be checked; verify it by hand."),
          ("核对原件的标题和文号；如文件确实存在，可在数据包中登记。", "Check the original; register the document in a data pack if it exists."),
          ("引用文件登记表（rules/citations.toml）", "the citation registry (rules/citations.toml)"),
          check_unverified,
          (Example(bad="认真贯彻落实《条例》、国办发〔2022〕99号文件和上级", good="认真贯彻落实《条例》、国办发〔2022〕8号文件和上级",
                   replaces="认真贯彻落实《条例》和上级"),)),
    _rule("GK409", "work-points-year", Severity.WARNING,
          ("引用的政务公开工作要点年份与报告年度不符", "cited 政务公开工作要点 of another year"),
          ("年度报告应落实本年度的《国务院办公厅关于印发××××年政务公开工作要点的通知》。只在登记表有本年度已核实的要点时检查"
           "（2023、2024年度的要点未核实，不检查）。",
           "A report implements the national 政务公开工作要点 of its own year. Checked only when the registry has a verified entry for "
           "the report year (2023 and 2024 are unverified and left unchecked)."),
          ("改为引用本年度的工作要点。", "Cite the work points of the report year."),
          ("国务院办公厅各年度政务公开工作要点的印发通知（gklint 自带的引用文件登记表已核实2019–2022年度）",
           "the State Council General Office's notices issuing each year's 政务公开工作要点 (gklint's registry has verified 2019-2022)"),
          check_work_points,
          (Example(bad="认真贯彻落实《国务院办公厅关于印发2021年政务公开工作要点的通知》和上级",
                   good="认真贯彻落实《国务院办公厅关于印发2022年政务公开工作要点的通知》和上级",
                   replaces="认真贯彻落实《条例》和上级"),)),
]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    registry(data)
    return ["citations", "citation_issuers", "citation_patterns"]
