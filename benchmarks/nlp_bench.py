"""NLP benchmark: classify speed on one core, SnowNLP comparison, repost precision, tokenizer HMM.

Run after `yuqing train`:   .venv/bin/python benchmarks/nlp_bench.py [--quick] [--repeat 3]

1. `classify` throughput in this process (everything included: JSON parsing, tokenizing with cold
   caches, sentiment + topic + risk, keywords, JSON output) on texts cut to ~60 characters; and
   `analyze`'s per-text work (the same plus tokens and SimHash).
2. The `yuqing classify FILE` command as a user runs it, whole process (start-up, model loading,
   reading and writing the files): on one post (start-up: CPU-seconds and peak RSS) and on
   ``--cli-n`` posts.
3. SnowNLP on the same texts in the same run: posts per CPU-second (the speed-ups of 1 and 2 are
   against it), and binary accuracy of both on every held-out set (yuqing's side uses the
   held-out-recipe model: trained without weibo and without the held-out worker posts, so every set
   is unseen; it is retrained here, ~2 minutes; ``--quick`` skips it).
4. SimHash repost detection on corpus/repost_pairs.csv: precision/recall by distance.
5. Tokenizer speed: the shipped engine (jieba-rs) vs jieba with and without HMM, and their agreement.

Rates are per CPU-second (user + sys; BLAS/OpenMP limited to one thread), so they measure one core
even on a busy machine; each speed figure is the median of ``--repeat`` runs. Writes
yuqing/nlp/models/benchmarks.json and refreshes the model card beside it (``--out FILE``: write the JSON there and
leave the models folder alone, e.g. to measure another checkout). Needs `pip install snownlp`.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: set before numpy loads
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from yuqing.nlp import data
from yuqing.nlp import tokenize as tok
from yuqing.nlp.analyzer import Analyzer, clear_text_caches
from yuqing.nlp.card import write_card
from yuqing.nlp.classify import classify_lines
from yuqing.nlp.decide import positive_vs_negative
from yuqing.nlp.lexicon import lexicon_features
from yuqing.nlp.persist import default_models_dir
from yuqing.nlp.simhash import REPOST_DISTANCE, hamming, simhash
from yuqing.nlp.train import fit_two_stage, held_out_parts, predict_scores, sentiment_sets


def speed_texts(n: int) -> list[str]:
    """``n`` texts of ~60 characters: worker posts and weibo posts, cut/joined to about 60."""
    pool = data.domain_corpus().texts + data.weibo().texts
    out, i = [], 0
    while len(out) < n:
        t = pool[i % len(pool)]
        while len(t) < 50:
            i += 1
            t += "，" + pool[i % len(pool)]
        out.append(f"{t[:60]}#{len(out)}")  # distinct texts: the tokenizer cache cannot help
        i += 1
    return out


def _median(xs: list[float]) -> float:
    return statistics.median(xs)


def bench_classify(analyzer: Analyzer, texts: list[str], repeat: int = 1) -> float:
    """`classify_lines` in this process: posts per CPU-second (median of ``repeat`` cold runs)."""
    lines = [json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in enumerate(texts)]
    rates = []
    for _ in range(repeat):
        clear_text_caches()
        start = time.process_time()
        n = sum(len(json.dumps(r, ensure_ascii=False)) > 0 for r in classify_lines(analyzer, lines))
        rates.append(n / (time.process_time() - start))
    return _median(rates)


def bench_analyze(analyzer: Analyzer, texts: list[str], repeat: int = 1, batch: int = 1000) -> float:
    """`Analyzer.analyze_texts` (what `yuqing analyze` computes per post: classify's fields plus
    tokens and SimHash) in batches: posts per CPU-second (median of ``repeat`` cold runs)."""
    rates = []
    for _ in range(repeat):
        clear_text_caches()
        start = time.process_time()
        for i in range(0, len(texts), batch):
            analyzer.analyze_texts(texts[i:i + batch])
        rates.append(len(texts) / (time.process_time() - start))
    return _median(rates)


#: Runs argv[2:] with stdout to argv[1] and prints its rusage as JSON. A fresh small process, so
#: the measured child's peak RSS is its own: a child forked from this (large) process would
#: count this process's memory as its own peak.
_SPAWNER = """
import json, os, subprocess, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    proc = subprocess.Popen(sys.argv[2:], stdout=out)
    _, status, usage = os.wait4(proc.pid, 0)
