"""Per-article features: article texts held or read on demand through a bounded cache
(:class:`Texts`), term vectors packed for the whole corpus (:class:`Features`), :class:`ArticleDoc`,
each article's entity prominence (:func:`article_entity_names`, from the entity merge's map),
:func:`build_docs` (term vectors, fingerprint keys and MinHash signatures in two passes over the
articles), sentence features and the :class:`FeatureCache` that serves pair comparison, plus the
progress :class:`Ticker`. In :func:`~newstrace.link.core.link_articles` the docs are built right
after the entity merge, and every later step reads them.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import re
import struct
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ..extract.figures import join_split_number, parse_number
from ..rows import Rows, SortedLookup
from .candidates import Keys, MinHashIndex, shingle_seq
from .text import NUM_RE, STOP, content_terms, hash_id, parse_date, split_sentences, tokens


class Texts:
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


@dataclass(frozen=True, slots=True)
class SnapshotIds:
    """Term ids against the term snapshot's indexes (:data:`WordIds`): the first ``known`` term
    ids while vectors are built are the snapshot's terms, in its order; ``rank`` maps those ids to
    the final ones, ``order`` back (both None when no term was renumbered: the ids are final)."""

    known: int
    rank: np.ndarray | None
    order: np.ndarray | None

    def final(self, ids: array, novel: Sequence[str], vocab: Mapping[str, int], extra: dict[str, int]) -> list[int]:
        """Final term ids of a :data:`WordIds` list (a novel word: its id in ``vocab``, else an id of
        its own above every term's, from ``extra``)."""
        out = (self.rank[np.frombuffer(ids, dtype=np.int32)].tolist() if self.rank is not None and len(ids)
               else ids.tolist())
        if novel:
            words = iter(novel)
            for k, v in enumerate(ids):
                if v < 0:
                    w = next(words)
                    out[k] = vocab[w] if w in vocab else extra.setdefault(w, (1 << 30) + len(extra))
        return out

    def packed(self, ids: Iterable[int], terms: Sequence[str]) -> WordIds:
        """Final term ids (of ``terms``, in id order) as :data:`WordIds`."""
        ids = list(ids)
        built = self.order[np.array(ids, dtype=np.int64)].tolist() if self.order is not None and ids else ids
        return word_ids(built, [terms[t] for t in ids], self.known)


class Features:
    """The term vectors of every article in one packed array pair (sorted-string term ids, float64
    weights, heaviest first) plus the vocabulary: about 0.5 KB an article where a dict of 40
    strings to floats took 3.5 KB."""

    def __init__(self, terms: list[str], df: list[int], n_docs: int, texts: Texts):
        # term id -> stemmed term while vectors are built; ids follow string order, so ties
        # between equal weights break as they did on strings
        self.vocab: dict[str, int] | None = {t: i for i, t in enumerate(terms)}
        n = max(n_docs, 1)
        self.idf = np.array([1.0 + math.log((n + 1) / (c + 1)) for c in df], dtype=np.float64)  # never 0
        # each term's document frequency and the number of counted articles (the snapshot's when
        # there is one): what :func:`word_share` reads, the one rarity rule of names
        self.df = np.array(df, dtype=np.int32)
        self.n_docs = n_docs
        self.texts = texts
        self.ptr: np.ndarray = np.zeros(1, dtype=np.int64)
        self.ids: np.ndarray = np.zeros(0, dtype=np.int32)
        self.weights: np.ndarray = np.zeros(0, dtype=np.float64)
        self.hashes = np.zeros(0, dtype=np.int64)  # after drop_strings: sorted term hashes ...
        self.hash_ids = np.zeros(0, dtype=np.int32)  # ... and the term id of each
        # under a term snapshot every word has an idf (one no count holds: as in no article), so
        # what a word weighs does not depend on which articles are linked together (issue #16)
        self.default_idf: float | None = None
        self.snapshot_ids = SnapshotIds(len(terms), None, None)  # set by build_docs

    def drop_strings(self) -> None:
        """Forget the term strings once every vector is built: later lookups go through sorted
        64-bit string hashes (12 bytes a term instead of ~130; millions of terms at 1M articles)."""
        if self.vocab is None:
            return
        h = np.fromiter(map(hash, self.vocab), dtype=np.int64, count=len(self.vocab))
        order = np.argsort(h, kind="stable")
        self.hashes, self.hash_ids = h[order], order.astype(np.int32)
        self.vocab = None
        self.snapshot_ids = SnapshotIds(self.snapshot_ids.known, None, None)  # read while the strings are held only

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
        """idf of each known word (what ``sent_features`` weighs sentence words with); of every
        word under a term snapshot (``default_idf`` for the words it does not hold)."""
        known = {w: float(self.idf[i]) for w, i in self.term_ids(words).items()}
        if self.default_idf is None:
            return known
        return {w: known.get(w, self.default_idf) for w in words}

    def shares_of(self, words: Iterable[str]) -> dict[str, float]:
        """Each word's share of the counted articles (:func:`word_share`); a word no count holds
        is in none (0)."""
        words = list(words)
        ids = self.term_ids(words)
        return {w: word_share(int(self.df[ids[w]]) if w in ids else 0, self.n_docs) for w in words}

    def vec(self, idx: int) -> dict[int, float]:
        lo, hi = int(self.ptr[idx]), int(self.ptr[idx + 1])
        return dict(zip(self.ids[lo:hi].tolist(), self.weights[lo:hi].tolist()))

    def top_ids(self, idx: int, n: int) -> list[int]:
        """The term ids of article ``idx``'s ``n`` heaviest terms (``list(vec(idx))[:n]``, without the dict)."""
        lo, hi = int(self.ptr[idx]), int(self.ptr[idx + 1])
        return self.ids[lo:min(hi, lo + n)].tolist()


_NO_ENTS: Mapping[str, float] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class EventKey:
    """What tells one incident from another of its kind: the event's date (ISO, as precise as
    written), the words of its participants' names and of its places, and its figures
    (``articles.event_*``), each as (kind, value) (:func:`event_figure`): ``("magnitude", 6.1)``,
    ``("money", 2e6)``, or the noun a count counts, singular (``("people", 12.0)``)."""

    date: str | None
    who: frozenset[str]
    where: frozenset[str]
    figures: frozenset[tuple[str, float]] = frozenset()


def _name_words(value: Any) -> frozenset[str]:
    names = json.loads(value) if isinstance(value, str) else (value or [])
    return frozenset(t for n in names for t in tokens(n) if len(t) > 2 and t not in STOP)


_CURRENCY = re.compile(r"[$\u00a3\u20ac\u00a5]|\b(?:dollars?|pounds?|euros?|yen|yuan|rupees?|francs?)\b", re.I)
_MEASURE = re.compile(r"\b(?:magnitude|richter)\b", re.I)
# words after a number that are part of the number, or say nothing of what it counts
_NOT_UNIT = {"hundred", "thousand", "million", "billion", "trillion", "m", "bn", "k", "percent", "per", "cent",
             "am", "pm", "and", "or", "to", "of"}


def event_figure(text: str) -> tuple[str, float] | None:
    """One event figure as extraction stores it (the number's words, then the noun it counts)
    read as (kind, value): an amount of money (``"money"``, any currency: ECB+ and BBC news give
    one currency per story; ``"money:contract"`` when a noun follows), a magnitude, or a count of
    the noun written after it; None for a number that says nothing of what it counts (a bare
    "12", a percentage).

    >>> event_figure("6.1 magnitude")
    ('magnitude', 6.1)
    >>> event_figure("$2 million")
    ('money', 2000000.0)
    >>> event_figure("290 people")
    ('people', 290.0)
    >>> event_figure("$5 million contract")
    ('money:contract', 5000000.0)
    >>> event_figure("eight pirates")
    ('pirate', 8.0)
    >>> event_figure("40 percent") is None
    True
    """
    text = join_split_number(text)
    value, _ = parse_number(text)
    if value is None or value <= 0:
        return None
    unit = text.split()[-1].lower() if len(text.split()) > 1 else ""
    if not re.fullmatch(r"[a-z]{3,}", unit) or unit in _NOT_UNIT or _CURRENCY.fullmatch(unit):
        unit = ""
    elif unit.endswith("s") and not unit.endswith("ss") and unit != "people":
        unit = unit[:-1]
    if _CURRENCY.search(text):  # "$2 million" is the event's amount; "$2 million contract" a contract's
        return ("money:" + unit if unit else "money"), value
    if _MEASURE.search(text):
        return "magnitude", value
    if "%" in text or not unit:
        return None
    return unit, value


def _event_figures(value: Any) -> frozenset[tuple[str, float]]:
    texts = json.loads(value) if isinstance(value, str) else (value or [])
    return frozenset(f for f in map(event_figure, texts) if f is not None)


def event_key(art: Mapping[str, Any]) -> EventKey | None:
    """The article row's event (``event_date``, ``event_participants``, ``event_places``,
    ``event_figures``), or None."""
    date, who, where = art.get("event_date"), art.get("event_participants"), art.get("event_places")
    figures = _event_figures(art.get("event_figures"))
    if not (date or who or where or figures):
        return None
    return EventKey(date=date or None, who=_name_words(who), where=_name_words(where), figures=figures)


@dataclass(eq=False, slots=True)
class ArticleDoc:
    idx: int
    id: str
    outlet: str | None
    title: str | None
    date: _dt.date | None
    published: str | None
    feats: Features
    ents: Mapping[str, float]  # entity key -> prominence in this article
    event: EventKey | None = None  # the main event's date, participants and places (extract.events)
    # entity key -> the share of the counted articles holding the rarest word of its most common
    # name (_entity_share, under the term snapshot); an entity not in it counts as rare
    ent_df: Mapping[str, float] = field(default_factory=lambda: _NO_ENTS)
    # a hash of what ``ents`` and ``ent_df`` are read from besides the text and the term snapshot
    # (EntityRows.inputs; "" when not known): what stories.neighbour_inputs hashes instead of them
    ent_inputs: str = ""

    @property
    def vec(self) -> dict[int, float]:
        """Top tf-idf terms (term id -> weight, L2-normalised, heaviest first); a fresh dict."""
        return self.feats.vec(self.idx)

    @property
    def text(self) -> str:
        return self.feats.texts(self.idx)


def _weights_inputs(title: str, local_entities: Rows, rows: Sequence[int]) -> str:
    """A hash of what an article's entity weights are read from besides its text (which its id
    fixes): its title and its local entities' ids, names and aliases."""
    lid, name, aliases = (local_entities.col(c) for c in ("local_id", "name", "aliases"))
    key = repr((title, [(lid[r], name[r], aliases[r]) for r in rows]))
    return hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()


@dataclass
class EntityRows:
    """What :func:`article_entity_names` tells :func:`build_docs` of each article's entities: per
    article id, its local entity rows and each one's entity key ("" for none: ``of_article``, packed;
    their names' words are what an entity's rarity is weighed by, :class:`EntityShares`), and a hash of
    what the article's entity prominences and shares are read from besides its text and the term
    snapshot (``inputs``: its title, its rows' ids, names and aliases, and each row's key)."""

    local_entities: Rows
    of_article: dict[str, tuple[array, tuple[str, ...]]] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)


