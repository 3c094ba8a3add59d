"""Output: JSONL records or a directory of text files, written so a killed run can resume.

Records are written in input order, each as one complete line in one ``write`` call and
flushed, so the output is always a prefix of the input. ``resume_jsonl`` drops a torn last
line (a run killed mid-write) and says how many records are done: the reader skips them.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import IO, Any

from .errors import OutputError


def resume_jsonl(path: Path) -> int:
    """Count complete records in ``path`` and cut off a torn last line; 0 if absent."""
    if not path.exists():
        return 0
    done = 0
    good_end = 0
    with open(path, "rb") as handle:
        for line in handle:
            if not line.endswith(b"\n"):
                break
            try:
                json.loads(line)
            except ValueError:
                break
            done += 1
            good_end += len(line)
    if good_end != path.stat().st_size:
        with open(path, "r+b") as handle:
            handle.truncate(good_end)
    return done


class JsonlWriter:
    """Append records as JSON lines to a file (or stdout when ``path`` is None)."""

    def __init__(self, path: Path | None, append: bool = False) -> None:
        self.path = path
        try:
            self.handle: IO[bytes] = open(path, "ab" if append else "wb") if path else sys.stdout.buffer
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc

    def write(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self.handle.write(line)
            self.handle.flush()
        except OSError as exc:
            raise OutputError(f"cannot write {self.path or 'stdout'}: {exc.strerror or exc}") from exc

    def close(self) -> None:
        if self.path:
            self.handle.close()


_UNSAFE = re.compile(r"[^\w.-]+")


def text_file_name(record_id: str, index: int) -> str:
    """A safe, unique file name for a record's text."""
    stem = _UNSAFE.sub("_", record_id.rsplit("/", 1)[-1])[-80:].strip("._") or "page"
    return f"{index:08d}_{stem}.txt"


class TextDirWriter:
    """One ``.txt`` per cleaned page, plus ``records.jsonl`` with every record's status."""

    def __init__(self, directory: Path, append: bool = False) -> None:
        self.directory = directory
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create {directory}: {exc.strerror or exc}") from exc
        self.index_path = directory / "records.jsonl"
        self.count = resume_jsonl(self.index_path) if append else 0
        self.index = JsonlWriter(self.index_path, append=append)

    def write(self, record: dict[str, Any]) -> None:
        summary = {k: v for k, v in record.items() if k not in ("text", "paragraphs")}
        if record.get("status") == "ok":
            name = text_file_name(str(record["id"]), self.count)
            target = self.directory / name
            tmp = target.with_suffix(".tmp")
            try:
                tmp.write_text(record["text"] + "\n", encoding="utf-8")
                os.replace(tmp, target)
            except OSError as exc:
                raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
            summary["file"] = name
        self.index.write(summary)
        self.count += 1

    def close(self) -> None:
        self.index.close()
