"""GK106 intro-parts: the intro's list of parts disagrees with the sections."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem, Related
from gklint.model import Document
from gklint.national.sections._parts import _heading, _intro_claim
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
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
