"""gklint 山东省规则包 (the gklint rule pack for 山东).

Data (``shandong.toml``, no Python needed): declares the region it serves
(``[region]``: 山东省 and its cities), registers 鲁政办字〔2020〕179号 in the
citation registry, requires it to be cited where a report discusses 信息处理费
(GK410), requires the 信息处理费 sub-item in 六、其他需要报告的事项 (GK108) and
allows only 山东 telephone area codes (GK508).  gklint applies all of it, and
SD101, to 山东 reports only.

Python: SD101 (declared in ``rules.toml``, checked in ``title_place.py``), the agency named in the title must name its place (山东省, a
city, or a county / district); configuration ``[tool.gklint.plugins.shandong]``
``extra-places = ["…"]`` adds names (a 开发区 or 高新区 written without its city).
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from gklint import hookimpl
from gklint.declare import load_rules
from gklint.rule import Rule

__version__ = "0.1.0"

#: The gklint plugin-API major version this pack is written for.
GKLINT_API_VERSION = "1"


def data_file() -> Traversable:
    """The pack's data file, shipped inside the package."""
    return resources.files(__name__) / "shandong.toml"


@hookimpl
def gklint_rules() -> list[Rule]:
    """SD101, declared in ``rules.toml``; its check is ``title_place.py``."""
    return list(load_rules(__name__))


@hookimpl
def gklint_data_files() -> list[Traversable]:
    return [data_file()]


@hookimpl
def gklint_config_defaults() -> dict[str, Any]:
    return {"extra-places": []}
