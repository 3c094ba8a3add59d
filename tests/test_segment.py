"""trafilatura's XML tree becomes blocks with their kind, links and line groups."""

from lxml import etree

from filter.segment import segment


def blocks(xml: str):
    return [(b.kind, b.text) for b in segment(etree.fromstring(xml))]


def test_kinds_and_reading_order():
    xml = ('<body><head rend="h2">Sub</head><p>Para</p><quote><p>Q1</p><p>Q2</p></quote>'
           '<table><row><cell>a</cell><cell>b</cell></row></table><code>x = 1</code></body>')
    assert blocks(xml) == [("heading", "Sub"), ("paragraph", "Para"), ("quote", "Q1"), ("quote", "Q2"),
                           ("table_row", "a | b"), ("code", "x = 1")]


def test_list_items_come_out_once_with_their_links_and_nested_parts():
    xml = ('<body><list><item>Title <ref target="/a">link</ref> end</item>'
           '<item>Head<p>para one</p><list><item>nested</item></list></item></list></body>')
    assert blocks(xml) == [("list_item", "Title link end"), ("list_item", "Head"),
                           ("list_item", "para one"), ("list_item", "nested")]


def test_line_breaks_split_a_paragraph_into_one_group():
    out = segment(etree.fromstring("<body><p>line one<lb/>line two</p><p>next</p></body>"))
    assert [b.text for b in out] == ["line one", "line two", "next"]
    assert out[0].group == out[1].group != out[2].group


def test_link_characters_are_counted():
    (block,) = segment(etree.fromstring('<body><p>Read <ref target="https://x.org/a">the story</ref></p></body>'))
    assert block.links == ("https://x.org/a",)
    assert block.link_chars == len("the story")


def test_nothing_extracted():
    assert segment(None) == []
