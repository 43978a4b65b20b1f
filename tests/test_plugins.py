"""Plugin discovery and loading: isolation, provenance, conflicts, API versions."""

from __future__ import annotations

import importlib.metadata
import sys

import pytest

import gklint
from gklint.plugins import CORE_PLUGIN, load_plugins, make_plugin_manager

BROKEN_IMPORT = '''
raise ImportError("缺少依赖 gd_cms_parser")
'''

RULES_RAISE = '''
from gklint import hookimpl

@hookimpl
def gklint_rules():
    raise RuntimeError("规则表损坏")
'''

MISSPELLED = '''
from gklint import hookimpl

@hookimpl
def gklint_rulez():
    return []
'''


def _messages(ps, lang="zh"):
    return "\n".join(n.message.get(lang) for n in ps.notifications)


def test_builtin_entry_points_are_found_and_marked(site):
    ps = load_plugins()
    infos = {p.name: p for p in ps.plugins}
    assert infos[CORE_PLUGIN].builtin and infos[CORE_PLUGIN].loaded
    for name in ("reader-text", "report-json", "national-tables"):
        assert infos[name].distribution == "gklint"
        assert infos[name].version == gklint.__version__
        assert infos[name].builtin
    gklint_eps = [p.name for p in ps.plugins if p.distribution == "gklint" and p.name != CORE_PLUGIN]
    assert gklint_eps == sorted(gklint_eps)


def test_core_plugin_contributes_national_data_files():
    ps = load_plugins(autoload=False)
    names = [str(f) for plugin, f in ps.data_files if plugin == CORE_PLUGIN]
    assert any(n.endswith("layout-2021.toml") for n in names)


def test_plugin_failing_at_import_is_reported_by_name_and_skipped(site, kit):
    site.add("gklint-pack-gd", {"gd-cms": "gd_broken_mod", "gd-rules": "gd_good_mod"},
             {"gd_broken_mod": BROKEN_IMPORT, "gd_good_mod": kit.pack_module(["GD101"])}, version="2.3.1")
    ps = load_plugins()
    broken = ps.info("gd-cms")
    assert broken is not None and not broken.loaded
    assert broken.error == "ImportError: 缺少依赖 gd_cms_parser"
    (note,) = [n for n in ps.notifications if n.plugin == "gd-cms"]
    assert note.kind == "plugin-load" and note.level == "error"
    for lang in ("zh", "en"):
        text = note.message.get(lang)
        assert "gd-cms" in text and "gklint-pack-gd" in text and "2.3.1" in text
        assert "ImportError: 缺少依赖 gd_cms_parser" in text
        assert "Traceback" not in text
    assert ps.failed
    assert "GD101" in ps.rules and ps.rule_plugins["GD101"] == "gd-rules"


def test_hook_that_raises_does_not_break_other_plugins(site, kit):
    site.add("gklint-pack-bad", {"bad-rules": "bad_rules_mod"}, {"bad_rules_mod": RULES_RAISE})
    site.add("gklint-pack-ok", {"ok-rules": "ok_rules_mod"}, {"ok_rules_mod": kit.pack_module(["OK101"])})
    ps = load_plugins()
    assert "OK101" in ps.rules
    (note,) = [n for n in ps.notifications if n.plugin == "bad-rules"]
    assert "gklint_rules" in note.message.zh and "RuntimeError: 规则表损坏" in note.message.zh
    assert note.exception == "RuntimeError: 规则表损坏"
    assert ps.failed


def test_same_rule_id_from_two_plugins_is_an_error_naming_both(site, kit):
    site.add("gklint-pack-a", {"pack-a": "dup_a_mod"}, {"dup_a_mod": kit.pack_module(["DUP101", "DUP102"])})
    site.add("gklint-pack-b", {"pack-b": "dup_b_mod"}, {"dup_b_mod": kit.pack_module(["DUP101"])})
    ps = load_plugins()
    assert ps.rule_plugins["DUP101"] == "pack-a"  # first in (distribution, entry point) order
    assert ps.info("pack-b").rule_ids == []
    (note,) = [n for n in ps.notifications if n.rule_id == "DUP101"]
    assert note.level == "error"
    for lang in ("zh", "en"):
        assert "pack-a" in note.message.get(lang) and "pack-b" in note.message.get(lang)
        assert "gklint-pack-a" in note.message.get(lang) and "gklint-pack-b" in note.message.get(lang)
    assert ps.failed


