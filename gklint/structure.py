"""Build a :class:`~gklint.model.Document` from a reader's :class:`~gklint.model.SourceText`.

(Stub while the builder is written: no sections or tables yet.)
"""

from __future__ import annotations

from gklint.data import StandardData
from gklint.model import Document, LayoutInfo, Metadata, SourceText

__all__ = ["build_document"]


def build_document(source: SourceText, path: str, data: StandardData) -> Document:
    """Find title, metadata, sections, paragraphs and tables 2–4 in *source*."""
    return Document(
        path=path,
        reader=source.reader,
        encoding=source.encoding,
        text=source.text,
        source=source.source if source.source is not None else source.text,
        offsets=source.offsets,
        coordinates=source.coordinates,
        metadata=Metadata(),
        sections=[],
        paragraphs=[],
        tables={},
        layout=LayoutInfo("unknown"),
        logical=list(source.logical),
        notes=list(source.notes),
    )
