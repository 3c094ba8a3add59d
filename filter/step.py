"""One picklable per-page cleaning step that any data engine can ship to its workers.

Engines (datatrove, Ray, Spark, Beam, Dask, multiprocessing) move work to workers by
pickling a function or an object. A ``PageFilter`` holds the loaded model: pickling it with
every task is slow and loading it per record is slower. ``PageCleaner`` holds only the
``BatchOptions`` (a few strings and numbers); the model is loaded the first time a process
uses it and kept in a per-process cache, so each worker process loads it once, whichever
engine runs it and however many tasks it is given.

The output of ``PageCleaner`` is exactly the output record of ``pagefilter clean -f json``
(``filter.batch.result_record`` / ``error_record``, schema in the README), because it runs
the same ``process_records`` the CLI runs. Results never depend on how the data is sharded:
``PageFilter`` has no state besides the model, and a batch gives what page-by-page calls give.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Iterator, Mapping

from .batch import BatchOptions, process_records
from .clean import PageFilter
from .readers import Record

#: pages that go to the model together (the CLI's ``clean_records`` uses the same size)
DEFAULT_CHUNK = 16

_FILTERS: dict[tuple[int, BatchOptions], PageFilter] = {}
_LOCK = threading.Lock()


def page_filter_for(options: BatchOptions) -> PageFilter:
    """The ``PageFilter`` for ``options`` in this process, loaded on first use.

    Keyed by process id as well: a forked worker loads its own copy rather than using one
    inherited from its parent, as the CLI's worker processes do (a forked child must not
    reuse thread pools its parent started). Raises ``ModelError`` if the model is unusable:
    that is a set-up fault of the whole job, not of one page.
    """
    key = (os.getpid(), options)
    page_filter = _FILTERS.get(key)
    if page_filter is None:
        with _LOCK:
            page_filter = _FILTERS.get(key)
            if page_filter is None:
                page_filter = _FILTERS[key] = options.page_filter()
    return page_filter


@lru_cache(maxsize=1)
def _threadpools() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def to_record(item: Mapping[str, Any] | Record) -> Record:
    """A ``Record`` from a mapping with ``html`` (str or bytes), and optional ``id``, ``url``
    and ``content_type``. A missing id falls back to the URL, then to ""; a missing or
    non-text ``html`` gives a record that becomes a ``missing_html`` error record."""
    if isinstance(item, Record):
        return item
    url = item.get("url")
    rid = item.get("id")
    rid = str(rid) if rid is not None else (str(url) if url is not None else "")
    html = item.get("html")
    if isinstance(html, (bytearray, memoryview)):
        html = bytes(html)
    if not isinstance(html, (str, bytes)):
        return Record(rid, url=url, error="record has no str or bytes field 'html'", reason="missing_html")
    return Record(rid, html, url, item.get("content_type"))


@dataclass(frozen=True)
class PageCleaner:
    """Clean pages into output records; cheap to pickle, loads the model once per process.

        cleaner = PageCleaner(BatchOptions(paragraphs=True))
        cleaner({"id": "a", "url": "https://…", "html": b"<html>…"})  # one output record
        cleaner.clean_many(records)                                    # a list of them

    Never raises for a bad page: it becomes its error record (``status: error`` and a
    ``reason`` code), as in the CLI's JSONL. ``single_thread`` holds BLAS and OpenMP to one
    thread per call, as the CLI's workers do: the engine's workers are the parallelism.
    """

    options: BatchOptions = field(default_factory=BatchOptions)
    chunk: int = DEFAULT_CHUNK
    single_thread: bool = True

    @property
    def page_filter(self) -> PageFilter:
        return page_filter_for(self.options)

    def __call__(self, item: Mapping[str, Any] | Record) -> dict[str, Any]:
        return self.clean_many([item])[0]

    def clean_many(self, items: Iterable[Mapping[str, Any] | Record]) -> list[dict[str, Any]]:
        """Output records for ``items``, in order; ``chunk`` pages per model call."""
        return list(self.iter_clean(items))

    def iter_clean(self, items: Iterable[Mapping[str, Any] | Record]) -> Iterator[dict[str, Any]]:
        """``clean_many`` as a generator, for streams that should not be held in memory."""
        page_filter = self.page_filter
        part: list[Record] = []
        for item in items:
            try:
                part.append(to_record(item))
            except Exception as exc:  # e.g. a mapping whose fields raise: report it, go on
                part.append(Record("", error=f"unreadable record: {type(exc).__name__}: {exc}",
                                   reason="bad_record"))
            if len(part) >= self.chunk:
                yield from self._run(page_filter, part)
                part = []
        if part:
            yield from self._run(page_filter, part)

    def _run(self, page_filter: PageFilter, records: list[Record]) -> list[dict[str, Any]]:
        options = self.options
        if not self.single_thread:
            return process_records(page_filter, records, options.timeout, options.paragraphs)
        with _threadpools().limit(limits=1):
            return process_records(page_filter, records, options.timeout, options.paragraphs)


__all__ = ["DEFAULT_CHUNK", "PageCleaner", "page_filter_for", "to_record"]
