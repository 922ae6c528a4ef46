"""The 说事解事 workflow: moving an issue through STEPS to CLOSED, deadlines, escalation. Pure:
these functions change an :class:`Issue` in memory; the caller saves it with ``store.update_issue``."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..errors import YuqingError
from ..orgtree import OrgTree
from ..schema import SEVERITIES
from .model import CLOSED, DEADLINE_DAYS, STEPS, Issue
from .routing import escalation_target


def due_date(severity: str, start: datetime) -> datetime:
    return start + timedelta(days=DEADLINE_DAYS.get(severity, DEADLINE_DAYS["low"]))


def advance(issue: Issue, step: str, now: datetime) -> str:
    """Move ``issue`` to ``step`` (one of STEPS, or CLOSED); returns the history action."""
    if issue.status == "closed":
        raise YuqingError(f"议题 #{issue.id} 已办结，不能再流转")
    if step not in STEPS and step != CLOSED:
        raise YuqingError(f"没有“{step}”这一步；可选：{'、'.join(STEPS)}、{CLOSED}")
    if step == issue.step:
        raise YuqingError(f"议题 #{issue.id} 已经在“{step}”这一步")
    if step == CLOSED:
        issue.step = CLOSED
        issue.status = "closed"
        issue.closed_at = now
        return "closed"
    issue.step = step
    return "advanced"


def raise_severity(issue: Issue, severity: str, now: datetime) -> bool:
    """Raise (never lower) the severity; a tighter deadline comes with it. True when it changed."""
    if SEVERITIES.index(severity) <= SEVERITIES.index(issue.severity):
        return False
    issue.severity = severity
    tighter = due_date(severity, now)
    if issue.due_at is None or tighter < issue.due_at:
        issue.due_at = tighter
    return True


def is_overdue(issue: Issue, now: datetime) -> bool:
    return issue.status == "open" and issue.due_at is not None and issue.due_at < now


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
