"""Quote, speaker and attribution accuracy of newstrace on the gold dev set and on PolNeAR dev.

Two evaluations, one script (issue 3, "Measure it"):

1. **newstrace gold** (``tests/gold/quotes/*.json``, hand-annotated: the five seed articles and
   BBC politics/business articles, split into ``dev`` and held-out ``test``). Each gold file names
   its source text and lists quotes (kind, content, speaker, speaker_kind, cue, via) and
   attributions (source, source_kind, cue, named, statement). Contents are stored as strings and
   located in newstrace's clean text by a whitespace/quote-mark-insensitive string search, so the
   gold survives changes to the clean stage. For every kind (direct, partial, indirect, block,
   post) the script prints precision, recall and F1 at two span-overlap thresholds (0.3 and 0.8)
   and speaker accuracy on the matched quotes; then attribution precision/recall (instances and
   distinct sources per article). textacy's ``direct_quotations`` runs on the same parses as the
   baseline (kind ``direct`` and kind-agnostic rows).
2. **PolNeAR dev** (``../shared/corpus/polnear/dev``, brat standoff, Newell et al. LREC 2018):
   gold content spans against newstrace quotes of any kind (their raw-text spans), gold source
   mentions against newstrace's speaker/source mention spans, at exact and overlap matching.
   Published reference points: GenderGapTracker quote F1 0.84, speaker 0.87 (its own set);
   CofeNet on PolNeAR source F1 0.83, content F1 0.73 (exact span match).

Matching. Texts are cut into word tokens (``\\w+``); a span is the set of token positions it
covers (so punctuation, quote marks and the whitespace around them do not count). The overlap of
a gold and a predicted span is ``|G & P| / max(|G|, |P|)``: it penalises a span that is too short
and one that is too long alike. Gold and predictions are paired one-to-one, best overlap first,
among pairs at or above the threshold. A gold quote in several parts (``"A," he said, "B."``)
also matches predictions that return each part as its own quote: those are merged first
(:func:`_merge_split`). Per-kind rows pair gold and predicted quotes of that kind
only; the ``any`` row pairs regardless of kind. A gold quote whose content cannot be located in
the clean text (a social-media post the clean stage moved to ``Article.posts``) is compared by
its words with the predicted quote's text instead. Speaker accuracy: the predicted canonical
speaker equals the gold one (or a listed alternative), compared case-, space- and
punctuation-insensitively and ignoring a leading article; an anonymous source's description may
also be a part (two words or more) of the gold description, or contain it.

A PolNeAR content in several pieces (a split quote) is one relation: predictions lying inside
its pieces are merged first, as for the newstrace gold (``bench/scoring.py``'s
:func:`merge_split_contents`, the scorer ``bench/attribution_model.py`` shares); a partial quote
inside a predicted reported clause ('he led a "grubby government"') is part of that relation, as
PolNeAR annotates it, and is not scored on its own.
"Exact" on PolNeAR means the same set of word tokens (punctuation and quote marks at the edges
do not count); "exact-t" is exact once a leading "that" is dropped from both spans (PolNeAR's
content spans include the complementiser, newstrace's do not); "overlap" means at least one
shared word token. "Named source right" is, of the matched contents (0.3) whose gold source names
someone, the share whose predicted speaker (canonical name or mention, in :func:`name_words`:
"O'Hanlon" and "Resnick-Day" one word each) contains that name's surname (:func:`name_head`: the
source's head proper noun, or the one in apposition to or modifying its head; not the span's last
proper noun, which is often a state in "(R-Iowa)" or a word of a relative clause; not a suffix
"Jr.", "III", nor a tag "(D)", ", R-Fla."). Before 2026-12-03 the predicted speaker was split at
every apostrophe and hyphen and the head could be a suffix or a parenthesised tag.
"Full name right" compares the predicted canonical name's first name and surname (:func:`name_key`)
with the gold person's (:func:`gold_full_name`); a surname the article gives two full names is not
scored in the first figure, and in the second (since 2026-12-03, speakers6) it is resolved by the
honorific's gender when that decides (:func:`resolve_namesake`), and a predicted speaker of several people is compared person by person (:func:`person_keys`).
``--polnear-errors`` (train) lists every full-name miss of that second figure.

Usage::

    .venv/bin/python bench/quotes.py [--split dev|test|holdout|holdout-intl|...|all] [--gold-dir DIR]
        [--polnear-limit N] [--polnear-split dev|train] [--polnear-reports]
        [--polnear-errors N] [--no-polnear] [--no-baseline] [--json] [--verbose]

PolNeAR dev (held out) is printed first, then the newstrace gold (BBC and seeds). Beliefs,
intentions, decisions, evidence and noun-phrase contents are on as in the database
(``Settings.include_beliefs``, ``include_nominal``); measure the switches with
``NEWSTRACE_INCLUDE_BELIEFS=false`` / ``NEWSTRACE_INCLUDE_NOMINAL=false``. The newstrace gold
annotates speech, so it is scored on quotes whose ``act`` is speech; PolNeAR annotates every
act and is scored on all of them, with precision per predicted kind/act. Below the gold's table,
one line per choice of compared records shows what that choice does: every act against speech
acts only, the rules alone (``attribution_model`` off) against the shipped default, and clause
contents only (the gold leaves out a cue's noun-phrase object, "criticised the plans"). Beside the gold's
'any' row, and per split, the same figures without the predicted records whose ``Quote.form`` is
``noun_phrase`` ('without NP': what a Quotebank-style quote list keeps), with each split's indirect records by
form; PolNeAR's indirect records by form with their precision. "annotate / parse" is
the extraction time over the bare spaCy parse time (the budget is 0.15), in CPU time of this process (the
headline: both run in this one process, so the other jobs of a shared machine slow both alike) and in wall
clock beside it (which counts the time the process waited for a core: under load it moves by a tenth or more
from run to run). One pass; ``bench/extract_time.py`` gives medians over rounds.
"""

from __future__ import annotations

import argparse
import bisect
import importlib
import importlib.util
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "training"))
from polnear_data import is_blind, read_relations  # noqa: E402  (the blind 10 % of PolNeAR train: never read for errors)
sys.path.insert(0, str(REPO / "bench"))
from scoring import (  # noqa: E402  (the one PolNeAR content scorer, shared with bench/attribution_model.py)
    Tokens, gold_contents, match, merge_split_contents, overlap, prediction_spans, raw_span, score_contents)
GOLD_DIR = REPO / "tests" / "gold" / "quotes"
_CORPUS_CANDIDATES = [REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")]

KINDS = ("direct", "partial", "indirect", "block", "post")
SPEAKER_KINDS = ("person", "organisation", "anonymous", "outlet", "unknown")
SOURCE_KINDS = ("outlet", "person", "organisation", "document", "anonymous", "unknown")
SPLITS = ("dev", "test", "holdout", "holdout-us", "holdout-us2", "holdout-us3", "holdout-us4", "holdout-intl",
          "holdout-intl2", "holdout-intl3", "holdout-intl4",
          "holdout-intl5", "holdout-intl6", "holdout-intl7",
          "holdout-intl8", "holdout-intl9")  # holdout*: annotated and committed last, never tuned on
# committed but not yet scored: "all" leaves them out, so only an explicit --split NAME (the lead's one
# blind score) runs newstrace on their texts; bench/entities.py skips them too; move a split out of here once
# it has been scored (holdout-intl4 was scored once on 2026-12-04 01:20 UTC)
# (holdout-intl5, committed unscored 2026-12-04 13:50 UTC, was scored once on 2026-12-04 15:10 UTC;
# holdout-intl6, committed unscored 2026-12-04 16:12 UTC, was scored once on 2026-12-04 16:12 UTC;
# holdout-intl7, committed unscored 2026-12-04 17:11 UTC, was scored once on 2026-12-04 18:12 UTC)
# holdout-intl8, committed unscored 2026-12-04 18:56 UTC (branch gold13), and holdout-intl9, committed unscored
# 2026-12-04 18:59 UTC (branch gold14), were scored once on 2026-12-04 20:30 UTC)
UNSCORED: tuple[str, ...] = ()
ROOTS = ("repo", "corpus")
THRESHOLDS = (0.3, 0.8)

_WORD = re.compile(r"\w+")
# Characters that differ between raw and clean text or between typists: compared as one.
_CHAR_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\u00ad": "",
}


class GoldError(Exception):
    """A gold file is unreadable or inconsistent, or its source text is missing."""


class StageMissing(Exception):
    """A newstrace stage module the benchmark needs is not importable."""


# ---------------------------------------------------------------------------------------------
# Gold files
# ---------------------------------------------------------------------------------------------
@dataclass
class GoldArticle:
    """One gold file: where its text comes from and what it contains."""

    id: str
    path: Path  # the gold JSON file
    root: str  # "repo" (relative to the checkout) or "corpus" (relative to ../shared/corpus)
    file: str
    split: str
    quotes: list[dict[str, Any]]
    attributions: list[dict[str, Any]]
    notes: str = ""

    def source_path(self, corpus: Path | None = None) -> Path:
        """The article's input file (raises GoldError when it does not exist)."""
        if self.root == "repo":
            p = REPO / self.file
        else:
            base = corpus if corpus is not None else find_corpus()
            if base is None:
                raise GoldError(f"{self.path.name}: needs the shared corpus ({self.file}), which was not "
                                f"found at any of {[str(c) for c in _CORPUS_CANDIDATES]}")
            p = base / self.file
        if not p.is_file():
            raise GoldError(f"{self.path.name}: source text {p} does not exist; fix 'file' in the gold file")
        return p

    def read_source(self, corpus: Path | None = None) -> str:
        """The raw text of the article's input file."""
        return self.source_path(corpus).read_text(encoding="utf-8")


def find_corpus() -> Path | None:
    """../shared/corpus next to the checkout (as in CI), else /work/shared/corpus, else None."""
    return next((p for p in _CORPUS_CANDIDATES if p.is_dir()), None)


def load_gold_file(path: Path) -> GoldArticle:
    """Read one gold JSON file (schema errors raise GoldError naming the file and field)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: not valid JSON ({exc}); fix the file") from exc
    for key in ("id", "root", "file", "split", "quotes", "attributions"):
        if key not in data:
            raise GoldError(f"{path}: missing key {key!r}")
    return GoldArticle(id=data["id"], path=path, root=data["root"], file=data["file"], split=data["split"],
                       quotes=data["quotes"], attributions=data["attributions"], notes=data.get("notes", ""))


def load_gold(split: str = "all", gold_dir: Path = GOLD_DIR) -> list[GoldArticle]:
    """All gold articles of a split ("dev", "test", "holdout" or "all"), sorted by id.

    "all" leaves out the splits in ``UNSCORED`` (committed blind, to be scored once by name).
    """
    if split not in (*SPLITS, "all"):
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}, all")
    arts = [load_gold_file(p) for p in sorted(gold_dir.glob("*.json"))]
    if split == "all":
        return [a for a in arts if a.split not in UNSCORED]
    return [a for a in arts if a.split == split]


def _norm_char(c: str) -> str:
    if c in _CHAR_MAP:
        return _CHAR_MAP[c]
    if c.isspace():
        return " "
    return unicodedata.normalize("NFKC", c)


@lru_cache(maxsize=256)
def normalise_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """Text with quote marks, dashes and whitespace runs unified, and each char's original offset."""
    out: list[str] = []
    omap: list[int] = []
    for i, c in enumerate(text):
        n = _norm_char(c)
        for ch in n:
            if ch == " " and out and out[-1] == " ":
                continue
            out.append(ch)
            omap.append(i)
    return "".join(out), tuple(omap)


def locate(text: str, needle: str, start: int = 0, occurrence: int = 1) -> tuple[int, int] | None:
    """Span (start, end) of ``needle`` in ``text`` at or after ``start``, comparing normalised text.

    Args:
        text: the text to search (raw or clean article text).
        needle: the string to find; surrounding whitespace is ignored.
        start: offset in ``text`` to search from.
        occurrence: 1 for the first match, 2 for the second, ...
    Returns:
        (start, end) offsets into ``text``, or None when not found.

    >>> locate("He said: \u201cWe will go.\u201d", '"We will go."')
    (9, 22)
    """
    norm, omap = normalise_with_map(text)
    n_needle, _ = normalise_with_map(needle.strip())
    n_needle = n_needle.strip()
    if not n_needle:
        return None
    # first normalised position at or after `start`
    pos = bisect.bisect_left(omap, start)
    for _ in range(occurrence):
        hit = norm.find(n_needle, pos)
        if hit < 0:
            return None
        pos = hit + 1
    end_norm = hit + len(n_needle) - 1
    return omap[hit], omap[end_norm] + 1


def quote_parts(q: dict[str, Any]) -> list[str]:
    """The content of a gold quote as a list of parts (a split or multi-paragraph quote has several)."""
    c = q["content"]
    return [c] if isinstance(c, str) else list(c)


