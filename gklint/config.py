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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gklint.findings import Message, Severity, _FrozenRecord
from gklint.readers.base import Limits
from gklint.rule import RULE_ID_RE
from gklint.schema import Bool, Choice, Dialect, Int, MapOf, Table, Text, Texts, Where

__all__ = [
    "Config",
    "ConfigError",
    "SEVERITY_TABLE",
    "Selection",
    "config_at",
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
        if "selections" in parsed:
            changes["selections"] = (*self.selections, *parsed["selections"])
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


class _InConfig(Dialect):
    """Mistakes in configuration: ``gklint.toml：配置项 lang 应为 zh | en 之一（实际为 'fr'）``."""

    expect_en = "must be"

    def __init__(self, source: Message) -> None:
        self.where = Message(f"{source.zh}：" if source.zh else "", f"{source.en}: " if source.en else "")

    def error(self, key: str, zh: str, en: str) -> Exception:
        return ConfigError(Message(f"{self.where.zh}配置项 {key} {zh}", f"{self.where.en}configuration key {key} {en}"))

    def unknown(self, table: str, name: str, allowed: Sequence[str]) -> Exception:
        from difflib import get_close_matches

        key = f"{table}.{name}" if table else name
        known = [f"{table}.{a}" if table else a for a in allowed]
        close = get_close_matches(key, known, n=1)
        hint_zh = f"（是否想写 {close[0]}？）" if close else f"（可用：{', '.join(known)}）"
        hint_en = f" (did you mean {close[0]}?)" if close else f" (known: {', '.join(known)})"
        return ConfigError(Message(f"{self.where.zh}未知的配置项 {key}{hint_zh}",
                                   f"{self.where.en}unknown configuration key {key}{hint_en}"))


def config_at(key: str = "", source: str | Message | None = None) -> Where:
    """The place *key* of the configuration read from *source* (a file name; ``None``: not named).

    A plugin validates its options with a schema at this place::

        OPTIONS.parse(context.plugin_config, config_at("plugins.shandong"))

    and its mistakes raise :class:`ConfigError` naming the key.
    """
    if not isinstance(source, Message):
        source = Message(source or "", source or "")
    return Where(key, _InConfig(source))


class Selector(Text):
    """A rule id or prefix (``GK201``, ``GK2``, ``ALL``); *normalize*: stripped and upper-cased first."""

    noun = Message("规则编号或前缀，如 GK201、GK2、ALL", "a rule id or prefix, like GK201, GK2 or ALL")

    def __init__(self, *, normalize: bool = True, **kw: Any) -> None:
        kw.setdefault("noun", Selector.noun)
        super().__init__(pattern=SELECTOR_RE, **kw)
        self.normalize = normalize

    def parse(self, value: Any, at: Where) -> Any:
        return super().parse(value.strip().upper() if self.normalize and isinstance(value, str) else value, at)


class Selectors(Texts):
    """``select``-like lists: rule ids or prefixes (one may stand alone), stripped and upper-cased; blanks dropped.

    A bad item is named by its value at the list's key (the server names the list as its query parameter).
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(single=True, **kw)

    def parse(self, value: Any, at: Where) -> Any:
        items = tuple(s.strip().upper() for s in super().parse(value, at) if s.strip())
        for sel in items:
            if not SELECTOR_RE.match(sel):
                raise at.error(f"中的 {sel!r} 不是规则编号或前缀（如 GK201、GK2、ALL）",
                               f"has {sel!r}, which is not a rule id or prefix (like GK201, GK2, ALL)")
        return items


#: ``[severity]``: rule ids or prefixes and their severities (also a data file's, see :mod:`gklint.datacheck`).
SEVERITY_TABLE = MapOf(Choice(*SEVERITY_VALUES), key=Selector())
LIMITS = Table({key: Int(min=1, max=LIMIT_MAXIMA.get(name)) for key, name in LIMIT_KEYS.items()})
SCHEMA = Table({
    "select": Selectors(),
    "ignore": Selectors(),
    "extend-select": Selectors(),
    "fail-on": Choice(*FAIL_ON_VALUES),
    "lang": Choice(*LANG_VALUES),
    "format": Text(nonempty=True, noun=Message("输出格式名称", "a format name")),
    "show-source": Bool(),
    "disable-plugins": Texts(single=True),
    "severity": SEVERITY_TABLE,
    "rules": MapOf(Table({}, closed=False), key=Text(pattern=RULE_ID_RE, noun=Message("规则编号，如 GK201", "a rule id, like GK201"))),
    "plugins": MapOf(Table({}, closed=False)),
    "limits": LIMITS,
    "exclude": Texts(single=True),
    "baseline": Text(nonempty=True, noun=Message("基线文件的路径", "the path of a baseline file")),
    "region": Text(nonempty=True, strip=True, noun=Message("地区名称，如 \"山东省\"", "a region name, like \"山东省\"")),
})


def given_limits(value: Any, source: Message) -> dict[str, int]:
    """Validate a ``[limits]`` table into :class:`Limits` keyword arguments."""
    return {LIMIT_KEYS[key]: n for key, n in LIMITS.parse(value, config_at("limits", source)).items()}


def _selection(values: Mapping[str, Any], at: Where) -> Selection | None:
    """The selection layer of parsed *values* (``None`` when it selects nothing)."""
    if not any(k in values for k in ("select", "ignore", "extend-select")):
        return None
    select, extend = values.get("select"), values.get("extend-select", ())
    if select is not None and not select and not extend:
        # an empty selection turns every rule off: a report would then always pass
        raise at.child("select").error("为空，不会启用任何规则（要检查全部规则请省略 select）",
                                       "is empty and would enable no rule (leave select out to check every rule)")
    return Selection(select=select, ignore=values.get("ignore", ()), extend_select=extend)


def _parse(table: Mapping[str, Any], source: Message, prefix: str) -> dict[str, Any]:
    """Validate a configuration table into :class:`Config` field values."""
    at = config_at(prefix, source)
    values = SCHEMA.parse(table, at)
    out: dict[str, Any] = {}
    layer = _selection(values, at)
    if layer is not None:
        out["selections"] = (layer,)
    if "fail-on" in values:
        out["fail_on"] = None if values["fail-on"] == "never" else Severity(values["fail-on"])
    if "limits" in values:
        out["limits"] = Limits(**{LIMIT_KEYS[key]: n for key, n in values["limits"].items()})
    for key in ("lang", "format", "show-source", "disable-plugins", "exclude", "severity", "rules", "plugins",
                "baseline", "region"):
        if key in values:
            out[key.replace("-", "_")] = values[key]
    return out


def parse_config(table: Mapping[str, Any], source: str, root: Path) -> Config:
    """Validate a ``[tool.gklint]`` (or ``gklint.toml``) table read from file *source*.

    :raises ConfigError: naming the key and the file.
    """
    prefix = "tool.gklint" if Path(source).name == "pyproject.toml" else ""
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
