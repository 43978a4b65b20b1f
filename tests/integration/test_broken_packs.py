"""Broken packs, installed as real distributions: each gives one clear message; everything else still runs.

Each pack is written to a temporary folder with its ``.dist-info`` (entry point in
group ``gklint``) and found by ``gklint`` through ``importlib.metadata``, exactly
like a pack installed with pip.  gklint runs in a subprocess with that folder on
``PYTHONPATH``, so the test environment itself is not changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gklint.testing import make_report

from ._fakedist import install

BROKEN_CITATION = make_report().replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号")

GOOD_PACK = '''
from gklint import hookimpl
from gklint.findings import Message, Problem, Severity
from gklint.rule import Rule
GKLINT_API_VERSION = "1"

def check(doc, context):
    yield Problem(doc.metadata.title_span, Message("好包在此", "good pack here"), key=("good",))

@hookimpl
def gklint_rules():
    return [Rule("OK101", "good", "示例", Severity.INFO, Message("好", "good"), Message("好", "good"),
                 Message("好", "good"), check)]
'''


def _rule_pack(prefix: str, rule_id: str, extra: str = "") -> str:
    return f'''
from gklint import hookimpl
from gklint.findings import Message, Problem, Severity
from gklint.rule import Rule
{extra}

def check(doc, context):
    yield Problem(doc.metadata.title_span, Message("{prefix}", "{prefix}"), key=("{prefix}",))

@hookimpl
def gklint_rules():
    return [Rule("{rule_id}", "{prefix}", "示例", Severity.WARNING, Message("{prefix}", "{prefix}"),
                 Message("{prefix}", "{prefix}"), Message("{prefix}", "{prefix}"), check)]
'''


def _run(tmp_path: Path, site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    report = tmp_path / "report.txt"
    report.write_text(BROKEN_CITATION, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    return subprocess.run([sys.executable, "-m", "gklint", "--isolated", *args, str(report)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    install(folder, "gklint-pack-good", "1.0", "good", "gklint_pack_good", {"gklint_pack_good.py": GOOD_PACK})
    return folder


def _all(proc: subprocess.CompletedProcess[str]) -> str:
    """Everything printed (the text format prints run problems after the findings)."""
    return proc.stdout + proc.stderr


def _assert_others_ran(proc: subprocess.CompletedProcess[str]) -> None:
    assert "GK401" in proc.stdout, proc.stdout  # the national rules
    assert "OK101" in proc.stdout, proc.stdout  # the other pack
    assert "Traceback" not in _all(proc)
    assert proc.returncode == 2, (proc.returncode, _all(proc))


def test_pack_needing_a_newer_api(tmp_path: Path, site: Path) -> None:
    install(site, "gklint-pack-future", "3.0", "future", "gklint_pack_future",
            {"gklint_pack_future.py": _rule_pack("FU", "FU101", 'GKLINT_API_VERSION = "2"')})
    proc = _run(tmp_path, site)
    _assert_others_ran(proc)
    assert "FU101" not in proc.stdout
    assert "插件 future（gklint-pack-future 3.0） 需要 gklint 插件接口版本 2，已安装的 gklint" in _all(proc)
    assert "提供版本 1；已跳过，请升级 gklint" in _all(proc)
    listing = _run(tmp_path, site, "--list-plugins", "--lang", "en")
    assert "future" in listing.stdout and "gklint-pack-future" in listing.stdout


def test_two_packs_declaring_the_same_rule_id(tmp_path: Path, site: Path) -> None:
    install(site, "gklint-pack-one", "1.0", "one", "gklint_pack_one", {"gklint_pack_one.py": _rule_pack("ONE", "ZZ101")})
    install(site, "gklint-pack-two", "1.0", "two", "gklint_pack_two", {"gklint_pack_two.py": _rule_pack("TWO", "ZZ101")})
    proc = _run(tmp_path, site)
    _assert_others_ran(proc)
    assert ("规则 ZZ101 同时由插件 one（gklint-pack-one 1.0） 和 two（gklint-pack-two 1.0） 声明；使用 one 的，忽略 two 的"
            in _all(proc))
    assert [line for line in proc.stdout.splitlines() if " ZZ101 " in line][0].endswith("ONE（规则包 one）")  # the first pack's rule runs


def test_pack_whose_hook_raises(tmp_path: Path, site: Path) -> None:
    code = "from gklint import hookimpl\n\n@hookimpl\ndef gklint_rules():\n    raise RuntimeError('database offline')\n"
    install(site, "gklint-pack-raises", "1.0", "raises", "gklint_pack_raises", {"gklint_pack_raises.py": code})
    proc = _run(tmp_path, site)
    _assert_others_ran(proc)
    assert "插件 raises（gklint-pack-raises 1.0） 的 gklint_rules 钩子出错：RuntimeError: database offline；已忽略它提供的内容" in _all(proc)


def test_pack_whose_rule_raises_while_checking(tmp_path: Path, site: Path) -> None:
    crash = _rule_pack("CR", "CR101").replace('    yield Problem(', '    raise ValueError("bad table")\n    yield Problem(')
    install(site, "gklint-pack-crash", "1.0", "crash", "gklint_pack_crash", {"gklint_pack_crash.py": crash})
    proc = _run(tmp_path, site)
    _assert_others_ran(proc)
    assert "规则 CR101（插件 crash）检查此文件时出错：ValueError: bad table" in _all(proc)


def test_data_pack_with_a_bad_key(tmp_path: Path, site: Path) -> None:
    module = ("from importlib import resources\nfrom gklint import hookimpl\n\n@hookimpl\ndef gklint_data_files():\n"
              "    return [resources.files('gklint_pack_data') / 'data.toml']\n")
    data = '[[required_mentions]]\nid = "fee"\nwhen = ["信息处理费"]\ncite = "NO-SUCH-DOC"\n'
    install(site, "gklint-pack-data", "1.0", "data", "gklint_pack_data",
            {"gklint_pack_data/__init__.py": module, "gklint_pack_data/data.toml": data})
    proc = _run(tmp_path, site)
    _assert_others_ran(proc)
    lines = [line for line in _all(proc).splitlines() if "data.toml" in line]
    assert len(lines) == 1, _all(proc)  # once, not once per document
    assert "插件 data 的数据文件有误，已忽略该文件" in lines[0]
    assert "data.toml:4: 键 required_mentions[0].cite：引用文件登记表中没有 key 为“NO-SUCH-DOC”的条目" in lines[0]
    english = _run(tmp_path, site, "--lang", "en")
    assert "data.toml:4: key required_mentions[0].cite: the citation registry has no entry with key 'NO-SUCH-DOC'" in _all(english)