def locate_quote(text: str, q: dict[str, Any]) -> list[tuple[int, int]] | None:
    """Spans of a gold quote's parts in ``text`` (each part after the previous one), or None.

    The first part is searched after the optional ``after`` anchor, at its ``occurrence``.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    if q.get("after"):  # an anchor string before the quote, for contents that occur more than once
        anchor = locate(text, q["after"])
        if anchor is None:
            return None
        pos = anchor[1]
    for i, part in enumerate(quote_parts(q)):
        hit = locate(text, part, pos, q.get("occurrence", 1) if i == 0 else 1)
        if hit is None:
            return None
        spans.append(hit)
        pos = hit[1]
    return spans


def check_gold(gold: GoldArticle, text: str | None = None) -> list[str]:
    """Problems with one gold article (empty when it is consistent with its source text)."""
    probs: list[str] = []
    name = gold.path.name
    if gold.split not in SPLITS:
        probs.append(f"{name}: split {gold.split!r} is not one of {SPLITS}")
    if gold.root not in ROOTS:
        probs.append(f"{name}: root {gold.root!r} is not one of {ROOTS}")
    if gold.path.stem != gold.id:
        probs.append(f"{name}: id {gold.id!r} differs from the file name")
    if text is None:
        try:
            text = gold.read_source()
        except GoldError as exc:
            return probs + [str(exc)]
    for i, q in enumerate(gold.quotes):
        where = f"{name}: quote {i}"
        for key in ("kind", "content", "speaker", "speaker_kind", "cue", "via"):
            if key not in q:
                probs.append(f"{where}: missing key {key!r}")
        if q.get("kind") not in KINDS:
            probs.append(f"{where}: kind {q.get('kind')!r} is not one of {KINDS}")
        if q.get("speaker_kind") not in SPEAKER_KINDS:
            probs.append(f"{where}: speaker_kind {q.get('speaker_kind')!r} is not one of {SPEAKER_KINDS}")
        if not q.get("speaker"):
            probs.append(f"{where}: empty speaker (a quote with no known speaker is not gold)")
        parts = quote_parts(q) if "content" in q else []
        if not parts or not all(isinstance(p, str) and _WORD.search(p) for p in parts):
            probs.append(f"{where}: content must be a non-empty string or list of strings with words")
            continue
        if locate_quote(text, q) is None:
            probs.append(f"{where}: content not found in the source text: {parts[0][:60]!r}")
        elif "occurrence" not in q and "after" not in q and locate(text, parts[0], 0, 2) is not None:
            probs.append(f"{where}: content occurs more than once; add \"after\": <text just before it> "
                         f"or \"occurrence\": N: {parts[0][:60]!r}")
        if q.get("after") and locate(text, q["after"], 0, 2) is not None:
            probs.append(f"{where}: the 'after' anchor occurs more than once: {q['after'][:60]!r}")
    for i, a in enumerate(gold.attributions):
        where = f"{name}: attribution {i}"
        for key in ("source", "source_kind", "cue", "named", "statement"):
            if key not in a:
                probs.append(f"{where}: missing key {key!r}")
        if a.get("source_kind") not in SOURCE_KINDS:
            probs.append(f"{where}: source_kind {a.get('source_kind')!r} is not one of {SOURCE_KINDS}")
        if not isinstance(a.get("named"), bool):
            probs.append(f"{where}: named must be true or false")
        if a.get("statement") and locate(text, a["statement"]) is None:
            probs.append(f"{where}: statement not found in the source text: {a['statement'][:60]!r}")
    return probs


# ---------------------------------------------------------------------------------------------
# Scoring primitives
# ---------------------------------------------------------------------------------------------
def word_overlap(gold: Counter, pred: Counter) -> float:
    """Like :func:`overlap` on bags of lower-cased words (for spans with no offsets, e.g. posts)."""
    if not gold or not pred:
        return 0.0
    return sum((gold & pred).values()) / max(sum(gold.values()), sum(pred.values()))


def norm_name(name: str | None) -> str:
    """A speaker/source name for comparison: case, spacing, punctuation and a leading article ignored."""
    if not name:
        return ""
    s, _ = normalise_with_map(name)
    s = re.sub(r"[^\w]+", " ", s.casefold()).strip()
    return re.sub(r"^(?:the|a|an|some) ", "", s)


def speaker_matches(gold_names: set[str], pred_name: str, *, anonymous: bool = False) -> bool:
    """Whether a predicted speaker (normalised) is the gold one (normalised names + alternatives).

    An anonymous source is described, not named: a prediction that is a part of the gold
    description of two words or more ("arizona border patrol agent" for "a Yuma, Arizona border
    patrol agent"), or that contains it, counts as the same description.
    """
    if not pred_name:
        return False
    if pred_name in gold_names:
        return True
    if not anonymous:
        return False
    padded = f" {pred_name} "
    for g in gold_names:
        shorter, longer = (pred_name, f" {g} ") if len(pred_name) <= len(g) else (g, padded)
        if shorter and len(shorter.split()) >= 2 and f" {shorter} " in longer:
            return True
    return False


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "pred": n_pred, "gold": n_gold, "p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def _words(text: str) -> Counter:
    return Counter(w.casefold() for w in _WORD.findall(text or ""))


@dataclass
class _Item:
    """A gold or predicted quote reduced to what scoring needs."""

    kind: str
    positions: frozenset[int] | None  # token positions in the clean text (None: compare by words)
    words: Counter
    speakers: set[str] = field(default_factory=set)  # normalised names (gold: name + alternatives)
    label: str = ""  # for --verbose
    multi: bool = False  # a gold quote in several parts (split, or re-opened in each paragraph)
    anonymous: bool = False  # gold speaker_kind == "anonymous" (described, not named)
    speaker_kind: str = ""  # gold only
    # gold: the person speaker's full names (name_key of the name and its alternatives); predicted:
    # the canonical name's name_key, and the words of the canonical name and mention (name_words)
    full_names: set = field(default_factory=set)
    said_words: set = field(default_factory=set)

    def person_right(self, pred: "_Item") -> tuple[bool, bool]:
        """(surname right, full name right) of ``pred`` for this gold item with a person speaker:
        the gold name's surname among the predicted name's or mention's words, and the predicted
        canonical name's first name and surname those of the gold name (:func:`name_key`)."""
        surnames = {k[-1] for k in self.full_names if k}
        return bool(surnames & pred.said_words), bool(self.full_names & pred.full_names)

    def speaker_ok(self, pred: "_Item") -> bool:
        """Whether ``pred`` (a prediction paired with this gold item) has the right speaker."""
        return any(speaker_matches(self.speakers - {""}, p, anonymous=self.anonymous) for p in pred.speakers)


def _item_score(g: _Item, p: _Item) -> float:
    if g.positions is not None and p.positions is not None:
        return overlap(g.positions, p.positions)
    return word_overlap(g.words, p.words)


# ---------------------------------------------------------------------------------------------
# Running newstrace
# ---------------------------------------------------------------------------------------------
_STAGES = {
    "clean": "newstrace.clean (src/newstrace/clean.py: clean_article)",
    "entities": "newstrace.extract.entities (src/newstrace/extract/entities/: analyze_entities)",
    "quotes": "newstrace.extract.quotes (src/newstrace/extract/quotes.py: extract_quotes)",
    "attributions": "newstrace.extract.attributions (src/newstrace/extract/attributions.py: extract_attributions)",
    "claims": "newstrace.extract.claims (src/newstrace/extract/claims.py: extract_claims)",
}


def load_stages(required: tuple[str, ...] = ("clean", "entities", "quotes")) -> dict[str, Any]:
    """Import the newstrace stage modules; the optional ones (attributions, claims) may be missing.

    Raises:
        StageMissing: a required stage cannot be imported; the message names the module and the fix.
    """
    mods: dict[str, Any] = {}
    for name, what in _STAGES.items():
        modname = what.split(" ", 1)[0]
        try:
            found = importlib.util.find_spec(modname) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            if name in required:
                raise StageMissing(f"needs {what}, which does not exist yet. Land that stage "
                                   "(or run from a checkout that has it), then rerun.")
            continue
        try:
            mods[name] = importlib.import_module(modname)
        except Exception as exc:  # a broken stage must not crash the benchmark with a traceback
            if name in required:
                raise StageMissing(f"cannot import {what}: {type(exc).__name__}: {exc}. "
                                   "Fix the module, then rerun.") from exc
    return mods


def clocks() -> tuple[float, float]:
    """Now on both of the benches' clocks.

    Returns:
        (CPU time of this process, wall clock), in seconds (``time.process_time``, ``time.perf_counter``).
    """
    return time.process_time(), time.perf_counter()


def timed(fn, *args, **kwargs) -> tuple[Any, float, float]:
    """Call ``fn(*args, **kwargs)`` and time it in CPU time and in wall clock.

    Args:
        fn: the callable to time; args, kwargs: its arguments.
    Returns:
        (what ``fn`` returned, CPU seconds of this process, wall-clock seconds).

    >>> _, cpu, wall = timed(time.sleep, 0.01)
    >>> wall >= 0.01 and cpu < wall
    True
    """
    cpu0, wall0 = clocks()
    out = fn(*args, **kwargs)
    cpu1, wall1 = clocks()
    return out, cpu1 - cpu0, wall1 - wall0


def timing_summary(parse_s: list[float], annotate_s: list[float], n: int) -> dict[str, float | None]:
    """The timing entry of a result: seconds and annotate / parse in CPU time and in wall clock.

    Args:
        parse_s, annotate_s: (CPU, wall-clock) seconds summed over the articles (:func:`timed`).
        n: the number of articles.
    Returns:
        ``parse_s``, ``annotate_s`` and ``annotate_vs_parse`` in CPU time (the headline), the same with
        ``_wall`` in wall clock, and articles per second of each (wall clock).

    >>> timing_summary([2.0, 4.0], [0.3, 0.8], 10)["annotate_vs_parse"]
    0.15
    """
    (p_cpu, p_wall), (a_cpu, a_wall) = parse_s, annotate_s
    return {"parse_s": round(p_cpu, 2), "annotate_s": round(a_cpu, 2),
            "annotate_vs_parse": round(a_cpu / p_cpu, 3) if p_cpu else None,
            "parse_wall_s": round(p_wall, 2), "annotate_wall_s": round(a_wall, 2),
            "annotate_vs_parse_wall": round(a_wall / p_wall, 3) if p_wall else None,
            "parse_articles_per_s": round(n / p_wall, 1) if p_wall else None,
            "annotate_articles_per_s": round(n / a_wall, 1) if a_wall else None}


def _settings():
    """The Settings the pipeline would use here (``NEWSTRACE_INCLUDE_BELIEFS=false`` etc. measure the switches)."""
    from newstrace.config import load_settings
    return load_settings()


def _annotate(mods: dict[str, Any], doc, article):
    """Quotes and attributions of one article (the full annotate stage when every module exists)."""
    settings = _settings()
    if "attributions" in mods and "claims" in mods:
        from newstrace.extract import annotate
        ann = annotate(doc, article, settings=settings)
        return ann.quotes, ann.attributions
    ents = mods["entities"].analyze_entities(doc, article)
    quotes = mods["quotes"].extract_quotes(doc, article, entities=ents, include_beliefs=settings.include_beliefs,
                                           include_nominal=settings.include_nominal)
    attrs = (mods["attributions"].extract_attributions(doc, article, entities=ents)
             if "attributions" in mods else None)
    return quotes, attrs


def _rules_quotes(mods: dict[str, Any], doc, article) -> list | None:
    """The rules' quotes alone (``attribution_model`` off), for the comparison rows; None when the
    full annotate stage is not available or raises."""
    if "attributions" not in mods or "claims" not in mods:
        return None
    from dataclasses import replace
    from newstrace.extract import annotate
    try:
        return annotate(doc, article, settings=replace(_settings(), attribution_model=False)).quotes
    except Exception:  # the comparison row only; the main scores already logged any failure
        return None


# The rows of the "like with like" comparison on the speech-only gold: which records are compared.
GOLD_VARIANTS = (
    ("shipped, speech acts (the table above)", "shipped", False, False),
    ("shipped, every act", "shipped", True, False),
    ("shipped, speech acts, clause contents", "shipped", False, True),
    ("rules alone, speech acts", "rules", False, False),
    ("rules alone, speech acts, clause contents", "rules", False, True),
)


def _process(mods: dict[str, Any], nlp, raw, name: str, failures: list[str], log) -> tuple:
    """Clean, parse and annotate one article; a stage that raises is logged and scored as no output.

    Returns:
        (article, doc, quotes, attributions or None, parse seconds, annotate seconds), the seconds as
        (CPU, wall clock) pairs (:func:`timed`)
    """
    from newstrace.models import Article
    try:
        article = mods["clean"].clean_article(raw)
    except Exception as exc:  # one broken article must not stop the benchmark
        failures.append(f"{name}: clean_article raised {type(exc).__name__}: {exc}")
        log(f"bench/quotes.py: {failures[-1]} (scored on the raw text with no predictions)")
        article = Article(id=name, source=raw.source, raw_text=raw.text, text=raw.text)
    doc, *parse_s = timed(nlp, article.text)
    start = clocks()
    try:
        quotes, attrs = _annotate(mods, doc, article)
    except Exception as exc:
        failures.append(f"{name}: annotate raised {type(exc).__name__}: {exc}")
        log(f"bench/quotes.py: {failures[-1]} (scored as no predictions)")
        quotes, attrs = [], ([] if "attributions" in mods else None)
    annotate_s = [b - a for a, b in zip(start, clocks())]
    return article, doc, quotes, attrs, parse_s, annotate_s


def _raw_article(text: str, source: str):
    from newstrace.models import RawArticle
    return RawArticle(source=source, text=text, file=source, format="txt")


def _read_raw(path: Path, text: str):
    """The RawArticle the pipeline would read for ``path`` (ingest when available, else the plain text)."""
    try:
        from newstrace.ingest import read_articles
        from newstrace.models import RawArticle
        for rec in read_articles([str(path)]):
            if isinstance(rec, RawArticle):
                return rec
    except Exception:  # ingest problems are not what this benchmark measures
        pass
    return _raw_article(text, str(path))


def _textacy_quotes(doc) -> list[tuple[int, int, str, int | None, int | None]] | None:
    """textacy's direct_quotations as (start, end, speaker text, speaker start, speaker end); None on failure."""
    try:
        from textacy.extract.triples import direct_quotations
        out = []
        for tri in direct_quotations(doc):
            content = tri.content
            speaker = " ".join(t.text for t in tri.speaker)
            if tri.speaker:
                ss = min(t.idx for t in tri.speaker)
                se = max(t.idx + len(t.text) for t in tri.speaker)
            else:
                ss = se = None
            out.append((content.start_char, content.end_char, speaker, ss, se))
        return out
    except Exception:  # textacy is only the baseline: a failure scores as no quotes
        return None


# ---------------------------------------------------------------------------------------------
# Gold evaluation
# ---------------------------------------------------------------------------------------------
def _gold_items(gold: GoldArticle, text: str, toks: Tokens) -> tuple[list[_Item], int]:
    items, unlocated = [], 0
    for q in gold.quotes:
        spans = locate_quote(text, q)
        if spans is None:
            unlocated += 1
        names = {norm_name(q["speaker"])} | {norm_name(a) for a in q.get("speaker_alt", [])}
        fulls = {name_key(n) for n in [q["speaker"], *q.get("speaker_alt", [])]} - {None} \
            if q["speaker_kind"] == "person" else set()
        items.append(_Item(q["kind"], toks.positions(spans) if spans else None,
                           _words(" ".join(quote_parts(q))), names,
                           f"{q['kind']} [{q['speaker']}] {quote_parts(q)[0][:70]!r}",
                           multi=len(quote_parts(q)) > 1, anonymous=q["speaker_kind"] == "anonymous",
                           speaker_kind=q["speaker_kind"], full_names=fulls))
    return items, unlocated


def nominal_content(doc, spans: list[tuple[int, int]]) -> bool:
    """Whether a predicted content is a noun phrase: none of the tokens by which it attaches to the
    rest of the parse (head outside the span) is a verb ("criticised [attempts to bring in ...]",
    "reported [strong sales]"); "asked [him to resign]" and "[whether ICE should ...]" are clauses."""
    toks = [t for t in doc if any(a <= t.idx < b for a, b in spans)]
    inside = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
    return bool(roots) and not any(t.pos_ in ("VERB", "AUX") for t in roots)


def _form_tag(q) -> str:
    """A label's note of an indirect record's form ('/np', '/clause', '/quoted') for --verbose."""
    form = getattr(q, "form", None)
    return f"/{'np' if form == 'noun_phrase' else form}" if q.kind == "indirect" and form else ""


def _pred_items(quotes, text: str, toks: Tokens, *, every_act: bool = False, doc=None,
                left_out_forms: tuple[str, ...] = ()) -> list[_Item]:
    """Scored predictions: speech only (the gold annotates what was said; beliefs, intentions,
    decisions and evidence are PolNeAR's, scored there), or every act with ``every_act``; with
    ``doc``, clause contents only (the gold leaves out a cue's noun-phrase object, "criticised the
    plans": :func:`nominal_content`); without the records whose ``form`` is one of
    ``left_out_forms`` (``Quote.form``, "noun_phrase": what a Quotebank-style user keeps). A quote
    in parts covers its parts only."""
    items = []
    for q in quotes:
        if not every_act and getattr(q, "act", "speech") != "speech":
            continue
        if left_out_forms and getattr(q, "form", None) in left_out_forms:
            continue
        if doc is not None and q.kind == "indirect" and q.end > q.start >= 0 and nominal_content(
                doc, list(getattr(q, "parts", None) or []) or [(q.start, q.end)]):
            continue
        has_span = q.kind != "post" and q.end > q.start and q.start >= 0
        spans = list(getattr(q, "parts", None) or []) or [(q.start, q.end)]
        positions = toks.positions(spans) if has_span else None
        body = " ".join(text[a:b] for a, b in spans) if has_span else (q.text or "")
        items.append(_Item(q.kind, positions, _words(body), {norm_name(q.speaker)},
                           f"{q.kind}{_form_tag(q)} [{q.speaker}] {body[:70]!r}", full_names={name_key(q.speaker)} - {None},
                           said_words=name_words(" ".join(filter(None, (q.speaker, q.speaker_mention))))))
    return items


def _baseline_items(triples, text: str, toks: Tokens) -> list[_Item]:
    return [_Item("direct", toks.positions([(s, e)]), _words(text[s:e]), {norm_name(sp)},
                  f"direct [{sp}] {text[s:e][:70]!r}") for s, e, sp, _, _ in triples]


def _merge_split(gold: list[_Item], pred: list[_Item]) -> list[_Item]:
    """Predictions with the pieces of one multi-part gold quote merged into one prediction.

    A split quote (``"A," he said, "B."``) or a quote re-opened in each paragraph is one gold quote
    with several parts; an extractor that returns each piece as its own quote (with the speaker)
    found the same thing. Predictions of the same kind lying (80 %+) inside such a gold quote's
    extent are merged (not for blocks, whose inner quotes are quotes of their own).
    """
    pred = list(pred)
    for g in gold:
        if g.positions is None or not g.multi or g.kind == "block":
            continue
        lo, hi = min(g.positions), max(g.positions)
        inside = [i for i, p in enumerate(pred) if p.positions and p.kind == g.kind and
                  sum(lo <= x <= hi for x in p.positions) >= 0.8 * len(p.positions)]
        if len(inside) < 2:
            continue
        first = pred[inside[0]]
        merged = _Item(first.kind, frozenset().union(*(pred[i].positions for i in inside)),
                       sum((pred[i].words for i in inside), Counter()), first.speakers,
                       first.label + f" (+{len(inside) - 1} pieces)", full_names=first.full_names,
                       said_words=first.said_words)
        pred = [p for i, p in enumerate(pred) if i not in inside] + [merged]
    return pred


def _score_quotes(per_article: list[tuple[list[_Item], list[_Item]]], kinds: tuple[str, ...]) -> dict:
    """Per kind and threshold: P/R/F1 and speaker accuracy, micro-averaged over articles."""
    out: dict[str, Any] = {}
    for kind in (*kinds, "any"):
        row: dict[str, Any] = {}
        for thr in THRESHOLDS:
            tp = n_pred = n_gold = spk = kind_ok = 0
            by_sk: dict[str, list[int]] = {}
            person = [0, 0, 0]  # person speakers right by surname, by full name, of
            for gold, pred in per_article:
                g = [x for x in gold if kind == "any" or x.kind == kind]
                p = _merge_split(g, [x for x in pred if kind == "any" or x.kind == kind])
                pairs = match(g, p, thr, _item_score)
                tp += len(pairs)
                n_pred += len(p)
                n_gold += len(g)
                spk += sum(1 for gi, pi in pairs if g[gi].speaker_ok(p[pi]))
                kind_ok += sum(1 for gi, pi in pairs if p[pi].kind == g[gi].kind)
                for gi, pi in pairs:
                    c = by_sk.setdefault(g[gi].speaker_kind, [0, 0])
                    c[0] += g[gi].speaker_ok(p[pi])
                    c[1] += 1
                    if g[gi].full_names:
                        by_surname, by_full = g[gi].person_right(p[pi])
                        person[0] += by_surname
                        person[1] += by_full
                        person[2] += 1
            row[str(thr)] = {**_prf(tp, n_pred, n_gold), "speaker_acc": round(spk / tp, 3) if tp else 0.0,
                             "speaker_ok": spk}
            if kind == "any":
                row[str(thr)]["kind_acc"] = round(kind_ok / tp, 3) if tp else 0.0
                row[str(thr)]["speaker_acc_by_kind"] = {k: {"acc": round(ok / n, 3), "n": n}
                                                        for k, (ok, n) in sorted(by_sk.items())}
                row[str(thr)]["person_speaker"] = {
                    "by_surname": round(person[0] / person[2], 3) if person[2] else 0.0,
                    "by_full_name": round(person[1] / person[2], 3) if person[2] else 0.0,
                    "surname_ok": person[0], "full_name_ok": person[1], "of": person[2]}
        out[kind] = row
    return out


def _attr_match(gold: GoldArticle, text: str, pred: list) -> tuple[list, list[tuple[int, int]]]:
    """Gold attributions of one article (names, statement span, record) and their pairs with ``pred``."""
    golds = []
    for a in gold.attributions:
        names = {norm_name(a["source"])} | {norm_name(x) for x in a.get("source_alt", [])}
        span = locate(text, a["statement"]) if a.get("statement") else None
        golds.append((names, span, a))

    def score(g, p):
        names, span, _ = g
        if norm_name(p.source) not in names:
            return 0.0
        if span is None:
            return 1.0
        inter = min(span[1], p.end) - max(span[0], p.start)
        return 1.0 + max(inter, 0) / max(span[1] - span[0], 1) if inter > 0 else 0.0

    return golds, match(golds, pred, 1.0, score)


def _score_attributions(per_article: list[tuple[GoldArticle, str, list]]) -> dict:
    tp = n_pred = n_gold = 0
    kind_ok = 0
    src_tp_g = src_g = src_tp_p = src_p = 0
    for gold, text, pred in per_article:
        golds, pairs = _attr_match(gold, text, pred)
        tp += len(pairs)
        n_pred += len(pred)
        n_gold += len(golds)
        kind_ok += sum(1 for gi, pi in pairs if pred[pi].source_kind == golds[gi][2]["source_kind"])
        # distinct sources per article ("which outlets does this article cite?")
        gold_sources = {}
        for names, _, a in golds:
            gold_sources.setdefault(norm_name(a["source"]), set()).update(names)
        pred_sources = {norm_name(p.source) for p in pred}
        src_g += len(gold_sources)
        src_tp_g += sum(1 for names in gold_sources.values() if names & pred_sources)
        src_p += len(pred_sources)
        src_tp_p += sum(1 for s in pred_sources if any(s in names for names in gold_sources.values()))
    inst = _prf(tp, n_pred, n_gold)
    inst["source_kind_acc"] = round(kind_ok / tp, 3) if tp else 0.0
    p = src_tp_p / src_p if src_p else 0.0
    r = src_tp_g / src_g if src_g else 0.0
    distinct = {"pred": src_p, "gold": src_g, "p": round(p, 3), "r": round(r, 3),
                "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
    return {"instances": inst, "distinct_sources": distinct}


def evaluate_gold(nlp, mods: dict[str, Any], split: str = "dev", *, baseline: bool = True,
                  verbose: bool = False, log=print, gold_dir: Path = GOLD_DIR) -> dict[str, Any]:
    """Run newstrace over the gold articles of ``split`` and score quotes, speakers and attributions.

    Args:
        nlp: the spaCy pipeline (``newstrace.nlp.load_nlp()``).
        mods: stage modules from :func:`load_stages`.
        split: "dev", "test", "holdout" or "all".
        baseline: also score textacy's ``direct_quotations`` on the same parses.
        verbose: log each missed gold quote and each spurious prediction (at overlap 0.3).
        gold_dir: the folder of gold JSON files.
    Returns:
        A dict with sizes, timings, per-kind scores, baseline scores and attribution scores.
    """
    golds = load_gold(split, gold_dir)
    if not golds:
        raise GoldError(f"no gold files for split {split!r} in {gold_dir}")
    ours, base, attr_rows = [], [], []
    without_np: list = []  # the predictions without noun-phrase-form records (a Quotebank-style user's)
    by_split: dict[str, dict[str, Any]] = {}  # split -> its rows and its indirect records by form
    variants: dict[str, list] = {name: [] for name, *_ in GOLD_VARIANTS}
    unlocated = 0
    t_parse, t_ann = [0.0, 0.0], [0.0, 0.0]  # (CPU, wall) seconds
    base_failures = 0
    failures: list[str] = []
    gold_counts: Counter = Counter()
    for g in golds:
        path = g.source_path()
        raw = _read_raw(path, path.read_text(encoding="utf-8"))
        article, doc, quotes, attrs, dt_parse, dt_ann = _process(mods, nlp, raw, g.id, failures, log)
        t_parse = [a + b for a, b in zip(t_parse, dt_parse)]
        t_ann = [a + b for a, b in zip(t_ann, dt_ann)]
        toks = Tokens(article.text)
        gi, n_unloc = _gold_items(g, article.text, toks)
        unlocated += n_unloc
        gold_counts.update(q["kind"] for q in g.quotes)
        pi = _pred_items(quotes, article.text, toks)
        ours.append((gi, pi))
        pi_np = _pred_items(quotes, article.text, toks, left_out_forms=("noun_phrase",))
        without_np.append((gi, pi_np))
        sp = by_split.setdefault(g.split, {"all": [], "without_np": [], "forms": Counter()})
        sp["all"].append((gi, pi))
        sp["without_np"].append((gi, pi_np))
        sp["forms"].update(str(getattr(q, "form", None)) for q in quotes if q.kind == "indirect")
        rules = _rules_quotes(mods, doc, article)
        for vname, system, every_act, clauses in GOLD_VARIANTS:
            recs = quotes if system == "shipped" else rules
            if recs is not None:
                variants[vname].append((gi, _pred_items(recs, article.text, toks, every_act=every_act,
                                                        doc=doc if clauses else None)))
        if attrs is not None:
            attr_rows.append((g, article.text, attrs))
        if baseline:
            triples = _textacy_quotes(doc)
            if triples is None:
                base_failures += 1
                triples = []
            base.append((gi, _baseline_items(triples, article.text, toks)))
        if verbose:
            pi = _merge_split(gi, pi)
            pairs = match(gi, pi, THRESHOLDS[0], _item_score)
            mg, mp = {a for a, _ in pairs}, {b for _, b in pairs}
            log(f"--- {g.id} ({len(gi)} gold, {len(pi)} predicted)")
            if is_heldout_text(g):  # counts only: no rule may be written from these texts' errors
                log(f"  (PolNeAR dev text: {len(gi) - len(mg)} missed, {len(pi) - len(mp)} spurious; not listed)")
                continue
            for i, x in enumerate(gi):
                if i not in mg:
                    log(f"  MISSED   {x.label}")
            for i, x in enumerate(pi):
                if i not in mp:
                    log(f"  SPURIOUS {x.label}")
            for a, b in pairs:
                if not gi[a].speaker_ok(pi[b]):
                    log(f"  SPEAKER  gold {gi[a].label[:60]} / predicted {sorted(pi[b].speakers)}")
            if attrs is not None:
                golds_a, pairs_a = _attr_match(g, article.text, attrs)
                ga, pa = {a for a, _ in pairs_a}, {b for _, b in pairs_a}
                for i, (_, _, rec) in enumerate(golds_a):
                    if i not in ga:
                        log(f"  ATTR MISSED   [{rec['source']}] {rec.get('cue')!r}: {rec.get('statement', '')[:60]!r}")
                for i, x in enumerate(attrs):
                    if i not in pa:
                        log(f"  ATTR SPURIOUS [{x.source}] {x.cue!r}: {article.text[x.start:x.end][:60]!r}")
    n = len(golds)
    return {
        "split": split,
        "articles": n,
        "gold_quotes": dict(sorted(gold_counts.items())),
        "gold_attributions": sum(len(g.attributions) for g in golds),
        "gold_unlocated_in_clean_text": unlocated,
        "failed_articles": failures,
        "timing": timing_summary(t_parse, t_ann, n),
        "newstrace": _score_quotes(ours, KINDS),
        "newstrace_without_noun_phrases": _score_quotes(without_np, ("indirect",)),
        "by_split": {name: {"any": _score_quotes(v["all"], ())["any"],
                            "any_without_noun_phrases": _score_quotes(v["without_np"], ())["any"],
                            "indirect_forms": dict(sorted(v["forms"].items()))}
                     for name, v in sorted(by_split.items())},
        "like_with_like": {name: {k: v[str(THRESHOLDS[0])] for k, v in _score_quotes(rows, ("indirect",)).items()}
                           for name, rows in variants.items() if rows},
        "textacy_baseline": (_score_quotes(base, ("direct",)) | {"failed_docs": base_failures}) if baseline else None,
        "attributions": _score_attributions(attr_rows) if attr_rows else None,
    }


# ---------------------------------------------------------------------------------------------
# PolNeAR
# ---------------------------------------------------------------------------------------------
def read_brat(path: Path) -> list[dict[str, list[tuple[int, int]]]]:
    """Attribution relations of one PolNeAR .ann file: each a dict role -> list of (start, end).

    Roles are ``source``, ``cue`` and ``content``; a discontinuous span gives several pairs.
    """
    try:
        return read_relations(path)  # training/polnear_data.py: the one brat reader
    except ValueError as exc:
        raise GoldError(str(exc)) from exc


def is_heldout_text(gold) -> bool:
    """Whether a gold article's text is a PolNeAR dev (or test) text (the gold's ``polnear*`` files, whatever
    their name: the text's path in the corpus decides): measured, never read error by error
    (``--verbose`` prints its counts only)."""
    path = gold.file.replace("\\", "/").lower()
    return gold.root == "corpus" and path.startswith(("polnear/dev/", "polnear/test/"))


def polnear_docs(split: str = "dev", limit: int | None = None, corpus: Path | None = None):
    """(text path, .ann path) pairs of PolNeAR, one annotator per text (the first by file name).

    With ``limit``, that many documents evenly spaced over the (outlet-sorted) list.
    """
    base = (corpus or find_corpus() or Path("/nonexistent")) / "polnear" / split
    if not base.is_dir():
        raise GoldError(f"PolNeAR {split} split not found at {base}; it ships in ../shared/corpus/polnear")
    anns: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        anns.setdefault(stem, ann)
    pairs = [(base / "text" / f"{stem}.txt", ann) for stem, ann in sorted(anns.items())
             if (base / "text" / f"{stem}.txt").is_file()]
    if not limit or limit >= len(pairs):
        return pairs
    step = len(pairs) / limit  # evenly spaced, so that a small limit still spans the outlets
    return [pairs[int(i * step)] for i in range(limit)]


def looked_at_texts(split: str, gold_dir: Path = GOLD_DIR) -> set[str]:
    """File names of the PolNeAR ``split`` texts that also have a gold file in ``gold_dir``.

    The holdout-us* gold files are PolNeAR dev texts annotated in newstrace's own format; each set
    was scored blind once and then its errors were read and fixed, so those texts are no longer
    text nobody looked at.
    """
    names = set()
    for path in sorted(gold_dir.glob("*.json")):
        try:
            f = json.loads(path.read_text(encoding="utf-8")).get("file", "")
        except (OSError, ValueError, AttributeError):
            continue  # check_gold reports broken gold files; here they only cannot be left out
        if isinstance(f, str) and f.startswith(f"polnear/{split}/text/"):
            names.add(f.rsplit("/", 1)[1])
    return names


_PN_THRESHOLDS = (("exact", 1.0), ("exact-t", 1.0), ("0.8", 0.8), ("0.3", 0.3), ("overlap", 1e-9))


def _without_leading_that(positions: frozenset[int], words: list[str]) -> frozenset[int]:
    # PolNeAR content spans start with the complementiser ("said that ..."); newstrace's do not.
    if positions and words[min(positions)].casefold() == "that":
        return positions - {min(positions)}
    return positions


# A name's generational suffix ("Martin Luther King Jr.", "Brent Bozell III"): never its head.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# A word of a name: letters and digits, with an apostrophe or hyphen inside kept ("O'Hanlon",
# "Resnick-Day"); a possessive "'s" is not part of it.
_NAME_WORD = re.compile(r"\w+(?:['-]\w+)*")


def name_words(text: str | None) -> set[str]:
    """The words of a speaker's name or mention, lower-cased, as :func:`name_head` spells them.

    Args:
        text: a canonical name or mention (quote marks and dashes of any typist).

    Returns:
        Its words, apostrophes and hyphens inside a word kept, a possessive "'s" dropped:
        ``name_words("Kevin O’Hanlon's")`` is ``{"kevin", "o'hanlon"}``.
    """
    s, _ = normalise_with_map(text or "")
    return {re.sub(r"'s$", "", w) for w in _NAME_WORD.findall(s.casefold())}


def _glued(token, ids: set[int]) -> str:
    # the token with the name pieces written against it by a hyphen or apostrophe ("Smith-Jones"
    # is three spaCy tokens), lower-cased, quote marks and dashes unified as in name_words
    doc = token.doc
    a = b = token.i
    while (a - 2 in ids and doc[a - 1].text in "-'\u2019\u2010\u2011" and doc[a - 1].text
           and not doc[a - 2].whitespace_ and not doc[a - 1].whitespace_ and doc[a - 2].is_alpha):
        a -= 2
    while (b + 2 in ids and doc[b + 1].text in "-'\u2019\u2010\u2011" and doc[b + 1].text
           and not doc[b].whitespace_ and not doc[b + 1].whitespace_ and doc[b + 2].is_alpha):
        b += 2
    words = name_words(doc[a:b + 1].text)
    return max(words, key=len) if words else token.lower_


def _surname(token, ids: set[int]):
    # a generational suffix is not the head: the name word before it is ("King Jr." -> King)
    k = token.i
    while token.doc[k].lower_.rstrip(".") in NAME_SUFFIXES:
        k -= 1
        while k in ids and token.doc[k].is_punct:
            k -= 1
        if k not in ids or token.doc[k].pos_ != "PROPN":
            return None
    return token.doc[k]


def _outside_tags(tokens) -> list:
    # the mention without its parenthesised parts ("(R-Iowa)", "(D)") and without a short tag
    # after its last comma ("Sen. John Cornyn, R-Texas", "John Doe, Texas": at most two words)
    # when what comes before the comma is itself headed by a proper noun
    out, depth = [], 0
    for t in tokens:
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif not depth:
            out.append(t)
    commas = [n for n, t in enumerate(out) if t.text == ","]
    if commas:
        head, tail = out[:commas[-1]], out[commas[-1] + 1:]
        words = [t for t in tail if not t.is_punct]
        if head and 0 < len(words) <= 2 and all(t.pos_ == "PROPN" for t in words):
            ids = {t.i for t in head}
            root = next((t for t in head if t.head.i not in ids or t.head.i == t.i), None)
            if root is not None and root.pos_ == "PROPN":
                return head
    return out


def name_head(tokens) -> str | None:
    """The name a source mention is about, lower-cased, else None (a description names no one).

    The mention's syntactic head when it is a proper noun ("Sen. Chuck Grassley (R-Iowa)" ->
    "grassley", "Breitbart London's Raheem Kassam" -> "kassam"); else the proper noun in apposition
    to that head ("his father, Brent Bozell, Jr." -> "bozell") or modifying it ("The Jeb Bush
    campaign" -> "bush", "Clinton's campaign" -> "clinton"); a name inside a clause or phrase of
    a described source ("A woman who has accused former President
    Clinton", "the highest-ranking CIA operative") is not the source's name. The head is a
    surname: a generational suffix (:data:`NAME_SUFFIXES`: "the Rev. Charles Elliott Jr." ->
    "elliott") is not, nor is a parenthesised tag ("Martin O'Malley (D)") or a short proper-noun
    tag after a comma ("Sen. John Cornyn, R-Texas"); an apostrophe or hyphen inside the name is
    kept ("o'malley", "resnick-day"), so it compares with :func:`name_words` of the prediction.

    Args:
        tokens: the spaCy tokens of the gold source span.

    Returns:
        The head word of the name, or None.
    """
    hit = _mention_root(tokens)
    if hit is None:
        return None
    root, ids, found = hit
    if found is None:
        found = next((c for dep in ("appos", "compound", "poss") for c in root.children
                      if c.dep_ == dep and c.i in ids and c.pos_ == "PROPN"), None)
    found = _surname(found, ids) if found is not None else None
    return _glued(found, ids) if found is not None else None


def _mention_root(tokens):
    """(root, ids, proper root or None) of a gold source's tokens: ``ids`` the tokens outside tags,
    ``root`` the word the whole mention hangs from, else (the parse hung the name from a tag left
    out) the first proper noun left without its head; the root itself when it is a name (a
    capitalised head a proper noun modifies is a name the tagger took for a common noun: "Martin
    O\u2019Malley", "Beto O\u2019Rourke"). None for a mention of tags alone."""
    all_ids = {t.i for t in tokens}
    tokens = _outside_tags(tokens)
    ids = {t.i for t in tokens}
    tops = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    root = next((t for t in tops if t.head.i not in all_ids or t.head.i == t.i), None) or \
        next((t for t in tops if t.pos_ == "PROPN"), tops[0] if tops else None)
    if root is None:
        return None
    proper = root.pos_ == "PROPN" or (root.is_title and any(
        c.dep_ == "compound" and c.pos_ == "PROPN" and c.i in ids for c in root.children))
    return root, ids, root if proper else None


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    # role nouns, abbreviated titles and honorifics (newstrace's lexicon, read once): not name words
    from newstrace.extract import lexicon
    words = set(lexicon.ROLE_NOUNS) | set(lexicon.TITLE_ABBREV) | set(lexicon.HONORIFICS)
    return frozenset(words | {w.rstrip(".") for w in words})


@lru_cache(maxsize=4096)
def _name_gender(word: str) -> str | None:
    # "m" or "f" by newstrace's first-name table (a telling first name: "Rahm" is not one), else None
    from newstrace.extract.entities import first_name_gender
    return first_name_gender(word)


def _first_name(word: str) -> bool:
    # a word newstrace's first-name table knows
    return _name_gender(word) is not None


def full_name_words(text: str | None) -> tuple[str, ...]:
    """The words of a person's name, for the full-name figure: lower-cased and without accents, as
    :func:`name_words` spells them, in order, without a parenthesised tag, titles and honorifics
    ("Sen.", "Mr", "secretary") and generational suffixes ("Sen. Chuck Grassley (R-Iowa)" ->
    ``("chuck", "grassley")``; "Marcel Lazăr Lehel" -> ``("marcel", "lazar", "lehel")``)."""
    s, _ = normalise_with_map(re.sub(r"\([^()]*\)", " ", text or ""))
    s = "".join(c for c in unicodedata.normalize("NFKD", s.casefold()) if not unicodedata.combining(c))
    titles = _title_words()
    words = [re.sub(r"'s$", "", w) for w in _NAME_WORD.findall(s)]
    # a plural title abbreviation ("Sens.", "Reps.") is a title too
    return tuple(w for w in words if w not in titles and w not in NAME_SUFFIXES
                 and not (w.endswith("s") and w[:-1] + "." in titles))


def name_key(text: str | tuple[str, ...] | None) -> tuple[str, ...] | None:
    """A person's name reduced to (first name, surname), or (surname,) for one word, for the full-name figure.

    :func:`full_name_words` without initials: "Sen. Chuck Grassley (R-Iowa)" and "Chuck
    Grassley" are ``("chuck", "grassley")``, "Donald J. Trump" is ``("donald", "trump")``,
    "Hannity" is ``("hannity",)``.

    Args:
        text: a canonical name, or the words of one (:func:`full_name_words`).

    Returns:
        The key, or None when no name word is left.
    """
    words = text if isinstance(text, tuple) else full_name_words(text)
    words = tuple(w for w in words if len(w) > 1) or words  # initials: "C. Stewart Verdery"
    if not words:
        return None
    return (words[0], words[-1]) if len(words) > 1 else (words[0],)


def full_miss_shape(gold: tuple[str, ...], pred: tuple[str, ...] | None, said_words: set[str]) -> str:
    """What a full-name miss looks like, for counts (never a list of a held-out set's errors): "no
    speaker", "surname wrong" (the gold surname is not among the predicted speaker's words), "surname
    alone" (the prediction is the surname, the article writes the full name), "another first name"
    (a namesake, or a first name of another form), or "other" (a name cut or padded, several people).

    Args:
        gold: the gold person's :func:`name_key`.
        pred: the predicted speaker's :func:`name_key`.
        said_words: :func:`name_words` of the predicted speaker and mention.
    """
    if pred is None:
        return "no speaker"
    if gold[-1] not in said_words:
        return "surname wrong"
    if pred == gold[-1:]:
        return "surname alone"
    if len(pred) == 2 and pred[-1] == gold[-1]:
        return "another first name"
    return "other"


def person_keys(text: str | None) -> set[tuple[str, ...]]:
    """The :func:`name_key` of each person a predicted speaker names: a speaker of several people
    ("Jason Chaffetz and Bob Goodlatte", "Jeb Bush and his rivals") is split at "and", "&" and
    commas, so that each person is compared with the gold person, not a key made of the first
    person's first name and the last person's surname ("jason goodlatte").

    Args:
        text: a predicted canonical speaker name.

    Returns:
        The keys, none for no name.
    """
    parts = re.split(r"\s*,\s*|\s+(?:and|&)\s+", text or "")
    return {k for k in map(name_key, parts) if k}


_NOT_NAME_ENTS = frozenset(("NORP", "GPE", "ORG", "LOC", "FAC", "DATE"))


def _person_words(surname, ids: set[int]) -> tuple[str, ...]:
    # the name ending at ``surname`` (a token): the proper nouns right before it inside ``ids`` that
    # are not a title, nor an organisation, place or group unless the surname is tagged so too
    # ("Homeland Security Secretary Alejandro Mayorkas" -> Alejandro Mayorkas, "Democrat Hillary
    # Clinton" -> Hillary Clinton, "Breitbart's Joel Pollak" -> Joel Pollak), glued pieces kept
    doc = surname.doc
    end = surname.i
    while (end + 2 in ids and doc[end + 1].text in "-'\u2019\u2010\u2011" and not doc[end].whitespace_
           and not doc[end + 1].whitespace_ and doc[end + 2].is_alpha):
        end += 2
    start = surname.i
    while (start - 2 in ids and doc[start - 1].text in "-'\u2019\u2010\u2011"
           and not doc[start - 2].whitespace_ and not doc[start - 1].whitespace_ and doc[start - 2].is_alpha):
        start -= 2
    titles = _title_words()
    k = start - 1
    while k in ids:
        if (doc[k].text in "-\u2010\u2011" and k - 1 in ids and not doc[k - 1].whitespace_
                and not doc[k].whitespace_ and doc[k - 1].pos_ == "PROPN"):
            k -= 1  # "Karl-Heinz", "Eva-Maria": one first name
            continue
        if not (doc[k].pos_ == "PROPN" and _capitalised(doc[k].text.lstrip("-\u2013\u2014"))
                and doc[k].lower_ not in titles
                and doc[k].lower_.rstrip(".") not in titles
                and (doc[k].ent_type_ == surname.ent_type_ or doc[k].ent_type_ not in _NOT_NAME_ENTS)):
            break
        k -= 1
    if doc[k + 1].text in "-\u2010\u2011":
        k += 1
    words = full_name_words(doc[k + 1:end + 1].text)
    if len(words) >= 3 and not _first_name(words[0]):  # "Staff Rahm Emanuel": from a first name on
        words = next((words[n:] for n in range(1, len(words) - 1) if _first_name(words[n])), words)
    return words


def gold_person(tokens):
    """The surname token of a gold source that is a named person, and the ids of its name's tokens.

    As :func:`name_head`, but only when the name is the source itself: the mention's head proper
    noun or the one in apposition to it ("Sen. Chuck Grassley (R-Iowa)", "his father, Brent Bozell,
    Jr."), not a name modifying a described source ("The Jeb Bush campaign", "Clinton's campaign"),
    and not a mention with a determiner ("the Washington Post", "the Kentucky Republican").

    Args:
        tokens: the spaCy tokens of the gold source span.

    Returns:
        (surname token, token ids of the mention without its tags), or None.
    """
    hit = _mention_root(tokens)
    if hit is None:
        return None
    root, ids, found = hit
    if found is None:
        found = next((c for c in root.children if c.dep_ == "appos" and c.i in ids and c.pos_ == "PROPN"), None)
    found = _surname(found, ids) if found is not None else None
    if found is None or any(c.dep_ == "det" for c in root.children):
        return None
    return found, ids


# a capitalised word of a name, an apostrophe or hyphen inside it ("O'Hanlon" is one spaCy token:
# before 2026-12-03, speakers6, only letters counted, so "Michael O'Hanlon" was no full name)
_NAME_TOKEN = re.compile(r"[^\W\d_][^\W\d_]*(?:['\u2019-][^\W\d_]+)*")


def _capitalised(text: str) -> bool:
    # a word that may open or continue a name: capitalised, or a lower-case particle ("van", "de");
    # not "state" in "former secretary of state Hillary Clinton" (a PROPN to the small model)
    return text[:1].isupper() or text in _PARTICLES


_PARTICLES = frozenset(("van", "von", "de", "da", "del", "der", "den", "di", "du", "la", "le", "bin", "al"))


def article_person_names(doc) -> list[tuple[str, ...]]:
    """The names of two words or more the article writes: each proper noun not tagged a place,
    group, date or facility (the small model tags names ORG too: "Sean Hannity"), with the name
    words before it in its sentence, as in a gold span (:func:`_person_words`: "Stan Greenberg",
    "Rahm Emanuel"; not "Sen. Al" nor "Democrat Hillary")."""
    return [words for _, words in article_person_mentions(doc)]


def article_person_mentions(doc) -> list[tuple[int, tuple[str, ...]]]:
    """:func:`article_person_names` with where each is written: (index of its last token, words)."""
    out = []
    for t in doc:
        if (t.pos_ == "PROPN" and t.ent_type_ in ("PERSON", "ORG", "") and t.text[:1].isupper()
                and _NAME_TOKEN.fullmatch(t.text)):
            words = _person_words(t, set(range(t.sent.start, t.sent.end)))
            if len(words) >= 2:
                out.append((t.i, words))
    return out


# the gender an honorific before a gold surname gives ("Mrs. Clinton"), for choosing between namesakes
_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}


def resolve_namesake(person, words: tuple[str, ...], mentions: list[tuple[int, tuple[str, ...]]]):
    """The full name (:func:`name_key`) of a gold surname the article writes with several first names.

    The rule (the scorer's own, not newstrace's coreference): an honorific right before the gold
    surname ("Mr.", "Mrs.", "Ms.", "Miss") keeps the full names whose first name is of its gender,
    when exactly one is (by the first-name table: "Mrs. Clinton" beside "Bill Clinton" and
    "Hillary Clinton" is Hillary Clinton, since "Bill" is a man's name), else drops those of the
    other gender; it decides only when one is left. No honorific, or two full names of its gender
    ("Mr. Cruz": Ted and his father Rafael), leaves the surname unscored (None). The nearest full
    name written before the source was tried as well and dropped: on PolNeAR train it read "Mr.
    Cruz" as Rafael Cruz and "Fiorina" as Carly Fiorina's husband Frank.

    Args:
        person: :func:`gold_person`'s answer.
        words: the gold name's words (:func:`_person_words`).
        mentions: :func:`article_person_mentions` of the article.

    Returns:
        The key, or None when the honorific does not decide.
    """
    surname, ids = person
    n = len(words)
    keys = {name_key(w) for _, w in mentions if len(w) > n and w[-n:] == words}
    if not keys:
        return None
    doc = surname.doc
    k = surname.i - n
    while k in ids and doc[k].is_punct:
        k -= 1
    gender = _HONORIFIC_GENDER.get(doc[k].lower_.rstrip(".")) if k in ids else None
    if not gender:
        return None
    same = {key for key in keys if _name_gender(key[0]) == gender}
    keys = same if len(same) == 1 else {key for key in keys if _name_gender(key[0]) in (gender, None)}
    return next(iter(keys)) if len(keys) == 1 else None


def gold_full_name(person, names: list[tuple[str, ...]], mentions: list | None = None) -> tuple[str, ...] | str | None:
    """The full name (:func:`name_key`) of a gold source person, "?" when the article leaves it open.

    The name in the gold span ("Sen. Chuck Grassley" -> chuck grassley), made longer by the one
    longer name the article gives a PERSON ending in the same words ("Wasserman Schultz" -> debbie
    schultz after "Debbie Wasserman Schultz"; "Hannity" -> sean hannity after "Sean Hannity"). A
    surname alone that the article gives two full names ("Clinton": Bill and Hillary) is "?", or,
    given ``mentions``, the one :func:`resolve_namesake` chooses (since 2026-12-03, speakers6); a
    name never written as a PERSON of two words stays as it is (("trump",)) when the parse tags it
    as a person or as nothing, else it is no person (None: "Fox", a network the parse tags ORG).

    Args:
        person: :func:`gold_person`'s answer.
        names: :func:`article_person_names` of the article.
        mentions: :func:`article_person_mentions` of the article, to resolve a surname of two full names.

    Returns:
        The key, "?", or None.
    """
    words = _person_words(*person)
    if not words:
        return None
    n = len(words)
    longer = {name_key(w) for w in names if len(w) > n and w[-n:] == words}
    if len(longer) == 1:
        return next(iter(longer))
    if n >= 2:
        return name_key(words)
    if longer:
        return (resolve_namesake(person, words, mentions) if mentions is not None else None) or "?"
    return name_key(words) if person[0].ent_type_ in ("PERSON", "") else None


def name_head_old(tokens) -> str | None:
    """:func:`name_head` as it was before 2026-12-03, printed beside it so the series stays comparable.

    The syntactic head proper noun (or its appositive/compound/possessive proper noun) as spaCy
    spells it, suffixes and parenthesised tags included ("iii", "jr.", "d"), compared with the
    predicted speaker's ``\\w+`` words ("o", "hanlon").

    Args:
        tokens: the spaCy tokens of the gold source span.

    Returns:
        The old head word, or None.
    """
    ids = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), None)
    if root is None:
        return None
    if root.pos_ == "PROPN":
        return root.lower_
    return next((c.lower_ for dep in ("appos", "compound", "poss") for c in root.children
                 if c.dep_ == dep and c.i in ids and c.pos_ == "PROPN"), None)


