"""GK102 section-order: sections out of order or wrongly numbered."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from gklint.data import LayoutSpec
from gklint.findings import Fix, Message, Problem, Related
from gklint.model import Document, Section, Span
from gklint.national.sections._parts import _NUMERALS, _heading, _layout
from gklint.rule import CheckContext


def _numeral(n: int) -> str:
    if 1 <= n <= 10:
        return _NUMERALS[n - 1]
    if n < 20:
        return "十" + _NUMERALS[n - 11]
    return str(n)


@dataclass
class _OrderState:
    index: dict[str, int]
    present: set[str]
    reported: set[int] = field(default_factory=set)
    involved: set[int] = field(default_factory=set)


def _order_problems(doc: Document, state: _OrderState) -> Iterator[tuple[int, Problem]]:
    """Duplicated sections and sections placed after ones the format puts later."""
    first_of: dict[str, int] = {}
    for i, sec in enumerate(doc.sections):
        if sec.key not in state.index:
            continue
        if sec.key in first_of:
            first = doc.sections[first_of[sec.key]]
            state.reported.add(i)
            yield i, Problem(
                sec.heading_span,
                Message(
                    f"“{_heading(doc, sec)}”与前面的“{_heading(doc, first)}”是同一部分，重复出现",
                    f"“{_heading(doc, sec)}” repeats the section “{_heading(doc, first)}” given earlier",
                ),
                related=(Related(first.heading_span, Message("第一次出现", "first occurrence")),),
                key=("duplicate", sec.key),
            )
            continue
        first_of[sec.key] = i
        earlier = [
            j for j in range(i)
            if doc.sections[j].key in state.index
            and state.index[doc.sections[j].key or ""] > state.index[sec.key]
            and j not in state.reported
        ]
        if earlier:
            j = earlier[0]
            state.reported.add(i)
            state.involved.update(earlier)
            yield i, Problem(
                sec.heading_span,
                Message(
                    f"章节顺序错误：“{_heading(doc, sec)}”应在“{_heading(doc, doc.sections[j])}”之前",
                    f"sections out of order: “{_heading(doc, sec)}” belongs before “{_heading(doc, doc.sections[j])}”",
                ),
                related=(Related(doc.sections[j].heading_span, Message("排在前面的后续部分", "later section placed before it")),),
                key=("order", sec.key, doc.sections[j].key or ""),
            )


def _numbering_problems(doc: Document, layout: LayoutSpec, state: _OrderState) -> Iterator[tuple[int, Problem]]:
    """Numerals that do not fit the section or the sequence (skipped, repeated, going back)."""
    order = [s.key for s in layout.sections]
    prev_ord = 0
    prev: Section | None = None
    for i, sec in enumerate(doc.sections):
        known = sec.key in state.index
        canonical = state.index[sec.key or ""] + 1 if known else sec.ordinal
        if i in state.reported or i in state.involved:
            prev_ord, prev = canonical, sec
            continue
        problem: Problem | None = None
        renumbered = canonical - sum(1 for k in order[: canonical - 1] if k not in state.present) if known else canonical
        if known and sec.ordinal not in (canonical, renumbered):
            right = _numeral(canonical)
            dup_zh = f"，与“{_heading(doc, prev)}”编号重复" if prev is not None and sec.ordinal == prev_ord else ""
            dup_en = f", the same numeral as “{_heading(doc, prev)}”" if prev is not None and sec.ordinal == prev_ord else ""
            numeral_span = Span(sec.heading_span.start, sec.heading_span.start + len(sec.number))
            fix = None
            if doc.snippet(numeral_span) == sec.number:
                fix = Fix(numeral_span, right, Message(f"改为“{right}”", f"renumber as “{right}”"))
            problem = Problem(
                sec.heading_span,
                Message(
                    f"“{_heading(doc, sec)}”的编号应为“{right}”，写成了“{sec.number}”{dup_zh}",
                    f"“{_heading(doc, sec)}” should be numbered “{right}”, not “{sec.number}”{dup_en}",
                ),
                fix=fix,
                key=("numeral", sec.key or "", sec.number),
            )
            prev_ord = canonical
        elif prev is not None and sec.ordinal == prev_ord:
            problem = Problem(
                sec.heading_span,
                Message(f"编号“{sec.number}”重复：“{_heading(doc, prev)}”之后又是“{_heading(doc, sec)}”",
                        f"numeral “{sec.number}” repeated: “{_heading(doc, sec)}” follows “{_heading(doc, prev)}”"),
                related=(Related(prev.heading_span, Message("同一编号", "same numeral")),),
                key=("repeated", sec.number, sec.title),
            )
        elif prev is not None and sec.ordinal < prev_ord:
            problem = Problem(
                sec.heading_span,
                Message(f"编号倒退：“{_heading(doc, sec)}”排在“{_heading(doc, prev)}”之后",
                        f"numbering goes back: “{_heading(doc, sec)}” follows “{_heading(doc, prev)}”"),
                related=(Related(prev.heading_span, Message("前一部分", "previous section")),),
                key=("backwards", sec.number, sec.title),
            )
        elif sec.ordinal > prev_ord + 1:
            skipped = list(range(prev_ord + 1, sec.ordinal))
            explained = all(n <= len(order) and order[n - 1] not in state.present for n in skipped)
            if not explained:
                names = "、".join(_numeral(n) for n in skipped)
                after_zh = f"“{_heading(doc, prev)}”之后" if prev else "报告开头"
                after_en = f"after “{_heading(doc, prev)}”" if prev else "at the start"
                problem = Problem(
                    sec.heading_span,
                    Message(f"编号跳过了“{names}”：{after_zh}是“{_heading(doc, sec)}”", f"numbering skips “{names}”: “{_heading(doc, sec)}” comes {after_en}"),
                    key=("skipped", sec.number, sec.title),
                )
        if problem is not None:
            yield i, problem
        if not (known and problem is not None and problem.key[0] == "numeral"):
            prev_ord = sec.ordinal
        prev = sec


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """Sections in the format's order, each under its own numeral, numerals in sequence."""
    layout = _layout(doc, context.data)
    if layout is None or not doc.sections:
        return
    index = {s.key: i for i, s in enumerate(layout.sections)}
    state = _OrderState(index, {s.key for s in doc.sections if s.key in index})
    found = list(_order_problems(doc, state))
    found.extend(_numbering_problems(doc, layout, state))
    for _, problem in sorted(found, key=lambda item: item[0]):
        yield problem
