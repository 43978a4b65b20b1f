"""Findings: what rules report, and what reporters print.

A rule's check yields :class:`Problem` objects that point into the document with
:class:`~gklint.model.Span` offsets.  The engine turns each into a
:class:`Finding` by stamping the rule id and the configured severity and by
resolving spans to :class:`Location` (path, line, column, snippet, logical path).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Any, cast

from gklint.model import Span

if TYPE_CHECKING:
    from gklint.model import Document

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


class _Record:
    """``__eq__`` and ``__repr__`` of a dataclass, as ``@dataclass`` writes them.

    The record classes of the plugin API are dataclasses (:func:`dataclasses.fields`
    and :func:`dataclasses.replace` work on them), declared with ``init=False,
    repr=False, eq=False``: each writes its ``__init__`` out and takes these methods
    from here.  ``@dataclass`` compiles every method it generates at each start of the
    command line, and every module holding such records is imported at start:
    ``benchmarks/bench_coldstart.py`` measured the start 5–7 ms slower (CPU) with generated
    ``__init__`` methods alone and 12 ms slower with every method generated, of about 180 ms.
    Equality compares the compared fields in order between objects of the same class,
    like the generated ``__eq__``.
    """

    __slots__ = ()

    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            key = _compared(self.__class__)
            return key(self) == key(other)
        return NotImplemented

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(cast(Any, self)) if f.repr)
        return f"{self.__class__.__qualname__}({shown})"


class _FrozenRecord(_Record):
    """:class:`_Record` with the ``__hash__`` of a frozen dataclass."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(_compared(self.__class__)(self))


_COMPARED: dict[type, Callable[[Any], tuple[Any, ...]]] = {}

_NUMERAL_RUN = re.compile(r"[一二三四五六七八九十]{1,3}")
_NUMERAL = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def _numeral_value(run: str) -> int:
    if "十" not in run:
        value = 0
        for c in run:
            value = value * 10 + _NUMERAL[c]
        return value
    tens, _, units = run.partition("十")
    return (_NUMERAL.get(tens[-1:], 1) if tens else 1) * 10 + (_NUMERAL.get(units[:1], 0) if units else 0)


def numeral_order(text: str) -> str:
    """*text* with each run of Chinese numerals replaced by a sortable number (``三`` -> ``\x0003``)."""
    if not _NUMERAL_RUN.search(text):
        return text
    return _NUMERAL_RUN.sub(lambda m: f"\x00{_numeral_value(m.group(0)):03d}", text)


def _compared(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """The function giving the tuple of an instance's compared fields."""
    try:
        return _COMPARED[cls]
    except KeyError:
        names = [f.name for f in fields(cls) if f.compare]
        get = attrgetter(*names) if names else None
        key: Callable[[Any], tuple[Any, ...]]
        if get is None:
            key = lambda obj: ()  # noqa: E731
        elif len(names) == 1:
            key = lambda obj: (get(obj),)  # noqa: E731
        else:
            key = get
        _COMPARED[cls] = key
        return key


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Message(_FrozenRecord):
    """A message in Chinese and English; ``get(lang)`` picks one."""

    zh: str
    en: str

    def __init__(self, zh: str, en: str) -> None:
        object.__setattr__(self, "zh", zh)
        object.__setattr__(self, "en", en)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Fix(_FrozenRecord):
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

    def __init__(self, span: Span, replacement: str, description: Message, safe: bool = False) -> None:
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "replacement", replacement)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "safe", safe)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Related(_FrozenRecord):
    """Another place a finding refers to (the table cell a sentence contradicts).

    ``document``: the document *span* points into when it is not the checked one (the
    earlier year's report a cross-year rule got as ``context.previous``); ``None``: the
    checked document.  The location then names that document's path.
    """

    span: Span | None
    message: Message
    document: Document | None = field(default=None, compare=False)

    def __init__(self, span: Span | None, message: Message, document: Document | None = None) -> None:
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "document", document)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Problem(_FrozenRecord):
    """What a rule's check yields.

    :param span: where the problem is; ``None`` for a whole-document problem
        (a missing section is reported at the place it should be, or at 1:1).
    :param message: the concrete message, with the values that make it concrete.
    :param related: other places involved.
    :param fix: an optional safe fix.
    :param key: stable values identifying this problem independent of line
        numbers (used for fingerprints and baselines), e.g. ``("table3", "（七）总计", "自然人")``.
    :param severity: this problem's severity when it is not the rule's: a rule that
        is an error when sure reports an uncertain case as a warning, a note-level rule
        a case worth a look as a warning.  ``None``: the rule's severity.  A severity
        set for the rule by configuration or a data pack's ``[severity]`` applies to
        every finding of the rule and overrides this.
    :param origin: the data file the problem comes from, for a rule driven by data
        (a registry entry, a pack's requirement): a finding from a rule pack's data
        carries the pack's name and is subject to the pack's ``[severity]``.
    """

    span: Span | None
    message: Message
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    key: tuple[str, ...] = ()
    logical: str | None = None  # overrides the logical path derived from span
    severity: Severity | None = None
    origin: str = ""

    def __init__(self, span: Span | None, message: Message, related: tuple[Related, ...] = (), fix: Fix | None = None,
                 key: tuple[str, ...] = (), logical: str | None = None, severity: Severity | None = None,
                 origin: str = "") -> None:
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "related", related)
        object.__setattr__(self, "fix", fix)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "logical", logical)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "origin", origin)


