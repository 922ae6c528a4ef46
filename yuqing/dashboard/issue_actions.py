"""What a user may do to an issue from the dashboard: advance it one 说事解事 step, assign it,
comment. Each saves through ``store.update_issue`` (optimistic version check, history line) and
writes the audit log. The caller passes an issue read with the user's scope."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from ..auth import CurrentUser
from ..casework import workflow
from ..casework.model import CLOSED, STEPS, Issue
from ..errors import AccessDenied


def next_step(step: str) -> str:
    """The step after ``step``; after the last one the issue is closed (``已办结``)."""
    if step == CLOSED:
        raise AccessDenied("议题已办结，不能再推进")
    i = STEPS.index(step) if step in STEPS else -1
    return STEPS[i + 1] if i + 1 < len(STEPS) else CLOSED


def _check(user: CurrentUser, issue: Issue) -> None:
    if not user.can_work_issues:
        raise AccessDenied("只读用户不能修改议题")
    if user.scope is not None and issue.unit not in user.scope:
        raise AccessDenied("该议题不在您的权限范围内")


def advance(store, user: CurrentUser, issue: Issue, note: str = "") -> Issue:
    _check(user, issue)
    new = replace(issue)
    action = workflow.advance(new, next_step(issue.step), datetime.now(timezone.utc))
    saved = store.update_issue(new, actor=user.username, action=action, note=note,
                               data={"from": issue.step, "to": new.step})
    store.audit(user.username, "issue_advanced", f"issue:{issue.id}", {"from": issue.step, "to": new.step})
    return saved


def assign(store, user: CurrentUser, issue: Issue, assignee: str, note: str = "") -> Issue:
    _check(user, issue)
    saved = store.update_issue(replace(issue, assignee=assignee.strip()), actor=user.username, action="assigned",
                               note=note, data={"assignee": assignee.strip()})
    store.audit(user.username, "issue_assigned", f"issue:{issue.id}", {"assignee": assignee.strip()})
    return saved


def comment(store, user: CurrentUser, issue: Issue, note: str) -> Issue:
    _check(user, issue)
    if not note.strip():
        raise AccessDenied("请填写意见内容")
    saved = store.update_issue(replace(issue), actor=user.username, action="commented", note=note.strip())
    store.audit(user.username, "issue_commented", f"issue:{issue.id}")
    return saved
