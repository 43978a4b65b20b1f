"""Issue 15's hardening of the command line and the core: hostile or huge input, plugins that exit, odd paths."""

from __future__ import annotations

import pytest

from gklint.api import Linter
from gklint.config import Config, ConfigError
from gklint.testing import run_cli

run = run_cli


# -- a selection that selects nothing --------------------------------------------------------


@pytest.mark.parametrize("select", ["", "GKX99", "GKX99,ZZ"])
def test_select_that_selects_nothing_is_a_usage_error(capsys, workdir, select) -> None:
    code, out, err = run(capsys, "--isolated", "--select", select, "报告.txt")
    assert code == 2 and out == ""
    assert "select" in err


def test_empty_select_in_the_configuration_is_an_error(tmp_path) -> None:
    from gklint.config import parse_config

    with pytest.raises(ConfigError, match="select"):
        parse_config({"select": []}, str(tmp_path / "gklint.toml"), tmp_path)
    with pytest.raises(ConfigError, match="matches no loaded rule"):
        Linter(Config().override(select=["GKX9"]))
    # selecting nothing but extending is a selection
    assert parse_config({"select": [], "extend-select": ["GK2"]}, str(tmp_path / "gklint.toml"), tmp_path)


# -- a plugin that exits ------------------------------------------------------------------------