def _raw_tokens(article, doc) -> tuple[list[int], list]:
    """(raw start offset of each token, tokens) of a parse of the clean text, for raw spans."""
    return [article.to_raw(t.idx) for t in doc], list(doc)


_QUOTE_MARKS = re.compile("[\"\u201c\u201d\u00ab\u00bb]|''")


def _content_shape(text: str, spans: list[tuple[int, int]]) -> str:
    """ "quoted" (a direct quotation: it opens and closes with quote marks), "partly quoted" (a
    quotation inside it) or "unquoted" (indirect speech, a belief, a noun phrase)."""
    body = " ".join(text[a:b] for a, b in spans).strip()
    marks = _QUOTE_MARKS.findall(body)
    if not marks:
        return "unquoted"
    inner = body.strip(".,;:!? ")
    if _QUOTE_MARKS.match(inner) and _QUOTE_MARKS.search(inner[-2:]):
        return "quoted"
    return "partly quoted"


def _reports(mods: dict[str, Any], doc, article, have: list, *, reports: bool = True,
             beliefs: bool = False, nominal: bool = False) -> list:
    """Outlet/document reports and/or beliefs and requests as indirect quotes (PolNeAR counts them
    as content), minus ``have``."""
    try:
        from newstrace.extract import extract_indirect as fn
    except ImportError:
        return []
    ents = mods["entities"].analyze_entities(doc, article)
    seen = {(q.start, q.end) for q in have}
    opts = {"include_reports": True} if reports else {}
    if beliefs:
        opts["include_beliefs"] = True
    if nominal:
        opts["include_nominal"] = True
    return [q for q in fn(doc, article, entities=ents, **opts) if (q.start, q.end) not in seen]


