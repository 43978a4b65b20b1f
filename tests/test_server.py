"""``gklint serve``: a real service in a subprocess on a loopback port, spoken to over HTTP.

The reports are realistic (``gklint.testing.make_report``); the broken one has
四、结转下年度继续办理 = 2 for 自然人 where the table says 1, so table 3 misses
its balance by 1 in the 自然人 and 总计 columns (two GK201 errors, checked by hand:
5 + 1 = 6 but 5 + 2 = 7; 8 + 1 = 9 but 8 + 2 = 10).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import gklint
from gklint.reporters import json as json_reporter
from gklint.testing import make_report

pytest.importorskip("waitress")

DATA = Path(__file__).parent / "data"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
GKLINT_VALIDATOR = jsonschema.Draft202012Validator(json_reporter.schema())
LIMIT = 20 * 1024 * 1024
BROKEN = {"carried_forward": [2, 0, 0, 0, 0, 0]}
CLEAN_TXT = make_report()
BROKEN_TXT = make_report(table3=BROKEN)
CLEAN_HTML = make_report(flattening="html")
BROKEN_HTML = make_report(flattening="html", table3=BROKEN)
HOST = "127.0.0.1"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        assert self.headers["content-type"].startswith(("application/json", "application/sarif+json"))
        return json.loads(self.body)

    def report(self) -> dict[str, Any]:
        """The body as gklint JSON output, validated against the schema."""
        assert self.status == 200, self.body.decode("utf-8", "replace")
        assert self.headers["content-type"] == "application/json; charset=utf-8"
        doc = self.json()
        GKLINT_VALIDATOR.validate(doc)
        return doc

    def error(self, status: int, code: str) -> dict[str, Any]:
        assert self.status == status, self.body.decode("utf-8", "replace")
        payload = self.json()["error"]
        assert payload["status"] == status and payload["code"] == code
        assert payload["message_zh"] and payload["message_en"]
        assert "Traceback" not in self.body.decode("utf-8")
        return payload


class Service:
    def __init__(self, port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.port = port
        self.proc = proc
        self.log = log

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, *, chunked: bool = False) -> Reply:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            if chunked:
                assert body is not None
                pieces = [body[i : i + (1 << 20)] for i in range(0, len(body), 1 << 20)]
                conn.request(method, path, body=iter(pieces), headers=headers or {}, encode_chunked=True)
            else:
                conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        finally:
            conn.close()

    def lint(self, body: bytes, filename: str | None = None, query: str = "",
             headers: dict[str, str] | None = None) -> Reply:
        params = [f"filename={urllib.parse.quote(filename)}"] if filename else []
        if query:
            params.append(query)
        path = "/v1/lint" + ("?" + "&".join(params) if params else "")
        return self.request("POST", path, body, headers)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start(tmp: Path, *args: str, env: dict[str, str] | None = None, isolated: bool = True) -> Service:
    """``python -m gklint serve --port N`` in *tmp*, waited for on /healthz."""
    port = free_port()
    log = tmp / f"serve-{port}.log"
    env = {**os.environ, "PYTHONUTF8": "1", **(env or {})}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gklint", "serve", "--port", str(port),
                                 *(["--isolated"] if isolated else []), *args],
                                cwd=tmp, stdout=out, stderr=subprocess.STDOUT, env=env)
    service = Service(port, proc, log)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"gklint serve exited with {proc.returncode}: {log.read_text('utf-8')}")
        try:
            if service.request("GET", "/healthz").status == 200:
                return service
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(service)
            raise AssertionError(f"gklint serve did not come up: {log.read_text('utf-8')}")
        time.sleep(0.1)


def stop(service: Service) -> int:
    if service.proc.poll() is None:
        service.proc.send_signal(signal.SIGTERM)
        try:
            service.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            service.proc.kill()
            service.proc.wait()
    return service.proc.returncode


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    svc = start(tmp_path_factory.mktemp("serve"))
    try:
        yield svc
    finally:
        stop(svc)


# -- the endpoints --------------------------------------------------------------------------


def test_healthz(service):
    reply = service.request("GET", "/healthz")
    body = reply.json()
    assert reply.status == 200 and body["status"] == "ok" and body["version"] == gklint.__version__
    assert "national-tables" in body["plugins"] and body["rules"] > 20 and body["notifications"] == []
    head = service.request("HEAD", "/healthz")
    assert head.status == 200 and head.body == b"" and head.headers["content-length"] == str(len(reply.body))


def test_rules_lists_every_loaded_rule_in_both_languages(service):
    from gklint.api import Linter
    from gklint.config import Config

    reply = service.request("GET", "/v1/rules")
    assert reply.status == 200
    rules = {r["id"]: r for r in reply.json()["rules"]}
    assert sorted(rules) == sorted(Linter(Config()).plugin_set.rules)
    gk201 = rules["GK201"]
    assert gk201["family"] == "GK2" and gk201["family_name"] == {"zh": "表格计算", "en": "table arithmetic"}
    assert gk201["plugin"] == "national-tables" and gk201["severity"] == gk201["default_severity"] == "error"
    for rule in rules.values():
        for key in ("short", "full", "help", "source"):
            assert set(rule[key]) == {"zh", "en"}
        assert rule["short"]["zh"] and rule["short"]["en"]


def test_clean_html_page_is_publishable(service):
    reply = service.lint(CLEAN_HTML.encode("utf-8"), "正文.html")
    doc = reply.report()
    (file,) = doc["files"]
    assert (file["path"], file["reader"], file["encoding"], file["layout"], file["year"]) == (
        "正文.html", "html", "utf-8", "2021", 2022)
    assert file["findings"] == [] and file["verdict"] == {"publishable": True, "fail_on": "error"}
    assert doc["summary"]["publishable"] is True
    assert reply.headers["x-gklint-publishable"] == "true" and reply.headers["x-gklint-exit-code"] == "0"
    assert reply.headers["server-timing"].startswith("lint;dur=")


def test_broken_gb18030_text_named_by_header(service):
    name = urllib.parse.quote("2022年度报告.txt")
    reply = service.lint(BROKEN_TXT.encode("gb18030"), headers={"X-Gklint-Filename": name})
    doc = reply.report()
    (file,) = doc["files"]
    assert (file["path"], file["reader"], file["encoding"]) == ("2022年度报告.txt", "text", "gb18030")
    assert [(f["rule_id"], f["severity"], f["location"]["logical"].rsplit(" › ", 1)[-1]) for f in file["findings"]] == [
        ("GK201", "error", "自然人"), ("GK201", "error", "总计")]
    assert "（七）总计（5）+四、结转下年度继续办理（2）=7，相差1" in file["findings"][0]["message"]
    assert file["verdict"]["publishable"] is False and file["counts"] == {"error": 2, "warning": 0, "info": 0}
    assert reply.headers["x-gklint-publishable"] == "false" and reply.headers["x-gklint-exit-code"] == "1"


def test_html_fragment_without_html_element(service):
    fragment = CLEAN_HTML.split("<body>", 1)[1].split("</body>", 1)[0]
    assert "<html" not in fragment
    file = service.lint(fragment.encode("utf-8"), "正文.htm").report()["files"][0]
    assert file["reader"] == "html" and file["findings"] == [] and file["layout"] == "2021"


def test_name_from_content_type_when_not_given(service):
    doc = service.lint(BROKEN_HTML.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"}).report()
    assert doc["files"][0]["path"] == "document.html" and doc["files"][0]["reader"] == "html"
    assert doc["summary"]["counts"]["error"] == 2


def test_json_body_with_text_and_base64_docx(service):
    body = json.dumps({"filename": "正文.html", "content": BROKEN_HTML}).encode("utf-8")
    doc = service.lint(body, headers={"Content-Type": "application/json"}).report()
    assert doc["files"][0]["path"] == "正文.html" and doc["summary"]["counts"]["error"] == 2

    from gklint.testing import make_docx

    pytest.importorskip("docx")
    payload = {"filename": "年报.docx", "content_base64": base64.b64encode(make_docx(table3=BROKEN)).decode()}
    reply = service.lint(json.dumps(payload).encode("utf-8"), headers={"Content-Type": "application/json"})
    (file,) = reply.report()["files"]
    assert (file["reader"], file["coordinates"], file["encoding"]) == ("docx", "extracted-text", None)
    assert [f["rule_id"] for f in file["findings"]] == ["GK201", "GK201"]


def test_query_options(service):
    body = BROKEN_TXT.encode("utf-8")
    never = service.lint(body, "a.txt", "fail_on=never")
    doc = never.report()
    assert doc["fail_on"] == "never" and doc["summary"]["findings"] == 2 and doc["summary"]["publishable"] is True
    assert never.headers["x-gklint-publishable"] == "true" and never.headers["x-gklint-exit-code"] == "0"

    english = service.lint(body, "a.txt", "lang=en").report()
    message = english["files"][0]["findings"][0]["message"]
    assert english["lang"] == "en" and message == english["files"][0]["findings"][0]["message_en"]
    assert "自然人" in message and "相差" not in message

    selected = service.lint(body, "a.txt", "select=GK1,GK3")
    assert selected.report()["summary"]["findings"] == 0 and selected.headers["x-gklint-publishable"] == "true"
    ignored = service.lint(body, "a.txt", "ignore=GK201").report()
    assert ignored["summary"]["findings"] == 0
    # the loaded rule set is untouched by other requests' selections
    assert service.lint(body, "a.txt").report()["summary"]["findings"] == 2

    unknown = service.lint(body, "a.txt", "select=ZZ9,GK1").report()
    assert [n["kind"] for n in unknown["notifications"]] == ["config"] and unknown["notifications"][0]["level"] == "warning"
    service.lint(body, "a.txt", "select=ZZ9").error(400, "bad-option")  # selects nothing: every report would pass

    bad = service.lint(body, "a.txt", "fail_on=bogus").error(400, "bad-option")
    # the message names the query parameter, not the command line's configuration key
    assert bad["message_zh"] == "查询参数 fail_on 应为 error | warning | info | never 之一（实际为 'bogus'）"
    assert bad["message_en"] == "query parameter fail_on must be one of error | warning | info | never (got 'bogus')"
    assert "查询参数 lang " in service.lint(body, "a.txt", "lang=fr").error(400, "bad-option")["message_zh"]
    bad = service.lint(body, "a.txt", "lang=zh&select=gk2!").error(400, "bad-option")
    assert bad["message_zh"].startswith("查询参数 select 中的 'GK2!' 不是规则编号或前缀")
    assert "命令行" not in bad["message_zh"] and "command line" not in bad["message_en"]
    error = service.lint(body, "a.txt", "failon=warning").error(400, "bad-query")
    assert "failon" in error["message_zh"]
    service.lint(body, "a.txt", "lang=en&lang=zh").error(400, "bad-query")


def test_sarif_by_accept(service):
    reply = service.lint(BROKEN_TXT.encode("utf-8"), "报告.txt", headers={"Accept": "application/sarif+json"})
    assert reply.status == 200 and reply.headers["content-type"] == "application/sarif+json; charset=utf-8"
    log = reply.json()
    jsonschema.validate(log, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
    (run,) = log["runs"]
    assert [r["ruleId"] for r in run["results"]] == ["GK201", "GK201"]
    assert run["artifacts"][0]["location"]["uri"] == urllib.parse.quote("报告.txt")
    assert run["properties"]["publishable"] is False and reply.headers["x-gklint-publishable"] == "false"
    preferred = service.lint(CLEAN_TXT.encode("utf-8"), "a.txt",
                             headers={"Accept": "application/json, application/sarif+json;q=0.5"})
    preferred.report()


# -- limits and bad requests ------------------------------------------------------------------


def test_oversized_body_is_413(service):
    body = b"a" * (LIMIT + 1)
    error = service.lint(body, "big.txt").error(413, "body-too-large")
    assert error["limit"] == LIMIT and str(LIMIT + 1) in error["message_zh"]
    # without a Content-Length the service reads at most limit + 1 bytes
    service.request("POST", "/v1/lint?filename=big.txt", body, chunked=True).error(413, "body-too-large")


def test_hopelessly_oversized_body_is_refused_before_it_is_sent(service):
    conn = http.client.HTTPConnection(HOST, service.port, timeout=30)
    try:
        conn.putrequest("POST", "/v1/lint")
        conn.putheader("Content-Length", str(10 * LIMIT))
        conn.endheaders()
        assert conn.getresponse().status == 413
    finally:
        conn.close()


@pytest.mark.parametrize("body", [
    b'{"filename": "a.txt", "content": ',
    b"\xff\xfe not json",
    b'["a.txt", "text"]',
    b'{"filename": "a.txt"}',
    b'{"filename": "a.txt", "content": "x", "content_base64": "eA=="}',
    b'{"filename": 7, "content": "x"}',
    b'{"filename": "a.txt", "content": 7}',
    b'{"filename": "a.docx", "content_base64": "not base64!"}',
    b'{"filename": "a.txt", "content": "x", "fail_on": "never"}',
    b'{"filename": "a.txt", "content": "\\ud800"}',
])
def test_malformed_json_is_400(service, body):
    service.lint(body, headers={"Content-Type": "application/json; charset=utf-8"}).error(400, "bad-json")


@pytest.mark.parametrize(("body", "name", "zh", "en"), [
    (b"", "a.txt", "文件为空", "empty"),
    (bytes(range(256)) * 64, "a.txt", "", ""),
    (b"PK\x03\x04 this is not a zip archive", "a.docx", "", ""),
    (b"<p>\x00\x00\x00</p>" * 100, "a.html", "", ""),
])
def test_unreadable_document_is_422(service, body, name, zh, en):
    error = service.lint(body, name).error(422, "unreadable-document")
    assert error["path"] == name and error["message_zh"].startswith(f"{name}：无法读取：")
    assert zh in error["message_zh"] and en in error["message_en"]


def test_bad_file_names_are_400(service):
    service.lint(b"x", headers={"X-Gklint-Filename": "%E6%AD"}).error(400, "bad-filename")
    service.request("POST", "/v1/lint?filename=%E6%AD", b"x").error(400, "bad-query")
    service.lint(b"x", "a\nb.txt").error(400, "bad-filename")


def test_wrong_method_is_405_with_allow(service):
    reply = service.request("GET", "/v1/lint")
    reply.error(405, "method-not-allowed")
    assert reply.headers["allow"] == "POST"
    reply = service.request("DELETE", "/healthz")
    reply.error(405, "method-not-allowed")
    assert reply.headers["allow"] == "GET, HEAD"
    assert service.request("PUT", "/v1/rules", b"{}").headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/", "/v1/lint/", "/v2/lint", "/healthz/x", "/v1/规则"])
def test_unknown_path_is_404(service, path):
    error = service.request("GET", urllib.parse.quote(path)).error(404, "not-found")
    assert "/v1/lint" in error["message_en"]


# -- concurrency and robustness --------------------------------------------------------------


def test_concurrent_requests_get_their_own_verdicts(service):
    docs = [
        ("clean.txt", CLEAN_TXT.encode("gb18030"), "true"),
        ("broken.txt", BROKEN_TXT.encode("utf-8"), "false"),
        ("clean.html", CLEAN_HTML.encode("utf-8"), "true"),
        ("broken.html", BROKEN_HTML.encode("utf-8"), "false"),
        ("broken-2020.txt", make_report(layout="2020", flattening="pipes", table3=BROKEN).encode("utf-8"), "false"),
    ]
    expected = {name: service.lint(body, name) for name, body, _ in docs}
    assert [expected[name].headers["x-gklint-publishable"] for name, _, _ in docs] == [v for _, _, v in docs]
    jobs = [docs[i % len(docs)] for i in range(60)]
    with ThreadPoolExecutor(max_workers=24) as pool:
        replies = list(pool.map(lambda job: service.lint(job[1], job[0]), jobs))
    for (name, _, verdict), reply in zip(jobs, replies, strict=True):
        assert reply.status == 200 and reply.headers["x-gklint-publishable"] == verdict
        assert reply.body == expected[name].body  # deterministic output: byte for byte the sequential answer
        assert reply.report()["files"][0]["path"] == name


def test_service_survived_everything(service):
    assert service.proc.poll() is None
    assert service.request("GET", "/healthz").status == 200
    log = service.log.read_text(encoding="utf-8")
    assert "Traceback" not in log and "internal error" not in log


# -- the command -------------------------------------------------------------------------------


def test_sigterm_stops_cleanly_and_a_busy_port_is_exit_2(tmp_path):
    svc = start(tmp_path, "--lang", "en")
    try:
        busy = subprocess.run([sys.executable, "-m", "gklint", "serve", "--port", str(svc.port), "--isolated"],
                              cwd=tmp_path, capture_output=True, timeout=60)
        assert busy.returncode == 2
        assert f"无法监听 127.0.0.1:{svc.port}" in busy.stderr.decode("utf-8")
        assert b"Traceback" not in busy.stderr
    finally:
        code = stop(svc)
    log = svc.log.read_text(encoding="utf-8")
    assert code == 0 and f"listening on http://127.0.0.1:{svc.port}" in log and "stopped" in log


ACCESS_LINE = re.compile(
    r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] '
    r'"(?P<method>[A-Z]+) (?P<target>\S+) HTTP/1\.1" (?P<status>\d{3}) (?P<size>\d+|-) '
    r'(?P<seconds>\d+\.\d{3})s publishable=(?P<verdict>true|false|-)$', re.M)


def test_access_log_one_line_per_request(tmp_path):
    svc = start(tmp_path)
    try:
        svc.lint(BROKEN_TXT.encode("utf-8"), "报告.txt", "fail_on=error")
        svc.request("GET", "/nowhere")
    finally:
        stop(svc)
    lines = [m.groupdict() for m in ACCESS_LINE.finditer(svc.log.read_text(encoding="utf-8"))]
    lint = next(line for line in lines if line["method"] == "POST")
    assert lint["target"] == "/v1/lint?filename=%E6%8A%A5%E5%91%8A.txt&fail_on=error"
    assert lint["status"] == "200" and int(lint["size"]) > 100 and lint["verdict"] == "false"
    missing = next(line for line in lines if line["target"] == "/nowhere")
    assert missing["status"] == "404" and missing["verdict"] == "-"
    assert sum(1 for line in lines if line["method"] == "GET" and line["target"] == "/healthz") >= 1  # start()'s


def test_no_access_log(tmp_path):
    svc = start(tmp_path, "--no-access-log")
    try:
        svc.lint(CLEAN_TXT.encode("utf-8"), "报告.txt")
    finally:
        stop(svc)
    log = svc.log.read_text(encoding="utf-8")
    assert "listening on" in log or "正在监听" in log
    assert not ACCESS_LINE.search(log) and "/v1/lint" not in log


def test_missing_waitress_says_how_to_install(monkeypatch, capsys):
    from gklint.cli import main

    monkeypatch.setitem(sys.modules, "waitress", None)
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", "0"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "pip install waitress" in err and "gklint[server]" not in err and "Traceback" not in err


# -- the WSGI application in-process --------------------------------------------------------------


def call(app: Any, method: str, path: str, body: bytes = b"", **environ: str) -> Reply:
    import io
    from wsgiref.util import setup_testing_defaults

    env: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
                           "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body), **environ}
    setup_testing_defaults(env)
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured["status"], captured["headers"] = status, headers

    data = b"".join(app(env, start_response))
    return Reply(int(captured["status"].split()[0]), {k.lower(): v for k, v in captured["headers"]}, data)


def test_body_limit_is_inclusive():
    from gklint.api import Linter
    from gklint.config import Config
    from gklint.server import make_app

    app = make_app(Linter(Config()), max_body_bytes=len(CLEAN_TXT.encode("utf-8")))
    assert call(app, "POST", "/v1/lint", CLEAN_TXT.encode("utf-8")).report()["summary"]["publishable"] is True
    too_big = (CLEAN_TXT + "。").encode("utf-8")
    call(app, "POST", "/v1/lint", too_big).error(413, "body-too-large")
    call(app, "POST", "/v1/lint", too_big, CONTENT_LENGTH="").error(413, "body-too-large")
    call(app, "POST", "/v1/lint", too_big, CONTENT_LENGTH="12a").error(400, "bad-request")


def test_unexpected_exception_is_500_without_traceback(caplog):
    from gklint.api import Linter
    from gklint.config import Config
    from gklint.formats import ReporterFactory
    from gklint.server import make_app

    class Exploding:
        def write(self, result: Any, stream: Any, options: Any) -> None:
            raise RuntimeError("磁盘已满")

    linter = Linter(Config())
    linter.plugin_set.reporters["json"] = ReporterFactory("json", "boom", Exploding)
    app = make_app(linter)
    error = call(app, "POST", "/v1/lint", CLEAN_TXT.encode("utf-8")).error(500, "internal-error")
    assert error["message_zh"] == "内部错误：RuntimeError: 磁盘已满（请报告此问题）"
    assert call(app, "GET", "/healthz").status == 200  # and the application goes on
    assert "RuntimeError: 磁盘已满" in caplog.text and "Traceback" not in caplog.text


def test_plugin_failure_makes_health_degraded_and_nothing_publishable(site, kit):
    from gklint.api import Linter
    from gklint.config import Config
    from gklint.server import make_app

    site.add("gklint-broken", {"broken": "gkt_broken_mod"}, {"gkt_broken_mod": 'raise ImportError("缺少依赖")\n'})
    app = make_app(Linter(Config()))
    health = call(app, "GET", "/healthz")
    assert health.status == 503 and health.json()["status"] == "degraded"
    reply = call(app, "POST", "/v1/lint", CLEAN_TXT.encode("utf-8"))
    doc = reply.report()
    assert doc["execution_successful"] is False and doc["summary"]["publishable"] is False
    assert reply.headers["x-gklint-publishable"] == "false" and reply.headers["x-gklint-exit-code"] == "2"


def test_per_request_selections_share_the_loaded_plugins_and_data():
    from gklint.api import Linter
    from gklint.config import Config
    from gklint.server import MAX_VARIANTS, make_app

    linter = Linter(Config())
    app = make_app(linter)
    body = BROKEN_TXT.encode("utf-8")
    rules = sorted(linter.plugin_set.rules)
    for rule_id in rules[: MAX_VARIANTS + 8]:
        doc = call(app, "POST", "/v1/lint", body, QUERY_STRING=f"ignore={rule_id}").report()
        assert doc["summary"]["findings"] == (0 if rule_id == "GK201" else 2)
    variants = app.service._variants
    assert len(variants) == MAX_VARIANTS
    assert all(v.plugin_set is linter.plugin_set and v.data is linter.data for v in variants.values())


@pytest.mark.parametrize(("accept", "sarif"), [
    ("", False), ("*/*", False), ("application/json", False), ("application/sarif+json", True),
    ("application/sarif+json, application/json;q=0.9", True), ("application/json, application/sarif+json", False),
    ("application/json;q=0.5, application/sarif+json;q=0.8", True), ("application/sarif+json;q=0", False),
    ("Application/SARIF+JSON; charset=utf-8", True), ("application/sarif+json;q=x", False),
])
def test_accept_negotiation(accept, sarif):
    from gklint.server import wants_sarif

    assert wants_sarif(accept) is sarif


def test_region_per_request(service):
    """A CMS knows whose report it is: ?region= sets the report's region for that request."""
    body = make_report(agency="工业和信息化局").replace("地址：东平市人民路88号；邮编：271500；电话：0538-5261234；", "")
    unknown = service.lint(body.encode("utf-8"), "a.txt").report()
    assert unknown["files"][0]["region"] is None
    given = service.lint(body.encode("utf-8"), "a.txt", "region=" + urllib.parse.quote("江苏省")).report()
    assert given["files"][0]["region"] == "江苏省"
    service.lint(body.encode("utf-8"), "a.txt", "region=" + urllib.parse.quote("火星")).error(400, "bad-option")


