"""Numbers, dates and figure qualifiers: reading figures from words, and comparing them.

* :func:`parse_number` reads a number written in digits, words or both ("2.4 million", "two
  million", "1,500", "$1.5bn", "a dozen", "one and a half million") to a float; vague plurals
  take the smallest value they can mean ("tens of thousands" -> 10000), a range ("10 to 20",
  "between 10 and 20") its lower bound. Its word tables (``SMALL``, ``TENS``, ``SCALES``,
  ``VAGUE``, ``FRACTIONS``, ``NUM_WORDS``, ``DIGITS``) are shared with
  :mod:`newstrace.extract.claims`, which finds the figure spans in the parse.
* :func:`resolve_date` resolves a date expression ("Nov. 11", "last week", "Tuesday", "in
  March") to ISO 8601 against the article's publication date; ``MONTHS`` maps month names and
  abbreviations to their numbers.
* :data:`QUALIFIERS` name what the words around a figure say about its true value ("about",
  "more than", "at least", "up to"); :func:`value_range` gives the values a qualified figure
  allows (``APPROX_TOLERANCE`` each side of an approximate one), and :func:`figures_disagree`
  and :func:`figures_conflict` tell whether figures, from different articles for the latter,
  allow no common value (the link stage's conflicting figures).

Strings and numbers only: nothing here reads a spaCy parse.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

__all__ = ["APPROX_TOLERANCE", "QUALIFIERS", "figures_conflict", "figures_disagree", "join_split_number",
           "parse_number", "parse_range", "resolve_date", "value_range"]


# -- number words ---------------------------------------------------------------------------------
SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "mill": 1e6, "bn": 1e9, "b": 1e9, "bln": 1e9,
           "tn": 1e12, "trn": 1e12, "thousands": 1e3, "millions": 1e6, "billions": 1e9,
           "trillions": 1e12, "hundreds": 1e2}
# Vague plural counts take the smallest value they can mean ("thousands" >= 1000).
VAGUE = {"dozens": 12.0, "scores": 20.0, "tens": 10.0, "hundreds": 100.0, "thousands": 1e3,
          "millions": 1e6, "billions": 1e9, "trillions": 1e12}
FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "thirds": 1 / 3,
              "quarters": 0.25}
NUM_WORDS = set(SMALL) | set(TENS) | {"hundred", "thousand", "million", "billion", "trillion",
                                          "dozen", "dozens", "scores"} | set(VAGUE)
# a number in digits: "1,500", "2.4", "$1.5bn"'s "1.5bn", and a fraction written without its zero
# (".75 percent", "a .357 caliber revolver")
DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+|(?=\.\d))(?:\.(\d+))?(k|m|mn|mln|bn|b|bln|tn|trn)?$", re.I)


MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS.update({"sept": 9})
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_WEEKDAYS.update({d.lower(): i for i, d in enumerate(calendar.day_abbr)})


# ------------------------------------------------------------------------------------------------
# Numbers
# ------------------------------------------------------------------------------------------------
def _digits_value(tok: str) -> float | None:
    m = DIGITS.match(tok)
    if not m:
        return None
    whole = m.group(1).replace(",", "") or "0"
    v = float(whole + ("." + m.group(2) if m.group(2) else ""))
    if m.group(3):
        v *= SCALES[m.group(3).lower()]
    return v


def parse_number(text: str) -> tuple[float | None, bool]:
    """Read a number written in digits, words or both.

    Args:
        text: the number as written ("2.4 million", "two million", "1,500", "$1.5bn",
            "tens of thousands", "a dozen", "one and a half million", "10 to 20").
    Returns:
        (value, approximate): the value (the lower bound of a range, the smallest value of a
        vague plural), or None when no number is found; approximate is True for vague plurals
        and ranges.

    >>> parse_number("2.4 million")
    (2400000.0, False)
    >>> parse_number("tens of thousands")
    (10000.0, True)
    >>> parse_number(".75")
    (0.75, False)
    """
    words = re.findall(r"\d[\d,]*(?:\.\d+)?[a-z]*|(?<!\d)\.\d+[a-z]*|[a-z]+", text.lower().replace("-", " "))
    total = 0.0
    current: float | None = None
    approx = False
    seen = False
    pending: float | None = None  # "half a million"
    prev_digits = False
    for i, w in enumerate(words):
        prev = words[i - 1] if i else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        d = _digits_value(w)
        if d is not None or w in SMALL or w in TENS:
            small_after_small = d is None and w in SMALL and (
                prev in SMALL and prev not in ("ten", "eleven")
                or prev == "and" and i >= 2 and words[i - 2] in SMALL)  # "two and three times"
            if seen and (prev_digits and d is not None or prev in ("to", "or") or small_after_small
                         or prev == "and" and "between" in words[:i]):
                approx = True  # a range: keep the lower bound
                break
            current = (current or 0.0) + (d if d is not None else SMALL.get(w, TENS.get(w, 0)))
            seen, prev_digits = True, d is not None
            continue
        prev_digits = False
        if w in ("a", "an"):
            if current is None and pending is None and (nxt in SCALES or nxt == "dozen"):
                current = 1.0
        elif w == "dozen":
            current = (current if current is not None else 1.0) * 12.0
            seen = True
        elif w in FRACTIONS and seen and prev in ("a", "an") and i >= 2 and words[i - 2] == "and":
            current = (current or 0.0) + FRACTIONS[w]
        elif w == "half" and not seen:
            pending = 0.5
        elif w in VAGUE and (current is None or w in ("hundreds", "thousands", "millions", "billions", "trillions")):
            current = VAGUE[w] if current is None else current * SCALES.get(w, 1.0)
            approx = seen = True
        elif w in SCALES and w not in ("k", "m", "b"):
            base = current if current is not None else (pending if pending is not None else 1.0)
            pending = None
            if SCALES[w] == 100:
                current = base * 100
            else:
                total += base * SCALES[w]
                current = None
            seen = True
        elif w in ("of", "and", "to", "or", "between", "from"):
            pass
        elif seen:
            break
    if not seen:
        return None, False
    return float(f"{total + (current or 0.0):.12g}"), approx


_RANGE_SPLIT = re.compile(r"^(?:between|from)?\s*(.+?)\s*(?:\s(?:to|and|or)\s|[-\u2013]|\s(?:-|\u2013)\s)\s*(.+)$",
                          re.I)


def parse_range(text: str) -> tuple[float, float] | None:
    """The bounds of a range written as one figure ("35 to 40", "between 10 and 20", "10-20",
    "35 to 40 million"), or None when ``text`` is no range.

    A scale or currency written once applies to both ends: "35 to 40 million" is 35 to 40 million.

    Args:
        text: the number part of a figure as written.
    Returns:
        (low, high) with low < high, or None.

    >>> parse_range("35 to 40")
    (35.0, 40.0)
    >>> parse_range("35 to 40 million")
    (35000000.0, 40000000.0)
    >>> parse_range("2.4 million") is None
    True
    """
    m = _RANGE_SPLIT.match(text.strip())
    if not m:
        return None
    left, right = m.group(1), m.group(2)
    lo, _ = parse_number(left)
    hi, _ = parse_number(right)
    if lo is None or hi is None:
        return None
    # "35 to 40 million": the scale after the second number is the first's too
    scale = re.search(r"(?:\d|\b)\s*(hundred|thousand|million|billion|trillion|k|m|mn|bn|tn)\b\W*$", right.lower())
    if scale and not re.search(r"[a-z]", re.sub(r"^\W+", "", left.lower())) and hi > lo * SCALES[scale.group(1)] / 10:
        lo *= SCALES[scale.group(1)]
    if not lo < hi:
        return None
    return lo, hi


_SPLIT_NUMBER = re.compile(r"(?<![\d,.])(\d{1,3})([.,]) (\d+)(?![\d,.]?\d)")


def join_split_number(text: str) -> str:
    """A number a tokeniser split at its separator, joined again: "6. 1" -> "6.1", "31, 000" ->
    "31,000" (ECB+ text spaces every token); other text is returned unchanged.

    A comma joins only a group of three digits ("31, 000"), never a list ("7, 8").

    >>> join_split_number("magnitude 6. 1")
    'magnitude 6.1'
    >>> join_split_number("31, 000 people")
    '31,000 people'
    >>> join_split_number("7, 8, 9")
    '7, 8, 9'
    """
    def join(m: re.Match[str]) -> str:
        if m.group(2) == "," and len(m.group(3)) != 3:
            return m.group(0)
        return m.group(1) + m.group(2) + m.group(3)
    return _SPLIT_NUMBER.sub(join, text)


# ------------------------------------------------------------------------------------------------
# Dates
# ------------------------------------------------------------------------------------------------
def _published_date(published: str | None) -> date | None:
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def resolve_date(text: str, published: str | None = None, *, future: bool = False) -> str | None:
    """Resolve a date expression to ISO 8601, against the article date for relative ones.

    Args:
        text: the date as written ("Nov. 11", "November 11, 2022", "last week", "Tuesday",
            "in March", "July of 2021", "2021", "yesterday", "three days ago").
        published: the article's publication date (ISO), or None.
        future: the event is in the future (the clause has "will"/"to"): a bare weekday or month
            is then the next one after the article date, else the latest one on or before it.
    Returns:
        "YYYY-MM-DD", "YYYY-MM", "YYYY", an ISO week "YYYY-Www", or without a known year
        "--MM-DD" / "--MM" (ISO 8601's truncated forms); None when the expression is not a
        date or is relative and the article date is unknown.

    >>> resolve_date("Nov. 11", "2022-11-14")
    '2022-11-11'
    >>> resolve_date("last week", "2022-02-01")
    '2022-W04'
    """
    return _resolved_date(text, published, future)


@functools.lru_cache(maxsize=4096)
def _resolved_date(text: str, published: str | None, future: bool) -> str | None:
    """:func:`resolve_date`, kept per (text, article date, future): a pure function of them, and
    the claims and event stages resolve an article's date entities more than once (issue 15's
    time budget; strings in, a string out, so a kept answer cannot be changed by a caller)."""
    pub = _published_date(published)
    t = re.sub(r"['\u2019]s?$", "", text.lower().strip())  # "last week's forum"
    t = re.sub(r"^(on|in|at|by|since|from|during|until|till|throughout|early|late|mid|the)\s+", "", t)
    t = re.sub(r"^(on|in|at|by|the)\s+", "", t)
    words = re.findall(r"[a-z]+|\d+", t)
    if not words:
        return None
    # relative days
    if pub is not None:
        if words[0] in ("today", "tonight") or t == "this morning" or t == "this afternoon" or t == "this evening":
            return pub.isoformat()
        if words[0] == "yesterday" or t == "last night":
            return (pub - timedelta(days=1)).isoformat()
        if words[0] == "tomorrow":
            return (pub + timedelta(days=1)).isoformat()
        m = re.search(r"(\w+(?: \w+)?)(?: (?:or|to) \w+)? (day|week|month|year)s? ago$", t)
        if m:
            n, _ = parse_number(m.group(1))
            if n is not None:
                return _shift(pub, m.group(2), -int(n))
        m = re.match(r"(last|this|next|coming|early|late)?\s*(spring|summer|autumn|fall|winter)$", t)
        if m:  # a season resolves to its year (northern hemisphere; winter to the year it starts in)
            start = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}[m.group(2)]
            y = pub.year if start <= pub.month else pub.year - 1
            if m.group(1) == "last" and start <= pub.month and pub.month < start + 3:
                y -= 1
            elif m.group(1) in ("next", "coming") or (future and start > pub.month):
                y = pub.year if start > pub.month else pub.year + 1
            return f"{y:04d}"
        m = re.match(r"(?:(last|past|previous|this|next|coming|earlier this|later this)\s+)(week|month|year|weekend)$", t)
        if m:
            rel, unit = m.group(1), m.group(2)
            if unit == "weekend":
                unit = "week"
            step = -1 if rel in ("last", "past", "previous") else (1 if rel in ("next", "coming") else 0)
            return _shift(pub, unit, step)
    if re.search(r"\d0s\b|\d0's\b", t):
        return None  # a decade ("the late 1990s") is a period, not the date of an event
    year = next((int(w) for w in words if len(w) == 4 and w.isdigit() and 1800 <= int(w) <= 2100), None)
    month = next((MONTHS[w] for w in words if w in MONTHS and w not in ("may",) or
                  (w == "may" and (len(words) > 1))), None)
    if month is None and "may" in words and len(words) == 1:
        month = 5
    if month is not None:  # only the number beside the month is its day ("7: 15 a. m. Dec. 7")
        day = _day_of_month(t)
    else:
        day = next((int(w) for w in words if w.isdigit() and len(w) <= 2 and 1 <= int(w) <= 31), None)
    wd = next((_WEEKDAYS[w] for w in words if w in _WEEKDAYS), None)
    if month is None and day is not None and year is None and wd is None:
        return None
    if month is not None:
        if year is None:
            if pub is None:  # ISO 8601's truncated form without the year: --MM-DD / --MM
                return f"--{month:02d}-{day:02d}" if day is not None and _valid_day(month, day) else f"--{month:02d}"
            year = pub.year
            # a month after the article date is last year's unless the event is in the future
            if not future and (month > pub.month or (month == pub.month and day and day > pub.day + 1)):
                year -= 1
            elif future and (month < pub.month):
                year += 1
        if day is not None:
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return None
        return f"{year:04d}-{month:02d}"
    if wd is not None and pub is not None:
        last = words[0] in ("last", "past", "previous")
        nxt = words[0] in ("next", "coming") or future
        if nxt:
            delta = (wd - pub.weekday()) % 7 or 7
            return (pub + timedelta(days=delta)).isoformat()
        delta = (pub.weekday() - wd) % 7
        if last and delta == 0:
            delta = 7
        return (pub - timedelta(days=delta)).isoformat()
    if year is not None and len(words) <= 3:
        return f"{year:04d}"
    return None


_MONTH_WORD = r"(?:%s)\b\s*\.?" % "|".join(sorted(MONTHS, key=len, reverse=True))
_ORDINAL = r"(\d{1,2})(?:\s*(?:st|nd|rd|th))?(?![\d:])"
# the day number written beside its month: "Nov. 12", "November the 12th", "12 November", "the
# 12th of November"; of a range ("12-14 November", "Nov. 12-14", "between 12 and 14 November")
# the first day. Other numbers in the words are not the day: "7: 15 a. m. Dec. 7, 2009"
_DAY_AFTER_MONTH = re.compile(rf"(?<![a-z]){_MONTH_WORD}\s*(?:the\s+)?{_ORDINAL}")
_DAY_BEFORE_MONTH = re.compile(
    rf"(?<![\d:]){_ORDINAL}(?:\s*(?:-|\u2013|to|and|through|or)\s*\d{{1,2}}(?:\s*(?:st|nd|rd|th))?)?"
    rf"\s*(?:of\s+)?(?<![a-z]){_MONTH_WORD}")


def _day_of_month(t: str) -> int | None:
    """The day number beside the month name in lower-cased date words, the first of a range; the
    first such date when the words hold two ("30 November - 2 December")."""
    found = [m for m in (_DAY_AFTER_MONTH.search(t), _DAY_BEFORE_MONTH.search(t)) if m]
    if not found:
        return None
    day = int(min(found, key=lambda m: m.start()).group(1))
    return day if 1 <= day <= 31 else None


def _valid_day(month: int, day: int) -> bool:
    return day <= calendar.monthrange(2000, month)[1]


def _shift(pub: date, unit: str, n: int) -> str:
    if unit == "day":
        return (pub + timedelta(days=n)).isoformat()
    if unit == "week":
        y, w, _ = (pub + timedelta(weeks=n)).isocalendar()
        return f"{y:04d}-W{w:02d}"
    if unit == "month":
        m0 = pub.year * 12 + pub.month - 1 + n
        return f"{m0 // 12:04d}-{m0 % 12 + 1:02d}"
    return f"{pub.year + n:04d}"


QUALIFIERS = ("approx", "over", "under", "at_least", "at_most", "up_to")


APPROX_TOLERANCE = 0.1  # "about 2.4 million" allows 2.16 to 2.64 million


def value_range(value: float, qualifier: str | None, *,
                tolerance: float = APPROX_TOLERANCE) -> tuple[float, float]:
    """The values a figure allows, given the qualifier its words put on it.

    Bounds are closed: "more than £5m" and "£5m" can both be true of £5m, since the exact figure
    is usually rounded too.

    Args:
        value: the figure's value.
        qualifier: one of ``QUALIFIERS`` or None (exact).
        tolerance: relative width of an approximate figure, each side.
    Returns:
        (low, high), infinite on an open side.
    Raises:
        ValueError: an unknown qualifier (the message lists the valid ones).

    >>> value_range(5e6, "over")
    (5000000.0, inf)
    >>> value_range(40.0, "approx")
    (36.0, 44.0)
    """
    v = float(value)
    if qualifier is None:
        return v, v
    if qualifier == "approx":
        return v - abs(v) * tolerance, v + abs(v) * tolerance
    if qualifier in ("over", "at_least"):
        return v, math.inf
    if qualifier in ("under", "at_most", "up_to"):
        return -math.inf, v
    raise ValueError(f"unknown figure qualifier {qualifier!r}; valid ones: None, {', '.join(QUALIFIERS)}")


def figures_disagree(a: tuple[float, str | None], b: tuple[float, str | None]) -> bool:
    """Whether no single true value satisfies both figures, each given as (value, qualifier).

    >>> figures_disagree((5e6, "over"), (5.2e6, None))
    False
    >>> figures_disagree((12, "at_least"), (10, None))
    True
    """
    lo_a, hi_a = value_range(*a)
    lo_b, hi_b = value_range(*b)
    return hi_a < lo_b or hi_b < lo_a


def figures_conflict(figures: Iterable[tuple[Any, float, str | None]]) -> bool:
    """Whether two figures from different articles disagree, given their qualifiers.

    Args:
        figures: (article id, value, qualifier) of figures about the same thing.
    Returns:
        True when some two of them, from different articles, allow no common value.

    >>> figures_conflict([("a", 5e6, "over"), ("b", 5.2e6, None)])
    False
    >>> figures_conflict([("a", 12, "at_least"), ("b", 10, None), ("b", 12, None)])
    True
    """
    spans = [(art, *value_range(value, qualifier)) for art, value, qualifier in figures]
    # the two smallest upper bounds held by different articles; a figure disagrees with the
    # other article's one if that bound is below its own lower bound (linear, not all pairs)
    first: tuple[float, Any] | None = None
    second: tuple[float, Any] | None = None
    for art, _, hi in spans:
        if first is None or hi < first[0]:
            if first is not None and first[1] != art:
                second = first
            first = (hi, art)
        elif art != first[1] and (second is None or hi < second[0]):
            second = (hi, art)
    for art, lo, _ in spans:
        other = first if first is not None and first[1] != art else second
        if other is not None and other[0] < lo:
            return True
    return False

