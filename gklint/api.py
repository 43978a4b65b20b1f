"""The Python API: lint files, directories, bytes and text.

:class:`Linter` loads the plugins, the standard data and the rule selection
once and can then lint any number of inputs (a server keeps one around);
:func:`lint_paths`, :func:`lint_path` and :func:`lint_text` wrap it.  Input
files are only ever read.  Nothing here prints or exits: problems come back as
:class:`~gklint.findings.Notification` objects, bad configuration as
:class:`~gklint.config.ConfigError`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

import gklint
from gklint.config import Config, ConfigError
from gklint.engine import ActiveRule, check, prepare_rules
from gklint.findings import Message, Notification
from gklint.plugins import (
    PLUGIN_FAILURES,
    PluginSet,
    PluginSpec,
    exception_text,
    load_plugins,
    reraise_user_interrupt,
)
from gklint.readers.base import ReadError, suffix_of
from gklint.results import FileResult, RunResult

if TYPE_CHECKING:
    from gklint.data import StandardData
    from gklint.model import Document

__all__ = ["ConfigError", "InputFile", "Linter", "lint_path", "lint_paths", "lint_text", "publishable"]

#: Suffixes a directory walk picks up (plus any suffix a loaded reader claims), never a file without
#: one (``LICENSE``, a binary), even though the text reader takes such a file when it is named.
WALK_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
STDIN = "-"


def _display(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


def _unreadable(path: str, zh: str, en: str, *, plugin: str = "", exception: str = "") -> FileResult:
    """An unreadable file's result; the message says what is wrong (reporters add the path)."""
    note = Notification(kind="unreadable", message=Message(zh, en), path=path, plugin=plugin, exception=exception)
    return FileResult(path=path, reader=None, encoding=None, notifications=[note], readable=False)


class InputFile(NamedTuple):
    """One input found by :meth:`Linter.iter_inputs`; ``error`` is set when it cannot be read."""

    display: str
    path: str | None  # the file system path; None: standard input
    error: FileResult | None = None


