"""The HTML report: structure, escaping, tables and highlighting, and a real headless browser.

The browser tests use Debian's ``chromium`` (installed by ``.ci/run``); they are
skipped with a reason when it is missing.  Highlighting is checked twice: with
``--dump-dom`` on a page opened at ``#finding-N``, and by hovering and clicking
through the Chrome DevTools Protocol (``--remote-debugging-pipe``).  The
screenshot is always written to the test's tmp directory and, with
``GKLINT_UPDATE_SCREENSHOT=1``, to ``docs/images/html-report.png`` for the README.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import pickle
import re
import select
import shutil
import struct
import subprocess
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from gklint.api import Linter
from gklint.cli import main
from gklint.reporters._html_assets import CSP, SCRIPT, STYLE
from gklint.reporters.html import gklint_reporters
from gklint.testing import make_report

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "docs" / "images" / "html-report.png"

#: The clean generated report's row （一）予以公开 (tabs flattening), and the same row
#: with its 总计 written as 4 instead of 3: GK203, 总计=4 but 2+1+0+0+0+0=3.
ROW_OK = "（一）予以公开\t\t2\t1\t0\t0\t0\t0\t3"
ROW_BAD = "（一）予以公开\t\t2\t1\t0\t0\t0\t0\t4"
HTML_ROW_OK = "（一）予以公开</td><td>2</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td>"
HTML_ROW_BAD = HTML_ROW_OK[: -len("<td>3</td>")] + "<td>4</td>"
APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def bad_report() -> str:
    text = make_report(flattening="tabs")
    assert text.count(ROW_OK) == 1
    return text.replace(ROW_OK, ROW_BAD)


def render(tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], *args: str) -> tuple[int, str]:
    """Write *files*, run ``gklint --format html --output 检查结果.html`` on them; (exit code, page)."""
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "检查结果.html"
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(SystemExit) as exited:
            main(["--isolated", "--format", "html", "--output", out.name, *args, *files])
    finally:
        os.chdir(cwd)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert captured.out == ""
    code = exited.value.code
    assert isinstance(code, int)
    return code, out.read_text(encoding="utf-8")


def finding_li(tree: Any, rule_id: str, message_part: str) -> Any:
    found = [li for li in tree.xpath('//li[contains(@class, "finding")]')
             if li.xpath('string(.//code[@class="rule"])') == rule_id
             and message_part in li.xpath('string(.//p[@class="msg"])')]
    assert len(found) == 1, [li.get("id") for li in found]
    return found[0]


def cells_of(tree: Any, li: Any, attr: str) -> list[Any]:
    ids = (li.get(attr) or "").split()
    return [tree.get_element_by_id(i) for i in ids]


def tip(cell: Any) -> str:
    return cell.get("title") or ""


# -- structure ----------------------------------------------------------------------


def test_factory_declares_the_format_and_asks_for_tables():
    (factory,) = gklint_reporters()
    assert factory.name == "html" and factory.needs_tables is True
    assert "html" in Linter().plugin_set.reporters


def test_one_report_summary_findings_and_tables(tmp_path, capsys):
    code, page = render(tmp_path, capsys, {"报告.txt": bad_report()})
    assert code == 1
    tree = lxml_html.fromstring(page)
    assert tree.get("lang") == "zh-CN"
    section = tree.get_element_by_id("report-1")
    head = section.xpath("string(.//h2)")
    assert "不宜发布" in head and "报告.txt" in head
    summary = section.xpath('string(.//dl[@class="summary"])')
    assert "2021 年版格式（国办公开办函〔2021〕30号）" in summary
    assert "2022" in summary and "text · utf-8" in summary
    errors = section.xpath('string(.//dl[@class="summary"]//span[@class="count error"]/b)')
    assert int(errors) >= 1
    assert not tree.xpath('//table[@class="index"]')  # one file: no index

    # The GK203 finding sits under its section, with the rule's explanation.
    li = finding_li(tree, "GK203", "（一）予以公开")
    assert li.getparent().getprevious().text == "三、收到和处理政府信息公开申请情况"
    assert "总计=4" in li.xpath('string(.//p[@class="msg"])') and "相差1" in li.xpath('string(.//p[@class="msg"])')
    details = li.xpath('string(.//details)')
    assert "GK203" in details and "如何修改" in details and "依据" in details

    # Its primary cell is the 总计 cell written as 4; related are the six applicant cells.
    (primary,) = cells_of(tree, li, "data-primary")
    assert primary.tag == "td" and primary.text == "4"
    assert tip(primary).startswith("（一）予以公开 × 总计")
    line = bad_report().splitlines().index(next(s for s in bad_report().splitlines() if ROW_BAD in s)) + 1
    assert f"第{line}行" in tip(primary) and "读作：4" in tip(primary)
    related = cells_of(tree, li, "data-related")
    assert [tip(c).split("\n")[0] for c in related] == [f"（一）予以公开 × {col}" for col in APPLICANTS]
    assert [c.text for c in related] == ["2", "1", "0", "0", "0", "0"]
    assert "flagged" in primary.get("class") and li.get("id") in primary.get("data-findings").split()

    # Tables 2, 3 and 4 are real tables with the canonical labels.
    captions = [c.text_content() for c in section.xpath(".//figcaption")]
    assert [c.split("：")[0] for c in captions] == ["表2", "表3", "表4"]
    table3 = section.xpath('.//figure[@id="t1-3"]//table')[0]
    header = [th.text_content() for th in table3.xpath(".//tr[@class='head'][1]/th")][1:]
    assert header == [*APPLICANTS, "总计"]
    row_labels = [th.text_content() for th in table3.xpath(".//th[contains(@class, 'row')]")]
    assert row_labels[:2] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"]
    table4 = section.xpath('.//figure[@id="t1-4"]//table')[0]
    top = [(th.text_content(), th.get("colspan")) for th in table4.xpath(".//tr[@class='head'][1]/th")][1:]
    assert top == [("行政复议", "5"), ("行政诉讼", "10")]


def test_prose_finding_points_at_the_table_cell_it_contradicts(tmp_path, capsys):
    text = make_report(flattening="tabs")
    assert text.count("共收到政府信息公开申请8件") == 1
    text = text.replace("共收到政府信息公开申请8件", "共收到政府信息公开申请10件")
    _, page = render(tmp_path, capsys, {"报告.txt": text})
    tree = lxml_html.fromstring(page)
    li = finding_li(tree, "GK601", "10")
    assert li.get("data-primary") is None  # the sentence is prose, not a cell
    (cell,) = cells_of(tree, li, "data-related")
    assert tip(cell).startswith("一、本年新收政府信息公开申请数量 × 总计") and cell.text == "8"


def test_html_input_maps_findings_in_html_source_coordinates(tmp_path, capsys):
    text = make_report(flattening="html")
    assert text.count(HTML_ROW_OK) == 1
    _, page = render(tmp_path, capsys, {"报告.html": text.replace(HTML_ROW_OK, HTML_ROW_BAD)})
    tree = lxml_html.fromstring(page)
    li = finding_li(tree, "GK203", "（一）予以公开")
    (primary,) = cells_of(tree, li, "data-primary")
    assert primary.text == "4" and tip(primary).startswith("（一）予以公开 × 总计")
    assert [c.text for c in cells_of(tree, li, "data-related")] == ["2", "1", "0", "0", "0", "0"]


def test_many_files_get_an_index_linking_to_each_report(tmp_path, capsys):
    files = {"a-干净.txt": make_report(flattening="tabs"), "b-有误.txt": bad_report(), "c-空.txt": ""}
    code, page = render(tmp_path, capsys, files)
    assert code == 2  # the empty file is unreadable
    tree = lxml_html.fromstring(page)
    rows = tree.xpath('//table[@class="index"]/tbody/tr')
    assert [(r.xpath("string(td[1])"), r.xpath("string(td[2])")) for r in rows] == [
        ("a-干净.txt", "可以发布"), ("b-有误.txt", "不宜发布"), ("c-空.txt", "无法读取")]
    assert [r.xpath("td[1]/a/@href")[0] for r in rows] == ["#report-1", "#report-2", "#report-3"]
    for n, name in enumerate(files, 1):
        assert name in tree.get_element_by_id(f"report-{n}").xpath("string(.//h2)")
    assert tree.get_element_by_id("report-1").xpath('string(.//p[@class="empty"])') == "未发现问题。"
    assert "无法读取：文件为空" in tree.get_element_by_id("report-3").xpath('string(.//div[@class="notes"])')
    # finding ids count over the whole page, in file order
    ids = [li.get("id") for li in tree.xpath('//li[contains(@class, "finding")]')]
    assert ids == [f"finding-{i}" for i in range(1, len(ids) + 1)]
    assert all(li.xpath('ancestor::section[@id="report-2"]') for li in tree.xpath('//li[contains(@class, "finding")]'))


def test_english(tmp_path, capsys):
    _, page = render(tmp_path, capsys, {"report.txt": bad_report()}, "--lang", "en")
    tree = lxml_html.fromstring(page)
    assert tree.get("lang") == "en"
    assert "do not publish yet" in tree.xpath("string(//h2)")
    li = finding_li(tree, "GK203", "（一）予以公开")
    assert "total" in li.xpath('string(.//p[@class="msg"])').lower()
    assert "How to fix" in li.xpath("string(.//details)")
    assert "line " in tip(cells_of(tree, li, "data-primary")[0])


def test_deterministic_and_self_contained(tmp_path, capsys):
    _, first = render(tmp_path, capsys, {"报告.txt": bad_report()})
    _, second = render(tmp_path, capsys, {"报告.txt": bad_report()})
    assert first == second
    tree = lxml_html.fromstring(first)
    assert not tree.xpath("//link | //img | //iframe | //object | //embed | //script[@src]")
    assert not re.search(r"(?i)(https?:|//[a-z]|@import|url\()", first.replace("http-equiv", ""))
    assert len(tree.xpath("//script")) == 1 and len(tree.xpath("//style")) == 1
    # The policy allows exactly the inline script and style, by hash.
    script, style = tree.xpath("//script")[0].text, tree.xpath("//style")[0].text
    assert (script, style) == (SCRIPT, STYLE)
    for name, body in (("script-src", SCRIPT), ("style-src", STYLE)):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{name} 'sha256-{digest}'" in CSP
    assert tree.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content') == [CSP]


INJECTION_TITLE = '<script>alert(1)</script>东平市工业和信息化局"><img src=x onerror=alert(2)>'
INJECTION_CELL = '"><img src=x onerror=alert(3)></td></tr></table><script>alert(4)</script>'


def injected_report() -> str:
    text = bad_report()
    lines = text.splitlines(keepends=True)
    lines[0] = INJECTION_TITLE + "\n"
    text = "".join(lines)
    return text.replace(ROW_BAD, ROW_BAD.replace("\t1\t", f"\t{INJECTION_CELL}\t", 1))


def test_report_text_is_escaped_everywhere(tmp_path, capsys):
    _, page = render(tmp_path, capsys, {'"><img src=x onerror=alert(5)>.txt': injected_report()})
    assert "<img" not in page and "<script>alert" not in page and "</script><script" not in page
    tree = lxml_html.fromstring(page)
    assert not tree.xpath("//img")
    assert len(tree.xpath("//script")) == 1 and tree.xpath("//script")[0].text == SCRIPT
    assert not [a for el in tree.iter() if isinstance(el.tag, str) for a in el.attrib if a.startswith("on")]
    # The text survives as text: the file name in the heading, the cell as read.
    assert '"><img src=x onerror=alert(5)>.txt' in tree.xpath("string(//h2)")
    cells = [td for td in tree.xpath("//td") if td.text == INJECTION_CELL]
    assert len(cells) == 1 and "invalid" in cells[0].get("class")


def test_snapshot_only_when_asked_and_plain_data(tmp_path):
    path = tmp_path / "报告.txt"
    path.write_text(bad_report(), encoding="utf-8")
    linter = Linter()
    assert linter.lint_file(path).tables is None
    linter.keep_tables = True
    tables = linter.lint_file(path).tables
    assert tables is not None and sorted(tables) == ["table2", "table3", "table4"]
    assert json.loads(json.dumps(tables)) == tables and pickle.loads(pickle.dumps(tables)) == tables
    row = next(r for r in tables["table3"]["rows"] if r["id"] == "disclosed")
    total = row["cells"][-1]
    assert (total["column"], total["text"], total["value"], total["kind"]) == ("总计", "4", "4", "int")


# -- a real browser --------------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("chromium 未安装（Debian: apt-get install chromium）/ chromium is not installed")


BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio"]


@pytest.fixture
def page_file(tmp_path, capsys) -> Path:
    render(tmp_path, capsys, {"报告.txt": bad_report()})
    return tmp_path / "检查结果.html"


def dump_dom(url: str, profile: Path) -> Any:
    run = subprocess.run(
        [_chromium(), *BROWSER_FLAGS, f"--user-data-dir={profile}", "--window-size=1400,1800",
         "--virtual-time-budget=3000", "--dump-dom", url],
        capture_output=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr.decode(errors="replace")[-2000:]
    return lxml_html.fromstring(run.stdout.decode("utf-8"))


def test_browser_opening_at_a_finding_highlights_exactly_its_cells(page_file, tmp_path):
    static = lxml_html.fromstring(page_file.read_text(encoding="utf-8"))
    li = finding_li(static, "GK203", "（一）予以公开")
    target = li.get("id")
    expected_primary = set(li.get("data-primary").split())
    expected_related = set(li.get("data-related").split())
    assert len(expected_primary) == 1 and len(expected_related) == 6

    dom = dump_dom(page_file.as_uri() + "#" + target, tmp_path / "profile")
    assert dom.get("data-ready") == "1"  # the script ran: the CSP hash matches
    marked = {el.get("id"): el.get("class").split() for el in dom.xpath('//*[contains(@class, "hl")]')}
    assert {i for i, c in marked.items() if "hl-primary" in c} == expected_primary
    assert {i for i, c in marked.items() if "hl" in c} == expected_related
    assert [el.get("id") for el in dom.xpath('//li[contains(@class, "active")]')] == [target]
    bar = dom.get_element_by_id("active")
    assert bar.get("hidden") is None
    assert "GK203" in bar.text_content() and "总计=4" in bar.text_content() and "相差1" in bar.text_content()

    plain = dump_dom(page_file.as_uri(), tmp_path / "profile")
    assert plain.get("data-ready") == "1"
    assert not plain.xpath('//*[contains(@class, "hl")]')
    assert plain.get_element_by_id("active").get("hidden") is not None


class DevTools:
    """A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds() -> None:
            # The pipe protocol reads commands on fd 3 and answers on fd 4.  dup2 leaves
            # the copies inheritable; every other descriptor is close-on-exec (PEP 446).
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [binary, *BROWSER_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=fds)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next = 0
        self.session: str | None = None

    def send(self, method: str, params: dict[str, Any] | None = None, *, browser: bool = False,
             timeout: float = 30) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._next:
                    if "error" in reply:
                        raise AssertionError(f"{method}: {reply['error']}")
                    result: dict[str, Any] = reply.get("result", {})
                    return result
            left = deadline - time.monotonic()
            assert left > 0, f"no answer to {method}"
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                assert chunk, "chromium closed the pipe"
                self._buffer += chunk

    def open(self, url: str, width: int, height: int) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, browser=True)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 browser=True)["sessionId"]
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + 30
        while self.js("document.readyState === 'complete' && document.documentElement.dataset.ready") != "1":
            assert time.monotonic() < deadline, "the page did not finish loading"
            time.sleep(0.05)

    def js(self, expression: str) -> Any:
        return self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})["result"].get("value")

    def mouse(self, kind: str, x: float, y: float) -> None:
        params: dict[str, Any] = {"type": kind, "x": x, "y": y}
        if kind != "mouseMoved":
            params.update(button="left", clickCount=1)
        self.send("Input.dispatchMouseEvent", params)

    def center(self, selector: str) -> tuple[float, float]:
        box = self.js(f"(function(){{var e=document.querySelector({json.dumps(selector)});"
                      "e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
                      "return [r.left + r.width / 2, r.top + Math.min(r.height / 2, 12)];})()")
        return float(box[0]), float(box[1])

    def marked(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = self.js(
            "(function(){var o={};document.querySelectorAll('.hl,.hl-primary').forEach(function(e){"
            "o[e.id]=Array.prototype.slice.call(e.classList).filter(function(c){return c.indexOf('hl')===0;});});"
            "return o;})()")
        return result

    def close(self) -> None:
        try:
            self.send("Browser.close", browser=True, timeout=10)
        except (AssertionError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


@pytest.fixture
def browser(tmp_path):
    client = DevTools(_chromium(), tmp_path / "cdp-profile")
    try:
        yield client
    finally:
        client.close()


def expected_marks(li: Any) -> dict[str, list[str]]:
    out = {i: ["hl"] for i in (li.get("data-related") or "").split()}
    out.update({i: ["hl-primary"] for i in (li.get("data-primary") or "").split()})
    return out


def test_browser_hover_and_click_highlight_the_findings_cells(page_file, browser):
    static = lxml_html.fromstring(page_file.read_text(encoding="utf-8"))
    row = finding_li(static, "GK203", "（一）予以公开")
    column = finding_li(static, "GK202", "“总计”列")
    browser.open(page_file.as_uri(), 1400, 1000)
    assert browser.marked() == {}

    x, y = browser.center(f"#{row.get('id')} .msg")
    browser.mouse("mouseMoved", x, y)
    assert browser.marked() == expected_marks(row)
    browser.mouse("mouseMoved", 2, 2)  # leaving without a click: nothing stays marked
    assert browser.marked() == {}

    x, y = browser.center(f"#{column.get('id')} .msg")
    browser.mouse("mousePressed", x, y)
    browser.mouse("mouseReleased", x, y)
    assert browser.marked() == expected_marks(column)
    assert browser.js("location.hash") == f"#{column.get('id')}"
    assert "相差" in browser.js("document.getElementById('active').textContent")

    x, y = browser.center(f"#{row.get('id')} .msg")  # hover another, then leave: back to the clicked one
    browser.mouse("mouseMoved", x, y)
    assert browser.marked() == expected_marks(row)
    browser.mouse("mouseMoved", 2, 2)
    assert browser.marked() == expected_marks(column)

    # clicking a marked cell selects (one of) its findings
    primary = row.get("data-primary")
    x, y = browser.center(f"#{primary}")
    browser.mouse("mousePressed", x, y)
    browser.mouse("mouseReleased", x, y)
    assert browser.js(f"document.getElementById('{primary}').className").split().count("hl-primary") == 1


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit RGB/RGBA non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for r in range(height):
        kind = raw[r * (stride + 1)]
        line = bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            corner = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line) if bpp == 3 else bytes(b for j, b in enumerate(line) if j % 4 != 3))
        prev = line
    return width, height, rows


