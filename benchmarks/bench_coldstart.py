"""Cold start: ``python -m gklint --isolated FILE`` against ``python -c "import click, pluggy, lxml.etree"``.

Usage: python benchmarks/bench_coldstart.py [--repeat 9] [--phases] [--tree DIR ...] [FILE]

Runs the command on one report (``make_report()`` when no FILE is given) and the
import baseline alternately, so load from other processes on the machine hits
both alike, with Python's bytecode cache on (in a temporary
``PYTHONPYCACHEPREFIX``), and prints the medians and their ratio (issue 7:
below 3).  Each ``--tree DIR`` is a source checkout run the same way, in turn
with the others (``python -m gklint`` started in DIR imports DIR's ``gklint``):
before/after comparisons of a change.  ``--phases`` adds, in process, the median
time to import the command line, to build a ``Linter`` (plugins and standard
data), and to lint the report the first and the second time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = "import click, pluggy, lxml.etree"
PHASES = """
import sys, time
t0 = time.perf_counter()
import gklint.cli
from gklint.api import Linter
t1 = time.perf_counter()
linter = Linter()
t2 = time.perf_counter()
linter.lint_file(sys.argv[1])
t3 = time.perf_counter()
linter.lint_file(sys.argv[1])
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""


def _run(cmd: list[str], cwd: str | None, env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", help="the report to lint (default: a generated one)")
    parser.add_argument("--repeat", type=int, default=9, help="runs of each command (median)")
    parser.add_argument("--phases", action="store_true", help="time the phases in process too")
    parser.add_argument("--tree", action="append", default=[], metavar="DIR", help="a source checkout to compare")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="gklint-cold-") as tmp:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        report = args.file
        if report is None:
            from gklint.testing import make_report

            report = str(Path(tmp) / "report.txt")
            Path(report).write_text(make_report(), encoding="utf-8")
        report = os.path.abspath(report)
        gklint = [sys.executable, "-m", "gklint", "--isolated", report]
        commands: dict[str, tuple[list[str], str | None]] = {"gklint": (gklint, None)}
        commands.update({tree: (gklint, tree) for tree in args.tree})
        commands["baseline"] = ([sys.executable, "-c", BASELINE], tmp)
        for cmd, cwd in commands.values():  # fill the bytecode cache
            _run(cmd, cwd, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, (cmd, cwd) in commands.items():
                times[name].append(_run(cmd, cwd, env))
        base = statistics.median(times["baseline"])
        for name, values in times.items():
            median = statistics.median(values)
            print(f"{name:<30} {median * 1000:7.1f} ms  (min {min(values) * 1000:.1f}, ratio {median / base:.2f})")

        if args.phases:
            rows = []
            for _ in range(args.repeat):
                out = subprocess.run([sys.executable, "-c", PHASES, report], env=env, capture_output=True,
                                     text=True, check=True).stdout
                rows.append([float(x) for x in out.split()])
            names = ("import gklint.cli", "Linter()", "first report", "second report")
            print()
            for name, values in zip(names, zip(*rows, strict=True), strict=True):
                print(f"{name:<30} {statistics.median(values) * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
