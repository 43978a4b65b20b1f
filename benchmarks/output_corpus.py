"""Write a fixed corpus of reports, to prove that a change leaves gklint's output as it was.

Usage::

    python benchmarks/output_corpus.py DIR            # writes DIR/ (about 1,500 files)
    gklint --isolated --format json DIR > before.json
    # ... change gklint ...
    gklint --isolated --format json DIR > after.json
    cmp before.json after.json

The corpus is deterministic (fixed seeds; the same files on every run): the
generated report in every text flattening, as HTML and as .docx, in both
layouts, clean and with defects (every single-cell change of tables 3 and 4,
structural and citation defects, and random damage: lines deleted, moved or
duplicated, characters inserted), and the seeds from ``../shared/seeds`` when
they are there.  Keep DIR at the same path for both runs: the JSON names files.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

from gklint.testing import FLATTENINGS, make_docx, make_report

_DEFECTS: tuple[tuple[str, str, str], ...] = (
    ("number", "共收到政府信息公开申请8件", "共收到政府信息公开申请9件"),
    ("bracket", "〔2021〕30号", "[2021]30号"),
    ("section", "五、存在的主要问题及改进情况", ""),
    ("order", "五、存在的主要问题及改进情况", "六、存在的主要问题及改进情况"),
    ("office", "国务院办公厅政府信息与政务公开办公室", "国务院政府信息公开办公室"),
    ("regulation", "《中华人民共和国政府信息公开条例》", "《政府信息公开条例》"),
    ("phone", "电话：0538-5261234；", ""),
    ("email", "dpgk@dongping.gov.cn", "dpgk@dongping"),
    ("period", "12月31日止", "11月30日止"),
    ("unit", "自然人", "自然 人"),
)
_INSERTS = ("0", "1", "12", "、", "〔", "）", "年", "\t", "\n", " ", "总计", "（三）不予公开")


def _damage(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(4)
        i = rng.randrange(len(lines))
        if kind == 0 and len(lines) > 3:
            del lines[i]
        elif kind == 1:
            lines.insert(rng.randrange(len(lines)), lines.pop(i))
        elif kind == 2:
            lines.insert(i, lines[i])
        else:
            line = lines[i]
            at = rng.randrange(len(line) + 1)
            lines[i] = line[:at] + rng.choice(_INSERTS) + line[at:]
    return "\n".join(lines)


def _cell_mutations(text: str, rng: random.Random, count: int) -> list[str]:
    """*count* copies of *text*, each with one table number changed (chosen at random)."""
    digits = [i for i, ch in enumerate(text) if ch.isdigit() and not text[i - 1 : i].isdigit()]
    out = []
    for _ in range(count):
        at = rng.choice(digits)
        out.append(text[:at] + str((int(text[at]) + rng.randint(1, 8)) % 10) + text[at + 1 :])
    return out


def write_corpus(root: Path) -> int:
    """Write the corpus under *root* (emptied first); return the number of files."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    rng = random.Random(20261206)
    n = 0

    def put(name: str, data: str | bytes) -> None:
        nonlocal n
        path = root / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        n += 1

    for layout in ("2021", "2020"):
        year = 2022 if layout == "2021" else 2020
        for style in (*FLATTENINGS, "html"):
            suffix = "html" if style == "html" else "txt"
            text = make_report(flattening=style, layout=layout)
            put(f"{style}-{layout}-clean.{suffix}", text)
            put(f"{style}-{layout}-wrongyear.{suffix}", make_report(flattening=style, layout=layout, year=year + 2))
            for name, old, new in _DEFECTS:
                put(f"{style}-{layout}-{name}.{suffix}", text.replace(old, new))
            for i, mutated in enumerate(_cell_mutations(text, rng, 30)):
                put(f"{style}-{layout}-cell{i:02d}.{suffix}", mutated)
            for i in range(30):
                put(f"{style}-{layout}-damage{i:02d}.{suffix}", _damage(text, rng))
        put(f"docx-{layout}-clean.docx", make_docx(layout=layout))
        plain = make_report(layout=layout)
        for name, old, new in _DEFECTS:
            if new and old in plain and old != "五、存在的主要问题及改进情况":
                put(f"docx-{layout}-{name}.docx", make_docx(layout=layout, replacements=[(old, new)]))
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if seeds.is_dir():
        for seed in sorted(seeds.glob("*.txt")):
            put(f"seed-{seed.name}", seed.read_bytes())
            text = seed.read_text(encoding="utf-8")
            for i in range(10):
                put(f"seed-{seed.stem}-damage{i}.txt", _damage(text, rng))
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    count = write_corpus(args.directory)
    print(f"{count} files in {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
