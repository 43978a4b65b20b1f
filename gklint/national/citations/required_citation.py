"""GK410 required-citation: a document required by a regional pack is not cited correctly."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from gklint.findings import Message, Problem, Related
from gklint.model import Document, Span
from gklint.national._requirements import _MARKS, _applies, _compact, _skipped, requirements
from gklint.national.citations.registry import Entry, registry, title_forms
from gklint.normalize import fold
from gklint.rule import CheckContext


class _Compact:
    """Compacted text and the original offset of each character, plus the end."""

    __slots__ = ("text", "index")

    def __init__(self, text: str, index: list[int]) -> None:
        self.text = text
        self.index = index

    def span(self, start: int, end: int) -> Span:
        return Span(self.index[start], self.index[end - 1] + 1)


def _compact_doc(doc: Document) -> _Compact:
    norm = doc.normalized()
    keep = [i for i, ch in enumerate(norm.text) if ch not in _MARKS]
    return _Compact("".join(norm.text[i] for i in keep), [norm.index[i] for i in keep] + [len(doc.text)])


_BRACKETS = "〔[(【［﹝"


_CLOSERS = "〕])】］﹞"


def _number_re(number: str) -> re.Pattern[str]:
    """A 文号 in any bracket style, with or without 第 (compared on compact text)."""
    m = re.match(r"^(?P<prefix>.*?)〔(?P<year>[0-9]{4})〕(?P<num>[0-9]+)号$", fold(number))
    if m is None:
        return re.compile(re.escape(_compact(number)))
    return re.compile(rf"{re.escape(_compact(m['prefix']))}[{re.escape(_BRACKETS)}]{m['year']}"
                      rf"[{re.escape(_CLOSERS)}]第?0*{int(m['num'])}号")


_CITED_NUMBER = re.compile(r"\([^()]{0,24}?[0-9]{4}[^()0-9]{0,3}第?[0-9]+号")


def _after_title(doc: Document, span: Span) -> bool:
    """Whether the 文号 at *span* directly follows a title in 《》 (a citation GK402 checks)."""
    before = doc.text[max(0, span.start - 3):span.start].rstrip()
    return before.endswith(("》（", "》(", "》"))


def _citation_problem(doc: Document, compact: _Compact, entry: Entry, trigger: Span, phrase: str) -> Problem | None:
    titles = sorted(title_forms(entry), key=len, reverse=True)
    numbers = [fold(n) for n in entry.numbers]
    text = compact.text
    title_at: tuple[int, int] | None = None
    for t in titles:
        for m in re.finditer(re.escape(t), text):
            after = text[m.end():m.end() + 1 + max(len(n) for n in numbers)]
            if after.startswith("(") and any(after[1:].startswith(n) for n in numbers):
                return None
            title_at = title_at or (m.start(), m.end())
    cited = f"《{entry.nested_title()}》（{entry.number}）"
    number_hit = next((m for n in entry.numbers for m in _number_re(n).finditer(text)), None)
    if number_hit is not None and _after_title(doc, compact.span(number_hit.start(), number_hit.end())):
        return None  # 《another title》（its number）: GK402 reports the title, one finding is enough
    if number_hit is None and title_at is not None and _CITED_NUMBER.match(text, title_at[1]):
        return None  # 《its title》（another number）: GK402 reports the number
    if number_hit is not None:
        written = doc.snippet(compact.span(number_hit.start(), number_hit.end()))
        return Problem(
            compact.span(number_hit.start(), number_hit.end()),
            Message(f"引用“{written}”时标题或文号写法有误，应写作{cited}",
                    f"{written!r} is cited with a wrong title or number; write {cited}"),
            related=(Related(trigger, Message(f"提到“{phrase}”", f"mentions {phrase}")),),
            key=(entry.key, "miscited"),
        )
    if title_at is not None:
        return Problem(
            compact.span(*title_at),
            Message(f"引用《{entry.nested_title()}》时缺少文号或文号有误，应写作{cited}",
                    f"《{entry.title}》 is cited without its number {entry.number} (or with a wrong one); write {cited}"),
            related=(Related(trigger, Message(f"提到“{phrase}”", f"mentions {phrase}")),),
            key=(entry.key, "number"),
        )
    return Problem(
        trigger,
        Message(f"报告提到“{phrase}”，但没有引用{cited}", f"the report mentions {phrase} but does not cite {cited}"),
        key=(entry.key, "missing"),
    )


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK410: the report mentions a subject but does not cite the document a data pack requires for it."""
    reqs = requirements(context.data)
    if not reqs.mentions:
        return
    reg = registry(context.data)
    compact = _compact_doc(doc)
    for item in reqs.mentions:
        if _skipped(context, item.id) or not _applies(item.first_year, item.last_year, doc.metadata.year):
            continue
        hits = [(m, phrase) for phrase in item.when if (m := re.search(re.escape(_compact(phrase)), compact.text))]
        entry = reg.entry(item.cite)
        if not hits or entry is None:
            continue
        m, phrase = min(hits, key=lambda h: h[0].start())
        problem = _citation_problem(doc, compact, entry, compact.span(m.start(), m.end()), phrase)
        if problem is not None:
            yield dataclasses.replace(problem, origin=item.source)