# -- hardening: limits, misbehaving plugins, idle connections, stopping, browsers ------------------

MISBEHAVING = """
import os, sys, time
from gklint import hookimpl
from gklint.findings import Message, Severity
from gklint.rule import Rule


def check(doc, ctx):
    text = doc.text
    if "【睡眠】" in text:
        while True:
            time.sleep(0.05)
    if "【吃内存】" in text:
        hog = [bytearray(16 << 20) for _ in range(64)]  # 1 GiB: over the limit, bearable without one
        del hog
    if "【退出】" in text:
        sys.exit(3)
    if "【立即退出】" in text:
        os._exit(4)
    return ()


@hookimpl
def gklint_rules():
    return [Rule("BAD101", "misbehaving", "测试", Severity.ERROR, Message("坏规则", "bad rule"), Message("坏", "bad"),
                 Message("无", "none"), check, source=Message("无", "none"))]
"""


def misbehaving_site(tmp: Path) -> dict[str, str]:
    """A site directory with the plugin ``gklint-bad`` (rule BAD101), as the environment to start a service with."""
    root = tmp / "site"
    root.mkdir()
    (root / "gkt_bad_mod.py").write_text(MISBEHAVING, encoding="utf-8")
    info = root / "gklint_bad-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gklint-bad\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[gklint]\nbad = gkt_bad_mod\n", encoding="utf-8")
    (tmp / "gklint.toml").write_text("[limits]\nmax-seconds-per-document = 3\n", encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}


