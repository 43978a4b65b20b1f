"""Read tables 2, 3 and 4 out of flattened text, anchored on the template's labels.

Every way a table reaches us as text (one cell per line, tab-separated rows,
``|``-separated cells, HTML or Word grids written out by the readers) keeps
the labels in reading order, followed by their values.  So: find each row
label of the template, in order, in the normalised text; read the cell tokens
between one label and the next; check the count against the template.  A row
whose label is not found exactly is looked for in the gap between its
neighbours by its numbering and by similarity (``2.其他法律法规禁止公开`` for
``2.其他法律行政法规禁止公开``), and marked as such.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from gklint.data import ColumnSpec, RowSpec, TableSpec
from gklint.lazyre import lazy
from gklint.model import Cell, CellKind, HeaderLabel, Row, Span, Table, TableStatus
from gklint.normalize import Normalized, fold, norm_label

__all__ = ["MAX_DIGITS", "Token", "out_of_range", "parse_cell", "read_table", "release_gaps", "table_score", "tokens"]

_TOKEN = re.compile(r"[^\s|｜]+")
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
_UNITS = frozenset(("万元", "元", "件", "个", "项", "条", "次", "人次", "%"))  # a token that joins the number before it
_BLANKS = {"-", "--", "---", "/", "\\", "——", "-/-"}
_SEPARATORS = "\t\n\r|｜"
_CJK = lazy(r"[\u4e00-\u9fff]")
_NUMBERING = lazy(r"^(\d{1,2}\.|\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}、)")


@dataclass(slots=True)  # not frozen: one per token of every table row, and a frozen __init__ is slower
class Token:
    text: str
    start: int  # original offsets
    end: int


def tokens(text: str, start: int, end: int) -> list[Token]:
    """Non-empty tokens of ``text[start:end]`` split at whitespace and ``|``; units join their number."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text, start, end):
        word = m.group()
        if out and word in _UNITS and _NUMBER.match(fold(out[-1].text)):
            prev = out[-1]
            out[-1] = Token(text[prev.start : m.end()], prev.start, m.end())
            continue
        out.append(Token(word, m.start(), m.end()))
    return out


#: A number written with more digits than this is out of range: no count in a report comes near, and
#: Python refuses to convert a string of over 4,300 digits (sums of such values would then break too).
MAX_DIGITS = 100


def out_of_range(text: str) -> bool:
    """Whether cell text *text* is a number with more than :data:`MAX_DIGITS` digits."""
    return len(text) > MAX_DIGITS and sum(ch.isdigit() for ch in fold(text)) > MAX_DIGITS


@lru_cache(maxsize=4096)
def parse_cell(raw: str) -> tuple[CellKind, int | Decimal | None, str]:
    """Parse a cell's text into (kind, value, unit)."""
    text = fold(raw).strip().replace(" ", "")
    if not text or text in _BLANKS:
        return CellKind.BLANK, None, ""
    unit = ""
    for u in ("万元", "人次", "元", "件", "个", "项", "条", "次", "%"):
        if text.endswith(u) and len(text) > len(u):
            text, unit = text[: -len(u)], u
            break
    m = _NUMBER.match(text)
    if not m:
        return CellKind.INVALID, None, ""
    sign, digits, frac = m.groups()
    digits = digits.replace(",", "")
    if len(digits) + len(frac or "") > MAX_DIGITS:  # out of range: read as text that is not a count
        return CellKind.INVALID, None, ""
    if frac:
        try:
            return CellKind.DECIMAL, Decimal(sign + digits + frac), unit
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            return CellKind.INVALID, None, unit
    return CellKind.INT, int(sign + digits), unit


@lru_cache(maxsize=4096)
def is_cell_token(text: str) -> bool:
    """Could this token be a table value (number, blank marker, or a short non-label word)?"""
    kind, _, _ = parse_cell(text)
    if kind in (CellKind.INT, CellKind.DECIMAL, CellKind.BLANK):
        return True
    folded = fold(text)
    if len(folded) > MAX_DIGITS and _NUMBER.match(folded):  # a number out of range is still a value
        return True
    return folded in ("无", "0件", "无此项") or (len(folded) <= 2 and not _CJK.search(folded[:1] or "x"))


