"""Figures and dated events an article asserts, with who asserts them (issue 4).

:func:`extract_claims` reads one spaCy parse of ``article.text`` and returns
:class:`~newstrace.models.Claim` records of five kinds:

* ``quantity``: a count or measure with its unit and what it counts ("2.4 million encounters
  with illegal migrants" -> value 2400000, unit "encounters"); durations ("over 20 years") are
  quantities with a time unit.
* ``percent``: "37 percent", "up 37%", "2.5 percentage points" (unit "percent" or
  "percentage points"); ``what`` comes from the governing noun or verb ("increase",
  "cut ICE book-ins").
* ``money``: "$1.5bn", "£20m", "5 million dollars", "50p"; unit is an ISO currency code.
* ``ratio``: "twice", "three times as many", "doubled", "halved", "half of" -> the factor.
* ``date``: the date of an event ("on Nov. 11", "last week", "Tuesday", "in March"), resolved
  against ``article.published`` when known; ``what`` is the event clause (subject, verb,
  object).

Figure spans are found from the tokens (numbers, number words, currency symbols, scale words)
rather than from spaCy's MONEY/PERCENT entities alone, because the small English model splits
"£20m" and drops the "$" of "$1.5bn"; spaCy's entities and the dependency parse decide what
the figure counts and which numbers are not claims.

Numbers that are not claims are skipped: years and other date parts, times of day, ordinals,
ages ("Smith, 45,", "a 45-year-old", "aged 45"), numbers inside names ("Title 42", "Section
1326", "COVID-19", "ABC 13 News", "Radio 4"), page/chapter counts used as modifiers ("a
500-page report"), telephone numbers, handles and URLs, and small counts of the people who are
the source of a quote ("two sources said"). Statute and section numbers are identifiers, not
figures: they are never claims (a quote that cites them is kept as a quote); the comparison of
figures across articles (``link``) would otherwise read "Section 1326" vs "Section 1325" as a
conflicting figure.

Normalised values: ``value`` is a float in base units (2.4 million -> 2400000.0, "£20m" ->
20000000.0 with unit "GBP", "50p" -> 0.5 GBP, "twice" -> 2.0, "a dozen" -> 12.0; vague plurals
such as "thousands" or "tens of thousands" take the smallest value they can mean, 1000 and
10000). A range ("10 to 20", "between 10 and 20", "10-20") takes its lower bound. The words
around a figure give its ``qualifier`` ("about", "more than", "at least", "up to": one of
:data:`newstrace.extract.figures.QUALIFIERS`). Numbers and dates are read by
:func:`~newstrace.extract.figures.parse_number` and :func:`~newstrace.extract.figures.resolve_date`.

Who asserts a figure: the speaker of the innermost quote containing it, else the source of an
attribution covering it, else the article's outlet (or "the article").

What a conflict between two articles' figures needs (issue #17), read from the same parse: a
range's ``low`` and ``high`` ("35 to 40 million"); the figure's ``role`` ("earlier" for a value
compared with: "down from $19.5 billion", "from 350 to 400", "compared with 4%"; "change" for a
difference: "up 5%", "rose by 62%"); its ``period``, the date phrase attached nearest to it on
its way up to its clause verb (through participle and coordinated clauses, not reported ones),
resolved against the article date ("in 2018, down from ... the previous year" -> 2018 and
2017); its ``event``, the lemma of that verb ("kill", "strike"); and its ``agent``, the verb's
subject as written ("Manning" threw for 364 yards; no pronouns). A number the tokeniser split
at its separator ("6. 1", "120, 000" in ECB+ text) is read as one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..models import Article, Attribution, Claim, Quote
from .cues import is_cue_lemma
from .doc_index import KeptAnswers, children, doc_index, prep_object
from .figures import (
    DIGITS, FRACTIONS, MONTHS, NUM_WORDS, SCALES, SMALL, TENS, VAGUE, join_split_number, parse_number,
    parse_range, resolve_date,
)


__all__ = ["extract_claims"]


# -- currencies -----------------------------------------------------------------------------------
_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "a$": "AUD",
                     "c$": "CAD", "hk$": "HKD", "nz$": "NZD", "₹": "INR", "rs": "INR", "rs.": "INR"}
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "usd": "USD", "pound": "GBP", "pounds": "GBP",
                   "sterling": "GBP", "gbp": "GBP", "euro": "EUR", "euros": "EUR", "eur": "EUR",
                   "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rupees": "INR",
                   "franc": "CHF", "francs": "CHF", "roubles": "RUB", "rubles": "RUB", "rouble": "RUB",
                   "ruble": "RUB", "won": "KRW", "cent": "USD", "cents": "USD", "pence": "GBP",
                   "p": "GBP"}
_SUBUNITS = {"cent", "cents", "pence", "p"}

_PERCENT_WORDS = {"%", "percent", "per", "pc", "pct"}
_APPROX = {"about", "around", "nearly", "almost", "roughly", "approximately", "some", "over",
           "under", "more", "less", "fewer", "least", "most", "up", "estimated", "close", "just",
           "than", "to", "at", "some"}
_TIME_UNITS = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week",
               "weeks", "month", "months", "year", "years", "decade", "decades", "century", "centuries"}
# Words after which a bare number is a label, not a count ("Title 8", "Section 1326", "Radio 4").
_LABEL_NOUNS = {"title", "section", "article", "chapter", "page", "paragraph", "clause", "rule",
                "amendment", "room", "flight", "route", "number", "no", "no.", "version", "level",
                "phase", "stage", "part", "act", "bill", "exhibit", "item", "line", "channel",
                "radio", "bbc", "vol", "volume", "grade", "category", "class", "division", "band",
                "gate", "platform", "terminal", "usc", "u.s.c.", "cfr", "covid", "g7", "g8", "g20",
                "windows", "iphone", "model", "series", "episode", "season"}
_FRACTION_FOLLOWERS = {"of", "the", "as", "those", "these", "all", "its", "their", "his", "her", "our",
                       "a", "an", "(", "said", "say", "were", "are", "thought", "believe", "voted"}
_PERIOD_NOUNS = {"period", "time", "quarter", "season", "term", "half", "date", "deadline", "level",
                 "figure", "figures", "rate", "average"}
_AGE_WORDS = {"aged", "age", "ages"}
_RATIO_WORDS = {"twice": 2.0, "double": 2.0, "doubled": 2.0, "doubles": 2.0, "doubling": 2.0,
                "triple": 3.0, "tripled": 3.0, "triples": 3.0, "tripling": 3.0, "treble": 3.0,
                "trebled": 3.0, "quadruple": 4.0, "quadrupled": 4.0, "quadrupling": 4.0,
                "halve": 0.5, "halved": 0.5, "halves": 0.5, "halving": 0.5, "thrice": 3.0}


# ------------------------------------------------------------------------------------------------
# Figure spans
# ------------------------------------------------------------------------------------------------
_PREFIXED = re.compile(r"^(hk\$|us\$|a\$|c\$|nz\$|s\$|\$|£|€|¥|₹)(\d[\d,]*(?:\.\d+)?(?:k|m|mn|bn|b|tn)?)$", re.I)
_PREFIX_CODES = {"hk$": "HKD", "us$": "USD", "a$": "AUD", "c$": "CAD", "nz$": "NZD", "s$": "SGD", "$": "USD",
                 "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR"}
# "Swiss francs", "Hong Kong dollars": the adjective decides the currency.
_NATIONAL_CURRENCY = {("swiss", "franc"): "CHF", ("us", "dollar"): "USD", ("american", "dollar"): "USD",
                      ("canadian", "dollar"): "CAD", ("australian", "dollar"): "AUD", ("kong", "dollar"): "HKD",
                      ("zealand", "dollar"): "NZD", ("singapore", "dollar"): "SGD", ("taiwan", "dollar"): "TWD",
                      ("south", "rand"): "ZAR", ("african", "rand"): "ZAR", ("japanese", "yen"): "JPY",
                      ("chinese", "yuan"): "CNY", ("indian", "rupee"): "INR", ("russian", "rouble"): "RUB",
                      ("russian", "ruble"): "RUB", ("swedish", "krona"): "SEK", ("swedish", "kronor"): "SEK",
                      ("norwegian", "krone"): "NOK", ("danish", "krone"): "DKK", ("danish", "kroner"): "DKK",
                      ("mexican", "peso"): "MXN", ("brazilian", "real"): "BRL", ("turkish", "lira"): "TRY",
                      ("french", "franc"): "FRF", ("irish", "pound"): "IEP", ("egyptian", "pound"): "EGP"}


# (language, word) -> _is_num_tok: it reads the word's lexical attributes only, and runs for
# every token (issue 15's time budget); bounded, as the vocabulary of a long run is not.
def _is_num_tok(tok) -> bool:
    return _NUM_TOK((tok.lang, tok.orth), tok)


def _num_tok(tok) -> bool:
    low = tok.lower_
    if DIGITS.match(low) or _PREFIXED.match(low):
        return True
    if low in NUM_WORDS:
        return True
    if tok.like_num and not tok.is_punct and not re.search(r"[/:@#]", tok.text):
        return bool(re.match(r"^\d", tok.text) or low in SMALL or low in TENS)
    return False


_NUM_TOK = KeptAnswers(_num_tok)
_NUM_BY_ORTH: dict[str, dict[int, bool]] = {}  # _NUM_TOK's answers by language, then word id (one dict read per token)


def _num_flags(doc) -> list[bool]:
    """``_is_num_tok`` of every token, read by word id (``Doc.to_array``): no Token read per token."""
    lang, vocab, kept = doc.lang, doc.vocab, _NUM_TOK.kept
    known = _NUM_BY_ORTH.get(lang)
    if known is None or len(known) > _NUM_TOK.limit:
        known = _NUM_BY_ORTH[lang] = {}
    orths = doc_index(doc).orths  # (the column the shared index reads for its words)
    try:  # one dict read per token: most words were seen before
        return list(map(known.__getitem__, orths))
    except KeyError:
        pass
    out = list(map(known.get, orths))
    for k, hit in enumerate(out):
        if hit is None:
            orth = orths[k]
            hit = kept.get((lang, orth))
            out[k] = hit = hit if hit is not None else _NUM_TOK((lang, orth), vocab[orth])  # a Lexeme: the same attributes
            known[orth] = hit
    return out


class _Figure:
    __slots__ = ("lo", "hi", "num_lo", "num_hi", "currency", "percent", "sub", "ratio", "count_unit")

    def __init__(self, lo: int, hi: int) -> None:
        self.lo, self.hi = lo, hi  # token range of the whole figure (currency, number, unit)
        self.num_lo, self.num_hi = lo, hi  # token range of the number itself
        self.currency: str | None = None
        self.percent: str | None = None  # "percent" or "percentage points"
        self.sub = False  # cents / pence
        self.ratio: float | None = None
        self.count_unit: str | None = None  # a unit inside the figure span ("three or four times")


def _number_groups(doc) -> list[_Figure]:
    """Token runs that write one number (with currency symbol, scale and % / currency word)."""
    figs: list[_Figure] = []
    toks = doc_index(doc).tokens  # a list is read faster than doc[i] (issue 15's time budget)
    n = len(doc)
    num = _num_flags(doc)
    i = 0
    while i < n:
        tok = toks[i]
        if not num[i] or tok.lower_ in ("tens", "scores") and not (
                i + 2 < n and toks[i + 1].lower_ == "of" and toks[i + 2].lower_ in VAGUE):
            i += 1
            continue
        j = i + 1
        # extend over number words, "and a half", "of thousands", "-", "to" ranges
        while j < n:
            t = toks[j]
            low = t.lower_
            prev_low = toks[j - 1].lower_
            if _split_separator(doc, j):
                j += 2  # "6. 1", "31, 000": one number the tokeniser split (ECB+ text)
                continue
            if DIGITS.match(prev_low) and (low in SMALL or low in TENS or DIGITS.match(low)):
                break  # "£10 one-way", "6-3 6-7": digits never continue with another number
            if prev_low in ("or", "to") and low in SMALL:
                break
            if num[j] or low in SCALES and low not in ("b",) or low in ("dozen",):
                j += 1
            elif low == "-" and not t.whitespace_ and toks[j - 1].lower_ in TENS and j + 1 < n \
                    and toks[j + 1].lower_ in SMALL:
                j += 1  # "Forty-three"
            elif low in ("and", "a") and j + 1 < n and (toks[j + 1].lower_ in ("a", "half") or
                                                         toks[j + 1].lower_ in SMALL and low == "and"
                                                         and toks[j - 1].lower_ in ("hundred",)):
                j += 1
            elif low == "half" and toks[j - 1].lower_ in ("a", "and"):
                j += 1
            elif low == "of" and j + 1 < n and toks[j + 1].lower_ in VAGUE and toks[j - 1].lower_ in VAGUE:
                j += 1
            elif low in ("-", "–", "to") and j + 1 < n and DIGITS.match(toks[j + 1].lower_) and \
                    DIGITS.match(toks[j - 1].lower_) and not (low == "to" and i > 0 and toks[i - 1].lower_ == "from"):
                j += 1  # a range 10-20 / 10 to 20 (but "from 350 to 400" is a change: two figures)
            else:
                break
        fig = _Figure(i, j)
        # a leading "a" for "a dozen", "a million"; "half a million"
        if i > 0 and toks[i - 1].lower_ in ("a", "an") and toks[i].lower_ in ("dozen", "million", "billion",
                                                                          "thousand", "hundred", "trillion"):
            fig.lo = fig.num_lo = i - 1
            if i > 1 and toks[i - 2].lower_ == "half":
                fig.lo = fig.num_lo = i - 2
        # currency before: "$", "£", "US$", "Rs"
        k = fig.lo - 1
        if k >= 0 and toks[k].lower_ in _CURRENCY_SYMBOLS:
            fig.currency = _CURRENCY_SYMBOLS[toks[k].lower_]
            fig.lo = k
            if k >= 1 and toks[k - 1].text in ("US", "A", "C", "HK", "NZ") and toks[k - 1].whitespace_ == "":
                fig.currency = _CURRENCY_SYMBOLS.get(toks[k - 1].lower_ + "$", fig.currency)
                fig.lo = k - 1
        elif _PREFIXED.match(toks[fig.num_lo].lower_):
            fig.currency = _PREFIX_CODES[_PREFIXED.match(toks[fig.num_lo].lower_).group(1)]
        # after: scale glued as a separate token ("20" "m"), percent, currency word
        j = fig.num_hi
        if j < n and toks[j].lower_.rstrip(".") in ("m", "bn", "k", "mn", "tn", "b") and toks[j - 1].whitespace_ == "" \
                and fig.currency:
            fig.num_hi = fig.hi = j + 1
            j += 1
        if j < n:
            low = toks[j].lower_
            if low in ("%", "percent", "pc", "pct"):
                fig.percent = "percent"
                fig.hi = j + 1
            elif low == "per" and j + 1 < n and toks[j + 1].lower_ == "cent":
                fig.percent = "percent"
                fig.hi = j + 2
            elif low in ("percentage", "percent") and j + 1 < n and toks[j + 1].lower_ in ("point", "points"):
                fig.percent = "percentage points"
                fig.hi = j + 2
            elif not fig.currency and j + 1 < n and (low, toks[j + 1].lower_.rstrip("s")) in _NATIONAL_CURRENCY:
                fig.currency = _NATIONAL_CURRENCY[(low, toks[j + 1].lower_.rstrip("s"))]
                fig.hi = j + 2
            elif not fig.currency and j + 2 < n and (toks[j + 1].lower_, toks[j + 2].lower_.rstrip("s")) in _NATIONAL_CURRENCY \
                    and toks[j].is_title and toks[j + 1].is_title:
                fig.currency = _NATIONAL_CURRENCY[(toks[j + 1].lower_, toks[j + 2].lower_.rstrip("s"))]
                fig.hi = j + 3  # "Hong Kong dollars", "South African rand"
            elif low in _CURRENCY_WORDS and not fig.currency and not (low == "p" and toks[j - 1].whitespace_):
                if low != "won" or toks[j].pos_ in ("NOUN", "PROPN"):
                    fig.currency = _CURRENCY_WORDS[low]
                    fig.sub = low in _SUBUNITS
                    fig.hi = j + 1
            elif low == "to" and j + 1 < n and toks[j + 1].lower_ == "one" and fig.num_hi - fig.num_lo == 1 \
                    and toks[fig.num_lo].lower_ in SMALL:
                a, _ = parse_number(toks[fig.num_lo].text)
                if a:
                    fig.ratio = a  # "by two to one"
                    fig.hi = j + 2
            elif low == "in" and j + 1 < n and (toks[j + 1].lower_ in SMALL or toks[j + 1].lower_ in TENS
                                                or toks[j + 1].text.isdigit()) and fig.num_hi - fig.num_lo == 1:
                a, _ = parse_number(toks[fig.num_lo].text)
                b, _ = parse_number(toks[j + 1].text)
                if a and b and a < b:
                    fig.ratio = a / b  # "one in four"
                    fig.hi = j + 2
            elif (low in FRACTIONS or low == "-" and j + 1 < n and toks[j + 1].lower_ in FRACTIONS) \
                    and toks[fig.num_lo].lower_ in SMALL:
                k = j if low in FRACTIONS else j + 1
                a, _ = parse_number(doc[fig.num_lo:fig.num_hi].text)
                after = toks[k + 1] if k + 1 < n else None
                if a and after is not None and (after.lower_ in _FRACTION_FOLLOWERS or after.pos_ in ("VERB", "AUX")):
                    fig.ratio = a * FRACTIONS[toks[k].lower_]  # "three-quarters", "two thirds"
                    fig.hi = k + 1
            elif low in ("and", "or", "to") and j + 2 < n and _is_num_tok(toks[j + 1]) and toks[j + 2].lower_ == "times":
                v, _ = parse_number(doc[fig.num_lo:fig.num_hi].text)
                k = j + 3
                while k < n and toks[k].is_quote:
                    k += 1
                if v is not None and _comparative_follows(toks[k] if k < n else None):
                    fig.ratio = v  # "between two and three times" the assessment: the lower bound
                    fig.hi = j + 3
                elif v is not None:
                    fig.hi = j + 3  # "three or four times": a count of occasions (the lower bound)
                    fig.num_hi = j + 2
                    fig.count_unit = "times"
            elif low in ("times", "fold") or (low == "-" and j + 1 < n and toks[j + 1].lower_ == "fold"):
                v, _ = parse_number(doc[fig.num_lo:fig.num_hi].text)
                after = toks[j + 1] if j + 1 < n else None
                if low == "times" and not _comparative_follows(after):
                    v = None  # "we would speak three or four times": how often, a count of occasions
                if v is not None:
                    fig.ratio = v
                    fig.hi = j + 1 if low != "-" else j + 2
        if fig.currency is None and j < n and toks[j].text.lower() == "p" and toks[j - 1].whitespace_ == "":
            fig.currency, fig.sub, fig.hi = "GBP", True, j + 1
        figs.append(fig)
        i = max(fig.hi, i + 1)
    return figs


def _split_separator(doc, j: int) -> bool:
    """Whether token j is the "." or "," of one number written with a space after it: "6. 1",
    "$27. 5 million", "31, 000" (text that spaces every token, as ECB+ does), not a sentence end
    ("killed 6. He said") nor a list ("7, 8, 9")."""
    t = doc[j]
    if t.text not in (".", ",") or not t.whitespace_ or j < 1 or j + 1 >= len(doc):
        return False
    before, after = doc[j - 1], doc[j + 1]
    if before.whitespace_ or not re.fullmatch(r"\d{1,3}", before.text) or not after.text.isdigit():
        return False
    if j >= 2 and doc[j - 2].text in (",", ".") or j + 2 < len(doc) and doc[j + 2].text in (",", ".") \
            and j + 3 < len(doc) and doc[j + 3].text.isdigit():
        return False  # a list or a version ("7, 8, 9", "1. 2. 3")
    if t.text == ",":
        return len(after.text) == 3
    nxt = doc[j + 2] if j + 2 < len(doc) else None
    return nxt is None or not (nxt.is_title and nxt.pos_ not in ("PROPN",) or nxt.is_sent_start)


def _comparative_follows(tok) -> bool:
    """Whether "N times" is a factor: "three times as many", "four times the size", "five times higher"."""
    if tok is None:
        return False
    return tok.lower_ in ("as", "the", "that", "what", "more", "less", "fewer", "over", "its", "their", "his",
                          "her", "our", "this", "those", "these") or tok.tag_ in ("JJR", "RBR") or \
        _is_num_tok(tok) or tok.text in _CURRENCY_SYMBOLS


def _ratio_tokens(doc) -> list[_Figure]:
    out = []
    index = doc_index(doc)
    for tok, low in zip(index.tokens, index.lower):
        if low in _RATIO_WORDS:
            nxt0 = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if low in ("double", "triple", "treble", "quadruple") and not (tok.pos_ == "VERB" or nxt0 is not None and nxt0.lower_ in (
                    "the", "that", "what", "its", "their", "his", "her", "our", "this", "those")):
                continue  # "double counting", "triple jumper": not a factor
            if low in ("double", "triple") and tok.head.lower_ in ("digit", "digits", "figures"):
                continue
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if low in ("twice", "thrice") and not (nxt is not None and (
                    nxt.lower_ in ("as", "the", "that", "what", "a", "an", "its", "their", "his", "her",
                                   "this", "those", "these", "than") or _is_num_tok(nxt))):
                continue  # "billing clients twice", "think twice": how often, not a factor
            f = _Figure(tok.i, tok.i + 1)
            f.ratio = _RATIO_WORDS[low]
            out.append(f)
        elif low in ("half", "third", "quarter", "fifth") and tok.i + 1 < len(doc) and \
                (doc[tok.i + 1].lower_ in _FRACTION_FOLLOWERS or tok.i >= 2 and doc[tok.i - 2].lower_ == "by"
                 and doc[tok.i - 1].lower_ == "a") and \
                not (tok.i > 0 and doc[tok.i - 1].lower_ in ("and", "first", "second", "the", "this", "that")):
            prev = doc[tok.i - 1] if tok.i > 0 else None
            if low != "half" and not (prev is not None and prev.lower_ in ("a", "one")):
                continue  # "the third quarter", "fourth quarter": ordinals and periods
            f = _Figure(tok.i if low == "half" or prev is None else prev.i, tok.i + 1)
            f.ratio = FRACTIONS[low]
            out.append(f)
    return out


# ------------------------------------------------------------------------------------------------
# What a figure counts
# ------------------------------------------------------------------------------------------------
_DROP_DEPS = {"det", "punct", "relcl", "appos", "cc", "predet", "advcl", "nummod", "quantmod",
              "poss", "case", "parataxis", "mark"}


def _phrase(tokens, exclude: set[int], max_tokens: int = 14) -> str:
    toks = sorted({t.i: t for t in tokens if t.i not in exclude}.values(), key=lambda t: t.i)
    toks = toks[:max_tokens]
    while toks and toks[-1].pos_ in ("ADP", "DET", "CCONJ", "PUNCT"):
        toks.pop()  # "jail sentence of [up to 85 years]": no dangling preposition
    out = []
    for k, t in enumerate(toks):
        out.append(t.text)
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if nxt is not None and (nxt.i != t.i + 1 or t.whitespace_):
            out.append(" ")
    return "".join(out).strip(" ,;:-")


def _np_tokens(head, exclude: set[int]):
    """The head noun with its modifiers and prepositional phrases (no determiners, clauses)."""
    keep = [head]
    for ch in children(head):
        if ch.i in exclude or ch.dep_ in _DROP_DEPS or ch.dep_ == "acl" and ch.i < head.i:
            continue
        if ch.dep_ == "prep" and ch.lower_ == "according":
            continue
        if ch.dep_ in ("amod", "compound", "nmod", "prep", "acl", "pobj", "npadvmod", "advmod", "neg",
                       "dobj", "agent", "pcomp", "nn", "conj") or ch.i < head.i and ch.dep_ != "det":
            if ch.dep_ == "conj":
                continue
            keep.extend(t for t in ch.subtree if not _under_dropped(t, head))
    return keep


def _under_dropped(tok, top) -> bool:
    index = doc_index(tok.doc)  # heads by index: ``tok.head`` builds a new Token on every read
    heads, toks = index.heads, index.tokens
    while tok.i != top.i and heads[tok.i] != tok.i:
        if tok.dep_ == "punct" and tok.text in ("-", "–") and not tok.whitespace_:
            tok = toks[heads[tok.i]]
            continue
        if tok.tag_ in ("WDT", "WP") or tok.dep_ in ("relcl", "appos", "punct", "det", "advcl", "parataxis", "cc", "conj", "mark") \
                or (tok.dep_ == "prep" and tok.lower_ == "according"):
            return True
        tok = toks[heads[tok.i]]
    return False


def _verb_temporal(verb, exclude: set[int]):
    """Temporal prepositional phrases of a verb ("in fiscal year 2022") for the ``what``."""
    out = []
    for ch in children(verb):
        if ch.dep_ == "prep" and ch.lower_ in ("in", "during", "since", "for", "over", "between", "throughout") \
                and any(t.ent_type_ == "DATE" for t in ch.subtree) and ch.i not in exclude:
            out.extend(t for t in ch.subtree if not _under_dropped(t, ch) or t.i == ch.i)
    return out


def _clause(verb, exclude: set[int], max_tokens: int = 16) -> str:
    """Subject, verb (with negation/particles) and object of a clause: the event a date dates."""
    keep = [verb]
    for ch in children(verb):
        if ch.i in exclude:
            continue
        if ch.dep_ in ("nsubj", "nsubjpass", "dobj", "prt", "neg", "attr", "acomp", "dative", "oprd",
                       "xcomp", "ccomp", "aux", "auxpass") or (ch.dep_ == "prep" and ch.lower_ in ("to", "with", "for", "of", "against", "from")):
            if ch.dep_ in ("ccomp", "xcomp") and ch.i > verb.i + 12:
                continue
            keep.extend(t for t in ch.subtree if t.i not in exclude and not _under_dropped(t, verb)
                        and not (t.ent_type_ == "DATE" and t.dep_ != "nummod"))
    return _phrase(keep, exclude, max_tokens)


def _governor(tok):
    """The noun or verb a figure attaches to, skipping prepositions ("increase of 37%", "cut by 62%")."""
    h = tok.head
    if tok.dep_ == "pobj" and h.dep_ == "prep":
        return h.head, h
    return h, None


def _what_and_unit(doc, fig: _Figure, kind: str, others: frozenset[int] = frozenset()):
    """What the figure counts and its unit; ``others`` are the tokens of the article's other figures."""
    figset = set(range(fig.lo, fig.hi))
    others = set(others) - figset
    span = doc[fig.lo:fig.hi]
    root = span.root
    # climb out of the figure span
    unit = None
    if kind in ("quantity", "ratio") and fig.ratio is None or kind == "quantity":
        # the number modifies a noun: "2.4 million encounters", "three agents"
        head = root.head if root.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "npadvmod", "advmod") \
            and root.head.i not in figset else None
        if head is not None and head.pos_ in ("NOUN", "PROPN") and (head.dep_ != "npadvmod" or head.lower_ in _TIME_UNITS):
            unit = head.lower_  # as written (plural kept): "encounters"
            exclude = figset | others | {t.i for t in children(head) if t.dep_ in ("det", "nummod", "quantmod") or t.i in figset}
            what = _np_tokens(head, exclude)
            verb = head.head if head.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") else None
            text = _phrase(what, exclude)
            if verb is not None:
                when = _phrase(_verb_temporal(verb, exclude | {t.i for t in what}), exclude)
                text = f"{text} {when}".strip()
            return text, unit
        # "thousands of migrants": the number is the head, "of" gives the unit
        for ch in children(root):
            if ch.dep_ == "prep" and ch.lower_ == "of":
                pobj = prep_object(ch)
                if pobj is not None and pobj.i not in figset:
                    return _phrase(_np_tokens(pobj, figset), figset), pobj.lower_
    # percent / money / ratio / bare counts: the governing noun or verb
    if fig.ratio is not None and root.pos_ in ("VERB", "AUX") and fig.hi - fig.lo == 1:
        return _event(root, figset), unit  # "sales doubled", "the number of staff was halved"
    if fig.ratio is not None:
        # "twice as many people", "three times as much money"
        many = next((t for t in (root.head, *children(root)) if t.lower_ in ("many", "much", "more", "large",
                                                                      "high", "big", "likely")), None)
        if many is not None and many.head.pos_ in ("NOUN", "PROPN"):
            return _phrase(_np_tokens(many.head, figset | {many.i}), figset | {many.i}), unit
    gov, prep = _governor(root)
    while gov.i in others and gov.head.i != gov.i:  # "down 6% at 64 pence": climb over the other figure
        gov, prep = _governor(gov)
    if root.dep_ == "ROOT" or gov.i == root.i:
        return None, unit
    exclude = set(figset) | others
    if prep is not None:
        exclude.add(prep.i)
    if kind == "percent":
        # "37 percent of voters"
        for ch in children(root):
            if ch.dep_ == "prep" and ch.lower_ == "of":
                pobj = prep_object(ch)
                if pobj is not None:
                    return _phrase(_np_tokens(pobj, exclude), exclude), unit
    if gov.pos_ in ("NOUN", "PROPN") and gov.i not in figset:
        toks = _np_tokens(gov, exclude | {t.i for t in gov.subtree if t.i in figset})
        return _phrase(toks, exclude | {prep.i} if prep is not None else exclude), unit
    if gov.pos_ in ("VERB", "AUX", "ADJ", "ADV", "ADP"):
        verb = gov
        while verb.pos_ in ("ADV", "ADP", "ADJ") and verb.head.i != verb.i and verb.dep_ != "ROOT":
            verb = verb.head
        return _event(verb, exclude), unit
    return None, unit


