"""Median time to read and parse a ~10 KB report (decode + structure), per flattening.

Usage: python benchmarks/bench_parse.py [--repeat N] [FILE ...]

Without files it uses generated reports (gklint.testing.make_report) in every
text flattening; the issue's target is a median under 2 ms per report.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from gklint.data import load_standard_data, national_data_files
from gklint.readers.base import Limits
from gklint.structure import build_document
from gklint.testing import FLATTENINGS, make_report


def _reader():  # the built-in text reader, found the way the engine finds it
    from gklint.readers import text

    return text.gklint_readers()[0]


def measure(data: bytes, name: str, repeat: int) -> float:
    standard = load_standard_data(national_data_files())
    reader = _reader()
    limits = Limits()
    for _ in range(20):  # warm caches (regexes, label normalisation)
        build_document(reader.read(data, name, limits), name, standard)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        build_document(reader.read(data, name, limits), name, standard)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    cases = [(p.name, p.read_bytes()) for p in args.files] or [
        (f"generated-{f}.txt", make_report(flattening=f).encode("utf-8")) for f in FLATTENINGS
    ]
    print(f"{'report':<40} {'KB':>6} {'median ms':>10}")
    worst = 0.0
    for name, data in cases:
        ms = measure(data, name, args.repeat)
        worst = max(worst, ms)
        print(f"{name:<40} {len(data) / 1024:>6.1f} {ms:>10.2f}")
    print(f"worst median: {worst:.2f} ms (target < 2 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
