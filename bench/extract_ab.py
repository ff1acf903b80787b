"""Two source trees' extraction stages timed in one process, taking turns article by article.

Usage::

    .venv/bin/python bench/extract_ab.py SRC_A SRC_B [--rounds 5] [--polnear-limit 300] [--no-gold]

``bench/extract_time.py --against`` times two trees in two processes; on a machine shared with
other jobs the two processes get different shares of the cores, and the same code has measured
.176 against .194 there. Here both trees are imported into one process (each ``src`` folder's
``newstrace`` modules kept apart) and run :func:`newstrace.extract.core.annotate`, timed stage by
stage through its ``lap`` callback, over the same parsed documents (those of
``bench/extract_time.py``: PolNeAR dev and the gold dev split), tree A then tree B on one
article, B then A on the next, so that a change of load falls on both alike. Each stage's CPU time
(``time.process_time``) is summed per tree and round; the table gives each tree's median over the
rounds, as a share of one parse of the documents, and the median of the rounds' B / A ratios.
Before the first round both trees' annotations of every document are compared ("identical").
The package finds its data files (models, tables) through whichever tree was imported last, so
two trees whose ``newstrace/data`` differ (a retrained model) are refused: time them with
``bench/extract_time.py --against``, one process each.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import inspect
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import extract_time  # noqa: E402  (bench/extract_time.py: the documents it times, read with tree B's modules)

STAGES = ("entities", "quotes", "attributions", "learned", "claims", "event")  # = extract.core.STAGES
_MODULES = ("config", "extract.core")


def data_digest(src: Path) -> str:
    """A digest of the package data files under ``src`` (models, tables)."""
    h = hashlib.sha256()
    for f in sorted((src / "newstrace" / "data").rglob("*")):
        if f.is_file():
            h.update(f.relative_to(src).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def load_tree(src: Path) -> dict:
    """The modules of the ``newstrace`` package under ``src``, imported apart from any other tree's."""
    for name in [k for k in sys.modules if k == "newstrace" or k.startswith("newstrace.")]:
        del sys.modules[name]
    sys.path.insert(0, str(src))
    try:
        tree = {name: importlib.import_module("newstrace." + name) for name in _MODULES}
    finally:
        sys.path.remove(str(src))
    core = tree["extract.core"]
    if "lap" not in inspect.signature(core.annotate).parameters or tuple(core.STAGES) != STAGES:
        raise SystemExit(f"bench/extract_ab.py: {core.__file__}: annotate has no lap= callback with the "
                         f"stages {STAGES} (a tree older than 2026-12-03): it cannot be timed stage by stage")
    return tree


def staged(tree: dict, doc, article, times: dict[str, float]) -> str:
    """One tree's :func:`newstrace.extract.core.annotate` over one parsed article, adding each
    stage's CPU time to ``times`` (through annotate's ``lap``); returns the repr of what it found
    (to compare the trees)."""
    marks = [time.process_time()]
    ann = tree["extract.core"].annotate(doc, article, settings=tree["config"].Settings(),
                                        lap=lambda stage: marks.append(time.process_time()))
    for name, a, b in zip(STAGES, marks, marks[1:]):
        times[name] += b - a
    return repr(ann)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src_a", type=Path, help="a src folder (e.g. of main)")
    ap.add_argument("src_b", type=Path, help="another src folder (e.g. of a branch)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--polnear-limit", type=int, default=300, help="at most N PolNeAR dev documents (0 = all)")
    ap.add_argument("--no-gold", action="store_true", help="PolNeAR dev only")
    args = ap.parse_args(argv)
    src_a, src_b = args.src_a.resolve(), args.src_b.resolve()
    if data_digest(src_a) != data_digest(src_b):
        # the package finds its data through importlib.resources, i.e. through whichever tree was
        # imported last: in one process tree A would run with tree B's models
        ap.error(f"the package data files of {src_a} and {src_b} differ (a retrained model?): in one "
                 "process both trees would load the same files; use bench/extract_time.py --against")
    tree_a, tree_b = load_tree(src_a), load_tree(src_b)
    from newstrace.nlp import load_nlp  # tree B's, the tree imported last (no newstrace before)

    nlp = load_nlp()
    articles = extract_time.load_articles(args.polnear_limit or None, not args.no_gold)
    docs = [nlp(a.text) for a in articles]
    t0 = time.process_time()
    for a in articles:
        nlp(a.text)
    parse = time.process_time() - t0
    same = all(staged(tree_a, d, a, dict.fromkeys(STAGES, 0.0)) == staged(tree_b, d, a, dict.fromkeys(STAGES, 0.0))
               for d, a in zip(docs, articles))
    # everything loaded so far (two trees' modules, tables and models, the parses) moved out of the
    # collector's reach: else each of the garbage collector's passes walks it, at a cost that fell
    # on whichever tree happened to trigger them (main against a copy of itself measured 1.026)
    gc.collect()
    gc.freeze()
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
