"""Scores shared by ``pagefilter evaluate`` and the benchmarks.

Word F1 is WCXB's own metric (lower-case, ``\\w+`` tokens as a multiset, per page, then
the mean), extended to count each character of scripts without word spaces (CJK, Thai, …)
as a word: ``\\w+`` would turn a whole Japanese or Thai paragraph into one "word".
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

from .labels import BODY, LABELS
from .textnorm import NO_SPACE_CHARS

_WORD = re.compile(f"[{NO_SPACE_CHARS}]|\\w+")


def word_tokens(text: str) -> list[str]:
    """Lower-cased ``\\w+`` tokens, each CJK character a token of its own."""
    return _WORD.findall(text.lower())


def words(text: str) -> Counter:
    return Counter(word_tokens(text))


def word_prf(predicted: str, reference: str) -> tuple[float, float, float]:
    """Word-level precision, recall and F1 of one page's extracted text."""
    pred, ref = words(predicted), words(reference)
    if not pred and not ref:
        return 1.0, 1.0, 1.0
    overlap = sum((pred & ref).values())
    precision = overlap / sum(pred.values()) if pred else 0.0
    recall = overlap / sum(ref.values()) if ref else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def label_report(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per-label precision, recall, F1 and support, for the labels that occur."""
    report: dict[str, dict[str, float]] = {}
    for label in LABELS:
        tp = sum(1 for t, p in zip(y_true, y_pred) if t == label and p == label)
        support = sum(1 for t in y_true if t == label)
        predicted = sum(1 for p in y_pred if p == label)
        if not support and not predicted:
            continue
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        report[label] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    return report


def keep_report(y_true: Sequence[str], kept: Sequence[bool]) -> dict[str, float]:
    """Share of body blocks kept, of junk blocks leaked (overall and per junk label)."""
    body = [k for t, k in zip(y_true, kept) if t == BODY]
    junk = [(t, k) for t, k in zip(y_true, kept) if t != BODY]
    out = {
        "body_kept": sum(body) / len(body) if body else 1.0,
        "junk_leaked": sum(k for _, k in junk) / len(junk) if junk else 0.0,
        "n_body": len(body),
        "n_junk": len(junk),
    }
    for label in LABELS:
        if label == BODY:
            continue
        flags = [k for t, k in junk if t == label]
        if flags:
            out[f"leaked:{label}"] = sum(flags) / len(flags)
    return out


def mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0
