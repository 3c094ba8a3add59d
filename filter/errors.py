"""The exceptions pagefilter raises.

Every failure a caller can meet is one of these, so a batch job can catch
``PageFilterError`` around one page, write an error record with ``reason``, and go on.
Nothing from lxml or pickle escapes as a bare traceback.
"""

from __future__ import annotations


class PageFilterError(Exception):
    """Base class. ``reason`` is a short stable code for error records (e.g. ``binary``)."""

    reason = "error"


class InputError(PageFilterError):
    """The input page cannot be cleaned (not HTML, too large, undecodable)."""

    reason = "bad_input"

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class ExtractionError(PageFilterError):
    """trafilatura or lxml failed on a page that looked like HTML."""

    reason = "extraction_failed"


class PageTimeout(PageFilterError):
    """A page took longer than the per-page time limit."""

    reason = "timeout"


class ModelError(PageFilterError):
    """The model file is missing, corrupt, untrusted or made for another version."""

    reason = "model"


class OutputError(PageFilterError):
    """The output cannot be written (unwritable path, full disk)."""

    reason = "output"


class FixtureError(PageFilterError):
    """A labelled fixture does not match what the extractor produces from its page."""

    reason = "fixture"
