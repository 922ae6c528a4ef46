"""考核评价: the assessment of every level of the four-level structure for one period, from the
matters and their step records. Pure.

Each event counts for the unit responsible when it happened (a matter escalated to the parent unit
moves with it): a matter raised counts for the unit it was routed to; a closure, a rating and the
closure's figures for the unit that had it then; an escalation for the unit it was escalated from.
Every unit's row covers its own subtree ("rolled up the tree"), so the group's row is the whole union.

- ``issues`` matters raised in the period; ``closed`` closed in it; ``closed_on_time_rate`` the share
  of those closed by their deadline (the deadline in force when closed: severity's, or 集中议事's ``due``).
- ``median_first_response_hours`` detection (the matter raised) → first 干部问事 record, over the
  matters raised in the period; a matter nobody has answered yet counts with the hours it has waited
  so far (it can only get worse), so silence never improves the figure.
- ``satisfaction_rate`` the share of 定期评事 verdicts given in the period that were 满意 or 基本满意
  (every verdict counts: a 不满意 followed by 满意 is one of two).
- ``escalated`` escalations for being overdue in the period; ``overdue`` matters that were past their
  deadline and still open at some time in the period.
- the article's figures, from the matters closed in the period by their classification:
  ``education_persons`` (思想教育, 人次), ``demands_resolved`` (合理诉求解决, 件次), ``assisted_persons``
  (帮扶, 人次), ``practical_deeds`` (办实事, 件次), ``suggestions_collected`` (意见建议, 条).

The ranking is within each level, over units with any matter in the period, by a score out of 100:
40 × on-time rate + 40 × satisfaction rate + 20 × response (full at ≤ 24 h, none at ≥ 72 h), less 5
for each overdue matter and each escalation; a rate with nothing to measure counts as half.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ..orgtree import OrgTree
from ..schema import IssueKind, IssueStatus
from .model import SATISFIED, HistoryEntry, Issue
from .records import RecordSummary, summarise

FIGURES = ("education_persons", "demands_resolved", "assisted_persons", "practical_deeds", "suggestions_collected")
#: The article's own words for its figures: "开展职工思想教育4000多人次，解决职工群众合理诉求800余件次，…".
FIGURE_WORDS = {
    "education_persons": ("开展职工思想教育", "人次"),
    "demands_resolved": ("解决职工群众合理诉求", "件次"),
    "assisted_persons": ("帮扶困难职工", "人次"),
    "practical_deeds": ("为职工办实事", "件次"),
    "suggestions_collected": ("收集职工意见建议", "条"),
}
#: outcome → (figure, counted in persons/items or as one matter)
OUTCOME_FIGURE = {"思想教育": ("education_persons", "persons"), "合理诉求解决": ("demands_resolved", ""),
                  "帮扶": ("assisted_persons", "persons"), "办实事": ("practical_deeds", ""),
                  "意见建议": ("suggestions_collected", "items")}
RESPONSE_FULL_HOURS, RESPONSE_NONE_HOURS = 24.0, 72.0
OVERDUE_PENALTY = 5.0


@dataclass
class UnitScore:
    unit: str
    name: str
    level: int
    parent: str
    issues: int = 0
    closed: int = 0
    closed_on_time: int = 0
    ratings: int = 0
    satisfied: int = 0
    escalated: int = 0
    overdue: int = 0
    education_persons: int = 0
    demands_resolved: int = 0
    assisted_persons: int = 0
    practical_deeds: int = 0
    suggestions_collected: int = 0
    not_reasonable: int = 0
    response_hours: list[float] = field(default_factory=list)
    score: float | None = None
    rank: int | None = None

    @property
    def closed_on_time_rate(self) -> float | None:
        return self.closed_on_time / self.closed if self.closed else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.ratings if self.ratings else None

    @property
    def median_first_response_hours(self) -> float | None:
        return statistics.median(self.response_hours) if self.response_hours else None

    @property
    def active(self) -> bool:
        return bool(self.issues or self.closed or self.ratings or self.escalated or self.overdue)

    def figures_text(self) -> str:
        """The period's figures in the article's form: "开展职工思想教育 12 人次，解决职工群众合理诉求 3 件次，…"."""
        return "，".join(f"{words} {getattr(self, key)} {unit}" for key, (words, unit) in FIGURE_WORDS.items())

    def to_dict(self) -> dict:
        r = lambda v, n=3: None if v is None else round(v, n)  # noqa: E731
        return {
            "unit": self.unit, "name": self.name, "level": self.level, "parent": self.parent,
            "issues": self.issues, "closed": self.closed, "closed_on_time_rate": r(self.closed_on_time_rate),
            "median_first_response_hours": r(self.median_first_response_hours, 1),
            "satisfaction_rate": r(self.satisfaction_rate), "ratings": self.ratings,
            "escalated": self.escalated, "overdue": self.overdue,
            **{k: getattr(self, k) for k in FIGURES}, "not_reasonable": self.not_reasonable,
            "score": r(self.score, 1), "rank": self.rank,
        }


@dataclass
class _Own:
    """Per-unit raw events before rolling up (overdue matters as a set: one matter counts once)."""

    score: UnitScore
    overdue_ids: set[int] = field(default_factory=set)


def unit_at(issue: Issue, history: Sequence[HistoryEntry], at: datetime) -> str:
    """The unit responsible for ``issue`` at ``at``: where it was routed, moved by every escalation
    (overdue, or a matter spreading to a parent unit) up to ``at``."""
    opened = next((h for h in history if h.action == "opened"), None)
    unit = (opened.data.get("unit") if opened else None) or issue.unit
    for h in history:
        if h.action == "escalated" and h.at <= at and h.data.get("to"):
            unit = h.data["to"]
    return unit


def _within(t: datetime | None, since: datetime, until: datetime) -> bool:
    return t is not None and since <= t < until


def compute_scorecard(tree: OrgTree, issues: Sequence[Issue], histories: Mapping[int, Sequence[HistoryEntry]],
                      since: datetime, until: datetime, now: datetime) -> list[UnitScore]:
    """One row per unit of ``tree`` (depth first, the tree's order), each over its subtree."""
    cutoff = min(until, now)
    roots = tree.roots()
    own: dict[str, _Own] = {}
    for code, u in tree.units.items():
        depth = len(tree.ancestors(code)) + 1
        own[code] = _Own(UnitScore(code, u.name, u.level or depth, u.parent))

    def at(code: str) -> _Own | None:
        if code in own:
            return own[code]
        return own[roots[0]] if len(roots) == 1 else None  # a matter of no known unit is the root's

    for issue in issues:
        if issue.kind != IssueKind.OPINION or issue.id is None:
            continue
        hist = histories.get(issue.id, [])
        summary: RecordSummary = summarise(hist)
        if _within(issue.created_at, since, until) and (o := at(unit_at(issue, hist, issue.created_at))):
            o.score.issues += 1
            answered = summary.first_response_at
            waited = ((answered or now) - issue.created_at).total_seconds() / 3600
            o.score.response_hours.append(max(0.0, waited))
        if issue.status == IssueStatus.CLOSED and _within(issue.closed_at, since, until) and \
                (o := at(unit_at(issue, hist, issue.closed_at))):
            o.score.closed += 1
            if issue.due_at is None or issue.closed_at <= issue.due_at:
                o.score.closed_on_time += 1
            _count_outcome(o.score, summary.classification)
        for rating in summary.ratings:
            if _within(rating.at, since, until) and (o := at(unit_at(issue, hist, rating.at))):
                o.score.ratings += 1
                o.score.satisfied += rating.fields.get("satisfaction") in SATISFIED
        for h in hist:
            if h.action == "escalated" and h.data.get("overdue") and _within(h.at, since, cutoff):
                if o := at(h.data.get("from") or unit_at(issue, hist, h.at)):
                    o.score.escalated += 1
                    o.overdue_ids.add(issue.id)
        # past the deadline and still open: from the deadline until it closed (or until now)
        if issue.due_at is not None:
            end = issue.closed_at if issue.status == IssueStatus.CLOSED and issue.closed_at else now
            if issue.due_at < end and issue.due_at < cutoff and end > since:
                if o := at(unit_at(issue, hist, max(issue.due_at, since))):
                    o.overdue_ids.add(issue.id)
    return _roll_up(tree, own)


def _count_outcome(s: UnitScore, classification: Mapping[str, str]) -> None:
    outcome = classification.get("outcome", "")
    if outcome == "不属合理诉求":
        s.not_reasonable += 1
        return
    if outcome not in OUTCOME_FIGURE:
        return
    key, per = OUTCOME_FIGURE[outcome]
    n = int(classification.get(per) or 1) if per else 1
    setattr(s, key, getattr(s, key) + n)


_SUMMED = ("issues", "closed", "closed_on_time", "ratings", "satisfied", "escalated", *FIGURES, "not_reasonable")


def _order(tree: OrgTree) -> list[str]:
    out: list[str] = []

    def walk(code: str) -> None:
        out.append(code)
        for child in tree.children(code):
            walk(child)

    for root in tree.roots():
        walk(root)
    return out


def _roll_up(tree: OrgTree, own: dict[str, _Own]) -> list[UnitScore]:
    rows: list[UnitScore] = []
    for code in _order(tree):
        base = own[code].score
        row = UnitScore(code, base.name, base.level, base.parent)
        overdue: set[int] = set()
        for sub in tree.subtree(code):
            o = own[sub]
            for k in _SUMMED:
                setattr(row, k, getattr(row, k) + getattr(o.score, k))
            row.response_hours.extend(o.score.response_hours)
            overdue |= o.overdue_ids
        row.overdue = len(overdue)
        rows.append(row)
    _rank(rows)
    return rows


def score_of(row: UnitScore) -> float:
    on_time = row.closed_on_time_rate if row.closed_on_time_rate is not None else 0.5
    satisfied = row.satisfaction_rate if row.satisfaction_rate is not None else 0.5
    median = row.median_first_response_hours
    if median is None:
        response = 0.5
    else:
        response = min(1.0, max(0.0, (RESPONSE_NONE_HOURS - median) / (RESPONSE_NONE_HOURS - RESPONSE_FULL_HOURS)))
    raw = 40 * on_time + 40 * satisfied + 20 * response - OVERDUE_PENALTY * (row.overdue + row.escalated)
    return max(0.0, raw)


def _rank(rows: list[UnitScore]) -> None:
    by_level: dict[int, list[UnitScore]] = {}
    for row in rows:
        if row.active:
            row.score = score_of(row)
            by_level.setdefault(row.level, []).append(row)
    for level_rows in by_level.values():
        level_rows.sort(key=lambda r: (-r.score, r.unit))
        for i, row in enumerate(level_rows, start=1):  # equal scores share a rank (1, 2, 2, 4)
            prev = level_rows[i - 2] if i > 1 else None
            row.rank = prev.rank if prev is not None and round(prev.score, 6) == round(row.score, 6) else i
