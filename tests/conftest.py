"""Shared test fixtures: paths, the shipped model, and a small model trained in seconds."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PAGES = FIXTURES / "pages"
HELDOUT = FIXTURES / "heldout"  # labelled like PAGES, never trained on
SEEDS = ("ja_seed000_blog", "ja_seed001_aggregator")


@pytest.fixture(scope="session")
def shipped_filter():
    from filter import PageFilter

    return PageFilter()


@pytest.fixture(scope="session")
def labelled_pages():
    from filter.train import load_labelled

    return load_labelled(PAGES)


@pytest.fixture(scope="session")
def small_model(labelled_pages):
    """A quick model on a handful of pages, for tests of the machinery (not of accuracy)."""
    from filter.train import fit_model

    subset = [p for p in labelled_pages if p.name.startswith(("en_", "de_"))][:5]
    return fit_model(subset, max_iter=20)