def article_entity_names(local_entities: Rows, entity_map: Any, articles: Sequence[dict[str, Any]],
                         texts: Texts, *, stored: Iterable[tuple[str, str, bytes]] | None = None,
                         fresh: list[tuple[str, str, bytes]] | None = None,
                         words: EntityRows | None = None) -> dict[str, dict[str, float]]:
    """Per article: entity key (global id, else normalised name) -> prominence (how often its
    names occur, more when in the headline).

    ``words`` (when given) receives per article each entity key's rows and the hash of the
    article's entity inputs (:class:`EntityRows`: what :func:`build_docs` weighs an entity's rarity by).

    ``stored``: ``(article id, inputs, weights)`` in id order (what an earlier run gave ``fresh``,
    ``store.stored_entity_weights``): an article whose title and local entities hash to the same
    inputs takes its entities' weights from there, its text not read (issue #16: reading every
    text for its names was a tenth of an incremental link). ``fresh`` receives the others'.
    """
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
    kept = SortedLookup(stored)
    for i in sorted(by_article):
        art = articles[i]
        title, rows = art.get("title") or "", by_article.pop(i)
        held = kept.get(art["id"])
        # (``words`` hashes them too: with the keys alone an alias changed under a stored
        # neighbour search would not show)
        inputs = _weights_inputs(title, local_entities, rows) \
            if stored is not None or fresh is not None or words is not None else ""
        if held is not None and held[1] == inputs:
            weights = array("d")
            weights.frombytes(held[2])
        else:
            weights = _entity_weights(texts(i), title, local_entities, rows)
            if fresh is not None:
                fresh.append((art["id"], inputs, weights.tobytes()))
        keys: list[str] = []
        for r, weight in zip(rows, weights):
            gid = gid_of_row(r) if gid_of_row else entity_map.get((aid_col[r], lid_col[r]))
            key = gid or " ".join(tokens(name_col[r] or ""))
            keys.append(key)
            if not key:
                continue
            doc = out[art["id"]]
            doc[key] = max(doc.get(key, 0.0), weight)
        if words is not None:
            words.inputs[art["id"]] = hash_id(inputs, *keys)
            words.of_article[art["id"]] = (rows, tuple(keys))
    return out


