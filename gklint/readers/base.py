"""The reader interface and the errors a reader may raise."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Protocol

from gklint.findings import Message, _FrozenRecord
from gklint.model import SourceText

__all__ = ["Limits", "ReadError", "Reader", "suffix_of"]


# The records below write their __init__ out (repr and eq come from gklint.findings._Record):
# generated methods make every start slower, measured by benchmarks/bench_coldstart.py.
@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Limits(_FrozenRecord):
    """Size limits a reader must respect, and the time limit per document (``[tool.gklint.limits]``)."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_docx_members: int = 2000
    max_docx_uncompressed_bytes: int = 200 * 1024 * 1024
    max_html_depth: int = 255
    #: Reading, building and checking one document (enforced by :mod:`gklint.parallel`, not by readers).
    max_seconds_per_document: int = 30
    max_pdf_pages: int = 500
    #: Glyphs in the whole PDF (a page of a report has 300 to 1000).
    max_pdf_chars: int = 2_000_000
    #: Findings listed per rule and document; the rest are counted in one summary finding (:func:`gklint.engine.cap_findings`).
    max_findings_per_rule: int = 100

    def __init__(self, max_file_bytes: int = 50 * 1024 * 1024, max_docx_members: int = 2000,
                 max_docx_uncompressed_bytes: int = 200 * 1024 * 1024, max_html_depth: int = 255,
                 max_seconds_per_document: int = 30, max_pdf_pages: int = 500,
                 max_pdf_chars: int = 2_000_000, max_findings_per_rule: int = 100) -> None:
        object.__setattr__(self, "max_file_bytes", max_file_bytes)
        object.__setattr__(self, "max_docx_members", max_docx_members)
        object.__setattr__(self, "max_docx_uncompressed_bytes", max_docx_uncompressed_bytes)
        object.__setattr__(self, "max_html_depth", max_html_depth)
        object.__setattr__(self, "max_seconds_per_document", max_seconds_per_document)
        object.__setattr__(self, "max_pdf_pages", max_pdf_pages)
        object.__setattr__(self, "max_pdf_chars", max_pdf_chars)
        object.__setattr__(self, "max_findings_per_rule", max_findings_per_rule)


class ReadError(Exception):
    """The input cannot be read.  ``message`` names the problem (not the file; the caller adds it).

    :param message: what is wrong, in Chinese and English.
    :param setting: the configuration key that would raise a limit, if a limit was hit.
    """

    def __init__(self, message: Message, setting: str = "") -> None:
        super().__init__(message.en)
        self.message = message
        self.setting = setting


class Reader(Protocol):
    """Turns file bytes into :class:`~gklint.model.SourceText`.

    :ivar name: short name shown in output (``"text"``, ``"html"``, ``"docx"``).
    :ivar suffixes: lower-case file suffixes handled, with the dot.
    """

    name: str
    suffixes: tuple[str, ...]

    def read(self, data: bytes, path: str, limits: Limits) -> SourceText:
        """Decode and extract *data*.  Raise :class:`ReadError` for unreadable input; never anything else."""
        ...


def suffix_of(filename: str) -> str:
    """The lower-case suffix that picks a reader: ``Path(filename).suffix.lower()``, without making a Path."""
    suffix = os.path.splitext(filename)[1].lower()
    return "" if suffix == "." else suffix
