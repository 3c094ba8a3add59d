"""Shared by the engine tests: the CLI's records to compare with, and running the examples."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from filter import BatchOptions, Record
from filter.batch import process_record
from filter.step import page_filter_for

from .conftest import FIXTURES, PAGES, ROOT

WARC = FIXTURES / "warc" / "sample.warc.gz"
EXAMPLES = ROOT / "examples"
OPTIONS = BatchOptions(paragraphs=True, timeout=30)  # what examples/datatrove_warc.py runs with


def engine(name: str) -> ModuleType:
    """Import an engine of the test extra. In CI (CI set) a missing one fails the run, so
    a broken install cannot pass as skipped tests; elsewhere its tests are skipped."""
    if os.environ.get("CI"):
        return importlib.import_module(name)
    return pytest.importorskip(name)


@lru_cache(maxsize=1)
def cli_records() -> dict[str, dict[str, Any]]:
    """``pagefilter clean -f json --paragraphs`` on the WARC and every fixture page, by id."""
    out = subprocess.run([sys.executable, "-m", "filter", "clean", str(WARC), str(PAGES.resolve()), "-f", "json",
                          "--paragraphs", "--workers", "2", "--quiet"], capture_output=True, text=True, timeout=300)
    assert out.returncode in (0, 1), out.stderr  # 1: the WARC's 404 is an error record
    records = [json.loads(line) for line in out.stdout.splitlines()]
    return {r["id"]: r for r in records}


def run_example(script: str, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, str(EXAMPLES / script), *map(str, args)], capture_output=True,
                         text=True, timeout=timeout, cwd=ROOT)
    assert out.returncode == 0, f"{script} failed:\n{out.stdout[-3000:]}\n{out.stderr[-6000:]}"
    return out


def read_jsonl_dir(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for path in sorted(folder.glob("*.json*")) for line in path.read_text().splitlines()
            if line.strip()]


def _documents(rows: list[dict[str, Any]]) -> list[Any]:
    """Documents back from datatrove's JSONL (its writer leaves out an empty text)."""
    from datatrove.data import Document

    return [Document(row.get("text", ""), row["id"], metadata=row["metadata"]) for row in rows]


def check_warc_output(folder: Path) -> None:
    """The output of ``examples/datatrove_warc.py`` in ``folder`` (the fixture WARC, any
    executor) against the CLI's records and against ``process_record``."""
    from datatrove.pipeline.readers import WarcReader

    from filter.integrations.datatrove import document_record

    kept, dropped = _documents(read_jsonl_dir(folder / "clean")), _documents(read_jsonl_dir(folder / "dropped"))
    reasons = {doc.id: doc.metadata.pop("filter_reason") for doc in dropped}
    got = {doc.id: document_record(doc) for doc in kept + dropped}
    cli = cli_records()
    # WarcReader yields every record of the WARC, decoded by itself (UTF-8, else cchardet).
    read = {doc.id: doc for doc in WarcReader(str(WARC.parent), glob_pattern=WARC.name).run()}
    assert set(got) == set(read) == {rid for rid in cli if rid.startswith("<urn:uuid:")}
    for rid, record in got.items():
        doc = read[rid]
        assert record == process_record(page_filter_for(OPTIONS), Record(rid, doc.text, doc.metadata["url"]),
                                        OPTIONS.timeout, paragraphs=True)
        if cli[rid]["status"] != "error":
            assert record == cli[rid], rid  # the same record as `pagefilter clean`, field for field
    # The 404: the CLI reports the HTTP status; WarcReader does not look at it and passes its
    # body on, which pagefilter finds empty, and the body filter drops with the reason.
    missing = next(rid for rid, r in cli.items() if r.get("reason") == "http_status")
    assert got[missing]["status"] == "empty" and reasons[missing] == "pagefilter_empty_no_content"
    sjis = next(rid for rid, r in cli.items() if r["url"] == "https://example.net/sjis")
    assert reasons[sjis] == "pagefilter_short_body" and "関東地方の平野部" in got[sjis]["text"]
    assert {doc.id for doc in kept} == set(got) - set(reasons)
    assert all(doc.text and doc.metadata["pagefilter"]["paragraphs"] for doc in kept)
