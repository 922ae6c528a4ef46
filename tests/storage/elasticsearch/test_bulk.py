from __future__ import annotations

from elasticsearch import Elasticsearch

from yuqing.storage.elasticsearch.bulk import Action, BulkOutcome, chunked, classify, reason_of, run_bulk

MAPPING_ERROR = {"type": "document_parsing_exception", "reason": "[1:20] failed to parse field [likes] of type [integer]",
                 "caused_by": {"type": "number_format_exception", "reason": "For input string: \"很多\""}}


def _actions(n: int, op: str = "create") -> list[Action]:
    return [Action(op, "yuqing-posts-2026.11", f"p{i}", {"id": f"p{i}", "source_id": "src-a", "likes": i})
            for i in range(n)]


def _item(op: str, action: Action, status: int, error: dict | None = None) -> dict:
    r = {"_index": action.index, "_id": action.id, "status": status}
    if error:
        r["error"] = error
    return {op: r}


def test_chunks_by_count_and_bytes():
    acts = _actions(1200)
    assert [len(c) for c in chunked(acts, max_docs=500)] == [500, 500, 200]
    big = [Action("index", "i", str(i), {"text": "字" * 1000}) for i in range(10)]  # ~3 kB each
    sizes = [len(c) for c in chunked(big, max_docs=500, max_bytes=10_000)]
    assert sum(sizes) == 10 and max(sizes) <= 3


def test_classify_created_duplicate_retry_rejected():
    acts = _actions(4)
    items = [_item("create", acts[0], 201), _item("create", acts[1], 409, {"type": "version_conflict_engine_exception",
                                                                          "reason": "document already exists"}),
             _item("create", acts[2], 429, {"type": "es_rejected_execution_exception", "reason": "queue full"}),
             _item("create", acts[3], 400, MAPPING_ERROR)]
    out = BulkOutcome()
    retry = classify(items, acts, out)
    assert out.done == ["p0"] and out.duplicates == ["p1"] and retry == [acts[2]]
    (q,) = out.rejected
    assert q.position == "文档 p3" and q.source_id == "src-a" and "likes" in q.reason and "很多" in q.reason
    assert q.origin == "elasticsearch:yuqing-posts-2026.11" and '"likes": 3' in q.raw


def test_reason_is_one_line():
    assert "\n" not in reason_of({"type": "x", "reason": "a\nb"})


def test_per_document_errors_are_quarantined_and_429_retried(es_like):
    """Against a server that rejects one document outright and throttles another once."""
    calls = []

    def bulk(lines):
        ops = [(list(lines[i])[0], lines[i][list(lines[i])[0]]["_id"]) for i in range(0, len(lines), 2)]
        calls.append([i for _, i in ops])
        items = []
        for op, doc_id in ops:
            if doc_id == "p3":
                items.append({op: {"_id": doc_id, "status": 400, "error": MAPPING_ERROR}})
            elif doc_id == "p1" and len(calls) == 1:
                items.append({op: {"_id": doc_id, "status": 429, "error": {"type": "es_rejected_execution_exception",
                                                                           "reason": "rejected"}}})
            else:
                items.append({op: {"_id": doc_id, "status": 201}})
        return 200, {"took": 1, "errors": True, "items": items}

    es_like.routes[("PUT", "/_bulk")] = es_like.routes[("POST", "/_bulk")] = bulk
    sleeps: list[float] = []
    client = Elasticsearch(es_like.url, request_timeout=5)
    out = run_bulk(client, _actions(5), sleep=sleeps.append)
    assert sorted(out.done) == ["p0", "p1", "p2", "p4"]
    assert [r.position for r in out.rejected] == ["文档 p3"]
    assert calls == [["p0", "p1", "p2", "p3", "p4"], ["p1"]] and sleeps == [0.5] and out.retries == 1


def test_whole_request_429_backs_off_then_gives_up_into_quarantine(es_like):
    es_like.routes[("PUT", "/_bulk")] = es_like.routes[("POST", "/_bulk")] = (
        429, {"error": {"type": "es_rejected_execution_exception", "reason": "too many"}, "status": 429})
    sleeps: list[float] = []
    client = Elasticsearch(es_like.url, request_timeout=5, max_retries=0)
    out = run_bulk(client, _actions(2), max_retries=3, initial_backoff=0.1, sleep=sleeps.append)
    assert sleeps == [0.1, 0.2, 0.4]
    assert out.done == [] and len(out.rejected) == 2 and "429" in out.rejected[0].reason
