"""Storage commands: `yuqing doctor` (is the configured store healthy?) and
`yuqing migrate --to elasticsearch` (copy the SQLite store into a cluster)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import click

from ..context import AppContext, pass_app, progress, summary
from ..errors import StorageError, YuqingError
from .checks import Check


def _migration_names() -> set[str]:
    from .sqlite.store import _migrations

    return {name for name, _ in _migrations()}


def check_sqlite(path: Path) -> Iterator[Check]:
    """The file, WAL mode, migrations and the full-text index (read-only: nothing is created)."""
    if not path.exists():
        yield Check(False, "数据库文件", f"{path} 不存在：运行 yuqing import 或 yuqing stats 会创建它")
        return
    yield Check(True, "数据库文件", f"{path}（{path.stat().st_size / 1e6:.1f} MB）")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        yield Check(False, "打开数据库", str(exc))
        return
    try:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        yield Check(mode == "wal", "WAL 模式", mode if mode == "wal" else f"{mode}（应为 wal；用 yuqing stats 打开一次即可）")
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        yield Check(ok == "ok", "文件完整性", ok)
        try:
            done = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
        except sqlite3.Error:
            done = set()
        pending = sorted(_migration_names() - done)
        yield Check(not pending, "数据库迁移", "全部已应用" if not pending else
                    f"未应用：{', '.join(pending)}（用可写方式打开一次即会应用，如 yuqing stats）")
        try:
            conn.execute("INSERT INTO posts_grams(posts_grams, rank) VALUES ('integrity-check', 1)")
            yield Check(True, "全文索引", "posts_grams 完好")
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc).lower():
                yield from _fts_check_writable(path)
            else:
                yield Check(False, "全文索引", f"{exc}：运行 yuqing doctor --repair 可重建")
        except sqlite3.DatabaseError as exc:
            yield Check(False, "全文索引", f"{exc}：运行 yuqing doctor --repair 可重建")
    finally:
        conn.close()


def _fts_check_writable(path: Path) -> Iterator[Check]:
    """FTS5's integrity-check is an INSERT command, so it needs a writable connection (it changes nothing)."""
    conn = sqlite3.connect(str(path), timeout=10)
    try:
        conn.execute("INSERT INTO posts_grams(posts_grams, rank) VALUES ('integrity-check', 1)")
        yield Check(True, "全文索引", "posts_grams 完好")
    except sqlite3.DatabaseError as exc:
        yield Check(False, "全文索引", f"{exc}：运行 yuqing doctor --repair 可重建")
    finally:
        conn.close()


def rebuild_fts(path: Path) -> None:
    """Rebuild the SQLite full-text index (the character grams) from the posts' titles and texts."""
    from .sqlite import SqliteStore

    store = SqliteStore(path)
    try:
        with store.tx():
            store.conn.execute("INSERT INTO posts_grams(posts_grams) VALUES ('delete-all')")
            store.index_all_grams()
    finally:
        store.close()


def check_files(cfg) -> Iterator[Check]:
    """Files others may read: the data folder (database, saved e-mails, digests, uploads, exports)
    and the config file (password hashes). A warning, with the command that fixes it."""
    from ..files import loose_modes

    roots = [p for p in (cfg.data_dir, cfg.path) if p is not None and Path(p).exists()]
    if cfg.storage.backend == "sqlite" and not cfg.db_path.is_relative_to(cfg.data_dir):
        roots.append(cfg.db_path)
    loose = loose_modes(roots)
    if not loose:
        yield Check(True, "文件权限", "数据目录与配置文件只有本用户可读写")
        return
    shown = "，".join(f"{p.name or p} {m:o}" for p, m in loose[:3])
    fix = "chmod -R go-rwx " + " ".join(str(r) for r in roots)
    yield Check(True, "文件权限", f"{len(loose)} 个文件或目录其他用户可以访问（如 {shown}），其中有职工个人信息；"
                                  f"请运行：{fix}", warn=True)


def check_outbox(store) -> Iterator[Check]:
    """E-mails given up (refused for good, or deferred past their give-up time)."""
    try:
        failed = store.failed_emails(limit=20)
    except Exception as exc:  # noqa: BLE001 - the store checks above already say what is wrong with it
        yield Check(False, "邮件发送", f"无法读取发件箱：{exc}")
        return
    counts = store.outbox_counts()
    if not failed:
        yield Check(True, "邮件发送", f"已发 {counts['sent']} 封，待发 {counts['pending']} 封，无投递失败")
        return
    lines = "；".join(f"#{r['id']}「{r['subject'][:30]}」→ {', '.join(r['recipients'])[:60]}：{r['last_error'][:80]}"
                     for r in failed[:3])
    yield Check(True, "邮件发送", f"{counts['failed']} 封邮件投递失败、已停止重试（{lines}）", warn=True)


