"""Reporting cues: the verbs (and a few nouns) by which news text reports speech (issue 3).

The lexicon is grouped in classes by what the verb says about the speech act, following the
reporting-verb classes used in attribution work (PARC/PolNeAR cue annotation, Quotebank,
GenderGapTracker): plain saying, telling someone, writing/posting, claiming, denying,
confirming, warning/urging, reporting/announcing, continuing, asking, and characterising.

:func:`is_cue` decides whether a parsed token is used as a reporting cue (a verb of one of the
classes; for verbs that are often not about speech, such as "add", "call" or "write", only with
a clausal complement, a quotation or a colon nearby). :func:`cue_phrase` gives the cue with its
medium and recipient, as a reader would quote it: "said in a statement", "told CNN", "tweeted",
"said in an interview with the Los Angeles Times". :func:`cue_via` gives the span of the outlet
or document the words came through ("CNN", "the Los Angeles Times"), for the caller to resolve.
"""

from __future__ import annotations

from dataclasses import dataclass

from .doc_index import KeptAnswers, children, doc_index, prep_object, span_chars

# The subject dependencies (lexicon.SUBJ_DEPS: a sibling module, which cues may not import).
_SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")

__all__ = [
    "ACT_NOUNS",
    "BELIEF_VERBS",
    "DECISION_VERBS",
    "EVIDENCE_VERBS",
    "INTENTION_VERBS",
    "act_of",
    "act_of_lemma",
    "COMMUNICATION_VERBS",
    "CUE_CLASSES",
    "DOCUMENT_NOUNS",
    "EVIDENCE_DOCUMENTS",
    "MEDIUM_NOUNS",
    "RAISING_VERBS",
    "REFUSAL_VERBS",
    "NEGATIVE_IMPLICATIVES",
    "STANCE_ADJECTIVES",
    "SPEECH_NOUNS",
    "Cue",
    "cue_class",
    "cue_phrase",
    "cue_via",
    "describe_cue",
    "infinitive_complement",
    "is_belief",
    "is_cue",
    "is_cue_lemma",
    "is_parenthetical",
    "is_negated",
    "negates",
    "withholds",
    "marked_by_to",
    "to_infinitives",
    "word_lemma",
    "mention_end",
    "misattached_subject",
    "name_read_as_modifier",
    "patient_participle",
]

# Verb lemmas by class.  British and American spellings both appear in news text.
CUE_CLASSES: dict[str, frozenset[str]] = {
    "say": frozenset("""
        say state declare remark comment speak talk reply respond retort answer quip joke
        explain recall recount testify exclaim proclaim pronounce opine muse stress emphasise
        emphasize reiterate repeat shout whisper mutter murmur yell scream sigh chuckle laugh
        summarise summarize elaborate clarify
    """.split()),
    "tell": frozenset("tell inform assure reassure advise brief notify remind".split()),
    "write": frozenset("write post tweet retweet blog text email e-mail message pen".split()),
    "claim": frozenset("""
        claim argue insist contend maintain assert allege suggest posit reason theorise theorize
        speculate rule
    """.split()),
    "deny": frozenset("deny reject dispute refute rebut dismiss disagree contradict rebuff".split()),
    "confirm": frozenset("confirm acknowledge admit concede agree affirm".split()),
    "warn": frozenset("""
        warn threaten caution predict forecast promise pledge vow urge demand plead appeal beg
        implore
    """.split()),
    "report": frozenset("report reveal announce disclose estimate cite".split()),
    "add": frozenset("add continue note point mention observe conclude highlight".split()),
    "ask": frozenset("ask question wonder query inquire enquire".split()),
    "describe": frozenset("""
        describe call characterise characterize label brand dub term praise criticise criticize
        condemn slam blast accuse blame lament complain boast brag hail applaud decry lambast
        lambaste ridicule mock charge welcome attack
    """.split()),
}

# Verbs that are cues only in a speech context (a clausal complement, a quotation, a colon):
# "he added 50 jobs", "she called for calm", "I wrote a book", "the share price continued to
# fall" are not reports of speech.
_WEAK = frozenset("""
    add continue note point go mention observe conclude highlight call describe label brand dub
    term praise criticise criticize condemn slam blast accuse blame hail applaud welcome attack
    charge ask question wonder write post text message pen answer reply respond repeat explain
    recall reason maintain dismiss reject dispute agree accept suggest estimate predict forecast
    promise pledge appeal demand reveal report laugh sigh chuckle remind advise brief speak talk
    comment summarise summarize elaborate clarify stress emphasise emphasize cite rule
""".split())

# Classes whose verbs report a directive, a commitment or a claim through a to-infinitive: "vowed
# to ban ...", "urged the department to process ...", "asked him to step aside", "told them to
# leave", "claimed to have won". The infinitive (with the person addressed) is what was said.
_INFINITIVE_CLASSES = frozenset({"warn", "ask", "tell", "claim"})

# Verbs of belief, expectation and knowledge: "X believes that ...", "Y fears that ...". They are
# not speech, but news attributes opinions with them exactly as it attributes speech (PARC and
# PolNeAR annotate them as attributions); they count only with a finite clausal complement.
BELIEF_VERBS = frozenset("""
    believe think hope fear worry expect doubt feel assume suspect reckon suppose consider
    conclude judge figure guess imagine trust anticipate
""".split())

# Verbs of intention and of decision (issue 15, the acts of PolNeAR-style attribution): "he
# wants to ...", "the party plans to ...", "the court ruled that ...", "the board voted to ...".
INTENTION_VERBS = frozenset("want plan intend aim seek wish mean prefer".split())
DECISION_VERBS = frozenset("decide rule vote order determine resolve approve".split())
# Verbs by which a document, a poll or a study shows something ("polls show ...", "the report
# found ..."): they make attributions only with a document or outlet as subject. One table for the
# rules (sources, reported) and the learned layer (issue 15).
EVIDENCE_VERBS = frozenset("show find indicate suggest conclude estimate reveal document detail".split())
_DOCUMENT_KINDS = frozenset({"document"})
# Nouns that carry an act of their own when they head a content ("his belief that ...", "the plan
# to ...", "polls ..."; "the ruling that ..."); speech nouns ("claim", "warning") are speech.
# Entries are lemmas: spaCy lemmatises "data" as "datum" (before 2026-12-03 only "data" was listed,
# and "the data showed ..." never matched); "data" stays for a lemmatiser that keeps it.
ACT_NOUNS: dict[str, frozenset[str]] = {
    "decision": frozenset("ruling decision verdict".split()),
    "intention": frozenset("plan intention goal bid effort push".split()),
    "thought": frozenset("belief view fear hope concern doubt".split()),
    "evidence": frozenset("poll survey study datum data finding evidence".split()),
}

