"""Posts, sources, events, bookkeeping, state, labels and stats — for every backend."""

from __future__ import annotations

from datetime import timedelta

import pytest

from yuqing.errors import NotFoundError, StorageError
from yuqing.schema import Analysis, Event, ImportedFile, QuarantineRecord, Source, SourceKind
from yuqing.storage import PostQuery

from ...conftest import T0, make_post


def _analysis(post_id: str, topic: str = "other", sentiment: str = "neutral", **kw) -> Analysis:
    return Analysis(post_id, sentiment, {"negative": 0.2, "neutral": 0.6, "positive": 0.2}, topic, **kw)


def test_add_posts_twice_never_duplicates(store, units, sources):
    store.sync_config(units, sources)
    r1 = store.add_posts([make_post(i) for i in range(50)])
    r2 = store.add_posts([make_post(i) for i in range(50)])
    assert (r1.inserted, r1.duplicates) == (50, 0) and len(r1.inserted_ids) == 50
    assert (r2.inserted, r2.duplicates) == (0, 50) and r2.inserted_ids == []
    assert store.stats()["posts"] == 50


def test_post_roundtrip_keeps_fields_and_unit(store, units, sources):
    store.sync_config(units, sources)
    p = make_post(1, "食堂的饭菜太咸了", likes=3, extra={"chat": "一矿"}, pii=[{"kind": "phone", "start": 0, "end": 11}])
    store.add_posts([p])
    got = store.get_post(p.id)
    assert got.post == p and got.unit == "M1-ZC" and got.analysis is None and got.imported_at is not None
    assert store.get_post("p_missing") is None


def test_unit_scope_is_enforced_in_queries(store, units, sources):
    store.sync_config(units, sources)
    store.add_posts([make_post(i, source="src-a" if i % 2 else "src-b") for i in range(10)])
    assert store.count_posts(PostQuery(units={"M1-ZC"})) == 5
    assert store.count_posts(PostQuery(units={"M2"})) == 5
    assert store.count_posts(PostQuery(units=set())) == 0
    assert store.query_posts(PostQuery(units=set())) == []
    assert all(sp.unit == "M2" for sp in store.query_posts(PostQuery(units={"M2"})))


def test_a_post_is_searchable_as_soon_as_it_is_stored(store, units, sources):
    store.sync_config(units, sources)
    a, b = make_post(1, "三个月没发工资了"), make_post(2, "食堂今天有红烧肉", title="后勤")
    store.add_posts([a, b])
    assert [h.post.id for h in store.query_posts(PostQuery(text="工资"))] == [a.id]
    assert store.count_posts(PostQuery(text="后勤 红烧肉")) == 1  # the title is searchable too
    assert store.count_posts(PostQuery(text="工资", analyzed=False)) == 1
    # forgetting the analyses (a model upgrade) leaves posts searchable
    store.save_analyses([_analysis(a.id, tokens=["三个", "月", "没", "发", "工资", "了"])])
    store.reset_analyses()
    assert store.count_posts(PostQuery(text="工资")) == 1 and store.count_posts(PostQuery(text="红烧肉")) == 1


def test_find_messages_by_content_hash_and_time(store, units, sources):
    from yuqing.storage.base import StoredMessage

    store.sync_config(units, sources)
    a = make_post(1, "夜班补贴怎么还没发", author_id="wxid_a")
    b = make_post(2, "收到", source="src-b")
    other_kind = make_post(3, "收到", kind=SourceKind.FORUM, minutes=2)
    store.add_posts([a, b, other_kind])
    found = store.find_messages([(a.created_at, a.content_hash), (b.created_at, b.content_hash),
                                 (a.created_at, b.content_hash), (a.created_at + timedelta(seconds=1), a.content_hash)])
    assert sorted(found, key=lambda m: m.post_id) == sorted([
        StoredMessage("src-a", a.created_at, a.content_hash, "wxid_a", a.id),
        StoredMessage("src-b", b.created_at, b.content_hash, "", b.id)], key=lambda m: m.post_id)
    assert store.find_messages([]) == []
    # a time known only to a window: within the slack, optionally in one source
    near = [(a.created_at + timedelta(minutes=4), a.content_hash)]
    assert store.find_messages(near) == []
    assert [m.post_id for m in store.find_messages(near, slack=timedelta(minutes=5))] == [a.id]
    assert store.find_messages(near, slack=timedelta(minutes=5), source_id="src-b") == []

