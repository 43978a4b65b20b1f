"""The record classes of the plugin API write ``__init__`` out: they must behave as ``@dataclass`` would make them.

Each class is compared with the dataclass ``@dataclass`` generates from the same fields
(same ``frozen`` and ``slots``): constructor parameters and defaults, ``repr``, equality,
hashing, immutability, :func:`dataclasses.replace`.
"""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from gklint import config, data, findings, formats, results, rule
from gklint.readers import base as readers_base

RECORDS = [
    findings.Message, findings.Fix, findings.Related, findings.Problem, findings.Location, findings.Finding,
    findings.Notification, rule.Example, rule.CheckContext, rule.Rule, config.Selection, config.Config,
    readers_base.Limits, results.FileResult, results.PluginInfo, results.RunResult,
    results.RunTally, formats.ReportOptions, formats.ReporterFactory, data.SectionSpec,
    data.ColumnSpec, data.RowSpec, data.BlockSpec, data.TableSpec, data.IdentitySpec, data.LayoutSpec,
    data.StandardData,
]

#: Values a class checks in ``__post_init__``; every other field gets a distinct string.
SAMPLES: dict[tuple[type, str], Any] = {
    (rule.Rule, "id"): "GK101",
    (data.TableSpec, "rows"): (data.RowSpec("r1", "（一）"), data.RowSpec("g", "组", group_only=True)),
}


def generated(cls: type) -> type:
    """*cls* as ``@dataclass`` generates it: same fields and parameters, generated methods."""
    namespace: dict[str, Any] = {"__annotations__": {}, "__module__": cls.__module__, "__qualname__": cls.__qualname__}
    for f in dataclasses.fields(cls):
        namespace["__annotations__"][f.name] = f.type
        options: dict[str, Any] = {"init": f.init, "repr": f.repr, "compare": f.compare, "hash": f.hash}
        if f.default is not dataclasses.MISSING:
            options["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            options["default_factory"] = f.default_factory
        namespace[f.name] = dataclasses.field(**options)
    if "__post_init__" in vars(cls):
        namespace["__post_init__"] = vars(cls)["__post_init__"]
    frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    return dataclasses.dataclass(frozen=frozen, slots="__slots__" in vars(cls))(type(cls.__name__, (), namespace))


def _args(cls: type, salt: str = "") -> list[Any]:
    return [SAMPLES.get((cls, f.name), f"{f.name}{salt}") for f in dataclasses.fields(cls) if f.init]


def _values(obj: object) -> list[Any]:
    return [getattr(obj, f.name) for f in dataclasses.fields(obj)]  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_record_behaves_like_the_generated_dataclass(cls: type) -> None:
    ref = generated(cls)
    ours = inspect.signature(cls).parameters
    theirs = inspect.signature(ref).parameters
    assert list(ours) == list(theirs)
    factories = {f.name for f in dataclasses.fields(cls) if f.default_factory is not dataclasses.MISSING}
    for name, param in theirs.items():
        assert ours[name].kind == param.kind
        if name in factories:
            assert ours[name].default is None
        else:
            assert ours[name].default == param.default

    required = [p for p in theirs.values() if p.default is inspect.Parameter.empty]
    minimal = [SAMPLES.get((cls, p.name), p.name) for p in required]
    assert _values(cls(*minimal)) == _values(ref(*minimal))

    args = _args(cls)
    a, b, r = cls(*args), cls(*args), ref(*args)
    assert _values(a) == _values(r)
    assert repr(a) == repr(r)
    assert a == b and not a != b
    assert a != r  # another class, as with the generated __eq__
    compared = [f for f in dataclasses.fields(cls) if f.compare and f.init]
    for f in compared:
        if (cls, f.name) in SAMPLES:
            continue
        changed = dataclasses.replace(a, **{f.name: f"{f.name}-changed"})
        assert changed != a
        assert (changed == a) == (dataclasses.replace(r, **{f.name: f"{f.name}-changed"}) == r)
    if cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        assert hash(a) == hash(b) == hash(r)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(a, compared[0].name, "x")
    else:
        assert type(a).__hash__ is None and type(r).__hash__ is None
    assert pickle.loads(pickle.dumps(a)) == a


def test_rule_still_checks_its_id() -> None:
    args = _args(rule.Rule)
    args[0] = "gk101"
    with pytest.raises(ValueError, match="2-4 uppercase letters"):
        rule.Rule(*args)


def test_table_spec_builds_its_lookups() -> None:
    rows = SAMPLES[(data.TableSpec, "rows")]
    table = data.TableSpec("table3", "表3", "applications", (), (), rows)
    assert table.data_rows() == rows[:1]
    assert table.row("（一）") is rows[0] and table.row("g") is rows[1]
    assert dataclasses.replace(table, rows=rows[:1]).row("g") is None
