"""Patterns compiled on first use (:mod:`gklint.lazyre`) act like the compiled patterns."""

from __future__ import annotations

import re

from gklint.lazyre import lazy


def test_lazy_pattern_acts_like_the_compiled_one() -> None:
    pattern = lazy(r"(?P<n>\d+)号", re.I)
    assert pattern.search("第30号")["n"] == "30"  # type: ignore[index]
    assert [m.group() for m in pattern.finditer("1号 2号")] == ["1号", "2号"]
    assert pattern.pattern == r"(?P<n>\d+)号" and pattern.flags & re.I
