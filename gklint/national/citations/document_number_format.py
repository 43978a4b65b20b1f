"""GK401 document-number-format: malformed document number (brackets, 第, spaces)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gklint.findings import Fix, Message, Problem
from gklint.model import Document
from gklint.national.citations._scan import doc_numbers
from gklint.national.citations.registry import registry
from gklint.rule import CheckContext

_DIGITS = re.compile(r"[0-9０-９]+")


def check(doc: Document, context: CheckContext) -> Iterator[Problem]:
    """GK401: a 文号 with other brackets than 〔〕, with 第, with spaces, or a doubled prefix."""
    reg = registry(context.data)
    for n in doc_numbers(doc.text, reg):
        if n.well_formed:
            continue
        written = doc.snippet(n.span)
        wrong: list[tuple[str, str]] = []
        if n.open != "〔" or n.close != "〕":
            wrong.append((f"年份括号用了“{n.open}{n.close}”，应为六角括号“〔〕”",
                          f"the year is in {n.open}{n.close} instead of 六角括号 〔〕"))
        if n.has_di:
            wrong.append(("序号前多了“第”", "a superfluous 第 before the number"))
        if n.has_space:
            wrong.append(("文号中有空格", "spaces inside the number"))
        if n.doubled_prefix:
            wrong.append((f"发文字号“{n.prefix}”重复", f"the prefix {n.prefix} is doubled"))
        replacement = n.canonical[len(n.prefix):] if not n.doubled_prefix else n.canonical
        fix_span = n.tail if not n.doubled_prefix else n.span
        # brackets, 第 and spaces only; a doubled prefix or a number written with a leading zero is left to the editor
        safe = not n.doubled_prefix and _DIGITS.findall(doc.snippet(fix_span)) == _DIGITS.findall(replacement)
        yield Problem(
            n.span,
            Message(f"文号“{written}”格式不规范：{'；'.join(z for z, _ in wrong)}。应写作“{n.canonical}”",
                    f"document number {written!r} is malformed: {'; '.join(e for _, e in wrong)}; write {n.canonical!r}"),
            fix=Fix(fix_span, replacement, Message(f"改为“{n.canonical}”", f"write {n.canonical}"), safe=safe),
            key=(n.canonical,),
        )
