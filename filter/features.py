"""Per-block features that read each block in the context of its page.

Junk is rarely recognisable from one paragraph alone: a "Recommended for you" item is a
fine paragraph, just about something else; a duplicated paragraph is body text, seen
twice. So every feature here is relative to the page: similarity to the page's title and
to the rest of the page, repetition within the page, position, structure, and the same
measures for the neighbouring blocks. All measures are script-neutral (character n-grams,
CJK-aware token counts) so that Japanese and Chinese are not read as "short".

Samples are ``(page, index)`` pairs: the scikit-learn convention of one row per sample,
with each sample carrying the context it needs. Consecutive samples of the same page are
featurized together, once.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np
from scipy.sparse import csr_matrix, issparse
from sklearn.base import BaseEstimator, TransformerMixin

from .ngrams import ngram_keys
from .segment import KINDS, Block, Page
from .textnorm import cjk_ratio, content_terms, ends_sentence, normalize, sentence_count, term_bucket, token_count

#: Bump when the meaning or order of any feature changes (features, lexical or context
#: columns); saved models record it and refuse to load under another version.
FEATURE_SCHEMA_VERSION = 14

BlockRef = tuple[Page, int]
# Above this many blocks a page skips the quadratic (block x block) similarity features.
_MAX_GRAM = 3000

_URL_ONLY = re.compile(r"^\s*(https?://|www\.)\S+\s*$", re.I)
_URL = re.compile(r"https?://|www\.", re.I)
_LEAD_SYMBOL = re.compile(r"^\s*[★☆※●■□◆◇▶►▼↓→←⇒【\[\(（<《«#@*•·|>-]")
_ARROW = re.compile(r"[↓→⇒▶►▼»›]")
_COLON_LABEL = re.compile(r"^[^\s:：]{1,24}\s?[:：]")
_DATE = re.compile(r"\b(19|20)\d\d[-/.年]|\d{1,2}[/.月]\d{1,2}|\d{1,2}:\d\d")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]")
_UPPER = re.compile(r"[A-ZÀ-ÞА-Я]")
_NON_LETTERS = re.compile(r"[\W\d_]+")

_OWN = [
    "log_chars", "log_tokens", "cjk_ratio", "digit_ratio", "punct_ratio", "upper_ratio",
    "ends_sentence", "lead_symbol", "has_arrow", "colon_label", "url_only", "has_url", "has_date",
    "n_sentences", *[f"kind_{k}" for k in KINDS], "heading_level", "link_density", "log_links",
    "all_link", "internal_links", "external_links", "group_size", "index_in_group",
    "pos", "pos_chars", "chars_after", "is_first", "is_last",
    "dup_exact_earlier", "dup_exact_later", "dup_near_earlier", "max_sim_earlier", "n_copies",
    "sim_title", "sim_page", "sim_page_z", "sim_core", "sim_window", "rel_len",
    "anchor_overlap", "title_overlap", "terms_elsewhere", "anchor_window", "anchor_suffix",
    "anchor_prefix", "offtopic_run", "after_image", "before_image",
]
_PAGE = ["log_n_blocks", "log_page_chars", "page_link_density", "page_cjk"]
# Features copied from the neighbours at each offset: the page's rhythm around a block.
_NEIGHBOUR = ["log_chars", "link_density", "ends_sentence", "kind_heading", "kind_list_item",
              "sim_page_z", "sim_core", "dup_exact_earlier", "lead_symbol", "anchor_overlap", "after_image"]
_OFFSETS = (-2, -1, 1, 2)


def feature_names() -> list[str]:
    """Column names, in order; saved with the model so a mismatch is caught on load."""
    names = _OWN + _PAGE
    for off in _OFFSETS:
        names += [f"{name}@{off:+d}" for name in _NEIGHBOUR]
    return names + ["heading_above_sim", "after_low_sim_run"]


class PageFeaturizer(TransformerMixin, BaseEstimator):
    """Turn ``(page, index)`` samples into a dense feature matrix.

    Its only learned attribute is ``term_idf_``, how common each content term is across
    training pages (hashed into ``n_term_buckets``, so its size is fixed). Similarities within
    a page use the page's own character n-grams (``ngram_range``), exactly, with no hashing.
    """

    def __init__(self, ngram_range: tuple[int, int] = (2, 3), n_term_buckets: int = 2**18) -> None:
        self.ngram_range = ngram_range
        self.n_term_buckets = n_term_buckets

    def fit(self, X: Sequence[BlockRef], y: object = None) -> "PageFeaturizer":
        """Learn how common each content term is across pages (hashed, so the size is fixed):
        words every page uses ("that", "which", "する") then say nothing about a page's topic."""
        df = np.zeros(self.n_term_buckets, dtype=np.float32)
        n_pages = 0
        for start, stop, page in _runs(X):
            n_pages += 1
            buckets = {term_bucket(t, self.n_term_buckets) for b in page.blocks for t in content_terms(b.text)}
            df[list(buckets)] += 1
        self.term_idf_ = np.log((n_pages + 1.0) / (df + 1.0)).astype(np.float32) + 0.1
        self.feature_names_out_ = np.array(feature_names(), dtype=object)
        self.n_features_out_ = len(self.feature_names_out_)
        return self

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(feature_names(), dtype=object)

    def transform(self, X: Sequence[BlockRef]) -> np.ndarray:
        out = np.zeros((len(X), len(feature_names())), dtype=np.float32)
        for start, stop, page in _runs(X):
            matrix = page_features(page, self.term_idf_, self.ngram_range)
            out[start:stop] = matrix[[index for _, index in X[start:stop]]]
        return out


