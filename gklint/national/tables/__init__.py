"""GK2 table arithmetic: the 勾稽关系 of tables 3 and 4, and the cells of tables 2–4.

The identities are data: the ``[[identities]]`` of the layout files and of data
packs (kinds ``column``, ``row`` and ``cells``, see :class:`gklint.data.IdentitySpec`).
One engine (:func:`evaluate`) evaluates them all on the tables the structure
builder read; ``[identity_rules]`` (``rules/tables.toml``) says which rule
reports which identity:

* GK201 – table 3, per column: 一 + 二 = 三（七）总计 + 四 (printed in the table);
* GK202 – table 3, per column: （七）总计 = the sum of the result rows;
* GK203 – table 3, per row: 总计 = the six applicant columns;
* GK204 – table 4: four outcomes = 总计, per group; and every identity that no
  ``[identity_rules]`` entry assigns (those a data pack adds).

Cells: GK205 (not a non-negative integer: text, negative, decimal in a count
column), GK206 (a row or cells missing), GK207 (blank cell, counted as 0),
GK208 (a unit written in a cell that does not match the column).  What could not be
read: GK209 (a table cannot be read with confidence and is not checked), GK210 (a
table's cells were split out of digits run together).

To avoid cascades an identity is not evaluated where its inputs are unknown:
a row that is missing, or whose values ran short (so that the values it has
may sit in the wrong columns), or a cell that is not a number.  GK205/GK206
report those; an editor sees the cause once, not a dozen broken sums.

This package is the family's plugin (entry point ``national-tables``): its rules are declared
in ``rules.toml`` (texts, severity, examples, and the module of each check); each check is a
plain ``check(doc, ctx)`` in the module its entry names; ``data.py`` builds and validates the
family's data.
"""

from __future__ import annotations

from gklint import hookimpl
from gklint.declare import load_rules
from gklint.national.tables._cells import (
    CellView,
    Outcome,
    Term,
    evaluate,
    identity_rule_map,
    row_view,
    short_cells,
)
from gklint.national.tables.data import gklint_validate_data
from gklint.rule import Rule

__all__ = ["CellView", "Outcome", "Term", "evaluate", "gklint_rules", "gklint_validate_data", "identity_rule_map", "row_view", "short_cells"]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(load_rules(__name__))
