"""GK109 report-truncated: the report seems cut off."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document, Span
from gklint.rule import CheckContext


def truncation_point(doc: Document) -> tuple[Span, str] | None:
    """Where the report stops short (:attr:`Document.truncated`) and the last part found."""
    if doc.truncated is None or not doc.sections:
        return None
    last = doc.sections[-1]
    return doc.truncated, f"{last.number}、{last.canonical_title or last.title}"


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK109: text that stops in the middle of the report, said once instead of a finding per missing part."""
    point = truncation_point(doc)
    if point is None:
        return
    span, last = point
    yield Problem(
        span,
        Message(
            f"报告似乎不完整：文本在“{last}”部分中途结束，后面的部分和表格都没有。这份文本可能只复制了网页或 PDF 的一部分；"
            f"请检查完整的报告",
            f"the report seems cut off: the text stops inside “{last}” and the parts after it are not there. "
            f"Only part of the page or PDF may have been copied; lint the whole report",
        ),
        key=("truncated", last),
    )
