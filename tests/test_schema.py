"""The declarative schema of data files and configuration: what each type accepts, returns and says when it does not fit."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gklint.config import ConfigError, config_at
from gklint.data import DataError
from gklint.findings import Message
from gklint.schema import (
    ArrayOf,
    Bilingual,
    Bool,
    Choice,
    Date,
    Field,
    Int,
    MapOf,
    Number,
    Regex,
    Table,
    Text,
    Texts,
    Unique,
    Year,
    YearRange,
    in_file,
    one_of,
)


def _error(field: Field, value: Any, key: str = "k") -> Message:
    with pytest.raises(DataError) as info:
        field.parse(value, in_file("f.toml", key))
    return info.value.message


@pytest.mark.parametrize(("field", "value", "expected"), [
    (Text(), "a", "a"),
    (Text(strip=True, nonempty=True), " a ", "a"),
    (Texts(), ["a", "b"], ("a", "b")),
    (Texts(single=True), "a", ("a",)),
    (Texts(strip=True, item=Text(pattern=r"[0-9]+")), [" 1"], ("1",)),
    (Int(min=1, max=3), 3, 3),
    (Number(min=0, max=1), 1, 1.0),
    (Bool(), False, False),
    (Year(), 2021, 2021),
    (YearRange(), {"first": 2021}, (2021, None)),
    (Date(), "2021-05-01", "2021-05-01"),
    (Choice("a", "b"), "b", "b"),
    (Bilingual(), "议", Message("议", "议")),
    (Bilingual(), {"zh": "议", "en": "say"}, Message("议", "say")),
    (ArrayOf(Int()), [1, 2], [1, 2]),
    (MapOf(Int(), key=Text(pattern="[A-Z]+")), {"A": 1}, {"A": 1}),
    (Table({"a": Int(), "b": Int(default=7), "c": Int()}), {"a": 1}, {"a": 1, "b": 7}),
    (Table({"a": Int()}, closed=False), {"a": 1, "z": "x"}, {"a": 1, "z": "x"}),
])
def test_values_that_fit_are_returned_converted(field: Field, value: Any, expected: Any) -> None:
    assert field.parse(value, in_file("f.toml", "k")) == expected


def test_a_table_left_out_gives_its_fields_defaults() -> None:
    inner = Table({"a": Int(default=1), "b": Int()})
    inner.default = inner.defaults()
    assert Table({"inner": inner}).parse({}, in_file("f.toml", "k")) == {"inner": {"a": 1}}


def test_regex_is_compiled() -> None:
    assert Regex(groups=("year",)).parse(r"(?P<year>\d+)", in_file("f.toml", "k")).pattern == r"(?P<year>\d+)"


@pytest.mark.parametrize(("field", "value", "zh"), [
    (Text(), 3, "f.toml: 键 k：应为字符串（实际为 3）"),
    (Text(nonempty=True), " ", "f.toml: 键 k：应为非空字符串（实际为 ' '）"),
    (Texts(), ["a", 1], "f.toml: 键 k：应为字符串列表（实际为 ['a', 1]）"),
    (Texts(nonempty=True, min_items=1), [], "f.toml: 键 k：应为非空字符串的非空列表（实际为 []）"),
    (Int(min=1), 0, "f.toml: 键 k：应为正整数（实际为 0）"),
    (Int(min=1, max=9), True, "f.toml: 键 k：应为 1 到 9 之间的整数（实际为 True）"),
    (Year(), 1800, "f.toml: 键 k：应为年份整数（如 2021）（实际为 1800）"),
    (Date(), "2021-13-01", "f.toml: 键 k：应为“YYYY-MM-DD”格式的日期字符串（实际为 '2021-13-01'）"),
    (Choice("a", "b"), "c", "f.toml: 键 k：应为 a | b 之一（实际为 'c'）"),
    (Bool(), "yes", "f.toml: 键 k：应为 true 或 false（实际为 'yes'）"),
    (Regex(), "(", "f.toml: 键 k：不是有效的正则表达式（missing ), unterminated subpattern at position 0）"),
    (Regex(groups=("year",)), "x", "f.toml: 键 k：正则表达式须含命名组 (?P<year>…)"),
    (Bilingual(), {"en": "x"}, 'f.toml: 键 k：应为字符串或 {zh = "…", en = "…"}'),
    (Bilingual(both=True), {"zh": "议"}, 'f.toml: 键 k：应为{zh = "…", en = "…"}（两种语言都写）'),
    (Table({"a": Int()}), [], "f.toml: 键 k：应为表（实际为 []）"),
    (Table({"a": Int(), "b": Int()}), {"c": 1}, "f.toml: 键 k.c：未知字段，可用字段：a, b"),
    (Table({"a": Int(required=True)}), {}, "f.toml: 键 k.a：必填，应为整数"),
    (YearRange(), {"first": 2022, "last": 2021}, "f.toml: 键 k：last 早于 first"),
    (YearRange(first_required=True), {"last": 2021}, "f.toml: 键 k.first：必填，应为年份整数（如 2021）"),
    (ArrayOf(Table({})), {}, "f.toml: 键 k：应为 [[k]] 表数组"),
    (ArrayOf(Int()), [1, "2"], "f.toml: 键 k[1]：应为整数（实际为 '2'）"),
    (Texts(item=Text(pattern="[0-9]+")), ["1", "x"], "f.toml: 键 k[1]：应为字符串（实际为 'x'）"),
    (MapOf(Int()), {"a": "1"}, "f.toml: 键 k.a：应为整数（实际为 '1'）"),
])
def test_each_fault_reads_one_way(field: Field, value: Any, zh: str) -> None:
    assert _error(field, value).zh == zh


def test_english_says_expected_and_got() -> None:
    assert _error(Choice("a", "b"), "c").en == "f.toml: key k: expected one of a | b (got 'c')"
    assert _error(Table({"a": Int()}), {"b": 1}).en == "f.toml: key k.b: unknown field, expected one of a"


def test_a_label_names_the_entry_in_the_keys_below_it() -> None:
    entry = Table({"key": Text(required=True), "numbers": Texts()}, label="key")
    assert _error(ArrayOf(entry), [{"key": "A", "numbers": 1}], "citations").zh == \
        "f.toml: 键 citations[0]（key = A）.numbers：应为字符串列表（实际为 1）"


def test_relations_are_small_callables() -> None:
    label = Table({"row": Text(), "column": Text()}, check=one_of("row", "column"))
    assert _error(label, {"row": "a", "column": "b"}).zh == "f.toml: 键 k：须写 row 或 column 之一（只写一个）"
    ids = Unique(Message("id", "id"))
    ids.claim("a", in_file("one.toml", "x[0].id"), "one.toml")
    with pytest.raises(DataError) as info:
        ids.claim("a", in_file("two.toml", "x[0].id"), "two.toml")
    assert info.value.message.zh == "two.toml: 键 x[0].id：重复的 id “a”（已在 one.toml 中定义）"
    with pytest.raises(DataError) as info:
        raise in_file("f.toml", "layouts").no_such(Message("布局", "layout"), "2019", ["2020", "2021"])
    assert info.value.message.en == "f.toml: key layouts: no layout '2019' (known: 2020, 2021)"


def test_a_long_value_is_not_shown() -> None:
    assert _error(Text(), list(range(100))).zh == "f.toml: 键 k：应为字符串"


def test_configuration_mistakes_are_configuration_errors() -> None:
    options = Table({"extra-places": Texts(default=())})
    assert options.parse({}, config_at("plugins.sd")) == {"extra-places": ()}
    with pytest.raises(ConfigError) as info:
        options.parse({"extra-place": []}, config_at("plugins.sd", "gklint.toml"))
    assert info.value.message.en == ("gklint.toml: unknown configuration key plugins.sd.extra-place "
                                     "(did you mean plugins.sd.extra-places?)")
    with pytest.raises(ConfigError, match=re.escape("configuration key plugins.sd.extra-places must be a list of strings (got 'x')")):
        options.parse({"extra-places": "x"}, config_at("plugins.sd"))
