"""The plain-text reader (``.txt``, files without a suffix, stdin).

``SourceText.text`` is the decoded file itself (only a leading byte-order mark is
removed; line ends are kept as they are, so CRLF, CR and LF files all get correct
line/column numbers) and ``offsets``/``source`` are ``None`` (identity) --
unless the text lost its shape on the way (copied out of a PDF, crawled):
then :func:`gklint.reflow.reflow` repairs it, and ``offsets`` lead back to the
decoded file.
See :mod:`gklint.readers._decode` for the encoding cascade.
"""

from __future__ import annotations

from gklint import hookimpl
from gklint.findings import Message
from gklint.model import SourceText
from gklint.readers._decode import check_size, decode_text
from gklint.readers.base import Limits, ReadError
from gklint.reflow import reflow

__all__ = ["TextReader", "gklint_readers"]


class TextReader:
    """Decodes a plain-text report; see the module docstring."""

    name = "text"
    suffixes: tuple[str, ...] = (".txt", "")

    def read(self, data: bytes, path: str, limits: Limits) -> SourceText:
        """Decode *data*.  Raise :class:`ReadError` for empty, binary, oversized or undecodable input."""
        try:
            return self._read(data, limits)
        except ReadError:
            raise
        except Exception as exc:  # the contract: nothing but ReadError escapes
            raise ReadError(Message(f"读取文本时出错：{type(exc).__name__}",
                                    f"error while reading the text: {type(exc).__name__}")) from exc

    def _read(self, data: bytes, limits: Limits) -> SourceText:
        check_size(data, limits)
        if not data:
            raise ReadError(Message("文件为空", "the file is empty"))
        text, encoding = decode_text(data)
        if not text.strip():
            raise ReadError(Message("文件为空（只有空白字符）", "the file is empty (whitespace only)"))
        repaired = reflow(text)
        if repaired is None:
            return SourceText(text=text, reader=self.name, encoding=encoding)
        return SourceText(text=repaired.text, reader=self.name, encoding=encoding, source=text,
                          offsets=repaired.offsets, repairs=repaired.repairs)


@hookimpl
def gklint_readers() -> list[TextReader]:
    return [TextReader()]