_PAGE_LABEL = re.compile(r"(?:^| › )第(\d+)页(?:第(\d+)行)?(?= › |$)")


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Location(_FrozenRecord):
    """A resolved place: 1-based lines, 1-based code-point columns, end exclusive."""

    path: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    snippet: str = ""  # the text of the span
    source_line: str = ""  # the whole first source line, for carets
    logical: str = ""

    def __init__(self, path: str, start_line: int, start_column: int, end_line: int, end_column: int,
                 snippet: str = "", source_line: str = "", logical: str = "") -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "start_line", start_line)
        object.__setattr__(self, "start_column", start_column)
        object.__setattr__(self, "end_line", end_line)
        object.__setattr__(self, "end_column", end_column)
        object.__setattr__(self, "snippet", snippet)
        object.__setattr__(self, "source_line", source_line)
        object.__setattr__(self, "logical", logical)

    def as_dict(self) -> dict[str, Any]:
        out = {
            "path": self.path,
            "start_line": self.start_line,
            "start_column": self.start_column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "snippet": self.snippet,
            "logical": self.logical,
        }
        page = self.page()
        if page is not None:
            out["page"], out["page_line"] = page
        return out

    def page(self) -> tuple[int, int | None] | None:
        """For a PDF: the page and the line on that page (``None`` for a table cell), from the
        reader's logical label (``第2页第5行``, ``第3页 › 表3 › …``); ``None`` for other inputs."""
        if not self.logical or not self.path.lower().endswith(".pdf"):
            return None
        found = _PAGE_LABEL.search(self.logical)
        if found is None:
            return None
        return int(found.group(1)), int(found.group(2)) if found.group(2) else None

    def page_text(self, lang: str) -> str:
        """``第2页第5行`` / ``page 2, line 5`` for a PDF location, else ``""``."""
        page = self.page()
        if page is None:
            return ""
        number, line = page
        if lang == "en":
            return f"page {number}, line {line}" if line else f"page {number}"
        return f"第{number}页第{line}行" if line else f"第{number}页"


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Finding(_FrozenRecord):
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
    pack: str = ""  # the rule pack (plugin name) whose data or rule produced it; "" for the national standard

    def __init__(self, rule_id: str, severity: Severity, message: Message, location: Location, plugin: str = "",
                 related: tuple[tuple[Location, Message], ...] = (), fix: tuple[Location, str, Message] | None = None,
                 key: tuple[str, ...] = (), fix_safe: bool = False, suppression: str | None = None,
                 pack: str = "") -> None:
        object.__setattr__(self, "rule_id", rule_id)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "plugin", plugin)
        object.__setattr__(self, "related", related)
        object.__setattr__(self, "fix", fix)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "fix_safe", fix_safe)
        object.__setattr__(self, "suppression", suppression)
        object.__setattr__(self, "pack", pack)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Path, line, column, rule, then the message with its Chinese numerals in numeric order
        (findings at one place: ``第二部分`` before ``第三部分`` before ``第十部分``)."""
        loc = self.location
        return (loc.path, loc.start_line, loc.start_column, self.rule_id, numeral_order(self.message.zh))


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Notification(_FrozenRecord):
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

    def __init__(self, kind: str, message: Message, path: str = "", plugin: str = "", rule_id: str = "",
                 exception: str = "", level: str = "error", extra: dict[str, Any] | None = None) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "plugin", plugin)
        object.__setattr__(self, "rule_id", rule_id)
        object.__setattr__(self, "exception", exception)
        object.__setattr__(self, "level", level)
        object.__setattr__(self, "extra", {} if extra is None else extra)
