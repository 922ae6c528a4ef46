from datetime import timezone

from yuqing.alerts.grouping import group_matches, strong_events
from yuqing.alerts.rules import Match

from .factory import T0, sp


def match(rule, posts, severity="medium", **kw):
    return Match(rule=rule, post_ids=[p.post.id for p in posts], severity=severity, at=T0, reason=rule, **kw)


def test_matches_sharing_an_event_become_one_draft_with_the_highest_severity():
    a = [sp(i, event="e1") for i in range(4)] + [sp(9, event="e2")]
    b = [sp(10 + i, event="e2") for i in range(3)] + [sp(20 + i, event="e1") for i in range(2)]
    index = {p.post.id: p for p in a + b}
    (d,) = group_matches([match("r1", a), match("r2", b, "high")], index, timezone.utc)
    assert d.event_id == "e1" and d.related_events == ["e2"]
    assert d.severity == "high" and d.rules == ["r1", "r2"] and len(d.post_ids) == 10


def test_one_post_events_do_not_define_an_issue():
    posts = [sp(i, event=f"solo{i}", topic="living", unit="M2") for i in range(6)]
    assert strong_events(posts) == []
    index = {p.post.id: p for p in posts}
    (d,) = group_matches([match("r", posts[:3], topic="living", unit="M2"),
                          match("q", posts[3:], topic="living", unit="M2")], index, timezone.utc)
    assert d.event_id == "" and d.group_key == "living|M2|2026-W45" and len(d.post_ids) == 6


def test_source_health_uses_its_own_key():
    p = sp(1, event="e1")
    (d,) = group_matches([match("quiet", [p], kind="source_health", key="flatline:src")], {p.post.id: p},
                         timezone.utc)
    assert d.group_key == "flatline:src" and d.kind == "source_health" and d.event_id == ""


def test_matches_sharing_posts_merge_whatever_their_order():
    wage = [sp(i, event=f"s{i}", unit=("M1", "M2", "")[i % 3], topic="wages") for i in range(9)]
    spike_m2 = [p for p in wage if p.unit == "M2"] + [sp(50, event="s50", unit="M2")]
    index = {p.post.id: p for p in wage + spike_m2}
    ms = [match("spike", spike_m2, unit="M2", topic="wages"), match("wage", wage, "high", topic="wages", unit="M1")]
    (d,) = group_matches(ms, index, timezone.utc)
    assert d.severity == "high" and set(d.rules) == {"spike", "wage"} and len(d.post_ids) == 10
    unrelated = [sp(60 + i, event=f"u{i}", unit="M2", topic="safety") for i in range(4)]
    index.update({p.post.id: p for p in unrelated})
    assert len(group_matches([*ms, match("spike", unrelated, unit="M2", topic="safety")], index, timezone.utc)) == 2


def test_lone_post_in_a_real_event_joins_it():
    big = [sp(i, event="e1") for i in range(3)]
    lone = sp(10, event="e1", likes=500)
    index = {p.post.id: p for p in [*big, lone]}
    (d,) = group_matches([match("wage", big), match("hot", [lone])], index, timezone.utc, {"e1": 4})
    assert d.event_id == "e1" and len(d.post_ids) == 4