def evaluate_polnear(nlp, mods: dict[str, Any], *, split: str = "dev", limit: int | None = 300,
                     baseline: bool = True, reports: bool = False, beliefs: bool = False,
                     nominal: bool = False, log=print) -> dict[str, Any]:
    """Content and source-mention F1 of newstrace (and textacy) on PolNeAR, in raw-text offsets.

    Args:
        nlp, mods: as for :func:`evaluate_gold`.
        split: PolNeAR split directory ("dev" or "train").
        limit: at most this many documents.
        reports: also count what outlets/documents report as content with the outlet as source
            (``attributions.extract_indirect(include_reports=True)``), as PolNeAR does.
        beliefs: also count beliefs and requests ("X believes that ...", "urged X to ...") as
            content (``extract_indirect(include_beliefs=True)``), as PolNeAR does.
        nominal: also count reports with a noun-phrase content ("accused X of Y", "denied the
            claims") (``extract_indirect(include_nominal=True)``), as PolNeAR does.
    Returns:
        A dict with per-threshold content and source scores and source accuracy on matched contents.
    """
    docs = polnear_docs(split, limit)
    counts = {sys_: {role: {name: [0, 0, 0] for name, _ in _PN_THRESHOLDS} for role in ("content", "source")}
              for sys_ in ("newstrace", "textacy")}
    # PolNeAR dev texts that also have a gold file of ours (holdout-us*: their errors were read and
    # fixed), so the figure on the rest is the one on text nobody looked at
    seen = looked_at_texts(split)
    unseen = {"content": [0, 0, 0], "named": [0, 0], "documents": 0, "relations": 0}
    by_shape: dict[str, dict[str, list[int]]] = {}  # gold content shape -> threshold -> [found, of]
    by_label: dict[str, list[int]] = {}  # predicted kind/act -> [matched at 0.3, predicted]
    by_form: dict[str, list[int]] = {}  # an indirect prediction's form -> [matched at 0.3, predicted]
    forms: Counter = Counter()  # every indirect record (each piece, nested or not) by its form
    nested = [0]  # partial quotes inside a predicted reported clause, not scored on their own
    merged = [0, 0]  # predictions merged into another piece of a split content (newstrace, textacy)
    named_given = [0, 0]  # matched contents whose gold source's name (name_head) the predicted speaker has
    named_old = [0, 0]  # the same with the scorer before 2026-12-03 (name_head_old, \w+ words)
    # matched contents whose gold source is a named person (gold_person) and whose predicted speaker's
    # canonical name is that person's full name (name_key), and those whose full name the article
    # leaves ambiguous (a surname alone, two full names with it: not scored)
    full_given = [0, 0]
    full_ambiguous = [0]
    # the same with a surname of two full names resolved (resolve_namesake, since 2026-12-03)
    full_resolved = [0, 0]
    full_misses: Counter = Counter()  # its misses by shape (full_miss_shape): aggregate counts only
    src_given = [0, 0]  # matched contents (>=0.3) whose gold source is also found, of those with a gold source
    t_parse, t_ann = [0.0, 0.0], [0.0, 0.0]  # (CPU, wall) seconds
    n_rel = 0
    failures: list[str] = []
    for text_path, ann_path in docs:
        text = text_path.read_text(encoding="utf-8")
        rels = read_brat(ann_path)
        n_rel += len(rels)
        article, doc, quotes, attrs, dt_parse, dt_ann = _process(
            mods, nlp, _raw_article(text, str(text_path)), text_path.name, failures, log)
        if reports or beliefs or nominal:
            try:
                quotes = list(quotes) + _reports(mods, doc, article, quotes, reports=reports, beliefs=beliefs,
                                                 nominal=nominal)
            except Exception as exc:  # an optional extra: report it and go on without it
                failures.append(f"{text_path.name}: extract_indirect(include_reports={reports}, "
                                f"include_beliefs={beliefs}, include_nominal={nominal}) raised "
                                f"{type(exc).__name__}: {exc}")
        t_parse = [a + b for a, b in zip(t_parse, dt_parse)]
        t_ann = [a + b for a, b in zip(t_ann, dt_ann)]
        toks = Tokens(text)
        words = [text[a:b] for a, b in toks.spans]
        g_content, multi = gold_contents(rels, toks)
        g_source_of = [toks.positions(r["source"]) if r.get("source") else None for r in rels]
        g_sources = list({s for s in g_source_of if s})
        raw_starts, raw_toks = _raw_tokens(article, doc)
        g_name, g_name_old = [], []  # the name each gold source is about (None: no proper noun in it)
        g_full: list = []  # the gold source person's full name key, "?" when ambiguous, None: no person
        g_full_res: list = []  # the same, an ambiguous surname resolved (resolve_namesake)
        person_mentions = article_person_mentions(doc)
        person_names = [words for _, words in person_mentions]
        for r in rels:
            in_src = [raw_toks[k] for k, rs in enumerate(raw_starts) for a, b in r.get("source") or [] if a <= rs < b]
            g_name.append(name_head(in_src) if in_src else None)
            g_name_old.append(name_head_old(in_src) if in_src else None)
            person = gold_person(in_src) if in_src else None
            g_full.append(gold_full_name(person, person_names) if person else None)
            g_full_res.append(gold_full_name(person, person_names, person_mentions)
                              if g_full[-1] == "?" else g_full[-1])
        scored, p_content, n_nested = prediction_spans(article, quotes, toks)
        forms.update(str(getattr(q, "form", None)) for q in quotes if q.kind == "indirect")
        p_form = [str(getattr(q, "form", None)) if q.kind == "indirect" else None for q in scored]
        nested[0] += n_nested  # 'he led a "grubby government"': one PolNeAR relation, not two
        p_label, p_speaker = [], []
        for q in scored:
            said_by = " ".join(filter(None, (q.speaker, q.speaker_mention)))
            p_label.append((f"{q.kind}/{getattr(q, 'act', 'speech')}", name_words(said_by),
                            (set(re.findall(r"\w+", said_by.lower())), name_key(q.speaker)),
                            person_keys(q.speaker)))
            sp = raw_span(article, q.speaker_start, q.speaker_end)
            p_speaker.append(toks.positions([sp]) if sp else frozenset())
        p_sources = {s for s in p_speaker if s}  # every speaker mention, before merging pieces
        scores = score_contents(g_content, multi, p_content, 0.3)
        p_content = scores.pred
        p_speaker = [frozenset().union(*(p_speaker[i] for i in group)) for group in scores.groups]
        p_label = [p_label[group[0]] for group in scores.groups]  # a merged prediction: its first piece's
        p_form = [p_form[group[0]] for group in scores.groups]
        n_merged = scores.merged_away
        p_names = [names for _, names, _, _ in p_label]
        p_words_old = [words for _, _, (words, _), _ in p_label]
        p_full = [key for _, _, (_, key), _ in p_label]
        p_people = [keys for _, _, _, keys in p_label]
        p_label = [label for label, _, _, _ in p_label]
        hit = {pi for _, pi in scores.pairs}
        for pi, label in enumerate(p_label):  # precision by kind/act (a merged split quote once)
            c = by_label.setdefault(label, [0, 0])
            c[0] += pi in hit
            c[1] += 1
        for pi, form in enumerate(p_form):  # precision of the indirect predictions by form
            if form is not None:
                c = by_form.setdefault(form, [0, 0])
                c[0] += pi in hit
                c[1] += 1
        merged[0] += n_merged
        for a in attrs or []:
            sp = raw_span(article, a.source_start, a.source_end)
            if sp:
                p_sources.add(toks.positions([sp]))
        systems = {"newstrace": (p_content, list(p_sources))}
        if baseline:
            triples = _textacy_quotes(doc) or []
            b_content, b_sources = [], set()
            for s, e, _sp, ss, se in triples:
                rs = raw_span(article, s, e)
                if rs:
                    b_content.append(toks.positions([rs]))
                rs = raw_span(article, ss, se)
                if rs:
                    b_sources.add(toks.positions([rs]))
            b_content, groups = merge_split_contents(multi, g_content, b_content)
            merged[1] += sum(len(g) - 1 for g in groups)
            systems["textacy"] = (b_content, list(b_sources))
        for sys_, (pc, ps) in systems.items():
            for name, thr in _PN_THRESHOLDS:
                if name == "exact":
                    score = lambda g, p: 1.0 if g == p else 0.0  # noqa: E731
                elif name == "exact-t":
                    score = lambda g, p: 1.0 if (_without_leading_that(g, words)  # noqa: E731
                                                 == _without_leading_that(p, words)) else 0.0
                else:
                    score = overlap
                for role, g, p in (("content", g_content, pc), ("source", g_sources, ps)):
                    pairs = match(g, p, thr, score)
                    c = counts[sys_][role][name]
                    c[0] += len(pairs)
                    c[1] += len(p)
                    c[2] += len(g)
        # recall by the shape of the gold content: quoted (direct), partly quoted, unquoted
        shapes = [_content_shape(text, r["content"]) for r in rels]
        for name, thr, score in (("exact-t", 1.0, lambda g, p: 1.0 if (_without_leading_that(g, words)
                                                                      == _without_leading_that(p, words)) else 0.0),
                                 ("0.3", 0.3, overlap)):
            hit = {gi for gi, _ in match(g_content, p_content, thr, score)}
            for gi, shape in enumerate(shapes):
                c = by_shape.setdefault(shape, {}).setdefault(name, [0, 0])
                c[0] += gi in hit
                c[1] += 1
        pairs_03 = scores.pairs
        if text_path.name not in seen:
            unseen["documents"] += 1
            unseen["relations"] += len(rels)
            for k, v in enumerate((len(pairs_03), len(p_content), len(g_content))):
                unseen["content"][k] += v
        for gi, pi in pairs_03:
            if g_name_old[gi]:
                named_old[1] += 1
                named_old[0] += g_name_old[gi] in p_words_old[pi]
            if g_name[gi]:
                named_given[1] += 1
                named_given[0] += g_name[gi] in p_names[pi]
                if text_path.name not in seen:
                    unseen["named"][1] += 1
                    unseen["named"][0] += g_name[gi] in p_names[pi]
            if g_full[gi] == "?":
                full_ambiguous[0] += 1
            elif g_full[gi]:
                full_given[1] += 1
                full_given[0] += p_full[pi] == g_full[gi]
            if g_full_res[gi] and g_full_res[gi] != "?":
                full_resolved[1] += 1
                full_resolved[0] += g_full_res[gi] in p_people[pi]
                if g_full_res[gi] not in p_people[pi]:
                    full_misses[full_miss_shape(g_full_res[gi], p_full[pi], p_names[pi])] += 1
            if g_source_of[gi]:
                src_given[1] += 1
                if p_speaker[pi] and overlap(g_source_of[gi], p_speaker[pi]) > 0:
                    src_given[0] += 1
    result: dict[str, Any] = {"split": split, "documents": len(docs), "relations": n_rel, "reports": reports,
                              "beliefs": beliefs, "nominal": nominal,
                              "failed_documents": failures,
                              "split_pieces_merged": {"newstrace": merged[0], "textacy": merged[1]},
                              "nested_partials_dropped": nested[0],
                              "recall_by_gold_shape": {k: {t: {"found": f, "of": n, "r": round(f / n, 3) if n else 0.0}
                                                           for t, (f, n) in v.items()}
                                                       for k, v in sorted(by_shape.items())},
                              "precision_by_kind_act": {k: {"matched": m, "of": n, "p": round(m / n, 3) if n else 0.0}
                                                        for k, (m, n) in sorted(by_label.items())},
                              "indirect_by_form": {k: {"records": forms[k],
                                                       "share": round(forms[k] / sum(forms.values()), 3),
                                                       "matched": by_form.get(k, [0, 0])[0],
                                                       "of": by_form.get(k, [0, 0])[1],
                                                       "p": round(by_form[k][0] / by_form[k][1], 3)
                                                       if by_form.get(k, [0, 0])[1] else 0.0}
                                                   for k in sorted(forms)},
                              "timing": timing_summary(t_parse, t_ann, len(docs))}
    for sys_ in ("newstrace", "textacy") if baseline else ("newstrace",):
        result[sys_] = {role: {name: _prf(*c) for name, c in by.items()} for role, by in counts[sys_].items()}
    result["newstrace"]["source_on_matched_content"] = {
        "ok": src_given[0], "of": src_given[1],
        "acc": round(src_given[0] / src_given[1], 3) if src_given[1] else 0.0}
    if seen:
        result["never_looked_at"] = {
            "documents": unseen["documents"], "relations": unseen["relations"], "left_out": sorted(seen),
            "content_0.3": _prf(*unseen["content"]),
            "named_source_right": {"ok": unseen["named"][0], "of": unseen["named"][1],
                                   "acc": round(unseen["named"][0] / unseen["named"][1], 3)
                                   if unseen["named"][1] else 0.0}}
    result["newstrace"]["named_source_right"] = {
        "ok": named_given[0], "of": named_given[1],
        "acc": round(named_given[0] / named_given[1], 3) if named_given[1] else 0.0}
    result["newstrace"]["named_source_full_name_right"] = {
        "ok": full_given[0], "of": full_given[1], "ambiguous_not_scored": full_ambiguous[0],
        "acc": round(full_given[0] / full_given[1], 3) if full_given[1] else 0.0}
    result["newstrace"]["named_source_full_name_right_resolved"] = {
        "ok": full_resolved[0], "of": full_resolved[1], "misses": dict(full_misses.most_common()),
        "acc": round(full_resolved[0] / full_resolved[1], 3) if full_resolved[1] else 0.0}
    result["newstrace"]["named_source_right_old_scorer"] = {
        "ok": named_old[0], "of": named_old[1],
        "acc": round(named_old[0] / named_old[1], 3) if named_old[1] else 0.0}
    return result



