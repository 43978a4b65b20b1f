"""The citation registry (``[[citations]]``, ``[[citation_issuers]]``, ``[citation_patterns]``).

Reads and validates the registry part of the standard data (``rules/citations.toml``
and any data pack's files) into a :class:`Registry`.  The format is documented in
the comments of ``rules/citations.toml``; a mistake raises
:class:`~gklint.data.DataError` naming the file, the entry key, the field and
what was expected.  :func:`registry` parses once per :class:`StandardData`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from gklint.data import StandardData
from gklint.findings import Message
from gklint.normalize import fold
from gklint.schema import (
    ArrayOf,
    Choice,
    Date,
    Regex,
    Table,
    Text,
    Texts,
    Unique,
    Where,
    Year,
    YearRange,
    in_file,
    parse_items,
)

KINDS = ("notice", "regulation", "measures", "interpretation", "standard")


STATUSES = ("verified", "unverified")


DATE_FIELDS = ("signed", "published", "promulgated", "revised", "effective")


#: A canonical 文号: prefix, 〔year〕, number, 号.
CANONICAL_NUMBER_RE = re.compile(r"^(?P<prefix>[\u3400-\u9fff]{1,20})〔(?P<year>\d{4})〕(?P<num>[1-9]\d*)号$")


#: A 国务院令 number: 国务院令第711号 (optionally 中华人民共和国国务院令).
DECREE_RE = re.compile(r"^(?:中华人民共和国)?国务院令第(?P<num>[1-9]\d*)号$")


_STRIP = re.compile(r"[\s《》<>〈〉＜＞‹›\"'「」『』“”‘’]")


#: ``(folded prefix, year, number)`` of a 文号.
DocNumberKey = tuple[str, int, int]


def title_key(text: str) -> str:
    """A title for comparison: folded, without whitespace, quotes and title marks."""
    return _STRIP.sub("", fold(text))


def number_key(number: str) -> DocNumberKey | None:
    """The key of a canonical 文号 string, or ``None`` if it is not one."""
    m = CANONICAL_NUMBER_RE.match(number)
    if m is None:
        return None
    return fold(m["prefix"]), int(m["year"]), int(m["num"])


class Entry:
    """One registry document; see ``rules/citations.toml`` for the fields."""

    __slots__ = ("key", "status", "kind", "source", "title", "issuer", "numbers", "former_numbers", "current_since",
                 "dates", "attachment", "short_names", "abbreviations", "superseded_by", "first_year", "last_year",
                 "topic_year", "series", "note")

    def __init__(self, key: str, status: str, kind: str, source: str, title: str = "", issuer: str = "",
                 numbers: tuple[str, ...] = (), former_numbers: tuple[str, ...] = (), current_since: int | None = None,
                 dates: Mapping[str, str] | None = None, attachment: str = "", short_names: tuple[str, ...] = (),
                 abbreviations: tuple[str, ...] = (), superseded_by: str = "", first_year: int | None = None,
                 last_year: int | None = None, topic_year: int | None = None, series: str = "", note: str = "") -> None:
        self.key = key
        self.status = status
        self.kind = kind
        self.source = source
        self.title = title
        self.issuer = issuer
        self.numbers = numbers
        self.former_numbers = former_numbers
        self.current_since = current_since
        self.dates: Mapping[str, str] = {} if dates is None else dates
        self.attachment = attachment
        self.short_names = short_names
        self.abbreviations = abbreviations
        self.superseded_by = superseded_by
        self.first_year = first_year
        self.last_year = last_year
        self.topic_year = topic_year
        self.series = series
        self.note = note

    def __repr__(self) -> str:
        return f"Entry({self.key!r})"

    @property
    def verified(self) -> bool:
        return self.status == "verified"

    @property
    def number(self) -> str:
        """The first (main) number, or ``""``."""
        return self.numbers[0] if self.numbers else ""

    def nested_title(self) -> str:
        """The title as written inside 《》: inner 《》 become 〈〉."""
        return self.title.replace("《", "〈").replace("》", "〉")

    def decree_numbers(self) -> tuple[set[int], set[int]]:
        """(current, former) 国务院令 numbers."""
        def nums(values: tuple[str, ...]) -> set[int]:
            return {int(m["num"]) for v in values if (m := DECREE_RE.match(v))}
        return nums(self.numbers), nums(self.former_numbers)

    def applies_to(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (self.last_year is None or year <= self.last_year)

    def years_text(self) -> str:
        if self.last_year is None:
            return f"{self.first_year}年度起"
        return f"{self.first_year}—{self.last_year}年度"


class Issuer:
    __slots__ = ("name", "wrong_names", "source")

    def __init__(self, name: str, wrong_names: tuple[str, ...], source: str) -> None:
        self.name = name
        self.wrong_names = wrong_names
        self.source = source


class Registry:
    """The merged, validated registry.  ``known_prefixes``: folded, longest first."""

    __slots__ = ("entries", "issuers", "prefix_endings", "national_prefixes", "work_points_title",
                 "misplaced_inner_prefixes", "prefix_boundaries", "by_number", "known_prefixes")

    def __init__(self, entries: tuple[Entry, ...], issuers: tuple[Issuer, ...], prefix_endings: tuple[str, ...],
                 national_prefixes: tuple[str, ...], work_points_title: re.Pattern[str],
                 misplaced_inner_prefixes: tuple[str, ...], prefix_boundaries: tuple[str, ...],
                 by_number: Mapping[DocNumberKey, Entry], known_prefixes: tuple[str, ...]) -> None:
        self.entries = entries
        self.issuers = issuers
        self.prefix_endings = prefix_endings
        self.national_prefixes = national_prefixes
        self.work_points_title = work_points_title
        self.misplaced_inner_prefixes = misplaced_inner_prefixes
        self.prefix_boundaries = prefix_boundaries
        self.by_number = by_number
        self.known_prefixes = known_prefixes

    def entry(self, key: str) -> Entry | None:
        for e in self.entries:
            if e.key == key:
                return e
        return None

    def lookup(self, run: str, year: int, num: int) -> Entry | None:
        """The entry whose 文号 is (a prefix ending *run*)〔year〕num号."""
        folded = fold(run)
        for (prefix, y, n), entry in self.by_number.items():
            if y == year and n == num and folded.endswith(prefix):
                return entry
        return None

    def by_title(self, text: str) -> Entry | None:
        """The verified entry whose title (or title without its issuer) is *text*."""
        key = title_key(self.canonical_issuers(text))
        for e in self.entries:
            if e.verified and e.title and key in _title_forms(e):
                return e
        return None

    def canonical_issuers(self, text: str) -> str:
        """*text* with known wrong issuer names replaced by the canonical ones (after folding)."""
        out = fold(text)
        for issuer in self.issuers:
            for wrong in issuer.wrong_names:
                out = out.replace(fold(wrong), issuer.name)
        return out


def _title_forms(entry: Entry) -> set[str]:
    forms = {title_key(entry.title)}
    if entry.issuer and title_key(entry.title).startswith(title_key(entry.issuer)):
        forms.add(title_key(entry.title)[len(title_key(entry.issuer)):])
    return forms


def title_forms(entry: Entry) -> set[str]:
    """Accepted title keys of *entry*: the exact title, and the title without the issuer."""
    return _title_forms(entry)


_NUMBER = Message("规范的文号（如“国办函〔2020〕109号”）或国务院令编号（如“国务院令第711号”）",
                  "a canonical document number (e.g. 国办函〔2020〕109号) or a State Council decree number (国务院令第711号)")
_NAMES = Texts(nonempty=True, default=())


def _entry_rules(values: dict[str, Any], at: Where) -> None:
    """What one field of an entry asks of another: a verified entry's title, the numbers of a non-standard."""
    if values["status"] == "verified" and not values["title"]:
        raise at.child("title").error("已核实（verified）的条目必须给出准确标题", "a verified entry needs its exact title")
    if values["kind"] != "standard":
        for name in ("numbers", "former_numbers"):
            for i, number in enumerate(values[name]):
                if not (CANONICAL_NUMBER_RE.match(number) or DECREE_RE.match(number)):
                    raise at.child(name).item(i).expected(_NUMBER, number)


