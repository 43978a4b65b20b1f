"""GK703 repeated-from-last-year: section text nearly identical to last year's."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gklint.findings import Message, Problem, Related
from gklint.lazyre import lazy
from gklint.model import Document, Section, Span
from gklint.national.crossyear._compare import _comparable, repeated_passages
from gklint.rule import CheckContext

_SECTION_NAMES = {"overview": "一、总体情况", "problems": "五、存在的主要问题及改进情况"}


_YEARS = lazy(r"(?:19|20)\d{2}(?=\s*年)")


def _comparable_text(doc: Document, span: Span, skip: Sequence[Span] = ()) -> tuple[str, list[int]]:
    """The text of *span* without white space and the *skip* spans (sub-headings, which every year
    repeats), years masked (``####``), with each character's offset."""
    chars: list[str] = []
    where: list[int] = []
    text = doc.text[span.start : span.end]
    masked = _YEARS.sub("####", text)
    skipped: set[int] = set()
    for s in skip:
        skipped.update(range(max(s.start, span.start) - span.start, min(s.end, span.end) - span.start))
    for i, ch in enumerate(masked):
        if not ch.isspace() and i not in skipped:
            chars.append(ch)
            where.append(span.start + i)
    return "".join(chars), where


def _body(section: Section, doc: Document) -> Span | None:
    span = section.body_span
    return span if span.end > span.start and doc.text[span.start : span.end].strip() else None


def check(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or not _comparable(doc, prev, ctx.data):
        return
    threshold = float(ctx.options.get("threshold", 0.8))
    min_size = int(ctx.options.get("min-passage", 20))
    limit = int(ctx.options.get("max-chars", 20000))
    for key in ctx.options.get("sections", ["problems", "overview"]):
        this, last = doc.section(key), prev.section(key)
        if this is None or last is None:
            continue
        a_span, b_span = _body(this, doc), _body(last, prev)
        if a_span is None or b_span is None:
            continue
        a_text, a_where = _comparable_text(doc, a_span, [h.span for h in this.headings])
        b_text, b_where = _comparable_text(prev, b_span, [h.span for h in last.headings])
        if len(a_text) < min_size or len(a_text) > limit or len(b_text) > limit:
            continue
        share, passages = repeated_passages(a_text, b_text, min_size)
        if share < threshold:
            continue
        title = _SECTION_NAMES.get(key, f"{this.number}、{this.canonical_title or this.title}")
        percent = round(share * 100)
        related: list[Related] = []
        shown = passages[:3]
        for n, (i, j, size) in enumerate(shown, 1):
            here = Span(a_where[i], a_where[i + size - 1] + 1)
            there = Span(b_where[j], b_where[j + size - 1] + 1)
            if n > 1:
                related.append(Related(here, Message(f"重复段落{n}（本年，{size}字）", f"repeated passage {n} (this year, {size} characters)")))
            related.append(Related(there, Message(f"重复段落{n}在上年报告中（{size}字）",
                                                  f"repeated passage {n} in last year's report ({size} characters)"), prev))
        primary = Span(a_where[shown[0][0]], a_where[shown[0][0] + shown[0][2] - 1] + 1) if shown else this.heading_span
        yield Problem(
            primary,
            Message(f"“{title}”与上年报告基本相同：{percent}%的文字（年份除外）与上年重复；"
                    "请写本年度的实际情况",
                    f"'{title}' is nearly the same as last year's report: {percent}% of its text "
                    "(years aside) repeats last year's; describe this year"),
            related=tuple(related),
            key=("repeated", key),
        )
