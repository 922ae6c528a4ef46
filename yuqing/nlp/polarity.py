"""Polarity-lexicon features of a batch of texts, computed with numpy. Pure given the lexicons.

Seven columns per text: positive score, negative score, net score, share of polar tokens, negation
count, '!' count, '?' count (all log-scaled, so long and short texts are comparable). Over the
tokens: a negation flips the next polar word within 3 tokens; a degree word multiplies the next
polar word. This is what :class:`yuqing.nlp.features.LexiconFeatures` gives the scikit-learn
pipelines and what the exported models (:mod:`yuqing.nlp.compact`) compute at inference: one
implementation, so both read the same float32 values. :func:`lexicon_row` is the plain
per-text reading of the rules, kept as the reference the batch computation is tested against.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain

import numpy as np

from .memo import BatchMemo
from .tokenize import tokens as cut_tokens

N_COLUMNS = 7
COLUMNS = ("lex_pos", "lex_neg", "lex_net", "lex_share", "lex_negations", "lex_bang", "lex_question")
_NEGATION, _DEGREE, _POLAR = 1, 2, 3
#: Rows of the last few batches (both sentiment stages read the same texts and lexicons).
MEMO = BatchMemo()


def lexicon_row(tokens: Sequence[str], text: str, polarity: Mapping[str, int], negations: frozenset[str],
                degrees: Mapping[str, float]) -> list[float]:
    """The seven features of one text (the reference, one token at a time)."""
    pos = neg = 0.0
    n_polar = n_neg = 0
    flip_until = -1
    weight = 1.0
    for i, tok in enumerate(tokens):
        if tok in negations:
            flip_until = i + 3
            n_neg += 1
            continue
        if tok in degrees:
            weight = degrees[tok]
            continue
        p = polarity.get(tok)
        if p is None:
            continue
        n_polar += 1
        if i <= flip_until:
            p = -p
            flip_until = -1
        if p > 0:
            pos += weight
        else:
            neg += weight
        weight = 1.0
    n = max(len(tokens), 1)
    return [math.log1p(pos), math.log1p(neg), math.log1p(pos) - math.log1p(neg), n_polar / n,
            math.log1p(n_neg), math.log1p(text.count("!") + text.count("！")),
            math.log1p(text.count("?") + text.count("？"))]


def _log1p(values: np.ndarray) -> np.ndarray:
    """``math.log1p`` of every value (what the reference computes; numpy's SIMD log1p may differ
    in the last bit), evaluated once per distinct value."""
    uniq, inverse = np.unique(values, return_inverse=True)
    return np.array([math.log1p(v) for v in uniq.tolist()], dtype=np.float64)[inverse.ravel()]


class Lexicon:
    """The polarity lexicon (word → +1/-1), the negation words and the degree words (word →
    multiplier); a word in more than one list counts as a negation first, then as a degree word."""

    def __init__(self, polarity: Mapping[str, int] | None, negations: Iterable[str] | None,
                 degrees: Mapping[str, float] | None, fingerprint: str | None = None):
        self.polarity = dict(polarity or {})
        self.negations = sorted(set(negations or ()))
        self.degrees = dict(degrees or {})
        kinds, values = [0, _NEGATION], [0.0, 0.0]  # id 0: no lexicon word; id 1: a negation

        def ids_of(kind: int, table: Mapping[str, float]) -> dict[str, int]:
            first = len(values)
            distinct = sorted({float(v) for v in table.values()})
            kinds.extend([kind] * len(distinct))
            values.extend(distinct)
            id_of = {v: first + i for i, v in enumerate(distinct)}
            return {w: id_of[float(v)] for w, v in table.items()}

        ids = ids_of(_POLAR, self.polarity)
        ids.update(ids_of(_DEGREE, self.degrees))  # a degree word before a polar one,
        ids.update(dict.fromkeys(self.negations, 1))  # a negation before both
        self._ids = ids
        self._kinds = np.asarray(kinds, dtype=np.int8)
        self._values = np.asarray(values, dtype=np.float64)
        if fingerprint is None:
            blob = json.dumps([self.polarity, self.negations, self.degrees], ensure_ascii=False, sort_keys=True)
            fingerprint = hashlib.sha1(blob.encode("utf-8")).hexdigest()
        #: Identifies the lexicons (the key of the rows kept in :data:`MEMO`).
        self.fingerprint = fingerprint

    def rows(self, texts: Sequence[str]) -> np.ndarray:
        """The features of ``texts`` (texts × 7, float32; shared between callers, not to be changed)."""
        texts = tuple(texts)
        key = (self.fingerprint, texts)
        hit = MEMO.get(key)
        if hit is None:
            hit = MEMO.put(key, self._rows(texts), len(texts))
        return hit

    def _rows(self, texts: Sequence[str]) -> np.ndarray:
        n = len(texts)
        toks = [cut_tokens(t) for t in texts]
        lengths = np.fromiter(map(len, toks), dtype=np.int64, count=n)
        get = self._ids.get
        ids = np.fromiter((get(t, 0) for t in chain.from_iterable(toks)), dtype=np.int32, count=int(lengths.sum()))
        doc = np.repeat(np.arange(n), lengths)
        doc_start = (np.cumsum(lengths) - lengths)[doc]
        kind = self._kinds[ids]
        index = np.arange(len(ids))
        last_negation = np.maximum.accumulate(np.where(kind == _NEGATION, index, -1))
        last_degree = np.maximum.accumulate(np.where(kind == _DEGREE, index, -1))
        polar = kind == _POLAR
        previous_polar = np.full(len(ids), -1, dtype=np.int64)  # the last polar token before each token
        previous_polar[1:] = np.maximum.accumulate(np.where(polar, index, -1))[:-1]
        at = np.flatnonzero(polar)
        start, prev = doc_start[at], previous_polar[at]
        # a negation flips a polar word within 3 tokens unless a polar word in between used it up
        neg_at = last_negation[at]
        flipped = (neg_at >= start) & (at - neg_at <= 3) & (prev < neg_at)
        # a degree word weighs the next polar word (the weight is reset by every polar word)
        deg_at = last_degree[at]
        weighted = (deg_at >= start) & (prev < deg_at)
        weight = np.where(weighted, self._values[ids[np.where(weighted, deg_at, 0)]], 1.0)
        sign = np.where(flipped, -self._values[ids[at]], self._values[ids[at]])
        docs_at = doc[at]
        up = sign > 0
        pos = np.bincount(docs_at[up], weights=weight[up], minlength=n)  # summed in token order
        neg = np.bincount(docs_at[~up], weights=weight[~up], minlength=n)
        n_polar = np.bincount(docs_at, minlength=n)
        n_neg = np.bincount(doc[kind == _NEGATION], minlength=n)
        bangs = np.fromiter((t.count("!") + t.count("！") for t in texts), dtype=np.float64, count=n)
        questions = np.fromiter((t.count("?") + t.count("？") for t in texts), dtype=np.float64, count=n)
        lp, ln = _log1p(pos), _log1p(neg)
        out = np.empty((n, N_COLUMNS), dtype=np.float64)
        out[:, 0] = lp
        out[:, 1] = ln
        out[:, 2] = lp - ln
        out[:, 3] = n_polar / np.maximum(lengths, 1)
        out[:, 4] = _log1p(n_neg.astype(np.float64))
        out[:, 5] = _log1p(bangs)
        out[:, 6] = _log1p(questions)
        return out.astype(np.float32)
