"""Bytes to text: the first step, and the one most crawls get wrong.

Order of trust: a byte-order mark, then the HTTP ``Content-Type`` charset, then the page's
own ``<meta charset>``; a declared charset is only used if the bytes actually decode with
it (sites often declare one charset and serve another), else charset-normalizer guesses.
Binary payloads (images, PDFs, archives) are refused here, before lxml sees them.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from .errors import InputError

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"%PDF", "PDF document"),
    (b"\x1f\x8b", "gzip data"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"RIFF", "RIFF media"),
    (b"\x7fELF", "ELF binary"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ", "xz data"),
    (b"OggS", "Ogg media"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"wOFF", "web font"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_SNIFF = 4096
# C0 control bytes that text never contains (tab, newlines, form feed and escape excluded).
_CONTROL = bytes([c for c in range(32) if c not in (9, 10, 12, 13, 27)])


def _codec(name: str | None) -> str | None:
    """Python's codec for a declared charset, or None if unknown; widens legacy CJK sets."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    # Browsers decode these labels as their supersets; do the same so no character is lost.
    return {"gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932", "euc_kr": "cp949",
            "latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "big5": "big5hkscs",
            }.get(codec, codec)


def sniff_binary(data: bytes) -> str | None:
    """Name the kind of binary payload ``data`` is, or None if it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:_SNIFF]
    if not head or head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs
        return None
    controls = sum(head.count(c) for c in _CONTROL)
    if head.count(0) > max(16, len(head) // 50) or controls > max(16, len(head) // 20):
        return "binary data (NUL or control bytes)"
    return None


def _try(data: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(data: bytes | str, content_type: str | None = None) -> str:
    """Decode a fetched page to text; raise ``InputError`` for binary or empty input."""
    if isinstance(data, str):
        kind = sniff_binary(data[:_SNIFF].encode("latin-1", "ignore"))  # binary smuggled in JSON strings
        if kind:
            raise InputError(f"input is {kind}, not HTML", reason="binary")
        text = data
    else:
        kind = sniff_binary(data)
        if kind:
            raise InputError(f"input is {kind}, not HTML", reason="binary")
        text = None
        for bom, codec in _BOMS:
            if data.startswith(bom):
                text = _try(data, codec)
                break
        if text is None:
            header = _HEADER_CHARSET.search(content_type or "")
            text = _try(data, _codec(header.group(1))) if header else None
        if text is None:
            meta = _META_CHARSET.search(data[:_SNIFF])
            text = _try(data, _codec(meta.group(1).decode("ascii", "replace"))) if meta else None
        if text is None:
            text = _try(data, "utf-8")
        if text is None:
            best = from_bytes(data[:200_000]).best()
            codec = _codec(best.encoding) if best is not None else None
            text = data.decode(codec or "utf-8", errors="replace")
    text = text.replace("\x00", "")
    if not text.strip():
        raise InputError("page is empty", reason="empty")
    return text
