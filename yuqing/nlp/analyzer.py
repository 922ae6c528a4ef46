"""The analyzer: loads the trained models once and turns texts/posts into analyses.

:func:`run_analyze` is the IO loop behind `yuqing analyze`: it pulls unanalysed posts from the
store in batches, saves their analyses and assigns them to events.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from ..errors import ModelError
from ..schema import Analysis, Post, Risk
from . import features, ngrams, tokenize
from .decide import choose_risk, choose_topics, sentiment_label, sentiment_scores
from .events import EventGrouper, EventInput
from .keywords import keywords
from .persist import default_models_dir, load_model
from .risk_rules import rule_risk
from .simhash import simhash_many
from .tokenize import words

#: Long articles are classified on their first characters (title included).
MAX_CHARS = 3000


def clear_text_caches() -> None:
    """Forget every per-text result kept between calls (tokens, n-grams, lexicon rows, word
    hashes): what a benchmark does to measure texts never seen before."""
    tokenize.clear_caches()
    ngrams.MEMO.clear()
    ngrams.token_hash.cache_clear()
    features.LEXICON_MEMO.clear()


def post_text(post: Post) -> str:
    """What the models read for a post: the title (if any) and the text."""
    return f"{post.title}\n{post.text}" if post.title else post.text


class Analyzer:
    """Sentiment, topic, risk, keywords, tokens and SimHash for texts, models loaded once."""

    def __init__(self, models_dir: Path | None = None):
        folder = models_dir or default_models_dir()
        self.sentiment, self.sentiment_manifest = load_model("sentiment", folder)
        self.topic, self.topic_manifest = load_model("topic", folder)
        self.risk, self.risk_manifest = load_model("risk", folder)
        kw_path = folder / "keywords.json"
        if not kw_path.exists():
            raise ModelError(f"no keyword table in {folder}: run `yuqing train`")
        kw = json.loads(kw_path.read_text(encoding="utf-8"))
        self.idf: dict[str, float] = kw["idf"]
        self.stopwords = frozenset(kw["stopwords"])
        self._default_idf = max(self.idf.values(), default=1.0)
        self.model_version = self._version(folder)

    def _version(self, folder: Path) -> str:
        h = hashlib.sha1()
        for m in (self.sentiment_manifest, self.topic_manifest, self.risk_manifest):
            h.update(f"{m['name']}:{m['trained_at']}:{m.get('size_bytes')}".encode())
        return "nlp-" + h.hexdigest()[:10]

    def analyze_texts(self, texts: Sequence[str]) -> list[dict]:
        """One dict per text: ``sentiment``, ``sentiment_scores``, ``topic``, ``topics``, ``risk``,
        ``risk_reasons``, ``keywords``, ``tokens`` and ``simhash``."""
        texts = [(t or "")[:MAX_CHARS] for t in texts]
        if not texts:
            return []
        s_cls = [str(c) for c in self.sentiment.classes_]
        t_cls = [str(c) for c in self.topic.classes_]
        r_cls = [str(c) for c in self.risk.classes_]
        s_p = self.sentiment.predict_proba(texts)
        t_p = self.topic.predict_proba(texts)
        r_p = self.risk.predict_proba(texts)
        fallback = self.topic_manifest.get("fallback_below")
        high_at, medium_at = self.risk_manifest["high_at"], self.risk_manifest["medium_at"]
        hashes = simhash_many(texts)
        out = []
        for i, text in enumerate(texts):
            scores = sentiment_scores(s_cls, s_p[i])
            topic, topics = choose_topics(t_cls, t_p[i], text, fallback_below=fallback)
            rule = rule_risk(text)
            risk = choose_risk(r_cls, r_p[i], rule, high_at=high_at, medium_at=medium_at)
            toks = words(text)
            out.append({
                "sentiment": sentiment_label(scores),
                "sentiment_scores": scores,
                "topic": topic,
                "topics": topics,
                "risk": str(risk),
                "risk_reasons": rule.reasons if risk != Risk.NONE else [],
                "keywords": keywords(toks, self.idf, self.stopwords, default_idf=self._default_idf),
                "tokens": toks,
                "simhash": hashes[i],
            })
        return out

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
        return (f"analyzed {self.analyzed} posts ({self.negative} negative, {self.high_risk} high risk); "
                f"events: {self.events_new} new, {self.events_joined} posts joined existing; "
                f"{self.seconds:.1f}s ({rate:.0f} posts/s)")


def run_analyze(store, config=None, progress: Callable[[int], None] | None = None, *, batch: int = 500,
                analyzer: Analyzer | None = None, window: timedelta = timedelta(days=7)) -> AnalyzeSummary:
    """Analyse every post the store has not analysed yet; save analyses and events.

    ``progress`` is called with the number of posts done after each batch. ``config`` is
    accepted for symmetry with the other loops (the models live in models/)."""
    started = time.perf_counter()
    analyzer = analyzer or Analyzer()
    summary = AnalyzeSummary()
    units: dict[str, str] = {}
    while True:
        posts = store.posts_to_analyze(limit=batch)
        if not posts:
            break
        analyses = analyzer.analyze_posts(posts)
        oldest = min(p.created_at for p in posts)
        grouper = EventGrouper(events=store.list_events(since=oldest - window, limit=100_000), window=window)
        known = {e.id for e in grouper.events}
        by_id = {a.post_id: a for a in analyses}
        for p in sorted(posts, key=lambda p: (p.created_at, p.id)):
            a = by_id[p.id]
            if p.source_id not in units:
                src = store.get_source(p.source_id)
                units[p.source_id] = src.unit if src else ""
            a.event_id = grouper.add(EventInput(p.id, p.created_at, a.topic, tuple(a.keywords), a.simhash,
                                                a.sentiment == "negative", units[p.source_id],
                                                EventInput.terms_of(a.tokens, analyzer.idf, analyzer.stopwords)))
        new_ids = {eid for eid in grouper.changed if eid not in known}
        summary.events_new += len(new_ids)
        summary.events_joined += sum(1 for a in analyses if a.event_id not in new_ids)
        store.upsert_events(grouper.changed.values())
        if store.save_analyses(analyses) == 0:  # nothing stored: stop rather than loop on the same batch
            break
        summary.analyzed += len(analyses)
        summary.high_risk += sum(1 for a in analyses if a.risk == Risk.HIGH)
        summary.negative += sum(1 for a in analyses if a.sentiment == "negative")
        if progress is not None:
            progress(len(analyses))
    summary.seconds = time.perf_counter() - started
    return summary
