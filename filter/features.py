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
import zlib
from typing import Iterable, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import HashingVectorizer

from .segment import KINDS, Block, Page
from .textnorm import cjk_ratio, content_terms, normalize, tokens

#: Bump when the meaning or order of any feature changes (features, lexical or context
#: columns); saved models record it and refuse to load under another version.
FEATURE_SCHEMA_VERSION = 6

BlockRef = tuple[Page, int]
# Above this many blocks a page skips the quadratic (block x block) similarity features.
_MAX_GRAM = 3000

_URL_ONLY = re.compile(r"^\s*(https?://|www\.)\S+\s*$", re.I)
_URL = re.compile(r"https?://|www\.", re.I)
_SENTENCE_END = re.compile(r"[.!?。！？…」』\"”)）]\s*$")
_LEAD_SYMBOL = re.compile(r"^\s*[★☆※●■□◆◇▶►▼↓→←⇒【\[\(（<《«#@*•·|>-]")
_ARROW = re.compile(r"[↓→⇒▶►▼»›]")
_COLON_LABEL = re.compile(r"^[^\s:：]{1,24}\s?[:：]")
_DATE = re.compile(r"\b(19|20)\d\d[-/.年]|\d{1,2}[/.月]\d{1,2}|\d{1,2}:\d\d")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]")
_UPPER = re.compile(r"[A-ZÀ-ÞА-Я]")
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCES = re.compile(r"[.!?。！？](\s|$)")

_OWN = [
    "log_chars", "log_tokens", "cjk_ratio", "digit_ratio", "punct_ratio", "upper_ratio",
    "ends_sentence", "lead_symbol", "has_arrow", "colon_label", "url_only", "has_url", "has_date",
    "n_sentences", *[f"kind_{k}" for k in KINDS], "heading_level", "link_density", "log_links",
    "all_link", "internal_links", "external_links", "group_size", "index_in_group",
    "pos", "pos_chars", "chars_after", "is_first", "is_last",
    "dup_exact_earlier", "dup_exact_later", "dup_near_earlier", "max_sim_earlier", "n_copies",
    "sim_title", "sim_page", "sim_page_z", "sim_core", "sim_window", "rel_len",
    "anchor_overlap", "title_overlap", "terms_elsewhere", "anchor_window", "anchor_suffix",
    "anchor_prefix", "offtopic_run",
]
_PAGE = ["log_n_blocks", "log_page_chars", "page_link_density", "page_cjk"]
# Features copied from the neighbours at each offset: the page's rhythm around a block.
_NEIGHBOUR = ["log_chars", "link_density", "ends_sentence", "kind_heading", "kind_list_item",
              "sim_page_z", "sim_core", "dup_exact_earlier", "lead_symbol", "anchor_overlap"]
_OFFSETS = (-2, -1, 1, 2)


def feature_names() -> list[str]:
    """Column names, in order; saved with the model so a mismatch is caught on load."""
    names = _OWN + _PAGE
    for off in _OFFSETS:
        names += [f"{name}@{off:+d}" for name in _NEIGHBOUR]
    return names + ["heading_above_sim", "after_low_sim_run"]


class PageFeaturizer(TransformerMixin, BaseEstimator):
    """Turn ``(page, index)`` samples into a dense feature matrix.

    Stateless: nothing is learned, so ``fit`` only records the feature names. The
    n-gram hashing is fixed-size, which keeps the cost per page flat and the model small.
    """

    def __init__(self, ngram_range: tuple[int, int] = (2, 3), n_hash: int = 2**18, n_term_buckets: int = 2**18) -> None:
        self.ngram_range = ngram_range
        self.n_hash = n_hash
        self.n_term_buckets = n_term_buckets

    def fit(self, X: Sequence[BlockRef], y: object = None) -> "PageFeaturizer":
        """Learn how common each content term is across pages (hashed, so the size is fixed):
        words every page uses ("that", "which", "する") then say nothing about a page's topic."""
        df = np.zeros(self.n_term_buckets, dtype=np.float32)
        n_pages = 0
        for start, stop, page in _runs(X):
            n_pages += 1
            buckets = {_bucket(t, self.n_term_buckets) for b in page.blocks for t in content_terms(b.text)}
            df[list(buckets)] += 1
        self.term_idf_ = np.log((n_pages + 1.0) / (df + 1.0)).astype(np.float32) + 0.1
        self.feature_names_out_ = np.array(feature_names(), dtype=object)
        self.n_features_out_ = len(self.feature_names_out_)
        return self

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(feature_names(), dtype=object)

    def transform(self, X: Sequence[BlockRef]) -> np.ndarray:
        vectorizer = HashingVectorizer(analyzer="char", ngram_range=self.ngram_range,
                                       n_features=self.n_hash, alternate_sign=False, norm="l2")
        out = np.zeros((len(X), len(feature_names())), dtype=np.float32)
        runs = list(_runs(X))
        # One hashing call for the whole batch (texts, then titles): its fixed cost per call
        # was a large part of a page's featurizing time.
        texts = [[normalize(b.text) for b in page.blocks] for _, _, page in runs]
        titles = [normalize(_title(page)) for _, _, page in runs]
        V_all = vectorizer.transform([t for page_texts in texts for t in page_texts] + titles)
        offset, n_texts = 0, sum(len(t) for t in texts)
        for k, (start, stop, page) in enumerate(runs):
            n = len(texts[k])
            V, T = V_all[offset:offset + n], V_all[n_texts + k]
            offset += n
            matrix = page_features(page, texts[k], V, T if titles[k] else None, self.term_idf_)
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


