"""Model files: round trip, manifest checks, corrupt files and version mismatches give ModelError."""

import json
import shutil

import pytest
from sklearn.base import clone

from filter.errors import ModelError
from filter.features import PageFeaturizer
from filter.lexical import LexicalScorer
from filter.model import MANIFEST_NAME, load_model, save_model


def test_round_trip_records_versions_and_manifest(small_model, tmp_path):
    path = tmp_path / "m.joblib"
    digest = save_model(small_model, path)
    assert json.loads((tmp_path / MANIFEST_NAME).read_text())["m.joblib"] == digest
    loaded = load_model(path)
    assert loaded.labels == small_model.labels
    assert {"scikit-learn", "trafilatura", "pagefilter"} <= set(loaded.versions)


def test_missing_file(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nope.joblib")


def test_unlisted_model_needs_explicit_trust(small_model, tmp_path):
    path = tmp_path / "m.joblib"
    save_model(small_model, path)
    (tmp_path / MANIFEST_NAME).unlink()
    with pytest.raises(ModelError, match="trust"):
        load_model(path)
    assert load_model(path, trust=True).labels == small_model.labels


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_corrupt_model_files(small_model, tmp_path, damage):
    path = tmp_path / "m.joblib"
    save_model(small_model, path)
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        path.write_bytes(data[:100] + bytes([data[100] ^ 0xFF]) + data[101:])
    else:
        path.write_bytes(b"this is not a model")
    with pytest.raises(ModelError, match="SHA-256"):
        load_model(path)
    with pytest.raises(ModelError):  # even when trusted, it fails cleanly
        load_model(path, trust=True)


def test_other_schema_or_sklearn_version_is_refused(small_model, tmp_path):
    import copy

    old = copy.copy(small_model)
    old.schema_version = 0
    save_model(old, tmp_path / "old.joblib")
    with pytest.raises(ModelError, match="feature schema"):
        load_model(tmp_path / "old.joblib")
    other = copy.copy(small_model)
    other.versions = {**small_model.versions, "scikit-learn": "0.24.2"}
    save_model(other, tmp_path / "other.joblib")
    with pytest.raises(ModelError, match="scikit-learn 0.24.2"):
        load_model(tmp_path / "other.joblib")


def test_shipped_model_is_listed_and_loads():
    from filter.model import DEFAULT_MODEL_PATH

    assert load_model().labels
    manifest = json.loads((DEFAULT_MODEL_PATH.parent / MANIFEST_NAME).read_text())
    assert DEFAULT_MODEL_PATH.name in manifest


@pytest.mark.parametrize("estimator", [PageFeaturizer(), LexicalScorer()])
def test_transformers_follow_the_estimator_api(estimator):
    params = estimator.get_params()
    assert clone(estimator).get_params() == params
    assert not [k for k in vars(estimator) if k.endswith("_")]  # nothing learned in __init__


def test_wording_model_reads_full_and_half_width_forms_as_one_cue():
    from filter.segment import Block, Page

    def vector(text):
        page = Page(blocks=[Block(text=text, kind="paragraph", group=0), Block(text="x", kind="paragraph", group=1)])
        scorer = LexicalScorer(n_folds=1).fit([(page, 0), (page, 1)], ["body", "other"])
        return scorer._vectorize([(page, 0)]).toarray()

    assert (vector("翻訳元：ＢＢＣ「ｱﾌﾟﾘ」") == vector("翻訳元:BBC「アプリ」")).all()
    assert (vector("Download  the App") == vector("download the app")).all()
