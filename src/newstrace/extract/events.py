"""The main event an article reports: when, who, where and its figures (issue #16).

:func:`extract_event` reads the article's lead (its first sentences that state something, where
news writing puts the main event) and takes from it the event's date (relative dates such as
"on Tuesday" or "last week" resolved against the publication date, or else a dateline near the
top), its participants (people and organisations named there), places and figures. Years and
dates mentioned further down, in background paragraphs, are not event time. The link stage uses
these to keep apart stories of one kind about different incidents (two earthquakes in one country).
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from ..models import Article, Event
from .doc_index import doc_index
from .figures import resolve_date

__all__ = ["extract_event"]

_PARTICIPANT_LABELS = {"PERSON"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_FIGURE_LABELS = {"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}
_URLISH = re.compile(r"https?\s*:|www\s*\.|\.\s*(?:com|org|net|html?)\b", re.I)
_FULL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _is_statement(sent: Any) -> bool:
    """A sentence that reports something: a finite verb, six words or more, not a web address."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if len(words) < 6 or _URLISH.search(sent.text):
        return False
    return any(t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "conj") for t in sent)


def _dateline(doc: Any, lead_start: int) -> tuple[str, str] | None:
    """A date standing alone on one of the short lines above the lead ("June 13, 2013 4:59 PM"),
    as (ISO date, the words)."""
    head = doc_index(doc).text[:lead_start]
    for line in head.splitlines():
        if not line.strip() or len(line.split()) > 12 or _URLISH.search(line):
            continue
        m = re.search(r"(?:January|February|March|April|May|June|July|August|September|October|November|"
                      r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{1,2},?\s+\d{4}|"
                      r"\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
                      r"November|December)\s+\d{4}|\d{4}-\d{2}-\d{2}", line)
        if m:
            iso = resolve_date(m.group(0))
            if iso and _FULL_DATE.match(iso):
                return iso, m.group(0)
    return None


def _on_main_verb(ent: Any) -> bool:
    """A date that dates the sentence's main verb ("struck on Monday", "was fired Saturday"), not
    a noun ("the 2008-09 season", "its leading rusher in 2009")."""
    head = ent.root.head
    if head.dep_ == "prep":
        head = head.head
    while head.dep_ in ("conj", "xcomp", "advcl") and head.head is not head:
        head = head.head
    return head.pos_ in ("VERB", "AUX") and head.dep_ == "ROOT"


def _name_key(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", re.sub(r"['\u2019]s$", "", text.strip()), flags=re.I)


def extract_event(doc: Any, article: Article, *, lead_sentences: int = 2) -> Event | None:
    """When, who and where of the main event ``article`` reports.

    Args:
        doc: the spaCy Doc of ``article.text`` (named entities and sentences are read).
        article: the cleaned article (its ``published`` date resolves relative dates).
        lead_sentences: how many statement sentences make the lead.
    Returns:
        An :class:`~newstrace.models.Event`, or None when the article has no statement sentence.
        ``date`` is ISO 8601 at the precision written ("2013-06-13", "2013-06", "2013", an ISO
        week "2022-W04"), None when the lead names no date and no dateline is found.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> text = "A 6.1-magnitude earthquake struck central Italy on Monday, killing 290 people."
    >>> art = Article(id="a", source="a.txt", raw_text=text, text=text, published="2016-08-24")  # doctest: +SKIP
    >>> extract_event(load_nlp()(text), art).date  # doctest: +SKIP
    '2016-08-22'
    """
    lead = list(islice((s for s in doc_index(doc).sents if _is_statement(s)), lead_sentences))  # the first few only
    if not lead:
        return None
    dateline = _dateline(doc, lead[0].start_char)
    reference = article.published or (dateline[0] if dateline else None)
    date = source = None
    participants: dict[str, str] = {}
    places: dict[str, str] = {}
    figures: list[str] = []
    for sent in lead:
        for ent in doc_index(doc).sent_ents(sent):
            if ent.label_ in ("DATE", "TIME") and date is None and _on_main_verb(ent):
                iso = resolve_date(ent.text, reference)
                if iso and not iso.startswith("--"):
                    date, source = iso, ent.text
            elif ent.label_ in _PARTICIPANT_LABELS:
                name = _name_key(ent.text)
                participants.setdefault(name.lower(), name)
            elif ent.label_ in _PLACE_LABELS:
                name = _name_key(ent.text)
                places.setdefault(name.lower(), name)
            elif ent.label_ in _FIGURE_LABELS and any(ch.isdigit() for ch in ent.text):
                head = ent.root.head
                unit = head.text if ent.root.dep_ == "nummod" and head.pos_ == "NOUN" else ""
                figures.append(f"{ent.text} {unit}".strip())
    if date is None and dateline is not None:
        date, source = dateline
    # a name alone ("Reid", "Sarah") is the person named in full elsewhere in the lead ("Tara Reid")
    full = list(participants.values())
    for key, name in list(participants.items()):
        if " " not in name and any(other != name and name in other.split() for other in full):
            del participants[key]
    return Event(date=date, date_source=source, participants=list(participants.values()),
                 places=list(places.values()), figures=figures[:5])
