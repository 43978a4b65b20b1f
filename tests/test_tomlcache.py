"""gklint.tomlcache: package TOML files parsed once, their marshal copy used only while the file is unchanged."""

from __future__ import annotations

import marshal
import os
import stat
import sys
from pathlib import Path

import pytest

from gklint import tomlcache
from gklint.data import load_standard_data, national_data_files

PACK_DATA = """\
[[required_subitems]]
id = "hotline"
section = "overview"
name = "政务服务便民热线"
patterns = ["12345"]
"""


@pytest.fixture
def writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bytecode (and so the copies) written beside the files, whatever the environment says."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)


def _copy(file: Path) -> Path:
    return next((file.parent / "__pycache__").glob(f"{file.name}.*"))


def test_the_copy_is_what_an_unchanged_file_gives(tmp_path: Path, writing: None) -> None:
    file = tmp_path / "pack.toml"
    file.write_text(PACK_DATA, encoding="utf-8")
    first = tomlcache.load(file)
    assert first["required_subitems"][0]["patterns"] == ["12345"]
    copy = _copy(file)
    # The copy is read, not the file: a copy with the same stamp but other content shows it.
    stamp, _ = marshal.loads(copy.read_bytes())
    copy.write_bytes(marshal.dumps((stamp, {"from": "copy"})))
    assert tomlcache.load(file) == {"from": "copy"}


def test_a_changed_file_is_parsed_again(tmp_path: Path, writing: None) -> None:
    file = tmp_path / "pack.toml"
    file.write_text(PACK_DATA, encoding="utf-8")
    tomlcache.load(file)
    file.write_text(PACK_DATA.replace("12345", "12345、12390"), encoding="utf-8")
    os.utime(file, ns=(file.stat().st_atime_ns, file.stat().st_mtime_ns + 1_000_000))
    assert tomlcache.load(file)["required_subitems"][0]["patterns"] == ["12345、12390"]


def test_no_copy_when_bytecode_writing_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    file = tmp_path / "pack.toml"
    file.write_text(PACK_DATA, encoding="utf-8")
    assert tomlcache.load(file)["required_subitems"][0]["id"] == "hotline"
    assert not (tmp_path / "__pycache__").exists()


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="a read-only folder is writable for root")
def test_a_read_only_folder_is_no_error(tmp_path: Path, writing: None) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    file = folder / "pack.toml"
    file.write_text(PACK_DATA, encoding="utf-8")
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert tomlcache.load(file)["required_subitems"][0]["id"] == "hotline"
        assert not (folder / "__pycache__").exists()
    finally:
        folder.chmod(stat.S_IRWXU)


def test_a_value_marshal_cannot_hold_leaves_the_file_to_be_parsed(tmp_path: Path, writing: None) -> None:
    file = tmp_path / "dated.toml"
    file.write_text('[[citations]]\nkey = "x"\nsigned = 2021-05-06\n', encoding="utf-8")
    assert str(tomlcache.load(file)["citations"][0]["signed"]) == "2021-05-06"
    assert not list((tmp_path / "__pycache__").glob("dated.toml.*"))
    assert str(tomlcache.load(file)["citations"][0]["signed"]) == "2021-05-06"


def test_the_standard_data_is_the_same_from_the_copies(tmp_path: Path, writing: None) -> None:
    """The national data loaded from fresh files and again from their copies is the same data."""
    sources = national_data_files()
    root = Path(os.path.commonpath([str(source) for source in sources]))
    files = []
    for source in sources:
        target = tmp_path / Path(str(source)).relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        files.append(target)
    parsed = load_standard_data(files)
    assert list((tmp_path / "__pycache__").glob("*.toml.*"))
    from_copies = load_standard_data(files)
    assert from_copies.layouts == parsed.layouts
    assert from_copies.extra_identities == parsed.extra_identities
    assert from_copies.extra.keys() == parsed.extra.keys()
    assert all(from_copies.extra[k] == parsed.extra[k] for k in parsed.extra)