@pytest.mark.parametrize("a_first_on_path", [True, False])
def test_load_order_does_not_depend_on_sys_path_order(a_first_on_path, tmp_path, monkeypatch, kit):
    from importlib import invalidate_caches

    roots = {}
    for letter in "ab":
        root = tmp_path / f"site-{letter}"
        (root / f"gklint_pack_{letter}-1.0.dist-info").mkdir(parents=True)
        (root / f"gklint_pack_{letter}-1.0.dist-info" / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: gklint-pack-{letter}\nVersion: 1.0\n", encoding="utf-8")
        (root / f"gklint_pack_{letter}-1.0.dist-info" / "entry_points.txt").write_text(
            f"[gklint]\npack-{letter} = order_{letter}_mod\n", encoding="utf-8")
        (root / f"order_{letter}_mod.py").write_text(kit.pack_module(["ORD101"]), encoding="utf-8")
        roots[letter] = root
    for letter in ("ba" if a_first_on_path else "ab"):  # the last prepended comes first
        monkeypatch.syspath_prepend(str(roots[letter]))
    invalidate_caches()
    try:
        ps = load_plugins()
    finally:
        for letter in "ab":
            monkeypatch.delitem(sys.modules, f"order_{letter}_mod", raising=False)
    names = [p.name for p in ps.plugins if p.name.startswith("pack-")]
    assert names == ["pack-a", "pack-b"]
    assert ps.rule_plugins["ORD101"] == "pack-a"


def test_newer_api_version_is_skipped_with_clear_message(site, kit):
    site.add("gklint-pack-future", {"future": "future_mod"},
             {"future_mod": kit.pack_module(["FUT101"], 'GKLINT_API_VERSION = "99"\n')}, version="5.0")
    ps = load_plugins()
    assert "FUT101" not in ps.rules
    info = ps.info("future")
    assert info is not None and not info.loaded
    (note,) = [n for n in ps.notifications if n.plugin == "future"]
    assert "gklint-pack-future" in note.message.zh and "99" in note.message.zh
    assert f"提供版本 {gklint.API_VERSION}" in note.message.zh
    assert "needs gklint plugin API version 99" in note.message.en
    assert f"provides version {gklint.API_VERSION}" in note.message.en


def test_current_api_version_is_accepted(kit):
    ps = load_plugins(autoload=False, plugins=[("same", kit.Pack([kit.make_rule()], api=gklint.API_VERSION))])
    assert "TST101" in ps.rules and not ps.failed


def test_disabled_plugin_is_never_imported(site):
    site.add("gklint-pack-gd", {"gd-cms": "gd_disabled_mod"}, {"gd_disabled_mod": BROKEN_IMPORT})
    pm, infos, notes = make_plugin_manager(disabled=["gd-cms"])
    info = next(i for i in infos if i.name == "gd-cms")
    assert (info.loaded, info.error) == (False, "disabled")
    assert not pm.has_plugin("gd-cms") and pm.is_blocked("gd-cms")
    assert notes == []


def test_disabling_an_unknown_plugin_warns():
    _, _, notes = make_plugin_manager(autoload=False, disabled=["no-such-pack"])
    (note,) = notes
    assert note.level == "warning" and "no-such-pack" in note.message.zh


def test_misspelled_hook_is_reported_and_plugin_unregistered(site, kit):
    site.add("gklint-pack-typo", {"typo": "typo_mod"}, {"typo_mod": MISSPELLED})
    pm, infos, notes = make_plugin_manager()
    assert not pm.has_plugin("typo")
    (note,) = [n for n in notes if n.plugin == "typo"]
    assert "gklint_rulez" in note.message.zh
    pm.check_pending()  # nothing left pending


def test_same_distribution_twice_on_sys_path_is_loaded_once(site, kit, monkeypatch):
    site.add("gklint-pack-twice", {"twice": "twice_mod"}, {"twice_mod": kit.pack_module(["TWI101"])})
    monkeypatch.syspath_prepend(str(site.root))  # the misconfigured-python case
    dists = [d for d in importlib.metadata.distributions() if d.metadata["Name"] == "gklint-pack-twice"]
    assert len(dists) == 2
    ps = load_plugins()
    assert [p.name for p in ps.plugins].count("twice") == 1
    assert not ps.failed


def test_hook_returning_wrong_type_is_reported(kit):
    ps = load_plugins(autoload=False, plugins=[("odd", kit.Pack(rules=["GK101"]))])  # a string, not a Rule
    (note,) = ps.notifications
    assert "odd" in note.message.zh and "str" in note.message.zh
    assert ps.rules == {}


def test_last_loaded_reader_wins_a_suffix(kit):
    first, second = kit.Utf8Reader((".txt", ".htm")), kit.Utf8Reader((".txt",))
    ps = load_plugins(autoload=False, plugins=[("a", kit.Pack(readers=[first])), ("b", kit.Pack(readers=[second]))])
    assert ps.readers[".txt"] == (second, "b")
    assert ps.readers[".htm"] == (first, "a")
    assert ps.reader_for("年报.HTM") == (first, "a")
    assert ps.reader_for("年报.unknown") == (second, "b")  # unknown suffix: the text reader


def test_duplicate_reporter_name_keeps_first_and_warns(kit):
    ps = load_plugins(autoload=False, plugins=[("a", kit.Pack(reporters=[kit.LINES])),
                                               ("b", kit.Pack(reporters=[kit.LINES]))])
    assert list(ps.reporters) == ["lines"]
    (note,) = ps.notifications
    assert note.level == "warning" and "a" in note.message.en and "b" in note.message.en
    assert not ps.failed


def test_config_defaults_are_collected_per_plugin(kit):
    ps = load_plugins(autoload=False, plugins=[("gd", kit.Pack(defaults={"province": "广东"}))])
    assert ps.config_defaults["gd"] == {"province": "广东"}


def test_rules_are_sorted_by_id_whatever_the_plugin_order(kit):
    a = kit.Pack([kit.make_rule("ZZZ101"), kit.make_rule("AAA101")])
    b = kit.Pack([kit.make_rule("MMM101")])
    one = load_plugins(autoload=False, plugins=[("a", a), ("b", b)])
    two = load_plugins(autoload=False, plugins=[("b", b), ("a", a)])
    assert list(one.rules) == list(two.rules) == ["AAA101", "MMM101", "ZZZ101"]


# -- finding entry points without importlib.metadata -----------------------------------------------

ODD_DISTRIBUTIONS = {
    # directory -> (METADATA, entry_points.txt)
    "gklint_pack_odd-1.0.dist-info": ("Metadata-Version: 2.1\nName: gklint-pack-odd\nVersion: 1.0\nName: second\n"
                                      "License: MIT\n  folded licence text\n\nName: in the body\n",
                                      "# comment\n[console_scripts]\nodd = odd_mod:main\n\n[gklint]\n  odd = odd_mod  \n"
                                      "odd-attr=odd_mod:RULES [extra]\n"),
    "Gklint_Pack_Odd-2.0.dist-info": ("Name: gklint-pack-odd\nVersion:   2.0  \n", "[gklint]\nodd-two = odd_mod\n"),
    "gklint_pack_crlf-1.0.dist-info": ("Name: gklint-pack-crlf\r\nVersion: 1.0\r\n", "[gklint]\r\ncrlf = odd_mod\r\n"),
    "gklint_pack_old.egg-info": ("", "[gklint]\nold = odd_mod\n"),  # PKG-INFO below
    "gklint_pack_nameless-1.0.dist-info": ("Version: 1.0\n", "[gklint]\nnameless = odd_mod\n"),
    "other_pack-1.0.dist-info": ("Name: other\nVersion: 1\n", "[other]\nx = y\n"),
    "no_entry_points-1.0.dist-info": ("Name: nothing\nVersion: 1\n", None),
}


def _odd_site(root):
    for directory, (metadata, entry_points) in ODD_DISTRIBUTIONS.items():
        info = root / directory
        info.mkdir()
        (info / "METADATA").write_bytes(metadata.encode("utf-8"))
        if entry_points is not None:
            (info / "entry_points.txt").write_bytes(entry_points.encode("utf-8"))
    (root / "gklint_pack_old.egg-info" / "PKG-INFO").write_text("Metadata-Version: 1.0\nName: Gklint.Pack.Old\n"
                                                               "Version: 0.1\n", encoding="utf-8")


def test_entry_point_scan_reads_what_importlib_metadata_reads(site, tmp_path, monkeypatch):
    from gklint.plugins import _metadata_distributions, _scan_distributions

    _odd_site(site.root)
    monkeypatch.syspath_prepend(str(tmp_path / "no-such-directory"))
    importlib.invalidate_caches()
    scanned = list(_scan_distributions())
    assert scanned == list(_metadata_distributions())
    found = {(name, version): [(ep.name, ep.value) for ep in eps] for name, version, eps in scanned}
    assert found[("gklint-pack-odd", "1.0")] == [("odd", "odd_mod"), ("odd-attr", "odd_mod:RULES [extra]")]
    assert found[("gklint-pack-odd", "2.0  ")] == [("odd-two", "odd_mod")]
    assert ("gklint", gklint.__version__) in found


def test_folded_name_falls_back_to_importlib_metadata(site):
    from gklint.plugins import _find_entry_points, _scan_distributions, _Unusual

    site.add("gklint-pack-folded", {"folded": "folded_mod"}, {"folded_mod": "RULES = []\n"})
    (info,) = site.root.glob("gklint_pack_folded-*.dist-info")
    (info / "METADATA").write_text("Name: gklint-pack-\n folded\nVersion: 1.0\n", encoding="utf-8")
    with pytest.raises(_Unusual):
        list(_scan_distributions())
    (dist,) = [d for d in importlib.metadata.distributions() if d._path == info]  # type: ignore[attr-defined]
    infos = [c.info for c in _find_entry_points() if c.info.name == "folded"]
    assert [(i.distribution, i.version) for i in infos] == [(dist.metadata["Name"], "1.0")]


def test_zip_on_sys_path_falls_back_to_importlib_metadata(tmp_path, monkeypatch):
    import zipfile

    from gklint.plugins import _find_entry_points, _scan_distributions, _Unusual

    archive = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("gklint_pack_zip-3.1.dist-info/METADATA", "Name: gklint-pack-zip\nVersion: 3.1\n")
        zf.writestr("gklint_pack_zip-3.1.dist-info/entry_points.txt", "[gklint]\nzipped = zipped_mod\n")
    monkeypatch.syspath_prepend(str(archive))
    importlib.invalidate_caches()
    with pytest.raises(_Unusual):
        list(_scan_distributions())
    (info,) = [c.info for c in _find_entry_points() if c.info.name == "zipped"]
    assert (info.distribution, info.version) == ("gklint-pack-zip", "3.1")


@pytest.mark.parametrize("value", ["gklint.findings", "gklint.findings:Message", "gklint:hookimpl.project_name",
                                   "gklint.findings : Severity.ERROR [extra]", "gklint.findings:", "no such module",
                                   "gklint.findings:NoSuchName", "gklint_no_such_module"])
def test_entry_point_loads_as_importlib_metadata_loads(value):
    from gklint.plugins import _EntryPoint

    theirs = importlib.metadata.EntryPoint("x", value, "gklint")
    try:
        expected: object = theirs.load()
    except Exception as exc:
        with pytest.raises(type(exc)) as raised:
            _EntryPoint("x", value).load()
        assert str(raised.value) == str(exc)
    else:
        assert _EntryPoint("x", value).load() is expected
