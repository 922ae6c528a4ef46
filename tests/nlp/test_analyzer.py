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
    assert summary.events_new == 2 and "分析 3 条帖子" in summary.summary()
    hits = store.query_posts(PostQuery(text="综采一队", limit=10))
    assert {sp.post.id for sp in hits} == {posts[0].id, posts[1].id}
    # a second run has nothing to do
    assert run_analyze(store, analyzer=Analyzer(small_models)).analyzed == 0


def test_worker_process_and_in_process_analysis_agree(tmp_path, sources, units, small_models):
    from yuqing.storage.sqlite import SqliteStore

    texts = ["综采一队三个月没发工资了", "食堂又涨价了[流泪]", "综采一队工资拖欠三个月", "明天去矿部讨说法",
             "职工运动会我们赢了", "食堂涨价份量还少了"]
    results = []
    for workers in (0, 1):
        store = SqliteStore(tmp_path / f"w{workers}.db")
        store.sync_config(units, sources)
        store.add_posts([make_post(i, t) for i, t in enumerate(texts)])
        summary = run_analyze(store, analyzer=Analyzer(small_models), batch=2, workers=workers)
        assert summary.analyzed == len(texts) and summary.events_new + summary.events_joined == len(texts)
        results.append(sorted((sp.post.id, sp.analysis.sentiment, sp.analysis.topic, sp.analysis.event_id)
                              for sp in store.query_posts(PostQuery(limit=20))))
        store.close()
    assert results[0] == results[1]