def _cue_head(doc, article, spans: list[tuple[int, int]]):
    """The head word of a gold cue (raw-text spans): its first verb, else "according", a noun, a
    preposition or an auxiliary."""
    starts = [t.idx for t in doc]
    toks = []
    for a, b in spans:
        lo, hi = _clean_offset(article, a), _clean_offset(article, b)
        toks += [t for t in doc[max(bisect.bisect_left(starts, lo) - 1, 0):] if t.idx < hi and t.idx + len(t) > lo] \
            if lo < hi else []
        toks = [t for t in toks if t.idx < hi]
    for test in (lambda t: t.pos_ == "VERB", lambda t: t.lower_ == "according", lambda t: t.pos_ == "NOUN",
                 lambda t: t.pos_ == "ADP", lambda t: t.pos_ == "AUX"):
        hit = next((t for t in toks if test(t)), None)
        if hit is not None:
            return hit
    return None


def _clean_offset(article, raw: int) -> int:
    """Clean-text offset of a raw-text offset (the first clean character at or after it)."""
    cache = article.__dict__.setdefault("_bench_raw_to_clean", None)
    if cache is None:
        cache = [article.to_raw(i) for i in range(len(article.text))]
        article.__dict__["_bench_raw_to_clean"] = cache
    return bisect.bisect_left(cache, raw)


