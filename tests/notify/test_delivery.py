"""Delivery semantics against real SMTP servers on 127.0.0.1: two senders at once send each e-mail
once; a kill between an issue and its e-mail loses nothing; a 550 is given up after one attempt and
reported; a 4xx is retried until the give-up time; a server trickling its greeting or its replies is
cut at the deadline."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from yuqing.config import Config, SmtpConfig
from yuqing.notify.outbox import drain, drain_outbox
from yuqing.notify.sink import SmtpSink
from yuqing.schema import User
from yuqing.storage.sqlite import SqliteStore

from ..conftest import free_port


def soon() -> datetime:
    """A minute from now: e-mails queued just before are due."""
    return datetime.now(timezone.utc) + timedelta(minutes=1)


def queue(store, n: int, to: str = "ganbu@example.org") -> None:
    for i in range(n):
        assert store.enqueue_email(dedupe_key=f"issue:{i}:new", kind="alert", recipients=[to], subject=f"议题 {i}",
                                   body_text=f"正文 {i}", body_html=f"<p>正文 {i}</p>")


def received(folder: Path) -> list:
    return [BytesParser(policy=policy.default).parse(p.open("rb")) for p in sorted(folder.glob("*.eml"))]


class SlowSink(SmtpSink):
    """The sink, taking a little time per message so that two senders really overlap."""

    def start(self):
        super().start()
        handler = self._controller.handler
        original = handler.handle_DATA

        async def slow(server, session, envelope):
            import asyncio

            await asyncio.sleep(0.05)
            return await original(server, session, envelope)

        handler.handle_DATA = slow
        return self


def test_two_senders_at_once_deliver_each_of_20_mails_once(tmp_path):
    db = tmp_path / "t.db"
    with SqliteStore(db) as store:
        queue(store, 20)
    port = free_port()
    cfg = SmtpConfig(host="127.0.0.1", port=port, timeout=5)
    results = {}

    def sender(name: str) -> None:
        with SqliteStore(db) as own:  # each sender its own connection, as two processes would have
            results[name] = drain(own, cfg, now=soon(), owner=name)

    with SlowSink(tmp_path / "mail", port=port):
        threads = [threading.Thread(target=sender, args=(n,)) for n in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    mails = received(tmp_path / "mail")
    subjects = Counter(m["Subject"] for m in mails)
    assert len(mails) == 20 and set(subjects.values()) == {1}
    assert len({m["Message-ID"] for m in mails}) == 20
    assert results["a"].sent + results["b"].sent == 20 and results["a"].sent and results["b"].sent
    with SqliteStore(db) as store:
        assert store.outbox_counts() == {"sent": 20, "pending": 0, "failing": 0, "failed": 0}


KILLER = textwrap.dedent("""
    import os, sys
    from datetime import datetime, timezone
    import yuqing.alerts.engine as engine
    from yuqing.alerts.loader import load_rules
    from yuqing.config import load_config
    from yuqing.storage.sqlite import SqliteStore

    def die(*a, **k):
        os._exit(9)  # the process is killed after the issue was written, before its e-mail

    engine.queue_issue_email = die
    cfg = load_config(sys.argv[1])
    store = SqliteStore(cfg.db_path)
    engine.run_alerts(store, cfg, rules=load_rules(None), now=datetime(2026, 11, 2, 4, tzinfo=timezone.utc))
