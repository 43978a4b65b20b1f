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
import importlib.util
import marshal
import os
import sys
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from gklint.data import _package_files
from gklint.findings import Message, Severity
from gklint.rule import RULE_ID_RE, Example, Rule

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["DECLARATION", "DeclarationError", "load_rules"]

#: The declaration file's name in a pack's package.
DECLARATION = "rules.toml"

_RULE_KEYS = frozenset(("id", "name", "severity", "module", "check", "needs_previous", "options",
                        "short", "full", "help", "source", "reason", "examples"))
_REQUIRED = ("id", "name", "severity", "module", "short", "full", "help")
_EXAMPLE_KEYS = frozenset(("bad", "good", "replaces", "fragment", "data"))
_CACHE_VERSION = 1  # of the cache's layout


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
        raw = _read(_package_files(package).joinpath(resource))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DeclarationError(f"{where}: cannot be read: {exc}") from exc
    family = _family(raw.get("family"), where)
    unknown = set(raw) - {"family", "rule"}
    if unknown:
        raise DeclarationError(f"{where}: unknown key {sorted(unknown)[0]!r} (only [family] and [[rule]])")
    entries = raw.get("rule", [])
    if not isinstance(entries, list):
        raise DeclarationError(f"{where}: key rule: must be an array of tables ([[rule]])")
    rules = [_rule(package, entry, family, f"{where}: key rule[{i}]") for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if rule.id in seen:
            raise DeclarationError(f"{where}: key rule[{i}].id: {rule.id} is declared twice")
        seen.add(rule.id)
    return rules


def _read(file: Traversable) -> dict[str, Any]:
    """The parsed declaration, from a marshal cache in ``__pycache__`` while the file is unchanged.

    Parsing the national declarations (60 KB of TOML) costs about 20 ms of every start;
    the cache brings that under 1 ms (``benchmarks/bench_coldstart.py --phases``, "linter").
    The cache is kept like Python's bytecode: next to the file (or under ``sys.pycache_prefix``),
    not written when ``sys.dont_write_bytecode`` is set or the folder is read-only.
    """
    if not isinstance(file, Path):  # inside a zip: no place for a cache
        return _parse(file)
    stat = file.stat()
    stamp = (_CACHE_VERSION, stat.st_size, stat.st_mtime_ns)
    cache = Path(importlib.util.cache_from_source(str(file) + ".py"))
    try:
        cached = marshal.loads(cache.read_bytes())
        if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == stamp:
            return cast(dict[str, Any], cached[1])
    except (OSError, EOFError, ValueError, TypeError):
        pass
    raw = _parse(file)
    if not sys.dont_write_bytecode:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
            partial.write_bytes(marshal.dumps((stamp, raw)))
            os.replace(partial, cache)
        except (OSError, ValueError):
            pass  # read-only, or a value marshal cannot hold: parse next time too
    return raw


def _parse(file: Traversable) -> dict[str, Any]:
    return tomllib.loads(file.read_text(encoding="utf-8"))


def _family(raw: Any, where: str) -> tuple[str, Message]:
    if not isinstance(raw, Mapping):
        raise DeclarationError(f"{where}: key family: a [family] table with id and name is required")
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident:
        raise DeclarationError(f"{where}: key family.id: must be the rule id prefix, e.g. \"GK2\"")
    extra = set(raw) - {"id", "name"}
    if extra:
        raise DeclarationError(f"{where}: key family.{sorted(extra)[0]}: unknown key")
    return ident, _message(raw.get("name"), f"{where}: key family.name")


def _message(raw: Any, where: str) -> Message:
    if not isinstance(raw, Mapping) or set(raw) != {"zh", "en"} \
            or not all(isinstance(v, str) for v in raw.values()):
        raise DeclarationError(f"{where}: must have exactly zh and en, both strings")
    return Message(raw["zh"], raw["en"])


def _string(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise DeclarationError(f"{where}.{key}: must be a non-empty string")
    return value


def _example(raw: Any, where: str) -> Example:
    if not isinstance(raw, Mapping):
        raise DeclarationError(f"{where}: must be a table ([[rule.examples]])")
    extra = set(raw) - _EXAMPLE_KEYS
    if extra:
        raise DeclarationError(f"{where}.{sorted(extra)[0]}: unknown key (bad, good, replaces, fragment, data)")
    for key in ("bad", "good", "replaces", "data"):
        if not isinstance(raw.get(key, ""), str):
            raise DeclarationError(f"{where}.{key}: must be a string")
    if not isinstance(raw.get("fragment", True), bool):
        raise DeclarationError(f"{where}.fragment: must be true or false")
    if "bad" not in raw or "good" not in raw:
        raise DeclarationError(f"{where}: bad and good are required")
    return Example(raw["bad"], raw["good"], raw.get("replaces", ""), raw.get("fragment", True), raw.get("data", ""))


def _rule(package: str, entry: Any, family: tuple[str, Message], where: str) -> Rule:
    if not isinstance(entry, Mapping):
        raise DeclarationError(f"{where}: must be a table")
    extra = set(entry) - _RULE_KEYS
    if extra:
        raise DeclarationError(f"{where}.{sorted(extra)[0]}: unknown key")
    missing = [key for key in _REQUIRED if key not in entry]
    if missing:
        raise DeclarationError(f"{where}.{missing[0]}: is required")
    rule_id = _string(entry, "id", where)
    if not RULE_ID_RE.match(rule_id) or not rule_id.startswith(family[0]):
        raise DeclarationError(f"{where}.id: {rule_id!r} must be the family prefix {family[0]} "
                               "then digits (2-4 uppercase letters and 3 digits in all)")
    try:
        severity = Severity(entry["severity"])
    except ValueError:
        raise DeclarationError(f"{where}.severity: must be error, warning or info") from None
    options = entry.get("options", {})
    if not isinstance(options, Mapping):
        raise DeclarationError(f"{where}.options: must be a table")
    needs_previous = entry.get("needs_previous", False)
    if not isinstance(needs_previous, bool):
        raise DeclarationError(f"{where}.needs_previous: must be true or false")
    examples = entry.get("examples", [])
    if not isinstance(examples, list):
        raise DeclarationError(f"{where}.examples: must be an array of tables ([[rule.examples]])")
    return Rule(
        rule_id, _string(entry, "name", where), family[0], severity,
        _message(entry["short"], f"{where}.short"), _message(entry["full"], f"{where}.full"),
        _message(entry["help"], f"{where}.help"),
        _check(package, _string(entry, "module", where), entry.get("check", "check"), where),
        source=_message(entry["source"], f"{where}.source") if "source" in entry else Message("", ""),
        examples=tuple(_example(e, f"{where}.examples[{i}]") for i, e in enumerate(examples)),
        options=dict(options),
        reason=_message(entry["reason"], f"{where}.reason") if "reason" in entry else None,
        needs_previous=needs_previous,
        family_name=family[1],
    )


def _check(package: str, module: str, name: Any, where: str) -> Any:
    if not isinstance(name, str) or not name:
        raise DeclarationError(f"{where}.check: must be a function name")
    target = f"{package}.{module}"
    try:
        mod = importlib.import_module(target)
    except ImportError as exc:
        raise DeclarationError(f"{where}.module: cannot import {target}: {exc}") from exc
    check = getattr(mod, name, None)
    if not callable(check):
        raise DeclarationError(f"{where}.module: {target} has no function {name}(doc, ctx)")
    return check
