"""GK6 cross-checks: the prose of a report against its tables, its title and itself.

* GK601 counts of applications in the prose (收到申请N件, 上年结转, 办结/答复, 结转下年度,
  予以公开 …) that contradict table 3;
* GK602 行政复议 / 行政诉讼 counts or "未发生行政复议、行政诉讼" that contradict table 4;
* GK603 "未收到政府信息公开申请" while table 3 shows applications;
* GK604 the report year of the title, the statistics period and the opening of 一、总体情况 disagree;
* GK605 the statistics period is not 1 January to 31 December of one year;
* GK607 the statistics period is stated but its dates cannot be read (damaged text);
* GK608 the report never states its statistics period;
* GK606 a "其中" list whose parts do not add up to the total before it.

The phrases are data (``rules/crosscheck.toml``, top-level key ``crosscheck``): patterns are
matched one sentence at a time against folded text (``gklint.normalize.fold``, which keeps
offsets), so spans point into the original.  Approximate numbers (200余条, 约10件, 近百件) are
never compared.  Layout-versus-year is GK301's business and is not repeated here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, cast

from gklint import hookimpl
from gklint.data import DataError, StandardData
from gklint.findings import Message, Problem, Related, Severity
from gklint.memo import latest
from gklint.model import Cell, CellKind, Document, Paragraph, Row, Span, Table, TableStatus
from gklint.normalize import fold
from gklint.rule import CheckContext, Example, Rule
from gklint.tables import MAX_DIGITS

__all__ = ["gklint_rules", "parse_count"]

_KEY = "crosscheck"

# -- numbers ------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMERALS = "零〇一二两三四五六七八九十百千万"


def parse_count(text: str) -> int | None:
    """The value of a count in Arabic or Chinese numerals (``12``, ``两``, ``二十三``, ``二〇二二``).

    ``None`` for anything else, and for a number out of range (more than ``MAX_DIGITS`` digits).
    """
    if len(text) > MAX_DIGITS:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS and ch != "万" for ch in text):
        return None
    if all(ch in _CN_DIGITS for ch in text):  # digit by digit: 二〇二二
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total = section = digit = 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + section + digit


# -- data -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reading:
    """Another plausible reading of a stated count: the sum of *rows*, called *name*."""

    rows: tuple[str, ...]
    name: Message


@dataclass(frozen=True, slots=True)
class T3Fact:
    fact: str
    name: Message
    rows: tuple[str, ...]
    also_rows: tuple[tuple[str, ...], ...]
    also_when: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    sentence_requires: tuple[str, ...]
    clause_excludes: tuple[str, ...]
    readings: tuple[Reading, ...] = ()  # other row sums the count may mean: a match is a warning
    # Speed only, same results: sentence_requires as one regex (None: no requirement), and
    # whether every pattern needs the count group, so a sentence without a numeral can't match,
    # and the count with its unit (a sentence without CrossData.count can't match).
    requires: re.Pattern[str] | None = None
    needs_count: bool = False
    needs_unit: bool = False
    excludes: re.Pattern[str] | None = None  # clause_excludes as one regex


@dataclass(frozen=True, slots=True)
class T4Fact:
    fact: str
    name: Message
    alternatives: tuple[tuple[tuple[str, str], ...], ...]
    patterns: tuple[re.Pattern[str], ...]
    keywords: tuple[str, ...]
    needs_unit: bool = False  # as T3Fact.needs_unit


@dataclass(frozen=True, slots=True)
class NoneStatement:
    rows: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class CrossData:
    """The validated ``crosscheck`` tables of all data files."""

    approx_before: tuple[str, ...]
    approx_after_unit: tuple[str, ...]
    negations: tuple[str, ...]
    other_year_words: tuple[str, ...]
    table3: tuple[T3Fact, ...]
    t4_sentence_requires: tuple[str, ...]
    t4_clause_excludes: tuple[str, ...]
    t4_ignore_phrases: tuple[str, ...]
    t4_negation_excludes: tuple[str, ...]
    table4: tuple[T4Fact, ...]
    none_clause_excludes: tuple[str, ...]
    none_statements: tuple[NoneStatement, ...]
    period_keywords: tuple[str, ...]
    overview_year_skip_after: tuple[str, ...]
    part_units: tuple[str, ...]
    part_openers: tuple[str, ...]
    part_partial_words: tuple[str, ...]
    part_end_words: tuple[str, ...]
    number: str  # regex of a bare count (Arabic or Chinese numerals)
    numeral: re.Pattern[str] = re.compile(r"\d")  # any character a count can be made of
    # Speed only, same results: pre-checks that the full checks imply (None: no pre-check).
    # `count` is a numeral right before a count unit, found wherever {N} matches (its last
    # numeral and its unit) under any flags a pattern sets, hence IGNORECASE.
    count: re.Pattern[str] = re.compile("")
    unit: re.Pattern[str] | None = None  # any count unit: quicker to look for than `count`, and implied by it
    other_year: re.Pattern[str] | None = None  # any of `other_year_words`
    negation: re.Pattern[str] | None = None  # any of `negations` (None if one holds a space: GK602 blanks phrases)
    none_starts: re.Pattern[str] | None = None  # a character every GK603 match starts with
    period_keyword: re.Pattern[str] | None = None  # any of `period_keywords`
    part_opener: re.Pattern[str] | None = None  # any of `part_openers`


class _Reader:
    """Typed access to one file's ``crosscheck`` table, raising :class:`DataError` on mistakes."""

    def __init__(self, path: str) -> None:
        self.path = path

    def error(self, key: str, zh: str, en: str) -> DataError:
        return DataError(Message(f"{self.path}: 键 {_KEY}.{key}：{zh}", f"{self.path}: key {_KEY}.{key}: {en}"))

    def table(self, raw: Any, key: str) -> Mapping[str, Any]:
        if not isinstance(raw, Mapping):
            raise self.error(key, "应为表", "expected a table")
        return raw

    def tables(self, raw: Any, key: str) -> list[Mapping[str, Any]]:
        if not isinstance(raw, list):
            raise self.error(key, "应为表的数组", "expected an array of tables")
        return [self.table(item, f"{key}[{i}]") for i, item in enumerate(raw)]

    def strs(self, raw: Mapping[str, Any], name: str, key: str, default: Sequence[str] | None = None) -> tuple[str, ...]:
        value = raw.get(name, default)
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v for v in value):
            raise self.error(f"{key}.{name}", "应为非空字符串列表", "expected a list of non-empty strings")
        return tuple(value)

    def string(self, raw: Mapping[str, Any], name: str, key: str) -> str:
        value = raw.get(name)
        if not isinstance(value, str) or not value:
            raise self.error(f"{key}.{name}", "应为非空字符串", "expected a non-empty string")
        return value

    def message(self, raw: Mapping[str, Any], name: str, key: str) -> Message:
        value = raw.get(name)
        if isinstance(value, Mapping) and isinstance(value.get("zh"), str) and isinstance(value.get("en"), str):
            return Message(value["zh"], value["en"])
        raise self.error(f"{key}.{name}", '应为 {zh = "…", en = "…"}', 'expected {zh = "...", en = "..."}')

    def patterns(self, raw: Mapping[str, Any], key: str, count: str | None) -> tuple[re.Pattern[str], ...]:
        out = []
        for i, pattern in enumerate(self.strs(raw, "patterns", key)):
            if count is not None and "{N}" not in pattern:
                raise self.error(f"{key}.patterns[{i}]", "缺少占位符 {N}", "lacks the {N} placeholder")
            try:
                out.append(re.compile(pattern.replace("{N}", count) if count is not None else pattern))
            except re.error as exc:
                raise self.error(f"{key}.patterns[{i}]", f"不是有效的正则表达式（{exc}）", f"not a valid regular expression ({exc})") from None
        return tuple(out)


def _count_regex(digits: str, units: Sequence[str]) -> str:
    return rf"(?P<n>\d+|[{re.escape(digits)}]+)(?P<u>{_alternatives(units)})"


def _alternatives(units: Sequence[str]) -> str:
    """The count units as regex alternatives, longest first."""
    return "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))


