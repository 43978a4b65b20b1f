"""Bad input, end to end through the command line: a clear message naming the file, a documented exit code.

Every case is a file a real editor or CMS could hand gklint.  A case states the
substring the (Chinese) message must contain and the exit code (README: 0
clean, 1 findings, 2 unreadable input / usage / plugin failure).  No case may
print a traceback; a watchdog ends the test process if one ever hangs.
"""

from __future__ import annotations

import faulthandler
import io
import os
import socket
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gklint.api import Linter
from gklint.config import Config
from gklint.readers.base import Limits
from gklint.testing import make_docx, make_report, run_cli

REPORT = make_report()
HANG_GUARD = 120  # seconds; far above any case


@pytest.fixture(autouse=True)
def _watchdog() -> Iterator[None]:
    """Dump stacks and exit instead of hanging forever."""
    faulthandler.dump_traceback_later(HANG_GUARD, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the CLI; ``--isolated`` (no configuration search) unless ``--config`` is given."""
    isolated = [] if "--config" in args else ["--isolated"]
    code, out, err = run_cli(capsys, *isolated, "--no-show-source", *args)
    return code, out + err


# -- building the bad files --------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + b"\0" * 17 + b"\0\0\0\0IEND\xaeB`\x82"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + bytes(range(256)) * 8


def _rezip(src: bytes, replace: dict[str, Callable[[bytes], bytes]] | None = None, drop: tuple[str, ...] = (),
           add: dict[str, bytes] | None = None) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(src))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if replace and info.filename in replace:
                data = replace[info.filename](data)
            z.writestr(info, data)
        for name, data in (add or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def _with_doctype(doctype: bytes, entity: bytes) -> Callable[[bytes], bytes]:
    def patch(xml: bytes) -> bytes:
        head, rest = xml.split(b"?>", 1)
        return head + b"?>" + doctype + rest.replace(b"<w:t>", b"<w:t>" + entity, 1)
    return patch


_LAUGHS = b"".join(
    b'<!ENTITY l%d "%s">' % (i, b"".join(b"&l%d;" % (i - 1) for _ in range(10))) for i in range(1, 10))
DOCX_BOMB = b'<!DOCTYPE w:document [<!ENTITY l0 "lol">' + _LAUGHS + b"]>"
HTML_BOMB = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY l0 "lol">' + _LAUGHS.decode()
             + ']><html><body><p>&l9;</p><p>一、总体情况</p></body></html>')
XXE_HTML = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            "<html><body><p>&xxe;</p></body></html>")


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b"a" * (300 * 1024 * 1024))  # 300 MB in ~300 KB
    return out.getvalue()


def _many_members() -> bytes:
    return _rezip(make_docx(), add={f"extra/part{i}.xml": b"<a/>" for i in range(2100)})


def _three_tables3() -> str:
    start = REPORT.index("三、收到和处理政府信息公开申请情况")
    end = REPORT.index("四、政府信息公开行政复议")
    table = REPORT[start:end].split("\n", 1)[1]
    return REPORT[:end] + table + table + REPORT[end:]


def _no_tables() -> str:
    head = REPORT.split("二、主动公开政府信息情况")[0]
    rest = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    return head + "".join(f"{title}\n本年度无相关情况，详见说明。\n" for title in rest)


UTF8 = REPORT.encode("utf-8")
GB = REPORT.encode("gb18030")
BIG5 = make_report(agency="東平市工業和資訊化局").encode("big5", errors="replace")
UTF16 = REPORT.encode("utf-16")

#: (case id, file name, contents, substring of the message, exit code)
CASES: list[tuple[str, str, bytes | Callable[[], bytes], str, int]] = [
    ("empty", "报告.txt", b"", "文件为空", 2),
    ("whitespace", "报告.txt", " \n\t\r\n\u3000\n".encode(), "只有空白字符", 2),
    ("png", "报告.txt", PNG, "PNG 图片", 2),
    ("pdf", "报告.txt", PDF, "PDF 文件", 2),
    ("doc-renamed", "报告.txt", OLE, "旧版 Office 文件", 2),
    ("png-as-html", "报告.html", PNG, "PNG 图片", 2),
    ("pdf-as-docx", "报告.docx", PDF, "PDF 文件", 2),
    ("utf8-invalid", "报告.txt", UTF8[:3000] + b"\xff\xfe\xc0\xc1" + UTF8[3000:], "无法识别的文件编码", 2),
    ("gb18030-invalid", "报告.txt", GB[:2000] + b"\xff\xff\x80" + GB[2000:], "无法识别的文件编码", 2),
    ("big5-invalid", "报告.txt", BIG5[:2000] + b"\xff\x80abc", "无法识别的文件编码", 2),
    ("utf16-odd-length", "报告.txt", UTF16 + b"\x00", "不是有效的 UTF-16", 2),
    ("utf16-lone-surrogate", "报告.txt", UTF16[:1002] + b"\x00\xd8\x41\x00" + UTF16[1002:], "不是有效的 UTF-16", 2),
    ("utf8-bom-then-gbk", "报告.txt", b"\xef\xbb\xbf" + REPORT.encode("gbk"), "不是有效的 UTF-8", 2),
    ("nul-bytes", "报告.txt", UTF8[:100] + b"\0" * 50 + UTF8[100:], "NUL", 2),
    ("mixed-utf8-gbk", "报告.txt", REPORT[:1000].encode() + REPORT[1000:].encode("gbk"), "无法识别的文件编码", 2),
    ("gbk-clean", "报告.txt", REPORT.encode("gbk"), "检查通过", 0),
    ("utf16-clean", "报告.txt", UTF16, "检查通过", 0),
    ("html-deep", "报告.html", ("<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "</body></html>").encode(),
     "max-html-depth", 2),
    ("html-scripts-styles", "报告.html",
     make_report(flattening="html").replace(
         "<body>", "<body><script>var s = '一、总体情况 电话：123';</script><style>p{color:red}</style>").encode(),
     "检查通过", 0),
    ("html-entity-bomb", "报告.html", HTML_BOMB.encode(), "GK101", 1),
    ("docx-entity-bomb", "报告.docx", lambda: _rezip(make_docx(), {"word/document.xml": _with_doctype(DOCX_BOMB, b"&l9;")}),
     "DOCTYPE", 2),
    ("docx-external-entity", "报告.docx", lambda: _rezip(make_docx(), {"word/document.xml": _with_doctype(
        b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', b"&x;")}), "DOCTYPE", 2),
    ("docx-zip-bomb", "报告.docx", _zip_bomb, "max-docx-uncompressed-bytes", 2),
    ("docx-many-members", "报告.docx", _many_members, "max-docx-members", 2),
    ("docx-truncated", "报告.docx", lambda: make_docx()[:20000], "zip 结构损坏", 2),
    ("docx-no-document-xml", "报告.docx", lambda: _rezip(make_docx(), drop=("word/document.xml",)),
     "缺少主文档 word/document.xml", 2),
    ("no-tables", "报告.txt", _no_tables().encode(), "下没有表3", 1),
    ("single-10mb-line", "报告.txt", "啊".encode() * (10 * 1024 * 1024 // 3), "GK101", 1),
]


@pytest.mark.parametrize(("name", "contents", "expected", "code"),
                         [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                   name: str, contents: bytes | Callable[[], bytes], expected: str, code: int) -> None:
    monkeypatch.chdir(tmp_path)
    data = contents() if callable(contents) else contents
    Path(name).write_bytes(data)
    got, output = run(capsys, name)
    assert (got, expected in output) == (code, True), output[-2000:]
    if code == 2:
        assert f"{name}: 无法读取" in output  # one line naming the file and the problem
    assert "root:" not in output  # no external entity was ever resolved


def test_three_copies_of_table3_are_read_once_and_linted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Repeated identical tables do not confuse the reader: same verdict as the single table."""
    monkeypatch.chdir(tmp_path)
    Path("报告.txt").write_text(_three_tables3(), encoding="utf-8")
    code, output = run(capsys, "--format", "json", "报告.txt")
    import json

    result = json.loads(output[: output.rindex("}") + 1])
    assert code == 0
    assert result["files"][0]["readable"] is True
    assert [f["rule_id"] for f in result["files"][0]["findings"]] == []


def test_english_messages_name_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("报告.html").write_text("<html><body>" + "<div>" * 400 + "x" + "</div>" * 400 + "</body></html>")
    code, output = run(capsys, "--lang", "en", "报告.html")
    assert code == 2
    assert "报告.html: unreadable" in output
    assert "max-html-depth" in output


# -- every limit: the message names it and raising it lets the file through ------------------------------


def _config(tmp_path: Path, **limits: int) -> str:
    path = tmp_path / "gklint-limits.toml"
    body = "".join(f"{key.replace('_', '-')} = {value}\n" for key, value in limits.items())
    path.write_text(f"[limits]\n{body}", encoding="utf-8")
    return str(path)


def test_every_limit_is_configurable_and_named(tmp_path: Path) -> None:
    """The default of each limit, the configuration key, and what is said past it."""
    assert Limits() == Limits(max_file_bytes=50 * 1024 * 1024, max_docx_members=2000,
                              max_docx_uncompressed_bytes=200 * 1024 * 1024, max_html_depth=255,
                              max_seconds_per_document=30, max_pdf_pages=500, max_pdf_chars=2_000_000)
    from gklint.config import LIMIT_KEYS

    assert sorted(LIMIT_KEYS) == ["max-docx-members", "max-docx-uncompressed-bytes", "max-file-bytes",
                                  "max-findings-per-rule", "max-html-depth", "max-pdf-chars", "max-pdf-pages",
                                  "max-seconds-per-document"]


@pytest.mark.parametrize(("limit", "small", "large", "name", "make"), [
    ("max_file_bytes", 4096, 1024 * 1024, "报告.txt", lambda: UTF8),
    ("max_html_depth", 50, 400, "报告.html",
     lambda: ("<html><body>" + "<div>" * 100 + make_report(flattening="html").split("<body>")[1]
              .split("</body>")[0] + "</div>" * 100 + "</body></html>").encode()),
    ("max_docx_members", 10, 2000, "报告.docx", make_docx),
    ("max_docx_uncompressed_bytes", 10_000, 50 * 1024 * 1024, "报告.docx", make_docx),
])
def test_limit_message_and_raising_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str], limit: str, small: int, large: int,
                                      name: str, make: Callable[[], bytes]) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(make())
    key = limit.replace("_", "-")
    code, output = run(capsys, "--config", _config(tmp_path, **{limit: small}), name)
    assert code == 2, output
    assert f"{name}: 无法读取" in output and key in output
    assert output.count(key) == 1  # named once, not repeated by every layer
    code, output = run(capsys, "--config", _config(tmp_path, **{limit: large}), name)
    assert code == 0, output


