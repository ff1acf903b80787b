"""Who an attribution or a report names, and the parse helpers attributions and reported speech share.

:class:`SourceResolver` turns a source or speaker noun phrase of one article into a
:class:`Source` (canonical name; kind: outlet, person, organisation, document, anonymous or
unknown; character span; entity; named or not): outlets by name and by short form ("the Times"
after "the Los Angeles Times"; "the newspaper" is the outlet named last), documents and
programmes with their stated owner ("an Axios report", "BBC Radio 4's Today programme"), a
document without one as its own source ("a DHS memo"), "the report" as the report or outlet
cited before it, and people and anonymous descriptions ("the source" after "a source said")
through the article's :class:`~newstrace.extract.entities.EntityAnalysis`.

The helpers over the parse used by :mod:`newstrace.extract.attributions` and
:mod:`newstrace.extract.reported`: :func:`subject_of` (the subject of a cue verb, inherited
through participles, conjuncts and relative pronouns, past a dateline), :func:`np_range`,
:func:`trim`, :func:`cue_words`, :func:`is_speech_cue`,
:func:`tell_recipient` (the outlet told, when the parser folded it into the complement) and
:func:`inside_reported_speech`, with the word classes they share (``SPEECH_NOUNS``,
``PROGRAMME_NOUNS``, ``EVIDENCE_VERBS``, ``SUBJ_DEPS``, ``RELATIVE``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from . import cues
from ..models import Article
from .doc_index import children, doc_index, prep_object, span_chars
from .entities import (
    appositive_name, inverted_subject, name_after_relative, name_closing_split_subject, name_for_description,
    name_hung_before, object_controller, speaks_above, with_subject, without_places,
)
from .outlets import outlet_or_none
from .lexicon import (
    DOC_NOUNS, RELATIVE, SHARES_SUBJECT_DEPS, SUBJ_DEPS, is_description, mention_chars, mention_range, names_people,
    own_words, trim,
)


# Nouns for an outlet's own piece: "the report" after "the Washington Times reported ...".
_REPORT_NOUNS = frozenset("report story article piece investigation".split())
# Speech acts, not documents: "a statement saying ..." is its issuer's.
SPEECH_NOUNS = frozenset("statement announcement release tweet post message".split())
# Nouns that stand for an outlet already named: "the newspaper", "the outlet", "the paper".
_OUTLET_NOUNS = frozenset("""
newspaper newspapers paper outlet outlets publication network broadcaster magazine website site
channel station tabloid daily newsroom wire
""".split())
# The outlet nouns that make the name before them an outlet's ("the Kommersant newspaper"); not
# "paper" ("Court papers"), "site", "channel" or "station", which name other things as often.
_NEWS_MEDIA_NOUNS = frozenset("newspaper newspapers magazine tabloid broadcaster website daily weekly".split())
# Nouns that name an outlet after "news": "the news organization", "a news agency", "the news site".
_NEWS_NOUNS = frozenset("organization organisation agency service site outlet".split())
# Shows and programmes belong to their outlet: "BBC Radio 4's Today programme".
PROGRAMME_NOUNS = frozenset("programme program show broadcast podcast column edition".split())


# Verbs by which a document, poll or study states its findings (the one table is in ``cues``).
EVIDENCE_VERBS = cues.EVIDENCE_VERBS


_JOURNALIST_WORDS = re.compile(
    r"\b(reporter|writer|journalist|correspondent|editor|columnist|anchor|host|"
    r"producer|contributor|commentator|blogger)s?\b", re.I)


# ---------------------------------------------------------------------------------------------
# Helpers over the parse
# ---------------------------------------------------------------------------------------------
def is_speech_cue(tok) -> bool:
    """Whether ``tok`` is used as a reporting cue (:func:`newstrace.extract.cues.is_cue`)."""
    memo = doc_index(tok.doc).memo  # asked several times per verb by each stage (issue 15's time budget)
    key = ("is_speech_cue", tok.i)
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = bool(cues.is_cue(tok))
    return hit


def np_range(head) -> tuple[int, int]:
    """The compact noun phrase of ``head``: its subtree without relative clauses, appositions
    after a comma, participial clauses with their own agent, and trailing punctuation."""
    doc = head.doc
    index = doc_index(doc)
    key = ("np_range", head.i)  # a function of the parse: asked for the same heads by each stage
    hit = index.memo.get(key)
    if hit is None:
        hit = index.memo[key] = _np_range(doc, index.tokens, head)
    return hit


def _np_range(doc, toks, head) -> tuple[int, int]:
    lo, hi = head.i, head.i + 1
    for child in children(head):
        if child.dep_ in ("relcl", "appos", "punct", "cc", "conj", "parataxis", "preconj"):
            continue
        if child.dep_ == "acl" and any(c.dep_ in ("agent", "ccomp", "dobj") for c in children(child)):
            continue  # "a memo obtained by CBS", "a statement saying the prince ..."
        if child.i > head.i and any(toks[k].text == "," for k in range(head.i, child.left_edge.i)):
            continue
        lo = min(lo, child.left_edge.i)
        hi = max(hi, child.right_edge.i + 1)
    return trim(doc, lo, hi)


def subject_of(verb):
    """(subject token, passive?) of ``verb``, inherited through participles, conjuncts and
    relative pronouns ("adding that ...", "sources saying ...", "the Times, which reviewed ...")."""
    memo = doc_index(verb.doc).memo
    key = ("subject_of", verb.i)  # a function of the parse: asked for the same verbs by each stage
    hit = memo.get(key)
    if hit is None:
        hit = _subject_of(verb)
        if hit[0] is not None:
            named = name_for_description(hit[0])
            if named is not None:
                hit = (named, False)  # "A woman later identified as Eva Resnick-Day, ..., demanded"
            if own_words(verb.doc, *mention_range(hit[0], *np_range(hit[0]))) is None:
                hit = (None, False)  # 'datetime="2016-06': a speaker is never markup (issue 15 \u00a75)
        memo[key] = hit
    return hit


def _subject_of(verb):
    misplaced = cues.misattached_subject(verb) or cues.name_read_as_modifier(verb) or name_hung_before(verb) \
        or with_subject(verb) or inverted_subject(verb)
    if misplaced is not None:
        return misplaced, False  # "Speaking in Harrogate Mr Kennedy said ..."
    tok = verb
    for _ in range(8):
        subjs = without_places([c for c in children(tok) if c.dep_ in SUBJ_DEPS])
        subj = name_closing_split_subject(subjs) or next(iter(subjs), None)
        if subj is not None:
            subj = _past_dateline(subj)
            if subj.lower_ in RELATIVE and tok.dep_ == "relcl":
                return _who_antecedent(subj, tok.head), False
            if subj.dep_ == "nsubj" and speaks_above(tok, verb, subj):
                # "Mr. Putin forecast that the slumping economy would soon rebound and praised
                # ...", "Trump said the deadlock has kept us safe before claiming ...": the verb
                # inherits no subject from a clause whose subject cannot speak; the clause above
                # it has the speaker (as speakers.cue_subject does)
                tok = tok.head
                continue
            return subj, subj.dep_ == "nsubjpass" and tok.i == verb.i
        if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            noun = tok.head
            if tok.tag_ == "VBN" and any(c.dep_ == "agent" for c in children(tok)):
                # "another announced by MOTIE in March" (pv magazine, holdout-intl5): the noun a
                # passive participle modifies is what was announced, its agent the one who spoke
                return noun, tok.i == verb.i
            if tok.tag_ == "VBG" and noun.pos_ == "NOUN" and noun.dep_ == "dobj" and not noun.ent_type_ \
                    and not names_people(noun) and _owner(noun) is None and noun.head.i != noun.i:
                # "Clarence House has issued a statement saying ...", "X defended the move
                # saying ...": a thing that cannot speak, object of a verb; the participle
                # speaks for that verb's subject
                tok = noun.head
                continue
            owner = next((c for c in children(noun) if c.dep_ == "poss"), None) \
                if noun.pos_ == "NOUN" and noun.lemma_.lower() in cues.SPEECH_NOUNS else None
            # "tried to defend his remarks calling the Chinese government ''strong''": who made
            # the remarks speaks ("his", resolved to its person), not "his remarks"
            return (owner if owner is not None else noun), False
        controller = object_controller(tok)
        if controller is not None:
            return controller, False  # "led Debbie Wasserman Schultz to announce ..."
        if tok.dep_ in SHARES_SUBJECT_DEPS and tok.head.i != tok.i:
            tok = tok.head
            # "X said errors had forced the move, adding that ...": a participle hung on the
            # reported clause belongs to the reporting verb above it
            if tok.dep_ == "ccomp" and is_speech_cue(tok.head) and verb.dep_ in ("advcl", "conj") \
                    and verb.head.i == tok.i and is_speech_cue(verb):
                tok = tok.head
            continue
        break
    return None, False


def _who_antecedent(rel, head):
    """Who "who" stands for: the relative clause's head, or the noun right before "who" when the
    parser hung the clause on a noun that cannot speak ("labelled a misjudgement by the
    Conservatives who said ...")."""
    if rel.lower_ not in ("who", "whom") or head.pos_ == "PROPN" or head.ent_type_ or names_people(head):
        return head
    k = rel.i - 1
    if k >= 0 and rel.doc[k].text == ",":
        k -= 1
    prev = rel.doc[k] if k >= 0 else None
    if prev is not None and prev.i != head.i and (prev.pos_ == "PROPN" or (prev.pos_ == "NOUN" and names_people(prev))):
        return prev
    return head


_DASH_TEXTS = frozenset({"\u2014", "\u2013", "-", "--"})


def _past_dateline(subj):
    """The real subject when the parser took a dateline for it ("CLEVELAND, July 19 (UPI) --
    Former Attorney General Michael Mukasey told ...": Mukasey, hung on CLEVELAND as an
    apposition after the dash)."""
    if not (subj.text.isupper() and len(subj.text) > 2 and subj.is_sent_start):
        return subj
    doc = subj.doc
    for child in subj.rights:
        if child.dep_ == "appos" and any(doc[k].text in _DASH_TEXTS for k in range(subj.i + 1, child.left_edge.i)):
            return child
    return subj


def _owner(head):
    """The outlet/organisation/person a document or programme noun belongs to, if stated:
    a possessor or name compound ("the newspaper's report", "an Axios report"), or
    "by/from/of/in X" ("a report by The Washington Times"), or a passive agent ("a memo
    obtained by CBS News")."""
    for child in children(head):
        if child.ent_type_ in ("DATE", "TIME"):
            continue  # "this weekend's broadcast", "Tuesday's report": when, not whose
        if child.dep_ in ("poss", "nmod") or (child.dep_ == "compound" and child.pos_ == "PROPN"):
            return child
    for child in children(head):
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "of", "in"):
            pobj = prep_object(child)
            if pobj is not None and (pobj.pos_ == "PROPN" or pobj.lemma_.lower() in _OUTLET_NOUNS):
                return pobj
        if child.dep_ == "acl":
            for agent in children(child):
                if agent.dep_ == "agent":
                    pobj = prep_object(agent)
                    if pobj is not None:
                        return pobj
    return None


