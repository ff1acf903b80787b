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
"""

from __future__ import annotations

import bisect
import datetime as _dt
import difflib
import functools
import hashlib
import math
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from .config import Settings
from .models import Link, QuoteGroup, Story

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
    if len(cache) > 500_000:
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

@dataclass(eq=False)
class _Doc:
    idx: int
    id: str
    outlet: str | None
    title: str | None
    date: _dt.date | None
    published: str | None
    text: str
    vec: dict[str, float]  # top tf-idf terms, L2-normalised
    keys: list[str]  # rare fingerprint keys
    ents: dict[str, float]  # entity key -> prominence in this article


def _entity_names(local_entities: Sequence[dict[str, Any]], entity_map: dict[tuple[str, int], str],
                  articles: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per article: entity key (global id, else normalised name) -> prominence (how often its
    names occur, more when in the headline)."""
    by_id = {a["id"]: a for a in articles}
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for e in local_entities:
        if (e.get("type") or "") not in ("person", "organisation", "organization", "group", "place", "outlet"):
            continue
        gid = entity_map.get((e.get("article_id"), e.get("local_id")))
        key = gid or " ".join(tokens(e.get("name") or ""))
        art = by_id.get(e.get("article_id"))
        if not key or art is None:
            continue
        names = {n for n in [e.get("name") or ""] + list(e.get("aliases") or []) if len(n) > 2}
        text, title = art.get("text") or "", art.get("title") or ""
        weight = 1.0 + 0.5 * min(sum(text.count(n) for n in names), 10) + (3.0 if any(n in title for n in names) else 0.0)
        out[e["article_id"]][key] = max(out[e["article_id"]].get(key, 0.0), weight)
    return out


def _doc_terms(art: dict[str, Any]) -> list[str]:
    return _content(tokens(art.get("title") or "")) + _content(tokens(art.get("text") or ""))


def _build_docs(articles: Sequence[dict[str, Any]], ents: dict[str, dict[str, float]], *, top_terms: int = 40,
                n_keys: int = 16, minhash: _MinHashIndex | None = None) -> tuple[list[_Doc], dict[str, float]]:
    df: Counter[str] = Counter()
    for i, art in enumerate(articles):
        body = tokens(art.get("text") or "")
        df.update(set(_content(tokens(art.get("title") or "")) + _content(body)))
        if minhash is not None:  # one tokenisation serves both
            minhash.add(i, body)
    n = max(len(articles), 1)
    idf = {t: 1.0 + math.log((n + 1) / (c + 1)) for t, c in df.items()}  # smoothed: never 0
    docs = []
    for i, art in enumerate(articles):
        terms = _doc_terms(art)
        tf = Counter(terms)
        weights = {t: (1 + math.log(c)) * idf[t] for t, c in tf.items()}
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:top_terms]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vec = {t: w / norm for t, w in top}
        # fingerprint keys: rare words seen in at least one other article, numbers, entity names
        rare = sorted((t for t in tf if df[t] >= 2), key=lambda t: (df[t], t))[:n_keys]
        keys = [f"w:{t}" for t in rare] + [f"e:{e}" for e in sorted(ents.get(art["id"], ()))]
        docs.append(_Doc(idx=i, id=art["id"], outlet=art.get("outlet"), title=art.get("title"),
                         date=_date(art.get("published")), published=art.get("published"),
                         text=art.get("text") or "", vec=vec, keys=keys, ents=ents.get(art["id"], {})))
    return docs, idf


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _order_key(d: _Doc) -> tuple[str, str]:
    return (d.date.isoformat() if d.date else "9999", d.id)


# -- candidate generation ------------------------------------------------------------------------

_TOKEN_HASHES: dict[str, int] = {}


