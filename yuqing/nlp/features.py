"""Feature extraction shared by the sentiment, topic and risk pipelines: the shared n-gram batch
(:class:`NgramHasher`) → :class:`HashedTfidf`, plus :class:`LexiconFeatures`.

The arithmetic is in :mod:`yuqing.nlp.tfidf` and :mod:`yuqing.nlp.polarity` (numpy only), which the
exported models (:mod:`yuqing.nlp.compact`) use too, so both read the same features; these classes
wrap it for scikit-learn. Module-level callables only (no lambdas), so a fitted pipeline persists
and reloads.
"""

from __future__ import annotations

import json

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion, Pipeline

from .ngrams import NgramBatch, PairCounts, ngram_batch
from .polarity import COLUMNS, N_COLUMNS, Lexicon
from .tfidf import tfidf, vocabulary_counts


class LexiconFeatures(BaseEstimator, TransformerMixin):
    """Polarity-lexicon counts over the tokens, with negation flipping and degree words
    (:class:`yuqing.nlp.polarity.Lexicon`, which computes them for a whole batch with numpy).

    ``polarity`` maps a word to +1/-1; ``negations`` flip the next polar word within 3 tokens;
    ``degrees`` maps an intensifier to a multiplier. Output columns: positive score, negative
    score, net score, share of polar tokens, negation count, '!' count, '?' count (all
    log-scaled), so long and short texts are comparable.
    """

    def __init__(self, polarity: dict | None = None, negations: list | None = None, degrees: dict | None = None):
        self.polarity = polarity
        self.negations = negations
        self.degrees = degrees

    def fit(self, X, y=None):
        self.__dict__.pop("_lexicon", None)
        self.n_features_out_ = N_COLUMNS
        return self

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: object.__getstate__ returns __dict__ itself
        state.pop("_lexicon", None)
        for key in ("polarity", "negations", "degrees"):
            state[key] = json.dumps(state[key], ensure_ascii=False)
        return state

    def __setstate__(self, state):
        for key in ("polarity", "negations", "degrees"):
            if isinstance(state.get(key), str):
                state[key] = json.loads(state[key])
        super().__setstate__(state)

    def get_feature_names_out(self, input_features=None):
        return np.array(COLUMNS)

    def lexicon(self) -> Lexicon:
        """The lexicons as a :class:`~yuqing.nlp.polarity.Lexicon` (built once)."""
        lex = self.__dict__.get("_lexicon")
        if lex is None:
            lex = self.__dict__["_lexicon"] = Lexicon(self.polarity, self.negations, self.degrees)
        return lex

    def transform(self, X):
        return sparse.csr_matrix(self.lexicon().rows(X))  # a new matrix: callers may scale it in place


class NgramHasher(BaseEstimator, TransformerMixin):
    """Texts → their :class:`~yuqing.nlp.ngrams.NgramBatch` (stateless; shared between the models
    that read the same batch, see :func:`~yuqing.nlp.ngrams.ngram_batch`)."""

    def __init__(self, word_ngrams: tuple[int, int] = (1, 2), char_ngrams: tuple[int, int] = (1, 4)):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams

    def fit(self, X, y=None):
        return self

    def transform(self, X) -> NgramBatch:
        return ngram_batch(X, tuple(self.word_ngrams), tuple(self.char_ngrams))


class HashedTfidf(BaseEstimator, TransformerMixin):
    """TF-IDF of an :class:`~yuqing.nlp.ngrams.NgramBatch`: a word block and a char block, each
    with sublinear tf, smoothed idf and its own L2 norm (like two TfidfVectorizers in a FeatureUnion).

    Words keep an exact vocabulary: the 64-bit hashes of n-grams in at least ``word_min_df`` texts
    (the ``word_max_features`` most frequent). Characters go to ``2**char_bits`` buckets (the
    hashing trick), or, with ``char_bits=None``, to a vocabulary like the words' (``char_min_df``).
    Column lookups are numpy ``searchsorted``/masks: no Python loop per n-gram."""

    def __init__(self, word_min_df: int = 2, word_max_features: int | None = 200_000, char_bits: int | None = 18,
                 char_min_df: int = 2, char_max_features: int | None = 300_000):
        self.word_min_df = word_min_df
        self.word_max_features = word_max_features
        self.char_bits = char_bits
        self.char_min_df = char_min_df
        self.char_max_features = char_max_features

    @staticmethod
    def _vocabulary(p: PairCounts, min_df: int, max_features: int | None) -> tuple[np.ndarray, np.ndarray]:
        """Sorted kept hashes and their document frequencies."""
        df = np.bincount(p.key_index, minlength=len(p.keys))
        keep = np.flatnonzero(df >= min_df)
        if max_features is not None and len(keep) > max_features:
            tf = np.bincount(p.key_index, weights=p.counts, minlength=len(p.keys))[keep]
            keep = np.sort(keep[np.lexsort((p.keys[keep], -tf))[:max_features]])  # most frequent, ties by hash
        return p.keys[keep], df[keep]

    @staticmethod
    def _idf(df: np.ndarray, n_docs: int) -> np.ndarray:
        return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)

    def fit(self, X: NgramBatch, y=None):
        n = X.n_docs
        self.word_keys_, df = self._vocabulary(X.pairs("word"), self.word_min_df, self.word_max_features)
        self.word_idf_ = self._idf(df, n)
        if self.char_bits is None:
            self.char_keys_, df = self._vocabulary(X.pairs("char"), self.char_min_df, self.char_max_features)
        else:
            self.char_keys_ = np.zeros(0, dtype=np.uint64)
            df = np.bincount(X.buckets("char", self.char_bits).indices, minlength=1 << self.char_bits)
        self.char_idf_ = self._idf(df, n)
        self.n_features_out_ = len(self.word_idf_) + len(self.char_idf_)
        return self

    def transform(self, X: NgramBatch) -> sparse.csr_matrix:
        n = X.n_docs
        word = tfidf(vocabulary_counts(X.pairs("word"), self.word_keys_, n), self.word_idf_)
        if self.char_bits is None:
            char = vocabulary_counts(X.pairs("char"), self.char_keys_, n)
        else:
            char = X.buckets("char", self.char_bits)
        char = tfidf(char, self.char_idf_)
        return sparse.hstack([word.to_scipy(), char.to_scipy()], format="csr", dtype=np.float32)

    def get_feature_names_out(self, input_features=None):
        return np.array([f"word_{i}" for i in range(len(self.word_idf_))]
                        + [f"char_{i}" for i in range(len(self.char_idf_))], dtype=object)


def hashed_text_features(lexicon: LexiconFeatures | None = None, word_min_df: int = 2,
                         char_bits: int | None = 18, char_min_df: int = 2) -> FeatureUnion:
    """What the shipped models read: word 1–2-grams and char 1–4-grams of the shared
    :class:`NgramHasher` batch → :class:`HashedTfidf` (+ lexicon features)."""
    text = Pipeline([("ngrams", NgramHasher((1, 2), (1, 4))),
                     ("tfidf", HashedTfidf(word_min_df=word_min_df, char_bits=char_bits, char_min_df=char_min_df))])
    parts = [("text", text)]
    if lexicon is not None:
        parts.append(("lexicon", lexicon))
    return FeatureUnion(parts)

