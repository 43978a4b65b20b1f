"""GK503 telephone-format: malformed telephone or fax number."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national.contact._details import _numbers, details, telephone_problem
from gklint.national.contact.data import contact_patterns
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK503: a telephone or fax number that is not an area code + 7/8 digits, a mobile or a service number."""
    patterns = contact_patterns(context.data)
    for detail in details(doc, patterns):
        if not detail.kinds & {"telephone", "fax"}:
            continue
        what = "电话" if "telephone" in detail.kinds else "传真"
        for span, number in _numbers(detail):
            why = telephone_problem(number, patterns)
            if why is None:
                continue
            written = doc.snippet(span)
            yield Problem(span,
                          Message(f"{what}号码“{written}”格式有误：{why.zh}", f"{'telephone' if what == '电话' else 'fax'} number {written!r} is malformed: {why.en}"),
                          key=(what, number))
