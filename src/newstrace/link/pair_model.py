"""A learned pair score for stories (issue #16, branch cluster6): an option of
:func:`~newstrace.link.stories.cluster_stories` (``pair_model``, with ``model_votes`` or
``model_edge``), off by default and not shipped (README, Accuracy, and docs/accuracy-log.md).

:func:`neighbour_pairs` gives the pairs the clustering searches (through the clustering's own
:func:`~newstrace.link.stories.neighbour_search`, so the training pairs are the clustering's),
:func:`pair_features` describes a pair (:data:`PAIR_FEATURES` names the values), and
:class:`PairModel` is the logistic regression training/train_story_pairs.py writes, read with
:func:`load_pair_model`, which refuses a model trained on other features.
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Settings
from .features import ArticleDoc, PackedVectors
from .stories import (
    ENTITY_MAX_DF, cluster_stories, dates_disagree, figures_apart, name_vector, neighbour_search, rare_ents,
)
from .text import cosine

PAIR_FEATURES = ("term cosine", "name cosine", "rare entities shared", "entity prominence cosine",
                 "published days apart (log)", "both published dates known", "same outlet", "both outlets known",
                 "event dates apart", "both event dates known", "people apart", "places apart",
                 "people overlap", "places overlap", "fixed figures apart", "length ratio (log)",
                 "hand-weighted similarity")


def pair_features(a: ArticleDoc, b: ArticleDoc, na: dict[int, float] | None, nb: dict[int, float] | None,
                  sim: float, window_days: int, entity_max_df: float = ENTITY_MAX_DF) -> list[float]:
    """The evidence on a pair of articles a learned pair score reads (issue #16; :data:`PAIR_FEATURES`
    names them): what :func:`~newstrace.link.stories.pair_similarity` adds up (``sim``, its sum),
    each part apart, the publication-date gap, the outlets, and the events' people, places, dates
    and figures.

    Args:
        a, b: the two articles.
        na, nb: their name vectors (:func:`~newstrace.link.stories.name_vector`), or None.
        sim: the pair's hand-weighted similarity (:func:`~newstrace.link.stories.pair_similarity`).
        window_days: the story window (``Settings.story_window_days``).
        entity_max_df: entities in more than this share of articles are not rare.
    Returns:
        One value per name of :data:`PAIR_FEATURES`, in that order.
    """
    ea, eb = a.event, b.event
    ra, rb = rare_ents(a, entity_max_df), rare_ents(b, entity_max_df)
    shared = float(min(sum(1 for e in ra if e in rb), 3)) if ra and rb else 0.0
    prom = 0.0
    if ra and rb:
        norm = math.sqrt(sum(w * w for w in ra.values())) * math.sqrt(sum(w * w for w in rb.values()))
        prom = cosine(ra, rb) / (norm or 1.0)
    dated = bool(a.date and b.date)
    gap = math.log1p(abs((a.date - b.date).days)) if a.date and b.date else 0.0
    both = ea is not None and eb is not None
    who = both and bool(ea.who and eb.who)
    where = both and bool(ea.where and eb.where)
    return [cosine(a.vec, b.vec), cosine(na, nb) if na and nb else 0.0, shared, prom, gap, float(dated),
            float(bool(a.outlet and a.outlet == b.outlet)), float(bool(a.outlet and b.outlet)),
            float(both and dates_disagree(ea.date, eb.date, window_days)), float(both and bool(ea.date and eb.date)),
            float(who and not ea.who & eb.who), float(where and not ea.where & eb.where),
            len(ea.who & eb.who) / len(ea.who | eb.who) if who else 0.0,
            len(ea.where & eb.where) / len(ea.where | eb.where) if where else 0.0,
            float(both and bool(ea.figures and eb.figures) and figures_apart(a, b) == "fixed"),
            abs(math.log((len(a.text) + 50) / (len(b.text) + 50))), sim]


@dataclass(frozen=True, eq=False)
class PairModel:
    """A logistic regression over the standardised :func:`pair_features` of a pair (training/
    train_story_pairs.py writes it as JSON), checked against :data:`PAIR_FEATURES` when read."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    source: str

    @classmethod
    def from_dict(cls, model: Mapping[str, Any], source: str = "the pair model given") -> PairModel:
        """The model of a dict as training/train_story_pairs.py writes it, its features checked.

        Args:
            model: ``features`` (the names of the features it was trained on), ``mean``, ``scale``
                (their standardisation), ``coef``, ``intercept``.
            source: where it was read from (the file), for the error.
        Returns:
            The model.
        Raises:
            ValueError: it is not a mapping or lacks a key; its ``features`` are not
                :data:`PAIR_FEATURES` (another version's model, whose weights would fall on other
                features); its weights are not one finite number a feature; a scale is not above 0.
        """
        retrain = "Train it again with training/train_story_pairs.py"
        if not isinstance(model, Mapping):
            raise ValueError(f"{source}: the pair model must be a JSON object (features, mean, scale, coef, "
                             f"intercept), not a {type(model).__name__}. {retrain}")
        absent = [k for k in ("features", "mean", "scale", "coef", "intercept") if k not in model]
        if absent:
            raise ValueError(f"{source}: the pair model lacks {', '.join(absent)}. {retrain}")
        names = list(model.get("features") or ())
        if names != list(PAIR_FEATURES):
            missing = [n for n in PAIR_FEATURES if n not in names]
            unknown = [n for n in names if n not in PAIR_FEATURES]
            what = (f"lacks {missing}" if missing else "") + ("; " if missing and unknown else "") + \
                (f"has features this version does not describe {unknown}" if unknown else "")
            raise ValueError(f"{source}: the pair model's features are not this version's PAIR_FEATURES: "
                             f"{what or 'the same names in another order'} (model: {names}; this version: "
                             f"{list(PAIR_FEATURES)}). Train it again with training/train_story_pairs.py")
        try:
            arrays = {k: np.asarray(model[k], dtype=np.float64) for k in ("mean", "scale", "coef")}
            intercept = float(model["intercept"])
        except (TypeError, ValueError):
            raise ValueError(f"{source}: the pair model's mean, scale, coef and intercept must be numbers. "
                             f"{retrain}") from None
        bad = [k for k, v in arrays.items() if v.shape != (len(PAIR_FEATURES),)]
        if bad:
            raise ValueError(f"{source}: the pair model's {', '.join(bad)} must hold one value a feature "
                             f"({len(PAIR_FEATURES)}). {retrain}")
        if not all(np.isfinite(v).all() for v in arrays.values()) or not math.isfinite(intercept):
            raise ValueError(f"{source}: the pair model holds a value that is not a finite number. {retrain}")
        if not (arrays["scale"] > 0).all():
            zero = [PAIR_FEATURES[i] for i in np.flatnonzero(arrays["scale"] <= 0)]
            raise ValueError(f"{source}: the pair model's scale must be above 0 (it divides each feature; "
                             f"not for {zero}). {retrain}")
        return cls(intercept=intercept, source=source, **arrays)

    def probability(self, feats: Sequence[Sequence[float]]) -> np.ndarray:
        """The probability that each pair (a row of :func:`pair_features`) is one story.

        Args:
            feats: one row of :func:`pair_features` per pair.
        Returns:
            One probability per row.
        """
        x = (np.asarray(feats, dtype=np.float64).reshape(-1, len(self.coef)) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))

    def scores(self, docs: Sequence[ArticleDoc], nv: PackedVectors, ptr: np.ndarray, nbr: np.ndarray,
               nsim: np.ndarray, window_days: int, entity_max_df: float, rows: Sequence[int],
               first: int | None = None) -> np.ndarray:
        """The neighbour pairs' probabilities, packed as ``nsim``, for the articles ``rows`` (and
        their ``first`` neighbours, all when None); the other pairs keep their similarity. What
        :func:`~newstrace.link.stories.cluster_stories` calls under ``model_edge`` and ``model_votes``.

        Args:
            docs, nv: the articles and their name vectors.
            ptr, nbr, nsim: the neighbour pairs (:func:`~newstrace.link.stories.neighbour_search`).
            window_days, entity_max_df: as :func:`pair_features` takes them.
            rows, first: which articles' pairs, and how many of each.
        Returns:
            ``nsim`` with those pairs' probabilities in their places.
        """
        out = nsim.copy()
        idx = [p for i in rows for p in range(int(ptr[i]), int(ptr[i + 1]) if first is None
                                              else min(int(ptr[i + 1]), int(ptr[i]) + first))]
        src = np.repeat(np.arange(len(docs)), np.diff(ptr))
        feats = [pair_features(docs[int(src[p])], docs[int(nbr[p])], nv[int(src[p])], nv[int(nbr[p])],
                               float(nsim[p]), window_days, entity_max_df) for p in idx]
        if idx:
            out[idx] = self.probability(feats)
        return out


