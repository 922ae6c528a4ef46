"""ElasticsearchStore against a scripted cluster over real HTTP: index set-up, and a post the
cluster rejects ending up in the quarantine index with the cluster's reason."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import unquote

from elasticsearch import Elasticsearch

from yuqing.storage.elasticsearch.mapping import INDEX_PROPERTIES
from yuqing.storage.elasticsearch.store import ElasticsearchStore

from ...conftest import make_post

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
    import pytest

    from yuqing.errors import StorageError
    from yuqing.storage import PostQuery

    store = ElasticsearchStore(Elasticsearch("http://127.0.0.1:9"), prefix="yq", setup=False)
    with pytest.raises(StorageError, match="前 10000 条"):
        store.query_posts(PostQuery(limit=50, offset=9980))
