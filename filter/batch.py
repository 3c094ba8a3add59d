"""Cleaning many records: one output record per input record, in input order, on all cores.

Workers are processes, each loading the model once. Records are submitted through a
bounded window, so memory stays flat whatever the size of the input. A worker that dies
or hangs is replaced: the record it held becomes an error record and the run goes on.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor, TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from .clean import CleanResult, PageFilter
from .segment import Page
from .errors import PageFilterError, PageTimeout
from .readers import Record

DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class BatchOptions:
    """What every worker needs to build its own ``PageFilter`` (picklable)."""

    model: str | None = None
    trust_model: bool = False
    keep_threshold: float | None = None
    max_bytes: int | None = None
    timeout: float = DEFAULT_TIMEOUT
    paragraphs: bool = False
    #: extra seconds the parent waits, past ``timeout``, before it declares a worker hung
    hang_grace: float = 30.0

    def page_filter(self) -> PageFilter:
        kwargs: dict[str, Any] = {"keep_threshold": self.keep_threshold, "trust_model": self.trust_model}
        if self.max_bytes is not None:
            kwargs["max_bytes"] = self.max_bytes
        return PageFilter(self.model, **kwargs)


def result_record(record: Record, result: CleanResult, paragraphs: bool) -> dict[str, Any]:
    """The output record of a cleaned page (schema in README, "Output records")."""
    text = result.text
    out: dict[str, Any] = {"id": record.id, "url": result.url or record.url,
                           "status": "ok" if text else "empty", "reason": result.reason,
                           "title": result.title, "text": text, "metadata": result.metadata}
    if paragraphs:
        out["paragraphs"] = [{"text": p.text, "kind": p.kind, "label": p.label, "score": p.score,
                              "kept": p.kept} for p in result.paragraphs]
    return out


def error_record(record: Record, message: str, reason: str) -> dict[str, Any]:
    return {"id": record.id, "url": record.url, "status": "error", "reason": reason, "error": message}


def _alarm(signum: int, frame: Any) -> None:
    raise PageTimeout("page took longer than the time limit")


def _guarded(fn: Callable[[], Any], timeout: float, record: Record) -> tuple[Any, dict[str, Any] | None]:
    """Run ``fn`` under the time limit; a failure becomes ``record``'s error record."""
    # SIGALRM can only be handled in the main thread; elsewhere the parent's hang limit applies.
    use_alarm = timeout > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    try:
        if use_alarm:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return fn(), None
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
    except PageFilterError as exc:
        if exc.reason == "empty":
            return None, {**error_record(record, str(exc), "empty"), "status": "empty"}
        return None, error_record(record, str(exc), exc.reason)
    except (MemoryError, RecursionError) as exc:
        return None, error_record(record, f"page too complex: {type(exc).__name__}", "too_complex")
    except Exception as exc:  # a bug of ours or of a library: report it for this record, go on
        return None, error_record(record, f"unexpected {type(exc).__name__}: {exc}", "internal")


def process_records(page_filter: PageFilter, records: list[Record], timeout: float = 0,
                    paragraphs: bool = False) -> list[dict[str, Any]]:
    """Clean a few records into output records, one model call for all; never raises for a
    bad page. Each page is parsed under its own time limit; the shared model call gets the
    sum, and if it fails the pages are classified one by one to pin the failure on one."""
    out: list[dict[str, Any] | None] = [None] * len(records)
    parsed: list[tuple[int, Page]] = []
    for i, record in enumerate(records):
        if record.error:
            out[i] = error_record(record, record.error, record.reason or "unreadable")
            continue
        page, error = _guarded(lambda: page_filter.parse(record.html or b"", record.url, record.content_type),
                               timeout, record)
        if error:
            out[i] = error
        else:
            parsed.append((i, page))
    if parsed:
        pages = [page for _, page in parsed]
        decisions, error = _guarded(lambda: page_filter.classify_many(pages), timeout * len(pages),
                                    records[parsed[0][0]])
        for k, (i, page) in enumerate(parsed):
            if error is None:
                paragraphs_k, error_k = decisions[k], None
            else:
                paragraphs_k, error_k = _guarded(lambda: page_filter.classify(page), timeout, records[i])
            out[i] = error_k or result_record(records[i], CleanResult.for_page(page, paragraphs_k), paragraphs)
    return out  # type: ignore[return-value]


