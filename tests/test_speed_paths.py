"""The fast paths of issue 7 give the same answers as the plain computations they replace."""

from __future__ import annotations

import re

from gklint.lazyre import lazy
from gklint.national import contact
from gklint.national.citations import _scan as citations_scan
from gklint.national.tables import evaluate
from gklint.testing import load_document, make_report, standard_data

CITING = (
    "根据《中华人民共和国政府信息公开条例》（国务院令第711号）和\n"
    "国办公开办函〔2021〕30号、国办公开办函[2021]30号要求，\n"
    "参照《关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号），\n"
    "《未闭合的书名\n号》不算；国办公开办函〔202130 残缺；东平政办发〔2022〕 第 5 号。\n"
)


def test_doc_numbers_line_search_finds_what_a_whole_text_scan_finds() -> None:
    text = make_report().replace("本年度", CITING, 1)
    whole = [m.span() for m in citations_scan._NUMBER_RE.finditer(text)]
    assert whole and [m.span() for m in citations_scan._number_matches(text)] == whole
    damaged = [m.span() for m in citations_scan._DAMAGED_RE.finditer(text)]
    assert damaged and [m.span() for m in citations_scan._line_matches(
        citations_scan._DAMAGED_RE, citations_scan._DAMAGED_HINT, text)] == damaged


def test_title_marks_nested_and_broken_by_a_line_break() -> None:
    marks = citations_scan.title_marks(CITING)
    inner = [CITING[m.inner.start:m.inner.end] for m in marks]
    assert inner == ["中华人民共和国政府信息公开条例", "关于印发〈政府信息公开信息处理费管理办法〉的通知"]
    nested = citations_scan.title_marks("见《关于《某办法》的通知》。")
    assert [(m.span.start, m.span.end) for m in nested] == [(1, 13)]
    # the 《 before the line break is forgotten: the 》 after it closes nothing
    assert citations_scan.title_marks("《未闭合\n号》") == []


def test_contact_label_inside_an_ascii_word_is_not_a_label() -> None:
    patterns = contact.contact_patterns(standard_data())
    text = make_report().replace("本年度", "详见 Telefax: 12 或 MyFax：0538-5261234；传真：0538-5261235。本年度", 1)
    found = contact.details(load_document(text), patterns)
    faxes = [d.text for d in found if "fax" in d.kinds]
    assert faxes == ["0538-5261235"]  # "Fax" in "Telefax" and "MyFax" continues a word


def test_broken_only_evaluation_equals_filtering_all_outcomes() -> None:
    # 四、结转 自然人 raised 1 -> 2 with its 总计: T3-1 no longer holds in two columns (see test_rules_tables)
    doc = load_document(make_report(table3={"carried_forward": [2, 0, 0, 0, 0, 0]}))
    data = standard_data()
    every = evaluate(doc, data)
    broken = evaluate(doc, data, broken_only=True)
    assert [(o.identity.id, o.instance) for o in broken] == [("T3-1", "自然人"), ("T3-1", "总计")]
    assert [(o.identity.id, o.where, o.lhs_sum, o.rhs_sum) for o in broken] == [
        (o.identity.id, o.where, o.lhs_sum, o.rhs_sum) for o in every if not o.balanced]
    assert len(every) > len(broken)


def test_lazy_pattern_acts_like_the_compiled_one() -> None:
    pattern = lazy(r"(?P<n>\d+)号", re.I)
    assert pattern.search("第30号")["n"] == "30"  # type: ignore[index]
    assert [m.group() for m in pattern.finditer("1号 2号")] == ["1号", "2号"]
    assert pattern.pattern == r"(?P<n>\d+)号" and pattern.flags & re.I
