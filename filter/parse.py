"""read → extract → segment for one page: the shared front half of cleaning and training."""

from __future__ import annotations

from .decode import decode_html
from .errors import InputError
from .extract import ExtractOptions, extract
from .images import mark_image_neighbours
from .navigation import anchor_texts, is_candidate, is_navigation_only
from .segment import Page, segment

DEFAULT_MAX_BYTES = 20_000_000


def parse_page(
    data: bytes | str,
    url: str | None = None,
    *,
    content_type: str | None = None,
    options: ExtractOptions | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Page:
    """Decode, extract and segment one page. Raises ``PageFilterError`` subclasses only."""
    size = len(data)
    if max_bytes and size > max_bytes:
        raise InputError(f"page is {size:,} bytes, over the {max_bytes:,}-byte limit", reason="too_large")
    html = decode_html(data, content_type)
    extraction = extract(html, url, options)
    url = url or extraction.metadata.get("url")
    blocks = mark_image_neighbours(segment(extraction.body), html)
    nav_only = is_candidate(blocks) and is_navigation_only(blocks, anchor_texts(html))
    return Page(blocks, extraction.title, url, extraction.metadata,
                empty_reason="navigation_only" if nav_only else None)
