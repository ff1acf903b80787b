"""Collecting an article's mentions: names, organisations, outlets, acronyms and descriptions.

The first steps of the entity analysis, each adding :class:`~.draft.DraftMention` records to the
draft (titles and pronouns are collected in ``titles`` and ``pronouns``): the spaCy NER's spans, repaired where the small model slips
(:func:`collect_ner`); outlets a media noun classifies (:func:`collect_outlets_by_grammar`) and
outlet names from the table the NER missed (:func:`collect_outlets_from_text`); acronyms the
article defines and their later uses (:func:`find_acronyms`); definite descriptions that act as
anaphors, "the billionaire said" (:func:`collect_descriptions`). :func:`org_identity` says which
organisation, place or group a mention names, from the acronyms found here and the outlet tables.
"""

from __future__ import annotations

import re

from spacy.attrs import IS_TITLE, IS_UPPER

from ..doc_index import children, doc_index
from ..cues import is_cue_lemma
from ..lexicon import HONORIFICS, ROLE_NOUNS, TITLE_ABBREV, names_people
from ..quote_marks import DASHES
from ..outlets import (
    ACRONYM_OF, ACRONYMS, AMBIGUOUS_OUTLET_ALIASES, GPE_CANON, ORG_WORDS, OUTLET_OF, canonical_outlet,
    fold, org_key,
)
from .analysis import BODY_HEADS
from .draft import SUBJECT_OR_AGENT_DEPS, DraftMention, EntityDraft, add_mention
from .names import (
    CLERICAL, GENDER_ROLE, NAME_OPENERS, NOBLE, ORG_CLASS_NOUNS, PARTIES, PLATFORMS, SOURCE_NOUNS, clean_ents,
    extend_channel, first_name_gender, given_name_and_surname, has_person_apposition, initials_match, is_inverted_opener,
    is_name_case, name_key_tokens, person_name_tokens, span_text,
)

# Nouns that classify a proper name as a news outlet ("the Herald newspaper", "media outlet Townhall").
MEDIA_NOUNS = {"newspaper", "paper", "tabloid", "broadsheet", "magazine", "website", "outlet",
               "broadcaster", "daily", "weekly", "newsletter", "journal"}
# Nouns that make the name before them the title of a work ("the Today programme", "the Halo
# series"): a work is neither a person nor an organisation (issue #17).
WORK_NOUNS = frozenset("programme program show series game film movie album single franchise podcast "
                       "sitcom soap drama novel book song musical".split())
# Words of a legal citation ("Title 8 USC 1326", "Section 230"): a statute, not an organisation.
STATUTE_WORDS = frozenset("title section sec chapter usc u.s.c. u.s.c cfr code act article paragraph "
                          "subsection".split())
# Group nouns a team or organisation name modifies ("Everton supporters", "Chelsea manager"), which
# a person's surname does not.
GROUP_NOUNS = frozenset("supporters fans squad side team club manager boss chairman board stadium striker "
                        "defender midfielder goalkeeper coach captain player players shareholders "
                        "listeners viewers".split())
# The last word of a company's name ("Dick Clark Productions", "Big Machine Records", "Emirates
# Airlines"): a name the NER tags PERSON that ends in one is an organisation.
COMPANY_TAILS = frozenset("productions records studios pictures entertainment holdings industries enterprises "
                          "airlines airways motors technologies laboratories labs pharmaceuticals ventures "
                          "partners associates inc. inc corp. corp ltd ltd. llc plc".split())
# People nouns too plain to point back to a named person ("the man said": usually someone unnamed).
_PLAIN_PEOPLE = frozenset("man woman person boy girl child kid guy lady gentleman people".split())


def _ends_in_person_name(toks, s: int, e: int) -> bool:
    """An ORG span whose last two words are a given name of one gender and a capitalised surname,
    with no organisation word in it ("Ukraine Kurt Volker"; not "Morgan Stanley", "Ford Motor")."""
    before, first, last = toks[e - 3], toks[e - 2], toks[e - 1]
    return (given_name_and_surname(before, first, last) and before.is_title
            and not before.text.endswith(".")  # "St. Paul Votes" (a headline's place and verb)
            and not any(t.lower_ in ORG_WORDS or t.lower_ in COMPANY_TAILS for t in toks[s:e]))


