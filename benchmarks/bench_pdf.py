"""PDF benchmark: reading and linting one 5-page report PDF, and a directory of 200 PDFs with -j 2.

Usage: python benchmarks/bench_pdf.py [--repeat 20] [--files 200] [--pdf FILE ...]

The PDFs are the example report (``gklint.testing.make_docx``, both layouts, tables ruled)
printed by LibreOffice and the HTML form printed by Chromium (both must be installed),
plus any ``--pdf`` given (e.g. ../shared/real/hongze-2024.pdf).

* one file, one core: the median over ``--repeat`` runs of ``Linter.lint_bytes`` (read,
  build, check) in one process, pdfplumber already imported; and the median wall time of
  the ``gklint`` command on the file (a new process each time: start-up and the import of
  pdfplumber included);
* batch: ``gklint -j 2 --isolated --format json DIR`` over ``--files`` copies of those
  PDFs (cycled), median of three runs, as files per second.

Target (issue 13): <= 0.5 s to read and lint a 5-page report PDF on one core.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _print_docx(work: Path) -> list[Path]:
    import docx

    from gklint.testing import make_docx

    soffice = shutil.which("soffice")
    if soffice is None:
        return []
    names = []
    for layout in ("2021", "2020"):
        document = docx.Document(io.BytesIO(make_docx(layout=layout)))
        for table in document.tables:
            table.style = "Table Grid"
        path = work / f"docx-{layout}.docx"
        document.save(str(path))
        names.append(path)
    subprocess.run([soffice, f"-env:UserInstallation=file://{work / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), *map(str, names)], check=True, capture_output=True, timeout=300)
    return [p.with_suffix(".pdf") for p in names]


def _print_html(work: Path) -> list[Path]:
    from gklint.testing import make_report

    chromium = shutil.which("chromium")
    if chromium is None:
        return []
    out = []
    for layout in ("2021", "2020"):
        source = work / f"html-{layout}.html"
        source.write_text(make_report(layout=layout, flattening="html"), encoding="utf-8")
        pdf = work / f"html-{layout}.pdf"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={work / 'chromium'}", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", source.as_uri()], check=True, capture_output=True, timeout=120)
        out.append(pdf)
    return out


def _pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return len(pdf.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--pdf", action="append", default=[], type=Path)
    args = parser.parse_args()

    from gklint.api import Linter
    from gklint.config import Config

    gklint = Path(sys.executable).with_name("gklint")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pdfs = _print_docx(work) + _print_html(work) + [p.resolve() for p in args.pdf]
        if not pdfs:
            sys.exit("nothing to measure: install soffice/chromium or pass --pdf")
        linter = Linter(Config())
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
        print("one file, one core (read + build + check):")
        for path in pdfs:
            data = path.read_bytes()
            linter.lint_bytes(data, path.name)  # warm: pdfplumber imported, rules compiled
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                linter.lint_bytes(data, path.name)
                times.append(time.perf_counter() - start)
            walls = []
            for _ in range(5):
                start = time.perf_counter()
                subprocess.run([str(gklint), "--isolated", "-j", "1", "--format", "json", str(path)],
                               capture_output=True, check=False)
                walls.append(time.perf_counter() - start)
            print(f"  {path.name:24} {_pages(path)} pages  in-process median {statistics.median(times):.3f} s"
                  f"  (min {min(times):.3f})   gklint command median {statistics.median(walls):.3f} s")
        batch = work / "batch"
        batch.mkdir()
        for i in range(args.files):
            shutil.copyfile(pdfs[i % len(pdfs)], batch / f"{i:04d}.pdf")
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([str(gklint), "--isolated", "-j", "2", "--format", "json", str(batch)],
                           capture_output=True, check=False)
            runs.append(time.perf_counter() - start)
        median = statistics.median(runs)
        print(f"batch: {args.files} PDFs with -j 2: median {median:.2f} s ({args.files / median:.1f} files/s)")


if __name__ == "__main__":
    main()
