"""The rule that labels extracted blocks from a benchmark's reference main content."""

from filter.labels import UNTYPED_JUNK as JUNK
from filter.reference import reference_labels
from filter.segment import Block, Page


def test_alignment_ignores_quote_styles_and_needs_word_order():
    reference = "He said “the budget is final” on Monday.\n\nPrices rose 3% in May, the agency said."
    page = Page([Block(t, "paragraph", i) for i, t in enumerate([
        'He said "the budget is final" on Monday.',    # other quote marks: still body
        "May in said agency the rose prices",          # same words, wrong order: not body
        "Prices rose 3%",                              # short and contiguous: body
        "Subscribe now",                               # not in the reference
        "東京",                                         # CJK characters are tokens
    ])])
    assert reference_labels(page, reference) == ["body", JUNK, "body", JUNK, JUNK]
    assert reference_labels(Page([Block("東京で雪が降った", "paragraph", 0)]), "今日、東京で雪が降った。") == ["body"]


def test_prose_missing_between_body_blocks_is_not_trained_on():
    from filter.reference import trusted_labels

    prose = "This paragraph reads like the article itself, and the reviewer simply left it out of the reference text."
    texts = ["Subscribe", "First body paragraph.", prose, "Share", "Last body paragraph.", prose]
    labels = ["junk", "body", "junk", "junk", "body", "junk"]
    page = Page([Block(t, "paragraph", i) for i, t in enumerate(texts)])
    # inside the body's span and prose: unlabelled; short lines and anything outside stay junk
    assert trusted_labels(page, labels) == ["junk", "body", None, "junk", "body", "junk"]
