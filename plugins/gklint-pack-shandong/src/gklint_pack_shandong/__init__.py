"""gklint 山东省规则包 (the gklint rule pack for 山东).

Data (``shandong.toml``, no Python needed): declares the region it serves
(``[region]``: 山东省 and its cities), registers 鲁政办字〔2020〕179号 in the
citation registry, requires it to be cited where a report discusses 信息处理费
(GK410), requires the 信息处理费 sub-item in 六、其他需要报告的事项 (GK108) and
allows only 山东 telephone area codes (GK508).  gklint applies all of it, and
SD101, to 山东 reports only.

Python: SD101, the agency named in the title must name its place (山东省, a
city, or a county / district); configuration ``[tool.gklint.plugins.shandong]``
``extra-places = ["…"]`` adds names (a 开发区 or 高新区 written without its city).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from gklint import hookimpl
from gklint.config import config_at
from gklint.data import StandardData
from gklint.findings import Message, Problem, Severity
from gklint.model import Document, Span
from gklint.regions import region_table
from gklint.rule import CheckContext, Example, Rule
from gklint.schema import Table, Texts

__version__ = "0.1.0"

#: The gklint plugin-API major version this pack is written for.
GKLINT_API_VERSION = "1"

#: A county-level name at the start of the agency: 高青县、河东区、龙口市、芦湖街道 …
_LOCAL = re.compile(r"^[\u4e00-\u9fff]{1,4}?(?:自治县|县|区|市|旗|镇|乡|街道)")


def data_file() -> Traversable:
    """The pack's data file, shipped inside the package."""
    return resources.files(__name__) / "shandong.toml"


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


def check_title_place(doc: Document, context: CheckContext) -> Iterator[Problem]:
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


RULES = [
    Rule(
        id="SD101",
        name="title-agency-place",
        family="山东",
        severity=Severity.WARNING,
        short=Message("标题中的机关名称没有写明所属地方", "the agency in the title does not name its place"),
        full=Message(
            "年度报告标题应写机关全称，以所属行政区划开头（山东省、××市、××县、××区等），"
            "否则读者无法从标题看出是哪个地方的机关，如“科学技术和工业信息化局2022年政府信息公开工作年度报告”。",
            "The title must give the agency's full name, starting with its place (山东省, a city, a county or district); "
            "otherwise readers cannot tell whose report it is."),
        help=Message("在标题的机关名称前写上行政区划名称。开发区等名称可在 [tool.gklint.plugins.shandong] extra-places 中补充。",
                     "Write the place before the agency name. Add names such as a 开发区 with "
                     "[tool.gklint.plugins.shandong] extra-places."),
        check=check_title_place,
        source=Message("山东省政务公开的通行做法（标题写机关全称）", "common practice in 山东 (the title gives the agency's full name)"),
        reason=Message("机关名称写得不全是形式问题，不改变报告内容，所以是警告",
                       "an incomplete agency name is form: it does not change what the report says, hence a warning"),
        examples=(Example(bad="科学技术和工业信息化局\n2022年政府信息公开工作年度报告\n",
                          good="淄博市科学技术和工业信息化局\n2022年政府信息公开工作年度报告\n",
                          replaces="东平市工业和信息化局\n2022年政府信息公开工作年度报告\n"),),
    ),
]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def gklint_data_files() -> list[Traversable]:
    return [data_file()]


@hookimpl
def gklint_config_defaults() -> dict[str, Any]:
    return {"extra-places": []}
