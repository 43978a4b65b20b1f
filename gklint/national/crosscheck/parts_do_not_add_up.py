"""GK606 parts-do-not-add-up: the parts listed after 其中 do not add up to the total."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from gklint.data import StandardData
from gklint.facts import CHINESE_NUMERALS, parse_numeral
from gklint.findings import Message, Problem, Related
from gklint.model import Document
from gklint.national.crosscheck._prose import Sentence, _screen
from gklint.national.crosscheck.data import CrossData, _any_of, cross_data
from gklint.rule import CheckContext

_PERCENT = re.compile(r"^[^%]*\d+(?:\.\d+)?\s*%\)?$")


_PART_SEP = re.compile(r"[,;。!?]")  # ends the clause holding a total


_PART_LEAD = re.compile(r"[\s,:]*")  # between 其中 and the first part


_PART_CLAUSE = re.compile(r"[^,;、。!?]+")  # one part (no brackets: see _part_clauses)


_PART_SEPARATORS = frozenset(",;、。!?")


_IN_BRACKETS = frozenset(",;、")  # separators that do not end a part inside brackets


@dataclass(frozen=True, slots=True)
class PartList:
    total: int
    unit: str
    total_span: tuple[int, int]  # in the sentence
    parts: tuple[tuple[int, int, int], ...]  # (value, start of the label, end of the unit) in the sentence


@dataclass(frozen=True, slots=True)
class _PartRegexes:
    total: re.Pattern[str]
    part: re.Pattern[str]
    numeric: re.Pattern[str]  # any count in a part unit, approximate ones included (200余条)
    end_words: re.Pattern[str] | None  # any of CrossData.part_end_words


def _build_part_regexes(data: StandardData) -> _PartRegexes:
    cfg = cross_data(data)
    units = "|".join(re.escape(u) for u in sorted(cfg.part_units, key=len, reverse=True))
    return _PartRegexes(
        total=re.compile(rf"(?<![\d.])(?P<n>{cfg.number})(?P<u>{units})[\s(（]*$"),
        part=re.compile(rf"^(?P<label>.*?)(?<![\d.])(?P<n>{cfg.number})(?P<u>{units})\s*(?:\([^)]*\))?\s*$"),
        numeric=re.compile(rf"(?:\d+(?:\.\d+)?|[{re.escape(CHINESE_NUMERALS)}]+)(?:余|多)?(?:{units})"),
        end_words=_any_of(cfg.part_end_words),
    )


def _part_lists(s: Sentence, cfg: CrossData, res: _PartRegexes) -> Iterator[PartList]:
    """Every "N条，其中A条、B条" list of the sentence whose total and parts are readable."""
    for opener in cfg.part_openers:
        if opener not in s.text:
            continue
        for om in re.finditer(re.escape(opener), s.text):
            before = s.text[: om.start()].rstrip(" ,;:、\t")
            tm = res.total.search(before)
            if tm is None or before.endswith(tuple(cfg.approx_before), 0, tm.start()):
                continue
            clause = _PART_SEP.split(before[: tm.start()])[-1]
            if res.numeric.search(clause):
                continue  # "建议18件、提案34件，其中…": which number is the total?
            found = _parts_after(s.text, om.end(), res, tm.group("u"), cfg)
            total = parse_numeral(tm.group("n"))
            if found and total is not None:
                yield PartList(total, tm.group("u"), (tm.start("n"), tm.end("u")), tuple(found))


def _parts_after(text: str, start: int, res: _PartRegexes, unit: str, cfg: CrossData) -> list[tuple[int, int, int]] | None:
    """The parts of a 其中 list starting at *start*, or None if the list is partial or unreadable."""
    lead = _PART_LEAD.match(text, start)
    pos = lead.end() if lead else start
    parts: list[tuple[int, int, int]] = []
    for first, after in _part_clauses(text, pos):
        clause = text[first:after]
        stripped = clause.strip()
        closing = stripped.endswith(")") and stripped.count("(") < stripped.count(")")
        if closing:
            stripped = stripped.rstrip(")").strip() if "(" not in stripped else stripped[:-1].strip()
        if any(w in stripped for w in cfg.part_partial_words):
            return None
        if _PERCENT.match(stripped):
            continue
        pm = res.part.match(stripped)
        if (res.end_words is not None and res.end_words.search(stripped)) or pm is None or not pm.group("label").strip():
            if res.numeric.search(stripped):
                return None  # a number we cannot place (200余条, 同比增加3条, 38条为政策文件): do not guess
            break
        value = parse_numeral(pm.group("n"))
        if value is None or pm.group("u") != unit:
            return None
        offset = first + (len(clause) - len(clause.lstrip()))
        parts.append((value, offset, offset + pm.end("u")))
        if closing or (after < len(text) and text[after] in "。!?"):
            break
    return parts


def _part_clauses(text: str, pos: int) -> Iterator[tuple[int, int]]:
    """``[start, end)`` of each part of a 其中 list from *pos*: the runs of text between ``,;、。!?``,
    except that a separator inside brackets does not end a part (其他类信息（含人事、采购）6条).
    """
    if "(" not in text[pos:]:
        for m in _PART_CLAUSE.finditer(text, pos):
            yield m.start(), m.end()
        return
    start, depth = -1, 0
    for i in range(pos, len(text)):
        ch = text[i]
        if ch in _PART_SEPARATORS and not (depth and ch in _IN_BRACKETS):
            if start >= 0:
                yield start, i
            start, depth = -1, 0
            continue
        if start < 0:
            start = i
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
    if start >= 0:
        yield start, len(text)


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """A 其中 list whose parts do not add up to the total before it."""
    cfg = cross_data(context.data)
    res = context.data.derived("crosscheck.parts", _build_part_regexes)
    for s in _screen(doc).having(cfg.part_opener):
        for pl in _part_lists(s, cfg, res):
            values = [p[0] for p in pl.parts]
            prefix_sums = {sum(values[: i + 1]) for i in range(len(values))}
            if len(values) == 1 and values[0] <= pl.total:
                continue
            if len(values) > 1 and pl.total in prefix_sums:
                continue
            total_text = doc.text[s.start + pl.total_span[0] : s.start + pl.total_span[1]]
            parts_text = "+".join(str(v) for v in values)
            first, last = pl.parts[0][1], pl.parts[-1][2]
            said = doc.text[s.start + first : s.start + last]
            zh = (f"“其中”所列各项之和为{parts_text}={sum(values)}{pl.unit}，与总数{total_text}不符（相差{abs(sum(values) - pl.total)}）"
                  if len(values) > 1 else f"“其中”所列的{values[0]}{pl.unit}多于总数{total_text}")
            en = (f"the parts listed after 其中 add up to {parts_text}={sum(values)}, not the total {pl.total}"
                  if len(values) > 1 else f"the part listed after 其中 ({values[0]}) exceeds the total {pl.total}")
            yield Problem(
                s.span(*pl.total_span),
                Message(zh, en),
                related=(Related(s.span(first, last), Message(f"所列各项：{said}", f"the parts: {said}")),),
                key=("parts", str(pl.total), parts_text),
            )
