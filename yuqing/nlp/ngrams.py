"""Word and character n-grams of a batch of texts as 64-bit hashes, computed with numpy. Pure.

Every model reads the same n-grams of a post (sentiment's two stages, topic and risk), so the
analyzer's four pipelines share one :class:`NgramBatch` per batch of texts: :func:`ngram_batch` keeps
the last few batches it computed (:data:`MEMO`) (the computation is a pure function of the texts, so reusing it
changes nothing but the time). Each model then maps the hashes to its own columns
(:class:`yuqing.nlp.features.HashedTfidf`): an exact vocabulary (64-bit keys, no collisions to speak
of) or a fixed number of buckets (the hashing trick).

- word n-grams: over the tokenizer's words (punctuation dropped), like a word-level vectorizer;
- char n-grams: over the normalised text (NFKC, lower case, runs of whitespace as one space),
  punctuation and emoji included, never across two texts.

Hashes are stable across processes and machines (BLAKE2b for words, a fixed multiply-xor scheme for
characters, each finished with the splitmix64 mixer), so a saved model reads new text the same way.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

import numpy as np

from .memo import BatchMemo
from .tfidf import Rows, bucket_counts
from .tokenize import normalise, words_of

_WHITESPACE = re.compile(r"\s\s+")
_PRIME = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime
_ORDER_SALT = 0x9E3779B97F4A7C15
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_WORD_SALT = 0xD6E8FEB86659FD93
_MASK = (1 << 64) - 1


def mix64(h: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser of every element (uint64 arithmetic wraps modulo 2**64)."""
    h = h ^ (h >> _S30)
    h = h * _M1
    h = h ^ (h >> _S27)
    h = h * _M2
    return h ^ (h >> _S31)


@dataclass(frozen=True)
class PairCounts:
    """The n-grams of one block of a batch, aggregated: ``keys`` the distinct hashes (sorted); per
    distinct (text, n-gram) pair, sorted by text then hash: ``docs``, ``key_index`` (into ``keys``)
    and ``counts``."""

    keys: np.ndarray
    docs: np.ndarray
    key_index: np.ndarray
    counts: np.ndarray