#: One ``[[citations]]`` entry; see ``rules/citations.toml`` for the fields.
ENTRY = Table({
    "key": Text(required=True, pattern=r"[A-Za-z0-9_-]+",
                noun=Message("由字母、数字、下划线或连字符组成的字符串", "a string of letters, digits, _ or -")),
    "status": Choice(*STATUSES, required=True),
    "kind": Choice(*KINDS, required=True),
    "title": Text(default=""),
    "issuer": Text(default=""),
    "numbers": _NAMES,
    "former_numbers": _NAMES,
    "current_since": Year(default=None),
    "dates": Table({name: Date() for name in DATE_FIELDS}, default={}),
    "attachment": Text(default=""),
    "short_names": _NAMES,
    "abbreviations": _NAMES,
    "superseded_by": Text(default=""),
    "applies_to_years": YearRange(first_required=True),
    "topic_year": Year(default=None),
    "series": Text(default=""),
    "note": Text(default=""),
}, label="key", check=_entry_rules)
ISSUER = Table({"name": Text(nonempty=True, required=True), "wrong_names": _NAMES, "note": Text(default="")})
PATTERNS = Table({
    "number_prefix_endings": _NAMES,
    "national_prefixes": _NAMES,
    "work_points_title": Regex(groups=("year",)),
    "misplaced_inner_prefixes": _NAMES,
    "prefix_boundaries": _NAMES,
})


