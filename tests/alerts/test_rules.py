from datetime import timedelta

from yuqing.alerts.rules import RULE_TYPES, RuleContext
from yuqing.schema import Source, SourceKind

from .factory import sp


def rule(type_, options, **top):
    return RULE_TYPES[type_]({"name": f"t_{type_}", "type": type_, "severity": "medium", type_: options, **top})


def run(r, new, history=None):
    history = sorted(history if history is not None else new, key=lambda p: p.post.created_at)
    return r.evaluate(new, RuleContext(history=history, now=max(p.post.created_at for p in new)))


def test_keyword_min_posts_counts_within_window_per_event():
    r = rule("keyword", {"query": "欠薪 OR 拖欠", "min_posts": 3, "window": "1d", "group_by": "event"},
             filter={"sentiment": ["negative"]})
    posts = [sp(i, f"又欠薪了{i}", hours=i, sentiment="negative", event="e1") for i in range(3)]
    posts.append(sp(9, "拖欠工资", hours=1, sentiment="positive", event="e1"))  # filtered out (not negative)
    posts.append(sp(10, "欠薪", hours=2, sentiment="negative", event="e2"))  # other event: only 1
    (m,) = run(r, posts)
    assert sorted(m.post_ids) == sorted(p.post.id for p in posts[:3])
    assert m.severity == "medium" and "欠薪" in m.reason
    far = [sp(i, "欠薪", hours=i * 30, sentiment="negative", event="e1") for i in range(3)]
    assert run(r, far) == []


def test_lasting_condition_is_one_episode():
    r = rule("frequency", {"count": 3, "window": "6h"})
    posts = [sp(i, hours=i * 0.5) for i in range(20)]  # 10 hours of steady chatter in one unit
    (m,) = run(r, posts)
    assert len(m.post_ids) == 20


def test_spike_needs_ratio_and_minimum_count():
    r = rule("spike", {"window": "1d", "baseline": "7d", "threshold": 3, "min_count": 10})
    baseline = [sp(i, hours=-24 * (1 + i % 7) - (i % 5), unit="M1") for i in range(21)]  # 3/day for a week
    spike = [sp(100 + i, hours=i * 0.5, unit="M1") for i in range(12)]  # 12 today
    (m,) = run(r, spike, baseline + spike)
    assert len(m.post_ids) >= 10 and "倍" in m.reason
    small = [sp(200 + i, hours=i, unit="M2") for i in range(6)]  # 6 from nothing: ratio high, count too low
    assert run(r, small, small) == []
    flat = [sp(300 + i, hours=-24 * (1 + i % 7) - (i % 5), unit="M3") for i in range(70)]  # 10/day baseline
    today = [sp(400 + i, hours=i, unit="M3") for i in range(12)]
    assert run(r, today, flat + today) == []


def test_spike_on_negative_share():
    r = rule("spike", {"window": "1d", "baseline": "7d", "threshold": 2, "min_count": 5, "measure": "negative_share"})
    base = [sp(i, hours=-30 - i, sentiment="negative" if i % 10 == 0 else "neutral") for i in range(40)]
    today = [sp(100 + i, hours=i, sentiment="negative" if i < 8 else "neutral") for i in range(10)]
    (m,) = run(r, today, base + today)
    assert len(m.post_ids) == 8 and "负面占比" in m.reason


def test_negative_ratio_needs_min_count():
    r = rule("negative_ratio", {"window": "1d", "threshold": 0.6, "min_count": 10})
    few = [sp(i, hours=i, sentiment="negative") for i in range(5)]
    assert run(r, few) == []
    many = [sp(i, hours=i * 0.1, sentiment="negative" if i % 4 else "neutral") for i in range(12)]
    (m,) = run(r, many)
    assert len(m.post_ids) == 9