def collect_ner(draft: EntityDraft) -> None:
    """PERSON, ORG, GPE and NORP mentions from the NER (outlets among them become OUTLET), repaired."""
    doc = draft.doc
    spans = clean_ents(doc)
    index = doc_index(doc)
    dtoks, dwords, dlower = index.tokens, index.words, index.lower  # list slices, not Spans (issue 15's time budget)
    teams = team_names(doc)
    not_persons = non_person_names(doc, spans, teams)
    surnames = {dwords[e - 1] for s, e, label in spans if label == "PERSON" and e - s >= 2}
    for s, e, label in spans:
        text = span_text(doc, s, e)
        if label in ("FAC", "LOC"):
            continue
        # (the shared word lists first; a Token's like_url only for the words they pass)
        if any(w.startswith("@") or "_" in w or "/" in w for w in dwords[s:e]) \
                or any("http" in low for low in dlower[s:e]) or any(t.like_url for t in dtoks[s:e]):
            continue
        with_the = s > 0 and dlower[s - 1] == "the"
        outlet = canonical_outlet(("the " if with_the else "") + text) if label in ("ORG", "WORK_OF_ART", "NORP", "PERSON", "GPE") else None
        if outlet and label == "PERSON" and text.lower() not in OUTLET_OF:
            outlet = None  # a person named like an outlet ("Emily Post")
        if outlet and label == "PERSON" and not with_the and e - s == 1 and dwords[s] in surnames:
            # the surname of a person the article names in full ("said Hill, who will testify"
            # after "Fiona Hill", AP, holdout-intl6): the outlet is "The Hill", with its article
            outlet = None
        if outlet and label == "GPE" and text.lower() not in OUTLET_OF:
            outlet = None
        if outlet:
            e = extend_channel(doc, s, e)
            text = span_text(doc, s, e)
            outlet = canonical_outlet(text) or outlet
            add_mention(draft, DraftMention(s, e, "OUTLET", text, key="outlet:" + outlet))
            continue
        if label == "WORK_OF_ART" or names_a_work_or_statute(doc, s, e, label):
            continue
        if label == "PERSON" and e - s == 1 and dtoks[s].text in teams:
            label = "ORG"  # "Everton have missed a couple of players", "the Everton supporters"
        if label == "PERSON" and text in not_persons:
            if not_persons[text] is None:
                continue  # a work, a product, an award: no entity
            label = not_persons[text]
        if label == "PERSON":
            words = [t.lower_ for t in dtoks[s:e]]
            if (any(w in ORG_WORDS for w in words) and not (s > 0 and dtoks[s - 1].lower_ in NAME_OPENERS)) \
                    or (len(words) >= 2 and words[-1] in COMPANY_TAILS and dtoks[e - 1].is_title) \
                    or all(t.is_upper and len(t) > 1 for t in dtoks[s:e]) or text.lower() in PLATFORMS \
                    or text.lower() in PARTIES:
                label = "ORG"
        if label == "ORG" and e - s >= 2 and not any(t.lower_ in ORG_WORDS for t in dtoks[s:e]) \
                and all(t.is_title for t in dtoks[s:e]) and has_person_apposition(doc[s:e]):
            label = "PERSON"  # "Emily Post, an etiquette writer," tagged ORG
        if label == "ORG" and e - s >= 3 and _ends_in_person_name(dtoks, s, e):
            # "former special envoy to Ukraine Kurt Volker" (AP, holdout-intl6): the NER ran a
            # place and a given name and surname together as one ORG; the name is the person's
            s, label = e - 2, "PERSON"
            text = span_text(doc, s, e)
        if label == "PERSON":
            ns, ne, gender, title_toks = person_name_tokens(doc, s, e)
            # honorific just before the span ("Mr. Mayorkas" tagged "Mayorkas")
            if ns == s and s > 0 and dtoks[s - 1].lower_ in HONORIFICS:
                gender = HONORIFICS[dtoks[s - 1].lower_] or gender
            toks = name_key_tokens(span_text(doc, ns, ne))
            if not toks:
                continue
            m = add_mention(draft, DraftMention(ns, ne, "PERSON", span_text(doc, ns, ne), gender=gender))
            m.head = ne - 1
            continue
        if label in ("ORG", "NORP", "GPE") and e - s == 1 and (dtoks[s].lower_ in HONORIFICS or dtoks[s].lower_ in ROLE_NOUNS):
            continue  # "MEP", "Mr": a title, not an organisation
        if label == "NORP" and _names_with_next_word(doc, s, e, spans):
            e, label = e + 1, "ORG"  # "the Islamic State group": NORP "Islamic", "State" in no entity
            text = span_text(doc, s, e)
        add_mention(draft, DraftMention(s, e, label, text))


def _names_with_next_word(doc, s: int, e: int, spans: list[tuple[int, int, str]]) -> bool:
    """Whether a group word the NER tagged NORP is the first word of a name with the proper noun
    after it, which the NER left out of every entity: "the Islamic State group", "fight the Islamic
    State or ..." (holdout-intl4; "Islamic State" is tagged ORG in the same article's other sentences).
    The proper noun is singular, title-case, the head the group word modifies, and no word of a
    title-case run (a headline's "Russian Economy Shrinks Again"), nor a title or a people noun ("the
    French President said")."""
    toks = doc_index(doc).tokens
    if e >= len(toks) or toks[e - 1].head.i != e or toks[e - 1].dep_ not in ("compound", "amod"):
        return False
    nxt = toks[e]
    if nxt.tag_ != "NNP" or not nxt.is_title or not nxt.is_alpha or nxt.ent_type_ \
            or any(a <= e < b for a, b, _ in spans):
        return False
    if nxt.lower_ in ROLE_NOUNS or nxt.lower_ in HONORIFICS or nxt.lower_ in TITLE_ABBREV or names_people(nxt):
        return False  # "the French President said": a person's title, not a name
    after = toks[e + 1] if e + 1 < len(toks) else None
    return after is None or not (after.is_title and after.is_alpha)


