"""The across years (GK7) family's data: built and validated once at load time (``gklint_validate_data``)."""

from __future__ import annotations

from gklint import hookimpl
from gklint.data import StandardData
from gklint.schema import Regex, Table, Texts, parse_items

_KEY = "crossyear"


_PATTERNS = Texts(nonempty=True, default=(), item=Regex())
#: ``[crossyear]``: how a report speaks of last year's report, and of having addressed its problems.
CROSSYEAR = Table({"last_year": _PATTERNS, "addressed": _PATTERNS})


class _Phrases:
    def __init__(self, data: StandardData) -> None:
        tables = [table for _, table in parse_items(data, _KEY, CROSSYEAR)]
        self.last_year = [p for table in tables for p in table["last_year"]]
        self.addressed = [p for table in tables for p in table["addressed"]]


def _phrases(data: StandardData) -> _Phrases:
    return data.derived("crossyear.phrases", _Phrases)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    _phrases(data)
    return [_KEY]
