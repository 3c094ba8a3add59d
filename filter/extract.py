"""Boilerplate removal: the one place that calls trafilatura.

We keep trafilatura's XML tree rather than its text, so the segmenter sees each block's
kind (paragraph, heading, list item, quote, table row) and its links. Comments are left
out (trafilatura's comment extraction mostly returns widgets). trafilatura's default
precision/recall balance is kept: on WCXB dev it gave a better ceiling for the classifier
than ``favor_recall`` (see benchmarks/accuracy.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import use_config

from .errors import ExtractionError


@dataclass(frozen=True)
class ExtractOptions:
    """trafilatura settings we expose; defaults chosen by measurement (benchmarks/accuracy.py)."""

    favor_recall: bool = False
    favor_precision: bool = False
    include_tables: bool = True
    max_tree_size: int | None = 500_000


@dataclass
class Extraction:
    """What trafilatura found: the content tree and the page's metadata."""

    body: Any  # lxml element of trafilatura's XML body, or None when nothing was found
    title: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=8)
def _config(max_tree_size: int | None):
    """trafilatura's settings for one tree-size cap (read-only, so safe to share)."""
    config = use_config()
    config.set("DEFAULT", "MAX_TREE_SIZE", str(max_tree_size) if max_tree_size else "")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # signal-based; our batch runner times pages
    # htmldate's extensive search runs dateparser over free text: most of trafilatura's time on
    # a page, for a date that the page's markup usually states anyway.
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    return config


_META_FIELDS = ("title", "author", "date", "sitename", "hostname", "description", "language",
                "categories", "tags", "url")


def extract(html: str, url: str | None = None, options: ExtractOptions | None = None) -> Extraction:
    """Run trafilatura on one decoded page; never shares state with other pages."""
    opts = options or ExtractOptions()
    try:
        doc = bare_extraction(
            html,
            url=url,
            favor_recall=opts.favor_recall,
            favor_precision=opts.favor_precision,
            include_comments=False,
            include_tables=opts.include_tables,
            include_images=False,
            include_formatting=False,
            include_links=True,
            deduplicate=False,
            with_metadata=True,
            config=_config(opts.max_tree_size),
        )
    except (etree.LxmlError, ValueError, RecursionError, TypeError, AttributeError) as exc:
        raise ExtractionError(f"trafilatura could not parse the page: {type(exc).__name__}: {exc}") from exc
    if doc is None:
        return Extraction(body=None)
    meta = {name: getattr(doc, name, None) for name in _META_FIELDS}
    meta = {k: v for k, v in meta.items() if v not in (None, "", [])}
    return Extraction(body=doc.body, title=doc.title or "", metadata=meta)
