"""Baselines: record today's findings, report only new ones later (``--baseline``, ``--write-baseline``).

An entry identifies a finding by file, rule, logical location (the section /
table path, without the reader's paragraph and row numbers), Chinese message and
``Finding.key`` — never by line or column — so inserting or moving text does not
break it.  Identical findings in one file are counted.

The file (documented in ``docs/editing-workflow.md``) is UTF-8 JSON, keys sorted,
indented by 2, entries sorted::

    {"gklint_baseline": 1,
     "files": {"reports/2022.txt": [
        {"rule": "GK401", "logical": "标题与导语", "message": "文号“…”格式不规范…",
         "key": ["国办公开办函〔2021〕30号"], "count": 1}]}}

Paths are relative to the baseline file's directory (``/`` separators); a
standard-input name is kept as given.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from gklint.findings import Finding, Message
from gklint.reporters.base import dump_json
from gklint.results import FileResult, RunResult

__all__ = ["BASELINE_VERSION", "BaselineError", "apply_baseline", "entry_key", "load_baseline", "write_baseline"]

BASELINE_VERSION = 1
#: The largest count an entry may record (identical findings in one file).
MAX_COUNT = 1_000_000_000
#: Reader labels (paragraph and row numbers) that move when text is inserted.
_READER_LABEL = re.compile(r"(?: › )?(?:第\d+段(?:（[^）]*）)?|(?:表\d+|文中第\d+个表格) › 第\d+行 › 第\d+列)$")

Entry = tuple[str, str, str, tuple[str, ...]]  # rule, logical, message, key


class BaselineError(Exception):
    """The baseline file cannot be read or written; ``message`` names the file and the problem."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


def logical(finding: Finding) -> str:
    """The finding's logical path without the reader's positional label."""
    return _READER_LABEL.sub("", finding.location.logical)


def entry_key(finding: Finding) -> Entry:
    return (finding.rule_id, logical(finding), finding.message.zh, tuple(finding.key))


def _file_key(path: str, baseline: Path) -> str:
    if path == "-" or not os.path.exists(path):
        return path
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(baseline.parent) or ".")
    return rel.replace(os.sep, "/")


def load_baseline(path: str | os.PathLike[str]) -> dict[str, Counter[Entry]]:
    """The entries of baseline file *path* by file key.

    :raises BaselineError: missing, unreadable, not JSON, or not a gklint baseline of a known version.
    """
    target = Path(path)
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(Message(f"基线文件 {target} 不存在（可用 --write-baseline {target} 生成）",
                                    f"baseline file {target} not found (create it with --write-baseline {target})")) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # (ValueError: also a number of 4,300+ digits)
        raise BaselineError(Message(f"无法读取基线文件 {target}：{exc}", f"cannot read baseline file {target}: {exc}")) from None
    if not isinstance(raw, dict) or raw.get("gklint_baseline") != BASELINE_VERSION or not isinstance(raw.get("files"), dict):
        raise BaselineError(Message(f"{target} 不是 gklint 基线文件（或版本不受支持）",
                                    f"{target} is not a gklint baseline file (or its version is not supported)"))
    out: dict[str, Counter[Entry]] = {}
    for file, entries in raw["files"].items():
        where = f"files[{json.dumps(file, ensure_ascii=False)}]"
        if not isinstance(entries, list):
            raise _malformed(target, where, "应为列表", "must be a list", entries)
        counter: Counter[Entry] = Counter()
        for i, e in enumerate(entries):
            at = f"{where}[{i}]"
            if not isinstance(e, dict):
                raise _malformed(target, at, "应为对象", "must be an object", e)
            for name in ("rule", "logical", "message", "key", "count"):
                if name not in e:
                    raise BaselineError(Message(f"基线文件 {target}：{at} 缺少 {name}",
                                                f"baseline file {target}: {at} has no {name}"))
            for name in ("rule", "logical", "message"):
                if not isinstance(e[name], str):
                    raise _malformed(target, f"{at}.{name}", "应为字符串", "must be a string", e[name])
            if not isinstance(e["key"], list) or not all(isinstance(k, str) for k in e["key"]):
                raise _malformed(target, f"{at}.key", "应为字符串列表", "must be a list of strings", e["key"])
            count = e["count"]
            if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
                raise _malformed(target, f"{at}.count", f"应为 1 到 {MAX_COUNT} 之间的整数",
                                 f"must be an integer from 1 to {MAX_COUNT}", count)
            counter[(e["rule"], e["logical"], e["message"], tuple(e["key"]))] += count
        out[str(file)] = counter
    return out


def _malformed(target: Path, where: str, zh: str, en: str, value: object) -> BaselineError:
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return BaselineError(Message(f"基线文件 {target}：{where} {zh}（实际为 {shown}）",
                                 f"baseline file {target}: {where} {en} (got {shown})"))


def _entries(counter: Mapping[Entry, int]) -> list[dict[str, Any]]:
    return [{"rule": r, "logical": lg, "message": m, "key": list(k), "count": n}
            for (r, lg, m, k), n in sorted(counter.items()) if n > 0]


def write_baseline(path: str | os.PathLike[str], files: Iterable[FileResult]) -> int:
    """Record the findings of *files* in baseline *path*; entries of other files already there are kept.

    Returns the number of findings recorded.  Written atomically.
    :raises BaselineError: the file cannot be written (or the existing one is not a baseline).
    """
    target = Path(path)
    existing = load_baseline(target) if target.exists() else {}
    total = 0
    for file in files:
        if not file.readable:
            continue
        counter = Counter(entry_key(f) for f in file.findings)
        total += sum(counter.values())
        existing[_file_key(file.path, target)] = counter
    doc = {"gklint_baseline": BASELINE_VERSION,
           "files": {name: _entries(c) for name, c in sorted(existing.items()) if sum(c.values())}}
    text = dump_json(doc)
    from gklint.atomic import write_bytes_atomic

    try:
        write_bytes_atomic(target, text.encode("utf-8"))
    except OSError as exc:
        raise BaselineError(Message(f"无法写入基线文件 {target}（{exc.strerror or exc}）",
                                    f"cannot write baseline file {target} ({exc.strerror or exc})")) from None
    return total


def apply_baseline(result: RunResult, path: str | os.PathLike[str]) -> None:
    """Move findings recorded in baseline *path* from ``FileResult.findings`` to ``FileResult.baselined``.

    Sets ``RunResult.baseline`` and ``RunResult.baseline_absent`` (entries of the
    linted files that were not found again).
    :raises BaselineError: as :func:`load_baseline`.
    """
    target = Path(path)
    recorded = load_baseline(target)
    absent = 0
    for file in result.files:
        remaining = Counter(recorded.get(_file_key(file.path, target), Counter()))
        new: list[Finding] = []
        for finding in file.findings:
            key = entry_key(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                file.baselined.append(finding)
            else:
                new.append(finding)
        file.findings = new
        if file.readable:
            absent += sum(n for n in remaining.values() if n > 0)
    result.baseline = os.fspath(path)
    result.baseline_absent = absent