def _any_of(words: Sequence[str]) -> re.Pattern[str] | None:
    """``p.search(text)`` is true exactly when ``any(w in text for w in words)`` (None for no words)."""
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def _needs_group(pattern: re.Pattern[str], name: str) -> bool:
    """Whether group *name* takes part in every match of *pattern* (False when unsure)."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        return _mandatory(_parser.parse(pattern.pattern, pattern.flags).data, pattern.groupindex[name], _parser)
    except Exception:  # private parser changed, or no such group: don't skip anything
        return False


def _mandatory(items: Any, group: int, p: Any) -> bool:
    # Only plain sequences, groups and repeats of at least one are followed; branches,
    # optional repeats and look-arounds count as "maybe not", which is always safe.
    for op, av in items:
        if op is p.SUBPATTERN:
            if av[0] == group or _mandatory(av[3].data, group, p):
                return True
        elif op in (p.MAX_REPEAT, p.MIN_REPEAT, p.POSSESSIVE_REPEAT):
            if av[0] >= 1 and _mandatory(av[2].data, group, p):
                return True
        elif op is p.ATOMIC_GROUP and _mandatory(av.data, group, p):
            return True
    return False


def _needs_count_and_unit(pattern: re.Pattern[str]) -> bool:
    """Whether every match of *pattern* holds a match of the ``{N}`` count, numeral and unit.

    ``{N}`` puts the groups ``n`` and ``u`` side by side, and nothing can come between
    them; when both take part in every match, the numeral and the unit are next to
    each other in it.
    """
    return _needs_group(pattern, "n") and _needs_group(pattern, "u")


def _starts_gate(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str] | None:
    """A character class of every character a match of one of *patterns* can start with.

    A text without such a character holds no match.  None when some pattern's first
    characters are not known (see :func:`_first_chars`), or there are no patterns.
    """
    chars: set[str] = set()
    for pattern in patterns:
        first = _first_chars(pattern)
        if first is None:
            return None
        chars |= first
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]") if chars else None


def _first_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of *pattern* can start with; None when unsure.

    Unsure (None): the pattern can match the empty string, ignores case, or can start
    with a character class that is negated, a category (``\\d``) or a wide range, or
    with ``.`` or a back-reference.
    """
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        from re import _parser  # type: ignore[attr-defined]

        first, empty = _sequence_starts(_parser.parse(pattern.pattern, pattern.flags).data, _parser)
    except Exception:  # private parser changed: no pre-check
        return None
    return None if first is None or empty else frozenset(first)


def _sequence_starts(items: Any, p: Any) -> tuple[set[str] | None, bool]:
    """(possible first characters, whether the sequence can match empty); None: unknown."""
    chars: set[str] = set()
    for op, av in items:
        if op is p.LITERAL:
            chars.add(chr(av))
            return chars, False
        if op is p.IN:
            members = _class_chars(av, p)
            if members is None:
                return None, False
            return chars | members, False
        if op in (p.AT, p.ASSERT, p.ASSERT_NOT):
            continue  # zero-width: the first character comes from what follows
        if op is p.BRANCH:
            inner: list[tuple[set[str] | None, bool]] = [_sequence_starts(alt.data, p) for alt in av[1]]
            body_empty = any(e for _, e in inner)
            for first, _ in inner:
                if first is None:
                    return None, False
                chars |= first
        elif op is p.SUBPATTERN:
            if av[1] & re.IGNORECASE:
                return None, False
            first, body_empty = _sequence_starts(av[3].data, p)
            if first is None:
                return None, False
            chars |= first
        elif op is p.ATOMIC_GROUP:
            first, body_empty = _sequence_starts(av.data, p)
            if first is None:
                return None, False
            chars |= first
        elif op in (p.MAX_REPEAT, p.MIN_REPEAT, p.POSSESSIVE_REPEAT):
            first, body_empty = _sequence_starts(av[2].data, p)
            if first is None:
                return None, False
            chars |= first
            body_empty = body_empty or av[0] == 0
        else:  # ANY, NOT_LITERAL, GROUPREF, GROUPREF_EXISTS, ...
            return None, False
        if not body_empty:
            return chars, False
    return chars, True


def _class_chars(items: Any, p: Any) -> set[str] | None:
    """The members of a ``[...]`` class made only of literals and narrow ranges; else None."""
    members: set[str] = set()
    for op, av in items:
        if op is p.LITERAL:
            members.add(chr(av))
        elif op is p.RANGE and av[1] - av[0] < 256:
            members.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, a wide RANGE
            return None
    return members


def _cells(reader: _Reader, raw: Any, key: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list) or not raw:
        raise reader.error(key, "应为非空的“行|列”列表", 'expected a non-empty list of "row|column"')
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, str) or item.count("|") != 1:
            raise reader.error(f"{key}[{i}]", "应为“行|列”", 'expected "row|column"')
        row, column = item.split("|")
        out.append((row, column))
    return tuple(out)


def _load_file(path: str, raw: Any, into: dict[str, Any]) -> None:
    """Validate one file's ``crosscheck`` table and merge it into *into* (lists extend, settings replace)."""
    r = _Reader(path)
    top = r.table(raw, "")
    numbers = r.table(top.get("numbers", {}), "numbers")
    for name in ("approx_before", "approx_after_unit", "count_units", "negations", "other_year_words"):
        if name in numbers:
            into[name] = r.strs(numbers, name, "numbers")
    if "chinese_digits" in numbers:
        into["chinese_digits"] = r.string(numbers, "chinese_digits", "numbers")
    into.setdefault("t3_raw", []).extend((path, i, f) for i, f in enumerate(r.tables(top.get("table3", []), "table3")))
    t4 = r.table(top.get("table4", {}), "table4")
    for name in ("sentence_requires", "clause_excludes", "ignore_phrases", "negation_excludes"):
        if name in t4:
            into[f"t4_{name}"] = r.strs(t4, name, "table4")
    into.setdefault("t4_raw", []).extend((path, i, f) for i, f in enumerate(r.tables(t4.get("facts", []), "table4.facts")))
    none = r.table(top.get("none_received", {}), "none_received")
    if "clause_excludes" in none:
        into["none_clause_excludes"] = r.strs(none, "clause_excludes", "none_received")
    into.setdefault("none_raw", []).extend(
        (path, i, f) for i, f in enumerate(r.tables(none.get("statements", []), "none_received.statements"))
    )
    period = r.table(top.get("period", {}), "period")
    for name in ("keywords", "overview_year_skip_after"):
        if name in period:
            into[f"period_{name}"] = r.strs(period, name, "period")
    parts = r.table(top.get("parts", {}), "parts")
    for name in ("units", "openers", "partial_words", "end_words"):
        if name in parts:
            into[f"part_{name}"] = r.strs(parts, name, "parts")


def _build(data: StandardData) -> CrossData:
    merged: dict[str, Any] = {}
    for path, raw in data.items(_KEY):
        _load_file(path, raw, merged)
    digits = merged.get("chinese_digits", "零〇一二两三四五六七八九十百千万")
    units = merged.get("count_units", ("件",))
    count = _count_regex(digits, units)
    t3 = []
    for path, i, raw in merged.get("t3_raw", []):
        r, key = _Reader(path), f"table3[{i}]"
        also = raw.get("also_rows", [])
        if not isinstance(also, list) or not all(isinstance(a, list) and all(isinstance(x, str) for x in a) for a in also):
            raise r.error(f"{key}.also_rows", "应为行 id 列表的列表", "expected a list of lists of row ids")
        patterns = r.patterns(raw, key, count)
        requires = r.strs(raw, "sentence_requires", key, ())
        # read in this order so that a file with several mistakes reports the same one first
        fact, name, rows = r.string(raw, "fact", key), r.message(raw, "name", key), r.strs(raw, "rows", key)
        also_when, excludes = r.strs(raw, "also_when", key, ()), r.strs(raw, "clause_excludes", key, ())
        readings = tuple(Reading(r.strs(item, "rows", f"{key}.readings[{j}]"), r.message(item, "name", f"{key}.readings[{j}]"))
                         for j, item in enumerate(r.tables(raw.get("readings", []), f"{key}.readings")))
        t3.append(
            T3Fact(
                fact=fact, name=name, rows=rows,
                also_rows=tuple(tuple(a) for a in also), also_when=also_when,
                patterns=patterns, sentence_requires=requires,
                clause_excludes=excludes, readings=readings,
                requires=_any_of(requires), needs_count=all(_needs_group(p, "n") for p in patterns),
                needs_unit=all(_needs_count_and_unit(p) for p in patterns), excludes=_any_of(excludes),
            )
        )
    t4 = []
    for path, i, raw in merged.get("t4_raw", []):
        r, key = _Reader(path), f"table4.facts[{i}]"
        alternatives = raw.get("alternatives")
        if not isinstance(alternatives, list) or not alternatives:
            raise r.error(f"{key}.alternatives", "应为非空列表", "expected a non-empty list")
        # read in this order so that a file with several mistakes reports the same one first
        fact, name = r.string(raw, "fact", key), r.message(raw, "name", key)
        cells = tuple(_cells(r, a, f"{key}.alternatives[{j}]") for j, a in enumerate(alternatives))
        t4_patterns = r.patterns(raw, key, count)
        t4.append(
            T4Fact(
                fact=fact, name=name, alternatives=cells, patterns=t4_patterns, keywords=r.strs(raw, "keywords", key),
                needs_unit=all(_needs_count_and_unit(p) for p in t4_patterns),
            )
        )
    nones = []
    for path, i, raw in merged.get("none_raw", []):
        r, key = _Reader(path), f"none_received.statements[{i}]"
        nones.append(NoneStatement(rows=r.strs(raw, "rows", key), patterns=r.patterns(raw, key, None)))
    _check_ids(data, t3, t4, nones)
    negations = merged.get("negations", ())
    openers = merged.get("part_openers", ("其中",))
    return CrossData(
        approx_before=merged.get("approx_before", ()), approx_after_unit=merged.get("approx_after_unit", ()),
        negations=negations, other_year_words=merged.get("other_year_words", ()),
        table3=tuple(t3),
        t4_sentence_requires=merged.get("t4_sentence_requires", ()), t4_clause_excludes=merged.get("t4_clause_excludes", ()),
        t4_ignore_phrases=merged.get("t4_ignore_phrases", ()), t4_negation_excludes=merged.get("t4_negation_excludes", ()),
        table4=tuple(t4), none_clause_excludes=merged.get("none_clause_excludes", ()), none_statements=tuple(nones),
        period_keywords=merged.get("period_keywords", ()), overview_year_skip_after=merged.get("period_overview_year_skip_after", ()),
        part_units=merged.get("part_units", ("条", "件")), part_openers=openers,
        part_partial_words=merged.get("part_partial_words", ()), part_end_words=merged.get("part_end_words", ()),
        number=rf"\d+|[{re.escape(digits)}]+",
        # IGNORECASE: a superset of what the count group matches under any flags a pattern sets
        numeral=re.compile(rf"[\d{re.escape(digits)}]", re.IGNORECASE),
        count=re.compile(rf"[\d{re.escape(digits)}](?:{_alternatives(units)})", re.IGNORECASE),
        unit=re.compile("|".join(re.escape(u) for u in units), re.IGNORECASE) if units else None,
        negation=None if any(" " in w for w in negations) else _any_of(negations),
        other_year=_any_of(merged.get("other_year_words", ())),
        none_starts=_starts_gate([p for n in nones for p in n.patterns]),
        period_keyword=_any_of(merged.get("period_keywords", ())),
        part_opener=_any_of(openers),
    )


