"""gklint never writes to an input file: contents, timestamps and directory listings are the same after a run."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from gklint.cli import main
from gklint.testing import FLATTENINGS, make_docx, make_report

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


def _snapshot(roots: list[Path]) -> dict[str, tuple[str, int, int]]:
    """path -> (sha256, mtime_ns, mode) for every file under *roots*."""
    out = {}
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            st = path.stat()
            out[str(path)] = (hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_mode)
    return out


@pytest.fixture
def inputs(tmp_path: Path) -> list[Path]:
    """Generated reports (every flattening, HTML, .docx, with and without defects), fixtures and seeds."""
    gen = tmp_path / "generated"
    gen.mkdir()
    for flattening in FLATTENINGS:
        (gen / f"{flattening}.txt").write_text(make_report(flattening=flattening), encoding="utf-8")
        bad = make_report(flattening=flattening, layout="2020").replace("〔", "[").replace("〕", "]")
        (gen / f"{flattening}-defects.txt").write_bytes(bad.encode("gb18030"))
    (gen / "report.html").write_text(make_report(flattening="html"), encoding="utf-8")
    (gen / "report.docx").write_bytes(make_docx())
    (gen / "empty.txt").write_bytes(b"")
    fixtures = tmp_path / "fixtures"  # copies, so a failing test cannot damage the repository
    shutil.copytree(REPO / "examples", fixtures / "examples")
    shutil.copytree(REPO / "tests" / "data", fixtures / "data")
    roots = [gen, fixtures]
    if SEEDS.is_dir():
        roots.append(SEEDS)  # read-only originals: linted in place
    return roots


def test_no_run_changes_any_input(inputs: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(inputs)
    assert len(before) >= 15
    monkeypatch.chdir(tmp_path)
    paths = [str(p) for p in inputs]
    runs = [
        ["-j", "1", *paths],
        ["-j", "2", "--format", "json", *paths],
        ["-j", "2", "--format", "sarif", "--statistics", *paths],
        ["-j", "1", "--show-source", "--lang", "en", *paths],
        ["-o", str(tmp_path / "out.json"), "--format", "json", *paths],
    ]
    for args in runs:
        with pytest.raises(SystemExit) as exited:
            main(["--isolated", *args])
        assert exited.value.code in (1, 2)
        capsys.readouterr()
    for report in sorted((inputs[0]).iterdir()):
        with pytest.raises(SystemExit):
            main(["inspect", "--isolated", str(report)])
        capsys.readouterr()
    assert _snapshot(inputs) == before  # same files (none added, e.g. temporaries), same bytes, times, modes
    assert (tmp_path / "out.json").stat().st_size > 0