@pytest.fixture(scope="module")
def bad_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    tmp = tmp_path_factory.mktemp("bad")
    env = misbehaving_site(tmp)
    svc = start(tmp, "--config", str(tmp / "gklint.toml"), "--workers", "2", "--worker-memory-mb", "160", env=env,
                isolated=False)
    try:
        yield svc
    finally:
        stop(svc)


def timed_health(service: Service) -> float:
    started = time.monotonic()
    assert service.request("GET", "/healthz").status == 200
    return time.monotonic() - started


def test_a_rule_that_never_ends_is_stopped_at_the_time_limit_and_health_answers_meanwhile(bad_service):
    body = (CLEAN_TXT + "\n【睡眠】\n").encode("utf-8")
    with ThreadPoolExecutor(4) as pool:
        stuck = [pool.submit(bad_service.lint, body, "a.txt") for _ in range(3)]
        time.sleep(0.5)
        assert max(timed_health(bad_service) for _ in range(5)) < 1.0  # every worker busy, health answers
        replies = [f.result(timeout=60) for f in stuck]
    for reply in replies:
        error = reply.error(504, "timeout")
        assert error["limit_seconds"] == 3 and error["rule_id"] == "BAD101" and error["plugin"] == "bad"
        assert "3 s" in error["message_en"] and "max-seconds-per-document" in error["message_en"]
    assert bad_service.lint(CLEAN_TXT.encode("utf-8"), "a.txt").report()["summary"]["publishable"] is True


