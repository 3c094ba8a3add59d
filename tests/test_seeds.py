"""The two seed pages come out as the article body, once: with the shipped model exactly, and
with a model trained without that page (generalisation, not memory) up to a measured bar.

The leave-one-out bar is what the model reaches today, with a little room, not the goal (every
paragraph right): it stops regressions while the gap is being closed (see models/README.md).
"""

import pytest

from filter.clean import PageFilter
from filter.labels import BODY
from filter.train import fit_model
from filter.textnorm import normalize

from .conftest import SEEDS


def assert_clean(lp, paragraphs):
    wrong = [(label, p.label, p.text[:60]) for label, p in zip(lp.labels, paragraphs) if (label == BODY) != p.kept]
    assert not wrong, f"{lp.name}: {len(wrong)} paragraph(s) misjudged: {wrong}"
    kept = [normalize(p.text) for p in paragraphs if p.kept]
    assert len(kept) == len(set(kept)), "a paragraph is kept twice"


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_with_shipped_model(seed, shipped_filter, labelled_pages):
    lp = next(p for p in labelled_pages if p.name == seed)
    assert_clean(lp, shipped_filter.classify(lp.page))


# Leave-one-out (benchmarks/seed_holdout.py), measured on 2026-12-07 (183 fixtures, schema 13)
# over training seeds 0-4: ja_seed000_blog lost 0, 0, 0, 1, 1 of its 25 body paragraphs,
# ja_seed001_aggregator 1, 1, 2, 1, 1 of 39, and no junk was kept. This test trains with seed 0
# (25 of 25 and 38 of 39 kept); the bar (0.94) still passes at 24 of 25 and 37 of 39, the
# worst of the five training seeds.
LOO_BAR = {"body_kept": 0.94, "junk_removed": 0.90}


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_with_model_trained_without_it(seed, labelled_pages):
    lp = next(p for p in labelled_pages if p.name == seed)
    bundle = fit_model([p for p in labelled_pages if p.name != seed])
    paragraphs = PageFilter(bundle).classify(lp.page)
    body = [p.kept for label, p in zip(lp.labels, paragraphs) if label == BODY]
    junk = [not p.kept for label, p in zip(lp.labels, paragraphs) if label != BODY]
    assert sum(body) / len(body) >= LOO_BAR["body_kept"]
    assert sum(junk) / len(junk) >= LOO_BAR["junk_removed"]
    duplicates = [p.kept for label, p in zip(lp.labels, paragraphs) if label == "duplicate"]
    assert not any(duplicates)


def test_seed_text_via_cli_has_no_junk_and_every_body_paragraph_once(labelled_pages):
    from typer.testing import CliRunner

    from filter.cli import app

    from .conftest import PAGES

    lp = next(p for p in labelled_pages if p.name == "ja_seed001_aggregator")
    out = CliRunner().invoke(app, ["clean", str(PAGES / "ja_seed001_aggregator.html")]).stdout
    for block, label in zip(lp.page.blocks, lp.labels):
        if label == BODY:
            assert out.count(block.text) >= 1, block.text[:40]
    for junk in ("Download App", "Recommended for you", "全てのコメント", "Validated Media", "テザー"):
        assert junk not in out
