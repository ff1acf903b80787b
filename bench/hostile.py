"""Hostile and unlucky input (issue #18): the memory and error-rate targets, as figures.

Usage:
    .venv/bin/python bench/hostile.py [--articles 4] [--chars 400000] [--records 200000]
                                      [--skip-memory] [--skip-errors] [--skip-baseline]

* memory: ``analyze`` (default settings but a time budget of an hour, ``--jobs 1``) in a child process over a JSON Lines file
  of ``--articles`` distinct articles of ``--chars`` characters each (real BBC text, paragraphs
  kept), and its peak RSS (target: at most 2 GB for four 400k-character articles). Baseline, in
  the same run: one such article annotated as before issue #18 (the whole text in one parse:
  ``parse_chars`` and ``batch_chars`` set past its length), in its own child, and its peak RSS.
* errors: ``analyze`` over a dump of one good record and ``--records`` records without text (a
  renamed field), in a child: seconds, records/s, the rows written to ``errors`` and the records
  they stand for (target: 200,000 records in under a minute).
* reader (``--reader``): reading and cleaning a JSON Lines file of the BBC corpus (2,225
  articles) in this process, as ``--jobs 1`` does, and through a reader child, as ``--jobs N``
  now does (issue #18 item 3): seconds each and the ratio.

Peak RSS is the child's ``ru_maxrss`` (``os.wait4``): the model is included.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = next((p for p in (REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")) if p.is_dir()), None)


def long_articles(n: int, chars: int) -> list[str]:
    """``n`` distinct articles of ``chars`` characters each, from BBC texts (or the examples)."""
    files = sorted(CORPUS.glob("bbc/*/*.txt")) if CORPUS else sorted((REPO / "examples").glob("*.txt"))
    texts = [p.read_bytes().decode("latin-1").split("\n", 1)[-1].strip() for p in files]
    out, i = [], 0
    for k in range(n):
        parts, size = [], 0
        while size < chars:
            parts.append(texts[i % len(texts)])
            size += len(parts[-1]) + 2
            i += 1
        out.append(f"Article {k}.\n\n" + "\n\n".join(parts)[:chars - 12])
    return out


def run_child(args: list[str]) -> tuple[float, float, str]:
    """Run this script as a child with ``args``: (seconds, peak RSS in MB, its stdout)."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE, env=env)
    out = proc.stdout.read().decode() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"child {args[0]} failed with status {proc.returncode}")
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, out


def child(kind: str, path: str, db: str) -> None:
    """In the child: the work to measure."""
    from newstrace.config import Settings
    from newstrace.pipeline import analyze

    if kind in ("analyze", "analyze-long"):
        # long articles: a budget no parse reaches on a loaded machine, so each is annotated
        settings = Settings(max_seconds_per_article=3600) if kind == "analyze-long" else Settings()
        stats = analyze([path], db, settings=settings)
        print(json.dumps(dict(added=stats.articles_added, errors=stats.error_count,
                              error_objects=len(stats.errors))))
    elif kind == "whole":  # the behaviour before issue #18: one parse of the whole article
        from newstrace.clean import clean_article
        from newstrace.extract import annotate_batch
        from newstrace.models import RawArticle

        text = json.loads(Path(path).read_text(encoding="utf-8").split("\n", 1)[0])["text"]
        article = clean_article(RawArticle(source=path, text=text))
        big = 10 * len(article.text)
        annotate_batch([article], settings=Settings(parse_chars=big, batch_chars=big,
                                                    max_seconds_per_article=3600))


def reader_figures(tmp: Path) -> None:
    """Read and clean the BBC corpus as JSON Lines here, then through a reader child."""
    sys.path.insert(0, str(REPO / "src"))
    from newstrace.config import Settings
    from newstrace.ingest import list_inputs
    from newstrace.pipeline import iter_clean
    from newstrace.workers import Child, read_in_child

    files = sorted(CORPUS.glob("bbc/*/*.txt")) if CORPUS else sorted((REPO / "examples").glob("*.txt"))
    dump = tmp / "bbc.jsonl"
    with dump.open("w", encoding="utf-8") as fh:
        for p in files:
            fh.write(json.dumps({"text": p.read_bytes().decode("latin-1")}) + "\n")
    f, settings = next(list_inputs([str(dump)])), Settings()
    t0 = time.perf_counter()
    here = sum(1 for _ in iter_clean(f, settings=settings))
    t1 = time.perf_counter()
    child = Child()
    try:
        there = sum(1 for _ in read_in_child(child, iter_clean, f, settings=settings))
    finally:
        child.close()
    t2 = time.perf_counter()
    print(f"reader: {here:,} articles read and cleaned in this process in {t1 - t0:.1f} s, "
          f"{there:,} through a reader child in {t2 - t1:.1f} s (child start included): "
          f"ratio {(t2 - t1) / (t1 - t0):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=4)
    ap.add_argument("--chars", type=int, default=400_000)
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--skip-errors", action="store_true")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--reader", action="store_true", help="also time reading in a child")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="newstrace-hostile-") as tmp:
        if args.reader:
            reader_figures(Path(tmp))
        if not args.skip_memory:
            dump = Path(tmp) / "long.jsonl"
            with dump.open("w", encoding="utf-8") as fh:
                for text in long_articles(args.articles, args.chars):
                    fh.write(json.dumps({"text": text}) + "\n")
            secs, rss, out = run_child(["analyze-long", str(dump), str(Path(tmp) / "long.db")])
            print(f"memory: {args.articles} articles of {args.chars:,} characters, analyze --jobs 1: "
                  f"peak RSS {rss:,.0f} MB in {secs:.0f} s ({out.strip()})")
            if not args.skip_baseline:
                secs0, rss0, _ = run_child(["whole", str(dump), ""])
                print(f"memory baseline: 1 article of {args.chars:,} characters parsed whole (before "
                      f"issue #18): peak RSS {rss0:,.0f} MB in {secs0:.0f} s; ratio now/before "
                      f"{rss / rss0:.2f} (with {args.articles}x the text)")
        if not args.skip_errors:
            dump = Path(tmp) / "renamed.jsonl"
            with dump.open("w", encoding="utf-8") as fh:
                fh.write(json.dumps({"text": "The minister said on Monday that the plan would go ahead. "
                                             "Critics said it was rushed."}) + "\n")
                for i in range(args.records):
                    fh.write(json.dumps({"title": f"Story {i}", "body_text": "Text in a renamed field."}) + "\n")
            db = Path(tmp) / "errors.db"
            secs, rss, out = run_child(["analyze", str(dump), str(db)])
            import sqlite3

            with sqlite3.connect(db) as conn:
                rows, stands_for = conn.execute("select count(*), sum(count) from errors").fetchone()
            print(f"errors: 1 good record + {args.records:,} without text: {secs:.1f} s in all "
                  f"(model load and one article included), {args.records / secs:,.0f} records/s, "
                  f"{rows} error rows standing for {stands_for:,} records, peak RSS {rss:,.0f} MB "
                  f"({out.strip()})")


if __name__ == "__main__":
    main()
