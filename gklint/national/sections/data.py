"""The sections (GK1) family's data: built and validated once at load time (``gklint_validate_data``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gklint import hookimpl
from gklint.data import StandardData
from gklint.normalize import fold
from gklint.schema import MapOf, Number, Regex, Table, Texts, parse_items

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


_REGEXES = Texts(default=(), item=Regex())
_INTRO = Table({
    "patterns": Texts(default=(), item=Regex(groups=("count",))),
    **{name: Regex() for name in ("separators", "conjunctions", "item_prefix", "item_strip")},
    "fuzzy_ratio": Number(min=0, max=1),
})
_CONTENT = Table({"placeholders": Texts(default=()), "placeholder_patterns": _REGEXES})
_INTRO.default, _CONTENT.default = _INTRO.defaults(), _CONTENT.defaults()  # either may be left out
#: ``[section_checks]``: how an introduction lists the sections, other names of sections, placeholder text.
SECTION_CHECKS = Table({
    "intro": _INTRO,
    "intro_aliases": MapOf(Texts(), default={}),
    "content": _CONTENT,
})


def _build_config(data: StandardData) -> _Config:
    patterns: list[re.Pattern[str]] = []
    aliases: dict[str, list[str]] = {}
    placeholders: set[str] = set()
    placeholder_patterns: list[re.Pattern[str]] = []
    scalars: dict[str, Any] = {}
    for _, root in parse_items(data, "section_checks", SECTION_CHECKS):
        intro, content = root["intro"], root["content"]
        patterns += intro["patterns"]
        scalars.update((name, value) for name, value in intro.items() if name not in ("patterns",))
        for key, values in root["intro_aliases"].items():
            aliases.setdefault(key, []).extend(values)
        placeholders.update(_NOT_TEXT.sub("", fold(p)) for p in content["placeholders"])
        placeholder_patterns += content["placeholder_patterns"]
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
