"""The analyzer: loads the trained models once and turns texts/posts into analyses.

:func:`run_analyze` is the IO loop behind `yuqing analyze`: it pulls unanalysed posts from the
store in batches, saves their analyses and assigns them to events.

The models are read from their numpy export (:func:`~yuqing.nlp.persist.load_for_inference`), so
analysing imports neither scikit-learn nor scipy; every step works on the whole batch (the
models, the risk rules, the decisions, keywords and SimHash), leaving little Python per post.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelError
from ..schema import Analysis, Post, Risk
from . import keywords, ngrams, polarity, tokenize
from .decide import choose_risk_many, choose_topics_many, sentiment_label, sentiment_scores_many
from .keywords import KeywordRanker
from .persist import default_models_dir, load_for_inference
from .risk_rules import rule_risk_many
from .simhash import simhash_many
from .tokenize import words_of

if TYPE_CHECKING:
    from ..storage.protocols import AnalyzeStore

#: Long articles are classified on their first characters (title included).
MAX_CHARS = 3000


def clear_text_caches() -> None:
    """Forget every per-text and per-token result kept between calls (tokens, n-grams, lexicon rows,
    word hashes, keyword weights): what a benchmark does to measure texts never seen before."""
    tokenize.clear_caches()
    ngrams.MEMO.clear()
    ngrams.token_hash.cache_clear()
    polarity.MEMO.clear()
    keywords.clear_caches()


def post_text(post: Post) -> str:
    """What the models read for a post: the title (if any) and the text."""
    return f"{post.title}\n{post.text}" if post.title else post.text


class Analyzer:
    """Sentiment, topic, risk, keywords, tokens and SimHash for texts, models loaded once.

    ``models_dir``: the folder the models are read from (``[nlp] models_dir``: ``Config.models_dir``);
    None reads the models shipped inside yuqing. ``notes``: why a model was loaded from its skops
    pipeline instead of its numpy export (in Chinese, for the user; empty when every export was used)."""

    def __init__(self, models_dir: Path | None = None):
        folder = models_dir or default_models_dir()
        self.notes: list[str] = []
        self.sentiment, self.sentiment_manifest = self._load("sentiment", folder)
        self.topic, self.topic_manifest = self._load("topic", folder)
        self.risk, self.risk_manifest = self._load("risk", folder)
        kw_path = folder / "keywords.json"
        if not kw_path.exists():
            raise ModelError(f"{folder} 里没有关键词表：请运行 `yuqing train`")
        kw = json.loads(kw_path.read_text(encoding="utf-8"))
        self.idf: dict[str, float] = kw["idf"]
        self.stopwords = frozenset(kw["stopwords"])
        self._default_idf = max(self.idf.values(), default=1.0)
        self._keywords = KeywordRanker(self.idf, self.stopwords, self._default_idf)
        self.model_version = self._version(folder)

    def _load(self, name: str, folder: Path):
        model, manifest, note = load_for_inference(name, folder)
        if note:
            self.notes.append(note)
        return model, manifest

    def _version(self, folder: Path) -> str:
        h = hashlib.sha1()
        for m in (self.sentiment_manifest, self.topic_manifest, self.risk_manifest):
            h.update(f"{m['name']}:{m['trained_at']}:{m.get('size_bytes')}".encode())
        return "nlp-" + h.hexdigest()[:10]

    def classify_texts(self, texts: Sequence[str]) -> list[dict]:
        """One dict per text with what `yuqing classify` prints (:data:`yuqing.nlp.classify.OUTPUT_FIELDS`):
        :meth:`analyze_texts` without ``risk_reasons``, ``tokens`` and ``simhash``."""
        return self._analyze(texts, full=False)

    def analyze_texts(self, texts: Sequence[str]) -> list[dict]:
        """One dict per text: ``sentiment``, ``sentiment_scores``, ``topic``, ``topics``, ``risk``,
        ``risk_reasons``, ``keywords``, ``tokens`` and ``simhash``."""
        return self._analyze(texts, full=True)

    def _analyze(self, texts: Sequence[str], full: bool) -> list[dict]:
        texts = [(t or "")[:MAX_CHARS] for t in texts]
        if not texts:
            return []
        scores = sentiment_scores_many(self.sentiment.classes_, self.sentiment.predict_proba(texts))
        topics = choose_topics_many(self.topic.classes_, self.topic.predict_proba(texts), texts,
                                    fallback_below=self.topic_manifest.get("fallback_below"))
        rules = rule_risk_many(texts)
        risks = choose_risk_many(self.risk.classes_, self.risk.predict_proba(texts), rules,
                                 high_at=self.risk_manifest["high_at"], medium_at=self.risk_manifest["medium_at"])
        toks = [words_of(t) for t in texts]
        kws = self._keywords.many(toks)
        if not full:
            return [{"sentiment": sentiment_label(sc), "sentiment_scores": sc, "topic": tp[0], "topics": tp[1],
                     "risk": str(risk), "keywords": kw}
                    for sc, tp, risk, kw in zip(scores, topics, risks, kws)]
        hashes = simhash_many(texts)
        return [{"sentiment": sentiment_label(sc), "sentiment_scores": sc, "topic": tp[0], "topics": tp[1],
                 "risk": str(risk), "risk_reasons": rule.reasons if risk != Risk.NONE else [], "keywords": kw,
                 "tokens": list(tk), "simhash": h}
                for sc, tp, risk, rule, kw, tk, h in zip(scores, topics, risks, rules, kws, toks, hashes)]

    def analyze_for_grouping(self, texts: Sequence[str]) -> list[dict]:
        """:meth:`analyze_texts` plus each text's event-grouping ``terms`` (what run_analyze needs)."""
        from .events import EventInput

        results = self.analyze_texts(texts)
        for r in results:
            r["terms"] = EventInput.terms_of(r["tokens"], self.idf, self.stopwords, max_idf=self._default_idf)
            del r["risk_reasons"]
        return results

    def analyze_posts(self, posts: Sequence[Post]) -> list[Analysis]:
        results = self.analyze_texts([post_text(p) for p in posts])
        return [Analysis(post_id=p.id, sentiment=r["sentiment"], sentiment_scores=r["sentiment_scores"],
                         topic=r["topic"], topics=r["topics"], risk=r["risk"], keywords=r["keywords"],
                         tokens=r["tokens"], simhash=r["simhash"], model_version=self.model_version)
                for p, r in zip(posts, results)]


