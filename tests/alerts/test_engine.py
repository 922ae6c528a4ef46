"""The alert loop on a real SQLite store, with e-mail delivered to a real aiosmtpd sink."""

import re
from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser

import pytest

from yuqing.alerts.engine import CURSOR, run_alerts
from yuqing.alerts.loader import build_rule
from yuqing.config import Config, SmtpConfig
from yuqing.errors import UnavailableError
from yuqing.notify.outbox import drain_outbox
from yuqing.schema import Analysis, Event, Post, Recipient, Source, SourceKind

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc)  # 12:00 in Shanghai: not quiet hours

WAGE = build_rule({"name": "wage", "type": "keyword", "severity": "high",
                   "keyword": {"query": "欠薪 OR 工资没发", "min_posts": 3, "window": "2d"}}, "wage.yaml")
NEG = build_rule({"name": "neg", "type": "frequency", "severity": "medium", "filter": {"sentiment": ["negative"]},
                  "frequency": {"count": 3, "window": "1d", "group_by": "unit"}}, "neg.yaml")


@pytest.fixture
def env(store, units, tmp_path, sink):
    sources = [Source("src-a", "一矿综采队职工群", SourceKind.WECHAT_GROUP, unit="M1-ZC"),
               Source("src-b", "二矿职工群", SourceKind.WECHAT_GROUP, unit="M2"),
               Source("src-c", "一矿职工群", SourceKind.WECHAT_GROUP, unit="M1")]
    store.sync_config(units, sources)
    cfg = Config(data_dir=tmp_path, units=units, sources=sources,
                 smtp=SmtpConfig(host="127.0.0.1", port=sink.port),
                 recipients=[Recipient("M1", ["m1-ganbu@example.org"], "medium"),
                             Recipient("S1", ["s1@example.org"], "high"),
                             Recipient("M2", ["m2@example.org"], "low")])
    return store, cfg, sink


_n = iter(range(10**6))


def add(store, text, *, hours, source="src-a", event="", sentiment="negative", topic="wages", risk="none"):
    i = next(_n)
    p = Post(source_id=source, source_kind=SourceKind.WECHAT_GROUP, native_id=f"m{i}", text=text,
             created_at=T0 + timedelta(hours=hours))
    store.add_posts([p])
    store.save_analyses([Analysis(post_id=p.id, sentiment=sentiment, topic=topic, risk=risk, event_id=event,
                                  sentiment_scores={"negative": 0.9, "neutral": 0.05, "positive": 0.05},
                                  keywords=["欠薪", "工资"])])
    return p


def wage_event(store, n=10, start=0.0, source="src-a"):
    store.upsert_events([Event(id="e-wage", label="综采队工资拖欠三个月", topic="wages", unit="M1-ZC")])
    return [add(store, f"三个月工资没发了，欠薪谁管？联系我 1391234{5000 + i:04d}", hours=start + i * 0.5,
                source=source, event="e-wage") for i in range(n)]


def outbox(store):
    return store.due_emails(NOW + timedelta(days=30), limit=1000)


def test_event_becomes_one_issue_with_its_posts_routed_and_mailed(env):
    store, cfg, sink = env
    wage_event(store, 10)
    for i in range(5):  # chatter without matches
        add(store, f"今天食堂的菜不错{i}", hours=i, sentiment="positive", topic="living")
    r = run_alerts(store, cfg, rules=[WAGE, NEG], now=NOW)
    (issue,) = store.list_issues()
    assert r.opened == [issue.id] and r.posts == 15
    assert issue.event_id == "e-wage" and issue.post_count == 10
    assert issue.severity == "high" and issue.topic == "wages" and issue.unit == "M1-ZC"
    assert issue.method == "合理诉求维护法" and issue.title.endswith("综采队工资拖欠三个月")
    assert issue.due_at == NOW + timedelta(days=3)
    sent = drain_outbox(store, cfg, now=NOW + timedelta(seconds=1))
    assert sent.sent == 1
    (eml,) = sink.folder.glob("*.eml")
    msg = BytesParser(policy=policy.default).parse(eml.open("rb"))
    assert set(msg["To"].addresses[i].addr_spec for i in range(2)) == {"m1-ganbu@example.org", "s1@example.org"}
    body = msg.get_body(("plain",)).get_content()
    assert "1391234" not in body and re.search(r"139\*{4}50\d\d", body)
    assert f"?issue={issue.id}" in body


def test_rerun_without_new_posts_sends_nothing_and_50_more_posts_update_quietly(env):
    store, cfg, sink = env
    wage_event(store, 10)
    run_alerts(store, cfg, rules=[WAGE], now=NOW)
    drain_outbox(store, cfg, now=NOW + timedelta(seconds=1))
    before = store.outbox_counts()
    again = run_alerts(store, cfg, rules=[WAGE], now=NOW + timedelta(minutes=5))
    assert again.posts == 0 and again.opened == again.updated == [] and store.outbox_counts() == before
    wage_event(store, 50, start=10)
    more = run_alerts(store, cfg, rules=[WAGE], now=NOW + timedelta(minutes=10))
    (issue,) = store.list_issues()
    assert more.opened == [] and more.updated == [issue.id] and issue.post_count == 60
    assert store.outbox_counts()["sent"] + store.outbox_counts()["pending"] - before["sent"] <= 1
    assert [h.action for h in store.issue_history(issue.id)] == ["opened", "posts_added"]


