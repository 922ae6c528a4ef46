"""The 说事解事 workflow: recording each step of STEPS in turn and closing (:func:`record_step`),
deadlines, escalation. Pure: these functions change an :class:`Issue` in memory; the caller saves it
with ``store.update_issue`` (which checks the version the caller read)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone, tzinfo

from ..errors import YuqingError
from ..orgtree import OrgTree
from ..schema import IssueStatus, Severity, severity_rank
from .model import CLOSED, DEADLINE_DAYS, OUTCOMES, STEPS, HistoryEntry, Issue
from .records import YES, RecordSummary, check_classification, describe_fields, parse_date, summarise, validate_fields
from .routing import escalation_target

#: Where a matter goes back to when the workers are not satisfied or the problem came back.
REWORK_STEP = "集中议事"


def due_date(severity: str, start: datetime) -> datetime:
    return start + timedelta(days=DEADLINE_DAYS.get(severity, DEADLINE_DAYS[Severity.LOW]))


@dataclass
class Change:
    """What recording a step did to an issue (already applied in memory): the history line to write."""

    action: str  # recorded | closed
    step: str  # the step recorded (or 已办结)
    note: str
    data: dict
    summary: str  # one line for the user: "#12 干部问事 已记录 → 职工说事"


def next_step(step: str) -> str:
    """The step after ``step`` (after the last one: itself — only closing follows)."""
    i = STEPS.index(step)
    return STEPS[min(i + 1, len(STEPS) - 1)]


def record_step(issue: Issue, step: str, fields: Mapping[str, str], history: Sequence[HistoryEntry], now: datetime,
                tz: tzinfo, note: str = "") -> Change:
    """Record ``step`` (one of STEPS, or CLOSED) with its ``fields`` on ``issue``, which moves it on.

    Steps are recorded in order: the one the issue is at (``issue.step``). 集中议事's ``due`` becomes
    the deadline; 定期评事 不满意 and 督促查事 came_back=是 send the matter back to 集中议事; closing
    needs the current round's result and a satisfied verdict (:meth:`RecordSummary.missing_for_close`)
    and the matter's classification (here or already with the result). Raises :class:`YuqingError`
    with one line saying what is wrong; the issue is unchanged then."""
    if issue.status == IssueStatus.CLOSED:
        raise YuqingError(f"议题 #{issue.id} 已办结，不能再记录")
    if step not in STEPS and step != CLOSED:
        raise YuqingError(f"没有“{step}”这一步；可选：{'、'.join(STEPS)}、{CLOSED}")
    clean = validate_fields(step, fields)
    summary = summarise(history)
    if step == CLOSED:
        return _close(issue, clean, summary, now, note)
    current = issue.step if issue.step in STEPS else STEPS[0]
    if step != current:
        raise YuqingError(f"议题 #{issue.id} 现在应记录「{current}」，不能记录「{step}」（说事解事各环节依次进行）")
    data: dict = {"fields": clean, "from": current}
    if step == "定期评事" and clean["satisfaction"] == "不满意" and not clean.get("feedback"):
        raise YuqingError("职工评议为不满意时，要记下职工的意见（feedback）")
    if step == "及时办事":
        wrong = check_classification(clean)
        if wrong:
            raise YuqingError(f"办结分类：{wrong}")
    if step == "集中议事":
        due = parse_date(clean["due"])
        if due < now.astimezone(tz).date():
            raise YuqingError(f"办结期限 {due.isoformat()} 已经过去，请填今天或以后的日期")
        new_due = datetime.combine(due, time(23, 59, 59), tzinfo=tz).astimezone(timezone.utc)
        data["due_at"] = {"from": issue.due_at.isoformat() if issue.due_at else None, "to": new_due.isoformat()}
        issue.due_at = new_due
        if clean.get("method") and clean["method"] != issue.method:
            data["method"] = {"from": issue.method, "to": clean["method"]}
            if issue.method:
                issue.method_reason = f"说事解事委员会集中议事选定（系统建议的是{issue.method}：{issue.method_reason}）"
            else:
                issue.method_reason = "说事解事委员会集中议事选定"
            issue.method = clean["method"]
    back = (step == "定期评事" and clean["satisfaction"] == "不满意") or \
           (step == "督促查事" and clean["came_back"] == YES)
    issue.step = REWORK_STEP if back else next_step(step)
    data["to"] = issue.step
    if back:
        data["reopened"] = True
        data["round"] = summary.round + 1
    words = f"#{issue.id} 「{step}」已记录"
    if back:
        why = "职工评议不满意" if step == "定期评事" else "督查发现问题反弹"
        words += f"；{why}，退回「{REWORK_STEP}」重新议事办理"
    elif issue.step != step:
        words += f" → 下一环节「{issue.step}」"
    else:
        words += "；可以办结"
    return Change("recorded", step, note or describe_fields(clean), data, words)


def _close(issue: Issue, fields: dict, summary: RecordSummary, now: datetime, note: str) -> Change:
    missing = summary.missing_for_close()
    # a classification given now replaces one given with the result; extra counts complete it
    classification = dict(fields) if fields.get("outcome") else {**summary.classification, **fields}
    if not classification.get("outcome"):
        missing.append("办结分类（outcome：" + "/".join(OUTCOMES) + "）")
    if missing:
        raise YuqingError(f"议题 #{issue.id} 还不能办结，缺少：{'、'.join(missing)}")
    wrong = check_classification(classification)
    if wrong:
        raise YuqingError(f"办结分类：{wrong}")
    old = issue.step
    issue.step = CLOSED
    issue.status = IssueStatus.CLOSED
    issue.closed_at = now
    data = {"fields": classification, "from": old, "to": CLOSED}
    return Change("closed", CLOSED, note or describe_fields(classification), data,
                  f"#{issue.id} 已办结（{classification['outcome']}）")


def raise_severity(issue: Issue, severity: str, now: datetime) -> bool:
    """Raise (never lower) the severity; a tighter deadline comes with it. True when it changed."""
    if severity_rank(severity) <= severity_rank(issue.severity):
        return False
    issue.severity = severity
    tighter = due_date(severity, now)
    if issue.due_at is None or tighter < issue.due_at:
        issue.due_at = tighter
    return True


def is_overdue(issue: Issue, now: datetime) -> bool:
    return issue.status == IssueStatus.OPEN and issue.due_at is not None and issue.due_at < now


def escalate(issue: Issue, tree: OrgTree, now: datetime) -> str | None:
    """Send an overdue issue up to the parent unit with a fresh deadline; returns the old unit
    (None when there is nowhere higher to go, the deadline is still renewed)."""
    old = issue.unit
    target = escalation_target(old, tree)
    issue.due_at = due_date(issue.severity, now)
    issue.extra = {**issue.extra, "escalations": issue.extra.get("escalations", 0) + 1}
    if target == old:
        return None
    issue.unit = target
    return old
