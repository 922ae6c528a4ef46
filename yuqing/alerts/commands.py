"""CLI commands of this package: ``yuqing alerts run|test`` (``register(group)`` adds them;
``yuqing issues …`` lives with the workflow, in ``yuqing.casework.commands``)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from ..context import AppContext, pass_app


@click.group()
def alerts():
    """预警规则：运行全部规则，或试运行一个规则文件。"""


@alerts.command("run")
@click.option("--no-send", is_flag=True, help="只生成议题和待发邮件，不连接邮件服务器。")
@pass_app
def alerts_run(app: AppContext, no_send: bool):
    """对新帖子运行全部预警规则：新建或更新议题，发送邮件。"""
    from ..notify.outbox import drain_outbox
    from .engine import run_alerts

    result = run_alerts(app.store, app.config)
    line = str(result)
    if not no_send:
        line += "；" + str(drain_outbox(app.store, app.config))
    click.echo(line)


@alerts.command("test")
@click.argument("rule_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
              help="只看这一天（本地时间）之后的帖子，例如 2026-10-01。")
@click.option("--limit", default=20, show_default=True, help="最多列出多少个议题。")
@pass_app
def alerts_test(app: AppContext, rule_file: Path, since: datetime | None, limit: int):
    """在已存帖子上试运行一个规则文件：看它会提出哪些议题（不写入、不发信）。"""
    from ..schema import SEVERITY_LABELS
    from ..storage.base import PostQuery
    from .describe import describe
    from .engine import plan
    from .loader import load_rule_file

    rule = load_rule_file(rule_file)  # a bad file raises RuleError: "file: key: problem"
    cfg = app.config
    since_utc = since.replace(tzinfo=cfg.tz).astimezone(timezone.utc) if since else None
    posts = app.store.query_posts(PostQuery(since=since_utc, analyzed=True, limit=10**7, newest_first=False))
    matches, drafts, index = plan(app.store, cfg, [rule], posts)
    tree = app.tree
    for draft in sorted(drafts, key=lambda d: -len(d.post_ids))[:limit]:
        d = describe([index[i] for i in draft.post_ids if i in index], tree, rule_severity=draft.severity,
                     reasons=draft.reasons, event=app.store.get_event(draft.event_id) if draft.event_id else None,
                     tz=cfg.tz)
        click.echo(f"[{SEVERITY_LABELS.get(d.severity, d.severity)}] {d.title}（{len(draft.post_ids)} 条，"
                   f"{tree.name(d.unit)}，建议 {d.method}）")
        click.echo(f"    {draft.reasons[0] if draft.reasons else ''}")
    click.echo(f"{rule_file}：规则 {rule.name!r}（{rule.type_name}）检查 {len(posts)} 条帖子："
               f"命中 {len(matches)} 次 → 将提出 {len(drafts)} 个议题（试运行，未写入、未发信）")


def register(group: click.Group) -> None:
    group.add_command(alerts)
