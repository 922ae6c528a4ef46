"""A matter always reaches someone: posts from a chat nobody assigned yet raise an issue routed to
the root unit and e-mailed to its recipients and the monitoring staff, saying the chat needs
assigning; once it is assigned the matter moves to the unit in charge, and every unit with posts in
an event sees it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser

import pytest

from yuqing.alerts.engine import run_alerts
from yuqing.alerts.loader import load_rules
from yuqing.config import Config, SmtpConfig
from yuqing.notify.outbox import drain_outbox
from yuqing.schema import Analysis, Post, Recipient, Source, SourceKind, User

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)
NOW = datetime(2026, 11, 2, 4, 0, tzinfo=timezone.utc)  # noon in Shanghai


@pytest.fixture
def env(store, units, tmp_path, sink):
    known = [Source("src-a", "一矿综采队职工群", SourceKind.WECHAT_GROUP, unit="M1-ZC")]
    store.sync_config(units, known)
    # an import met a chat no configured source matches: pending, no unit
    store.upsert_source(Source("chat-new", "东峪矿讨薪群", SourceKind.WECHAT_GROUP, status="pending"))
    cfg = Config(data_dir=tmp_path, units=units, sources=known, smtp=SmtpConfig(host="127.0.0.1", port=sink.port),
                 recipients=[Recipient("G", ["group@example.org"], "high"),
                             Recipient("M1", ["m1@example.org"], "medium")],
                 users=[User("jiance", "monitor", name="监测员", email="jiance@example.org"),
                        User("admin", "admin", email="admin@example.org")])
    return store, cfg, sink


def plan_posts(store, n=12, source="chat-new"):
    out = []
    for i in range(n):
        p = Post(source_id=source, source_kind=SourceKind.WECHAT_GROUP, native_id=f"d{i}",
                 text=f"明天早上八点大家一起去办公楼堵门讨薪，工资拖了三个月了{i}", created_at=T0 + timedelta(minutes=5 * i))
        store.add_posts([p])
        store.save_analyses([Analysis(post_id=p.id, sentiment="negative", topic="wages", risk="high",
                                      sentiment_scores={"negative": 0.95, "neutral": 0.03, "positive": 0.02},
                                      keywords=["堵门", "讨薪", "工资"], event_id="e-dumen")])
        out.append(p)
    return out


def mails(sink):
    return [BytesParser(policy=policy.default).parse(p.open("rb")) for p in sorted(sink.folder.glob("*.eml"))]


def to(msg) -> set[str]:
    return {a.addr_spec for a in msg["To"].addresses}


def test_collective_action_in_an_unassigned_chat_reaches_the_root_unit_and_the_monitors(env):
    store, cfg, sink = env
    plan_posts(store)
    r = run_alerts(store, cfg, rules=load_rules(None), now=NOW)
    (issue,) = store.list_issues()
    assert r.opened == [issue.id] and issue.severity == "high"
    assert issue.unit == "G" and issue.extra["unassigned_sources"] == ["chat-new"]
    assert drain_outbox(store, cfg, now=NOW + timedelta(seconds=1)).sent == 1
    (msg,) = mails(sink)
    assert to(msg) == {"group@example.org", "jiance@example.org"}
    body = msg.get_body(("plain",)).get_content()
    assert "「东峪矿讨薪群」尚未分配单位" in body and "数据源" in body and "分配" in body

    # the monitor assigns the chat to the mine: the matter moves there and the mine's cadres are told
    store.assign_source("chat-new", "M1")
    r2 = run_alerts(store, cfg, rules=load_rules(None), now=NOW + timedelta(minutes=10))
    issue = store.get_issue(issue.id)
    assert issue.unit == "M1" and issue.extra["unassigned_sources"] == [] and r2.escalated == [issue.id]
    assert [h.action for h in store.issue_history(issue.id)][-1] == "rerouted"
    drain_outbox(store, cfg, now=NOW + timedelta(minutes=11))
    moved = mails(sink)[-1]
    assert "m1@example.org" in to(moved) and "转交责任单位" in moved["Subject"]
    assert store.get_issue(issue.id, units={"M1"}) is not None  # the mine's cadres see it now


def test_nobody_configured_for_the_root_still_reaches_the_monitors(env):
    store, cfg, sink = env
    cfg.recipients = []
    plan_posts(store)
    run_alerts(store, cfg, rules=load_rules(None), now=NOW)
    drain_outbox(store, cfg, now=NOW + timedelta(seconds=1))
    (msg,) = mails(sink)
    assert to(msg) == {"jiance@example.org"}
