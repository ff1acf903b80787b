"""Merging article-local entities across articles: :func:`merge_entities` (the first step of
:func:`~newstrace.link.core.link_articles`: the global ids feed each article's features and the
story labels), its results :class:`EntityMap` and :class:`MergedEntities`, held as integers per
local entity row (issue #5), and :func:`build_global_entities` for
:class:`~newstrace.models.LocalEntity` objects. Candidates are blocked by normalised surname / name
key so the merge is near-linear; full names merge when equal (honorifics stripped), a bare surname
joins the one person of that surname in the pool, or the one its context points to when several
share it, and a misspelt name ("Arulananthem") joins only when the context agrees (shared role,
organisation or co-occurring entity). Two people sharing a surname but with different first names
are never merged.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from ..extract.entities.names import (
    PARTIES, compatible_parts, entity_id, name_key_tokens, name_parts, role_dict, role_heads,
)
from ..extract.lexicon import ROLE_NOUNS
from ..extract.outlets import ACRONYM_OF, ACRONYMS, canonical_outlet, fold, org_key
from ..models import LocalEntity
from ..rows import Indexed, Rows, SortedLookup, as_rows
from .unionfind import UnionFind


class EntityMap(Mapping):
    """{(article_id, local_id): global entity id}, held as one small integer per local entity
    row (a dict of 16 million tuple keys would take ~3 GB at a million articles, issue #5).

    Iterating, ``items()`` and ``len()`` go over the rows in their order; looking one key up
    builds an index the first time.
    """

    def __init__(self, article_ids: Sequence[Any], local_ids: Sequence[Any], gid_index: Sequence[int],
                 gids: Sequence[str]):
        self.article_ids, self.local_ids, self.gid_index, self.gids = article_ids, local_ids, gid_index, gids
        self._index: dict[tuple[Any, Any], int] | None = None

    def gid_of_row(self, i: int) -> str | None:
        """The global id of local entity row ``i`` (None for a row that was not merged: no name)."""
        k = self.gid_index[i]
        return None if k < 0 else self.gids[k]

    def items(self) -> Iterator[tuple[tuple[Any, Any], str]]:  # type: ignore[override]
        aid, lid, gi, gids = self.article_ids, self.local_ids, self.gid_index, self.gids
        for i in range(len(gi)):
            if gi[i] >= 0:
                yield (aid[i], lid[i]), gids[gi[i]]

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return (k for k, _ in self.items())

    def __len__(self) -> int:
        return sum(1 for k in self.gid_index if k >= 0)

    def __getitem__(self, key: tuple[Any, Any]) -> str:
        if self._index is None:
            self._index = {(self.article_ids[i], self.local_ids[i]): i
                           for i in range(len(self.gid_index)) if self.gid_index[i] >= 0}
        return self.gids[self.gid_index[self._index[key]]]

    def __bool__(self) -> bool:
        return any(k >= 0 for k in self.gid_index)

    def __repr__(self) -> str:
        return f"EntityMap({dict(self.items())!r})"


def merge_entities(local_entities: Sequence[dict[str, Any]] | Rows,
                   prior: Callable[[], Iterable[tuple[str, str, str]]] | None = None,
                   index: Callable[[], Iterable[tuple[str, str, int]]] | None = None) -> tuple[EntityMap, MergedEntities]:
    """Merge article-local entities into global ones.

    Persons: equal names (honorifics stripped, accents folded) merge, and so do compatible forms
    of one name ("Chris Magnus", "C. Magnus"); a bare surname joins the one full name in the
    pool with that surname, or, when several people share it, the one its context points to (a
    shared role or organisation, co-occurring entities), else stays apart; a near-identical
    surname (a misspelling) joins only with the same first name and agreeing context. Two people
    sharing a surname with different first names are never merged. Organisations merge by
    normalised name and acronym (table or article-defined alias); outlets by canonical outlet
    name; places and groups by name. Work is done per distinct name within surname blocks, so
    the cost grows near-linearly with the number of rows, and rows are read column by column
    (:class:`~newstrace.rows.Rows`) with one integer of state each, so millions fit (issue #5).

    Args:
        local_entities: rows with ``article_id, local_id, name, type, aliases, roles`` (and
            optionally ``gender``: a bare surname never joins a person of the other gender),
            as dicts or :class:`~newstrace.rows.Rows`; an ``entity_id`` column (the global id an
            earlier link gave the row, ``local_entities.entity_id``) is read with ``prior``.
        prior: the entities an earlier link of the same code stored, ``(id, name, type)`` in id
            order (``store.stored_entity_names``). An entity whose members are exactly the rows
            that link gave one id, and of that entity's type, takes its stored name instead of
            being named again (the name depends on the members' names and the type only), and
            is flagged in ``MergedEntities.kept`` when it also gets the stored id: its stored row
            is the one it makes (issue #16). The result is the same with or without it.
        index: with ``prior``, each stored entity's merge terms and member count, ``(id, terms,
            members)`` (``store.stored_entity_terms``, what ``MergedEntities.terms`` held). When
            every stored row still has its stored entity and the new rows are whole new articles,
            only the stored entities the new rows can reach are merged again with them
            (:func:`_merge_incremental`, which says why the result is the full merge's); otherwise,
            or when one of its checks fails (``MergedEntities.fallback`` says which), the full merge.
    Returns:
        (entity map {(article_id, local_id): global id} as an :class:`EntityMap`, the entities
        as a :class:`MergedEntities` sequence of dicts with ``id, name, type, aliases, roles,
        article_ids``), sorted by first appearance in the input.

    >>> rows = [dict(article_id="a", local_id=0, name="Chris Magnus", type="person", aliases=[], roles=[]),
    ...         dict(article_id="b", local_id=3, name="Magnus", type="person", aliases=[], roles=[])]
    >>> emap, ents = merge_entities(rows)
    >>> emap[("a", 0)] == emap[("b", 3)], ents[0]["name"]
    (True, 'Chris Magnus')
    """
    rows = as_rows(local_entities)
    n = len(rows)
    # each column read once: a column no row has is made afresh (n integers) on every read
    name_col, type_col, gender_col = rows.col("name"), rows.col("type"), rows.col("gender")
    aid_col, lid_col = rows.col("article_id"), rows.col("local_id")
    named = [i for i in range(n) if name_col[i]]
    raw_types = [type_col[i] or "organisation" for i in range(n)]
    types = list(raw_types)
    votes = _type_votes(name_col, raw_types, named)
    _agree_types(name_col, gender_col, types, named, votes)
    fallback = "no stored entities" if prior is None or index is None else None
    if fallback is None:
        done = _merge_incremental(rows, named, raw_types, types, prior, index, votes)  # type: ignore[arg-type]
        if not isinstance(done, str):
            return done
        fallback = done
    uf = UnionFind(n)
    keys, parts = _merge_keys(name_col, gender_col, types, named)
    _union_equal_keys(rows, named, types, keys, uf)  # steps 1 and 2
    _PersonMerge(rows, aid_col, name_col, gender_col, keys, parts, uf).run(named)  # steps 3 and 4
    # output: clusters in order of their first row, members in row order
    root_of = np.fromiter((uf.find(i) for i in named), dtype=np.int64, count=len(named))
    named_a = np.fromiter(named, dtype=np.int64, count=len(named))
    del uf, named
    merged = _in_label_order(rows, named_a, root_of)
    del root_of, named_a
    held = _held_ids(merged, rows.col("entity_id")) if prior is not None else None
    if held is not None and index is not None:  # an id that lost members since (a row removed) is not held
        sizes = dict(_term_index(index).sizes())
        held = [g if g is None or sizes.get(g) == int(merged.bounds[k + 1] - merged.bounds[k]) else None
                for k, g in enumerate(held)]
    gid_index = _name_entities(merged, types, name_col, held, prior)
    merged.terms = _entity_terms(merged, range(len(merged)), rows, raw_types, types, keys, parts)
    merged.fallback = fallback
    return EntityMap(aid_col, lid_col, gid_index, merged.ids), merged


def _in_label_order(rows: Rows, named_a: np.ndarray, label: np.ndarray) -> MergedEntities:
    """The entities of the named rows ``named_a`` given each one's cluster ``label`` (the number of
    the cluster's first row): clusters in label order, members in row order."""
    order = np.argsort(label, kind="stable")
    in_order = named_a[order]
    starts = np.flatnonzero(np.diff(label[order])) + 1 if len(order) else np.zeros(0, dtype=np.int64)
    return MergedEntities(rows, in_order, np.concatenate(([0], starts)) if len(in_order) else starts)


# Misspelt-surname blocks (step 4 of merge_entities): a block of more surnames than this is skipped
_BLOCK_MAX = 300


def _surname_blocks(surname: str) -> tuple[str, ...]:
    """The misspelt-surname blocks (step 4 of :func:`merge_entities`) a surname is compared in: those
    of its first and of its last three letters; none under five letters."""
    return ("a:" + surname[:3], "z:" + surname[-3:]) if len(surname) >= 5 else ()


_SLOT = {"person": 0, "organisation": 1, "place": 2}


def _type_votes(name_col: Sequence[Any], types: Sequence[str], rows: Iterable[int]) -> tuple[dict[str, list[int]], Counter]:
    """What :func:`_agree_types` decides by, over ``rows``: per one-word name the rows typing it
    person, organisation and place, and how many person rows have each surname."""
    counts: dict[str, list[int]] = {}  # one-word name -> [person, organisation, place] rows
    surnames: Counter = Counter()
    slot = _SLOT
    for i in rows:
        name, t = name_col[i], types[i]
        if " " not in name:
            if t in slot:
                counts.setdefault(name, [0, 0, 0])[slot[t]] += 1
        elif t == "person":
            surnames[name.rsplit(" ", 1)[1]] += 1
    return counts, surnames


def _agreed_type(name: str, counts: Mapping[str, list[int]], surnames: Mapping[str, int]) -> str | None:
    """The type :func:`_agree_types` gives an ungendered one-word person row of this name under
    these votes (None: it stays a person)."""
    if surnames.get(name, 0) > 0:
        return None
    c = counts.get(name)
    if c is not None and max(c[1], c[2]) >= 2 and c[1] + c[2] > c[0]:
        return "organisation" if c[1] >= c[2] else "place"
    return None


def _agree_types(name_col: Sequence[Any], gender_col: Sequence[Any], types: list[str], named: list[int],
                 votes: tuple[dict[str, list[int]], Counter] | None = None) -> None:
    """Issue #17: a one-word person name more articles (2+) type organisation or place takes that
    type. ``votes``: :func:`_type_votes` of ``named`` when already counted."""
    counts, surnames = votes if votes is not None else _type_votes(name_col, types, named)
    for i in named:
        if types[i] != "person" or gender_col[i]:
            continue
        t = _agreed_type(name_col[i], counts, surnames)
        if t is not None:
            types[i] = t


def _flipped_types(rows: Rows, old: list[int], new: list[int], raw_types: list[str], types: list[str],
                   votes: tuple[dict[str, list[int]], Counter]) -> list[int]:
    """The stored rows (``old``) whose :func:`_agree_types` type over all rows (``types``, decided
    by ``votes``) differs from the one it had over the stored rows alone (the stored merge's): only
    a name whose votes the new rows change can differ, so only those rows are decided again."""
    name_col, gender_col = rows.col("name"), rows.col("gender")
    counts, surnames = votes
    new_counts, new_surnames = _type_votes(name_col, raw_types, new)
    if not new_counts and not new_surnames:
        return []
    before_counts = {k: [a - b for a, b in zip(counts[k], v)] for k, v in new_counts.items()}
    before_surnames = {k: surnames[k] - v for k, v in new_surnames.items()}
    changed = set(before_counts) | set(before_surnames)
    out = []
    for i in old:
        name = name_col[i]
        if name not in changed or raw_types[i] != "person" or gender_col[i] or " " in name:
            continue
        c = before_counts.get(name, counts.get(name))
        was = _agreed_type(name, {name: c} if c is not None else {},
                           {name: before_surnames.get(name, surnames.get(name, 0))})
        if (was or "person") != types[i]:
            out.append(i)
    return out


def _merge_keys(name_col: Sequence[Any], gender_col: Sequence[Any], types: list[str],
                named: list[int]) -> tuple[list[str], list[tuple | None]]:
    """Each row's merge key (one shared string per distinct key) and a person's name parts."""
    n = len(types)
    interned: dict[str, str] = {}
    keys: list[str] = [""] * n
    parts: list[tuple | None] = [None] * n
    parts_of_name: dict[str, tuple] = {}
    # a key depends on the name, type and gender only: made once per distinct three (bounded)
    made: dict[tuple[Any, str, Any], tuple[str, tuple | None]] = {}
    for i in named:
        name, t = name_col[i], types[i]
        hit = made.get((name, t, gender_col[i]))
        if hit is not None:
            keys[i], parts[i] = hit
            continue
        if len(made) >= 200_000:
            made.clear()
        k, parts[i] = _key_of(name, t, gender_col[i], parts_of_name)
        keys[i] = interned.setdefault(k, k)
        made[(name, t, gender_col[i])] = (keys[i], parts[i])
    return keys, parts


def _key_of(name: str, t: str, gender: Any, parts_of_name: dict[str, tuple]) -> tuple[str, tuple | None]:
    """One row's merge key and, for a person, its name parts (``parts_of_name`` caches them)."""
    pt = None
    if t == "person" and not _is_title_name(name):
        pt = parts_of_name.get(name)
        if pt is None:
            pt = parts_of_name[name] = name_parts(name)
        g = gender if not pt[0] and not pt[2] else None  # "Mrs Howard" vs "Mr Howard"
        k = "p:" + " ".join(x for x in (pt[0], pt[1]) if x) + (":noble" if pt[2] and not pt[0] else "") \
            + (":" + g if g else "")
    elif t == "person":
        k = "t:" + fold(name).lower()
    elif t == "outlet":
        k = "outlet:" + (canonical_outlet(name) or name).lower()
    elif t == "organisation":
        party = PARTIES.get(fold(name).lower())
        ok = org_key(name)
        acr = ACRONYM_OF.get(ok) or (name.upper() if name.isupper() and name.upper() in ACRONYMS else None)
        k = "o:" + (party.lower() if party else acr.lower() if acr else ok)
    else:
        k = t[0] + ":" + org_key(name)
    return k, pt


def _alias_keys(rows: Rows, i: int, key: str) -> list[str]:
    """The keys an organisation row's aliases point to (step 2 of :func:`merge_entities`), its own key left out."""
    out = []
    for a in rows.decoded("aliases", i) or []:
        ak = "o:" + (a.lower() if a.isupper() and len(a) <= 8 else org_key(a))
        if ak != key:
            out.append(ak)
    return out


def _union_equal_keys(rows: Rows, named: list[int], types: list[str], keys: list[str], uf: UnionFind) -> None:
    """Steps 1 and 2 of :func:`merge_entities`: equal keys, then organisations' acronym aliases."""
    # 1. equal keys
    first: dict[str, int] = {}
    for i in named:
        k = keys[i]
        if k in first:
            uf.union(first[k], i)
        else:
            first[k] = i
    # 2. organisations: an acronym alias defined in an article links to the long form's key
    raw = rows.col("aliases")
    for i in named:
        if types[i] != "organisation" or raw[i] in (None, "", "[]"):  # most have none: not decoded
            continue
        for ak in _alias_keys(rows, i, keys[i]):
            j = first.get(ak)
            if j is not None and types[j] == "organisation":
                uf.union(j, i)


class _PersonMerge:
    """Steps 3 and 4 of :func:`merge_entities` (persons per surname block, then misspelt
    surnames), with the context a bare or misspelt surname is judged by."""

    def __init__(self, rows: Rows, aid_col: Sequence[Any], name_col: Sequence[Any], gender_col: Sequence[Any],
                 keys: list[str], parts: list[tuple | None], uf: UnionFind):
        self.rows, self.aid_col, self.name_col, self.gender_col = rows, aid_col, name_col, gender_col
        self.keys, self.parts, self.uf = keys, parts, uf
        # context of a row: role heads/orgs, and the keys of the entities in its article (read from
        # the article's rows when asked: only rows in an ambiguous surname block ever are)
        self.art_rows: dict[Any, list[tuple[int, int]]] = defaultdict(list)
        prev, lo = None, 0
        n = len(keys)
        for i in range(n + 1):  # consecutive runs of one article are kept as ranges
            a = aid_col[i] if i < n else object()
            if i and a != prev:
                self.art_rows[prev].append((lo, i))
                lo = i
            prev = a
        self.art_key_cache: dict[Any, set[str]] = {}
        # the key of a named row left out of ``keys`` (an incremental merge computes keys for the
        # rows it merges again only; context reads their articles' other rows too)
        self.fill: Callable[[int], str] | None = None
        # misspelt-surname blocks of more than 300 surnames over all rows (an incremental merge
        # sees only some of each block's surnames)
        self.too_big: set[str] = set()

    def article_keys(self, aid: Any) -> set[str]:
        """The keys of the named entities of one article."""
        ks = self.art_key_cache.get(aid)
        if ks is None:
            keys, name_col = self.keys, self.name_col
            fill = self.fill
            ks = {keys[j] or fill(j) if fill is not None else keys[j]
                  for lo_, hi in self.art_rows.get(aid, ()) for j in range(lo_, hi) if name_col[j]}
            if len(self.art_key_cache) >= 100_000:
                self.art_key_cache.clear()
            self.art_key_cache[aid] = ks
        return ks

    def context(self, members: Sequence[int]) -> tuple[set[str], set[str]]:
        """(role heads and organisations, keys of co-occurring entities) of some rows."""
        rh: set[str] = set()
        co: set[str] = set()
        for i in members[:200]:
            rh |= role_heads([role_dict(x) for x in (self.rows.decoded("roles", i) or [])])
            co |= self.article_keys(self.aid_col[i]) - {self.keys[i]}
        return rh, co

    def run(self, named: list[int]) -> None:
        """Steps 3 and 4 over the named rows."""
        # 3. persons, per surname block, per distinct name key
        by_surname: dict[str, dict[str, array]] = defaultdict(lambda: defaultdict(lambda: array("q")))
        for i in named:
            pt = self.parts[i]
            if pt is not None and pt[1]:
                by_surname[pt[1]][self.keys[i]].append(i)
        for by_key in by_surname.values():
            self.merge_surname(by_key)
        self.merge_misspelt_surnames(by_surname)

    def merge_surname(self, by_key: dict[str, array]) -> None:
        """Step 3 for one surname: compatible full names, then the bare surnames ({key: rows})."""
        uf, parts, gender_col = self.uf, self.parts, self.gender_col
        full_keys = [k for k, m in by_key.items() if parts[m[0]][0] or parts[m[0]][2]]  # type: ignore[index]
        # compatible forms of one full name ("Chris Magnus" / "C. Magnus"); distinct first names never
        for x, ka in enumerate(full_keys):
            for kb in full_keys[x + 1:]:
                pa, pb = parts[by_key[ka][0]], parts[by_key[kb][0]]
                if compatible_parts(pa, pb) and (pa[0] is None) == (pb[0] is None):  # type: ignore[index]
                    uf.union(by_key[ka][0], by_key[kb][0])
        roots = sorted({uf.find(by_key[k][0]) for k in full_keys})
        single_keys = [k for k in by_key if k not in full_keys]
        if not single_keys:
            return
        if not roots:
            # surnames only: one person unless both genders are written
            gendered = [k for k in single_keys if k.endswith((":m", ":f"))]
            if len(gendered) <= 1:
                for k in single_keys[1:]:
                    uf.union(by_key[single_keys[0]][0], by_key[k][0])
            return
        root_gender = {r: {gender_col[i] for k in full_keys for i in by_key[k]
                           if uf.find(i) == r and gender_col[i]} for r in roots}
        if len(roots) == 1:
            self._join_the_person(by_key, single_keys, roots[0], root_gender[roots[0]])
        else:
            self._join_by_context(by_key, full_keys, single_keys, roots, root_gender)

    def _join_the_person(self, by_key: dict[str, array], single_keys: list[str], root: int, rg: set[str]) -> None:
        """Bare surnames join the one person of their surname (``root``, of genders ``rg``)."""
        gender_col = self.gender_col
        single_g = {gender_col[i] for k in single_keys for i in by_key[k]} - {None}
        for k in single_keys:
            for i in by_key[k]:
                g = gender_col[i]
                # "Mrs Howard" does not join Michael Howard: a gendered bare surname joins only a
                # person of that gender, or of unknown gender when the pool has no other gender
                if g and ((rg and g not in rg) or (not rg and len(single_g) > 1)):
                    continue
                self.uf.union(root, i)

    def _join_by_context(self, by_key: dict[str, array], full_keys: list[str], single_keys: list[str],
                         roots: list[int], root_gender: dict[int, set[str]]) -> None:
        """Bare surnames of several people (``roots``) join the one their context points to, if any."""
        uf, gender_col = self.uf, self.gender_col
        # ambiguous surname: each article's bare surname joins the person its context points to
        members_of = {r: [i for k in full_keys for i in by_key[k] if uf.find(i) == r] for r in roots}
        ctx = {r: self.context(members_of[r]) for r in roots}
        for k in single_keys:
            for i in by_key[k]:
                rh, co = self.context([i])
                g = gender_col[i]
                scored = sorted(((len(rh & ctx[r][0]) * 2 + len(co & ctx[r][1]), r) for r in roots
                                 if not (g and root_gender[r] and g not in root_gender[r])), reverse=True)
                if not scored:
                    continue
                scored.append((0, -1))
                if scored[0][0] > 0 and scored[0][0] >= 2 * max(1, scored[1][0]):
                    uf.union(scored[0][1], i)

    def merge_misspelt_surnames(self, by_surname: dict[str, dict[str, array]]) -> None:
        """Step 4: near-identical surnames ({surname: {key: rows}}) whose context agrees."""
        # 4. misspelt surnames: distinct surnames blocked by their first and last three letters
        blocks: dict[str, set[str]] = defaultdict(set)
        for sn in by_surname:
            for b in _surname_blocks(sn):
                blocks[b].add(sn)
        seen_pairs: set[tuple[str, str]] = set()
        for block, sns in blocks.items():
            sns_l = sorted(sns)
            if len(sns_l) > _BLOCK_MAX or len(sns_l) < 2 or block in self.too_big:
                continue
            # the block's pairs scored at once in C (a Python call per pair was a sixth of the
            # merge, issue #16), a point below the bar; each pair found is scored again as before
            near = process.cdist(sns_l, sns_l, scorer=fuzz.ratio, score_cutoff=84, dtype=np.float64)
            for x, y in zip(*np.nonzero(np.triu(near, 1))):
                sa, sb = sns_l[x], sns_l[y]
                if (sa, sb) in seen_pairs or fuzz.ratio(sa, sb) < 85:
                    continue
                seen_pairs.add((sa, sb))
                self._join_misspelling(by_surname[sa], by_surname[sb])

    def _join_misspelling(self, by_key_a: dict[str, array], by_key_b: dict[str, array]) -> None:
        """Names of two near-identical surnames merge when no first names differ and contexts agree."""
        uf, parts = self.uf, self.parts
        for ka, ma in by_key_a.items():
            for kb, mb in by_key_b.items():
                fa, fb = parts[ma[0]][0], parts[mb[0]][0]  # type: ignore[index]
                if fa and fb and fa != fb:
                    continue
                ra, rb = uf.find(ma[0]), uf.find(mb[0])
                if ra == rb:
                    continue
                ca = self.context(ma)
                cb = self.context(mb)
                if (ca[0] & cb[0]) or (ca[1] & cb[1]):
                    uf.union(ra, rb)


def _held_ids(merged: MergedEntities, stored_col: Sequence[Any]) -> list[str | None]:
    """Per merged entity, the global id an earlier link gave exactly its member rows (all of them
    that id, and no other row), else None. Compared as integer codes, all entities at once."""
    code_of: dict[Any, int] = {None: -1}
    codes = np.fromiter((code_of.setdefault(g, len(code_of) - 1) for g in stored_col), dtype=np.int64,
                        count=len(stored_col))
    ids = [g for g in code_of if g is not None]  # code -> stored id (dicts keep insertion order)
    if not len(merged) or not ids:
        return [None] * len(merged)
    size = np.bincount(codes[codes >= 0], minlength=len(ids))
    member_codes = codes[merged.in_order]
    lo = merged.bounds[:-1]
    first, low, high = member_codes[lo], np.minimum.reduceat(member_codes, lo), np.maximum.reduceat(member_codes, lo)
    same = (first >= 0) & (low == high) & (size[np.maximum(first, 0)] == np.diff(merged.bounds))
    return [ids[c] if ok else None for c, ok in zip(first.tolist(), same.tolist())]


def _id_base(gid: str) -> str:
    """The :func:`entity_id` part of a global id (without the ``-N`` of a shared name)."""
    head, _, tail = gid.rpartition("-")
    return head if head.startswith("ent-") and tail.isdigit() else gid


class _Namer:
    """What :func:`_name_entities` and :func:`_name_merged` both do to name an entity made anew:
    its type is its members' majority type, its name :func:`_cluster_name`'s, its id the name's
    :func:`entity_id` numbered ``-N`` in the order asked (two people sharing one name: distinct ids).

    Args:
        types: each local entity row's type.
        name_col: each local entity row's name.
    """

    def __init__(self, types: Sequence[str], name_col: Sequence[Any]):
        self.types, self.name_col = types, name_col
        self.counts: Counter = Counter()
        self.person_keys: dict[str, str] = {}  # a person name's key form, made once per distinct name

    def type_of(self, members: list[int]) -> str:
        types = self.types
        return types[members[0]] if len(members) == 1 else Counter(types[i] for i in members).most_common(1)[0][0]

    def name(self, members: list[int], type_: str) -> tuple[str, str]:
        """(name, id base) of an entity of these member rows and this type."""
        name = _cluster_name([self.name_col[i] for i in members], type_, self.person_keys)
        return name, entity_id(type_, name)

    def number(self, base: str) -> str:
        """The id for the next entity of this id base: the base, then ``base-2``, ``base-3`` ..."""
        self.counts[base] += 1
        n = self.counts[base]
        return base if n == 1 else f"{base}-{n}"


def _name_entities(merged: MergedEntities, types: list[str], name_col: Sequence[Any],
                   held: list[str | None] | None = None,
                   prior: Callable[[], Iterable[tuple[str, str, str]]] | None = None) -> array:
    """Name each merged entity and give it its id; the entity number of each row (-1: none).
    An entity ``held`` under a stored id of its type takes the stored name (:func:`merge_entities`)."""
    gid_index = array("q", [-1]) * len(types)
    namer = _Namer(types, name_col)
    named: dict[str, tuple[str, str]] = {}  # stored id -> (name, type), for the held ids only
    if held is not None and prior is not None:
        look = SortedLookup(prior())
        for g in sorted({g for g in held if g is not None}):
            row = look.get(g)
            if row is not None:
                named[g] = (row[1], row[2])
    for k in range(len(merged)):
        members = merged.members(k)
        type_ = namer.type_of(members)
        was = held[k] if held is not None else None
        stored = named.get(was) if was is not None else None
        if stored is not None and stored[1] == type_:
            name, base = stored[0], _id_base(was)  # type: ignore[arg-type]
        else:
            name, base = namer.name(members, type_)
        gid = namer.number(base)
        for i in members:
            gid_index[i] = k
        merged.add(gid, name, type_, kept=stored is not None and gid == was)
    return gid_index


def _row_terms(rows: Rows, cols: tuple[Sequence[Any], Sequence[Any]], i: int, raw_types: list[str], types: list[str],
               keys: list[str], parts: list[tuple | None]) -> list[str]:
    """What can tie local entity row ``i`` to rows of other articles in :func:`merge_entities`,
    as terms: its key (``k``), a person's surname (``s``: its surname block), the keys its aliases
    point to (``a``) and, for a one-word name typed person, the name (``w``: ``_agree_types``
    counts it). Stored per entity (``MergedEntities.terms``) for :func:`_merge_incremental`.
    ``cols``: the name and aliases columns."""
    name_col, alias_col = cols
    key = keys[i]
    out = ["k" + key]
    pt = parts[i]
    if pt is not None and pt[1]:
        out.append("s" + pt[1])
    if types[i] == "organisation" and alias_col[i] not in (None, "", "[]"):
        out.extend("a" + ak for ak in _alias_keys(rows, i, key))
    name = name_col[i]
    if raw_types[i] == "person" and " " not in name:
        out.append("w" + name)
    return out


def _entity_terms(merged: MergedEntities, which: Iterable[int], rows: Rows, raw_types: list[str],
                  types: list[str], keys: list[str], parts: list[tuple | None]) -> list[tuple[str, str, int]]:
    """``(id, terms, members)`` of the entities ``which`` (:func:`_row_terms` of their members,
    distinct and sorted, joined by \\x1f), what ``store.stored_entity_terms`` gives back."""
    out = []
    cols = (rows.col("name"), rows.col("aliases"))
    for k in which:
        members = merged.members(k)
        terms: set[str] = set()
        for i in members:
            terms.update(_row_terms(rows, cols, i, raw_types, types, keys, parts))
        out.append((merged.ids[k], "\x1f".join(sorted(terms)), len(members)))
    return out


def _pending_terms(rows: Rows, new: list[int], raw_types: list[str], types: list[str], keys: list[str],
                   parts: list[tuple | None]) -> set[str]:
    """The terms through which the new rows can change a stored entity: their own terms, the keys
    their aliases name (``k`` + alias key), the aliases that may name their keys (``a`` + key), and the one-word names whose person/
    organisation/place counts or surname standing they change (``_agree_types``)."""
    name_col = rows.col("name")
    cols = (name_col, rows.col("aliases"))
    out: set[str] = set()
    for i in new:
        terms = _row_terms(rows, cols, i, raw_types, types, keys, parts)
        out.update(terms)
        out.update("k" + t[1:] for t in terms if t[0] == "a")  # the entity of the key an alias names
        out.add("a" + keys[i])
        name = name_col[i]
        if " " not in name:
            if raw_types[i] in ("person", "organisation", "place"):
                out.add("w" + name)
        elif raw_types[i] == "person":
            out.add("w" + name.rsplit(" ", 1)[1])
    return out


def _misspelt_blocks(stored_surnames: Iterable[str], new_surnames: set[str]) -> tuple[dict[str, set[str]], set[str]] | str:
    """Misspelt-surname blocks (step 4 of :func:`merge_entities`) over the stored and new surnames,
    and the blocks of more than 300 (skipped); a reason when the new surnames push a block over 300
    (the stored merge compared its surnames, the full one does not)."""
    blocks: dict[str, set[str]] = defaultdict(set)
    for sn in stored_surnames:
        for b in _surname_blocks(sn):
            blocks[b].add(sn)
    before = {b: len(v) for b, v in blocks.items()}
    for sn in new_surnames:
        for b in _surname_blocks(sn):
            blocks[b].add(sn)
    too_big = {b for b, v in blocks.items() if len(v) > _BLOCK_MAX}
    if any(before.get(b, 0) <= _BLOCK_MAX for b in too_big):
        return "a misspelt-surname block grew past 300 surnames"
    return blocks, too_big


def _merge_incremental(rows: Rows, named: list[int], raw_types: list[str], types: list[str],
                       prior: Callable[[], Iterable[tuple[str, str, str]]],
                       index: Callable[[], Iterable[tuple[str, str, int]]],
                       votes: tuple[dict[str, list[int]], Counter]) -> tuple[EntityMap, MergedEntities] | str:
    """:func:`merge_entities` of stored rows (each with the ``entity_id`` an earlier full-equal
    merge gave it) and new rows, merging again only the stored entities the new rows can reach;
    a reason string when it cannot (the caller then merges everything).

    Why the result is the full merge's: every decision of the merge depends on the rows of one
    key (step 1), of one organisation and the keys its aliases name (step 2), of one surname block
    (step 3) or of two surname blocks of near-identical surnames (step 4), on the types
    ``_agree_types`` gives over all rows (computed over all rows here), and on context read from
    the rows of the decided rows' articles. The new rows are whole new articles (checked), so a
    stored row's context changes only where a stored row's type (and so its key) changes with the
    new rows' votes: the stored entities with a row in such an article are merged again. The stored
    entities reached from the terms of the new rows and of the retyped ones (:func:`_pending_terms`),
    from the surnames of all these, and from each near-identical stored surname of one of those
    surnames, taken with every entity sharing a surname with one of them (so each surname block is
    whole), hold every row of every key, alias target and surname block whose decisions can change. Merged again
    with the new rows they give what the full merge gives them: their blocks are whole, a block the
    full merge skips as too big is skipped here too (checked over all surnames), and a
    near-identical pair with one side outside was decided from rows that did not change (its
    outcome: apart, or it would be one entity). Every other stored entity keeps its members, name,
    type (its rows, blocks and context did not change), and its id's ``-N`` number is counted again
    in the full merge's order (an entity merged again may take or free a number before it).
    """
    n = len(rows)
    name_col, gender_col, aid_col, eid_col = rows.col("name"), rows.col("gender"), rows.col("article_id"), rows.col("entity_id")
    terms_index = _term_index(index)
    sizes = list(terms_index.sizes())
    if not sizes:
        return "no stored entity terms"
    if not terms_index.indexed():
        return "stored entity terms not indexed"
    ids = [g for g, _ in sizes]
    code_of = {g: c for c, g in enumerate(ids)}
    new = [i for i in named if eid_col[i] is None]
    old = [i for i in named if eid_col[i] is not None]
    codes = np.fromiter((code_of.get(eid_col[i], -1) for i in old), dtype=np.int64, count=len(old))
    if len(codes) and codes.min() < 0:
        return "a stored row's entity has no stored terms"
    members = np.fromiter((m for _, m in sizes), dtype=np.int64, count=len(ids))
    del sizes
    if not np.array_equal(np.bincount(codes, minlength=len(ids)), members):
        return "stored entities lost members"
    new_articles = {aid_col[i] for i in new}
    if new_articles and any(aid_col[i] in new_articles for i in old):
        return "an article holds stored and new rows"
    # the rows whose type differs from the one the stored merge gave them (_agree_types over the
    # stored rows alone): their keys change, and their articles' context
    flipped = _flipped_types(rows, old, new, raw_types, types, votes)
    parts_of_name: dict[str, tuple] = {}
    keys: list[str] = [""] * n
    parts: list[tuple | None] = [None] * n
    for i in new + flipped:
        keys[i], parts[i] = _key_of(name_col[i], types[i], gender_col[i], parts_of_name)
    new_surnames = {pt[1] for i in new if (pt := parts[i]) is not None and pt[1]}
    got = _misspelt_blocks(terms_index.surnames(), new_surnames)
    if isinstance(got, str):
        return got
    blocks, too_big = got
    pending = _pending_terms(rows, new + flipped, raw_types, types, keys, parts)
    # the stored entities with a row in an article whose context changed (a row's type flipped):
    # merged again, and the near-identical surnames of theirs, as a new row's are
    changed = {aid_col[i] for i in flipped}
    context = {int(c) for i, c in zip(old, codes.tolist()) if aid_col[i] in changed} if changed else set()
    pending.update("s" + sn for sn in new_surnames)
    stored: dict[str, tuple[str, int]] = {}  # the terms read, of the entities reached
    stored.update((g, (t, m)) for g, t, m in terms_index.of_ids(ids[c] for c in context))
    pending.update(t for c in context for t in stored[ids[c]][0].split("\x1f") if t[:1] == "s")
    for sn in {t[1:] for t in pending if t[0] == "s"}:
        for b in _surname_blocks(sn):
            if b not in too_big:
                pending.update("s" + x for x in blocks[b] if x != sn and fuzz.ratio(sn, x) >= 85)
    affected = _reached(pending, terms_index, stored, code_of) | context
    old_a = np.fromiter(old, dtype=np.int64, count=len(old))
    again = np.sort(np.concatenate((old_a[np.isin(codes, np.fromiter(affected, dtype=np.int64, count=len(affected)))],
                                    np.fromiter(new, dtype=np.int64, count=len(new))))).tolist()
    return _merge_subset(rows, named, again, old_a, codes, ids, _ReadTerms(stored, terms_index), members, affected,
                         raw_types, types, keys, parts, too_big, prior)


def _reached(pending: set[str], index: Any, stored: dict[str, tuple[str, int]], code_of: dict[str, int]) -> set[int]:
    """Codes of the stored entities holding a pending term, and of every entity sharing a surname
    with one of them (transitively): each surname block the merge decides again is whole. Read
    from the term ``index`` a round of terms at a time (only the entities reached); the terms of
    those read are added to ``stored``."""
    affected: set[int] = set()
    seen: set[str] = set()
    frontier = set(pending)
    while frontier:
        seen |= frontier
        more: set[str] = set()
        for gid, terms, members in index.with_terms(frontier):
            c = code_of.get(gid)
            if c is None or c in affected:
                continue
            affected.add(c)
            stored[gid] = (terms, members)
            more.update(x for x in (terms.split("\x1f") if terms else ()) if x[0] == "s")
        frontier = more - seen
    return affected


class _TermsInMemory:
    """:class:`~newstrace.store.db.EntityTerms`' reads over rows held in memory (``merge_entities``
    given its ``index`` as a function of all rows, as the tests give it)."""

    def __init__(self, rows: Iterable[tuple[str, str, int]]):
        self.rows = {gid: (terms, members) for gid, terms, members in rows}
        self.inverted: dict[str, list[str]] | None = None

    def indexed(self) -> bool:
        return True

    def sizes(self) -> Iterator[tuple[str, int]]:
        return ((g, m) for g, (_, m) in self.rows.items())

    def with_terms(self, terms: Iterable[str]) -> Iterator[tuple[str, str, int]]:
        if self.inverted is None:
            self.inverted = defaultdict(list)
            for g, (t, _) in self.rows.items():
                for x in t.split("\x1f") if t else ():
                    self.inverted[x].append(g)
        found = {g for t in terms for g in self.inverted.get(t, ())}
        return ((g, *self.rows[g]) for g in sorted(found))

    def of_ids(self, ids: Iterable[str]) -> Iterator[tuple[str, str, int]]:
        return ((g, *self.rows[g]) for g in sorted(set(ids)) if g in self.rows)

    def surnames(self) -> Iterator[str]:
        return (x[1:] for t, _ in self.rows.values() for x in (t.split("\x1f") if t else ()) if x[0] == "s")


def _term_index(index: Callable[[], Any]) -> Any:
    """The stored merge terms ``index()`` gives: the store's :class:`~newstrace.store.db.EntityTerms`
    as it is, rows of ``(id, terms, members)`` read into a :class:`_TermsInMemory`."""
    got = index()
    return got if hasattr(got, "with_terms") else _TermsInMemory(got)


class _ReadTerms(Mapping):
    """Stored entities' ``(terms, members)`` by id: those read while reaching (held), any other
    read from the term index when asked (a kept entity whose id moved, :func:`_name_merged`)."""

    def __init__(self, held: dict[str, tuple[str, int]], index: Any):
        self.held, self.index = held, index

    def __getitem__(self, gid: str) -> tuple[str, int]:
        if gid not in self.held:
            self.held.update((g, (t, m)) for g, t, m in self.index.of_ids([gid]))
        return self.held[gid]

    def __iter__(self) -> Iterator[str]:
        return iter(self.held)

    def __len__(self) -> int:
        return len(self.held)


def _merge_subset(rows: Rows, named: list[int], again: list[int], old_a: np.ndarray, codes: np.ndarray,
                  ids: list[str], stored: Mapping[str, tuple[str, int]], members: np.ndarray, affected: set[int],
                  raw_types: list[str], types: list[str], keys: list[str], parts: list[tuple | None], too_big: set[str],
                  prior: Callable[[], Iterable[tuple[str, str, str]]]) -> tuple[EntityMap, MergedEntities] | str:
    """Steps 1 to 4 of :func:`merge_entities` over the rows ``again`` (whole keys and surname
    blocks, :func:`_merge_incremental`), every other stored entity kept as stored; then all
    entities in the full merge's order (by first row) with their names and ids."""
    n = len(rows)
    name_col, gender_col, aid_col, lid_col = rows.col("name"), rows.col("gender"), rows.col("article_id"), rows.col("local_id")
    parts_of_name: dict[str, tuple] = {}
    made: dict[tuple[Any, str, Any], tuple[str, tuple | None]] = {}  # a key depends on these three only

    def fill(j: int) -> str:  # a row's key, made once per distinct name, type and gender
        if not keys[j]:
            three = (name_col[j], types[j], gender_col[j])
            hit = made.get(three)
            if hit is None:
                hit = made[three] = _key_of(*three, parts_of_name)
            keys[j], parts[j] = hit
        return keys[j]

    for i in again:
        fill(i)

    uf = UnionFind(n)
    _union_equal_keys(rows, again, types, keys, uf)
    person = _PersonMerge(rows, aid_col, name_col, gender_col, keys, parts, uf)
    person.fill, person.too_big = fill, too_big
    person.run(again)
    # each named row's entity, as the number of its first row (a merged-again one: its root, the
    # smallest row; a kept one: its stored entity's first row), then all in the full merge's order
    label = np.full(n, -1, dtype=np.int64)
    keep = ~np.isin(codes, np.fromiter(affected, dtype=np.int64, count=len(affected)))
    first = np.full(len(ids), n, dtype=np.int64)
    np.minimum.at(first, codes[keep], old_a[keep])
    label[old_a[keep]] = first[codes[keep]]
    again_a = np.fromiter(again, dtype=np.int64, count=len(again))
    label[again_a] = np.fromiter((uf.find(i) for i in again), dtype=np.int64, count=len(again))
    named_a = np.fromiter(named, dtype=np.int64, count=len(named))
    merged = _in_label_order(rows, named_a, label[named_a])
    got = _name_merged(merged, rows, first, ids, stored, {ids[c]: int(members[c]) for c in affected}, types, prior)
    if isinstance(got, str):
        return got
    gid_index, redone, moved, moved_from = got
    merged.terms = _entity_terms(merged, redone, rows, raw_types, types, keys, parts) + moved
    merged.terms_dropped = sorted({ids[c] for c in affected} | set(moved_from))
    return EntityMap(aid_col, lid_col, gid_index, merged.ids), merged


def _name_merged(merged: MergedEntities, rows: Rows, first: np.ndarray, ids: list[str], stored: Mapping[str, tuple[str, int]],
                 sizes: dict[str, int], types: list[str],
                 prior: Callable[[], Iterable[tuple[str, str, str]]]) -> tuple[array, list[int], list[tuple[str, str, int]], list[str]] | str:
    """Name the entities of :func:`_merge_subset` in order, as :func:`_name_entities` does: a kept
    one takes its stored name and type (its members and their types did not change), a merged-again
    one is named as there (``sizes``: the member count of each stored entity merged again), and
    each its id by its name's ``-N`` number in this order (so a kept entity whose number moves gets
    a new id and is not kept). Returns each row's entity number, the merged-again entities'
    numbers, the ``(new id, terms, members)`` of kept entities whose id moved, and their old ids;
    a reason string when a kept entity has no stored name."""
    eid_col, name_col = rows.col("entity_id"), rows.col("name")
    stored_names = {g: (name, t) for g, name, t in prior()}
    kept_code = {int(first[c]): c for c in range(len(ids)) if ids[c] not in sizes}
    namer = _Namer(types, name_col)
    redone: list[int] = []
    moved: list[tuple[str, str, int]] = []
    moved_from: list[str] = []
    for k in range(len(merged)):
        c = kept_code.get(int(merged.in_order[int(merged.bounds[k])]))
        if c is not None:
            was = ids[c]
            held = stored_names.get(was)
            if held is None:
                return "a kept entity has no stored name"
            name, type_, base = held[0], held[1], _id_base(was)
        else:
            members = merged.members(k)
            type_ = namer.type_of(members)
            was = eid_col[members[0]]
            same = was is not None and sizes.get(was) == len(members) and all(eid_col[i] == was for i in members)
            held = stored_names.get(was) if same else None
            if held is not None and held[1] == type_:
                name, base = held[0], _id_base(was)
            else:
                name, base = namer.name(members, type_)
            redone.append(k)
        gid = namer.number(base)
        merged.add(gid, name, type_, kept=held is not None and gid == was)
        if c is not None and gid != was:
            moved.append((gid, *stored[was]))
            moved_from.append(was)
    gid_index = np.full(len(rows), -1, dtype=np.int64)
    gid_index[merged.in_order] = np.repeat(np.arange(len(merged), dtype=np.int64), np.diff(merged.bounds))
    return array("q", gid_index.tobytes()), redone, moved, moved_from


class MergedEntities(Indexed):
    """The global entities :func:`merge_entities` made, as runs of local entity row numbers: an
    entity's dict (``id, name, type, aliases, roles, article_ids``) is made when it is read, so
    millions of entities hold ~100 bytes each until the store writes them (issue #5)."""

    def __init__(self, rows: Rows, members: np.ndarray, starts: np.ndarray):
        self.rows, self.in_order = rows, members
        self.bounds = np.append(starts, len(members)).astype(np.int64) if len(members) else np.zeros(1, dtype=np.int64)
        self.ids: list[str] = []
        self.names: list[str] = []
        self.types: list[str] = []
        # per entity: its stored row (of an earlier link of the same code) is the one it makes
        self.kept: list[bool] = []
        # ``(id, terms, members)`` of the entities merged in this run (all of them after a full
        # merge), for ``store.stored_entity_terms``; the stored ids whose terms they replace (None:
        # all); why the merge was a full one (None: incremental, :func:`_merge_incremental`)
        self.terms: list[tuple[str, str, int]] = []
        self.terms_dropped: list[str] | None = None
        self.fallback: str | None = None

    def members(self, k: int) -> list[int]:
        """Local entity row numbers of entity k, in row order."""
        return self.in_order[int(self.bounds[k]):int(self.bounds[k + 1])].tolist()

    def signatures(self, which: Iterable[int] | None = None) -> list[str]:
        """Per entity (of ``which``, default all), a hash of all its row is made from: its id, name
        and type, and each member's article, local id, name, aliases and roles as stored (JSON
        text, not decoded). Two entities of one signature give the same row (issue #16: the
        writer keeps a stored one as it is)."""
        aid, lid, name, aliases, roles = (self.rows.col(c) for c in ("article_id", "local_id", "name", "aliases", "roles"))
        out = []
        for k in range(len(self)) if which is None else which:
            h = hashlib.blake2b(repr((self.ids[k], self.names[k], self.types[k])).encode("utf-8"), digest_size=12)
            # one update of the members' joined reprs: the digest of updates one by one
            h.update("".join([repr((aid[i], lid[i], name[i], aliases[i], roles[i])) for i in self.members(k)])
                     .encode("utf-8"))
            out.append(h.hexdigest())
        return out

    def add(self, gid: str, name: str, type_: str, kept: bool = False) -> None:
        self.ids.append(gid)
        self.names.append(name)
        self.types.append(type_)
        self.kept.append(kept)

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def _item(self, k: int) -> dict[str, Any]:
        rows, name = self.rows, self.names[k]
        members = self.members(k)
        name_col, aid_col = rows.col("name"), rows.col("article_id")
        aliases: set[str] = set()
        for i in members:
            aliases.update(a for a in [name_col[i], *(rows.decoded("aliases", i) or [])] if a and a != name)
        rl, seen = [], set()
        for i in members:
            for r in (role_dict(x) for x in (rows.decoded("roles", i) or [])):
                key = (r["title"], r["article_id"], r["current"])
                if key not in seen:
                    seen.add(key)
                    rl.append(r)
        return dict(id=self.ids[k], name=name, type=self.types[k], aliases=sorted(aliases), roles=rl,
                    article_ids=sorted({aid_col[i] for i in members if aid_col[i]}))

    def __repr__(self) -> str:
        return f"<MergedEntities {len(self)}>"


def _is_title_name(name: str) -> bool:
    """A local person entity named by its title only ("DHS secretary"): never merged by name."""
    words = name.split()
    return any(w.lower() in ROLE_NOUNS for w in words[-1:]) and not any(w[:1].isupper() for w in words[-1:])


def _cluster_name(names: list[str], type_: str, person_keys: dict[str, str] | None = None) -> str:
    """The name a merged entity is shown by, from its members' names; ``person_keys`` caches a
    person name's key form (``name_key_tokens``) across calls."""
    if type_ == "outlet":
        canon = [canonical_outlet(n) or n for n in names]
        return Counter(canon).most_common(1)[0][0]
    if type_ == "organisation":
        for n in names:
            k = org_key(n)
            if k in ACRONYM_OF:
                return ACRONYMS[ACRONYM_OF[k]][0]
            if n.isupper() and n in ACRONYMS:
                return ACRONYMS[n][0]
    if type_ == "person":
        keys = {} if person_keys is None else person_keys
        if len(keys) >= 100_000:  # bounded: a million articles name a great many people
            keys.clear()
        names = [keys[n] if n in keys else keys.setdefault(n, " ".join(name_key_tokens(n)) or n) for n in names]
    cnt = Counter(names)
    return min(cnt, key=lambda x: (-len(x.split()), -cnt[x], len(x), x))


def build_global_entities(locals_: Sequence[LocalEntity], entity_map: dict[tuple[str, int], str]) -> list[dict[str, Any]]:
    """Global entity records from local entities and an entity map (as returned by merge_entities).

    Args:
        locals_: the article-local entities.
        entity_map: {(article_id, local_id): global id}.
    Returns:
        dicts with ``id, name, type, aliases, roles, article_ids``, sorted by id.
    """
    groups: dict[str, list[LocalEntity]] = defaultdict(list)
    for e in locals_:
        gid = entity_map.get((e.article_id, e.local_id))
        if gid:
            groups[gid].append(e)
    out = []
    for gid in sorted(groups):
        members = groups[gid]
        type_ = Counter(e.type for e in members).most_common(1)[0][0]
        name = _cluster_name([e.name for e in members], type_)
        aliases = sorted({a for e in members for a in [e.name, *e.aliases] if a and a != name})
        rl, seen = [], set()
        for e in members:
            for r in e.roles:
                d = role_dict(r)
                k = (d["title"], d["article_id"], d["current"])
                if k not in seen:
                    seen.add(k)
                    rl.append(d)
        out.append(dict(id=gid, name=name, type=type_, aliases=aliases, roles=rl,
                        article_ids=sorted({e.article_id for e in members})))
    return out

