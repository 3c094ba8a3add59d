"""Second pass: judge each block again, knowing what the first pass thought of its neighbours.

Junk comes in runs: after "Recommended for you" every item is recommended, after
"コメント" every line is a comment, whatever each item says. A first classifier scores
every block; its out-of-fold probabilities for the block's neighbours (and a few page-level
summaries of them) become features of the final classifier. Out-of-fold, grouped by
page, so that the final model learns how reliable first-pass scores are on unseen pages.

Blocks are tied to their page by two bookkeeping columns that ``PagePosition`` appends
to the feature matrix (page sequence number, block index); ``NeighbourStack`` consumes them.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from .features import BlockRef

OFFSETS = (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)


def page_ids(X: Sequence[BlockRef]) -> np.ndarray:
    """A sequence number per distinct page object, in order of first appearance."""
    ids: dict[int, int] = {}
    return np.array([ids.setdefault(id(page), len(ids)) for page, _ in X])


def neighbour_matrix(pages: np.ndarray, indexes: np.ndarray, values: np.ndarray,
                     offsets: Sequence[int]) -> np.ndarray:
    """``values`` of the block at each offset within the same page; -1 where there is none."""
    n, k = values.shape
    out = np.full((n, k * len(offsets)), -1.0, dtype=np.float32)
    if n == 0:
        return out
    pages = np.asarray(pages, dtype=np.int64)
    indexes = np.asarray(indexes, dtype=np.int64)
    span = int(indexes.max()) + 1
    keys = pages * span + indexes  # unique per (page, block)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    for slot, off in enumerate(offsets):
        target = indexes + off
        inside = (target >= 0) & (target < span)
        wanted = pages * span + target
        pos = np.minimum(np.searchsorted(sorted_keys, wanted), n - 1)
        found = inside & (sorted_keys[pos] == wanted)
        out[found, slot * k:(slot + 1) * k] = values[order[pos[found]]]
    return out


class PagePosition(TransformerMixin, BaseEstimator):
    """Two bookkeeping columns: the page's sequence number and the block's index in it."""

    def fit(self, X: Sequence[BlockRef], y: object = None) -> "PagePosition":
        return self

    def transform(self, X: Sequence[BlockRef]) -> np.ndarray:
        return np.column_stack([page_ids(X), [i for _, i in X]]).astype(np.float32)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(["_page", "_index"], dtype=object)


class NeighbourStack(TransformerMixin, BaseEstimator):
    """Append first-pass class probabilities of each block and its neighbours.

    Expects the last two input columns to be ``PagePosition``'s; drops them from the output.
    """

    def __init__(self, estimator: Any = None, n_folds: int = 5, offsets: tuple[int, ...] = OFFSETS) -> None:
        self.estimator = estimator
        self.n_folds = n_folds
        self.offsets = offsets

    def _estimator(self) -> Any:
        if self.estimator is not None:
            return clone(self.estimator)
        return HistGradientBoostingClassifier(max_iter=120, learning_rate=0.1, max_leaf_nodes=15,
                                              min_samples_leaf=10, l2_regularization=1.0,
                                              early_stopping=False, random_state=0)

    def fit(self, Z: np.ndarray, y: Sequence[str], sample_weight: np.ndarray | None = None) -> "NeighbourStack":
        self.fit_transform(Z, y, sample_weight=sample_weight)
        return self

    def fit_transform(self, Z: np.ndarray, y: Sequence[str] = None, sample_weight: np.ndarray | None = None,
                      **fit_params: object) -> np.ndarray:
        y = np.asarray(y, dtype=object)
        F, pages, indexes = Z[:, :-2], Z[:, -2], Z[:, -1]
        self.model_ = self._estimator().fit(F, y, sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        proba = np.zeros((len(y), len(self.classes_)))
        n_folds = min(self.n_folds, len(set(pages.tolist())))
        if n_folds < 2:
            proba = self.model_.predict_proba(F)
        else:
            for train, test in GroupKFold(n_splits=n_folds).split(F, y, pages):
                fold = self._estimator().fit(F[train], y[train],
                                             sample_weight=None if sample_weight is None else sample_weight[train])
                cols = [list(self.classes_).index(c) for c in fold.classes_]
                proba[np.ix_(test, cols)] = fold.predict_proba(F[test])
        return self._expand(F, pages, indexes, proba)

    def transform(self, Z: np.ndarray) -> np.ndarray:
        F, pages, indexes = Z[:, :-2], Z[:, -2], Z[:, -1]
        return self._expand(F, pages, indexes, self.model_.predict_proba(F))

    def _expand(self, F: np.ndarray, pages: np.ndarray, indexes: np.ndarray, proba: np.ndarray) -> np.ndarray:
        body = list(self.classes_).index("body") if "body" in self.classes_ else 0
        summary = np.zeros((len(F), 5), dtype=np.float32)
        for p in np.unique(pages):
            rows = np.flatnonzero(pages == p)
            rows = rows[np.argsort(indexes[rows])]
            pb = proba[rows, body]
            summary[rows, 0] = pb.mean()  # how much of the page the first pass believes
            # the least body-like block seen so far, and what is left of the page after it
            summary[rows, 1] = np.minimum.accumulate(pb)
            summary[rows, 2] = np.maximum.accumulate((pb[::-1] > 0.5).astype(float))[::-1]
            # mean belief in the blocks before and after: appended junk has little body after it
            count = np.arange(1, len(rows) + 1)
            summary[rows, 3] = np.cumsum(pb) / count
            summary[rows, 4] = (np.cumsum(pb[::-1]) / count)[::-1]
        return np.hstack([F, proba, neighbour_matrix(pages, indexes, proba, self.offsets), summary])
