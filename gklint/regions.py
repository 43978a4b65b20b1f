"""Which region a report belongs to, worked out from what it says.

The facts are data: ``rules/regions.toml`` lists the provincial-level regions
(``[[regions]]``: name, other names, the leading digits of their 行政区划代码,
telephone area codes and postcode prefixes), and a regional pack declares the
region it serves with ``[region]`` in its own data file, adding place names or
declaring a city or county under a province (a 4- or 6-digit code).

:func:`infer_region` reads the evidence a report gives: the agency in its title
and its 发布机构, place names in its address, the area code of its telephone
numbers and its postcode.  Each piece points at the regions it fits; the
province with the most weight wins (a tie between two provinces is no answer),
then, below it, the city or county a pack declared, the same way.

This module also provides GK003: when regional packs are installed and a
report's region cannot be worked out, one info finding names the packs that
were not applied and how to set the region.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gklint import hookimpl
from gklint.data import StandardData
from gklint.findings import Message, Problem
from gklint.lazyre import lazy
from gklint.model import Document, Span
from gklint.rule import CheckContext, Rule
from gklint.schema import ArrayOf, Table, Text, Texts, Unique, Where, in_file

__all__ = [
    "KEYS",
    "Evidence",
    "Region",
    "RegionGuess",
    "RegionTable",
    "infer_region",
    "region_table",
]

#: The data keys this module owns: the national table and a pack's own region.
KEYS = ("regions", "region")
_CODE = lazy(r"^[0-9]{2}(?:[0-9]{2}){0,2}$")
_AREA = lazy(r"^(0[0-9]{2,3})(?:-(0[0-9]{2,3}))?$")
_POSTCODE = lazy(r"^[0-9]{1,6}$")

#: How much each kind of evidence weighs.
WEIGHTS = {"agency": 3, "publisher": 3, "address": 2, "telephone": 2, "postcode": 1}


@dataclass(frozen=True)
class Region:
    """One region: a province from the national table, or a city or county a pack declares."""

    code: str
    name: str
    names: tuple[str, ...] = ()
    area_codes: frozenset[str] = frozenset()
    postcodes: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.names, *self.places)


@dataclass(frozen=True)
class Evidence:
    """What the report says that points at a region: ``kind`` (agency, publisher, address, telephone, postcode)."""

    kind: str
    text: str
    span: Span | None
    codes: tuple[str, ...]  # the regions it fits
    names: tuple[str, ...] = ()  # their names


@dataclass(frozen=True)
class RegionGuess:
    """A report's region: ``code`` and ``name`` (empty when unknown), the chain from province down.

    ``source`` is ``"report"`` (worked out from the text), ``"config"`` (set by the user) or
    ``""`` (unknown).  ``conflict`` names the regions tied for first place.
    """

    code: str = ""
    name: str = ""
    chain: tuple[str, ...] = ()
    source: str = ""
    evidence: tuple[Evidence, ...] = ()
    conflict: tuple[str, ...] = ()
    #: Filled by the linter: the regional packs applied, and those left out (plugin names).
    applied: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    skipped_labels: tuple[Message, ...] = field(default=(), compare=False)

    def as_dict(self, doc: Document | None = None) -> dict[str, Any]:
        def at(span: Span | None) -> str | None:
            return doc.place(span) if doc is not None else None

        return {
            "region": self.name or None,
            "code": self.code or None,
            "chain": list(self.chain),
            "source": self.source or None,
            "evidence": [{"kind": e.kind, "text": e.text, "at": at(e.span), "regions": list(e.names or e.codes)}
                         for e in self.evidence],
            **({"conflict": list(self.conflict)} if self.conflict else {}),
            "packs_applied": list(self.applied),
            "packs_not_applied": list(self.skipped),
        }


# -- the table -----------------------------------------------------------------------------------


class _AreaCodes(Text):
    """An area code (``"0531"``) or a range of them (``"0530-0539"``), returned as a set."""

    noun = Message("区号或区号段，如 \"0531\" 或 \"0530-0539\"", "an area code or a range, like \"0531\" or \"0530-0539\"")

    def parse(self, value: Any, at: Where) -> Any:
        m = _AREA.match(value)
        if m is None or (m[2] and (len(m[1]) != len(m[2]) or m[2] < m[1])):
            raise self.fail(value, at)
        if m[2]:
            return {str(n).zfill(len(m[1])) for n in range(int(m[1]), int(m[2]) + 1)}
        return {m[1]}


_NAMES = Texts(nonempty=True, strip=True, default=())
#: A ``[[regions]]`` entry of the national table, or a pack's ``[region]``.
REGION = Table({
    "name": Text(strip=True, default="", noun=Message("地区全称，如 \"山东省\"", "the region's full name, like \"山东省\"")),
    "names": _NAMES,
    "code": Text(pattern=_CODE, default="", noun=Message("行政区划代码的前 2、4 或 6 位数字，如 \"37\"、\"3703\"",
                                                         "the first 2, 4 or 6 digits of the 行政区划代码, like \"37\" or \"3703\"")),
    "area_codes": Texts(nonempty=True, strip=True, item=_AreaCodes(), default=()),
    "postcodes": Texts(nonempty=True, strip=True, default=(), item=Text(
        pattern=_POSTCODE, noun=Message("邮政编码或其前几位数字", "a postcode or its first digits"))),
    "places": _NAMES,
})


def _region(raw: Any, at: Where, national: Mapping[str, Region] | None) -> Region | None:
    """The region *raw* declares; ``None`` for a pack's region left empty (the template: inert).

    A pack's region (*national* given) may name a province without its code; a city or county needs one.
    """
    values = REGION.parse(raw, at)
    name, code = values["name"], values["code"]
    if not name:
        if national is not None and set(raw) - {"name"}:
            raise at.child("name").error("必填：本包服务的地区全称，如 \"江苏省\"",
                                         "required: the full name of the region the pack serves, like \"江苏省\"")
        if national is None:
            raise at.dialect.missing(at.child("name").key, REGION.fields["name"].noun)
        return None
    if not code and national is not None:
        known = next((r for r in national.values() if name == r.name or name in r.names), None)
        if known is None:
            raise at.child("code").error(
                f"“{name}”不是省级行政区划的名称，须写明 code（行政区划代码的前 4 或 6 位）",
                f"{name!r} is not a provincial-level region: give its code (the first 4 or 6 digits of the 行政区划代码)")
        code = known.code
    if not code:
        raise at.dialect.missing(at.child("code").key, REGION.fields["code"].noun)
    return Region(code, name, values["names"], frozenset().union(*values["area_codes"]), values["postcodes"],
                  values["places"])


def _merge(a: Region, b: Region) -> Region:
    """*a* with what *b* (a pack's declaration of the same region) adds."""
    return Region(a.code, a.name, tuple(dict.fromkeys((*a.names, *b.names, *((b.name,) if b.name != a.name else ())))),
                  a.area_codes | b.area_codes, tuple(dict.fromkeys((*a.postcodes, *b.postcodes))),
                  tuple(dict.fromkeys((*a.places, *b.places))))


class RegionTable:
    """The national regions and those the packs declare, by code; ``declared`` maps data file -> region code."""

    def __init__(self, regions: Mapping[str, Region], declared: Mapping[str, str]) -> None:
        self.regions = dict(regions)
        self.declared = dict(declared)

    def get(self, code: str) -> Region | None:
        return self.regions.get(code)

    def names_by_first_char(self) -> dict[str, list[tuple[str, str]]]:
        """Every ``(name, code)`` of the table by the name's first character (built once)."""
        index: dict[str, list[tuple[str, str]]] | None = getattr(self, "_by_first", None)
        if index is None:
            index = {}
            for region in self.regions.values():
                for name in region.all_names():
                    if name:
                        index.setdefault(name[0], []).append((name, region.code))
            self._by_first = index
        return index

    def lookup(self, name: str) -> Region | None:
        """The region called *name* (full name, other name or code); ``None`` if unknown."""
        name = name.strip()
        found = self.regions.get(name)
        if found is not None:
            return found
        for region in sorted(self.regions.values(), key=lambda r: len(r.code)):
            if name == region.name or name in region.names:
                return region
        return None

    def chain(self, code: str) -> tuple[Region, ...]:
        """The regions from the province down to *code* (those the table has)."""
        return tuple(r for n in (2, 4, 6) if len(code) >= n and (r := self.regions.get(code[:n])) is not None)

    def children(self, code: str) -> list[Region]:
        below = [r for r in self.regions.values() if r.code.startswith(code) and len(r.code) > len(code)]
        return [r for r in below if not any(o.code != r.code and r.code.startswith(o.code) and len(o.code) > len(code)
                                             for o in below)]

    def names(self) -> list[str]:
        return [r.name for r in sorted(self.regions.values(), key=lambda r: r.code)]


def build_region_table(data: StandardData) -> RegionTable:
    """Validate the ``[[regions]]`` tables and every pack's ``[region]``; raise :class:`DataError` on mistakes."""
    national: dict[str, Region] = {}
    codes = Unique(Message("代码", "code"))
    for path, value in data.items("regions"):
        at = in_file(path, "regions")
        for i, raw in enumerate(ArrayOf(Table({}, closed=False)).parse(value, at)):
            region = _region(raw, at.item(i), None)
            assert region is not None
            codes.claim(region.code, at.item(i).child("code"), path)
            national[region.code] = region
    regions = dict(national)
    declared: dict[str, str] = {}
    for path, raw in data.items("region"):
        region = _region(raw, in_file(path, "region"), national)
        if region is None:
            declared[path] = ""
            continue
        declared[path] = region.code
        have = regions.get(region.code)
        regions[region.code] = _merge(have, region) if have is not None else region
    return RegionTable(regions, declared)


def region_table(data: StandardData) -> RegionTable:
    """The region table of *data*, built once per :class:`StandardData`."""
    return data.derived("regions", build_region_table)


# -- inference -------------------------------------------------------------------------------------------


_PUBLISHER = lazy(r"(?:发布机构|发文机关|发布单位)\s*[:：]?\s*[|｜]?\s*(?P<v>[^\s|｜:：]{2,40})")
_ADDRESS = lazy(r"(?:通讯地址|联系地址|办公地址|地址)\s*[:：]?\s*(?P<v>[^；;，,。）)\n|｜]{2,60})")
# (starts with its literal 0, so a scan is quick; the digit before it is checked in Python)
_PHONE = lazy(r"(?P<code>0(?:[12][0-9]|[3-9][0-9]{2}))\s*[-－—–)）]\s*[0-9]{6,8}(?![0-9])")
_POST = lazy(r"(?:邮编|邮政编码)\s*[:：]?\s*(?P<v>[0-9]{6})(?![0-9])")
_HEAD = 4000  # the publisher line sits in the page header


def _name_codes(table: RegionTable, text: str, *, start: bool) -> tuple[str, ...]:
    """Codes of the regions one of whose names *text* starts with (*start*) or holds."""
    by_first = table.names_by_first_char()
    out = set()
    for at in ((0,) if start else range(len(text))):
        for name, code in by_first.get(text[at : at + 1], ()):
            if text.startswith(name, at):
                out.add(code)
    return tuple(sorted(out))


def _keyword_matches(pattern: re.Pattern[str], text: str, keyword: str, before: int) -> list[re.Match[str]]:
    """``pattern.finditer(text)``, tried only where *keyword* occurs (up to *before* characters
    earlier, for longer forms ending in it): a keyword is rare, a scan of every position is not."""
    out: list[re.Match[str]] = []
    at = text.find(keyword)
    end = 0
    while at != -1:
        for start in (at - before, at) if before else (at,):
            if start >= end:
                m = pattern.match(text, start)
                if m is not None:
                    out.append(m)
                    end = m.end()
                    break
        at = text.find(keyword, max(at + 1, end))
    return out


def _evidence(doc: Document, table: RegionTable) -> Iterator[Evidence]:
    agency = doc.metadata.agency.strip()
    if agency:
        at = doc.text.find(agency)
        yield Evidence("agency", agency, Span(at, at + len(agency)) if at >= 0 else doc.metadata.title_span,
                       _name_codes(table, agency, start=True))
    head = doc.text[:_HEAD]
    for m in _PUBLISHER.finditer(head):
        yield Evidence("publisher", m["v"], Span(m.start("v"), m.end("v")), _name_codes(table, m["v"], start=True))
        break
    seen: set[str] = set()
    for m in _keyword_matches(_ADDRESS, doc.text, "地址", 2):
        value = m["v"].strip()
        if value in seen:
            continue
        seen.add(value)
        codes = _name_codes(table, value, start=False)
        if codes:
            yield Evidence("address", value, Span(m.start("v"), m.start("v") + len(value)), codes)
    for m in _PHONE.finditer(doc.text):
        if m.start() and doc.text[m.start() - 1].isdigit():
            continue
        code = m["code"]
        if code in seen:
            continue
        seen.add(code)
        yield Evidence("telephone", code, Span(m.start("code"), m.end("code")),
                       tuple(sorted(r.code for r in table.regions.values() if code in r.area_codes)))
    for m in (*_keyword_matches(_POST, doc.text, "邮编", 0), *_keyword_matches(_POST, doc.text, "邮政编码", 0)):
        value = m["v"]
        if value in seen:
            continue
        seen.add(value)
        yield Evidence("postcode", value, Span(m.start("v"), m.end("v")),
                       tuple(sorted(r.code for r in table.regions.values() if value.startswith(r.postcodes))))


def _named(e: Evidence, table: RegionTable) -> Evidence:
    names = tuple(r.name for c in e.codes if (r := table.get(c)) is not None)
    return Evidence(e.kind, e.text, e.span, e.codes, names)


def _score(evidence: Sequence[Evidence], code: str) -> int:
    """The weight of the evidence that fits *code* or a region below it (each piece counted once)."""
    return sum(WEIGHTS[e.kind] for e in evidence if any(c.startswith(code) for c in e.codes))


def infer_region(doc: Document, table: RegionTable) -> RegionGuess:
    """The region *doc* belongs to, with the evidence; an empty guess when it cannot be told."""
    evidence = tuple(_named(e, table) for e in _evidence(doc, table))
    if not any(e.codes for e in evidence):
        return RegionGuess(evidence=evidence)
    chosen: Region | None = None
    pointed = {c for e in evidence for c in e.codes}  # a region no evidence points at or below scores 0
    candidates = [r for r in table.regions.values() if len(r.code) == 2]
    while candidates:
        candidates = [r for r in candidates if any(c.startswith(r.code) for c in pointed)]
        scored = sorted(((_score(evidence, r.code), r) for r in candidates), key=lambda s: (-s[0], s[1].code))
        scored = [s for s in scored if s[0] > 0]
        if not scored:
            break
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            if chosen is None:
                tied = tuple(r.name for s, r in scored if s == scored[0][0])
                return RegionGuess(evidence=evidence, conflict=tied)
            break  # the province is certain, the city is not
        chosen = scored[0][1]
        candidates = table.children(chosen.code)
    if chosen is None:
        return RegionGuess(evidence=evidence)
    return RegionGuess(chosen.code, chosen.name, tuple(r.name for r in table.chain(chosen.code)), "report", evidence)


def configured_region(table: RegionTable, name: str) -> RegionGuess | None:
    """The region the user set by *name*; ``None`` when the table has no such region."""
    region = table.lookup(name)
    if region is None:
        return None
    return RegionGuess(region.code, region.name, tuple(r.name for r in table.chain(region.code)), "config")


# -- GK003 ------------------------------------------------------------------------------------------------


def check_region_unknown(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK003: regional packs are installed but the report's region could not be worked out."""
    guess = getattr(doc, "region", None)
    if not isinstance(guess, RegionGuess) or guess.code or not guess.skipped:
        return
    labels = "、".join(m.zh for m in guess.skipped_labels) or "、".join(guess.skipped)
    labels_en = ", ".join(m.en for m in guess.skipped_labels) or ", ".join(guess.skipped)
    why = (f"（依据相互矛盾：{'、'.join(guess.conflict)}）", f" (the evidence points at {', '.join(guess.conflict)})") \
        if guess.conflict else ("", "")
    yield Problem(
        doc.metadata.title_span,
        Message(f"无法从报告判断所属地区{why[0]}，未应用地方规则包：{labels}。只按全国规则检查；"
                f"可在配置中写 region = \"山东省\" 或在命令行用 --region 指定地区",
                f"the report's region cannot be worked out{why[1]}; regional packs not applied: {labels_en}. "
                "Only the national rules were checked; set the region with region = \"山东省\" in the "
                "configuration or --region on the command line"),
        key=("region", *guess.skipped),
    )


@hookimpl
def gklint_rules() -> list[Rule]:
    """GK003, declared in ``regions.rules.toml``."""
    from gklint.declare import load_rules

    return list(load_rules("gklint", "regions.rules.toml"))


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    region_table(data)
    return list(KEYS)
