"""`yuqing demo`: the whole monitoring loop on generated demo data.

generate the demo union and its exports → serve the demo forum on 127.0.0.1 and crawl it with
Scrapy → import the exports → analyse → raise issues → deliver alert e-mails over SMTP to a local
sink that keeps each message as a `.eml` file → start the dashboard. Re-running is safe: files
already imported are skipped, posts are never duplicated.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import click

from ..errors import YuqingError


def free_port(preferred: int = 0) -> int:
    """``preferred`` if it is free on 127.0.0.1, else any free port."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise YuqingError("127.0.0.1 上没有空闲的 TCP 端口")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve_folder(folder: Path, port: int = 0):
    """Serve ``folder`` over HTTP on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def set_forum_url(config_text: str, url: str) -> str:
    """Point the demo config's forum source(s) at ``url`` (the demo forum's port changes per run)."""
    blocks = re.split(r"(?m)^(?=\[\[sources\]\])", config_text)
    out = []
    for block in blocks:
        if block.startswith("[[sources]]") and re.search(r'(?m)^kind\s*=\s*"forum"', block):
            if re.search(r"(?m)^url\s*=", block):
                block = re.sub(r'(?m)^url\s*=.*$', f'url = "{url}"', block, count=1)
            else:
                block = block.replace("[[sources]]\n", f'[[sources]]\nurl = "{url}"\n', 1)
        out.append(block)
    return "".join(out)


def _step(label: str) -> None:
    click.echo(click.style(f"▶ {label}", bold=True), err=True)


@click.command()
@click.option("--dir", "demo_dir", default="yuqing-demo", show_default=True, type=click.Path(file_okay=False),
              help="演示数据与配置放在哪个目录。")
@click.option("--no-dashboard", is_flag=True, help="完成采集、分析、预警、发信后退出，不启动看板。")
@click.option("--fresh", is_flag=True, help="先删除演示目录，从头开始。")
@click.option("--port", default=8501, show_default=True, help="看板端口。")
def demo(demo_dir: str, no_dashboard: bool, fresh: bool, port: int) -> None:
    """用自带的演示数据跑完整个流程，然后打开看板。"""
    from ..config import load_config
    from ..crawler.importer import import_paths
    from ..notify.sink import SmtpSink
    from ..storage import open_store
    from .generate import generate_demo

    out = Path(demo_dir).resolve()
    if fresh and out.exists():
        shutil.rmtree(out)

    _step(f"生成演示数据 → {out}")
    manifest = generate_demo(out)
    config_path = out / "yuqing.toml"

    with serve_folder(out / "forum") as forum_url:
        config_path.write_text(set_forum_url(config_path.read_text(encoding="utf-8"), forum_url), encoding="utf-8")
        config = load_config(config_path)
        # the crawl runs in a child process (Scrapy's reactor starts once per process); it opens the store itself
        _step(f"采集演示论坛 {forum_url}（Scrapy）")
        proc = subprocess.run([sys.executable, "-m", "yuqing", "--config", str(config_path), "crawl"],
                              text=True, capture_output=True)
        if proc.returncode != 0:
            raise YuqingError("采集失败：" + (proc.stderr.strip().splitlines() or ["?"])[-1])
        click.echo(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "采集完成", err=True)

    store = open_store(config)
    try:
        _step("导入微信导出文件")
        report = import_paths(store, config, [out / "exports"])
        click.echo(report.summary(), err=True)

        _step("分析（情感、话题、风险、事件）")
        from ..nlp.analyzer import run_analyze

        click.echo(run_analyze(store, config).summary(), err=True)

        mail_dir = config.data_dir / "mail"
        with SmtpSink(mail_dir, host="127.0.0.1", port=free_port(config.smtp.port)) as sink:
            config.smtp.host, config.smtp.port, config.smtp.security = "127.0.0.1", sink.port, "plain"
            _step(f"预警规则 → 议题 → 邮件（本地 SMTP 127.0.0.1:{sink.port}，邮件存于 {mail_dir}）")
            from ..alerts.engine import run_alerts
            from ..notify.outbox import drain_outbox

            click.echo(str(run_alerts(store, config)), err=True)
            _step("说事解事：各级委员会逐环节办理议题（干部问事 → … → 督促查事，每步有记录）")
            from ..alerts.engine import org_tree
            from .casework import work_matters

            story = work_matters(store, config, org_tree(store, config), manifest.end)
            click.echo(story.summary() if story else "说事解事：已演示过，不再重复", err=True)
            click.echo(str(drain_outbox(store, config)), err=True)

        for month in sorted(story.months) if story is not None else ():
            _step(f"{month} 的职工思想动态月报（含说事解事与考核评价）和工作台账")
            click.echo(_reports(store, config, month), err=True)

        s = store.stats()
    finally:
        store.close()

    from ..schema import SOURCE_KIND_LABELS, SourceKind

    kinds = "、".join(f"{SOURCE_KIND_LABELS.get(SourceKind(k), k)} {v}"
                     for k, v in sorted(s["posts_by_source_kind"].items()))
    if story is not None and story.months:
        month = max(story.months)
        click.echo(f"说事解事：yuqing issues list · yuqing scorecard --month {month} · yuqing ledger --month {month}"
                   f"（--config {config_path}）", err=True)
    click.echo(f"演示：帖子 {s['posts']} 条（{kinds}），已分析 {s['posts_analyzed']} 条，"
               f"议题 {s['issues']} 个（未结 {s['issues_open']} 个），已发邮件 {s['emails_sent']} 封，"
               f"隔离 {s['quarantined']} 条；第 7 周 = {manifest.week7}")
    if no_dashboard:
        return
    _step(f"看板 http://localhost:{port}（登录：admin / jiance / 各矿干部，密码 yuqing-demo；Ctrl-C 退出）")
    raise SystemExit(subprocess.call([sys.executable, "-m", "yuqing", "--config", str(config_path), "dashboard",
                                      "--port", str(port)]))


def _reports(store, config, month: str) -> str:
    """The month's 职工思想动态月报 (HTML + PDF in data_dir/digests) and the ledger (data_dir/ledgers)."""
    from ..casework.ledger_files import ledger_of, write_ledger
    from ..digest.build import build_digest
    from ..digest.period import parse_month

    period = parse_month(month)
    built = build_digest(store, config, period)
    book = ledger_of(store, config, period)
    path = write_ledger(book, config.data_dir / "ledgers" / f"ledger-ALL-{month}.xlsx")
    cw = built.figures.casework
    return (f"月报 {built.html_path.name}；台账 {path.name}（{len(book.rows)} 件）；"
            + (f"本月{cw.figures_text}" if cw else ""))


def register(group: click.Group) -> None:
    group.add_command(demo)