def _check_ids(data: StandardData, t3: Sequence[T3Fact], t4: Sequence[T4Fact], nones: Sequence[NoneStatement]) -> None:
    """Every row and column named in the data exists in some layout's table 3 / table 4."""
    known: dict[str, set[str]] = {"table3": set(), "table4": set()}
    for layout in data.layouts.values():
        for tid in known:
            table = layout.tables.get(tid)
            if table is not None:
                known[tid].update(r.id for r in table.rows)
                known[tid].update(c.id for c in table.columns)
    names = [row for f in t3 for row in (*f.rows, *(x for alt in f.also_rows for x in alt), *(x for r in f.readings for x in r.rows))]
    names += [row for n in nones for row in n.rows]
    for name in names:
        if name not in known["table3"]:
            raise DataError(Message(f"{_KEY}: 表3没有 id 为“{name}”的行", f"{_KEY}: table 3 has no row with id {name!r}"))
    for fact in t4:
        for row, column in (cell for alt in fact.alternatives for cell in alt):
            if row not in known["table4"] or column not in known["table4"]:
                raise DataError(Message(f"{_KEY}.table4.facts（{fact.fact}）：表4没有“{row}|{column}”",
                                        f"{_KEY}.table4.facts ({fact.fact}): table 4 has no cell {row}|{column}"))




def cross_data(data: StandardData) -> CrossData:
    """The parsed ``crosscheck`` data, once per :class:`StandardData` object."""
    return data.derived("crosscheck", _build)


