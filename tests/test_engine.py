"""The engine: isolation of rules, span resolution, selection and severity, order."""

from __future__ import annotations

from gklint.config import Config, Selection
from gklint.data import StandardData
from gklint.engine import locate, prepare_rules, run_rules
from gklint.findings import Fix, Message, Problem, Related, Severity
from gklint.model import Span

DATA = StandardData()


def _run(doc, rules, config=None, **kw):
    return run_rules(doc, rules, config or Config(), DATA, **kw)


def test_placeholder_findings_are_located_in_code_points(kit):
    text = "标题\n联系人：张𠀀（此处待填）\n（此处待填）"
    doc = kit.make_document(text, "年报/2023.txt")
    findings, notes = _run(doc, [kit.make_rule()])
    assert notes == []
    assert [(f.location.start_line, f.location.start_column, f.location.end_line, f.location.end_column)
            for f in findings] == [(2, 7, 2, 13), (3, 1, 3, 7)]  # 𠀀 is one column
    first = findings[0]
    assert first.rule_id == "TST101" and first.severity is Severity.ERROR
    assert first.location.path == "年报/2023.txt"
    assert first.location.snippet == "（此处待填）"
    assert first.location.source_line == "联系人：张𠀀（此处待填）"
    assert first.message.zh == "报告中留有占位符“（此处待填）”"


def test_positions_follow_source_coordinates(kit):
    # text extracted from HTML: offsets map each text code point back into the source
    source = "<p>一、总体情况</p>\n<p>（此处待填）</p>"
    text = "一、总体情况\n（此处待填）"
    offsets = [*range(3, 9), 13, *range(17, 23), 23]
    doc = kit.make_document(text, "年报.html", source=source, offsets=offsets)
    (finding,), _ = _run(doc, [kit.make_rule()])
    loc = finding.location
    assert (loc.start_line, loc.start_column, loc.end_column) == (2, 4, 10)
    assert loc.source_line == "<p>（此处待填）</p>"
    assert loc.snippet == "（此处待填）"


def test_problem_without_span_is_at_line_one(kit, report_doc):
    def whole(doc, ctx):
        yield Problem(None, Message("缺少“六、其他需要报告的事项”", "section 6 missing"), logical="六、其他需要报告的事项")

    (finding,), _ = _run(report_doc, [kit.make_rule("TST102", whole)])
    loc = finding.location
    assert (loc.start_line, loc.start_column, loc.end_line, loc.end_column) == (1, 1, 1, 1)
    assert loc.snippet == ""
    assert loc.source_line == report_doc.source_line(1)
    assert loc.logical == "六、其他需要报告的事项"


def test_logical_path_from_problem_or_document(kit):
    text = "第一段（此处待填）\n第二段（此处待填）"
    doc = kit.make_document(text, logical=[(0, 9, "第1段"), (10, 19, "第2段")])

    def check(doc, ctx):
        spans = list(kit.find_all(doc.text, "（此处待填）"))
        yield Problem(spans[0], Message("a", "a"))
        yield Problem(spans[1], Message("b", "b"), logical="五、存在的主要问题及改进情况")

    first, second = _run(doc, [kit.make_rule("TST103", check)])[0]
    assert first.location.logical == "第1段"
    assert second.location.logical == "五、存在的主要问题及改进情况"


def test_related_locations_and_fix_are_resolved(kit, report_doc):
    text = report_doc.text
    number = text.index("1234")
    applications = text.index("56件")

    def check(doc, ctx):
        yield Problem(
            Span(number, number + 4),
            Message("正文与表格不一致", "prose and table disagree"),
            related=(Related(Span(applications, applications + 2), Message("表3 总计", "table 3 total")),
                     Related(None, Message("表2", "table 2"))),
            fix=Fix(Span(number, number + 4), "1243", Message("改为 1243", "change to 1243")),
            key=("table2", "主动公开"),
        )

    (finding,), _ = _run(report_doc, [kit.make_rule("TST104", check)])
    (rel_loc, rel_msg), (none_loc, _) = finding.related
    assert rel_loc.snippet == "56" and rel_msg.zh == "表3 总计"
    assert rel_loc.start_line == report_doc.position(applications).line
    assert (none_loc.start_line, none_loc.start_column) == (1, 1)
    fix_loc, replacement, description = finding.fix
    assert fix_loc.snippet == "1234" and replacement == "1243" and description.en == "change to 1243"
    assert finding.key == ("table2", "主动公开")