def _token_hashes(toks: Sequence[str]) -> np.ndarray:
    cache = _TOKEN_HASHES
    if len(cache) > 500_000:  # bounded memory on huge vocabularies
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
        self.ids: list[int] = []
        self.keys: list[np.ndarray] = []

    def add(self, idx: int, toks: Sequence[str]) -> None:
        sh = np.unique(_shingle_seq_from_tokens(toks, self.k))
        if not len(sh):
            return
        mh = self._minhash(num_perm=self.num_perm, seed=1, hashfunc=_identity, permutations=self.perms,
                           scheme="affine32")
        mh.update_batch(sh)
        bands = mh.hashvalues[: self.bands * self.rows].astype(np.uint64).reshape(self.bands, self.rows)
        self.ids.append(idx)
        self.keys.append((bands * self.mult).sum(axis=1))  # wraps modulo 2**64: fine for a hash

    @property
    def pairs(self) -> set[tuple[int, int]]:
        """Article pairs that share at least one band (candidate lexical copies)."""
        out: set[tuple[int, int]] = set()
        if len(self.ids) < 2:
            return out
        ids = np.asarray(self.ids)
        table = np.stack(self.keys)
        for band in range(self.bands):
            col = table[:, band]
            order = np.argsort(col, kind="stable")
            vals = col[order]
            cuts = np.flatnonzero(np.diff(vals)) + 1
            for run in np.split(order, cuts):
                if 2 <= len(run) <= self.bucket_cap:
                    members = sorted(int(x) for x in ids[run])
                    for x in range(len(members)):
                        for y in range(x + 1, len(members)):
                            out.add((members[x], members[y]))
        return out


def _shared_key_pairs(item_keys: Sequence[Sequence[Any]], index: dict[Any, list[int]], *,
                      cap: int) -> Iterator[tuple[int, int, int]]:
    """``(i, j, n)`` for items ``i < j`` sharing ``n`` keys whose posting lists hold 2 to ``cap``
    items, in ``(i, j)`` order. Postings must be ascending and each item's keys distinct. Counted
    one item at a time: a Counter over all pairs held a million tuples at 10k articles (issue #5)."""
    for i, keys in enumerate(item_keys):
        local: dict[int, int] = {}
        for k in keys:
            post = index[k]
            if len(post) < 2 or len(post) > cap:  # a key shared by too many items says nothing
                continue
            for j in post[bisect.bisect_right(post, i):]:
                local[j] = local.get(j, 0) + 1
        for j in sorted(local):
            yield i, j, local[j]


