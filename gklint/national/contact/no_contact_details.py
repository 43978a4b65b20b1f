"""GK501 no-contact-details: no contact details."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national.contact._details import _anchor, details
from gklint.national.contact.data import contact_patterns
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK501: no address, telephone, fax, postcode or e-mail anywhere."""
    found = details(doc, contact_patterns(context.data))
    if found:
        return
    yield Problem(_anchor(doc, found),
                  Message("报告中没有联系方式：未找到地址、电话、传真、邮编或电子邮箱", "the report gives no contact details: no address, telephone, fax, postcode or e-mail found"),
                  key=("contact",))
