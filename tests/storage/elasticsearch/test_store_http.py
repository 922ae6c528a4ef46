"""ElasticsearchStore against a scripted cluster over real HTTP: index set-up, a post the cluster
rejects ending up in the quarantine index with the cluster's reason, the request each dashboard and
digest look-up sends and how it reads the cluster's answer, and that the store offers every
aggregate and digest query the SQLite store does."""

from __future__ import annotations

import inspect
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import pytest
from elasticsearch import Elasticsearch

from yuqing.casework.model import Issue
from yuqing.errors import ConflictError, NotFoundError, PagingLimitError, StorageError, UnavailableError
from yuqing.schema import Event, Source, SourceKind
from yuqing.storage import PostQuery
from yuqing.storage.elasticsearch import documents as D
from yuqing.storage.elasticsearch import queries as Q
from yuqing.storage.elasticsearch.mapping import INDEX_PROPERTIES
from yuqing.storage.elasticsearch.store import ElasticsearchStore
from yuqing.storage.sqlite.aggregates import AggregatesMixin as SqliteAggregates
from yuqing.storage.sqlite.digest import DigestMixin as SqliteDigest

from ...conftest import T0, make_post

EMPTY_HITS = {"took": 1, "timed_out": False, "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}


def _cluster(es_like, rejected_id: str):
    created: list[str] = []
    bulks: list[list] = []

    def answer(method, path, body, params):
        path = unquote(path)
        if path.startswith("/_index_template/"):
            return 200, {"acknowledged": True}
        if method == "GET" and path == "/yq-*":
            return 200, {}
        if path.endswith("/_search"):
            return 200, EMPTY_HITS
        if path == "/_bulk":
            bulks.append(body)
            items = []
            for i in range(0, len(body), 2):
                (op, meta), = body[i].items()
                if meta["_id"] == rejected_id:
                    items.append({op: {"_index": meta["_index"], "_id": meta["_id"], "status": 400, "error": {
                        "type": "document_parsing_exception", "reason": "failed to parse field [extra]"}}})
                else:
                    items.append({op: {"_index": meta["_index"], "_id": meta["_id"], "status": 201}})
            return 200, {"took": 1, "errors": True, "items": items}
        if method == "PUT" and path.count("/") == 1:
            created.append(path[1:])
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": path[1:]}
        return 404, {"error": {"type": "not_found", "reason": path}, "status": 404}

    es_like.fallback = answer
    return created, bulks


def test_setup_creates_every_index_and_a_month_for_the_alias(es_like):
    created, _ = _cluster(es_like, "")
    ElasticsearchStore(Elasticsearch(es_like.url), prefix="yq")
    assert {f"yq-{n}" for n in INDEX_PROPERTIES} <= set(created)
    assert any(c.startswith("yq-posts-") for c in created)


def test_rejected_post_is_quarantined_with_the_reason(es_like):
    posts = [make_post(i) for i in range(3)]
    _, bulks = _cluster(es_like, posts[1].id)
    store = ElasticsearchStore(Elasticsearch(es_like.url), prefix="yq", setup=False)
    r = store.add_posts(posts)
    assert (r.inserted, r.duplicates) == (2, 0) and posts[1].id not in r.inserted_ids
    posts_bulk, quarantine_bulk = bulks
    assert [line["create"]["_index"] for line in posts_bulk[::2]] == ["yq-posts-2026.11"] * 3
    (meta, doc) = quarantine_bulk
    assert meta["create"]["_index"] == "yq-quarantine"
    assert doc["position"] == f"文档 {posts[1].id}" and "failed to parse field [extra]" in doc["reason"]
    assert doc["source_id"] == "src-a" and posts[1].text in doc["raw"]


def test_retention_lists_then_drops_whole_months(es_like):
    deleted: list[str] = []

    def answer(method, path, body, params):
        path = unquote(path)
        if path == "/_alias/yq-posts":
            return 200, {ix: {"aliases": {"yq-posts": {}}} for ix in
                         ("yq-posts-2024.09", "yq-posts-2024.10", "yq-posts-2026.11")}
        if method == "DELETE":
            deleted.append(path[1:])
            return 200, {"acknowledged": True}
        return 404, {"error": {"type": "not_found", "reason": path}, "status": 404}

    es_like.fallback = answer
    store = ElasticsearchStore(Elasticsearch(es_like.url), prefix="yq", setup=False)
    now = datetime(2026, 11, 24, tzinfo=timezone.utc)
    assert store.drop_months(24, now) == ["yq-posts-2024.09", "yq-posts-2024.10"] and deleted == []
    assert store.drop_months(24, now, apply=True) == ["yq-posts-2024.09", "yq-posts-2024.10"]
    assert deleted == ["yq-posts-2024.09,yq-posts-2024.10"]


def test_drop_all_deletes_by_name_not_by_wildcard(es_like):
    deleted: list[str] = []

    def answer(method, path, body, params):
        path = unquote(path)
        if method == "GET" and path == "/yq-*":
            return 200, {"yq-posts-2026.11": {}, "yq-issues": {}}
        if method == "DELETE":
            deleted.append(path)
            if "*" in path:
                return 400, {"error": {"type": "illegal_argument_exception",
                                       "reason": "Wildcard expressions or all indices are not allowed"}, "status": 400}
            return 200, {"acknowledged": True}
        return 404, {"error": {"type": "not_found", "reason": path}, "status": 404}

    es_like.fallback = answer
    ElasticsearchStore(Elasticsearch(es_like.url), prefix="yq", setup=False).drop_all()
    assert deleted == ["/yq-issues,yq-posts-2026.11", "/_index_template/yq-posts"]


def test_paging_past_the_result_window_is_a_readable_error():
    store = ElasticsearchStore(Elasticsearch("http://127.0.0.1:9"), prefix="yq", setup=False)
    with pytest.raises(PagingLimitError, match="前 10000 条"):
        store.query_posts(PostQuery(limit=50, offset=9980))


# --- dashboard and digest look-ups: the request sent and the answer read ---------------------

def _scripted(es_like, answers: dict[str, dict]) -> tuple[ElasticsearchStore, dict[str, list[dict]]]:
    """A store whose cluster answers ``answers[path]`` (e.g. ``/yq-issues/_search``); returns the
    request bodies received, by path."""
    asked: dict[str, list[dict]] = {}

    def answer(method, path, body, params):
        path = unquote(path)
        asked.setdefault(path, []).append(body)
        if path in answers:
            return 200, answers[path]
        return 404, {"error": {"type": "index_not_found_exception", "reason": path}, "status": 404}

    es_like.fallback = answer
    return ElasticsearchStore(Elasticsearch(es_like.url), prefix="yq", setup=False), asked


def _hits(*sources: dict) -> dict:
    return {**EMPTY_HITS, "hits": {"total": {"value": len(sources), "relation": "eq"},
                                   "hits": [{"_index": "x", "_id": str(i), "_source": s}
                                            for i, s in enumerate(sources)]}}


def _issue(issue_id: int, unit: str = "M1", event_id: str = "", hours: int = 0) -> dict:
    at = T0 + timedelta(hours=hours)
    return D.issue_doc(Issue(title=f"议题{issue_id}", unit=unit, event_id=event_id, created_at=at, updated_at=at,
                             id=issue_id))


def _post_counts(counts: dict[int, int]) -> dict:
    return {**EMPTY_HITS, "aggregations": {"issues": {"buckets": [{"key": k, "doc_count": n}
                                                                   for k, n in counts.items()]}}}


def test_recent_issues_asks_the_scope_newest_first_and_reads_post_counts(es_like):
    store, asked = _scripted(es_like, {"/yq-issues/_search": _hits(_issue(5, hours=2), _issue(3, hours=1)),
                                       "/yq-issue-posts/_search": _post_counts({5: 2})})
    got = store.recent_issues({"M1"}, limit=2)
    assert [(i.id, i.post_count, i.title) for i in got] == [(5, 2, "议题5"), (3, 0, "议题3")]
    (body,) = asked["/yq-issues/_search"]
    assert body["query"] == {"bool": {"filter": [{"terms": {"unit": ["M1"]}}]}}
    assert body["size"] == 2 and body["sort"] == [{"created_at": "desc"}, {"id": "desc"}]
    (counts,) = asked["/yq-issue-posts/_search"]
    assert counts["query"] == {"terms": {"issue_id": [5, 3]}}


def test_recent_issues_of_an_empty_scope_match_nothing(es_like):
    store, asked = _scripted(es_like, {"/yq-issues/_search": EMPTY_HITS})
    assert store.recent_issues(set()) == []
    assert asked["/yq-issues/_search"][0]["query"] == {"match_none": {}}
    assert "/yq-issue-posts/_search" not in asked  # no issue, no post counts to ask for


def test_list_issues_pages(es_like):
    store, asked = _scripted(es_like, {"/yq-issues/_search": _hits(_issue(9)),
                                       "/yq-issue-posts/_search": _post_counts({})})
    assert [i.id for i in store.list_issues(units={"M1"}, status="open", limit=20, offset=40)] == [9]
    (body,) = asked["/yq-issues/_search"]
    assert (body["from"], body["size"]) == (40, 20) and body["sort"][0] == {"closed": "asc"}
    assert {"term": {"status": "open"}} in body["query"]["bool"]["filter"]


def test_issues_for_events_keeps_the_newest_issue_of_each_event(es_like):
    store, asked = _scripted(es_like, {"/yq-issues/_search": _hits(_issue(1, event_id="e1"), _issue(2, event_id="e2"),
                                                                   _issue(4, event_id="e1")),
                                       "/yq-issue-posts/_search": _post_counts({4: 3})})
    got = store.issues_for_events(["e2", "", "e1", "e2"])
    assert {e: (i.id, i.post_count) for e, i in got.items()} == {"e1": (4, 3), "e2": (2, 0)}
    (body,) = asked["/yq-issues/_search"]
    assert body["query"] == {"terms": {"event_id": ["e1", "e2"]}} and body["sort"] == [{"id": "asc"}]


def test_events_with_issue_posts_reads_the_event_buckets(es_like):
    store, asked = _scripted(es_like, {"/yq-posts/_search": {**EMPTY_HITS, "aggregations": {"events": {
        "doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": "e2", "doc_count": 5}]}}}})
    assert store.events_with_issue_posts(["e1", "e2", ""]) == {"e2"}
    (body,) = asked["/yq-posts/_search"]
    assert body["size"] == 0 and {"exists": {"field": "issue_ids"}} in body["query"]["bool"]["filter"]
    assert body["aggs"]["events"]["terms"] == {"field": "event_id", "size": 2}


