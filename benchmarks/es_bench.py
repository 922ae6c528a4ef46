"""Indexing rate and page-query latency of the Elasticsearch backend against a live cluster.

    YUQING_ES_URL=http://es1:9200 .venv/bin/python benchmarks/es_bench.py [--posts 200000] [--keep]

Posts (with analyses, so the tokens are searchable) are written through the store's own bulk
path in indices with a fresh ``yuqing-bench-…`` prefix, which are deleted afterwards unless
``--keep``. Then each dashboard page query runs 20 times, for a monitor (all units) and for a
cadre (one unit); the script prints posts/s and median/p95 milliseconds per query. Without
YUQING_ES_URL it says so and exits with status 2.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

from yuqing.config import EsConfig
from yuqing.errors import YuqingError
from yuqing.schema import TOPICS, Analysis, Post, Source, SourceKind, Unit
from yuqing.storage.base import PostQuery
from yuqing.storage.elasticsearch.bulk import Action, run_bulk
from yuqing.storage.elasticsearch.documents import analysis_doc, post_doc
from yuqing.storage.elasticsearch.store import ElasticsearchStore

WORDS = ("工资 奖金 加班费 食堂 班车 宿舍 安全 通风 瓦斯 培训 绩效 社保 公积金 体检 篮球 书屋 领导 检修 "
         "设备 采煤 掘进 调度 考核 请假 轮休 高温 补贴 维修 工伤 医保 住房 子女 教育 帮扶 困难 慰问").split()
RUNS = 20


def load(store: ElasticsearchStore, n: int, now: datetime, batch: int) -> float:
    """Write ``n`` analysed posts; returns posts per second."""
    rng = random.Random(1)
    leaves = [f"U{i}" for i in range(36)]
    sources = [Source(f"src{i}", f"数据源{i}", list(SourceKind)[i % 5], unit=leaves[i % 36]) for i in range(90)]
    store.sync_config([Unit("G", "集团", "", 1)] + [Unit(u, u, "G", 2) for u in leaves], sources)
    topics = list(TOPICS)
    t0 = time.perf_counter()
    for start in range(0, n, batch):
        actions = []
        for i in range(start, min(start + batch, n)):
            src = sources[rng.randrange(90)]
            words = rng.sample(WORDS, 6)
            p = Post(source_id=src.id, source_kind=src.kind, native_id=str(i), text="".join(words),
                     created_at=now - timedelta(seconds=rng.randrange(180 * 86400)), author=f"职工{i % 5000}")
            neg = rng.random()
            a = Analysis(p.id, "negative" if neg > 0.7 else "neutral", {"negative": neg}, rng.choice(topics),
                         risk="high" if neg > 0.97 else "none", keywords=words[:3], tokens=words)
            actions.append(Action("create", store.names.posts_index(p.created_at), p.id,
                                  {**post_doc(p, src.unit, now, i), **analysis_doc(a, now)}))
        out = run_bulk(store.es, actions, refresh=False, max_docs=batch)
        if out.rejected:
            sys.exit(f"cluster rejected {len(out.rejected)} documents: {out.rejected[0].reason}")
        print(f"\r  {min(start + batch, n):>9,} posts", end="", file=sys.stderr)
    store.es.indices.refresh(index=f"{store.names.prefix}-*")
    print(file=sys.stderr)
    return n / (time.perf_counter() - t0)


def timed(fn) -> tuple[float, float]:
    ms = []
    for _ in range(RUNS):
        t = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    return statistics.median(ms), ms[int(len(ms) * 0.95) - 1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--posts", type=int, default=200_000)
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--keep", action="store_true", help="keep the benchmark indices")
    args = ap.parse_args()
    url = os.environ.get("YUQING_ES_URL", "")
    if not url:
        print("YUQING_ES_URL not set: no Elasticsearch cluster configured, nothing to measure.", file=sys.stderr)
        return 2
    es = EsConfig(url=url, index_prefix=f"yuqing-bench-{uuid.uuid4().hex[:8]}",
                  timeout=float(os.environ.get("YUQING_ES_TIMEOUT", "60")))
    try:
        store = ElasticsearchStore.open(es, replicas=0, refresh=False)
    except YuqingError as exc:
        print(exc, file=sys.stderr)
        return 1
    now = datetime.now(timezone.utc)
    try:
        rate = load(store, args.posts, now, args.batch)
        print(f"indexing: {args.posts:,} posts at {rate:,.0f} posts/s")
        week = now - timedelta(days=7)
        for who, scope in (("monitor", None), ("cadre", {"U3"})):
            queries = {
                "page 1": lambda s=scope: store.query_posts(PostQuery(units=s, limit=50)),
                "page 20": lambda s=scope: store.query_posts(PostQuery(units=s, limit=50, offset=950)),
                "search 工资": lambda s=scope: store.query_posts(PostQuery(text="工资", units=s, limit=50)),
                "count negative": lambda s=scope: store.count_posts(PostQuery(units=s, sentiments=["negative"])),
                "overview 7d": lambda s=scope: store.overview_counts(PostQuery(units=s, since=week)),
                "volume by day": lambda s=scope: store.volume_by_day(PostQuery(units=s)),
                "topic mix": lambda s=scope: store.topic_mix(PostQuery(units=s)),
                "term counts": lambda s=scope: store.term_counts(PostQuery(units=s, since=week)),
            }
            for name, fn in queries.items():
                med, p95 = timed(fn)
                print(f"{who:<8} {name:<15} median {med:7.1f} ms   p95 {p95:7.1f} ms")
    finally:
        if not args.keep:
            store.drop_all()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
