"""Time every dashboard page's store queries on a large store (default 1,000,000 posts).

    .venv/bin/python benchmarks/dashboard_queries.py [--posts 1000000] [--db /tmp/yuqing-bench.db]

Best run on a store of varied, really analysed posts with their real events:

    .venv/bin/python benchmarks/analyze_scale.py --posts 1000000 --keep /tmp/yq-1m
    .venv/bin/python benchmarks/dashboard_queries.py --db /tmp/yq-1m/yuqing.db

(a store without issues gets one issue for each of its 300 largest events). Without an existing
``--db`` a synthetic store is built (12 repeated phrases, 400 events: the old, easy case). Each
page's queries run as the page runs them, for a monitor (all units) and for a cadre (one mine's
subtree), as of the store's newest post; the script prints seconds per page and exits non-zero
when any page needs 1 s or more.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from yuqing.casework.model import Issue
from yuqing.orgtree import OrgTree
from yuqing.schema import TOPICS, Analysis, Event, Post, Source, SourceKind, Unit
from yuqing.storage.base import PostQuery
from yuqing.storage.sqlite import SqliteStore

WORDS = ("工资 奖金 加班费 食堂 班车 宿舍 安全 通风 瓦斯 培训 绩效 社保 公积金 体检 篮球 书屋 领导 检修 "
         "设备 采煤 掘进 调度 考核 请假 轮休 高温 补贴 维修 工伤 医保 住房 子女 教育 帮扶 困难 慰问").split()
LIMIT_SECONDS = 1.0


def units() -> list[Unit]:
    out = [Unit("G", "集团工会", "", 1)]
    for s in range(1, 4):
        out.append(Unit(f"S{s}", f"{s}号子公司工会", "G", 2))
        for m in range(1, 5):
            code = f"S{s}M{m}"
            out.append(Unit(code, f"{s}-{m}矿工会", f"S{s}", 3))
            out += [Unit(f"{code}-Q{q}", f"{s}-{m}矿{q}区", code, 4) for q in range(1, 4)]
    return out


def build(path: Path, n_posts: int, now: datetime) -> None:
    store = SqliteStore(path)
    us = units()
    leaves = [u.code for u in us if u.level == 4]
    kinds = list(SourceKind)
    sources = [Source(f"src{i}", f"数据源{i}", kinds[i % len(kinds)], unit=leaves[i % len(leaves)]) for i in range(90)]
    store.sync_config(us, sources)
    rng = random.Random(1)
    topics = list(TOPICS)
    batch = 20_000
    t0 = time.perf_counter()
    for start in range(0, n_posts, batch):
        posts, analyses = [], []
        for i in range(start, min(start + batch, n_posts)):
            src = sources[rng.randrange(len(sources))]
            words = rng.sample(WORDS, 6)
            created = now - timedelta(seconds=rng.randrange(365 * 86400))
            p = Post(source_id=src.id, source_kind=src.kind, native_id=str(i), text="".join(words) + f"（{i}）",
                     author=f"职工{i % 5000}", created_at=created, thread_id=f"{src.id}-t{i % 300}")
            posts.append(p)
            neg = rng.random() < 0.3
            analyses.append(Analysis(
                p.id, "negative" if neg else rng.choice(("neutral", "positive")),
                {"negative": 0.7 if neg else 0.1, "neutral": 0.2, "positive": 0.1}, rng.choice(topics),
                risk="high" if neg and rng.random() < 0.1 else ("medium" if neg and rng.random() < 0.3 else "none"),
                keywords=words[:3], tokens=words, event_id=f"ev{rng.randrange(400)}" if rng.random() < 0.2 else ""))
        store.add_posts(posts)
        store.save_analyses(analyses)
        done = start + len(posts)
        print(f"  {done:,} posts ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    store.upsert_events([Event(f"ev{i}", f"事件{i}", ["工资"], "wages", leaves[i % len(leaves)],
                               now - timedelta(days=30), now, 100, 40) for i in range(400)])
    for i in range(300):
        store.create_issue(Issue(title=f"议题{i}", severity=("low", "medium", "high")[i % 3], unit=leaves[i % len(leaves)],
                                 event_id=f"ev{i}", due_at=now + timedelta(days=i % 10 - 5)))
    store.close()


def page_queries(store: SqliteStore, units_scope: set[str] | None, now: datetime) -> dict:
    """Each page's store calls, as the dashboard's queries module makes them."""
    since = now - timedelta(days=30)
    week, fortnight = now - timedelta(days=7), now - timedelta(days=14)

    def overview(days: int = 30):
        def run():
            oq = PostQuery(units=units_scope, since=now - timedelta(days=days))
            store.breakdown(oq), store.volume_by_day(oq)
            store.count_issues(units=units_scope, status="open"), store.count_issues(units=units_scope, overdue=True)
            store.recent_issues(units=units_scope)
        return run

    def search(text: str = "", **filters):
        """One view of the search page: count, newest 100, then the first hit's detail and context."""
        def run():
            sq = PostQuery(units=units_scope, since=since, text=text, limit=100, **filters)
            store.count_posts(sq)
            rows = store.query_posts(sq) or store.query_posts(PostQuery(units=units_scope, limit=1))
            p = rows[0].post
            store.query_posts(PostQuery(units=units_scope, ids=(p.id,), limit=1))
            store.query_posts(PostQuery(units=units_scope, since=p.created_at - timedelta(days=1),
                                        until=p.created_at + timedelta(days=1), thread_id=p.thread_id, limit=15))
            store.post_labels(p.id)
        return run

    def topics():
        this_q, last_q = PostQuery(units=units_scope, since=week, until=now), PostQuery(units=units_scope, since=fortnight, until=week)
        store.topic_mix(this_q), store.topic_mix(last_q)
        store.term_counts(this_q, 300), store.term_counts(last_q, 300)
        ev = store.event_activity(this_q)
        store.event_activity(last_q)
        for e in ev[:50]:
            store.get_event(e["event_id"])
        eq = PostQuery(units=units_scope, event_id=ev[0]["event_id"], limit=50)
        store.volume_by_day(eq), store.query_posts(eq)

    def issues():
        rows = store.list_issues(units=units_scope, status="open", now=now)
        store.list_issues(units=units_scope, overdue=True, now=now)
        store.get_issue(rows[0].id, units=units_scope)
        store.scoped_issue_posts(rows[0].id, units_scope)
        store.issue_history(rows[0].id)

    def sources():
        store.source_health(units=units_scope)

    return {"总览·近30天": overview(), "总览·近一年": overview(365), "检索·无关键词": search(), "检索·常见词": search("工资"), "检索·两个词": search("工资 食堂"),
            "检索·筛选": search(sentiments=("negative",), risks=("high",), topics=("wages",)),
            "话题与事件": topics, "议题": issues, "数据源": sources}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/yuqing-bench.db"))
    args = ap.parse_args()
    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    if not args.db.exists():
        print(f"building {args.posts:,} posts in {args.db} …", file=sys.stderr)
        build(args.db, args.posts, now)
    store = SqliteStore(args.db)
    store.tokenizer("预热")  # load jieba's dictionary once, outside the timings
    total = store.count_posts(PostQuery())
    newest = store.query_posts(PostQuery(limit=1))
    if newest:
        now = newest[0].post.created_at.replace(microsecond=0) + timedelta(seconds=1)
    if store.count_issues() == 0:
        events = store.list_events(limit=300)
        for i, e in enumerate(events):
            store.create_issue(Issue(title=e.label, severity=("low", "medium", "high")[i % 3], unit=e.unit or "G",
                                     event_id=e.id, topic=e.topic, due_at=now + timedelta(days=i % 10 - 5)))
        print(f"made {len(events)} issues from the largest events", file=sys.stderr)
    events = store.stats()["events"]
    cadre = OrgTree(store.list_units()).subtree("S2M3")
    worst = 0.0
    print(f"store: {total:,} posts, {events:,} events, as of {now:%Y-%m-%d %H:%M} UTC")
    for who, scope in (("监测员（全部单位）", None), ("干部（S2M3 矿）", cadre)):
        for page, run in page_queries(store, scope, now).items():
            t = time.perf_counter()
            run()
            took = time.perf_counter() - t
            worst = max(worst, took)
            print(f"{who:<12} {page:<8} {took:6.3f} s")
    store.close()
    print(f"slowest page: {worst:.3f} s (limit {LIMIT_SECONDS} s)")
    return 0 if worst < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