def test_event_look_ups_without_events_ask_nothing(es_like):
    store, asked = _scripted(es_like, {})
    assert store.issues_for_events(["", ""]) == {} and store.events_with_issue_posts([]) == set()
    assert asked == {}


def _issue_posts(issue_id: int, *post_ids: str) -> dict:
    return _hits(*({"issue_id": issue_id, "post_id": p, "rule": "r", "added_at": D.iso(T0)} for p in post_ids))


def test_issue_post_ids_sorted(es_like):
    store, asked = _scripted(es_like, {"/yq-issue-posts/_search": _issue_posts(7, "p9", "p1", "p5")})
    assert store.issue_post_ids(7) == ["p1", "p5", "p9"]
    assert asked["/yq-issue-posts/_search"][0]["query"] == {"term": {"issue_id": 7}}


def test_scoped_issue_posts_ask_for_the_issue_s_posts_in_the_scope_only(es_like):
    posts = [make_post(i) for i in range(3)]
    docs = [D.post_doc(p, "M1", T0, seq=i) for i, p in enumerate(posts)]
    store, asked = _scripted(es_like, {"/yq-issue-posts/_search": _issue_posts(7, *(p.id for p in posts)),
                                       "/yq-posts/_search": _hits(docs[2], docs[0])})
    got = store.scoped_issue_posts(7, {"M1"}, limit=5)
    assert [(p.post.id, p.unit, p.post.text) for p in got] == [(posts[2].id, "M1", posts[2].text),
                                                      (posts[0].id, "M1", posts[0].text)]
    (body,) = asked["/yq-posts/_search"]
    f = body["query"]["bool"]["filter"]
    assert {"terms": {"unit": ["M1"]}} in f and {"terms": {"id": [p.id for p in posts]}} in f
    assert body["size"] == 5


