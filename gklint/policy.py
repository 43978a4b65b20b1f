"""The severity policy: what makes a finding an error, a warning or a note.

- **error**: the report says something wrong or lacks what it must contain (numbers
  that do not add up, a wrong 文号, title or issuing office, a missing section or
  table, the wrong template for the year, a statistics period that is not the year).
- **warning**: form and typography that do not change what the report says
  (``[2021]`` for ``〔2021〕``, ``<>`` for ``〈〉`` inside ``《》``, the 条例's short
  name, a malformed or missing piece of contact information), and anything gklint
  cannot be sure of.
- **info**: style, and notes on how gklint read the report.

Every rule's default follows it; each rule's declaration says why (``reason`` in its
``rules.toml``, :attr:`gklint.rule.Rule.reason`), for the rules shipped with gklint and
a pack's alike.  ``--explain`` shows the reason.  A finding may be less certain than its
rule and then carries a lower severity of its own (:attr:`gklint.findings.Problem.severity`).
"""

from __future__ import annotations

from gklint.findings import Message

__all__ = ["LEVELS", "reason_for"]

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


def reason_for(severity: str, why: Message | None = None) -> Message:
    """Why a rule's default is *severity*: the reason its declaration gives (``reason``), plus the policy line."""
    level = LEVELS.get(severity)
    if level is None:
        return why or Message("", "")
    if why is None:
        return level
    return Message(f"{why.zh}。本级别：{level.zh}", f"{why.en}. This level: {level.en}")
