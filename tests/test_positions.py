"""Line starts (:mod:`gklint.positions`), the lines the structure reads, and spans."""

from __future__ import annotations

import random
import re

import pytest

from gklint.model import Span
from gklint.positions import line_starts
from gklint.structure import _lines
from gklint.testing import make_report

_BREAK = re.compile(r"\r\n?|\n")
_ALPHABET = list("ab 汉字\t\n|，。年0９")


def _random_texts(count: int) -> list[str]:
    rng = random.Random(7)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 16))) for _ in range(count)]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_starts_and_lines_match_the_line_breaks(newline: str) -> None:
    for text in [*_random_texts(500), make_report()]:
        text = text.replace("\n", newline)
        assert list(line_starts(text)) == [0, *(m.end() for m in _BREAK.finditer(text))]
        expected, pos = [], 0
        for m in _BREAK.finditer(text):
            expected.append((pos, m.start()))
            pos = m.end()
        if pos < len(text):
            expected.append((pos, len(text)))
        # blank and white-space-only lines are left out (nothing reads them)
        assert _lines(text) == [(s, e) for s, e in expected if text[s:e].strip()]


def test_span_is_validated_ordered_and_immutable() -> None:
    assert Span(2, 5) < Span(3, 3) and Span(2, 5) == Span(2, 5) and hash(Span(2, 5)) == hash(Span(2, 5))
    assert (Span(1, 4).start, Span(1, 4).end) == (1, 4)
    with pytest.raises(ValueError, match="bad span 5..2"):
        Span(5, 2)
    with pytest.raises(AttributeError):
        Span(1, 2).start = 0  # type: ignore[misc]
