"""The pack author's first steps, as docs/writing-rule-packs.md gives them: ``gklint new-pack``,
install the pack with pip, lint a report of its region and one of another region, run its tests.

The pack is built by pip and installed into a folder put on ``PYTHONPATH`` (a virtual
environment's site-packages in all but name), so the test environment itself is not changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gklint.testing import regional_report


def _python(*args: str, cwd: Path, site: Path | None = None, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if site is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("author")
    made = _python("-m", "gklint", "new-pack", "jiangsu", "--region", "江苏省", cwd=work)
    assert made.returncode == 0, made.stderr
    assert "已创建" in made.stdout and "python -m pip install" in made.stdout
    pack = work / "gklint-pack-jiangsu"
    site = work / "site"
    pip = _python("-m", "pip", "install", "--no-deps", "--target", str(site), str(pack), cwd=work)
    if pip.returncode != 0 and ("No matching distribution" in pip.stderr or "Could not find" in pip.stderr):
        pytest.skip(f"pip cannot build the pack here (no setuptools to build with): {pip.stderr[-300:]}")
    assert pip.returncode == 0, pip.stderr
    return pack, site


def test_new_pack_writes_a_complete_pack(installed: tuple[Path, Path]) -> None:
    pack, _ = installed
    files = sorted(str(p.relative_to(pack)) for p in pack.rglob("*") if p.is_file() and "build" not in p.parts
                   and not any(part.endswith(".egg-info") for part in p.parts))
    assert files == [".gitignore", "README.md", "pyproject.toml", "src/gklint_pack_jiangsu/__init__.py",
                     "src/gklint_pack_jiangsu/jiangsu.toml", "src/gklint_pack_jiangsu/rules.toml", "tests/reports/.gitkeep", "tests/test_jiangsu.py"]
    data = (pack / "src/gklint_pack_jiangsu/jiangsu.toml").read_text(encoding="utf-8")
    assert '[region]\nname = "江苏省"\ncode = "32"\n' in data and 'id = "JI-work-points"' in data


def test_list_plugins_shows_the_data_only_pack_and_its_region(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, site = installed
    proc = _python("-m", "gklint", "--isolated", "--list-plugins", cwd=tmp_path, site=site)
    row = next(line for line in proc.stdout.splitlines() if line.startswith("jiangsu "))
    assert "gklint-pack-jiangsu" in row and "已加载" in row and "（仅数据）" in row and row.rstrip().endswith("江苏省")


def _lint(site: Path, tmp_path: Path, text: str) -> dict:
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    proc = _python("-m", "gklint", "--isolated", "--format", "json", "report.txt", cwd=tmp_path, site=site)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["files"][0]


def test_the_pack_acts_on_reports_of_its_region_only(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, site = installed
    jiangsu = _lint(site, tmp_path, regional_report("江苏省"))
    assert jiangsu["region"] == "江苏省"
    ours = [f for f in jiangsu["findings"] if f.get("pack") == "jiangsu"]
    assert [(f["rule_id"], f["severity"], f["pack_label"]) for f in ours] == [("GK108", "error", "江苏省规则包")]
    fujian = _lint(site, tmp_path, regional_report("福建省"))
    assert fujian["region"] == "福建省" and [f for f in fujian["findings"] if f.get("pack")] == []


def test_the_packs_own_tests_pass(installed: tuple[Path, Path]) -> None:
    pack, site = installed
    (pack / "tests/reports/correct.txt").write_text(
        regional_report("江苏省").replace("六、其他需要报告的事项\n", "六、其他需要报告的事项\n"
                                          "（一）落实上级年度政务公开工作要点情况\n逐项抓好落实。\n"), encoding="utf-8")
    proc = _python("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=pack, site=site)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "5 passed" in proc.stdout


def test_new_pack_refuses_bad_names_and_unknown_regions(tmp_path: Path) -> None:
    bad = _python("-m", "gklint", "new-pack", "Jiang Su", "--region", "江苏省", cwd=tmp_path)
    assert bad.returncode == 2 and "包名" in bad.stderr
    unknown = _python("-m", "gklint", "new-pack", "huaian", "--region", "淮安市", cwd=tmp_path)
    assert unknown.returncode == 2 and "--code" in unknown.stderr
    city = _python("-m", "gklint", "new-pack", "huaian", "--region", "淮安市", "--code", "3208", cwd=tmp_path)
    assert city.returncode == 0, city.stderr
    data = (tmp_path / "gklint-pack-huaian/src/gklint_pack_huaian/huaian.toml").read_text(encoding="utf-8")
    assert 'name = "淮安市"\ncode = "3208"' in data
    again = _python("-m", "gklint", "new-pack", "huaian", "--region", "淮安市", "--code", "3208", cwd=tmp_path)
    assert again.returncode == 2 and "已存在" in again.stderr
