"""Event grouping benchmark: B-cubed precision/recall/F1 on corpus/event_posts.csv.

Run after `yuqing train`:   .venv/bin/python benchmarks/nlp_events.py [--write] [--batch N]

The labelled set holds ~400 short WeChat-group/forum posts about ~40 concrete matters (with hard
negatives: two different wage problems in two mines the same week, canteen price vs canteen hygiene,
...) and ~60 chit-chat lines whose event is "" (no matter). The shipped analyzer
(:class:`yuqing.nlp.analyzer.Analyzer`) analyses every post; the posts are then fed to
:class:`yuqing.nlp.events.EventGrouper` oldest first in batches, exactly as
:func:`yuqing.nlp.analyzer.run_analyze` does: each batch gets a new grouper whose open events are the
previous batches' events (copied, as the store round-trips them) whose last post is within the window
of the batch's oldest post.

B-cubed is computed over the posts that have a real event (chit-chat posts are left out of both
precision and recall); separately, the number of chit-chat posts that landed in an event holding a
real matter is counted. The events are split in two by their index in the sorted list of event
names: even = "tune" (what the grouping rules were tuned on), odd = "report" (held out). Each
split's B-cubed uses only the posts of its events (the grouping itself always runs on all posts).

With --write the figures go to yuqing/nlp/models/benchmarks.json under the key "events" (other keys kept).
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from yuqing.nlp.analyzer import Analyzer
from yuqing.nlp.data import corpus_dir
from yuqing.nlp.events import EventGrouper, EventInput
from yuqing.nlp.persist import default_models_dir

CSV = corpus_dir() / "event_posts.csv"
WINDOW = timedelta(days=7)


def load(path: Path = CSV) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["created_at"] = datetime.fromisoformat(r["created_at"])
    return rows


def event_inputs(analyzer: Analyzer, rows: list[dict], **terms_kw) -> list[EventInput]:
    """One EventInput per row, built from the analysis as run_analyze builds it."""
    results = analyzer.analyze_texts([r["text"] for r in rows])
    return [EventInput(r["id"], r["created_at"], a["topic"], tuple(a["keywords"]), a["simhash"],
                       a["sentiment"] == "negative", r["unit"],
                       EventInput.terms_of(a["tokens"], analyzer.idf, analyzer.stopwords, **terms_kw))
            for r, a in zip(rows, results)]


def assign(items: list[EventInput], batch: int = 500, **grouper_kw) -> dict[str, str]:
    """{post id: event id}, posts fed oldest first, ``batch`` at a time, open events round-tripped."""
    store: dict = {}
    out: dict[str, str] = {}
    ordered = sorted(items, key=lambda i: (i.created_at, i.post_id))
    for start in range(0, len(ordered), batch):
        chunk = ordered[start:start + batch]
        oldest = chunk[0].created_at
        open_events = [replace(e, keywords=list(e.keywords)) for e in store.values()
                       if e.last_at is not None and e.last_at >= oldest - WINDOW]
        grouper = EventGrouper(events=open_events, window=WINDOW, **grouper_kw)
        for it in chunk:
            out[it.post_id] = grouper.add(it)
        for e in grouper.changed.values():
            store[e.id] = replace(e, keywords=list(e.keywords))
    return out


def bcubed(truth: dict[str, str], pred: dict[str, str], only: set[str] | None = None) -> dict:
    """B-cubed over the posts with a real event (``only``: of these events)."""
    real = {p: e for p, e in truth.items() if e}
    by_pred: dict[str, list[str]] = defaultdict(list)
    for p in real:
        by_pred[pred[p]].append(p)
    size_true = Counter(real.values())
    ps, rs = [], []
    for p, e in real.items():
        if only is not None and e not in only:
            continue
        cluster = by_pred[pred[p]]
        same = sum(1 for q in cluster if real[q] == e)
        ps.append(same / len(cluster))
        rs.append(same / size_true[e])
    prec, rec = sum(ps) / len(ps), sum(rs) / len(rs)
    return {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(2 * prec * rec / (prec + rec), 3),
            "posts": len(ps)}


def evaluate(rows: list[dict], pred: dict[str, str]) -> dict:
    truth = {r["id"]: r["event"] for r in rows}
    names = sorted({e for e in truth.values() if e})
    tune, report = set(names[0::2]), set(names[1::2])
    real_events = {pred[p] for p, e in truth.items() if e}
    chat_merged = sum(1 for p, e in truth.items() if not e and pred[p] in real_events)
    return {
        "all": bcubed(truth, pred),
        "tune": bcubed(truth, pred, tune),
        "report": bcubed(truth, pred, report),
        "true_events": len(names),
        "events_for_real_posts": len(real_events),
        "events_total": len(set(pred.values())),
        "singletons_real": sum(1 for c in Counter(pred[p] for p, e in truth.items() if e).values() if c == 1),
        "chitchat_posts": sum(1 for e in truth.values() if not e),
        "chitchat_merged_into_real": chat_merged,
        "posts": len(rows),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batch", type=int, default=100, help="posts per grouper batch (run_analyze uses 500)")
    ap.add_argument("--write", action="store_true", help="store the figures in yuqing/nlp/models/benchmarks.json")
    args = ap.parse_args()
    rows = load()
    items = event_inputs(Analyzer(), rows)
    pred = assign(items, batch=args.batch)
    res = evaluate(rows, pred)
    res["batch"] = args.batch
    res["same_as_one_pass"] = pred == assign(items, batch=len(items))
    for split in ("tune", "report", "all"):
        b = res[split]
        print(f"{split:>6}: B-cubed precision {b['precision']:.3f}  recall {b['recall']:.3f}  F1 {b['f1']:.3f}"
              f"  ({b['posts']} posts)")
    print(f"events: {res['events_for_real_posts']} for the real posts vs {res['true_events']} true "
          f"({res['singletons_real']} singletons); {res['events_total']} in all; chit-chat merged into a real "
          f"matter: {res['chitchat_merged_into_real']}/{res['chitchat_posts']}; "
          f"batch {args.batch} same as one pass: {res['same_as_one_pass']}")
    if args.write:
        path = default_models_dir() / "benchmarks.json"
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        data["events"] = {"set": "corpus/event_posts.csv",
                          "split": "events sorted by name: even index = tune, odd = report (held out)", **res}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path} [events]")


if __name__ == "__main__":
    main()