def _frame(tok) -> str:
    """The syntactic frame of a gold cue's head word in the parse."""
    if tok is None:
        return "no cue word"
    if tok.lower_ == "according":
        return "according to"
    deps = {c.dep_ for c in tok.children}
    if tok.pos_ == "NOUN":
        return "noun cue"
    for dep in ("ccomp", "xcomp", "dobj", "prep"):
        if dep in deps:
            return dep
    return "parataxis" if tok.dep_ == "parataxis" else "other"


def polnear_errors(nlp, mods: dict[str, Any], *, split: str = "train", limit: int | None = 150,
                   reports: bool = False, beliefs: bool = False, nominal: bool = False) -> dict[str, Counter]:
    """Error analysis on PolNeAR train (tune there, report dev): counts by category.

    On train, the blind 10 % (``training/polnear_data.is_blind``) is left out before ``limit`` is
    applied: it is scored, never read for errors.

    Gold relations are paired with newstrace quotes at any overlap (split contents merged, nested
    partial quotes dropped, as :func:`evaluate_polnear` scores them). Returns Counters:
    ``status`` (exact, exact-t, partial, missed), ``missed`` by the gold cue's class in
    :mod:`newstrace.extract.cues` (or "not a cue verb", "according to") and its frame in the parse,
    ``missed_by_shape`` (quoted, partly quoted, unquoted gold content, by cue class),
    ``missed_lemma``, ``spurious`` by kind and cue, ``boundary`` (which edge of a partially
    matched content is off, by kind) and ``source`` (speaker mention of matched contents against
    the gold source: exact, shorter, longer, other words, none).
    """
    if split != "train":
        raise ValueError(f"PolNeAR {split} is measured, never read for errors: the error analysis reads train")
    from newstrace.extract import cues
    out: dict[str, Counter] = {k: Counter() for k in ("status", "missed", "missed_by_shape", "missed_lemma",
                                                         "spurious", "boundary", "source", "full_name",
                                                         "full_name_misses")}
    docs = polnear_docs(split, None if split == "train" else limit)
    if split == "train":  # the blind split is scored, never read for errors
        docs = [(t, a) for t, a in docs if not is_blind(t.stem)]
        if limit and limit < len(docs):
            step = len(docs) / limit
            docs = [docs[int(i * step)] for i in range(limit)]
    for text_path, ann_path in docs:
        text = text_path.read_text(encoding="utf-8")
        rels = read_brat(ann_path)
        article, doc, quotes, _, _, _ = _process(mods, nlp, _raw_article(text, str(text_path)),
                                                 text_path.name, [], lambda *_: None)
        if reports or beliefs or nominal:
            quotes = list(quotes) + _reports(mods, doc, article, quotes, reports=reports, beliefs=beliefs,
                                             nominal=nominal)
        toks = Tokens(text)
        words = [text[a:b] for a, b in toks.spans]
        scored, spans, _ = prediction_spans(article, quotes, toks)
        g_content, multi = gold_contents(rels, toks)
        contents, groups = merge_split_contents(multi, g_content, spans)
        kinds = [scored[group[0]] for group in groups]  # a merged prediction: its first piece's quote
        pairs = dict(match(g_content, contents, 1e-9, overlap))
        matched_p = set(pairs.values())
        people: list = []  # (raw token starts, tokens, article_person_mentions), read once when needed
        for gi, r in enumerate(rels):
            g = g_content[gi]
            if gi not in pairs:
                out["status"]["missed"] += 1
                head = _cue_head(doc, article, r.get("cue", []))
                lemma = "according to" if head is not None and head.lower_ == "according" else \
                    (head.lemma_.lower() if head is not None else "?")
                cls = "according to" if lemma == "according to" else (cues.cue_class(lemma) or "not a cue verb")
                if cls == "not a cue verb" and lemma in cues.BELIEF_VERBS:
                    cls = "belief verb"
                out["missed"][f"{cls} / {_frame(head)}"] += 1
                out["missed_by_shape"][f"{_content_shape(text, r['content'])}: {cls}"] += 1
                out["missed_lemma"][lemma] += 1
                continue
            p, q = contents[pairs[gi]], kinds[pairs[gi]]
            kind = q.kind if q is not None else "?"
            if g == p:
                out["status"]["exact"] += 1
            elif _without_leading_that(g, words) == _without_leading_that(p, words):
                out["status"]["exact-t"] += 1
            else:
                out["status"]["partial"] += 1
                gt = _without_leading_that(g, words) or g
                if min(gt) < min(p):
                    out["boundary"][f"{kind}: starts late"] += 1
                elif min(gt) > min(p):
                    out["boundary"][f"{kind}: starts early"] += 1
                if max(g) > max(p):
                    out["boundary"][f"{kind}: ends early"] += 1
                elif max(g) < max(p):
                    out["boundary"][f"{kind}: ends late"] += 1
            if r.get("source") and q is not None:
                gs = toks.positions(r["source"])
                sp = raw_span(article, q.speaker_start, q.speaker_end)
                ps = toks.positions([sp]) if sp else frozenset()
                out["source"]["exact" if gs == ps else "none" if not ps else "other words" if not gs & ps
                              else "shorter" if len(ps) < len(gs) else "longer"] += 1
            if r.get("source") and q is not None and overlap(g, p) >= 0.3:
                if not people:
                    people.extend((*_raw_tokens(article, doc), article_person_mentions(doc)))
                _full_name_error(out, text_path.stem, text, r["source"], q, *people)
        for pi, p in enumerate(contents):
            if pi not in matched_p and kinds[pi] is not None:
                q = kinds[pi]
                out["spurious"][f"{q.kind} / {(q.cue or '-').split()[0].lower()}"] += 1
    return out


