"""The classifiers behind the model: a keep/drop decision and, for what is dropped, why.

Two facts about gradient boosting shape this module.

* A multi-class HistGradientBoosting grows one tree per class per iteration, and prediction
  walks every one of them for every block: with eleven labels that walk was most of a
  page's cleaning time. But what a user needs first is one binary decision, keep or drop;
  the junk label only says *why* something was dropped. ``KeepThenLabel`` therefore learns
  body-vs-junk with one tree per iteration, and the junk label with a small model trained
  on junk blocks only, asked only about the blocks that are likely to be dropped.
* scikit-learn bins each feature into quantiles before boosting; with sample weights (we
  weight every page alike) it computes each of the 254 weighted quantiles of each feature
  one by one in Python, which was 60 % of training time. ``Binned`` bins the features
  itself, by unweighted quantiles (weights matter for the splits, hardly for where the bin
  edges fall), so the booster receives columns that need no binning.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier

from .labels import BODY, UNTYPED_JUNK


def boosting(**params: Any) -> HistGradientBoostingClassifier:
    """A HistGradientBoostingClassifier with our defaults (fixed iterations, no early stop,
    so that training is reproducible and its cost known in advance)."""
    defaults: dict[str, Any] = dict(max_iter=150, learning_rate=0.15, max_leaf_nodes=31, min_samples_leaf=10,
                                    l2_regularization=1.0, early_stopping=False, random_state=0)
    defaults.update(params)
    return HistGradientBoostingClassifier(**defaults)


def quantile_edges(X: np.ndarray, max_bins: int) -> list[np.ndarray]:
    """Per column: the distinct values if there are few, else ``max_bins`` quantile edges."""
    edges = []
    for j in range(X.shape[1]):
        column = X[:, j]
        column = column[~np.isnan(column)]
        distinct = np.unique(column)
        if len(distinct) <= max_bins:
            edges.append(distinct)
        else:
            edges.append(np.unique(np.quantile(column, np.linspace(0, 1, max_bins + 1)[1:-1])))
    return edges


class Binned(ClassifierMixin, BaseEstimator):
    """Bin each feature by unweighted quantiles, then fit ``estimator`` on the bin indexes.

    Trees only compare values with thresholds, so replacing a value by the index of its
    quantile bin changes nothing for them but the cost of fitting with sample weights.
    """

    def __init__(self, estimator: Any = None, max_bins: int = 255) -> None:
        self.estimator = estimator
        self.max_bins = max_bins

    def _bin(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        out = np.empty(X.shape, dtype=np.float32)
        for j, edges in enumerate(self.edges_):
            column = X[:, j]
            out[:, j] = np.searchsorted(edges, column, side="left") if len(edges) else 0
            out[np.isnan(column), j] = np.nan
        return out

    def fit(self, X: np.ndarray, y: Any, sample_weight: np.ndarray | None = None) -> "Binned":
        X = np.asarray(X, dtype=np.float64)
        self.edges_ = quantile_edges(X, self.max_bins)
        self.n_features_in_ = X.shape[1]
        estimator = clone(self.estimator) if self.estimator is not None else boosting()
        self.estimator_ = estimator.fit(self._bin(X), y, sample_weight=sample_weight)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.estimator_.predict_proba(self._bin(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class KeepThenLabel(ClassifierMixin, BaseEstimator):
    """P(body) from a binary model; the junk label from a model of junk blocks only.

    ``predict_proba`` gives every class: ``body`` is P(body), each junk label ``c`` is
    (1 - P(body)) x P(c | junk). The junk model is only asked about blocks with
    P(body) < ``label_below``; for the others (kept whatever the threshold in practice)
    the junk share is split by the junk labels' training frequencies.

    Blocks labelled ``UNTYPED_JUNK`` (reference corpora only say body / not body) train
    the keep model and are left out of the junk-label model.
    """

    def __init__(self, keep: Any = None, kind: Any = None, label_below: float = 0.9) -> None:
        self.keep = keep
        self.kind = kind
        self.label_below = label_below

    def fit(self, X: np.ndarray, y: Any, sample_weight: np.ndarray | None = None) -> "KeepThenLabel":
        y = np.asarray(y, dtype=object)
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        is_body = y == BODY
        keep = clone(self.keep) if self.keep is not None else Binned(boosting())
        self.keep_ = keep.fit(X, is_body, sample_weight=w)
        typed = ~is_body & (y != UNTYPED_JUNK)
        junk_labels = sorted(set(y[typed]))
        self.junk_classes_ = np.array(junk_labels or ["other"], dtype=object)
        self.kind_ = None
        if len(junk_labels) >= 2:
            kind = clone(self.kind) if self.kind is not None else Binned(boosting(max_iter=40, max_leaf_nodes=15))
            self.kind_ = kind.fit(X[typed], y[typed], sample_weight=w[typed])
        prior = np.array([w[typed & (y == c)].sum() for c in self.junk_classes_]) if typed.any() else np.ones(1)
        self.junk_prior_ = prior / prior.sum()
        self.classes_ = np.array([BODY, *self.junk_classes_], dtype=object)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X)
        keep_proba = self.keep_.predict_proba(X)
        p_body = keep_proba[:, list(self.keep_.classes_).index(True)] if True in self.keep_.classes_ \
            else np.zeros(len(X))
        junk = np.tile(self.junk_prior_, (len(X), 1))
        ask = p_body < self.label_below
        if self.kind_ is not None and ask.any():
            cols = [list(self.junk_classes_).index(c) for c in self.kind_.classes_]
            junk[ask] = 0.0
            junk[np.ix_(np.flatnonzero(ask), cols)] = self.kind_.predict_proba(X[ask])
        return np.column_stack([p_body, (1.0 - p_body)[:, None] * junk])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
