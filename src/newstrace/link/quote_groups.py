"""Quote groups: the same utterance re-reported across articles (:func:`group_quotes`: keys of rare
words, then similarity, best pairs first), how each wording drifts from the reference one
(:func:`quote_drift`: figures, names, negation, statute citations), and the article pairs that carry
the same quotes (:func:`quote_pairs`). In :func:`~newstrace.link.core.link_articles` quotes are
grouped once the article features are built: the pairs sharing quotes join the candidate pairs
compared by ``copies``, and the groups feed ``provenance``.
"""

from __future__ import annotations

import difflib
import itertools
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from ..models import QuoteGroup
from ..rows import Rows, SortedLookup
from .candidates import Keys, shared_key_blocks
from .features import ArticleDoc
from .text import NUM_RE, STOP, canonical_words, hash_id, normalize, stem_of, tokens
from .unionfind import UnionFind


_NEG = {"not", "no", "never", "n't", "none", "nobody", "nothing", "neither", "nor", "without", "cannot"}
_CAP_RE = re.compile(r"\b[A-Z][a-zA-Z'\-]+")


def _negations(text: str) -> int:
    toks = tokens(text)
    return sum(1 for t in toks if t in _NEG or t.endswith("n't"))


def _names(text: str) -> set[str]:
    # capitalised words that are not the first word of a sentence
    out = set()
    for m in _CAP_RE.finditer(normalize(text)):
        before = text[:m.start()].rstrip()
        if not before or before[-1] in ".!?\"'“‘:—-(":
            continue
        w = m.group(0).lower()
        if w in STOP or w in ("i", "i'm", "i've", "i'll", "i'd"):
            continue
        out.add(w)
    return out


def _numbers(text: str) -> list[str]:
    return [t.replace(",", "") for t in tokens(text) if NUM_RE.match(t)]


def quote_drift(reference: str, variant: str) -> dict[str, Any]:
    """Meaning-changing differences of a quote variant against its reference wording.

    Args:
        reference: the reference wording.
        variant: another article's wording of the same utterance.
    Returns:
        ``{"drift": bool, "figures": [...], "names": [...], "negation": str|None,
        "statute": str|None, "diff": [...]}``; ``figures`` lists number changes as "old -> new",
        ``diff`` the word-level edit as ``{"op": "eq"|"del"|"ins", "text"}`` pieces.

    >>> d = quote_drift("not subject to a Title 8 USC 1326 case", "not the subject of a USC 826 Title 8 case")
    >>> d["drift"], d["figures"], d["statute"]
    (True, ['1326 -> 826'], 'title 8 usc 1326 -> usc 826 title 8')
    """
    diff = _word_diff(reference, variant)
    reference = _crop_to_variant(reference, variant)
    na, nb = Counter(_numbers(reference)), Counter(_numbers(variant))
    gone = sorted((na - nb).elements(), key=lambda x: reference.find(x))
    new = sorted((nb - na).elements(), key=lambda x: variant.find(x))
    figures = []
    for i in range(max(len(gone), len(new))):
        old = gone[i] if i < len(gone) else "(none)"
        nw = new[i] if i < len(new) else "(none)"
        figures.append(f"{old} -> {nw}")
    ca, cb = _names(reference), _names(variant)
    # a name counts as changed only when it is missing from the other wording altogether
    ta, tb = set(tokens(reference)), set(tokens(variant))
    names = sorted([f"-{n}" for n in ca if n not in tb] + [f"+{n}" for n in cb if n not in ta])
    neg_a, neg_b = _negations(reference), _negations(variant)
    negation = None
    if (neg_a % 2) != (neg_b % 2):
        negation = f"{neg_a} -> {neg_b} negations"
    ka, kb = statute_key(reference), statute_key(variant)
    statute = f"{ka or '(none)'} -> {kb or '(none)'}" if ka != kb else None
    drift = bool(figures or names or negation or statute)
    return dict(drift=drift, figures=figures, names=names, negation=negation, statute=statute, diff=diff)


