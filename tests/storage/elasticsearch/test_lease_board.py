"""Leases over real HTTP against a scripted index that does what Elasticsearch does with
``op_type=create`` and ``if_seq_no``/``if_primary_term``: refuses a stale write with 409."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

from elasticsearch import Elasticsearch

from yuqing.storage.elasticsearch.lease_board import LeaseBoard

NOW = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
TTL = timedelta(minutes=5)
CONFLICT = (409, {"error": {"type": "version_conflict_engine_exception", "reason": "conflict"}, "status": 409})


class Index:
    """Documents with sequence numbers, compare-and-set like a shard's primary."""

    def __init__(self):
        self.docs: dict[str, tuple[int, dict]] = {}
        self.seq = 0
        self.lock = threading.Lock()

    def __call__(self, method, path, body, params):
        path = unquote(path)
        if path.endswith("/_search"):
            hits = [{"_id": k, "_source": v} for k, (_, v) in self.docs.items()]
            return 200, {"hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits}}
        doc_id = path.rsplit("/", 1)[1]
        with self.lock:
            current = self.docs.get(doc_id)
            if method == "GET":
                if current is None:
                    return 404, {"_index": "l", "_id": doc_id, "found": False}
                return 200, {"_index": "l", "_id": doc_id, "found": True, "_seq_no": current[0], "_primary_term": 1,
                             "_source": current[1]}
            if method == "PUT":
                if params.get("op_type") == ["create"] or "/_create/" in path:
                    if current is not None:
                        return CONFLICT
                elif "if_seq_no" in params and (current is None or int(params["if_seq_no"][0]) != current[0]):
                    return CONFLICT
                self.seq += 1
                self.docs[doc_id] = (self.seq, body)
                return 201, {"_index": "l", "_id": doc_id, "result": "created", "_seq_no": self.seq,
                             "_primary_term": 1, "_version": 1}
            if method == "DELETE":
                if current is None:
                    return 404, {"_index": "l", "_id": doc_id, "result": "not_found"}
                if "if_seq_no" in params and int(params["if_seq_no"][0]) != current[0]:
                    return CONFLICT
                del self.docs[doc_id]
                return 200, {"_index": "l", "_id": doc_id, "result": "deleted", "_version": 2}
        return 404, {"error": {"type": "not_found", "reason": path}, "status": 404}


def _board(es_like) -> tuple[LeaseBoard, Index]:
    index = Index()
    es_like.fallback = index
    return LeaseBoard(Elasticsearch(es_like.url), "l"), index


def test_a_live_lease_is_not_taken_an_expired_one_is(es_like):
    board, _ = _board(es_like)
    assert board.acquire("crawl:a", "w1", TTL, NOW)
    assert not board.acquire("crawl:a", "w2", TTL, NOW + timedelta(minutes=1))
    assert board.acquire("crawl:a", "w1", TTL, NOW + timedelta(minutes=1))  # renew
    assert board.acquire("crawl:a", "w2", TTL, NOW + timedelta(minutes=7))  # w1 died
    assert not board.acquire("crawl:a", "w1", TTL, NOW + timedelta(minutes=8))


def test_racing_workers_one_winner(es_like):
    board, _ = _board(es_like)
    wins: list[str] = []
    barrier = threading.Barrier(6)

    def race(w):
        barrier.wait()
        if board.acquire("analyze:7", w, TTL, NOW):
            wins.append(w)

    threads = [threading.Thread(target=race, args=(f"w{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1


def test_claim_splits_buckets_and_takes_over_a_dead_workers_share(es_like):
    board, _ = _board(es_like)
    items = [f"analyze:{b}" for b in range(16)]
    assert sorted(board.claim("w1", items, TTL, NOW)) == sorted(items)  # alone: everything
    assert board.claim("w2", items, TTL, NOW) == []  # w1 still holds w2's share …
    a = board.claim("w1", items, TTL, NOW + timedelta(seconds=30))  # … until w1 renews and gives it back
    b = board.claim("w2", items, TTL, NOW + timedelta(seconds=40))
    assert a and b and not set(a) & set(b) and sorted(a + b) == sorted(items)
    # w1 keeps renewing; w2 stops (dies). Once its heartbeat and leases expire, w1 holds everything.
    assert sorted(board.claim("w1", items, TTL, NOW + timedelta(minutes=4))) == sorted(a)
    assert sorted(board.claim("w1", items, TTL, NOW + timedelta(minutes=6))) == sorted(items)
