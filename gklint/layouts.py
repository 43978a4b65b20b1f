"""Layouts as data: a layout file may extend another, and what tells layouts apart is derived.

A layout file (``rules/layouts/*.toml``, or a pack's data file with a ``[layout]``
table) either states a whole layout or names its parent with ``extends`` and
states only what it adds, drops or changes:

* ``[layout]``: any of ``id``, ``name``, ``basis``, ``notice``, ``short_name``,
  ``first_year``, ``last_year`` replace the parent's; ``drop_sections``,
  ``drop_tables`` and ``drop_identities`` list ids to leave out;
* ``[[sections]]``, rows, columns, blocks and ``[[identities]]`` are merged by
  id (``key`` for sections): an entry the parent has is changed field by field
  (a new ``label`` relabels it), a new one is added after ``after = "<id>"``,
  else after the last entry of its ``group``, else at the end;
* ``[tables.<id>]``: ``title``, ``section``, ``header_labels`` replace the
  parent's; ``drop_rows``, ``drop_columns`` (in a block too) and ``drop_blocks``
  list ids to leave out.

:func:`resolve_layouts` turns such files into whole layouts before they are
parsed, so every :class:`~gklint.data.LayoutSpec` is complete.  A bad parent, a
cycle, or a change or drop of something the parent lacks raises
:class:`~gklint.data.DataError` naming the file, the line and the key.

:func:`layout_evidence` derives, once per :class:`~gklint.data.StandardData`,
the table labels that some layouts have and others lack; the document builder
looks for them to tell which layout a report's tables follow.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gklint.findings import Message
from gklint.lazyre import lazy
from gklint.schema import ArrayOf, Dialect, MapOf, Table, Text, Texts, Where

if TYPE_CHECKING:
    from gklint.data import ColumnSpec, DataError, LayoutSpec, RowSpec, StandardData

__all__ = ["Evidence", "RawLayout", "ancestors", "layout_evidence", "resolve_layouts"]

#: the parts of a layout file that make up the layout (the rest is other data)
LAYOUT_KEYS = ("layout", "sections", "tables", "identities")
_HEAD_DROPS = ("drop_sections", "drop_tables", "drop_identities")


@dataclass(frozen=True, slots=True)
class RawLayout:
    """A layout file as read: its name, its text (for line numbers) and its parsed TOML."""

    path: str
    text: str
    doc: Mapping[str, Any]


# -- resolving ``extends`` ---------------------------------------------------------------------


_INDEXED = lazy(r"^(?P<array>.+)\[(?P<index>\d+)\]$")


def _line(text: str, key: str) -> int | None:
    """The 1-based line of *key* in TOML *text*: as :func:`gklint.datacheck.key_line` finds it, else
    the header of an entry of an array of tables (``tables.table3.rows[0]``)."""
    from gklint.datacheck import key_line  # (here: datacheck builds on gklint.data)

    line = key_line(text, key)
    m = _INDEXED.match(key)
    if line is not None or m is None:
        return line
    header = re.compile(rf"^\s*\[\[\s*{re.escape(m['array'])}\s*\]\]")
    hits = [i for i, written in enumerate(text.splitlines(), 1) if header.match(written)]
    return hits[int(m["index"])] if int(m["index"]) < len(hits) else None


def _error(raw: RawLayout, key: str, zh: str, en: str) -> DataError:
    """``path:line: key …``: the line of *key* in the file, when it can be found."""
    from gklint.data import DataError

    line = _line(raw.text, key)
    where = f"{raw.path}:{line}" if line else raw.path
    return DataError(Message(f"{where}: 键 {key}：{zh}", f"{where}: key {key}: {en}"))


class _InLayout(Dialect):
    """Mistakes in a layout file, named with their line (the file's text is at hand)."""

    def __init__(self, raw: RawLayout) -> None:
        self.raw = raw

    def error(self, key: str, zh: str, en: str) -> Exception:
        return _error(self.raw, key, zh, en)


def _at(raw: RawLayout, key: str) -> Where:
    return Where(key, _InLayout(raw))


_IDS = Texts(noun=Message("编号列表", "a list of ids"))
_TABLES = ArrayOf(Table({}, closed=False))
_TABLE_MAP = MapOf(Table({}, closed=False))


def _ids(value: Any, raw: RawLayout, key: str) -> tuple[str, ...]:
    return _IDS.parse(value, _at(raw, key))


class _Merge:
    """Applies one child file's changes to a copy of its parent's resolved layout."""

    def __init__(self, raw: RawLayout, parent_id: str) -> None:
        self.raw = raw
        self.parent = parent_id

    def entries(self, base: list[dict[str, Any]], changes: Any, drops: Any, key: str, drops_key: str,
                id_key: str = "id", required: tuple[str, ...] = ("label",)) -> list[dict[str, Any]]:
        """*base* without the ids in *drops*, with *changes* merged by id (see the module's contract).

        *key* and *drops_key* are where the changes and the drops are written (for messages).
        """
        out = [e for e in base if isinstance(e, dict)]
        known = [e.get(id_key) for e in out]
        for i, gone in enumerate(_ids(drops if drops is not None else [], self.raw, drops_key)):
            if gone not in known:
                raise _error(self.raw, f"{drops_key}[{i}]", f"父格式 {self.parent} 没有 {gone}，无法删去",
                             f"the parent layout {self.parent} has no {gone} to drop")
            out = [e for e in out if e.get(id_key) != gone]
            known = [e.get(id_key) for e in out]
        if changes is None:
            return out
        named = Table({id_key: Text(required=True)}, closed=False)
        for i, change in enumerate(_TABLES.parse(changes, _at(self.raw, key))):
            where = f"{key}[{i}]"
            entry = named.parse(change, _at(self.raw, where))
            after = entry.pop("after", None)
            ident = entry[id_key]
            if ident in known:
                at = known.index(ident)
                out[at] = self.changed(out[at], entry, where)
                continue
            missing = [f for f in required if f not in entry]
            if missing:
                raise _error(self.raw, where, f"父格式 {self.parent} 没有 {ident}，无法修改；新增时须写 {', '.join(missing)}",
                             f"the parent layout {self.parent} has no {ident} to change; a new one needs {', '.join(missing)}")
            out.insert(self.position(out, entry, after, id_key, where), entry)
            known = [e.get(id_key) for e in out]
        return out

    def changed(self, old: dict[str, Any], change: dict[str, Any], key: str) -> dict[str, Any]:
        """*old* with the fields of *change*; a block's rows and columns are merged in turn."""
        if "rows" not in old and "columns" not in old:
            return {**old, **change}
        return self.table(old, change, key)

    def position(self, out: list[dict[str, Any]], entry: Mapping[str, Any], after: Any, id_key: str, key: str) -> int:
        if after is not None:
            ids = [e.get(id_key) for e in out]
            if after not in ids:
                raise _error(self.raw, f"{key}.after", f"没有 {after}", f"no {after} to follow")
            return ids.index(after) + 1
        group = entry.get("group")
        if group:
            members = [i for i, e in enumerate(out) if e.get("group") == group or e.get(id_key) == group]
            if members:
                return members[-1] + 1
        return len(out)

    def table(self, old: dict[str, Any], change: Mapping[str, Any], where: str) -> dict[str, Any]:
        """A table (or table 2 block) of the parent with the child's changes."""
        out = {k: copy.deepcopy(v) for k, v in old.items()}
        for name, value in change.items():
            if name not in ("rows", "columns", "blocks", "drop_rows", "drop_columns", "drop_blocks"):
                out[name] = value
        misplaced = [k for k in ("rows", "columns", "drop_rows", "drop_columns") if k in change and k.removeprefix("drop_") not in old]
        if misplaced:
            raise _error(self.raw, f"{where}.{misplaced[0]}", "父格式的这张表按栏目分行列：写在 [[…blocks]] 中",
                         "the parent's table has its rows and columns in blocks: change them in [[….blocks]]")
        if "blocks" in old:
            out["blocks"] = self.entries(old["blocks"], change.get("blocks"), change.get("drop_blocks"), f"{where}.blocks",
                                         f"{where}.drop_blocks", required=("caption", "columns", "rows"))
        for kind in ("columns", "rows"):
            if kind in old:
                out[kind] = self.entries(old[kind], change.get(kind), change.get(f"drop_{kind}"), f"{where}.{kind}",
                                         f"{where}.drop_{kind}")
        return out


def _extend(parent: Mapping[str, Any], raw: RawLayout) -> dict[str, Any]:
    """The child file *raw* applied to its parent's resolved layout *parent*."""
    head = dict(raw.doc["layout"])
    parent_id = str(parent["layout"].get("id", ""))
    merge = _Merge(raw, parent_id)
    drops = {name: head.pop(name) for name in _HEAD_DROPS if name in head}
    head.pop("extends", None)
    if "id" not in head:
        raise _error(raw, "layout", "继承其他格式的格式须写 id", "a layout that extends another needs its own id")
    # its name in reports is its own: a child that states none is named from its name and basis
    out: dict[str, Any] = {"layout": {**{k: v for k, v in parent["layout"].items() if k != "short_name"}, **head}}
    out["sections"] = merge.entries(parent.get("sections", []), raw.doc.get("sections"), drops.get("drop_sections"),
                                    "sections", "layout.drop_sections", id_key="key", required=("number", "title"))
    tables = {tid: copy.deepcopy(t) for tid, t in parent.get("tables", {}).items()}
    for i, gone in enumerate(_ids(drops.get("drop_tables", []), raw, "layout.drop_tables")):
        if tables.pop(gone, None) is None:
            raise _error(raw, f"layout.drop_tables[{i}]", f"父格式 {parent_id} 没有表 {gone}",
                         f"the parent layout {parent_id} has no table {gone}")
    for tid, change in _TABLE_MAP.parse(raw.doc.get("tables", {}), _at(raw, "tables")).items():
        tables[tid] = merge.table(tables[tid], change, f"tables.{tid}") if tid in tables else dict(change)
    out["tables"] = tables
    out["identities"] = merge.entries(parent.get("identities", []), raw.doc.get("identities"),
                                      drops.get("drop_identities"), "identities", "layout.drop_identities",
                                      required=("table", "lhs", "rhs"))
    return out


def resolve_layouts(files: list[RawLayout]) -> Iterator[tuple[RawLayout, dict[str, Any]]]:
    """Each layout file with its whole layout (``extends`` resolved), in the order given.

    A parent is looked for among *files* by id; the last file declaring an id wins,
    as when layouts are loaded.
    """
    by_id = {str(f.doc["layout"].get("id")): f for f in files if isinstance(f.doc.get("layout"), Mapping)}
    done: dict[int, dict[str, Any]] = {}

    def resolve(raw: RawLayout, chain: tuple[str, ...]) -> dict[str, Any]:
        if id(raw) in done:
            return done[id(raw)]
        head = raw.doc["layout"]
        own = {k: raw.doc[k] for k in LAYOUT_KEYS if k in raw.doc}
        parent_id = head.get("extends") if isinstance(head, Mapping) else None
        if parent_id is None:
            whole = own
        else:
            lid = str(head.get("id", ""))
            if not isinstance(parent_id, str) or parent_id not in by_id:
                known = ", ".join(sorted(i for i in by_id if i != lid)) or "-"
                raise _error(raw, "layout.extends", f"没有编号为 {parent_id} 的格式（已有：{known}）",
                             f"no layout {parent_id!r} to extend (known: {known})")
            if parent_id in chain:
                cycle = " → ".join((*chain[chain.index(parent_id):], parent_id))
                raise _error(raw, "layout.extends", f"格式相互继承，形成循环：{cycle}", f"layouts extend each other in a cycle: {cycle}")
            whole = _extend(resolve(by_id[parent_id], (*chain, parent_id)), raw)
            whole["layout"]["extends"] = parent_id
        done[id(raw)] = whole
        return whole

    for raw in files:
        yield raw, resolve(raw, (str(raw.doc["layout"].get("id", "")),))


def ancestors(layouts: Mapping[str, LayoutSpec], layout_id: str) -> list[str]:
    """The layouts *layout_id* extends, nearest first."""
    out: list[str] = []
    parent = layouts[layout_id].extends if layout_id in layouts else ""
    while parent and parent in layouts and parent not in out:
        out.append(parent)
        parent = layouts[parent].extends
    return out


# -- evidence ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """A label some layouts' tables have and others lack.

    :ivar text: what is looked for, as the template writes it (``本年收费金额``).
    :ivar needle: *text* normalised (:func:`gklint.normalize.norm_label`), to search normalised text.
    :ivar layouts: the layouts whose tables have it.
    :ivar owners: the layouts in *layouts* none of whose ancestors is there too (where it was introduced).
    """

    text: str
    needle: str
    layouts: frozenset[str]
    owners: tuple[str, ...]


_NUMBERING = lazy(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")
_ANNOTATION = lazy(r"[（(][^（）()]*[）)]$")
_CLAUSE_END = lazy(r"[、，,]")


def core(label: str) -> str:
    """What of *label* tells it apart: without its numbering (``1.``, ``（一）``), a trailing
    annotation (``（单位：万元）``) and anything after its first clause (``…不补正、行政机关…``)."""
    text = _NUMBERING.sub("", label, count=1)
    bare = _ANNOTATION.sub("", text)
    text = bare or text
    return _CLAUSE_END.split(text, maxsplit=1)[0] or text


def _labels(spec: LayoutSpec) -> Iterator[str]:
    """The labels of *spec*'s tables that can tell it apart, in reading order."""
    for table in spec.tables.values():
        yield from table.header_labels
        if table.blocks:
            for block in table.blocks:
                yield block.caption
                yield from (c.label for c in block.columns if c.evidence)
                yield from (r.label for r in block.rows if r.evidence)
        else:
            yield from (c.label for c in table.columns if c.evidence)
            yield from (r.label for r in table.rows if r.evidence)


def _written(spec: LayoutSpec) -> str:
    """Every label and accepted spelling of *spec*'s tables, normalised, one per line."""
    from gklint.normalize import norm_label

    texts: list[str] = []
    for table in spec.tables.values():
        texts.extend(table.header_labels)
        texts.extend(b.caption for b in table.blocks)
        items: list[ColumnSpec | RowSpec] = [*table.columns, *table.rows, *(c for b in table.blocks for c in b.columns)]
        for item in items:
            texts.append(item.label)
            texts.extend(item.variants)
    return "\n".join(norm_label(t) for t in texts)


def derive_evidence(layouts: Mapping[str, LayoutSpec], order: list[str]) -> tuple[Evidence, ...]:
    """The distinguishing labels of *layouts*, per layout in *order*, each in reading order.

    A label is evidence when some layout's tables do not contain its :func:`core`
    (as a substring: that is how it is looked for in a report's text).
    """
    from gklint.normalize import norm_label

    written = {lid: _written(layouts[lid]) for lid in order}
    out: list[Evidence] = []
    seen: set[str] = set()
    for lid in order:
        for label in _labels(layouts[lid]):
            text = core(label)
            needle = norm_label(text)
            if len(needle) < 2 or needle in seen:
                continue
            having = frozenset(other for other in order if needle in written[other])
            if len(having) == len(order):
                continue
            seen.add(needle)
            owners = tuple(h for h in order if h in having and not set(ancestors(layouts, h)) & having)
            out.append(Evidence(text, needle, having, owners))
    return tuple(out)


def newest_first(data: StandardData) -> list[str]:
    """Layout ids, newest first (the order templates are tried in when nothing tells them apart)."""
    return sorted(data.layouts, reverse=True)


def layout_evidence(data: StandardData) -> tuple[Evidence, ...]:
    """:func:`derive_evidence` of *data*'s layouts, computed once per :class:`StandardData`."""
    build: Callable[[StandardData], tuple[Evidence, ...]] = lambda d: derive_evidence(d.layouts, newest_first(d))  # noqa: E731
    return data.derived("layout-evidence", build)
