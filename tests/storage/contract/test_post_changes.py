"""Posts that change at their source (forum edits, deletions, moderation) — for every backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from yuqing.errors import StorageError
from yuqing.schema import Analysis, Event, SourceKind, content_hash
from yuqing.storage import PostQuery
from yuqing.storage.base import ThreadPost

from ...conftest import T0, make_post

SEEN = T0 + timedelta(days=3)


def _forum(i: int, text: str = "", thread: str = "101", **kw):
    return make_post(i, text, kind=SourceKind.FORUM, thread_id=thread, **kw)


def _analysis(post_id: str, sentiment: str = "negative", event_id: str = "e1") -> Analysis:
    return Analysis(post_id, sentiment, {"negative": 0.8, "neutral": 0.1, "positive": 0.1}, "wages",
                    tokens=["夜班", "补贴"], event_id=event_id)


def test_thread_posts_lists_one_thread_of_one_source_oldest_first(store, units, sources):
    store.sync_config(units, sources)
    a, b, other_thread = _forum(2, "第二楼"), _forum(1, "第一楼"), _forum(3, "别的主题", thread="102")
    other_source = _forum(4, "别的论坛", source="src-b")
    store.add_posts([a, b, other_thread, other_source])
    assert store.thread_posts("src-a", "101") == [ThreadPost(b.id, "1", b.content_hash), ThreadPost(a.id, "2", a.content_hash)]
    assert store.thread_posts("src-a", "nope") == []
    store.set_post_status([a.id], "deleted", "论坛上已删除", SEEN)
    assert [(t.id, t.status) for t in store.thread_posts("src-a", "101")] == [(b.id, "live"), (a.id, "deleted")]


def test_edit_keeps_the_old_text_in_history_and_the_post_is_analysed_again(store, units, sources):
    store.sync_config(units, sources)
    p = _forum(1, "夜班补贴三个月没发了")
    store.add_posts([p])
    store.upsert_events([Event("e1", "夜班补贴", size=3, negative=2)])
    store.save_analyses([_analysis(p.id)])
    edited = replace(p, text="夜班补贴四个月没发了", content_hash="", extra={"edited": {"by": "老张"}})
    edited.content_hash = content_hash(edited.text)
    assert store.edit_post(edited, SEEN) is True
    got = store.get_post(p.id)
    assert got.post.text == "夜班补贴四个月没发了" and got.post.content_hash == edited.content_hash
    assert got.post.extra == {"edited": {"by": "老张"}} and got.post.created_at == p.created_at
    assert got.analysis is None and [x.id for x in store.posts_to_analyze()] == [p.id]  # analysed again
    assert store.get_event("e1").size == 2 and store.get_event("e1").negative == 1  # it rejoins when re-analysed
    (rev,) = store.post_history(p.id)
    assert (rev.text, rev.content_hash, rev.replaced_at) == ("夜班补贴三个月没发了", p.content_hash, SEEN)
    assert [t.content_hash for t in store.thread_posts("src-a", "101")] == [edited.content_hash]
    # the same text again is no edit; an unknown post is not created
    assert store.edit_post(edited, SEEN) is False and len(store.post_history(p.id)) == 1
    assert store.edit_post(_forum(9, "没存过"), SEEN) is False and store.get_post(_forum(9, "没存过").id) is None
    again = replace(edited, text="夜班补贴发了", content_hash="")
    again.content_hash = content_hash(again.text)
    assert store.edit_post(again, SEEN + timedelta(hours=1))
    assert [r.text for r in store.post_history(p.id)] == ["夜班补贴三个月没发了", "夜班补贴四个月没发了"]


def test_removed_posts_are_left_out_of_queries_counts_and_analysis_unless_asked(store, units, sources):
    store.sync_config(units, sources)
    posts = [_forum(i, f"第{i}楼") for i in range(1, 5)]
    store.add_posts(posts)
    store.upsert_events([Event("e1", "夜班补贴", size=1, negative=1)])
    store.save_analyses([_analysis(posts[0].id)])
    assert store.set_post_status([posts[0].id, posts[1].id, "p_unknown"], "deleted", "论坛上已删除", SEEN) == 2
    assert store.set_post_status([posts[2].id], "hidden", "被管理员或版主屏蔽", SEEN) == 1
    assert store.set_post_status([posts[2].id], "hidden", "被管理员或版主屏蔽", SEEN) == 0  # already
    assert store.count_posts(PostQuery()) == 1 and store.count_posts(PostQuery(thread_id="101")) == 1
    assert [sp.post.id for sp in store.query_posts(PostQuery())] == [posts[3].id]
    assert store.count_posts(PostQuery(include_removed=True)) == 4
    shown = {sp.post.id: (sp.status, sp.status_reason) for sp in store.query_posts(PostQuery(include_removed=True))}
    assert shown[posts[0].id] == ("deleted", "论坛上已删除") and shown[posts[2].id] == ("hidden", "被管理员或版主屏蔽")
    assert shown[posts[3].id] == ("live", "")
    assert store.get_post(posts[2].id).status == "hidden"  # still readable by id
    assert [p.id for p in store.posts_to_analyze()] == [posts[3].id]
    assert store.get_event("e1").size == 0 and store.get_event("e1").negative == 0
    s = store.stats()
    assert s["posts"] == 1 and s["posts_removed"] == 3 and s["posts_by_source_kind"] == {"forum": 1}
    # shown again at the source: live again (and back in its event)
    assert store.set_post_status([posts[0].id], "live") == 1
    assert store.get_post(posts[0].id).status == "live" and store.count_posts(PostQuery()) == 2
    assert store.get_event("e1").size == 1
    with pytest.raises(StorageError):
        store.set_post_status([posts[3].id], "gone")


def test_alerts_skip_posts_removed_at_their_source(store, units, sources):
    store.sync_config(units, sources)
    posts = [_forum(i, f"第{i}楼") for i in range(1, 4)]
    store.add_posts(posts)
    store.save_analyses([_analysis(p.id, event_id="") for p in posts])
    store.set_post_status([posts[1].id], "hidden", "被管理员或版主屏蔽", SEEN)
    found, cursor = store.alert_candidates(0)
    assert [sp.post.id for sp in found] == [posts[0].id, posts[2].id]
    assert store.alert_candidates(cursor) == ([], cursor)


def test_search_follows_an_edited_text(store, units, sources):
    store.sync_config(units, sources)
    p = _forum(1, "食堂三个月没发工资")
    store.add_posts([p])
    store.save_analyses([Analysis(p.id, "negative", {"negative": 0.9}, "wages", tokens=["食堂", "没", "发", "工资"])])
    assert store.count_posts(PostQuery(text="工资")) == 1
    edited = replace(p, text="食堂四个月没发奖金", content_hash="")
    edited.content_hash = content_hash(edited.text)
    store.edit_post(edited, SEEN)
    store.save_analyses([Analysis(p.id, "negative", {"negative": 0.9}, "wages", tokens=["食堂", "没", "发", "奖金"])])
    assert store.count_posts(PostQuery(text="工资")) == 0  # the old words are not found any more
    assert store.count_posts(PostQuery(text="奖金")) == 1 and store.count_posts(PostQuery(text="食堂")) == 1
