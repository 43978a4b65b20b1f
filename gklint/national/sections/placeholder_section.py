"""GK107 placeholder-section: section 一 or 五 only says “无”."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem, Related
from gklint.model import Document, Span
from gklint.national.sections._parts import _content_pieces, _content_sections, _heading
from gklint.national.sections.data import _NOT_TEXT, _Config, _config
from gklint.normalize import fold
from gklint.rule import CheckContext


def _is_placeholder(text: str, config: _Config) -> bool:
    core = _NOT_TEXT.sub("", fold(text))
    return core in config.placeholders or any(p.search(core) for p in config.placeholder_patterns)


def _placeholders(pieces: Iterator[tuple[Span, str]], config: _Config) -> list[tuple[Span, str]]:
    """All of *pieces* if each is a placeholder, else ``[]`` (taking pieces only up to the first that is not)."""
    found: list[tuple[Span, str]] = []
    for span, text in pieces:
        if not _is_placeholder(text, config):
            return []
        found.append((span, text))
    return found


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Sections 一 and 五 say more than a placeholder such as “无”."""
    config = _config(context.data)
    for spec, sec in _content_sections(doc, context.data):
        pieces = _placeholders(_content_pieces(doc, sec), config)
        if not pieces:
            continue
        written = "”“".join(text.lstrip("。，,.；;：: ") for _, text in pieces[:3])
        yield Problem(
            Span(pieces[0][0].start, pieces[-1][0].end),
            Message(f"第{spec.number}部分“{_heading(doc, sec)}”只写了“{written}”，没有实际内容",
                    f"section {spec.number} “{_heading(doc, sec)}” only says “{written}”"),
            related=(Related(sec.heading_span, Message("所在部分", "section")),),
            key=(spec.key,),
        )
