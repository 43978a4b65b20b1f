"""gklint 规则包模板 (template rule pack): the smallest data file and the smallest Python rule.

Inert until given a region (``[region] name`` in ``template.toml``); start a new pack with
``gklint new-pack NAME --region 江苏省`` rather than copying this folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from gklint import hookimpl
from gklint.findings import Message, Problem, Severity
from gklint.model import Document
from gklint.rule import CheckContext, Rule

#: The gklint plugin-API major version this pack is written for.
GKLINT_API_VERSION = "1"


def check_problems_length(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """XX101: 五、存在的主要问题及改进情况 is shorter than ``min-chars`` characters."""
    section = doc.section("problems")
    if section is None:
        return  # GK101 reports a missing section
    minimum = int(context.plugin_config.get("min-chars", 30))
    text = "".join(doc.snippet(section.body_span).split())
    if len(text) >= minimum:
        return
    yield Problem(
        section.heading_span,
        Message(f"“存在的主要问题及改进情况”只有{len(text)}个字，至少应写{minimum}个字",
                f"the problems section has {len(text)} characters, fewer than {minimum}"),
        key=("problems", str(minimum)),
    )


RULES = [
    Rule(
        id="XX101",
        name="problems-too-short",
        family="示例",
        severity=Severity.WARNING,
        short=Message("“存在的主要问题及改进情况”过于简短", "the problems section is too short"),
        full=Message("第五部分应具体写明存在的问题和改进措施；少于配置的字数（默认30字）时提示。",
                     "Section 五 should name the problems and the improvements; fires below min-chars characters (30)."),
        help=Message("具体写明问题和改进措施。", "Name the problems and the improvements."),
        check=check_problems_length,
        source=Message("示例规则", "example rule"),
        reason=Message("内容是否足够无法确定，所以是警告", "whether it is enough cannot be told, hence a warning"),
    ),
]


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def gklint_data_files() -> list[Traversable]:
    return [resources.files(__name__) / "template.toml"]


@hookimpl
def gklint_config_defaults() -> dict[str, Any]:
    return {"min-chars": 30}
