"""Build a :class:`~gklint.model.Document` from a reader's :class:`~gklint.model.SourceText`.

Order of work: top-level section headings (``一、总体情况`` …, telling them
apart from table 3's ``一、本年新收…`` rows and the ``四、结转下年度继续办理``
/ ``四、政府信息公开行政复议…`` collision by matching full labels, not
numerals), then tables 2–4 inside their sections read against each layout's
template (the best-fitting template wins), then the layout (the one all the
distinguishing labels found in the tables agree on, :mod:`gklint.layouts`), then
sub-headings and paragraphs outside the tables, then the facts read once
(:mod:`gklint.facts`: the statistics period, image placeholders), then the title,
agency and report year.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from difflib import SequenceMatcher
from functools import cached_property

from gklint.data import LayoutSpec, SectionSpec, StandardData, TableSpec
from gklint.facts import image_markers, read_facts
from gklint.layouts import Evidence, ancestors, layout_evidence, newest_first
from gklint.lazyre import lazy
from gklint.model import (
    CellKind,
    Document,
    Facts,
    Heading,
    LayoutInfo,
    LayoutMarker,
    Metadata,
    Paragraph,
    Section,
    SourceText,
    Span,
    Table,
    TableStatus,
)
from gklint.normalize import Normalized, norm_label, normalize
from gklint.runon import reconstruct
from gklint.tables import read_table, release_gaps, table_score

__all__ = ["build_document"]

_NUMERALS = "一二三四五六七八九十"
_PREFIX = re.compile(r"(?:[ \t\u3000\xa0]|\[(?:bookmark|image)[^\]\n]*\])*")
_TOP = re.compile(r"^([一二三四五六七八九十]{1,2})[ \t\u3000]*[、.．,，][ \t\u3000]*(\S.*)$")
_SUB = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)][ \t\u3000]*(\S.*)$")
_SUB_DIGIT = re.compile(r"^(\d{1,2})[ \t\u3000]*[、.．][ \t\u3000]*([^\d\s].*)$")
_TITLE_END = re.compile(r"[。\t|｜]")
_YEAR = re.compile(r"(\d{4})[ \t]*年")
_PUBLISHER = re.compile(r"发布机构\s*[:：]\s*\|?\s*([^|\n]+)")
_BREAK = re.compile(r"\r\n|\r|\n")
_HEADING_LINE = lazy(
    r"(?:\A|(?<=[\r\n]))(?:[ \t\u3000\xa0]|\[(?:bookmark|image)[^\]\r\n]*\])*(?=[一二三四五六七八九十]{1,2}[ \t\u3000]*[、.．,，])"
)
_HEADING_LINE_LF = re.compile(
    r"^(?:[ \t\u3000\xa0]|\[(?:bookmark|image)[^\]\n]*\])*(?=[一二三四五六七八九十]{1,2}[ \t\u3000]*[、.．,，])", re.M
)
_LINE_END = re.compile(r"[\r\n]")
_ROW_VALUES = re.compile(r"(?:[ \t]+\d+){3,}[ \t]*$")
_SENTENCE_END = frozenset("。！？!?…）)”」』；;")


class _Templates:
    """What the builder derives from the standard data, once per :class:`StandardData`."""

    def __init__(self, data: StandardData) -> None:
        #: newest layout first
        self.layouts: list[LayoutSpec] = [data.layouts[lid] for lid in newest_first(data)]
        #: the labels that tell layouts apart
        self.evidence: tuple[Evidence, ...] = layout_evidence(data)
        self.by_id = data.layouts
        self._same: dict[tuple[str, str, str], bool] = {}
        self._revisions: dict[tuple[str, str, str], bool] = {}
        #: each layout with the layouts it extends
        self.lineage = {lid: {lid, *ancestors(data.layouts, lid)} for lid in data.layouts}
        #: normalised table-row labels that look like section headings (``一、本年新收…``)
        self.table_labels = {
            norm_label(r.label)
            for layout in self.layouts
            for t in layout.tables.values()
            for r in t.rows
            if _TOP.match(r.label)
        }
        specs: dict[str, SectionSpec] = {}
        for layout in self.layouts:
            for s in layout.sections:
                specs.setdefault(s.key, s)
        self.section_specs = list(specs.values())

    def same_template(self, a: str, b: str, table_id: str) -> bool:
        """Do layouts *a* and *b* have the same template for *table_id* (compared once per pair)?"""
        key = (a, b, table_id)
        same = self._same.get(key)
        if same is None:
            spec_a, spec_b = self.by_id[a].tables.get(table_id), self.by_id[b].tables.get(table_id)
            same = self._same[key] = spec_a is spec_b or spec_a == spec_b
        return same

    def revision(self, a: str, b: str, table_id: str) -> bool:
        """Is one of layouts *a* and *b* a revision of the other: does one extend the other, or is
        one's template for *table_id* the other's with rows added (a layout file copied and added to)?"""
        if a in self.lineage.get(b, ()) or b in self.lineage.get(a, ()):
            return True
        key = (a, b, table_id)
        added = self._revisions.get(key)
        if added is None:
            spec_a, spec_b = self.by_id[a].tables.get(table_id), self.by_id[b].tables.get(table_id)
            added = spec_a is not None and spec_b is not None and spec_a.columns == spec_b.columns and (
                set(spec_a.rows) <= set(spec_b.rows) or set(spec_b.rows) <= set(spec_a.rows))
            self._revisions[key] = added
        return added


def _numeral_value(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + _NUMERALS.index(numeral[1]) + 1
    if len(numeral) == 2 and numeral[1] == "十":
        return (_NUMERALS.index(numeral[0]) + 1) * 10
    return _NUMERALS.index(numeral[0]) + 1


#: a line holding something other than white space: from the line's start (after a break or at the
#: text's start) to its end (before ``\r`` or ``\n``)
_FILLED_LINE = re.compile(r"(?<![^\r\n])[^\r\n]*?\S[^\r\n]*")


def _lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line that is not blank, end excluding the line break (CRLF, CR or LF).

    Blank and white-space-only lines are left out: nothing reads them, and a text of millions of
    empty lines would otherwise cost a pair of numbers each.
    """
    return [m.span() for m in _FILLED_LINE.finditer(text)]


