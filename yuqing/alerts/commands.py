"""CLI commands of this package (added to the `yuqing` group by yuqing.cli):
``yuqing alerts run|test`` and ``yuqing issues list|show|advance``."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import click

from ..errors import YuqingError


def _app():
    return click.get_current_context().obj


@click.group()
def alerts():
    """Alert rules: evaluate them, or dry-run one."""


@alerts.command("run")
@click.option("--no-send", is_flag=True, help="只生成议题和待发邮件，不连接邮件服务器。")
def alerts_run(no_send: bool):
    """Evaluate all rules over new posts; raise/update issues; send e-mails."""
    from ..notify.outbox import drain_outbox
    from .engine import run_alerts

    app = _app()
    result = run_alerts(app.store, app.config)
    line = str(result)
    if not no_send:
        line += "; " + str(drain_outbox(app.store, app.config))
    click.echo(line)


@alerts.command("test")
@click.argument("rule_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
              help="只看这一天（本地时间）之后的帖子，例如 2026-10-01。")
@click.option("--limit", default=20, show_default=True, help="最多列出多少个议题。")
def alerts_test(rule_file: Path, since: datetime | None, limit: int):
    """Dry-run one rule file over stored posts: what it would raise (nothing is written or sent)."""
    from ..storage.base import PostQuery
    from .describe import describe
    from .engine import org_tree, plan
    from .loader import load_rule_file

    app = _app()
    rule = load_rule_file(rule_file)  # a bad file raises RuleError: "file: key: problem"
    cfg = app.config
    since_utc = since.replace(tzinfo=cfg.tz).astimezone(timezone.utc) if since else None
    posts = app.store.query_posts(PostQuery(since=since_utc, analyzed=True, limit=10**7, newest_first=False))
    matches, drafts, index = plan(app.store, cfg, [rule], posts)
    tree = org_tree(app.store, cfg)
    for draft in sorted(drafts, key=lambda d: -len(d.post_ids))[:limit]:
        d = describe([index[i] for i in draft.post_ids if i in index], tree, rule_severity=draft.severity,
                     reasons=draft.reasons, event=app.store.get_event(draft.event_id) if draft.event_id else None,
                     tz=cfg.tz)
        click.echo(f"[{d.severity}] {d.title}  ({len(draft.post_ids)} 条, {tree.name(d.unit)}, 建议 {d.method})")
        click.echo(f"    {draft.reasons[0] if draft.reasons else ''}")
    click.echo(f"{rule_file}: rule {rule.name!r} ({rule.type_name}) over {len(posts)} posts: "
               f"{len(matches)} matches → {len(drafts)} issues would be raised (dry run, nothing written or sent)")


@click.group("issues")
def issues_group():
    """Issues (one per real matter) and their 说事解事 workflow."""


def _issue_dict(issue, tree) -> dict:
    d = {k: getattr(issue, k) for k in ("id", "title", "severity", "topic", "unit", "event_id", "rule", "kind",
                                        "summary", "method", "method_reason", "step", "status", "assignee",
                                        "version", "post_count")}
    d["unit_name"] = tree.name(issue.unit)
    for k in ("created_at", "updated_at", "due_at", "closed_at"):
        v = getattr(issue, k)
        d[k] = v.isoformat() if v else None
    return d


@issues_group.command("list")
@click.option("--unit", help="只看这个单位（含下级）的议题。")
@click.option("--status", type=click.Choice(["open", "closed"]), help="open 未结 / closed 已办结。")
@click.option("--json", "as_json", is_flag=True, help="每个议题输出一行 JSON。")
@click.option("--limit", default=200, show_default=True)
def issues_list(unit: str | None, status: str | None, as_json: bool, limit: int):
    """List issues."""
    from ..schema import SEVERITY_LABELS
    from .engine import org_tree

    app = _app()
    tree = org_tree(app.store, app.config)
    if unit and unit not in tree:
        raise YuqingError(f"没有单位 {unit!r}（见配置文件 [[units]]）")
    units = tree.subtree(unit) if unit else None
    issues = app.store.list_issues(units=units, status=status, limit=limit)
    now = datetime.now(timezone.utc)
    for i in issues:
        if as_json:
            click.echo(json.dumps(_issue_dict(i, tree), ensure_ascii=False))
            continue
        late = " 逾期" if i.status == "open" and i.due_at and i.due_at < now else ""
        click.echo(f"#{i.id:<4} [{SEVERITY_LABELS.get(i.severity, i.severity)}] {i.step:<5} {tree.name(i.unit)}  "
                   f"{i.title}（{i.post_count} 条）{late}")
    if not as_json:
        click.echo(f"{len(issues)} issues")


def _get(app, issue_id: int):
    issue = app.store.get_issue(issue_id)
    if issue is None:
        raise YuqingError(f"没有议题 #{issue_id}")
    return issue


@issues_group.command("show")
@click.argument("issue_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（议题、帖子、历史）。")
def issues_show(issue_id: int, as_json: bool):
    """Show one issue: details, posts (PII masked) and its history."""
    from ..casework.model import METHODS
    from ..notify.email import issue_link
    from ..pii import mask_pii
    from ..schema import SEVERITY_LABELS
    from .engine import org_tree

    app = _app()
    tree = org_tree(app.store, app.config)
    issue = _get(app, issue_id)
    posts = app.store.issue_posts(issue_id, limit=20)
    history = app.store.issue_history(issue_id)
    tz = app.config.tz
    if as_json:
        d = _issue_dict(issue, tree)
        d["posts"] = [{"id": sp.post.id, "at": sp.post.created_at.isoformat(), "unit": sp.unit,
                       "text": mask_pii(sp.post.text)} for sp in posts]
        d["history"] = [{"at": h.at.isoformat(), "actor": h.actor, "action": h.action, "step": h.step,
                         "note": h.note} for h in history]
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    fmt = lambda t: t.astimezone(tz).strftime("%Y-%m-%d %H:%M") if t else "—"  # noqa: E731
    click.echo(f"#{issue.id} {issue.title}")
    click.echo(f"  严重程度 {SEVERITY_LABELS.get(issue.severity, issue.severity)} · 话题 {issue.topic} · "
               f"单位 {tree.path_name(issue.unit)} · 状态 {issue.status} · 环节 {issue.step}")
    click.echo(f"  期限 {fmt(issue.due_at)} · 创建 {fmt(issue.created_at)} · 帖子 {issue.post_count} 条")
    click.echo(f"  建议方法 {issue.method}：{METHODS.get(issue.method, '')}")
    click.echo(f"  理由 {issue.method_reason}")
    click.echo(f"  概况 {mask_pii(issue.summary)}")
    click.echo(f"  链接 {issue_link(app.config.dashboard.base_url, issue.id)}")
    click.echo("帖子：")
    for sp in posts:
        click.echo(f"  {fmt(sp.post.created_at)} {tree.name(sp.unit)} {' '.join(mask_pii(sp.post.text).split())[:80]}")
    click.echo("历史：")
    for h in history:
        click.echo(f"  {fmt(h.at)} {h.actor} {h.action} {h.step} {h.note}")


@issues_group.command("advance")
@click.argument("issue_id", type=int)
@click.option("--step", required=True, help="下一环节：干部问事/职工说事/集中议事/及时办事/定期评事/督促查事/已办结。")
@click.option("--note", default="", help="这一步做了什么（记入历史）。")
@click.option("--actor", default="", help="谁做的（默认当前系统用户）。")
def issues_advance(issue_id: int, step: str, note: str, actor: str):
    """Move an issue to a workflow step (or 已办结); who/when/note go into its history."""
    import getpass

    from ..casework.workflow import advance

    app = _app()
    issue = _get(app, issue_id)
    old = issue.step
    action = advance(issue, step, datetime.now(timezone.utc))
    who = actor or getpass.getuser()
    app.store.update_issue(issue, actor=who, action=action, note=note, data={"from": old, "to": step})
    click.echo(f"#{issue_id}: {old} → {step} ({who})")


COMMANDS = [alerts, issues_group]
