"""The paragraph taxonomy.

One flat list of labels, so that a user's fixtures, the model's classes and the CLI's
output all speak the same words. Only ``body`` is kept; every other label names *why*
a paragraph was dropped, which is what a person reviewing the output wants to know.
"""

from __future__ import annotations

BODY = "body"

#: label -> one-line definition (README.md shows a real example of each from the fixtures).
LABELS: dict[str, str] = {
    BODY: "the on-topic article body: paragraphs, subheadings, lists, quotes, tables",
    "duplicate": "a later copy of a body paragraph, repeated by the site's template",
    "app_promo": "app download banners and app announcements of the site itself",
    "comments": "comment widgets and their headings, reader comments under an article",
    "recommended": "unrelated items appended to the page ('Recommended for you', trending)",
    "related_links": "'the story so far', 'read more', lists of links to other posts",
    "credit_or_disclaimer": "image credits, sources of pictures, author disclaimers",
    "byline_meta": "site badges, author lines, dates, tags, categories, reading time",
    "share_or_newsletter": "share buttons, follow us, newsletter and subscription calls",
    "url": "a bare link standing alone as a paragraph",
    "other": "any other leftover: ads, cookie notes, navigation, legal lines",
}

#: Training only: a block that is not body, of unknown kind. Reference corpora (WCXB) only say
#: what the main content is; their other blocks teach keep-or-drop, not which junk label.
#: Never predicted, and not valid in fixtures.
UNTYPED_JUNK = "junk"


def check_label(label: str) -> str:
    """Return ``label`` if it is in the taxonomy, else raise ``ValueError`` naming the valid ones."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}; expected one of: {', '.join(LABELS)}")
    return label
