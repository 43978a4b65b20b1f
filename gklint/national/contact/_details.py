"""What the contact checks share: the labelled contact details found in a report, telephone numbers' form."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.memo import latest
from gklint.model import Document, Span
from gklint.national.contact.data import KINDS, ContactPatterns, contact_patterns
from gklint.normalize import fold
from gklint.rule import CheckContext

_VALUE = {
    "telephone": re.compile(r"[0-9(+][0-9()\-+ \t/.转、或]*[0-9]|[0-9]"),
    "postcode": re.compile(r"[0-9][0-9 ]*[0-9]|[0-9]"),
    "email": re.compile(r"[^\s,;()\[\]，；。、<>\"']+"),
    "address": re.compile(r"[^\s,;()，；。]{2,}"),
}


_BARE_SEP = re.compile(r"[ \t\u3000]*(?:,[ \t\u3000]*)?")  # folded: ， is ,


_GROUP_SPLIT = re.compile(r"[\s\-()]+")


class Detail:
    """A labelled contact detail: ``label`` span, ``value`` span (original offsets), kinds, and ``text``, the value as written."""

    __slots__ = ("kinds", "label", "value", "text")

    def __init__(self, kinds: frozenset[str], label: Span, value: Span, text: str) -> None:
        self.kinds = kinds
        self.label = label
        self.value = value
        self.text = text

    @property
    def span(self) -> Span:
        return Span(self.label.start, self.value.end)


def _kinds(patterns: ContactPatterns, label: str, more: str) -> frozenset[str]:
    kinds = {patterns.labels[label]}
    for other, kind in patterns.labels.items():
        if other in more:
            kinds.add(kind)
    return frozenset(kinds)


def _value_kind(kinds: frozenset[str]) -> str:
    if kinds & {"telephone", "fax"}:
        return "telephone"
    return next(iter(sorted(kinds)))


def _labels(patterns: ContactPatterns, folded: str) -> Iterator[re.Match[str]]:
    """``label_re.finditer(folded)``, skipping labels that continue an ASCII word (``xFax``)."""
    pos = 0
    while (m := patterns.label_re.search(folded, pos)) is not None:
        start = m.start()
        if start and folded[start - 1] in _ASCII_LETTERS:
            pos = start + 1
            continue
        yield m
        pos = max(m.end(), start + 1)


_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


@latest
def details(doc: Document, patterns: ContactPatterns) -> list[Detail]:
    """Every labelled contact detail with a plausible value, in document order."""
    folded = fold(doc.text)
    found: list[Detail] = []
    for m in _labels(patterns, folded):
        kinds = _kinds(patterns, m["label"], m["more"])
        start, bare = m.end(), False
        if not m["sep"] and not kinds & {"telephone", "fax", "postcode"}:
            if kinds != {"address"}:
                continue
            # 地址东平市人民路88号 / 联系地址，东平市人民路88号: an address only if it looks like one
            # (办公地址、办公时间… is prose)
            comma = _BARE_SEP.match(folded, start)
            start, bare = (comma.end() if comma else start), True
        kind = _value_kind(kinds)
        v = _VALUE[kind].match(folded, start)
        if v is None or (bare and not any(p.match(v.group()) for p in patterns.bare_address)):
            continue
        text = doc.text[v.start():v.end()]
        if kind == "telephone" and folded.startswith(patterns.count_units, v.end()):
            continue  # 接听热线电话11通: a count of calls, not a number
        if "address" in kinds and (re.match(r"(?i)(?:https?|www)", v.group()) or "@" in v.group()):
            continue  # 网站地址：www… / 邮箱地址：…@…
        if kinds == {"email"} and "@" not in v.group() and not re.search(r"[A-Za-z]", v.group()):
            continue  # 电子邮箱：无
        end = v.end()
        if kinds == {"email"}:
            end -= len(text) - len(text.rstrip("."))
        elif kind == "telephone":
            end = v.start() + len(_trim(v.group(), patterns))
        found.append(Detail(kinds, Span(m.start("label"), m.end("label")), Span(v.start(), end), doc.text[v.start():end]))
    return found


def telephone_problem(number: str, patterns: ContactPatterns) -> Message | None:
    """Why *number* (folded, one number) is not a valid telephone number, or ``None``."""
    main, _, ext = number.partition("转")
    if ext and not ext.strip().isdigit():
        return Message(f"分机号“{ext.strip()}”不是数字", f"extension {ext.strip()!r} is not a number")
    main = main.strip()
    if main.startswith("+86"):
        main = main[3:].strip(" -")
        if main and main[0] not in "01(":
            main = "0" + main
    groups = [g for g in _GROUP_SPLIT.split(main) if g]
    digits = "".join(groups)
    if not digits.isdigit():
        return Message(f"“{number}”含有数字以外的字符", f"{number!r} contains characters other than digits")
    if any(p.match(digits) for p in patterns.service_numbers):
        return None
    if digits.startswith("1"):
        if len(digits) == 11:
            return None
        return Message(f"手机号码应为11位，此处为{len(digits)}位", f"a mobile number has 11 digits, this one {len(digits)}")
    if not digits.startswith("0"):
        if len(digits) in (7, 8):
            return Message(f"“{digits}”缺少区号", f"{digits} has no area code")
        return Message(f"“{digits}”共{len(digits)}位，既不是区号加7位或8位本地号码，也不是11位手机号码",
                       f"{digits} has {len(digits)} digits: neither an area code plus a 7- or 8-digit local number nor an 11-digit mobile")
    if len(groups) == 1:
        if 10 <= len(digits) <= 12:
            return None
        return Message(f"“{digits}”共{len(digits)}位，区号加本地号码应为10至12位",
                       f"{digits} has {len(digits)} digits; an area code plus local number has 10 to 12")
    area, local = groups[0], "".join(groups[1:])
    if len(groups) == 3 and len(groups[1]) in (7, 8) and len(groups[2]) <= 6:
        local = groups[1]  # 0533-6961158-801: the last group is an extension
    if not 3 <= len(area) <= 4:
        return Message(f"区号“{area}”应为0加2至3位数字", f"the area code {area} must be 0 and 2 or 3 digits")
    if len(local) not in (7, 8):
        return Message(f"区号后的本地号码“{local}”为{len(local)}位，应为7位或8位",
                       f"the local number {local} after the area code has {len(local)} digits, not 7 or 8")
    return None


_NUMBER_PART = re.compile(r"[^/.、或]+")


def _numbers(detail: Detail) -> Iterator[tuple[Span, str]]:
    """The single numbers in a telephone value (split at ``/``, ``、``, ``或``), with their spans."""
    for m in _NUMBER_PART.finditer(fold(detail.text)):
        stripped = m.group().strip()
        if stripped:
            start = detail.value.start + m.start() + len(m.group()) - len(m.group().lstrip())
            yield Span(start, start + len(stripped)), stripped


def _trim(number: str, patterns: ContactPatterns) -> str:
    """``0533-6961158 2022`` -> ``0533-6961158`` when only the shorter reading is valid."""
    if telephone_problem(number, patterns) is None or not re.search(r"\s", number):
        return number
    shorter = re.split(r"\s+(?=\S+$)", number)[0]
    return shorter if telephone_problem(shorter, patterns) is None else number


def _anchor(doc: Document, found: list[Detail]) -> Span | None:
    if found:
        return found[0].span
    if doc.metadata.intro:
        return doc.metadata.intro[-1].span
    return doc.metadata.title_span


def _have(found: list[Detail]) -> set[str]:
    return {k for d in found for k in d.kinds}


def _listing(found: list[Detail]) -> str:
    names = {"telephone": "电话", "fax": "传真", "postcode": "邮编", "email": "电子邮箱", "address": "地址"}
    return "、".join(names[k] for k in KINDS if k in _have(found))


def _missing(doc: Document, context: CheckContext, kind: str, zh: str, en: str) -> Iterator[Problem]:
    found = details(doc, contact_patterns(context.data))
    if not found or kind in _have(found):
        return
    yield Problem(found[0].span,
                  Message(f"联系方式中没有{zh}（已有{_listing(found)}）", f"the contact details give no {en} (found: {', '.join(sorted(_have(found)))})"),
                  key=(kind,))
