"""pagefilter as datatrove pipeline steps: clean each ``Document``'s HTML, then drop thin pages.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import JsonlWriter
    from filter.integrations.datatrove import PageFilterBodyFilter, PageFilterExtractor

    LocalPipelineExecutor([
        WarcReader("crawl/"),
        PageFilterExtractor(),                       # doc.text: HTML -> the clean body
        PageFilterBodyFilter(min_chars=200, exclusion_writer=JsonlWriter("out/dropped")),
        JsonlWriter("out/clean"),
    ], tasks=8, workers=8).run()

``PageFilterExtractor`` replaces ``doc.text`` (the page's HTML, as datatrove's readers give it)
with the clean body text, and puts the rest of the ``pagefilter clean -f json`` record under
``doc.metadata["pagefilter"]``: ``status`` (the page label: ok, empty or error), ``reason``,
``error``, ``url``, ``title``, trafilatura's ``metadata`` and, by default, every paragraph's
``label``, ``score`` and ``kept``. ``document_record(doc)`` gives that JSONL record back.

It is not a datatrove ``BaseExtractor``, whose ``extract(text) -> str`` has nowhere to put the
per-paragraph decisions and which sends one document at a time to a sandbox process; this
step cleans documents ``batch_size`` at a time in one model call, under pagefilter's own
per-page time limit (SIGALRM, where the step runs on the main thread, as in datatrove's
executors). It never drops a document, so nothing is lost silently: a page that fails
keeps its error record in metadata and gets empty text. Dropping is the job of
``PageFilterBodyFilter``, a ``BaseFilter`` that records why (``filter_reason`` on documents
sent to its ``exclusion_writer``, a ``dropped_<reason>`` counter in the stats).

datatrove is imported by this module: install the extra, ``pip install 'pagefilter[datatrove]'``.
"""

from __future__ import annotations

from typing import Any

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.extractors.base import BaseExtractor
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.batching import batched
from datatrove.utils.typeshelper import StatHints

from ..batch import BatchOptions
from ..readers import Record
from ..step import DEFAULT_CHUNK, PageCleaner

METADATA_KEY = "pagefilter"


class PageFilterExtractor(PipelineStep):
    """Clean the HTML in ``doc.text`` into the article body; the decisions go to metadata.

    ``options`` are the CLI's (model, threshold, time limit, ``paragraphs``); paragraphs are
    kept by default here, as the per-paragraph decisions are what a data pipeline audits.
    The URL is read from ``doc.metadata[url_key]`` (datatrove's readers put it there) and an
    HTTP content type, if a reader provides one, from ``doc.metadata[content_type_key]``.
    The model is loaded once per worker process, on the first batch (``filter.step``).
    """

    name = "🧹 pagefilter"
    type = BaseExtractor.type

    def __init__(self, options: BatchOptions | None = None, *, batch_size: int = DEFAULT_CHUNK,
                 metadata_key: str = METADATA_KEY, url_key: str = "url",
                 content_type_key: str = "content_type") -> None:
        super().__init__()
        self.options = options if options is not None else BatchOptions(paragraphs=True)
        self.batch_size = max(1, batch_size)
        self.metadata_key = metadata_key
        self.url_key = url_key
        self.content_type_key = content_type_key

    def _record(self, doc: Document) -> Record:
        return Record(str(doc.id), doc.text, doc.metadata.get(self.url_key),
                      doc.metadata.get(self.content_type_key))

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data is None:
            return
        cleaner = PageCleaner(self.options, chunk=self.batch_size)
        for batch in batched(data, self.batch_size):
            with self.track_time("batch"):
                outputs = cleaner.clean_many([self._record(doc) for doc in batch])
            for doc, out in zip(batch, outputs):
                self.stat_update(StatHints.total, out["status"])
                if out["status"] == "error":
                    self.stat_update(f"error_{out['reason']}")
                doc.text = out.get("text") or ""
                doc.metadata[self.metadata_key] = {k: v for k, v in out.items() if k not in ("id", "text")}
                self.stat_update(StatHints.forwarded)
                self.update_doc_stats(doc)
                yield doc


def document_record(doc: Document, metadata_key: str = METADATA_KEY) -> dict[str, Any]:
    """The ``pagefilter clean -f json`` record of a document cleaned by ``PageFilterExtractor``
    (also after a round trip through datatrove's JSONL writer and reader)."""
    info = doc.metadata[metadata_key]
    record = {"id": doc.id, **info}
    if "error" not in info:  # error records carry no text, as in the CLI's JSONL
        record["text"] = doc.text
    return record


def kept_paragraphs(info: dict[str, Any], text: str) -> int:
    """Kept paragraphs of a cleaned page: from the decisions if they were kept, else the
    blank-line separated chunks of the text (lines of one paragraph count once there)."""
    paragraphs = info.get("paragraphs")
    if paragraphs is not None:
        return sum(1 for p in paragraphs if p.get("kept"))
    return sum(1 for chunk in text.split("\n\n") if chunk.strip())


class PageFilterBodyFilter(BaseFilter):
    """Drop pages that pagefilter left with too little body, saying why.

    Runs after ``PageFilterExtractor``. Reasons (``filter_reason`` in the metadata of documents
    sent to ``exclusion_writer``, and ``dropped_<reason>`` in the stats):
    ``pagefilter_error_<code>`` (the page could not be cleaned; ``<code>`` is the record's
    ``reason``, e.g. ``timeout``, ``binary``), ``pagefilter_empty_<code>`` (no body text:
    ``no_content``, ``all_dropped`` or ``empty``), ``pagefilter_short_body`` (fewer than
    ``min_chars`` characters of clean text), ``pagefilter_few_paragraphs`` (fewer than
    ``min_paragraphs`` kept paragraphs) and ``pagefilter_not_cleaned`` (no pagefilter
    metadata: the extractor did not run on it).
    """

    name = "🧹 pagefilter body"

    def __init__(self, min_chars: int = 100, min_paragraphs: int = 1, exclusion_writer: DiskWriter | None = None,
                 metadata_key: str = METADATA_KEY) -> None:
        super().__init__(exclusion_writer)
        self.min_chars = min_chars
        self.min_paragraphs = min_paragraphs
        self.metadata_key = metadata_key

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        info = doc.metadata.get(self.metadata_key)
        if not isinstance(info, dict):
            return False, "pagefilter_not_cleaned"
        status, reason = info.get("status"), info.get("reason")
        if status == "error":
            return False, f"pagefilter_error_{reason or 'unknown'}"
        text = doc.text.strip()
        if status == "empty" or not text:
            return False, f"pagefilter_empty_{reason or 'empty'}"
        if len(text) < self.min_chars:
            return False, "pagefilter_short_body"
        if kept_paragraphs(info, text) < self.min_paragraphs:
            return False, "pagefilter_few_paragraphs"
        return True


__all__ = ["METADATA_KEY", "PageFilterBodyFilter", "PageFilterExtractor", "document_record", "kept_paragraphs"]
