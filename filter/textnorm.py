"""Text normalisation shared by fixtures, features and dedup.

Script-neutral on purpose: CJK text has no spaces, so "words" are counted as runs of
letters for alphabetic scripts and as single characters for ideographs and kana.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
# Han, Hiragana, Katakana, Hangul syllables, CJK punctuation-free ranges.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_CJK_OR_WORD = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|[^\W\d_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+|\d+",
    re.UNICODE,
)


def normalize(text: str) -> str:
    """Key for matching paragraphs: NFKC, case-folded, whitespace collapsed."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def tokens(text: str) -> list[str]:
    """Script-neutral tokens: each CJK character is one token, other words are letter runs."""
    return _CJK_OR_WORD.findall(normalize(text))


def cjk_ratio(text: str) -> float:
    """Share of non-space characters that are CJK; tells features how to read length."""
    chars = len(text) - text.count(" ")
    return len(_CJK.findall(text)) / chars if chars else 0.0


def char_ngrams(text: str, n: int = 3) -> set[str]:
    """Character n-gram shingles of the normalised text, spaces removed (works for CJK)."""
    compact = _WS.sub("", normalize(text))
    if len(compact) <= n:
        return {compact} if compact else set()
    return {compact[i : i + n] for i in range(len(compact) - n + 1)}
