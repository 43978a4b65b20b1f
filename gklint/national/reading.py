"""What gklint could not read with confidence: GK109 (the report looks cut off), GK209 (a table
cannot be read), GK210 (a table's cells were split out of digits run together).

Text copied out of a PDF or crawled from a page may lose a table's shape.  The
structure builder then marks the table :attr:`~gklint.model.TableStatus.UNREADABLE`
instead of guessing, and no rule checks its values; GK209 says so once per
table, with the reasons and what to lint instead.  These findings are about
the input, not the report: warnings, never errors.
"""

from __future__ import annotations

from collections.abc import Iterator

from gklint import hookimpl
from gklint.findings import Message, Problem, Severity
from gklint.model import Document, Span, Table, TableStatus
from gklint.rule import CheckContext, Rule

__all__ = ["REASONS", "gklint_rules", "truncation_point"]

#: Why a table is unreadable (:attr:`Table.notes` codes), in words.
REASONS: dict[str, Message] = {
    "rows-missing": Message("有模板中的行找不到", "rows of the template cannot be found"),
    "rows-outside-template": Message("有的行不在模板中的位置上", "rows stand outside their places in the template"),
    "value-counts": Message("有的行数值个数与模板列数不符", "rows have more or fewer values than the template has columns"),
    "no-values": Message("表格的标签在，但数值无法对应到单元格", "its labels are there but no values can be matched to cells"),
    "ambiguous-digits": Message("连在一起的数字可以有不止一种拆分", "digits run together can be split in more than one way"),
}
_TABLE_NAMES = {"table2": ("表2", "table 2"), "table3": ("表3", "table 3"), "table4": ("表4", "table 4")}


def _where(doc: Document, table: Table) -> Span | None:
    if table.span is not None:
        return table.span
    for section in doc.sections:
        if section.canonical_title == table.title:
            return section.heading_span
    return None


def check_unreadable(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK209: one finding per table that could not be read with confidence."""
    for table in doc.tables.values():
        if table.status is not TableStatus.UNREADABLE or "cut-off" in table.notes:
            continue  # (a table the text stops in: GK109 says so)
        zh, en = _TABLE_NAMES.get(table.id, (table.id, table.id))
        reasons = [REASONS[code] for code in table.notes if code in REASONS]
        why_zh = "；".join(r.zh for r in reasons) or "单元格无法区分"
        why_en = "; ".join(r.en for r in reasons) or "its cells cannot be told apart"
        yield Problem(
            _where(doc, table),
            Message(
                f"{zh}无法可靠读取（{why_zh}），未核对其数值和行列标签。这份文本可能是从 PDF 复制或网页抓取的，"
                f"表格结构已经丢失；请检查报告的 .docx、网页或 PDF 原件",
                f"{en} cannot be read with confidence ({why_en}); its values and labels were not checked. "
                f"The text was probably copied out of a PDF or crawled and lost the table's shape: lint the "
                f"report's .docx, web page or the PDF itself",
            ),
            key=(table.id, *table.notes),
        )


def check_reconstructed(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK210: a table whose cells were split out of digits run together."""
    for table in doc.tables.values():
        if table.status is TableStatus.FOUND and table.reconstructed:
            zh, en = _TABLE_NAMES.get(table.id, (table.id, table.id))
            yield Problem(
                _where(doc, table),
                Message(
                    f"{zh}各行的数字连在一起，没有分隔；gklint 按唯一可行的拆分（满足表格的勾稽关系）读取了各单元格。请在单元格之间保留分隔",
                    f"the digits of each row of {en} run together with no separator; gklint read the cells "
                    f"by the only split that satisfies the table's identities. Keep the cells apart",
                ),
                key=(table.id,),
            )


def truncation_point(doc: Document) -> tuple[Span, str] | None:
    """Where the report stops short (:attr:`Document.truncated`) and the last part found."""
    if doc.truncated is None or not doc.sections:
        return None
    last = doc.sections[-1]
    return doc.truncated, f"{last.number}、{last.canonical_title or last.title}"


def check_truncated(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK109: text that stops in the middle of the report, said once instead of a finding per missing part."""
    point = truncation_point(doc)
    if point is None:
        return
    span, last = point
    yield Problem(
        span,
        Message(
            f"报告似乎不完整：文本在“{last}”部分中途结束，后面的部分和表格都没有。这份文本可能只复制了网页或 PDF 的一部分；"
            f"请检查完整的报告",
            f"the report seems cut off: the text stops inside “{last}” and the parts after it are not there. "
            f"Only part of the page or PDF may have been copied; lint the whole report",
        ),
        key=("truncated", last),
    )


def _rules() -> list[Rule]:
    return [
        Rule(
            "GK109", "report-truncated", "GK1", Severity.WARNING,
            Message("报告似乎不完整（文本中途结束）", "the report seems cut off"),
            Message(
                "从 PDF 或网页复制的文本只有报告的前一部分时（在某一部分或表格中间结束），gklint 只报告一次“不完整”，"
                "不再逐一报告后面缺少的部分和表格。",
                "When text copied out of a PDF or a page holds only the first part of a report (it stops inside a "
                "section or a table), gklint says so once instead of reporting every missing part and table.",
            ),
            Message("检查完整的报告文件。", "Lint the whole report."),
            check_truncated,
            Message("gklint 读取规则", "how gklint reads its input"),
            (),
        ),
        Rule(
            "GK209", "table-unreadable", "GK2", Severity.WARNING,
            Message("表格无法可靠读取，未核对", "a table cannot be read with confidence and was not checked"),
            Message(
                "从 PDF 复制或网页抓取的文本常常丢失表格结构：单元格分不开，行不在原来的位置。gklint 只在读取确定时"
                "核对表格；读不准的表格只报告这一条，不据猜测报告计算、标签或正文核对的问题。",
                "Text copied out of a PDF or crawled from a page often loses a table's shape: cells run together, "
                "rows move. gklint checks a table only when its reading is certain; a table it cannot read gets "
                "this one finding instead of arithmetic, label or cross-check findings built on guesses.",
            ),
            Message("检查报告的 .docx、网页或 PDF 原件，这些格式保留了表格结构。",
                    "Lint the report's .docx, web page or the PDF itself: they keep the table's shape."),
            check_unreadable,
            Message("gklint 读取规则", "how gklint reads its input"),
            (),
        ),
        Rule(
            "GK210", "table-reconstructed", "GK2", Severity.INFO,
            Message("表格数字连在一起，已按勾稽关系拆分", "a table's digits ran together and were split by its identities"),
            Message(
                "网页抓取的文本有时把一行的各单元格连成一串数字（“一、本年新收政府信息公开申请数量713000074”）。"
                "只有一种拆分能满足表格的勾稽关系时，gklint 按这种拆分读取并照常核对；有多种拆分时表格按无法读取处理（GK209）。",
                "Crawled text sometimes runs a row's cells together into one string of digits. When exactly one "
                "split satisfies the table's identities gklint reads the cells that way and checks them as usual; "
                "when several do, the table is unreadable (GK209).",
            ),
            Message("在单元格之间保留分隔（制表符、空格或表格）。", "Keep the cells apart (tabs, spaces or a real table)."),
            check_reconstructed,
            Message("gklint 读取规则", "how gklint reads its input"),
            (),
        ),
    ]


@hookimpl
def gklint_rules() -> list[Rule]:
    return _rules()



