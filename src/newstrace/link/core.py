""":func:`link_articles`, the order of the link stage, and the :class:`LinkResult` it returns:
local entities are merged (``entities``), article features and MinHash signatures built
(``features``), quotes grouped (``quote_groups``), candidate pairs gathered and classified
(``candidates``, ``copies``), stories clustered and same-story links added (``stories``), then
provenance, citations and figure conflicts found (``provenance``).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import operator
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Settings
from ..models import Link, QuoteGroup, Story
from ..rows import Rows, SortedLookup, as_rows, without_cycle_collection
from ..store.db import story_row
from ..store.schema import TABLES, decode_row
from ..version import __version__
from .candidates import (
    TOKEN_HASHES, by_component, decode_pairs, encode_pairs, fingerprint_codes, MinHashIndex,
)
from .copies import KINDS, classify_pair, LinkTable, Spill, swap_sides
from .entities import merge_entities
from .features import (
    article_entity_names, build_docs, EntityRows, FeatureCache, order_key, PackedVectors, Texts, Ticker, with_names,
)
from .provenance import build_provenance, find_citations, find_figure_conflicts
from .quote_groups import group_quotes, quote_pairs
from .stories import (
    cluster_stories, name_vector, NeighbourCache, shared_evidence, story_label, story_neighbour_links,
)
from .text import CONTENT_STEM, cosine, hash_id, stem_of, tokens


__all__ = ["LinkResult", "TermCounts", "link_articles"]


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
    # ids of the global entities whose stored row is kept as it is (their members did not change:
    # not in ``entities``; None: every entity is in it), and each other entity's signature
    # (``MergedEntities.signatures``), stored under ``entity_scheme`` (``store.link_entity_sigs``)
    entities_kept: Sequence[str] | None = None
    entity_sigs: Sequence[tuple[str, str]] = ()
    entity_scheme: str = ""
    # each entity merged in this run as ``(id, merge terms, members)`` (``store.link_entity_terms``,
    # under ``entity_scheme``), the stored ids they replace (None: all of them, after a full merge),
    # and why the merge was a full one (None: only the entities new rows reach were merged again)
    entity_terms: Sequence[tuple[str, str, int]] = ()
    entity_terms_dropped: Sequence[str] | None = None
    entity_fallback: str | None = None
    # MinHash band keys computed in this run, as (article id, packed keys): the store keeps them
    # (``link_minhash``) so the next run computes them only for new articles; ``minhash_full``:
    # every article's keys were computed (drop any stored ones first)
    minhash_scheme: str = ""
    minhash_keys: Sequence[tuple[str, bytes]] = ()
    minhash_full: bool = True
    # the term-weight snapshot taken in this run (``id, n_docs, terms, df``; None when the run used a
    # stored one) and the pair verdicts classified in this run under ``pairs_scheme``, as
    # ``(a, b, kind, score, compressed evidence, shared-quotes hash)`` (``store.link_pairs``);
    # ``pairs_full``: every candidate pair was classified (drop any stored verdicts first)
    term_snapshot: Any = None
    pairs_scheme: str = ""
    pairs: Sequence[tuple[str, str, str | None, float, bytes, str]] = ()
    pairs_full: bool = True
    # each article's packed term vector and fingerprint words computed in this run, under
    # ``features_scheme`` (``store.link_features``); ``features_full``: every article's was computed
    features_scheme: str = ""
    features: Sequence[tuple[str, bytes]] = ()
    features_full: bool = True
    # similarities of quote pairs computed in this run, ``(quote id, quote id, similarity)``
    # (``store.link_quote_pairs``); ``quote_scores_full``: every scored pair's was computed
    quote_scheme: str = ""
    quote_scores: Sequence[tuple[str, str, float]] = ()
    quote_scores_full: bool = True
    # each quote's words read in this run, ``(quote id, packed)`` (``store.link_quote_words``, under
    # ``quote_scheme``); ``quote_words_full``: every quote's were read
    quote_words: Sequence[tuple[str, str]] = ()
    quote_words_full: bool = True
    # stories whose articles did not change since the stored link (None: every story was made
    # again): the claim provenance and figure conflicts of their articles are kept as stored and
    # are not in ``provenance``/``figure_conflicts``; ``rows_scheme`` is what the rows are made by
    kept_stories: Sequence[str] | None = None
    # quote groups taken as stored whose quotes are all in ``kept_stories``' articles (None: none
    # kept): their ``quote_groups`` row and their provenance are the stored ones (made from the same
    # quotes and articles by the same code), so neither is made nor compared again (issue #16)
    kept_quote_groups: Sequence[str] | None = None
    rows_scheme: str = ""
    stories_scheme: str = ""  # what the story labels were made under (the features scheme)
    # stories whose row equals the stored one (id, label, articles in order, start, end: compared
    # field by field with ``existing_stories`` stored under this run's term snapshot and code;
    # None: nothing stored is reused, as in a full link with ``reuse=False``): the store keeps
    # those rows without making and comparing them again (issue #16: 8,700 story rows were encoded
    # and compared at 10,000 articles to find the few a new article changed)
    stories_unchanged: Sequence[str] | None = None
    # each article's story neighbours searched for in this run, ``(article id, inputs hash, published,
    # JSON [[similarity, article id], ...])`` under ``neighbours_scheme`` (``store.link_neighbours``);
    # ``neighbours_full``: every article's were (drop any stored ones first)
    neighbours_scheme: str = ""
    neighbours: Sequence[tuple[str, str, str | None, str]] = ()
    neighbours_full: bool = True
    # each article's entity weights read from its text in this run, ``(article id, inputs hash,
    # packed weights)`` under ``weights_scheme`` (``store.link_entity_weights``); ``weights_full``: every article's
    weights_scheme: str = ""
    entity_weights: Sequence[tuple[str, str, bytes]] = ()
    weights_full: bool = True


@dataclass(frozen=True)
class TermCounts:
    """A term-weight snapshot taken by a link run (stored by ``store.write_link_result``)."""

    id: str
    n_docs: int
    terms: list[str]
    df: list[int]


def _snapshot_of(counted: dict[str, Any]) -> TermCounts:
    """The counts a full pass took, with their id (a hash of them)."""
    h = hashlib.sha1(str(counted["n_docs"]).encode())
    for t, c in zip(counted["terms"], counted["df"]):
        h.update(f"\x1f{t}\x1e{c}".encode())
    return TermCounts(id=f"terms-{h.hexdigest()[:16]}", n_docs=counted["n_docs"], terms=counted["terms"],
                      df=counted["df"])


def _code_id() -> str:
    """The link stage's code: the package version and a hash of this package's source files. What
    a later run reuses of the stored link rows (vectors, verdicts, quote groups, provenance) was
    made by the same code, so a rule changed between two runs of one version is not left stale."""
    h = hashlib.sha1(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


CODE_ID = _code_id()


def _pairs_scheme(snapshot_id: str, settings: Settings) -> str:
    """What a stored pair verdict depends on besides the two articles: the term weights, the
    settings and the code's version."""
    return hash_id("pairs", snapshot_id, json.dumps(dataclasses.asdict(settings), sort_keys=True, default=str),
                   CODE_ID)


