"""CLI commands of this package: ``yuqing digest`` (``register(group)`` adds it)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from ..context import AppContext, pass_app, summary
from ..errors import YuqingError


@click.command()
@click.option("--week", "week", metavar="2026-W47", help="ISO 周次（默认：上一个完整的周）。")
@click.option("--month", "month", metavar="2026-11", help="生成该月的《职工思想动态》月报。")
@click.option("--unit", default="", metavar="CODE", help="只统计该单位及其下级单位。")
@click.option("--out", "out", type=click.Path(file_okay=False), help="另外把 HTML 和 PDF 写到这个目录。")
@click.option("--send", is_flag=True, help="放入发信队列，发给 digest = true 的收件人，并立即发送。")
@pass_app
def digest(app: AppContext, week: str | None, month: str | None, unit: str, out: str | None, send: bool) -> None:
    """生成舆情周报（或《职工思想动态》月报），输出 HTML 和 PDF。"""
    from .build import build_digest, digest_recipients, enqueue_digest
    from .period import last_full_week, parse_month, parse_week

    if week and month:
        raise YuqingError("--week 和 --month 只能选一个")
    cfg, store = app.config, app.store
    now = datetime.now(timezone.utc)
    period = parse_month(month) if month else parse_week(week) if week else last_full_week(now, cfg.tz)
    built = build_digest(store, cfg, period, unit=unit, out_dirs=(Path(out),) if out else (), now=now)
    posts = built.figures.headline("posts")
    summary(f"{period.name} {period.label}：帖子 {posts.value_text} 条；已写出 {built.html_path} 和 {built.pdf_path}")
    if not send:
        return
    recipients = digest_recipients(cfg, unit)
    if not recipients:
        raise YuqingError(f"没有接收{'该单位' if unit else ''}周报的收件人：在配置文件 [[recipients]] 里设置 digest = true")
    queued = enqueue_digest(store, built, recipients)
    from ..notify.outbox import drain_outbox

    result = drain_outbox(store, cfg, now=now)
    state = "已放入发信队列" if queued else "之前已放入发信队列（不会重复发送）"
    summary(f"{state}，收件人 {len(recipients)} 位；{result}")


def register(group: click.Group) -> None:
    group.add_command(digest)
