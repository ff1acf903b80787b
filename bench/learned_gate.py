"""Where the learned layer's records are right and wrong: rules, model, both and a confidence-gated both.

Issue 15: on the newstrace gold (``tests/gold/quotes``, speech acts scored as ``bench/quotes.py``
scores them) the rules alone score higher than the shipped default (rules + the learned CRF's
contents), while on PolNeAR the learned layer gains. This bench runs each article once and prints:

1. per gold split: the all-kinds F1 at 0.3 of the rules alone, the model alone
   (:func:`newstrace.extract.learned.model_quotes` with no rule records), both (the default) and
   both with the learned contents of confidence below ``--min-confidence`` left out
   (:func:`newstrace.extract.learned.content_confidence`); then the learned records of "both" (speech
   acts, as scored) and how many the gold finds right, by form, and the false positives of the
   rules and of the learned layer;
2. the learned records by shape, right / all: form, act, cue word known to the rules' tables,
   confidence band, on the gold and (``--polnear``) on PolNeAR dev, every act, scored by
   ``bench/scoring.py`` as ``bench/quotes.py`` scores PolNeAR (counts only: PolNeAR dev's errors
   are never listed);
3. with ``--sweep T1,T2,...``: content F1 of "both" gated at each threshold on PolNeAR dev and the
   gold's ``dev`` split, the only sets a threshold may be chosen on.

``--verbose`` lists the learned records of the gold's own texts with their confidence (never the
PolNeAR dev texts of the ``holdout-us*`` splits). The records are those of one run of
``annotate`` with ``learned.MIN_CONFIDENCE`` 0 (every content); a gate leaves records out of it.

Usage::

    .venv/bin/python bench/learned_gate.py [--splits all|NAME,...] [--min-confidence X] [--polnear]
        [--sweep 0.5,0.55,0.6] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "training"))
import polnear_data  # noqa: E402
import quotes as bq  # noqa: E402  (bench/quotes.py: the gold, its items and its matching)
from attribution_model import gold_relations  # noqa: E402
from scoring import Tokens, gold_contents, prediction_spans, score_contents  # noqa: E402

from newstrace.config import Settings  # noqa: E402
from newstrace.extract import analyze_entities, annotate, cues, learned  # noqa: E402
from newstrace.nlp import load_nlp  # noqa: E402

BANDS = ((0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))


def run_article(doc, article) -> dict:
    """Rules, model and both on one article; the learned records of both and of the model, with
    their confidence and whether their cue holds a word of the rules' tables."""
    shipped, made = learned.MIN_CONFIDENCE, []
    original = learned.model_quotes

    def capture(*args, **kwargs):
        out = original(*args, **kwargs)
        made.extend(out)
        return out

    learned.MIN_CONFIDENCE, learned.model_quotes = 0.0, capture
    try:
        both = annotate(doc, article, settings=Settings()).quotes
        rules = annotate(doc, article, settings=Settings(attribution_model=False)).quotes
        made_both = list(made)
        model = original(doc, article, entities=analyze_entities(doc, article))
    finally:
        learned.MIN_CONFIDENCE, learned.model_quotes = shipped, original
    conf = learned.content_confidence(doc)
    info = {}
    for q in made_both + model:
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        words = set((q.cue or "").split())
        cue_known = any(cues.is_cue(t) for t in span.sent if t.text in words)
        info[id(q)] = {"conf": conf.get((q.start, q.end), 1.0), "rule_cue": cue_known}
    return {"both": both, "rules": rules, "model": model, "learned": {id(q) for q in made_both}, "info": info}


def gated(run: dict, system: str, least: float) -> list:
    """A system's records with the learned ones below confidence ``least`` left out."""
    qs = run[system]
    if system == "rules" or least <= 0:
        return qs
    keep = lambda q: run["info"][id(q)]["conf"] >= least  # noqa: E731
    if system == "model":
        return [q for q in qs if keep(q)]
    return [q for q in qs if id(q) not in run["learned"] or keep(q)]


def gold_items(row, quotes):
    """(gold items, [(predicted item, its quote)]) of one gold article, speech acts as bench/quotes.py scores."""
    text = row["article"].text
    toks = Tokens(text)
    gi, _ = bq._gold_items(row["gold"], text, toks)
    pairs = []
    for q in quotes:
        it = bq._pred_items([q], text, toks)
        if it:
            pairs.append((it[0], q))
    return gi, pairs


def gold_f1(rows, system: str, least: float = 0.0) -> dict:
    per = [(gi, [it for it, _ in pi]) for gi, pi in (gold_items(r, gated(r["run"], system, least)) for r in rows)]
    return bq._score_quotes(per, ())["any"]["0.3"]


def gold_judged(rows) -> list[dict]:
    """Each scored record of "both" (every confidence) with whether the gold finds it (0.3)."""
    out = []
    for r in rows:
        gi, pairs = gold_items(r, r["run"]["both"])
        items = [it for it, _ in pairs]
        merged = bq._merge_split(gi, items)
        hit = {id(merged[b]) for _, b in bq.match(gi, merged, 0.3, bq._item_score)}
        for it, q in pairs:
            out.append({"split": r["split"], "q": q, "right": id(it) in hit, "learned": id(q) in r["run"]["learned"],
                        "info": r["run"]["info"].get(id(q)), "own_text": not bq.is_heldout_text(r["gold"])})
    return out