def _schemes(term_snapshot: Any, counted: dict[str, Any], settings: Settings) -> tuple[TermCounts | None, str, str]:
    """The snapshot this run took (None when it used a stored one), and the schemes its article
    features and pair verdicts are stored under."""
    new_snapshot = _snapshot_of(counted) if term_snapshot is None else None
    snap_id = term_snapshot.id if term_snapshot is not None else new_snapshot.id  # type: ignore[union-attr]
    return new_snapshot, _features_scheme(snap_id), _pairs_scheme(snap_id, settings)


def _features_scheme(snapshot_id: str) -> str:
    """What a stored article vector depends on besides the article: the snapshot and the code (the
    name vector packed with it since issue #16's third round)."""
    return hash_id("features+names", snapshot_id, CODE_ID)


def _quotes_hash(shared: Any) -> str:
    if not shared:  # most pairs share no quote: one hash for all of them (a JSON dump and a SHA-1
        return _NO_QUOTES_HASH  # per pair were a tenth of classifying an incremental link's pairs)
    return hashlib.sha1(json.dumps(shared, default=str).encode()).hexdigest()[:16]


_NO_QUOTES_HASH = hashlib.sha1(json.dumps([]).encode()).hexdigest()[:16]


def _classify_pairs(pairs: Iterable[tuple[int, int]], docs: Sequence[Any], feats: Any, settings: Settings,
                    quotes_by_article: Mapping[str, list[dict[str, Any]]], shared_quotes: Mapping[tuple[int, int], Any],
                    verdicts: LinkTable, spill: Spill, cache: FeatureCache, tick: Ticker,
                    reuse: Mapping[tuple[str, str], tuple[str | None, float, bytes, str]]) -> Sequence[tuple]:
    """Classify the candidate pairs into ``verdicts``; a verdict in ``reuse`` (stored under the
    same scheme, with the same shared quotes) is taken instead of classifying the pair again.
    Returns the verdicts classified here, to store: ``(a, b, kind, score, evidence, quotes hash)``,
    made when read (packed until then, the evidence read back from the spill)."""
    fresh = LinkTable([d.id for d in docs], spill)
    hashes: list[str] = []
    for k, (i, j) in enumerate(pairs):
        tick(k)
        shared = shared_quotes.get((i, j))
        qhash = _quotes_hash(shared)
        hit = reuse.get((docs[i].id, docs[j].id))
        if hit is not None and hit[3] == qhash:
            verdicts.add(i, j, hit[0], hit[1], spill.put_bytes(hit[2]))
            continue
        info = classify_pair(docs[i], docs[j], feats, settings, quotes_by_article, shared, cache)
        if info.kind is None:
            info.evidence = info.evidence[:5]  # all a same-story link shows of it (below)
        where = spill.put(info.evidence)
        verdicts.add(i, j, info.kind, info.score, where)
        fresh.add(i, j, info.kind, info.score, where)
        hashes.append(qhash)

    def make() -> Iterator[tuple]:
        for k in range(len(hashes)):
            off, n = fresh.where(k)
            yield (fresh.ids[fresh.a[k]], fresh.ids[fresh.b[k]], KINDS[fresh.kind[k]], fresh.score[k],
                   os.pread(spill.fd, n, off), hashes[k])  # the spill's bytes: zlib-compressed JSON
    return _Computed(make)


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


