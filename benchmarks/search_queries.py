"""Time the search page's queries (issue #16) on a large store, e.g. the 1,000,000-post benchmark store.

    cp /tmp/yq-1m/yuqing.db /tmp/me/yuqing.db        # never the original: opening it migrates it
    .venv/bin/python benchmarks/search_queries.py --db /tmp/me/yuqing.db

Opening a store made before migration 0012 indexes every stored post's character grams (timed and
printed once). Then each query runs as the search page runs it — one ``search_posts`` (the total and a
page of 20), as of the store's newest post, in the sidebar's default 30 days and in a whole year — for a
monitor (all units) and a cadre (one mine's subtree); medians of 3 runs (after one warm-up run) are
printed in seconds, and the script exits non-zero when any needs 1 s or more.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from yuqing.orgtree import OrgTree
from yuqing.storage.base import PostQuery
from yuqing.storage.sqlite import SqliteStore

QUERIES = [("常见词 工资", "工资"), ("工资拖欠", "工资拖欠"), ("拖欠工资", "拖欠工资"), ("\"工资 拖欠\"", "工资 拖欠"),
           ("词的一部分 班费", "班费"), ("单字 欠", "欠"), ("或 欠薪|涨价", "欠薪 | 涨价"), ("排除 食堂 -涨价", "食堂 -涨价"),
           ("整句 \"夜班补贴\"", "\"夜班补贴\"")]


def timed(fn, runs: int = 3) -> float:
    fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--cadre-unit", default="S2M3", help="the mine whose subtree a cadre sees")
    args = ap.parse_args()
    t = time.perf_counter()
    store = SqliteStore(args.db)
    print(f"open (migrations included): {time.perf_counter() - t:.1f} s", flush=True)
    store.search_tokenizer("", "预热")  # jieba's dictionary loaded outside the timings
    total = store.count_posts(PostQuery())
    now = store.query_posts(PostQuery(limit=1))[0].post.created_at + timedelta(seconds=1)
    tree = OrgTree(store.list_units())
    cadre = tree.subtree(args.cadre_unit) if args.cadre_unit in tree else None
    print(f"{total:,} posts; newest {now:%Y-%m-%d %H:%M} UTC; cadre scope {sorted(cadre or [])}")
    worst = 0.0
    rows = []
    for who, units in (("monitor", None), ("cadre", cadre)):
        for days in (30, 365):
            since = now - timedelta(days=days)
            for label, text in QUERIES:
                for sort in ("time", "heat"):
                    q = PostQuery(text=text, units=units, since=since, until=now, limit=20, sort=sort)
                    found = store.search_posts(q)
                    s = timed(lambda q=q: store.search_posts(q))
                    worst = max(worst, s)
                    rows.append((who, days, label, sort, found.total, s))
            # the author view and the chat view (one page, in time order)
            sample = store.query_posts(PostQuery(units=units, since=since, until=now, limit=1))
            if sample:
                p = sample[0].post
                for label, q in (("作者视图", PostQuery(author=p.author_id or p.author, units=units, limit=20)),
                                 ("会话视图", PostQuery(source_ids=[p.source_id], units=units, newest_first=False,
                                                        limit=20, offset=1000)),
                                 ("翻到第50页", PostQuery(text="工资", units=units, since=since, until=now, limit=20,
                                                        offset=980))):
                    found = store.search_posts(q)
                    s = timed(lambda q=q: store.search_posts(q))
                    worst = max(worst, s)
                    rows.append((who, days, label, "time", found.total, s))
    print(f"{'who':8} {'days':>4}  {'query':24} {'sort':5} {'matches':>9}  seconds")
    for who, days, label, sort, n, s in rows:
        print(f"{who:8} {days:>4}  {label:24} {sort:5} {n:>9,}  {s:.3f}")
    print(f"slowest: {worst:.3f} s")
    return 0 if worst < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
