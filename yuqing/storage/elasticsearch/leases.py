"""Leases: how several `yuqing run` workers split crawl sources and analysis buckets. No IO.

A lease names a piece of work (``crawl:<source id>``, ``analyze:<bucket>``), the worker holding it
and when it expires. A worker takes a lease that is free, expired or already its own; it never
takes a live lease of another worker. Each worker also holds a heartbeat lease
(``worker:<id>``); the live workers split the work by rendezvous hashing, so when one dies its
heartbeat expires, the others' shares grow to cover its work, and they take its leases as soon
as those expire. The Elasticsearch calls (compare-and-set on ``_seq_no``) are in
:mod:`.lease_board`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

WORKER_PREFIX = "worker:"


@dataclass(frozen=True)
class Lease:
    name: str
    holder: str
    expires_at: datetime
    acquired_at: datetime

    def alive(self, now: datetime) -> bool:
        return self.expires_at > now


def decide(current: Lease | None, name: str, worker: str, now: datetime, ttl: timedelta) -> Lease | None:
    """The lease ``worker`` may write now, or None when another worker holds it alive.

    Renewing one's own lease keeps its ``acquired_at``."""
    if current is not None and current.alive(now) and current.holder != worker:
        return None
    acquired = current.acquired_at if current is not None and current.holder == worker and current.alive(now) else now
    return Lease(name=name, holder=worker, expires_at=now + ttl, acquired_at=acquired)


def _weight(worker: str, item: str) -> int:
    return int.from_bytes(hashlib.sha1(f"{worker}\x1f{item}".encode()).digest()[:8], "big")


def owner(item: str, workers: Iterable[str]) -> str:
    """The live worker an item belongs to (rendezvous hashing: stable when others come or go)."""
    return max(sorted(workers), key=lambda w: _weight(w, item))


def fair_share(items: Iterable[str], workers: Iterable[str], worker: str) -> list[str]:
    """The items ``worker`` should hold when ``workers`` are alive (it counts itself in)."""
    live = set(workers) | {worker}
    return [i for i in items if owner(i, live) == worker]


def live_workers(leases: Iterable[Lease], now: datetime) -> set[str]:
    """Workers whose heartbeat lease has not expired."""
    return {lease.holder for lease in leases if lease.name.startswith(WORKER_PREFIX) and lease.alive(now)}