""")


def test_a_kill_between_the_issue_and_its_email_loses_nothing(tmp_path, sink):
    from yuqing.alerts.engine import run_alerts
    from yuqing.alerts.loader import load_rules
    from yuqing.config import load_config
    from yuqing.schema import Analysis, Post, SourceKind

    conf = tmp_path / "yuqing.toml"
    conf.write_text(textwrap.dedent(f"""
        data_dir = "data"
        [smtp]
        port = {sink.port}
        [[units]]
        code = "G"
        name = "集团工会"
        level = 1
        [[sources]]
        id = "chat"
        name = "东峪矿职工群"
        kind = "wechat_group"
        unit = "G"
        [[recipients]]
        unit = "G"
        emails = ["group@example.org"]
    """), encoding="utf-8")
    cfg = load_config(conf, env={})
    with SqliteStore(cfg.db_path) as store:
        store.sync_config(cfg.units, cfg.sources)
        for i in range(3):
            p = Post(source_id="chat", source_kind=SourceKind.WECHAT_GROUP, native_id=f"k{i}",
                     text=f"明天一起去办公楼堵门讨薪{i}", created_at=datetime(2026, 11, 2, 1, i, tzinfo=timezone.utc))
            store.add_posts([p])
            store.save_analyses([Analysis(post_id=p.id, sentiment="negative", topic="wages", risk="high",
                                          sentiment_scores={"negative": .9, "neutral": .05, "positive": .05},
                                          keywords=["堵门"], event_id="e1")])
    proc = subprocess.run([sys.executable, "-c", KILLER, str(conf)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr
    with SqliteStore(cfg.db_path) as store:
        assert store.list_issues() == []  # the issue went with the e-mail it never got
        run_alerts(store, cfg, rules=load_rules(None), now=datetime(2026, 11, 2, 4, 5, tzinfo=timezone.utc))
        (issue,) = store.list_issues()
        assert drain_outbox(store, cfg, now=datetime.now(timezone.utc) + timedelta(seconds=1)).sent == 1
    (msg,) = received(sink.folder)
    assert f"#{issue.id}" in msg.get_body(("plain",)).get_content()


class Refusing:
    """An aiosmtpd handler refusing some recipients: 550 (for good) or 451 (for now)."""

    def __init__(self, folder: Path, refuse: dict[str, str]):
        self.folder, self.refuse, self.rcpt_calls = folder, refuse, Counter()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_calls[address] += 1
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        (self.folder / f"{time.time_ns()}.eml").write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted"


@pytest.fixture
def refusing(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    handler = Refusing(folder, {"nobody@example.org": "550 5.1.1 No such user",
                                "busy@example.org": "451 4.3.0 Try again later"})
    port = free_port()
    ctl = Controller(handler, hostname="127.0.0.1", port=port)
    ctl.start()
    yield handler, port
    ctl.stop()


def test_a_550_is_given_up_after_one_attempt_and_reported_to_the_admins(store, refusing, tmp_path):
    handler, port = refusing
    cfg = Config(data_dir=tmp_path, smtp=SmtpConfig(host="127.0.0.1", port=port, timeout=5),
                 users=[User("admin", "admin", email="admin@example.org")])
    queue(store, 1, to="nobody@example.org")
    first = drain_outbox(store, cfg, now=soon())
    assert (first.sent, first.failed, first.given_up) == (0, 0, 1) and "550" in first.error
    assert handler.rcpt_calls["nobody@example.org"] == 1
    assert store.outbox_counts()["failed"] == 1 and store.stats()["emails_failed"] == 1
    (failed,) = store.failed_emails()
    assert failed["attempts"] == 1 and "550 5.1.1 No such user" in failed["last_error"]
    # never tried again, however long yuqing runs; the report to the admin goes out on the next drain
    later = drain_outbox(store, cfg, now=soon() + timedelta(days=10))
    assert later.sent == 1 and handler.rcpt_calls["nobody@example.org"] == 1
    (report,) = received(handler.folder)
    assert report["To"] == "admin@example.org" and "投递失败" in report["Subject"]
    assert "nobody@example.org" in report.get_body(("plain",)).get_content()
    assert any(e["action"] == "email_given_up" for e in store.audit_entries())


def test_a_4xx_is_retried_with_backoff_until_its_give_up_time(store, refusing, tmp_path):
    handler, port = refusing
    cfg = SmtpConfig(host="127.0.0.1", port=port, timeout=5)
    assert store.enqueue_email(dedupe_key="k", kind="alert", recipients=["busy@example.org"], subject="s",
                               body_text="b", give_up_at=soon() + timedelta(hours=2))
    t = soon()
    attempts = 0
    while True:
        r = drain(store, cfg, now=t)
        if r.failed or r.given_up:
            attempts += 1
        if r.given_up:
            break
        t += timedelta(minutes=61)
        assert attempts < 10
    assert handler.rcpt_calls["busy@example.org"] == attempts >= 2
    assert store.outbox_counts() == {"sent": 0, "pending": 0, "failing": 0, "failed": 1}


def test_some_recipients_refused_the_others_get_it_once(store, refusing, tmp_path):
    handler, port = refusing
    cfg = SmtpConfig(host="127.0.0.1", port=port, timeout=5)
    assert store.enqueue_email(dedupe_key="k", kind="alert", recipients=["ok@example.org", "nobody@example.org"],
                               subject="s", body_text="b")
    assert drain(store, cfg, now=soon()).sent == 1
    assert len(received(handler.folder)) == 1
    r = drain(store, cfg, now=soon() + timedelta(minutes=2))  # the refused recipient's own e-mail: 550 again
    assert r.given_up == 1 and handler.rcpt_calls["ok@example.org"] == 1
    assert len(received(handler.folder)) == 1


def trickling_server(greeting: bytes, *, after_greeting: bytes = b"", delay: float = 0.4):
    """A TCP server sending ``greeting`` one byte every ``delay`` seconds (or, once greeted, answering
    every command that way)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    stop = threading.Event()

    def trickle(conn, data):
        for b in data:
            if stop.is_set():
                return
            conn.sendall(bytes([b]))
            time.sleep(delay)

    def serve():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            try:
                if after_greeting:
                    conn.sendall(greeting)
                    conn.recv(1000)
                    trickle(conn, after_greeting * 50)
                else:
                    trickle(conn, greeting)
            except OSError:
                pass
            finally:
                conn.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return srv.getsockname()[1], stop


def test_a_server_trickling_its_greeting_is_cut_at_the_connect_deadline(store):
    port, stop = trickling_server(b"220 " + b"x" * 200 + b"\r\n")
    try:
        cfg = SmtpConfig(host="127.0.0.1", port=port, timeout=3, connect_timeout=2, send_timeout=5)
        queue(store, 2)
        started = time.monotonic()
        r = drain(store, cfg, now=soon())
        took = time.monotonic() - started
    finally:
        stop.set()
    assert (r.sent, r.failed) == (0, 2) and "连接与问候超过 2 秒" in r.error
    assert took < 2 + 3  # cut at the deadline, not when the server is done (200 bytes × 0.4 s)
    assert store.outbox_counts()["failing"] == 2  # kept for the next try


def test_a_server_trickling_its_replies_is_cut_at_the_message_deadline(store):
    port, stop = trickling_server(b"220 slow.example ESMTP\r\n", after_greeting=b"250-slow\r\n")
    try:
        cfg = SmtpConfig(host="127.0.0.1", port=port, timeout=3, connect_timeout=5, send_timeout=2)
        queue(store, 1)
        started = time.monotonic()
        r = drain(store, cfg, now=soon())
        took = time.monotonic() - started
    finally:
        stop.set()
    assert (r.sent, r.failed) == (0, 1) and "发送一封邮件超过 2 秒" in r.error
    assert took < 2 + 3
