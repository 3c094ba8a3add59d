"""Repeats within a page that are not exact copies.

Site templates repeat a paragraph cut short: a summary box that quotes the lead's first
sentence, a pull quote, a teaser of a paragraph further up. The copy differs from its
original (it stops early, a comma went missing), so an exact-text check misses it, and its
cosine to the original stays moderate because the original is longer. Containment sees it:
the share of the copy's character shingles that one earlier, longer block has.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy.sparse import csr_matrix

from .ngrams import shingle_keys

#: shingles of 5 characters rarely match by chance, in any script
SHINGLE = 5
#: above this many blocks the block x block product is skipped (huge listing pages)
MAX_BLOCKS = 3000


def containment(texts: Sequence[str]) -> np.ndarray | None:
    """``share[i, j]``: the part of text i's shingles that text j has, when j is at least as
    long as i (else 0); None for pages of more than ``MAX_BLOCKS`` texts."""
    n = len(texts)
    if n > MAX_BLOCKS:
        return None
    rows, keys = shingle_keys(texts, SHINGLE)
    _, column = np.unique(keys, return_inverse=True)
    B = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, column)),
                   shape=(n, int(column.max(initial=-1)) + 1))
    B.sum_duplicates()
    B.data[:] = 1.0
    overlap = (B @ B.T).toarray()
    size = np.diag(overlap).copy()
    share = overlap / np.maximum(size, 1.0)[:, None]
    share[size[None, :] < size[:, None]] = 0.0
    np.fill_diagonal(share, 0.0)
    return share
