"""Requirements that data packs add: sub-items, required citations, contact constraints.

The national standard has none of these (``rules/`` sets no such key), so the
rules here are silent until a data pack (for example a provincial one) adds:

``[[required_subitems]]`` (GK108)
    a section must have a sub-heading containing one of some phrases
    (六、其他需要报告的事项 must have （X）……信息处理费收取情况).
``[[required_mentions]]`` (GK410)
    when the report mentions one of some phrases it must cite a document of the
    citation registry correctly: its exact title in 《》 followed by its 文号.
``[contact_constraints]`` (GK508, GK509)
    the telephone area codes allowed, and the contact details that must be given.

Every entry is validated when gklint loads the data (``gklint_validate_data``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from gklint import hookimpl
from gklint.data import StandardData, data_error, table_array
from gklint.findings import Message, Problem, Related, Severity
from gklint.model import Document, Span
from gklint.national.citation_registry import Entry, registry, title_forms
from gklint.national.contact import contact_patterns, details, electronic_version
from gklint.normalize import fold, normalize
from gklint.rule import CheckContext, Example, Rule

__all__ = ["KEYS", "Requirements", "gklint_rules", "gklint_validate_data", "requirements"]

KEYS = ("required_subitems", "required_mentions", "contact_constraints")
CONTACT_PIECES = ("telephone", "fax", "postcode", "email", "address", "electronic_version")
_PIECE_NAMES = {
    "telephone": ("电话", "telephone"), "fax": ("传真", "fax"), "postcode": ("邮政编码", "postcode"),
    "email": ("电子邮箱", "e-mail"), "address": ("通讯地址", "address"),
    "electronic_version": ("电子版获取途径", "where the electronic version is"),
}
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


# -- data ---------------------------------------------------------------------------------



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


# -- text helpers ----------------------------------------------------------------------------


def _compact(text: str) -> str:
    """Folded, without whitespace, ``|`` and title marks / quotes: what phrases are compared as."""
    return "".join(ch for ch in normalize(text).text if ch not in _MARKS)


class _Compact:
    """Compacted text and the original offset of each character, plus the end."""

    __slots__ = ("text", "index")

    def __init__(self, text: str, index: list[int]) -> None:
        self.text = text
        self.index = index

    def span(self, start: int, end: int) -> Span:
        return Span(self.index[start], self.index[end - 1] + 1)


def _compact_doc(text: str) -> _Compact:
    norm = normalize(text)
    keep = [i for i, ch in enumerate(norm.text) if ch not in _MARKS]
    return _Compact("".join(norm.text[i] for i in keep), [norm.index[i] for i in keep] + [len(text)])


def _applies(first: int | None, last: int | None, year: int | None) -> bool:
    if year is None:
        return True
    return (first is None or year >= first) and (last is None or year <= last)


def _skipped(context: CheckContext, ident: str) -> bool:
    return ident in tuple(context.options.get("skip", ()))


# -- GK108 required sub-item ---------------------------------------------------------------------


def check_subitems(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK108: a section lacks a sub-item a data pack requires."""
    for item in requirements(context.data).subitems:
        if _skipped(context, item.id) or not _applies(item.first_year, item.last_year, doc.metadata.year):
            continue
        section = doc.section(item.section)
        if section is None:
            continue  # GK101 reports the missing section
        wanted = [_compact(h) for h in item.heading]
        if any(w in _compact(h.title) for h in section.headings for w in wanted):
            continue
        heading = " ".join(doc.snippet(section.heading_span).split())
        phrases = "”或“".join(item.heading)
        yield Problem(
            section.heading_span,
            Message(f"“{heading}”中缺少“{item.name.zh}”一项（应有标题含“{phrases}”的小标题）",
                    f"{heading!r} lacks the item {item.name.en!r} (a sub-heading containing {' or '.join(item.heading)})"),
            key=(item.id,),
            origin=item.source,
        )


# -- GK410 required mention ----------------------------------------------------------------------


_BRACKETS = "〔[(【［﹝"
_CLOSERS = "〕])】］﹞"


