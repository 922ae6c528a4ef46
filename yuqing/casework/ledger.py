"""工作台账: the ledger a 说事解事委员会 must keep ("六有" — 有工作台账), one row per matter with every
step's record, as plain rows (the Excel and PDF files are written by :mod:`.ledger_files`). Pure.

A matter is in a period's ledger when it was open at any time in it (raised before the period ended,
not closed before it began). Every free text — titles, the records cadres typed — has personal data
masked: a ledger is a file that travels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from ..digest.period import Period
from ..orgtree import OrgTree
from ..pii import mask_pii
from ..schema import SEVERITY_LABELS, TOPICS, IssueKind, IssueStatus
from .model import CLOSED, STEPS, HistoryEntry, Issue
from .records import FIELD_LABELS, StepRecord, describe_fields, summarise
from .scorecard import UnitScore, compute_scorecard

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
#: The matter columns of the ledger, in order (the six steps go between 工作方法 and 办结时间).
HEAD = ("序号", "编号", "单位", "来源", "发现时间", "事项", "严重程度", "话题", "工作方法")
TAIL = ("办结时间", "办结分类", "职工评议", "状态", "办结期限", "逾期", "上报次数")
COLUMNS = (*HEAD, *STEPS, *TAIL)
RECORD_COLUMNS = ("编号", "单位", "环节", "轮次", "时间", "记录人", "记录内容", "说明")


@dataclass
class LedgerRow:
    values: dict[str, str | int]

    def __getitem__(self, column: str):
        return self.values[column]


@dataclass
class Ledger:
    title: str
    scope_name: str
    period: Period
    generated_at: str
    rows: list[LedgerRow] = field(default_factory=list)
    #: Every step record, one per line (the detail sheet).
    records: list[dict[str, str | int]] = field(default_factory=list)
    #: The scope's assessment row for the period (its figures go on the summary sheet).
    totals: UnitScore | None = None

    @property
    def figures_text(self) -> str:
        return self.totals.figures_text() if self.totals else ""


def _fmt(d: datetime | None, tz: tzinfo, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return d.astimezone(tz).strftime(pattern) if d else ""


#: In a ledger cell the step says what the main field is: only the others are labelled.
SHORT_LABELS = {"owner_dept": "承办", "due": "期限", "feedback": "意见", "came_back": "反弹", "outcome": "分类",
                "persons": "人次", "items": "条数", "reason": "理由", "reply": "回应"}
MAX_SOURCES = 3


def _fields(r: StepRecord) -> str:
    return "；".join(f"{FIELD_LABELS.get(k, k)}：{mask_pii(v)}" for k, v in r.fields.items() if v)


def _short(r: StepRecord) -> str:
    return "；".join(f"{SHORT_LABELS[k]}：{mask_pii(v)}" if k in SHORT_LABELS else mask_pii(v)
                    for k, v in r.fields.items() if v)


def _cell(records: Sequence[StepRecord], tz: tzinfo, people: Mapping[str, str]) -> str:
    """A step's records in one cell: "11-05 14:20 薛建平：到掘进二队班前会…", numbered when there are several."""
    lines = [f"{_fmt(r.at, tz, '%m-%d %H:%M')} {people.get(r.actor, r.actor)}：{_short(r)}" for r in records]
    if len(lines) > 1:
        lines = [f"{CIRCLED[i] if i < len(CIRCLED) else f'({i + 1})'}{line}" for i, line in enumerate(lines)]
    return "\n".join(lines)


def _sources(names: Sequence[str]) -> str:
    shown = "、".join(names[:MAX_SOURCES])
    return shown + (f" 等 {len(names)} 个" if len(names) > MAX_SOURCES else "")


def outcome_text(classification: Mapping[str, str]) -> str:
    outcome = classification.get("outcome", "")
    if not outcome:
        return ""
    if classification.get("persons"):
        return f"{outcome} {classification['persons']} 人次"
    if outcome == "意见建议":
        return f"{outcome} {classification.get('items', '1')} 条"
    if classification.get("reason"):
        return f"{outcome}：{mask_pii(classification['reason'])}"
    return outcome


def unit_label(tree: OrgTree, code: str) -> str:
    """The unit with its parent below the root: "恒岳西山煤业公司工会 / 东峪煤矿工会" (the root says nothing)."""
    if not code:
        return "未分配"
    chain = [code, *tree.ancestors(code)][::-1]
    chain = chain[1:] if len(chain) > 1 else chain
    return " / ".join(tree.name(c) for c in chain[-2:])


def build_ledger(tree: OrgTree, issues: Sequence[Issue], histories: Mapping[int, Sequence[HistoryEntry]],
                 sources: Mapping[int, Sequence[str]], period: Period, *, unit: str, tz: tzinfo,
                 now: datetime, people: Mapping[str, str] | None = None) -> Ledger:
    """The ledger of ``unit``'s subtree ("" = the whole organisation) for ``period``; ``issues`` are
    the matters alive in the period (already scoped), ``sources`` the source names of each matter's
    posts (most posts first), ``people`` who recorded what (username → the name to print)."""
    people = people or {}
    since, until = period.since(tz), period.until(tz)
    roots = tree.roots()
    scope_code = unit or (roots[0] if len(roots) == 1 else "")
    scope_name = tree.name(scope_code) if scope_code else "全部单位"
    ledger = Ledger(title=f"{scope_name} 说事解事委员会工作台账", scope_name=scope_name, period=period,
                    generated_at=_fmt(now, tz))
    matters = [i for i in issues if i.kind == IssueKind.OPINION and i.id is not None]
    for n, issue in enumerate(sorted(matters, key=lambda i: (i.created_at or now, i.id)), start=1):
        hist = histories.get(issue.id, [])
        summary = summarise(hist)
        rating = summary.latest("定期评事")
        overdue = issue.due_at is not None and issue.due_at < (issue.closed_at or now)
        values: dict[str, str | int] = {
            "序号": n, "编号": issue.id, "单位": unit_label(tree, issue.unit),
            "来源": _sources(sources.get(issue.id, [])), "发现时间": _fmt(issue.created_at, tz),
            "事项": mask_pii(issue.title), "严重程度": SEVERITY_LABELS.get(issue.severity, issue.severity),
            "话题": TOPICS.get(issue.topic, issue.topic), "工作方法": issue.method,
        }
        for step in STEPS:
            values[step] = _cell(summary.of(step), tz, people)
        closed = summary.closed
        values.update({
            "办结时间": _fmt(issue.closed_at, tz) if issue.status == IssueStatus.CLOSED else "",
            "办结分类": outcome_text(summary.classification) if closed else "",
            "职工评议": (rating.fields.get("satisfaction", "") if rating else ""),
            "状态": CLOSED if issue.status == IssueStatus.CLOSED else f"办理中（{issue.step}）",
            "办结期限": _fmt(issue.due_at, tz, "%Y-%m-%d"),
            "逾期": "是" if overdue else "",
            "上报次数": sum(1 for h in hist if h.action == "escalated" and h.data.get("overdue")),
        })
        ledger.rows.append(LedgerRow(values))
        for r in summary.records:
            ledger.records.append({"编号": issue.id, "单位": values["单位"], "环节": r.step, "轮次": r.round + 1,
                                   "时间": _fmt(r.at, tz), "记录人": people.get(r.actor, r.actor),
                                   "记录内容": _fields(r),
                                   "说明": mask_pii(r.note) if r.note and r.note != describe_fields(r.fields) else ""})
    rows = compute_scorecard(tree, matters, histories, since, until, now)
    ledger.totals = next((r for r in rows if r.unit == scope_code), None)
    return ledger
