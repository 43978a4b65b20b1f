"""GK105 empty-section: section 一 or 五 is empty."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national.sections._parts import _content_pieces, _content_sections, _heading
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
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
