"""Word classes shared by the extractors: role nouns, abbreviated titles, honorifics, document
nouns and people nouns (with :func:`names_people`), subject dependency labels and relative
pronouns, and :func:`trim` (a token range without punctuation and conjunctions at its edges).

Classes of words, not phrases fitted to any corpus. A class used by one module only stays in
that module; this one holds those that several extractors (entities, speakers, sources,
reported speech, attributions) and the link stage's entity merging read.
"""

from __future__ import annotations

import re

from .doc_index import children, doc_index, span_chars


# Nouns that name a role a person holds (head of a title noun phrase).
ROLE_NOUNS = {
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
TITLE_ABBREV = {
    "sen.": "senator", "sen": "senator", "gov.": "governor", "gov": "governor",
    "rep.": "representative", "rep": "representative", "sec.": "secretary", "sec": "secretary",
    "pres.": "president", "gen.": "general", "col.": "colonel", "lt.": "lieutenant",
    "sgt.": "sergeant", "capt.": "captain", "cmdr.": "commander", "atty.": "attorney",
    "supt.": "superintendent", "insp.": "inspector", "amb.": "ambassador", "adm.": "admiral",
    "maj.": "major", "cpl.": "corporal", "det.": "detective", "cllr": "councillor",
}
ROLE_NOUNS |= {"councillor", "councilor", "councilman", "councilwoman", "admiral", "major",
                "corporal", "registrar", "comptroller", "controller", "officials", "peer", "barrister",
                "magistrate", "coroner", "minister", "secretary-general", "ombudsman", "mla",
                "individual", "supporter", "observer"}


HONORIFICS = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
               "miss": "f", "dr": None, "dr.": None, "sir": "m", "dame": "f", "lord": "m",
               "lady": "f", "prof": None, "prof.": None, "rev": None, "rev.": None}


# Nouns that name a text or recording: "a DHS memo", "an Axios report", "the documents".  A
# source phrase headed by one is a document, or belongs to the outlet/organisation that owns it.
DOC_NOUNS = frozenset("""
report reports memo memos memorandum document documents letter letters email emails e-mail
statement statements filing filings complaint lawsuit affidavit transcript transcripts recording
recordings audio video footage notes records data figures study studies survey surveys poll polls
analysis investigation audit story stories article articles account cable cables briefing
testimony indictment release announcement tweet tweets post posts assessment estimate estimates
research paper dossier guidance directive order email emails message messages readout summary
essay op-ed editorial commentary
""".split())


# Nouns for people that the agent-noun endings below do not catch (with a few status nouns for
# the rich and famous that news uses as anaphors: "the gambling tycoon told Reuters").
_PEOPLE_NOUNS = frozenset("""
source official people person critic aide staff staffer expert agent employee member insider
diplomat executive witness spokesman spokeswoman spokesperson colleague friend relative ally
analyst economist scientist lawyer attorney chief head delegate representative lawmaker officer
worker voter leader manager director minister teacher researcher investor trader banker farmer
owner user customer consumer supporter protester protestor player writer reporter investigator
prosecutor inspector senator governor donor editor author doctor survivor resident student
president parent patient client participant applicant immigrant migrant activist advocate
shareholder stakeholder observer adviser advisor negotiator campaigner opponent rival victim
family neighbour neighbor citizen official operative strategist organizer organiser volunteer
tycoon magnate mogul billionaire millionaire actress actor heiress authority
""".split())
# Agent-noun endings that rarely end anything but people ("-er"/"-or" end "error" and "paper" too).
# "-ator" (moderator, negotiator, commentator) is a person far more often than a device (elevator,
# indicator), and a device is seldom the subject of a speech verb (issue 15).
_AGENT_ENDINGS = ("ist", "ian", "eur", "man", "woman", "ee", "ier", "ster", "ator")


def names_people(head) -> bool:
    """Whether a common noun denotes people: a known source noun or an agent-noun ending
    ("investigators", "residents", "participants", "protesters")."""
    lemma = head.lemma_.lower()
    if lemma in _PEOPLE_NOUNS:
        return True
    return len(lemma) > 4 and lemma.endswith(_AGENT_ENDINGS) and lemma not in DOC_NOUNS \
        and lemma not in ("committee", "guarantee", "fee", "degree", "coffee")


def is_description(head) -> bool:
    """A common-noun phrase that describes unnamed people: a plural ("analysts", "two sources
    familiar with the matter", "some critics") or an indefinite singular ("an official",
    "another agent")."""
    if head.pos_ != "NOUN" or head.ent_type_ or any(c.dep_ == "poss" for c in children(head)):
        return False
    if any(c.pos_ == "PROPN" for c in head.lefts if c.dep_ == "compound"):
        return False  # "Border Patrol agents" is still a description, but "DHS memo"-like heads are not people
    if not names_people(head):
        return False  # "situations", "several points of view"
    det = next((c.lower_ for c in children(head) if c.dep_ == "det"), None)
    if head.tag_ == "NNS":
        return det not in ("the", "these", "those", "this", "that")
    return det in ("a", "an", "another", "one") or any(c.lower_ == "one" for c in children(head) if c.dep_ == "nummod")