def _clean_start(text: str, start: int, end: int) -> int:
    m = _PREFIX.match(text, start, end)
    return m.end() if m else start


def _heading_prefix(title: str, spec: SectionSpec) -> str:
    """*title* cut after the section title (or variant) it starts with (``总体情况2022年，…`` -> ``总体情况``)."""
    written = norm_label(title)
    for cand in (spec.title, *spec.variants):
        want = norm_label(cand)
        if written == want or not written.startswith(want):
            continue
        for i in range(len(want), len(title) + 1):
            if norm_label(title[:i]) == want:
                return title[:i]
    return title


def _title_of(rest: str) -> str:
    m = _TITLE_END.search(rest)
    title = rest[: m.start()] if m else rest
    return title.strip()[:60]


class _Builder:
    def __init__(self, source: SourceText, path: str, data: StandardData) -> None:
        self.source = source
        self.text = source.text
        self.path = path
        self.data = data
        self.norm: Normalized = normalize(self.text)
        self.lines = _lines(self.text)
        self._markers: dict[str, int] | None = None
        self.templates: _Templates = data.derived("structure", _Templates)
        self.layouts = self.templates.layouts
        self.table_labels = self.templates.table_labels

    @cached_property
    def images(self) -> tuple[Span, ...]:
        """The image placeholders of the text (:func:`gklint.facts.image_markers`)."""
        return image_markers(self.text)

    # -- sections -------------------------------------------------------------

    def _section_specs(self) -> list[SectionSpec]:
        return self.templates.section_specs

    def _match_section(self, title: str, specs: list[SectionSpec]) -> tuple[SectionSpec | None, str, float]:
        nt = norm_label(title)
        for spec in specs:
            if nt == norm_label(spec.title):
                return spec, "exact", 1.0
        for spec in specs:
            if any(nt == norm_label(v) for v in spec.variants):
                return spec, "variant", 1.0
        if self.source.repairs:  # text that lost its line breaks: the heading runs into its first sentence
            for spec in specs:
                for cand, kind in ((spec.title, "exact"), *((v, "variant") for v in spec.variants)):
                    if nt.startswith(norm_label(cand)):
                        return spec, kind, 1.0
        best: tuple[SectionSpec | None, str, float] = (None, "unknown", 0.0)
        for spec in specs:
            for cand in (spec.title, *spec.variants):
                ratio = SequenceMatcher(None, nt, norm_label(cand)).ratio()
                if ratio > best[2]:
                    best = (spec, "fuzzy", ratio)
        return best

    def find_sections(self) -> list[Section]:
        specs = self._section_specs()
        found: list[tuple[SectionSpec | None, str, str, str, int, int, str]] = []
        expected = 1
        pattern = _HEADING_LINE if "\r" in self.text else _HEADING_LINE_LF
        for hm in pattern.finditer(self.text):
            s = hm.end()
            le = _LINE_END.search(self.text, s)
            end = le.start() if le else len(self.text)
            m = _TOP.match(self.text[s:end])
            if not m:
                continue
            numeral, rest = m.group(1), m.group(2)
            line_norm = norm_label(self.text[s:end])
            if any(line_norm.startswith(label) or (len(line_norm) >= 6 and label.startswith(line_norm))
                   for label in self.table_labels):
                continue  # a table row (``四、结转下年度继续办理``), whole or cut off by a line break
            title = _title_of(rest)
            if not title or len(rest) > 80 and "。" in rest[:10]:
                continue
            if _ROW_VALUES.search(rest):
                continue  # a table row whose label is misspelt (``四、结转下年度继续办 1 0 0 …``): not a heading
            ordinal = _numeral_value(numeral)
            spec, match, ratio = self._match_section(title, specs)
            if match in ("exact", "variant"):
                title = _heading_prefix(title, spec) if spec is not None else title
            elif ratio >= 0.6:
                match = "fuzzy"
            elif ordinal == expected and len(title) <= 30:
                same_number = next((sp for sp in specs if sp.number == numeral), None)
                if same_number is not None and SequenceMatcher(None, norm_label(title), norm_label(same_number.title)).ratio() >= 0.3:
                    spec, match = same_number, "fuzzy"
                else:
                    spec, match = None, "unknown"
            else:
                continue
            heading_end = s + m.start(2) + len(title)
            found.append((spec, match, numeral, title, s, heading_end, self.text[s:end]))
            expected = ordinal + 1
        sections: list[Section] = []
        for i, (spec, match, numeral, title, s, e, _line) in enumerate(found):
            body_end = found[i + 1][4] if i + 1 < len(found) else len(self.text)
            sections.append(
                Section(
                    key=spec.key if spec else None,
                    number=numeral,
                    ordinal=_numeral_value(numeral),
                    title=title,
                    canonical_title=spec.title if spec else None,
                    heading_span=Span(s, e),
                    body_span=Span(e, body_end),
                    match=match,  # type: ignore[arg-type]
                )
            )
        return sections

    # -- tables ---------------------------------------------------------------

    def read_tables(self, sections: list[Section]) -> dict[str, Table]:
        tables: dict[str, Table] = {}
        table_ids = sorted({tid for layout in self.layouts for tid in layout.tables})
        for tid in table_ids:
            specs = [(layout.id, layout.tables[tid]) for layout in self.layouts if tid in layout.tables]
            section_key = specs[0][1].section
            section = next((s for s in sections if s.key == section_key), None)
            if section is not None:
                nstart = self.norm.locate(section.body_span.start)
                nend = self.norm.locate(section.body_span.end)
            else:
                nstart, nend = self._between_neighbours(section_key, sections)
            best = self._best_table(specs, nstart, nend)
            if best.status is TableStatus.ABSENT and section is not None:
                if any(section.body_span.start <= i.start and i.end <= section.body_span.end for i in self.images):
                    best.status = TableStatus.IMAGE
            tables[tid] = best
        return tables

    def _between_neighbours(self, key: str, sections: list[Section]) -> tuple[int, int]:
        """Normalised range where the table of missing section *key* can be: between the sections
        found before and after it in the format's order (the whole text when none is found)."""
        spec = next((s for s in self.templates.section_specs if s.key == key), None)
        if spec is None or not sections:
            return 0, len(self.norm.text)
        ordinal = _numeral_value(spec.number)
        before = [s for s in sections if s.key is not None and s.ordinal < ordinal]
        after = [s for s in sections if s.key is not None and s.ordinal > ordinal]
        start = self.norm.locate(before[-1].heading_span.end) if before else 0
        end = self.norm.locate(after[0].heading_span.start) if after else len(self.norm.text)
        return (start, end) if start < end else (0, len(self.norm.text))

    def _marker_counts(self) -> dict[str, int]:
        """How many labels that tell layouts apart occur anywhere in the report, per layout having them."""
        if self._markers is None:
            counts = dict.fromkeys((layout.id for layout in self.layouts), 0)
            for evidence in self.templates.evidence:
                if evidence.needle in self.norm.text:
                    for lid in evidence.layouts:
                        counts[lid] += 1
            self._markers = counts
        return self._markers

    def _best_table(self, specs: list[tuple[str, TableSpec]], nstart: int, nend: int) -> Table:
        """Read with each layout's template, the one with most evidence (:mod:`gklint.layouts`) first.

        The best reading scores highest; of equal readings with the templates of a layout and a
        revision of it, the one that misses fewer template rows (a row more does not fit better).  Stop
        when a template fits perfectly, or when it reads every row and cell and no other layout
        has a single label of its evidence in the report.
        """
        counts = self._marker_counts()
        ordered = sorted(specs, key=lambda item: -counts.get(item[0], 0))
        evident = [lid for lid, _ in ordered if counts.get(lid, 0)]
        best: Table | None = None
        tried: list[TableSpec] = []
        for lid, spec in ordered:
            if spec in tried:  # identical in both layouts (table 4)
                continue
            tried.append(spec)
            table = read_table(spec, lid, self.text, self.norm, nstart, nend, bool(self.source.repairs))
            if self.source.repairs:
                split = reconstruct(table, self.data.identities(lid))
                if split:
                    table.score = table_score(table)
                elif split is False:
                    table.notes.append("ambiguous-digits")  # (judge_tables marks it unreadable)
            if best is None or table.score > best.score or (
                    table.score == best.score and self.templates.revision(lid, best.layout or "", spec.id)
                    and _missing_rows(table) < _missing_rows(best)):
                best = table
            if _perfect(table, spec) or (evident == [lid] and _complete(table)):
                break
        assert best is not None
        return best

    def detect_layout(self, tables: dict[str, Table], sections: list[Section]) -> LayoutInfo:
        """The layout all distinguishing labels found in the tables agree on (``mixed`` when none does).

        Labels are looked for in the tables' text (in sections 二 and 三 when neither table 2 nor 3
        was found).  When several layouts agree (a layout and one extending it), the one whose
        templates read the tables wins; with no label found, table 3's layout.
        """
        regions: list[tuple[int, int]] = []
        for table in tables.values():
            if table.span is not None:
                regions.append((table.span.start, table.span.end))
        for key in ("active", "requests"):
            if not any(t.span for t in tables.values() if t.id in ("table2", "table3")):
                sec = next((s for s in sections if s.key == key), None)
                if sec is not None:
                    regions.append((sec.body_span.start, sec.body_span.end))
        found: list[tuple[Evidence, Span]] = []
        seen: set[tuple[str, int]] = set()
        for ostart, oend in regions:
            ns, ne = self.norm.locate(ostart), self.norm.locate(oend)
            for evidence in self.templates.evidence:
                pos = self.norm.text.find(evidence.needle, ns, ne)
                if pos != -1 and (evidence.needle, pos) not in seen:
                    seen.add((evidence.needle, pos))
                    s, e = self.norm.span(pos, pos + len(evidence.needle))
                    found.append((evidence, Span(s, e)))
        verdict = self._verdict([e for e, _ in found], tables)
        # each label is evidence of the layout found, or (in a mix) of the layout having most of the labels found
        support = Counter(lid for e, _ in found for lid in e.layouts)
        markers = []
        for evidence, span in found:
            owner = verdict if verdict in evidence.layouts else max(self._candidates(evidence), key=support.__getitem__)
            markers.append(LayoutMarker(evidence.text, owner, span))
        markers.sort(key=lambda m: (m.span.start, m.layout))
        if verdict in self.data.layouts:
            # a table whose template is the same in the layout found was read with that layout
            for tid, table in tables.items():
                if table.layout in self.data.layouts and self.templates.same_template(table.layout, verdict, tid):
                    table.layout = verdict
        per_table = {tid: (t.layout if t.status is TableStatus.FOUND else None) for tid, t in tables.items()}
        return LayoutInfo(verdict, markers, per_table)

    def _candidates(self, evidence: Evidence) -> list[str]:
        """The layouts having *evidence*: where it was introduced first, then newest first."""
        return [*evidence.owners, *(lay.id for lay in self.layouts if lay.id in evidence.layouts and lay.id not in evidence.owners)]

    def _verdict(self, found: list[Evidence], tables: dict[str, Table]) -> str:
        if not found:
            t3 = tables.get("table3")
            return t3.layout if t3 is not None and t3.status is TableStatus.FOUND and t3.layout else "unknown"
        agree = [layout for layout in self.layouts if all(layout.id in e.layouts for e in found)]
        if not agree:
            return "mixed"

        def fit(layout: LayoutSpec) -> int:
            """How many found tables *layout*'s templates read as they were read."""
            return sum(
                1 for tid, t in tables.items()
                if t.status is TableStatus.FOUND and t.layout in self.data.layouts
                and self.templates.same_template(layout.id, t.layout, tid)
            )

        return max(agree, key=fit).id  # (the first, newest, of equals)

    # -- paragraphs, headings, metadata ---------------------------------------

    def paragraphs(self, sections: list[Section], tables: dict[str, Table]) -> list[Paragraph]:
        blocked = sorted((t.span.start, t.span.end) for t in tables.values() if t.span is not None)
        heading_starts = {s.heading_span.start for s in sections}
        out: list[Paragraph] = []
        text = self.text
        bi = 0
        si = 0
        lines = self.lines
        line_starts = [start for start, _ in lines]
        i = 0
        while i < len(lines):
            start, end = lines[i]
            i += 1
            # a line wholly inside a table is skipped below in any case: skip the table's lines at once
            while bi < len(blocked) and blocked[bi][1] <= start:
                bi += 1
            if bi < len(blocked) and blocked[bi][0] <= start and end <= blocked[bi][1]:
                # the lines starting inside the table, except the last, which may run past its end
                i = max(i, bisect_left(line_starts, blocked[bi][1]) - 1)
                continue
            if start == end or text[start:end].isspace():
                continue
            s = _clean_start(text, start, end)
            while bi < len(blocked) and blocked[bi][1] <= s:
                bi += 1
            if bi < len(blocked) and blocked[bi][0] <= s:
                continue
            raw = text[s:end].rstrip()
            if not raw:
                continue
            if s in heading_starts:
                # text after the heading on the same line (``五、……情况。我局……``) is a paragraph
                heading = next(sec for sec in sections if sec.heading_span.start == s)
                rest = heading.heading_span.end
                while rest < end and text[rest] in "。.：: \t\u3000":
                    rest += 1
                if rest >= s + len(raw):
                    continue
                s = rest
                raw = text[s:end].rstrip()
            e = s + len(raw)
            while si < len(sections) and sections[si].body_span.end <= s:
                si += 1
            section = sections[si] if si < len(sections) and sections[si].heading_span.start <= s else None
            para = Paragraph(raw, Span(s, e), section.key if section else None)
            out.append(para)
            if section is not None:
                section.paragraphs.append(para)
                m = _SUB.match(raw) or _SUB_DIGIT.match(raw)
                if m:
                    title = _title_of(m.group(2))
                    if title and len(title) <= 40:
                        level = 2 if raw.startswith(("（", "(")) else 3
                        number = raw[: m.start(2)].strip()
                        section.headings.append(Heading(number, title, Span(s, s + m.start(2) + len(title)), level))
        return out

    def metadata(self, sections: list[Section], paragraphs: list[Paragraph], facts: Facts) -> Metadata:
        meta = Metadata()
        first_heading = sections[0].heading_span.start if sections else len(self.text)
        pre = [(s, e) for s, e in self.lines if e <= first_heading and self.text[s:e].strip()]
        title_lines: list[tuple[int, int]] = []
        for i, (s, e) in enumerate(pre[:12]):
            s = _clean_start(self.text, s, e)
            line = self.text[s:e].strip()
            if "报告" in line and len(line) <= 60 and ("年" in line or "信息公开" in line) and "根据" not in line and "依据" not in line:
                title_lines = [(s, e)]
                if i > 0:
                    ps, pe = pre[i - 1]
                    ps = _clean_start(self.text, ps, pe)
                    prev = self.text[ps:pe].strip()
                    if prev and len(prev) <= 30 and not prev.endswith("。") and ":" not in prev and "：" not in prev and "|" not in prev:
                        title_lines.insert(0, (ps, pe))
                break
        if title_lines:
            start = title_lines[0][0]
            end = title_lines[-1][0] + len(self.text[title_lines[-1][0] : title_lines[-1][1]].rstrip())
            meta.title = "".join(self.text[s:e].strip() for s, e in title_lines)
            meta.title_span = Span(start, end)
            m = _YEAR.search(meta.title)
            if m:
                meta.year_from_title = int(m.group(1))
                agency = meta.title[: m.start()].strip()
                meta.agency = agency
        if not meta.agency:
            m = _PUBLISHER.search(self.text, 0, first_heading)
            if m:
                meta.agency = m.group(1).strip()
        period = facts.period
        if period is not None:
            meta.period_text = period.text
            meta.period_span = period.span
            meta.period_start = period.start
            meta.period_end = period.end
            meta.year_from_period = period.start[0]
        title_range = meta.title_span
        meta.intro = [
            p for p in paragraphs
            if p.section is None and p.span.start < first_heading and not (title_range and p.span.start <= title_range.end and p.span.end >= title_range.start)
        ]
        return meta

    # -- confidence -----------------------------------------------------------

    def judge_tables(self, tables: dict[str, Table], sections: list[Section]) -> None:
        """In text that lost its shape, keep only tables read with confidence; mark the rest unreadable.

        A table is read with confidence when every template row was found and every row has
        exactly one value per column; anything else there is more likely a misreading than a
        defect of the report, so no rule checks it (GK209 says so once per table).
        """
        for tid, table in tables.items():
            if table.status is TableStatus.FOUND and "ambiguous-digits" in table.notes:
                table.status = TableStatus.UNREADABLE  # run-on digits no single split explains
                continue
            if table.status is TableStatus.FOUND:
                reasons = _doubts(table)
                if reasons:
                    table.status = TableStatus.UNREADABLE
                    table.notes.extend(reasons)
            elif table.status is TableStatus.ABSENT and self._labels_present(tid, sections):
                table.status = TableStatus.UNREADABLE
                table.notes.append("no-values")

    def _labels_present(self, tid: str, sections: list[Section]) -> bool:
        """Are two or more of the table's row or header labels written in its section?"""
        specs = [layout.tables[tid] for layout in self.layouts if tid in layout.tables]
        section = next((s for s in sections if s.key == specs[0].section), None) if specs else None
        if section is None:
            return False
        body = self.norm.text[self.norm.locate(section.body_span.start) : self.norm.locate(section.body_span.end)]
        labels = {norm_label(r.label) for spec in specs for r in spec.rows}
        labels.update(norm_label(h) for spec in specs for h in spec.header_labels)
        labels.update(norm_label(c.label.split("/")[-1]) for spec in specs for c in spec.columns)
        return sum(1 for label in labels if len(label) >= 4 and label in body) >= 2

    def truncation(self, sections: list[Section], tables: dict[str, Table]) -> Span | None:
        """Where the text stops short: inside the last section found, before section 六.

        It stops short when the last section found is not the last of the format and
        either its table runs out before the template's last row, or its text ends in
        the middle of a sentence.  The table it stops in is then not read.
        """
        if not sections or sections[-1].key is None or sections[-1].ordinal >= len(self.templates.section_specs):
            return None
        last = sections[-1]
        if any(s.ordinal >= last.ordinal for s in sections[:-1]):
            return None  # sections out of order: not a text cut short
        end = len(self.text.rstrip())
        if end <= last.heading_span.end:
            return None
        cut_table = next((t for t in tables.values() if t.span is not None and t.title == last.canonical_title
                          and t.status in (TableStatus.FOUND, TableStatus.UNREADABLE)), None)
        if cut_table is not None and cut_table.rows and (
            cut_table.rows[-1].label_matched == "missing"
            or any(c.kind is CellKind.MISSING for c in cut_table.rows[-1].cells)
        ):
            cut_table.status = TableStatus.UNREADABLE
            cut_table.notes[:] = ["cut-off"]
            return Span(end - 1, end)
        tail = self.text[last.heading_span.end : end].rstrip()
        if cut_table is None and tail and tail[-1] not in _SENTENCE_END and not tail[-1].isdigit():
            return Span(end - 1, end)
        return None

    def build(self) -> Document:
        sections = self.find_sections()
        tables = self.read_tables(sections)
        if self.source.repairs:
            self.judge_tables(tables, sections)
        truncated = self.truncation(sections, tables)
        layout = self.detect_layout(tables, sections)
        paragraphs = self.paragraphs(sections, tables)
        facts = read_facts(self.text, paragraphs, self.data, self.images)
        metadata = self.metadata(sections, paragraphs, facts)
        return Document(
            path=self.path,
            reader=self.source.reader,
            encoding=self.source.encoding,
            text=self.text,
            source=self.source.source if self.source.source is not None else self.text,
            offsets=self.source.offsets,
            coordinates=self.source.coordinates,
            metadata=metadata,
            sections=sections,
            paragraphs=paragraphs,
            tables=tables,
            layout=layout,
            logical=template_table_numbers(self.source.logical, tables),
            notes=list(self.source.notes),
            repairs=self.source.repairs,
            truncated=truncated,
            facts=facts,
            _normalized=self.norm,
        )


