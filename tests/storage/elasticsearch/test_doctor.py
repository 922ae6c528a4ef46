"""The Elasticsearch doctor against a scripted cluster over real HTTP."""

from __future__ import annotations

from urllib.parse import unquote

from yuqing.config import EsConfig
from yuqing.storage.elasticsearch.doctor import check_cluster
from yuqing.storage.elasticsearch.mapping import Names, posts_template

from .conftest import INFO


def _cluster(es_like, *, template: bool = True, missing_index: str = ""):
    names = Names("yq")
    stored: dict[str, dict] = {}

    def answer(method, path, body, params):
        path = unquote(path)
        if path == "/_index_template/yq-posts":
            if not template:
                return 404, {"error": {"type": "resource_not_found_exception", "reason": "missing"}, "status": 404}
            return 200, {"index_templates": [{"name": "yq-posts", "index_template": posts_template(names)}]}
        if path == "/_alias/yq-posts":
            return 200, {"yq-posts-2026.10": {"aliases": {"yq-posts": {}}},
                         "yq-posts-2026.11": {"aliases": {"yq-posts": {}}}}
        if path == "/yq-*":
            return 200, {ix: {} for ix in names.all_small() if ix != f"yq-{missing_index}"}
        if path.startswith("/yq-state/_doc/"):
            doc_id = path.rsplit("/", 1)[1]
            if method == "PUT":
                stored[doc_id] = body
                return 201, {"_index": "yq-state", "_id": doc_id, "result": "created", "_seq_no": 0,
                             "_primary_term": 1, "_version": 1}
            if method == "GET":
                return 200, {"_index": "yq-state", "_id": doc_id, "found": True, "_source": stored[doc_id],
                             "_seq_no": 0, "_primary_term": 1, "_version": 1}
            if method == "DELETE":
                stored.pop(doc_id)
                return 200, {"_index": "yq-state", "_id": doc_id, "result": "deleted", "_version": 2}
        return 404, {"error": {"type": "not_found", "reason": path}, "status": 404}

    es_like.fallback = answer
    return stored


def test_healthy_cluster(es_like):
    stored = _cluster(es_like)
    checks = list(check_cluster(EsConfig(url=es_like.url, index_prefix="yq", timeout=2)))
    assert all(c.ok for c in checks), checks
    assert [c.what for c in checks] == ["集群可连接", "版本", "帖子索引模板", "帖子别名", "其他索引", "写入与读取"]
    assert "2 个月度索引" in checks[3].detail and stored == {}  # the test record was removed


def test_missing_template_index_and_old_version_are_named(es_like):
    _cluster(es_like, template=False, missing_index="outbox")
    es_like.routes[("GET", "/")] = (200, {**INFO, "version": {"number": "8.15.0"}})
    checks = {c.what: c for c in check_cluster(EsConfig(url=es_like.url, index_prefix="yq", timeout=2))}
    assert not checks["版本"].ok and "9.x" in checks["版本"].detail
    assert not checks["帖子索引模板"].ok and "不存在" in checks["帖子索引模板"].detail
    assert not checks["其他索引"].ok and "yq-outbox" in checks["其他索引"].detail
    assert "写入与读取" not in checks
