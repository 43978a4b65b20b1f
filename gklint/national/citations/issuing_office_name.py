"""GK403 issuing-office-name: wrong name of the issuing office."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.findings import Fix, Message, Problem
from gklint.model import Document, Span
from gklint.national.citations.registry import registry
from gklint.normalize import norm_label
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK403: a known wrong name of an issuing office."""
    reg = registry(context.data)
    norm = doc.normalized()
    hits: list[tuple[int, int, str, str]] = []
    for issuer in reg.issuers:
        for wrong in issuer.wrong_names:
            needle = norm_label(wrong)
            if needle not in norm.text:
                continue
            for m in re.finditer(re.escape(needle), norm.text):
                start, end = norm.span(m.start(), m.end())
                hits.append((start, end, wrong, issuer.name))
    for start, end, wrong, right in sorted(hits):
        written = doc.text[start:end]
        yield Problem(
            Span(start, end),
            Message(f"发文机关名称“{written}”有误，应为“{right}”", f"the issuing office {written!r} is wrong; it is {right!r}"),
            fix=Fix(Span(start, end), right, Message(f"改为“{right}”", f"write {right}"), safe=True),
            key=(wrong,),
        )
