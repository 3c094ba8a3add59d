"""The engine-neutral step: picklable, model once per process, output = the CLI's records."""

import pickle
import subprocess
import sys

from filter import BatchOptions, Record
from filter.batch import process_record
from filter.step import PageCleaner, page_filter_for

from .conftest import PAGES

NAMES = ["en_clean_essay", "ja_seed001_aggregator", "fr_blog_cuisine", "de_news_regional", "ar_blog_clean"]
OPTIONS = BatchOptions(paragraphs=True, timeout=60)


def items():
    return [{"id": name, "url": f"https://example.org/{name}", "html": (PAGES / f"{name}.html").read_bytes()}
            for name in NAMES]


def test_importing_filter_imports_no_engine():
    code = ("import sys, filter, filter.step, filter.integrations; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'ray', 'datatrove'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_cleaner_pickles_without_the_model_and_loads_it_once_per_process():
    cleaner = PageCleaner(OPTIONS)
    assert cleaner.page_filter is page_filter_for(OPTIONS)  # cached: loaded once in this process
    data = pickle.dumps(cleaner)
    assert len(data) < 1000  # options only, never the model
    assert pickle.loads(data) == cleaner


def test_output_equals_process_record_whatever_the_sharding():
    pages = items()
    expected = [process_record(page_filter_for(OPTIONS),
                               Record(p["id"], p["html"], p["url"]), OPTIONS.timeout, paragraphs=True)
                for p in pages]
    whole = PageCleaner(OPTIONS).clean_many(pages)
    assert whole == expected
    # other shard sizes, another order, a shipped (pickled) copy, one page at a time
    shipped = pickle.loads(pickle.dumps(PageCleaner(OPTIONS, chunk=2)))
    assert shipped.clean_many(pages[::-1]) == expected[::-1]
    assert [PageCleaner(OPTIONS)(p) for p in pages] == expected
    assert all(r["status"] == "ok" and r["paragraphs"] for r in whole)


def test_bad_pages_become_error_records_never_exceptions():
    cleaner = PageCleaner(BatchOptions(timeout=60))
    out = cleaner.clean_many([
        {"id": "png", "html": b"\x89PNG\r\n\x1a\n" + bytes(200)},
        {"id": "none", "url": "https://x.org/n"},
        {"url": "https://x.org/no-id", "html": 42},
        Record("unreadable", error="cannot read it", reason="unreadable"),
        "not a mapping",
        {"id": "ok", "html": (PAGES / "en_clean_essay.html").read_text(encoding="utf-8")},
    ])
    assert [(r["id"], r["status"], r["reason"]) for r in out] == [
        ("png", "error", "binary"), ("none", "error", "missing_html"),
        ("https://x.org/no-id", "error", "missing_html"), ("unreadable", "error", "unreadable"),
        ("", "error", "bad_record"), ("ok", "ok", None)]
