"""Rebuild newstrace's attribution CRF (src/newstrace/data/attribution_crf.crfsuite) from PolNeAR train.

Data recipe: ``training/polnear_data.py`` (PolNeAR train minus the blind 10 %, one annotator per
text, newstrace's clean stage and spaCy parse). Sequences are the sentences the tagger reads at
run time (:func:`newstrace.extract.learned.tagged_sentences`: those that can hold an attribution)
in sorted order of the text's stem; features are :func:`newstrace.extract.learned.sentence_features`;
labels BIO over Source, Cue and Content (:func:`newstrace.extract.learned.token_labels`). The
trainer is L-BFGS (deterministic), so the same corpus and spaCy model give the same file, byte for
byte.

The L1/L2 weights (``c1``, ``c2``) were chosen by cross-validation on the training texts only
(``--cv``: folds by ``sha1(stem)``, content F1 at 0.3 on the held-out fold, scored by
``bench/scoring.py``, the one content scorer of the benches: gold contents from the brat file's raw
offsets, a split content's pieces merged, one-to-one matching; before 2026-12-03 the CV matched
with a copy of its own on the recipe's clean-text relations, unmerged), never on PolNeAR dev or
the blind split. The feature templates were chosen the same way (2026-12-02,
issue 15: the layer's time is its feature strings): ``--weights MODEL`` prints what each template
of a trained model weighs and how many strings it adds a token; the templates that weighed little
for their cost were dropped or conjoined, and the candidate sets compared by ``--cv 2`` (the
README's learned-layer section has the figures). ``--coverage`` counts the gold relations that the
sentence filter leaves out of reach.

Usage::

    PYTHONPATH=src .venv/bin/python training/train_span_tagger.py [--out PATH] [--iterations N]
    PYTHONPATH=src .venv/bin/python training/train_span_tagger.py --coverage
    PYTHONPATH=src .venv/bin/python training/train_span_tagger.py --weights src/newstrace/data/attribution_crf.crfsuite
    PYTHONPATH=src .venv/bin/python training/train_span_tagger.py --cv 2 --grid 1,0.01 2,0.01 --fold 0
    PYTHONPATH=src .venv/bin/python training/train_span_tagger.py --check
    PYTHONPATH=src .venv/bin/python training/train_span_tagger.py --phrase-features --no-triggers --out /tmp/gov.crfsuite
    PYTHONPATH=src .venv/bin/python training/train_span_tagger.py --cue-object --cv 2 --fold 0 --grid 2,0.01

``--check`` rebuilds the CRF and the trigger lemmas into a temporary folder and writes nothing: exit
code 0 when both are the shipped files byte for byte, 1 (naming what differs) otherwise.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import pycrfsuite

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "training"))
sys.path.insert(0, str(REPO / "bench"))

import polnear_data  # noqa: E402
import scoring  # noqa: E402  (bench/scoring.py: the one content scorer of the benches)

from newstrace.extract import learned  # noqa: E402

# c1 = 2.0, c2 = 0.01: the best of the --cv grid (see the README's learned-layer section)
PARAMS = {"c1": 2.0, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True,
          "feature.minfreq": 3}


def fold_of(stem: str, folds: int) -> int:
    """The cross-validation fold of a training text (independent of the blind split's digit)."""
    return (int(hashlib.sha1(stem.encode("utf-8")).hexdigest(), 16) // 10) % folds


# A lemma triggers tagging when it is part of a gold cue at least MIN_COUNT times in the training
# texts (as a content word) and in at least MIN_RATE of its occurrences; see --coverage
TRIGGER_MIN_COUNT, TRIGGER_MIN_RATE = 3, 0.1
_CONTENT_POS = frozenset(("VERB", "NOUN", "ADJ", "ADV", "PROPN"))


def trigger_lemmas(examples) -> list[str]:
    """The lemmas that head gold cues often enough to make a sentence worth tagging, sorted."""
    cue: dict[str, int] = {}
    seen: dict[str, int] = {}
    for ex in examples:
        in_cue = set()
        for r in ex.relations:
            in_cue |= _token_sets(ex.doc, r.cue)
        for t in ex.doc:
            lem = t.lemma_.lower()
            seen[lem] = seen.get(lem, 0) + 1  # every occurrence: a function word tagged PROPN stays out
            if t.pos_ in _CONTENT_POS and t.i in in_cue:
                cue[lem] = cue.get(lem, 0) + 1
    return sorted(lem for lem, n in cue.items() if n >= TRIGGER_MIN_COUNT and n / seen[lem] >= TRIGGER_MIN_RATE)


def write_triggers(examples, out: Path) -> int:
    """Write the trigger lemmas of ``examples`` to ``out`` (sorted JSON); returns their number."""
    lemmas = trigger_lemmas(examples)
    out.write_text(json.dumps({"min_count": TRIGGER_MIN_COUNT, "min_rate": TRIGGER_MIN_RATE, "lemmas": lemmas},
                              indent=0, sort_keys=True) + "\n", encoding="utf-8")
    learned.load_triggers.cache_clear()
    return len(lemmas)


def sequences(examples):
    """(features, labels) of every sentence the tagger reads, in order; labels from the recipe's
    :func:`polnear_data.label_relations`."""
    anns = {stem: ann for stem, _, ann in polnear_data.list_docs("train")}
    for ex in examples:
        relations = polnear_data.label_relations(ex, anns[ex.stem])
        for sent, feats in learned.tagged_sentences(ex.doc):
            yield feats, learned.token_labels(sent, relations)


def train(examples, out: Path, params: dict) -> tuple[int, int]:
    """Train a CRF on ``examples`` into ``out``; returns (sentences, tokens)."""
    trainer = pycrfsuite.Trainer(verbose=False)
    n_seq = n_tok = 0
    for feats, labels in sequences(examples):
        trainer.append(feats, labels)
        n_seq += 1
        n_tok += len(labels)
    trainer.set_params(params)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return n_seq, n_tok


def _token_sets(doc, pieces) -> frozenset[int]:
    out = set()
    for s, e in pieces:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.update(t.i for t in span if not (t.is_punct or t.is_space))
    return frozenset(out)


def content_runs(ex, tagger) -> list[frozenset[int]]:
    """The CRF's Content spans in one example: runs of Content tags (a B tag starts a new one), as
    sets of token indices without punctuation, those of 3 tokens or more."""
    pred = []
    for sent, feats in learned.tagged_sentences(ex.doc):
        cur: set[int] = set()
        for k, tag in enumerate(tagger.tag(feats)):
            if tag.endswith("Content") and not (tag.startswith("B") and cur):
                cur.add(sent.start + k)
                continue
            if cur:
                pred.append(cur)
            cur = {sent.start + k} if tag.endswith("Content") else set()
        if cur:
            pred.append(cur)
    pred = [frozenset(i for i in p if not (ex.doc[i].is_punct or ex.doc[i].is_space)) for p in pred]
    return [p for p in pred if len(p) >= 3]


def score_runs(ex, runs: list[frozenset[int]], relations: list[dict]) -> scoring.ContentScore:
    """Score the Content runs of one example as the benches score (``bench/scoring.py``).

    Args:
        ex: the example (its parse and article: ``to_raw`` maps the parse's offsets to the raw text).
        runs: predicted contents as sets of the parse's token indices (:func:`content_runs`).
        relations: the text's gold relations in raw offsets (:func:`polnear_data.read_relations`).

    Returns:
        The matching at 0.3 of the runs' raw-text ``\\w+`` tokens against every gold content, the
        predictions inside one gold content of several pieces merged first.
    """
    toks = scoring.Tokens(ex.article.raw_text)
    gold, multi = scoring.gold_contents(relations, toks)
    pred = []
    for run in runs:
        first, last = ex.doc[min(run)], ex.doc[max(run)]
        span = scoring.raw_span(ex.article, first.idx, last.idx + len(last))
        pred.append(toks.positions([span]) if span else frozenset())
    return scoring.score_contents(gold, multi, pred, 0.3)


def content_f1(examples, model: Path, split: str = "train") -> tuple[float, float, float, int, int, int]:
    """Content P, R, F1 at 0.3 of the CRF's Content spans (:func:`content_runs`) against the gold
    contents of the split's brat files (:func:`score_runs`). Returns (P, R, F1, matched, predicted, gold)."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    anns = {stem: ann for stem, _, ann in polnear_data.list_docs(split)}
    tp = n_pred = n_gold = 0
    for ex in examples:
        result = score_runs(ex, content_runs(ex, tagger), polnear_data.read_relations(anns[ex.stem]))
        tp += len(result.pairs)
        n_pred += len(result.pred)
        n_gold += result.gold
    p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0, tp, n_pred, n_gold


def coverage(examples) -> None:
    """Print how many gold relations, cues and content tokens the sentence filter leaves untagged."""
    rel = rel_cue = cue_lost = tok = tok_lost = sents = kept = 0
    for ex in examples:
        view = learned.DocView(ex.doc)
        sent_kept = {}
        for sent in ex.doc.sents:
            ok = learned.may_attribute(view, sent.start, sent.end)
            sents += 1
            kept += ok
            for i in range(sent.start, sent.end):
                sent_kept[i] = ok
        for r in ex.relations:
            rel += 1
            cue_toks = _token_sets(ex.doc, r.cue)
            content = _token_sets(ex.doc, r.content)
            if cue_toks:
                rel_cue += 1
                cue_lost += not any(sent_kept.get(i) for i in cue_toks)
            tok += len(content)
            tok_lost += sum(1 for i in content if not sent_kept.get(i))
    print(f"sentences tagged: {kept} of {sents} ({kept / sents:.1%}); relations {rel}, with a cue {rel_cue}; "
          f"cue in an untagged sentence: {cue_lost} ({cue_lost / max(rel_cue, 1):.1%}); "
          f"content tokens in untagged sentences: {tok_lost} of {tok} ({tok_lost / max(tok, 1):.1%})")


def template_of(feature: str) -> str:
    """The template a feature string comes from: its name before "=" ("acd" of "acd=nsubj|...")."""
    return feature.split("=", 1)[0]


def template_weights(examples, model: Path) -> list[tuple[str, float, float, float]]:
    """What each feature template of ``model`` is worth and costs on ``examples``: (template, the
    sum of its weights' absolute values in the model, its firings' spread over labels a token
    (the largest minus the smallest weight of each firing string, summed), the strings it adds a
    token), by spread, largest first. Read from ``crfsuite``'s dump of the model (python-crfsuite's
    ``Tagger.info()`` cannot parse features holding a space)."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    weights: dict[str, dict[str, float]] = collections.defaultdict(dict)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "model.txt"
        tagger.dump(str(dump))
        text = dump.read_text(encoding="utf-8")
        state = text[text.index("STATE_FEATURES = {"):]  # not the TRANSITIONS between labels before it
        for line in state.splitlines():
            m = re.match(r"  \(\d+\) (.*) --> (\S+): (\S+)$", line)
            if m:
                weights[m.group(1)][m.group(2)] = float(m.group(3))
    labels = tagger.labels()
    total: dict[str, float] = collections.Counter()
    for feature, by_label in weights.items():
        total[template_of(feature)] += sum(map(abs, by_label.values()))
    spread: dict[str, float] = collections.Counter()
    fired: dict[str, int] = collections.Counter()
    tokens = 0
    for feats, _ in sequences(examples):
        tokens += len(feats)
        for token in feats:
            for feature in token:
                name = template_of(feature)
                fired[name] += 1
                w = weights.get(feature)
                if w:
                    vals = [w.get(lab, 0.0) for lab in labels]
                    spread[name] += max(vals) - min(vals)
    names = set(total) | set(fired)
    rows = [(name, total[name], spread[name] / max(tokens, 1), fired[name] / max(tokens, 1)) for name in names]
    return sorted(rows, key=lambda r: (-r[2], r[0]))


def check(examples, shipped: Path, iterations: int) -> int:
    """Rebuild the CRF and the trigger lemmas into a temporary folder and compare them with the
    shipped files byte for byte; returns the exit code (0: both identical)."""
    differ = []
    with tempfile.TemporaryDirectory() as tmp:
        triggers = Path(tmp) / "triggers.json"
        write_triggers(examples, triggers)
        if triggers.read_bytes() != learned.triggers_path().read_bytes():
            differ.append(str(learned.triggers_path()))
        # the features read the shipped trigger lemmas (the sentence filter): rebuilt ones that
        # differ make a different CRF too, reported above
        out = Path(tmp) / "check.crfsuite"
        train(examples, out, {**PARAMS, "max_iterations": iterations})
        digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
        if not shipped.is_file() or out.read_bytes() != shipped.read_bytes():
            differ.append(f"{shipped} (rebuilt: sha256 {digest})")
    for name in differ:
        print(f"{name}: the rebuild differs; rebuild it with this script (without --check) and commit it")
    if not differ:
        print(f"{shipped} and {learned.triggers_path()}: the rebuild is identical (sha256 {digest})")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=learned.model_path())
    ap.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    ap.add_argument("--no-triggers", dest="triggers", action="store_false",
                    help="keep the shipped trigger lemmas (default: rewrite them from the training texts first)")
    ap.add_argument("--coverage", action="store_true", help="count what the sentence filter loses, then stop")
    ap.add_argument("--cv", type=int, default=0, help="cross-validate the --grid over N folds of the training texts")
    ap.add_argument("--grid", nargs="*", default=["1,0.01", "2,0.01"], help="c1,c2 pairs for --cv")
    ap.add_argument("--fold", type=int, action="append", help="only these folds (default: all)")
    ap.add_argument("--check", action="store_true",
                    help="rebuild into a temporary folder; exit 1 if the CRF or the triggers differ from the shipped files")
    ap.add_argument("--phrase-features", action="store_true",
                    help="train with the noun-phrase templates gov/govt (learned.PHRASE_FEATURES; off: not shipped)")
    ap.add_argument("--phrase-relations", action="store_true",
                    help="train with the noun-phrase template govt only (learned.PHRASE_LEMMAS off)")
    ap.add_argument("--cue-object", action="store_true",
                    help="train with the template ta, the relation under the nearest cue word "
                         "(learned.CUE_OBJECT_FEATURES; off: not shipped)")
    ap.add_argument("--weights", type=Path, metavar="MODEL",
                    help="print what each feature template of MODEL weighs and costs on the training texts, then stop")
    args = ap.parse_args(argv)
    learned.PHRASE_FEATURES = args.phrase_features or args.phrase_relations
    learned.PHRASE_LEMMAS = not args.phrase_relations
    learned.CUE_OBJECT_FEATURES = args.cue_object

    t0 = time.perf_counter()
    examples = polnear_data.load_split("train", part="fit")
    print(f"{len(examples)} training texts ({time.perf_counter() - t0:.0f} s to load)", file=sys.stderr)
    if args.weights:
        print(f"{'template':<10} {'sum |w|':>8} {'spread a token':>14} {'strings a token':>15}")
        for name, total, spread, fired in template_weights(examples, args.weights):
            print(f"{name:<10} {total:8.1f} {spread:14.3f} {fired:15.3f}")
        return 0
    if args.coverage:
        if args.triggers:
            write_triggers(examples, learned.triggers_path())
        coverage(examples)
        return 0
    if args.cv:
        for fold in args.fold or range(args.cv):
            fit = [ex for ex in examples if fold_of(ex.stem, args.cv) != fold]
            held = [ex for ex in examples if fold_of(ex.stem, args.cv) == fold]
            for pair in args.grid:
                c1, c2 = (float(x) for x in pair.split(","))
                with tempfile.TemporaryDirectory() as tmp:
                    out = Path(tmp) / "cv.crfsuite"
                    t1 = time.perf_counter()
                    train(fit, out, {**PARAMS, "c1": c1, "c2": c2, "max_iterations": args.iterations})
                    p, r, f1, tp, n_pred, n_gold = content_f1(held, out)
                    print(f"cv fold {fold}/{args.cv} ({len(fit)} fit, {len(held)} held) c1={c1} c2={c2}: "
                          f"content P {p:.3f} R {r:.3f} F1 {f1:.4f} ({tp} of {n_pred} predicted, {n_gold} gold; "
                          f"{time.perf_counter() - t1:.0f} s)", flush=True)
        return 0
    if args.check:
        return check(examples, args.out, args.iterations)
    if args.triggers:
        print(f"{write_triggers(examples, learned.triggers_path())} trigger lemmas -> {learned.triggers_path()}")
    t1 = time.perf_counter()
    n_seq, n_tok = train(examples, args.out, {**PARAMS, "max_iterations": args.iterations})
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()[:16]
    print(f"{n_seq} sentences, {n_tok} tokens; trained in {time.perf_counter() - t1:.0f} s -> {args.out} "
          f"({args.out.stat().st_size / 1e6:.2f} MB, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