def test_a_rule_that_eats_memory_is_stopped_at_the_memory_limit(bad_service):
    error = bad_service.lint((CLEAN_TXT + "\n【吃内存】\n").encode("utf-8"), "a.txt").error(503, "memory-limit")
    assert error["limit_mb"] == 160 and "160 MiB" in error["message_en"] and "--worker-memory-mb" in error["message_en"]
    assert bad_service.lint(CLEAN_TXT.encode("utf-8"), "a.txt").report()["summary"]["publishable"] is True


def test_a_docx_zip_bomb_is_stopped_at_the_memory_limit(bad_service):
    import io
    import zipfile

    paragraph = "<w:p><w:r><w:t>一二三四五六七八九十</w:t></w:r></w:p>" * 1000
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        with zf.open("word/document.xml", "w") as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                     b'2006/main"><w:body>')
            chunk = paragraph.encode("utf-8")
            for _ in range(1500):  # ~80 MB of XML, well under the 200 MB uncompressed limit
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")
    data = buf.getvalue()
    assert len(data) < 2 * 1024 * 1024
    payload = json.dumps({"filename": "bomb.docx", "content_base64": base64.b64encode(data).decode("ascii")})
    started = time.monotonic()
    reply = bad_service.lint(payload.encode("utf-8"), headers={"Content-Type": "application/json"})
    assert reply.status in (503, 504), reply.body
    assert reply.json()["error"]["code"] in ("memory-limit", "timeout")
    assert time.monotonic() - started < 30
    assert timed_health(bad_service) < 1.0


