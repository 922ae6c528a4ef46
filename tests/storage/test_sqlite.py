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
