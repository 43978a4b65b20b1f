"""Facts read once out of a report's text: its statistics period, image placeholders, numerals.

:func:`read_facts` runs once per document, in :func:`gklint.structure.build_document`, and the
result is :attr:`gklint.model.Document.facts`.  Rules read the facts there and never parse the
text for them again, so that every rule sees the same period, the same placeholders and the
same numbers.

The statistics period
    A *statement* is a sentence of the prose (a :class:`~gklint.model.Paragraph`, never a table)
    holding one of the data's ``[period] keywords`` with a numeral after it.  The period is the
    first date range, in Arabic or Chinese numerals, read out of a statement
    (``basis == "statement"``).  Only when no sentence states the period is it looked for
    elsewhere: the first range written shortly after one of the ``[period] hints``
    (``"hint"``), else the first range anywhere (``"first"``).  A report whose statements
    hold no readable range has no period (:attr:`Facts.unreadable_period` says where it is).
    The text is folded first (:func:`gklint.normalize.fold`): full-width digits, dashes
    (``—``, ``–``, ``－``) and traditional characters read as their plain forms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from gklint.data import StandardData
from gklint.model import Facts, Paragraph, Period, PeriodStatement, Span
from gklint.normalize import fold
from gklint.schema import Table, Texts, parse_items
from gklint.tables import MAX_DIGITS

__all__ = [
    "CHINESE_NUMERALS",
    "IMAGE_MARKER",
    "PERIOD_KEY",
    "image_markers",
    "parse_numeral",
    "read_facts",
    "table_name",
    "validate_period_data",
]

#: The top-level data key of the period's words (``rules/facts.toml``).
PERIOD_KEY = "period"


# -- numerals -------------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
#: every character a Chinese numeral read by :func:`parse_numeral` is made of
CHINESE_NUMERALS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "万"
_GROUPED = re.compile(r"[0-9]{1,3}(?:[,，][0-9]{3})+")


def parse_numeral(text: str) -> int | None:
    """The value of a whole number in Arabic or Chinese numerals, ``None`` for anything else.

    ``12``, ``1,200`` / ``1，200`` (thousands separators), ``两`` (2), ``二十三``, ``一千二百``,
    ``一万二千``, and year-style numerals read digit by digit (``二〇二二`` is 2022).  Only ASCII
    digits count as Arabic (fold full-width ones first); a number of more than
    :data:`gklint.tables.MAX_DIGITS` characters is out of range (``None``).
    """
    if len(text) > MAX_DIGITS:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(text.replace(",", "").replace("，", ""))
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS and ch != "万" for ch in text):
        return None
    if all(ch in _CN_DIGITS for ch in text):  # digit by digit: 二〇二二
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total = section = digit = 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + section + digit


def table_name(table_id: str) -> tuple[str, str]:
    """How messages name a template table: ``("表3", "table 3")`` for ``table3``; other ids as they are."""
    if table_id.startswith("table") and table_id[5:].isdigit():
        return f"表{table_id[5:]}", f"table {table_id[5:]}"
    return table_id, table_id


# -- reading --------------------------------------------------------------------------------------

#: An image placeholder: a reader's ``[image: NAME]`` line, or an ``<img>`` tag left in text.  Neither
#: runs over a line break, so the placeholders of a line are those of the whole text that lie in it.
IMAGE_MARKER = re.compile(r"\[image[:：][^\]\n]*\]|<img\b[^>\n]*>?", re.IGNORECASE)

_YEAR = r"\d{4}|[〇零一二三四五六七八九]{4}"
_MONTH_DAY = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
#: a date range, on folded text (``—`` and ``－`` fold to ``-``, ``～`` to ``~``)
_RANGE = re.compile(
    rf"(?P<y1>{_YEAR})\s*年\s*(?P<m1>{_MONTH_DAY})\s*月\s*(?P<d1>{_MONTH_DAY})\s*日"
    r"[^\d。\n]{0,10}?(?:至|到|-|~|～)[^\d。\n]{0,4}?"
    rf"(?:(?P<y2>{_YEAR})\s*年\s*)?(?P<m2>{_MONTH_DAY})\s*月\s*(?P<d2>{_MONTH_DAY})\s*日"
)
#: a numeral after the keyword: without one a sentence only names the period, it does not state it
_HAS_NUMBER = re.compile(r"\d|[〇零一二三四五六七八九十]\s*[年月日]")
_SENTENCE_END = re.compile(r"[。!?]")
_HINT_BEFORE = 30  # how far before a range a hint may stand


@dataclass(frozen=True, slots=True)
class _PeriodWords:
    """The ``[period]`` words of the data; ``keyword`` finds any keyword (``None``: there are none)."""

    keyword: re.Pattern[str] | None
    hints: tuple[str, ...]


def validate_period_data(data: StandardData) -> None:
    """Raise :class:`~gklint.data.DataError` if a ``[period]`` table is malformed."""
    _period_words(data)


#: ``[period]``: the words that introduce the statistics period, and hints of it.
PERIOD = Table({"keywords": Texts(nonempty=True), "hints": Texts(nonempty=True)})


def _build_words(data: StandardData) -> _PeriodWords:
    keywords: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    for _, table in parse_items(data, PERIOD_KEY, PERIOD):  # a later file's list replaces an earlier one's
        keywords = table.get("keywords") or keywords
        hints = table.get("hints") or hints
    keyword = re.compile("|".join(re.escape(k) for k in keywords)) if keywords else None
    return _PeriodWords(keyword, hints)


def _period_words(data: StandardData) -> _PeriodWords:
    return data.derived("facts.period", _build_words)


def _read_range(m: re.Match[str], base: int, text: str, basis: Literal["statement", "hint", "first"]) -> Period | None:
    """The period of range match *m* (on folded text starting at offset *base* of *text*); ``None`` if unreadable."""
    parts = [m.group(g) for g in ("y1", "m1", "d1", "m2", "d2")]
    y2_text = m.group("y2")
    values = [parse_numeral(p) for p in parts]
    y2 = parse_numeral(y2_text) if y2_text else values[0]
    if None in values or y2 is None:
        return None
    y1, m1, d1, m2, d2 = values
    written_parts = [*parts, *([y2_text] if y2_text else [])]
    arabic = sum(1 for p in written_parts if p.isdigit())
    written: Literal["arabic", "chinese", "mixed"] = (
        "arabic" if arabic == len(written_parts) else "chinese" if arabic == 0 else "mixed")
    span = Span(base + m.start(), base + m.end())
    return Period(text[span.start : span.end], span, (y1, m1, d1), (y2, m2, d2),  # type: ignore[arg-type]
                  Span(base + m.start("y1"), base + m.end("y1")), written, basis)


def _statements(text: str, folded: str, paragraphs: Sequence[Paragraph], words: _PeriodWords) -> list[PeriodStatement]:
    """Every sentence of *paragraphs* stating the period, in order."""
    if words.keyword is None or not paragraphs:
        return []
    starts = [p.span.start for p in paragraphs]
    out: list[PeriodStatement] = []
    done = -1  # end of the last sentence looked at
    for hit in words.keyword.finditer(folded):
        at, after = hit.span()
        if at < done:
            continue
        k = bisect_right(starts, at) - 1
        if k < 0 or after > paragraphs[k].span.end:
            continue  # not inside a paragraph: in a table, or between the lines
        para = paragraphs[k].span
        begin = para.start
        for end in _SENTENCE_END.finditer(folded, para.start, at):
            begin = end.end()
        close = _SENTENCE_END.search(folded, after, para.end)
        finish = close.end() if close else para.end
        done = finish
        if not _HAS_NUMBER.search(folded, at, finish):
            continue
        sentence = folded[begin:finish]
        m = _RANGE.search(sentence)
        period = _read_range(m, begin, text, "statement") if m else None
        quoted = begin + len(sentence.rstrip("。!? \t"))
        out.append(PeriodStatement(Span(begin, finish), Span(at, after), Span(at, quoted), period))
    return out


def _unstated_period(text: str, folded: str, words: _PeriodWords) -> Period | None:
    """The first range written shortly after a hint, else the first range of the text."""
    first: Period | None = None
    for m in _RANGE.finditer(folded):
        window = folded[max(0, m.start() - _HINT_BEFORE) : m.start()]
        hinted = any(h in window for h in words.hints)
        period = _read_range(m, 0, text, "hint" if hinted else "first")
        if period is not None and hinted:
            return period
        first = first or period
    return first


def image_markers(text: str) -> tuple[Span, ...]:
    """Where *text* holds an image placeholder (:data:`IMAGE_MARKER`), in order.

    The same as ``IMAGE_MARKER.finditer(text)``, tried only where a ``[`` or ``<`` stands.
    """
    starts = [i for opener in "[<" for i in _positions(text, opener)]
    if not starts:
        return ()
    starts.sort()
    out: list[Span] = []
    done = 0
    for at in starts:
        if at < done:
            continue
        m = IMAGE_MARKER.match(text, at)
        if m is not None:
            out.append(Span(at, m.end()))
            done = m.end()
    return tuple(out)


def _positions(text: str, char: str) -> list[int]:
    out = []
    at = text.find(char)
    while at != -1:
        out.append(at)
        at = text.find(char, at + 1)
    return out


def read_facts(text: str, paragraphs: Sequence[Paragraph], data: StandardData,
               images: tuple[Span, ...] | None = None) -> Facts:
    """The facts of a report whose text is *text* and whose prose is *paragraphs* (see the module docstring).

    *images* is :func:`image_markers` of *text* when the caller has it already.
    """
    folded = fold(text)
    words = _period_words(data)
    statements = _statements(text, folded, paragraphs, words)
    period = next((s.period for s in statements if s.period is not None), None)
    if not statements:
        period = _unstated_period(text, folded, words)
    return Facts(period, tuple(statements), image_markers(text) if images is None else images)

