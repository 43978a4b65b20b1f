"""GK5 contact info: address, telephone, postcode, e-mail and the electronic-version statement.

Contact details are customary in the introduction of an annual report but not
verified as required by the format, so every GK5 rule is a warning.  Labels,
phrases and accepted service numbers are data (``rules/contact.toml``).  The
details are looked for in the whole document (the intro first; some reports put
them at the end); every labelled telephone, fax, postcode and e-mail is checked
for its form wherever it is.  When a report has no contact details at all,
only GK501 fires (not also "no telephone", "no address", "no electronic version").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from gklint import hookimpl
from gklint.data import DataError, StandardData
from gklint.findings import Message, Problem, Severity
from gklint.memo import latest
from gklint.model import Document, Span
from gklint.normalize import fold
from gklint.rule import CheckContext, CheckFunction, Example, Rule

__all__ = ["ContactPatterns", "Detail", "contact_patterns", "details", "gklint_rules", "telephone_problem"]

KINDS = ("telephone", "fax", "postcode", "email", "address")
_LIST_FIELDS = {f"{k}_labels": k for k in KINDS}
_FIELDS = {*_LIST_FIELDS, "electronic_version", "service_numbers", "count_units", "bare_address"}

_SEP = r"[ \t\u3000]*(?P<sep>[:：]|为|是)?[ \t\u3000]*"
_VALUE = {
    "telephone": r"[0-9(+][0-9()\-+ \t/.转、或]*[0-9]|[0-9]",
    "postcode": r"[0-9][0-9 ]*[0-9]|[0-9]",
    "email": r"[^\s,;()\[\]，；。、<>\"']+",
    "address": r"[^\s,;()，；。]{2,}",
}
_BARE_SEP = re.compile(r"[ \t\u3000]*(?:,[ \t\u3000]*)?")  # folded: ， is ,
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_NUMBER_PART = re.compile(r"[^/.、或]+")
_GROUP_SPLIT = re.compile(r"[\s\-()]+")


class ContactPatterns:
    """The compiled contact data.

    :ivar labels: folded label -> kind.
    :ivar label_re: the labels; a match right after an ASCII letter is not a label (see :func:`_labels`).
    :ivar count_units: a telephone value followed right away by one of these is a count (热线电话11通), not a number.
    :ivar bare_address: what an address written without a colon after its label looks like (地址东平市人民路88号).
    """

    __slots__ = ("labels", "label_re", "electronic_version", "service_numbers", "count_units", "bare_address")

    def __init__(self, labels: Mapping[str, str], label_re: re.Pattern[str],
                 electronic_version: tuple[re.Pattern[str], ...], service_numbers: tuple[re.Pattern[str], ...],
                 count_units: tuple[str, ...] = (), bare_address: tuple[re.Pattern[str], ...] = ()) -> None:
        self.labels = labels
        self.label_re = label_re
        self.electronic_version = electronic_version
        self.service_numbers = service_numbers
        self.count_units = count_units
        self.bare_address = bare_address


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


# -- data ----------------------------------------------------------------------------


def _err(path: str, key: str, zh: str, en: str) -> DataError:
    return DataError(Message(f"{path}: 键 contact.{key}：{zh}", f"{path}: key contact.{key}: {en}"))


def _strings(raw: Mapping[str, Any], key: str, path: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _err(path, key, "应为非空字符串的列表", "expected a list of non-empty strings")
    return value


def _regexes(raw: Mapping[str, Any], key: str, path: str) -> list[re.Pattern[str]]:
    out = []
    for source in _strings(raw, key, path):
        try:
            out.append(re.compile(source))
        except re.error as exc:
            raise _err(path, key, f"“{source}”不是有效的正则表达式（{exc}）", f"{source!r} is not a valid regular expression ({exc})") from None
    return out


def build_patterns(data: StandardData) -> ContactPatterns:
    """Validate and merge the ``[contact]`` tables of *data*; raise :class:`DataError` on mistakes."""
    labels: dict[str, str] = {}
    versions: list[re.Pattern[str]] = []
    services: list[re.Pattern[str]] = []
    units: list[str] = []
    addresses: list[re.Pattern[str]] = []
    for path, raw in data.items("contact"):
        if not isinstance(raw, Mapping):
            raise DataError(Message(f"{path}: 键 contact：应为表", f"{path}: key contact: expected a table"))
        unknown = sorted(set(raw) - _FIELDS)
        if unknown:
            raise _err(path, unknown[0], f"未知字段，可用字段：{', '.join(sorted(_FIELDS))}", f"unknown field, expected one of {', '.join(sorted(_FIELDS))}")
        for key, kind in _LIST_FIELDS.items():
            for label in _strings(raw, key, path):
                labels.setdefault(fold(label), kind)
        versions += _regexes(raw, "electronic_version", path)
        services += _regexes(raw, "service_numbers", path)
        units += (fold(u) for u in _strings(raw, "count_units", path) if fold(u) not in units)
        addresses += _regexes(raw, "bare_address", path)
    ordered = sorted(labels, key=len, reverse=True)
    if ordered:
        alt = "|".join(re.escape(label) for label in ordered)
        # No (?<![A-Za-z]) here: a leading look-behind stops the regex engine from skipping
        # ahead to a label's first characters (3x slower); details() checks the character before.
        label_re = re.compile(rf"(?P<label>{alt})(?P<more>(?:[ \t]*[/、和及或(][ \t]*(?:{alt})\)?)*){_SEP}")
    else:
        label_re = re.compile(r"(?!x)x(?P<label>)(?P<more>)(?P<sep>)")
    return ContactPatterns(labels, label_re, tuple(versions), tuple(services), tuple(units), tuple(addresses))




def contact_patterns(data: StandardData) -> ContactPatterns:
    """The contact patterns of *data*, compiled once per :class:`StandardData` object."""
    return data.derived("contact", build_patterns)


# -- finding the details --------------------------------------------------------------------


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
        value_re = re.compile(_VALUE[_value_kind(kinds)])
        v = value_re.match(folded, start)
        if v is None or (bare and not any(p.match(v.group()) for p in patterns.bare_address)):
            continue
        text = doc.text[v.start():v.end()]
        if _value_kind(kinds) == "telephone" and folded.startswith(patterns.count_units, v.end()):
            continue  # 接听热线电话11通: a count of calls, not a number
        if "address" in kinds and (re.match(r"(?i)(?:https?|www)", v.group()) or "@" in v.group()):
            continue  # 网站地址：www… / 邮箱地址：…@…
        if kinds == {"email"} and "@" not in v.group() and not re.search(r"[A-Za-z]", v.group()):
            continue  # 电子邮箱：无
        end = v.end()
        if kinds == {"email"}:
            end -= len(text) - len(text.rstrip("."))
        elif _value_kind(kinds) == "telephone":
            end = v.start() + len(_trim(v.group(), patterns))
        found.append(Detail(kinds, Span(m.start("label"), m.end("label")), Span(v.start(), end), doc.text[v.start():end]))
    return found


def electronic_version(doc: Document, patterns: ContactPatterns) -> Span | None:
    """The span of a statement of where the electronic version can be found, if any."""
    folded = fold(doc.text)
    hits = [m for p in patterns.electronic_version if (m := p.search(folded))]
    if not hits:
        return None
    first = min(hits, key=lambda m: m.start())
    return Span(first.start(), first.end())


# -- checking values --------------------------------------------------------------------------


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


# -- checks ------------------------------------------------------------------------------


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


def check_no_contact(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK501: no address, telephone, fax, postcode or e-mail anywhere."""
    found = details(doc, contact_patterns(context.data))
    if found:
        return
    yield Problem(_anchor(doc, found),
                  Message("报告中没有联系方式：未找到地址、电话、传真、邮编或电子邮箱", "the report gives no contact details: no address, telephone, fax, postcode or e-mail found"),
                  key=("contact",))


