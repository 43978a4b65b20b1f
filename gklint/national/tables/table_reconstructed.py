"""GK210 table-reconstructed: a table's digits ran together and were split by its identities."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.facts import table_name
from gklint.findings import Message, Problem
from gklint.model import Document, TableStatus
from gklint.national.tables._reading import _where
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK210: a table whose cells were split out of digits run together."""
    for table in doc.tables.values():
        if table.status is TableStatus.FOUND and table.reconstructed:
            zh, en = table_name(table.id)
            yield Problem(
                _where(doc, table),
                Message(
                    f"{zh}各行的数字连在一起，没有分隔；gklint 按唯一可行的拆分（满足表格的勾稽关系）读取了各单元格。请在单元格之间保留分隔",
                    f"the digits of each row of {en} run together with no separator; gklint read the cells "
                    f"by the only split that satisfies the table's identities. Keep the cells apart",
                ),
                key=(table.id,),
            )