# -- label search ---------------------------------------------------------------


def _boundary_ok(text: str, start: int, end: int) -> bool:
    """Is original ``text[start:end]`` delimited like a table cell (line, tab, pipe or space)?"""
    i = start - 1
    while i >= 0 and text[i] in " \u3000\xa0":
        i -= 1
    before_ok = i < 0 or text[i] in _SEPARATORS or text[i] == "]"
    j = end
    n = len(text)
    while j < n and text[j] in " \u3000\xa0":
        j += 1
    after_ok = j >= n or text[j] in _SEPARATORS or text[j] in "0123456789０１２３４５６７８９"
    return before_ok and after_ok


def find_label(
    text: str, norm: Normalized, label: str, start: int, end: int, strict: bool = True
) -> tuple[int, int] | None:
    """Normalised ``[s, e)`` of the first occurrence of *label* in ``norm.text[start:end]``.

    Occurrences delimited like a cell are preferred; a long label may match
    without delimiters when no delimited occurrence exists.
    """
    needle = norm_label(label)
    if not needle:
        return None
    first: tuple[int, int] | None = None
    pos = norm.text.find(needle, start, end)
    while pos != -1:
        s, e = norm.span(pos, pos + len(needle))
        if _boundary_ok(text, s, e):
            return pos, pos + len(needle)
        if first is None:
            first = (pos, pos + len(needle))
        pos = norm.text.find(needle, pos + 1, end)
    if first is not None and (not strict or len(needle) > 4):
        return first
    return None


# -- reading --------------------------------------------------------------------


@dataclass(slots=True)
class _Anchor:
    spec: RowSpec
    nstart: int  # normalised
    nend: int
    found: str
    matched: str


def _label_runs(text: str, toks: list[Token]) -> Iterator[tuple[int, int, Token, Token]]:
    """Runs of adjacent non-cell tokens on one line: candidate written labels, as token index ranges."""
    i = 0
    while i < len(toks):
        if is_cell_token(toks[i].text):
            i += 1
            continue
        j = i
        while (
            j + 1 < len(toks)
            and not is_cell_token(toks[j + 1].text)
            and "\n" not in text[toks[j].end : toks[j + 1].start]
            and "\t" not in text[toks[j].end : toks[j + 1].start]
        ):
            j += 1
        yield i, j, toks[i], toks[j]
        i = j + 1


_Candidate = tuple[Token, Token, str, str]  # first and last token of a label run, the run as written, normalised


#: the latest document's gaps (its text, its normalisation, gap -> candidates): each template a table
#: is tried with looks in the same gaps, and a text that holds no table has one gap, all of it
#: (one tuple, read once per call: threads linting other documents replace it, never change it)
_gaps: list[tuple[str, Normalized, dict[tuple[int, int], list[_Candidate]]] | None] = [None]


def release_gaps() -> None:
    """Drop the latest document's gap candidates (called once its structure is built)."""
    _gaps[0] = None


def _candidates(text: str, norm: Normalized, nstart: int, nend: int) -> list[_Candidate]:
    """The label runs of the normalised gap ``[nstart, nend)`` that could be a deviating row label."""
    if nend <= nstart:
        return []
    cache = _gaps[0]
    if cache is None or cache[0] is not text or cache[1] is not norm:
        cache = _gaps[0] = (text, norm, {})
    found = cache[2].get((nstart, nend))
    if found is None:
        found = cache[2][(nstart, nend)] = _gap_candidates(text, norm, nstart, nend)
    return found


def _gap_candidates(text: str, norm: Normalized, nstart: int, nend: int) -> list[_Candidate]:
    ostart, oend = norm.span(nstart, nend)
    out: list[_Candidate] = []
    for _, _, first, last in _label_runs(text, tokens(text, ostart, oend)):
        written = text[first.start : last.end]
        wn = norm_label(written)
        if len(wn) >= 2 and not _is_prose(written):
            out.append((first, last, written, wn))
    return out


