"""Second pass: judge each block again, knowing what the first pass thought of its neighbours.

Junk comes in runs: after "Recommended for you" every item is recommended, after
"コメント" every line is a comment, whatever each item says. A first classifier scores
every block; its out-of-fold P(body) for the block's neighbours (and a few page-level
summaries of it) become features of the final classifier. Out-of-fold, grouped by
page, so that the final model learns how reliable first-pass scores are on unseen pages.

Blocks are tied to their page by two bookkeeping columns that ``PagePosition`` appends
to the feature matrix (page sequence number, block index); ``NeighbourStack`` consumes them.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.model_selection import GroupKFold

from .boosting import Binned, boosting
from .features import BlockRef
from .labels import BODY

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
    """Append the first pass's P(body) of each block and of its neighbours, and page summaries.

    The first pass is binary (body or not): what the neighbours *are* comes from the wording
    scores (``LexicalScorer``) already in the features; what matters here is how much of the
    page around a block the first pass believes. Expects the last two input columns to be
    ``PagePosition``'s; drops them from the output.
    """

    def __init__(self, estimator: Any = None, n_folds: int = 5, offsets: tuple[int, ...] = OFFSETS) -> None:
        self.estimator = estimator
        self.n_folds = n_folds
        self.offsets = offsets

    def _estimator(self) -> Any:
        if self.estimator is not None:
            return clone(self.estimator)
        return Binned(boosting(max_iter=60, learning_rate=0.2, max_leaf_nodes=15))

    def fit(self, Z: np.ndarray, y: Sequence[str], sample_weight: np.ndarray | None = None) -> "NeighbourStack":
        self.fit_transform(Z, y, sample_weight=sample_weight)
        return self

    def fit_transform(self, Z: np.ndarray, y: Sequence[str] = None, sample_weight: np.ndarray | None = None,
                      **fit_params: object) -> np.ndarray:
        is_body = np.asarray(y, dtype=object) == BODY
        F, pages, indexes = Z[:, :-2], Z[:, -2], Z[:, -1]
        self.model_ = self._estimator().fit(F, is_body, sample_weight=sample_weight)
        n_folds = min(self.n_folds, len(set(pages.tolist())))
        if n_folds < 2:
            p_body = _p_true(self.model_, F)
        else:
            p_body = np.zeros(len(F))
            for train, test in GroupKFold(n_splits=n_folds).split(F, is_body, pages):
                fold = self._estimator().fit(F[train], is_body[train],
                                             sample_weight=None if sample_weight is None else sample_weight[train])
                p_body[test] = _p_true(fold, F[test])
        return self._expand(F, pages, indexes, p_body)

    def transform(self, Z: np.ndarray) -> np.ndarray:
        F, pages, indexes = Z[:, :-2], Z[:, -2], Z[:, -1]
        return self._expand(F, pages, indexes, _p_true(self.model_, F))

    def _expand(self, F: np.ndarray, pages: np.ndarray, indexes: np.ndarray, p_body: np.ndarray) -> np.ndarray:
        summary = np.zeros((len(F), 7), dtype=np.float32)
        for p in np.unique(pages):
            rows = np.flatnonzero(pages == p)
            rows = rows[np.argsort(indexes[rows])]
            summary[rows] = _page_summary(p_body[rows])
        column = p_body[:, None].astype(np.float32)
        return np.hstack([F, column, neighbour_matrix(pages, indexes, column, self.offsets), summary])


def _page_summary(pb: np.ndarray) -> np.ndarray:
    """Where each block stands in its page's run of first-pass beliefs (blocks in order).

    Appended junk ("Recommended for you" and its items) is a run that starts after the
    article's last confident paragraph: its items may read like articles, but many junk
    blocks lie between them and the body, and little confident body follows them.
    """
    n = len(pb)
    out = np.zeros((n, 7), dtype=np.float32)
    count = np.arange(1, n + 1)
    out[:, 0] = pb.mean()  # how much of the page the first pass believes
    out[:, 1] = np.minimum.accumulate(pb)  # the least body-like block seen so far
    out[:, 2] = np.maximum.accumulate((pb[::-1] > 0.5).astype(float))[::-1]  # any body-like block to come
    out[:, 3] = np.cumsum(pb) / count  # mean belief in the blocks up to here
    out[:, 4] = (np.cumsum(pb[::-1]) / count)[::-1]  # ... and from here on
    confident, junk = pb >= 0.8, pb < 0.5
    junk_before = np.cumsum(junk) - junk  # junk blocks before each block
    last = np.maximum.accumulate(np.where(confident, np.arange(n), -1))  # last confident block, inclusive
    last_before = np.concatenate([[-1], last[:-1]])
    since = junk_before - np.where(last_before >= 0, np.cumsum(junk)[np.maximum(last_before, 0)], 0)
    out[:, 5] = np.log1p(since)  # junk blocks since the last confident body block
    out[:, 6] = np.log1p(confident.sum() - np.cumsum(confident))  # confident body blocks after this one
    return out


def _p_true(model: Any, F: np.ndarray) -> np.ndarray:
    """P(True) of a binary classifier (0 when it only ever saw False)."""
    classes = list(model.classes_)
    return model.predict_proba(F)[:, classes.index(True)] if True in classes else np.zeros(len(F))