def test_a_plugin_calling_sys_exit_is_a_plugin_failure_and_the_service_goes_on(bad_service):
    """SystemExit from a rule is that plugin's failure, like any exception: named, not publishable."""
    for _ in range(3):
        report = bad_service.lint((CLEAN_TXT + "\n【退出】\n").encode("utf-8"), "a.txt").report()
        assert report["execution_successful"] is False and report["summary"]["publishable"] is False
        crash = [n for n in report["files"][0]["notifications"] if n["kind"] == "rule-crash"]
        assert crash and crash[0]["plugin"] == "bad" and "SystemExit" in crash[0]["exception"]
    assert bad_service.lint(CLEAN_TXT.encode("utf-8"), "a.txt").report()["summary"]["publishable"] is True


def test_a_plugin_ending_the_process_gets_a_json_error_and_the_service_goes_on(bad_service):
    for _ in range(3):  # more than the number of workers: each is replaced
        error = bad_service.lint((CLEAN_TXT + "\n【立即退出】\n").encode("utf-8"), "a.txt").error(500, "worker-died")
        assert error["rule_id"] == "BAD101" and error["plugin"] == "bad"
        assert "exit code 4" in error["message_en"] and "BAD101" in error["message_zh"]
    assert bad_service.lint(CLEAN_TXT.encode("utf-8"), "a.txt").report()["summary"]["publishable"] is True