class Linter:
    """Loaded plugins, standard data and rule selection, reusable for many inputs.

    :param config: the run's configuration (defaults when ``None``).
    :param autoload: load the ``gklint`` entry points.
    :param plugins: extra plugin objects or ``(name, object)`` pairs.
    :param plugin_set: an already loaded :class:`PluginSet` to reuse
        (``autoload``, ``plugins`` and ``config.disable_plugins`` are then ignored).
    :param data: the standard data another linter loaded from the same *plugin_set*, to share
        (a linter per rule selection then costs no reloading).
    :raises ConfigError: when the configuration names an option a rule or plugin does not have.
    """

    def __init__(
        self,
        config: Config | None = None,
        *,
        autoload: bool = True,
        plugins: Sequence[PluginSpec] = (),
        plugin_set: PluginSet | None = None,
        data: StandardData | None = None,
    ) -> None:
        self.config = config or Config()
        self.plugin_set = plugin_set or load_plugins(
            autoload=autoload, plugins=plugins, disabled=self.config.disable_plugins)
        self.notifications: list[Notification] = list(self.plugin_set.notifications)
        self.data = data if data is not None else self._load_data()
        self._check_config()
        self._setup_regions()
        ps = self.plugin_set
        from gklint.datacheck import apply_data_severities

        national = {rid: r for rid, r in ps.rules.items() if ps.rule_plugins.get(rid) not in self.pack_regions}
        #: The rules every report gets (the national standard and packs that serve every region).
        self.active: list[ActiveRule] = prepare_rules(
            apply_data_severities(national, self.base_data, self.config, ps.rule_plugins), self.config,
            self.base_data, rule_plugins=ps.rule_plugins, plugin_defaults=ps.config_defaults)
        regional = {rid: r for rid, r in ps.rules.items() if ps.rule_plugins.get(rid) in self.pack_regions}
        #: The regional packs' own rules, prepared for listing (they run on reports of their region only).
        self.regional_active: list[ActiveRule] = prepare_rules(
            apply_data_severities(regional, self.data, self.config, ps.rule_plugins), self.config,
            self.data, rule_plugins=ps.rule_plugins, plugin_defaults=ps.config_defaults)
        self._scopes: dict[tuple[int, frozenset[str]], list[ActiveRule]] = {}
        self._check_selection()
        #: Fill ``FileResult.tables`` (set it when the reporter's factory has ``needs_tables``).
        self.keep_tables = False
        #: The same agency's earlier report for an input: display name -> (file path, display name)
        #: (see :meth:`pair_inputs`); used by :meth:`lint_file` and :meth:`lint_bytes`.
        self.previous: dict[str, tuple[str, str]] = {}

    # -- set-up ---------------------------------------------------------------

    def _load_data(self) -> StandardData:
        """Merge and validate every plugin's data files; a bad file is reported and left out."""
        from gklint.datacheck import load_data

        data, notes = load_data(self.plugin_set)
        self.notifications.extend(notes)
        return data

    def _setup_regions(self) -> None:
        """Which packs serve a region, the national-only data, and where each data file came from."""
        from gklint.data import Provenance, load_standard_data
        from gklint.plugins import CORE_PLUGIN
        from gklint.regions import region_table

        ps, data = self.plugin_set, self.data
        kept = set(data.files)
        self._files = [(plugin, f) for plugin, f in ps.data_files if str(f) in kept]
        owners = {str(f): plugin for plugin, f in self._files}
        packs = frozenset(p.name for p in ps.plugins if p.loaded and not p.builtin and p.name != CORE_PLUGIN)
        try:
            self.regions = region_table(data)
        except Exception:  # left unvalidated after a data error already reported
            from gklint.regions import RegionTable

            self.regions = RegionTable({}, {})
        #: regional pack -> the 行政区划代码 prefix of its region ("" : no region given yet, the pack is inert)
        self.pack_regions: dict[str, str] = {}
        for path, code in self.regions.declared.items():
            plugin = owners.get(path)
            if plugin in packs:
                self.pack_regions[plugin] = self.pack_regions.get(plugin) or code
        for info in ps.plugins:
            if info.name in self.pack_regions:
                region = self.regions.get(self.pack_regions[info.name])
                info.region = region.name if region is not None else None
        severities: dict[str, dict[str, str]] = {}
        for path, table in data.items("severity"):
            plugin = owners.get(path, "")
            if plugin in packs and isinstance(table, dict):
                severities.setdefault(plugin, {}).update({k: v for k, v in table.items() if isinstance(v, str)})
        self.provenance = Provenance(owners, packs, severities)
        data.provenance = self.provenance
        if self.pack_regions:
            self.base_data = load_standard_data(f for plugin, f in self._files if plugin not in self.pack_regions)
            self.base_data.provenance = self.provenance
        else:
            self.base_data = data
        self._scoped_data: dict[frozenset[str], StandardData] = {frozenset(): self.base_data}
        self.region = None
        if self.config.region:
            self.region = self._configured(self.config.region)

    def _configured(self, name: str) -> Any:
        from gklint.regions import configured_region

        guess = configured_region(self.regions, name)
        if guess is None:
            known = "、".join(self.regions.names()[:40])
            raise ConfigError(Message(f"未知的地区“{name}”（region）；可用：{known}",
                                      f"unknown region {name!r} (region); known: {known}"))
        return guess

    def region_of(self, doc: Document, region: str | None = None) -> Any:
        """*doc*'s :class:`~gklint.regions.RegionGuess`: *region* if given, else the configured one,
        else worked out from the text; with the regional packs applied and left out."""
        import dataclasses

        from gklint.regions import infer_region

        if region:
            guess = self._configured(region)
        elif self.region is not None:
            guess = self.region
        else:
            guess = infer_region(doc, self.regions)
        applied = tuple(sorted(p for p, code in self.pack_regions.items()
                               if code and guess.code and guess.code.startswith(code)))
        skipped = tuple(sorted(p for p, code in self.pack_regions.items() if code and p not in applied))
        labels = tuple(info.pack_label() for p in skipped if (info := self.plugin_set.info(p)) is not None)
        return dataclasses.replace(guess, applied=applied, skipped=skipped, skipped_labels=labels)

    def active_for(self, doc: Document, region: str | None = None) -> list[ActiveRule]:
        """The rules for *doc*: the national ones plus the regional packs of its region (sets ``doc.region``)."""
        guess = self.region_of(doc, region)
        doc.region = guess
        scope = frozenset(guess.applied)
        if not scope:
            return self.active
        key = (id(self.active), scope)
        found = self._scopes.get(key)
        if found is not None:
            return found
        import dataclasses

        from gklint.data import load_standard_data
        from gklint.datacheck import apply_data_severities
        from gklint.rule import CheckContext

        data = self._scoped_data.get(scope)
        if data is None:
            data = load_standard_data(f for p, f in self._files if p not in self.pack_regions or p in scope)
            data.provenance = self.provenance
            self._scoped_data[scope] = data
        ps = self.plugin_set
        own = {rid: r for rid, r in ps.rules.items() if ps.rule_plugins.get(rid) in scope}
        packs = prepare_rules(apply_data_severities(own, data, self.config, ps.rule_plugins), self.config, data,
                              rule_plugins=ps.rule_plugins, plugin_defaults=ps.config_defaults)
        national = [dataclasses.replace(a, context=CheckContext(a.context.options, data, a.context.plugin_config))
                    for a in self.active]
        found = sorted([*national, *packs], key=lambda a: a.rule.id)
        self._scopes[key] = found
        return found

    def _warn(self, zh: str, en: str) -> None:
        self.notifications.append(Notification(kind="config", message=Message(zh, en), level="warning"))

    def _check_config(self) -> None:
        """Check rule options and plugin tables against what the plugins declare."""
        cfg, ps = self.config, self.plugin_set
        where = Message(cfg.source or "命令行", cfg.source or "command line")
        # a section for a rule or plugin that is not there is a typo, unless a plugin that might have
        # it was disabled or failed to load: then it is only a warning
        missing_plugins = any(not p.loaded for p in ps.plugins) or bool(cfg.disable_plugins)
        for rule_id, options in sorted(cfg.rules.items()):
            rule = ps.rules.get(rule_id)
            if rule is None:
                if missing_plugins:
                    self._warn(f"{where.zh}：[rules.{rule_id}] 指向未加载的规则，已忽略",
                               f"{where.en}: [rules.{rule_id}] names a rule that is not loaded; ignored")
                    continue
                hint_zh, hint_en = _hint(rule_id, list(ps.rules), "用 --list-rules 查看规则", "see --list-rules")
                raise ConfigError(Message(f"{where.zh}：[rules.{rule_id}] 指向不存在的规则{hint_zh}",
                                          f"{where.en}: [rules.{rule_id}] names no rule{hint_en}"))
            for key, value in options.items():
                if key not in rule.options:
                    known = ", ".join(sorted(rule.options)) or "无 / none"
                    raise ConfigError(Message(
                        f"{where.zh}：未知的配置项 rules.{rule_id}.{key}（规则 {rule_id} 的选项：{known}）",
                        f"{where.en}: unknown configuration key rules.{rule_id}.{key} (options of {rule_id}: {known})"))
                default = rule.options[key]
                if default is not None and not _same_type(default, value):
                    raise ConfigError(Message(
                        f"{where.zh}：配置项 rules.{rule_id}.{key} 应为 {type(default).__name__}（实际为 {value!r}）",
                        f"{where.en}: configuration key rules.{rule_id}.{key} must be a {type(default).__name__} "
                        f"(got {value!r})"))
        loaded = {p.name for p in ps.plugins if p.loaded}
        for name, table in sorted(cfg.plugins.items()):
            if name not in loaded:
                if any(p.name == name for p in ps.plugins) or name in cfg.disable_plugins:
                    self._warn(f"{where.zh}：[plugins.{name}] 指向未加载的插件，已忽略",
                               f"{where.en}: [plugins.{name}] names a plugin that is not loaded; ignored")
                    continue
                hint_zh, hint_en = _hint(name, sorted(loaded), "用 --list-plugins 查看插件", "see --list-plugins")
                raise ConfigError(Message(f"{where.zh}：[plugins.{name}] 指向不存在的插件{hint_zh}",
                                          f"{where.en}: [plugins.{name}] names no plugin{hint_en}"))
            defaults = ps.config_defaults.get(name)
            for key in table:
                if defaults is not None and key not in defaults:
                    known = ", ".join(sorted(defaults)) or "无 / none"
                    raise ConfigError(Message(
                        f"{where.zh}：未知的配置项 plugins.{name}.{key}（插件 {name} 的选项：{known}）",
                        f"{where.en}: unknown configuration key plugins.{name}.{key} (options of {name}: {known})"))
        for selector in cfg.selectors():
            if not any(rule_id.startswith(selector) for rule_id in ps.rules):
                self._warn(f"{where.zh}：规则选择 {selector} 不匹配任何已加载的规则",
                           f"{where.en}: rule selector {selector} matches no loaded rule")

    def _check_selection(self) -> None:
        """A ``select`` whose ids match no loaded rule is an error: every report would pass unchecked.

        (Rules that a ``select`` matches and an ``ignore`` then turns off are the user's choice.)
        """
        cfg, rules = self.config, self.plugin_set.rules
        layers = [i for i, layer in enumerate(cfg.selections) if layer.select is not None]
        if not layers or not rules:
            return
        chosen = [sel for layer in cfg.selections[layers[-1]:] for sel in (*(layer.select or ()), *layer.extend_select)]
        if any(sel == "ALL" or rule_id.startswith(sel) for sel in chosen for rule_id in rules):
            return
        where = Message(cfg.source or "命令行", cfg.source or "command line")
        shown = ", ".join(dict.fromkeys(chosen)) or "-"
        raise ConfigError(Message(
            f"{where.zh}：规则选择 select（{shown}）没有选中任何已加载的规则（用 --list-rules 查看规则编号）",
            f"{where.en}: the rule selection select ({shown}) matches no loaded rule (see --list-rules for rule ids)"))

    # -- one input ------------------------------------------------------------

    def read_document(self, data: bytes, filename: str) -> tuple[Document | None, FileResult]:
        """Read *data* as file *filename* and build its document (``None`` if unreadable)."""
        found = self.plugin_set.reader_for(filename)
        if found is None:
            return None, _unreadable(filename, "没有可用的读取器（未加载文本读取器插件）",
                                     "no reader available (no text reader plugin is loaded)")
        reader, plugin = found
        limits = self.config.limits
        if len(data) > limits.max_file_bytes:
            return None, _too_big(filename, len(data), limits.max_file_bytes)
        try:
            source = reader.read(data, filename, limits)
        except ReadError as exc:
            hint = exc.setting and exc.setting not in exc.message.zh  # readers may name the limit already
            hint_zh = f"（可调高配置 [limits] {exc.setting}）" if hint else ""
            hint_en = f" (raise [limits] {exc.setting} in the configuration)" if hint else ""
            return None, _unreadable(filename, f"{exc.message.zh}{hint_zh}", f"{exc.message.en}{hint_en}",
                                     plugin=plugin)
        except PLUGIN_FAILURES as exc:
            reraise_user_interrupt(exc)
            text = exception_text(exc)
            return None, _unreadable(filename, f"读取器 {reader.name}（插件 {plugin}）出错：{text}",
                                     f"reader {reader.name} (plugin {plugin}) failed: {text}",
                                     plugin=plugin, exception=text)
        from gklint.structure import build_document
        from gklint.suppress import strip_directives

        try:
            doc = build_document(strip_directives(source), filename, self.base_data)
        except Exception as exc:
            text = exception_text(exc)
            return None, _unreadable(filename, f"分析文档结构时出错：{text}",
                                     f"failed to build the document structure: {text}",
                                     exception=text)
        result = FileResult(
            path=filename,
            reader=reader.name,
            encoding=doc.encoding,
            coordinates=doc.coordinates,
            layout=doc.layout.layout,
            year=doc.metadata.year,
        )
        from gklint.identity import identify

        result.agency = identify(doc, self.data).agency
        if self.keep_tables:
            from gklint.snapshot import table_snapshot

            result.tables = table_snapshot(doc, self.data)
        return doc, result

    @property
    def needs_previous(self) -> bool:
        """Is a rule active that compares a report with the same agency's earlier one (``Rule.needs_previous``)?"""
        return any(a.rule.needs_previous for a in (*self.active, *self.regional_active))

    def check_into(self, result: FileResult, doc: Document, region: str | None = None,
                   previous: Document | None = None) -> None:
        """Run the rules for *doc*'s region and store findings, suppressed findings and notifications in *result*.

        *region* (``"山东省"``) sets the report's region; by default the configured one, else the one
        the report's text gives (see :mod:`gklint.regions`).  *previous*: the same agency's report of
        an earlier year, for the rules declared ``needs_previous``.
        """
        active = self.active_for(doc, region)
        result.region = doc.region.name or None
        checked = check(doc, active, max_per_rule=self.config.limits.max_findings_per_rule, previous=previous)
        result.findings, result.suppressed, result.notifications = (
            checked.findings, checked.suppressed, checked.notifications)
        if previous is not None and self.needs_previous:
            result.previous = previous.path

    def _previous_of(self, display: str, result: FileResult) -> Document | None:
        """The earlier report :attr:`previous` names for *display*, read (a problem reading it is a warning)."""
        found = self.previous.get(display)
        if found is None or not self.needs_previous:
            return None
        doc, prev = self.read_path(*found)
        if doc is None:
            reason = "; ".join(n.message.zh for n in prev.notifications)
            reason_en = "; ".join(n.message.en for n in prev.notifications)
            result.notifications.append(Notification(
                kind="unreadable", level="warning", path=display,
                message=Message(f"无法读取上年报告 {prev.path}（{reason}），未做跨年度核对",
                                f"cannot read the earlier report {prev.path} ({reason_en}); no cross-year checks")))
        return doc

    def lint_bytes(self, data: bytes, filename: str, region: str | None = None,
                   previous: Document | None = None) -> FileResult:
        """Lint the contents *data* of a file called *filename* (its suffix picks the reader).

        *region* sets the report's region for this call (a CMS knows whose report it is).
        *previous*: the same agency's earlier report (else the one :attr:`previous` names, if any).
        """
        if region:
            self._configured(region)  # an unknown name is a configuration error, even for an unreadable file
        doc, result = self.read_document(data, filename)
        if doc is not None:
            notes: list[Notification] = []
            if previous is None:
                previous = self._previous_of(filename, result)
                notes, result.notifications = result.notifications, []
            self.check_into(result, doc, region, previous)
            result.notifications[:0] = notes
        return result

    def lint_text(self, text: str, filename: str = "report.txt") -> FileResult:
        """Lint *text* (encoded as UTF-8) as if read from *filename*."""
        return self.lint_bytes(text.encode("utf-8"), _display(filename))

    def read_path(self, path: str | os.PathLike[str], display: str | None = None) -> tuple[Document | None, FileResult]:
        """Read one file and build its document; *display* is the path shown in output."""
        shown = _display(display or os.fspath(path))
        data = _read_file(path, shown, self.config.limits.max_file_bytes)
        if isinstance(data, FileResult):
            return None, data
        return self.read_document(data, shown)

    def lint_file(self, path: str | os.PathLike[str], display: str | None = None,
                  previous: Document | None = None) -> FileResult:
        """Read and lint one file; *display* is the path shown in output.

        *previous*: the same agency's earlier report (else the one :attr:`previous` names, if any).
        """
        doc, result = self.read_path(path, display)
        if doc is not None:
            notes: list[Notification] = []
            if previous is None:
                previous = self._previous_of(result.path, result)
                notes, result.notifications = result.notifications, []
            self.check_into(result, doc, previous=previous)
            result.notifications[:0] = notes
        return result

    def pair_inputs(self, items: Sequence[InputFile],
                    previous: str | os.PathLike[str] | None = None) -> dict[str, tuple[str, str]]:
        """The earlier report of each input: display name -> (file path, display name).

        With *previous* (``--previous FILE``) that file is every other input's earlier report.
        Otherwise the reports of one agency are paired by year (:func:`gklint.identity.pair_reports`),
        each identified from its first lines (:func:`gklint.identity.identify_text`); reports of the
        same year are never paired.  Empty when no active rule needs an earlier report.
        """
        if not self.needs_previous:
            return {}
        if previous is not None:
            real = os.path.realpath(previous)
            earlier = (os.fspath(previous), _display(os.fspath(previous)))
            return {i.display: earlier for i in items
                    if i.error is None and (i.path is None or os.path.realpath(i.path) != real)}
        files = [i for i in items if i.path is not None and i.error is None]
        if len(files) < 2:
            return {}
        from gklint.identity import identify_text, pair_reports

        found = []
        paths = {}
        for item in files:
            assert item.path is not None
            text = self._head_text(item.path, item.display)
            if text is None:
                continue
            who = identify_text(text, self.data)
            found.append((item.display, who.key, who.year))
            paths[item.display] = item.path
        return {name: (paths[before], before) for name, before in pair_reports(found).items()}

    def _head_text(self, path: str, display: str) -> str | None:
        """The text of a file as its reader gives it (``None``: it cannot be read), for identifying it."""
        from gklint.identity import quick_text

        found = self.plugin_set.reader_for(display)
        data = _read_file(path, display, self.config.limits.max_file_bytes)
        if found is None or isinstance(data, FileResult):
            return None
        quick = quick_text(data, suffix_of(display)) if found[0].name in ("html", "docx", "pdf") else None
        if quick is not None:
            return quick
        try:
            return found[0].read(data, display, self.config.limits).text
        except Exception:  # reported when the file itself is linted
            return None

    # -- many inputs ------------------------------------------------------------

    def iter_inputs(self, paths: Iterable[str | os.PathLike[str]], *,
                    stdin_filename: str | None = None, follow_links: bool = False) -> Iterator[InputFile]:
        """Expand *paths*: directories recursively (sorted), ``-`` as standard input.

        A walk reads only files with a documented suffix (:data:`WALK_SUFFIXES`, or one a loaded
        reader claims; never none), and stays inside the
        directory given: a symbolic link (to a directory or a file) whose target is outside it is
        skipped unless *follow_links*.  Files named as arguments are read whatever their name.
        """
        suffixes = {suffix for suffix in (*WALK_SUFFIXES, *self.plugin_set.readers) if suffix}
        seen_files: set[str] = set()
        seen_dirs: set[tuple[int, int]] = set()
        for raw in paths:
            arg = os.fspath(raw)
            if arg == STDIN:
                yield InputFile(_display(stdin_filename or STDIN), None)
                continue
            path = os.fspath(Path(arg))  # (normalised: "a//b/" is "a/b")
            shown = _display(arg)
            if os.path.isdir(path):
                inside = None if follow_links else os.path.realpath(path)
                yield from _walk(path, shown.rstrip("/") or "/", self.config, suffixes, seen_dirs, seen_files, inside)
            elif not os.path.exists(path):
                yield InputFile(shown, path, _unreadable(shown, "文件不存在", "no such file or directory"))
            else:
                real = os.path.realpath(path)
                if real not in seen_files:
                    seen_files.add(real)
                    yield InputFile(shown, path)

    def lint_paths(self, paths: Iterable[str | os.PathLike[str]], *, stdin_filename: str | None = None,
                   stdin: IO[bytes] | None = None, jobs: int = 1,
                   progress: Callable[[int, int], None] | None = None, follow_links: bool = False,
                   previous: str | os.PathLike[str] | None = None) -> RunResult:
        """Lint files, directories and ``-`` (standard input, named *stdin_filename*).

        *jobs* > 1 lints in that many worker processes (same result as 1); *progress* is
        called as ``progress(done, total)``.  Each document gets at most
        ``[limits] max-seconds-per-document`` (see :mod:`gklint.parallel`).  Reports of one
        agency are compared with the year before (:meth:`pair_inputs`); *previous* gives
        the earlier report of every input instead.
        """
        return self.result(list(self.iter_results(paths, stdin_filename=stdin_filename, stdin=stdin, jobs=jobs,
                                                  progress=progress, follow_links=follow_links, previous=previous)))

    def iter_results(self, paths: Iterable[str | os.PathLike[str]], *, stdin_filename: str | None = None,
                     stdin: IO[bytes] | None = None, jobs: int = 1,
                     progress: Callable[[int, int], None] | None = None,
                     follow_links: bool = False,
                     previous: str | os.PathLike[str] | None = None) -> Iterator[FileResult]:
        """:meth:`lint_paths` one file at a time: each result as soon as it is ready, in path order.

        Nothing is kept, so memory does not grow with the number of files (feed a
        :class:`~gklint.formats.StreamingReporter` and a ``RunTally``).
        """
        from functools import partial

        from gklint.parallel import run_inputs

        # Results come back in input order, so sorting the inputs gives the reporters' path order
        # (``FileResult.path`` is the input's display name; the sort is stable for duplicates).
        items = sorted(self.iter_inputs(paths, stdin_filename=stdin_filename, follow_links=follow_links),
                       key=lambda i: i.display)
        self.previous = self.pair_inputs(items, previous)
        rebuild = partial(_rebuilt, self.config, self.keep_tables)
        run = run_inputs(self, items, jobs=jobs, stdin=stdin, progress=progress, rebuild=rebuild)
        del items  # run_inputs keeps only what each input still needs
        yield from run

    def result(self, files: list[FileResult]) -> RunResult:
        """Wrap per-file results into a :class:`RunResult` with this linter's rules and plugins."""
        ps = self.plugin_set
        active = {a.rule.id: a.rule for a in sorted([*self.active, *self.regional_active], key=lambda a: a.rule.id)}
        return RunResult(
            files=files,
            rules=active,
            rule_plugins={rid: ps.rule_plugins.get(rid, "") for rid in active},
            plugins=list(ps.plugins),
            notifications=list(self.notifications),
            fail_on=self.config.fail_on,
            version=gklint.__version__,
        )


