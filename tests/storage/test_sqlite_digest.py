from datetime import timedelta

from tests.digest.conftest import MON, build_world
from yuqing.storage.base import PostQuery


def test_digest_issues_are_those_alive_in_the_period(tmp_path):
    w = build_world(tmp_path)
    ids = {i.id for i in w.store.digest_issues(MON, MON + timedelta(days=7))}
    # raised this week, closed this week, and the old one still open; not the source-health one
    assert ids == {w.issues["wage"], w.issues["canteen"], w.issues["old"]}
    before = {i.id for i in w.store.digest_issues(MON - timedelta(days=7), MON)}
    assert before == {w.issues["old"]}
    # closed before the period starts: gone
    later = {i.id for i in w.store.digest_issues(MON + timedelta(days=14), MON + timedelta(days=21))}
    assert w.issues["canteen"] not in later and w.issues["wage"] in later


def test_digest_issues_respect_unit_scope(tmp_path):
    w = build_world(tmp_path)
    m1 = w.store.digest_issues(MON, MON + timedelta(days=7), {"M1"})
    assert [i.id for i in m1] == [w.issues["wage"]]
    assert m1[0].post_count == 10
    assert w.store.digest_issues(MON, MON + timedelta(days=7), set()) == []


def test_issues_for_events(tmp_path):
    w = build_world(tmp_path)
    found = w.store.issues_for_events(["e_wage", "e_none", ""])
    assert list(found) == ["e_wage"] and found["e_wage"].id == w.issues["wage"]


def test_issue_activity_counts_issue_posts_in_the_period(tmp_path):
    w = build_world(tmp_path)
    week = PostQuery(since=MON, until=MON + timedelta(days=7))
    acts = w.store.issue_activity(week)
    wage = [r for r in w.rows if r.event_id == "e_wage"]
    assert [a["issue_id"] for a in acts] == [w.issues["wage"], w.issues["canteen"]]  # most negative first
    assert acts[0]["posts"] == len(wage) and acts[0]["negative"] == sum(r.sentiment == "negative" for r in wage)
    assert acts[0]["first_at"] == min(r.post.created_at for r in wage)
    assert w.store.issue_activity(PostQuery(since=MON - timedelta(days=7), until=MON)) == []
    assert w.store.issue_activity(PostQuery(since=MON, until=MON + timedelta(days=7), units={"M2"}))[0]["issue_id"] \
        == w.issues["canteen"]
    assert sorted(w.store.issue_post_ids(w.issues["wage"])) == sorted(r.post.id for r in wage)


def test_events_with_issue_posts(tmp_path):
    w = build_world(tmp_path)
    assert w.store.events_with_issue_posts(["e_wage", "e_canteen", "e_bus", ""]) == {"e_wage", "e_canteen"}


def test_representative_posts_put_high_risk_negative_first(tmp_path):
    w = build_world(tmp_path)
    got = w.store.representative_posts(PostQuery(topics=["wages"], since=MON, until=MON + timedelta(days=7), limit=4))
    assert len(got) == 4
    assert [sp.analysis.risk for sp in got[:2]] == ["high", "high"]
    assert all(sp.analysis.sentiment == "negative" for sp in got)