def page_features(page: Page, texts: list[str], V, T, term_idf: np.ndarray) -> np.ndarray:
    """The feature matrix of all blocks of one page (rows in block order).

    ``texts`` are the blocks' normalised texts, ``V`` their hashed character n-grams (rows,
    l2-normalised) and ``T`` the title's (or None when the page has no title).
    """
    blocks = page.blocks
    n = len(blocks)
    names = feature_names()
    if n == 0:
        return np.zeros((0, len(names)), dtype=np.float32)
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
    used, df = np.unique(V.indices, return_counts=True)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    unseen_idf = np.log(1.0 + n) + 1.0
    Vi = _reweight_rows(V, used, idf, unseen_idf)
    w = np.sqrt(chars)
    if n <= _MAX_GRAM:
        S = (V @ V.T).toarray()
        Si = (Vi @ Vi.T).toarray()
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
        sim_page = (Vi @ centroid) / (np.linalg.norm(centroid) or 1.0)
        F[:, col["sim_window"]] = sim_page
        core_idx = np.argsort(-chars)[: max(3, n // 3)]
        core = np.asarray(Vi[core_idx].T @ w[core_idx]).ravel()
        F[:, col["sim_core"]] = (Vi @ core) / (np.linalg.norm(core) or 1.0)
    F[:, col["sim_page"]] = sim_page
    F[:, col["sim_page_z"]] = (sim_page - np.median(sim_page)) / (sim_page.std() or 1.0)
    title = _title(page)
    if T is not None:
        Ti = _reweight_rows(T, used, idf, unseen_idf)
        F[:, col["sim_title"]] = (Vi @ Ti.T).toarray().ravel()
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
    heading_sim = 1.0
    low_run = 0
    for i in range(n):
        block = blocks[i]
        if block.kind == "heading" or (chars[i] < 25 and not own["ends_sentence"][i]):
            heading_sim = F[i, col["sim_page_z"]]
        F[i, col["heading_above_sim"]] = heading_sim
        low_run = low_run + 1 if F[i, col["sim_page_z"]] < -0.5 else 0
        F[i, col["after_low_sim_run"]] = min(low_run, 10)
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


def _bucket(term: str, n: int) -> int:
    return zlib.crc32(term.encode("utf-8")) % n  # stable across processes, unlike hash()


def _topic_features(blocks: list[Block], chars: np.ndarray, title: str, description: str,
                    term_idf: np.ndarray, F: np.ndarray, col: dict[str, int]) -> None:
    """Share of each block's content terms that the page's own topic also uses.

    The anchor is the title, the page description and the longest blocks of the first
    half of the page (where the article is, before appended junk); a block is never its
    own anchor. Recommended items about other stories name other people and things.
    """
    n = len(blocks)
    terms = [content_terms(b.text) for b in blocks]
    head = np.arange(n) < max(1, (n + 1) // 2)
    ranked = [i for i in np.argsort(-chars) if head[i]][: max(3, n // 5)]
    title_terms = content_terms(title)
    base = title_terms | content_terms(description)
    anchor_counts: dict[str, int] = {}
    for i in ranked:
        for t in terms[i]:
            anchor_counts[t] = anchor_counts.get(t, 0) + 1
    all_counts: dict[str, int] = {}
    for ts in terms:
        for t in ts:
            all_counts[t] = all_counts.get(t, 0) + 1
    ranked_set = set(int(i) for i in ranked)
    n_buckets = len(term_idf)
    weight: dict[str, float] = {}
    for ts in terms:
        for t in ts:
            if t not in weight:
                weight[t] = float(term_idf[_bucket(t, n_buckets)])
    for i, ts in enumerate(terms):
        if not ts:
            continue
        own = 1 if i in ranked_set else 0
        total = sum(weight[t] for t in ts) or 1.0
        F[i, col["anchor_overlap"]] = sum(weight[t] for t in ts if t in base or anchor_counts.get(t, 0) - own > 0) / total
        F[i, col["title_overlap"]] = sum(weight[t] for t in ts & title_terms) / total
        F[i, col["terms_elsewhere"]] = sum(weight[t] for t in ts if all_counts[t] > 1) / total
    # The same measure over stretches of the page: appended junk is a run of off-topic
    # blocks reaching to the end, while an off-topic line inside the article is alone.
    anchor = F[:, col["anchor_overlap"]].astype(np.float64)
    has_terms = np.array([bool(ts) for ts in terms])
    wts = np.where(has_terms, np.sqrt(chars), 0.0)
    cum_w, cum_a = np.cumsum(wts), np.cumsum(wts * anchor)
    tot_w, tot_a = cum_w[-1], cum_a[-1]
    for i in range(n):
        lo, hi = max(0, i - 2), min(n, i + 3)
        w_win = cum_w[hi - 1] - (cum_w[lo - 1] if lo else 0.0)
        a_win = cum_a[hi - 1] - (cum_a[lo - 1] if lo else 0.0)
        F[i, col["anchor_window"]] = a_win / w_win if w_win else 0.0
        w_suf, a_suf = tot_w - (cum_w[i - 1] if i else 0.0), tot_a - (cum_a[i - 1] if i else 0.0)
        F[i, col["anchor_suffix"]] = a_suf / w_suf if w_suf else 0.0
        F[i, col["anchor_prefix"]] = cum_a[i] / cum_w[i] if cum_w[i] else 0.0
    low = (anchor < 0.25) | ~has_terms
    start = 0
    while start < n:
        if not low[start]:
            start += 1
            continue
        stop = start
        while stop < n and low[stop]:
            stop += 1
        F[start:stop, col["offtopic_run"]] = np.log1p(stop - start)
        start = stop


def _reweight_rows(M, used: np.ndarray, weights: np.ndarray, default: float):
    """``M`` with column ``used[k]`` scaled by ``weights[k]`` (others by ``default``), rows
    l2-normalised; works on the CSR arrays directly, as the hash space is large."""
    M = M.tocsr()
    pos = np.minimum(np.searchsorted(used, M.indices), len(used) - 1)
    scale = np.where(used[pos] == M.indices, weights[pos], default) if len(used) else default
    data = M.data * scale
    rows = np.repeat(np.arange(M.shape[0]), np.diff(M.indptr))
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=M.shape[0]))
    norms[norms == 0] = 1.0
    return csr_matrix((data / norms[rows], M.indices, M.indptr), shape=M.shape)


def _own_text_features(blocks: list[Block], texts: list[str], host: str) -> dict[str, np.ndarray]:
    """Features of each block on its own (text statistics, structure, links)."""
    n = len(blocks)
    out: dict[str, np.ndarray] = {name: np.zeros(n) for name in _OWN[:_OWN.index("pos")]}
    group_sizes: dict[int, int] = {}
    for b in blocks:
        group_sizes[b.group] = group_sizes.get(b.group, 0) + 1
    seen_in_group: dict[int, int] = {}
    for i, (b, text) in enumerate(zip(blocks, texts)):
        raw = b.text
        length = max(len(raw), 1)
        letters = len(_LETTER.findall(raw)) or 1
        out["log_chars"][i] = np.log1p(len(text.replace(" ", "")))
        out["log_tokens"][i] = np.log1p(len(tokens(raw)))
        out["cjk_ratio"][i] = cjk_ratio(raw)
        out["digit_ratio"][i] = len(_DIGIT.findall(raw)) / length
        out["punct_ratio"][i] = len(_PUNCT.findall(raw)) / length
        out["upper_ratio"][i] = len(_UPPER.findall(raw)) / letters
        out["ends_sentence"][i] = bool(_SENTENCE_END.search(raw))
        out["lead_symbol"][i] = bool(_LEAD_SYMBOL.search(raw))
        out["has_arrow"][i] = bool(_ARROW.search(raw))
        out["colon_label"][i] = bool(_COLON_LABEL.search(raw))
        out["url_only"][i] = bool(_URL_ONLY.match(raw))
        out["has_url"][i] = bool(_URL.search(raw))
        out["has_date"][i] = bool(_DATE.search(raw))
        out["n_sentences"][i] = np.log1p(len(_SENTENCES.findall(raw)))
        out[f"kind_{b.kind}"][i] = 1
        out["heading_level"][i] = b.heading_level
        density = b.link_chars / length
        out["link_density"][i] = density
        out["log_links"][i] = np.log1p(len(b.links))
        out["all_link"][i] = density > 0.85
        internal = sum(1 for t in b.links if _is_internal(t, host))
        out["internal_links"][i] = internal
        out["external_links"][i] = len(b.links) - internal
        out["group_size"][i] = np.log1p(group_sizes[b.group])
        seen_in_group[b.group] = seen_in_group.get(b.group, -1) + 1
        out["index_in_group"][i] = min(seen_in_group[b.group], 5)
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
