"""The standard as data: load and validate the TOML files of ``rules/`` and of data packs.

The national standard (``gklint.rules``, the top-level ``rules/`` folder of the
repository) and every plugin's ``gklint_data_files`` are merged into one
:class:`StandardData`.  A mistake in a file raises :class:`DataError` naming
the file, the key and what was expected, in Chinese and English.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from gklint import tomlcache
from gklint.findings import Message, _FrozenRecord, _Record
from gklint.layouts import LAYOUT_KEYS, RawLayout, resolve_layouts
from gklint.schema import (
    ArrayOf,
    Bilingual,
    Bool,
    Choice,
    Int,
    MapOf,
    Table,
    Text,
    Texts,
    Where,
    in_file,
)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

T = TypeVar("T")

__all__ = [
    "DataError",
    "data_error",
    "IdentitySpec",
    "LayoutSpec",
    "RowSpec",
    "SectionSpec",
    "StandardData",
    "TableSpec",
    "load_standard_data",
    "national_data_files",
    "package_files",
]


class DataError(Exception):
    """A data file is malformed.  ``message`` names the file, the key and the expectation."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


# The records below write their __init__ out (repr and eq come from gklint.findings._Record):
# generated methods make every start slower, measured by benchmarks/bench_coldstart.py.
@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class SectionSpec(_FrozenRecord):
    """A section of a layout: key, number (``一``), title, accepted variants."""

    key: str
    number: str
    title: str
    variants: tuple[str, ...] = ()
    required: bool = True
    content_required: bool = False
    table: str | None = None

    def __init__(self, key: str, number: str, title: str, variants: tuple[str, ...] = (), required: bool = True,
                 content_required: bool = False, table: str | None = None) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "number", number)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "variants", variants)
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "content_required", content_required)
        object.__setattr__(self, "table", table)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class ColumnSpec(_FrozenRecord):
    """A table column: id, label, accepted variants; ``signed`` / ``decimal`` values allowed.

    ``evidence`` is false for a label that does not tell its layout from others
    (reports of other layouts write it too): see :mod:`gklint.layouts`.
    """

    id: str
    label: str
    signed: bool = False
    decimal: bool = False
    variants: tuple[str, ...] = ()
    evidence: bool = True

    def __init__(self, id: str, label: str, signed: bool = False, decimal: bool = False,
                 variants: tuple[str, ...] = (), evidence: bool = True) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "signed", signed)
        object.__setattr__(self, "decimal", decimal)
        object.__setattr__(self, "variants", variants)
        object.__setattr__(self, "evidence", evidence)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class RowSpec(_FrozenRecord):
    """A table row: id, label, accepted variants, its group and (table 2) block (``evidence``: as for a column)."""

    id: str
    label: str
    group: str = ""  # id of the group row
    group_only: bool = False  # a group label with no numbers of its own
    variants: tuple[str, ...] = ()
    block: str = ""  # table 2 block id
    columns: tuple[ColumnSpec, ...] = ()  # the row's data columns (table 2 blocks differ)
    evidence: bool = True

    def __init__(self, id: str, label: str, group: str = "", group_only: bool = False, variants: tuple[str, ...] = (),
                 block: str = "", columns: tuple[ColumnSpec, ...] = (), evidence: bool = True) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "group_only", group_only)
        object.__setattr__(self, "variants", variants)
        object.__setattr__(self, "block", block)
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "evidence", evidence)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class BlockSpec(_FrozenRecord):
    """A block of table 2: its caption, columns and rows."""

    id: str
    caption: str
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]

    def __init__(self, id: str, caption: str, columns: tuple[ColumnSpec, ...], rows: tuple[RowSpec, ...]) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "caption", caption)
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "rows", rows)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class TableSpec(_FrozenRecord):
    """A table of a layout: header labels, columns, rows in reading order, blocks (table 2)."""

    id: str
    title: str
    section: str
    header_labels: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]  # in reading order; table 2 rows carry their block
    blocks: tuple[BlockSpec, ...] = ()
    # Look-up tables built once (rules ask for rows thousands of times per report).
    _data_rows: tuple[RowSpec, ...] = field(default=(), init=False, repr=False, compare=False)
    _by_key: dict[str, RowSpec] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __init__(self, id: str, title: str, section: str, header_labels: tuple[str, ...], columns: tuple[ColumnSpec, ...],
                 rows: tuple[RowSpec, ...], blocks: tuple[BlockSpec, ...] = ()) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "header_labels", header_labels)
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "blocks", blocks)
        self.__post_init__()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_data_rows", tuple(r for r in self.rows if not r.group_only))
        by_key: dict[str, RowSpec] = {}
        for r in self.rows:  # the first row with that id or label wins, as in a scan
            by_key.setdefault(r.id, r)
            by_key.setdefault(r.label, r)
        object.__setattr__(self, "_by_key", by_key)

    def data_rows(self) -> tuple[RowSpec, ...]:
        return self._data_rows

    def row(self, key: str) -> RowSpec | None:
        return self._by_key.get(key)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class IdentitySpec(_FrozenRecord):
    """An arithmetic identity (勾稽关系) over table cells.

    ``kind`` is ``"column"`` (for every column C: sum of ``lhs`` rows == sum of
    ``rhs`` rows), ``"row"`` (for every data row: sum of ``lhs`` columns == sum of
    ``rhs`` columns) or ``"cells"`` (explicit ``"row|column"`` terms).
    """

    id: str
    table: str
    kind: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    description: Message
    status: str = "implied"
    layouts: tuple[str, ...] = ()  # empty: the layout file it came from (or all, for packs)
    source: str = ""  # file it came from

    def __init__(self, id: str, table: str, kind: str, lhs: tuple[str, ...], rhs: tuple[str, ...],
                 description: Message, status: str = "implied", layouts: tuple[str, ...] = (),
                 source: str = "") -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "lhs", lhs)
        object.__setattr__(self, "rhs", rhs)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "layouts", layouts)
        object.__setattr__(self, "source", source)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class LayoutSpec(_FrozenRecord):
    """A report format: the years it applies to, sections, tables, identities (one file of ``rules/layouts/``).

    ``extends`` is the id of the layout it was derived from (:mod:`gklint.layouts`; empty for a
    layout stated whole); ``short_name`` names it in reports (``2021 年版格式（…）``); ``notice``
    is the title of the notice that issued it, as a report cites it.
    """

    id: str
    name: str
    basis: str
    first_year: int
    last_year: int
    sections: tuple[SectionSpec, ...]
    tables: Mapping[str, TableSpec]
    identities: tuple[IdentitySpec, ...]
    source: str = ""
    extends: str = ""
    short_name: Message | None = None
    notice: str = ""

    def __init__(self, id: str, name: str, basis: str, first_year: int, last_year: int,
                 sections: tuple[SectionSpec, ...], tables: Mapping[str, TableSpec],
                 identities: tuple[IdentitySpec, ...], source: str = "", extends: str = "",
                 short_name: Message | None = None, notice: str = "") -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "basis", basis)
        object.__setattr__(self, "first_year", first_year)
        object.__setattr__(self, "last_year", last_year)
        object.__setattr__(self, "sections", sections)
        object.__setattr__(self, "tables", tables)
        object.__setattr__(self, "identities", identities)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "extends", extends)
        object.__setattr__(self, "short_name", short_name)
        object.__setattr__(self, "notice", notice)

    def section(self, key: str) -> SectionSpec | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None