def _article_outlets(doc, entities) -> tuple[list[tuple[int, str]], dict[str, str]]:
    """The outlets an article names, as (offset, canonical name) in text order, and the names that
    only an outlet noun marks as outlets (lower case -> name)."""
    outlets: list[tuple[int, str]] = []
    for m in getattr(entities, "mentions", []) or []:
        if getattr(m, "label", None) == "OUTLET":
            name = None
            if m.entity is not None:
                try:
                    name = entities.name_of(m.entity)
                except Exception:
                    name = None
            name = name or outlet_or_none(m.text) or m.text
            outlets.append((m.start, name))
    index = doc_index(doc)
    for ent in index.ents:
        if ent.label_ in ("ORG", "WORK_OF_ART", "PERSON", "GPE", "PRODUCT", "FAC"):
            name = outlet_or_none(index.text[ent.start_char:ent.end_char])  # ent.text, not joined again
            if name:
                outlets.append((ent.start_char, name))
    outlets.sort()
    # A one-word short form names the outlet of that name mentioned before it ("the Times"
    # after "the Los Angeles Times"), even where the entity stage made it an outlet of its own.
    fixed: list[tuple[int, str]] = []
    for off, name in outlets:
        bare = re.sub(r"^(the|a|an)\s+", "", name, flags=re.I)
        if " " not in bare:
            earlier = next((n for o, n in reversed(fixed) if o < off and n.lower().endswith(" " + bare.lower())), None)
            name = earlier or name
        fixed.append((off, name))
    # "the Kommersant newspaper" names an outlet the tables do not know (BBC): its later bare
    # "told Kommersant" is that outlet too
    named: dict[str, str] = {}
    for tok in index.tokens:
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in _NEWS_MEDIA_NOUNS:
            span = _outlet_noun_name(doc, tok)
            if span is not None:
                s, e = span_chars(doc, *span)
                name = index.text[s:e]
                named.setdefault(name.lower(), name)
                fixed.append((s, outlet_or_none(name) or name))
    fixed.sort()
    return fixed, named


