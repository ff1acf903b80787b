"""Entities: mentions, article-local entities (within-article coreference) and cross-article merging.

Within one article (:func:`analyze_entities`):

* mentions come from the spaCy NER (PERSON, ORG, GPE, NORP), repaired where the small model is
  known to slip (spans running across lower-case words, org words tagged PERSON, a person's
  surname tagged ORG/GPE), plus grammar-found TITLE mentions (noun phrases headed by a role noun:
  "the DHS secretary", "former acting commissioner of CBP"), OUTLET mentions (news outlets, from a
  maintained table and the shape "the X Times/Post/...", "X News", "X.com") and PRONOUN mentions;
* names are merged ("Alejandro Mayorkas", "Mayorkas", "Mr. Mayorkas"), organisations through
  acronyms defined anywhere in the article ("Immigration and Customs Enforcement (ICE)") or in a
  small table of common ones; titles linked to a name by a compound ("Homeland Security Secretary
  Alejandro Mayorkas"), an apposition ("Mayorkas, the DHS secretary,") or a copula become
  :class:`~newstrace.models.Role` records and later bare titles ("the secretary") resolve to the
  person holding them;
* :meth:`EntityAnalysis.resolve` answers "who do these words refer to" for the quote and
  attribution stages: names, titles, pronouns (most recent compatible antecedent, preferring
  subjects), outlets and anonymous descriptions ("two sources familiar with the matter").

Across articles (:func:`merge_entities`): candidates are blocked by normalised surname / name key
so the merge is near-linear; full names merge when equal (honorifics stripped), a bare surname
joins a full name only when the surname is unambiguous in the pool, and a misspelt name
("Arulananthem") joins only when the context agrees (shared role, organisation or co-occurring
entity). Two people sharing a surname but with different first names are never merged.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Sequence

import numpy as np

from .models import Article, LocalEntity, Mention, Role
from .rows import Indexed, Rows, as_rows

__all__ = [
    "EntityAnalysis",
    "analyze_entities",
    "canonical_outlet",
    "merge_entities",
    "build_global_entities",
    "entity_id",
]

# -- lexicons (word classes, not phrases fitted to any corpus) ------------------------------------

# Nouns that name a role a person holds (head of a title noun phrase).
_ROLE_NOUNS = {
    "secretary", "commissioner", "chief", "director", "spokesperson", "spokesman", "spokeswoman",
    "senator", "governor", "official", "officer", "agent", "president", "minister", "chancellor",
    "mayor", "representative", "congressman", "congresswoman", "lawmaker", "legislator", "leader",
    "chairman", "chairwoman", "chair", "chairperson", "head", "deputy", "administrator", "attorney",
    "lawyer", "judge", "justice", "prosecutor", "sheriff", "ambassador", "adviser", "advisor",
    "aide", "analyst", "expert", "economist", "professor", "researcher", "writer", "reporter",
    "correspondent", "editor", "journalist", "columnist", "author", "founder", "co-founder", "ceo",
    "executive", "manager", "member", "mp", "mep", "msp", "candidate", "nominee", "premier", "general", "colonel", "captain", "sergeant", "lieutenant",
    "commander", "staffer", "employee", "worker", "source", "activist", "advocate", "campaigner",
    "counsel", "solicitor", "inspector", "superintendent", "trustee", "speaker", "whip",
    "treasurer", "auditor", "strategist", "consultant", "pollster", "partner", "organiser",
    "organizer", "spokespeople", "delegate", "envoy", "diplomat", "negotiator", "regulator",
    "watchdog", "investigator", "detective", "commentator", "host", "anchor", "presenter",
    "producer", "critic", "insider", "person", "people", "resident", "witness", "historian",
    "scientist", "physician", "doctor", "nurse", "teacher", "student", "owner", "boss", "founder",
    "vice-president", "vice-chair", "undersecretary", "under-secretary", "marshal", "warden",
    "supervisor", "coordinator", "czar", "tsar", "commissioner", "assistant", "associate",
    "fellow", "lecturer", "dean", "provost", "rector", "bishop", "pastor", "priest", "chaplain",
    "colleague", "ally", "opponent", "rival", "successor", "predecessor", "incumbent", "clerk",
}
# Abbreviated titles that precede names.
_TITLE_ABBREV = {
    "sen.": "senator", "sen": "senator", "gov.": "governor", "gov": "governor",
    "rep.": "representative", "rep": "representative", "sec.": "secretary", "sec": "secretary",
    "pres.": "president", "gen.": "general", "col.": "colonel", "lt.": "lieutenant",
    "sgt.": "sergeant", "capt.": "captain", "cmdr.": "commander", "atty.": "attorney",
    "supt.": "superintendent", "insp.": "inspector", "amb.": "ambassador", "adm.": "admiral",
    "maj.": "major", "cpl.": "corporal", "det.": "detective", "cllr": "councillor",
}
_ROLE_NOUNS |= {"councillor", "councilor", "councilman", "councilwoman", "admiral", "major",
                "corporal", "registrar", "comptroller", "controller", "officials", "peer", "barrister",
                "magistrate", "coroner", "minister", "secretary-general", "ombudsman", "mla",
                "individual", "supporter", "observer"}
# Nouns describing an (often unnamed) source: heads of anonymous descriptions.
_SOURCE_NOUNS = {
    "source", "official", "officer", "agent", "employee", "staffer", "aide", "insider", "person",
    "people", "individual", "witness", "analyst", "expert", "critic", "observer", "spokesperson",
    "spokesman", "spokeswoman", "member", "worker", "resident", "lawmaker", "diplomat",
    "investigator", "economist", "leader", "supporter", "opponent", "activist", "advocate",
    "colleague", "ally", "adviser", "advisor", "representative", "correspondent", "reporter",
    "officials", "report", "document", "memo", "study", "survey", "poll",
}
# "chairman" is used for women too (British usage), so it says nothing about gender.
_GENDER_ROLE = {"spokesman": "m", "spokeswoman": "f", "congressman": "m", "congresswoman": "f",
                "chairwoman": "f", "councilwoman": "f",
                "king": "m", "queen": "f", "prince": "m", "princess": "f"}
_HONORIFICS = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
               "miss": "f", "dr": None, "dr.": None, "sir": "m", "dame": "f", "lord": "m",
               "lady": "f", "prof": None, "prof.": None, "rev": None, "rev.": None}
# Heads a leader's surname modifies: "the Trump administration", "the Biden campaign".
_LEADER_HEADS = {"administration", "presidency", "campaign", "team", "era", "government", "cabinet",
                 "aide", "camp", "premiership", "regime", "white", "doctrine", "policy", "policies"}
# Nouns that refer back to an organisation named before ("the company", "the agency").
_ORG_NOUNS = {"company", "firm", "agency", "department", "charity", "organisation", "organization",
              "party", "ministry", "union", "council", "committee", "bureau", "airline", "retailer",
              "carmaker", "watchdog", "regulator", "federation", "association", "institute",
              "university", "broadcaster", "network", "club", "group", "bank", "lender", "insurer",
              "operator", "manufacturer", "supermarket", "chain", "brand", "business", "corporation",
              "conglomerate", "giant", "maker", "producer", "foundation", "commission", "office",
              "fund", "campaign", "administration", "court", "board", "authority", "coalition"}
# Of these, ones that take up only an organisation whose name holds the word ("the fund" ->
# International Monetary Fund), never just the last organisation named.
_ORG_NOUNS_BY_NAME = {"fund", "campaign", "administration", "court", "board", "authority", "coalition"}
# Nouns that classify a proper name as a news outlet ("the Herald newspaper", "media outlet Townhall").
_MEDIA_NOUNS = {"newspaper", "paper", "tabloid", "broadsheet", "magazine", "website", "outlet",
                "broadcaster", "daily", "weekly", "newsletter", "journal"}
# Role nouns naming a relation or a trade rather than an office: no unnamed holder entity.
_RELATION_NOUNS = {"rival", "colleague", "ally", "opponent", "successor", "predecessor", "critic",
                   "partner", "fellow", "assistant", "associate", "person", "people", "member",
                   "worker", "employee", "resident", "witness", "student", "teacher", "nurse", "doctor",
                   "author", "writer", "reporter", "correspondent", "journalist", "columnist", "analyst",
                   "expert", "economist", "owner", "manager", "insider", "individual", "supporter",
                   "observer", "campaigner", "activist", "advocate", "historian", "scientist",
                   "physician", "boss", "host", "presenter", "commentator", "consultant", "strategist",
                   "lawyer", "incumbent", "candidate", "nominee", "officer", "agent",
                   "official", "source", "staffer", "aide", "adviser", "advisor", "investigator"}
# Verbs saying a role was left: "quit as home secretary".
_LEAVE_VERBS = {"quit", "resign", "leave", "step", "retire", "oust", "sack", "fire", "remove", "depart",
                "stand"}
_GENERIC_TITLE_MODS = {"new", "current", "top", "senior", "then", "now", "longtime", "veteran", "outgoing",
                       "incoming", "newly", "recently", "interim"}
_FORMER = {"former", "ex", "then", "erstwhile", "outgoing", "previous", "late"}
_ANON_DETS = {"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
              "ten", "several", "some", "many", "multiple", "numerous", "few", "other", "another",
              "various", "dozens", "hundreds", "most", "both", "all", "senior", "unnamed",
              "anonymous", "current", "former", "those", "these"}
_PRONOUNS = {
    "he": ("m", "sg"), "him": ("m", "sg"), "his": ("m", "sg"), "himself": ("m", "sg"),
    "she": ("f", "sg"), "her": ("f", "sg"), "hers": ("f", "sg"), "herself": ("f", "sg"),
    "they": (None, "pl"), "them": (None, "pl"), "their": (None, "pl"), "theirs": (None, "pl"),
    "themselves": (None, "pl"),
    "it": (None, "it"), "its": (None, "it"), "itself": (None, "it"),
}
_SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj", "agent"}
# Words that may sit inside a multi-word proper name written in lower case.
_LEADING_JUNK = {"the", "a", "an", "of", "and", "for", "on", "in", "at", "to", "&"}
_NAME_CONNECTORS = {"of", "and", "for", "on", "the", "&", "de", "la", "del", "da", "von", "van",
                    "der", "den", "le", "du", "bin", "al", "el", "in", "at", "to"}
# Words marking an organisation when spaCy tags the span PERSON.
_ORG_WORDS = {
    "patrol", "department", "agency", "service", "services", "commission", "committee", "council",
    "party", "office", "bureau", "court", "university", "college", "school", "institute",
    "association", "union", "administration", "ministry", "police", "force", "guard", "army",
    "navy", "corps", "house", "senate", "congress", "parliament", "government", "company",
    "corporation", "inc", "inc.", "ltd", "llc", "group", "foundation", "center", "centre",
    "enforcement", "protection", "security", "immigration", "customs", "board", "authority",
    "network", "bank", "fund", "trust", "society", "church",
    "hospital", "club", "federation", "alliance", "coalition", "organization", "organisation",
    "clearinghouse", "caucus", "court", "tribunal", "agency", "division", "unit", "directorate",
    "palace", "prison", "hospital", "street", "castle", "cathedral", "abbey", "airport", "station",
    "units", "assembly", "lords", "commons", "ministry", "treasury", "cabinet", "secretariat",
}

# Acronyms in common use on the public-affairs beat: acronym -> (canonical name, other expansions).
_ACRONYMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "CBP": ("U.S. Customs and Border Protection", ("Customs and Border Protection",)),
    "ICE": ("U.S. Immigration and Customs Enforcement", ("Immigration and Customs Enforcement",)),
    "DHS": ("Department of Homeland Security", ("Homeland Security Department", "Homeland Security",
                                                "Department of Homeland Security")),
    "ERO": ("Enforcement and Removal Operations", ()),
    "HSI": ("Homeland Security Investigations", ()),
    "OPLA": ("Office of the Principal Legal Advisor", ()),
    "DOJ": ("Department of Justice", ("Justice Department",)),
    "FBI": ("Federal Bureau of Investigation", ()),
    "CIA": ("Central Intelligence Agency", ()),
    "NSA": ("National Security Agency", ()),
    "DEA": ("Drug Enforcement Administration", ()),
    "ATF": ("Bureau of Alcohol, Tobacco, Firearms and Explosives", ()),
    "USCIS": ("U.S. Citizenship and Immigration Services", ("Citizenship and Immigration Services",)),
    "TSA": ("Transportation Security Administration", ()),
    "FEMA": ("Federal Emergency Management Agency", ()),
    "EPA": ("Environmental Protection Agency", ()),
    "IRS": ("Internal Revenue Service", ()),
    "DOD": ("Department of Defense", ("Defense Department", "Pentagon")),
    "HHS": ("Department of Health and Human Services", ("Health and Human Services",)),
    "CDC": ("Centers for Disease Control and Prevention", ()),
    "FDA": ("Food and Drug Administration", ()),
    "GAO": ("Government Accountability Office", ()),
    "OIG": ("Office of Inspector General", ("Office of the Inspector General",)),
    "ORR": ("Office of Refugee Resettlement", ()),
    "EOIR": ("Executive Office for Immigration Review", ()),
    "ACLU": ("American Civil Liberties Union", ()),
    "GOP": ("Republican Party", ("Grand Old Party",)),
    "DNC": ("Democratic National Committee", ()),
    "RNC": ("Republican National Committee", ()),
    "UN": ("United Nations", ()),
    "EU": ("European Union", ()),
    "NATO": ("North Atlantic Treaty Organization", ()),
    "IMF": ("International Monetary Fund", ()),
    "WTO": ("World Trade Organization", ()),
    "WHO": ("World Health Organization", ()),
    "OECD": ("Organisation for Economic Co-operation and Development", ()),
    "NHS": ("National Health Service", ()),
    "MOD": ("Ministry of Defence", ()),
    "CBI": ("Confederation of British Industry", ()),
    "TUC": ("Trades Union Congress", ()),
    "IFS": ("Institute for Fiscal Studies", ()),
    "ONS": ("Office for National Statistics", ()),
    "UKIP": ("UK Independence Party", ("United Kingdom Independence Party",)),
    "SNP": ("Scottish National Party", ()),
    "TRAC": ("Transactional Records Access Clearinghouse", ()),
    "NYPD": ("New York City Police Department", ("New York Police Department",)),
    "SEC": ("Securities and Exchange Commission", ()),
    "FTC": ("Federal Trade Commission", ()),
    "FCC": ("Federal Communications Commission", ()),
}
_ACRONYM_OF: dict[str, str] = {}


@lru_cache(maxsize=65536)
def _org_key(text: str) -> str:
    """Normalised organisation key: lower case, no 'the', no 'U.S.', no punctuation."""
    t = _fold(text).lower().replace("&", " and ")
    t = re.sub(r"['\u2019]s\b", "", t)
    t = re.sub(r"[^\w\s-]", " ", t)
    words = t.split()
    while words and words[0] in ("the", "u", "s", "us", "united", "states", "american") and len(words) > 1:
        if words[0] == "united" and len(words) > 1 and words[1] == "states":
            words = words[2:]
            continue
        if words[0] == "u" and len(words) > 1 and words[1] == "s":
            words = words[2:]
            continue
        if words[0] in ("united", "american", "s"):
            break
        words = words[1:]
    return " ".join(words)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u2019", "'").replace("\u2018", "'")


for _acr, (_canon, _alts) in _ACRONYMS.items():
    for _exp in (_canon,) + _alts:
        _ACRONYM_OF[_org_key(_exp)] = _acr

# News outlets: canonical name -> aliases (lower case, "the" and possessives stripped).
_OUTLETS: dict[str, tuple[str, ...]] = {
    "Associated Press": ("ap", "a.p.", "associated press", "the associated press", "ap news"),
    "Reuters": ("reuters", "thomson reuters"),
    "Agence France-Presse": ("afp", "agence france-presse", "agence france presse"),
    "Bloomberg": ("bloomberg", "bloomberg news"),
    "New York Times": ("new york times", "nyt", "ny times", "n.y. times", "nytimes.com", "nytimes"),
    "Washington Post": ("washington post", "wapo", "washingtonpost.com"),
    "Wall Street Journal": ("wall street journal", "wsj", "journal"),
    "Los Angeles Times": ("los angeles times", "la times", "l.a. times", "latimes", "latimes.com"),
    "Washington Times": ("washington times",),
    "Washington Examiner": ("washington examiner", "examiner"),
    "New York Post": ("new york post", "ny post", "n.y. post"),
    "USA Today": ("usa today",),
    "CNN": ("cnn", "cnn.com"),
    "Fox News": ("fox news", "fox", "fox news channel", "foxnews.com", "foxnews"),
    "Fox Business": ("fox business", "fox business network"),
    "MSNBC": ("msnbc",),
    "NBC News": ("nbc news", "nbc", "nbcnews.com"),
    "CBS News": ("cbs news", "cbs"),
    "ABC News": ("abc news", "abc"),
    "CNBC": ("cnbc",),
    "NPR": ("npr", "national public radio"),
    "PBS": ("pbs", "pbs newshour"),
    "Politico": ("politico", "politico.com"),
    "Axios": ("axios", "axios.com"),
    "The Hill": ("the hill", "thehill.com"),
    "BuzzFeed News": ("buzzfeed news", "buzzfeed"),
    "HuffPost": ("huffpost", "huffington post"),
    "Vox": ("vox",),
    "Breitbart News": ("breitbart", "breitbart news"),
    "Daily Caller": ("daily caller", "dailycaller.com"),
    "Daily Wire": ("daily wire",),
    "Townhall": ("townhall", "townhall.com"),
    "Newsmax": ("newsmax",),
    "One America News": ("one america news", "oan", "oann", "one america news network"),
    "Daily Mail": ("daily mail", "mail", "mailonline", "mail on sunday"),
    "The Guardian": ("guardian", "the guardian"),
    "The Observer": ("observer", "the observer"),
    "BBC News": ("bbc", "bbc news", "bbc news online", "bbc.com", "bbc news website", "bbc website",
                 "bbc online"),
    "Sky News": ("sky news",),
    "ITV News": ("itv", "itv news"),
    "Channel 4 News": ("channel 4 news",),
    "The Times": ("the times", "times of london"),
    "The Sunday Times": ("sunday times", "the sunday times"),
    "The Telegraph": ("telegraph", "daily telegraph", "the telegraph", "sunday telegraph"),
    "The Independent": ("the independent", "independent"),
    "Financial Times": ("financial times", "ft"),
    "The Economist": ("economist", "the economist"),
    "Daily Mirror": ("mirror", "daily mirror"),
    "The Sun": ("the sun",),
    "Daily Express": ("daily express", "express"),
    "Evening Standard": ("evening standard", "london evening standard"),
    "Al Jazeera": ("al jazeera", "aljazeera"),
    "Forbes": ("forbes",),
    "Business Insider": ("business insider", "insider"),
    "The Atlantic": ("the atlantic", "atlantic"),
    "The New Yorker": ("new yorker", "the new yorker"),
    "Newsweek": ("newsweek",),
    "Time": ("time magazine",),
    "Vice News": ("vice news", "vice"),
    "The Intercept": ("the intercept", "intercept"),
    "ProPublica": ("propublica",),
    "Texas Tribune": ("texas tribune",),
    "Chicago Tribune": ("chicago tribune",),
    "Boston Globe": ("boston globe",),
    "Miami Herald": ("miami herald",),
    "San Francisco Chronicle": ("san francisco chronicle",),
    "Houston Chronicle": ("houston chronicle",),
    "Dallas Morning News": ("dallas morning news",),
    "Arizona Republic": ("arizona republic",),
    "Border Report": ("border report",),
    "Telemundo": ("telemundo",),
    "Univision": ("univision",),
    "The Daily Beast": ("daily beast", "the daily beast"),
    "Mother Jones": ("mother jones",),
    "National Review": ("national review",),
    "Washington Free Beacon": ("washington free beacon", "free beacon"),
    "The Federalist": ("the federalist", "federalist"),
    "Epoch Times": ("epoch times",),
    "Daily Signal": ("daily signal",),
    "Just the News": ("just the news",),
    "Yahoo News": ("yahoo news",),
    "Semafor": ("semafor",),
    "Punchbowl News": ("punchbowl news",),
    "Roll Call": ("roll call",),
    "New York Daily News": ("new york daily news", "daily news"),
    "Newsday": ("newsday",),
    "PA Media": ("pa", "press association", "pa media"),
    "The Scotsman": ("scotsman", "the scotsman"),
    "The Herald": ("the herald",),
    "The Spectator": ("spectator", "the spectator"),
    "New Statesman": ("new statesman",),
    "Der Spiegel": ("der spiegel", "spiegel"),
    "Le Monde": ("le monde",),
    "El Pais": ("el pais",),
    "Bild": ("bild",),
    "Xinhua": ("xinhua",),
    "TASS": ("tass",),
    "RT": ("rt", "russia today"),
    # US fact-checkers, poll aggregators and wire services
    "PolitiFact": ("politifact", "politifact.com"),
    "FactCheck.org": ("factcheck.org", "factcheck"),
    "Snopes": ("snopes", "snopes.com"),
    "FiveThirtyEight": ("fivethirtyeight", "538"),
    "RealClearPolitics": ("realclearpolitics", "real clear politics", "realclear politics"),
    "HuffPollster": ("huffpollster",),
    "UPI": ("upi", "united press international"),
    "Slate": ("slate",),
    "Salon": ("salon",),
    "Mediaite": ("mediaite",),
    "TheBlaze": ("the blaze", "theblaze"),
    "Western Journal": ("western journal", "the western journal"),
    "Des Moines Register": ("des moines register",),
    "CNSNews": ("cnsnews", "cns news", "cnsnews.com"),
    "Radio Free Europe/Radio Liberty": ("radio free europe", "rferl"),
    "Voice of America": ("voice of america", "voa"),
    "The Texan": ("the texan",),
    "KTLA": ("ktla",),
}
# Aliases that are too ambiguous to be taken alone (a word, a person's name) unless the text
# says they are an outlet (NER labels them ORG/WORK_OF_ART, or "the" precedes them).
_AMBIGUOUS_OUTLET_ALIASES = {"journal", "examiner", "mail", "express", "independent", "insider", "slate",
                             "salon", "538",
                             "vice", "fox", "abc", "atlantic", "observer", "guardian", "telegraph",
                             "mirror", "economist", "spectator", "intercept", "federalist",
                             "scotsman", "pa", "ft", "rt", "time magazine", "daily news",
                             "bild", "spiegel", "ap", "cbs", "nbc", "express", "sun", "herald",
                             "times", "star", "globe", "post"}
# Broadcasters whose channels and services are outlets of their own ("BBC Radio 4", "BBC One").
_BROADCASTERS = {"bbc", "itv", "cnn", "fox", "sky", "abc", "nbc", "cbs", "npr", "pbs", "channel 4",
                 "msnbc", "cnbc", "rte", "cbc", "al jazeera", "euronews", "france 24", "dw"}
_OUTLET_OF: dict[str, str] = {}
for _name, _aliases in _OUTLETS.items():
    for _a in _aliases + (_name.lower(),):
        _OUTLET_OF.setdefault(_a, _name)
        if _a.startswith("the "):
            _OUTLET_OF.setdefault(_a[4:], _name)
_OUTLET_SHAPE_WORDS = {"times", "post", "news", "journal", "herald", "tribune", "examiner",
                       "gazette", "chronicle", "observer", "telegraph", "courier", "dispatch",
                       "inquirer", "globe", "record", "register", "sun", "mirror", "express",
                       "standard", "independent", "bulletin", "reporter", "review", "star",
                       "beacon", "sentinel", "enquirer", "monitor", "journal-constitution",
                       "free press", "press", "daily", "magazine", "weekly", "wire", "radio"}
# Shape words unlikely to be a surname: "X News" is an outlet even without "the".
_OUTLET_SAFE_SHAPE = {"news", "journal", "tribune", "gazette", "chronicle", "inquirer",
                      "dispatch", "examiner", "magazine", "newspaper"}

_GPE_CANON = {
    "us": "United States", "u.s.": "United States", "u.s": "United States", "usa": "United States",
    "u.s.a.": "United States", "united states": "United States", "america": "United States",
    "united states of america": "United States", "the united states": "United States",
    "uk": "United Kingdom", "u.k.": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom", "united kingdom": "United Kingdom",
    "the united kingdom": "United Kingdom",
}


@lru_cache(maxsize=65536)
def canonical_outlet(name: str) -> str | None:
    """Canonical name of the news outlet ``name`` refers to, or None if it is not an outlet.

    Uses a maintained table of common outlets and their short forms, then the shape of outlet
    names ("the X Times/Post/Herald...", "X News", "X.com"). A bare ambiguous word ("Fox",
    "Mail") counts only as written with "the" or as in the table of full names.

    Args:
        name: the words used ("the AP", "LA Times", "The Arizona Daily Star's").
    Returns:
        The canonical outlet name, or None.

    >>> canonical_outlet("the AP"), canonical_outlet("LA Times"), canonical_outlet("Emily Post")
    ('Associated Press', 'Los Angeles Times', None)
    """
    if not name:
        return None
    raw = _fold(name).strip().strip(".,;:\"'()[]")
    raw = re.sub(r"(?:'s|')$", "", raw).strip()
    raw = re.sub(r"\s+", " ", raw)
    if not raw:
        return None
    low = raw.lower()
    had_the = low.startswith("the ")
    bare = low[4:] if had_the else low
    if low in _OUTLET_OF and (low not in _AMBIGUOUS_OUTLET_ALIASES or had_the or raw.isupper() and len(raw) > 2):
        return _OUTLET_OF[low]
    if bare in _OUTLET_OF and (bare not in _AMBIGUOUS_OUTLET_ALIASES or had_the or bare.upper() == raw[4 if had_the else 0:]):
        return _OUTLET_OF[bare]
    shown = raw[4:] if had_the else raw
    words = shown.split()
    for n_first in (2, 1):
        head = " ".join(words[:n_first]).lower()
        if head in _BROADCASTERS and len(words) > n_first and all(
                w[:1].isupper() or w.isdigit() for w in words[n_first:]):
            return shown  # a channel or service of a broadcaster: "BBC Radio 4", "BBC News 24"
    if not words or not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in ("of", "and", "the", "de")
                            for w in words):
        if re.fullmatch(r"[A-Za-z][\w-]*\.(com|org|net|co\.uk|news)", shown):
            return shown
        return None
    if re.fullmatch(r"[A-Z][\w-]*\.(com|org|net|co\.uk|news)", shown):
        return shown
    last = words[-1].lower()
    if len(words) >= 2 and (last in _OUTLET_SAFE_SHAPE or (had_the and last in _OUTLET_SHAPE_WORDS)):
        return " ".join(words)
    # "Christian News Service", "Xinhua News Agency", "Cable News Network": a news service
    if len(words) >= 3 and last in ("service", "agency", "network", "syndicate") \
            and words[-2].lower() in ("news", "press", "wire"):
        return " ".join(words)
    return None


# -- the analysis record -------------------------------------------------------------------------

_KIND_OF_TYPE = {"person": "person", "organisation": "organisation", "outlet": "outlet",
                 "place": "organisation", "group": "organisation"}


@dataclass
class EntityAnalysis:
    """Mentions and article-local entities of one article, with a resolver for spans.

    ``mentions[i].entity`` indexes ``entities``; ``entities[i].local_id == i``.
    """

    mentions: list[Mention]
    entities: list[LocalEntity]
    text: str = ""
    # anonymous descriptions: (start, end, description, head start, head lemma)
    _anon: list[tuple[int, int, str, int, str]] = field(default_factory=list, repr=False)
    _pron_ante: dict[int, int] = field(default_factory=dict, repr=False)  # mention idx -> entity
    _pron_anon: dict[int, str] = field(default_factory=dict, repr=False)  # mention idx -> description
    _doc: Any = field(default=None, repr=False, compare=False)

    def name_of(self, idx: int) -> str:
        """Canonical name of entity ``idx``."""
        return self.entities[idx].name

    def entity_at(self, start: int, end: int) -> int | None:
        """Index of the entity whose mention best overlaps [start, end) of article.text, else None.

        Among overlapping mentions with an entity, the one covering most of the span wins;
        names beat titles, titles beat pronouns on ties.
        """
        best, best_key = None, None
        for m in self.mentions:
            if m.entity is None or m.end <= start or m.start >= end:
                continue
            ov = min(m.end, end) - max(m.start, start)
            if ov <= 0:
                continue
            pri = {"PERSON": 3, "OUTLET": 3, "ORG": 2, "TITLE": 2, "GPE": 1, "NORP": 1,
                   "PRONOUN": 0}.get(m.label, 0)
            # a mention covering most of the span (the title "UK Independence Party member")
            # beats the names inside it ("UK Independence Party")
            key = (ov / max(1, end - start) >= 0.8, ov / max(1, m.end - m.start) >= 0.5, pri, ov, -m.start)
            if best_key is None or key > best_key:
                best, best_key = m.entity, key
        return best

    def resolve(self, start: int, end: int) -> tuple[int | None, str, str]:
        """Who the words ``article.text[start:end]`` refer to.

        Returns:
            (entity index or None, canonical name, kind); kind is one of person, organisation,
            outlet, anonymous, unknown. Names, titles and pronouns resolve to their entity;
            anonymous descriptions give (None, the description, "anonymous").

        >>> # ea.resolve(*span_of("the DHS secretary"))  -> (0, "Alejandro Mayorkas", "person")
        """
        text = self.text[start:end] if self.text else ""
        stripped = text.strip().strip(",;:")
        # trim whitespace, punctuation and a leading determiner to compare with mention bounds
        m0 = re.match(r"[\s,;:\"'\u201c\u201d(]*(?:(?:the|The)\s+)?", text)
        s0 = start + (m0.end() if m0 else 0)
        e0 = start + len(text.rstrip(" \t\n,;:.\"'\u201c\u201d)"))
        inside = [(i, m) for i, m in enumerate(self.mentions) if m.start >= start and m.end <= end]
        names = [(i, m) for i, m in inside if m.label in ("PERSON", "OUTLET") and m.entity is not None]
        exact = [(i, m) for i, m in inside if m.start == s0 and m.end == e0]
        for i, m in sorted(exact, key=lambda x: x[1].label == "TITLE"):
            if m.label in ("PRONOUN", "DESCRIPTION"):
                if i in self._pron_anon:
                    return None, self._pron_anon[i], "anonymous"
                return self._answer(self._pron_ante.get(i), stripped)
            if m.entity is not None:
                return self._answer(m.entity, stripped)
        # the span's syntactic head decides: "Townhall Senior Writer Julio Rosas" -> Rosas,
        # "the chairman of the Police Federation, which represents officers" -> chairman
        head = self._head_offset(start, end)
        if head is not None:
            for i, m in inside:
                if m.start <= head < m.end and m.label != "PRONOUN" and m.entity is not None:
                    return self._answer(m.entity, stripped)
            for a_s, a_e, desc, h_s, _ in self._anon:
                if h_s == head:
                    return None, desc, "anonymous"
        # "One said ..." after "Officials within the administration ...": one of them
        low = stripped.lower()
        if low in ("one", "another", "some", "others", "several", "many", "both") or \
                re.fullmatch(r"(one|two|some|several|many|most|none) of (them|those)", low):
            prev = [a for a in self._anon if a[1] <= start]
            if prev:
                return None, f"{stripped} {prev[-1][4]}".strip(), "anonymous"
            return None, stripped, "anonymous"
        # anonymous description starting where the span starts (and no name in the span)
        if not names:
            for a_s, a_e, desc, _, _ in self._anon:
                if a_s < end and a_e > start and (abs(a_s - s0) <= 3 or (a_s >= start and a_e <= end)):
                    return None, desc, "anonymous"
        if names:
            # the last name in the span is the head in "Townhall Senior Writer Julio Rosas"
            pers = [x for x in names if x[1].label == "PERSON"]
            i, m = pers[-1] if pers else names[0]
            return self._answer(m.entity, stripped)
        idx = self.entity_at(start, end)
        if idx is not None:
            return self._answer(idx, stripped)
        if stripped:
            outlet = canonical_outlet(stripped)
            if outlet:
                return None, outlet, "outlet"
        return None, stripped, "unknown"

    def _answer(self, idx: int | None, stripped: str) -> tuple[int | None, str, str]:
        if idx is None:
            return None, stripped, "unknown"
        ent = self.entities[idx]
        return idx, ent.name, _KIND_OF_TYPE[ent.type]

    def _head_offset(self, start: int, end: int) -> int | None:
        """Character offset of the syntactic head of text[start:end], when the parse is at hand."""
        if self._doc is None:
            return None
        span = self._doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return span.root.idx


# -- mention collection --------------------------------------------------------------------------

@dataclass
class _M:
    start: int  # token indices [start, end)
    end: int
    label: str
    text: str = ""
    key: str = ""  # grouping key
    ent: int | None = None
    title_of: int | None = None  # for TITLE: index of the person mention holding it
    former: bool = False
    gender: str | None = None
    head: int = -1


def _is_role(tok) -> bool:
    low = tok.lower_
    if low in _TITLE_ABBREV or (low in _NOBLE and tok.is_lower):
        return True
    if low in ("second", "third", "no.") and tok.i + 2 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "in" \
            and tok.doc[tok.i + 2].lower_ == "command":
        return True  # "the second in command at the Department of Homeland Security"
    if tok.pos_ not in ("NOUN", "PROPN") and low not in ("chief", "head"):
        return False
    lemma = tok.lemma_.lower()
    return low in _ROLE_NOUNS or lemma in _ROLE_NOUNS


def _role_lemma(tok) -> str:
    low = tok.lower_
    if low in _TITLE_ABBREV:
        return _TITLE_ABBREV[low]
    lem = tok.lemma_.lower()
    if lem in ("spokesman", "spokeswoman", "spokespeople"):
        return "spokesperson"
    if lem in ("congressman", "congresswoman"):
        return "representative"
    if lem in ("chairman", "chairwoman", "chairperson"):
        return "chair"
    if lem in ("advisor",):
        return "adviser"
    return lem if lem in _ROLE_NOUNS else low


def _clean_ents(doc) -> list[tuple[int, int, str]]:
    """NER spans with the small model's slips repaired: split at lower-case words and at role
    words inside a name ("Border Patrol Chief Ortiz"), 'the' and possessives stripped; FAC is
    taken as ORG and LOC as GPE."""
    out = []
    for e in doc.ents:
        label = {"FAC": "ORG", "LOC": "GPE"}.get(e.label_, e.label_)
        if label not in ("PERSON", "ORG", "GPE", "NORP", "WORK_OF_ART"):
            continue
        pieces, cur = [], []
        for t in e:
            if t.lower_ in ("on", "in", "at", "to") and t.i > e.start and doc[t.i - 1].lower_ not in _ORG_WORDS:
                if cur:
                    pieces.append(cur)
                cur = []
                continue  # "Washington Times on Mayorkas" (but "Council on Foreign Relations")
            inner_article = t.lower_ in ("a", "an") and e.start < t.i < e.end - 1 \
                and doc[t.i - 1].lower_ in ("for", "of", "to") and doc[t.i + 1].is_title  # "Committee for a Responsible ..."
            if (t.is_lower and t.lower_ not in _NAME_CONNECTORS and not t.is_punct and not inner_article) or "\n" in t.text \
                    or (t.text == "-" and (t.whitespace_ or (t.i > 0 and doc[t.i - 1].whitespace_))) \
                    or t.text in ('"', "\u201c", "\u201d", "(", ")", ",", ";", ":", "\u2014", "\u2013"):
                if cur:
                    pieces.append(cur)
                cur = []
            else:
                cur.append(t)
        if cur:
            pieces.append(cur)
        for p in pieces:
            cut = None
            if label in ("ORG", "NORP", "GPE", "PERSON") and len(p) >= 2:
                cut = next((k for k, t in enumerate(p) if k < len(p) - 1 and t.is_title and
                            (t.lower_ in _TITLE_ABBREV or t.lower_ in _ROLE_NOUNS or t.lower_ + "." in _TITLE_ABBREV)
                            and p[k + 1].is_title and p[k + 1].lower_ not in _ROLE_NOUNS
                            and p[k + 1].lower_ not in _NAME_CONNECTORS), None)
            if cut is not None:
                if cut > 0:
                    out.append((p[0].i, p[cut].i, label if label != "PERSON" else "ORG"))
                out.append((p[cut + 1].i, p[-1].i + 1, "PERSON"))
                continue
            s, en = p[0].i, p[-1].i + 1
            if label == "PERSON" and en - s >= 2 and doc[en - 1].lower_ in _ROLE_NOUNS \
                    and (doc[en - 1].is_title or doc[en - 1].is_upper):
                if doc[en - 1].dep_ in ("conj", "appos") and _is_role(doc[en - 1].head):
                    continue  # "a Cabinet Office minister and Bolton West MP": a title, not a name
                en -= 1  # "Ruth Kelly MP": the role follows the name
            while s < en and (doc[s].lower_ in _LEADING_JUNK or doc[s].is_punct or (doc[s].pos_ == "ADP" and en - s > 1)):
                s += 1  # "Across Wales": a sentence-initial preposition is not part of the name
            while en > s and (doc[en - 1].is_punct and doc[en - 1].text not in (".",) or doc[en - 1].lower_ in ("'s", "'", "\u2019s", "\u2019")
                              or doc[en - 1].lower_ in _NAME_CONNECTORS):
                en -= 1
            if en > s:
                out.append((s, en, label))
    return _repair_spans(doc, out)


# Honorifics and noble/royal titles that open a person's name ("Mr Kilroy-Silk", "Lord Carlile").
_NAME_OPENERS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame", "lord",
                 "lady", "baroness", "baron", "prince", "princess", "king", "queen", "prof", "prof.",
                 "rev", "rev.", "mx", "mx."}
_NOBLE = {"lord", "lady", "baroness", "baron", "prince", "princess", "king", "queen"}
# Titles written before a name ("Secretary Alejandro Mayorkas", "Chief Ortiz"); lower-case role
# nouns ("spokesman Mark Croucher") also qualify.
_PRENAME_TITLES = {"president", "secretary", "commissioner", "chief", "senator", "governor", "director",
                   "judge", "justice", "mayor", "minister", "chancellor", "speaker", "officer", "agent",
                   "deputy", "inspector", "sheriff", "ambassador", "professor", "chairman", "chairwoman",
                   "councillor", "councilman", "councilwoman", "bishop", "father", "pastor", "coach",
                   "representative", "congressman", "congresswoman", "detective", "sergeant", "captain",
                   "lieutenant", "colonel", "commander", "superintendent", "attorney", "prosecutor",
                   "solicitor", "spokesman", "spokeswoman", "spokesperson", "leader", "premier", "dr"}
# Political parties: surface form (lower case) -> canonical party name.
_PARTIES = {
    "conservative party": "Conservative Party", "conservatives": "Conservative Party",
    "conservative": "Conservative Party", "tories": "Conservative Party", "tory": "Conservative Party",
    "labour party": "Labour Party", "labour": "Labour Party",
    "liberal democrats": "Liberal Democrats", "liberal democrat": "Liberal Democrats",
    "lib dems": "Liberal Democrats", "lib dem": "Liberal Democrats",
    "uk independence party": "UK Independence Party", "ukip": "UK Independence Party",
    "scottish national party": "Scottish National Party", "snp": "Scottish National Party",
    "plaid cymru": "Plaid Cymru", "green party": "Green Party", "greens": "Green Party",
    "republican party": "Republican Party", "republicans": "Republican Party",
    "republican": "Republican Party", "gop": "Republican Party",
    "democratic party": "Democratic Party", "democrats": "Democratic Party",
    "democrat": "Democratic Party", "democratic": "Democratic Party",
    "reform uk": "Reform UK", "brexit party": "Brexit Party", "sinn fein": "Sinn Fein",
    "dup": "Democratic Unionist Party", "democratic unionist party": "Democratic Unionist Party",
}
# Social platforms are organisations, never people.
_PLATFORMS = {"twitter", "facebook", "instagram", "youtube", "tiktok", "telegram", "whatsapp",
              "truth social", "reddit", "linkedin", "snapchat", "threads", "x.com", "google", "apple"}


def _is_name_token(t) -> bool:
    return (t.is_title or (t.is_upper and len(t) > 1)) and t.pos_ in ("PROPN", "NOUN", "ADJ", "VERB", "X") \
        and t.lower_ not in _ROLE_NOUNS and not t.like_num


# Lower-case particles inside a person's name: "Bill de Blasio", "Ursula von der Leyen".
_NAME_PARTICLES = {"de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le",
                   "bin", "ibn", "al", "el", "dos", "das"}


def _name_run(doc, i: int, limit: int = 4) -> int:
    """End of the run of name tokens starting at i ("Kilroy - Silk", "Nicholls of Birkenhead")."""
    j = i
    end = i
    while j < len(doc) and j - i < limit + 3:
        t = doc[j]
        if t.is_space and "\n" not in t.text and j > i:
            j += 1  # a non-breaking space inside a name
            continue
        if _is_name_token(t) and not (j > i and t.is_sent_start and (doc[j - 1].is_punct or "\n" in doc[j - 1].text)):
            j += 1
            end = j
            continue
        if t.text == "-" and j > i and not t.whitespace_ and j + 1 < len(doc) and doc[j + 1].is_title \
                and not doc[j - 1].whitespace_:
            j += 2
            end = j
        elif t.lower_ == "of" and j > i and j + 1 < len(doc) and doc[j + 1].is_title and doc[j + 1].pos_ == "PROPN" \
                and doc[j - 1].lower_ not in _NAME_OPENERS:
            j += 2
            end = j
        elif t.is_lower and t.lower_ in _NAME_PARTICLES and j > i and j + 1 < len(doc) \
                and doc[j + 1].is_title and doc[j + 1].pos_ == "PROPN":
            j += 2  # "Bill de Blasio", "Ursula von der Leyen"
            end = j
        else:
            break
    return end


def _repair_spans(doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Add what grammar makes certain and the small NER model misses: names after honorifics and
    role words, party names, acronyms from the table; drop spans they overlap."""
    forced: list[tuple[int, int, str]] = []
    n = len(doc)
    for i, t in enumerate(doc):
        low = t.lower_
        # "Mr Kilroy-Silk", "Lord Nicholls of Birkenhead", "Sir Alan Budd"
        nxt = i + 1
        while nxt < n and doc[nxt].is_space and "\n" not in doc[nxt].text:
            nxt += 1
        if low in _NAME_OPENERS and (t.is_title or t.is_upper) and nxt < n:
            j = _name_run(doc, nxt)
            if j > nxt and not doc[nxt].is_punct:
                start = i if low in _NOBLE else nxt
                forced.append((start, j, "PERSON"))
            continue
        # "Secretary Alejandro Mayorkas", "spokesman Mark Croucher": a role word then a proper name
        if (low in _TITLE_ABBREV or low in _PRENAME_TITLES or (t.is_lower and low in _ROLE_NOUNS and t.pos_ == "NOUN")) and nxt < n \
                and doc[nxt].pos_ == "PROPN" and doc[nxt].is_title and low not in ("head", "source", "people", "person"):
            j = _name_run(doc, nxt, limit=3)
            words = {x.lower_ for x in doc[nxt:j]}
            text = doc[nxt:j].text.lower()
            if j > nxt and not (words & _ORG_WORDS) and text not in _OUTLET_OF and text not in _PARTIES \
                    and text.upper() not in _ACRONYMS and not any(x.ent_type_ in ("GPE", "DATE", "NORP", "LOC") for x in doc[nxt:j]) \
                    and (j >= n or not doc[j].is_title or doc[j].is_sent_start):
                forced.append((nxt, j, "PERSON"))
    # parties (longest surface form first) and table acronyms
    i = 0
    while i < n:
        if not (doc[i].is_title or doc[i].is_upper):
            i += 1
            continue
        hit = None
        for L in (3, 2, 1):
            if i + L > n:
                continue
            span = doc[i:i + L]
            if not all(x.is_title or x.is_upper for x in span if x.lower_ not in ("of", "and")):
                continue
            low = span.text.lower()
            if low in _PARTIES and not (L == 1 and span[0].is_sent_start and low in ("labour", "conservative", "democratic")):
                hit = (i, i + L, "ORG")
                break
        if hit is None and doc[i].is_upper and len(doc[i]) >= 3 and doc[i].text in _ACRONYMS and doc[i].text != "WHO":
            hit = (i, i + 1, "ORG")
        if hit:
            forced.append(hit)
            i = hit[1]
        else:
            i += 1
    if not forced:
        return spans
    covered = set()
    for s, e, _ in forced:
        covered.update(range(s, e))
    kept = []
    for s, e, label in spans:
        if any(k in covered for k in range(s, e)):
            # keep a longer NER span that only contains a forced party/acronym ("Labour Party")
            inner = [f for f in forced if f[0] >= s and f[1] <= e]
            if label in ("ORG", "PERSON") and inner and all(f[2] == "ORG" for f in inner) and \
                    doc[s:e].text.lower() in _PARTIES:
                continue
            continue
        kept.append((s, e, label))
    # a forced span inside a longer forced one is dropped
    forced.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    last_end = -1
    for s, e, label in forced:
        if s < last_end:
            continue
        kept.append((s, e, label))
        last_end = e
    return sorted(kept)


