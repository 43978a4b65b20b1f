"""GK402 registry-title-mismatch: registry document cited with a wrong title or number."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Fix, Message, Problem, Related
from gklint.model import Document
from gklint.national.citations._scan import _entry_of, _key, _titles, citations
from gklint.national.citations.registry import registry
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK402: a registry 文号 with another title, or a registry title with another 文号."""
    reg, titles = registry(context.data), _titles(context.data)
    for cit in citations(doc, reg):
        if cit.number is None:
            continue
        entry = _entry_of(cit, titles)
        key = titles.key(cit.title)
        number_text = doc.snippet(cit.number.span)
        if entry is not None:
            if not entry.verified or key in titles.forms(entry):
                continue
            if entry.attachment and key == _key(entry.attachment):
                continue  # GK404
            other = titles.by_title(cit.title)
            if other is not None and other is not entry:
                yield Problem(
                    cit.number.span,
                    Message(f"《{cit.title}》的文号应为“{other.number}”；“{number_text}”是《{entry.nested_title()}》的文号",
                            f"the number of 《{cit.title}》 is {other.number}; {number_text} is the number of 《{entry.title}》"),
                    related=(Related(cit.mark.span, Message("引用的标题", "the title cited")),),
                    key=(cit.number.canonical, other.key),
                    origin=other.source,
                )
                continue
            expected = entry.nested_title()
            yield Problem(
                cit.mark.inner,
                Message(f"“{number_text}”的标题应为《{expected}》，此处写作《{cit.title}》",
                        f"the title of {number_text} is 《{expected}》, not 《{cit.title}》"),
                related=(Related(cit.number.span, Message("文号", "the document number")),),
                fix=Fix(cit.mark.inner, expected, Message(f"改为登记的标题《{expected}》", "use the registered title"),
                        safe=True),  # the 文号 is in the registry and verified: the title is certain
                key=(cit.number.canonical, "title"),
                origin=entry.source,
            )
            continue
        titled = titles.by_title(cit.title)
        if titled is not None and titled.number and not titled.kind == "regulation":
            yield Problem(
                cit.number.span,
                Message(f"《{cit.title}》的文号应为“{titled.number}”，此处写作“{number_text}”",
                        f"the number of 《{cit.title}》 is {titled.number}, not {number_text}"),
                related=(Related(cit.mark.span, Message("引用的标题", "the title cited")),),
                fix=Fix(cit.number.span, titled.number, Message(f"改为“{titled.number}”", f"write {titled.number}")),
                key=(cit.number.canonical, titled.key),
                origin=titled.source,
            )
