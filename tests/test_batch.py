"""Batch cleaning: every input kind, one output record per input record, order, resume."""

import gzip
import json
import shutil
from pathlib import Path

import pytest

from filter.batch import BatchOptions, clean_records
from filter.readers import read_inputs
from filter.writers import JsonlWriter, resume_jsonl

from .conftest import FIXTURES, PAGES

WARC = FIXTURES / "warc" / "sample.warc.gz"
OPTIONS = BatchOptions(timeout=60)


def run(paths, workers=1, **kw):
    return list(clean_records(read_inputs([str(p) for p in paths], **kw), OPTIONS, workers))


def test_warc_records_with_http_status_and_charset():
    out = run([WARC])
    assert [r["url"] for r in out] == ["https://ameblo.jp/karakuchi-onee/entry-12828123456.html",
                                       "https://example.org/missing", "https://news.example.de/stadtrat",
                                       "https://example.net/sjis"]
    assert [r["status"] for r in out] == ["ok", "error", "ok", "ok"]
    assert out[1]["reason"] == "http_status"
    assert "関東地方の平野部" in out[3]["text"]  # Shift_JIS from the HTTP header


def test_truncated_warc_keeps_what_it_can_and_reports_the_cut(tmp_path):
    cut = tmp_path / "cut.warc.gz"
    data = WARC.read_bytes()
    cut.write_bytes(data[: int(len(data) * 0.6)])
    out = run([cut])
    assert out[0]["status"] == "ok"
    assert out[-1]["status"] == "error" and out[-1]["reason"] == "truncated"


def test_directory_glob_and_gzip(tmp_path):
    shutil.copy(PAGES / "en_clean_essay.html", tmp_path / "a.html")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html.gz").write_bytes(gzip.compress((PAGES / "fr_blog_cuisine.html").read_bytes()))
    (tmp_path / "notes.txt").write_text("not a page")
    out = run([tmp_path])
    assert [Path(r["id"]).name for r in out] == ["a.html", "b.html.gz"]
    assert all(r["status"] == "ok" for r in out)


def test_jsonl_bad_lines_become_error_records_and_the_batch_goes_on(tmp_path):
    page = (PAGES / "en_clean_essay.html").read_text(encoding="utf-8")
    lines = [json.dumps({"id": "a", "url": "https://x.org/a", "body": page}), "{not json",
             json.dumps({"id": "c", "url": "https://x.org/c"}), json.dumps({"id": "d", "body": "\x89PNG"}),
             json.dumps({"id": "e", "body": page})]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n")
    out = run([src], html_field="body")
    assert [r["status"] for r in out] == ["ok", "error", "error", "error", "ok"]
    assert [r["reason"] for r in out[1:4]] == ["bad_json", "missing_html", "binary"]
    assert out[0]["id"] == "a" and out[4]["id"] == "e"


def test_missing_input_path_is_an_error_record(tmp_path):
    (out,) = run([tmp_path / "nope.html"])
    assert out["status"] == "error" and out["reason"] == "not_found"


def test_workers_keep_input_order_and_give_the_same_records():
    pages = sorted(PAGES.glob("*.html"))[:8]
    one = run(pages, workers=1)
    two = run(pages, workers=2)
    assert [r["id"] for r in two] == [str(p) for p in pages]
    assert one == two


def test_resume_cuts_a_torn_line_and_counts_finished_records(tmp_path):
    out = tmp_path / "out.jsonl"
    writer = JsonlWriter(out)
    for i in range(3):
        writer.write({"id": i, "status": "ok"})
    writer.close()
    with open(out, "ab") as handle:
        handle.write(b'{"id": 3, "sta')  # killed mid-write
    assert resume_jsonl(out) == 3
    assert out.read_text().count("\n") == 3 and out.read_text().endswith("\n")
