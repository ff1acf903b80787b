"""When two articles' figures conflict: the same quantity of the same event at the same time,
given different values by two articles (issue #17).

The claims extractor reads each figure's grammar: its unit, and ``what`` it counts (the governing
noun or verb phrase). Figures of one story with the same unit and ``what`` are candidates; a pair
from two articles is a conflict only when all of these hold:

* **one value per article**: an article that gives two different values for one quantity speaks
  of two instances of it ("dropped to $9.1 billion in 2018, down from $19.5 billion the previous
  year", "stopped 30 shots" and "stopped 35 shots" in two matches), so neither value can stand for
  the quantity another article reports; two figures of one article never conflict;
* **the same time**: the time expressions of the two figures' sentences (years, months, days,
  "last year", "the first quarter") are the same;
* **the same event**: the two sentences tell the same happening: they share named participants
  when both name any, and enough of their content words (predicate, participants, objects),
  numbers and times aside;
* **different values** that no reading allows together: qualifiers ("more than", "about", "up
  to") widen a figure, and so does rounding ("12,000" against "12,500"; "$10" against "$9.99").

A second way in needs no ``what``: **the same slot of the same sentence**. When two articles carry
one sentence (a copy, an update, a correction) and the figures fill the same place in it (the words
either side are the same and the rest of the sentence nearly so), they state the same quantity of
the same event, whatever the extractor read as ``what``: "set to be worth $1.8 billion (£9.4
million) by 2009" against "(£94 million) by 2009". The time and relative-figure checks still apply;
the one-value-per-article check does not (the slot says which of an article's values is meant).
The sentence's other numbers must be the same too: when they differ as well ("closed up $2.80 to
$51.15" against "closed up $1.20 to $49.55"), it is a recurring report of a new day, not one fact.
And the sentence must say enough to be one fact (``MIN_FRAME_TERMS`` content words and a name in
common): "The margin of sampling error is plus or minus six percentage points" is boilerplate of
every poll, about no one.

A third way in reads what extraction took from the parse (issue #17): **the same unit and event**.
"Ten people were killed" and "three people killed" count one unit ("people") of one event (the
clause verb, "kill"), where the "what" alone is the bare unit. Such figures conflict when they
count alike, have the same period (and their sentences no disjoint years), name no two different
doers ("Manning" and "David Garrard" threw for ...), lie within ``MAX_EVENT_RATIO`` of each other
(an earlier disaster's toll told as background is further off), neither is a part ("another
20,000"), a sum against one instance ("a total of 14 rifles ... during five operations"), or in a
condition ("If the track sold 500,000 copies"), and each article gives one value for it.

For every rule, a figure whose role is an earlier value or a change ("down from $19.5 billion",
"up 5%") is never compared, a range compares by its bounds, and figures without a period of their
own, from articles more than ``MAX_DAYS_APART`` days apart, are of two times.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

from rapidfuzz import fuzz

from ..extract.cues import is_cue_lemma
from ..extract.figures import SCALES, value_range
from .text import NUM_RE, content_terms, stem_of, tokens
from .unionfind import UnionFind

__all__ = ["MAX_DAYS_APART", "MAX_EVENT_RATIO", "MIN_SHARED_TERMS", "MIN_TERM_OVERLAP", "SAME_FRAME", "conflicting_figures",
           "dated", "figure_context", "figure_doer", "figure_event", "figure_frame", "figure_times", "same_agent",
           "same_event", "same_time", "sentence_around", "undated_evidence", "values_disagree"]

# Two sentences tell the same event when they share at least this many content words, and this
# share of the shorter one's (numbers, times and stop words aside).
MIN_SHARED_TERMS = 3
# ... and name the same participants: a share of the names either names (a sentence naming
# nobody cannot be tied to an event).
MIN_SHARED_NAMES = 0.25
MIN_TERM_OVERLAP = 0.34
# token_sort_ratio of two figures' stemmed "what" at or above which they count the same thing.
SAME_WHAT = 75
# Words either side of a figure that must be the same in both sentences for the same-slot rule, and
# the fuzz.ratio of the two sentences (figure masked) at or above which they are one sentence.
FRAME_WORDS = 3
SAME_FRAME = 80
MIN_FRAME_TERMS = 5
# Relative difference under which two values are the same figure rounded ("$10" and "$9.99").
ROUNDING = 0.01

_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_UNITS = r"(?:year|month|week|fortnight|quarter|season|decade|century|day|night|weekend|term)s?"
_TIME = re.compile(
    r"\b(?:1[89]\d\d|20\d\d)s?\b"  # years, decades
    r"|\b(?:" + "|".join(_MONTHS + _DAYS) + r")\b"
    r"|\b(?:last|previous|next|this|past|coming|same|prior|current|fiscal|financial|first|second|third|"
    r"fourth|final|half)[- ](?:" + _UNITS + r")\b"
    r"|\b(?:a|one|two|three|several)\s+" + _UNITS + r"\s+(?:ago|earlier|later|before)\b"
    r"|\b(?:the|this|that)\s+(?:[a-z]+\s+)?" + _UNITS + r"\b"  # "ended the day", "this indoor season"
    r"|\b(?:yesterday|today|tomorrow|tonight|annually|quarterly|noon|midday|morning|afternoon|evening|overnight)\b"
    r"|\bq[1-4]\b|\bh[12]\b"
    r"|\b\d{1,2}[:.]?\d\d\s*(?:gmt|bst|utc|et|est|edt|cet|am|pm|a\.m\.|p\.m\.)",  # "by 1650 GMT", "at 2100GMT"
    re.I)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*)*")
_NOT_NAMES = frozenset(m.capitalize() for m in _MONTHS + _DAYS) | {"I", "The", "A", "An", "But", "And", "In",
                                                                  "On", "At", "It", "He", "She", "They", "We"}


def sentence_around(text: str, start: int | None, end: int | None) -> str | None:
    """The sentence of ``text`` holding the span ``start:end`` (None without a start).

    >>> sentence_around("One. Two 12 men went. Three.", 9, 11)
    'Two 12 men went.'
    """
    if start is None or not text:
        return None
    s = 0
    for m in _STOP.finditer(text, max(0, start - 2000), start):
        s = m.end()
    m = _STOP.search(text, end or start)
    e = m.start() + 1 if m else len(text)
    return text[s:e].strip()


# A sentence ends at ". " or a line break, but not inside a number the tokeniser spaced ("6. 1")
# nor after an initial ("U. S. Geological Survey"), as in ECB+ text, nor after an article, which
# ends no sentence ("pointed a. 357 caliber revolver": ECB+ spaced ".357" off its "a").
_STOP = re.compile(r"(?<!\b[A-Z])(?<!\d(?=\. \d))(?<!\ba)(?<!\ban)(?<!\bthe)\. |\n")


def figure_times(sentence: str | None) -> frozenset[str]:
    """The time expressions of a figure's sentence, lower-cased ("2018", "previous year", "march").

    >>> sorted(figure_times("Exports dropped to $9.1 billion in 2018, down from $19.5 billion the previous year."))
    ['2018', 'the previous year']
    """
    return frozenset(re.sub(r"[\s-]+", " ", m.group(0).lower()) for m in _TIME.finditer(sentence or ""))


def _names(sentence: str) -> set[str]:
    out = set()
    for m in _NAME.finditer(sentence):
        words = [w for w in m.group(0).split() if w not in _NOT_NAMES]
        out.update(stem_of(t) for w in words for t in tokens(w) if not NUM_RE.match(t))
    return out


def _event_terms(sentence: str) -> set[str]:
    times = {t for m in _TIME.finditer(sentence) for t in tokens(m.group(0))}
    return {stem_of(t) for t in content_terms(tokens(sentence))
            if not any(ch.isdigit() for ch in t) and t not in times}


def same_event(a: str | None, b: str | None) -> bool:
    """Whether two figures' sentences tell the same happening: named participants in common
    (when both name any) and shared content words (``MIN_SHARED_TERMS``, ``MIN_TERM_OVERLAP``).

    >>> same_event("Sergei Bobrovsky stopped 35 shots.", "Linus Ullmark stopped 22 shots for Buffalo.")
    False
    >>> same_event("The fire at the Grenfell tower killed 12 people on Tuesday, police said.",
    ...            "Police said 14 people were killed in the Grenfell tower fire on Tuesday.")
    True
    """
    if not a or not b:
        return False
    return _one_event(_names(a), _names(b), _event_terms(a), _event_terms(b))


def _one_event(na: set[str], nb: set[str], ta: set[str], tb: set[str]) -> bool:
    """same_event over two sentences' names and event terms."""
    if not na or not nb or len(na & nb) < MIN_SHARED_NAMES * len(na | nb):
        return False
    shared = len(ta & tb)
    return shared >= MIN_SHARED_TERMS and shared >= MIN_TERM_OVERLAP * min(len(ta), len(tb))


