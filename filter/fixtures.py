"""Labelled pages: the training signal, in a format people can read and correct.

A fixture is two files side by side: ``NAME.html``, the page as a scraper saved it, and
``NAME.json``, its labels. Labels are keyed to the paragraph's normalised text, not its
position, so a fixture survives a trafilatura upgrade that adds or drops a block; the
k-th occurrence of a text takes the k-th label given for that text (how duplicates are
told apart). ``align`` fails loudly when a labelled paragraph is no longer extracted.

    {"url": "https://…", "language": "ja", "notes": "…", "weight": 1,
     "paragraphs": [{"label": "body", "text": "…"}, …]}

``weight`` (optional, default 1) scales the page's weight in training.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterator

from .errors import FixtureError
from .labels import check_label
from .parse import parse_page
from .segment import Page
from .textnorm import normalize


@dataclass
class Fixture:
    """One labelled page; ``labels`` are (label, text) in reading order."""

    name: str
    html_path: Path
    url: str | None
    language: str
    labels: list[tuple[str, str]]
    weight: float = 1.0

    def page(self) -> Page:
        return parse_page(self.html_path.read_bytes(), self.url)


def load_fixture(json_path: str | Path) -> Fixture:
    """Read ``NAME.json`` and find its ``NAME.html``."""
    path = Path(json_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        labels = [(check_label(p["label"]), p["text"]) for p in data["paragraphs"]]
    except KeyError as exc:
        raise FixtureError(f"{path}: not a valid fixture: field {exc} is missing") from exc
    except (OSError, ValueError, TypeError) as exc:
        raise FixtureError(f"{path}: not a valid fixture: {exc}") from exc
    html_path = path.with_suffix(".html")
    if not html_path.exists():
        raise FixtureError(f"{path}: its page {html_path.name} is missing")
    return Fixture(path.stem, html_path, data.get("url"), data.get("language", ""), labels,
                   float(data.get("weight", 1.0)))


#: A folder of labelled pages that no model trains on (``fixtures/heldout``): training and
#: cross-validation skip it wherever it lies, so ``pagefilter train fixtures/`` cannot
#: quietly learn the pages that measure generalisation.
HELDOUT_DIR = "heldout"


def iter_fixtures(directory: str | Path, skip: Collection[str] = ()) -> Iterator[Fixture]:
    """Every fixture under ``directory`` (recursive), sorted by name for reproducibility,
    except those inside a folder named in ``skip`` (below ``directory``)."""
    root = Path(directory)
    for path in sorted(root.rglob("*.json")):
        if skip and set(path.relative_to(root).parts[:-1]) & set(skip):
            continue
        if path.with_suffix(".html").exists():
            yield load_fixture(path)


def align(page: Page, labels: list[tuple[str, str]], *, strict: bool = True) -> list[str | None]:
    """Label each block of ``page`` from ``labels``; ``None`` for blocks nobody labelled.

    With ``strict``, a labelled text that the extraction no longer yields, or an extracted
    block without a label, raises ``FixtureError`` naming it.
    """
    queues: dict[str, list[str]] = defaultdict(list)
    for label, text in labels:
        queues[normalize(text)].append(label)
    out: list[str | None] = []
    unlabelled: list[str] = []
    for block in page.blocks:
        queue = queues.get(normalize(block.text))
        if queue:
            out.append(queue.pop(0))
        else:
            out.append(None)
            unlabelled.append(block.text)
    missing = [text for text, queue in queues.items() for _ in queue]
    if strict and (missing or unlabelled):
        parts = []
        if missing:
            parts.append(f"{len(missing)} labelled paragraph(s) not extracted, e.g. {missing[0][:80]!r}")
        if unlabelled:
            parts.append(f"{len(unlabelled)} extracted paragraph(s) without a label, e.g. {unlabelled[0][:80]!r}")
        raise FixtureError("; ".join(parts))
    return out


def fixture_document(page: Page, labels: list[str], language: str = "", notes: str = "") -> dict:
    """The JSON document for a fixture of ``page`` with one label per block."""
    return {
        "url": page.url,
        "language": language,
        "notes": notes,
        "paragraphs": [{"label": label, "text": block.text} for block, label in zip(page.blocks, labels)],
    }


def write_fixture(path: str | Path, document: dict) -> None:
    Path(path).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
