"""Rebuild bbc_links.tsv: the gold link kind of every pooled pair of the BBC sample.

Run once by hand (``python tests/gold/linking/build_bbc_links.py /work/shared/corpus``); the
output is checked in. The rule is independent of newstrace's own aligner (character-level
difflib ratios, not weighted word overlap), see README.md:

* duplicate: 3-word-shingle Jaccard >= 0.6 (the same text, lightly edited);
* derived: otherwise, >= 3 sentences of one with a difflib ratio >= 0.8 to a sentence of the
  other, and these are >= 20% of the shorter article's sentences or >= 5 (paragraphs re-used
  at length, BBC's own habit with background paragraphs);
* same-story: otherwise, both in one hand-judged story (bbc_stories.tsv);
* none: otherwise.

Pool: every pair inside a hand-judged story, plus every pair with 3-shingle Jaccard >= 0.05
(MinHash LSH at 0.3 and exact check), plus pooled_pairs.tsv (pairs any newstrace version
proposed while the set was built).
"""

from __future__ import annotations

import difflib
import itertools
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_TOK = re.compile(r"[a-z0-9]+")
_SENT = re.compile(r"(?<=[.!?])[\"')]*\s+(?=[\"(]*[A-Z0-9])|\n\s*\n")


def read(corpus: Path, name: str) -> str:
    return (corpus / "bbc" / f"{name}.txt").read_text(encoding="latin-1")


def shingles(text: str) -> set[str]:
    t = _TOK.findall(text.lower())
    return {" ".join(t[i:i + 3]) for i in range(len(t) - 2)}


def sentences(text: str) -> list[str]:
    body = text.partition("\n")[2]
    return [s.strip().lower() for s in _SENT.split(body) if len(s.split()) >= 6]


def shared_sentences(a: str, b: str) -> tuple[int, int]:
    """Sentences of the shorter text with a near-copy in the other, and the shorter's length."""
    sa, sb = sentences(a), sentences(b)
    if len(sa) > len(sb):
        sa, sb = sb, sa
    n = 0
    for x in sa:
        for y in sb:
            sm = difflib.SequenceMatcher(a=x, b=y, autojunk=False)
            if sm.real_quick_ratio() >= 0.8 and sm.quick_ratio() >= 0.8 and sm.ratio() >= 0.8:
                n += 1
                break
    return n, len(sa)


def main(corpus: Path) -> None:
    sample = HERE.joinpath("bbc_sample.txt").read_text().split()
    story = {}
    for line in HERE.joinpath("bbc_stories.tsv").read_text().splitlines():
        if line and not line.startswith("#"):
            key, members = line.split("\t")
            for m in members.split():
                story[m] = key
    texts = {n: read(corpus, n) for n in sample}
    sh = {n: shingles(t) for n, t in texts.items()}
    pool = set()
    for a, b in itertools.combinations(sample, 2):
        if a in story and story.get(a) == story.get(b):
            pool.add((a, b))
        elif len(sh[a] & sh[b]) / max(len(sh[a] | sh[b]), 1) >= 0.05:
            pool.add((a, b))
    extra = HERE / "pooled_pairs.tsv"
    if extra.exists():
        for line in extra.read_text().splitlines():
            if line and not line.startswith("#"):
                a, b = sorted(line.split("\t")[:2])
                if a in texts and b in texts:
                    pool.add((a, b))
    rows = []
    for a, b in sorted(pool):
        jac = len(sh[a] & sh[b]) / max(len(sh[a] | sh[b]), 1)
        shared, shorter = shared_sentences(texts[a], texts[b])
        if jac >= 0.6:
            kind = "duplicate"
        elif shared >= 3 and (shared >= 0.2 * shorter or shared >= 5):
            kind = "derived"
        elif a in story and story.get(a) == story.get(b):
            kind = "same-story"
        else:
            kind = "none"
        rows.append(f"{a}\t{b}\t{kind}\t{jac:.3f}\t{shared}")
    out = HERE / "bbc_links.tsv"
    out.write_text("# a\tb\tkind\tjaccard3\tshared_sentences (built by build_bbc_links.py)\n" + "\n".join(rows) + "\n")
    print(f"{len(rows)} pairs -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/corpus"))
