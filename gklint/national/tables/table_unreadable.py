"""GK209 table-unreadable: a table cannot be read with confidence and was not checked."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.facts import table_name
from gklint.findings import Message, Problem
from gklint.model import Document, TableStatus
from gklint.national.tables._reading import _where
from gklint.rule import CheckContext

#: Why a table is unreadable (:attr:`Table.notes` codes), in words.
REASONS: dict[str, Message] = {
    "rows-missing": Message("有模板中的行找不到", "rows of the template cannot be found"),
    "rows-outside-template": Message("有的行不在模板中的位置上", "rows stand outside their places in the template"),
    "value-counts": Message("有的行数值个数与模板列数不符", "rows have more or fewer values than the template has columns"),
    "no-values": Message("表格的标签在，但数值无法对应到单元格", "its labels are there but no values can be matched to cells"),
    "ambiguous-digits": Message("连在一起的数字可以有不止一种拆分", "digits run together can be split in more than one way"),
}


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK209: one finding per table that could not be read with confidence."""
    for table in doc.tables.values():
        if table.status is not TableStatus.UNREADABLE or "cut-off" in table.notes:
            continue  # (a table the text stops in: GK109 says so)
        zh, en = table_name(table.id)
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