def _number_re(number: str) -> re.Pattern[str]:
    """A 文号 in any bracket style, with or without 第 (compared on compact text)."""
    m = re.match(r"^(?P<prefix>.*?)〔(?P<year>[0-9]{4})〕(?P<num>[0-9]+)号$", fold(number))
    if m is None:
        return re.compile(re.escape(_compact(number)))
    return re.compile(rf"{re.escape(_compact(m['prefix']))}[{re.escape(_BRACKETS)}]{m['year']}"
                      rf"[{re.escape(_CLOSERS)}]第?0*{int(m['num'])}号")


_CITED_NUMBER = re.compile(r"\([^()]{0,24}?[0-9]{4}[^()0-9]{0,3}第?[0-9]+号")


def _after_title(doc: Document, span: Span) -> bool:
    """Whether the 文号 at *span* directly follows a title in 《》 (a citation GK402 checks)."""
    before = doc.text[max(0, span.start - 3):span.start].rstrip()
    return before.endswith(("》（", "》(", "》"))


def _citation_problem(doc: Document, compact: _Compact, entry: Entry, trigger: Span, phrase: str) -> Problem | None:
    titles = sorted(title_forms(entry), key=len, reverse=True)
    numbers = [fold(n) for n in entry.numbers]
    text = compact.text
    title_at: tuple[int, int] | None = None
    for t in titles:
        for m in re.finditer(re.escape(t), text):
            after = text[m.end():m.end() + 1 + max(len(n) for n in numbers)]
            if after.startswith("(") and any(after[1:].startswith(n) for n in numbers):
                return None
            title_at = title_at or (m.start(), m.end())
    cited = f"《{entry.nested_title()}》（{entry.number}）"
    number_hit = next((m for n in entry.numbers for m in _number_re(n).finditer(text)), None)
    if number_hit is not None and _after_title(doc, compact.span(number_hit.start(), number_hit.end())):
        return None  # 《another title》（its number）: GK402 reports the title, one finding is enough
    if number_hit is None and title_at is not None and _CITED_NUMBER.match(text, title_at[1]):
        return None  # 《its title》（another number）: GK402 reports the number
    if number_hit is not None:
        written = doc.snippet(compact.span(number_hit.start(), number_hit.end()))
        return Problem(
            compact.span(number_hit.start(), number_hit.end()),
            Message(f"引用“{written}”时标题或文号写法有误，应写作{cited}",
                    f"{written!r} is cited with a wrong title or number; write {cited}"),
            related=(Related(trigger, Message(f"提到“{phrase}”", f"mentions {phrase}")),),
            key=(entry.key, "miscited"),
        )
    if title_at is not None:
        return Problem(
            compact.span(*title_at),
            Message(f"引用《{entry.nested_title()}》时缺少文号或文号有误，应写作{cited}",
                    f"《{entry.title}》 is cited without its number {entry.number} (or with a wrong one); write {cited}"),
            related=(Related(trigger, Message(f"提到“{phrase}”", f"mentions {phrase}")),),
            key=(entry.key, "number"),
        )
    return Problem(
        trigger,
        Message(f"报告提到“{phrase}”，但没有引用{cited}", f"the report mentions {phrase} but does not cite {cited}"),
        key=(entry.key, "missing"),
    )


