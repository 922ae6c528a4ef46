"""The alert loop: new posts → rules → matches grouped per event → issues → e-mails in the outbox.

Rules are pure (:mod:`.rules`); this module does the reading and writing. Windows are measured on
post timestamps, so replaying weeks of posts at once raises what a live run would have raised.
A cursor (state ``alerts.cursor``, a post rowid) makes every post evaluated once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from ..casework.model import Issue
from ..casework.routing import related_units, route, unassigned_sources
from ..casework.workflow import due_date, escalate, is_overdue, raise_severity
from ..errors import ConflictError
from ..notify.issue_mail import queue_issue_email, queue_rollups
from ..orgtree import OrgTree
from ..schema import IssueKind, IssueStatus, StoredPost
from ..storage.base import PostQuery
from .describe import Description, describe, representative
from .grouping import SHARED_POSTS, IssueDraft, group_matches, profile, same_matter
from .loader import load_rules
from .rules import Match, Rule, RuleContext

if TYPE_CHECKING:
    from ..storage.protocols import AlertsStore

CURSOR = "alerts.cursor"
BATCH = 20000
ACTOR = "yuqing-alerts"


@dataclass
class RunResult:
    posts: int = 0
    matches: int = 0
    opened: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    emails_queued: int = 0

    def __str__(self) -> str:
        return (f"预警：新帖子 {self.posts} 条，命中 {self.matches} 次 → 新建议题 {len(self.opened)} 个，"
                f"更新 {len(self.updated)} 个，逾期上报 {len(self.escalated)} 个；邮件入队 {self.emails_queued} 封")


def org_tree(store, config) -> OrgTree:
    return OrgTree(store.list_units() or config.units)


def history_for(store, posts: list[StoredPost], rules: list[Rule]) -> list[StoredPost]:
    """Every analysed post from the longest rule lookback before the new posts to the newest one."""
    if not posts:
        return []
    lookback = max((r.lookback() for r in rules), default=timedelta(0))
    start = min(sp.post.created_at for sp in posts) - lookback
    end = max(sp.post.created_at for sp in posts) + timedelta(seconds=1)
    q = PostQuery(since=start, until=end, analyzed=True, limit=10**7, newest_first=False)
    return store.query_posts(q)


def evaluate(rules: list[Rule], posts: list[StoredPost], history: list[StoredPost], sources) -> list[Match]:
    if not posts:
        return []
    ctx = RuleContext(history=history, now=max(sp.post.created_at for sp in posts), sources=sources)
    out: list[Match] = []
    for rule in rules:
        out.extend(rule.evaluate(posts, ctx))
    return out


def plan(store, config, rules: list[Rule], posts: list[StoredPost]) -> tuple[list[Match], list[IssueDraft], dict]:
    """Matches and issue drafts for ``posts`` (reads only). Returns the post index used."""
    history = history_for(store, posts, rules)
    index = {sp.post.id: sp for sp in history}
    index.update({sp.post.id: sp for sp in posts})
    matches = evaluate(rules, posts, history, store.list_sources())
    sizes = Counter(sp.analysis.event_id for sp in index.values() if sp.analysis and sp.analysis.event_id)
    tree = org_tree(store, config)
    drafts = group_matches(matches, index, config.tz, sizes, lambda a, b: related_units(a, b, tree))
    return matches, drafts, index


def _existing(store, draft: IssueDraft, index: dict, tree: OrgTree) -> Issue | None:
    """The open issue this draft adds to: by event, by grouping key, the open issue that
    already holds a good part of the draft's posts, or an open issue about the same matter
    (same topic, related unit, posts close in time)."""
    for event_id in (draft.event_id, *draft.related_events):
        issue = store.find_open_issue(event_id)
        if issue is not None:
            return issue
    issue = store.find_open_issue_by_key(draft.group_key)
    if issue is not None or draft.kind != IssueKind.OPINION:
        return issue
    shared = store.open_issues_sharing_posts(draft.post_ids)
    if shared:
        issue_id, n = max(shared.items(), key=lambda kv: (kv[1], -kv[0]))
        if n >= 2 and n >= SHARED_POSTS * len(draft.post_ids):
            return store.get_issue(issue_id)
    mine = profile(draft, index)
    if mine is None:
        return None
    for issue in store.list_issues(status=IssueStatus.OPEN, limit=500):
        span = issue.extra.get("posts_span")
        if issue.kind != IssueKind.OPINION or not span:
            continue
        theirs = (issue.topic, issue.unit, datetime.fromisoformat(span[0]), datetime.fromisoformat(span[1]))
        if same_matter(mine, theirs, lambda a, b: related_units(a, b, tree)):
            return issue
    return None


def _span(posts: list[StoredPost], old: list[str] | None = None) -> list[str]:
    times = [sp.post.created_at for sp in posts] + [datetime.fromisoformat(t) for t in old or []]
    return [min(times).isoformat(), max(times).isoformat()]


def raised_at(draft: IssueDraft, now: datetime) -> datetime:
    """When the matter was raised: the moment a rule first fired, on the posts' timeline (the same
    timeline the windows are measured on, so replaying stored posts dates issues as a live run would
    have). Never later than ``now``. The deadline still runs from ``now``: cadres can only act once told."""
    return min(draft.first_at, now) if draft.first_at else now


def _apply(store, config, tree: OrgTree, draft: IssueDraft, index: dict, now: datetime, result: RunResult) -> None:
    draft_posts = [index[i] for i in draft.post_ids if i in index]
    event = store.get_event(draft.event_id) if draft.event_id else None
    issue = _existing(store, draft, index, tree)
    if issue is None:
        d = describe(draft_posts, tree, rule_severity=draft.severity, reasons=draft.reasons, event=event, tz=config.tz)
        if draft.kind == IssueKind.SOURCE_HEALTH:
            d = source_health(draft, d)
        extra = {"posts_span": _span(draft_posts), "rules": draft.rules}
        if pending := unassigned_sources(draft_posts):
            extra["unassigned_sources"] = pending
        issue = Issue(title=d.title, severity=d.severity, topic=d.topic, unit=d.unit, event_id=draft.event_id,
                      group_key=draft.group_key, rule=",".join(draft.rules), kind=draft.kind, summary=d.summary,
                      method=d.method, method_reason=d.method_reason, due_at=due_date(d.severity, now),
                      created_at=raised_at(draft, now), extra=extra)
        with store.transaction():  # the issue and its e-mail: both or neither, whatever kills us
            store.create_issue(issue, draft.post_ids, actor=ACTOR)
            issue.post_count = len(draft.post_ids)
            queued = queue_issue_email(store, config, tree, issue, "new", posts=representative(draft_posts, 5),
                                       now=now)
        result.opened.append(issue.id)
        if queued:
            result.emails_queued += 1
        return
    added = store.attach_posts(issue.id, draft.post_ids, ",".join(draft.rules))
    if not added:
        return
    try:
        _grow(store, config, tree, issue, draft, draft_posts, added, event, now, result)
    except ConflictError:  # a cadre changed the issue between our read and our write: read it again, once
        _grow(store, config, tree, store.get_issue(issue.id), draft, draft_posts, added, event, now, result)


def _grow(store, config, tree: OrgTree, issue: Issue, draft: IssueDraft, draft_posts: list[StoredPost], added: int,
          event, now: datetime, result: RunResult) -> None:
    """Save what new posts change about an open issue; e-mail when severity rose or it moved up."""
    all_posts = store.issue_posts(issue.id, limit=2000)
    d = describe(all_posts, tree, rule_severity=draft.severity, reasons=draft.reasons, event=event, tz=config.tz)
    old_severity, old_unit = issue.severity, issue.unit
    severity_up = raise_severity(issue, d.severity, now)
    new_unit = route([sp.unit for sp in all_posts], tree)
    spread = new_unit != old_unit and new_unit in tree.ancestors(old_unit)
    if issue.extra.get("unassigned_sources"):
        issue.extra = {**issue.extra, "unassigned_sources": unassigned_sources(all_posts)}
    if spread:  # the matter grew beyond its first unit: the title names the unit now in charge
        issue.unit, issue.title = new_unit, d.title
    issue.summary = d.summary
    issue.extra = {**issue.extra, "posts_span": _span(draft_posts, issue.extra.get("posts_span")),
                   "rules": list(dict.fromkeys([*issue.extra.get("rules", []), *draft.rules]))}
    issue.rule = ",".join(r for r in dict.fromkeys([*issue.rule.split(","), *draft.rules]) if r)
    issue.post_count = len(all_posts)
    store.update_issue(issue, actor=ACTOR, action="posts_added", note=f"新增 {added} 条相关帖子",
                       data={"added": added})
    result.updated.append(issue.id)
    top = representative(all_posts, 5)
    if severity_up:
        with store.transaction():
            issue = store.update_issue(issue, actor=ACTOR, action="severity_up",
                                       note=f"严重程度 {old_severity} → {issue.severity}",
                                       data={"from": old_severity, "to": issue.severity})
            if queue_issue_email(store, config, tree, issue, "severity", posts=top, now=now):
                result.emails_queued += 1
    if spread:
        with store.transaction():
            issue = store.update_issue(issue, actor=ACTOR, action="escalated",
                                       note=f"涉及多个单位，转由 {tree.name(new_unit)} 统筹",
                                       data={"from": old_unit, "to": new_unit})
            if queue_issue_email(store, config, tree, issue, "escalated", posts=top, now=now,
                                 note=f"此事已涉及多个单位，转由{tree.name(new_unit)}统筹办理。"):
                result.emails_queued += 1


def source_health(draft: IssueDraft, d: Description) -> Description:
    """A quiet source is not a matter workers raise: no method, the rule's own words."""
    return replace(d, title=draft.title or d.title, summary="；".join(draft.reasons), severity=draft.severity,
                   method="", method_reason="数据源健康问题：请检查导出文件是否按时投放、采集是否报错", topic="other")


