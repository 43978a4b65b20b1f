"""GK1 sections: the six top-level parts of the report format and what they hold.

The report format (国办公开办函〔2021〕30号, and the 2019/2020 trial format of
国办公开办函〔2019〕60号, whose six sections are the same) fixes six numbered
sections in a fixed order; sections 二, 三 and 四 are tables; sections 一 and 五
carry the narrative 条例 第五十条 asks for.  This family checks that every
section is there, in order and correctly numbered, with the format's wording,
that 二/三/四 hold their tables (not just a picture of them), that 一 and 五 are
not empty or a bare “无”, and that the intro's list of parts matches the report;
GK108 the sub-items a data pack requires (``[[required_subitems]]``), GK109 a text that
stops in the middle of the report (said once instead of a finding per missing part).

Section titles, accepted heading variants and which sections need content are in
``rules/layouts/*.toml``; the intro phrase patterns, intro aliases and content
placeholders are in ``rules/sections.toml`` (top-level table ``section_checks``).

This package is the family's plugin (entry point ``national-sections``): its rules are declared
in ``rules.toml`` (texts, severity, examples, and the module of each check); each check is a
plain ``check(doc, ctx)`` in the module its entry names; ``data.py`` builds and validates the
family's data.
"""

from __future__ import annotations

from gklint import hookimpl
from gklint.data import StandardData
from gklint.declare import load_rules
from gklint.national import _requirements
from gklint.national.sections.data import gklint_validate_data
from gklint.rule import Rule

__all__ = ["gklint_rules", "gklint_validate_data", "validate_requirements"]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(load_rules(__name__))


@hookimpl(specname="gklint_validate_data")
def validate_requirements(data: StandardData) -> list[str]:
    """The keys data packs add for GK108, GK410, GK508 and GK509 (``gklint.national._requirements``)."""
    return _requirements.validate(data)