def _fingerprint_candidates(keys: Sequence[Sequence[Any]], *, cap: int = 40,
                            min_shared: int = 4) -> set[tuple[int, int]]:
    """Pairs of articles (by position in ``keys``) sharing at least ``min_shared`` fingerprint keys."""
    index: dict[Any, list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for k in ks:
            index[k].append(i)
    return {(i, j) for i, j, n in _shared_key_pairs(keys, index, cap=cap) if n >= min_shared}


# -- sentence alignment and pair classification ---------------------------------------------------

def _sent_features(text: str, idf: dict[str, float]) -> list[tuple[str, dict[str, float], list[str]]]:
    out = []
    for s in _sentences(text):
        toks = tokens(s)
        cont = _content(toks)
        if len(cont) < 3:
            continue
        # figures are strong evidence that two sentences report the same thing
        w = {t: idf.get(t, 8.0) * (2.0 if _NUM_RE.match(t) else 1.0) for t in set(cont)}
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

    def __init__(self, idf: dict[str, float], k: int, size: int = 2048):
        self.idf, self.k, self.size = idf, k, size
        self.data: dict[int, tuple[np.ndarray, np.ndarray, list]] = {}

    def get(self, d: _Doc) -> tuple[np.ndarray, np.ndarray, list]:
        hit = self.data.pop(d.idx, None)
        if hit is None:
            seq = _shingle_seq(d.text, self.k)
            hit = (seq, np.unique(seq), _sent_features(d.text, self.idf))
            if len(self.data) >= self.size:
                del self.data[next(iter(self.data))]  # least recently used
        self.data[d.idx] = hit
        return hit


@dataclass
class _PairInfo:
    kind: str | None
    score: float
    evidence: list[dict[str, Any]]


def _classify_pair(da: _Doc, db: _Doc, idf: dict[str, float], settings: Settings,
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

@dataclass
class _Story:
    id: str
    members: list[int]
    centroid: dict[str, float]
    ents: Counter
    start: _dt.date | None
    end: _dt.date | None


def _add_to_centroid(st: _Story, d: _Doc, max_terms: int = 80) -> None:
    n = len(st.members)
    if n == 1:
        st.centroid = d.vec  # shared, not copied: most stories have one article
        st.ents.update(d.ents)
        st.start = st.end = d.date
        return
    merged = defaultdict(float)
    for t, w in st.centroid.items():
        merged[t] += w * (n - 1) / n
    for t, w in d.vec.items():
        merged[t] += w / n
    top = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:max_terms]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    st.centroid = {t: w / norm for t, w in top}
    st.ents.update(d.ents)
    if d.date:
        st.start = min(st.start, d.date) if st.start else d.date
        st.end = max(st.end, d.date) if st.end else d.date


def _cluster_stories(docs: Sequence[_Doc], existing: Sequence[dict[str, Any]], settings: Settings,
                     forced: dict[int, int], related: dict[int, set[int]] | None = None, *,
                     threshold: float = 0.4, dated_threshold: float = 0.3, recent: int = 60,
                     query_terms: int = 15, max_candidates: int = 12) -> list[_Story]:
    related = related or {}
    by_id = {d.id: d for d in docs}
    stories: list[_Story] = []
    story_of: dict[int, int] = {}
    window = _dt.timedelta(days=settings.story_window_days)
    index: dict[str, list[int]] = defaultdict(list)  # term -> story numbers (most recent last)

    def place(d: _Doc, s: int) -> None:
        st = stories[s]
        st.members.append(d.idx)
        _add_to_centroid(st, d)
        story_of[d.idx] = s
        for t in list(d.vec)[:query_terms]:
            post = index[t]
            if not post or post[-1] != s:
                post.append(s)
                if len(post) > 4 * recent:
                    del post[: len(post) - recent]

    for row in sorted(existing, key=lambda r: str(r.get("id"))):
        members = sorted((by_id[a] for a in (row.get("article_ids") or []) if a in by_id), key=_order_key)
        members = [m for m in members if m.idx not in story_of]
        if not members:
            continue
        stories.append(_Story(id=str(row["id"]), members=[], centroid={}, ents=Counter(), start=None, end=None))
        for m in members:
            place(m, len(stories) - 1)

    for d in sorted(docs, key=_order_key):
        if d.idx in story_of:
            continue
        best, best_sim = None, -1.0
        # stories of recent articles sharing the article's top terms, best-scoring few only
        votes: dict[int, float] = defaultdict(float)
        for t in list(d.vec)[:query_terms]:
            w = d.vec[t]
            for s in index.get(t, ())[-recent:]:
                votes[s] += w
        cands = set(sorted(votes, key=lambda s: (-votes[s], s))[:max_candidates])
        if d.idx in forced and forced[d.idx] in story_of:
            cands.add(story_of[forced[d.idx]])
        for p in related.get(d.idx, ()):
            if p in story_of:
                cands.add(story_of[p])
        for s in sorted(cands):
            st = stories[s]
            dated = bool(d.date and st.start and st.end)
            if dated and not (st.start - window <= d.date <= st.end + window):
                continue
            sim = _cos(d.vec, st.centroid)
            if d.ents and st.ents:
                shared = sum(1 for e in d.ents if e in st.ents)
                sim += 0.05 * min(shared, 3)
            if d.idx in forced and story_of.get(forced[d.idx]) == s:
                sim += 1.0
            if any(story_of.get(p) == s for p in related.get(d.idx, ())):
                sim += 0.1  # shares passages or quotes with a member
            # being published within the window is evidence too, so dated articles need less text
            margin = sim - (dated_threshold if dated else threshold)
            if margin > best_sim:
                best, best_sim = s, margin
        if best is not None and best_sim >= 0:
            place(d, best)
        else:
            stories.append(_Story(id=_hid("story", d.id), members=[], centroid={}, ents=Counter(),
                                  start=None, end=None))
            place(d, len(stories) - 1)
    return stories


def _story_label(st: _Story, docs: Sequence[_Doc], ent_display: dict[str, str]) -> str:
    """Key entities, then the event words: the story's heaviest terms as written in its headlines."""
    ranked_ents = [e for e, _ in sorted(st.ents.items(), key=lambda kv: (-kv[1], kv[0]))]
    names = [ent_display.get(e, e) for e in ranked_ents[:2]]
    ent_words = {_stem(w) for e in ranked_ents[:8] for w in tokens(ent_display.get(e, e))}
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for m in st.members[:20]:
        d = docs[m]
        for t in tokens((d.title or "") + " " + d.text[:400]):
            forms[_stem(t)][t] += 1
    ranked = [t for t in sorted(st.centroid, key=lambda t: (-st.centroid[t], t))
              if t not in ent_words and not _NUM_RE.match(t) and t in forms][:4]
    words = [sorted(forms[t].items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for t in ranked]
    if names:
        return ", ".join(names) + (": " + " ".join(words) if words else "")
    return " ".join(words) or "(untitled)"


def _shared_evidence(a: _Doc, b: _Doc, ent_display: dict[str, str]) -> list[dict[str, Any]]:
    ev = []
    shared = sorted(a.ents.keys() & b.ents.keys())
    if shared:
        ev.append(dict(shared_entities=", ".join(ent_display.get(e, e) for e in shared[:8])))
    terms = sorted((t for t in a.vec if t in b.vec), key=lambda t: (-a.vec[t] * b.vec[t], t))[:8]
    if terms:
        forms: dict[str, str] = {}
        for tok in tokens((a.title or "") + " " + a.text):
            st = _stem(tok)
            if st in terms and st not in forms:
                forms[st] = tok
                if len(forms) == len(terms):
                    break
        ev.append(dict(shared_terms=", ".join(forms.get(t, t) for t in terms)))
    return ev


def _story_neighbour_links(stories: Sequence[_Story], docs: Sequence[_Doc], seen: set[tuple[str, str]],
                           ent_display: dict[str, str], *, window: int = 30, per_article: int = 2,
                           min_sim: float = 0.2) -> list[Link]:
    """same-story links inside each story: every article to its most similar earlier members
    (at most ``per_article``, looked for among the ``window`` members before it: linear, not all pairs)."""
    out = []
    for st in stories:
        members = sorted((docs[m] for m in st.members), key=_order_key)
        for x, b in enumerate(members):
            near = [(round(_cos(a.vec, b.vec), 3), a) for a in members[max(0, x - window):x]]
            near = sorted((p for p in near if p[0] >= min_sim), key=lambda p: (-p[0], p[1].id))[:per_article]
            for sim, a in near:
                if (a.id, b.id) in seen or (b.id, a.id) in seen:
                    continue
                seen.add((a.id, b.id))
                out.append(Link(a=a.id, b=b.id, kind="same-story", score=sim,
                                evidence=_shared_evidence(a, b, ent_display)))
    return out


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


def _group_quotes(quotes: Sequence[dict[str, Any]], docs_by_id: dict[str, _Doc], *, threshold: float = 0.72,
                  same_speaker_threshold: float = 0.6, cap: int = 40) -> list[QuoteGroup]:
    # quotes nested in a block quote take part: they are the utterances an article re-reports
    # (a block and a quote nested in it never join one group, see below)
    usable = [q for q in quotes if q.get("text") and q.get("article_id") in docs_by_id]
    usable.sort(key=lambda q: str(q["id"]))
    feats = [_qfeat(q["text"]) for q in usable]
    keep = [i for i, f in enumerate(feats) if len(f.toks) >= 2]
    usable, feats = [usable[i] for i in keep], [feats[i] for i in keep]
    df: Counter[str] = Counter()
    for f in feats:
        df.update(f.content)
    index: dict[str, list[int]] = defaultdict(list)
    keys_of: list[list[str]] = []
    for i, f in enumerate(feats):
        if len(f.toks) < 4:  # short partial quotes only join exact repeats by the same speaker (below)
            keys_of.append([])
            continue
        # the rarest words shared with at least one other quote (a word no other quote has
        # cannot make a candidate pair, and would crowd out the keys that can)
        keys = sorted((t for t in f.content if df[t] >= 2), key=lambda t: (df[t], t))[:8]
        keys_of.append(keys)
        for t in keys:
            index[t].append(i)
    nkeys = [len(k) for k in keys_of]
    parent = list(range(len(usable)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # candidate pairs share at least two of their rarest words (one when a quote has fewer keys)
    matches: list[tuple[float, int, int, float]] = []
    for i, j, n in _shared_key_pairs(keys_of, index, cap=cap):
        if n < min(2, nkeys[i], nkeys[j]) or usable[i]["article_id"] == usable[j]["article_id"]:
            continue
        s = _qsim(feats[i], feats[j])
        same_speaker = bool(usable[i].get("speaker")) and \
            _canon(usable[i].get("speaker")) == _canon(usable[j].get("speaker"))
        need = same_speaker_threshold if same_speaker else threshold
        if s >= need:
            matches.append((-s, i, j, need))
    # join the best pairs first; two groups merge only when their longest wordings also match,
    # so one loose pair cannot chain unrelated quotes together
    longest = list(range(len(usable)))
    ids_of = [{str(q["id"])} for q in usable]
    parents_of = [{str(q["parent_id"])} if q.get("parent_id") else set() for q in usable]
    for _, i, j, need in sorted(matches):
        ri, rj = find(i), find(j)
        if ri == rj or ids_of[ri] & parents_of[rj] or ids_of[rj] & parents_of[ri]:
            continue
        li, lj = longest[ri], longest[rj]
        if (li, lj) not in ((i, j), (j, i)) and \
                _qsim(feats[li], feats[lj]) < need - 0.1:
            continue
        parent[ri] = rj
        ids_of[rj] |= ids_of[ri]
        parents_of[rj] |= parents_of[ri]
        longest[rj] = max(li, lj, key=lambda x: (len(usable[x]["text"]), -x))
    # "noble mission" in two articles is one utterance only when the same speaker is credited
    short: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        if len(f.toks) < 4 and usable[i].get("speaker"):
            short[(_canon(usable[i]["speaker"]), f.joined)].append(i)
    for key in sorted(short):
        idxs = short[key]
        for i in idxs[1:]:
            parent[find(i)] = find(idxs[0])
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(usable)):
        members[find(i)].append(i)
    groups = []
    for idxs in members.values():
        arts = {usable[i]["article_id"] for i in idxs}
        if len(arts) < 2:
            continue
        qs = [usable[i] for i in idxs]

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
    return groups


def _quote_pairs(groups: Sequence[QuoteGroup], quotes_by_id: dict[str, dict[str, Any]],
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


def _provenance(groups: Sequence[QuoteGroup], quotes_by_id: dict[str, dict[str, Any]], claims: Sequence[dict[str, Any]],
                attributions: Sequence[dict[str, Any]], docs_by_id: dict[str, _Doc],
                story_of: dict[str, str]) -> list[dict[str, Any]]:
    out = []

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

    attr_by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in attributions:
        attr_by_article[a["article_id"]].append(a)

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
        out.append(record("quote_group", g.id, arts, via))

    groups_c: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        if c.get("article_id") not in docs_by_id:
            continue
        val = c.get("date") if c.get("kind") == "date" else c.get("value")
        if val is None:
            continue
        key = (story_of.get(c["article_id"]), c.get("kind"), str(val), (c.get("unit") or "").lower())
        groups_c[key].append(c)
    for key in sorted(groups_c, key=lambda k: tuple(str(x) for x in k)):
        cs = groups_c[key]
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
        out.append(record("claim", str(first_cs[0]["id"]), arts, via))
    return out


def _citations(quotes: Sequence[dict[str, Any]], attributions: Sequence[dict[str, Any]],
               docs_by_id: dict[str, _Doc]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    counts: Counter[tuple[str, str]] = Counter()
    kinds: dict[tuple[str, str], str] = {}
    display: dict[str, str] = {}
    for a in attributions:
        if not a.get("named", True) or a.get("source_kind") in ("anonymous", "unknown") or not a.get("source"):
            continue
        key = (a["article_id"], _canon(a["source"]))
        counts[key] += 1
        kinds.setdefault(key, a.get("source_kind") or "outlet")
        display.setdefault(key[1], a["source"])
    for q in quotes:
        if q.get("via"):
            key = (q["article_id"], _canon(q["via"]))
            counts[key] += 1
            kinds.setdefault(key, "outlet")
            display.setdefault(key[1], q["via"])
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


def _figure_conflicts(claims: Sequence[dict[str, Any]], docs_by_id: dict[str, _Doc],
                      story_of: dict[str, str]) -> list[dict[str, Any]]:
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        sid = story_of.get(c.get("article_id"))
        if sid and c.get("value") is not None and c.get("what") and c.get("kind") != "date":
            by_story[sid].append(c)
    out = []
    for sid in sorted(by_story):
        cs = sorted(by_story[sid], key=lambda c: str(c["id"]))
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
            arts = {c["article_id"] for c in b}
            values = {float(c["value"]) for c in b}
            if len(arts) < 2 or len(values) < 2:
                continue
            b.sort(key=lambda c: (_order_key(docs_by_id[c["article_id"]]), str(c["id"])))
            figures = [dict(article_id=c["article_id"], text=c.get("text"), value=c.get("value"),
                            asserted_by=c.get("asserted_by"),
                            sentence=_sentence_around(docs_by_id[c["article_id"]].text, c.get("start"), c.get("end")))
                       for c in b]
            out.append(dict(id=_hid("fc", sid, *sorted(str(c["id"]) for c in b)), story_id=sid,
                            what=b[0]["what"], figures=figures))
    return out


# -- entry point ---------------------------------------------------------------------------------

def _merge_entities(local_entities: Sequence[dict[str, Any]]) -> tuple[dict, list]:
    try:
        from .entities import merge_entities
    except ImportError:
        return {}, []
    ordered = sorted(local_entities, key=lambda e: (str(e.get("article_id")), e.get("local_id") or 0))
    entity_map, entities = merge_entities(ordered)
    # canonical order, whatever order the rows came in
    entity_map = dict(sorted(entity_map.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])))
    entities = sorted(entities, key=lambda e: str(e.get("id")))
    return entity_map, entities


def link_articles(articles: Sequence[dict[str, Any]], *, quotes: Sequence[dict[str, Any]] = (),
                  claims: Sequence[dict[str, Any]] = (), local_entities: Sequence[dict[str, Any]] = (),
                  attributions: Sequence[dict[str, Any]] = (), existing_stories: Sequence[dict[str, Any]] = (),
                  settings: Settings | None = None) -> LinkResult:
    """Connect articles: stories, links between articles, quote groups, provenance, citations.

    Args:
        articles: dicts with ``id, outlet, title, published, text`` (``store.load_link_inputs``).
        quotes: quote rows (``id, article_id, kind, text, speaker, via, parent_id`` ...).
        claims: claim rows (``id, article_id, text, value, unit, what, asserted_by, kind, date, start, end``).
        local_entities: per-article entity rows (``article_id, local_id, name, type, aliases, roles``).
        attributions: attribution rows (``article_id, source, source_kind, cue, start, end, named``).
        existing_stories: story rows from an earlier run; their ids are kept and new articles join them.
        settings: ``story_window_days``, ``link_threshold``, ``minhash_perm``, ``shingle_words``.
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
    entity_map, entities = _merge_entities(local_entities)
    ents = _entity_names(local_entities, entity_map, articles)
    minhash = _MinHashIndex(settings)
    docs, idf = _build_docs(articles, ents, minhash=minhash)
    docs_by_id = {d.id: d for d in docs}
    quotes_by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in quotes:
        quotes_by_article[q["article_id"]].append(q)

    # links between candidate pairs
    groups = _group_quotes(quotes, docs_by_id)
    quotes_by_id = {q["id"]: q for q in quotes}
    shared_quotes = _quote_pairs(groups, quotes_by_id, docs_by_id)
    cands = minhash.pairs | _fingerprint_candidates([d.keys for d in docs]) | set(shared_quotes)
    del minhash  # the LSH tables are the largest structure on big corpora
    for d in docs:
        d.keys = []  # not needed any more: memory on large corpora
    pair_info: dict[tuple[int, int], _PairInfo] = {}
    forced: dict[int, int] = {}
    cache = _FeatureCache(idf, settings.shingle_words)
    for i, j in sorted(cands):
        info = _classify_pair(docs[i], docs[j], idf, settings, quotes_by_article, shared_quotes.get((i, j)), cache)
        pair_info[(i, j)] = info
        if info.kind in ("duplicate", "rewrite"):
            # copies belong to the story of their source, whatever their dates (articles that
            # share only some recycled paragraphs may well be about another event)
            a, b = sorted((docs[i], docs[j]), key=_order_key)
            forced.setdefault(b.idx, a.idx)

    related: dict[int, set[int]] = defaultdict(set)
    for (i, j), info in pair_info.items():
        if info.kind == "derived":
            related[i].add(j)
            related[j].add(i)
    stories_raw = _cluster_stories(docs, existing_stories, settings, forced, related)
    ent_display = {gid: e.get("name", gid) for e in entities for gid in [e.get("id")] if gid}
    for e in local_entities:
        key = " ".join(tokens(e.get("name") or ""))
        ent_display.setdefault(key, e.get("name") or key)
    story_of: dict[str, str] = {}
    stories = []
    for st in stories_raw:
        members = sorted((docs[m] for m in st.members), key=_order_key)
        for m in members:
            story_of[m.id] = st.id
        stories.append(Story(id=st.id, label=_story_label(st, docs, ent_display),
                             article_ids=[m.id for m in members],
                             start=st.start.isoformat() if st.start else None,
                             end=st.end.isoformat() if st.end else None))
    stories.sort(key=lambda s: (s.start or "9999", s.id))

    links: list[Link] = []
    for (i, j), info in sorted(pair_info.items()):
        a, b = sorted((docs[i], docs[j]), key=_order_key)
        if a.idx != i:  # evidence was computed as (docs[i], docs[j]): put it in link order
            info.evidence = [dict(e, a=e["b"], b=e["a"]) if "a" in e and "b" in e else e for e in info.evidence]
        if info.kind:
            links.append(Link(a=a.id, b=b.id, kind=info.kind, score=info.score, evidence=info.evidence))
        elif story_of.get(a.id) == story_of.get(b.id):
            sim = _cos(a.vec, b.vec)
            if sim >= 0.2:
                links.append(Link(a=a.id, b=b.id, kind="same-story", score=round(sim, 3),
                                  evidence=info.evidence[:5] + _shared_evidence(a, b, ent_display)))
    links += _story_neighbour_links(stories_raw, docs, {(lk.a, lk.b) for lk in links}, ent_display)
    links.sort(key=lambda link: (link.a, link.b))

    provenance = _provenance(groups, quotes_by_id, claims, attributions, docs_by_id, story_of)
    citations, outlet_citations = _citations(quotes, attributions, docs_by_id)
    conflicts = _figure_conflicts(claims, docs_by_id, story_of)
    _TOKEN_HASHES.clear()  # the word caches only pay off within one run
    _CONTENT_STEM.clear()
    _stem.cache_clear()
    return LinkResult(stories=stories, story_of=story_of, links=links, quote_groups=groups,
                      provenance=provenance, citations=citations, outlet_citations=outlet_citations,
                      figure_conflicts=conflicts, entity_map=entity_map, entities=entities)
