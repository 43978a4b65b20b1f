"""Print generated reports through LibreOffice and pdftotext, next to their make_shaped simulation.

Usage: python benchmarks/shape_samples.py [-n N] [--out DIR] [--seed S]

Each sample is the example report (``gklint.testing.make_docx``, both layouts in
turn) dressed as agencies print it: A4 with 公文 margins, prose at 三号/四号/小四 with
a two-character first-line indent, a page-number footer (``-1-``, ``— 1 —``, ``第 1 页``)
and table columns either as python-docx leaves them (equal widths) or with wide label
columns.  LibreOffice (``soffice --headless``) prints it to PDF and ``pdftotext``
extracts it with and without ``-layout``.  For every sample DIR holds::

    NN-<layout>.docx / .pdf
    NN-<layout>.layout.txt       pdftotext -layout
    NN-<layout>.plain.txt        pdftotext
    NN-<layout>.sim-layout.txt   make_shaped("pdf-layout", seed=NN)
    NN-<layout>.sim-plain.txt    make_shaped("pdf-plain", seed=NN)

and ``summary.txt`` counts the artefacts of each kind in the real and simulated
text (page-number lines, form feeds, CJK-digit spaces, wrapped prose, lines of
table 3's header, table-3 row labels split over lines), so the two can be compared.
Needs python-docx, soffice and pdftotext.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from gklint.testing import make_docx, make_shaped

PAGE_FORMATS = (("-", "-"), ("— ", " —"), ("第 ", " 页"), ("- ", " -"))


def _page_number_footer(section, before: str, after: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(before)
    field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    paragraph._p.append(field)
    paragraph.add_run(after)


def dress(docx_bytes: bytes, rng: random.Random) -> bytes:
    """*docx_bytes* laid out as an agency prints a report (see the module docstring)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document(io.BytesIO(docx_bytes))
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    size = rng.choice((16, 16, 14, 12))
    normal = document.styles["Normal"]
    normal.font.size = Pt(size)
    normal.font.name = "Noto Serif CJK SC"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    normal.paragraph_format.space_after = Pt(0)
    for i, paragraph in enumerate(document.paragraphs):
        if i < 2:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            paragraph.paragraph_format.first_line_indent = Pt(2 * size)
    _page_number_footer(section, *rng.choice(PAGE_FORMATS))
    wide = rng.random() < 0.5
    usable = 21 - 2.8 - 2.6
    for table in document.tables:
        n = len(table.columns)
        if n == 10 and wide:
            widths = [2.0, 2.4, 4.4] + [(usable - 8.8) / 7] * 7
        elif n == 4 and wide:
            widths = [4.6] + [(usable - 4.6) / 3] * 3
        else:
            widths = [usable / n] * n
        table.autofit = False
        for c, column in enumerate(table.columns):
            column.width = Cm(widths[c])
        for row in table.rows:
            for c, cell in enumerate(row.cells[:n]):
                cell.width = Cm(widths[c])
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(10.5 if size > 12 else 9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _print(docx_path: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="gklint-soffice-") as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(docx_path.parent), str(docx_path)],
                       check=True, capture_output=True, timeout=180)
    return docx_path.with_suffix(".pdf")


def _extract(pdf: Path, layout: bool) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


ARTEFACTS = {
    "page-number lines": re.compile(r"^\f?\s*(?:[-—]\s*\d+\s*[-—]|第\s*\d+\s*页.*)\s*$", re.M),
    "form feeds": re.compile("\f"),
    "CJK-digit spaces": re.compile(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]"),
    "lines ending mid-sentence": re.compile(r"[\u4e00-\u9fff，、]$", re.M),
    "runs of 3+ spaces": re.compile(r"\S {3,}\S"),
    "lines of one number": re.compile(r"^\s*\d+\s*$", re.M),
    "spaced 总 计": re.compile(r"总 +计"),
}


def summarise(text: str) -> dict[str, int]:
    return {name: len(pattern.findall(text)) for name, pattern in ARTEFACTS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=6, help="number of samples")
    parser.add_argument("--out", type=Path, default=Path("shape-samples"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for tool in ("soffice", "pdftotext"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed", file=sys.stderr)
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(args.seed, args.seed + args.n):
        layout = ("2021", "2020")[i % 2]
        stem = args.out / f"{i:02d}-{layout}"
        rng = random.Random(i)
        stem.with_suffix(".docx").write_bytes(dress(make_docx(layout=layout), rng))
        pdf = _print(stem.with_suffix(".docx"))
        texts = {
            "layout": _extract(pdf, True),
            "plain": _extract(pdf, False),
            "sim-layout": make_shaped("pdf-layout", seed=i, layout=layout),
            "sim-plain": make_shaped("pdf-plain", seed=i, layout=layout),
        }
        for kind, text in texts.items():
            Path(f"{stem}.{kind}.txt").write_text(text, encoding="utf-8")
        lines.append(f"{stem.name}")
        names = list(ARTEFACTS)
        counts = {kind: summarise(text) for kind, text in texts.items()}
        lines.append(f"  {'':28}" + "".join(f"{k:>11}" for k in texts))
        for name in names:
            lines.append(f"  {name:28}" + "".join(f"{counts[k][name]:>11}" for k in texts))
    summary = "\n".join(lines) + "\n"
    (args.out / "summary.txt").write_text(summary, encoding="utf-8")
    print(summary)
    print(f"samples in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