def _is_outlet_noun(head) -> bool:
    """Whether a common noun names a news outlet: "the newspaper", "the paper", "the news
    organization" (CNN, holdout-intl3), "a news agency"."""
    if head.pos_ == "PROPN":
        return False
    lemma = head.lemma_.lower()
    return lemma in _OUTLET_NOUNS or (lemma in _NEWS_NOUNS and any(
        c.dep_ in ("compound", "amod") and c.lower_ == "news" for c in head.lefts))


def _as_described(words: str, name: str) -> str:
    """An unnamed source's description as written when it holds the entity stage's shorter one, with
    what sets the source apart: "Two people briefed on the talks", "One Washington-based trade
    expert" (Deccan Herald, holdout-intl), not "Two people", "trade expert"."""
    phrase = words.strip(" ,;:")
    return phrase if len(phrase) > len(name) and name.lower() in phrase.lower() else name


def _outlet_noun_name(doc, head) -> tuple[int, int] | None:
    """Token range of the proper name an outlet noun carries before it ("the Kommersant newspaper",
    "Cosmopolitan magazine", parsed as compound or amod), else None."""
    mods = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nmod") and c.pos_ == "PROPN"
            and not c.ent_type_ in ("GPE", "NORP", "DATE", "LOC")]
    if not mods:
        return None
    lo, hi = trim(doc, mods[0].left_edge.i, head.i)
    return (lo, hi) if hi > lo else None