@click.command()
@click.option("--repair", is_flag=True, help="SQLite：先重建全文索引再检查。")
@pass_app
def doctor(app: AppContext, repair: bool) -> None:
    """检查配置的存储，直接说明哪里有问题。"""
    cfg = app.config
    if repair and cfg.storage.backend == "sqlite" and cfg.db_path.exists():
        rebuild_fts(cfg.db_path)
        click.echo("已重建全文索引。")
    if cfg.storage.backend == "elasticsearch":
        from .elasticsearch.doctor import check_cluster  # the client is heavy to import: only when used

        click.echo(f"存储：Elasticsearch（索引前缀 {cfg.es.index_prefix}）")
        checks = list(check_cluster(cfg.es))
    else:
        click.echo(f"存储：SQLite（{cfg.db_path}）")
        checks = list(check_sqlite(cfg.db_path))
    if all(c.ok for c in checks):  # a store in order (opening it changes nothing): its outbox
        checks += list(check_outbox(app.store))
    checks += list(check_files(cfg))
    for c in checks:
        click.echo(f"{('!' if c.warn else '✓') if c.ok else '✗'} {c.what}：{c.detail}")
    bad = [c for c in checks if not c.ok]
    if bad:
        raise StorageError(f"{len(bad)} 项检查未通过：{bad[0].what} — {bad[0].detail}")
    warned = [c for c in checks if c.warn]
    summary(f"一切正常（有 {len(warned)} 项提醒，见上）。" if warned else "一切正常。")


@click.command()
@click.option("--to", "target", type=click.Choice(["elasticsearch"]), required=True, help="目标存储。")
@click.option("--batch-size", default=1000, show_default=True, help="每批写入的帖子数。")
@pass_app
def migrate(app: AppContext, target: str, batch_size: int) -> None:
    """把 SQLite 存储复制到 Elasticsearch 集群（[es] / YUQING_ES_URL）。

    可续传、可重复运行：中断后再运行一次即可；最后核对数量。"""
    from .copy_to_es import POSTS_CURSOR, migrate_to_es
    from .elasticsearch.store import ElasticsearchStore
    from .sqlite import SqliteStore

    cfg = app.config
    if not cfg.db_path.exists():
        raise YuqingError(f"没有可迁移的 SQLite 数据库：{cfg.db_path} 不存在")
    src = SqliteStore(cfg.db_path)
    dst = ElasticsearchStore.open(cfg.es, refresh=False)
    try:
        done = int(dst.get_state(POSTS_CURSOR) or 0)
        remaining = src.q1("SELECT COUNT(*) FROM posts WHERE rowid > ?", (done,))[0]
        with progress(length=remaining, label="迁移帖子") as bar:
            report = migrate_to_es(src, dst, batch=batch_size, on_posts=bar.update)
    finally:
        src.close()
        dst.close()
    tables = "，".join(f"{k} {v}" for k, v in sorted(report.tables.items()))
    summary(f"已迁移 {report.posts} 条帖子（本次），{tables}；"
            f"数量核对一致：帖子 {report.counts['posts'][1]}，议题 {report.counts['issues'][1]}")


@click.command()
@click.option("--keep-months", type=click.IntRange(min=1), required=True, help="保留最近多少个月的帖子。")
@click.option("--apply", is_flag=True, help="真正删除（默认只列出将被删除的月度索引）。")
@pass_app
def retention(app: AppContext, keep_months: int, apply: bool) -> None:
    """Elasticsearch：删除早于最近 --keep-months 个月的整月帖子索引。"""
    if app.config.storage.backend != "elasticsearch":
        raise YuqingError("retention 只用于 Elasticsearch 存储（SQLite 不按月分索引）")
    old = app.store.drop_months(keep_months, apply=apply)
    for ix in old:
        click.echo(ix)
    if not old:
        summary(f"没有早于最近 {keep_months} 个月的帖子索引。")
    elif apply:
        summary(f"已删除 {len(old)} 个月度索引。")
    else:
        summary(f"{len(old)} 个月度索引早于最近 {keep_months} 个月；加 --apply 删除。")


def register(group: click.Group) -> None:
    for cmd in (doctor, migrate, retention):
        group.add_command(cmd)
