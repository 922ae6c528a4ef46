"""The bodies of every post query and aggregation the dashboard and the digest make, and the
readers of Elasticsearch's response shapes (taken from the Elasticsearch 9 reference)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from yuqing.query_syntax import parse_query
from yuqing.storage.base import PostQuery
from yuqing.storage.elasticsearch import queries as Q

T = datetime(2026, 11, 2, 1, tzinfo=timezone.utc)


def _filters(query: dict) -> list[dict]:
    return query["bool"]["filter"]


def test_no_filters_match_all_and_empty_scope_matches_none():
    assert Q.post_filter(PostQuery(include_removed=True)) == {"match_all": {}}
    assert Q.post_filter(PostQuery()) == {"bool": {"filter": [Q.LIVE]}}
    assert Q.post_filter(PostQuery(units=set())) == Q.MATCH_NONE
    assert Q.post_filter(PostQuery(text="，"), parse_query("，", _cut)) == Q.MATCH_NONE
    assert Q.post_filter(PostQuery(text="x")) == Q.MATCH_NONE  # text without its parse: nothing, never everything


def test_every_post_query_field_becomes_a_filter():
    q = PostQuery(since=T, until=T + timedelta(days=1), units={"M2", "M1"}, source_ids=["a"], source_kinds=["forum"],
                  topics=["wages"], sentiments=["negative"], risks=["high"], event_id="e1", thread_id="t1",
                  ids=["p1"], analyzed=True)
    f = _filters(Q.post_filter(q))
    assert {"range": {"created_at": {"gte": "2026-11-02T01:00:00.000+00:00",
                                     "lt": "2026-11-03T01:00:00.000+00:00"}}} in f
    assert {"terms": {"unit": ["M1", "M2"]}} in f
    for field, value in (("source_id", "a"), ("source_kind", "forum"), ("topic", "wages"),
                         ("sentiment", "negative"), ("risk", "high"), ("id", "p1")):
        assert {"terms": {field: [value]}} in f
    assert {"term": {"event_id": "e1"}} in f and {"term": {"thread_id": "t1"}} in f
    assert {"exists": {"field": "analyzed_at"}} in f
    not_analyzed = _filters(Q.post_filter(PostQuery(analyzed=False)))
    assert not_analyzed == [{"bool": {"must_not": [{"exists": {"field": "analyzed_at"}}]}}, Q.LIVE]


def test_posts_deleted_or_hidden_at_their_source_are_left_out_unless_asked_for():
    assert Q.LIVE == {"bool": {"must_not": [{"terms": {"status": ["deleted", "hidden"]}}]}}
    assert Q.LIVE in _filters(Q.post_filter(PostQuery(units={"M1"})))
    assert Q.LIVE not in _filters(Q.post_filter(PostQuery(units={"M1"}, include_removed=True)))
    # the issue page shows an issue's posts whatever became of them (with their status)
    assert Q.scoped_issue_posts_query(["p1"], None, 10).include_removed is True
    stats = Q.posts_by_kind_body()["aggs"]
    assert stats["live"]["filter"] == Q.LIVE and stats["removed"]["filter"] == {"terms": {"status": ["deleted", "hidden"]}}


def test_thread_posts_body_reads_one_thread_of_one_source():
    body = Q.thread_posts_body("bbs", "101", 500)
    assert body["query"] == {"bool": {"filter": [{"term": {"source_id": "bbs"}}, {"term": {"thread_id": "101"}}]}}
    assert body["size"] == 500 and body["_source"] == ["id", "native_id", "content_hash", "status"]


def _cut(term: str) -> list[str]:
    """A stand-in for the search-mode cut: 拖欠工资 → 拖欠 工资; other text as it is."""
    return ["拖欠", "工资"] if term in ("拖欠工资", "工资拖欠") else [term]


def test_full_text_matches_the_grams_of_every_word_and_keeps_filters():
    body = Q.post_filter(PostQuery(text="工资拖欠", units={"M1"}), parse_query("工资拖欠", _cut))
    assert body["bool"]["must"] == [{"bool": {"filter": [{"match_phrase": {"grams": "拖欠"}},
                                                         {"match_phrase": {"grams": "工资"}}]}}]
    assert body["bool"]["filter"] == [{"terms": {"unit": ["M1"]}}, Q.LIVE]
    assert body == Q.post_filter(PostQuery(text="拖欠工资", units={"M1"}), parse_query("拖欠工资", _cut))


def test_or_not_phrases_and_single_characters():
    q = "欠薪 | 选煤厂 薪 -表扬 \"夜班 饭菜\""
    body = Q.post_filter(PostQuery(text=q), parse_query(q, _cut))["bool"]
    assert body["must"] == [
        {"bool": {"should": [{"match_phrase": {"grams": "欠薪"}}, {"match_phrase": {"grams": "选煤 煤厂"}}],
                  "minimum_should_match": 1}},
        {"prefix": {"grams": "薪"}},
        {"match_phrase": {"grams": "夜班 班 饭菜"}}]
    assert body["must_not"] == [{"match_phrase": {"grams": "表扬"}}]
    only_not = Q.post_filter(PostQuery(text="-表扬"), parse_query("-表扬", _cut))["bool"]
    assert "must" not in only_not and only_not["must_not"] == [{"match_phrase": {"grams": "表扬"}}]
    ends_single = Q.needle_query(parse_query('"工资 x"', _cut).all_of[0][0][0])
    assert ends_single == {"match_phrase_prefix": {"grams": "工资 资 x"}}


def test_one_author_by_id_or_by_name_where_there_is_no_id():
    f = _filters(Q.post_filter(PostQuery(author="wx-a")))
    assert f[0] == {"bool": {"should": [
        {"term": {"author_id": "wx-a"}},
        {"bool": {"filter": [{"term": {"author": "wx-a"}}, {"term": {"author_id": ""}}]}}], "minimum_should_match": 1}}


def test_heat_sort_and_the_total():
    b = Q.search_body(PostQuery(sort="heat", limit=50, offset=100), total=True)
    assert b["track_total_hits"] is True and b["from"] == 100 and b["size"] == 50
    script = b["sort"][0]["_script"]
    assert script["order"] == "desc" and script["script"]["params"]["ranks"] == {"high": 3, "medium": 2, "none": 1}
    assert b["sort"][1:] == [{"p_negative": {"order": "desc", "missing": "_last"}}, {"created_at": "desc"},
                             {"id": "desc"}]
    assert Q.search_body(PostQuery())["track_total_hits"] is False


def test_page_body_sorts_and_pages():
    b = Q.search_body(PostQuery(limit=20, offset=40, newest_first=False))
    assert b["from"] == 40 and b["size"] == 20
    assert b["sort"][0] == {"created_at": "asc"}


def _bucket(key, n, neg=0, neu=0, pos=0, high=0, **extra):
    return {"key": key, "doc_count": n, "negative": {"doc_count": neg}, "neutral": {"doc_count": neu},
            "positive": {"doc_count": pos}, "high_risk": {"doc_count": high}, **extra}


def test_overview_counts():
    body = Q.overview_body({"match_all": {}})
    assert body["size"] == 0 and body["track_total_hits"] is True
    assert body["aggs"]["high_risk"] == {"filter": {"term": {"risk": "high"}}}
    resp = {"hits": {"total": {"value": 12, "relation": "eq"}, "hits": []},
            "aggregations": {"negative": {"doc_count": 5}, "neutral": {"doc_count": 4}, "positive": {"doc_count": 3},
                             "high_risk": {"doc_count": 1}}}
    assert Q.read_overview(resp) == {"total": 12, "negative": 5, "neutral": 4, "positive": 3, "high_risk": 1}


def test_volume_by_day_in_local_time():
    body = Q.volume_by_day_body({"match_all": {}}, 8 * 3600)
    h = body["aggs"]["days"]["date_histogram"]
    assert h["time_zone"] == "+08:00" and h["calendar_interval"] == "day" and h["min_doc_count"] == 1
    assert Q.utc_offset(-5 * 3600 - 1800) == "-05:30"
    resp = {"aggregations": {"days": {"buckets": [_bucket(1762012800000, 3, neg=2, key_as_string="2026-11-02")]}}}
    assert Q.read_volume_by_day(resp) == [{"day": "2026-11-02", "total": 3, "negative": 2, "neutral": 0,
                                           "positive": 0, "high_risk": 0}]


def test_grouped_by_unit_kind_topic():
    for field in ("unit", "source_kind", "topic"):
        terms = Q.grouped_body({"match_all": {}}, field)["aggs"]["groups"]["terms"]
        assert terms["field"] == field and terms["order"][0] == {"_count": "desc"}
    resp = {"aggregations": {"groups": {"buckets": [_bucket("M1", 4, neg=3), _bucket("M2", 1, pos=1)]}}}
    assert Q.read_grouped(resp, "unit") == [
        {"unit": "M1", "total": 4, "negative": 3, "neutral": 0, "positive": 0, "high_risk": 0},
        {"unit": "M2", "total": 1, "negative": 0, "neutral": 0, "positive": 1, "high_risk": 0}]


def test_term_counts_and_event_activity():
    assert Q.term_counts_body({"match_all": {}}, 50)["aggs"]["terms"]["terms"]["size"] == 50
    resp = {"aggregations": {"terms": {"buckets": [{"key": "工资", "doc_count": 7}, {"key": "食堂", "doc_count": 2}]}}}
    assert Q.read_term_counts(resp) == {"工资": 7, "食堂": 2}
    body = Q.event_activity_body({"match_all": {}}, 10)
    assert body["aggs"]["events"]["terms"]["exclude"] == [""]
    assert {"exists": {"field": "event_id"}} in body["query"]["bool"]["filter"]
    resp = {"aggregations": {"events": {"buckets": [
        {"key": "e1", "doc_count": 6, "negative": {"doc_count": 4}, "last_at": {"value": T.timestamp() * 1000}}]}}}
    (row,) = Q.read_event_activity(resp)
    assert row["event_id"] == "e1" and row["posts"] == 6 and row["negative"] == 4
    assert row["last_at"] == datetime(2026, 11, 2, 1, tzinfo=timezone.utc)


def test_scoped_aggregations_see_nothing_outside_the_scope():
    assert Q.event_activity_body(Q.post_filter(PostQuery(units=set())), 5)["query"] == Q.MATCH_NONE


def test_source_health_aggregations():
    body = Q.source_activity_body(["a", "b"], T)
    assert body["aggs"]["sources"]["aggs"]["recent"]["filter"]["range"]["created_at"]["gte"].startswith("2026-11-02")
    resp = {"aggregations": {"sources": {"buckets": [
        {"key": "a", "doc_count": 9, "last": {"value": T.timestamp() * 1000}, "recent": {"doc_count": 2}}]}}}
    assert Q.read_source_activity(resp)["a"] == {"total_posts": 9, "recent_posts": 2, "last_post_at": T}
    resp = {"aggregations": {"sources": {"buckets": [
        {"key": "a", "doc_count": 3, "recent": {"doc_count": 1},
         "newest": {"hits": {"hits": [{"_source": {"error": "HTTP 503"}}]}}}]}}}
    assert Q.read_source_failures(resp) == {"a": {"failures": 1, "last_error": "HTTP 503"}}


def test_representative_posts_order():
    body = Q.representative_body({"match_all": {}}, 5)
    assert body["size"] == 5
    assert "'high'" in body["sort"][0]["_script"]["script"]["source"]
    assert [next(iter(s)) for s in body["sort"][1:]] == ["p_negative", "engagement", "created_at"]


def test_issue_filters():
    f = Q.issue_filter(units={"M1"}, status="open", severity="high", step="职工说事", overdue=True, now=T)
    clauses = _filters(f)
    assert {"terms": {"unit": ["M1"]}} in clauses and {"term": {"step": "职工说事"}} in clauses
    late = {"bool": {"filter": [{"term": {"status": "open"}},
                                {"range": {"due_at": {"lt": "2026-11-02T01:00:00.000+00:00"}}}]}}
    assert late in clauses
    assert {"bool": {"must_not": [late]}} in _filters(Q.issue_filter(overdue=False, now=T))
    assert Q.issue_filter(units=set()) == Q.MATCH_NONE
    assert Q.issue_filter() == {"match_all": {}}
    assert Q.ISSUE_SORT[0] == {"closed": "asc"} and Q.ISSUE_SORT[1] == {"severity_rank": "desc"}


def test_digest_issues_alive_in_period():
    f = _filters(Q.digest_issues_filter(T, T + timedelta(days=7), None, "opinion"))
    assert {"term": {"kind": "opinion"}} in f
    assert {"range": {"created_at": {"lt": "2026-11-09T01:00:00.000+00:00"}}} in f
    still_open = f[-1]["bool"]["should"]
    assert {"range": {"closed_at": {"gte": "2026-11-02T01:00:00.000+00:00"}}} in still_open


def test_post_counts_and_outbox_counts():
    resp = {"aggregations": {"issues": {"buckets": [{"key": 3, "doc_count": 2}]}}}
    assert Q.read_post_counts(resp) == {3: 2}
    resp = {"aggregations": {"sent": {"doc_count": 1}, "pending": {"doc_count": 2}, "failing": {"doc_count": 1},
                             "failed": {"doc_count": 3}}}
    assert Q.read_outbox_counts(resp) == {"sent": 1, "pending": 2, "failing": 1, "failed": 3}
    due = Q.due_emails_filter(T)
    assert due["bool"]["filter"] == [{"range": {"next_attempt_at": {"lte": "2026-11-02T01:00:00.000+00:00"}}}]
    # neither sent, nor given up, nor held by a live claim of another sender
    assert {"exists": {"field": "failed_at"}} in due["bool"]["must_not"]
    assert {"range": {"claimed_until": {"gte": "2026-11-02T01:00:00.000+00:00"}}} in due["bool"]["must_not"]
    assert Q.failed_emails_filter(unreported=True)["bool"]["must_not"] == [{"exists": {"field": "reported_at"}}]
    assert "failed" in Q.outbox_counts_body()["aggs"]


def test_involved_issues_are_found_through_their_posts_units():
    body = Q.involved_issues_body({"M2", "M1"})
    assert {"terms": {"unit": ["M1", "M2"]}} in body["query"]["bool"]["filter"]
    assert body["aggs"]["issues"]["terms"]["field"] == "issue_ids"
    f = Q.involved_issues_filter([4, 2], {"M1"}, "open")
    assert f["bool"]["filter"] == [{"terms": {"id": [2, 4]}}, {"term": {"status": "open"}}]
    assert f["bool"]["must_not"] == [{"terms": {"unit": ["M1"]}}]


def test_breakdown_in_one_request():
    body = Q.breakdown_body({"match_all": {}})
    assert {"by_unit", "by_kind", "topics", "negative", "high_risk"} <= set(body["aggs"])
    assert body["aggs"]["by_kind"]["terms"]["field"] == "source_kind"
    resp = {"hits": {"total": {"value": 5, "relation": "eq"}, "hits": []},
            "aggregations": {"negative": {"doc_count": 2}, "neutral": {"doc_count": 3}, "positive": {"doc_count": 0},
                             "high_risk": {"doc_count": 1},
                             "by_unit": {"buckets": [_bucket("M1", 5, neg=2, neu=3, high=1)]},
                             "by_kind": {"buckets": [_bucket("forum", 4, neg=2), _bucket("rss", 1)]},
                             "topics": {"buckets": [_bucket("wages", 5, neg=2)]}}}
    got = Q.read_breakdown(resp)
    assert got["counts"] == {"total": 5, "negative": 2, "neutral": 3, "positive": 0, "high_risk": 1}
    assert [r["source_kind"] for r in got["by_kind"]] == ["forum", "rss"] and got["by_unit"][0]["unit"] == "M1"
    assert got["topics"][0] == {"topic": "wages", "total": 5, "negative": 2, "neutral": 0, "positive": 0,
                                "high_risk": 0}


def test_issue_activity_keeps_the_kind_and_ranks_by_negative_posts():
    body = Q.issue_activity_body(Q.post_filter(PostQuery(units={"M1"})))
    assert {"exists": {"field": "issue_ids"}} in body["query"]["bool"]["filter"]
    assert body["aggs"]["issues"]["terms"]["field"] == "issue_ids"
    ms = T.timestamp() * 1000

    def b(key, n, neg):
        return {"key": key, "doc_count": n, "negative": {"doc_count": neg}, "high_risk": {"doc_count": 0},
                "first_at": {"value": ms}, "last_at": {"value": ms + 3600_000}}
    resp = {"aggregations": {"issues": {"buckets": [b(1, 9, 1), b(2, 3, 3), b(3, 5, 3), b(4, 20, 20)]}}}
    rows = Q.read_issue_activity(resp, {1, 2, 3}, limit=2)  # issue 4 is of another kind
    assert [r["issue_id"] for r in rows] == [3, 2]
    assert rows[0]["first_at"] == T and rows[0]["last_at"] == T + timedelta(hours=1)


def test_attaching_adds_the_issue_to_the_post_once():
    assert "contains(params.issue)" in Q.ADD_ISSUE_SCRIPT


# --- dashboard lists and digest look-ups (issue #8: every query the dashboard and digest make) ---

def test_recent_issues_scope_newest_first_and_limit():
    body = Q.recent_issues_body({"M2", "M1"}, 7)
    assert _filters(body["query"]) == [{"terms": {"unit": ["M1", "M2"]}}]
    assert body["size"] == 7
    assert body["sort"] == [{"created_at": "desc"}, {"id": "desc"}]
    assert Q.recent_issues_body(None, 10)["query"] == {"match_all": {}}
    assert Q.recent_issues_body(set(), 10)["query"] == Q.MATCH_NONE


def test_list_issues_page_sorts_by_issue_order_and_pages():
    query = Q.issue_filter(units={"M1"}, status="open")
    body = Q.issues_page_body(query, 25, 50)
    assert body["query"] is query
    assert (body["size"], body["from"]) == (25, 50)
    assert body["sort"] == Q.ISSUE_SORT
    assert _filters(query) == [{"terms": {"unit": ["M1"]}}, {"term": {"status": "open"}}]


def test_count_issues_period_bounds_and_scope():
    f = _filters(Q.issue_filter(units={"M1"}, since=T, until=T + timedelta(days=1)))
    assert {"terms": {"unit": ["M1"]}} in f
    assert {"range": {"created_at": {"gte": "2026-11-02T01:00:00.000+00:00",
                                     "lt": "2026-11-03T01:00:00.000+00:00"}}} in f
    assert Q.issue_filter(units=set(), since=T) == Q.MATCH_NONE


def test_source_health_scope():
    assert Q.sources_filter({"M2", "M1"}) == {"bool": {"filter": [{"terms": {"unit": ["M1", "M2"]}}]}}
    assert Q.sources_filter(set()) is None  # nothing is visible: no request at all
    assert Q.sources_filter(None) == {"bool": {"filter": []}}  # every source, pending ones included


def test_event_ids_drop_the_empty_event_and_duplicates():
    assert Q.event_ids_of(["e2", "", "e1", "e2"]) == ["e1", "e2"]
    assert Q.event_ids_of(["", ""]) == []


def test_issues_for_events_reads_oldest_first_so_the_newest_issue_wins():
    assert Q.issues_for_events_filter(["e1", "e2"]) == {"terms": {"event_id": ["e1", "e2"]}}
    assert Q.ISSUES_OLDEST_FIRST == [{"id": "asc"}]
    # no unit, status or kind restriction: the digest asks about every issue ever raised for an event
    assert "unit" not in str(Q.issues_for_events_filter(["e1"]))


def test_events_with_issue_posts_counts_only_posts_attached_to_an_issue():
    body = Q.events_with_issue_posts_body(["e1", "e2", "e3"])
    assert body["size"] == 0
    assert _filters(body["query"]) == [{"terms": {"event_id": ["e1", "e2", "e3"]}},
                                       {"exists": {"field": "issue_ids"}}]
    assert body["aggs"]["events"]["terms"] == {"field": "event_id", "size": 3}  # one bucket per asked event
    resp = {"aggregations": {"events": {"buckets": [{"key": "e3", "doc_count": 4}, {"key": "e1", "doc_count": 1}]}}}
    assert Q.read_event_keys(resp) == {"e1", "e3"}


def test_issue_activity_keeps_only_issues_of_the_kind():
    f = _filters(Q.issues_of_kind_filter([4, 2], "source_health"))
    assert f == [{"terms": {"id": [4, 2]}}, {"term": {"kind": "source_health"}}]


def test_issue_posts_are_read_by_issue_id():
    assert Q.issue_posts_filter(12) == {"term": {"issue_id": 12}}


def test_scoped_issue_posts_restrict_to_the_units_and_the_issue():
    q = Q.scoped_issue_posts_query(["p2", "p1"], {"M1"}, 30)
    body = Q.search_body(q)
    f = _filters(body["query"])
    assert {"terms": {"unit": ["M1"]}} in f and {"terms": {"id": ["p2", "p1"]}} in f
    assert body["size"] == 30 and body["from"] == 0
    assert body["sort"][0] == {"created_at": "desc"}  # newest first, as on SQLite
    assert Q.search_body(Q.scoped_issue_posts_query(["p1"], set(), 30))["query"] == Q.MATCH_NONE
    everyone = _filters(Q.search_body(Q.scoped_issue_posts_query(["p1"], None, 30))["query"])
    assert everyone == [{"terms": {"id": ["p1"]}}]


def test_post_counts_ask_one_bucket_per_issue():
    body = Q.post_counts_body([3, 9])
    assert body["query"] == {"terms": {"issue_id": [3, 9]}} and body["size"] == 0
    assert body["aggs"]["issues"]["terms"] == {"field": "issue_id", "size": 2}


def test_every_post_aggregation_applies_the_units_scope():
    scoped = Q.post_filter(PostQuery(units={"M1"}))
    none = Q.post_filter(PostQuery(units=set()))
    bodies = {
        "overview": lambda q: Q.overview_body(q),
        "breakdown": lambda q: Q.breakdown_body(q),
        "volume_by_day": lambda q: Q.volume_by_day_body(q, 8 * 3600),
        "sentiment_by_unit": lambda q: Q.grouped_body(q, "unit"),
        "negative_share_by_source_kind": lambda q: Q.grouped_body(q, "source_kind"),
        "topic_mix": lambda q: Q.grouped_body(q, "topic"),
        "term_counts": lambda q: Q.term_counts_body(q, 10),
        "event_activity": lambda q: Q.event_activity_body(q, 10),
        "issue_activity": lambda q: Q.issue_activity_body(q),
        "representative_posts": lambda q: Q.representative_body(q, 5),
    }
    for name, make in bodies.items():
        assert {"terms": {"unit": ["M1"]}} in _clauses(make(scoped)["query"]), name
        assert make(none)["query"] == Q.MATCH_NONE, name
        unscoped = make(Q.post_filter(PostQuery()))["query"]
        assert not any("unit" in c.get("terms", {}) for c in _clauses(unscoped)), name


def _clauses(query: dict) -> list[dict]:
    """Every filter/must clause of ``query``, however deep its ``bool`` nesting."""
    out: list[dict] = []
    for part in ("filter", "must"):
        for clause in query.get("bool", {}).get(part, []):
            out.append(clause)
            out.extend(_clauses(clause))
    return out


def test_grouped_sizes_and_tie_order():
    terms = Q.grouped_body({"match_all": {}}, "unit")["aggs"]["groups"]["terms"]
    assert terms["size"] == Q.GROUPS_SIZE and terms["order"] == [{"_count": "desc"}, {"_key": "asc"}]
    assert Q.grouped_body({"match_all": {}}, "topic", size=5)["aggs"]["groups"]["terms"]["size"] == 5


def test_events_list_scope_period_and_order():
    body = Q.events_in_units_body({"M2", "M1"}, 500)
    assert body["query"] == {"terms": {"unit": ["M1", "M2"]}} and body["size"] == 0
    assert body["aggs"]["events"]["terms"] == {"field": "event_id", "size": 500}
    f = _filters(Q.events_filter(T, ["e1", "e2"]))
    assert f == [{"range": {"last_at": {"gte": "2026-11-02T01:00:00.000+00:00"}}}, {"terms": {"id": ["e1", "e2"]}}]
    assert _filters(Q.events_filter(None, None)) == []  # every event
    assert Q.EVENTS_SORT == [{"size": "desc"}, {"last_at": "desc"}]


def test_labels_and_audit_lines_newest_first():
    assert Q.post_labels_filter("p1") == {"term": {"post_id": "p1"}}
    assert Q.audit_filter("张三") == {"term": {"actor": "张三"}} and Q.audit_filter("") == {"match_all": {}}
    assert Q.NEWEST_SEQ_FIRST == [{"seq": "desc"}]


def test_messages_near_one_clause_per_key_in_the_chat_kind():
    q = Q.messages_near([("2026-11-02T00:00:00.000+00:00", "2026-11-02T00:05:00.000+00:00", "h1")], "wx-1")
    assert {"term": {"source_kind": "wechat_group"}} in q["bool"]["filter"]
    assert {"term": {"source_id": "wx-1"}} in q["bool"]["filter"]
    assert q["bool"]["minimum_should_match"] == 1
    (clause,) = q["bool"]["should"]
    assert clause["bool"]["filter"][1]["range"]["created_at"] == {"gte": "2026-11-02T00:00:00.000+00:00",
                                                                  "lte": "2026-11-02T00:05:00.000+00:00"}
    assert "source_id" not in str(Q.messages_near([], None))


def test_histories_of_several_issues_in_one_terms_filter():
    assert Q.histories_filter([3, 1, 3]) == {"terms": {"issue_id": [1, 3]}}
    assert Q.HISTORY_CHUNK <= 1000