class EntityShares(Mapping):
    """An article's ``ArticleDoc.ent_df`` (entity key -> the share of the counted articles holding
    the rarest word of its most common name, :func:`_entity_share`), made when first read: most
    articles' are never read in an incremental link, whose story neighbours are searched again for
    a few articles only, and reading every article's names was a tenth of one (issue #16)."""

    __slots__ = ("reader", "rows", "held")

    def __init__(self, reader: ShareReader, rows: tuple[array, tuple[str, ...]]):
        self.reader, self.rows, self.held = reader, rows, None

    def _made(self) -> dict[str, float]:
        if self.held is None:
            self.held = self.reader.shares(*self.rows)
            self.rows = None  # type: ignore[assignment]
        return self.held

    def __getitem__(self, key: str) -> float:
        return self._made()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


class ShareReader:
    """Makes :class:`EntityShares`: the local entities' names (each name's words read once, each
    word set's share worked out once) weighed by the counts of ``feats`` (set once built: the term
    snapshot's, or the counts taken over the linked articles)."""

    def __init__(self, local_entities: Rows):
        self.local_entities = local_entities
        self.feats: Features | None = None
        self.name_words: dict[str, frozenset[str]] = {}
        self.share_of: dict[frozenset[str], float] = {}

    def word_sets(self, r: int) -> list[frozenset[str]]:
        """The content words of each of row ``r``'s names, its aliases too, one word set per distinct name."""
        out = []
        for n in [self.local_entities.col("name")[r] or ""] + list(self.local_entities.decoded("aliases", r) or []):
            ws = self.name_words.get(n)
            if ws is None:
                if len(self.name_words) >= self.CACHED:  # bounded: the caches live as long as the docs
                    self.name_words.clear()
                ws = self.name_words[n] = frozenset(content_terms(tokens(n)))
            out.append(ws)
        return out

    CACHED = 10_000

    def shares(self, rows: array, keys: tuple[str, ...]) -> dict[str, float]:
        """Entity key -> its share, from the rows of each key (``keys``: each row's, "" for none)."""
        feats = self.feats
        assert feats is not None, "ShareReader.feats is set by build_docs"
        names_of: dict[str, list[frozenset[str]]] = {}
        for r, key in zip(rows, keys):
            if not key:
                continue
            names = names_of.setdefault(key, [])
            for ws in self.word_sets(r):
                if ws not in names:
                    names.append(ws)
        if len(self.share_of) >= self.CACHED:
            self.share_of.clear()
        return {key: _entity_share(names, feats, self.share_of) for key, names in names_of.items()}


