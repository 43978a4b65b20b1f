"""Give back its shape to report text that lost it on the way (copied out of a PDF viewer, crawled).

Text copied out of a PDF (``pdftotext``, a viewer's "copy all") or scraped from a
page arrives with its prose hard-wrapped mid-sentence, page numbers between
lines (``-3-``, ``— 2 —``, ``第 3 页``), spaces that the glyph placement put
between CJK characters and digits (``2024 年``, ``第 711 号``, ``电 话 ：``),
or the whole report on one line.  :func:`reflow` recognises such text and
repairs it for the structure builder and the rules:

* page-number lines and form feeds are dropped;
* a single space between CJK characters, or between a CJK character and a
  digit, is dropped (runs of spaces, which align table columns, are kept);
* a hard-wrapped prose line is joined with the line that continues it;
* in a very long line, a line break is put before each heading and after each
  sentence.

Every character of the repaired text keeps the offset of the source character
it came from (an inserted line break takes the offset of the character after
it), so findings still point at the right line and column of the input.

Text that shows none of these signs is returned untouched (``None``): a report
whose shape survived is read exactly as before.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from gklint.lazyre import lazy

__all__ = ["Reflowed", "is_page_number", "reflow"]

_PAGE_NUMBER = lazy(
    r"^[ \t\u3000\f]*(?:"
    r"[-—–－‐─]{1,2}[ \t\u3000]*\d{1,3}[ \t\u3000]*[-—–－‐─]{1,2}"
    r"|第[ \t\u3000]*\d{1,3}[ \t\u3000]*页(?:[ \t\u3000]*[,，/／]?[ \t\u3000]*共[ \t\u3000]*\d{1,3}[ \t\u3000]*页)?"
    r"|共[ \t\u3000]*\d{1,3}[ \t\u3000]*页[ \t\u3000]*[,，/／]?[ \t\u3000]*第[ \t\u3000]*\d{1,3}[ \t\u3000]*页"
    r")[ \t\u3000\f]*$",
    re.M,
)
_BARE_NUMBER = lazy(r"^[ \t\u3000\f]*(\d{1,3})[ \t\u3000\f]*$", re.M)
_BLANK_BEFORE = lazy(r"\n[ \t\u3000\f\r]*\n\Z")
_BLANK_LINE = lazy(r"[ \t\u3000\f\r]*\n")
_CJK = "\u4e00-\u9fff"
# a single space between CJK characters, or a CJK character (or full-width punctuation) and a digit
_INSERTED_SPACE = lazy(
    rf"(?<=[{_CJK}（）〔〕《》“”：，、；])[ \xa0](?=[{_CJK}（）〔〕《》“”：，、；0-9])"
    rf"|(?<=[0-9])[ \xa0](?=[{_CJK}（）〔〕《》“”：，、；])"
)
_SPACED_NUMBER = lazy(rf" (?:(?<=\d )[年月日号件条项个次]|(?<=第 )\d|(?<=[{_CJK}] )[{_CJK}] (?=[{_CJK}]))")
# what a page number starts like: dashes round it at the start of a line, or 第 N 页 (two patterns: either
# alone is searched for faster than the two as alternatives, and the second only where a 页 is)
_DASHED_PAGE_HINT = lazy(r"\n[ \t\u3000\f]*[-—–－‐─][ \t\u3000]*\d{1,3}[ \t\u3000]*[-—–－‐─]")
_NAMED_PAGE_HINT = lazy(r"第[ \t\u3000]*\d{1,3}[ \t\u3000]*页")
_WRAPPED = lazy(rf"\n(?<=[^\n\t|]{{15}}[{_CJK}，、]\n)[ \t]*[{_CJK}“《（]")
# a label with a long run of digits straight after it, at the end of a line: table cells run together
_RUN_ON = lazy(r"\n(?<=\d{6}\n)")
_TERMINAL = frozenset("。！？；;!?…")
_HEADING = lazy(
    r"[ \t\u3000]*(?:[一二三四五六七八九十]{1,2}[ \t\u3000]*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[ \t]*[、.．](?!\d))"
)
_TABLE_LIKE = lazy(r"\t|\||\S[ \u3000]{3,}\S")
# where a very long line is broken: before a heading or a row label, after a sentence
_LONG_LINE = 400
#: a line of at least _LONG_LINE characters, as ``str.splitlines`` splits lines (without a list of
#: every line: a text of millions of empty lines would cost a list entry each)
_LONG_LINE_RE = lazy(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]{" + str(_LONG_LINE) + ",}")
_BREAK_BEFORE = lazy(
    r"(?:(?<=[\s。；：:，）0-9])|(?<=\A))(?="
    r"[一二三四五六七八九十]{1,2}、[^\s，。]{2}"
    r"|(?<!第)[（(][一二三四五六七八九十]{1,2}[）)]"
    r"|\d{1,2}[.．、](?=[" + _CJK + r"])"
    r"|第二十条第"
    r")"
)
_BREAK_AFTER = lazy(r"(?<=。)(?=[^\s”’）)])")
# a space between cells or paragraphs of a one-line text (not inside a number, a date or a row of values)
_BREAK_AT_SPACE = lazy(
    rf"(?<=[{_CJK}）)”》〕])[ \u3000]+(?=[{_CJK}（(“《〔])"
    rf"|(?<=\d)[ \u3000]+(?=[{_CJK}（(“《〔])(?![年月日号件条项个次])"
)


@dataclass(frozen=True, slots=True)
class Reflowed:
    """Repaired text: ``offsets[i]`` is the source offset of ``text[i]`` (one extra entry at the end).

    ``repairs`` names what was done, in the order found: ``"page-numbers"``,
    ``"inserted-spaces"``, ``"hard-wraps"``, ``"one-line"``, and ``"run-on-cells"`` for
    table cells run together (left to the table reader).
    """

    text: str
    offsets: array[int]
    repairs: tuple[str, ...]


class _Builder:
    """Collects kept pieces of the source and inserted characters, with their source offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offsets: array[int] = array("i")  # (4 bytes an entry: inputs are far below 2 GiB)

    def keep(self, source: str, start: int, end: int) -> None:
        if end > start:
            self.parts.append(source[start:end])
            self.offsets.extend(range(start, end))

    def insert(self, char: str, at: int) -> None:
        self.parts.append(char)
        self.offsets.append(at)

    def result(self, end: int) -> tuple[str, array[int]]:
        self.offsets.append(end)
        return "".join(self.parts), self.offsets


