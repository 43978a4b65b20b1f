"""What the template checks share: each table's evidence for a layout, the tables found, their names."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.data import LayoutSpec, StandardData, TableSpec
from gklint.facts import table_name
from gklint.findings import Message
from gklint.model import Document, HeaderLabel, Row, Span, Table, TableStatus
from gklint.normalize import norm_label


def _years(spec: LayoutSpec) -> tuple[str, str]:
    if spec.last_year >= 9999:
        return f"{spec.first_year}年及以后年度", f"{spec.first_year} onwards"
    return f"{spec.first_year}—{spec.last_year}年度", f"{spec.first_year}-{spec.last_year}"


def _short(spec: LayoutSpec | None, layout_id: str) -> Message:
    if spec is None:
        return Message(f"{layout_id}格式", f"the {layout_id} layout")
    zh, en = _years(spec)
    return Message(f"{zh}格式（{spec.basis}）", f"the format for {en} ({spec.basis})")


def _quoted(evidence: list[_Evidence], lang: str = "zh", limit: int = 4) -> str:
    """``“a”“b”“c”等``: the distinct evidence texts, at most *limit*."""
    seen = list(dict.fromkeys(e.show(lang) for e in evidence))
    more = ("等" if lang == "zh" else " etc.") if len(seen) > limit else ""
    return "".join(seen[:limit]) + more


def _table_spec(data: StandardData, table: Table) -> TableSpec | None:
    layout = data.layouts.get(table.layout or "")
    return layout.tables.get(table.id) if layout else None


def _distinctive_rows(data: StandardData, table: Table) -> list[Row]:
    """Rows found in *table* that only its layout's template has as data rows (e.g. table 3's （六） sub-rows)."""
    own = _table_spec(data, table)
    if own is None:
        return []
    others = [lay.tables[table.id] for lay in data.layouts.values() if lay.id != table.layout and table.id in lay.tables]
    out = []
    for row in table.rows:
        spec = own.row(row.id)
        if row.extra or row.label_span is None or spec is None or spec.group_only:
            continue
        if all((o.row(row.id) is None or o.row(row.id).group_only) for o in others):  # type: ignore[union-attr]
            out.append(row)
    return out


class _Evidence:
    __slots__ = ("span", "text", "note")

    def __init__(self, span: Span, text: str, note: Message | None = None) -> None:
        self.span = span
        self.text = text
        self.note = note

    def show(self, lang: str = "zh") -> str:
        return f"“{self.text}”" + (self.note.get(lang) if self.note else "")


def _evidence(doc: Document, data: StandardData, layout_id: str) -> list[_Evidence]:
    """What shows that tables follow *layout_id*: its markers, else rows only its template has."""
    out = [_Evidence(m.span, m.text) for m in doc.layout.markers if m.layout == layout_id]
    for table in doc.tables.values():
        if table.status is TableStatus.FOUND and table.layout == layout_id:
            single = {r.id for lay in data.layouts.values() if lay.id != layout_id and table.id in lay.tables
                      for r in lay.tables[table.id].rows if r.group_only}
            for row in _distinctive_rows(data, table):
                if row.label_span is not None:
                    note = Message("（只有一行，没有子项）", " (a single row, no sub-rows)") if row.id in single else None
                    out.append(_Evidence(row.label_span, row.label, note))
    out.sort(key=lambda e: e.span.start)
    return out


def _where(data: StandardData, table: Table, row: Row | None = None, block: str = "") -> tuple[str, str]:
    """``表2“第二十条第（一）项”`` / ``表3“（三）不予公开”下`` for messages."""
    zh, en = table_name(table.id)
    spec = _table_spec(data, table)
    if spec is not None and spec.blocks:
        block_id = block or (spec.row(row.id).block if row is not None and spec.row(row.id) else "")  # type: ignore[union-attr]
        caption = next((b.caption for b in spec.blocks if b.id == block_id), "")
        if caption:
            return f"{zh}“{caption}”", f"{en} “{caption}”"
    if row is not None and row.group:
        return f"{zh}“{row.group}”下", f"{en} under “{row.group}”"
    return zh, en


def _is_annotation(header: HeaderLabel) -> bool:
    """The written header is the template's with more annotation, e.g. ``（单位：万元，保留4位小数）``."""
    canon = norm_label(header.label.split("/")[-1])
    written = norm_label(header.found_label)
    if len(written) <= len(canon):
        return False
    if written.startswith(canon):
        return True
    return canon.endswith(")") and written.endswith(")") and written.startswith(canon[:-1])


def _found_tables(doc: Document) -> Iterator[Table]:
    for table in doc.tables.values():
        if table.status is TableStatus.FOUND:
            yield table