def _rounding_range(value: float, text: str | None) -> tuple[float, float]:
    """The values a written figure can stand for once rounded: "12,000" is 11,500 to 12,500."""
    digits = re.sub(r"[^\d]", "", (text or "").split(".")[0])
    trailing = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
    half = 0.5 * 10 ** trailing if trailing >= 3 and str(text or "").replace(",", "").strip().isdigit() else 0.0
    # a figure with a scale word is given to its last written digit: "$27bn" is $26.5bn to $27.5bn
    # (from two significant digits: "$7m" is not $7.5m)
    m = _SCALED.search(str(text or ""))
    if m and len((m.group(1) + (m.group(2) or "")).lstrip("0")) >= 2:
        decimals = len(m.group(2) or "")
        half = max(half, 0.5 * 10 ** -decimals * SCALES[m.group(3).lower()])
    slack = max(half, abs(value) * ROUNDING)
    return value - slack, value + slack


_SCALED = re.compile(r"(\d+)(?:\.(\d+))?\s*(million|billion|trillion|thousand|bn|mn|m|k|tn)\b", re.I)


def values_disagree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two figures (claims rows: value, qualifier, text) allow no common value, given
    their qualifiers and rounding.

    >>> values_disagree(dict(value=10.0, text="$10"), dict(value=9.99, text="$9.99"))
    False
    >>> values_disagree(dict(value=12000.0, text="12,000"), dict(value=12500.0, text="12,500"))
    False
    >>> values_disagree(dict(value=12.0, text="12"), dict(value=14.0, text="14"))
    True
    >>> values_disagree(dict(value=35.0, low=35.0, high=40.0, text="35 to 40"), dict(value=38.0, text="38"))
    False
    >>> values_disagree(dict(value=27e9, text="$27bn"), dict(value=27.5e9, text="$27.5bn"))
    False
    """
    return _apart(_allowed(a), _allowed(b))


def _allowed(c: dict[str, Any]) -> tuple[float, float]:
    """The values a figure allows: its range's bounds, or its value widened by qualifier and rounding."""
    if c.get("low") is not None and c.get("high") is not None:  # a range: "35 to 40"
        return float(c["low"]), float(c["high"])
    lo, hi = value_range(float(c["value"]), c.get("qualifier"))
    rlo, rhi = _rounding_range(float(c["value"]), c.get("text"))
    return min(lo, rlo), max(hi, rhi)