def _entity_weights(text: str, title: str, local_entities: Rows, rows: Sequence[int]) -> array:
    """How prominent each of the rows' entities is in the article: how often its names occur, more
    when in the headline."""
    name_col = local_entities.col("name")
    out = array("d")
    for r in rows:
        names = {n for n in [name_col[r] or ""] + list(local_entities.decoded("aliases", r) or []) if len(n) > 2}
        out.append(1.0 + 0.5 * min(sum(text.count(n) for n in names), 10) + (3.0 if any(n in title for n in names) else 0.0))
    return out


class Ticker:
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


def _count_terms(articles: Sequence[dict[str, Any]], texts: Texts, minhash: MinHashIndex | None,
                 stored_bands: Iterable[tuple[str, bytes]] | None, fresh_bands: list[int] | None,
                 count: bool, progress: Callable[[str, int, int | None], None] | None) -> Counter[str]:
    """The first pass of :func:`build_docs`: document frequencies (when ``count``) and MinHash
    band keys (stored ones taken, the others computed). A text is read only when needed."""
    df_count: Counter[str] = Counter()
    tick = Ticker(progress, "link: read articles", len(articles))
    stored = SortedLookup(stored_bands)
    for i, art in enumerate(articles):
        tick(i)
        if minhash is not None:
            held = stored.get(art["id"])
            if held is not None:
                minhash.add_keys(i, held[1])
                if not count:
                    continue  # nothing else wants the text in this pass
                body = tokens(texts(i))
            else:  # one tokenisation serves both
                body = tokens(texts(i))
                minhash.add(i, body)
                if fresh_bands is not None:
                    fresh_bands.append(i)
        elif not count:
            continue
        else:
            body = tokens(texts(i))
        if count:
            df_count.update(set(content_terms(tokens(art.get("title") or "")) + content_terms(body)))
    return df_count


