"""Requirements that data packs add: sub-items, required citations, contact constraints.

The national standard has none of these (``rules/`` sets no such key), so the
rules that read them are silent until a data pack (for example a provincial one) adds:

``[[required_subitems]]`` (GK108)
    a section must have a sub-heading containing one of some phrases
    (六、其他需要报告的事项 must have （X）……信息处理费收取情况).
``[[required_mentions]]`` (GK410)
    when the report mentions one of some phrases it must cite a document of the
    citation registry correctly: its exact title in 《》 followed by its 文号.
``[contact_constraints]`` (GK508, GK509)
    the telephone area codes allowed, and the contact details that must be given.

Every entry is validated when gklint loads the data (``gklint_validate_data``, registered
by the sections family's plugin).  The checks are in the families their ids name.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from gklint.data import StandardData
from gklint.findings import Message
from gklint.national.citations.registry import registry
from gklint.normalize import normalize
from gklint.rule import CheckContext
from gklint.schema import (
    ArrayOf,
    Bilingual,
    Choice,
    Table,
    Text,
    Texts,
    Unique,
    Where,
    YearRange,
    in_file,
    parse_items,
)

KEYS = ("required_subitems", "required_mentions", "contact_constraints")


CONTACT_PIECES = ("telephone", "fax", "postcode", "email", "address", "electronic_version")


_ID = re.compile(r"^[A-Za-z0-9_-]+$")


_AREA = re.compile(r"^0[0-9]{2,3}$")


_MARKS = set("《》<>〈〉＜＞‹›\"'")


class SubItem(NamedTuple):
    id: str
    section: str
    heading: tuple[str, ...]
    name: Message
    first_year: int | None
    last_year: int | None
    source: str


class Mention(NamedTuple):
    id: str
    when: tuple[str, ...]
    cite: str
    first_year: int | None
    last_year: int | None
    source: str


class Requirements(NamedTuple):
    """The validated requirement data of a :class:`StandardData`."""

    subitems: tuple[SubItem, ...]
    mentions: tuple[Mention, ...]
    area_codes: frozenset[str]
    required_contact: tuple[str, ...]
    area_source: str = ""  # the data file of the area codes (the first, when several packs give some)
    required_source: str = ""


class _Phrase(Text):
    """A phrase to look for: something is left once folded without white space, ``|`` and title marks."""

    def parse(self, value: Any, at: Where) -> Any:
        if not _compact(value):
            raise self.fail(value, at)
        return value


_ID_FIELD = Text(required=True, nonempty=True, strip=True, pattern=_ID,
                 noun=Message("由字母、数字、下划线或连字符组成的字符串", "a string of letters, digits, _ or -"))
_PHRASES = Texts(required=True, nonempty=True, min_items=1, single=True, item=_Phrase(nonempty=True))
_NAME = Text(required=True, nonempty=True, strip=True)
SUBITEM = Table({"id": _ID_FIELD, "section": _NAME, "heading": _PHRASES, "name": Bilingual(required=True, nonempty=True),
                 "years": YearRange(), "note": Text()})
MENTION = Table({"id": _ID_FIELD, "when": _PHRASES, "cite": _NAME, "years": YearRange(), "note": Text()})
CONTACT = Table({
    "area_codes": Texts(default=(), item=Text(pattern=_AREA, noun=Message(
        "区号（0 加 2 至 3 位数字，写成字符串，如 \"0531\"）", "an area code (0 and 2-3 digits, as a string like \"0531\")"))),
    "required": ArrayOf(Choice(*CONTACT_PIECES), default=[]),
})


def _entries(data: StandardData, key: str, schema: Table, ids: Unique) -> list[tuple[str, Where, dict[str, Any]]]:
    """``(file, place, values)`` of every ``[[key]]`` entry, their ids unique across both kinds of entry."""
    out = []
    for path, values in parse_items(data, key, ArrayOf(schema)):
        for i, raw in enumerate(values):
            at = in_file(path, key).item(i)
            ids.claim(raw["id"], at.child("id"), path)
            out.append((path, at, raw))
    return out


def _subitems(data: StandardData, ids: Unique) -> list[SubItem]:
    known = {s.key for layout in data.layouts.values() for s in layout.sections}
    out = []
    for path, at, raw in _entries(data, "required_subitems", SUBITEM, ids):
        if known and raw["section"] not in known:
            raise at.child("section").no_such(Message("部分", "section"), raw["section"], sorted(known))
        first, last = raw["years"]
        out.append(SubItem(raw["id"], raw["section"], raw["heading"], raw["name"], first, last, path))
    return out


def _mentions(data: StandardData, ids: Unique) -> list[Mention]:
    out = []
    for path, at, raw in _entries(data, "required_mentions", MENTION, ids):
        cite = raw["cite"]
        entry = registry(data).entry(cite)
        if entry is None:
            raise at.child("cite").error(
                f"引用文件登记表中没有 key 为“{cite}”的条目（须在 [[citations]] 中登记）",
                f"the citation registry has no entry with key {cite!r} (register it under [[citations]])")
        if not entry.title or not entry.numbers:
            raise at.child("cite").error(f"登记条目“{cite}”须有 title 和 numbers",
                                         f"registry entry {cite!r} needs a title and numbers")
        first, last = raw["years"]
        out.append(Mention(raw["id"], raw["when"], cite, first, last, path))
    return out


def _contact(data: StandardData) -> tuple[frozenset[str], tuple[str, ...], str, str]:
    tables = parse_items(data, "contact_constraints", CONTACT)
    codes = frozenset(c for _, t in tables for c in t["area_codes"])
    required = tuple(dict.fromkeys(p for _, t in tables for p in t["required"]))
    area_source = next((path for path, t in tables if t["area_codes"]), "")
    required_source = next((path for path, t in tables if t["required"]), "")
    return codes, required, area_source, required_source


def build_requirements(data: StandardData) -> Requirements:
    """Validate and merge the requirement keys of *data*; raise :class:`DataError` on mistakes."""
    ids = Unique(Message("id", "id"))
    subitems = _subitems(data, ids)
    mentions = _mentions(data, ids)
    codes, required, area_source, required_source = _contact(data)
    return Requirements(tuple(subitems), tuple(mentions), codes, required, area_source, required_source)


def requirements(data: StandardData) -> Requirements:
    """The requirements of *data*, validated once per :class:`StandardData` object."""
    return data.derived("requirements", build_requirements)


def _compact(text: str) -> str:
    """Folded, without whitespace, ``|`` and title marks / quotes: what phrases are compared as."""
    return "".join(ch for ch in normalize(text).text if ch not in _MARKS)


def _applies(first: int | None, last: int | None, year: int | None) -> bool:
    if year is None:
        return True
    return (first is None or year >= first) and (last is None or year <= last)


def _skipped(context: CheckContext, ident: str) -> bool:
    return ident in tuple(context.options.get("skip", ()))


def validate(data: StandardData) -> list[str]:
    """Validate the requirement keys once at load time; return the data keys they are.

    Not a hook here: the sections plugin registers it (``sections.validate_requirements``).
    """
    requirements(data)
    return list(KEYS)
