"""Benchmark: store N varied posts, then `yuqing analyze` them; is the cost per post flat?

    .venv/bin/python benchmarks/analyze_scale.py [--posts 100000] [--chats 40] [--days 60] [--keep DIR]

The posts are varied real texts: the public corpora in ../shared/data/sentiment (ChnSentiCorp,
online_shopping_10_cats, weibo) and yuqing's labelled worker posts and chat lines, cut into
sentence spans and recombined, with ~5% reposts of recent posts (edited: 「转：」, an emoji, a
few characters changed) and matters that recur across chats for days, spread over ``--chats`` group
chats and ``--days`` days. They are stored through ``Store.add_posts`` (what an import does after
parsing, search index included), then :func:`yuqing.nlp.analyzer.run_analyze` analyses them.
Printed: the store rate, the analyze rate for each tenth of the run (flat = the cost of a post does
not grow with the store), the whole run's rate, peak RSS of this process and of the classification
worker, and the number of events. Targets (issue #13): >= 2,000 posts/s at 100,000 posts, the last
tenth no slower than 1.3x the first; 1,000,000 posts in <= 10 minutes with peak RSS < 1 GB.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from yuqing.nlp.analyzer import Analyzer, run_analyze
from yuqing.schema import Post, Source, SourceKind
from yuqing.storage.sqlite import SqliteStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard_queries import units as org_units

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "sentiment"
CORPUS = ROOT / "corpus"
_SPLIT = re.compile(r"(?<=[。！？!?；;，,\n])")
EMOJI = ["[微笑]", "[流泪]", "[强]", "[抱拳]", "[发怒]", "😀", ""]


def texts() -> list[str]:
    out: list[str] = []
    for name, col in (("chnsenticorp_train.csv", "review"), ("chnsenticorp_validation.csv", "review"),
                      ("online_shopping_10_cats.csv", "review"), ("weibo_senti_subset2400.csv", "review")):
        path = SHARED / name
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as f:
                out += [r[col].lstrip("\ufeff") for r in csv.DictReader(f) if r.get(col)]
    for name in ("worker_posts.csv", "worker_chat.csv", "event_posts.csv"):
        with (CORPUS / name).open(encoding="utf-8", newline="") as f:
            out += [r["text"] for r in csv.DictReader(f) if r.get("text")]
    if not out:
        sys.exit("no corpora found (../shared/data/sentiment and corpus/)")
    return out


def varied_posts(n: int, chats: int, days: int, seed: int = 13):
    """``n`` posts: (chat index, time, text), varied as the module docstring says, oldest first."""
    rnd = random.Random(seed)
    pool = texts()
    clauses = [c.strip() for t in pool[:20000] for c in _SPLIT.split(t) if len(c.strip()) >= 4]
    matters = [rnd.choice(pool) for _ in range(max(50, n // 400))]  # recurring matters
    span = days * 86400
    start = datetime.now(timezone(timedelta(hours=8))).replace(microsecond=0) - timedelta(seconds=span)
    times = sorted(rnd.randrange(span) for _ in range(n))
    recent: list[str] = []
    for sec in times:
        r = rnd.random()
        if r < 0.05 and recent:
            base = rnd.choice(recent[-200:])
            cut = rnd.randrange(len(base)) if len(base) > 8 else 0
            text = "转：" + base[:cut] + base[cut + 2:] + rnd.choice(EMOJI)
        elif r < 0.15:
            text = rnd.choice(matters)[:120] + rnd.choice(EMOJI)
        elif r < 0.45:
            text = "".join(rnd.sample(clauses, rnd.randint(1, 3)))
        else:
            t = rnd.choice(pool)
            parts = [p for p in _SPLIT.split(t) if p.strip()] or [t]
            a = rnd.randrange(len(parts))
            text = "".join(parts[a:a + rnd.randint(1, 4)])[:300]
        recent.append(text)
        if len(recent) > 400:
            del recent[:200]
        yield rnd.randrange(chats), start + timedelta(seconds=sec), text or "收到"


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--chats", type=int, default=40)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--keep", type=Path, help="keep the store in this folder (default: a temporary one); "
                    "benchmarks/dashboard_queries.py --db DIR/yuqing.db then times the pages on it")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="yuqing-analyze-"))
    folder.mkdir(parents=True, exist_ok=True)
    store = SqliteStore(folder / "yuqing.db")
    units = org_units()  # the dashboard benchmark's tree: group → 3 subsidiaries → 12 mines → 36 区科
    leaves = [u.code for u in units if u.level == 4]
    sources = [Source(f"wx-{c}", f"职工群{c}", SourceKind.WECHAT_GROUP, unit=leaves[c % len(leaves)])
               for c in range(args.chats)]
    store.sync_config(units, sources)

    t0 = time.perf_counter()
    batch: list[Post] = []
    stored = 0
    for i, (chat, at, text) in enumerate(varied_posts(args.posts, args.chats, args.days)):
        batch.append(Post(source_id=f"wx-{chat}", source_kind=SourceKind.WECHAT_GROUP, text=text, created_at=at,
                          author=f"职工{i % 997}", native_id=str(i)))
        if len(batch) >= 5000:
            stored += store.add_posts(batch).inserted
            batch = []
    stored += store.add_posts(batch).inserted
    store_s = time.perf_counter() - t0
    print(f"stored {stored:,} posts in {store_s:.1f} s ({stored / store_s:,.0f} posts/s, search index included)")

    analyzer = Analyzer()  # loaded before the clock starts, as `yuqing analyze` does
    tenth = max(1, stored // 10)
    marks: list[tuple[int, float]] = []
    done = 0
    started = time.perf_counter()

    def progress(n: int) -> None:
        nonlocal done
        done += n
        while done >= (len(marks) + 1) * tenth and len(marks) < 10:
            marks.append((done, time.perf_counter()))

    # at least two batches a tenth, so each tenth's rate is measured, not inherited
    summary = run_analyze(store, progress=progress, batch=max(100, min(args.batch, tenth // 2)), analyzer=analyzer)
    total_s = time.perf_counter() - started
    prev_n, prev_t = 0, started
    rates = []
    for k, (n, t) in enumerate(marks, 1):
        if t <= prev_t:
            continue
        rate = (n - prev_n) / (t - prev_t)
        rates.append(rate)
        print(f"  tenth {k:2d}: posts {prev_n + 1:>9,}–{n:>9,}  {rate:8,.0f} posts/s")
        prev_n, prev_t = n, t
    events = store.stats()["events"]
    print(f"analyzed {summary.analyzed:,} posts in {total_s:.1f} s: {summary.analyzed / total_s:,.0f} posts/s; "
          f"time per post, last tenth vs first: {rates[0] / rates[-1]:.2f}x; vs the median tenth: "
          f"{sorted(rates)[len(rates) // 2] / rates[-1]:.2f}x" if rates else "nothing analysed")
    print(f"events: {events:,} ({summary.events_new:,} new; {summary.events_joined:,} posts joined one)")
    print(f"peak RSS: this process {peak_mb(resource.RUSAGE_SELF):,.0f} MB, "
          f"classification worker {peak_mb(resource.RUSAGE_CHILDREN):,.0f} MB")
    store.close()
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
