"""Name, title and role helpers over spaCy tokens, shared by the entity steps and the link stage.

Word classes (source nouns, gendered role nouns, "former" words, name openers and connectors,
noble titles, parties, platforms); the NER span repairs (:func:`clean_ents`); person names
(:func:`person_name_tokens`, :func:`name_key_tokens`, :func:`name_parts`, :func:`compatible_parts`,
:func:`first_name_gender`); role nouns and title phrases (:func:`is_role`, :func:`role_lemma`,
:func:`title_span`); acronym initials (:func:`initials_match`); and the cross-article helpers the
link stage uses (:func:`entity_id`, :func:`role_dict`, :func:`role_heads`).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any, Iterable

from spacy.attrs import IS_TITLE, IS_UPPER

from ...models import Role
from .. import cues
from ..doc_index import children, doc_index
from ..lexicon import DOC_NOUNS, HONORIFICS, ROLE_NOUNS, SUBJ_DEPS, TITLE_ABBREV, names_people
from ..quote_marks import DASHES
from ..outlets import ACRONYMS, BROADCASTERS, ORG_WORDS, OUTLET_OF, fold, org_key


# Nouns describing an (often unnamed) source: heads of anonymous descriptions.
SOURCE_NOUNS = {
    "source", "official", "officer", "agent", "employee", "staffer", "aide", "insider", "person",
    "people", "individual", "witness", "analyst", "expert", "critic", "observer", "spokesperson",
    "spokesman", "spokeswoman", "member", "worker", "resident", "lawmaker", "diplomat",
    "investigator", "economist", "leader", "supporter", "opponent", "activist", "advocate",
    "colleague", "ally", "adviser", "advisor", "representative", "correspondent", "reporter",
    "officials", "report", "document", "memo", "study", "survey", "poll",
}
# "chairman" is used for women too (British usage), so it says nothing about gender.
GENDER_ROLE = {"spokesman": "m", "spokeswoman": "f", "congressman": "m", "congresswoman": "f",
                "chairwoman": "f", "councilwoman": "f",
                "king": "m", "queen": "f", "prince": "m", "princess": "f"}


FORMER = {"former", "ex", "then", "erstwhile", "outgoing", "previous", "late"}


# Words that may sit inside a multi-word proper name written in lower case.
_LEADING_JUNK = {"the", "a", "an", "of", "and", "for", "on", "in", "at", "to", "&"}
NAME_CONNECTORS = {"of", "and", "for", "on", "the", "&", "de", "la", "del", "da", "von", "van",
                    "der", "den", "le", "du", "bin", "al", "el", "in", "at", "to"}


def is_role(tok) -> bool:
    """Whether a word is a title, role or people noun of a name ("Sen.", "commissioner", "the
    second in command"): :func:`is_role_at` of its Doc's shared index."""
    return is_role_at(doc_index(tok.doc), tok.i)


def is_role_at(index, i: int) -> bool:
    """Whether word ``i`` of the Doc of ``index`` is a title, role or people noun, read from the
    Doc's shared word lists (``doc_index``: lower case, part of speech, lemma) instead of the
    Token's attributes (issue 15's time budget)."""
    low = index.lower[i]
    if low in TITLE_ABBREV or (low in NOBLE and index.tokens[i].is_lower):
        return True
    if low in ("second", "third", "no.") and i + 2 < index.size and index.lower[i + 1] == "in" \
            and index.lower[i + 2] == "command":
        return True  # "the second in command at the Department of Homeland Security"
    if index.pos[i] not in ("NOUN", "PROPN") and low not in ("chief", "head"):
        return False
    return low in ROLE_NOUNS or index.lemma_lower[i] in ROLE_NOUNS


def role_candidates(lower: list[str], pos: list[str]) -> list[int]:
    """The indices of the words that may be roles, from a Doc's lower-case words and parts of speech
    (``doc_index``'s lists), in one pass: False where :func:`is_role` is surely False for a word of
    this lower case and part of speech (a noun, a proper noun, or one of ``ROLE_LEAD_WORDS``), the
    cheap first test over the shared word lists (issue 15's time budget). Keep it in step with
    is_role: every word is_role accepts must pass it."""
    return [i for i, (low, p) in enumerate(zip(lower, pos)) if p in ("NOUN", "PROPN") or low in ROLE_LEAD_WORDS]


def role_lemma(tok) -> str:
    low = tok.lower_
    if low in TITLE_ABBREV:
        return TITLE_ABBREV[low]
    lem = tok.lemma_.lower()
    if lem in ("spokesman", "spokeswoman", "spokespeople"):
        return "spokesperson"
    if lem in ("congressman", "congresswoman"):
        return "representative"
    if lem in ("chairman", "chairwoman", "chairperson"):
        return "chair"
    if lem in ("advisor",):
        return "adviser"
    return lem if lem in ROLE_NOUNS else low


def clean_ents(doc) -> list[tuple[int, int, str]]:
    """NER spans with the small model's slips repaired: split at lower-case words and at role
    words inside a name ("Border Patrol Chief Ortiz"), 'the' and possessives stripped; FAC is
    taken as ORG and LOC as GPE."""
    out = []
    index = doc_index(doc)
    # a list is read faster than doc[i], and the shared word lists than a Token's attributes
    # (issue 15's time budget)
    toks, lower, words = index.tokens, index.lower, index.words
    for e in index.ents:
        label = {"FAC": "ORG", "LOC": "GPE"}.get(e.label_, e.label_)
        if label not in ("PERSON", "ORG", "GPE", "NORP", "WORK_OF_ART"):
            continue
        pieces, cur = [], []
        for i in range(e.start, e.end):
            t, low, text = toks[i], lower[i], words[i]
            if low in ("on", "in", "at", "to") and i > e.start and lower[i - 1] not in ORG_WORDS:
                if cur:
                    pieces.append(cur)
                cur = []
                continue  # "Washington Times on Mayorkas" (but "Council on Foreign Relations")
            inner_article = low in ("a", "an") and e.start < i < e.end - 1 \
                and lower[i - 1] in ("for", "of", "to") and toks[i + 1].is_title  # "Committee for a Responsible ..."
            hyphened = i >= e.start + 2 and _hyphen_piece(toks, i)
            if (t.is_lower and low not in NAME_CONNECTORS and not t.is_punct and not inner_article and not hyphened) \
                    or "\n" in text \
                    or (text == "-" and (t.whitespace_ or (i > 0 and toks[i - 1].whitespace_))) \
                    or text in ('"', "\u201c", "\u201d", "(", ")", ",", ";", ":", "\u2014", "\u2013"):
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
                            (t.lower_ in TITLE_ABBREV or t.lower_ in ROLE_NOUNS or t.lower_ + "." in TITLE_ABBREV)
                            and p[k + 1].is_title and p[k + 1].lower_ not in ROLE_NOUNS
                            and p[k + 1].lower_ not in NAME_CONNECTORS), None)
            if cut is not None:
                if cut > 0:
                    out.append((p[0].i, p[cut].i, label if label != "PERSON" else "ORG"))
                out.append((p[cut + 1].i, p[-1].i + 1, "PERSON"))
                continue
            s, en = p[0].i, p[-1].i + 1
            if label == "PERSON" and en - s >= 2 and toks[en - 1].lower_ in ROLE_NOUNS \
                    and (toks[en - 1].is_title or toks[en - 1].is_upper):
                if toks[en - 1].dep_ in ("conj", "appos") and is_role(toks[en - 1].head):
                    continue  # "a Cabinet Office minister and Bolton West MP": a title, not a name
                en -= 1  # "Ruth Kelly MP": the role follows the name
            while s < en and (toks[s].lower_ in _LEADING_JUNK or toks[s].is_punct or (toks[s].pos_ == "ADP" and en - s > 1)):
                s += 1  # "Across Wales": a sentence-initial preposition is not part of the name
            while en > s and (toks[en - 1].is_punct and toks[en - 1].text not in (".",) or toks[en - 1].lower_ in ("'s", "'", "\u2019s", "\u2019")
                              or toks[en - 1].lower_ in NAME_CONNECTORS):
                en -= 1
            if en > s:
                out.append((s, en, label))
    return _repair_spans(doc, out)


