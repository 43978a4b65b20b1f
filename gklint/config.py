"""Configuration: find, parse and validate ``[tool.gklint]`` / ``gklint.toml``.

The search starts in the working directory and goes upwards; in each
directory ``gklint.toml`` (top-level keys) is tried before ``pyproject.toml``
(the ``[tool.gklint]`` table), and the first file that has gklint
configuration wins.  ``--config FILE`` replaces the search, ``--isolated``
ignores configuration files.  Command-line options override file values
(:meth:`Config.override`).

Rule selection follows ruff: ``select``, ``ignore`` and ``extend-select`` take
rule ids or prefixes (``GK2``, ``ALL``); within one layer (file, then command
line) the longest matching selector decides, ``ignore`` winning a tie; a layer
with ``select`` starts from nothing, a layer without it carries the previous
layer's choice over.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gklint.findings import Message, Severity, _FrozenRecord
from gklint.readers.base import Limits
from gklint.rule import RULE_ID_RE

__all__ = [
    "Config",
    "ConfigError",
    "Selection",
    "find_config_file",
    "load_config",
    "parse_config",
]

SELECTOR_RE = re.compile(r"^(ALL|[A-Z]{1,4}[0-9]{0,3})$")
SEVERITY_VALUES = ("error", "warning", "info", "off")
FAIL_ON_VALUES = ("error", "warning", "info", "never")
LANG_VALUES = ("zh", "en")
LIMIT_KEYS = {f.name.replace("_", "-"): f.name for f in dataclasses.fields(Limits)}
#: The largest value each limit takes: beyond these a limit means nothing (or overflows a system call).
LIMIT_MAXIMA = {
    "max_file_bytes": 1 << 36,
    "max_docx_members": 1_000_000,
    "max_docx_uncompressed_bytes": 1 << 36,
    "max_html_depth": 100_000,
    "max_seconds_per_document": 86_400,
    "max_pdf_pages": 100_000,
    "max_pdf_chars": 100_000_000,
    "max_findings_per_rule": 1_000_000,
}
KEYS = (
    "select", "ignore", "extend-select", "fail-on", "lang", "format", "show-source",
    "disable-plugins", "severity", "rules", "plugins", "limits", "exclude", "baseline", "region",
)
CLI_SOURCE = Message("命令行", "command line")


class ConfigError(Exception):
    """Bad configuration.  ``message`` names the file (or the command line) and the key."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


# The records below write their __init__ out (repr and eq come from gklint.findings._Record):
# generated methods make every start slower, measured by benchmarks/bench_coldstart.py.
@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Selection(_FrozenRecord):
    """One layer of rule selection: the configuration file's, or the command line's."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    def __init__(self, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = (),
                 extend_select: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "select", select)
        object.__setattr__(self, "ignore", ignore)
        object.__setattr__(self, "extend_select", extend_select)

    def decide(self, rule_id: str, carried: bool) -> bool:
        """Whether *rule_id* is enabled after this layer, given the previous layer's answer."""
        best: tuple[int, int] | None = None  # (specificity, 1 for ignore) – larger wins
        for selectors, is_ignore in (((*(self.select or ()), *self.extend_select), 0), (self.ignore, 1)):
            for sel in selectors:
                if sel == "ALL" or rule_id.startswith(sel):
                    rank = (0 if sel == "ALL" else len(sel), is_ignore)
                    if best is None or rank > best:
                        best = rank
        if best is None:
            return carried if self.select is None else False
        return best[1] == 0


def _severity_value(text: str) -> Severity | None:
    return None if text == "off" else Severity(text)