def escalate_overdue(store: AlertsStore, config, tree: OrgTree, now: datetime, result: RunResult) -> None:
    """Open issues past their deadline go up to the parent unit (history ``escalated``, e-mail)."""
    for issue in store.list_issues(status=IssueStatus.OPEN, overdue=True, now=now, limit=1000):
        issue = store.get_issue(issue.id)  # fresh version: a cadre may be working on it right now
        if issue is None or not is_overdue(issue, now):
            continue
        escalate_one(store, config, tree, issue, now, result)


def escalate_one(store: AlertsStore, config, tree: OrgTree, issue: Issue, now: datetime, result: RunResult) -> Issue:
    """Escalate one overdue issue at ``now`` (the history line is dated ``now``); e-mail the unit it went to."""
    old = escalate(issue, tree, now)
    note = (f"逾期未办结，由 {tree.name(old)} 上报至 {tree.name(issue.unit)}" if old
            else "逾期未办结（已是最高一级单位），期限顺延")
    issue = store.update_issue(issue, actor=ACTOR, action="escalated", note=note, at=now,
                               data={"from": old or issue.unit, "to": issue.unit, "overdue": True})
    result.escalated.append(issue.id)
    if old and queue_issue_email(store, config, tree, issue, "escalated", now=now, note=note,
                                 posts=representative(store.issue_posts(issue.id, limit=200), 5)):
        result.emails_queued += 1
    return issue