def _fuzzy_find(
    text: str, norm: Normalized, spec: RowSpec, nstart: int, nend: int, taken: set[int]
) -> _Anchor | None:
    """Look for a deviating written label of *spec* in the normalised gap ``[nstart, nend)``.

    The gap is tokenised once (:func:`_candidates`), however many rows are looked for in it.
    """
    if nend <= nstart:
        return None
    best: tuple[float, Token, Token] | None = None
    canon = norm_label(spec.label)
    m = _NUMBERING.match(canon)
    numbering = m.group(1) if m else ""
    candidates = _candidates(text, norm, nstart, nend)
    matcher = SequenceMatcher(None, "", canon)  # the label's side is analysed once, not once per run
    for first, last, _written, wn in candidates:
        if first.start in taken:
            continue
        matcher.set_seq1(wn)
        score = matcher.ratio()
        if numbering and wn.startswith(numbering):
            score += 0.25
        if best is None or score > best[0]:
            best = (score, first, last)
    if best is None or best[0] < 0.55:
        return None
    _, first, last = best
    ns, ne = norm.locate(first.start), norm.locate(last.end)
    written = " ".join(text[first.start : last.end].split())
    return _Anchor(spec, ns, ne, written, "fuzzy")


def _anchor_rows(
    text: str, norm: Normalized, specs: tuple[RowSpec, ...], start: int, end: int, loose_groups: bool = False
) -> list[_Anchor | None]:
    """Find each row label in order within normalised ``[start, end)``; then fill gaps fuzzily.

    With *loose_groups*, a group label (``（三）不予公开``) does not move the search on: text
    copied out of a PDF prints a merged group cell on a middle line of its rows.
    """
    anchors: list[_Anchor | None] = []
    cursor = start
    for spec in specs:
        found: _Anchor | None = None
        for matched, label in [("exact", spec.label), *(("variant", v) for v in spec.variants)]:
            hit = find_label(text, norm, label, cursor, end)
            if hit is not None:
                s, e = norm.span(*hit)
                found = _Anchor(spec, hit[0], hit[1], " ".join(text[s:e].split()), matched)
                break
        if found is not None and not (loose_groups and spec.group_only):
            cursor = found.nend
        anchors.append(found)
    # fuzzy recovery between resolved neighbours
    taken: set[int] = set()
    for i, anchor in enumerate(anchors):
        if anchor is not None:
            continue
        prev_end = next((a.nend for a in reversed(anchors[:i]) if a is not None), start)
        next_start = next((a.nstart for a in anchors[i + 1 :] if a is not None), end)
        found = _fuzzy_find(text, norm, specs[i], prev_end, next_start, taken)
        if found is not None:
            taken.add(norm.index[found.nstart])
            anchors[i] = found
    return anchors


