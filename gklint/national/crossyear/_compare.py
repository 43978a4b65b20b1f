"""What the checks across years share: whether two reports can be compared, values of their tables, repeated passages."""

from __future__ import annotations

import threading

from gklint.data import StandardData
from gklint.identity import Identity, identify, merge_region_free
from gklint.model import Cell, Document, Table, TableStatus

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
