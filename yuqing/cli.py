"""The `yuqing` command line.

The group, its error handling and the commands of no package (``init``, ``stats``, ``search``) live
here; each package defines its commands in a ``commands.py`` module with ``register(group)``, which
this module calls (as sqlite-utils' plugins do). Commands reach the app context one way,
``@pass_app`` from :mod:`yuqing.context`, which imports nothing from here — so no ``commands.py``
imports this module. Heavy libraries are imported inside the commands, so ``yuqing --help`` stays fast.
"""

from __future__ import annotations

import json
import traceback
from importlib import import_module
from pathlib import Path

import click

from . import click_zh
from .config import DEFAULT_CONFIG, load_config
from .context import AppContext, pass_app, progress, summary
from .errors import YuqingError

click_zh.install()  # before the decorators below: click fills in --version's help when it is declared

__all__ = ["AppContext", "COMMAND_MODULES", "YuqingGroup", "main", "pass_app", "progress", "summary"]

#: The modules whose ``register(group)`` adds their commands to ``yuqing`` (``--help`` lists them by name).
COMMAND_MODULES = ("yuqing.crawler.commands", "yuqing.nlp.commands", "yuqing.alerts.commands",
                   "yuqing.casework.commands", "yuqing.digest.commands", "yuqing.dashboard.commands",
                   "yuqing.service", "yuqing.demo.commands", "yuqing.storage.commands")


class YuqingGroup(click.Group):
    """Turns yuqing's errors into one readable line and a non-zero exit (traceback only with --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except YuqingError as exc:
            if ctx.obj is not None and ctx.obj.debug:
                traceback.print_exc()
            click.echo(f"错误：{exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - last line of defence for users
            if ctx.obj is not None and ctx.obj.debug:
                traceback.print_exc()
            else:
                click.echo(f"错误：{type(exc).__name__}: {exc}（加 --debug 查看详细信息）", err=True)
            ctx.exit(1)
        finally:
            if ctx.obj is not None:
                ctx.obj.close()


@click.group(cls=YuqingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="YUQING_CONFIG",
              help="配置文件路径（默认 ./yuqing.toml，或环境变量 YUQING_CONFIG）。")
@click.option("--debug", is_flag=True, help="出错时显示完整的 traceback。")
@click.version_option(package_name="yuqing")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, debug: bool) -> None:
    """yuqing — 工会职工网络舆情监测：采集、分析、预警、议题流转与周报。"""
    from .files import private_umask

    private_umask()  # everything yuqing writes holds workers' personal data: 0600 files, 0700 folders
    ctx.obj = AppContext(config_path=config_path, debug=debug)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False), default="yuqing.toml")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
def init(path: str, force: bool) -> None:
    """写出带注释的默认配置文件（yuqing.toml），并创建数据目录。"""
    from .files import private_dir, write_private

    p = Path(path)
    if p.exists() and not force:
        raise YuqingError(f"{p} 已存在（加 --force 覆盖）")
    write_private(p, DEFAULT_CONFIG.encode("utf-8"))  # it will hold password hashes
    cfg = load_config(p)
    private_dir(cfg.data_dir)
    private_dir(cfg.drop_dir)
    summary(f"已写出 {p}；数据目录 {cfg.data_dir}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="输出机器可读的 JSON。")
@pass_app
def stats(app: AppContext, as_json: bool) -> None:
    """统计：各类数据源的帖子数、已分析、事件、议题、邮件、隔离记录。"""
    s = app.store.stats()
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, sort_keys=True))
        return
    from .schema import SOURCE_KIND_LABELS, SourceKind

    click.echo(f"帖子        {s['posts']}")
    for kind, n in sorted(s["posts_by_source_kind"].items()):
        click.echo(f"  {SOURCE_KIND_LABELS.get(SourceKind(kind), kind):<8}  {n}")
    click.echo(f"已分析      {s['posts_analyzed']}")
    click.echo(f"事件        {s['events']}")
    click.echo(f"议题        {s['issues']}（未结 {s['issues_open']}）")
    click.echo(f"已发邮件    {s['emails_sent']}（待发 {s['emails_pending']}，投递失败 {s.get('emails_failed', 0)}）")
    click.echo(f"隔离记录    {s['quarantined']}")
    click.echo(f"数据源      {s['sources']}（待分配 {s['sources_pending']}）")


@main.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="最多显示多少条（每页条数）。")
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1), help="第几页（从 1 开始）。")
@click.option("--sort", type=click.Choice(["time", "heat"]), default="time", show_default=True,
              help="time：新的在前；heat：风险高的在前，同级按负面程度，再按时间。")
@click.option("--author", default="", help="只看这位作者（作者 ID；来源不提供 ID 时为作者名）。")
@click.option("--json", "as_json", is_flag=True, help="每条结果输出一行 JSON。")
@pass_app
def search(app: AppContext, query: str, limit: int, page: int, sort: str, author: str, as_json: bool) -> None:
    """全文检索已入库的帖子（入库即可检索，不必等分析；电话、身份证号、银行卡号已脱敏）。

    \b
    词序不限，也能找到词的一部分：工资拖欠 与 拖欠工资、"工资 拖欠" 结果相同
    任一：欠薪 | 拖欠工资（或 OR）；排除：食堂 -表扬（或 NOT 表扬）；整句："夜班 饭菜"
    以 - 开头的查询前加 --：yuqing search -- -表扬
    """
    from .pii import mask_pii
    from .schema import RISK_LABELS, SENTIMENT_LABELS, TOPICS
    from .storage import PostQuery

    found = app.store.search_posts(PostQuery(text=query, limit=limit, offset=(page - 1) * limit, sort=sort,
                                             author=author))
    rows, total = found.posts, found.total
    tz = app.config.tz
    for sp in rows:
        p = sp.post
        text = mask_pii(p.text)
        if as_json:
            d = p.to_dict()
            d["text"] = text
            d.pop("pii", None)
            d["unit"] = sp.unit
            if sp.analysis:
                d["sentiment"] = str(sp.analysis.sentiment)
                d["topic"] = sp.analysis.topic
                d["risk"] = str(sp.analysis.risk)
            click.echo(json.dumps(d, ensure_ascii=False))
        else:
            when = p.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            a = sp.analysis
            tag = (f"[{SENTIMENT_LABELS[a.sentiment]}/{TOPICS.get(a.topic, a.topic)}/风险{RISK_LABELS[a.risk]}]"
                   if a else "[未分析]")
            click.echo(f"{when} {p.author or '-'} {tag} {' '.join(text.split())[:80]}")
    if not as_json:
        pages = max(1, -(-total // limit))
        summary(f"共 {total} 条帖子匹配「{query}」，显示 {len(rows)} 条" + (f"（第 {page}/{pages} 页）" if pages > 1 else ""))


for _module in COMMAND_MODULES:
    import_module(_module).register(main)