def _event(verb, exclude: set[int]) -> str | None:
    """Subject + verb + object of the clause a figure belongs to ("ICE cut book-ins", "sales doubled")."""
    keep = [] if verb.lemma_ in ("be", "have") else [verb]
    for ch in children(verb):
        if ch.i in exclude or any(t.i in exclude for t in ch.subtree):
            continue
        if ch.dep_ in ("nsubj", "nsubjpass", "dobj", "prt", "neg", "attr", "dative"):
            if ch.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                keep.append(verb.head)  # "priorities that cut ..." -> the antecedent
                continue
            keep.extend(t for t in ch.subtree if not _under_dropped(t, verb))
    if not keep:
        return None  # only a copula ("£50 million was ..."): nothing to name
    return _phrase(keep, exclude) or None


# ------------------------------------------------------------------------------------------------
# Not-claims
# ------------------------------------------------------------------------------------------------
def _is_label_number(doc, fig: _Figure) -> bool:
    """A number inside a name or label: "Title 8", "Section 1326", "COVID-19", "ABC 13 News"."""
    first, last = doc[fig.num_lo], doc[fig.num_hi - 1]
    prev = doc[fig.num_lo - 1] if fig.num_lo > 0 else None
    if fig.currency or fig.percent:
        return False
    if prev is not None and (prev.lower_.rstrip(".") in _LABEL_NOUNS or prev.lower_ in _LABEL_NOUNS):
        return True
    if prev is not None and prev.text in ("-", "#", "No.", "no.") and prev.whitespace_ == "":
        return True
    nxt = doc[fig.num_hi] if fig.num_hi < len(doc) else None
    if nxt is not None and nxt.is_title and nxt.pos_ == "PROPN" and first.is_title and (
            first.pos_ == "PROPN" or first.ent_type_ in ("ORG", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT", "FAC")):
        return True  # "Six Nations", "Three Gorges": a number word inside a name
    if prev is not None and prev.is_upper and len(prev.text) > 1 and prev.pos_ == "PROPN" and first.text.isdigit() \
            and prev.ent_type_ in ("ORG", "PRODUCT", ""):
        return True  # "FTSE 100", "G 8"
    if prev is not None and prev.is_title and prev.pos_ == "PROPN" and not prev.is_sent_start and first.text[0].isdigit() \
            and first.ent_type_ not in ("MONEY", "PERCENT", "QUANTITY", "DATE") and prev.ent_type_ != "GPE":
        return True  # "Radio 4", "ABC 13"
    if first.ent_type_ in ("ORG", "PERSON", "WORK_OF_ART", "LAW", "PRODUCT", "FAC", "EVENT", "NORP", "GPE") \
            and first.text[0].isdigit():
        return True
    if last.i + 1 < len(doc) and doc[last.i + 1].text in ("/", ":") and doc[last.i + 1].whitespace_ == "":
        return True  # 1/ thread markers, 10:30, 020/7
    return False


def _is_age(doc, fig: _Figure) -> bool:
    first = doc[fig.num_lo]
    prev = doc[fig.num_lo - 1] if fig.num_lo > 0 else None
    nxt = doc[fig.num_hi] if fig.num_hi < len(doc) else None
    if prev is not None and prev.lower_ in _AGE_WORDS:
        return True
    # "Smith, 45," / "Smith (45)"
    if prev is not None and prev.text in (",", "(") and fig.num_hi < len(doc) and \
            doc[fig.num_hi].text in (",", ")", ".") and fig.num_hi - fig.num_lo == 1 and first.text.isdigit():
        before = doc[fig.num_lo - 2] if fig.num_lo >= 2 else None
        if before is not None and (before.ent_type_ == "PERSON" or before.pos_ == "PROPN"):
            return True
    # "a 45-year-old", "45 years old"
    if nxt is not None and nxt.text == "-" and fig.num_hi + 1 < len(doc) and doc[fig.num_hi + 1].lower_ in ("year", "years"):
        return True
    if nxt is not None and nxt.lower_ in ("year", "years") and fig.num_hi + 1 < len(doc) and \
            doc[fig.num_hi + 1].lower_ in ("old", "-"):
        return True
    return False


def _is_score(doc, fig: _Figure) -> bool:
    """A tally written "2-1", "6-7" (small numbers joined by a hyphen, no unit after): a vote or score."""
    toks = doc[fig.num_lo:fig.num_hi]
    if len(toks) == 3 and toks[1].text in ("-", "–") and toks[0].text.isdigit() and toks[2].text.isdigit():
        if int(toks[2].text) <= int(toks[0].text):
            return True
        nxt = doc[fig.num_hi] if fig.num_hi < len(doc) else None
        return len(toks[0].text) <= 2 and len(toks[2].text) <= 2 and not toks[0].whitespace_ and \
            not toks[1].whitespace_ and not (nxt is not None and nxt.pos_ == "NOUN")
    return False


def _coordinated_age(doc, fig: _Figure) -> bool:
    """"16 and 17-year-olds": a number coordinated with an age."""
    j = fig.num_hi
    return j + 1 < len(doc) and doc[j].lower_ in ("and", "or", "to") and \
        _is_age(doc, _Figure(j + 1, j + 2))


def _is_modifier_count(doc, fig: _Figure) -> bool:
    """A hyphenated measure used as an adjective: "a 500-page report", "a 10-minute walk"."""
    if fig.currency or fig.percent:
        return False
    j = fig.num_hi
    return j + 1 < len(doc) and doc[j].text == "-" and doc[j].whitespace_ == "" and \
        doc[j - 1].whitespace_ == "" and doc[j + 1].pos_ in ("NOUN", "ADJ") and \
        doc[j + 1].lower_ not in ("fold",)


def _is_date_part(doc, fig: _Figure) -> bool:
    first = doc[fig.num_lo]
    if fig.currency or fig.percent or fig.ratio is not None:
        return False
    if first.ent_type_ in ("DATE", "TIME", "ORDINAL"):
        return True
    txt = doc[fig.num_lo:fig.num_hi].text
    if re.fullmatch(r"(1[89]|20)\d\d", txt) or re.fullmatch(r"(1[89]|20)\d\ds", txt):
        return True
    prev = doc[fig.num_lo - 1] if fig.num_lo > 0 else None
    nxt = doc[fig.num_hi] if fig.num_hi < len(doc) else None
    if prev is not None and prev.lower_.rstrip(".") in MONTHS:
        return True
    if nxt is not None and (nxt.lower_.rstrip(".") in MONTHS or nxt.lower_ in ("am", "pm", "a.m.", "p.m.", "gmt", "bst", "et", "o'clock")):
        return True
    return False


def _month_spans(doc) -> list:
    """Dates the NER missed ("on 5 May" tagged CARDINAL): a capitalised month name with its day and year."""
    out = []
    index = doc_index(doc)
    for tok, low in zip(index.tokens, index.lower):
        low = low.rstrip(".")
        if low not in MONTHS or not tok.is_title or tok.ent_type_ == "DATE" or len(low) < 3:
            continue
        lo, hi = tok.i, tok.i + 1
        if lo > 0 and doc[lo - 1].text.isdigit() and len(doc[lo - 1].text) <= 2:
            lo -= 1
        if hi < len(doc) and doc[hi].text.isdigit() and len(doc[hi].text) <= 2:
            hi += 1
        if hi < len(doc) and doc[hi].text == "," and hi + 1 < len(doc) and re.fullmatch(r"\d{4}", doc[hi + 1].text):
            hi += 2
        elif hi < len(doc) and re.fullmatch(r"\d{4}", doc[hi].text):
            hi += 1
        if low == "may" and hi - lo == 1 and not (lo > 0 and doc[lo - 1].lower_ in ("in", "since", "until", "by", "early", "late", "mid")):
            continue  # the modal verb or a name
        if any(doc[k].ent_type_ in ("PERSON", "ORG", "WORK_OF_ART", "EVENT", "FAC") for k in range(lo, hi)):
            continue
        out.append(doc[lo:hi])
    return out


def _is_source_count(doc, fig: _Figure) -> bool:
    """A small count of the people a statement comes from: "Two sources familiar ... told CBS"."""
    root = doc[fig.lo:fig.hi].root
    head = root.head if root.dep_ in ("nummod", "quantmod") else root
    if head.dep_ not in ("nsubj", "nsubjpass") or doc[fig.num_lo].lower_ not in SMALL:
        return False
    return is_cue_lemma(head.head.lemma_)


def _duration(doc, ent):
    """A DATE entity that is a length of time ("over 20 years", "five months"): (value, unit)."""
    toks = [t for t in ent if t.lower_ in _TIME_UNITS]
    words = [t.lower_ for t in ent]
    if re.search(r"(\d|\b[a-z]+)\s*-\s*(year|month|week|day|hour|minute)s?\b", ent.text.lower()):
        return None  # "a 30-month licence", "a 45-year-old": modifiers and ages
    to_period = any(w == "to" and (k == 0 or words[k - 1] != "up") for k, w in enumerate(words))
    if not toks or to_period or any(w in ("ago", "ending", "ended", "old", "olds") for w in words):
        return None  # "the three months to December" is a reporting period, "17-year-olds" an age
    for k, w in enumerate(words):  # "last year" is a date, "the past 50 years" a duration
        if w in ("last", "next", "this", "past", "previous", "coming") and not (
                k + 1 < len(words) and _is_num_tok(ent[k + 1])):
            return None
    nums = [t for t in ent if _is_num_tok(t)]
    if not nums:
        return None
    v, _ = parse_number(" ".join(t.text for t in ent if t.i <= toks[0].i and (_is_num_tok(t) or t.lower_ in ("a", "and", "half", "or", "to"))))
    if v is None:
        return None
    unit = toks[0].lower_
    return v, unit if unit.endswith("s") else unit + "s"


# ------------------------------------------------------------------------------------------------
# Qualifiers: "more than £5m", "about 2.4 million", "up to 300" (issue #5)
# ------------------------------------------------------------------------------------------------
# The closed classes of English quantity modifiers, by what they say about the true value.
# Comparatives ("more/fewer/greater/lower than") are found by their JJR/RBR tag and point up or
# down by lemma; superlatives after "at" likewise ("at least", "at most").
_APPROXIMATORS = {"about", "around", "approximately", "roughly", "nearly", "almost", "some", "circa",
                  "c.", "ca.", "approx", "approx.", "estimated", "close", "round", "thereabouts"}
_ABOVE = {"over", "above", "beyond", "exceeding", "upwards", "upward", "excess", "plus"}
_BELOW = {"under", "below", "beneath"}
_UP_LEMMAS = {"more", "many", "much", "great", "high", "large", "big", "long", "old", "far"}
_DOWN_LEMMAS = {"less", "few", "little", "low", "small", "short", "young"}
# "<noun> of N": "a maximum of £500,000", "in excess of £1bn", "in the region of 5%"
_OF_NOUNS = {"maximum": "at_most", "minimum": "at_least", "excess": "over", "upwards": "over",
             "region": "approx", "order": "approx", "neighbourhood": "approx", "neighborhood": "approx"}
_MOD_DEPS = {"advmod", "quantmod", "amod", "neg", "det", "nmod", "npadvmod", "prep"}
# Verbs whose object is the figure itself (not a noun it counts: "broke 5 windows") and put a
# bound on the subject's value: "the annual total broke two million", "sales exceeded 75 million".
_VERB_BOUNDS = {"exceed": "over", "surpass": "over", "top": "over", "break": "over", "pass": "over",
                "cross": "over", "outstrip": "over", "approach": "approx", "near": "approx"}


def _direction(tok) -> int:
    """+1 for a comparative or superlative pointing up (more, greater, most), -1 down (fewer, least)."""
    if tok.tag_ not in ("JJR", "RBR", "JJS", "RBS") and tok.lower_ not in ("more", "less", "fewer", "most", "least"):
        return 0
    for form in (tok.lower_, tok.lemma_.lower()):
        if form in ("most",) or form in _UP_LEMMAS:
            return 1
        if form in ("least", "fewest") or form in _DOWN_LEMMAS:
            return -1
    return 0


def _qualifier(doc, lo: int, hi: int, num_lo: int) -> str | None:
    """What the words around a figure say about its true value, from the parse.

    The modifiers are the tokens right before the figure that hang off it (or off the noun it
    counts) in the dependency parse -- spaCy's ``quantmod``/``advmod``/``amod`` dependents and
    their own dependents ("at" -> "least", "as" -> "many") -- plus a preposition or "<noun> of"
    that governs it ("below 2%", "a maximum of £500,000"), plus "or more"/"or so" right after.

    Returns:
        one of ``QUALIFIERS`` or None (the figure is given as exact).
    """
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read
    span = set(range(lo, hi))
    root = doc[lo:hi].root
    anchors = set(span)
    if root.dep_ in ("nummod", "compound", "quantmod", "nmod") and root.head.i >= hi:
        anchors.add(root.head.i)  # "an estimated 3 million people": the modifier is on the noun
        top = root.head
    else:
        top = root

    def hangs_off(tok) -> bool:
        t = tok
        for _ in range(3):
            if t.dep_ not in _MOD_DEPS or t.head is t:
                return False
            t = t.head
            if t.i in anchors:
                return True
        return False

    inner = [t for t in doc[lo:num_lo] if not (t.text in _CURRENCY_SYMBOLS or _is_num_tok(t))]
    run: list = list(inner)
    k = lo - 1
    while k >= 0 and lo - k <= 4 and hangs_off(toks[k]) and not _is_num_tok(toks[k]):
        run.insert(0, toks[k])
        k -= 1
    # the preposition or "<noun> of" governing the figure, just before it (and its modifiers)
    gov = top.head if top.dep_ == "pobj" and top.head.i < lo else None
    if gov is not None and gov.i in (k, k - 1 if k >= 1 and toks[k].lower_ in ("just", "well") else -2):
        if gov.lower_ == "of" and gov.head.lower_ in _OF_NOUNS and gov.head.i == gov.i - 1:
            return _OF_NOUNS[gov.head.lower_]
        if gov.lower_ in _ABOVE and not (gov.lower_ == "over" and (
                top.lower_ in _TIME_UNITS or toks[hi - 1].lower_ in _TIME_UNITS)):
            return "over"  # ("over 15 years" is a period of time, not a lower bound)
        if gov.lower_ in _BELOW:
            return "under"
    # after the figure: "10 or more", "5% or less", "40 or so"
    if hi + 1 < len(doc) and toks[hi].lower_ == "or":
        d = _direction(toks[hi + 1])
        if d:
            return "at_least" if d > 0 else "at_most"
        if toks[hi + 1].lower_ in ("so", "thereabouts"):
            return "approx"
    if hi + 1 < len(doc) and toks[hi].text in ("-", "–") and toks[hi + 1].lower_ == "odd" or \
            hi < len(doc) and toks[hi].lower_ == "odd" and toks[hi].head.i in span:
        return "approx"  # "40-odd"
    found = _classify(run)
    if found is None:
        # a fixed multi-word modifier right before the figure counts whatever the parse made of
        # it ("up to", "at least", "more than", "as many as" are never anything else there)
        k = lo
        while k > 0 and lo - k < 4 and not _is_num_tok(toks[k - 1]) and not toks[k - 1].is_punct:
            k -= 1
        found = _classify(list(doc[k:lo]) + inner, multiword_only=True)
    if found is None and root.dep_ == "dobj" and root.head.lemma_.lower() in _VERB_BOUNDS:
        return _VERB_BOUNDS[root.head.lemma_.lower()]  # "donations topping £250,000"
    return found[0] if found else None


def _classify(run: list, *, multiword_only: bool = False) -> tuple[str, bool] | None:
    """(qualifier, multi-word) for the modifier tokens before a figure, the leftmost match first."""
    words = [t.lower_ for t in run]
    for j, (t, w) in enumerate(zip(run, words)):
        nxt = words[j + 1] if j + 1 < len(words) else None
        if w == "up" and nxt == "to" and t.dep_ != "prt":  # not "turned up to one gig"
            return "up_to", True
        if w == "as" and j + 2 < len(words) and words[j + 2] == "as" and \
                run[j + 1].lemma_.lower() in _UP_LEMMAS | _DOWN_LEMMAS:  # "as many as", "as little as"
            return ("up_to" if run[j + 1].lemma_.lower() in _UP_LEMMAS else "at_least"), True
        if w == "at" and nxt is not None and _direction(run[j + 1]):
            return ("at_least" if _direction(run[j + 1]) < 0 else "at_most"), True
        d = _direction(t)
        if d and nxt == "than" and any(x.tag_ in ("DT", "PRP$") for x in run[j + 2:]):
            continue  # "less than the $27bn cost of ...": the figure is what is compared with, exact
        if d and nxt == "than":
            if j > 0 and words[j - 1] in ("no", "not"):
                return ("at_most" if d > 0 else "at_least"), True
            return ("over" if d > 0 else "under"), True
        if multiword_only:
            continue
        if w in _ABOVE:
            return "over", False
        if w in _BELOW:
            return "under", False
        if w in _APPROXIMATORS:
            return "approx", False
    return None


# ------------------------------------------------------------------------------------------------
# What a conflict needs: the figure's role, its period and its event (issue #17)
# ------------------------------------------------------------------------------------------------
# Verbs and nouns of a change of a quantity: a figure that is their extent ("rose 5%", "cut by
# 62%", "an increase of 37%") is a difference, not the quantity's value.
_CHANGE_LEMMAS = {"rise", "fall", "drop", "climb", "jump", "increase", "decrease", "grow", "gain", "decline",
                  "slip", "surge", "soar", "slump", "plunge", "tumble", "dip", "edge", "ease", "rally", "sink",
                  "shrink", "add", "shed", "lose", "cut", "raise", "lower", "boost", "reduce", "widen", "narrow",
                  "growth", "increase", "reduction", "cut", "loss", "jump", "rise", "fall", "drop", "decline",
                  "gain", "hike", "fell", "rose"}
# Prepositions whose object is the value compared with: "down from $19.5bn", "against 4% a year
# earlier", "higher than $5m".
_EARLIER_PREPS = {"from", "against", "versus", "vs", "vs.", "than"}
_COMPARE_WORDS = {"compare", "compared", "comparison", "relative"}
_PREVIOUS_YEAR = re.compile(r"^(?:the\s+)?(?:previous|prior|preceding)\s+year$|^a\s+year\s+(?:earlier|before)$", re.I)


def _figure_noun(doc, lo: int, hi: int):
    """The figure's top token: the noun it counts ("12 people" -> people) or the figure's root."""
    root = doc[lo:hi].root
    if root.dep_ in ("nummod", "quantmod", "compound") and root.head.i >= hi and root.head.pos_ in ("NOUN", "PROPN"):
        return root.head
    return root


def _figure_role(doc, lo: int, hi: int, kind: str, tok) -> str | None:
    """What the figure is in its clause, from the parse: "earlier" for a value compared with
    ("down from $19.5 billion", "from 350 to 400", "compared with 4%", "higher than $5m"),
    "change" for a difference ("up 5%", "rose 5%", "cut by 62%", "an increase of 37%"), None
    for the quantity's own value. ``tok`` is the figure's ``_figure_noun``."""
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ in ("prep", "agent", "quantmod", "advmod", "cc"):
        prep, gov = head.lower_, head.head
        if prep in _EARLIER_PREPS or prep in ("with", "to") and gov.lower_ in _COMPARE_WORDS:
            return "earlier"
        if prep == "by" and gov.lemma_.lower() in _CHANGE_LEMMAS:
            return "change"
        if prep == "of" and gov.pos_ == "NOUN" and gov.lemma_.lower() in _CHANGE_LEMMAS:
            return "change"
        return None
    if head.lower_ in ("up", "down") and head.i < tok.i and tok.i - head.i <= 3:
        return "change"  # "up 5%", "down 18 cents"
    if tok.i == doc[lo:hi].root.i and kind in ("percent", "money") and tok.dep_ in ("dobj", "npadvmod", "advmod") \
            and head.pos_ == "VERB" and head.lemma_.lower() in _CHANGE_LEMMAS:
        return "change"  # "shares rose 5%" (but "cut 300 jobs" counts jobs)
    return None


def _clause_path(lo: int, hi: int, tok):
    """The figure's clause verb and the tokens from the figure's ``_figure_noun`` ``tok`` up to it
    (the figure's own phrase first)."""
    path: list = []
    verb = None
    for _ in range(16):
        path.append(tok)
        if tok.pos_ in ("VERB", "AUX") and not lo <= tok.i < hi:
            verb = verb or tok
            # "hit Zarand in February, killing hundreds": a participle or coordinated clause
            # shares the time of the clause it hangs on (a reported clause, ccomp, does not)
            if tok.dep_ not in ("advcl", "conj", "xcomp") or tok.head.i == tok.i:
                return verb, path
        elif tok.head.i == tok.i:
            return verb, path
        tok = tok.head
    return verb, path


_NAME_ENTS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "PRODUCT"}


def _event_agent(verb, noun, pronoun_name) -> str | None:
    """Who or what did the figure's event: the subject of its clause verb ("Manning threw for 364
    yards" -> "Manning"), the antecedent of a relative subject, or the passive's "by" agent, as
    written with a name's other words; a pronoun subject ("She had been hospitalized for four
    weeks") is the name ``pronoun_name`` resolves it to (the entity stage's coreference), else
    None; None too when the subject is what the figure counts ("10 people were killed")."""
    for v in (verb, verb.head if verb.dep_ == "conj" else None):  # "Charles ran ... and rushed for 226"
        if v is None:
            continue
        subj = None
        for ch in children(v):
            if ch.dep_ in ("nsubj", "nsubjpass") and not (ch.i <= noun.i <= ch.right_edge.i and ch.left_edge.i <= noun.i):
                subj = ch
            elif ch.dep_ == "agent":
                subj = next((c for c in children(ch) if c.dep_ == "pobj"), subj)
        if subj is None:
            continue
        if subj.tag_ in ("WDT", "WP") and v.dep_ == "relcl":
            subj = v.head
        if subj.i == noun.i:
            return None
        if subj.pos_ == "PRON":
            return pronoun_name(subj)
        words = [t for t in subj.subtree if t.i == subj.i or t.dep_ in ("compound", "flat") and t.head.i == subj.i
                 and (t.pos_ == "PROPN" or t.ent_type_ in _NAME_ENTS or t.is_title)]
        return " ".join(t.text for t in words)
    return None


def _figure_owner(noun, pronoun_name) -> str | None:
    """The name that owns what a figure counts, when its clause names no doer: the possessive of
    the counted noun ("Smith's 120 rushing yards" -> "Smith", "Iran's 5.9 reading"), as written with
    the name's other words, or the name a possessive pronoun resolves to (``pronoun_name``: "his
    364 yards"); None for a common noun ("the team's 30 points") or an unresolved pronoun."""
    for ch in children(noun):
        if ch.dep_ == "poss" and ch.pos_ == "PRON":
            return pronoun_name(ch)
        if ch.dep_ == "poss" and (ch.pos_ == "PROPN" or ch.ent_type_ in _NAME_ENTS):
            words = [t for t in ch.subtree if t.i == ch.i or t.dep_ in ("compound", "flat") and t.head.i == ch.i
                     and (t.pos_ == "PROPN" or t.ent_type_ in _NAME_ENTS or t.is_title)]
            return " ".join(t.text for t in words)
    return None


def _figure_period(doc, lo: int, hi: int, path, published: str | None) -> str | None:
    """The time a figure is for: the date phrase attached nearest to it on its way up to its
    clause's verb ("$19.5 billion the previous year", "dropped ... in 2018"), resolved against
    the article date (ISO), else its words lower-cased; None when its clause names no time."""
    rank = {t.i: n for n, t in enumerate(path)}
    verb = path[-1]
    for ch in children(verb):  # "profits in the first quarter were $5 million": the subject's time
        if ch.dep_ in ("nsubj", "nsubjpass") and ch.i not in rank:
            rank.update((t.i, len(path)) for t in ch.subtree if t.i not in rank)
    best = None
    for ent in doc_index(doc).date_ents:
        if abs(ent.start - lo) > 40 or ent.start < hi and lo < ent.end:
            continue
        r = ent.root
        attach = r.head
        if r.dep_ == "pobj" and attach.dep_ == "prep":
            attach = attach.head
        if attach.i not in rank:  # (a parse's heads never leave their sentence)
            continue
        key = (rank[attach.i], abs(ent.start - lo))
        if best is None or key < best[0]:
            best = (key, ent)
    if best is None:
        return None
    ent = best[1]
    text = re.sub(r"^(?:in|on|during|at|by|for)\s+", "", ent.text.lower()).strip()
    if _PREVIOUS_YEAR.match(text):
        years = [int(t.text) for t in doc_index(doc).sent_of(lo) if re.fullmatch(r"(?:19|20)\d\d", t.text) and t.ent_type_ == "DATE"]
        if years:
            return f"{years[0] - 1:04d}"  # "in 2018, down from ... the previous year": 2017
    return resolve_date(ent.text, published) or re.sub(r"^the\s+", "", text)


# ------------------------------------------------------------------------------------------------
# Who asserts
# ------------------------------------------------------------------------------------------------
def _asserter(start: int, end: int, quotes, attributions, article: Article) -> str:
    """Who asserts the figure at [start, end): the speaker of the innermost quote containing it,
    else the source of an attribution covering it, else the outlet (or "the article")."""
    best = None
    for q in quotes or ():
        if q.start <= start and end <= q.end and q.speaker:
            if best is None or (q.end - q.start) < (best.end - best.start):
                best = q
    if best is not None:
        return best.speaker
    best_a = None
    for a in attributions or ():
        if not (a.start <= start and end <= a.end and a.source):
            continue
        # An attribution spans its whole sentence. When the attributed words are known as a
        # quote in that sentence and the figure is outside them, the figure is in the
        # article's own frame ("X confirmed to the Times on Nov. 11 that ..."); "according
        # to X" sources everything around it.
        if not a.cue.lower().startswith("according") and any(
                q.start < a.end and a.start < q.end for q in quotes or ()):
            continue
        if best_a is None or (a.end - a.start) < (best_a.end - best_a.start):
            best_a = a
    if best_a is not None:
        return best_a.source
    return article.outlet or "the article"


def _source_spans(quotes, attributions) -> list[tuple[int, int]]:
    spans = []
    for q in quotes or ():
        if q.speaker_start is not None and q.speaker_end is not None:
            spans.append((q.speaker_start, q.speaker_end))
    for a in attributions or ():
        if a.source_start is not None and a.source_end is not None:
            spans.append((a.source_start, a.source_end))
    return spans


# ------------------------------------------------------------------------------------------------
# Entry point
# ------------------------------------------------------------------------------------------------
def extract_claims(doc, article: Article, *, entities=None, quotes: list[Quote] | None = None,
                   attributions: list[Attribution] | None = None) -> list[Claim]:
    """Find the figures and dated events an article asserts, and who asserts each.

    Args:
        doc: the spaCy Doc of ``article.text`` (tagger, parser and NER).
        article: the cleaned article (``published`` resolves relative dates, ``outlet`` is the
            asserter of unattributed figures).
        entities: the article's EntityAnalysis: a pronoun that is a figure's doer or owner ("She
            had been hospitalized for four weeks") is recorded as the name it refers to.
        quotes: the article's quotes: a figure inside one is asserted by its speaker.
        attributions: the article's attributions: a figure in an attributed sentence is
            asserted by its source.
    Returns:
        Claims in text order, offsets into ``article.text``.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> text = "CBP recorded 2.4 million encounters with illegal migrants."  # doctest: +SKIP
    >>> c = extract_claims(load_nlp()(text), article)[0]  # doctest: +SKIP
    >>> (c.value, c.unit, c.what)  # doctest: +SKIP
    (2400000.0, 'encounters', 'encounters with illegal migrants')
    """
    found = _Claims(doc, article, quotes, attributions, entities)
    sources = _source_spans(quotes, attributions)

    figs = _number_groups(doc) + _ratio_tokens(doc)
    figs.sort(key=lambda f: f.lo)
    all_fig_tokens = frozenset(i for f in figs for i in range(f.lo, f.hi)
                               if f.currency or f.percent or f.ratio is not None
                               or not (_is_date_part(doc, f) or _is_label_number(doc, f)))
    for fig in figs:
        if any(i in found.taken for i in range(fig.lo, fig.hi)):
            continue
        if _not_a_figure(doc, fig):
            continue
        _add_figure(found, fig, all_fig_tokens, sources)

    # durations and event dates from DATE entities
    pub = article.published
    for ent in sorted([e for e in doc_index(doc).ents if e.label_ in ("DATE", "TIME")] + _month_spans(doc),
                      key=lambda e: e.start):
        if any(t.i in found.taken for t in ent):
            continue
        dur = _duration(doc, ent)
        if ent.label_ == "TIME" and dur is None:
            continue  # times of day are not claims; "three hours" is a duration
        if dur is None and ent[0].lower_ == "the" and any(t.lower_ in ("past", "last", "previous") for t in ent[1:3]):
            continue  # "over the past year": a period without a number, not an event date
        if dur is None and re.search(r"(\d|\b[a-z]+)\s*-\s*(year|month|week|day|hour|minute)s?\b", ent.text.lower()):
            continue
        if dur is not None:
            _add_duration(found, ent, dur, all_fig_tokens)
            continue
        _add_event_date(found, ent, pub)
    claims = found.claims
    claims.sort(key=lambda c: (c.start, c.end))
    return claims


@dataclass
class _Claims:
    """The claims of one article as found, and the tokens they cover."""

    doc: Any
    article: Article
    quotes: list[Quote] | None
    attributions: list[Attribution] | None
    entities: Any = None  # the article's EntityAnalysis (coreference of pronoun doers)
    claims: list[Claim] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)

    def pronoun_name(self, tok) -> str | None:
        """The name of the person or organisation a pronoun refers to (coreference), else None."""
        if self.entities is None:
            return None
        idx, name, kind = self.entities.resolve(tok.idx, tok.idx + len(tok.text))
        return name if idx is not None and kind in ("person", "organisation") else None

    def add(self, fig_lo: int, fig_hi: int, kind: str, value, unit, what, date_iso=None, num_lo=None,
            lower_bound: bool = False, bounds: tuple[float, float] | None = None) -> None:
        """Record tokens [fig_lo, fig_hi) as a claim, with its qualifier, asserter, range
        ``bounds``, and (for figures) its role, period and event from the parse."""
        doc = self.doc
        span = doc[fig_lo:fig_hi]
        s, e = span.start_char, span.end_char
        index = doc_index(doc)
        sent = index.sent_text(fig_lo).strip() if index.has_sents else None
        qualifier = role = period = event = agent = None
        if kind != "date" and index.has_dep:
            noun = _figure_noun(doc, fig_lo, fig_hi)
            role = _figure_role(doc, fig_lo, fig_hi, kind, noun)
            verb, path = _clause_path(fig_lo, fig_hi, noun)
            period = _figure_period(doc, fig_lo, fig_hi, path, self.article.published)
            if verb is not None and verb.pos_ == "VERB":
                event = verb.lemma_.lower()
                agent = _event_agent(verb, path[0], self.pronoun_name)
            agent = agent or _figure_owner(path[0], self.pronoun_name)
        if kind != "date":
            if num_lo is None:
                num_lo = next((t.i for t in span if _is_num_tok(t) or t.lower_ in _RATIO_WORDS
                               or t.lower_ in FRACTIONS), fig_lo)
            qualifier = _qualifier(doc, fig_lo, fig_hi, num_lo)
            if qualifier is None and lower_bound:
                qualifier = "at_least"  # the value of "thousands" or "10 to 20" is its lower bound
        self.claims.append(Claim(
            article_id=self.article.id, text=span.text, value=value, unit=unit, what=what or None,
            asserted_by=_asserter(s, e, self.quotes, self.attributions, self.article),
            start=s, end=e, kind=kind, date=date_iso, sentence=sent, qualifier=qualifier,
            low=bounds[0] if bounds else None, high=bounds[1] if bounds else None,
            role=role, period=period, event=event, agent=agent))
        self.taken.update(range(fig_lo, fig_hi))


