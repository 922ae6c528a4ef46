"""Two-stage sentiment: subjectivity (neutral vs polar) then polarity (negative vs positive).

Binary product reviews have no neutral class, so they must not decide whether a chat line is neutral.
:class:`TwoStageSentiment` keeps the two questions apart in one estimator:

- stage 1, *subjectivity*, is fitted on domain rows only (worker posts, worker chat, staff corrections):
  ``neutral`` vs ``polar``;
- stage 2, *polarity*, is fitted on every polar row (public review corpora + domain): ``negative`` vs
  ``positive``.

``p(neutral) = s1``, ``p(negative) = (1 - s1) · s2(negative)``, ``p(positive) = (1 - s1) · s2(positive)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from ..schema import SENTIMENT_CLASSES
from .compact import combine_two_stage
from .estimators import SEED, sentiment_pipeline
from .features import hashed_text_features

CLASSES = SENTIMENT_CLASSES
POLAR = "polar"


class TwoStageSentiment(ClassifierMixin, BaseEstimator):
    """``subjectivity`` and ``polarity`` are unfitted sklearn classifiers (pipelines from raw text)
    whose final step accepts ``sample_weight`` as ``clf__sample_weight``."""

    def __init__(self, subjectivity=None, polarity=None):
        self.subjectivity = subjectivity
        self.polarity = polarity

    def fit(self, X: Sequence[str], y: Sequence[str], sample_weight=None, domain=None):
        """``domain``: one bool per row, True for rows that may teach neutrality (default: all)."""
        X = list(X)
        y = np.asarray([str(v) for v in y])
        w = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        dom = np.ones(len(X), dtype=bool) if domain is None else np.asarray(domain, dtype=bool)
        unknown = set(y) - set(CLASSES)
        if unknown:
            raise ValueError(f"unknown sentiment labels: {sorted(unknown)}")
        polar = y != "neutral"
        s_rows = np.flatnonzero(dom)
        s_y = np.where(polar[s_rows], POLAR, "neutral")
        if len(set(s_y)) < 2:
            raise ValueError("the domain rows need both neutral and polar examples")
        self.subjectivity_ = clone(self.subjectivity).fit(
            [X[i] for i in s_rows], s_y, clf__sample_weight=w[s_rows])
        p_rows = np.flatnonzero(polar)
        self.polarity_ = clone(self.polarity).fit(
            [X[i] for i in p_rows], y[p_rows], clf__sample_weight=w[p_rows])
        self.classes_ = np.asarray(CLASSES)
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        X = list(X)
        return combine_two_stage(self.subjectivity_.predict_proba(X), self.subjectivity_.classes_,
                                 self.polarity_.predict_proba(X), self.polarity_.classes_, CLASSES)

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def two_stage_sentiment(lexicon, subjectivity_C: float = 4.0, polarity_C: float = 32.0) -> TwoStageSentiment:
    """Stage 1: word 1–2-gram + hashed char 1–4-gram TF-IDF + lexicon → LR (min_df 1: the domain
    rows are few); stage 2: the shipped polarity pipeline (:func:`~yuqing.nlp.estimators.sentiment_pipeline`)."""
    subj = Pipeline([("features", hashed_text_features(lexicon, word_min_df=1)),
                     ("clf", LogisticRegression(C=subjectivity_C, max_iter=3000, random_state=SEED))])
    return TwoStageSentiment(subj, sentiment_pipeline(lexicon, polarity_C))
