"""Find, load and collect gklint plugins, isolating each one.

Plugins are the entry points of group ``gklint`` (gklint's own readers,
reporters and national rule families included) plus any objects passed in
explicitly.  Loading follows flake8's discipline rather than pluggy's bulk
loader: distributions are deduplicated and sorted by ``(distribution, entry
point)``; each ``ep.load()`` and ``pm.register()`` is wrapped so one broken
plugin is reported by name (never with a traceback) and skipped while the
others load.  Every collecting hook is then called plugin by plugin, again in
isolation.

*Load order* is: the core's internal plugin, entry points sorted by
``(distribution, entry-point name)``, then explicitly passed plugins in the
order given.  It decides ties: for a duplicate rule id the first plugin wins
(and the clash is an error); for a file suffix claimed by two readers the last
one wins (so a regional pack can replace a built-in reader).
"""

from __future__ import annotations

import functools
import importlib
import importlib.machinery
import os
import re
import sys
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import pluggy

import gklint
from gklint import hookimpl, hookspecs
from gklint.findings import Message, Notification
from gklint.formats import ReporterFactory
from gklint.readers.base import suffix_of
from gklint.results import PluginInfo
from gklint.rule import Rule

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from gklint.readers.base import Reader

__all__ = [
    "CORE_PLUGIN",
    "GROUP",
    "PluginSet",
    "exception_text",
    "load_plugins",
    "make_plugin_manager",
]

GROUP = "gklint"
CORE_PLUGIN = "core"

#: Something to register explicitly: a plugin object, or ``(name, object)``.
PluginSpec = Any


class _CorePlugin:
    """The core's own contribution: the national standard data files."""

    @hookimpl
    def gklint_data_files(self) -> list[Traversable]:
        from gklint.data import national_data_files

        return national_data_files()


#: What plugin code (a rule, reader, reporter, hook or the loading of a module) may raise that is a
#: failure of that plugin: any exception, ``SystemExit`` (a plugin that calls ``sys.exit(0)`` must not
#: end a run as if it had passed) and ``KeyboardInterrupt`` unless the user interrupted
#: (:func:`reraise_user_interrupt`).  ``os._exit`` cannot be caught: only ``-j`` workers or the
#: service's processes isolate it.
PLUGIN_FAILURES: tuple[type[BaseException], ...] = (Exception, SystemExit, KeyboardInterrupt)

_interrupts = {"watching": False, "count": 0}


def _on_sigint(signum: int, frame: Any) -> None:
    _interrupts["count"] += 1
    raise KeyboardInterrupt


def watch_interrupts() -> Callable[[], None]:
    """Count the user's Ctrl-C (SIGINT) from now on, so a ``KeyboardInterrupt`` that plugin code raises
    by itself is told apart from the user's; returns the function that stops counting.

    Without it (the Python API in a program of its own) every ``KeyboardInterrupt`` is the user's.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return lambda: None
    signal.signal(signal.SIGINT, _on_sigint)
    _interrupts["watching"], _interrupts["count"] = True, 0

    def stop() -> None:
        _interrupts["watching"] = False
        if signal.getsignal(signal.SIGINT) is _on_sigint:
            signal.signal(signal.SIGINT, signal.default_int_handler)

    return stop


def reraise_user_interrupt(exc: BaseException) -> None:
    """Re-raise *exc*, caught from plugin code, when it is the user's interrupt rather than the plugin's failure."""
    if isinstance(exc, KeyboardInterrupt) and (not _interrupts["watching"] or _interrupts["count"]):
        raise exc


def exception_text(exc: BaseException) -> str:
    """``"ValueError: message"`` on one line: what users see instead of a traceback."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _label(info: PluginInfo) -> str:
    if not info.distribution:
        return info.name
    return f"{info.name}（{info.distribution} {info.version}）"


def _label_en(info: PluginInfo) -> str:
    if not info.distribution:
        return info.name
    return f"{info.name} ({info.distribution} {info.version})"


