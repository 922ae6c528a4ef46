"""Emerging terms: words much more frequent this period than in a baseline. Pure."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .keywords import is_candidate


@dataclass(frozen=True)
class EmergingTerm:
    term: str
    score: float  # smoothed log-ratio of document frequencies, current vs baseline
    current: int  # posts mentioning the term this period
    baseline: int  # posts mentioning it in the baseline


def emerging_terms(current: Iterable[list[str]], baseline: Iterable[list[str]], stopwords: frozenset[str] = frozenset(),
                   *, min_count: int = 3, min_ratio: float = 2.0, k: int = 20) -> list[EmergingTerm]:
    """Terms ranked by how much more often posts use them now than in the baseline.

    ``current``/``baseline`` are token lists (one per post). A term needs ``min_count`` posts
    this period and a share of posts at least ``min_ratio`` times its baseline share. Score = log((c+1)/(N_c+1)) − log((b+1)/(N_b+1)), add-one smoothed document
    frequencies, so a term absent from the baseline but in many posts now ranks first.
    """
    cur_df, n_cur = _df(current, stopwords)
    base_df, n_base = _df(baseline, stopwords)
    out = []
    for term, c in cur_df.items():
        if c < min_count:
            continue
        b = base_df.get(term, 0)
        score = math.log((c + 1) / (n_cur + 1)) - math.log((b + 1) / (n_base + 1))
        if score >= math.log(min_ratio):
            out.append(EmergingTerm(term, round(score, 4), c, b))
    out.sort(key=lambda e: (-e.score, -e.current, e.term))
    return out[:k]


def _df(token_lists: Iterable[list[str]], stopwords: frozenset[str]) -> tuple[Counter[str], int]:
    df: Counter[str] = Counter()
    n = 0
    for toks in token_lists:
        n += 1
        df.update({t for t in toks if is_candidate(t, stopwords)})
    return df, n