def _full_name_error(out: dict[str, Counter], name: str, text: str, source: list, q, raw_starts: list[int],
                     raw_toks: list, person_mentions: list) -> None:
    # the full-name figure of one matched content (as evaluate_polnear scores it, a surname of two
    # full names resolved): counted in out["full_name"] and each miss listed in out["full_name_misses"]
    in_src = [raw_toks[k] for k, rs in enumerate(raw_starts) for a, b in source if a <= rs < b]
    person = gold_person(in_src) if in_src else None
    names = [words for _, words in person_mentions]
    gold = gold_full_name(person, names, person_mentions) if person else None
    if gold is None:
        return
    if gold == "?":
        out["full_name"]["not scored (two full names)"] += 1
        return
    if gold in person_keys(q.speaker):
        out["full_name"]["right"] += 1
        return
    said = name_words(" ".join(filter(None, (q.speaker, q.speaker_mention))))
    out["full_name"][full_miss_shape(gold, name_key(q.speaker), said)] += 1
    src = " ".join(text[a:b] for a, b in source).replace("\n", " ")
    out["full_name_misses"][f"{name}: gold {' '.join(gold)} [{src}] <- {q.speaker!r} "
                            f"(mention {q.speaker_mention!r}, {q.speaker_kind}, {q.kind})"] += 1


def print_errors(errors: dict[str, Counter], out=print, top: int = 15) -> None:
    """Print :func:`polnear_errors` counts, most frequent first; every full-name miss, one a line."""
    for name, counts in errors.items():
        if name == "full_name_misses":
            out(f"{name} ({sum(counts.values())}):")
            for k in counts:
                out(f"  {k}")
            continue
        total = sum(counts.values())
        out(f"{name} ({total}): " + ", ".join(f"{k} {v}" for k, v in counts.most_common(top)))


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------
def _print_quote_table(title: str, scores: dict[str, Any], out) -> None:
    out(title)
    head = f"  {'kind':<9}" + "".join(
        f" | {'@' + str(t):<5} {'P':>5} {'R':>5} {'F1':>5} {'spk':>5} {'n_g':>4} {'n_p':>4}" for t in THRESHOLDS)
    out(head)
    for kind, row in scores.items():
        if kind == "failed_docs":
            continue
        line = f"  {kind:<9}"
        for t in THRESHOLDS:
            r = row[str(t)]
            if not r["gold"] and not r["pred"]:  # nothing of this kind in the split
                line += f" | {'':<5} {'-':>5} {'-':>5} {'-':>5} {'-':>5} {0:>4} {0:>4}"
                continue
            line += (f" | {'':<5} {r['p']:>5.2f} {r['r']:>5.2f} {r['f1']:>5.2f} {r['speaker_acc']:>5.2f}"
                     f" {r['gold']:>4} {r['pred']:>4}")
        out(line)


def print_report(result: dict[str, Any], out=print) -> None:
    """Print the tables of :func:`main`'s result dict: PolNeAR (held out) first, then the gold."""
    _print_polnear(result, out)
    _print_gold(result, out)


