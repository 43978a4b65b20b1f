"""Folding and normalising text (:mod:`gklint.normalize`) give what the plain computations give."""

from __future__ import annotations

import random
import re

from gklint.normalize import _TABLE, fold, norm_label, normalize
from gklint.testing import make_report

_SUBNUM = re.compile(r"(?<=[0-9])、")


_RUNS = re.compile(r"[^\s|｜]+")


# every character the folding table changes, plus what the 、-after-a-digit rule looks at
_ALPHABET = [chr(k) for k in _TABLE] + list("0123456789０９、 \t\n|｜汉字，。年")


def _plain_fold(text: str) -> str:
    return _SUBNUM.sub(".", text.translate(_TABLE))


def _plain_normalize(text: str, start: int, end: int) -> tuple[str, list[int]]:
    folded = _plain_fold(text[start:end])
    parts, index = [], []
    for m in _RUNS.finditer(folded):
        parts.append(m.group())
        index.extend(range(start + m.start(), start + m.end()))
    return "".join(parts), [*index, end]


def _random_texts(count: int) -> list[str]:
    rng = random.Random(7)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 16))) for _ in range(count)]


def test_fold_is_the_translation_table_then_the_numbered_item_rule() -> None:
    report = make_report()
    for text in [*_random_texts(3000), report, "１、２、（三）", "2、3、"]:
        assert fold(text) == _plain_fold(text), text
    assert fold("（一）１、说明") == "(一)1.说明"


def test_normalize_keeps_every_kept_character_s_original_offset() -> None:
    rng = random.Random(8)
    for text in [*_random_texts(2000), make_report(flattening="pipes")]:
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        for s, e in ((0, len(text)), (start, end)):
            got = normalize(text, s, e)
            assert (got.text, got.index) == _plain_normalize(text, s, e)
        assert norm_label(text) == _plain_normalize(text, 0, len(text))[0]
