"""Layouts as data: a layout extends another in a small file, what tells layouts apart is derived,
and a new layout works without a line of Python."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from gklint.api import Linter
from gklint.data import DataError, LayoutSpec, load_standard_data, national_data_files
from gklint.formats import ReportOptions
from gklint.layouts import layout_evidence
from gklint.reporters.html import render
from gklint.results import RunResult
from gklint.testing import DataFiles, load_document, make_report, standard_data

GKLINT = Path(__file__).resolve().parent.parent / "gklint"
LAYOUTS = Path(__file__).resolve().parent.parent / "rules" / "layouts"

#: A revision of the 2021 format with one more row under table 3's （六）其他处理, counted in （七）总计.
REVISED = """\
[layout]
id = "2025"
extends = "2021"
name = "中华人民共和国政府信息公开工作年度报告格式（2025年修订）"
basis = "东政办函〔2025〕9号"
notice = "《东平市人民政府办公室关于印发〈政府信息公开工作年度报告格式（2025年修订）〉的通知》"
short_name = { zh = "2025 年修订格式（东政办函〔2025〕9号）", en = "2025 revised template (东政办函〔2025〕9号)" }
first_year = 2025

[[tables.table3.rows]]
id = "other_4"
label = "4.申请人撤回申请"
group = "other_handling"

[[identities]]
id = "T3-2"
rhs = ["disclosed", "partly", "withheld_1", "withheld_2", "withheld_3", "withheld_4", "withheld_5", "withheld_6",
       "withheld_7", "withheld_8", "unable_1", "unable_2", "unable_3", "rejected_1", "rejected_2", "rejected_3",
       "rejected_4", "rejected_5", "other_1", "other_2", "other_3", "other_4"]

