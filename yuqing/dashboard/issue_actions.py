"""What a user may do to an issue from the dashboard: record its current 说事解事 step (or close it),
assign it, comment. Each saves through ``store.update_issue`` (version check, history line) and writes
the audit log.

Every action names the version of the issue the user's page showed (``seen_version``): the page reads
the issue afresh on every run, so without it a click made on a stale page — a second browser tab, a
colleague's change meanwhile — would act on the new state and silently skip a step. A page older than
the stored issue gets "已被他人更新，请刷新" instead. The caller passes the issue read with the user's scope."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING

from ..auth import CurrentUser
from ..casework.model import Issue
from ..casework.workflow import Change, record_step
from ..errors import AccessDenied, ConflictError

if TYPE_CHECKING:
    from ..storage.protocols import CaseStore


def _check(user: CurrentUser, issue: Issue, seen_version: int) -> None:
    if not user.can_work_issues:
        raise AccessDenied("只读用户不能修改议题")
    if user.scope is not None and issue.unit not in user.scope:
        raise AccessDenied("该议题不在您的权限范围内")
    if issue.version != seen_version:
        raise ConflictError.stale_issue(issue.id)


def record(store: CaseStore, user: CurrentUser, issue: Issue, step: str, fields: Mapping[str, str], note: str,
           seen_version: int, tz: tzinfo) -> Change:
    """Record ``step`` (the step the page showed, or 已办结) with its fields; see
    :func:`yuqing.casework.workflow.record_step`."""
    _check(user, issue, seen_version)
    new = replace(issue)
    change = record_step(new, step, fields, store.issue_history(issue.id), datetime.now(timezone.utc), tz,
                         note.strip())
    store.update_issue(new, actor=user.username, action=change.action, note=change.note, data=change.data,
                       step=change.step)
    store.audit(user.username, f"issue_{change.action}", f"issue:{issue.id}",
                {"step": change.step, "to": change.data.get("to", "")})
    return change


def assign(store: CaseStore, user: CurrentUser, issue: Issue, assignee: str, note: str, seen_version: int) -> Issue:
    _check(user, issue, seen_version)
    saved = store.update_issue(replace(issue, assignee=assignee.strip()), actor=user.username, action="assigned",
                               note=note, data={"assignee": assignee.strip()})
    store.audit(user.username, "issue_assigned", f"issue:{issue.id}", {"assignee": assignee.strip()})
    return saved


def comment(store: CaseStore, user: CurrentUser, issue: Issue, note: str, seen_version: int) -> Issue:
    _check(user, issue, seen_version)
    if not note.strip():
        raise AccessDenied("请填写意见内容")
    saved = store.update_issue(replace(issue), actor=user.username, action="commented", note=note.strip())
    store.audit(user.username, "issue_commented", f"issue:{issue.id}")
    return saved