# A word list of a packed vector: each word's index in the term snapshot the vector was made
# under (its term id while vectors are built), -1 for a word the snapshot does not hold, and
# those words' strings in order. Indexes, not strings: turning 10,000 stored articles' 60 words
# each back into term ids hashed every string again, a tenth of an incremental link (issue #16).
WordIds = tuple[Sequence[int], Sequence[str]]
_HEAD = struct.Struct("<4I")


def pack_features(top: WordIds, weights: Sequence[float], rare: WordIds,
                  names: tuple[Sequence[int], Sequence[str], Sequence[float]] = ((), (), ())) -> bytes:
    """One article's term vector (its words heaviest first, their weights), fingerprint words and
    name vector (``stories.name_vector``: words and weights), packed (``link_features.packed``):
    each word list as :data:`WordIds` (snapshot indexes, valid under the snapshot of the features
    scheme only), weights as float64, exactly as computed."""
    head = "\x1e".join("\x1f".join(x) for x in (top[1], rare[1], names[1])).encode("utf-8")
    ids = array("i", top[0])
    ids.extend(rare[0])
    ids.extend(names[0])
    ws = array("d", weights)
    ws.extend(names[2])
    return zlib.compress(_HEAD.pack(len(top[0]), len(rare[0]), len(names[0]), len(head)) + head
                         + ids.tobytes() + ws.tobytes(), 1)


def unpack_features(raw: bytes) -> tuple[array, list[str], array, array, list[str], tuple[array, list[str], array]]:
    """What :func:`pack_features` packed: the top words' snapshot indexes and novel words, their
    weights, the fingerprint words' indexes and novel words, and the name vector (indexes, novel
    words, weights), as arrays."""
    data = zlib.decompress(raw)
    n_top, n_rare, n_names, n_head = _HEAD.unpack_from(data)
    at = _HEAD.size + n_head
    top_s, rare_s, names_s = data[_HEAD.size:at].decode("utf-8").split("\x1e")
    ids = array("i")
    ids.frombytes(data[at:at + 4 * (n_top + n_rare + n_names)])
    ws = array("d")
    ws.frombytes(data[at + 4 * len(ids):])
    return (ids[:n_top], top_s.split("\x1f") if top_s else [], ws[:n_top],
            ids[n_top:n_top + n_rare], rare_s.split("\x1f") if rare_s else [],
            (ids[n_top + n_rare:], names_s.split("\x1f") if names_s else [], ws[n_top:]))


def with_names(raw: bytes, names: tuple[Sequence[int], Sequence[str], Sequence[float]]) -> bytes:
    """A :func:`pack_features` blob packed again with the article's name vector."""
    top_ids, top_novel, top_weights, rare_ids, rare_novel, _ = unpack_features(raw)
    return pack_features((top_ids, top_novel), top_weights, (rare_ids, rare_novel), names)


def word_ids(ids: Sequence[int], words: Sequence[str], known: int) -> WordIds:
    """Words (``words``) of term ids while vectors are built (the snapshot's terms first, ``known``
    of them: their ids are their snapshot indexes) as :data:`WordIds`."""
    return [k if k < known else -1 for k in ids], [w for k, w in zip(ids, words) if k >= known]


def _resolved(ids: array, novel: list[str], term_id: Callable[[str], int]) -> array:
    """:data:`WordIds` as term ids while vectors are built (a novel word gets or takes its id,
    in order)."""
    if not novel:
        return ids
    out, words = array("i", ids), iter(novel)
    for k, v in enumerate(out):
        if v < 0:
            out[k] = term_id(next(words))
    return out


