"""pagefilter for Ray Data: a ``map_batches`` class that cleans a batch of pages.

    import ray
    from filter import BatchOptions
    from filter.integrations.ray import CleanBatch

    ray.init()                                   # or ray.init(address="auto" / "ray://head:10001")
    pages = ray.data.read_binary_files("crawl/", include_paths=True, num_cpus=0)
    clean = pages.map_batches(CleanBatch, batch_format="pyarrow", batch_size=16, num_cpus=1,
                              compute=ray.data.ActorPoolStrategy(size=8),
                              fn_constructor_kwargs={"options": BatchOptions(paragraphs=True),
                                                     "html_column": "bytes", "id_column": "path"})
    clean.write_json("out/")

Ray runs a pool of actors; each builds one ``CleanBatch``, which loads the model once, and
then cleans batch after batch. (Reads get ``num_cpus=0``, ``ray_remote_args={"num_cpus": 0}``
on older Ray: they are I/O, and a pool that holds every CPU would otherwise starve them.)
``clean_batch`` is the same as a function, for Ray tasks instead of actors: see its docstring
for when that is the better choice (the per-page time limit).

Batches are ``pyarrow`` tables, in and out (``batch_format="pyarrow"``): Arrow keeps page
bytes as bytes without copies through pandas, and the output schema below is fixed, so
every block has the same schema whatever its pages (pandas would infer a column of all-null
values as something else in a batch where every page failed). Input columns (names
configurable): ``html`` (str or bytes), and optional ``id``, ``url``, ``content_type``.
Output columns, one row per input row, are the fields of the ``pagefilter clean -f json``
records: ``id``, ``url``, ``status``, ``reason``, ``error``, ``title``, ``text`` (strings,
null where the record has no such field), ``metadata`` and ``paragraphs`` (JSON strings:
their keys vary by page, which a nested Arrow column would have to unify across blocks;
``paragraphs`` is null unless ``BatchOptions(paragraphs=True)``). ``row_to_record(row)`` turns
a row back into exactly the CLI's JSONL record.

This module imports pyarrow, not Ray (``CleanBatch`` works on any Arrow table); both come
with the extra: ``pip install 'pagefilter[ray]'``.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

import pyarrow as pa

from ..batch import BatchOptions
from ..step import DEFAULT_CHUNK, PageCleaner

_STRING_FIELDS = ("id", "url", "status", "reason", "error", "title", "text")
_JSON_FIELDS = ("metadata", "paragraphs")

#: the schema of every output batch
SCHEMA = pa.schema([(name, pa.string()) for name in _STRING_FIELDS + _JSON_FIELDS])


class CleanBatch:
    """Clean a ``pyarrow.Table`` batch of pages into a table of output records.

    ``options`` are the CLI's (model, threshold, time limit, ``paragraphs``); a dict of
    ``BatchOptions`` fields is accepted too. ``*_column`` name the input columns; a missing
    ``id`` column falls back to the URL. A page that cannot be cleaned gives its error row
    (``status`` "error", a ``reason`` code): a batch never fails for a bad page.
    """

    def __init__(self, options: BatchOptions | Mapping[str, Any] | None = None, *, html_column: str = "html",
                 id_column: str = "id", url_column: str = "url", content_type_column: str = "content_type",
                 chunk: int = DEFAULT_CHUNK) -> None:
        self.cleaner = PageCleaner(_options(options), chunk=chunk)
        self.columns = {"html": html_column, "id": id_column, "url": url_column, "content_type": content_type_column}
        self.cleaner.page_filter  # load the model now: this actor exists to hold it

    def __call__(self, batch: pa.Table) -> pa.Table:
        return _clean_table(self.cleaner, self.columns, batch)


def clean_batch(batch: pa.Table, options: BatchOptions | Mapping[str, Any] | None = None, *,
                html_column: str = "html", id_column: str = "id", url_column: str = "url",
                content_type_column: str = "content_type", chunk: int = DEFAULT_CHUNK) -> pa.Table:
    """``CleanBatch`` as a function, for ``map_batches(clean_batch, fn_kwargs={...})``.

    Ray then runs it as tasks, on the main thread of its worker processes, where pagefilter's
    per-page time limit (SIGALRM) works; the model is still loaded once per worker process
    (``filter.step`` caches it, and Ray reuses its workers). ``CleanBatch``'s actors are a
    steadier pool, but Ray Data calls them off the main thread, where no time limit can be
    set: a page that hangs there holds its actor.
    """
    columns = {"html": html_column, "id": id_column, "url": url_column, "content_type": content_type_column}
    return _clean_table(PageCleaner(_options(options), chunk=chunk), columns, batch)


def _options(options: BatchOptions | Mapping[str, Any] | None) -> BatchOptions:
    if options is None:
        return BatchOptions()
    return options if isinstance(options, BatchOptions) else BatchOptions(**options)


def _clean_table(cleaner: PageCleaner, columns: Mapping[str, str], batch: pa.Table) -> pa.Table:
    n = batch.num_rows
    values = {field: batch.column(name).to_pylist() if name in batch.column_names else [None] * n
              for field, name in columns.items()}
    items = [{field: values[field][i] for field in values} for i in range(n)]
    return pa.Table.from_pylist([record_to_row(r) for r in cleaner.clean_many(items)], schema=SCHEMA)


def record_to_row(record: Mapping[str, Any]) -> dict[str, str | None]:
    """A JSONL output record as a row of ``SCHEMA``."""
    row: dict[str, str | None] = {}
    for name in _STRING_FIELDS:
        value = record.get(name)
        row[name] = value if value is None or isinstance(value, str) else str(value)  # e.g. a numeric URL field
    for name in _JSON_FIELDS:
        row[name] = json.dumps(record[name], ensure_ascii=False) if name in record else None
    return row


def row_to_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """The ``pagefilter clean -f json`` record of an output row (the inverse of ``record_to_row``)."""
    if row.get("error") is not None:  # an error record: these fields only, as in the CLI's JSONL
        return {name: row.get(name) for name in ("id", "url", "status", "reason", "error")}
    record: dict[str, Any] = {name: row.get(name) for name in ("id", "url", "status", "reason", "title", "text")}
    record["metadata"] = json.loads(row["metadata"])
    if row.get("paragraphs") is not None:
        record["paragraphs"] = json.loads(row["paragraphs"])
    return record


__all__ = ["SCHEMA", "CleanBatch", "clean_batch", "record_to_row", "row_to_record"]