@dataclass(frozen=True, init=False, repr=False, eq=False)
class Config(_FrozenRecord):
    """Validated settings.  ``source`` is the file they came from (``None``: defaults only)."""

    source: str | None = None
    root: Path = field(default_factory=Path.cwd)
    selections: tuple[Selection, ...] = ()
    fail_on: Severity | None = Severity.ERROR
    lang: str = "zh"
    format: str = "text"
    show_source: bool | None = None  # None: when stdout is a terminal
    disable_plugins: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)  # id or prefix -> error|warning|info|off
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    plugins: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    exclude: tuple[str, ...] = ()
    baseline: str | None = None  # baseline file (relative paths: to the configuration file's directory)
    region: str | None = None  # the reports' region (山东省): set, it is not worked out from each report

    def __init__(
        self,
        source: str | None = None,
        root: Path | None = None,
        selections: tuple[Selection, ...] = (),
        fail_on: Severity | None = Severity.ERROR,
        lang: str = "zh",
        format: str = "text",
        show_source: bool | None = None,
        disable_plugins: tuple[str, ...] = (),
        severity: Mapping[str, str] | None = None,
        rules: Mapping[str, Mapping[str, Any]] | None = None,
        plugins: Mapping[str, Mapping[str, Any]] | None = None,
        limits: Limits | None = None,
        exclude: tuple[str, ...] = (),
        baseline: str | None = None,
        region: str | None = None,
    ) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "root", Path.cwd() if root is None else root)
        object.__setattr__(self, "selections", selections)
        object.__setattr__(self, "fail_on", fail_on)
        object.__setattr__(self, "lang", lang)
        object.__setattr__(self, "format", format)
        object.__setattr__(self, "show_source", show_source)
        object.__setattr__(self, "disable_plugins", disable_plugins)
        object.__setattr__(self, "severity", {} if severity is None else severity)
        object.__setattr__(self, "rules", {} if rules is None else rules)
        object.__setattr__(self, "plugins", {} if plugins is None else plugins)
        object.__setattr__(self, "limits", Limits() if limits is None else limits)
        object.__setattr__(self, "exclude", exclude)
        object.__setattr__(self, "baseline", baseline)
        object.__setattr__(self, "region", region)

    def is_selected(self, rule_id: str) -> bool:
        """Whether select / ignore / extend-select leave *rule_id* on (all rules by default)."""
        enabled = True
        for layer in self.selections:
            enabled = layer.decide(rule_id, enabled)
        return enabled

    def severity_for(self, rule_id: str, default: Severity) -> Severity | None:
        """The configured severity (longest matching id or prefix), ``None`` when ``off``."""
        matches = [k for k in self.severity if k == "ALL" or rule_id.startswith(k)]
        if not matches:
            return default
        best = max(matches, key=lambda k: 0 if k == "ALL" else len(k))
        return _severity_value(self.severity[best])

    def selectors(self) -> list[str]:
        """Every selector and severity key used, for "matches no rule" warnings."""
        out: list[str] = []
        for layer in self.selections:
            out += [*(layer.select or ()), *layer.ignore, *layer.extend_select]
        out += list(self.severity)
        return sorted({s for s in out if s != "ALL"})

    def is_excluded(self, path: Path) -> bool:
        """Whether *path* (met while walking a directory) matches an ``exclude`` glob."""
        if not self.exclude:
            return False
        candidates = [path.name, path.as_posix()]
        try:
            candidates.append(Path(os.path.abspath(path)).relative_to(os.path.abspath(self.root)).as_posix())
        except ValueError:
            pass
        return any(fnmatch.fnmatchcase(c, pat.rstrip("/")) for pat in self.exclude for c in candidates)

    def override(self, **options: Any) -> Config:
        """A copy with command-line or API options applied on top.

        Names are the configuration keys with ``_`` for ``-`` (``fail_on``,
        ``extend_select``); ``None`` means "not given".  ``select`` / ``ignore`` /
        ``extend_select`` form a new selection layer; tables are merged key by
        key; ``disable_plugins`` adds to the file's list.

        :raises ConfigError: for an unknown option or a bad value.
        """
        given = {k.replace("_", "-"): v for k, v in options.items() if v is not None}
        if not given:
            return self
        parsed = _parse(given, CLI_SOURCE, "")
        changes: dict[str, Any] = {}
        layer = _selection(given, CLI_SOURCE)
        if layer is not None:
            changes["selections"] = (*self.selections, layer)
        for key in ("fail_on", "lang", "format", "show_source", "exclude", "baseline", "region"):
            if key.replace("_", "-") in given:
                changes[key] = parsed[key]
        if "disable-plugins" in given:
            changes["disable_plugins"] = tuple(dict.fromkeys((*self.disable_plugins, *parsed["disable_plugins"])))
        if "severity" in given:
            changes["severity"] = {**self.severity, **parsed["severity"]}
        for key in ("rules", "plugins"):
            if key in given:
                merged = {k: dict(v) for k, v in getattr(self, key).items()}
                for name, table in parsed[key].items():
                    merged.setdefault(name, {}).update(table)
                changes[key] = merged
        if "limits" in given:
            changes["limits"] = dataclasses.replace(self.limits, **given_limits(given["limits"], CLI_SOURCE))
        return dataclasses.replace(self, **changes)


# -- parsing -----------------------------------------------------------------


def _error(source: Message, key: str, zh: str, en: str) -> ConfigError:
    where_zh = f"{source.zh}：" if source.zh else ""
    where_en = f"{source.en}: " if source.en else ""
    return ConfigError(Message(f"{where_zh}配置项 {key} {zh}", f"{where_en}configuration key {key} {en}"))