def _not_a_figure(doc, fig: _Figure) -> bool:
    """Whether a number group is no figure claim: a modifier, a date part, a label, an age, a
    score, an article "one", an approximator, a count of sources, or "400m"."""
    if fig.lo >= 2 and doc[fig.lo - 1].text == "-" and doc[fig.lo - 2].lower_ == "multi":
        return True  # "multi-billion dollar": a modifier, not an amount
    if fig.ratio is None and not fig.currency and not fig.percent and _bare_number_skipped(doc, fig):
        return True
    num_text = doc[fig.num_lo:fig.num_hi].text
    if not fig.currency and re.fullmatch(r"\d+(\.\d+)?m", num_text.lower()):
        nxt = doc[fig.hi] if fig.hi < len(doc) else None
        prev = doc[fig.lo - 1] if fig.lo > 0 else None
        if not (nxt is not None and nxt.tag_ in ("NNS", "NNPS")) or \
                (prev is not None and prev.lower_ in ("the", "a", "an", "'s", "\u2019s")):
            return True  # "the 400m hurdles", "1500m": metres or millions? only "20m people" is clear
    return False


def _bare_number_skipped(doc, fig: _Figure) -> bool:
    """Whether a number without currency, percent or ratio is no figure claim."""
    if _is_score(doc, fig) or _coordinated_age(doc, fig):
        return True
    if _is_date_part(doc, fig) or _is_label_number(doc, fig) or _is_age(doc, fig) \
            or _is_modifier_count(doc, fig):
        return True
    first = doc[fig.num_lo]
    if first.lower_ in ("one", "a", "an") and fig.num_hi - fig.num_lo == 1 and not (
            fig.num_lo > 0 and doc[fig.num_lo - 1].lower_ in ("only", "just", "to", "than", "least", "about",
                                                             "exactly", "nearly", "almost")):
        return True  # "one agent", "one of the professors": an article, not a figure
    if fig.num_lo > 0 and doc[fig.num_lo - 1].lower_ == "or" and first.lower_ in SMALL:
        return True  # "a year or two", "one or two": an approximator
    if _is_source_count(doc, fig):
        return True
    return False


