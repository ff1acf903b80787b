"""Wall time and peak memory of the link stage as the corpus grows (is it near-linear?).

Builds N articles from the BBC corpus (2,225 texts) repeated and perturbed: copy k of an article
has every non-stopword replaced by a copy-specific pseudo-word (a keyed hash suffix), so copies
are distinct articles with BBC's length and word-frequency profile rather than 45 duplicates of
each other; 2% of the articles are light edits of another one (word drops), so duplicate
detection has work to do. Dates are spread over two years, outlets over 50 names, and quotes
come from a regex over straight double quotes (as bench/linking.py does).

By default (``--texts store``) the corpus is written to a SQLite file by a separate process and
the measured process reads it as the pipeline does: ``Store.load_link_inputs(texts=False)``
(article rows without text, quote rows), then ``link_articles(..., text_of=store.article_text)``,
so article texts are read on demand and never all resident. ``--texts held`` measures the old
way: every article dict with its full text in memory, built in the measured process.

Each size runs in a fresh process; printed per size: seconds in ``link_articles``, articles per
second, the peak resident memory of the process, what the inputs held before linking, and
memory per article (whole peak, and the growth during linking); the number of stories and
links. Then the growth ratios between the smallest and largest size (time ratio over size
ratio, fitted exponent, 1.0 = linear) and the peak memory projected to 1M articles by a straight
line through the two sizes' peaks.

Usage:  .venv/bin/python bench/link_scale.py [--sizes 10000 100000] [--texts store|held] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CANDIDATES = [REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")]
_WORD = re.compile(r"[A-Za-z]+")


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_corpus(corpus: Path, n: int, seed: int = 3) -> tuple[list[dict], list[dict]]:
    """N perturbed BBC articles and their regex quotes."""
    from newstrace.link import STOP

    files = sorted((corpus / "bbc").glob("*/*.txt"))
    base = []
    for f in files:
        title, _, body = f.read_text(encoding="latin-1").partition("\n")
        base.append((title.strip(), body.strip()))
    rng = random.Random(seed)
    arts = []
    start = 730000  # a day number in 2000; dates spread over two years
    for i in range(n):
        copy, j = divmod(i, len(base))
        title, body = base[j]
        if copy:
            def cipher(m: re.Match, copy=copy) -> str:
                w = m.group(0)
                if w.lower() in STOP:
                    return w
                h = zlib.crc32(f"{w.lower()}|{copy}".encode())
                return w + "qwxzjkvy"[h % 8] + "aeiou"[(h >> 3) % 5] + "bcdfgh"[(h >> 6) % 6]
            title, body = _WORD.sub(cipher, title), _WORD.sub(cipher, body)
        if arts and rng.random() < 0.02:  # a light edit of an earlier article
            src = arts[rng.randrange(len(arts))]
            words = src["text"].split(" ")
            body = " ".join(w for w in words if rng.random() > 0.05)
            title = src["title"]
        import datetime as dt

        day = dt.date.fromordinal(start + rng.randrange(730))
        arts.append(dict(id=f"s{i:07d}", title=title, text=body, published=day.isoformat(),
                         outlet=f"Outlet {rng.randrange(50)}"))
    quotes = []
    for a in arts:
        k = 0
        for para in re.finditer(r"[^\n]+", a["text"]):
            marks = [m.start() for m in re.finditer('"', para.group(0))]
            for x in range(0, len(marks) - 1, 2):
                s, e = para.start() + marks[x] + 1, para.start() + marks[x + 1]
                if len(a["text"][s:e].split()) >= 4:
                    quotes.append(dict(id=f"{a['id']}-q{k}", article_id=a["id"], kind="direct",
                                       text=a["text"][s:e], start=s, end=e, speaker=None, via=None,
                                       parent_id=None))
                    k += 1
    return arts, quotes


def write_corpus(corpus: Path, n: int, db_path: str) -> None:
    """Write N articles and their quotes to a SQLite file with the store's article and quote
    columns (no full-text index: only the link stage's reads are measured)."""
    import sqlite_utils

    from newstrace.store import TABLES

    arts, quotes = make_corpus(corpus, n)
    db = sqlite_utils.Database(db_path)
    for name in ("articles", "quotes", "claims", "local_entities", "attributions", "stories"):
        db[name].create(TABLES[name]["columns"], pk=TABLES[name]["pk"])
    db["articles"].insert_all((dict(a, source=a["id"], words=len(a["text"].split())) for a in arts), batch_size=2000)
    db["quotes"].insert_all(quotes, batch_size=5000)
    db.close()


def run_one(corpus: Path, n: int, db_path: str | None = None) -> dict:
    from newstrace.config import Settings
    from newstrace.link import link_articles

    store = None
    if db_path:  # the pipeline's way: rows from the store, texts read on demand
        from newstrace.store import open_store

        store = open_store(db_path, writer=False)
        inputs = store.load_link_inputs(texts=False)
        arts, quotes, text_of = inputs["articles"], inputs["quotes"], inputs["text_of"]
    else:
        arts, quotes = make_corpus(corpus, n)
        text_of = None
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    result = link_articles(arts, quotes=quotes, claims=[], local_entities=[], attributions=[],
                           existing_stories=[], settings=Settings(), text_of=text_of)
    secs = time.perf_counter() - t0
    if store is not None:
        store.close()
    kinds: dict[str, int] = {}
    for lk in result.links:
        kinds[lk.kind] = kinds.get(lk.kind, 0) + 1
    return dict(n=n, seconds=secs, rss_before_mb=rss0, peak_mb=_peak_mb(), stories=len(result.stories),
                links=kinds, quote_groups=len(result.quote_groups), quotes=len(quotes))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--texts", choices=("store", "held"), default="store",
                    help="read texts on demand from a SQLite store (default), or hold them all in memory")
    ap.add_argument("--corpus", help="folder holding bbc/ (default: ../shared/corpus)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--write", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    corpus = next((c for c in ([Path(args.corpus)] if args.corpus else CANDIDATES) if (c / "bbc").is_dir()), None)
    if corpus is None:
        raise SystemExit("BBC corpus not found: pass --corpus DIR (the folder holding bbc/)")
    if args.write:
        write_corpus(corpus, args.write, args.db)
        return
    if args.one:
        print(json.dumps(run_one(corpus, args.one, args.db)))
        return
    rows = []
    print(f"texts: {'read on demand from a SQLite store' if args.texts == 'store' else 'all held in memory'}",
          flush=True)
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="link_scale") as tmp:
            extra = []
            if args.texts == "store":
                db = str(Path(tmp) / "corpus.db")
                t0 = time.perf_counter()
                subprocess.run([sys.executable, __file__, "--write", str(n), "--db", db, "--corpus", str(corpus)],
                               check=True)
                print(f"{n:>8} articles written to a SQLite store in {time.perf_counter() - t0:.0f} s", flush=True)
                extra = ["--db", db]
            out = subprocess.run([sys.executable, __file__, "--one", str(n), "--corpus", str(corpus), *extra],
                                 capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(r)
        per_kb = r["peak_mb"] * 1024 / r["n"]
        added_kb = (r["peak_mb"] - r["rss_before_mb"]) * 1024 / r["n"]
        print(f"{r['n']:>8} articles: {r['seconds']:8.1f} s  {r['n'] / r['seconds']:7.0f} art/s  "
              f"peak RSS {r['peak_mb']:7.0f} MB (input held: {r['rss_before_mb']:.0f} MB)  "
              f"{per_kb:.1f} KB/article ({added_kb:.1f} KB/article added while linking)  "
              f"stories {r['stories']}  links {r['links']}  quote groups {r['quote_groups']}", flush=True)
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        size_ratio = b["n"] / a["n"]
        time_ratio = b["seconds"] / a["seconds"]
        mem_ratio = (b["peak_mb"] - b["rss_before_mb"] + 1) / (a["peak_mb"] - a["rss_before_mb"] + 1)
        print(f"growth {a['n']} -> {b['n']} (x{size_ratio:.0f}): time x{time_ratio:.1f}, "
              f"exponent {math.log(time_ratio) / math.log(size_ratio):.2f} (1.00 = linear); "
              f"memory added while linking x{mem_ratio:.1f}")
        # a straight line through the two peaks: fixed cost (interpreter, libraries, bounded
        # caches) plus a per-article slope
        slope = (b["peak_mb"] - a["peak_mb"]) / (b["n"] - a["n"])
        at_1m = b["peak_mb"] + slope * (1_000_000 - b["n"])
        hours = b["seconds"] * (1_000_000 / b["n"]) ** (math.log(time_ratio) / math.log(size_ratio)) / 3600
        print(f"projected to 1,000,000 articles: peak RSS {at_1m / 1024:.1f} GB "
              f"({slope * 1024 * 1024 / 1000:.1f} KB per article above a fixed {b['peak_mb'] - slope * b['n']:.0f} MB), "
              f"link time {hours:.1f} h at the fitted exponent")


if __name__ == "__main__":
    main()
