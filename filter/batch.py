"""Cleaning many records: one output record per input record, in input order, on all cores.

Workers are processes, each loading the model once. Records are submitted through a
bounded window, so memory stays flat whatever the size of the input. A worker that dies
or hangs is replaced: the record it held becomes an error record and the run goes on.
"""

from __future__ import annotations

import multiprocessing
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

    def page_filter(self) -> PageFilter:
        kwargs: dict[str, Any] = {"keep_threshold": self.keep_threshold, "trust_model": self.trust_model}
        if self.max_bytes is not None:
            kwargs["max_bytes"] = self.max_bytes
        return PageFilter(self.model, **kwargs)


def result_record(record: Record, result: CleanResult, paragraphs: bool) -> dict[str, Any]:
    """The output record of a cleaned page (schema in README, "Output records")."""
    text = result.text
    out: dict[str, Any] = {"id": record.id, "url": result.url or record.url,
                           "status": "ok" if text else "empty", "reason": None if text else
                           ("no_content" if not result.paragraphs else "all_dropped"),
                           "title": result.title, "text": text, "metadata": result.metadata}
    if paragraphs:
        out["paragraphs"] = [{"text": p.text, "kind": p.kind, "label": p.label, "score": p.score,
                              "kept": p.kept} for p in result.paragraphs]
    return out


def error_record(record: Record, message: str, reason: str) -> dict[str, Any]:
    return {"id": record.id, "url": record.url, "status": "error", "reason": reason, "error": message}


def _alarm(signum: int, frame: Any) -> None:
    raise PageTimeout("page took longer than the time limit")


def process_record(page_filter: PageFilter, record: Record, timeout: float = 0, paragraphs: bool = False) -> dict[str, Any]:
    """Clean one record into an output record; never raises for a bad page."""
    if record.error:
        return error_record(record, record.error, record.reason or "unreadable")
    # SIGALRM can only be handled in the main thread; elsewhere the parent's hang limit applies.
    use_alarm = timeout > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    try:
        if use_alarm:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = page_filter.clean(record.html or b"", record.url, record.content_type)
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
    except PageFilterError as exc:
        if exc.reason == "empty":
            return {**error_record(record, str(exc), "empty"), "status": "empty"}
        return error_record(record, str(exc), exc.reason)
    except (MemoryError, RecursionError) as exc:
        return error_record(record, f"page too complex: {type(exc).__name__}", "too_complex")
    except Exception as exc:  # a bug of ours or of a library: report it for this record, go on
        return error_record(record, f"unexpected {type(exc).__name__}: {exc}", "internal")
    return result_record(record, result, paragraphs)


# --- worker processes -----------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(options: BatchOptions) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _WORKER["filter"] = options.page_filter()
    _WORKER["options"] = options


def _work(record: Record) -> dict[str, Any]:
    options: BatchOptions = _WORKER["options"]
    return process_record(_WORKER["filter"], record, options.timeout, options.paragraphs)


def clean_records(records: Iterable[Record], options: BatchOptions, workers: int = 1,
                  window: int | None = None) -> Iterator[dict[str, Any]]:
    """Output records for ``records``, in order; ``workers`` > 1 uses worker processes."""
    if workers <= 1:
        page_filter = options.page_filter()
        for record in records:
            yield process_record(page_filter, record, options.timeout, options.paragraphs)
        return
    yield from _parallel(records, options, workers, window or workers * 8)


def _parallel(records: Iterable[Record], options: BatchOptions, workers: int, window: int) -> Iterator[dict[str, Any]]:
    # "spawn", not fork: a forked child inherits the parent's OpenMP thread pool (used by
    # scikit-learn's gradient boosting) in a broken state and hangs on its first prediction.
    context = multiprocessing.get_context("spawn")
    new_pool: Callable[[], ProcessPoolExecutor] = lambda: ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(options,))
    pool = new_pool()
    pending: deque[tuple[Record, Future]] = deque()
    source = iter(records)
    # A hung worker is noticed by the parent when the head record waits this long.
    hang_limit = options.timeout * 2 + 30 if options.timeout > 0 else None
    try:
        while True:
            while len(pending) < window:
                record = next(source, None)
                if record is None:
                    break
                pending.append((record, pool.submit(_work, record)))
            if not pending:
                return
            record, future = pending[0]
            try:
                out = future.result(timeout=hang_limit)
            except FutureTimeout:
                pending.popleft()
                pool = _replace(pool, new_pool)
                for i, (r, _) in enumerate(pending):
                    pending[i] = (r, pool.submit(_work, r))
                yield error_record(record, "worker hung past the time limit and was replaced", "timeout")
                continue
            except BrokenProcessPool:
                # Which in-flight record killed the worker is unknown: keep the finished
                # results and retry the others one by one, so the crash is pinned on one.
                in_flight = list(pending)
                pending.clear()
                _shutdown(pool)
                for r, f in in_flight:
                    if f.done() and not f.cancelled() and f.exception() is None:
                        yield f.result()
                    else:
                        yield _isolated(r, new_pool, hang_limit)
                pool = new_pool()
                continue
            pending.popleft()
            yield out
    finally:
        _shutdown(pool)


def _isolated(record: Record, new_pool: Callable[[], ProcessPoolExecutor], hang_limit: float | None) -> dict[str, Any]:
    """Run one record in a pool of its own, so a crash is pinned on it."""
    pool = new_pool()
    try:
        return pool.submit(_work, record).result(timeout=hang_limit)
    except BrokenProcessPool:
        return error_record(record, "the worker process died on this page", "worker_died")
    except FutureTimeout:
        return error_record(record, "worker hung past the time limit and was replaced", "timeout")
    finally:
        _shutdown(pool)


def _replace(pool: ProcessPoolExecutor, new_pool: Callable[[], ProcessPoolExecutor]) -> ProcessPoolExecutor:
    _shutdown(pool)
    return new_pool()


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
