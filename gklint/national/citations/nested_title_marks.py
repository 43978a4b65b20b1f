"""GK407 nested-title-marks: wrong or misplaced title marks inside 《》."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.findings import Fix, Message, Problem
from gklint.model import Document, Span
from gklint.national.citations._scan import TitleMark, _inner_pairs, _inside, title_marks
from gklint.national.citations.registry import registry, title_key
from gklint.normalize import fold
from gklint.rule import CheckContext

_ASCII_MARKS = "<>＜＞‹›"


def _inner_problem(doc: Document, mark: TitleMark, start: int, close: int | None, opener: str,
                   verbs: tuple[str, ...]) -> Problem | None:
    text = doc.text
    title = doc.snippet(mark.span)
    if close is None:
        if opener == "〈":
            return None
        return Problem(Span(start, start + 1),
                       Message(f"{title}中有不成对的书名号“{opener}”；书名号内的书名应使用单书名号〈〉",
                               f"unpaired title mark {opener!r} in {title}; titles nested in 《》 take 〈〉"),
                       key=("unpaired", opener))
    content = text[start + 1:close]
    verb = next((v for v in verbs if fold(content).startswith(v)), "")
    ascii_marks = opener in _ASCII_MARKS or text[close] in _ASCII_MARKS
    nested_double = opener == "《"
    if not (ascii_marks or nested_double or verb):
        return None
    right = f"{verb}〈{content[len(verb):]}〉"
    problems_zh: list[str] = []
    problems_en: list[str] = []
    if ascii_marks:
        problems_zh.append(f"用了“{opener}{text[close]}”，应为单书名号“〈〉”")
        problems_en.append(f"uses {opener}{text[close]} instead of 〈〉")
    elif nested_double:
        problems_zh.append("书名号内又用了双书名号“《》”，应为单书名号“〈〉”")
        problems_en.append("nests 《》 inside 《》 instead of 〈〉")
    if verb:
        problems_zh.append(f"“{verb}”不是书名的一部分，应在书名号之外")
        problems_en.append(f"{verb} is not part of the inner title and belongs outside the marks")
    span = Span(start, close + 1)
    safe = ascii_marks and not verb and not nested_double  # only <> -> 〈〉; moving a verb is the editor's call
    return Problem(
        span,
        Message(f"书名号内的“{doc.snippet(span)}”有误：{'；'.join(problems_zh)}，应写作“{right}”",
                f"{doc.snippet(span)!r} inside 《》: {'; '.join(problems_en)}; write {right!r}"),
        fix=Fix(span, right, Message(f"改为“{right}”", f"write {right}"), safe=safe),
        key=(title_key(title), "inner"),
    )


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK407: ASCII ``<>`` (or 《》) inside 《》, inner marks around the verb, 〈〉 used as outer marks."""
    reg = registry(context.data)
    marks = title_marks(doc.text)
    for mark in marks:
        for start, close, opener in _inner_pairs(doc.text, mark.inner):
            problem = _inner_problem(doc, mark, start, close, opener, reg.misplaced_inner_prefixes)
            if problem is not None:
                yield problem
    yield from _outer_single_marks(doc, marks)


_OUTER_SINGLE_RE = re.compile(r"〈([^〈〉\n]{2,80})〉")


_CJK_RE = re.compile(r"[\u3400-\u9fff]{2}")


def _outer_single_marks(doc: Document, marks: list[TitleMark]) -> Iterator[Problem]:
    for m in _OUTER_SINGLE_RE.finditer(doc.text):
        span = Span(m.start(), m.end())
        if any(_inside(span, mark.span) for mark in marks) or not _CJK_RE.search(m[1]):
            continue
        right = f"《{m[1]}》"
        yield Problem(
            span,
            Message(f"“{m[0]}”用单书名号作外层书名号，应写作“{right}”", f"{m[0]!r} uses 〈〉 as the outer title marks; write {right!r}"),
            fix=Fix(span, right, Message(f"改为“{right}”", f"write {right}")),
            key=(title_key(m[1]), "outer"),
        )
