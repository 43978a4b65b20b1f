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

from gklint.findings import Message, _FrozenRecord, _Record
from gklint.layouts import LAYOUT_KEYS, RawLayout, resolve_layouts

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

T = TypeVar("T")

__all__ = [
    "DataError",
    "data_error",
    "table_array",
    "IdentitySpec",
    "LayoutSpec",
    "RowSpec",
    "SectionSpec",
    "StandardData",
    "TableSpec",
    "load_standard_data",
    "national_data_files",
]


class DataError(Exception):
    """A data file is malformed.  ``message`` names the file, the key and the expectation."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


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


_err = data_error


def table_array(value: Any, path: str, key: str, fields: tuple[str, ...]) -> list[Mapping[str, Any]]:
    """*value* as a ``[[key]]`` array of tables whose fields are all among *fields*."""
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise data_error(path, key, f"应写成 [[{key}]] 表数组", f"expected an array of tables [[{key}]]")
    for i, raw in enumerate(value):
        for name in raw:
            if name not in fields:
                raise data_error(path, f"{key}[{i}].{name}", f"未知字段，可用字段：{', '.join(fields)}",
                                 f"unknown field, expected one of {', '.join(fields)}")
    return value


def _str(d: Mapping[str, Any], key: str, path: str, where: str, default: str | None = None) -> str:
    value = d.get(key, default)
    if not isinstance(value, str):
        raise _err(path, f"{where}.{key}", "应为字符串", "expected a string")
    return value


def _strs(d: Mapping[str, Any], key: str, path: str, where: str) -> tuple[str, ...]:
    value = d.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _err(path, f"{where}.{key}", "应为字符串列表", "expected a list of strings")
    return tuple(value)


def _message(d: Any, path: str, where: str) -> Message:
    if isinstance(d, str):
        return Message(d, d)
    if isinstance(d, Mapping) and isinstance(d.get("zh"), str):
        return Message(d["zh"], d.get("en", d["zh"]))
    raise _err(path, where, "应为 {zh = \"…\", en = \"…\"}", 'expected {zh = "...", en = "..."}')


def _columns(raw: Any, path: str, where: str) -> tuple[ColumnSpec, ...]:
    if not isinstance(raw, list):
        raise _err(path, where, "应为列定义列表", "expected a list of columns")
    out = []
    for i, c in enumerate(raw):
        w = f"{where}[{i}]"
        if not isinstance(c, Mapping):
            raise _err(path, w, "应为表 {id, label}", "expected a table {id, label}")
        out.append(
            ColumnSpec(
                id=_str(c, "id", path, w),
                label=_str(c, "label", path, w),
                signed=bool(c.get("signed", False)),
                decimal=bool(c.get("decimal", False)),
                variants=_strs(c, "variants", path, w),
                evidence=bool(c.get("evidence", True)),
            )
        )
    return tuple(out)


def _rows(raw: Any, path: str, where: str, columns: tuple[ColumnSpec, ...], block: str = "") -> list[RowSpec]:
    if not isinstance(raw, list):
        raise _err(path, where, "应为行定义列表", "expected a list of rows")
    out = []
    for i, r in enumerate(raw):
        w = f"{where}[{i}]"
        if not isinstance(r, Mapping):
            raise _err(path, w, "应为表 {id, label}", "expected a table {id, label}")
        out.append(
            RowSpec(
                id=_str(r, "id", path, w),
                label=_str(r, "label", path, w),
                group=_str(r, "group", path, w, ""),
                group_only=bool(r.get("group_only", False)),
                variants=_strs(r, "variants", path, w),
                block=block,
                columns=columns,
                evidence=bool(r.get("evidence", True)),
            )
        )
    return out


def _table(tid: str, raw: Mapping[str, Any], path: str) -> TableSpec:
    where = f"tables.{tid}"
    header = _strs(raw, "header_labels", path, where)
    if "blocks" in raw:
        blocks = []
        rows: list[RowSpec] = []
        all_cols: dict[str, ColumnSpec] = {}
        for i, b in enumerate(raw["blocks"]):
            w = f"{where}.blocks[{i}]"
            cols = _columns(b.get("columns"), path, f"{w}.columns")
            brows = _rows(b.get("rows"), path, f"{w}.rows", cols, block=_str(b, "id", path, w))
            blocks.append(BlockSpec(_str(b, "id", path, w), _str(b, "caption", path, w), cols, tuple(brows)))
            rows.extend(brows)
            for c in cols:
                all_cols.setdefault(c.id, c)
        return TableSpec(tid, _str(raw, "title", path, where), _str(raw, "section", path, where), header,
                         tuple(all_cols.values()), tuple(rows), tuple(blocks))
    cols = _columns(raw.get("columns"), path, f"{where}.columns")
    return TableSpec(tid, _str(raw, "title", path, where), _str(raw, "section", path, where), header, cols,
                     tuple(_rows(raw.get("rows"), path, f"{where}.rows", cols)))


def _identity(raw: Any, path: str, where: str, layout: str | None) -> IdentitySpec:
    if not isinstance(raw, Mapping):
        raise _err(path, where, "应为表", "expected a table")
    kind = _str(raw, "kind", path, where, "cells")
    if kind not in ("column", "row", "cells"):
        raise _err(path, f"{where}.kind", "应为 column、row 或 cells", "expected column, row or cells")
    layouts = _strs(raw, "layouts", path, where) or ((layout,) if layout else ())
    return IdentitySpec(
        id=_str(raw, "id", path, where),
        table=_str(raw, "table", path, where),
        kind=kind,
        lhs=_strs(raw, "lhs", path, where),
        rhs=_strs(raw, "rhs", path, where),
        description=_message(raw.get("description", ""), path, f"{where}.description"),
        status=_str(raw, "status", path, where, "implied"),
        layouts=layouts,
        source=path,
    )


def _layout(doc: Mapping[str, Any], path: str) -> LayoutSpec:
    head = doc["layout"]
    lid = _str(head, "id", path, "layout")
    sections = []
    for i, s in enumerate(doc.get("sections", [])):
        w = f"sections[{i}]"
        sections.append(
            SectionSpec(
                key=_str(s, "key", path, w),
                number=_str(s, "number", path, w),
                title=_str(s, "title", path, w),
                variants=_strs(s, "variants", path, w),
                required=bool(s.get("required", True)),
                content_required=bool(s.get("content_required", False)),
                table=s.get("table"),
            )
        )
    tables = {tid: _table(tid, raw, path) for tid, raw in doc.get("tables", {}).items()}
    identities = tuple(_identity(r, path, f"identities[{i}]", lid) for i, r in enumerate(doc.get("identities", [])))
    for ident in identities:
        if ident.table not in tables:
            raise _err(path, f"identities.{ident.id}.table", f"没有表 {ident.table}", f"no table {ident.table}")
    first = head.get("first_year")
    last = head.get("last_year")
    if not isinstance(first, int) or not isinstance(last, int):
        raise _err(path, "layout.first_year/last_year", "应为整数年份", "expected integer years")
    short = head.get("short_name")
    return LayoutSpec(lid, _str(head, "name", path, "layout"), _str(head, "basis", path, "layout"), first, last,
                      tuple(sections), tables, identities, path, extends=_str(head, "extends", path, "layout", ""),
                      short_name=None if short is None else _message(short, path, "layout.short_name"),
                      notice=_str(head, "notice", path, "layout", ""))


def _read_toml(file: Path | Traversable) -> tuple[str, str, dict[str, Any]]:
    """The file's name, text and parsed TOML."""
    name = str(file)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise DataError(Message(f"{name}: 无法读取数据文件（{exc}）", f"{name}: cannot read data file ({exc})")) from None
    try:
        text = raw.decode("utf-8")
        return name, text, tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(Message(f"{name}: 不是有效的 UTF-8 TOML 文件（{exc}）", f"{name}: not a valid UTF-8 TOML file ({exc})")) from None


def _package_files(name: str) -> Traversable:
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
        root = _package_files("gklint.rules")
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
                raise _err(name, "layout", "应为表", "expected a table")
            layout_files.append(RawLayout(name, text, doc))
            rest = {k: v for k, v in doc.items() if k not in LAYOUT_KEYS}
        else:
            for i, raw in enumerate(doc.get("identities", [])):
                data.extra_identities.append(_identity(raw, name, f"identities[{i}]", None))
            rest = {k: v for k, v in doc.items() if k != "identities"}
        for key, value in rest.items():
            data.extra.setdefault(key, []).append((name, value))
    for raw, whole in resolve_layouts(layout_files):
        layout = _layout(whole, raw.path)
        data.layouts[layout.id] = layout
    from gklint.variants import apply_variants  # here: variants builds on this module's types

    apply_variants(data)
    return data