def _first_name_before(toks, i: int, taken: set[int]) -> bool:
    """Whether the word before token ``i`` is a first name the NER left out of the name ``i`` ends:
    a capitalised proper noun compounded on it, in no entity and no other mention, that is no title,
    honorific or role ("Sen.", "Mr", "Judge"), and that opens the run of capitalised words ("said
    Paloma Wu", "Reince Priebus, the GOP chairman"; not "Blasts" in a headline's "Trump Blasts Cruz")."""
    if i < 1 or i - 1 in taken:
        return False
    p = toks[i - 1]
    # a dash glued to the first name is a list's bullet or a byline's dash ("-Nate Cohn explains
    # why ...": one token "-Nate" to the tokenizer), not part of the name
    word = p.text[1:] if p.text[:1] in DASHES and len(p.text) > 1 else p.text
    low = word.lower()
    if (p.pos_ != "PROPN" or p.dep_ != "compound" or p.head.i != i or p.ent_type_ or not word.isalpha()
            or not word[:1].isupper() or word.isupper() or low in HONORIFICS or low in TITLE_ABBREV
            or low + "." in TITLE_ABBREV or low in ROLE_NOUNS or low in NOBLE or low in CLERICAL
            or is_inverted_opener(p.doc, i - 1, i + 1)):
        return False
    # a title or people noun, plural too ("Professors Foner", "Senators Rubio", "Sens. Paul"), unless
    # it is a known first name ("Christian")
    if (p.lemma_.lower() in ROLE_NOUNS or names_people(p) or low.rstrip("s") + "." in TITLE_ABBREV
            or low.endswith("s") and low[:-1] in ROLE_NOUNS) and not first_name_gender(word):
        return False
    if i < 2 or p.is_sent_start or word != p.text:
        return True
    before = toks[i - 2]  # a capitalised word before it that is no title: a longer name or a headline
    return not (before.is_alpha and before.text[:1].isupper() and before.lower_ not in HONORIFICS
                and before.lower_ not in TITLE_ABBREV and before.lower_ not in ROLE_NOUNS)


def complete_cut_names(draft: EntityDraft) -> None:
    """Give a one-word name the first name the NER cut off or missed (issue 15 §5: a name cut short).

    A one-word PERSON mention whose first name the NER left out ("Paloma [Wu]", "-Nate [Cohn]")
    takes it; so does a one-word organisation, place or group mention when that word is a known
    first name or the name has a role noun in apposition ("Reince [Priebus], the GOP chairman,"
    tagged ORG), and it becomes a PERSON. A name the NER missed in full
    ("CHICAGO - Rahm Emanuel may have ...") whose surname it tags as a PERSON elsewhere ("Emanuel
    continues") becomes a PERSON mention, so that the surname joins the full name.
    """
    doc = draft.doc
    toks = doc_index(doc).tokens
    singles: set[str] = set()
    for m in draft.mentions:
        if m.end - m.start != 1 or m.label not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        if _first_name_before(toks, m.start, draft.taken) and (
                m.label == "PERSON" or first_name_gender(toks[m.start - 1].text.lstrip(DASHES))
                or has_person_apposition(doc[m.start - 1:m.end])):
            m.start -= 1
            m.label = "PERSON"
            m.text = span_text(doc, m.start, m.end)
            m.head = m.end - 1
            draft.taken.add(m.start)
        elif m.label == "PERSON" or (m.label == "ORG" and toks[m.start].dep_ == "nsubj" and is_name_case(toks[m.start])
                                     and is_cue_lemma(toks[m.start].head.lemma_)):
            # a surname tagged ORG that speaks ("said Unruh") names a person too
            singles.add(toks[m.start].text)
    if not singles:
        return
    for i, word in enumerate(doc_index(doc).words):  # (the shared word list: no Token read per word)
        if word in singles and i not in draft.taken and _first_name_before(toks, i, draft.taken):
            m = add_mention(draft, DraftMention(i - 1, i + 1, "PERSON", span_text(doc, i - 1, i + 1)))
            m.head = i


def names_a_work_or_statute(doc, s: int, e: int, label: str) -> bool:
    """Whether an NER span names a work or a statute rather than a person or organisation: the
    head of a work noun ("the Today programme"), a name with a sequel number ("Halo 2", never a
    person's), or part of a legal citation ("Title 8 USC 1326")."""
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read
    nxt = toks[e] if e < len(doc) else None
    after = toks[e + 1] if e + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ in WORK_NOUNS and nxt.pos_ == "NOUN" and \
            (label != "PERSON" or (e - s == 1 and not _in_a_longer_name(doc, s))):
        return True  # "the Today programme"; not "the Jude Law film"
    # a sequel number followed by a word ("Halo 2 sold"); not a score or a minute ("Johnson 81)",
    # "Williams 6-4")
    if label == "PERSON" and nxt is not None and nxt.text.isdigit() and len(nxt.text) <= 2 \
            and after is not None and after.is_alpha:
        return True
    last = toks[e - 1]
    if e - s >= 2 and last.text.isdigit() and len(last.text) <= 2 and toks[e - 2].text != "-" \
            and toks[s].is_title and nxt is not None \
            and nxt.is_alpha and not any(t.lower_ in ORG_WORDS for t in toks[s:e]):
        return True  # "Halo 2" tagged ORG: a numbered title
    if label == "ORG" and e - s >= 2 and toks[e - 1].lower_ in STATUTE_HEADS and toks[e - 1].is_title:
        return True  # "the Consumer Protection Against Spyware Act": a statute
    near = toks[max(0, s - 2):min(len(doc), e + 2)]
    return any(t.lower_ in STATUTE_WORDS for t in toks[s:e]) and any(t.like_num for t in near) \
        or (label == "ORG" and any(t.lower_ in STATUTE_WORDS for t in near) and any(t.like_num for t in near)
            and all(t.is_upper for t in toks[s:e]))


def _in_a_longer_name(doc, i: int) -> bool:
    """Whether the word at i is also part of a longer person name in the article ("Williams" of "Robbie Williams")."""
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    memo = doc_index(doc).memo
    words = memo.get(("person_name_words", -1))
    if words is None:  # once per article: the call comes for every name span, twice for some
        words = memo[("person_name_words", -1)] = {t.text for ent in doc_index(doc).ents
                                                   if ent.label_ == "PERSON" and len(ent) > 1 for t in ent}
    return toks[i].text in words


