"""The learned same-story pair score and the average-link clustering over it (issue #16).

:class:`PairFeatures` describes a pair of articles by what tells one incident from another of its
kind (words, names and numbers, the lead's names found in the other article, the main events'
dates, people and places, publication dates, length); :class:`PairModel` turns that into the
probability that the two report one story (a logistic regression trained on ecbplus-dev's pairs by
``training/train_story_pairs.py``, weights in ``newstrace/data/story_pairs.json``); and
:func:`average_link` joins articles into stories, two stories only when the mean probability over
every pair of one article of each reaches the threshold, so that one ambiguous article cannot
bridge two incidents. Used by :func:`~newstrace.link.stories.cluster_stories`; it sits below
``stories`` and imports none of the story code.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from typing import Any

import numpy as np

from .features import ArticleDoc
from .text import STOP, cosine, normalize, tokens

# a sentence's first letter (after a line start or . ! ? :, and any quote marks or spaces)
SENTENCE_START = re.compile(r"((?:^|[.!?:])[^A-Za-z0-9]*)([A-Za-z])", re.M)
# a capitalised word or a number, as link.text.tokens cuts words
NAME_TOKEN = re.compile(r"(?<![A-Za-z0-9'])(?:[A-Z][A-Za-z0-9]*|\d[A-Za-z0-9]*)(?:[.,][0-9]+)*(?:'[A-Za-z]+)?")

FEATURES = ("term_cos", "name_cos", "shared_names", "ent_shared", "ent_cos", "pub_near", "pub_unknown",
            "date_disagree", "date_agree", "who_disjoint", "who_jaccard", "where_disjoint", "where_jaccard",
            "lead_cover_min", "lead_cover_max", "len_ratio")


def name_tokens(text: str) -> list[str]:
    """The names and numbers of a text, lower-cased: the words written capitalised inside a
    sentence (a sentence's first word is not a name for that) and the numbers.

    >>> name_tokens("Police said Tuesday that 3 men robbed Harry Winston in Paris.")
    ['tuesday', '3', 'harry', 'winston', 'paris']
    """
    text = SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).lower(), normalize(text))
    return [w.lower() for w in NAME_TOKEN.findall(text)]


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


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


class PairFeatures:
    """The feature vector (:data:`FEATURES`) of a pair of articles, with each article's lead names,
    words and length computed once when first needed.

    Args:
        docs: the articles.
        name_vec: doc index -> its name vector (``stories.name_vector``, term id -> weight).
        window_days: the story window (publication and event dates further apart disagree).
        lead_chars: how much of the text's start is its lead.
    """

    def __init__(self, docs: Sequence[ArticleDoc], name_vec: Callable[[int], dict[int, float]],
                 window_days: int, lead_chars: int = 400):
        self.docs, self.name_vec, self.window, self.lead_chars = docs, name_vec, window_days, lead_chars
        self._info: dict[int, tuple[frozenset[str], frozenset[str], int, dict[int, float]]] = {}

    def info(self, i: int) -> tuple[frozenset[str], frozenset[str], int, dict[int, float]]:
        """Doc ``i``'s lead names, its set of words, its number of words and its name vector."""
        got = self._info.get(i)
        if got is None:
            d = self.docs[i]
            words = tokens((d.title or "") + "\n" + d.text)
            lead = frozenset(t for t in name_tokens(d.text[:self.lead_chars]) if t not in STOP and len(t) > 2)
            got = self._info[i] = (lead, frozenset(words), len(words), self.name_vec(i))
        return got

    def __call__(self, i: int, j: int) -> list[float]:
        a, b = self.docs[i], self.docs[j]
        lead_a, words_a, n_a, na = self.info(i)
        lead_b, words_b, n_b, nb = self.info(j)
        cov_ab = len(lead_a & words_b) / len(lead_a) if lead_a else 0.5
        cov_ba = len(lead_b & words_a) / len(lead_b) if lead_b else 0.5
        ent_shared = ent_cos = 0.0
        if a.ents and b.ents:
            ent_shared = min(sum(1 for e in a.ents if e in b.ents), 3) / 3
            norm = math.sqrt(sum(w * w for w in a.ents.values())) * math.sqrt(sum(w * w for w in b.ents.values()))
            ent_cos = cosine(a.ents, b.ents) / (norm or 1.0)
        pub_near = pub_unknown = 0.0
        if a.date and b.date:
            pub_near = float(abs((a.date - b.date).days) <= self.window)
        else:
            pub_unknown = 1.0
        ea, eb = a.event, b.event
        date_disagree = date_agree = who_dis = who_j = where_dis = where_j = 0.0
        if ea is not None and eb is not None:
            if ea.date and eb.date:
                date_disagree = float(dates_disagree(ea.date, eb.date, self.window))
                date_agree = 1.0 - date_disagree
            if ea.who and eb.who:
                who_j = _jaccard(ea.who, eb.who)
                who_dis = float(who_j == 0.0)
            if ea.where and eb.where:
                where_j = _jaccard(ea.where, eb.where)
                where_dis = float(where_j == 0.0)
        shared = sum(1 for t in na if t in nb)
        return [cosine(a.vec, b.vec), cosine(na, nb), math.log1p(shared), ent_shared, ent_cos, pub_near,
                pub_unknown, date_disagree, date_agree, who_dis, who_j, where_dis, where_j,
                min(cov_ab, cov_ba), max(cov_ab, cov_ba),
                math.log(max(min(n_a, n_b), 1) / max(n_a, n_b, 1))]


class PairModel:
    """A logistic regression over :data:`FEATURES` (standardised by ``mean`` and ``scale``) and
    the average-link threshold it was chosen with.

    Args:
        weights: ``features`` (names, in :data:`FEATURES` order), ``mean``, ``scale``, ``coef``,
            ``intercept`` and ``threshold``.
    """

    def __init__(self, weights: dict[str, Any]):
        if tuple(weights["features"]) != FEATURES:
            raise ValueError(f"story pair model: features {weights['features']} are not {list(FEATURES)}; "
                             "rebuild it with training/train_story_pairs.py")
        self.mean = np.asarray(weights["mean"], dtype=np.float64)
        self.scale = np.asarray(weights["scale"], dtype=np.float64)
        self.coef = np.asarray(weights["coef"], dtype=np.float64)
        self.intercept = float(weights["intercept"])
        self.threshold = float(weights["threshold"])
        self.attach = weights.get("attach")  # the leftover vote (attach_leftovers), None: no such pass
        self.leftover = int(weights.get("leftover", 3))  # the largest group attach_leftovers moves

    @classmethod
    def shipped(cls) -> PairModel:
        """The model in ``newstrace/data/story_pairs.json``."""
        text = resources.files("newstrace").joinpath("data/story_pairs.json").read_text(encoding="utf-8")
        return cls(json.loads(text))

    def probability(self, rows: Iterable[Sequence[float]]) -> np.ndarray:
        """The same-story probability of each feature row."""
        x = np.asarray(list(rows), dtype=np.float64).reshape(-1, len(FEATURES))
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


def _group_sum(xs: Sequence[int], ys: Sequence[int], prob: Callable[[int, int], float], cap: int) -> float:
    """Summed probability over every pair of one of ``xs`` and one of ``ys``; over an even sample of
    at most ``cap`` of each (scaled up) when they are larger."""
    sx = xs if len(xs) <= cap else [xs[k * len(xs) // cap] for k in range(cap)]
    sy = ys if len(ys) <= cap else [ys[k * len(ys) // cap] for k in range(cap)]
    total = sum(prob(i, j) for i in sx for j in sy)
    return total * (len(xs) * len(ys)) / (len(sx) * len(sy))


def average_link(groups: Sequence[Sequence[int]], pairs: Iterable[tuple[int, int]], prob: Callable[[int, int], float],
                 threshold: float, can_join: Callable[[list[int], list[int]], bool], *,
                 cap: int = 60) -> list[list[int]]:
    """Average-link agglomeration: the two groups whose mean pair probability is highest are
    joined while it reaches ``threshold`` (and ``can_join`` allows it). Groups are compared only
    when some candidate pair links them, but then over all their pairs, so one article close to
    two incidents cannot join them. The same for any input order (ties go to the groups with the
    lowest member indexes).

    Args:
        groups: the starting groups (doc indexes, sorted; every doc in one).
        pairs: candidate pairs of doc indexes.
        prob: doc index, doc index -> same-story probability (symmetric).
        threshold: the least mean probability of a join.
        can_join: members, members -> whether the two may be one story (e.g. their date span).
        cap: groups larger than this are compared over an even sample of this many members.
    Returns:
        The final groups, each sorted.
    """
    members: dict[int, list[int]] = {}
    group_of: dict[int, int] = {}
    for g, ms in enumerate(groups):
        members[g] = sorted(ms)
        for m in ms:
            group_of[m] = g
    adj: dict[int, dict[int, float]] = {g: {} for g in members}
    for i, j in pairs:
        gi, gj = group_of[i], group_of[j]
        if gi != gj and gj not in adj[gi]:
            s = _group_sum(members[gi], members[gj], prob, cap)
            adj[gi][gj] = adj[gj][gi] = s
    heap = []

    def push(x: int, y: int) -> None:
        avg = adj[x][y] / (len(members[x]) * len(members[y]))
        if avg >= threshold:
            a, b = sorted((x, y), key=lambda g: members[g][0])
            heapq.heappush(heap, (-round(avg, 9), members[a][0], members[b][0], a, b))

    for x in adj:
        for y in adj[x]:
            if x < y:
                push(x, y)
    next_id = len(members)
    while heap:
        _, _, _, x, y = heapq.heappop(heap)
        if x not in members or y not in members:
            continue  # one side was joined since
        if not can_join(members[x], members[y]):
            continue
        z, next_id = next_id, next_id + 1
        mx, my = members.pop(x), members.pop(y)
        members[z] = sorted(mx + my)
        nx, ny = adj.pop(x), adj.pop(y)
        adj[z] = {}
        for w in sorted((set(nx) | set(ny)) - {x, y}):
            sx = nx[w] if w in nx else _group_sum(members[w], mx, prob, cap)
            sy = ny[w] if w in ny else _group_sum(members[w], my, prob, cap)
            near = adj[w]
            near.pop(x, None)
            near.pop(y, None)
            adj[z][w] = near[z] = sx + sy
            push(z, w)
    return sorted(members.values())


def attach_leftovers(groups: Sequence[list[int]], pairs: Iterable[tuple[int, int]], prob: Callable[[int, int], float],
                     can_join: Callable[[list[int], list[int]], bool], *, small: int = 3, k: int = 8,
                     floor: float = 0.5, vote: float = 2.0) -> list[list[int]]:
    """Small groups (at most ``small`` articles) join, whole, the group their articles' ``k`` most
    probable candidate neighbours vote for (probabilities of at least ``floor`` summed per group,
    over the small group's size) when the vote reaches ``vote`` and that group is no smaller;
    decided on the groups as given (one move per small group: two of its articles cannot chain
    two others). Average linkage keeps an article out of a story when it is close to only part of
    it; its nearest neighbours still tell where it belongs.

    Args:
        groups: the groups (sorted doc indexes; every doc in one).
        pairs: candidate pairs of doc indexes.
        prob: doc index, doc index -> same-story probability.
        can_join: members, members -> whether the two may be one story.
    Returns:
        The groups after the moves, each sorted, in order of their first member.
    """
    group_of = {m: g for g, ms in enumerate(groups) for m in ms}
    near: dict[int, list[tuple[float, int]]] = {}
    for i, j in pairs:
        p = prob(i, j)
        if p >= floor:
            near.setdefault(i, []).append((-p, j))
            near.setdefault(j, []).append((-p, i))
    target = list(range(len(groups)))
    for g, ms in enumerate(groups):
        if len(ms) > small:
            continue
        votes: dict[int, float] = {}
        for i in ms:
            for p, j in sorted(near.get(i, ()))[:k]:
                h = group_of[j]
                if h != g:
                    votes[h] = votes.get(h, 0.0) - p / len(ms)
        if votes:
            best = min(votes, key=lambda h: (-round(votes[h], 9), groups[h][0]))
            if votes[best] >= vote and len(groups[best]) >= len(ms) and can_join(ms, groups[best]):
                target[g] = best
    out: dict[int, list[int]] = {}
    for g, ms in enumerate(groups):
        h = g
        seen = {g}
        while target[h] != h and target[h] not in seen:  # a small group may move into one that moves
            seen.add(target[h])
            h = target[h]
        out.setdefault(h, []).extend(ms)
    return sorted(sorted(ms) for ms in out.values())
