"""Rules declared as data: one TOML file per rule pack (or family), one module per check.

A declaration file (``rules.toml`` in the pack's package) holds::

    [family]                      # the family its rules belong to
    id = "GK2"                    # the prefix of its rule ids
    name.zh = "表格计算"
    name.en = "table arithmetic"

    [[rule]]
    id = "GK201"
    name = "table3-printed-balance"
    severity = "error"            # error | warning | info
    module = "table3_printed_balance"   # the check's module, relative to the package
    check = "check"               # optional: the function's name in that module
    needs_previous = false        # optional
    options = { skip = [] }       # optional: default options
    short.zh = "…"                # short, full, help: required; source, reason: optional
    short.en = "…"

    [[rule.examples]]             # optional, any number: bad, good, replaces, fragment, data
    bad = "…"
    good = "…"

:func:`load_rules` reads it, imports each declared module and builds the
:class:`~gklint.rule.Rule` objects.  The national families and third-party packs
use it alike; the core never names a rule pack: the caller passes its own package.
A mistake in the file raises :class:`DeclarationError` naming the file and the key.
"""

from __future__ import annotations

import importlib
import tomllib
from functools import cache
from typing import Any

from gklint import tomlcache
from gklint.data import package_files
from gklint.findings import Message, Severity
from gklint.rule import RULE_ID_RE, Example, Rule
from gklint.schema import ArrayOf, Bilingual, Bool, Choice, Dialect, Table, Text, Where

__all__ = ["DECLARATION", "DeclarationError", "load_rules"]

#: The declaration file's name in a pack's package.
DECLARATION = "rules.toml"



class DeclarationError(ValueError):
    """A rule declaration file is wrong; the message names the file and the key."""


@cache
def load_rules(package: str, resource: str = DECLARATION) -> list[Rule]:
    """The rules declared in *resource* of *package*, each with the ``check`` of its module.

    The result is cached per file (rules are immutable); callers get the same list,
    so they must not change it.
    """
    where = f"{package}/{resource}"
    try:
        raw = tomlcache.load(package_files(package).joinpath(resource))  # (kept parsed between runs)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DeclarationError(f"{where}: cannot be read: {exc}") from exc
    values = DECLARATION_SCHEMA.parse(raw, Where("", _InDeclaration(where)))
    family = values["family"]["id"], values["family"]["name"]
    rules = [_rule(package, entry, family, f"{where}: key rule[{i}]") for i, entry in enumerate(values["rule"])]
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if rule.id in seen:
            raise DeclarationError(f"{where}: key rule[{i}].id: {rule.id} is declared twice")
        seen.add(rule.id)
    return rules


class _InDeclaration(Dialect):
    """Mistakes in a declaration file: ``pkg/rules.toml: key rule[0].severity: …`` (English: it is for developers)."""

    def __init__(self, where: str) -> None:
        self.where = where

    def error(self, key: str, zh: str, en: str) -> Exception:
        return DeclarationError(f"{self.where}: key {key}: {en}")


def _bad_and_good(values: dict[str, Any], at: Where) -> None:
    if "bad" not in values or "good" not in values:
        raise at.error("bad 和 good 都必填", "bad and good are required")


_TEXT = Text(nonempty=True, required=True)
_MESSAGE = Bilingual(both=True, required=True)
EXAMPLE = Table({"bad": Text(), "good": Text(), "replaces": Text(default=""), "fragment": Bool(default=True),
                 "data": Text(default="")}, check=_bad_and_good)
RULE = Table({
    "id": _TEXT, "name": _TEXT, "severity": Choice("error", "warning", "info", required=True), "module": _TEXT,
    "check": Text(nonempty=True, default="check", noun=Message("函数名", "a function name")),
    "needs_previous": Bool(default=False), "options": Table({}, closed=False, default={}),
    "short": _MESSAGE, "full": _MESSAGE, "help": _MESSAGE,
    "source": Bilingual(both=True, default=Message("", "")), "reason": Bilingual(both=True, default=None),
    "examples": ArrayOf(EXAMPLE, default=[]),
})
#: A declaration file: ``[family]`` and its ``[[rule]]`` entries.
DECLARATION_SCHEMA = Table({
    "family": Table({"id": Text(nonempty=True, required=True, noun=Message("规则编号前缀，如 \"GK2\"",
                                                                           'the rule id prefix, e.g. "GK2"')),
                     "name": _MESSAGE}, required=True),
    "rule": ArrayOf(RULE, default=[]),
})


def _rule(package: str, entry: dict[str, Any], family: tuple[str, Message], where: str) -> Rule:
    rule_id = entry["id"]
    if not RULE_ID_RE.match(rule_id) or not rule_id.startswith(family[0]):
        raise DeclarationError(f"{where}.id: {rule_id!r} must be the family prefix {family[0]} "
                               "then digits (2-4 uppercase letters and 3 digits in all)")
    return Rule(
        rule_id, entry["name"], family[0], Severity(entry["severity"]), entry["short"], entry["full"], entry["help"],
        _check(package, entry["module"], entry["check"], where),
        source=entry["source"],
        examples=tuple(Example(e["bad"], e["good"], e["replaces"], e["fragment"], e["data"]) for e in entry["examples"]),
        options=entry["options"],
        reason=entry["reason"],
        needs_previous=entry["needs_previous"],
        family_name=family[1],
    )


def _check(package: str, module: str, name: str, where: str) -> Any:
    target = f"{package}.{module}"
    try:
        mod = importlib.import_module(target)
    except ImportError as exc:
        raise DeclarationError(f"{where}.module: cannot import {target}: {exc}") from exc
    check = getattr(mod, name, None)
    if not callable(check):
        raise DeclarationError(f"{where}.module: {target} has no function {name}(doc, ctx)")
    return check
