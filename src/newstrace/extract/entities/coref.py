"""Grouping an article's mentions into entities (within-article coreference) and the result.

:func:`group_mentions` turns the collected mentions into entity records: it repairs the labels the
NER gets wrong once all names are known ("Helmut Panke" tagged ORG while "Panke" is a PERSON, "the
Trump administration"), merges person names (full names first, then bare surnames and honorific
forms, choosing among namesakes by salience), gives organisations, places and groups their identity
(acronyms included), takes up short outlet forms ("the Times") and assigns titles (``titles``). Then
:func:`fix_missed_surnames` and :func:`link_org_descriptions` ("the company", "the newspaper") add
mentions of known entities, :func:`settle_genders` fills in genders before pronouns are resolved
(``pronouns``), and :func:`finish` drops unreferenced entities and builds the
:class:`~.analysis.EntityAnalysis`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from spacy.attrs import IS_TITLE

from ...models import LocalEntity, Mention
from ..doc_index import children, doc_index, span_chars
from ..cues import is_cue_lemma
from ..lexicon import HONORIFICS, TITLE_ABBREV
from ..outlets import ORG_WORDS, OUTLET_SHAPE_WORDS, canonical_outlet, fold
from .analysis import EntityAnalysis
from .draft import SUBJECT_OR_AGENT_DEPS, DraftMention, EntityDraft, add_mention, new_entity, sentence_numbers
from .mentions import MEDIA_NOUNS, org_identity
from .names import (
    PARTIES, compatible_parts, first_name_gender, is_name_case, is_name_tail, name_case_words, name_key_tokens,
    name_parts, span_text,
)
from .titles import assign_titles

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


def group_mentions(draft: EntityDraft) -> list[dict[str, Any]]:
    """Entity records for the mentions (each mention's ``ent`` set), titles assigned; in creation order."""
    ents: list[dict[str, Any]] = []
    by_key: dict[str, int] = {}
    order = sorted(range(len(draft.mentions)), key=lambda k: (draft.mentions[k].start, -draft.mentions[k].end))
    _relabel_persons(draft, order)
    _key_short_outlets(draft)
    _group_persons(draft, order, ents, by_key)
    _group_orgs(draft, order, ents, by_key)
    # short outlet forms ("the Times" after "the Los Angeles Times")
    _resolve_short_outlets(draft, ents, by_key)
    # titles
    assign_titles(draft, ents, by_key)
    for e in ents:
        e.pop("keys", None)
    return ents


def _relabel_persons(draft: EntityDraft, order: list[int]) -> None:
    """ORG/GPE/NORP mentions that are people after all."""
    doc = draft.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    # "Helmut Panke" tagged ORG while "Panke" is tagged PERSON: a person
    single_names = {fold(draft.mentions[k].text).lower() for k in order
                    if draft.mentions[k].label == "PERSON" and len(name_key_tokens(draft.mentions[k].text)) == 1}
    for k in order:
        m = draft.mentions[k]
        words = m.text.split()
        if m.label in ("ORG", "GPE", "NORP") and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) \
                and fold(words[-1]).lower() in single_names and not any(w.lower() in ORG_WORDS for w in words):
            m.label = "PERSON"
    _relabel_speaking_surnames(draft, order)
    # "the Trump administration", "the Biden team": a single name modifying these is a person
    for k in order:
        m = draft.mentions[k]
        if m.label in ("ORG", "GPE", "NORP") and m.end - m.start == 1 and is_name_case(toks[m.start]) \
                and toks[m.start].dep_ in ("compound", "nmod", "poss") \
                and toks[m.start].head.lemma_.lower() in _LEADER_HEADS and m.text.lower() not in PARTIES:
            m.label = "PERSON"


