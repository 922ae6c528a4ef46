"""Issues and the 说事解事 workflow: the data model and its fixed vocabularies. No IO."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..schema import IssueKind, IssueStatus, Severity
from .methods import NINE_METHODS

#: The talk-it-out committee's steps, in order; an issue ends in ``CLOSED``.
STEPS: tuple[str, ...] = ("干部问事", "职工说事", "集中议事", "及时办事", "定期评事", "督促查事")
CLOSED = "已办结"
STEP_HINTS = {
    "干部问事": "干部主动到群里、到现场了解情况，问清诉求",
    "职工说事": "组织相关职工把事情说清楚，记录诉求",
    "集中议事": "说事解事委员会集中研究，提出办理意见",
    "及时办事": "按办理意见落实，限时办结",
    "定期评事": "向职工反馈结果，请职工评议满意度",
    "督促查事": "工会督促检查，防止问题反弹",
}

#: 九法 — the nine methods an issue may be handled with, in the article's order: name → the article's
#: description (:mod:`.methods` holds what a cadre does under each).
METHODS: dict[str, str] = {m.name: m.description for m in NINE_METHODS}

#: 定期评事: the workers' verdict. 不满意 sends the matter back to 集中议事.
SATISFACTION: tuple[str, ...] = ("满意", "基本满意", "不满意")
SATISFIED = ("满意", "基本满意")

#: How a closed matter counts in the committee's figures (the article's 人次 / 件次 / 条).
OUTCOMES: tuple[str, ...] = ("合理诉求解决", "帮扶", "办实事", "意见建议", "思想教育", "不属合理诉求")
#: The outcomes counted in 人次 (``persons`` required) …
OUTCOMES_IN_PERSONS = ("帮扶", "思想教育")
#: … and the one that needs a reason.
OUTCOME_NEEDS_REASON = "不属合理诉求"

#: Days allowed per severity before an open issue is overdue (and escalates to the parent unit).
DEADLINE_DAYS: dict[str, int] = {Severity.HIGH: 3, Severity.MEDIUM: 7, Severity.LOW: 15}


@dataclass
class Issue:
    """One real matter workers are talking about, routed to a union unit.

    ``version`` increases with every change (optimistic concurrency: an update names the
    version it read and fails if another worker changed the issue meanwhile).
    """

    title: str
    severity: str = Severity.LOW
    topic: str = "other"
    unit: str = ""
    event_id: str = ""
    #: For issues raised from posts without an event: rule + topic + unit + week (see alerts.grouping).
    group_key: str = ""
    rule: str = ""
    kind: str = IssueKind.OPINION  # opinion | source_health
    summary: str = ""
    method: str = ""
    method_reason: str = ""
    step: str = STEPS[0]
    status: str = IssueStatus.OPEN  # open | closed
    assignee: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    due_at: datetime | None = None
    closed_at: datetime | None = None
    version: int = 1
    extra: dict = field(default_factory=dict)
    id: int | None = None
    #: Filled in by listings: how many posts are attached.
    post_count: int = 0


@dataclass
class HistoryEntry:
    """One append-only line of an issue's history."""

    issue_id: int
    at: datetime
    actor: str
    #: opened | posts_added | severity_up | recorded (a 说事解事 step's record, ``data["fields"]``) | assigned |
    #: commented | escalated | closed (with its classification in ``data["fields"]``) | emailed; ``advanced``
    #: in stores written before step records existed.
    action: str
    step: str = ""
    note: str = ""
    data: dict = field(default_factory=dict)
