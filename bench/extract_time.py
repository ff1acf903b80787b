"""Time of each extraction stage as a share of the bare spaCy parse (issue 15: the budget is 0.15).

Usage::

    .venv/bin/python bench/extract_time.py [--rounds 3] [--polnear-limit 300] [--no-gold]
        [--against SRC] [--json]

The documents are those ``bench/quotes.py`` times: PolNeAR dev (``../shared/corpus/polnear/dev``)
and the dev split of the newstrace gold (``tests/gold/quotes``), cleaned as the pipeline cleans
them. Each round parses every document (``nlp(text)``, the parse time) and then runs the stages
of :func:`newstrace.extract.core.annotate` one by one over the parses, timing each: entities,
quotes, attributions, the learned layer (CRF), claims (figures and dates) and the main event. A
stage's share is its time over the parse time of the same round; the table gives the median of
the rounds' shares. Time is CPU time of the measuring process (``time.process_time``), so that the
other jobs of a shared machine weigh less on the figures: parse and stages run in the one process,
and a core taken away stops its CPU clock. The same medians in wall clock (``time.perf_counter``)
are printed beside, for the whole extraction; under load they move more from run to run.

With ``--against SRC`` (a ``src`` folder of another checkout, e.g. ``git archive main src``
unpacked) the same rounds run for both source trees, each in its own child process, in
alternating order (A B, B A, A B, ...), and the table shows both side by side with whether their
annotations are identical (a digest of every document's annotations).

The stages are timed inside :func:`newstrace.extract.core.annotate` itself, through its ``lap``
callback (called as each stage ends), so the bench times the code the pipeline runs; a tree whose
``annotate`` has no ``lap`` (older than 2026-12-03) is refused with its path named.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import inspect
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STAGES = ("entities", "quotes", "attributions", "learned", "claims", "event")  # = extract.core.STAGES


def load_articles(polnear_limit: int | None, gold: bool) -> list:
    """The cleaned articles: PolNeAR dev documents, then the gold dev articles."""
    sys.path.insert(0, str(REPO / "bench"))
    import quotes as bench_quotes  # the same documents bench/quotes.py times
    from newstrace.clean import clean_article
    from newstrace.ingest import read_articles
    from newstrace.models import RawArticle

    raws = []
    for text_path, _ in bench_quotes.polnear_docs("dev", polnear_limit):
        text = text_path.read_text(encoding="utf-8")
        raws.append(RawArticle(source=str(text_path), text=text, file=str(text_path), format="txt"))
    if gold:
        for g in bench_quotes.load_gold("dev"):
            rec = next((r for r in read_articles([str(g.source_path())]) if isinstance(r, RawArticle)), None)
            if rec is not None:
                raws.append(rec)
    return [clean_article(r) for r in raws]


def staged(annotate, doc, article, settings, clock, times: dict[str, list[float]]):
    """``annotate`` (a tree's :func:`newstrace.extract.core.annotate`) over one parsed article, adding
    each stage's time to ``times`` through its ``lap`` callback: the very code the pipeline runs.

    Args:
        clock: returns the time now as a tuple of clocks (``quotes.clocks``: CPU time, wall clock).
        times: stage name -> one running sum per clock.
    """
    marks = [clock()]
    ann = annotate(doc, article, settings=settings, lap=lambda stage: marks.append(clock()))
    for name, a, b in zip(STAGES, marks, marks[1:]):
        times[name] = [s + y - x for s, x, y in zip(times[name], a, b)]
    return ann


def stage_annotate():
    """The current tree's annotate, checked to time its stages (``lap``, since 2026-12-03)."""
    from newstrace.extract import core
    if "lap" not in inspect.signature(core.annotate).parameters or tuple(core.STAGES) != STAGES:
        raise SystemExit(f"bench/extract_time.py: {core.__file__}: annotate has no lap= callback with the "
                         f"stages {STAGES} (a tree older than 2026-12-03): it cannot be timed stage by stage")
    return core.annotate


def child(args) -> int:
    """Serve rounds on stdin/stdout: one JSON line of timings per "round" line read."""
    from newstrace.config import Settings
    from newstrace.nlp import load_nlp

    annotate = stage_annotate()
    nlp = load_nlp()
    settings = Settings()
    articles = load_articles(args.polnear_limit or None, not args.no_gold)
    from quotes import clocks  # bench/quotes.py, on the path since load_articles
    docs = [nlp(a.text) for a in articles]
    zero = {s: [0.0, 0.0] for s in STAGES}
    digest = hashlib.sha1("".join(repr(annotate(d, a, settings=settings)) for d, a in zip(docs, articles))
                          .encode()).hexdigest()
    print(json.dumps({"ready": True, "docs": len(docs), "digest": digest,
                      "newstrace": importlib.util.find_spec("newstrace").origin}), flush=True)
    for line in sys.stdin:
        if line.strip() != "round":
            break
        t0 = clocks()
        docs = [nlp(a.text) for a in articles]
        parse = [b - a for a, b in zip(t0, clocks())]
        times = dict(zero)
        for d, a in zip(docs, articles):
            staged(annotate, d, a, settings, clocks, times)
        print(json.dumps({"parse": parse[0], "parse_wall": parse[1],
                          "stages": {k: v[0] for k, v in times.items()},
                          "stages_wall": {k: v[1] for k, v in times.items()}}), flush=True)
    return 0


def _start(src: Path, args) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child",
           "--polnear-limit", str(args.polnear_limit)] + (["--no-gold"] if args.no_gold else [])
    return subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _ask(proc: subprocess.Popen) -> dict:
    proc.stdin.write("round\n")
    proc.stdin.flush()
    return json.loads(proc.stdout.readline())