def _print_gold(result: dict[str, Any], out) -> None:
    g = result.get("gold")
    if g:
        out(f"\nnewstrace quote gold (BBC and seeds; speech only, split {g['split']}): {g['articles']} articles, quotes "
            + ", ".join(f"{k} {v}" for k, v in g["gold_quotes"].items())
            + f", {g['gold_attributions']} attributions"
            + (f" ({g['gold_unlocated_in_clean_text']} gold quotes not in the clean text: compared by words)"
               if g["gold_unlocated_in_clean_text"] else ""))
        out("  overlap = shared word tokens / longer span; spk = speaker accuracy on matched quotes; 'without "
            "NP' = the same with the predicted records of form noun_phrase left out (Quote.form: 'condemned "
            "the move', 'accused him of fraud'; what a Quotebank-style quote list leaves out)")
        if g["failed_articles"]:
            out(f"  {len(g['failed_articles'])} articles failed in newstrace (scored as no predictions): "
                + "; ".join(g["failed_articles"]))
        _print_quote_table("newstrace", g["newstrace"], out)
        _print_without_np(g, out)
        anyrow = g["newstrace"]["any"]
        out("  kind right on 'any' matches: " + ", ".join(f"@{t} {anyrow[str(t)]['kind_acc']:.2f}" for t in THRESHOLDS))
        out("  speaker accuracy by gold speaker kind ('any' @0.3): " + ", ".join(
            f"{k} {v['acc']:.2f} (n={v['n']})" for k, v in anyrow[str(THRESHOLDS[0])]["speaker_acc_by_kind"].items()))
        ps = anyrow[str(THRESHOLDS[0])].get("person_speaker")
        if ps and ps["of"]:
            out(f"  person speakers ('any' @0.3; issue 15's held-out measure): right by surname {ps['by_surname']:.2f} "
                f"({ps['surname_ok']}/{ps['of']}), by full name {ps['by_full_name']:.2f} ({ps['full_name_ok']}/{ps['of']}; "
                "the canonical name's first name and surname)")
        lw = g.get("like_with_like") or {}
        if lw:
            out(f"  which records are compared with the speech-only gold (@{THRESHOLDS[0]}; the gold leaves out "
                "beliefs and other acts, and a cue's noun-phrase object):")
            for name, row in lw.items():
                i, a = row["indirect"], row["any"]
                out(f"    {name:<42} indirect P {i['p']:.2f} R {i['r']:.2f} F1 {i['f1']:.2f} (n_p {i['pred']:>3})"
                    f" | any P {a['p']:.2f} R {a['r']:.2f} F1 {a['f1']:.2f} spk {a['speaker_acc']:.2f}")
        if g.get("textacy_baseline"):
            _print_quote_table("textacy direct_quotations (baseline)", g["textacy_baseline"], out)
        a = g.get("attributions")
        if a:
            i, d = a["instances"], a["distinct_sources"]
            out(f"attributions: instances P {i['p']:.2f} R {i['r']:.2f} F1 {i['f1']:.2f} "
                f"(gold {i['gold']}, predicted {i['pred']}, source_kind acc {i['source_kind_acc']:.2f}); "
                f"distinct sources per article P {d['p']:.2f} R {d['r']:.2f} F1 {d['f1']:.2f}")
        else:
            out("attributions: not scored (newstrace.extract.attributions is not available)")
        t = g["timing"]
        out(f"speed: spaCy parse {t['parse_articles_per_s']} articles/s, annotate stage "
            f"{t['annotate_articles_per_s']} articles/s (entities+quotes+attributions"
            f"{'+claims' if result.get('full_annotate') else ''}; wall clock); annotate / parse "
            f"{t['annotate_vs_parse'] or 0:.3f} in CPU time, {t['annotate_vs_parse_wall'] or 0:.3f} in wall clock")


def _print_without_np(g: dict[str, Any], out) -> None:
    """The gold's 'any' row beside the same without noun-phrase-form records, overall and by split,
    with each split's indirect records by form."""
    wn = g.get("newstrace_without_noun_phrases")
    if not wn:
        return
    out("  any kind, without NP" + "".join(
        f" | @{t} P {wn['any'][str(t)]['p']:.2f} R {wn['any'][str(t)]['r']:.2f} F1 {wn['any'][str(t)]['f1']:.2f}"
        f" (n_p {wn['any'][str(t)]['pred']})" for t in THRESHOLDS))
    splits = g.get("by_split") or {}
    if len(splits) < 2 and not any(v["indirect_forms"] for v in splits.values()):
        return
    out(f"  by split, any kind @{THRESHOLDS[0]}: all records | without NP; the split's indirect records by form "
        "(every act):")
    t = str(THRESHOLDS[0])
    for name, v in splits.items():
        a, w = v["any"][t], v["any_without_noun_phrases"][t]
        n = sum(v["indirect_forms"].values())
        forms = ", ".join(f"{k} {c} ({c / n:.0%})" for k, c in v["indirect_forms"].items()) if n else "none"
        out(f"    {name:<14} P {a['p']:.2f} R {a['r']:.2f} F1 {a['f1']:.2f} | P {w['p']:.2f} R {w['r']:.2f} "
            f"F1 {w['f1']:.2f} | {forms}")


def _print_polnear(result: dict[str, Any], out) -> None:
    pn = result.get("polnear")
    if pn:
        held = " (held out: no rule was written on it)" if pn["split"] == "dev" else ""
        out(f"PolNeAR {pn['split']}{held}: {pn['documents']} documents, {pn['relations']} attribution relations "
            "(content spans vs newstrace quotes of any kind; source mentions vs speaker/source spans"
            + ("; outlet/document reports counted as content" if pn.get("reports") else "")
            + ("; beliefs and requests counted as content" if pn.get("beliefs") else "")
            + ("; noun-phrase contents counted" if pn.get("nominal") else "") + ")")
        out(f"  {'system':<10} {'role':<8}" + "".join(f" | {name:>7} P     R     F1" for name, _ in _PN_THRESHOLDS))
        for sys_ in ("newstrace", "textacy"):
            if sys_ not in pn:
                continue
            for role in ("content", "source"):
                line = f"  {sys_:<10} {role:<8}"
                for name, _ in _PN_THRESHOLDS:
                    r = pn[sys_][role][name]
                    line += f" | {'':>7} {r['p']:.2f}  {r['r']:.2f}  {r['f1']:.2f}"
                out(line)
        s = pn["newstrace"]["source_on_matched_content"]
        out(f"  newstrace source found for matched contents (overlap >= 0.3): {s['acc']:.2f} ({s['ok']}/{s['of']})")
        nm = pn["newstrace"].get("named_source_right")
        if nm:
            out(f"  named source right on matched contents (the gold source's name head, e.g. 'grassley' of "
                f"'Sen. Chuck Grassley (R-Iowa)', in the predicted speaker's name or mention): "
                f"{nm['acc']:.2f} ({nm['ok']}/{nm['of']})")
        fn = pn["newstrace"].get("named_source_full_name_right")
        if fn:
            out(f"  full name right on matched contents whose gold source is a named person (the predicted "
                f"speaker's canonical name is the person's first name and surname, e.g. 'Sean Hannity' for a "
                f"gold 'Hannity' the article names in full earlier): {fn['acc']:.2f} ({fn['ok']}/{fn['of']}; "
                f"{fn['ambiguous_not_scored']} not scored: a surname the article gives two full names)")
        fr = pn["newstrace"].get("named_source_full_name_right_resolved")
        if fr:
            out(f"  full name right, a surname of two full names resolved by the honorific's gender and a "
                f"speaker of several people compared person by person (resolve_namesake, person_keys; since "
                f"2026-12-03): {fr['acc']:.3f} "
                f"({fr['ok']}/{fr['of']}); misses: " + ", ".join(f"{k} {v}" for k, v in fr["misses"].items()))
        old = pn["newstrace"].get("named_source_right_old_scorer")
        if old:
            out(f"  the same with the scorer before 2026-12-03 (name_head_old; for the series): "
                f"{old['acc']:.2f} ({old['ok']}/{old['of']})")
        nl = pn.get("never_looked_at")
        if nl:
            c, n = nl["content_0.3"], nl["named_source_right"]
            out(f"  of which never looked at ({nl['documents']} documents, {nl['relations']} relations; left out: "
                f"the {len(nl['left_out'])} texts of the holdout-us* gold, whose errors were read): content F1 at 0.3 "
                f"{c['f1']:.2f} (P {c['p']:.2f}, R {c['r']:.2f}); named source right {n['acc']:.2f} "
                f"({n['ok']}/{n['of']})")
        out("  published: CofeNet on PolNeAR source F1 0.83, content F1 0.73 (exact); "
            "GenderGapTracker quote F1 0.84, speaker 0.87 (own set)")
        m = pn.get("split_pieces_merged")
        if m:
            out(f"  pieces of split gold contents merged before matching: newstrace {m['newstrace']}, "
                f"textacy {m['textacy']}")
        shapes = pn.get("recall_by_gold_shape") or {}
        if shapes:
            out("  content recall by gold shape (exact-t / 0.3): " + ", ".join(
                f"{k} {v['exact-t']['r']:.2f} / {v['0.3']['r']:.2f} (n={v['0.3']['of']})" for k, v in shapes.items()))
        if pn.get("nested_partials_dropped"):
            out(f"  partial quotes inside a predicted reported clause (one relation) not scored on their own: "
                f"{pn['nested_partials_dropped']}")
        acts = pn.get("precision_by_kind_act") or {}
        if acts:
            out("  newstrace precision @0.3 by predicted kind/act: " + ", ".join(
                f"{k} {v['p']:.2f} (n={v['of']})" for k, v in acts.items()))
        forms = pn.get("indirect_by_form") or {}
        if forms:
            out("  indirect records by form (Quote.form; share of every indirect record, and precision @0.3 of "
                "the scored ones): " + ", ".join(f"{k} {v['records']} ({v['share']:.0%}; P {v['p']:.2f}, n={v['of']})"
                                                  for k, v in forms.items()))
        t = pn["timing"]
        out(f"  time: parse {t['parse_s']} s, annotate {t['annotate_s']} s in CPU time "
            f"(annotate / parse = {t['annotate_vs_parse'] or 0:.3f}; budget 0.15); wall clock: parse "
            f"{t['parse_wall_s']} s, annotate {t['annotate_wall_s']} s ({t['annotate_vs_parse_wall'] or 0:.3f})")
        if pn["failed_documents"]:
            out(f"  {len(pn['failed_documents'])} documents failed in newstrace (scored as no predictions)")


def run(split: str = "dev", *, polnear: bool = True, polnear_limit: int | None = 300,
        polnear_split: str = "dev", polnear_reports: bool = False, polnear_beliefs: bool = False,
        polnear_nominal: bool = False,
        baseline: bool = True,
        verbose: bool = False, log=print, gold_dir: Path = GOLD_DIR) -> dict[str, Any]:
    """Evaluate newstrace on the gold split (and PolNeAR); the dict :func:`print_report` prints.

    Raises:
        StageMissing: a needed newstrace stage is missing or broken.
        GoldError: a gold file or corpus is missing or malformed.
    """
    mods = load_stages()
    from newstrace.nlp import load_nlp
    nlp = load_nlp()
    result: dict[str, Any] = {"full_annotate": "attributions" in mods and "claims" in mods}
    result["gold"] = evaluate_gold(nlp, mods, split, baseline=baseline, verbose=verbose, log=log,
                                   gold_dir=gold_dir)
    if polnear:
        result["polnear"] = evaluate_polnear(nlp, mods, split=polnear_split, limit=polnear_limit,
                                             baseline=baseline, reports=polnear_reports,
                                             beliefs=polnear_beliefs, nominal=polnear_nominal, log=log)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=(*SPLITS, "all"), default="dev", help="gold split (default dev)")
    ap.add_argument("--polnear-limit", type=int, default=300, metavar="N",
                    help="at most N PolNeAR documents (default 300; 0 = all)")
    ap.add_argument("--gold-dir", type=Path, default=GOLD_DIR, help="folder of gold JSON files "
                    "(default tests/gold/quotes)")
    ap.add_argument("--polnear-split", choices=("dev", "train"), default=None,
                    help="PolNeAR split to score (default dev; --polnear-errors reads train only)")
    ap.add_argument("--no-polnear", action="store_true", help="skip the PolNeAR evaluation")
    ap.add_argument("--polnear-reports", action="store_true",
                    help="count outlet/document reports as content on PolNeAR, as its annotation does")
    ap.add_argument("--polnear-errors", type=int, metavar="N", default=None,
                    help="instead of scoring, print an error analysis of N PolNeAR train documents (0 = "
                    "all; the blind split left out): dev is scored, never read for errors")
    ap.add_argument("--no-baseline", action="store_true", help="skip textacy's direct_quotations baseline")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    ap.add_argument("--verbose", action="store_true", help="list missed and spurious quotes (stderr)")
    args = ap.parse_args(argv)
    err = lambda msg: print(msg, file=sys.stderr)  # noqa: E731
    if args.polnear_errors is not None and args.polnear_split not in (None, "train"):
        ap.error(f"--polnear-errors reads PolNeAR train only (--polnear-split {args.polnear_split} is "
                 "measured, never read for errors)")
    args.polnear_split = args.polnear_split or ("train" if args.polnear_errors is not None else "dev")
    if args.polnear_errors is not None:
        try:
            mods = load_stages()
            from newstrace.nlp import load_nlp
            errors = polnear_errors(load_nlp(), mods, split=args.polnear_split,
                                    limit=args.polnear_errors or None, reports=args.polnear_reports)
        except (StageMissing, GoldError) as exc:
            err(f"bench/quotes.py: {exc}")
            return 2
        print(f"PolNeAR {args.polnear_split} error analysis ({args.polnear_errors or 'all'} documents)")
        print_errors(errors)
        return 0
    baseline = not args.no_baseline
    if baseline and importlib.util.find_spec("textacy") is None:
        # (scored, a missing baseline would print rows of zeros beside newstrace's figures)
        err("bench/quotes.py: textacy is not installed, so its baseline is left out (it is in the dev "
            "install: source scripts/_install.sh dev)")
        baseline = False
    try:
        result = run(args.split, polnear=not args.no_polnear, polnear_limit=args.polnear_limit or None,
                     polnear_split=args.polnear_split, polnear_reports=args.polnear_reports,
                     baseline=baseline,
                     verbose=args.verbose, log=err, gold_dir=args.gold_dir)
    except StageMissing as exc:
        err(f"bench/quotes.py: {exc}")
        return 2
    except GoldError as exc:
        err(f"bench/quotes.py: {exc}")
        return 2
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
