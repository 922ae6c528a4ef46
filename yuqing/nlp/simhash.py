"""64-bit SimHash for near-duplicate and repost detection. Pure.

Features are the characters and character bigrams of the text with whitespace and punctuation removed
(robust to the small edits reposts carry: an added 「转发：」, a changed emoji, a typo), each
weighted by its count and hashed with BLAKE2b.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np

#: Largest Hamming distance at which two posts count as the same text (tuned on
#: yuqing/nlp/corpus/repost_pairs.csv for precision >= 0.95; see models/README.md).
REPOST_DISTANCE = 10
_DROP = re.compile(r"[\W_]+", re.UNICODE)
_BITS = np.arange(64, dtype=np.uint64)


def _canonical(text: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=500_000)
def _hash(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")


def features(text: str) -> Counter[str]:
    """Characters and character bigrams of the canonical text (measured on labelled repost pairs:
    more stable under small edits than bigrams, trigrams or words alone)."""
    t = _canonical(text)
    return Counter([*t, *(t[i:i + 2] for i in range(len(t) - 1))])


def simhash(text: str) -> int:
    """The 64-bit SimHash of ``text`` (0 for a text with no letters or digits)."""
    feats = features(text)
    if not feats:
        return 0
    hashes = np.fromiter((_hash(f) for f in feats), dtype=np.uint64, count=len(feats))
    weights = np.fromiter(feats.values(), dtype=np.int64, count=len(feats))
    bits = ((hashes[:, None] >> _BITS) & np.uint64(1)).astype(np.int64)
    votes = (bits * 2 - 1).T @ weights
    return int(sum(1 << i for i in np.flatnonzero(votes > 0).tolist()))


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def is_repost(a: str, b: str, max_distance: int = REPOST_DISTANCE) -> bool:
    """True when ``b`` is ``a`` with small edits (SimHash distance within ``max_distance``)."""
    ha, hb = simhash(a), simhash(b)
    return ha != 0 and hamming(ha, hb) <= max_distance
