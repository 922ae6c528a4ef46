"""Putting alert e-mails about issues into the outbox (one per issue per change that matters)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..casework.model import Issue
from ..orgtree import OrgTree
from ..schema import IssueStatus, Role, StoredPost
from .email import compose_issue_email, compose_rollup
from .policy import MAIL_CHANGES, rollup_due, send_after
from .recipients import recipients_for

ROLLUP_STATE = "alerts.rollup_day"
ROLLUP_SINCE = "alerts.rollup_since"


def monitor_addresses(config) -> list[str]:
    """The monitoring staff's addresses (the admins' when no monitor has one): they assign sources."""
    for role in (Role.MONITOR, Role.ADMIN):
        found = [u.email for u in config.users if u.role == role and u.email]
        if found:
            return list(dict.fromkeys(found))
    return []


def unassigned_note(store, tree: OrgTree, issue: Issue) -> str:
    """What an e-mail says about an issue whose posts come from sources with no unit."""
    ids = issue.extra.get("unassigned_sources") or []
    if not ids:
        return ""
    names = []
    for sid in ids[:5]:
        src = store.get_source(sid)
        names.append(f"「{src.name if src else sid}」")
    more = f"等 {len(ids)} 个数据源" if len(ids) > 5 else "数据源"
    return (f"{more}{'、'.join(names)}尚未分配单位：此事暂由{tree.name(issue.unit)}接收，"
            "请舆情监测员在仪表盘「数据源」页把它分配给所属单位，分配后相关单位即可看到并办理。")


def queue_issue_email(store, config, tree: OrgTree, issue: Issue, change: str, *, posts: list[StoredPost],
                      now: datetime, note: str = "") -> bool:
    """Queue the e-mail about ``change`` ("new", "severity", "escalated", "rerouted") of ``issue``.

    Low-severity new issues go into the daily roll-up instead. The dedupe key makes the same
    change of the same issue one e-mail however often this is called. True when queued. A matter
    from a source with no unit also goes to the monitoring staff, and the e-mail says the source
    needs assigning.
    """
    if change not in MAIL_CHANGES:
        return False
    pending = unassigned_note(store, tree, issue)
    if change == "new" and issue.severity == "low" and not pending:
        return False  # the daily roll-up lists it
    to = recipients_for(issue.unit, issue.severity, config.recipients, tree)
    if pending:
        to += [a for a in monitor_addresses(config) if a not in to]
        note = "\n".join(n for n in (note, pending) if n)
    if not to:
        return False
    detail = {"new": "", "severity": issue.severity, "escalated": issue.unit, "rerouted": issue.unit}[change]
    key = f"issue:{issue.id}:{change}:{detail}".rstrip(":")
    mail = compose_issue_email(issue, posts, tree, base_url=config.dashboard.base_url, change=change, tz=config.tz,
                               note=note)
    after = send_after(severity=issue.severity, change=change, now=now, quiet_hours=config.alerts.quiet_hours,
                       tz=config.tz, last_email=store.last_email_at(issue.id),
                       realert=timedelta(minutes=config.alerts.realert_minutes))
    return store.enqueue_email(dedupe_key=key, kind="alert", recipients=to, subject=mail.subject,
                               body_text=mail.text, body_html=mail.html, issue_id=issue.id, send_after=after,
                               give_up_at=after + timedelta(hours=config.smtp.give_up_hours))


def queue_rollups(store, config, tree: OrgTree, now: datetime) -> int:
    """Once a day after ``daily_rollup_time``: one e-mail per recipient list with the low-severity
    issues opened since the last roll-up. Returns e-mails queued."""
    day = rollup_due(now, config.alerts.daily_rollup_time, config.tz, store.get_state(ROLLUP_STATE))
    if day is None:
        return 0
    since_raw = store.get_state(ROLLUP_SINCE)
    since = datetime.fromisoformat(since_raw) if since_raw else None
    issues = [i for i in store.list_issues(severity="low", status=IssueStatus.OPEN, limit=1000)
              if since is None or (i.created_at and i.created_at >= since)]
    by_recipients: dict[tuple[str, ...], list[Issue]] = {}
    for i in issues:
        to = tuple(recipients_for(i.unit, "low", config.recipients, tree))
        if to:
            by_recipients.setdefault(to, []).append(i)
    n = 0
    for to, items in sorted(by_recipients.items()):
        mail = compose_rollup(items, tree, base_url=config.dashboard.base_url, day=day)
        n += store.enqueue_email(dedupe_key=f"rollup:{day}:{','.join(to)}", kind="rollup", recipients=list(to),
                                 subject=mail.subject, body_text=mail.text, body_html=mail.html,
                                 give_up_at=now + timedelta(hours=config.smtp.give_up_hours))
    store.set_state(ROLLUP_STATE, day)
    store.set_state(ROLLUP_SINCE, now.isoformat())
    return n
