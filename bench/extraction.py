"""HTML extraction accuracy of newstrace's HTML reader on the Zyte article-extraction benchmark.

Runs over ``../shared/corpus/article-extraction-benchmark`` (181 real pages, gzipped HTML, with
the human-checked article body in ``ground-truth.json``) and prints precision, recall and F1 for:

* ``newstrace``: ``newstrace.ingest.html_to_article`` (trafilatura with our options, our
  paragraph layout), the reader every HTML/WARC input goes through;
* ``trafilatura-default``: ``trafilatura.extract(html, url=url)`` with its default settings
  (comments included, plain-text output);
* ``lxml-text``: a naive baseline, the whole ``<body>`` text of the page without scripts/styles.

Metric: the benchmark's own (its ``evaluate.py``): the text is cut into word tokens
(``\\w+``), tokens are joined into overlapping 4-word shingles, and per page
TP = shingles in both (counting repeats), FP = predicted only, FN = true only, normalised by
TP+FP+FN so that long pages do not weigh more. Precision and recall are averaged over the
pages (as in the benchmark, precision over the pages where the extractor gave text, recall
over the pages with a true text: an empty result lowers recall only, and the "pages with no
text" column counts them), F1 is computed from the two averages. Also printed: the median per-page F1, and the median and total
time per page. ``--variant`` adds trafilatura option sets to compare (e.g. favor_recall).

Usage:  .venv/bin/python bench/extraction.py [--corpus DIR] [--limit N] [--json OUT]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
CANDIDATES = [REPO.parent / "shared" / "corpus" / "article-extraction-benchmark",
              Path("/work/shared/corpus/article-extraction-benchmark")]

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    """Counts of the overlapping n-word shingles of a text (one shingle if it is shorter)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def page_scores(true: str, pred: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over shingles, normalised to sum to 1."""
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def summarise(rows: list[tuple[float, float, float]], seconds: list[float]) -> dict[str, float]:
    ps = [precision(*r) for r in rows if r[0] + r[1] > 0]
    rs = [recall(*r) for r in rows if r[0] + r[2] > 0]
    p, r = statistics.mean(ps), statistics.mean(rs)
    f1s = []
    for row in rows:
        pp, rr = precision(*row), recall(*row)
        f1s.append(2 * pp * rr / (pp + rr) if pp + rr else 0.0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "median_f1": statistics.median(f1s), "empty": sum(1 for row in rows if row[1] == row[0] == 0),
            "ms_median": 1000 * statistics.median(seconds), "s_total": sum(seconds)}


def ours(html: bytes, url: str) -> str:
    from newstrace.ingest import Reject, html_to_article

    try:
        return html_to_article(html, source=url, url=url).text
    except Reject:
        return ""


def trafilatura_default(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def lxml_text(html: bytes, url: str) -> str:
    import lxml.html

    root = lxml.html.fromstring(html)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    body = root.find("body")
    return (body if body is not None else root).text_content()


def variant(**options: object) -> Callable[[bytes, str], str]:
    import trafilatura

    def run(html: bytes, url: str) -> str:
        return trafilatura.extract(html, url=url, **options) or ""

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=next((p for p in CANDIDATES if p.is_dir()), CANDIDATES[0]))
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages (sorted by id)")
    ap.add_argument("--variant", action="append", default=[],
                    help="extra trafilatura.extract option set as JSON, e.g. '{\"favor_recall\": true}'")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args(argv)
    truth = json.loads((args.corpus / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[: args.limit or None]
    extractors: dict[str, Callable[[bytes, str], str]] = {
        "newstrace (trafilatura, our options)": ours,
        "trafilatura defaults (baseline)": trafilatura_default,
        "lxml body text (naive baseline)": lxml_text,
    }
    for spec in args.variant:
        extractors[f"trafilatura {spec}"] = variant(**json.loads(spec))
    pages = [(k, gzip.decompress((args.corpus / "html" / f"{k}.html.gz").read_bytes())) for k in keys]
    results = {}
    for name, fn in extractors.items():
        rows, seconds = [], []
        for key, html in pages:
            t0 = time.perf_counter()
            try:
                pred = fn(html, truth[key]["url"])
            except Exception as exc:  # a baseline crashing on a page scores that page as empty
                print(f"{name}: {key}: {type(exc).__name__}: {exc}", file=sys.stderr)
                pred = ""
            seconds.append(time.perf_counter() - t0)
            rows.append(page_scores(truth[key].get("articleBody", ""), pred))
        results[name] = summarise(rows, seconds)
    print(f"Zyte article-extraction benchmark, {len(pages)} pages; 4-word shingle P/R/F1 "
          "(the benchmark's metric; P and R averaged over pages, F1 from the averages)\n")
    print("| extractor | precision | recall | F1 | median page F1 | pages with no text | median ms/page | total s |")
    print("|---|---|---|---|---|---|---|---|")
    for name, m in results.items():
        print(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
              f"{m['median_f1']:.3f} | {m['empty']} | {m['ms_median']:.0f} | {m['s_total']:.1f} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
