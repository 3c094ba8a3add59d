"""Input records from files, directories, JSONL, WARC and stdin, streamed one at a time.

Every reader yields ``Record``s lazily, so a crawl of any size is never held in memory,
and a record that cannot be read (a JSONL line that is not JSON, a truncated WARC) is
yielded as a ``Record`` with ``error`` set rather than raised: the batch writes an error
record for it and goes on, so nothing is lost silently.

WARC files are read with FastWARC (Resiliparse's C++ parser, several times faster than
warcio on the same files); gzip is decompressed by Python in front of it because zlib
there reports truncation, which lets us report a cut-off archive instead of stopping early.
"""

from __future__ import annotations

import fnmatch
import gzip
import json
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator

DEFAULT_GLOB = "*.htm*"


@dataclass
class Record:
    """One page to clean: its id, URL, raw bytes, HTTP content type, or why it is unreadable."""

    id: str
    html: bytes | str | None = None
    url: str | None = None
    content_type: str | None = None
    error: str | None = None
    reason: str | None = None


def _open(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def _kind(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".warc", ".arc")):
        return "warc"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    return "html"


def read_inputs(paths: Iterable[str], *, glob: str = DEFAULT_GLOB, html_field: str = "html",
                url_field: str = "url", id_field: str = "id") -> Iterator[Record]:
    """Records from each path in order; ``-`` reads JSONL from stdin, a directory is walked."""
    for raw in paths:
        if raw == "-":
            yield from read_jsonl(sys.stdin.buffer, "stdin", html_field, url_field, id_field)
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and (
                fnmatch.fnmatch(p.name, glob) or fnmatch.fnmatch(p.name.removesuffix(".gz"), glob)))
            for file in files:
                yield from read_path(file, html_field, url_field, id_field)
        elif path.exists():
            yield from read_path(path, html_field, url_field, id_field)
        else:
            yield Record(str(path), error=f"no such file or directory: {path}", reason="not_found")


def read_path(path: Path, html_field: str = "html", url_field: str = "url", id_field: str = "id") -> Iterator[Record]:
    kind = _kind(path)
    try:
        if kind == "warc":
            yield from read_warc(path)
        elif kind == "jsonl":
            with _open(path) as handle:
                yield from read_jsonl(handle, str(path), html_field, url_field, id_field)
        else:
            with _open(path) as handle:
                yield Record(str(path), handle.read())
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        yield Record(str(path), error=f"cannot read {path}: {exc}", reason="unreadable")
    except BaseException as exc:  # FastWARC's Rust panics derive from BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        yield Record(str(path), error=f"cannot read {path}: {type(exc).__name__}: {exc}", reason="unreadable")


def read_jsonl(handle: IO[bytes], source: str, html_field: str = "html", url_field: str = "url",
               id_field: str = "id") -> Iterator[Record]:
    """One record per line; blank lines are skipped, bad lines become error records."""
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        rid = f"{source}:{number}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield Record(rid, error=f"line {number} is not JSON: {exc}", reason="bad_json")
            continue
        if not isinstance(obj, dict):
            yield Record(rid, error=f"line {number} is not a JSON object", reason="bad_json")
            continue
        rid = str(obj.get(id_field) or rid)
        html = obj.get(html_field)
        if not isinstance(html, str):
            yield Record(rid, url=obj.get(url_field), error=f"line {number} has no string field {html_field!r}",
                         reason="missing_html")
            continue
        yield Record(rid, html, obj.get(url_field), obj.get("content_type"))


class _TolerantStream:
    """A gzip stream that ends quietly where the file is cut off, and remembers that it was."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.truncated: str | None = None

    def tell(self) -> int:
        return self.raw.tell()

    def read(self, size: int = -1) -> bytes:
        # Small steps, so that a cut-off member loses only the last step, not a whole buffer.
        chunks: list[bytes] = []
        wanted = size if size >= 0 else 1 << 62
        while wanted > 0 and not self.truncated:
            try:
                chunk = self.raw.read(min(wanted, 1 << 12))
            except (EOFError, zlib.error, OSError) as exc:
                self.truncated = str(exc)
                break
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)


def _http_response(block: bytes) -> tuple[int | None, str | None, bytes]:
    """Status, content type and body of a raw HTTP response block."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = block.partition(b"\n\n")
    if not sep:
        return None, None, block
    lines = head.decode("latin-1").splitlines()
    status = None
    parts = lines[0].split() if lines else []
    if len(parts) >= 2 and parts[1].isdigit():
        status = int(parts[1])
    content_type = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type":
            content_type = value.strip()
    return status, content_type, body


def read_warc(path: Path) -> Iterator[Record]:
    """HTTP response records of a WARC or WARC.gz; a cut-off file ends with an error record.

    The HTTP block is parsed here rather than by FastWARC so that a record shorter than its
    declared length (a cut-off file) is seen and reported.
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    count = 0
    with open(path, "rb") as raw_file:
        raw = gzip.GzipFile(fileobj=raw_file) if path.suffix == ".gz" else raw_file
        stream = _TolerantStream(raw)
        for record in ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=False):
            count += 1
            url = record.headers.get("WARC-Target-URI")
            rid = record.headers.get("WARC-Record-ID") or f"{path}#{count}"
            block = record.reader.read()
            if record.content_length is not None and len(block) < record.content_length:
                yield Record(rid, url=url, error=f"{path}: record cut off ({len(block)} of "
                             f"{record.content_length} bytes)", reason="truncated")
                continue
            status, content_type, body = _http_response(block)
            if status is not None and not 200 <= status < 300:
                yield Record(rid, url=url, error=f"HTTP status {status}", reason="http_status")
                continue
            yield Record(rid, body, url, content_type)
        if stream.truncated:
            yield Record(f"{path}#truncated", error=f"{path} is truncated after {count} record(s): "
                         f"{stream.truncated}", reason="truncated")
