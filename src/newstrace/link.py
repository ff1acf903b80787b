"""Across articles: global entities, stories, links, quote groups, provenance, citations.

The link stage reads stored records (plain dicts, see ``store.load_link_inputs``) and returns a
:class:`LinkResult` that ``store.write_link_result`` writes as a whole. Nothing here compares all
pairs of articles:

* lexical copies are found with MinHash LSH over word shingles (datasketch);
* paraphrases with rare-key fingerprints: each article's rarest content words, numbers and entity
  names go into an inverted index; keys held by too many articles are dropped (a per-key cap), and
  two articles become a candidate pair when they share several keys;
* stories are built in one pass in date order: an article joins the story whose centroid is most
  similar among the stories of recent articles sharing its top terms (a capped, windowed index);
* quotes are grouped through an index of their rare words, then compared with rapidfuzz.

Every id is a hash of its content, and every loop runs in a sorted order, so the same input gives
the same output.

Memory (issue #5: a million articles on one machine) stays a few KB an article: texts can be read
on demand (``text_of``) through a bounded cache; term vectors, fingerprint and quote keys, MinHash
band keys and story postings are packed numpy/array buffers, not Python objects per item; term
strings are dropped once vectors are built (lookups by string hash); word features of articles
and quotes are recomputed for the pairs that need them through small caches; candidate pairs are
counted one item at a time instead of in a Counter over all pairs.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import difflib
import functools
import hashlib
import json
import math
import os
import re
import tempfile
import unicodedata
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from .config import Settings
from .models import Link, QuoteGroup, Story
from .rows import Indexed, Rows, as_rows

__all__ = ["LinkResult", "link_articles", "quote_drift", "align_sentences", "tokens"]


@dataclass
class LinkResult:
    """Everything the link stage produces (written by ``store.write_link_result``)."""

    stories: list[Story] = field(default_factory=list)
    story_of: dict[str, str] = field(default_factory=dict)  # article id -> story id
    links: list[Link] = field(default_factory=list)
    quote_groups: list[QuoteGroup] = field(default_factory=list)
    provenance: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    outlet_citations: list[dict[str, Any]] = field(default_factory=list)
    figure_conflicts: list[dict[str, Any]] = field(default_factory=list)
    entity_map: dict[tuple[str, int], str] = field(default_factory=dict)
    entities: list[dict[str, Any]] = field(default_factory=list)


class _Computed(Sequence):
    """A result list made again each time it is iterated (so the store streams it) and kept
    only once it is counted or indexed."""

    def __init__(self, make: Callable[[], Iterable[Any]]):
        self.make, self.held = make, None

    def _list(self) -> list[Any]:
        if self.held is None:
            self.held = list(self.make())
        return self.held

    def __iter__(self) -> Iterator[Any]:
        return iter(self.held if self.held is not None else self.make())

    def __len__(self) -> int:
        return len(self._list())

    def __bool__(self) -> bool:
        return bool(self.held) if self.held is not None else any(True for _ in self.make())

    def __getitem__(self, k: Any) -> Any:
        return self._list()[k]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return repr(list(self))


# -- text helpers ------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*(?:'[a-z]+)?")
_SENT_RE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]*[A-Z0-9])|\n\s*\n")
_NUM_RE = re.compile(r"^\d[\d.,]*$")
_QUOTE_PAIRS = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"),
                ("\u2014", "-"), ("\u00a0", " "))


def _stopwords() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # spaCy is a hard dependency; this only guards odd installs
        return frozenset()
    return frozenset(w.replace("\u2019", "'") for w in STOP_WORDS)


STOP = _stopwords() | {"said", "says", "s", "mr", "mrs", "ms", "told", "year", "new"}


def _norm(text: str) -> str:
    if not text or text.isascii():
        return text or ""
    text = unicodedata.normalize("NFKC", text)
    for ch, rep in _QUOTE_PAIRS:
        if ch in text:
            text = text.replace(ch, rep)
    return text


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of a text (curly quotes folded, numbers kept whole).

    Args:
        text: any text.
    Returns:
        The tokens in order.

    >>> tokens("Title 8 USC 1,326 — isn’t it?")
    ['title', '8', 'usc', '1,326', "isn't", 'it']
    """
    return _TOKEN_RE.findall(_norm(text).lower())


@functools.lru_cache(maxsize=200_000)
def _stem(tok: str) -> str:
    """A light suffix stripper: "arresting"/"arrested"/"arrests", "cities"/"city" meet."""
    if _NUM_RE.match(tok) or len(tok) <= 3:
        return tok
    if tok.endswith("'s"):
        tok = tok[:-2]
    if tok.endswith("ies") and len(tok) > 4:
        tok = tok[:-3] + "y"
    elif tok.endswith(("sses", "shes", "ches", "xes", "zes")):
        tok = tok[:-2]
    elif tok.endswith("s") and not tok.endswith(("ss", "us", "is")) and len(tok) > 3:
        tok = tok[:-1]
    for suf in ("ingly", "edly", "ing", "ed"):
        if tok.endswith(suf) and len(tok) - len(suf) >= 3:
            tok = tok[: -len(suf)]
            if len(tok) > 3 and tok[-1] == tok[-2] and tok[-1] not in "lsz":
                tok = tok[:-1]  # "stopped" -> "stop"
            break
    if tok.endswith("e") and len(tok) > 4:
        tok = tok[:-1]  # "reduce"/"reduced" -> "reduc"
    return tok


_CONTENT_STEM: dict[str, str] = {}  # token -> its stem, or "" for a stopword / short token


def _content(toks: Iterable[str]) -> list[str]:
    cache = _CONTENT_STEM
    if len(cache) > 200_000:
        cache.clear()
    out = []
    for t in toks:
        st = cache.get(t)
        if st is None:
            st = cache[t] = _stem(t) if t not in STOP and (len(t) > 2 or t.isdigit()) else ""
        if st:
            out.append(st)
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_RE.split(text or "") if s and len(s.strip()) > 1]


def _hid(prefix: str, *parts: Any) -> str:
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{h}"


def _date(value: Any) -> _dt.date | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# -- per-article features ------------------------------------------------------------------------

class _Texts:
    """Article texts by doc index: the caller's own strings, or read through ``text_of`` into a
    bounded cache, so a million texts need not be resident at once (issue #5)."""

    def __init__(self, articles: Sequence[dict[str, Any]],
                 text_of: Callable[[str], str | None] | None = None, *, size: int = 4096):
        self.ids = [a["id"] for a in articles]
        self.text_of, self.size = text_of, size
        # the caller's strings (no copy) when they came with the rows; read on demand otherwise
        self.held = None if text_of is not None else [a.get("text") or "" for a in articles]
        self.cache: dict[int, str] = {}

    def __call__(self, idx: int) -> str:
        if self.held is not None:
            return self.held[idx]
        text = self.cache.pop(idx, None)
        if text is None:
            text = self.text_of(self.ids[idx]) or ""  # type: ignore[misc]
            if len(self.cache) >= self.size:
                del self.cache[next(iter(self.cache))]  # least recently used
        self.cache[idx] = text
        return text


class _Features:
    """The term vectors of every article in one packed array pair (sorted-string term ids, float64
    weights, heaviest first) plus the vocabulary: about 0.5 KB an article where a dict of 40
    strings to floats took 3.5 KB."""

    def __init__(self, terms: list[str], df: list[int], n_docs: int, texts: _Texts):
        # term id -> stemmed term while vectors are built; ids follow string order, so ties
        # between equal weights break as they did on strings
        self.vocab: dict[str, int] | None = {t: i for i, t in enumerate(terms)}
        n = max(n_docs, 1)
        self.idf = np.array([1.0 + math.log((n + 1) / (c + 1)) for c in df], dtype=np.float64)  # never 0
        self.texts = texts
        self.ptr: np.ndarray = np.zeros(1, dtype=np.int64)
        self.ids: np.ndarray = np.zeros(0, dtype=np.int32)
        self.weights: np.ndarray = np.zeros(0, dtype=np.float64)
        self.hashes = np.zeros(0, dtype=np.int64)  # after drop_strings: sorted term hashes ...
        self.hash_ids = np.zeros(0, dtype=np.int32)  # ... and the term id of each

    def drop_strings(self) -> None:
        """Forget the term strings once every vector is built: later lookups go through sorted
        64-bit string hashes (12 bytes a term instead of ~130; millions of terms at 1M articles)."""
        if self.vocab is None:
            return
        h = np.fromiter(map(hash, self.vocab), dtype=np.int64, count=len(self.vocab))
        order = np.argsort(h, kind="stable")
        self.hashes, self.hash_ids = h[order], order.astype(np.int32)
        self.vocab = None

    def term_ids(self, words: Iterable[str]) -> dict[str, int]:
        """Term id of each known word (by string hash within this process; unknown words left out)."""
        words = list(words)
        if self.vocab is not None:
            return {w: self.vocab[w] for w in words if w in self.vocab}
        if not words or not len(self.hashes):
            return {}
        h = np.fromiter(map(hash, words), dtype=np.int64, count=len(words))
        pos = np.minimum(np.searchsorted(self.hashes, h), len(self.hashes) - 1)
        hit = self.hashes[pos] == h
        return {w: i for w, i, ok in zip(words, self.hash_ids[pos].tolist(), hit.tolist()) if ok}

    def idf_of(self, words: Iterable[str]) -> dict[str, float]:
        """idf of each known word (what ``_sent_features`` weighs sentence words with)."""
        return {w: float(self.idf[i]) for w, i in self.term_ids(words).items()}

    def vec(self, idx: int) -> dict[int, float]:
        lo, hi = int(self.ptr[idx]), int(self.ptr[idx + 1])
        return dict(zip(self.ids[lo:hi].tolist(), self.weights[lo:hi].tolist()))


_NO_ENTS: Mapping[str, float] = MappingProxyType({})


