"""CLI commands of this package (added to the `yuqing` group by yuqing.cli): ``import`` and ``crawl``."""

from __future__ import annotations

import click

from ..cli import AppContext, pass_app, progress, summary


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--watch", is_flag=True, help="持续监视这些目录，新文件一到就导入（Ctrl-C 停止）。")
@click.option("--interval", default=10.0, show_default=True, help="与 --watch 一起用：每隔多少秒检查一次。")
@click.option("--force", is_flag=True, help="已导入过的文件也重新读取（只补入新增的消息），如升级后重读旧导出。")
@pass_app
def import_cmd(app: AppContext, paths, watch: bool, interval: float, force: bool):
    """Import export files or folders (WeChat chats, official-account articles …).

    Folders are read recursively; a file already imported (same content, any name) is skipped.
    Files that cannot be read are quarantined with a reason (see the dashboard or `yuqing stats`).
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
    """Crawl configured forums and feeds (all, or one SOURCE).

    Sources of kind forum/rss with a url; options per engine (discuz, discourse, rss, profile;
    login with username + password_env, or cookies) are described in docs/crawling.md.
    Re-crawls fetch new threads and the changed pages of changed threads; posts read again are
    compared with the stored ones (edits keep the old text, deleted and hidden posts are marked).
    Prints one line per source. Exits non-zero with one line naming each source that could not
    be reached at all, whose login failed or that stopped at a login wall (--debug shows Scrapy's log).
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


COMMANDS = [import_cmd, crawl]
