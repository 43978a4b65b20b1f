"""GK408 unverified-national-citation: unverified 国务院办公厅 document number."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document, Span
from gklint.national.citations._scan import (
    _DAMAGED_HINT,
    _DAMAGED_RE,
    _line_matches,
    _titles,
    citations,
    doc_numbers,
)
from gklint.national.citations.registry import registry
from gklint.normalize import fold
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK408: a 国务院办公厅 文号 that is not in the registry (cannot be verified)."""
    reg, titles = registry(context.data), _titles(context.data)
    national = tuple(fold(p) for p in reg.national_prefixes)
    titled: set[Span] = set()
    for cit in citations(doc, reg):
        if cit.number is not None and titles.by_title(cit.title) is not None:
            titled.add(cit.number.span)
    seen: set[str] = set()
    for n in doc_numbers(doc.text, reg):
        if fold(n.prefix) not in national or titles.lookup(n.run, n.year, n.num) is not None:
            continue
        if n.span in titled or n.canonical in seen:
            continue
        seen.add(n.canonical)
        yield Problem(
            n.span,
            Message(f"未核实的引用：“{doc.snippet(n.span)}”不在引用文件登记表中，请核对文号与标题",
                    f"unverified citation: {doc.snippet(n.span)} is not in the citation registry; check the number and title"),
            key=(n.canonical,),
        )
    yield from _damaged_numbers(doc, national)


def _damaged_numbers(doc: Document, national: tuple[str, ...]) -> Iterator[Problem]:
    """A 国办 文号 whose closing bracket and 号 are lost (scrape damage: 國辦公開辦函〔202130)."""
    for m in _line_matches(_DAMAGED_RE, _DAMAGED_HINT, doc.text):
        if not fold(m["run"]).endswith(national) or doc.text.startswith("号", m.end()):
            continue
        prefix = next(p for p in national if fold(m["run"]).endswith(p))
        start = m.start("run") + len(m["run"]) - len(prefix)
        written = doc.text[start:m.end()]
        yield Problem(
            Span(start, m.end()),
            Message(f"未核实的引用：文号“{written}”残缺（缺少“〕”或“号”），无法核对", f"unverified citation: the number {written!r} is damaged (no 〕 or 号)"),
            key=(fold(written), "damaged"),
        )
