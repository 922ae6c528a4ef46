from __future__ import annotations

from datetime import datetime, timedelta, timezone

from yuqing.storage.elasticsearch.leases import Lease, decide, fair_share, live_workers, owner

NOW = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
TTL = timedelta(minutes=5)


def test_free_expired_or_own_lease_is_taken_live_foreign_is_not():
    assert decide(None, "crawl:a", "w1", NOW, TTL).holder == "w1"
    live = Lease("crawl:a", "w2", NOW + timedelta(minutes=1), NOW - timedelta(minutes=4))
    assert decide(live, "crawl:a", "w1", NOW, TTL) is None
    expired = Lease("crawl:a", "w2", NOW - timedelta(seconds=1), NOW - timedelta(minutes=6))
    assert decide(expired, "crawl:a", "w1", NOW, TTL) == Lease("crawl:a", "w1", NOW + TTL, NOW)
    renewed = decide(live, "crawl:a", "w2", NOW, TTL)
    assert renewed.expires_at == NOW + TTL and renewed.acquired_at == live.acquired_at


def test_shares_partition_the_work():
    items = [f"analyze:{b}" for b in range(64)]
    workers = {"w1", "w2", "w3"}
    shares = [fair_share(items, workers, w) for w in sorted(workers)]
    assert sorted(i for s in shares for i in s) == sorted(items)  # every item once, none twice
    assert all(10 <= len(s) <= 32 for s in shares)


def test_dead_workers_share_moves_and_nothing_else_does():
    items = [f"crawl:src-{i}" for i in range(40)]
    before = {i: owner(i, {"w1", "w2", "w3"}) for i in items}
    after = {i: owner(i, {"w1", "w2"}) for i in items}
    moved = {i for i in items if before[i] != after[i]}
    assert moved == {i for i in items if before[i] == "w3"}


def test_live_workers_from_heartbeats():
    leases = [Lease("worker:w1", "w1", NOW + TTL, NOW), Lease("worker:w2", "w2", NOW - timedelta(seconds=1), NOW),
              Lease("crawl:a", "w9", NOW + TTL, NOW)]
    assert live_workers(leases, NOW) == {"w1"}
