"""SQLite-only casework helpers; the shared behaviour is in tests/storage/contract/."""

from __future__ import annotations

from yuqing.casework.model import Issue

from ..conftest import make_post


def test_last_email_and_outbox_counts(store):
    iid = store.create_issue(Issue(title="t"))
    assert store.last_email_at(iid) is None
    store.enqueue_email(dedupe_key="k", kind="alert", recipients=["a@x"], subject="s", body_text="b", issue_id=iid)
    assert store.last_email_at(iid) is not None
    assert store.outbox_counts() == {"sent": 0, "pending": 1, "failing": 0, "failed": 0}


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
