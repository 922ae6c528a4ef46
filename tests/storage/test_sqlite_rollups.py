"""The rollups (migration 0016) answer the all-units period views exactly as counting the posts
does, through every way posts change: import, analysis, re-analysis, edits, removals and
restores, a source moved to another unit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from yuqing.schema import Analysis, SourceKind
from yuqing.storage import PostQuery
from yuqing.storage.sqlite import aggregates as agg
from yuqing.storage.sqlite.sql import rollable, split_period

from ..conftest import T0, make_post


def test_split_period_whole_buckets_and_edges():
    assert split_period(3600, 7200, 3600) == ((1, 2), [])
    assert split_period(3601, 7300, 3600) == (None, [(3601, 7300)])  # no whole hour inside
    assert split_period(3599, 10801, 3600) == ((1, 3), [(3599, 3600), (10800, 10801)])
    assert split_period(100, None, 3600) == ((1, None), [(100, 3600)])
    assert split_period(500, 500, 3600) == (None, [])


def test_only_plain_all_unit_periods_are_rolled():
    assert rollable(PostQuery(since=T0))
    assert not rollable(PostQuery())  # no period
    assert not rollable(PostQuery(since=T0, units={"M1"}))
    assert not rollable(PostQuery(since=T0, text="工资"))
    assert not rollable(PostQuery(since=T0, sentiments=("negative",)))
    assert not rollable(PostQuery(since=T0, include_removed=True))


def _views(store, q):
    return {"breakdown": store.breakdown(q), "days+8": store.volume_by_day(q),
            "days0": store.volume_by_day(q, utc_offset_seconds=0), "topics": store.topic_mix(q),
            "units": store.sentiment_by_unit(q), "counts": store.overview_counts(q),
            "terms": store.term_counts(q, 1000),
            "events": sorted((e["event_id"], e["posts"], e["negative"], e["last_at"]) for e in store.event_activity(q))}


def _same_as_counting(store, monkeypatch, periods):
    """The rolled views of each period equal the counted ones; returns the first period's."""
    first = None
    for since, until in periods:
        q = PostQuery(since=since, until=until)
        assert rollable(q)
        rolled = _views(store, q)
        with monkeypatch.context() as m:
            m.setattr(agg, "rollable", lambda q: False)
            counted = _views(store, q)
        assert rolled == counted, (since, until)
        first = first or rolled
    return first


def test_rollups_follow_every_change_of_the_posts(store, units, sources, monkeypatch):
    store.sync_config(units, sources)
    posts = [make_post(i, f"第{i}条：工资和食堂", source="src-a" if i % 3 else "src-b", minutes=i * 97 + i % 7,
                       kind=SourceKind.FORUM if i % 5 == 0 else SourceKind.WECHAT_GROUP) for i in range(1, 121)]
    store.add_posts(posts)
    periods = [(T0, None), (T0 + timedelta(minutes=31, seconds=7), T0 + timedelta(days=3, minutes=13)),
               (T0 + timedelta(hours=5), T0 + timedelta(hours=29)), (T0 + timedelta(days=2, minutes=1), None),
               (T0 + timedelta(minutes=100), T0 + timedelta(minutes=250))]
    before = _same_as_counting(store, monkeypatch, periods)
    assert before["breakdown"]["counts"]["total"] > 0 and before["topics"] == []  # nothing analysed yet

    def analyse(sentiment_of):
        store.save_analyses([Analysis(p.id, sentiment_of(i), {}, ("wages", "living", "safety")[i % 3],
                                      risk="high" if i % 11 == 0 else "none", keywords=["工资", f"词{i % 4}"],
                                      event_id=f"e{i % 6}" if i % 4 else "") for i, p in enumerate(posts, 1)])

    analyse(lambda i: "negative" if i % 4 == 0 else "neutral")
    full = _same_as_counting(store, monkeypatch, periods)
    assert full["topics"] and full["events"] and full["terms"]["工资"] > 0
    analyse(lambda i: "positive" if i % 2 else "negative")  # re-analysis moves every count
    _same_as_counting(store, monkeypatch, periods)

    store.set_post_status([p.id for p in posts[:30:2]], "deleted", "版主删除")
    removed = _same_as_counting(store, monkeypatch, periods)
    assert removed["breakdown"]["counts"]["total"] == full["breakdown"]["counts"]["total"] - 15
    store.set_post_status([posts[0].id], "hidden")  # deleted → hidden: still not live
    store.set_post_status([posts[2].id], "live")  # restored
    _same_as_counting(store, monkeypatch, periods)

    edited = make_post(7, "第7条：改过的内容", source=posts[6].source_id, minutes=7 * 97 + 0, kind=posts[6].source_kind)
    assert store.edit_post(edited, T0 + timedelta(days=9))  # an edit clears the post's analysis
    store.assign_source("src-b", "M1")  # a chat moved to another unit: its posts' unit changes
    after = _same_as_counting(store, monkeypatch, periods)
    assert "M2" not in {r["unit"] for r in after["units"]}


@pytest.mark.parametrize("offset_hours", [8, 0, -5])
def test_local_days_from_hours(store, units, sources, monkeypatch, offset_hours):
    store.sync_config(units, sources)
    store.add_posts([make_post(i, minutes=i * 41) for i in range(1, 200)])
    q = PostQuery(since=T0 + timedelta(minutes=13))
    rolled = store.volume_by_day(q, utc_offset_seconds=offset_hours * 3600)
    monkeypatch.setattr(agg, "rollable", lambda q: False)
    assert rolled == store.volume_by_day(q, utc_offset_seconds=offset_hours * 3600)
    assert sum(d["total"] for d in rolled) == 199
