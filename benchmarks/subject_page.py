"""Time what the 专题 page computes (candidate search per keyword, the expression, units and
sources, then trend / sentiment / top posts / events) on a store, medians of 5.

    .venv/bin/python benchmarks/subject_page.py yuqing-demo/yuqing.toml ["工资 AND (拖欠 OR 晚发)" …]

Same steps as ``yuqing.dashboard.queries.subject_view`` without Streamlit's cache, for a monitor
(all units), over the 90 days before the store's newest post.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta

from yuqing import subjects as sj
from yuqing.config import load_config
from yuqing.orgtree import OrgTree
from yuqing.schema import Subject
from yuqing.storage import open_store
from yuqing.storage.base import PostQuery

DEFAULT = ("工资 AND (拖欠 OR 晚发)", "食堂 OR 饭菜 OR 夜班饭", "工资 拖欠 NOT 谣言")
CANDIDATES = 5000  # as queries.SUBJECT_CANDIDATES


def main(argv: list[str]) -> int:
    cfg = load_config(argv[0], env={})
    store = open_store(cfg)
    tree = OrgTree(store.list_units())
    newest = store.query_posts(PostQuery(limit=1))[0].post.created_at
    since = newest - timedelta(days=90)
    for query in argv[1:] or DEFAULT:
        subject = Subject("bench", query)
        times, total, candidates = [], 0, 0
        for _ in range(5):
            t0 = time.perf_counter()
            match = sj.matcher(subject, tree, None)
            found = []
            for term in sj.positive_terms(match.node):
                found += store.query_posts(PostQuery(text=term, since=since, limit=CANDIDATES))
            posts = sj.matching(found, match)
            fig = sj.figures(posts, cfg.tz, newest)
            times.append(time.perf_counter() - t0)
            total, candidates = fig.total, len(found)
        print(f"{query}: {total} posts of {candidates} candidates, median {statistics.median(times) * 1000:.0f} ms")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
