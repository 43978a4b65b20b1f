"""The cross-checks (GK6) family's data: built and validated once at load time (``gklint_validate_data``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gklint import hookimpl
from gklint.data import StandardData
from gklint.facts import CHINESE_NUMERALS
from gklint.findings import Message
from gklint.schema import (
    Anything,
    ArrayOf,
    Bilingual,
    Regex,
    Table,
    Text,
    Texts,
    Where,
    in_file,
    parse_items,
)

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


class _Cell(Text):
    """A cell of table 4 named ``"row|column"``, returned as ``(row, column)``."""

    noun = Message("“行|列”", '"row|column"')

    def __init__(self) -> None:
        super().__init__(pattern=r"[^|]*\|[^|]*")

    def parse(self, value: Any, at: Where) -> Any:
        row, column = super().parse(value, at).split("|")
        return row, column


_WORDS = Texts(nonempty=True)  # a setting: a later file's replaces an earlier one's
_LIST = Texts(nonempty=True, default=())
_ROWS = Texts(nonempty=True, required=True)
_NAME = Bilingual(required=True, nonempty=True)
_PATTERNS = Texts(nonempty=True, required=True)  # compiled once the count {N} is known (see _compiled)
T3_FACT = Table({
    "fact": Text(nonempty=True, required=True),
    "name": _NAME,
    "rows": _ROWS,
    "also_rows": ArrayOf(Texts(nonempty=True), default=[]),
    "also_when": _LIST,
    "patterns": _PATTERNS,
    "sentence_requires": _LIST,
    "clause_excludes": _LIST,
    "readings": ArrayOf(Table({"rows": _ROWS, "name": _NAME}), default=[]),
})
T4_FACT = Table({
    "fact": Text(nonempty=True, required=True),
    "name": _NAME,
    "alternatives": ArrayOf(ArrayOf(_Cell(), min_items=1), min_items=1, required=True),
    "patterns": _PATTERNS,
    "keywords": Texts(nonempty=True, required=True),
})
NONE_STATEMENT = Table({"rows": _ROWS, "patterns": _PATTERNS})
def _period_keywords_moved(values: dict[str, Any], at: Where) -> None:
    if "keywords" in values:  # the document model reads the period once, for every rule
        raise at.child("keywords").error("已移至 [period] keywords（见 rules/facts.toml）",
                                         "moved to [period] keywords (see rules/facts.toml)")


_SETTINGS = {
    # section: (prefix of the merged names, the section's schema)
    "numbers": ("", Table({"approx_before": _WORDS, "approx_after_unit": _WORDS, "count_units": _WORDS,
                           "negations": _WORDS, "other_year_words": _WORDS, "chinese_digits": Text(nonempty=True)})),
    "table4": ("t4_", Table({"sentence_requires": _WORDS, "clause_excludes": _WORDS, "ignore_phrases": _WORDS,
                             "negation_excludes": _WORDS, "facts": ArrayOf(T4_FACT, default=[])})),
    "none_received": ("none_", Table({"clause_excludes": _WORDS, "statements": ArrayOf(NONE_STATEMENT, default=[])})),
    "period": ("period_", Table({"keywords": Anything(), "overview_year_skip_after": _WORDS}, check=_period_keywords_moved)),
    "parts": ("part_", Table({"units": _WORDS, "openers": _WORDS, "partial_words": _WORDS, "end_words": _WORDS})),
}
for _, _section in _SETTINGS.values():
    _section.default = _section.defaults()  # a section may be left out
#: ``[crosscheck]``: how the prose states the tables' counts (GK6).
CROSSCHECK = Table({**{name: schema for name, (_, schema) in _SETTINGS.items()}, "table3": ArrayOf(T3_FACT, default=[])})


_REGEX = Regex()


def _compiled(patterns: Sequence[str], at: Where, count: str | None) -> tuple[re.Pattern[str], ...]:
    """*patterns* compiled, ``{N}`` (required when *count* is given) standing for the count."""
    out = []
    for i, pattern in enumerate(patterns):
        if count is not None and "{N}" not in pattern:
            raise at.item(i).error("缺少占位符 {N}", "lacks the {N} placeholder")
        out.append(_REGEX.parse(pattern.replace("{N}", count) if count is not None else pattern, at.item(i)))
    return tuple(out)


def _build(data: StandardData) -> CrossData:
    merged: dict[str, Any] = {}
    t3_raw: list[tuple[Where, dict[str, Any]]] = []
    t4_raw: list[tuple[Where, dict[str, Any]]] = []
    none_raw: list[tuple[Where, dict[str, Any]]] = []
    for path, top in parse_items(data, _KEY, CROSSCHECK):
        at = in_file(path, _KEY)
        for section, (prefix, _) in _SETTINGS.items():
            merged.update((prefix + name, value) for name, value in top[section].items() if not isinstance(value, list))
        t3_raw += ((at.child("table3").item(i), raw) for i, raw in enumerate(top["table3"]))
        t4_raw += ((at.child("table4").child("facts").item(i), raw) for i, raw in enumerate(top["table4"]["facts"]))
        none_raw += ((at.child("none_received").child("statements").item(i), raw)
                     for i, raw in enumerate(top["none_received"]["statements"]))
    digits = merged.get("chinese_digits", CHINESE_NUMERALS)
    units = merged.get("count_units", ("件",))
    count = _count_regex(digits, units)
    t3: list[tuple[Where, T3Fact]] = []
    for at, raw in t3_raw:
        patterns = _compiled(raw["patterns"], at.child("patterns"), count)
        requires, excludes = raw["sentence_requires"], raw["clause_excludes"]
        fact = T3Fact(
            fact=raw["fact"], name=raw["name"], rows=raw["rows"],
            also_rows=tuple(raw["also_rows"]), also_when=raw["also_when"],
            patterns=patterns, sentence_requires=requires,
            clause_excludes=excludes, readings=tuple(Reading(r["rows"], r["name"]) for r in raw["readings"]),
            requires=_any_of(requires), needs_count=all(_needs_group(p, "n") for p in patterns),
            needs_unit=all(_needs_count_and_unit(p) for p in patterns), excludes=_any_of(excludes),
        )
        t3.append((at, fact))
    t4: list[tuple[Where, T4Fact]] = []
    for at, raw in t4_raw:
        t4_patterns = _compiled(raw["patterns"], at.child("patterns"), count)
        t4.append((at, T4Fact(
            fact=raw["fact"], name=raw["name"], alternatives=tuple(tuple(a) for a in raw["alternatives"]),
            patterns=t4_patterns, keywords=raw["keywords"], needs_unit=all(_needs_count_and_unit(p) for p in t4_patterns),
        )))
    nones = [(at, NoneStatement(rows=raw["rows"], patterns=_compiled(raw["patterns"], at.child("patterns"), None)))
             for at, raw in none_raw]
    _check_ids(data, t3, t4, nones)
    negations = merged.get("negations", ())
    openers = merged.get("part_openers", ("其中",))
    return CrossData(
        approx_before=merged.get("approx_before", ()), approx_after_unit=merged.get("approx_after_unit", ()),
        negations=negations, other_year_words=merged.get("other_year_words", ()),
        table3=tuple(f for _, f in t3),
        t4_sentence_requires=merged.get("t4_sentence_requires", ()), t4_clause_excludes=merged.get("t4_clause_excludes", ()),
        t4_ignore_phrases=merged.get("t4_ignore_phrases", ()), t4_negation_excludes=merged.get("t4_negation_excludes", ()),
        table4=tuple(f for _, f in t4), none_clause_excludes=merged.get("none_clause_excludes", ()),
        none_statements=tuple(n for _, n in nones),
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
        none_starts=_starts_gate([p for _, n in nones for p in n.patterns]),
        part_opener=_any_of(openers),
    )


def _check_ids(data: StandardData, t3: Iterable[tuple[Where, T3Fact]], t4: Iterable[tuple[Where, T4Fact]],
               nones: Iterable[tuple[Where, NoneStatement]]) -> None:
    """Every row and column named in the data exists in some layout's table 3 / table 4."""
    known: dict[str, set[str]] = {"table3": set(), "table4": set()}
    for layout in data.layouts.values():
        for tid in known:
            table = layout.tables.get(tid)
            if table is not None:
                known[tid].update(r.id for r in table.rows)
                known[tid].update(c.id for c in table.columns)
    named = [(at.child("rows"), (*f.rows, *(x for alt in f.also_rows for x in alt), *(x for r in f.readings for x in r.rows)))
             for at, f in t3]
    named += [(at.child("rows"), n.rows) for at, n in nones]
    for at, rows in named:
        for row in rows:
            if row not in known["table3"]:
                raise at.no_such(Message("表3的行", "table 3 row"), row)
    for at, fact in t4:
        for row, column in (cell for alt in fact.alternatives for cell in alt):
            if row not in known["table4"] or column not in known["table4"]:
                raise at.child("alternatives").no_such(Message("表4的单元格", "table 4 cell"), f"{row}|{column}")


def cross_data(data: StandardData) -> CrossData:
    """The parsed ``crosscheck`` data, once per :class:`StandardData` object."""
    return data.derived("crosscheck", _build)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    cross_data(data)
    return ["crosscheck"]