def _cells_for(
    text: str,
    spec: RowSpec,
    columns: tuple[ColumnSpec, ...],
    value_start: int,
    value_end: int,
) -> tuple[list[Cell], list[Row]]:
    """Read a row's cells from original ``[value_start, value_end)``; return (cells, extra rows)."""
    simple = _one_value_per_column(text, spec, columns, value_start, value_end)
    if simple is not None:
        return simple, []
    toks = tokens(text, value_start, value_end)
    lead: list[Token] = []
    i = 0
    while i < len(toks) and is_cell_token(toks[i].text):
        lead.append(toks[i])
        i += 1
    extra_rows: list[Row] = []
    # label-like text followed by values inside the gap: a row the template lacks
    while i < len(toks):
        j = i
        while j < len(toks) and not is_cell_token(toks[j].text):
            j += 1
        vals = []
        k = j
        while k < len(toks) and is_cell_token(toks[k].text):
            vals.append(toks[k])
            k += 1
        label_text = " ".join(t.text for t in toks[i:j])
        if _is_prose(label_text):
            break  # a note or paragraph after the table: not table rows
        if vals and _CJK.search(label_text) and not label_text.startswith("[image"):
            span = Span(toks[i].start, toks[j - 1].end)
            rid = f"extra:{label_text}"
            cells = [
                _make_cell(rid, label_text, f"c{n + 1}", f"第{n + 1}列", t, extra=True)
                for n, t in enumerate(vals)
            ]
            extra_rows.append(Row(rid, label_text, label_text, span, cells, spec.group, True, "extra"))
        i = k if k > j else j + 1

    # Single-line rows separated by tabs or pipes keep their empty cells positionally.
    # (only used when the leading tokens don't already fill the columns)
    line_cells = _positional(text, value_start, value_end, len(columns)) if len(lead) != len(columns) else None
    chosen: list[Token | None]
    if line_cells is not None and len(lead) != len(columns):
        chosen = line_cells
    elif len(lead) > len(columns):
        # extra leading cells come from merged label columns spilling over: keep the last ones
        chosen = list(lead[len(lead) - len(columns) :])
        spill = lead[: len(lead) - len(columns)]
        rid = spec.id
        extras = [_make_cell(rid, spec.label, f"extra{n + 1}", f"多余单元格{n + 1}", t, extra=True) for n, t in enumerate(spill)]
        cells = [_cell_from(spec, col, tok) for col, tok in zip(columns, chosen, strict=True)]
        return cells + extras, extra_rows
    else:
        chosen = [*lead, *([None] * (len(columns) - len(lead)))]
    cells = [_cell_from(spec, col, tok) for col, tok in zip(columns, chosen, strict=True)]
    return cells, extra_rows


def _one_value_per_column(
    text: str, spec: RowSpec, columns: tuple[ColumnSpec, ...], value_start: int, value_end: int
) -> list[Cell] | None:
    """The row's cells when ``[value_start, value_end)`` holds exactly one value per column and
    nothing else (most rows of most reports), else ``None``: what :func:`_cells_for` reads then."""
    matches = list(_TOKEN.finditer(text, value_start, value_end))
    if len(matches) != len(columns):
        return None
    cells = []
    for col, m in zip(columns, matches, strict=True):
        word = m.group()
        kind, value, unit = parse_cell(word)
        if word in _UNITS or (kind is CellKind.INVALID and not is_cell_token(word)):
            return None
        cells.append(Cell(spec.id, spec.label, col.id, col.label, word, kind, value, _span(m.span()), unit))
    return cells


def _span(offsets: tuple[int, int]) -> Span:
    """A :class:`Span` of offsets known to be valid (a match's)."""
    return tuple.__new__(Span, offsets)


def _is_prose(text: str) -> bool:
    """Text after a table that is a sentence or a note, not a row label."""
    folded = fold(text)
    return len(folded) > 40 or "。" in folded or folded.startswith(("注:", "说明:", "备注:")) or folded.endswith(":")


def _positional(text: str, start: int, end: int, expected: int) -> list[Token | None] | None:
    """Cells of a one-line ``\\t``/``|`` separated row, empty ones as None, if the count fits."""
    segment = text[start:end]
    stripped = segment.strip(" \u3000")
    inner = stripped.strip("\r\n\t |")
    if "\n" in inner or "\r" in inner or not stripped:
        return None
    line_end = min((i for i in (segment.find("\n"), segment.find("\r")) if i != -1), default=-1)
    if line_end != -1:
        end = start + line_end
        segment = text[start:end]
    sep = "\t" if "\t" in segment else ("|" if "|" in segment else None)
    if sep is None:
        return None
    parts: list[Token | None] = []
    pos = start
    for piece in segment.split(sep):
        raw = piece.strip()
        if raw:
            off = text.index(raw, pos)
            parts.append(Token(raw, off, off + len(raw)))
        else:
            parts.append(Token("", pos, pos))  # an empty cell: blank, located where it sits
        pos += len(piece) + 1
    while parts and parts[0] is not None and not parts[0].text:
        parts.pop(0)
    while parts and parts[-1] is not None and not parts[-1].text:
        parts.pop()
    if len(parts) != expected:
        return None
    return parts


