"""What the sections checks share: the layout's parts, heading matching, the intro's list of parts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from gklint.data import LayoutSpec, SectionSpec, StandardData
from gklint.facts import parse_numeral
from gklint.model import Document, Paragraph, Section, Span
from gklint.national.sections.data import _NOT_TEXT, _Config, _config
from gklint.normalize import fold, norm_label
from gklint.rule import CheckContext

_BOOKMARK = re.compile(r"\[bookmark[:：][^\]\n]*\]", re.IGNORECASE)


_WORD = re.compile(r"[^\W_]")  # what _NOT_TEXT leaves


_LINE = re.compile(r"[^\r\n]+")


_SPACE = " \t\u3000\xa0|"


_NUMERALS = "一二三四五六七八九十"


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


def _cut_off(doc: Document, spec: SectionSpec) -> bool:
    """Is *spec* after the point where a truncated text stops (GK109 reports that once)?"""
    return doc.truncated is not None and bool(doc.sections) and (parse_numeral(spec.number) or 0) > doc.sections[-1].ordinal


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
            if "[" in text or "<" in text:  # what image placeholders and _BOOKMARK begin with
                text = _BOOKMARK.sub("", _without_images(doc, text, m.start() + left)).strip(_SPACE)
            if _WORD.search(text):  # _NOT_TEXT would leave something
                yield Span(m.start() + left, m.start() + right), text
        pos = max(pos, cut.end)


def _without_images(doc: Document, text: str, at: int) -> str:
    """*text*, which starts at offset *at* of the document, without the image placeholders in it."""
    for image in reversed(doc.facts.images_in(Span(at, at + len(text)))):
        text = text[: image.start - at] + text[image.end - at :]
    return text


def _content_sections(doc: Document, data: StandardData) -> Iterator[tuple[SectionSpec, Section]]:
    layout = _layout(doc, data)
    if layout is None:
        return
    for spec in layout.sections:
        if spec.content_required:
            for sec in doc.sections:
                if sec.key == spec.key:
                    yield spec, sec


@dataclass(frozen=True)
class _Item:
    span: Span
    text: str
    key: str | None
    ratio: float


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
            count = parse_numeral(m.group("count")) if m is not None else None
            if m is None or count is None:
                continue
            base = para.span.start
            count_span = Span(base + m.start("count"), base + m.end("count"))
            list_text = m.groupdict().get("list")
            if not list_text:
                return _Claim(para, count, count_span, None, [])
            ls, le = m.start("list"), m.end("list")
            items = candidates.items(folded[ls:le], base + ls, config)
            return _Claim(para, count, count_span, Span(base + ls, base + le), items)
    return None
