"""GK404 attachment-title-with-notice-number: attachment title paired with the notice's number."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem, Related
from gklint.model import Document
from gklint.national.citations._scan import _entry_of, _key, _titles, citations
from gklint.national.citations.registry import registry
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK404: the attachment's title paired with the notice's 文号."""
    reg, titles = registry(context.data), _titles(context.data)
    for cit in citations(doc, reg):
        entry = _entry_of(cit, titles)
        if entry is None or cit.number is None or not entry.attachment or not entry.verified:
            continue
        if titles.key(cit.title) != _key(entry.attachment):
            continue
        number_text = doc.snippet(cit.number.span)
        yield Problem(
            cit.mark.span,
            Message(f"《{cit.title}》是附件，“{number_text}”是通知《{entry.nested_title()}》的文号；"
                    f"应引用通知标题，或写作“{entry.number}印发的《{entry.attachment}》”",
                    f"《{cit.title}》 is the attachment; {number_text} is the number of the notice 《{entry.title}》: "
                    "cite the notice's title, or write that the notice issued the attachment"),
            related=(Related(cit.number.span, Message("通知的文号", "the notice's number")),),
            key=(entry.number, "attachment"),
        )