def _make_cell(row_id: str, row_label: str, col_id: str, col_label: str, tok: Token, extra: bool = False) -> Cell:
    kind, value, unit = parse_cell(tok.text)
    return Cell(row_id, row_label, col_id, col_label, tok.text, kind, value, Span(tok.start, tok.end), unit, extra)


def _cell_from(spec: RowSpec, col: ColumnSpec, tok: Token | None) -> Cell:
    if tok is None:
        return Cell(spec.id, spec.label, col.id, col.label, "", CellKind.MISSING, None, None)
    return _make_cell(spec.id, spec.label, col.id, col.label, tok)


def _headers(
    text: str, norm: Normalized, columns: tuple[ColumnSpec, ...], start: int, end: int, block: str = ""
) -> list[HeaderLabel]:
    out = []
    cursor = start
    for col in columns:
        label = col.label.split("/")[-1]
        hit = find_label(text, norm, label, cursor, end, strict=False)
        matched: Literal["exact", "variant"] = "exact"
        if hit is None:
            for v in col.variants:
                hit = find_label(text, norm, v, cursor, end, strict=False)
                if hit is not None:
                    matched = "variant"
                    break
        if hit is None:
            # a longer or shorter header that starts like the canonical one
            prefix = norm_label(label)[:4]
            pos = norm.text.find(prefix, cursor, end) if len(prefix) == 4 else -1
            if pos != -1:
                s, _ = norm.span(pos, pos + 1)
                tok_end = s
                while tok_end < len(text) and text[tok_end] not in _SEPARATORS:
                    tok_end += 1
                found = " ".join(text[s:tok_end].split())
                out.append(HeaderLabel(col.id, col.label, found, Span(s, tok_end), "fuzzy", block))
                continue
            out.append(HeaderLabel(col.id, col.label, "", None, "missing", block))
            continue
        s, e = norm.span(*hit)
        out.append(HeaderLabel(col.id, col.label, " ".join(text[s:e].split()), Span(s, e), matched, block))
    return out


_MATCH_SCORE = {"exact": 2.0, "variant": 2.0, "fuzzy": 1.0}


def _score(rows: list[Row], headers: list[HeaderLabel]) -> float:
    score = 0.0
    missing = CellKind.MISSING
    for row in rows:
        if row.extra:
            continue
        score += _MATCH_SCORE.get(row.label_matched, 0.0)
        if row.cells and missing not in [c.kind for c in row.cells]:  # (extra cells are never MISSING)
            score += 1.0
    score += sum(1.0 for h in headers if h.matched != "missing")
    return score


def table_score(table: Table) -> float:
    """How well *table* matched its template (what :func:`read_table` computes), for a table changed since."""
    return _score(table.rows, table.headers) if table.span is not None else 0.0