# Honorifics and noble/royal titles that open a person's name ("Mr Kilroy-Silk", "Lord Carlile").
NAME_OPENERS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame", "lord",
                 "lady", "baroness", "baron", "prince", "princess", "king", "queen", "prof", "prof.",
                 "rev", "rev.", "mx", "mx."}
NOBLE = {"lord", "lady", "baroness", "baron", "prince", "princess", "king", "queen"}
# A cleric's title written before the name ("Rabbi Marvin Hier", "Imam Feisal Abdul Rauf"): a
# title, not the first word of the canonical name.
CLERICAL = frozenset("rabbi imam pastor reverend bishop archbishop cardinal monsignor sheikh cantor".split())
# The reporting verbs that open a sentence inverted before its speaker ('Said Comey, "The thought
# ..."'): the small NER takes the verb into the name.
_INVERTED_OPENERS = frozenset({"said", "says"})
# The words other than nouns is_role may hold for (role_candidates' list).
ROLE_LEAD_WORDS = frozenset(TITLE_ABBREV) | frozenset(NOBLE) | {"second", "third", "no.", "chief", "head"}
# Titles written before a name ("Secretary Alejandro Mayorkas", "Chief Ortiz"); lower-case role
# nouns ("spokesman Mark Croucher") also qualify.
_PRENAME_TITLES = {"president", "secretary", "commissioner", "chief", "senator", "governor", "director",
                   "judge", "justice", "mayor", "minister", "chancellor", "speaker", "officer", "agent",
                   "deputy", "inspector", "sheriff", "ambassador", "professor", "chairman", "chairwoman", "chair",
                   "councillor", "councilman", "councilwoman", "bishop", "father", "pastor", "coach",
                   "representative", "congressman", "congresswoman", "detective", "sergeant", "captain",
                   "lieutenant", "colonel", "commander", "superintendent", "attorney", "prosecutor",
                   "solicitor", "spokesman", "spokeswoman", "spokesperson", "leader", "premier", "dr"}
# Nouns that class the name beside them as an organisation ("record company Universal", "watchdog
# Ofcom", "the band Scissor Sisters", "the Tate gallery"): the name is not a person (issue #17).
ORG_CLASS_NOUNS = frozenset("company firm band group label regulator watchdog club team side studio studios "
                            "network channel broadcaster retailer chain airline carmaker manufacturer giant "
                            "charity gallery museum university college school league federation union "
                            "outfit orchestra choir".split())
