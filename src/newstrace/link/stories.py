"""Stories: :func:`cluster_stories` builds them from article-to-article evidence, the same for any
input order (each article's nearest neighbours by words and by names, :func:`name_vector`; pairs
joined strongest first under average linkage; small leftovers re-attached; copies follow their
source), :func:`story_label` names them, and :func:`shared_evidence` and
:func:`story_neighbour_links` make the same-story links between their members. In
:func:`~newstrace.link.core.link_articles` it comes after the candidate pairs are classified and
before provenance.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import hashlib
import json
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import Settings
from .copies import LinkTable
from .features import ArticleDoc, Features, PackedVectors, order_key
from .text import content_terms, cosine, hash_id, normalize, stem_of, tokens
from .unionfind import UnionFind


# a sentence's first letter (after a line start or . ! ? :, and any quote marks or spaces)
_SENTENCE_START = re.compile(r"((?:^|[.!?:])[^A-Za-z0-9]*)([A-Za-z])", re.M)
# a capitalised word or a number, as link.text.tokens cuts words
_NAME_TOKEN = re.compile(r"(?<![A-Za-z0-9'])(?:[A-Z][A-Za-z0-9]*|\d[A-Za-z0-9]*)(?:[.,][0-9]+)*(?:'[A-Za-z]+)?")


def name_vector(d: ArticleDoc, *, top_terms: int = 40) -> dict[int, float]:
    """The article's names and numbers as a term vector (term id -> weight, L2-normalised): the
    words written capitalised inside a sentence (people, places, organisations, named things)
    and the numbers (tolls, magnitudes, years), tf-idf weighted with the corpus idf. Two
    earthquakes or two heists share their topic's words; what tells them apart is who, where and
    how many, and those are written in these words.

    Args:
        d: the article (its title and text are read; ``d.feats`` gives the term ids and idf).
        top_terms: how many of the heaviest terms are kept.
    Returns:
        Term id -> weight, heaviest first; empty when the article writes no known name or number.
    """
    text = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).lower(), normalize((d.title or "") + "\n" + d.text))
    toks = [w.lower() for w in _NAME_TOKEN.findall(text)]
    tf = Counter(t for t in content_terms(toks) if t)
    ids = d.feats.term_ids(tf)
    idf = d.feats.idf
    top = sorted(((ids[t], (1 + math.log(c)) * float(idf[ids[t]])) for t, c in tf.items() if t in ids),
                 key=lambda kv: (-kv[1], kv[0]))[:top_terms]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {t: w / norm for t, w in top}


def _in_sorted(arr: np.ndarray, value: int) -> bool:
    k = int(np.searchsorted(arr, value))
    return k < len(arr) and int(arr[k]) == value


@dataclass(eq=False, slots=True)
class _Story:
    id: str
    members: list[int]
    ents: Counter | None  # entity key -> summed prominence; None until a member names one (story_centroid)
    start: _dt.date | None
    end: _dt.date | None
    first: ArticleDoc | None = None  # a one-article story's centroid is its article's vector
    cids: np.ndarray | None = None  # else the centroid packed: term ids (heaviest first), weights
    cws: np.ndarray | None = None

    @property
    def centroid(self) -> dict[int, float]:
        """Term id -> weight (L2-normalised, heaviest first); a fresh dict."""
        if self.cids is not None and self.cws is not None:
            return dict(zip(self.cids.tolist(), self.cws.tolist()))
        return self.first.vec if self.first is not None else {}


def _add_ents(st: _Story, d: ArticleDoc) -> None:
    if d.ents:
        if st.ents is None:
            st.ents = Counter()
        st.ents.update(d.ents)


def _add_to_centroid(st: _Story, d: ArticleDoc, max_terms: int = 80) -> None:
    n = len(st.members)
    if n == 1:
        st.first = d  # not copied: most stories have one article
        _add_ents(st, d)
        st.start = st.end = d.date
        return
    merged: dict[int, float] = defaultdict(float)
    for t, w in st.centroid.items():
        merged[t] += w * (n - 1) / n
    for t, w in d.vec.items():
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


class _Cluster:
    """A story being built: its members, summed term weights, entities and date span."""

    __slots__ = ("members", "terms", "ents", "start", "end", "who", "n_who")

    def __init__(self, d: ArticleDoc, vec: dict[int, float]):
        self.members = [d.idx]
        self.terms: dict[int, float] = dict(vec)
        self.ents: Counter = Counter(d.ents)
        self.start = self.end = d.date
        self.who: Counter = Counter(d.event.who if d.event else ())  # participants' name words
        self.n_who = 1 if self.who else 0  # members whose event names someone

    def absorb(self, other: _Cluster, max_terms: int = 200) -> None:
        self.members += other.members
        for t, w in other.terms.items():
            self.terms[t] = self.terms.get(t, 0.0) + w
        if len(self.terms) > 2 * max_terms:  # drop the lightest terms: the centroid stays small
            self.terms = dict(sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:max_terms])
        self.ents.update(other.ents)
        self.who.update(other.who)
        self.n_who += other.n_who
        if other.start:
            self.start = min(self.start, other.start) if self.start else other.start
            self.end = max(self.end, other.end) if self.end else other.end


def _same_people(x: _Cluster, y: _Cluster, min_share: float, *, own: float = 0.8, absent: float = 0.1,
                 min_reports: int = 2) -> bool:
    """False when the two stories' events are about other people: both name people and none of
    them is named by ``min_share`` of each story's members, or each story, told by at least
    ``min_reports`` articles, has a person of its own (named by ``own`` of its members, by under
    ``absent`` of the other's: a boxer's two fights against two opponents)."""
    if not x.n_who or not y.n_who:
        return True
    if not any(min(c / x.n_who, y.who[t] / y.n_who) >= min_share for t, c in x.who.items() if t in y.who):
        return False

    def has_own(a: _Cluster, b: _Cluster) -> bool:
        return any(c / a.n_who >= own and b.who.get(t, 0) / b.n_who < absent for t, c in a.who.items())
    # one article's lead is too little evidence: two reports of one event name different officials
    return x.n_who < min_reports or y.n_who < min_reports or not (has_own(x, y) and has_own(y, x))


def _names_incident(x: _Cluster, y: _Cluster, rare: frozenset[str], min_share: float) -> bool:
    """Whether the small story ``x`` names ``y``'s incident: one of the rare participant name words
    of ``x``'s events (``rare``: a victim's, an accused's name, not a president's) is named in the
    events of at least ``min_share`` of ``y``'s members that name someone. A follow-up weeks after
    an incident (a charge, a trial) names its people; a saga's next episode names the saga's
    well-known ones."""
    if not y.n_who or min_share <= 0:
        return False
    return any(t in rare and y.who.get(t, 0) / y.n_who >= min_share for t in x.who)


def _average_cosine(x: _Cluster, y: _Cluster) -> float:
    """The mean cosine over every pair of one article of ``x`` and one of ``y`` (the dot product
    of the summed unit vectors over the number of pairs: average linkage, without the pairs)."""
    return cosine(x.terms, y.terms) / (len(x.members) * len(y.members))


def _day(iso: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(iso) if len(iso) == 10 else None
    except ValueError:
        return None


def dates_disagree(x: str | None, y: str | None, window_days: int) -> bool:
    """Two event dates that cannot be one incident: other years, other months (both written to the
    month), or days further apart than the story window."""
    if not x or not y or "W" in x or "W" in y:
        return False
    if x[:4] != y[:4]:
        return True
    if len(x) >= 7 and len(y) >= 7 and x[:7] != y[:7]:
        dx, dy = _day(x), _day(y)
        return not (dx and dy and abs((dx - dy).days) <= window_days)
    dx, dy = _day(x), _day(y)
    return bool(dx and dy and abs((dx - dy).days) > window_days)


# Event figures (issue #16): a measure or an amount is one value for one incident (a magnitude 5.8
# is not the 6.1 one; within ``FIXED_TOLERANCE`` of each other, two roundings of one); a count may
# grow as reports come in (a death toll over days), so two counts disagree only when the later
# report's is lower, or, for reports of one day (or undated), when they differ by ``COUNT_RATIO``.
FIXED_TOLERANCE = 0.03
COUNT_RATIO = 3.0
FIGURE_PENALTY = 1.0  # what fixed figures apart take off a pair's similarity (:func:`event_penalty`)
COUNT_PENALTY = 0.0  # and counts apart


def is_fixed_kind(kind: str) -> bool:
    """Whether an event figure of this kind (:func:`~newstrace.link.features.event_figure`) is one
    value for one incident (a magnitude, an amount of money), not a count that may grow."""
    return kind == "magnitude" or kind.startswith("money")


def _apart(x: float, y: float, ratio: float) -> bool:
    lo, hi = min(x, y), max(x, y)
    return hi > lo * ratio


def _by_kind(figures: frozenset[tuple[str, float]]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = defaultdict(list)
    for kind, v in figures:
        out[kind].append(v)
    return out


def figures_apart(a: ArticleDoc, b: ArticleDoc, *, ratio: float | None = None) -> str | None:
    """Which of the two articles' main event figures (:class:`EventKey` ``figures``) of one kind
    cannot be one incident's: ``"fixed"`` for a magnitude or an amount of money more than
    ``FIXED_TOLERANCE`` apart, ``"count"`` for a count lower in the later report, or ``ratio``
    (``COUNT_RATIO``) times the other's or more in two reports of one day (or without a date);
    None when none disagrees (or either has none)."""
    ea, eb = a.event, b.event
    if ea is None or eb is None or not ea.figures or not eb.figures:
        return None
    ratio = COUNT_RATIO if ratio is None else ratio
    fa, fb = _by_kind(ea.figures), _by_kind(eb.figures)
    found = None
    for kind in sorted(fa.keys() & fb.keys()):
        xs, ys = fa[kind], fb[kind]
        if is_fixed_kind(kind):
            if all(_apart(x, y, 1.0 + FIXED_TOLERANCE) for x in xs for y in ys):
                return "fixed"
        elif a.date and b.date and a.date != b.date:  # a count may grow: only a fall counts
            early, late = (xs, ys) if a.date < b.date else (ys, xs)
            if max(late) * (1.0 + FIXED_TOLERANCE) < min(early):
                found = "count"
        elif all(_apart(x, y, ratio) for x in xs for y in ys):
            found = "count"
    return found


def event_penalty(a: ArticleDoc, b: ArticleDoc, window_days: int, *, who: float = 0.15,
                  where: float = 0.05, when: float = 1.0, figures: float | None = None,
                  counts: float | None = None) -> float:
    """How much the two articles' main events disagree: other dates (``when``), no participant in
    common (``who``), no place in common (``where``), figures that cannot be one incident's
    (:func:`figures_apart`: ``figures`` for a magnitude or an amount, default ``FIGURE_PENALTY``;
    ``counts`` for a count, default ``COUNT_PENALTY``); 0 when either event is unknown."""
    ea, eb = a.event, b.event
    if ea is None or eb is None:
        return 0.0
    pen = when if dates_disagree(ea.date, eb.date, window_days) else 0.0
    if ea.who and eb.who and not ea.who & eb.who:
        pen += who
    if ea.where and eb.where and not ea.where & eb.where:
        pen += where
    apart = figures_apart(a, b) if ea.figures and eb.figures else None
    if apart == "fixed":
        pen += FIGURE_PENALTY if figures is None else figures
    elif apart == "count":
        pen += COUNT_PENALTY if counts is None else counts
    return pen


ENTITY_MAX_DF = 0.05


def rare_ents(d: ArticleDoc, max_df: float) -> Mapping[str, float]:
    """The article's entities (key -> prominence) whose rarest name word is in at most ``max_df``
    of the counted articles."""
    if not d.ent_df:
        return d.ents
    return {e: w for e, w in d.ents.items() if d.ent_df.get(e, 0.0) <= max_df}


def pair_similarity(a: ArticleDoc, b: ArticleDoc, va: dict[int, float], vb: dict[int, float],
                    window_days: int = 7, na: dict[int, float] | None = None, nb: dict[int, float] | None = None,
                    name_weight: float = 0.0, entity_max_df: float = ENTITY_MAX_DF, *,
                    rare_a: Mapping[str, float] | None = None, rare_b: Mapping[str, float] | None = None) -> float:
    """How much two articles look like one story: the cosine of their term vectors, plus
    ``name_weight`` times the cosine of their name vectors (``na``, ``nb``: :func:`name_vector`),
    a little for each entity both name (at most three) and for naming them as prominently, and for
    being published within the window, less what their main events disagree on. Only entities
    rarer than ``entity_max_df`` (``ArticleDoc.ent_df``, in both articles) count: "United
    Kingdom" or "Labour Party", named across BBC's stories, says little about which one.
    ``rare_a``, ``rare_b``: those entities of ``a`` and ``b`` (:func:`rare_ents`) when the caller
    keeps them, compared with many others."""
    sim = cosine(va, vb)
    if na and nb:
        sim += name_weight * cosine(na, nb)
    ea = rare_ents(a, entity_max_df) if rare_a is None else rare_a
    eb = rare_ents(b, entity_max_df) if rare_b is None else rare_b
    if ea and eb:
        sim += 0.05 * min(sum(1 for e in ea if e in eb), 3)
        # and for naming them as prominently: the cosine of their entity prominences
        na = math.sqrt(sum(w * w for w in ea.values()))
        nb = math.sqrt(sum(w * w for w in eb.values()))
        sim += 0.1 * cosine(ea, eb) / (na * nb or 1.0)
    if a.date and b.date and abs((a.date - b.date).days) <= window_days:
        sim += 0.1  # being published within the window is evidence too
    return sim - event_penalty(a, b, window_days)


@dataclass
class NeighbourCache:
    """Each article's nearest neighbours as an earlier link run found them (issue #16), and what
    this run found, to store. ``stored``: article id -> (inputs, published, neighbours as JSON
    ``[[similarity, article id], ...]``: text until read, a tenth of the memory of the lists), all
    under one scheme (the term snapshot, the settings and the code); ``fresh`` receives ``(article
    id, inputs, published, neighbours as that JSON)`` of every article whose neighbours were
    searched for in this run; ``full``: every article's were."""

    stored: dict[str, tuple[str, str | None, str]]
    fresh: list[tuple[str, str, str | None, str]]
    full: bool = True