def _rows_in(
    text: str,
    norm: Normalized,
    specs: tuple[RowSpec, ...],
    nstart: int,
    nend: int,
    columns_of: dict[str, tuple[ColumnSpec, ...]],
    loose_groups: bool = False,
) -> list[Row]:
    anchors = _anchor_rows(text, norm, specs, nstart, nend, loose_groups)
    labels: dict[str, str] = {}
    for spec in specs:
        labels.setdefault(spec.id, spec.label)  # the first spec with an id names its group
    # next_starts[i]: where the next found anchor after row i starts (nend if none)
    next_starts = [nend] * len(anchors)
    following = nend
    for i in range(len(anchors) - 1, -1, -1):
        next_starts[i] = following
        found = anchors[i]
        if found is not None:
            following = found.nstart
    if loose_groups:  # anchors may be out of order: a row's values end at the nearest label after it
        starts = sorted(a.nstart for a in anchors if a is not None)
        for i, found in enumerate(anchors):
            if found is not None:
                later = bisect_right(starts, found.nstart)
                next_starts[i] = starts[later] if later < len(starts) else nend
    rows: list[Row] = []
    for i, (spec, anchor) in enumerate(zip(specs, anchors, strict=True)):
        group_label = labels.get(spec.group, "")
        columns = columns_of.get(spec.id, ())
        if anchor is None:
            cells = [] if spec.group_only else [_cell_from(spec, c, None) for c in columns]
            rows.append(Row(spec.id, spec.label, "", None, cells, group_label, False, "missing"))
            continue
        s, e = norm.span(anchor.nstart, anchor.nend)
        next_start = next_starts[i]
        value_start = e
        value_end = norm.span(next_start, next_start + 1)[0] if next_start < len(norm.text) else norm.index[-1]
        if spec.group_only:
            rows.append(Row(spec.id, spec.label, anchor.found, Span(s, e), [], group_label, False, anchor.matched))  # type: ignore[arg-type]
            continue
        cells, extra_rows = _cells_for(text, spec, columns, value_start, value_end)
        rows.append(Row(spec.id, spec.label, anchor.found, Span(s, e), cells, group_label, False, anchor.matched))  # type: ignore[arg-type]
        rows.extend(extra_rows)
    return rows


def read_table(
    spec: TableSpec, layout: str, text: str, norm: Normalized, nstart: int, nend: int, loose_groups: bool = False
) -> Table:
    """Read *spec* from normalised ``[nstart, nend)`` of the document (usually its section body).

    *loose_groups*: group labels may stand anywhere among their rows (text that lost its shape).
    """
    table = Table(spec.id, spec.title, TableStatus.ABSENT, layout)  # type: ignore[arg-type]
    table.columns = [(c.id, c.label) for c in spec.columns]
    if spec.id == "table4":
        return _read_single_row(spec, layout, text, norm, nstart, nend, table, loose_groups)
    if spec.blocks:
        cursor = nstart
        captions: list[tuple[int, int] | None] = []
        for block in spec.blocks:
            hit = find_label(text, norm, block.caption, cursor, nend, strict=False)
            captions.append(hit)
            if hit is not None:
                cursor = hit[1]
        rows: list[Row] = []
        headers: list[HeaderLabel] = []
        for i, block in enumerate(spec.blocks):
            hit = captions[i]
            bstart = hit[1] if hit else (next((c[1] for c in reversed(captions[:i]) if c), nstart))
            bend = next((c[0] for c in captions[i + 1 :] if c), nend)
            if hit is not None:
                s, e = norm.span(*hit)
                headers.append(HeaderLabel(block.id, block.caption, " ".join(text[s:e].split()), Span(s, e), "exact", block.id))
            else:
                headers.append(HeaderLabel(block.id, block.caption, "", None, "missing", block.id))
            first_row = find_label(text, norm, block.rows[0].label, bstart, bend)
            hend = first_row[0] if first_row else bend
            headers.extend(_headers(text, norm, block.columns, bstart, hend, block.id))
            columns_of = {r.id: block.columns for r in block.rows}
            rows.extend(_rows_in(text, norm, block.rows, bstart, bend, columns_of, loose_groups))
    else:
        first = next(
            (h for h in (find_label(text, norm, r.label, nstart, nend) for r in spec.rows) if h is not None),
            None,
        )
        header_start = nstart
        hend = first[0] if first else nend
        headers = _headers(text, norm, spec.columns, header_start, hend)
        for label in spec.header_labels:  # the 勾稽关系 note and group headers start the table
            hit = find_label(text, norm, label, header_start, hend, strict=False)
            if hit is not None:
                s, e = norm.span(*hit)
                headers.append(HeaderLabel("", label, " ".join(text[s:e].split()), Span(s, e), "exact"))
        columns_of = {r.id: spec.columns for r in spec.rows}
        rows = _rows_in(text, norm, spec.rows, nstart, nend, columns_of, loose_groups)
    found_rows = [r for r in rows if r.label_span is not None]
    if not any(c.span is not None for r in rows for c in r.cells):
        found_rows = []  # labels without a single value are prose, not a table
    table.rows = rows
    table.headers = headers
    if found_rows:
        table.status = TableStatus.FOUND
        start = min(r.label_span.start for r in found_rows if r.label_span)
        ends = [c.span.end for r in rows for c in r.cells if c.span] + [r.label_span.end for r in found_rows if r.label_span]
        first_header = [h.span.start for h in headers if h.span is not None]
        if first_header:
            start = min(start, min(first_header))
        table.span = Span(start, max(ends))
    table.score = _score(rows, headers) if found_rows else 0.0
    return table


