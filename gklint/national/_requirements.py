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
from collections.abc import Mapping
from typing import Any, NamedTuple

from gklint import hookimpl
from gklint.data import StandardData, data_error, table_array
from gklint.findings import Message
from gklint.national.citations.registry import registry
from gklint.normalize import normalize
from gklint.rule import CheckContext

KEYS = ("required_subitems", "required_mentions", "contact_constraints")


CONTACT_PIECES = ("telephone", "fax", "postcode", "email", "address", "electronic_version")


_ID = re.compile(r"^[A-Za-z0-9_-]+$")


_AREA = re.compile(r"^0[0-9]{2,3}$")


_MARKS = set("《》<>〈〉＜＞‹›\"'")


_SUBITEM_FIELDS = ("id", "section", "heading", "name", "years", "note")


_MENTION_FIELDS = ("id", "when", "cite", "years", "note")


_CONTACT_FIELDS = ("area_codes", "required")


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


def _text(raw: Mapping[str, Any], name: str, path: str, where: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise data_error(path, f"{where}.{name}", "必填，应为非空字符串", "required, expected a non-empty string")
    return value.strip()


def _phrases(raw: Mapping[str, Any], name: str, path: str, where: str) -> tuple[str, ...]:
    value = raw.get(name)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and _compact(v) for v in value):
        raise data_error(path, f"{where}.{name}", "必填，应为非空字符串的非空列表", "required, expected a non-empty list of non-empty strings")
    return tuple(value)


def _years(raw: Mapping[str, Any], path: str, where: str) -> tuple[int | None, int | None]:
    value = raw.get("years", {})
    if not isinstance(value, Mapping) or set(value) - {"first", "last"} or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value.values()):
        raise data_error(path, f"{where}.years", "应为 {first = 2021, last = 2025}（两项都可省略）",
                   "expected {first = 2021, last = 2025} (either may be left out)")
    return value.get("first"), value.get("last")


def _id(raw: Mapping[str, Any], path: str, where: str, seen: dict[str, str]) -> str:
    ident = _text(raw, "id", path, where)
    if not _ID.match(ident):
        raise data_error(path, f"{where}.id", "只能含字母、数字、下划线和连字符", "may only contain letters, digits, _ and -")
    if ident in seen:
        raise data_error(path, f"{where}.id", f"重复的 id “{ident}”（已在 {seen[ident]} 中定义）",
                   f"duplicate id {ident!r} (already defined in {seen[ident]})")
    seen[ident] = path
    return ident


def _message(value: Any, path: str, where: str) -> Message:
    if isinstance(value, str) and value.strip():
        return Message(value, value)
    if isinstance(value, Mapping) and isinstance(value.get("zh"), str) and value["zh"].strip():
        en = value.get("en", value["zh"])
        return Message(value["zh"], en if isinstance(en, str) else value["zh"])
    raise data_error(path, where, '必填，应为字符串或 {zh = "…", en = "…"}', 'required, expected a string or {zh = "...", en = "..."}')


def _subitems(data: StandardData, seen: dict[str, str]) -> list[SubItem]:
    known = {s.key for layout in data.layouts.values() for s in layout.sections}
    out = []
    for path, value in data.items("required_subitems"):
        for i, raw in enumerate(table_array(value, path, "required_subitems", _SUBITEM_FIELDS)):
            where = f"required_subitems[{i}]"
            ident = _id(raw, path, where, seen)
            section = _text(raw, "section", path, where)
            if known and section not in known:
                raise data_error(path, f"{where}.section", f"没有键为“{section}”的部分（可用：{', '.join(sorted(known))}）",
                           f"no section with key {section!r} (known: {', '.join(sorted(known))})")
            heading = _phrases(raw, "heading", path, where)
            name = _message(raw.get("name"), path, f"{where}.name")
            out.append(SubItem(ident, section, heading, name, *_years(raw, path, where), path))
    return out


def _mentions(data: StandardData, seen: dict[str, str]) -> list[Mention]:
    out = []
    for path, value in data.items("required_mentions"):
        for i, raw in enumerate(table_array(value, path, "required_mentions", _MENTION_FIELDS)):
            where = f"required_mentions[{i}]"
            ident = _id(raw, path, where, seen)
            when = _phrases(raw, "when", path, where)
            cite = _text(raw, "cite", path, where)
            entry = registry(data).entry(cite)
            if entry is None:
                raise data_error(path, f"{where}.cite", f"引用文件登记表中没有 key 为“{cite}”的条目（须在 [[citations]] 中登记）",
                           f"the citation registry has no entry with key {cite!r} (register it under [[citations]])")
            if not entry.title or not entry.numbers:
                raise data_error(path, f"{where}.cite", f"登记条目“{cite}”须有 title 和 numbers", f"registry entry {cite!r} needs a title and numbers")
            out.append(Mention(ident, when, cite, *_years(raw, path, where), path))
    return out


def _contact(data: StandardData) -> tuple[frozenset[str], tuple[str, ...], str, str]:
    codes: set[str] = set()
    required: list[str] = []
    sources = {"area": "", "required": ""}
    for path, raw in data.items("contact_constraints"):
        if not isinstance(raw, Mapping):
            raise data_error(path, "contact_constraints", "应为表 [contact_constraints]", "expected a table [contact_constraints]")
        for name in raw:
            if name not in _CONTACT_FIELDS:
                raise data_error(path, f"contact_constraints.{name}", f"未知字段，可用字段：{', '.join(_CONTACT_FIELDS)}",
                           f"unknown field, expected one of {', '.join(_CONTACT_FIELDS)}")
        area_codes = raw.get("area_codes", [])
        if not isinstance(area_codes, list):
            raise data_error(path, "contact_constraints.area_codes", "应为区号字符串的列表", "expected a list of area-code strings")
        for i, code in enumerate(area_codes):
            if not isinstance(code, str) or not _AREA.match(code):
                raise data_error(path, f"contact_constraints.area_codes[{i}]", f"“{code}”不是区号（0 加 2 至 3 位数字，写成字符串，如 \"0531\"）",
                           f"{code!r} is not an area code (0 and 2-3 digits, as a string like \"0531\")")
            codes.add(code)
            sources["area"] = sources["area"] or path
        pieces = raw.get("required", [])
        if not isinstance(pieces, list):
            raise data_error(path, "contact_constraints.required", "应为列表", "expected a list")
        for i, piece in enumerate(pieces):
            if piece not in CONTACT_PIECES:
                raise data_error(path, f"contact_constraints.required[{i}]", f"“{piece}”应为 {' | '.join(CONTACT_PIECES)} 之一",
                           f"{piece!r} must be one of {' | '.join(CONTACT_PIECES)}")
            if piece not in required:
                required.append(piece)
            sources["required"] = sources["required"] or path
    return frozenset(codes), tuple(required), sources["area"], sources["required"]


def build_requirements(data: StandardData) -> Requirements:
    """Validate and merge the requirement keys of *data*; raise :class:`DataError` on mistakes."""
    seen: dict[str, str] = {}
    subitems = _subitems(data, seen)
    mentions = _mentions(data, seen)
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


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate the requirement keys once at load time; return the data keys this family owns."""
    requirements(data)
    return list(KEYS)
