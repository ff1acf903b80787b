"""Linking accuracy of newstrace.link on the gold dev set in tests/gold/linking/.

Prints story B-cubed precision/recall/F1 and the number of clusters, link precision/recall per
kind (duplicate, rewrite, derived, same-story) and quote-group pairwise precision/recall.

The dev set (see tests/gold/linking/README.md) is built from three parts, all linked in ONE
call of ``link_articles`` (as the pipeline does):

* the five seed articles (examples/) with the hand-made annotations of tests/conftest_report.py
  (quotes, attributions, claims, entities), and hand gold in tests/gold/linking/seeds.json;
* 345 BBC articles (bbc_sample.txt: every article of BBC's natural duplicate and near-duplicate
  pairs, 30 byte-identical pairs, 100 random others) with hand-judged stories (bbc_stories.tsv)
  and pooled link gold (bbc_links.tsv, built by build_bbc_links.py);
* generated articles (generated.json): rewrites of BBC singletons (synonym replacement, clause
  moves, adjacent-sentence swaps, dropped sentences, quote trims and variants, injected quote
  drift) and derived articles (a block of 4-6 verbatim sentences of a BBC report inside an
  unrelated BBC text from outside the sample). Procedure: ``make_rewrite`` / ``make_derived``.

BBC quotes are found with a regex (straight double quotes, >= 4 words, one paragraph); a gold
quote pair is two quotes of different articles with the same normalised words, or a generated
variant and its source.

Stories are also scored on ``ecbplus-dev`` (ECB+ topics 1-35, ../shared/corpus/ecbplus-dev: every
topic holds two different real-world incidents of one kind), linked in a call of its own and
printed first, then on BBC and on the seeds alone. Beside each: a plain TF-IDF complete-link
baseline computed in the same run, its cosine threshold chosen on ecbplus-dev only.

Each set is also linked as what the held-out sets of issue #16 stress: fed as bare text files
(``bare_rows``: no date, outlet, url or title given, only what the clean stage reads off the text,
as ``newstrace analyze folder/`` of .txt files makes them; ecbplus-dev's files are bare already,
so it is also linked with no dates at all: publication dates read off date lines and event dates
dropped), and in a shuffled input order, whose stories must be identical (story ids included).

Under each set's stories, where their B-cubed points go (``story_losses``): precision lost to
predicted stories that merge gold stories (same topic or not, by the size of their smaller parts),
recall lost to articles left alone, pulled into another story or split off; ``--stages`` also links
ecbplus-dev with the edge pass only (no leftover re-attached), to tell which stage loses what.

Usage:  .venv/bin/python bench/linking.py [--corpus DIR] [--skip-ecb] [--bbc-events] [--stages] [--json OUT]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import itertools
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold" / "linking"
CANDIDATES = [REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")]
sys.path.insert(0, str(REPO / "tests"))

KINDS = ("duplicate", "rewrite", "derived", "same-story")

# A generic newswire synonym table for generated rewrites (not fitted to any test text).
SYNONYMS = {
    "said": "stated", "says": "states", "announced": "revealed", "plans": "proposals", "plan": "proposal",
    "government": "administration", "minister": "secretary", "ministers": "officials", "company": "firm",
    "firm": "company", "companies": "firms", "firms": "companies", "people": "individuals", "big": "large",
    "large": "big", "small": "little", "increase": "rise", "rise": "increase", "rose": "climbed",
    "fell": "dropped", "fall": "drop", "cut": "reduce", "cuts": "reductions", "new": "fresh", "show": "demonstrate",
    "help": "assist", "start": "begin", "started": "began", "began": "started", "end": "finish",
    "ended": "finished", "buy": "purchase", "bought": "purchased", "sell": "offer", "sold": "offloaded",
    "want": "wish", "wants": "wishes", "wanted": "wished", "need": "require", "needs": "requires",
    "needed": "required", "important": "significant", "major": "key", "key": "crucial", "main": "principal",
    "chief": "head", "boss": "chief", "claim": "assertion", "claims": "assertions", "believe": "think",
    "believes": "thinks", "think": "believe", "expected": "anticipated", "expects": "anticipates",
    "likely": "probable", "however": "nevertheless", "also": "additionally", "because": "since",
    "about": "around", "around": "roughly", "nearly": "almost", "almost": "nearly", "more than": "over",
    "before": "prior to", "after": "following", "despite": "in spite of", "country": "nation",
    "countries": "nations", "world": "globe", "market": "marketplace", "job": "post", "jobs": "posts",
    "problem": "issue", "problems": "issues", "decision": "ruling", "asked": "requested", "told": "informed",
    "warned": "cautioned", "added": "continued", "suggested": "indicated", "agreed": "consented",
    "rejected": "turned down", "won": "claimed", "win": "victory", "lost": "was defeated in",
    "game": "match", "games": "matches", "players": "athletes", "team": "side", "season": "campaign",
    "film": "movie", "films": "movies", "music": "songs", "record": "best-ever", "top": "leading",
    "leading": "top", "high": "elevated", "low": "weak", "strong": "robust", "quickly": "rapidly",
    "recently": "lately", "currently": "presently", "figures": "statistics", "report": "study",
    "survey": "poll", "group": "organisation", "users": "customers", "customers": "clients",
    "system": "scheme", "technology": "tech", "phones": "handsets", "move": "step", "change": "shift",
    "changes": "shifts", "deal": "agreement", "talks": "negotiations", "support": "backing",
    "criticised": "attacked", "attacked": "criticised", "concern": "worry", "concerns": "worries",
}
SYNONYMS.update({
    "has": "has", "the": "the", "would": "would", "will": "is set to", "could": "might", "may": "might",
    "should": "ought to", "must": "has to", "very": "highly", "many": "numerous", "several": "a number of",
    "some": "certain", "other": "further", "first": "initial", "last": "previous", "next": "coming",
    "made": "produced", "make": "produce", "makes": "produces", "get": "obtain", "got": "obtained",
    "give": "provide", "gave": "provided", "given": "provided", "take": "assume", "took": "assumed",
    "taken": "assumed", "put": "placed", "set": "fixed", "used": "employed", "use": "employ",
    "using": "employing", "called": "urged", "call": "urge", "calls": "urges", "seen": "viewed",
    "see": "view", "saw": "witnessed", "found": "discovered", "find": "discover", "known": "recognised",
    "going": "heading", "came": "arrived", "come": "arrive", "left": "departed", "leave": "depart",
    "held": "kept", "hold": "keep", "keep": "retain", "kept": "retained", "run": "operate", "ran": "operated",
    "pay": "fund", "paid": "funded", "price": "cost", "prices": "costs", "cost": "price", "costs": "prices",
    "money": "cash", "profit": "earnings", "profits": "earnings", "sales": "turnover", "shares": "stock",
    "share": "stake", "rate": "level", "rates": "levels", "growth": "expansion", "economy": "economic output",
    "week": "seven days", "today": "this day",
    "time": "period", "times": "occasions", "way": "manner", "part": "portion", "number": "quantity",
    "area": "region", "areas": "regions", "city": "town", "home": "residence", "house": "property",
    "law": "legislation", "laws": "legislation", "rules": "regulations", "rule": "regulation",
    "court": "tribunal", "police": "officers", "party": "faction", "election": "vote", "vote": "ballot",
    "leader": "head", "leaders": "heads", "members": "representatives", "officials": "authorities",
    "spokesman": "representative", "spokeswoman": "representative", "director": "executive",
    "president": "head of state", "services": "provision", "service": "provision", "public": "general public",
    "plans": "proposals", "bid": "attempt", "effort": "attempt", "attempt": "effort", "battle": "fight",
    "fight": "struggle", "attack": "assault", "row": "dispute", "dispute": "disagreement",
    "issue": "matter", "question": "query", "idea": "notion", "view": "opinion", "views": "opinions",
    "fears": "worries", "fear": "worry", "hope": "expectation", "hopes": "expectations", "chance": "opportunity",
    "try": "attempt", "tried": "attempted", "trying": "attempting", "allow": "permit", "allowed": "permitted",
    "stop": "halt", "stopped": "halted", "launch": "introduce", "launched": "introduced", "open": "unlock",
    "opened": "unlocked", "close": "shut", "closed": "shut", "create": "generate", "created": "generated",
    "build": "construct", "built": "constructed", "offer": "provide", "offered": "provided",
    "received": "got", "receive": "get", "return": "comeback", "returned": "came back", "reach": "attain",
    "reached": "attained", "rising": "climbing", "falling": "dropping", "fallen": "dropped", "grew": "expanded",
    "grow": "expand", "high": "elevated", "higher": "greater", "lower": "smaller", "biggest": "largest",
    "largest": "biggest", "best": "finest", "better": "superior", "worse": "inferior", "worst": "poorest",
    "good": "decent", "bad": "poor", "great": "tremendous", "hard": "difficult", "difficult": "tough",
    "easy": "simple", "clear": "plain", "full": "complete", "whole": "entire", "real": "genuine",
    "recent": "latest", "latest": "most recent", "former": "ex-", "current": "present", "early": "initial",
    "late": "belated", "long": "lengthy", "short": "brief", "still": "yet", "already": "previously",
    "just": "only", "only": "merely", "even": "indeed", "now": "currently", "then": "afterwards",
    "while": "whereas", "although": "though", "though": "although", "but": "yet", "if": "should",
    "against": "versus", "between": "among", "during": "throughout", "within": "inside", "without": "lacking",
    "under": "beneath", "over": "above", "through": "via", "across": "throughout", "into": "in to",
    "because of": "owing to", "such as": "including", "as well as": "plus", "according to": "as stated by",
})
SYNONYMS = {k: v for k, v in SYNONYMS.items() if k != v}
TIME_TAIL = re.compile(r"^(?P<body>.+?) (?P<when>(?:on|last|this|next|earlier this|later this|in) "
                       r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|"
                       r"January|February|March|April|May|June|July|August|September|October|November|"
                       r"December|\d{4}))\.$")
NEGATABLE = re.compile(r"\b(is|are|was|were|will|would|can|could|should|has|have|had|do|does|did)\b")


# -- data -------------------------------------------------------------------------------------

def corpus_dir(arg: str | None) -> Path:
    for c in ([Path(arg)] if arg else CANDIDATES):
        if (c / "bbc").is_dir():
            return c
    raise SystemExit("BBC corpus not found: pass --corpus DIR (the folder holding bbc/)")


def bbc_article(corpus: Path, name: str) -> dict[str, Any]:
    text = (corpus / "bbc" / f"{name}.txt").read_text(encoding="latin-1")
    title, _, body = text.partition("\n")
    return dict(id=f"bbc:{name}", title=title.strip(), text=body.strip(), published=None, outlet="BBC News")


def regex_quotes(art: dict[str, Any]) -> list[dict[str, Any]]:
    """Straight-double-quoted spans of >= 4 words, paired within each paragraph (a quote left
    open at a paragraph's end runs to that end, BBC style)."""
    out = []
    text = art["text"]
    for para in re.finditer(r"[^\n]+", text):
        marks = [m.start() for m in re.finditer('"', para.group(0))]
        spans = [(marks[i] + 1, marks[i + 1]) for i in range(0, len(marks) - 1, 2)]
        if len(marks) % 2:
            spans.append((marks[-1] + 1, len(para.group(0))))
        for s, e in spans:
            s, e = s + para.start(), e + para.start()
            content = text[s:e]
            if len(content.split()) < 4:
                continue
            out.append(dict(id=f"{art['id']}-q{len(out)}", article_id=art["id"], kind="direct", text=content,
                            start=s, end=e, speaker=None, speaker_kind="unknown", cue=None, via=None,
                            parent_id=None))
    return out


def _sentences(text: str) -> list[list[str]]:
    paras = [p for p in text.split("\n\n") if p.strip()]
    return [re.split(r"(?<=[.!?]) (?=[A-Z\"])", p.strip()) for p in paras]


def _synonyms(sentence: str, rng: random.Random, rate: float) -> str:
    def swap(m: re.Match) -> str:
        w = m.group(0)
        if w[0].isupper() and m.start() > 0 and sentence[:m.start()].rstrip()[-1:] not in ('"', ".", ""):
            return w  # a capitalised word inside a sentence is a name: keep it
        rep = SYNONYMS.get(w.lower())
        if not rep or rng.random() > rate:
            return w
        return rep.capitalize() if w[0].isupper() else rep
    return re.sub(r"\b[A-Za-z]+\b", swap, sentence)


def _restructure(sentence: str, rng: random.Random) -> str:
    """Word-order changes that keep the meaning: time phrases to the front, "A and B" swapped,
    per cent / % and m / million spelled the other way."""
    m = TIME_TAIL.match(sentence)
    if m and rng.random() < 0.7:
        body = m.group("body")
        sentence = f"{m.group('when')[0].upper()}{m.group('when')[1:]}, {body[0].lower()}{body[1:]}."
    sentence = re.sub(r"(?<![\w.'-])([a-z]{3,}) and ([a-z]{3,})(?![\w.'-])",
                      lambda x: f"{x.group(2)} and {x.group(1)}" if rng.random() < 0.5 else x.group(0), sentence)
    sentence = re.sub(r"(\d)%", r"\1 per cent", sentence) if rng.random() < 0.5 else \
        re.sub(r"(\d) per cent", r"\1%", sentence)
    sentence = re.sub(r"(\d)m\b", r"\1 million", sentence)
    return sentence


def _move_said(sentence: str) -> str:
    # "..., X said." -> "X said ..."  (a clause move that keeps the meaning)
    m = re.match(r'^(?P<body>[^"]+?), (?P<who>(?:he|she|they|[A-Z][a-z]+(?: [A-Z][a-z]+)?)) (?P<verb>said|says|added)\.$',
                 sentence)
    if not m:
        return sentence
    who = m.group("who")
    who = who if who not in ("he", "she", "they") else who.capitalize()
    body = m.group("body")
    return f"{who} {m.group('verb')} that {body[0].lower() + body[1:]}."


def make_rewrite(art: dict[str, Any], quotes: list[dict[str, Any]], seed: int, new_id: str, *,
                 drift: bool) -> tuple[dict[str, Any], list[dict[str, Any]], list[tuple[str, str, bool]]]:
    """A rewrite of ``art``: synonyms (rate .9), word-order changes, clause moves, adjacent-sentence swaps (p .15),
    dropped sentences (p .1, never quotes); each quote kept (60%), trimmed (20%) or re-worded
    (20%); with ``drift`` one quote gets a changed number or a toggled negation.

    Returns the new article, its quotes and gold quote pairs (source id, new id, drifted)."""
    rng = random.Random(seed)
    qtexts = {q["text"] for q in quotes}
    drift_done = not drift
    paras_out = []
    new_quotes: list[tuple[str, str, bool]] = []  # (source quote text, new text, drifted)
    for para in _sentences(art["text"]):
        sents = list(para)
        for i in range(len(sents) - 1):
            if rng.random() < 0.15 and '"' not in sents[i] + sents[i + 1]:
                sents[i], sents[i + 1] = sents[i + 1], sents[i]
        out = []
        for s in sents:
            has_q = [q for q in qtexts if q in s]
            if not has_q and rng.random() < 0.1:
                continue
            if has_q:
                pieces = re.split(r'("[^"\n]*")', s)
                new_s = ""
                for piece in pieces:
                    inner = piece[1:-1] if piece.startswith('"') and piece.endswith('"') and len(piece) > 1 else None
                    if inner is None or inner not in qtexts:
                        new_s += _restructure(_synonyms(piece, rng, 0.9), rng)
                        continue
                    r = rng.random()
                    words = inner.split()
                    if r < 0.2 and len(words) >= 8:
                        new_q = " ".join(words[:max(5, int(len(words) * 0.7))])  # trimmed
                    elif r < 0.4:
                        new_q = _synonyms(inner, rng, 0.8)  # re-worded variant
                    else:
                        new_q = inner
                    drifted = False
                    if not drift_done:
                        nums = re.findall(r"\b\d+\b", new_q)
                        if nums:
                            new_q = re.sub(rf"\b{nums[0]}\b", str(int(nums[0]) * 3 + 7), new_q, count=1)
                            drifted = True
                        elif NEGATABLE.search(new_q):
                            new_q = NEGATABLE.sub(lambda m: m.group(1) + " not", new_q, count=1)
                            drifted = True
                        drift_done = drifted
                    new_quotes.append((inner, new_q, drifted))
                    new_s += f'"{new_q}"'
                out.append(new_s)
            else:
                out.append(_move_said(_restructure(_synonyms(s, rng, 0.9), rng)))
        if out:
            paras_out.append(" ".join(out))
    text = "\n\n".join(paras_out)
    new = dict(id=new_id, title=_synonyms(art.get("title") or "", rng, 0.8), text=text, published=None,
               outlet="Rewrite Wire")
    nq = regex_quotes(new)
    pairs = []
    by_text = {q["text"]: q["id"] for q in quotes}
    for src_text, new_text, drifted in new_quotes:
        tgt = next((q["id"] for q in nq if q["text"] == new_text), None)
        if tgt and len(new_text.split()) >= 4:
            pairs.append((by_text[src_text], tgt, drifted))
    return new, nq, pairs


def make_derived(art: dict[str, Any], filler: dict[str, Any], seed: int, new_id: str) -> dict[str, Any]:
    """An article about something else that quotes a block of 4-6 consecutive sentences of ``art``
    verbatim, introduced by "As BBC News reported:" (filler text from outside the sample)."""
    rng = random.Random(seed)
    src = [s for p in _sentences(art["text"]) for s in p]
    n = rng.randint(4, 6)
    start = rng.randint(0, max(0, len(src) - n))
    block = " ".join(src[start:start + n])
    own = [p for p in filler["text"].split("\n\n") if p.strip()]
    cut = max(1, len(own) // 2)
    text = "\n\n".join(own[:cut] + ["As BBC News reported: " + block] + own[cut:])
    return dict(id=new_id, title=filler["title"], text=text, published=None, outlet="Commentary Blog")


# -- metrics ----------------------------------------------------------------------------------

def clusters(pred: dict[str, str], gold: dict[str, str]) -> tuple[list[str], dict[str, list[str]], dict[str, list[str]]]:
    """The items both assignments know (in gold's order), and the members of each predicted and
    each gold cluster among them (in that order): the grouping every B-cubed figure here starts from."""
    items = [x for x in gold if x in pred]
    pc: dict[str, list[str]] = defaultdict(list)
    gc: dict[str, list[str]] = defaultdict(list)
    for x in items:
        pc[pred[x]].append(x)
        gc[gold[x]].append(x)
    return items, pc, gc


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    items, pcl, gcl = clusters(pred, gold)
    pc = {k: set(v) for k, v in pcl.items()}
    gc = {k: set(v) for k, v in gcl.items()}
    p = sum(len(pc[pred[x]] & gc[gold[x]]) / len(pc[pred[x]]) for x in items) / len(items)
    r = sum(len(pc[pred[x]] & gc[gold[x]]) / len(gc[gold[x]]) for x in items) / len(items)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def story_losses(pred: dict[str, str], gold: dict[str, str],
                 group: dict[str, str] | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """Where the stories' B-cubed points go, in aggregate (issue #16): precision's loss (1 - P) by
    the kind of predicted story that holds articles of several gold stories, and recall's (1 - R)
    by what became of the articles outside their gold story's largest fragment. Each article's
    loss goes to one kind, so each dict sums to 1 - P or 1 - R.

    Precision: ``merged`` (a predicted story holding several gold stories; ``same topic`` /
    ``other topics`` when ``group`` gives each article's topic), split by its smaller parts
    (``minor parts <= 3`` articles together, or more). Recall: ``alone`` (a story of one),
    ``pulled into another story`` (its predicted story is mostly another gold story's), ``split off``
    (a story of its gold story's articles, apart from the largest part) and ``largest part`` (the
    recall the largest part's articles lose to the others)."""
    items, pc, gc = clusters(pred, gold)
    n = len(items) or 1
    ploss: dict[str, float] = defaultdict(float)
    rloss: dict[str, float] = defaultdict(float)
    for members in pc.values():
        comp = Counter(gold[x] for x in members)
        if len(comp) == 1:
            continue
        kind = "merged"
        if group is not None:
            kind += " same topic" if len({group.get(x) for x in members}) == 1 else " other topics"
        parts = sorted(comp.values(), reverse=True)
        kind += " (minor parts <= 3)" if sum(parts[1:]) <= 3 else " (minor parts > 3)"
        for x in members:
            ploss[kind] += (1 - comp[gold[x]] / len(members)) / n
    for g, members in gc.items():
        frag = Counter(pred[x] for x in members)
        if len(frag) == 1:
            continue
        largest = max(frag, key=lambda s: (frag[s], s))
        for x in members:
            f = pred[x]
            if f == largest:
                kind = "largest part"
            elif len(pc[f]) == 1:
                kind = "alone"
            elif max(Counter(gold[y] for y in pc[f]).items(), key=lambda kv: (kv[1], kv[0] == g))[0] != g:
                kind = "pulled into another story"
            else:
                kind = "split off"
            rloss[kind] += (1 - frag[f] / len(members)) / n
    return dict(ploss), dict(rloss)


def topic_losses(pred: dict[str, str], gold: dict[str, str],
                 group: dict[str, str]) -> list[tuple[str, float, float, str]]:
    """Where the stories' B-cubed points go, by topic (issue #16's error analysis): for each group
    of ``group`` (an article's topic), the share of 1 - P and of 1 - R its articles lose, and what
    its gold stories became: each predicted story holding its articles as the count from each of the
    topic's gold stories (lettered a, b, ... in gold-id order) joined by "+", and "(+N other)" for
    articles of other topics in it. Largest loss first (ties by group name).

    Returns:
        (group, precision loss, recall loss, predicted stories) per group; the losses of all groups
        sum to 1 - P and 1 - R."""
    items, pcl, gcl = clusters(pred, gold)
    n = len(items) or 1
    pc = {k: set(v) for k, v in pcl.items()}
    gc = {k: set(v) for k, v in gcl.items()}
    ploss: dict[str, float] = defaultdict(float)
    rloss: dict[str, float] = defaultdict(float)
    for x in items:
        inter = len(pc[pred[x]] & gc[gold[x]])
        ploss[group[x]] += (1 - inter / len(pc[pred[x]])) / n
        rloss[group[x]] += (1 - inter / len(gc[gold[x]])) / n
    out = []
    for t in {group[x] for x in items}:
        ids = [x for x in items if group[x] == t]
        letters = {g: chr(ord("a") + k) if k < 26 else f"#{k}" for k, g in enumerate(sorted({gold[x] for x in ids}))}
        held: dict[str, list[str]] = defaultdict(list)
        for x in ids:
            held[pred[x]].append(x)
        parts = []
        for s, xs in sorted(held.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            comp = Counter(gold[x] for x in xs)
            text = "+".join(f"{comp[g]}{letters[g]}" for g in sorted(comp, key=letters.get))
            other = len(pc[s]) - len(xs)
            parts.append(text + (f"(+{other} other)" if other else ""))
        out.append((t, ploss[t], rloss[t], " ".join(parts)))
    return sorted(out, key=lambda r: (-(r[1] + r[2]), r[0]))


def loss_line(name: str, pred: dict[str, str], gold: dict[str, str], group: dict[str, str] | None = None) -> str:
    """:func:`story_losses` as one printed line, largest loss first."""
    ploss, rloss = story_losses(pred, gold, group)
    fmt = lambda d: ", ".join(f"{k} {v:.3f}" for k, v in sorted(d.items(), key=lambda kv: (-kv[1], kv[0])))  # noqa: E731
    return (f"{name:<12} lost: P {sum(ploss.values()):.3f} ({fmt(ploss) or 'none'}); "
            f"R {sum(rloss.values()):.3f} ({fmt(rloss) or 'none'})")


def pr(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else float("nan"), tp / (tp + fn) if tp + fn else float("nan"))


def _norm_words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'")))


# -- ecbplus-dev and the TF-IDF baseline -------------------------------------------------------

def cached_parses(arts: list[Any], cache: Path, key: str, name: str) -> list[Any]:
    """The spaCy parses of ``arts``' texts, read from ``cache`` (file named by ``key``, a hash of
    the texts and the pipeline's name and version, so that changed texts are parsed again) or
    parsed once and written there."""
    from spacy.tokens import DocBin

    from newstrace.nlp import load_nlp

    nlp = load_nlp()
    cache.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1("\x00".join(a.text for a in arts).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    path = cache / f"{key}-{digest}-{nlp.meta.get('name')}-{nlp.meta.get('version')}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if len(docs) == len(arts) and all(d.text == a.text for d, a in zip(docs, arts)):
            return docs
        print(f"{path} does not hold these texts: parsing again", file=sys.stderr)
    print(f"parsing {len(arts)} {name} articles once (cached in {path}) ...", file=sys.stderr)
    docs = list(nlp.pipe(a.text for a in arts))
    DocBin(store_user_data=True, docs=docs).to_disk(path)
    return docs


def ecb_build(corpus: Path, cache: Path) -> dict[str, Any]:
    """ECB+ topics 1-35 (``ecbplus-dev``) run through newstrace's annotate stage as the pipeline
    does (the spaCy parses are cached in ``cache``; annotation runs every time, so changes to the
    extractors count), with the gold stories keyed by article id. File names are read here only
    to find the gold; the linker sees text."""
    from newstrace.clean import clean_article
    from newstrace.extract.core import annotate
    from newstrace.models import RawArticle
    from newstrace.store import article_rows

    root = corpus / "ecbplus-dev"
    files = sorted((root / "articles").glob("*.txt"))
    arts = [clean_article(RawArticle(source=f.name, text=f.read_text(encoding="utf-8"), file=str(f)))
            for f in files]
    docs = cached_parses(arts, cache, "ecbplus-dev", "ecbplus-dev")
    rows: dict[str, list] = {k: [] for k in ("articles", "quotes", "claims", "local_entities", "attributions")}
    for a, doc in zip(arts, docs):
        r = article_rows(a, annotate(doc, a), file=a.source, run_id=1)
        for k in rows:
            rows[k] += r[k]
    for e in rows["local_entities"]:
        e["aliases"], e["roles"] = json.loads(e["aliases"]), json.loads(e["roles"])
    id_of = {f.stem: a.id for f, a in zip(files, arts)}
    gold = json.loads((root / "gold.json").read_text())
    gold_story = {id_of[m]: f"ecb:{k}" for k, members in enumerate(gold["stories"]) for m in members if m in id_of}
    return dict(rows=rows, gold_story=gold_story)


def _analyzed(arts: list[Any], cache: Path, name: str) -> list[dict[str, list]]:
    """Each cleaned article's rows as ``newstrace analyze`` stores them (``store.article_rows``):
    parsed (parses cached in ``cache`` under ``name``) and annotated; local entities' aliases and
    roles decoded from their JSON."""
    from newstrace.extract.core import annotate
    from newstrace.store import article_rows

    docs = cached_parses(arts, cache, f"{name}-{len(arts)}", name)
    out = []
    for a, doc in zip(arts, docs):
        r = article_rows(a, annotate(doc, a), file=a.source, run_id=1)
        for e in r["local_entities"]:
            e["aliases"], e["roles"] = json.loads(e["aliases"]), json.loads(e["roles"])
        out.append(r)
    return out


def add_events(articles: list[dict[str, Any]], cache: Path, name: str) -> list[dict[str, Any]]:
    """Give each article row the main event ``newstrace analyze`` would store for it
    (``event_date``, ``event_participants``, ``event_places``, ``event_figures``): its text cleaned,
    parsed (parses cached in ``cache`` under ``name``) and annotated. BBC's rows are built without
    a parse (regex quotes), so without this the event rules of story clustering are not measured
    on BBC at all (issue #16). Returns the entities the annotation finds (``local_entities`` rows,
    keyed by the given ids), as analyze stores them: story similarity counts shared entities, and
    without them BBC is not linked as analyze links it (the bare set of :func:`bare_rows` has them)."""
    from newstrace.clean import clean_article
    from newstrace.models import RawArticle

    arts = [clean_article(RawArticle(source=a["id"], text=a["text"])) for a in articles]
    entities: list[dict[str, Any]] = []
    for row, r in zip(articles, _analyzed(arts, cache, name)):
        row.update({k: v for k, v in r["articles"][0].items() if k.startswith("event_")})
        entities += [dict(e, article_id=row["id"]) for e in r["local_entities"]]
    return entities


def bare_rows(files: list[tuple[str, str]], cache: Path | None, name: str) -> dict[str, list]:
    """Rows of articles fed as bare text files, as ``newstrace analyze folder/`` of .txt files makes
    them: each (id, file text) cleaned with no metadata (no date, outlet, url or title given: a
    headline is only what the clean stage reads off the text's first line). With ``cache``, parsed
    (cached there under ``name``) and annotated as the pipeline does; without, only straight-quoted
    quotes are found (as the BBC set is built). Rows keep the given ids, so the gold still applies."""
    from newstrace.clean import clean_article
    from newstrace.models import RawArticle

    rows: dict[str, list] = {k: [] for k in ("articles", "quotes", "claims", "local_entities", "attributions")}
    arts = [clean_article(RawArticle(source=f"{aid}.txt", text=text, file=f"{aid}.txt")) for aid, text in files]
    if cache is None:
        for (aid, _), a in zip(files, arts):
            row = dict(id=aid, title=a.title, text=a.text, published=a.published, outlet=a.outlet, url=a.url)
            rows["articles"].append(row)
            rows["quotes"] += regex_quotes(row)
        return rows
    for (aid, _), a, r in zip(files, arts, _analyzed(arts, cache, name)):
        old = a.id
        for k in rows:
            for row in r[k]:
                if k == "articles":
                    row["id"] = aid
                elif row.get("article_id") == old:
                    row["article_id"] = aid
            rows[k] += r[k]
    return rows


def bare_bench(corpus: Path, data: dict[str, Any], cache: Path, bbc_events: bool) -> dict[str, Any]:
    """The BBC + generated + seed set of :func:`build` as bare text files (:func:`bare_rows`): a BBC
    article is its corpus file (headline on the first line), a generated one its title line over its
    text, a seed its file in examples/ (parsed and annotated: its stories need its entities)."""
    seeds = json.loads((GOLD / "seeds.json").read_text())
    files = []
    for a in data["rows"]["articles"]:
        if a["id"].startswith("bbc:"):
            files.append((a["id"], (corpus / "bbc" / f"{a['id'][4:]}.txt").read_text(encoding="latin-1")))
        elif a["id"].startswith("gen:"):
            files.append((a["id"], (a.get("title") or "") + "\n\n" + a["text"]))
    rows = bare_rows(files, cache if bbc_events else None, "bbc-bare-bench")
    seed_files = [(f"seed:{f.name[:3]}", f.read_text(encoding="utf-8")) for f in sorted((REPO / "examples").glob("*.txt"))]
    seed_rows = bare_rows(seed_files, cache, "seeds-bare")
    for k in rows:
        rows[k] += seed_rows[k]
    gold = {a: s for a, s in data["gold_story"].items() if a.startswith(("bbc:", "gen:")) and a not in data["no_story"]}
    gold.update({f"seed:{m}": "seed:" + k for k, members in seeds["stories"].items() for m in members})
    return dict(rows=rows, gold_story=gold)


def shuffled(rows: dict[str, list], seed: int = 16) -> dict[str, list]:
    """The same rows in another input order (every table shuffled)."""
    out = {k: list(v) for k, v in rows.items()}
    for v in out.values():
        random.Random(seed).shuffle(v)
    return out


def tfidf_vectors(texts: list[str]) -> Any:
    """Plain TF-IDF (lower-case words, spaCy's stop words out, sublinear tf, smooth idf, L2)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from spacy.lang.en.stop_words import STOP_WORDS

    docs = [Counter(w for w in re.findall(r"[a-z0-9]+", t.lower()) if w not in STOP_WORDS and len(w) > 1)
            for t in texts]
    vocab: dict[str, int] = {}
    df: Counter = Counter()
    for d in docs:
        df.update(d.keys())
    rows, cols, vals = [], [], []
    for i, d in enumerate(docs):
        for w, c in d.items():
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
            vals.append((1 + math.log(c)) * (1 + math.log((1 + len(docs)) / (1 + df[w]))))
    m = csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)))
    norms = np.sqrt(m.multiply(m).sum(axis=1)).A.ravel()
    norms[norms == 0] = 1.0
    return csr_matrix(m.multiply(1 / norms[:, None]))


def complete_link_tree(texts: list[str]) -> Any:
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    v = tfidf_vectors(texts)
    dist = 1.0 - (v @ v.T).toarray()
    dist[dist < 0] = 0.0
    dist = (dist + dist.T) / 2
    import numpy as np
    np.fill_diagonal(dist, 0.0)
    return linkage(squareform(dist, checks=False), method="complete")


def cut_tree(tree: Any, ids: list[str], threshold: float) -> dict[str, str]:
    """Clusters of a complete-link tree: members all at cosine >= ``threshold`` of each other."""
    from scipy.cluster.hierarchy import fcluster

    return {a: f"c{c}" for a, c in zip(ids, fcluster(tree, t=1.0 - threshold, criterion="distance"))}


def best_threshold(tree: Any, ids: list[str], gold: dict[str, str]) -> tuple[float, float]:
    """The similarity threshold (0.02 to 0.98 in steps of 0.01) with the best B-cubed F1 on ``gold``."""
    best = (-1.0, 0.0)
    for k in range(2, 99):
        f = bcubed(cut_tree(tree, ids, k / 100), gold)[2]
        if f > best[0]:
            best = (f, k / 100)
    return best[1], best[0]


def story_line(name: str, pred: dict[str, str], gold: dict[str, str], base: dict[str, str]) -> str:
    p, r, f = bcubed(pred, gold)
    bp, br, bf = bcubed(base, gold)
    n = len({pred[a] for a in gold if a in pred})
    bn = len({base[a] for a in gold if a in base})
    return (f"{name:<12} stories B-cubed P {p:.3f}  R {r:.3f}  F1 {f:.3f}  stories {n} (gold {len(set(gold.values()))},"
            f" {len(gold)} articles) | TF-IDF complete-link P {bp:.3f}  R {br:.3f}  F1 {bf:.3f}  stories {bn}")


# -- main -------------------------------------------------------------------------------------

def build(corpus: Path, events_cache: Path | None = None) -> dict[str, Any]:
    """Everything the benchmark links, with its gold; with ``events_cache``, the BBC and generated
    articles carry their main events as the pipeline stores them (:func:`add_events`)."""
    from conftest_report import sample_records
    from newstrace.store import article_rows

    rows: dict[str, list] = {k: [] for k in ("articles", "quotes", "claims", "local_entities", "attributions")}
    recs = sample_records()
    seed_ids = {}
    for key, a in recs["articles"].items():
        r = article_rows(a, recs["annotations"][key], file=a.source, run_id=1)
        for k in rows:
            rows[k] += r[k]
        seed_ids[key] = a.id
    for e in rows["local_entities"]:
        e["aliases"], e["roles"] = json.loads(e["aliases"]), json.loads(e["roles"])
    seeds_gold = json.loads((GOLD / "seeds.json").read_text())

    gold_story: dict[str, str] = {}
    gold_links: dict[tuple[str, str], str] = {}
    universe: set[str] = set()
    for key, aid in seed_ids.items():
        universe.add(aid)
    for skey, members in seeds_gold["stories"].items():
        for m in members:
            gold_story[seed_ids[m]] = "seed:" + skey
    for a, b, kind in seeds_gold["links"]:
        gold_links[tuple(sorted((seed_ids[a], seed_ids[b])))] = kind
    gold_qpairs: set[tuple[str, str]] = set()
    gold_drift: dict[frozenset, bool] = {}
    qid = {}
    for q in rows["quotes"]:
        art_key = next(k for k, v in seed_ids.items() if v == q["article_id"])
        qid[(art_key, q["text"][:30])] = q["id"]
    for group in seeds_gold["quote_groups"]:
        ids = [qid[(k, t[:30])] for k, t in group["quotes"]]
        for x, y in itertools.combinations(sorted(ids), 2):
            gold_qpairs.add((x, y))
        gold_drift[frozenset(ids)] = group["drift"]

    sample = (GOLD / "bbc_sample.txt").read_text().split()
    for line in (GOLD / "bbc_stories.tsv").read_text().splitlines():
        if line and not line.startswith("#"):
            key, members = line.split("\t")
            for m in members.split():
                gold_story[f"bbc:{m}"] = key
    for name in sample:
        gold_story.setdefault(f"bbc:{name}", f"single:{name}")
        universe.add(f"bbc:{name}")
    for line in (GOLD / "bbc_links.tsv").read_text().splitlines():
        if line and not line.startswith("#"):
            a, b, kind = line.split("\t")[:3]
            if kind != "none":
                gold_links[tuple(sorted((f"bbc:{a}", f"bbc:{b}")))] = kind
    bbc = {name: bbc_article(corpus, name) for name in sample}
    bbc_quotes = {name: regex_quotes(bbc[name]) for name in sample}
    rows["articles"] += list(bbc.values())
    for qs in bbc_quotes.values():
        rows["quotes"] += qs

    gen = json.loads((GOLD / "generated.json").read_text())
    no_story: set[str] = set()
    for item in gen["rewrites"]:
        src = bbc[item["source"]]
        new_id = f"gen:rewrite:{item['source']}"
        new, nq, pairs = make_rewrite(src, bbc_quotes[item["source"]], item["seed"], new_id, drift=item["drift"])
        rows["articles"].append(new)
        rows["quotes"] += nq
        universe.add(new_id)
        gold_story[new_id] = gold_story[src["id"]]
        gold_links[tuple(sorted((src["id"], new_id)))] = "rewrite"
        for s, t, drifted in pairs:
            gold_qpairs.add(tuple(sorted((s, t))))
            gold_drift[frozenset((s, t))] = drifted
    for item in gen["derived"]:
        src = bbc[item["source"]]
        new_id = f"gen:derived:{item['source']}"
        new = make_derived(src, bbc_article(corpus, item["filler"]), item["seed"], new_id)
        rows["articles"].append(new)
        rows["quotes"] += regex_quotes(new)
        universe.add(new_id)
        no_story.add(new_id)
        gold_links[tuple(sorted((src["id"], new_id)))] = "derived"

    if events_cache is not None:
        rows["local_entities"] += add_events([a for a in rows["articles"] if a["id"] not in seed_ids.values()],
                                             events_cache, "bbc-bench")
    # exact re-use of a quote (same words, >= 4) in two articles is the same utterance
    by_words = defaultdict(list)
    for q in rows["quotes"]:
        if not q.get("parent_id") and q["kind"] != "post" and len(_norm_words(q["text"]).split()) >= 4:
            by_words[_norm_words(q["text"])].append(q)
    for qs in by_words.values():
        for x, y in itertools.combinations(qs, 2):
            if x["article_id"] != y["article_id"]:
                gold_qpairs.add(tuple(sorted((x["id"], y["id"]))))
    # transitive closure of gold quote pairs
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in gold_qpairs:
        parent[find(x)] = find(y)
    groups = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    qart = {q["id"]: q["article_id"] for q in rows["quotes"]}
    closed = set()
    for members in groups.values():
        for x, y in itertools.combinations(sorted(members), 2):
            if qart[x] != qart[y]:
                closed.add((x, y))
    return dict(rows=rows, gold_story=gold_story, gold_links=gold_links, universe=universe,
                gold_qpairs=closed, gold_drift=gold_drift, no_story=no_story)


def evaluate(data: dict[str, Any], result: Any) -> dict[str, Any]:
    """Scores of one link result against the gold."""
    gold_story = {a: s for a, s in data["gold_story"].items() if a not in data["no_story"]}
    p, r, f = bcubed(result.story_of, gold_story)
    pred_clusters = len({result.story_of[a] for a in gold_story if a in result.story_of})
    gold_clusters = len(set(gold_story.values()))
    out: dict[str, Any] = dict(stories=dict(precision=p, recall=r, f1=f, clusters=pred_clusters,
                                            gold_clusters=gold_clusters, articles=len(gold_story)))
    uni = data["universe"]
    pred = {tuple(sorted((lk.a, lk.b))): lk.kind for lk in result.links if lk.a in uni and lk.b in uni}
    gold = data["gold_links"]
    same_gold_story = lambda a, b: a in gold_story and gold_story.get(a) == gold_story.get(b)  # noqa: E731
    links = {}
    for kind in KINDS:
        tp = sum(1 for pair, k in pred.items() if k == kind and gold.get(pair) == kind)
        if kind == "same-story":
            # any pair of one gold story that is not a copy is a correct same-story link
            tp = sum(1 for pair, k in pred.items() if k == kind and (gold.get(pair) == kind or
                     (pair not in gold and same_gold_story(*pair))))
        fp = sum(1 for k in pred.values() if k == kind) - tp
        fn = sum(1 for pair, k in gold.items() if k == kind and pred.get(pair) != kind)
        pk, rk = pr(tp, fp, fn)
        links[kind] = dict(precision=pk, recall=rk, tp=tp, fp=fp, fn=fn,
                           gold=sum(1 for k in gold.values() if k == kind))
    # same-story read off the stories: a pair of one predicted story not linked as a copy. The
    # same-story links above are only each article's nearest earlier members (linear, not all
    # pairs), so their recall counts pairs a user finds through the story, not through a link.
    members: dict[str, list[str]] = {}
    for a in sorted(uni):
        if a in result.story_of:
            members.setdefault(result.story_of[a], []).append(a)
    co = {(x, y) for arts in members.values() for x, y in itertools.combinations(arts, 2)
          if pred.get((x, y)) in (None, "same-story")}
    tp = sum(1 for pair in co if gold.get(pair) == "same-story" or (pair not in gold and same_gold_story(*pair)))
    fn = sum(1 for pair, k in gold.items() if k == "same-story" and pair not in co)
    pk, rk = pr(tp, len(co) - tp, fn)
    out["same_story_by_membership"] = dict(precision=pk, recall=rk, tp=tp, fp=len(co) - tp, fn=fn)
    any_tp = sum(1 for pair in pred if pair in gold and gold[pair] != "same-story")
    out["links"] = links
    out["links_any_copy"] = dict(  # duplicate/rewrite/derived found, whatever the kind
        found=any_tp, gold=sum(1 for k in gold.values() if k != "same-story"))
    qart = {}
    for g in result.quote_groups:
        for x in g.quote_ids:
            qart[x] = g.id
    pred_q = set()
    for g in result.quote_groups:
        for x, y in itertools.combinations(sorted(g.quote_ids), 2):
            pred_q.add((x, y))
    gq = data["gold_qpairs"]
    tp = len(pred_q & gq)
    qp, qr = pr(tp, len(pred_q) - tp, len(gq) - tp)
    drift_ok = drift_n = 0
    by_quote = {x: g for g in result.quote_groups for x in g.quote_ids}
    for ids, drifted in data["gold_drift"].items():
        gs = {by_quote[x].id for x in ids if x in by_quote}
        if len(gs) != 1:
            continue
        g = by_quote[next(iter(ids))]
        flagged = any(d.get("drift") for d in g.differences if d["quote_id"] in ids) if drifted else \
            not any(d.get("drift") for d in g.differences if d["quote_id"] in ids)
        drift_n += 1
        drift_ok += int(flagged)
    out["quote_groups"] = dict(precision=qp, recall=qr, tp=tp, pred_pairs=len(pred_q), gold_pairs=len(gq),
                               groups=len(result.quote_groups),
                               drift_accuracy=drift_ok / drift_n if drift_n else float("nan"),
                               drift_checked=drift_n,
                               drift_gold_true=sum(1 for v in data["gold_drift"].values() if v))
    return out


def link_rows(rows: dict[str, list], **setting: Any) -> tuple[Any, float]:
    """One link of a bench corpus's rows as the pipeline makes it, and the seconds it took;
    ``setting``, when given, is passed to ``stories.cluster_stories`` (as bench/story_cv.py does)."""
    from newstrace.config import Settings
    from newstrace.link import core, link_articles, stories

    if setting:
        core.cluster_stories = functools.partial(stories.cluster_stories, **setting)
    t0 = time.perf_counter()
    try:
        result = link_articles(rows["articles"], quotes=rows["quotes"], claims=rows["claims"],
                               local_entities=rows["local_entities"], attributions=rows["attributions"],
                               existing_stories=[], settings=Settings())
    finally:
        core.cluster_stories = stories.cluster_stories
    return result, time.perf_counter() - t0


def baseline_tree(articles: list[dict[str, Any]]) -> Any:
    """The TF-IDF complete-link tree of the articles' titles and texts (the baseline)."""
    return complete_link_tree([(a.get("title") or "") + "\n" + a["text"] for a in articles])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="folder holding bbc/ and ecbplus-dev/ (default: ../shared/corpus)")
    ap.add_argument("--cache", default=str(REPO / "bench" / ".cache"),
                    help="where the ecbplus-dev parses are kept (default: bench/.cache)")
    ap.add_argument("--skip-ecb", action="store_true", help="leave out ecbplus-dev (faster)")
    ap.add_argument("--bbc-events", action="store_true",
                    help="give BBC's articles their main events (a spaCy parse, cached in --cache), as analyze would")
    ap.add_argument("--stages", action="store_true",
                    help="also link ecbplus-dev with the edge pass only (no leftover re-attached): which stage loses what")
    ap.add_argument("--topics", type=int, default=0, metavar="N",
                    help="also print the N ecbplus-dev topics that lose most, with what their gold stories became")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()

    corpus = corpus_dir(args.corpus)
    threshold = None
    ecb_scores: dict[str, Any] = {}
    if not args.skip_ecb and (corpus / "ecbplus-dev").is_dir():
        ecb = ecb_build(corpus, Path(args.cache))
        er = ecb["rows"]
        eres, esecs = link_rows(er)
        ids = [a["id"] for a in er["articles"]]
        tree = baseline_tree(er["articles"])
        threshold, _ = best_threshold(tree, ids, ecb["gold_story"])
        print(f"TF-IDF complete-link baseline: cosine threshold {threshold:.2f}, chosen on ecbplus-dev only "
              f"(best B-cubed F1 there) and applied unchanged to BBC and seeds")
        print(f"ecbplus-dev: {len(ids)} articles linked in {esecs:.1f} s")
        print(story_line("ecbplus-dev", eres.story_of, ecb["gold_story"], cut_tree(tree, ids, threshold)))
        topic = {a["id"]: Path(a.get("file") or a.get("source") or "").name.split("_")[0] for a in er["articles"]}
        print(loss_line("ecbplus-dev", eres.story_of, ecb["gold_story"], topic))
        for t, pl, rl, stories in topic_losses(eres.story_of, ecb["gold_story"], topic)[:args.topics]:
            print(f"  topic {t:>3}  lost P {pl:.4f} R {rl:.4f}  predicted stories: {stories}")
        if args.stages:  # the stories after the edge pass, before any leftover joins its neighbours' story
            edge, _ = link_rows(er, attach_rounds=0)
            print(story_line("ecb edges", edge.story_of, ecb["gold_story"], cut_tree(tree, ids, threshold)) +
                  " (edge pass only: no leftover re-attached)")
            print(loss_line("ecb edges", edge.story_of, ecb["gold_story"], topic))
        p, r, f = bcubed(eres.story_of, ecb["gold_story"])
        ecb_scores = dict(precision=p, recall=r, f1=f, seconds=esecs, baseline_threshold=threshold,
                          stories=len(set(eres.story_of.values())),
                          losses=dict(zip(("precision", "recall"), story_losses(eres.story_of, ecb["gold_story"], topic))))
        print("ecbplus-dev  bare: its files are bare already (no headline, date, outlet or url): the line above; "
              f"{sum(1 for a in er['articles'] if a['published'])} of them carry a date line the clean stage reads")
        undated = dict(er, articles=[dict(a, published=None, event_date=None) for a in er["articles"]])
        ures, _ = link_rows(undated)
        print(story_line("ecb no dates", ures.story_of, ecb["gold_story"], cut_tree(tree, ids, threshold)) +
              " (publication and event dates dropped)")
        print(loss_line("ecb no dates", ures.story_of, ecb["gold_story"], topic))
        sres, _ = link_rows(shuffled(er))
        print(f"ecbplus-dev  shuffled input order: stories {'identical' if sres.story_of == eres.story_of else 'DIFFERENT'}")
        ecb_scores["shuffled_identical"] = sres.story_of == eres.story_of

    data = build(corpus, Path(args.cache) if args.bbc_events else None)
    rows = data["rows"]
    result, secs = link_rows(rows)
    gold_story = {a: s for a, s in data["gold_story"].items() if a not in data["no_story"]}
    ids = [a["id"] for a in rows["articles"]]
    tree = baseline_tree(rows["articles"])
    if threshold is None:
        threshold, _ = best_threshold(tree, ids, gold_story)
        print(f"TF-IDF complete-link baseline: threshold {threshold:.2f} (no ecbplus-dev: chosen on BBC itself)")
    base = cut_tree(tree, ids, threshold)
    bbc_gold = {a: s for a, s in gold_story.items() if not s.startswith("seed:")}
    seed_gold = {a: s for a, s in gold_story.items() if s.startswith("seed:")}
    print(story_line("BBC", result.story_of, bbc_gold, base))
    print(loss_line("BBC", result.story_of, bbc_gold))
    print(story_line("seeds", result.story_of, seed_gold, base))
    seed_name = {a["id"]: Path(a.get("source") or a["id"]).name for a in rows["articles"] if a["id"] in seed_gold}
    seed_stories: dict[str, list[str]] = defaultdict(list)
    for a in sorted(seed_gold, key=seed_name.get):
        seed_stories[result.story_of.get(a, a)].append(seed_name[a][:3])
    print("seeds        stories " + " ".join("{" + ", ".join(v) + "}" for v in sorted(seed_stories.values())))
    bare = bare_bench(corpus, data, Path(args.cache), args.bbc_events)
    bres, _ = link_rows(bare["rows"])
    bids = [a["id"] for a in bare["rows"]["articles"]]
    bbase = cut_tree(baseline_tree(bare["rows"]["articles"]), bids, threshold)
    bgold = bare["gold_story"]
    print(story_line("BBC bare", bres.story_of, {a: s for a, s in bgold.items() if not s.startswith("seed:")}, bbase))
    print(loss_line("BBC bare", bres.story_of, {a: s for a, s in bgold.items() if not s.startswith("seed:")}))
    print(story_line("seeds bare", bres.story_of, {a: s for a, s in bgold.items() if s.startswith("seed:")}, bbase))
    bare_seeds: dict[str, list[str]] = defaultdict(list)
    for a in sorted(a for a in bgold if a.startswith("seed:")):
        bare_seeds[bres.story_of[a]].append(a[5:])
    print("seeds bare   stories " + " ".join("{" + ", ".join(v) + "}" for v in sorted(bare_seeds.values())))
    sres, _ = link_rows(shuffled(rows))
    print(f"BBC + seeds  shuffled input order: stories {'identical' if sres.story_of == result.story_of else 'DIFFERENT'}")
    scores = evaluate(data, result)
    s = scores["stories"]
    print(f"BBC + seeds + generated: {len(rows['articles'])} articles linked in {secs:.1f} s; quotes: {len(rows['quotes'])}")
    print(f"all          stories B-cubed P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
          f"clusters {s['clusters']} (gold {s['gold_clusters']}, {s['articles']} articles)")
    for kind, m in scores["links"].items():
        print(f"links    {kind:<10} P {m['precision']:.3f}  R {m['recall']:.3f}  "
              f"(tp {m['tp']}, fp {m['fp']}, fn {m['fn']}; gold {m['gold']})")
    m = scores["same_story_by_membership"]
    print(f"links    same-story by story membership P {m['precision']:.3f}  R {m['recall']:.3f}  "
          f"(tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
    c = scores["links_any_copy"]
    print(f"links    any copy kind found for {c['found']} of {c['gold']} gold duplicate/rewrite/derived pairs")
    q = scores["quote_groups"]
    print(f"quotes   pairwise P {q['precision']:.3f}  R {q['recall']:.3f}  (pred pairs {q['pred_pairs']}, "
          f"gold pairs {q['gold_pairs']}, groups {q['groups']})")
    print(f"drift    correct on {q['drift_accuracy']:.3f} of {q['drift_checked']} grouped gold variants "
          f"({q['drift_gold_true']} gold drifts)")
    if args.json:
        Path(args.json).write_text(json.dumps(dict(scores, seconds=secs, ecbplus_dev=ecb_scores), indent=2))


if __name__ == "__main__":
    main()
