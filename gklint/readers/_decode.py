"""Shared byte-level helpers for the readers: size limit, binary sniffing, decoding.

:func:`decode_text` is the encoding cascade used by the text reader and (after the
``<meta charset>`` of a page) by the HTML reader:

1. a byte-order mark (UTF-8, UTF-32 LE/BE, then UTF-16 LE/BE);
2. magic numbers of binary formats (PDF, PNG, ZIP, OLE ``.doc`` ...) -> :class:`ReadError`;
3. NUL bytes: only BOM-less UTF-16/UTF-32 may contain them, else the file is binary;
4. strict UTF-8;
5. strict GB18030 (a superset of GBK and GB2312), accepted only if the result looks
   like Chinese text (random bytes and Big5 often decode as GB18030);
6. chardet (imported lazily), restricted to Big5 and UTF-16/32, validated the same way.

Every failure is a :class:`ReadError` whose message says what the bytes look like.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from gklint.findings import Message
from gklint.readers.base import Limits, ReadError

__all__ = [
    "check_size",
    "decode_text",
    "format_size",
    "limit_error",
    "looks_like_text",
    "normalise_encoding",
    "sniff_binary",
]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 controls that never occur in text (tab, LF, VT, FF, CR are allowed).
_BAD_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_NON_ASCII = re.compile("[^\x00-\x7f]")

#: chardet answers we accept (after a strict decode); single-byte guesses such as
#: windows-1252 would turn any garbage into "text".
_CHARDET_OK = {
    "big5": ("big5", "cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs",),
    "cp950": ("cp950", "big5hkscs"),
    "utf-16": ("utf-16",),
    "utf-16-le": ("utf-16-le",),
    "utf-16-be": ("utf-16-be",),
    "utf-32": ("utf-32",),
    "utf-32-le": ("utf-32-le",),
    "utf-32-be": ("utf-32-be",),
}


def format_size(n: int) -> str:
    """``61 MB``, ``12 KB``, ``300 字节`` -> we use the unit-neutral ``B`` for bytes."""
    if n >= 1024 * 1024:
        value = n / (1024 * 1024)
        return f"{value:.1f} MB" if value < 10 and value != int(value) else f"{round(value)} MB"
    if n >= 1024:
        value = n / 1024
        return f"{value:.1f} KB" if value < 10 and value != int(value) else f"{round(value)} KB"
    return f"{n} B"


def limit_error(what_zh: str, what_en: str, actual: str, limit: str, setting: str) -> ReadError:
    """A :class:`ReadError` for an exceeded limit, naming the setting that raises it."""
    return ReadError(
        Message(
            f"{what_zh}：{actual}，超过上限 {limit}（可在配置 [tool.gklint.limits] {setting} 中调整）",
            f"{what_en}: {actual}, over the limit of {limit} (raise {setting} under [tool.gklint.limits])",
        ),
        setting=setting,
    )


def check_size(data: bytes, limits: Limits) -> None:
    """Raise :class:`ReadError` if *data* is larger than ``limits.max_file_bytes``."""
    if len(data) > limits.max_file_bytes:
        raise limit_error(
            "文件过大", "file too large", format_size(len(data)),
            format_size(limits.max_file_bytes), "max-file-bytes",
        )


def _err(zh: str, en: str) -> ReadError:
    return ReadError(Message(zh, en))


def sniff_binary(data: bytes) -> ReadError | None:
    """A :class:`ReadError` describing *data* if it starts like a known binary format."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return _err("这是一个 PDF 文件，不是文本报告；请使用 .pdf 扩展名",
                    "this is a PDF file, not a text report; use the .pdf suffix")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _err("这是旧版 Office 文件（.doc/.xls/.wps 等 OLE 格式），不是文本报告；请另存为 .docx 或 .txt",
                    "this is a legacy Office file (.doc/.xls/.wps, OLE format), not a text report; "
                    "save it as .docx or .txt")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        window = data[:65536]
        if b"word/" in window:
            return _err("这是一个 Word .docx 文件（zip 格式），不是文本报告；请使用 .docx 扩展名",
                        "this is a Word .docx file (zip format), not a text report; use the .docx suffix")
        if b"xl/" in window:
            return _err("这是一个 Excel .xlsx 文件，不是文本报告", "this is an Excel .xlsx file, not a text report")
        return _err("这是一个 ZIP 压缩文件，不是文本报告", "this is a ZIP archive, not a text report")
    images = (
        (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"),
        (b"GIF89a", "GIF"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
    )
    for magic, kind in images:
        if head.startswith(magic):
            return _err(f"这是一个 {kind} 图片文件，不是文本报告", f"this is a {kind} image, not a text report")
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return _err("这是一个 WebP 图片文件，不是文本报告", "this is a WebP image, not a text report")
    archives = ((b"\x1f\x8b", "gzip"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!\x1a\x07", "RAR"))
    for magic, kind in archives:
        if head.startswith(magic):
            return _err(f"这是一个 {kind} 压缩文件，不是文本报告", f"this is a {kind} archive, not a text report")
    if head.startswith(b"\x7fELF"):
        return _err("这是一个可执行程序文件，不是文本报告", "this is an executable file, not a text report")
    if head.startswith(b"{\\rtf"):
        return _err("这是一个 RTF 文件，不是纯文本报告（请另存为 .docx 或 .txt）",
                    "this is an RTF file, not a plain-text report (save it as .docx or .txt)")
    return None


def normalise_encoding(name: str) -> str:
    """Python codec name in the lower-case dashed form we report: ``utf-16-le``, ``gb18030``."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return name.lower()
    return {"utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be", "utf_32_le": "utf-32-le",
            "utf_32_be": "utf-32-be", "utf_16": "utf-16", "utf_32": "utf-32"}.get(
        canonical, canonical.replace("_", "-"))


@lru_cache(maxsize=1)
def _common_gb2312() -> frozenset[str]:
    """Hanzi of GB2312 (both levels) plus its punctuation and full-width rows (A1-A3)."""
    chars: set[str] = set()
    for lead in (*range(0xA1, 0xA4), *range(0xB0, 0xF8)):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


def _bad_control_ratio(text: str) -> float:
    if not text:
        return 0.0
    return len(_BAD_CONTROLS.findall(text)) / len(text)


def looks_like_text(text: str, *, chinese: bool = False, max_controls: float = 0.001) -> bool:
    """Whether *text* is plausibly a report rather than mis-decoded bytes.

    No more than *max_controls* of the characters may be C0 controls; with *chinese*,
    at least 85 % of the non-ASCII characters must be GB2312 hanzi or punctuation
    (Big5 or binary decoded as GB18030 yields kana, box drawing and rare hanzi).
    """
    sample = text[:200_000]
    if _bad_control_ratio(sample) > max_controls:
        return False
    if chinese:
        non_ascii = _NON_ASCII.findall(sample)
        if non_ascii:
            common = _common_gb2312()
            hits = sum(1 for ch in non_ascii if ch in common)
            if hits / len(non_ascii) < 0.85:
                return False
    return True


def _decode_bom(data: bytes) -> tuple[str, str] | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            codec = "utf-8" if enc == "utf-8-sig" else enc
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                if enc == "utf-32-le":  # FF FE 00 00 may be UTF-16 LE starting with U+0000
                    continue
                raise _err(
                    f"文件以 {enc.upper()} 字节顺序标记（BOM）开头，但第 {exc.start + len(bom) + 1} 字节处的内容不是有效的 {codec.upper()}",
                    f"the file starts with a {enc.upper()} byte-order mark, but byte {exc.start + len(bom) + 1} is not valid {codec.upper()}",
                ) from None
            return text, enc
    return None


def _decode_wide(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-32/UTF-16 for data containing NUL bytes: the most plausible decode."""
    candidates = []
    if len(data) % 4 == 0:
        candidates += ["utf-32-le", "utf-32-be"]
    if len(data) % 2 == 0:
        candidates += ["utf-16-le", "utf-16-be"]
    best: tuple[float, str, str] | None = None
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or not looks_like_text(text):
            continue
        # prefer the decode with more ASCII and common hanzi
        common = _common_gb2312()
        score = sum(1 for ch in text[:20000] if ch < "\x80" or ch in common) / max(1, min(len(text), 20000))
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 0.6:
        return None
    return best[1], best[2]


def _decode_chardet(data: bytes) -> tuple[str, str] | None:
    try:
        import chardet
    except ImportError:  # pragma: no cover - chardet is a declared dependency
        return None
    guess = chardet.detect(data[:200_000])
    name = guess.get("encoding") if isinstance(guess, dict) else None
    if not name:
        return None
    for codec in _CHARDET_OK.get(normalise_encoding(name), ()):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and looks_like_text(text):
            return text, normalise_encoding(codec)
    return None


def decode_text(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode report bytes; return ``(text, encoding)``.  A leading BOM is not part of *text*.

    :param declared: an encoding declared by the file itself (HTML ``<meta charset>``);
        tried after the BOM and before the cascade if it decodes strictly.
    :raises ReadError: binary data, or bytes that no candidate decodes plausibly.
    """
    bom = _decode_bom(data)
    if bom is not None:
        return bom
    binary = sniff_binary(data)
    if binary is not None:
        raise binary
    if b"\x00" in data:
        wide = _decode_wide(data)
        if wide is None:
            wide = _decode_chardet(data)
        if wide is not None:
            return wide
        raise _err("文件包含 NUL 字节，看起来是二进制文件而不是文本报告",
                   "the file contains NUL bytes; it looks like a binary file, not a text report")
    if declared:
        declared_text = _decode_declared(data, declared)
        if declared_text is not None:
            return declared_text
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        if _bad_control_ratio(text[:200_000]) > 0.02:
            raise _err("文件包含大量控制字符，看起来是二进制文件而不是文本报告",
                       "the file contains many control characters; it looks like a binary file, not a text report")
        return text, "utf-8"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if looks_like_text(text, chinese=True):
            return text, "gb18030"
    guessed = _decode_chardet(data)
    if guessed is not None:
        return guessed
    pos = utf8_error.start + 1
    raise _err(
        f"无法识别的文件编码（既不是 UTF-8，也不是 GB18030/GBK、Big5 或 UTF-16）；按 UTF-8 解码时第 {pos} 字节无效",
        f"unrecognised text encoding (not UTF-8, GB18030/GBK, Big5 or UTF-16); byte {pos} is invalid as UTF-8",
    )


_SINGLE_BYTE = {"iso8859-1", "latin-1", "cp1252", "ascii", "us-ascii", "iso8859-15"}


def _decode_declared(data: bytes, declared: str) -> tuple[str, str] | None:
    name = normalise_encoding(declared.strip().strip("\"'"))
    if name in ("gb2312", "gbk", "euc-cn", "hz", "gb18030", "x-gbk", "cp936"):
        name = "gb18030"  # GB18030 is a superset; pages labelled gb2312 often use GBK characters
    if name in _SINGLE_BYTE or name.startswith(("cp125", "iso8859", "latin")):
        return None  # mislabelled pages are common; let the cascade decide
    try:
        codecs.lookup(name)
        text = data.decode(name)
    except (LookupError, UnicodeDecodeError, ValueError):
        return None
    if not looks_like_text(text, max_controls=0.02):
        return None
    return text, normalise_encoding(name)