_CHANNEL_WORDS = {"one", "two", "three", "four", "radio", "world", "service", "scotland", "wales",
                  "breakfast", "parliament", "america", "international", "live", "extra", "online"}


def _extend_channel(doc, s: int, e: int) -> int:
    """Grow a broadcaster's name over its channel words: "BBC" + "One", "BBC News" + "24"."""
    if doc[s].lower_ not in _BROADCASTERS and doc[s:min(e, s + 2)].text.lower() not in _BROADCASTERS:
        return e
    while e < len(doc) and e - s < 5 and doc[e - 1].whitespace_ and \
            (doc[e].like_num or (doc[e].is_title and doc[e].lower_ in _CHANNEL_WORDS)):
        e += 1
    return e


def _span_text(doc, s: int, e: int) -> str:
    return doc[s:e].text if e > s else ""


def _person_name_tokens(doc, s: int, e: int) -> tuple[int, int, str | None, list[int]]:
    """Strip honorifics / title words at the start of a PERSON span; return name bounds, gender, title tokens."""
    gender = None
    title_toks = []
    while s < e - 1:
        low = doc[s].lower_
        if low in _NOBLE:
            gender = _HONORIFICS.get(low) or _GENDER_ROLE.get(low) or gender
            break
        if low in _HONORIFICS:
            gender = _HONORIFICS[low] or gender
            s += 1
        elif low in _TITLE_ABBREV or (doc[s].lower_ in _ROLE_NOUNS and doc[s].is_title) \
                or low.rstrip(".") in ("president", "secretary", "senator", "governor", "chief"):
            title_toks.append(s)
            s += 1
        else:
            break
    return s, e, gender, title_toks


