"""Hostile input: every bad record gets a clear error or empty record, quickly, and the
pipeline never raises anything but PageFilterError."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filter import PageFilterError
from filter.batch import BatchOptions, clean_records, process_record
from filter.readers import Record, read_inputs

from .conftest import FIXTURES, PAGES

BAD = FIXTURES / "bad"
EXPECTED = {
    "empty.html": ("empty", "empty"),
    "whitespace.html": ("empty", "empty"),
    "image.png": ("error", "binary"),
    "document.pdf": ("error", "binary"),
    "archive.html.gz": ("error", "binary"),
    "navigation-only.html": ("empty", "navigation_only"),
}


def test_navigation_check_spares_articles_and_title_listings():
    from filter.navigation import is_navigation_only
    from filter.parse import parse_page

    for path in sorted(PAGES.glob("*.html")):  # no real page is mistaken for a menu
        assert parse_page(path.read_bytes()).empty_reason is None, path.name
    titles = [f"Council approves the new budget for the harbour district, part {i}" for i in range(12)]
    listing = "<html><body>" + "".join(f'<p><a href="/a{i}">{t}</a></p>' for i, t in enumerate(titles)) + "</body></html>"
    page = parse_page(listing)
    assert page.blocks and page.empty_reason is None
    assert not is_navigation_only(page.blocks, titles)


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir() if p.suffix in (".html", ".png", ".pdf", ".gz")
                                        and "warc" not in p.name))
def test_each_bad_page_gives_one_clear_record(name, shipped_filter):
    path = BAD / name
    (record,) = read_inputs([str(path)])
    start = time.monotonic()
    out = process_record(shipped_filter, record, timeout=30)
    assert time.monotonic() - start < 30
    assert out["status"] in ("ok", "empty", "error") and out["id"] == str(path)
    if name in EXPECTED:
        status, reason = EXPECTED[name]
        assert out["status"] == status
        if reason:
            assert out["reason"] == reason
    if out["status"] == "error":
        assert out["error"] and out["reason"] not in ("internal",)


def test_recoverable_pages_still_give_their_text(shipped_filter):
    def text(name):
        (record,) = read_inputs([str(BAD / name)])
        return process_record(shipped_filter, record).get("text", "")

    assert "関東地方の平野部" in text("wrong-charset.html")
    assert "Городской совет" in text("mixed-scripts.html")
    assert len(text("nul-bytes.html")) > 500 and "\x00" not in text("nul-bytes.html")
    assert len(text("invalid-utf8.html")) > 500


def test_bad_jsonl_and_truncated_warc_keep_the_batch_going():
    out = list(clean_records(read_inputs([str(BAD / "records.jsonl"), str(BAD / "truncated.warc.gz")]),
                             BatchOptions(timeout=30)))
    statuses = [(r["status"], r["reason"]) for r in out]
    assert statuses[:5] == [("ok", None), ("error", "bad_json"), ("error", "missing_html"), ("error", "bad_json"),
                            ("ok", None)]
    assert statuses[-1] == ("error", "truncated")


def test_size_cap_refuses_a_50mb_page_quickly(shipped_filter):
    huge = b"<html><body>" + b"<p>" + b"word " * 10_000_000 + b"</p></body></html>"
    start = time.monotonic()
    out = process_record(shipped_filter, Record("huge", huge))
    assert (out["status"], out["reason"]) == ("error", "too_large")
    assert time.monotonic() - start < 5


def test_one_5mb_paragraph_and_100k_nested_elements_finish_in_bounded_time(shipped_filter):
    para = b"<html><body><article><p>" + ("Lorem ipsum dolor sit amet. " * 180_000).encode() + b"</p></article></body></html>"
    deep = b"<html><body>" + b"<div>" * 100_000 + b"<p>deep text here</p>" + b"</div>" * 100_000 + b"</body></html>"
    for html in (para, deep):
        start = time.monotonic()
        out = process_record(shipped_filter, Record("big", html), timeout=60)
        assert out["status"] in ("ok", "empty", "error")
        assert time.monotonic() - start < 90


def test_time_limit_turns_a_slow_page_into_a_timeout_record(shipped_filter):
    para = b"<html><body><article><p>" + ("Lorem ipsum dolor sit amet. " * 180_000).encode() + b"</p></article></body></html>"
    out = process_record(shipped_filter, Record("slow", para), timeout=0.05)
    assert (out["status"], out["reason"]) == ("error", "timeout")


def test_results_do_not_depend_on_earlier_pages(shipped_filter):
    target = (PAGES / "ja_seed001_aggregator.html").read_bytes()
    alone = shipped_filter.clean(target).to_dict()
    for other in sorted(PAGES.glob("*.html"))[:6]:
        shipped_filter.clean(other.read_bytes())
    assert shipped_filter.clean(target).to_dict() == alone


TAGS = st.sampled_from(["p", "div", "span", "li", "ul", "h2", "article", "section", "a", "table", "td", "br",
                        "script", "b", "blockquote", "pre"])
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@st.composite
def html_pages(draw):
    parts = ["<html><head><title>", draw(TEXT), "</title></head><body>"]
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        parts.append(f"<{tag}>{draw(TEXT)}")
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    return "".join(parts) + draw(st.sampled_from(["</body></html>", "", "</div>"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=html_pages(), as_bytes=st.booleans())
def test_fuzz_the_whole_pipeline(shipped_filter, page, as_bytes):
    data = page.encode("utf-8") if as_bytes else page
    try:
        first = shipped_filter.clean(data).to_dict()
    except PageFilterError:
        return
    assert shipped_filter.clean(data).to_dict() == first  # deterministic


def test_output_does_not_depend_on_batch_size_or_order():
    pages = sorted(PAGES.glob("*.html"))[:6]
    records = lambda order: [Record(p.name, p.read_bytes()) for p in order]  # noqa: E731
    by_id = lambda out: {r["id"]: r for r in out}  # noqa: E731
    one = by_id(clean_records(records(pages), BatchOptions(timeout=60), chunk=1))
    many = by_id(clean_records(records(pages), BatchOptions(timeout=60), chunk=16))
    reverse = by_id(clean_records(records(pages[::-1]), BatchOptions(timeout=60), chunk=4))
    assert one == many == reverse
