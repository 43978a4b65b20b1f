"""PDFs for the PDF reader's tests: generated reports printed by LibreOffice and Chromium, and
small hand-written PDFs (image-only, encrypted).

Printing is slow (a second or two per call), so every printed PDF is cached for the test
session, keyed by the bytes printed, and documents are printed in batches where possible.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
HONGZE = SHARED / "real" / "hongze-2024.pdf"

_CACHE: dict[str, bytes] = {}
_DIR: list[Path] = []


def _workdir() -> Path:
    if not _DIR:
        _DIR.append(Path(tempfile.mkdtemp(prefix="gklint-pdf-")))
    return _DIR[0]


def _key(kind: str, data: bytes) -> str:
    if kind == "docx":  # python-docx stamps the save time into docProps: key on the body
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            data = zf.read("word/document.xml")
    return kind + ":" + hashlib.sha256(data).hexdigest()


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    return path


def chromium() -> str:
    path = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
    if path is None:
        pytest.skip("Chromium is not installed: apt-get install chromium")
    return path


def ruled_docx(data: bytes, repeat_header: int = 0) -> bytes:
    """*data* (a .docx from :func:`gklint.testing.make_docx`) with every table ruled ("Table Grid"):
    python-docx's default table style draws no lines, and published reports are ruled.

    With *repeat_header*, the first that many rows of table 3 repeat on every page it spans.
    """
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        table.style = "Table Grid"
    for row in document.tables[1].rows[:repeat_header]:
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(header)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_to_pdf(documents: Sequence[bytes]) -> list[bytes]:
    """Each .docx printed to PDF by LibreOffice (one soffice run for all not cached yet)."""
    missing = [d for d in documents if _key("docx", d) not in _CACHE]
    if missing:
        exe = soffice()
        work = Path(tempfile.mkdtemp(dir=_workdir()))
        names = []
        for i, data in enumerate({_key("docx", d): d for d in missing}.values()):
            name = work / f"d{i}.docx"
            name.write_bytes(data)
            names.append((name, data))
        profile = Path(tempfile.mkdtemp(dir=_workdir()))
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(work), *(str(n) for n, _ in names)],
            check=True, capture_output=True, timeout=300,
        )
        for name, data in names:
            _CACHE[_key("docx", data)] = name.with_suffix(".pdf").read_bytes()
    return [_CACHE[_key("docx", d)] for d in documents]


def html_to_pdf(html: str) -> bytes:
    """*html* printed to PDF by headless Chromium (no header and footer lines)."""
    data = html.encode("utf-8")
    key = _key("html", data)
    if key not in _CACHE:
        exe = chromium()
        work = Path(tempfile.mkdtemp(dir=_workdir()))
        source = work / "report.html"
        source.write_bytes(data)
        out = work / "out.pdf"
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={work / 'profile'}", "--no-pdf-header-footer",
             f"--print-to-pdf={out}", source.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
        _CACHE[key] = out.read_bytes()
    return _CACHE[key]


# -- hand-written PDFs ------------------------------------------------------------------------


def build_pdf(objects: Sequence[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of *objects* (object 1 is the catalog) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref))
    return out.getvalue()


def image_only_pdf(pages: int = 3) -> bytes:
    """A scan: *pages* pages, each one grey image and no text."""
    pixels = zlib.compress(bytes(range(64)) * 64)
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(pages)).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    for i in range(pages):
        page, image, content = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        draw = b"q 500 0 0 700 40 60 cm /Im0 Do Q"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (image, content))
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 "
            b"/Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream")
        objects.append(b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream")
        assert page == len(objects) - 2
    return build_pdf(objects)


def encrypted_pdf() -> bytes:
    """A one-page PDF under the standard security handler with a user password (not empty)."""
    text = b"BT /F1 24 Tf 72 700 Td (secret) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 "
        b"/O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> >>",
    ]
    return build_pdf(objects, b"/Encrypt 6 0 R /ID [<" + b"01" * 16 + b"> <" + b"01" * 16 + b">] ")


def shared_pdf() -> Path:
    if not HONGZE.is_file():
        pytest.skip("../shared/real/hongze-2024.pdf is not beside the repository")
    return HONGZE


def environment_note() -> str:
    return f"soffice={shutil.which('soffice')} chromium={shutil.which('chromium')} cwd={os.getcwd()}"
