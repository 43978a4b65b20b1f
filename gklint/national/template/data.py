"""The template version (GK3) family's data: built and validated once at load time (``gklint_validate_data``)."""

from __future__ import annotations

import re
from typing import Any

from gklint import hookimpl
from gklint.data import DataError, StandardData
from gklint.findings import Message


class _Config:
    __slots__ = ("not_a_row",)

    def __init__(self, not_a_row: tuple[re.Pattern[str], ...]) -> None:
        self.not_a_row = not_a_row


def _build_config(data: StandardData) -> _Config:
    patterns: list[re.Pattern[str]] = []
    for path, raw in data.items("template_checks"):
        values: Any = raw.get("not_a_row", []) if isinstance(raw, dict) else None
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DataError(Message(f"{path}: 键 template_checks.not_a_row：应为正则表达式字符串列表",
                                    f"{path}: key template_checks.not_a_row: expected a list of regular expression strings"))
        for i, value in enumerate(values):
            try:
                patterns.append(re.compile(value))
            except re.error as exc:
                raise DataError(Message(f"{path}: 键 template_checks.not_a_row[{i}]：不是有效的正则表达式（{exc}）",
                                        f"{path}: key template_checks.not_a_row[{i}]: not a valid regular expression ({exc})")) from None
    return _Config(tuple(patterns))


def _config(data: StandardData) -> _Config:
    """The compiled ``template_checks`` data (parsed once per :class:`StandardData`)."""
    return data.derived("template", _build_config)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    _config(data)
    return ["template_checks"]
