"""``gklint serve``: the pre-publish check as an HTTP service for content management systems.

Endpoints (see ``docs/integration.md``):

- ``POST /v1/lint``: the document as the raw body (name in ``?filename=`` or the
  ``X-Gklint-Filename`` header, percent-encoded UTF-8) or as JSON
  ``{"filename": ..., "content": ...}`` / ``{"filename": ..., "content_base64": ...}``;
  options ``fail_on``, ``lang``, ``select``, ``ignore``, ``region`` in the query.  A JSON request may
  add ``"previous": {"filename": ..., "content" | "content_base64": ...}``, the same
  agency's report of the year before, for the cross-year checks (GK7).  The answer is
  the ``--format json`` document (or SARIF when ``Accept`` asks for
  ``application/sarif+json``) with the verdict in ``X-Gklint-Publishable``.
- ``GET /v1/rules``: every loaded rule with its texts in Chinese and English.
- ``GET /healthz``: 200 when plugins loaded cleanly, 503 otherwise.

Every other answer is a JSON error ``{"error": {"status", "code", "message",
"message_zh", "message_en"}}``: 400 bad request or ``Host``, 401 no token, 403 a web
page's ``Origin``, 404 unknown path, 405 wrong method (with ``Allow``), 413 body too
large, 415 a body type web pages may send, 422 unreadable document, 500 internal
error or a worker that ended (never a traceback), 503 memory limit or busy, 504 time
limit.  :func:`make_app` is a plain WSGI application around one
:class:`~gklint.api.Linter`: plugins load once, and requests share it read-only; with
a :class:`~gklint.servepool.WorkerPool` the documents are checked in its worker
processes.  :func:`serve_command` runs it on waitress (:mod:`gklint.servehttp`).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hmac
import io
import ipaddress
import json
import logging
import sys
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import click

import gklint
from gklint.cli import exit_code
from gklint.config import Config, ConfigError, Selection
from gklint.findings import Message
from gklint.formats import ReportOptions
from gklint.parallel import IDLE, READING
from gklint.plugins import exception_text
from gklint.reporters.base import dump_json
from gklint.servepool import DEFAULT_MAX_REQUESTS, DEFAULT_MEMORY_MB, DEFAULT_WORKERS, PoolError

if TYPE_CHECKING:
    from gklint.api import Linter
    from gklint.servepool import Answer, Hooks, WorkerPool

__all__ = ["DEFAULT_MAX_BODY_BYTES", "make_app", "serve_command"]

DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024
JSON_TYPE = "application/json"
SARIF_TYPE = "application/sarif+json"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
QUERY_KEYS = ("filename", "fail_on", "lang", "select", "ignore", "region")
MAX_FILENAME_CHARS = 255
MAX_VARIANTS = 32

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
            405: "Method Not Allowed", 406: "Not Acceptable", 413: "Content Too Large", 415: "Unsupported Media Type",
            422: "Unprocessable Content", 500: "Internal Server Error", 501: "Not Implemented",
            503: "Service Unavailable", 504: "Gateway Timeout"}
#: Bodies a web page may send to any address without asking first (CORS "simple" requests): refused.
BROWSER_SIMPLE_TYPES = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

log = logging.getLogger("gklint.server")


class ServiceError(Exception):
    """A request the service answers with an error status and a JSON body."""

    def __init__(self, status: int, code: str, message: Message, *,
                 headers: tuple[tuple[str, str], ...] = (), extra: Mapping[str, Any] | None = None) -> None:
        super().__init__(message.en)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.extra = dict(extra or {})


@dataclasses.dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = f"{JSON_TYPE}; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def _json_bytes(payload: Any) -> bytes:
    return dump_json(payload).encode("utf-8")


def _error_response(exc: ServiceError, lang: str) -> Response:
    body = {"status": exc.status, "code": exc.code, "message": exc.message.get(lang),
            "message_zh": exc.message.zh, "message_en": exc.message.en, **exc.extra}
    return Response(exc.status, _json_bytes({"error": body}), headers=exc.headers)


def _bad(code: str, zh: str, en: str, status: int = 400) -> ServiceError:
    return ServiceError(status, code, Message(zh, en))


# -- request parsing ------------------------------------------------------------------


def _wsgi_text(value: str) -> str:
    """A PEP 3333 "bytes as latin-1" string back to text (raw UTF-8 from the client)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def parse_query(environ: Mapping[str, Any]) -> dict[str, list[str]]:
    """The query string as ``{key: [values]}``; only :data:`QUERY_KEYS`, values UTF-8."""
    raw = _wsgi_text(environ.get("QUERY_STRING", ""))
    try:
        pairs = urllib.parse.parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise _bad("bad-query", "查询参数不是有效的 UTF-8 百分号编码",
                   "the query string is not valid percent-encoded UTF-8") from None
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        name = key.replace("-", "_")
        if name not in QUERY_KEYS:
            known = ", ".join(QUERY_KEYS)
            raise _bad("bad-query", f"未知的查询参数 {key}（可用：{known}）",
                       f"unknown query parameter {key} (known: {known})")
        out.setdefault(name, []).append(value)
    for name in ("filename", "fail_on", "lang", "region"):
        if len(out.get(name, ())) > 1:
            raise _bad("bad-query", f"查询参数 {name} 只能给一次", f"query parameter {name} given more than once")
    return out


