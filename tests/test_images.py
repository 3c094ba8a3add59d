"""Where images stood in the source: the structural cue for captions and photo credits."""

from filter.images import image_neighbours, mark_image_neighbours
from filter.parse import parse_page
from filter.segment import Block


def test_caption_inside_the_image_paragraph_and_in_the_next_one():
    source = ('<p style="text-align:center"><img src="a.png" alt=""><br>Sam Altman &amp; Greg Brockman on stage</p>'
              '<p class="f_center"><img src="b.jpg"></p><p class="f_center">村民在新修的引水渠旁查看水量</p>')
    after, before = image_neighbours(source)
    assert after == {"sam altman & greg brockman on stage", "村民在新修的引水渠旁查看水量"}
    assert before == {"sam altman & greg brockman on stage"}  # the text before the second image


def test_a_script_stops_the_walk():
    source = '<img src="pixel.gif"><script>var caption = "not text";</script><p>Body</p>'
    assert image_neighbours(source)[0] == set()
    source = '<script>var x = "<b>";</script><img src="x.jpg">'
    assert image_neighbours(source)[1] == set()


def test_blocks_are_matched_by_their_first_or_last_words():
    blocks = [Block("Flooded underpass on Tuesday. Photo: Jane Roe / Gazette", "paragraph", 0),
              Block("The water rose within an hour.", "paragraph", 1),
              Block("Source: city archive", "paragraph", 2)]
    source = ('<p><img src="1.jpg"><br>Flooded underpass on Tuesday. Photo: <a href="/roe">Jane Roe</a> / Gazette</p>'
              '<p>The water rose within an hour.</p><p>Source: <em>city archive</em></p><img src="2.jpg">')
    marked = mark_image_neighbours(blocks, source)
    assert [(b.after_image, b.before_image) for b in marked] == [(True, False), (False, False), (False, True)]
    assert [b.text for b in marked] == [b.text for b in blocks]


def test_pages_without_images_are_left_alone():
    blocks = [Block("Text", "paragraph", 0)]
    assert mark_image_neighbours(blocks, "<p>Text</p>") is blocks


def test_parse_marks_the_seed_caption(labelled_pages):
    lp = next(p for p in labelled_pages if p.name == "ja_seed001_aggregator")
    caption = next(b for b in lp.page.blocks if b.text == "サム・アルトマン、グレッグ・ブロックマンが講演")
    assert caption.after_image
    assert not any(b.after_image for b in lp.page.blocks if len(b.text) > 200 and b.text.startswith("たった今"))


def test_parse_page_sets_the_flags_end_to_end():
    html = ("<html><head><title>Flood</title></head><body><article><h1>Flood in the valley</h1>"
            + "<p>The river rose two metres overnight and the old bridge was closed to traffic.</p>" * 3
            + '<p><img src="x.jpg"><br>The closed bridge on Wednesday morning</p>'
            + "<p>Engineers will inspect the piers once the water falls, the council said.</p>"
            + "</article></body></html>")
    page = parse_page(html)
    flagged = [b.text for b in page.blocks if b.after_image]
    assert flagged == ["The closed bridge on Wednesday morning"]


def test_amp_images_count_too():
    source = '<amp-img src="x.jpg" layout="responsive"></amp-img><p>Fans at the stadium gate</p>'
    assert image_neighbours(source)[0] == {"fans at the stadium gate"}
