"""Rules declared as data: every declaration file loads, each rule's check lives in the module
its entry names, and a mistake in a declaration is reported with the file and the key."""

from __future__ import annotations

import importlib
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from gklint.declare import DeclarationError, load_rules
from gklint.findings import Message

NATIONAL = ["sections", "tables", "template", "citations", "contact", "crosscheck", "crossyear"]
DECLARATIONS = [(f"gklint.national.{family}", "rules.toml") for family in NATIONAL] + [
    ("gklint", "suppressions.rules.toml"), ("gklint", "regions.rules.toml")]


@pytest.mark.parametrize(("package", "resource"), DECLARATIONS)
def test_each_declaration_round_trips(package: str, resource: str) -> None:
    raw = tomllib.loads(resources.files(package).joinpath(resource).read_text(encoding="utf-8"))
    rules = load_rules(package, resource)
    assert [r.id for r in rules] == [entry["id"] for entry in raw["rule"]]
    name = Message(raw["family"]["name"]["zh"], raw["family"]["name"]["en"])
    for rule, entry in zip(rules, raw["rule"], strict=True):
        assert rule.family == raw["family"]["id"] and rule.family_name == name
        assert rule.id.startswith(rule.family)
        assert (rule.name, rule.severity.value) == (entry["name"], entry["severity"])
        assert (rule.short.zh, rule.full.en, rule.help.zh) == (entry["short"]["zh"], entry["full"]["en"], entry["help"]["zh"])
        assert len(rule.examples) == len(entry.get("examples", []))
        assert dict(rule.options) == entry.get("options", {})
        # the check is defined in the module the entry names: one obvious file per rule
        assert rule.check.__module__ == f"{package}.{entry['module']}", rule.id


@pytest.mark.parametrize("family", NATIONAL)
def test_the_family_plugin_returns_its_declared_rules(family: str) -> None:
    plugin = importlib.import_module(f"gklint.national.{family}")
    assert plugin.gklint_rules() == load_rules(plugin.__name__)


def test_national_rule_ids_are_unique_across_families() -> None:
    ids = [rule.id for package, resource in DECLARATIONS for rule in load_rules(package, resource)]
    assert len(ids) == len(set(ids))


def _package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, declaration: str) -> str:
    root = tmp_path / name
    root.mkdir()
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / "quiet.py").write_text("def check(doc, ctx):\n    return iter(())\n", encoding="utf-8")
    (root / "rules.toml").write_text(declaration, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


_FAMILY = '[family]\nid = "ZZ1"\nname = { zh = "测试", en = "test" }\n'
_RULE = ('[[rule]]\nid = "ZZ101"\nname = "quiet"\nseverity = "info"\nmodule = "quiet"\n'
         'short = { zh = "短", en = "short" }\nfull = { zh = "长", en = "long" }\nhelp = { zh = "改", en = "fix" }\n')


def test_a_pack_declares_its_own_family(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = _package(tmp_path, monkeypatch, "zz_pack_ok", _FAMILY + _RULE)
    (rule,) = load_rules(package)
    assert (rule.id, rule.family, rule.family_name) == ("ZZ101", "ZZ1", Message("测试", "test"))
    assert list(rule.check(None, None)) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "declaration", "says"), [
    ("zz_no_family", _RULE, "rules.toml: key family:"),
    ("zz_bad_severity", _FAMILY + _RULE.replace('"info"', '"fatal"'), "key rule[0].severity:"),
    ("zz_bad_prefix", _FAMILY + _RULE.replace("ZZ101", "YY101"), "key rule[0].id:"),
    ("zz_no_module", _FAMILY + _RULE.replace('module = "quiet"', 'module = "missing"'), "key rule[0].module:"),
    ("zz_no_check", _FAMILY + _RULE + 'check = "nothing"\n', "key rule[0].module:"),
    ("zz_one_language", _FAMILY + _RULE.replace('help = { zh = "改", en = "fix" }', 'help = { zh = "改" }'),
     "key rule[0].help:"),
    ("zz_unknown_key", _FAMILY + _RULE + "colour = 1\n", "key rule[0].colour:"),
    ("zz_twice", _FAMILY + _RULE + _RULE, "key rule[1].id: ZZ101 is declared twice"),
    ("zz_bad_example", _FAMILY + _RULE + '[[rule.examples]]\nbad = "x"\n', "key rule[0].examples[0]:"),
])
def test_a_mistake_names_the_file_and_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               name: str, declaration: str, says: str) -> None:
    package = _package(tmp_path, monkeypatch, name, declaration)
    with pytest.raises(DeclarationError) as error:
        load_rules(package)
    assert f"{name}/rules.toml" in str(error.value) and says in str(error.value)


def test_a_changed_declaration_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse cache in ``__pycache__`` serves an unchanged file and never a changed one."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    package = _package(tmp_path, monkeypatch, "zz_cached", _FAMILY + _RULE)
    assert [r.severity.value for r in load_rules.__wrapped__(package)] == ["info"]
    assert list((tmp_path / package / "__pycache__").glob("rules.toml.*"))
    assert [r.severity.value for r in load_rules.__wrapped__(package)] == ["info"]  # from the cache
    (tmp_path / package / "rules.toml").write_text(_FAMILY + _RULE.replace('"info"', '"warning"') + "\n",
                                                   encoding="utf-8")
    assert [r.severity.value for r in load_rules.__wrapped__(package)] == ["warning"]
