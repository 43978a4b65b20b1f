"""Region facts and inference (gklint.regions): the evidence a report gives and what it points at."""

from __future__ import annotations

from pathlib import Path

import pytest

from gklint import lint_text
from gklint.config import Config, ConfigError
from gklint.data import DataError, load_standard_data, national_data_files
from gklint.regions import build_region_table, infer_region, region_table
from gklint.testing import load_document, make_report, regional_report, standard_data

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _table(tmp_path: Path | None = None, pack: str = ""):
    files = list(national_data_files())
    if pack:
        assert tmp_path is not None
        path = tmp_path / "pack.toml"
        path.write_text(pack, encoding="utf-8")
        files.append(path)
    return build_region_table(load_standard_data(files))


def _guess(text: str, table=None):
    return infer_region(load_document(text), table or region_table(standard_data()))


def test_every_province_is_in_the_table_once() -> None:
    table = region_table(standard_data())
    provinces = [r for r in table.regions.values() if len(r.code) == 2]
    assert len(provinces) == 31 and len({r.name for r in provinces}) == 31
    codes = [c for r in provinces for c in r.area_codes]
    assert len(codes) == len(set(codes))  # an area code belongs to one province
    assert "0533" in table.get("37").area_codes and "0517" in table.get("32").area_codes
    assert table.lookup("山东") is table.get("37") and table.lookup("37") is table.get("37")


@pytest.mark.parametrize("region", ["江苏省", "福建省", "贵州省", "北京市", "新疆维吾尔自治区", "山东省"])
def test_each_piece_of_evidence_points_at_the_region(region: str) -> None:
    guess = _guess(regional_report(region))
    assert guess.name == region and guess.source == "report"
    kinds = {e.kind: e.names for e in guess.evidence}
    assert kinds["agency"] == (region,) and kinds["telephone"] == (region,) and kinds["postcode"] == (region,)


def test_the_example_report_is_of_shandong_by_area_code_and_postcode() -> None:
    guess = _guess(make_report())
    assert guess.name == "山东省"
    assert {e.kind for e in guess.evidence if e.codes} == {"telephone", "postcode"}


def test_conflicting_evidence_is_no_answer() -> None:
    text = make_report(agency="工业和信息化局").replace("0538-", "025-").replace("271500", "999999")
    text = text.replace("地址：东平市人民路88号", "地址：山东省人民路88号")  # 山东 by address (2), 江苏 by area code (2)
    guess = _guess(text)
    assert guess.code == "" and set(guess.conflict) == {"山东省", "江苏省"}


def test_no_evidence_is_no_answer() -> None:
    text = make_report(agency="工业和信息化局").replace("地址：东平市人民路88号；邮编：271500；电话：0538-5261234；", "")
    assert _guess(text).code == ""


@pytest.mark.parametrize(("name", "expected"), [("000", "山东省"), ("001", ""), ("002", "山东省"), ("003", "山东省"),
                                                ("004", "山东省")])
def test_the_seeds(name: str, expected: str) -> None:
    path = next(SEEDS.glob(f"{name}_*.txt"), None)
    if path is None:
        pytest.skip("../shared/seeds is not beside the repository")
    assert _guess(path.read_text(encoding="utf-8")).name == expected


def test_a_city_below_its_province(tmp_path: Path) -> None:
    table = _table(tmp_path, '[region]\nname = "淮安市"\ncode = "3208"\narea_codes = ["0517"]\npostcodes = ["223"]\n')
    huaian = regional_report("江苏省").replace("025-", "0517-").replace("210000", "223001")
    guess = _guess(huaian, table)
    assert (guess.name, guess.chain) == ("淮安市", ("江苏省", "淮安市"))
    assert _guess(regional_report("江苏省"), table).name == "江苏省"


@pytest.mark.parametrize(("data", "key"), [
    ('[region]\nname = "淮安市"\n', "region.code"),  # not a province: needs its code
    ('[region]\nname = "江苏省"\ncode = "3x"\n', "region.code"),
    ('[region]\nname = "江苏省"\narea_codes = ["0519-0510"]\n', "region.area_codes[0]"),
    ('[region]\nname = "江苏省"\narea = ["025"]\n', "region.area"),
    ('[region]\ncode = "32"\n', "region.name"),
    ('[region]\nname = "江苏省"\npostcodes = ["21a"]\n', "region.postcodes[0]"),
])
def test_mistakes_in_a_packs_region_name_the_key(tmp_path: Path, data: str, key: str) -> None:
    with pytest.raises(DataError) as err:
        _table(tmp_path, data)
    assert f"键 {key}：" in err.value.message.zh


def test_an_empty_name_leaves_the_pack_inert(tmp_path: Path) -> None:
    table = _table(tmp_path, '[region]\nname = ""\n')
    assert list(table.declared.values()) == [""]


def test_the_configured_region_wins_and_an_unknown_one_is_an_error() -> None:
    result = lint_text(regional_report("江苏省"), config=Config(region="福建"))
    assert result.region == "福建省"
    assert lint_text(regional_report("江苏省")).region == "江苏省"
    with pytest.raises(ConfigError) as err:
        lint_text(make_report(), config=Config(region="火星"))
    assert "未知的地区“火星”" in err.value.message.zh


def test_no_note_without_regional_packs() -> None:
    text = make_report(agency="工业和信息化局").replace("地址：东平市人民路88号；邮编：271500；电话：0538-5261234；", "")
    result = lint_text(text)
    assert result.region is None and [f for f in result.findings if f.rule_id == "GK003"] == []
