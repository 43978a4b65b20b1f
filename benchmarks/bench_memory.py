"""Peak memory against the number of reports: the streamed text report against the whole-run JSON report.

Usage: python benchmarks/bench_memory.py [--sizes 100,1000,10000] [--jobs 1,2] [--corpus DIR]

Uses the corpus of ``bench_batch.py`` (same generator, reused when DIR already
holds it).  Each figure runs the real ``gklint`` command in a subprocess and
reports the peak resident set of the largest gklint process (main or worker),
from ``getrusage(RUSAGE_CHILDREN)`` of a wrapper, as ``bench_batch.py`` does.

The text format streams (each file's result is written and dropped as it
arrives), so its peak should not depend on the number of reports; JSON and
SARIF keep every file's result for the final document and grow with it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import _env, _measure, gklint_cmd, make_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--formats", default="text,json")
    parser.add_argument("--corpus", type=Path, help="directory for the generated corpus (kept)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs = [int(j) for j in args.jobs.split(",")]
    formats = args.formats.split(",")
    root = args.corpus or Path(tempfile.mkdtemp(prefix="gklint-bench-"))
    pycache = Path(tempfile.mkdtemp(prefix="gklint-pycache-"))
    env = _env(pycache)
    try:
        corpora = {n: make_corpus(root, n) for n in sizes}
        _measure(gklint_cmd(str(next(iter(sorted(corpora[min(sizes)].iterdir()))))), env)  # bytecode cache
        print(f"{'reports':>8} {'jobs':>5} {'format':>7} {'seconds':>8} {'peak MiB':>9}")
        for n in sizes:
            for j in jobs:
                for fmt in formats:
                    took, peak_kib, _code, _cpu = _measure(gklint_cmd("--format", fmt, "-j", str(j),
                                                                     str(corpora[n])), env)
                    print(f"{n:>8} {j:>5} {fmt:>7} {took:>8.2f} {peak_kib / 1024:>9.1f}", flush=True)
    finally:
        shutil.rmtree(pycache, ignore_errors=True)
        if args.corpus is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