# Dependency labels of a clause's subject, and the relative pronouns that open a relative clause.
SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
# The relations through which a participle, conjunct or adverbial clause shares its governor's
# subject ("Rubio had a strong moment ..., forcefully denouncing ..."); a reported clause (ccomp)
# does not ("Trump tweeting that it was ..."). The subject walks of sources and of the learned
# ranker climb through them.
SHARES_SUBJECT_DEPS = frozenset(("conj", "advcl", "xcomp", "pcomp", "prep", "acl"))
RELATIVE = frozenset("who which that whom whose".split())


def mention_range(head, lo: int, hi: int) -> tuple[int, int]:
    """The tokens of a speaker's or source's mention headed by ``head``: its noun phrase ``lo:hi``
    (the caller's: :func:`newstrace.extract.sources.np_range` or the speakers' own), or ``head``
    alone when that range is empty (all punctuation, trimmed away).

    Args:
        head: the mention's head token.
        lo, hi: the noun phrase's token range.

    Returns:
        (lo, hi), a non-empty token range.
    """
    return (lo, hi) if lo < hi else (head.i, head.i + 1)


def trim(doc, start_i: int, end_i: int) -> tuple[int, int]:
    """Token range [start_i, end_i) without punctuation, spaces and conjunctions at its edges."""
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read
    while start_i < end_i and (toks[start_i].is_punct or toks[start_i].is_space
                               or toks[start_i].dep_ == "cc"):
        start_i += 1
    while end_i > start_i and (toks[end_i - 1].is_punct or toks[end_i - 1].is_space
                               or toks[end_i - 1].dep_ == "cc"):
        end_i -= 1
    return start_i, end_i


# Markup left in a text (PolNeAR train's embedded '<tweet id="..." author="..." datetime="...">'):
# a tag's bracket, or an attribute with its value (to its closing quote, a bracket or the end).
_MARKUP = re.compile(r"""</?[A-Za-z][\w:-]*|[<>]|[\w:-]+=["'\u201c\u201d][^"'\u201c\u201d<>]*(?:["'\u201c\u201d]|(?=[<>])|$)""")


# What may come before the markup that opens a span: the tail of an attribute's value ('29"' of
# 'datetime="2016-06-29">') or a tag's name whose '<' is a token before the span ('tweet' of '<tweet
# author=...'), each only when markup follows at once.
_OPEN_TAIL = re.compile(r"""(?:[^"'<>\u201c\u201d]*["'\u201c\u201d](?=\s*(?:/?>|[\w:-]+=))"""
                        r"""|[A-Za-z][\w:-]*(?=\s+[\w:-]+=["'\u201c\u201d]))""")


def _may_hold_markup(text: str) -> bool:
    """Whether ``text`` has a character every piece of markup (:data:`_MARKUP`) holds: '<', '>' or
    '=' (most mentions have none, and skip the regular expressions)."""
    return "<" in text or ">" in text or "=" in text


def markup_end(text: str) -> int:
    """The offset in ``text`` just past the markup that opens it (0 when it opens with none): the
    words after it are the text's own ('29">Trump' gives 'Trump'); ``len(text)`` when it is all
    markup. Markup after the first word is the text's own ('the <em>Post</em> reporter' gives 0)."""
    if not _may_hold_markup(text):
        return 0
    tail = _OPEN_TAIL.match(text)
    pos = tail.end() if tail else 0
    end = 0
    while True:
        at = pos + (len(text) - pos - len(text[pos:].lstrip()))
        m = _MARKUP.match(text, at)
        if not m or m.end() == at:
            return end
        pos = end = m.end()


def has_no_words(text: str) -> bool:
    """True when ``text`` (non-empty) holds no letter or digit outside markup: markup alone
    ('datetime="2016', '</tweet', '>'), punctuation alone ('\u2014', '...', '(', ','), or both ('">,')."""
    return bool(text) and not any(ch.isalnum() for ch in (_MARKUP.sub("", text) if _may_hold_markup(text) else text))


def past_markup(text: str, start: int, end: int) -> int:
    """``start`` moved past the markup that opens ``text[start:end]`` ('... datetime="2016-06-29">Trump'
    gives the offset of 'Trump'), when words are left after it; ``start`` otherwise."""
    cut = markup_end(text[start:end])
    if not cut:
        return start
    rest = text[start + cut:end]
    if not any(ch.isalnum() for ch in rest):
        return start
    return start + cut + (len(rest) - len(rest.lstrip()))


def mention_chars(doc, lo: int, hi: int) -> tuple[int, int]:
    """Character offsets of the tokens ``lo:hi`` as a speaker's or source's mention: their span
    (:func:`span_chars`), its start moved past markup that opens it (:func:`past_markup`: '...
    tweet-date="March 10, 2016">Sanders aide Jeff Weaver' gives 'Sanders aide Jeff Weaver')."""
    s, e = span_chars(doc, lo, hi)
    return past_markup(doc_index(doc).text, s, e), e


def own_words(doc, lo: int, hi: int) -> tuple[int, int] | None:
    """The mention of the tokens ``lo:hi`` (:func:`mention_chars`: opening markup cut), or None when
    it has no word of its own (:func:`has_no_words`: only markup, 'datetime="2016-06', or only
    punctuation, '\u2014'; or no token at all): the one rule by which a speaker's or source's
    candidate is refused (issue 15 \u00a75: a speaker is never a markup fragment)."""
    if hi <= lo:
        return None
    s, e = mention_chars(doc, lo, hi)
    return None if has_no_words(doc_index(doc).text[s:e]) else (s, e)