# -- sentences ------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^。!?\n]+[。!?]?")
_CLAUSE_SEP = re.compile(r"[,;:]")
_YEAR_IN_TEXT = re.compile(r"(\d{4})\s*年")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a paragraph: ``text`` is folded (same length as the original)."""

    text: str
    start: int  # offset of text[0] in Document.text
    paragraph: Paragraph

    def span(self, start: int, end: int) -> Span:
        return Span(self.start + start, self.start + end)

    def clause_bounds(self, at: int) -> tuple[int, int]:
        """``[start, end)`` of the comma/semicolon clause holding offset *at*."""
        start = 0
        for sep in _CLAUSE_SEP.finditer(self.text, 0, at):
            start = sep.end()
        m = _CLAUSE_SEP.search(self.text, at)
        return start, (m.start() if m else len(self.text))


def sentences(doc: Document) -> Iterator[Sentence]:
    """Every sentence of the prose (paragraphs outside the tables), folded."""
    return iter(_screen(doc).having())


def _split(para: Paragraph, folded: str) -> list[Sentence]:
    """The sentences of *para* (*folded* is its folded text)."""
    base = para.span.start
    return [Sentence(text, base + m.start(), para) for m in _SENTENCE.finditer(folded) if (text := m.group()).strip()]


#: A pre-check for :meth:`_Screen.having`: a pattern, or a pair (a quick pattern that matches
#: inside every match of the second, the pattern).
_Gate = re.Pattern[str] | tuple[re.Pattern[str], re.Pattern[str]]


class _Screen:
    """The sentences of one document, and those that hold a match of a pre-check pattern (a *gate*).

    Rules look for their phrases in few sentences.  The folded paragraphs are joined,
    and each gate runs once over the whole to find the paragraphs worth a look; only
    those are split into sentences (each once) and searched sentence by sentence.  A
    gate must match no empty string and have no look-arounds, anchors or
    back-references.  Then, whatever it matches in a sentence on its own, the last
    match over the joined text that starts at or before that place covers it, so
    the paragraph of every sentence with a match is looked at.
    """

    def __init__(self, doc: Document) -> None:
        self._paragraphs = doc.paragraphs
        self._folded = [fold(p.text) for p in doc.paragraphs]
        self._starts = list(accumulate((len(f) + 1 for f in self._folded[:-1]), initial=0))
        self._joined = "\n".join(self._folded)
        self._split: dict[int, list[Sentence]] = {}
        self._found: dict[_Gate, list[tuple[int, int]]] = {}

    def having(self, *gates: _Gate | None) -> list[Sentence]:
        """The sentences, in order, where one of *gates* matches (all of them if a gate is None or none is given).

        A pair (quick, pattern) keeps the sentences where pattern matches, looking for
        quick first: for a pattern that is slow to look for (``CrossData.count``).
        """
        if not gates or None in gates:
            return [s for k in range(len(self._folded)) for s in self._sentences_of(k)]
        keys = self._keys(cast("_Gate", gates[0]))
        if len(gates) > 1:
            keys = sorted(set(keys).union(*(self._keys(cast("_Gate", g)) for g in gates[1:])))
        return [self._sentences_of(k)[j] for k, j in keys]

    def _keys(self, gate: _Gate) -> list[tuple[int, int]]:
        """(paragraph, sentence) indices of the sentences where *gate* matches, in order."""
        found = self._found.get(gate)
        if found is None:
            quick, pattern = gate if isinstance(gate, tuple) else (gate, gate)
            found = self._found[gate] = [
                (k, j) for k in self._paragraphs_with(quick) if pattern is quick or pattern.search(self._folded[k])
                for j, s in enumerate(self._sentences_of(k)) if pattern.search(s.text)
            ]
        return found

    def _paragraphs_with(self, gate: re.Pattern[str]) -> list[int]:
        """Indices of the paragraphs overlapping a match of *gate* in the joined text, in order.

        After a match the search goes on from the next paragraph: every place *gate*
        matches at is still covered by a match found or in a paragraph found.
        """
        found: list[int] = []
        pos, starts, joined = 0, self._starts, self._joined
        while (m := gate.search(joined, pos)) is not None:
            first, last = bisect_right(starts, m.start()) - 1, bisect_right(starts, max(m.end() - 1, m.start())) - 1
            found.extend(range(first, last + 1))
            if last + 1 == len(starts):
                break
            pos = starts[last + 1]
        return found

    def _sentences_of(self, k: int) -> list[Sentence]:
        split = self._split.get(k)
        if split is None:
            split = self._split[k] = _split(self._paragraphs[k], self._folded[k])
        return split


class _PerDocument:
    """What the rules of this family work out once per document and share.

    Each rule asks for it (:func:`_per_document`) before anything else, so that the
    memo holds the latest document only, never an older one.
    """

    def __init__(self, doc: Document) -> None:
        self.screen = _Screen(doc)  # every sentence object comes from it: rules may compare them by identity
        self.t3_sums: dict[tuple[str, ...], tuple[StandardData, tuple[Sum, int | None] | None]] = {}
        self.t4_sums: dict[tuple[tuple[str, str], ...], Sum | None] = {}


@latest
def _per_document(doc: Document) -> list[_PerDocument]:
    """The :class:`_PerDocument` of *doc* (a one-item list: what :func:`latest` keeps)."""
    return [_PerDocument(doc)]


def _screen(doc: Document) -> _Screen:
    return _per_document(doc)[0].screen


def _report_year(doc: Document) -> int | None:
    return doc.metadata.year_from_title or doc.metadata.year_from_period


def _about_other_year(s: Sentence, at: int, year: int | None, cfg: CrossData) -> bool:
    """Whether the text before *at* says the statement is about another year than *year*."""
    clause_start, _ = s.clause_bounds(at)
    if cfg.other_year is not None and cfg.other_year.search(s.text, clause_start, at):
        return True
    years = _YEAR_IN_TEXT.findall(s.text, 0, at)
    return bool(year and years and int(years[-1]) != year)


def _approximate(s: Sentence, m: re.Match[str], cfg: CrossData) -> bool:
    """Whether the count of *m* is approximate: a number or approx_before word before it, a word after its unit."""
    text, n = s.text, m.start("n")
    if text[n - 1 : n].isdigit() or text.endswith(".", 0, n):  # text[n - 1 : n] is "" when n == 0
        return True
    return text.endswith(tuple(cfg.approx_before), 0, n) or text.startswith(tuple(cfg.approx_after_unit), m.end())


def _negated(prefix: str, cfg: CrossData) -> bool:
    return prefix.rstrip().endswith(tuple(cfg.negations))


# -- table values -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sum:
    """A sum of table cells: its value, the cells and a label for messages."""

    value: int
    cells: tuple[Cell, ...]
    label: Message


_UNSUMMABLE = frozenset((CellKind.MISSING, CellKind.INVALID, CellKind.DECIMAL))
_BLANK = CellKind.BLANK


def _usable(cells: Sequence[Cell | None]) -> list[Cell] | None:
    """The cells if they can be summed: none missing or invalid, not all blank, integers only."""
    found: list[Cell] = []
    blank = True
    for c in cells:
        if c is None or c.kind in _UNSUMMABLE:
            return None
        blank = blank and c.kind is _BLANK
        found.append(c)
    return None if blank else found


def _t3_rows(doc: Document, data: StandardData, row_id: str) -> list[str] | None:
    """The data rows a table 3 row id stands for (a group row stands for its sub-rows)."""
    table = doc.table("table3")
    if table is None or table.layout not in data.layouts:
        return None
    spec = data.layouts[table.layout].tables["table3"]
    row = spec.row(row_id)
    if row is None:
        return None
    if not row.group_only:
        return [row.id]
    return [r.id for r in spec.data_rows() if r.group == row.id]


def _row_label(table: Table, row_id: str, data: StandardData, row: Row | None) -> str:
    """The label of the row *row_id* (*row* is ``table.row(row_id)``), from the template if the table lacks it."""
    if row is not None:
        return row.label
    spec = data.layouts[table.layout].tables[table.id] if table.layout in data.layouts else None
    found = spec.row(row_id) if spec else None
    return found.label if found else row_id


def _t3_sums(doc: Document, data: StandardData, row_ids: Sequence[str]) -> tuple[Sum, int | None] | None:
    """The 总计 sum of table 3 rows, and the same rows summed over the six applicant columns.

    Computed once per document and rows: statements of several rules compare with the same rows.
    """
    known = _per_document(doc)[0].t3_sums
    key = tuple(row_ids)
    found = known.get(key)
    if found is None or found[0] is not data:
        found = known[key] = (data, _compute_t3_sums(doc, data, key))
    return found[1]


def _compute_t3_sums(doc: Document, data: StandardData, row_ids: Sequence[str]) -> tuple[Sum, int | None] | None:
    table = doc.table("table3")
    if table is None or table.status is not TableStatus.FOUND:
        return None
    rows: list[str] = []
    for rid in row_ids:
        expanded = _t3_rows(doc, data, rid)
        if expanded is None:
            return None
        rows.extend(expanded)
    found = {r: table.row(r) for r in dict.fromkeys((*rows, *row_ids))}  # each row looked up once
    totals = _usable([_cell_of(found[r], "total") for r in rows])
    if totals is None:
        return None
    value = int(sum(c.number for c in totals))
    applicant: list[Cell | None] = []
    for r in rows:
        row = found[r]
        applicant.extend(c for c in (row.cells if row else []) if c.column_id != "total")
    usable = _usable(applicant)
    by_columns = int(sum(c.number for c in usable)) if usable else None
    labels = "”“".join(_row_label(table, r, data, found[r]) for r in row_ids)
    if len(row_ids) == 1 and rows == list(row_ids):
        label = Message(f"表3“{labels}”行“总计”列为{value}", f"table 3 row “{labels}”, column 总计, is {value}")
    else:
        label = Message(f"表3“{labels}”各行“总计”列之和为{value}", f"table 3 rows “{labels}” sum to {value} in column 总计")
    return Sum(value, tuple(totals), label), by_columns


def _cell_of(row: Row | None, column: str) -> Cell | None:
    """The cell of *row* in *column* (id or canonical label), as :meth:`Table.cell` finds it."""
    if row is None:
        return None
    return next((c for c in row.cells if column in (c.column_id, c.column_label)), None)


def _cell_related(cells: Iterable[Cell], table_name: str = "表3") -> tuple[Related, ...]:
    out = []
    for c in cells:
        out.append(Related(c.span, Message(f"{table_name}“{c.row_label}”行“{c.column_label}”列：{c.text or '空'}",
                                           f"{'table 3' if table_name == '表3' else 'table 4'} row “{c.row_label}”, column “{c.column_label}”: {c.text or 'blank'}")))
    return tuple(out)


def _t4_sum(doc: Document, cells: Sequence[tuple[str, str]]) -> Sum | None:
    """The sum of table 4 *cells* (None if one is unusable); computed once per document and cells."""
    known = _per_document(doc)[0].t4_sums
    key = tuple(cells)
    if key not in known:
        known[key] = _compute_t4_sum(doc, key)
    return known[key]


def _compute_t4_sum(doc: Document, cells: Sequence[tuple[str, str]]) -> Sum | None:
    table = doc.table("table4")
    if table is None or table.status is not TableStatus.FOUND:
        return None
    found = _usable([table.cell(r, c) for r, c in cells])
    if found is None:
        return None
    value = int(sum(c.number for c in found))
    labels = "、".join(f"“{c.column_label}”" for c in found)
    return Sum(value, tuple(found), Message(f"表4 {labels} 合计为{value}", f"table 4 {labels} total {value}"))


# -- GK601 ----------------------------------------------------------------------------------------


def _check_table3_counts(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Counts of applications and results in the prose that contradict table 3."""
    screen = _screen(doc)
    cfg = cross_data(context.data)
    year = _report_year(doc)
    # without a count (numeral and unit) the {N} of the patterns can't match, so facts whose
    # patterns all need it can't either; most sentences have none
    unit = cfg.unit if all(fact.needs_unit for fact in cfg.table3) else None
    for s in screen.having((unit, cfg.count) if unit is not None else None):
        counts = unit is not None or cfg.count.search(s.text) is not None
        taken: set[int] = set()
        numeral = cfg.numeral.search(s.text) is not None
        for fact in cfg.table3:
            if (fact.needs_count and not numeral) or (fact.needs_unit and not counts):
                continue
            if fact.requires is not None and fact.requires.search(s.text) is None:
                continue
            for pattern in fact.patterns:
                for m in pattern.finditer(s.text):
                    if m.start("n") in taken:
                        continue
                    taken.add(m.start("n"))
                    problem = _t3_statement(doc, context.data, cfg, s, m, fact, year)
                    if problem is not None:
                        yield problem