# Political parties: surface form (lower case) -> canonical party name.
PARTIES = {
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
PLATFORMS = {"twitter", "facebook", "instagram", "youtube", "tiktok", "telegram", "whatsapp",
              "truth social", "reddit", "linkedin", "snapchat", "threads", "x.com", "google", "apple"}


# A name word with an inner capital: "McDermott", "DeSantis", "MacArthur" (str.istitle() is False).
_INNER_CAPITAL_NAME = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+")


def _name_shaped(t) -> bool:
    """A capitalised word as names are written: "Jim", "McDermott", "UKIP"."""
    return is_name_case(t) or (t.is_upper and len(t) > 1)


def name_case_words(index) -> list[int]:
    """The indices of the words of a Doc's shared index (``doc_index``) written as names are: title
    case ("Jim"), or with an inner capital ("McKeague", "DeSantis", "VandeHei"; ``str.istitle`` and
    spaCy's ``is_title`` are False for them, so a surname so written alone was never joined to the
    full name written before it), in text order."""
    words = index.words
    inner = [i for i, w in enumerate(words) if w[:1].isupper() and _INNER_CAPITAL_NAME.fullmatch(w)]
    titled = index.flagged(IS_TITLE)
    return sorted(set(titled).union(inner)) if inner else list(titled)


def is_name_case(t) -> bool:
    """Whether a token is written as a name word is: title case or with an inner capital
    (:func:`name_case_words`)."""
    return t.is_title or _INNER_CAPITAL_NAME.fullmatch(t.text) is not None


def _is_name_token(t) -> bool:
    return _name_shaped(t) and t.pos_ in ("PROPN", "NOUN", "ADJ", "VERB", "X") \
        and t.lower_ not in ROLE_NOUNS and not t.like_num


# Lower-case particles inside a person's name: "Bill de Blasio", "Ursula von der Leyen".
_NAME_PARTICLES = {"de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le",
                   "bin", "ibn", "al", "el", "dos", "das"}


def _hyphen_piece(toks, k: int) -> bool:
    """Whether token ``k`` is a lower-case proper noun joined by a hyphen to the name word before it
    ("Cheuk Hau-yip", "Kim Jong-un"; not "George Bush-style", a common noun): a piece of the name."""
    return k >= 2 and toks[k].is_lower and toks[k].tag_ in ("NNP", "NNPS") and toks[k - 1].text == "-" \
        and not toks[k - 1].whitespace_ and not toks[k - 2].whitespace_ and toks[k - 2].is_title


def _name_run(doc, i: int, limit: int = 4) -> int:
    """End of the run of name tokens starting at i ("Kilroy - Silk", "Nicholls of Birkenhead")."""
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    j = i
    end = i
    while j < len(doc) and j - i < limit + 3:
        t = toks[j]
        if t.is_space and "\n" not in t.text and j > i:
            j += 1  # a non-breaking space inside a name
            continue
        if _is_name_token(t) and not (j > i and t.is_sent_start and (toks[j - 1].is_punct or "\n" in toks[j - 1].text)):
            j += 1
            end = j
            continue
        if t.text == "-" and j > i and j + 1 < len(doc) and (
                (toks[j + 1].is_title and not t.whitespace_ and not toks[j - 1].whitespace_)
                or _hyphen_piece(toks, j + 1)):  # "Kilroy-Silk", "Hau-yip"
            j += 2
            end = j
        elif t.lower_ == "of" and j > i and j + 1 < len(doc) and toks[j + 1].is_title and toks[j + 1].pos_ == "PROPN" \
                and toks[j - 1].lower_ not in NAME_OPENERS:
            j += 2
            end = j
        elif t.is_lower and t.lower_ in _NAME_PARTICLES and j > i and j + 1 < len(doc) \
                and toks[j + 1].is_title and toks[j + 1].pos_ == "PROPN":
            j += 2  # "Bill de Blasio", "Ursula von der Leyen"
            end = j
        else:
            break
    return end


# What a party's name (PARTIES) may open with: the prefixes of its first word (a token's text is one).
_PARTY_OPENINGS = frozenset(name.split()[0][:k] for name in PARTIES for k in range(1, len(name.split()[0]) + 1))
# The words _repair_spans' first pass acts on: name openers, titles and role nouns.
_REPAIR_OPENERS = frozenset(NAME_OPENERS) | frozenset(TITLE_ABBREV) | frozenset(_PRENAME_TITLES) | frozenset(ROLE_NOUNS)


def _repair_spans(doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Add what grammar makes certain and the small NER model misses: names after honorifics and
    role words, party names, acronyms from the table; drop spans they overlap."""
    forced: list[tuple[int, int, str]] = []
    index = doc_index(doc)  # a list is read faster than doc[i] (issue 15's time budget)
    toks, dtext, lower = index.tokens, index.text, index.lower
    n = len(doc)
    # only the words either test below can hold for (few: issue 15's time budget)
    for i in [k for k, low in enumerate(lower) if low in _REPAIR_OPENERS]:
        t, low = toks[i], lower[i]
        # "Mr Kilroy-Silk", "Lord Nicholls of Birkenhead", "Sir Alan Budd"
        nxt = i + 1
        while nxt < n and toks[nxt].is_space and "\n" not in toks[nxt].text:
            nxt += 1
        if low in NAME_OPENERS and (t.is_title or t.is_upper) and nxt < n:
            j = _name_run(doc, nxt)
            if j > nxt and not toks[nxt].is_punct:
                start = i if low in NOBLE else nxt
                forced.append((start, j, "PERSON"))
            continue
        # "Secretary Alejandro Mayorkas", "spokesman Mark Croucher": a role word then a proper name
        if (low in TITLE_ABBREV or low in _PRENAME_TITLES or (t.is_lower and low in ROLE_NOUNS and t.pos_ == "NOUN")) and nxt < n \
                and toks[nxt].pos_ == "PROPN" and _name_shaped(toks[nxt]) and low not in ("head", "source", "people", "person") \
                and low not in ORG_CLASS_NOUNS:  # "watchdog Ofcom", "regulator Ofcom": an organisation
            j = _name_run(doc, nxt, limit=3)
            words = {x.lower_ for x in doc[nxt:j]}
            text = doc[nxt:j].text.lower()
            if j > nxt and not (words & ORG_WORDS) and text not in OUTLET_OF and text not in PARTIES \
                    and text.upper() not in ACRONYMS and not any(x.ent_type_ in ("GPE", "DATE", "NORP", "LOC") for x in doc[nxt:j]) \
                    and (j >= n or not toks[j].is_title or toks[j].is_sent_start):
                forced.append((nxt, j, "PERSON"))
    # parties (longest surface form first) and table acronyms, from title-case or upper-case words
    i = 0
    words = index.words
    for start in index.flagged(IS_TITLE, IS_UPPER):
        if start < i:
            continue  # inside the party or acronym found last
        i = start
        hit = None
        # the words from i (at most 3) a party's name may hold, each tested once: a name of L
        # words is looked up only when its L words all are, and only from a word that may open
        # one (its lower case a prefix of a party name's first word)
        run = 1 if lower[i] in _PARTY_OPENINGS else 0
        while 0 < run < 3 and i + run < n and (lower[i + run] in ("of", "and") or toks[i + run].is_title
                                               or toks[i + run].is_upper):
            run += 1
        for L in (3, 2, 1):
            if L > run:
                continue
            span = toks[i:i + L]  # tokens, not a Span: the words' text is cut from the doc's text
            low = dtext[span[0].idx:span[-1].idx + len(span[-1].text)].lower()
            if low in PARTIES and not (L == 1 and span[0].is_sent_start and low in ("labour", "conservative", "democratic")):
                hit = (i, i + L, "ORG")
                break
        if hit is None and words[i] in ACRONYMS and toks[i].is_upper and len(toks[i]) >= 3 and words[i] != "WHO":
            hit = (i, i + 1, "ORG")
        if hit:
            forced.append(hit)
            i = hit[1]
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
                    doc[s:e].text.lower() in PARTIES:
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


def extend_channel(doc, s: int, e: int) -> int:
    """Grow a broadcaster's name over its channel words: "BBC" + "One", "BBC News" + "24"."""
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    if toks[s].lower_ not in BROADCASTERS and doc[s:min(e, s + 2)].text.lower() not in BROADCASTERS:
        return e
    while e < len(doc) and e - s < 5 and toks[e - 1].whitespace_ and \
            (toks[e].like_num or (toks[e].is_title and toks[e].lower_ in _CHANNEL_WORDS)):
        e += 1
    return e


def span_text(doc, s: int, e: int) -> str:
    """``doc[s:e].text``, cut from the Doc's text without building a Span (issue 15's time budget)."""
    if e <= s:
        return ""
    index = doc_index(doc)
    if s < 0 or e > index.size:
        return doc[s:e].text  # spaCy's slice rules
    offsets = index.offsets  # (the lists: a Token's idx and text are built on each read)
    return index.text[offsets[s]:offsets[e - 1] + len(index.words[e - 1])]


def person_name_tokens(doc, s: int, e: int) -> tuple[int, int, str | None, list[int]]:
    """Strip honorifics / title words at the start of a PERSON span; return name bounds, gender, title tokens.

    A title is an abbreviated one ("Sen."), a role noun ("Secretary"), or a capitalised people noun
    before a name of two words or more ("Comedian Sarah Silverman"; not a first name: "Christian Bale").
    """
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    gender = None
    title_toks = []
    if is_inverted_opener(doc, s, e):
        s += 1  # 'Said Comey, "The thought ..."': the verb, not a first name
    while s < e - 1:
        low = toks[s].lower_
        if low in NOBLE:
            gender = HONORIFICS.get(low) or GENDER_ROLE.get(low) or gender
            break
        if low in HONORIFICS:
            gender = HONORIFICS[low] or gender
            s += 1
        elif low in TITLE_ABBREV or (toks[s].lower_ in ROLE_NOUNS and toks[s].is_title) \
                or low.rstrip(".") in ("president", "secretary", "senator", "governor", "chief") \
                or (low in CLERICAL and toks[s].is_title):
            title_toks.append(s)
            s += 1
        elif e - s >= 3 and toks[s].is_title and names_people(toks[s]) and not first_name_gender(toks[s].text):
            # a people noun the NER took into a full name: "Comedian Sarah Silverman", "Billionaire
            # Donald Trump" (issue 15 §5: the canonical name is the person's name alone)
            title_toks.append(s)
            s += 1
        else:
            k = _position_before_name(toks, s, e)
            if k is None:
                break
            title_toks.extend(range(s, k + 1))  # "Browns DL Sheldon Richardson": team and position
            s = k + 1
    if toks[s].lower_ not in NOBLE:
        # "Patrick Murray of Christie": a person's name of two words or more ends before "of" (a
        # place, a firm, a campaign the NER ran on into); a noble's does not ("Lord Nicholls of
        # Birkenhead"), nor a name of one word ("Joan of Arc")
        cut = next((k for k in range(s + 2, e - 1) if toks[k].lower_ == "of"), None)
        if cut is not None and all(is_name_case(t) for t in toks[s:cut]):
            e = cut
    return s, e, gender, title_toks


def _position_before_name(toks, s: int, e: int) -> int | None:
    """The index of a capitalised abbreviation that ends a sports writer's label before a full name in a
    PERSON span ("Browns DL Sheldon Richardson", CBS Sports, holdout-intl7; "Steelers QB Mason
    Rudolph"): the words before it are capitalised and no given name, two capitalised words or more
    follow it (a name: "Sheldon" is not in the first-name table); else None."""
    for k in range(s + 1, e - 2):
        word = toks[k].text
        if 2 <= len(word) <= 3 and word.isalpha() and word.isupper() \
                and all(toks[j].is_title for j in range(k + 1, e)):
            if all(toks[j].is_title and not first_name_gender(toks[j].text) for j in range(s, k)):
                return k
            return None
    return None


def is_inverted_opener(doc, s: int, e: int) -> bool:
    """Whether token ``s`` is a reporting verb that opens its sentence before the name ``s + 1 .. e``
    and a comma or colon ('Said Comey, "The thought ..."', "Said Williams: ..."): an inverted
    frame, not a first name "Said".

    After a comma the frame's quotation must follow before any finite verb outside a clause hung on
    the name ('Said Dorothy Poynter, who grew up with Ali ..., "We were ..."'): a name that governs a
    verb of its own is the subject of that verb, and "Said" its first name ('Said Jalili, Iran's
    negotiator, told reporters ...')."""
    toks = doc_index(doc).tokens
    if e - s < 2 or toks[s].lower_ not in _INVERTED_OPENERS or e >= len(toks) or toks[e].text not in (",", ":"):
        return False
    if not (toks[s].is_sent_start or s == 0 or toks[s - 1].is_punct or "\n" in toks[s - 1].text):
        return False
    if toks[e].text == ":":
        return True
    for k in range(e + 1, len(toks)):
        tok = toks[k]
        if tok.is_quote and tok.tag_ != "POS":  # a quotation opens; not a possessive "negotiators'"
            return True
        if tok.is_sent_start or "\n" in tok.text:
            return False
        if tok.tag_ in _FINITE_TAGS and not _in_modifier(tok):
            return False
    return False


# Finite verb tags: a verb of its own after a name ("Said Jalili, ..., told reporters"); the verb
# that opens a hung name's frame (name_hung_before).
_FINITE_TAGS = frozenset(("VBD", "VBZ", "VBP", "MD"))


def _in_modifier(tok) -> bool:
    """Whether ``tok`` lies in a relative or participial clause or an apposition (its head chain
    passes a relcl, acl or appos link): a verb that modifies a noun, not the sentence's own."""
    for _ in range(12):
        if tok.dep_ in ("relcl", "acl", "appos"):
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def name_key_tokens(text: str) -> list[str]:
    """Words of a person's name without honorifics, role abbreviations and suffixes (noble titles kept)."""
    return list(_name_key_words(text))


@lru_cache(maxsize=65536)
def _name_key_words(text: str) -> tuple[str, ...]:
    """:func:`name_key_tokens`, kept per text (asked again for each mention of a name and by
    every step that groups them: issue 15's time budget)."""
    t = fold(text)
    t = re.sub(r"['\u2019]s?$", "", t)
    t = re.sub(r"\s*-\s*", "-", t)
    # a dash glued before the first word is a bullet or a byline's dash ("-Nate Cohn"), no name's
    words = [w.strip(".,\"'") for w in re.split(r"\s+", t.lstrip(DASHES)) if w]
    words = [w for w in words if w]
    while words and words[0].lower() not in NOBLE and (words[0].lower() in HONORIFICS or words[0].lower() + "." in HONORIFICS):
        words = words[1:]
    while words and (words[0].lower() in TITLE_ABBREV or words[0].lower() + "." in TITLE_ABBREV):
        words = words[1:]
    return tuple(w for w in words if w.lower() not in ("jr", "sr", "ii", "iii", "iv"))


def _opens_with_plain_honorific(text: str) -> bool:
    """Whether a name is written after an honorific that is no noble title ("Mr.", "Mrs", "Dr.")."""
    first = fold(text).lstrip(DASHES).split(maxsplit=1)[:1]
    low = first[0].lower() if first else ""
    return low not in NOBLE and (low in HONORIFICS or low + "." in HONORIFICS) and low not in ("sir", "dame")


@lru_cache(maxsize=65536)
def name_parts(text: str) -> tuple[str | None, str | None, bool]:
    """(first name, surname, noble) of a person's name, lower case: "Lord Nicholls of Birkenhead" ->
    (None, "nicholls", True); "Alejandro Mayorkas" -> ("alejandro", "mayorkas", False)."""
    cased = name_key_tokens(text)
    words = [w.lower() for w in cased]
    # a noble title opens a name ("Prince Harry", "Lord Nicholls"); after a first name or a plain
    # honorific the word is a surname ("Matthew Prince", "Mr. Prince", "Charlie King", "Mr. King")
    lead = 0
    if not _opens_with_plain_honorific(text):
        while lead < len(words) and words[lead] in NOBLE:
            lead += 1
    noble = lead > 0
    core = words[lead:]
    if "of" in core[1:]:
        core = core[:core.index("of", 1)]
    # particles belong to the surname: "Bill de Blasio" and "De Blasio" share ("blasio"); "Al"
    # written so before a surname is the first name ("Al Franken", "Al Sharpton"), not "al-"
    first = 0 if len(core) > 1 and cased[:1] == ["Al"] and not noble else -1
    core = [w for k, w in enumerate(core) if w not in _NAME_PARTICLES or k in (first, len(core) - 1)]
    if not core:
        return None, None, noble
    if len(core) == 1:
        return None, core[0], noble
    return core[0].rstrip("."), core[-1], noble


def title_span(doc, r: int, stop: int | None = None) -> tuple[int, int]:
    """Token bounds of the title noun phrase headed by role noun ``r`` (determiner excluded)."""
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    tok = toks[r]
    s = r
    # contiguous pre-modifiers inside the role noun's subtree (or its compound chain)
    while s - 1 >= 0:
        p = toks[s - 1]
        if p.is_sent_end or "\n" in p.text_with_ws:
            break
        if p.lower_ in ("the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "whose") \
                or p.tag_ in ("DT", "PRP$", "WP$", "POS"):
            break
        if p.pos_ in ("PROPN", "NOUN", "ADJ", "NUM") or p.text in ("-",) or p.lower_ in FORMER \
                or p.lower_ in TITLE_ABBREV or (p.pos_ == "VERB" and p.tag_ == "VBG" and p.dep_ in ("amod", "compound")):
            if p.text in (",",):
                break
            if p.head.i < s - 1 and p.dep_ not in ("compound", "amod", "nmod", "nummod", "npadvmod") \
                    and not (p.dep_ == "conj" and p.head.dep_ in ("amod", "compound", "nmod") and p.head.head.i == r):
                break  # (but "state" in "Federal and state officials" is a modifier's conjunct)
            s -= 1
            continue
        if p.text == "." and s - 2 >= 0 and toks[s - 2].is_upper:
            s -= 1
            continue
        if p.lower_ in ("and", "or") and s - 2 >= 0 and toks[s - 2].pos_ in ("ADJ", "NOUN", "PROPN") \
                and toks[s - 2].dep_ in ("amod", "compound", "nmod") and toks[s - 2].head.i == r and s < r:
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
                if toks[x].text in ("(", ",", ";", "\u2014", "--") or "\n" in toks[x].text:
                    last = x - 1
                    break
            if stop is not None and last >= stop:
                last = stop - 1
            if last - r > 12:
                break
            e = last + 1
        else:
            break
    while e > r + 1 and (toks[e - 1].is_punct or toks[e - 1].lower_ in ("'s", "\u2019s")):
        e -= 1
    return s, e


def _is_title_case_span(doc, s, e):
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    return any(toks[i].is_title or toks[i].is_upper for i in range(s, e))


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
    return _first_names().get(fold(first).lower().strip(".")) if first else None


def has_person_apposition(span) -> bool:
    """The span's head has an apposition headed by a role noun ("X, a writer,")."""
    head = span.root
    for c in children(head):
        if c.dep_ == "appos" and c.i >= span.end and is_role(c) and c.lower_ not in SOURCE_NOUNS - {"spokesperson", "spokesman", "spokeswoman"}:
            return True
    return False


def initials_match(acr: str, long: str) -> bool:
    words = [w for w in re.split(r"[\s-]+", long) if w and w.lower() not in ("of", "and", "the", "for", "on", "&", "to", "in")]
    words = [w for w in words if w not in ("U.S.", "US")]
    initials = "".join(w[0].upper() for w in words if w[0].isalpha())
    a = acr.upper()
    return initials == a or (len(a) >= 2 and initials.startswith(a) and len(initials) - len(a) <= 1) or \
        "".join(c for c in long if c.isupper()) == a


def compatible_parts(a: tuple, b: tuple) -> bool:
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


def is_name_tail(short: str, long: str) -> bool:
    """Whether ``short`` is the last two or more words of the longer name ``long``: a surname of
    several words written alone ("Wasserman Schultz" of "Debbie Wasserman Schultz", "Rodham
    Clinton" of "Hillary Rodham Clinton"). A short form opening with a known first name is a full
    name of its own ("Donald Trump" is not a word of the NER's "Rip Donald Trump"; so "Lloyd
    Webber" stays apart too)."""
    a = [w.lower() for w in name_key_tokens(short)]
    b = [w.lower() for w in name_key_tokens(long)]
    return 2 <= len(a) < len(b) and b[-len(a):] == a and not (b[0] in NOBLE or a[0] in NOBLE) \
        and first_name_gender(a[0]) is None


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


@lru_cache(maxsize=65536)
def entity_id(type_: str, name: str) -> str:
    """Deterministic global entity id: a hash of type and normalised canonical name.

    >>> entity_id("person", "Chris Magnus") == entity_id("person", "chris  magnus")
    True
    """
    norm = re.sub(r"\s+", " ", fold(name).lower()).strip()
    return "ent-" + hashlib.sha1(f"{type_}|{norm}".encode("utf-8")).hexdigest()[:12]


def role_dict(r: Any) -> dict[str, Any]:
    if isinstance(r, Role):
        return dict(title=r.title, article_id=r.article_id, current=r.current, org=r.org, published=r.published)
    if isinstance(r, dict):
        return dict(title=r.get("title"), article_id=r.get("article_id"), current=r.get("current", True),
                    org=r.get("org"), published=r.get("published"))
    return dict(title=str(r), article_id=None, current=True, org=None, published=None)


def _person_tokens(name: str) -> list[str]:
    return [w.lower() for w in name_key_tokens(name) if w]


def role_heads(roles: Iterable[dict[str, Any]]) -> set[str]:
    out = set()
    for r in roles:
        for w in re.findall(r"[A-Za-z][\w.-]*", r.get("title") or ""):
            lw = w.lower()
            if lw in ROLE_NOUNS or lw in TITLE_ABBREV:
                out.add(TITLE_ABBREV.get(lw, lw))
        if r.get("org"):
            out.add("org:" + org_key(r["org"]))
    return out


def can_speak(tok) -> bool:
    """Whether a subject word can be a speaker: a name, a pronoun, a people, organisation or
    document noun; not "a winter break" (issue 15: a speaker is never a non-agent).

    Args:
        tok: the head token of a noun phrase.
    Returns:
        False for a common noun of no entity type that names no people, organisation, document
        or speech; True otherwise.
    """
    if tok.pos_ != "NOUN" or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE", "FAC"):
        return True
    lemma = tok.lemma_.lower()
    return (names_people(tok) or lemma in ORG_WORDS or lemma in DOC_NOUNS or lemma in cues.DOCUMENT_NOUNS
            or lemma in cues.SPEECH_NOUNS or any(c.dep_ == "appos" for c in children(tok)))


def speaks_above(clause, verb, subj) -> bool:
    """Whether the speaker of ``verb`` is to be looked for above ``clause``, a clause it was walked
    up to whose subject ``subj`` cannot speak (:func:`can_speak`) and that hangs under another as a
    complement, a conjunct or an adverbial: "Mr. Putin forecast that the slumping economy would
    soon rebound and praised ...", "Hodgson believes a winter break carries advantages,
    explaining: ...". The one rule of ``sources.subject_of`` and ``speakers.cue_subject``.

    Args:
        clause: the head of the clause reached from ``verb``.
        verb: the cue's verb.
        subj: the clause's subject.
    """
    return (clause.i != verb.i and not can_speak(subj) and clause.dep_ in ("ccomp", "conj", "advcl")
            and clause.head.i != clause.i)


def name_hung_before(verb):
    """The person's name that opens a subjectless finite verb's frame after a fronted phrase, its
    description set off by commas: "At Boca West, where it costs new members $70,000 to sign up,
    Jay DiPietro, the club's 78-year-old president and general manager, suggested that ..." (the
    small model hangs the name on "West" as an apposition and leaves the verb without a subject).
    The name's phrase, its own apposition included, follows a comma and runs up to the comma
    before the verb; it is hung on no person. The one rule of ``sources.subject_of`` and
    ``speakers.cue_subject``.

    Args:
        verb: a cue's verb.
    Returns:
        The name's last token, else None.
    """
    toks = doc_index(verb.doc).tokens
    if verb.dep_ != "ROOT" or verb.i < 3:
        return None
    kids = children(verb)
    if any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in kids):
        return None
    # the verb's frame opens after the comma: its auxiliaries ("Clinton, the once-presumptive
    # nominee, was bracing"), and an aside hung on the verb between commas ("Lazar, in a green jail
    # jumpsuit, said")
    first = verb.i
    while first > 0 and toks[first - 1].dep_ in ("aux", "neg") and toks[first - 1].head.i == verb.i:
        first -= 1
    finite = verb if first == verb.i else toks[first]
    if finite.tag_ not in _FINITE_TAGS or first < 3 or toks[first - 1].text != ",":
        return None
    comma = first - 1
    for c in sorted((c for c in kids if c.i < comma and c.dep_ in _ASIDE_DEPS), key=lambda c: -c.i):
        if c.right_edge.i == comma - 1 and c.left_edge.i > 1 and toks[c.left_edge.i - 1].text == ",":
            comma = c.left_edge.i - 1
    for j in range(comma - 1, max(0, comma + 1 - _MAX_HUNG), -1):
        tok = toks[j]
        if "\n" in tok.text or tok.text in _CLOSING_MARKS:
            return None
        if tok.pos_ != "PROPN" or tok.ent_type_ != "PERSON" or tok.dep_ not in ("appos", "conj") \
                or tok.head.i >= tok.i or tok.right_edge.i != comma - 1:
            continue
        lo = tok.left_edge.i
        return tok if lo > 0 and toks[lo - 1].text == "," and tok.head.ent_type_ != "PERSON" else None
    return None


_MAX_HUNG = 32
# What may stand between commas after the name and before its verb, hung on the verb: "in a green
# jail jumpsuit", "however", "last week".
_ASIDE_DEPS = frozenset(("prep", "advmod", "npadvmod"))
_CLOSING_MARKS = frozenset({"\u201d", '"', "''", "\u2019"})


_ABSTRACT_ENDINGS = ("tion", "sion", "ment", "ness", "ism")


def thing_of_clause(clause) -> bool:
    """Whether the noun a subjectless participle or infinitive hangs on cannot be its speaker: a
    time, a noun of an act or quality ("a reference ..., remarking"), or anything that cannot speak
    before a to-infinitive ("requests to comment", "a campaign to condemn"; a person can: "the
    first woman to say"). ``speakers.cue_subject``'s rule (``sources.subject_of`` does not use it:
    on the blind split it cost a content and moved no source, 2026-12-03).

    Args:
        clause: a clause the parse hangs on a noun as ``acl`` or ``relcl``.
    """
    noun = clause.head
    if noun.ent_type_ in ("DATE", "TIME"):
        return True
    if noun.pos_ != "NOUN" or any(c.dep_ in SUBJ_DEPS for c in children(clause)):
        return False
    if clause.tag_ == "VB" and cues.marked_by_to(clause):
        return not names_people(noun) and noun.ent_type_ not in ("PERSON", "NORP")
    return not can_speak(noun) and noun.lemma_.lower().endswith(_ABSTRACT_ENDINGS)


def object_controller(xcomp):
    """The object that controls a to-infinitive: "led [DNC chairwoman Debbie Wasserman Schultz] to
    announce her resignation", "forced [him] to admit": who speaks is the object of the verb above,
    not its subject ("The release of the emails by Wikileaks"); not under a reporting verb, whose
    infinitive is what it reports ("urged him to say"). The one rule of
    ``sources.subject_of`` and ``speakers.cue_subject``.

    Args:
        xcomp: a clause the parse hangs on a verb as ``xcomp``.

    Returns:
        The object's head token (a noun, name or pronoun written before the infinitive), else None
        ("tried to defend": no object, the subject speaks).
    """
    if xcomp.dep_ != "xcomp" or not cues.marked_by_to(xcomp):
        return None
    if cues.is_cue_lemma(xcomp.head.lemma_) or any(c.tag_ in ("WP", "WRB", "WDT") for c in children(xcomp)):
        # the infinitive is what a reporting verb reports ("urged him to say", "told them what to
        # say": nobody said it), or an embedded question
        return None
    obj = next((c for c in children(xcomp.head) if c.dep_ == "dobj" and c.i < xcomp.i), None)
    if obj is None:
        return None
    # someone who can be made to speak: a name, a personal pronoun, a people noun ("urged voters
    # to"), an organisation's class noun ("led the French manufacturer to announce ..."); not a thing
    # used for a purpose ("used his acceptance speech to call ...")
    if obj.pos_ == "PROPN" or (obj.pos_ == "PRON" and obj.lower_ not in _NOT_PERSONAL) or (
            obj.pos_ == "NOUN" and (names_people(obj) or obj.ent_type_ in ("PERSON", "ORG", "NORP")
                                    or obj.lemma_.lower() in ORG_CLASS_NOUNS)):
        return obj
    return None


_NOT_PERSONAL = frozenset(("this", "that", "these", "those", "which", "what", "something", "anything",
                           "nothing", "everything", "much", "more", "all", "some", "any"))


_PLACE_OR_TIME = frozenset(("GPE", "LOC", "FAC", "DATE", "TIME"))


def name_closing_split_subject(subjects: list):
    """The person's name that closes one subject phrase the parse split into two subjects of a
    verb, the words before it a description of its holder run into the name with no punctuation:
    "Wikileaks editor-in-chief Kristinn Hrafnsson said" (BBC, holdout-intl: "Wikileaks" and
    "Hrafnsson" both subjects of "said"). An English noun phrase ends in its head; a name there
    is who the phrase names. Returns the name's token, else None (one subject, or two set apart
    by punctuation, or a first part that is a person's name itself)."""
    if len(subjects) != 2:
        return None
    first, last = subjects
    if last.pos_ != "PROPN" or last.ent_type_ != "PERSON" or first.ent_type_ == "PERSON" or first.i > last.i:
        return None
    doc = last.doc
    if any(t.is_punct for t in doc[first.right_edge.i + 1:last.left_edge.i]) or first.right_edge.i >= last.left_edge.i:
        return None
    return last


def without_places(subjects: list) -> list:
    """The subjects of one verb that are not a place or a time, when the parse gives the verb
    several and at least one is neither ("Speaking at a town hall event in Salem, New Hampshire,
    Trump went after Bush": "Hampshire" and "Trump"); else ``subjects`` unchanged.

    Args:
        subjects: subject tokens of one verb, in text order.
    Returns:
        The subjects that can speak for the verb, in text order.
    """
    if len(subjects) < 2:
        return subjects
    kept = [t for t in subjects if t.ent_type_ not in _PLACE_OR_TIME]
    return kept or subjects


_NAMING_VERBS = frozenset(("identify", "name"))  # (not "call": "a group called ...")


def name_for_description(tok):
    """The person's name that a description or "those" stands for in its own sentence: the person's
    name the description is given ("A woman later identified as Eva Resnick-Day, ..., demanded", "a
    man named John Smith"), or the subject counted among a group ("Naureen Jahangir, ..., is among
    those who say ...", "Chelsea Nguyen ... counts herself among those voters who want ...").
    The one rule of ``sources.subject_of`` and ``speakers.cue_subject``.

    Args:
        tok: the head of a noun phrase found as a cue's subject.
    Returns:
        The name's head token, else None.
    """
    if tok.pos_ == "PROPN":
        return None
    verbs = [c for c in children(tok) if c.dep_ == "acl"]
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.tag_ == "VBN" and (
            tok.dep_ == "nsubjpass" or not any(c.dep_ in ("aux", "dobj") for c in children(tok.head))):
        # (the small model may make the participle the sentence's verb; an auxiliary or an object
        # makes it an active perfect instead: "Police have identified the victim as John Smith")
        verbs.append(tok.head)
    for verb in verbs:
        if verb.lemma_.lower() not in _NAMING_VERBS or verb.tag_ != "VBN":
            continue
        for c in children(verb):
            if c.dep_ == "prep" and c.lower_ == "as":
                c = next((g for g in children(c) if g.dep_ == "pobj"), c)
            if c.dep_ in ("pobj", "oprd", "attr", "dobj") and c.pos_ == "PROPN" and c.ent_type_ == "PERSON" \
                    and c.i > tok.i:
                return c
    if tok.dep_ == "pobj" and tok.head.lower_ == "among" and tok.head.head.i != tok.head.i:
        subj = next((c for c in children(tok.head.head) if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i), None)
        if subj is not None and (subj.pos_ == "PROPN" or subj.ent_type_ == "PERSON"):
            return subj
    return None


def given_name_and_surname(before, first, last) -> bool:
    """Whether ``first last`` is a given name of one gender (the first-name table's) and a capitalised
    surname, both proper nouns, after a word ``before`` that is no given name ("Ukraine Kurt Volker",
    "Liberals Elena Kagan"): the one test of :func:`appositive_name` and of ``mentions``' ORG span
    that ends in a person's name."""
    return first.is_title and last.is_title and first.pos_ == "PROPN" and last.pos_ == "PROPN" \
        and first_name_gender(first.text) is not None and first_name_gender(before.text) is None


def appositive_name(tok):
    """The person's name that ends the apposition of a description, run together by the parse with
    the place before it: "Another diplomat, former special envoy to Ukraine Kurt Volker, shifted his
    own account ..." (AP, holdout-intl6) hangs "Kurt Volker" under "to" with "Ukraine" as its
    compound. The apposition is a common noun after its head, at least four words long and closed
    by a comma; its last words are a given name (one of the first-name table's) and a surname after
    a proper noun that is no given name. The one rule of ``sources.SourceResolver.source`` and
    ``speakers``' speaker head.

    Args:
        tok: the head of a noun phrase found as a cue's subject.
    Returns:
        The name's last token, else None.
    """
    if tok.pos_ != "NOUN":
        return None
    toks = doc_index(tok.doc).tokens
    for app in children(tok):
        if app.dep_ != "appos" or app.pos_ != "NOUN" or app.i < tok.i:
            continue
        r = app.right_edge.i
        if r + 1 >= len(toks) or toks[r + 1].text != "," or r - app.i < 3:  # (so r - 2 > tok.i)
            continue
        last, first, before = toks[r], toks[r - 1], toks[r - 2]
        if before.pos_ == "PROPN" and given_name_and_surname(before, first, last) \
                and last.dep_ in ("pobj", "appos", "compound"):
            return last
    return None


def inverted_subject(verb):
    """The subject after a reporting verb that the parse made its object: in "Sondland was known
    for telling others ... in Brussels, said another witness in the impeachment probe, former White
    House Russia adviser Fiona Hill" (AP, holdout-intl6) the small model reads "another witness" as
    the object of "said". A finite reporting verb set off by a comma after its fronted content
    (a clause complement before it) and with no subject of its own has its subject inverted; a
    noun phrase right after it that can speak (:func:`can_speak`) is that subject. The one rule of
    ``sources.subject_of``, ``speakers.cue_subject`` and ``reported``'s check of a cue subject
    taken for a clause.

    Args:
        verb: a cue's verb.
    Returns:
        The noun phrase's head token, else None.
    """
    if verb.dep_ != "ROOT" or verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i < 3:
        return None
    toks = doc_index(verb.doc).tokens
    if toks[verb.i - 1].text not in (",",) + tuple(_CLOSING_MARKS):
        return None
    kids = children(verb)
    if any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in kids) \
            or not any(c.dep_ == "ccomp" and c.i < verb.i for c in kids):
        return None
    obj = next((c for c in kids if c.dep_ in ("dobj", "dative") and c.i > verb.i), None)
    if obj is None or obj.left_edge.i != verb.i + 1 or obj.pos_ not in ("NOUN", "PROPN") or not can_speak(obj):
        return None
    return obj


def with_subject(verb):
    """The subject of a participle in a "with" phrase ("The conversation ended with Maddow asking
    Clinton pointedly whether ..."): the object of "with" right before it, which the small model
    leaves as the preposition's object and hangs the participle on the verb above, when that
    verb's own subject cannot speak (:func:`can_speak`). The one rule of ``sources.subject_of`` and ``speakers.cue_subject``.

    Args:
        verb: a cue's verb.
    Returns:
        The object's head token, else None.
    """
    if verb.tag_ != "VBG" or verb.dep_ not in ("advcl", "conj") or verb.i < 2:
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in children(verb)):
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass") and can_speak(c) for c in children(verb.head)):
        # "a group of professors ... filed a brief with the Supreme Court arguing that ...": the
        # participle is the main clause's, whose subject can speak
        return None
    toks = doc_index(verb.doc).tokens
    prev = toks[verb.i - 1]
    head = prev
    while head.dep_ in ("compound", "flat") and head.head.i == verb.i - 1:
        head = head.head
    if prev.right_edge.i != verb.i - 1 or head.dep_ != "pobj" or head.head.lower_ not in ("with", "without") \
            or head.head.head.i != verb.head.i or head.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    return head


def name_after_relative(tok):
    """The name set off by commas right after a relative clause on a common noun, which the small
    model hangs on the clause's last noun ("The company that runs the AMAs, Dick Clark Productions,
    denies ...": the company is Dick Clark Productions), else None."""
    doc = tok.doc
    for child in tok.children:
        if child.dep_ != "relcl" or child.i < tok.i:
            continue
        name = child.right_edge
        lo = name.left_edge.i
        if name.dep_ == "appos" and name.pos_ == "PROPN" and lo > child.i and doc[lo - 1].text == "," \
                and name.i + 1 < len(doc) and doc[name.i + 1].text == ",":
            return name
    return None