def neighbour_inputs(d: ArticleDoc) -> str:
    """A hash of what an article brings to a pair's similarity besides its stored term and name
    vectors (whose scheme says they are the same): its entity prominences, their shares
    (``ArticleDoc.ent_df``) and its event. The shares are hashed as what they are read from
    (``ArticleDoc.ent_inputs``: the entities' rows, names and keys; under the scheme's term
    snapshot those fix them) when the doc has it: an article whose search is kept then never has
    its names read (issue #16)."""
    ev = d.event
    key = repr((sorted(d.ents.items()), d.ent_inputs or sorted(d.ent_df.items()),
                None if ev is None else (ev.date, sorted(ev.who), sorted(ev.where), sorted(ev.figures))))
    return hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()


def _reusable(order: Sequence[ArticleDoc], cache: NeighbourCache | None) -> list[bool] | None:
    """Per position in ``order``: may the article's stored inputs stand (None: nothing stored may
    be reused, as when a stored article is gone or was published on another day: it may have left
    a window it was searched in, which the spans below do not see)."""
    if cache is None or not cache.stored:
        return None
    ids = {d.id for d in order}
    if any(a not in ids for a in cache.stored):
        return None
    out = []
    for d in order:
        held = cache.stored.get(d.id)
        if held is not None and held[1] != d.published:
            return None
        out.append(held is not None and held[0] == neighbour_inputs(d))
    return out