def _sorted_entity_rows(local_entities: Rows) -> Rows:
    """Local entity rows in (article id, local id) order: the order global entities are numbered
    in, whatever order the rows came in (the store already gives them so: no copy then)."""
    def keys() -> Iterator[tuple[str, int]]:  # each row's key made once, streamed (not all held)
        return zip(map(str, local_entities.col("article_id")),
                   (-1 if x is None else x for x in local_entities.col("local_id")))
    # compared pairwise in C: a key call per comparison was 4% of an incremental link (issue #16)
    if all(itertools.starmap(operator.le, itertools.pairwise(keys()))):
        return local_entities
    return local_entities.take(sorted(range(len(local_entities)), key=list(keys()).__getitem__))


def _merge_entities(local_entities: Rows, stored_sigs: Callable[[str], Iterable[tuple[str, str]]] | None,
                    stored_names: Callable[[str], Iterable[tuple[str, str, str]]] | None = None,
                    stored_terms: Callable[[str], Iterable[tuple[str, str, int]]] | None = None
                    ) -> tuple[Any, Sequence[dict[str, Any]], dict[str, str], dict[str, Any]]:
    """Entity map, the global entities in id order (each dict made when read), id -> name, and
    what the store keeps of them (``LinkResult.entities_kept``, ``entity_sigs``, ``entity_scheme``):
    given the signatures stored by an earlier run (``(id, signature)`` in id order), an entity of
    the same signature is left out of the entities, its stored row kept (building and comparing
    every entity's row was an eighth of an incremental link, issue #16). Given also the stored
    entities' names (``(id, name, type)``, with each local entity's stored ``entity_id``), an
    entity of exactly the members of a stored one, of its type and id, is neither named again
    nor signed: its stored row is the one it makes (``merge_entities``'s ``prior``). Given also
    each stored entity's merge terms, only the entities the new rows reach are merged again
    (``merge_entities``'s ``index``)."""
    scheme = hash_id("entities", CODE_ID)
    prior = functools.partial(stored_names, scheme) if stored_names is not None and stored_sigs is not None else None
    index = functools.partial(stored_terms, scheme) if stored_terms is not None and prior is not None else None
    entity_map, merged = merge_entities(local_entities, prior, index)
    order = sorted(range(len(merged)), key=merged.ids.__getitem__)
    kept: list[str] | None = None if stored_sigs is None else []
    write = order
    if stored_sigs is not None:
        write, stored = [], SortedLookup(stored_sigs(scheme))
        unknown = [k for k in order if not merged.kept[k]]
        sig_of = dict(zip(unknown, merged.signatures(unknown)))
        for k in order:
            gid = merged.ids[k]
            if merged.kept[k]:
                kept.append(gid)  # type: ignore[union-attr]
                continue
            held = stored.get(gid)
            if held is not None and tuple(held) == (gid, sig_of[k]):
                kept.append(gid)  # type: ignore[union-attr]
            else:
                write.append(k)
        sigs = [sig_of[k] for k in write]
    else:
        sigs = merged.signatures(write)
    store = dict(entities_kept=kept, entity_sigs=[(merged.ids[k], sig) for k, sig in zip(write, sigs)],
                 entity_scheme=scheme, entity_terms=merged.terms, entity_terms_dropped=merged.terms_dropped,
                 entity_fallback=merged.fallback)
    return entity_map, _Computed(lambda: (merged[k] for k in write)), dict(zip(merged.ids, merged.names)), store