def reroute_assigned(store: AlertsStore, config, tree: OrgTree, now: datetime, result: RunResult) -> None:
    """An open matter that went to the root unit because its chat had no unit goes to the unit in
    charge once the chat is assigned (history ``rerouted``, e-mail to that unit)."""
    for issue in store.list_issues(status=IssueStatus.OPEN, limit=1000):
        if not issue.extra.get("unassigned_sources"):
            continue
        posts = store.issue_posts(issue.id, limit=2000)
        still = unassigned_sources(posts)
        if still == issue.extra["unassigned_sources"]:
            continue
        issue = store.get_issue(issue.id)  # fresh version: a cadre may be working on it right now
        if issue is None:
            continue
        old = issue.unit
        new_unit = route([sp.unit for sp in posts], tree) if not still else old
        issue.extra = {**issue.extra, "unassigned_sources": still}
        moved = bool(new_unit) and new_unit != old
        if moved:
            issue.unit = new_unit
            issue.title = issue.title.replace(tree.name(old), tree.name(new_unit), 1) if old else issue.title
        note = (f"数据源已分配单位，转由 {tree.name(new_unit)} 办理" if moved else "数据源已分配单位")
        try:
            with store.transaction():
                issue = store.update_issue(issue, actor=ACTOR, action="rerouted" if moved else "sources_assigned",
                                           note=note, data={"from": old, "to": issue.unit})
                if moved and queue_issue_email(store, config, tree, issue, "rerouted", now=now, note=note + "。",
                                               posts=representative(posts, 5)):
                    result.emails_queued += 1
        except ConflictError:
            continue  # changed meanwhile: the next run looks again
        if moved:
            result.escalated.append(issue.id)


def run_alerts(store: AlertsStore, config, *, rules: list[Rule] | None = None, now: datetime | None = None) -> RunResult:
    """Evaluate the rules over posts not evaluated yet; raise or update issues; queue e-mails.

    Sending is :func:`yuqing.notify.outbox.drain_outbox` (so a mail server that is down never
    stops the alerts). ``now`` (wall clock) is for deadlines, quiet hours and roll-ups.
    """
    now = now or datetime.now(timezone.utc)
    if rules is None:
        rules = load_rules(config.resolve(config.alerts.rules_dir))
    tree = org_tree(store, config)
    result = RunResult()
    cursor = int(store.get_state(CURSOR) or 0)
    while True:
        posts, new_cursor = store.alert_candidates(cursor, limit=BATCH)
        if not posts:
            break
        matches, drafts, index = plan(store, config, rules, posts)
        result.posts += len(posts)
        result.matches += len(matches)
        for draft in drafts:
            _apply(store, config, tree, draft, index, now, result)
        store.set_state(CURSOR, str(new_cursor))
        cursor = new_cursor
    reroute_assigned(store, config, tree, now, result)
    escalate_overdue(store, config, tree, now, result)
    result.emails_queued += queue_rollups(store, config, tree, now)
    return result
