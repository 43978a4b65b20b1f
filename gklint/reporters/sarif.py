"""The ``sarif`` output format: SARIF 2.1.0 for GitHub code scanning and other viewers.

Contract (valid against the official SARIF 2.1.0 schema, one run):

* ``tool.driver`` is gklint with the rules of the built-in (national) pack that
  fired or crashed; rules of third-party plugins go to ``tool.extensions`` (one
  tool component per plugin, every loaded third-party plugin listed), and their
  results reference them by ``rule.toolComponent.index``.
* Each result has one location whose ``artifactLocation.uri`` is the file path
  relative to ``options.root``, percent-encoded per RFC 3986 with ``/``
  separators and ``uriBaseId: "%SRCROOT%"``; a file outside the root gets an
  absolute ``file:`` URI.  Lines and columns are 1-based Unicode code points
  (``run.columnKind: "unicodeCodePoints"``) in the coordinates recorded per
  artifact (``properties.coordinates``: ``source`` for .txt/.html,
  ``extracted-text`` for .docx).
* ``partialFingerprints["gklintFinding/v1"]`` is
  :func:`gklint.reporters.json.fingerprints`: it does not change when lines move.
* Findings silenced by an inline comment are results with ``suppressions:
  [{kind: "inSource", justification: reason}]``; with a baseline every result has a
  ``baselineState`` (``new``, or ``unchanged`` for recorded ones); they never vanish.
* Fixes are emitted only for files in source coordinates (a replacement in a
  .docx's extracted text cannot be applied to the .docx).
* Every notification (run-level and per file) is a
  ``invocations[0].toolExecutionNotifications`` entry; ``executionSuccessful``
  is :attr:`RunResult.execution_successful`.
* Deterministic: the same run gives byte-identical output (keys sorted, indent 2,
  ``ensure_ascii=False``).  The reporter never opens files.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO, Any

from gklint import hookimpl
from gklint.findings import Finding, Location, Message, Notification, Severity
from gklint.formats import ReporterFactory, ReportOptions
from gklint.lazyre import lazy
from gklint.reporters.base import dump_json
from gklint.reporters.json import (
    SCHEMA_VERSION,
    file_fingerprints,
    ordered_findings,
    ordered_notifications,
)
from gklint.results import FileResult, PluginInfo, RunResult
from gklint.rule import Rule

__all__ = ["SarifReporter", "artifact_uri", "build", "gklint_reporters"]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://example.invalid/gklint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "gklintFinding/v1"

_SEMVER = lazy(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_MIME = {
    ".txt": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_NOTIFICATION_LEVELS = {
    "error": "error",
    "warning": "warning",
    "note": "note",
    "info": "note",
    "none": "none",
}


# -- URIs -------------------------------------------------------------------------


def artifact_uri(path: str, root: str) -> tuple[str, str | None]:
    """``(uri, uriBaseId)`` for *path* (as the user gave it) relative to *root*.

    Relative URIs are percent-encoded (UTF-8, RFC 3986) with ``/`` separators
    and based on ``%SRCROOT%``; a path outside *root* (or on another drive)
    becomes an absolute ``file:`` URI with no base id.  Uses only path
    arithmetic; nothing is opened.
    """
    native = path.replace("/", os.sep)
    absolute = os.path.abspath(native)
    try:
        rel = os.path.relpath(absolute, os.path.abspath(root))
    except ValueError:  # another drive on Windows
        rel = ""
    rel_posix = rel.replace(os.sep, "/")
    if rel and not rel_posix.startswith("../") and rel_posix != ".." and not os.path.isabs(rel):
        from urllib.parse import quote

        # (a name that is not UTF-8 keeps its bytes: surrogateescape, then percent-encoded)
        return quote(posixpath.normpath(rel_posix), safe="/", errors="surrogateescape"), SRCROOT
    return Path(absolute).as_uri(), None


def _root_uri(root: str) -> str:
    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _text(value: str, fallback: str) -> str:
    """SARIF message strings must not be empty for a useful display."""
    return value if value.strip() else fallback


# -- the document -----------------------------------------------------------------


class _Components:
    """Rule descriptors for the driver and the extensions, with stable indices."""

    def __init__(self, result: RunResult, files: list[FileResult], lang: str) -> None:
        self.result = result
        self.lang = lang
        infos = {p.name: p for p in result.plugins}
        referenced: dict[str, str] = {}  # rule id -> plugin name
        for file in files:
            for finding in (*file.findings, *file.suppressed, *file.baselined):
                referenced.setdefault(
                    finding.rule_id, finding.plugin or result.rule_plugins.get(finding.rule_id, "")
                )
            for note in file.notifications:
                if note.rule_id:
                    referenced.setdefault(
                        note.rule_id, note.plugin or result.rule_plugins.get(note.rule_id, "")
                    )
        for note in result.notifications:
            if note.rule_id and note.rule_id in result.rules:
                referenced.setdefault(
                    note.rule_id, note.plugin or result.rule_plugins.get(note.rule_id, "")
                )

        # Which component each referenced rule belongs to: None = the driver.
        self.component_of: dict[str, str | None] = {}
        extension_names = {p.name for p in result.plugins if p.loaded and not p.builtin}
        for rule_id, plugin in referenced.items():
            info = infos.get(plugin)
            if info is not None and not info.builtin:
                self.component_of[rule_id] = plugin
                extension_names.add(plugin)
            elif info is None and plugin and not rule_id.startswith("GK"):
                self.component_of[rule_id] = plugin  # an unknown third-party plugin
                extension_names.add(plugin)
            else:
                self.component_of[rule_id] = None
        self.extension_names = sorted(extension_names)
        self.extension_index = {name: i for i, name in enumerate(self.extension_names)}
        self.infos = infos

        self.rules: dict[str | None, list[str]] = {None: []}
        for name in self.extension_names:
            self.rules[name] = []
        for rule_id in sorted(self.component_of):
            self.rules[self.component_of[rule_id]].append(rule_id)
        self.rule_index = {
            rule_id: i for ids in self.rules.values() for i, rule_id in enumerate(ids)
        }

    def reference(self, rule_id: str) -> dict[str, Any]:
        """A ``reportingDescriptorReference`` to *rule_id*."""
        ref: dict[str, Any] = {"id": rule_id}
        if rule_id in self.rule_index:
            ref["index"] = self.rule_index[rule_id]
            component = self.component_of[rule_id]
            if component is not None:
                ref["toolComponent"] = {"index": self.extension_index[component], "name": component}
        return ref

    def descriptor(self, rule_id: str) -> dict[str, Any]:
        rule = self.result.rules.get(rule_id)
        if rule is None:
            return {
                "id": rule_id,
                "shortDescription": {"text": rule_id},
                "properties": {"tags": ["compliance"]},
            }
        return _descriptor(rule, self.lang)

    def driver(self, version: str) -> dict[str, Any]:
        driver: dict[str, Any] = {
            "name": "gklint",
            "version": version,
            "informationUri": INFORMATION_URI,
            "language": _language(self.lang),
            "rules": [self.descriptor(r) for r in self.rules[None]],
        }
        if _SEMVER.match(version):
            driver["semanticVersion"] = version
        return driver

    def extensions(self) -> list[dict[str, Any]]:
        out = []
        for name in self.extension_names:
            info: PluginInfo | None = self.infos.get(name)
            component: dict[str, Any] = {
                "name": name,
                "language": _language(self.lang),
                "rules": [self.descriptor(r) for r in self.rules[name]],
            }
            if info is not None:
                if info.version:
                    component["version"] = info.version
                    if _SEMVER.match(info.version):
                        component["semanticVersion"] = info.version
                if info.distribution and info.distribution != name:
                    component["fullName"] = info.distribution
                if info.distribution:
                    component["properties"] = {"distribution": info.distribution}
            out.append(component)
        return out


def _language(lang: str) -> str:
    return "en-US" if lang == "en" else "zh-CN"


def _family_tag(rule: Rule, lang: str) -> str:
    if rule.family_name is None:
        return rule.family
    return f"{rule.family} {rule.family_name.get(lang)}"


def _descriptor(rule: Rule, lang: str) -> dict[str, Any]:
    short = _text(rule.short.get(lang), rule.id)
    full = _text(rule.full.get(lang), short)
    help_text = rule.help.get(lang)
    source = rule.source.get(lang)
    source_label = "Source" if lang == "en" else "依据"
    help_lines = [p for p in (help_text, f"{source_label}: {source}" if source else "") if p]
    help_plain = "\n\n".join(help_lines) or full
    markdown = [f"**{rule.id} {rule.name}**", full]
    if help_text:
        markdown.append(help_text)
    if source:
        markdown.append(f"*{source_label}*: {source}")
    tags = [t for t in (_family_tag(rule, lang), "compliance") if t]
    properties: dict[str, Any] = {"tags": list(dict.fromkeys(tags)), "family": rule.family}
    if source:
        properties["source"] = source
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help_plain, "markdown": "\n\n".join(markdown)},
        "defaultConfiguration": {"level": rule.severity.sarif_level},
        "properties": properties,
    }


def _region(loc: Location, snippet: bool = True) -> dict[str, Any]:
    start_line = max(loc.start_line, 1)
    start_column = max(loc.start_column, 1)
    end_line = max(loc.end_line, start_line)
    end_column = max(loc.end_column, 1)
    if end_line == start_line:
        end_column = max(end_column, start_column)
    region: dict[str, Any] = {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }
    if snippet and loc.snippet:
        region["snippet"] = {"text": loc.snippet}
    return region


def _artifact_location(path: str, root: str, index: int | None) -> dict[str, Any]:
    uri, base = artifact_uri(path, root)
    location: dict[str, Any] = {"uri": uri}
    if base is not None:
        location["uriBaseId"] = base
    if index is not None:
        location["index"] = index
    return location


def _artifacts(files: list[FileResult], root: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    entries: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for file in files:
        if file.path in index:
            continue
        index[file.path] = len(entries)
        entry: dict[str, Any] = {
            "location": _artifact_location(file.path, root, None),
            "roles": ["analysisTarget"],
            "properties": {
                "reader": file.reader,
                "coordinates": file.coordinates,
                "readable": file.readable,
            },
        }
        if file.encoding:
            entry["encoding"] = file.encoding
        mime = _MIME.get(PurePosixPath(file.path).suffix.lower())
        if mime:
            entry["mimeType"] = mime
        if file.layout:
            entry["properties"]["layout"] = file.layout
        if file.year is not None:
            entry["properties"]["year"] = file.year
        entries.append(entry)
    return entries, index


def _physical(
    loc: Location, root: str, artifacts: dict[str, int], snippet: bool = True
) -> dict[str, Any]:
    return {
        "artifactLocation": _artifact_location(loc.path, root, artifacts.get(loc.path)),
        "region": _region(loc, snippet),
    }


def _result(
    finding: Finding,
    fingerprint: str,
    file: FileResult,
    components: _Components,
    artifacts: dict[str, int],
    options: ReportOptions,
    labels: Callable[[str], Message] | None = None,
) -> dict[str, Any]:
    lang = options.lang
    loc = finding.location
    location: dict[str, Any] = {"physicalLocation": _physical(loc, options.root, artifacts)}
    if loc.logical:
        location["logicalLocations"] = [{"fullyQualifiedName": loc.logical, "kind": "element"}]
    page = loc.page()
    if page is not None:  # a PDF: lines and columns are in the extracted text; say where on paper
        location["properties"] = {"page": page[0], **({"pageLine": page[1]} if page[1] else {})}
    out: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": finding.severity.sarif_level,
        "message": {"text": _text(finding.message.get(lang), finding.rule_id)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if components.component_of.get(finding.rule_id) is None:
        out["ruleIndex"] = components.rule_index[finding.rule_id]
    else:
        out["rule"] = components.reference(finding.rule_id)
    if finding.related:
        related = []
        for i, (rel_loc, rel_message) in enumerate(finding.related, start=1):
            entry: dict[str, Any] = {"id": i}
            text = rel_message.get(lang)
            if text:
                entry["message"] = {"text": text}
            if rel_loc.path:
                entry["physicalLocation"] = _physical(rel_loc, options.root, artifacts)
            if rel_loc.logical:
                entry["logicalLocations"] = [
                    {"fullyQualifiedName": rel_loc.logical, "kind": "element"}
                ]
            related.append(entry)
        out["relatedLocations"] = related
    if finding.fix is not None and file.coordinates == "source":
        fix_loc, replacement, description = finding.fix
        out["fixes"] = [
            {
                "description": {
                    "text": _text(description.get(lang), replacement or finding.rule_id)
                },
                "artifactChanges": [
                    {
                        "artifactLocation": _artifact_location(
                            fix_loc.path or loc.path,
                            options.root,
                            artifacts.get(fix_loc.path or loc.path),
                        ),
                        "replacements": [
                            {
                                "deletedRegion": _region(fix_loc, snippet=False),
                                "insertedContent": {"text": replacement},
                            }
                        ],
                    }
                ],
            }
        ]
    properties: dict[str, Any] = {"severity": finding.severity.value}
    if finding.plugin:
        properties["plugin"] = finding.plugin
    if finding.pack:  # the rule pack whose data or rule produced it (a national rule on a pack's data)
        properties["pack"] = finding.pack
        if labels is not None:
            properties["packLabel"] = labels(finding.pack).get(lang)
    if lang == "en":
        properties["message_zh"] = finding.message.zh
    out["properties"] = properties
    return out


def _exception(text: str) -> dict[str, Any]:
    kind, sep, message = text.partition(": ")
    if sep and kind and " " not in kind:
        return {"kind": kind, "message": message}
    return {"message": text}


def _notification(
    note: Notification, components: _Components, artifacts: dict[str, int], options: ReportOptions
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "level": _NOTIFICATION_LEVELS.get(note.level, "error"),
        "message": {"text": _text(note.message.get(options.lang), note.kind)},
        "descriptor": {"id": note.kind},
    }
    if note.path:
        out["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact_location(
                        note.path, options.root, artifacts.get(note.path)
                    )
                }
            }
        ]
    if note.rule_id:
        out["associatedRule"] = components.reference(note.rule_id)
    if note.exception:
        out["exception"] = _exception(note.exception)
    properties: dict[str, Any] = {}
    if note.plugin:
        properties["plugin"] = note.plugin
    if properties:
        out["properties"] = properties
    return out


def build(result: RunResult, options: ReportOptions) -> dict[str, Any]:
    """The SARIF log as a plain ``dict`` (what :class:`SarifReporter` serialises)."""
    lang = "en" if options.lang == "en" else "zh"
    files = sorted(result.files, key=lambda f: f.path)
    components = _Components(result, files, lang)
    artifact_list, artifacts = _artifacts(files, options.root)

    results: list[dict[str, Any]] = []
    for file in files:
        fps = file_fingerprints(file)
        for finding in ordered_findings(file.findings):
            out = _result(finding, fps[id(finding)], file, components, artifacts, options, result.pack_label)
            if result.baseline is not None:
                out["baselineState"] = "new"
            results.append(out)
        for finding in ordered_findings(file.suppressed):
            out = _result(finding, fps[id(finding)], file, components, artifacts, options, result.pack_label)
            out["suppressions"] = [{"kind": "inSource", "justification": finding.suppression or ""}]
            results.append(out)
        for finding in ordered_findings(file.baselined):
            out = _result(finding, fps[id(finding)], file, components, artifacts, options, result.pack_label)
            out["baselineState"] = "unchanged"
            results.append(out)

    notes = ordered_notifications(result.notifications)
    for file in files:
        notes.extend(ordered_notifications(file.notifications))
    invocation: dict[str, Any] = {
        "executionSuccessful": result.execution_successful,
        "toolExecutionNotifications": [
            _notification(n, components, artifacts, options) for n in notes
        ],
    }

    tool: dict[str, Any] = {"driver": components.driver(result.version)}
    extensions = components.extensions()
    if extensions:
        tool["extensions"] = extensions

    run: dict[str, Any] = {
        "tool": tool,
        "invocations": [invocation],
        "language": _language(lang),
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {
            SRCROOT: {
                "uri": _root_uri(options.root),
                "description": {"text": "the directory artifact paths are relative to"},
            }
        },
        "artifacts": artifact_list,
        "results": results,
        "properties": {
            "gklintJsonSchemaVersion": SCHEMA_VERSION,
            "failOn": result.fail_on.value if result.fail_on is not None else "never",
            "publishable": result.execution_successful
            and all(result.publishable(f) for f in files),
            "counts": _counts(files),
            "suppressed": sum(len(f.suppressed) for f in files),
            "baselined": sum(len(f.baselined) for f in files),
            **({"baselineAbsent": result.baseline_absent} if result.baseline is not None else {}),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _counts(files: list[FileResult]) -> dict[str, int]:
    out = {s.value: 0 for s in Severity}
    for file in files:
        for severity, n in file.counts().items():
            out[severity] += n
    return out


class SarifReporter:
    """Writes :func:`build`'s log as indented, key-sorted UTF-8 JSON plus a newline."""

    def write(self, result: RunResult, stream: IO[str], options: ReportOptions) -> None:
        stream.write(dump_json(build(result, options)))


@hookimpl
def gklint_reporters() -> list[ReporterFactory]:
    return [
        ReporterFactory(
            "sarif", "SARIF 2.1.0（GitHub 代码扫描）/ SARIF 2.1.0 for code scanning", SarifReporter
        )
    ]