def _rebuilt(config: Config, keep_tables: bool) -> Linter:
    """A linter like the one that ran *config*, built again in a spawned worker process."""
    linter = Linter(config)
    linter.keep_tables = keep_tables
    return linter


def _hint(name: str, known: list[str], zh: str, en: str) -> tuple[str, str]:
    """``（是否想写 X？）`` for the closest of *known*, else the given pointer."""
    from difflib import get_close_matches

    close = get_close_matches(name, known, n=1)
    if close:
        return f"（是否想写 {close[0]}？）", f" (did you mean {close[0]}?)"
    return f"（{zh}）", f" ({en})"


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, int | float) and isinstance(value, int | float):
        return isinstance(default, float) or isinstance(value, int)
    if isinstance(default, list | tuple):
        return isinstance(value, list | tuple)
    if isinstance(default, dict):
        return isinstance(value, dict)
    return isinstance(value, type(default))


def _too_big(path: str, size: int, limit: int) -> FileResult:
    return _unreadable(
        path,
        f"文件过大（{size} 字节，上限 {limit} 字节；可调高配置 [limits] max-file-bytes）",
        f"file too large ({size} bytes, limit {limit}; raise [limits] max-file-bytes in the configuration)",
    )


def _read_file(path: str | os.PathLike[str], shown: str, limit: int) -> bytes | FileResult:
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            return _unreadable(shown, "不是普通文件（可能是管道、设备或套接字），已跳过",
                               "not a regular file (a pipe, device or socket); skipped")
        size = st.st_size
        if size > limit:
            return _too_big(shown, size, limit)
        with open(path, "rb") as fh:
            # read what stat() reported (a read of limit + 1 bytes would allocate that much first),
            # then the rest if the file grew meanwhile
            data = fh.read(size + 1)
            if len(data) > size:
                data += fh.read(limit + 1 - len(data))
    except OSError as exc:
        reason = exc.strerror or exception_text(exc)
        return _unreadable(shown, f"无法打开文件（{reason}）", f"cannot open file ({reason})")
    if len(data) > limit:
        return _too_big(shown, len(data), limit)
    return data


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _walk(directory: str, shown: str, config: Config, suffixes: set[str],
          seen_dirs: set[tuple[int, int]], seen_files: set[str], inside: str | None = None) -> Iterator[InputFile]:
    """Files under *directory* in sorted order; hidden entries and ``exclude`` matches skipped.

    Each real directory is entered once, so symlink loops end.  Only names and
    path strings are kept per file (a directory may hold many thousands).  With
    *inside* (a real path), symbolic links whose targets are outside it are skipped.
    """
    try:
        st = os.stat(directory)
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            return
        seen_dirs.add(key)
        with os.scandir(directory) as scan:
            listing = sorted((entry.name, _kind(entry), _is_link(entry)) for entry in scan
                             if not entry.name.startswith("."))
        real_dir = os.path.realpath(directory)
    except OSError as exc:
        reason = exc.strerror or exception_text(exc)
        yield InputFile(shown, directory, _unreadable(shown, f"无法读取目录（{reason}）", f"cannot read directory ({reason})"))
        return
    for name, kind, link in listing:
        child = os.path.join(directory, name)
        child_shown = name if shown == "." else f"{shown}/{name}"
        if config.exclude and config.is_excluded(Path(child)):
            continue
        if link and inside is not None and not _inside(os.path.realpath(child), inside):
            continue  # a link out of the tree (--follow-links to follow it)
        if kind == "dir":
            yield from _walk(child, child_shown, config, suffixes, seen_dirs, seen_files, inside)
        elif kind != "other" and suffix_of(name) in suffixes:
            # (resolving each file's path costs a system call per path component)
            real = os.path.realpath(child) if kind == "link" else os.path.join(real_dir, name)
            if real not in seen_files:
                seen_files.add(real)
                yield InputFile(child_shown, child)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _kind(entry: os.DirEntry[str]) -> str:
    """``dir``, ``file``, ``link`` (a symbolic link to a file) or ``other``."""
    try:
        if entry.is_dir():
            return "dir"
        if entry.is_file():
            return "link" if entry.is_symlink() else "file"
    except OSError:
        pass
    return "other"


