"""GK103 heading-wording: heading wording differs from the format."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Fix, Message, Problem
from gklint.model import Document, Span
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
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
