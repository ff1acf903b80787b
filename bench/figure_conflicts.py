"""Precision of figure conflicts (``figure_conflicts``) on a hand-judged sample (issue #17).

Runs newstrace over the BBC corpus, the article-extraction benchmark's HTML pages, ECB+ dev, the
seeds and PolNeAR train and dev (dated from PolNeAR's metadata.tsv with ``--metadata``; once: the
databases are cached in ``--cache``), then, story by story, finds the figure conflicts with
``newstrace.link.conflicts.conflicting_figures`` (the link stage's rule) and, as the baseline in
the same run, with the rule it replaced (same unit and a fuzzy match of what the figures count,
values that allow no common value: ``extract.figures.figures_conflict``), and with the link rule as
it was before the doer/owner and unknown-time checks (``earlier``: ``same_agent`` reads the clause
subject only, ``undated_evidence`` always holds; 2026-12-02, issue #17 item 1).

Every pair of figures from two articles inside a conflict is looked up in
``bench/data/figure_conflicts_judged.jsonl``: one line a pair, judged by hand from the two
sentences (``real``: the same quantity of the same event at the same time, given different
values by the two articles). A conflict counts as real when one of its pairs is judged real,
as false when all its pairs are judged false, and as unjudged otherwise; precision is real /
judged. Recall is over the real pairs of the judged file: the share of them that lie inside
a conflict the rule flags (both figures in one flagged group). ``--dump-unjudged FILE`` writes the unjudged pairs in the judged file's format (with
``real`` null) for a person to judge.

With ``--before DIR`` the databases of another folder (built by earlier code: the extraction
before a change) are scored too, in the same run, and printed first.

Usage:  .venv/bin/python bench/figure_conflicts.py [--cache DIR] [--before DIR] [--dump-unjudged FILE]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

from rapidfuzz import fuzz

from newstrace import analyze
from newstrace.config import Settings
from newstrace.extract.figures import figures_conflict
from newstrace.link import conflicts as _conflicts
from newstrace.link.conflicts import conflicting_figures, sentence_around, values_disagree
from newstrace.link.text import content_terms, tokens

REPO = Path(__file__).resolve().parents[1]
JUDGED = REPO / "bench" / "data" / "figure_conflicts_judged.jsonl"
CANDIDATES = [REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")]
# BBC and the HTML pages are the judged sample; ECB+ dev (several reports of one event: where real
# conflicts of casualty and arrest counts would be) is judged too, and so is PolNeAR train (2016
# election news of seven outlets: polls, delegates; about 11 minutes to analyse once).
CORPORA = {"bbc": "bbc", "html": "article-extraction-benchmark/html", "ecb": "ecbplus-dev/articles",
           "seeds": "seeds", "polnear": "polnear/train/text", "polnear_dev": "polnear/dev/text"}
# PolNeAR's texts carry no date: its metadata table gives each article's date, outlet and title
# (analyze --metadata), so figures months apart are not taken for one time. PolNeAR dev is read for
# conflicts only (its attribution gold is untouched; no rule was written from its pairs).
METADATA = {"polnear": "polnear/metadata.tsv", "polnear_dev": "polnear/metadata.tsv"}


def figure_key(row: dict[str, Any]) -> str:
    """A figure's key in the judged file: input file name, the figure as written, its sentence's start."""
    return f"{Path(row['source']).name}|{row['text']}|{(row['sentence'] or '')[:60]}"


def pair_key(a: dict[str, Any], b: dict[str, Any]) -> tuple[str, str]:
    return tuple(sorted((figure_key(a), figure_key(b))))  # type: ignore[return-value]


def baseline_conflicts(claims: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The rule before issue #17: unit equal, what fuzzy-equal, values of two articles disagree."""
    buckets: list[list[dict[str, Any]]] = []
    for c in claims:
        if c["value"] is None or not c["what"] or c["kind"] == "date":
            continue
        wc = " ".join(content_terms(tokens(c["what"])))
        for b in buckets:
            ref = b[0]
            if (ref.get("unit") or "").lower() == (c.get("unit") or "").lower() and \
                    fuzz.token_set_ratio(" ".join(content_terms(tokens(ref["what"]))), wc) >= 85:
                b.append(c)
                break
        else:
            buckets.append([c])
    return [b for b in buckets
            if figures_conflict((c["article_id"], float(c["value"]), c.get("qualifier")) for c in b)]


def _agent_only(c: dict[str, Any]) -> frozenset[str]:
    agent = str(c.get("agent") or "")
    return frozenset(agent.lower().split()) if agent[:1].isupper() else frozenset()