def summarise(info: dict, rounds: list[dict]) -> dict:
    """Median share of the parse per stage (and in all) over the rounds: CPU time, and wall clock for the totals.

    Each round's share is taken first (a stage's time over the same round's parse time), then the
    median over the rounds, so a round slowed by other jobs counts once whatever its length.
    """
    def median_share(key: str, parse: str, stages=STAGES) -> float:
        return statistics.median(sum(r[key][s] for s in stages) / r[parse] for r in rounds)

    rules = tuple(s for s in STAGES if s != "learned")
    return {**info, "parse_s": round(statistics.median(r["parse"] for r in rounds), 2),
            "parse_wall_s": round(statistics.median(r["parse_wall"] for r in rounds), 2),
            "share": {s: round(median_share("stages", "parse", (s,)), 3) for s in STAGES},
            "annotate_vs_parse": round(median_share("stages", "parse"), 3),
            "without_learned": round(median_share("stages", "parse", rules), 3),
            "annotate_vs_parse_wall": round(median_share("stages_wall", "parse_wall"), 3),
            "without_learned_wall": round(median_share("stages_wall", "parse_wall", rules), 3),
            "rounds": rounds}


def paired_ratio(base: list[dict], other: list[dict], key: str = "stages", parse: str = "parse") -> float:
    """The median over rounds of ``other``'s share of the parse over ``base``'s in the same round
    (the two trees' rounds run one after the other, under about the same load: a ratio of each pair
    moves less with the machine's load than the ratio of two medians).

    Args:
        base, other: the rounds of two trees (as :func:`summarise` reads them), in the same order.
        key, parse: the stages' and the parse's times to read ("stages_wall", "parse_wall": wall clock).
    """
    def share(r: dict) -> float:
        return sum(r[key].values()) / r[parse]

    return statistics.median(share(b) / share(a) for a, b in zip(base, other))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--polnear-limit", type=int, default=300, help="at most N PolNeAR dev documents (0 = all)")
    ap.add_argument("--no-gold", action="store_true", help="PolNeAR dev only")
    ap.add_argument("--against", type=Path, help="a src folder to time in alternation with this checkout's")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)
    trees = {"this": REPO / "src"}
    if args.against:
        trees = {"against": args.against.resolve(), **trees}
    procs = {name: _start(src, args) for name, src in trees.items()}
    info = {name: json.loads(p.stdout.readline()) for name, p in procs.items()}
    rounds: dict[str, list[dict]] = {name: [] for name in trees}
    for r in range(args.rounds):
        for name in (list(trees) if r % 2 == 0 else list(reversed(trees))):
            rounds[name].append(_ask(procs[name]))
    for p in procs.values():
        p.stdin.close()
        p.wait()
    result = {name: summarise(info[name], rounds[name]) for name in trees}
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    names = list(trees)
    print(f"extraction time / bare parse time, medians of {args.rounds} alternating rounds' shares "
          f"({info[names[-1]]['docs']} documents; CPU time, wall clock where marked)")
    print(f"{'stage':<14}" + "".join(f"{n:>10}" for n in names))
    for s in STAGES:
        print(f"{s:<14}" + "".join(f"{result[n]['share'][s]:>10.3f}" for n in names))
    print(f"{'all':<14}" + "".join(f"{result[n]['annotate_vs_parse']:>10.3f}" for n in names))
    print(f"{'all - learned':<14}" + "".join(f"{result[n]['without_learned']:>10.3f}" for n in names))
    print(f"{'all, wall':<14}" + "".join(f"{result[n]['annotate_vs_parse_wall']:>10.3f}" for n in names))
    print(f"{'all - l., wall':<14}" + "".join(f"{result[n]['without_learned_wall']:>10.3f}" for n in names))
    print(f"{'parse s':<14}" + "".join(f"{result[n]['parse_s']:>10.2f}" for n in names))
    print(f"{'parse s, wall':<14}" + "".join(f"{result[n]['parse_wall_s']:>10.2f}" for n in names))
    for n in names:
        print(f"{n}: {info[n]['newstrace']}")
    if len(names) == 2:
        a, b = (rounds[n] for n in names)
        print(f"{names[1]} / {names[0]}, median of the rounds' pairs: {paired_ratio(a, b):.3f} in CPU time, "
              f"{paired_ratio(a, b, 'stages_wall', 'parse_wall'):.3f} in wall clock")
        print("annotations identical: " + ("yes" if info[names[0]]["digest"] == info[names[1]]["digest"] else "NO"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
