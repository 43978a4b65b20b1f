"""GK302 mixed-layout: the tables mix the old and the new format."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem, Related
from gklint.model import Document
from gklint.national.template._evidence import _evidence, _quoted, _short
from gklint.rule import CheckContext


def _layouts_in_use(doc: Document) -> list[str]:
    used = {m.layout for m in doc.layout.markers}
    used.update(v for v in doc.layout.tables.values() if v)
    return sorted(used)


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """All tables follow one format."""
    used = [lid for lid in _layouts_in_use(doc) if lid in context.data.layouts]
    if doc.layout.layout != "mixed" and len(used) < 2:
        return
    evidence = {lid: _evidence(doc, context.data, lid) for lid in used}
    used = [lid for lid in used if evidence[lid]]
    if len(used) < 2:
        return
    expected = context.data.layout_for_year(doc.metadata.year)
    if expected is not None and expected.id in used:
        odd = [lid for lid in used if lid != expected.id]
    else:
        odd = sorted(used, key=lambda lid: (len(evidence[lid]), lid))[:-1]
    main = [lid for lid in used if lid not in odd]
    parts_zh, parts_en = [], []
    for lid in [*main, *odd]:
        short = _short(context.data.layouts.get(lid), lid)
        parts_zh.append(f"{short.zh}的{_quoted(evidence[lid], 'zh', 3)}")
        parts_en.append(f"{short.en}: {_quoted(evidence[lid], 'en', 3)}")
    first = evidence[odd[0]][0]
    related = tuple(
        Related(e.span, Message(f"{_short(context.data.layouts.get(lid), lid).zh}的标志“{e.text}”",
                                f"marker “{e.text}” of {_short(context.data.layouts.get(lid), lid).en}"))
        for lid in main for e in evidence[lid][:2]
    )
    yield Problem(
        first.span,
        Message(f"同一报告的表格混用了两种格式：{'；'.join(parts_zh)}", f"the tables mix two formats: {'; '.join(parts_en)}"),
        related=related,
        key=("mixed", *used),
    )