def process_record(page_filter: PageFilter, record: Record, timeout: float = 0, paragraphs: bool = False) -> dict[str, Any]:
    """Clean one record into an output record; never raises for a bad page."""
    return process_records(page_filter, [record], timeout, paragraphs)[0]


# --- worker processes -----------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(options: BatchOptions) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    # One OpenMP thread per worker: the workers are the parallelism, and a forked child must
    # not touch the OpenMP thread pool it inherited from a parent that already predicted
    # (gradient boosting's libgomp pool is not fork-safe and hangs there).
    from threadpoolctl import threadpool_limits

    _WORKER["limits"] = threadpool_limits(1)
    _WORKER["filter"] = options.page_filter()
    _WORKER["options"] = options


def _work(records: list[Record]) -> list[dict[str, Any]]:
    options: BatchOptions = _WORKER["options"]
    return process_records(_WORKER["filter"], records, options.timeout, options.paragraphs)


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def clean_records(records: Iterable[Record], options: BatchOptions, workers: int = 1,
                  chunk: int = 16) -> Iterator[dict[str, Any]]:
    """Output records for ``records``, in order; ``workers`` > 1 uses worker processes.
    Records go to the model ``chunk`` at a time (batched prediction is several times faster)."""
    chunks = _chunks(records, chunk)
    if workers <= 1:
        page_filter = options.page_filter()
        for part in chunks:
            yield from process_records(page_filter, part, options.timeout, options.paragraphs)
        return
    yield from _parallel(chunks, options, workers, workers * 2)


def _parallel(chunks: Iterable[list[Record]], options: BatchOptions, workers: int,
              window: int) -> Iterator[dict[str, Any]]:
    new_pool: Callable[[], ProcessPoolExecutor] = lambda: ProcessPoolExecutor(
        workers, initializer=_init_worker, initargs=(options,))
    pool = new_pool()
    pending: deque[tuple[list[Record], Future]] = deque()
    source = iter(chunks)

    def hang_limit(n: int) -> float | None:
        # A hung worker is noticed by the parent when the head chunk waits this long.
        return options.timeout * (n + 1) + options.hang_grace if options.timeout > 0 else None

    try:
        while True:
            while len(pending) < window:
                part = next(source, None)
                if part is None:
                    break
                pending.append((part, pool.submit(_work, part)))
            if not pending:
                return
            part, future = pending[0]
            try:
                out = future.result(timeout=hang_limit(len(part)))
            except (FutureTimeout, BrokenProcessPool):
                # Which record hung or killed its worker is unknown: keep the finished chunks
                # and run each record of the others alone, so the fault is pinned on one.
                in_flight = list(pending)
                pending.clear()
                _shutdown(pool)
                for records, f in in_flight:
                    if f.done() and not f.cancelled() and f.exception() is None:
                        yield from f.result()
                    else:
                        for record in records:
                            yield _isolated(record, new_pool, hang_limit(1))
                pool = new_pool()
                continue
            pending.popleft()
            yield from out
    finally:
        _shutdown(pool)


def _isolated(record: Record, new_pool: Callable[[], ProcessPoolExecutor], hang_limit: float | None) -> dict[str, Any]:
    """Run one record in a pool of its own, so a crash is pinned on it."""
    pool = new_pool()
    try:
        return pool.submit(_work, [record]).result(timeout=hang_limit)[0]
    except BrokenProcessPool:
        return error_record(record, "the worker process died on this page", "worker_died")
    except FutureTimeout:
        return error_record(record, "worker hung past the time limit and was replaced", "timeout")
    finally:
        _shutdown(pool)


def _shutdown(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now, killing workers that may be stuck in C code."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    deadline = time.monotonic() + 5
    for process in processes:
        process.join(timeout=max(0.0, deadline - time.monotonic()))


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