def test_scoped_issue_posts_of_an_empty_scope_match_nothing(es_like):
    store, asked = _scripted(es_like, {"/yq-issue-posts/_search": _issue_posts(7, "p1"),
                                       "/yq-posts/_search": EMPTY_HITS})
    assert store.scoped_issue_posts(7, set()) == []
    assert asked["/yq-posts/_search"][0]["query"] == {"match_none": {}}


def test_count_posts_counts_what_the_filters_select(es_like):
    store, asked = _scripted(es_like, {"/yq-posts/_count": {"count": 42, "_shards": {"total": 1, "successful": 1,
                                                                                      "skipped": 0, "failed": 0}}})
    assert store.count_posts(PostQuery(units={"M2", "M1"}, since=T0, sentiments=["negative"])) == 42
    (body,) = asked["/yq-posts/_count"]
    f = body["query"]["bool"]["filter"]
    assert {"terms": {"unit": ["M1", "M2"]}} in f and {"terms": {"sentiment": ["negative"]}} in f
    assert {"range": {"created_at": {"gte": D.iso(T0)}}} in f
    store.count_posts(PostQuery(units=set()))
    assert asked["/yq-posts/_count"][1]["query"] == {"match_none": {}}


def test_count_issues_scope_and_period(es_like):
    store, asked = _scripted(es_like, {"/yq-issues/_count": {"count": 3}})
    assert store.count_issues(units={"M1"}, since=T0, until=T0 + timedelta(days=7)) == 3
    f = asked["/yq-issues/_count"][0]["query"]["bool"]["filter"]
    assert f[0] == {"terms": {"unit": ["M1"]}}
    assert {"range": {"created_at": {"gte": D.iso(T0), "lt": D.iso(T0 + timedelta(days=7))}}} in f


