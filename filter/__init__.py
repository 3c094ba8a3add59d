"""pagefilter: keep the article body of scraped pages, drop the junk around it.

    >>> from filter import clean
    >>> result = clean(html_bytes, url="https://example.com/story")
    >>> result.text                      # the article body, each paragraph once
    >>> [(p.label, p.score) for p in result.paragraphs if not p.kept]

For many pages, build one ``PageFilter`` (it loads the model once) and call ``.clean``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__version__ = "0.1.0"

from .batch import BatchOptions, clean_records, process_record
from .clean import CleanResult, PageFilter, Paragraph
from .errors import (ExtractionError, FixtureError, InputError, ModelError, OutputError, PageFilterError,
                     PageTimeout)
from .extract import ExtractOptions
from .labels import BODY, LABELS
from .model import ModelBundle, build_pipeline, load_model, save_model
from .readers import Record, read_inputs

__all__ = [
    "BODY", "LABELS", "BatchOptions", "CleanResult", "ExtractOptions", "ExtractionError", "FixtureError",
    "InputError", "ModelBundle", "ModelError", "OutputError", "PageFilter", "PageFilterError", "PageTimeout",
    "Paragraph", "Record", "__version__", "build_pipeline", "clean", "clean_records", "load_model",
    "process_record", "read_inputs", "save_model",
]


@lru_cache(maxsize=1)
def _default_filter() -> PageFilter:
    # The shipped model, loaded once per process; it is read-only, so no page affects another.
    return PageFilter()


def clean(html: bytes | str, url: str | None = None, *, content_type: str | None = None,
          model: str | Path | None = None) -> CleanResult:
    """Clean one page with the shipped model (or ``model``); raises ``PageFilterError``."""
    page_filter = _default_filter() if model is None else PageFilter(model)
    return page_filter.clean(html, url, content_type)