def _signals(text: str) -> list[str]:
    """What shows that *text* lost its shape (cheap: every text report is asked)."""
    found = []
    if "\f" in text or _has_page_number(text):
        found.append("page-numbers")
    spaced = 0
    for _ in _SPACED_NUMBER.finditer(text):
        spaced += 1
        if spaced >= 3:
            found.append("inserted-spaces")
            break
    wraps = len(_WRAPPED.findall(text))
    if wraps >= 5 and wraps * 4 >= text.count("\n"):
        found.append("hard-wraps")
    if sum(1 for m in _RUN_ON.finditer(text) if _after_label(text, m.start())) >= 3:
        found.append("run-on-cells")
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if len(text) >= _LONG_LINE and len(text) / (breaks + 1) >= 200 and any(
        len(_BREAK_BEFORE.findall(m.group())) >= 6 for m in _LONG_LINE_RE.finditer(text)
    ):
        found.append("one-line")
    return found


def _has_page_number(text: str) -> bool:
    """Does a line of *text* hold a page number and nothing else?"""
    lined = "\n" + text
    hints: Iterable[re.Match[str]] = _DASHED_PAGE_HINT.finditer(lined)
    if "页" in text:
        hints = chain(hints, _NAMED_PAGE_HINT.finditer(lined))
    return any(_whole_line(text, m) for m in hints)


def is_page_number(line: str) -> bool:
    """Is *line* a page number standing alone (``-3-``, ``— 2 —``, ``第 3 页``, ``第3页 共5页``)?"""
    return _PAGE_NUMBER.fullmatch(line) is not None


def _whole_line(text: str, m: re.Match[str]) -> bool:
    """Is the match (in ``"\\n" + text``) alone on its line (a page number), but for spaces?"""
    at = m.end() - 1  # in text
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return _PAGE_NUMBER.fullmatch(text, start, len(text) if end == -1 else end) is not None


def _after_label(text: str, newline: int) -> bool:
    """Does the run of digits that ends the line at *newline* follow a CJK label straight away?"""
    i = newline
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    while i > 0 and text[i - 1].isdigit():
        i -= 1
    return i > 0 and ("\u4e00" <= text[i - 1] <= "\u9fff" or text[i - 1] in "）)")