def polnear_judged(rows, least: float = 0.0) -> tuple[dict, list[dict]]:
    """PolNeAR content P/R/F1 at 0.3 of "both" gated at ``least``, and its learned records judged."""
    tp = n_pred = n_gold = 0
    out = []
    for r in rows:
        ex, run = r["ex"], r["run"]
        toks = Tokens(ex.article.raw_text)
        gc, multi = gold_contents(r["rels"], toks)
        scored, pc, _ = prediction_spans(ex.article, gated(run, "both", least), toks)
        res = score_contents(gc, multi, pc, 0.3)
        tp, n_pred, n_gold = tp + len(res.pairs), n_pred + len(res.pred), n_gold + res.gold
        hit = {k for _, pi in res.pairs for k in res.groups[pi]}
        out += [{"split": "polnear-dev", "q": q, "right": k in hit, "learned": True, "info": run["info"][id(q)]}
                for k, q in enumerate(scored) if id(q) in run["learned"]]
    p, rc = tp / max(1, n_pred), tp / max(1, n_gold)
    return {"p": p, "r": rc, "f1": 2 * p * rc / (p + rc) if p + rc else 0.0, "tp": tp, "pred": n_pred}, out


def shapes(recs: list[dict], title: str) -> None:
    """Right / all of learned records by form, act, cue known to the rules, confidence band."""
    L = [r for r in recs if r["learned"]]
    print(f"  {title}: {len(L)} learned records, {sum(r['right'] for r in L)} right")
    for name, key in (("form", lambda r: r["q"].form), ("act", lambda r: r["q"].act),
                      ("negated", lambda r: r["q"].negated), ("cue word in the rules' tables", lambda r: r["info"]["rule_cue"]),
                      ("confidence", lambda r: next(f"{a:.1f}-{min(b, 1):.1f}" for a, b in BANDS if a <= r["info"]["conf"] < b))):
        c = Counter((key(r), r["right"]) for r in L)
        keys = sorted({k for k, _ in c}, key=str)
        print(f"    {name:<30} " + "  ".join(f"{k}: {c[(k, True)]}/{c[(k, True)] + c[(k, False)]}" for k in keys))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--splits", default="all", help="gold splits, comma-separated, or all (the scored ones)")
    ap.add_argument("--min-confidence", type=float, default=0.55, help="the gate of the 'both>=X' column")
    ap.add_argument("--polnear", action="store_true", help="also PolNeAR dev: learned records by shape (counts)")
    ap.add_argument("--sweep", default="", help="thresholds to score on PolNeAR dev and gold dev (choose there only)")
    ap.add_argument("--verbose", action="store_true", help="list the learned records of the gold's own texts")
    args = ap.parse_args(argv)
    nlp = load_nlp()
    mods = bq.load_stages()
    golds = bq.load_gold("all") if args.splits == "all" else [
        g for s in args.splits.split(",") for g in bq.load_gold(s)]
    rows = []
    for g in golds:
        path = g.source_path()
        article = mods["clean"].clean_article(bq._read_raw(path, path.read_text(encoding="utf-8")))
        rows.append({"split": g.split, "gold": g, "article": article, "run": run_article(nlp(article.text), article)})
    x = args.min_confidence
    by_split = defaultdict(list)
    for r in rows:
        by_split[r["split"]].append(r)
    judged = gold_judged(rows)
    print(f"newstrace gold, all kinds F1 at 0.3 (P), speech acts | learned records of both: right/all (NP, clause) "
          f"| false positives: rules' / learned")
    print(f"  {'split':<14} {'rules':>12} {'model':>12} {'both':>12} {'both>=' + format(x, 'g'):>12} | learned       | FP")
    for name in [*sorted(by_split), "all"]:
        rs = rows if name == "all" else by_split[name]
        cells = [gold_f1(rs, s, least) for s, least in (("rules", 0), ("model", 0), ("both", 0), ("both", x))]
        js = [j for j in judged if name == "all" or j["split"] == name]
        lj = [j for j in js if j["learned"]]
        np_ = [j for j in lj if j["q"].form == "noun_phrase"]
        cl = [j for j in lj if j["q"].form != "noun_phrase"]
        print(f"  {name:<14} " + " ".join(f"{c['f1']:.3f} ({c['p']:.2f})" for c in cells)
              + f" | {sum(j['right'] for j in lj):>2}/{len(lj):<3} ({sum(j['right'] for j in np_)}/{len(np_)}, "
              f"{sum(j['right'] for j in cl)}/{len(cl)}) | {sum(not j['right'] for j in js if not j['learned'])} / "
              f"{sum(not j['right'] for j in lj)}")
    print("learned records by shape (right/all)")
    shapes(judged, "newstrace gold, speech acts")
    pn_rows = []
    if args.polnear or args.sweep:
        for ex in polnear_data.load_split("dev"):
            pn_rows.append({"ex": ex, "rels": gold_relations(ex), "run": run_article(ex.doc, ex.article)})
        score, pj = polnear_judged(pn_rows)
        print(f"  PolNeAR dev both, content F1 at 0.3 {score['f1']:.4f} ({score['tp']}/{score['pred']})")
        shapes(pj, "PolNeAR dev, every act")
    if args.sweep:
        dev = by_split.get("dev", [])
        print("sweep (choose on these only): threshold, PolNeAR dev content F1 (matched/predicted), gold dev all kinds F1")
        for t in (float(v) for v in args.sweep.split(",")):
            s, _ = polnear_judged(pn_rows, t)
            print(f"  {t:.3f}  {s['f1']:.4f} ({s['tp']}/{s['pred']})  {gold_f1(dev, 'both', t)['f1']:.3f}")
    if args.verbose:
        for j in judged:
            if j["learned"] and j["own_text"]:
                q = j["q"]
                print(f"  {'right' if j['right'] else 'WRONG'} {j['split']:<14} {q.form:<11} {q.act:<9} "
                      f"{j['info']['conf']:.2f} {q.cue!r}: {q.text[:80]!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
