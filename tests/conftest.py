"""Shared fixtures: a realistic report, small test rules/readers/reporters, fake distributions.

Tests reach the helpers through the ``kit`` fixture (``kit.make_rule(...)``),
since test modules cannot import ``conftest`` under ``--import-mode=importlib``.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

import pytest

from gklint import hookimpl
from gklint.findings import Message, Problem, Severity
from gklint.formats import ReporterFactory, ReportOptions
from gklint.model import Document, LayoutInfo, Metadata, SourceText, Span
from gklint.readers.base import Limits, ReadError
from gklint.results import RunResult
from gklint.rule import CheckContext, Rule


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say up front what the skipping tests need (see README: Running the tests)."""
    import shutil

    shared = Path(__file__).resolve().parents[2] / "shared"
    seeds = shared / "seeds"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    return [
        f"gklint: ../shared {'found' if seeds.is_dir() else 'NOT found'} at {shared}"
        + ("" if seeds.is_dir() else " (the tests of real reports skip)"),
        f"gklint: chromium {'found: ' + chromium if chromium else 'NOT found (the browser tests skip)'}",
    ]


REPORT = """\
××市××区人民政府2023年政府信息公开工作年度报告

本报告依据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。

一、总体情况
2023年，区政府坚持以人民为中心，主动公开政府信息1234条。（此处待填）

二、主动公开政府信息情况
见下表。

三、收到和处理政府信息公开申请情况
本年新收政府信息公开申请56件。

四、政府信息公开行政复议、行政诉讼情况
无。

五、存在的主要问题及改进情况
（此处待填）

六、其他需要报告的事项
无。
"""

PLACEHOLDER = "（此处待填）"


# -- documents -----------------------------------------------------------------------


def make_document(text: str = REPORT, path: str = "报告.txt", *, source: str | None = None,
                  offsets: Sequence[int] | None = None,
                  logical: list[tuple[int, int, str]] | None = None) -> Document:
    """A bare document (no sections or tables): enough for the engine."""
    return Document(
        path=path, reader="test", encoding="utf-8", text=text,
        source=text if source is None else source, offsets=offsets, coordinates="source",
        metadata=Metadata(), sections=[], paragraphs=[], tables={}, layout=LayoutInfo("unknown"),
        logical=list(logical or []),
    )


@pytest.fixture
def report_doc() -> Document:
    return make_document()


# -- rules -----------------------------------------------------------------------------


def find_all(text: str, needle: str) -> Iterator[Span]:
    start = text.find(needle)
    while start != -1:
        yield Span(start, start + len(needle))
        start = text.find(needle, start + 1)


def check_placeholder(doc: Document, ctx: CheckContext) -> Iterator[Problem]:
    marker = ctx.options["marker"]
    for span in find_all(doc.text, marker):
        yield Problem(span, Message(f"报告中留有占位符“{marker}”", f"placeholder {marker!r} left in the report"))


def make_rule(rule_id: str = "TST101", check: Callable[..., Any] = check_placeholder, *,
              severity: Severity = Severity.ERROR, options: dict[str, Any] | None = None,
              family: str = "测试") -> Rule:
    """A rule with Chinese and English texts; defaults to the placeholder rule."""
    return Rule(
        id=rule_id,
        name=f"test-{rule_id.lower()}",
        family=family,
        severity=severity,
        short=Message(f"测试规则 {rule_id}：报告中不应留有占位符", f"test rule {rule_id}: no placeholders"),
        full=Message("年度报告发布前应删除“（此处待填）”等占位符。", "Placeholders must be removed before publishing."),
        help=Message("填写实际内容或删除该句。", "Fill in the content or delete the sentence."),
        check=check,
        source=Message("《政府信息公开条例》第五十条", "Regulations on Open Government Information, art. 50"),
        options={"marker": PLACEHOLDER} if options is None else options,
    )


# -- readers and reporters ---------------------------------------------------------------


