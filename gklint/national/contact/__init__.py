"""GK5 contact info: address, telephone, postcode, e-mail and the electronic-version statement.

Contact details are customary in the introduction of an annual report but not
verified as required by the format, so every GK5 rule is a warning.  Labels,
phrases and accepted service numbers are data (``rules/contact.toml``).  The
details are looked for in the whole document (the intro first; some reports put
them at the end); every labelled telephone, fax, postcode and e-mail is checked
for its form wherever it is.  When a report has no contact details at all,
only GK501 fires (not also "no telephone", "no address", "no electronic version").
GK508 and GK509 apply a data pack's ``[contact_constraints]`` (area codes, required details).

This package is the family's plugin (entry point ``national-contact``): its rules are declared
in ``rules.toml`` (texts, severity, examples, and the module of each check); each check is a
plain ``check(doc, ctx)`` in the module its entry names; ``data.py`` builds and validates the
family's data.
"""

from __future__ import annotations

from gklint import hookimpl
from gklint.declare import load_rules
from gklint.national.contact._details import Detail, details, telephone_problem
from gklint.national.contact.data import ContactPatterns, contact_patterns, gklint_validate_data
from gklint.rule import Rule

__all__ = ["ContactPatterns", "Detail", "contact_patterns", "details", "gklint_rules", "gklint_validate_data", "telephone_problem"]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(load_rules(__name__))
