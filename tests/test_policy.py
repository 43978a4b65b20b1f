"""The severity policy: every rule's default follows it, the docs list it, --explain shows the reason,
and nothing users read refers to files they do not have."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gklint.api import Linter
from gklint.cli import main
from gklint.config import Config
from gklint.policy import LEVELS, reason_for

ROOT = Path(__file__).resolve().parents[1]
LINTER = Linter(Config(), autoload=True)
RULES = {a.rule.id: a.rule for a in LINTER.active if a.plugin.startswith(("national", "core"))}
ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def test_every_national_rule_declares_why_its_severity() -> None:
    assert RULES and [rid for rid, rule in RULES.items() if rule.reason is None or not rule.reason.zh or not rule.reason.en] == []


@pytest.mark.parametrize(("doc", "lang"), [("docs/rules.md", "zh"), ("docs/rules.en.md", "en")])
def test_the_rule_reference_lists_every_rule_at_its_level(doc: str, lang: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    for rid, rule in RULES.items():
        level = ZH[rule.severity.value] if lang == "zh" else rule.severity.value
        assert rule.reason is not None
        row = f"| {rid} | {rule.short.get(lang)} | {level} | {rule.reason.get(lang)} |"
        assert row in text, row
    for level in LEVELS:
        assert f"**{ZH[level] if lang == 'zh' else level}" in text


# Severity changes made with the written policy (rule: old -> new); the seeds' expectations follow.
CHANGED = {"GK108": "error", "GK401": "warning", "GK405": "warning", "GK407": "warning", "GK410": "error"}


def test_the_severity_changes() -> None:
    assert {rid: RULES[rid].severity.value for rid in CHANGED} == CHANGED


def test_explain_shows_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--isolated", "--explain", "GK407"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "为什么是这个级别:" in out
    assert reason_for("warning", RULES["GK407"].reason).zh in out
    with pytest.raises(SystemExit):
        main(["--isolated", "--explain", "GK201", "--lang", "en"])
    assert "Why this severity:" in capsys.readouterr().out


_INTERNAL = re.compile(r"common-defects|citations\.md|spec-20\d\d|layout-diff|\bD\d{1,2}\b|UNVERIFIED|shared/")


@pytest.mark.parametrize("rid", sorted(RULES))
def test_explain_refers_to_nothing_users_do_not_have(rid: str) -> None:
    rule = RULES[rid]
    texts = [rule.full.zh, rule.full.en, rule.source.zh, rule.source.en, rule.help.zh, rule.help.en]
    assert [t for t in texts if _INTERNAL.search(t)] == []
