"""The main event an article reports: when, who, where and its figures (issue #16).

:func:`extract_event` reads the article's lead (its first sentences that state something, where
news writing puts the main event) and takes from it the event's date (relative dates such as
"on Tuesday" or "last week" resolved against the publication date, or else a dateline near the
top), its participants (people and organisations named there), places and figures. Years and
dates mentioned further down, in background paragraphs, are not event time, nor is a year alone
("when Labour regained power in 1997") in the lead. The link stage uses
these to keep apart stories of one kind about different incidents (two earthquakes in one country).
"""

from __future__ import annotations

import datetime as _dt
import re
from itertools import islice
from typing import Any

from ..models import Article, Event
from .doc_index import doc_index
from .figures import resolve_date

__all__ = ["dateline_date", "extract_event"]

_PARTICIPANT_LABELS = {"PERSON"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_FIGURE_LABELS = {"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}
_URLISH = re.compile(r"https?\s*:|www\s*\.|\.\s*(?:com|org|net|html?)\b", re.I)
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_statement(sent: Any) -> bool:
    """A sentence that reports something: a finite verb, six words or more, not a web address."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if len(words) < 6 or _URLISH.search(sent.text):
        return False
    return any(t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "conj") for t in sent)


_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
_DAY_NUMBER = r"\d{1,2}(?:st|nd|rd|th)?"
# a written date with its year: "June 13, 2013", "December 15th, 2008", "16 September 2013",
# "27 NOVEMBER, 2005"; the ISO form; a numeric one ("11 / 28 / 05", "12/19/2005": month first,
# as US datelines write it, unless the first number cannot be a month)
_WRITTEN_DATE = re.compile(rf"\b{_MONTH}\s+{_DAY_NUMBER},?\s+\d{{4}}\b|\b{_DAY_NUMBER}\s+{_MONTH},?\s+\d{{4}}\b|"
                           r"\b\d{4}-\d{2}-\d{2}\b", re.I)
_NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4}|\d{2})(?![\d/])")


def dateline_date(line: str) -> tuple[str, str] | None:
    """The date a dateline writes, as (ISO date, the words): "December 15th, 2008, 7: 35 am",
    "Last updated on: November 11, 2011", "Tuesday 28 April 2009", "Posted 12 / 19 / 2005 3: 36 PM".

    Args:
        line: one short line of text.
    Returns:
        ("YYYY-MM-DD", the date as written), or None when the line writes no full date.

    >>> dateline_date("Posted 12 / 19 / 2005 3: 36 PM")
    ('2005-12-19', '12 / 19 / 2005')
    """
    m = _WRITTEN_DATE.search(line)
    if m:
        iso = m.group(0) if _FULL_DATE.fullmatch(m.group(0)) else resolve_date(m.group(0))
        if iso and _FULL_DATE.fullmatch(iso):
            try:
                return _dt.date.fromisoformat(iso).isoformat(), m.group(0)
            except ValueError:
                return None
    m = _NUMERIC_DATE.search(line)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), m.group(3)
        month, day = (a, b) if a <= 12 else (b, a)
        year = int(y) if len(y) == 4 else 2000 + int(y) if int(y) < 70 else 1900 + int(y)
        try:
            return _dt.date(year, month, day).isoformat(), m.group(0)
        except ValueError:
            return None
    return None


def _dateline(doc: Any, lead_end: int) -> tuple[str, str] | None:
    """A date standing alone on one of the short lines above the lead's end ("June 13, 2013 4:59
    PM"; a headline that reads as a statement may come before it), as (ISO date, the words)."""
    head = doc_index(doc).text[:lead_end]
    for line in head.splitlines():
        if not line.strip() or len(line.split()) > 12 or _URLISH.search(line):
            continue
        found = dateline_date(line)
        if found:
            return found
    return None


def _main_verb_rank(ent: Any) -> int | None:
    """0 for a date that dates the sentence's main verb ("struck on Monday", "was fired Saturday"),
    1 for one that dates the clause a main verb reports ("was killed Friday, police said": taken
    only when the lead dates no main verb: "announced Friday that she will host next year"), None
    for a date of a noun ("the 2008-09 season", "its leading rusher in 2009")."""
    head = ent.root.head
    if head.dep_ == "npadvmod" and head.ent_type_ in ("DATE", "TIME"):  # "early Tuesday" of "... morning"
        head = head.head
    if head.dep_ == "prep":
        head = head.head
    while head.dep_ in ("conj", "xcomp", "advcl") and head.head is not head:
        head = head.head
    rank = 0
    if head.dep_ == "ccomp" and head.head.dep_ == "ROOT":
        head, rank = head.head, 1
    return rank if head.pos_ in ("VERB", "AUX") and head.dep_ == "ROOT" else None


def _in_future(ent: Any) -> bool:
    """Whether the verb a date dates is in the future ("will face the Saints at 8 p. m. Saturday,
    Jan. 15"): a bare weekday or month is then the next one after the article date, as for claims."""
    head = ent.root.head
    if head.dep_ == "npadvmod" and head.ent_type_ in ("DATE", "TIME"):
        head = head.head
    if head.dep_ == "prep":
        head = head.head
    # (not a to-infinitive: "stopped Thompson ... to retain his titles on Saturday" is past; nor
    # "would have won on Saturday")
    if head.pos_ not in ("VERB", "AUX"):
        return False
    aux = {c.lower_ for c in head.children if c.dep_ == "aux"}
    return bool(aux & {"will", "'ll", "shall", "would"}) and "have" not in aux


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
    dateline = _dateline(doc, lead[-1].end_char)
    reference = article.published or (dateline[0] if dateline else None)
    date = source = None
    participants: dict[str, str] = {}
    places: dict[str, str] = {}
    figures: list[str] = []
    best = 2  # the rank of the date taken (:func:`_main_verb_rank`): the first of the best rank
    for sent in lead:
        for ent in doc_index(doc).sent_ents(sent):
            if ent.label_ in ("DATE", "TIME"):
                rank = _main_verb_rank(ent) if best > 0 else None
                if rank is not None and rank < best:
                    # a full date written inside the entity is its date, whatever numbers stand
                    # around it ("20 AM ET Last Updated: Nov 27, 2005 8", a page's time stamps:
                    # the words alone would read the 20 of 8:20 as the day)
                    written = dateline_date(ent.text)
                    iso = written[0] if written else resolve_date(ent.text, reference, future=_in_future(ent))
                    # a year alone ("in 1997", "last year", "two years ago") is background time,
                    # not the main event's: news dates its event to the day, the week or the month
                    if iso and not iso.startswith("--") and len(iso) > 4:
                        date, source, best = iso, ent.text, rank
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
    if dateline is not None and (date is None or best == 1 and len(date) < len(dateline[0])):
        date, source = dateline  # a reported clause's "this year" says less than the dateline
    # a name alone ("Reid", "Sarah") is the person named in full elsewhere in the lead ("Tara Reid")
    full = list(participants.values())
    for key, name in list(participants.items()):
        if " " not in name and any(other != name and name in other.split() for other in full):
            del participants[key]
    return Event(date=date, date_source=source, participants=list(participants.values()),
                 places=list(places.values()), figures=figures[:5])
