"""Which blocks stood right next to an image in the source page.

trafilatura drops images (we extract without them: with them it loses text), so a caption
or a photo credit reaches the model as a plain short paragraph, and "Foto: dpa" or
"サム・アルトマンが講演" look like any other short line. Whether a line sat right after or
right before an ``<img>`` is a fact of the page's structure, in every language: captions and
credits do, menus and share bars rarely do. The wording then tells a caption (body) from a
credit (junk); this module only says where images were.

The source is scanned with two small anchored regular expressions per ``<img>``, not parsed
again: a page is already parsed once by trafilatura, and a second tree would cost more than
the rest of our per-page work.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import replace

from .segment import Block
from .textnorm import normalize

_IMG = re.compile(r"<(?:amp-)?img\b[^>]*>", re.I)  # AMP pages use <amp-img>
# Tags and whitespace to step over between an image and its neighbouring text; a script or
# style element stops the walk (its content is not text). One alternation under one star and
# nothing after it: the match is linear (no nested quantifier, no backtracking).
_SKIP = re.compile(r"(?:\s|<(?!/?(?:script|style)\b)[^>]*>)*", re.I)
_TEXT = re.compile(r"[^<]*")
_SCRIPT_END = re.compile(r"</(?:script|style)\b", re.I)
#: how far from an image to look for its text, in characters of source
_REACH = 1500
#: neighbouring texts shorter than this (after normalising) are too generic to match a block
_MIN_CHARS = 3
#: pages with more images than this are galleries or listings: only the first ones are read
_MAX_IMAGES = 400


def image_neighbours(source: str) -> tuple[set[str], set[str]]:
    """Normalised texts found right after and right before each ``<img>`` of the source."""
    after: set[str] = set()
    before: set[str] = set()
    for k, match in enumerate(_IMG.finditer(source)):
        if k >= _MAX_IMAGES:
            break
        text = _text_after(source, match.end(), match.end() + _REACH)
        if text:
            _add(after, text)
        text = _text_before(source, max(0, match.start() - _REACH), match.start())
        if text:
            _add(before, text)
    return after, before


def _text_after(source: str, start: int, stop: int) -> str:
    """The first text after ``start``, stepping over tags (not into a script or style)."""
    stop = min(stop, len(source))
    end = _SKIP.match(source, start, stop).end()
    if end >= stop or source[end] == "<":
        return ""
    return _TEXT.match(source, end, stop).group()


def _text_before(source: str, start: int, stop: int) -> str:
    """The last text before ``stop``, stepping back over tags (not into a script or style)."""
    pos = stop
    while pos > start:
        while pos > start and source[pos - 1].isspace():
            pos -= 1
        if pos <= start:
            break
        if source[pos - 1] == ">":
            lt = source.rfind("<", start, pos)
            if lt < 0 or _SCRIPT_END.match(source, lt, pos):
                break
            pos = lt
        else:
            gt = source.rfind(">", start, pos)
            return source[gt + 1 if gt >= 0 else start:pos]
    return ""


def _add(texts: set[str], raw: str) -> None:
    text = normalize(html_lib.unescape(raw))
    if len(text) >= _MIN_CHARS:
        texts.add(text)


def mark_image_neighbours(blocks: list[Block], source: str) -> list[Block]:
    """Blocks with ``after_image`` / ``before_image`` set where the source put an image right
    before the block's first words or right after its last ones (a text node of the source is
    often only the start or the end of a block: links and spans split it)."""
    if not blocks:
        return blocks
    after, before = image_neighbours(source)
    if not after and not before:
        return blocks
    # Index the texts by their first / last characters: a gallery has hundreds of images.
    starts: dict[str, list[str]] = {}
    ends: dict[str, list[str]] = {}
    for t in after:
        starts.setdefault(t[:_MIN_CHARS], []).append(t)
    for t in before:
        ends.setdefault(t[-_MIN_CHARS:], []).append(t)
    out = []
    for block in blocks:
        text = normalize(block.text)
        is_after = any(text.startswith(t) for t in starts.get(text[:_MIN_CHARS], ()))
        is_before = any(text.endswith(t) for t in ends.get(text[-_MIN_CHARS:], ()))
        out.append(replace(block, after_image=is_after, before_image=is_before) if is_after or is_before else block)
    return out
