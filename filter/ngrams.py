"""Character n-grams of many short texts at once, in numpy.

Both the page featurizer (similarity of each block to its page) and the wording scorer
read blocks as character n-grams: they work in every script without word segmentation.
scikit-learn's char analyzer builds each n-gram as a Python string and hashes it, which was
the largest single cost of featurizing a page. Here every n-gram is an exact integer key,
its code points packed into an int64 (21 bits each, so up to 3 characters), computed for a
whole batch of texts with array operations.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy.sparse import csr_matrix

_BITS = 21  # a Unicode code point fits in 21 bits
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The texts' code points joined by NUL separators, each position's text, and how many
    separators come before each position (a window is valid if that count does not change)."""
    joined = "\x00".join(t.replace("\x00", " ") for t in texts) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    sep = codes == 0
    row_of = np.cumsum(sep) - sep
    seps_before = np.concatenate([[0], np.cumsum(sep)])
    return codes, row_of, seps_before


def _packed(codes: np.ndarray, m: int, n: int, offset: int = 0) -> np.ndarray:
    key = codes[offset:offset + m].copy()
    for j in range(1, n):
        key = (key << _BITS) | codes[offset + j:offset + m + j]
    return key


def ngram_keys(texts: Sequence[str], ngram_range: tuple[int, int] = (2, 3)) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, keys)``: one entry per n-gram occurrence, ``rows`` naming its text.

    Keys are exact: equal n-grams get equal keys in every text and every process, and
    n-grams of different lengths never collide (no character is NUL).
    """
    low, high = ngram_range
    if not 1 <= low <= high <= 3:
        raise ValueError(f"ngram_range must lie within (1, 3), got {ngram_range}")
    codes, row_of, seps_before = _codes(texts)
    rows, keys = [], []
    for n in range(low, high + 1):
        m = len(codes) - n + 1
        if m <= 0:
            continue
        start = np.arange(m)
        valid = seps_before[start + n] == seps_before[start]  # no separator inside the window
        rows.append(row_of[:m][valid])
        keys.append(_packed(codes, m, n)[valid])
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(keys)


def shingle_keys(texts: Sequence[str], n: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, keys)`` of the texts' n-character shingles, 4 <= n <= 6: too long to pack
    exactly, so each key mixes the packed first and last three characters (a collision
    needs two 64-bit products to meet: it does not happen within one page)."""
    if not 4 <= n <= 6:
        raise ValueError(f"shingles are 4 to 6 characters long, got {n}")
    codes, row_of, seps_before = _codes(texts)
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    start = np.arange(m)
    valid = seps_before[start + n] == seps_before[start]
    head = _packed(codes, m, 3).astype(np.uint64)
    tail = _packed(codes, m, 3, n - 3).astype(np.uint64)
    with np.errstate(over="ignore"):
        key = (head * _GOLDEN) ^ tail
    return row_of[:m][valid], key[valid].view(np.int64)


def hashed_counts(texts: Sequence[str], ngram_range: tuple[int, int], n_features: int) -> csr_matrix:
    """L2-normalised n-gram counts per text in ``n_features`` buckets (a power of two), like
    scikit-learn's HashingVectorizer but with a fixed multiplicative hash of the exact keys,
    so a trained linear model sees the same buckets in every process and on every machine."""
    bits = int(n_features).bit_length() - 1
    if n_features != 1 << bits:
        raise ValueError(f"n_features must be a power of two, got {n_features}")
    rows, keys = ngram_keys(texts, ngram_range)
    buckets = ((keys.astype(np.uint64) * _GOLDEN) >> np.uint64(64 - bits)).astype(np.int64) if bits else keys * 0
    counts = csr_matrix((np.ones(len(rows)), (rows, buckets)), shape=(len(texts), n_features))
    counts.sum_duplicates()
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(counts.multiply(1.0 / norms[:, None]))