class PackedVectors:
    """Sparse vectors of every article packed in three arrays (term ids and weights, one slice an
    article): ``pv[i]`` is doc ``i``'s as a fresh dict. What ``stories.cluster_stories`` takes as its
    name vectors when they were stored by an earlier run (issue #16)."""

    def __init__(self, vectors: Iterable[dict[int, float] | tuple[Iterable[int], Iterable[float]]]):
        ptr, ids, ws = array("q", [0]), array("i"), array("d")
        for v in vectors:  # a dict, or its keys and values
            keys, values = (v.keys(), v.values()) if isinstance(v, dict) else v
            ids.extend(keys)
            ws.extend(values)
            ptr.append(len(ids))
        self.ptr = np.frombuffer(ptr, dtype=np.int64)
        self.ids = np.frombuffer(ids, dtype=np.int32)
        self.ws = np.frombuffer(ws, dtype=np.float64)

    def __getitem__(self, i: int) -> dict[int, float]:
        lo, hi = int(self.ptr[i]), int(self.ptr[i + 1])
        return dict(zip(self.ids[lo:hi].tolist(), self.ws[lo:hi].tolist()))


# An entity whose rarest name word is in fewer counted articles than this is rare whatever the
# share: over a handful of articles (the five seeds, linked alone, every shared name in 40% of them)
# a share says nothing of an entity spanning stories. Where 5% is at least 20 articles (400 or
# more), it changes nothing.
ENTITY_MIN_ARTICLES = 20


def word_share(count: int, n_docs: int) -> float:
    """The share of the counted articles holding a word held by ``count`` of them (0 for a word
    held by fewer than :data:`ENTITY_MIN_ARTICLES`): the one rarity rule of names, for the
    shared-entity bonus (:func:`_entity_share`) and for a follow-up's participants
    (``stories.cluster_stories``).

    Args:
        count: the articles holding the word (its document frequency).
        n_docs: the counted articles.
    Returns:
        ``count / n_docs``, or 0 under the floor.
    """
    return count / max(n_docs, 1) if count >= ENTITY_MIN_ARTICLES else 0.0


def _entity_share(names: Sequence[frozenset[str]], feats: Features, memo: dict[frozenset[str], float]) -> float:
    """The share of the counted articles holding the rarest word of an entity's most common name
    (:func:`word_share`, by ``feats``' counts: a word they do not hold counts 0). A name of no
    content word ("Xi", "BP", "UK": words of two letters and stopwords are not counted) does not
    decide when the entity has another name: Xi Jinping is as rare as "Jinping"; an entity of such
    names only is as common as can be (1.0). ``memo`` keeps each word set's share."""
    shares = []
    for ws in names:
        if not ws:
            continue
        share = memo.get(ws)
        if share is None:
            ids = feats.term_ids(ws)
            share = memo[ws] = word_share(min([int(feats.df[ids[t]]) if t in ids else 0 for t in ws]), feats.n_docs)
        shares.append(share)
    return max(shares) if shares else 1.0