_READER_TABLE = lazy(r"表(\d+) › ")


def template_table_numbers(logical: list[tuple[int, int, str]],
                           tables: dict[str, Table]) -> list[tuple[int, int, str]]:
    """The readers' cell labels with the template's table numbers (``表3 › 第4行 › 第2列``).

    A reader numbers the tables of a file in their order (``表2`` is the file's second table);
    the messages use the template's numbers.  Each reader table gets the number of the template
    table holding most of its labelled cells; a table that is none of them is ``文中第N个表格``.
    """
    if not logical:
        return []
    spans = [(t.span, t.id[-1]) for t in tables.values() if t.span is not None]
    votes: dict[str, dict[str, int]] = {}
    for start, _end, label in logical:
        m = _READER_TABLE.match(label)
        if m is None:
            continue
        counts = votes.setdefault(m.group(1), {})
        for span, number in spans:
            if span.start <= start < span.end:
                counts[number] = counts.get(number, 0) + 1
                break
    names = {n: (f"表{max(c, key=c.__getitem__)}" if c else f"文中第{n}个表格") for n, c in votes.items()}
    out = []
    for start, end, label in logical:
        m = _READER_TABLE.match(label)
        if m is not None:
            label = f"{names[m.group(1)]} › {label[m.end():]}"
        out.append((start, end, label))
    return out


