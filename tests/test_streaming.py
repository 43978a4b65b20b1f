"""The text format streams: each file's result is written and dropped as it arrives.

Its output is byte for byte what the whole-run reporter writes (any ``-j``), and
memory does not grow with the number of files.
"""

from __future__ import annotations

import gc
import io
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from gklint.api import Linter
from gklint.cli import main
from gklint.config import Config
from gklint.findings import Severity
from gklint.formats import ReportOptions, is_streaming
from gklint.reporters.json import JsonReporter
from gklint.reporters.text import TextReporter
from gklint.results import FileResult, RunTally
from gklint.testing import FLATTENINGS, make_docx, make_report

BAD_NUMBER = ("国办公开办函〔2021〕30号", "国办公开办函[2021]30号")


def _mixed(root: Path) -> None:
    """Reports in every flattening, HTML, .docx, defects, unreadable files, nested directories.

    ``a/…`` and ``a-b.txt`` sort differently by walk order and by path ('-' < '/').
    """
    for sub in ("", "a", "a/deep", "b"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    kinds = (*FLATTENINGS, "html")
    for i in range(16):
        kind = kinds[i % len(kinds)]
        text = make_report(flattening=kind, agency=f"东平市第{i}局", layout="2020" if i % 4 == 3 else "2021")
        if i % 3 == 0:
            text = text.replace(*BAD_NUMBER)
        if i % 5 == 0:
            text = text.replace("电话：0538-5261234", "电话：5261")
        sub = ("", "a", "a/deep", "b")[i % 4]
        (root / sub / f"r{i:02d}.{'html' if kind == 'html' else 'txt'}").write_text(text, encoding="utf-8")
    (root / "a-b.txt").write_text(make_report().replace(*BAD_NUMBER), encoding="utf-8")
    (root / "a" / "w.docx").write_bytes(make_docx(agency="东平市第99局"))
    (root / "empty.txt").write_bytes(b"")
    (root / "b" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["--isolated", *args])
    out, err = capsys.readouterr()
    assert isinstance(exited.value.code, int)
    return exited.value.code, out, err


def _whole_run(args: list[str], options: ReportOptions, **config: object) -> str:
    """The text report written the old way: every result collected first, then ``TextReporter.write``."""
    result = Linter(Config().override(**config)).lint_paths(args)
    out = io.StringIO()
    TextReporter().write(result, out, options)
    return out.getvalue()


@pytest.mark.parametrize(("flags", "options", "config"), [
    ((), ReportOptions(), {}),
    (("--statistics", "--lang", "en"), ReportOptions(lang="en", statistics=True), {"lang": "en"}),
    (("-q", "--statistics"), ReportOptions(quiet=True, statistics=True), {}),
    (("--show-source", "--fail-on", "warning"), ReportOptions(show_source=True), {"fail_on": "warning"}),
])
def test_streamed_text_is_the_whole_run_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str], flags: tuple[str, ...],
                                             options: ReportOptions, config: dict[str, object]) -> None:
    _mixed(tmp_path / "c")
    (tmp_path / "z.txt").write_text(make_report(flattening="tabs").replace(*BAD_NUMBER), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["z.txt", "c"]  # not in path order on the command line
    expected = _whole_run(args, options, **config)
    one = _cli(capsys, "-j", "1", *flags, *args)
    two = _cli(capsys, "-j", "2", *flags, *args)
    assert one == two
    assert one[1] == expected
    assert one[0] == 2  # two unreadable files
    if not options.quiet:
        shown = [line.split(":")[0] for line in one[1].splitlines() if ": GK" in line]
        assert shown == sorted(shown) and "c/a-b.txt" in shown and "z.txt" in shown
        assert shown.index("c/a-b.txt") < shown.index("c/a/r09.txt")


def test_streamed_text_to_output_file_and_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.txt").write_text(make_report().replace(*BAD_NUMBER), encoding="utf-8")
    Path("ok.txt").write_text(make_report(), encoding="utf-8")
    code, out, err = _cli(capsys, "-o", "report.txt", "--fail-on", "warning", "bad.txt", "ok.txt")
    assert (code, out, err) == (1, "", f"gklint: 检查结果已写入 {tmp_path / 'report.txt'}\n")  # a GK401 warning, failing at --fail-on warning
    assert Path("report.txt").read_text(encoding="utf-8") == _whole_run(["bad.txt", "ok.txt"], ReportOptions())
    assert _cli(capsys, "--fail-on", "warning", "ok.txt")[0] == 0
    assert _cli(capsys, "bad.txt")[0] == 0  # the default --fail-on error: a warning does not fail


def test_text_streams_json_does_not() -> None:
    assert is_streaming(TextReporter())
    assert not is_streaming(JsonReporter())


def test_tally_counts_like_the_whole_run(tmp_path: Path) -> None:
    _mixed(tmp_path)
    result = Linter(Config()).lint_paths([tmp_path])
    tally = RunTally.of(result.files)
    assert tally.files == len(result.files) == 20
    assert tally.unreadable == 2
    assert tally.findings == sum(len(f.findings) for f in result.files) > 0
    assert tally.by_rule["GK401"] == 5  # r00 r06 r09 r12 and a-b.txt (r03, r15: the 2020 layout cites another 文号)
    assert tally.execution_successful(result) == result.execution_successful
    assert tally.hit(Severity.WARNING) and not tally.hit(None)


def test_the_cli_keeps_no_file_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """When the summary is written, no more than the last file's result is still alive (40 files linted)."""
    bad = make_report().replace(*BAD_NUMBER)
    for i in range(40):
        (tmp_path / f"{i:02d}.txt").write_text(bad, encoding="utf-8")
    alive: list[int] = []
    finish = TextReporter.finish

    def counting_finish(self: TextReporter, tally: RunTally) -> None:
        gc.collect()
        alive.append(sum(1 for o in gc.get_objects() if isinstance(o, FileResult)))
        finish(self, tally)

    monkeypatch.setattr(TextReporter, "finish", counting_finish)
    code, out, _ = _cli(capsys, "-j", "1", "-q", "--fail-on", "warning", str(tmp_path))
    assert code == 1 and out.count("GK401") == 40
    assert len(alive) == 1 and alive[0] <= 2, alive


_PEAK = ("import resource, subprocess, sys\n"
         "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)\n"
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


@pytest.mark.skipif(not hasattr(resource, "getrusage") or sys.platform == "darwin", reason="ru_maxrss in KiB: Linux")
def test_peak_memory_does_not_grow_with_the_number_of_files(tmp_path: Path) -> None:
    """200 and 1,000 short reports with 9 findings each: the text report's peak RSS differs by < 2.5 MiB.

    Collecting every result first (the code before streaming) grew it by about 8 MiB here.
    The files have the same text, so the bounded look-up caches fill alike and
    only what is kept per file could make a difference.
    """
    short = "\n".join(make_report().replace("〔", "[").replace("〕", "]").splitlines()[:12])
    peaks = []
    for n in (200, 1000):
        corpus = tmp_path / str(n)
        corpus.mkdir()
        for i in range(n):
            (corpus / f"{i:04d}.txt").write_text(short, encoding="utf-8")
        cmd = [sys.executable, "-c", _PEAK, sys.executable, "-m", "gklint", "--isolated", "-j", "1", str(corpus)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, env={**os.environ}).stdout
        peaks.append(int(out) / 1024)
    assert peaks[1] - peaks[0] < 2.5, peaks
