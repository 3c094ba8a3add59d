"""The paragraph classifier, and how it is saved and loaded safely.

A model file is a joblib pickle of a ``ModelBundle``: the fitted scikit-learn Pipeline
plus what is needed to trust it later — the feature-schema version, the library versions
it was trained with, the labels, the keep threshold and its cross-validated figures.
Pickles run code when loaded, so a file is only loaded if its SHA-256 is listed in the
``MANIFEST.json`` beside it (``pagefilter train`` writes that entry), or if the caller
passes ``trust=True`` explicitly.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.pipeline import FeatureUnion, Pipeline

from .boosting import Binned, KeepThenLabel, boosting
from .errors import ModelError
from .features import FEATURE_SCHEMA_VERSION, PageFeaturizer, feature_names
from .labels import BODY
from .context import NeighbourStack, PagePosition
from .lexical import LexicalScorer

MANIFEST_NAME = "MANIFEST.json"
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "default.joblib"
#: Where a non-editable install puts the shipped model (pyproject's data-files).
INSTALLED_MODEL_PATH = Path(sys.prefix) / "share" / "pagefilter" / "models" / "default.joblib"


def build_pipeline(random_state: int = 0, first_pass: dict[str, Any] | None = None,
                   label_model: dict[str, Any] | None = None, **classifier_params: Any) -> Pipeline:
    """The untrained model: page-context and wording features, a first pass whose P(body) of
    each block's neighbours become features (``context``), then the keep/drop booster and,
    for dropped blocks, the junk-label booster (``boosting.KeepThenLabel``).

    ``first_pass``, ``label_model`` and ``classifier_params`` override the boosters'
    parameters (``boosting.boosting``); tree counts are kept small because prediction walks
    every tree for every block."""
    def booster(overrides: dict[str, Any] | None, **defaults: Any) -> Binned:
        return Binned(boosting(**{**defaults, "random_state": random_state, **(overrides or {})}))

    features = FeatureUnion([("page", PageFeaturizer()), ("lexical", LexicalScorer(random_state=random_state)),
                             ("position", PagePosition())])
    first = booster(first_pass, max_iter=60, learning_rate=0.2, max_leaf_nodes=15)
    keep = booster(classifier_params, max_iter=150, learning_rate=0.15, max_leaf_nodes=31)
    kind = booster(label_model, max_iter=40, learning_rate=0.2, max_leaf_nodes=15)
    return Pipeline([("features", features), ("context", NeighbourStack(first)),
                     ("classifier", KeepThenLabel(keep, kind))])


def library_versions() -> dict[str, str]:
    import trafilatura

    from . import __version__

    return {"pagefilter": __version__, "scikit-learn": sklearn.__version__, "numpy": np.__version__,
            "joblib": joblib.__version__, "trafilatura": trafilatura.__version__,
            "python": platform.python_version()}


@dataclass
class ModelBundle:
    """A trained pipeline and the metadata that says when it can be trusted."""

    pipeline: Pipeline
    keep_threshold: float = 0.5
    schema_version: int = FEATURE_SCHEMA_VERSION
    feature_names: list[str] = field(default_factory=feature_names)
    versions: dict[str, str] = field(default_factory=library_versions)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self.pipeline.classes_]

    def body_proba(self, proba: np.ndarray) -> np.ndarray:
        """The column of P(body) in ``predict_proba`` output."""
        labels = self.labels
        return proba[:, labels.index(BODY)] if BODY in labels else np.zeros(len(proba))


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(path: Path) -> dict[str, str]:
    manifest = path.parent / MANIFEST_NAME
    if not manifest.exists():
        return {}
    try:
        return dict(json.loads(manifest.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise ModelError(f"{manifest}: unreadable model manifest ({exc})") from exc


def save_model(bundle: ModelBundle, path: str | Path) -> str:
    """Write the bundle and record its SHA-256 in the manifest beside it; return the hash."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    joblib.dump(bundle, tmp, compress=3)
    tmp.replace(path)
    digest = sha256(path)
    manifest = _manifest(path)
    manifest[path.name] = digest
    (path.parent / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return digest


def default_model_path() -> Path:
    return DEFAULT_MODEL_PATH if DEFAULT_MODEL_PATH.exists() else INSTALLED_MODEL_PATH


def load_model(path: str | Path | None = None, *, trust: bool = False) -> ModelBundle:
    """Load and check a model; every failure is a ``ModelError`` with one clear sentence."""
    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    listed = _manifest(path).get(path.name)
    digest = sha256(path)
    if listed is None and not trust:
        raise ModelError(f"{path} is not listed in {path.parent / MANIFEST_NAME}; model files are pickles "
                         "that can run code, so load an unlisted one only if you trust it (--trust-model)")
    if listed is not None and listed != digest and not trust:
        raise ModelError(f"{path} does not match its SHA-256 in {MANIFEST_NAME}: the file is corrupt or was changed")
    try:
        bundle = joblib.load(path)
    except Exception as exc:  # unpickling a damaged file can fail in any library underneath
        raise ModelError(f"{path} is not a readable pagefilter model ({type(exc).__name__}: {exc})") from exc
    if not isinstance(bundle, ModelBundle):
        raise ModelError(f"{path} holds a {type(bundle).__name__}, not a pagefilter model")
    check_compatible(bundle, str(path))
    return bundle


def check_compatible(bundle: ModelBundle, where: str = "model") -> None:
    """Refuse a model made for another feature schema or scikit-learn release series."""
    if bundle.schema_version != FEATURE_SCHEMA_VERSION or list(bundle.feature_names) != feature_names():
        raise ModelError(f"{where} was trained with feature schema {bundle.schema_version}; this pagefilter "
                         f"uses schema {FEATURE_SCHEMA_VERSION}: retrain it with `pagefilter train`")
    trained = bundle.versions.get("scikit-learn", "?")
    if trained.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        raise ModelError(f"{where} was trained with scikit-learn {trained}, this is {sklearn.__version__}: "
                         "install that series or retrain it with `pagefilter train`")
