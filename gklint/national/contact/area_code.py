"""GK508 area-code: telephone area code outside the region."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national._requirements import requirements
from gklint.national.contact._details import _numbers, details
from gklint.national.contact.data import contact_patterns
from gklint.rule import CheckContext


def _area_code(number: str) -> str | None:
    """The area code of a landline number (``0533-6961158`` -> ``0533``), ``None`` for other numbers."""
    main = number.partition("转")[0].strip()
    if main.startswith("+86"):
        main = "0" + main[3:].strip(" -")
    digits = re.sub(r"[\s\-()]", "", main)
    if not digits.isdigit() or not digits.startswith("0") or len(digits) < 10:
        return None
    return digits[:3] if digits[1] in "12" else digits[:4]


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK508: a landline telephone or fax number whose area code is not among those a data pack allows."""
    reqs = requirements(context.data)
    if not reqs.area_codes:
        return
    allowed = reqs.area_codes | set(context.options.get("extra-area-codes", ()))
    for detail in details(doc, contact_patterns(context.data)):
        if not detail.kinds & {"telephone", "fax"}:
            continue
        for span, number in _numbers(detail):
            code = _area_code(number)
            if code is None or code in allowed:
                continue
            shown = "、".join(sorted(allowed))
            yield Problem(
                span,
                Message(f"号码“{doc.snippet(span)}”的区号 {code} 不在本地区的区号中（{shown}）",
                        f"the area code {code} of {doc.snippet(span)!r} is not one of this region's ({', '.join(sorted(allowed))})"),
                key=(code, number),
                origin=reqs.area_source,
            )
