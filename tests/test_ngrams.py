"""Character n-grams as exact integer keys, and their fixed hashing for the wording model."""

import numpy as np
import pytest

from filter.ngrams import hashed_counts, ngram_keys, shingle_keys


def test_keys_are_exact_per_text_and_never_span_two_texts():
    rows, keys = ngram_keys(["abab", "ba", "東京"], (2, 3))
    by_row = {r: sorted(keys[rows == r].tolist()) for r in set(rows.tolist())}
    ab, ba = (ord("a") << 21) | ord("b"), (ord("b") << 21) | ord("a")
    assert by_row[0].count(ab) == 2 and by_row[0].count(ba) == 1
    assert by_row[1] == [ba]  # no "b\x00", no "bab" across the texts' boundary
    assert by_row[2] == [(ord("東") << 21) | ord("京")]
    assert len(keys) == 3 + 2 + 1 + 1  # 2-grams 3+1+1, 3-grams 2


def test_lengths_do_not_collide_and_short_texts_are_fine():
    rows, keys = ngram_keys(["a", "", "ab"], (1, 3))
    assert sorted(rows.tolist()) == [0, 2, 2, 2]
    assert sorted(keys.tolist()) == [97, 97, 98, (97 << 21) | 98]  # "a" twice, "b", "ab"
    assert ngram_keys([], (1, 2))[0].size == 0
    with pytest.raises(ValueError):
        ngram_keys(["abcd"], (2, 4))


def test_hashed_counts_are_unit_rows_in_fixed_buckets():
    H = hashed_counts(["Foto: dpa", "", "Foto: dpa"], (1, 3), 2**16)
    assert H.shape == (3, 2**16)
    assert np.allclose(np.asarray(H.multiply(H).sum(axis=1)).ravel(), [1, 0, 1])
    # the same buckets in every process and release: a trained wording model depends on them
    assert sorted(H[0].indices.tolist())[:3] == [1286, 5792, 6139] and H[0].nnz == 23


def test_shingles_match_equal_windows_only_and_stay_inside_each_text():
    rows, keys = shingle_keys(["abcdefab", "cdefa", "abcd"], 5)
    by_row = {r: keys[rows == r].tolist() for r in set(rows.tolist())}
    assert len(by_row[0]) == 4 and len(by_row[1]) == 1 and 2 not in by_row  # "abcd" is too short
    assert by_row[1][0] == by_row[0][2]  # "cdefa" in both texts: the same key
    assert len(set(by_row[0])) == 4
    with pytest.raises(ValueError):
        shingle_keys(["abcdefgh"], 7)
