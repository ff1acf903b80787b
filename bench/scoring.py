"""The one content scorer of the PolNeAR benches (``bench/quotes.py``, ``bench/attribution_model.py``)
and of the CRF trainer's cross-validation (``training/train_span_tagger.py --cv``).

They score predicted contents against PolNeAR's gold contents the same way, so that the same
predictions give the same figure in each (this module imports nothing of the repository's, so
``training/`` and ``bench/`` both import it without a cycle; the one copy of the matching):

- texts are cut into word tokens (``\\w+``) of the **raw** text (brat offsets); a span is the set
  of token positions it covers (:class:`Tokens`), so punctuation and quote marks do not count;
- a gold content is the relation's content pieces, all of them (:func:`gold_contents`);
- a prediction is a quote's raw-text span, or its parts when it has them (a split quote covers
  its quoted pieces, not the "he said" between them); a social-media post is not scored, nor is
  a partial quote inside a predicted reported clause ('he led a "grubby government"', one PolNeAR
  relation) (:func:`prediction_spans`);
- predictions lying 80 %+ inside one gold content of several pieces (a split quote '"A," he
  said. "B."' or a broken quote, one relation) are merged into one before matching, so the second
  piece is not counted spurious (:func:`merge_split_contents`);
- gold and predictions are paired one-to-one, best overlap first (``|G & P| / max(|G|, |P|)``),
  among pairs at or above the threshold (:func:`match`; :func:`score_contents` does all of it).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

WORD = re.compile(r"\w+")


class Tokens:
    """Word-token positions of one text, for turning character spans into token sets.

    >>> Tokens('"A," he said.').positions([(0, 4)])
    frozenset({0})
    """

    def __init__(self, text: str) -> None:
        self.spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
        self.starts = [s for s, _ in self.spans]
        self.ends = [e for _, e in self.spans]

    def positions(self, spans: Iterable[tuple[int, int]]) -> frozenset[int]:
        """The positions of the tokens that overlap any of ``spans`` (character (start, end) pairs)."""
        out: set[int] = set()
        for s, e in spans:
            i = bisect.bisect_right(self.ends, s)  # first token ending after s
            j = bisect.bisect_left(self.starts, e)  # first token starting at/after e
            out.update(range(i, j))
        return frozenset(out)


def overlap(gold: set | frozenset, pred: set | frozenset) -> float:
    """Shared token positions over the size of the longer of the two spans (0.0 when either is empty).

    >>> overlap({1, 2, 3, 4}, {3, 4})
    0.5
    """
    if not gold or not pred:
        return 0.0
    return len(gold & pred) / max(len(gold), len(pred))


def match(gold: list, pred: list, threshold: float, score=overlap) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), best score first, among scores >= threshold.

    Ties go to the lower gold index, then the lower predicted index.

    Args:
        gold, pred: items to pair.
        threshold: the lowest score that counts as a match (must be > 0).
        score: ``score(gold_item, pred_item) -> float`` (default :func:`overlap` of token sets).
    Returns:
        The pairs, sorted by gold index.
    """
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            s = score(g, p)
            if s >= threshold and s > 0:
                cands.append((-s, gi, pi))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def raw_span(article, start: int | None, end: int | None) -> tuple[int, int] | None:
    """The raw-text (start, end) of a clean-text span of ``article``, or None for no span."""
    if start is None or end is None or end <= start:
        return None
    return article.to_raw(start), article.to_raw(end - 1) + 1


def gold_contents(relations: Sequence[dict], toks: Tokens) -> tuple[list[frozenset[int]], list[int]]:
    """The gold contents of PolNeAR relations (raw-text pieces, as brat gives them) as token sets.

    Args:
        relations: dicts with a ``content`` list of raw (start, end) pieces.
        toks: the raw text's tokens.

    Returns:
        (one token set per relation, the indices of the relations whose content has several pieces).
    """
    contents = [toks.positions(r["content"]) for r in relations]
    return contents, [gi for gi, r in enumerate(relations) if len(r["content"]) > 1]


