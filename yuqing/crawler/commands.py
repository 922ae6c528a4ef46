"""CLI commands of this package: ``yuqing import`` and ``yuqing crawl`` (``register(group)`` adds them)."""

from __future__ import annotations

import click

from ..context import AppContext, pass_app, progress, summary


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--watch", is_flag=True, help="持续监视这些目录，新文件一到就导入（Ctrl-C 停止）。")
@click.option("--interval", default=10.0, show_default=True, help="与 --watch 一起用：每隔多少秒检查一次。")
@click.option("--force", is_flag=True, help="已导入过的文件也重新读取（只补入新增的消息），如升级后重读旧导出。")
@pass_app
def import_cmd(app: AppContext, paths, watch: bool, interval: float, force: bool):
    """导入导出文件或目录（微信群聊、公众号文章……）。

    目录会递归读取；已导入过的文件（内容相同，不论文件名）跳过。
    无法读取的记录连同原因放入隔离区（见看板或 `yuqing stats`）。
    """
    from pathlib import Path

    from .importer import import_paths, iter_files

    if watch:
        from .importer import watch as watch_folders

        click.echo(f"监视中（每 {interval:g} 秒）：{', '.join(paths)}；按 Ctrl-C 停止", err=True)
        watch_folders(app.store, app.config, paths, interval=interval, on_report=lambda r: summary(r.summary()))
        return

    missing = [p for p in paths if not Path(p).exists()]
    for p in missing:
        click.echo(f"找不到：{p}", err=True)
    existing = [p for p in paths if Path(p).exists()]
    total = sum(f.stat().st_size for f in iter_files(existing) if f.is_file())
    with progress(length=total, label="导入") as bar:
        report = import_paths(app.store, app.config, existing, progress=bar.update, force=force)
    summary(report.summary())
    if missing:
        raise click.exceptions.Exit(1)


@click.command()
@click.argument("source", required=False)
@click.option("--exports", is_flag=True, help="改为用 Scrapy 读取投放目录里的导出文件（大文件请用 yuqing import）。")
@click.option("--folder", type=click.Path(file_okay=False, exists=True), help="与 --exports 一起用：导出文件目录（默认为配置的投放目录）。")
@pass_app
def crawl(app: AppContext, source, exports: bool, folder: str | None):
    """采集配置的论坛和订阅源（全部，或只采 SOURCE 这一个）。

    采集 kind 为 forum/rss 且有 url 的数据源；各引擎（discuz、discourse、rss、profile）的选项和登录方式
    （username + password_env，或 cookies）见 docs/crawling.md。再次采集只抓新主题和有变化主题的变化页；
    重新读到的帖子与已存的比对（编辑保留原文，删除和屏蔽的帖子做标记）。每个数据源输出一行；
    有数据源完全无法访问、登录失败或停在登录页时，逐个点名并以非零状态退出（--debug 显示 Scrapy 日志）。
    """
    from pathlib import Path

    from ..errors import YuqingError
    from .run import run_crawl

    drop = Path(folder) if folder else app.config.drop_dir
    if exports and not drop.is_dir():
        raise click.UsageError(f"投放目录不存在：{drop}")
    report = run_crawl(app.config, app.store, source, exports=drop if exports else None, debug=app.debug)
    for line in report.lines():
        summary(line)
    if report.fatal:
        raise YuqingError("；".join(report.fatal))


def register(group: click.Group) -> None:
    for cmd in (import_cmd, crawl):
        group.add_command(cmd)