def test_search_follows_the_text_and_analyses_round_trip(store, units, sources):
    store.sync_config(units, sources)
    a, b = make_post(1, "三个月没发工资了，拖欠工资"), make_post(2, "食堂今天有红烧肉")
    store.add_posts([a, b])
    store.save_analyses([_analysis(a.id, tokens=["三个", "月", "没", "发工资", "了"]),
                         _analysis(b.id, tokens=["食堂", "今天", "有", "红烧肉"], simhash=(1 << 64) - 5)])
    # the search-mode cut finds words inside compounds (发工资, 拖欠工资 → 工资)
    assert [h.post.id for h in store.query_posts(PostQuery(text="工资"))] == [a.id]
    assert store.count_posts(PostQuery(text="拖欠 工资")) == 1 and store.count_posts(PostQuery(text="拖欠工资")) == 1
    assert store.count_posts(PostQuery(text="工资", units={"M2"})) == 0
    # an analysis's tokens are kept with it, but search does not depend on them
    store.save_analyses([Analysis(a.id, "negative", {"negative": 0.9, "neutral": 0.05, "positive": 0.05}, "wages",
                                  tokens=["欠薪"])])
    assert store.count_posts(PostQuery(text="工资")) == 1 and store.count_posts(PostQuery(text="欠薪")) == 0
    got = store.get_post(a.id).analysis
    assert got.topic == "wages" and got.tokens == ["欠薪"]
    assert store.get_post(b.id).analysis.simhash == (1 << 64) - 5
    assert store.count_posts(PostQuery(text='"OR 工资')) == 0

def test_every_filter(store, units, sources):
    store.sync_config(units, sources)
    posts = [make_post(i, source="src-a" if i % 2 else "src-b", kind=SourceKind.FORUM if i % 3 == 0
                       else SourceKind.WECHAT_GROUP, thread_id=f"t{i % 2}") for i in range(1, 13)]
    store.add_posts(posts)
    store.save_analyses([_analysis(p.id, "wages" if i % 2 else "living", "negative" if i % 4 == 0 else "neutral",
                                   risk="high" if i % 6 == 0 else "none", event_id="e1" if i < 4 else "")
                         for i, p in enumerate(posts[:10], 1)])
    assert store.count_posts(PostQuery(source_ids=["src-a"])) == 6
    assert store.count_posts(PostQuery(source_kinds=["forum"])) == 4
    assert store.count_posts(PostQuery(topics=["living"])) == 5
    assert store.count_posts(PostQuery(sentiments=["negative"])) == 2
    assert store.count_posts(PostQuery(risks=["high"])) == 1
    assert store.count_posts(PostQuery(event_id="e1")) == 3
    assert store.count_posts(PostQuery(thread_id="t0")) == 6
    assert store.count_posts(PostQuery(ids=[posts[0].id, posts[5].id, "nope"])) == 2
    assert store.count_posts(PostQuery(analyzed=True)) == 10
    assert store.count_posts(PostQuery(analyzed=False)) == 2
    page = store.query_posts(PostQuery(limit=5, offset=5))
    assert [sp.post.native_id for sp in page] == ["7", "6", "5", "4", "3"]


def test_time_window_and_order(store, units, sources):
    store.sync_config(units, sources)
    store.add_posts([make_post(i) for i in range(1, 11)])
    q = PostQuery(since=T0 + timedelta(minutes=3), until=T0 + timedelta(minutes=6), newest_first=False)
    assert [sp.post.native_id for sp in store.query_posts(q)] == ["3", "4", "5"]


def test_analysis_queue_and_reset(store, units, sources):
    store.sync_config(units, sources)
    posts = [make_post(i) for i in range(5)]
    store.add_posts(posts)
    assert [p.id for p in store.posts_to_analyze(limit=3)] == [p.id for p in posts[:3]]
    assert store.save_analyses([_analysis(p.id) for p in posts[:2]] + [_analysis("p_unknown")]) == 2
    assert [p.id for p in store.posts_to_analyze()] == [p.id for p in posts[2:]]
    store.upsert_events([Event(id="e1", label="食堂涨价", size=2)])
    assert store.reset_analyses() == 2
    assert len(store.posts_to_analyze()) == 5 and store.stats()["posts_analyzed"] == 0
    assert store.get_event("e1") is None  # events are rebuilt from the new analyses


def test_analysis_queue_in_time_order_with_a_cursor(store, units, sources):
    store.sync_config(units, sources)
    posts = [make_post(i, minutes=20 - i) for i in range(1, 8)]  # stored newest first
    store.add_posts(posts)
    by_time = sorted(posts, key=lambda p: (p.created_at, p.id))
    first = store.posts_to_analyze(limit=3)
    assert [p.id for p in first] == [p.id for p in by_time[:3]]
    rest = store.posts_to_analyze(limit=10, after=(first[-1].created_at, first[-1].id))
    assert [p.id for p in rest] == [p.id for p in by_time[3:]]  # read ahead before the first batch is saved


def test_analyses_and_their_events_are_saved_together(store, units, sources):
    store.sync_config(units, sources)
    posts = [make_post(i) for i in range(3)]
    store.add_posts(posts)
    ev = Event(id="e_batch", label="食堂涨价", size=3, first_at=T0, last_at=T0)
    assert store.save_analyses([_analysis(p.id, event_id="e_batch") for p in posts], [ev]) == 3
    assert store.get_event("e_batch").size == 3
    assert store.count_posts(PostQuery(event_id="e_batch")) == 3


