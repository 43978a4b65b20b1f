"""GK7 across years: a report against the same agency's report of the year before.

The rules here are declared ``needs_previous``: the engine runs them only when the
earlier report is known (paired in a batch, ``--previous FILE``, the ``previous`` of a
service request) and gives it as ``context.previous``.  Places in the earlier report
are :class:`~gklint.findings.Related` with ``document=previous``, so text, JSON and
SARIF output name that file.

* GK701 table 3: this year's 二、上年结转 differs from last year's 四、结转下年度继续办理
  (per applicant column);
* GK702 table 2: 现行有效件数 of 规章 / 行政规范性文件 is not last year's 现行有效件数 +
  本年制发件数 − 本年废止件数;
* GK703 一、总体情况 or 五、存在的主要问题及改进情况 repeats last year's text;
* GK704 五、存在的主要问题及改进情况 does not say how last year's problems were addressed;
* GK705 the report year or statistics period does not follow last year's;
* GK706 the earlier report given is of another agency.

Only tables read with status FOUND take part.  Messages do not name the earlier file (its
related location does), so a finding's fingerprint does not change when that file moves.  GK701–GK704 compare only reports of one
agency whose years follow each other (when both are known); GK705 and GK706 say why
they do not.  Phrases are data: ``rules/crossyear.toml`` (key ``crossyear``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from gklint import hookimpl
from gklint.data import StandardData, data_error
from gklint.findings import Message, Problem, Related, Severity
from gklint.identity import Identity, identify, merge_region_free
from gklint.lazyre import lazy
from gklint.model import Cell, Document, Section, Span, Table, TableStatus
from gklint.rule import CheckContext, Rule

__all__ = ["gklint_rules", "gklint_validate_data", "repeated_passages"]

_KEY = "crossyear"
_SOURCE = Message(
    "《中华人民共和国政府信息公开条例》第五十条；国办公开办函〔2021〕30号 附件（年度报告格式）",
    "Regulations on the Disclosure of Government Information, art. 50; 国办公开办函〔2021〕30号 annex (report format)",
)
_APPLICANTS = ("natural", "business", "research", "public_interest", "legal_service", "other")
_SECTION_NAMES = {"overview": "一、总体情况", "problems": "五、存在的主要问题及改进情况"}


# -- data ---------------------------------------------------------------------------------


class _Phrases:
    def __init__(self, data: StandardData) -> None:
        last_year: list[str] = []
        addressed: list[str] = []
        for path, table in data.items(_KEY):
            if not isinstance(table, Mapping):
                raise data_error(path, _KEY, "应为表", "expected a table")
            for name, target in (("last_year", last_year), ("addressed", addressed)):
                values = table.get(name, [])
                if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                    raise data_error(path, f"{_KEY}.{name}", "应为非空字符串的列表", "expected a list of non-empty strings")
                for value in values:
                    try:
                        re.compile(value)
                    except re.error as exc:
                        raise data_error(path, f"{_KEY}.{name}", f"正则表达式 {value!r} 有误：{exc}",
                                         f"bad regular expression {value!r}: {exc}") from None
                target.extend(values)
        self.last_year = [re.compile(v) for v in last_year]
        self.addressed = [re.compile(v) for v in addressed]


def _phrases(data: StandardData) -> _Phrases:
    return data.derived("crossyear.phrases", _Phrases)


# -- comparability ---------------------------------------------------------------------------


_recent = threading.local()


def _who(doc: Document, data: StandardData) -> Identity:
    """:func:`identify`, remembered for the last few documents (each check asks about both reports)."""
    seen: list[tuple[Document, StandardData, Identity]] = getattr(_recent, "seen", None) or []
    for d, dd, who in seen:
        if d is doc and dd is data:
            return who
    who = identify(doc, data)
    _recent.seen = [(doc, data, who), *seen[:3]]
    return who


def _same_agency(doc: Document, prev: Document, data: StandardData) -> bool | None:
    """True / False when both agencies are known, None otherwise."""
    a, b = _who(doc, data).key, _who(prev, data).key
    if not a or not b:
        return None
    if a == b:
        return True
    canon = merge_region_free([a, b])
    return canon[a] == canon[b]


def _comparable(doc: Document, prev: Document, data: StandardData) -> bool:
    """Same agency (or unknown) and consecutive years (or unknown)."""
    if _same_agency(doc, prev, data) is False:
        return False
    this, last = _who(doc, data).year, _who(prev, data).year
    return this is None or last is None or this == last + 1


def _found(doc: Document, tid: str) -> Table | None:
    table = doc.table(tid)
    return table if table is not None and table.status is TableStatus.FOUND else None


def _value(cell: Cell | None) -> int | None:
    if cell is None or cell.value is None or cell.extra:
        return None
    return int(cell.value) if cell.value == int(cell.value) else None


# -- GK701 -----------------------------------------------------------------------------------


def check_carryover(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or not _comparable(doc, prev, ctx.data):
        return
    this, last = _found(doc, "table3"), _found(prev, "table3")
    if this is None or last is None:
        return
    for column in _APPLICANTS:
        now = this.cell("carried_over", column)
        before = last.cell("carried_forward", column)
        a, b = _value(now), _value(before)
        if a is None or b is None or a == b or now is None or before is None:
            continue
        label = now.column_label
        yield Problem(
            now.span,
            Message(f"表3“二、上年结转政府信息公开申请数量”{label}列为{a}，"
                    f"但上年报告“四、结转下年度继续办理”为{b}，两者应相等",
                    f"table 3 '二、上年结转' ({label}) is {a}, but last year's report "
                    f"'四、结转下年度继续办理' is {b}; they must be equal"),
            related=(Related(before.span, Message(f"上年报告“四、结转下年度继续办理”{label}列：{b}",
                                                  f"last year's '四、结转下年度继续办理' ({label}): {b}"), prev),),
            key=("table3", "carried_over", column),
        )


# -- GK702 -----------------------------------------------------------------------------------


def check_in_force(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or not _comparable(doc, prev, ctx.data):
        return
    this, last = _found(doc, "table2"), _found(prev, "table2")
    if this is None or last is None:
        return
    for row in ("rules", "normative"):
        now = this.cell(row, "in_force")
        issued, repealed = _value(this.cell(row, "issued")), _value(this.cell(row, "repealed"))
        before = last.cell(row, "in_force")
        a, b = _value(now), _value(before)
        if now is None or before is None or a is None or b is None or issued is None or repealed is None:
            continue
        expected = b + issued - repealed
        if a == expected:
            continue
        label = now.row_label
        yield Problem(
            now.span,
            Message(f"表2“{label}”现行有效件数为{a}，而上年报告现行有效件数{b} + 本年制发件数{issued} − "
                    f"本年废止件数{repealed} = {expected}，相差{a - expected:+d}；如因清理、重新编号等原因，请在正文中说明",
                    f"table 2 '{label}': {a} in force, but last year's report had {b} in force, + {issued} "
                    f"issued − {repealed} repealed this year = {expected} (a gap of {a - expected:+d}); "
                    "if a review or renumbering explains it, say so in the text"),
            related=(Related(before.span, Message(f"上年报告“{label}”现行有效件数：{b}",
                                                  f"last year's '{label}' in force: {b}"), prev),),
            key=("table2", row, "in_force"),
        )


# -- GK703 -----------------------------------------------------------------------------------

_YEARS = lazy(r"(?:19|20)\d{2}(?=\s*年)")


def _comparable_text(doc: Document, span: Span, skip: Sequence[Span] = ()) -> tuple[str, list[int]]:
    """The text of *span* without white space and the *skip* spans (sub-headings, which every year
    repeats), years masked (``####``), with each character's offset."""
    chars: list[str] = []
    where: list[int] = []
    text = doc.text[span.start : span.end]
    masked = _YEARS.sub("####", text)
    skipped: set[int] = set()
    for s in skip:
        skipped.update(range(max(s.start, span.start) - span.start, min(s.end, span.end) - span.start))
    for i, ch in enumerate(masked):
        if not ch.isspace() and i not in skipped:
            chars.append(ch)
            where.append(span.start + i)
    return "".join(chars), where


def repeated_passages(this: str, last: str, min_size: int) -> tuple[float, list[tuple[int, int, int]]]:
    """The share of *this* that repeats *last*, and the repeated passages ``(i, j, size)`` of at least
    *min_size* characters, longest first."""
    if not this or not last:
        return 0.0, []
    from difflib import SequenceMatcher  # only when two reports are compared

    matcher = SequenceMatcher(None, this, last, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    share = sum(b.size for b in blocks) / len(this)
    long = sorted((b for b in blocks if b.size >= min_size), key=lambda b: (-b.size, b.a))
    return share, [(b.a, b.b, b.size) for b in long]


def _body(section: Section, doc: Document) -> Span | None:
    span = section.body_span
    return span if span.end > span.start and doc.text[span.start : span.end].strip() else None


def check_repeated(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or not _comparable(doc, prev, ctx.data):
        return
    threshold = float(ctx.options.get("threshold", 0.8))
    min_size = int(ctx.options.get("min-passage", 20))
    limit = int(ctx.options.get("max-chars", 20000))
    for key in ctx.options.get("sections", ["problems", "overview"]):
        this, last = doc.section(key), prev.section(key)
        if this is None or last is None:
            continue
        a_span, b_span = _body(this, doc), _body(last, prev)
        if a_span is None or b_span is None:
            continue
        a_text, a_where = _comparable_text(doc, a_span, [h.span for h in this.headings])
        b_text, b_where = _comparable_text(prev, b_span, [h.span for h in last.headings])
        if len(a_text) < min_size or len(a_text) > limit or len(b_text) > limit:
            continue
        share, passages = repeated_passages(a_text, b_text, min_size)
        if share < threshold:
            continue
        title = _SECTION_NAMES.get(key, f"{this.number}、{this.canonical_title or this.title}")
        percent = round(share * 100)
        related: list[Related] = []
        shown = passages[:3]
        for n, (i, j, size) in enumerate(shown, 1):
            here = Span(a_where[i], a_where[i + size - 1] + 1)
            there = Span(b_where[j], b_where[j + size - 1] + 1)
            if n > 1:
                related.append(Related(here, Message(f"重复段落{n}（本年，{size}字）", f"repeated passage {n} (this year, {size} characters)")))
            related.append(Related(there, Message(f"重复段落{n}在上年报告中（{size}字）",
                                                  f"repeated passage {n} in last year's report ({size} characters)"), prev))
        primary = Span(a_where[shown[0][0]], a_where[shown[0][0] + shown[0][2] - 1] + 1) if shown else this.heading_span
        yield Problem(
            primary,
            Message(f"“{title}”与上年报告基本相同：{percent}%的文字（年份除外）与上年重复；"
                    "请写本年度的实际情况",
                    f"'{title}' is nearly the same as last year's report: {percent}% of its text "
                    "(years aside) repeats last year's; describe this year"),
            related=tuple(related),
            key=("repeated", key),
        )


# -- GK704 -----------------------------------------------------------------------------------


def check_followup(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or not _comparable(doc, prev, ctx.data):
        return
    section = doc.section("problems")
    if section is None or prev.section("problems") is None:
        return
    text = doc.text[section.body_span.start : section.body_span.end]
    phrases = _phrases(ctx.data)
    last_year = [*phrases.last_year]
    year = _who(prev, ctx.data).year
    if year is not None:
        last_year.append(re.compile(f"{year}\\s*年"))
    for sentence in re.split(r"[。；;！!\n]", text):
        if any(p.search(sentence) for p in last_year) and any(p.search(sentence) for p in phrases.addressed):
            return
    yield Problem(
        section.heading_span,
        Message("“五、存在的主要问题及改进情况”没有说明上年报告所列问题的改进情况",
                "'五、存在的主要问题及改进情况' does not say how the problems of last year's report were addressed"),
        related=(Related(prev.section("problems").heading_span,  # type: ignore[union-attr]
                         Message("上年报告所列的问题", "the problems of last year's report"), prev),),
        key=("followup",),
    )


# -- GK705 / GK706 ---------------------------------------------------------------------------


def check_sequence(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or _same_agency(doc, prev, ctx.data) is False:
        return
    now, last = doc.metadata, prev.metadata
    checks: Sequence[tuple[str, int | None, int | None, Span | None, Span | None, str, str]] = (
        ("title", now.year_from_title, last.year_from_title, now.title_span, last.title_span, "标题中的年度", "the title's year"),
        ("period", now.year_from_period, last.year_from_period, now.period_span, last.period_span,
         "统计期限", "the statistics period"),
    )
    for what, a, b, here, there, zh, en in checks:
        if a is None or b is None or a == b + 1:
            continue
        severity = None if a <= b else Severity.WARNING
        yield Problem(
            here,
            Message(f"{zh}为{a}年，上年报告为{b}年；本年报告应为{b + 1}年"
                    + ("（是否沿用了上年的内容？）" if a <= b else "（给出的上年报告是否有误，或缺少中间年度的报告？）"),
                    f"{en} is {a}, last year's report has {b}; this report should be {b + 1}"
                    + (" (copied from last year?)" if a <= b else " (is the earlier report the right one, or is a year missing?)")),
            related=(Related(there, Message(f"上年报告的{zh}：{b}年", f"last year's {en}: {b}"), prev),),
            key=("sequence", what),
            severity=severity,
        )


def check_agency(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    prev = ctx.previous
    if prev is None or _same_agency(doc, prev, ctx.data) is not False:
        return
    this, last = _who(doc, ctx.data), _who(prev, ctx.data)
    yield Problem(
        doc.metadata.title_span,
        Message(f"本报告的机关为“{this.agency}”，给出的上年报告为“{last.agency}”，不是同一机关；跨年度核对未进行",
                f"this report's agency is '{this.agency}', the earlier report given is of "
                f"'{last.agency}', another agency; the cross-year checks were not made"),
        related=(Related(prev.metadata.title_span, Message(f"上年报告的机关：{last.agency}",
                                                           f"the earlier report's agency: {last.agency}"), prev),),
        key=("agency",),
    )


# -- registration ----------------------------------------------------------------------------


_CHECKS: dict[str, Any] = {
    "GK701": check_carryover, "GK702": check_in_force, "GK703": check_repeated,
    "GK704": check_followup, "GK705": check_sequence, "GK706": check_agency,
}


def _rule(rid: str, name: str, severity: Severity, short: tuple[str, str], full: tuple[str, str],
          help_: tuple[str, str], options: Mapping[str, Any] | None = None) -> Rule:
    return Rule(rid, name, "GK7", severity, Message(*short), Message(*full), Message(*help_), _CHECKS[rid], _SOURCE,
                options=options, needs_previous=True)


RULES = [
    _rule("GK701", "carryover-continuity", Severity.ERROR,
          ("表3上年结转数与上年报告的结转下年度数不一致", "table 3 carried over differs from last year's carried forward"),
          ("本年表3“二、上年结转政府信息公开申请数量”应逐列（自然人、各类法人或其他组织）等于同一机关上年报告表3"
           "“四、结转下年度继续办理”。需要上年报告（批量检查时自动配对，或用 --previous 给出）；两份表3都读出时才比较。",
           "This year's table 3 '二、上年结转' must equal, column by column (each applicant type), the same agency's "
           "'四、结转下年度继续办理' in last year's report. Needs last year's report (paired automatically in a batch, or "
           "given with --previous); compared only when both tables were read."),
          ("核对两年的表3，更正有误的一方；上年报告已发布的，本年按上年结转数填写。",
           "Check both years' table 3 and correct the wrong one; if last year's is published, use its carried-forward figures.")),
    _rule("GK702", "in-force-continuity", Severity.WARNING,
          ("表2现行有效件数与上年不衔接", "table 2 documents in force do not follow from last year's"),
          ("表2规章、行政规范性文件的“现行有效件数”一般等于上年报告的现行有效件数加本年制发件数减本年废止件数。"
           "文件清理、重新编号、统计口径调整也会造成差额，所以是警告，消息给出两边的数。仅比较2021年格式的表2。",
           "Table 2's 现行有效件数 of 规章 and 行政规范性文件 normally equals last year's in force + issued − repealed this year. "
           "Reviews, renumbering or a changed count can explain a gap, so it is a warning and the message gives both sides. "
           "Only table 2 of the 2021 format is compared."),
          ("核对件数；差额有正当原因的，在正文中说明。", "Check the counts; if the gap has a reason, explain it in the text.")),
    _rule("GK703", "repeated-from-last-year", Severity.WARNING,
          ("章节内容与上年报告基本相同", "section text nearly identical to last year's"),
          ("“五、存在的主要问题及改进情况”和“一、总体情况”应写本年度的情况。与上年报告同一章节相比，"
           "去掉空白、不计年份后重复的文字达到阈值（默认80%）时提示，并标出两份报告中最长的重复段落。",
           "'五、存在的主要问题及改进情况' and '一、总体情况' should describe this year. Fires when, white space and years aside, "
           "the share of text repeated from the same section of last year's report reaches the threshold (80% by default), "
           "and locates the longest repeated passages in both reports."),
          ("按本年度的实际情况重写该章节。", "Rewrite the section for this year."),
          options={"threshold": 0.8, "min-passage": 20, "sections": ["problems", "overview"], "max-chars": 20000}),
    _rule("GK704", "problems-followup-missing", Severity.INFO,
          ("未说明上年问题的改进情况", "no word on how last year's problems were addressed"),
          ("“五、存在的主要问题及改进情况”一般应说明上年报告所列问题的改进情况。没有一句话同时提到上年"
           "（上年、上一年度、去年或上年年份）和整改、改进、解决等词时提示。短语见 rules/crossyear.toml。",
           "'五、存在的主要问题及改进情况' should say how the problems listed last year were addressed. Fires when no sentence "
           "mentions last year (上年, 上一年度, 去年 or last year's number) together with 整改, 改进, 解决 or the like. "
           "Phrases: rules/crossyear.toml."),
          ("补充上年问题的整改落实情况。", "Add how last year's problems were dealt with.")),
    _rule("GK705", "year-sequence", Severity.ERROR,
          ("报告年度或统计期限与上年报告不衔接", "report year or statistics period does not follow last year's"),
          ("本年报告标题中的年度和统计期限应比上年报告晚一年。与上年相同或更早（常见于沿用上年文本）是错误；"
           "相差一年以上是警告（给出的上年报告有误，或缺少中间年度）。",
           "The title's year and the statistics period must be one year after last year's report. The same or an earlier "
           "year (text reused from last year) is an error; a gap of more than a year is a warning (the wrong earlier report, "
           "or a year missing)."),
          ("更正年度或统计期限；或给出正确的上年报告。", "Correct the year or period, or give the right earlier report.")),
    _rule("GK706", "previous-of-another-agency", Severity.WARNING,
          ("给出的上年报告属于另一机关", "the earlier report given is of another agency"),
          ("用 --previous 或服务请求给出的上年报告，其机关（标题、发布机构或导语中的名称，按全称/简称、地区前缀、"
           "空白和标点归一后）与本报告不同；此时不做跨年度核对。",
           "The earlier report given with --previous or in a service request names another agency (title, 发布机构 or "
           "introduction, normalised for full/short forms, region prefix, white space and punctuation); the cross-year "
           "checks are then not made."),
          ("给出同一机关的上年报告。", "Give the same agency's report of the year before.")),
]



@hookimpl
def gklint_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    _phrases(data)
    return [_KEY]
