"""GK706 previous-of-another-agency: the earlier report given is of another agency."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem, Related
from gklint.model import Document
from gklint.national.crossyear._compare import _same_agency, _who
from gklint.rule import CheckContext


def check(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or _same_agency(doc, prev, ctx.data) is not False:
        return
    this, last = _who(doc, ctx.data), _who(prev, ctx.data)
    yield Problem(
        doc.metadata.title_span,
        Message(f"本报告的机关为“{this.agency}”，给出的上年报告为“{last.agency}”，不是同一机关；跨年度核对未进行",
                f"this report's agency is '{this.agency}', the earlier report given is of "
                f"'{last.agency}', another agency; the cross-year checks were not made"),
        related=(Related(prev.metadata.title_span, Message(f"上年报告的机关：{last.agency}",
                                                           f"the earlier report's agency: {last.agency}"), prev),),
        key=("agency",),
    )
