"""``gklint serve``: the pre-publish check as an HTTP service for content management systems.

Endpoints (see ``docs/integration.md``):

- ``POST /v1/lint``: the document as the raw body (name in ``?filename=`` or the
  ``X-Gklint-Filename`` header, percent-encoded UTF-8) or as JSON
  ``{"filename": ..., "content": ...}`` / ``{"filename": ..., "content_base64": ...}``;
  options ``fail_on``, ``lang``, ``select``, ``ignore``, ``region`` in the query.  The answer is
  the ``--format json`` document (or SARIF when ``Accept`` asks for
  ``application/sarif+json``) with the verdict in ``X-Gklint-Publishable``.
- ``GET /v1/rules``: every loaded rule with its texts in Chinese and English.
- ``GET /healthz``: 200 when plugins loaded cleanly, 503 otherwise.

Every other answer is a JSON error ``{"error": {"status", "code", "message",
"message_zh", "message_en"}}``: 400 bad request, 404 unknown path, 405 wrong method
(with ``Allow``), 413 body too large, 422 unreadable document, 500 internal error
(never a traceback).  :func:`make_app` is a plain WSGI application around one
:class:`~gklint.api.Linter`: plugins load once, and requests share it read-only.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import io
import ipaddress
import json
import logging
import signal
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
from gklint.plugins import exception_text
from gklint.reporters.base import ReportOptions, dump_json

if TYPE_CHECKING:
    from gklint.api import Linter

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

_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
            406: "Not Acceptable", 413: "Content Too Large", 422: "Unprocessable Content",
            500: "Internal Server Error", 503: "Service Unavailable"}

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
                          limit: int) -> tuple[bytes, str]:
    """``(bytes, filename)`` of the document in a ``POST /v1/lint`` request."""
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
    if not isinstance(payload, dict):
        raise _bad("bad-json", "JSON 请求体应为对象 {\"filename\": ..., \"content\": ...}",
                   "the JSON body must be an object {\"filename\": ..., \"content\": ...}")
    unknown = sorted(set(payload) - {"filename", "content", "content_base64"})
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

    def __init__(self, linter: Linter, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.linter = linter
        self.max_body_bytes = max_body_bytes
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
        from gklint.rule import FAMILIES

        ps = self.linter.plugin_set
        active = {a.rule.id: a.severity.value for a in [*self.linter.active, *self.linter.regional_active]}

        def both(message: Message) -> dict[str, str]:
            return {"zh": message.zh, "en": message.en}

        rules = []
        for rule_id, rule in sorted(ps.rules.items()):
            family = FAMILIES.get(rule.family) or FAMILIES.get(rule.id[:3])
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
            raise ServiceError(400, "bad-option", exc.message) from None
        data, filename = document_from_request(environ, query, self.max_body_bytes)
        linter = self._linter_for(config)
        try:  # the CMS knows whose report it is: ?region=山东省 sets it for this request
            file = linter.lint_bytes(data, filename, region=next(iter(query.get("region", ())), None))
        except ConfigError as exc:
            raise ServiceError(400, "bad-option", exc.message) from None
        if not file.readable:
            reasons = [n.message for n in file.notifications] or [Message("无法读取", "unreadable")]
            raise ServiceError(422, "unreadable-document", Message(
                f"{filename}：无法读取：{'；'.join(m.zh for m in reasons)}",
                f"{filename}: cannot read: {'; '.join(m.en for m in reasons)}"), extra={"path": filename})
        result = dataclasses.replace(linter.result([file]), fail_on=config.fail_on)
        sarif = wants_sarif(str(environ.get("HTTP_ACCEPT", "")))
        format_name = "sarif" if sarif else "json"
        factory = linter.plugin_set.reporters.get(format_name)
        if factory is None:
            raise _bad("format-unavailable", f"输出格式 {format_name} 未加载（插件被禁用？）",
                       f"output format {format_name} is not loaded (plugin disabled?)", status=406)
        stream = io.StringIO()
        factory.create().write(result, stream, ReportOptions(lang=config.lang))
        publishable = result.execution_successful and result.publishable(file)
        elapsed = (time.perf_counter() - started) * 1000
        return Response(200, stream.getvalue().encode("utf-8"),
                        content_type=f"{SARIF_TYPE if sarif else JSON_TYPE}; charset=utf-8",
                        headers=(("X-Gklint-Publishable", "true" if publishable else "false"),
                                 ("X-Gklint-Exit-Code", str(exit_code(result))),
                                 ("Server-Timing", f"lint;dur={elapsed:.1f}"),
                                 ("Vary", "Accept")))

    @staticmethod
    def _options(query: Mapping[str, list[str]]) -> dict[str, Any]:
        options: dict[str, Any] = {}
        for key in ("fail_on", "lang"):
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

    def handle(self, environ: Mapping[str, Any]) -> Response:
        path = _wsgi_text(str(environ.get("PATH_INFO") or "/"))
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
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
        if path == "/v1/rules":
            return Response(200, self.rules_body)
        return self.lint(environ, parse_query(environ))


def _lang_of(environ: Mapping[str, Any], default: str) -> str:
    """The ``lang`` of the query for error messages (*default* when absent or not zh/en)."""
    query = urllib.parse.parse_qs(str(environ.get("QUERY_STRING", "")), errors="replace")
    lang = query.get("lang", [default])[0]
    return lang if lang in ("zh", "en") else default


def make_app(linter: Linter, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> WsgiApp:
    """A WSGI application answering the endpoints of this module with *linter*.

    A request never raises out of the application: errors become JSON answers
    (an unexpected exception is logged in one line and answered with 500).
    """
    service = Service(linter, max_body_bytes=max_body_bytes)
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


# -- the command --------------------------------------------------------------------------


class _Stop(Exception):
    """Raised by the SIGTERM handler to leave the server loop."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；默认只接受本机连接 (address to listen on; loopback by default)")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="端口，0 表示任选空闲端口 (port; 0 picks a free one)")