def test_a_200_mb_file_fails_fast_on_the_size_limit(tmp_path: Path) -> None:
    """Sparse, so the test never holds 200 MB; gklint must not read it either."""
    big = tmp_path / "报告.txt"
    with big.open("wb") as fh:
        fh.write(UTF8)
        fh.truncate(200 * 1024 * 1024)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "gklint", "--isolated", str(big)], capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    took = time.monotonic() - start
    assert proc.returncode == 2
    assert "文件过大（209715200 字节，上限 52428800 字节；可调高配置 [limits] max-file-bytes）" in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr
    assert took < 10


def test_subprocess_english_and_exit_codes(tmp_path: Path) -> None:
    """The real entry point: an empty file, a good one and a PNG in one run."""
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "b-good.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "c-image.txt").write_bytes(PNG)
    proc = subprocess.run([sys.executable, "-m", "gklint", "--isolated", "--lang", "en", "-j", "2", "."],
                          cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 2
    lines = [line for line in proc.stdout.splitlines() if ": unreadable" in line]
    assert [line.split(":")[0] for line in lines] == ["a-empty.txt", "c-image.txt"]
    assert "empty" in lines[0] and "PNG" in lines[1]
    assert "Traceback" not in proc.stderr


# -- the file system -------------------------------------------------------------------------------------


def test_directory_with_fifo_socket_dangling_link_and_loops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Special files are skipped, a link loop is entered once, the good report is linted; no hang."""
    root = tmp_path / "报告"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "好.txt").write_text(REPORT, encoding="utf-8")
    os.mkfifo(root / "管道.txt")
    (root / "断链.txt").symlink_to(root / "不存在.txt")
    (root / "sub" / "loop").symlink_to(root)
    (root / "self").symlink_to(".")
    sock = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(root)
    try:
        sock.bind("套接字.txt")
        code, output = run(capsys, "-j", "1", ".")
    finally:
        sock.close()
    assert code == 0, output
    assert "检查通过" in output and "共检查 1 个文件" in output


@pytest.mark.parametrize("special", ["fifo", "socket"])
def test_special_file_named_explicitly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str], special: str) -> None:
    monkeypatch.chdir(tmp_path)
    sock = socket.socket(socket.AF_UNIX)
    try:
        if special == "fifo":
            os.mkfifo("报告.txt")
        else:
            sock.bind("报告.txt")
        code, output = run(capsys, "报告.txt")
    finally:
        sock.close()
    assert code == 2
    assert "报告.txt: 无法读取：不是普通文件" in output


def test_dangling_symlink_and_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("断链.txt").symlink_to("不存在的目标.txt")
    code, output = run(capsys, "断链.txt", "没有这个文件.txt")
    assert code == 2
    assert "断链.txt: 无法读取：文件不存在" in output
    assert "没有这个文件.txt: 无法读取：文件不存在" in output


def test_unreadable_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root can read everything, so the permission error is simulated where the walk lists a directory."""
    (tmp_path / "锁定").mkdir()
    (tmp_path / "锁定" / "报告.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "好.txt").write_text(REPORT, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        if Path(path).name == "锁定":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = Linter(Config()).lint_paths([str(tmp_path)])
    by_path = {f.path.rsplit("/", 1)[-1]: f for f in result.files}
    assert by_path["好.txt"].readable and by_path["好.txt"].findings == []
    note = by_path["锁定"].notifications[0]
    assert not by_path["锁定"].readable
    assert note.message.zh == "无法读取目录（Permission denied）"


def test_file_that_vanishes_mid_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The directory is listed first; the second report is deleted after the first one is done."""
    monkeypatch.chdir(tmp_path)
    for name in ("a.txt", "b.txt", "c.txt"):
        Path(name).write_text(REPORT, encoding="utf-8")
    real = Linter.lint_file

    def lint_then_delete(linter: Linter, path: str, display: str | None = None, **kwargs: object) -> object:
        result = real(linter, path, display, **kwargs)
        if display == "a.txt":
            Path("b.txt").unlink()
        return result

    monkeypatch.setattr(Linter, "lint_file", lint_then_delete)
    code, output = run(capsys, "-j", "1", ".")
    assert code == 2
    assert "b.txt: 无法读取：无法打开文件（No such file or directory）" in output
    assert "共检查 3 个文件" in output
