"""Count the CRF's missed gold contents and its spurious contents by shape, on PolNeAR train (fit part).

The analysis behind the learned layer's noun-phrase work (issue 15 §4): which gold contents the
CRF's Content runs miss (at 0.3 overlap, scored by ``bench/scoring.py``) by length in words, by
shape (noun phrase or clause, from the parse root of the gold span) and by the kind of its gold cue
(verb, noun, other), and whether a run too short to be kept (shorter than ``--min``) lay on it;
and the runs that match no gold content, by the same shapes. Only the training texts (PolNeAR train
minus the blind split, :func:`polnear_data.load_split` ``part="fit"``) are read: never dev or the
blind split. With ``--cv-fold K`` a model trained on the other folds of ``--cv N`` is analysed on
fold K (the shipped model has seen every training text, so its misses there are the ones it
cannot even fit).

Usage::

    PYTHONPATH=src .venv/bin/python training/content_shapes.py [--model PATH] [--min 2] [--examples 20]
    PYTHONPATH=src .venv/bin/python training/content_shapes.py --cv 2 --cv-fold 0
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

import pycrfsuite

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "training"))
sys.path.insert(0, str(REPO / "bench"))

import polnear_data  # noqa: E402
import scoring  # noqa: E402  (bench/scoring.py: the one content scorer of the benches)
import train_span_tagger  # noqa: E402

from newstrace.extract import learned  # noqa: E402

_NOMINAL = frozenset(("NOUN", "PROPN", "PRON", "NUM"))


def runs(ex, tagger) -> list[tuple[int, int]]:
    """The CRF's Content runs of one example as (start, end) token ranges, punctuation trimmed at
    the edges, every length."""
    out = []
    for sent, feats in learned.tagged_sentences(ex.doc):
        cur = None
        for k, tag in enumerate(tagger.tag(feats) + ["O"]):
            i = sent.start + k
            if cur is not None and (not tag.endswith("Content") or tag.startswith("B")):
                out.append(cur)
                cur = None
            if tag.endswith("Content"):
                cur = (cur[0], i + 1) if cur else (i, i + 1)
    trimmed = []
    for lo, hi in out:
        while lo < hi and (ex.doc[lo].is_punct or ex.doc[lo].is_space):
            lo += 1
        while hi > lo and (ex.doc[hi - 1].is_punct or ex.doc[hi - 1].is_space):
            hi -= 1
        if hi > lo:
            trimmed.append((lo, hi))
    return trimmed


def length_bucket(n: int) -> str:
    return "1" if n == 1 else "2" if n == 2 else "3-5" if n <= 5 else "6-12" if n <= 12 else "13+"


def span_shape(span) -> str:
    """'np' (the root a noun, pronoun or number), 'clause' (a verb or auxiliary root), 'other'."""
    root = span.root
    if root.pos_ in _NOMINAL:
        return "np"
    if root.pos_ in ("VERB", "AUX"):
        return "clause"
    return "other"


def cue_kind(doc, cue_pieces) -> str:
    """'verb', 'noun', 'other' or 'none': the POS of the gold cue's parse root."""
    toks = [t for a, b in cue_pieces for t in (doc.char_span(a, b, alignment_mode="expand") or [])
            if not t.is_punct]
    if not toks:
        return "none"
    root = doc[min(t.i for t in toks):max(t.i for t in toks) + 1].root
    return "verb" if root.pos_ in ("VERB", "AUX") else "noun" if root.pos_ in ("NOUN", "PROPN") else "other"


def relation_to_cue(span, doc, cue_pieces) -> str:
    """The dependency label of the content's root and the cue word it hangs from, when it hangs
    from a cue word within two steps ('dobj<deny', 'pobj<prep<of<claim'), else 'far'."""
    cue_i = {t.i for a, b in cue_pieces for t in (doc.char_span(a, b, alignment_mode="expand") or [])}
    t, path = span.root, [span.root.dep_]
    for _ in range(3):
        if t.head.i in cue_i:
            return "<".join(path) + "<CUE(" + t.head.pos_ + ")"
        if t.head.i == t.i:
            break
        t = t.head
        path.append(t.dep_ if t.pos_ != "ADP" else t.lower_)
    return "far"


