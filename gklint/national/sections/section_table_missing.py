"""GK104 section-table-missing: section 二, 三 or 四 lacks its table."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.facts import table_name
from gklint.findings import Message, Problem, Related
from gklint.model import Document, TableStatus
from gklint.national.sections._parts import (
    _cut_off,
    _full,
    _heading,
    _insertion_point,
    _layout,
)
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
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
        zh_name, en_name = table_name(spec.table)
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
            images = doc.facts.images_in(sec.body_span)
            span = images[0] if images else sec.heading_span
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