def prediction_spans(article, quotes, toks: Tokens) -> tuple[list, list[frozenset[int]], int]:
    """The scored predictions of one article and their raw-text token sets.

    Args:
        article: the ``Article`` the quotes were extracted from (``to_raw`` maps its offsets).
        quotes: its quotes, every kind.
        toks: the raw text's tokens.

    Returns:
        (the scored quotes, their token sets, the number of partial quotes left out because they
        lie inside a predicted reported clause).
    """
    reported = [(q.start, q.end) for q in quotes if q.kind == "indirect"]
    kept, spans, nested = [], [], 0
    for q in quotes:
        if q.kind == "post":
            continue
        if q.kind == "partial" and any(s <= q.start and q.end <= e + 2 for s, e in reported):
            nested += 1  # 'he led a "grubby government"': one PolNeAR relation, not two
            continue
        if getattr(q, "parts", None):
            pieces = [raw_span(article, a, b) for a, b in q.parts]
            positions = toks.positions([p for p in pieces if p])
        else:
            raw_start, raw_end = getattr(q, "raw_start", None), getattr(q, "raw_end", None)
            span = (raw_start, raw_end) if raw_start is not None and raw_end else raw_span(article, q.start, q.end)
            if span is None:
                continue
            positions = toks.positions([span])
        kept.append(q)
        spans.append(positions)
    return kept, spans, nested


def merge_split_contents(split: Iterable[int], gold: Sequence[frozenset[int]],
                         pred: Sequence[frozenset[int]]) -> tuple[list[frozenset[int]], list[list[int]]]:
    """Predictions with the pieces of one discontinuous gold content merged into one.

    PolNeAR annotates a split quote (``"A," he said, "B."``) as one relation whose content has
    several pieces; an extractor returning each piece as its own quote found the same thing.
    Predictions lying 80 %+ inside the tokens of such a multi-piece gold content are merged.

    Args:
        split: indices of the gold contents that have several pieces.
        gold: the gold contents' token sets.
        pred: the predictions' token sets.

    Returns:
        (the merged predictions, for each the indices into ``pred`` it is made of, in order:
        an unmerged prediction is its own group; a merged one comes last).
    """
    content = list(pred)
    groups = [[i] for i in range(len(pred))]
    for gi in split:
        g = gold[gi]
        inside = [i for i, p in enumerate(content) if p and len(p & g) >= 0.8 * len(p)]
        if len(inside) < 2:
            continue
        keep = [i for i in range(len(content)) if i not in inside]
        union = frozenset().union(*(content[i] for i in inside))
        merged_group = [k for i in inside for k in groups[i]]
        content = [content[i] for i in keep] + [union]
        groups = [groups[i] for i in keep] + [merged_group]
    return content, groups


@dataclass
class ContentScore:
    """The content matching of one article at one threshold."""

    pairs: list[tuple[int, int]]  # (gold index, index into ``pred``)
    pred: list[frozenset[int]]  # the scored predictions: split pieces merged
    groups: list[list[int]]  # for each scored prediction, the indices of the input predictions in it
    gold: int  # the number of gold contents

    @property
    def merged_away(self) -> int:
        """How many input predictions were merged into another piece of a split gold content."""
        return sum(len(g) - 1 for g in self.groups)


def score_contents(gold: Sequence[frozenset[int]], split: Iterable[int], pred: Sequence[frozenset[int]],
                   threshold: float = 0.3) -> ContentScore:
    """Match one article's predicted contents to its gold contents, split pieces merged first.

    Args:
        gold: the gold contents' token sets (:func:`gold_contents`).
        split: indices of the gold contents in several pieces.
        pred: the predictions' token sets (:func:`prediction_spans`).
        threshold: the lowest overlap that counts as a match.

    Returns:
        The pairs and the predictions as scored; true positives ``len(pairs)``, predicted
        ``len(pred)``, gold ``gold``.
    """
    merged, groups = merge_split_contents(split, gold, pred)
    return ContentScore(match(list(gold), merged, threshold), merged, groups, len(gold))