def _unknown(source: Message, key: str, known: tuple[str, ...] | list[str]) -> ConfigError:
    from difflib import get_close_matches

    close = get_close_matches(key, known, n=1)
    hint_zh = f"（是否想写 {close[0]}？）" if close else f"（可用：{', '.join(known)}）"
    hint_en = f" (did you mean {close[0]}?)" if close else f" (known: {', '.join(known)})"
    where_zh = f"{source.zh}：" if source.zh else ""
    where_en = f"{source.en}: " if source.en else ""
    return ConfigError(Message(f"{where_zh}未知的配置项 {key}{hint_zh}", f"{where_en}unknown configuration key {key}{hint_en}"))


def _choice(value: Any, choices: tuple[str, ...], source: Message, key: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise _error(source, key, f"应为 {' | '.join(choices)} 之一（实际为 {value!r}）",
                     f"must be one of {' | '.join(choices)} (got {value!r})")
    return value


def _str_list(value: Any, source: Message, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _error(source, key, f"应为字符串列表（实际为 {value!r}）", f"must be a list of strings (got {value!r})")
    return tuple(value)


def _selectors(value: Any, source: Message, key: str) -> tuple[str, ...]:
    items = tuple(s.strip().upper() for s in _str_list(value, source, key) if s.strip())
    for sel in items:
        if not SELECTOR_RE.match(sel):
            raise _error(source, key, f"中的 {sel!r} 不是规则编号或前缀（如 GK201、GK2、ALL）",
                         f"has {sel!r}, which is not a rule id or prefix (like GK201, GK2, ALL)")
    return items


def _table(value: Any, source: Message, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _error(source, key, f"应为表（实际为 {value!r}）", f"must be a table (got {value!r})")
    return value


def given_limits(value: Any, source: Message) -> dict[str, int]:
    """Validate a ``[limits]`` table into :class:`Limits` keyword arguments."""
    out: dict[str, int] = {}
    for key, raw in _table(value, source, "limits").items():
        if key not in LIMIT_KEYS:
            raise _unknown(source, f"limits.{key}", [f"limits.{k}" for k in LIMIT_KEYS])
        if isinstance(raw, bool) or not isinstance(raw, int) or raw <= 0:
            raise _error(source, f"limits.{key}", f"应为正整数（实际为 {raw!r}）", f"must be a positive integer (got {raw!r})")
        top = LIMIT_MAXIMA.get(LIMIT_KEYS[key])
        if top is not None and raw > top:
            raise _error(source, f"limits.{key}", f"超出范围：应为 1 到 {top} 之间的整数（实际为 {raw!r}）",
                         f"is out of range: it must be an integer from 1 to {top} (got {raw!r})")
        out[LIMIT_KEYS[key]] = raw
    return out


def _selection(table: Mapping[str, Any], source: Message) -> Selection | None:
    if not any(k in table for k in ("select", "ignore", "extend-select")):
        return None
    select = _selectors(table["select"], source, "select") if "select" in table else None
    extend = _selectors(table.get("extend-select", []), source, "extend-select")
    if select is not None and not select and not extend:
        # an empty selection turns every rule off: a report would then always pass
        raise _error(source, "select", "为空，不会启用任何规则（要检查全部规则请省略 select）",
                     "is empty and would enable no rule (leave select out to check every rule)")
    return Selection(select=select, ignore=_selectors(table.get("ignore", []), source, "ignore"), extend_select=extend)


def _parse(table: Mapping[str, Any], source: Message, prefix: str) -> dict[str, Any]:
    """Validate a configuration table into :class:`Config` field values."""
    for key in table:
        if key not in KEYS:
            raise _unknown(source, f"{prefix}{key}", [f"{prefix}{k}" for k in KEYS])
    out: dict[str, Any] = {}
    layer = _selection(table, source)
    if layer is not None:
        out["selections"] = (layer,)
    if "fail-on" in table:
        fail_on = _choice(table["fail-on"], FAIL_ON_VALUES, source, f"{prefix}fail-on")
        out["fail_on"] = None if fail_on == "never" else Severity(fail_on)
    if "lang" in table:
        out["lang"] = _choice(table["lang"], LANG_VALUES, source, f"{prefix}lang")
    if "format" in table:
        if not isinstance(table["format"], str) or not table["format"]:
            raise _error(source, f"{prefix}format", "应为输出格式名称", "must be a format name")
        out["format"] = table["format"]
    if "show-source" in table:
        if not isinstance(table["show-source"], bool):
            raise _error(source, f"{prefix}show-source", "应为 true 或 false", "must be true or false")
        out["show_source"] = table["show-source"]
    if "disable-plugins" in table:
        out["disable_plugins"] = _str_list(table["disable-plugins"], source, f"{prefix}disable-plugins")
    if "exclude" in table:
        out["exclude"] = _str_list(table["exclude"], source, f"{prefix}exclude")
    if "severity" in table:
        severity: dict[str, str] = {}
        for key, value in _table(table["severity"], source, f"{prefix}severity").items():
            (sel,) = _selectors([key], source, f"{prefix}severity")
            severity[sel] = _choice(value, SEVERITY_VALUES, source, f"{prefix}severity.{key}")
        out["severity"] = severity
    if "rules" in table:
        rules: dict[str, dict[str, Any]] = {}
        for rule_id, options in _table(table["rules"], source, f"{prefix}rules").items():
            if not RULE_ID_RE.match(rule_id):
                raise _error(source, f"{prefix}rules.{rule_id}", "不是规则编号（如 GK201）", "is not a rule id (like GK201)")
            rules[rule_id] = dict(_table(options, source, f"{prefix}rules.{rule_id}"))
        out["rules"] = rules
    if "plugins" in table:
        plugins = _table(table["plugins"], source, f"{prefix}plugins")
        out["plugins"] = {name: dict(_table(v, source, f"{prefix}plugins.{name}")) for name, v in plugins.items()}
    if "limits" in table:
        out["limits"] = Limits(**given_limits(table["limits"], source))
    if "baseline" in table:
        if not isinstance(table["baseline"], str) or not table["baseline"].strip():
            raise _error(source, f"{prefix}baseline", "应为基线文件的路径", "must be the path of a baseline file")
        out["baseline"] = table["baseline"]
    if "region" in table:
        if not isinstance(table["region"], str) or not table["region"].strip():
            raise _error(source, f"{prefix}region", "应为地区名称，如 \"山东省\"", "must be a region name, like \"山东省\"")
        out["region"] = table["region"].strip()
    return out


def parse_config(table: Mapping[str, Any], source: str, root: Path) -> Config:
    """Validate a ``[tool.gklint]`` (or ``gklint.toml``) table read from file *source*.

    :raises ConfigError: naming the key and the file.
    """
    prefix = "tool.gklint." if Path(source).name == "pyproject.toml" else ""
    parsed = _parse(table, Message(source, source), prefix)
    if "baseline" in parsed:
        parsed["baseline"] = os.path.join(root, parsed["baseline"])
    return Config(source=source, root=root, **parsed)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ConfigError(Message(f"{path}：无法读取配置文件（{exc.strerror or exc}）",
                                  f"{path}: cannot read configuration file ({exc.strerror or exc})")) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(Message(f"{path}：不是有效的 UTF-8 TOML 文件（{exc}）",
                                  f"{path}: not a valid UTF-8 TOML file ({exc})")) from None


def _gklint_table(path: Path) -> Mapping[str, Any] | None:
    doc = _read_toml(path)
    if path.name != "pyproject.toml":
        return doc
    tool = doc.get("tool")
    if not isinstance(tool, Mapping) or "gklint" not in tool:
        return None
    if not isinstance(tool["gklint"], Mapping):
        raise ConfigError(Message(f"{path}：[tool.gklint] 应为表", f"{path}: [tool.gklint] must be a table"))
    return tool["gklint"]


def find_config_file(start: Path | None = None) -> Path | None:
    """The first ``gklint.toml``, or ``pyproject.toml`` with ``[tool.gklint]``, from *start* upwards."""
    here = Path(os.path.abspath(start or Path.cwd()))
    for directory in (here, *here.parents):
        candidate = directory / "gklint.toml"
        if candidate.is_file():
            return candidate
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and _gklint_table(candidate) is not None:
            return candidate
    return None


def load_config(config_file: str | Path | None = None, *, isolated: bool = False, cwd: Path | None = None) -> Config:
    """Load the configuration for a run.

    :param config_file: ``--config FILE``: use this file, no search.
    :param isolated: ``--isolated``: defaults only.
    :param cwd: where the search starts (the working directory by default).
    :raises ConfigError: unreadable file, invalid TOML, unknown key or bad value.
    """
    start = Path(os.path.abspath(cwd or Path.cwd()))
    if isolated:
        return Config(root=start)
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(Message(f"{path}：配置文件不存在", f"{path}: configuration file not found"))
        table = _gklint_table(path)
        if table is None:
            table = {}
    else:
        found = find_config_file(start)
        if found is None:
            return Config(root=start)
        path = found
        table = _gklint_table(path) or {}
    return parse_config(table, str(path), Path(os.path.abspath(path)).parent)
