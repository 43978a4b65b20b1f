"""The example packs of ``plugins/``, installed: discovery, text and SARIF output, --disable-plugin, pack configuration.

Skipped unless both packs are installed (``tox -e packs`` installs them into a fresh environment).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import jsonschema
import pytest

from gklint.testing import make_report


def _installed(dist: str) -> bool:
    try:
        metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        return False
    return True


pytestmark = pytest.mark.skipif(
    not (_installed("gklint-pack-shandong") and _installed("gklint-pack-template")),
    reason="the example packs are not installed (tox -e packs)",
)

#: A 山东 report (0538, 271500): no place in the agency (SD101), 信息处理费 without 鲁政办字〔2020〕179号
#: (GK410, an error), no 信息处理费 sub-item in 六 (GK108 from the 山东 pack's data).  The template pack,
#: installed as shipped, has no region and adds nothing.
REPORT = make_report(agency="科学技术和工业信息化局")


def _run(tmp_path: Path, *args: str, config: str | None = None) -> subprocess.CompletedProcess[str]:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    if config is not None:
        (tmp_path / "gklint.toml").write_text(config, encoding="utf-8")
    isolated = [] if config is not None else ["--isolated"]
    return subprocess.run([sys.executable, "-m", "gklint", *isolated, *args, "report.txt"], cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": ""}, capture_output=True, text=True, encoding="utf-8",
                          timeout=120)


def _ids(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("report.txt:")]


def test_list_plugins_shows_both_packs(tmp_path: Path) -> None:
    proc = _run(tmp_path, "--list-plugins", "--lang", "en")
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.strip()}
    assert "gklint-pack-shandong" in rows["shandong"] and "0.1.0" in rows["shandong"] and "SD101" in rows["shandong"]
    assert "gklint-pack-template" in rows["template"] and "XX101" in rows["template"]
    assert rows["shandong"].rstrip().endswith("山东省") and rows["template"].rstrip().endswith("no region set: inert")
    assert "national-citations" in rows and "GK410" in rows["national-citations"]


def test_text_output_has_the_packs_findings(tmp_path: Path) -> None:
    proc = _run(tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    ids = _ids(proc)
    assert "SD101" in ids and "GK410" in ids and ids.count("GK108") == 1 and "XX101" not in ids
    gk410 = next(line for line in proc.stdout.splitlines() if " GK410 " in line)
    assert "[错误]" in gk410 and "鲁政办字〔2020〕179号" in gk410 and gk410.endswith("（山东省规则包）")
    assert "运行中出现错误" not in proc.stdout


def test_sarif_lists_each_pack_under_extensions(tmp_path: Path) -> None:
    proc = _run(tmp_path, "--format", "sarif")
    log = json.loads(proc.stdout)
    schema = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    extensions = {e["name"]: e for e in run["tool"].get("extensions", [])}
    assert set(extensions) >= {"shandong"}
    assert [r["id"] for r in extensions["shandong"]["rules"]] == ["SD101"]
    sd101 = next(r for r in run["results"] if r["ruleId"] == "SD101")
    assert sd101["rule"]["toolComponent"]["name"] == "shandong"
    driver_rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "GK410" in driver_rules  # data requirements are reported by the national GK4xx rule
    gk410 = next(r for r in run["results"] if r["ruleId"] == "GK410")
    assert gk410["properties"]["pack"] == "shandong" and gk410["properties"]["packLabel"] == "山东省规则包"


def test_disable_plugin(tmp_path: Path) -> None:
    proc = _run(tmp_path, "--disable-plugin", "shandong")
    ids = _ids(proc)
    assert "SD101" not in ids and "GK410" not in ids and "GK108" not in ids  # its rule and its data are gone
    assert proc.returncode == 0 and ids == []


def test_pack_configuration(tmp_path: Path) -> None:
    config = ('[plugins.shandong]\nextra-places = ["科学技术和工业信息化局"]\n'
              '[plugins.template]\nmin-chars = 400\n[severity]\nGK410 = "warning"\n')
    proc = _run(tmp_path, config=config)
    ids = _ids(proc)
    assert "SD101" not in ids and "XX101" not in ids  # the template stays inert, configured or not
    gk410 = next(line for line in proc.stdout.splitlines() if " GK410 " in line)
    assert "[警告]" in gk410  # the user's severity wins


def test_unknown_pack_option_is_a_configuration_error(tmp_path: Path) -> None:
    proc = _run(tmp_path, config='[plugins.shandong]\nextra-place = ["x"]\n')
    assert proc.returncode == 2
    assert "未知的配置项 plugins.shandong.extra-place" in proc.stderr + proc.stdout