# Verbs of communication beyond the reporting cues (:data:`CUE_CLASSES`, which the rules and the
# CRF's features read): the communication classes of Levin (1993, ch. 37: transfer of a message,
# manner of speaking, instrument of communication, chitchat, say, complain, advise, promise) and
# her judgment verbs (ch. 33, praising and blaming someone in words); then
# :data:`_COMMUNICATION_SEEN` (below). The learned layer labels a content "speech" only when its cue
# holds a word of communication (this table, a cue class, a speech or medium noun); a cue of
# another verb ("appears", "knows", "is backing") reports no words.
_COMMUNICATION_LEVIN = frozenset("""
    quote recite relay narrate dictate preach teach lecture moralise moralize read
    bark bellow croak cry growl grumble grunt hiss howl moan mumble roar screech shriek snap snarl
    wail whine holler gasp stammer stutter
    cable fax phone telephone radio telegraph wire call email e-mail
    chat chatter confer converse debate discuss gossip quarrel squabble bicker negotiate
    articulate blurt confess confide convey relate propose communicate express voice utter
    gripe grouse bemoan protest object
    admonish alert counsel instruct recommend request
    guarantee swear vouch
    castigate censure chastise commend compliment congratulate denounce deride fault laud rebuke
    reprimand reproach scold thank upbraid salute greet berate excoriate
""".split())
# Not from Levin's communication classes: verbs of speech acts (apologising, defending, advocating,
# hinting, interjecting), of characterising in words (her 29.2: portray, depict, outline), and of
# citing, that were found among the learned layer's cue words when the table was checked on 150
# PolNeAR train texts and 300 BBC articles (2026-12-03, branch kind1): collected, not derived.
_COMMUNICATION_SEEN = frozenset("""
    apologise apologize defend justify refer outline portray depict tout advocate counter hint
    purport echo quiz chant interject rail reference
""".split())
COMMUNICATION_VERBS = _COMMUNICATION_LEVIN | _COMMUNICATION_SEEN
# Raising verbs: their to-infinitive is the state of their subject, not what the subject means to
# do ("the talks appear [to be] failing", "he seems [to] know").
RAISING_VERBS = frozenset("seem appear look sound prove tend happen".split())
# Adjectives of stance that attribute an act with a clause or an infinitive: "is keen to ...",
# "is hopeful that ...", "was convinced ...".
STANCE_ADJECTIVES: dict[str, str] = {
    **dict.fromkeys("keen willing eager ready determined reluctant unwilling prepared".split(), "intention"),
    **dict.fromkeys("""hopeful confident optimistic pessimistic sure certain convinced aware afraid
        fearful worried concerned sceptical skeptical doubtful unsure uncertain adamant""".split(), "thought"),
}
# Verbs of refusal: a report under one says what was not said or done ("declined to say ...",
# "refused to comment", "failed to mention").
REFUSAL_VERBS = frozenset("refuse decline fail".split())
# Nouns of refusal a cue's infinitive can hang from: "his refusal [to say which ...]".
REFUSAL_NOUNS = frozenset("refusal failure".split())
# Negative implicative verbs (Karttunen 1971, "Implicative verbs"; Nairn, Condoravdi & Karttunen
# 2006): "failed to say X" entails X was not said, and negated they entail it was ("didn't hesitate
# to say X", "never fails to mention X"): a negation on one cancels the one it lends its infinitive.
NEGATIVE_IMPLICATIVES = frozenset("fail neglect forget hesitate refrain avoid".split())
# The modal adjectives of ability, will and readiness: negated, they negate their infinitive ("was
# not able to say", "was not willing to say for certain who ..."). Another adjective's infinitive is
# said whatever negates the adjective: "was not afraid to say that ...", "have not been reluctant to
# express my views" report what was said.
_MODAL_ADJECTIVES = frozenset("able willing ready prepared free".split())
# Their negative forms negate their infinitive as "was not able to" does: "were unable to say whether ...".
_NEGATIVE_MODAL_ADJECTIVES = frozenset(("unable", "unwilling"))
# Words opening an embedded question: "won't say [what ...]", "asked [whether ...]".
WH_WORDS = frozenset("what whether if who whom whose which why how when where".split())


# Particles that must follow a weak verb for it to be a cue ("point out", "go on").
_REQUIRED_PARTICLE = {"point": ("out",)}

_LEMMA_CLASS: dict[str, str] = {}
for _cls, _lemmas in CUE_CLASSES.items():
    for _lemma in _lemmas:
        _LEMMA_CLASS.setdefault(_lemma, _cls)

# Nouns naming the medium or occasion of speech: "in a statement", "in an interview with X",
# "at a news conference", "on Twitter", "in a letter".
MEDIUM_NOUNS = frozenset("""
    statement interview conference briefing hearing speech address remarks remark comments
    comment letter email e-mail e-mails emails message messages memo memorandum post posts tweet
    tweets video podcast broadcast programme program show appearance op-ed column editorial
    essay article blog report filing testimony affidavit release announcement call text texts
    session meeting rally event debate question questions response reply note notes
    twitter facebook instagram truth tiktok youtube telegram linkedin x radio television tv
""".split())
# Nouns naming something said, whose owner is its speaker: "claims from X", "X's remarks".
SPEECH_NOUNS = frozenset("""
    claim comment remark word statement accusation allegation criticism warning description
    promise pledge call jibe insult charge assertion complaint denial admission suggestion
    characterisation characterization attack plea demand response reply description label
""".split())
# Records and measurements, whose "according to" states a finding, as "the poll shows ..." does
# ("..., according to a new poll", "according to FEC filings", "according to Crowdpac data"):
# lemmas, spaCy's "datum" for "data" too. Not a report, a written account ("according to the
# report" stays speech).
EVIDENCE_DOCUMENTS = frozenset("""
    poll survey study data datum finding evidence record filing figure statistic estimate analysis
    audit investigation research count tally
""".split())