EXITING_RULES = '''
import sys

def _exit(doc, ctx):
    sys.exit(0)
    yield

def _interrupt(doc, ctx):
    raise KeyboardInterrupt
    yield

RULES.append(make("TST900", fn=_exit))
RULES.append(make("TST901", fn=_interrupt))
'''


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_rule_calling_sys_exit_is_a_plugin_failure_not_a_pass(site, workdir, kit, capsys, monkeypatch, jobs) -> None:
    import io

    site.add("gklint-exiting", {"exiting": "gkt_exiting"}, {"gkt_exiting": kit.pack_module(["TST101"], EXITING_RULES)})
    (workdir / "二.txt").write_text("没有占位符\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("没有占位符\n".encode())))
    code, out, err = run(capsys, "--isolated", "--select", "TST9", "--format", "json", "-j", jobs,
                         "--stdin-filename", "x.txt", "-", "二.txt")
    assert code == 2
    import json

    notes = [n for f in json.loads(out)["files"] for n in f["notifications"]]
    assert {(n["kind"], n["rule_id"]) for n in notes} == {("rule-crash", "TST900"), ("rule-crash", "TST901")}
    assert any("SystemExit" in n["message"] for n in notes) and any("KeyboardInterrupt" in n["message"] for n in notes)


def test_sys_exit_in_a_rule_reader_or_reporter_through_the_api(kit) -> None:
    import sys

    from gklint.api import publishable

    def exiting(doc, ctx):
        sys.exit(0)
        yield

    result = Linter(autoload=False, plugins=[kit.Pack(rules=[kit.make_rule("TST100", exiting)],
                                                       readers=[kit.Utf8Reader()])]).lint_text("正文")
    assert not publishable(result)
    assert [n.rule_id for n in result.notifications] == ["TST100"] and "SystemExit" in result.notifications[0].message.en

    class ExitingReader(kit.Utf8Reader):
        def read(self, data, path, limits):
            raise SystemExit(0)

    result = Linter(autoload=False, plugins=[kit.Pack(rules=[kit.make_rule()], readers=[ExitingReader()])]).lint_text("x")
    assert not result.readable and "SystemExit" in result.notifications[0].message.en


# -- many findings ----------------------------------------------------------------------------

_ROW = "\t\n\t\n\t4.保护第三方合法权益\n\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n\n"


def _repeated_rows(count: int) -> str:
    from gklint.testing import make_report

    report = make_report()
    at = report.index(_ROW)
    return report[:at] + _ROW * count + report[at:]


def _plain_logical_path(doc, span) -> str:
    """The logical path as it was computed before the index: a walk over every cell."""
    at = span.start
    parts: list[str] = []
    section = doc.section_at(at)

    def table_path() -> list[str]:
        for table in doc.tables.values():
            if table.span is None or not table.span.start <= at <= table.span.end:
                continue
            for row in table.rows:
                for cell in row.cells:
                    if cell.span is not None and cell.span.start <= at <= max(cell.span.end - 1, cell.span.start):
                        grouped = row.group and row.group != "三、本年度办理结果"
                        return [row.group, row.label, cell.column_label] if grouped else [row.label, cell.column_label]
                if row.label_span is not None and row.label_span.start <= at < row.label_span.end:
                    return [row.label]
            return [table.title and f"表{table.id[-1]}"]
        return []

    if section is not None:
        parts.append(f"{section.number}、{section.canonical_title or section.title}")
        parts.extend(table_path() or doc._heading_path(section, at))
    elif doc.sections and at < doc.sections[0].heading_span.start:
        parts.append("标题与导语")
    for start, end, label in doc.logical:
        if start <= at < end:
            parts.append(label)
            break
    return " › ".join(p for p in parts if p)


@pytest.mark.parametrize("flattening", ["cells", "pipes", "html"])
def test_the_indexed_logical_path_is_the_walk_over_every_cell(flattening) -> None:
    import random

    from gklint.model import Span
    from gklint.testing import load_document, make_report

    text = make_report(flattening=flattening)
    doc = load_document(text, "r.html" if flattening == "html" else "r.txt")
    rng = random.Random(15)
    doc.logical.extend((s, s + rng.randint(0, 40), f"L{i}") for i, s in
                       enumerate(rng.randrange(len(doc.text)) for _ in range(200)))
    for at in [*range(len(doc.text) + 1)]:
        assert doc.logical_path(Span(at, at)) == _plain_logical_path(doc, Span(at, at)), at


def test_many_findings_are_located_fast_and_capped_per_rule() -> None:
    import time

    from gklint.readers.base import Limits

    text = _repeated_rows(6400)
    started = time.perf_counter()
    capped = Linter(Config()).lint_text(text)
    uncapped = Linter(Config(limits=Limits(max_findings_per_rule=10_000))).lint_text(text)
    assert time.perf_counter() - started < 10  # 30 s for one run when each finding walked every cell
    assert sum(f.rule_id == "GK304" for f in uncapped.findings) == 6400
    gk304 = [f for f in capped.findings if f.rule_id == "GK304"]
    assert len(gk304) == 101 and "6300" in gk304[-1].message.zh and "max-findings-per-rule" in gk304[-1].message.en
    assert gk304[:100] == [f for f in uncapped.findings if f.rule_id == "GK304"][:100]


# -- slow paths under 1 MB, memory on empty lines -----------------------------------------------


def test_400_kb_of_numeral_lines_is_read_in_linear_time() -> None:
    import time

    linter = Linter(Config())
    started = time.perf_counter()
    result = linter.lint_bytes("一\n".encode() * 140_000, "一.txt")  # 420 KB
    assert result.readable and time.perf_counter() - started < 4  # 9 s when each row label re-tokenised the text


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/status"), reason="reads /proc/self/status")
def test_empty_lines_after_a_report_cost_little_memory(tmp_path) -> None:
    import subprocess
    import sys

    from gklint.testing import make_report

    path = tmp_path / "r.txt"
    path.write_text(make_report() + "\n" * 10_000_000, encoding="utf-8")
    # (the peak of this process's own memory: ru_maxrss would count the parent's from before exec)
    code = ("from gklint.api import Linter\nfrom gklint.config import Config\n"
            f"r = Linter(Config()).lint_file({str(path)!r})\nassert r.readable, r.notifications\n"
            "print([line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')][0])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # 10 MB of line breaks: 1.6 GB when each line had a tuple, a list entry and an int of its own
    assert int(out) < 400_000, out  # KiB


def test_line_starts_built_a_chunk_at_a_time_are_the_line_breaks(monkeypatch) -> None:
    import random
    import re

    from gklint import positions

    monkeypatch.setattr(positions, "_CHUNK", 3)
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice("ab\n汉") for _ in range(rng.randint(0, 30)))
        assert list(positions.line_starts(text)) == [0, *(m.end() for m in re.finditer("\n", text))]


# -- huge numbers -------------------------------------------------------------------------------


def test_a_number_of_4301_digits_is_a_value_out_of_range() -> None:
    from gklint.testing import make_report

    report, big = make_report(), "9" * 4301
    in_cell = report.replace("\t5\n\t2\n\t0\n\t0\n\t1\n\t0\n\t8", f"\t{big}\n\t2\n\t0\n\t0\n\t1\n\t0\n\t8", 1)
    in_prose = report.replace("主动公开政府信息236条", f"主动公开政府信息{big}条", 1)
    in_words = report.replace("主动公开政府信息236条", f"主动公开政府信息{'九' * 4301}条", 1)
    assert in_cell != report and in_prose != report and in_words != report
    linter = Linter(Config())
    for text in (in_cell, in_prose, in_words):
        result = linter.lint_text(text)
        assert result.readable and not result.notifications, result.notifications
    [gk205] = [f for f in linter.lint_text(in_cell).findings if f.rule_id == "GK205"]
    assert "out of range" in gk205.message.en and "4301" in gk205.message.en


# -- a hanging rule ---------------------------------------------------------------------------


def _hang(doc, ctx):
    if "stuck" in doc.path:
        while True:
            pass
    return iter(())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hanging_rule_keeps_the_findings_of_the_rules_that_finished(tmp_path, kit, jobs) -> None:
    from gklint.readers.base import Limits
    from gklint.testing import make_report

    bad = make_report().replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号")
    for name in ("a-stuck.txt", "b.txt"):
        (tmp_path / name).write_text(bad, encoding="utf-8")
    hang = kit.make_rule("ZZZ001", _hang)  # after the national rules (rules run in id order)
    config = Config(limits=Limits(max_seconds_per_document=1)).override(select=["GK401", "ZZZ"])
    linter = Linter(config, plugins=[("hang-pack", kit.Pack(rules=[hang]))])
    stuck, other = linter.lint_paths([str(tmp_path)], jobs=jobs).files
    assert [f.rule_id for f in stuck.findings] == ["GK401"] == [f.rule_id for f in other.findings]
    [note] = stuck.notifications
    assert (note.kind, note.rule_id, note.level) == ("timeout", "ZZZ001", "error") and "incompletely" in note.message.en
    assert stuck.readable and not other.notifications


# -- --output onto special files and walked inputs --------------------------------------------------


def test_output_onto_a_fifo_writes_into_it_and_leaves_it_a_fifo(tmp_path, workdir, capsys) -> None:
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    try:
        code, _, err = run(capsys, "--isolated", "--format", "json", "-o", str(fifo), "报告.txt")
    finally:
        if reader.is_alive():  # unblock the reader if nothing opened the FIFO for writing
            with open(fifo, "wb"):
                pass
        reader.join(10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert code in (0, 1), err
    assert b'"files"' in got[0]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".gklint-tmp")]


