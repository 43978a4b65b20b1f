"""GK1 sections: the six top-level parts of the report format and what they hold.

The report format (国办公开办函〔2021〕30号, and the 2019/2020 trial format of
国办公开办函〔2019〕60号, whose six sections are the same) fixes six numbered
sections in a fixed order; sections 二, 三 and 四 are tables; sections 一 and 五
carry the narrative 条例 第五十条 asks for.  This family checks that every
section is there, in order and correctly numbered, with the format's wording,
that 二/三/四 hold their tables (not just a picture of them), that 一 and 五 are
not empty or a bare “无”, and that the intro's list of parts matches the report.

Section titles, accepted heading variants and which sections need content are in
``rules/layouts/*.toml``; the intro phrase patterns, intro aliases and content
placeholders are in ``rules/sections.toml`` (top-level table ``section_checks``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from gklint import hookimpl
from gklint.data import DataError, LayoutSpec, SectionSpec, StandardData
from gklint.findings import Fix, Message, Problem, Related, Severity
from gklint.model import Document, Paragraph, Section, Span, TableStatus
from gklint.normalize import fold, norm_label
from gklint.rule import CheckContext, Example, Rule

__all__ = ["RULES", "gklint_rules"]

_IMAGE = re.compile(r"\[image[:：][^\]\n]*\]|<img\b[^>]*>?", re.IGNORECASE)
_BOOKMARK = re.compile(r"\[bookmark[:：][^\]\n]*\]", re.IGNORECASE)
_NOT_TEXT = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]")  # what _NOT_TEXT leaves
_LINE = re.compile(r"[^\r\n]+")
_SPACE = " \t\u3000\xa0|"
_NUMERALS = "一二三四五六七八九十"
_TABLE_NAMES = {"table2": ("表2", "table 2"), "table3": ("表3", "table 3"), "table4": ("表4", "table 4")}


# -- data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Config:
    """``[section_checks]`` of the standard data, validated and compiled."""

    patterns: tuple[re.Pattern[str], ...]
    separators: re.Pattern[str]  # group ``weak`` marks a conjunction, anything else ends an item
    item_prefix: re.Pattern[str]
    item_strip: re.Pattern[str]
    fuzzy_ratio: float
    aliases: Mapping[str, tuple[str, ...]]
    placeholders: frozenset[str]
    placeholder_patterns: tuple[re.Pattern[str], ...]




def _data_error(path: str, key: str, zh: str, en: str) -> DataError:
    return DataError(Message(f"{path}: 键 section_checks.{key}：{zh}", f"{path}: key section_checks.{key}: {en}"))


def _regex(value: Any, path: str, key: str) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise _data_error(path, key, "应为正则表达式字符串", "expected a regular expression string")
    try:
        return re.compile(value)
    except re.error as exc:
        raise _data_error(path, key, f"不是有效的正则表达式（{exc}）", f"not a valid regular expression ({exc})") from None


def _strings(value: Any, path: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _data_error(path, key, "应为字符串列表", "expected a list of strings")
    return list(value)


def _table(value: Any, path: str, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _data_error(path, key, "应为表", "expected a table")
    return value


def _build_config(data: StandardData) -> _Config:
    patterns: list[re.Pattern[str]] = []
    aliases: dict[str, list[str]] = {}
    placeholders: set[str] = set()
    placeholder_patterns: list[re.Pattern[str]] = []
    scalars: dict[str, Any] = {}
    for path, raw in data.items("section_checks"):
        root = _table(raw, path, "")
        intro = _table(root.get("intro", {}), path, "intro")
        for i, p in enumerate(_strings(intro.get("patterns", []), path, "intro.patterns")):
            rx = _regex(p, path, f"intro.patterns[{i}]")
            if "count" not in rx.groupindex:
                raise _data_error(path, f"intro.patterns[{i}]", "缺少命名分组 count", "lacks the named group `count`")
            patterns.append(rx)
        for name in ("separators", "conjunctions", "item_prefix", "item_strip"):
            if name in intro:
                scalars[name] = _regex(intro[name], path, f"intro.{name}")
        if "fuzzy_ratio" in intro:
            ratio = intro["fuzzy_ratio"]
            if not isinstance(ratio, (int, float)) or not 0 < ratio <= 1:
                raise _data_error(path, "intro.fuzzy_ratio", "应为 0 到 1 之间的数", "expected a number between 0 and 1")
            scalars["fuzzy_ratio"] = float(ratio)
        for key, values in _table(root.get("intro_aliases", {}), path, "intro_aliases").items():
            aliases.setdefault(key, []).extend(_strings(values, path, f"intro_aliases.{key}"))
        content = _table(root.get("content", {}), path, "content")
        placeholders.update(_NOT_TEXT.sub("", fold(p)) for p in _strings(content.get("placeholders", []), path, "content.placeholders"))
        for i, p in enumerate(_strings(content.get("placeholder_patterns", []), path, "content.placeholder_patterns")):
            placeholder_patterns.append(_regex(p, path, f"content.placeholder_patterns[{i}]"))
    placeholders.discard("")
    strong = scalars.get("separators", re.compile(r"[、,;]")).pattern
    weak = scalars.get("conjunctions", re.compile(r"和|及")).pattern
    return _Config(
        patterns=tuple(patterns),
        separators=re.compile(f"(?:{strong})|(?P<weak>{weak})"),
        item_prefix=scalars.get("item_prefix", re.compile(r"^$")),
        item_strip=scalars.get("item_strip", re.compile(r"\s")),
        fuzzy_ratio=scalars.get("fuzzy_ratio", 0.6),
        aliases={k: tuple(v) for k, v in aliases.items()},
        placeholders=frozenset(placeholders),
        placeholder_patterns=tuple(placeholder_patterns),
    )


def _config(data: StandardData) -> _Config:
    """The compiled ``section_checks`` data (parsed once per :class:`StandardData`)."""
    return data.derived("sections", _build_config)


# -- shared helpers ------------------------------------------------------------------------


def _layout(doc: Document, data: StandardData) -> LayoutSpec | None:
    """The layout whose section list applies: the tables' layout, else the one for the report year."""
    spec = data.layouts.get(doc.layout.layout)
    if spec is None:
        spec = data.layout_for_year(doc.metadata.year)
    if spec is None and data.layouts:
        spec = data.layouts[max(data.layouts)]
    return spec


