"""Triage marks (with their history) and 专题 — for every backend."""

from __future__ import annotations

from datetime import timedelta

import pytest

from yuqing.errors import StorageError
from yuqing.schema import Analysis, Event, Subject
from yuqing.storage import PostQuery

from ...conftest import T0, make_post


def _stored(store, units, sources, n: int = 4):
    store.sync_config(units, sources)
    posts = [make_post(i, f"食堂饭菜太咸了（{i}）") for i in range(n)]
    posts.append(make_post(99, "二矿食堂也咸", source="src-b"))
    store.add_posts(posts)
    return posts


def test_a_mark_is_kept_with_who_when_and_note_and_every_change_in_history(store, units, sources):
    posts = _stored(store, units, sources)
    p = posts[0]
    got = store.set_triage("post", p.id, "watch", "jiance", note="盯一下", at=T0)
    assert (got.mark, got.actor, got.note, got.unit, got.at) == ("watch", "jiance", "盯一下", "M1-ZC", T0)
    store.set_triage("post", p.id, "handled", "ganbu1", at=T0 + timedelta(hours=1))
    (current,) = store.triage_marks("post", [p.id, posts[1].id]).values()
    assert (current.target, current.mark, current.actor, current.note) == (p.id, "handled", "ganbu1", "")
    assert current.hidden and current.label == "已处置"
    store.set_triage("post", p.id, "", "jiance", note="看错了", at=T0 + timedelta(hours=2))
    assert store.triage_marks("post", [p.id]) == {}
    history = store.triage_history("post", p.id)
    assert [(h.mark, h.actor, h.note) for h in history] == [("watch", "jiance", "盯一下"), ("handled", "ganbu1", ""),
                                                             ("", "jiance", "看错了")]
    assert [h.at for h in history] == [T0, T0 + timedelta(hours=1), T0 + timedelta(hours=2)]
    assert store.triage_history("post", posts[1].id) == []


def test_events_are_marked_apart_from_posts(store, units, sources):
    _stored(store, units, sources)
    store.upsert_events([Event("e1", "食堂太咸", unit="M1")])
    store.set_triage("event", "e1", "false_alarm", "jiance")
    assert store.triage_marks("event", ["e1"])["e1"].unit == "M1"
    assert store.triage_marks("post", ["e1"]) == {}


@pytest.mark.parametrize("kind, target, mark", [("post", "nope", "handled"), ("event", "nope", "watch"),
                                                ("thread", "x", "watch"), ("post", "P", "closed")])
def test_unknown_targets_kinds_and_marks_are_refused_and_nothing_is_written(store, units, sources, kind, target, mark):
    posts = _stored(store, units, sources)
    target = posts[0].id if target == "P" else target
    with pytest.raises(StorageError):
        store.set_triage(kind, target, mark, "jiance")
    assert store.triage_history("post", posts[0].id) == []


def test_queries_hide_handled_posts_only_when_asked(store, units, sources):
    posts = _stored(store, units, sources)
    store.set_triage("post", posts[0].id, "handled", "jiance")
    store.set_triage("post", posts[1].id, "ignored", "jiance")
    store.set_triage("post", posts[2].id, "watch", "jiance")
    everything = {p.id for p in posts}
    ids = lambda mode: {sp.post.id for sp in store.query_posts(PostQuery(triage=mode))}  # noqa: E731
    assert ids("all") == everything and {sp.post.id for sp in store.query_posts(PostQuery())} == everything
    assert ids("hide") == everything - {posts[0].id, posts[1].id}  # 关注 stays
    assert ids("only-open") == everything - {posts[0].id, posts[1].id, posts[2].id}
    assert store.count_posts(PostQuery(triage="hide", text="食堂")) == 3
    store.set_triage("post", posts[0].id, "", "jiance")  # cleared: back in every list
    assert posts[0].id in ids("hide") and posts[0].id in ids("only-open")
    with pytest.raises(StorageError):
        store.query_posts(PostQuery(triage="nope"))


