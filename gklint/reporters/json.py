"""The ``json`` output format: a documented, versioned shape for machines.

The shape is described in ``docs/json-output.md`` and by the JSON Schema
``gklint/schemas/gklint-output.schema.json`` (shipped in the wheel; load it with
:func:`schema`).  :data:`SCHEMA_VERSION` changes its major number on any
incompatible change; new optional keys only bump the minor number.

Contract: the output is one JSON object, UTF-8 text (``ensure_ascii=False``),
indented by 2, keys sorted, lists in a deterministic order (files by path,
findings by :meth:`~gklint.findings.Finding.sort_key`), so the same run gives
byte-identical output.  The reporter never opens files.

This module also holds :func:`finding_fingerprint`, shared with the SARIF
reporter: a hash of the finding's identity that does not change when lines move.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from gklint import hookimpl
from gklint.findings import Finding, Location, Notification, Severity
from gklint.formats import ReporterFactory, ReportOptions
from gklint.reporters.base import dump_json
from gklint.results import FileResult, PluginInfo, RunResult

__all__ = [
    "SCHEMA_VERSION",
    "JsonReporter",
    "build",
    "file_fingerprints",
    "finding_fingerprint",
    "fingerprints",
    "gklint_reporters",
    "ordered_findings",
    "ordered_notifications",
    "schema",
]

SCHEMA_VERSION = "1.2"
SCHEMA_RESOURCE = "schemas/gklint-output.schema.json"


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of this reporter's output, from package data."""
    import json
    from importlib.resources import files

    text = files("gklint").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


# -- ordering and identity (shared with the SARIF reporter) ------------------------