def _name_key_tokens(text: str) -> list[str]:
    """Words of a person's name without honorifics, role abbreviations and suffixes (noble titles kept)."""
    t = _fold(text)
    t = re.sub(r"['\u2019]s?$", "", t)
    t = re.sub(r"\s*-\s*", "-", t)
    words = [w.strip(".,\"'") for w in re.split(r"\s+", t) if w]
    words = [w for w in words if w]
    while words and words[0].lower() not in _NOBLE and (words[0].lower() in _HONORIFICS or words[0].lower() + "." in _HONORIFICS):
        words = words[1:]
    while words and (words[0].lower() in _TITLE_ABBREV or words[0].lower() + "." in _TITLE_ABBREV):
        words = words[1:]
    return [w for w in words if w.lower() not in ("jr", "sr", "ii", "iii", "iv")]


@lru_cache(maxsize=65536)
def _name_parts(text: str) -> tuple[str | None, str | None, bool]:
    """(first name, surname, noble) of a person's name, lower case: "Lord Nicholls of Birkenhead" ->
    (None, "nicholls", True); "Alejandro Mayorkas" -> ("alejandro", "mayorkas", False)."""
    words = [w.lower() for w in _name_key_tokens(text)]
    noble = bool(words) and words[0] in _NOBLE
    core = [w for w in words if w not in _NOBLE]
    if "of" in core[1:]:
        core = core[:core.index("of", 1)]
    # particles belong to the surname: "Bill de Blasio" and "De Blasio" share ("blasio")
    core = [w for k, w in enumerate(core) if w not in _NAME_PARTICLES or k == len(core) - 1]
    if not core:
        return None, None, noble
    if len(core) == 1:
        return None, core[0], noble
    return core[0].rstrip("."), core[-1], noble


