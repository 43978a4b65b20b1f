"""GK504 postcode-format: malformed postcode."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national.contact._details import details
from gklint.national.contact.data import contact_patterns
from gklint.normalize import fold
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK504: a postcode that is not 6 digits."""
    for detail in details(doc, contact_patterns(context.data)):
        if "postcode" not in detail.kinds:
            continue
        digits = re.sub(r"\s", "", fold(detail.text))
        if len(digits) == 6:
            continue
        yield Problem(detail.value,
                      Message(f"邮政编码“{detail.text}”为{len(digits)}位数字，应为6位", f"postcode {detail.text!r} has {len(digits)} digits, not 6"),
                      key=(digits,))
