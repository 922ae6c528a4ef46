"""Issues and the 说事解事 workflow: the data model and its fixed vocabularies. No IO."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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

#: 网络舆情沟通法 — the nine methods an issue may be handled with.
METHODS: dict[str, str] = {
    "合理诉求维护法": "职工合理诉求（欠薪、待遇、劳动权益）依法依规帮助维护，协调行政限期解决",
    "释疑解惑聚力法": "对政策、改革、传言引起的疑虑，及时权威解读，澄清事实，凝聚共识",
    "精准帮扶暖心法": "对困难职工、患病职工及家庭精准帮扶，送温暖、解难题",
    "民主恳谈沟通法": "群体情绪较大时，组织职工代表与行政民主恳谈，面对面沟通",
    "家访谈心知情法": "走访职工家庭、谈心谈话，了解真实想法和困难",
    "文娱活动减压法": "开展文体活动疏导压力、缓解疲劳",
    "典型培育带动法": "选树宣传先进典型，发挥示范带动作用",
    "建言献策激励法": "鼓励职工对生产经营、安全管理建言献策，采纳后给予激励",
    "协商共事和谐法": "通过集体协商、厂务公开解决劳动关系问题，共建和谐",
}

#: Days allowed per severity before an open issue is overdue (and escalates to the parent unit).
DEADLINE_DAYS = {"high": 3, "medium": 7, "low": 15}


@dataclass
class Issue:
    """One real matter workers are talking about, routed to a union unit.

    ``version`` increases with every change (optimistic concurrency: an update names the
    version it read and fails if another worker changed the issue meanwhile).
    """

    title: str
    severity: str = "low"  # low | medium | high
    topic: str = "other"
    unit: str = ""
    event_id: str = ""
    #: For issues raised from posts without an event: rule + topic + unit + week (see alerts.grouping).
    group_key: str = ""
    rule: str = ""
    kind: str = "opinion"  # opinion | source_health
    summary: str = ""
    method: str = ""
    method_reason: str = ""
    step: str = STEPS[0]
    status: str = "open"  # open | closed
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
    action: str  # opened | posts_added | severity_up | advanced | assigned | commented | escalated | closed | emailed
    step: str = ""
    note: str = ""
    data: dict = field(default_factory=dict)