def names_evidence(noun) -> bool:
    """Whether a noun token names a record or measurement (:data:`EVIDENCE_DOCUMENTS`): the object of
    "according to" that states a finding ("..., according to a new poll") and the head of a source
    whose "according to" does (the rules' evidence quote and the evidence attribution alike)."""
    return noun is not None and noun.lemma_.lower() in EVIDENCE_DOCUMENTS


# Nouns naming a text that can be quoted at length (a block quote's source): "the report said:".
DOCUMENT_NOUNS = frozenset("""
    report memo memorandum document letter email statement filing complaint lawsuit affidavit
    transcript notes study survey poll analysis investigation audit story article cable briefing
    testimony indictment release announcement assessment paper dossier guidance directive order
    readout summary newsletter editorial column blog post tweet message notice ruling judgment
    decision opinion
""".split())
_MEDIUM_PREPS = frozenset("in on at during to via through with over".split())
# Prepositions that take the person spoken to: "said to reporters", "explained to CNN".
_RECIPIENT_PREPS = frozenset({"to"})
_QUOTE_CHARS = frozenset('"\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019\'')
_MAX_PP_TOKENS = 12


@dataclass
class Cue:
    """A reporting cue as found on one verb token."""

    lemma: str
    cls: str
    phrase: str  # "said in a statement", "told CNN"
    via: tuple[int, int] | None  # char span of the outlet/person the words went through
    recipient: tuple[int, int] | None  # char span of who was told ("CNN", "reporters")


def is_cue_lemma(lemma: str) -> bool:
    """Whether ``lemma`` is a reporting-verb lemma of any class.

    >>> is_cue_lemma("say"), is_cue_lemma("eat")
    (True, False)
    """
    return lemma.lower() in _LEMMA_CLASS


def cue_class(lemma: str) -> str | None:
    """The cue class ("say", "tell", "write", "claim", "deny", ...) of a verb lemma, or None.

    >>> cue_class("tweet"), cue_class("insist"), cue_class("run")
    ('write', 'claim', None)
    """
    return _LEMMA_CLASS.get(lemma.lower())


# (lemma, word) hashes -> _lemma: it reads only the token's lemma and word, and the stages ask it
# of the same verbs many times (issue 15's time budget: Token.lemma_ and lower_ build new strings)
def _lemma(tok) -> str:
    return _LEMMA_OF((tok.lemma, tok.orth), tok)


def _lemma_of(tok) -> str:
    lemma = (tok.lemma_ or tok.text).lower()
    if lemma in _LEMMA_CLASS:
        return lemma
    # The small model sometimes leaves inflected forms unlemmatised ("tweeted" tagged NOUN).
    return _uninflected(tok.lower_, _LEMMA_CLASS.__contains__, _INFLECTIONS) or lemma


