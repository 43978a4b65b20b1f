"""GK108 required-subitem: a sub-item required by a regional pack is missing."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.national._requirements import _applies, _compact, _skipped, requirements
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK108: a section lacks a sub-item a data pack requires."""
    for item in requirements(context.data).subitems:
        if _skipped(context, item.id) or not _applies(item.first_year, item.last_year, doc.metadata.year):
            continue
        section = doc.section(item.section)
        if section is None:
            continue  # GK101 reports the missing section
        wanted = [_compact(h) for h in item.heading]
        if any(w in _compact(h.title) for h in section.headings for w in wanted):
            continue
        heading = " ".join(doc.snippet(section.heading_span).split())
        phrases = "”或“".join(item.heading)
        yield Problem(
            section.heading_span,
            Message(f"“{heading}”中缺少“{item.name.zh}”一项（应有标题含“{phrases}”的小标题）",
                    f"{heading!r} lacks the item {item.name.en!r} (a sub-heading containing {' or '.join(item.heading)})"),
            key=(item.id,),
            origin=item.source,
        )