proc.returncode = os.waitstatus_to_exitcode(status)
print(json.dumps({"code": proc.returncode, "cpu_s": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}))
"""


def run_child(args: list[str], stdout: Path) -> dict:
    """Run ``args`` with stdout to a file: its CPU-seconds (user + sys) and peak RSS (MB) from its
    own rusage, and the wall seconds."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    wall = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _SPAWNER, str(stdout), *args], env=env, check=True,
                          capture_output=True, text=True)
    wall = time.perf_counter() - wall
    usage = json.loads(done.stdout.strip().splitlines()[-1])
    if usage["code"]:
        raise subprocess.CalledProcessError(usage["code"], args)
    return {"cpu_s": usage["cpu_s"], "wall_s": wall, "rss_mb": usage["rss_mb"]}


def bench_cli(texts: list[str], repeat: int = 1) -> dict:
    """`yuqing classify FILE > out` as a user runs it, start-up and model loading included: on one
    post (the start-up: CPU-seconds and peak RSS before any real work) and on all ``texts`` (posts
    per CPU-second of the child process, user + sys). Medians of ``repeat`` runs each."""
    command = [sys.executable, "-m", "yuqing", "classify"]
    with tempfile.TemporaryDirectory() as tmp:
        one, src, out = Path(tmp) / "one.jsonl", Path(tmp) / "posts.jsonl", Path(tmp) / "out.jsonl"
        one.write_text(json.dumps({"id": 0, "text": texts[0]}, ensure_ascii=False) + "\n", encoding="utf-8")
        src.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                               for i, t in enumerate(texts)), encoding="utf-8")
        starts = [run_child(command + [str(one)], out) for _ in range(repeat)]
        runs = [run_child(command + [str(src)], out) for _ in range(repeat)]
        lines = sum(1 for _ in open(out, encoding="utf-8"))
    cpu = _median([r["cpu_s"] for r in runs])
    wall = _median([r["wall_s"] for r in runs])
    return {"posts": lines, "repeat": repeat, "cpu_s": round(cpu, 2), "cpu_s_runs": [round(r["cpu_s"], 2) for r in runs],
            "wall_s": round(wall, 2), "posts_per_cpu_s": round(lines / cpu), "posts_per_wall_s": round(lines / wall),
            "peak_rss_mb": round(_median([r["rss_mb"] for r in runs])),
            "startup_cpu_s": round(_median([r["cpu_s"] for r in starts]), 2),
            "startup_cpu_s_runs": [round(r["cpu_s"], 2) for r in starts],
            "startup_rss_mb": round(_median([r["rss_mb"] for r in starts]))}


def snownlp_scores(texts: list[str]) -> tuple[list[float], float]:
    from snownlp import SnowNLP

    start = time.process_time()
    scores = [SnowNLP(t).sentiments if t.strip() else 0.5 for t in texts]
    return scores, len(texts) / (time.process_time() - start)


def snownlp_rate(texts: list[str], repeat: int = 1) -> float:
    """SnowNLP's sentiment: posts per CPU-second (median of ``repeat`` runs)."""
    return _median([snownlp_scores(texts)[1] for _ in range(repeat)])


def binary(ds: data.Dataset) -> tuple[list[str], list[str]]:
    keep = [(t, y) for t, y in zip(ds.texts, ds.labels) if y in ("positive", "negative")]
    return [t for t, _ in keep], [y for _, y in keep]


def accuracy(y_true: list[str], y_pred: list[str]) -> float:
    return round(sum(a == b for a, b in zip(y_true, y_pred)) / max(len(y_true), 1), 4)