def _relabel_speaking_surnames(draft: EntityDraft, order: list[int]) -> None:
    """A name of a known first name tagged ORG/GPE/NORP ("Carly Fiorina", "Sean Hannity", "Vanessa
    Iampaglia") is a person when its last word, written alone elsewhere, is the subject of a reporting
    verb ("said Iampaglia", "Hannity asked"); so are those surnames alone (issue 15 §5: the speaker
    was an organisation "Iampaglia", never joined to the full name). A company named after people
    ("Morgan Stanley") is not said to speak by its last word alone."""
    index = doc_index(draft.doc)
    toks = index.tokens
    cands = []
    for k in order:
        m = draft.mentions[k]
        words = m.text.split()
        if m.label in ("ORG", "GPE", "NORP") and 2 <= len(words) <= 3 and m.end - m.start == len(words) \
                and all(t.pos_ == "PROPN" and t.is_alpha and is_name_case(t) for t in toks[m.start:m.end]) \
                and not any(w.lower() in ORG_WORDS for w in words) and first_name_gender(words[0]):
            cands.append(m)
    # and the full names already tagged PERSON ("Kendal Unruh", then "said Unruh" tagged ORG)
    fulls = [m for m in draft.mentions if m.label == "PERSON" and len(name_key_tokens(m.text)) >= 2]
    if not cands and not fulls:
        return
    lasts = {fold(m.text.split()[-1]).lower() for m in cands + fulls}
    # the words written as names only ("McKeague" too), read as one array (issue 15's time budget)
    speaking = {fold(t.text).lower() for t in (toks[i] for i in name_case_words(index))
                if t.dep_ == "nsubj" and fold(t.text).lower() in lasts and is_cue_lemma(t.head.lemma_)
                and not (t.i > 0 and toks[t.i - 1].is_title and toks[t.i - 1].head.i == t.i)}
    if not speaking:
        return
    for m in cands:
        if fold(m.text.split()[-1]).lower() in speaking:
            m.label = "PERSON"
    for k in order:
        m = draft.mentions[k]
        if m.label in ("ORG", "GPE", "NORP") and m.end - m.start == 1 and fold(m.text).lower() in speaking:
            m.label = "PERSON"


def _key_short_outlets(draft: EntityDraft) -> None:
    """A short outlet form ("the Times") takes the key of the one longer outlet it can stand for."""
    # "the Times" in an article that names the Los Angeles Times
    full_outlets = {m.key for m in draft.mentions if m.label == "OUTLET" and len(m.key.split()) > 1}
    if draft.article.outlet:
        full_outlets.add("outlet:" + (canonical_outlet(draft.article.outlet) or draft.article.outlet))
    for m in draft.mentions:
        if m.label != "OUTLET":
            continue  # (before the text is cut: most mentions are not outlets)
        word = re.sub(r"^the\s+", "", m.text.lower())
        if word in OUTLET_SHAPE_WORDS:
            longer = sorted(k for k in full_outlets if k.lower().endswith(" " + word) and k != m.key)
            if len(longer) == 1:
                m.key = longer[0]


