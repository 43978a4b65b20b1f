"""XX101 problems-too-short: 五、存在的主要问题及改进情况 is shorter than ``min-chars`` characters."""

from __future__ import annotations

from collections.abc import Iterator

from gklint.findings import Message, Problem
from gklint.model import Document
from gklint.rule import CheckContext


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
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
