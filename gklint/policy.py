"""The severity policy: what makes a finding an error, a warning or a note.

- **error**: the report says something wrong or lacks what it must contain (numbers
  that do not add up, a wrong 文号, title or issuing office, a missing section or
  table, the wrong template for the year, a statistics period that is not the year).
- **warning**: form and typography that do not change what the report says
  (``[2021]`` for ``〔2021〕``, ``<>`` for ``〈〉`` inside ``《》``, the 条例's short
  name, a malformed or missing piece of contact information), and anything gklint
  cannot be sure of.
- **info**: style, and notes on how gklint read the report.

Every rule's default follows it; :data:`REASONS` says why for the rules shipped with
gklint (a pack gives its own with :attr:`gklint.rule.Rule.reason`).  ``--explain``
shows the reason.  A finding may be less certain than its rule and then carries a
lower severity of its own (:attr:`gklint.findings.Problem.severity`).
"""

from __future__ import annotations

from gklint.findings import Message

__all__ = ["LEVELS", "REASONS", "reason_for"]

LEVELS = {
    "error": Message("报告内容有误或缺少必须包含的内容（数字不符，文号、标题或发文机关有误，缺少部分或表格，"
                     "年度与模板不符，统计期限不是整个年度）",
                     "the report says something wrong or lacks what it must contain (numbers that do not add up, "
                     "a wrong 文号, title or issuing office, a missing section or table, the wrong template for the "
                     "year, a statistics period that is not the year)"),
    "warning": Message("不改变报告内容的形式和书写问题（如“[2021]”应为“〔2021〕”、《》内“<>”应为“〈〉”、《条例》简称、"
                       "联系方式格式有误或缺项），以及 gklint 无法确定的问题",
                       "form and typography that do not change what the report says ([2021] for 〔2021〕, <> for 〈〉 "
                       "inside 《》, the 条例's short name, malformed or missing contact details), and anything gklint "
                       "cannot be sure of"),
    "info": Message("文风，以及 gklint 读取报告时的说明", "style, and notes on how gklint read the report"),
}

_E, _W, _I = "error", "warning", "info"

