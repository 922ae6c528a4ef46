"""The dashboard's and digests' aggregations — for every backend."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from yuqing.casework.model import Issue
from yuqing.schema import Analysis, SourceKind
from yuqing.storage import PostQuery

from ...conftest import T0, make_post


def _fill(store, units, sources):
    store.sync_config(units, sources)
    posts = [make_post(i, source="src-a" if i % 2 else "src-b", minutes=i * 360, likes=i % 5,
                       kind=SourceKind.FORUM if i % 3 == 0 else SourceKind.WECHAT_GROUP) for i in range(1, 21)]
    store.add_posts(posts)
    store.save_analyses([
        Analysis(p.id, "negative" if i % 4 == 0 else "neutral", {"negative": i / 40}, "wages" if i % 2 else "living",
                 risk="high" if i % 8 == 0 else "none", keywords=["工资", f"词{i % 3}"], event_id="e1" if i < 5 else "")
        for i, p in enumerate(posts, 1)])
    return posts


def test_counts_match_the_rows_and_respect_scope(store, units, sources):
    posts = _fill(store, units, sources)
    every = store.overview_counts(PostQuery())
    assert every == {"total": 20, "negative": 5, "neutral": 15, "positive": 0, "high_risk": 2}
    m2 = store.overview_counts(PostQuery(units={"M2"}))
    assert m2["total"] == 10 and m2["negative"] == 5
    assert store.overview_counts(PostQuery(units=set()))["total"] == 0
    by_unit = {r["unit"]: r for r in store.sentiment_by_unit(PostQuery())}
    assert by_unit["M1-ZC"]["total"] == 10 and by_unit["M1-ZC"]["negative"] == 0
    assert [r["unit"] for r in store.sentiment_by_unit(PostQuery(units={"M1-ZC"}))] == ["M1-ZC"]
    kinds = {r["source_kind"]: r["total"] for r in store.negative_share_by_source_kind(PostQuery())}
    assert kinds == {"forum": 6, "wechat_group": 14}
    assert {r["topic"]: r["total"] for r in store.topic_mix(PostQuery(units={"M2"}))} == {"living": 10}
    assert store.overview_counts(PostQuery(since=posts[10].created_at))["total"] == 10


def test_volume_by_day_uses_local_days(store, units, sources):
    _fill(store, units, sources)
    days = store.volume_by_day(PostQuery())
    assert sum(d["total"] for d in days) == 20
    assert days[0]["day"] == (T0 + timedelta(minutes=360)).date().isoformat()
    assert [d["day"] for d in days] == sorted(d["day"] for d in days)
    since = T0 + timedelta(minutes=5 * 360)
    assert [d["total"] for d in store.volume_by_day(PostQuery(since=since), utc_offset_seconds=0)[:2]] == [3, 4]
    assert [d["total"] for d in store.volume_by_day(PostQuery(since=since))[:2]] == [2, 4]


def test_terms_events_sources_and_issue_scope(store, units, sources):
    posts = _fill(store, units, sources)
    terms = store.term_counts(PostQuery(units={"M2"}))
    assert terms["工资"] == 10 and sum(v for k, v in terms.items() if k.startswith("词")) == 10
    assert list(store.term_counts(PostQuery(), limit=1)) == ["工资"]
    (ev,) = store.event_activity(PostQuery())
    assert ev["event_id"] == "e1" and ev["posts"] == 4 and ev["negative"] == 1
    assert ev["last_at"] == posts[3].created_at
    store.record_source_failure("src-b", "http://x", "timeout")
    health = {h["id"]: h for h in store.source_health()}
    assert health["src-b"]["failures"] == 1 and health["src-b"]["last_error"] == "timeout"
    assert health["src-a"]["total_posts"] == 10 and health["src-a"]["last_post_at"] == posts[18].created_at
    assert health["src-a"]["failures"] == 0 and health["src-a"]["last_error"] is None
    assert [h["id"] for h in store.source_health(units={"M2"})] == ["src-b"]
    assert store.source_health(units=set()) == []
    iid = store.create_issue(Issue(title="x", unit="M1"), [posts[0].id, posts[1].id])
    store.create_issue(Issue(title="y", unit="M2"))
    assert [i.title for i in store.recent_issues(units={"M1"})] == ["x"]
    assert [i.title for i in store.recent_issues()] == ["y", "x"]
    assert [sp.post.id for sp in store.scoped_issue_posts(iid, {"M1-ZC"})] == [posts[0].id]
    assert len(store.scoped_issue_posts(iid, None)) == 2
    store.add_label(posts[0].id, "sentiment", "negative", "jiance")
    assert store.post_labels(posts[0].id)[0]["actor"] == "jiance"


def test_digest_queries(store, units, sources):
    _fill(store, units, sources)
    mon = datetime(2026, 11, 2, tzinfo=timezone.utc)
    old = store.create_issue(Issue(title="old", unit="M1", event_id="e1", created_at=mon - timedelta(days=10)))
    new = store.create_issue(Issue(title="new", unit="M2", created_at=mon + timedelta(days=1)))
    gone = store.create_issue(Issue(title="gone", unit="M2", status="closed", created_at=mon - timedelta(days=9),
                                    closed_at=mon - timedelta(days=1)))
    store.create_issue(Issue(title="health", kind="source_health", created_at=mon + timedelta(days=1)))
    week = (mon, mon + timedelta(days=7))
    assert [i.id for i in store.digest_issues(*week)] == [old, new]
    assert [i.id for i in store.digest_issues(mon - timedelta(days=7), mon)] == [old, gone]
    assert [i.id for i in store.digest_issues(*week, units={"M2"})] == [new] and store.digest_issues(*week, set()) == []
    found = store.issues_for_events(["e1", "e_none", ""])
    assert list(found) == ["e1"] and found["e1"].id == old
    got = store.representative_posts(PostQuery(limit=4))
    assert [sp.post.native_id for sp in got[:2]] == ["16", "8"]  # high risk, most negative first
    assert got[2].analysis.sentiment_scores["negative"] >= got[3].analysis.sentiment_scores["negative"]
    assert len(store.representative_posts(PostQuery(units={"M1-ZC"}, limit=50))) == 10


def test_breakdown_matches_the_single_aggregations(store, units, sources):
    _fill(store, units, sources)
    for q in (PostQuery(), PostQuery(units={"M2"}), PostQuery(since=T0 + timedelta(days=2))):
        b = store.breakdown(q)
        assert b["counts"] == store.overview_counts(q)
        assert b["by_unit"] == store.sentiment_by_unit(q)
        assert b["by_kind"] == store.negative_share_by_source_kind(q)
        assert b["topics"] == store.topic_mix(q)


def test_issue_activity_and_shared_posts(store, units, sources):
    posts = _fill(store, units, sources)
    a = store.create_issue(Issue(title="a", unit="M1"), [p.id for p in posts[:4]])  # i=1..4: one negative
    b = store.create_issue(Issue(title="b", unit="M2"), [p.id for p in posts[3:12]])  # i=4..12: 4, 8, 12 negative
    h = store.create_issue(Issue(title="h", kind="source_health"), [posts[0].id])
    rows = store.issue_activity(PostQuery())
    assert [r["issue_id"] for r in rows] == [b, a]
    assert (rows[0]["posts"], rows[0]["negative"], rows[0]["high_risk"]) == (9, 3, 1)
    assert rows[1]["first_at"] == posts[0].created_at and rows[1]["last_at"] == posts[3].created_at
    assert [r["issue_id"] for r in store.issue_activity(PostQuery(), kind="source_health")] == [h]
    assert [r["issue_id"] for r in store.issue_activity(PostQuery(units={"M1-ZC"}), limit=1)] == [b]  # 4 posts vs 2
    assert store.issue_post_ids(a) == sorted(p.id for p in posts[:4])
    assert store.open_issues_sharing_posts([posts[3].id, posts[0].id, "nope"]) == {a: 2, b: 1}
    closed = store.get_issue(b)
    closed.status = "closed"
    store.update_issue(closed, actor="li", action="closed")
    assert store.open_issues_sharing_posts([posts[3].id]) == {a: 1}
    assert store.open_issues_sharing_posts([]) == {}
    assert store.events_with_issue_posts(["e1", "e2", ""]) == {"e1"}