@dataclass(frozen=True)
class Provenance:
    """Which plugin each data file came from, for findings produced from a pack's data.

    :ivar origins: data file (as named in :attr:`StandardData.files`) -> plugin name.
    :ivar packs: the plugins that are rule packs (not gklint's own); their findings carry their name.
    :ivar severities: pack -> its merged ``[severity]`` table, applied to its own rules and to the
        findings produced from its own data only.
    """

    origins: Mapping[str, str] = field(default_factory=dict)
    packs: frozenset[str] = frozenset()
    severities: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def pack_of(self, origin: str) -> str:
        """The pack a data file belongs to (``""`` for gklint's own files)."""
        plugin = self.origins.get(origin, "")
        return plugin if plugin in self.packs else ""

    def severity(self, pack: str, rule_id: str) -> str | None:
        """*pack*'s ``[severity]`` for *rule_id* (longest matching id or prefix), ``None`` if it sets none."""
        table = self.severities.get(pack) or {}
        matches = [k for k in table if k == "ALL" or rule_id.startswith(k)]
        if not matches:
            return None
        return table[max(matches, key=lambda k: 0 if k == "ALL" else len(k))]


@dataclass(slots=True, init=False, repr=False, eq=False)
class StandardData(_Record):
    """Everything the standard says, merged from all data files.

    ``extra`` keeps the other top-level tables (``citations``, ``contact``, ...)
    as lists of ``(source_file, value)`` so the rule families that own those
    keys can validate and interpret them.
    """

    layouts: dict[str, LayoutSpec] = field(default_factory=dict)
    extra_identities: list[IdentitySpec] = field(default_factory=list)
    extra: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: which plugin each file came from (set by the linter; ``None``: every file is the standard's)
    provenance: Provenance | None = field(default=None, repr=False, compare=False)

    def __init__(self, layouts: dict[str, LayoutSpec] | None = None, extra_identities: list[IdentitySpec] | None = None,
                 extra: dict[str, list[tuple[str, Any]]] | None = None, files: list[str] | None = None,
                 _derived: dict[str, Any] | None = None, provenance: Provenance | None = None) -> None:
        self.layouts = {} if layouts is None else layouts
        self.extra_identities = [] if extra_identities is None else extra_identities
        self.extra = {} if extra is None else extra
        self.files = [] if files is None else files
        self._derived = {} if _derived is None else _derived
        self.provenance = provenance

    def derived(self, key: str, build: Callable[[StandardData], T]) -> T:
        """``build(self)``, computed once and kept on this object (so it lives and dies with it).

        Rule families use it for what they compile from the data: registries, regexes.
        """
        try:
            return self._derived[key]
        except KeyError:
            value = build(self)
            self._derived[key] = value
            return value

    def layout_for_year(self, year: int | None) -> LayoutSpec | None:
        """The layout for reports of *year*: of those whose years include it, the one that starts latest
        (a layout that extends another usually replaces it from some year on)."""
        if year is None:
            return None
        best: LayoutSpec | None = None
        for layout in self.layouts.values():
            if layout.first_year <= year <= layout.last_year and (best is None or layout.first_year > best.first_year):
                best = layout
        return best

    def identities(self, layout_id: str) -> list[IdentitySpec]:
        layout = self.layouts.get(layout_id)
        own = list(layout.identities) if layout else []
        return own + [i for i in self.extra_identities if not i.layouts or layout_id in i.layouts]

    def items(self, key: str) -> list[tuple[str, Any]]:
        return self.extra.get(key, [])


def data_error(path: str, key: str, zh: str, en: str) -> DataError:
    """The error for a bad *key* of data file *path*: what was expected, in Chinese and English."""
    return DataError(Message(f"{path}: 键 {key}：{zh}", f"{path}: key {key}: {en}"))


# -- the layout files' schema ---------------------------------------------------------------------------


_TEXTS = Texts(default=())
_ID = Text(required=True)
_YEAR = Int(required=True, noun=Message("整数年份", "a year as an integer"))
COLUMN = Table({"id": _ID, "label": Text(required=True), "signed": Bool(default=False), "decimal": Bool(default=False),
                "variants": _TEXTS, "evidence": Bool(default=True)})
ROW = Table({"id": _ID, "label": Text(required=True), "group": Text(default=""), "group_only": Bool(default=False),
             "variants": _TEXTS, "evidence": Bool(default=True)})
BLOCK = Table({"id": _ID, "caption": Text(required=True), "columns": ArrayOf(COLUMN, required=True),
               "rows": ArrayOf(ROW, required=True)})


def _columns_and_rows(values: dict[str, Any], at: Where) -> None:
    """A table without blocks states its columns and rows."""
    if "blocks" not in values:
        for name in ("columns", "rows"):
            if name not in values:
                raise at.dialect.missing(at.child(name).key, TABLE.fields[name].describe(at.child(name)))


TABLE = Table({"title": Text(required=True), "section": Text(required=True), "header_labels": _TEXTS,
               "columns": ArrayOf(COLUMN), "rows": ArrayOf(ROW), "blocks": ArrayOf(BLOCK)}, check=_columns_and_rows)
SECTION = Table({"key": Text(required=True), "number": Text(required=True), "title": Text(required=True),
                 "variants": _TEXTS, "required": Bool(default=True), "content_required": Bool(default=False),
                 "table": Text(default=None)})
IDENTITY = Table({"id": _ID, "table": Text(required=True), "kind": Choice("column", "row", "cells", default="cells"),
                  "lhs": _TEXTS, "rhs": _TEXTS, "description": Bilingual(default=Message("", "")),
                  "status": Text(default="implied"), "layouts": _TEXTS})
LAYOUT = Table({
    "layout": Table({"id": Text(required=True), "name": Text(required=True), "basis": Text(required=True),
                     "first_year": _YEAR, "last_year": _YEAR, "extends": Text(default=""),
                     "short_name": Bilingual(default=None), "notice": Text(default="")}, required=True),
    "sections": ArrayOf(SECTION, default=[]),
    "tables": MapOf(TABLE, default={}),
    "identities": ArrayOf(IDENTITY, default=[]),
})


def _columns(raw: list[dict[str, Any]]) -> tuple[ColumnSpec, ...]:
    return tuple(ColumnSpec(c["id"], c["label"], c["signed"], c["decimal"], c["variants"], c["evidence"]) for c in raw)


def _rows(raw: list[dict[str, Any]], columns: tuple[ColumnSpec, ...], block: str = "") -> list[RowSpec]:
    return [RowSpec(r["id"], r["label"], r["group"], r["group_only"], r["variants"], block, columns, r["evidence"])
            for r in raw]


def _table(tid: str, raw: dict[str, Any]) -> TableSpec:
    if "blocks" in raw:
        blocks = []
        rows: list[RowSpec] = []
        all_cols: dict[str, ColumnSpec] = {}
        for b in raw["blocks"]:
            cols = _columns(b["columns"])
            brows = _rows(b["rows"], cols, block=b["id"])
            blocks.append(BlockSpec(b["id"], b["caption"], cols, tuple(brows)))
            rows.extend(brows)
            for c in cols:
                all_cols.setdefault(c.id, c)
        return TableSpec(tid, raw["title"], raw["section"], raw["header_labels"], tuple(all_cols.values()), tuple(rows),
                         tuple(blocks))
    cols = _columns(raw["columns"])
    return TableSpec(tid, raw["title"], raw["section"], raw["header_labels"], cols, tuple(_rows(raw["rows"], cols)))


def _identity(raw: dict[str, Any], path: str, layout: str | None) -> IdentitySpec:
    return IdentitySpec(id=raw["id"], table=raw["table"], kind=raw["kind"], lhs=raw["lhs"], rhs=raw["rhs"],
                        description=raw["description"], status=raw["status"],
                        layouts=raw["layouts"] or ((layout,) if layout else ()), source=path)


def _layout(doc: Mapping[str, Any], path: str) -> LayoutSpec:
    values = LAYOUT.parse(doc, in_file(path))
    head = values["layout"]
    tables = {tid: _table(tid, raw) for tid, raw in values["tables"].items()}
    identities = tuple(_identity(raw, path, head["id"]) for raw in values["identities"])
    for ident in identities:
        if ident.table not in tables:
            raise in_file(path, f"identities.{ident.id}.table").error(f"没有表 {ident.table}", f"no table {ident.table}")
    sections = tuple(SectionSpec(s["key"], s["number"], s["title"], s["variants"], s["required"], s["content_required"],
                                 s["table"]) for s in values["sections"])
    return LayoutSpec(head["id"], head["name"], head["basis"], head["first_year"], head["last_year"], sections, tables,
                      identities, path, extends=head["extends"], short_name=head["short_name"], notice=head["notice"])


def _read_toml(file: Path | Traversable) -> tuple[str, str, dict[str, Any]]:
    """The file's name, text and parsed TOML."""
    name = str(file)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise DataError(Message(f"{name}: 无法读取数据文件（{exc}）", f"{name}: cannot read data file ({exc})")) from None
    try:
        text = raw.decode("utf-8")
        return name, text, tomlcache.load(file, text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(Message(f"{name}: 不是有效的 UTF-8 TOML 文件（{exc}）", f"{name}: not a valid UTF-8 TOML file ({exc})")) from None


def package_files(name: str) -> Traversable:
    """``importlib.resources.files(name)``, without importing :mod:`importlib.resources` for a package on disk."""
    loader = getattr(importlib.import_module(name).__spec__, "loader", None)
    if isinstance(loader, importlib.machinery.SourceFileLoader | importlib.machinery.SourcelessFileLoader):
        return Path(loader.path).parent  # what the loader's resource reader answers
    from importlib import resources

    return resources.files(name)


def national_data_files() -> list[Traversable]:
    """The TOML files of the national standard shipped as ``gklint.rules``.

    Installed, that is the top-level ``rules/`` folder of the repository mapped
    into the package.  Run from a source checkout without installing
    (``python -m gklint`` in the repository), the folder itself is used.
    """
    root: Traversable
    try:
        root = package_files("gklint.rules")
    except ModuleNotFoundError:
        checkout = Path(__file__).resolve().parent.parent / "rules"
        if not checkout.is_dir():
            raise
        root = checkout
    found: list[Traversable] = []

    def walk(node: Traversable) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                walk(child)
            elif child.name.endswith(".toml"):
                found.append(child)

    walk(root)
    return found


def load_standard_data(files: Iterable[Path | Traversable]) -> StandardData:
    """Load and merge data files; raise :class:`DataError` on the first malformed one."""
    data = StandardData()
    layout_files: list[RawLayout] = []
    for file in files:
        name, text, doc = _read_toml(file)
        data.files.append(name)
        if "layout" in doc:
            if not isinstance(doc["layout"], Mapping):
                raise in_file(name, "layout").expected(LAYOUT.fields["layout"].noun, doc["layout"])
            layout_files.append(RawLayout(name, text, doc))
            rest = {k: v for k, v in doc.items() if k not in LAYOUT_KEYS}
        else:
            identities = ArrayOf(IDENTITY, default=[]).parse(doc.get("identities", []), in_file(name, "identities"))
            data.extra_identities.extend(_identity(raw, name, None) for raw in identities)
            rest = {k: v for k, v in doc.items() if k != "identities"}
        for key, value in rest.items():
            data.extra.setdefault(key, []).append((name, value))
    for raw, whole in resolve_layouts(layout_files):
        layout = _layout(whole, raw.path)
        data.layouts[layout.id] = layout
    from gklint.variants import apply_variants  # here: variants builds on this module's types

    apply_variants(data)
    return data