def _add_figure(found: _Claims, fig: _Figure, all_fig_tokens: frozenset[int],
                sources: list[tuple[int, int]]) -> None:
    """Add a number group as a money, percent, ratio or quantity claim with what it counts."""
    doc = found.doc
    num_text = join_split_number(doc[fig.num_lo:fig.num_hi].text)
    bounds = None
    if fig.ratio is not None:
        kind, value = "ratio", fig.ratio
    else:
        value, _approx = parse_number(num_text)
        if value is None or not math.isfinite(value):
            return  # no number, or digits beyond float range
        kind = "money" if fig.currency else "percent" if fig.percent else "quantity"
        bounds = parse_range(num_text) if _approx else None
        if bounds is not None:
            value = bounds[0]  # the lower bound, scaled as the upper one ("35 to 40 million")
        if fig.sub:
            value /= 100.0
            bounds = (bounds[0] / 100.0, bounds[1] / 100.0) if bounds else None
    what, unit = _what_and_unit(doc, fig, kind, all_fig_tokens)
    if kind == "quantity" and fig.count_unit:
        unit = fig.count_unit
    if kind == "money":
        unit = fig.currency
    elif kind == "percent":
        unit = fig.percent
    elif kind == "ratio":
        unit = "ratio"
    if kind == "quantity":
        # small counts describing a quote's source ("two sources said") are sourcing, not figures
        s, e = doc[fig.lo].idx, doc[fig.hi - 1].idx + len(doc[fig.hi - 1])
        if value is not None and value < 10 and any(a <= s and e <= b + 40 and a <= s < b for a, b in sources):
            return
    found.add(fig.lo, fig.hi, kind, value, unit, what, num_lo=fig.num_lo,
              lower_bound=parse_number(num_text)[1] or fig.ratio is not None and fig.hi - fig.lo > 1
              and parse_number(doc[fig.lo:fig.hi].text)[1], bounds=bounds)  # "between two and three times"