def _group_persons(draft: EntityDraft, order: list[int], ents: list[dict[str, Any]],
                   by_key: dict[str, int]) -> None:
    """Person entities: full names, then single names joining them (or standing alone)."""
    # persons: full names first (so surnames join them), in text order
    persons = [k for k in order if draft.mentions[k].label == "PERSON"]
    parts = {k: name_parts(draft.mentions[k].text) for k in persons}
    fulls = [k for k in persons if parts[k][1] and (parts[k][0] or parts[k][2])]
    singles = [k for k in persons if parts[k][1] and not (parts[k][0] or parts[k][2])]
    full_ents: list[tuple[int, tuple]] = []  # (entity, (first, surname, noble))
    draft.full_ents = full_ents
    for k in fulls:
        pk = parts[k]
        display = " ".join(name_key_tokens(draft.mentions[k].text))
        match = next((idx for idx, fp in full_ents if compatible_parts(pk, fp)), None)
        if match is None:
            # "Ms. Wasserman Schultz" after "Debbie Wasserman Schultz": the surname of several
            # words, of a first name of the honorific's gender
            g = draft.mentions[k].gender
            tail = " " + display.lower()
            match = next((idx for idx, fp in full_ents if ents[idx]["name"].lower().endswith(tail)
                          and is_name_tail(display, ents[idx]["name"])
                          and (g is None or first_name_gender(fp[0] or "") in (None, g))), None)
        if match is None:
            match = new_entity(ents, by_key, "person", display, "p:" + display.lower())
            full_ents.append((match, pk))
        elif len(display.split()) > len(ents[match]["name"].split()) and not pk[2]:
            ents[match]["name"] = display  # keep the longest form as canonical
        draft.mentions[k].ent = match
    # a noble word alone ("King says") is the surname of a full name the article ends with it
    # ("Billie Jean King"), as "Mr. King" is; with no such name it stays a title ("the Prince")
    surnames = {fp[1] for _, fp in full_ents}
    alone = {k for k in persons if parts[k] == (None, None, True) and len(name_key_tokens(draft.mentions[k].text)) == 1
             and name_key_tokens(draft.mentions[k].text)[0].lower() in surnames}
    if alone:
        for k in alone:
            parts[k] = (None, name_key_tokens(draft.mentions[k].text)[0].lower(), False)
        kept = alone.union(singles)
        singles = [k for k in persons if k in kept]
    single_genders: dict[str, set] = defaultdict(set)
    gender_counts: dict[str, Counter] = defaultdict(Counter)  # honorific genders of each surname alone
    for k in singles:
        if draft.mentions[k].gender:
            single_genders[parts[k][1]].add(draft.mentions[k].gender)
            gender_counts[parts[k][1]][draft.mentions[k].gender] += 1
    hon_gender: dict[int, set] = defaultdict(set)  # honorific genders seen per entity
    for k in fulls:
        if draft.mentions[k].gender:
            hon_gender[draft.mentions[k].ent].add(draft.mentions[k].gender)
    first_gender = {idx: first_name_gender(fp[0]) for idx, fp in full_ents if fp[0]}
    first_at: dict[int, int] = {}  # where each full name is first written
    for k in fulls:
        first_at.setdefault(draft.mentions[k].ent, draft.mentions[k].start)
    for k in singles:
        m = draft.mentions[k]
        low = parts[k][1]
        cands = [idx for idx, fp in full_ents if fp[1] == low]
        if m.gender:
            # "Mrs Howard" is not Michael Howard ("Mr Howard"); when both are written and the
            # full name's gender is unknown, neither joins it. A telling first name gives the
            # gender when no honorific did: "Mrs. Clinton" after "Bill Clinton" and "Hillary
            # Clinton" is Hillary (issue 15)
            both = len(single_genders[low]) > 1
            known = {c: hon_gender[c] or {g for g in (first_gender.get(c),) if g} for c in cands}
            # with both honorifics written, an ungendered namesake takes this one when the other
            # namesake is known to be of the other gender
            other = {c: any(known[o] and m.gender not in known[o] for o in cands if o != c) for c in cands}
            # the one full name of a gender left open, both honorifics written: it is the person
            # the article names most ("Hillary Clinton", then "Mrs. Clinton" twelve times and "Mr.
            # Clinton" once), so it takes the honorific written more often, and only that one
            counts = gender_counts[low]
            most = len(cands) == 1 and counts[m.gender] > sum(counts.values()) - counts[m.gender]
            cands = [c for c in cands if known[c] <= {m.gender}
                     and (not both or known[c] == {m.gender} or (not known[c] and (other[c] or most)))]
        if not cands and _first_name_alone(draft, m):
            # "Sir Alan" after "Sir Alan Budd": a first name takes up the full name written before
            # it; after "Rep." or "Mr" the word is a surname, never another man's first name
            cands = [idx for idx, fp in full_ents if fp[0] == low and first_at.get(idx, m.start) < m.start]
        if len(cands) > 1:
            cands = _pick_namesake(draft, m, cands, ents, fulls, persons)
        if cands:
            m.ent = cands[0]
        else:
            key = "p:" + low + (":" + m.gender if m.gender else "")
            m.ent = by_key.get(key)
            if m.ent is None:
                m.ent = new_entity(ents, by_key, "person", " ".join(name_key_tokens(m.text)), key)
        if m.gender:
            hon_gender[m.ent].add(m.gender)


