"""Issues (optimistic concurrency), history, outbox (exactly-once), audit, users — for every backend."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from yuqing.casework.model import Issue
from yuqing.errors import ConflictError, NotFoundError, StorageError
from yuqing.schema import Analysis, User

from ...conftest import make_post


def test_issue_lifecycle_history_and_scope(store, units, sources):
    store.sync_config(units, sources)
    posts = [make_post(i) for i in range(3)]
    store.add_posts(posts)
    due = datetime.now(timezone.utc) - timedelta(hours=1)
    iid = store.create_issue(Issue(title="欠薪", severity="high", unit="M1", event_id="e1", due_at=due),
                             [p.id for p in posts[:2]])
    assert store.find_open_issue("e1").id == iid and store.find_open_issue("") is None
    assert store.attach_posts(iid, [posts[1].id, posts[2].id]) == 1
    issue = store.get_issue(iid)
    assert issue.post_count == 3 and issue.version == 1 and issue.due_at is not None
    assert [sp.post.id for sp in store.issue_posts(iid)] == [p.id for p in reversed(posts)]
    assert store.get_issue(iid, units={"M2"}) is None and store.get_issue(iid, units=set()) is None
    assert store.get_issue(9999) is None
    assert [i.id for i in store.list_issues(units={"M1"}, overdue=True)] == [iid]
    assert store.list_issues(overdue=False) == []
    assert store.count_issues(units={"M2"}) == 0 and store.count_issues(status="open") == 1

    issue.step = "职工说事"
    store.update_issue(issue, actor="cadre1", action="advanced", note="已到现场")
    assert store.get_issue(iid).version == 2
    hist = store.issue_history(iid)
    assert [h.action for h in hist] == ["opened", "advanced"]
    assert hist[1].actor == "cadre1" and hist[1].step == "职工说事" and hist[1].note == "已到现场"


def test_a_unit_with_posts_in_a_matter_led_elsewhere_finds_it_with_its_own_posts(store, units, sources):
    store.sync_config(units, sources)  # src-a → M1-ZC, src-b → M2
    ours = [make_post(i, source="src-a") for i in range(4)]
    theirs = [make_post(10 + i, source="src-b") for i in range(2)]
    store.add_posts(ours + theirs)
    led = store.create_issue(Issue(title="欠薪", severity="high", unit="M1-ZC"), [p.id for p in ours + theirs])
    only_ours = store.create_issue(Issue(title="食堂", severity="low", unit="M1-ZC"), [ours[0].id])
    (involved,) = store.involved_issues({"M2"})
    assert involved.id == led and involved.post_count == 2 and involved.unit == "M1-ZC"
    assert store.involved_issues({"M1", "M1-ZC"}) == []  # led by them: not "involved"
    assert store.involved_issues(set()) == [] and store.involved_issues({"M2"}, status="closed") == []
    store.set_post_status([p.id for p in theirs], "deleted", "已删除")
    assert store.involved_issues({"M2"}) == []
    assert only_ours


def test_two_workers_cannot_advance_the_same_issue_twice(store):
    iid = store.create_issue(Issue(title="食堂"))
    first, second = store.get_issue(iid), store.get_issue(iid)
    first.step = "职工说事"
    store.update_issue(first, actor="w1", action="advanced")
    second.step = "职工说事"
    with pytest.raises(ConflictError, match="已被他人更新，请刷新") as raised:
        store.update_issue(second, actor="w2", action="advanced")
    assert isinstance(raised.value, StorageError) and not isinstance(raised.value, NotFoundError)
    assert second.version == 1  # unchanged on failure
    assert [h.actor for h in store.issue_history(iid)] == ["system", "w1"]
    assert store.get_issue(iid).version == 2


def test_updating_an_issue_that_is_not_stored_is_not_found_not_a_conflict(store):
    ghost = Issue(title="不存在", id=4242)
    with pytest.raises(NotFoundError, match="4242") as raised:
        store.update_issue(ghost, actor="w1", action="commented", note="?")
    assert not isinstance(raised.value, ConflictError)
    assert ghost.version == 1 and store.issue_history(4242) == []
    with pytest.raises(NotFoundError):
        store.update_issue(Issue(title="从未创建"), actor="w1", action="commented")


def test_step_records_keep_their_step_time_and_fields_and_read_back_in_bulk(store):
    a = store.create_issue(Issue(title="欠薪", unit="M1"))
    b = store.create_issue(Issue(title="食堂", unit="M2"))
    issue = store.get_issue(a)
    when = datetime(2026, 10, 5, 9, 30, tzinfo=timezone.utc)
    issue.step = "职工说事"
    store.update_issue(issue, actor="cadre1", action="recorded", note="问了谁、在哪里：班前会",
                       data={"fields": {"visited": "班前会"}}, at=when, step="干部问事")
    got = store.get_issue(a)
    assert got.step == "职工说事" and got.updated_at == when and got.version == 2
    hist = store.issue_history(a)
    assert (hist[-1].action, hist[-1].step, hist[-1].at, hist[-1].data) == (
        "recorded", "干部问事", when, {"fields": {"visited": "班前会"}})
    store.update_issue(got, actor="cadre1", action="commented", note="n")
    assert store.issue_history(a)[-1].step == "职工说事"  # without step: the issue's step
    both = store.issue_histories([b, a, a, 9999])
    assert set(both) == {a, b, 9999} and both[9999] == []
    assert [h.action for h in both[a]] == ["opened", "recorded", "commented"]
    assert [h.action for h in both[b]] == ["opened"]
    assert store.issue_histories([]) == {}


def test_list_issues_order_filters_and_paging(store):
    low = store.create_issue(Issue(title="a", severity="low", unit="M1"))
    high = store.create_issue(Issue(title="b", severity="high", unit="M2", step="集中议事"))
    closed = store.create_issue(Issue(title="c", severity="high", unit="M1", status="closed"))
    assert [i.id for i in store.list_issues()] == [high, low, closed]
    assert [i.id for i in store.list_issues(status="open", severity="high")] == [high]
    assert [i.id for i in store.list_issues(step="集中议事")] == [high]
    assert [i.id for i in store.list_issues(limit=1, offset=1)] == [low]
    assert store.list_issues(units=set()) == []
    assert store.count_issues(since=datetime.now(timezone.utc) + timedelta(hours=1)) == 0
    assert store.count_issues(until=datetime.now(timezone.utc) + timedelta(hours=1)) == 3


def test_outbox_dedupe_and_retry(store):
    now = datetime.now(timezone.utc)
    assert store.enqueue_email(dedupe_key="k1", kind="alert", recipients=["a@x"], subject="主题", body_text="b")
    assert not store.enqueue_email(dedupe_key="k1", kind="alert", recipients=["a@x"], subject="主题", body_text="b")
    (m,) = store.due_emails(now + timedelta(seconds=1))
    assert m["recipients"] == ["a@x"] and m["dedupe_key"] == "k1" and m["attempts"] == 0
    store.mark_email_failed(m["id"], "connection refused", now + timedelta(minutes=5))
    assert store.due_emails(now + timedelta(seconds=1)) == []
    assert store.outbox_counts() == {"sent": 0, "pending": 1, "failing": 1, "failed": 0}
    assert len(store.due_emails(now + timedelta(minutes=6))) == 1
    store.mark_email_sent(m["id"], "<id@x>")
    store.mark_email_sent(m["id"], "<other@x>")  # a second worker marking it again changes nothing
    store.mark_email_failed(m["id"], "late failure", now)
    assert store.stats()["emails_sent"] == 1
    assert store.outbox_counts() == {"sent": 1, "pending": 0, "failing": 0, "failed": 0}
    assert store.due_emails(now + timedelta(days=1)) == []


def test_a_claimed_email_is_not_due_for_another_sender_until_released_or_expired(store):
    now = datetime.now(timezone.utc)
    for k in ("k1", "k2"):
        store.enqueue_email(dedupe_key=k, kind="alert", recipients=["a@x"], subject=k, body_text="b")
    (a,) = store.claim_emails(now + timedelta(seconds=1), "sender-a", timedelta(minutes=3))
    (b,) = store.claim_emails(now + timedelta(seconds=1), "sender-b", timedelta(minutes=3))
    assert (a["dedupe_key"], b["dedupe_key"]) == ("k1", "k2")
    assert store.claim_emails(now + timedelta(seconds=1), "sender-c", timedelta(minutes=3)) == []
    assert store.due_emails(now + timedelta(seconds=1)) == []
    store.mark_email_sent(a["id"], "<a@x>", "sender-a")
    # sender-b died holding k2: its lease runs out and another sender takes the e-mail over
    (again,) = store.claim_emails(now + timedelta(minutes=4), "sender-c", timedelta(minutes=3))
    assert again["dedupe_key"] == "k2"
    assert store.outbox_counts()["sent"] == 1


def test_a_permanent_failure_or_the_give_up_time_gives_an_email_up_once(store):
    now = datetime.now(timezone.utc)
    store.enqueue_email(dedupe_key="bounce", kind="alert", recipients=["nobody@x"], subject="s", body_text="b")
    store.enqueue_email(dedupe_key="deferred", kind="alert", recipients=["slow@x"], subject="s", body_text="b",
                        give_up_at=now + timedelta(hours=1))
    bounce, deferred = store.claim_emails(now + timedelta(seconds=1), "me", timedelta(minutes=3), limit=5)
    assert store.mark_email_failed(bounce["id"], "550 no such user", now + timedelta(minutes=1), permanent=True)
    assert not store.mark_email_failed(deferred["id"], "451 try later", now + timedelta(minutes=30))
    assert store.outbox_counts() == {"sent": 0, "pending": 1, "failing": 1, "failed": 1}
    (d,) = store.claim_emails(now + timedelta(minutes=31), "me", timedelta(minutes=3))
    assert store.mark_email_failed(d["id"], "451 try later", now + timedelta(hours=2))  # past its give-up time
    assert store.claim_emails(now + timedelta(days=5), "me", timedelta(minutes=3)) == []
    failed = store.failed_emails(unreported=True)
    assert {f["dedupe_key"] for f in failed} == {"bounce", "deferred"} and failed[0]["attempts"] >= 1
    assert "550" in {f["dedupe_key"]: f for f in failed}["bounce"]["last_error"]
    store.mark_emails_reported(f["id"] for f in failed)
    assert store.failed_emails(unreported=True) == [] and len(store.failed_emails()) == 2
    assert store.stats()["emails_failed"] == 2 and store.stats()["emails_pending"] == 0


def test_an_issue_and_its_email_are_written_together(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            iid = store.create_issue(Issue(title="堵门讨薪"))
            raise RuntimeError("killed before the e-mail was queued")
    if store.list_issues():  # a backend without transactions keeps what was written before the crash
        pytest.skip("this backend has no multi-document transactions")
    with store.transaction():
        iid = store.create_issue(Issue(title="堵门讨薪"))
        store.enqueue_email(dedupe_key=f"issue:{iid}:new", kind="alert", recipients=["a@x"], subject="s",
                            body_text="b", issue_id=iid)
    assert [i.id for i in store.list_issues()] == [iid] and store.last_email_at(iid) is not None


def test_send_after_and_last_email(store):
    iid = store.create_issue(Issue(title="t"))
    assert store.last_email_at(iid) is None
    later = datetime.now(timezone.utc) + timedelta(hours=2)
    store.enqueue_email(dedupe_key="k", kind="alert", recipients=["a@x"], subject="s", body_text="b", issue_id=iid,
                        send_after=later)
    assert store.last_email_at(iid) is not None
    assert store.due_emails(datetime.now(timezone.utc)) == []
    assert len(store.due_emails(later + timedelta(seconds=1))) == 1


def test_group_key_lookup_and_alert_cursor(store, units, sources):
    store.sync_config(units, sources)
    iid = store.create_issue(Issue(title="食堂", group_key="neg|living|M1|2026-W45"))
    assert store.find_open_issue_by_key("neg|living|M1|2026-W45").id == iid
    assert store.find_open_issue_by_key("other") is None and store.find_open_issue_by_key("") is None
    posts = [make_post(i) for i in range(5)]
    store.add_posts(posts)
    done = [Analysis(post_id=p.id, sentiment="neutral", sentiment_scores={}, topic="other") for p in posts]
    store.save_analyses(done[:2] + done[3:])  # post 2 not analysed yet
    got, cursor = store.alert_candidates(0)
    assert [sp.post.id for sp in got] == [p.id for p in posts[:2]]
    assert store.alert_candidates(cursor) == ([], cursor)
    store.save_analyses([done[2]])
    got, cursor2 = store.alert_candidates(cursor)
    assert [sp.post.id for sp in got] == [p.id for p in posts[2:]] and cursor2 > cursor


def test_audit_users_and_sessions(store):
    store.audit("admin", "login_failed", "admin")
    store.audit("admin", "rule_saved", "wage.yaml", {"lines": 3})
    rows = store.audit_entries()
    assert [r["action"] for r in rows] == ["rule_saved", "login_failed"] and rows[0]["detail"] == {"lines": 3}
    assert [r["action"] for r in store.audit_entries(actor="nobody")] == []
    assert store.failed_logins("admin", 15) == 1
    store.sync_users([User("li", "cadre", unit="M1", name="李", password_hash="h1")])
    store.sync_users([User("li", "cadre", unit="M2", name="李")])  # no hash in config: stored one kept
    u = store.get_user("li")
    assert (u.unit, u.password_hash) == ("M2", "h1")
    store.set_password_hash("li", "h2")
    assert store.get_user("li").password_hash == "h2"
    with pytest.raises(NotFoundError, match="nobody"):
        store.set_password_hash("nobody", "x")
    store.create_session("tok", "li", minutes=10)
    assert store.session_user("tok") == "li" and store.session_user("other") is None
    store.end_session("tok")
    assert store.session_user("tok") is None
    store.create_session("long", "li", minutes=14 * 24 * 60, remember=True)
    assert store.session_user("long") == "li"


def test_login_failures_per_account_and_per_client(store):
    assert store.login_failures(username="admin") == (0, None)
    store.record_login_failure("admin", "10.0.0.1")
    store.record_login_failure("admin", "10.0.0.2")
    store.record_login_failure("li", "10.0.0.1")
    n, last = store.login_failures(username="admin", minutes=15)
    assert n == 2 and abs(last - datetime.now(timezone.utc).timestamp()) < 60
    assert store.login_failures(client="10.0.0.1")[0] == 2 and store.login_failures(client="10.9.9.9")[0] == 0
    assert not store.known_client("admin", "10.0.0.3")
    store.audit("admin", "login", "10.0.0.3")
    assert store.known_client("admin", "10.0.0.3") and not store.known_client("li", "10.0.0.3")
    assert not store.known_client("admin", "")
