"""GK405 regulation-citation: the 条例 cited without its full title or with a wrong decree number."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.findings import Fix, Message, Problem, Severity
from gklint.model import Document, Span
from gklint.national.citations._scan import TitleMark, _key, _year, title_marks
from gklint.national.citations.registry import Entry, registry
from gklint.normalize import fold
from gklint.rule import CheckContext

_DECREE_RE = re.compile(r"国务院令\s*第?\s*(?P<num>[0-9０-９]{1,5})\s*号")


def _decrees(doc: Document, paren: Span | None) -> list[tuple[Span, int]]:
    if paren is None:
        return []
    found = []
    for m in _DECREE_RE.finditer(doc.text, paren.start, paren.end):
        found.append((Span(m.start(), m.end()), int(fold(m["num"]))))
    return found


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK405: the 条例 without 中华人民共和国 on first mention, or with a wrong 国务院令 number."""
    reg = registry(context.data)
    year = _year(doc)
    for entry in reg.entries:
        if entry.kind != "regulation" or not entry.verified:
            continue
        full = _key(entry.title)
        shorts = {_key(s): s for s in entry.short_names}
        names = {full, *shorts}
        mentions = [m for m in title_marks(doc.text) if _key(doc.snippet(m.inner)) in names]
        if mentions and _key(doc.snippet(mentions[0].inner)) in shorts:
            first = mentions[0]
            written = doc.snippet(first.inner)
            missing = entry.title[: len(entry.title) - len(written)] if entry.title.endswith(written) else ""
            yield Problem(
                first.span,
                Message(f"首次引用《{written}》应写全称《{entry.title}》", f"first citation of 《{written}》 must give the full title 《{entry.title}》"),
                fix=Fix(Span(first.inner.start, first.inner.start), missing, Message(f"补上“{missing}”", f"insert {missing}"),
                        safe=True)
                if missing else None,
                key=(entry.key, "short"),
            )
        yield from _decree_problems(doc, entry, mentions, year)


def _decree_problems(doc: Document, entry: Entry, mentions: list[TitleMark], year: int | None) -> Iterator[Problem]:
    current, former = entry.decree_numbers()
    if not current:
        return
    want = "、".join(f"国务院令第{n}号" for n in sorted(current))
    for mention in mentions:
        decrees = _decrees(doc, mention.paren)
        cited = {n for _, n in decrees}
        for span, n in decrees:
            if n in current:
                continue
            if n in former:
                if cited & current or year is None or entry.current_since is None or year < entry.current_since:
                    continue
                msg = Message(f"《{entry.title}》引用了修订前的“国务院令第{n}号”；{year}年度报告应引用修订后的“{want}”",
                              f"cites the unrevised edition (国务院令第{n}号); a {year} report must cite the revised {want}")
            else:
                msg = Message(f"《{entry.title}》的国务院令编号应为“{want}”，此处写作“国务院令第{n}号”",
                              f"the State Council decree number of 《{entry.title}》 is {want}, not 国务院令第{n}号")
            yield Problem(span, msg, key=(entry.key, f"decree-{n}"), severity=Severity.ERROR)