def earlier_conflicts(claims: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The link rule before the doer/owner and unknown-time checks (the named doer is the clause
    subject only; figures of unknown time need no further evidence)."""
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(_conflicts, "figure_doer", _agent_only))
        stack.enter_context(mock.patch.object(_conflicts, "dated", lambda *a: True))  # undated_evidence always holds
        return conflicting_figures(claims)


def load_stories(db: Path) -> list[list[dict[str, Any]]]:
    """Each story's claims (with the source file and the sentence the link stage reads)."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        arts = {r["id"]: dict(r) for r in con.execute("select id, source, text, published from articles")}
        claims: dict[str, list[dict[str, Any]]] = {}
        for r in con.execute("select * from claims order by id"):
            c = dict(r)
            a = arts[c["article_id"]]
            c.update(source=a["source"], sentence=sentence_around(a["text"], c["start"], c["end"]),
                     published=a["published"])  # as the link stage passes it (published_of)
            claims.setdefault(c["article_id"], []).append(c)
        stories = [json.loads(r["article_ids"]) for r in con.execute("select article_ids from stories")]
    finally:
        con.close()
    return [[c for aid in ids for c in claims.get(aid, [])] for ids in stories if len(ids) > 1]


def score(conflicts: list[list[dict[str, Any]]], judged: dict[tuple[str, str], bool],
          unjudged: dict[tuple[str, str], dict[str, Any]], covered: set[tuple[str, str]]) -> dict[str, int]:
    real = false = open_ = 0
    for group in conflicts:
        covered.update(pair_key(a, b) for i, a in enumerate(group) for b in group[i + 1:])
        # the pairs whose values disagree given qualifiers, ranges and rounding (values_disagree)
        pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1:]
                 if a["article_id"] != b["article_id"] and values_disagree(a, b)]
        verdicts = [judged.get(pair_key(a, b)) for a, b in pairs]
        if any(v is True for v in verdicts):
            real += 1
        elif pairs and all(v is False for v in verdicts):
            false += 1
        else:
            open_ += 1
            for (a, b), v in zip(pairs, verdicts):
                if v is None:
                    unjudged[pair_key(a, b)] = dict(a=figure_key(a), b=figure_key(b), real=None,
                                                    what=f"{a['what']} || {b['what']}",
                                                    sa=a["sentence"], sb=b["sentence"])
    return dict(conflicts=len(conflicts), real=real, false=false, unjudged=open_)


RULES = {"baseline": baseline_conflicts, "earlier": earlier_conflicts, "newstrace": conflicting_figures}


def evaluate(label: str, cache: Path, corpus: Path, judged: dict[tuple[str, str], bool],
             unjudged: dict[tuple[str, str], dict[str, Any]], *, build: bool) -> None:
    """Score every rule over the databases in ``cache`` (analysing a missing one when ``build``) and print."""
    present: set[str] = set()  # the figures of these databases, by key
    covered: dict[str, set[tuple[str, str]]] = {r: set() for r in RULES}
    sample = dict.fromkeys(RULES, 0)  # flagged and judged on BBC + HTML, the sample
    totals = {r: dict(conflicts=0, real=0, false=0, unjudged=0) for r in RULES}
    head = f"{label:6} " if label else ""
    for name, sub in CORPORA.items():
        db = cache / f"{name}.db"
        if not db.exists():
            if not build:
                print(f"{head}{name}: no database in {cache}, left out", file=sys.stderr)
                continue
            t0 = time.perf_counter()
            meta = METADATA.get(name)
            analyze([str(corpus / sub)], str(db), settings=Settings(metadata=str(corpus / meta)) if meta else None)
            print(f"{name}: analysed in {time.perf_counter() - t0:.0f} s -> {db}", file=sys.stderr)
        stories = load_stories(db)
        present.update(figure_key(c) for st in stories for c in st)
        for rule, fn in RULES.items():
            s = score([g for st in stories for g in fn(st)], judged, unjudged, covered[rule])
            if name in ("bbc", "html"):
                sample[rule] += s["real"] + s["false"]
            for k, v in s.items():
                totals[rule][k] += v
            print(f"{head}{name:11} {rule:9} conflicts {s['conflicts']:4}  real {s['real']:3}  false {s['false']:3}  "
                  f"unjudged {s['unjudged']:3}")
    # a judged pair whose figures this run's extraction no longer produces (a figure read anew, as
    # "6. 1" once read as "1") cannot be found by either rule: recall is over the others
    all_real = {k for k, v in judged.items() if v}
    real_pairs = {k for k in all_real if k[0] in present and k[1] in present}
    print(f"{head}judged pairs in {JUDGED.relative_to(REPO)}: {len(judged)}, of which real {len(all_real)} "
          f"({len(all_real) - len(real_pairs)} of them with a figure these databases do not hold)")
    for rule, t in totals.items():
        judged_n = t["real"] + t["false"]
        prec = f"{t['real'] / judged_n:.2f}" if judged_n else "- (no conflict to judge)"
        found = len(real_pairs & covered[rule])
        print(f"{head}{rule:9} all: conflicts {t['conflicts']}, judged {judged_n} (BBC + HTML: {sample[rule]}; issue's "
              f"target 50), precision {prec}, real conflicts found {t['real']}; recall of real judged pairs "
              f"{found}/{len(real_pairs)} = {found / max(1, len(real_pairs)):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default="/tmp/newstrace-bench-conflicts", help="folder of the analysed databases")
    ap.add_argument("--corpus", default=None, help="the shared corpus folder")
    ap.add_argument("--dump-unjudged", default=None, help="write unjudged pairs here (JSON lines)")
    ap.add_argument("--before", default=None,
                    help="also score the databases of this folder (built by earlier code), printed first as 'before'")
    args = ap.parse_args()
    corpus = Path(args.corpus) if args.corpus else next((p for p in CANDIDATES if p.is_dir()), None)
    if corpus is None:
        sys.exit("shared corpus not found: pass --corpus")
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    judged = {}
    for line in JUDGED.read_text(encoding="utf-8").splitlines():
        if line.strip():
            j = json.loads(line)
            if j.get("real") is not None:
                judged[tuple(sorted((j["a"], j["b"])))] = bool(j["real"])
    unjudged: dict[tuple[str, str], dict[str, Any]] = {}
    runs = ([("before", Path(args.before), False)] if args.before else []) + [("after" if args.before else "", cache, True)]
    for label, folder, build in runs:
        evaluate(label, folder, corpus, judged, unjudged, build=build)
    if args.dump_unjudged:
        with open(args.dump_unjudged, "w", encoding="utf-8") as f:
            for row in unjudged.values():
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{len(unjudged)} unjudged pairs -> {args.dump_unjudged}", file=sys.stderr)


if __name__ == "__main__":
    main()