def test_assigning_a_pending_source_moves_its_posts(store, units, sources):
    store.sync_config(units, sources)
    store.upsert_source(Source("auto-1", "未知群", SourceKind.WECHAT_GROUP, status="pending"))
    store.add_posts([make_post(i, source="auto-1") for i in range(3)])
    assert store.count_posts(PostQuery(units={"M1"})) == 0
    assert store.stats()["sources_pending"] == 1
    assert store.assign_source("auto-1", "M1") == 3
    assert store.count_posts(PostQuery(units={"M1"})) == 3
    assert store.get_source("auto-1").status == "active"
    with pytest.raises(NotFoundError, match="nope"):
        store.assign_source("nope", "M1")
    assert store.get_source("nope") is None


def test_config_sync_keeps_pending_sources_and_config_unit_wins(store, units, sources):
    store.sync_config(units, sources)
    store.upsert_source(Source("auto-1", "未知群", SourceKind.WECHAT_GROUP, status="pending"))
    store.add_posts([make_post(1, source="src-a")])
    moved = [Source("src-a", "一矿综采队职工群", SourceKind.WECHAT_GROUP, unit="M2", match=["111@chatroom"])]
    store.sync_config(units, moved)
    assert {s.id for s in store.list_sources()} == {"src-a", "src-b", "auto-1"}
    assert store.get_source("src-a").unit == "M2" and store.count_posts(PostQuery(units={"M2"})) == 1
    assert [u.code for u in store.list_units()] == ["G", "S1", "M1", "M2", "M1-ZC"]


def test_events(store, units, sources):
    store.sync_config(units, sources)
    a, b = make_post(1, source="src-a"), make_post(2, source="src-b")
    store.add_posts([a, b])
    store.save_analyses([_analysis(a.id, event_id="e1"), _analysis(b.id, event_id="e2")])
    store.upsert_events([Event("e1", "食堂涨价", ["食堂"], "living", "M1-ZC", T0, T0, size=5, signature=(1 << 64) - 1),
                         Event("e2", "欠薪", ["工资"], "wages", "M2", T0, T0 + timedelta(days=2), size=9)])
    store.upsert_events([Event("e1", "食堂涨价了", ["食堂"], "living", "M1-ZC", T0, T0, size=6, signature=1)])
    assert store.get_event("e1").label == "食堂涨价了" and store.get_event("e1").size == 6
    assert [e.id for e in store.list_events()] == ["e2", "e1"]
    assert [e.id for e in store.list_events(units={"M1"})] == [] and [e.id for e in store.list_events(units={"M1-ZC"})] == ["e1"]
    assert [e.id for e in store.list_events(since=T0 + timedelta(days=1))] == ["e2"]
    assert store.list_events(units=set()) == [] and store.get_event("zz") is None


def test_quarantine_file_ledger_and_state(store):
    rec = QuarantineRecord("x.csv", "第 3 行", "时间无法解析：2026-13-45", raw="bad", source_id="src-a")
    other = QuarantineRecord("x.csv", "第 4 行", "缺少发言人")
    assert store.add_quarantine([rec, rec]) == 1
    assert store.add_quarantine([rec, other]) == 1
    assert store.list_quarantine() == [other, rec]
    assert store.stats()["quarantined"] == 2
    assert store.file_imported("abc") is None
    store.record_file(ImportedFile("abc", "x.csv", 10, posts=3, fmt="chatlog_csv"))
    assert store.file_imported("abc") == ImportedFile("abc", "x.csv", 10, posts=3, fmt="chatlog_csv")
    assert store.stats()["files_imported"] == 1
    assert store.get_state("k") is None
    store.set_state("k", "1")
    store.set_state("k", "2")
    assert store.get_state("k") == "2"


def test_labels_latest_per_field(store, units, sources):
    store.sync_config(units, sources)
    p = make_post(1, "工资又拖了")
    store.add_posts([p])
    store.add_label(p.id, "sentiment", "neutral", "a")
    store.add_label(p.id, "sentiment", "negative", "b")
    store.add_label(p.id, "topic", "wages", "a")
    got = {(r["field"], r["value"], r["actor"]) for r in store.list_labels()}
    assert got == {("sentiment", "negative", "b"), ("topic", "wages", "a")}
    assert all(r["text"] == "工资又拖了" for r in store.list_labels())
    with pytest.raises(StorageError):
        store.add_label(p.id, "text", "x", "a")


def test_stats_shape(store, units, sources):
    store.sync_config(units, sources)
    store.add_posts([make_post(1), make_post(2, kind=SourceKind.FORUM)])
    s = store.stats()
    assert s["posts"] == 2 and s["posts_by_source_kind"] == {"wechat_group": 1, "forum": 1}
    assert {"posts_analyzed", "issues", "issues_open", "emails_sent", "emails_pending", "quarantined", "sources",
            "sources_pending", "events", "files_imported"} <= set(s)