def _read_single_row(
    spec: TableSpec, layout: str, text: str, norm: Normalized, nstart: int, nend: int, table: Table,
    loose: bool = False,
) -> Table:
    """Table 4: a header of labels, then one row of values.

    *loose* (text that lost its shape, where header words are scattered over many lines):
    the values may follow the last header label after header fragments, if they are
    exactly one per column.
    """
    labels = sorted({norm_label(h) for h in spec.header_labels}, key=len, reverse=True)
    best_end = -1
    first_start = -1
    for label in labels:
        pos = norm.text.find(label, nstart, nend)
        while pos != -1:
            if first_start == -1 or pos < first_start:
                first_start = pos
            end = pos + len(label)
            if end < nend and (norm.text[end].isdigit() or norm.text[end] in "-/"):
                best_end = max(best_end, end)
            pos = norm.text.find(label, pos + 1, nend)
    headers: list[HeaderLabel] = []
    for label in spec.header_labels:
        hit = find_label(text, norm, label, nstart, nend, strict=False)
        if hit is None:
            headers.append(HeaderLabel(label, label, "", None, "missing"))
        else:
            s, e = norm.span(*hit)
            headers.append(HeaderLabel(label, label, " ".join(text[s:e].split()), Span(s, e), "exact"))
    table.headers = headers
    oend = norm.index[nend] if nend < len(norm.index) else len(text)
    if best_end == -1 and loose and first_start != -1:
        best_end = _values_after_header(text, norm, labels, nstart, nend, oend, len(spec.columns))
    if best_end == -1:
        return table
    ostart = norm.span(best_end, best_end + 1)[0]
    toks = tokens(text, ostart, oend)
    values: list[Token] = []
    for tok in toks:
        if not is_cell_token(tok.text) or len(values) == len(spec.columns):
            break
        values.append(tok)
    row_spec = spec.rows[0]
    chosen: list[Token | None] = [*values, *([None] * (len(spec.columns) - len(values)))]
    cells = [_cell_from(row_spec, col, tok) for col, tok in zip(spec.columns, chosen, strict=True)]
    hs, _ = norm.span(first_start, first_start + 1)
    table.rows = [Row(row_spec.id, row_spec.label, row_spec.label, Span(hs, ostart), cells)]
    table.status = TableStatus.FOUND
    end = max((c.span.end for c in cells if c.span), default=ostart)
    table.span = Span(hs, end)
    table.score = float(len(values)) + sum(1.0 for h in headers if h.matched != "missing")
    return table


def _values_after_header(
    text: str, norm: Normalized, labels: list[str], nstart: int, nend: int, oend: int, width: int
) -> int:
    """Normalised start of a run of exactly *width* values after the last header label, else -1.

    Header fragments (``维持 纠正 结果 审结``) between the last label and the values are skipped.
    """
    found = ((norm.text.rfind(label, nstart, nend), label) for label in labels)
    last = max((at + len(label) for at, label in found if at != -1), default=-1)
    if last == -1 or last >= nend:
        return -1
    toks = tokens(text, norm.span(last, last + 1)[0], oend)
    i = 0
    while i < len(toks) and not is_cell_token(toks[i].text) and _CJK.search(toks[i].text) and len(toks[i].text) <= 8:
        i += 1
    run = 0
    while i + run < len(toks) and parse_cell(toks[i + run].text)[0] in (CellKind.INT, CellKind.BLANK):
        run += 1
    if run != width:
        return -1
    return norm.locate(toks[i].start)
