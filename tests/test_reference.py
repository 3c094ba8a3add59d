"""The rule that labels extracted blocks from a benchmark's reference main content."""

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
    assert reference_labels(page, reference) == ["body", "other", "body", "other", "other"]
    assert reference_labels(Page([Block("東京で雪が降った", "paragraph", 0)]), "今日、東京で雪が降った。") == ["body"]
