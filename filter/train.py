"""Training and grouped cross-validation on labelled pages.

Cross-validation folds are grouped by page: blocks of one page are strongly alike (same
template, same topic), so splitting a page across folds would report memory as skill.
"""

from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Collection, Sequence

import numpy as np
from sklearn.model_selection import GroupKFold

from .clean import decide
from .errors import PageFilterError
from .fixtures import align, iter_fixtures
from .labels import BODY
from .metrics import keep_report, label_report, mean, word_prf
from .model import ModelBundle, build_pipeline
from .segment import Page

log = logging.getLogger(__name__)

#: P(body) a block needs to be kept; chosen by grouped CV (fixtures and the WCXB training
#: part): below it WCXB word F1 gains little and fixture junk leaks more, above it body is lost.
DEFAULT_KEEP_THRESHOLD = 0.25


@dataclass
class LabelledPage:
    """A parsed page with one label per block, and a name for grouping and reports."""

    name: str
    page: Page
    labels: list[str | None]  # None: not trained on (see reference.trusted_labels)
    language: str = ""
    group: str = ""  # pages of one group (a site) never straddle train and test folds
    weight: float = 1.0


def load_labelled(directory: str | Path, strict: bool = True, skip: Collection[str] = ()) -> list[LabelledPage]:
    """Parse every fixture under ``directory`` (but not in folders named in ``skip``); with
    ``strict`` a misaligned one raises."""
    out = []
    for fixture in iter_fixtures(directory, skip):
        page = fixture.page()
        labels = align(page, fixture.labels, strict=strict)
        if not strict:  # keep only the blocks that carry a label
            keep = [i for i, label in enumerate(labels) if label is not None]
            page = Page([page.blocks[i] for i in keep], page.title, page.url, page.metadata)
            labels = [labels[i] for i in keep]
        out.append(LabelledPage(fixture.name, page, [str(label) for label in labels], fixture.language,
                                weight=fixture.weight))
    return out


def samples(pages: Sequence[LabelledPage]) -> tuple[list[tuple[Page, int]], np.ndarray, np.ndarray]:
    """Flatten pages into (page, index) samples, labels and page-group ids; unlabelled blocks
    are left out (their page still gives the others their context)."""
    X, y, groups = [], [], []
    for g, lp in enumerate(pages):
        for i, label in enumerate(lp.labels):
            if label is None:
                continue
            X.append((lp.page, i))
            y.append(label)
            groups.append(g)
    return X, np.array(y, dtype=object), np.array(groups)


def sample_weights(X: Sequence[tuple[Page, int]], y: np.ndarray, page_weight: dict[int, float] | None = None) -> np.ndarray:
    """Weight pages alike whatever their length (times their own weight), and junk classes
    up so that rare kinds are learned."""
    page_sizes: dict[int, int] = {}
    for page, _ in X:
        page_sizes[id(page)] = page_sizes.get(id(page), 0) + 1
    page_weight = page_weight or {}
    w = np.array([page_weight.get(id(page), 1.0) / np.sqrt(page_sizes[id(page)]) for page, _ in X])
    w[y != BODY] *= 1.5
    return w / w.mean()


def fit_model(pages: Sequence[LabelledPage], keep_threshold: float = DEFAULT_KEEP_THRESHOLD,
              random_state: int = 0, info: dict[str, Any] | None = None, **params: Any) -> ModelBundle:
    X, y, _ = samples(pages)
    if len(set(y)) < 2:
        raise PageFilterError("training needs at least two different labels in the fixtures")
    pipeline = build_pipeline(random_state=random_state, **params)
    weights = sample_weights(X, y, {id(lp.page): lp.weight for lp in pages})
    pipeline.fit(X, y, context__sample_weight=weights, classifier__sample_weight=weights)
    return ModelBundle(pipeline, keep_threshold=keep_threshold, info=dict(info or {}))


