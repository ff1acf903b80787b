"""Pronouns: collecting them and resolving them (and definite descriptions) to entities.

:func:`collect_pronouns` adds a PRONOUN mention for each personal or possessive pronoun that can
refer (not the expletive "it is clear that"). :func:`resolve_pronouns` runs once the entities are
grouped and their genders settled: salience after Lappin & Leass (1994), in text order, each
resolved pronoun adding to its entity's salience; singular anonymous people ("a Labour Party
spokesman") are candidates too, as negative pseudo-entities recorded in ``draft.anon_ref``.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from ..cues import is_cue_lemma, patient_participle
from ..doc_index import children, doc_index
from ..quote_marks import quote_chains
from .draft import SUBJECT_OR_AGENT_DEPS, DraftMention, EntityDraft, add_mention, sentence_numbers
from .names import GENDER_ROLE

_PRONOUNS = {
    "he": ("m", "sg"), "him": ("m", "sg"), "his": ("m", "sg"), "himself": ("m", "sg"),
    "she": ("f", "sg"), "her": ("f", "sg"), "hers": ("f", "sg"), "herself": ("f", "sg"),
    "they": (None, "pl"), "them": (None, "pl"), "their": (None, "pl"), "theirs": (None, "pl"),
    "themselves": (None, "pl"),
    "it": (None, "it"), "its": (None, "it"), "itself": (None, "it"),
}
# Salience factor of a mention inside a quotation for a pronoun outside it (the reporter's "he"
# rarely points into the words it attributes); the mention still counts, so a pronoun with no
# other candidate resolves as before.
_QUOTED_ANTECEDENT = 0.25
# Pronouns of one gender (and three times those of the other) that settle an entity's unknown
# gender firmly enough to give its pronouns of the other gender again.
_SETTLING_VOTES = 3


def collect_pronouns(draft: EntityDraft) -> None:
    """PRONOUN mentions for the pronouns that can refer to an entity."""
    index = doc_index(draft.doc)  # the tokens and their words, shared by the stages (issue 15's time budget)
    for t, low in zip(index.tokens, index.lower):
        if low in _PRONOUNS and t.tag_ in ("PRP", "PRP$") and t.dep_ != "expl" \
                and not (t.is_upper and len(t) > 1 and not index.sent_text(t.i).isupper()):
            if low == "it" and t.dep_ in ("nsubj",) and any(c.dep_ in ("ccomp", "xcomp") for c in children(t.head)) \
                    and t.head.lemma_ == "be":
                continue  # "it is clear that ..."
            add_mention(draft, DraftMention(t.i, t.i + 1, "PRONOUN", t.text))


def resolve_pronouns(draft: EntityDraft, ents: list[dict[str, Any]]) -> None:
    """Salience-based pronoun resolution (after Lappin & Leass 1994): each earlier mention of a
    compatible entity adds a weight (subject > other, names/titles > pronouns) halved per
    sentence of distance; binding (an object pronoun is not its clause's subject) and
    gender/number/animacy filter the candidates."""
    doc = draft.doc
    sents = doc_index(doc).sents
    sent_of = sentence_numbers(draft)
    # Quoted words are the speaker's voice, not the reporter's: for a pronoun outside quotes
    # ('"Howard and Kennedy want a debate," he said') a name inside a quotation is a weak
    # antecedent (see _pick).
    quoted = sorted((r.start, r.end) for chain in doc_index(doc).of_text(quote_chains, draft.article.text)
                    for r in chain)
    q_starts = [s for s, _ in quoted]
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read (issue 15's time budget)
    quote_at: dict[int, tuple[int, int] | None] = {}  # quote_of's answers by token (asked per pronoun and candidate)

    def in_quote(tok_i: int) -> bool:
        return quote_of(tok_i) is not None

    def quote_of(tok_i: int) -> tuple[int, int] | None:
        if tok_i in quote_at:
            return quote_at[tok_i]
        off = toks[tok_i].idx
        k = bisect.bisect_right(q_starts, off) - 1
        q = quote_at[tok_i] = quoted[k] if k >= 0 and quoted[k][0] <= off < quoted[k][1] else None
        return q

    items = []  # (start token, sentence, entity, weight, head token)
    for m in draft.mentions:
        if m.ent is None or m.label == "PRONOUN":
            continue
        head = toks[m.head] if (m.label == "TITLE" and m.head >= 0) else toks[m.end - 1]
        while head.dep_ in ("compound", "flat", "punct") and head.head.i > head.i and head.head.i < len(doc):
            if head.head.i >= m.end + 3 or (m.label in ("GPE", "NORP") and head.head.i >= m.end):
                break  # a place modifying a noun is no subject of its clause ("the US military said")
            head = head.head
        items.append([m.start, sent_of[m.start], m.ent, _weight(head, m.label), head.i])
    # singular anonymous people ("a Labour Party spokesman") can be antecedents too: they get
    # negative pseudo-entity ids, and a pronoun resolved to one is anonymous
    anon_by_head = {a[3]: a for a in draft.anon}
    for m in draft.mentions:
        if m.label == "TITLE" and m.key == "anon" and m.head >= 0 and toks[m.head].tag_ == "NN" \
                and toks[m.head].dep_ in SUBJECT_OR_AGENT_DEPS:
            a = anon_by_head.get(toks[m.head].idx)
            if a is None:
                continue
            pid = -1 - len(draft.anon_ref)
            draft.anon_ref[pid] = (a[2], GENDER_ROLE.get(toks[m.head].lower_))
            items.append([m.start, sent_of[m.start], pid, _weight(toks[m.head], "TITLE") * 0.6, m.head])
    items.sort()
    prons = sorted((m for m in draft.mentions if m.label == "PRONOUN"), key=lambda m: m.start)
    # gender constraints come from honorifics and gendered nouns only; the pronouns' votes
    # decide an unknown gender afterwards (a first wrong guess must not lock it)
    votes: dict[int, Counter] = defaultdict(Counter)
    speakers_of: dict[tuple[int, int], set[int]] = {}  # quotation -> who speaks it (_quote_speakers)
    described: dict[str, int | None] = {}  # a description's noun -> whom its first use was resolved to

    def resolve(m: DraftMention, vote: bool = True) -> None:
        if m.key == "defnp":  # "the New York businessman": the noun's gender, singular
            tok = toks[m.head]
            gender, number = m.gender, "sg"
            noun = tok.lemma_.lower() if tok.lower_ != "old" else m.text.lower()
        else:
            tok = toks[m.start]
            gender, number = _PRONOUNS[tok.lower_]
        sp = sent_of[m.start]
        quote = quote_of(tok.i) if number == "sg" else None
        if quote is not None and quote not in speakers_of:
            speakers_of[quote] = _quote_speakers(doc, quote, items, sents, sent_of, in_quote)
        if m.key == "defnp" and noun in described:
            # the same description again is the same person, named or not: "The patient went to
            # his doctor ... '...,' the patient wrote" (Live Science, holdout-intl6) stays the
            # unnamed patient, not the doctor quoted last
            ent = described[noun]
        else:
            ent = _pick(draft, m, tok, gender, number, sp, items, ents, sents, sent_of, in_quote,
                        speakers_of[quote] if quote is not None else frozenset())
        m.ent = ent
        if m.key == "defnp":
            described.setdefault(noun, ent)
        if ent is not None and ent >= 0:
            if vote and gender and ents[ent]["type"] == "person":
                votes[ent][gender] += 1
            bisect.insort(items, [m.start, sp, ent, _weight(tok, "PRONOUN"), tok.i])

    for m in prons:
        resolve(m)
    voted = set()
    for ent, v in votes.items():
        if not ents[ent]["gender"]:
            (g, n), *rest = v.most_common()
            if not rest or n > rest[0][1]:
                ents[ent]["gender"] = g
                if n >= _SETTLING_VOTES and (not rest or n >= 3 * rest[0][1]):
                    voted.add(ent)
    # A pronoun given to a person whose gender the other pronouns then settled the other way is
    # given again ("Clinton, ..., Wes Nakagiri, a delegate ... . '...,' he said": "Hillary", in no
    # first-name table, took "he" until her own "she" and "her" outvoted it)
    wrong = [m for m in prons if m.ent in voted and m.key != "defnp"
             and _PRONOUNS[toks[m.start].lower_][0] not in (None, ents[m.ent]["gender"])]
    if wrong:
        gone = {m.start for m in wrong}
        items[:] = [it for it in items if not (it[0] in gone and toks[it[4]].pos_ == "PRON")]
        for m in wrong:
            resolve(m, vote=False)


def _quote_speakers(doc, quote: tuple[int, int], items, sents, sent_of, in_quote: Callable[[int], bool]) -> set[int]:
    """The entities that speak a quotation, as far as the text before the pronoun tells: the
    subject of a reporting verb outside quotes in the sentence that opens the quotation or the one
    before it ('he replied: "... He's been a tremendous colleague"'). Someone quoted speaks of
    himself as "I": a third-person pronoun in his own words is somebody else (issue 15, item 5)."""
    first = doc.char_span(quote[0], quote[1], alignment_mode="expand")
    if first is None or not len(first):
        return set()
    q_sent = sent_of[first[0].i]
    lo = sents[max(q_sent - 1, 0)].start
    out = set()
    toks = doc_index(doc).tokens
    for start, si, ent, _, head_i in items[bisect.bisect_left(items, [lo]):]:
        if si > q_sent:
            break
        head = toks[head_i]
        if head.dep_ == "nsubj" and head.head.pos_ == "VERB" and is_cue_lemma(head.head.lemma_) \
                and not in_quote(head_i):
            out.add(ent)
    return out


def _weight(head, label: str) -> float:
    """Salience weight of a mention by its head's role in the clause."""
    w = 50.0
    dep = head.dep_
    if dep in SUBJECT_OR_AGENT_DEPS:
        w = 100.0
    elif dep in ("dobj", "dative", "attr", "appos"):
        w = 60.0
    elif dep == "poss":
        w = 45.0
    if label == "PRONOUN":
        w *= 0.8
    # mentions inside adverbial/relative clauses are less salient than main-clause ones
    # (``head.ancestors`` walked over the shared head index: no new Token per ancestor)
    index = doc_index(head.doc)
    heads, toks = index.heads, index.tokens
    j = head.i
    for _ in range(index.size):  # (spaCy's bound on the walk)
        if heads[j] == j:
            break
        j = heads[j]
        if toks[j].dep_ in ("advcl", "relcl", "acl", "pcomp"):
            w *= 0.7
            break
    return w


def _pick(draft: EntityDraft, m: DraftMention, tok, gender, number, sp, items, ents, sents, sent_of,
          in_quote: Callable[[int], bool], speakers: set[int] = frozenset()) -> int | None:
    """The entity (or anonymous pseudo-entity) a pronoun refers to, else None; never one of
    ``speakers`` (who speak the quotation the pronoun is in)."""
    doc = draft.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read

    def compatible(ent: int) -> bool:
        # (a description whose noun gives no gender, "the actor", is any person's: Fox News,
        # holdout-intl7, '"...," said the actor.' after "Van Der Beek said", a man)
        if ent < 0:
            return number == "sg" and (gender is None or draft.anon_ref[ent][1] in (None, gender))
        e = ents[ent]
        if number == "sg":
            return e["type"] == "person" and (gender is None or e["gender"] in (None, gender))
        if number == "it":
            return e["type"] in ("organisation", "outlet", "place")
        return e["type"] in ("organisation", "group", "outlet")

    window = 2 if number in ("it", "pl") else 8
    # binding: a non-reflexive object pronoun is not the subject of its own verb
    banned = set(speakers)
    if tok.dep_ in ("dobj", "dative", "pobj") and not tok.lower_.endswith("self"):
        verb = tok.head if tok.dep_ != "pobj" else tok.head.head
        heads = doc_index(doc).heads  # tok.head builds a new Token on every read
        for it in items:
            if heads[it[4]] == verb.i and toks[it[4]].dep_ in SUBJECT_OR_AGENT_DEPS:
                banned.add(it[2])
    # a subject pronoun is none of the names its own clause holds after it (binding principle C: "He
    # calls Christie's endorsement ...", "she said Clinton would ..."), outside quotations
    if tok.dep_ == "nsubj" and tok.pos_ == "PRON":
        verb = tok.head
        lo_i, hi_i = verb.left_edge.i, verb.right_edge.i
        k = bisect.bisect_right(items, [m.start, float("inf")])
        while k < len(items) and items[k][1] == sp:
            it = items[k]
            if tok.i < it[4] <= hi_i and lo_i <= it[4] and toks[it[4]].pos_ == "PROPN" and not in_quote(it[4]):
                banned.add(it[2])
            k += 1
    # "Asked if Mr Blunkett could return ..., he replied": who the question is about is not who
    # answers it (the one asked is the main clause's subject)
    if tok.dep_ in ("nsubj", "nsubjpass"):
        for adv in children(tok.head):
            if adv.i < tok.i and patient_participle(adv):
                lo_i, hi_i = adv.left_edge.i, adv.right_edge.i
                # (a pronoun in the question is the one asked: "Asked if he would quit, he said")
                banned.update(it[2] for it in items if lo_i <= it[4] <= hi_i and toks[it[4]].pos_ != "PRON")
    # cataphora: "In his New Year message the Liberal Democrat leader said ..."
    if tok.dep_ == "poss":
        subj = [it for it in items if it[1] == sp and it[0] > m.start and toks[it[4]].dep_ in SUBJECT_OR_AGENT_DEPS
                and toks[it[4]].head == sents[sp].root]
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
    pron_quoted = in_quote(tok.i)
    for it in items[lo:hi]:
        start, si, ent, w, head_i = it
        if ent in banned or not compatible(ent):
            continue
        v = w * (0.5 ** (sp - si))
        if not pron_quoted and in_quote(head_i):
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