def load_pair_model(path: str | Path) -> PairModel:
    """The pair model of a JSON file training/train_story_pairs.py wrote, its features checked.

    Args:
        path: the file.
    Returns:
        The model (:meth:`PairModel.from_dict`).
    Raises:
        ValueError: the file is not JSON, or its model is not one this version reads (the file's
            name and the problem said: :meth:`PairModel.from_dict`).
    """
    try:
        model = json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: the pair model is not a JSON file ({err}). "
                         "Train it again with training/train_story_pairs.py") from None
    return PairModel.from_dict(model, source=str(path))


def neighbour_pairs(docs: Sequence[ArticleDoc], settings: Settings,
                    **setting: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, PackedVectors]:
    """The nearest neighbours :func:`~newstrace.link.stories.cluster_stories` searches under
    ``setting`` (its keyword arguments over its defaults, read off its signature) and the docs'
    name vectors: the pairs a learned pair score is trained on (training/train_story_pairs.py).

    Args:
        docs: the articles, as ``cluster_stories`` takes them.
        settings: the story window comes from here.
        setting: ``cluster_stories``' keyword arguments (those the search does not read are ignored).
    Returns:
        ``(ptr, nbr, sim, name vectors)``: doc i's neighbours are ``nbr[ptr[i]:ptr[i + 1]]``, their
        similarities ``sim`` at the same places.
    """
    defaults = {n: p.default for n, p in inspect.signature(cluster_stories).parameters.items()
                if p.default is not inspect.Parameter.empty}
    nv = PackedVectors(name_vector(d) for d in docs)
    ptr, nbr, nsim = neighbour_search(docs, settings, nv, **{**defaults, **setting, "cache": None})
    return ptr, nbr, nsim, nv
