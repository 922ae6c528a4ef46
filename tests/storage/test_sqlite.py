"""SQLite-only behaviour; what every backend must do is in tests/storage/contract/."""

from __future__ import annotations

import pytest

from yuqing.storage.sqlite import SqliteStore


def test_migrations_recorded_and_idempotent(tmp_path):
    s = SqliteStore(tmp_path / "a.db")
    names = [r[0] for r in s.q("SELECT name FROM schema_migrations")]
    assert names and names == sorted(names)
    assert s.migrate() == []
    assert s.q1("PRAGMA journal_mode")[0] == "wal"
    s.close()


def test_issue_history_is_append_only(store):
    store.conn.execute("INSERT INTO issues(title, created_at, updated_at) VALUES ('t', 0, 0)")
    store.conn.execute("INSERT INTO issue_history(issue_id, at, actor, action) VALUES (1, 0, 'a', 'open')")
    with pytest.raises(Exception, match="append-only"):
        store.conn.execute("UPDATE issue_history SET note = 'x'")


def test_a_failed_analysis_batch_leaves_no_event_behind(tmp_path):
    """Analyses and events go in one transaction: an error midway stores neither."""
    from datetime import datetime, timezone

    from yuqing.schema import Analysis, Event, Post, SourceKind
    from yuqing.storage import PostQuery
    from yuqing.storage.sqlite import SqliteStore

    s = SqliteStore(tmp_path / "t.db")
    t = datetime(2026, 11, 2, tzinfo=timezone.utc)
    post = Post(source_id="s", source_kind=SourceKind.WECHAT_GROUP, text="食堂涨价", created_at=t, native_id="1")
    s.add_posts([post])
    good = Analysis(post.id, "negative", {"negative": 0.8, "neutral": 0.1, "positive": 0.1}, "living", event_id="e1")
    bad = Analysis(post.id, "negative", {"negative": 0.8, "neutral": 0.1, "positive": 0.1}, "living")
    bad.keywords = [object()]  # cannot be stored: the whole batch must roll back
    try:
        s.save_analyses([good, bad], [Event(id="e1", label="生活后勤：食堂", size=2, first_at=t, last_at=t)])
    except TypeError:
        pass
    assert s.get_event("e1") is None and s.count_posts(PostQuery(analyzed=True)) == 0
    s.close()


def test_a_store_made_before_the_grams_finds_its_old_posts_after_the_migration(tmp_path):
    """Migration 0012 indexes the posts already stored (in Python, inside the migration's transaction)."""
    from datetime import datetime, timezone

    from yuqing.schema import Post, SourceKind
    from yuqing.storage import PostQuery

    path = tmp_path / "old.db"
    s = SqliteStore(path)
    t = datetime(2026, 11, 2, tzinfo=timezone.utc)
    s.add_posts([Post(source_id="s", source_kind=SourceKind.WECHAT_GROUP, text=f"拖欠工资第{i}个月", created_at=t,
                      native_id=str(i)) for i in range(7)])
    with s.tx():  # back to the store as it was before 0012
        for stmt in ("DROP TABLE posts_grams", "DROP INDEX posts_author_id", "DROP INDEX posts_author_name",
                     "DELETE FROM schema_migrations WHERE name = '0012_grams.sql'"):
            s.conn.execute(stmt)
    s.close()
    s = SqliteStore(path)
    assert s.count_posts(PostQuery(text="工资拖欠")) == 7 and s.count_posts(PostQuery(text="欠工")) == 7
    assert s.migrate() == []
    s.close()