def _doubts(table: Table) -> list[str]:
    """Why the reading of a found table is not certain (empty: it is)."""
    reasons = []
    rows = [r for r in table.rows if not r.extra]
    if any(r.label_matched == "missing" for r in rows):
        reasons.append("rows-missing")
    if any(r.extra for r in table.rows):
        reasons.append("rows-outside-template")
    if any(c.kind is CellKind.MISSING or c.extra for r in rows for c in r.cells):
        reasons.append("value-counts")
    return reasons


def _missing_rows(table: Table) -> int:
    return sum(1 for row in table.rows if row.label_matched == "missing")


def _no_missing_cell(table: Table) -> bool:
    missing = CellKind.MISSING
    for row in table.rows:
        for cell in row.cells:
            if cell.kind is missing:
                return False
    return True


def _complete(table: Table) -> bool:
    """Every template row found (perhaps with deviating wording) and every cell present."""
    return (
        table.status is TableStatus.FOUND
        and all(r.label_matched != "missing" for r in table.rows)
        and _no_missing_cell(table)
    )


def _perfect(table: Table, spec: TableSpec) -> bool:
    return (
        table.status is TableStatus.FOUND
        and len(table.rows) >= len(spec.rows)
        and all(r.label_matched in ("exact", "variant") for r in table.rows if not r.extra)
        and all(h.matched in ("exact", "variant") for h in table.headers)
        and _no_missing_cell(table)
    )


def build_document(source: SourceText, path: str, data: StandardData) -> Document:
    """Find title, metadata, sections, paragraphs and tables 2–4 in *source*."""
    try:
        return _Builder(source, path, data).build()
    finally:
        release_gaps()  # the label candidates found for this text are of no use to the next
