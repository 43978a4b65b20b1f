"""The across years (GK7) family's data: built and validated once at load time (``gklint_validate_data``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from gklint import hookimpl
from gklint.data import StandardData, data_error

_KEY = "crossyear"


class _Phrases:
    def __init__(self, data: StandardData) -> None:
        last_year: list[str] = []
        addressed: list[str] = []
        for path, table in data.items(_KEY):
            if not isinstance(table, Mapping):
                raise data_error(path, _KEY, "应为表", "expected a table")
            for name, target in (("last_year", last_year), ("addressed", addressed)):
                values = table.get(name, [])
                if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                    raise data_error(path, f"{_KEY}.{name}", "应为非空字符串的列表", "expected a list of non-empty strings")
                for value in values:
                    try:
                        re.compile(value)
                    except re.error as exc:
                        raise data_error(path, f"{_KEY}.{name}", f"正则表达式 {value!r} 有误：{exc}",
                                         f"bad regular expression {value!r}: {exc}") from None
                target.extend(values)
        self.last_year = [re.compile(v) for v in last_year]
        self.addressed = [re.compile(v) for v in addressed]


def _phrases(data: StandardData) -> _Phrases:
    return data.derived("crossyear.phrases", _Phrases)


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    _phrases(data)
    return [_KEY]