# Inflections the small model leaves on a word, each with what its stem ends in: "replied" ->
# "reply", "tweeted" -> "tweet", "hoped" -> "hope", "hopes", "hoping" -> "hope".
_INFLECTIONS = (("ied", "y"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"))
# ... and an adverb of a participle: "reportedly" -> "report", "allegedly" -> "allege".
_ADVERB_INFLECTIONS = (("edly", ""), ("edly", "e"), *_INFLECTIONS)


def _uninflected(low: str, known, inflections) -> str | None:
    """``low`` with the first of ``inflections`` taken off that leaves a ``known`` word, or None."""
    for suffix, repl in inflections:
        if low.endswith(suffix) and known(low[: -len(suffix)] + repl):
            return low[: -len(suffix)] + repl
    return None


_LEMMA_OF = KeptAnswers(_lemma_of)


def act_of(tok, source_kind: str | None = None) -> str:
    """What a cue token says its source did: one of :data:`newstrace.models.ACTS`.

    Args:
        tok: the cue (a verb, "according", or a speech noun).
        source_kind: the kind of its source ("person", "document", ...), when known.
    Returns:
        "decision" (ruled, decided, voted), "intention" (wants, plans, hopes to), "thought"
        (believes, fears, expects), "evidence" (a document, poll or study shows, finds,
        suggests) or "speech" (everything else: said, claimed, told, according to).

    >>> from types import SimpleNamespace as T
    >>> act_of(T(lemma_="believe", pos_="VERB", children=[])), act_of(T(lemma_="say", pos_="VERB", children=[]))
    ('thought', 'speech')
    """
    lemma = (getattr(tok, "lemma_", "") or "").lower()
    if getattr(tok, "pos_", "") != "VERB":
        return "speech"
    if lemma in DECISION_VERBS:
        return "decision"
    if lemma in INTENTION_VERBS:
        return "intention"
    if lemma in BELIEF_VERBS:
        # "hopes to win", "expects to announce": an infinitive states an intention
        to_inf = any(c.dep_ == "xcomp" and marked_by_to(c) for c in tok.children)
        return "intention" if to_inf and lemma in ("hope", "expect") else "thought"
    if lemma in EVIDENCE_VERBS and source_kind in _DOCUMENT_KINDS:
        return "evidence"
    return "speech"


def act_of_lemma(lemma: str, pos: str | None = None) -> str:
    """The act a cue word reports by its lemma alone (the tables of :func:`act_of`, with nouns).

    For a verb the order is :func:`act_of`'s (decision, intention, thought); a verb of evidence
    ("show", "find") is "evidence" unless it is also a reporting verb ("reveal", "estimate"),
    since without its source the lemma cannot tell a document's finding from a person's words.

    Args:
        lemma: the word's lemma.
        pos: "VERB" or "NOUN" (spaCy's coarse tag); None tries the verb tables, then the nouns.
    Returns:
        One of :data:`newstrace.models.ACTS`.

    >>> act_of_lemma("believe"), act_of_lemma("show"), act_of_lemma("poll", "NOUN"), act_of_lemma("say")
    ('thought', 'evidence', 'evidence', 'speech')
    """
    low = lemma.lower()
    if pos in (None, "VERB", "AUX"):
        if low in DECISION_VERBS:
            return "decision"
        if low in INTENTION_VERBS:
            return "intention"
        if low in BELIEF_VERBS:
            return "thought"
        if low in EVIDENCE_VERBS and low not in _LEMMA_CLASS:
            return "evidence"
    if pos in (None, "NOUN"):
        for act, nouns in ACT_NOUNS.items():
            if low in nouns:
                return act
    return "speech"


def _known_word(low: str) -> bool:
    return (low in _LEMMA_CLASS or low in COMMUNICATION_VERBS or low in BELIEF_VERBS or low in INTENTION_VERBS
            or low in DECISION_VERBS or low in EVIDENCE_VERBS or low in STANCE_ADJECTIVES
            or low in SPEECH_NOUNS or low in MEDIUM_NOUNS or any(low in nouns for nouns in ACT_NOUNS.values()))


def word_lemma(tok) -> str:
    """A word's lemma for the act tables: spaCy's, or, when that is in no table, the word with an
    inflection taken off that is ("hopes", "hoping" -> "hope", which the small model lemmatises
    "hop"); an adverb of a reporting participle gives its verb ("reportedly" -> "report",
    "allegedly" -> "allege").

    >>> from types import SimpleNamespace as T
    >>> word_lemma(T(lemma_="hop", lower_="hoping")), word_lemma(T(lemma_="reportedly", lower_="reportedly"))
    ('hope', 'report')
    """
    lemma = (tok.lemma_ or tok.lower_).lower()
    if _known_word(lemma):
        return lemma
    return _uninflected(tok.lower_, _known_word, _ADVERB_INFLECTIONS) or lemma


def is_negated(tok) -> bool:
    """Whether a cue word is negated or refused: a negation on it ("did not say", "has not
    confirmed", "never mentioned") or on the verb of refusal it hangs from as an infinitive
    ("declined to say", "refused to comment", "failed to mention"), the noun of refusal it hangs
    from ("his refusal to say"), or the word a verb of refusal. A negated negative implicative
    asserts its infinitive ("didn't hesitate to say", "never fails to mention": not negated). An
    infinitive of an adjective is negated with it or its copula ("wasn't able to say", "were
    unable to say"); only a modal adjective's ("able", "willing", "ready", "prepared", "free"):
    "was not afraid to say that ..." reports what was said.

    Args:
        tok: a spaCy Token of the cue.
    Returns:
        True when the cue says what was not said, thought or done.
    """
    if word_lemma(tok) in REFUSAL_VERBS and tok.pos_ == "VERB":
        return True
    if any(c.dep_ == "neg" for c in children(tok)):
        return True
    head = tok.head
    if tok.dep_ == "acl" and head.i != tok.i and head.pos_ == "NOUN" and word_lemma(head) in REFUSAL_NOUNS:
        return True
    if tok.dep_ == "xcomp" and head.i != tok.i and head.pos_ == "ADJ":
        # "wasn't able to say", "were unable to say": the adjective, or the copula it completes;
        # only a modal adjective ("not afraid to say" says it)
        if head.lower_ not in _MODAL_ADJECTIVES and head.lower_ not in _NEGATIVE_MODAL_ADJECTIVES:
            return False
        negated = any(c.dep_ == "neg" for c in children(head)) or (
            head.dep_ == "acomp" and any(c.dep_ == "neg" for c in children(head.head)))
        return negated != (head.lower_ in _NEGATIVE_MODAL_ADJECTIVES)
    if tok.dep_ != "xcomp" or head.i == tok.i or head.pos_ != "VERB":
        return False
    head_negated = any(c.dep_ == "neg" for c in children(head))
    if word_lemma(head) in REFUSAL_VERBS or word_lemma(head) in NEGATIVE_IMPLICATIVES:
        return not head_negated  # (two negations cancel: "didn't hesitate to say", "never fails to mention")
    return head_negated


def negates(toks) -> bool:
    """Whether a cue of several words is negated or refused: a verb, auxiliary or adjective of it
    is (:func:`is_negated`; "did not say", "is not aware", "declined to comment").

    Args:
        toks: the cue's Tokens.
    Returns:
        True when one of its words says what was not said, thought or done.
    """
    idx = {t.i for t in toks}
    # (a verb lending the cue's own infinitive is read through it: "didn't hesitate to say")
    return any(is_negated(t) for t in toks if t.pos_ in ("VERB", "AUX", "ADJ")
               and not any(c.dep_ == "xcomp" and c.i in idx for c in children(t)))


def withholds(toks, first) -> bool:
    """Whether a cue reports an answer withheld: a negated or refused cue ("won't say [what ...]",
    "declined to say [whether ...]", "did not explain [why ...]") whose content opens with a
    question word. Such a record holds no content anyone asserted (issue 15: not a quote), unlike a
    negated report of what was said ("did not say [that ...]"), which is kept and flagged.
    "Asked [whether ...]" is a question put, not withheld. A content opening with the infinitive of
    a reporting verb is read past it ("declined [to say what ...]", "[to comment on whether ...]").

    Args:
        toks: the cue's Tokens (the rules' cue verb alone, or a learned cue's words).
        first: the content's first Token.
    Returns:
        True when the content is an embedded question the cue says was not answered.
    """
    verb = first.head
    if first.lower_ == "to" and verb.i == first.i + 1 and is_cue_lemma(verb.lemma_.lower()) \
            and verb.i + 1 < len(verb.doc):
        # "declined [to say what ...]", "[to comment on whether ...]": the question after the infinitive
        nxt = verb.doc[verb.i + 1]
        first = verb.doc[nxt.i + 1] if nxt.dep_ == "prep" and nxt.i + 1 < len(verb.doc) else nxt
    if first.lower_ not in WH_WORDS or any(cue_class(t.lemma_) == "ask" for t in toks):
        return False
    return negates(toks)


def infinitive_complement(tok):
    """The to-infinitive complement of a directive/commissive/claim cue ("vowed [to ban ...]",
    "urged the department [to process ...]"), or None.

    Args:
        tok: a spaCy Token (a verb).
    Returns:
        The ``xcomp`` child token when ``tok``'s lemma is of a class that reports words through an
        infinitive (warn, ask, tell, claim) and the complement is marked by "to"; else None.
    """
    if _LEMMA_CLASS.get(_lemma(tok)) not in _INFINITIVE_CLASSES:
        return None
    return next((c for c in to_infinitives(tok) if c.pos_ in ("VERB", "AUX")), None)


def to_infinitives(tok) -> list:
    """The to-infinitives after a word that hang on it ("agreed [to merge]", "refused [to back]",
    "vowed [to ban ...]"): its ``xcomp`` children after it marked by "to", in text order."""
    return [c for c in children(tok) if c.dep_ == "xcomp" and c.i > tok.i and marked_by_to(c)]


def bare_after_modal(verb) -> bool:
    """A bare verb under a modal or "to" ("would [review]", "to [review]"): no finite verb shares them,
    so a finite verb coordinated onto it is an act of its own (reported and learned contents end before it)."""
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and (c.tag_ == "MD" or c.lower_ == "to") and c.i < verb.i
                                     for c in children(verb))


def marked_by_to(verb) -> bool:
    """Whether a verb is a to-infinitive: it has the auxiliary "to" ("[to] announce"). (The word's
    text is read: a Doc built on a bare Vocab has no lower-case forms.)"""
    return any(a.dep_ == "aux" and a.text.lower() == "to" for a in children(verb))


def is_parenthetical(tok) -> bool:
    """A reporting clause set off by commas inside the clause it reports ("Loyalty, he noted,
    has ...", "..., he added"): ``tok`` is a parataxis with its own subject."""
    if tok.dep_ != "parataxis" or tok.head.i == tok.i:
        return False
    if tok.i > tok.head.i:
        return True
    doc = tok.doc
    lo, hi = tok.left_edge.i, tok.right_edge.i
    while hi > tok.i and (doc[hi].is_punct or doc[hi].pos_ == "PUNCT"):  # its closing comma hangs on it
        hi -= 1
    while lo < tok.i and (doc[lo].is_punct or doc[lo].pos_ == "PUNCT"):
        lo += 1
    before = doc[lo - 1].text if lo > 0 else ""
    after = doc[hi + 1].text if hi + 1 < len(doc) else ""
    return before in (",", "\u2014", "-") and after in (",", "\u2014", "-") and any(
        c.dep_ in ("nsubj", "nsubjpass") for c in children(tok))


def as_clause_report(tok):
    """The clause that an "as" clause with a reporting verb reports, or None: "As Emily Feng
    reports for NPR, [the first cases came to light last week]" (Smithsonian, holdout-intl4), "[The
    plan is dead], as Smith said." ``tok`` is the verb of the "as" clause, which has its own subject
    and no object or complement of its own ("As he said this", "as the firm reported losses" say
    what happened, not what was said); the host's token range, without the "as" clause, is returned
    when the clause opens or closes it."""
    if tok.dep_ != "advcl" or tok.head.i == tok.i:
        return None
    kids = children(tok)
    if not any(c.dep_ == "mark" and c.lower_ == "as" for c in kids) or not any(
            c.dep_ == "nsubj" for c in kids) or any(c.dep_ in ("dobj", "xcomp", "ccomp", "agent") for c in kids):
        return None
    if _lemma(tok) in _WEAK and (_lemma(tok) in ("speak", "talk") or tok.tag_ == "VBG" or any(
            c.dep_ == "prep" and c.lower_ in ("about", "to", "with", "of") and not is_medium_pp(c) for c in kids)):
        # a time, not a source: "As he spoke in the lobby, ...", "As they were talking ...", "as
        # voters responded to Republican efforts" (PolNeAR train)
        return None
    host = tok.head
    lo, hi = host.left_edge.i, host.right_edge.i + 1
    a_lo, a_hi = tok.left_edge.i, tok.right_edge.i + 1
    toks = doc_index(tok.doc).tokens
    # set off by a comma ("Shares fell as the company reported" is a time, not a source), which
    # the parser may hang on the clause's verb
    while a_hi - 1 > tok.i and toks[a_hi - 1].is_punct:
        a_hi -= 1
    while a_lo < tok.i and toks[a_lo].is_punct:
        a_lo += 1
    while lo < a_lo and (toks[lo].is_punct or toks[lo].is_space or (toks[lo].dep_ == "cc" and toks[lo].head.i == host.i)):
        # "(As ... noted at the time, ...)": an aside in brackets (CNN, holdout-intl7); "And as
        # Menendez pointed out, ..." (PolNeAR train)
        lo += 1
    if a_lo == lo and a_hi < hi:
        return a_hi + (toks[a_hi].text == ","), hi  # "As X said, ..."
    if lo < a_lo and a_hi >= hi - 1 and tok.i > host.i and toks[a_lo - 1].text == ",":
        return lo, a_lo - 1  # "..., as X said."
    return None


def is_belief(tok) -> bool:
    """Whether a verb token attributes a belief with a finite clause ("analysts expect that rates
    will rise", "he fears the deal will collapse"); "I think" inside a quotation is the
    caller's to skip.

    Args:
        tok: a spaCy Token.
    Returns:
        True for a verb of :data:`BELIEF_VERBS` with a clausal complement that has a subject.
    """
    if tok.pos_ != "VERB" or (tok.lemma_ or "").lower() not in BELIEF_VERBS:
        return False
    return any(c.dep_ == "ccomp" and c.i > tok.i and any(g.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")
                                                         for g in children(c))
               for c in children(tok))


def _speech_context(tok) -> bool:
    """A clausal complement, a quotation or a colon around ``tok``: the verb reports words."""
    for child in children(tok):
        if child.dep_ in ("ccomp", "parataxis", "oprd"):
            return True
        if child.dep_ == "punct" and (child.text == ":" or child.text in _QUOTE_CHARS):
            return True
    if tok.dep_ == "ccomp" and tok.i > tok.head.i:
        # "..., he added" attached as a parenthetical to the reported clause.
        return True
    if is_parenthetical(tok):
        return True
    if infinitive_complement(tok) is not None:
        return True  # "promised to cut taxes", "asked him to step aside"
    if as_clause_report(tok) is not None:
        return True  # "As Emily Feng reports for NPR, the first cases came to light ..."
    # Look 12 tokens each way within the sentence (Token.sent costs the sentence's length).
    doc = tok.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read
    for step in (-1, 1):
        k = tok.i
        for _ in range(12):
            if step < 0 and toks[k].is_sent_start:
                if tok.i - k <= 3 and k > 0 and toks[k - 1].text in _QUOTE_CHARS and toks[k - 2 if k > 1 else 0].is_punct:
                    # the sentence opens right after a quotation that ended its own ('"Can I give it to
                    # James?" Brooke tearfully asked before apologizing', Fox News, holdout-intl7)
                    return True
                break
            k += step
            if k < 0 or k >= len(doc) or (step > 0 and toks[k].is_sent_start):
                break
            if toks[k].text in _QUOTE_CHARS or toks[k].text == ":":
                return True
    return False


def make_clear(tok):
    """The "clear" of "made (it) clear (that) ...", a light-verb reporting cue, when a clause
    follows; else None."""
    if tok.lemma_.lower() != "make":
        return None
    if tok.dep_ == "xcomp" or any(c.dep_ == "aux" and c.tag_ == "MD" for c in children(tok)):
        return None  # "should make clear how sorry he is": a demand, not a report
    clear = next((c for c in children(tok) if c.lower_ == "clear" and c.i > tok.i
                  and c.dep_ in ("ccomp", "acomp", "oprd", "xcomp", "advmod", "dobj")), None)
    if clear is None:
        return None
    if any(c.dep_ in ("ccomp", "advcl") and c.i > clear.i for c in (*children(clear), *children(tok))
           if c.i != clear.i):
        return clear
    return None


def is_cue(tok) -> bool:
    """Whether a spaCy token is a reporting cue: a speech verb used to report words.

    Strong cues (say, tell, claim, deny, warn, ...) count whenever they are verbs; weak ones
    ("add", "call", "write", "continue", "note", ...) only in a speech context (a clausal
    complement, a quotation or a colon nearby); "point" and "go" need their particle ("point
    out", "go on").

    Args:
        tok: a spaCy Token from a parsed Doc.
    Returns:
        True if the token reports speech.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> doc = load_nlp()("He added that it failed. He added 50 jobs.")  # doctest: +SKIP
    >>> [is_cue(doc[1]), is_cue(doc[7])]  # doctest: +SKIP
    [True, False]
    """
    if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and tok.dep_ == "ROOT"):
        return False
    lemma = _lemma(tok)
    if lemma == "make":
        return make_clear(tok) is not None
    cls = _LEMMA_CLASS.get(lemma)
    if cls is None:
        return False
    if lemma == "accord":
        return False
    need = _REQUIRED_PARTICLE.get(lemma)
    if need and not any(c.dep_ == "prt" and c.lower_ in need for c in children(tok)):
        return False
    if lemma in _WEAK:
        if cls == "add" and to_infinitives(tok):
            return False  # "as the company continued [to sign up] subscribers": an aspect, no words reported
        return _speech_context(tok)
    return True