def _fresh_keys(minhash: MinHashIndex, fresh: list[int], doc_ids: list[str]) -> Sequence[tuple[str, bytes]]:
    """``(article id, band keys)`` of the articles whose keys were computed in this run (empty
    keys for a text without shingles), streamed from the packed index arrays."""
    # views keep the index's buffers alive, not copies; ids ascend (added in article order)
    ids = np.frombuffer(minhash.ids, dtype=np.int64)
    table = np.frombuffer(minhash.keys, dtype=np.uint64).reshape(len(ids), minhash.bands)

    def make() -> Iterator[tuple[str, bytes]]:
        for i in fresh:
            k = int(np.searchsorted(ids, i))
            yield doc_ids[i], (table[k].tobytes() if k < len(ids) and int(ids[k]) == i else b"")
    return _Computed(make)


def _build_docs(articles: Sequence[dict[str, Any]], ents: dict[str, dict[str, float]],
                ent_words: EntityRows, texts: Texts,
                minhash: MinHashIndex, fresh: list[int], counted: dict[str, Any], term_snapshot: Any,
                progress: Callable[[str, int, int | None], None] | None, *,
                stored_bands: Iterable[tuple[str, bytes]] | None,
                stored_features: Iterable[tuple[str, bytes]] | None) -> tuple[Any, ...]:
    """``features.build_docs`` with what earlier runs stored, then every article's name vector:
    docs, features, fingerprint keys, name vectors, and the features computed here (packed, to store)."""
    fresh_raw: list[tuple[int, bytes]] = []
    stored_names: dict[int, tuple[Any, list[str], Any]] = {}
    docs, feats, keys = build_docs(articles, ents, texts, minhash=minhash, stored_bands=stored_bands,
                                   fresh_bands=fresh, snapshot=term_snapshot, counted=counted,
                                   stored_features=stored_features, fresh_features=fresh_raw,
                                   stored_names=stored_names, keep_strings=True, progress=progress,
                                   ent_words=ent_words)
    names, fresh_features = _name_vectors(docs, feats, fresh_raw, stored_names)
    feats.drop_strings()  # term strings were kept for the name vectors' words
    return docs, feats, keys, names, fresh_features


def _name_vectors(docs: Sequence[Any], feats: Any, fresh: list[tuple[int, bytes]],
                  stored: dict[int, tuple[Any, list[str], Any]]) -> tuple[PackedVectors, list[tuple[str, bytes]]]:
    """Every article's name vector (``stories.name_vector``: stored ones taken, the others computed
    from the texts while the term strings are still held), and the fresh articles' features packed
    with theirs, to store. A name vector depends on the article and the term snapshot only, so a
    stored one is the one a full link computes (issue #16); it is stored as snapshot indexes
    (``features.WordIds``), made final ids here without a word looked up but the novel ones."""
    vocab, ids = feats.vocab, feats.snapshot_ids
    terms = list(vocab) if fresh else []  # term id -> string (ids follow the vocabulary's order)
    fresh_of = dict(fresh)
    extra: dict[str, int] = {}  # a stored name word this run's vocabulary lacks: an id of its own
    packed: list[tuple[str, bytes]] = []

    def vectors() -> Iterator[dict[int, float] | tuple[list[int], Any]]:
        for d in docs:
            held = stored.get(d.idx)
            if held is not None:
                yield ids.final(held[0], held[1], vocab, extra), held[2]
                continue
            v = name_vector(d)
            raw = fresh_of.pop(d.idx, None)
            if raw is not None:
                packed.append((d.id, with_names(raw, (*ids.packed(v, terms), list(v.values())))))
            yield v
    return PackedVectors(vectors()), packed


def _unchanged_stories(stories: Sequence[Story], existing: Sequence[dict[str, Any]]) -> list[str] | None:
    """Ids of the stories whose stored row (``existing``, decoded) equals, in every column of
    ``TABLES["stories"]``, the row this run would write (:func:`~newstrace.store.db.story_row`, the
    writer's own record, decoded alike): a column added later is compared too. None when no stored
    row is given, as in a link that reuses nothing."""
    if not existing:
        return None
    columns = tuple(TABLES["stories"]["columns"])
    before = {str(r["id"]): r for r in existing}
    same = []
    for s in stories:
        r = before.get(s.id)
        if r is not None:
            row = decode_row(story_row(s))
            if all(r.get(c) == row.get(c) for c in columns):
                same.append(s.id)
    return sorted(same)