def _first_name_alone(draft: EntityDraft, m: DraftMention) -> bool:
    """Whether single-name mention m may be a first name: not after a title or an honorific that
    takes a surname ("Rep. Jim", "Mr Jim" are cut-short names), only "Sir"/"Dame" or none."""
    for i in (m.start - 1, m.start):
        w = draft.doc[i].lower_ if 0 <= i < m.end - 1 else ""
        if w in TITLE_ABBREV or w + "." in TITLE_ABBREV or (w in HONORIFICS and w not in ("sir", "dame")):
            return False
    return True


def _pick_namesake(draft: EntityDraft, m: DraftMention, cands: list[int], ents: list[dict[str, Any]],
                   fulls: list[int], persons: list[int]) -> list[int]:
    """Of several people sharing the name of single-name mention m, the one (or ones) it is."""
    # several people share the surname: gender from the honorific, else the most recent
    if m.gender:
        g = [c for c in cands if ents[c]["gender"] in (None, m.gender)
             and any(draft.mentions[j].gender in (None, m.gender) for j in fulls if draft.mentions[j].ent == c)]
        g = [c for c in g if any(draft.mentions[j].gender == m.gender for j in fulls if draft.mentions[j].ent == c)] or g
        cands = g or cands
    # else the most salient of them before this mention (after Lappin & Leass: a
    # subject counts double, halved per sentence back), recency breaking ties:
    # "Former President Bill Clinton criticized ... for his wife Hillary Clinton. ...
    # 'It doesn't make any sense,' Clinton said" is Bill Clinton
    sent_no = sentence_numbers(draft)
    here = sent_no[m.start]
    score: dict[int, float] = defaultdict(float)
    last: dict[int, int] = {}
    # every earlier mention counts: full names and bare surnames already resolved, a
    # little for each however far back (the article's main Cruz is "Cruz", his wife
    # named once near the end is not)
    for x in (draft.mentions[j] for j in persons):
        if x.ent in cands and x.start < m.start and (x is not m):
            head = draft.doc[x.end - 1]
            w = 2.0 if head.dep_ in SUBJECT_OR_AGENT_DEPS else 1.0
            score[x.ent] += w * 0.5 ** min(here - sent_no[x.start], 30) + 0.25
            last[x.ent] = max(last.get(x.ent, -1), x.start)
    cands = [max(score, key=lambda c: (round(score[c], 6), last[c]))] if score else cands[:1]
    return cands


def _group_orgs(draft: EntityDraft, order: list[int], ents: list[dict[str, Any]],
                by_key: dict[str, int]) -> None:
    """Organisation, place, group and outlet entities, by identity key."""
    by_surname: dict[str, list[int]] = defaultdict(list)  # the person entities of each surname, in order
    for idx, fp in draft.full_ents:
        by_surname[fp[1]].append(idx)
    for k in order:
        m = draft.mentions[k]
        if m.label in ("ORG", "GPE", "NORP"):
            key, name, type_ = org_identity(draft, m)
            # a bare word equal to a person's surname is that person (NER slip)
            if len(m.text.split()) == 1 and m.label in ("ORG", "GPE", "NORP"):
                low = fold(m.text).lower().replace(" ", "")
                pk = by_surname.get(low, [])
                if len(pk) >= 1 and low.upper() != m.text:
                    m.label = "PERSON"
                    m.ent = pk[-1] if len(pk) == 1 else pk[0]
                    continue
            idx = by_key.get(key)
            if idx is None:
                idx = new_entity(ents, by_key, type_, name, key)
            m.ent = idx
        elif m.label == "OUTLET":
            idx = by_key.get(m.key)
            if idx is None:
                idx = new_entity(ents, by_key, "outlet", m.key.split(":", 1)[1], m.key)
            m.ent = idx