def _title_span(doc, r: int, stop: int | None = None) -> tuple[int, int]:
    """Token bounds of the title noun phrase headed by role noun ``r`` (determiner excluded)."""
    tok = doc[r]
    s = r
    # contiguous pre-modifiers inside the role noun's subtree (or its compound chain)
    while s - 1 >= 0:
        p = doc[s - 1]
        if p.is_sent_end or "\n" in p.text_with_ws:
            break
        if p.lower_ in ("the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "whose") \
                or p.tag_ in ("DT", "PRP$", "WP$", "POS"):
            break
        if p.pos_ in ("PROPN", "NOUN", "ADJ", "NUM") or p.text in ("-",) or p.lower_ in _FORMER \
                or p.lower_ in _TITLE_ABBREV or (p.pos_ == "VERB" and p.tag_ == "VBG" and p.dep_ in ("amod", "compound")):
            if p.text in (",",):
                break
            if p.head.i < s - 1 and p.dep_ not in ("compound", "amod", "nmod", "nummod", "npadvmod") \
                    and not (p.dep_ == "conj" and p.head.dep_ in ("amod", "compound", "nmod") and p.head.head.i == r):
                break  # (but "state" in "Federal and state officials" is a modifier's conjunct)
            s -= 1
            continue
        if p.text == "." and s - 2 >= 0 and doc[s - 2].is_upper:
            s -= 1
            continue
        if p.lower_ in ("and", "or") and s - 2 >= 0 and doc[s - 2].pos_ in ("ADJ", "NOUN", "PROPN") \
                and doc[s - 2].dep_ in ("amod", "compound", "nmod") and doc[s - 2].head.i == r and s < r:
            s -= 1  # "Federal and state officials": coordinated modifiers
            continue
        if p.dep_ == "case" and p.head.i < s - 1:  # "the agency 's"
            break
        break
    # strip a leading possessive marker chain ("CBP's")
    e = r + 1
    # post-modifiers: "of CBP", "at the Department of Homeland Security", "for the ACLU"
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "at", "for", "in", "to", "with", "on") and child.i == e:
            last = max(x.i for x in child.subtree)
            for x in range(child.i, last + 1):
                if doc[x].text in ("(", ",", ";", "\u2014", "--") or "\n" in doc[x].text:
                    last = x - 1
                    break
            if stop is not None and last >= stop:
                last = stop - 1
            if last - r > 12:
                break
            e = last + 1
        else:
            break
    while e > r + 1 and (doc[e - 1].is_punct or doc[e - 1].lower_ in ("'s", "\u2019s")):
        e -= 1
    return s, e


def _is_title_case_span(doc, s, e):
    return any(doc[i].is_title or doc[i].is_upper for i in range(s, e))


# -- analysis ------------------------------------------------------------------------------------

def analyze_entities(doc, article: Article) -> EntityAnalysis:
    """Find the mentions and the article-local entities (within-article coreference) of an article.

    Args:
        doc: the spaCy Doc of ``article.text`` (NER and dependency parse).
        article: the cleaned article (``id``, ``published`` and ``outlet`` are used).
    Returns:
        An :class:`EntityAnalysis`; mention offsets are into ``article.text``.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> ea = analyze_entities(load_nlp()(article.text), article)  # doctest: +SKIP
    >>> ea.resolve(start, end)  # doctest: +SKIP
    (0, 'Alejandro Mayorkas', 'person')
    """
    doc_text = doc.text
    if doc_text != article.text:
        where = next((i for i, (a, b) in enumerate(zip(doc_text, article.text)) if a != b),
                     min(len(doc_text), len(article.text)))
        raise ValueError(f"article {article.id}: the spaCy Doc is not a parse of article.text (they differ "
                         f"from character {where}; {len(doc_text)} vs {len(article.text)} characters); "
                         "pass nlp(article.text)")
    return _Analyzer(doc, article).run()


