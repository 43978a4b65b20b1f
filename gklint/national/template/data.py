"""The template version (GK3) family's data: built and validated once at load time (``gklint_validate_data``)."""

from __future__ import annotations

import re

from gklint import hookimpl
from gklint.data import StandardData
from gklint.schema import Regex, Table, Texts, parse_items


class _Config:
    __slots__ = ("not_a_row",)

    def __init__(self, not_a_row: tuple[re.Pattern[str], ...]) -> None:
        self.not_a_row = not_a_row


#: ``[template_checks]``: what is not a table row (notes under a table).
TEMPLATE_CHECKS = Table({"not_a_row": Texts(default=(), item=Regex())})


def _build_config(data: StandardData) -> _Config:
    return _Config(tuple(p for _, raw in parse_items(data, "template_checks", TEMPLATE_CHECKS) for p in raw["not_a_row"]))


def _config(data: StandardData) -> _Config:
    """The compiled ``template_checks`` data (parsed once per :class:`StandardData`)."""
    return data.derived("template", _build_config)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    _config(data)
    return ["template_checks"]
