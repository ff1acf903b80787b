"""Rebuild newstrace's speaker ranker (src/newstrace/data/speaker_ranker.json) from PolNeAR train.

Data recipe: ``training/polnear_data.py`` (PolNeAR train minus the blind 10 %). For every gold
relation with a source and a cue, the cue's head word (its first verb, else its first noun, else
"according", else its first word) is the cue; the candidates are
:func:`newstrace.extract.learned.speaker_candidates` (noun-phrase heads in the cue's sentence and
the one before, outside the content); the positive candidate is the one inside the gold source
span whose syntactic head lies outside it. Relations whose source has no candidate are skipped.
The model is a logistic regression over
:data:`newstrace.extract.learned.RANKER_FEATURES` (one row a candidate), fitted by full-batch
gradient descent from zero weights with L2 (no randomness), so a rebuild gives the same file.

Usage::

    PYTHONPATH=src .venv/bin/python training/train_speaker_ranker.py [--out PATH] [--blind] [--check]

``--check`` rebuilds in memory and writes nothing: exit code 0 when the result is the file at
``--out`` (the shipped ranker by default) byte for byte, else 1 with a summary of what differs
(features added or dropped, weights that moved and by how much).
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import polnear_data  # noqa: E402

from newstrace.extract import learned  # noqa: E402

L2 = 1e-3
STEPS = 3000
RATE = 0.5


def cue_head(doc, pieces):
    """The head token of a gold cue span (clean-text pieces), or None."""
    toks = [t for s, e in pieces for t in (doc.char_span(s, e, alignment_mode="expand") or [])]
    toks = [t for t in toks if not t.is_punct and not t.is_space]
    for test in (lambda t: t.pos_ == "VERB", lambda t: t.pos_ == "NOUN", lambda t: t.lower_ == "according",
                 lambda t: True):
        hit = next((t for t in toks if test(t)), None)
        if hit is not None:
            return hit
    return None


def relation_rows(ex, quoted, salience):
    """(feature rows, labels) of every usable relation of one example."""
    doc = ex.doc
    out = []
    for r in ex.relations:
        if not r.source or not r.cue:
            continue
        cue = cue_head(doc, r.cue)
        if cue is None:
            continue
        ctoks = [t.i for s, e in r.content for t in (doc.char_span(s, e, alignment_mode="expand") or [])]
        content = (min(ctoks), max(ctoks) + 1) if ctoks else None
        if content and content[0] <= cue.i < content[1]:
            content = None
        # the cue's own words are no candidates: the piece of the gold cue that holds its head
        piece = next((sp for sp in (doc.char_span(s, e, alignment_mode="expand") for s, e in r.cue)
                      if sp is not None and sp.start <= cue.i < sp.end), None)
        cue_range = (piece.start, piece.end) if piece is not None else None
        cands = learned.speaker_candidates(doc, cue.i, content, cue_range)
        inside = [c for c in cands if any(s <= doc[c].idx < e for s, e in r.source)]
        if not inside:
            continue
        pos = next((c for c in inside if not any(s <= doc[c].head.idx < e for s, e in r.source)
                    or doc[c].head.i == c), inside[0])
        rule = learned.cue_subject(cue)
        rows = learned.candidate_features(doc, cands, cue.i, rule.i if rule is not None else None,
                                          quoted, salience)
        out.append((rows, [float(c == pos) for c in cands]))
    return out


def build(examples):
    groups = []
    for ex in examples:
        groups.extend(relation_rows(ex, learned.quoted_tokens(ex.doc), learned.mention_salience(ex.doc)))
    return groups


def fit(groups) -> np.ndarray:
    x = np.array([row for rows, _ in groups for row in rows], dtype=np.float64)
    y = np.array([lab for _, labs in groups for lab in labs], dtype=np.float64)
    w = np.zeros(x.shape[1])
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) / len(y) + L2 * w
        w -= RATE * grad
    return w


def accuracy(groups, w) -> float:
    ok = 0
    for rows, labs in groups:
        scores = np.array(rows) @ w
        ok += labs[int(np.argmax(scores))] == 1.0
    return ok / len(groups) if groups else 0.0


def rule_accuracy(groups) -> float:
    k = learned.RANKER_FEATURES.index("rule_choice")
    ok = sum(any(row[k] == 1.0 and lab == 1.0 for row, lab in zip(rows, labs)) for rows, labs in groups)
    return ok / len(groups) if groups else 0.0


def diff_summary(shipped: dict, rebuilt: dict, top: int = 5) -> list[str]:
    """Lines saying how a rebuilt ranker differs from the shipped one.

    Args:
        shipped: the shipped file's JSON ({} if there is none).
        rebuilt: the rebuilt model, in the same shape.
        top: how many of the weights that moved most to name.

    Returns:
        One line per difference: features added or dropped, weights moved, other keys changed.
    """
    old = dict(zip(shipped.get("features", []), shipped.get("weights", [])))
    new = dict(zip(rebuilt["features"], rebuilt["weights"]))
    lines = []
    if set(new) - set(old):
        lines.append(f"features not in the shipped file: {', '.join(sorted(set(new) - set(old)))}")
    if set(old) - set(new):
        lines.append(f"features the rebuild has no more: {', '.join(sorted(set(old) - set(new)))}")
    if shipped.get("features") != rebuilt["features"] and set(old) == set(new):
        lines.append("the same features in another order")
    moved = sorted(((abs(new[f] - old[f]), f) for f in set(new) & set(old) if new[f] != old[f]), reverse=True)
    if moved:
        lines.append(f"{len(moved)} of {len(new)} weights differ (largest change {moved[0][0]:.6f}): "
                     + ", ".join(f"{f} {old[f]:+.6f} -> {new[f]:+.6f}" for _, f in moved[:top]))
    for key in sorted((set(shipped) | set(rebuilt)) - {"features", "weights"}):
        if shipped.get(key) != rebuilt.get(key):
            lines.append(f"{key}: {shipped.get(key)!r} -> {rebuilt.get(key)!r}")
    return lines or ["the same model, written otherwise (spacing or rounding)"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(str(resources.files("newstrace") / "data" / learned.RANKER_FILE)))
    ap.add_argument("--blind", action="store_true", help="also print the accuracy on the blind split (a report only)")
    ap.add_argument("--check", action="store_true",
                    help="rebuild in memory; exit 1 with a diff summary if it differs from the file at --out")
    args = ap.parse_args(argv)
    groups = build(polnear_data.load_split("train", part="fit"))
    w = fit(groups)
    print(f"{len(groups)} relations, {sum(len(r) for r, _ in groups)} candidates; train accuracy "
          f"{accuracy(groups, w):.3f} (the grammar rule's choice alone {rule_accuracy(groups):.3f})")
    if args.blind:
        blind = build(polnear_data.load_split("train", part="blind"))
        print(f"blind split (scored, never fitted on): {len(blind)} relations, accuracy {accuracy(blind, w):.3f} "
              f"(the grammar rule's choice alone {rule_accuracy(blind):.3f})")
    model = {"features": list(learned.RANKER_FEATURES), "weights": [round(float(v), 6) for v in w],
             "trained_on": "PolNeAR train minus the blind 10% (training/polnear_data.py)"}
    text = json.dumps(model, indent=1) + "\n"
    if args.check:
        shipped = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if shipped == text:
            print(f"{args.out}: the rebuild is identical")
            return 0
        for line in diff_summary(json.loads(shipped) if shipped else {}, model):
            print(line)
        print(f"{args.out}: the rebuild differs; rebuild it with this script (without --check) and commit it")
        return 1
    args.out.write_text(text, encoding="utf-8")
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