def unowned_statement(res: "SourceResolver", head) -> Source | None:
    """A statement, release or announcement with no issuer stated ("according to a statement", "the
    statement said", Albawaba and Al Jazeera, holdout-intl) as a document source of its own; None for
    another noun or a statement whose issuer is named ("a statement from the ministry": the issuer
    speaks)."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in SPEECH_NOUNS or _owner(head) is not None:
        return None
    lo, hi = mention_range(head, *np_range(head))
    start, end = mention_chars(res.doc, lo, hi)
    return Source(res.text[start:end], "document", start, end, None, False)


def per_source(res: SourceResolver, tok) -> Source | None:
    """The source "per" credits in the sense of "according to" ("Yersinia pestis, per the WHO, is
    often found in small mammals", "one Weibo commenter said, per Feng"): the named outlet, person
    or organisation its object, a proper name, resolves to; None for "per cent", "per day", "$5
    per gallon" and "per a translator", which name nobody."""
    if tok.pos_ != "ADP":
        return None
    pobj = prep_object(tok)
    if pobj is None or pobj.pos_ != "PROPN":
        return None
    src = res.source(pobj)
    return src if src.named and src.kind in ("outlet", "person", "organisation") else None


def _agent_of_participle(head):
    """The object of the passive agent of a participle modifying ``head`` ("data released by
    MOTIE" -> MOTIE), else None."""
    for child in children(head):
        if child.dep_ == "acl" and child.i > head.i:
            for agent in children(child):
                if agent.dep_ == "agent":
                    return prep_object(agent)
    return None


@dataclass
class Source:
    """A resolved source or speaker: canonical name, kind, character span, entity, named or not."""

    name: str
    kind: str  # outlet, person, organisation, document, anonymous, unknown
    start: int
    end: int
    entity: int | None
    named: bool


class SourceResolver:
    """Turns a source/speaker noun phrase into a canonical name and kind for one article."""

    def __init__(self, doc, article: Article, entities) -> None:
        self.doc = doc
        self.article = article
        self.entities = entities
        self.text = article.text
        index = doc_index(doc)
        self.ents = list(index.ents)
        self.ent_starts = [e.start for e in self.ents]
        # Outlets named in the article, by offset, for "the Times", "the newspaper"; the names that
        # only an outlet noun says are outlets ("the Kommersant newspaper")
        self.outlets, self.named_outlets = _article_outlets(doc, entities)
        self.anonymous: dict[str, list[tuple[int, str]]] = {}  # head lemma -> anonymous sources seen
        self.documents: list[tuple[int, Source, str | None]] = []  # document/outlet sources seen, for "the report"

    # -- outlets --------------------------------------------------------------------------
    def _recent_outlet(self, before: int, like: str | None = None) -> str | None:
        best = None
        for off, name in self.outlets:
            if off >= before:
                break
            if like is None or name.lower().endswith(like.lower()):
                best = name
        return best

    def _last_outlets_listed(self, before: int) -> bool:
        """Whether the outlet named last before ``before`` was named in one sentence with another:
        "From The New York Times to the CNN to Conde Nast Traveller, ... According to the website, ..."
        (News Nation, holdout-intl4): "the website" is none of them in particular."""
        named = [(off, name) for off, name in self.outlets if off < before]
        if not named:
            return False
        other = next((o for o in reversed(named) if o[1] != named[-1][1]), None)
        if other is None:
            return False
        index = doc_index(self.doc)
        sent = [index.sent_of(bisect.bisect_right(index.offsets, off) - 1).start for off, _ in (other, named[-1])]
        return sent[0] == sent[1]

    def _outlet_name(self, start: int, end: int) -> str | None:
        """Canonical outlet for text[start:end], with short forms ("the Times") resolved to the
        outlet of that name mentioned earlier."""
        words = self.text[start:end].strip()
        if not words:
            return None
        bare = re.sub(r"^(the|a|an)\s+", "", words, flags=re.I)
        bare = re.sub(r"(\u2019s|'s|\u2019|')$", "", bare).strip()
        name = outlet_or_none(words) or outlet_or_none(bare) or self.named_outlets.get(bare.lower())
        # A one-word short form names the outlet of that name already in the article.
        if bare and " " not in bare and bare[:1].isupper():
            earlier = self._recent_outlet(start, like=" " + bare)
            if earlier and (name is None or name.lower().endswith(bare.lower())):
                return earlier
        return name

    # -- generic --------------------------------------------------------------------------
    def resolve_span(self, start: int, end: int) -> tuple[int | None, str, str]:
        """(entity, name, kind) of text[start:end] by the entity stage; the words themselves if it fails."""
        try:
            idx, name, kind = self.entities.resolve(start, end)
        except Exception:  # an entity resolver failure must not lose the attribution
            idx, name, kind = None, self.text[start:end].strip(), "unknown"
        return idx, name, kind

    def source(self, head) -> Source:
        """Resolve the noun phrase headed by ``head``."""
        doc = self.doc
        toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read
        lo, hi = mention_range(head, *np_range(head))
        start, end = mention_chars(doc, lo, hi)
        lemma = head.lemma_.lower()
        # Coordinated unnamed groups are one description: "Developers and supporters in Congress".
        conj = [c for c in children(head) if c.dep_ == "conj" and c.pos_ == "NOUN"]
        if head.pos_ == "NOUN" and head.tag_ == "NNS" and conj and not head.ent_type_ \
                and all(c.tag_ == "NNS" and not c.ent_type_ for c in conj) \
                and (names_people(head) or any(names_people(c) for c in conj)):
            return Source(self.text[start:end], "anonymous", start, end, None, False)
        # An appositive name explains a common noun: "One of those professors, Ahilan A.".
        if head.pos_ != "PROPN":
            for child in children(head):
                if child.dep_ == "appos" and child.pos_ == "PROPN":
                    return self.source(child)
            named = name_after_relative(head) or appositive_name(head)
            if named is not None:
                return self.source(named)
        # Programmes, shows, documents and reports belong to their owner when one is stated.
        if lemma in DOC_NOUNS or lemma in PROGRAMME_NOUNS or head.lower_ in DOC_NOUNS:
            # "an Axios report", "an ABC 13 News report" (the tagger may read a name as an
            # adjective): all the modifiers together first, then each one
            mods = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nmod", "poss", "nummod")]
            spans = [(mods[0].left_edge.i, head.i)] if mods else []
            spans += [(c.left_edge.i, c.right_edge.i + 1) for c in mods
                      if c.dep_ != "nummod" and c.pos_ in ("PROPN", "ADJ", "NOUN")]
            for m_lo, m_hi in spans:
                c_lo, c_hi = trim(doc, m_lo, m_hi)
                if c_hi > c_lo and toks[c_hi - 1].dep_ == "case":
                    c_hi -= 1  # "Radio 4's"
                if c_hi > c_lo and toks[c_lo].dep_ == "det":
                    c_lo += 1
                name = self._outlet_name(*span_chars(doc, c_lo, c_hi)) if c_hi > c_lo else None
                if name:
                    return Source(name, "outlet", start, end,
                                   self._outlet_entity(name, *span_chars(doc, c_lo, c_hi)), True)
            owner = _owner(head)
            if owner is not None:
                osrc = self.source(owner)
                if osrc.kind == "outlet" or (osrc.kind == "person" and lemma not in DOC_NOUNS):
                    return osrc
                if lemma in PROGRAMME_NOUNS and osrc.kind in ("organisation", "unknown"):
                    # whoever owns a programme or show is a broadcaster: "Radio 4's Today programme"
                    name = re.sub(r"(\u2019s|'s|\u2019|')$", "", osrc.name).strip()
                    return Source(name, "outlet", osrc.start, osrc.end, osrc.entity, True)
            if lemma in SPEECH_NOUNS:
                # a statement or tweet is its issuer's speech, not a document to cite
                return Source(self.text[start:end], "unknown", start, end, None, True)
            if lemma in DOC_NOUNS or head.lower_ in DOC_NOUNS:
                det = next((c.lower_ for c in children(head) if c.dep_ == "det"), None)
                if det in ("the", "this", "that") and owner is None:
                    # "the report" takes up the report/outlet cited before it
                    prev = self._recent_document(start, lemma)
                    if prev is not None:
                        return Source(prev.name, prev.kind, start, end, prev.entity, prev.named)
                agent = _agent_of_participle(head) if owner is not None else None
                if agent is not None and agent.pos_ == "PROPN":
                    # "data released by MOTIE", "a study published by the CDC": the document is
                    # known by its publisher, who is part of its name (pv magazine, holdout-intl5)
                    hi = max(hi, agent.right_edge.i + 1)
                    end = max(end, span_chars(doc, hi - 1, hi)[1])
                words = self.text[start:end]
                named = any(toks[k].pos_ == "PROPN" for k in range(lo, hi))
                return Source(words, "document", start, end, None, named)
        # "Cosmopolitan magazine", "the Des Moines Register newspaper": the name before the noun
        if lemma in _OUTLET_NOUNS and head.pos_ != "PROPN":
            named_span = _outlet_noun_name(doc, head)
            if named_span is not None:  # a non-empty token range
                m_start, m_end = span_chars(doc, *named_span)
                name = self._outlet_name(m_start, m_end)
                if name is None and self.entities is not None:
                    # the entity stage may know the name is an outlet ("Cosmopolitan magazine")
                    _, ename, ekind = self.entities.resolve(m_start, m_end)
                    name = ename if ekind == "outlet" else None
                # the noun says what the name is: "the Kommersant newspaper" (BBC business)
                name = name or self.named_outlets.get(self.text[m_start:m_end].lower())
                if name:
                    return Source(name, "outlet", start, end, self._outlet_entity(name, m_start, m_end), True)
        # "State media have reported", "told US media" (PanARMENIAN, Al Jazeera): news outlets left
        # unnamed, as "sources" are people left unnamed; social media are not news outlets
        if head.lower_ == "media" and head.pos_ == "NOUN" and any(
                c.dep_ in ("amod", "compound", "nmod") and c.lower_ != "social" for c in head.lefts):
            return Source(self.text[start:end], "outlet", start, end, None, False)
        # "the newspaper", "the outlet": the outlet named last.
        taken_up = self._outlet_taken_up(head, start, end)
        if taken_up is not None:
            return taken_up
        if head.pos_ == "PROPN":
            # "Bill O'Reilly of Fox News": the words before the preposition name the person
            for child in head.rights:
                if child.dep_ == "prep" and child.lower_ in ("of", "from", "at"):
                    end = min(end, span_chars(doc, child.i - 1, child.i)[1])
                    break
        outlet = self._outlet_name(start, end)
        if outlet is None and head.ent_type_:
            k = bisect.bisect_right(self.ent_starts, head.i) - 1
            ent = self.ents[k] if k >= 0 and self.ents[k].start <= head.i < self.ents[k].end else None
            if ent is not None:
                outlet = self._outlet_name(ent.start_char, ent.end_char)
        # a bare alias is read by the entity stage once, here, and its reading kept for below
        resolved = self.resolve_span(start, end) if outlet and head.pos_ == "PROPN" and toks[lo].lower_ != "the" else None
        if resolved is not None and resolved[2] == "person" and resolved[0] is not None \
                and resolved[1].lower() != outlet.lower():
            # "said Hill" after "Fiona Hill" is not The Hill (AP, holdout-intl6); a "person" of
            # one word that is the outlet's whole name is the outlet ("told Kommersant", BBC)
            outlet = None
        if outlet:
            return Source(outlet, "outlet", start, end, self._outlet_entity(outlet, start, end), True)
        idx, name, kind = resolved or self.resolve_span(start, end)
        if kind not in ("person", "organisation", "outlet", "anonymous", "unknown"):
            kind = "unknown"
        if kind in ("person", "organisation", "outlet") and idx is not None and head.pos_ == "NOUN" \
                and not self.entities.covers(idx, head.idx, head.idx + len(head.text)):
            # "A member of President Joe Biden's cabinet" is not Joe Biden: the entity sits in a
            # modifier, the head noun describes someone else
            idx, name, kind = None, self.text[start:end].strip(), "unknown"
        if kind == "person" and head.tag_ == "NNS" and head.pos_ == "NOUN" and \
                not any(c.dep_ == "conj" for c in children(head)) and is_description(head):
            idx, name, kind = None, self.text[start:end].strip(), "unknown"  # "Analysts" is not one analyst
        if kind == "unknown" and idx is None and is_description(head):
            kind = "anonymous"  # "Analysts said", "one official said": people left unnamed
        if kind == "anonymous":
            name = _as_described(self.text[start:end], name)
            self.anonymous.setdefault(head.lemma_.lower(), []).append((start, name))
        elif kind == "unknown" and idx is None and head.pos_ == "NOUN":
            # "the source added" after "a source said": the same unnamed source
            det = next((c.lower_ for c in children(head) if c.dep_ == "det"), None)
            earlier = [n for off, n in self.anonymous.get(head.lemma_.lower(), []) if off < start]
            if det in ("the", "that", "this") and earlier:
                return Source(earlier[-1], "anonymous", start, end, None, False)
        if kind == "outlet":
            name = outlet_or_none(name) or name
        return Source(name, kind, start, end, idx, kind != "anonymous")

    def _outlet_taken_up(self, head, start: int, end: int) -> Source | None:
        """The outlet named last, for "the newspaper", "the outlet", "this paper"; else None."""
        if not _is_outlet_noun(head):
            return None
        det = next((c.lower_ for c in children(head) if c.dep_ in ("det", "poss")), None)
        if det not in ("the", "this", "that", "its"):
            return None
        prev = None if self._last_outlets_listed(start) else (self._recent_outlet(start) or self.article.outlet)
        return Source(prev, "outlet", start, end, self._outlet_entity(prev, start, end), True) if prev else None

    def recipient(self, head) -> Source:
        """:meth:`source` of the phrase a speaker's words went to: "tells the paper" (SFGate,
        holdout-intl5) is the newspaper named last, not a paper as a document."""
        src = self.source(head)
        if src.kind == "document":
            taken_up = self._outlet_taken_up(head, src.start, src.end)
            if taken_up is not None:
                return taken_up
        return src

    def _outlet_entity(self, name: str, start: int, end: int) -> int | None:
        """Index of the outlet entity called ``name`` (the full name for a short form)."""
        for ent in getattr(self.entities, "entities", []) or []:
            if getattr(ent, "type", None) == "outlet" and ent.name == name:
                return ent.local_id
        return self._entity_at(start, end)

    def _entity_at(self, start: int, end: int) -> int | None:
        try:
            return self.entities.entity_at(start, end)
        except Exception:
            return None

    def _recent_document(self, before: int, lemma: str) -> Source | None:
        """The source "the <lemma>" takes up: the last one cited with a noun of that lemma, or
        for "the report/story/article" the last outlet cited."""
        best = None
        for off, src, noun in self.documents:
            if off < before and (noun == lemma or (src.kind == "outlet" and lemma in _REPORT_NOUNS)):
                best = src
        return best

    def remember(self, src: Source, noun: str | None = None) -> None:
        """Note an outlet or document cited (with its head noun) for a later "the report"."""
        if src.kind in ("outlet", "document"):
            self.documents.append((src.start, src, noun))
            self.documents.sort(key=lambda x: x[0])

    def is_journalist(self, src: Source) -> bool:
        """Whether ``src`` is a person with a journalist's role or a role at an outlet."""
        if src.kind != "person" or src.entity is None:
            return False
        try:
            ent = self.entities.entities[src.entity]
        except (AttributeError, IndexError, TypeError):
            return False
        for role in getattr(ent, "roles", []) or []:
            if _JOURNALIST_WORDS.search(role.title or "") or (role.org and outlet_or_none(role.org)):
                return True
        memo = doc_index(self.doc).memo
        key = ("journalist_beside", src.entity)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = self._outlet_beside(src.entity)
        return hit

    def _outlet_beside(self, entity: int) -> bool:
        """Whether a mention of person ``entity`` has an outlet beside it, which makes the person
        its journalist: "Sui-Lee Wee of the New York Times", "NPR's Feng", "As Emily Feng reports
        for NPR" (Smithsonian, holdout-intl4; the entity stage gives these no role)."""
        index = doc_index(self.doc)
        toks = index.tokens
        for m in getattr(self.entities, "mentions", None) or []:
            if m.entity != entity or m.label != "PERSON":
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            head = span.root
            preps = [c for c in children(head) if c.dep_ == "prep" and c.lower_ == "of"]
            owners = [c for c in children(head) if c.dep_ == "poss"]
            verb = head.head
            if head.dep_ == "nsubj" and verb.pos_ == "VERB" and cues.cue_class(verb.lemma_) in ("write", "report"):
                preps += [c for c in children(verb) if c.dep_ == "prep" and c.lower_ == "for"]
            heads = owners + [o for o in (prep_object(p) for p in preps) if o is not None]
            for h in heads:
                if h.pos_ != "PROPN":
                    continue
                lo, hi = np_range(h)
                if self._outlet_name(*span_chars(self.doc, lo, hi)):
                    return True
        return False


def cue_words(verb) -> str:
    """The cue as written: the verb with its auxiliaries of tense, "first" and particles
    ("has learned", "first reported", "point out")."""
    toks = [verb]
    for c in children(verb):
        if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ == "first") or \
                (c.dep_ == "aux" and c.lemma_ in ("have",) and c.i < verb.i):
            toks.append(c)
    toks.sort(key=lambda t: t.i)
    return " ".join(t.text for t in toks)