@click.option("--threads", type=click.IntRange(1, 256), default=4, show_default=True,
              help="处理请求的线程数 (worker threads)")
@click.option("--max-body-bytes", type=click.IntRange(1), default=DEFAULT_MAX_BODY_BYTES, show_default=True,
              help="请求体上限，超过返回 413 (request body limit; larger bodies get 413)")
@click.option("--config", "config_file", metavar="FILE", help="配置文件 (configuration file)")
@click.option("--isolated", is_flag=True, default=False, help="忽略所有配置文件 (ignore configuration files)")
@click.option("--disable-plugin", multiple=True, metavar="NAME", help="不加载该插件，可重复 (do not load plugin)")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="默认消息语言 (default message language)")
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, threads: int, max_body_bytes: int,
                  config_file: str | None, isolated: bool, disable_plugin: tuple[str, ...], lang: str | None) -> None:
    """以 HTTP 服务提供发布前检查：POST /v1/lint、GET /v1/rules、GET /healthz (serve the check over HTTP).

    插件只在启动时加载一次。需要 waitress：pip install "gklint[server]"。
    """
    from gklint.cli import CliError, _echo_notes, _load, _t

    state_lang = lang or "zh"
    try:
        import waitress
    except ImportError:
        raise CliError(Message("gklint serve 需要 waitress，请安装：pip install \"gklint[server]\"",
                               "gklint serve needs waitress; install it with: pip install \"gklint[server]\""),
                       state_lang) from None
    config, linter = _load(ctx, config_file, isolated, lang=lang, disable_plugins=tuple(disable_plugin) or None)
    lang = config.lang
    _echo_notes(linter.notifications, lang, False)
    app = make_app(linter, max_body_bytes=max_body_bytes)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="gklint serve: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" on every burst
    try:
        server = waitress.create_server(
            app, host=host, port=port, threads=threads, ident="gklint",
            # waitress answers bodies beyond this itself (plain-text 413); below it the app answers in JSON.
            max_request_body_size=max(2 * max_body_bytes, max_body_bytes + 1024 * 1024),
            clear_untrusted_proxy_headers=True)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise CliError(Message(f"无法监听 {host}:{port}（{reason}）", f"cannot listen on {host}:{port} ({reason})"),
                       lang) from None
    listen = getattr(server, "effective_listen", None) or [(server.effective_host, server.effective_port)]
    for h, p in listen:
        click.echo(_t(lang, f"gklint serve：正在监听 {_url(str(h), int(p))}", f"gklint serve: listening on "
                            f"{_url(str(h), int(p))}"), err=True)
    if not _is_loopback(host):
        click.echo(_t(lang, "gklint serve：警告：监听的不是本机地址，本服务没有身份验证，请用防火墙或反向代理限制访问",
                      "gklint serve: warning: not a loopback address; the service has no authentication, "
                      "restrict access with a firewall or a reverse proxy"), err=True)

    def stop(signum: int, frame: Any) -> None:
        raise _Stop

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        server.close()
    click.echo(_t(lang, "gklint serve：已停止", "gklint serve: stopped"), err=True)
    ctx.exit(0)
