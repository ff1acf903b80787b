"""Boilerplate removal of the clean stage, measured on held-out text.

Builds (``--build``) or scores the labelled paragraph set in ``tests/data/clean_boilerplate.jsonl``:

* ``zyte``: news pages (the body reports speech at least twice) of the Zyte article-extraction
  benchmark run through trafilatura in its
  *recall* mode (so navigation, share bars, captions and newsletter prompts stay in), each
  paragraph labelled against the human-checked article body: ``keep`` when it is part of the
  body, ``boilerplate`` when (almost) none of its word trigrams are. Paragraphs in between are
  left out. The test half's labels were then reviewed by hand (``RELABEL``). Pages are split by hash: even positions are the dev half (rules were tuned on it),
  odd positions the test half (never looked at while tuning).
* ``bbc``: BBC articles (test half: every 7th file) whose body paragraphs must all be kept.
* ``written``: boilerplate lines written by hand in shapes seen on news sites (not the seeds).
  Not held out: its misses were fixed during tuning (it first scored P 1.0 R .88).

The figures to quote are the Zyte test half's: its errors were first looked at after tuning
was finished (2026-11-23 08:58 UTC, P .857 R .424); the BBC and PolNeAR checks
(tests/test_clean.py) guard against dropping prose.

Scoring runs :func:`newstrace.clean.clean_article` on each whole document (position in the
article is a feature) and counts a paragraph as removed when no part of it is left in the
clean text. It prints precision/recall of the ``boilerplate`` label per split.

    .venv/bin/python bench/clean_boilerplate.py            # score
    .venv/bin/python bench/clean_boilerplate.py --build    # rebuild the set (needs the corpus)
    .venv/bin/python bench/clean_boilerplate.py --speed    # articles/s over the BBC corpus
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "clean_boilerplate.jsonl.gz"
CORPUS = next((p for p in (REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")) if p.is_dir()),
              REPO.parent / "shared" / "corpus")

# Written by hand after shapes common on news sites; none is taken from the seed articles.
WRITTEN = [  # (label, paragraph): k = keep (article prose), b = boilerplate
    [("k", "Storm closes schools across the region"),
     ("k", "Schools across the region were closed on Monday after a storm brought down power lines, "
           "the county council said."),
     ("k", "Engineers expect to restore power by Wednesday."),
     ("b", "Get our free morning briefing delivered straight to your inbox"), ("b", "Sign up"),
     ("b", "Most Read"), ("b", "Teachers union welcomes pay offer"), ("b", "Police name man found dead in river")],
    [("b", "Advertisement"),
     ("k", "The central bank held interest rates at 4% on Thursday, as expected by most economists."),
     ("k", "Governor Ana Ruiz told reporters that inflation was \"moving in the right direction\" but warned "
           "against cutting too soon."),
     ("b", "Image: Reuters"), ("b", "Share on Facebook"), ("b", "Share on X"), ("b", "Copy link"),
     ("b", "© 2023 Example Media Group. All rights reserved.")],
    [("b", "Listen to this article"), ("b", "04:12 min"),
     ("k", "A jury found the former mayor guilty of bribery on Friday."),
     ("k", "\"This verdict sends a message,\" the prosecutor said outside the courthouse."),
     ("b", "Have a news tip? Email us at tips@example.com"), ("b", "Like us on Facebook to see similar stories"),
     ("b", "Please give an overall site rating:")],
    [("b", "Photo: Jane Smith/The Example Times"), ("k", "Residents queued for water for a third day."),
     ("k", "“We have nothing left,” said Maria Lopez, 54, who lost her home in the flood."),
     ("b", "Enjoying this story? Support independent journalism by becoming a member today."),
     ("b", "You might also like"), ("b", "Flood defences to get £50m boost"), ("b", "Why the river keeps rising")],
    [("b", "This article is more than 2 years old"),
     ("k", "The airline cancelled 300 flights on Sunday, blaming staff shortages."),
     ("k", "Passengers said they had been given no warning."), ("b", "Download our app to get breaking news alerts"),
     ("b", "Follow @ExampleNews on Twitter and Instagram"), ("b", "Topics"), ("b", "Aviation"), ("b", "Strikes")],
    [("b", "Watch: Firefighters battle blaze in city centre"),
     ("k", "The fire broke out shortly after 2am, according to the fire service."),
     ("k", "No one was hurt, a spokesman said."), ("b", "Comments"), ("b", "Join the conversation"),
     ("b", "Report an error"), ("b", "Click here to subscribe to our YouTube channel")],
]


# Hand corrections of the automatic labels (test half reviewed line by line, 2026-11-23): the
# Zyte ground truth is "the article body" and keeps in-body promotions, credit lines and legal
# notices that newstrace counts as boilerplate; some lines are neither (headlines, slugs, junk).
RELABEL = {
    "This article was originally published by Futurism. Read the original article.": "boilerplate",
    "(Reporting by Will Dunham; Editing by Tom Brown)": "boilerplate",
    "© Reuters": "boilerplate",
    "1996-98 AccuSoft Inc., All right": "boilerplate",
    "With Post wires": "boilerplate",
    "(Graphic: Global assets in 2019 - here)": "boilerplate",
    "(Graphic: Global currencies vs. dollar - here)": "boilerplate",
    "(Graphic: Emerging markets in 2019 - here)": "boilerplate",
    "0 : 0": None,
    "Why Can’t Taylor Swift Perform Her Own Songs? It’s Complicated [Bloomberg]": None,
    "'Meth. We're On It.': South Dakota spends $449K on new anti-meth ad campaign": "boilerplate",
    "Save hundreds on the 16-inch MacBook Pro": "boilerplate",
    "Follow NBC Latino on Facebook, Twitter and Instagram.": "boilerplate",
    "Originally published on Live Science.": "boilerplate",
    "Editor's note: This story was updated at 5:45 p.m. ET to include details from the NASA telecon.": None,
    "Internal memo: Federal prison guards falsified records of cell checks, inmate counts": "boilerplate",
    "Contributing: Kristine Phillips": "boilerplate",
    "Caroline Hawley, BBC diplomatic correspondent": None,
    "Copyright 2019 Hawaii News Now. All rights reserved.": "boilerplate",
    "By": None,
    "Share this information, please?": "boilerplate",
    "A favor: would you take a moment to share this information?": "boilerplate",
    "Coming next: how to make Plan & Grow BIG work for your business": None,
    "Julian Assange: Sweden drops rape investigation": None,
    "Inverted 'T' design for arrow keys": None,
    "The 96W USB-C power adapter": None,
}
RELABEL_PREFIX = {  # long lines, matched on their start
    "Be sure to check out the AppleInsider 16-inch MacBook Pro Price Guide": "boilerplate",
    "© 2019 Associated Press. All Rights Reserved.": "boilerplate",
    "Staffers 'don't care': Federal prison suicides": "boilerplate",
    "Epstein's inner circle eyed: Jeffrey Epstein is dead.": "boilerplate",
    "I’d really love to get this information out to more people": "boilerplate",
    "Take a look if you haven’t read it yet:": "boilerplate",
}
_NEWS = re.compile(r"\b(?:said|says|told|according to)\b")


def _relabel(text: str, label: str | None) -> str | None:
    if text in RELABEL:
        return RELABEL[text]
    for prefix, lab in RELABEL_PREFIX.items():
        if text.startswith(prefix):
            return lab
    return label


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", s.lower())).strip()


def _trigrams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + 3]) for i in range(max(0, len(words) - 2))} or ({tuple(words)} if words else set())


def build() -> list[dict]:
    import trafilatura

    docs: list[dict] = []
    bench = CORPUS / "article-extraction-benchmark"
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    for k, key in enumerate(sorted(truth)):
        html = gzip.decompress((bench / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        text = trafilatura.extract(html, favor_recall=True, include_comments=False, include_tables=False)
        if not text:
            continue
        meta = trafilatura.extract_metadata(html)
        title = " ".join((meta.title or "").split()) if meta is not None else ""
        body = _norm(truth[key].get("articleBody") or "")
        body_tri = _trigrams(body.split())
        paras = []
        for line in text.split("\n"):
            line = " ".join(line.split())
            if not line:
                continue
            n = _norm(line)
            if not n.strip("_") or (title and n == _norm(title)):
                label = None  # separators and symbols: either way is fine
            elif n in body:
                label = "keep"
            else:
                tri = _trigrams(n.split())
                share = len(tri & body_tri) / len(tri)
                label = "boilerplate" if share < 0.1 else None
            paras.append({"text": line, "label": _relabel(line, label)})
        # news only (the product's domain): the body reports speech at least twice
        if len(_NEWS.findall(truth[key].get("articleBody") or "")) < 2:
            continue
        docs.append({"source": f"zyte:{key[:12]}", "split": "dev" if k % 2 == 0 else "test",
                     "title": title or None, "paragraphs": paras})
    for topic in ("business", "entertainment", "politics", "sport", "tech"):
        for k, path in enumerate(sorted((CORPUS / "bbc" / topic).glob("*.txt"))):
            if k % 7 != 3:
                continue
            parts = [" ".join(p.split()) for p in path.read_text(encoding="utf-8", errors="replace").split("\n\n")]
            parts = [p for p in parts if p]
            docs.append({"source": f"bbc:{topic}/{path.name}", "split": "test", "title": parts[0],
                         "paragraphs": [{"text": p, "label": "keep"} for p in parts[1:]]})
    for k, paras in enumerate(WRITTEN):
        docs.append({"source": f"written:{k}", "split": "test", "paragraphs": [
            {"text": p, "label": "keep" if lab == "k" else "boilerplate"} for lab, p in paras]})
    return docs


def load(path: Path = DATA) -> list[dict]:
    """The labelled documents."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _judge(doc: dict) -> list[tuple[dict, str | None]]:
    """Each labelled paragraph with why clean_article removed it (None: kept)."""
    from newstrace.clean import clean_article
    from newstrace.models import RawArticle

    spans, pos = [], 0
    for p in doc["paragraphs"]:
        spans.append((pos, pos + len(p["text"])))
        pos += len(p["text"]) + 2
    text = "\n\n".join(p["text"] for p in doc["paragraphs"])
    art = clean_article(RawArticle(source=doc["source"], text=text, title=doc.get("title"), format="html"))
    out = []
    for p, (s, e) in zip(doc["paragraphs"], spans):
        why = next((r for rs, re_, r in art.removed if rs <= s and e <= re_ and r != "dateline"), None)
        out.append((p, why))
    return out