def _rows_scheme() -> str:
    """What the stored provenance and figure conflict rows depend on besides their articles: the code."""
    return hash_id("rows", CODE_ID)


def _kept_stories(stories: Sequence[Story], existing: Sequence[dict[str, Any]]) -> set[str]:
    """Ids of the stories stored with the same id and the same articles (issue #16)."""
    before = {str(r["id"]): sorted(r.get("article_ids") or []) for r in existing}
    return {s.id for s in stories if before.get(s.id) == sorted(s.article_ids)}


def _kept_groups(groups: Sequence[QuoteGroup], held: set[str], quotes_by_id: _RowsById, story_of: dict[str, str],
                 kept: set[str] | None) -> set[str] | None:
    """Ids of the quote groups taken as stored (``held``: ids of the last link's groups) whose
    quotes all belong to articles of ``kept`` stories (stored with the same articles): such a group
    holds the same quotes of the same articles as when the last link made its row and provenance
    record (a provenance record reads only the group's quotes, their articles and those articles'
    attributions, never another story), so both stay as stored (issue #16). None when no stored
    row can be kept (no stored groups, or the stored provenance was made by other code)."""
    if kept is None or not held:
        return None
    aid, row_of = quotes_by_id.rows.col("article_id"), quotes_by_id.row_of
    return {g.id for g in groups if g.id in held
            and all(q in row_of and story_of.get(aid[row_of[q]]) in kept for q in g.quote_ids)}


def _provenance(groups: Sequence[QuoteGroup], quotes_by_id: _RowsById, claims: Rows,
                attributions: Rows, docs_by_id: dict[str, Any], story_of: dict[str, str],
                kept: set[str] | None, claims_of: Callable[[set[str] | None], Sequence[dict[str, Any]]] | None,
                held: set[str] | None = None) -> tuple[Sequence[dict[str, Any]], list[dict[str, Any]], set[str] | None]:
    """Provenance records (streamed when written), figure conflicts, and the kept quote groups
    (:func:`_kept_groups`, of the ``held`` ones); those of the ``kept`` stories' claims and of the
    kept quote groups are left out (the stored ones stay, issue #16). Given ``claims_of``, the
    claims are read from it, only the other stories' articles' when some stories are kept."""
    touched_of = {a: s for a, s in story_of.items() if s not in kept} if kept is not None else story_of
    if claims_of is not None:
        claims = as_rows(claims_of(None if kept is None else set(touched_of)))
    kept_groups = _kept_groups(groups, held or set(), quotes_by_id, story_of, kept)
    if kept_groups:
        groups = [g for g in groups if g.id not in kept_groups]
    provenance = _Computed(functools.partial(build_provenance, groups, quotes_by_id, claims, attributions, docs_by_id,
                                             story_of, only=None if kept is None else set(touched_of)))
    return provenance, find_figure_conflicts(claims, docs_by_id, touched_of), kept_groups


def _group_quotes(quotes: Rows, docs_by_id: dict[str, Any], stored_scores: Any, stored_groups: Any,
                  stored_words: Any) -> tuple[list[QuoteGroup], dict[str, int], list[tuple], list[tuple], set[str]]:
    """``quote_groups.group_quotes`` with what earlier runs stored: the groups, each grouped quote's
    row, the quote pair similarities and quote words computed here (to store), and the ids of the
    groups taken as stored."""
    scores: list[tuple[str, str, float]] = []
    words: list[tuple[str, str]] = []
    groups, row_of = group_quotes(quotes, docs_by_id, fresh_scores=scores, stored_scores=stored_scores,
                                  stored_groups=stored_groups, stored_words=stored_words, fresh_words=words)
    return groups, row_of, scores, words, {g.id for g in groups if g.id in (stored_groups or ())}


def _credited_quotes(quotes: Rows) -> dict[str, list[dict[str, Any]]]:
    """Quote rows credited to an outlet, by article: only those can show one article citing
    another (``copies.classify_pair``)."""
    quotes_by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    q_via, q_aid = quotes.col("via"), quotes.col("article_id")
    for r in range(len(quotes)):
        if q_via[r]:
            quotes_by_article[q_aid[r]].append(quotes[r])
    return quotes_by_article


