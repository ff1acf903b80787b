"""A learned pair score for stories, an option of ``cluster_stories`` (``pair_model``; issue #16, branch
cluster6; not shipped: README, Accuracy, and docs/accuracy-log.md), trained and measured by ecbplus-dev's topic folds.

Each pair of nearest neighbours the story clustering searches (``pair_model.neighbour_pairs``, with the
shipped settings) is described by ``pair_model.pair_features`` (``pair_model.PAIR_FEATURES``: term and name
cosines, rare entities shared and their prominence cosine, the publication-date gap, same outlet,
the main events' dates, people, places and fixed figures apart, the length ratio, the hand-weighted
``pair_similarity``) and labelled by the gold stories: ecbplus-dev's (ECB+ topics 1-35,
../shared/corpus/ecbplus-dev; test topics 36-45 are never read) and bench/linking.py's BBC set (with
its events, as ``--bbc-events``). The model is a logistic regression over the standardised features,
fitted by full-batch gradient descent from zero weights with L2 (no randomness: a rebuild gives the
same file). ``cluster_stories`` reads it (``pair_model``): with ``model_votes`` the leftovers' votes add
up twice its probabilities instead of the similarities, and with ``model_edge`` a neighbour pair is
an edge of the edge pass when its probability reaches it.

Measured like bench/story_cv.py: ecbplus-dev's topics in 5 folds (every fifth topic); for each fold
a model is trained on the other four folds' pairs and BBC's (``--no-bbc``: not BBC's), the setting of
``GRID`` (``--votes-only``: the votes alone, by ``attach_threshold``) chosen by B-cubed F1 on those four folds,
and scored on the held-out fold. Printed: each fold's choice and held-out F1 beside the rules alone
(``model_votes=False``), their means, and the model trained on every pair on the whole set and BBC
(in-sample figures).

ecbplus-dev is for measuring only, so the model ``--out`` writes (trained on every ecbplus-dev pair)
is an experiment, never a model to ship: ``--out`` refuses unless ``--train-on-ecbplus-dev`` is given
too. A shipped pair model needs a training split of its own, other than ecbplus-dev (and its figures
measured on ecbplus-dev then).

Usage (``--out``: the model trained on every pair, a JSON file ``link.pair_model.load_pair_model`` reads; ``--drop``: features
kept at weight 0, names of ``PAIR_FEATURES``):

    PYTHONPATH=src .venv/bin/python training/train_story_pairs.py [--votes-only [--thresholds LIST]]
        [--bbc-floor F1] [--no-bbc] [--drop NAMES] [--out PATH --train-on-ecbplus-dev [--fit-only]]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import linking as bench  # noqa: E402  (the bench's data and metrics)

from newstrace.link import core, pair_model, stories  # noqa: E402

L2 = 1e-3
STEPS = 3000
RATE = 0.5
GRID: list[dict[str, Any]] = [dict(model_edge=e, model_votes=False) for e in (0.3, 0.5, 0.7)] + \
    [dict(model_edge=e, model_votes=True, attach_threshold=t) for e in (0.3, 0.5, 0.7) for t in (1.0, 1.5, 2.0)]


def capture(rows: dict[str, list]) -> dict[str, Any]:
    """The docs and arguments of the story clustering of one link of ``rows`` (bench.link_rows)."""
    seen: dict[str, Any] = {}

    def spy(docs: Any, existing: Any, settings: Any, forced: Any, related: Any = None, **kw: Any) -> Any:
        seen.update(docs=docs, settings=settings, forced=dict(forced), related=related, kw=kw)
        return stories.cluster_stories(docs, existing, settings, forced, related, **kw)
    core.cluster_stories = spy
    try:
        bench.link_rows(rows)
    finally:
        core.cluster_stories = stories.cluster_stories
    return seen


def pairs_of(run: dict[str, Any], gold: dict[str, str]) -> list[tuple[str, str, list[float], float]]:
    """(id, id, features, same story) of each neighbour pair once, both articles in ``gold``."""
    docs, settings = run["docs"], run["settings"]
    ptr, nbr, nsim, nv = pair_model.neighbour_pairs(docs, settings, **run["kw"])  # the link's own search
    out = []
    for i in range(len(docs)):
        for j, s in zip(nbr[ptr[i]:ptr[i + 1]].tolist(), nsim[ptr[i]:ptr[i + 1]].tolist()):
            if i < j or i not in nbr[ptr[j]:ptr[j + 1]].tolist():
                a, b = docs[i], docs[j]
                if a.id in gold and b.id in gold:
                    out.append((a.id, b.id, pair_model.pair_features(a, b, nv[i], nv[j], s, settings.story_window_days),
                                float(gold[a.id] == gold[b.id])))
    return out


def fit(rows: list[tuple[str, str, list[float], float]], drop: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The logistic regression of the rows' labels on their features (standardised); the features
    named in ``drop`` keep weight 0."""
    x = np.array([r[2] for r in rows], dtype=np.float64)
    y = np.array([r[3] for r in rows], dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    z[:, [k for k, name in enumerate(pair_model.PAIR_FEATURES) if name in drop]] = 0.0
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        w -= RATE * (z.T @ (p - y) / len(y) + L2 * w)
        b -= RATE * float(np.mean(p - y))
    r6 = lambda v: [round(float(t), 6) for t in v]  # noqa: E731
    return dict(features=list(pair_model.PAIR_FEATURES), mean=r6(mean), scale=r6(scale), coef=r6(w),
                intercept=round(b, 6))


def cluster(run: dict[str, Any], **kw: Any) -> dict[str, str]:
    """Article id -> story id of the run's clustering under ``kw`` (a ``pair_model`` given as
    :func:`fit` makes it)."""
    if "pair_model" in kw:
        kw["pair_model"] = pair_model.PairModel.from_dict(kw["pair_model"], "train_story_pairs.fit's model")
    out = stories.cluster_stories(run["docs"], [], run["settings"], run["forced"], run["related"], **kw)
    return {run["docs"][m].id: st.id for st in out for m in st.members}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="write the model trained on every pair here (JSON)")
    ap.add_argument("--drop", default="", help="features left out (weight 0), comma-separated names of PAIR_FEATURES")
    ap.add_argument("--no-bbc", action="store_true", help="train on ecbplus-dev's pairs alone (BBC then held out too)")
    ap.add_argument("--votes-only", action="store_true",
                    help="the model in the leftovers' votes only (the edge pass hand-weighted)")
    ap.add_argument("--fit-only", action="store_true", help="write --out's model without the folds' figures")
    ap.add_argument("--thresholds", default="1.0,1.5,2.0,2.5", help="--votes-only's attach_threshold grid")
    ap.add_argument("--bbc-floor", type=float, default=0.0,
                    help="choose only among settings keeping BBC's F1 (that fold's model) at least this high")
    ap.add_argument("--train-on-ecbplus-dev", action="store_true",
                    help="let --out write its model, trained on ecbplus-dev's pairs (a set for measuring only): "
                         "an experiment, not a model to ship")
    args = ap.parse_args()
    if args.out and not args.train_on_ecbplus_dev:
        ap.error(f"--out {args.out}: the model would be trained on every ecbplus-dev pair, and ecbplus-dev is for "
                 "measuring only; a shipped pair model needs a training split other than ecbplus-dev. To write "
                 "this one anyway, as an experiment, add --train-on-ecbplus-dev")
    if args.fit_only and not args.out:
        ap.error("--fit-only writes --out's model: give --out PATH too")
    if args.votes_only:
        GRID[:] = [dict(model_edge=0.0, model_votes=True, attach_threshold=float(t)) for t in args.thresholds.split(",")]
    drop = frozenset(n.strip() for n in args.drop.split(",") if n.strip())
    assert drop <= set(pair_model.PAIR_FEATURES), f"--drop: unknown {sorted(drop - set(pair_model.PAIR_FEATURES))}"
    corpus = bench.corpus_dir(None)
    cache = REPO / "bench" / ".cache"
    ecb = bench.ecb_build(corpus, cache)
    data = bench.build(corpus, cache)
    bbc_gold = {a: s for a, s in data["gold_story"].items() if a not in data["no_story"] and not s.startswith("seed:")}
    egold = ecb["gold_story"]
    topic = {a["id"]: Path(a.get("file") or a.get("source") or "").name.split("_")[0] for a in ecb["rows"]["articles"]}
    topics = sorted({topic[a] for a in egold}, key=int)
    assert int(topics[-1]) <= 35
    folds = [set(topics[k::5]) for k in range(5)]
    E, B = capture(ecb["rows"]), capture(data["rows"])
    ep, bp = pairs_of(E, egold), pairs_of(B, bbc_gold)
    extra = [] if args.no_bbc else bp
    print(f"neighbour pairs: ecbplus-dev {len(ep)} ({sum(p[3] for p in ep):.0f} same story), "
          f"BBC {len(bp)} ({sum(p[3] for p in bp):.0f})", flush=True)

    if args.fit_only:
        Path(args.out).write_text(json.dumps(fit(ep + extra, drop), indent=1) + "\n")
        return

    def f1(pred: dict[str, str], keep: set[str]) -> float:
        return bench.bcubed(pred, {a: s for a, s in egold.items() if topic[a] in keep})[2]

    base = cluster(E, model_votes=False)
    print("the rules alone (model_votes=False): ecbplus-dev %.3f (folds %s) BBC %.3f" % (
        f1(base, set(topics)), "/".join("%.3f" % f1(base, f) for f in folds),
        bench.bcubed(cluster(B, model_votes=False), bbc_gold)[2]), flush=True)
    held, shipped = [], []
    for k, fold in enumerate(folds):
        train = set(topics) - fold
        model = fit([p for p in ep if topic[p[0]] in train and topic[p[1]] in train] + extra, drop)
        res = [(g, cluster(E, pair_model=model, **g)) for g in GRID]
        if args.bbc_floor:  # BBC's F1 under each setting, and only those at the floor chosen (else the best BBC)
            bbc = [bench.bcubed(cluster(B, pair_model=model, **g), bbc_gold)[2] for g in GRID]
            print(f"fold {k}: BBC F1 " + " ".join(f"{b:.3f}" for b in bbc), flush=True)
            ok = [r for r, b in zip(res, bbc) if b >= args.bbc_floor] or [res[bbc.index(max(bbc))]]
        else:
            ok = res
        best, pred = max(ok, key=lambda r: f1(r[1], train))
        held.append(f1(pred, fold))
        shipped.append(f1(base, fold))
        print(f"fold {k}: training F1 " + " ".join(f"{f1(p, train):.3f}" for _, p in res)
              + f"; chosen {best}, held-out {held[-1]:.3f} (rules alone {shipped[-1]:.3f})", flush=True)
    print(f"mean held-out-fold B-cubed F1 {statistics.mean(held):.3f} against {statistics.mean(shipped):.3f} "
          "for the rules alone")
    model = fit(ep + extra, drop)
    print("model on every pair:", json.dumps(dict(zip(model["features"], model["coef"]))))
    for g in GRID:
        print(f"  {g}: ecbplus-dev {f1(cluster(E, pair_model=model, **g), set(topics)):.3f} "
              f"BBC {bench.bcubed(cluster(B, pair_model=model, **g), bbc_gold)[2]:.3f}", flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(model, indent=1) + "\n")


if __name__ == "__main__":
    main()