def _t3_statement(
    doc: Document, data: StandardData, cfg: CrossData, s: Sentence, m: re.Match[str], fact: T3Fact, year: int | None
) -> Problem | None:
    clause_start, clause_end = s.clause_bounds(m.start())
    prefix = s.text[clause_start : m.start()]
    if _negated(prefix, cfg) or (fact.excludes is not None and fact.excludes.search(prefix)):
        return None
    if _approximate(s, m, cfg) or _about_other_year(s, m.start(), year, cfg):
        return None
    stated = parse_count(m.group("n"))
    sums = _t3_sums(doc, data, fact.rows)
    if stated is None or sums is None:
        return None
    expected, by_columns = sums
    accepted = {expected.value, by_columns}
    if any(w in s.text[clause_start:clause_end] for w in fact.also_when):
        for rows in fact.also_rows:
            other = _t3_sums(doc, data, rows)
            if other is not None:
                accepted.add(other[0].value)
    if stated in accepted:
        return None
    said = doc.text[s.start + m.start() : s.start + m.end()]
    for reading in fact.readings:
        other = _t3_sums(doc, data, reading.rows)
        if other is not None and other[0].value == stated:
            return _two_readings(s, m, fact, said, stated, expected, reading, other[0])
    return Problem(
        s.span(m.start("n"), m.end()),
        Message(
            f"正文“{said}”与表3不一致：{fact.name.zh}写为{stated}，{expected.label.zh}（相差{abs(stated - expected.value)}）",
            f"the prose “{said}” contradicts table 3: {fact.name.en} given as {stated}, but {expected.label.en} "
            f"(difference {abs(stated - expected.value)})",
        ),
        related=_cell_related(expected.cells),
        key=("table3", fact.fact, str(stated)),
    )


def _two_readings(s: Sentence, m: re.Match[str], fact: T3Fact, said: str, stated: int, expected: Sum,
                  reading: Reading, other: Sum) -> Problem:
    """A warning: *stated* is not the fact's row but equals another plausible sum (收到申请75件 = 新收 74 + 结转 1)."""
    diff = abs(stated - expected.value)
    return Problem(
        s.span(m.start("n"), m.end()),
        Message(
            f"正文“{said}”可能与表3不一致：若指{fact.name.zh}，{expected.label.zh}（相差{diff}）；"
            f"若指{reading.name.zh}，{other.label.zh}，与正文相符。请核实正文所指，并写明口径",
            f"the prose “{said}” may contradict table 3: as {fact.name.en}, {expected.label.en} (difference {diff}); "
            f"as {reading.name.en}, {other.label.en}, which agrees. Check what the prose means and say so",
        ),
        related=_cell_related([*expected.cells, *(c for c in other.cells if all(c is not e for e in expected.cells))]),
        key=("table3", fact.fact, str(stated)),
        severity=Severity.WARNING,
    )


# -- GK602 ----------------------------------------------------------------------------------------


def _t4_relevant(s: Sentence, cfg: CrossData) -> bool:
    return s.paragraph.section == "appeals" or any(w in s.text for w in cfg.t4_sentence_requires)