def _plugin_error(info: PluginInfo, zh: str, en: str, exc: str = "") -> Notification:
    return Notification(
        kind="plugin-load",
        message=Message(f"插件 {_label(info)}{zh}", f"plugin {_label_en(info)} {en}"),
        plugin=info.name,
        exception=exc,
        extra={"distribution": info.distribution, "version": info.version},
    )


class _EntryPoint(NamedTuple):
    """An entry point of group ``gklint``; :meth:`load` imports it as ``importlib.metadata`` does."""

    name: str
    value: str

    def load(self) -> Any:
        match = cast("re.Match[str]", _ENTRY_POINT_VALUE.match(self.value))
        module = importlib.import_module(match.group("module"))
        attrs = filter(None, (match.group("attr") or "").split("."))
        return functools.reduce(getattr, attrs, module)


#: ``importlib.metadata.EntryPoint.pattern``.
_ENTRY_POINT_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


class _Candidate(NamedTuple):
    info: PluginInfo
    entry_point: _EntryPoint


class _Unusual(Exception):
    """Something :func:`_scan_distributions` does not read the way ``importlib.metadata`` does."""


def _read_text(path: str) -> str | None:
    """A metadata file's text as ``importlib.metadata`` reads it (``None`` when absent)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return None
    except (OSError, ValueError) as exc:
        raise _Unusual(path) from exc


def _group_entry_points(text: str) -> list[_EntryPoint]:
    """The group ``gklint`` of an ``entry_points.txt`` (``importlib.metadata``'s reading of the format)."""
    found: list[_EntryPoint] = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section is None:
            continue
        if "=" not in line:
            raise _Unusual(line)  # importlib.metadata raises: leave the error to it
        if section == GROUP:
            name, value = line.split("=", 1)
            found.append(_EntryPoint(name.strip(), value.strip()))
    return found


_HEADER_START = re.compile(r"[\x21-\x39\x3b-\x7e]+:")
_WANTED = ("name", "version")


def _headers(text: str) -> dict[str, str]:
    """``Name`` and ``Version`` of a METADATA / PKG-INFO header block, as ``email`` parses them."""
    out: dict[str, str] = {}
    current = ""
    for line in text.split("\n"):
        if not line:
            break
        if line[0] in " \t":
            if not current or current in _WANTED:
                raise _Unusual(line)  # importlib.metadata re-indents folded values
            continue
        if _HEADER_START.match(line) is None or line.startswith("From "):
            raise _Unusual(line)
        name, value = line.split(":", 1)
        current = name.lower()
        if current in _WANTED:
            out.setdefault(current, value.lstrip(" \t"))
    return out


def _metadata(info_dir: str) -> dict[str, str]:
    text = _read_text(os.path.join(info_dir, "METADATA")) or _read_text(os.path.join(info_dir, "PKG-INFO"))
    if not text:
        raise _Unusual(info_dir)  # an old single-file egg-info, or no metadata at all
    return _headers(text)


def _scan_distributions() -> Iterator[tuple[str, str, list[_EntryPoint]]]:
    """``(name, version, entry points of group gklint)`` of every distribution that has some.

    Walks ``sys.path`` in the order ``importlib.metadata.distributions()`` does,
    reading only ``entry_points.txt`` (and the metadata of the few distributions
    with ``gklint`` entry points).  Raises :class:`_Unusual` for anything it does
    not read the same way: another distribution finder, zip or egg path entries,
    unusual metadata.
    """
    for finder in sys.meta_path:
        if finder is not importlib.machinery.PathFinder and getattr(finder, "find_distributions", None):
            raise _Unusual(finder)
    for entry in list(sys.path):
        if not isinstance(entry, str):
            raise _Unusual(entry)
        root = entry or "."
        try:
            children = os.listdir(root)
        except OSError:
            if os.path.exists(root):
                raise _Unusual(root) from None
            continue
        groups: dict[str, list[str]] = {}
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")):
                key = _normalize(low.rpartition(".")[0].partition("-")[0]).replace("-", "_")
                groups.setdefault(key, []).append(child)
            elif low == "egg-info" and os.path.basename(root).lower().endswith(".egg"):
                raise _Unusual(root)
        for names in groups.values():
            for child in names:
                info_dir = os.path.join(entry, child)
                text = _read_text(os.path.join(info_dir, "entry_points.txt"))
                eps = _group_entry_points(text) if text else []
                if eps:
                    meta = _metadata(info_dir)
                    yield meta.get("name", ""), meta.get("version", ""), eps


def _metadata_distributions() -> Iterator[tuple[str, str, list[_EntryPoint]]]:
    """:func:`_scan_distributions` by ``importlib.metadata`` itself."""
    import importlib.metadata

    for dist in importlib.metadata.distributions():
        eps = [_EntryPoint(ep.name, ep.value) for ep in dist.entry_points if ep.group == GROUP]
        if not eps:
            continue
        name = dist.metadata["Name"] if dist.metadata else None
        yield name or "", dist.version or "", eps


def _find_entry_points() -> list[_Candidate]:
    """Entry points of group ``gklint``, one set per distribution, sorted for determinism."""
    try:
        dists = list(_scan_distributions())
    except _Unusual:
        dists = list(_metadata_distributions())
    seen: set[str] = set()
    found: list[tuple[str, str, _Candidate]] = []
    for name, version, eps in dists:
        if not name:
            continue
        key = _normalize(name)
        if key in seen:  # the same directory on sys.path twice
            continue
        seen.add(key)
        for ep in eps:
            info = PluginInfo(ep.name, name, version, builtin=key == "gklint")
            found.append((key, ep.name, _Candidate(info, ep)))
    found.sort(key=lambda item: (item[0], item[1]))
    return [c for _, _, c in found]


def _api_problem(info: PluginInfo, obj: object) -> Notification | None:
    """A notification if *obj* needs a newer plugin API than this gklint provides."""
    wanted = getattr(obj, "GKLINT_API_VERSION", None)
    if wanted is None:
        return None
    have = int(gklint.API_VERSION.split(".")[0])
    try:
        major = int(str(wanted).strip().split(".")[0])
    except ValueError:
        return _plugin_error(
            info,
            f" 的 GKLINT_API_VERSION 无效（{wanted!r}），应为主版本号如 \"1\"；已跳过",
            f"has an invalid GKLINT_API_VERSION ({wanted!r}), expected a major version like \"1\"; skipped",
        )
    if major > have:
        return _plugin_error(
            info,
            f" 需要 gklint 插件接口版本 {major}，已安装的 gklint {gklint.__version__} 提供版本 {have}；"
            "已跳过，请升级 gklint",
            f"needs gklint plugin API version {major}, but the installed gklint {gklint.__version__} "
            f"provides version {have}; skipped, upgrade gklint",
        )
    return None


def _hook_view(obj: object) -> object:
    """For a module, a namespace holding only its marked hook implementations.

    pluggy inspects every attribute of what is registered; a rule module has
    dozens (regexes, data classes, helpers), so registering the module itself
    costs start-up time for nothing.  Unmarked attributes are never hooks.
    """
    if not isinstance(obj, types.ModuleType):
        return obj
    marker = f"{GROUP}_impl"  # pluggy marks implementations with "<project>_impl"
    hooks = {name: value for name, value in vars(obj).items() if callable(value) and hasattr(value, marker)}
    view = _HookView(**hooks)
    view.__name__ = obj.__name__
    return view


class _HookView(types.SimpleNamespace):
    """A module's hook implementations; :func:`dir` lists only them (pluggy looks at every name it lists)."""

    def __dir__(self) -> list[str]:
        return [name for name in vars(self) if name != "__name__"]

    def __repr__(self) -> str:
        return "namespace(" + ", ".join(f"{name}={value!r}" for name, value in vars(self).items()) + ")"


def _register(pm: pluggy.PluginManager, info: PluginInfo, obj: object) -> Notification | None:
    """Register *obj* as *info.name*; on any problem leave the manager as it was."""
    problem = _api_problem(info, obj)
    if problem is not None:
        return problem
    if pm.has_plugin(info.name):
        return _plugin_error(
            info,
            " 与已加载的同名插件冲突；已跳过",
            "has the same name as a plugin already loaded; skipped",
        )
    try:
        pm.register(_hook_view(obj), name=info.name)
    except PLUGIN_FAILURES as exc:
        reraise_user_interrupt(exc)
        return _plugin_error(info, f" 注册失败：{exception_text(exc)}；已跳过",
                             f"failed to register: {exception_text(exc)}; skipped", exception_text(exc))
    try:
        pm.check_pending()  # a misspelled hook name in this plugin
    except pluggy.PluginValidationError as exc:
        pm.unregister(name=info.name)
        return _plugin_error(info, f" 实现了未知的钩子：{exc}；已跳过",
                             f"implements an unknown hook: {exc}; skipped", exception_text(exc))
    return None


def _explicit(items: Iterable[PluginSpec]) -> Iterator[tuple[str, object]]:
    for item in items:
        if isinstance(item, tuple):
            name, obj = item
        else:
            name, obj = getattr(item, "__name__", None) or type(item).__name__, item
        yield str(name), obj


def make_plugin_manager(
    *,
    autoload: bool = True,
    plugins: Iterable[PluginSpec] = (),
    disabled: Iterable[str] = (),
) -> tuple[pluggy.PluginManager, list[PluginInfo], list[Notification]]:
    """Create a plugin manager and register plugins, each in isolation.

    :param autoload: load the entry points of group ``gklint``.
    :param plugins: extra plugin objects (modules, instances) or ``(name, object)`` pairs;
        an object without ``__name__`` is named after its class.
    :param disabled: entry-point names not to load (``--disable-plugin``); never imported.
    :returns: the manager, one :class:`PluginInfo` per plugin in load order
        (disabled ones with ``loaded=False, error="disabled"``) and notifications
        for every plugin that could not be loaded.
    """
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    blocked = set(disabled)
    infos: list[PluginInfo] = []
    notes: list[Notification] = []

    core = PluginInfo(CORE_PLUGIN, "gklint", gklint.__version__, builtin=True)
    pm.register(_CorePlugin(), name=CORE_PLUGIN)
    infos.append(core)

    candidates: list[tuple[PluginInfo, Any]] = []
    if autoload:
        candidates += [(c.info, c.entry_point) for c in _find_entry_points()]
    candidates += [(PluginInfo(name, "", ""), obj) for name, obj in _explicit(plugins)]

    seen_names: set[str] = set()
    for info, source in candidates:
        infos.append(info)
        seen_names.add(info.name)
        if info.name in blocked:
            pm.set_blocked(info.name)
            info.loaded, info.error = False, "disabled"
            continue
        if isinstance(source, _EntryPoint):
            try:
                obj = source.load()
            except PLUGIN_FAILURES as exc:
                reraise_user_interrupt(exc)
                text = exception_text(exc)
                info.loaded, info.error = False, text
                notes.append(_plugin_error(info, f" 加载失败：{text}；已跳过，其余插件照常运行",
                                           f"failed to load: {text}; skipped, the other plugins still run", text))
                continue
        else:
            obj = source
        problem = _register(pm, info, obj)
        if problem is not None:
            info.loaded, info.error = False, problem.exception or problem.message.en
            notes.append(problem)
    for name in sorted(blocked - seen_names):
        notes.append(Notification(
            kind="config",
            message=Message(f"--disable-plugin {name}：没有这个插件", f"--disable-plugin {name}: no such plugin"),
            plugin=name,
            level="warning",
        ))
    return pm, infos, notes


class PluginSet:
    """Everything the loaded plugins contribute, collected once and reusable across runs.

    :ivar rules: active rule declarations by id, sorted by id.
    :ivar rule_plugins: rule id -> plugin name.
    :ivar readers: lower-case suffix -> (reader, plugin name).
    :ivar reporters: format name -> factory, sorted by name.
    :ivar data_files: ``(plugin name, file)`` in load order.
    :ivar config_defaults: plugin name -> its default options.
    :ivar notifications: everything that went wrong while loading or collecting.
    """

    def __init__(
        self,
        pm: pluggy.PluginManager,
        plugins: list[PluginInfo],
        notifications: list[Notification] | None = None,
        rules: dict[str, Rule] | None = None,
        rule_plugins: dict[str, str] | None = None,
        readers: dict[str, tuple[Reader, str]] | None = None,
        reporters: dict[str, ReporterFactory] | None = None,
        data_files: list[tuple[str, Path | Traversable]] | None = None,
        config_defaults: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.pm = pm
        self.plugins = plugins
        self.notifications: list[Notification] = [] if notifications is None else notifications
        self.rules: dict[str, Rule] = {} if rules is None else rules
        self.rule_plugins: dict[str, str] = {} if rule_plugins is None else rule_plugins
        self.readers: dict[str, tuple[Reader, str]] = {} if readers is None else readers
        self.reporters: dict[str, ReporterFactory] = {} if reporters is None else reporters
        self.data_files: list[tuple[str, Path | Traversable]] = [] if data_files is None else data_files
        self.config_defaults: dict[str, dict[str, Any]] = {} if config_defaults is None else config_defaults

    @property
    def failed(self) -> bool:
        """True when a plugin or hook failed (the run must exit 2)."""
        return any(n.level == "error" for n in self.notifications)

    def info(self, name: str) -> PluginInfo | None:
        for info in self.plugins:
            if info.name == name:
                return info
        return None

    def loaded(self) -> list[PluginInfo]:
        return [p for p in self.plugins if p.loaded]

    def reader_for(self, filename: str) -> tuple[Reader, str] | None:
        """The reader for *filename*'s suffix, else the one for ``.txt``."""
        suffix = suffix_of(filename)
        return self.readers.get(suffix) or self.readers.get(".txt")


def _call_each(ps: PluginSet, hook: str) -> Iterator[tuple[PluginInfo, Any]]:
    """Call *hook* on each plugin separately, in load order; failures become notifications."""
    order = {info.name: i for i, info in enumerate(ps.plugins)}
    impls = getattr(ps.pm.hook, hook).get_hookimpls()
    for impl in sorted(impls, key=lambda i: order.get(i.plugin_name, len(order))):
        info = ps.info(impl.plugin_name) or PluginInfo(impl.plugin_name, "", "")
        try:
            result = impl.function()
            if hook == "gklint_config_defaults":
                if not isinstance(result, Mapping):
                    raise TypeError(f"expected a mapping, got {type(result).__name__}")
            else:
                result = list(result or ())
        except PLUGIN_FAILURES as exc:
            reraise_user_interrupt(exc)
            text = exception_text(exc)
            info.error = info.error or f"{hook}: {text}"
            ps.notifications.append(_plugin_error(
                info, f" 的 {hook} 钩子出错：{text}；已忽略它提供的内容",
                f"raised in {hook}: {text}; its contribution is ignored", text))
            continue
        yield info, result


def _bad_item(ps: PluginSet, info: PluginInfo, hook: str, item: object, expected: str) -> None:
    what = type(item).__name__
    info.error = info.error or f"{hook}: {what}"
    ps.notifications.append(_plugin_error(
        info, f" 的 {hook} 返回了 {what}，应为 {expected}；已忽略该项",
        f"returned a {what} from {hook}, expected {expected}; item ignored"))


def _collect_rules(ps: PluginSet) -> None:
    owners: dict[str, PluginInfo] = {}
    for info, rules in _call_each(ps, "gklint_rules"):
        for rule in rules:
            if not isinstance(rule, Rule):
                _bad_item(ps, info, "gklint_rules", rule, "gklint.rule.Rule")
                continue
            first = owners.get(rule.id)
            if first is not None:
                ps.notifications.append(Notification(
                    kind="config",
                    message=Message(
                        f"规则 {rule.id} 同时由插件 {_label(first)} 和 {_label(info)} 声明；"
                        f"使用 {first.name} 的，忽略 {info.name} 的",
                        f"rule {rule.id} is declared by both plugin {_label_en(first)} and "
                        f"{_label_en(info)}; using {first.name}'s, ignoring {info.name}'s",
                    ),
                    plugin=info.name,
                    rule_id=rule.id,
                    extra={"plugins": [first.name, info.name]},
                ))
                continue
            owners[rule.id] = info
            info.rule_ids.append(rule.id)
            ps.rules[rule.id] = rule
            ps.rule_plugins[rule.id] = info.name
    ps.rules = dict(sorted(ps.rules.items()))
    for info in ps.plugins:
        info.rule_ids.sort()


def _collect_readers(ps: PluginSet) -> None:
    for info, readers in _call_each(ps, "gklint_readers"):
        for reader in readers:
            suffixes = getattr(reader, "suffixes", None)
            if not (isinstance(getattr(reader, "name", None), str) and callable(getattr(reader, "read", None))
                    and isinstance(suffixes, tuple | list)):
                _bad_item(ps, info, "gklint_readers", reader, "a Reader (name, suffixes, read)")
                continue
            for suffix in suffixes:
                ps.readers[str(suffix).lower()] = (reader, info.name)


def _collect_reporters(ps: PluginSet) -> None:
    owners: dict[str, PluginInfo] = {}
    for info, factories in _call_each(ps, "gklint_reporters"):
        for factory in factories:
            if not isinstance(factory, ReporterFactory):
                _bad_item(ps, info, "gklint_reporters", factory, "gklint.formats.ReporterFactory")
                continue
            first = owners.get(factory.name)
            if first is not None:
                ps.notifications.append(Notification(
                    kind="config",
                    message=Message(
                        f"输出格式 {factory.name} 同时由插件 {_label(first)} 和 {_label(info)} 提供；使用 {first.name} 的",
                        f"format {factory.name} is provided by both plugin {_label_en(first)} and "
                        f"{_label_en(info)}; using {first.name}'s",
                    ),
                    plugin=info.name,
                    level="warning",
                ))
                continue
            owners[factory.name] = info
            ps.reporters[factory.name] = factory
    ps.reporters = dict(sorted(ps.reporters.items()))


def _collect_data_files(ps: PluginSet) -> None:
    for info, files in _call_each(ps, "gklint_data_files"):
        for file in files:
            if isinstance(file, str):
                file = Path(file)
            if not hasattr(file, "read_bytes"):
                _bad_item(ps, info, "gklint_data_files", file, "a path")
                continue
            ps.data_files.append((info.name, file))


def _collect_config_defaults(ps: PluginSet) -> None:
    for info, defaults in _call_each(ps, "gklint_config_defaults"):
        ps.config_defaults.setdefault(info.name, {}).update(defaults)


def load_plugins(
    *,
    autoload: bool = True,
    plugins: Sequence[PluginSpec] = (),
    disabled: Iterable[str] = (),
) -> PluginSet:
    """Load plugins (see :func:`make_plugin_manager`) and collect what each contributes."""
    pm, infos, notes = make_plugin_manager(autoload=autoload, plugins=plugins, disabled=disabled)
    ps = PluginSet(pm, infos, notes)
    _collect_rules(ps)
    _collect_readers(ps)
    _collect_reporters(ps)
    _collect_data_files(ps)
    _collect_config_defaults(ps)
    return ps
