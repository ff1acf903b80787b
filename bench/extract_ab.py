"""Two source trees' extraction stages timed in one process, taking turns article by article.

Usage::

    .venv/bin/python bench/extract_ab.py SRC_A SRC_B [--rounds 5] [--polnear-limit 300] [--no-gold]

``bench/extract_time.py --against`` times two trees in two processes; on a machine shared with
other jobs the two processes get different shares of the cores, and the same code has measured
.176 against .194 there. Here both trees are imported into one process (each ``src`` folder's
``newstrace`` modules kept apart) and run the stages of
:func:`newstrace.extract.core.annotate` over the same parsed documents (those of
``bench/extract_time.py``: PolNeAR dev and the gold dev split), tree A then tree B on one
article, B then A on the next, so that a change of load falls on both alike. Each stage's CPU time
(``time.process_time``) is summed per tree and round; the table gives each tree's median over the
rounds, as a share of one parse of the documents, and the median of the rounds' B / A ratios.
Before the first round both trees' annotations of every document are compared ("identical").
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from pathlib import Path

STAGES = ("entities", "quotes", "attributions", "learned", "claims", "event")
_MODULES = ("config", "extract.entities", "extract.quotes", "extract.attributions", "extract.learned",
            "extract.claims", "extract.events", "extract.doc_index")


def load_tree(src: Path) -> dict:
    """The modules of the ``newstrace`` package under ``src``, imported apart from any other tree's."""
    for name in [k for k in sys.modules if k == "newstrace" or k.startswith("newstrace.")]:
        del sys.modules[name]
    sys.path.insert(0, str(src))
    try:
        return {name: importlib.import_module("newstrace." + name) for name in _MODULES}
    finally:
        sys.path.remove(str(src))


def staged(tree: dict, doc, article, times: dict[str, float]) -> str:
    """Run annotate's stages of one tree over one parsed article, adding each stage's CPU time to
    ``times``; returns the repr of what they found (to compare the trees)."""
    settings = tree["config"].Settings()
    quotes, clock = tree["extract.quotes"], time.process_time
    t0 = clock()
    ents = tree["extract.entities"].analyze_entities(doc, article)
    t1 = clock()
    found = quotes.extract_quotes(doc, article, entities=ents, include_beliefs=settings.include_beliefs,
                                  include_nominal=settings.include_nominal)
    t2 = clock()
    attrs = tree["extract.attributions"].extract_attributions(doc, article, entities=ents)
    t3 = clock()
    if settings.attribution_model:
        extra = tree["extract.learned"].model_quotes(doc, article, entities=ents, have=found + attrs)
        found += extra if settings.include_beliefs else [q for q in extra if q.act == "speech"]
        quotes.nest_partials(found)
    t4 = clock()
    claims = tree["extract.claims"].extract_claims(doc, article, entities=ents, quotes=found, attributions=attrs)
    t5 = clock()
    event = tree["extract.events"].extract_event(doc, article)
    t6 = clock()
    tree["extract.doc_index"].release_index(doc)
    marks = (t0, t1, t2, t3, t4, t5, t6)
    for name, a, b in zip(STAGES, marks, marks[1:]):
        times[name] += b - a
    return repr((found, attrs, ents.mentions, ents.entities, claims, event))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src_a", type=Path, help="a src folder (e.g. of main)")
    ap.add_argument("src_b", type=Path, help="another src folder (e.g. of a branch)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--polnear-limit", type=int, default=300, help="at most N PolNeAR dev documents (0 = all)")
    ap.add_argument("--no-gold", action="store_true", help="PolNeAR dev only")
    args = ap.parse_args(argv)
    tree_a, tree_b = load_tree(args.src_a.resolve()), load_tree(args.src_b.resolve())
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import extract_time  # the documents bench/extract_time.py times (read with tree B's modules)
    from newstrace.nlp import load_nlp

    nlp = load_nlp()
    articles = extract_time.load_articles(args.polnear_limit or None, not args.no_gold)
    docs = [nlp(a.text) for a in articles]
    t0 = time.process_time()
    for a in articles:
        nlp(a.text)
    parse = time.process_time() - t0
    same = all(staged(tree_a, d, a, dict.fromkeys(STAGES, 0.0)) == staged(tree_b, d, a, dict.fromkeys(STAGES, 0.0))
               for d, a in zip(docs, articles))
    rounds: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
    for r in range(args.rounds):
        times = {"A": dict.fromkeys(STAGES, 0.0), "B": dict.fromkeys(STAGES, 0.0)}
        for k, (d, a) in enumerate(zip(docs, articles)):
            for name in ("AB" if (k + r) % 2 == 0 else "BA"):
                staged(tree_a if name == "A" else tree_b, d, a, times[name])
        rounds["A"].append(times["A"])
        rounds["B"].append(times["B"])
    print(f"extraction CPU time, medians of {args.rounds} rounds ({len(docs)} documents, both trees in one "
          f"process taking turns article by article); shares of one parse ({parse:.2f} s CPU)")
    print(f"{'stage':14s}{'A':>8s}{'B':>8s}   B / A (median of the rounds')")
    for stage in (*STAGES, "all"):
        a = [sum(t.values()) if stage == "all" else t[stage] for t in rounds["A"]]
        b = [sum(t.values()) if stage == "all" else t[stage] for t in rounds["B"]]
        ratio = statistics.median([y / x for x, y in zip(a, b)]) if all(a) else float("nan")
        print(f"{stage:14s}{statistics.median(a) / parse:8.4f}{statistics.median(b) / parse:8.4f}   {ratio:.3f}")
    print(f"A: {args.src_a}\nB: {args.src_b}\nannotations identical: {'yes' if same else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