def _check_table4(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """行政复议 / 行政诉讼 counts and "none" statements in the prose that contradict table 4."""
    screen = _screen(doc)
    cfg = cross_data(context.data)
    year = _report_year(doc)
    table = doc.table("table4")
    if table is None or table.status is not TableStatus.FOUND:
        return
    # a statement needs a count (see T3Fact.needs_unit) or a negation; most sentences have neither
    with_count: set[int] | None = None  # id() of the sentences with a count, if known
    unit = cfg.unit if all(fact.needs_unit for fact in cfg.table4) else None
    if unit is not None:
        with_count = {id(s) for s in screen.having((unit, cfg.count))}
    for s in screen.having((unit, cfg.count) if unit is not None else None, cfg.negation):
        if not _t4_relevant(s, cfg):
            continue
        counts = id(s) in with_count if with_count is not None else cfg.count.search(s.text) is not None
        negated = cfg.negation is None or cfg.negation.search(s.text) is not None
        counted: set[tuple[int, str]] = set()  # (clause start, fact) stated with a number
        for fact in cfg.table4:
            if fact.needs_unit and not counts:
                continue
            for pattern in fact.patterns:
                for m in pattern.finditer(s.text):
                    counted.add((s.clause_bounds(m.start())[0], fact.fact))
                    problem = _t4_count(doc, cfg, s, m, fact, year)
                    if problem is not None:
                        yield problem
        if negated:  # else no clause has a negation: _t4_negations finds nothing
            yield from _t4_negations(doc, cfg, s, year, counted)


def _t4_count(doc: Document, cfg: CrossData, s: Sentence, m: re.Match[str], fact: T4Fact, year: int | None) -> Problem | None:
    clause_start, _ = s.clause_bounds(m.start())
    prefix = s.text[clause_start : m.start()]
    if _negated(prefix, cfg) or any(w in prefix for w in cfg.t4_clause_excludes):
        return None
    if _approximate(s, m, cfg) or _about_other_year(s, m.start(), year, cfg):
        return None
    stated = parse_count(m.group("n"))
    sums = [_t4_sum(doc, alt) for alt in fact.alternatives]
    if stated is None or sums[0] is None or any(x is not None and x.value == stated for x in sums):
        return None
    expected = sums[0]
    said = doc.text[s.start + m.start() : s.start + m.end()]
    return Problem(
        s.span(m.start("n"), m.end()),
        Message(
            f"正文“{said}”与表4不一致：{fact.name.zh}写为{stated}，{expected.label.zh}（相差{abs(stated - expected.value)}）",
            f"the prose “{said}” contradicts table 4: {fact.name.en} given as {stated}, but {expected.label.en} "
            f"(difference {abs(stated - expected.value)})",
        ),
        related=_cell_related(expected.cells, "表4"),
        key=("table4", fact.fact, str(stated)),
    )


def _blank(text: str, phrases: Iterable[str]) -> str:
    for phrase in phrases:
        text = text.replace(phrase, " " * len(phrase))
    return text


def _t4_negations(doc: Document, cfg: CrossData, s: Sentence, year: int | None, counted: set[tuple[int, str]]) -> Iterator[Problem]:
    start = 0
    for sep in [*_CLAUSE_SEP.finditer(s.text), None]:
        end = sep.start() if sep else len(s.text)
        clause = _blank(s.text[start:end], cfg.t4_ignore_phrases)
        clause_start, start = start, (sep.end() if sep else end)
        hits = [clause.find(w) for w in cfg.negations if w in clause]
        if not hits or any(w in clause for w in cfg.t4_negation_excludes):
            continue
        neg = min(hits)
        if _about_other_year(s, clause_start + neg, year, cfg):
            continue
        for fact in cfg.table4:
            where = [(clause.find(k, neg), k) for k in fact.keywords if clause.find(k, neg) > neg]
            if not where or (clause_start, fact.fact) in counted:
                continue
            sums = [_t4_sum(doc, alt) for alt in fact.alternatives]
            expected = sums[0]
            if expected is None or any(x is not None and x.value == 0 for x in sums):
                continue
            at, keyword = min(where)
            said = doc.text[s.start + clause_start + neg : s.start + clause_start + at + len(keyword)]
            yield Problem(
                s.span(clause_start + neg, clause_start + at + len(keyword)),
                Message(f"正文“{said}”称没有{fact.name.zh}，但{expected.label.zh}",
                        f"the prose “{said}” says there was no {fact.name.en}, but {expected.label.en}"),
                related=_cell_related(expected.cells, "表4"),
                key=("table4", fact.fact, "none"),
            )


# -- GK603 ----------------------------------------------------------------------------------------


def _check_none_received(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """"未收到申请" while table 3 shows applications."""
    cfg = cross_data(context.data)
    year = _report_year(doc)
    for s in _screen(doc).having(cfg.none_starts):  # a character a statement can start with
        seen: list[tuple[int, int]] = []  # a place matched by an earlier statement is not matched again
        for statement in cfg.none_statements:
            for pattern in statement.patterns:
                for m in pattern.finditer(s.text):
                    if any(start < m.end() and m.start() < end for start, end in seen):
                        continue
                    seen.append((m.start(), m.end()))
                    problem = _none_statement(doc, context.data, cfg, s, m, statement, year)
                    if problem is not None:
                        yield problem


def _none_statement(
    doc: Document, data: StandardData, cfg: CrossData, s: Sentence, m: re.Match[str], statement: NoneStatement, year: int | None
) -> Problem | None:
    clause_start, clause_end = s.clause_bounds(m.start())
    if any(w in s.text[clause_start:clause_end] for w in cfg.none_clause_excludes):
        return None
    if _about_other_year(s, m.start(), year, cfg):
        return None
    nonzero: list[Sum] = []
    for row in statement.rows:
        sums = _t3_sums(doc, data, [row])
        if sums is not None and sums[0].value != 0:
            nonzero.append(sums[0])
    if not nonzero:
        return None
    said = doc.text[s.start + m.start() : s.start + m.end()]
    return Problem(
        s.span(m.start(), m.end()),
        Message(f"正文称“{said}”，但" + "，".join(x.label.zh for x in nonzero),
                f"the prose says “{said}”, but " + "; ".join(x.label.en for x in nonzero)),
        related=tuple(r for x in nonzero for r in _cell_related(x.cells)),
        key=("table3", "none_received", *statement.rows),
    )


# -- period and year (GK604, GK605, GK607, GK608) -----------------------------------------------

_Y = r"\d{4}|[〇零一二三四五六七八九]{4}"
_MD = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_DATE_FULL = rf"(?P<y1>{_Y})\s*年\s*(?P<m1>{_MD})\s*月\s*(?P<d1>{_MD})\s*日"
_PERIOD_RE = re.compile(
    _DATE_FULL + r"[^\d。\n]{0,10}?(?:至|到|-|~|～)[^\d。\n]{0,4}?"
    rf"(?:(?P<y2>{_Y})\s*年\s*)?(?P<m2>{_MD})\s*月\s*(?P<d2>{_MD})\s*日"
)
_HAS_NUMBER = re.compile(r"\d|[〇零一二三四五六七八九十]\s*[年月日]")
_OVERVIEW_YEAR = re.compile(r"(?:\s|\[(?:bookmark|image)[^\]\n]*\])*(\d{4})\s*年(?:度)?")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True)
class Period:
    """A statistics period read from the prose."""

    text: str
    span: Span
    start: tuple[int, int, int]
    end: tuple[int, int, int]
    year_span: Span  # the year of the first date


@dataclass(frozen=True, slots=True)
class PeriodStatement:
    """A sentence stating the statistics period, parsed or not."""

    sentence: Sentence
    keyword_at: int  # offset of the keyword in the sentence
    period: Period | None


@latest
def _period_statements(doc: Document, cfg: CrossData) -> list[PeriodStatement]:
    out = []
    for s in _screen(doc).having(cfg.period_keyword):
        hits = [s.text.find(k) for k in cfg.period_keywords if k in s.text]
        if not hits:
            continue
        at = min(hits)
        if not _HAS_NUMBER.search(s.text, at):
            continue
        m = _PERIOD_RE.search(s.text)
        period = None
        if m:
            y1, m1, d1, m2, d2 = (parse_count(m.group(g)) for g in ("y1", "m1", "d1", "m2", "d2"))
            y2 = parse_count(m.group("y2")) if m.group("y2") else y1
            if None not in (y1, m1, d1, y2, m2, d2):
                period = Period(doc.text[s.start + m.start() : s.start + m.end()], s.span(m.start(), m.end()),
                                (y1, m1, d1), (y2, m2, d2), s.span(m.start("y1"), m.end("y1")))  # type: ignore[arg-type]
        out.append(PeriodStatement(s, at, period))
    return out


def _period(doc: Document, cfg: CrossData) -> Period | None:
    for statement in _period_statements(doc, cfg):
        if statement.period is not None:
            return statement.period
    return None


def _date(d: tuple[int, int, int]) -> str:
    return f"{d[0]}年{d[1]}月{d[2]}日"


def _check_period_range(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """The statistics period must be 1 January to 31 December of one year."""
    period = _period(doc, cross_data(context.data))
    if period is None:
        return
    (y1, m1, d1), (y2, m2, d2) = period.start, period.end
    if (m1, d1) == (1, 1) and (m2, d2) == (12, 31) and y1 == y2:
        return
    year = doc.metadata.year_from_title if doc.metadata.year_from_title in (y1, y2) else y1
    problems = []
    if not (1 <= m1 <= 12 and 1 <= d1 <= _DAYS[m1 - 1]) or not (1 <= m2 <= 12 and 1 <= d2 <= _DAYS[m2 - 1]):
        problems.append(("日期不存在", "a date does not exist"))
    if y1 != y2:
        problems.append(("跨越两个年度", "spans two years"))
    if (m1, d1) != (1, 1):
        problems.append(("未从1月1日开始", "does not start on 1 January"))
    if (m2, d2) != (12, 31):
        problems.append(("未到12月31日结束", "does not end on 31 December"))
    yield Problem(
        period.span,
        Message(
            f"统计期限为{_date(period.start)}至{_date(period.end)}，{'、'.join(p[0] for p in problems)}；应为{year}年1月1日至{year}年12月31日",
            f"the statistics period {_date(period.start)} to {_date(period.end)} {', '.join(p[1] for p in problems)}; "
            f"expected {year}-01-01 to {year}-12-31",
        ),
        key=("period", _date(period.start), _date(period.end)),
    )


def _check_period_unreadable(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """A statistics period is stated but its dates cannot be read."""
    statements = _period_statements(doc, cross_data(context.data))
    if not statements or any(st.period is not None for st in statements):
        return
    st = statements[0]
    end = len(st.sentence.text.rstrip("。!? \t"))
    said = doc.text[st.sentence.start + st.keyword_at : st.sentence.start + end]
    yield Problem(
        st.sentence.span(st.keyword_at, end),
        Message(f"无法从“{said}”读出统计期限的起止日期（日期可能缺少“年”“月”，或在转换中损坏）；应写明“YYYY年1月1日至YYYY年12月31日”",
                f"cannot read the dates of the statistics period in “{said}” (年/月 missing or damaged); "
                "write it as YYYY年1月1日至YYYY年12月31日"),
        key=("period", "unreadable"),
    )


def _check_period_missing(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """The report never states its statistics period."""
    if _period_statements(doc, cross_data(context.data)):
        return
    yield Problem(
        doc.metadata.title_span,
        Message("报告未写明数据统计期限（如“本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止”）",
                "the report does not state its statistics period (e.g. 统计期限自2022年1月1日起至2022年12月31日止)"),
        key=("period", "missing"),
    )


def _title_year_span(doc: Document) -> Span | None:
    span = doc.metadata.title_span
    if span is None:
        return None
    m = _YEAR_IN_TEXT.search(doc.text, span.start, span.end)
    return Span(m.start(1), m.end(1)) if m else span


def _overview_year(doc: Document, cfg: CrossData) -> tuple[int, Span] | None:
    """The year opening 一、总体情况 (``2022年，…``), looked for before its first sub-heading."""
    section = doc.section("overview")
    if section is None:
        return None
    first_heading = section.headings[0].span.start if section.headings else section.body_span.end
    for para in section.paragraphs:
        if para.span.start >= first_heading:
            break
        folded = fold(para.text)
        m = _OVERVIEW_YEAR.match(folded)
        if m is None:
            continue
        if folded.startswith(tuple(cfg.overview_year_skip_after), m.end()):
            return None
        return int(m.group(1)), Span(para.span.start + m.start(1), para.span.start + m.end(1))
    return None


def _check_years(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Title year, statistics period and the year opening 一、总体情况 must agree."""
    cfg = cross_data(context.data)
    title_year = doc.metadata.year_from_title
    title_span = _title_year_span(doc)
    period = _period(doc, cfg)
    period_years = {period.start[0], period.end[0]} if period else set()
    if title_year and period and title_year not in period_years:
        yield Problem(
            period.year_span,
            Message(f"标题中的报告年度为{title_year}年，但统计期限为{_date(period.start)}至{_date(period.end)}",
                    f"the title names the year {title_year}, but the statistics period is {_date(period.start)} to {_date(period.end)}"),
            related=(Related(title_span, Message(f"标题：{doc.metadata.title}", f"title: {doc.metadata.title}")),),
            key=("year", "period", str(title_year), str(period.start[0])),
        )
    overview = _overview_year(doc, cfg)
    if overview is None:
        return
    year, span = overview
    known: list[tuple[int, Span | None, Message]] = []
    if title_year:
        known.append((title_year, title_span, Message(f"标题中的报告年度为{title_year}年", f"the title names {title_year}")))
    if period and period.start[0] == period.end[0]:
        known.append((period.start[0], period.year_span,
                      Message(f"统计期限为{period.start[0]}年", f"the statistics period is {period.start[0]}")))
    if not known or any(year == k[0] for k in known):
        return
    yield Problem(
        span,
        Message(f"“一、总体情况”开头写的是{year}年，但" + "，".join(k[2].zh for k in known),
                f"“一、总体情况” opens with the year {year}, but " + "; ".join(k[2].en for k in known)),
        related=tuple(Related(k[1], k[2]) for k in known),
        key=("year", "overview", str(year), str(known[0][0])),
    )


# -- GK606 ----------------------------------------------------------------------------------------

_PERCENT = re.compile(r"^[^%]*\d+(?:\.\d+)?\s*%\)?$")
_PART_SEP = re.compile(r"[,;。!?]")  # ends the clause holding a total
_PART_LEAD = re.compile(r"[\s,:]*")  # between 其中 and the first part
_PART_CLAUSE = re.compile(r"[^,;、。!?]+")  # one part (no brackets: see _part_clauses)
_PART_SEPARATORS = frozenset(",;、。!?")
_IN_BRACKETS = frozenset(",;、")  # separators that do not end a part inside brackets


@dataclass(frozen=True, slots=True)
class PartList:
    total: int
    unit: str
    total_span: tuple[int, int]  # in the sentence
    parts: tuple[tuple[int, int, int], ...]  # (value, start of the label, end of the unit) in the sentence


@dataclass(frozen=True, slots=True)
class _PartRegexes:
    total: re.Pattern[str]
    part: re.Pattern[str]
    numeric: re.Pattern[str]  # any count in a part unit, approximate ones included (200余条)
    end_words: re.Pattern[str] | None  # any of CrossData.part_end_words


_PART_RES: dict[int, tuple[CrossData, _PartRegexes]] = {}


def _part_regexes(cfg: CrossData) -> _PartRegexes:
    hit = _PART_RES.get(id(cfg))
    if hit is None or hit[0] is not cfg:
        units = "|".join(re.escape(u) for u in sorted(cfg.part_units, key=len, reverse=True))
        hit = (cfg, _PartRegexes(
            total=re.compile(rf"(?<![\d.])(?P<n>{cfg.number})(?P<u>{units})[\s(（]*$"),
            part=re.compile(rf"^(?P<label>.*?)(?<![\d.])(?P<n>{cfg.number})(?P<u>{units})\s*(?:\([^)]*\))?\s*$"),
            numeric=re.compile(rf"(?:\d+(?:\.\d+)?|[{re.escape(_CN_NUMERALS)}]+)(?:余|多)?(?:{units})"),
            end_words=_any_of(cfg.part_end_words),
        ))
        if len(_PART_RES) >= 8:  # bounded: one entry per loaded data set is all a run needs
            _PART_RES.clear()
        _PART_RES[id(cfg)] = hit
    return hit[1]


def _part_lists(s: Sentence, cfg: CrossData) -> Iterator[PartList]:
    """Every "N条，其中A条、B条" list of the sentence whose total and parts are readable."""
    res = _part_regexes(cfg)
    for opener in cfg.part_openers:
        if opener not in s.text:
            continue
        for om in re.finditer(re.escape(opener), s.text):
            before = s.text[: om.start()].rstrip(" ,;:、\t")
            tm = res.total.search(before)
            if tm is None or before.endswith(tuple(cfg.approx_before), 0, tm.start()):
                continue
            clause = _PART_SEP.split(before[: tm.start()])[-1]
            if res.numeric.search(clause):
                continue  # "建议18件、提案34件，其中…": which number is the total?
            found = _parts_after(s.text, om.end(), res, tm.group("u"), cfg)
            total = parse_count(tm.group("n"))
            if found and total is not None:
                yield PartList(total, tm.group("u"), (tm.start("n"), tm.end("u")), tuple(found))


def _parts_after(text: str, start: int, res: _PartRegexes, unit: str, cfg: CrossData) -> list[tuple[int, int, int]] | None:
    """The parts of a 其中 list starting at *start*, or None if the list is partial or unreadable."""
    lead = _PART_LEAD.match(text, start)
    pos = lead.end() if lead else start
    parts: list[tuple[int, int, int]] = []
    for first, after in _part_clauses(text, pos):
        clause = text[first:after]
        stripped = clause.strip()
        closing = stripped.endswith(")") and stripped.count("(") < stripped.count(")")
        if closing:
            stripped = stripped.rstrip(")").strip() if "(" not in stripped else stripped[:-1].strip()
        if any(w in stripped for w in cfg.part_partial_words):
            return None
        if _PERCENT.match(stripped):
            continue
        pm = res.part.match(stripped)
        if (res.end_words is not None and res.end_words.search(stripped)) or pm is None or not pm.group("label").strip():
            if res.numeric.search(stripped):
                return None  # a number we cannot place (200余条, 同比增加3条, 38条为政策文件): do not guess
            break
        value = parse_count(pm.group("n"))
        if value is None or pm.group("u") != unit:
            return None
        offset = first + (len(clause) - len(clause.lstrip()))
        parts.append((value, offset, offset + pm.end("u")))
        if closing or (after < len(text) and text[after] in "。!?"):
            break
    return parts


def _part_clauses(text: str, pos: int) -> Iterator[tuple[int, int]]:
    """``[start, end)`` of each part of a 其中 list from *pos*: the runs of text between ``,;、。!?``,
    except that a separator inside brackets does not end a part (其他类信息（含人事、采购）6条).
    """
    if "(" not in text[pos:]:
        for m in _PART_CLAUSE.finditer(text, pos):
            yield m.start(), m.end()
        return
    start, depth = -1, 0
    for i in range(pos, len(text)):
        ch = text[i]
        if ch in _PART_SEPARATORS and not (depth and ch in _IN_BRACKETS):
            if start >= 0:
                yield start, i
            start, depth = -1, 0
            continue
        if start < 0:
            start = i
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
    if start >= 0:
        yield start, len(text)


def _check_parts(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """A 其中 list whose parts do not add up to the total before it."""
    cfg = cross_data(context.data)
    for s in _screen(doc).having(cfg.part_opener):
        for pl in _part_lists(s, cfg):
            values = [p[0] for p in pl.parts]
            prefix_sums = {sum(values[: i + 1]) for i in range(len(values))}
            if len(values) == 1 and values[0] <= pl.total:
                continue
            if len(values) > 1 and pl.total in prefix_sums:
                continue
            total_text = doc.text[s.start + pl.total_span[0] : s.start + pl.total_span[1]]
            parts_text = "+".join(str(v) for v in values)
            first, last = pl.parts[0][1], pl.parts[-1][2]
            said = doc.text[s.start + first : s.start + last]
            zh = (f"“其中”所列各项之和为{parts_text}={sum(values)}{pl.unit}，与总数{total_text}不符（相差{abs(sum(values) - pl.total)}）"
                  if len(values) > 1 else f"“其中”所列的{values[0]}{pl.unit}多于总数{total_text}")
            en = (f"the parts listed after 其中 add up to {parts_text}={sum(values)}, not the total {pl.total}"
                  if len(values) > 1 else f"the part listed after 其中 ({values[0]}) exceeds the total {pl.total}")
            yield Problem(
                s.span(*pl.total_span),
                Message(zh, en),
                related=(Related(s.span(first, last), Message(f"所列各项：{said}", f"the parts: {said}")),),
                key=("parts", str(pl.total), parts_text),
            )


# -- rules ----------------------------------------------------------------------------------------

_SRC_T3 = Message(
    "《中华人民共和国政府信息公开条例》第五十条；国办公开办函〔2021〕30号 附件 表3。正文数字须与表格一致属通行要求（“数据精确”），非文件逐字规定",
    "条例 art. 50; 国办公开办函〔2021〕30号 annex, table 3. Prose agreeing with the tables is practice (“数据精确”), not a verbatim mandate",
)
_SRC_T4 = Message(
    "《中华人民共和国政府信息公开条例》第五十条第（三）项；国办公开办函〔2021〕30号 附件 表4。正文与表格一致属通行要求",
    "条例 art. 50(3); 国办公开办函〔2021〕30号 annex, table 4. Prose agreeing with the tables is practice",
)
_SRC_PERIOD = Message(
    "《中华人民共和国政府信息公开条例》第四十九条、第五十条（年度报告）；统计期限为公历年度的写法属通行做法，国家格式原文未核实",
    "条例 arts. 49-50 (annual report); the calendar-year period is practice, the national format's wording is unverified",
)
_SRC_PARTS = Message("通行要求（“数据精确”“文字严谨”），非文件逐字规定", "practice (data must be exact), not a verbatim mandate")

_T3_LINE = "2022年，本机关共收到政府信息公开申请8件，上年结转1件，共办理答复8件，结转下年度继续办理1件。"
_PERIOD_LINE = "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。"


def _rules() -> list[Rule]:
    return [
        Rule(
            id="GK601", name="prose-contradicts-table3", family="GK6", severity=Severity.ERROR,
            short=Message("正文中的申请数量与表3不一致", "application counts in the prose contradict table 3"),
            full=Message(
                "核对正文（多在“一、总体情况”的依申请公开部分）中的数字与表3：本年新收申请（收到申请N件）、上年结转、"
                "办结/答复（对应（七）总计）、结转下年度继续办理，以及写明的予以公开、部分公开、不予公开、无法提供等结果数；"
                "合并写的“予以公开及部分公开N件”与（一）（二）两行之和比较。"
                "同一份报告中的两个数字不一致，读者无法判断哪个正确。"
                "收到申请数不等于新收数、但等于新收与上年结转之和时（如“收到申请75件”，表3新收74件、上年结转1件），"
                "正文可能把上年结转的申请也算在内，两种读法都说得通，报警告并写明两种读法；两者都不相符时报错误。带“余”“多”“约”“近”的概数不比较；"
                "“其中通过信函收到…”等分项、其他年份的数字也不比较。",
                "Compares the counts in the prose (usually the 依申请公开 part of 一、总体情况) with table 3: applications "
                "received, carried over, answered ((七)总计), carried forward, and named results (予以公开, 部分公开, 不予公开, "
                "无法提供 …); a combined 予以公开及部分公开N件 is compared with the sum of rows (一) and (二). A received count that "
                "is not row 一 but equals 一 + 二 (收到申请75件 with 74 new and 1 carried over) may include the carried-over "
                "applications: with two plausible readings it is a warning naming both; a count matching neither is an error. Approximate numbers (余/多/约/近), sub-counts and other years are not compared.",
            ),
            help=Message("核实实际数字，改正正文或表3，使两处一致。", "Check the real figure and correct the prose or table 3 so they agree."),
            check=_check_table3_counts, source=_SRC_T3,
            examples=(Example(
                bad=_T3_LINE.replace("申请8件", "申请10件"), good=_T3_LINE, replaces=_T3_LINE,
            ),),
        ),
        Rule(
            id="GK602", name="prose-contradicts-table4", family="GK6", severity=Severity.ERROR,
            short=Message("正文中的行政复议、行政诉讼情况与表4不一致", "review/litigation counts in the prose contradict table 4"),
            full=Message(
                "正文写“被申请行政复议N件”“行政诉讼N件”或“未因政府信息公开被申请行政复议、提起行政诉讼”时，与表4的"
                "行政复议总计、行政诉讼（未经复议直接起诉与复议后起诉）总计核对。",
                "When the prose gives 行政复议/行政诉讼 counts or says there were none, they are compared with table 4's "
                "review total and litigation totals (direct suits plus suits after review).",
            ),
            help=Message("核实复议、诉讼案件数，改正正文或表4。", "Check the case counts and correct the prose or table 4."),
            check=_check_table4, source=_SRC_T4,
            examples=(Example(
                bad=_T3_LINE + "本机关未因政府信息公开被申请行政复议。",
                good=_T3_LINE + "本机关因政府信息公开被申请行政复议2件。",
                replaces=_T3_LINE,
            ),),
        ),
        Rule(
            id="GK603", name="none-received-but-table3", family="GK6", severity=Severity.ERROR,
            short=Message("正文称未收到申请，但表3有申请", "the prose says no applications, but table 3 has some"),
            full=Message(
                "正文写“未收到政府信息公开申请”“没有收到依申请公开”“无依申请公开事项”等，而表3“一、本年新收政府信息公开申请数量”"
                "（或“二、上年结转”、写明“未收到和处理”时的（七）总计）不为0。",
                "The prose says no applications were received (未收到…申请, 无依申请公开) while table 3 row 一 (or 二, or "
                "(七)总计 for 未收到和处理) is not zero.",
            ),
            help=Message("核实是否收到申请，改正正文或表3。", "Check whether applications were received and correct the prose or table 3."),
            check=_check_none_received, source=_SRC_T3,
            examples=(Example(
                bad="2022年，本机关未收到政府信息公开申请。", good=_T3_LINE, replaces=_T3_LINE,
            ),),
        ),
        Rule(
            id="GK604", name="report-year-mismatch", family="GK6", severity=Severity.ERROR,
            short=Message("标题年度、统计期限与总体情况中的年份不一致", "title year, statistics period and overview year disagree"),
            full=Message(
                "标题中的报告年度、统计期限的年份和“一、总体情况”开头的年份应相同。不一致多是沿用上一年度报告未改全。"
                "表格样式与年度是否相符由 GK301 检查，此处不重复。",
                "The year in the title, the year of the statistics period and the year opening 一、总体情况 must agree; a "
                "mismatch usually means last year's report was reused. Layout versus year is GK301's check.",
            ),
            help=Message("统一改为报告所属年度。", "Use the report year everywhere."),
            check=_check_years, source=_SRC_PERIOD,
            examples=(Example(bad=_PERIOD_LINE.replace("2022", "2021"), good=_PERIOD_LINE, replaces=_PERIOD_LINE),),
        ),
        Rule(
            id="GK605", name="period-not-calendar-year", family="GK6", severity=Severity.ERROR,
            short=Message("统计期限不是完整的自然年度", "the statistics period is not a calendar year"),
            full=Message(
                "年度报告的数据统计期限应为报告年度的1月1日至12月31日。起止日期不对、跨年或日期不存在都会使数据口径不清。",
                "The statistics period must run from 1 January to 31 December of the report year; a wrong start or end, a "
                "period spanning two years or an impossible date make the figures ambiguous.",
            ),
            help=Message("改为“自YYYY年1月1日起至YYYY年12月31日止”。", "Write 自YYYY年1月1日起至YYYY年12月31日止."),
            check=_check_period_range, source=_SRC_PERIOD,
            examples=(Example(bad=_PERIOD_LINE.replace("12月31日", "12月30日"), good=_PERIOD_LINE, replaces=_PERIOD_LINE),),
        ),
        Rule(
            id="GK606", name="parts-do-not-add-up", family="GK6", severity=Severity.WARNING,
            short=Message("正文“其中”所列分项之和与总数不符", "the parts listed after 其中 do not add up to the total"),
            full=Message(
                "“公开信息517条，其中网站138条、微信379条”一类写法，分项之和应等于总数。分项以“、”“，”“；”分隔；"
                "括号内的顿号、分号不分隔分项（“其他类信息（含人事、采购）6条”是一项）。带“等”“主要”的列举是有意不完整的，"
                "不核对；概数不核对；分项前若干项之和已等于总数时视为另起一个维度。由于分项可能有意重叠或不完整，"
                "默认为警告。",
                "In 总数N条，其中A条、B条 the parts should add up to the total. Parts are separated by 、, ， or ；, but not inside "
                "brackets (其他类信息（含人事、采购）6条 is one part). Lists marked partial (等, 主要), approximate "
                "numbers and lists whose leading parts already make the total are not flagged. A warning, because parts "
                "may overlap or be incomplete on purpose.",
            ),
            help=Message("核对总数与各分项，改正数字，或在不完整的列举后加“等”。", "Check the total and the parts; fix the numbers or mark an incomplete list with 等."),
            check=_check_parts, source=_SRC_PARTS,
            examples=(Example(
                bad="全年通过政府门户网站主动公开政府信息236条，其中机构职能12条、政策文件38条、工作动态180条。",
                good="全年通过政府门户网站主动公开政府信息236条，其中机构职能12条、政策文件38条、工作动态186条。",
                replaces="全年通过政府门户网站主动公开政府信息236条，其中机构职能12条、政策文件38条、工作动态186条。",
            ),),
        ),
        Rule(
            id="GK607", name="period-unreadable", family="GK6", severity=Severity.WARNING,
            short=Message("统计期限的日期无法识别", "the statistics period's dates cannot be read"),
            full=Message(
                "写了统计期限，但起止日期读不出来，例如网页转换丢失了“年”“月”：“自202111日起至20211230日止”。",
                "A statistics period is stated but its dates cannot be read, e.g. 年/月 lost in conversion: 自202111日起至20211230日止.",
            ),
            help=Message("写成“自YYYY年1月1日起至YYYY年12月31日止”，并检查发布后的页面。", "Write 自YYYY年1月1日起至YYYY年12月31日止 and check the published page."),
            check=_check_period_unreadable, source=_SRC_PERIOD,
            examples=(Example(bad="本报告中所列数据的统计期限自202211日起至20221231日止。", good=_PERIOD_LINE, replaces=_PERIOD_LINE),),
        ),
        Rule(
            id="GK608", name="period-missing", family="GK6", severity=Severity.INFO,
            short=Message("未写明统计期限", "no statistics period stated"),
            full=Message(
                "报告通常在导语中写明“本报告中所列数据的统计期限自YYYY年1月1日起至YYYY年12月31日止”。未写明不算违反格式，"
                "但读者无法确认数据口径。",
                "Reports customarily state the statistics period in the introduction. Its absence is not a format violation, "
                "but readers cannot confirm what the figures cover.",
            ),
            help=Message("在导语中加上统计期限。", "State the statistics period in the introduction."),
            check=_check_period_missing, source=_SRC_PERIOD,
            examples=(Example(bad="本报告由本机关办公室编制。", good=_PERIOD_LINE, replaces=_PERIOD_LINE),),
        ),
    ]


@hookimpl
def gklint_rules() -> list[Rule]:
    return _rules()


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    cross_data(data)
    return ["crosscheck"]
