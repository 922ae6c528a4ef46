from yuqing.nlp.analyzer import Analyzer, run_analyze
from yuqing.schema import SourceKind
from yuqing.storage import PostQuery

from ..conftest import make_post


def test_analyze_texts_fields(small_models):
    a = Analyzer(small_models)
    (r,) = a.analyze_texts(["三个月没发工资了，明天大家一起到矿部门口讨个说法"])
    assert r["sentiment"] == "negative"
    assert abs(sum(r["sentiment_scores"].values()) - 1) < 1e-9
    assert r["topic"] == "wages" and r["topics"][0] == "wages"
    assert r["risk"] == "high" and r["risk_reasons"]
    assert r["keywords"] and all(k in r["tokens"] for k in r["keywords"])
    assert r["simhash"] > 0


def test_near_miss_is_not_high_risk(small_models):
    (r,) = Analyzer(small_models).analyze_texts(["下班路上堵车了，晚点到"])
    assert r["risk"] != "high"


def test_run_analyze_saves_analyses_events_and_search_tokens(store, sources, units, small_models):
    store.sync_config(units, sources)
    posts = [
        make_post(1, "综采一队三个月没发工资了，有人管吗", source="src-a"),
        make_post(2, "综采一队工资拖欠三个月了，大家说怎么办", source="src-b", kind=SourceKind.WECHAT_GROUP,
                  minutes=60 * 24),
        make_post(3, "职工运动会拔河比赛我们队赢了[强]", source="src-a"),
    ]
    store.add_posts(posts)
    summary = run_analyze(store, analyzer=Analyzer(small_models), batch=2)
    assert summary.analyzed == 3
    assert store.count_posts(PostQuery(analyzed=False)) == 0
    got = {sp.post.id: sp.analysis for sp in store.query_posts(PostQuery(limit=10))}
    a1, a2, a3 = (got[p.id] for p in posts)
    assert a1.event_id and a1.event_id == a2.event_id != a3.event_id
    ev = store.get_event(a1.event_id)
    assert ev.size == 2 and ev.topic == "wages"
    assert summary.events_new == 2 and "analyzed 3 posts" in summary.summary()
    hits = store.query_posts(PostQuery(text="综采一队", limit=10))
    assert {sp.post.id for sp in hits} == {posts[0].id, posts[1].id}
    # a second run has nothing to do
    assert run_analyze(store, analyzer=Analyzer(small_models)).analyzed == 0