def _title(page: Page) -> str:
    return page.title or page.metadata.get("title", "")


def _runs(X: Sequence[BlockRef]) -> Iterable[tuple[int, int, Page]]:
    """Split samples into runs of the same page object, in order."""
    start = 0
    for i in range(1, len(X) + 1):
        if i == len(X) or X[i][0] is not X[start][0]:
            yield start, i, X[start][0]
            start = i


def page_features(page: Page, term_idf: np.ndarray, ngram_range: tuple[int, int] = (2, 3)) -> np.ndarray:
    """The feature matrix of all blocks of one page (rows in block order)."""
    blocks = page.blocks
    n = len(blocks)
    names = feature_names()
    if n == 0:
        return np.zeros((0, len(names)), dtype=np.float32)
    texts = [normalize(b.text) for b in blocks]
    col = {name: i for i, name in enumerate(names)}
    F = np.zeros((n, len(names)), dtype=np.float32)
    chars = np.array([len(t.replace(" ", "")) for t in texts], dtype=np.float64)
    total = chars.sum() or 1.0

    own = _own_text_features(blocks, texts, page.host)
    for name, values in own.items():
        F[:, col[name]] = values

    F[:, col["pos"]] = np.arange(n) / max(n - 1, 1)
    before = np.cumsum(chars) - chars
    F[:, col["pos_chars"]] = before / total
    F[:, col["chars_after"]] = (total - before - chars) / total
    F[0, col["is_first"]] = 1
    F[-1, col["is_last"]] = 1

    _duplicate_features(texts, F, col)

    # Topic: cosine of each block to the title, to the rest of the page, to the page's
    # "core" (its longest blocks, where the article usually is) and to its neighbours, all
    # on character n-grams. Everything comes from one Gram matrix S of block cosines.
    # Per-page IDF: n-grams in most blocks (function words, the site's own name) say
    # nothing about topic; without it every Japanese paragraph looks like every other.
    # Computed on the n-grams the page uses only, not over the whole hash space.
    title = _title(page)
    V, Vi, sim_title = _ngram_vectors(texts, normalize(title), ngram_range)
    w = np.sqrt(chars)
    if n <= _MAX_GRAM:
        S = _dense(V @ V.T)
        Si = _dense(Vi @ Vi.T)
        Sw = Si @ w
        total2 = float(w @ Sw)
        rest_dot = Sw - w  # V_i . (page - w_i V_i), since S_ii = 1
        rest_norm = np.sqrt(np.maximum(total2 - 2 * w * Sw + w * w, 1e-12))
        sim_page = rest_dot / rest_norm
        window = _window_similarity(Si, w, 3)
        F[:, col["sim_window"]] = window
        earlier = np.tril(S, k=-1)
        F[:, col["max_sim_earlier"]] = earlier.max(axis=1)
        F[:, col["dup_near_earlier"]] = earlier.max(axis=1) >= 0.9
        core_idx = np.argsort(-chars)[: max(3, n // 3)]
        wc = w[core_idx]
        core_norm = np.sqrt(max(float(wc @ Si[np.ix_(core_idx, core_idx)] @ wc), 0.0)) or 1.0
        F[:, col["sim_core"]] = (Si[:, core_idx] @ wc) / core_norm
    else:  # huge listing pages: skip the quadratic measures, keep the linear ones
        centroid = np.asarray(Vi.T @ w).ravel()
        sim_page = np.asarray(Vi @ centroid).ravel() / (np.linalg.norm(centroid) or 1.0)
        F[:, col["sim_window"]] = sim_page
        core_idx = np.argsort(-chars)[: max(3, n // 3)]
        core = np.asarray(Vi[core_idx].T @ w[core_idx]).ravel()
        F[:, col["sim_core"]] = np.asarray(Vi @ core).ravel() / (np.linalg.norm(core) or 1.0)
    F[:, col["sim_page"]] = sim_page
    F[:, col["sim_page_z"]] = (sim_page - np.median(sim_page)) / (sim_page.std() or 1.0)
    F[:, col["sim_title"]] = sim_title
    F[:, col["rel_len"]] = np.log1p(chars) - np.log1p(np.median(chars))
    _topic_features(blocks, chars, title, page.metadata.get("description") or "", term_idf, F, col)

    F[:, col["log_n_blocks"]] = np.log1p(n)
    F[:, col["log_page_chars"]] = np.log1p(total)
    link_chars = np.array([b.link_chars for b in blocks], dtype=np.float64)
    F[:, col["page_link_density"]] = link_chars.sum() / max(sum(len(b.text) for b in blocks), 1)
    F[:, col["page_cjk"]] = np.average(own["cjk_ratio"], weights=chars + 1)

    for off in _OFFSETS:
        src = np.arange(n) + off
        valid = (src >= 0) & (src < n)
        for name in _NEIGHBOUR:
            target = col[f"{name}@{off:+d}"]
            F[valid, target] = F[src[valid], col[name]]
            F[~valid, target] = -1  # "no neighbour" differs from every real value's meaning

    # Section context: a junk block usually sits under a short heading-like block that
    # starts an off-topic run ("Recommended for you", "コメント").
    sim_z = F[:, col["sim_page_z"]]
    heading_like = np.array([b.kind == "heading" for b in blocks]) | ((chars < 25) & ~own["ends_sentence"].astype(bool))
    last = np.maximum.accumulate(np.where(heading_like, np.arange(n), -1))
    F[:, col["heading_above_sim"]] = np.where(last >= 0, sim_z[np.maximum(last, 0)], 1.0)
    low = sim_z < -0.5
    run_so_far = np.arange(1, n + 1) - np.maximum.accumulate(np.where(~low, np.arange(1, n + 1), 0))
    F[:, col["after_low_sim_run"]] = np.minimum(run_so_far, 10)
    return F


def _window_similarity(Si: np.ndarray, w: np.ndarray, radius: int) -> np.ndarray:
    """Cosine of each block to the weighted sum of its neighbours within ``radius`` (itself
    excluded), from the Gram matrix: vectorised over blocks, one pass per pair of offsets."""
    n = len(w)
    W = Si * np.outer(w, w)
    idx = np.arange(n)
    offsets = [d for d in range(-radius, radius + 1) if d]
    dot = np.zeros(n)
    quad = np.zeros(n)
    for a in offsets:
        ja = idx + a
        va = (ja >= 0) & (ja < n)
        dot[va] += Si[idx[va], ja[va]] * w[ja[va]]
        for b in offsets:
            jb = idx + b
            v = va & (jb >= 0) & (jb < n)
            quad[v] += W[ja[v], jb[v]]
    has = quad > 0
    out = np.zeros(n)
    out[has] = dot[has] / np.sqrt(np.maximum(quad[has], 1e-12))
    return out


def _topic_features(blocks: list[Block], chars: np.ndarray, title: str, description: str,
                    term_idf: np.ndarray, F: np.ndarray, col: dict[str, int]) -> None:
    """Share of each block's content terms that the page's own topic also uses.

    The anchor is the title, the page description and the longest blocks of the first
    half of the page (where the article is, before appended junk); a block is never its
    own anchor. Recommended items about other stories name other people and things.
    Terms weigh by how rare they are across training pages (``term_idf``).
    """
    n = len(blocks)
    ids: dict[str, int] = {}
    rows_list: list[int] = []
    tids_list: list[int] = []
    for i, b in enumerate(blocks):
        for t in content_terms(b.text):
            rows_list.append(i)
            tids_list.append(ids.setdefault(t, len(ids)))
    rows = np.array(rows_list, dtype=np.int64)
    tids = np.array(tids_list, dtype=np.int64)
    n_terms = len(ids)
    weight = np.array([term_idf[term_bucket(t, len(term_idf))] for t in ids], dtype=np.float64)
    title_terms = content_terms(title)
    base = np.zeros(n_terms, dtype=bool)
    in_title = np.zeros(n_terms, dtype=bool)
    for t in title_terms | content_terms(description):
        if t in ids:
            base[ids[t]] = True
            in_title[ids[t]] = t in title_terms
    ranked = anchor_blocks(chars)
    anchor_counts = np.bincount(tids[ranked[rows]], minlength=n_terms)
    all_counts = np.bincount(tids, minlength=n_terms)
    w = weight[tids]
    total = np.bincount(rows, weights=w, minlength=n)
    has_terms = total > 0
    total[~has_terms] = 1.0
    anchored = base[tids] | (anchor_counts[tids] - ranked[rows] > 0)  # never its own anchor
    anchor = np.bincount(rows, weights=w * anchored, minlength=n) / total
    F[:, col["anchor_overlap"]] = anchor
    F[:, col["title_overlap"]] = np.bincount(rows, weights=w * in_title[tids], minlength=n) / total
    F[:, col["terms_elsewhere"]] = np.bincount(rows, weights=w * (all_counts[tids] > 1), minlength=n) / total
    # The same measure over stretches of the page: appended junk is a run of off-topic
    # blocks reaching to the end, while an off-topic line inside the article is alone.
    wts = np.where(has_terms, np.sqrt(chars), 0.0)
    cum_w = np.concatenate([[0.0], np.cumsum(wts)])
    cum_a = np.concatenate([[0.0], np.cumsum(wts * anchor)])
    idx = np.arange(n)
    lo, hi = np.maximum(idx - 2, 0), np.minimum(idx + 3, n)
    F[:, col["anchor_window"]] = _ratio(cum_a[hi] - cum_a[lo], cum_w[hi] - cum_w[lo])
    F[:, col["anchor_suffix"]] = _ratio(cum_a[n] - cum_a[idx], cum_w[n] - cum_w[idx])
    F[:, col["anchor_prefix"]] = _ratio(cum_a[idx + 1], cum_w[idx + 1])
    F[:, col["offtopic_run"]] = np.log1p(_run_lengths((anchor < 0.25) | ~has_terms))


def anchor_blocks(chars: np.ndarray) -> np.ndarray:
    """Which blocks carry the page's topic, besides its title: the longest of the first half
    (where the article is, before appended junk)."""
    n = len(chars)
    head = np.arange(n) < max(1, (n + 1) // 2)
    ranked = np.zeros(n, dtype=bool)
    ranked[[i for i in np.argsort(-chars) if head[i]][: max(3, n // 5)]] = True
    return ranked


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, 0 where den is 0."""
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _run_lengths(flags: np.ndarray) -> np.ndarray:
    """For each True, the length of the run of Trues it belongs to; 0 for False."""
    n = len(flags)
    out = np.zeros(n)
    if not flags.any():
        return out
    edges = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    for start, stop in zip(starts, stops):
        out[start:stop] = stop - start
    return out


#: above this many cells (blocks x distinct n-grams) the page's n-gram matrix stays sparse
_MAX_DENSE_CELLS = 300_000


def _ngram_vectors(texts: list[str], title: str, ngram_range: tuple[int, int]):
    """The blocks' character n-gram vectors, plain and weighted by per-page IDF (rows
    l2-normalised), and each block's IDF-weighted cosine to the title (0 without a title).

    Per-page IDF: n-grams in most blocks (function words, the site's own name) say nothing
    about topic; without it every Japanese paragraph looks like every other. Title n-grams
    the page does not use weigh as much as the rarest ones (they only lengthen the title).
    """
    n = len(texts)
    rows, keys = ngram_keys(texts, ngram_range)
    vocab, column = np.unique(keys, return_inverse=True)
    u = len(vocab)
    if n * u <= _MAX_DENSE_CELLS:
        C = np.bincount(rows * u + column, minlength=n * u).reshape(n, u).astype(np.float32)
        df = (C > 0).sum(axis=0)
    else:
        C = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, column)), shape=(n, u))
        C.sum_duplicates()
        df = np.bincount(C.indices, minlength=u)
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    unseen_idf = np.log(1.0 + n) + 1.0
    V = _l2_rows(C)
    Vi = _l2_rows(C.multiply(idf) if issparse(C) else C * idf)
    sim_title = np.zeros(n)
    if title:
        _, title_keys = ngram_keys([title], ngram_range)
        title_keys, counts = np.unique(title_keys, return_counts=True)
        pos = np.minimum(np.searchsorted(vocab, title_keys), max(u - 1, 0))
        shared = (vocab[pos] == title_keys) if u else np.zeros(len(title_keys), dtype=bool)
        weights = np.where(shared, idf[pos] if u else 0.0, unseen_idf) * counts
        norm = np.sqrt(float(weights @ weights)) or 1.0
        if shared.any():
            sim_title = np.asarray(Vi[:, pos[shared]] @ weights[shared]).ravel() / norm
    return V, Vi, sim_title


def _l2_rows(M):
    """Rows scaled to unit length (zero rows stay zero); dense or sparse."""
    if issparse(M):
        norms = np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return csr_matrix(M.multiply(1.0 / norms[:, None]))
    norms = np.sqrt((M * M).sum(axis=1))
    norms[norms == 0] = 1.0
    return M / norms[:, None]


def _dense(M) -> np.ndarray:
    return M.toarray() if issparse(M) else np.asarray(M)


_STAT_NAMES = ["log_chars", "log_tokens", "cjk_ratio", "digit_ratio", "punct_ratio", "upper_ratio",
               "ends_sentence", "lead_symbol", "has_arrow", "colon_label", "url_only", "has_url", "has_date",
               "n_sentences", "heading_level", "link_density", "log_links", "all_link", "internal_links",
               "external_links", "group_size", "index_in_group"]


def _own_text_features(blocks: list[Block], texts: list[str], host: str) -> dict[str, np.ndarray]:
    """Features of each block on its own (text statistics, structure, links).

    Counts come from ``len(pattern.sub("", text))``-style calls where that is possible:
    the regex engine then never builds a list of every match."""
    group_sizes: dict[int, int] = {}
    for b in blocks:
        group_sizes[b.group] = group_sizes.get(b.group, 0) + 1
    seen_in_group: dict[int, int] = {}
    rows = []
    for b, text in zip(blocks, texts):
        raw = b.text
        length = max(len(raw), 1)
        letters = len(_NON_LETTERS.sub("", raw)) or 1
        density = b.link_chars / length
        internal = sum(1 for t in b.links if _is_internal(t, host))
        seen_in_group[b.group] = seen_in_group.get(b.group, -1) + 1
        rows.append((
            np.log1p(len(text) - text.count(" ")), np.log1p(token_count(text)), cjk_ratio(raw),
            len(_DIGIT.findall(raw)) / length, len(_PUNCT.findall(raw)) / length, len(_UPPER.findall(raw)) / letters,
            ends_sentence(raw), bool(_LEAD_SYMBOL.search(raw)), bool(_ARROW.search(raw)),
            bool(_COLON_LABEL.search(raw)), bool(_URL_ONLY.match(raw)), bool(_URL.search(raw)),
            bool(_DATE.search(raw)), np.log1p(sentence_count(raw)), b.heading_level, density,
            np.log1p(len(b.links)), density > 0.85, internal, len(b.links) - internal,
            np.log1p(group_sizes[b.group]), min(seen_in_group[b.group], 5),
        ))
    values = np.array(rows, dtype=np.float64).reshape(len(blocks), len(_STAT_NAMES))
    out = {name: values[:, j] for j, name in enumerate(_STAT_NAMES)}
    for kind in KINDS:
        out[f"kind_{kind}"] = np.array([b.kind == kind for b in blocks], dtype=np.float64)
    out["after_image"] = np.array([b.after_image for b in blocks], dtype=np.float64)
    out["before_image"] = np.array([b.before_image for b in blocks], dtype=np.float64)
    return out


def _is_internal(target: str, host: str) -> bool:
    if not target or target.startswith(("/", "#", "?", ".")) or "://" not in target:
        return True
    target_host = target.split("://", 1)[1].split("/", 1)[0].lower()
    return bool(host) and (target_host == host or target_host.endswith("." + host)
                           or host.endswith("." + target_host))


def _duplicate_features(texts: list[str], F: np.ndarray, col: dict[str, int]) -> None:
    """Exact repeats within the page (near repeats come from the cosine matrix)."""
    first_seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    for t in texts:
        counts[t] = counts.get(t, 0) + 1
    for i, t in enumerate(texts):
        F[i, col["n_copies"]] = np.log1p(counts[t] - 1)
        if t in first_seen:
            F[i, col["dup_exact_earlier"]] = 1
            F[first_seen[t], col["dup_exact_later"]] = 1
        else:
            first_seen[t] = i
