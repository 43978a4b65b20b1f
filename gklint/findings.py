"""Findings: what rules report, and what reporters print.

A rule's check yields :class:`Problem` objects that point into the document with
:class:`~gklint.model.Span` offsets.  The engine turns each into a
:class:`Finding` by stamping the rule id and the configured severity and by
resolving spans to :class:`Location` (path, line, column, snippet, logical path).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from gklint.model import Span

__all__ = [
    "Finding",
    "Fix",
    "Location",
    "Message",
    "Notification",
    "Problem",
    "Related",
    "Severity",
]


class Severity(StrEnum):
    """Finding severity, ordered ``INFO < WARNING < ERROR``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 1, "warning": 2, "error": 3}[self.value]

    @property
    def sarif_level(self) -> str:
        return {"error": "error", "warning": "warning", "info": "note"}[self.value]

    @property
    def label_zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True, slots=True)
class Message:
    """A message in Chinese and English; ``get(lang)`` picks one."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace ``span`` with ``replacement``.

    ``safe``: the fix cannot change the meaning (typography, the exact registry
    name of a document whose 文号 is certain); only safe fixes are applied by
    ``--fix``, the others are shown as suggestions.  Numbers are never changed
    by a safe fix.
    """

    span: Span
    replacement: str
    description: Message
    safe: bool = False


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a finding refers to (the table cell a sentence contradicts)."""

    span: Span | None
    message: Message


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule's check yields.

    :param span: where the problem is; ``None`` for a whole-document problem
        (a missing section is reported at the place it should be, or at 1:1).
    :param message: the concrete message, with the values that make it concrete.
    :param related: other places involved.
    :param fix: an optional safe fix.
    :param key: stable values identifying this problem independent of line
        numbers (used for fingerprints and baselines), e.g. ``("table3", "（七）总计", "自然人")``.
    """

    span: Span | None
    message: Message
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    key: tuple[str, ...] = ()
    logical: str | None = None  # overrides the logical path derived from span


@dataclass(frozen=True, slots=True)
class Location:
    """A resolved place: 1-based lines, 1-based code-point columns, end exclusive."""

    path: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    snippet: str = ""  # the text of the span
    source_line: str = ""  # the whole first source line, for carets
    logical: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "start_line": self.start_line,
            "start_column": self.start_column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "snippet": self.snippet,
            "logical": self.logical,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem after the engine stamped rule, severity and locations."""

    rule_id: str
    severity: Severity
    message: Message
    location: Location
    plugin: str = ""
    related: tuple[tuple[Location, Message], ...] = ()
    fix: tuple[Location, str, Message] | None = None
    key: tuple[str, ...] = ()
    fix_safe: bool = False  # ``--fix`` may apply ``fix`` (see :class:`Fix`)
    suppression: str | None = None  # the reason of the inline suppression that silenced it

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.start_line, loc.start_column, self.rule_id, self.message.zh)


@dataclass(frozen=True, slots=True)
class Notification:
    """Something that went wrong in gklint or a plugin, not in the report.

    Plugin load failures, a rule that raised, an unreadable file.  Reported on
    stderr in text mode and under ``toolExecutionNotifications`` in SARIF.
    """

    kind: str  # "plugin-load" | "rule-crash" | "unreadable" | "timeout" | "config"
    message: Message
    path: str = ""
    plugin: str = ""
    rule_id: str = ""
    exception: str = ""  # "ValueError: ..." (never a traceback in user output)
    level: str = "error"
    extra: dict[str, Any] = field(default_factory=dict)
