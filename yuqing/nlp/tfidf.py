"""TF-IDF rows of an :class:`~yuqing.nlp.ngrams.NgramBatch` with numpy only. Pure.

What :class:`yuqing.nlp.features.HashedTfidf` computes for the scikit-learn pipelines and what the
exported models (:mod:`yuqing.nlp.compact`) compute at inference, written once so both give the
same float32 values bit for bit: counts over a vocabulary or hashed into buckets, sublinear tf ×
idf, each row scaled to unit L2 norm. A matrix is a :class:`Rows` (CSR as three arrays), so the
classify path needs no scipy (importing scipy.sparse costs ~0.25 CPU-s and ~23 MB).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Bits of an n-gram's count packed below the (text, bucket) key in :func:`bucket_counts` (counts
#: up to 4095 of one n-gram in one text; larger counts take the slower argsort path).
_COUNT_BITS = 12


@dataclass(frozen=True)
class Rows:
    """A texts × ``n_cols`` sparse matrix in CSR form: row ``i`` holds ``data[indptr[i]:indptr[i+1]]``
    at columns ``indices[...]`` (sorted within the row)."""

    data: np.ndarray  # float32
    indices: np.ndarray  # int64
    indptr: np.ndarray  # int64, n_rows + 1
    n_cols: int

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def to_scipy(self):
        """The same matrix as a ``scipy.sparse.csr_matrix`` (the training side only)."""
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=(self.n_rows, self.n_cols))


def _indptr(docs: np.ndarray, n_docs: int) -> np.ndarray:
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=n_docs), out=indptr[1:])
    return indptr


def vocabulary_counts(p, keys: np.ndarray, n_docs: int) -> Rows:
    """Counts of the block ``p`` (:class:`~yuqing.nlp.ngrams.PairCounts`) over the columns ``keys``
    (sorted 64-bit hashes); n-grams outside them are dropped. Pairs are sorted by text then hash
    and columns follow hash order, so rows come out sorted."""
    if len(keys) == 0 or len(p.keys) == 0:
        return Rows(np.zeros(0, np.float32), np.zeros(0, np.int64), np.zeros(n_docs + 1, np.int64), len(keys))
    pos = np.searchsorted(keys, p.keys)
    pos[pos == len(keys)] = 0
    column = np.where(keys[pos] == p.keys, pos, -1)[p.key_index]
    keep = column >= 0
    docs = p.docs[keep]
    return Rows(p.counts[keep], column[keep].astype(np.int64, copy=False), _indptr(docs, n_docs), len(keys))


def bucket_counts(p, bits: int, n_docs: int) -> Rows:
    """Counts of the block ``p`` hashed into ``2**bits`` columns (a hash's low bits), the counts of
    n-grams sharing a bucket in one text summed, columns sorted within each row (what
    ``scipy.sparse.csr_matrix((counts, (docs, buckets)))`` gives)."""
    n_cols = 1 << bits
    if len(p.docs) == 0:
        return Rows(np.zeros(0, np.float32), np.zeros(0, np.int64), np.zeros(n_docs + 1, np.int64), n_cols)
    bucket = (p.keys & np.uint64(n_cols - 1)).astype(np.int64)[p.key_index]
    cell = (p.docs.astype(np.int64) << bits) | bucket
    counts = p.counts.astype(np.int64)
    if counts.max() < (1 << _COUNT_BITS) and n_docs < (1 << (62 - bits - _COUNT_BITS)):
        packed = np.sort((cell << _COUNT_BITS) | counts)  # a plain sort: cheaper than an argsort
        cell, counts = packed >> _COUNT_BITS, packed & ((1 << _COUNT_BITS) - 1)
    else:
        order = np.argsort(cell, kind="stable")
        cell, counts = cell[order], counts[order]
    start = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    summed = np.add.reduceat(counts, start).astype(np.float32)  # integers: exact in any order
    cell = cell[start]
    return Rows(summed, cell & (n_cols - 1), _indptr(cell >> bits, n_docs), n_cols)


def tfidf(m: Rows, idf: np.ndarray) -> Rows:
    """Sublinear tf × idf of the counts ``m``, each row scaled to unit L2 norm (float32; a new
    :class:`Rows`, ``m`` is left as it is)."""
    d = np.log(m.data.astype(np.float32, copy=False))
    d += 1.0
    d *= idf[m.indices]
    counts = np.diff(m.indptr)
    filled = counts > 0
    norms = np.ones(m.n_rows, dtype=np.float32)
    if len(d):
        norms[filled] = np.sqrt(np.add.reduceat(d * d, m.indptr[:-1][filled]))
    norms[norms == 0] = 1.0
    d /= np.repeat(norms, counts)
    return Rows(d, m.indices, m.indptr, m.n_cols)