def ordered_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in report order: ``sort_key`` then end position, English message, key."""

    def order(f: Finding) -> tuple[Any, ...]:
        loc = f.location
        return (*f.sort_key(), loc.end_line, loc.end_column, f.message.en, f.key)

    return sorted(findings, key=order)


def ordered_notifications(notes: Iterable[Notification]) -> list[Notification]:
    """Notifications in a stable order (by path, kind, plugin, rule, message)."""
    return sorted(
        notes, key=lambda n: (n.path, n.kind, n.plugin, n.rule_id, n.message.zh, n.exception)
    )


def finding_fingerprint(finding: Finding) -> str:
    """SHA-256 (hex) of the finding's identity: rule id, logical path, Chinese message, key.

    Line and column numbers are deliberately left out, so the fingerprint
    survives edits elsewhere in the report.  The path is left out too: consumers
    (GitHub code scanning, baselines) pair it with the file themselves.
    """
    import json

    identity = [finding.rule_id, finding.location.logical, finding.message.zh, list(finding.key)]
    data = json.dumps(identity, ensure_ascii=False, separators=(",", ":"))
    import hashlib  # here, not at the top: loading OpenSSL costs every start a few ms

    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def file_fingerprints(file: FileResult) -> dict[int, str]:
    """Fingerprints of a file's reported, suppressed and baselined findings together, by ``id(finding)``.

    Counting them together keeps a finding's fingerprint the same whether or not
    it is suppressed or baselined.
    """
    every = ordered_findings([*file.findings, *file.suppressed, *file.baselined])
    return {id(f): fp for f, fp in zip(every, fingerprints(every), strict=True)}


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """``hash:n`` for each finding of one file, in order; ``n`` counts identical hashes.

    Two findings with the same identity in one file get ``…:1`` and ``…:2`` (as
    GitHub's own ``primaryLocationLineHash`` does), so neither hides the other.
    """
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        digest = finding_fingerprint(finding)
        seen[digest] = seen.get(digest, 0) + 1
        out.append(f"{digest}:{seen[digest]}")
    return out


# -- the document -----------------------------------------------------------------


def _location(loc: Location) -> dict[str, Any]:
    return loc.as_dict()


def _notification(note: Notification, lang: str) -> dict[str, Any]:
    return {
        "kind": note.kind,
        "level": note.level,
        "message": note.message.get(lang),
        "message_zh": note.message.zh,
        "message_en": note.message.en,
        "path": note.path or None,
        "plugin": note.plugin or None,
        "rule_id": note.rule_id or None,
        "exception": note.exception or None,
    }


def _finding(finding: Finding, fingerprint: str, lang: str) -> dict[str, Any]:
    fix = None
    if finding.fix is not None:
        fix_loc, replacement, description = finding.fix
        fix = {
            "location": _location(fix_loc),
            "replacement": replacement,
            "description": description.get(lang),
            "safe": finding.fix_safe,
        }
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity.value,
        "message": finding.message.get(lang),
        "message_zh": finding.message.zh,
        "message_en": finding.message.en,
        "location": _location(finding.location),
        "related": [
            {"location": _location(loc), "message": message.get(lang)}
            for loc, message in finding.related
        ],
        "fix": fix,
        "plugin": finding.plugin or None,
        "key": list(finding.key),
        "fingerprint": fingerprint,
    }


def _extra(finding: Finding, fingerprint: str, lang: str, state: str | None,
           result: RunResult | None = None) -> dict[str, Any]:
    out = _finding(finding, fingerprint, lang)
    if finding.pack:
        out["pack"] = finding.pack
        out["pack_label"] = (result.pack_label(finding.pack) if result is not None
                             else PluginInfo(finding.pack, "", "").pack_label()).get(lang)
    if finding.suppression is not None:
        out["suppression"] = {"kind": "inSource", "reason": finding.suppression}
    if state is not None:
        out["baseline_state"] = state
    return out


def _file(result: RunResult, file: FileResult, lang: str) -> dict[str, Any]:
    fps = file_fingerprints(file)
    new = "new" if result.baseline is not None else None
    return {
        "path": file.path,
        "reader": file.reader,
        "encoding": file.encoding,
        "coordinates": file.coordinates,
        "readable": file.readable,
        "layout": file.layout,
        "year": file.year,
        "region": file.region,
        "verdict": {
            "publishable": result.publishable(file),
            "fail_on": result.fail_on.value if result.fail_on is not None else "never",
        },
        "counts": file.counts(),
        "findings": [_extra(f, fps[id(f)], lang, new, result) for f in ordered_findings(file.findings)],
        "suppressed": [_extra(f, fps[id(f)], lang, None, result) for f in ordered_findings(file.suppressed)],
        "baselined": [_extra(f, fps[id(f)], lang, "unchanged", result) for f in ordered_findings(file.baselined)],
        "notifications": [
            _notification(n, lang) for n in ordered_notifications(file.notifications)
        ],
        **({"previous": file.previous} if file.previous is not None else {}),
    }


def _rules(result: RunResult, files: list[FileResult], lang: str) -> list[dict[str, Any]]:
    fired = sorted({f.rule_id for file in files for f in file.findings})
    out = []
    for rule_id in fired:
        rule = result.rules.get(rule_id)
        entry: dict[str, Any] = {
            "id": rule_id,
            "plugin": result.rule_plugins.get(rule_id),
            "name": None,
            "family": None,
            "default_severity": None,
            "short": None,
            "help": None,
            "source": None,
        }
        if rule is not None:
            entry.update(
                name=rule.name,
                family=rule.family,
                default_severity=rule.severity.value,
                short=rule.short.get(lang),
                help=rule.help.get(lang) or None,
                source=rule.source.get(lang) or None,
            )
        out.append(entry)
    return out


def build(result: RunResult, options: ReportOptions) -> dict[str, Any]:
    """The output document as a plain ``dict`` (what :class:`JsonReporter` serialises)."""
    lang = "en" if options.lang == "en" else "zh"
    files = sorted(result.files, key=lambda f: f.path)
    totals = {s.value: 0 for s in Severity}
    for file in files:
        for severity, n in file.counts().items():
            totals[severity] += n
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {
            "name": "gklint",
            "version": result.version,
            "plugins": [
                {
                    "name": p.name,
                    "distribution": p.distribution,
                    "version": p.version,
                    "loaded": p.loaded,
                    "builtin": p.builtin,
                }
                for p in sorted(result.plugins, key=lambda p: (p.name, p.distribution))
            ],
        },
        "lang": lang,
        "fail_on": result.fail_on.value if result.fail_on is not None else "never",
        "execution_successful": result.execution_successful,
        "summary": {
            "files": len(files),
            "unreadable": sum(1 for f in files if not f.readable),
            "findings": sum(totals.values()),
            "counts": totals,
            "publishable": result.execution_successful
            and all(result.publishable(f) for f in files),
            "suppressed": sum(len(f.suppressed) for f in files),
            "baselined": sum(len(f.baselined) for f in files),
        },
        "baseline": None
        if result.baseline is None
        else {"path": result.baseline, "absent": result.baseline_absent},
        "files": [_file(result, f, lang) for f in files],
        "rules": _rules(result, files, lang),
        "notifications": [
            _notification(n, lang) for n in ordered_notifications(result.notifications)
        ],
    }


class JsonReporter:
    """Writes :func:`build`'s document as indented, key-sorted UTF-8 JSON plus a newline."""

    def write(self, result: RunResult, stream: IO[str], options: ReportOptions) -> None:
        stream.write(dump_json(build(result, options)))


@hookimpl
def gklint_reporters() -> list[ReporterFactory]:
    return [
        ReporterFactory(
            "json", "JSON（见 docs/json-output.md）/ JSON, versioned schema", JsonReporter
        )
    ]
