"""GK7 across years: a report against the same agency's report of the year before.

The rules here are declared ``needs_previous``: the engine runs them only when the
earlier report is known (paired in a batch, ``--previous FILE``, the ``previous`` of a
service request) and gives it as ``context.previous``.  Places in the earlier report
are :class:`~gklint.findings.Related` with ``document=previous``, so text, JSON and
SARIF output name that file.

* GK701 table 3: this year's 二、上年结转 differs from last year's 四、结转下年度继续办理
  (per applicant column);
* GK702 table 2: 现行有效件数 of 规章 / 行政规范性文件 is not last year's 现行有效件数 +
  本年制发件数 − 本年废止件数;
* GK703 一、总体情况 or 五、存在的主要问题及改进情况 repeats last year's text;
* GK704 五、存在的主要问题及改进情况 does not say how last year's problems were addressed;
* GK705 the report year or statistics period does not follow last year's;
* GK706 the earlier report given is of another agency.

Only tables read with status FOUND take part.  Messages do not name the earlier file (its
related location does), so a finding's fingerprint does not change when that file moves.  GK701–GK704 compare only reports of one
agency whose years follow each other (when both are known); GK705 and GK706 say why
they do not.  Phrases are data: ``rules/crossyear.toml`` (key ``crossyear``).

This package is the family's plugin (entry point ``national-crossyear``): its rules are declared
in ``rules.toml`` (texts, severity, examples, and the module of each check); each check is a
plain ``check(doc, ctx)`` in the module its entry names; ``data.py`` builds and validates the
family's data.
"""

from __future__ import annotations

from gklint import hookimpl
from gklint.declare import load_rules
from gklint.national.crossyear._compare import repeated_passages
from gklint.national.crossyear.data import gklint_validate_data
from gklint.rule import Rule

__all__ = ["gklint_rules", "gklint_validate_data", "repeated_passages"]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(load_rules(__name__))