def test_output_onto_a_file_found_by_walking_a_directory_is_refused(workdir, capsys) -> None:
    (workdir / "sub").mkdir()
    inner = workdir / "sub" / "二.txt"
    inner.write_text("原文\n", encoding="utf-8")
    code, out, err = run(capsys, "--isolated", "-o", "sub/二.txt", ".")
    assert code == 2 and "sub/二.txt" in err
    assert inner.read_text(encoding="utf-8") == "原文\n"
    import os

    os.link(inner, workdir / "硬链接.txt")  # the same file under another name
    code, out, err = run(capsys, "--isolated", "-o", "硬链接.txt", "sub")
    assert code == 2 and inner.read_text(encoding="utf-8") == "原文\n"


# -- the directory walk -------------------------------------------------------------------------


def test_the_walk_stays_in_the_tree_and_reads_only_reader_suffixes(tmp_path, workdir, capsys) -> None:
    import json
    import os

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("口令\n", encoding="utf-8")
    tree = workdir / "tree"
    tree.mkdir()
    (tree / "报告.txt").write_text("正文\n", encoding="utf-8")
    (tree / "LICENSE").write_text("MIT License\n", encoding="utf-8")
    (tree / "blob").write_bytes(b"\x00\x01binary")
    (tree / "inner").mkdir()
    (tree / "inner" / "二.txt").write_text("正文\n", encoding="utf-8")
    os.symlink(outside, tree / "out-dir")
    os.symlink(outside / "secret.txt", tree / "out-file.txt")
    os.symlink(tree / "inner", tree / "in-dir")  # inside the tree: followed (and read once)

    def walked(*extra: str) -> list[str]:
        code, out, err = run(capsys, "--isolated", "--format", "json", *extra, "tree")
        return [f["path"] for f in json.loads(out)["files"]]

    assert walked() == ["tree/in-dir/二.txt", "tree/报告.txt"]
    # (out-file.txt is the same file as out-dir/secret.txt: read once)
    assert walked("--follow-links") == ["tree/in-dir/二.txt", "tree/out-dir/secret.txt",
                                        "tree/报告.txt"]
    # a file named on the command line is read whatever its name
    code, out, err = run(capsys, "--isolated", "--format", "json", "tree/LICENSE")
    assert [f["path"] for f in json.loads(out)["files"]] == ["tree/LICENSE"]


