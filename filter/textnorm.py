"""Text normalisation shared by fixtures, features and dedup.

Script-neutral on purpose: CJK text has no spaces, so "words" are counted as runs of
letters for alphabetic scripts and as single characters for ideographs and kana. Thai, Lao,
Khmer and Myanmar are written without spaces between words too, and are read the same way.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

_WS = re.compile(r"\s+")
# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, Hiragana,
# Katakana, Han, Hangul syllables. Each character of these counts as a token.
NO_SPACE_CHARS = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# Vowel signs, viramas and points are combining marks, which Python's \w leaves out: without
# them every Hindi, Bengali or Tamil word falls apart at each vowel sign, and pointed Hebrew
# or vocalised Arabic at each point. The Indic blocks are taken whole (their digits too),
# except the danda and double danda (U+0964-5), which end sentences.
_MARKS = ("\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
          "\u0900-\u0963\u0966-\u0dff\u0f00-\u0fff")
_LETTER = f"(?:[^\\W\\d_{NO_SPACE_CHARS}]|[{_MARKS}])"
_CJK = re.compile(f"[{NO_SPACE_CHARS}]")
_CJK_OR_WORD = re.compile(f"[{NO_SPACE_CHARS}]|{_LETTER}+|\\d+", re.UNICODE)


# Sentence terminals of many scripts: . ! ? … (Latin, Cyrillic, Greek…), 。！？． (CJK), the
# danda । ॥ (Devanagari, Bengali…), ؟ and ۔ (Arabic, Urdu), ։ (Armenian), ። (Ethiopic), ။
# (Myanmar). A sentence may end inside closing quotes ("…»", "…」") with brackets after them
# ("…”】"); a bracket alone ("(AFP)") does not end one.
_TERMINALS = ".!?…。！？．।॥؟۔։።፧။"
_CLOSING_QUOTES = "\"'”’»›」』"
_CLOSING_BRACKETS = ")）]］】〕〗》〉"
_SENTENCE_END = re.compile(f"[{re.escape(_TERMINALS + _CLOSING_QUOTES)}][{re.escape(_CLOSING_BRACKETS)}]*\\s*$")
# Where one sentence stops inside a text: spaced terminals need a space (or the end) after
# them ("3.5", "e.g." inside words do not count); CJK and Indic ones need none.
_SENTENCE_STOP = re.compile(f"[.!?…؟۔։](?=[{re.escape(_CLOSING_QUOTES + _CLOSING_BRACKETS)}]*(\\s|$))|[。！？．।॥።፧။]+")


def ends_sentence(text: str) -> bool:
    """Whether a text ends as a sentence does, in any script: prose does, labels and links don't."""
    return bool(_SENTENCE_END.search(text))


def sentence_count(text: str) -> int:
    """Sentence stops in a text, script-neutral (CJK sentences are not followed by spaces)."""
    return len(_SENTENCE_STOP.findall(text))


def normalize(text: str) -> str:
    """Key for matching paragraphs: NFKC, case-folded, whitespace collapsed."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def token_count(normalized: str) -> int:
    """Script-neutral token count of a normalised text: each character of a script without
    word spaces is one token, other words are letter runs, numbers are digit runs."""
    return len(_CJK_OR_WORD.findall(normalized))


def cjk_ratio(text: str) -> float:
    """Share of non-space characters from scripts without word spaces (CJK, Thai, …); tells
    features how to read length."""
    chars = len(text) - text.count(" ")
    return (len(text) - len(_CJK.sub("", text))) / chars if chars else 0.0


_BIGRAM_RUN = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]{2,}")
_KATAKANA_RUN = re.compile(r"[\u30a0-\u30ff]{2,}")
_LONG_WORD = re.compile(f"{_LETTER}{{4,}}")


def content_terms(text: str) -> set[str]:
    """Terms that carry topic, in any script: names and content words, not particles.

    Han, Hangul and Thai-like runs give character bigrams (no word boundaries there), katakana runs are
    taken whole (mostly names and loanwords), other scripts give words of 4+ letters cut to
    6, a crude stem that lets inflected forms meet.
    """
    text = normalize(text)
    terms = {m[:6] for m in _LONG_WORD.findall(text)}
    for run in _KATAKANA_RUN.findall(text):
        terms.add(run)
        if "・" in run:  # "サム・アルトマン" also names "アルトマン"
            terms.update(part for part in run.split("・") if len(part) >= 2)
    for run in _BIGRAM_RUN.findall(text):  # streamed: a page may hold a megabyte of Han text
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    return terms


def term_spans(normalized: str) -> list[tuple[int, int, str]]:
    """The terms of ``content_terms`` with where they stand: ``(start, end, term)``, for short
    texts (a list of every bigram). Spans overlap within a bigram run (each bigram is a term)
    and where a katakana full name also gives its parts."""
    spans = [(m.start(), m.end(), m.group()[:6]) for m in _LONG_WORD.finditer(normalized)]
    for m in _KATAKANA_RUN.finditer(normalized):
        run, start = m.group(), m.start()
        spans.append((start, m.end(), run))
        if "・" in run:
            for part in run.split("・"):
                if len(part) >= 2:
                    spans.append((start, start + len(part), part))
                start += len(part) + 1
    for m in _BIGRAM_RUN.finditer(normalized):
        run, start = m.group(), m.start()
        spans += [(start + i, start + i + 2, run[i : i + 2]) for i in range(len(run) - 1)]
    return spans


def term_bucket(term: str, n: int) -> int:
    """A term's bucket in a fixed-size table: stable across processes, unlike ``hash()``."""
    return zlib.crc32(term.encode("utf-8")) % n
