"""Rules alone, the learned attribution model alone, and both, on PolNeAR dev and the blind split.

Sets: PolNeAR dev (84 texts; reporting only, its errors are never looked at) and the blind split
(the 10 % of PolNeAR train held out by ``training/polnear_data.is_blind``, never trained or
tuned on). Texts are cleaned and parsed as in ``training/polnear_data.py`` (cached).

Systems:
- ``rules``: ``annotate(doc, article, settings=Settings(attribution_model=False))``: newstrace's rule quotes;
- ``rules+ranker``: the rule quotes with the speakers the learned ranker picks
  (:func:`newstrace.extract.learned.rerank_speakers`);
- ``model``: the CRF and the ranker alone (:func:`newstrace.extract.learned.model_quotes` with no
  rule records);
- ``both``: the default, ``annotate(doc, article)``: the rules' quotes plus the model's contents
  that no rule quote or attribution overlaps;
- with ``--min-confidence X``, ``model>=X`` and ``both>=X``: the same with the CRF's contents of
  confidence below X left out (:func:`newstrace.extract.learned.tag_doc_confidence`, the mean
  marginal probability of Content over the content's tokens).

Figures (all on raw-text word tokens, ``\\w+``):
- content P/R/F1 at 0.3 overlap (``|G & P| / max(|G|, |P|)``, one-to-one, best first), scored by
  ``bench/scoring.py``, the one content scorer ``bench/quotes.py`` uses too, so the same
  predictions give the same figure in both: gold contents from the brat file's raw offsets (also
  those the clean stage removed), a quote in parts covers its parts, the predictions lying inside
  one gold content of several pieces (a split quote '"A," he said. "B."') are merged into one, and
  a partial quote inside a predicted reported clause is not scored on its own. Before 2026-12-03
  this bench scored otherwise: gold from ``Example.relations`` (a content the clean stage removed
  left out), a prediction's whole extent, split pieces not merged (the second piece of a split
  quote counted spurious), ``polnear_data.match`` (a copy of the matching, ties to the later
  gold and prediction; since 2026-12-03 ``scoring.match``, the one copy, ties to the earlier).
  That figure is printed last ("old content scorer", matched/predicted/gold), from the same
  predictions, so the series stays comparable;
- source right: of the matched contents whose gold relation has a source, the share whose
  predicted speaker mention shares a word with the gold source mention;
- named source right: the same on gold sources that name someone, judged on the predicted
  speaker's canonical name or mention containing the gold name's surname, both as
  ``bench/quotes.py`` decides them (``name_head``: the head proper noun, not a suffix "Jr." or a
  tag "(R-Texas)"; ``name_words``: "O'Hanlon" one word). Before 2026-12-03 the gold name was the
  source's last proper noun and the words were ``\\w+`` ("o", "hanlon"): that figure is printed
  beside it ("old named", ok/n), from the same predictions and pairs, so the series stays
  comparable. Both figures take a gold source's words as ``bench/quotes.py`` does (the parse's
  tokens that start inside the source's raw pieces; before 2026-12-03 the clean-text span
  widened to whole tokens);
- time (first set): the CRF (features + tagging, :func:`newstrace.extract.learned.tag_doc`) and the
  whole learned layer (:func:`newstrace.extract.learned.model_quotes`) over the bare spaCy parse of
  the same texts, medians of ``--rounds`` alternating rounds (each ratio within its round).

``--profile`` splits the CRF's time in the same number of rounds (CPU time, shares of the parse):
the token view, the sentence filter, the feature rows (:func:`newstrace.extract.learned.feature_columns`)
and the decoding (:mod:`newstrace.extract.crf`); for a ``--base-src`` layer from before the run-time
decoder, the feature strings, python-crfsuite's conversion and lookup of them (``Tagger.set``)
and its Viterbi decoding.

``--check-decoder`` checks instead that the run-time decoder (:mod:`newstrace.extract.crf`, over
:func:`newstrace.extract.learned.feature_columns`) gives python-crfsuite's tags (``Tagger.tag`` of
:func:`newstrace.extract.learned.sentence_features`) on every tagged sentence of PolNeAR train and
dev and of the BBC corpus (``--sets train,dev,bbc``; ``--limit`` applies); exit code 1 on any difference.

``--base-src SRC`` times another tree's learned layer beside the current one in the same rounds
(``SRC/newstrace/extract/learned.py`` with ``SRC/newstrace/data``'s weights).
``--compare SRC`` first runs the same bench on another source tree (``git archive <commit> src |
tar -x -C DIR`` and pass ``DIR/src``), so that before and after are printed by one run.

Usage::

    PYTHONPATH=src .venv/bin/python bench/attribution_model.py [--sets dev,blind] [--limit N] [--compare SRC]
        [--min-confidence X]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "training"))

sys.path.insert(0, str(REPO / "bench"))

import polnear_data  # noqa: E402
from quotes import name_head, name_words, read_brat  # noqa: E402  (bench/quotes.py: the one named-source rule, the brat reader)
from scoring import Tokens, gold_contents, match, prediction_spans, raw_span, score_contents  # noqa: E402  (the one content scorer)

from newstrace.config import Settings  # noqa: E402
from newstrace.extract import annotate, analyze_entities, learned  # noqa: E402
from newstrace.nlp import load_nlp  # noqa: E402

WORD = re.compile(r"\w+")
SYSTEMS = ("rules", "rules+ranker", "model", "both")


def predictions(system: str, ex, *, timing: list[float]):
    """The quotes of one system on one example, every kind (:func:`scoring.prediction_spans` picks
    the scored ones). ``"model>=X"`` and ``"both>=X"`` are the model alone and both with the learned
    contents gated at confidence X (:data:`newstrace.extract.learned.MIN_CONFIDENCE`)."""
    if ">=" in system:
        system, least = system.split(">=")
        shipped = learned.MIN_CONFIDENCE
        learned.MIN_CONFIDENCE = float(least)
        try:
            return predictions(system, ex, timing=timing)
        finally:
            learned.MIN_CONFIDENCE = shipped
    doc, article = ex.doc, ex.article
    if system == "model":
        ents = analyze_entities(doc, article)
        t0 = time.perf_counter()
        qs = learned.model_quotes(doc, article, entities=ents)
        timing.append(time.perf_counter() - t0)
        return qs
    ann = annotate(doc, article, settings=Settings(attribution_model=(system == "both")))
    if system == "rules+ranker":
        learned.rerank_speakers(doc, article, ann.quotes, entities=analyze_entities(doc, article))
    return ann.quotes


def gold_relations(ex) -> list[dict[str, list[tuple[int, int]]]]:
    """The example's gold relations in raw-text offsets, read as ``bench/quotes.py`` reads them
    (``read_brat``, from the same file: the first annotator's by name): every relation with a
    content, also one whose content the clean stage removed (``Example.relations`` leaves those
    out), with every piece of its content (before 2026-12-03 ``polnear_data.read_relations``
    dropped a piece whose span line comes after the relation's line: 3 of PolNeAR dev's relations;
    it reads these files alike now)."""
    text = Path(ex.article.source)
    anns = sorted(a for a in (text.parent.parent / "attributions").glob(f"{ex.stem}_*.ann")
                  if a.stem.rsplit("_", 1)[0] == ex.stem)
    return read_brat(anns[0]) if anns else []


def source_tokens(article, doc, pieces) -> list:
    """The parse's tokens whose raw-text start lies inside the raw (start, end) ``pieces``, as
    ``bench/quotes.py`` takes a gold source's tokens."""
    return [t for t in doc for a, b in pieces if a <= article.to_raw(t.idx) < b]


def gold_name(article, doc, pieces) -> str | None:
    """The surname a gold source names (``bench/quotes.py``'s ``name_head``), else None.

    Args:
        article: the article (``to_raw`` maps the parse's offsets to the raw text).
        doc: the parse of the clean text.
        pieces: the source's raw-text (start, end) pieces.

    Returns:
        The head word of the name, lower-cased ("Sen. Ted Cruz, R-Texas," -> "cruz"), or None
        for a source that names no one.
    """
    toks = source_tokens(article, doc, pieces)
    return name_head(toks) if toks else None


def _old_content_score(ex, toks: Tokens, qs) -> tuple[int, int, int]:
    # the content scorer before 2026-12-03 (tp, predicted, gold): gold from Example.relations
    # (clean-text offsets mapped back; a content the clean stage removed is left out), a
    # prediction's whole extent (q.start..q.end, not its parts), no merging of split pieces,
    # one-to-one matching (scoring.match since 2026-12-03; polnear_data.match, ties the other way, before)
    gold = [toks.positions([raw_span(ex.article, s, e) for s, e in r.content]) for r in ex.relations]
    reported = [(q.start, q.end) for q in qs if q.kind == "indirect"]
    pred = []
    for q in qs:
        if q.kind == "post" or (q.kind == "partial" and any(s <= q.start and q.end <= e + 2 for s, e in reported)):
            continue
        span = raw_span(ex.article, q.start, q.end)
        pred.append(toks.positions([span]) if span else frozenset())
    return len(match(gold, pred, 0.3)), len(pred), len(gold)


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def score(examples, system: str, timing: list[float]) -> dict:
    """Content P/R/F1 at 0.3 (``bench/scoring.py``, as ``bench/quotes.py`` scores), source right
    and named source right on the matched contents, and the old content scorer's figures."""
    tp = n_pred = n_gold = 0
    old = [0, 0, 0]  # the content scorer before 2026-12-03 (tp, pred, gold)
    src = [0, 0]
    named = [0, 0]
    named_old = [0, 0]  # the scorer before 2026-12-03: the source's last proper noun in \w+ words
    for ex in examples:
        raw = ex.article.raw_text
        toks = Tokens(raw)
        rels = gold_relations(ex)
        gold_c, multi = gold_contents(rels, toks)
        gold_s, gold_named, gold_old = [], [], []
        for r in rels:
            gold_s.append(toks.positions(r.get("source", [])))
            in_src = source_tokens(ex.article, ex.doc, r.get("source", []))
            gold_named.append(name_head(in_src) if in_src else None)
            props = [t for t in in_src if t.pos_ == "PROPN"]
            gold_old.append(props[-1].lower_ if props else None)
        qs = predictions(system, ex, timing=timing)
        for k, v in enumerate(_old_content_score(ex, toks, qs)):
            old[k] += v
        scored, pred_c, _ = prediction_spans(ex.article, qs, toks)
        pred_s, pred_names, pred_old = [], [], []
        for q in scored:
            sp = raw_span(ex.article, q.speaker_start, q.speaker_end)
            pred_s.append(toks.positions([sp]) if sp else frozenset())
            said_by = " ".join(filter(None, (q.speaker, q.speaker_mention)))
            pred_names.append(name_words(said_by))
            pred_old.append(WORD.findall(said_by.lower()))
        result = score_contents(gold_c, multi, pred_c, 0.3)
        # a merged split content: its pieces' speaker mentions together, its first piece's names
        pred_s = [frozenset().union(*(pred_s[i] for i in group)) for group in result.groups]
        pred_names = [pred_names[group[0]] for group in result.groups]
        pred_old = [pred_old[group[0]] for group in result.groups]
        tp += len(result.pairs)
        n_pred += len(result.pred)
        n_gold += result.gold
        for gi, pi in result.pairs:
            if gold_s[gi]:
                src[1] += 1
                src[0] += bool(gold_s[gi] & pred_s[pi])
            if gold_old[gi]:
                named_old[1] += 1
                named_old[0] += gold_old[gi] in pred_old[pi]
            if gold_named[gi]:
                named[1] += 1
                named[0] += gold_named[gi] in pred_names[pi]
    p, r, f1 = _prf(tp, n_pred, n_gold)
    old_p, old_r, old_f1 = _prf(*old)
    return {"p": p, "r": r, "f1": f1, "tp": tp, "gold": n_gold, "pred": n_pred,
            "old_p": old_p, "old_r": old_r, "old_f1": old_f1, "old_tp": old[0], "old_pred": old[1],
            "old_gold": old[2],
            "source": src[0] / src[1] if src[1] else 0.0, "source_n": src[1],
            "named": named[0] / named[1] if named[1] else 0.0, "named_n": named[1], "named_ok": named[0],
            "source_ok": src[0], "named_old_ok": named_old[0], "named_old_n": named_old[1]}


def load_base_layer(src: Path):
    """Another tree's ``newstrace/extract/learned.py`` (e.g. the commit before a change), loaded
    beside the current one with its own weights, so both can be timed in one process."""
    spec = importlib.util.spec_from_file_location("newstrace.extract.base_learned",
                                                  src / "newstrace" / "extract" / "learned.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.model_path = lambda: src / "newstrace" / "data" / learned.MODEL_FILE
    module.load_tagger()
    return module


def time_rounds(examples, nlp, rounds: int, layers: dict) -> dict[str, float]:
    """Medians over rounds of each layer's CRF time (features + tagging, ``tag_doc``) and whole
    time (``model_quotes``) over the bare parse of the same texts; the parse and the layers'
    taggings are run in a rotating order, each ratio taken within its round."""
    steps = ["parse", *layers]
    ratios: dict[str, list[float]] = {}
    for r in range(rounds):
        t: dict[str, float] = {}
        for step in steps[r % len(steps):] + steps[:r % len(steps)]:
            t0 = time.perf_counter()
            for ex in examples:
                if step == "parse":
                    nlp(ex.article.text)
                else:
                    layers[step].tag_doc(ex.doc)
            t[step] = time.perf_counter() - t0
        for name, module in layers.items():
            t0 = time.perf_counter()
            for ex in examples:
                module.model_quotes(ex.doc, ex.article)
            t[name + " layer"] = time.perf_counter() - t0
        for key, sec in t.items():
            if key != "parse":
                ratios.setdefault(key, []).append(sec / t["parse"])
    return {key: statistics.median(v) for key, v in ratios.items()}


def profile_rounds(examples, nlp, rounds: int, layers: dict) -> dict[str, dict[str, float]]:
    """Where each layer's CRF time goes, as shares of the bare parse (medians of ``rounds``, the
    parse timed in each round, CPU time): the token view (``DocView``), the sentence filter, then
    for a layer with the run-time decoder the feature rows (``feature_columns``) and the decoding
    (``CrfModel.tag_columns``); for an older layer the feature strings, python-crfsuite's
    conversion and lookup of them (``Tagger.set``) and its Viterbi (``Tagger.tag``)."""
    out: dict[str, dict[str, list[float]]] = {}
    for r in range(rounds):
        t0 = time.process_time()
        for ex in examples:
            nlp(ex.article.text)
        parse = time.process_time() - t0
        for name in (list(layers) if r % 2 == 0 else list(layers)[::-1]):
            module = layers[name]
            t = _profile_layer(module, examples)
            got = out.setdefault(name, {})
            for key, sec in t.items():
                got.setdefault(key, []).append(sec / parse)
    return {name: {key: statistics.median(v) for key, v in got.items()} for name, got in out.items()}


def _profile_layer(module, examples) -> dict[str, float]:
    clock = time.process_time
    decoder = hasattr(module, "feature_columns")
    t = dict.fromkeys(("view", "filter", "rows", "decode") if decoder else
                      ("view", "filter", "features", "set", "viterbi"), 0.0)
    model = module.load_model() if decoder else None
    tagger = None if decoder else module.load_tagger()
    for ex in examples:
        c0 = clock()
        view = module.DocView(ex.doc)
        c1 = clock()
        t["view"] += c1 - c0
        sents = []
        for index, sent in enumerate(ex.doc.sents):
            c0 = clock()
            keep = module.may_attribute(view, sent.start, sent.end)
            t["filter"] += clock() - c0
            if keep and decoder:
                sents.append((index, sent.start, sent.end))
            elif keep:
                c1 = clock()
                feats = module.sentence_features(sent, index=index, view=view)
                c2 = clock()
                tagger.set(feats)
                c3 = clock()
                tagger.tag()
                t["viterbi"] += clock() - c3
                t["features"] += c2 - c1
                t["set"] += c3 - c2
        if decoder and sents:
            c0 = clock()
            ids = module.feature_columns(view, sents, model)
            c1 = clock()
            model.tag_columns(ids, [e - s for _, s, e in sents])
            t["rows"] += c1 - c0
            t["decode"] += clock() - c1
    return t


def bbc_docs(nlp, limit: int = 0) -> list:
    """The BBC corpus (``../shared/corpus/bbc``) cleaned and parsed as the pipeline does."""
    from newstrace.clean import clean_article
    from newstrace.models import RawArticle

    base = polnear_data.CORPUS / "bbc"
    paths = sorted(base.glob("*/*.txt"))[:limit or None]
    if not paths:
        raise SystemExit(f"BBC texts not found under {base}: they ship in ../shared/corpus/bbc")
    texts = [clean_article(RawArticle(source=str(p), text=p.read_text(encoding="utf-8", errors="replace"),
                                      file=str(p), format="txt")).text for p in paths]
    return list(nlp.pipe(texts, batch_size=16))


def check_decoder(docs) -> tuple[int, int, int]:
    """Compare the run-time decoder's tags with python-crfsuite's on every tagged sentence.

    Returns:
        (sentences, tokens, sentences whose tags differ).
    """
    tagger, model = learned.load_tagger(), learned.load_model()
    sentences = tokens = differ = 0
    for doc in docs:
        view = learned.DocView(doc)
        sents = learned.tagged_spans(doc, view)
        reference = [tagger.tag(learned.sentence_features(doc[a:b], index=k, view=view)) for k, a, b in sents]
        if not sents:
            continue
        ours = model.tag_columns(learned.feature_columns(view, sents, model), [e - s for _, s, e in sents])
        sentences += len(sents)
        tokens += sum(len(r) for r in reference)
        differ += sum(a != b for a, b in zip(reference, ours))
    return sentences, tokens, differ


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="dev,blind", help="comma-separated: dev, blind")
    ap.add_argument("--limit", type=int, default=0, help="at most N texts a set (0 = all)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating timing rounds on the first set (0: none)")
    ap.add_argument("--time-only", action="store_true", help="print only the time ratios")
    ap.add_argument("--min-confidence", type=float, action="append", default=[], metavar="X",
                    help="also score the model alone and both with the learned contents gated at the CRF's "
                         "confidence X (learned.MIN_CONFIDENCE; repeatable)")
    ap.add_argument("--profile", action="store_true",
                    help="also split the CRF's time (view, filter, features, conversion, decoding) in the rounds")
    ap.add_argument("--check-decoder", action="store_true",
                    help="check the run-time decoder's tags against python-crfsuite's (sets: train, dev, bbc)")
    ap.add_argument("--base-src", type=Path, metavar="SRC",
                    help="time this tree's learned layer (SRC/newstrace/extract/learned.py and its weights) "
                         "beside the current one, in the same rounds")
    ap.add_argument("--compare", type=Path, metavar="SRC",
                    help="first run this script on another newstrace source tree (e.g. an export of the "
                         "commit before a change), so that before and after print in one run")
    args = ap.parse_args(argv)
    if args.compare:
        print(f"== before: newstrace from {args.compare}", flush=True)
        env = {**os.environ, "PYTHONPATH": str(args.compare)}
        rest = [a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("--compare")]
        if str(args.compare) in rest:
            rest.remove(str(args.compare))
        subprocess.run([sys.executable, str(Path(__file__).resolve()), *rest], env=env, check=True)
        import newstrace
        print(f"== after: newstrace from {Path(newstrace.__file__).parents[1]}", flush=True)
    nlp = load_nlp()
    learned.load_tagger()
    learned.load_model()  # read once before any timing, as a run reads it once
    if args.check_decoder:
        failed = False
        for name in args.sets.split(","):
            docs = (bbc_docs(nlp, args.limit) if name == "bbc"
                    else [ex.doc for ex in polnear_data.load_split(name)][:args.limit or None])
            n_sents, n_toks, differ = check_decoder(docs)
            print(f"{name}: {len(docs)} texts, {n_sents} tagged sentences, {n_toks} tokens: "
                  f"{differ} sentences tagged otherwise than python-crfsuite", flush=True)
            failed |= differ > 0
        return 1 if failed else 0
    for n, name in enumerate(args.sets.split(",")):
        examples = (polnear_data.load_split("dev") if name == "dev"
                    else polnear_data.load_split("train", part="blind"))
        if args.limit:
            examples = examples[:args.limit]
        print(f"PolNeAR {name}: {len(examples)} texts, {sum(len(gold_relations(e)) for e in examples)} relations "
              f"({sum(len(e.relations) for e in examples)} with a content in the clean text: the old scorer's gold)")
        print(f"  {'system':<12}  content@0.3  P     R     F1    (matched/pred/gold) | source right (ok/n)    "
              f"| named source right (ok/n) | old named | old content scorer P R F1 (matched/pred/gold)")
        timing: list[float] = []
        gated = tuple(f"{name}>={x:g}" for x in args.min_confidence for name in ("model", "both"))
        for system in ((*SYSTEMS, *gated) if not args.time_only else ()):
            s = score(examples, system, timing if system == "model" else [])
            print(f"  {system:<12}  {'':>5}  {s['p']:.4f}  {s['r']:.4f}  {s['f1']:.4f} "
                  f"({s['tp']:>4}/{s['pred']:>4}/{s['gold']:>4}) | "
                  f"{s['source']:.2f} ({s['source_ok']:>4}/{s['source_n']:>4}) | {s['named']:.2f} "
                  f"({s['named_ok']:>4}/{s['named_n']:>4}) | {s['named_old_ok']:>4}/{s['named_old_n']:>4} | "
                  f"{s['old_p']:.4f} {s['old_r']:.4f} {s['old_f1']:.4f} "
                  f"({s['old_tp']:>4}/{s['old_pred']:>4}/{s['old_gold']:>4})", flush=True)
        if n == 0 and args.rounds:
            layers = {"before": load_base_layer(args.base_src)} if args.base_src else {}
            layers["now"] = learned
            med = time_rounds(examples, nlp, args.rounds, layers)
            print(f"  time over the bare parse (medians of {args.rounds} rotating rounds): "
                  + "; ".join(f"{name}: CRF (features + tagging) {med[name]:.3f}, whole layer (model_quotes) "
                              f"{med[name + ' layer']:.3f}" for name in layers), flush=True)
            if args.profile:
                for name, shares in profile_rounds(examples, nlp, args.rounds, layers).items():
                    print(f"  {name}: " + ", ".join(f"{key} {val:.4f}" for key, val in shares.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
