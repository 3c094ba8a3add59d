"""Cleaning: label every block of a page with the model and keep the body, once.

``PageFilter`` holds one loaded model and no other state: cleaning a page never depends
on which pages were cleaned before (trafilatura's shared dedup cache taught that lesson),
so the same object can serve a whole batch, a worker process, or a pipeline step.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .extract import ExtractOptions
from .labels import BODY
from .model import ModelBundle, load_model
from .parse import DEFAULT_MAX_BYTES, parse_page
from .repeats import containment
from .segment import Page
from .textnorm import normalize

@lru_cache(maxsize=1)
def _threadpools():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


# A kept block shorter than this may repeat ("Yes.", "—"); longer repeats are template copies.
_MIN_DEDUP_CHARS = 12
#: a cut-short copy: at least this long (normalised) and this much of it in one longer kept block
_MIN_CONTAINED_CHARS = 50
_CONTAINED_SHARE = 0.95
#: a page extracted as one block this long is kept whatever the model says (see ``decide``)
_LONE_BLOCK_CHARS = 1000


@dataclass(frozen=True)
class Paragraph:
    """One block with the model's decision. ``score`` is the probability of ``label``."""

    text: str
    kind: str
    label: str
    score: float
    kept: bool
    group: int = 0


@dataclass
class CleanResult:
    """A cleaned page: the kept text, every paragraph's decision, and the page metadata."""

    paragraphs: list[Paragraph]
    title: str = ""
    url: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    #: why nothing was kept when the page itself says so (e.g. "navigation_only"), else None
    empty_reason: str | None = None

    @classmethod
    def for_page(cls, page: Page, paragraphs: list[Paragraph]) -> "CleanResult":
        return cls(paragraphs, page.title, page.url, page.metadata, page.empty_reason)

    @property
    def reason(self) -> str | None:
        """None when text was kept; otherwise why not (for an ``empty`` record)."""
        if self.text:
            return None
        if self.empty_reason:
            return self.empty_reason
        return "no_content" if not self.paragraphs else "all_dropped"

    @property
    def kept(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kept]

    @property
    def text(self) -> str:
        """Kept paragraphs, blank-line separated; lines split from one paragraph re-joined."""
        return _join(self.kept, markdown=False)

    def markdown(self) -> str:
        return _join(self.kept, markdown=True)

    def to_dict(self, paragraphs: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"url": self.url, "title": self.title, "text": self.text, "metadata": self.metadata}
        if paragraphs:
            out["paragraphs"] = [asdict(p) for p in self.paragraphs]
        return out


def _join(paragraphs: list[Paragraph], markdown: bool) -> str:
    chunks: list[str] = []
    last_group = None
    for p in paragraphs:
        text = p.text
        if markdown:
            if p.kind == "heading":
                text = "## " + text
            elif p.kind == "list_item":
                text = "- " + text
            elif p.kind == "quote":
                text = "> " + text
        if p.group == last_group and p.kind != "list_item" and chunks:
            chunks[-1] += "\n" + text
        else:
            chunks.append(text)
        last_group = p.group
    return "\n\n".join(chunks)