def _resolve_short_outlets(draft: EntityDraft, ents: list[dict[str, Any]], by_key: dict[str, int]) -> None:
    """OUTLET mentions for "the Times" etc. where one named outlet (or the article's own) ends so."""
    doc = draft.doc
    outlets = [e["name"] for e in ents if e["type"] == "outlet"]
    if draft.article.outlet:
        canon = canonical_outlet(draft.article.outlet) or draft.article.outlet
        outlets.append(canon)
    index = doc_index(doc)
    lower, toks = index.lower, index.tokens
    for i in index.flagged(IS_TITLE):  # the title-case words, read as one array (issue 15's time budget)
        t = toks[i]
        if i in draft.taken or i == 0 or lower[i - 1] != "the":
            continue
        low = lower[t.i]
        if low not in OUTLET_SHAPE_WORDS:
            continue
        if t.i + 1 < len(doc) and (toks[t.i + 1].is_title and not toks[t.i + 1].is_sent_start):
            continue
        match = [o for o in outlets if o.lower().split()[-1] == low]
        if not match:
            continue
        name = match[0]
        key = "outlet:" + name
        idx = by_key.get(key)
        if idx is None:
            idx = new_entity(ents, by_key, "outlet", name, key)
        m = add_mention(draft, DraftMention(t.i, t.i + 1, "OUTLET", t.text, key=key))
        m.ent = idx


def fix_missed_surnames(draft: EntityDraft, ents: list[dict[str, Any]]) -> None:
    """Surnames of known people the NER missed become PERSON mentions."""
    doc = draft.doc
    surname_of: dict[str, int] = {}
    seen: Counter = Counter()
    for idx, (first, sn, noble) in draft.full_ents:
        if sn and idx not in surname_of.values():
            seen[sn] += 1
            surname_of[sn] = idx
    if not surname_of:
        return  # no full name: no surname to look for
    covered = set()
    for m in draft.mentions:
        if m.label in ("PERSON", "ORG", "GPE", "NORP", "OUTLET"):
            covered.update(range(m.start, m.end))
    index = doc_index(doc)
    toks = index.tokens
    for i in name_case_words(index):  # "McKeague" too, read as one array (issue 15's time budget)
        t = toks[i]
        if i in covered:
            continue
        sn = fold(t.text).lower()
        if sn not in surname_of or seen[sn] != 1:
            continue
        if t.ent_type_ in ("DATE", "TIME", "MONEY"):
            continue
        if t.pos_ != "PROPN" and not _surname_as_word(toks, t):
            continue
        m = add_mention(draft, DraftMention(t.i, t.i + 1, "PERSON", t.text))
        m.ent = surname_of[sn]


def _surname_as_word(toks: list, t) -> bool:
    """Whether a title-case word the tagger read as a common word is the surname it spells (the
    caller knows it is the surname of one full name of the article): '"Streaming is somewhat
    binary," says Early.' ("Early" an adverb; Chris Early, The Hollywood Reporter, holdout-intl7),
    'Scissors, who consults with administration officials, said ...' ("Scissors" a plural noun;
    Derek Scissors, Deccan Herald, holdout-intl). Inside a sentence a capital on a common word is
    a name's (unless the word is part of a run of title-case words, a heading or a work's title);
    a sentence's first word is capitalised anyway, so there it must be the clause's subject,
    bare (no determiner or modifier of its own: "Early voting began")."""
    i = t.i
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is not None and nxt.is_title and not nxt.is_sent_start:
        return False  # "Early Show", "Scissors Sisters": a run of title-case words
    first = t.is_sent_start or i == 0 or toks[i - 1].is_quote or toks[i - 1].is_punct and toks[i - 1].text in "([{"
    if not first:
        return not toks[i - 1].is_title or toks[i - 1].is_sent_start
    return t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN") and \
        not any(c.dep_ in ("det", "amod", "compound", "nummod", "poss") for c in t.children)