class Utf8Reader:
    """Decodes UTF-8 strictly; anything else is a :class:`ReadError`."""

    name = "utf8-test"

    def __init__(self, suffixes: tuple[str, ...] = (".txt",)) -> None:
        self.suffixes = suffixes

    def read(self, data: bytes, path: str, limits: Limits) -> SourceText:
        try:
            return SourceText(data.decode("utf-8"), reader=self.name, encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ReadError(Message(f"不是 UTF-8 编码（第 {exc.start} 字节）", f"not UTF-8 (byte {exc.start})")) from None


class LinesReporter:
    """``path:line:col: ID message`` per finding and ``! kind path message`` per notification."""

    def write(self, result: RunResult, stream: IO[str], options: ReportOptions) -> None:
        for file in result.files:
            for f in file.findings:
                loc = f.location
                stream.write(f"{loc.path}:{loc.start_line}:{loc.start_column}: {f.rule_id} {f.message.get(options.lang)}\n")
        for note in [*result.notifications, *(n for f in result.files for n in f.notifications)]:
            stream.write(f"! {note.kind} {note.path} {note.message.get(options.lang)}\n")


LINES = ReporterFactory("lines", "one line per finding (tests)", LinesReporter)


class Pack:
    """An in-process plugin object implementing every hook."""

    def __init__(self, rules: Sequence[Rule] = (), readers: Sequence[Any] = (),
                 reporters: Sequence[ReporterFactory] = (), data_files: Sequence[Any] = (),
                 defaults: dict[str, Any] | None = None, api: str | None = None) -> None:
        self.rules, self.readers, self.reporters = list(rules), list(readers), list(reporters)
        self.data_files, self.defaults = list(data_files), defaults or {}
        self.calls = 0
        if api is not None:
            self.GKLINT_API_VERSION = api

    @hookimpl
    def gklint_rules(self) -> list[Rule]:
        self.calls += 1
        return self.rules

    @hookimpl
    def gklint_readers(self) -> list[Any]:
        return self.readers

    @hookimpl
    def gklint_reporters(self) -> list[ReporterFactory]:
        return self.reporters

    @hookimpl
    def gklint_data_files(self) -> list[Any]:
        return self.data_files

    @hookimpl
    def gklint_config_defaults(self) -> dict[str, Any]:
        return self.defaults


@pytest.fixture
def pack() -> Pack:
    """The standard test pack: placeholder rule, UTF-8 reader for .txt, ``lines`` reporter."""
    return Pack(rules=[make_rule()], readers=[Utf8Reader()], reporters=[LINES])


# -- fake distributions ----------------------------------------------------------------------

#: Source of an installable test pack module.  ``{rule_ids}`` are placeholder rules.
PACK_MODULE = '''
from gklint import hookimpl
from gklint.findings import Message, Problem, Severity
from gklint.model import SourceText, Span
from gklint.readers.base import ReadError
from gklint.formats import ReporterFactory
from gklint.rule import Example, Rule

MARKER = "（此处待填）"


def check(doc, ctx):
    start = doc.text.find(ctx.options["marker"])
    while start != -1:
        yield Problem(Span(start, start + len(MARKER)),
                      Message("报告中留有占位符“（此处待填）”", "placeholder left in the report"))
        start = doc.text.find(MARKER, start + 1)


def make(rule_id, severity=Severity.ERROR, fn=check):
    return Rule(rule_id, "placeholder-left", "测试", severity,
                Message("报告中不应留有占位符", "no placeholders in the report"),
                Message("年度报告发布前应删除占位符。", "Remove placeholders before publishing."),
                Message("填写实际内容。", "Fill in the real content."), fn,
                source=Message("《政府信息公开条例》第五十条", "OGI Regulations art. 50"),
                examples=(Example(bad="五、存在的问题\\n（此处待填）", good="五、存在的问题\\n人员不足。"),),
                options={"marker": MARKER})


class Reader:
    name = "utf8-pack"
    suffixes = (".txt",)

    def read(self, data, path, limits):
        try:
            return SourceText(data.decode("utf-8"), reader=self.name, encoding="utf-8")
        except UnicodeDecodeError:
            raise ReadError(Message("不是 UTF-8 编码", "not UTF-8")) from None


class Lines:
    def write(self, result, stream, options):
        for file in result.files:
            for f in file.findings:
                loc = f.location
                stream.write(f"{loc.path}:{loc.start_line}:{loc.start_column}: {f.rule_id} "
                             f"{f.message.get(options.lang)}\\n")


RULES = [make(rule_id) for rule_id in {rule_ids!r}]


@hookimpl
def gklint_rules():
    return RULES


@hookimpl
def gklint_readers():
    return [Reader()]


@hookimpl
def gklint_reporters():
    return [ReporterFactory("lines", "test lines", Lines)]
'''


def pack_module(rule_ids: Sequence[str] = ("TST101",), extra: str = "") -> str:
    """Source of a test pack module declaring placeholder rules *rule_ids*, plus *extra* code."""
    return PACK_MODULE.replace("{rule_ids!r}", repr(list(rule_ids))) + textwrap.dedent(extra)


class FakeSite:
    """A directory on ``sys.path`` holding ``*.dist-info`` folders and plugin modules."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.modules: list[str] = []

    def add(self, dist: str, entry_points: dict[str, str], modules: dict[str, str], version: str = "1.0") -> None:
        """Install distribution *dist* with entry points (group ``gklint``) and module sources."""
        for name, source in modules.items():
            (self.root / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
            self.modules.append(name)
        info = self.root / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
        lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
        (info / "entry_points.txt").write_text(f"[gklint]\n{lines}", encoding="utf-8")
        importlib.invalidate_caches()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSite]:
    root = tmp_path / "site-packages"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    fake = FakeSite(root)
    yield fake
    for name in fake.modules:
        sys.modules.pop(name, None)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory (so no configuration file is found) holding 报告.txt."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "报告.txt").write_text(REPORT, encoding="utf-8")
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def kit() -> SimpleNamespace:
    """The helpers of this module, for tests."""
    return SimpleNamespace(
        REPORT=REPORT, PLACEHOLDER=PLACEHOLDER, LINES=LINES, Pack=Pack, Utf8Reader=Utf8Reader,
        LinesReporter=LinesReporter, make_document=make_document, make_rule=make_rule,
        check_placeholder=check_placeholder, find_all=find_all, pack_module=pack_module,
    )


# -- every SARIF and JSON document the suite produces is validated --------------------------

_SCHEMAS: dict[str, object] = {}


def _validator(kind: str):  # type: ignore[no-untyped-def]
    import json as _json

    import jsonschema

    if kind not in _SCHEMAS:
        if kind == "sarif":
            path = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
            schema = _json.loads(path.read_text(encoding="utf-8"))
        else:
            from gklint.reporters.json import schema as gklint_schema

            schema = gklint_schema()
        cls = jsonschema.validators.validator_for(schema)
        _SCHEMAS[kind] = cls(schema)
    return _SCHEMAS[kind]


@pytest.fixture(autouse=True)
def _validate_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wrap the SARIF and JSON reporters so whatever they write is checked against its schema."""
    import io
    import json as _json

    from gklint.reporters import json as json_reporter
    from gklint.reporters import sarif as sarif_reporter

    for module, cls_name, kind in ((sarif_reporter, "SarifReporter", "sarif"), (json_reporter, "JsonReporter", "json")):
        cls = getattr(module, cls_name)
        original = cls.write

        def write(self, result, stream, options, _original=original, _kind=kind):  # type: ignore[no-untyped-def]
            buffer = io.StringIO()
            _original(self, result, buffer, options)
            _validator(_kind).validate(_json.loads(buffer.getvalue()))
            stream.write(buffer.getvalue())

        monkeypatch.setattr(cls, "write", write)
