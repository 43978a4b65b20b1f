"""GK4 citations: how a report cites the 条例, the format notice and other documents.

Checks 文号 typography (〔〕 brackets, no 第, no spaces), titles and numbers of
documents in the citation registry (``rules/citations.toml``, see
:mod:`gklint.national.citations.registry`), issuing office names, the 条例's full
name and 国务院令 number, superseded format notices, nested title marks, 国办
文号 missing from the registry and the year of the cited 政务公开工作要点; GK410 the
documents a data pack requires to be cited (``[[required_mentions]]``).

This package is the family's plugin (entry point ``national-citations``): its rules are declared
in ``rules.toml`` (texts, severity, examples, and the module of each check); each check is a
plain ``check(doc, ctx)`` in the module its entry names; ``data.py`` builds and validates the
family's data.
"""

from __future__ import annotations

from gklint import hookimpl
from gklint.declare import load_rules
from gklint.national.citations.data import gklint_validate_data
from gklint.national.citations.registry import Entry, Registry, registry, title_forms, title_key
from gklint.rule import Rule

__all__ = ["Entry", "Registry", "gklint_rules", "gklint_validate_data", "registry", "title_forms", "title_key"]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(load_rules(__name__))
