"""In-process time per text report: ``Linter().lint_bytes`` over generated reports and samples.

Usage: python benchmarks/bench_inprocess.py [--rounds N] [--profile] [--rules] [DIR ...]

The corpus is ``make_report`` in every text flattening and both layouts, plus the
``.txt`` files of each DIR. Prints the median over rounds of the mean time per
report (the issue's target is 2 ms, i.e. 500 reports per second per core).
``--rules`` adds the time per rule over fresh documents (memoised per-document
helpers are charged to the first rule that uses them); ``--profile`` prints the
top of a cProfile run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from gklint.api import Linter
from gklint.testing import FLATTENINGS, make_report


def corpus(dirs: list[str]) -> list[tuple[bytes, str]]:
    """Generated reports (five flattenings × two layouts) plus the ``.txt`` files in ``dirs``."""
    docs = [
        (make_report(layout=layout, flattening=f).encode("utf-8"), "r.txt")
        for f in FLATTENINGS
        for layout in ("2021", "2020")
    ]
    for d in dirs:
        docs += [(p.read_bytes(), "r.txt") for p in sorted(Path(d).glob("*.txt"))]
    return docs


def per_report_ms(linter: Linter, docs: list[tuple[bytes, str]], rounds: int) -> float:
    """Median over ``rounds`` of the mean milliseconds per report."""
    for data, name in docs * 3:  # warm up: patterns, caches
        linter.lint_bytes(data, name)
    means = []
    for _ in range(rounds):
        start = time.perf_counter()
        for data, name in docs:
            linter.lint_bytes(data, name)
        means.append((time.perf_counter() - start) / len(docs) * 1000)
    return statistics.median(means)


def rule_times(linter: Linter, docs: list[tuple[bytes, str]], rounds: int) -> list[tuple[float, str]]:
    """Mean milliseconds per report for each rule and for reading, each over freshly read documents."""
    totals: dict[str, float] = {}
    for _ in range(rounds):
        for data, name in docs:
            start = time.perf_counter()
            doc, _ = linter.read_document(data, name)
            totals["(read)"] = totals.get("(read)", 0.0) + time.perf_counter() - start
            assert doc is not None
            for item in linter.active:
                start = time.perf_counter()
                for _problem in item.rule.check(doc, item.context):
                    pass
                totals[item.rule.id] = totals.get(item.rule.id, 0.0) + time.perf_counter() - start
    n = rounds * len(docs)
    return sorted(((t / n * 1000, rid) for rid, t in totals.items()), reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--rules", action="store_true")
    args = parser.parse_args(argv)
    docs = corpus(args.dirs)
    linter = Linter()
    size = statistics.mean(len(d) for d, _ in docs) / 1024
    ms = per_report_ms(linter, docs, args.rounds)
    print(f"{len(docs)} reports, {size:.1f} KB on average: {ms:.2f} ms per report ({1000 / ms:.0f}/s)")
    if args.rules:
        for ms_rule, rid in rule_times(linter, docs, args.rounds)[:25]:
            print(f"  {rid:10} {ms_rule:.3f} ms")
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.rounds):
            for data, name in docs:
                linter.lint_bytes(data, name)
        prof.disable()
        pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
