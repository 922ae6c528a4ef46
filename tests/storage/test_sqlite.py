from __future__ import annotations

from datetime import timedelta

import pytest

from yuqing.schema import Analysis, QuarantineRecord, Source, SourceKind
from yuqing.storage import ImportedFile, PostQuery
from yuqing.storage.sqlite import SqliteStore

from ..conftest import T0, make_post


def test_migrations_recorded_and_idempotent(tmp_path):
    s = SqliteStore(tmp_path / "a.db")
    names = [r[0] for r in s.q("SELECT name FROM schema_migrations")]
    assert names and names == sorted(names)
    assert s.migrate() == []
    assert s.q1("PRAGMA journal_mode")[0] == "wal"
    s.close()


def test_add_posts_twice_never_duplicates(store, units, sources):
    store.sync_config(units, sources)
    posts = [make_post(i) for i in range(50)]
    r1 = store.add_posts(posts)
    r2 = store.add_posts([make_post(i) for i in range(50)])
    assert (r1.inserted, r1.duplicates) == (50, 0)
    assert (r2.inserted, r2.duplicates) == (0, 50)
    assert store.stats()["posts"] == 50


def test_post_roundtrip_keeps_fields_and_unit(store, units, sources):
    store.sync_config(units, sources)
    p = make_post(1, "食堂的饭菜太咸了", likes=3, extra={"chat": "一矿"}, pii=[{"kind": "phone", "start": 0, "end": 11}])
    store.add_posts([p])
    got = store.get_post(p.id)
    assert got.post == p
    assert got.unit == "M1-ZC"
    assert got.analysis is None


def test_unit_scope_is_enforced_in_queries(store, units, sources):
    store.sync_config(units, sources)
    store.add_posts([make_post(i, source="src-a" if i % 2 else "src-b") for i in range(10)])
    assert store.count_posts(PostQuery(units={"M1-ZC"})) == 5
    assert store.count_posts(PostQuery(units={"M2"})) == 5
    assert store.count_posts(PostQuery(units=set())) == 0
    assert all(sp.unit == "M2" for sp in store.query_posts(PostQuery(units={"M2"})))


def test_full_text_search_over_analysis_tokens(store, units, sources):
    store.sync_config(units, sources)
    a, b = make_post(1, "三个月没发工资了"), make_post(2, "食堂今天有红烧肉")
    store.add_posts([a, b])
    for p, toks in ((a, ["三个", "月", "没", "发", "工资", "了"]), (b, ["食堂", "今天", "有", "红烧肉"])):
        store.save_analyses([Analysis(p.id, "neutral", {"negative": 0.2, "neutral": 0.6, "positive": 0.2},
                                      "other", tokens=toks, simhash=(1 << 64) - 5)])
    hits = store.query_posts(PostQuery(text="工资"))
    assert [h.post.id for h in hits] == [a.id]
    # re-analysing replaces the indexed tokens instead of adding stale ones
    store.save_analyses([Analysis(a.id, "negative", {"negative": 0.9, "neutral": 0.05, "positive": 0.05},
                                  "wages", tokens=["欠薪"])])
    assert store.count_posts(PostQuery(text="工资")) == 0
    assert store.count_posts(PostQuery(text="欠薪")) == 1
    assert store.get_post(a.id).analysis.topic == "wages"
    assert store.get_post(b.id).analysis.simhash == (1 << 64) - 5
    # quotes in a query cannot break out of the FTS expression
    assert store.count_posts(PostQuery(text='"OR 工资')) == 0


def test_assigning_a_pending_source_moves_its_posts(store, units, sources):
    store.sync_config(units, sources)
    store.upsert_source(Source("auto-1", "未知群", SourceKind.WECHAT_GROUP, status="pending"))
    store.add_posts([make_post(i, source="auto-1") for i in range(3)])
    assert store.count_posts(PostQuery(units={"M1"})) == 0
    assert store.assign_source("auto-1", "M1") == 3
    assert store.count_posts(PostQuery(units={"M1"})) == 3
    assert store.get_source("auto-1").status == "active"


def test_quarantine_file_ledger_and_state(store):
    rec = QuarantineRecord("x.csv", "第 3 行", "时间无法解析：2026-13-45", raw="bad")
    assert store.add_quarantine([rec, rec]) == 1
    assert store.stats()["quarantined"] == 1
    assert store.file_imported("abc") is None
    store.record_file(ImportedFile("abc", "x.csv", 10, posts=3))
    assert store.file_imported("abc").posts == 3
    store.set_state("k", "1")
    store.set_state("k", "2")
    assert store.get_state("k") == "2"


def test_time_window_and_order(store, units, sources):
    store.sync_config(units, sources)
    store.add_posts([make_post(i) for i in range(1, 11)])
    q = PostQuery(since=T0 + timedelta(minutes=3), until=T0 + timedelta(minutes=6), newest_first=False)
    got = [sp.post.native_id for sp in store.query_posts(q)]
    assert got == ["3", "4", "5"]


def test_issue_history_is_append_only(store):
    store.conn.execute("INSERT INTO issues(title, created_at, updated_at) VALUES ('t', 0, 0)")
    store.conn.execute("INSERT INTO issue_history(issue_id, at, actor, action) VALUES (1, 0, 'a', 'open')")
    with pytest.raises(Exception, match="append-only"):
        store.conn.execute("UPDATE issue_history SET note = 'x'")
