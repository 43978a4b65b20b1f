"""GK3 template version: do the tables follow the right format, and follow it exactly?

Two formats exist: the trial format of 国办公开办函〔2019〕60号 for the 2019 and
2020 reports, and the format of 国办公开办函〔2021〕30号 for 2021 onwards.  They
differ in table 2 (columns and blocks) and in table 3's （六）其他处理.  This family
checks that the tables use the format of the report year, that one report does not
mix both, and that row and column labels are the template's (accepted spellings
listed in the template are fine; other wordings are reported), and notes rows,
values and header annotations the template does not have.

Layout years, 文号, markers and labels come from ``rules/layouts/*.toml``; the
patterns that tell a note after a table from an extra row are in
``rules/template.toml`` (top-level table ``template_checks``).

This package is the family's plugin (entry point ``national-template``): its rules are declared
in ``rules.toml`` (texts, severity, examples, and the module of each check); each check is a
plain ``check(doc, ctx)`` in the module its entry names; ``data.py`` builds and validates the
family's data.
"""

from __future__ import annotations

from gklint import hookimpl
from gklint.declare import load_rules
from gklint.national.template.data import gklint_validate_data
from gklint.rule import Rule

__all__ = ["gklint_rules", "gklint_validate_data"]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(load_rules(__name__))