class _Analyzer:
    def __init__(self, doc, article: Article) -> None:
        self.doc = doc
        self.article = article
        self.ms: list[_M] = []
        self.taken: set[int] = set()  # tokens inside a name/org/outlet mention
        self.anon: list[tuple[int, int, str, int, str]] = []
        self.acro_long: dict[str, str] = {}  # acronym -> long org key (from the article)
        self._left_role: set[int] = set()  # role tokens whose holder left the role

    # -- collection
    def run(self) -> EntityAnalysis:
        self._collect_ner()
        self._collect_outlets_from_text()
        self._find_acronyms()
        self._collect_titles()
        self._collect_pronouns()
        entities = self._group()
        self._fix_missed_surnames(entities)
        self._link_org_descriptions(entities)
        return self._finish(entities)

    def _add(self, m: _M) -> _M:
        self.ms.append(m)
        if m.label not in ("TITLE", "PRONOUN"):
            self.taken.update(range(m.start, m.end))
        return m

    def _collect_ner(self) -> None:
        doc = self.doc
        for s, e, label in _clean_ents(doc):
            text = _span_text(doc, s, e)
            if label in ("FAC", "LOC"):
                continue
            if any(t.text.startswith("@") or "_" in t.text or t.like_url or "http" in t.lower_ or "/" in t.text
                   for t in doc[s:e]):
                continue
            with_the = s > 0 and doc[s - 1].lower_ == "the"
            outlet = canonical_outlet(("the " if with_the else "") + text) if label in ("ORG", "WORK_OF_ART", "NORP", "PERSON", "GPE") else None
            if outlet and label == "PERSON" and text.lower() not in _OUTLET_OF:
                outlet = None  # a person named like an outlet ("Emily Post")
            if outlet and label == "GPE" and text.lower() not in _OUTLET_OF:
                outlet = None
            if outlet:
                e = _extend_channel(doc, s, e)
                text = _span_text(doc, s, e)
                outlet = canonical_outlet(text) or outlet
                self._add(_M(s, e, "OUTLET", text, key="outlet:" + outlet))
                continue
            if label == "WORK_OF_ART":
                continue
            if label == "PERSON":
                words = [t.lower_ for t in doc[s:e]]
                if (any(w in _ORG_WORDS for w in words) and not (s > 0 and doc[s - 1].lower_ in _NAME_OPENERS)) \
                        or all(t.is_upper and len(t) > 1 for t in doc[s:e]) or text.lower() in _PLATFORMS \
                        or text.lower() in _PARTIES:
                    label = "ORG"
            if label == "ORG" and e - s >= 2 and not any(t.lower_ in _ORG_WORDS for t in doc[s:e]) \
                    and all(t.is_title for t in doc[s:e]) and _has_person_apposition(doc[s:e]):
                label = "PERSON"  # "Emily Post, an etiquette writer," tagged ORG
            if label == "PERSON":
                ns, ne, gender, title_toks = _person_name_tokens(doc, s, e)
                # honorific just before the span ("Mr. Mayorkas" tagged "Mayorkas")
                if ns == s and s > 0 and doc[s - 1].lower_ in _HONORIFICS:
                    gender = _HONORIFICS[doc[s - 1].lower_] or gender
                toks = _name_key_tokens(_span_text(doc, ns, ne))
                if not toks:
                    continue
                m = self._add(_M(ns, ne, "PERSON", _span_text(doc, ns, ne), gender=gender))
                m.head = ne - 1
                continue
            if label in ("ORG", "NORP", "GPE") and e - s == 1 and (doc[s].lower_ in _HONORIFICS or doc[s].lower_ in _ROLE_NOUNS):
                continue  # "MEP", "Mr": a title, not an organisation
            self._add(_M(s, e, label, text))

    def _collect_outlets_by_grammar(self) -> None:
        """Names that a media noun classifies as an outlet: "the Herald newspaper", "Thursday's Sun
        newspaper", "media outlet Townhall"."""
        doc = self.doc
        person_tokens = {i for m in self.ms if m.label == "PERSON" for i in range(m.start, m.end)}
        for t in doc:
            if t.lemma_.lower() not in _MEDIA_NOUNS or t.pos_ != "NOUN":
                continue
            # proper-name run right before the noun, or right after it (apposition)
            for direction in (-1, 1):
                j = t.i + direction
                run = []
                while 0 <= j < len(doc) and (doc[j].is_title or doc[j].is_upper or doc[j].like_num) \
                        and doc[j].pos_ == "PROPN" and len(run) < 4:
                    run.append(j)
                    j += direction
                if not run or any(k in person_tokens for k in run):
                    continue
                s, e = min(run), max(run) + 1
                if doc[s:e].text.lower() in _PARTIES or any(doc[k].ent_type_ in ("NORP", "DATE", "GPE") for k in run):
                    continue
                name = canonical_outlet("the " + doc[s:e].text) or canonical_outlet(doc[s:e].text) or doc[s:e].text
                for m in [m for m in self.ms if m.start < e and m.end > s and m.label in ("ORG", "OUTLET", "GPE", "NORP")]:
                    self.ms.remove(m)
                self._add(_M(s, e, "OUTLET", doc[s:e].text, key="outlet:" + name))
                break

    def _collect_outlets_from_text(self) -> None:
        """Outlets the NER missed: table names written in title case outside other mentions."""
        self._collect_outlets_by_grammar()
        doc = self.doc
        n = len(doc)
        i = 0
        while i < n:
            if i in self.taken or not (doc[i].is_title or doc[i].is_upper):
                i += 1
                continue
            found = None
            for L in (4, 3, 2, 1):
                j = i + L
                if j > n or any(k in self.taken for k in range(i, j)):
                    continue
                span = doc[i:j]
                if not all(t.is_title or t.is_upper or t.lower_ in ("of", "the", "and") or t.like_num for t in span):
                    continue
                low = _fold(span.text).lower()
                if low in _OUTLET_OF and low not in _AMBIGUOUS_OUTLET_ALIASES:
                    found = (i, j, _OUTLET_OF[low])
                    break
            if found:
                s, e, name = found
                e2 = _extend_channel(doc, s, e)
                if e2 > e and not any(k in self.taken for k in range(e, e2)):
                    e = e2
                    name = canonical_outlet(_span_text(doc, s, e)) or name
                self._add(_M(s, e, "OUTLET", _span_text(doc, s, e), key="outlet:" + name))
                i = e
            else:
                i += 1

    def _find_acronyms(self) -> None:
        """'Immigration and Customs Enforcement (ICE)' and 'ICE (Immigration and ...)' anywhere in the text."""
        doc = self.doc
        for i, t in enumerate(doc):
            if t.text != "(" or i + 2 >= len(doc) or doc[i + 2].text != ")":
                continue
            inner = doc[i + 1]
            if re.fullmatch(r"[A-Z][A-Za-z&]{1,7}", inner.text) and sum(c.isupper() for c in inner.text) >= 2:
                # long form: the mention ending right before "("
                long = next((m for m in self.ms if m.end == i and m.label in ("ORG", "GPE", "NORP", "PERSON", "OUTLET")), None)
                if long is not None and long.text.upper() != inner.text.upper() and _initials_match(inner.text, long.text):
                    self.acro_long[inner.text.upper()] = _org_key(long.text)
                    if long.label == "PERSON":
                        long.label = "ORG"
                    if i + 1 not in self.taken:
                        self._add(_M(i + 1, i + 2, "ORG", inner.text))
                    continue
                # no NER span: the title-case run before "("
                s = i
                while s - 1 >= 0 and (doc[s - 1].is_title or doc[s - 1].lower_ in ("of", "and", "for", "the", "on")) \
                        and not doc[s - 1].is_sent_end:
                    s -= 1
                while s < i and doc[s].lower_ in ("of", "and", "for", "the", "on"):
                    s += 1
                if s < i and _initials_match(inner.text, _span_text(doc, s, i)):
                    self.acro_long[inner.text.upper()] = _org_key(_span_text(doc, s, i))
                    inside = [m for m in self.ms if m.start >= s and m.end <= i]
                    if all(k not in self.taken or any(m.start <= k < m.end for m in inside) for k in range(s, i)) \
                            and all(m.label in ("ORG", "GPE", "NORP", "PERSON") for m in inside):
                        # the NER's piece ("Homeland Security" of "Homeland Security Investigations") grows
                        for m in inside:
                            self.ms.remove(m)
                        self._add(_M(s, i, "ORG", _span_text(doc, s, i)))
                    if i + 1 not in self.taken:
                        self._add(_M(i + 1, i + 2, "ORG", inner.text))
            else:
                # "ICE (Immigration and Customs Enforcement)"
                j = i + 1
                while j < len(doc) and doc[j].text != ")" and j - i < 12:
                    j += 1
                if j >= len(doc) or doc[j].text != ")" or i == 0:
                    continue
                prev = doc[i - 1]
                if re.fullmatch(r"[A-Z][A-Za-z&]{1,7}", prev.text) and _initials_match(prev.text, _span_text(doc, i + 1, j)):
                    self.acro_long[prev.text.upper()] = _org_key(_span_text(doc, i + 1, j))
        # every standalone occurrence of an article-defined acronym is an ORG mention
        acrs = set(self.acro_long)
        if acrs:
            for i, t in enumerate(doc):
                if t.text in acrs and i not in self.taken:
                    self._add(_M(i, i + 1, "ORG", t.text))

    def _collect_titles(self) -> None:
        doc = self.doc
        person_at = {}
        for k, m in enumerate(self.ms):
            if m.label == "PERSON":
                for i in range(m.start, m.end):
                    person_at[i] = k
        used_roles: set[int] = set()
        # 1. title prefixes: "Homeland Security Secretary Alejandro Mayorkas", "Chief Ortiz"
        for k, m in list(enumerate(self.ms)):
            if m.label != "PERSON":
                continue
            r = None
            i = m.start - 1
            # walk left over the contiguous pre-name region (no determiner, punctuation or verb)
            while i >= 0 and i not in person_at:
                t = doc[i]
                if t.is_sent_end and i != m.start - 1 or "\n" in t.text_with_ws:
                    break
                if _is_role(t) and r is None:
                    r = i
                if t.pos_ in ("PROPN", "NOUN", "ADJ", "NUM") or t.lower_ in _FORMER or t.lower_ in _TITLE_ABBREV \
                        or t.text in ("-",) or (t.lower_ in ("of", "for", "at") and r is None) or (t.tag_ == "VBG" and t.dep_ in ("amod", "compound")):
                    i -= 1
                    continue
                break
            if r is None:
                continue
            s = i + 1
            while s < r and (doc[s].lower_ in _NAME_CONNECTORS or doc[s].is_punct):
                s += 1
            e = m.start
            if e <= s:
                continue
            # the title's of-phrase may have been swallowed: keep tokens up to the name
            tm = self._add(_M(s, e, "TITLE", _span_text(doc, s, e), title_of=k, head=r))
            tm.former = any(doc[x].lower_ in _FORMER for x in range(max(0, s - 1), e))
            used_roles.update(range(s, e))
        # 1b. a role written right after the name: "Ruth Kelly MP", "John Smith QC"
        for k, m in list(enumerate(self.ms)):
            if m.label != "PERSON" or m.end >= len(doc):
                continue
            t = doc[m.end]
            if (t.is_upper or t.is_title) and _is_role(t) and t.i not in used_roles and t.pos_ == "PROPN" \
                    and (m.end + 1 >= len(doc) or not doc[m.end + 1].is_title):
                tm = self._add(_M(t.i, t.i + 1, "TITLE", t.text, title_of=k, head=t.i))
                used_roles.add(t.i)
        # 2. other role-noun phrases
        for t in doc:
            if t.i in used_roles or t.i in person_at or not _is_role(t):
                continue
            if t.i in self.taken and not (t.is_lower):
                continue
            # skip a role noun that only modifies a higher role noun ("police officer")
            if t.dep_ == "compound" and _is_role(t.head) and t.head.i > t.i:
                continue
            s, e = _title_span(doc, t.i)
            if any(x in person_at for x in range(s, e)):
                # a person inside the title phrase: the title is "X of Y"; cut before the name
                first = min(x for x in range(s, e) if x in person_at)
                if first <= t.i:
                    continue
                e = first
            det = None
            if s > 0 and doc[s - 1].tag_ in ("DT", "PRP$", "CD") or (s > 0 and doc[s - 1].lower_ in _ANON_DETS):
                det = doc[s - 1]
            # left determiners/quantifiers: "two sources", "a senior official", "several current and former"
            q = s - 1
            while q >= 0 and (doc[q].lower_ in _ANON_DETS or doc[q].tag_ in ("DT", "CD") or doc[q].lower_ in ("and", "or")) \
                    and not doc[q].is_sent_end:
                q -= 1
            qs = q + 1
            holder = self._holder_by_grammar(t, person_at)
            former = any(doc[x].lower_ in _FORMER for x in range(max(0, qs), e)) or t.i in self._left_role
            tm = _M(s, e, "TITLE", _span_text(doc, s, e), title_of=holder, former=former, head=t.i)
            plural = t.tag_ in ("NNS", "NNPS")
            lead = doc[qs].lower_ if qs < s else ""
            definite = lead in ("the", "this", "that", "its", "his", "her", "their", "our") or \
                (det is not None and det.tag_ == "PRP$") or (t.is_title and qs == s and not doc[s].is_sent_start)
            anonymous = holder is None and (lead in _ANON_DETS or (plural and not definite)
                                            or (not definite and qs == s and t.is_lower))
            if holder is None and not definite and not anonymous:
                anonymous = True
            if anonymous and holder is None:
                if t.lower_ in _SOURCE_NOUNS or _role_lemma(t) in _SOURCE_NOUNS or t.lemma_.lower() in _SOURCE_NOUNS \
                        or plural or lead in _ANON_DETS:
                    # description runs over its post-modifiers: "familiar with the matter"
                    end_i = e - 1
                    for c in t.rights:
                        if c.dep_ in ("amod", "prep") and c.i > end_i:
                            end_i = max(x.i for x in c.subtree)
                    end_i = min(end_i, e - 1 + 12)
                    while end_i > e - 1 and (doc[end_i].is_punct):
                        end_i -= 1
                    while qs < s and doc[qs].lower_ in ("and", "or"):
                        qs += 1
                    a_s, a_e = doc[qs].idx, doc[end_i].idx + len(doc[end_i].text)
                    self.anon.append((a_s, a_e, self.article.text[a_s:a_e], t.idx, t.lemma_.lower()))
                tm.label = "TITLE"
                tm.key = "anon"
            self._add(tm)
            used_roles.update(range(s, e))

    def _holder_by_grammar(self, t, person_at, depth: int = 0) -> int | None:
        """The person a role noun is linked to by apposition, copula or "as", else None.

        Sets ``self._left_role`` when the link says the role was left ("quit as home secretary").
        """
        doc = self.doc
        # "a Cabinet Office minister and Bolton West MP": a conjoined role has the same holder
        if t.dep_ == "conj" and _is_role(t.head) and depth < 3:
            return self._holder_by_grammar(t.head, person_at, depth + 1)
        # "Mayorkas, the DHS secretary," : role appos to the name
        if t.dep_ == "appos" and t.head.i in person_at:
            return person_at[t.head.i]
        # "the DHS secretary, Alejandro Mayorkas,": name appos to the role (also after a relative
        # clause: "the chairman of the federation, which represents officers, Jan Berry,")
        for c in t.children:
            if c.dep_ == "appos" and c.i in person_at:
                return person_at[c.i]
        for c in t.subtree:
            if c.dep_ == "appos" and c.i in person_at and c.i > t.i and c.head.i != t.i \
                    and not any(x.i in person_at for x in doc[t.i:c.i]):
                return person_at[c.i]
        # "Magnus is the commissioner", "Nielson, who is UKIP Scotland chairman,"
        verb = t.head
        if t.dep_ in ("attr", "oprd") and verb.lemma_ in ("be", "become", "remain", "serve", "name", "appoint", "elect"):
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    if c.i in person_at:
                        return person_at[c.i]
                    if c.lower_ in ("who", "that") and verb.dep_ == "relcl" and verb.head.i in person_at:
                        return person_at[verb.head.i]
        # "served as commissioner", "quit as home secretary"
        if t.dep_ == "pobj" and t.head.lower_ == "as" and t.head.head.pos_ in ("VERB", "AUX"):
            verb = t.head.head
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i in person_at:
                    if verb.lemma_ in _LEAVE_VERBS:
                        self._left_role.add(t.i)
                    return person_at[c.i]
        # token pattern: NAME , [the/a] ... ROLE  (parser misses the apposition)
        s = t.i
        while s > 0 and doc[s - 1].pos_ in ("PROPN", "NOUN", "ADJ", "DET", "NUM") and doc[s - 1].text != ",":
            s -= 1
        if s >= 2 and doc[s - 1].text == "," and (s - 2) in person_at and doc[s].lower_ in ("the", "a", "an"):
            return person_at[s - 2]
        return None

    def _collect_pronouns(self) -> None:
        for t in self.doc:
            low = t.lower_
            if low in _PRONOUNS and t.tag_ in ("PRP", "PRP$") and t.dep_ != "expl" \
                    and not (t.is_upper and len(t) > 1 and not t.sent.text.isupper()):
                if low == "it" and t.dep_ in ("nsubj",) and any(c.dep_ in ("ccomp", "xcomp") for c in t.head.children) \
                        and t.head.lemma_ == "be":
                    continue  # "it is clear that ..."
                self._add(_M(t.i, t.i + 1, "PRONOUN", t.text))
        self._collect_descriptions()

    def _collect_descriptions(self) -> None:
        """Definite descriptions of a person that act as anaphors: "the New York businessman
        said", "the billionaire argued". A singular subject headed by a people noun (a known
        source noun or an agent ending, ``attributions._names_people``) after "the"/"this", that
        is no title (titles find their holder in ``_group``), no anonymous source noun ("the
        official": ``_SOURCE_NOUNS``) and no bare "man"/"woman" (usually someone unnamed), is
        resolved like a pronoun whose gender the noun gives. They are PRONOUN mentions inside
        (key "defnp") and DESCRIPTION mentions in the output."""
        from .attributions import _names_people

        doc = self.doc
        titled = {i for m in self.ms if m.label == "TITLE" for i in range(m.start, m.end)}
        for t in doc:
            if t.pos_ != "NOUN" or t.tag_ != "NN" or t.dep_ not in _SUBJ_DEPS or t.i in self.taken or t.i in titled:
                continue
            det = next((c for c in t.children if c.dep_ == "det" and c.i < t.i), None)
            if det is None or det.lower_ not in ("the", "this"):
                continue
            lemma = t.lemma_.lower()
            if lemma in _ROLE_NOUNS or lemma in _SOURCE_NOUNS or lemma in _PLAIN_PEOPLE or not _names_people(t):
                continue
            if any(c.dep_ in ("poss", "relcl", "acl") or (c.dep_ == "prep" and c.lower_ == "of") for c in t.children):
                continue  # "the company's chairman", "the man who ...": not a bare anaphor
            gender = _GENDER_ROLE.get(lemma) or ("f" if lemma.endswith("woman") else
                                                 "m" if lemma.endswith("man") else None)
            m = _M(det.i + 1, t.i + 1, "PRONOUN", _span_text(doc, det.i + 1, t.i + 1), key="defnp",
                   gender=gender, head=t.i)
            self.ms.append(m)  # not _add: the words stay free for names inside ("New York")

    # -- grouping
    def _group(self) -> list[dict[str, Any]]:
        doc = self.doc
        ents: list[dict[str, Any]] = []
        by_key: dict[str, int] = {}

        def new(type_: str, name: str, key: str) -> int:
            ents.append(dict(type=type_, name=name, aliases=[], roles=[], gender=None, keys={key},
                             first=None, full=[]))
            by_key[key] = len(ents) - 1
            return len(ents) - 1

        order = sorted(range(len(self.ms)), key=lambda k: (self.ms[k].start, -self.ms[k].end))
        # "Helmut Panke" tagged ORG while "Panke" is tagged PERSON: a person
        single_names = {_fold(self.ms[k].text).lower() for k in order
                        if self.ms[k].label == "PERSON" and len(_name_key_tokens(self.ms[k].text)) == 1}
        for k in order:
            m = self.ms[k]
            words = m.text.split()
            if m.label in ("ORG", "GPE", "NORP") and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) \
                    and _fold(words[-1]).lower() in single_names and not any(w.lower() in _ORG_WORDS for w in words):
                m.label = "PERSON"
        # "the Trump administration", "the Biden team": a single name modifying these is a person
        doc = self.doc
        for k in order:
            m = self.ms[k]
            if m.label in ("ORG", "GPE", "NORP") and m.end - m.start == 1 and doc[m.start].is_title \
                    and doc[m.start].dep_ in ("compound", "nmod", "poss") \
                    and doc[m.start].head.lemma_.lower() in _LEADER_HEADS and m.text.lower() not in _PARTIES:
                m.label = "PERSON"
        # "the Times" in an article that names the Los Angeles Times
        full_outlets = {m.key for m in self.ms if m.label == "OUTLET" and len(m.key.split()) > 1}
        if self.article.outlet:
            full_outlets.add("outlet:" + (canonical_outlet(self.article.outlet) or self.article.outlet))
        for m in self.ms:
            word = re.sub(r"^the\s+", "", m.text.lower())
            if m.label == "OUTLET" and word in _OUTLET_SHAPE_WORDS:
                longer = sorted(k for k in full_outlets if k.lower().endswith(" " + word) and k != m.key)
                if len(longer) == 1:
                    m.key = longer[0]
        # persons: full names first (so surnames join them), in text order
        persons = [k for k in order if self.ms[k].label == "PERSON"]
        parts = {k: _name_parts(self.ms[k].text) for k in persons}
        fulls = [k for k in persons if parts[k][1] and (parts[k][0] or parts[k][2])]
        singles = [k for k in persons if parts[k][1] and not (parts[k][0] or parts[k][2])]
        full_ents: list[tuple[int, tuple]] = []  # (entity, (first, surname, noble))
        self._full_ents = full_ents
        for k in fulls:
            pk = parts[k]
            display = " ".join(_name_key_tokens(self.ms[k].text))
            match = next((idx for idx, fp in full_ents if _compatible_parts(pk, fp)), None)
            if match is None:
                match = new("person", display, "p:" + display.lower())
                full_ents.append((match, pk))
            elif len(display.split()) > len(ents[match]["name"].split()) and not pk[2]:
                ents[match]["name"] = display  # keep the longest form as canonical
            self.ms[k].ent = match
        single_genders: dict[str, set] = defaultdict(set)
        for k in singles:
            if self.ms[k].gender:
                single_genders[parts[k][1]].add(self.ms[k].gender)
        hon_gender: dict[int, set] = defaultdict(set)  # honorific genders seen per entity
        for k in fulls:
            if self.ms[k].gender:
                hon_gender[self.ms[k].ent].add(self.ms[k].gender)
        for k in singles:
            m = self.ms[k]
            low = parts[k][1]
            cands = [idx for idx, fp in full_ents if fp[1] == low]
            if m.gender:
                # "Mrs Howard" is not Michael Howard ("Mr Howard"); when both are written and the
                # full name's gender is unknown, neither joins it
                both = len(single_genders[low]) > 1
                cands = [c for c in cands if hon_gender[c] <= {m.gender} and (not both or hon_gender[c] == {m.gender})]
            if not cands:
                cands = [idx for idx, fp in full_ents if fp[0] == low]  # "Sir Alan" after "Sir Alan Budd"
            if len(cands) > 1:
                # several people share the surname: gender from the honorific, else the most recent
                if m.gender:
                    g = [c for c in cands if ents[c]["gender"] in (None, m.gender)
                         and any(self.ms[j].gender in (None, m.gender) for j in fulls if self.ms[j].ent == c)]
                    g = [c for c in g if any(self.ms[j].gender == m.gender for j in fulls if self.ms[j].ent == c)] or g
                    cands = g or cands
                # else the most salient of them before this mention (after Lappin & Leass: a
                # subject counts double, halved per sentence back), recency breaking ties:
                # "Former President Bill Clinton criticized ... for his wife Hillary Clinton. ...
                # 'It doesn't make any sense,' Clinton said" is Bill Clinton
                sent_no = self._sentence_numbers()
                here = sent_no[m.start]
                score: dict[int, float] = defaultdict(float)
                last: dict[int, int] = {}
                # every earlier mention counts: full names and bare surnames already resolved, a
                # little for each however far back (the article's main Cruz is "Cruz", his wife
                # named once near the end is not)
                for x in (self.ms[j] for j in persons):
                    if x.ent in cands and x.start < m.start and (x is not m):
                        head = self.doc[x.end - 1]
                        w = 2.0 if head.dep_ in _SUBJ_DEPS else 1.0
                        score[x.ent] += w * 0.5 ** min(here - sent_no[x.start], 30) + 0.25
                        last[x.ent] = max(last.get(x.ent, -1), x.start)
                cands = [max(score, key=lambda c: (round(score[c], 6), last[c]))] if score else cands[:1]
            if cands:
                m.ent = cands[0]
            else:
                key = "p:" + low + (":" + m.gender if m.gender else "")
                m.ent = by_key.get(key)
                if m.ent is None:
                    m.ent = new("person", " ".join(_name_key_tokens(m.text)), key)
            if m.gender:
                hon_gender[m.ent].add(m.gender)
        # organisations, places, groups, outlets
        for k in order:
            m = self.ms[k]
            if m.label in ("ORG", "GPE", "NORP"):
                key, name, type_ = self._org_identity(m)
                # a bare word equal to a person's surname is that person (NER slip)
                if len(m.text.split()) == 1 and m.label in ("ORG", "GPE", "NORP"):
                    low = _fold(m.text).lower().replace(" ", "")
                    pk = [idx for idx, fp in full_ents if fp[1] == low]
                    if len(pk) >= 1 and low.upper() != m.text:
                        m.label = "PERSON"
                        m.ent = pk[-1] if len(pk) == 1 else pk[0]
                        continue
                idx = by_key.get(key)
                if idx is None:
                    idx = new(type_, name, key)
                m.ent = idx
            elif m.label == "OUTLET":
                idx = by_key.get(m.key)
                if idx is None:
                    idx = new("outlet", m.key.split(":", 1)[1], m.key)
                m.ent = idx
        # short outlet forms ("the Times" after "the Los Angeles Times")
        self._resolve_short_outlets(ents, by_key, new)
        # titles
        self._assign_titles(ents, by_key, new)
        for e in ents:
            e.pop("keys", None)
        return ents

    def _org_identity(self, m: _M) -> tuple[str, str, str]:
        text = m.text
        if m.label == "GPE":
            low = _fold(text).lower().strip(".")
            canon = _GPE_CANON.get(low) or _GPE_CANON.get(low + ".") or text
            return "g:" + canon.lower(), canon, "place"
        if m.label == "NORP" and _fold(text).lower() in _PARTIES:
            party = _PARTIES[_fold(text).lower()]
            return "o:party:" + party.lower(), party, "organisation"
        if m.label == "NORP":
            low = _fold(text)
            base = low[:-1] if low.endswith("s") and not low.endswith("ss") and len(low) > 4 else low
            return "n:" + base.lower(), base, "group"
        party = _PARTIES.get(_fold(text).lower())
        if party:
            return "o:party:" + party.lower(), party, "organisation"
        if text.lower() in _PLATFORMS:
            return "o:" + text.lower(), text, "organisation"
        key = _org_key(text)
        acr = None
        up = text.upper().replace(".", "")
        if text.isupper() and up in self.acro_long:
            acr = up
        elif up in _ACRONYMS and text.isupper():
            acr = up
        else:
            for a, long in self.acro_long.items():
                if long == key:
                    acr = a
            if acr is None and key in _ACRONYM_OF:
                acr = _ACRONYM_OF[key]
        if acr is not None:
            if acr in _ACRONYMS and (acr not in self.acro_long or _ACRONYM_OF.get(self.acro_long[acr]) == acr):
                return "o:" + acr, _ACRONYMS[acr][0], "organisation"
            if acr in self.acro_long:
                long = self.acro_long[acr]
                name = next((x.text for x in self.ms if x.label in ("ORG", "PERSON") and _org_key(x.text) == long), acr)
                return "o:" + acr, name, "organisation"
        return "o:" + key, text, "organisation"

    def _resolve_short_outlets(self, ents, by_key, new) -> None:
        doc = self.doc
        outlets = [e["name"] for e in ents if e["type"] == "outlet"]
        if self.article.outlet:
            canon = canonical_outlet(self.article.outlet) or self.article.outlet
            outlets.append(canon)
        for t in doc:
            if t.i in self.taken or not t.is_title or t.i == 0 or doc[t.i - 1].lower_ != "the":
                continue
            low = t.lower_
            if low not in _OUTLET_SHAPE_WORDS:
                continue
            if t.i + 1 < len(doc) and (doc[t.i + 1].is_title and not doc[t.i + 1].is_sent_start):
                continue
            match = [o for o in outlets if o.lower().split()[-1] == low]
            if not match:
                continue
            name = match[0]
            key = "outlet:" + name
            idx = by_key.get(key)
            if idx is None:
                idx = new("outlet", name, key)
            m = self._add(_M(t.i, t.i + 1, "OUTLET", t.text, key=key))
            m.ent = idx

    def _title_mods(self, m: _M) -> set[str]:
        """Content words of a title besides its role noun and its organisation ("foreign", "deputy")."""
        doc = self.doc
        inside_org = set()
        for x in self.ms:
            if x.label in ("ORG", "OUTLET", "GPE", "NORP") and x.start >= m.start and x.end <= m.end \
                    and self.doc[x.start].lower_ not in _GENERIC_TITLE_MODS:
                inside_org.update(range(x.start, x.end))
        out = set()
        for t in doc[m.start:m.end]:
            if t.i == m.head or t.i in inside_org or t.is_punct or t.is_stop or t.lower_ in _FORMER:
                continue
            if t.lower_ in _GENERIC_TITLE_MODS or t.pos_ not in ("ADJ", "NOUN", "PROPN", "VERB"):
                continue
            if t.i > m.head:  # post-modifiers ("of CBP") name the org, not the office
                continue
            out.add(_TITLE_ABBREV.get(t.lower_, t.lemma_.lower()))
        return out

    def _assign_titles(self, ents, by_key, new) -> None:
        doc = self.doc
        published = self.article.published
        titles = sorted((m for m in self.ms if m.label == "TITLE"), key=lambda m: m.start)
        # held titles first: they define who holds what
        holders: list[tuple[str, str | None, int, int, set]] = []  # (role lemma, org key, entity, start, mods)
        for m in titles:
            if m.title_of is None:
                continue
            pm = self.ms[m.title_of]
            if pm.ent is None:
                continue
            m.ent = pm.ent
            title, org = self._title_and_org(m)
            if not title:
                continue
            ents[pm.ent]["roles"].append(Role(title=title, article_id=self.article.id, current=not m.former,
                                              org=org, published=published))
            g = _GENDER_ROLE.get(doc[m.head].lower_) if m.head >= 0 else None
            if g and not ents[pm.ent]["gender"]:
                ents[pm.ent]["gender"] = g
            holders.append((_role_lemma(doc[m.head]), _org_key(org) if org else None, pm.ent, m.start,
                            self._title_mods(m)))
        # noble titles in names: "the prince" is Prince Harry
        for idx, e in enumerate(ents):
            if e["type"] == "person" and e["name"].split()[0].lower() in _NOBLE:
                first = min((x.start for x in self.ms if x.ent == idx), default=0)
                holders.append((e["name"].split()[0].lower(), None, idx, first, set()))
        persons_by_sent = self._person_subjects()
        for m in titles:
            if m.title_of is not None or m.key == "anon":
                continue
            lemma = _role_lemma(doc[m.head])
            title, org = self._title_and_org(m)
            okey = _org_key(org) if org else None
            mods = self._title_mods(m)
            if doc[m.head].tag_ in ("NNS", "NNPS"):
                continue  # "officials" are not the one official named earlier
            cands = [h for h in holders if h[0] == lemma and (okey is None or h[1] is None or h[1] == okey)
                     and mods <= h[4]]
            if cands:
                ents_c = {h[2] for h in cands}
                if len(ents_c) > 1:
                    # several holders ("the prince" with Harry and William): the most mentioned so far
                    count = Counter(x.ent for x in self.ms if x.ent in ents_c and x.start < m.start)
                    recent = {e: max((x.start for x in self.ms if x.ent == e and x.start < m.start), default=-1)
                              for e in ents_c}
                    m.ent = max(ents_c, key=lambda e: (count[e], recent[e]))
                else:
                    m.ent = cands[0][2]
                continue
            if doc[m.head].tag_ in ("NNS", "NNPS") or not title:
                continue
            generic = lemma in _SOURCE_NOUNS and lemma not in ("spokesperson", "leader", "representative")
            if generic:
                # "the agent" after "one agent": the same anonymous person
                desc = next((a[2] for a in reversed(self.anon)
                             if a[1] <= doc[m.start].idx and lemma in a[2].lower()), None)
                s0 = doc[m.start - 1].idx if m.start > 0 and doc[m.start - 1].lower_ == "the" else doc[m.start].idx
                e0 = doc[m.end - 1].idx + len(doc[m.end - 1].text)
                self.anon.append((s0, e0, desc or self.article.text[s0:e0], doc[m.head].idx, lemma))
                m.key = "anon"
                continue
            # a definite title right after a named person ("Jack Straw ... The foreign secretary said")
            prev_person = self._anaphoric_holder(m, lemma, okey, mods, ents, holders, persons_by_sent)
            if prev_person is not None:
                m.ent = prev_person  # inferred, so not recorded as a stated role
                holders.append((lemma, okey, prev_person, m.start, mods))
                continue
            # "the Lib Dem chief executive said ... . Lord Rennard told reporters": a person first
            # named as a subject in the next two sentences, holding no other title
            nxt_person = self._cataphoric_holder(m, lemma, holders, ents)
            if nxt_person is not None:
                m.ent = nxt_person
                holders.append((lemma, okey, nxt_person, m.start, mods))
                continue
            # a title without a name: the unnamed holder is an entity of its own when the title acts
            # (subject, agent, possessor) or is written as an office ("the U.S. Attorney in Texas")
            head = doc[m.head]
            if not (head.dep_ in _SUBJ_DEPS or head.dep_ == "poss" or head.is_title
                    or (head.dep_ == "pobj" and head.head.lower_ in ("by", "to", "from", "with"))):
                continue
            if lemma in _RELATION_NOUNS:
                continue  # "the owner", "a rival": a relation, not an office someone holds
            key = "t:" + lemma + ":" + (okey or "") + ":" + " ".join(sorted(mods))
            idx = by_key.get(key)
            if idx is None:
                idx = new("person", title, key)
                ents[idx]["roles"].append(Role(title=title, article_id=self.article.id,
                                               current=not m.former, org=org, published=published))
                g = _GENDER_ROLE.get(doc[m.head].lower_)
                if g:
                    ents[idx]["gender"] = g
                holders.append((lemma, okey, idx, m.start, mods))
            m.ent = idx

    def _sentence_numbers(self) -> list[int]:
        """Sentence number of each token (computed once)."""
        if getattr(self, "_sent_no", None) is None:
            out = [0] * len(self.doc)
            for k, sn in enumerate(self.doc.sents):
                for i in range(sn.start, sn.end):
                    out[i] = k
            self._sent_no = out
        return self._sent_no

    def _cataphoric_holder(self, m: _M, lemma: str, holders, ents) -> int | None:
        """The person a subject title introduces before naming them in the next two sentences."""
        doc = self.doc
        head = doc[m.head]
        if head.dep_ not in _SUBJ_DEPS or lemma in _RELATION_NOUNS or lemma in _SOURCE_NOUNS and lemma != "spokesperson":
            return None
        sent = head.sent
        end = sent.end
        for _ in range(2):
            if end >= len(doc):
                break
            end = doc[end].sent.end
        first_seen: dict[int, int] = {}
        for x in self.ms:
            if x.ent is not None and x.label == "PERSON":
                first_seen[x.ent] = min(first_seen.get(x.ent, x.start), x.start)
        for x in sorted(self.ms, key=lambda x: x.start):
            if x.label != "PERSON" or x.ent is None or not (sent.end <= x.start < end):
                continue
            if first_seen[x.ent] < sent.end or doc[x.end - 1].dep_ not in _SUBJ_DEPS:
                continue
            g = _GENDER_ROLE.get(head.lower_)
            if g and ents[x.ent]["gender"] not in (None, g):
                continue
            if any(h[2] == x.ent and h[0] not in _NOBLE for h in holders):
                return None  # named with another title: not this one
            return x.ent
        return None

    def _person_subjects(self) -> dict[int, list[tuple[int, int, bool]]]:
        """Per sentence start: (token, person entity, is subject) of the named persons in it."""
        out: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
        for x in self.ms:
            if x.label == "PERSON" and x.ent is not None:
                head = self.doc[x.end - 1]
                out[head.sent.start].append((x.start, x.ent, head.dep_ in _SUBJ_DEPS))
        return out

    def _anaphoric_holder(self, m: _M, lemma, okey, mods, ents, holders, persons_by_sent) -> int | None:
        """The person a bare definite title refers back to: a named person (preferably a subject)
        of the previous three sentences who holds no conflicting title; never one of the title's
        own sentence (there the title is someone else: "Mayorkas asked the commissioner")."""
        doc = self.doc
        lead = doc[m.start - 1].lower_ if m.start > 0 else ""
        if lead not in ("the", "this") and doc[m.start].lower_ != "the":
            return None
        sent = doc[m.start].sent
        cands: list[tuple[int, int, bool]] = []
        cur = sent
        for _ in range(3):
            if cur.start == 0:
                break
            cur = doc[cur.start - 1].sent
            cands = persons_by_sent.get(cur.start, []) + cands
            if cands:
                break
        # a person named in the title's own sentence is someone else ("Mayorkas asked the
        # commissioner", "Mayorkas said the commissioner ..."), unless named before it in a
        # subordinate clause ("As far as whether Sanders still senses anger ..., the Vermont
        # senator acknowledged ..."): then the most likely holder
        title_verb = doc[m.head].head

        def subordinate(x) -> bool:
            for a in [doc[x.end - 1], *doc[x.end - 1].ancestors]:
                if a.i == title_verb.i:
                    return False
                if a.dep_ in ("advcl", "pcomp", "csubj"):
                    return True
            return False

        here_all = [x for x in self.ms if x.ent is not None and x.label == "PERSON" and sent.start <= x.start < sent.end]
        before = [(x.start, x.ent, doc[x.end - 1].dep_ in _SUBJ_DEPS) for x in here_all
                  if x.end <= m.start and subordinate(x)]
        here = {x.ent for x in here_all} - {b[1] for b in before}
        cands = [c for c in cands if c[1] not in here] + before
        if not cands:
            return None
        g = _GENDER_ROLE.get(doc[m.head].lower_)

        def conflict(ent: int) -> bool:
            if g and ents[ent]["gender"] not in (None, g):
                return True
            own = [h for h in holders if h[2] == ent]
            if okey and own and not any(h[1] == okey for h in own):
                return True  # "the chairman of the Police Federation" is not whoever spoke last
            if any(h[1] is not None and h[1] == okey and h[0] != lemma for h in own):
                return True  # "the Lib Dem chief executive" is not the Lib Dem leader
            return any(h[2] == ent and h[0] == lemma and not (mods <= h[4] or h[4] <= mods) for h in holders) or \
                any(h[0] == lemma and h[2] != ent and (okey is None or h[1] == okey) and mods <= h[4] for h in holders)

        ok = [c for c in cands if not conflict(c[1]) and ents[c[1]]["type"] == "person"]
        if not ok:
            return None
        subj = [c for c in ok if c[2]]
        return (subj or ok)[-1][1]

    def _title_and_org(self, m: _M) -> tuple[str, str | None]:
        doc = self.doc
        toks = [t for t in doc[m.start:m.end] if t.lower_ not in _FORMER and t.lower_ not in ("the", "a", "an")
                and not (t.text == "-" and t.i > 0 and doc[t.i - 1].lower_ in _FORMER)]
        while toks and toks[0].lower_ in _GENERIC_TITLE_MODS and toks[0].i != m.head:
            toks = toks[1:]
        title = " ".join(t.text for t in toks).replace(" - ", "-").strip(" ,")
        title = re.sub(r"\s+(['\u2019]s)\b", r"\1", title)
        org = None
        for x in self.ms:
            if x.label in ("ORG", "OUTLET", "GPE") and x.start >= m.start and x.end <= m.end and x.ent is not None \
                    and doc[x.start].lower_ not in _GENERIC_TITLE_MODS:
                org = self._ent_display_name(x)
                break
        return title, org

    def _ent_display_name(self, x: _M) -> str:
        if x.label == "OUTLET":
            return x.key.split(":", 1)[1]
        return self._org_identity(x)[1]

    def _fix_missed_surnames(self, ents) -> None:
        """Surnames of known people the NER missed become PERSON mentions."""
        doc = self.doc
        surname_of: dict[str, int] = {}
        seen: Counter = Counter()
        for idx, (first, sn, noble) in getattr(self, "_full_ents", []):
            if sn and idx not in surname_of.values():
                seen[sn] += 1
                surname_of[sn] = idx
        covered = set()
        for m in self.ms:
            if m.label in ("PERSON", "ORG", "GPE", "NORP", "OUTLET"):
                covered.update(range(m.start, m.end))
        for t in doc:
            sn = _fold(t.text).lower()
            if t.i in covered or sn not in surname_of or seen[sn] != 1 or not t.is_title:
                continue
            if t.pos_ != "PROPN" or t.ent_type_ in ("DATE", "TIME", "MONEY"):
                continue
            m = self._add(_M(t.i, t.i + 1, "PERSON", t.text))
            m.ent = surname_of[sn]
        # possessive names "Mayorkas'" are tokenised with the apostrophe apart: fine as is

    def _link_org_descriptions(self, ents) -> None:
        """ "the company", "the agency", "the non-partisan charity", "the newspaper": the most
        salient organisation (outlet for media nouns) of the last three sentences, preferring one
        whose name contains the noun ("the department" -> Department of Homeland Security)."""
        doc = self.doc
        covered = {i for m in self.ms if m.label not in ("PRONOUN",) for i in range(m.start, m.end)}
        named = sorted((m for m in self.ms if m.ent is not None and m.label in ("ORG", "OUTLET")), key=lambda m: m.start)
        for t in doc:
            low = t.lemma_.lower()
            if t.pos_ != "NOUN" or t.tag_ != "NN" or t.i in covered or (low not in _ORG_NOUNS and low not in _MEDIA_NOUNS):
                continue
            det = next((c for c in t.children if c.dep_ == "det"), None)
            if det is None or det.lower_ not in ("the", "this") or det.i > t.i:
                continue
            if any(c.dep_ in ("compound", "poss") for c in t.children) or any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
                continue  # "the Labour government", "the agency's", "the department of ..." name their own
            media = low in _MEDIA_NOUNS
            sent = t.sent
            lo = sent.start
            for _ in range(3):
                if lo == 0:
                    break
                lo = doc[lo - 1].sent.start
            cands = [m for m in named if lo <= m.start < t.i and (ents[m.ent]["type"] == "outlet") == media]
            if low == "party":
                cands = [m for m in cands if "party" in ents[m.ent]["name"].lower()]
            if not cands:
                continue
            by_name = [m for m in cands if low in ents[m.ent]["name"].lower()]
            if not by_name and low in _ORG_NOUNS_BY_NAME:
                continue
            pick = (by_name or cands)[-1]
            m = self._add(_M(det.i, t.i + 1, "OUTLET" if media else "ORG", _span_text(doc, det.i, t.i + 1),
                             key="desc"))
            m.ent = pick.ent

    # -- pronouns and output
    def _finish(self, ents) -> EntityAnalysis:
        doc = self.doc
        # gender from honorifics
        for m in self.ms:
            if m.label == "PERSON" and m.ent is not None and m.gender and not ents[m.ent]["gender"]:
                ents[m.ent]["gender"] = m.gender
        # else from a first name nearly all of whose bearers are of one gender ("Donald",
        # "Melanie"; not "Chris"), so that "she said" does not go to Donald Trump
        for e in ents:
            if e["type"] == "person" and not e["gender"]:
                words = e["name"].split()
                if len(words) >= 2:
                    e["gender"] = first_name_gender(words[0])
        # pronoun resolution, in text order; resolved pronouns add to their entity's salience
        self._resolve_pronouns(ents)
        pron_ante: dict[int, int] = {}
        pron_anon: dict[int, str] = {}
        anon_of: dict[int, str] = {}
        for m in self.ms:
            if m.label == "PRONOUN" and m.ent is not None and m.ent < 0:
                anon_of[id(m)] = self._anon_ref[m.ent][0]
                m.ent = None
        # drop entities nothing refers to; renumber
        used = sorted({m.ent for m in self.ms if m.ent is not None})
        remap = {old: new for new, old in enumerate(used)}
        mentions: list[Mention] = []
        aliases: dict[int, list[str]] = defaultdict(list)
        for m in sorted(self.ms, key=lambda m: (m.start, m.end)):
            if m.end <= m.start:
                continue
            s = doc[m.start].idx
            e = doc[m.end - 1].idx + len(doc[m.end - 1].text)
            ent = remap.get(m.ent) if m.ent is not None else None
            if m.label == "PRONOUN" and ent is not None:
                pron_ante[len(mentions)] = ent
            if id(m) in anon_of:
                pron_anon[len(mentions)] = anon_of[id(m)]
            mentions.append(Mention(article_id=self.article.id, text=self.article.text[s:e], start=s, end=e,
                                    label="DESCRIPTION" if m.key == "defnp" else m.label, entity=ent))
            if ent is not None and m.label in ("PERSON", "ORG", "GPE", "NORP", "OUTLET") and m.key != "desc":
                al = self.article.text[s:e]
                if al not in aliases[ent]:
                    aliases[ent].append(al)
        local: list[LocalEntity] = []
        for new_i, old in enumerate(used):
            e = ents[old]
            roles = []
            seen = set()
            for r in e["roles"]:
                k = (r.title.lower(), r.current)
                # "Secretary" says nothing "DHS Secretary" does not
                if k in seen or any(o.current == r.current and o.title.lower() != k[0]
                                    and o.title.lower().endswith(" " + k[0]) for o in e["roles"]):
                    continue
                seen.add(k)
                roles.append(r)
            al = [a for a in aliases[new_i] if a != e["name"]]
            local.append(LocalEntity(article_id=self.article.id, local_id=new_i, name=e["name"], type=e["type"],
                                     aliases=al, roles=roles, gender=e["gender"]))
        return EntityAnalysis(mentions=mentions, entities=local, text=self.article.text,
                              _anon=self.anon, _pron_ante=pron_ante, _pron_anon=pron_anon, _doc=doc)

    def _resolve_pronouns(self, ents) -> None:
        """Salience-based pronoun resolution (after Lappin & Leass 1994): each earlier mention of a
        compatible entity adds a weight (subject > other, names/titles > pronouns) halved per
        sentence of distance; binding (an object pronoun is not its clause's subject) and
        gender/number/animacy filter the candidates."""
        doc = self.doc
        sents = list(doc.sents)
        sent_of = self._sentence_numbers()
        # Quoted words are the speaker's voice, not the reporter's: for a pronoun outside quotes
        # ('"Howard and Kennedy want a debate," he said') a name inside a quotation is a weak
        # antecedent (see _pick).
        from .quotes import find_quote_spans

        quoted = sorted((s, e) for group in find_quote_spans(self.article.text) for s, e in group)
        q_starts = [s for s, _ in quoted]

        def in_quote(tok_i: int) -> bool:
            off = doc[tok_i].idx
            k = bisect.bisect_right(q_starts, off) - 1
            return k >= 0 and quoted[k][0] <= off < quoted[k][1]

        self._in_quote = in_quote
        items = []  # (start token, sentence, entity, weight, head token)
        for m in self.ms:
            if m.ent is None or m.label == "PRONOUN":
                continue
            head = doc[m.head] if (m.label == "TITLE" and m.head >= 0) else doc[m.end - 1]
            while head.dep_ in ("compound", "flat", "punct") and head.head.i > head.i and head.head.i < len(doc):
                if head.head.i >= m.end + 3:
                    break
                head = head.head
            items.append([m.start, sent_of[m.start], m.ent, self._weight(head, m.label), head.i])
        # singular anonymous people ("a Labour Party spokesman") can be antecedents too: they get
        # negative pseudo-entity ids, and a pronoun resolved to one is anonymous
        self._anon_ref: dict[int, tuple[str, str | None]] = {}
        anon_by_head = {a[3]: a for a in self.anon}
        for m in self.ms:
            if m.label == "TITLE" and m.key == "anon" and m.head >= 0 and doc[m.head].tag_ == "NN" \
                    and doc[m.head].dep_ in _SUBJ_DEPS:
                a = anon_by_head.get(doc[m.head].idx)
                if a is None:
                    continue
                pid = -1 - len(self._anon_ref)
                self._anon_ref[pid] = (a[2], _GENDER_ROLE.get(doc[m.head].lower_))
                items.append([m.start, sent_of[m.start], pid, self._weight(doc[m.head], "TITLE") * 0.6, m.head])
        items.sort()
        prons = sorted((m for m in self.ms if m.label == "PRONOUN"), key=lambda m: m.start)
        # gender constraints come from honorifics and gendered nouns only; the pronouns' votes
        # decide an unknown gender afterwards (a first wrong guess must not lock it)
        votes: dict[int, Counter] = defaultdict(Counter)
        for m in prons:
            if m.key == "defnp":  # "the New York businessman": the noun's gender, singular
                tok = doc[m.head]
                gender, number = m.gender, "sg"
            else:
                tok = doc[m.start]
                gender, number = _PRONOUNS[tok.lower_]
            sp = sent_of[m.start]
            ent = self._pick(m, tok, gender, number, sp, items, ents, sents, sent_of)
            m.ent = ent
            if ent is not None and ent >= 0:
                if gender and ents[ent]["type"] == "person":
                    votes[ent][gender] += 1
                bisect.insort(items, [m.start, sp, ent, self._weight(tok, "PRONOUN"), tok.i])
        for ent, v in votes.items():
            if not ents[ent]["gender"]:
                (g, n), *rest = v.most_common()
                if not rest or n > rest[0][1]:
                    ents[ent]["gender"] = g

    @staticmethod
    def _weight(head, label: str) -> float:
        w = 50.0
        dep = head.dep_
        if dep in _SUBJ_DEPS:
            w = 100.0
        elif dep in ("dobj", "dative", "attr", "appos"):
            w = 60.0
        elif dep == "poss":
            w = 45.0
        if label == "PRONOUN":
            w *= 0.8
        # mentions inside adverbial/relative clauses are less salient than main-clause ones
        if any(a.dep_ in ("advcl", "relcl", "acl", "pcomp") for a in head.ancestors):
            w *= 0.7
        return w

    def _pick(self, m, tok, gender, number, sp, items, ents, sents, sent_of) -> int | None:
        doc = self.doc

        def compatible(ent: int) -> bool:
            if ent < 0:
                return number == "sg" and self._anon_ref[ent][1] in (None, gender)
            e = ents[ent]
            if number == "sg":
                return e["type"] == "person" and e["gender"] in (None, gender)
            if number == "it":
                return e["type"] in ("organisation", "outlet", "place")
            return e["type"] in ("organisation", "group", "outlet")

        window = 2 if number in ("it", "pl") else 8
        # binding: a non-reflexive object pronoun is not the subject of its own verb
        banned = set()
        if tok.dep_ in ("dobj", "dative", "pobj") and not tok.lower_.endswith("self"):
            verb = tok.head if tok.dep_ != "pobj" else tok.head.head
            for it in items:
                h = doc[it[4]]
                if h.head.i == verb.i and h.dep_ in _SUBJ_DEPS:
                    banned.add(it[2])
        # cataphora: "In his New Year message the Liberal Democrat leader said ..."
        if tok.dep_ == "poss":
            subj = [it for it in items if it[1] == sp and it[0] > m.start and doc[it[4]].dep_ in _SUBJ_DEPS
                    and doc[it[4]].head == sents[sp].root]
            if subj and not any(it[1] == sp and it[0] < m.start and compatible(it[2]) for it in items) \
                    and compatible(subj[0][2]) and tok.head.i < subj[0][0]:
                return subj[0][2]
        # an entity's salience: its most salient recent mention, plus a little for each other one
        best: dict[int, float] = defaultdict(float)
        total: dict[int, float] = defaultdict(float)
        last: dict[int, int] = {}
        hi = bisect.bisect_left(items, [m.start])
        lo = hi
        while lo > 0 and sp - items[lo - 1][1] <= window:
            lo -= 1
        pron_quoted = self._in_quote(tok.i)
        for it in items[lo:hi]:
            start, si, ent, w, head_i = it
            if ent in banned or not compatible(ent):
                continue
            v = w * (0.5 ** (sp - si))
            if not pron_quoted and self._in_quote(head_i):
                v *= _QUOTED_ANTECEDENT
            best[ent] = max(best[ent], v)
            total[ent] += v
            last[ent] = start
        scores: dict[int, float] = {e: best[e] + 0.1 * total[e] for e in best}
        if not scores and number == "sg":
            # nothing close: the most mentioned compatible person so far
            scores = defaultdict(float)
            for it in items:
                if it[0] < m.start and it[2] not in banned and compatible(it[2]):
                    scores[it[2]] += 1.0
                    last[it[2]] = it[0]
        if not scores:
            return None
        return max(scores, key=lambda e: (scores[e], last[e]))


