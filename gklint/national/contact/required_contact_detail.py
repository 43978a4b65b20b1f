"""GK509 required-contact-detail: a contact detail required in the region is missing."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national._requirements import requirements
from gklint.national.contact._details import details
from gklint.national.contact.data import contact_patterns, electronic_version
from gklint.rule import CheckContext

_PIECE_NAMES = {
    "telephone": ("电话", "telephone"), "fax": ("传真", "fax"), "postcode": ("邮政编码", "postcode"),
    "email": ("电子邮箱", "e-mail"), "address": ("通讯地址", "address"),
    "electronic_version": ("电子版获取途径", "where the electronic version is"),
}


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK509: a contact detail a data pack requires is not given."""
    reqs = requirements(context.data)
    if not reqs.required_contact:
        return
    patterns = contact_patterns(context.data)
    found = details(doc, patterns)
    have = {k for d in found for k in d.kinds}
    if electronic_version(doc, patterns) is not None:
        have.add("electronic_version")
    anchor = found[0].span if found else (doc.metadata.intro[-1].span if doc.metadata.intro else doc.metadata.title_span)
    for piece in reqs.required_contact:
        if piece in have or piece in tuple(context.options.get("skip", ())):
            continue
        zh, en = _PIECE_NAMES[piece]
        yield Problem(anchor, Message(f"联系方式中没有{zh}（本地区要求写明）", f"the contact details give no {en} (required in this region)"),
                      key=(piece,), origin=reqs.required_source)
