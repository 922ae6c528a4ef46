"""Keywords per post: TF-IDF over the tokenizer's words minus stopwords. Pure given the IDF table."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from weakref import WeakSet

from .tokenize import is_word


def build_idf(token_lists: Iterable[list[str]], stopwords: frozenset[str], max_terms: int = 60_000) -> dict[str, float]:
    """Smoothed IDF of the ``max_terms`` most frequent candidate keywords (ties by term)."""
    df: Counter[str] = Counter()
    n = 0
    for toks in token_lists:
        n += 1
        df.update({t for t in toks if is_candidate(t, stopwords)})
    top = sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[:max_terms]
    return {t: round(math.log((1 + n) / (1 + c)) + 1.0, 4) for t, c in sorted(top)}


@lru_cache(maxsize=200_000)
def is_candidate(token: str, stopwords: frozenset[str]) -> bool:
    """A keyword candidate: a word of 2+ characters (or an emoji code), not a stopword or number."""
    return (len(token) >= 2 and is_word(token) and token not in stopwords
            and not token.replace(".", "").isdigit() and not token.startswith("["))


def rank_candidates(tokens: Iterable[str], stopwords: frozenset[str], weight: Callable[[str], float]) -> list[str]:
    """The distinct keyword candidates of ``tokens``, highest term frequency × ``weight`` first;
    ties keep first occurrence."""
    tf: dict[str, int] = {}  # insertion order = first occurrence
    for t in tokens:
        if is_candidate(t, stopwords):
            tf[t] = tf.get(t, 0) + 1
    scored = [(-n * weight(t), i, t) for i, (t, n) in enumerate(tf.items())]
    scored.sort()
    return [t for *_, t in scored]


def keywords(tokens: list[str], idf: Mapping[str, float], stopwords: frozenset[str], k: int = 5,
             default_idf: float | None = None) -> list[str]:
    """The ``k`` tokens with the highest tf·idf (unknown words get ``default_idf``, by default the
    largest known IDF: a word never seen in training is specific). Ties keep first occurrence."""
    if default_idf is None:
        default_idf = max(idf.values(), default=1.0)
    return rank_candidates(tokens, stopwords, lambda t: idf.get(t, default_idf))[:k]


#: Every ranker, so :func:`clear_caches` can empty their tables.
_RANKERS: WeakSet = WeakSet()


def clear_caches() -> None:
    """Forget every per-token result kept between calls (benchmarks measure a cold start with this)."""
    is_candidate.cache_clear()
    for ranker in list(_RANKERS):
        ranker.clear()


class KeywordRanker:
    """:func:`keywords` for many texts with one IDF table: each distinct token's weight (or that it
    is no candidate) is looked up once and kept, so a text costs a set lookup per token."""

    #: Tokens whose weight is kept (the table is emptied when it grows past this).
    MAX_KEPT = 200_000

    def __init__(self, idf: Mapping[str, float], stopwords: frozenset[str], default_idf: float | None = None):
        self.idf = idf
        self.stopwords = stopwords
        self.default_idf = max(idf.values(), default=1.0) if default_idf is None else default_idf
        self._weight: dict[str, float | None] = {}
        self._candidates: set[str] = set()
        _RANKERS.add(self)

    def clear(self) -> None:
        self._weight.clear()
        self._candidates.clear()

    def _learn(self, token_lists: Sequence[Iterable[str]]) -> None:
        weight = self._weight
        new = set().union(*token_lists).difference(weight)
        if len(weight) + len(new) > self.MAX_KEPT:
            self.clear()
            new = set().union(*token_lists)
        idf, default, stop = self.idf, self.default_idf, self.stopwords
        for t in new:
            if is_candidate(t, stop):
                weight[t] = idf.get(t, default)
                self._candidates.add(t)
            else:
                weight[t] = None

    def many(self, token_lists: Sequence[Sequence[str]], k: int = 5) -> list[list[str]]:
        """The keywords of each token list (what :func:`keywords` gives, with the same ties)."""
        self._learn(token_lists)
        weight, candidates = self._weight, self._candidates
        out = []
        for toks in token_lists:
            tf: dict[str, int] = {}  # insertion order = first occurrence
            for t in toks:
                if t in candidates:
                    tf[t] = tf.get(t, 0) + 1
            found = list(tf)
            score = [-n * weight[t] for t, n in tf.items()]
            # a stable sort by score: ties keep first occurrence, as in rank_candidates
            out.append([found[j] for j in sorted(range(len(found)), key=score.__getitem__)[:k]])
        return out