def reflow(text: str) -> Reflowed | None:
    """The repaired text, or ``None`` when *text* shows no sign of having lost its shape."""
    signals = _signals(text)
    if not signals:
        return None
    repairs: list[str] = []
    pdf_like = bool({"page-numbers", "inserted-spaces", "hard-wraps"} & set(signals))
    # 0. rows of tables aligned by spaces rebuilt (before the page numbers that split them go)
    kept, offsets = text, array("i", range(len(text) + 1))
    if pdf_like:
        from gklint.aligned import rebuild as rebuild_aligned  # (only text out of a PDF needs it)

        kept, offsets = _apply(kept, offsets, rebuild_aligned)
        if kept is not text:
            repairs.append("aligned-tables")
    # 1. page numbers and form feeds out
    before = len(kept)
    kept, offsets = _apply(kept, offsets, _drop_page_numbers)
    if len(kept) != before:
        repairs.append("page-numbers")
    # 2. very long lines broken (before the spaces that separate their parts go)
    before = len(kept)
    kept, offsets = _apply(kept, offsets, _break_long_lines)
    if len(kept) != before:
        repairs.append("one-line")
    # 3. inserted single spaces out
    before = len(kept)
    kept, offsets = _apply(kept, offsets, _drop_inserted_spaces)
    if len(kept) != before:
        repairs.append("inserted-spaces")
    # 4. hard wraps joined (text out of a PDF: crawled text keeps its lines)
    if pdf_like:
        before = len(kept)
        kept, offsets = _apply(kept, offsets, _join_wraps)
        if len(kept) != before:
            repairs.append("hard-wraps")
    if "run-on-cells" in signals:
        repairs.append("run-on-cells")  # nothing to change in the text: the table reader splits them
    if not repairs:
        return None
    return Reflowed(kept, offsets, tuple(repairs))


def _apply(text: str, offsets: array[int], step: object) -> tuple[str, array[int]]:
    """Run *step* on *text* (whose characters sit at *offsets* in the source) and compose the maps."""
    new_text, local = step(text)  # type: ignore[operator]
    if new_text is text:
        return text, offsets
    return new_text, array("i", map(offsets.__getitem__, local))


def _bare_page_numbers(text: str) -> list[re.Match[str]]:
    """Lines holding only a number that counts pages: 1, 2, 3 … in order, well apart (a page each).

    A lone number may also be a table cell; only numbers placed as page numbers are (see
    :func:`_page_like`), and of them the longest run (two or more) of consecutive numbers,
    each at least fifteen lines below the one before.  Linear: each candidate extends the run that ends at the number before it.
    """
    runs: dict[int, tuple[int, list[re.Match[str]]]] = {}  # value -> (line, run ending there)
    best: list[re.Match[str]] = []
    line = 0
    pos = 0
    for m in _BARE_NUMBER.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if not _page_like(text, m):
            continue
        value = int(m.group(1))
        before = runs.get(value - 1)
        run = [*before[1], m] if before is not None and line - before[0] >= 15 else [m]
        if value not in runs or len(run) >= len(runs[value][1]):
            runs[value] = (line, run)
        if len(run) > len(best):
            best = run
    return best if len(best) >= 2 else []


def _page_like(text: str, m: re.Match[str]) -> bool:
    """Does a lone number stand where a page number stands: centred (indented by eight spaces or
    more), or next to a page break (a form feed)?  A table cell written one per line does not."""
    body = m.group(0).strip("\f")
    if len(body) - len(body.lstrip(" \u3000")) >= 8 or "\f" in m.group(0):
        return True
    after = text[m.end() : m.end() + 40].lstrip(" \t\r\n")
    before = text[max(0, m.start() - 40) : m.start()].rstrip(" \t\r\n")
    return after.startswith("\f") or before.endswith("\f")