def check_mentions(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK410: the report mentions a subject but does not cite the document a data pack requires for it."""
    reqs = requirements(context.data)
    if not reqs.mentions:
        return
    reg = registry(context.data)
    compact = _compact_doc(doc.text)
    for item in reqs.mentions:
        if _skipped(context, item.id) or not _applies(item.first_year, item.last_year, doc.metadata.year):
            continue
        hits = [(m, phrase) for phrase in item.when if (m := re.search(re.escape(_compact(phrase)), compact.text))]
        entry = reg.entry(item.cite)
        if not hits or entry is None:
            continue
        m, phrase = min(hits, key=lambda h: h[0].start())
        problem = _citation_problem(doc, compact, entry, compact.span(m.start(), m.end()), phrase)
        if problem is not None:
            yield dataclasses.replace(problem, origin=item.source)


# -- GK508 / GK509 contact constraints -------------------------------------------------------------------


_NUMBER_PART = re.compile(r"[^/.、或]+")


def _area_code(number: str) -> str | None:
    """The area code of a landline number (``0533-6961158`` -> ``0533``), ``None`` for other numbers."""
    main = number.partition("转")[0].strip()
    if main.startswith("+86"):
        main = "0" + main[3:].strip(" -")
    digits = re.sub(r"[\s\-()]", "", main)
    if not digits.isdigit() or not digits.startswith("0") or len(digits) < 10:
        return None
    return digits[:3] if digits[1] in "12" else digits[:4]


def check_area_codes(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK508: a landline telephone or fax number whose area code is not among those a data pack allows."""
    reqs = requirements(context.data)
    if not reqs.area_codes:
        return
    allowed = reqs.area_codes | set(context.options.get("extra-area-codes", ()))
    for detail in details(doc, contact_patterns(context.data)):
        if not detail.kinds & {"telephone", "fax"}:
            continue
        for m in _NUMBER_PART.finditer(fold(detail.text)):
            number = m.group().strip()
            code = _area_code(number) if number else None
            if code is None or code in allowed:
                continue
            start = detail.value.start + m.start() + len(m.group()) - len(m.group().lstrip())
            span = Span(start, start + len(number))
            shown = "、".join(sorted(allowed))
            yield Problem(
                span,
                Message(f"号码“{doc.snippet(span)}”的区号 {code} 不在本地区的区号中（{shown}）",
                        f"the area code {code} of {doc.snippet(span)!r} is not one of this region's ({', '.join(sorted(allowed))})"),
                key=(code, number),
                origin=reqs.area_source,
            )


def check_required_contact(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK509: a contact detail a data pack requires is not given."""
    reqs = requirements(context.data)
    if not reqs.required_contact:
        return
    patterns = contact_patterns(context.data)
    found = details(doc, patterns)
    have = {k for d in found for k in d.kinds}
    if electronic_version(doc, patterns) is not None:
        have.add("electronic_version")
    anchor = found[0].span if found else (doc.metadata.intro[-1].span if doc.metadata.intro else doc.metadata.title_span)
    for piece in reqs.required_contact:
        if piece in have or piece in tuple(context.options.get("skip", ())):
            continue
        zh, en = _PIECE_NAMES[piece]
        yield Problem(anchor, Message(f"联系方式中没有{zh}（本地区要求写明）", f"the contact details give no {en} (required in this region)"),
                      key=(piece,), origin=reqs.required_source)


# -- rules --------------------------------------------------------------------------------------------


_SOURCE = ("数据包（规则包）中的地方要求，见各规则包的说明", "a regional requirement from a data pack (see the pack's documentation)")


def _rule(rid: str, name: str, family: str, short: tuple[str, str], full: tuple[str, str], help_: tuple[str, str],
          check: Any, options: Mapping[str, Any], example: Example, severity: Severity = Severity.WARNING) -> Rule:
    return Rule(rid, name, family, severity, Message(*short), Message(*full), Message(*help_), check,
                Message(*_SOURCE), (example,), options)


_FEE_NOTICE = """
[[citations]]
key = "EX-FEE"
status = "verified"
kind = "notice"
title = "山东省人民政府办公厅关于做好政府信息公开信息处理费管理工作有关事项的通知"
issuer = "山东省人民政府办公厅"
numbers = ["鲁政办字〔2020〕179号"]

[[required_mentions]]
id = "EX-fee-notice"
when = ["信息处理费"]
cite = "EX-FEE"
"""


RULES = [
    _rule("GK108", "required-subitem", "GK1", ("缺少地方要求的小标题（分项）", "a sub-item required by a regional pack is missing"),
          ("数据包用 [[required_subitems]] 要求某一部分含有某个分项，例如“六、其他需要报告的事项”中应有“（一）政府信息公开信息处理费收取情况”。"
           "该部分的小标题中都不含所列词语时报告。全国标准没有此类要求，未安装地方规则包时本规则不会报告。",
           "A data pack's [[required_subitems]] require a section to have a sub-item, e.g. 六、其他需要报告的事项 must have "
           "（一）政府信息公开信息处理费收取情况. Fires when no sub-heading of the section contains one of the phrases. "
           "The national standard has none: without a regional pack this rule is silent."),
          ("在该部分补写相应的小标题和内容。", "Add the sub-heading and its content to the section."),
          check_subitems, {"skip": []},
          Example(
              bad="六、其他需要报告的事项\n", good="六、其他需要报告的事项\n（一）政府信息公开信息处理费收取情况\n",
              replaces="六、其他需要报告的事项\n",
              data='[[required_subitems]]\nid = "EX-fee"\nsection = "other"\nheading = ["信息处理费"]\n'
                   'name = { zh = "政府信息公开信息处理费收取情况", en = "fees" }\n',
          ), Severity.ERROR),
    _rule("GK410", "required-citation", "GK4", ("提到某事项时未正确引用地方要求的文件", "a document required by a regional pack is not cited correctly"),
          ("数据包用 [[required_mentions]] 规定：报告提到某些词语（如“信息处理费”）时，必须引用引用文件登记表中的某个文件，"
           "写明完整标题和文号，如《山东省人民政府办公厅关于做好政府信息公开信息处理费管理工作有关事项的通知》（鲁政办字〔2020〕179号）。"
           "没有引用、只写了文号或标题、或写法有误时报告。全国标准没有此类要求。",
           "A data pack's [[required_mentions]] say: when the report mentions certain words (such as 信息处理费) it must cite a "
           "registered document with its full title and number. Fires when it is not cited, cited by number or title only, "
           "or miscited. The national standard has none."),
          ("按消息中的写法补上或改正引用：《完整标题》（文号）。", "Add or correct the citation as the message shows: 《full title》（number）."),
          check_mentions, {"skip": []},
          Example(
              bad="未收取信息处理费。",
              good="未收取信息处理费（依据《山东省人民政府办公厅关于做好政府信息公开信息处理费管理工作有关事项的通知》"
                   "（鲁政办字〔2020〕179号））。",
              replaces="未收取信息处理费。", data=_FEE_NOTICE,
          ), Severity.ERROR),
    _rule("GK508", "area-code", "GK5", ("电话区号不属于本地区", "telephone area code outside the region"),
          ("数据包用 [contact_constraints] area_codes 列出本地区的电话区号；固定电话或传真号码的区号不在其中时报告"
           "（手机和服务号码不检查）。可在配置 [tool.gklint.rules.GK508] extra-area-codes 中补充区号。",
           "A data pack's [contact_constraints] area_codes list the region's area codes; fires for a landline or fax number "
           "with another area code (mobiles and service numbers are not checked). Add codes with "
           "[tool.gklint.rules.GK508] extra-area-codes."),
          ("核对区号（如淄博为0533）。", "Check the area code."),
          check_area_codes, {"extra-area-codes": []},
          Example(bad="电话：0551-5261234", good="电话：0538-5261234", replaces="电话：0538-5261234",
                  data='[contact_constraints]\narea_codes = ["0538"]\n')),
    _rule("GK509", "required-contact-detail", "GK5", ("缺少本地区要求的联系方式", "a contact detail required in the region is missing"),
          ("数据包用 [contact_constraints] required 列出必须写明的联系方式（telephone、fax、postcode、email、address、"
           "electronic_version）；缺少其中一项时报告。",
           "A data pack's [contact_constraints] required lists the contact details that must be given; fires for each one missing."),
          ("在导语中补写该项联系方式。", "Add the contact detail to the intro."),
          check_required_contact, {"skip": []},
          Example(bad="电话：0538-5261234；", good="电话：0538-5261234；传真：0538-5261235；", replaces="电话：0538-5261234；",
                  data='[contact_constraints]\nrequired = ["fax"]\n')),
]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate the requirement keys once at load time; return the data keys this family owns."""
    requirements(data)
    return list(KEYS)