def build_docs(articles: Sequence[dict[str, Any]], ents: dict[str, dict[str, float]], texts: Texts, *,
               top_terms: int = 40, n_keys: int = 16,
               minhash: MinHashIndex | None = None, stored_bands: Iterable[tuple[str, bytes]] | None = None,
               fresh_bands: list[int] | None = None, snapshot: Any = None, counted: dict[str, Any] | None = None,
               stored_features: Iterable[tuple[str, bytes]] | None = None,
               fresh_features: list[tuple[int, bytes]] | None = None,
               stored_names: dict[int, tuple[array, list[str], array]] | None = None, keep_strings: bool = False,
               progress: Callable[[str, int, int | None], None] | None = None,
               ent_words: EntityRows | None = None) -> tuple[list[ArticleDoc], Features, Keys]:
    """Docs with their term vectors, and each article's fingerprint keys (rare words seen in at
    least one other article, then entity names), as integers. ``articles`` come in id order; an
    article whose MinHash band keys are in ``stored_bands`` (``(article id, keys)`` in id order)
    gets them from there, the others have them computed and their index appended to ``fresh_bands``.

    Words are weighed by their document frequencies in ``articles``, or, given a ``snapshot``
    (``id, n_docs, terms, df``: a stored count over an earlier corpus, ``store.stored_terms``), by
    those: a word it does not hold counts as in no article (weighed highest, and a fingerprint key
    of every article holding it). Each article's vector then depends on its own words and the
    snapshot only, whatever else is linked with it (issue #16). Without a snapshot, ``counted``
    (when given) receives the counts taken (``n_docs``, ``terms``, ``df``): the next snapshot.
    Under a snapshot, an article whose vector and fingerprint words are in ``stored_features``
    (``(article id, packed)`` in id order, :func:`pack_features`, made under the same snapshot)
    takes them from there without its text being read, and its stored name vector (words, weights)
    goes to ``stored_names`` (by doc index); the others' are appended to ``fresh_features`` as
    ``(doc index, packed)`` (with or without a snapshot: a run's own counts are the next snapshot),
    packed without a name vector: the caller packs them again with theirs (:func:`with_names`).
    ``keep_strings`` leaves the term strings (``Features.vocab``) for the caller to drop.
    ``ent_words`` (:func:`article_entity_names`' ``words``) gives each doc its ``ent_inputs`` and
    its ``ent_df`` (an :class:`EntityShares`, made when first read): per entity, over ``n_docs``,
    the document frequency of the rarest word of its most common name (the snapshot's, so frozen
    with it like the term weights; a word it does not hold, or held by fewer than
    :data:`ENTITY_MIN_ARTICLES` articles: 0; a name of no content word, ``UK``, counts only when the
    entity has no other: 1, as common as can be; :func:`_entity_share`): "United Kingdom" is rare
    as words, but it is also "UK" and "Britain".
    """
    df_count = _count_terms(articles, texts, minhash, stored_bands, fresh_bands, snapshot is None, progress)
    if snapshot is None:
        n_docs, known = len(articles), sorted(df_count)
        known_df = [df_count[t] for t in known]
        if counted is not None:
            counted.update(n_docs=n_docs, terms=known, df=list(known_df))
    else:
        n_docs, known, known_df = snapshot.n_docs, list(snapshot.terms), list(snapshot.df)
    del df_count
    # provisional term ids while vectors are built: the known terms in string order, then the
    # words no count holds as met; renumbered in string order at the end
    vocab = {t: i for i, t in enumerate(known)}
    n_known = len(known)
    df = known_df
    novel_idf = 1.0 + math.log(max(n_docs, 1) + 1)
    # a term's idf is worked out for the words weighed here only (a list over the snapshot's
    # every term was a tenth of the docs of an incremental link, whose articles are mostly stored)
    n_plus = max(n_docs, 1) + 1
    ent_ids: dict[str, int] = {}
    reader = ShareReader(ent_words.local_entities) if ent_words is not None else None
    ptr, ids, weights = array("q", [0]), array("i"), array("d")
    keys = Keys()
    docs = []
    ent_base = 1 << 30  # entity keys above any term id
    tick = Ticker(progress, "link: article features", len(articles))
    stored = SortedLookup(stored_features if snapshot is not None else None)

    def term_id(t: str) -> int:
        k = vocab.get(t)
        if k is None:
            k = vocab[t] = len(df)
            df.append(0)  # its idf: novel_idf
        return k
    for i, art in enumerate(articles):
        tick(i)
        held = stored.get(art["id"])
        if held is not None:  # snapshot indexes are term ids here (the novel words' taken in order)
            top_ids, top_novel, top_weights, rare_ids, rare_novel, names = unpack_features(held[1])
            top_ids, rare_ids = _resolved(top_ids, top_novel, term_id), _resolved(rare_ids, rare_novel, term_id)
            if stored_names is not None:
                stored_names[i] = names
        else:
            tf = Counter(content_terms(tokens(art.get("title") or "")) + content_terms(tokens(texts(i))))
            for t in tf:
                term_id(t)
            # ties between equal weights break in string order, whatever the provisional ids
            top = sorted([(t, (1 + math.log(c)) * (1.0 + math.log(n_plus / (df[vocab[t]] + 1))))
                          for t, c in tf.items()],
                         key=lambda kv: (-kv[1], kv[0]))[:top_terms]
            norm = math.sqrt(sum([w * w for _, w in top])) or 1.0
            top_words, top_weights = [t for t, _ in top], [w / norm for _, w in top]
            rare = sorted((t for t in tf if df[vocab[t]] >= 2 or not df[vocab[t]]), key=lambda t: (df[vocab[t]], t))[:n_keys]
            top_ids, rare_ids = [vocab[t] for t in top_words], [vocab[t] for t in rare]
            if fresh_features is not None:
                fresh_features.append((i, pack_features(word_ids(top_ids, top_words, n_known), top_weights,
                                                        word_ids(rare_ids, rare, n_known))))
        ids.extend(top_ids)
        weights.extend(top_weights)
        ptr.append(len(ids))
        doc_ents = ents.get(art["id"]) or _NO_ENTS
        keys.add([*rare_ids, *[ent_base + ent_ids.setdefault(e, len(ent_ids)) for e in sorted(doc_ents)]])
        rows_of = ent_words.of_article.pop(art["id"], None) if ent_words is not None else None
        ent_df = EntityShares(reader, rows_of) if rows_of and any(rows_of[1]) and reader is not None else _NO_ENTS
        docs.append(ArticleDoc(idx=i, id=art["id"], outlet=art.get("outlet"), title=art.get("title"),
                               date=parse_date(art.get("published")), published=art.get("published"), feats=None,  # type: ignore[arg-type]
                               ents=doc_ents, event=event_key(art), ent_df=ent_df,
                               # popped with its rows: a second build_docs of the same EntityRows
                               # gives no shares under no hash, not empty ones under the old hash
                               ent_inputs=ent_words.inputs.pop(art["id"], "") if ent_words is not None else ""))
    terms = list(vocab)
    del vocab
    term_ids = np.frombuffer(ids, dtype=np.int32)
    rank = order_a = None
    if len(terms) > len(known):  # words no count held: renumber every term in string order
        order = sorted(range(len(terms)), key=terms.__getitem__)
        order_a = np.array(order, dtype=np.int32)
        rank = np.empty(len(terms), dtype=np.int32)
        rank[order_a] = np.arange(len(terms), dtype=np.int32)
        term_ids = rank[term_ids] if len(term_ids) else term_ids
        terms = [terms[k] for k in order]
        df = [df[k] for k in order]
    del known, known_df
    feats = Features(terms, df, n_docs, texts)
    feats.snapshot_ids = SnapshotIds(n_known, rank, order_a)
    if reader is not None:
        reader.feats = feats  # every entity share is read from the counts once all are known
    if snapshot is not None:
        feats.default_idf = novel_idf
    for d in docs:
        d.feats = feats
    feats.ptr = np.frombuffer(ptr, dtype=np.int64)
    feats.ids = np.ascontiguousarray(term_ids, dtype=np.int32)
    feats.weights = np.frombuffer(weights, dtype=np.float64)
    del terms
    if not keep_strings:
        feats.drop_strings()
    return docs, feats, keys