def test_risk_and_engagement():
    r = rule("risk", {"levels": ["high"]})
    posts = [sp(1, risk="high"), sp(2, risk="medium"), sp(3)]
    assert [m.post_ids for m in run(r, posts)] == [[posts[0].post.id]]
    r2 = rule("risk", {"levels": ["high", "medium"]})
    assert len(run(r2, posts)) == 2
    e = rule("engagement", {"min_likes": 50})
    posts = [sp(1, sentiment="negative", likes=80), sp(2, sentiment="positive", likes=500), sp(3, sentiment="negative", likes=3)]
    (m,) = run(e, posts)
    assert m.post_ids == [posts[0].post.id] and "80" in m.reason


def test_emerging_event_and_term():
    r = rule("emerging", {"by": "event", "window": "1d", "baseline": "2d", "min_count": 4})
    old = [sp(i, hours=-60 + i) for i in range(3)]
    new = [sp(10 + i, hours=i, event="e9") for i in range(5)]
    (m,) = run(r, new, old + new)
    assert m.event_id == "e9" and len(m.post_ids) == 5
    t = rule("emerging", {"by": "term", "window": "1d", "baseline": "4d", "min_count": 4, "threshold": 3})
    base = [sp(i, hours=-30 - i * 10, keywords=["食堂"]) for i in range(4)]
    new = [sp(50 + i, hours=i, keywords=["停车场"]) for i in range(5)]
    (m,) = run(t, new, base + new)
    assert "停车场" in m.reason


def test_flatline_flags_quiet_source_only():
    r = rule("flatline", {"quiet_for": "2d", "baseline": "7d", "min_count": 5})
    busy = [sp(i, hours=-24 * 5 + i, source="quiet") for i in range(8)]
    alive = [sp(100 + i, hours=i, source="alive") for i in range(8)]
    sources = [Source("quiet", "一矿职工群", SourceKind.WECHAT_GROUP), Source("alive", "二矿群", SourceKind.WECHAT_GROUP)]
    hist = sorted(busy + alive, key=lambda p: p.post.created_at)
    (m,) = r.evaluate(alive, RuleContext(history=hist, now=alive[-1].post.created_at, sources=sources))
    assert m.kind == "source_health" and "一矿职工群" in m.reason and m.key == "flatline:quiet"
    assert r.lookback() == timedelta(days=9)


def test_seasonal_spike_compares_same_weekday_and_hours():
    r = rule("spike", {"window": "6h", "baseline": "3w", "threshold": 3, "min_count": 5, "seasonal": True})
    # every Monday morning the group is busy (8 posts), the rest of the week quiet
    mondays = [sp(1000 + w * 10 + i, hours=-24 * 7 * w + i * 0.5) for w in (1, 2, 3) for i in range(8)]
    today = [sp(2000 + i, hours=i * 0.5) for i in range(9)]
    assert run(r, today, mondays + today) == []  # a normal Monday
    plain = rule("spike", {"window": "6h", "baseline": "3w", "threshold": 3, "min_count": 5})
    assert len(run(plain, today, mondays + today)) == 1  # without seasonality it looks like a spike
    busy = [sp(3000 + i, hours=i * 0.2) for i in range(30)]
    assert len(run(r, busy, mondays + busy)) == 1


def test_forwarded_copies_count_once():
    r = rule("risk", {"levels": ["high"], "min_posts": 2, "window": "1d", "group_by": "event"})
    copies = [sp(i, "周日早上八点集合", hours=i, risk="high", event="e1", source=f"s{i}") for i in range(3)]
    assert run(r, copies) == []
    (m,) = run(r, copies + [sp(9, "明天都去矿门口", hours=4, risk="high", event="e1")])
    assert len(m.post_ids) == 4


def test_flatline_respects_its_filter():
    r = rule("flatline", {"quiet_for": "2d", "baseline": "7d", "min_count": 5}, filter={"source_kind": ["forum"]})
    busy = [sp(i, hours=-24 * 5 + i, source="quiet") for i in range(8)]  # a chat group, not a forum
    alive = [sp(100 + i, hours=i, source="alive") for i in range(8)]
    hist = sorted(busy + alive, key=lambda p: p.post.created_at)
    assert r.evaluate(alive, RuleContext(history=hist, now=alive[-1].post.created_at)) == []