@dataclass
class AnalyzeSummary:
    analyzed: int = 0
    high_risk: int = 0
    negative: int = 0
    events_new: int = 0
    events_joined: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.analyzed / self.seconds if self.seconds else 0.0
        return (f"分析 {self.analyzed} 条帖子（负面 {self.negative} 条，高风险 {self.high_risk} 条）；"
                f"事件：新建 {self.events_new} 个，{self.events_joined} 条并入已有事件；"
                f"用时 {self.seconds:.1f} 秒（每秒 {rate:.0f} 条）")


#: The analyzer a classification worker process uses (inherited from the parent when forked).
_WORKER_ANALYZER: Analyzer | None = None


def _classify_in_worker(texts: list[str]) -> list[dict]:
    return _WORKER_ANALYZER.analyze_for_grouping(texts)


class _Classifier:
    """Classification for :func:`run_analyze`: in a worker process when there is a second core,
    so the next batch is classified while this one is grouped and written; else in process."""

    def __init__(self, analyzer: Analyzer, workers: int | None):
        import multiprocessing
        import os

        self.analyzer = analyzer
        self.pool = None
        if workers is None:
            workers = 1 if (os.cpu_count() or 1) > 1 else 0
        if workers > 0 and "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            global _WORKER_ANALYZER
            _WORKER_ANALYZER = analyzer  # the forked worker inherits the loaded models
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))

    def submit(self, texts: list[str]):
        if self.pool is None:
            from concurrent.futures import Future

            done: Future = Future()
            done.set_result(self.analyzer.analyze_for_grouping(texts))
            return done
        return self.pool.submit(_classify_in_worker, texts)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def run_analyze(store: AnalyzeStore, config=None, progress: Callable[[int], None] | None = None, *, batch: int = 2000,
                analyzer: Analyzer | None = None, window: timedelta = timedelta(days=7),
                workers: int | None = None) -> AnalyzeSummary:
    """Analyse every post the store has not analysed yet, in time order; save analyses and events.

    A pipeline: while batch *k* is grouped into events and written (analyses and the events they
    touched in one transaction), batch *k+1* is read and classified (in a worker process when there
    is a second core; ``workers=0`` keeps everything in this process). The event grouper is built
    once from the store's events open at the first post and lives for the whole run, so the cost
    of a post does not grow with the store. ``progress`` is called with the number of posts done
    after each batch. ``config`` names the models folder (``[nlp] models_dir``) when no ``analyzer`` is given."""
    from .events import EventGrouper, EventInput

    started = time.perf_counter()
    summary = AnalyzeSummary()
    posts = store.posts_to_analyze(limit=batch)
    if not posts:
        return summary
    analyzer = analyzer or Analyzer(config.models_dir if config is not None else None)
    grouper = EventGrouper(store.list_events(since=posts[0].created_at - window, limit=10_000_000), window=window)
    units = {s.id: s.unit for s in store.list_sources()}
    classify = _Classifier(analyzer, workers)
    try:
        pending = classify.submit([post_text(p) for p in posts])
        while posts:
            after = (posts[-1].created_at, posts[-1].id)
            nxt = store.posts_to_analyze(limit=batch, after=after)
            nxt_pending = classify.submit([post_text(p) for p in nxt]) if nxt else None
            analyses = []
            for p, r in zip(posts, pending.result()):
                if p.source_id not in units:
                    src = store.get_source(p.source_id)
                    units[p.source_id] = src.unit if src else ""
                a = Analysis(post_id=p.id, sentiment=r["sentiment"], sentiment_scores=r["sentiment_scores"],
                             topic=r["topic"], topics=r["topics"], risk=r["risk"], keywords=r["keywords"],
                             tokens=r["tokens"], simhash=r["simhash"], model_version=analyzer.model_version)
                a.event_id = grouper.add(EventInput(p.id, p.created_at, a.topic, tuple(a.keywords), a.simhash,
                                                    a.sentiment == "negative", units[p.source_id], r["terms"]))
                analyses.append(a)
            saved = store.save_analyses(analyses, grouper.changed.values())
            grouper.forget_changed()
            if saved == 0:  # nothing stored: stop rather than loop on the same posts
                break
            summary.analyzed += len(analyses)
            summary.high_risk += sum(1 for a in analyses if a.risk == Risk.HIGH)
            summary.negative += sum(1 for a in analyses if a.sentiment == "negative")
            if progress is not None:
                progress(len(analyses))
            posts, pending = nxt, nxt_pending
    finally:
        classify.close()
    summary.events_new = grouper.created
    summary.events_joined = summary.analyzed - grouper.created
    summary.seconds = time.perf_counter() - started
    return summary