@dataclass(eq=False, slots=True)
class _Doc:
    idx: int
    id: str
    outlet: str | None
    title: str | None
    date: _dt.date | None
    published: str | None
    feats: _Features
    ents: Mapping[str, float]  # entity key -> prominence in this article

    @property
    def vec(self) -> dict[int, float]:
        """Top tf-idf terms (term id -> weight, L2-normalised, heaviest first); a fresh dict."""
        return self.feats.vec(self.idx)

    @property
    def text(self) -> str:
        return self.feats.texts(self.idx)


def _entity_names(local_entities: Rows, entity_map: Any, articles: Sequence[dict[str, Any]],
                  texts: _Texts) -> dict[str, dict[str, float]]:
    """Per article: entity key (global id, else normalised name) -> prominence (how often its
    names occur, more when in the headline)."""
    pos = {a["id"]: i for i, a in enumerate(articles)}
    aid_col, type_col, name_col = (local_entities.col(c) for c in ("article_id", "type", "name"))
    gid_of_row = getattr(entity_map, "gid_of_row", None)
    lid_col = local_entities.col("local_id")
    by_article: dict[int, array] = defaultdict(lambda: array("q"))
    for r in range(len(local_entities)):  # grouped so that each text is read once
        i = pos.get(aid_col[r])
        if i is not None and (type_col[r] or "") in ("person", "organisation", "organization", "group", "place", "outlet"):
            by_article[i].append(r)
    del pos
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for i in sorted(by_article):
        art = articles[i]
        text, title = None, art.get("title") or ""
        for r in by_article.pop(i):
            gid = gid_of_row(r) if gid_of_row else entity_map.get((aid_col[r], lid_col[r]))
            key = gid or " ".join(tokens(name_col[r] or ""))
            if not key:
                continue
            if text is None:
                text = texts(i)
            names = {n for n in [name_col[r] or ""] + list(local_entities.decoded("aliases", r) or []) if len(n) > 2}
            weight = 1.0 + 0.5 * min(sum(text.count(n) for n in names), 10) + (3.0 if any(n in title for n in names) else 0.0)
            doc = out[art["id"]]
            doc[key] = max(doc.get(key, 0.0), weight)
    return out