def team_names(doc) -> set[str]:
    """The one-word names an article uses as a team or organisation: the subject of a plural verb
    ("Everton have missed"), or modifying a group noun ("the Everton supporters", "Chelsea
    manager"). A surname is neither (issue #17: clubs typed as persons), nor a name written after an
    honorific ("Mr. Clinton")."""
    out = set()
    index = doc_index(doc)
    toks = index.tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    for t, pos in zip(toks, index.pos):
        if pos != "PROPN" or t.dep_ not in ("compound", "nsubj"):
            continue
        head = t.head
        if t.dep_ == "compound" and head.lower_ in GROUP_NOUNS and head.i == t.i + 1:
            out.add(t.text)
        elif not any(c.dep_ in ("compound", "poss") for c in children(t)) and _plural_subject(t) \
                and not (t.i > 0 and toks[t.i - 1].lower_ in _COORDINATORS):
            out.add(t.text)
    if out:
        # a name an honorific opens anywhere in the article is a surname: "several Clinton
        # supporters" beside "Mr. Clinton" and "Mrs. Clinton" (issue 15: the honorific's gender was lost)
        lower, words = index.lower, index.words  # the shared word lists, not a Token read per word
        out -= {words[i + 1] for i in range(len(toks) - 1) if lower[i] in HONORIFICS}
    return out


# Nouns that class the name beside them as a thing: a work, a product, an award or an event
# ("children's film Mary Poppins", "the Firefox browser", "the novel Cloud Atlas").
THING_CLASS_NOUNS = WORK_NOUNS | frozenset("comedy thriller biopic documentary epic play opera novel "
                                           "browser console handset phone software app device "
                                           "award prize trophy cup championship tournament".split())
# Nouns a team's possessive heads and a person's rarely does ("Villa's striker", "Chelsea's squad").
_TEAM_POSSESSIONS = frozenset("striker midfielder defender goalkeeper keeper squad stadium ground "
                              "shareholders".split())
# Nouns a club's name modifies and a person's does not ("Manchester United striker", "the Aston
# Villa manager"; but "Taylor Swift fans").
_TEAM_ROLES = frozenset("striker midfielder defender goalkeeper keeper captain manager boss chairman squad "
                        "stadium".split())
# Head words of a law's name: "the Consumer Protection Against Spyware Act" is a statute.
STATUTE_HEADS = frozenset("act directive treaty convention statute amendment code regulation bill".split())
_COORDINATORS = frozenset({"and", "or", "nor", "&", ","})
_OPEN_QUOTES = {'"', "\u201c", "'", "\u2018"}
_CLOSE_QUOTES = {'"', "\u201d", "'", "\u2019"}


def _class_noun(doc, s: int, e: int):
    """The common noun that classes the name doc[s:e]: a compound or apposition right before it
    ("watchdog Ofcom", "novel, Cloud Atlas,"), one it modifies right after it ("the Firefox
    browser"), or the head of its apposition ("Def Jam's parent company, Universal")."""
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    root = doc[s:e].root
    before = toks[s - 1] if s > 0 else None
    if before is not None and before.pos_ == "NOUN" and before.is_lower and \
            (s <= before.head.i < e or root.head.i == s - 1):
        return before
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i == s - 2 and toks[s - 1].text == ",":
        # "The author of the book, Mitchell Zuckoff, said": the parse hangs the name on the noun of
        # the phrase's "of"; the whole phrase, headed by a people noun, is what the name is
        of = root.head.head
        if root.head.dep_ == "pobj" and of.dep_ == "prep" and of.head.pos_ == "NOUN" and names_people(of.head):
            return of.head
        return root.head
    for c in children(root):
        if c.dep_ == "appos" and c.pos_ == "NOUN" and c.i > e and toks[e].text == ",":
            return c
    after = toks[e] if e < len(doc) else None
    if after is not None and after.pos_ == "NOUN" and after.is_lower and toks[e - 1].head.i == e:
        return after
    return None


def _plural_subject(tok) -> bool:
    """Whether tok is the subject of a present-tense plural verb written after it ("Everton have
    missed", "Crystal Palace are"), not in a list, a question or after a modal ("would John Terry
    have gone")."""
    head = tok.head
    if tok.dep_ != "nsubj" or head.i < tok.i or any(c.dep_ in ("conj", "cc") for c in children(tok)):
        return False
    if any(c.dep_ in ("aux", "auxpass") and (c.i < tok.i or c.tag_ == "MD") for c in children(head)):
        return False
    if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text == ",":
        return False
    return head.tag_ == "VBP" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBP" for c in children(head))


def _person_evidence(doc, s: int, e: int) -> bool:
    """An honorific or a role word right before the name ("Mr", "striker Ruud van Nistelrooy"),
    or a role noun in apposition ("X, a writer,")."""
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    before = toks[s - 1].lower_ if s > 0 else ""
    return before in HONORIFICS or before in NAME_OPENERS or (before in ROLE_NOUNS and before not in ORG_CLASS_NOUNS) or \
        toks[s].lower_ in NAME_OPENERS or has_person_apposition(doc[s:e]) or \
        (s > 0 and toks[s - 1].pos_ == "NOUN" and names_people(toks[s - 1]) and toks[s - 1].head.i in range(s, e))