# -- --fix on files that are not simply ours ------------------------------------------------------

_NUMBER = "（国办公开办函〔2021〕30号）"


def _fixable(tmp_path):
    from gklint.testing import make_report

    path = tmp_path / "报告.txt"
    path.write_text(make_report().replace(_NUMBER, "（国办公开办函[2021]第30号）", 1), encoding="utf-8")
    return path


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() != 0,
                    reason="giving a file to another user needs root")
def test_fix_as_root_keeps_the_owner_and_group(tmp_path) -> None:
    import os

    from gklint.fixes import fix_file

    path = _fixable(tmp_path)
    os.chown(path, 4321, 8765)
    assert fix_file(Linter(Config()), path).applied == 1
    st = os.stat(path)
    assert (st.st_uid, st.st_gid) == (4321, 8765) and _NUMBER in path.read_text(encoding="utf-8")


def test_fix_refuses_a_read_only_file_unless_forced(tmp_path, capsys, monkeypatch) -> None:
    import os

    monkeypatch.chdir(tmp_path)
    path = _fixable(tmp_path)
    before = path.read_bytes()
    path.chmod(0o444)
    code, out, err = run(capsys, "--isolated", "--fix", "报告.txt")
    assert path.read_bytes() == before and "read-only" not in err and "只读" in err
    code, out, err = run(capsys, "--isolated", "--fix", "--force", "报告.txt")
    assert _NUMBER in path.read_text(encoding="utf-8") and os.stat(path).st_mode & 0o777 == 0o444