@dataclass(frozen=True)
class NgramBatch:
    """The n-grams of ``n_docs`` texts: for words and for characters, the text index of every
    n-gram occurrence (``*_docs``, int64) and its 64-bit hash (``*_hashes``, uint64). The
    aggregations every model needs are computed once and kept with the batch."""

    n_docs: int
    word_docs: np.ndarray
    word_hashes: np.ndarray
    char_docs: np.ndarray
    char_hashes: np.ndarray
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def pairs(self, block: str) -> PairCounts:
        """:class:`PairCounts` of the ``"word"`` or ``"char"`` block."""
        hit = self._cache.get(block)
        if hit is None:
            docs, hashes = (self.word_docs, self.word_hashes) if block == "word" else (self.char_docs, self.char_hashes)
            keys, inverse = unique_inverse(hashes)
            width = max(len(keys), 1)
            pair = np.sort(docs.astype(np.int64) * width + inverse)
            start = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if len(pair) else np.zeros(0, np.int64)
            counts = np.diff(np.r_[start, len(pair)]).astype(np.float32)
            pair = pair[start]
            hit = self._cache[block] = PairCounts(keys, pair // width, pair % width, counts)
        return hit

    def buckets(self, block: str, bits: int) -> Rows:
        """Counts of the block's n-grams hashed into ``2**bits`` columns (texts × buckets; shared,
        not to be changed)."""
        hit = self._cache.get((block, bits))
        if hit is None:
            hit = self._cache[(block, bits)] = bucket_counts(self.pairs(block), bits, self.n_docs)
        return hit


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for uint64 ``values``, about twice as fast: the
    positions are packed into the low bits of the values, so a plain sort (no argsort) orders
    them; the rare batch where two values differ only in those bits is ordered by an argsort."""
    n = len(values)
    if n == 0:
        return values[:0].copy(), np.zeros(0, dtype=np.intp)
    bits = max(1, (n - 1).bit_length())
    low = np.uint64((1 << bits) - 1)
    packed = (values & ~low) | np.arange(n, dtype=np.uint64)
    packed.sort()
    order = (packed & low).astype(np.intp)
    ordered = values[order]
    if bits < 64 and (ordered[1:] < ordered[:-1]).any():
        order = np.argsort(values, kind="stable")
        ordered = values[order]
    first = np.empty(n, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


@lru_cache(maxsize=500_000)
def token_hash(token: str) -> int:
    """Stable 64-bit hash of one word (BLAKE2b of its UTF-8)."""
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


def _ngrams(values: np.ndarray, doc_of: np.ndarray, ends: np.ndarray, lo: int, hi: int,
            salt: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every run of ``lo``..``hi`` consecutive ``values`` inside one text."""
    docs_out, hashes_out = [], []
    h = np.zeros(0, dtype=np.uint64)
    positions = np.arange(len(values))
    for n in range(1, hi + 1):
        m = len(values) - n + 1
        if m <= 0:
            break
        h = values.copy() if n == 1 else (h[:m] * _PRIME) ^ values[n - 1:]
        if n >= lo:
            inside = positions[:m] + n <= ends[doc_of[:m]]
            docs_out.append(doc_of[:m][inside])
            hashes_out.append(mix64(h[inside] ^ np.uint64((salt + _ORDER_SALT * n) & _MASK)))
    if not docs_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    return np.concatenate(docs_out), np.concatenate(hashes_out)


def _layout(lengths: list[int]) -> tuple[np.ndarray, np.ndarray]:
    lens = np.asarray(lengths, dtype=np.int64)
    ends = np.cumsum(lens)
    return np.repeat(np.arange(len(lens)), lens), ends


def string_ngrams(strings: list[str], lo: int, hi: int, salt: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``(docs, hashes)`` of every run of ``lo``..``hi`` characters of ``strings`` taken as they are
    (never across two strings); ``salt`` keeps one use's hashes apart from another's."""
    codes = np.frombuffer("".join(strings).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    doc_of, ends = _layout([len(s) for s in strings])
    return _ngrams(codes, doc_of, ends, lo, hi, salt)


def char_ngrams(texts: list[str], ngram_range: tuple[int, int] = (1, 4)) -> tuple[np.ndarray, np.ndarray]:
    """``(docs, hashes)`` of the character n-grams of ``texts`` (normalised, runs of whitespace as one space)."""
    return string_ngrams([_WHITESPACE.sub(" ", normalise(t)) for t in texts], *ngram_range)


def word_ngrams(texts: list[str], ngram_range: tuple[int, int] = (1, 2)) -> tuple[np.ndarray, np.ndarray]:
    """``(docs, hashes)`` of the word n-grams of ``texts`` (the tokenizer's words)."""
    toks = [words_of(t) for t in texts]
    flat = list(chain.from_iterable(toks))
    values = np.fromiter(map(token_hash, flat), dtype=np.uint64, count=len(flat))
    doc_of, ends = _layout([len(t) for t in toks])
    return _ngrams(values, doc_of, ends, ngram_range[0], ngram_range[1], _WORD_SALT)


#: The last few batches: the models of one analyzer call share theirs.
MEMO = BatchMemo()


def ngram_batch(texts, word_range: tuple[int, int] = (1, 2), char_range: tuple[int, int] = (1, 4)) -> NgramBatch:
    """The :class:`NgramBatch` of ``texts``, reused while it is in :data:`MEMO`."""
    texts = tuple(texts)
    key = (tuple(word_range), tuple(char_range), texts)
    hit = MEMO.get(key)
    if hit is not None:
        return hit
    w_docs, w_hashes = word_ngrams(list(texts), word_range)
    c_docs, c_hashes = char_ngrams(list(texts), char_range)
    return MEMO.put(key, NgramBatch(len(texts), w_docs, w_hashes, c_docs, c_hashes), len(texts))
