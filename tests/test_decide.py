"""Decisions from probabilities: cut-short copies are duplicates (similar but different
paragraphs are not), and a page extracted as one long block is kept."""

import numpy as np

from filter.clean import decide
from filter.labels import BODY
from filter.repeats import containment
from filter.segment import Block, Page

LEAD = ("Rdzenie torfu pobrane z Bagien Biebrzańskich pozwoliły odtworzyć, jak zmieniał się poziom "
        "wody w dolinie Biebrzy przez ostatnie dwa tysiące lat. Tak głębokie przesuszenie nie zdarzyło się ani razu.")
TEASER = "Rdzenie torfu pobrane z Bagien Biebrzańskich pozwoliły odtworzyć, jak zmieniał się poziom wody."
OTHER = "Badania prowadził zespół naukowców z Uniwersytetu w Białymstoku i Uniwersytetu w Poznaniu."


def test_containment_is_the_shorter_texts_share_inside_a_longer_one():
    share = containment([LEAD, TEASER, OTHER])
    assert share[1, 0] > 0.95  # the teaser lies inside the lead
    assert share[0, 1] == 0  # the longer text is never "inside" a shorter one
    assert share[2, 0] < 0.2 and share[2, 1] < 0.2
    assert np.all(np.diag(share) == 0)


def decisions(texts, p_body):
    page = Page([Block(t, "paragraph", i) for i, t in enumerate(texts)])
    proba = np.array([[p, 1 - p] for p in p_body])
    return decide(page, proba, [BODY, "other"], 0.5)


def test_a_cut_short_copy_of_a_kept_paragraph_is_a_duplicate():
    out = decisions([LEAD, OTHER, TEASER], [0.9, 0.9, 0.9])
    assert [p.label for p in out] == [BODY, BODY, "duplicate"] and not out[2].kept


def test_a_copy_of_a_dropped_paragraph_stays_and_short_lines_are_left_to_the_model():
    assert [p.kept for p in decisions([LEAD, TEASER], [0.1, 0.9])] == [False, True]
    # a subheading that repeats words of the lead is short: not a duplicate
    assert [p.kept for p in decisions([LEAD, "Rdzenie torfu"], [0.9, 0.9])] == [True, True]


def test_a_page_extracted_as_one_long_block_is_kept_and_a_short_one_is_left_to_the_model():
    long_text = " ".join([LEAD, OTHER] * 6)
    assert len(long_text) >= 1000
    assert [(p.label, p.kept) for p in decisions([long_text], [0.05])] == [(BODY, True)]
    assert [p.kept for p in decisions(["Page not found. Back to the home page."], [0.05])] == [False]
    assert [p.kept for p in decisions([long_text, OTHER], [0.05, 0.9])] == [False, True]