def test_browser_screenshot(page_file, browser, tmp_path):
    """The README's picture: the top of the page with the GK203 finding selected."""
    static = lxml_html.fromstring(page_file.read_text(encoding="utf-8"))
    target = finding_li(static, "GK203", "（一）予以公开").get("id")
    browser.open(page_file.as_uri(), 1400, 1800)
    browser.js(f"document.getElementById('{target}').click(); window.scrollTo(0, 0)")
    in_view = ("(function(){var r=document.querySelector('.hl-primary').getBoundingClientRect();"
               "return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;})()")
    assert browser.js(in_view) is True
    png = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"})["data"])
    shot = tmp_path / "html-report.png"
    shot.write_bytes(png)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1400, 1800)
    # The highlighted row as painted: the primary cell's colour (#ffc9c9) and the related cells' (#fff3b0).
    box = browser.js("(function(){var r=document.querySelector('.hl-primary').parentNode.getBoundingClientRect();"
                     "return [r.left + scrollX, r.top + scrollY, r.width, r.height];})()")
    clip = {"x": box[0], "y": box[1], "width": box[2], "height": box[3], "scale": 1}
    row_png = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png", "clip": clip})["data"])
    _, _, rows = png_pixels(row_png)
    colours = {row[i:i + 3] for row in rows for i in range(0, len(row), 3)}
    assert bytes((0xFF, 0xC9, 0xC9)) in colours and bytes((0xFF, 0xF3, 0xB0)) in colours
    if os.environ.get("GKLINT_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
