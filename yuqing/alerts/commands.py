"""CLI commands of this package (added to the `yuqing` group by yuqing.cli): ``yuqing alerts run|test``
(``yuqing issues …`` lives with the workflow, in ``yuqing.casework.commands``)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click


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


COMMANDS = [alerts]