def is_weak_cue(tok) -> bool:
    """Whether a cue verb reports only in a speech context ("added", "laughed", "called"): a verb of
    manner or of another sense, not one that names the act of saying ("said", "urged", "told")."""
    return _lemma(tok) in _WEAK


def _pp_span(prep) -> tuple[int, int] | None:
    """Token range of a medium prepositional phrase on a cue ("in a statement on Monday")."""
    pobj = next((c for c in children(prep) if c.dep_ in ("pobj", "pcomp")), None)
    if pobj is None:
        return None
    lo, hi = prep.i, pobj.right_edge.i + 1
    doc = prep.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read
    # Stop at a comma, a quote mark, a clause or a date ("on Sunday") inside the phrase.
    for k in range(prep.i + 1, hi):
        t = toks[k]
        if t.dep_ == "prep" and k > pobj.i and _is_time_pp(t):
            hi = k
            break
        if t.text in (",", ";", ":") or t.text in _QUOTE_CHARS or "\n" in t.text:
            hi = k
            break
        if t.dep_ in ("relcl", "ccomp", "acl"):
            # (from the clause's first word: "in a statement [that her client did not intend ...]")
            hi = max(prep.i + 2, min(k, t.left_edge.i))
            break
    if hi - lo > _MAX_PP_TOKENS:
        hi = lo + _MAX_PP_TOKENS
    return lo, hi


