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
from scipy import sparse

#: Largest Hamming distance at which two posts count as the same text (tuned on
#: yuqing/nlp/corpus/repost_pairs.csv for precision >= 0.95; see models/README.md).
REPOST_DISTANCE = 13
_DROP = re.compile(r"[\W_]+", re.UNICODE)
_BITS = np.arange(64, dtype=np.uint64)
_POW = np.left_shift(np.uint64(1), _BITS)


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
    return simhash_many([text])[0]


def simhash_many(texts: list[str]) -> list[int]:
    """SimHashes of many texts in one numpy pass (what the analyzer uses): a sparse
    (texts × distinct features) count matrix times the features' ±1 bit matrix gives every vote."""
    column: dict[str, int] = {}
    cols: list[int] = []
    indptr = [0]
    for text in texts:
        t = _canonical(text)
        for g in (*t, *(t[j:j + 2] for j in range(len(t) - 1))):
            cols.append(column.setdefault(g, len(column)))
        indptr.append(len(cols))
    if not cols:
        return [0] * len(texts)
    h = np.fromiter(map(_hash, column), dtype=np.uint64, count=len(column))
    signs = ((h[:, None] >> _BITS) & np.uint64(1)).astype(np.float32) * 2.0 - 1.0
    counts = sparse.csr_matrix((np.ones(len(cols), np.float32), cols, indptr), shape=(len(texts), len(column)))
    votes = np.asarray(counts @ signs)
    out = ((votes > 0).astype(np.uint64) * _POW).sum(axis=1, dtype=np.uint64)
    return [int(v) if indptr[i + 1] > indptr[i] else 0 for i, v in enumerate(out.tolist())]


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def is_repost(a: str, b: str, max_distance: int = REPOST_DISTANCE) -> bool:
    """True when ``b`` is ``a`` with small edits (SimHash distance within ``max_distance``)."""
    ha, hb = simhash(a), simhash(b)
    return ha != 0 and hamming(ha, hb) <= max_distance