[[citations]]
key = "DP-FORMAT-2025"
status = "verified"
kind = "notice"
title = "东平市人民政府办公室关于印发〈政府信息公开工作年度报告格式（2025年修订）〉的通知"
issuer = "东平市人民政府办公室"
numbers = ["东政办函〔2025〕9号"]
"""
NEW_ROW = "4.申请人撤回申请"


def _write(tmp_path: Path, text: str, name: str = "layout-2025.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def revised(tmp_path: Path) -> Linter:
    """A linter with the revised layout added as one data file."""
    linter = Linter(plugins=[("layout-2025", DataFiles(_write(tmp_path, REVISED)))])
    assert not [n.message.en for n in linter.notifications if n.level == "error"]
    return linter


def _bare(spec: LayoutSpec) -> LayoutSpec:
    """*spec* without what names its file and its id (to compare two layouts' contents)."""
    identities = tuple(dataclasses.replace(i, source="", layouts=()) for i in spec.identities)
    return dataclasses.replace(spec, source="", extends="", identities=identities)


# -- resolving ``extends`` ----------------------------------------------------------------------


def test_the_2020_layout_written_as_changes_to_2021_is_the_2020_layout(tmp_path: Path) -> None:
    """Inheritance states every difference of the two real layouts; both stay whole files (2020 came first)."""
    child = _write(tmp_path, (Path(__file__).parent / "data" / "layout-2020-as-child.toml").read_text("utf-8"))
    data = load_standard_data([*national_data_files(), child])
    national = standard_data().layouts["2020"]
    derived = data.layouts["2020-from-2021"]
    assert derived.extends == "2021"
    whole, changed = _bare(national), _bare(dataclasses.replace(derived, id="2020"))
    for field in dataclasses.fields(LayoutSpec):
        assert getattr(changed, field.name) == getattr(whole, field.name), field.name


def test_a_child_that_changes_nothing_has_its_parents_tables(tmp_path: Path) -> None:
    path = _write(tmp_path, '[layout]\nid = "copy"\nextends = "2021"\nfirst_year = 2030\n')
    data = load_standard_data([*national_data_files(), path])
    copy, parent = data.layouts["copy"], data.layouts["2021"]
    assert copy.tables == parent.tables and copy.sections == parent.sections
    assert [i.id for i in copy.identities] == [i.id for i in parent.identities]
    assert copy.short_name is None and copy.name == parent.name
    assert data.layout_for_year(2029).id == "2021" and data.layout_for_year(2030).id == "copy"


def test_a_new_row_goes_after_its_group_and_an_identity_is_changed_by_id(tmp_path: Path) -> None:
    data = load_standard_data([*national_data_files(), _write(tmp_path, REVISED)])
    rows = [r.id for r in data.layouts["2025"].tables["table3"].rows]
    assert rows[rows.index("other_3") + 1] == "other_4"
    t32 = next(i for i in data.layouts["2025"].identities if i.id == "T3-2")
    assert t32.rhs[-1] == "other_4" and t32.kind == "column" and t32.layouts == ("2025",)


def test_a_child_relabels_and_drops_sections_and_tables(tmp_path: Path) -> None:
    path = _write(tmp_path, '[layout]\nid = "x"\nextends = "2021"\ndrop_sections = ["other"]\n\n'
                            '[[sections]]\nkey = "problems"\ntitle = "存在的问题及改进措施"\n\n'
                            '[tables.table4]\ntitle = "行政复议、行政诉讼情况"\n', "x.toml")
    layout = load_standard_data([*national_data_files(), path]).layouts["x"]
    parent = standard_data().layouts["2021"]
    assert [s.key for s in layout.sections] == ["overview", "active", "requests", "appeals", "problems"]
    assert layout.section("problems").title == "存在的问题及改进措施"  # type: ignore[union-attr]
    assert layout.section("problems").variants == parent.section("problems").variants  # type: ignore[union-attr]
    assert layout.tables["table4"].title == "行政复议、行政诉讼情况"
    assert layout.tables["table4"].rows == parent.tables["table4"].rows
    path.write_text('[layout]\nid = "x"\nextends = "2021"\ndrop_tables = ["table4"]\n', "utf-8")
    with pytest.raises(DataError, match=r"x\.toml: key identities\.T4-review\.table: no table table4"):
        load_standard_data([*national_data_files(), path])  # its identities still name table 4


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ('[layout]\nid = "x"\nextends = "1999"\n', 3, "layout.extends"),
        ('[layout]\nid = "x"\nextends = "2021"\n\n[tables.table3]\ndrop_rows = ["nope"]\n', 6,
         "tables.table3.drop_rows[0]"),
        ('[layout]\nid = "x"\nextends = "2021"\n\n[[tables.table3.rows]]\nid = "nope"\ngroup = "results"\n', 5,
         "tables.table3.rows[0]"),
        ('[layout]\nid = "x"\nextends = "2021"\ndrop_identities = ["T9"]\n', 4, "layout.drop_identities[0]"),
        ('[layout]\nextends = "2021"\n', 1, "layout"),
        ('[layout]\nid = "x"\nextends = "2021"\n\n[tables.table2]\ndrop_rows = ["fees"]\n', 6, "tables.table2.drop_rows"),
        ('[layout]\nid = "x"\nextends = "2021"\n\n[[sections]]\nkey = "nope"\ntitle = "其他"\n', 5, "sections[0]"),
    ],
    ids=["unknown-parent", "drop-missing-row", "change-missing-row", "drop-missing-identity", "no-id", "row-outside-block",
         "change-missing-section"],
)
def test_a_bad_child_is_a_data_error_naming_file_line_and_key(tmp_path: Path, text: str, line: int, key: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(DataError) as caught:
        load_standard_data([*national_data_files(), path])
    assert caught.value.message.en.startswith(f"{path}:{line}: key {key}: ")


def test_layouts_that_extend_each_other_are_a_cycle(tmp_path: Path) -> None:
    itself = _write(tmp_path, '[layout]\nid = "x"\nextends = "x"\n', "x.toml")
    with pytest.raises(DataError, match=r"x\.toml:3: key layout\.extends: .* cycle: x → x"):
        load_standard_data([itself])
    a = _write(tmp_path, '[layout]\nid = "a"\nextends = "b"\n', "a.toml")
    b = _write(tmp_path, '[layout]\nid = "b"\nextends = "a"\n', "b.toml")
    with pytest.raises(DataError, match=r"/b\.toml:3: key layout\.extends: layouts extend each other in a cycle: a → b → a"):
        load_standard_data([a, b])


# -- evidence ---------------------------------------------------------------------------------------


def test_the_evidence_is_what_the_hand_written_markers_were() -> None:
    """The labels that tell the real layouts apart, derived, are the lists the layout files used to carry."""
    evidence = layout_evidence(standard_data())
    assert [(e.text, sorted(e.layouts)) for e in evidence] == [
        *((m, ["2021"]) for m in ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
                                   "申请人无正当理由逾期不补正", "申请人逾期未按收费通知要求缴纳费用")),
        *((m, ["2020"]) for m in ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                                   "其他对外管理服务事项", "第二十条第（九）项", "采购项目数量", "采购总金额", "政府集中采购")),
    ]


def test_evidence_shared_with_a_parent_belongs_to_the_parent(tmp_path: Path) -> None:
    data = load_standard_data([*national_data_files(), _write(tmp_path, REVISED)])
    by_text = {e.text: e for e in layout_evidence(data)}
    assert by_text["本年制发件数"].layouts == {"2021", "2025"} and by_text["本年制发件数"].owners == ("2021",)
    assert by_text["申请人撤回申请"].owners == ("2025",)


