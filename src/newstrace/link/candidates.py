"""Candidate pairs of articles, found without comparing all pairs: MinHash LSH over k-word shingles
(:class:`MinHashIndex`, for lexical copies) and rare-key fingerprints (:class:`Keys` and
:func:`shared_key_blocks`, which also serve the quote keys of ``quote_groups``), as packed
``i * n + j`` codes rather than tuples (issue #5). In :func:`~newstrace.link.core.link_articles`
the MinHash signatures are added while ``features.build_docs`` reads each article; after the quotes
are grouped, the MinHash, fingerprint and shared-quote pairs are merged and :func:`by_component`
orders them by connected group of articles for ``copies.classify_pair``.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from ..config import Settings
from .text import tokens
from .unionfind import UnionFind


TOKEN_HASHES: dict[str, int] = {}


def _token_hashes(toks: Sequence[str]) -> np.ndarray:
    cache = TOKEN_HASHES
    if len(cache) > 200_000:  # bounded memory on huge vocabularies
        cache.clear()
    out = []
    for t in toks:
        h = cache.get(t)
        if h is None:
            h = cache[t] = zlib.crc32(t.encode("utf-8"))
        out.append(h)
    return np.array(out, dtype=np.uint64)


def shingle_seq(text: str, k: int) -> np.ndarray:
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
    return np.unique(shingle_seq(text, k))


def _identity(x: Any) -> Any:
    return x


class MinHashIndex:
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
        # what the keys depend on: stored keys of another scheme are not reused (store.link_minhash)
        self.scheme = f"v1;k={self.k};perm={self.num_perm};bands={self.bands}x{self.rows}"

    def add(self, idx: int, toks: Sequence[str]) -> None:
        """Add article ``idx``'s signature from its tokens (nothing when the text has no shingle);
        its packed band keys are what :meth:`add_keys` takes back in a later run."""
        sh = np.unique(_shingle_seq_from_tokens(toks, self.k))
        if not len(sh):
            return
        mh = self._minhash(num_perm=self.num_perm, seed=1, hashfunc=_identity, permutations=self.perms,
                           scheme="affine32")
        mh.update_batch(sh)
        bands = mh.hashvalues[: self.bands * self.rows].astype(np.uint64).reshape(self.bands, self.rows)
        raw = (bands * self.mult).sum(axis=1).tobytes()  # wraps modulo 2**64: fine for a hash
        self.add_keys(idx, raw)

    def add_keys(self, idx: int, raw: bytes) -> None:
        """Add article ``idx``'s band keys as :meth:`add` packs them (stored by an earlier run:
        MinHash depends on the article's words only, so they need not be computed again)."""
        if raw:
            if len(raw) != 8 * self.bands:
                raise ValueError(f"article {idx}: {len(raw)} bytes of band keys, expected {8 * self.bands}; "
                                 "relink with --relink to recompute them")
            self.ids.append(idx)
            self.keys.frombytes(raw)

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
            s_keep, l_keep = starts[keep], lens[keep]
            for m in np.unique(l_keep).tolist():  # the buckets of one size together: a numpy call per size
                sel = s_keep[l_keep == m]
                members = np.sort(ids[order[sel[:, None] + np.arange(m)]], axis=1)
                x, y = np.triu_indices(m, 1)
                parts.append((members[:, x] * n + members[:, y]).ravel())
            if parts:
                out = np.union1d(out, np.concatenate(parts))
        return out


class Keys:
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