def test_triage_counts_count_each_target_once_under_its_last_mark_in_the_period(store, units, sources):
    posts = _stored(store, units, sources)
    store.upsert_events([Event("e1", "食堂", unit="M1-ZC"), Event("e2", "二矿", unit="M2")])
    week = (T0, T0 + timedelta(days=7))
    store.set_triage("post", posts[0].id, "watch", "jiance", at=T0 + timedelta(hours=1))
    store.set_triage("post", posts[0].id, "handled", "jiance", at=T0 + timedelta(hours=2))  # counted as handled
    store.set_triage("post", posts[1].id, "false_alarm", "jiance", at=T0 + timedelta(days=1))
    store.set_triage("post", posts[2].id, "ignored", "jiance", at=T0 + timedelta(days=1))
    store.set_triage("post", posts[2].id, "", "jiance", at=T0 + timedelta(days=2))  # cleared: not counted
    store.set_triage("post", posts[3].id, "handled", "jiance", at=T0 + timedelta(days=8))  # next week
    store.set_triage("post", posts[4].id, "handled", "ganbu2", at=T0 + timedelta(days=3))  # 二矿
    store.set_triage("event", "e1", "watch", "jiance", at=T0 + timedelta(days=3))
    store.set_triage("event", "e2", "ignored", "jiance", at=T0 + timedelta(days=3))
    assert store.triage_counts(*week) == {"post": {"handled": 2, "false_alarm": 1}, "event": {"watch": 1, "ignored": 1}}
    assert store.triage_counts(*week, units={"M1", "M1-ZC"}) == {"post": {"handled": 1, "false_alarm": 1},
                                                                  "event": {"watch": 1}}
    assert store.triage_counts(*week, units=set()) == {"post": {}, "event": {}}


def test_issue_watermarks_for_the_new_alert_badge(store, units, sources):
    from yuqing.casework.model import Issue

    store.sync_config(units, sources)
    assert store.max_issue_id() == 0
    a = store.create_issue(Issue(title="一矿", unit="M1", created_at=T0))
    b = store.create_issue(Issue(title="二矿", unit="M2", created_at=T0 - timedelta(days=3)))  # raised later, dated earlier
    assert store.max_issue_id() == b and store.max_issue_id({"M1"}) == a and store.max_issue_id(set()) == 0
    assert store.count_issues(after_id=a) == 1 and store.count_issues(after_id=a, units={"M1"}) == 0
    assert store.count_issues(after_id=0) == 2


def test_subjects_are_saved_listed_by_scope_updated_with_a_version_and_deleted(store, units, sources):
    store.sync_config(units, sources)
    org = store.save_subject(Subject(name="工资拖欠", query="工资 AND (拖欠 OR 晚发)", units=["M1"], sources=["src-a"],
                                     owner="jiance"))
    mine = store.save_subject(Subject(name="二矿食堂", query="食堂", unit="M2", owner="ganbu2"))
    assert org.id and mine.id and org.id != mine.id and org.version == 1 and org.created_at is not None
    assert store.get_subject(org.id) == org
    assert [s.name for s in store.list_subjects()] == ["二矿食堂", "工资拖欠"]
    assert [s.name for s in store.list_subjects({"M1", "M1-ZC"})] == ["工资拖欠"]  # the organisation's only
    assert [s.name for s in store.list_subjects({"M2"})] == ["二矿食堂", "工资拖欠"]
    assert [s.name for s in store.list_subjects(set())] == ["工资拖欠"]
    edited = store.save_subject(Subject(**{**org.__dict__, "query": "工资 拖欠", "rule": "zhuanti-1"}))
    assert (edited.version, edited.query, edited.rule, edited.units) == (2, "工资 拖欠", "zhuanti-1", ["M1"])
    with pytest.raises(StorageError, match="已被他人更新"):
        store.save_subject(Subject(**{**org.__dict__, "name": "旧页面"}))  # read at version 1
    assert store.get_subject(org.id).name == "工资拖欠"
    assert store.delete_subject(mine.id) is True and store.delete_subject(mine.id) is False
    assert store.get_subject(mine.id) is None and [s.id for s in store.list_subjects()] == [org.id]


def test_a_triaged_post_keeps_its_analysis_and_search(store, units, sources):
    posts = _stored(store, units, sources)
    store.save_analyses([Analysis(posts[0].id, "negative", {"negative": 0.9, "neutral": 0.05, "positive": 0.05},
                                  "living")])
    store.set_triage("post", posts[0].id, "watch", "jiance")
    (sp,) = store.query_posts(PostQuery(ids=[posts[0].id], triage="hide"))
    assert sp.analysis is not None and sp.analysis.topic == "living"