def test_bad_service_survived_everything(bad_service):
    assert bad_service.proc.poll() is None
    log = bad_service.log.read_text(encoding="utf-8")
    assert "Traceback" not in log


def test_idle_connections_do_not_starve_health_checks(service):
    idle = []
    try:
        for _ in range(150):  # more than waitress's default connection limit of 100
            idle.append(socket.create_connection((HOST, service.port), timeout=5))
        time.sleep(0.3)
        assert max(timed_health(service) for _ in range(3)) < 1.0
    finally:
        for sock in idle:
            sock.close()


def test_a_declared_body_over_the_limit_is_refused_at_once_in_json(service):
    with socket.create_connection((HOST, service.port), timeout=10) as sock:
        sock.sendall(f"POST /v1/lint?filename=a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     f"Content-Length: {LIMIT + 1}\r\n\r\n".encode("ascii"))
        data = b""
        while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}}"):
            got = sock.recv(65536)
            if not got:
                break
            data += got
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413") and b"application/json" in head
    error = json.loads(body)["error"]
    assert error["code"] == "body-too-large" and error["limit"] == LIMIT and str(LIMIT + 1) in error["message_en"]


def test_deeply_nested_json_is_400(service):
    service.lint(b"[" * 100_000, headers={"Content-Type": "application/json"}).error(400, "bad-json")