def test_fix_refuses_a_file_with_hard_links(tmp_path) -> None:
    import os

    from gklint.fixes import FixError, fix_file

    path = _fixable(tmp_path)
    os.link(path, tmp_path / "link.txt")
    with pytest.raises(FixError, match="hard link"):
        fix_file(Linter(Config()), path, force=True)
    assert os.stat(path).st_nlink == 2 and os.path.samefile(path, tmp_path / "link.txt")


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path) -> None:
    import subprocess
    import sys

    from gklint import atomic
    from gklint.fixes import fix_file

    path = _fixable(tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    stale = tmp_path / f".报告.txt.{dead}.abc123.gklint-tmp"
    stale.write_bytes(b"half")
    living = tmp_path / f".报告.txt.{__import__('os').getppid()}.def456.gklint-tmp"  # a live run's
    living.write_bytes(b"busy")
    atomic._cleaned.discard(str(tmp_path))
    fix_file(Linter(Config()), path)
    assert not stale.exists() and living.exists()


# -- file names ---------------------------------------------------------------------------------


def test_file_names_that_are_not_utf8_or_hold_control_characters(tmp_path, capsys, monkeypatch) -> None:
    import json
    import os

    from gklint.testing import make_report

    tree = tmp_path / "tree"
    tree.mkdir()
    bad = make_report().replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号")
    names = [b"bad\xff.txt", b"nl\nx.txt:1:1: GK999 fake.txt", b"esc\x1b[31mred.txt"]
    for name in names:
        with open(os.path.join(os.fsencode(tree), name), "wb") as fh:
            fh.write(bad.encode())
    monkeypatch.chdir(tmp_path)
    for fmt in ("json", "sarif", "html"):
        code, out, err = run(capsys, "--isolated", "-j", "1", "--format", fmt, "-o", f"out.{fmt}", "tree")
        assert code in (0, 1), err
    files = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["files"]
    assert sorted(os.fsencode(f["path"]) for f in files) == sorted(b"tree/" + n for n in names)  # lossless
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    uris = {a["location"]["uri"] for a in sarif["runs"][0]["artifacts"]}
    assert "tree/bad%FF.txt" in uris and "tree/nl%0Ax.txt%3A1%3A1%3A%20GK999%20fake.txt" in uris
    assert "tree/bad\\xff.txt" in (tmp_path / "out.html").read_text(encoding="utf-8")
    code, out, err = run(capsys, "--isolated", "-j", "1", "tree")
    assert "\x1b" not in out and "GK999" not in out.replace("nl\\nx.txt:1:1: GK999 fake.txt", "")
    assert "tree/bad\\xff.txt:" in out and "tree/esc\\x1b[31mred.txt:" in out


# -- configuration and baseline --------------------------------------------------------------------


@pytest.mark.parametrize(("toml", "message"), [
    ("[limits]\nmax-seconds-per-document = 9223372036854775807\n",
     "limits.max-seconds-per-document must be an integer from 1 to 86400 (got 9223372036854775807)"),
    ("[limits]\nmax-file-bytes = 9223372036854775807\n", "limits.max-file-bytes must be an integer from 1 to 68719476736"),
    ("[limits]\nmax-findings-per-rule = 0\n", "limits.max-findings-per-rule must be an integer from 1 to 1000000 (got 0)"),
    ("[rules.GK299]\nx = 1\n", "[rules.GK299] names no rule (did you mean GK2"),
    ("[plugins.national-tabels]\nx = 1\n", "[plugins.national-tabels] names no plugin (did you mean national-tables?)"),
])
def test_configuration_out_of_range_or_naming_nothing_is_a_precise_error(workdir, capsys, toml, message) -> None:
    (workdir / "gklint.toml").write_text(toml, encoding="utf-8")
    code, out, err = run(capsys, "--lang", "en", "-j", "1", "报告.txt")
    assert code == 2 and out == ""
    assert message in err and "internal error" not in err and "gklint.toml" in err


@pytest.mark.parametrize(("count", "message"), [
    ('"3"', "files[\"报告.txt\"][0].count must be an integer from 1 to 1000000000 (got '3')"),
    ("2.5", "count must be an integer from 1 to 1000000000 (got 2.5)"),
    ("true", "count must be an integer from 1 to 1000000000 (got True)"),
    ("0", "(got 0)"),
    ("1" + "0" * 4400, "cannot read baseline file"),
    ("Infinity", "(got inf)"),
])
def test_baseline_counts_that_are_not_counts_are_precise_errors(workdir, capsys, count, message) -> None:
    entry = '{"rule": "GK401", "logical": "", "message": "m", "key": [], "count": ' + count + "}"
    (workdir / "base.json").write_text('{"gklint_baseline": 1, "files": {"报告.txt": [' + entry + "]}}", encoding="utf-8")
    code, out, err = run(capsys, "--isolated", "--lang", "en", "--baseline", "base.json", "-j", "1", "报告.txt")
    assert code == 2 and message in err and "internal error" not in err, err