def test_severity_up_sends_one_mail(env):
    store, cfg, _ = env
    for i in range(4):
        add(store, f"心里憋屈{i}", hours=i, source="src-c", event="e-x", topic="cadre")
    run_alerts(store, cfg, rules=[NEG], now=NOW)
    (issue,) = store.list_issues()
    assert issue.severity == "medium"
    for i in range(3):
        add(store, f"明天去堵门{i}", hours=5 + i, source="src-c", event="e-x", topic="cadre", risk="high")
    run_alerts(store, cfg, rules=[NEG], now=NOW + timedelta(hours=1))
    issue = store.get_issue(issue.id)
    assert issue.severity == "high"  # three high-risk posts
    keys = [m["dedupe_key"] for m in outbox(store)]
    assert keys == [f"issue:{issue.id}:new", f"issue:{issue.id}:severity:high"]


def test_posts_without_event_share_one_issue_per_topic_unit_week(env):
    store, cfg, _ = env
    for i in range(4):
        add(store, f"不满{i}", hours=i, source="src-b", topic="living")
    run_alerts(store, cfg, rules=[NEG], now=NOW)
    for i in range(4):
        add(store, f"还是不满{i}", hours=30 + i, source="src-b", topic="living")
    run_alerts(store, cfg, rules=[NEG], now=NOW)
    (issue,) = store.list_issues()
    assert issue.post_count == 8 and issue.unit == "M2" and issue.group_key == "living|M2|2026-W45"
    for i in range(4):
        add(store, f"下周还是不满{i}", hours=24 * 8 + i, source="src-b", topic="living")
    run_alerts(store, cfg, rules=[NEG], now=NOW)
    assert len(store.list_issues()) == 2


def test_matter_spanning_sibling_units_goes_to_their_parent(env):
    store, cfg, _ = env
    wage_event(store, 5, source="src-a")
    wage_event(store, 5, start=3, source="src-b")
    run_alerts(store, cfg, rules=[WAGE], now=NOW)
    (issue,) = store.list_issues()
    assert issue.unit == "S1"  # M1-ZC (under M1) and M2 are both under S1


def test_overdue_issue_escalates_to_parent_unit(env):
    store, cfg, _ = env
    wage_event(store, 5)
    run_alerts(store, cfg, rules=[WAGE], now=NOW)
    r = run_alerts(store, cfg, rules=[WAGE], now=NOW + timedelta(days=4))
    (issue,) = store.list_issues()
    assert r.escalated == [issue.id] and issue.unit == "M1"
    assert issue.due_at == NOW + timedelta(days=7)
    hist = store.issue_history(issue.id)
    assert hist[-1].action == "escalated" and "上报" in hist[-1].note
    assert f"issue:{issue.id}:escalated:M1" in [m["dedupe_key"] for m in outbox(store)]
    assert run_alerts(store, cfg, rules=[WAGE], now=NOW + timedelta(days=4, hours=1)).escalated == []


def test_posts_not_analyzed_yet_wait_for_the_next_run(env):
    store, cfg, _ = env
    wage_event(store, 3)
    late = Post(source_id="src-a", source_kind=SourceKind.WECHAT_GROUP, native_id="late", text="欠薪",
                created_at=T0 + timedelta(hours=2))
    store.add_posts([late])
    wage_event(store, 3, start=3)
    first = run_alerts(store, cfg, rules=[WAGE], now=NOW)
    assert first.posts == 3
    store.save_analyses([Analysis(post_id=late.id, sentiment="negative", topic="wages", event_id="e-wage",
                                  sentiment_scores={"negative": 1.0})])
    second = run_alerts(store, cfg, rules=[WAGE], now=NOW)
    assert second.posts == 4
    assert store.list_issues()[0].post_count == 7


def test_same_matter_in_a_later_run_joins_the_open_issue(env):
    store, cfg, _ = env
    wage = build_rule({"name": "wage", "type": "keyword", "severity": "high",
                       "keyword": {"query": "欠薪 OR 工资没发", "min_posts": 3, "window": "2d", "group_by": "unit"}},
                      "wage.yaml")
    for i in range(4):  # the team's chat, one-post events
        add(store, f"工资没发第{i}天", hours=i, source="src-a", event=f"a{i}")
    run_alerts(store, cfg, rules=[wage], now=NOW)
    (issue,) = store.list_issues()
    for i in range(4):  # a day later the mine-wide chat (the team's parent unit) talks about it too
        add(store, f"欠薪的事有说法没{i}", hours=24 + i, source="src-c", event=f"c{i}")
    r = run_alerts(store, cfg, rules=[wage], now=NOW)
    assert r.opened == [] and r.updated == [issue.id]
    assert store.get_issue(issue.id).post_count == 8
    for i in range(4):  # another mine is another matter
        add(store, f"二矿也欠薪了{i}", hours=26 + i, source="src-b", event=f"b{i}")
    assert len(run_alerts(store, cfg, rules=[wage], now=NOW).opened) == 1


