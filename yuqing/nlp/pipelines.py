"""The three model pipelines: one sklearn ``Pipeline`` each, from raw text to class probabilities."""

from __future__ import annotations

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from .features import LexiconFeatures, text_features

SEED = 0


def _lr(C: float, class_weight=None) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=3000, class_weight=class_weight, random_state=SEED)


def sentiment_pipeline(lexicon: LexiconFeatures | None, C: float = 32.0) -> Pipeline:
    """Word 1–2-gram TF-IDF + hashed char 1–4-gram TF-IDF + lexicon features → logistic regression
    (C chosen on the ChnSentiCorp validation split, benchmarks/nlp_chnsenticorp.py)."""
    return Pipeline([("features", text_features((1, 2), (1, 4), lexicon)), ("clf", _lr(C))])


def topic_pipeline(C: float = 20.0) -> Pipeline:
    """Word 1–2-gram + hashed char 1–3-gram TF-IDF (2^16 buckets: a few thousand posts need no
    more, and the fit is twice as fast) → logistic regression over the 13 topic codes."""
    return Pipeline([("features", text_features((1, 2), (1, 3), None, min_df=1, n_features=2**16)),
                     ("clf", _lr(C, class_weight="balanced"))])


def risk_pipeline(C: float = 20.0) -> Pipeline:
    """Word 1–2-gram + char 1–4-gram TF-IDF (a vocabulary: measured 0.92 vs 0.79 held-out
    high-risk recall with hashed char n-grams) → logistic regression (balanced: high-risk posts
    are rare)."""
    return Pipeline([("features", text_features((1, 2), (1, 4), None, min_df=1, hashed=False)),
                     ("clf", _lr(C, class_weight="balanced"))])
