"""Several workers on one store (``MultiWorker``): a step's lease is held by one worker at a time, and
the analysis is shared. SQLite has one worker by construction: every lease is granted, no share."""

from __future__ import annotations

from datetime import timedelta

from yuqing.storage.protocols import MultiWorker

from ...conftest import make_post

TTL = timedelta(minutes=5)


def test_a_step_runs_on_one_worker_at_a_time(store):
    assert isinstance(store, MultiWorker)
    assert store.acquire_lease("alerts", "w1", TTL) is True
    assert store.acquire_lease("alerts", "w1", TTL) is True  # the holder renews it
    share = store.claim_analysis_buckets("w1", TTL)
    if share is None:  # one worker (SQLite): nothing to share, nothing to wait for
        assert store.acquire_lease("alerts", "w2", TTL) is True
    else:
        assert store.acquire_lease("alerts", "w2", TTL) is False
        assert store.acquire_lease("send_mail", "w2", TTL) is True
        assert share and all(isinstance(b, int) for b in share)


def test_a_lone_workers_share_is_every_post(store, units, sources):
    store.sync_config(units, sources)
    posts = [make_post(i) for i in range(12)]
    store.add_posts(posts)
    store.claim_analysis_buckets("w1", TTL)
    assert {p.id for p in store.posts_to_analyze(limit=100)} == {p.id for p in posts}
