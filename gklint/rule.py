"""Rule declarations: metadata plus one check function.

A plugin returns :class:`Rule` objects from the ``gklint_rules`` hook.  The
engine runs each rule's ``check(document, context)`` in isolation: a rule that
raises becomes a notification, and the other rules still run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gklint.findings import Message, Problem, Severity, _FrozenRecord

if TYPE_CHECKING:
    from gklint.data import StandardData
    from gklint.model import Document

__all__ = ["CheckContext", "Example", "Rule", "RULE_ID_RE"]

RULE_ID_RE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")

@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Example(_FrozenRecord):
    """A bad and a good report excerpt for the docs; both are run as tests.

    ``bad`` must make the rule fire, ``good`` must keep it quiet.  Each is a
    complete small report unless ``fragment`` is true, in which case the test
    harness pastes it into a clean example report in place of the text
    ``replaces``.  ``data`` is TOML merged into the standard data for the
    example, for rules that only fire when a data pack asks for something.
    """

    bad: str
    good: str
    replaces: str = ""
    fragment: bool = True
    data: str = ""  # TOML a data pack would add for this example (rules driven only by pack data)

    def __init__(self, bad: str, good: str, replaces: str = "", fragment: bool = True, data: str = "") -> None:
        object.__setattr__(self, "bad", bad)
        object.__setattr__(self, "good", good)
        object.__setattr__(self, "replaces", replaces)
        object.__setattr__(self, "fragment", fragment)
        object.__setattr__(self, "data", data)


@dataclass(frozen=True, init=False, repr=False, eq=False)
class CheckContext(_FrozenRecord):
    """What a check receives besides the document.

    :ivar options: the rule's options: its defaults overlaid with configuration.
    :ivar data: the merged standard data (templates, citation registry, contact patterns)
        from ``rules/`` and every data pack.
    :ivar plugin_config: the ``[tool.gklint.plugins.<name>]`` table of the rule's plugin.
    :ivar previous: the same agency's report of an earlier year, when one is known for this
        document (paired in a batch, ``--previous FILE``, or ``previous`` of a service request);
        ``None`` otherwise.  Only rules declared with ``needs_previous=True`` are run with it, and
        they are not run at all without it.  A :class:`~gklint.findings.Related` with
        ``document=context.previous`` points into that file.  See :mod:`gklint.hookspecs`.
    """

    options: Mapping[str, Any]
    data: StandardData
    plugin_config: Mapping[str, Any] = field(default_factory=dict)
    previous: Document | None = field(default=None, compare=False)

    def __init__(self, options: Mapping[str, Any], data: StandardData,
                 plugin_config: Mapping[str, Any] | None = None, previous: Document | None = None) -> None:
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "plugin_config", {} if plugin_config is None else plugin_config)
        object.__setattr__(self, "previous", previous)


CheckFunction = Callable[["Document", CheckContext], Iterable[Problem]]

_NO_SOURCE = Message("", "")


@dataclass(frozen=True, init=False, repr=False, eq=False)
class Rule(_FrozenRecord):
    """A rule: stable id, metadata in Chinese and English, and its check.

    :ivar id: ``GK201``; 2–4 uppercase letters of the pack prefix then 3 digits.
    :ivar name: kebab-case, e.g. ``table3-balance``.
    :ivar family: the family's id: the rule id prefix its pack declares (``GK2``).
    :ivar severity: default severity.
    :ivar short: one-line description.
    :ivar full: what the rule checks and why.
    :ivar help: how to fix it.
    :ivar source: the normative source (``国办公开办函〔2021〕30号 附件 表3``).
    :ivar examples: bad/good examples, run as tests.
    :ivar options: default options, overridable in configuration.
    :ivar reason: why the default severity is what it is, by the severity policy
        (:mod:`gklint.policy`); ``--explain`` shows it.
    :ivar family_name: the family's name as its declaration gives it (``表格计算`` / ``table arithmetic``);
        ``None`` for a rule built in code without one, shown then by its id.
    :ivar needs_previous: the check compares the report with the same agency's report of an
        earlier year (``context.previous``); it runs only when one is known.
    """

    id: str
    name: str
    family: str
    severity: Severity
    short: Message
    full: Message
    help: Message
    check: CheckFunction
    source: Message = _NO_SOURCE
    examples: tuple[Example, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    reason: Message | None = None
    needs_previous: bool = False
    family_name: Message | None = None

    def __init__(self, id: str, name: str, family: str, severity: Severity, short: Message, full: Message,
                 help: Message, check: CheckFunction, source: Message = _NO_SOURCE,
                 examples: tuple[Example, ...] = (), options: Mapping[str, Any] | None = None,
                 reason: Message | None = None, needs_previous: bool = False,
                 family_name: Message | None = None) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "family", family)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "short", short)
        object.__setattr__(self, "full", full)
        object.__setattr__(self, "help", help)
        object.__setattr__(self, "check", check)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "examples", examples)
        object.__setattr__(self, "options", {} if options is None else options)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "needs_previous", needs_previous)
        object.__setattr__(self, "family_name", family_name)
        self.__post_init__()

    def __post_init__(self) -> None:
        if not RULE_ID_RE.match(self.id):
            raise ValueError(f"rule id {self.id!r} must be 2-4 uppercase letters and 3 digits")
