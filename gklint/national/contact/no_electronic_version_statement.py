"""GK507 no-electronic-version-statement: no statement of where the electronic version is."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national.contact._details import _anchor, details
from gklint.national.contact.data import contact_patterns, electronic_version
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK507: no statement of where the electronic version can be read (only when there are contact details)."""
    patterns = contact_patterns(context.data)
    found = details(doc, patterns)
    if not found or electronic_version(doc, patterns) is not None:
        return
    yield Problem(_anchor(doc, found),
                  Message("报告没有说明电子版的获取途径（如“本报告电子版可在××人民政府门户网站查阅或下载”）",
                          "the report does not say where its electronic version can be found (e.g. 本报告电子版可在…网站查阅或下载)"),
                  key=("electronic-version",))
