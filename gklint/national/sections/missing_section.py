"""GK101 missing-section: a section of the format is missing."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem, Related
from gklint.model import Document
from gklint.national.sections._parts import _cut_off, _full, _heading, _insertion_point, _layout
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
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
