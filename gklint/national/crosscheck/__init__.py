"""GK6 cross-checks: the prose of a report against its tables, its title and itself.

* GK601 counts of applications in the prose (收到申请N件, 上年结转, 办结/答复, 结转下年度,
  予以公开 …) that contradict table 3;
* GK602 行政复议 / 行政诉讼 counts or "未发生行政复议、行政诉讼" that contradict table 4;
* GK603 "未收到政府信息公开申请" while table 3 shows applications;
* GK604 the report year of the title, the statistics period and the opening of 一、总体情况 disagree;
* GK605 the statistics period is not 1 January to 31 December of one year;
* GK607 the statistics period is stated but its dates cannot be read (damaged text);
* GK608 the report never states its statistics period;
* GK606 a "其中" list whose parts do not add up to the total before it.

The phrases are data (``rules/crosscheck.toml``, top-level key ``crosscheck``): patterns are
matched one sentence at a time against folded text (``gklint.normalize.fold``, which keeps
offsets), so spans point into the original.  Approximate numbers (200余条, 约10件, 近百件) are
never compared.  Layout-versus-year is GK301's business and is not repeated here.

This package is the family's plugin (entry point ``national-crosscheck``): its rules are declared
in ``rules.toml`` (texts, severity, examples, and the module of each check); each check is a
plain ``check(doc, ctx)`` in the module its entry names; ``data.py`` builds and validates the
family's data.
"""

from __future__ import annotations

from gklint import hookimpl
from gklint.declare import load_rules
from gklint.national.crosscheck._prose import parse_count
from gklint.national.crosscheck.data import gklint_validate_data
from gklint.rule import Rule

__all__ = ["gklint_rules", "gklint_validate_data", "parse_count"]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(load_rules(__name__))