def _heading(doc: Document, section: Section) -> str:
    return " ".join(doc.snippet(section.heading_span).split())


def _full(spec: SectionSpec) -> str:
    return f"{spec.number}、{spec.title}"


def _numeral(n: int) -> str:
    if 1 <= n <= 10:
        return _NUMERALS[n - 1]
    if n < 20:
        return "十" + _NUMERALS[n - 11]
    return str(n)


def _end_span(doc: Document) -> Span:
    end = len(doc.text.rstrip())
    return Span(end, end)


def _insertion_point(doc: Document, layout: LayoutSpec, key: str) -> tuple[Span, Section | None]:
    """Where a missing section *key* belongs: the heading of the next present section, else the end."""
    order = [s.key for s in layout.sections]
    after = order[order.index(key) + 1 :]
    for section in doc.sections:
        if section.key in after:
            return section.heading_span, section
    return _end_span(doc), None


# -- GK101 missing section ---------------------------------------------------------------


def _cut_off(doc: Document, spec: SectionSpec) -> bool:
    """Is *spec* after the point where a truncated text stops (GK109 reports that once)?"""
    return doc.truncated is not None and bool(doc.sections) and _NUMERALS.find(spec.number) + 1 > doc.sections[-1].ordinal


def check_missing_section(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Every required section of the layout is present (recognised by its title)."""
    layout = _layout(doc, context.data)
    if layout is None:
        return
    required = [s for s in layout.sections if s.required]
    if not doc.sections:
        listed = "、".join(f"“{_full(s)}”" for s in required)
        yield Problem(
            None,
            Message(f"未找到格式规定的任何一级标题：{listed}", f"none of the format's top-level sections was found: {listed}"),
            key=("none",),
        )
        return
    present = {s.key for s in doc.sections}
    for spec in required:
        if spec.key in present or _cut_off(doc, spec):
            continue
        span, before = _insertion_point(doc, layout, spec.key)
        where_zh = f"应在“{_heading(doc, before)}”之前" if before else "应在报告末尾"
        where_en = f"it belongs before “{_heading(doc, before)}”" if before else "it belongs at the end of the report"
        same = next((s for s in doc.sections if s.key is None and s.number == spec.number), None)
        note_zh = f"；报告中的“{_heading(doc, same)}”无法识别为这一部分" if same else ""
        note_en = f"; “{_heading(doc, same)}” in the report is not recognisable as this section" if same else ""
        related = (Related(same.heading_span, Message("编号相同但标题不同的部分", "section with this numeral but another title")),) if same else ()
        yield Problem(
            span,
            Message(
                f"缺少第{spec.number}部分“{_full(spec)}”（{where_zh}）{note_zh}",
                f"section {spec.number} “{_full(spec)}” is missing ({where_en}){note_en}",
            ),
            related=related,
            key=(spec.key, spec.title),
        )


# -- GK102 order and numbering --------------------------------------------------------------


@dataclass
class _OrderState:
    index: dict[str, int]
    present: set[str]
    reported: set[int] = field(default_factory=set)
    involved: set[int] = field(default_factory=set)


def _order_problems(doc: Document, state: _OrderState) -> Iterator[tuple[int, Problem]]:
    """Duplicated sections and sections placed after ones the format puts later."""
    first_of: dict[str, int] = {}
    for i, sec in enumerate(doc.sections):
        if sec.key not in state.index:
            continue
        if sec.key in first_of:
            first = doc.sections[first_of[sec.key]]
            state.reported.add(i)
            yield i, Problem(
                sec.heading_span,
                Message(
                    f"“{_heading(doc, sec)}”与前面的“{_heading(doc, first)}”是同一部分，重复出现",
                    f"“{_heading(doc, sec)}” repeats the section “{_heading(doc, first)}” given earlier",
                ),
                related=(Related(first.heading_span, Message("第一次出现", "first occurrence")),),
                key=("duplicate", sec.key),
            )
            continue
        first_of[sec.key] = i
        earlier = [
            j for j in range(i)
            if doc.sections[j].key in state.index
            and state.index[doc.sections[j].key or ""] > state.index[sec.key]
            and j not in state.reported
        ]
        if earlier:
            j = earlier[0]
            state.reported.add(i)
            state.involved.update(earlier)
            yield i, Problem(
                sec.heading_span,
                Message(
                    f"章节顺序错误：“{_heading(doc, sec)}”应在“{_heading(doc, doc.sections[j])}”之前",
                    f"sections out of order: “{_heading(doc, sec)}” belongs before “{_heading(doc, doc.sections[j])}”",
                ),
                related=(Related(doc.sections[j].heading_span, Message("排在前面的后续部分", "later section placed before it")),),
                key=("order", sec.key, doc.sections[j].key or ""),
            )


def _numbering_problems(doc: Document, layout: LayoutSpec, state: _OrderState) -> Iterator[tuple[int, Problem]]:
    """Numerals that do not fit the section or the sequence (skipped, repeated, going back)."""
    order = [s.key for s in layout.sections]
    prev_ord = 0
    prev: Section | None = None
    for i, sec in enumerate(doc.sections):
        known = sec.key in state.index
        canonical = state.index[sec.key or ""] + 1 if known else sec.ordinal
        if i in state.reported or i in state.involved:
            prev_ord, prev = canonical, sec
            continue
        problem: Problem | None = None
        renumbered = canonical - sum(1 for k in order[: canonical - 1] if k not in state.present) if known else canonical
        if known and sec.ordinal not in (canonical, renumbered):
            right = _numeral(canonical)
            dup_zh = f"，与“{_heading(doc, prev)}”编号重复" if prev is not None and sec.ordinal == prev_ord else ""
            dup_en = f", the same numeral as “{_heading(doc, prev)}”" if prev is not None and sec.ordinal == prev_ord else ""
            numeral_span = Span(sec.heading_span.start, sec.heading_span.start + len(sec.number))
            fix = None
            if doc.snippet(numeral_span) == sec.number:
                fix = Fix(numeral_span, right, Message(f"改为“{right}”", f"renumber as “{right}”"))
            problem = Problem(
                sec.heading_span,
                Message(
                    f"“{_heading(doc, sec)}”的编号应为“{right}”，写成了“{sec.number}”{dup_zh}",
                    f"“{_heading(doc, sec)}” should be numbered “{right}”, not “{sec.number}”{dup_en}",
                ),
                fix=fix,
                key=("numeral", sec.key or "", sec.number),
            )
            prev_ord = canonical
        elif prev is not None and sec.ordinal == prev_ord:
            problem = Problem(
                sec.heading_span,
                Message(f"编号“{sec.number}”重复：“{_heading(doc, prev)}”之后又是“{_heading(doc, sec)}”",
                        f"numeral “{sec.number}” repeated: “{_heading(doc, sec)}” follows “{_heading(doc, prev)}”"),
                related=(Related(prev.heading_span, Message("同一编号", "same numeral")),),
                key=("repeated", sec.number, sec.title),
            )
        elif prev is not None and sec.ordinal < prev_ord:
            problem = Problem(
                sec.heading_span,
                Message(f"编号倒退：“{_heading(doc, sec)}”排在“{_heading(doc, prev)}”之后",
                        f"numbering goes back: “{_heading(doc, sec)}” follows “{_heading(doc, prev)}”"),
                related=(Related(prev.heading_span, Message("前一部分", "previous section")),),
                key=("backwards", sec.number, sec.title),
            )
        elif sec.ordinal > prev_ord + 1:
            skipped = list(range(prev_ord + 1, sec.ordinal))
            explained = all(n <= len(order) and order[n - 1] not in state.present for n in skipped)
            if not explained:
                names = "、".join(_numeral(n) for n in skipped)
                after_zh = f"“{_heading(doc, prev)}”之后" if prev else "报告开头"
                after_en = f"after “{_heading(doc, prev)}”" if prev else "at the start"
                problem = Problem(
                    sec.heading_span,
                    Message(f"编号跳过了“{names}”：{after_zh}是“{_heading(doc, sec)}”", f"numbering skips “{names}”: “{_heading(doc, sec)}” comes {after_en}"),
                    key=("skipped", sec.number, sec.title),
                )
        if problem is not None:
            yield i, problem
        if not (known and problem is not None and problem.key[0] == "numeral"):
            prev_ord = sec.ordinal
        prev = sec


def check_section_order(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Sections in the format's order, each under its own numeral, numerals in sequence."""
    layout = _layout(doc, context.data)
    if layout is None or not doc.sections:
        return
    index = {s.key: i for i, s in enumerate(layout.sections)}
    state = _OrderState(index, {s.key for s in doc.sections if s.key in index})
    found = list(_order_problems(doc, state))
    found.extend(_numbering_problems(doc, layout, state))
    for _, problem in sorted(found, key=lambda item: item[0]):
        yield problem


# -- GK103 heading wording -------------------------------------------------------------------


def check_heading_wording(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Recognised headings whose wording is not the format's."""
    for sec in doc.sections:
        if sec.match not in ("variant", "fuzzy") or not sec.canonical_title:
            continue
        kind_zh = "常见的改写" if sec.match == "variant" else "与格式不一致"
        kind_en = "a common rewording" if sec.match == "variant" else "differs from the format"
        title_span = Span(sec.heading_span.end - len(sec.title), sec.heading_span.end)
        fix = None
        if sec.match == "variant" and doc.snippet(title_span) == sec.title:
            fix = Fix(title_span, sec.canonical_title, Message(f"改为“{sec.canonical_title}”", f"use “{sec.canonical_title}”"))
        yield Problem(
            sec.heading_span,
            Message(
                f"第{sec.number}部分标题写作“{sec.title}”（{kind_zh}），格式规定为“{sec.canonical_title}”",
                f"the heading of section {sec.number} reads “{sec.title}” ({kind_en}); the format has “{sec.canonical_title}”",
            ),
            fix=fix,
            key=(sec.key or "", sec.title),
        )


# -- GK104 table missing -------------------------------------------------------------------


def check_section_table(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Sections 二, 三 and 四 each hold their statistics table as text."""
    layout = _layout(doc, context.data)
    if layout is None or not doc.sections:  # no sections at all: GK101 says so once
        return
    for spec in layout.sections:
        if not spec.table:
            continue
        table = doc.tables.get(spec.table)
        status = table.status if table is not None else TableStatus.ABSENT
        if status is TableStatus.FOUND or status is TableStatus.UNREADABLE or _cut_off(doc, spec):
            continue  # (an unreadable table is there: GK209 says it cannot be checked)
        zh_name, en_name = _TABLE_NAMES.get(spec.table, (spec.table, spec.table))
        sec = doc.section(spec.key)
        if sec is None:
            span, _ = _insertion_point(doc, layout, spec.key)
            yield Problem(
                span,
                Message(f"缺少{zh_name}（报告中也没有第{spec.number}部分“{_full(spec)}”）",
                        f"{en_name} is missing (and so is section {spec.number} “{_full(spec)}”)"),
                key=(spec.table, status.value),
            )
            continue
        heading = _heading(doc, sec)
        if status is TableStatus.IMAGE:
            body = doc.text[sec.body_span.start : sec.body_span.end]
            m = _IMAGE.search(body)
            span = Span(sec.body_span.start + m.start(), sec.body_span.start + m.end()) if m else sec.heading_span
            yield Problem(
                span,
                Message(f"“{heading}”的{zh_name}只有图片，没有可以读取和核对的表格文字",
                        f"{en_name} under “{heading}” is only an image; there is no table text to read and check"),
                related=(Related(sec.heading_span, Message("所在部分", "section")),),
                key=(spec.table, status.value),
            )
        else:
            yield Problem(
                sec.heading_span,
                Message(f"“{heading}”下没有{zh_name}（格式规定本部分以表格列出统计数据）",
                        f"“{heading}” has no {en_name} (the format gives this section's figures as a table)"),
                key=(spec.table, status.value),
            )


# -- GK105 / GK107 content -------------------------------------------------------------------


def _content_pieces(doc: Document, sec: Section) -> Iterator[tuple[Span, str]]:
    """Lines of the section body that are text: not sub-headings, tables or image placeholders.

    Found one at a time: the rules mostly need only the first.
    """
    cuts = sorted(
        [h.span for h in sec.headings]
        + [t.span for t in doc.tables.values() if t.span is not None and t.span.start < sec.body_span.end and t.span.end > sec.body_span.start]
    )
    pos = sec.body_span.start
    for cut in [*cuts, Span(sec.body_span.end, sec.body_span.end)]:
        start, end = pos, min(max(cut.start, pos), sec.body_span.end)
        for m in _LINE.finditer(doc.text, start, end):
            line = m.group()
            left, right = len(line) - len(line.lstrip(_SPACE)), len(line.rstrip(_SPACE))
            text = line[left:right]
            if "[" in text or "<" in text:  # what _IMAGE and _BOOKMARK begin with
                text = _BOOKMARK.sub("", _IMAGE.sub("", text)).strip(_SPACE)
            if _WORD.search(text):  # _NOT_TEXT would leave something
                yield Span(m.start() + left, m.start() + right), text
        pos = max(pos, cut.end)


def _is_placeholder(text: str, config: _Config) -> bool:
    core = _NOT_TEXT.sub("", fold(text))
    return core in config.placeholders or any(p.search(core) for p in config.placeholder_patterns)


def _content_sections(doc: Document, data: StandardData) -> Iterator[tuple[SectionSpec, Section]]:
    layout = _layout(doc, data)
    if layout is None:
        return
    for spec in layout.sections:
        if spec.content_required:
            for sec in doc.sections:
                if sec.key == spec.key:
                    yield spec, sec


def _placeholders(pieces: Iterator[tuple[Span, str]], config: _Config) -> list[tuple[Span, str]]:
    """All of *pieces* if each is a placeholder, else ``[]`` (taking pieces only up to the first that is not)."""
    found: list[tuple[Span, str]] = []
    for span, text in pieces:
        if not _is_placeholder(text, config):
            return []
        found.append((span, text))
    return found


def check_empty_section(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Sections 一 and 五 have some text beyond their heading and sub-headings."""
    for spec, sec in _content_sections(doc, context.data):
        if next(_content_pieces(doc, sec), None) is not None:
            continue
        subs = "、".join(f"“{h.number}{h.title}”" for h in sec.headings[:5])
        sub_zh = f"（只有小标题{subs}）" if subs else ""
        sub_en = f" (only the sub-headings {subs})" if subs else ""
        yield Problem(
            sec.heading_span,
            Message(f"第{spec.number}部分“{_heading(doc, sec)}”没有内容{sub_zh}",
                    f"section {spec.number} “{_heading(doc, sec)}” is empty{sub_en}"),
            key=(spec.key,),
        )


def check_placeholder_section(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Sections 一 and 五 say more than a placeholder such as “无”."""
    config = _config(context.data)
    for spec, sec in _content_sections(doc, context.data):
        pieces = _placeholders(_content_pieces(doc, sec), config)
        if not pieces:
            continue
        written = "”“".join(text.lstrip("。，,.；;：: ") for _, text in pieces[:3])
        yield Problem(
            Span(pieces[0][0].start, pieces[-1][0].end),
            Message(f"第{spec.number}部分“{_heading(doc, sec)}”只写了“{written}”，没有实际内容",
                    f"section {spec.number} “{_heading(doc, sec)}” only says “{written}”"),
            related=(Related(sec.heading_span, Message("所在部分", "section")),),
            key=(spec.key,),
        )


# -- GK106 intro list of parts ---------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    span: Span
    text: str
    key: str | None
    ratio: float


def _count_value(text: str) -> int:
    return int(text) if text.isdigit() else _NUMERALS.index(text) + 1


class _Names:
    """The names intro items are matched against, and the matches and lists already seen.

    Intros repeat across reports (most copy the format's wording), so each item and
    each list of parts is worked out once; at most _KEPT of each are kept.
    """

    _KEPT = 4096

    def __init__(self, pairs: tuple[tuple[str, str], ...]) -> None:
        self.pairs = pairs  # (normalised name, section key)
        self._matches: dict[str, tuple[str | None, float]] = {}
        self._lists: dict[str, list[_Item]] = {}

    def items(self, folded: str, base: int, config: _Config) -> list[_Item]:
        """:func:`_split_items` of the list *folded* starting at *base* (*config* is that of the same data)."""
        found = self._lists.get(folded)
        if found is None:
            if len(self._lists) >= self._KEPT:
                self._lists.clear()
            found = self._lists[folded] = _split_items(folded, 0, self, config)
        return [_Item(Span(it.span.start + base, it.span.end + base), it.text, it.key, it.ratio) for it in found]

    def match(self, norm: str) -> tuple[str | None, float]:
        """:func:`_best_match` of the normalised item *norm*."""
        found = self._matches.get(norm)
        if found is None:
            if len(self._matches) >= self._KEPT:
                self._matches.clear()
            found = self._matches[norm] = _best_match(norm, self.pairs)
        return found


def _candidates(data: StandardData) -> _Names:
    """(normalised name, section key) for every title, heading variant and intro alias (once per data)."""
    return data.derived("section_names", _build_candidates)


def _build_candidates(data: StandardData) -> _Names:
    config = _config(data)
    out: list[tuple[str, str]] = []
    for layout in data.layouts.values():
        for s in layout.sections:
            for name in (s.title, *s.variants, *config.aliases.get(s.key, ())):
                out.append((norm_label(fold(name)), s.key))
    return _Names(tuple(out))


def _clean_item(text: str, config: _Config) -> tuple[int, str]:
    """(offset of the kept text within *text*, the item without enumerators, quotes and spaces)."""
    stripped = text.strip(" \t\u3000:")
    lead = len(text) - len(text.lstrip(" \t\u3000:"))
    m = config.item_prefix.match(stripped)
    if m:
        lead += m.end()
        stripped = stripped[m.end() :]
    return lead, config.item_strip.sub("", stripped)


def _match_item(name: str, candidates: _Names) -> tuple[str | None, float]:
    return candidates.match(norm_label(name))


def _best_match(norm: str, candidates: tuple[tuple[str, str], ...]) -> tuple[str | None, float]:
    """The first exact candidate, else the best fuzzy one."""
    for cand, key in candidates:
        if norm == cand:
            return key, 1.0
    best: tuple[str | None, float] = (None, 0.0)
    for cand, key in candidates:
        matcher = SequenceMatcher(None, norm, cand)
        # The quick ratios are upper bounds of ratio(); skip candidates that cannot win.
        if matcher.real_quick_ratio() <= best[1] or matcher.quick_ratio() <= best[1]:
            continue
        ratio = matcher.ratio()
        if ratio > best[1]:
            best = (key, ratio)
    return best


def _split_items(folded: str, base: int, candidates: _Names, config: _Config) -> list[_Item]:
    """Split the written list into items; pieces are rejoined where the join names a section exactly."""
    raw: list[tuple[int, int, bool]] = []  # (start, end, a conjunction follows)
    pos = 0
    for m in config.separators.finditer(folded):
        raw.append((pos, m.start(), m.group("weak") is not None))
        pos = m.end()
    raw.append((pos, len(folded), False))
    pieces = [(s, e) for s, e, _ in raw if _NOT_TEXT.sub("", folded[s:e])]
    weak_after = [w for s, e, w in raw if _NOT_TEXT.sub("", folded[s:e])]

    made: dict[tuple[int, int], _Item] = {}

    def item(i: int, j: int) -> _Item:
        """Pieces i to j as one item (each made once: the runs below ask again)."""
        found = made.get((i, j))
        if found is None:
            s, e = pieces[i][0], pieces[j][1]
            lead, name = _clean_item(folded[s:e], config)
            key, ratio = _match_item(name, candidates)
            found = made[i, j] = _Item(Span(base + s + lead, base + e), name, key, ratio)
        return found

    out: list[_Item] = []
    run: list[int] = []
    i = 0
    while i < len(pieces):
        hit: tuple[int, _Item] | None = None
        for j in range(min(len(pieces), i + 4) - 1, i - 1, -1):
            candidate = item(i, j)
            if candidate.ratio == 1.0:
                hit = (j, candidate)
                break
        if hit is None:
            run.append(i)
            i += 1
            continue
        out.extend(_fuzzy_run(run, item, weak_after, config))
        run = []
        out.append(hit[1])
        i = hit[0] + 1
    out.extend(_fuzzy_run(run, item, weak_after, config))
    return out


def _fuzzy_run(run: list[int], item: Any, weak_after: list[bool], config: _Config) -> list[_Item]:
    """Group consecutive unmatched pieces.

    Pieces merge where the merged text is a clearly better fuzzy match, and
    unrecognised pieces joined only by conjunctions (``收费及减免情况``) stay one item.
    """
    if not run:
        return []
    best: list[tuple[float, list[_Item]]] = [(0.0, [])]
    for k in range(1, len(run) + 1):
        options: list[tuple[float, list[_Item]]] = []
        for start in range(max(0, k - 4), k):
            it: _Item = item(run[start], run[k - 1])
            if it.ratio >= config.fuzzy_ratio:
                score = it.ratio - 0.5
            elif start == k - 1 or all(weak_after[run[n]] for n in range(start, k - 1)):
                score = 0.0
                it = _Item(it.span, it.text, None, it.ratio)
            else:
                continue
            options.append((best[start][0] + score, [*best[start][1], it]))
        best.append(max(options, key=lambda o: (o[0], -len(o[1]))))
    return best[-1][1]


@dataclass(frozen=True)
class _Claim:
    paragraph: Paragraph
    count: int
    count_span: Span
    list_span: Span | None
    items: list[_Item]


def _intro_claim(doc: Document, context: CheckContext) -> _Claim | None:
    config = _config(context.data)
    candidates = _candidates(context.data)
    for para in doc.metadata.intro:
        folded = fold(para.text)
        for pattern in config.patterns:
            m = pattern.search(folded)
            if m is None:
                continue
            base = para.span.start
            count_span = Span(base + m.start("count"), base + m.end("count"))
            list_text = m.groupdict().get("list")
            if not list_text:
                return _Claim(para, _count_value(m.group("count")), count_span, None, [])
            ls, le = m.start("list"), m.end("list")
            items = candidates.items(folded[ls:le], base + ls, config)
            return _Claim(para, _count_value(m.group("count")), count_span, Span(base + ls, base + le), items)
    return None


def check_intro_parts(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """The intro's “全文包括……共六部分” agrees with the sections the report has."""
    claim = _intro_claim(doc, context)
    if claim is None or not doc.sections:
        return
    count_text = doc.snippet(claim.count_span)
    known = {s.key for s in doc.sections if s.key}
    if claim.list_span is None:
        if claim.count not in (len(known), len(doc.sections)):
            yield Problem(
                claim.count_span,
                Message(f"导语称报告共{count_text}部分，报告实际有{len(doc.sections)}个一级标题",
                        f"the intro says the report has {claim.count} parts; it has {len(doc.sections)} top-level sections"),
                key=("count", str(claim.count), str(len(doc.sections))),
            )
        return
    listed = "、".join(f"“{it.text}”" for it in claim.items)
    if claim.count != len(claim.items):
        yield Problem(
            claim.count_span,
            Message(f"导语称报告共{count_text}部分，但列出了{len(claim.items)}部分：{listed}",
                    f"the intro says {claim.count} parts but lists {len(claim.items)}: {listed}"),
            related=(Related(claim.list_span, Message("所列各部分", "the parts listed")),),
            key=("count", str(claim.count), str(len(claim.items))),
        )
    for it in claim.items:
        if it.key is None:
            yield Problem(
                it.span,
                Message(f"导语所列“{it.text}”与报告的各部分都对不上", f"the intro lists “{it.text}”, which matches none of the report's sections"),
                key=("unknown", it.text),
            )
    keys = {it.key for it in claim.items}
    for sec in doc.sections:
        if sec.key and sec.key not in keys:
            yield Problem(
                claim.list_span,
                Message(f"导语列出的各部分中没有报告的“{_heading(doc, sec)}”", f"the intro's list of parts omits “{_heading(doc, sec)}”"),
                related=(Related(sec.heading_span, Message("报告中的这一部分", "this section in the report")),),
                key=("unlisted", sec.key),
            )


# -- rules -----------------------------------------------------------------------------------

_FORMAT = "国办公开办函〔2021〕30号 附件《中华人民共和国政府信息公开工作年度报告格式》"
_REGULATION = "《中华人民共和国政府信息公开条例》第五十条"

_P5 = "2022年政府信息公开工作取得一定成效，但仍存在政策解读形式不够丰富、公开内容不够全面等问题。下一步将丰富解读形式，拓展公开深度。"

# A compact complete report (tables as tab-separated rows) for GK104's example.
_EX_HEAD = (
    "东平市工业和信息化局\n2022年政府信息公开工作年度报告\n"
    "一、总体情况\n2022年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。\n"
    "二、主动公开政府信息情况\n"
    "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t2\t1\t5\n"
    "第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t120\n"
    "第二十条第（六）项\n信息内容\t本年处理决定数量\n行政处罚\t15\n行政强制\t3\n"
    "第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t0\n"
    "三、收到和处理政府信息公开申请情况\n"
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n"
    "\t自然人\t法人或其他组织\t\t\t\t\t总计\n\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n"
    "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
    "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n"
    "三、本年度办理结果\t（一）予以公开\t1\t0\t0\t0\t0\t0\t1\n"
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t0\t0\t0\t0\t0\t0\t0\n"
    "（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0\n"
    "3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0\n4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0\n"
    "5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0\n6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0\n"
    "7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0\n8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n"
    "（四）无法提供\t1.本机关不掌握相关政府信息\t0\t0\t0\t0\t0\t0\t0\n2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0\n"
    "3.补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0\n"
    "（五）不予处理\t1.信访举报投诉类申请\t0\t0\t0\t0\t0\t0\t0\n2.重复申请\t0\t0\t0\t0\t0\t0\t0\n"
    "3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0\n4.无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0\n"
    "5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0\n"
    "（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n"
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n"
    "3.其他\t0\t0\t0\t0\t0\t0\t0\n（七）总计\t1\t0\t0\t0\t0\t0\t1\n四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n"
    "四、政府信息公开行政复议、行政诉讼情况\n"
)
_EX_TABLE4 = (
    "行政复议\t\t\t\t\t行政诉讼\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
    "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
    "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"
)
_EX_TAIL = (
    "五、存在的主要问题及改进情况\n政策解读形式不够丰富。下一步将丰富解读形式。\n"
    "六、其他需要报告的事项\n本机关2022年未收取信息处理费。\n"
)

RULES: list[Rule] = [
    Rule(
        id="GK101",
        name="missing-section",
        family="GK1",
        severity=Severity.ERROR,
        short=Message("缺少格式规定的部分", "a section of the format is missing"),
        full=Message(
            "年度报告格式规定报告由六部分组成：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；"
            "四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。"
            "这六部分对应条例第五十条规定的年度报告内容，缺少任何一部分都会使报告内容不全。"
            "标题措辞略有不同但能识别的部分不算缺少（见 GK103）。",
            "The report format has six sections (overview; proactive disclosure; requests received and handled; "
            "administrative reconsideration and litigation; main problems and improvements; other matters), which "
            "implement article 50 of the Regulations. A report lacking one is incomplete. A section whose heading is "
            "worded differently but recognisable is not missing (see GK103).",
        ),
        help=Message(
            "按格式补上缺少的部分，一级标题用格式的编号和措辞，例如“五、存在的主要问题及改进情况”，放在提示的位置。",
            "Add the missing section with the format's numeral and heading (e.g. “五、存在的主要问题及改进情况”) at the place indicated.",
        ),
        check=check_missing_section,
        source=Message(f"{_REGULATION}；{_FORMAT}", f"{_REGULATION}; {_FORMAT}"),
        examples=(
            Example(
                bad=_P5,
                good="五、存在的主要问题及改进情况\n" + _P5,
                replaces="五、存在的主要问题及改进情况\n" + _P5,
            ),
        ),
    ),
    Rule(
        id="GK102",
        name="section-order",
        family="GK1",
        severity=Severity.ERROR,
        short=Message("部分顺序或编号错误", "sections out of order or wrongly numbered"),
        full=Message(
            "六部分的顺序和编号“一”至“六”由格式固定。检查：某部分排在格式中它之后的部分后面；同一部分出现两次；"
            "某部分的编号不是格式规定的编号（如“七、存在的主要问题及改进情况”）；编号重复、倒退或跳号。"
            "因缺少某部分而顺延编号的情况只报告缺少（GK101），不重复报告编号。",
            "The order and numerals 一 to 六 of the six sections are fixed by the format. Reported: a section placed after "
            "one the format puts later; a section given twice; a section under another numeral than the format's; "
            "numerals repeated, going back or skipped. When numerals close up because a section is missing, only the "
            "missing section is reported (GK101).",
        ),
        help=Message(
            "按格式的顺序排列各部分，编号依次为一、二、三、四、五、六。",
            "Put the sections in the format's order, numbered 一 to 六.",
        ),
        check=check_section_order,
        source=Message(_FORMAT, _FORMAT),
        examples=(
            Example(bad="七、其他需要报告的事项", good="六、其他需要报告的事项", replaces="六、其他需要报告的事项"),
        ),
    ),
    Rule(
        id="GK103",
        name="heading-wording",
        family="GK1",
        severity=Severity.WARNING,
        short=Message("一级标题措辞与格式不一致", "heading wording differs from the format"),
        full=Message(
            "一级标题能识别出是格式中的哪一部分，但措辞与格式不同，例如“五、存在问题及改进情况”（格式为“五、存在的主要问题及改进情况”）、"
            "“二、主动公开政府政府情况”。格式规定了各部分的标题，改写标题不影响内容，但不符合“格式规范”的要求，也不便于汇总和检索。",
            "A top-level heading is recognisable as one of the format's sections but worded differently, e.g. "
            "“五、存在问题及改进情况” for “五、存在的主要问题及改进情况”. The format fixes the headings; rewording does not "
            "change the content but departs from the format and hinders collation and search.",
        ),
        help=Message("把标题改为格式的措辞（常见改写有自动修复）。", "Use the format's wording (common rewordings have an automatic fix)."),
        check=check_heading_wording,
        source=Message(f"{_FORMAT}（各部分标题）", f"{_FORMAT} (section headings)"),
        examples=(
            Example(bad="五、存在问题及改进情况", good="五、存在的主要问题及改进情况", replaces="五、存在的主要问题及改进情况"),
        ),
    ),
    Rule(
        id="GK104",
        name="section-table-missing",
        family="GK1",
        severity=Severity.ERROR,
        short=Message("第二、三、四部分缺少统计表", "section 二, 三 or 四 lacks its table"),
        full=Message(
            "格式规定第二、三、四部分分别以表2（主动公开政府信息情况）、表3（收到和处理政府信息公开申请情况）、"
            "表4（政府信息公开行政复议、行政诉讼情况）列出统计数据。缺少表格，或表格只以图片形式提供（无法读取、核对勾稽关系，"
            "也不便于无障碍阅读），都不符合格式要求。",
            "The format gives the figures of sections 二, 三 and 四 as tables 2, 3 and 4. A missing table, or one given only "
            "as an image (which cannot be read, checked for its 勾稽关系 or read aloud by assistive software), does not "
            "meet the format.",
        ),
        help=Message(
            "在该部分按格式插入表格，用文字表格（不要用截图），行列标签照抄格式附件。",
            "Insert the table in that section as a text table (not a screenshot), with the template's row and column labels.",
        ),
        check=check_section_table,
        source=Message(f"{_FORMAT}（表2至表4）", f"{_FORMAT} (tables 2 to 4)"),
        examples=(
            Example(
                bad=_EX_HEAD + "[image: 表4.png]\n" + _EX_TAIL,
                good=_EX_HEAD + _EX_TABLE4 + _EX_TAIL,
                fragment=False,
            ),
        ),
    ),
    Rule(
        id="GK105",
        name="empty-section",
        family="GK1",
        severity=Severity.ERROR,
        short=Message("第一或第五部分没有内容", "section 一 or 五 is empty"),
        full=Message(
            "第一部分“总体情况”（主动公开、依申请公开、政府信息管理、平台建设、监督保障等）和第五部分“存在的主要问题及改进情况”"
            "是条例第五十条要求报告的叙述内容，表格无法代替。只有标题（或只有小标题）而没有正文，就是漏报了这部分内容。"
            "只写“无”的情况见 GK107。",
            "Section 一 (overview) and section 五 (main problems and improvements) carry narrative that article 50 of the "
            "Regulations requires and no table replaces. A heading (or sub-headings) without text omits that content. "
            "A bare “无” is GK107.",
        ),
        help=Message("在该部分写明实际情况。", "Write what actually happened in that section."),
        check=check_empty_section,
        source=Message(f"{_REGULATION}；{_FORMAT}（一、总体情况）", f"{_REGULATION}; {_FORMAT} (一、总体情况)"),
        examples=(
            Example(bad="五、存在的主要问题及改进情况\n", good="五、存在的主要问题及改进情况\n" + _P5 + "\n",
                    replaces="五、存在的主要问题及改进情况\n" + _P5 + "\n"),
        ),
    ),
    Rule(
        id="GK106",
        name="intro-parts",
        family="GK1",
        severity=Severity.WARNING,
        short=Message("导语所列部分与正文不一致", "the intro's list of parts disagrees with the sections"),
        full=Message(
            "许多报告在导语中写明“报告全文包括总体情况、……、其他需要报告的事项共六部分”。所称部分数与列出的部分数不同，"
            "列出了报告中没有的部分（常见于沿用2019年以前的旧结构，如“概述”“收费及减免情况”），或漏列了报告中的某一部分，"
            "都说明导语与正文脱节。能识别的标题改写（如“政府信息公开行政复议和行政诉讼情况”）不算不一致。这一检查依据的是常见写法，"
            "格式本身并未要求导语列出各部分。",
            "Many reports say in the intro which parts the report has (“报告全文包括……共六部分”). A count that differs from "
            "the parts listed, a listed part the report lacks (often the pre-2019 structure such as “概述”), or a section "
            "left out of the list shows the intro is out of step with the body. Recognisable rewordings do not count. "
            "This is a check of common practice: the format does not require the intro to list the parts.",
        ),
        help=Message("让导语的部分数和所列名称与正文一级标题一致。", "Make the intro's count and list match the top-level headings."),
        check=check_intro_parts,
        source=Message("惯例（格式未作规定）；参照格式规定的六部分结构", "practice (not required by the format); compared with the format's six sections"),
        examples=(
            Example(
                bad="存在的主要问题及改进情况共六部分。",
                good="存在的主要问题及改进情况、其他需要报告的事项共六部分。",
                replaces="存在的主要问题及改进情况、其他需要报告的事项共六部分。",
            ),
        ),
    ),
    Rule(
        id="GK107",
        name="placeholder-section",
        family="GK1",
        severity=Severity.WARNING,
        short=Message("第一或第五部分只写了“无”", "section 一 or 五 only says “无”"),
        full=Message(
            "第一部分和第五部分只写“无”“暂无”等，没有实际内容。条例第五十条要求报告“存在的主要问题及改进情况”，"
            "只写“无”既没有说明问题，也没有说明改进，评议中通常被视为敷衍；但这是编写者有意的表述，因此作为警告而不是错误"
            "（完全空白见 GK105）。",
            "Section 一 or 五 says only “无” (none) or the like. Article 50 asks for the main problems and the improvements "
            "made; “无” states neither and is usually judged perfunctory, but it is a deliberate statement, so this is a "
            "warning, not an error (an empty section is GK105).",
        ),
        help=Message("写明本年度工作中存在的主要问题和改进措施，哪怕问题不多。", "State the main problems and the improvements made, however few."),
        check=check_placeholder_section,
        source=Message(f"{_REGULATION}第（四）项", f"{_REGULATION}, item (4)"),
        examples=(
            Example(bad="五、存在的主要问题及改进情况\n无。", good="五、存在的主要问题及改进情况\n" + _P5,
                    replaces="五、存在的主要问题及改进情况\n" + _P5),
        ),
    ),
]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    _config(data)
    return ["section_checks"]
