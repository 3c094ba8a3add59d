"""The keep/drop and junk-label classifiers, and the binning that makes weighted fits fast."""

import numpy as np
import pytest
from sklearn.base import clone

from filter.boosting import Binned, KeepThenLabel, boosting, quantile_edges
from filter.context import NeighbourStack
from filter.labels import BODY, UNTYPED_JUNK


def toy(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = np.where(X[:, 0] > 0, BODY, np.where(X[:, 1] > 0.5, "recommended",
                                             np.where(X[:, 1] > -0.5, "comments", "other"))).astype(object)
    return X, y


def test_quantile_edges_keep_few_distinct_values_and_cap_the_rest():
    X = np.column_stack([np.repeat([0.0, 1.0], 500), np.arange(1000.0)])
    edges = quantile_edges(X, max_bins=16)
    assert list(edges[0]) == [0.0, 1.0]
    assert len(edges[1]) == 15 and np.all(np.diff(edges[1]) > 0)


def test_binned_boosting_learns_and_keeps_nan_as_missing():
    X, y = toy()
    model = Binned(boosting(max_iter=30)).fit(X, y == BODY, sample_weight=np.linspace(0.5, 2, len(y)))
    assert (model.predict(X) == (y == BODY)).mean() > 0.95
    X_missing = X.copy()
    X_missing[:5, 0] = np.nan
    assert np.isfinite(model.predict_proba(X_missing)).all()


def test_keep_then_label_gives_a_distribution_over_every_label_and_never_untyped_junk():
    X, y = toy()
    y[:50] = UNTYPED_JUNK  # reference-corpus junk: trains keep/drop only
    model = KeepThenLabel(Binned(boosting(max_iter=30)), Binned(boosting(max_iter=20))).fit(X, y)
    assert list(model.classes_) == [BODY, "comments", "other", "recommended"]
    proba = model.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1.0) and (proba >= 0).all()
    pred = model.predict(X)
    junk = (y != BODY) & (y != UNTYPED_JUNK)
    assert (pred[junk] == y[junk]).mean() > 0.8
    assert ((pred == BODY) == (y == BODY))[y != UNTYPED_JUNK].mean() > 0.95


def test_keep_then_label_with_one_junk_label():
    X, y = toy()
    y[y != BODY] = "other"
    proba = KeepThenLabel().fit(X, y).predict_proba(X)
    assert proba.shape == (len(y), 2) and np.allclose(proba.sum(axis=1), 1.0)


@pytest.mark.parametrize("estimator", [Binned(), KeepThenLabel(), NeighbourStack()])
def test_estimators_follow_the_estimator_api(estimator):
    assert clone(estimator).get_params().keys() == estimator.get_params().keys()
    assert not [k for k in vars(estimator) if k.endswith("_")]  # nothing learned in __init__