def score(docs: list[dict]) -> dict[str, dict[str, float]]:
    """Precision/recall of the boilerplate label per split; paragraphs taken out as posts are
    not counted (they become Post records by design)."""
    out: dict[str, dict[str, float]] = {}
    for doc in docs:
        split = doc["split"] + ("-bbc" if doc["source"].startswith("bbc:") else
                                "-written" if doc["source"].startswith("written:") else "")
        c = out.setdefault(split, {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
        for p, why in _judge(doc):
            if p["label"] is None or why == "post":
                continue
            removed = why is not None
            gold = p["label"] == "boilerplate"
            c[("t" if removed == gold else "f") + ("p" if removed else "n")] += 1
    for c in out.values():
        c["precision"] = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        c["recall"] = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return out


def errors(docs: list[dict], split: str) -> None:
    for doc in docs:
        if doc["split"] != split:
            continue
        for p, why in _judge(doc):
            if p["label"] is None or why == "post":
                continue
            if (why is not None) != (p["label"] == "boilerplate"):
                print(("FP " if why else "FN ") + doc["source"], why or "", p["text"][:150])


def speed() -> None:
    """Articles per second (CPU time) of clean_article over all BBC articles."""
    import time

    from newstrace.clean import clean_article
    from newstrace.models import RawArticle

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((CORPUS / "bbc").glob("*/*.txt"))]
    t0 = time.process_time()
    for k, text in enumerate(texts):
        clean_article(RawArticle(source=str(k), text=text))
    dt = time.process_time() - t0
    mb = sum(len(t) for t in texts) / 1e6
    print(f"{len(texts)} BBC articles ({mb:.1f} M chars) in {dt:.2f} s CPU: "
          f"{len(texts) / dt:.0f} articles/s, {mb / dt:.2f} M chars/s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", action="store_true", help="rebuild the labelled set from the corpus")
    ap.add_argument("--errors", metavar="SPLIT", help="print the misclassified paragraphs of a split")
    ap.add_argument("--speed", action="store_true", help="time clean_article over the BBC corpus")
    args = ap.parse_args()
    if args.speed:
        speed()
        return 0
    if args.build:
        docs = build()
        with gzip.open(DATA, "wt", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"wrote {len(docs)} documents to {DATA}", file=sys.stderr)
    docs = load()
    if args.errors:
        errors(docs, args.errors)
        return 0
    for split, c in sorted(score(docs).items()):
        print(f"{split:10s} P {c['precision']:.3f}  R {c['recall']:.3f}  "
              f"(tp {c['tp']}, fp {c['fp']}, fn {c['fn']}, tn {c['tn']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