def _entry(values: dict[str, Any], source: str) -> Entry:
    first, last = values["applies_to_years"]
    return Entry(
        key=values["key"], status=values["status"], kind=values["kind"], source=source, title=values["title"],
        issuer=values["issuer"], numbers=values["numbers"], former_numbers=values["former_numbers"],
        current_since=values["current_since"], dates=values["dates"], attachment=values["attachment"],
        short_names=values["short_names"], abbreviations=values["abbreviations"],
        superseded_by=values["superseded_by"], first_year=first, last_year=last, topic_year=values["topic_year"],
        series=values["series"], note=values["note"],
    )


class _Patterns(NamedTuple):
    endings: tuple[str, ...]
    national: tuple[str, ...]
    work_points: re.Pattern[str]
    verbs: tuple[str, ...]
    boundaries: tuple[str, ...]


def _patterns(data: StandardData) -> _Patterns:
    tables = [values for _, values in parse_items(data, "citation_patterns", PATTERNS)]

    def merged(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for values in tables for v in values[name]))

    work_points = next((t["work_points_title"] for t in reversed(tables) if "work_points_title" in t),
                       re.compile(r"(?!x)x(?P<year>)"))  # never matches
    return _Patterns(merged("number_prefix_endings"), merged("national_prefixes"), work_points,
                     merged("misplaced_inner_prefixes"), merged("prefix_boundaries"))


def build_registry(data: StandardData) -> Registry:
    """Validate and merge the registry parts of *data*; raise :class:`DataError` on mistakes."""
    entries: list[Entry] = []
    keys = Unique(Message("key", "key"))
    where: dict[str, Where] = {}
    by_number: dict[DocNumberKey, Entry] = {}
    for path, values in parse_items(data, "citations", ArrayOf(ENTRY)):
        for i, raw in enumerate(values):
            entry = _entry(raw, path)
            at = in_file(path, "citations").item(i)
            keys.claim(entry.key, at.child("key"), path)
            at = where[entry.key] = at.labelled(f"key = {entry.key}")
            entries.append(entry)
            for number in entry.numbers:
                nkey = number_key(number)
                if nkey is None:
                    continue
                if nkey in by_number:
                    raise at.child("numbers").error(f"文号 {number} 已属于条目 {by_number[nkey].key}",
                                                    f"number {number} already belongs to entry {by_number[nkey].key}")
                by_number[nkey] = entry
    for entry in entries:
        if entry.superseded_by and entry.superseded_by not in keys:
            raise where[entry.key].child("superseded_by").no_such(Message("条目", "entry"), entry.superseded_by)
    issuers = [Issuer(raw["name"], raw["wrong_names"], path)
               for path, values in parse_items(data, "citation_issuers", ArrayOf(ISSUER)) for raw in values]
    pats = _patterns(data)
    prefixes = {fold(p) for p, _, _ in by_number} | {fold(p) for p in pats.national}
    return Registry(tuple(entries), tuple(issuers), pats.endings, pats.national, pats.work_points, pats.verbs,
                    pats.boundaries, by_number, tuple(sorted(prefixes, key=len, reverse=True)))


def registry(data: StandardData) -> Registry:
    """The registry of *data*, parsed once per :class:`StandardData` object."""
    return data.derived("citation_registry", build_registry)
