"""Declarative schemas for data files and configuration tables.

A schema is a tree of fields (:class:`Text`, :class:`Texts`, :class:`Int`,
:class:`Table`, :class:`ArrayOf` …).  ``field.parse(value, at)`` returns the
value checked and converted (tuples for lists, compiled patterns for
:class:`Regex`, :class:`~gklint.findings.Message` for :class:`Bilingual`), or
raises the error of the place *at* names: a :class:`~gklint.data.DataError`
``file: key a.b[3]: …`` for a data file (:func:`in_file`), a ``ConfigError``
for configuration (:func:`gklint.config.config_at`).  Every fault of one kind
reads the same wherever it happens::

    MENTION = Table({
        "id": Text(required=True, pattern=r"[A-Za-z0-9_-]+", noun=Message("由字母、数字、下划线或连字符组成的字符串",
                                                                         "a string of letters, digits, _ or -")),
        "when": Texts(required=True, nonempty=True, min_items=1, single=True),
        "years": YearRange(),
    })
    for path, mentions in parse_items(data, "required_mentions", ArrayOf(MENTION)):
        ...

A rule that relates fields or entries (one of two keys, a duplicate, a
reference to another entry) is a small callable: :class:`Table`'s ``check``,
:class:`Unique`, :meth:`Where.no_such`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gklint.findings import Message
from gklint.lazyre import lazy

if TYPE_CHECKING:
    from gklint.data import StandardData

__all__ = [
    "MISSING",
    "Anything",
    "ArrayOf",
    "Bilingual",
    "Bool",
    "Choice",
    "Date",
    "Dialect",
    "Field",
    "Int",
    "MapOf",
    "Number",
    "Regex",
    "Table",
    "Text",
    "Texts",
    "Unique",
    "Where",
    "Year",
    "YearRange",
    "in_file",
    "one_of",
    "parse_items",
]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: A field's default when it has none: a table leaves the key out of what it returns.
MISSING: Any = _Missing()


# -- where a value sits, and how a mistake there reads -----------------------------------------------


def _got(value: Any) -> Message:
    """``（实际为 …）``: the value as written, when it is short enough to show."""
    if isinstance(value, str | int | float | bool | list | tuple):
        shown = repr(list(value) if isinstance(value, tuple) else value)
        if len(shown) <= 60:
            return Message(f"（实际为 {shown}）", f" (got {shown})")
    return Message("", "")


class Dialect:
    """How the mistakes of one kind of source read: a data file's, the configuration's.

    Subclasses give :meth:`error`; the wording of the common faults is built on it.
    """

    #: the English verb before what was expected (``key x: expected a string``)
    expect_en = "expected"

    def error(self, key: str, zh: str, en: str) -> Exception:
        """The exception for a mistake at *key*: *zh* / *en* say what is wrong."""
        raise NotImplementedError

    def expected(self, key: str, noun: Message, value: Any) -> Exception:
        got = _got(value)
        return self.error(key, f"应为{noun.zh}{got.zh}", f"{self.expect_en} {noun.en}{got.en}")

    def missing(self, key: str, noun: Message) -> Exception:
        return self.error(key, f"必填，应为{noun.zh}", f"required: {self.expect_en} {noun.en}")

    def unknown(self, table: str, name: str, allowed: Sequence[str]) -> Exception:
        key = f"{table}.{name}" if table else name
        return self.error(key, f"未知字段，可用字段：{', '.join(allowed)}",
                          f"unknown field, expected one of {', '.join(allowed)}")


class _InFile(Dialect):
    def __init__(self, path: str) -> None:
        self.path = path

    def error(self, key: str, zh: str, en: str) -> Exception:
        # imported here: gklint.data will build its layouts on this module
        from gklint.data import data_error

        return data_error(self.path, key, zh, en)


class Where:
    """A place in a data file or configuration table: its key path (``a.b[3]``) and its :class:`Dialect`."""

    __slots__ = ("dialect", "key")

    def __init__(self, key: str, dialect: Dialect) -> None:
        self.key = key
        self.dialect = dialect

    def child(self, name: str) -> Where:
        return Where(f"{self.key}.{name}" if self.key else name, self.dialect)

    def item(self, index: int) -> Where:
        return Where(f"{self.key}[{index}]", self.dialect)

    def labelled(self, label: str) -> Where:
        """This place named also by *label* (``citations[0]（key = X）``), for the keys below it."""
        return Where(f"{self.key}（{label}）", self.dialect)

    def error(self, zh: str, en: str) -> Exception:
        """The exception for a mistake here (raise it)."""
        return self.dialect.error(self.key, zh, en)

    def expected(self, noun: Message, value: Any) -> Exception:
        """``应为{noun}（实际为 …）`` / ``expected {noun} (got …)``."""
        return self.dialect.expected(self.key, noun, value)

    def no_such(self, what: Message, value: str, known: Iterable[str] | None = None) -> Exception:
        """A reference to something that does not exist: ``没有{what}“x”（可用：a, b）`` (*known*: what there is)."""
        if known is None:
            return self.error(f"没有{what.zh}“{value}”", f"no {what.en} {value!r}")
        listed = ", ".join(known) or "-"
        return self.error(f"没有{what.zh}“{value}”（可用：{listed}）", f"no {what.en} {value!r} (known: {listed})")


def in_file(path: str, key: str = "") -> Where:
    """The place *key* of data file *path*; its mistakes raise :class:`~gklint.data.DataError`."""
    return Where(key, _InFile(path))


# -- fields --------------------------------------------------------------------------------------------


class Field:
    """One value of a schema.

    :param required: a :class:`Table` raises when the key is absent.
    :param default: what a :class:`Table` gives for an absent key (:data:`MISSING`: leave it out).
    :param noun: what is expected, in the messages (``应为{noun}``); each type has its own.
    """

    noun = Message("值", "a value")

    def __init__(self, *, required: bool = False, default: Any = MISSING, noun: Message | None = None) -> None:
        self.required = required
        self.default = default
        if noun is not None:
            self.noun = noun

    def _default_noun(self, noun: Message) -> None:
        """Use *noun* unless one was given or the subclass declares its own."""
        if "noun" not in self.__dict__ and "noun" not in type(self).__dict__:
            self.noun = noun

    def parse(self, value: Any, at: Where) -> Any:
        """*value* checked and converted; raise the error of *at* when it does not fit."""
        raise NotImplementedError

    def describe(self, at: Where) -> Message:
        """What is expected at *at* (the messages' noun)."""
        return self.noun

    def fail(self, value: Any, at: Where) -> Exception:
        return at.expected(self.describe(at), value)


class Anything(Field):
    """Any value, as it is."""

    def parse(self, value: Any, at: Where) -> Any:
        return value


class Text(Field):
    """A string.  *nonempty*: not blank; *strip*: returned stripped; *pattern*: matches the whole (stripped) string."""

    def __init__(self, *, nonempty: bool = False, strip: bool = False, pattern: str | re.Pattern[str] | None = None,
                 **kw: Any) -> None:
        super().__init__(**kw)
        self.nonempty = nonempty
        self.strip = strip
        self.pattern = lazy(pattern) if isinstance(pattern, str) else pattern  # (schemas are built at import)
        self._default_noun(Message("非空字符串", "a non-empty string") if nonempty else Message("字符串", "a string"))

    def parse(self, value: Any, at: Where) -> Any:
        if not isinstance(value, str) or (self.nonempty and not value.strip()):
            raise self.fail(value, at)
        text = value.strip() if self.strip else value
        if self.pattern is not None and not self.pattern.fullmatch(text):
            raise self.fail(value, at)
        return text


class Texts(Field):
    """A list of strings, returned as a tuple.

    *nonempty*: no blank item; *strip*: items stripped; *min_items*: at least that many;
    *single*: one string stands for a list of it; *item*: each string is parsed further
    by this field (its mistakes name the item, ``key[2]``), and the tuple holds what it returns.
    """

    def __init__(self, *, nonempty: bool = False, strip: bool = False, min_items: int = 0, single: bool = False,
                 item: Field | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.nonempty = nonempty
        self.strip = strip
        self.min_items = min_items
        self.single = single
        self.item = item
        zh, en = ("非空字符串的", "of non-empty strings") if nonempty else ("字符串", "of strings")
        self._default_noun(Message(f"{zh}非空列表", f"a non-empty list {en}") if min_items else Message(
            f"{zh}列表", f"a list {en}"))

    def parse(self, value: Any, at: Where) -> Any:
        one = self.single and isinstance(value, str)
        items = [value] if one else value
        if not isinstance(items, list | tuple) or len(items) < self.min_items or not all(
                isinstance(v, str) and (v.strip() or not self.nonempty) for v in items):
            raise self.fail(value, at)
        texts = tuple(v.strip() for v in items) if self.strip else tuple(items)
        if self.item is None:
            return texts
        return tuple(self.item.parse(v, at if one else at.item(i)) for i, v in enumerate(texts))


class Bool(Field):
    noun = Message(" true 或 false", "true or false")

    def parse(self, value: Any, at: Where) -> Any:
        if not isinstance(value, bool):
            raise self.fail(value, at)
        return value


class Int(Field):
    """An integer (not a boolean) from *min* to *max* (either may be open)."""

    def __init__(self, *, min: int | None = None, max: int | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.min = min
        self.max = max
        if min is not None and max is not None:
            self._default_noun(Message(f" {min} 到 {max} 之间的整数", f"an integer from {min} to {max}"))
        elif min == 1:
            self._default_noun(Message("正整数", "a positive integer"))
        elif min is not None:
            self._default_noun(Message(f"不小于 {min} 的整数", f"an integer of at least {min}"))
        else:
            self._default_noun(Message("整数", "an integer"))

    def _fits(self, value: Any) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def parse(self, value: Any, at: Where) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not self._fits(value):
            raise self.fail(value, at)
        return value


class Number(Int):
    """A number (integer or float, returned as a float) from *min* to *max*."""

    def __init__(self, *, min: float | None = None, max: float | None = None, **kw: Any) -> None:
        self._default_noun(Message(f" {min} 到 {max} 之间的数", f"a number from {min} to {max}")
                           if min is not None and max is not None else Message("数", "a number"))
        super().__init__(**kw)
        self.min, self.max = min, max  # type: ignore[assignment]

    def parse(self, value: Any, at: Where) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or not self._fits(value):
            raise self.fail(value, at)
        return float(value)


class Year(Int):
    """A year, 1949 to 2100."""

    noun = Message("年份整数（如 2021）", "a year as an integer (e.g. 2021)")

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("noun", Year.noun)
        super().__init__(min=1949, max=2100, **kw)


class Choice(Field):
    """One of *choices* (strings)."""

    def __init__(self, *choices: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.choices = choices
        self._default_noun(Message(f" {' | '.join(choices)} 之一", f"one of {' | '.join(choices)}"))

    def parse(self, value: Any, at: Where) -> Any:
        if not isinstance(value, str) or value not in self.choices:
            raise self.fail(value, at)
        return value


class Date(Text):
    """A date written ``YYYY-MM-DD``, kept as the string."""

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("noun", Message("“YYYY-MM-DD”格式的日期字符串", "a date string YYYY-MM-DD"))
        super().__init__(pattern=r"(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])", **kw)


class Regex(Field):
    """A regular expression, returned compiled; *groups*: named groups it must have."""

    noun = Message("正则表达式字符串", "a regular expression string")

    def __init__(self, *, groups: Sequence[str] = (), flags: int = 0, **kw: Any) -> None:
        super().__init__(**kw)
        self.groups = tuple(groups)
        self.flags = flags

    def parse(self, value: Any, at: Where) -> Any:
        if not isinstance(value, str):
            raise self.fail(value, at)
        try:
            compiled = re.compile(value, self.flags)
        except re.error as exc:
            raise at.error(f"不是有效的正则表达式（{exc}）", f"not a valid regular expression ({exc})") from None
        for group in self.groups:
            if group not in compiled.groupindex:
                raise at.error(f"正则表达式须含命名组 (?P<{group}>…)",
                               f"the regular expression needs a named group (?P<{group}>...)")
        return compiled


class Bilingual(Field):
    """A message: one string for both languages, or ``{zh = "…", en = "…"}`` (``en`` defaults to ``zh``).

    *nonempty*: the text is not blank; *both*: only ``{zh, en}`` with both given.
    Returns a :class:`~gklint.findings.Message`.
    """

    noun = Message('字符串或 {zh = "…", en = "…"}', 'a string or {zh = "...", en = "..."}')

    def __init__(self, *, nonempty: bool = False, both: bool = False, **kw: Any) -> None:
        if both:
            kw.setdefault("noun", Message('{zh = "…", en = "…"}（两种语言都写）', '{zh = "...", en = "..."} (both languages)'))
        super().__init__(**kw)
        self.nonempty = nonempty
        self.both = both

    def _text(self, value: Any) -> bool:
        return isinstance(value, str) and (bool(value.strip()) or not self.nonempty)

    def parse(self, value: Any, at: Where) -> Any:
        if self._text(value) and not self.both:
            return Message(value, value)
        if isinstance(value, Mapping) and self._text(value.get("zh")) and isinstance(value.get("en", ""), str) \
                and set(value) <= {"zh", "en"} and ("en" in value or not self.both):
            return Message(value["zh"], value.get("en", value["zh"]))
        raise self.fail(value, at)


class Table(Field):
    """A table with the named *fields*, returned as a dict (absent keys get their default).

    *closed* (default): a key that is not a field is a mistake, named with the fields allowed.
    *label*: the field (parsed first) whose value names the table in the keys below it
    (``citations[0]（key = X）.numbers``).  *check*: ``check(values, at)`` for rules
    that relate fields; it raises ``at.child(name).error(...)``.
    """

    noun = Message("表", "a table")

    def __init__(self, fields: Mapping[str, Field], *, closed: bool = True, label: str | None = None,
                 check: Callable[[dict[str, Any], Where], None] | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.fields = dict(fields)
        self.closed = closed
        self.label = label
        self.check = check

    def parse(self, value: Any, at: Where) -> Any:
        if not isinstance(value, Mapping):
            raise self.fail(value, at)
        out: dict[str, Any] = {}
        if self.label is not None:
            out[self.label] = self._one(self.label, value, at)
            at = at.labelled(f"{self.label} = {out[self.label]}")
        if self.closed:
            for name in value:
                if name not in self.fields:
                    raise at.dialect.unknown(at.key, name, list(self.fields))
        for name in self.fields:
            if name != self.label:
                got = self._one(name, value, at)
                if got is not MISSING:
                    out[name] = got
        if not self.closed:
            out.update((k, v) for k, v in value.items() if k not in self.fields)
        if self.check is not None:
            self.check(out, at)
        return out

    def defaults(self) -> dict[str, Any]:
        """What :meth:`parse` returns for an empty table (the default of a table that may be left out)."""
        return {name: f.default for name, f in self.fields.items() if f.default is not MISSING}

    def _one(self, name: str, value: Mapping[str, Any], at: Where) -> Any:
        field = self.fields[name]
        if name in value:
            return field.parse(value[name], at.child(name))
        if field.required:
            raise at.dialect.missing(at.child(name).key, field.describe(at.child(name)))
        return field.default


class YearRange(Table):
    """``{first = 2021, last = 2025}``, returned as ``(first, last)`` (``None`` for one left out).

    *first_required*: ``first`` must be given.
    """

    def __init__(self, *, first_required: bool = False, **kw: Any) -> None:
        kw.setdefault("default", (None, None))
        kw.setdefault("noun", Message(
            "{first = 年份, last = 年份}" + ("（last 可省略）" if first_required else "（两项都可省略）"),
            "{first = year, last = year}" + (" (last optional)" if first_required else " (either may be left out)")))
        super().__init__({"first": Year(required=first_required, default=None), "last": Year(default=None)}, **kw)

    def parse(self, value: Any, at: Where) -> Any:
        years = super().parse(value, at)
        first, last = years["first"], years["last"]
        if first is not None and last is not None and last < first:
            raise at.error("last 早于 first", "last is before first")
        return first, last


class ArrayOf(Field):
    """A list of *item* (``[[key]]`` when *item* is a :class:`Table`), returned as a list."""

    def __init__(self, item: Field, *, min_items: int = 0, **kw: Any) -> None:
        super().__init__(**kw)
        self.item = item
        self.min_items = min_items

    def describe(self, at: Where) -> Message:
        if "noun" in self.__dict__:
            return self.noun
        if isinstance(self.item, Table):
            return Message(f" [[{at.key}]] 表数组", f"an array of tables [[{at.key}]]")
        noun = self.item.describe(at)
        return Message(f"{noun.zh.strip()}的列表", f"a list of {noun.en}")

    def parse(self, value: Any, at: Where) -> Any:
        if not isinstance(value, list | tuple) or len(value) < self.min_items:
            raise self.fail(value, at)
        return [self.item.parse(v, at.item(i)) for i, v in enumerate(value)]


class MapOf(Field):
    """A table of any keys whose values are *value*; *key* checks (and may convert) each key."""

    noun = Message("表", "a table")

    def __init__(self, value: Field, *, key: Field | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.value = value
        self.key = key

    def parse(self, value: Any, at: Where) -> Any:
        if not isinstance(value, Mapping):
            raise self.fail(value, at)
        out: dict[Any, Any] = {}
        for k, v in value.items():
            name = self.key.parse(k, at.child(k)) if self.key is not None else k
            out[name] = self.value.parse(v, at.child(k))
        return out


# -- relations and entry points ---------------------------------------------------------------------------


class Unique:
    """Values that must be unique across entries and files (ids, keys, codes).

    ``Unique(Message("id", "id")).claim(value, at, source)`` raises
    ``重复的 id “x”（已在 other.toml 中定义）`` when *value* was claimed before.
    """

    def __init__(self, what: Message) -> None:
        self.what = what
        self.seen: dict[Any, str] = {}

    def claim(self, value: Any, at: Where, source: str) -> None:
        if value in self.seen:
            where = self.seen[value]
            name = f" {self.what.zh} " if self.what.zh.isascii() else self.what.zh
            raise at.error(f"重复的{name}“{value}”（已在 {where} 中定义）",
                           f"duplicate {self.what.en} {value!r} (already defined in {where})")
        self.seen[value] = source

    def __contains__(self, value: object) -> bool:
        return value in self.seen


def parse_items(data: StandardData, key: str, schema: Field) -> list[tuple[str, Any]]:
    """Every file's top-level *key* of *data*, parsed by *schema*: ``[(file, value), …]`` in load order."""
    return [(path, schema.parse(value, in_file(path, key))) for path, value in data.items(key)]


def one_of(*names: str) -> Callable[[dict[str, Any], Where], None]:
    """A :class:`Table` check: exactly one of the fields *names* is given."""
    def check(values: dict[str, Any], at: Where) -> None:
        if sum(name in values for name in names) != 1:
            raise at.error(f"须写 {' 或 '.join(names)} 之一（只写一个）", f"give exactly one of {' or '.join(names)}")
    return check
