"""Cut-short copies of a paragraph are duplicates; similar but different paragraphs are not."""

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
