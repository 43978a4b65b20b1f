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

from gklint.data import StandardData, data_error
from gklint.normalize import fold

KINDS = ("notice", "regulation", "measures", "interpretation", "standard")


STATUSES = ("verified", "unverified")


DATE_FIELDS = ("signed", "published", "promulgated", "revised", "effective")


_ENTRY_FIELDS = {
    "key", "status", "kind", "title", "issuer", "numbers", "former_numbers", "current_since", "dates",
    "attachment", "short_names", "abbreviations", "superseded_by", "applies_to_years", "topic_year",
    "series", "note",
}


_PATTERN_FIELDS = {"number_prefix_endings", "national_prefixes", "work_points_title", "misplaced_inner_prefixes",
                   "prefix_boundaries"}


_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def _opt_str(raw: Mapping[str, Any], name: str, path: str, where: str) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str):
        raise data_error(path, f"{where}.{name}", "应为字符串", "expected a string")
    return value


def _opt_strs(raw: Mapping[str, Any], name: str, path: str, where: str) -> tuple[str, ...]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise data_error(path, f"{where}.{name}", "应为非空字符串的列表", "expected a list of non-empty strings")
    return tuple(value)


def _opt_year(raw: Mapping[str, Any], name: str, path: str, where: str) -> int | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1949 <= value <= 2100:
        raise data_error(path, f"{where}.{name}", "应为年份整数（如 2021）", "expected a year as an integer (e.g. 2021)")
    return value


def _numbers(raw: Mapping[str, Any], name: str, kind: str, path: str, where: str) -> tuple[str, ...]:
    values = _opt_strs(raw, name, path, where)
    for v in values:
        if kind == "standard":
            continue
        if not (CANONICAL_NUMBER_RE.match(v) or DECREE_RE.match(v)):
            raise data_error(path, f"{where}.{name}", f"“{v}”不是规范的文号（如“国办函〔2020〕109号”）或国务院令编号（如“国务院令第711号”）",
                       f"{v!r} is neither a canonical document number (e.g. 国办函〔2020〕109号) nor a State Council decree number (国务院令第711号)")
    return values


def _years(raw: Mapping[str, Any], path: str, where: str) -> tuple[int | None, int | None]:
    value = raw.get("applies_to_years")
    if value is None:
        return None, None
    w = f"{where}.applies_to_years"
    if not isinstance(value, Mapping) or "first" not in value or set(value) - {"first", "last"}:
        raise data_error(path, w, "应为 {first = 年份, last = 年份}（last 可省略）", "expected {first = year, last = year} (last optional)")
    first, last = _opt_year(value, "first", path, w), _opt_year(value, "last", path, w)
    if first is not None and last is not None and last < first:
        raise data_error(path, w, "last 早于 first", "last is before first")
    return first, last


def _dates(raw: Mapping[str, Any], path: str, where: str) -> dict[str, str]:
    value = raw.get("dates", {})
    w = f"{where}.dates"
    if not isinstance(value, Mapping):
        raise data_error(path, w, "应为表 {signed = \"YYYY-MM-DD\", …}", 'expected a table {signed = "YYYY-MM-DD", ...}')
    for k, v in value.items():
        if k not in DATE_FIELDS:
            raise data_error(path, f"{w}.{k}", f"未知的日期字段，应为 {', '.join(DATE_FIELDS)} 之一",
                       f"unknown date field, expected one of {', '.join(DATE_FIELDS)}")
        if not isinstance(v, str) or not _DATE_RE.match(v):
            raise data_error(path, f"{w}.{k}", "应为“YYYY-MM-DD”格式的日期字符串", "expected a date string YYYY-MM-DD")
    return dict(value)


def _entry(raw: Any, path: str, index: int) -> Entry:
    where = f"citations[{index}]"
    if not isinstance(raw, Mapping):
        raise data_error(path, where, "应为表", "expected a table")
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise data_error(path, f"{where}.key", "应为由字母、数字、下划线或连字符组成的字符串", "expected a string of letters, digits, _ or -")
    where = f"citations[{index}]（key = {key}）"
    unknown = sorted(set(raw) - _ENTRY_FIELDS)
    if unknown:
        raise data_error(path, f"{where}.{unknown[0]}", f"未知字段，可用字段：{', '.join(sorted(_ENTRY_FIELDS))}",
                   f"unknown field, expected one of {', '.join(sorted(_ENTRY_FIELDS))}")
    status = raw.get("status")
    if status not in STATUSES:
        raise data_error(path, f"{where}.status", "应为 \"verified\" 或 \"unverified\"", 'expected "verified" or "unverified"')
    kind = raw.get("kind")
    if kind not in KINDS:
        raise data_error(path, f"{where}.kind", f"应为 {', '.join(KINDS)} 之一", f"expected one of {', '.join(KINDS)}")
    title = _opt_str(raw, "title", path, where)
    if status == "verified" and not title:
        raise data_error(path, f"{where}.title", "已核实（verified）的条目必须给出准确标题", "a verified entry needs its exact title")
    current_since = _opt_year(raw, "current_since", path, where)
    first, last = _years(raw, path, where)
    return Entry(
        key=key, status=status, kind=kind, source=path, title=title,
        issuer=_opt_str(raw, "issuer", path, where),
        numbers=_numbers(raw, "numbers", kind, path, where),
        former_numbers=_numbers(raw, "former_numbers", kind, path, where),
        current_since=current_since,
        dates=_dates(raw, path, where),
        attachment=_opt_str(raw, "attachment", path, where),
        short_names=_opt_strs(raw, "short_names", path, where),
        abbreviations=_opt_strs(raw, "abbreviations", path, where),
        superseded_by=_opt_str(raw, "superseded_by", path, where),
        first_year=first, last_year=last,
        topic_year=_opt_year(raw, "topic_year", path, where),
        series=_opt_str(raw, "series", path, where),
        note=_opt_str(raw, "note", path, where),
    )


