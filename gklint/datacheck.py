"""Load the data files of every plugin once, validate them up front, leave out bad ones.

:func:`load_data` merges the plugins' data files (:func:`gklint.data.load_standard_data`)
and asks every plugin implementing ``gklint_validate_data`` to validate the keys
it owns, so a malformed data pack is reported once, before any document is
read, instead of as a rule crash per document.  When something is wrong the
files are added one at a time (in load order) to find the one at fault; it is
left out with one notification naming the plugin, the file, the line (best
effort) and the key, and the run goes on (exit code 2).

The core owns these data keys besides the layouts and ``[[identities]]``:
``[severity]`` (default severities, see :func:`apply_data_severities`), the
variant tables of :mod:`gklint.variants`, ``[agency-names]`` (:mod:`gklint.identity`) and ``[period]`` (:mod:`gklint.facts`).  A top-level key in a pack's data file
that no loaded plugin owns is a mistake (usually a misspelling).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from gklint.config import Selector
from gklint.data import DataError, StandardData, data_error, load_standard_data
from gklint.facts import PERIOD_KEY, validate_period_data
from gklint.findings import Message, Notification, Severity
from gklint.identity import DATA_KEY as AGENCY_NAMES_KEY
from gklint.identity import agency_names_schema
from gklint.lazyre import lazy
from gklint.plugins import CORE_PLUGIN, PLUGIN_FAILURES, exception_text, reraise_user_interrupt
from gklint.schema import Choice, MapOf, parse_items
from gklint.variants import KEYS as VARIANT_KEYS

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from gklint.config import Config
    from gklint.plugins import PluginSet
    from gklint.rule import Rule

__all__ = ["CORE_KEYS", "apply_data_severities", "data_severities", "key_line", "load_data"]

CORE_KEYS = ("severity", AGENCY_NAMES_KEY, PERIOD_KEY, *VARIANT_KEYS)
_SEVERITIES = ("error", "warning", "info", "off")
_LINE_IN_PATH = lazy(r":[0-9]+$")
_KEY_IN_MESSAGE = lazy(r"^(?P<path>.*?): (?:键|key) (?P<key>(?:[^\s：:（]|（[^）]*）)+)")

DataFile: TypeAlias = "Path | Traversable"



# -- default severities ------------------------------------------------------------------


#: A data file's ``[severity]``: default severities of rules, by id or prefix.
SEVERITY = MapOf(Choice(*_SEVERITIES), key=Selector(normalize=False))


def _check_core_keys(data: StandardData) -> None:
    """Validate the data keys the core owns besides layouts, identities and variants."""
    parse_items(data, "severity", SEVERITY)
    parse_items(data, AGENCY_NAMES_KEY, agency_names_schema())
    validate_period_data(data)


def data_severities(data: StandardData) -> dict[str, str]:
    """The merged ``[severity]`` tables of *data* (a later file wins for the same key)."""
    out: dict[str, str] = {}
    for _, table in data.items("severity"):
        if isinstance(table, Mapping):
            out.update({k: v for k, v in table.items() if isinstance(v, str)})
    return out


def apply_data_severities(rules: Mapping[str, Rule], data: StandardData, config: Config,
                          rule_plugins: Mapping[str, str] | None = None) -> dict[str, Rule]:
    """*rules* with the default severities set by data files.

    The longest matching id or prefix of the data's ``[severity]`` decides the
    rule's default; the user's ``[tool.gklint.severity]`` is applied later and
    still wins.  ``"off"`` leaves the rule out unless the user's configuration
    gives it a severity.  When *data* knows its :attr:`~gklint.data.StandardData.provenance`,
    a rule pack's ``[severity]`` sets the defaults of that pack's own rules only
    (the engine applies it to findings from the pack's data).
    """
    prov = data.provenance
    if prov is None:
        tables = {"": data_severities(data)}
    else:
        tables = {}
        for path, table in data.items("severity"):
            if isinstance(table, Mapping):
                tables.setdefault(prov.pack_of(path), {}).update({k: v for k, v in table.items() if isinstance(v, str)})
    if not any(tables.values()):
        return dict(rules)
    owners = rule_plugins or {}
    out: dict[str, Rule] = {}
    for rule_id, rule in rules.items():
        plugin = owners.get(rule_id, "")
        table = {**tables.get("", {}), **(tables.get(plugin, {}) if plugin else {})}
        matches = [k for k in table if k == "ALL" or rule_id.startswith(k)]
        if not matches:
            out[rule_id] = rule
            continue
        value = table[max(matches, key=lambda k: 0 if k == "ALL" else len(k))]
        if value == "off":
            if any(k == "ALL" or rule_id.startswith(k) for k in config.severity):
                out[rule_id] = rule
            continue
        out[rule_id] = dataclasses.replace(rule, severity=Severity(value))
    return out


# -- line numbers ------------------------------------------------------------------------------


_PART = lazy(r"^(?P<name>[^\[（]+)?(?:\[(?P<index>[0-9]+)\])?(?:（key = (?P<entry>[^）]+)）)?$")


def key_line(text: str, key: str) -> int | None:
    """The 1-based line of *key* (``citations[3].numbers``, ``contact.area_codes``) in TOML *text*.

    Best effort: tomllib keeps no positions, so the key is looked for in the text.
    """
    lines = text.splitlines()
    cursor, found = 0, False
    parts = [p for p in key.split(".") if p]
    for depth, part in enumerate(parts):
        m = _PART.match(part)
        if m is None:
            break
        name, index, entry = m["name"] or "", m["index"], m["entry"]
        hit = None
        if depth == 0 and name:
            pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
            arrays = [i for i, line in enumerate(lines) if pattern.match(line)]
            if arrays:
                hit = arrays[int(index)] if index is not None and int(index) < len(arrays) else arrays[0]
            else:
                table = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*[\].]|^\s*{re.escape(name)}\s*=")
                hit = next((i for i, line in enumerate(lines) if table.match(line)), None)
        elif name:
            field = re.compile(rf'^\s*(?:{re.escape(name)}|"{re.escape(name)}")\s*=|^\s*\[[^\]]*\.{re.escape(name)}\]')
            hit = next((i for i in range(cursor, len(lines)) if field.match(lines[i])), None)
            if hit is None:  # identities.T3-x.lhs: an entry named by its id
                named = re.compile(rf'^\s*(?:id|key)\s*=\s*["\']{re.escape(name)}["\']')
                hit = next((i for i in range(cursor, len(lines)) if named.match(lines[i])), None)
        if entry is not None:
            marker = re.compile(rf'^\s*key\s*=\s*["\']{re.escape(entry)}["\']')
            hit = next((i for i in range(hit or cursor, len(lines)) if marker.match(lines[i])), hit)
        if hit is None:
            break
        cursor, found = hit, True
    return cursor + 1 if found else None


# -- loading ------------------------------------------------------------------------------------


class _Run:
    """One :func:`load_data`: ``owners`` maps file name -> plugin name."""

    def __init__(self, ps: PluginSet, owners: dict[str, str], notes: list[Notification]) -> None:
        self.ps = ps
        self.owners = owners
        self.notes = notes
        self.failed_hooks: set[str] = set()


def _validate(run: _Run, data: StandardData) -> None:
    """Run every ``gklint_validate_data`` and the core checks; raise :class:`DataError`."""
    ps = run.ps
    order = {info.name: i for i, info in enumerate(ps.plugins)}
    owned = set(CORE_KEYS)
    impls = ps.pm.hook.gklint_validate_data.get_hookimpls()
    for impl in sorted(impls, key=lambda i: order.get(i.plugin_name, len(order))):
        if impl.plugin_name in run.failed_hooks:
            continue
        try:
            result = impl.function(**{name: data for name in impl.argnames if name == "data"})
            if result is not None and not isinstance(result, list | tuple | set | frozenset):
                raise TypeError(f"expected a list of data keys, got {type(result).__name__}")
            keys = [str(k) for k in result or ()]
        except DataError:
            raise
        except PLUGIN_FAILURES as exc:
            reraise_user_interrupt(exc)
            text = exception_text(exc)
            run.failed_hooks.add(impl.plugin_name)
            run.notes.append(Notification(
                kind="plugin-load",
                message=Message(f"插件 {impl.plugin_name} 的 gklint_validate_data 钩子出错：{text}；未校验它读取的数据",
                                f"plugin {impl.plugin_name} raised in gklint_validate_data: {text}; its data is not validated"),
                plugin=impl.plugin_name, exception=text))
            continue
        owned.update(keys)
    _check_core_keys(data)
    for key, items in data.extra.items():
        if key in owned:
            continue
        for path, _ in items:
            if run.owners.get(path, CORE_PLUGIN) == CORE_PLUGIN:
                continue  # the national files: a key of a disabled national family
            from difflib import get_close_matches

            close = get_close_matches(key, sorted(owned), n=1)
            hint = (f"（是否想写 {close[0]}？）", f" (did you mean {close[0]}?)") if close else ("", "")
            raise data_error(path, key, f"没有已加载的插件读取这个键{hint[0]}；请检查拼写，或读取它的插件是否已安装、未被禁用",
                       f"no loaded plugin reads this key{hint[1]}; check the spelling, or whether the plugin "
                       "that reads it is installed and not disabled")


def _read_text(file: DataFile) -> str:
    try:
        return file.read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def _bad_file(run: _Run, plugin: str, file: DataFile, exc: DataError) -> Notification:
    zh, en = exc.message.zh, exc.message.en
    m = _KEY_IN_MESSAGE.match(en)
    line = key_line(_read_text(file), m["key"]) if m else None
    if m and line is not None and not _LINE_IN_PATH.search(m["path"]):  # (a layout file's errors name their line)
        path = m["path"]
        zh = zh.replace(f"{path}:", f"{path}:{line}:", 1)
        en = en.replace(f"{path}:", f"{path}:{line}:", 1)
    return Notification(
        kind="plugin-load",
        message=Message(f"插件 {plugin} 的数据文件有误，已忽略该文件（其余数据和规则照常使用）：{zh}",
                        f"plugin {plugin}: bad data file, left out (the other data and rules still apply): {en}"),
        plugin=plugin,
        path=str(file),
        extra={"line": line} if line is not None else {},
    )


def _merge(run: _Run, files: list[tuple[str, DataFile]]) -> StandardData:
    data = load_standard_data(f for _, f in files)
    _validate(run, data)
    return data


def _culprit(run: _Run, files: list[tuple[str, DataFile]], exc: DataError) -> tuple[str, DataFile] | None:
    """The file *exc* is about: the one its message names, else the one whose removal fixes the data."""
    for item in files:
        if exc.message.en.startswith(f"{item[1]}:"):
            return item
    for item in sorted(files, key=lambda i: (i[0] == CORE_PLUGIN, -files.index(i))):  # packs, last loaded first
        try:
            _merge(run, [f for f in files if f is not item])
        except DataError:
            continue
        return item
    return None


def load_data(ps: PluginSet) -> tuple[StandardData, list[Notification]]:
    """Merge and validate every plugin's data files; a bad file is reported and left out.

    :returns: the merged data and the notifications (bad files, failing validation hooks).
    """
    files = list(ps.data_files)
    run = _Run(ps, {str(f): plugin for plugin, f in files}, [])
    try:
        return _merge(run, files), run.notes
    except DataError:
        pass
    good: list[tuple[str, DataFile]] = []
    for plugin, file in files:  # syntax and the core schema, one file at a time (after the good ones: a layout's parent)
        try:
            load_standard_data([*(f for _, f in good), file])
        except DataError as exc:
            run.notes.append(_bad_file(run, plugin, file, exc))
            continue
        good.append((plugin, file))
    while True:
        try:
            return _merge(run, good), run.notes
        except DataError as exc:
            culprit = _culprit(run, good, exc)
            if culprit is None:  # no single file to blame: keep the data unvalidated, say why
                run.notes.append(Notification(
                    kind="config",
                    message=Message(f"标准数据有误：{exc.message.zh}", f"bad standard data: {exc.message.en}")))
                return load_standard_data(f for _, f in good), run.notes
            run.notes.append(_bad_file(run, *culprit, exc))
            good.remove(culprit)
