"""The cross-checks (GK6) family's data: built and validated once at load time (``gklint_validate_data``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gklint import hookimpl
from gklint.data import DataError, StandardData
from gklint.facts import CHINESE_NUMERALS
from gklint.findings import Message

_KEY = "crosscheck"


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
    if "keywords" in period:  # the document model reads the period once, for every rule
        raise r.error("period.keywords", "已移至 [period] keywords（见 rules/facts.toml）", "moved to [period] keywords (see rules/facts.toml)")
    if "overview_year_skip_after" in period:
        into["period_overview_year_skip_after"] = r.strs(period, "overview_year_skip_after", "period")
    parts = r.table(top.get("parts", {}), "parts")
    for name in ("units", "openers", "partial_words", "end_words"):
        if name in parts:
            into[f"part_{name}"] = r.strs(parts, name, "parts")


def _build(data: StandardData) -> CrossData:
    merged: dict[str, Any] = {}
    for path, raw in data.items(_KEY):
        _load_file(path, raw, merged)
    digits = merged.get("chinese_digits", CHINESE_NUMERALS)
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
        overview_year_skip_after=merged.get("period_overview_year_skip_after", ()),
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


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    cross_data(data)
    return ["crosscheck"]