def _name_verdict(doc, s: int, e: int, spans_at: dict[int, tuple[int, int, str]]) -> tuple[bool, str | None]:
    """(is not a person, its label: "ORG", or None for no entity) for the PERSON span doc[s:e],
    from the grammar around it."""
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    root = doc[s:e].root
    before = toks[s - 1] if s > 0 else None
    nxt = toks[e] if e < len(doc) else None
    cls = _class_noun(doc, s, e)
    if cls is not None and (cls.i < s or (e - s == 1 and not _in_a_longer_name(doc, s))):
        if cls.lemma_.lower() in THING_CLASS_NOUNS or cls.lower_ in THING_CLASS_NOUNS:
            return True, None  # "the film Mary Poppins", "the Firefox browser"; not "the Jude Law film"
        if cls.lemma_.lower() in ORG_CLASS_NOUNS and cls.i < s:
            return True, "ORG"
    if cls is not None and cls.i == e and cls.lower_ in _TEAM_ROLES:
        return True, "ORG"  # "Manchester United striker Ruud van Nistelrooy", "the Aston Villa manager"
    # a title in quotation marks ("Mary Poppins" and "Bambi"): a work
    if before is not None and nxt is not None and before.text in _OPEN_QUOTES and nxt.text in _CLOSE_QUOTES \
            and e - s >= 1 and not _person_evidence(doc, s, e):
        return True, None
    # "Oscar-winning", "a double Oscar-winner": what is won is never a person ("Blair-backed",
    # "Murdoch-owned" are people)
    if nxt is not None and nxt.text == "-" and not toks[e - 1].whitespace_ and e + 1 < len(doc) \
            and not nxt.whitespace_ and toks[e + 1].lower_ in ("winning", "winner", "winners") \
            and not _person_evidence(doc, s, e):
        return True, None
    # "Closer, starring Jude Law": a film
    if nxt is not None and nxt.text == "," and e + 1 < len(doc) and toks[e + 1].lower_ in ("starring", "featuring"):
        return True, None
    # A name opened by a known first name, or one of a list ("Will and Grace's"), is a person's in
    # the shapes below, which a person's name takes too: "Susanna Clarke's Jonathan Strange" (a
    # book), "the Ed Sullivan or Johnny Carson of", "Arash Sigarchi and Mojtaba Saminejad are"
    if (e - s > 1 and first_name_gender(toks[s].text)) or (before is not None and before.lower_ in _COORDINATORS):
        return False, None
    # a plural verb after a name of several words: "Scissor Sisters have"
    if e - s > 1 and _plural_subject(root):
        return True, "ORG"
    # "Aston Villa's Mark Delaney", "Canada's Nate Brannen": a person's possessor is a team or a place
    if nxt is not None and nxt.lower_ in ("'s", "\u2019s") and e + 1 < len(doc):
        follow = spans_at.get(e + 1)
        if ((follow is not None and follow[2] == "PERSON" and follow[1] - follow[0] > 1)
                or toks[e + 1].lower_ in _TEAM_POSSESSIONS) \
                and not (e - s == 1 and _in_a_longer_name(doc, s)):
            return True, "ORG"
    # an article before a name: "the Pittsburgh Steelers", "an Oscar", "the Da Vinci Code"
    if before is not None and before.text in ("the", "The", "a", "an") and before.dep_ == "det" and \
            s <= before.head.i < e and root.dep_ != "compound" and not (nxt is not None and nxt.lower_ == "of") \
            and not _person_evidence(doc, s, e):
        if before.lower_ != "the":
            return True, None
        if toks[e - 1].tag_ == "NNPS" or (toks[e - 1].lower_.endswith("s") and not toks[e - 1].lower_.endswith("ss")):
            return True, "ORG"  # "the Beatles", "the Scissor Sisters"
        return True, ("ORG" if e - s > 1 else None)
    return False, None


def non_person_names(doc, spans: list[tuple[int, int, str]], teams: set[str]) -> dict[str, str | None]:
    """The PERSON-tagged names an article uses as something else, each with the label it takes
    ("ORG", or None: a work, product or award, no entity). Issue #17: clubs, bands, games and
    shows typed as persons. ``teams`` is the article's ``team_names``.

    The evidence is the grammar around any one use of the name (a class noun, an article, quotes,
    a plural verb, a possessive before a full name), the NER labels of the same name elsewhere in
    the article (mostly not PERSON, for a one-word name that is not the surname of a longer person
    name: the small model tags surnames and full names ORG often), and
    the name's short or full form when grammar typed the other: "Villa" is the team when "Aston
    Villa's Mark Delaney" is, and the other way round. A name with an honorific or a role word
    before it anywhere in the article stays a person.

    >>> # non_person_names(nlp("The band Scissor Sisters have won."), spans, teams) -> {"Scissor Sisters": "ORG"}
    """
    spans_at = {s: (s, e, label) for s, e, label in spans}
    labels: dict[str, list[str]] = {}
    for s, e, label in spans:
        labels.setdefault(span_text(doc, s, e), []).append(label)
    multi = sorted(t for t in labels if len(t.split()) > 1)
    person_lasts = {t.split()[-1] for t in multi if "PERSON" in labels[t]}
    verdict: dict[str, str | None] = dict.fromkeys(teams - person_lasts, "ORG")
    evidence: dict[str, bool] = {}
    for s, e, label in spans:
        if label != "PERSON":
            continue
        text = span_text(doc, s, e)
        evidence[text] = evidence.get(text, False) or _person_evidence(doc, s, e)
        found, kind = _name_verdict(doc, s, e, spans_at)
        if found and (text not in verdict or verdict[text] is None):
            verdict[text] = kind
    common = _common_words_capitalised(doc, spans, person_lasts)
    for text in common:
        verdict.setdefault(text, None)
    grammar = dict(verdict)
    for text, ls in labels.items():
        others = [x for x in ls if x in ("ORG", "GPE", "NORP")]
        if "PERSON" in ls and len(others) > ls.count("PERSON") and text not in person_lasts and " " not in text:
            verdict.setdefault(text, max(set(others), key=others.count))
    # short and full forms found by grammar: "Villa" of "Aston Villa", "Aston Villa" when "Villa have"
    surnames = {t.split()[-1] for t in multi if "PERSON" in labels[t] and t not in grammar}
    for t in multi:
        last = t.split()[-1]
        if "PERSON" in labels.get(last, ()) and last not in verdict and last not in surnames and t in grammar:
            verdict[last] = grammar[t]
    for t in multi:
        if "PERSON" in labels[t] and t not in verdict and grammar.get(t.split()[-1]) == "ORG":
            verdict[t] = "ORG"
    return {t: v for t, v in verdict.items() if not evidence.get(t)}


