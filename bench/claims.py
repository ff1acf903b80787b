"""Score newstrace.extract.claims against the hand-annotated figures in tests/gold/claims/ (issue 4).

Usage:
    .venv/bin/python bench/claims.py                 # P/R/F1 and value accuracy on all gold articles
    .venv/bin/python bench/claims.py -v              # also list misses and spurious figures
    .venv/bin/python bench/claims.py --draft bbc/business/001.txt   # print extractor output as a
                                                     # starting point for annotating a new article

A predicted claim matches a gold figure when their character spans overlap (each used once, in
text order). Reported: detection precision/recall/F1 over all kinds; per kind; then, over the
matched pairs, kind accuracy, value accuracy (value equal within 0.1% and same unit, dates:
same ISO date) and unit accuracy; then qualifier accuracy ("more than", "about", "up to": issue
#5) over the matched figures (dates excluded) of gold files marked ``qualifiers_checked``, and
precision/recall of the qualifiers themselves (a predicted qualifier is right when it equals the
gold one).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "tests" / "gold" / "claims"
_CORPUS_CANDIDATES = [REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")]


class GoldError(Exception):
    """The gold set is missing or a gold figure cannot be found in its article."""


def find_corpus() -> Path | None:
    return next((p for p in _CORPUS_CANDIDATES if p.is_dir()), None)


def source_path(gold: dict[str, Any]) -> Path:
    """The article file a gold record describes."""
    if gold["root"] == "repo":
        return REPO / gold["file"]
    corpus = find_corpus()
    if corpus is None:
        raise GoldError(f"{gold['id']}: the shared corpus is not found at {_CORPUS_CANDIDATES[0]}; "
                        "check it out next to the repository")
    return corpus / gold["file"]


def load_gold(split: str = "all", gold_dir: Path = GOLD_DIR) -> list[dict[str, Any]]:
    """The gold records of ``split`` ("dev", "test" or "all"; one JSON file per article), sorted by id."""
    out = []
    for p in sorted(gold_dir.glob("*.json")):
        try:
            rec = json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise GoldError(f"{p}:{exc.lineno}: not valid JSON ({exc.msg}); fix the file") from exc
        if split == "all" or rec.get("split") == split:
            out.append(rec)
    return out


def read_article(path: Path, published: str | None = None):
    """The cleaned Article the pipeline would build for ``path`` (plain text when clean is missing)."""
    from newstrace.models import Article, RawArticle, article_id_for
    text = path.read_text(encoding="utf-8")
    raw = RawArticle(source=str(path), text=text, file=str(path), format="txt")
    try:
        from newstrace.clean import clean_article
        art = clean_article(raw)
    except Exception:  # noqa: BLE001 - the clean stage is not what this benchmark measures
        art = Article(id=article_id_for(text), source=str(path), raw_text=text, text=text)
    if published and not art.published:
        art.published = published
    return art


def locate(text: str, figure: dict[str, Any], cursor: dict[str, int]) -> tuple[int, int]:
    """Span of a gold figure: its ``text``, the n-th occurrence after ``after`` when given, else the
    next occurrence after the previous figure with the same text."""
    needle = figure["text"]
    start = 0
    if figure.get("after"):
        a = text.find(figure["after"])
        if a < 0:
            raise GoldError(f"anchor {figure['after']!r} not found")
        start = a
    else:
        start = cursor.get(needle, 0)
    i = text.find(needle, start)
    while i >= 0 and ((i > 0 and (text[i - 1].isalnum() or text[i - 1] == ".") and needle[0].isalnum())
                      or (i + len(needle) < len(text) and text[i + len(needle)].isalnum() and needle[-1].isalnum())):
        i = text.find(needle, i + 1)  # whole figures only: "3%" is not the end of "47.3%"
    if i < 0:
        raise GoldError(f"figure {needle!r} not found after offset {start}")
    cursor[needle] = i + len(needle)
    return i, i + len(needle)


def gold_spans(gold: dict[str, Any], text: str) -> list[tuple[int, int, dict[str, Any]]]:
    cursor: dict[str, int] = {}
    out = []
    for f in gold["figures"]:
        try:
            s, e = locate(text, f, cursor)
        except GoldError as exc:
            raise GoldError(f"{gold['id']}: {exc}; fix the gold file") from exc
        out.append((s, e, f))
    return sorted(out, key=lambda x: x[0])


def _same_value(g: dict[str, Any], p) -> bool:
    if g["kind"] == "date":
        return g.get("date") == p.date
    if g.get("value") is None or p.value is None:
        return g.get("value") is None and p.value is None
    gv, pv = float(g["value"]), float(p.value)
    return abs(gv - pv) <= 1e-3 * max(abs(gv), 1e-9) and (g.get("unit") or "").lower() == (p.unit or "").lower()


def match(gold: list[tuple[int, int, dict]], pred: list) -> list[tuple[int, int]]:
    """Pairs (gold index, pred index) of overlapping spans, greedy by overlap size."""
    cands = []
    for gi, (gs, ge, _) in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = min(ge, p.end) - max(gs, p.start)
            if ov > 0:
                cands.append((-ov, gi, pi))
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in sorted(cands):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return dict(p=round(p, 3), r=round(r, 3), f1=round(f, 3), tp=tp, pred=n_pred, gold=n_gold)


def evaluate(nlp, *, split: str = "all", verbose: bool = False, log=print) -> dict[str, Any]:
    """Run extract_claims over the gold articles of ``split`` and score it.

    Args:
        nlp: the spaCy pipeline.
        split: "dev" (tuned on), "test" (held out) or "all".
        verbose: log misses, spurious claims and wrong values.
    Returns:
        dict with overall and per-kind P/R/F1, kind/value/unit accuracy over matches, timing.
    """
    from newstrace.extract import extract_claims
    golds = load_gold(split)
    if not golds:
        raise GoldError(f"no gold files for split {split!r} in {GOLD_DIR}")
    kinds = ("quantity", "percent", "money", "ratio", "date")
    tp = n_pred = n_gold = 0
    per_kind = {k: [0, 0, 0] for k in kinds}
    kind_ok = value_ok = unit_ok = n_match = 0
    q_n = q_ok = q_tp = q_pred = q_gold = 0
    t_claims = 0.0
    for g in golds:
        art = read_article(source_path(g), g.get("published"))
        doc = nlp(art.text)
        t0 = time.perf_counter()
        pred = extract_claims(doc, art, entities=None, quotes=[], attributions=[])
        t_claims += time.perf_counter() - t0
        gs = gold_spans(g, art.text)
        pairs = match(gs, pred)
        tp += len(pairs)
        n_pred += len(pred)
        n_gold += len(gs)
        for _, _, f in gs:
            per_kind[f["kind"]][2] += 1
        for p in pred:
            if p.kind in per_kind:
                per_kind[p.kind][1] += 1
        for gi, pi in pairs:
            f, p = gs[gi][2], pred[pi]
            n_match += 1
            if f["kind"] == p.kind:
                per_kind[p.kind][0] += 1
                kind_ok += 1
            value_ok += _same_value(f, p)
            unit_ok += (f.get("unit") or "").lower() == (p.unit or "").lower()
            if g.get("qualifiers_checked") and f["kind"] != "date":
                gq, pq = f.get("qualifier"), getattr(p, "qualifier", None)
                q_n += 1
                q_ok += gq == pq
                q_tp += gq is not None and gq == pq
                q_pred += pq is not None
                q_gold += gq is not None
                if verbose and gq != pq:
                    log(f"  {g['id']}: QUALIFIER {f['text']!r} gold {gq} pred {pq}: "
                        f"...{art.text[max(0, p.start - 40):p.end + 10]!r}")
            if verbose and not (_same_value(f, p) and f["kind"] == p.kind):
                log(f"  {g['id']}: WRONG {f['text']!r} gold {f['kind']}/{f.get('value')}/{f.get('unit')}/"
                    f"{f.get('date')} pred {p.kind}/{p.value}/{p.unit}/{p.date} ({p.text!r})")
        if verbose:
            mg = {gi for gi, _ in pairs}
            mp = {pi for _, pi in pairs}
            for gi, (s, e, f) in enumerate(gs):
                if gi not in mg:
                    log(f"  {g['id']}: MISS {f['kind']} {f['text']!r}: ...{art.text[max(0, s - 40):e + 40]!r}")
            for pi, p in enumerate(pred):
                if pi not in mp:
                    log(f"  {g['id']}: SPURIOUS {p.kind} {p.text!r} ({p.value} {p.unit}): "
                        f"...{art.text[max(0, p.start - 40):p.end + 40]!r}")
    return dict(articles=len(golds), overall=_prf(tp, n_pred, n_gold),
                per_kind={k: _prf(*v) for k, v in per_kind.items()},
                kind_accuracy=round(kind_ok / n_match, 3) if n_match else 0.0,
                value_accuracy=round(value_ok / n_match, 3) if n_match else 0.0,
                unit_accuracy=round(unit_ok / n_match, 3) if n_match else 0.0,
                qualifier_accuracy=round(q_ok / q_n, 3) if q_n else None, qualifier_matched=q_n,
                qualifiers=_prf(q_tp, q_pred, q_gold),
                matched=n_match, claims_seconds=round(t_claims, 2))


def draft(nlp, rel: str, published: str | None) -> str:
    """Extractor output for one article in the gold format (to correct by hand, never to keep as is)."""
    from newstrace.extract import extract_claims
    root = "repo" if (REPO / rel).exists() else "corpus"
    path = REPO / rel if root == "repo" else (find_corpus() or Path(".")) / rel
    art = read_article(path, published)
    claims = extract_claims(nlp(art.text), art, entities=None, quotes=[], attributions=[])
    rows = [json.dumps(dict(text=c.text, kind=c.kind, value=c.value, unit=c.unit, date=c.date,
                            what=c.what, qualifier=c.qualifier), ensure_ascii=False) for c in claims]
    return ("{\n  \"id\": \"\", \"root\": \"%s\", \"file\": \"%s\", \"published\": %s,\n  \"notes\": \"\",\n"
            "  \"figures\": [\n    %s\n  ]\n}\n" % (root, rel, json.dumps(art.published), ",\n    ".join(rows)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--draft", metavar="FILE", help="print extractor output for FILE (repo- or corpus-relative)")
    ap.add_argument("--published", help="article date for --draft")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--split", default="all", choices=("dev", "test", "test2", "test3", "test4", "all"))
    args = ap.parse_args(argv)
    from newstrace.nlp import load_nlp
    nlp = load_nlp()
    if args.draft:
        print(draft(nlp, args.draft, args.published))
        return 0
    try:
        res = evaluate(nlp, split=args.split, verbose=args.verbose, log=lambda s: print(s, file=sys.stderr))
    except GoldError as exc:
        print(f"bench/claims.py: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    o = res["overall"]
    print(f"claims gold ({args.split}): {res['articles']} articles, {o['gold']} figures, {o['pred']} predicted")
    print(f"detection   P {o['p']:.3f}  R {o['r']:.3f}  F1 {o['f1']:.3f}")
    for k, v in res["per_kind"].items():
        print(f"  {k:9s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}  (gold {v['gold']}, pred {v['pred']})")
    print(f"on {res['matched']} matches: kind accuracy {res['kind_accuracy']:.3f}, value accuracy "
          f"{res['value_accuracy']:.3f}, unit accuracy {res['unit_accuracy']:.3f}")
    if res["qualifier_accuracy"] is not None:
        q = res["qualifiers"]
        print(f"qualifiers on {res['qualifier_matched']} matched figures: accuracy {res['qualifier_accuracy']:.3f}; "
              f"qualified figures P {q['p']:.3f}  R {q['r']:.3f}  F1 {q['f1']:.3f}  (gold {q['gold']}, pred {q['pred']})")
    print(f"extract_claims time {res['claims_seconds']} s (parsing excluded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
