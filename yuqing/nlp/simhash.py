"""64-bit SimHash for near-duplicate and repost detection. Pure.

Features are the characters and character bigrams of the text with whitespace and punctuation removed
(robust to the small edits reposts carry: an added 「转发：」, a changed emoji, a typo), each
weighted by its count and hashed to 64 bits with the same stable numpy scheme as the models'
n-grams (:mod:`yuqing.nlp.ngrams`), so a whole batch is hashed without a Python loop per feature.
"""

from __future__ import annotations

import re

import numpy as np

from .ngrams import string_ngrams
from .tokenize import normalise

#: Largest Hamming distance at which two posts count as the same text (tuned on
#: corpus/repost_pairs.csv for precision >= 0.95; see yuqing/nlp/models/README.md).
REPOST_DISTANCE = 12
_DROP = re.compile(r"[\W_]+", re.UNICODE)
_BITS = np.arange(64, dtype=np.uint64)
_POW = np.left_shift(np.uint64(1), _BITS)
_SALT = 0x5851F42D4C957F2D
#: Characters hashed per numpy pass (bounds the memory of a batch of long articles).
_CHUNK_CHARS = 200_000


def _canonical(text: str) -> str:
    return _DROP.sub("", normalise(text))


def simhash(text: str) -> int:
    """The 64-bit SimHash of ``text`` (0 for a text with no letters or digits)."""
    return simhash_many([text])[0]


def _simhash_chunk(canon: list[str]) -> list[int]:
    docs, hashes = string_ngrams(canon, 1, 2, _SALT)  # characters and character bigrams
    if not len(hashes):
        return [0] * len(canon)
    # every feature occurrence votes +1 for the bits set in its hash and -1 for the others
    bits = np.unpackbits(hashes.astype("<u8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    order = np.argsort(docs, kind="stable")  # two sorted runs (characters, bigrams): a linear merge
    docs = docs[order]
    start = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
    ones = np.add.reduceat(bits[order], start, axis=0, dtype=np.int32)
    total = np.diff(np.r_[start, len(docs)])
    votes = np.zeros((len(canon), 64), dtype=np.int32)
    votes[docs[start]] = 2 * ones - total[:, None]
    out = ((votes > 0).astype(np.uint64) * _POW).sum(axis=1, dtype=np.uint64)
    return [int(v) if c else 0 for c, v in zip(canon, out.tolist())]


def simhash_many(texts: list[str]) -> list[int]:
    """SimHashes of many texts in numpy passes (what the analyzer uses): every feature occurrence's
    64 bits, summed per text, give every vote."""
    out: list[int] = []
    chunk: list[str] = []
    size = 0
    for text in texts:
        c = _canonical(text)
        chunk.append(c)
        size += len(c)
        if size >= _CHUNK_CHARS:
            out += _simhash_chunk(chunk)
            chunk, size = [], 0
    if chunk:
        out += _simhash_chunk(chunk)
    return out


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def is_repost(a: str, b: str, max_distance: int = REPOST_DISTANCE) -> bool:
    """True when ``b`` is ``a`` with small edits (SimHash distance within ``max_distance``)."""
    ha, hb = simhash(a), simhash(b)
    return ha != 0 and hamming(ha, hb) <= max_distance