def _crop_to_variant(reference: str, variant: str) -> str:
    """The part of a longer reference that the (shorter) variant covers, so a trimmed quote is
    compared with the words it trims to, not with sentences it never carried."""
    a, b = re.findall(r"\S+", normalize(reference)), re.findall(r"\S+", normalize(variant))
    if len(b) >= 0.8 * len(a):
        return reference
    na = [re.sub(r"[\W_]+", "", t.lower()) for t in a]
    nb = [re.sub(r"[\W_]+", "", t.lower()) for t in b]
    blocks = [m for m in difflib.SequenceMatcher(a=na, b=nb, autojunk=False).get_matching_blocks() if m.size]
    if not blocks:
        return reference
    first, last = blocks[0], blocks[-1]
    lo = max(0, first.a - first.b)  # extend by the variant's unmatched words on either side
    hi = min(len(a), last.a + last.size + (len(b) - last.b - last.size))
    return " ".join(a[lo:hi])


_STATUTE_WORDS = {"title", "usc", "section", "sec", "chapter", "cfr", "article", "paragraph", "subsection", "rule"}


def statute_key(text: str) -> str:
    """The legal citation a text makes, in written order: statute words next to a number
    ("Title 8 USC 1326" -> "title 8 usc 1326"); empty when there is none."""
    toks = tokens(normalize(text).replace("§", " section ").replace("U.S.C.", "USC").replace("U.S.C", "USC"))
    keep: set[int] = set()
    for i, t in enumerate(toks):
        if t in _STATUTE_WORDS:
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(toks) and NUM_RE.match(toks[j])]
            if near:
                keep.add(i)
                keep.update(near)
    return " ".join(toks[i] for i in sorted(keep))


