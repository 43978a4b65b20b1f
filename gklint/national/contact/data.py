"""The contact details (GK5) family's data: built and validated once at load time (``gklint_validate_data``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from gklint import hookimpl
from gklint.data import StandardData
from gklint.model import Document, Span
from gklint.normalize import fold
from gklint.schema import Regex, Table, Texts, parse_items

KINDS = ("telephone", "fax", "postcode", "email", "address")


_LIST_FIELDS = {f"{k}_labels": k for k in KINDS}


_SEP = r"[ \t\u3000]*(?P<sep>[:：]|为|是)?[ \t\u3000]*"


class ContactPatterns:
    """The compiled contact data.

    :ivar labels: folded label -> kind.
    :ivar label_re: the labels; a match right after an ASCII letter is not a label (see :func:`_labels`).
    :ivar count_units: a telephone value followed right away by one of these is a count (热线电话11通), not a number.
    :ivar bare_address: what an address written without a colon after its label looks like (地址东平市人民路88号).
    """

    __slots__ = ("labels", "label_re", "electronic_version", "service_numbers", "count_units", "bare_address")

    def __init__(self, labels: Mapping[str, str], label_re: re.Pattern[str],
                 electronic_version: tuple[re.Pattern[str], ...], service_numbers: tuple[re.Pattern[str], ...],
                 count_units: tuple[str, ...] = (), bare_address: tuple[re.Pattern[str], ...] = ()) -> None:
        self.labels = labels
        self.label_re = label_re
        self.electronic_version = electronic_version
        self.service_numbers = service_numbers
        self.count_units = count_units
        self.bare_address = bare_address


_STRINGS = Texts(nonempty=True, default=())
_REGEXES = Texts(nonempty=True, default=(), item=Regex())
#: ``[contact]``: the labels of each kind of contact detail and the patterns of the GK5 rules.
CONTACT = Table({
    **{key: _STRINGS for key in _LIST_FIELDS},
    "electronic_version": _REGEXES,
    "service_numbers": _REGEXES,
    "count_units": _STRINGS,
    "bare_address": _REGEXES,
})


def build_patterns(data: StandardData) -> ContactPatterns:
    """Validate and merge the ``[contact]`` tables of *data*; raise :class:`DataError` on mistakes."""
    labels: dict[str, str] = {}
    versions: list[re.Pattern[str]] = []
    services: list[re.Pattern[str]] = []
    units: list[str] = []
    addresses: list[re.Pattern[str]] = []
    for _, raw in parse_items(data, "contact", CONTACT):
        for key, kind in _LIST_FIELDS.items():
            for label in raw[key]:
                labels.setdefault(fold(label), kind)
        versions += raw["electronic_version"]
        services += raw["service_numbers"]
        units += (fold(u) for u in raw["count_units"] if fold(u) not in units)
        addresses += raw["bare_address"]
    ordered = sorted(labels, key=len, reverse=True)
    if ordered:
        alt = "|".join(re.escape(label) for label in ordered)
        # No (?<![A-Za-z]) here: a leading look-behind stops the regex engine from skipping
        # ahead to a label's first characters (3x slower); details() checks the character before.
        label_re = re.compile(rf"(?P<label>{alt})(?P<more>(?:[ \t]*[/、和及或(][ \t]*(?:{alt})\)?)*){_SEP}")
    else:
        label_re = re.compile(r"(?!x)x(?P<label>)(?P<more>)(?P<sep>)")
    return ContactPatterns(labels, label_re, tuple(versions), tuple(services), tuple(units), tuple(addresses))


def contact_patterns(data: StandardData) -> ContactPatterns:
    """The contact patterns of *data*, compiled once per :class:`StandardData` object."""
    return data.derived("contact", build_patterns)


def electronic_version(doc: Document, patterns: ContactPatterns) -> Span | None:
    """The span of a statement of where the electronic version can be found, if any."""
    folded = fold(doc.text)
    hits = [m for p in patterns.electronic_version if (m := p.search(folded))]
    if not hits:
        return None
    first = min(hits, key=lambda m: m.start())
    return Span(first.start(), first.end())


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    contact_patterns(data)
    return ["contact"]