def order_key(d: ArticleDoc) -> tuple[str, str]:
    return (d.date.isoformat() if d.date else "9999", d.id)


def sent_features(text: str, idf: Mapping[str, float] | Features) -> list[tuple[str, dict[str, float], list[str]]]:
    sents = []
    for s in split_sentences(text):
        toks = tokens(s)
        cont = content_terms(toks)
        if len(cont) >= 3:
            sents.append((s, toks, cont))
    if isinstance(idf, Features):  # one batched lookup for the article's words
        idf = idf.idf_of({t for _, _, cont in sents for t in cont})
    out = []
    for s, toks, cont in sents:
        # figures are strong evidence that two sentences report the same thing
        # words in text order, not set order: float sums over them (alignment scores) must not
        # depend on the string hash seed, or ties between equal sentences break differently per run
        w = {t: idf.get(t, 8.0) * (2.0 if NUM_RE.match(t) else 1.0) for t in dict.fromkeys(cont)}
        nums = [t for t in toks if NUM_RE.match(t)]
        out.append((s, w, nums))
    return out


class FeatureCache:
    """Shingles and sentence features of recently compared articles (pairs come sorted, so one
    article meets many partners in a row); bounded so memory stays flat on large corpora."""

    def __init__(self, idf: Any, k: int, size: int = 2048):
        self.idf, self.k, self.size = idf, k, size
        self.data: dict[int, tuple[np.ndarray, np.ndarray, list]] = {}

    def get(self, d: ArticleDoc) -> tuple[np.ndarray, np.ndarray, list]:
        hit = self.data.pop(d.idx, None)
        if hit is None:
            text = d.text
            seq = shingle_seq(text, self.k)
            hit = (seq, np.unique(seq), sent_features(text, self.idf))
            if len(self.data) >= self.size:
                del self.data[next(iter(self.data))]  # least recently used
        self.data[d.idx] = hit
        return hit

