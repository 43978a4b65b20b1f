"""Fast paths of reading a report: each gives the same answers as the plain computation it replaces."""

from __future__ import annotations

import random
import re
import sys

from gklint import normalize as normalize_module
from gklint.normalize import normalize

_RUNS = re.compile(r"[^\s|｜]+")


def _plain_normalize(text: str, start: int, end: int) -> tuple[str, list[int]]:
    folded = normalize_module._fold(text[start:end])
    parts, index = [], []
    for m in _RUNS.finditer(folded):
        parts.append(m.group())
        index.extend(range(start + m.start(), start + m.end()))
    return "".join(parts), [*index, end]


def test_the_listed_white_space_is_what_str_isspace_calls_white_space() -> None:
    every = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp < 0xE000)
    listed = re.compile(f"[{normalize_module._SPACES}]")
    assert listed.findall(every) == [ch for ch in every if ch.isspace()]


def test_normalize_beyond_the_shared_offsets_matches_the_plain_computation() -> None:
    rng = random.Random(16)
    words = ["汉字", "（一）", "1、", " ", "\n", "\t", "|", "｜", "\u3000", "12", "，"]
    text = "".join(rng.choice(words) for _ in range(normalize_module._SHARED_MAX))
    assert len(text) > normalize_module._SHARED_MAX
    for start, end in ((0, len(text)), (5, 300), (len(text) - 300, len(text) - 7), (100, len(text))):
        got = normalize(text, start, end)
        assert (got.text, got.index) == _plain_normalize(text, start, end)