def _add_duration(found: _Claims, ent, dur, all_fig_tokens: frozenset[int]) -> None:
    """Add a duration ("over 15 years") as a quantity claim with the event it measures."""
    value, unit = dur
    head = ent.root.head
    if ent.root.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head  # "offered £960m over 15 years": the verb the duration belongs to
    ent_toks = set(range(ent.start, ent.end))
    if head.pos_ in ("VERB", "AUX"):
        what = _event(head, ent_toks | all_fig_tokens)
    elif head.pos_ in ("NOUN", "PROPN") and head.i not in all_fig_tokens:
        what = _phrase(_np_tokens(head, ent_toks), ent_toks) or None
    else:
        what = None
    found.add(ent.start, ent.end, "quantity", value, unit, what)


def _add_event_date(found: _Claims, ent, pub: str | None) -> None:
    """Add a date entity as the date claim of the event it dates, when it dates one."""
    # an event date: the entity hangs off a verb (directly or through a preposition) or
    # dates an event noun ("a meeting last week", "a Wednesday meeting", "last week's forum")
    root = ent.root
    verb = root.head
    prep = None
    if root.dep_ == "pobj" and verb.dep_ in ("prep", "agent"):  # "saved by 2015" parses as an agent
        prep = verb
        verb = verb.head
        # "for the first time ever in August": climb from a time noun to the clause it dates
        while prep.lower_ != "of" and verb.pos_ == "NOUN" and verb.lower_ in _PERIOD_NOUNS and verb.dep_ == "pobj" \
                and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
            verb = verb.head.head
    elif root.dep_ not in ("npadvmod", "tmod", "advmod", "nsubj", "attr", "compound", "poss"):
        return
    if any(w.lower_ in ("fiscal", "financial", "season", "quarter", "to", "ending", "ended") for w in ent):
        return  # a reporting period ("the year to March 2005"), not the date of an event
    if prep is not None and (prep.lower_ == "for" or prep.lower_ in ("to", "until") and verb.pos_ == "NOUN"):
        return  # "For 2005, ... is projecting", "results to March 2005": periods
    ent_toks = set(range(ent.start, ent.end))
    if verb.pos_ in ("VERB", "AUX") and root.dep_ not in ("compound", "poss"):
        what = _clause(verb, ent_toks)
        clause_verb = verb
    elif verb.pos_ == "NOUN" and verb.lower_ not in _TIME_UNITS | _PERIOD_NOUNS and verb.i not in found.taken \
            and not (root.dep_ in ("compound", "poss") and re.fullmatch(r"\d{4}s?", ent.text)):
        what = _phrase(_np_tokens(verb, ent_toks), ent_toks)
        clause_verb = verb.head
    else:
        return
    future = any(c.lower_ in ("will", "would", "'ll", "shall") or (c.dep_ == "aux" and c.lower_ == "to")
                 for c in children(clause_verb))
    iso = resolve_date(ent.text, pub, future=future)
    if iso is None:
        # relative to an unknown article date ("last week", "on Friday"): a date claim whose
        # date is unknown, when the words are a date at all
        if pub is not None or resolve_date(ent.text, "2000-01-15") is None:
            return
    found.add(ent.start, ent.end, "date", None, "date", what, iso)