@pytest.mark.parametrize("media", ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x"])
def test_bodies_a_web_page_may_send_unasked_are_refused(service, media):
    error = service.lint(CLEAN_TXT.encode("utf-8"), "a.txt", headers={"Content-Type": media})
    error.error(415, "unsupported-media-type")


def test_host_and_origin_must_be_local_on_loopback(service):
    body = CLEAN_TXT.encode("utf-8")
    assert service.lint(body, "a.txt", headers={"Host": f"localhost:{service.port}"}).status == 200
    assert service.lint(body, "a.txt", headers={"Host": f"[::1]:{service.port}"}).status == 200
    service.lint(body, "a.txt", headers={"Host": "evil.example:8765"}).error(400, "host-not-allowed")
    service.request("GET", "/healthz", headers={"Host": "evil.example"}).error(400, "host-not-allowed")
    service.lint(body, "a.txt", headers={"Origin": "http://evil.example"}).error(403, "origin-not-allowed")
    assert service.lint(body, "a.txt", headers={"Origin": f"http://127.0.0.1:{service.port}"}).status == 200


def test_token_is_required_except_for_health(tmp_path):
    svc = start(tmp_path, "--allowed-host", "gklint.internal", "--allowed-host", HOST,
                env={"GKLINT_SERVE_TOKEN": "s3cret"})
    try:
        body = CLEAN_TXT.encode("utf-8")
        headers = {"Host": "gklint.internal"}
        assert svc.request("GET", "/healthz", headers=headers).status == 200
        reply = svc.lint(body, "a.txt", headers=headers)
        reply.error(401, "unauthorized")
        assert reply.headers["www-authenticate"].startswith("Bearer")
        svc.lint(body, "a.txt", headers={**headers, "Authorization": "Bearer wrong"}).error(401, "unauthorized")
        good = {**headers, "Authorization": "Bearer s3cret"}
        assert svc.lint(body, "a.txt", headers=good).report()["summary"]["publishable"] is True
        assert svc.request("GET", "/v1/rules", headers=good).status == 200
        svc.lint(body, "a.txt", headers={**good, "Host": "localhost"}).error(400, "host-not-allowed")
    finally:
        stop(svc)


def test_sigterm_during_traffic_stops_within_the_grace_period(tmp_path):
    body = CLEAN_HTML.encode("utf-8") * 20  # the event loop busy reading: where a stop request used to get lost
    for attempt in range(6):
        svc = start(tmp_path, "--grace-seconds", "5")
        stop_flag: list[bool] = []

        def hammer(svc: Service, stop_flag: list[bool], n: int) -> None:
            while not stop_flag:
                try:
                    if n % 2:
                        svc.lint(body, "a.html")
                    else:  # many short requests: the event loop is often inside a connection's handler
                        svc.request("GET", "/healthz")
                except OSError:
                    pass

        with ThreadPoolExecutor(12) as pool:
            for n in range(12):
                pool.submit(hammer, svc, stop_flag, n)
            time.sleep(0.5 + 0.2 * attempt)
            started = time.monotonic()
            svc.proc.send_signal(signal.SIGTERM)
            try:
                code = svc.proc.wait(timeout=15)
            finally:
                stop_flag.append(True)
                if svc.proc.poll() is None:
                    svc.proc.kill()
                    svc.proc.wait()
        assert code == 0 and time.monotonic() - started < 10
        assert "已停止" in svc.log.read_text(encoding="utf-8")


def test_small_documents_go_first_and_big_ones_never_take_the_last_worker():
    import queue
    import threading

    from gklint.servepool import _Free

    free = _Free(2)
    a, b = object(), object()
    free.put(a)  # type: ignore[arg-type]
    assert free.get(True, 1) is a  # the first big one takes a worker
    free.put(b)  # type: ignore[arg-type]
    with pytest.raises(queue.Empty):
        free.get(True, 0.2)  # a second big one may not take the last
    order: list[str] = []
    taken = threading.Event()

    def wait_for(name: str, big: bool) -> None:
        free.get(big, 5)
        order.append(name)
        taken.set()

    big_waiter = threading.Thread(target=wait_for, args=("big", True))
    big_waiter.start()
    time.sleep(0.1)
    small_waiter = threading.Thread(target=wait_for, args=("small", False))
    small_waiter.start()
    small_waiter.join(5)
    assert order == ["small"]  # the small one took b although the big one came first
    free.put(a, was_big=True)  # type: ignore[arg-type]
    big_waiter.join(5)
    assert order == ["small", "big"]


def test_a_stop_request_arriving_inside_a_connection_handler_is_not_lost():
    """The old handler raised inside whatever ran, and a connection's error handler swallowed it."""
    import threading

    import waitress
    from waitress.channel import HTTPChannel

    from gklint import servehttp

    class Signalling(HTTPChannel):
        def handle_read(self) -> None:
            os.kill(os.getpid(), signal.SIGTERM)  # the handler runs here, inside a connection's handler
            super().handle_read()

    def app(environ: Any, start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    dispatcher = servehttp.LaneDispatcher(["/healthz"])
    dispatcher.set_thread_count(2)
    server = waitress.create_server(app, host=HOST, port=0, _dispatcher=dispatcher, asyncore_use_poll=True)
    server.channel_class = Signalling
    port = server.effective_port
    stopped: list[bool] = []

    def client() -> None:
        for _ in range(200):  # about 10 s of connections, every one signalling
            try:
                http.client.HTTPConnection(HOST, port, timeout=2).request("GET", "/healthz")
            except OSError:
                pass
            time.sleep(0.05)

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    started = time.monotonic()
    servehttp.run(server, dispatcher, grace_seconds=1, on_stop=lambda: stopped.append(True))
    assert stopped and time.monotonic() - started < 3  # the first request stops it, whatever was running
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or callable(signal.getsignal(signal.SIGTERM))


def test_spawned_workers_load_the_plugins_themselves():
    """Outside Linux workers are spawned, not forked: the same answers."""
    from gklint.api import Linter
    from gklint.config import Config
    from gklint.servepool import WorkerPool
    from gklint.server import render_job

    pool = WorkerPool(Linter(Config()), render_job, size=1, start_method="spawn")
    try:
        body = BROKEN_TXT.encode("utf-8")
        status, out, content_type, headers = pool.run(lambda: ((body, "a.txt", {}, False), "a.txt"), size=len(body))
    finally:
        pool.close()
    assert status == 200 and content_type.startswith("application/json")
    assert ("X-Gklint-Publishable", "false") in headers
    doc = json.loads(out)
    assert sorted(f["rule_id"] for f in doc["files"][0]["findings"] if f["severity"] == "error") == ["GK201", "GK201"]
