"""Pages that are only navigation: a menu is not an article, whatever the model thinks of it.

When trafilatura finds no content container it falls back to the page's whole text, and
for a page made of menus that is the menu, with its links gone (the fallback keeps no
``<ref>``), so the model sees a plain paragraph. We look back at the source document: if
nearly all of what was extracted is the text of short links (menu items, not article
titles), the page has no body to keep.
"""

from __future__ import annotations

from lxml import etree, html as lxml_html

from .segment import Block

#: only small extractions are checked: a menu is short, and the check is then cheap
MAX_CHECKED_CHARS = 20_000
#: share of the extracted characters that link texts must cover
MIN_LINK_SHARE = 0.9
#: menu items are short; link-only listings of article titles are longer and are kept
MAX_MEAN_ANCHOR_CHARS = 30
MIN_ANCHORS = 3


def is_candidate(blocks: list[Block]) -> bool:
    """Cheap pre-check on the extraction alone (no re-parse): no links kept, short text."""
    return bool(blocks) and not any(b.link_chars for b in blocks) \
        and sum(len(b.text) for b in blocks) <= MAX_CHECKED_CHARS


def anchor_texts(html: str) -> list[str]:
    """The text of every link in the source document, whitespace-normalised."""
    try:
        doc = lxml_html.fromstring(html)
    except (etree.LxmlError, ValueError):
        return []
    texts = (" ".join(a.text_content().split()) for a in doc.iter("a"))
    return [t for t in texts if len(t) >= 2]


def is_navigation_only(blocks: list[Block], anchors: list[str]) -> bool:
    """True when link texts of the source cover the extraction and those links are menu-sized."""
    if not blocks or len(anchors) < MIN_ANCHORS:
        return False
    text = "\n".join(b.text for b in blocks)
    total = sum(1 for c in text if not c.isspace())
    matched: list[str] = []
    for anchor in sorted(set(anchors), key=len, reverse=True):
        if anchor in text:
            matched.append(anchor)
            text = text.replace(anchor, "\n")
    left = sum(1 for c in text if not c.isspace())
    if total == 0 or len(matched) < MIN_ANCHORS:
        return False
    mean_len = sum(len(a) for a in matched) / len(matched)
    return 1 - left / total >= MIN_LINK_SHARE and mean_len <= MAX_MEAN_ANCHOR_CHARS
