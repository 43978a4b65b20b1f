"""Every rule's documented bad/good examples are run: bad fires the rule, good keeps it quiet."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from gklint.data import StandardData
from gklint.rule import Rule
from gklint.testing import make_report, pack_data, run_rule

FAMILY_MODULES = [
    "gklint.national.sections",
    "gklint.national.tables",
    "gklint.national.template",
    "gklint.national.citations",
    "gklint.national.contact",
    "gklint.national.crosscheck",
]
#: Rules about how gklint read its input (a cut-off text, an unreadable or run-together table):
#: what fires them is the shape of the input, which a text example cannot show.
NO_EXAMPLES = {"GK109", "GK209", "GK210"}


def _rules() -> list[Rule]:
    rules: list[Rule] = []
    for name in FAMILY_MODULES:
        rules.extend(importlib.import_module(name).gklint_rules())
    return rules


def _cases() -> list[tuple[Rule, int]]:
    return [(rule, i) for rule in _rules() for i in range(len(rule.examples))]


def _texts(rule: Rule, index: int) -> tuple[str, str]:
    example = rule.examples[index]
    if not example.fragment:
        return example.bad, example.good
    base = make_report()
    assert example.replaces, f"{rule.id}: a fragment example must say which text it replaces"
    assert example.replaces in base, f"{rule.id}: {example.replaces!r} is not in the example report"
    return base.replace(example.replaces, example.bad, 1), base.replace(example.replaces, example.good, 1)


@pytest.mark.parametrize(("rule", "index"), _cases(), ids=lambda v: v.id if isinstance(v, Rule) else str(v))
def test_example_bad_fires_good_is_quiet(rule: Rule, index: int, tmp_path: Path) -> None:
    bad, good = _texts(rule, index)
    data: StandardData | None = None
    if rule.examples[index].data:
        extra = tmp_path / "example.toml"
        extra.write_text(rule.examples[index].data, encoding="utf-8")
        data = pack_data([extra])
    assert run_rule(rule, bad, data=data), f"{rule.id}: the bad example does not fire"
    assert run_rule(rule, good, data=data) == [], f"{rule.id}: the good example fires"


def test_every_rule_has_an_example_and_docs() -> None:
    rules = _rules()
    if not rules:
        pytest.skip("national rules not registered yet")
    for rule in rules:
        assert rule.examples or rule.id in NO_EXAMPLES, f"{rule.id} has no bad/good example"
        assert rule.short.zh and rule.short.en and rule.full.zh and rule.help.zh, rule.id
        assert rule.source.zh, f"{rule.id} names no normative source"


def test_rule_ids_unique_and_in_their_family() -> None:
    seen: set[str] = set()
    for rule in _rules():
        assert rule.id not in seen
        seen.add(rule.id)
        assert rule.id.startswith(rule.family), (rule.id, rule.family)


_PAIRS = {"（": "）", "(": ")", "“": "”", "《": "》", "〔": "〕", "【": "】"}


def _balanced(text: str) -> bool:
    stack: list[str] = []
    for ch in text:
        if ch in _PAIRS:
            stack.append(_PAIRS[ch])
        elif ch in _PAIRS.values():
            if not stack or stack.pop() != ch:
                return False
    return not stack


def test_fragment_examples_are_not_cut_off() -> None:
    """``--explain`` shows the fragments: a bracket or quote opened in one is closed in it."""
    for rule in _rules():
        for example in rule.examples:
            if not example.fragment:
                continue
            assert _balanced(example.good), f"{rule.id}: good example cut off: {example.good!r}"
            assert _balanced(example.bad), f"{rule.id}: bad example cut off: {example.bad!r}"