class _Ticker:
    """Calls ``progress(phase, done, total)`` about every 1% of ``total`` (and at the end)."""

    def __init__(self, progress: Callable[[str, int, int | None], None] | None, phase: str, total: int):
        self.progress, self.phase, self.total = progress, phase, total
        self.step, self.next = max(1, total // 100), 0
        if progress and not total:
            progress(phase, 0, 0)

    def __call__(self, done: int) -> None:
        if self.progress and (done >= self.next or done + 1 == self.total):
            self.next = done + self.step
            self.progress(self.phase, done + 1 if done + 1 == self.total else done, self.total)


def _build_docs(articles: Sequence[dict[str, Any]], ents: dict[str, dict[str, float]], texts: _Texts, *,
                top_terms: int = 40, n_keys: int = 16,
                minhash: _MinHashIndex | None = None,
                progress: Callable[[str, int, int | None], None] | None = None) -> tuple[list[_Doc], _Features, _Keys]:
    """Docs with their term vectors, and each article's fingerprint keys (rare words seen in at
    least one other article, then entity names), as integers."""
    df_count: Counter[str] = Counter()
    tick = _Ticker(progress, "link: read articles", len(articles))
    for i, art in enumerate(articles):
        tick(i)
        body = tokens(texts(i))
        df_count.update(set(_content(tokens(art.get("title") or "")) + _content(body)))
        if minhash is not None:  # one tokenisation serves both
            minhash.add(i, body)
    terms = sorted(df_count)
    df = [df_count[t] for t in terms]
    del df_count
    feats = _Features(terms, df, len(articles), texts)
    vocab, idf = feats.vocab or {}, feats.idf.tolist()
    n_terms = len(terms)
    ent_ids: dict[str, int] = {}
    ptr, ids, weights = array("q", [0]), array("i"), array("d")
    keys = _Keys()
    docs = []
    tick = _Ticker(progress, "link: article features", len(articles))
    for i, art in enumerate(articles):
        tick(i)
        tf = Counter(map(vocab.__getitem__, _content(tokens(art.get("title") or "")) + _content(tokens(texts(i)))))
        top = sorted([(t, (1 + math.log(c)) * idf[t]) for t, c in tf.items()], key=lambda kv: (-kv[1], kv[0]))[:top_terms]
        norm = math.sqrt(sum([w * w for _, w in top])) or 1.0
        ids.extend([t for t, _ in top])
        weights.extend([w / norm for _, w in top])
        ptr.append(len(ids))
        rare = sorted((t for t in tf if df[t] >= 2), key=lambda t: (df[t], t))[:n_keys]
        doc_ents = ents.get(art["id"]) or _NO_ENTS
        keys.add(rare + [n_terms + ent_ids.setdefault(e, len(ent_ids)) for e in sorted(doc_ents)])
        docs.append(_Doc(idx=i, id=art["id"], outlet=art.get("outlet"), title=art.get("title"),
                         date=_date(art.get("published")), published=art.get("published"), feats=feats,
                         ents=doc_ents))
    feats.ptr = np.frombuffer(ptr, dtype=np.int64)
    feats.ids = np.frombuffer(ids, dtype=np.int32)
    feats.weights = np.frombuffer(weights, dtype=np.float64)
    del vocab, idf, terms
    feats.drop_strings()
    return docs, feats, keys


def _cos(a: Mapping[Any, float], b: Mapping[Any, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _order_key(d: _Doc) -> tuple[str, str]:
    return (d.date.isoformat() if d.date else "9999", d.id)


# -- candidate generation ------------------------------------------------------------------------

_TOKEN_HASHES: dict[str, int] = {}


def _token_hashes(toks: Sequence[str]) -> np.ndarray:
    cache = _TOKEN_HASHES
    if len(cache) > 200_000:  # bounded memory on huge vocabularies
        cache.clear()
    out = []
    for t in toks:
        h = cache.get(t)
        if h is None:
            h = cache[t] = zlib.crc32(t.encode("utf-8"))
        out.append(h)
    return np.array(out, dtype=np.uint64)


def _shingle_seq(text: str, k: int) -> np.ndarray:
    """32-bit hashes of the k-word shingles of a text, in text order (stable across runs)."""
    return _shingle_seq_from_tokens(tokens(text), k)


def _shingle_seq_from_tokens(toks: Sequence[str], k: int) -> np.ndarray:
    th = _token_hashes(toks)
    if not len(th):
        return th
    k = min(k, len(th))
    n = len(th) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    mask = np.uint64(0xFFFFFFFF)
    for j in range(k):
        x = th[j:j + n]
        r = (7 * j) % 32
        h ^= ((x << np.uint64(r)) | (x >> np.uint64(32 - r))) & mask if r else x
    return h


def _shingles(text: str, k: int) -> np.ndarray:
    """Sorted unique shingle hashes of a text."""
    return np.unique(_shingle_seq(text, k))


def _longest_shared_run(seq_a: np.ndarray, set_b: np.ndarray, k: int) -> int:
    """Words in the longest stretch of ``a`` whose every k-word shingle also occurs in ``b``."""
    if not len(seq_a) or not len(set_b):
        return 0
    hit = np.isin(seq_a, set_b).astype(np.int8)
    if not hit.any():
        return 0
    edges = np.diff(np.concatenate(([0], hit, [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int((ends - starts).max()) + k - 1


def _identity(x: Any) -> Any:
    return x


class _MinHashIndex:
    """MinHash LSH over k-word shingles: datasketch MinHash signatures, banded as datasketch's
    ``MinHashLSH`` would for ``settings.link_threshold`` (its optimal bands x rows), but the band
    keys are kept as one numpy array and matched by sorting at the end: a few bytes per article
    and band instead of Python objects (the LSH tables were the largest structure at 100k)."""

    def __init__(self, settings: Settings, *, bucket_cap: int = 100):
        from datasketch import MinHash
        from datasketch.lsh import _optimal_param

        self._minhash = MinHash
        self.k, self.num_perm = settings.shingle_words, settings.minhash_perm
        self.bands, self.rows = _optimal_param(settings.link_threshold, settings.minhash_perm, 0.5, 0.5)
        self.perms = MinHash(num_perm=settings.minhash_perm, seed=1).permutations
        rng = np.random.default_rng(7)
        self.mult = rng.integers(1, 2**63, size=self.rows, dtype=np.uint64) | np.uint64(1)
        self.bucket_cap = bucket_cap  # a band value shared by more articles is boilerplate
        self.ids = array("q")  # article index of each signature
        self.keys = array("Q")  # its band keys, ``bands`` per article, packed

    def add(self, idx: int, toks: Sequence[str]) -> None:
        sh = np.unique(_shingle_seq_from_tokens(toks, self.k))
        if not len(sh):
            return
        mh = self._minhash(num_perm=self.num_perm, seed=1, hashfunc=_identity, permutations=self.perms,
                           scheme="affine32")
        mh.update_batch(sh)
        bands = mh.hashvalues[: self.bands * self.rows].astype(np.uint64).reshape(self.bands, self.rows)
        self.ids.append(idx)
        self.keys.frombytes((bands * self.mult).sum(axis=1).tobytes())  # wraps modulo 2**64: fine for a hash

    def pair_codes(self, n: int) -> np.ndarray:
        """Article pairs that share at least one band (candidate lexical copies), as sorted unique
        ``i * n + j`` codes (i < j): 8 bytes a pair, not a tuple in a set."""
        out = np.zeros(0, dtype=np.int64)
        if len(self.ids) < 2:
            return out
        ids = np.frombuffer(self.ids, dtype=np.int64)
        table = np.frombuffer(self.keys, dtype=np.uint64).reshape(len(ids), self.bands)
        for band in range(self.bands):
            col = table[:, band]
            order = np.argsort(col, kind="stable")
            vals = col[order]
            starts = np.concatenate(([0], np.flatnonzero(np.diff(vals)) + 1))
            lens = np.diff(np.append(starts, len(vals)))
            keep = (lens >= 2) & (lens <= self.bucket_cap)
            parts = []
            for s, m in zip(starts[keep].tolist(), lens[keep].tolist()):
                members = np.sort(ids[order[s:s + m]])
                x, y = np.triu_indices(m, 1)
                parts.append(members[x] * n + members[y])
            if parts:
                out = np.union1d(out, np.concatenate(parts))
        return out


class _Keys:
    """Integer keys of each item, packed in two arrays (values, offsets): no Python object per key."""

    def __init__(self, rows: Iterable[Iterable[int]] = ()):
        self.ptr, self.vals = array("q", [0]), array("i")
        for row in rows:
            self.add(row)

    def add(self, keys: Iterable[int]) -> None:
        self.vals.extend(keys)
        self.ptr.append(len(self.vals))

    def __len__(self) -> int:
        return len(self.ptr) - 1


def _shared_key_pairs(keys: _Keys, *, cap: int) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """For each item ``i`` (ascending): the items ``j > i`` (ascending) sharing keys whose posting
    lists hold 2 to ``cap`` items, and how many such keys each shares. Each item's keys must be
    distinct. Postings are one sorted array and pairs are counted one item at a time: a Counter
    over all pairs held a million tuples at 10k articles (issue #5)."""
    vals = np.frombuffer(keys.vals, dtype=np.int32)
    ptr = np.frombuffer(keys.ptr, dtype=np.int64)
    if not len(vals):
        return
    order = np.argsort(vals, kind="stable")  # stable: items ascending within each key
    post = np.repeat(np.arange(len(ptr) - 1, dtype=np.int32), np.diff(ptr))[order]
    ukeys, starts, counts = np.unique(vals[order], return_index=True, return_counts=True)
    del order
    usable = (counts >= 2) & (counts <= cap)  # a key shared by too many items says nothing
    for i in range(len(ptr) - 1):
        lo, hi = int(ptr[i]), int(ptr[i + 1])
        if lo == hi:
            continue
        pos = np.searchsorted(ukeys, vals[lo:hi])
        pos = pos[usable[pos]]
        if not len(pos):
            continue
        partners = np.concatenate([post[a:a + n] for a, n in zip(starts[pos].tolist(), counts[pos].tolist())])
        partners = partners[partners > i]
        if len(partners):
            js, ns = np.unique(partners, return_counts=True)
            yield i, js, ns


def _fingerprint_codes(keys: _Keys, *, cap: int = 40, min_shared: int = 4) -> np.ndarray:
    """Pairs of articles (by position in ``keys``) sharing at least ``min_shared`` fingerprint
    keys, as sorted ``i * n + j`` codes."""
    n = len(keys)
    parts = [i * n + js[ns >= min_shared].astype(np.int64) for i, js, ns in _shared_key_pairs(keys, cap=cap)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _fingerprint_candidates(keys: _Keys | Sequence[Sequence[int]], *, cap: int = 40,
                            min_shared: int = 4) -> set[tuple[int, int]]:
    """Pairs of articles (by position in ``keys``) sharing at least ``min_shared`` fingerprint keys."""
    keys = keys if isinstance(keys, _Keys) else _Keys(keys)
    return set(_decode_pairs(_fingerprint_codes(keys, cap=cap, min_shared=min_shared), len(keys)))


# -- sentence alignment and pair classification ---------------------------------------------------

def _sent_features(text: str, idf: Mapping[str, float] | _Features) -> list[tuple[str, dict[str, float], list[str]]]:
    sents = []
    for s in _sentences(text):
        toks = tokens(s)
        cont = _content(toks)
        if len(cont) >= 3:
            sents.append((s, toks, cont))
    if isinstance(idf, _Features):  # one batched lookup for the article's words
        idf = idf.idf_of({t for _, _, cont in sents for t in cont})
    out = []
    for s, toks, cont in sents:
        # figures are strong evidence that two sentences report the same thing
        # words in text order, not set order: float sums over them (alignment scores) must not
        # depend on the string hash seed, or ties between equal sentences break differently per run
        w = {t: idf.get(t, 8.0) * (2.0 if _NUM_RE.match(t) else 1.0) for t in dict.fromkeys(cont)}
        nums = [t for t in toks if _NUM_RE.match(t)]
        out.append((s, w, nums))
    return out


def align_sentences(a_text: str, b_text: str, *, idf: dict[str, float] | None = None,
                    threshold: float = 0.45) -> list[dict[str, Any]]:
    """Align the sentences of two articles by weighted content-word overlap (one-to-one, greedy).

    Args:
        a_text: the first article's text.
        b_text: the second article's text.
        idf: inverse document frequencies of stemmed content words (default: all words weigh 8).
        threshold: minimum weighted Dice similarity for a pair.
    Returns:
        ``{"a", "b", "similarity", "ia", "ib"}`` dicts in the order of ``a``'s sentences.

    >>> pairs = align_sentences("The minister resigned on Monday. Rain fell.",
    ...                         "On Monday the minister resigned. Sun shone all day.")
    >>> [(p["a"], p["b"]) for p in pairs]
    [('The minister resigned on Monday.', 'On Monday the minister resigned.')]
    """
    idf = idf or {}
    sa, sb = _sent_features(a_text, idf), _sent_features(b_text, idf)
    return _align(sa, sb, threshold)


def _align(sa: list, sb: list, threshold: float) -> list[dict[str, Any]]:
    index: dict[str, list[int]] = defaultdict(list)
    for j, (_, w, _) in enumerate(sb):
        for t in w:
            index[t].append(j)
    scored = []
    weak: dict[tuple[int, int], float] = {}
    totals_b = [sum(w.values()) for _, w, _ in sb]
    for i, (_, wa, _) in enumerate(sa):
        overlap: dict[int, float] = defaultdict(float)
        for t, x in wa.items():
            for j in index.get(t, ()):
                overlap[j] += x
        tot_a = sum(wa.values())
        for j, ov in overlap.items():
            sim = 2 * ov / (tot_a + totals_b[j])
            if sim >= threshold:
                scored.append((-sim, i, j))
            elif sim >= threshold / 2:
                weak[(i, j)] = sim
    scored.sort()
    match: dict[int, tuple[int, float]] = {}
    used_b: set[int] = set()
    for neg, i, j in scored:
        if i in match or j in used_b:
            continue
        match[i] = (j, -neg)
        used_b.add(j)
    # gap filling: a weaker pair counts when it sits between aligned neighbours on both sides
    # (or next to one at an edge), as in sentence alignment of translations
    for (i, j), sim in sorted(weak.items(), key=lambda kv: (-kv[1], kv[0])):
        if i in match or j in used_b:
            continue
        before = match.get(i - 1, (None,))[0] == j - 1 if i > 0 and j > 0 else True
        after = match.get(i + 1, (None,))[0] == j + 1 if i + 1 < len(sa) and j + 1 < len(sb) else True
        if before and after and (i - 1 in match or i + 1 in match):
            match[i] = (j, sim)
            used_b.add(j)
    return [dict(a=sa[i][0], b=sb[j][0], similarity=round(sim, 3), ia=i, ib=j)
            for i, (j, sim) in sorted(match.items())]


def _monotone_fraction(pairs: list[dict[str, Any]]) -> float:
    # share of aligned pairs in the longest increasing run of b positions (same order of content)
    seq = [p["ib"] for p in pairs]
    if len(seq) < 2:
        return 1.0
    tails: list[int] = []
    for x in seq:
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(tails) / len(seq)


class _FeatureCache:
    """Shingles and sentence features of recently compared articles (pairs come sorted, so one
    article meets many partners in a row); bounded so memory stays flat on large corpora."""

    def __init__(self, idf: Any, k: int, size: int = 2048):
        self.idf, self.k, self.size = idf, k, size
        self.data: dict[int, tuple[np.ndarray, np.ndarray, list]] = {}

    def get(self, d: _Doc) -> tuple[np.ndarray, np.ndarray, list]:
        hit = self.data.pop(d.idx, None)
        if hit is None:
            text = d.text
            seq = _shingle_seq(text, self.k)
            hit = (seq, np.unique(seq), _sent_features(text, self.idf))
            if len(self.data) >= self.size:
                del self.data[next(iter(self.data))]  # least recently used
        self.data[d.idx] = hit
        return hit


_KINDS = (None, "duplicate", "rewrite", "derived", "same-story")
_KIND_CODE = {k: c for c, k in enumerate(_KINDS)}


class _Spill:
    """Evidence lists, JSON compressed, in an unnamed temporary file (gone when closed)."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="newstrace-link-")
        self.fd, self.end = self.file.fileno(), 0

    def put(self, evidence: list[dict[str, Any]]) -> tuple[int, int]:
        data = zlib.compress(json.dumps(evidence, separators=(",", ":")).encode(), 1)
        os.pwrite(self.fd, data, self.end)
        self.end += len(data)
        return self.end - len(data), len(data)

    def get(self, where: tuple[int, int]) -> list[dict[str, Any]]:
        off, n = where
        return json.loads(zlib.decompress(os.pread(self.fd, n, off)))


def _swap_sides(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(e, a=e["b"], b=e["a"]) if "a" in e and "b" in e else e for e in evidence]


class _LinkTable(Indexed):
    """Links (or candidate pairs with their verdicts) as packed arrays of doc indices, kind codes
    and scores, their evidence in a :class:`_Spill`; a :class:`Link` is made when one is read, so
    millions of links take tens of bytes each (issue #5)."""

    def __init__(self, ids: Sequence[str], spill: _Spill):
        self.ids, self.spill = ids, spill
        self.a, self.b, self.kind = array("i"), array("i"), array("b")
        self.score, self.off, self.len, self.swap = array("d"), array("q"), array("q"), array("b")

    def add(self, a: int, b: int, kind: str | None, score: float, where: tuple[int, int], *, swap: bool = False) -> None:
        self.a.append(a)
        self.b.append(b)
        self.kind.append(_KIND_CODE[kind])
        self.score.append(score)
        self.off.append(where[0])
        self.len.append(where[1])
        self.swap.append(swap)

    def where(self, k: int) -> tuple[int, int]:
        return self.off[k], self.len[k]

    def evidence(self, k: int) -> list[dict[str, Any]]:
        ev = self.spill.get(self.where(k))
        return _swap_sides(ev) if self.swap[k] else ev

    def pair_codes(self) -> np.ndarray:
        """Sorted ``min * n + max`` codes of the pairs held (n = number of docs)."""
        a, b = np.frombuffer(self.a, dtype=np.int32).astype(np.int64), np.frombuffer(self.b, dtype=np.int32).astype(np.int64)
        return np.sort(np.minimum(a, b) * len(self.ids) + np.maximum(a, b)) if len(a) else np.zeros(0, dtype=np.int64)

    def sort(self) -> None:
        """Order by (a id, b id): doc indices follow article id order."""
        if not len(self.a):
            return
        order = np.lexsort((np.frombuffer(self.b, dtype=np.int32), np.frombuffer(self.a, dtype=np.int32)))
        for name in ("a", "b", "kind", "score", "off", "len", "swap"):
            col = getattr(self, name)
            setattr(self, name, array(col.typecode, np.frombuffer(col, dtype=_NP_TYPE[col.typecode])[order].tobytes()))

    def __len__(self) -> int:
        return len(self.a)

    def _item(self, k: int) -> Link:
        return Link(a=self.ids[self.a[k]], b=self.ids[self.b[k]], kind=_KINDS[self.kind[k]],  # type: ignore[arg-type]
                    score=self.score[k], evidence=self.evidence(k))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return repr(list(self))


_NP_TYPE = {"i": np.int32, "b": np.int8, "d": np.float64, "q": np.int64}


def _in_sorted(arr: np.ndarray, value: int) -> bool:
    k = int(np.searchsorted(arr, value))
    return k < len(arr) and int(arr[k]) == value


def _pair_codes(pairs: Iterable[tuple[int, int]], n: int) -> np.ndarray:
    """``i * n + j`` for pairs i < j, as an int64 array."""
    return np.fromiter((i * n + j for i, j in pairs), dtype=np.int64)


def _by_component(codes: np.ndarray, n: int) -> np.ndarray:
    """Pair codes reordered so that the pairs among one connected group of articles come
    together. The feature cache holds 2,048 articles: in plain code order the copies of one
    article lie scattered over the whole corpus, and each pair recomputed its partner's features
    (~2 ms a pair on a corpus of 45 copies of every article)."""
    from .entities import _UF  # the union-find entity merging uses

    if not len(codes):
        return codes
    uf = _UF(n)
    for i, j in _decode_pairs(codes, n):
        uf.union(i, j)
    roots = np.fromiter((uf.find(x) for x in range(n)), dtype=np.int64, count=n)
    del uf
    first = codes // n
    return codes[np.lexsort((codes, roots[first]))]  # by group, then as before within it


def _decode_pairs(codes: np.ndarray, n: int) -> Iterator[tuple[int, int]]:
    for lo in range(0, len(codes), 65536):  # chunks: a list of every code would be ~36 bytes each
        for c in codes[lo:lo + 65536].tolist():
            yield divmod(c, n)


@dataclass
class _PairInfo:
    kind: str | None
    score: float
    evidence: list[dict[str, Any]]


def _classify_pair(da: _Doc, db: _Doc, idf: Any, settings: Settings,
                   quote_index: dict[str, list[dict[str, Any]]],
                   shared_quotes: list[tuple[int, str]] | None = None,
                   cache: _FeatureCache | None = None) -> _PairInfo:
    """Decide duplicate / rewrite / derived (or nothing) for one candidate pair."""
    k = settings.shingle_words
    cache = cache if cache is not None else _FeatureCache(idf, k)
    seq_a, sh_a, sa = cache.get(da)
    _, sh_b, sb = cache.get(db)
    inter = len(np.intersect1d(sh_a, sh_b, assume_unique=True))
    jacc = inter / max(len(sh_a) + len(sh_b) - inter, 1)
    contain = inter / max(min(len(sh_a), len(sh_b)), 1)
    pairs = _align(sa, sb, 0.45)
    cov_a = len(pairs) / max(len(sa), 1)
    cov_b = len(pairs) / max(len(sb), 1)
    # coverage of the article with fewer sentences, and of the other one
    cov_max, cov_min = (cov_a, cov_b) if len(sa) <= len(sb) else (cov_b, cov_a)
    mono = _monotone_fraction(pairs)
    strong = [p for p in pairs if p["similarity"] >= 0.85]
    evidence = [dict(a=p["a"], b=p["b"], similarity=p["similarity"]) for p in pairs[:12]]
    mean_sim = sum(p["similarity"] for p in pairs) / len(pairs) if pairs else 0.0
    if jacc >= 0.5 or (contain >= 0.8 and cov_max >= 0.6):
        return _PairInfo("duplicate", round(max(jacc, contain), 3), evidence)
    # the same reporting in other words: most sentences of both align, in the same order
    # (an update re-uses sentences word for word; a rewrite changes nearly every one)
    identical = sum(1 for p in pairs if p["similarity"] >= 0.8 and _near_identical(p["a"], p["b"]))
    if cov_max >= 0.8 and cov_min >= 0.6 and mono >= 0.7 and len(pairs) >= 3 and identical < 0.5 * len(pairs):
        return _PairInfo("rewrite", round(mean_sim * cov_max, 3), evidence)
    # one carries a long stretch of the other: many aligned sentences, or a long verbatim run,
    # or block quotes credited to the other's outlet
    run = 0
    if inter:
        run = _longest_shared_run(seq_a, sh_b, k)
    via_hit = _via_evidence(da, db, quote_index)
    # the same set of quotes re-reported at length (through one source, or one from the other)
    shared_quotes = shared_quotes or []
    quote_words = sum(n for n, _ in shared_quotes)
    many_quotes = len(shared_quotes) >= 2 and quote_words >= 40
    n_short = min(len(sa), len(sb))
    reused = len(strong) >= 3 and (len(strong) >= 0.2 * n_short or len(strong) >= 5)
    retold = cov_max >= 0.5 and len(pairs) >= 4 and mean_sim >= 0.6
    if reused or retold or run >= 40 or (via_hit and len(pairs) >= 1) or many_quotes:
        ev = evidence + ([dict(verbatim_words=run)] if run >= 40 else []) + via_hit
        ev += [dict(shared_quote=text[:200]) for _, text in shared_quotes[:5]]
        score = round(min(1.0, 0.5 * cov_max + 0.5 * mean_sim), 3)
        return _PairInfo("derived", score, ev)
    return _PairInfo(None, round(mean_sim * cov_max, 3), evidence)


_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]?")


def _near_identical(a: str, b: str) -> bool:
    """Same reporting words (quoted words set aside: a rewrite keeps its quotes too)."""
    ta, tb = tokens(_QUOTED.sub(" ", a)), tokens(_QUOTED.sub(" ", b))
    if len(ta) < 5 and len(tb) < 5:
        return False
    return difflib.SequenceMatcher(a=ta, b=tb, autojunk=False).ratio() >= 0.9


def _via_evidence(da: _Doc, db: _Doc, quote_index: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    out = []
    for src, dst in ((da, db), (db, da)):
        if not src.outlet:
            continue
        name = " ".join(tokens(src.outlet))
        for q in quote_index.get(dst.id, ()):
            if q.get("via") and " ".join(tokens(q["via"])) == name:
                out.append(dict(via=q["via"], quote=(q.get("text") or "")[:200]))
    return out[:5]


# -- stories -------------------------------------------------------------------------------------

@dataclass(eq=False, slots=True)
class _Story:
    id: str
    members: list[int]
    ents: Counter | None  # entity key -> summed prominence; None until a member names one
    start: _dt.date | None
    end: _dt.date | None
    first: _Doc | None = None  # a one-article story's centroid is its article's vector
    cids: np.ndarray | None = None  # else the centroid packed: term ids (heaviest first), weights
    cws: np.ndarray | None = None

    @property
    def centroid(self) -> dict[int, float]:
        """Term id -> weight (L2-normalised, heaviest first); a fresh dict."""
        if self.cids is not None and self.cws is not None:
            return dict(zip(self.cids.tolist(), self.cws.tolist()))
        return self.first.vec if self.first is not None else {}


def _add_ents(st: _Story, d: _Doc) -> None:
    if d.ents:
        if st.ents is None:
            st.ents = Counter()
        st.ents.update(d.ents)


def _add_to_centroid(st: _Story, d: _Doc, vec: dict[int, float] | None = None, max_terms: int = 80) -> None:
    n = len(st.members)
    if n == 1:
        st.first = d  # not copied: most stories have one article
        _add_ents(st, d)
        st.start = st.end = d.date
        return
    merged: dict[int, float] = defaultdict(float)
    for t, w in st.centroid.items():
        merged[t] += w * (n - 1) / n
    for t, w in (vec if vec is not None else d.vec).items():
        merged[t] += w / n
    top = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:max_terms]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    st.first = None
    st.cids = np.array([t for t, _ in top], dtype=np.int32)
    st.cws = np.array([w / norm for _, w in top], dtype=np.float64)
    _add_ents(st, d)
    if d.date:
        st.start = min(st.start, d.date) if st.start else d.date
        st.end = max(st.end, d.date) if st.end else d.date


def _cluster_stories(docs: Sequence[_Doc], existing: Sequence[dict[str, Any]], settings: Settings,
                     forced: dict[int, int], related: dict[int, set[int]] | None = None, *,
                     threshold: float = 0.4, dated_threshold: float = 0.3, recent: int = 60,
                     query_terms: int = 15, max_candidates: int = 12) -> list[_Story]:
    related = related or {}
    by_id = {d.id: d for d in docs} if existing else {}
    stories: list[_Story] = []
    story_of = array("i", [-1]) * len(docs)  # doc index -> story number, -1 while unplaced
    window = _dt.timedelta(days=settings.story_window_days)
    # term id -> story numbers (most recent last), packed: a list of int objects took 36 bytes
    # an entry, and every article adds up to ``query_terms`` of them (issue #5)
    index: dict[int, array] = defaultdict(lambda: array("i"))

    def place(d: _Doc, s: int, vec: dict[int, float] | None = None) -> None:
        vec = vec if vec is not None else d.vec
        st = stories[s]
        st.members.append(d.idx)
        _add_to_centroid(st, d, vec)
        story_of[d.idx] = s
        for t in list(vec)[:query_terms]:
            post = index[t]
            if not post or post[-1] != s:
                post.append(s)
                if len(post) > 4 * recent:
                    del post[: len(post) - recent]

    for row in sorted(existing, key=lambda r: str(r.get("id"))):
        members = sorted((by_id[a] for a in (row.get("article_ids") or []) if a in by_id), key=_order_key)
        members = [m for m in members if story_of[m.idx] < 0]
        if not members:
            continue
        stories.append(_Story(id=str(row["id"]), members=[], ents=None, start=None, end=None))
        for m in members:
            place(m, len(stories) - 1)

    for d in sorted(docs, key=_order_key):
        if story_of[d.idx] >= 0:
            continue
        best, best_sim = None, -1.0
        # stories of recent articles sharing the article's top terms, best-scoring few only
        votes: dict[int, float] = defaultdict(float)
        vec = d.vec
        for t in list(vec)[:query_terms]:
            w = vec[t]
            for s in index.get(t, ())[-recent:]:
                votes[s] += w
        cands = set(sorted(votes, key=lambda s: (-votes[s], s))[:max_candidates])
        if d.idx in forced and story_of[forced[d.idx]] >= 0:
            cands.add(story_of[forced[d.idx]])
        for p in related.get(d.idx, ()):
            if story_of[p] >= 0:
                cands.add(story_of[p])
        for s in sorted(cands):
            st = stories[s]
            dated = bool(d.date and st.start and st.end)
            if dated and not (st.start - window <= d.date <= st.end + window):
                continue
            sim = _cos(vec, st.centroid)
            if d.ents and st.ents:
                shared = sum(1 for e in d.ents if e in st.ents)
                sim += 0.05 * min(shared, 3)
            if d.idx in forced and story_of[forced[d.idx]] == s:
                sim += 1.0
            if any(story_of[p] == s for p in related.get(d.idx, ())):
                sim += 0.1  # shares passages or quotes with a member
            # being published within the window is evidence too, so dated articles need less text
            margin = sim - (dated_threshold if dated else threshold)
            if margin > best_sim:
                best, best_sim = s, margin
        if best is not None and best_sim >= 0:
            place(d, best, vec)
        else:
            stories.append(_Story(id=_hid("story", d.id), members=[], ents=None, start=None, end=None))
            place(d, len(stories) - 1, vec)
    return stories


def _story_label(st: _Story, docs: Sequence[_Doc], ent_display: dict[str, str], feats: _Features) -> str:
    """Key entities, then the event words: the story's heaviest terms as written in its headlines."""
    ranked_ents = [e for e, _ in sorted((st.ents or {}).items(), key=lambda kv: (-kv[1], kv[0]))]
    names = [ent_display.get(e, e) for e in ranked_ents[:2]]
    ent_words = {_stem(w) for e in ranked_ents[:8] for w in tokens(ent_display.get(e, e))}
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for m in st.members[:20]:
        d = docs[m]
        for t in tokens((d.title or "") + " " + d.text[:400]):
            forms[_stem(t)][t] += 1
    centroid = st.centroid
    written = {i: w for w, i in feats.term_ids(forms).items()}  # centroid terms seen in the headlines
    by_weight = (written[t] for t in sorted(centroid, key=lambda t: (-centroid[t], t)) if t in written)
    ranked = [t for t in by_weight if t not in ent_words and not _NUM_RE.match(t)][:4]
    words = [sorted(forms[t].items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for t in ranked]
    if names:
        return ", ".join(names) + (": " + " ".join(words) if words else "")
    return " ".join(words) or "(untitled)"


def _shared_evidence(a: _Doc, b: _Doc, ent_display: dict[str, str]) -> list[dict[str, Any]]:
    ev = []
    shared = sorted(a.ents.keys() & b.ents.keys())
    if shared:
        ev.append(dict(shared_entities=", ".join(ent_display.get(e, e) for e in shared[:8])))
    va, vb = a.vec, b.vec
    terms = sorted((t for t in va if t in vb), key=lambda t: (-va[t] * vb[t], t))[:8]  # ids sort as strings
    if terms:
        # each term as first written in ``a`` (every term of its vector is one of its words)
        toks = tokens((a.title or "") + " " + a.text)
        stems = [_stem(tok) for tok in toks]
        ids = a.feats.term_ids(set(stems))
        wanted, forms = set(terms), {}
        for tok, st in zip(toks, stems):
            i = ids.get(st)
            if i in wanted and i not in forms:
                forms[i] = tok
                if len(forms) == len(terms):
                    break
        ev.append(dict(shared_terms=", ".join(forms[t] for t in terms if t in forms)))
    return ev


def _story_neighbour_links(stories: Sequence[_Story], docs: Sequence[_Doc], links: _LinkTable,
                           ent_display: dict[str, str], *, window: int = 30, per_article: int = 2,
                           min_sim: float = 0.2) -> None:
    """same-story links inside each story, added to ``links``: every article to its most similar
    earlier members (at most ``per_article``, looked for among the ``window`` members before it:
    linear, not all pairs)."""
    seen = links.pair_codes()
    added: set[int] = set()
    n = len(docs)
    for st in stories:
        members = sorted((docs[m] for m in st.members), key=_order_key)
        vecs = [m.vec for m in members]
        for x, b in enumerate(members):
            near = [(round(_cos(vecs[y], vecs[x]), 3), members[y]) for y in range(max(0, x - window), x)]
            near = sorted((p for p in near if p[0] >= min_sim), key=lambda p: (-p[0], p[1].id))[:per_article]
            for sim, a in near:
                code = min(a.idx, b.idx) * n + max(a.idx, b.idx)
                if code in added or _in_sorted(seen, code):
                    continue
                added.add(code)
                links.add(a.idx, b.idx, "same-story", sim, links.spill.put(_shared_evidence(a, b, ent_display)))


# -- quote groups --------------------------------------------------------------------------------

_NEG = {"not", "no", "never", "n't", "none", "nobody", "nothing", "neither", "nor", "without", "cannot"}
_CAP_RE = re.compile(r"\b[A-Z][a-zA-Z'\-]+")


def _negations(text: str) -> int:
    toks = tokens(text)
    return sum(1 for t in toks if t in _NEG or t.endswith("n't"))


def _names(text: str) -> set[str]:
    # capitalised words that are not the first word of a sentence
    out = set()
    for m in _CAP_RE.finditer(_norm(text)):
        before = text[:m.start()].rstrip()
        if not before or before[-1] in ".!?\"'“‘:—-(":
            continue
        w = m.group(0).lower()
        if w in STOP or w in ("i", "i'm", "i've", "i'll", "i'd"):
            continue
        out.add(w)
    return out


def _numbers(text: str) -> list[str]:
    return [t.replace(",", "") for t in tokens(text) if _NUM_RE.match(t)]


def quote_drift(reference: str, variant: str) -> dict[str, Any]:
    """Meaning-changing differences of a quote variant against its reference wording.

    Args:
        reference: the reference wording.
        variant: another article's wording of the same utterance.
    Returns:
        ``{"drift": bool, "figures": [...], "names": [...], "negation": str|None,
        "statute": str|None, "diff": [...]}``; ``figures`` lists number changes as "old -> new",
        ``diff`` the word-level edit as ``{"op": "eq"|"del"|"ins", "text"}`` pieces.

    >>> d = quote_drift("not subject to a Title 8 USC 1326 case", "not the subject of a USC 826 Title 8 case")
    >>> d["drift"], d["figures"], d["statute"]
    (True, ['1326 -> 826'], 'title 8 usc 1326 -> usc 826 title 8')
    """
    diff = _word_diff(reference, variant)
    reference = _crop_to_variant(reference, variant)
    na, nb = Counter(_numbers(reference)), Counter(_numbers(variant))
    gone = sorted((na - nb).elements(), key=lambda x: reference.find(x))
    new = sorted((nb - na).elements(), key=lambda x: variant.find(x))
    figures = []
    for i in range(max(len(gone), len(new))):
        old = gone[i] if i < len(gone) else "(none)"
        nw = new[i] if i < len(new) else "(none)"
        figures.append(f"{old} -> {nw}")
    ca, cb = _names(reference), _names(variant)
    # a name counts as changed only when it is missing from the other wording altogether
    ta, tb = set(tokens(reference)), set(tokens(variant))
    names = sorted([f"-{n}" for n in ca if n not in tb] + [f"+{n}" for n in cb if n not in ta])
    neg_a, neg_b = _negations(reference), _negations(variant)
    negation = None
    if (neg_a % 2) != (neg_b % 2):
        negation = f"{neg_a} -> {neg_b} negations"
    ka, kb = _statute_key(reference), _statute_key(variant)
    statute = f"{ka or '(none)'} -> {kb or '(none)'}" if ka != kb else None
    drift = bool(figures or names or negation or statute)
    return dict(drift=drift, figures=figures, names=names, negation=negation, statute=statute, diff=diff)


def _crop_to_variant(reference: str, variant: str) -> str:
    """The part of a longer reference that the (shorter) variant covers, so a trimmed quote is
    compared with the words it trims to, not with sentences it never carried."""
    a, b = re.findall(r"\S+", _norm(reference)), re.findall(r"\S+", _norm(variant))
    if len(b) >= 0.8 * len(a):
        return reference
    na = [re.sub(r"[\W_]+", "", t.lower()) for t in a]
    nb = [re.sub(r"[\W_]+", "", t.lower()) for t in b]
    blocks = [m for m in difflib.SequenceMatcher(a=na, b=nb, autojunk=False).get_matching_blocks() if m.size]
    if not blocks:
        return reference
    first, last = blocks[0], blocks[-1]
    lo = max(0, first.a - first.b)  # extend by the variant's unmatched words on either side
    hi = min(len(a), last.a + last.size + (len(b) - last.b - last.size))
    return " ".join(a[lo:hi])


_STATUTE_WORDS = {"title", "usc", "section", "sec", "chapter", "cfr", "article", "paragraph", "subsection", "rule"}


def _statute_key(text: str) -> str:
    """The legal citation a text makes, in written order: statute words next to a number
    ("Title 8 USC 1326" -> "title 8 usc 1326"); empty when there is none."""
    toks = tokens(_norm(text).replace("§", " section ").replace("U.S.C.", "USC").replace("U.S.C", "USC"))
    keep: set[int] = set()
    for i, t in enumerate(toks):
        if t in _STATUTE_WORDS:
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(toks) and _NUM_RE.match(toks[j])]
            if near:
                keep.add(i)
                keep.update(near)
    return " ".join(toks[i] for i in sorted(keep))


def _word_diff(reference: str, variant: str) -> list[dict[str, str]]:
    a, b = re.findall(r"\S+", _norm(reference)), re.findall(r"\S+", _norm(variant))
    na = [re.sub(r"[\W_]+", "", t.lower()) for t in a]
    nb = [re.sub(r"[\W_]+", "", t.lower()) for t in b]
    sm = difflib.SequenceMatcher(a=na, b=nb, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(dict(op="eq", text=" ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(dict(op="del", text=" ".join(a[i1:i2])))
        if j2 > j1:
            out.append(dict(op="ins", text=" ".join(b[j1:j2])))
    return out


@dataclass(eq=False)
class _QFeat:
    toks: list[str]
    stems: list[str]
    content: set[str]
    joined: str


def _qfeat(text: str) -> _QFeat:
    toks = tokens(text)
    stems = [_stem(t) for t in toks]
    content = {st for t, st in zip(toks, stems) if t not in STOP and (len(t) > 2 or t.isdigit())}
    return _QFeat(toks, stems, content, " ".join(toks))


def _quote_similarity(a: str, b: str) -> float:
    """How likely two wordings are the same utterance.

    Args:
        a: one wording.
        b: another wording.
    Returns:
        1.0 for the same words, 0.97 when one trims the other, else a 0-1 blend of stemmed-word
        alignment, shared content words and character similarity (0 with < 2 content words shared).

    >>> _quote_similarity("I am 100 percent against it", "I am 100 percent against it, he said")
    0.97
    """
    return _qsim(_qfeat(a), _qfeat(b))


def _qsim(fa: _QFeat, fb: _QFeat) -> float:
    if not fa.toks or not fb.toks:
        return 0.0
    if fa.toks == fb.toks:
        return 1.0
    if len(fa.toks) == len(fb.toks):  # symmetric: score both ways
        return max(_directed_similarity(fa, fb), _directed_similarity(fb, fa))
    return _directed_similarity(*((fa, fb) if len(fa.toks) < len(fb.toks) else (fb, fa)))


def _directed_similarity(short: _QFeat, long_: _QFeat) -> float:
    if len(short.toks) >= 5 and f" {short.joined} " in f" {long_.joined} ":
        return 0.97  # trimmed
    cs, cl = short.content, long_.content
    shared = len(cs & cl)
    if shared < 2 or (len(cs) >= 4 and shared < 3):
        return 0.0  # too little content in common to be one utterance
    contain = shared / len(cs)
    sm = difflib.SequenceMatcher(a=short.stems, b=long_.stems, autojunk=False)
    cover = sum(m.size for m in sm.get_matching_blocks()) / len(short.toks)
    if len(long_.toks) > 1.5 * len(short.toks):
        chars = fuzz.partial_ratio(short.joined, long_.joined) / 100  # the shorter against its best window
    else:
        chars = fuzz.ratio(short.joined, long_.joined) / 100
    return round(0.4 * cover + 0.3 * contain + 0.3 * chars, 4)


def _group_quotes(quotes: Rows, docs_by_id: dict[str, _Doc], *, threshold: float = 0.72,
                  same_speaker_threshold: float = 0.6, cap: int = 40) -> tuple[list[QuoteGroup], dict[str, int]]:
    """Quote groups, and the row number in ``quotes`` of each grouped quote id."""
    text_col, aid_col, id_col = quotes.col("text"), quotes.col("article_id"), quotes.col("id")
    spk_col, par_col = quotes.col("speaker"), quotes.col("parent_id")
    # quotes nested in a block quote take part: they are the utterances an article re-reports
    # (a block and a quote nested in it never join one group, see below). Quotes are row numbers
    # into the columns, not row dicts (issue #5).
    usable_l = sorted((r for r in range(len(quotes)) if text_col[r] and aid_col[r] in docs_by_id),
                      key=lambda r: str(id_col[r]))
    # Word features are recomputed when needed (a small cache serves the sorted candidate pairs)
    # rather than held for every quote: they were ~2.5 KB a quote (issue #5).
    kept = array("q")
    ntoks = array("i")
    df_count: Counter[str] = Counter()
    # "noble mission" in two articles is one utterance only when the same speaker is credited
    short: dict[tuple[str, str], list[int]] = defaultdict(list)
    for q in usable_l:
        f = _qfeat(text_col[q])
        if len(f.toks) < 2:
            continue
        if len(f.toks) < 4 and spk_col[q]:
            short[(_canon(spk_col[q]), f.joined)].append(len(kept))
        kept.append(q)
        ntoks.append(len(f.toks))
        df_count.update(f.content)
    usable = kept
    del usable_l
    words = sorted(df_count)  # word ids follow string order, so ties break as they did on strings
    df = [df_count[t] for t in words]
    del df_count
    word_id = {t: k for k, t in enumerate(words)}
    cache: dict[int, _QFeat] = {}

    def feat(i: int) -> _QFeat:
        f = cache.pop(i, None)
        if f is None:
            f = _qfeat(text_col[usable[i]])
            if len(cache) >= 4096:
                del cache[next(iter(cache))]  # least recently used
        cache[i] = f
        return f

    keys = _Keys()
    nkeys = array("i")
    for i in range(len(usable)):
        if ntoks[i] < 4:  # short partial quotes only join exact repeats by the same speaker (below)
            keys.add(())
            nkeys.append(0)
            continue
        # the rarest words shared with at least one other quote (a word no other quote has
        # cannot make a candidate pair, and would crowd out the keys that can)
        ids = sorted((k for k in map(word_id.__getitem__, feat(i).content) if df[k] >= 2), key=lambda k: (df[k], k))[:8]
        keys.add(ids)
        nkeys.append(len(ids))
    del word_id, words, df
    parent = array("q", range(len(usable)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # candidate pairs share at least two of their rarest words (one when a quote has fewer keys)
    nk = np.frombuffer(nkeys, dtype=np.int32)
    matches: list[tuple[float, int, int, float]] = []
    for i, js, ns in _shared_key_pairs(keys, cap=cap):
        for j in js[ns >= np.minimum(np.minimum(nk[js], nk[i]), 2)].tolist():
            if aid_col[usable[i]] == aid_col[usable[j]]:
                continue
            s = _qsim(feat(i), feat(j))
            same_speaker = bool(spk_col[usable[i]]) and _canon(spk_col[usable[i]]) == _canon(spk_col[usable[j]])
            need = same_speaker_threshold if same_speaker else threshold
            if s >= need:
                matches.append((-s, i, j, need))
    del keys
    # join the best pairs first; two groups merge only when their longest wordings also match,
    # so one loose pair cannot chain unrelated quotes together
    longest = array("q", range(len(usable)))
    # quote ids and parent ids of each merged group (a lone quote's are read from its row)
    ids_of: dict[int, set[str]] = {}
    parents_of: dict[int, set[str]] = {}

    def ids(r: int) -> set[str]:
        return ids_of[r] if r in ids_of else {str(id_col[usable[r]])}

    def parents(r: int) -> set[str]:
        if r in parents_of:
            return parents_of[r]
        p = par_col[usable[r]]
        return {str(p)} if p else set()

    for _, i, j, need in sorted(matches):
        ri, rj = find(i), find(j)
        if ri == rj or ids(ri) & parents(rj) or ids(rj) & parents(ri):
            continue
        li, lj = longest[ri], longest[rj]
        if (li, lj) not in ((i, j), (j, i)) and \
                _qsim(feat(li), feat(lj)) < need - 0.1:
            continue
        parent[ri] = rj
        ids_i, parents_i = ids(ri), parents(ri)
        ids_of.pop(ri, None)
        parents_of.pop(ri, None)
        ids_of[rj] = ids(rj) | ids_i
        parents_of[rj] = parents(rj) | parents_i
        longest[rj] = max(li, lj, key=lambda x: (len(text_col[usable[x]]), -x))
    del matches, longest, ids_of, parents_of, cache
    for key in sorted(short):
        idxs = short[key]
        for i in idxs[1:]:
            parent[find(i)] = find(idxs[0])
    roots = np.fromiter((find(i) for i in range(len(usable))), dtype=np.int64, count=len(usable))
    del parent
    sizes = np.bincount(roots, minlength=len(usable)) if len(usable) else np.zeros(0, dtype=np.int64)
    members: dict[int, list[int]] = defaultdict(list)  # only groups of two quotes or more
    for i in np.flatnonzero(sizes[roots] >= 2).tolist():
        members[int(roots[i])].append(i)
    groups = []
    row_of: dict[str, int] = {}
    for idxs in members.values():
        arts = {aid_col[usable[i]] for i in idxs}
        if len(arts) < 2:
            continue
        qs = [quotes[usable[i]] for i in idxs]
        row_of.update((str(id_col[usable[i]]), usable[i]) for i in idxs)

        def when(q: dict[str, Any]) -> tuple[str, int, str]:
            d = docs_by_id[q["article_id"]]
            return (d.date.isoformat() if d.date else "9999", -len(q["text"]), str(q["id"]))

        qs.sort(key=when)
        ref = qs[0]
        if not docs_by_id[ref["article_id"]].date:
            ref = max(qs, key=lambda q: (len(q["text"]), str(q["id"])))  # no dates: the most complete
        diffs = []
        drift = False
        for q in qs:
            if q is ref:
                continue
            dr = quote_drift(ref["text"], q["text"])
            dr = dict(quote_id=q["id"], article_id=q["article_id"],
                      similarity=round(_quote_similarity(ref["text"], q["text"]), 3), **dr)
            # a trimmed quote (contained in the reference) drops words, not meaning
            trimmed = " ".join(tokens(q["text"])) in " ".join(tokens(ref["text"]))
            if trimmed:
                dr.update(drift=False, figures=[], names=[], negation=None, statute=None)
            drift = drift or dr["drift"]
            diffs.append(dr)
        speakers = Counter(q.get("speaker") for q in qs if q.get("speaker"))
        speaker = sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if speakers else None
        ids = [q["id"] for q in qs]
        groups.append(QuoteGroup(id=_hid("qg", *sorted(ids)), quote_ids=ids, variant=ref["text"],
                                 differences=diffs, speaker=speaker, first_article=qs[0]["article_id"],
                                 drift=drift))
    groups.sort(key=lambda g: g.id)
    return groups, row_of


class _RowsById(Mapping):
    """Row dicts of some rows of a :class:`Rows` by id, made when asked (not all held)."""

    def __init__(self, rows: Rows, row_of: dict[str, int]):
        self.rows, self.row_of = rows, row_of

    def __getitem__(self, key: str) -> dict[str, Any]:
        return self.rows[self.row_of[key]]

    def __contains__(self, key: object) -> bool:
        return key in self.row_of

    def __iter__(self) -> Iterator[str]:
        return iter(self.row_of)

    def __len__(self) -> int:
        return len(self.row_of)


def _quote_pairs(groups: Sequence[QuoteGroup], quotes_by_id: Mapping[str, dict[str, Any]],
                 docs_by_id: dict[str, _Doc], *, max_group_articles: int = 30) -> dict[tuple[int, int], list[tuple[int, str]]]:
    """Article pairs (by doc index) that carry the same quotes: (words, reference wording) per group."""
    out: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    for g in groups:
        arts = sorted({docs_by_id[quotes_by_id[q]["article_id"]].idx for q in g.quote_ids if q in quotes_by_id})
        if len(arts) > max_group_articles:  # a famous line quoted everywhere says little about two articles
            continue
        words = min(len(tokens(quotes_by_id[q]["text"])) for q in g.quote_ids if q in quotes_by_id)
        for x in range(len(arts)):
            for y in range(x + 1, len(arts)):
                out[(arts[x], arts[y])].append((words, g.variant))
    return out


# -- provenance, citations, figure conflicts ------------------------------------------------------

def _canon(name: str | None) -> str:
    return " ".join(t for t in tokens(name or "") if t != "the")


class _ByArticle:
    """Row dicts of a :class:`Rows` by article id; rows kept as numbers until asked for."""

    def __init__(self, rows: Rows):
        self.rows = rows
        self.index: dict[Any, array] = defaultdict(lambda: array("q"))
        aid = rows.col("article_id")
        for r in range(len(rows)):
            self.index[aid[r]].append(r)

    def get(self, article_id: Any, default: Any = ()) -> list[dict[str, Any]] | Any:
        rs = self.index.get(article_id)
        return [self.rows[r] for r in rs] if rs else default


def _provenance(groups: Sequence[QuoteGroup], quotes_by_id: Mapping[str, dict[str, Any]], claims: Rows,
                attributions: Rows, docs_by_id: dict[str, _Doc],
                story_of: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Provenance records, one at a time: one per quote group and per distinct figure in a story
    (about nine a million-article corpus's article; streamed to the store, not held, issue #5)."""

    def carriers(aids: Iterable[str]) -> list[_Doc]:
        return sorted({docs_by_id[a] for a in aids if a in docs_by_id}, key=_order_key)

    def record(item_type: str, item_id: str, arts: list[_Doc], via: list[str]) -> dict[str, Any]:
        first = arts[0]
        outlets: list[str | None] = []
        for d in arts:
            if d.outlet not in outlets:
                outlets.append(d.outlet)
        return dict(item_type=item_type, item_id=item_id, first_article=first.id, first_outlet=first.outlet,
                    first_published=first.published, outlets=outlets, via=via)

    attr_by_article = _ByArticle(attributions)

    def sourced_by(article_id: str, start: Any, end: Any) -> list[str]:
        # outlets/documents an attribution in the same stretch of text credits ("according to X")
        if start is None:
            return []
        end = end if end is not None else start
        return [a["source"] for a in attr_by_article.get(article_id, ())
                if a.get("source") and a.get("source_kind") in ("outlet", "document") and a.get("start") is not None
                and a["start"] <= end and start <= (a.get("end") or a["start"])]

    for g in groups:
        qs = [quotes_by_id[q] for q in g.quote_ids if q in quotes_by_id]
        arts = carriers(q["article_id"] for q in qs)
        if not arts:
            continue
        order = {d.id: i for i, d in enumerate(arts)}
        via: list[str] = []
        for q in sorted(qs, key=lambda q: (order.get(q["article_id"], 0), str(q["id"]))):
            for v in ([q["via"]] if q.get("via") else []) + sourced_by(q["article_id"], q.get("start"), q.get("end")):
                if _canon(v) not in {_canon(x) for x in via}:
                    via.append(v)
        yield record("quote_group", g.id, arts, via)

    # claims by (story, kind, value, unit), as row numbers: a million articles carry ~9 million
    groups_c: dict[tuple, array] = defaultdict(lambda: array("q"))
    c_aid, c_kind, c_date, c_value, c_unit = (claims.col(k) for k in ("article_id", "kind", "date", "value", "unit"))
    for r in range(len(claims)):
        if c_aid[r] not in docs_by_id:
            continue
        val = c_date[r] if c_kind[r] == "date" else c_value[r]
        if val is None:
            continue
        key = (story_of.get(c_aid[r]), c_kind[r], str(val), (c_unit[r] or "").lower())
        groups_c[key].append(r)
    for key in sorted(groups_c, key=lambda k: tuple(str(x) for x in k)):
        cs = [claims[r] for r in groups_c.pop(key)]
        arts = carriers(c["article_id"] for c in cs)
        first_cs = sorted((c for c in cs if c["article_id"] == arts[0].id), key=lambda c: str(c["id"]))
        via: list[str] = []
        for c in cs:
            for a in attr_by_article.get(c["article_id"], ()):
                if a.get("source_kind") in ("outlet", "document", "person", "organisation") and \
                        a.get("start") is not None and a["start"] <= (c.get("start") or 0) < a.get("end", 0):
                    if a["source"] not in via:
                        via.append(a["source"])
            by = c.get("asserted_by")
            own = {_canon(d.outlet) for d in arts}
            if by and _canon(by) not in own and by not in via:
                via.append(by)
        yield record("claim", str(first_cs[0]["id"]), arts, via)


def _citations(quotes: Rows, attributions: Rows,
               docs_by_id: dict[str, _Doc]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    counts: Counter[tuple[str, str]] = Counter()
    kinds: dict[tuple[str, str], str] = {}
    display: dict[str, str] = {}
    a_aid, a_named, a_kind, a_source = (attributions.col(k) for k in ("article_id", "named", "source_kind", "source"))
    for r in range(len(attributions)):
        # a row that does not say whether its source is named counts as named
        if a_named[r] is not None and not a_named[r] or a_kind[r] in ("anonymous", "unknown") or not a_source[r]:
            continue
        key = (a_aid[r], _canon(a_source[r]))
        counts[key] += 1
        kinds.setdefault(key, a_kind[r] or "outlet")
        display.setdefault(key[1], a_source[r])
    q_aid, q_via = quotes.col("article_id"), quotes.col("via")
    for r in range(len(quotes)):
        if q_via[r]:
            key = (q_aid[r], _canon(q_via[r]))
            counts[key] += 1
            kinds.setdefault(key, "outlet")
            display.setdefault(key[1], q_via[r])
    citations = [dict(article_id=aid, cited=display[c], kind=kinds[(aid, c)], count=n)
                 for (aid, c), n in sorted(counts.items()) if c]
    oc: Counter[tuple[str, str]] = Counter()
    for (aid, c), n in counts.items():
        d = docs_by_id.get(aid)
        if not d or not d.outlet or kinds[(aid, c)] != "outlet" or _canon(d.outlet) == c:
            continue
        oc[(d.outlet, display[c])] += n
    outlet_citations = [dict(from_outlet=f, to_outlet=t, count=n) for (f, t), n in sorted(oc.items())]
    return citations, outlet_citations


def _sentence_around(text: str, start: int | None, end: int | None) -> str | None:
    if start is None or not text:
        return None
    s = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    e_candidates = [x for x in (text.find(". ", end or start), text.find("\n", end or start)) if x >= 0]
    e = min(e_candidates) + 1 if e_candidates else len(text)
    return text[s:e].strip()


def _figure_conflicts(claims: Rows, docs_by_id: dict[str, _Doc],
                      story_of: dict[str, str]) -> list[dict[str, Any]]:
    by_story: dict[str, array] = defaultdict(lambda: array("q"))  # row numbers, not row dicts (issue #5)
    c_aid, c_value, c_what, c_kind = (claims.col(k) for k in ("article_id", "value", "what", "kind"))
    for r in range(len(claims)):
        sid = story_of.get(c_aid[r])
        if sid and c_value[r] is not None and c_what[r] and c_kind[r] != "date":
            by_story[sid].append(r)
    out = []
    for sid in sorted(by_story):
        cs = sorted((claims[r] for r in by_story.pop(sid)), key=lambda c: str(c["id"]))
        # bucket claims by unit, then join those whose "what" descriptions match
        buckets: list[list[dict[str, Any]]] = []
        for c in cs:
            wc = " ".join(_content(tokens(c["what"])))
            for b in buckets:
                ref = b[0]
                if (ref.get("unit") or "").lower() == (c.get("unit") or "").lower() and \
                        fuzz.token_set_ratio(" ".join(_content(tokens(ref["what"]))), wc) >= 85:
                    b.append(c)
                    break
            else:
                buckets.append([c])
        for b in buckets:
            # issue #5: "more than £5m" and "£5.2m" agree; only figures from different articles
            # that no single value satisfies, given their qualifiers, are a conflict
            from .claims import figures_conflict
            if not figures_conflict((c["article_id"], float(c["value"]), c.get("qualifier")) for c in b):
                continue
            b.sort(key=lambda c: (_order_key(docs_by_id[c["article_id"]]), str(c["id"])))
            figures = [dict(article_id=c["article_id"], text=c.get("text"), value=c.get("value"),
                            qualifier=c.get("qualifier"), asserted_by=c.get("asserted_by"),
                            sentence=_sentence_around(docs_by_id[c["article_id"]].text, c.get("start"), c.get("end")))
                       for c in b]
            out.append(dict(id=_hid("fc", sid, *sorted(str(c["id"]) for c in b)), story_id=sid,
                            what=b[0]["what"], figures=figures))
    return out


# -- entry point ---------------------------------------------------------------------------------

def _sorted_entity_rows(local_entities: Rows) -> Rows:
    """Local entity rows in (article id, local id) order: the order global entities are numbered
    in, whatever order the rows came in (the store already gives them so: no copy then)."""
    aid, lid = local_entities.col("article_id"), local_entities.col("local_id")
    key = lambda i: (str(aid[i]), lid[i] if lid[i] is not None else -1)  # noqa: E731
    if all(key(i - 1) <= key(i) for i in range(1, len(local_entities))):
        return local_entities
    return local_entities.take(sorted(range(len(local_entities)), key=key))


def _merge_entities(local_entities: Rows) -> tuple[Any, Sequence[dict[str, Any]], dict[str, str]]:
    """Entity map, the global entities in id order (each dict made when read), and id -> name."""
    try:
        from .entities import merge_entities
    except ImportError:
        return {}, [], {}
    entity_map, merged = merge_entities(local_entities)
    order = sorted(range(len(merged)), key=merged.ids.__getitem__)
    return entity_map, _Computed(lambda: (merged[k] for k in order)), dict(zip(merged.ids, merged.names))


def link_articles(articles: Sequence[dict[str, Any]], *, quotes: Sequence[dict[str, Any]] = (),
                  claims: Sequence[dict[str, Any]] = (), local_entities: Sequence[dict[str, Any]] = (),
                  attributions: Sequence[dict[str, Any]] = (), existing_stories: Sequence[dict[str, Any]] = (),
                  settings: Settings | None = None,
                  text_of: Callable[[str], str | None] | None = None,
                  progress: Callable[[str, int, int | None], None] | None = None) -> LinkResult:
    """Connect articles: stories, links between articles, quote groups, provenance, citations.

    Args:
        articles: dicts with ``id, outlet, title, published, text`` (``store.load_link_inputs``);
            ``text`` may be left out when ``text_of`` is given.
        quotes: quote rows (``id, article_id, text, start, end, speaker, via, parent_id``).
        claims: claim rows (``id, article_id, text, value, unit, what, asserted_by, kind, date, start, end``).
        local_entities: per-article entity rows (``article_id, local_id, name, type, aliases, roles``).
        attributions: attribution rows (``article_id, source, source_kind, cue, start, end, named``).
        existing_stories: story rows from an earlier run; their ids are kept and new articles join them.
        settings: ``story_window_days``, ``link_threshold``, ``minhash_perm``, ``shingle_words``.
        text_of: reads one article's text by id (``Store.article_text``). When given, texts are
            read when needed (twice per article, then for compared pairs through a bounded cache)
            instead of all being held: what makes a million articles fit in memory (issue #5).
        progress: called as ``progress(phase, done, total)`` about every 1% of the long phases
            (``link: read articles``, ``link: article features``, ``link: compare pairs``).
    Returns:
        A :class:`LinkResult`. The same input always gives the same result.

    >>> text = "The council approved the new budget on Monday after a long debate about schools and roads."
    >>> r = link_articles([dict(id="a1", text=text, published="2024-01-02"),
    ...                    dict(id="a2", text=text + " It passed.", published="2024-01-03")])
    >>> [(l.a, l.b, l.kind) for l in r.links], len(r.stories)
    ([('a1', 'a2', 'duplicate')], 1)
    """
    settings = settings or Settings()
    articles = sorted((a for a in articles if a.get("id")), key=lambda a: str(a["id"]))
    # rows column by column, kept as row numbers below: a million articles' quotes, claims and
    # local entities do not fit in memory as one dict per row (issue #5)
    quotes, claims, attributions = as_rows(quotes), as_rows(claims), as_rows(attributions)
    local_entities = _sorted_entity_rows(as_rows(local_entities))
    texts = _Texts(articles, text_of)
    entity_map, entities, entity_names = _merge_entities(local_entities)
    ents = _entity_names(local_entities, entity_map, articles, texts)
    minhash = _MinHashIndex(settings)
    docs, feats, keys = _build_docs(articles, ents, texts, minhash=minhash, progress=progress)
    del ents, articles  # the docs hold what is read below
    docs_by_id = {d.id: d for d in docs}
    # only quotes credited to an outlet can show one article citing another (_via_evidence)
    quotes_by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    q_via, q_aid = quotes.col("via"), quotes.col("article_id")
    for r in range(len(quotes)):
        if q_via[r]:
            quotes_by_article[q_aid[r]].append(quotes[r])

    # links between candidate pairs
    groups, row_of = _group_quotes(quotes, docs_by_id)
    quotes_by_id = _RowsById(quotes, row_of)
    shared_quotes = _quote_pairs(groups, quotes_by_id, docs_by_id)
    n_docs = len(docs)
    cands = np.unique(np.concatenate([minhash.pair_codes(n_docs), _fingerprint_codes(keys),
                                      _pair_codes(shared_quotes, n_docs)]))
    del minhash, keys  # not needed any more: memory on large corpora
    # candidate pairs and their verdicts are packed arrays, the evidence compressed in a temporary
    # file: a Python object per pair took ~8 KB a linked pair (issue #5)
    spill = _Spill()
    verdicts = _LinkTable([d.id for d in docs], spill)
    forced: dict[int, int] = {}
    related: dict[int, set[int]] = defaultdict(set)
    cache = _FeatureCache(feats, settings.shingle_words)
    tick = _Ticker(progress, "link: compare pairs", len(cands))
    for k, (i, j) in enumerate(_decode_pairs(_by_component(cands, n_docs), n_docs)):
        tick(k)
        info = _classify_pair(docs[i], docs[j], feats, settings, quotes_by_article, shared_quotes.get((i, j)), cache)
        if info.kind is None:
            info.evidence = info.evidence[:5]  # all a same-story link shows of it (below)
        verdicts.add(i, j, info.kind, info.score, spill.put(info.evidence))
    del cands, cache
    verdicts.sort()  # pair order: which copy's source is taken first must not depend on the above
    for k in range(len(verdicts)):
        i, j, kind = verdicts.a[k], verdicts.b[k], _KINDS[verdicts.kind[k]]
        if kind in ("duplicate", "rewrite"):
            # copies belong to the story of their source, whatever their dates (articles that
            # share only some recycled paragraphs may well be about another event)
            a, b = sorted((docs[i], docs[j]), key=_order_key)
            forced.setdefault(b.idx, a.idx)
        elif kind == "derived":
            related[i].add(j)
            related[j].add(i)

    stories_raw = _cluster_stories(docs, existing_stories, settings, forced, related)
    del forced, related
    ent_display = {gid: name or gid for gid, name in entity_names.items() if gid}
    del entity_names
    seen_names: set[str | None] = set()
    for name in local_entities.col("name"):
        if name not in seen_names:
            seen_names.add(name)
            key = " ".join(tokens(name or ""))
            ent_display.setdefault(key, name or key)
    del seen_names
    story_of: dict[str, str] = {}
    stories = []
    for st in stories_raw:
        members = sorted((docs[m] for m in st.members), key=_order_key)
        for m in members:
            story_of[m.id] = st.id
        stories.append(Story(id=st.id, label=_story_label(st, docs, ent_display, feats),
                             article_ids=[m.id for m in members],
                             start=st.start.isoformat() if st.start else None,
                             end=st.end.isoformat() if st.end else None))
    stories.sort(key=lambda s: (s.start or "9999", s.id))

    links = _LinkTable(verdicts.ids, spill)
    for k in range(len(verdicts)):
        i, j, kind, score = verdicts.a[k], verdicts.b[k], _KINDS[verdicts.kind[k]], verdicts.score[k]
        a, b = sorted((docs[i], docs[j]), key=_order_key)
        swap = a.idx != i  # evidence was computed as (docs[i], docs[j]): put it in link order when read
        if kind:
            links.add(a.idx, b.idx, kind, score, verdicts.where(k), swap=swap)
        elif story_of.get(a.id) == story_of.get(b.id):
            sim = _cos(a.vec, b.vec)
            if sim >= 0.2:
                ev = _swap_sides(verdicts.evidence(k)) if swap else verdicts.evidence(k)
                links.add(a.idx, b.idx, "same-story", round(sim, 3),
                          spill.put(ev[:5] + _shared_evidence(a, b, ent_display)))
    del verdicts
    _story_neighbour_links(stories_raw, docs, links, ent_display)
    links.sort()

    provenance = _Computed(functools.partial(_provenance, groups, quotes_by_id, claims, attributions, docs_by_id,
                                             story_of))
    citations, outlet_citations = _citations(quotes, attributions, docs_by_id)
    conflicts = _figure_conflicts(claims, docs_by_id, story_of)
    _TOKEN_HASHES.clear()  # the word caches only pay off within one run
    _CONTENT_STEM.clear()
    _stem.cache_clear()
    return LinkResult(stories=stories, story_of=story_of, links=links, quote_groups=groups,
                      provenance=provenance, citations=citations, outlet_citations=outlet_citations,
                      figure_conflicts=conflicts, entity_map=entity_map, entities=entities)