def _copy_relations(verdicts: LinkTable, docs: Sequence[Any], forced: dict[int, int],
                    related: dict[int, set[int]]) -> None:
    """Fill ``forced`` (copy -> its source: copies belong to the story of their source, whatever
    their dates; articles sharing only some recycled paragraphs may well be about another event)
    and ``related`` (derived articles, both ways) from the sorted verdicts."""
    for k in range(len(verdicts)):
        i, j, kind = verdicts.a[k], verdicts.b[k], KINDS[verdicts.kind[k]]
        if kind in ("duplicate", "rewrite"):
            a, b = sorted((docs[i], docs[j]), key=order_key)
            forced.setdefault(b.idx, a.idx)
        elif kind == "derived":
            related[i].add(j)
            related[j].add(i)


def _entity_display(entity_names: Mapping[str, str], local_entities: Rows) -> dict[str, str]:
    """Entity key (global id, else normalised name) -> the name shown for it."""
    ent_display = {gid: name or gid for gid, name in entity_names.items() if gid}
    seen_names: set[str | None] = set()
    for name in local_entities.col("name"):
        if name not in seen_names:
            seen_names.add(name)
            key = " ".join(tokens(name or ""))
            ent_display.setdefault(key, name or key)
    return ent_display


def _labelled_stories(stories_raw: Sequence[Any], docs: Sequence[Any], ent_display: dict[str, str],
                      feats: Any, existing: Sequence[dict[str, Any]]
                      ) -> tuple[list[Story], dict[str, str], list[str] | None]:
    """The clustered stories as :class:`Story` records with their labels (in date order), each
    article's story id, and the ids of the stories whose row equals their ``existing`` one
    (:func:`_unchanged_stories`). A story of the same articles as one of ``existing`` (stored under
    the same term snapshot and code) takes its label: a label depends on the members' vectors,
    titles and texts only (issue #16: every story's central article was looked for again)."""
    labels = {frozenset(r.get("article_ids") or ()): r["label"] for r in existing if r.get("label")}
    story_of: dict[str, str] = {}
    stories = []
    for st in stories_raw:
        members = sorted((docs[m] for m in st.members), key=order_key)
        for m in members:
            story_of[m.id] = st.id
        label = labels.get(frozenset(m.id for m in members)) if labels else None
        if label is None:
            label = story_label(st, docs, ent_display, feats)
        stories.append(Story(id=st.id, label=label,
                             article_ids=[m.id for m in members],
                             start=st.start.isoformat() if st.start else None,
                             end=st.end.isoformat() if st.end else None))
    stories.sort(key=lambda s: (s.start or "9999", s.id))
    return stories, story_of, _unchanged_stories(stories, existing)


def _verdict_links(verdicts: LinkTable, docs: Sequence[Any], story_of: dict[str, str], spill: Spill,
                   ent_display: dict[str, str]) -> LinkTable:
    """The links of the classified pairs: copies as classified, and pairs of one story that are
    no copies as same-story links (cosine >= 0.2), each pair in link order."""
    links = LinkTable(verdicts.ids, spill)
    for k in range(len(verdicts)):
        i, j, kind, score = verdicts.a[k], verdicts.b[k], KINDS[verdicts.kind[k]], verdicts.score[k]
        a, b = sorted((docs[i], docs[j]), key=order_key)
        swap = a.idx != i  # evidence was computed as (docs[i], docs[j]): put it in link order when read
        if kind:
            links.add(a.idx, b.idx, kind, score, verdicts.where(k), swap=swap)
        elif story_of.get(a.id) == story_of.get(b.id):
            sim = cosine(a.vec, b.vec)
            if sim >= 0.2:
                ev = swap_sides(verdicts.evidence(k)) if swap else verdicts.evidence(k)
                links.add(a.idx, b.idx, "same-story", round(sim, 3),
                          spill.put(ev[:5] + shared_evidence(a, b, ent_display)))
    return links