def _common_words_capitalised(doc, spans: list[tuple[int, int, str]], person_lasts: set[str]) -> set[str]:
    """One-word PERSON names that are a common word capitalised by its place: each of its capitalised
    uses opens a sentence and the article writes the word in lower case elsewhere ("Border agents
    \"say ...\"" with "the border" around it, PolitiFact, holdout-intl6; "Marijuana for recreational
    use", Newsweek); not a given name, nor the surname of a person named in full."""
    toks = doc_index(doc).tokens
    lower: set[str] = {t.text for t in toks if t.is_lower}
    in_names = {i for s, e, _ in spans if e - s > 1 for i in range(s, e)}  # ("Customs and Border Protection")
    found = set()
    for s, e, label in spans:
        if label != "PERSON" or e - s != 1:
            continue
        word = toks[s].text
        if word.lower() not in lower or word in person_lasts or first_name_gender(word) is not None:
            continue
        if all(t.is_sent_start for t in toks if t.text == word and t.i not in in_names):
            found.add(word)
    return found


def collect_outlets_by_grammar(draft: EntityDraft) -> None:
    """Names that a media noun classifies as an outlet: "the Herald newspaper", "Thursday's Sun
    newspaper", "media outlet Townhall"."""
    doc = draft.doc
    person_tokens = {i for m in draft.mentions if m.label == "PERSON" for i in range(m.start, m.end)}
    index = doc_index(doc)
    toks = index.tokens
    for t, pos, lemma in zip(toks, index.pos, index.lemma_lower):
        if pos != "NOUN" or lemma not in MEDIA_NOUNS:
            continue
        # proper-name run right before the noun, or right after it (apposition)
        for direction in (-1, 1):
            j = t.i + direction
            run = []
            while 0 <= j < len(toks) and (toks[j].is_title or toks[j].is_upper or toks[j].like_num) \
                    and toks[j].pos_ == "PROPN" and len(run) < 4:
                run.append(j)
                j += direction
            if not run or any(k in person_tokens for k in run):
                continue
            s, e = min(run), max(run) + 1
            if doc[s:e].text.lower() in PARTIES or any(doc[k].ent_type_ in ("NORP", "DATE", "GPE") for k in run):
                continue
            name = canonical_outlet("the " + doc[s:e].text) or canonical_outlet(doc[s:e].text) or doc[s:e].text
            for m in [m for m in draft.mentions if m.start < e and m.end > s and m.label in ("ORG", "OUTLET", "GPE", "NORP")]:
                draft.mentions.remove(m)
            add_mention(draft, DraftMention(s, e, "OUTLET", doc[s:e].text, key="outlet:" + name))
            break


def collect_outlets_from_text(draft: EntityDraft) -> None:
    """Outlets the NER missed: table names written in title case outside other mentions."""
    doc = draft.doc
    index = doc_index(doc)  # a list is read faster than doc[i] (issue 15's time budget)
    toks, text, lower = index.tokens, index.text, index.lower
    n = len(doc)
    i = 0
    for start in index.flagged(IS_TITLE, IS_UPPER):  # the title-case or upper-case words, read as one array
        if start < i:
            continue  # inside the outlet found last
        i = start
        if i in draft.taken:
            continue
        found = None
        # the free words from i (at most 4) that an outlet's name may hold, each tested once: a
        # name of L words is looked up only when its L words all are
        run = 0
        while run < 4 and i + run < n and i + run not in draft.taken and (
                toks[i + run].is_title or toks[i + run].is_upper or lower[i + run] in ("of", "the", "and")
                or toks[i + run].like_num):
            run += 1
        for L in (4, 3, 2, 1):
            j = i + L
            if L > run:
                continue
            span = toks[i:j]  # tokens, not a Span: the words' text is cut from the doc's text
            low = fold(text[span[0].idx:span[-1].idx + len(span[-1].text)]).lower()
            if low in OUTLET_OF and low not in AMBIGUOUS_OUTLET_ALIASES:
                found = (i, j, OUTLET_OF[low])
                break
        if found:
            s, e, name = found
            e2 = extend_channel(doc, s, e)
            if e2 > e and not any(k in draft.taken for k in range(e, e2)):
                e = e2
                name = canonical_outlet(span_text(doc, s, e)) or name
            add_mention(draft, DraftMention(s, e, "OUTLET", span_text(doc, s, e), key="outlet:" + name))
            i = e


