"""`yuqing run`: the long-running service.

Every tick (default one minute) it imports new files from the drop folder (each file once, by
content hash), crawls the forums and feeds when their interval has passed, analyses new posts,
evaluates the alert rules, sends what is due in the outbox and — once per period, even across
restarts — the weekly digest. A failing step is logged and retried on the next tick; the service
keeps running. The crawl runs in a child process (Scrapy's reactor starts once per process).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import click

from .config import Config
from .context import AppContext, pass_app

if TYPE_CHECKING:
    from .storage.base import FullStore

log = logging.getLogger("yuqing.service")

#: What a step's result starts with when it failed (the tick goes on with the next step).
FAILED = "出错："
#: The steps as the operator reads them in ``yuqing run``'s output and log.
STEP_LABELS = {"import_drop_folder": "导入", "crawl": "采集", "analyze": "分析", "alerts": "预警",
               "send_mail": "邮件", "weekly_digest": "周报", "monthly_report": "月报"}


@dataclass
class Service:
    config: Config
    store: FullStore
    interval_seconds: float = 60.0
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    stopping: bool = False
    last_crawl: float = field(default=0.0)
    #: Names this process among several workers sharing one Elasticsearch cluster.
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    lease_ttl: timedelta = timedelta(minutes=5)

    def exclusive(self, step: str) -> bool:
        """With several workers on one cluster, only the holder of ``step``'s lease runs it (a dead
        worker's lease expires and another takes over). On SQLite there is one worker: always True."""
        return self.store.acquire_lease(step, self.worker_id, self.lease_ttl)

    # --- steps ------------------------------------------------------------------------------
    def import_drop_folder(self) -> str:
        from .crawler.importer import import_paths

        drop = self.config.drop_dir
        drop.mkdir(parents=True, exist_ok=True)
        report = import_paths(self.store, self.config, [drop])
        return report.summary()

    def crawl(self) -> str:
        from .crawler.run import CRAWLED_KINDS

        due = time.monotonic() - self.last_crawl >= self.config.crawler.interval_minutes * 60
        has_sources = any(s.kind in CRAWLED_KINDS and s.url for s in self.config.sources)
        if not (due and has_sources) or not self.exclusive("crawl"):
            return ""
        self.last_crawl = time.monotonic()
        cmd = [sys.executable, "-m", "yuqing"]
        if self.config.path:
            cmd += ["--config", str(self.config.path)]
        proc = subprocess.run([*cmd, "crawl"], capture_output=True, text=True, timeout=3600)
        out = (proc.stdout.strip().splitlines() or [""])[-1]
        if proc.returncode != 0:
            raise RuntimeError((proc.stderr.strip().splitlines() or ["采集失败"])[-1])
        return out

    def analyze(self) -> str:
        from .nlp.analyzer import run_analyze

        self.store.claim_analysis_buckets(self.worker_id, self.lease_ttl)  # several workers: only our share
        return run_analyze(self.store, self.config).summary()

    def alerts(self) -> str:
        from .alerts.engine import run_alerts

        if not self.exclusive("alerts"):
            return ""
        return str(run_alerts(self.store, self.config, now=self.now()))

    def send_mail(self) -> str:
        from .notify.outbox import drain_outbox

        if not self.exclusive("send_mail"):
            return ""
        return str(drain_outbox(self.store, self.config, now=self.now()))

    def weekly_digest(self) -> str:
        from .digest.schedule import send_due_digest

        if not self.exclusive("weekly_digest"):
            return ""
        return str(send_due_digest(self.store, self.config, now=self.now()) or "")

    def monthly_report(self) -> str:
        from .digest.schedule import send_due_monthly_report

        if not self.exclusive("monthly_report"):
            return ""
        return str(send_due_monthly_report(self.store, self.config, now=self.now()) or "")

    STEPS = ("import_drop_folder", "crawl", "analyze", "alerts", "send_mail", "weekly_digest", "monthly_report")

    # --- loop -------------------------------------------------------------------------------
    def tick(self) -> dict[str, str]:
        """Run every step once; a failing step is logged and does not stop the others."""
        results: dict[str, str] = {}
        for name in self.STEPS:
            if self.stopping:
                break
            try:
                results[name] = getattr(self, name)()
            except ImportError as exc:  # a stage not installed in this build
                results[name] = f"跳过（没有安装 {exc.name}）"
            except Exception as exc:
                log.exception("%s 这一步出错", STEP_LABELS.get(name, name))
                results[name] = f"{FAILED}{exc}"
            if results[name]:
                log.info("%s：%s", STEP_LABELS.get(name, name), results[name])
        return results

    def run_forever(self) -> None:
        def stop(signum, frame):
            log.info("收到停止信号：做完当前这一步后停止")
            self.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not self.stopping:
            started = time.monotonic()
            self.tick()
            while not self.stopping and time.monotonic() - started < self.interval_seconds:
                time.sleep(0.5)


@click.command()
@click.option("--once", is_flag=True, help="只运行一轮（导入、采集、分析、预警、发信、周报）后退出。")
@click.option("--interval", default=60.0, show_default=True, help="两轮之间的秒数。")
@pass_app
def run(app: AppContext, once: bool, interval: float) -> None:
    """运行服务：监视投放目录、按时采集、分析、预警、发信，定期发送周报和月报。"""
    # yuqing's own steps at INFO; the libraries' chatter (matplotlib, Scrapy …) only from WARNING up
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("yuqing").setLevel(logging.INFO)
    svc = Service(app.config, app.store, interval_seconds=interval)
    if once:
        results = svc.tick()
        errors = [k for k, v in results.items() if v.startswith(FAILED)]
        click.echo(once_line(results))
        if errors:
            raise click.exceptions.Exit(1)
        return
    click.echo(f"yuqing 服务已启动（数据目录 {app.config.data_dir}，每 {interval:g} 秒一轮；Ctrl-C 停止）")
    svc.run_forever()


def once_line(results: dict[str, str]) -> str:
    """What ``yuqing run --once`` prints: what every step had to say, named by the step unless its own
    line already does ("分析 3 条帖子…", "预警：…", "舆情周报 …"; not "数据源 bbs：…" or "出错：…")."""
    def named(step: str, said: str) -> str:
        label = STEP_LABELS.get(step, step)
        return said if label in said[:8] else f"{label}：{said}"

    return "；".join(named(k, v) for k, v in results.items() if v) or "没有要做的事"


def register(group: click.Group) -> None:
    group.add_command(run)