def analyse(examples, tagger, min_len: int, show: int) -> None:
    anns = {stem: ann for stem, _, ann in polnear_data.list_docs("train")}
    missed: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    found: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    spurious: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    short_hits = collections.Counter()
    samples: list[str] = []
    tp = n_pred = n_gold = 0
    for ex in examples:
        raw = polnear_data.read_relations(anns[ex.stem])
        toks = scoring.Tokens(ex.article.raw_text)
        gold, multi = scoring.gold_contents(raw, toks)
        all_runs = runs(ex, tagger)
        kept = [r for r in all_runs if r[1] - r[0] >= min_len]
        short = [r for r in all_runs if r[1] - r[0] < min_len]

        def positions(r):
            first, last = ex.doc[r[0]], ex.doc[r[1] - 1]
            span = scoring.raw_span(ex.article, first.idx, last.idx + len(last))
            return toks.positions([span]) if span else frozenset()

        result = scoring.score_contents(gold, multi, [positions(r) for r in kept], 0.3)
        tp += len(result.pairs)
        n_pred += len(result.pred)
        n_gold += result.gold
        hit = {g for g, _ in result.pairs}
        short_pos = [positions(r) for r in short]
        for gi, rel in enumerate(raw):
            clean = polnear_data.to_relations(ex.article, [rel])
            if not clean:
                shape, kind, link, n = "removed", "none", "-", len(gold[gi])
            else:
                c = clean[0].content
                span = ex.doc.char_span(min(a for a, _ in c), max(b for _, b in c), alignment_mode="expand")
                shape = span_shape(span) if span is not None and len(span) else "other"
                kind = cue_kind(ex.doc, clean[0].cue)
                link = relation_to_cue(span, ex.doc, clean[0].cue) if span is not None and len(span) else "-"
                n = len(gold[gi])
            table = found if gi in hit else missed
            for key in (f"len {length_bucket(n)}", f"shape {shape}", f"cue {kind}", f"shape x cue {shape}/{kind}",
                        f"len x shape {length_bucket(n)}/{shape}"):
                table["all"][key] += 1
            if shape == "np":
                table["np"][f"link {link}"] += 1
            if gi not in hit:
                if any(scoring.overlap(gold[gi], p) >= 0.3 for p in short_pos):
                    short_hits[f"short run on it: len {length_bucket(n)}/{shape}/{kind}"] += 1
                if shape == "np" and len(samples) < show and clean:
                    cue = " ".join(ex.article.text[a:b] for a, b in clean[0].cue)
                    samples.append(f"{ex.stem}: [{span.text}] cue [{cue}] {link}")
        for pi, p in enumerate(result.pred):
            if pi in {q for _, q in result.pairs}:
                continue
            idx = result.groups[pi][0]
            lo, hi = kept[idx]
            span = ex.doc[lo:hi]
            spurious["all"][f"len {length_bucket(hi - lo)}"] += 1
            spurious["all"][f"shape {span_shape(span)}"] += 1
    p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
    print(f"runs of {min_len}+ tokens: P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.4f} "
          f"({tp} of {n_pred} predicted, {n_gold} gold)")
    for name, table in (("missed gold", missed), ("found gold", found), ("spurious runs", spurious)):
        for group, counts in sorted(table.items()):
            print(f"\n{name} ({group}):")
            for key, v in sorted(counts.items(), key=lambda kv: (kv[0].split()[0], -kv[1])):
                if v >= 5:
                    print(f"  {key:<40} {v:6d}")
    print("\nmissed gold with a shorter run on it (>= 0.3 overlap):")
    for key, v in short_hits.most_common():
        print(f"  {key:<40} {v:6d}")
    if samples:
        print("\nmissed noun-phrase contents (training texts):")
        print("\n".join(samples))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=learned.model_path())
    ap.add_argument("--min", type=int, default=2, help="shortest run kept, in tokens (run time: 2)")
    ap.add_argument("--examples", type=int, default=0, help="print this many missed noun-phrase contents")
    ap.add_argument("--cv", type=int, default=0, help="folds: train on all but --cv-fold, analyse that fold")
    ap.add_argument("--cv-fold", type=int, default=0)
    args = ap.parse_args(argv)
    examples = polnear_data.load_split("train", part="fit")
    tagger = pycrfsuite.Tagger()
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model
        if args.cv:
            fit = [ex for ex in examples if train_span_tagger.fold_of(ex.stem, args.cv) != args.cv_fold]
            examples = [ex for ex in examples if train_span_tagger.fold_of(ex.stem, args.cv) == args.cv_fold]
            model = Path(tmp) / "cv.crfsuite"
            train_span_tagger.train(fit, model, train_span_tagger.PARAMS)
        tagger.open(str(model))
        analyse(examples, tagger, args.min, args.examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
