"""The import rules of the house, read from the source (every ``import`` statement, ``ast``).

* the core (``gklint/*.py``, readers, reporters) never imports a rule (``gklint.national``);
* rules never import the command line, the reporters or the API;
* readers never import rules, nor :mod:`gklint.rule`;
* the plugin machinery (:mod:`gklint.plugins`, :mod:`gklint.hookspecs`) never imports a reporter.

Imports inside functions and under ``TYPE_CHECKING`` count too: a rule is about the design,
not about when a module happens to load.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import NamedTuple

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gklint"


class ImportRule(NamedTuple):
    """Modules matching one of *where* must not import a module under one of *forbidden*."""

    name: str
    where: tuple[str, ...]  # module names; "gklint.*" = the package's own top-level modules
    forbidden: tuple[str, ...]


RULES = [
    ImportRule("the core never imports a rule", ("gklint.*", "gklint.readers", "gklint.reporters"),
               ("gklint.national",)),
    ImportRule("rules never import the command line, reporters or the API", ("gklint.national",),
               ("gklint.cli", "gklint.reporters", "gklint.api")),
    ImportRule("readers never import rules", ("gklint.readers",), ("gklint.national", "gklint.rule")),
    ImportRule("reporters never import rules", ("gklint.reporters",), ("gklint.national",)),
    ImportRule("the plugin machinery never imports a reporter", ("gklint.plugins", "gklint.hookspecs"),
               ("gklint.reporters",)),
]


def module_name(path: Path, root: Path) -> str:
    """``gklint.readers.text`` for ``<root>/readers/text.py`` (a package is named by its ``__init__``)."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(tree: ast.Module, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) for each import in *tree*; ``from a import b`` names both ``a`` and ``a.b``."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            out.append((node.lineno, base))
            out.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return out


def applies(pattern: str, module: str) -> bool:
    if pattern.endswith(".*"):
        return module.count(".") == 1 and module.startswith(pattern[:-1])
    return module == pattern or module.startswith(pattern + ".")


def violations(root: Path, rules: list[ImportRule]) -> list[str]:
    """``path:line: module imports X (rule)`` for every import that breaks one of *rules*."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        mine = [r for r in rules if any(applies(w, module) for w in r.where)]
        if not mine:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        seen: set[tuple[int, str]] = set()  # one report per statement and rule
        for line, target in imported(tree, module, path.name == "__init__.py"):
            for rule in mine:
                if (line, rule.name) in seen:
                    continue
                if any(target == f or target.startswith(f + ".") for f in rule.forbidden):
                    seen.add((line, rule.name))
                    found.append(f"{path.relative_to(root.parent)}:{line}: {module} imports {target} ({rule.name})")
    return sorted(found)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_package_keeps_the_import_rules(rule: ImportRule) -> None:
    assert violations(PACKAGE, [rule]) == []


def test_every_rule_looks_at_some_module() -> None:
    modules = [module_name(p, PACKAGE) for p in PACKAGE.rglob("*.py")]
    for rule in RULES:
        assert any(applies(w, m) for w in rule.where for m in modules), rule.name


def test_a_violation_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "gklint"
    (root / "readers").mkdir(parents=True)
    (root / "national").mkdir()
    (root / "__init__.py").write_text("")
    (root / "engine.py").write_text("def f():\n    from gklint.national import tables\n")
    (root / "readers" / "__init__.py").write_text("")
    (root / "readers" / "text.py").write_text("from .. import rule\nimport gklint.national.tables\n")
    (root / "national" / "__init__.py").write_text("from gklint import cli\n")
    (root / "plugins.py").write_text("from gklint.reporters.json import dump\n")
    assert violations(root, RULES) == [
        "gklint/engine.py:2: gklint.engine imports gklint.national (the core never imports a rule)",
        "gklint/national/__init__.py:1: gklint.national imports gklint.cli "
        "(rules never import the command line, reporters or the API)",
        "gklint/plugins.py:1: gklint.plugins imports gklint.reporters.json "
        "(the plugin machinery never imports a reporter)",
        "gklint/readers/text.py:1: gklint.readers.text imports gklint.rule (readers never import rules)",
        "gklint/readers/text.py:2: gklint.readers.text imports gklint.national.tables "
        "(readers never import rules)",
        "gklint/readers/text.py:2: gklint.readers.text imports gklint.national.tables "
        "(the core never imports a rule)",
    ]
