"""Feature extraction shared by the sentiment, topic and risk pipelines.

Module-level callables only (no lambdas), so a fitted pipeline persists and reloads.
"""

from __future__ import annotations

import json
import math

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline

from .tokenize import tokenize, words


def word_tokens(text: str) -> list[str]:
    """The tokenizer's words (punctuation dropped): the word-level analyzer's input."""
    return words(text)


class CompactTfidf(TfidfVectorizer):
    """A TfidfVectorizer that persists its vocabulary as one JSON string (terms in index order)
    instead of a dict of numpy scalars, and without ``stop_words_``: files 50x smaller and
    loading in a fraction of the time."""

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: object.__getstate__ returns __dict__ itself
        state.pop("stop_words_", None)
        vocab = state.pop("vocabulary_", None)
        if vocab is not None:
            terms = [""] * len(vocab)
            for term, i in vocab.items():
                terms[int(i)] = term
            state["vocabulary_terms_"] = json.dumps(terms, ensure_ascii=False)
        return state

    def __setstate__(self, state):
        terms = state.pop("vocabulary_terms_", None)
        if terms is not None:
            state["vocabulary_"] = {t: i for i, t in enumerate(json.loads(terms))}
        super().__setstate__(state)


def word_tfidf(ngrams: tuple[int, int] = (1, 2), min_df: int = 2, max_features: int | None = 200_000) -> CompactTfidf:
    return CompactTfidf(tokenizer=word_tokens, token_pattern=None, lowercase=False, ngram_range=ngrams,
                           min_df=min_df, max_features=max_features, sublinear_tf=True, dtype=np.float32)


def char_hashed_tfidf(ngrams: tuple[int, int] = (1, 4), n_features: int = 2**18) -> Pipeline:
    """Char n-gram TF-IDF through the hashing trick: no vocabulary to look up in Python, so
    ~2x faster to transform than :func:`char_tfidf` (measured: 95 vs 219 µs per review) for
    ~0.5 point of ChnSentiCorp accuracy (benchmarks/nlp_chnsenticorp.py)."""
    return make_pipeline(HashingVectorizer(analyzer="char", ngram_range=ngrams, n_features=n_features,
                                           alternate_sign=False, norm=None, dtype=np.float32),
                         TfidfTransformer(sublinear_tf=True))


def char_tfidf(ngrams: tuple[int, int] = (1, 3), min_df: int = 2, max_features: int | None = 300_000) -> CompactTfidf:
    return CompactTfidf(analyzer="char", ngram_range=ngrams, min_df=min_df, max_features=max_features,
                           sublinear_tf=True, dtype=np.float32)


class LexiconFeatures(BaseEstimator, TransformerMixin):
    """Polarity-lexicon counts over the tokens, with negation flipping and degree words.

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
        self.n_features_out_ = 7
        return self

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: object.__getstate__ returns __dict__ itself
        for key in ("polarity", "negations", "degrees"):
            state[key] = json.dumps(state[key], ensure_ascii=False)
        return state

    def __setstate__(self, state):
        for key in ("polarity", "negations", "degrees"):
            if isinstance(state.get(key), str):
                state[key] = json.loads(state[key])
        super().__setstate__(state)

    def get_feature_names_out(self, input_features=None):
        return np.array(["lex_pos", "lex_neg", "lex_net", "lex_share", "lex_negations", "lex_bang", "lex_question"])

    def _row(self, text: str, polarity: dict, negations: frozenset, degrees: dict) -> list[float]:
        pos = neg = 0.0
        n_polar = n_neg = 0
        flip_until = -1
        weight = 1.0
        toks = tokenize(text)
        for i, tok in enumerate(toks):
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
        n = max(len(toks), 1)
        return [math.log1p(pos), math.log1p(neg), math.log1p(pos) - math.log1p(neg), n_polar / n,
                math.log1p(n_neg), math.log1p(text.count("!") + text.count("！")),
                math.log1p(text.count("?") + text.count("？"))]

    def transform(self, X):
        polarity = self.polarity or {}
        negations = frozenset(self.negations or ())
        degrees = self.degrees or {}
        rows = [self._row(t, polarity, negations, degrees) for t in X]
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float32).reshape(len(rows), 7))


def text_features(word_ngrams=(1, 2), char_ngrams=(1, 3), lexicon: LexiconFeatures | None = None,
                  min_df: int = 2, hashed: bool = True, n_features: int = 2**18) -> FeatureUnion:
    """Word TF-IDF (the one tokenizer) + char n-gram TF-IDF (hashed into ``n_features`` buckets by
    default) (+ lexicon features)."""
    char = char_hashed_tfidf(char_ngrams, n_features) if hashed else char_tfidf(char_ngrams, min_df)
    parts = [("word", word_tfidf(word_ngrams, min_df)), ("char", char)]
    if lexicon is not None:
        parts.append(("lexicon", lexicon))
    return FeatureUnion(parts)
