"""Rebuild newstrace's attribution CRF (src/newstrace/data/attribution_crf.crfsuite) from PolNeAR train.

Data recipe: ``training/polnear_data.py`` (PolNeAR train minus the blind 10 %, one annotator per
text, newstrace's clean stage and spaCy parse). Sequences are sentences in sorted order of the
text's stem; features are :func:`newstrace.extract.learned.sentence_features`; labels BIO over
Source, Cue and Content (:func:`newstrace.extract.learned.token_labels`). The trainer is L-BFGS
(deterministic), so the same corpus and spaCy model give the same file, byte for byte.

Usage::

    PYTHONPATH=src .venv/bin/python training/train_span_tagger.py [--out PATH] [--iterations N]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import polnear_data  # noqa: E402

from newstrace.extract import learned  # noqa: E402

PARAMS = {"c1": 1.0, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True,
          "feature.minfreq": 3}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=learned.model_path())
    ap.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    args = ap.parse_args(argv)
    import pycrfsuite

    t0 = time.perf_counter()
    examples = polnear_data.load_split("train", part="fit")
    print(f"{len(examples)} training texts ({time.perf_counter() - t0:.0f} s to load)", file=sys.stderr)
    trainer = pycrfsuite.Trainer(verbose=False)
    n_seq = n_tok = 0
    for ex in examples:
        for sent in ex.doc.sents:
            trainer.append(learned.sentence_features(sent), learned.token_labels(sent, ex.relations))
            n_seq += 1
            n_tok += len(sent)
    trainer.set_params({**PARAMS, "max_iterations": args.iterations})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    t1 = time.perf_counter()
    trainer.train(str(args.out))
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()[:16]
    print(f"{n_seq} sentences, {n_tok} tokens; trained in {time.perf_counter() - t1:.0f} s -> {args.out} "
          f"({args.out.stat().st_size / 1e6:.2f} MB, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
