"""Wording cues, learned rather than listed, and fed to the main model as scores.

Boundary lines ("Recommended for you", "コメント", "相关阅读", "Foto: dpa") are recognisable
by their words, but a phrase list would only know the sites someone typed in. Instead a
linear model over character n-grams of each block's *opening* and *closing* characters
(the cue sits there: "Foto:" opens a credit, "/dpa" closes one; the middle of a long
paragraph is its topic, which must not be memorised) learns them from the fixtures, and its
probabilities, for the block and for its neighbours, become features of the gradient-boosted
model. Before it reads a block, the rare words of the page's own topic become one placeholder
(``masking``): a caption naming the article's people reads "◆、◆が講演" on every page, not
as names that the training pages happened to use or not.

During ``fit`` the scores are out-of-fold (grouped by page), so the main model learns how
far to trust them on pages the linear model has not seen.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy.sparse import hstack
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold

from .context import neighbour_matrix, page_ids
from .features import BlockRef
from .ngrams import hashed_counts
from .masking import document_frequency, mask_samples

_OFFSETS = (0, -1, 1, -2, 2)


def _column_major(model: SGDClassifier) -> SGDClassifier:
    """Store the coefficients column-major, values unchanged: scikit-learn scores sparse rows
    against ``coef_.T``, and scipy copies a non-contiguous dense operand on every call (12 MB
    here; 3.7 ms against 1.6 ms per model call) where ``coef_.T`` of a Fortran array is already C."""
    model.coef_ = np.asfortranarray(model.coef_)
    return model


class LexicalScorer(TransformerMixin, BaseEstimator):
    """Per-label probabilities from the opening and closing characters of each block and its
    neighbours (credits and calls often end with their cue: "…/dpa", "（撮影）", "→")."""

    def __init__(self, opening_chars: int = 48, closing_chars: int = 16, ngram_range: tuple[int, int] = (1, 3),
                 n_hash: int = 2**16, alpha: float = 1e-4, n_folds: int = 5, mask_min_df: int = 3,
                 random_state: int = 0) -> None:
        self.opening_chars = opening_chars
        self.closing_chars = closing_chars
        self.mask_min_df = mask_min_df
        self.ngram_range = ngram_range
        self.n_hash = n_hash
        self.alpha = alpha
        self.n_folds = n_folds
        self.random_state = random_state

    def _vectorize(self, X: Sequence[BlockRef], seen: bool = False):
        # The rare words of the page's topic are masked (``masking``): the model learns how
        # blocks are worded, not what the training pages were about. NFKC first: "翻訳元:" and
        # "翻訳元：", "ｱﾌﾟﾘ" and "アプリ", "Ｄｏｗｎｌｏａｄ" and "Download" are one cue, whichever
        # width a site's editor typed. Only the ends are read (three times the length kept:
        # normalising and masking shorten them).
        openings, closings = mask_samples(X, self.term_df_, self.mask_min_df, seen,
                                          3 * self.opening_chars, 3 * self.closing_chars)
        H = hashed_counts([t[: self.opening_chars] for t in openings], self.ngram_range, self.n_hash)
        if not self.closing_chars:
            return H
        closings = [t[-self.closing_chars:] for t in closings]
        return hstack([H, hashed_counts(closings, self.ngram_range, self.n_hash)], format="csr")

    def _model(self) -> SGDClassifier:
        # Logistic loss by SGD: 30x faster than lbfgs here, and better out of fold.
        return SGDClassifier(loss="log_loss", alpha=self.alpha, class_weight="balanced", max_iter=50,
                             tol=None, random_state=self.random_state)

    def fit(self, X: Sequence[BlockRef], y: Sequence[str]) -> "LexicalScorer":
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: Sequence[BlockRef], y: Sequence[str] = None, **fit_params: object) -> np.ndarray:
        y = np.asarray(y, dtype=object)
        pages = {id(page): page for page, _ in X}.values()
        self.term_df_ = document_frequency(pages, self.mask_min_df)
        H = self._vectorize(X, seen=True)
        self.model_ = _column_major(self._model().fit(H, y))
        self.classes_ = self.model_.classes_
        groups = page_ids(X)
        proba = np.zeros((len(X), len(self.classes_)))
        n_folds = min(self.n_folds, len(set(groups)))
        if n_folds >= 2:
            for train, test in GroupKFold(n_splits=n_folds).split(H, y, groups):
                if len(set(y[train])) < 2:
                    continue
                fold = clone(self.model_).fit(H[train], y[train])
                cols = [list(self.classes_).index(c) for c in fold.classes_]
                proba[np.ix_(test, cols)] = fold.predict_proba(H[test])
        else:
            proba = self.model_.predict_proba(H)
        return self._expand(X, proba)

    def transform(self, X: Sequence[BlockRef]) -> np.ndarray:
        proba = self.model_.predict_proba(self._vectorize(X))
        return self._expand(X, proba)

    def _expand(self, X: Sequence[BlockRef], proba: np.ndarray) -> np.ndarray:
        return neighbour_matrix(page_ids(X), np.array([i for _, i in X]), proba, _OFFSETS)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array([f"lex_{c}@{off:+d}" for off in _OFFSETS for c in self.classes_], dtype=object)
