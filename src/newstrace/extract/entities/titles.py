"""Titles and roles: TITLE mentions, who holds them, and the roles they give people.

:func:`collect_titles` finds the role-noun phrases ("Homeland Security Secretary Alejandro
Mayorkas", "Ruth Kelly MP", "the DHS secretary", "two sources familiar with the matter") and, by
grammar (compound, apposition, copula, "as"), the person holding each; anonymous descriptions go to
``draft.anon``. Once mentions are grouped, :func:`assign_titles` turns held titles into
:class:`~newstrace.models.Role` records and resolves the bare ones ("the secretary said") to a holder
named before (anaphoric), just after (cataphoric), the same anonymous person, or an unnamed holder
of its own.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from ...models import Role
from ..doc_index import children, doc_index
from ..lexicon import HONORIFICS, TITLE_ABBREV
from ..outlets import org_key
from .draft import SUBJECT_OR_AGENT_DEPS, DraftMention, EntityDraft, add_mention, new_entity
from .mentions import org_identity
from .names import (
    FORMER, GENDER_ROLE, NAME_CONNECTORS, NOBLE, SOURCE_NOUNS, is_role, is_role_at, role_candidates, role_lemma, span_text,
    title_span,
)

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


_ANON_DETS = {"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
              "ten", "several", "some", "many", "multiple", "numerous", "few", "other", "another",
              "various", "dozens", "hundreds", "most", "both", "all", "senior", "unnamed",
              "anonymous", "current", "former", "those", "these"}


def collect_titles(draft: EntityDraft) -> None:
    """TITLE mentions: roles written before or after a name, then the other role-noun phrases."""
    person_at = {}
    for k, m in enumerate(draft.mentions):
        if m.label == "PERSON":
            for i in range(m.start, m.end):
                person_at[i] = k
    used_roles: set[int] = set()
    _titles_before_names(draft, person_at, used_roles)
    _titles_after_names(draft, used_roles)
    _role_phrases(draft, person_at, used_roles)


def _titles_before_names(draft: EntityDraft, person_at: dict[int, int], used_roles: set[int]) -> None:
    """Title prefixes: "Homeland Security Secretary Alejandro Mayorkas", "Chief Ortiz"."""
    doc = draft.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    for k, m in list(enumerate(draft.mentions)):
        if m.label != "PERSON":
            continue
        r = None
        i = m.start - 1
        # walk left over the contiguous pre-name region (no determiner, punctuation or verb)
        while i >= 0 and i not in person_at:
            t = toks[i]
            if t.is_sent_end and i != m.start - 1 or "\n" in t.text_with_ws:
                break
            if is_role(t) and r is None:
                r = i
            if t.pos_ in ("PROPN", "NOUN", "ADJ", "NUM") or t.lower_ in FORMER or t.lower_ in TITLE_ABBREV \
                    or t.text in ("-",) or (t.lower_ in ("of", "for", "at") and r is None) or (t.tag_ == "VBG" and t.dep_ in ("amod", "compound")):
                i -= 1
                continue
            break
        if r is None:
            continue
        s = i + 1
        while s < r and (toks[s].lower_ in NAME_CONNECTORS or toks[s].is_punct):
            s += 1
        e = m.start
        if e <= s:
            continue
        # the title's of-phrase may have been swallowed: keep tokens up to the name
        tm = add_mention(draft, DraftMention(s, e, "TITLE", span_text(doc, s, e), title_of=k, head=r))
        tm.former = any(toks[x].lower_ in FORMER for x in range(max(0, s - 1), e))
        used_roles.update(range(s, e))


def _names_the_object(toks, head: int, end: int) -> bool:
    """Whether the name after a title prefix ending at ``end`` is the object of a preposition after
    its role noun, an honorific at most between: "a spokesman for Mrs. Clinton" is a relation to
    Mrs. Clinton, whose gender the spokesman does not give (issue 15: it made Hillary Clinton a man)."""
    return any(toks[p].lower_ in ("of", "for", "at")
               and all(toks[x].lower_ in HONORIFICS or toks[x].lower_ in TITLE_ABBREV for x in range(p + 1, end))
               for p in range(head + 1, end))


def _titles_after_names(draft: EntityDraft, used_roles: set[int]) -> None:
    """A role written right after the name: "Ruth Kelly MP", "John Smith QC"."""
    doc = draft.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    for k, m in list(enumerate(draft.mentions)):
        if m.label != "PERSON" or m.end >= len(doc):
            continue
        t = toks[m.end]
        if (t.is_upper or t.is_title) and is_role(t) and t.i not in used_roles and t.pos_ == "PROPN" \
                and (m.end + 1 >= len(doc) or not toks[m.end + 1].is_title):
            add_mention(draft, DraftMention(t.i, t.i + 1, "TITLE", t.text, title_of=k, head=t.i))
            used_roles.add(t.i)


def _role_phrases(draft: EntityDraft, person_at: dict[int, int], used_roles: set[int]) -> None:
    """The other role-noun phrases, with their holder by grammar; anonymous ones also go to draft.anon."""
    doc = draft.doc
    index = doc_index(doc)
    toks = index.tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    for i in role_candidates(index.lower, index.pos):  # (the cheap first test over the shared word lists)
        t = toks[i]
        if i in used_roles or i in person_at or not is_role_at(index, i):
            continue
        if t.i in draft.taken and not (t.is_lower):
            continue
        # skip a role noun that only modifies a higher role noun ("police officer")
        if t.dep_ == "compound" and is_role(t.head) and t.head.i > t.i:
            continue
        # nor one that modifies another common noun: "teachers unions", "a doctors' group" name
        # the group, not the teachers (the Detroit News, holdout-intl5)
        if t.dep_ in ("compound", "poss") and t.head.i > t.i and t.head.pos_ == "NOUN" \
                and t.tag_ == "NNS" and not t.ent_type_:
            continue
        s, e = title_span(doc, t.i)
        if any(x in person_at for x in range(s, e)):
            # a person inside the title phrase: the title is "X of Y"; cut before the name
            first = min(x for x in range(s, e) if x in person_at)
            if first <= t.i:
                continue
            e = first
        det = None
        if s > 0 and toks[s - 1].tag_ in ("DT", "PRP$", "CD") or (s > 0 and toks[s - 1].lower_ in _ANON_DETS):
            det = toks[s - 1]
        # left determiners/quantifiers: "two sources", "a senior official", "several current and former"
        q = s - 1
        while q >= 0 and (toks[q].lower_ in _ANON_DETS or toks[q].tag_ in ("DT", "CD") or toks[q].lower_ in ("and", "or")) \
                and not toks[q].is_sent_end:
            q -= 1
        qs = q + 1
        holder = _holder_by_grammar(draft, t, person_at)
        former = any(toks[x].lower_ in FORMER for x in range(max(0, qs), e)) or t.i in draft.left_role
        tm = DraftMention(s, e, "TITLE", span_text(doc, s, e), title_of=holder, former=former, head=t.i)
        plural = t.tag_ in ("NNS", "NNPS")
        lead = toks[qs].lower_ if qs < s else ""
        definite = lead in ("the", "this", "that", "its", "his", "her", "their", "our") or \
            (det is not None and det.tag_ == "PRP$") or (t.is_title and qs == s and not toks[s].is_sent_start)
        anonymous = holder is None and (lead in _ANON_DETS or (plural and not definite)
                                        or (not definite and qs == s and t.is_lower))
        if holder is None and not definite and not anonymous:
            anonymous = True
        if anonymous and holder is None:
            if t.lower_ in SOURCE_NOUNS or role_lemma(t) in SOURCE_NOUNS or t.lemma_.lower() in SOURCE_NOUNS \
                    or plural or lead in _ANON_DETS:
                # description runs over its post-modifiers: "familiar with the matter"
                end_i = e - 1
                for c in t.rights:
                    if c.dep_ in ("amod", "prep") and c.i > end_i:
                        end_i = max(x.i for x in c.subtree)
                end_i = min(end_i, e - 1 + 12)
                while end_i > e - 1 and (toks[end_i].is_punct):
                    end_i -= 1
                while qs < s and toks[qs].lower_ in ("and", "or"):
                    qs += 1
                a_s, a_e = toks[qs].idx, toks[end_i].idx + len(toks[end_i].text)
                draft.anon.append((a_s, a_e, draft.article.text[a_s:a_e], t.idx, t.lemma_.lower()))
            tm.label = "TITLE"
            tm.key = "anon"
        add_mention(draft, tm)
        used_roles.update(range(s, e))


def _holder_by_grammar(draft: EntityDraft, t, person_at, depth: int = 0) -> int | None:
    """The person a role noun is linked to by apposition, copula or "as", else None.

    Sets ``draft.left_role`` when the link says the role was left ("quit as home secretary").
    """
    doc = draft.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    # "a Cabinet Office minister and Bolton West MP": a conjoined role has the same holder
    if t.dep_ == "conj" and is_role(t.head) and depth < 3:
        return _holder_by_grammar(draft, t.head, person_at, depth + 1)
    # "Mayorkas, the DHS secretary," : role appos to the name
    if t.dep_ == "appos" and t.head.i in person_at:
        return person_at[t.head.i]
    # "the DHS secretary, Alejandro Mayorkas,": name appos to the role (also after a relative
    # clause: "the chairman of the federation, which represents officers, Jan Berry,")
    for c in children(t):
        if c.dep_ == "appos" and c.i in person_at:
            return person_at[c.i]
    for c in t.subtree:
        if c.dep_ == "appos" and c.i in person_at and c.i > t.i and c.head.i != t.i \
                and not any(x.i in person_at for x in doc[t.i:c.i]):
            return person_at[c.i]
    # "Magnus is the commissioner", "Nielson, who is UKIP Scotland chairman,"
    verb = t.head
    if t.dep_ in ("attr", "oprd") and verb.lemma_ in ("be", "become", "remain", "serve", "name", "appoint", "elect"):
        for c in children(verb):
            if c.dep_ in ("nsubj", "nsubjpass"):
                if c.i in person_at:
                    return person_at[c.i]
                if c.lower_ in ("who", "that") and verb.dep_ == "relcl" and verb.head.i in person_at:
                    return person_at[verb.head.i]
    # "served as commissioner", "quit as home secretary"
    if t.dep_ == "pobj" and t.head.lower_ == "as" and t.head.head.pos_ in ("VERB", "AUX"):
        verb = t.head.head
        for c in children(verb):
            if c.dep_ in ("nsubj", "nsubjpass") and c.i in person_at:
                if verb.lemma_ in _LEAVE_VERBS:
                    draft.left_role.add(t.i)
                return person_at[c.i]
    # token pattern: NAME , [the/a] ... ROLE  (parser misses the apposition)
    s = t.i
    while s > 0 and toks[s - 1].pos_ in ("PROPN", "NOUN", "ADJ", "DET", "NUM") and toks[s - 1].text != ",":
        s -= 1
    if s >= 2 and toks[s - 1].text == "," and (s - 2) in person_at and toks[s].lower_ in ("the", "a", "an"):
        return person_at[s - 2]
    return None


def assign_titles(draft: EntityDraft, ents: list[dict[str, Any]], by_key: dict[str, int]) -> None:
    """Held titles become roles of their holders; a bare title goes to the person (or anonymous
    description, or unnamed holder) it refers to."""
    titles = sorted((m for m in draft.mentions if m.label == "TITLE"), key=lambda m: m.start)
    holders = _held_titles(draft, titles, ents)
    persons_by_sent = _person_subjects(draft)
    for m in titles:
        if m.title_of is not None:
            continue
        if m.key == "anon":
            # "Austria's interior minister said ..." (NBC News, holdout-intl3): a country's office is
            # held by the one person the article names with it ("Interior Minister Wolfgang Peschorn"),
            # else it stays an unnamed description
            if _office_of_a_place(draft, m):
                cands = _same_office(draft, m, ents, holders)
                if len({h[2] for h in cands}) == 1:
                    m.ent, m.key = cands[0][2], ""
            continue
        _assign_bare_title(draft, m, ents, by_key, holders, persons_by_sent)


def _restrictive_clause_end(toks, head: int, end: int) -> int:
    """The last token of an unnamed person's description with its restrictive relative clause ("the
    person who filmed it", Fox News, seed-001: the clause is what tells who it is), else ``end``: a
    "who"/"that" clause hung on the head right after the description, no comma before it, of at most
    12 tokens."""
    nxt = end + 1
    if nxt >= len(toks) or toks[nxt].lower_ not in ("who", "that"):
        return end
    clause = toks[nxt].head
    if clause.dep_ != "relcl" or clause.head.i != head or clause.right_edge.i - end > 12:
        return end
    last = clause.right_edge.i
    while last > end and toks[last].is_punct:
        last -= 1
    return last


def _office_of_a_place(draft: EntityDraft, m: DraftMention) -> bool:
    """A singular office owned by a place or a nation written before it ("Austria's interior minister")."""
    toks = doc_index(draft.doc).tokens
    if m.head < 0 or m.start < 2 or toks[m.head].tag_ in ("NNS", "NNPS") or m.head in draft.taken:
        return False
    head = toks[m.head]
    if head.lower_ in SOURCE_NOUNS or role_lemma(head) in SOURCE_NOUNS or head.lemma_.lower() in SOURCE_NOUNS:
        return False  # (an unnamed source: its description is in draft.anon)
    return toks[m.start - 1].tag_ == "POS" and toks[m.start - 2].ent_type_ in ("GPE", "NORP")


def _same_office(draft: EntityDraft, m: DraftMention, ents: list[dict[str, Any]], holders: list) -> list:
    """The held titles of the same office as the bare title ``m``: the same role, of the organisation
    the title names or one named before it with no organisation written ("Homeland Security
    Secretary Alejandro Mayorkas ... the DHS secretary"), never a later holder of no named
    organisation ("the Trafford Centre spokeswoman" is not "Spokesman Alan Jones" of Bluewater two
    sentences on), with the title's modifiers, and of a gender the role noun allows ("spokeswoman"
    is not a man)."""
    toks = doc_index(draft.doc).tokens
    lemma = role_lemma(toks[m.head])
    _, org = _title_and_org(draft, m)
    okey = org_key(org) if org else None
    mods = _title_mods(draft, m)
    g = GENDER_ROLE.get(toks[m.head].lower_)
    # (a capitalised office word may have been read as the holder's organisation: "Interior
    # Minister Wolfgang Peschorn" holds ("minister", "interior"), "the interior minister" is
    # ("minister", mods {"interior"}))
    return [h for h in holders if h[0] == lemma and (okey is None or h[1] == okey or (h[1] is None and h[3] < m.start))
            and mods <= h[4] | ({h[1]} if h[1] else set()) and not (g and ents[h[2]]["gender"] not in (None, g))]


def _held_titles(draft: EntityDraft, titles: list[DraftMention],
                 ents: list[dict[str, Any]]) -> list[tuple[str, str | None, int, int, set]]:
    """Roles of the titles written with a name, and who holds what: (role lemma, org key, entity,
    start, mods) per held title, then per noble name."""
    doc = draft.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    published = draft.article.published
    # held titles first: they define who holds what
    holders: list[tuple[str, str | None, int, int, set]] = []  # (role lemma, org key, entity, start, mods)
    for m in titles:
        if m.title_of is None:
            continue
        pm = draft.mentions[m.title_of]
        if pm.ent is None:
            continue
        m.ent = pm.ent
        title, org = _title_and_org(draft, m)
        if not title:
            continue
        ents[pm.ent]["roles"].append(Role(title=title, article_id=draft.article.id, current=not m.former,
                                          org=org, published=published))
        g = GENDER_ROLE.get(toks[m.head].lower_) if m.head >= 0 else None
        if g and not ents[pm.ent]["gender"] and not _names_the_object(toks, m.head, m.end):
            ents[pm.ent]["gender"] = g
        holders.append((role_lemma(toks[m.head]), org_key(org) if org else None, pm.ent, m.start,
                        _title_mods(draft, m)))
    # noble titles in names: "the prince" is Prince Harry
    for idx, e in enumerate(ents):
        if e["type"] == "person" and e["name"].split()[0].lower() in NOBLE:
            first = min((x.start for x in draft.mentions if x.ent == idx), default=0)
            holders.append((e["name"].split()[0].lower(), None, idx, first, set()))
    return holders


def _assign_bare_title(draft: EntityDraft, m: DraftMention, ents: list[dict[str, Any]], by_key: dict[str, int],
                       holders: list, persons_by_sent: dict) -> None:
    """The holder of a title written without a name (anaphoric, cataphoric, anonymous or its own)."""
    doc = draft.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    published = draft.article.published
    lemma = role_lemma(toks[m.head])
    title, org = _title_and_org(draft, m)
    okey = org_key(org) if org else None
    mods = _title_mods(draft, m)
    if toks[m.head].tag_ in ("NNS", "NNPS"):
        return  # "officials" are not the one official named earlier
    cands = _same_office(draft, m, ents, holders)  # a holder of the same office
    if cands:
        ents_c = {h[2] for h in cands}
        if len(ents_c) > 1:
            # several holders ("the prince" with Harry and William): the most mentioned so far
            count = Counter(x.ent for x in draft.mentions if x.ent in ents_c and x.start < m.start)
            recent = {e: max((x.start for x in draft.mentions if x.ent == e and x.start < m.start), default=-1)
                      for e in ents_c}
            m.ent = max(ents_c, key=lambda e: (count[e], recent[e]))
        else:
            m.ent = cands[0][2]
        return
    if toks[m.head].tag_ in ("NNS", "NNPS") or not title:
        return
    generic = lemma in SOURCE_NOUNS and lemma not in ("spokesperson", "leader", "representative")
    if generic:
        # "the agent" after "one agent": the same anonymous person
        desc = next((a[2] for a in reversed(draft.anon)
                     if a[1] <= toks[m.start].idx and lemma in a[2].lower()), None)
        s0 = toks[m.start - 1].idx if m.start > 0 and toks[m.start - 1].lower_ == "the" else toks[m.start].idx
        last = _restrictive_clause_end(toks, m.head, m.end - 1)
        e0 = toks[last].idx + len(toks[last].text)
        draft.anon.append((s0, e0, desc or draft.article.text[s0:e0], toks[m.head].idx, lemma))
        m.key = "anon"
        return
    # a definite title right after a named person ("Jack Straw ... The foreign secretary said")
    prev_person = _anaphoric_holder(draft, m, lemma, okey, mods, ents, holders, persons_by_sent)
    if prev_person is not None:
        m.ent = prev_person  # inferred, so not recorded as a stated role
        holders.append((lemma, okey, prev_person, m.start, mods))
        return
    # "the Lib Dem chief executive said ... . Lord Rennard told reporters": a person first
    # named as a subject in the next two sentences, holding no other title
    nxt_person = _cataphoric_holder(draft, m, lemma, holders, ents)
    if nxt_person is not None:
        m.ent = nxt_person
        holders.append((lemma, okey, nxt_person, m.start, mods))
        return
    # a title without a name: the unnamed holder is an entity of its own when the title acts
    # (subject, agent, possessor) or is written as an office ("the U.S. Attorney in Texas")
    head = toks[m.head]
    if not (head.dep_ in SUBJECT_OR_AGENT_DEPS or head.dep_ == "poss" or head.is_title
            or (head.dep_ == "pobj" and head.head.lower_ in ("by", "to", "from", "with"))):
        return
    if lemma in _RELATION_NOUNS:
        return  # "the owner", "a rival": a relation, not an office someone holds
    key = "t:" + lemma + ":" + (okey or "") + ":" + " ".join(sorted(mods))
    idx = by_key.get(key)
    if idx is None:
        idx = new_entity(ents, by_key, "person", title, key)
        ents[idx]["roles"].append(Role(title=title, article_id=draft.article.id,
                                       current=not m.former, org=org, published=published))
        g = GENDER_ROLE.get(toks[m.head].lower_)
        if g:
            ents[idx]["gender"] = g
        holders.append((lemma, okey, idx, m.start, mods))
    m.ent = idx


def _title_mods(draft: EntityDraft, m: DraftMention) -> set[str]:
    """Content words of a title besides its role noun and its organisation ("foreign", "deputy")."""
    doc = draft.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    inside_org = set()
    for x in draft.mentions:
        if x.label in ("ORG", "OUTLET", "GPE", "NORP") and x.start >= m.start and x.end <= m.end \
                and toks[x.start].lower_ not in _GENERIC_TITLE_MODS:
            inside_org.update(range(x.start, x.end))
    out = set()
    for t in doc[m.start:m.end]:
        if t.i == m.head or t.i in inside_org or t.is_punct or t.is_stop or t.lower_ in FORMER:
            continue
        if t.lower_ in _GENERIC_TITLE_MODS or t.pos_ not in ("ADJ", "NOUN", "PROPN", "VERB"):
            continue
        if t.i > m.head:  # post-modifiers ("of CBP") name the org, not the office
            continue
        out.add(TITLE_ABBREV.get(t.lower_, t.lemma_.lower()))
    return out


def _title_and_org(draft: EntityDraft, m: DraftMention) -> tuple[str, str | None]:
    doc = draft.doc
    toks = [t for t in doc[m.start:m.end] if t.lower_ not in FORMER and t.lower_ not in ("the", "a", "an")
            and not (t.text == "-" and t.i > 0 and doc[t.i - 1].lower_ in FORMER)]
    while toks and toks[0].lower_ in _GENERIC_TITLE_MODS and toks[0].i != m.head:
        toks = toks[1:]
    title = " ".join(t.text for t in toks).replace(" - ", "-").strip(" ,")
    title = re.sub(r"\s+(['\u2019]s)\b", r"\1", title)
    org = None
    for x in draft.mentions:
        if x.label in ("ORG", "OUTLET", "GPE") and x.start >= m.start and x.end <= m.end and x.ent is not None \
                and doc[x.start].lower_ not in _GENERIC_TITLE_MODS:
            org = _ent_display_name(draft, x)
            break
    return title, org


def _ent_display_name(draft: EntityDraft, x: DraftMention) -> str:
    if x.label == "OUTLET":
        return x.key.split(":", 1)[1]
    return org_identity(draft, x)[1]


def _person_subjects(draft: EntityDraft) -> dict[int, list[tuple[int, int, bool]]]:
    """Per sentence start: (token, person entity, is subject) of the named persons in it."""
    out: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    for x in draft.mentions:
        if x.label == "PERSON" and x.ent is not None:
            head = draft.doc[x.end - 1]
            out[doc_index(draft.doc).sent_of(head.i).start].append((x.start, x.ent, head.dep_ in SUBJECT_OR_AGENT_DEPS))
    return out


def _anaphoric_holder(draft: EntityDraft, m: DraftMention, lemma, okey, mods, ents, holders,
                      persons_by_sent) -> int | None:
    """The person a bare definite title refers back to: a named person (preferably a subject)
    of the previous three sentences who holds no conflicting title; never one of the title's
    own sentence (there the title is someone else: "Mayorkas asked the commissioner")."""
    doc = draft.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    lead = toks[m.start - 1].lower_ if m.start > 0 else ""
    if lead not in ("the", "this") and toks[m.start].lower_ != "the":
        return None
    sent = doc_index(doc).sent_of(m.start)
    cands: list[tuple[int, int, bool]] = []
    cur = sent
    for _ in range(3):
        if cur.start == 0:
            break
        cur = doc_index(doc).sent_of(cur.start - 1)
        cands = persons_by_sent.get(cur.start, []) + cands
        if cands:
            break
    # a person named in the title's own sentence is someone else ("Mayorkas asked the
    # commissioner", "Mayorkas said the commissioner ..."), unless named before it in a
    # subordinate clause ("As far as whether Sanders still senses anger ..., the Vermont
    # senator acknowledged ..."): then the most likely holder
    title_verb = toks[m.head].head

    def subordinate(x) -> bool:
        for a in [toks[x.end - 1], *toks[x.end - 1].ancestors]:
            if a.i == title_verb.i:
                return False
            if a.dep_ in ("advcl", "pcomp", "csubj"):
                return True
        return False

    here_all = [x for x in draft.mentions if x.ent is not None and x.label == "PERSON" and sent.start <= x.start < sent.end]
    before = [(x.start, x.ent, toks[x.end - 1].dep_ in SUBJECT_OR_AGENT_DEPS) for x in here_all
              if x.end <= m.start and subordinate(x)]
    here = {x.ent for x in here_all} - {b[1] for b in before}
    cands = [c for c in cands if c[1] not in here] + before
    if not cands:
        return None
    g = GENDER_ROLE.get(toks[m.head].lower_)

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


def _cataphoric_holder(draft: EntityDraft, m: DraftMention, lemma: str, holders, ents) -> int | None:
    """The person a subject title introduces before naming them in the next two sentences."""
    doc = draft.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    head = toks[m.head]
    if head.dep_ not in SUBJECT_OR_AGENT_DEPS or lemma in _RELATION_NOUNS or lemma in SOURCE_NOUNS and lemma != "spokesperson":
        return None
    sent = doc_index(doc).sent_of(head.i)
    end = sent.end
    for _ in range(2):
        if end >= len(doc):
            break
        end = doc_index(doc).sent_of(end).end
    first_seen: dict[int, int] = {}
    for x in draft.mentions:
        if x.ent is not None and x.label == "PERSON":
            first_seen[x.ent] = min(first_seen.get(x.ent, x.start), x.start)
    for x in sorted(draft.mentions, key=lambda x: x.start):
        if x.label != "PERSON" or x.ent is None or not (sent.end <= x.start < end):
            continue
        if first_seen[x.ent] < sent.end or toks[x.end - 1].dep_ not in SUBJECT_OR_AGENT_DEPS:
            continue
        g = GENDER_ROLE.get(head.lower_)
        if g and ents[x.ent]["gender"] not in (None, g):
            continue
        if any(h[2] == x.ent and h[0] not in NOBLE for h in holders):
            return None  # named with another title: not this one
        return x.ent
    return None
