"""Many files: ``-j N`` gives the output of ``-j 1``, in the same order; a hanging rule is stopped.

The corpus is realistic: generated reports in every flattening, HTML and .docx,
some with defects, and a few unreadable files.
"""

from __future__ import annotations

import faulthandler
import gc
import io
import json
import os
import pickle
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from gklint import hookimpl
from gklint.api import Linter
from gklint.cli import main
from gklint.config import Config
from gklint.findings import Message, Severity
from gklint.model import Document
from gklint.parallel import run_inputs
from gklint.progress import MIN_FILES, ProgressBar
from gklint.readers.base import Limits
from gklint.rule import Rule
from gklint.testing import FLATTENINGS, make_docx, make_report


@pytest.fixture(autouse=True)
def _watchdog() -> Iterator[None]:
    faulthandler.dump_traceback_later(180, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def _corpus(root: Path, n: int = 30) -> list[Path]:
    """*n* reports: clean and defective, every text flattening, HTML, .docx, two unreadable files."""
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        flattening = (*FLATTENINGS, "html", "docx")[i % (len(FLATTENINGS) + 2)]
        agency = f"东平市第{i}局"
        if flattening == "docx":
            data = make_docx(agency=agency)
        else:
            text = make_report(flattening=flattening, agency=agency)
            if i % 3 == 0:
                text = text.replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号")
            if i % 4 == 0:
                text = text.replace("五、存在的主要问题及改进情况", "五、存在的问题")
            data = text.encode("gb18030" if i % 5 == 0 else "utf-8")
        suffix = {"html": ".html", "docx": ".docx"}.get(flattening, ".txt")
        path = root / f"{i:03d}-{flattening}{suffix}"
        path.write_bytes(data)
        paths.append(path)
    (root / "998-empty.txt").write_bytes(b"")
    (root / "999-image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return paths


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["--isolated", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert isinstance(exited.value.code, int)
    return exited.value.code, out, err


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_jobs_output_identical_to_sequential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    _corpus(tmp_path / "c")
    monkeypatch.chdir(tmp_path)
    one = _cli(capsys, "-j", "1", "--format", fmt, "--statistics", "c")
    two = _cli(capsys, "--jobs", "2", "--format", fmt, "--statistics", "c")
    three = _cli(capsys, "-j", "3", "--format", fmt, "--statistics", "c")
    assert one == two == three
    assert one[0] == 2  # two unreadable files
    if fmt == "json":
        files = json.loads(one[1])["files"]
        assert [f["path"] for f in files] == sorted(f["path"] for f in files)
        assert len(files) == 32 and sum(1 for f in files if f["findings"]) >= 10


def test_statistics_count_over_the_whole_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """GK401 (文号 brackets) once in each of 7 files: the table says 7 whatever -j is."""
    monkeypatch.chdir(tmp_path)
    bad = make_report().replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号")
    for i in range(7):
        Path(f"{i}.txt").write_text(bad, encoding="utf-8")
    Path("clean.txt").write_text(make_report(), encoding="utf-8")
    for jobs in ("1", "2"):
        code, out, _ = _cli(capsys, "-j", jobs, "-q", "--statistics", "--select", "GK401", "--fail-on", "warning", ".")
        assert code == 1
        rows = [line.split() for line in out.splitlines() if line.startswith("GK401  ")]
        assert rows == [["GK401", "7", "警告", *rows[0][3:]]], out


def test_results_come_in_input_order_even_when_the_first_is_slow(tmp_path: Path) -> None:
    def slow_first(doc: Document, ctx: object) -> Iterator[object]:
        if doc.path.endswith("000.txt"):
            time.sleep(0.5)
        return iter(())

    linter = _linter_with(slow_first, seconds=30)
    for i in range(6):
        (tmp_path / f"{i:03d}.txt").write_text(make_report(), encoding="utf-8")
    items = list(linter.iter_inputs([tmp_path]))
    done: list[int] = []
    results = list(run_inputs(linter, items, jobs=3, progress=lambda n, total: done.append(n)))
    assert [r.path.rsplit("/", 1)[-1] for r in results] == [f"{i:03d}.txt" for i in range(6)]
    assert done == [1, 2, 3, 4, 5, 6]


def test_results_pickle(tmp_path: Path) -> None:
    """What workers send back: FileResult with findings, related locations, fixes and notifications."""
    text = make_report().replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号").replace("电话：0538-5261234", "电话：5261")
    result = Linter(Config()).lint_bytes(text.encode(), "报告.txt")
    assert len(result.findings) >= 2 and any(f.fix or f.related for f in result.findings)
    assert pickle.loads(pickle.dumps(result)) == result
    unreadable = Linter(Config()).lint_bytes(b"", "空.txt")
    assert pickle.loads(pickle.dumps(unreadable)) == unreadable


# -- a rule that hangs -------------------------------------------------------------------------------


def _loop_forever(doc: Document, ctx: object) -> Iterator[object]:
    if "stuck" in doc.path:
        while True:
            pass
    return iter(())


def _regex_forever(doc: Document, ctx: object) -> Iterator[object]:
    """Catastrophic backtracking: stuck in C code, which no signal handler interrupts."""
    if "stuck" in doc.path:
        re.match(r"(a+)+$", "a" * 64 + "b")
    return iter(())


def _exit_worker(doc: Document, ctx: object) -> Iterator[object]:
    if "stuck" in doc.path:
        os._exit(3)
    return iter(())


class _Pack:
    def __init__(self, rule: Rule) -> None:
        self.rule = rule

    @hookimpl
    def gklint_rules(self) -> list[Rule]:
        return [self.rule]


def _hang_rule(check: object) -> Rule:
    return Rule("HNG001", "hangs", "测试", Severity.ERROR, Message("会卡住的规则", "a rule that hangs"),
                Message("测试", "test"), Message("测试", "test"), check)  # type: ignore[arg-type]


def _linter_with(check: object, seconds: int) -> Linter:
    rule = _hang_rule(check)
    config = replace(Config(), limits=Limits(max_seconds_per_document=seconds))
    return Linter(config, plugins=[("hang-pack", _Pack(rule))])


def _stuck_corpus(root: Path) -> list[str]:
    for name in ("a.txt", "b-stuck.txt", "c.txt", "d.txt"):
        text = make_report()
        if name == "c.txt":
            text = text.replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号")
        (root / name).write_text(text, encoding="utf-8")
    return [str(root)]


@pytest.mark.parametrize(("check", "jobs"), [(_loop_forever, 1), (_loop_forever, 2), (_regex_forever, 2)],
                         ids=["python-loop-j1", "python-loop-j2", "regex-in-c-j2"])
def test_hanging_rule_is_stopped_and_named(tmp_path: Path, check: object, jobs: int) -> None:
    linter = _linter_with(check, seconds=1)
    start = time.monotonic()
    result = linter.lint_paths(_stuck_corpus(tmp_path), jobs=jobs)
    took = time.monotonic() - start
    assert took < 10
    by_name = {Path(f.path).name: f for f in result.files}
    stuck = by_name["b-stuck.txt"]
    # the rules that finished keep their results (none here); the file is reported as checked incompletely
    assert stuck.readable and stuck.findings == []
    [note] = stuck.notifications
    assert (note.kind, note.rule_id, note.plugin, note.level) == ("timeout", "HNG001", "hang-pack", "error")
    assert note.message.zh == (
        "超过每个文件的时间上限 1 秒：规则 HNG001（插件 hang-pack）未在时限内结束；已运行完的规则的结果保留，"
        "此规则及其后的规则未运行，此文件的检查不完整（可调高配置 [limits] max-seconds-per-document）")
    assert "max-seconds-per-document" in note.message.en
    # the other files were checked as usual
    assert [f.rule_id for f in by_name["c.txt"].findings] == ["GK401"]
    assert by_name["a.txt"].readable and by_name["d.txt"].readable and by_name["d.txt"].findings == []


def test_worker_that_dies_is_replaced(tmp_path: Path) -> None:
    linter = _linter_with(_exit_worker, seconds=30)
    result = linter.lint_paths(_stuck_corpus(tmp_path), jobs=2)
    by_name = {Path(f.path).name: f for f in result.files}
    [note] = by_name["b-stuck.txt"].notifications
    assert (note.kind, note.rule_id) == ("rule-crash", "HNG001")
    assert note.message.zh.startswith("检查此文件的工作进程意外退出（退出码 3），当时正在运行：规则 HNG001（插件 hang-pack）")
    assert [f.rule_id for f in by_name["c.txt"].findings] == ["GK401"]


def test_timeout_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The configuration key reaches the run; the text report names file, rule and plugin; exit code 2."""
    import gklint.api

    real = gklint.api.Linter.__init__
    pack = _Pack(_hang_rule(_loop_forever))

    def with_hang_pack(self: Linter, config: Config | None = None, **kwargs: object) -> None:
        kwargs["plugins"] = [("hang-pack", pack)]
        real(self, config, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gklint.api.Linter, "__init__", with_hang_pack)
    _stuck_corpus(tmp_path)
    (tmp_path / "gklint.toml").write_text("[limits]\nmax-seconds-per-document = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["-j", "1", "--select", "HNG,GK401", "."])
    out, err = capsys.readouterr()
    assert exited.value.code == 2
    assert ("b-stuck.txt: 检查超时：超过每个文件的时间上限 1 秒：规则 HNG001（插件 hang-pack）未在时限内结束"
            in out), out + err


# -- progress bar and memory ----------------------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_for_many_files() -> None:
    tty = _Tty()
    bar = ProgressBar("zh", tty)
    for n in range(1, MIN_FILES + 1):
        bar(n, MIN_FILES)
    assert tty.getvalue() == ""  # 20 files: no bar
    for n in range(1, 101):
        bar(n, 100)
    drawn = tty.getvalue()
    assert "\r检查中 [" in drawn and "] 100/100" in drawn
    assert drawn.endswith("\r")  # erased at the end
    pipe = io.StringIO()
    piped = ProgressBar("zh", pipe)
    for n in range(1, 101):
        piped(n, 100)
    assert pipe.getvalue() == ""
    quiet = ProgressBar("zh", _Tty(), enabled=False)
    quiet(100, 100)
    assert not quiet.drawn


def test_cli_has_no_progress_bar_in_a_pipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _corpus(tmp_path / "c", n=25)
    monkeypatch.chdir(tmp_path)
    _, out, err = _cli(capsys, "-j", "2", "c")
    assert "检查中" not in out + err and "\r" not in out + err


def test_documents_are_released_one_by_one(tmp_path: Path) -> None:
    """After a run, at most one Document is still referenced (the per-document memo), not one per file."""
    _corpus(tmp_path, n=14)
    linter = Linter(Config())
    results = list(run_inputs(linter, list(linter.iter_inputs([tmp_path])), jobs=1))
    assert len(results) == 16
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, Document)]
    assert len(alive) <= 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_inputs_are_dropped_once_linted(tmp_path: Path, jobs: int) -> None:
    """The list of inputs shrinks as the run goes: what is kept per input does not pile up."""
    from gklint.api import InputFile
    from gklint.parallel import _Task

    _corpus(tmp_path, n=20)
    linter = Linter(Config())
    run = linter.iter_results([tmp_path], jobs=jobs)
    taken = [next(run) for _ in range(17)]
    assert len(taken) == 17
    gc.collect()
    alive = gc.get_objects()
    assert not [o for o in alive if isinstance(o, InputFile)]
    # the tasks not yet reported, and the one each worker (or this process) had last
    assert len([o for o in alive if isinstance(o, _Task)]) <= 22 - 17 + jobs
    assert len(list(run)) == 22 - 17