def find_acronyms(draft: EntityDraft) -> None:
    """'Immigration and Customs Enforcement (ICE)' and 'ICE (Immigration and ...)' anywhere in the text."""
    doc = draft.doc
    index = doc_index(doc)
    toks, words = index.tokens, index.words
    for i, t in enumerate(toks):
        if words[i] != "(" or i + 2 >= len(toks) or words[i + 2] != ")":
            continue
        inner = toks[i + 1]
        if re.fullmatch(r"[A-Z][A-Za-z&]{1,7}", inner.text) and sum(c.isupper() for c in inner.text) >= 2:
            # long form: the mention ending right before "("
            long = next((m for m in draft.mentions if m.end == i and m.label in ("ORG", "GPE", "NORP", "PERSON", "OUTLET")), None)
            if long is not None and long.text.upper() != inner.text.upper() and initials_match(inner.text, long.text):
                draft.acro_long[inner.text.upper()] = org_key(long.text)
                if long.label == "PERSON":
                    long.label = "ORG"
                if i + 1 not in draft.taken:
                    add_mention(draft, DraftMention(i + 1, i + 2, "ORG", inner.text))
                continue
            # no NER span: the title-case run before "("
            s = i
            while s - 1 >= 0 and (doc[s - 1].is_title or doc[s - 1].lower_ in ("of", "and", "for", "the", "on")) \
                    and not doc[s - 1].is_sent_end:
                s -= 1
            while s < i and doc[s].lower_ in ("of", "and", "for", "the", "on"):
                s += 1
            if s < i and initials_match(inner.text, span_text(doc, s, i)):
                draft.acro_long[inner.text.upper()] = org_key(span_text(doc, s, i))
                inside = [m for m in draft.mentions if m.start >= s and m.end <= i]
                if all(k not in draft.taken or any(m.start <= k < m.end for m in inside) for k in range(s, i)) \
                        and all(m.label in ("ORG", "GPE", "NORP", "PERSON") for m in inside):
                    # the NER's piece ("Homeland Security" of "Homeland Security Investigations") grows
                    for m in inside:
                        draft.mentions.remove(m)
                    add_mention(draft, DraftMention(s, i, "ORG", span_text(doc, s, i)))
                if i + 1 not in draft.taken:
                    add_mention(draft, DraftMention(i + 1, i + 2, "ORG", inner.text))
        else:
            # "ICE (Immigration and Customs Enforcement)"
            j = i + 1
            while j < len(doc) and doc[j].text != ")" and j - i < 12:
                j += 1
            if j >= len(doc) or doc[j].text != ")" or i == 0:
                continue
            prev = doc[i - 1]
            if re.fullmatch(r"[A-Z][A-Za-z&]{1,7}", prev.text) and initials_match(prev.text, span_text(doc, i + 1, j)):
                draft.acro_long[prev.text.upper()] = org_key(span_text(doc, i + 1, j))
    # a known acronym whose long form the article writes with a qualifier in front is that body, not
    # the table's: "the Chinese Center for Disease Control and Prevention ... The CDC assured ..."
    # (Smithsonian, 2020) is China's CDC, not the US Centers for Disease Control and Prevention
    org_keys = [org_key(m.text) for m in draft.mentions if m.label == "ORG"]
    for key in org_keys:
        acr = _qualified_acronym(key)
        if acr is not None and acr not in draft.acro_long:
            draft.acro_long[acr] = key
    # every standalone occurrence of an article-defined acronym is an ORG mention, and so is that of
    # a known acronym whose long form the article names ("the World Health Organization" ... "says WHO")
    acrs = set(draft.acro_long) | {ACRONYM_OF[k] for k in org_keys if k in ACRONYM_OF}
    if acrs:
        for i, t in enumerate(toks):
            if words[i] in acrs and i not in draft.taken:
                add_mention(draft, DraftMention(i, i + 1, "ORG", t.text))


def _plural_folded(key: str) -> tuple[str, ...]:
    return tuple(w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w for w in key.split())


# each known acronym's long form, words folded to the singular ("centers" -> "center")
_FOLDED_LONG = {_plural_folded(org_key(long)): acr for acr, (long, _alts) in ACRONYMS.items()}


def _qualified_acronym(key: str) -> str | None:
    """The known acronym whose long form ``key`` ends with, after one or two words that qualify it
    ("chinese center for disease control and prevention" -> CDC); None for the long form itself
    (``ACRONYM_OF`` reads that) or for no long form."""
    words = _plural_folded(key)
    for cut in (1, 2):
        if len(words) > cut + 1 and words[cut:] in _FOLDED_LONG:
            return _FOLDED_LONG[words[cut:]]
    return None


