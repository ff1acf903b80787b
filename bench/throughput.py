"""Throughput of newstrace end to end against the bare spaCy parse of the same texts.

Usage:
    .venv/bin/python bench/throughput.py --articles 1000 --repeat 3 [--jobs 2] [--sizes 1000,5000]

Builds a corpus by repeating the BBC corpus (each copy made distinct so it is not deduplicated)
as one JSONL file, then measures, each in a fresh subprocess, median of --repeat runs:

* baseline: ``spacy.load(model)`` + ``nlp.pipe`` over the texts (the full English pipeline),
* newstrace: ``newstrace.analyze`` on the JSONL file into a new database (ingest, clean, parse,
  entities, quotes, attributions, claims, store, link),

and prints articles/s, words/s, their ratio, peak RSS and newstrace's per-stage seconds.
With --sizes it also prints, for an end-to-end run at each size, the peak RSS through the
per-article stages (read when linking starts: should stay flat as the corpus grows) and with
linking (which holds every article's features); with --jobs both for the largest process and
for all processes together (live workers read from /proc). While a size runs, checkpoints at
1k, 3k, 10k, 30k, 100k ... articles go to stderr (seconds, peak RSS), so a long run cut short
still leaves figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = next((p for p in (REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")) if p.is_dir()), None)


def build_corpus(n: int, out: Path, seed: int = 0) -> tuple[int, int]:
    """Write n BBC-derived articles to out (JSONL); return (articles, words)."""
    if CORPUS is None:
        sys.exit("bench/throughput.py: the shared corpus (../shared/corpus/bbc) is missing")
    files = sorted((CORPUS / "bbc").glob("*/*.txt"))
    rng = random.Random(seed)
    words = 0
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            raw = files[i % len(files)].read_text(encoding="latin-1")
            title, _, body = raw.partition("\n")
            if i >= len(files):  # a distinct copy: perturb a few words so the id differs
                toks = body.split(" ")
                for _ in range(3):
                    j = rng.randrange(len(toks))
                    toks[j] = toks[j].upper()
                body = " ".join(toks) + f"\n\n(copy {i // len(files)})"
            words += len(body.split())
            fh.write(json.dumps({"id": f"bbc-{i}", "title": title.strip(), "text": body,
                                 "outlet": "BBC News", "date": "2005-01-01"}) + "\n")
    return n, words


_BASELINE = r"""
import json, resource, sys, time
import spacy
from newstrace.nlp import resolve_model_name
path, jobs, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
texts = [json.loads(l)["text"] for l in open(path, encoding="utf-8")]
nlp = spacy.load(resolve_model_name("auto"))
t0 = time.perf_counter()
n = sum(1 for _ in nlp.pipe(texts, batch_size=batch, n_process=jobs))
dt = time.perf_counter() - t0
print(json.dumps({"seconds": dt, "articles": n,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_NEWSTRACE = r"""
import json, resource, sys, time, os
from newstrace.config import Settings
from newstrace.nlp import load_nlp
from newstrace.pipeline import analyze
path, db, jobs, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
load_nlp()  # model load is not part of either measurement
def _live_children_hwm():
    # peak RSS (MB) of each live child process (--jobs workers): RUSAGE_CHILDREN sees only ended ones
    out = []
    for d in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/status") as fh:
                st = dict(l.split(":", 1) for l in fh if ":" in l)
        except OSError:
            continue
        if st.get("PPid", "").strip() == str(os.getpid()) and "VmHWM" in st:
            out.append(int(st["VmHWM"].split()[0]) / 1024)
    return out
def peak():
    # the largest single process: this one, an ended child or a live worker
    return max([resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, *_live_children_hwm()])
def peak_total():
    # this process plus its live workers, each at its own peak (an upper bound of the total)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + sum(_live_children_hwm())
before_link = []
all_peak = [0.0]
marks = [1000, 3000, 10000, 30000, 100000, 300000, 1000000]
t0 = time.perf_counter()
def progress(phase, done, total):  # the per-article stages' peak is read when linking starts
    if phase == "articles" and marks and done >= marks[0]:  # live checkpoints, so a long run
        while marks and done >= marks[0]:                 # cut short still leaves figures
            marks.pop(0)
        print(f"  checkpoint {done:>7} articles: {time.perf_counter() - t0:7.0f} s, "
              f"peak RSS {peak():.0f} MB largest process, {max(all_peak[0], peak_total()):.0f} MB all processes",
              file=sys.stderr, flush=True)
    if phase == "articles" and done % 160 < 16:  # every ~10 batches: the workers end before linking
        all_peak[0] = max(all_peak[0], peak_total())
    if phase == "link" and not before_link:
        before_link.append(peak())
        before_link.append(all_peak[0])
stats = analyze([path], db, settings=Settings(jobs=jobs, batch_size=batch), progress=progress)
dt = time.perf_counter() - t0
print(json.dumps({"seconds": dt, "articles": stats.articles_added, "errors": len(stats.errors),
                  "stages": stats.stage_seconds, "peak_rss_mb": peak(),
                  "peak_rss_before_link_mb": before_link[0] if before_link else None,
                  "peak_rss_all_before_link_mb": before_link[1] if before_link else None}))
"""


def _run(code: str, *args: str, live: bool = False) -> dict:
    """Run code in a fresh interpreter; live passes its stderr (checkpoints, errors) straight through."""
    out = subprocess.run([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                         stderr=None if live else subprocess.PIPE, text=True)
    if out.returncode:
        sys.exit(f"bench/throughput.py: a measured run failed (exit {out.returncode}):\n"
                 f"{(out.stderr or '(its stderr is above)')[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--sizes", default="", help="comma-separated sizes for the peak-memory check")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        n, words = build_corpus(args.articles, corpus)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"corpus: {n} articles, {words} words (BBC repeated and perturbed), jobs={args.jobs}, "
              f"batch={args.batch_size}, median of {args.repeat}")
        base, ours = [], []
        for r in range(args.repeat):  # interleaved so drift in machine load hits both alike
            base.append(_run(_BASELINE, str(corpus), str(args.jobs), str(args.batch_size)))
            db = Path(tmp) / f"run{r}.db"
            ours.append(_run(_NEWSTRACE, str(corpus), str(db), str(args.jobs), str(args.batch_size)))
        b = statistics.median(x["seconds"] for x in base)
        o = statistics.median(x["seconds"] for x in ours)
        print(f"{'':28}{'articles/s':>12}{'words/s':>12}{'peak RSS MB':>14}")
        print(f"{'bare spaCy parse (baseline)':28}{n / b:12.1f}{words / b:12.0f}"
              f"{statistics.median(x['peak_rss_mb'] for x in base):14.0f}")
        print(f"{'newstrace end to end':28}{n / o:12.1f}{words / o:12.0f}"
              f"{statistics.median(x['peak_rss_mb'] for x in ours):14.0f}")
        print(f"ratio newstrace / bare parse (throughput): {b / o:.2f}")
        stages = {}
        for x in ours:
            for k, v in x["stages"].items():
                stages.setdefault(k, []).append(v)
        print("newstrace per-stage seconds (median): " +
              ", ".join(f"{k} {statistics.median(v):.2f}" for k, v in stages.items()))
        if ours[0]["errors"]:
            print(f"note: {ours[0]['errors']} inputs reported errors")
        for size in [int(s) for s in args.sizes.split(",") if s]:
            c = Path(tmp) / f"c{size}.jsonl"
            build_corpus(size, c)
            print(f"size {size:>7}: running (checkpoints on stderr)", file=sys.stderr, flush=True)
            res = _run(_NEWSTRACE, str(c), str(Path(tmp) / f"m{size}.db"), str(args.jobs),
                       str(args.batch_size), live=True)
            print(f"size {size:>7}: {res['articles'] / res['seconds']:.1f} articles/s, peak RSS "
                  f"{res['peak_rss_before_link_mb']:.0f} MB (largest process; all processes "
                  f"{res['peak_rss_all_before_link_mb']:.0f} MB) through the per-article stages, "
                  f"{res['peak_rss_mb']:.0f} MB with linking; seconds per stage: "
                  + ", ".join(f"{k} {v:.0f}" for k, v in res["stages"].items()), flush=True)


if __name__ == "__main__":
    main()
