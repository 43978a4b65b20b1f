"""GK505 email-format: malformed e-mail address."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national.contact._details import details
from gklint.national.contact.data import contact_patterns
from gklint.rule import CheckContext

_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK505: an e-mail address that is not name@domain.tld in ASCII."""
    for detail in details(doc, contact_patterns(context.data)):
        if detail.kinds != {"email"} or _EMAIL_RE.match(detail.text):
            continue
        if any(ord(ch) > 0x7E for ch in detail.text):
            why = Message("含有全角或中文字符", "contains full-width or Chinese characters")
        elif "@" not in detail.text:
            why = Message("缺少“@”", "has no @")
        else:
            why = Message("不是“用户名@域名”的形式", "is not of the form name@domain")
        yield Problem(detail.value,
                      Message(f"电子邮箱“{detail.text}”格式有误：{why.zh}", f"e-mail address {detail.text!r} is malformed: it {why.en}"),
                      key=(detail.text,))
