from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from yuqing.casework.model import Issue
from yuqing.errors import StorageError

from ..conftest import make_post


def test_issue_lifecycle_history_and_scope(store, units, sources):
    store.sync_config(units, sources)
    posts = [make_post(i) for i in range(3)]
    store.add_posts(posts)
    due = datetime.now(timezone.utc) - timedelta(hours=1)
    iid = store.create_issue(Issue(title="欠薪", severity="high", unit="M1", event_id="e1", due_at=due),
                             [p.id for p in posts[:2]])
    assert store.find_open_issue("e1").id == iid
    assert store.attach_posts(iid, [posts[1].id, posts[2].id]) == 1
    issue = store.get_issue(iid)
    assert issue.post_count == 3
    assert store.get_issue(iid, units={"M2"}) is None
    assert [i.id for i in store.list_issues(units={"M1"}, overdue=True)] == [iid]
    assert store.count_issues(units={"M2"}) == 0

    issue.step = "职工说事"
    store.update_issue(issue, actor="cadre1", action="advanced", note="已到现场")
    stale = store.get_issue(iid)
    stale.version -= 1
    with pytest.raises(StorageError):
        store.update_issue(stale, actor="other", action="advanced")
    hist = store.issue_history(iid)
    assert [h.action for h in hist] == ["opened", "advanced"]
    assert hist[1].actor == "cadre1" and hist[1].step == "职工说事"


def test_outbox_dedupe_and_retry(store):
    now = datetime.now(timezone.utc)
    assert store.enqueue_email(dedupe_key="k1", kind="alert", recipients=["a@x"], subject="主题", body_text="b")
    assert not store.enqueue_email(dedupe_key="k1", kind="alert", recipients=["a@x"], subject="主题", body_text="b")
    (m,) = store.due_emails(now + timedelta(seconds=1))
    store.mark_email_failed(m["id"], "connection refused", now + timedelta(minutes=5))
    assert store.due_emails(now + timedelta(seconds=1)) == []
    assert len(store.due_emails(now + timedelta(minutes=6))) == 1
    store.mark_email_sent(m["id"], "<id@x>")
    assert store.stats()["emails_sent"] == 1
    assert store.due_emails(now + timedelta(days=1)) == []


def test_group_key_lookup_and_alert_cursor(store, units, sources):
    from yuqing.schema import Analysis

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


def test_last_email_and_outbox_counts(store):
    iid = store.create_issue(Issue(title="t"))
    assert store.last_email_at(iid) is None
    store.enqueue_email(dedupe_key="k", kind="alert", recipients=["a@x"], subject="s", body_text="b", issue_id=iid)
    assert store.last_email_at(iid) is not None
    assert store.outbox_counts() == {"sent": 0, "pending": 1, "failing": 0}


def test_open_issues_sharing_posts(store, units, sources):
    store.sync_config(units, sources)
    posts = [make_post(i) for i in range(4)]
    store.add_posts(posts)
    a = store.create_issue(Issue(title="a"), [p.id for p in posts[:3]])
    b = store.create_issue(Issue(title="b", kind="source_health"), [posts[3].id])
    closed = store.create_issue(Issue(title="c", status="closed"), [posts[0].id])
    assert store.open_issues_sharing_posts([p.id for p in posts]) == {a: 3}
    assert store.open_issues_sharing_posts([]) == {}
    assert b and closed