def _is_time_pp(prep) -> bool:
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in children(prep))


def is_medium_pp(prep) -> bool:
    """True for a preposition naming the medium or audience of a report: "on Twitter", "to CNN",
    "in a statement", "to reporters" (not a time: "on Monday")."""
    if prep.lower_ not in _MEDIUM_PREPS or _is_time_pp(prep):
        return False
    pobj = prep_object(prep)
    if pobj is None:
        return False
    if pobj.lemma_.lower() in MEDIUM_NOUNS or pobj.lower_ in MEDIUM_NOUNS:
        return True
    if prep.lower_ in ("to", "with", "on") and (pobj.pos_ == "PROPN" or pobj.ent_type_ in ("ORG", "PERSON")):
        return True  # "said to CNN", "speaking with NBC", "on Fox News"
    if prep.lower_ in _RECIPIENT_PREPS and pobj.lemma_.lower() in _AUDIENCE_NOUNS:
        return True  # "said to reporters"
    return False


_AUDIENCE_NOUNS = frozenset("""
    reporter reporters journalist journalists audience crowd supporter supporters lawmaker
    lawmakers member members committee congress parliament senator senators colleague colleagues
    staff employee employees viewer viewers listener listeners reader readers press media
""".split())


def _np_span(head) -> tuple[int, int]:
    """Token range of the noun phrase headed by ``head`` without clauses and trailing commas."""
    doc = head.doc
    lo, hi = head.left_edge.i, head.i + 1
    for child in children(head):
        if child.i > head.i and child.dep_ in ("compound", "nummod", "case", "nmod", "flat"):
            hi = max(hi, child.right_edge.i + 1)
        if child.i > head.i and child.dep_ == "prep" and child.lower_ == "of" and not any(
                g.dep_ == "poss" or g.lower_ in ("his", "her", "their", "its") for g in child.subtree):
            hi = max(hi, child.right_edge.i + 1)  # "told the head of the committee"
    for k in range(lo, hi):
        if doc[k].text in (",", ";") or doc[k].text in _QUOTE_CHARS:
            hi = k
            break
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    return lo, hi


