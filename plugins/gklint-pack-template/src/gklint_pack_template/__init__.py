"""gklint 规则包模板 (template rule pack): the smallest data file and the smallest Python rule.

The rule is declared in ``rules.toml`` (texts, severity, the family) and checked by
``problems_length.py``; this module is the plugin: it hands gklint the declared rules,
the data file and the configuration defaults.

Inert until given a region (``[region] name`` in ``template.toml``); start a new pack with
``gklint new-pack NAME --region 江苏省`` rather than copying this folder.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from gklint import hookimpl
from gklint.declare import load_rules
from gklint.rule import Rule

#: The gklint plugin-API major version this pack is written for.
GKLINT_API_VERSION = "1"


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(load_rules(__name__))


@hookimpl
def gklint_data_files() -> list[Traversable]:
    return [resources.files(__name__) / "template.toml"]


@hookimpl
def gklint_config_defaults() -> dict[str, Any]:
    return {"min-chars": 30}