def _apart(ra: tuple[float, float], rb: tuple[float, float]) -> bool:
    return ra[1] < rb[0] or rb[1] < ra[0]


def _same_quantity(a: dict[str, Any], b: dict[str, Any], wa: str, wb: str) -> bool:
    # token_sort, not token_set: "candidates" is not "Democratic presidential candidates in Senate"
    return (a.get("kind") == b.get("kind") and (a.get("unit") or "").lower() == (b.get("unit") or "").lower()
            and fuzz.token_sort_ratio(wa, wb) >= SAME_WHAT)


def conflicting_figures(claims: Sequence[dict[str, Any]], *,
                        sentence_of: Callable[[dict[str, Any]], str | None] | None = None,
                        published_of: Callable[[dict[str, Any]], str | None] | None = None
                        ) -> list[list[dict[str, Any]]]:
    """The conflicts among one story's figures.

    Args:
        claims: claims rows of one story's articles (``article_id``, ``value``, ``unit``, ``kind``,
            ``what``, ``text``, ``qualifier``); dates and figures without a value are ignored,
            figures without a ``what`` are compared by the same-slot rule only.
        sentence_of: a figure's sentence (default: its ``sentence`` key); asked only for figures
            that another article's figure could conflict with, so texts are read on demand.
        published_of: a figure's article's publication date, ISO (default: its ``published``
            key): two figures without a period of their own are of their articles' dates, and
            articles more than ``MAX_DAYS_APART`` days apart tell two times.
    Returns:
        Groups of figures, each from at least two articles, joined by pairs that conflict (see
        the module's rule), in the order of ``claims``.

    >>> rows = [dict(id=1, article_id="a", value=12.0, text="12", unit="people", kind="quantity",
    ...              what="people killed", sentence="The Grenfell tower fire killed 12 people, police said."),
    ...         dict(id=2, article_id="b", value=14.0, text="14", unit="people", kind="quantity",
    ...              what="people killed", sentence="Police said 14 people were killed in the Grenfell tower fire.")]
    >>> [[c["id"] for c in g] for g in conflicting_figures(rows)]
    [[1, 2]]
    """
    # a compared value ("down from $19.5 billion") or a change ("up 5%") is not the quantity
    if published_of is not None:  # the rules read a figure's article date as its "published"
        claims = [dict(c, published=published_of(c)) for c in claims]
    cands = [c for c in claims if c.get("value") is not None and c.get("kind") != "date"
             and not c.get("role") and not (isinstance(c.get("value"), float) and math.isnan(c["value"]))
             and not _TALLY.fullmatch(str(c.get("text") or ""))]
    whats = [" ".join(stem_of(t) for t in content_terms(tokens(c.get("what") or ""))) for c in cands]
    # what the pair checks read of a figure (its sentence, names, times, doer ...), read once
    figs = [_Figure(c, sentence_of) for c in cands]

    groups: dict[tuple[Any, str], list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        # a bare unit ("12 points", "five games") counts things of many events: the "what" must
        # say more than the unit ("donate", "people killed"); a "what" that is a name ("Internet
        # Explorer" 7) makes the number part of it
        unit = {stem_of(t) for t in tokens(c.get("unit") or "")}
        terms = set(whats[i].split())
        if c.get("what") and terms - unit and (unit or len(terms) >= 2) and not _is_name(c["what"]) \
                and not _PART_OF.match(c["what"]):
            groups[(c.get("kind"), (c.get("unit") or "").lower())].append(i)
    ambiguous: dict[int, bool] = {}

    def several_values(i: int, members: list[int]) -> bool:
        """Whether i's article gives another value for i's quantity, or for its unit in i's sentence."""
        if i not in ambiguous:
            ambiguous[i] = any(
                k != i and cands[k]["article_id"] == cands[i]["article_id"] and _apart(figs[i].allowed, figs[k].allowed)
                and (fuzz.token_sort_ratio(whats[i], whats[k]) >= SAME_WHAT or figs[i].sentence == figs[k].sentence)
                for k in members)
        return ambiguous[i]

    pairs: set[tuple[int, int]] = set()
    for members in groups.values():
        if len({cands[i]["article_id"] for i in members}) < 2:
            continue
        pairs.update((i, j) for n, i in enumerate(members) for j in members[n + 1:]
                     if cands[i]["article_id"] != cands[j]["article_id"] and _apart(figs[i].allowed, figs[j].allowed)
                     and fuzz.token_sort_ratio(whats[i], whats[j]) >= SAME_WHAT
                     and not several_values(i, members) and not several_values(j, members)
                     and _conflict(figs[i], figs[j]))
    pairs.update(_same_slot_pairs(figs))
    pairs.update(_same_event_pairs(figs, whats))
    return _components(sorted(pairs), cands)


class _Figure:
    """One candidate figure and what the pair checks read of it, each read once, on first use: its
    sentence (asked of ``sentence_of`` only then), where the figure stands in it, the sentence's
    names, event words, times and years, the figure's doer and the values it allows."""

    def __init__(self, c: dict[str, Any], sentence_of: Callable[[dict[str, Any]], str | None] | None = None) -> None:
        self.c = c
        self._sentence_of = sentence_of

    @classmethod
    def of(cls, c: dict[str, Any], sentence: str | None = None) -> _Figure:
        """A figure whose sentence is given (the public checks' way in)."""
        return cls(c, lambda _: sentence)

    @cached_property
    def sentence(self) -> str | None:
        return self._sentence_of(self.c) if self._sentence_of else self.c.get("sentence")

    @cached_property
    def at(self) -> int:
        return _locate(self.c, self.sentence)

    @cached_property
    def names(self) -> set[str]:
        return _names(self.sentence or "")

    @cached_property
    def terms(self) -> set[str]:
        return _event_terms(self.sentence or "")

    @cached_property
    def times(self) -> frozenset[str]:
        return figure_times(self.sentence)

    @cached_property
    def years(self) -> set[str]:
        return set(_YEAR.findall(self.sentence or ""))

    @cached_property
    def doer(self) -> frozenset[str]:
        return figure_doer(self.c)

    @cached_property
    def allowed(self) -> tuple[float, float]:
        return _allowed(self.c)

    @cached_property
    def frame(self) -> tuple[tuple[str, ...], tuple[str, ...], str] | None:
        return figure_frame(self.c, self.sentence)

    def before(self, width: int) -> str:
        """Up to ``width`` characters of the sentence before the figure ("" when it is not found)."""
        return (self.sentence or "")[max(0, self.at - width):self.at] if self.at >= 0 else ""

    def after(self) -> str:
        """The sentence after the figure ("" when it is not found)."""
        return (self.sentence or "")[self.at + len(str(self.c.get("text") or "")):] if self.at >= 0 else ""


def _locate(c: dict[str, Any], sentence: str | None) -> int:
    """Where a figure's text stands in its sentence (-1: not found, or no text)."""
    text = str(c.get("text") or "")
    return (sentence or "").find(text) if text else -1


# Two numbers joined by a dash with spaces ("2 - 13", as ECB+ spaces a "2-13" record): a tally
# (a score, a win-loss record), not a range of one quantity.
_TALLY = re.compile(r"\d+ [-\u2013] \d+")

# Clause verbs that say nothing of what happened to what a figure counts: a copula or a verb of
# state ("the average price now stands at £152,879", "amounts to", "totals"), a possession, a doing
# in general; reporting verbs ("said", "told") are told by extract.cues.
_LIGHT_EVENTS = frozenset({"be", "have", "do", "make", "get", "take", "give", "include", "become", "remain",
                           "go", "come", "see", "put", "set", "use", "bring", "keep", "hold", "show",
                           "stand", "amount", "total", "number", "equal", "represent", "average", "sit"})
# Two reports of one quantity of one event disagree by a small factor ("ten killed" against
# "three killed", "6.1" against "5.9"); figures further apart are other instances (an earlier
# disaster's toll told as background, a season's total against a match's).
MAX_EVENT_RATIO = 4.0


def figure_event(c: dict[str, Any]) -> tuple[str, str, str] | None:
    """What a figure counts and what happened to it: (kind, unit, the lemma of its clause verb),
    None when the verb is light or reporting, or the figure counts no named unit.

    >>> figure_event(dict(kind="quantity", unit="people", event="kill"))
    ('quantity', 'people', 'kill')
    >>> figure_event(dict(kind="quantity", unit="people", event="say")) is None
    True
    """
    event, unit = c.get("event"), (c.get("unit") or "").lower()
    if not event or not unit or event in _LIGHT_EVENTS or is_cue_lemma(event) or _PART_OF.match(c.get("what") or ""):
        return None  # (a part: "an additional 328 emails", "another 20,000 people")
    if c.get("kind") in ("money", "percent", "ratio"):
        # a currency or "percent" names no thing counted: the "what" must ("a $27.5bn back tax bill",
        # not the bare "pay" of two payments)
        drop = {stem_of(t) for t in tokens(f"{event} {c.get('agent') or ''}")}
        if not {stem_of(t) for t in content_terms(tokens(c.get("what") or ""))} - drop:
            return None
    return str(c.get("kind")), unit, str(event)


def same_time(a: dict[str, Any], b: dict[str, Any], sa: str | None, sb: str | None) -> bool:
    """Whether two figures are for the same time: their periods (read from the parse) are the
    same (or neither has one), and their sentences name no disjoint years.

    >>> same_time(dict(period="2018"), dict(period="2017"), None, None)
    False
    >>> same_time(dict(period=None), dict(period=None), "killed 10 on Sunday", "killed 3")
    True
    """
    return _same_time(_Figure.of(a, sa), _Figure.of(b, sb))


def _same_time(fa: _Figure, fb: _Figure) -> bool:
    a, b = fa.c, fb.c
    if (a.get("period") or None) != (b.get("period") or None):
        return False
    if not a.get("period") and _days_apart(a.get("published"), b.get("published")) > MAX_DAYS_APART:
        return False  # "has now found 600-700 emails" in November, "over 2,200" in May: two counts
    ya, yb = fa.years, fb.years
    return not (ya and yb and not ya & yb)


_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
# Reports of one event a few days apart still tell one running count (a death toll); further apart,
# a figure told without its own time is of another time (a quarter's users, a growing count).
MAX_DAYS_APART = 7


def _days_apart(a: str | None, b: str | None) -> float:
    """Days between two ISO dates (0 when either is unknown)."""
    try:
        da, db = (_dt.date.fromisoformat(str(x)[:10]) for x in (a, b))
    except (TypeError, ValueError):
        return 0.0
    return abs((da - db).days)


def _ratio(a: dict[str, Any], b: dict[str, Any]) -> float:
    va, vb = abs(float(a["value"])), abs(float(b["value"]))
    lo, hi = min(va, vb), max(va, vb)
    return math.inf if lo == 0 else hi / lo


def _same_event_pairs(figs: Sequence[_Figure], whats: list[str]) -> set[tuple[int, int]]:
    """Pairs of figures of two articles of one story for one quantity of one happening: the same
    unit and clause verb ("10 people were killed" / "killing three people"), what they count alike,
    the same period, values apart by a factor under ``MAX_EVENT_RATIO``, and each article giving
    one value for it (issue #17)."""
    cands = [f.c for f in figs]
    by_event: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        key = figure_event(c)
        if key is not None:
            by_event[key].append(i)
    out = set()
    for members in by_event.values():
        if len({cands[i]["article_id"] for i in members}) < 2:
            continue
        # an article that gives two values for one quantity speaks of two instances of it
        several = {i for i in members for k in members
                   if k != i and cands[k]["article_id"] == cands[i]["article_id"]
                   and _apart(figs[i].allowed, figs[k].allowed)}
        for n, i in enumerate(members):
            for j in members[n + 1:]:
                a, b = cands[i], cands[j]
                if a["article_id"] == b["article_id"] or i in several or j in several \
                        or not _apart(figs[i].allowed, figs[j].allowed) or _ratio(a, b) > MAX_EVENT_RATIO \
                        or fuzz.token_sort_ratio(whats[i], whats[j]) < SAME_WHAT:
                    continue
                fa, fb = figs[i], figs[j]
                if _same_time(fa, fb) and _same_doer(fa, fb) and _same_names(fa, fb) and _undated(fa, fb) \
                        and not _hypothetical(fa) and not _hypothetical(fb) \
                        and not _relative(fa) and not _relative(fb) and _aggregate(fa) == _aggregate(fb):
                    out.add((min(i, j), max(i, j)))
    return out


def same_agent(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two figures' events can have one doer: not when both name a different one
    (``figure_doer``: "Manning threw for 364 yards" / "Garrard threw for 329 yards"; "310 million
    users for Twitter" / "LinkedIn's 433 million users"); a common noun ("the quake", "the
    temblor") or no subject leaves it open.

    >>> same_agent(dict(agent="Manning"), dict(agent="David Garrard"))
    False
    >>> same_agent(dict(agent="Peyton Hillis"), dict(agent="Hillis")), same_agent(dict(agent="quake"), dict(agent="temblor"))
    (True, True)
    >>> same_agent(dict(what="Apple shares"), dict(what="shares of Microsoft"))
    False
    """
    return _same_doer(_Figure.of(a), _Figure.of(b))


def _same_doer(fa: _Figure, fb: _Figure) -> bool:
    da, db = fa.doer, fb.doer
    return not da or not db or bool(da & db)


def figure_doer(c: dict[str, Any]) -> frozenset[str]:
    """The named doer or owner of a figure, as lower-cased words: its clause's subject when that is
    a name (``agent``: "Manning threw for 364 yards", "Smith's 120 rushing yards"), else the names
    in what it counts (a compound or prepositional owner: "Clinton emails", "users for Twitter");
    empty when neither names one ("the quake", "He had just 269 yards").

    >>> sorted(figure_doer(dict(agent="David Garrard"))), sorted(figure_doer(dict(what="active monthly users for Twitter")))
    (['david', 'garrard'], ['twitter'])
    >>> figure_doer(dict(agent="quake", what="people"))
    frozenset()
    """
    agent = str(c.get("agent") or "")
    words = agent.split() if agent[:1].isupper() else \
        [w for w in re.findall(r"[^\W\d_][\w'’.-]*", str(c.get("what") or "")) if w[0].isupper()]
    return frozenset(re.sub(r"['’]s?$", "", w).lower() for w in words if w not in _NOT_NAMES) - {""}


# A period that is a rate, not a time: "310 million monthly users", "$30m a year", "annual sales".
_FREQUENCY = re.compile(r"(?:annual|annually|monthly|weekly|daily|nightly|hourly|quarterly|yearly|"
                        r"(?:a|an|per|each|every)\s.*)$", re.I)


def dated(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two figures' time is known: one of them has a period of its own (a frequency is
    none: "monthly users"), or both articles carry a publication date."""
    if any(c.get("period") and not _FREQUENCY.match(str(c["period"])) for c in (a, b)):
        return True
    return bool(a.get("published")) and bool(b.get("published"))


def undated_evidence(a: dict[str, Any], b: dict[str, Any], sa: str | None, sb: str | None) -> bool:
    """Whether two figures whose time is unknown (``dated`` false) are still surely of one event:
    the same named doer or owner in both ("Clinton emails" found by "the State Department" is not
    "Clinton's emails" found by "investigators" months later), or, when neither names one, a name
    (a place, a participant) that both sentences give ("Qeshm").

    >>> undated_evidence(dict(agent="LaRue"), dict(agent="Mr. LaRue"), None, None)
    True
    >>> undated_evidence(dict(what="users for Twitter"), dict(agent="service"), "Twitter ...", "... Twitter")
    False
    >>> undated_evidence(dict(what="yards"), dict(what="yards"), "He played at Wayne State.", "He had just 269 yards.")
    False
    """
    return _undated(_Figure.of(a, sa), _Figure.of(b, sb))


def _undated(fa: _Figure, fb: _Figure) -> bool:
    if dated(fa.c, fb.c):
        return True
    da, db = fa.doer, fb.doer
    if da or db:
        return bool(da & db)
    return bool(fa.names & fb.names)


def _same_names(fa: _Figure, fb: _Figure) -> bool:
    """Two sentences that both name participants share one of them (one naming none leaves it open)."""
    na, nb = fa.names, fb.names
    return not na or not nb or bool(na & nb)


def figure_frame(c: dict[str, Any], sentence: str | None) -> tuple[tuple[str, ...], tuple[str, ...], str] | None:
    """A figure's place in its sentence: the ``FRAME_WORDS`` words before it, those after it, and
    the sentence with the figure masked (None when the figure is not found in the sentence).

    >>> figure_frame(dict(text="£94 million"), "set to be worth $1.8 billion (£94 million) by 2009.")[:2]
    (('worth', '1.8', 'billion'), ('by', '2009'))
    """
    text, sent = str(c.get("text") or ""), sentence or ""
    at = _locate(c, sent)
    if at < 0:
        return None
    left, right = tokens(sent[:at]), tokens(sent[at + len(text):])
    return (tuple(left[-FRAME_WORDS:]), tuple(right[:FRAME_WORDS]),
            " ".join(left) + " … " + " ".join(right))


def figure_context(c: dict[str, Any], sentence: str | None, *, width: int = 40) -> str:
    """What a figure without a ``what`` stands for, for a reader: the words around it in its sentence,
    the figure itself elided (the name of a conflict found by the same-slot rule).

    >>> figure_context(dict(text="£94 million"), "It is set to be worth $1.8 billion (£94 million) by 2009, says Juniper.")
    'It is set to be worth $1.8 billion (… ) by 2009, says Juniper.'
    """
    text, sent = str(c.get("text") or ""), sentence or ""
    at = _locate(c, sent)
    if at < 0:
        return text
    left, right = sent[max(0, at - width):at], sent[at + len(text):at + len(text) + width]
    if at > width:
        left = left.split(" ", 1)[-1]
    if at + len(text) + width < len(sent):
        right = right.rsplit(" ", 1)[0]
    return f"{left}… {right}".strip()


def _numbers(masked: str) -> list[str]:
    return sorted(t for t in masked.split() if any(ch.isdigit() for ch in t))


def _shared_terms(a: str, b: str) -> int:
    def terms(s: str) -> set[str]:
        return {stem_of(t) for t in content_terms(tokens(s)) if not any(ch.isdigit() for ch in t)}
    return len(terms(a) & terms(b))


def _same_slot_pairs(figs: Sequence[_Figure]) -> set[tuple[int, int]]:
    """Pairs of figures of two articles that fill the same slot of one sentence (module docstring)."""
    cands = [f.c for f in figs]
    by_unit: dict[tuple[Any, str], list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        by_unit[(c.get("kind"), (c.get("unit") or "").lower())].append(i)
    out = set()
    for members in by_unit.values():
        if len({cands[i]["article_id"] for i in members}) < 2:
            continue
        by_frame: dict[tuple[Any, ...], list[tuple[int, str]]] = defaultdict(list)
        for i in members:
            f = figs[i].frame
            if f and len(f[0]) + len(f[1]) >= FRAME_WORDS:
                by_frame[f[:2]].append((i, f[2]))
        for same in by_frame.values():
            for n, (i, mi) in enumerate(same):
                for j, mj in same[n + 1:]:
                    fa, fb = figs[i], figs[j]
                    if fa.c["article_id"] != fb.c["article_id"] and fuzz.ratio(mi, mj) >= SAME_FRAME \
                            and _numbers(mi) == _numbers(mj) and _shared_terms(mi, mj) >= MIN_FRAME_TERMS \
                            and fa.names & fb.names \
                            and _apart(fa.allowed, fb.allowed) and not _relative(fa) \
                            and _same_doer(fa, fb) and _undated(fa, fb) \
                            and not _relative(fb) and fa.times == fb.times:
                        out.add((min(i, j), max(i, j)))
    return out


# Determiners that make a count a part of the whole ("three other assault rifles", "a further 40,000
# farms"): the rest, not the quantity another article gives.
_PART_OF = re.compile(r"^\W*(?:other|another|further|more|additional|remaining|extra)\b", re.I)


def _is_name(what: str) -> bool:
    words = re.findall(r"[^\W\d_][\w'’-]*", what)
    return bool(words) and all(w[0].isupper() for w in words)


def _conflict(fa: _Figure, fb: _Figure) -> bool:
    a, b = fa.c, fb.c
    if not _apart(fa.allowed, fb.allowed) or _relative(fa) or _relative(fb):
        return False
    pa, pb = a.get("period"), b.get("period")
    if pa and pb and pa != pb or not _same_doer(fa, fb):
        return False
    times = fa.times
    if times != fb.times:  # (one figure's period unsaid is no licence: ECB+ showed only false ones)
        return False
    if not (pa or pb) and _days_apart(a.get("published"), b.get("published")) > MAX_DAYS_APART:
        return False
    # a change ("closed down 18%", "jumped 6%") happens again every day: undated, two of them
    # are two events
    if not times and (_change(fa) or _change(fb)):
        return False
    return bool(fa.sentence) and bool(fb.sentence) and _one_event(fa.names, fb.names, fa.terms, fb.terms) \
        and _undated(fa, fb)


_CHANGE = re.compile(r"\b(?:up|down|rose|rise|risen|fell|fall|fallen|jumped|jump|dropped|drop|climbed|slipped|"
                     r"gained|lost|increased|decreased|grew|shrank|surged|soared|slumped|plunged|tumbled|"
                     r"cut|raised|lowered|by)\s+(?:by\s+)?(?:about|around|almost|nearly|just|some|"
                     r"more\s+than|over|less\s+than)?\s*$", re.I)


def _change(f: _Figure) -> bool:
    """Whether a figure is a change of a quantity ("down 18%", "rose by 2%") by the words before it."""
    return f.at >= 0 and bool(_CHANGE.search(f.before(40)))


_RELATIVE = re.compile(r"^\W*(?:(?:more|less|fewer|higher|lower|greater|smaller|bigger)\s+than|per|a|an|each|of)\b"
                       r"|^\W*(?:up|down|more|less|fewer|higher|lower)\b\s*[.,;)]", re.I)


def _relative(f: _Figure) -> bool:
    """Whether a figure is a difference or a rate rather than the quantity itself: "£300 less
    than", "up 5", "per 100 people" (the words after it say so)."""
    if f.at < 0:
        return False
    before = f.before(40).lower()
    return bool(_RELATIVE.match(f.after())) or bool(re.search(r"\b(?:per|by|every)\s*$", before)) \
        or bool(_WHOLE_OF.search(before))


# The whole a part is told of: "completed 28 of 41 passes", "won 18 of its next 23 games".
_WHOLE_OF = re.compile(r"\d\s+of\s+(?:(?:his|her|its|their|the|our|next|last|first|final)\s+)*$")
# Words that make a figure a sum over several happenings ("a total of 14 rifles ... during the five
# operations", "in all"): it is compared only with another sum.
_AGGREGATE_BEFORE = re.compile(r"\b(?:totals?\s+of|totall?ing|combined|cumulative|overall|aggregate)"
                               r"\s+(?:(?:about|around|some|nearly|almost|over|more\s+than)\s+)?"
                               r"(?:[\w\s-]{1,30}?(?:,\s+(?:and\s+)?|\s+and\s+))*$")  # and its conjuncts: "14 rifles, 31 magazines"
_AGGREGATE_AFTER = re.compile(r"^\W*(?:\w+\s+){0,3}?(?:in\s+all|in\s+total|altogether|combined|so\s+far)\b", re.I)


def _hypothetical(f: _Figure) -> bool:
    """Whether a figure is in a condition, not asserted: "If the track sold 500,000 copies, ..."."""
    return f.at >= 0 and bool(re.search(r"\b(?:if|unless)\b[^,;:]*$", (f.sentence or "")[:f.at], re.I))


def _aggregate(f: _Figure) -> bool:
    """Whether a figure is told as a sum ("a total of 14 rifles", "352 yards in all")."""
    if f.at < 0:
        return False
    return bool(_AGGREGATE_BEFORE.search(f.before(80).lower())) or bool(_AGGREGATE_AFTER.match(f.after()))


def _components(pairs: list[tuple[int, int]], cands: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The figures of ``cands`` joined by ``pairs``, as connected groups (each in index order,
    the groups by their first index)."""
    uf = UnionFind(len(cands))
    for i, j in pairs:
        uf.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for x in {x for pair in pairs for x in pair}:
        groups[uf.find(x)].append(x)
    return [[cands[i] for i in sorted(g)] for g in sorted(groups.values(), key=min)]
