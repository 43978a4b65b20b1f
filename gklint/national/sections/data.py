"""The sections (GK1) family's data: built and validated once at load time (``gklint_validate_data``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gklint import hookimpl
from gklint.data import DataError, StandardData
from gklint.findings import Message
from gklint.normalize import fold

_NOT_TEXT = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class _Config:
    """``[section_checks]`` of the standard data, validated and compiled."""

    patterns: tuple[re.Pattern[str], ...]
    separators: re.Pattern[str]  # group ``weak`` marks a conjunction, anything else ends an item
    item_prefix: re.Pattern[str]
    item_strip: re.Pattern[str]
    fuzzy_ratio: float
    aliases: Mapping[str, tuple[str, ...]]
    placeholders: frozenset[str]
    placeholder_patterns: tuple[re.Pattern[str], ...]


def _data_error(path: str, key: str, zh: str, en: str) -> DataError:
    return DataError(Message(f"{path}: 键 section_checks.{key}：{zh}", f"{path}: key section_checks.{key}: {en}"))


def _regex(value: Any, path: str, key: str) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise _data_error(path, key, "应为正则表达式字符串", "expected a regular expression string")
    try:
        return re.compile(value)
    except re.error as exc:
        raise _data_error(path, key, f"不是有效的正则表达式（{exc}）", f"not a valid regular expression ({exc})") from None


def _strings(value: Any, path: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _data_error(path, key, "应为字符串列表", "expected a list of strings")
    return list(value)


def _table(value: Any, path: str, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _data_error(path, key, "应为表", "expected a table")
    return value


def _build_config(data: StandardData) -> _Config:
    patterns: list[re.Pattern[str]] = []
    aliases: dict[str, list[str]] = {}
    placeholders: set[str] = set()
    placeholder_patterns: list[re.Pattern[str]] = []
    scalars: dict[str, Any] = {}
    for path, raw in data.items("section_checks"):
        root = _table(raw, path, "")
        intro = _table(root.get("intro", {}), path, "intro")
        for i, p in enumerate(_strings(intro.get("patterns", []), path, "intro.patterns")):
            rx = _regex(p, path, f"intro.patterns[{i}]")
            if "count" not in rx.groupindex:
                raise _data_error(path, f"intro.patterns[{i}]", "缺少命名分组 count", "lacks the named group `count`")
            patterns.append(rx)
        for name in ("separators", "conjunctions", "item_prefix", "item_strip"):
            if name in intro:
                scalars[name] = _regex(intro[name], path, f"intro.{name}")
        if "fuzzy_ratio" in intro:
            ratio = intro["fuzzy_ratio"]
            if not isinstance(ratio, (int, float)) or not 0 < ratio <= 1:
                raise _data_error(path, "intro.fuzzy_ratio", "应为 0 到 1 之间的数", "expected a number between 0 and 1")
            scalars["fuzzy_ratio"] = float(ratio)
        for key, values in _table(root.get("intro_aliases", {}), path, "intro_aliases").items():
            aliases.setdefault(key, []).extend(_strings(values, path, f"intro_aliases.{key}"))
        content = _table(root.get("content", {}), path, "content")
        placeholders.update(_NOT_TEXT.sub("", fold(p)) for p in _strings(content.get("placeholders", []), path, "content.placeholders"))
        for i, p in enumerate(_strings(content.get("placeholder_patterns", []), path, "content.placeholder_patterns")):
            placeholder_patterns.append(_regex(p, path, f"content.placeholder_patterns[{i}]"))
    placeholders.discard("")
    strong = scalars.get("separators", re.compile(r"[、,;]")).pattern
    weak = scalars.get("conjunctions", re.compile(r"和|及")).pattern
    return _Config(
        patterns=tuple(patterns),
        separators=re.compile(f"(?:{strong})|(?P<weak>{weak})"),
        item_prefix=scalars.get("item_prefix", re.compile(r"^$")),
        item_strip=scalars.get("item_strip", re.compile(r"\s")),
        fuzzy_ratio=scalars.get("fuzzy_ratio", 0.6),
        aliases={k: tuple(v) for k, v in aliases.items()},
        placeholders=frozenset(placeholders),
        placeholder_patterns=tuple(placeholder_patterns),
    )


def _config(data: StandardData) -> _Config:
    """The compiled ``section_checks`` data (parsed once per :class:`StandardData`)."""
    return data.derived("sections", _build_config)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    _config(data)
    return ["section_checks"]