def test_no_layout_id_in_the_code() -> None:
    """Layout ids live in ``rules/layouts/``; the code reads them from there (the generator's defect
    catalogue names the real layouts a defect applies to, as data)."""
    ids = set(standard_data().layouts)
    files = [*GKLINT.glob("*.py"), *GKLINT.glob("reporters/*.py"), *GKLINT.glob("readers/*.py"),
             *GKLINT.glob("national/template/*.py")]
    found = []
    for path in files:
        tree = ast.parse(path.read_text("utf-8"))
        allowed: set[int] = set()
        for node in ast.walk(tree):
            catalogue = (isinstance(node, ast.ClassDef) and node.name == "Defect"
                         or isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "DEFECTS")
            if catalogue and path.name == "testing.py":
                allowed.update(id(n) for n in ast.walk(node))
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                allowed.add(id(body[0].value))  # a docstring
        found += [f"{path.name}:{n.lineno}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and n.value in ids and id(n) not in allowed]
    assert found == []


# -- a new layout, end to end -------------------------------------------------------------------------


def _rules(result: Any) -> list[str]:
    return sorted({f.rule_id for f in result.findings})


def test_a_correct_report_of_the_new_layout_is_clean(revised: Linter) -> None:
    text = make_report(layout="2025", year=2025, data=revised.data, table3={"other_4": [1, 0, 0, 0, 0, 0]})
    assert NEW_ROW in text
    result = revised.lint_text(text)
    assert result.layout == "2025"
    assert [(f.rule_id, f.message.zh) for f in result.findings] == []


def test_a_report_of_its_year_in_the_2021_layout_is_gk301(revised: Linter) -> None:
    result = revised.lint_text(make_report(layout="2021", year=2025))
    assert result.layout == "2021"
    assert _rules(result) == ["GK301"]
    assert "《中华人民共和国政府信息公开工作年度报告格式（2025年修订）》" in result.findings[0].message.zh


def test_the_new_layouts_evidence_with_its_parents_is_not_mixed(revised: Linter) -> None:
    doc = load_document(make_report(layout="2025", year=2025, data=revised.data), data=revised.data)
    assert doc.layout.layout == "2025"
    assert {m.layout for m in doc.layout.markers} == {"2025"}
    assert set(doc.layout.tables.values()) == {"2025"}


def test_the_html_report_shows_the_new_row(revised: Linter) -> None:
    revised.keep_tables = True
    result = revised.lint_text(make_report(layout="2025", year=2025, data=revised.data))
    page = render(RunResult([result], {}, {}, [], [], None, "0"), ReportOptions())
    assert NEW_ROW in page
    assert "2025 年修订格式（东政办函〔2025〕9号）" in page


def test_the_new_layout_with_an_old_table_2_is_a_mix_of_two_layouts(revised: Linter) -> None:
    """Labels of the 2020 table 2 and of the new layout's table 3: a mix of those two (the 2021 labels
    the new layout inherits are its own, not a third layout)."""
    new = make_report(layout="2025", year=2025, data=revised.data)
    old = make_report(layout="2020", year=2025)
    start, end = "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"
    mixed = new[: new.index(start)] + old[old.index(start): old.index(end)] + new[new.index(end):]
    doc = load_document(mixed, data=revised.data)
    assert doc.layout.layout == "mixed"
    assert {m.layout for m in doc.layout.markers} == {"2020", "2025"}
    result = revised.lint_text(mixed)
    assert [f.key[:3] for f in result.findings if f.rule_id == "GK302"] == [("mixed", "2020", "2025")]


def test_a_bad_layout_file_is_left_out_and_a_good_one_beside_it_kept(tmp_path: Path) -> None:
    good = _write(tmp_path, '[layout]\nid = "y"\nextends = "2021"\nfirst_year = 2030\n', "good.toml")
    bad = _write(tmp_path, '[layout]\nid = "x"\nextends = "2021"\n\n[tables.table3]\ndrop_rows = ["nope"]\n', "bad.toml")
    linter = Linter(plugins=[("layouts", DataFiles(good, bad))])
    assert sorted(linter.data.layouts) == ["2020", "2021", "y"]
    assert [n.message.en.split(": ", 1)[1] for n in linter.notifications if n.level == "error"] == [
        f"bad data file, left out (the other data and rules still apply): {bad}:6: key tables.table3.drop_rows[0]: "
        "the parent layout 2021 has no nope to drop"]


def test_a_copy_of_the_2021_file_with_a_row_added_works_too(tmp_path: Path) -> None:
    """The way a maintainer used to add a layout: copy layout-2021.toml, add a row (no ``extends``)."""
    text = (LAYOUTS / "layout-2021.toml").read_text("utf-8").replace('id = "2021"', 'id = "2025"', 1)
    text = text.replace("first_year = 2021", "first_year = 2025", 1)
    text = text.replace('[[tables.table3.rows]]\nid = "total"', '[[tables.table3.rows]]\nid = "other_4"\nlabel = "4.申请人撤回申请"\n'
                        'group = "other_handling"\n\n[[tables.table3.rows]]\nid = "total"', 1)
    text = text.replace('"other_1", "other_2", "other_3"]', '"other_1", "other_2", "other_3", "other_4"]', 1)
    linter = Linter(plugins=[("copy", DataFiles(_write(tmp_path, text)))])
    correct = linter.lint_text(make_report(layout="2025", year=2025, data=linter.data, table3={"other_4": [1, 0, 0, 0, 0, 0]}))
    assert correct.layout == "2025" and _rules(correct) == []
    old = linter.lint_text(make_report(layout="2021", year=2025))
    assert old.layout == "2021" and _rules(old) == ["GK301"]
