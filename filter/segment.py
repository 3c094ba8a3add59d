"""Turn trafilatura's XML body into a flat list of blocks, the unit the model labels.

A block is one paragraph, heading, list item, quote paragraph, table row or code block.
Line breaks inside a paragraph split it into several blocks that share a ``group``: pages
built from ``<br>`` soup (common on Japanese blog platforms) otherwise arrive as one giant
paragraph mixing body and junk. Writers re-join a group's kept lines with newlines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

KINDS = ("paragraph", "heading", "list_item", "quote", "table_row", "code")
# Elements that are blocks of their own even when nested in another block (e.g. a <p> in <item>).
_STRUCTURE = frozenset({"list", "table", "quote", "p", "head", "item", "row"})


@dataclass(frozen=True)
class Block:
    """One unit of text with the structure the model needs to judge it."""

    text: str
    kind: str
    group: int
    link_chars: int = 0
    links: tuple[str, ...] = ()
    heading_level: int = 0
    #: the source page had an image right before the block's first words / after its last
    #: ones (set by ``images.mark_image_neighbours``; trafilatura itself drops images)
    after_image: bool = False
    before_image: bool = False


@dataclass
class Page:
    """A segmented page: what the featurizer and the classifier see."""

    blocks: list[Block]
    title: str = ""
    url: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    #: set when the page has nothing to keep whatever the model says (e.g. "navigation_only")
    empty_reason: str | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.url or "").hostname or ""


def _inline(element: Any) -> list[tuple[str, int, list[str]]]:
    """Lines of an inline element as (text, link_chars, link targets), split at <lb/>."""
    lines: list[tuple[list[str], int, list[str]]] = [([], 0, [])]

    def add(text: str | None, in_link: bool) -> None:
        if text:
            parts, chars, targets = lines[-1]
            parts.append(text)
            lines[-1] = (parts, chars + (len(text.strip()) if in_link else 0), targets)

    def walk(node: Any, in_link: bool) -> None:
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "lb":
                lines.append(([], 0, []))
            elif tag in _STRUCTURE:
                pass  # nested structure is segmented on its own
            else:
                link = tag == "ref"
                if link:
                    lines[-1][2].append(child.get("target", ""))
                add(child.text, in_link or link)
                walk(child, in_link or link)
            add(child.tail, in_link)

    add(element.text, False)
    walk(element, False)
    return [(" ".join("".join(p).split()), c, t) for p, c, t in lines]


class _Segmenter:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.group = 0

    def emit(self, element: Any, kind: str, level: int = 0) -> None:
        for text, link_chars, targets in _inline(element):
            if text:
                self.blocks.append(Block(text, kind, self.group, min(link_chars, len(text)),
                                         tuple(targets), level))
        self.group += 1

    def walk(self, node: Any, context: str | None = None) -> None:
        for child in node:
            self.walk_one(child, context)

    def walk_one(self, child: Any, context: str | None) -> None:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "p":
            self.emit(child, context or "paragraph")
        elif tag == "head":
            rend = child.get("rend", "h2")
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
            self.emit(child, "heading", level)
        elif tag == "item":
            self.emit(child, "list_item")
            nested = [c for c in child if isinstance(c.tag, str) and c.tag in _STRUCTURE]
            for c in nested:  # a list or paragraphs inside the item, once each
                self.walk_one(c, "list_item")
        elif tag == "quote":
            if any(isinstance(c.tag, str) and c.tag in ("p", "list", "head") for c in child):
                self.walk(child, "quote")
            else:
                self.emit(child, "quote")
        elif tag == "row":
            cells = [" ".join("".join(c.itertext()).split()) for c in child]
            text = " | ".join(c for c in cells if c)
            if text:
                links = tuple(r.get("target", "") for r in child.iter("ref"))
                link_chars = sum(len("".join(r.itertext()).strip()) for r in child.iter("ref"))
                self.blocks.append(Block(text, "table_row", self.group, min(link_chars, len(text)), links))
                self.group += 1
        elif tag == "code":
            text = "".join(_code_text(child)).strip()
            if text:
                self.blocks.append(Block(text, "code", self.group))
                self.group += 1
        elif tag in ("list", "table", "div", "body", "main", "section"):
            self.walk(child, context)
        elif tag in ("graphic", "lb"):
            return
        else:
            self.emit(child, context or "paragraph")


def _code_text(element: Any) -> list[str]:
    """Text of a code block with its line breaks (trafilatura turns <br> into <lb/>)."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else "".join(_code_text(child)))
        parts.append(child.tail or "")
    return parts


def segment(body: Any) -> list[Block]:
    """Flatten trafilatura's XML body into blocks, in reading order."""
    if body is None:
        return []
    segmenter = _Segmenter()
    segmenter.walk(body)
    return segmenter.blocks