def fix_missed_org_names(draft: EntityDraft, ents: list[dict[str, Any]]) -> None:
    """Names of known organisations the NER missed elsewhere become ORG mentions ("Big Machine"
    tagged once, then "Big Machine have twice denied ..." untagged): the same title-case words, two
    or more, that no name covers and that no other title-case word extends."""
    names: dict[tuple[str, ...], int] = {}
    for m in draft.mentions:
        if m.label == "ORG" and m.ent is not None and ents[m.ent]["type"] == "organisation":
            words = tuple(t.text for t in draft.doc[m.start:m.end] if t.dep_ != "det" and t.lower_ != "the")
            if len(words) >= 2 and all(w[:1].isupper() for w in words):
                names.setdefault(words, m.ent)
    if not names:
        return
    covered = set()
    for m in draft.mentions:
        if m.label in ("PERSON", "ORG", "GPE", "NORP", "OUTLET"):
            covered.update(range(m.start, m.end))
    index = doc_index(draft.doc)
    words_at = index.words
    starts: dict[str, list[int]] = defaultdict(list)
    firsts = {w[0] for w in names}
    for i, w in enumerate(words_at):
        if w in firsts:
            starts[w].append(i)
    for (first, *rest), ent in names.items():
        n = 1 + len(rest)
        for i in starts[first]:
            if tuple(words_at[i + 1:i + n]) != tuple(rest):
                continue
            if any(k in covered for k in range(i, i + n)):
                continue
            if (i > 0 and words_at[i - 1][:1].isupper() and index.pos[i - 1] == "PROPN") or \
                    (i + n < len(words_at) and words_at[i + n][:1].isupper() and index.pos[i + n] == "PROPN"):
                continue  # a word of a longer name ("Big Machine Records")
            m = add_mention(draft, DraftMention(i, i + n, "ORG", span_text(draft.doc, i, i + n)))
            m.ent = ent
            covered.update(range(i, i + n))


def link_org_descriptions(draft: EntityDraft, ents: list[dict[str, Any]]) -> None:
    """ "the company", "the agency", "the non-partisan charity", "the newspaper": the most
    salient organisation (outlet for media nouns) of the last three sentences, preferring one
    whose name contains the noun ("the department" -> Department of Homeland Security), then the
    last one named as a subject, then the last one named."""
    doc = draft.doc
    covered = {i for m in draft.mentions if m.label not in ("PRONOUN",) for i in range(m.start, m.end)}
    named = sorted((m for m in draft.mentions if m.ent is not None and m.label in ("ORG", "OUTLET")), key=lambda m: m.start)
    index = doc_index(doc)
    for t, pos, low in zip(index.tokens, index.pos, index.lemma_lower):
        # (the lemma before the tag: the shared list is read faster than ``Token.tag_``)
        if pos != "NOUN" or (low not in _ORG_NOUNS and low not in MEDIA_NOUNS) or t.tag_ != "NN" or t.i in covered:
            continue
        det = next((c for c in children(t) if c.dep_ == "det"), None)
        if det is None or det.lower_ not in ("the", "this") or det.i > t.i:
            continue
        if any(c.dep_ in ("compound", "poss") for c in children(t)) or any(c.dep_ == "prep" and c.lower_ == "of" for c in children(t)):
            continue  # "the Labour government", "the agency's", "the department of ..." name their own
        media = low in MEDIA_NOUNS
        sent = doc_index(doc).sent_of(t.i)
        lo = sent.start
        for _ in range(3):
            if lo == 0:
                break
            lo = doc_index(doc).sent_of(lo - 1).start
        cands = [m for m in named if lo <= m.start < t.i and (ents[m.ent]["type"] == "outlet") == media]
        if low == "party":
            cands = [m for m in cands if "party" in ents[m.ent]["name"].lower()]
        if not cands:
            continue
        by_name = [m for m in cands if low in ents[m.ent]["name"].lower()]
        if not by_name and low in _ORG_NOUNS_BY_NAME:
            continue
        pick = (by_name or [m for m in cands if _is_subject(doc, m)] or cands)[-1]
        m = add_mention(draft, DraftMention(det.i, t.i + 1, "OUTLET" if media else "ORG",
                                            span_text(doc, det.i, t.i + 1), key="desc"))
        m.ent = pick.ent