@without_cycle_collection
def link_articles(articles: Sequence[dict[str, Any]], *, quotes: Sequence[dict[str, Any]] = (),
                  claims: Sequence[dict[str, Any]] = (), local_entities: Sequence[dict[str, Any]] = (),
                  attributions: Sequence[dict[str, Any]] = (), existing_stories: Sequence[dict[str, Any]] = (),
                  settings: Settings | None = None, text_of: Callable[[str], str | None] | None = None,
                  stored_minhash: Callable[[str], Iterable[tuple[str, bytes]]] | None = None, term_snapshot: Any = None,
                  stored_pairs: Callable[[str], Mapping[tuple[str, str], tuple[Any, ...]]] | None = None,
                  stored_features: Callable[[str], Iterable[tuple[str, bytes]]] | None = None,
                  stored_quote_scores: Callable[[str], Mapping[tuple[str, str], float]] | None = None,
                  stored_quote_groups: Callable[[str], Mapping[str, QuoteGroup]] | None = None,
                  stored_quote_words: Callable[[str], Iterable[tuple[str, str]]] | None = None,
                  stored_link_schemes: Callable[[], Mapping[str, str]] | None = None,
                  stored_neighbours: Callable[[str], Mapping[str, tuple[Any, ...]]] | None = None,
                  stored_entity_weights: Callable[[str], Iterable[tuple[str, str, bytes]]] | None = None,
                  stored_entity_sigs: Callable[[str], Iterable[tuple[str, str]]] | None = None,
                  stored_entity_names: Callable[[str], Iterable[tuple[str, str, str]]] | None = None,
                  stored_entity_terms: Callable[[str], Iterable[tuple[str, str, int]]] | None = None,
                  claims_of: Callable[[set[str] | None], Sequence[dict[str, Any]]] | None = None,
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
        stored_minhash: called with the MinHash scheme, returns the ``(article id, band keys)`` an
            earlier run's ``LinkResult.minhash_keys`` gave, in id order (``store.stored_minhash``): those
            signatures are not computed again (they depend on the article's words only). None computes all.
        term_snapshot: stored word counts (``id, n_docs, terms, df``: ``store.stored_terms``) to
            weigh words by: each article's vector and each pair's verdict then depend on the two
            articles and the snapshot only, so stored ones stay valid. None counts them over
            ``articles`` (returned as ``LinkResult.term_snapshot``, for the next run).
        stored_pairs, stored_features: called with a scheme, return the pair verdicts
            (``store.stored_pairs``) and article vectors (``store.stored_features``) stored under
            it: those pairs are not classified, those texts not read again (with a ``term_snapshot``).
        stored_quote_scores, stored_quote_groups, stored_quote_words: likewise the similarities of
            quote pairs, the last run's quote groups and each quote's words (``store.stored_quote_*``).
        stored_link_schemes: the schemes the link tables were stored under (``store.stored_link_schemes``): the
            claim provenance and figure conflicts of an unchanged story are then kept as stored.
        stored_neighbours: called with a scheme, returns each article's story neighbours stored
            under it (``store.stored_neighbours``): only the articles a new one can reach are searched again.
        stored_entity_weights: likewise each article's entity weights (``store.stored_entity_weights``):
            only new articles' texts are read for their entities' names.
        stored_entity_sigs, stored_entity_names, stored_entity_terms: likewise each global entity's signature,
            name, and merge terms (``store``'s functions of those names): an entity of the same signature, or
            members, is not written again; only those new local entities reach are merged again.
        claims_of: reads claim rows instead of ``claims`` (``Store.link_claims``): called with the
            ids of the articles whose stories changed (None: every article's), once the stories are
            known; claims feed only those stories' provenance and figure conflicts, so the claims of
            unchanged stories are not read (issue #16). The rows must come in one order either way.
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
    # rows column by column, kept as row numbers below: a million articles' quotes, claims and local entities
    # do not fit in memory as one dict per row (issue #5)
    quotes, claims, attributions = as_rows(quotes), as_rows(claims), as_rows(attributions)
    local_entities = _sorted_entity_rows(as_rows(local_entities))
    texts = Texts(articles, text_of)
    entity_map, entities, entity_names, entities_kept = _merge_entities(
        local_entities, stored_entity_sigs, stored_entity_names, stored_entity_terms)
    weights_scheme, entity_weights, ent_words = hash_id("weights", CODE_ID), [], EntityRows(local_entities)  # type: ignore[var-annotated]
    ents = article_entity_names(local_entities, entity_map, articles, texts, fresh=entity_weights, words=ent_words,
                                stored=stored_entity_weights(weights_scheme) if stored_entity_weights else None)
    minhash, fresh, counted = MinHashIndex(settings), [], {}  # type: ignore[var-annotated]
    use_features = stored_features is not None and term_snapshot is not None
    docs, feats, keys, names, fresh_features = _build_docs(
        articles, ents, ent_words, texts, minhash, fresh, counted, term_snapshot, progress,
        stored_bands=stored_minhash(minhash.scheme) if stored_minhash else None,
        stored_features=stored_features(_features_scheme(term_snapshot.id)) if use_features else None)  # type: ignore[misc,union-attr]
    new_snapshot, features_scheme, pairs_scheme = _schemes(term_snapshot, counted, settings)
    minhash_keys = _fresh_keys(minhash, fresh, [d.id for d in docs])
    del ents, ent_words, articles  # the docs hold what is read below
    docs_by_id, quotes_by_article = {d.id: d for d in docs}, _credited_quotes(quotes)
    # links between candidate pairs
    quote_scheme = hash_id("quotes", CODE_ID)
    groups, row_of, quote_scores, quote_words, held = _group_quotes(
        quotes, docs_by_id, *((read(quote_scheme) if read else None)
                              for read in (stored_quote_scores, stored_quote_groups, stored_quote_words)))
    quotes_by_id = _RowsById(quotes, row_of)
    shared_quotes = quote_pairs(groups, quotes_by_id, docs_by_id)
    n_docs = len(docs)
    cands = np.unique(np.concatenate([minhash.pair_codes(n_docs), fingerprint_codes(keys),
                                      encode_pairs(shared_quotes, n_docs)]))
    scheme = minhash.scheme
    del minhash, keys  # not needed any more: memory on large corpora
    # candidate pairs and their verdicts are packed arrays, the evidence compressed in a temporary
    # file: a Python object per pair took ~8 KB a linked pair (issue #5)
    spill = Spill()
    verdicts = LinkTable([d.id for d in docs], spill)
    forced: dict[int, int] = {}
    related: dict[int, set[int]] = defaultdict(set)
    cache = FeatureCache(feats, settings.shingle_words)
    reuse = stored_pairs(pairs_scheme) if stored_pairs is not None and term_snapshot is not None else {}
    fresh_pairs = _classify_pairs(decode_pairs(by_component(cands, n_docs), n_docs), docs, feats, settings,
                                  quotes_by_article, shared_quotes, verdicts, spill, cache,
                                  Ticker(progress, "link: compare pairs", len(cands)), reuse)
    pairs_full = not reuse
    del cands, cache, reuse
    verdicts.sort()  # pair order: which copy's source is taken first must not depend on the above
    _copy_relations(verdicts, docs, forced, related)
    neighbours_scheme = hash_id("neighbours", pairs_scheme)
    neighbours = NeighbourCache(stored=dict(stored_neighbours(neighbours_scheme) if stored_neighbours else ()), fresh=[])
    stories_raw = cluster_stories(docs, existing_stories, settings, forced, related, name_vectors=names, neighbours=neighbours)
    del forced, related, names
    ent_display = _entity_display(entity_names, local_entities)
    del entity_names
    same = stored_link_schemes is not None and stored_link_schemes().get("stories") == features_scheme
    stories, story_of, unchanged = _labelled_stories(stories_raw, docs, ent_display, feats, existing_stories if same else ())

    links = _verdict_links(verdicts, docs, story_of, spill, ent_display)
    del verdicts
    story_neighbour_links(stories_raw, docs, links, ent_display)
    links.sort()
    kept = _kept_stories(stories, existing_stories) if stored_link_schemes is not None and \
        stored_link_schemes().get("provenance") == _rows_scheme() else None
    provenance, conflicts, kept_groups = _provenance(groups, quotes_by_id, claims, attributions, docs_by_id, story_of, kept,
                                                     claims_of, held)
    citations, outlet_citations = find_citations(quotes, attributions, docs_by_id)
    TOKEN_HASHES.clear()  # the word caches only pay off within one run
    CONTENT_STEM.clear()
    stem_of.cache_clear()
    return LinkResult(stories=stories, story_of=story_of, links=links, quote_groups=groups, provenance=provenance,
                      citations=citations, outlet_citations=outlet_citations, figure_conflicts=conflicts,
                      entity_map=entity_map, entities=entities, **entities_kept, minhash_scheme=scheme, minhash_keys=minhash_keys,
                      minhash_full=stored_minhash is None, term_snapshot=new_snapshot, pairs_scheme=pairs_scheme,
                      pairs=fresh_pairs, pairs_full=pairs_full, features_scheme=features_scheme,
                      stories_scheme=features_scheme, features=fresh_features, features_full=not use_features,
                      quote_scheme=quote_scheme, kept_quote_groups=None if kept_groups is None else sorted(kept_groups),
                      quote_scores=quote_scores, quote_scores_full=stored_quote_scores is None,
                      quote_words=quote_words, quote_words_full=stored_quote_words is None, rows_scheme=_rows_scheme(),
                      kept_stories=None if kept is None else sorted(kept), stories_unchanged=unchanged,
                      neighbours_scheme=neighbours_scheme, neighbours=neighbours.fresh, neighbours_full=neighbours.full,
                      weights_scheme=weights_scheme, entity_weights=entity_weights, weights_full=stored_entity_weights is None)