def test_quiet_source_becomes_a_source_health_issue(env):
    store, cfg, _ = env
    quiet = build_rule({"name": "quiet", "type": "flatline", "severity": "low",
                        "flatline": {"quiet_for": "2d", "baseline": "7d", "min_count": 5}}, "q.yaml")
    for i in range(6):
        add(store, f"日常{i}", hours=i, source="src-b", sentiment="neutral", topic="other")
    for i in range(3):
        add(store, f"另一个群{i}", hours=24 * 4 + i, source="src-c", sentiment="neutral", topic="other")
    run_alerts(store, cfg, rules=[quiet], now=NOW)
    (issue,) = store.list_issues()
    assert issue.kind == "source_health" and issue.title == "数据源中断：二矿职工群" and issue.unit == "M2"
    assert issue.method == "" and "检查" in issue.method_reason and "二矿职工群" in issue.summary


def test_a_cadre_editing_the_issue_meanwhile_does_not_lose_the_update(env, monkeypatch):
    store, cfg, _ = env
    wage_event(store, 5)
    run_alerts(store, cfg, rules=[WAGE], now=NOW)
    (issue,) = store.list_issues()
    real_find = store.find_open_issue
    edits = []

    def find_then_cadre_edits(event_id):
        found = real_find(event_id)
        if found is not None and not edits:  # between our read and our write, a cadre advances it
            fresh = store.get_issue(found.id)
            fresh.step = "职工说事"
            edits.append(store.update_issue(fresh, actor="cadre", action="advanced"))
        return found

    monkeypatch.setattr(store, "find_open_issue", find_then_cadre_edits)
    wage_event(store, 5, start=5)
    run_alerts(store, cfg, rules=[WAGE], now=NOW)
    after = store.get_issue(issue.id)
    assert after.post_count == 10 and after.step == "职工说事"
    assert [h.action for h in store.issue_history(issue.id)] == ["opened", "advanced", "posts_added"]


def test_a_lost_connection_is_not_taken_for_a_cadres_change(env, monkeypatch):
    store, cfg, _ = env
    wage_event(store, 5)
    run_alerts(store, cfg, rules=[WAGE], now=NOW)
    cursor = store.get_state(CURSOR)
    tries = []

    def connection_lost(issue, **kw):
        tries.append(issue.id)
        raise UnavailableError("Elasticsearch 连接中断：连接被拒绝")

    monkeypatch.setattr(store, "update_issue", connection_lost)
    wage_event(store, 5, start=5)
    with pytest.raises(UnavailableError):
        run_alerts(store, cfg, rules=[WAGE], now=NOW)
    assert len(tries) == 1  # not read again and retried as if a cadre had changed it
    assert store.get_state(CURSOR) == cursor  # the posts are evaluated again on the next run


def test_matter_spreading_to_a_sibling_moves_up_with_one_mail(env):
    store, cfg, _ = env
    wage_event(store, 6, source="src-a")
    run_alerts(store, cfg, rules=[WAGE], now=NOW)
    (issue,) = store.list_issues()
    assert issue.unit == "M1-ZC" and issue.title.startswith("一矿综采队")
    wage_event(store, 6, start=4, source="src-b")  # the same event reaches the second mine
    run_alerts(store, cfg, rules=[WAGE], now=NOW + timedelta(hours=1))
    issue = store.get_issue(issue.id)
    assert issue.unit == "S1" and issue.title.startswith("一公司工会")
    assert [h.action for h in store.issue_history(issue.id)] == ["opened", "posts_added", "escalated"]
    assert [m["dedupe_key"] for m in outbox(store)] == [f"issue:{issue.id}:new", f"issue:{issue.id}:escalated:S1"]


def test_issue_is_dated_when_the_matter_surfaced_and_due_from_detection(env):
    store, cfg, _ = env
    posts = wage_event(store, 10, start=5)  # posts from T0+5h; the keyword rule needs 3 of them in 2 days
    run_alerts(store, cfg, rules=[WAGE], now=NOW)
    (issue,) = store.list_issues()
    third = sorted(p.created_at for p in posts)[2]
    assert T0 + timedelta(hours=5) <= issue.created_at <= third  # on the posts' timeline, not the run's clock
    assert issue.due_at == NOW + timedelta(days=3)  # cadres are told now: the deadline runs from now
    assert store.count_issues(since=T0, until=T0 + timedelta(days=1)) == 1