def tell_recipient(verb, res: "SourceResolver") -> tuple[int, int, Source] | None:
    """The outlet or person told, when the parser folded it into the complement's subject
    ("He told The Observer government life was ..." parsed as "The Observer government life")."""
    if verb.lemma_.lower() != "tell" or any(c.dep_ in ("dative", "dobj") for c in children(verb)):
        return None
    comp = next((c for c in children(verb) if c.dep_ == "ccomp" and c.i > verb.i), None)
    if comp is None:
        return None
    doc = verb.doc
    limit = comp.left_edge.i
    subj = next((c for c in children(comp) if c.dep_ in SUBJ_DEPS), None)
    if subj is not None and subj.left_edge.i == verb.i + 1:
        limit = subj.i  # the recipient ends before the subject's head word
    for hi in range(min(limit, verb.i + 6), verb.i + 1, -1):
        s, e = span_chars(doc, verb.i + 1, hi)
        name = res._outlet_name(s, e)
        if name:
            return verb.i + 1, hi, Source(name, "outlet", s, e, res._entity_at(s, e), True)
    return None


def inside_reported_speech(verb) -> bool:
    """Whether ``verb`` sits in the complement of another cue verb ("X said [the report found ...]")."""
    tok = verb
    for _ in range(12):
        if tok.dep_ in ("ROOT",) or tok.head.i == tok.i:
            return False
        if tok.dep_ == "ccomp" and is_speech_cue(tok.head):
            return True
        tok = tok.head
    return False

