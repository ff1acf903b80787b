"""Stories: :func:`cluster_stories` builds them in one pass in date order (an article joins the most
similar story among those of recent articles sharing its top terms; copies follow their source),
:func:`story_label` names them, and :func:`shared_evidence` and :func:`story_neighbour_links` make
the same-story links between their members. In :func:`~newstrace.link.core.link_articles` it comes
after the candidate pairs are classified and before provenance.
"""

from __future__ import annotations

import datetime as _dt
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import Settings
from .copies import LinkTable
from .features import ArticleDoc, Features, order_key
from .text import NUM_RE, cosine, hash_id, stem_of, tokens


def _in_sorted(arr: np.ndarray, value: int) -> bool:
    k = int(np.searchsorted(arr, value))
    return k < len(arr) and int(arr[k]) == value


@dataclass(eq=False, slots=True)
class _Story:
    id: str
    members: list[int]
    ents: Counter | None  # entity key -> summed prominence; None until a member names one
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


def _add_to_centroid(st: _Story, d: ArticleDoc, vec: dict[int, float] | None = None, max_terms: int = 80) -> None:
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


def cluster_stories(docs: Sequence[ArticleDoc], existing: Sequence[dict[str, Any]], settings: Settings,
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

    def place(d: ArticleDoc, s: int, vec: dict[int, float] | None = None) -> None:
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
        members = sorted((by_id[a] for a in (row.get("article_ids") or []) if a in by_id), key=order_key)
        members = [m for m in members if story_of[m.idx] < 0]
        if not members:
            continue
        stories.append(_Story(id=str(row["id"]), members=[], ents=None, start=None, end=None))
        for m in members:
            place(m, len(stories) - 1)

    for d in sorted(docs, key=order_key):
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
            sim = cosine(vec, st.centroid)
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
            stories.append(_Story(id=hash_id("story", d.id), members=[], ents=None, start=None, end=None))
            place(d, len(stories) - 1, vec)
    return stories


def story_label(st: _Story, docs: Sequence[ArticleDoc], ent_display: dict[str, str], feats: Features) -> str:
    """Key entities, then the event words: the story's heaviest terms as written in its headlines."""
    ranked_ents = [e for e, _ in sorted((st.ents or {}).items(), key=lambda kv: (-kv[1], kv[0]))]
    names = [ent_display.get(e, e) for e in ranked_ents[:2]]
    ent_words = {stem_of(w) for e in ranked_ents[:8] for w in tokens(ent_display.get(e, e))}
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for m in st.members[:20]:
        d = docs[m]
        for t in tokens((d.title or "") + " " + d.text[:400]):
            forms[stem_of(t)][t] += 1
    centroid = st.centroid
    written = {i: w for w, i in feats.term_ids(forms).items()}  # centroid terms seen in the headlines
    by_weight = (written[t] for t in sorted(centroid, key=lambda t: (-centroid[t], t)) if t in written)
    ranked = [t for t in by_weight if t not in ent_words and not NUM_RE.match(t)][:4]
    words = [sorted(forms[t].items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for t in ranked]
    if names:
        return ", ".join(names) + (": " + " ".join(words) if words else "")
    return " ".join(words) or "(untitled)"


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

