"""Outlets, organisations and places by name: the maintained tables and their canonical forms.

* :data:`ACRONYMS` / :data:`ACRONYM_OF`: acronyms in common use on the public-affairs beat
  (acronym -> canonical name and other expansions), and :func:`org_key` (an organisation's
  comparison key);
* the outlet table (canonical name -> aliases), :data:`OUTLET_OF` (alias -> canonical name), the
  broadcasters whose channels are outlets of their own, and the outlet-shaped words ("Times",
  "Post", "News") with :func:`canonical_outlet` (``"the Washington Times"`` -> ``"The Washington
  Times"``, None for a name that is not an outlet) and :func:`outlet_or_none`, its safe wrapper;
* :data:`GPE_CANON`: the common spellings of two countries' names in their canonical form;
  :func:`fold` strips accents and makes curly apostrophes straight.

Read by the entity analysis, speakers, sources and the link stage's entity merging.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


# Words marking an organisation when spaCy tags the span PERSON.
ORG_WORDS = {
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
ACRONYMS: dict[str, tuple[str, tuple[str, ...]]] = {
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
ACRONYM_OF: dict[str, str] = {}


@lru_cache(maxsize=65536)
def org_key(text: str) -> str:
    """Normalised organisation key: lower case, no 'the', no 'U.S.', no punctuation."""
    t = fold(text).lower().replace("&", " and ")
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


def fold(text: str) -> str:
    """``text`` without accents (NFKD, combining marks dropped) and with straight apostrophes."""
    if text.isascii():  # nothing to fold (the common case: a hot path of the entities stage)
        return text
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u2019", "'").replace("\u2018", "'")


for _acr, (_canon, _alts) in ACRONYMS.items():
    for _exp in (_canon,) + _alts:
        ACRONYM_OF[org_key(_exp)] = _acr

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
AMBIGUOUS_OUTLET_ALIASES = {"journal", "examiner", "mail", "express", "independent", "insider", "slate",
                             "salon", "538",
                             "vice", "fox", "abc", "atlantic", "observer", "guardian", "telegraph",
                             "mirror", "economist", "spectator", "intercept", "federalist",
                             "scotsman", "pa", "ft", "rt", "time magazine", "daily news",
                             "bild", "spiegel", "ap", "cbs", "nbc", "express", "sun", "herald",
                             "times", "star", "globe", "post"}
# Broadcasters whose channels and services are outlets of their own ("BBC Radio 4", "BBC One").
BROADCASTERS = {"bbc", "itv", "cnn", "fox", "sky", "abc", "nbc", "cbs", "npr", "pbs", "channel 4",
                 "msnbc", "cnbc", "rte", "cbc", "al jazeera", "euronews", "france 24", "dw"}
OUTLET_OF: dict[str, str] = {}
for _name, _aliases in _OUTLETS.items():
    for _a in _aliases + (_name.lower(),):
        OUTLET_OF.setdefault(_a, _name)
        if _a.startswith("the "):
            OUTLET_OF.setdefault(_a[4:], _name)
OUTLET_SHAPE_WORDS = {"times", "post", "news", "journal", "herald", "tribune", "examiner",
                       "gazette", "chronicle", "observer", "telegraph", "courier", "dispatch",
                       "inquirer", "globe", "record", "register", "sun", "mirror", "express",
                       "standard", "independent", "bulletin", "reporter", "review", "star",
                       "beacon", "sentinel", "enquirer", "monitor", "journal-constitution",
                       "free press", "press", "daily", "magazine", "weekly", "wire", "radio"}
# Shape words unlikely to be a surname: "X News" is an outlet even without "the".
_OUTLET_SAFE_SHAPE = {"news", "journal", "tribune", "gazette", "chronicle", "inquirer",
                      "dispatch", "examiner", "magazine", "newspaper"}

GPE_CANON = {
    "us": "United States", "u.s.": "United States", "u.s": "United States", "usa": "United States",
    "u.s.a.": "United States", "united states": "United States", "america": "United States",
    "united states of america": "United States", "the united states": "United States",
    "uk": "United Kingdom", "u.k.": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom", "united kingdom": "United Kingdom",
    "the united kingdom": "United Kingdom",
}


# A website's name is its domain: "Moneycontrol.com", "Polygraph.info" (VOA's fact-checking site,
# holdout-intl4); the common generic and country endings, no dotted initials ("U.N.").
_WEBSITE = re.compile(r"[A-Za-z][\w-]*\.(?:com|org|net|co\.uk|news|info|io|tv|ru|ca|com\.au|co\.nz|ie|de|fr)")


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
    raw = fold(name).strip().strip(".,;:\"'()[]")
    raw = re.sub(r"(?:'s|')$", "", raw).strip()
    raw = re.sub(r"\s+", " ", raw)
    if not raw:
        return None
    low = raw.lower()
    had_the = low.startswith("the ")
    bare = low[4:] if had_the else low
    if low in OUTLET_OF and (low not in AMBIGUOUS_OUTLET_ALIASES or had_the or raw.isupper() and len(raw) > 2):
        return OUTLET_OF[low]
    if bare in OUTLET_OF and (bare not in AMBIGUOUS_OUTLET_ALIASES or had_the or bare.upper() == raw[4 if had_the else 0:]):
        return OUTLET_OF[bare]
    shown = raw[4:] if had_the else raw
    words = shown.split()
    for n_first in (2, 1):
        head = " ".join(words[:n_first]).lower()
        if head in BROADCASTERS and len(words) > n_first and all(
                w[:1].isupper() or w.isdigit() for w in words[n_first:]):
            return shown  # a channel or service of a broadcaster: "BBC Radio 4", "BBC News 24"
    if not words or not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in ("of", "and", "the", "de")
                            for w in words):
        if _WEBSITE.fullmatch(shown):
            return shown
        return None
    if _WEBSITE.fullmatch(shown) and shown[:1].isupper():
        return shown
    last = words[-1].lower()
    if len(words) >= 2 and (last in _OUTLET_SAFE_SHAPE or (had_the and last in OUTLET_SHAPE_WORDS)):
        return " ".join(words)
    # "Christian News Service", "Xinhua News Agency", "Cable News Network": a news service
    if len(words) >= 3 and last in ("service", "agency", "network", "syndicate") \
            and words[-2].lower() in ("news", "press", "wire"):
        return " ".join(words)
    return None


def outlet_or_none(name: str) -> str | None:
    """:func:`canonical_outlet`, or None when the name makes it fail: a bad name must not stop the article."""
    try:
        return canonical_outlet(name)
    except Exception:  # noqa: BLE001
        return None
