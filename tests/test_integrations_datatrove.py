"""datatrove steps: a WARC through datatrove's local executor gives the CLI's records."""

import pytest

from filter import BatchOptions

from .integration_support import WARC, check_warc_output, engine, run_example

datatrove = engine("datatrove")

from datatrove.data import Document  # noqa: E402

from filter.integrations.datatrove import (PageFilterBodyFilter, PageFilterExtractor,  # noqa: E402
                                           document_record)


def test_example_local_executor_on_the_warc_equals_the_cli(tmp_path):
    run_example("datatrove_warc.py", WARC.parent, tmp_path, "--glob", WARC.name, "--executor", "local")
    check_warc_output(tmp_path)
    stats = (tmp_path / "logs" / "stats.json").read_text()
    assert "dropped_pagefilter_short_body" in stats and "dropped_pagefilter_empty_no_content" in stats


def test_extractor_keeps_every_document_and_records_failures():
    docs = [Document("\x89PNG\r\n\x1a\n" + "\0" * 100, "png", metadata={"url": "https://x.org/p"}),
            Document("<html><body><nav>Home</nav></body></html>", "nav", metadata={})]
    step = PageFilterExtractor(BatchOptions(timeout=30))
    out = list(step.run(iter(docs)))
    assert [d.id for d in out] == ["png", "nav"] and all(d.text == "" for d in out)
    assert out[0].metadata["pagefilter"]["status"] == "error"
    assert out[0].metadata["pagefilter"]["reason"] == "binary"
    assert document_record(out[0]) == {"id": "png", "url": "https://x.org/p", "status": "error",
                                       "reason": "binary", "error": out[0].metadata["pagefilter"]["error"]}
    assert step.stats["error"].total == 1 and step.stats["forwarded"].total == 2


@pytest.mark.parametrize("info, text, kwargs, expected", [
    ({"status": "error", "reason": "timeout"}, "", {}, (False, "pagefilter_error_timeout")),
    ({"status": "empty", "reason": "all_dropped"}, "", {}, (False, "pagefilter_empty_all_dropped")),
    ({"status": "ok", "paragraphs": [{"kept": True}]}, "short", {}, (False, "pagefilter_short_body")),
    ({"status": "ok", "paragraphs": [{"kept": True}, {"kept": False}]}, "x" * 300, {"min_paragraphs": 2},
     (False, "pagefilter_few_paragraphs")),
    ({"status": "ok"}, "a" * 150 + "\n\n" + "b" * 150, {"min_paragraphs": 2}, True),
    (None, "text " * 100, {}, (False, "pagefilter_not_cleaned")),
])
def test_body_filter_reasons(info, text, kwargs, expected):
    doc = Document(text, "d", metadata={} if info is None else {"pagefilter": info})
    assert PageFilterBodyFilter(**kwargs).filter(doc) == expected
