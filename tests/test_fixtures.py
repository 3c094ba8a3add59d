"""The labelled fixtures: documented format, every label present, and alignment that fails loudly."""

import json
from collections import Counter

import pytest

from filter.errors import FixtureError
from filter.fixtures import align, iter_fixtures, load_fixture
from filter.labels import LABELS
from filter.segment import Block, Page

from .conftest import PAGES


def test_every_fixture_still_aligns_with_the_extraction(labelled_pages):
    # load_labelled is strict: a labelled paragraph that trafilatura no longer yields raises.
    assert len(labelled_pages) >= 32
    assert all(len(p.labels) == len(p.page.blocks) for p in labelled_pages)


def test_fixtures_cover_every_label_and_six_languages(labelled_pages):
    counts = Counter(label for p in labelled_pages for label in p.labels)
    assert set(counts) == set(LABELS)
    assert all(n >= 3 for n in counts.values()), counts
    languages = {p.language.split("-")[0] for p in labelled_pages}
    assert {"ja", "zh", "en"} <= languages and len(languages) >= 6


def page_of(*texts):
    return Page([Block(t, "paragraph", i) for i, t in enumerate(texts)])


def test_repeated_text_takes_labels_in_order():
    page = page_of("Same text here", "Other", "Same  text here")
    labels = [("body", "Same text here"), ("body", "Other"), ("duplicate", "same text here")]
    assert align(page, labels) == ["body", "body", "duplicate"]


def test_a_labelled_paragraph_that_disappeared_fails_loudly():
    with pytest.raises(FixtureError, match="not extracted"):
        align(page_of("A"), [("body", "A"), ("other", "gone")])
    with pytest.raises(FixtureError, match="without a label"):
        align(page_of("A", "new block"), [("body", "A")])
    assert align(page_of("A", "new"), [("body", "A")], strict=False) == ["body", None]


def test_bad_fixture_files_raise_fixture_error(tmp_path):
    (tmp_path / "x.html").write_text("<p>x</p>")
    (tmp_path / "x.json").write_text(json.dumps({"paragraphs": [{"label": "nonsense", "text": "x"}]}))
    with pytest.raises(FixtureError, match="unknown label"):
        load_fixture(tmp_path / "x.json")
    (tmp_path / "y.json").write_text("{}")
    with pytest.raises(FixtureError, match="missing"):
        load_fixture(tmp_path / "y.json")


def test_iter_fixtures_is_sorted_and_pairs_html_with_json():
    names = [f.name for f in iter_fixtures(PAGES)]
    assert names == sorted(names)
    assert all((PAGES / f"{n}.html").exists() for n in names)