def _drop_page_numbers(text: str) -> tuple[str, array[int]]:
    out = _Builder()
    pos = 0
    matches = sorted([*_PAGE_NUMBER.finditer(text), *_bare_page_numbers(text)], key=re.Match.start)
    for m in matches:
        if m.start() < pos:
            continue
        # the blank lines around a page number go with it: a paragraph may go on after it
        start = m.start()
        while start > pos:
            blank = _BLANK_BEFORE.search(text, pos, start)
            if blank is None:
                break
            start = blank.start() + 1
        end = m.end()
        if text.startswith("\r\n", end):
            end += 2
        elif end < len(text) and text[end] in "\r\n":
            end += 1
        while (blank := _BLANK_LINE.match(text, end)) is not None and blank.end() > end:
            end = blank.end()
        out.keep(text, pos, start)
        pos = end
    out.keep(text, pos, len(text))
    kept, offsets = out.result(len(text))
    if "\f" in kept:
        builder = _Builder()
        start = 0
        while (i := kept.find("\f", start)) != -1:  # (form feeds are few: no loop per character)
            builder.parts.append(kept[start:i])
            builder.offsets.extend(offsets[start:i])
            start = i + 1
        builder.parts.append(kept[start:])
        builder.offsets.extend(offsets[start:-1])
        kept = "".join(builder.parts)
        builder.offsets.append(offsets[-1])
        offsets = builder.offsets
    return kept, offsets


def _drop_inserted_spaces(text: str) -> tuple[str, array[int]]:
    out = _Builder()
    pos = 0
    for m in _INSERTED_SPACE.finditer(text):
        out.keep(text, pos, m.start())
        pos = m.end()
    if pos == 0:
        return text, array("i")
    out.keep(text, pos, len(text))
    return out.result(len(text))


def _width(line: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in line)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t\u3000"))


def _prose_like(line: str) -> bool:
    body = line.strip(" \t\u3000")
    return sum(1 for ch in body if "\u4e00" <= ch <= "\u9fff") >= 4 and not _TABLE_LIKE.search(body)


def _join_wraps(text: str) -> tuple[str, array[int]]:
    """Join each hard-wrapped prose line with the line that continues it."""
    lines = text.split("\n")
    widths = sorted(_width(line.rstrip()) for line in lines if _prose_like(line))
    if len(widths) < 3:
        return text, array("i")
    full = widths[(len(widths) * 3) // 4] * 0.8
    out = _Builder()
    pos = 0  # source offset up to which the text is written (or dropped)
    line_start = 0
    joined = False
    for i in range(len(lines) - 1):
        line, following = lines[i], lines[i + 1]
        end = line_start + len(line)  # the "\n" after this line
        line_start = end + 1
        body = line.rstrip(" \t\u3000\r")
        if (
            _prose_like(line)
            and (_width(body) >= full or body[-1:] in "：:")  # (a label's colon never ends a paragraph)
            and not (_HEADING.match(line) and len(body.strip()) <= 40 and "。" not in body)
            and body[-1:] not in _TERMINAL
            and following.strip(" \t\u3000\r")
            and not _HEADING.match(following)
            and not _TABLE_LIKE.search(following.strip(" \t\u3000\r"))
            and not (following.rstrip()[-1:].isdigit() and _width(following.rstrip()) < full)
            and _indent(following) <= max(_indent(line), 1)  # (one space: a glyph gap, not an indent)
            and any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in following)
        ):
            out.keep(text, pos, end - len(line) + len(body))
            pos = end + 1 + _indent(following)  # the break and the next line's indentation dropped
            joined = True
            continue
        out.keep(text, pos, end + 1)
        pos = end + 1
    if not joined:
        return text, array("i")
    out.keep(text, pos, len(text))
    return out.result(len(text))


def _break_long_lines(text: str) -> tuple[str, array[int]]:
    """Put a line break before each heading, and after each sentence, of a very long line."""
    if not any(len(line) >= _LONG_LINE for line in text.split("\n")):
        return text, array("i")
    out = _Builder()
    pos = 0
    broke = False
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        if len(line) >= _LONG_LINE:
            cuts = sorted({m.start() for m in _BREAK_BEFORE.finditer(text, line_start, line_end)}
                          | {m.start() for m in _BREAK_AFTER.finditer(text, line_start, line_end)}
                          | {m.end() for m in _BREAK_AT_SPACE.finditer(text, line_start, line_end)})
            for cut in cuts:
                if cut <= line_start or cut >= line_end:
                    continue
                # spaces before the cut are dropped with it
                keep_end = cut
                while keep_end > pos and text[keep_end - 1] in " \u3000":
                    keep_end -= 1
                out.keep(text, pos, keep_end)
                out.insert("\n", cut)
                pos = cut
                broke = True
        line_start = line_end + 1
    if not broke:
        return text, array("i")
    out.keep(text, pos, len(text))
    return out.result(len(text))