def collect_descriptions(draft: EntityDraft) -> None:
    """Definite descriptions of a person that act as anaphors: "the New York businessman
    said", "the billionaire argued". A singular subject headed by a people noun (a known
    source noun or an agent ending, ``lexicon.names_people``) after "the"/"this", that
    is no title (titles find their holder in ``titles.assign_titles``), no anonymous source noun ("the
    official": ``SOURCE_NOUNS``) and no bare "man"/"woman" (usually someone unnamed), is
    resolved like a pronoun whose gender the noun gives. They are PRONOUN mentions inside
    (key "defnp") and DESCRIPTION mentions in the output."""
    doc = draft.doc
    titled = {i for m in draft.mentions if m.label == "TITLE" for i in range(m.start, m.end)}
    index = doc_index(doc)
    toks = index.tokens
    for t, pos in zip(toks, index.pos):
        if pos != "NOUN" or t.tag_ != "NN" or t.dep_ not in SUBJECT_OR_AGENT_DEPS or t.i in draft.taken or t.i in titled:
            continue
        det = next((c for c in children(t) if c.dep_ == "det" and c.i < t.i), None)
        if det is None or det.lower_ not in ("the", "this"):
            continue
        lemma = t.lemma_.lower()
        if lemma in ROLE_NOUNS or lemma in SOURCE_NOUNS or lemma in _PLAIN_PEOPLE:
            continue
        if not names_people(t) and not any(c.dep_ == "conj" and c.tag_ == "NN" and names_people(c) for c in children(t)):
            continue  # (one of two coordinated nouns is enough: "the singer and guitarist told the audience")
        if any(c.dep_ in ("poss", "relcl", "acl") or (c.dep_ == "prep" and c.lower_ == "of") for c in children(t)):
            continue  # "the company's chairman", "the man who ...": not a bare anaphor
        gender = GENDER_ROLE.get(lemma) or ("f" if lemma.endswith("woman") else
                                             "m" if lemma.endswith("man") else None)
        m = DraftMention(det.i + 1, t.i + 1, "PRONOUN", span_text(doc, det.i + 1, t.i + 1), key="defnp",
                         gender=gender, head=t.i)
        draft.mentions.append(m)  # not add_mention: the words stay free for names inside ("New York")
    for t, low in zip(toks, index.lower):
        if low != "old":
            continue  # (age_description's first test, on the shared list)
        lo = age_description(t)
        if lo is not None and t.i not in draft.taken and t.i not in titled:
            draft.mentions.append(DraftMention(lo, t.i + 1, "PRONOUN", span_text(doc, lo, t.i + 1), key="defnp",
                                               head=t.i))


def collect_bodies(draft: EntityDraft) -> None:
    """A state's body described by its place or nationality is an organisation of its own ("The
    French foreign ministry", "China's commerce ministry", "the US military"): an ORG mention from
    the modifier to the head noun (:data:`~.analysis.BODY_HEADS`), so that "it" and "the ministry"
    later can point back to it; the place inside keeps its own mention."""
    doc = draft.doc
    index = doc_index(doc)
    toks = index.tokens
    for t, low in zip(toks, index.lower):
        if low not in BODY_HEADS or t.pos_ not in ("NOUN", "PROPN") or t.i in draft.taken \
                or t.dep_ in ("compound", "amod"):
            continue
        mods = [c for c in t.lefts if c.dep_ in ("poss", "amod", "compound", "nmod")]
        if not any(c.ent_type_ in ("GPE", "NORP") for c in mods):
            continue
        lo = min(c.left_edge.i for c in mods)
        if toks[lo].dep_ == "det":
            lo += 1
        if any(toks[k].pos_ not in ("PROPN", "ADJ", "NOUN", "PART") or (toks[k].pos_ == "NOUN" and k in draft.taken)
               for k in range(lo, t.i)):
            continue  # only the place and the body's own words before the head
        draft.mentions.append(DraftMention(lo, t.i + 1, "ORG", span_text(doc, lo, t.i + 1)))
        draft.taken.add(t.i)


def age_description(t) -> int | None:
    """Start token of an age used as a person's description, "the 34-year-old" (said ...), when
    ``t`` is its "old"; None otherwise ("the 34-year-old Briton" is headed by its noun)."""
    if t.lower_ != "old" or t.pos_ != "ADJ" or t.i < 3:
        return None
    if t.i + 1 < len(t.doc) and t.doc[t.i + 1].pos_ in ("NOUN", "PROPN"):
        return None
    year = next((c for c in children(t) if c.lower_ in ("year", "years") and c.i < t.i), None)
    if year is None or not any(c.like_num for c in year.subtree):
        return None
    lo = year.left_edge.i
    return lo if lo > 0 and t.doc[lo - 1].lower_ in ("the", "this") else None


def org_identity(draft: EntityDraft, m: DraftMention) -> tuple[str, str, str]:
    """(grouping key, display name, entity type) of an ORG, GPE or NORP mention."""
    text = m.text
    if m.label == "GPE":
        low = fold(text).lower().strip(".")
        canon = GPE_CANON.get(low) or GPE_CANON.get(low + ".") or text
        return "g:" + canon.lower(), canon, "place"
    if m.label == "NORP" and fold(text).lower() in PARTIES:
        party = PARTIES[fold(text).lower()]
        return "o:party:" + party.lower(), party, "organisation"
    if m.label == "NORP":
        low = fold(text)
        base = low[:-1] if low.endswith("s") and not low.endswith("ss") and len(low) > 4 else low
        return "n:" + base.lower(), base, "group"
    party = PARTIES.get(fold(text).lower())
    if party:
        return "o:party:" + party.lower(), party, "organisation"
    if text.lower() in PLATFORMS:
        return "o:" + text.lower(), text, "organisation"
    key = org_key(text)
    acr = None
    up = text.upper().replace(".", "")
    if text.isupper() and up in draft.acro_long:
        acr = up
    elif up in ACRONYMS and text.isupper():
        acr = up
    else:
        for a, long in draft.acro_long.items():
            if long == key:
                acr = a
        if acr is None and key in ACRONYM_OF:
            acr = ACRONYM_OF[key]
    if acr is not None:
        if acr in ACRONYMS and (acr not in draft.acro_long or ACRONYM_OF.get(draft.acro_long[acr]) == acr):
            return "o:" + acr, ACRONYMS[acr][0], "organisation"
        if acr in draft.acro_long:
            long = draft.acro_long[acr]
            name = next((x.text for x in draft.mentions if x.label in ("ORG", "PERSON") and org_key(x.text) == long), acr)
            return "o:" + acr, name, "organisation"
    return "o:" + key, text, "organisation"
