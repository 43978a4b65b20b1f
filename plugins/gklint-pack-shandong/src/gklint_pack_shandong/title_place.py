"""SD101 title-agency-place: the agency named in the title must name its place.

The places are the ``[region]`` of the pack's data (山东省 and its cities) and the
configuration ``[tool.gklint.plugins.shandong] extra-places``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from gklint.config import config_at
from gklint.data import StandardData
from gklint.findings import Message, Problem
from gklint.model import Document, Span
from gklint.regions import region_table
from gklint.rule import CheckContext
from gklint.schema import Table, Texts

#: A county-level name at the start of the agency: 高青县、河东区、龙口市、芦湖街道 …
_LOCAL = re.compile(r"^[\u4e00-\u9fff]{1,4}?(?:自治县|县|区|市|旗|镇|乡|街道)")


#: The pack's options, ``[tool.gklint.plugins.shandong]``.
OPTIONS = Table({"extra-places": Texts(default=())})


def _places(data: StandardData) -> tuple[str, ...]:
    """The names of the regions the packs serve (``[region]``, validated and merged by gklint)."""
    table = region_table(data)
    out: list[str] = []
    for code in table.declared.values():
        region = table.get(code)
        if region is not None:
            out += [region.name, *region.names, *region.places]
            if region.name.endswith("省"):
                out.append(region.name[:-1])
    return tuple(p for p in out if p)


def _extra_places(config: Mapping[str, Any]) -> tuple[str, ...]:
    places: tuple[str, ...] = OPTIONS.parse(config, config_at("plugins.shandong"))["extra-places"]
    return tuple(p for p in places if p.strip())


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """SD101: the agency in the title does not start with a place name."""
    agency = doc.metadata.agency.strip()
    title = doc.metadata.title_span
    if not agency or title is None:
        return
    names = _places(context.data) + _extra_places(context.plugin_config)
    if agency.startswith(names) or _LOCAL.match(agency):
        return
    at = doc.text.find(agency, title.start)
    span = Span(at, at + len(agency)) if at >= 0 else title
    yield Problem(
        span,
        Message(f"标题中的机关名称“{agency}”没有写明所属地方，应写全称，如“淄博市{agency}”“高青县{agency}”",
                f"the agency {agency!r} in the title does not name its place; give the full name, e.g. 淄博市{agency}"),
        key=(agency,),
    )