def mention_end(head, lo: int, hi: int, *, limit: int | None = None) -> int:
    """End of a speaker's mention as written: the noun phrase [lo, hi) of ``head`` with an
    apposition or a relative clause set off by a comma or dash ("Philip Shaw, chief economist at
    Investec Securities", "Melanne Verveer, who served as Hillary Clinton's chief of staff").

    Args:
        head: the head token of the noun phrase.
        lo, hi: the compact noun phrase's token range (the caller's).
        limit: a token index the mention must stay before (the cue verb after the subject).
    Returns:
        The new end (exclusive), ``hi`` when nothing is set off after the phrase.
    """
    doc = head.doc
    for child in head.rights:
        if child.i < hi or child.dep_ not in ("appos", "relcl"):
            continue
        gap = doc[hi:child.left_edge.i]
        if not gap or len(gap) > 2 or not all(t.text in (",", "\u2014", "\u2013", "-") for t in gap):
            continue
        end = child.right_edge.i + 1
        if (limit is not None and end > limit) or end - lo > 40:
            break
        if any(t.text in _QUOTE_CHARS or t.text in (";", ":") for t in doc[hi:end]):
            break
        hi = end
    while hi > lo + 1 and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    return hi


def describe_cue(tok) -> Cue | None:
    """The cue on a verb token with its medium, recipient and via, or None if not a cue.

    Args:
        tok: a spaCy Token.
    Returns:
        A :class:`Cue`; ``via`` and ``recipient`` are character spans into the Doc text.
    """
    if not is_cue(tok):
        return None
    doc = tok.doc
    lemma = _lemma(tok)
    parts: list[tuple[int, int]] = [(tok.i, tok.i + 1)]
    via: tuple[int, int] | None = None
    recipient: tuple[int, int] | None = None
    for child in children(tok):
        if child.dep_ == "prt":
            parts.append((child.i, child.i + 1))
        elif child.dep_ in ("dative", "dobj", "iobj") and _LEMMA_CLASS.get(lemma) == "tell" \
                and child.pos_ in ("PROPN", "NOUN", "PRON") and child.lower_ not in ("it", "this", "that"):
            lo, hi = _np_span(child)
            if lo < hi:
                parts.append((lo, hi))
                recipient = span_chars(doc, lo, hi)
        elif child.dep_ in ("prep", "dative") and child.i > tok.i and is_medium_pp(child):
            span = _pp_span(child)
            if span is None:
                continue
            parts.append(span)
            pobj = next(c for c in children(child) if c.dep_ == "pobj")
            if child.lower_ in ("to", "with", "on") and (pobj.pos_ == "PROPN" or pobj.ent_type_):
                lo, hi = _np_span(pobj)
                if lo < hi and recipient is None:
                    recipient = span_chars(doc, lo, hi)
            # "in an interview with X" / "in a statement to X": X is who the words went through.
            for pp in children(pobj):
                if pp.dep_ == "prep" and pp.lower_ in ("with", "to", "on"):
                    inner = prep_object(pp)
                    if inner is not None and not _is_time_pp(pp):
                        lo, hi = _np_span(inner)
                        if lo < hi and via is None:
                            via = span_chars(doc, lo, hi)
    if via is None and recipient is not None and doc.char_span(*recipient, alignment_mode="expand").root.pos_ == "PROPN":
        via = recipient
    parts.sort()
    words: list[str] = []
    last = None
    for lo, hi in parts:
        if last is not None and lo < last:
            lo = last
        if lo >= hi:
            continue
        words.append(doc[lo:hi].text)
        last = hi
    phrase = " ".join(w.strip() for w in words if w.strip())
    return Cue(lemma=lemma, cls=_LEMMA_CLASS.get(lemma, "say"), phrase=phrase, via=via, recipient=recipient)


def cue_phrase(tok) -> str | None:
    """The cue on a verb token as a reader would quote it, with medium and recipient.

    Args:
        tok: a spaCy Token.
    Returns:
        "said", "told CNN", "said in a statement", "said in an interview with the Los Angeles
        Times", "tweeted"; None if the token is not a cue.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> doc = load_nlp()('"We are done," he told CNN.')  # doctest: +SKIP
    >>> cue_phrase(doc[7])  # doctest: +SKIP
    'told CNN'
    """
    cue = _described(tok)
    return cue.phrase if cue else None


def cue_via(tok) -> tuple[int, int] | None:
    """Character span of who the words went through ("CNN" in "told CNN", "the Los Angeles
    Times" in "in an interview with the Los Angeles Times"), or None.

    Args:
        tok: a spaCy Token.
    Returns:
        (start, end) into the Doc text, or None; the caller decides if it is an outlet.
    """
    cue = _described(tok)
    return cue.via if cue else None


def _described(tok) -> Cue | None:
    """``describe_cue(tok)``, worked out once per token of a Doc: the stages ask cue_phrase and
    cue_via of the same verbs (issue 15's time budget); read-only, the Cue is shared."""
    memo = doc_index(tok.doc).memo
    key = ("describe_cue", tok.i)
    if key not in memo:
        memo[key] = describe_cue(tok)
    return memo[key]