def test_crashing_rule_becomes_notification_and_others_still_run(kit, report_doc):
    def boom(doc, ctx):
        yield Problem(Span(0, 1), Message("部分结果", "partial"))
        raise KeyError("table3")

    rules = [kit.make_rule("TST101"), kit.make_rule("TST900", boom)]
    findings, notes = _run(report_doc, rules, rule_plugins={"TST900": "gklint-pack-broken"})
    assert [f.rule_id for f in findings] == ["TST101", "TST101"]  # the crashing rule's partial output is dropped
    (note,) = notes
    assert (note.kind, note.rule_id, note.plugin, note.path) == ("rule-crash", "TST900", "gklint-pack-broken", "报告.txt")
    assert note.exception == "KeyError: 'table3'"
    for lang in ("zh", "en"):
        text = note.message.get(lang)
        assert "TST900" in text and "gklint-pack-broken" in text and "KeyError: 'table3'" in text
        assert "Traceback" not in text


def test_non_problem_output_is_a_rule_crash(kit, report_doc):
    def wrong(doc, ctx):
        return ["（此处待填）"]

    findings, (note,) = _run(report_doc, [kit.make_rule("TST105", wrong)])
    assert findings == []
    assert "TypeError" in note.exception and "str" in note.exception


def test_select_ignore_and_severity_overrides(kit, report_doc):
    rules = [kit.make_rule("TST101"), kit.make_rule("TST201"), kit.make_rule("TST202")]
    config = Config(selections=(Selection(select=("TST2",), ignore=("TST202",)),),
                    severity={"TST2": "warning", "TST201": "info"})
    findings, _ = _run(report_doc, rules, config)
    assert {(f.rule_id, f.severity) for f in findings} == {("TST201", Severity.INFO)}

    off = Config(severity={"TST101": "off"})
    assert [a.rule.id for a in prepare_rules(rules, off, DATA)] == ["TST201", "TST202"]


def test_a_problem_may_carry_its_own_severity_unless_the_rule_is_configured(kit, report_doc):
    """A problem's own severity replaces the rule's default; a configured severity (user or data pack) wins."""
    def two(doc, ctx):
        yield Problem(Span(0, 2), Message("有把握", "sure"), key=("sure",))
        yield Problem(Span(2, 4), Message("两种读法", "two readings"), key=("unsure",), severity=Severity.WARNING)

    rules = [kit.make_rule("TST301", two)]
    findings, _ = _run(report_doc, rules)
    assert [(f.key, f.severity) for f in findings] == [(("sure",), Severity.ERROR), (("unsure",), Severity.WARNING)]
    assert not prepare_rules(rules, Config(), DATA)[0].configured

    for config in (Config(severity={"TST301": "error"}), Config(severity={"TST3": "info"}), Config(severity={"ALL": "info"})):
        findings, _ = _run(report_doc, rules, config)
        assert len({f.severity for f in findings}) == 1, config.severity
    pack = StandardData(extra={"severity": [("pack.toml", {"TST3": "error"})]})
    (active,) = prepare_rules(rules, Config(), pack)
    assert active.configured
    findings, _ = run_rules(report_doc, rules, Config(), pack)
    assert {f.severity for f in findings} == {Severity.ERROR}


def test_options_and_plugin_config_reach_the_check(kit, report_doc):
    seen = {}

    def check(doc, ctx):
        seen.update(options=dict(ctx.options), plugin=dict(ctx.plugin_config), data=ctx.data)
        return kit.check_placeholder(doc, ctx)

    rule = kit.make_rule("GD101", check, options={"marker": "（此处待填）", "limit": 3})
    config = Config(rules={"GD101": {"marker": "1234"}}, plugins={"gd": {"province": "广东"}})
    findings, _ = _run(report_doc, [rule], config, rule_plugins={"GD101": "gd"},
                       plugin_defaults={"gd": {"province": "", "strict": True}})
    assert seen["options"] == {"marker": "1234", "limit": 3}
    assert seen["plugin"] == {"province": "广东", "strict": True}
    assert seen["data"] is DATA
    assert [f.location.snippet for f in findings] == ["1234"]
    assert rule.options["marker"] == "（此处待填）"  # defaults are not mutated


def test_output_is_identical_whatever_the_rule_order(kit, report_doc):
    def at_start(doc, ctx):
        yield Problem(Span(0, 2), Message("标题", "title"))

    def whole(doc, ctx):
        yield Problem(None, Message("全文", "document"))

    rules = [kit.make_rule("TST301", at_start), kit.make_rule("TST101"), kit.make_rule("TST201", whole),
             kit.make_rule("TST300", at_start)]
    forward = _run(report_doc, rules)
    backward = _run(report_doc, list(reversed(rules)))
    assert forward == backward
    assert [(f.location.start_line, f.rule_id) for f in forward[0]] == [
        (1, "TST201"), (1, "TST300"), (1, "TST301"),
        (report_doc.position(report_doc.text.index("（此处待填）")).line, "TST101"),
        (report_doc.position(report_doc.text.rindex("（此处待填）")).line, "TST101"),
    ]


def test_locate_clamps_to_the_document(kit):
    doc = kit.make_document("一行")
    loc = locate(doc, Span(1, 50))
    assert (loc.start_column, loc.end_column, loc.snippet) == (2, 3, "行")
