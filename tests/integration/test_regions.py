"""Regional packs installed as real distributions: each acts only on reports of its own region.

The packs are written to a temporary folder with their ``.dist-info`` (entry point in group
``gklint``), as pip would install them, and gklint runs in a subprocess with that folder on
``PYTHONPATH`` (the test environment itself is not changed).  When the 山东 example pack is
installed (``tox -e packs``) it is checked too: quiet on reports of other provinces, as before on
山东 reports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from gklint.testing import make_report, regional_report

from ._fakedist import install

MODULE = ("from importlib import resources\nfrom gklint import hookimpl\n\n@hookimpl\ndef gklint_data_files():\n"
          "    return [resources.files('{module}') / 'data.toml']\n")
WORK_POINTS = "（一）落实上级年度政务公开工作要点情况\n按照年度政务公开工作要点，逐项抓好落实。\n"


def _data_pack(site: Path, name: str, data: str) -> None:
    module = f"gklint_pack_{name}"
    install(site, f"gklint-pack-{name}", "1.0", name, module,
            {f"{module}/__init__.py": MODULE.format(module=module), f"{module}/data.toml": data})


JIANGSU = '''[region]
name = "江苏省"

[[required_subitems]]
id = "JS-work-points"
section = "other"
heading = ["政务公开工作要点"]
name = { zh = "落实上级年度政务公开工作要点情况", en = "work points" }

[contact_constraints]
area_codes = ["025", "0517"]

[severity]
GK108 = "warning"
GK507 = "error"
'''

FUJIAN = '''[region]
name = "福建省"
places = ["福州", "厦门"]

[[required_subitems]]
id = "FJ-open-day"
section = "other"
heading = ["开放日"]
name = { zh = "政府开放日活动情况", en = "open days" }
'''


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    _data_pack(folder, "jiangsu", JIANGSU)
    _data_pack(folder, "fujian", FUJIAN)
    return folder


def _run(tmp_path: Path, site: Path | None, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    paths = [str(site)] if site is not None else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*paths, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    return subprocess.run([sys.executable, "-m", "gklint", "--isolated", *args, "report.txt"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)


def _findings(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    doc = json.loads(proc.stdout)
    return [f for file in doc["files"] for f in file["findings"]]


def _packs(findings: list[dict]) -> list[tuple[str, str, str]]:
    return sorted((f["rule_id"], f.get("pack", ""), f["severity"]) for f in findings if f.get("pack"))


def test_two_regional_packs_each_act_on_their_own_reports(tmp_path: Path, site: Path) -> None:
    js = _findings(_run(tmp_path, site, regional_report("江苏省"), "--format", "json"))
    assert _packs(js) == [("GK108", "jiangsu", "warning")]  # the pack's [severity] for a finding from its data
    fj = _findings(_run(tmp_path, site, regional_report("福建省"), "--format", "json"))
    assert _packs(fj) == [("GK108", "fujian", "error")]
    other = _findings(_run(tmp_path, site, regional_report("浙江省"), "--format", "json"))
    assert _packs(other) == []


def test_a_packs_severity_table_stays_with_its_own_findings(tmp_path: Path, site: Path) -> None:
    """The 江苏 pack raises GK507 to error: not for the national rule's findings, in 江苏 or elsewhere."""
    sentence = "本报告电子版可在东平市人民政府门户网站（www.dongping.gov.cn）查阅或下载。"
    for region in ("江苏省", "福建省"):
        text = regional_report(region)
        assert sentence in text
        found = _findings(_run(tmp_path, site, text.replace(sentence, ""), "--format", "json"))
        gk507 = [f for f in found if f["rule_id"] == "GK507"]
        assert [f["severity"] for f in gk507] == ["warning"] and "pack" not in gk507[0]


def test_area_codes_of_a_pack_apply_to_its_region_only(tmp_path: Path, site: Path) -> None:
    text = regional_report("江苏省").replace("025-", "0518-")
    assert [f["message_zh"][:9] for f in _findings(_run(tmp_path, site, text, "--format", "json"))
            if f["rule_id"] == "GK508"] == ["号码“0518-5"]
    fj = _findings(_run(tmp_path, site, regional_report("福建省").replace("0591-", "0518-").replace("福建省人民路", "福州人民路"),
                        "--format", "json"))
    assert [f for f in fj if f["rule_id"] == "GK508"] == []


def test_text_output_names_the_pack(tmp_path: Path, site: Path) -> None:
    proc = _run(tmp_path, site, regional_report("福建省"))
    line = next(line for line in proc.stdout.splitlines() if " GK108 " in line)
    assert line.endswith("（福建省规则包）"), line
    english = _run(tmp_path, site, regional_report("福建省"), "--lang", "en")
    assert next(line for line in english.stdout.splitlines() if " GK108 " in line).endswith("(fujian pack for 福建省)")


def test_sarif_names_the_pack(tmp_path: Path, site: Path) -> None:
    log = json.loads(_run(tmp_path, site, regional_report("福建省"), "--format", "sarif").stdout)
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "GK108")
    assert result["properties"]["pack"] == "fujian" and result["properties"]["packLabel"] == "福建省规则包"


def test_unknown_region_gets_the_national_rules_and_one_note(tmp_path: Path, site: Path) -> None:
    text = make_report(agency="工业和信息化局").replace("地址：东平市人民路88号；邮编：271500；电话：0538-5261234；", "")
    found = _findings(_run(tmp_path, site, text, "--format", "json"))
    assert _packs(found) == []
    notes = [f for f in found if f["rule_id"] == "GK003"]
    assert len(notes) == 1 and notes[0]["severity"] == "info"
    assert "未应用地方规则包：福建省规则包、江苏省规则包" in notes[0]["message_zh"]
    assert "--region" in notes[0]["message_zh"]
    given = _findings(_run(tmp_path, site, text, "--format", "json", "--region", "江苏省"))
    assert _packs(given) == [("GK108", "jiangsu", "warning")]
    assert [f for f in given if f["rule_id"] == "GK003"] == []


