"""Word-level helpers every step of the link stage shares: tokens (curly quotes folded, numbers
kept whole), a light stemmer and content terms (with their run-long caches, cleared at the end of
:func:`~newstrace.link.core.link_articles`), sentence splitting, content-hash ids, ISO dates, the
cosine of two sparse vectors and the canonical words of a name. It sits below the other modules
of ``link`` and imports none of them.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any


_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*(?:'[a-z]+)?")
_SENT_RE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]*[A-Z0-9])|\n\s*\n")
NUM_RE = re.compile(r"^\d[\d.,]*$")
_QUOTE_PAIRS = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"),
                ("\u2014", "-"), ("\u00a0", " "))


def _stopwords() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # spaCy is a hard dependency; this only guards odd installs
        return frozenset()
    return frozenset(w.replace("\u2019", "'") for w in STOP_WORDS)


STOP = _stopwords() | {"said", "says", "s", "mr", "mrs", "ms", "told", "year", "new"}


def normalize(text: str) -> str:
    if not text or text.isascii():
        return text or ""
    text = unicodedata.normalize("NFKC", text)
    for ch, rep in _QUOTE_PAIRS:
        if ch in text:
            text = text.replace(ch, rep)
    return text


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of a text (curly quotes folded, numbers kept whole).

    Args:
        text: any text.
    Returns:
        The tokens in order.

    >>> tokens("Title 8 USC 1,326 — isn’t it?")
    ['title', '8', 'usc', '1,326', "isn't", 'it']
    """
    return _TOKEN_RE.findall(normalize(text).lower())


@functools.lru_cache(maxsize=200_000)
def stem_of(tok: str) -> str:
    """A light suffix stripper: "arresting"/"arrested"/"arrests", "cities"/"city" meet."""
    if NUM_RE.match(tok) or len(tok) <= 3:
        return tok
    if tok.endswith("'s"):
        tok = tok[:-2]
    if tok.endswith("ies") and len(tok) > 4:
        tok = tok[:-3] + "y"
    elif tok.endswith(("sses", "shes", "ches", "xes", "zes")):
        tok = tok[:-2]
    elif tok.endswith("s") and not tok.endswith(("ss", "us", "is")) and len(tok) > 3:
        tok = tok[:-1]
    for suf in ("ingly", "edly", "ing", "ed"):
        if tok.endswith(suf) and len(tok) - len(suf) >= 3:
            tok = tok[: -len(suf)]
            if len(tok) > 3 and tok[-1] == tok[-2] and tok[-1] not in "lsz":
                tok = tok[:-1]  # "stopped" -> "stop"
            break
    if tok.endswith("e") and len(tok) > 4:
        tok = tok[:-1]  # "reduce"/"reduced" -> "reduc"
    return tok


CONTENT_STEM: dict[str, str] = {}  # token -> its stem, or "" for a stopword / short token


def content_terms(toks: Iterable[str]) -> list[str]:
    cache = CONTENT_STEM
    if len(cache) > 200_000:
        cache.clear()
    out = []
    for t in toks:
        st = cache.get(t)
        if st is None:
            st = cache[t] = stem_of(t) if t not in STOP and (len(t) > 2 or t.isdigit()) else ""
        if st:
            out.append(st)
    return out


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_RE.split(text or "") if s and len(s.strip()) > 1]


def hash_id(prefix: str, *parts: Any) -> str:
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{h}"


def parse_date(value: Any) -> _dt.date | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def cosine(a: Mapping[Any, float], b: Mapping[Any, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    # the shared terms only, in ``a``'s order: the same sum as over every term with 0.0 for a
    # missing one (x + 0.0 == x), without the calls (the story neighbours' hot loop, issue #16)
    # (and 0, an int, for an empty vector, as that sum gave: scores are stored as they come)
    return sum([w * b[t] for t, w in a.items() if t in b], 0.0) if a else 0


def canonical_words(name: str | None) -> str:
    return " ".join(t for t in tokens(name or "") if t != "the")

