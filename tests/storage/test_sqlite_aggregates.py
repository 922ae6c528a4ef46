from __future__ import annotations

from datetime import timedelta

from yuqing.casework.model import Issue
from yuqing.schema import Analysis, SourceKind
from yuqing.storage import PostQuery

from ..conftest import T0, make_post


def _fill(store, units, sources):
    store.sync_config(units, sources)
    posts = [make_post(i, source="src-a" if i % 2 else "src-b", minutes=i * 360,
                       kind=SourceKind.FORUM if i % 3 == 0 else SourceKind.WECHAT_GROUP) for i in range(1, 21)]
    store.add_posts(posts)
    store.save_analyses([
        Analysis(p.id, "negative" if i % 4 == 0 else "neutral", {}, "wages" if i % 2 else "living",
                 risk="high" if i % 8 == 0 else "none", keywords=["工资", f"词{i % 3}"], event_id="e1" if i < 5 else "")
        for i, p in enumerate(posts, 1)])
    return posts


def test_counts_match_the_rows_and_respect_scope(store, units, sources):
    posts = _fill(store, units, sources)
    every = store.overview_counts(PostQuery())
    assert every["total"] == 20 and every["negative"] == 5 and every["high_risk"] == 2
    m2 = store.overview_counts(PostQuery(units={"M2"}))
    assert m2["total"] == 10 and m2["negative"] == 5  # the negatives are the even i → src-b
    assert store.overview_counts(PostQuery(units=set()))["total"] == 0
    by_unit = {r["unit"]: r for r in store.sentiment_by_unit(PostQuery())}
    assert by_unit["M1-ZC"]["total"] == 10 and by_unit["M1-ZC"]["negative"] == 0
    assert [r["unit"] for r in store.sentiment_by_unit(PostQuery(units={"M1-ZC"}))] == ["M1-ZC"]
    kinds = {r["source_kind"]: r["total"] for r in store.negative_share_by_source_kind(PostQuery())}
    assert kinds == {"forum": 6, "wechat_group": 14}
    topics = {r["topic"]: r["total"] for r in store.topic_mix(PostQuery(units={"M2"}))}
    assert topics == {"living": 10}
    since = posts[10].created_at
    assert store.overview_counts(PostQuery(since=since))["total"] == 10


def test_volume_by_day_uses_local_days(store, units, sources):
    _fill(store, units, sources)
    days = store.volume_by_day(PostQuery())
    assert sum(d["total"] for d in days) == 20
    assert days[0]["day"] == (T0 + timedelta(minutes=360)).date().isoformat()
    assert [d["day"] for d in days] == sorted(d["day"] for d in days)
    assert sum(d["total"] for d in store.volume_by_day(PostQuery(), utc_offset_seconds=0)) == 20
    late = store.volume_by_day(PostQuery(since=T0 + timedelta(minutes=5 * 360)), utc_offset_seconds=0)
    # post 5 is 2026-11-03 15:00 +08 = 07:00 UTC; post 7 at 03:00 +08 on the 4th is still the 3rd in UTC
    assert [d["total"] for d in late[:2]] == [3, 4]
    assert [d["total"] for d in store.volume_by_day(PostQuery(since=T0 + timedelta(minutes=5 * 360)))[:2]] == [2, 4]


def test_terms_events_sources_and_issue_scope(store, units, sources):
    posts = _fill(store, units, sources)
    terms = store.term_counts(PostQuery(units={"M2"}))
    assert terms["工资"] == 10 and sum(v for k, v in terms.items() if k.startswith("词")) == 10
    (ev,) = store.event_activity(PostQuery())
    assert ev["event_id"] == "e1" and ev["posts"] == 4 and ev["negative"] == 1
    store.record_source_failure("src-b", "http://x", "timeout")
    health = {h["id"]: h for h in store.source_health()}
    assert health["src-b"]["failures"] == 1 and health["src-b"]["last_error"] == "timeout"
    assert health["src-a"]["total_posts"] == 10 and health["src-a"]["last_post_at"] == posts[18].created_at
    assert [h["id"] for h in store.source_health(units={"M2"})] == ["src-b"]
    iid = store.create_issue(Issue(title="x", unit="M1"), [posts[0].id, posts[1].id])
    store.create_issue(Issue(title="y", unit="M2"))
    assert [i.title for i in store.recent_issues(units={"M1"})] == ["x"]
    assert [i.title for i in store.recent_issues()] == ["y", "x"]
    scoped = store.scoped_issue_posts(iid, {"M1-ZC"})
    assert [sp.post.id for sp in scoped] == [posts[0].id]  # posts[1] is in M2
    assert len(store.scoped_issue_posts(iid, None)) == 2
    store.add_label(posts[0].id, "sentiment", "negative", "jiance")
    assert store.post_labels(posts[0].id)[0]["actor"] == "jiance"


def test_breakdown_equals_the_separate_aggregations(store, units, sources):
    posts = _fill(store, units, sources)
    for q in (PostQuery(), PostQuery(units={"M2"}), PostQuery(since=posts[7].created_at), PostQuery(units=set())):
        b = store.breakdown(q)
        assert b["counts"] == store.overview_counts(q)
        assert b["by_unit"] == store.sentiment_by_unit(q)
        assert b["by_kind"] == store.negative_share_by_source_kind(q)
        assert b["topics"] == store.topic_mix(q)
    assert store.breakdown(PostQuery())["by_kind"][0]["total"] == 14