class PageFilter:
    """A loaded model and cleaning settings; reuse one for many pages.

    ``model`` is a path, an already loaded ``ModelBundle``, or None for the shipped model.
    ``keep_threshold`` overrides the model's: a block is kept when P(body) reaches it, so a
    lower value keeps more (safer for recall), a higher one removes more junk.
    """

    def __init__(
        self,
        model: str | Path | ModelBundle | None = None,
        *,
        keep_threshold: float | None = None,
        extract_options: ExtractOptions | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        trust_model: bool = False,
    ) -> None:
        self.bundle = model if isinstance(model, ModelBundle) else load_model(model, trust=trust_model)
        self.keep_threshold = self.bundle.keep_threshold if keep_threshold is None else keep_threshold
        self.extract_options = extract_options or ExtractOptions()
        self.max_bytes = max_bytes

    def parse(self, html: bytes | str, url: str | None = None, content_type: str | None = None) -> Page:
        return parse_page(html, url, content_type=content_type, options=self.extract_options,
                          max_bytes=self.max_bytes)

    def clean(self, html: bytes | str, url: str | None = None, content_type: str | None = None) -> CleanResult:
        """Clean one page given as fetched bytes (or text). Raises ``PageFilterError``."""
        page = self.parse(html, url, content_type)
        return CleanResult.for_page(page, self.classify(page))

    def classify(self, page: Page) -> list[Paragraph]:
        """Label every block of a parsed page; later copies of kept text become duplicates."""
        return self.classify_many([page])[0]

    def classify_many(self, pages: list[Page]) -> list[list[Paragraph]]:
        """``classify`` for several pages in one model call: the trees are walked once per
        call, so batching pages divides that cost. Results equal page-by-page calls."""
        X = [(page, i) for page in pages if not page.empty_reason for i in range(len(page.blocks))]
        if not X:
            return [_drop_all(page) for page in pages]
        # A batch is a few hundred rows: OpenMP and BLAS threads only cost here, and on a busy
        # machine OpenMP's spin-waiting made a page take seconds. Parallelism is per page (workers).
        with _threadpools().limit(limits=1):
            proba = self.bundle.pipeline.predict_proba(X)
        out, start = [], 0
        for page in pages:
            if page.empty_reason:
                out.append(_drop_all(page))
                continue
            stop = start + len(page.blocks)
            out.append(decide(page, proba[start:stop], self.bundle.labels, self.keep_threshold) if page.blocks else [])
            start = stop
        return out


def _drop_all(page: Page) -> list[Paragraph]:
    """A page with nothing to keep (``empty_reason``): every block dropped as ``other``."""
    return [Paragraph(b.text, b.kind, "other", 1.0, False, b.group) for b in page.blocks]


def decide(page: Page, proba: np.ndarray, labels: list[str], keep_threshold: float) -> list[Paragraph]:
    """Turn class probabilities into decisions: keep when P(body) >= threshold, once.

    A kept block that repeats an earlier kept one, exactly or as a cut-short copy (almost all
    of it inside one longer kept block), becomes ``duplicate``: "each paragraph once" must
    hold whatever the model says, and repetition is a fact of the page, not a guess.

    A page that trafilatura returns as a single long block (it could not split the page) is
    kept: every page-relative feature is degenerate there, with no page, neighbour or repeat
    to compare against, and the fixtures have no such page. On the WCXB training part the
    long lone blocks were the article and the short ones had an empty reference."""
    if len(page.blocks) == 1 and len(page.blocks[0].text) >= _LONE_BLOCK_CHARS and BODY in labels:
        block = page.blocks[0]
        return [Paragraph(block.text, block.kind, BODY, round(float(proba[0][labels.index(BODY)]), 4), True, block.group)]
    body_col = labels.index(BODY) if BODY in labels else None
    junk_cols = [i for i, label in enumerate(labels) if label != BODY]
    keys = [normalize(block.text) for block in page.blocks]
    share: np.ndarray | None = None
    share_done = False  # computed once, on the first block that needs it
    seen: set[str] = set()
    kept: list[int] = []
    out: list[Paragraph] = []
    for i, (block, row, key) in enumerate(zip(page.blocks, proba, keys)):
        p_body = float(row[body_col]) if body_col is not None else 0.0
        if p_body >= keep_threshold:
            repeat = 1.0 if len(key) >= _MIN_DEDUP_CHARS and key in seen else 0.0
            if not repeat and len(key) >= _MIN_CONTAINED_CHARS and kept:
                if not share_done:
                    share, share_done = containment(keys), True
                if share is not None and share[i, kept].max() >= _CONTAINED_SHARE:
                    repeat = float(share[i, kept].max())
            if repeat:
                out.append(Paragraph(block.text, block.kind, "duplicate", round(repeat, 4), False, block.group))
                continue
            seen.add(key)
            kept.append(i)
            out.append(Paragraph(block.text, block.kind, BODY, round(p_body, 4), True, block.group))
        else:
            best = max(junk_cols, key=lambda c: row[c])
            out.append(Paragraph(block.text, block.kind, labels[best], round(float(row[best]), 4), False, block.group))
    return out