def shared_key_blocks(keys: Keys, *, cap: int, block: int = 2048) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The pairs of items sharing keys whose posting lists hold 2 to ``cap`` items, a block of
    items at a time: arrays ``(i, j, shared keys)`` with ``i < j``, sorted by ``(i, j)``. Each item's
    keys must be distinct. Postings are one sorted array and pairs are counted a block of items at
    a time (a Counter over all pairs held a million tuples at 10k articles, issue #5; one item at a
    time was a numpy call per item, issue #16)."""
    vals = np.frombuffer(keys.vals, dtype=np.int32)
    ptr = np.frombuffer(keys.ptr, dtype=np.int64)
    n_items = len(ptr) - 1
    if not len(vals):
        return
    order = np.argsort(vals, kind="stable")  # stable: items ascending within each key
    post = np.repeat(np.arange(n_items, dtype=np.int64), np.diff(ptr))[order]
    ukeys, starts, counts = np.unique(vals[order], return_index=True, return_counts=True)
    del order
    usable = (counts >= 2) & (counts <= cap)  # a key shared by too many items says nothing
    slot_key = np.searchsorted(ukeys, vals)  # each item's keys, as positions in ukeys
    for lo in range(0, n_items, block):
        hi = min(lo + block, n_items)
        s_lo, s_hi = int(ptr[lo]), int(ptr[hi])
        owner = np.repeat(np.arange(lo, hi, dtype=np.int64), np.diff(ptr[lo:hi + 1]))
        pos = slot_key[s_lo:s_hi]
        keep = usable[pos]
        owner, pos = owner[keep], pos[keep]
        if not len(pos):
            continue
        # every (owner, partner) over the posting lists of the owners' keys
        sizes = counts[pos]
        first = np.repeat(starts[pos] - np.cumsum(sizes) + sizes, sizes)
        partner = post[first + np.arange(int(sizes.sum()), dtype=np.int64)]
        owner = np.repeat(owner, sizes)
        later = partner > owner
        codes = owner[later] * n_items + partner[later]
        if not len(codes):
            continue
        codes, shared = np.unique(codes, return_counts=True)
        yield codes // n_items, codes % n_items, shared


def fingerprint_codes(keys: Keys, *, cap: int = 40, min_shared: int = 4) -> np.ndarray:
    """Pairs of articles (by position in ``keys``) sharing at least ``min_shared`` fingerprint
    keys, as sorted ``i * n + j`` codes."""
    n = len(keys)
    parts = [(a * n + b)[ns >= min_shared] for a, b, ns in shared_key_blocks(keys, cap=cap)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def fingerprint_candidates(keys: Keys | Sequence[Sequence[int]], *, cap: int = 40,
                           min_shared: int = 4) -> set[tuple[int, int]]:
    """Pairs of articles (by position in ``keys``) sharing at least ``min_shared`` fingerprint keys."""
    keys = keys if isinstance(keys, Keys) else Keys(keys)
    return set(decode_pairs(fingerprint_codes(keys, cap=cap, min_shared=min_shared), len(keys)))


def encode_pairs(pairs: Iterable[tuple[int, int]], n: int) -> np.ndarray:
    """``i * n + j`` for pairs i < j, as an int64 array."""
    return np.fromiter((i * n + j for i, j in pairs), dtype=np.int64)


def by_component(codes: np.ndarray, n: int) -> np.ndarray:
    """Pair codes reordered so that the pairs among one connected group of articles come
    together. The feature cache holds 2,048 articles: in plain code order the copies of one
    article lie scattered over the whole corpus, and each pair recomputed its partner's features
    (~2 ms a pair on a corpus of 45 copies of every article)."""
    if not len(codes):
        return codes
    uf = UnionFind(n)
    for i, j in decode_pairs(codes, n):
        uf.union(i, j)
    roots = np.fromiter((uf.find(x) for x in range(n)), dtype=np.int64, count=n)
    del uf
    first = codes // n
    return codes[np.lexsort((codes, roots[first]))]  # by group, then as before within it


def decode_pairs(codes: np.ndarray, n: int) -> Iterator[tuple[int, int]]:
    for lo in range(0, len(codes), 65536):  # chunks: a list of every code would be ~36 bytes each
        for c in codes[lo:lo + 65536].tolist():
            yield divmod(c, n)

