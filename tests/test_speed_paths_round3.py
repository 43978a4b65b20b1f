"""Third round of issue 7's fast paths: each gives the same answers as the plain computation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gklint.national.crosscheck import _prose as crosscheck_prose
from gklint.national.crosscheck import data as crosscheck_data
from gklint.tables import tokens
from gklint.testing import FLATTENINGS, load_document, make_report, standard_data

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
COUNT = crosscheck_data._count_regex("零〇一二两三四五六七八九十百千万", ("件",))


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        ("收到申请{N}", True),
        ("(?:共|合计)收到申请{N}", True),
        ("收到(?:申请)+{N}", True),
        ("(?i:收到{N})", True),
        ("收到申请(?:{N})?", False),  # optional: may match without a numeral
        ("收到申请(?:{N})*", False),
        ("收到申请{N}|未收到申请", False),  # a branch without the count
        ("收到申请(?={N})", False),  # look-ahead: not followed
    ],
)
def test_needs_group_is_true_only_when_every_match_has_the_count(pattern: str, needed: bool) -> None:
    assert crosscheck_data._needs_group(re.compile(pattern.replace("{N}", COUNT)), "n") is needed


def test_needs_group_without_the_group_is_false() -> None:
    assert crosscheck_data._needs_group(re.compile("收到申请"), "n") is False


def test_national_table3_patterns_all_need_the_count() -> None:
    facts = crosscheck_data.cross_data(standard_data()).table3
    assert facts and all(f.needs_count for f in facts)


@pytest.mark.parametrize("words", [(), ("收到",), ("收到", "办理答复"), ("", "x"), ("a.b", "(")])
def test_any_of_agrees_with_any(words: tuple[str, ...]) -> None:
    pattern = crosscheck_data._any_of(words)
    for text in ("本机关共收到申请8件", "共办理答复8件", "", "a.b", "axb(", "无"):
        expected = any(w in text for w in words)
        assert (pattern is not None and pattern.search(text) is not None) is expected


def _corpus_texts() -> list[str]:
    texts = [make_report(layout=layout, flattening=f) for f in FLATTENINGS for layout in ("2021", "2020")]
    texts.append(make_report().replace("申请8件", "申请九件", 1))
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return texts


def test_sentences_without_a_numeral_match_no_table3_pattern() -> None:
    """The skip in GK601 drops only sentences where no pattern of the skipped facts can match."""
    cfg = crosscheck_data.cross_data(standard_data())
    skipped = 0
    for text in _corpus_texts():
        for s in crosscheck_prose.sentences(load_document(text)):
            if cfg.numeral.search(s.text) is None:
                skipped += 1
                assert not any(p.search(s.text) for f in cfg.table3 for p in f.patterns), s.text
    assert skipped > 20  # the corpus has plenty of sentences without numerals


def test_tokens_join_a_unit_to_its_number() -> None:
    text = "总计 12 件 | 3.5 万元\t无 件 -"
    got = [(t.text, t.start, t.end) for t in tokens(text, 0, len(text))]
    assert got == [("总计", 0, 2), ("12 件", 3, 7), ("3.5 万元", 10, 16), ("无", 17, 18), ("件", 19, 20), ("-", 21, 22)]