def misattached_subject(verb):
    """The person's name right before a finite verb the parse left without a subject: in
    'Speaking in Harrogate Mr Kennedy said: ...' the small model hangs "Kennedy" on "in" as its
    object (issue 15). Returns the name's last token, else None.

    A name directly before a subjectless finite verb and hung on a word before it can only be
    that verb's subject: an object of "in" or of a participle never runs straight into a finite
    verb in well-formed English.
    """
    first = verb.i  # "had said": the finite auxiliary starts the verb group
    while first > 0 and verb.doc[first - 1].dep_ in ("aux", "neg") and verb.doc[first - 1].head.i == verb.i:
        first -= 1
    finite = verb.tag_ in ("VBD", "VBZ", "VBP") or (first < verb.i and verb.tag_ == "VBN")
    if not finite or first == 0 or verb.dep_ not in ("ROOT", "ccomp"):
        return None
    if any(c.dep_ in _SUBJ_DEPS or c.dep_ == "expl" for c in children(verb)):
        return None
    k = _before_aside(verb.doc, first - 1)
    if k == first - 1 and first < verb.i:
        return None  # "... Kennedy had said" without an aside: left as before
    prev = verb.doc[k]
    opened = _subject_of_opened_clause(prev, k, first)
    if opened is not None:
        return opened
    if k < first - 1 and prev.pos_ == "PROPN" and prev.ent_type_ == "PERSON" and prev.dep_ not in _SUBJ_DEPS \
            and "\n" not in verb.doc[k:verb.i].text:
        return prev  # a name, an aside, the verb: whatever the parse made of the aside
    if prev.pos_ != "PROPN" or prev.ent_type_ != "PERSON" or prev.dep_ not in ("pobj", "dobj", "appos") \
            or not prev.head.i < prev.i or "\n" in verb.doc[prev.head.i:verb.i].text:
        return None
    return prev


_CLOSING_MARKS = frozenset({",", "\u201d", '"', "''", "\u2019"})


def name_read_as_modifier(verb):
    """A surname spelled as a common word that the tagger read as a modifier of the subjectless
    finite verb it is the subject of: '"Streaming is somewhat binary," says Early.', 'but Early
    still says Ubisoft are ...' (The Hollywood Reporter, holdout-intl7: Chris Early; "Early" an
    adverb of "says"). Inside a sentence a capital on a word that is no proper noun is a name's;
    it is taken right after the verb when the frame follows a comma or a quotation and the name
    ends it, or right before the verb with only lower-case adverbs between. Returns the token,
    else None."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.dep_ not in ("ROOT", "conj", "ccomp"):
        return None
    if any(c.dep_ in _SUBJ_DEPS or c.dep_ == "expl" for c in children(verb)):
        return None
    doc = verb.doc
    near = []
    if 0 < verb.i < len(doc) - 1 and doc[verb.i - 1].text in _CLOSING_MARKS:
        nxt = doc[verb.i + 1]
        if verb.i + 2 >= len(doc) or doc[verb.i + 2].is_punct or "\n" in doc[verb.i + 2].text:
            near.append(nxt)
    k = verb.i - 1
    while k >= 0 and doc[k].pos_ == "ADV" and doc[k].head.i == verb.i and doc[k].is_lower:
        k -= 1  # "Early still says"
    if 0 < k < verb.i:
        near.append(doc[k])
    for tok in near:
        if tok.pos_ in ("PROPN", "PRON") or not tok.is_title or not tok.is_alpha or tok.is_sent_start \
                or doc[tok.i - 1].is_title and not doc[tok.i - 1].is_sent_start:
            continue
        if tok.head.i == verb.i and tok.dep_ in ("advmod", "npadvmod", "amod"):
            return tok
    return None


# Prepositions that also open a clause ("after employees said ..."): the parse may take the
# clause's subject for their object.
_CLAUSE_OPENERS = frozenset("after before since until till once".split())


def _subject_of_opened_clause(prev, k: int, first: int):
    """The noun phrase that ends at ``k``, right before a subjectless finite verb, when the parse
    hung it on a preposition that opens the verb's clause: "he was arrested a block away after
    employees of a car dealership said he tried to steal a van" (AP via SFGate, holdout-intl5),
    where "employees" is taken for the object of "after". Returns the phrase's head, else None."""
    head = prev
    # climb the phrase's post-modifiers: "dealership" <- "of" <- "employees"
    while head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.pos_ in ("NOUN", "PROPN") \
            and head.head.head.i < head.i and head.head.head.dep_ == "pobj":
        head = head.head.head
    if head.pos_ not in ("NOUN", "PROPN") or head.dep_ != "pobj" or head.right_edge.i != k \
            or k != first - 1 or head.head.lower_ not in _CLAUSE_OPENERS or head.head.i != head.left_edge.i - 1:
        return None
    return head


_MAX_ASIDE = 12


def _before_aside(doc, k: int) -> int:
    """The token before a bracketed or dashed aside that ends at ``k`` ("Sen. Elizabeth Warren
    (D-MA) said", "Mr Yushchenko - keen to reassure investors - had said"), else ``k``."""
    close = doc[k].text
    opener = {")": "(", "\u2013": "\u2013", "\u2014": "\u2014", "-": "-", "--": "--"}.get(close)
    if opener is None:
        return k
    for j in range(k - 1, max(-1, k - _MAX_ASIDE - 1), -1):
        if doc[j].text == opener:
            return j - 1 if j > 0 else k
    return k


def patient_participle(verb) -> bool:
    """Whether ``verb`` is a bare passive participle opening a clause: "Asked whether he would
    quit, Blair said ...", "Told of the ruling, she said ...". The main clause's subject is the
    one asked or told, not the asker (issue 15: a speaker is who speaks)."""
    return verb.tag_ == "VBN" and verb.dep_ == "advcl" and verb.i < verb.head.i and not any(
        c.dep_ in ("aux", "auxpass") or c.dep_ in _SUBJ_DEPS for c in children(verb))


def quoted_as_saying(verb):
    """The one quoted of 'X quoted Y as saying' ('the New York Daily News quoted witness Devonte
    Brown as saying', RT via ECB+ 19_6): the object speaks, the subject only reports it. ``verb``
    is the verb "quote" with a dobj and an "as" whose gerund is a speech verb; else None."""
    if verb.lemma_.lower() != "quote":
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN", "PRON")), None)
    if obj is None:
        return None
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "as" and any(
                c.dep_ in ("pcomp", "pobj") and c.tag_ == "VBG" and is_cue_lemma(c.lemma_)
                for c in prep.children):
            return obj
    return None