# Salience factor of a mention inside a quotation for a pronoun outside it (the reporter's "he"
# rarely points into the words it attributes); the mention still counts, so a pronoun with no
# other candidate resolves as before.
_QUOTED_ANTECEDENT = 0.25
# People nouns too plain to point back to a named person ("the man said": usually someone unnamed).
_PLAIN_PEOPLE = frozenset("man woman person boy girl child kid guy lady gentleman people".split())


@lru_cache(maxsize=1)
def _first_names() -> dict[str, str]:
    """First name -> "m"/"f" from the packaged table (scripts/make_first_names.py)."""
    import gzip
    from importlib.resources import files

    out: dict[str, str] = {}
    with gzip.open(files("newstrace").joinpath("data/first_names.tsv.gz").open("rb"), "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                name, _, g = line.rstrip("\n").partition("\t")
                out[name] = g
    return out


def first_name_gender(first: str) -> str | None:
    """"m" or "f" when nearly all bearers of this first name are of that gender, else None.

    >>> first_name_gender("Melanie"), first_name_gender("Donald"), first_name_gender("Chris")
    ('f', 'm', None)
    """
    return _first_names().get(_fold(first).lower().strip(".")) if first else None


def _has_person_apposition(span) -> bool:
    """The span's head has an apposition headed by a role noun ("X, a writer,")."""
    head = span.root
    for c in head.children:
        if c.dep_ == "appos" and c.i >= span.end and _is_role(c) and c.lower_ not in _SOURCE_NOUNS - {"spokesperson", "spokesman", "spokeswoman"}:
            return True
    return False


def _initials_match(acr: str, long: str) -> bool:
    words = [w for w in re.split(r"[\s-]+", long) if w and w.lower() not in ("of", "and", "the", "for", "on", "&", "to", "in")]
    words = [w for w in words if w not in ("U.S.", "US")]
    initials = "".join(w[0].upper() for w in words if w[0].isalpha())
    a = acr.upper()
    return initials == a or (len(a) >= 2 and initials.startswith(a) and len(initials) - len(a) <= 1) or \
        "".join(c for c in long if c.isupper()) == a


def _compatible_parts(a: tuple, b: tuple) -> bool:
    """Two names of one person: same surname and compatible first names (or a noble title and none)."""
    if a[1] != b[1]:
        return False
    fa, fb = a[0], b[0]
    if fa is None or fb is None:
        return fa is None and fb is None or a[2] or b[2]
    if fa == fb:
        return True
    if len(fa) == 1 or len(fb) == 1:
        return fa[0] == fb[0]
    return fa.startswith(fb) or fb.startswith(fa)


def _same_full_name(a: list[str], b: list[str]) -> bool:
    """Two multi-token names of one person: same surname and compatible first names / initials."""
    if a == b:
        return True
    if a[-1] != b[-1]:
        return False
    fa, fb = a[0].rstrip("."), b[0].rstrip(".")
    if fa == fb:
        return True
    if len(fa) == 1 or len(fb) == 1:
        return fa[0] == fb[0]
    return fa.startswith(fb) or fb.startswith(fa)


# -- across articles -----------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def entity_id(type_: str, name: str) -> str:
    """Deterministic global entity id: a hash of type and normalised canonical name.

    >>> entity_id("person", "Chris Magnus") == entity_id("person", "chris  magnus")
    True
    """
    norm = re.sub(r"\s+", " ", _fold(name).lower()).strip()
    return "ent-" + hashlib.sha1(f"{type_}|{norm}".encode("utf-8")).hexdigest()[:12]


def _role_dict(r: Any) -> dict[str, Any]:
    if isinstance(r, Role):
        return dict(title=r.title, article_id=r.article_id, current=r.current, org=r.org, published=r.published)
    if isinstance(r, dict):
        return dict(title=r.get("title"), article_id=r.get("article_id"), current=r.get("current", True),
                    org=r.get("org"), published=r.get("published"))
    return dict(title=str(r), article_id=None, current=True, org=None, published=None)


def _person_tokens(name: str) -> list[str]:
    return [w.lower() for w in _name_key_tokens(name) if w]


def _role_heads(roles: Iterable[dict[str, Any]]) -> set[str]:
    out = set()
    for r in roles:
        for w in re.findall(r"[A-Za-z][\w.-]*", r.get("title") or ""):
            lw = w.lower()
            if lw in _ROLE_NOUNS or lw in _TITLE_ABBREV:
                out.add(_TITLE_ABBREV.get(lw, lw))
        if r.get("org"):
            out.add("org:" + _org_key(r["org"]))
    return out


class _UF:
    def __init__(self, n: int) -> None:
        self.p = array("q", range(n))  # 8 bytes a row: millions of rows at scale (issue #5)

    def find(self, x: int) -> int:
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


class EntityMap(Mapping):
    """{(article_id, local_id): global entity id}, held as one small integer per local entity
    row (a dict of 16 million tuple keys would take ~3 GB at a million articles, issue #5).

    Iterating, ``items()`` and ``len()`` go over the rows in their order; looking one key up
    builds an index the first time.
    """

    def __init__(self, article_ids: Sequence[Any], local_ids: Sequence[Any], gid_index: Sequence[int],
                 gids: Sequence[str]):
        self.article_ids, self.local_ids, self.gid_index, self.gids = article_ids, local_ids, gid_index, gids
        self._index: dict[tuple[Any, Any], int] | None = None

    def gid_of_row(self, i: int) -> str | None:
        """The global id of local entity row ``i`` (None for a row that was not merged: no name)."""
        k = self.gid_index[i]
        return None if k < 0 else self.gids[k]

    def items(self) -> Iterator[tuple[tuple[Any, Any], str]]:  # type: ignore[override]
        aid, lid, gi, gids = self.article_ids, self.local_ids, self.gid_index, self.gids
        for i in range(len(gi)):
            if gi[i] >= 0:
                yield (aid[i], lid[i]), gids[gi[i]]

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return (k for k, _ in self.items())

    def __len__(self) -> int:
        return sum(1 for k in self.gid_index if k >= 0)

    def __getitem__(self, key: tuple[Any, Any]) -> str:
        if self._index is None:
            self._index = {(self.article_ids[i], self.local_ids[i]): i
                           for i in range(len(self.gid_index)) if self.gid_index[i] >= 0}
        return self.gids[self.gid_index[self._index[key]]]

    def __bool__(self) -> bool:
        return any(k >= 0 for k in self.gid_index)

    def __repr__(self) -> str:
        return f"EntityMap({dict(self.items())!r})"


def merge_entities(local_entities: Sequence[dict[str, Any]] | Rows) -> tuple[EntityMap, MergedEntities]:
    """Merge article-local entities into global ones.

    Persons: equal names (honorifics stripped, accents folded) merge, and so do compatible forms
    of one name ("Chris Magnus", "C. Magnus"); a bare surname joins the one full name in the
    pool with that surname, or, when several people share it, the one its context points to (a
    shared role or organisation, co-occurring entities), else stays apart; a near-identical
    surname (a misspelling) joins only with the same first name and agreeing context. Two people
    sharing a surname with different first names are never merged. Organisations merge by
    normalised name and acronym (table or article-defined alias); outlets by canonical outlet
    name; places and groups by name. Work is done per distinct name within surname blocks, so
    the cost grows near-linearly with the number of rows, and rows are read column by column
    (:class:`~newstrace.rows.Rows`) with one integer of state each, so millions fit (issue #5).

    Args:
        local_entities: rows with ``article_id, local_id, name, type, aliases, roles`` (and
            optionally ``gender``: a bare surname never joins a person of the other gender),
            as dicts or :class:`~newstrace.rows.Rows`.
    Returns:
        (entity map {(article_id, local_id): global id} as an :class:`EntityMap`, the entities
        as a :class:`MergedEntities` sequence of dicts with ``id, name, type, aliases, roles,
        article_ids``), sorted by first appearance in the input.

    >>> rows = [dict(article_id="a", local_id=0, name="Chris Magnus", type="person", aliases=[], roles=[]),
    ...         dict(article_id="b", local_id=3, name="Magnus", type="person", aliases=[], roles=[])]
    >>> emap, ents = merge_entities(rows)
    >>> emap[("a", 0)] == emap[("b", 3)], ents[0]["name"]
    (True, 'Chris Magnus')
    """
    from rapidfuzz import fuzz

    rows = as_rows(local_entities)
    n = len(rows)
    name_col, type_col, gender_col = rows.col("name"), rows.col("type"), rows.col("gender")
    aid_col, lid_col = rows.col("article_id"), rows.col("local_id")
    named = [i for i in range(n) if name_col[i]]
    uf = _UF(n)
    types = [type_col[i] or "organisation" for i in range(n)]

    def roles_of(i: int) -> list[dict[str, Any]]:
        return [_role_dict(x) for x in (rows.decoded("roles", i) or [])]

    interned: dict[str, str] = {}
    keys: list[str] = [""] * n
    parts: list[tuple | None] = [None] * n
    parts_of_name: dict[str, tuple] = {}
    for i in named:
        name, t = name_col[i], types[i]
        if t == "person" and not _is_title_name(name):
            pt = parts_of_name.get(name)
            if pt is None:
                pt = parts_of_name[name] = _name_parts(name)
            parts[i] = pt
            g = gender_col[i] if not pt[0] and not pt[2] else None  # "Mrs Howard" vs "Mr Howard"
            k = "p:" + " ".join(x for x in (pt[0], pt[1]) if x) + (":noble" if pt[2] and not pt[0] else "") \
                + (":" + g if g else "")
        elif t == "person":
            k = "t:" + _fold(name).lower()
        elif t == "outlet":
            k = "outlet:" + (canonical_outlet(name) or name).lower()
        elif t == "organisation":
            party = _PARTIES.get(_fold(name).lower())
            ok = _org_key(name)
            acr = _ACRONYM_OF.get(ok) or (name.upper() if name.isupper() and name.upper() in _ACRONYMS else None)
            k = "o:" + (party.lower() if party else acr.lower() if acr else ok)
        else:
            k = t[0] + ":" + _org_key(name)
        keys[i] = interned.setdefault(k, k)
    del parts_of_name
    # 1. equal keys
    first: dict[str, int] = {}
    for i in named:
        k = keys[i]
        if k in first:
            uf.union(first[k], i)
        else:
            first[k] = i
    # 2. organisations: an acronym alias defined in an article links to the long form's key
    for i in named:
        if types[i] != "organisation":
            continue
        for a in rows.decoded("aliases", i) or []:
            ak = "o:" + (a.lower() if a.isupper() and len(a) <= 8 else _org_key(a))
            j = first.get(ak)
            if j is not None and types[j] == "organisation" and ak != keys[i]:
                uf.union(j, i)
    # context of a row: role heads/orgs, and the keys of the entities in its article (read from
    # the article's rows when asked: only rows in an ambiguous surname block ever are)
    art_rows: dict[Any, list[int]] = defaultdict(list)
    prev, lo = None, 0
    for i in range(n + 1):  # consecutive runs of one article are kept as ranges
        a = aid_col[i] if i < n else object()
        if i and a != prev:
            art_rows[prev].append((lo, i))  # type: ignore[arg-type]
            lo = i
        prev = a
    art_key_cache: dict[Any, set[str]] = {}

    def article_keys(aid: Any) -> set[str]:
        ks = art_key_cache.get(aid)
        if ks is None:
            ks = {keys[j] for lo_, hi in art_rows.get(aid, ()) for j in range(lo_, hi) if name_col[j]}
            if len(art_key_cache) >= 100_000:
                art_key_cache.clear()
            art_key_cache[aid] = ks
        return ks

    def cluster_context(members: Sequence[int]) -> tuple[set[str], set[str]]:
        rh: set[str] = set()
        co: set[str] = set()
        for i in members[:200]:
            rh |= _role_heads(roles_of(i))
            co |= article_keys(aid_col[i]) - {keys[i]}
        return rh, co

    # 3. persons, per surname block, per distinct name key
    by_surname: dict[str, dict[str, array]] = defaultdict(lambda: defaultdict(lambda: array("q")))
    for i in named:
        pt = parts[i]
        if pt is not None and pt[1]:
            by_surname[pt[1]][keys[i]].append(i)
    for sn, by_key in by_surname.items():
        full_keys = [k for k, m in by_key.items() if parts[m[0]][0] or parts[m[0]][2]]  # type: ignore[index]
        # compatible forms of one full name ("Chris Magnus" / "C. Magnus"); distinct first names never
        for x, ka in enumerate(full_keys):
            for kb in full_keys[x + 1:]:
                pa, pb = parts[by_key[ka][0]], parts[by_key[kb][0]]
                if _compatible_parts(pa, pb) and (pa[0] is None) == (pb[0] is None):  # type: ignore[index]
                    uf.union(by_key[ka][0], by_key[kb][0])
        roots = sorted({uf.find(by_key[k][0]) for k in full_keys})
        single_keys = [k for k in by_key if k not in full_keys]
        if not single_keys:
            continue
        if not roots:
            # surnames only: one person unless both genders are written
            gendered = [k for k in single_keys if k.endswith((":m", ":f"))]
            if len(gendered) <= 1:
                for k in single_keys[1:]:
                    uf.union(by_key[single_keys[0]][0], by_key[k][0])
            continue
        root_gender = {r: {gender_col[i] for k in full_keys for i in by_key[k]
                           if uf.find(i) == r and gender_col[i]} for r in roots}
        single_g = {gender_col[i] for k in single_keys for i in by_key[k]} - {None}
        if len(roots) == 1:
            rg = root_gender[roots[0]]
            for k in single_keys:
                for i in by_key[k]:
                    g = gender_col[i]
                    # "Mrs Howard" does not join Michael Howard: a gendered bare surname joins only a
                    # person of that gender, or of unknown gender when the pool has no other gender
                    if g and ((rg and g not in rg) or (not rg and len(single_g) > 1)):
                        continue
                    uf.union(roots[0], i)
            continue
        # ambiguous surname: each article's bare surname joins the person its context points to
        members_of = {r: [i for k in full_keys for i in by_key[k] if uf.find(i) == r] for r in roots}
        ctx = {r: cluster_context(members_of[r]) for r in roots}
        for k in single_keys:
            for i in by_key[k]:
                rh, co = cluster_context([i])
                g = gender_col[i]
                scored = sorted(((len(rh & ctx[r][0]) * 2 + len(co & ctx[r][1]), r) for r in roots
                                 if not (g and root_gender[r] and g not in root_gender[r])), reverse=True)
                if not scored:
                    continue
                scored.append((0, -1))
                if scored[0][0] > 0 and scored[0][0] >= 2 * max(1, scored[1][0]):
                    uf.union(scored[0][1], i)
    # 4. misspelt surnames: distinct surnames blocked by their first and last three letters
    blocks: dict[str, set[str]] = defaultdict(set)
    for sn in by_surname:
        if len(sn) >= 5:
            blocks["a:" + sn[:3]].add(sn)
            blocks["z:" + sn[-3:]].add(sn)
    seen_pairs: set[tuple[str, str]] = set()
    for sns in blocks.values():
        sns_l = sorted(sns)
        if len(sns_l) > 300:
            continue
        for x, sa in enumerate(sns_l):
            for sb in sns_l[x + 1:]:
                if (sa, sb) in seen_pairs or fuzz.ratio(sa, sb) < 85:
                    continue
                seen_pairs.add((sa, sb))
                for ka, ma in by_surname[sa].items():
                    for kb, mb in by_surname[sb].items():
                        fa, fb = parts[ma[0]][0], parts[mb[0]][0]  # type: ignore[index]
                        if fa and fb and fa != fb:
                            continue
                        ra, rb = uf.find(ma[0]), uf.find(mb[0])
                        if ra == rb:
                            continue
                        ca = cluster_context(ma)
                        cb = cluster_context(mb)
                        if (ca[0] & cb[0]) or (ca[1] & cb[1]):
                            uf.union(ra, rb)
    del by_surname, blocks, seen_pairs, first, art_rows, art_key_cache, keys, parts, interned
    # output: clusters in order of their first row, members in row order
    gid_index = array("q", [-1]) * n
    counts: Counter = Counter()
    root_of = np.fromiter((uf.find(i) for i in named), dtype=np.int64, count=len(named))
    named_a = np.fromiter(named, dtype=np.int64, count=len(named))
    del uf, named
    order = np.argsort(root_of, kind="stable")
    in_order = named_a[order]
    starts = np.flatnonzero(np.diff(root_of[order])) + 1 if len(order) else np.zeros(0, dtype=np.int64)
    del order, root_of, named_a
    merged = MergedEntities(rows, in_order, np.concatenate(([0], starts)) if len(in_order) else starts)
    for k in range(len(merged)):
        members = merged.members(k)
        type_ = Counter(types[i] for i in members).most_common(1)[0][0]
        name = _cluster_name([name_col[i] for i in members], type_)
        gid = entity_id(type_, name)
        counts[gid] += 1
        if counts[gid] > 1:  # two people sharing one name get distinct ids
            gid = f"{gid}-{counts[gid]}"
        for i in members:
            gid_index[i] = k
        merged.add(gid, name, type_)
    return EntityMap(aid_col, lid_col, gid_index, merged.ids), merged


class MergedEntities(Indexed):
    """The global entities :func:`merge_entities` made, as runs of local entity row numbers: an
    entity's dict (``id, name, type, aliases, roles, article_ids``) is made when it is read, so
    millions of entities hold ~100 bytes each until the store writes them (issue #5)."""

    def __init__(self, rows: Rows, members: np.ndarray, starts: np.ndarray):
        self.rows, self.in_order = rows, members
        self.bounds = np.append(starts, len(members)).astype(np.int64) if len(members) else np.zeros(1, dtype=np.int64)
        self.ids: list[str] = []
        self.names: list[str] = []
        self.types: list[str] = []

    def members(self, k: int) -> list[int]:
        """Local entity row numbers of entity k, in row order."""
        return self.in_order[int(self.bounds[k]):int(self.bounds[k + 1])].tolist()

    def add(self, gid: str, name: str, type_: str) -> None:
        self.ids.append(gid)
        self.names.append(name)
        self.types.append(type_)

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def _item(self, k: int) -> dict[str, Any]:
        rows, name = self.rows, self.names[k]
        members = self.members(k)
        name_col, aid_col = rows.col("name"), rows.col("article_id")
        aliases: set[str] = set()
        for i in members:
            aliases.update(a for a in [name_col[i], *(rows.decoded("aliases", i) or [])] if a and a != name)
        rl, seen = [], set()
        for i in members:
            for r in (_role_dict(x) for x in (rows.decoded("roles", i) or [])):
                key = (r["title"], r["article_id"], r["current"])
                if key not in seen:
                    seen.add(key)
                    rl.append(r)
        return dict(id=self.ids[k], name=name, type=self.types[k], aliases=sorted(aliases), roles=rl,
                    article_ids=sorted({aid_col[i] for i in members if aid_col[i]}))

    def __repr__(self) -> str:
        return f"<MergedEntities {len(self)}>"


def _is_title_name(name: str) -> bool:
    """A local person entity named by its title only ("DHS secretary"): never merged by name."""
    words = name.split()
    return any(w.lower() in _ROLE_NOUNS for w in words[-1:]) and not any(w[:1].isupper() for w in words[-1:])


def _cluster_name(names: list[str], type_: str) -> str:
    if type_ == "outlet":
        canon = [canonical_outlet(n) or n for n in names]
        return Counter(canon).most_common(1)[0][0]
    if type_ == "organisation":
        for n in names:
            k = _org_key(n)
            if k in _ACRONYM_OF:
                return _ACRONYMS[_ACRONYM_OF[k]][0]
            if n.isupper() and n in _ACRONYMS:
                return _ACRONYMS[n][0]
    if type_ == "person":
        names = [" ".join(_name_key_tokens(n)) or n for n in names]
    cnt = Counter(names)
    return min(cnt, key=lambda x: (-len(x.split()), -cnt[x], len(x), x))


def build_global_entities(locals_: Sequence[LocalEntity], entity_map: dict[tuple[str, int], str]) -> list[dict[str, Any]]:
    """Global entity records from local entities and an entity map (as returned by merge_entities).

    Args:
        locals_: the article-local entities.
        entity_map: {(article_id, local_id): global id}.
    Returns:
        dicts with ``id, name, type, aliases, roles, article_ids``, sorted by id.
    """
    groups: dict[str, list[LocalEntity]] = defaultdict(list)
    for e in locals_:
        gid = entity_map.get((e.article_id, e.local_id))
        if gid:
            groups[gid].append(e)
    out = []
    for gid in sorted(groups):
        members = groups[gid]
        type_ = Counter(e.type for e in members).most_common(1)[0][0]
        name = _cluster_name([e.name for e in members], type_)
        aliases = sorted({a for e in members for a in [e.name, *e.aliases] if a and a != name})
        rl, seen = [], set()
        for e in members:
            for r in e.roles:
                d = _role_dict(r)
                k = (d["title"], d["article_id"], d["current"])
                if k not in seen:
                    seen.add(k)
                    rl.append(d)
        out.append(dict(id=gid, name=name, type=type_, aliases=aliases, roles=rl,
                        article_ids=sorted({e.article_id for e in members})))
    return out