# -- convenience functions ------------------------------------------------------


def lint_paths(paths: Iterable[str | os.PathLike[str]], config: Config | None = None, *,
               stdin_filename: str | None = None, plugins: Sequence[PluginSpec] = (),
               autoload: bool = True, jobs: int = 1) -> RunResult:
    """Load plugins once and lint *paths* (files, directories, ``-``) with *jobs* processes."""
    linter = Linter(config, plugins=plugins, autoload=autoload)
    return linter.lint_paths(paths, stdin_filename=stdin_filename, jobs=jobs)


def _linter(options: dict[str, Any]) -> Linter:
    config = options.pop("config", None) or Config()
    plugins = options.pop("plugins", ())
    autoload = options.pop("autoload", True)
    return Linter(config.override(**options), plugins=plugins, autoload=autoload)


def lint_path(path: str | os.PathLike[str], **options: Any) -> FileResult:
    """Lint one file.

    :param options: ``config`` (a :class:`Config`; defaults otherwise, no file search),
        ``plugins``, ``autoload``, and configuration keys with ``_`` for ``-``
        (``select=["GK2"]``, ``fail_on="warning"``).
    """
    linter = _linter(dict(options))
    result = linter.lint_file(path)
    result.notifications[:0] = linter.notifications
    return result


def lint_text(text: str | bytes, filename: str = "report.txt", **options: Any) -> FileResult:
    """Lint *text* (``str`` is encoded as UTF-8) as if read from *filename*; options as :func:`lint_path`."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    linter = _linter(dict(options))
    result = linter.lint_bytes(data, _display(filename))
    result.notifications[:0] = linter.notifications
    return result


def publishable(result: FileResult, fail_on: str | None = "error") -> bool:
    """The pre-publish verdict for one file, as the CLI's exit code and the JSON ``verdict`` give it.

    True when the file was read, nothing went wrong (no error-level notification)
    and no finding is at or above *fail_on* (``"error"``, ``"warning"``, ``"info"``;
    ``"never"`` or ``None``: findings never block).  Pass the ``fail_on`` you linted with.
    """
    if not result.readable or any(n.level == "error" for n in result.notifications):
        return False
    if fail_on in (None, "never"):
        return True
    from gklint.findings import Severity

    rank = Severity(fail_on).rank
    return not any(f.severity.rank >= rank for f in result.findings)
