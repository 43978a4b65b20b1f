"""What the HTML report costs: the table snapshot per report and the page rendering.

Usage: python benchmarks/bench_html.py [--repeat N] [FILE ...]

For each report (generated ones by default): the median time to lint it, the
extra time and pickled size of the table snapshot (why it is only built when
the reporter asks for it, ``ReporterFactory.needs_tables``), and the time and
size of the rendered page.
"""

from __future__ import annotations

import argparse
import io
import pickle
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from gklint.api import Linter
from gklint.formats import ReportOptions
from gklint.reporters.html import HtmlReporter
from gklint.snapshot import table_snapshot
from gklint.testing import make_report


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    for _ in range(5):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    cases = [(p.name, p.read_bytes()) for p in args.files] or [
        ("generated-2021-cells.txt", make_report(layout="2021").encode("utf-8")),
        ("generated-2020-tabs.txt", make_report(layout="2020", flattening="tabs").encode("utf-8")),
        ("generated-2021.html", make_report(flattening="html").encode("utf-8")),
    ]
    linter = Linter()
    print(f"{'report':<28} {'lint ms':>8} {'snapshot ms':>12} {'snapshot KB':>12} {'page ms':>8} {'page KB':>8}")
    for name, data in cases:
        lint = median_ms(lambda d=data, n=name: linter.lint_bytes(d, n), args.repeat)  # type: ignore[misc]
        doc, _ = linter.read_document(data, name)
        assert doc is not None
        snap = median_ms(lambda d=doc: table_snapshot(d), args.repeat)  # type: ignore[misc]
        size = len(pickle.dumps(table_snapshot(doc))) / 1024
        linter.keep_tables = True
        result = linter.result([linter.lint_bytes(data, name)])
        linter.keep_tables = False

        def page(r=result) -> str:  # type: ignore[no-untyped-def]
            out = io.StringIO()
            HtmlReporter().write(r, out, ReportOptions())
            return out.getvalue()

        page_ms = median_ms(page, args.repeat)
        print(f"{name:<28} {lint:>8.2f} {snap:>12.2f} {size:>12.1f} {page_ms:>8.2f} {len(page().encode()) / 1024:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
