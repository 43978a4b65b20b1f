"""Batch benchmark: cold start, throughput with -j 1 / -j 2, peak memory, growth from 100 to 10,000 reports.

Usage: python benchmarks/bench_batch.py [--sizes 100,1000,10000] [--repeat 10] [--corpus DIR] [--seeds DIR]

The corpus is generated once (``gklint.testing.make_report`` variants in every
text flattening and both layouts, about a third with a defect: a changed
number, a wrong bracket, a missing section) into DIR (a temporary directory
by default; an existing corpus there is reused).  A smaller mixed corpus adds
HTML and .docx.  With ``--seeds DIR`` (by default ``../shared/seeds`` beside
the checkout, when it is there), 1,000 copies of those real reports (about
10 KB each, larger than the generated ones) are linted as well: the figure
that says how fast gklint is on what users send.  Every measurement runs the real ``gklint`` command in a
subprocess, with Python's bytecode cache on (in a temporary
``PYTHONPYCACHEPREFIX``), as for an installed package.

Peak memory is the largest resident set of any one gklint process (the main
process or a worker), from ``getrusage(RUSAGE_CHILDREN)`` of a wrapper.

Targets (issue 7, 2-core machine): cold start < 3 × ``python3 -c "import
click, pluggy, lxml.etree"``; >= 500 text reports per second per core; time
linear in the number of reports; peak memory independent of it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gklint.testing import FLATTENINGS, make_docx, make_report

AGENCY = "东平市工业和信息化局"
WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "took = time.perf_counter() - t\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(took, use.ru_maxrss, code, use.ru_utime + use.ru_stime)\n"
)


def _variants() -> list[tuple[str, str]]:
    """(suffix-less kind, text): every flattening x layout, clean and with one of three defects."""
    out = []
    for layout in ("2021", "2020"):
        for flattening in FLATTENINGS:
            text = make_report(flattening=flattening, layout=layout)
            out.append((f"{flattening}-{layout}", text))
            out.append((f"{flattening}-{layout}-number", text.replace("共收到政府信息公开申请8件", "共收到政府信息公开申请9件")))
            out.append((f"{flattening}-{layout}-bracket", text.replace("〔", "[").replace("〕", "]")))
            out.append((f"{flattening}-{layout}-section", text.replace("五、存在的主要问题及改进情况", "")))
    return out


def make_corpus(root: Path, n: int) -> Path:
    """*n* text reports under ``root/text-N`` (reused when already there)."""
    target = root / f"text-{n}"
    if target.is_dir() and len(os.listdir(target)) == n:
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    variants = _variants()
    for i in range(n):
        kind, text = variants[i % len(variants)]
        # a different agency per report: the text differs, the structure does not
        (target / f"{i:05d}-{kind}.txt").write_text(text.replace(AGENCY, f"东平市第{i}局"), encoding="utf-8")
    return target


def make_mixed(root: Path, n: int = 200) -> Path:
    """*n* reports: text, HTML and .docx in equal parts."""
    target = root / f"mixed-{n}"
    if target.is_dir() and len(os.listdir(target)) == n:
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    html = make_report(flattening="html")
    docx = [make_docx(agency=f"东平市第{i}局") for i in range(5)]
    texts = _variants()
    for i in range(n):
        if i % 3 == 0:
            (target / f"{i:05d}.html").write_text(html.replace(AGENCY, f"东平市第{i}局"), encoding="utf-8")
        elif i % 3 == 1:
            (target / f"{i:05d}.docx").write_bytes(docx[i % len(docx)])
        else:
            (target / f"{i:05d}.txt").write_text(texts[i % len(texts)][1], encoding="utf-8")
    return target


def make_seed_corpus(root: Path, seeds: Path, n: int = 1000) -> Path:
    """*n* copies of the ``*.txt`` reports in *seeds*, in turn, under ``root/seeds-N``."""
    target = root / f"seeds-{n}"
    sources = sorted(seeds.glob("*.txt"))
    if target.is_dir() and len(os.listdir(target)) == n:
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for i in range(n):
        shutil.copyfile(sources[i % len(sources)], target / f"{i:05d}-{sources[i % len(sources)].name}")
    return target


def _env(pycache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def _measure(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int, float]:
    """(wall seconds, peak RSS of the largest process in KiB, exit code, CPU seconds of all processes)."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2]), float(out[3])