def cross_validate(pages: Sequence[LabelledPage], n_splits: int = 5, keep_threshold: float = DEFAULT_KEEP_THRESHOLD,
                   random_state: int = 0, extra: Sequence[LabelledPage] = (), n_jobs: int = 1,
                   **params: Any) -> dict[str, Any]:
    """Out-of-fold decisions for every page, grouped by page; returns the figures.

    ``extra`` pages (e.g. a reference corpus) join every fold's training set and are never
    scored, so the figures stay those of ``pages``. ``n_jobs`` folds train at once, each in
    its own process on one thread (the figures do not depend on it): boosting on two OpenMP
    threads per fold kept two cores only half busy."""
    n_splits = min(n_splits, len(pages))
    if n_splits < 2:
        raise PageFilterError("cross-validation needs at least two labelled pages")
    folds = GroupKFold(n_splits=n_splits)
    index = np.arange(len(pages))
    groups = [lp.group or lp.name for lp in pages]
    jobs = [([pages[i] for i in train_idx] + list(extra), [pages[i] for i in test_idx])
            for train_idx, test_idx in folds.split(index, groups=groups)]
    run = partial(_fold, keep_threshold=keep_threshold, random_state=random_state, params=params,
                  one_thread=n_jobs > 1)
    if n_jobs > 1:
        with ProcessPoolExecutor(min(n_jobs, len(jobs))) as pool:
            results = list(pool.map(run, *zip(*jobs)))
    else:
        results = [run(train, test) for train, test in jobs]
    decided = {id(lp): paragraphs for (_, test), result in zip(jobs, results) for lp, paragraphs in zip(test, result)}
    return summarize(pages, [decided[id(lp)] for lp in pages])


def _fold(train: Sequence[LabelledPage], test: Sequence[LabelledPage], keep_threshold: float, random_state: int,
          params: dict[str, Any], one_thread: bool = False) -> list[list]:
    """Train on ``train``, decide every block of each ``test`` page."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1) if one_thread else nullcontext():
        bundle = fit_model(train, keep_threshold, random_state, **params)
        out = []
        for lp in test:
            if not lp.page.blocks:
                out.append([])
                continue
            proba = bundle.pipeline.predict_proba([(lp.page, j) for j in range(len(lp.page.blocks))])
            out.append(decide(lp.page, proba, bundle.labels, keep_threshold))
        return out


def summarize(pages: Sequence[LabelledPage], decisions: Sequence[list]) -> dict[str, Any]:
    """Figures for a set of pages and their (out-of-fold) decisions."""
    y_true, y_pred, kept, per_page = [], [], [], []
    duplicates_left = 0
    for lp, paragraphs in zip(pages, decisions):
        y_true += lp.labels
        y_pred += [p.label for p in paragraphs]
        kept += [p.kept for p in paragraphs]
        duplicates_left += sum(1 for t, p in zip(lp.labels, paragraphs) if t == "duplicate" and p.kept)
        reference = "\n".join(b.text for b, t in zip(lp.page.blocks, lp.labels) if t == BODY)
        predicted = "\n".join(p.text for p in paragraphs if p.kept)
        everything = "\n".join(b.text for b in lp.page.blocks)
        per_page.append({"name": lp.name, "language": lp.language,
                         "f1": word_prf(predicted, reference)[2],
                         "f1_keep_all": word_prf(everything, reference)[2]})
    return {
        "pages": len(pages),
        "blocks": len(y_true),
        "labels": label_report(y_true, y_pred),
        "keep": keep_report(y_true, kept),
        "duplicates_left": duplicates_left,
        "word_f1": mean(p["f1"] for p in per_page),
        "word_f1_keep_all": mean(p["f1_keep_all"] for p in per_page),
        "per_page": per_page,
    }


def format_report(report: dict[str, Any]) -> str:
    """Plain-text table of a ``cross_validate``/``summarize`` report."""
    lines = [f"pages: {report['pages']}   paragraphs: {report['blocks']}", "",
             f"{'label':<22}{'precision':>10}{'recall':>10}{'f1':>8}{'support':>9}"]
    for label, row in report["labels"].items():
        lines.append(f"{label:<22}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>8.3f}{row['support']:>9.0f}")
    keep = report["keep"]
    lines += ["", f"body paragraphs kept:   {keep['body_kept']:.3f} of {keep['n_body']}",
              f"junk paragraphs leaked: {keep['junk_leaked']:.3f} of {keep['n_junk']}"]
    lines += [f"  leaked {k.split(':', 1)[1]:<20} {v:.3f}" for k, v in keep.items() if k.startswith("leaked:")]
    lines += [f"duplicates left:        {report['duplicates_left']}",
              f"word F1 (per page mean): {report['word_f1']:.3f}   keeping every extracted paragraph: "
              f"{report['word_f1_keep_all']:.3f}"]
    return "\n".join(lines)
