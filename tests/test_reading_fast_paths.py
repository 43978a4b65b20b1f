"""Fast paths of reading a report: each gives the same answers as the plain computation it replaces."""

from __future__ import annotations

import random
import re
import sys

from gklint import normalize as normalize_module
from gklint import reflow
from gklint.normalize import normalize
from gklint.testing import make_report

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


_PAGE_HINT = re.compile(r"\n[ \t\u3000\f]*[-—–－‐─][ \t\u3000]*\d{1,3}[ \t\u3000]*[-—–－‐─]|第[ \t\u3000]*\d{1,3}[ \t\u3000]*页")


def test_page_numbers_are_found_as_with_one_pattern_for_both_forms() -> None:
    rng = random.Random(17)
    pieces = ["-", "—", " ", "\t", "\n", "\u3000", "第", "页", "共", "3", "12", "汉字", "，"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    texts += ["正文\n- 3 -\n正文", "正文\n第 2 页\n", "见第3页说明\n", make_report()]
    for text in texts:
        plain = any(reflow._whole_line(text, m) for m in _PAGE_HINT.finditer("\n" + text))
        assert reflow._has_page_number(text) == plain, repr(text)