def _is_subject(doc, m: DraftMention) -> bool:
    """Whether a name mention is a clause's subject, or a name set beside one ("The group that owns
    most of her music, Big Machine, says"): the organisation "the company" points back to before
    one named in passing ("... at the American Music Awards")."""
    head = doc[m.end - 1]
    while head.dep_ in ("compound", "flat") and head.head.i >= m.end and head.head.i < m.end + 3:
        head = head.head
    if head.dep_ == "appos":
        head = head.head
    return head.dep_ in SUBJECT_OR_AGENT_DEPS


def settle_genders(draft: EntityDraft, ents: list[dict[str, Any]]) -> None:
    """Genders of person entities from honorifics, else from a telling first name."""
    # gender from honorifics
    for m in draft.mentions:
        if m.label == "PERSON" and m.ent is not None and m.gender and not ents[m.ent]["gender"]:
            ents[m.ent]["gender"] = m.gender
    # else from a first name nearly all of whose bearers are of one gender ("Donald",
    # "Melanie"; not "Chris"), so that "she said" does not go to Donald Trump
    for e in ents:
        if e["type"] == "person" and not e["gender"]:
            words = e["name"].split()
            if len(words) >= 2:
                e["gender"] = first_name_gender(words[0])


def finish(draft: EntityDraft, ents: list[dict[str, Any]]) -> EntityAnalysis:
    """Drop entities nothing refers to, renumber, and build the article's :class:`EntityAnalysis`."""
    doc = draft.doc
    pron_ante: dict[int, int] = {}
    pron_anon: dict[int, str] = {}
    anon_of: dict[int, str] = {}
    for m in draft.mentions:
        if m.label == "PRONOUN" and m.ent is not None and m.ent < 0:
            anon_of[id(m)] = draft.anon_ref[m.ent][0]
            m.ent = None
    # drop entities nothing refers to; renumber
    used = sorted({m.ent for m in draft.mentions if m.ent is not None})
    remap = {old: new for new, old in enumerate(used)}
    mentions: list[Mention] = []
    aliases: dict[int, list[str]] = defaultdict(list)
    for m in sorted(draft.mentions, key=lambda m: (m.start, m.end)):
        if m.end <= m.start:
            continue
        s, e = span_chars(doc, m.start, m.end)
        ent = remap.get(m.ent) if m.ent is not None else None
        if m.label == "PRONOUN" and ent is not None:
            pron_ante[len(mentions)] = ent
        if id(m) in anon_of:
            pron_anon[len(mentions)] = anon_of[id(m)]
        mentions.append(Mention(article_id=draft.article.id, text=draft.article.text[s:e], start=s, end=e,
                                label="DESCRIPTION" if m.key == "defnp" else m.label, entity=ent))
        if ent is not None and m.label in ("PERSON", "ORG", "GPE", "NORP", "OUTLET") and m.key != "desc":
            al = draft.article.text[s:e]
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
        local.append(LocalEntity(article_id=draft.article.id, local_id=new_i, name=e["name"], type=e["type"],
                                 aliases=al, roles=roles, gender=e["gender"]))
    return EntityAnalysis(mentions=mentions, entities=local, text=draft.article.text,
                          anonymous=draft.anon, pronoun_entity=pron_ante,
                          pronoun_anonymous=pron_anon, doc=doc)
