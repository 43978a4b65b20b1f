"""Inline suppressions: ``gklint: disable=GK503 原因：…`` written in the report itself.

Forms (documented in ``docs/editing-workflow.md``):

* plain text and .docx: a line (a paragraph in Word) of its own that starts with
  ``gklint:`` — optionally after ``#`` or ``//`` —
  ``gklint: disable=GK503,GK201 原因：已与办公室核实`` silences those rules (ids or
  prefixes such as ``GK5``) on the next non-empty line; ``disable-file=`` silences
  them in the whole file;
* HTML: the same text in a comment, ``<!-- gklint: disable=GK201 原因：… -->``; the
  next non-empty line is the first line of text after the comment.

A reason is required: it is what SARIF shows as the justification.  A directive
without one does not silence anything and is reported as GK001, as is a line
starting with ``gklint:`` that cannot be parsed.  A directive that silenced
nothing is reported as GK002 (only for rules that ran, so ``--select`` does not
make directives look unused).

This module is a filter only: the engine calls :func:`apply_suppressions` after the
rules ran.  GK001 and GK002 themselves (their declarations, so they can be selected,
configured and explained) are the plugin :mod:`gklint.suppression_rules`.

Directive lines are removed from the text the structure builder reads
(:func:`strip_directives`, called by the API before building the document), so
they never become a title, a paragraph or a table row; line numbers still refer
to the file as written.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from gklint.findings import Finding, Location, Message
from gklint.lazyre import lazy
from gklint.positions import line_starts, offset_of, position_of

if TYPE_CHECKING:
    from gklint.engine import ActiveRule
    from gklint.model import Document, SourceText

__all__ = [
    "Directive",
    "apply_suppressions",
    "find_directives",
    "strip_directives",
]

INVALID_ID = "GK001"  # an invalid directive (no reason, or unparsable)
UNUSED_ID = "GK002"  # a directive that silenced nothing
CORE_IDS = (INVALID_ID, UNUSED_ID)

#: A line that is a directive (or tries to be one): ``gklint:`` at its start.
_LINE_RE = lazy(r"^[ \t\u3000]*(?:(?:#+|//)[ \t\u3000]*)?gklint[ \t]*[:：]", re.I)
_LINES_RE = lazy(r"^[ \t\u3000]*(?:(?:#+|//)[ \t\u3000]*)?gklint[ \t]*[:：][^\r\n]*", re.I | re.M)
_COMMENT_RE = lazy(r"<!--[ \t\r\n\u3000]*gklint[ \t]*[:：](?P<body>.*?)-->", re.I | re.S)
_BODY_RE = lazy(
    r"^\s*(?P<kind>disable-file|disable)\s*[=＝]\s*"
    r"(?P<codes>[A-Za-z]{2,4}[0-9]{0,3}(?:\s*[,，、]\s*[A-Za-z]{2,4}[0-9]{0,3})*)(?P<rest>.*)$",
    re.I | re.S,
)
_REASON_PREFIX_RE = lazy(r"^[\s:：,，;；\-—]*(?:(?:原因|理由|reason)\s*[:：=]?)?\s*", re.I)


class Directive(NamedTuple):
    """One suppression comment, in source coordinates.

    :ivar codes: rule ids or prefixes (upper case); empty when the directive is invalid.
    :ivar whole_file: ``disable-file``.
    :ivar start, end: source offsets of the directive (the line, or the HTML comment).
    :ivar target: source range of the line it applies to (``None``: whole file, or no line follows).
    :ivar error: why the directive is invalid (``None`` when valid).
    """

    text: str
    codes: tuple[str, ...]
    reason: str
    whole_file: bool
    start: int
    end: int
    target: tuple[int, int] | None
    error: Message | None = None

    def matches(self, rule_id: str) -> bool:
        return any(rule_id.startswith(code) for code in self.codes)


def _parse(body: str) -> tuple[tuple[str, ...], str, bool, Message | None]:
    """``(codes, reason, whole_file, error)`` of the text after ``gklint:``."""
    m = _BODY_RE.match(body.strip())
    if m is None:
        return (), "", False, Message(
            "无法识别的抑制注释：应写作“gklint: disable=规则编号 原因：……”或“gklint: disable-file=规则编号 原因：……”",
            "unrecognised suppression comment: write \"gklint: disable=RULE reason: …\" "
            "or \"gklint: disable-file=RULE reason: …\"")
    codes = tuple(dict.fromkeys(c.strip().upper() for c in re.split(r"[,，、]", m["codes"]) if c.strip()))
    rest = m["rest"]
    if rest and rest[0].isalnum() and rest[0].isascii():
        return (), "", False, Message(
            f"抑制注释中的规则编号“{m['codes']}{rest.split()[0]}”无效（应为 GK503 或前缀 GK5 这样的编号）",
            f"invalid rule id {m['codes'] + rest.split()[0]!r} in the suppression comment (write GK503 or a prefix like GK5)")
    reason = _REASON_PREFIX_RE.sub("", rest, count=1).strip()
    whole = m["kind"].lower() == "disable-file"
    if not reason:
        return codes, "", whole, Message(
            f"抑制注释没有写原因，未生效；请写明原因，如“gklint: {m['kind'].lower()}={','.join(codes)} 原因：已与办公室核实”",
            f"the suppression comment gives no reason and has no effect; add one, e.g. "
            f"\"gklint: {m['kind'].lower()}={','.join(codes)} reason: checked with the office\"")
    return codes, reason, whole, None


def _directive(text: str, body: str, start: int, end: int,
               target: tuple[int, int] | None) -> Directive:
    codes, reason, whole, error = _parse(body)
    return Directive(text.strip(), codes, reason, whole, start, end,
                     None if whole else target, error)


def _next_line(source: str, starts: Sequence[int], after_line: int, skip: set[int]) -> tuple[int, int] | None:
    """Source range of the first non-blank line after 0-based *after_line* that is not in *skip*."""
    for i in range(after_line + 1, len(starts)):
        if i in skip:
            continue
        end = starts[i + 1] if i + 1 < len(starts) else len(source)
        line = source[starts[i]:end]
        if line.strip():
            return starts[i], starts[i] + len(line.rstrip("\r\n"))
    return None


def _html_target(doc: Document, end: int) -> tuple[int, int] | None:
    """Source range of the first non-blank text line after source offset *end* (HTML)."""
    offsets, text = doc.offsets, doc.text
    if offsets is None:
        return None
    i = bisect.bisect_left(offsets, end)
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        return None
    line_end = text.find("\n", i)
    line_end = len(text) if line_end < 0 else line_end
    first = text.rfind("\n", 0, i) + 1
    chunk = [offsets[k] for k in range(first, line_end)]
    return min(chunk), max(chunk) + 1


def find_directives(doc: Document) -> list[Directive]:
    """Every suppression directive of *doc*, in source order."""
    source = doc.source
    if "gklint" not in source.lower():
        return []
    out: list[Directive] = []
    if doc.reader == "html":
        for m in _COMMENT_RE.finditer(source):
            out.append(_directive(m[0], m["body"], m.start(), m.end(), _html_target(doc, m.end())))
        return out
    starts = line_starts(source)
    lines = [(m.start(), m.end()) for m in _LINES_RE.finditer(source)]
    directive_lines = {bisect.bisect_right(starts, s) - 1 for s, _ in lines}
    for s, e in lines:
        text = source[s:e]
        marker = _LINE_RE.match(text)
        assert marker is not None
        line = bisect.bisect_right(starts, s) - 1
        out.append(_directive(text, text[marker.end():], s, e, _next_line(source, starts, line, directive_lines)))
    return out


# -- keeping directive lines out of the structure ----------------------------------


def strip_directives(source: SourceText) -> SourceText:
    """*source* without its directive lines (HTML: unchanged, comments are not text).

    ``offsets`` keep mapping every remaining character to where it is in the file,
    so line and column numbers do not change; ``logical`` labels are moved along.
    """
    text = source.text
    if source.reader == "html" or "gklint" not in text.lower():
        return source
    removed: list[tuple[int, int]] = []
    for m in _LINES_RE.finditer(text):
        end = m.end()
        if text.startswith("\r\n", end):
            end += 2
        elif end < len(text) and text[end] in "\r\n":
            end += 1
        removed.append((m.start(), end))
    if not removed:
        return source
    old = source.offsets
    keep = array("q")
    pieces: list[str] = []
    pos = 0
    for start, end in removed:
        pieces.append(text[pos:start])
        keep.extend(range(pos, start))
        pos = end
    pieces.append(text[pos:])
    keep.extend(range(pos, len(text) + 1))
    offsets = keep if old is None else array("q", (old[i] for i in keep))
    starts = [s for s, _ in removed]
    lengths = [0]
    for s, e in removed:
        lengths.append(lengths[-1] + e - s)

    def moved(pos: int) -> int:
        k = bisect.bisect_right(starts, pos)
        # a position inside a removed line moves to where the line was
        if k and pos < removed[k - 1][1]:
            return removed[k - 1][0] - lengths[k - 1]
        return pos - lengths[k]

    logical = [(moved(s), moved(e), label) for s, e, label in source.logical]
    return dataclasses.replace(
        source, text="".join(pieces), source=source.source if source.source is not None else text,
        offsets=offsets, logical=[item for item in logical if item[1] > item[0]])


# -- applying them --------------------------------------------------------------------


def _location(doc: Document, starts: Sequence[int], d: Directive) -> Location:
    line, column = position_of(starts, d.start)
    end_line, end_column = position_of(starts, d.end)
    return Location(doc.path, line, column, end_line, end_column, d.text, doc.source_line(line), "")


def _finding_offset(starts: Sequence[int], finding: Finding) -> int:
    loc = finding.location
    return offset_of(starts, loc.start_line, loc.start_column)


def apply_suppressions(doc: Document, findings: Sequence[Finding],
                       active: Iterable[ActiveRule]) -> tuple[list[Finding], list[Finding]]:
    """Split *findings* into ``(kept, suppressed)`` by the directives of *doc*.

    ``kept`` also gets GK001 (invalid directive) and GK002 (unused directive)
    findings when those rules are active; suppressed findings carry the reason in
    ``Finding.suppression``.
    """
    directives = find_directives(doc)
    if not directives:
        return list(findings), []
    rules = {a.rule.id: a for a in active}
    starts = line_starts(doc.source)
    valid = [d for d in directives if d.error is None]
    used: dict[int, set[str]] = {i: set() for i in range(len(valid))}
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        if finding.rule_id in CORE_IDS:
            kept.append(finding)
            continue
        at = _finding_offset(starts, finding)
        hits = [i for i, d in enumerate(valid) if d.matches(finding.rule_id)
                and (d.whole_file or (d.target is not None and d.target[0] <= at <= d.target[1]))]
        if not hits:
            kept.append(finding)
            continue
        hits.sort(key=lambda i: valid[i].whole_file)  # the line's own directive gives the reason
        for i in hits:
            used[i].update(c for c in valid[i].codes if finding.rule_id.startswith(c))
        suppressed.append(dataclasses.replace(finding, suppression=valid[hits[0]].reason))
    kept.extend(_problems(doc, starts, directives, valid, used, rules))
    return kept, suppressed


def _problems(doc: Document, starts: Sequence[int], directives: list[Directive], valid: list[Directive],
              used: dict[int, set[str]], rules: dict[str, ActiveRule]) -> Iterator[Finding]:
    invalid = rules.get(INVALID_ID)
    if invalid is not None:
        for d in directives:
            if d.error is not None:
                yield Finding(INVALID_ID, invalid.severity, d.error, _location(doc, starts, d),
                              invalid.plugin, key=(d.text,))
    unused_rule = rules.get(UNUSED_ID)
    if unused_rule is None:
        return
    for i, d in enumerate(valid):
        # a code is unused only if a rule it names ran and none of its findings was silenced
        unused = [c for c in d.codes if c not in used[i] and any(r.startswith(c) for r in rules if r not in CORE_IDS)]
        if not unused:
            continue
        codes = ",".join(unused)
        where_zh = "本文件" if d.whole_file else "其后一行"
        where_en = "this file" if d.whole_file else "the next line"
        yield Finding(
            UNUSED_ID, unused_rule.severity,
            Message(f"抑制注释“{d.text}”中的 {codes} 没有抑制任何问题（{where_zh}没有该规则的问题），可以删除",
                    f"the suppression {d.text!r} silences nothing for {codes} ({where_en} has no such finding); "
                    "remove it"),
            _location(doc, starts, d), unused_rule.plugin, key=(codes, d.reason))