def gklint_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "gklint", "--isolated", *args]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=10, help="cold-start runs (median)")
    parser.add_argument("--corpus", type=Path, help="directory for the generated corpus (kept)")
    here = Path(__file__).resolve()
    default_seeds = here.parents[2] / "shared" / "seeds" if len(here.parents) > 2 else None
    parser.add_argument("--seeds", type=Path, default=default_seeds if default_seeds and default_seeds.is_dir() else None,
                        help="a directory of real .txt reports to copy 1,000 times (default ../shared/seeds)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    keep = args.corpus is not None
    root = args.corpus or Path(tempfile.mkdtemp(prefix="gklint-bench-"))
    pycache = Path(tempfile.mkdtemp(prefix="gklint-pycache-"))
    env = _env(pycache)
    figures: dict[str, object] = {}
    try:
        t = time.perf_counter()
        corpora = {n: make_corpus(root, n) for n in sizes}
        mixed = make_mixed(root)
        print(f"corpus: {sum(sizes)} text + {len(os.listdir(mixed))} mixed reports in {time.perf_counter() - t:.1f} s")

        one = next(iter(sorted(corpora[min(sizes)].iterdir())))
        baseline_cmd = [sys.executable, "-c", "import click, pluggy, lxml.etree"]
        _measure(gklint_cmd(str(one)), env)  # fill the bytecode cache
        _measure(baseline_cmd, env)
        cold = statistics.median(_measure(gklint_cmd(str(one)), env)[0] for _ in range(args.repeat))
        base = statistics.median(_measure(baseline_cmd, env)[0] for _ in range(args.repeat))
        figures["cold_start_s"], figures["import_baseline_s"] = cold, base
        print(f"\ncold start, one report      {cold * 1000:7.0f} ms   (import click, pluggy, lxml.etree: "
              f"{base * 1000:.0f} ms; ratio {cold / base:.1f}, target < 3)")

        print(f"\n{'reports':>8} {'jobs':>5} {'seconds':>8} {'reports/s':>10} {'per core':>9} "
              f"{'per CPU-s':>10} {'peak MiB':>9}")
        rows = []

        def row(n: int, jobs: int, corpus: Path, note: str = "") -> dict[str, float]:
            took, rss, _, cpu = _measure(gklint_cmd("-j", str(jobs), str(corpus)), env)
            print(f"{n:>8} {jobs:>5} {took:>8.2f} {n / took:>10.0f} {n / took / jobs:>9.0f} {n / cpu:>10.0f} "
                  f"{rss / 1024:>9.1f}{note}")
            return {"reports": n, "jobs": jobs, "seconds": took, "per_second": n / took,
                    "per_cpu_second": n / cpu, "peak_mib": rss / 1024}

        for n in sizes:
            for jobs in (1, 2):
                rows.append(row(n, jobs, corpora[n]))
        figures["text"] = rows
        n_mixed = len(os.listdir(mixed))
        figures["mixed"] = [row(n_mixed, jobs, mixed, "   (mixed: 1/3 each .txt, .html, .docx)") for jobs in (1, 2)]
        if args.seeds is not None and any(args.seeds.glob("*.txt")):
            seeds = make_seed_corpus(root, args.seeds)
            n_seeds = len(os.listdir(seeds))
            figures["seeds"] = [row(n_seeds, jobs, seeds, f"   (copies of the real reports in {args.seeds.name}/)")
                                for jobs in (1, 2)]
        if len(sizes) > 1:
            small, large = min(sizes), max(sizes)
            for jobs in (1, 2):
                a = next(r for r in rows if r["reports"] == small and r["jobs"] == jobs)
                b = next(r for r in rows if r["reports"] == large and r["jobs"] == jobs)
                per_a = a["seconds"] / small  # type: ignore[operator]
                per_b = b["seconds"] / large  # type: ignore[operator]
                print(f"-j {jobs}: {per_a * 1000:.2f} ms/report at {small}, {per_b * 1000:.2f} ms/report at {large}; "
                      f"peak memory {a['peak_mib']:.1f} -> {b['peak_mib']:.1f} MiB")
        print(f"\nmachine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
              f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
        if args.json:
            print(json.dumps(figures, indent=2))
    finally:
        shutil.rmtree(pycache, ignore_errors=True)
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