def _issuer(raw: Any, path: str, index: int) -> Issuer:
    where = f"citation_issuers[{index}]"
    if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise data_error(path, f"{where}.name", "应为表 {name = \"…\", wrong_names = [\"…\"]}", 'expected a table {name = "...", wrong_names = ["..."]}')
    unknown = sorted(set(raw) - {"name", "wrong_names", "note"})
    if unknown:
        raise data_error(path, f"{where}.{unknown[0]}", "未知字段，可用字段：name, wrong_names, note", "unknown field, expected name, wrong_names, note")
    return Issuer(raw["name"], _opt_strs(raw, "wrong_names", path, where), path)


def _list_of_tables(value: Any, path: str, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise data_error(path, key, f"应为表数组（[[{key}]]）", f"expected an array of tables ([[{key}]])")
    return value


class _Patterns(NamedTuple):
    endings: tuple[str, ...]
    national: tuple[str, ...]
    work_points: re.Pattern[str]
    verbs: tuple[str, ...]
    boundaries: tuple[str, ...]


def _patterns(items: list[tuple[str, Any]]) -> _Patterns:
    endings: list[str] = []
    boundaries: list[str] = []
    national: list[str] = []
    verbs: list[str] = []
    work_points: re.Pattern[str] | None = None
    for path, raw in items:
        if not isinstance(raw, Mapping):
            raise data_error(path, "citation_patterns", "应为表", "expected a table")
        unknown = sorted(set(raw) - _PATTERN_FIELDS)
        if unknown:
            raise data_error(path, f"citation_patterns.{unknown[0]}", f"未知字段，可用字段：{', '.join(sorted(_PATTERN_FIELDS))}",
                       f"unknown field, expected one of {', '.join(sorted(_PATTERN_FIELDS))}")
        endings += _opt_strs(raw, "number_prefix_endings", path, "citation_patterns")
        national += _opt_strs(raw, "national_prefixes", path, "citation_patterns")
        verbs += _opt_strs(raw, "misplaced_inner_prefixes", path, "citation_patterns")
        boundaries += _opt_strs(raw, "prefix_boundaries", path, "citation_patterns")
        if "work_points_title" in raw:
            source = _opt_str(raw, "work_points_title", path, "citation_patterns")
            try:
                work_points = re.compile(source)
            except re.error as exc:
                raise data_error(path, "citation_patterns.work_points_title", f"不是有效的正则表达式（{exc}）",
                           f"not a valid regular expression ({exc})") from None
            if "year" not in work_points.groupindex:
                raise data_error(path, "citation_patterns.work_points_title", "正则表达式须含命名组 (?P<year>…)",
                           "the regular expression needs a named group (?P<year>...)")
    if work_points is None:
        work_points = re.compile(r"(?!x)x(?P<year>)")  # never matches
    return _Patterns(tuple(dict.fromkeys(endings)), tuple(dict.fromkeys(national)), work_points,
                     tuple(dict.fromkeys(verbs)), tuple(dict.fromkeys(boundaries)))


def build_registry(data: StandardData) -> Registry:
    """Validate and merge the registry parts of *data*; raise :class:`DataError` on mistakes."""
    entries: list[Entry] = []
    seen: dict[str, Entry] = {}
    by_number: dict[DocNumberKey, Entry] = {}
    for path, value in data.items("citations"):
        for i, raw in enumerate(_list_of_tables(value, path, "citations")):
            entry = _entry(raw, path, i)
            if entry.key in seen:
                raise data_error(path, f"citations[{i}].key", f"重复的 key “{entry.key}”（已在 {seen[entry.key].source} 中定义）",
                           f"duplicate key {entry.key!r} (already defined in {seen[entry.key].source})")
            seen[entry.key] = entry
            entries.append(entry)
            for number in entry.numbers:
                nkey = number_key(number)
                if nkey is None:
                    continue
                if nkey in by_number:
                    raise data_error(path, f"citations[{i}]（key = {entry.key}）.numbers", f"文号 {number} 已属于条目 {by_number[nkey].key}",
                               f"number {number} already belongs to entry {by_number[nkey].key}")
                by_number[nkey] = entry
    for entry in entries:
        if entry.superseded_by and entry.superseded_by not in seen:
            raise data_error(entry.source, f"citations（key = {entry.key}）.superseded_by", f"没有 key 为 “{entry.superseded_by}” 的条目",
                       f"no entry with key {entry.superseded_by!r}")
    issuers = [_issuer(raw, path, i) for path, value in data.items("citation_issuers")
               for i, raw in enumerate(_list_of_tables(value, path, "citation_issuers"))]
    pats = _patterns(data.items("citation_patterns"))
    prefixes = {fold(p) for p, _, _ in by_number} | {fold(p) for p in pats.national}
    return Registry(tuple(entries), tuple(issuers), pats.endings, pats.national, pats.work_points, pats.verbs,
                    pats.boundaries, by_number, tuple(sorted(prefixes, key=len, reverse=True)))


def registry(data: StandardData) -> Registry:
    """The registry of *data*, parsed once per :class:`StandardData` object."""
    return data.derived("citation_registry", build_registry)