#: rule id -> (level, why).
REASONS: dict[str, tuple[str, Message]] = {
    "GK001": (_W, Message("抑制注释本身写得不对，不涉及报告内容", "the suppression comment itself is malformed; not about the report")),
    "GK002": (_I, Message("只是说明某条抑制注释没有用处", "only a note that a suppression comment is unused")),
    "GK003": (_I, Message("说明 gklint 如何运行（未应用哪些地方规则包），不是报告的问题",
                          "a note on how gklint ran (which regional packs were not applied), not a problem of the report")),
    "GK101": (_E, Message("缺少格式规定的部分", "a section the format requires is missing")),
    "GK102": (_E, Message("部分的顺序或编号与格式规定不符，报告结构有误", "the sections are out of the required order or numbering")),
    "GK103": (_W, Message("标题措辞不同但部分仍在，属于形式问题", "the wording differs but the section is there: form")),
    "GK104": (_E, Message("缺少格式规定的统计表", "a table the format requires is missing")),
    "GK105": (_E, Message("必须有内容的部分是空的", "a section that must have content is empty")),
    "GK106": (_W, Message("导语的概述与正文不一致，不影响正文内容", "the intro's summary differs from the body; the body is unaffected")),
    "GK107": (_W, Message("只写“无”是否足够，gklint 无法判断", "whether 无 is enough gklint cannot tell")),
    "GK108": (_E, Message("缺少本地区规定必须写的分项", "a sub-item the region requires is missing")),
    "GK109": (_W, Message("文本可能被截断，gklint 无法确定", "the text may be cut short; gklint cannot be sure")),
    "GK201": (_E, Message("数字不符", "numbers that do not add up")),
    "GK202": (_E, Message("数字不符", "numbers that do not add up")),
    "GK203": (_E, Message("数字不符", "numbers that do not add up")),
    "GK204": (_E, Message("数字不符", "numbers that do not add up")),
    "GK205": (_E, Message("统计表中应为数字的地方不是数字", "a value of a statistics table is not a number")),
    "GK206": (_E, Message("统计表缺少格式规定的行或数值", "a table lacks rows or values the format requires")),
    "GK207": (_W, Message("空白单元格多半是0，gklint 无法确定", "a blank cell probably means 0; gklint cannot be sure")),
    "GK208": (_I, Message("单元格中写了单位，数值本身没错，属于文风", "a unit written in a cell; the value is right: style")),
    "GK209": (_W, Message("表格读不准，没有核对，gklint 无法确定是否有错", "the table could not be read reliably and was not checked")),
    "GK210": (_I, Message("说明 gklint 如何读取连在一起的数字", "a note on how gklint read digits that ran together")),
    "GK301": (_E, Message("用错了本年度的模板", "the wrong template for the year")),
    "GK302": (_E, Message("混用新旧模板，表格内容有误", "templates mixed: the tables are wrong")),
    "GK303": (_W, Message("行列标签措辞不同但所指相同，属于形式问题", "labels worded differently but meaning the same: form")),
    "GK304": (_W, Message("多出的行不影响规定的数字，gklint 无法确定其含义", "an extra row leaves the required figures alone")),
    "GK305": (_I, Message("多出的数值或附注没有参与核对，属于说明", "extra values or notes were not checked: a note")),
    "GK401": (_W, Message("文号的括号、“第”或空格写法不规范，不改变所引文件", "brackets, 第 or spaces in a 文号: typography")),
    "GK402": (_E, Message("文号或标题有误，引用的文件不对", "a wrong 文号 or title: the citation is wrong")),
    "GK403": (_E, Message("发文机关名称有误", "a wrong issuing office")),
    "GK404": (_W, Message("所引文件没有错，只是不精确，而且写法普遍", "the document cited is right, only imprecisely")),
    "GK405": (_W, Message("首次引用用了简称，属于形式问题；国务院令编号写错的那一条是错误",
                          "a short name on first mention is form; a wrong decree number is reported as an error")),
    "GK406": (_E, Message("引用了不适用于本年度的格式通知（用错模板）", "the format notice of another year (the wrong template)")),
    "GK407": (_W, Message("书名号的写法问题，不改变所引文件", "title-mark typography; the document cited is unchanged")),
    "GK408": (_W, Message("文号不在登记表中，gklint 无法确定是否有误", "not in the registry; gklint cannot be sure")),
    "GK409": (_W, Message("也可能有意引用上一年度的要点，gklint 无法确定", "citing last year's points may be deliberate")),
    "GK410": (_E, Message("缺少本地区规定必须引用的文件，或引用有误", "a document the region requires is not cited, or miscited")),
    "GK501": (_W, Message("联系方式缺项", "contact details missing")),
    "GK502": (_W, Message("联系方式缺项", "contact details missing")),
    "GK503": (_W, Message("联系方式格式有误", "malformed contact details")),
    "GK504": (_W, Message("联系方式格式有误", "malformed contact details")),
    "GK505": (_W, Message("联系方式格式有误", "malformed contact details")),
    "GK506": (_W, Message("联系方式缺项", "contact details missing")),
    "GK507": (_W, Message("联系方式缺项（电子版获取途径）", "contact details missing (the electronic version)")),
    "GK508": (_W, Message("联系方式有误（区号）", "malformed contact details (the area code)")),
    "GK509": (_W, Message("联系方式缺项", "contact details missing")),
    "GK601": (_E, Message("正文与表格数字不符；只在两种读法都说得通时降为警告",
                          "text and table disagree; a warning only when two readings both make sense")),
    "GK602": (_E, Message("正文与表格数字不符", "text and table disagree")),
    "GK603": (_E, Message("正文与表格相互矛盾", "text and table contradict each other")),
    "GK604": (_E, Message("年度不一致，报告内容有误", "the years disagree")),
    "GK605": (_E, Message("统计期限不是报告年度", "the statistics period is not the year")),
    "GK606": (_W, Message("“其中”可能只列了部分分项，gklint 无法确定", "a 其中 list may name only some parts; gklint cannot be sure")),
    "GK607": (_W, Message("日期无法识别，gklint 无法核对", "the dates cannot be read; gklint cannot check them")),
    "GK608": (_I, Message("格式没有明文要求写统计期限，写明是通行做法", "the format does not require it; stating it is common practice")),
}


def reason_for(rule_id: str, severity: str, own: Message | None = None) -> Message:
    """Why a rule's default is *severity*: its own reason (a pack's rule), else gklint's, plus the policy line."""
    level = LEVELS.get(severity)
    why = own or (REASONS[rule_id][1] if rule_id in REASONS else None)
    if level is None:
        return why or Message("", "")
    if why is None:
        return level
    return Message(f"{why.zh}。本级别：{level.zh}", f"{why.en}. This level: {level.en}")