def _neighbours(docs: Sequence[ArticleDoc], window: _dt.timedelta, nv: PackedVectors, *, query_terms: int,
                max_candidates: int, k: int, min_sim: float, max_posting: int,
                name_weight: float, entity_max_df: float = ENTITY_MAX_DF,
                cache: NeighbourCache | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each article's ``k`` most similar others (similarity >= ``min_sim``, published within the
    window when both are dated), found through the articles sharing its heaviest terms. Every
    article is compared to every other one the same way, so the result does not depend on the
    order articles come in. Packed (a tuple per pair took ~80 bytes, issue #5): doc ``i``'s
    neighbours are ``idx[ptr[i]:ptr[i + 1]]``, strongest first, with their similarities ``sim``.

    With a ``cache`` (issue #16), an article keeps its stored neighbours unless an article that is
    new or whose inputs changed lies in one of the posting spans its search reads. That is exact:
    the search of article d reads only the spans of its query terms (their members' positions and
    term weights) and the pair similarities with the candidates found there; under one scheme an
    unchanged article's vectors are the stored ones, so if no span of d holds a changed article,
    every vote, every span size (the ``max_posting`` test), every candidate and every similarity
    is what the stored run computed (ties break by position, and inserting articles keeps the
    others' relative order). A changed article c lies in a span of d exactly when d lies in the
    same term's posting and in c's window (or one of them is undated): c's own spans."""
    order = sorted(docs, key=order_key)
    dated = [d.date for d in order if d.date]  # dated articles sort first, by date
    index: dict[int, array] = defaultdict(lambda: array("i"))
    for p, d in enumerate(order):
        for t in d.feats.top_ids(d.idx, query_terms):  # not the whole vector as a dict (issue #16)
            index[t].append(p)  # positions ascend: a window is a slice

    def spans(p: int, t: int) -> tuple[Any, ...]:
        post, day = index[t], order[p].date
        if not day:
            return (post,)
        lo = bisect.bisect_left(dated, day - window)
        hi_dated = bisect.bisect_right(dated, day + window)
        a, b = bisect.bisect_left(post, lo), bisect.bisect_left(post, hi_dated)
        c = bisect.bisect_left(post, len(dated))
        return (post[a:b], post[c:])

    reusable = _reusable(order, cache)
    search = [True] * len(order)
    if reusable is not None:
        search = [not ok for ok in reusable]
        for p in [p for p, ok in enumerate(reusable) if not ok]:
            for t in order[p].feats.top_ids(order[p].idx, query_terms):
                for span in spans(p, t):
                    for q in span:
                        search[q] = True
    found: dict[int, list[tuple[float, int]]] = {}
    rare: dict[int, Mapping[str, float]] = {}  # doc index -> its rare entities, made once
    idx_of = {d.id: d.idx for d in docs} if reusable is not None else {}
    for p, d in enumerate(order):
        if not search[p]:
            near_json = cache.stored.pop(d.id)[2]  # type: ignore[union-attr]
            found[d.idx] = [(s, idx_of[o]) for s, o in json.loads(near_json)]
            continue
        vec = d.vec
        votes: dict[int, float] = defaultdict(float)
        for t in list(vec)[:query_terms]:
            sp = spans(p, t)
            if sum(len(x) for x in sp) > max_posting:
                continue  # a word this common says little about the story
            w = vec[t]
            for span in sp:
                for q in span:
                    if q != p:
                        votes[q] += w
        cands = sorted(votes, key=lambda q: (-votes[q], q))[:max_candidates]
        near = []
        names = nv[d.idx]
        if d.idx not in rare:
            rare[d.idx] = rare_ents(d, entity_max_df)
        rare_d = rare[d.idx]
        for q in cands:
            o = order[q]
            if o.idx not in rare:
                rare[o.idx] = rare_ents(o, entity_max_df)
            sim = pair_similarity(d, o, vec, o.vec, window.days, names, nv[o.idx], name_weight, entity_max_df,
                                  rare_a=rare_d, rare_b=rare[o.idx])
            if sim >= min_sim:
                near.append((round(sim, 6), o.idx))
        near.sort(key=lambda x: (-x[0], x[1]))
        found[d.idx] = near[:k]
        if cache is not None:
            found_ids = json.dumps([(s, docs[j].id) for s, j in near[:k]])
            cache.fresh.append((d.id, neighbour_inputs(d), d.published, found_ids))
    if cache is not None:
        cache.full = reusable is None
    ptr, idx, sim = array("q", [0]), array("i"), array("d")
    for i in range(len(docs)):
        for s, j in found.pop(i, ()):
            idx.append(j)
            sim.append(s)
        ptr.append(len(idx))
    return (np.frombuffer(ptr, dtype=np.int64), np.frombuffer(idx, dtype=np.int32),
            np.frombuffer(sim, dtype=np.float64))


def neighbour_search(docs: Sequence[ArticleDoc], settings: Settings, nv: PackedVectors, *, edge_threshold: float,
                     attach_threshold: float, query_terms: int, max_candidates: int, k: int, max_posting: int,
                     name_weight: float, entity_max_df: float = ENTITY_MAX_DF, cache: NeighbourCache | None = None,
                     **_: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each article's nearest neighbours as :func:`cluster_stories` searches them under its settings of
    the same names: the one place that turns those settings into the search's (the window, the
    least similarity ``min(edge_threshold, attach_threshold) / 2``), for the clustering and for a
    learned pair score's training pairs (:func:`~newstrace.link.pair_model.neighbour_pairs`) alike.

    Args:
        docs: the articles, as :func:`cluster_stories` takes them.
        settings: the story window comes from here.
        nv: each doc's :func:`name_vector` by doc index.
        edge_threshold ... entity_max_df: :func:`cluster_stories`' settings of the same names (the
            others it takes are accepted and ignored).
        cache: each article's neighbours stored by an earlier run (:class:`NeighbourCache`).
    Returns:
        ``(ptr, nbr, sim)``: doc i's neighbours are ``nbr[ptr[i]:ptr[i + 1]]``, strongest first, their
        similarities ``sim`` at the same places.
    """
    return _neighbours(docs, _dt.timedelta(days=settings.story_window_days), nv, query_terms=query_terms,
                       max_candidates=max_candidates, k=k, min_sim=min(edge_threshold, attach_threshold) / 2,
                       max_posting=max_posting, name_weight=name_weight, entity_max_df=entity_max_df, cache=cache)


def _learned_scores(pair_model: Any, model_edge: float, model_votes: bool, *args: Any) -> Any:
    """``(rows, first) -> probabilities`` of ``pair_model.scores`` over ``args`` (None: no option on)."""
    if model_edge <= 0 and not model_votes:
        return None
    if pair_model is None:
        raise ValueError("cluster_stories: model_votes or model_edge needs a pair_model (link.pair_model."
                         "load_pair_model reads the file training/train_story_pairs.py --out writes); none was given")
    if not callable(getattr(pair_model, "scores", None)):
        raise TypeError(f"cluster_stories: pair_model is a {type(pair_model).__name__}, not a PairModel: read the "
                        "model with link.pair_model.load_pair_model(path) or PairModel.from_dict(model, source)")
    return functools.partial(pair_model.scores, *args)


def _model_edges(score: np.ndarray, learned: Any, model_edge: float, edge_threshold: float, n: int) -> np.ndarray:
    """Edge scores (similarity + bonus) gated by a learned pair score (``model_edge`` > 0): below it, no edge."""
    if model_edge <= 0:
        return score
    return np.where(learned(range(n)) >= model_edge, np.maximum(score, edge_threshold),
                    np.minimum(score, edge_threshold - 0.01))


def cluster_stories(docs: Sequence[ArticleDoc], existing: Sequence[dict[str, Any]], settings: Settings,
                    forced: dict[int, int], related: dict[int, set[int]] | None = None, *,
                    edge_threshold: float = 0.5, merge_threshold: float = 0.15,
                    attach_threshold: float = 1.0, query_terms: int = 15, max_candidates: int = 30,
                    k: int = 10, max_posting: int = 5000, people_share: float = 0.2,
                    leftover_size: int = 3, attach_k: int = 8, attach_floor: float = 0.3,
                    name_weight: float = 0.3, attach_rounds: int = 3, follow_up_share: float = 0.2,
                    name_vectors: Any = None, entity_max_df: float = ENTITY_MAX_DF,
                    neighbours: NeighbourCache | None = None, pair_model: Any = None,
                    model_edge: float = 0.0, model_votes: bool = False) -> list[_Story]:
    """Stories from article-to-article evidence, the same for any input order.

    Pairs of articles (each article's ``k`` nearest neighbours by :func:`pair_similarity`, names
    weighted by ``name_weight``) are taken strongest first; a pair joins its two stories when it
    is strong enough (``edge_threshold``), the mean cosine over all pairs of their articles reaches
    ``merge_threshold`` (average linkage), the joined story spans at most twice the date window,
    and their events are about the same people (:func:`_same_people`). Copies join their source's
    story first. Then every small story (at most ``leftover_size`` articles) joins, whole, the
    story its articles' ``attach_k`` nearest neighbours vote for (similarities summed, over the
    number of its articles) when the vote
    reaches ``attach_threshold`` and that story is no smaller, decided on the stories as they were
    before that pass (one vote per small story: two of its articles cannot chain two others); the
    pass runs up to ``attach_rounds`` times, each on the stories the round before left, so a small
    story whose neighbours were leftovers themselves, since joined, is counted again. A small
    story joins a story past twice the date window only when it names that story's incident
    (:func:`_names_incident`, ``follow_up_share``; 0 never: a trial weeks after a shooting names its
    people). How the defaults were chosen: README, Accuracy, and docs/accuracy-log.md.
    Story ids of ``existing`` stories are kept for the story holding most of their members; their
    membership is not kept, so linking in batches gives the stories of one full link.

    Args:
        docs: the articles' features (``features.build_docs``).
        existing: story rows stored by an earlier run (``id``, ``article_ids``).
        settings: ``story_window_days``.
        forced: copy doc index -> its source's doc index.
        related: doc index -> doc indexes sharing a passage (derived articles).
        name_vectors: each doc's :func:`name_vector` by doc index (``nv[i]``), when the caller
            has them (stored by an earlier link run, issue #16); None computes them.
        neighbours: each article's neighbours stored by an earlier run (:class:`NeighbourCache`):
            only the articles a new or changed article can reach are searched again (issue #16).
        pair_model: a learned pair score (:class:`~newstrace.link.pair_model.PairModel`; an option, not
            shipped): with ``model_votes`` the votes add up twice its probabilities; with ``model_edge``
            (0: off) a pair is an edge when its probability reaches it, any other none, bonus or not.
    Returns:
        The stories, in order of their first article.
    """
    related = related or {}
    window = _dt.timedelta(days=settings.story_window_days)
    nv = name_vectors if name_vectors is not None else PackedVectors(name_vector(d) for d in docs)
    ptr, nbr, nsim = neighbour_search(docs, settings, nv, edge_threshold=edge_threshold,
                                      attach_threshold=attach_threshold, query_terms=query_terms, k=k,
                                      max_candidates=max_candidates, max_posting=max_posting,
                                      name_weight=name_weight, entity_max_df=entity_max_df, cache=neighbours)
    learned = _learned_scores(pair_model, model_edge, model_votes, docs, nv, ptr, nbr, nsim,
                              settings.story_window_days, entity_max_df)
    # a story of several articles has a _Cluster; an article alone has none (made when compared):
    # one per article would hold a copy of every term vector (issue #5)
    clusters: dict[int, _Cluster] = {}
    uf = UnionFind(len(docs))

    def cluster(root: int) -> _Cluster:
        return clusters.get(root) or _Cluster(docs[root], docs[root].vec)

    def size(root: int) -> int:
        return len(clusters[root].members) if root in clusters else 1

    def span_ok(x: _Cluster, y: _Cluster) -> bool:
        if not (x.start and y.start):
            return True
        return max(x.end, y.end) - min(x.start, y.start) <= 2 * window

    def rare_who(members: list[int]) -> frozenset[str]:
        # participant name words in at most ``entity_max_df`` of the counted articles, by the rule
        # of the shared-entity bonus (features.word_share: the snapshot's counts, a word it does
        # not hold or held by fewer than features.ENTITY_MIN_ARTICLES articles is rare)
        words = {t for m in members for t in (docs[m].event.who if docs[m].event else ())}
        if not words:
            return frozenset()
        stems = {t: s[0] for t in words if (s := content_terms([t]))}
        share = docs[members[0]].feats.shares_of(set(stems.values()))
        return frozenset(t for t, s in stems.items() if share[s] <= entity_max_df)

    def join(i: int, j: int) -> None:
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            return
        x, y = cluster(ri), cluster(rj)
        clusters.pop(ri, None)
        clusters.pop(rj, None)
        uf.union(ri, rj)
        root = uf.find(ri)
        merged, other = (x, y) if root == ri else (y, x)
        merged.absorb(other)
        clusters[root] = merged

    for b, a in sorted(forced.items()):  # a copy belongs to its source's story
        join(a, b)
    # each pair once (found from either side), strongest first, ties in index order
    src = np.repeat(np.arange(len(docs), dtype=np.int64), np.diff(ptr))
    lo, hi = np.minimum(src, nbr), np.maximum(src, nbr)
    bonus = np.array([0.1 if int(j) in related.get(int(i), ()) else 0.0 for i, j in zip(src, nbr)]) \
        if related else np.zeros(len(nbr))
    score = _model_edges(np.round(nsim + bonus, 6), learned, model_edge, edge_threshold, len(docs))
    keep = score >= edge_threshold
    lo, hi, score = lo[keep], hi[keep], score[keep]
    for e in np.lexsort((hi, lo, -score)).tolist():
        i, j = int(lo[e]), int(hi[e])
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            continue
        x, y = cluster(ri), cluster(rj)
        if span_ok(x, y) and _average_cosine(x, y) >= merge_threshold and _same_people(x, y, people_share):
            join(i, j)
    del src, lo, hi, bonus, score, keep
    if model_votes:  # the votes: twice the learned probability (only small stories vote; an option)
        nsim = 2.0 * learned([i for i in range(len(docs)) if size(uf.find(i)) <= leftover_size], attach_k)
    # small stories join the story of their articles' nearest neighbours, each round decided on the
    # state the round before left (one vote per small story and round: two of its articles cannot
    # chain two others): the whole small story moves, by its articles' votes summed and divided by
    # their number. A later round counts again the votes that went to small stories which have
    # since joined a larger one (an article whose neighbours were all leftovers themselves)
    for _ in range(attach_rounds):
        small: dict[int, list[int]] = defaultdict(list)
        for i in range(len(docs)):
            if size(uf.find(i)) <= leftover_size:
                small[uf.find(i)].append(i)
        moves = []
        for root, arts in small.items():
            votes: dict[int, float] = defaultdict(float)
            for i in arts:
                a, b = int(ptr[i]), min(int(ptr[i + 1]), int(ptr[i]) + attach_k)
                for j, sim in zip(nbr[a:b].tolist(), nsim[a:b].tolist()):
                    if sim >= attach_floor:
                        votes[uf.find(j)] += sim / len(arts)
            votes.pop(root, None)
            if votes:
                best = min(votes, key=lambda r: (-votes[r], r))
                if votes[best] < attach_threshold or size(best) < len(arts):
                    continue
                x, y = cluster(root), cluster(best)  # _names_incident is False at share 0
                if span_ok(x, y) or (follow_up_share > 0 and _names_incident(x, y, rare_who(arts), follow_up_share)):
                    moves.append((root, best))
        if not moves:
            break
        for root, best in moves:
            join(root, best)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(docs)):
        members[uf.find(i)].append(i)
    return _as_stories(docs, list(members.values()), existing)


def _as_stories(docs: Sequence[ArticleDoc], clusters: list[list[int]],
                existing: Sequence[dict[str, Any]]) -> list[_Story]:
    """The clusters (lists of doc indexes) as stories in date order; an existing story's id goes to
    the cluster holding most of its members (each id used once, the larger overlap first), a new
    story's id is its first article's hash (another hash when a kept story already has that id)."""
    by_id = {d.id: d.idx for d in docs}
    old_of: dict[int, str] = {}
    for row in existing:
        for a in row.get("article_ids") or []:
            if a in by_id:
                old_of[by_id[a]] = str(row["id"])
    groups = sorted((sorted((docs[m] for m in c), key=order_key) for c in clusters),
                    key=lambda ms: order_key(ms[0]))
    claims = []
    for g, members in enumerate(groups):
        held: dict[str, int] = {}  # a plain count: a Counter per story was a fifth of this function
        for m in members:
            sid = old_of.get(m.idx)
            if sid is not None:
                held[sid] = held.get(sid, 0) + 1
        claims.extend((-n, sid, g) for sid, n in held.items())
    id_of: dict[int, str] = {}
    used: set[str] = set()
    for _, sid, g in sorted(claims):
        if g not in id_of and sid not in used:
            id_of[g] = sid
            used.add(sid)
    out = []
    for g, members in enumerate(groups):
        sid = id_of.get(g) or hash_id("story", members[0].id)
        if g not in id_of and sid in used:  # the article that started a kept old story starts another
            sid = hash_id("story", members[0].id, "again")
        dates = [m.date for m in members if m.date]
        # the centroid is made when a label asks for it (story_centroid): most stories keep their
        # stored label in an incremental link, and making every centroid was 3% of one (issue #16)
        out.append(_Story(id=sid, members=[m.idx for m in members], ents=None,
                          start=min(dates) if dates else None, end=max(dates) if dates else None))
    return out


def story_centroid(st: _Story, docs: Sequence[ArticleDoc]) -> dict[int, float]:
    """The story's centroid (term id -> weight, L2-normalised, heaviest first; a fresh dict): its
    members' vectors averaged in date order, the lightest terms dropped at each step. Made once
    and kept in ``st`` (with its entities' summed prominences, ``st.ents``)."""
    if st.first is None and st.cids is None and st.members:
        built = _Story(id=st.id, members=[], ents=None, start=None, end=None)
        for m in st.members:
            built.members.append(m)
            _add_to_centroid(built, docs[m])
        st.ents, st.first, st.cids, st.cws = built.ents, built.first, built.cids, built.cws
    return st.centroid


_URLISH = re.compile(r"https?\s*:|www\s*\.", re.I)


def _headline(d: ArticleDoc, max_words: int = 16) -> str:
    """The article's title, else the start of its first paragraph of four words or more (up to
    its first sentence end, at most ``max_words`` words; abbreviations such as "U.S." do not end it)."""
    title = " ".join((d.title or "").split())
    if title and not _URLISH.search(title) and len(title.split()) >= 3:
        return title
    for para in d.text[:3000].split("\n"):
        words = para.split()
        if len(words) < 4 or _URLISH.search(para):
            continue
        for n, w in enumerate(words[:max_words], start=1):
            if n >= 6 and w[-1:] in ".!?" and not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]{0,3}\.", w):
                return " ".join(words[:n])
        return " ".join(words[:max_words]) + (" ..." if len(words) > max_words else "")
    return title or "(untitled)"


def story_label(st: _Story, docs: Sequence[ArticleDoc], ent_display: dict[str, str], feats: Features) -> str:
    """A headline a person would write: the title (else the first sentence) of the story's most
    central article, the one whose words are nearest its centroid (issue #16)."""
    centroid = story_centroid(st, docs)
    central = min((docs[m] for m in st.members), key=lambda d: (-round(cosine(d.vec, centroid), 9), order_key(d)))
    return _headline(central)


def shared_evidence(a: ArticleDoc, b: ArticleDoc, ent_display: dict[str, str]) -> list[dict[str, Any]]:
    ev = []
    shared = sorted(a.ents.keys() & b.ents.keys())
    if shared:
        ev.append(dict(shared_entities=", ".join(ent_display.get(e, e) for e in shared[:8])))
    va, vb = a.vec, b.vec
    terms = sorted((t for t in va if t in vb), key=lambda t: (-va[t] * vb[t], t))[:8]  # ids sort as strings
    if terms:
        # each term as first written in ``a`` (every term of its vector is one of its words)
        toks = tokens((a.title or "") + " " + a.text)
        stems = [stem_of(tok) for tok in toks]
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


def story_neighbour_links(stories: Sequence[_Story], docs: Sequence[ArticleDoc], links: LinkTable,
                          ent_display: dict[str, str], *, window: int = 30, per_article: int = 2,
                          min_sim: float = 0.2) -> None:
    """same-story links inside each story, added to ``links``: every article to its most similar
    earlier members (at most ``per_article``, looked for among the ``window`` members before it:
    linear, not all pairs)."""
    seen = links.pair_codes()
    added: set[int] = set()
    n = len(docs)
    for st in stories:
        members = sorted((docs[m] for m in st.members), key=order_key)
        vecs = [m.vec for m in members]
        for x, b in enumerate(members):
            near = [(round(cosine(vecs[y], vecs[x]), 3), members[y]) for y in range(max(0, x - window), x)]
            near = sorted((p for p in near if p[0] >= min_sim), key=lambda p: (-p[0], p[1].id))[:per_article]
            for sim, a in near:
                code = min(a.idx, b.idx) * n + max(a.idx, b.idx)
                if code in added or _in_sorted(seen, code):
                    continue
                added.add(code)
                links.add(a.idx, b.idx, "same-story", sim, links.spill.put(shared_evidence(a, b, ent_display)))

