"""The numbers a digest shows, as plain dataclasses (filled by :mod:`.figures`, shown by
:mod:`.render`). Every row carries the link to the posts or issues behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..casework.scorecard import UnitScore
from .period import Period


def share(part: int, whole: int) -> float:
    """``part / whole`` as a percentage (0 when ``whole`` is 0)."""
    return 100.0 * part / whole if whole else 0.0


@dataclass
class Headline:
    key: str
    label: str
    value: float
    previous: float
    link: str
    #: "条", "件" or "%" (a share: its change is in percentage points).
    suffix: str = "条"

    @property
    def change(self) -> float:
        return self.value - self.previous

    @property
    def change_text(self) -> str:
        """"+12 条（+25%）", "-1.5 个百分点", "持平"."""
        if abs(self.change) < 0.05:
            return "持平"
        if self.suffix == "%":
            return f"{self.change:+.1f} 个百分点"
        text = f"{self.change:+.0f} {self.suffix}"
        if self.previous:
            text += f"，{100.0 * self.change / self.previous:+.0f}%"
        return text

    @property
    def value_text(self) -> str:
        return f"{self.value:.1f}%" if self.suffix == "%" else f"{self.value:.0f}"


@dataclass
class PostRef:
    id: str
    when: str
    source: str
    unit: str
    text: str  # PII masked, shortened
    sentiment: str
    risk: str
    link: str


@dataclass
class IssueRef:
    id: int
    title: str  # PII masked
    severity: str
    unit: str
    step: str  # 说事解事 step, or 已办结
    status: str  # open | closed
    method: str
    opened: str
    due: str
    overdue: bool
    post_count: int
    link: str
    created_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass
class TopicRow:
    code: str
    label: str
    total: int
    negative: int
    high_risk: int
    prev_total: int
    prev_negative: int
    link: str
    negative_link: str
    samples: list[PostRef] = field(default_factory=list)

    @property
    def negative_share(self) -> float:
        return share(self.negative, self.total)


@dataclass
class EventRow:
    id: str
    label: str
    topic: str
    posts: int
    negative: int
    prev_posts: int
    first_at: str
    last_at: str
    is_new: bool
    link: str
    #: Posts per day of the period (the event's trend).
    daily: list[int] = field(default_factory=list)


@dataclass
class IssueActivity:
    """An issue (a matter the alerts grouped posts into) by its posts in the period."""

    issue: IssueRef
    posts: int
    negative: int
    high_risk: int
    prev_posts: int
    first_at: str
    last_at: str
    #: Posts per day of the period.
    daily: list[int] = field(default_factory=list)


@dataclass
class TermRow:
    term: str
    posts: int
    link: str


@dataclass
class UnitRow:
    code: str
    name: str
    total: int
    negative: int
    prev_total: int
    prev_negative: int
    link: str
    negative_link: str
    #: Negative posts per day of the period (the unit's sentiment trend).
    daily_negative: list[int] = field(default_factory=list)

    @property
    def negative_share(self) -> float:
        return share(self.negative, self.total)

    @property
    def prev_negative_share(self) -> float:
        return share(self.prev_negative, self.prev_total)


@dataclass
class DayRow:
    day: str
    total: int
    negative: int
    link: str


@dataclass
class IssueSection:
    raised: list[IssueRef]
    resolved: list[IssueRef]
    overdue: list[IssueRef]
    #: Where the period's issues stand: [(step, count, [issue ids])] in 说事解事 order, 已办结 last.
    steps: list[tuple[str, int, list[int]]]
    #: Which of the nine methods were used, most used first: [(method, count, [issue ids])].
    methods: list[tuple[str, int, list[int]]]
    #: Overdue issues per unit, most first: [(unit name, count, [issue ids])].
    overdue_by_unit: list[tuple[str, int, list[int]]]


@dataclass
class CaseworkSection:
    """The monthly report's 说事解事 part: the month's figures in the article's form and the
    assessment (考核评价) of the units in scope, each row over its subtree."""

    #: "开展职工思想教育 12 人次，解决职工群众合理诉求 3 件次，帮扶困难职工 4 人次，为职工办实事 2 件次，收集职工意见建议 9 条"
    figures_text: str
    #: The scope's own row (the whole organisation, or the report's unit).
    total: UnitScore
    #: Units with matters in the month, in the tree's order.
    units: list[UnitScore] = field(default_factory=list)


@dataclass
class Figures:
    period: Period
    previous: Period
    scope: str  # unit code, "" = all units
    scope_name: str
    generated_at: str
    base_url: str
    headlines: list[Headline]
    days: list[DayRow]
    topics: list[TopicRow]
    #: Issues by their posts in the period, most negative first (the matters workers talked about).
    hot_issues: list[IssueActivity]
    #: Events the NLP found that no issue covers yet, most negative first.
    events: list[EventRow]
    emerging_terms: list[TermRow]
    units: list[UnitRow]
    issues: IssueSection
    #: Link to every post of the period in scope.
    all_posts_link: str = ""
    #: The monthly report only: the committee's figures and the assessment of the units.
    casework: CaseworkSection | None = None
    #: Posts and matters (events) triaged in the period, by mark: ``{"post": {mark: n}, "event": {…}}``.
    triage: dict = field(default_factory=dict)

    @property
    def triage_text(self) -> str:
        """「帖子 12 条（已处置 5、…），事件 3 个（…）」 or 「本期没有标注」."""
        from ..triage import counts_text

        return counts_text(self.triage)

    def headline(self, key: str) -> Headline:
        return next(h for h in self.headlines if h.key == key)
