"""PolNeAR full-name speaker misses by cause (issue 15 §5: "full name right" of ``bench/quotes.py``).

The first figure of ``bench/quotes.py`` ("full name right": the predicted speaker's canonical name
key equals the gold person's, a surname the article gives two full names not scored) is recomputed
here per matched content, and each miss is put in a cause found automatically: the shape of the miss
(:func:`quotes.full_miss_shape`), the predicted quote's kind, whether a speaker was found at all,
whether the gold surname has an inner capital or apostrophe ("McKeague", "O'Rourke"), and the
predicted speaker's kind.

On PolNeAR train (the blind 10 % left out) each miss is listed with its text, to write rules from;
PolNeAR dev is measured only, so ``--dev-counts`` prints the counts by cause and never a text.

Usage::

    .venv/bin/python bench/fullname_misses.py --train N        # list train misses (N documents, 0 = all)
    .venv/bin/python bench/fullname_misses.py --dev-counts     # dev: counts by cause only
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quotes as qb  # noqa: E402  (bench/quotes.py: the scorer this figure comes from)

_INNER = re.compile(r"[a-z][A-Z]|['\u2019][A-Z]")


def _causes(gold: tuple[str, ...], q, raw_surname: str, doc=None, text: str = "") -> list[str]:
    said = qb.name_words(" ".join(filter(None, (q.speaker, q.speaker_mention))))
    shape = qb.full_miss_shape(gold, qb.name_key(q.speaker), said)
    out = [f"shape: {shape}", f"shape/kind: {shape} / {q.kind}",
           f"speaker kind: {q.speaker_kind if q.speaker else 'none'}"]
    if _INNER.search(raw_surname):
        out.append(f"inner capital surname: {shape}")
    if q.speaker and any(w in ("prince", "king", "lord", "duke", "earl", "queen", "sir", "dame")
                         for w in q.speaker.lower().split()):
        out.append(f"noble word in speaker: {shape}")
    if q.speaker is None and q.kind == "direct" and doc is not None:
        out.append("direct quote, no speaker: " + _frame_shape(doc, text, q))
    return out


def _frame_shape(doc, text: str, q) -> str:
    # the frame around a quote as coarse parts of speech only (no word: dev is counted, never read):
    # the quote's last character, then up to 4 tags before the opening mark and after the closing one
    # within the paragraph ("|" a paragraph break)
    end = max([q.end] + [b for _, b in (q.parts or [])])
    start = min([q.start] + [a for a, _ in (q.parts or [])])
    last = text[start:end].rstrip()[-1:] or "?"
    before = [t for t in doc if t.idx + len(t.text) <= start][-5:]
    after = [t for t in doc if t.idx >= end][:5]
    # a verb's word shape too ("Xxxxx", "—Xxxxx": a dash glued to a name the tagger calls a verb)
    tag = lambda t: "|" if "\n" in t.text else ("Q" if t.is_quote else t.pos_ + (  # noqa: E731
        f"({t.shape_})" if t.pos_ == "VERB" else ""))
    return f"[{' '.join(map(tag, before))}] ...{last} [{' '.join(map(tag, after))}]"


def run(split: str, limit: int | None, *, counts_only: bool) -> tuple[Counter, list[str], list[int]]:
    mods = qb.load_stages()
    from newstrace.nlp import load_nlp
    nlp = load_nlp()
    docs = qb.polnear_docs(split, None if split == "train" else limit)
    if split == "train":  # the blind split is scored, never read for errors
        docs = [(t, a) for t, a in docs if not qb.is_blind(t.stem)]
        if limit and limit < len(docs):
            step = len(docs) / limit
            docs = [docs[int(i * step)] for i in range(limit)]
    causes: Counter = Counter()
    lines: list[str] = []
    tally = [0, 0]
    for text_path, ann_path in docs:
        text = text_path.read_text(encoding="utf-8")
        rels = qb.read_brat(ann_path)
        article, doc, quotes, _, _, _ = qb._process(mods, nlp, qb._raw_article(text, str(text_path)),
                                                    text_path.name, [], lambda *_: None)
        toks = qb.Tokens(text)
        g_content, multi = qb.gold_contents(rels, toks)
        scored, p_content, _ = qb.prediction_spans(article, quotes, toks)
        scores = qb.score_contents(g_content, multi, p_content, 0.3)
        firsts = [scored[group[0]] for group in scores.groups]
        raw_starts, raw_toks = qb._raw_tokens(article, doc)
        mentions = qb.article_person_mentions(doc)
        names = [w for _, w in mentions]
        for gi, pi in scores.pairs:
            r = rels[gi]
            in_src = [raw_toks[k] for k, rs in enumerate(raw_starts) for a, b in r.get("source") or [] if a <= rs < b]
            person = qb.gold_person(in_src) if in_src else None
            gold = qb.gold_full_name(person, names) if person else None
            if not gold or gold == "?":
                continue
            q = firsts[pi]
            tally[1] += 1
            if qb.name_key(q.speaker) == gold:
                tally[0] += 1
                continue
            for c in _causes(gold, q, person[0].text, doc, article.text):
                causes[c] += 1
            if not counts_only:
                src = " ".join(text[a:b] for a, b in r["source"]).replace("\n", " ")
                cue = " ".join(text[a:b] for a, b in r.get("cue") or []).replace("\n", " ")
                body = " ".join(text[a:b] for a, b in r["content"]).replace("\n", " ")
                lines.append(f"{text_path.name}: gold {' '.join(gold)} [{src}] cue [{cue}] <- {q.speaker!r} "
                             f"(mention {q.speaker_mention!r}, {q.speaker_kind}, {q.kind}, cue {q.cue!r})\n"
                             f"    content: {body[:160]}")
    return causes, lines, tally


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--train", type=int, metavar="N", help="list the misses of N train documents (0 = all)")
    g.add_argument("--dev-counts", action="store_true", help="dev: counts by cause only, no text")
    args = ap.parse_args(argv)
    split = "dev" if args.dev_counts else "train"
    causes, lines, (ok, of) = run(split, None if args.dev_counts else (args.train or None),
                                  counts_only=args.dev_counts)
    print(f"PolNeAR {split}: full name right {ok}/{of} ({ok / of:.3f})" if of else f"PolNeAR {split}: nothing scored")
    for line in lines:
        print(line)
    for cause, n in sorted(causes.items()):
        print(f"  {cause}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
