"""NB-SVM features (Wang & Manning 2012): scale each feature by its log-count ratio.

For two classes the ratio is log(p(f|pos)/p(f|neg)); for more classes each feature is scaled by
the largest absolute one-vs-rest ratio, which keeps the transform a single matrix product.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin


class NBFeatures(BaseEstimator, TransformerMixin):
    """Multiply features by |log-count ratio| learnt from the labels (``alpha`` smoothing)."""

    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha

    def fit(self, X, y):
        X = sparse.csr_matrix(X)
        y = np.asarray(y)
        classes = np.unique(y)
        ratios = []
        for c in classes if len(classes) > 2 else classes[:1]:
            p = np.asarray(X[y == c].sum(axis=0)).ravel() + self.alpha
            q = np.asarray(X[y != c].sum(axis=0)).ravel() + self.alpha
            ratios.append(np.abs(np.log((p / p.sum()) / (q / q.sum()))))
        self.r_ = np.max(np.vstack(ratios), axis=0).astype(np.float32)
        return self

    def transform(self, X):
        return sparse.csr_matrix(X) @ sparse.diags(self.r_)
