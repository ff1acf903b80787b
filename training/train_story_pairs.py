"""An experiment kept for the record (issue #16, 2026-12-03, branch cluster5): a learned score for
story edges, not shipped.

Each pair of nearest neighbours the story edge pass takes (``stories._neighbours``) is described by
``stories.edge_features`` (term and name cosines, rare entities shared, published within the window,
the main events' dates, people, places and figures, the length ratio, the hand-weighted
``pair_similarity``) and labelled by the gold stories: ecbplus-dev's (ECB+ topics 1-35; test topics
36-45 never read) and bench/linking.py's BBC set. A logistic regression (scikit-learn, dev
requirement) is trained per fold on the other four folds' topics (story_cv's folds) plus BBC, and
``cluster_stories`` takes it as ``edge_model`` either as the edge score (its probability against an
``edge_threshold`` chosen on the training folds) or, with ``--veto``, as a veto on the
hand-weighted edges (``edge_veto``: an edge whose probability is under it is dropped). Printed:
each fold's training F1 by threshold, its choice and held-out F1 beside the shipped clustering's,
and the full model on the whole set and BBC.

Usage:  PYTHONPATH=src .venv/bin/python training/train_story_pairs.py [--veto]
"""
import argparse
import statistics
import sys
from pathlib import Path
import numpy as np
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import linking as bench
from newstrace.link import stories, core
from sklearn.linear_model import LogisticRegression

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--veto", action="store_true", help="the model as a veto on the hand-weighted edges")
args = ap.parse_args()
corpus = bench.corpus_dir(None)
ecb = bench.ecb_build(corpus, REPO / "bench" / ".cache")
data = bench.build(corpus, REPO / "bench" / ".cache")
bbc_gold = {a: s for a, s in data["gold_story"].items() if a not in data["no_story"] and not s.startswith("seed:")}
egold = ecb["gold_story"]
topic = {a["id"]: Path(a.get("file") or a.get("source") or "").name.split("_")[0] for a in ecb["rows"]["articles"]}

def capture(rows):
    seen = {}
    orig_n = stories._neighbours
    def spy_n(docs, window, nv, **kw):
        out = orig_n(docs, window, nv, **kw); seen["nb"] = out; seen["nv"] = nv; return out
    def spy(docs, existing, settings, forced, related=None, **kw):
        seen.update(docs=docs, settings=settings, forced=dict(forced), related=related, kw=kw)
        return stories.cluster_stories(docs, existing, settings, forced, related, **kw)
    core.cluster_stories = spy; stories._neighbours = spy_n
    try:
        bench.link_rows(rows)
    finally:
        core.cluster_stories = stories.cluster_stories; stories._neighbours = orig_n
    return seen

def pairs_of(run, gold):
    docs, nv = run["docs"], run["nv"]; ptr, nbr, nsim = run["nb"]
    w = run["settings"].story_window_days
    out = []
    for i in range(len(docs)):
        for j, s in zip(nbr[ptr[i]:ptr[i+1]].tolist(), nsim[ptr[i]:ptr[i+1]].tolist()):
            if i < j or i not in nbr[ptr[j]:ptr[j+1]].tolist():
                a, b = docs[i], docs[j]
                if a.id in gold and b.id in gold:
                    out.append((a.id, b.id, stories.edge_features(a, b, nv[i], nv[j], s, w), float(gold[a.id] == gold[b.id])))
    return out

def cluster(run, **kw):
    kw2 = dict(run["kw"]); kw2.pop("neighbours", None); kw2.update(kw)
    out = stories.cluster_stories(run["docs"], [], run["settings"], run["forced"], run["related"], **kw2)
    return {run["docs"][m].id: st.id for st in out for m in st.members}

E, B = capture(ecb["rows"]), capture(data["rows"])
ep, bp = pairs_of(E, egold), pairs_of(B, bbc_gold)
print("pairs ecb", len(ep), "bbc", len(bp), flush=True)
topics = sorted({topic[a] for a in egold}, key=int); folds = [set(topics[k::5]) for k in range(5)]
def f1(pred, keep): return bench.bcubed(pred, {a: s for a, s in egold.items() if topic[a] in keep})[2]
def train(keep_topics, with_bbc=True, C=1.0):
    rows = [p for p in ep if topic[p[0]] in keep_topics and topic[p[1]] in keep_topics] + (bp if with_bbc else [])
    X = np.array([r[2] for r in rows]); y = np.array([r[3] for r in rows])
    m = LogisticRegression(C=C, max_iter=5000).fit(X, y)
    return [float(c) for c in m.coef_[0]] + [float(m.intercept_[0])]
GRID = [0.0, 0.2, 0.3, 0.4, 0.5, 0.6] if args.veto else [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
KEY = "edge_veto" if args.veto else "edge_threshold"
base = cluster(E)
print("shipped whole %.3f folds %s BBC %.3f" % (f1(base, set(topics)), "/".join("%.3f" % f1(base, f) for f in folds),
      bench.bcubed(cluster(B), bbc_gold)[2]), flush=True)
for with_bbc in (True, False):
    held = []
    for k, fold in enumerate(folds):
        train_t = set(topics) - fold
        w = train(train_t, with_bbc)
        res = {t: cluster(E, edge_model=w, **{KEY: t}) for t in GRID}
        best = max(GRID, key=lambda t: f1(res[t], train_t))
        held.append(f1(res[best], fold))
        print(f"bbc={with_bbc} fold {k}: train F1 by threshold " + " ".join(f"{t}:{f1(res[t], train_t):.3f}" for t in GRID)
              + f" chosen {best} held-out {held[-1]:.3f} (shipped {f1(base, fold):.3f})", flush=True)
    print(f"bbc={with_bbc} mean held-out {statistics.mean(held):.3f}", flush=True)
    w = train(set(topics), with_bbc)
    for t in GRID:
        print(f"  full model t={t}: ecb whole {f1(cluster(E, edge_model=w, **{KEY: t}), set(topics)):.3f} BBC {bench.bcubed(cluster(B, edge_model=w, **{KEY: t}), bbc_gold)[2]:.3f}", flush=True)