def _missing(doc: Document, context: CheckContext, kind: str, zh: str, en: str) -> Iterator[Problem]:
    found = details(doc, contact_patterns(context.data))
    if not found or kind in _have(found):
        return
    yield Problem(found[0].span,
                  Message(f"联系方式中没有{zh}（已有{_listing(found)}）", f"the contact details give no {en} (found: {', '.join(sorted(_have(found)))})"),
                  key=(kind,))


def check_no_telephone(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK502: contact details without a telephone number (a fax alone does not count)."""
    yield from _missing(doc, context, "telephone", "电话", "telephone")


def check_no_address(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK506: contact details without an address."""
    yield from _missing(doc, context, "address", "地址", "address")


def check_telephone(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK503: a telephone or fax number that is not an area code + 7/8 digits, a mobile or a service number."""
    patterns = contact_patterns(context.data)
    for detail in details(doc, patterns):
        if not detail.kinds & {"telephone", "fax"}:
            continue
        what = "电话" if "telephone" in detail.kinds else "传真"
        for span, number in _numbers(detail):
            why = telephone_problem(number, patterns)
            if why is None:
                continue
            written = doc.snippet(span)
            yield Problem(span,
                          Message(f"{what}号码“{written}”格式有误：{why.zh}", f"{'telephone' if what == '电话' else 'fax'} number {written!r} is malformed: {why.en}"),
                          key=(what, number))


def check_postcode(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK504: a postcode that is not 6 digits."""
    for detail in details(doc, contact_patterns(context.data)):
        if "postcode" not in detail.kinds:
            continue
        digits = re.sub(r"\s", "", fold(detail.text))
        if len(digits) == 6:
            continue
        yield Problem(detail.value,
                      Message(f"邮政编码“{detail.text}”为{len(digits)}位数字，应为6位", f"postcode {detail.text!r} has {len(digits)} digits, not 6"),
                      key=(digits,))


def check_email(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK505: an e-mail address that is not name@domain.tld in ASCII."""
    for detail in details(doc, contact_patterns(context.data)):
        if detail.kinds != {"email"} or _EMAIL_RE.match(detail.text):
            continue
        if any(ord(ch) > 0x7E for ch in detail.text):
            why = Message("含有全角或中文字符", "contains full-width or Chinese characters")
        elif "@" not in detail.text:
            why = Message("缺少“@”", "has no @")
        else:
            why = Message("不是“用户名@域名”的形式", "is not of the form name@domain")
        yield Problem(detail.value,
                      Message(f"电子邮箱“{detail.text}”格式有误：{why.zh}", f"e-mail address {detail.text!r} is malformed: it {why.en}"),
                      key=(detail.text,))


def check_electronic_version(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK507: no statement of where the electronic version can be read (only when there are contact details)."""
    patterns = contact_patterns(context.data)
    found = details(doc, patterns)
    if not found or electronic_version(doc, patterns) is not None:
        return
    yield Problem(_anchor(doc, found),
                  Message("报告没有说明电子版的获取途径（如“本报告电子版可在××人民政府门户网站查阅或下载”）",
                          "the report does not say where its electronic version can be found (e.g. 本报告电子版可在…网站查阅或下载)"),
                  key=("electronic-version",))


# -- rules ----------------------------------------------------------------------------------

_SOURCE = ("通行做法（在导语中写明联系方式和电子版获取途径），不是年度报告格式的明文要求",
           "common practice (the intro gives contact details and where to find the electronic version), "
           "not a written requirement of the report format")
_CONTACT = "请与东平市工业和信息化局办公室联系（地址：东平市人民路88号；邮编：271500；电话：0538-5261234；电子邮箱：dpgk@dongping.gov.cn）"


def _rule(rid: str, name: str, short: tuple[str, str], full: tuple[str, str], help_: tuple[str, str],
          check: CheckFunction, example: Example, source: tuple[str, str] = _SOURCE) -> Rule:
    return Rule(rid, name, "GK5", Severity.WARNING, Message(*short), Message(*full), Message(*help_), check,
                Message(*source), (example,))


RULES = [
    _rule("GK501", "no-contact-details", ("报告没有联系方式", "no contact details"),
          ("年度报告的导语（或结尾）通常给出办公室的地址、电话、邮编和电子邮箱，方便公众咨询。全文都找不到任何一项时提示。"
           "这是惯例而非已核实的格式要求，所以是警告。",
           "Reports customarily give the office's address, telephone, postcode and e-mail in the intro (or at the end). "
           "Fires when none is found anywhere. Customary, not a verified requirement: a warning."),
          ("在导语中写明联系单位、地址、邮编、电话和电子邮箱。", "Give the office, address, postcode, telephone and e-mail in the intro."),
          check_no_contact,
          Example(bad="请与东平市工业和信息化局办公室联系", good=_CONTACT, replaces=_CONTACT)),
    _rule("GK502", "no-telephone", ("联系方式中没有电话", "contact details without a telephone"),
          ("有联系方式但没有电话号码（传真不算电话）。没有任何联系方式时只报 GK501。",
           "Contact details are given but no telephone (a fax is not a telephone). With no contact details at all only GK501 fires."),
          ("补上联系电话，如“电话：0538-5261234”。", "Add a telephone number, e.g. 电话：0538-5261234."),
          check_no_telephone,
          Example(bad="邮编：271500；电子邮箱", good="邮编：271500；电话：0538-5261234；电子邮箱", replaces="邮编：271500；电话：0538-5261234；电子邮箱")),
    _rule("GK503", "telephone-format", ("电话或传真号码格式有误", "malformed telephone or fax number"),
          ("固定电话为区号（0加2至3位数字）加7位或8位本地号码，可用“-”“—”、空格或括号分隔；手机号码为以1开头的11位数字；"
           "12345等服务号码和400/800号码也接受。传真号码按同样格式检查。"
           "数字后紧跟“通”“次”等量词的是次数而不是号码（如“全年接听热线电话11通”），不检查。",
           "A landline is an area code (0 and 2-3 digits) plus a 7- or 8-digit local number, separated by -, —, a space or parentheses; "
           "a mobile is 11 digits starting with 1; service numbers such as 12345 and 400/800 numbers are accepted. Fax numbers are checked the same way. "
           "Digits followed by a count unit such as 通 or 次 are a count, not a number (全年接听热线电话11通), and are not checked."),
          ("核对号码位数，写全区号，例如“0538-5261234”。", "Check the digits and give the area code, e.g. 0538-5261234."),
          check_telephone,
          Example(bad="电话：0538-526123；", good="电话：0538-5261234；", replaces="电话：0538-5261234；"),
          ("惯例（号码格式：区号加7或8位本地号码，手机11位）", "practice (numbering: area code plus 7 or 8 digits; mobile 11 digits)")),
    _rule("GK504", "postcode-format", ("邮政编码格式有误", "malformed postcode"),
          ("邮政编码为6位数字。", "A postcode has 6 digits."),
          ("核对邮政编码，写足6位。", "Check the postcode: 6 digits."),
          check_postcode,
          Example(bad="邮编：27150；", good="邮编：271500；", replaces="邮编：271500；"),
          ("惯例（我国邮政编码为6位数字）", "practice (Chinese postcodes have 6 digits)")),
    _rule("GK505", "email-format", ("电子邮箱格式有误", "malformed e-mail address"),
          ("电子邮箱应为“用户名@域名”的形式，全部用半角字符；全角“＠”或中文字符会使地址无法使用。",
           "An e-mail address is name@domain in ASCII; a full-width ＠ or Chinese characters make it unusable."),
          ("改为半角字符，核对“@”和域名。", "Use ASCII characters; check the @ and the domain."),
          check_email,
          Example(bad="电子邮箱：dpgk＠dongping.gov.cn", good="电子邮箱：dpgk@dongping.gov.cn", replaces="电子邮箱：dpgk@dongping.gov.cn"),
          ("惯例（RFC 5322 地址形式）", "practice (RFC 5322 address form)")),
    _rule("GK506", "no-address", ("联系方式中没有地址", "contact details without an address"),
          ("有联系方式但没有通讯地址。地址一般写在“地址：”之后；直接写在“地址”或“联系地址，”之后的（如“地址东平市人民路88号”），"
           "看起来像地址（以省、市、县、区等地名或“××路××号”开头）的也算。没有任何联系方式时只报 GK501。",
           "Contact details are given but no address. An address usually follows “地址：”; one written straight after “地址” or "
           "after “联系地址，” (地址东平市人民路88号) counts when it looks like an address (a place name such as a 市 or 区, "
           "or a street and number, first). With no contact details at all only GK501 fires."),
          ("补上通讯地址，如“地址：东平市人民路88号”。", "Add the postal address."),
          check_no_address,
          Example(bad="联系（邮编：271500；电话：0538-5261234）", good="联系（地址：东平市人民路88号；邮编：271500；电话：0538-5261234）",
                  replaces="联系（地址：东平市人民路88号；邮编：271500；电话：0538-5261234；电子邮箱：dpgk@dongping.gov.cn）")),
    _rule("GK507", "no-electronic-version-statement", ("没有说明电子版获取途径", "no statement of where the electronic version is"),
          ("报告通常说明电子版可在哪个网站查阅或下载（如“本报告电子版可在××人民政府门户网站查阅或下载”）。"
           "“电子文本”“电子文档”等说法，以及在网站“公布”“公开”“发布”也算（如“本报告的电子版在××人民政府门户网站公布”）。"
           "没有任何联系方式时只报 GK501。",
           "Reports customarily say on which website the electronic version can be read or downloaded. 电子文本 or 电子文档 for "
           "电子版, and 公布/公开/发布 on a website, count too (本报告的电子版在…门户网站公布). With no contact details at all only GK501 fires."),
          ("在导语中写明“本报告电子版可在××网站（网址）查阅或下载”。", "Say in the intro where the electronic version can be read or downloaded."),
          check_electronic_version,
          Example(bad="止。如对本报告", good="止。本报告电子版可在东平市人民政府门户网站（www.dongping.gov.cn）查阅或下载。如对本报告",
                  replaces="止。本报告电子版可在东平市人民政府门户网站（www.dongping.gov.cn）查阅或下载。如对本报告")),
]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    contact_patterns(data)
    return ["contact"]