def repost_table(path) -> dict:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = [(r["a"], r["b"], r["is_repost"].strip() == "1") for r in csv.DictReader(fh)]
    dists = [(hamming(simhash(a), simhash(b)), same) for a, b, same in rows]
    table = {}
    for d in range(0, 25):
        tp = sum(1 for x, s in dists if x <= d and s)
        fp = sum(1 for x, s in dists if x <= d and not s)
        pos = sum(1 for _, s in dists if s)
        table[d] = {"precision": round(tp / (tp + fp), 4) if tp + fp else 1.0, "recall": round(tp / pos, 4) if pos else 0.0}
    return {"pairs": len(rows), "positives": sum(s for *_, s in rows), "by_distance": table,
            "at_threshold": {"distance": REPOST_DISTANCE, **table[REPOST_DISTANCE]}}


def tokenizer_speed(texts: list[str]) -> dict:
    """Posts/s of the shipped tokenizer (jieba-rs with jieba's dictionary) and of jieba itself, and
    the share of texts both cut identically."""
    out = {}
    tok.clear_caches()
    start = time.process_time()
    for t in texts:
        tok.tokenize(t)
    out["yuqing"] = round(len(texts) / (time.process_time() - start))
    tok.clear_caches()
    jieba_tok = tok._jieba()
    normalised = [tok.normalise(t) for t in texts]
    for hmm in (False, True):
        start = time.process_time()
        for t in normalised:
            list(jieba_tok.cut(t, HMM=hmm))
        out["jieba_hmm" if hmm else "jieba_no_hmm"] = round(len(texts) / (time.process_time() - start))
    same = sum(tok._cut(t) == [w for w in jieba_tok.cut(t, HMM=False) if not w.isspace()] for t in normalised)
    out["same_cut_as_jieba"] = round(same / len(texts), 4)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip retraining the held-out model (speed only)")
    ap.add_argument("-n", type=int, default=5000, help="texts for the speed runs")
    ap.add_argument("--cli-n", type=int, default=20000, help="texts for the `yuqing classify` command run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per speed figure (the median is reported)")
    ap.add_argument("--out", type=Path, help="write the JSON here and leave the models folder alone")
    args = ap.parse_args()
    result: dict = {"summary": []}
    texts = speed_texts(args.n)
    analyzer = Analyzer()
    analyzer.analyze_texts(texts[:10])  # load the tokenizer's dictionary outside the timing
    result["classify_posts_per_s"] = round(bench_classify(analyzer, texts, args.repeat))
    result["analyze_posts_per_s"] = round(bench_analyze(analyzer, texts, args.repeat))
    snow_rate = snownlp_rate(texts[:1000], args.repeat)
    result["snownlp_posts_per_s"] = round(snow_rate)
    result["speedup_vs_snownlp"] = round(result["classify_posts_per_s"] / snow_rate, 1)
    result["tokenizer_posts_per_s"] = tokenizer_speed(texts)
    cli = result["classify_cli"] = bench_cli(speed_texts(args.cli_n), args.repeat)
    cli["speedup_vs_snownlp"] = round(cli["posts_per_cpu_s"] / snow_rate, 1)
    result["summary"] += [
        f"`classify` in process (one core, per CPU-second, ~60-char posts, JSON in and out, cold caches, median "
        f"of {args.repeat}): **{result['classify_posts_per_s']:,} posts/s**; SnowNLP sentiment alone in the same run: "
        f"{result['snownlp_posts_per_s']:,} posts/s → **{result['speedup_vs_snownlp']}×** faster. With tokens and "
        f"SimHash (`analyze`'s per-post work): {result['analyze_posts_per_s']:,} posts/s.",
        f"`yuqing classify` command, whole process (start-up, model loading, files in and out), on "
        f"{cli['posts']:,} posts: {cli['cpu_s']} CPU-s = **{cli['posts_per_cpu_s']:,} posts per CPU-second → "
        f"{cli['speedup_vs_snownlp']}× SnowNLP**; peak RSS {cli['peak_rss_mb']} MB. Start-up (the command on one "
        f"post): {cli['startup_cpu_s']} CPU-s, {cli['startup_rss_mb']} MB.",
        f"Tokenizer: jieba-rs with jieba's dictionary {result['tokenizer_posts_per_s']['yuqing']:,} posts/s "
        f"(shipped) vs jieba {result['tokenizer_posts_per_s']['jieba_no_hmm']:,} without HMM and "
        f"{result['tokenizer_posts_per_s']['jieba_hmm']:,} with HMM; same cut as jieba (no HMM) on "
        f"{100 * result['tokenizer_posts_per_s']['same_cut_as_jieba']:.2f}% of the texts.",
    ]
    pairs = data.corpus_dir() / "repost_pairs.csv"
    if pairs.exists():
        result["reposts"] = repost_table(pairs)
        at = result["reposts"]["at_threshold"]
        result["summary"].append(f"SimHash reposts ({result['reposts']['pairs']} labelled pairs): distance ≤ "
                                 f"{at['distance']} → precision **{at['precision']:.3f}**, recall {at['recall']:.3f}.")
    if not args.quick:
        sets = sentiment_sets([], log=lambda s: None)
        # the shipped two-stage recipe, minus the held-out parts
        held = fit_two_stage([(p, w, any(p is d for d in (sets["domain_train"], sets["staff"])))
                              for p, w in held_out_parts(sets)] + [(sets["chat_train"], 10.0, True)],
                             lexicon_features())
        from yuqing.nlp.compact import load_npz, npz_bytes

        exported = load_npz(npz_bytes(held))  # the numpy form `classify` reads, of the same model
        result["snownlp"], result["held_out_binary"], result["held_out_export_max_diff"] = {}, {}, 0.0
        for key, name in (("weibo", "weibo"), ("domain_test", "worker_posts"),
                          ("chnsenticorp_validation", "chnsenticorp_validation")):
            xs, ys = binary(sets[key])
            diff = float(abs(exported.predict_proba(xs) - held.predict_proba(xs)).max())
            result["held_out_export_max_diff"] = max(result["held_out_export_max_diff"], diff)
            ours = accuracy(ys, [positive_vs_negative(s) for s in predict_scores(held, xs)])
            snow, _ = snownlp_scores(xs)
            theirs = accuracy(ys, ["positive" if s > 0.5 else "negative" for s in snow])
            result["held_out_binary"][name] = ours
            result["snownlp"][name] = theirs
            result["summary"].append(f"{name} (n={len(xs)}, not in the training of yuqing's held-out model): yuqing "
                                     f"{100 * ours:.1f}% vs SnowNLP {100 * theirs:.1f}% binary accuracy "
                                     f"(Δ {100 * (ours - theirs):+.1f} points).")
        result["summary"].append("SnowNLP's own training data (product reviews) overlaps ChnSentiCorp, so its "
                                 "ChnSentiCorp figure flatters it.")
        diff = result["held_out_export_max_diff"]
        result["summary"].append("The held-out model's numpy export (what `classify` reads) gives its pipeline's "
                                 "probabilities on these sets " + ("exactly." if diff == 0 else f"to within {diff:.1g}."))
    folder = default_models_dir()
    path = args.out or folder / "benchmarks.json"
    previous = json.loads((folder / "benchmarks.json").read_text(encoding="utf-8")) if (folder / "benchmarks.json").exists() else {}
    if args.quick:  # keep the accuracy figures of the last full run
        result = {**previous, **result, "summary": result["summary"] + [
            line for line in previous.get("summary", []) if "accuracy" in line or "flatters" in line]}
    else:  # keep what the other benchmarks wrote
        result.update({k: previous[k] for k in ("chnsenticorp_variants", "events") if k in previous})
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.out is None:
        write_card(folder)
    print("\n".join(result["summary"]))


if __name__ == "__main__":
    main()
