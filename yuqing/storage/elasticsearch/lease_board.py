"""Leases kept in the ``<prefix>-leases`` index, written with compare-and-set on ``_seq_no`` so two
workers can never both win the same lease (the logic is in :mod:`.leases`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from .documents import iso, parse
from .leases import WORKER_PREFIX, Lease, decide, fair_share, live_workers


def _lease(src: dict) -> Lease:
    return Lease(name=src["name"], holder=src["holder"], expires_at=parse(src["expires_at"]),
                 acquired_at=parse(src["acquired_at"]))


class LeaseBoard:
    def __init__(self, client: Elasticsearch, index: str):
        self.es = client
        self.index = index

    def acquire(self, name: str, worker: str, ttl: timedelta, now: datetime | None = None) -> bool:
        """Take or renew lease ``name`` for ``worker``; False when another live worker holds it
        or won the race for it."""
        now = now or datetime.now(timezone.utc)
        try:
            got = self.es.get(index=self.index, id=name)
            current, cas = _lease(got["_source"]), {"if_seq_no": got["_seq_no"],
                                                    "if_primary_term": got["_primary_term"]}
        except NotFoundError:
            current, cas = None, {"op_type": "create"}
        new = decide(current, name, worker, now, ttl)
        if new is None:
            return False
        doc = {"name": name, "holder": worker, "expires_at": iso(new.expires_at), "acquired_at": iso(new.acquired_at)}
        try:
            self.es.index(index=self.index, id=name, document=doc, refresh="wait_for", **cas)
        except ConflictError:
            return False
        return True

    def release(self, name: str, worker: str) -> None:
        """Give a lease back (only if ``worker`` still holds it)."""
        try:
            got = self.es.get(index=self.index, id=name)
        except NotFoundError:
            return
        if got["_source"]["holder"] != worker:
            return
        try:
            self.es.delete(index=self.index, id=name, if_seq_no=got["_seq_no"],
                           if_primary_term=got["_primary_term"], refresh="wait_for")
        except (ConflictError, NotFoundError):
            pass

    def leases(self) -> list[Lease]:
        resp = self.es.search(index=self.index, query={"match_all": {}}, size=10000)
        return [_lease(h["_source"]) for h in resp["hits"]["hits"]]

    def claim(self, worker: str, items: Iterable[str], ttl: timedelta, now: datetime | None = None) -> list[str]:
        """Heartbeat, give back held items no longer in this worker's fair share (a worker joined),
        then take or renew the share; returns the items held.

        Items whose previous holder is still alive are skipped until it gives them back or its
        lease expires, so no item is ever held by two workers."""
        now = now or datetime.now(timezone.utc)
        items = list(items)
        self.acquire(WORKER_PREFIX + worker, worker, ttl, now)
        leases = self.leases()
        share = set(fair_share(items, live_workers(leases, now), worker))
        wanted = set(items)
        for lease in leases:
            if lease.holder == worker and lease.name in wanted and lease.name not in share:
                self.release(lease.name, worker)
        return [i for i in items if i in share and self.acquire(i, worker, ttl, now)]