def _word_diff(reference: str, variant: str) -> list[dict[str, str]]:
    a, b = re.findall(r"\S+", normalize(reference)), re.findall(r"\S+", normalize(variant))
    na = [re.sub(r"[\W_]+", "", t.lower()) for t in a]
    nb = [re.sub(r"[\W_]+", "", t.lower()) for t in b]
    sm = difflib.SequenceMatcher(a=na, b=nb, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(dict(op="eq", text=" ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(dict(op="del", text=" ".join(a[i1:i2])))
        if j2 > j1:
            out.append(dict(op="ins", text=" ".join(b[j1:j2])))
    return out


@dataclass(eq=False)
class _QFeat:
    toks: list[str]
    stems: list[str]
    content: set[str]
    joined: str


def _qfeat(text: str) -> _QFeat:
    toks = tokens(text)
    stems = [stem_of(t) for t in toks]
    content = {st for t, st in zip(toks, stems) if t not in STOP and (len(t) > 2 or t.isdigit())}
    return _QFeat(toks, stems, content, " ".join(toks))


def _quote_similarity(a: str, b: str) -> float:
    """How likely two wordings are the same utterance.

    Args:
        a: one wording.
        b: another wording.
    Returns:
        1.0 for the same words, 0.97 when one trims the other, else a 0-1 blend of stemmed-word
        alignment, shared content words and character similarity (0 with < 2 content words shared).

    >>> _quote_similarity("I am 100 percent against it", "I am 100 percent against it, he said")
    0.97
    """
    return _qsim(_qfeat(a), _qfeat(b))


def pack_quote_words(n_tokens: int, content: Iterable[str], joined: str) -> str:
    """What :func:`group_quotes` reads of a quote before comparing it (``link_quote_words.words``):
    its number of words, its content words (sorted) and, for a quote of fewer than four words,
    the words themselves."""
    return f"{n_tokens}\x1e" + "\x1f".join(sorted(content)) + "\x1e" + (joined if n_tokens < 4 else "")


def unpack_quote_words(packed: str) -> tuple[int, list[str], str]:
    """What :func:`pack_quote_words` packed: number of words, content words, short quote's words."""
    n, content, joined = packed.split("\x1e")
    return int(n), (content.split("\x1f") if content else []), joined


def _qsim(fa: _QFeat, fb: _QFeat) -> float:
    if not fa.toks or not fb.toks:
        return 0.0
    if fa.toks == fb.toks:
        return 1.0
    if len(fa.toks) == len(fb.toks):  # symmetric: score both ways
        return max(_directed_similarity(fa, fb), _directed_similarity(fb, fa))
    return _directed_similarity(*((fa, fb) if len(fa.toks) < len(fb.toks) else (fb, fa)))


def _directed_similarity(short: _QFeat, long_: _QFeat) -> float:
    if len(short.toks) >= 5 and f" {short.joined} " in f" {long_.joined} ":
        return 0.97  # trimmed
    cs, cl = short.content, long_.content
    shared = len(cs & cl)
    if shared < 2 or (len(cs) >= 4 and shared < 3):
        return 0.0  # too little content in common to be one utterance
    contain = shared / len(cs)
    sm = difflib.SequenceMatcher(a=short.stems, b=long_.stems, autojunk=False)
    cover = sum(m.size for m in sm.get_matching_blocks()) / len(short.toks)
    if len(long_.toks) > 1.5 * len(short.toks):
        chars = fuzz.partial_ratio(short.joined, long_.joined) / 100  # the shorter against its best window
    else:
        chars = fuzz.ratio(short.joined, long_.joined) / 100
    return round(0.4 * cover + 0.3 * contain + 0.3 * chars, 4)


def group_quotes(quotes: Rows, docs_by_id: dict[str, ArticleDoc], *, threshold: float = 0.72,
                 same_speaker_threshold: float = 0.6, cap: int = 40,
                 stored_scores: Mapping[tuple[str, str], float] | None = None,
                 fresh_scores: list[tuple[str, str, float]] | None = None,
                 stored_groups: Mapping[str, QuoteGroup] | None = None,
                 stored_words: Iterable[tuple[str, str]] | None = None,
                 fresh_words: list[tuple[str, str]] | None = None) -> tuple[list[QuoteGroup], dict[str, int]]:
    """Quote groups, and the row number in ``quotes`` of each grouped quote id.

    The similarity of two quotes depends on their two wordings only: one in ``stored_scores``
    (``(quote id, quote id) -> similarity``, lower id first, from an earlier run) is taken instead of
    being computed again; those computed here are appended to ``fresh_scores`` (issue #16). A group
    depends on its quotes (and their articles' dates) only: one in ``stored_groups`` (by id, a hash
    of its quote ids, from an earlier run of the same code) is taken instead of being made again.
    A quote's words (:func:`pack_quote_words`) in ``stored_words`` (``(quote id, packed)`` in id
    order) are not read from its text again; those read here are appended to ``fresh_words``.
    """
    grouper = _QuoteGrouper(quotes, docs_by_id)
    grouper.stored = stored_scores or {}
    grouper.stored_groups = stored_groups or {}
    grouper.stored_words = stored_words or ()
    grouper.fresh_words = fresh_words if fresh_words is not None else []
    ntoks, short, words, df = grouper.select_quotes()
    keys, nkeys = grouper.rare_word_keys(ntoks, words, df)
    del ntoks, words, df, grouper.content
    matches = grouper.candidate_matches(keys, nkeys, cap=cap, threshold=threshold,
                                        same_speaker_threshold=same_speaker_threshold)
    del keys, nkeys
    uf = UnionFind(len(grouper.usable))
    grouper.join_best_pairs(matches, uf)
    del matches
    grouper.cache.clear()  # word features are not read after the joins
    _join_short_repeats(short, uf)
    n = len(grouper.usable)
    roots = np.fromiter((uf.find(i) for i in range(n)), dtype=np.int64, count=n)
    del uf
    sizes = np.bincount(roots, minlength=n) if n else np.zeros(0, dtype=np.int64)
    members: dict[int, list[int]] = defaultdict(list)  # only groups of two quotes or more
    for i in np.flatnonzero(sizes[roots] >= 2).tolist():
        members[int(roots[i])].append(i)
    out = grouper.make_groups(members)
    if fresh_scores is not None:
        fresh_scores.extend((a, b, s) for (a, b), s in grouper.computed.items())
    return out


class _QuoteGrouper:
    """The steps of :func:`group_quotes` over one table of quotes: the columns they read, the
    usable quotes and a small cache of their word features."""

    def __init__(self, quotes: Rows, docs_by_id: dict[str, ArticleDoc]):
        self.quotes, self.docs_by_id = quotes, docs_by_id
        self.text_col, self.aid_col, self.id_col = quotes.col("text"), quotes.col("article_id"), quotes.col("id")
        self.spk_col, self.par_col = quotes.col("speaker"), quotes.col("parent_id")
        self.usable = array("q")  # row numbers in quote id order (select_quotes); the methods take positions in it
        self.cache: dict[int, _QFeat] = {}
        # each usable quote's content words as word ids (sorted-word order), packed: what the
        # rare-word keys are picked from without tokenising every quote again (select_quotes)
        self.content: tuple[np.ndarray, np.ndarray] = (np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32))
        self.stored: Mapping[tuple[str, str], float] = {}  # quote pair similarities of earlier runs
        self.computed: dict[tuple[str, str], float] = {}  # and those computed in this one
        self.stored_groups: Mapping[str, QuoteGroup] = {}  # groups of earlier runs, by id
        self.stored_words: Iterable[tuple[str, str]] = ()  # quotes' packed words of earlier runs, in id order
        self.fresh_words: list[tuple[str, str]] = []  # and those read in this one

    def select_quotes(self) -> tuple[array, dict[tuple[str, str], list[int]], list[str], list[int]]:
        """Fill ``usable``; return their token counts, short quotes by (speaker, words), and the
        content words (sorted) with how many usable quotes hold each."""
        text_col, aid_col, id_col, spk_col = self.text_col, self.aid_col, self.id_col, self.spk_col
        # quotes nested in a block quote take part: they are the utterances an article re-reports
        # (a block and a quote nested in it never join one group, see join_best_pairs). Quotes are
        # row numbers into the columns, not row dicts (issue #5).
        # A negated or refused report ("did not say whether ...", "declined to say ...",
        # ``quotes.negated``) reports no utterance: it is no re-report of one, so it joins no group
        # and is neither provenance nor copy evidence (issue 15's acts)
        neg_col = self.quotes.col("negated")
        usable_l = sorted((r for r in range(len(self.quotes))
                           if text_col[r] and aid_col[r] in self.docs_by_id and not neg_col[r]),
                          key=lambda r: str(id_col[r]))
        # Word features are recomputed when needed (a small cache serves the sorted candidate pairs)
        # rather than held for every quote: they were ~2.5 KB a quote (issue #5).
        kept = array("q")
        ntoks = array("i")
        # "noble mission" in two articles is one utterance only when the same speaker is credited
        short: dict[tuple[str, str], list[int]] = defaultdict(list)
        # word -> provisional id (order met), renumbered below; a new word takes the next id
        # without leaving C (map over __getitem__, the factory a counter): a Python call per word
        # and a Counter update per quote were 3.5% of a profiled incremental link (issue #16)
        seen: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        cptr, cids = array("q", [0]), array("i")
        stored = SortedLookup(self.stored_words)
        for q in usable_l:
            qid = str(id_col[q])
            held = stored.get(qid)
            if held is not None:
                n, content, joined = unpack_quote_words(held[1])
            else:
                f = _qfeat(text_col[q])
                n, content, joined = len(f.toks), sorted(f.content), f.joined
                self.fresh_words.append((qid, pack_quote_words(n, content, joined)))
            if n < 2:
                continue
            if n < 4 and spk_col[q]:
                short[(canonical_words(spk_col[q]), joined)].append(len(kept))
            kept.append(q)
            ntoks.append(n)
            cids.extend(map(seen.__getitem__, content))
            cptr.append(len(cids))
        self.usable = kept
        del usable_l
        prov = np.frombuffer(cids, dtype=np.int32)
        # how many quotes hold each word (a quote's content words are distinct)
        held_by = np.bincount(prov, minlength=len(seen)).tolist() if len(prov) else []
        words = sorted(seen)  # word ids follow string order, so ties break as they did on strings
        df = [held_by[seen[t]] for t in words]
        rank = np.zeros(len(seen), dtype=np.int32)
        for k, w in enumerate(words):
            rank[seen[w]] = k
        del seen
        self.content = (np.frombuffer(cptr, dtype=np.int64), rank[prov] if len(prov) else prov)
        return ntoks, short, words, df

    def feat(self, i: int) -> _QFeat:
        """Word features of usable quote i, through a small least-recently-used cache."""
        cache = self.cache
        f = cache.pop(i, None)
        if f is None:
            f = _qfeat(self.text_col[self.usable[i]])
            if len(cache) >= 4096:
                del cache[next(iter(cache))]  # least recently used
        cache[i] = f
        return f

    def sim(self, i: int, j: int) -> float:
        """The similarity of usable quotes i and j (stored, else computed and recorded)."""
        a, b = str(self.id_col[self.usable[i]]), str(self.id_col[self.usable[j]])
        if b < a:
            a, b = b, a
        s = self.stored.get((a, b))
        if s is None:
            s = self.computed.get((a, b))
        if s is None:
            s = self.computed[(a, b)] = _qsim(self.feat(i), self.feat(j))
        return s

    def rare_word_keys(self, ntoks: array, words: list[str], df: list[int]) -> tuple[Keys, array]:
        """Each usable quote's keys (ids of its rarest shared content words, at most 8, rarest
        first, ties by id), and how many; a quote of fewer than four words has none (short partial
        quotes only join exact repeats by the same speaker, ``_join_short_repeats``). Picked for
        all quotes at once in numpy (not a sort per quote, issue #16)."""
        cptr, cids = self.content
        n = len(self.usable)
        dfa = np.asarray(df, dtype=np.int64)
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(cptr))
        # the rarest words shared with at least one other quote (a word no other quote has
        # cannot make a candidate pair, and would crowd out the keys that can)
        keep = (np.frombuffer(ntoks, dtype=np.int32)[owner] >= 4) & (dfa[cids] >= 2) if len(cids) else owner > 0
        owner, ids = owner[keep], cids[keep]
        order = np.lexsort((ids, dfa[ids], owner))  # by quote, then rarity, then word id
        owner, ids = owner[order], ids[order]
        counts = np.bincount(owner, minlength=n)
        rank = np.arange(len(owner), dtype=np.int64) - (np.cumsum(counts) - counts)[owner]
        ids = ids[rank < 8]
        nk = np.minimum(counts, 8)
        keys = Keys()
        keys.vals = array("i", ids.astype(np.int32).tobytes())
        keys.ptr = array("q", np.concatenate(([0], np.cumsum(nk))).astype(np.int64).tobytes())
        return keys, array("i", nk.astype(np.int32).tobytes())

    def candidate_matches(self, keys: Keys, nkeys: array, *, cap: int, threshold: float,
                          same_speaker_threshold: float) -> list[tuple[float, int, int, float]]:
        """Pairs of quotes from two articles as similar as their threshold asks: (-similarity, i, j, threshold)."""
        aid_col, spk_col, usable = self.aid_col, self.spk_col, self.usable
        # candidate pairs share at least two of their rarest words (one when a quote has fewer keys)
        nk = np.frombuffer(nkeys, dtype=np.int32)
        matches: list[tuple[float, int, int, float]] = []
        # a pair below both thresholds matches whoever speaks: its speakers are not compared, and
        # a speaker's canonical words are made once (two calls per candidate pair were 112,000 calls
        # in an incremental link at 10,000 articles, issue #16)
        floor = min(threshold, same_speaker_threshold)
        canon: dict[Any, str] = {}

        def canonical(speaker: Any) -> str:
            got = canon.get(speaker)
            if got is None:
                got = canon[speaker] = canonical_words(speaker)
            return got

        for a, b, ns in shared_key_blocks(keys, cap=cap):
            keep = ns >= np.minimum(np.minimum(nk[b], nk[a]), 2)
            for i, j in zip(a[keep].tolist(), b[keep].tolist()):
                if aid_col[usable[i]] == aid_col[usable[j]]:
                    continue
                s = self.sim(i, j)
                if s < floor:
                    continue
                si = spk_col[usable[i]]
                same_speaker = bool(si) and canonical(si) == canonical(spk_col[usable[j]])
                need = same_speaker_threshold if same_speaker else threshold
                if s >= need:
                    matches.append((-s, i, j, need))
        return matches

    def join_best_pairs(self, matches: list[tuple[float, int, int, float]], uf: UnionFind) -> None:
        """Join matched quotes into groups in ``uf``, best pairs first."""
        text_col, id_col, par_col, usable = self.text_col, self.id_col, self.par_col, self.usable
        # join the best pairs first; two groups merge only when their longest wordings also match,
        # so one loose pair cannot chain unrelated quotes together
        longest = array("q", range(len(usable)))
        # quote ids and parent ids of each merged group (a lone quote's are read from its row)
        ids_of: dict[int, set[str]] = {}
        parents_of: dict[int, set[str]] = {}

        def ids(r: int) -> set[str]:
            return ids_of[r] if r in ids_of else {str(id_col[usable[r]])}

        def parents(r: int) -> set[str]:
            if r in parents_of:
                return parents_of[r]
            p = par_col[usable[r]]
            return {str(p)} if p else set()

        for _, i, j, need in sorted(matches):
            ri, rj = uf.find(i), uf.find(j)
            if ri == rj or ids(ri) & parents(rj) or ids(rj) & parents(ri):
                continue
            li, lj = longest[ri], longest[rj]
            if (li, lj) not in ((i, j), (j, i)) and \
                    self.sim(li, lj) < need - 0.1:
                continue
            uf.attach(ri, rj)
            ids_i, parents_i = ids(ri), parents(ri)
            ids_of.pop(ri, None)
            parents_of.pop(ri, None)
            ids_of[rj] = ids(rj) | ids_i
            parents_of[rj] = parents(rj) | parents_i
            longest[rj] = max(li, lj, key=lambda x: (len(text_col[usable[x]]), -x))

    def make_groups(self, members: dict[int, list[int]]) -> tuple[list[QuoteGroup], dict[str, int]]:
        """The groups of quotes from two articles or more (sorted by id), and each grouped quote's row."""
        aid_col, id_col, usable = self.aid_col, self.id_col, self.usable
        groups = []
        row_of: dict[str, int] = {}
        for idxs in members.values():
            arts = {aid_col[usable[i]] for i in idxs}
            if len(arts) < 2:
                continue
            row_of.update((str(id_col[usable[i]]), usable[i]) for i in idxs)
            held = self.stored_groups.get(hash_id("qg", *sorted(str(id_col[usable[i]]) for i in idxs)))
            groups.append(held if held is not None else _quote_group([self.quotes[usable[i]] for i in idxs],
                                                                     self.docs_by_id))
        groups.sort(key=lambda g: g.id)
        return groups, row_of


def _join_short_repeats(short: dict[tuple[str, str], list[int]], uf: UnionFind) -> None:
    """Short quotes join their exact repeats by the same speaker ({(speaker, words): quotes})."""
    for key in sorted(short):
        idxs = short[key]
        for i in idxs[1:]:
            root = uf.find(idxs[0])
            uf.attach(uf.find(i), root)


def _quote_group(qs: list[dict[str, Any]], docs_by_id: dict[str, ArticleDoc]) -> QuoteGroup:
    """One group of quote rows: its reference wording (the first reported) and each other's drift from it."""

    def when(q: dict[str, Any]) -> tuple[str, int, str]:
        d = docs_by_id[q["article_id"]]
        return (d.date.isoformat() if d.date else "9999", -len(q["text"]), str(q["id"]))

    qs.sort(key=when)
    ref = qs[0]
    if not docs_by_id[ref["article_id"]].date:
        ref = max(qs, key=lambda q: (len(q["text"]), str(q["id"])))  # no dates: the most complete
    diffs = []
    drift = False
    for q in qs:
        if q is ref:
            continue
        dr = quote_drift(ref["text"], q["text"])
        dr = dict(quote_id=q["id"], article_id=q["article_id"],
                  similarity=round(_quote_similarity(ref["text"], q["text"]), 3), **dr)
        # a trimmed quote (contained in the reference) drops words, not meaning
        trimmed = " ".join(tokens(q["text"])) in " ".join(tokens(ref["text"]))
        if trimmed:
            dr.update(drift=False, figures=[], names=[], negation=None, statute=None)
        drift = drift or dr["drift"]
        diffs.append(dr)
    speakers = Counter(q.get("speaker") for q in qs if q.get("speaker"))
    speaker = sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if speakers else None
    ids = [q["id"] for q in qs]
    return QuoteGroup(id=hash_id("qg", *sorted(ids)), quote_ids=ids, variant=ref["text"],
                      differences=diffs, speaker=speaker, first_article=qs[0]["article_id"], drift=drift)


def quote_pairs(groups: Sequence[QuoteGroup], quotes_by_id: Mapping[str, dict[str, Any]],
                docs_by_id: dict[str, ArticleDoc], *, max_group_articles: int = 30) -> dict[tuple[int, int], list[tuple[int, str]]]:
    """Article pairs (by doc index) that carry the same quotes: (words, reference wording) per group."""
    out: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    for g in groups:
        arts = sorted({docs_by_id[quotes_by_id[q]["article_id"]].idx for q in g.quote_ids if q in quotes_by_id})
        if len(arts) > max_group_articles:  # a famous line quoted everywhere says little about two articles
            continue
        words = min(len(tokens(quotes_by_id[q]["text"])) for q in g.quote_ids if q in quotes_by_id)
        for x in range(len(arts)):
            for y in range(x + 1, len(arts)):
                out[(arts[x], arts[y])].append((words, g.variant))
    return out