def _check_filename(name: str) -> str:
    name = name.strip()
    if not name:
        raise _bad("bad-filename", "文件名为空", "the file name is empty")
    if len(name) > MAX_FILENAME_CHARS or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise _bad("bad-filename", f"文件名无效（含控制字符或超过 {MAX_FILENAME_CHARS} 个字符）",
                   f"invalid file name (control characters or longer than {MAX_FILENAME_CHARS} characters)")
    return name


def _header_filename(environ: Mapping[str, Any]) -> str | None:
    raw = environ.get("HTTP_X_GKLINT_FILENAME")
    if raw is None:
        return None
    try:
        return urllib.parse.unquote(_wsgi_text(raw), encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise _bad("bad-filename", "X-Gklint-Filename 不是有效的 UTF-8 百分号编码",
                   "X-Gklint-Filename is not valid percent-encoded UTF-8") from None


def _media_type(environ: Mapping[str, Any]) -> str:
    return str(environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()


def _default_filename(media_type: str, body: bytes = b"") -> str:
    if media_type in ("text/html", "application/xhtml+xml"):
        return "document.html"
    if media_type == DOCX_TYPE:
        return "document.docx"
    if media_type == PDF_TYPE or (media_type in ("", "application/octet-stream") and body.startswith(b"%PDF-")):
        return "document.pdf"
    return "document.txt"


def read_body(environ: Mapping[str, Any], limit: int) -> bytes:
    """The request body, or 413 without reading when ``Content-Length`` exceeds *limit*.

    Never reads more than ``limit + 1`` bytes (a body without a length is cut there).
    """
    declared = str(environ.get("CONTENT_LENGTH") or "").strip()
    length: int | None = None
    if declared:
        if not declared.isdigit():
            raise _bad("bad-request", f"Content-Length 无效：{declared}", f"invalid Content-Length: {declared}")
        length = int(declared)
        if length > limit:
            raise _too_large(length, limit)
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    want = limit + 1 if length is None else length
    chunks: list[bytes] = []
    got = 0
    while got < want:
        chunk = stream.read(want - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        raise _too_large(None, limit)
    return data


def _too_large(size: int | None, limit: int) -> ServiceError:
    shown = f"{size} 字节，" if size is not None else ""
    shown_en = f"{size} bytes, " if size is not None else ""
    return ServiceError(413, "body-too-large", Message(
        f"请求体过大（{shown}上限 {limit} 字节；可用 gklint serve --max-body-bytes 调高）",
        f"request body too large ({shown_en}limit {limit} bytes; raise it with gklint serve --max-body-bytes)"),
        extra={"limit": limit})


def document_from_request(environ: Mapping[str, Any], query: Mapping[str, list[str]],
                          limit: int, extras: dict[str, Any] | None = None) -> tuple[bytes, str]:
    """``(bytes, filename)`` of the document in a ``POST /v1/lint`` request.

    With *extras*, a JSON body may also hold ``previous`` (the earlier year's report,
    decoded into ``extras["previous"]`` as ``(bytes, filename)``).
    """
    body = read_body(environ, limit)
    media = _media_type(environ)
    name: str | None = query["filename"][0] if "filename" in query else None
    if name is None:
        name = _header_filename(environ)
    if media != JSON_TYPE:
        return body, _check_filename(name if name is not None else _default_filename(media, body))
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad("bad-json", f"请求体不是有效的 JSON：{exc}", f"the request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise _bad("bad-json", "JSON 请求体嵌套过深", "the JSON body is nested too deeply") from None
    if not isinstance(payload, dict):
        raise _bad("bad-json", "JSON 请求体应为对象 {\"filename\": ..., \"content\": ...}",
                   "the JSON body must be an object {\"filename\": ..., \"content\": ...}")
    unknown = sorted(set(payload) - {"filename", "content", "content_base64", *(("previous",) if extras is not None else ())})
    if extras is not None and "previous" in payload:
        extras["previous"] = _previous_from(payload["previous"])
    if unknown:
        raise _bad("bad-json", f"JSON 请求体有未知的键：{', '.join(unknown)}（可用：filename、content、content_base64）",
                   f"unknown keys in the JSON body: {', '.join(unknown)} (known: filename, content, content_base64)")
    if ("content" in payload) == ("content_base64" in payload):
        raise _bad("bad-json", "JSON 请求体须有 content（文本）或 content_base64（如 .docx）之一",
                   "the JSON body needs exactly one of content (text) or content_base64 (e.g. .docx)")
    json_name = payload.get("filename")
    if json_name is not None:
        if not isinstance(json_name, str):
            raise _bad("bad-json", "filename 应为字符串", "filename must be a string")
        name = json_name
    if "content" in payload:
        content = payload["content"]
        if not isinstance(content, str):
            raise _bad("bad-json", "content 应为字符串（二进制文件请用 content_base64）",
                       "content must be a string (use content_base64 for binary files)")
        try:
            data = content.encode("utf-8")
        except UnicodeEncodeError:
            raise _bad("bad-json", "content 含有无效的 Unicode 字符（孤立代理项）",
                       "content contains invalid Unicode (lone surrogates)") from None
    else:
        encoded = payload["content_base64"]
        if not isinstance(encoded, str):
            raise _bad("bad-json", "content_base64 应为字符串", "content_base64 must be a string")
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise _bad("bad-json", "content_base64 不是有效的 Base64", "content_base64 is not valid Base64") from None
    if name is None and data.startswith(b"%PDF-"):
        name = "document.pdf"
    return data, _check_filename(name if name is not None else "document.txt")


def _previous_from(value: Any) -> tuple[bytes, str]:
    """``(bytes, filename)`` of a JSON request's ``previous`` object."""
    if not isinstance(value, dict) or set(value) - {"filename", "content", "content_base64"} \
            or ("content" in value) == ("content_base64" in value) \
            or not all(isinstance(v, str) for v in value.values()):
        raise _bad("bad-json", "previous 应为对象 {\"filename\": ..., \"content\" 或 \"content_base64\": ...}（均为字符串）",
                   "previous must be an object {\"filename\": ..., \"content\" or \"content_base64\": ...} of strings")
    try:
        data = (value["content"].encode("utf-8") if "content" in value
                else base64.b64decode(value["content_base64"], validate=True))
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise _bad("bad-json", "previous 的内容无效（孤立代理项或无效的 Base64）",
                   "the content of previous is invalid (lone surrogates or bad Base64)") from None
    return data, _check_filename(value.get("filename", "previous.txt"))


def wants_sarif(accept: str) -> bool:
    """Whether an ``Accept`` header prefers SARIF to JSON (a tie goes to JSON)."""
    q_sarif = q_json = 0.0
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        media = media.lower()
        if media == SARIF_TYPE:
            q_sarif = max(q_sarif, q)
        elif media == JSON_TYPE:
            q_json = max(q_json, q)
    return q_sarif > 0 and q_sarif > q_json


# -- the application ----------------------------------------------------------------------


class Service:
    """One loaded :class:`Linter` and what the endpoints answer; safe to share between threads.

    The linter is only read; each request builds its own configuration and
    results.  The one shared mutable thing, the cache of linters for requests with
    their own ``select``/``ignore``, is guarded by a lock.
    """

    def __init__(self, linter: Linter, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES, pool: WorkerPool | None = None,
                 allowed_hosts: Iterable[str] | None = None, token: str | None = None) -> None:
        self.linter = linter
        self.max_body_bytes = max_body_bytes
        self.pool = pool
        self.allowed_hosts = None if allowed_hosts is None else frozenset(h.lower().rstrip(".") for h in allowed_hosts)
        self.token = token.encode("utf-8") if token else None
        self._lock = threading.Lock()
        self._variants: OrderedDict[tuple[Selection, ...], Linter] = OrderedDict()
        self.rules_body = _json_bytes(self._rules_payload())
        failed = linter.plugin_set.failed or any(n.level == "error" for n in linter.notifications)
        self.health_status = 503 if failed else 200
        self.health_body = _json_bytes({
            "status": "degraded" if failed else "ok",
            "version": gklint.__version__,
            "rules": len(linter.active),
            "plugins": sorted(p.name for p in linter.plugin_set.plugins if p.loaded),
            "notifications": [{"kind": n.kind, "level": n.level, "message_zh": n.message.zh,
                               "message_en": n.message.en} for n in linter.notifications],
        })

    # -- GET endpoints

    def _rules_payload(self) -> dict[str, Any]:
        ps = self.linter.plugin_set
        active = {a.rule.id: a.severity.value for a in [*self.linter.active, *self.linter.regional_active]}

        def both(message: Message) -> dict[str, str]:
            return {"zh": message.zh, "en": message.en}

        rules = []
        for rule_id, rule in sorted(ps.rules.items()):
            family = rule.family_name
            rules.append({
                "id": rule.id, "name": rule.name, "family": rule.family,
                "family_name": both(family) if family else {"zh": rule.family, "en": rule.family},
                "plugin": ps.rule_plugins.get(rule_id, ""),
                "default_severity": rule.severity.value,
                "severity": active.get(rule_id, "off"),
                "short": both(rule.short), "full": both(rule.full), "help": both(rule.help),
                "source": both(rule.source),
            })
        return {"tool": {"name": "gklint", "version": gklint.__version__}, "rules": rules}

    # -- POST /v1/lint

    def lint(self, environ: Mapping[str, Any], query: Mapping[str, list[str]]) -> Response:
        started = time.perf_counter()
        options = self._options(query)
        try:
            config = self.linter.config.override(**options)
        except ConfigError as exc:
            raise ServiceError(400, "bad-option", self._query_message(options, exc.message)) from None
        media = _media_type(environ)
        if media in BROWSER_SIMPLE_TYPES:
            raise ServiceError(415, "unsupported-media-type", Message(
                f"不接受 Content-Type: {media}（网页无须许可即可发送这种请求）；请用文档本身的类型"
                "（如 text/html、application/octet-stream）或 application/json",
                f"Content-Type: {media} is not accepted (a web page can send it without permission); use the "
                "document's own type (e.g. text/html, application/octet-stream) or application/json"))
        linter = self._linter_for(config)  # in this process too: a bad select/ignore is a 400 before any work
        sarif = wants_sarif(str(environ.get("HTTP_ACCEPT", "")))
        if self.pool is None:
            extras: dict[str, Any] = {}
            data, filename = document_from_request(environ, query, self.max_body_bytes, extras)
            response = lint_response(linter, data, filename, config, sarif, previous=extras.get("previous"))
        else:
            def make_job() -> tuple[tuple[bytes, str, dict[str, Any], bool, tuple[bytes, str] | None], str]:
                extras: dict[str, Any] = {}
                data, filename = document_from_request(environ, query, self.max_body_bytes, extras)
                return (data, filename, options, sarif, extras.get("previous")), filename

            try:
                declared = str(environ.get("CONTENT_LENGTH") or "").strip()
                size = int(declared) if declared.isdigit() else None
                status, body, content_type, headers = self.pool.run(make_job, size=size)
            except PoolError as exc:
                retry = (("Retry-After", str(exc.retry_after)),) if exc.retry_after else ()
                raise ServiceError(exc.status, exc.code, exc.message, headers=retry, extra=exc.extra) from None
            response = Response(status, body, content_type, headers)
        elapsed = (time.perf_counter() - started) * 1000
        return dataclasses.replace(response, headers=(*response.headers, ("Server-Timing", f"lint;dur={elapsed:.1f}")))

    def _query_message(self, options: Mapping[str, Any], message: Message) -> Message:
        """*message* (from the configuration, which speaks of the command line) naming the query parameter."""
        for key, value in options.items():
            try:
                self.linter.config.override(**{key: value})
            except ConfigError as exc:
                option = key.replace("_", "-")
                zh, en = exc.message.zh, exc.message.en
                for prefix in (f"命令行：配置项 {option} ", "命令行：配置项 "):
                    if zh.startswith(prefix):
                        zh = zh[len(prefix):]
                        break
                for prefix in (f"command line: configuration key {option} ", "command line: configuration key "):
                    if en.startswith(prefix):
                        en = en[len(prefix):]
                        break
                return Message(f"查询参数 {key} {zh}", f"query parameter {key} {en}")
        return message

    @staticmethod
    def _options(query: Mapping[str, list[str]]) -> dict[str, Any]:
        options: dict[str, Any] = {}
        for key in ("fail_on", "lang", "region"):
            if key in query:
                options[key] = query[key][0]
        for key in ("select", "ignore"):
            if key in query:
                options[key] = [p.strip() for v in query[key] for p in v.split(",") if p.strip()]
        return options

    def _linter_for(self, config: Config) -> Linter:
        """The loaded linter, or (for a request's own ``select``/``ignore``) one sharing its plugins.

        Variants are kept (at most :data:`MAX_VARIANTS`, least recently used dropped);
        building one shares the loaded plugins and data and costs well under a millisecond.
        """
        if config.selections == self.linter.config.selections:
            return self.linter
        from gklint.api import Linter

        key = config.selections
        with self._lock:
            found = self._variants.get(key)
            if found is not None:
                self._variants.move_to_end(key)
                return found
        try:
            variant = Linter(dataclasses.replace(self.linter.config, selections=key),
                             plugin_set=self.linter.plugin_set, data=self.linter.data)
        except ConfigError as exc:
            raise ServiceError(400, "bad-option", exc.message) from None
        with self._lock:
            self._variants[key] = variant
            while len(self._variants) > MAX_VARIANTS:
                self._variants.popitem(last=False)
        return variant

    # -- routing

    ROUTES: dict[str, tuple[str, ...]] = {"/v1/lint": ("POST",), "/v1/rules": ("GET", "HEAD"),
                                          "/healthz": ("GET", "HEAD")}

    def _check_origin(self, environ: Mapping[str, Any]) -> None:
        """Refuse a ``Host`` not allowed (DNS rebinding) and a browser's cross-site ``Origin``."""
        host = _host_name(str(environ.get("HTTP_HOST") or ""))
        if self.allowed_hosts is not None and host and host not in self.allowed_hosts and "*" not in self.allowed_hosts:
            raise ServiceError(400, "host-not-allowed", Message(
                f"不接受的 Host：{host}（可用 gklint serve --allowed-host 添加）",
                f"Host {host} is not allowed (add it with gklint serve --allowed-host)"))
        origin = environ.get("HTTP_ORIGIN")
        if origin is None:
            return
        origin_host = (urllib.parse.urlsplit(str(origin)).hostname or "").rstrip(".")
        allowed = self.allowed_hosts if self.allowed_hosts is not None and "*" not in self.allowed_hosts else {host}
        if not origin_host or origin_host not in allowed:
            raise ServiceError(403, "origin-not-allowed", Message(
                f"不接受来自网页 {origin} 的请求", f"requests from the web page {origin} are not accepted"))

    def _check_token(self, environ: Mapping[str, Any]) -> None:
        if self.token is None:
            return
        scheme, _, given = str(environ.get("HTTP_AUTHORIZATION") or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("utf-8", "replace"), self.token):
            raise ServiceError(401, "unauthorized", Message(
                "需要有效的令牌：请求头 Authorization: Bearer <令牌>",
                "a valid token is required: header Authorization: Bearer <token>"),
                headers=(("WWW-Authenticate", 'Bearer realm="gklint"'),))

    def handle(self, environ: Mapping[str, Any]) -> Response:
        path = _wsgi_text(str(environ.get("PATH_INFO") or "/"))
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        self._check_origin(environ)
        allowed = self.ROUTES.get(path)
        if allowed is None:
            raise ServiceError(404, "not-found", Message(
                f"没有这个地址：{path}（可用：POST /v1/lint、GET /v1/rules、GET /healthz）",
                f"no such path: {path} (available: POST /v1/lint, GET /v1/rules, GET /healthz)"))
        if method not in allowed:
            allow = ", ".join(allowed)
            raise ServiceError(405, "method-not-allowed", Message(
                f"{path} 不支持 {method} 方法（可用：{allow}）", f"{path} does not support {method} (allowed: {allow})"),
                headers=(("Allow", allow),))
        if path == "/healthz":
            return Response(self.health_status, self.health_body)
        self._check_token(environ)
        if path == "/v1/rules":
            return Response(200, self.rules_body)
        return self.lint(environ, parse_query(environ))


def lint_response(linter: Linter, data: bytes, filename: str, config: Config, sarif: bool,
                  hooks: Hooks | None = None, previous: tuple[bytes, str] | None = None) -> Response:
    """The answer for one document: the JSON (or SARIF) report, or :class:`ServiceError` (422, 406).

    *previous*: ``(bytes, filename)`` of the same agency's report of the year before (GK7).
    """
    earlier = None
    if previous is not None:
        earlier, read = linter.read_document(*previous)
        if earlier is None:
            reasons = [n.message for n in read.notifications] or [Message("无法读取", "unreadable")]
            raise ServiceError(422, "unreadable-previous", Message(
                f"上年报告 {read.path}：无法读取：{'；'.join(m.zh for m in reasons)}",
                f"earlier report {read.path}: cannot read: {'; '.join(m.en for m in reasons)}"),
                extra={"path": read.path})
    try:  # the CMS knows whose report it is: ?region=山东省 sets it for this request
        file = linter.lint_bytes(data, filename, region=config.region, previous=earlier)
    except ConfigError as exc:
        raise ServiceError(400, "bad-option", exc.message) from None
    del data
    if hooks is not None:
        hooks.saw(file.notifications)
        if not hooks.out_of_memory:  # else the stage names where it ran out
            hooks.mark(IDLE)
    if not file.readable:
        reasons = [n.message for n in file.notifications] or [Message("无法读取", "unreadable")]
        raise ServiceError(422, "unreadable-document", Message(
            f"{filename}：无法读取：{'；'.join(m.zh for m in reasons)}",
            f"{filename}: cannot read: {'; '.join(m.en for m in reasons)}"), extra={"path": filename})
    result = dataclasses.replace(linter.result([file]), fail_on=config.fail_on)
    format_name = "sarif" if sarif else "json"
    factory = linter.plugin_set.reporters.get(format_name)
    if factory is None:
        raise _bad("format-unavailable", f"输出格式 {format_name} 未加载（插件被禁用？）",
                   f"output format {format_name} is not loaded (plugin disabled?)", status=406)
    stream = io.StringIO()
    factory.create().write(result, stream, ReportOptions(lang=config.lang))
    publishable = result.execution_successful and result.publishable(file)
    return Response(200, stream.getvalue().encode("utf-8"),
                    content_type=f"{SARIF_TYPE if sarif else JSON_TYPE}; charset=utf-8",
                    headers=(("X-Gklint-Publishable", "true" if publishable else "false"),
                             ("X-Gklint-Exit-Code", str(exit_code(result))),
                             ("Vary", "Accept")))


_worker_linters: OrderedDict[tuple[Selection, ...], Linter] = OrderedDict()  # in a worker process


def render_job(linter: Linter, job: tuple[Any, ...], hooks: Hooks) -> Answer:
    """In a worker process (:mod:`gklint.servepool`): lint one request's document, the answer as a tuple.

    *job* is ``(data, filename, options, sarif)``, plus the earlier report's ``(bytes, filename)`` (or
    ``None``) when the request gave one.
    """
    data, filename, options, sarif, *rest = job
    previous: tuple[bytes, str] | None = rest[0] if rest else None
    del job
    config = linter.config.override(**options)
    key = config.selections
    found = _worker_linters.get(key)
    if found is None:
        from gklint.api import Linter as _Linter

        base = linter if key == linter.config.selections else _Linter(
            dataclasses.replace(linter.config, selections=key), plugin_set=linter.plugin_set, data=linter.data)
        found = _worker_linters[key] = hooks.watch(base)
        while len(_worker_linters) > MAX_VARIANTS:
            _worker_linters.popitem(last=False)
    hooks.mark(READING)
    try:
        response = lint_response(found, data, filename, config, sarif, hooks, previous)
    except ServiceError as exc:
        response = _error_response(exc, config.lang)
    return response.status, response.body, response.content_type, response.headers


def _host_name(host: str) -> str:
    """The name in a ``Host`` header, without the port, lower case (``[::1]:8765`` → ``::1``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


def _lang_of(environ: Mapping[str, Any], default: str) -> str:
    """The ``lang`` of the query for error messages (*default* when absent or not zh/en)."""
    query = urllib.parse.parse_qs(str(environ.get("QUERY_STRING", "")), errors="replace")
    lang = query.get("lang", [default])[0]
    return lang if lang in ("zh", "en") else default


def make_app(linter: Linter, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES, pool: WorkerPool | None = None,
             allowed_hosts: Iterable[str] | None = None, token: str | None = None) -> WsgiApp:
    """A WSGI application answering the endpoints of this module with *linter*.

    With *pool* documents are linted in its worker processes (time and memory
    limits, see :mod:`gklint.servepool`); without, in the calling thread.
    *allowed_hosts* (``None``: any) are the names accepted in ``Host`` (and
    ``Origin``); with *token*, requests other than ``/healthz`` need
    ``Authorization: Bearer <token>``.

    A request never raises out of the application: errors become JSON answers
    (an unexpected exception is logged in one line and answered with 500).
    """
    service = Service(linter, max_body_bytes=max_body_bytes, pool=pool, allowed_hosts=allowed_hosts, token=token)
    default_lang = linter.config.lang

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            response = service.handle(environ)
        except ServiceError as exc:
            response = _error_response(exc, _lang_of(environ, default_lang))
        except Exception as exc:
            text = exception_text(exc)
            log.error("internal error on %s %s: %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), text)
            response = _error_response(ServiceError(500, "internal-error", Message(
                f"内部错误：{text}（请报告此问题）", f"internal error: {text} (please report this)")),
                _lang_of(environ, default_lang))
        headers = [("Content-Type", response.content_type), ("Content-Length", str(len(response.body))),
                   ("Cache-Control", "no-store"), *response.headers]
        start_response(f"{response.status} {_REASONS.get(response.status, 'Error')}", headers)
        if environ.get("REQUEST_METHOD", "").upper() == "HEAD":
            return [b""]
        return [response.body]

    app.service = service  # type: ignore[attr-defined]
    return app


# -- access log --------------------------------------------------------------------------

access_logger = logging.getLogger("gklint.server.access")


def with_access_log(app: WsgiApp, logger: logging.Logger = access_logger) -> WsgiApp:
    """*app* logging one line per request, in the Common Log Format followed by the duration
    and the verdict::

        127.0.0.1 - - [06/Dec/2026:03:40:00 +0000] "POST /v1/lint?filename=a.txt HTTP/1.1" 200 2345 0.012s publishable=false

    (``publishable=-`` when there is no verdict: an error, another endpoint).
    """
    from datetime import datetime

    def logged(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        seen: dict[str, str] = {}

        def start(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            seen["status"] = status.split(" ", 1)[0]
            for name, value in headers:
                if name.lower() == "x-gklint-publishable":
                    seen["verdict"] = value
            return start_response(status, headers, *exc_info)

        body = list(app(environ, start))
        elapsed = time.perf_counter() - started
        size = sum(len(chunk) for chunk in body)
        target = environ.get("REQUEST_URI") or (
            urllib.parse.quote(str(environ.get("PATH_INFO") or "/"), safe="/%")
            + (f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else ""))
        when = datetime.now().astimezone().strftime("%d/%b/%Y:%H:%M:%S %z")
        logger.info('%s - - [%s] "%s %s %s" %s %s %.3fs publishable=%s',
                    environ.get("REMOTE_ADDR") or "-", when, environ.get("REQUEST_METHOD", "-"), target,
                    environ.get("SERVER_PROTOCOL", "HTTP/1.1"), seen.get("status", "-"),
                    size if size else "-", elapsed, seen.get("verdict", "-"))
        return body

    return logged


# -- the command --------------------------------------------------------------------------

DEFAULT_CONNECTION_LIMIT = 1000
DEFAULT_CHANNEL_TIMEOUT = 30
DEFAULT_GRACE_SECONDS = 10
TOKEN_ENV = "GKLINT_SERVE_TOKEN"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _waitress_error(max_body_bytes: int, default_lang: str) -> Callable[[Any, int | None, str | None],
                                                                          tuple[int, str, str, bytes]]:
    """How the errors waitress answers itself (before the application) are rendered: as the service's JSON."""

    def render(error: Any, declared: int | None, lang: str | None) -> tuple[int, str, str, bytes]:
        status = int(getattr(error, "code", 400))
        if status == 413:
            exc = _too_large(declared, max_body_bytes)
        else:
            text = " ".join(str(getattr(error, "body", "") or getattr(error, "reason", "")).split())
            code = {400: "bad-request", 431: "bad-request", 501: "not-implemented"}.get(status, "internal-error")
            exc = ServiceError(status, code, Message(f"无效的 HTTP 请求：{text}", f"invalid HTTP request: {text}"))
        response = _error_response(exc, lang if lang in ("zh", "en") else default_lang)
        return status, _REASONS.get(status, str(getattr(error, "reason", "Error"))), response.content_type, response.body

    return render


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；默认只接受本机连接 (address to listen on; loopback by default)")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="端口，0 表示任选空闲端口 (port; 0 picks a free one)")
@click.option("--threads", type=click.IntRange(1, 256), default=16, show_default=True,
              help="接收请求的线程数；等待工作进程的请求各占一个 (threads taking requests; each waiting one holds one)")
@click.option("--workers", type=click.IntRange(0, 64), default=DEFAULT_WORKERS, show_default=True,
              help="检查文档的工作进程数；0 表示在线程中检查、没有时间和内存上限 "
                   "(worker processes linting documents; 0 lints in the threads, without limits)")
@click.option("--worker-memory-mb", type=click.IntRange(16), default=DEFAULT_MEMORY_MB, show_default=True,
              help="每个工作进程可增加的地址空间（MiB），超过返回 503 "
                   "(address space a worker may add, MiB; over it: 503)")
@click.option("--worker-max-requests", type=click.IntRange(1), default=DEFAULT_MAX_REQUESTS, show_default=True,
              help="工作进程检查这么多文档后换新 (replace a worker after this many documents)")
@click.option("--max-body-bytes", type=click.IntRange(1), default=DEFAULT_MAX_BODY_BYTES, show_default=True,
              help="请求体上限，超过返回 413 (request body limit; larger bodies get 413)")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="接受的 Host 名称，可重复，* 表示任意；监听本机地址时默认只接受本机名称 "
                   "(Host names accepted, repeatable, * for any; loopback names by default on loopback)")
@click.option("--token", envvar=TOKEN_ENV, metavar="TOKEN",
              help=f"要求 Authorization: Bearer 令牌（/healthz 除外），也可用环境变量 {TOKEN_ENV} "
                   f"(require this bearer token except on /healthz; or set {TOKEN_ENV})")
@click.option("--connection-limit", type=click.IntRange(10), default=DEFAULT_CONNECTION_LIMIT, show_default=True,
              help="同时打开的连接上限 (open connections at most)")
@click.option("--channel-timeout", type=click.IntRange(1), default=DEFAULT_CHANNEL_TIMEOUT, show_default=True,
              help="关闭空闲这么多秒的连接 (close connections idle this many seconds)")
@click.option("--grace-seconds", type=click.IntRange(0), default=DEFAULT_GRACE_SECONDS, show_default=True,
              help="收到 SIGTERM 后等待进行中请求的秒数 (seconds requests in progress get after SIGTERM)")
@click.option("--config", "config_file", metavar="FILE", help="配置文件 (configuration file)")
@click.option("--isolated", is_flag=True, default=False, help="忽略所有配置文件 (ignore configuration files)")
@click.option("--disable-plugin", multiple=True, metavar="NAME", help="不加载该插件，可重复 (do not load plugin)")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="默认消息语言 (default message language)")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="每个请求在标准错误输出一行访问日志（通用日志格式，加耗时和结论） "
                   "(one Common Log Format line per request on stderr, with duration and verdict)")
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, threads: int, workers: int, worker_memory_mb: int,
                  worker_max_requests: int, max_body_bytes: int, allowed_hosts: tuple[str, ...], token: str | None,
                  connection_limit: int, channel_timeout: int, grace_seconds: int,
                  config_file: str | None, isolated: bool, disable_plugin: tuple[str, ...], lang: str | None,
                  access_log: bool = True) -> None:
    """以 HTTP 服务提供发布前检查：POST /v1/lint、GET /v1/rules、GET /healthz (serve the check over HTTP).

    插件只在启动时加载一次；文档在工作进程中检查，有时间和内存上限。所用的 waitress 随 gklint 一起安装。
    """
    from gklint.cli import CliError, _echo_notes, _load, _t

    state_lang = lang or "zh"
    try:
        import waitress
    except ImportError:
        raise CliError(Message("gklint serve 需要 waitress（本应随 gklint 一起安装），请安装：pip install waitress",
                               "gklint serve needs waitress (normally installed with gklint); install it with: "
                               "pip install waitress"),
                       state_lang) from None
    from gklint import servehttp
    from gklint.servepool import WorkerPool

    config, linter = _load(ctx, config_file, isolated, lang=lang, disable_plugins=tuple(disable_plugin) or None)
    lang = config.lang
    _echo_notes(linter.notifications, lang, False)
    hosts: tuple[str, ...] | None = allowed_hosts or (LOOPBACK_NAMES if _is_loopback(host) else None)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="gklint serve: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" on every burst
    servehttp.raise_file_limit(connection_limit + 64)
    servehttp.return_big_blocks()
    # the workers are forked first, while this process has no other thread
    pool = WorkerPool(linter, render_job, size=workers, memory_mb=worker_memory_mb,
                      max_requests=worker_max_requests) if workers else None
    app = make_app(linter, max_body_bytes=max_body_bytes, pool=pool, allowed_hosts=hosts, token=token)
    if access_log:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger = access_logger
        logger.addHandler(handler)
        logger.propagate = False
        logger.setLevel(logging.INFO)
        app = with_access_log(app, logger)
    dispatcher = servehttp.LaneDispatcher(["/healthz"])
    try:
        server = waitress.create_server(
            app, host=host, port=port, threads=threads, ident="gklint", _dispatcher=dispatcher,
            # waitress refuses a larger body as soon as the headers arrive (JSON 413 through json_channel)
            max_request_body_size=max_body_bytes + 1,
            connection_limit=connection_limit, channel_timeout=channel_timeout,
            cleanup_interval=max(1, min(10, channel_timeout)), clear_untrusted_proxy_headers=True,
            asyncore_use_poll=True,  # select() cannot watch more than 1024 connections
            recv_bytes=256 * 1024)  # a 20 MB body in 80 turns of the event loop rather than 2,560
    except (OSError, ValueError) as exc:
        dispatcher.shutdown(timeout=1)
        if pool is not None:
            pool.close()
        reason = getattr(exc, "strerror", None) or str(exc)
        raise CliError(Message(f"无法监听 {host}:{port}（{reason}）", f"cannot listen on {host}:{port} ({reason})"),
                       lang) from None
    dispatcher.set_thread_count(threads)
    server.channel_class = servehttp.json_channel(_waitress_error(max_body_bytes, lang))
    listen = getattr(server, "effective_listen", None) or [(server.effective_host, server.effective_port)]
    for h, p in listen:
        click.echo(_t(lang, f"gklint serve：正在监听 {_url(str(h), int(p))}", f"gklint serve: listening on "
                            f"{_url(str(h), int(p))}"), err=True)
    if not _is_loopback(host) and not token:
        click.echo(_t(lang, "gklint serve：警告：监听的不是本机地址，也没有设置令牌（--token），"
                            "请用防火墙或反向代理限制访问",
                      "gklint serve: warning: not a loopback address and no token (--token); "
                      "restrict access with a firewall or a reverse proxy"), err=True)
    servehttp.run(server, dispatcher, grace_seconds=grace_seconds,
                  on_stop=pool.close if pool is not None else (lambda: None))
    click.echo(_t(lang, "gklint serve：已停止", "gklint serve: stopped"), err=True)
    ctx.exit(0)
