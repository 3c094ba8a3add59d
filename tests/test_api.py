"""The public API is what ``filter.__all__`` says, and it works as documented."""

import filter

from .conftest import PAGES


def test_all_names_exist_and_are_exported():
    for name in filter.__all__:
        assert hasattr(filter, name), name
    public = {n for n in dir(filter) if not n.startswith("_")} - {"annotations", "lru_cache", "Path"}
    modules = {n for n in public if type(getattr(filter, n)).__name__ == "module"}
    assert public - modules == set(filter.__all__) - {"__version__"}


def test_clean_accepts_bytes_and_text(shipped_filter):
    html = (PAGES / "en_clean_essay.html").read_bytes()
    from_bytes = filter.clean(html)
    from_text = filter.clean(html.decode("utf-8"))
    assert from_bytes.text == from_text.text
    assert len(from_bytes.text) > 1000
    assert all(p.label == "body" for p in from_bytes.paragraphs if p.kept)


def test_result_carries_every_paragraph_with_a_decision(shipped_filter):
    result = shipped_filter.clean((PAGES / "en_react_news_politics.html").read_bytes())
    assert result.title
    assert result.paragraphs and any(not p.kept for p in result.paragraphs)
    for p in result.paragraphs:
        assert p.label in filter.LABELS
        assert 0.0 <= p.score <= 1.0
        assert p.kept == (p.label == filter.BODY)
    record = result.to_dict()
    assert record["text"] == result.text and len(record["paragraphs"]) == len(result.paragraphs)