def test_region_from_the_configuration(tmp_path: Path, site: Path) -> None:
    (tmp_path / "gklint.toml").write_text('region = "福建省"\n', encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(regional_report("江苏省"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site)}
    proc = subprocess.run([sys.executable, "-m", "gklint", "--format", "json", "report.txt"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    doc = json.loads(proc.stdout)
    assert doc["files"][0]["region"] == "福建省"
    assert _packs(doc["files"][0]["findings"]) == [("GK108", "fujian", "error")]


def test_inspect_shows_the_region_and_the_evidence(tmp_path: Path, site: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(regional_report("江苏省"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "gklint", "inspect", "--isolated", "report.txt"], cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    region = json.loads(proc.stdout)["region"]
    assert region["region"] == "江苏省" and region["source"] == "report"
    kinds = {e["kind"]: e for e in region["evidence"]}
    assert kinds["telephone"]["text"] == "025" and kinds["telephone"]["regions"] == ["江苏省"]
    assert kinds["postcode"]["regions"] == ["江苏省"] and kinds["agency"]["regions"] == ["江苏省"]
    assert region["packs_applied"] == ["jiangsu"] and "fujian" in region["packs_not_applied"]


def test_list_plugins_shows_each_packs_region(tmp_path: Path, site: Path) -> None:
    proc = _run(tmp_path, site, "", "--list-plugins")
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.strip()}
    assert rows["jiangsu"].rstrip().endswith("江苏省") and "（仅数据）" in rows["jiangsu"]
    assert rows["fujian"].rstrip().endswith("福建省")


def test_a_city_pack_under_a_province_pack(tmp_path: Path, site: Path) -> None:
    _data_pack(site, "huaian", '''[region]
name = "淮安市"
code = "3208"
area_codes = ["0517"]
postcodes = ["223"]

[[required_subitems]]
id = "HA-hotline"
section = "other"
heading = ["热线"]
name = { zh = "12345热线办理情况", en = "hotline" }
''')
    huaian = regional_report("江苏省").replace("025-", "0517-").replace("210000", "223001")
    assert _packs(_findings(_run(tmp_path, site, huaian, "--format", "json"))) == [
        ("GK108", "huaian", "error"), ("GK108", "jiangsu", "warning")]
    nanjing = regional_report("江苏省")
    assert _packs(_findings(_run(tmp_path, site, nanjing, "--format", "json"))) == [("GK108", "jiangsu", "warning")]


# -- the 山东 example pack (installed by tox -e packs) --------------------------------------------------------


def _installed(dist: str) -> bool:
    try:
        metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        return False
    return True


shandong = pytest.mark.skipif(not _installed("gklint-pack-shandong"), reason="the 山东 pack is not installed (tox -e packs)")
SHANDONG_RULES = ("SD101", "GK108", "GK410", "GK508", "GK509")


@shandong
@pytest.mark.parametrize("region", ["江苏省", "福建省", "贵州省", "北京市"])
def test_shandong_pack_is_quiet_on_other_provinces(tmp_path: Path, region: str) -> None:
    text = regional_report(region, agency="科学技术和工业信息化局")  # no place in the title, 信息处理费 without 鲁政办字
    assert "信息处理费" in text
    found = _findings(_run(tmp_path, None, text, "--format", "json"))
    assert [f for f in found if f.get("pack") == "shandong" or f["rule_id"] in SHANDONG_RULES] == []


@shandong
@pytest.mark.parametrize("code", ["0517", "0591", "0851"])
def test_shandong_pack_leaves_other_area_codes_alone(tmp_path: Path, code: str) -> None:
    region = {"0517": "江苏省", "0591": "福建省", "0851": "贵州省"}[code]
    text = regional_report(region).replace(f"{sorted(_codes(region))[0]}-", f"{code}-")
    found = _findings(_run(tmp_path, None, text, "--format", "json"))
    assert [f for f in found if f["rule_id"] == "GK508"] == []


def _codes(region: str) -> list[str]:
    from gklint.regions import region_table
    from gklint.testing import standard_data

    found = region_table(standard_data()).lookup(region)
    assert found is not None
    return sorted(found.area_codes)


@shandong
def test_shandong_pack_fires_on_shandong_reports(tmp_path: Path) -> None:
    text = make_report(agency="科学技术和工业信息化局").replace("0538-", "0634-")  # still 山东, not in the pack
    found = _findings(_run(tmp_path, None, text, "--format", "json"))
    assert _packs(found) == [("GK108", "shandong", "error"), ("GK410", "shandong", "error"),
                             ("GK508", "shandong", "warning"), ("SD101", "shandong", "warning")]


def test_html_report_names_the_pack(tmp_path: Path, site: Path) -> None:
    proc = _run(tmp_path, site, regional_report("福建省"), "--format", "html")
    assert proc.returncode == 1, proc.stderr
    assert '<p class="pack">来自：福建省规则包</p>' in proc.stdout


def test_explain_names_the_packs_whose_data_drive_a_rule(tmp_path: Path, site: Path) -> None:
    proc = _run(tmp_path, site, "", "--explain", "GK108")
    assert "由规则包的数据驱动" in proc.stdout and "福建省规则包（fujian）" in proc.stdout
    assert "江苏省规则包（jiangsu）" in proc.stdout and "为什么是这个级别" in proc.stdout