def test_sentiment_by_unit_reads_the_groups(es_like):
    bucket = {"key": "M1", "doc_count": 4, "negative": {"doc_count": 3}, "neutral": {"doc_count": 1},
              "positive": {"doc_count": 0}, "high_risk": {"doc_count": 2}}
    store, asked = _scripted(es_like, {"/yq-posts/_search": {**EMPTY_HITS, "aggregations": {"groups": {
        "doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [bucket]}}}})
    assert store.sentiment_by_unit(PostQuery(units={"M1"})) == [
        {"unit": "M1", "total": 4, "negative": 3, "neutral": 1, "positive": 0, "high_risk": 2}]
    (body,) = asked["/yq-posts/_search"]
    assert body["query"] == {"bool": {"filter": [{"terms": {"unit": ["M1"]}}, Q.LIVE]}}
    assert body["size"] == 0 and body["aggs"]["groups"]["terms"]["field"] == "unit"


def test_source_health_of_an_empty_scope_asks_nothing(es_like):
    store, asked = _scripted(es_like, {})
    assert store.source_health(set()) == []
    assert asked == {}


# --- drift: every aggregate and digest query of the SQLite store exists on Elasticsearch -------

def _public_methods(cls: type) -> dict[str, inspect.Signature]:
    return {n: inspect.signature(f) for n, f in vars(cls).items() if callable(f) and not n.startswith("_")}


@pytest.mark.parametrize("mixin", [SqliteAggregates, SqliteDigest], ids=["aggregates", "digest"])
def test_elasticsearch_offers_every_sqlite_aggregate_and_digest_query(mixin):
    wanted = _public_methods(mixin)
    assert len(wanted) >= 6  # the listing itself works
    for name, sig in wanted.items():
        ours = getattr(ElasticsearchStore, name, None)
        assert callable(ours), f"ElasticsearchStore lacks {name}"
        theirs = [(p.name, p.kind, p.default) for p in sig.parameters.values()]
        mine = [(p.name, p.kind, p.default) for p in inspect.signature(ours).parameters.values()]
        assert mine == theirs, name


def test_list_events_of_a_scope_asks_which_events_have_posts_in_it(es_like):
    event = D.event_doc(Event(id="e2", label="食堂涨价", keywords=["食堂"], unit="M2", first_at=T0, last_at=T0, size=4))
    store, asked = _scripted(es_like, {
        "/yq-posts/_search": {**EMPTY_HITS, "aggregations": {"events": {"buckets": [{"key": "e2", "doc_count": 3}]}}},
        "/yq-events/_search": _hits(event)})
    got = store.list_events(since=T0, units={"M1"}, limit=50)
    assert [(e.id, e.label) for e in got] == [("e2", "食堂涨价")]
    assert asked["/yq-posts/_search"][0]["query"] == {"terms": {"unit": ["M1"]}}
    (body,) = asked["/yq-events/_search"]
    assert {"terms": {"id": ["e2"]}} in body["query"]["bool"]["filter"] and body["size"] == 50
    assert store.list_events(units=set()) == []
    assert len(asked["/yq-posts/_search"]) == 1  # an empty scope asks nothing


def test_source_health_of_a_scope_reads_activity_and_failures(es_like):
    now = datetime(2026, 11, 9, tzinfo=timezone.utc)
    src = D.source_doc(Source("src-a", "一矿职工群", SourceKind.WECHAT_GROUP, unit="M1"), configured=True)
    last = datetime(2026, 11, 8, tzinfo=timezone.utc)
    store, asked = _scripted(es_like, {
        "/yq-sources/_search": _hits(src),
        "/yq-posts/_search": {**EMPTY_HITS, "aggregations": {"sources": {"buckets": [
            {"key": "src-a", "doc_count": 30, "last": {"value": last.timestamp() * 1000,
                                                       "value_as_string": D.iso(last)}, "recent": {"doc_count": 4}}]}}},
        "/yq-failures/_search": {**EMPTY_HITS, "aggregations": {"sources": {"buckets": [
            {"key": "src-a", "doc_count": 2, "recent": {"doc_count": 1},
             "newest": {"hits": {"hits": [{"_source": {"error": "HTTP 503"}}]}}}]}}}})
    (row,) = store.source_health({"M1"}, now=now, days=7)
    assert (row["id"], row["recent_posts"], row["total_posts"], row["last_post_at"]) == ("src-a", 4, 30, last)
    assert (row["failures"], row["last_error"]) == (1, "HTTP 503")
    assert asked["/yq-sources/_search"][0]["query"] == {"bool": {"filter": [{"terms": {"unit": ["M1"]}}]}}
    recent = asked["/yq-posts/_search"][0]["aggs"]["sources"]["aggs"]["recent"]["filter"]["range"]["created_at"]
    assert recent == {"gte": D.iso(now - timedelta(days=7))}
    assert asked["/yq-failures/_search"][0]["query"] == {"terms": {"source_id": ["src-a"]}}


def test_issue_histories_read_every_page_in_write_order(es_like):
    """History lines of several issues: one terms query, paged with search_after on ``seq``."""
    lines = [{"issue_id": i, "at": D.iso(T0), "seq": seq, "actor": "a", "action": act, "step": "干部问事", "note": "",
              "data": {"fields": {"visited": "x"}} if act == "recorded" else {}}
             for seq, (i, act) in enumerate([(1, "opened"), (2, "opened"), (1, "recorded")], start=10)]
    asked: list[dict] = []

    def answer(method, path, body, params):
        asked.append(body)
        after = body.get("search_after", [0])[0]
        page = [s for s in lines if s["seq"] > after][:body["size"]]
        return 200, {**EMPTY_HITS, "hits": {"total": {"value": len(page), "relation": "eq"}, "hits": [
            {"_index": "yq-history", "_id": str(s["seq"]), "_source": s, "sort": [s["seq"]]} for s in page]}}

    es_like.fallback = answer
    store = ElasticsearchStore(Elasticsearch(es_like.url), prefix="yq", setup=False)
    got = list(store.scan_sources("yq-history", Q.histories_filter([1, 2]), sort=[{"seq": "asc"}], page=2))
    assert [s["seq"] for s in got] == [10, 11, 12] and len(asked) == 2 and asked[1]["search_after"] == [11]
    asked.clear()
    hist = store.issue_histories([2, 1])
    assert [h.action for h in hist[1]] == ["opened", "recorded"] and hist[1][1].data["fields"] == {"visited": "x"}
    assert [h.action for h in hist[2]] == ["opened"]
    assert asked[0]["query"] == {"terms": {"issue_id": [1, 2]}} and asked[0]["sort"] == [{"seq": "asc"}]


def test_a_step_record_is_saved_with_compare_and_set_its_step_and_its_time(es_like):
    """update_issue(at=, step=): the issue written only if its version is the one read, the history
    line dated ``at`` and naming the step recorded; a stale version writes nothing."""
    when = datetime(2026, 10, 5, 9, 30, tzinfo=timezone.utc)
    stored = _issue(7)
    writes: list[tuple[str, dict, dict]] = []

    def answer(method, path, body, params):
        path = unquote(path)
        if method == "GET" and path == "/yq-issues/_doc/7":
            return 200, {"_index": "yq-issues", "_id": "7", "_seq_no": 4, "_primary_term": 1, "found": True,
                         "_source": stored}
        if method in ("PUT", "POST") and path.startswith(("/yq-issues/_doc", "/yq-history/_doc")):
            writes.append((path, body, params))
            return 201, {"_index": path.split("/")[1], "_id": "x", "result": "created", "_seq_no": 5,
                         "_primary_term": 1}
        return 404, {"error": {"type": "not_found", "reason": path}, "status": 404}

    es_like.fallback = answer
    store = ElasticsearchStore(Elasticsearch(es_like.url), prefix="yq", setup=False)
    issue = D.issue_of(stored)
    issue.step = "职工说事"
    store.update_issue(issue, actor="cadre1", action="recorded", note="n", data={"fields": {"visited": "v"}},
                       at=when, step="干部问事")
    (ipath, idoc, iparams), (hpath, hdoc, _) = writes
    assert ipath == "/yq-issues/_doc/7" and (iparams["if_seq_no"], iparams["if_primary_term"]) == (["4"], ["1"])
    assert idoc["version"] == 2 and idoc["step"] == "职工说事" and idoc["updated_at"] == D.iso(when)
    assert hpath.startswith("/yq-history/_doc") and hdoc["step"] == "干部问事" and hdoc["at"] == D.iso(when)
    assert hdoc["data"] == {"fields": {"visited": "v"}} and hdoc["action"] == "recorded"
    writes.clear()
    stale = D.issue_of(stored)
    stale.version = 0
    with pytest.raises(ConflictError, match="已被他人更新，请刷新"):
        store.update_issue(stale, actor="cadre2", action="recorded")
    assert writes == [] and stale.version == 0
    with pytest.raises(NotFoundError, match="#8 不存在"):  # the cluster has no issue 8: not a conflict
        store.update_issue(D.issue_of(_issue(8)), actor="cadre2", action="recorded")
    assert writes == []


def test_a_cluster_gone_mid_run_is_unavailable_not_a_conflict(closed_port):
    """A refused connection after the store was opened: UnavailableError (one line naming the cause),
    for reads, writes and an issue update alike — never ConflictError, so nobody retries it as a change."""
    store = ElasticsearchStore(Elasticsearch(f"http://127.0.0.1:{closed_port}", max_retries=0), prefix="yq",
                               setup=False)
    issue = D.issue_of(_issue(7))
    for call in (lambda: store.get_issue(7), lambda: store.count_posts(PostQuery()),
                 lambda: store.set_state("k", "v"), lambda: store.acquire_lease("alerts", "w1", timedelta(minutes=1)),
                 lambda: store.update_issue(issue, actor="system", action="posts_added")):
        with pytest.raises(UnavailableError, match="连接中断：连接被拒绝") as raised:
            call()
        assert isinstance(raised.value, StorageError) and not isinstance(raised.value, ConflictError)
        assert "\n" not in str(raised.value)


# --- the outbox's claims and give-up, involved issues: the requests sent ---------------------------

def _outbox_doc(email_id: int, key: str, **kw) -> dict:
    return {"id": email_id, "dedupe_key": key, "kind": "alert", "issue_id": None, "recipients": ["a@x"], "subject": "s",
            "body_text": "b", "body_html": "", "attachments": [], "created_at": "2026-11-02T01:00:00.000+00:00",
            "send_after": "2026-11-02T01:00:00.000+00:00", "next_attempt_at": "2026-11-02T01:00:00.000+00:00",
            "sent_at": None, "message_id": "", "attempts": 0, "last_error": "", "claimed_by": "",
            "claimed_until": None, "failed_at": None, "reported_at": None,
            "give_up_at": "2026-11-05T01:00:00.000+00:00", **kw}


def test_a_claim_is_a_compare_and_set_and_a_lost_race_claims_nothing(es_like):
    hits = {**EMPTY_HITS, "hits": {"total": {"value": 2, "relation": "eq"}, "hits": [
        {"_index": "yq-outbox", "_id": "aaa", "_seq_no": 4, "_primary_term": 1, "_source": _outbox_doc(1, "k1")},
        {"_index": "yq-outbox", "_id": "bbb", "_seq_no": 7, "_primary_term": 1, "_source": _outbox_doc(2, "k2")}]}}
    puts = []

    def answer(method, path, body, params):
        path = unquote(path)
        if path == "/yq-outbox/_search":
            return 200, hits
        if method == "PUT" and path.startswith("/yq-outbox/_doc/"):
            puts.append((path, params, body))
            if path.endswith("/aaa"):  # another sender claimed k1 a moment ago
                return 409, {"error": {"type": "version_conflict_engine_exception", "reason": "seq no"}, "status": 409}
            return 200, {"_index": "yq-outbox", "_id": "bbb", "result": "updated", "_seq_no": 8, "_primary_term": 1}
        return 404, {"error": {"type": "not_found", "reason": path}, "status": 404}

    es_like.fallback = answer
    store = ElasticsearchStore(Elasticsearch(es_like.url), prefix="yq", setup=False)
    now = datetime(2026, 11, 2, 2, tzinfo=timezone.utc)
    (got,) = store.claim_emails(now, "sender-b", timedelta(minutes=3))
    assert got["dedupe_key"] == "k2" and got["claimed_by"] == "sender-b"
    assert [(p[0], p[1]["if_seq_no"], p[1]["if_primary_term"]) for p in puts] == [
        ("/yq-outbox/_doc/aaa", ["4"], ["1"]), ("/yq-outbox/_doc/bbb", ["7"], ["1"])]
    assert puts[1][2]["claimed_until"] == "2026-11-02T02:03:00.000+00:00"


def test_a_permanent_failure_writes_the_give_up_time(es_like):
    doc = _outbox_doc(3, "k3", attempts=0)
    puts = []

    def answer(method, path, body, params):
        path = unquote(path)
        if path == "/yq-outbox/_search":
            return 200, {**EMPTY_HITS, "hits": {"total": {"value": 1, "relation": "eq"}, "hits": [
                {"_index": "yq-outbox", "_id": "ccc", "_seq_no": 1, "_primary_term": 1, "_source": doc}]}}
        if method == "PUT":
            puts.append(body)
            return 200, {"_index": "yq-outbox", "_id": "ccc", "result": "updated", "_seq_no": 2, "_primary_term": 1}
        return 404, {"error": {"type": "not_found", "reason": path}, "status": 404}

    es_like.fallback = answer
    store = ElasticsearchStore(Elasticsearch(es_like.url), prefix="yq", setup=False)
    assert store.mark_email_failed(3, "550 no such user", datetime(2026, 11, 2, 3, tzinfo=timezone.utc), permanent=True)
    (body,) = puts
    assert body["failed_at"] and body["attempts"] == 1 and body["last_error"] == "550 no such user"
    assert body["claimed_by"] == "" and body["claimed_until"] is None


def test_involved_issues_ask_the_posts_then_the_issues_led_elsewhere(es_like):
    store, asked = _scripted(es_like, {"/yq-posts/_search": {**EMPTY_HITS, "aggregations": {"issues": {"buckets": [
        {"key": 4, "doc_count": 3}]}}}, "/yq-issues/_search": _hits(_issue(4, unit="M1"))})
    (got,) = store.involved_issues({"M2"}, status="open")
    assert (got.id, got.post_count, got.unit) == (4, 3, "M1")
    (posts,) = asked["/yq-posts/_search"]
    assert {"terms": {"unit": ["M2"]}} in posts["query"]["bool"]["filter"]
    (issues,) = asked["/yq-issues/_search"]
    assert issues["query"]["bool"]["must_not"] == [{"terms": {"unit": ["M2"]}}]
