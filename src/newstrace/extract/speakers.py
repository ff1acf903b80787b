"""Who a quotation's cue points to: the speaker words around a quote, resolved to an entity.

:class:`SpeakerResolver` answers, for one article, "who is the subject of this cue verb": the
subject of a cue (:mod:`newstrace.extract.cues`), the passive agent, an apposition ("One of those
professors, Ahilan Arulananthem, told ..."), the head of a relative clause ("X, who ..., said"),
inverted order ("said Magnus"), "according to X", and a speech noun's owner ("his statement"). The
words found are resolved to a canonical name and kind by the article's
:class:`~newstrace.extract.entities.EntityAnalysis` and returned as a :class:`Speaker`. Used by
:mod:`newstrace.extract.quotes`; attributions resolve their sources with
:mod:`newstrace.extract.sources`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from . import cues
from .doc_index import prep_object, span_chars
from ..models import Article
from .entities import (  # (can_speak: learned.py reads it from here)
    appositive_name, can_speak, inverted_subject, name_after_relative, name_closing_split_subject, name_for_description,
    name_hung_before, object_controller, speaks_above, thing_of_clause, with_subject,
)
from .lexicon import RELATIVE, ROLE_NOUNS, SUBJ_DEPS, is_description, mention_range, names_people, own_words, trim
from .outlets import outlet_or_none


PRONOUNS = frozenset("he she they it we i you him her them".split())


def _np_range(head) -> tuple[int, int]:
    """Token range of the noun phrase of ``head`` without relative clauses, appositions,
    participial clauses and material after a comma."""
    doc = head.doc
    lo, hi = head.i, head.i + 1
    for child in head.children:
        if child.dep_ in ("relcl", "appos", "punct", "acl", "parataxis", "advcl", "ccomp"):
            continue
        if child.i > head.i and any(doc[k].text in (",", "(", "\u2014", "\u2013")
                                    for k in range(head.i, child.left_edge.i)):
            continue
        if child.i < head.i and any(doc[k].text in (",", ")") for k in range(child.right_edge.i + 1, head.i)):
            continue
        lo = min(lo, child.left_edge.i)
        hi = max(hi, child.right_edge.i + 1)
    if head.dep_ == "amod" and head.head.i > head.i and stranded_nominal(head.head) is head:
        # "the 34-year-old said": the article hangs on the verb
        lo = min([lo] + [c.i for c in head.head.children if c.dep_ == "det" and c.i < lo])
    return trim(doc, lo, hi)


def _speaker_head(tok):
    """Prefer a name in apposition to a common-noun subject ("One of those professors, X"), and
    the owner of a speech noun ("The ministers' comments said")."""
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in cues.SPEECH_NOUNS:
        owner = noun_source(tok)
        if owner is not None:
            tok = owner
    if tok.pos_ != "PROPN":
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return child
        named = name_for_description(tok)
        if named is not None:
            return named
        named = name_after_relative(tok) or appositive_name(tok)
        if named is not None:
            return named
        # "One of those officials, Jon Feere, ..." parses the name under the "of" object.
        for child in tok.children:
            if child.dep_ == "prep":
                for pobj in child.children:
                    for gc in pobj.children:
                        if gc.dep_ == "appos" and gc.pos_ == "PROPN":
                            return gc
    return tok


def _inverted_subject(verb):
    """The name right after a parenthetical or post-quote cue: '..., said Junya Tanase of
    JPMorgan, were ...', '"...," said Magnus.' (the parser often attaches it elsewhere)."""
    doc = verb.doc
    if verb.i == 0 or cues.cue_class(verb.lemma_) == "tell":
        return None
    before = doc[verb.i - 1].text
    if before not in (",", "\u201d", '"', "\u2019", "'", "''"):  # '' closes a quote in some wires (NYT)
        return None
    k = verb.i + 1
    if k < len(doc) and doc[k].pos_ in ("DET", "NUM") and doc[k].dep_ != "dobj":
        k += 1
    start = k
    while k < len(doc) and "\n" not in doc[k].text and doc[k].ent_type_ not in ("DATE", "TIME"):
        # ('..., said Sunday.': a time is not the inverted subject; the subject is before the verb)
        if doc[k].pos_ in ("PROPN", "NOUN", "ADJ", "NUM") and not doc[k].is_punct:
            k += 1
        elif k > start and _joins_noun_phrase(doc, k):
            k += 2  # "UC-AFT President Bob Samuels", "Los Angeles-based attorney X", "Clinton's top aide X"
        else:
            break
    while k > start and doc[k - 1].pos_ not in ("PROPN", "NOUN"):
        k -= 1
    if k == start:
        return None
    head = doc[k - 1]
    if head.head.i == verb.i and head.dep_ in ("dobj", "dative", "iobj", "oprd") \
            and not (before in _QUOTE_CLOSERS and _closes_clause(doc, k)):
        # "X, chief executive, described the performance as ...": an object; but a name that ends
        # the frame right after a closing quote mark ("''...,'' recalled Mr. Rhodes.") is the
        # inverted subject the small model parsed as an object
        return None
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.i > head.i and head.head.i != verb.i \
            and not any(doc[j].text == "," for j in range(head.i + 1, head.head.i)):
        # "X, who ran the firm, said prices were ...": the reported clause's own subject, which
        # runs straight into its verb; an inverted speaker is closed off by a comma ("..., said
        # Junya Tanase of JPMorgan, were ...")
        return None
    return head


def _closes_clause(doc, k: int) -> bool:
    """Whether the phrase ending before token ``k`` ends its clause: the text's end, a line break,
    or a full stop, comma, semicolon or colon (not "as", "to", an object's next word)."""
    return k >= len(doc) or "\n" in doc[k].text or doc[k].text in (".", ",", ";", ":", "!", "?")


def _joins_noun_phrase(doc, k: int) -> bool:
    """Whether token ``k`` continues an inverted subject's noun phrase into the word after it: a
    hyphen written without spaces ("UC-AFT", "Los Angeles-based") or a possessive "'s" before
    more of the phrase ("said Florida's Rick Wilson", "said Clinton's top aide Jake Sullivan":
    the speaker is the possessed noun's holder, not the possessor)."""
    if k + 1 >= len(doc) or "\n" in doc[k + 1].text:
        return False
    tok, nxt = doc[k], doc[k + 1]
    if tok.text in ("-", "\u2013") and not doc[k - 1].whitespace_ and not tok.whitespace_:
        return nxt.is_alpha
    return tok.tag_ == "POS" and nxt.pos_ in ("PROPN", "NOUN", "ADJ")


def stranded_nominal(verb):
    """The nominal adjective the parser hangs on a subjectless verb with its article: in '"...,"
    the 34-year-old said' the small model parses "the" (det) and "old" (amod) as the verb's own
    modifiers (issue 15). Returns the adjective, else None."""
    left = [c for c in verb.children if c.i < verb.i]
    if any(c.dep_ in SUBJ_DEPS or c.dep_ == "expl" for c in verb.children):
        return None
    adj = next((c for c in reversed(left) if c.dep_ == "amod" and c.i == verb.i - 1), None)
    if adj is None or not any(c.dep_ == "det" and c.i < adj.left_edge.i for c in left):
        return None
    return adj


def _nearest_subject(tok):
    """The subject child of ``tok`` nearest before it, else its first subject child: when the parse
    gives a verb two subjects ("Tuesday at ... in Berea, OH, after winning Ohio ..., Gov. John
    Kasich (R-OH), said": "OH" and "Kasich"), the one next to the verb is its subject."""
    subjs = [c for c in tok.children if c.dep_ in SUBJ_DEPS]
    if len(subjs) < 2:
        return subjs[0] if subjs else None
    named = name_closing_split_subject(subjs)
    if named is not None:
        return named  # "Wikileaks editor-in-chief Kristinn Hrafnsson said": the name the phrase ends in
    before = [c for c in subjs if c.i < tok.i]
    if not before:
        return subjs[0]
    k = len(before) - 1
    # one phrase the parse split in two ("Sullivan's lawyer Beth Wilkinson did not respond") keeps
    # its first part, as a single subject would: only punctuation sets two subjects apart
    while k > 0 and not any(t.is_punct for t in tok.doc[before[k - 1].i + 1:before[k].left_edge.i]):
        k -= 1
    return before[k]


_QUOTE_CLOSERS = frozenset({"\u201d", '"', "''", "\u2019"})
_MAX_ASIDE_TOKENS = 16


def _name_before_aside(verb):
    """The name that opens the frame after a quotation, set off from its subjectless verb by an
    aside between commas: '"...," Ramos, 58, told AFP', '"...," Brent Bozell III, founder of the
    Media Research Center, tells Breitbart News', '"...," Texas delegate Bill Eastland, wearing a
    cowboy hat ..., said' (the small model hangs the name on the quotation's clause). Returns the
    name's last token, else None."""
    doc = verb.doc
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i < 4 or doc[verb.i - 1].text != ",":
        return None
    for j in range(verb.i - 2, max(0, verb.i - _MAX_ASIDE_TOKENS), -1):
        tok = doc[j]
        if "\n" in tok.text or tok.text in _QUOTE_CLOSERS and doc[j - 1].text in (",", ".", "?", "!"):
            return None  # the quotation itself: no aside reached back to a name
        if tok.text != ",":
            continue
        name = doc[j - 1]
        if name.pos_ != "PROPN" or name.ent_type_ in ("GPE", "LOC", "DATE", "TIME"):
            continue
        k = j - 1  # the name's phrase: names, nouns and titles back to the closing mark
        while k > 0 and doc[k - 1].pos_ in ("PROPN", "NOUN", "ADJ") and "\n" not in doc[k - 1].text:
            k -= 1
        before = doc[k - 1].text if k > 0 else ""
        if before == "," and k > 1:
            before = doc[k - 2].text
        if before not in _QUOTE_CLOSERS or any(
                (c.dep_ in SUBJ_DEPS or c.dep_ == "expl") and c.i >= k for c in verb.children):
            return None  # a subject of its own in the frame (one inside the quotation is a mis-parse)
        return name
    return None


def compound_subject(verb):
    """The name right before a subjectless finite verb that the parse hung on the verb as a compound
    ('"Look at the statement Mr. Trump put out after the Dallas shootings," Conway notes.': "Conway"
    compound of "notes"). A compound modifies a noun, never a verb: the name is the verb's subject.
    Only the sentence's root: a "verb" the parse makes an object or gives a determiner or adjective
    is a noun it mistook ('Labour criticised "extravagant" Tory promises': "promises" a VBZ object).
    Returns the name's token, else None."""
    if verb.i == 0 or verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.dep_ != "ROOT":
        return None
    if any(c.dep_ in ("det", "amod", "poss") for c in verb.children):
        return None
    prev = verb.doc[verb.i - 1]
    if prev.pos_ != "PROPN" or prev.dep_ != "compound" or prev.head.i != verb.i or not prev.text[:1].isupper():
        return None
    if any(c.dep_ in SUBJ_DEPS or c.dep_ == "expl" for c in verb.children):
        return None
    return prev


def _subject_of(verb):
    """(speaker head token, how) of a cue verb, inherited through participles, conjuncts and
    relative pronouns; None when there is none."""
    stranded = stranded_nominal(verb) or cues.misattached_subject(verb) or cues.name_read_as_modifier(verb) \
        or _name_before_aside(verb) or name_hung_before(verb) or with_subject(verb) or compound_subject(verb) \
        or inverted_subject(verb)
    if stranded is not None:
        return stranded
    if cues.patient_participle(verb):
        return None  # "Asked whether ..., Blair said": Blair was asked
    tok = verb
    for _ in range(8):
        quoted = cues.quoted_as_saying(tok)
        if quoted is not None:
            return quoted
        subj = _nearest_subject(tok)
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = prep_object(agent)
            if pobj is not None:
                return pobj
        if subj is not None:
            if subj.dep_ == "csubj":
                return None
            if subj.dep_ == "nsubjpass" and not (tok.i != verb.i and _gerund_of_preposition(verb, tok)):
                # "he was asked", "rights that had been denied victims": the speaker is not
                # stated by this verb (a passive relative pronoun stands for the patient); but the
                # passive subject does the gerund after its preposition ("Sondland was known for
                # telling others ...", AP, holdout-intl6), as sources.subject_of reads it
                return None
            if subj.lower_ in RELATIVE and tok.dep_ == "relcl":
                return tok.head
            if speaks_above(tok, verb, subj):
                # "Hodgson believes a winter break carries advantages, explaining: ...": the
                # participle's speaker is not the inanimate subject it was attached under
                tok = tok.head
                continue
            return subj
        if tok.dep_ == "acl" and tok.head.dep_ == "dobj" and tok.head.pos_ == "NOUN" \
                and tok.tag_ == "VBG":
            # "defended the move saying ...": the participle belongs to the clause's subject
            tok = tok.head.head
            continue
        if tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            if thing_of_clause(tok):
                # "did not respond to requests to comment", "ended the debate with a reference
                # ..., remarking": the noun is not who speaks; the clause it sits in has the speaker
                verb = next((a for a in tok.head.ancestors if a.pos_ in ("VERB", "AUX")), None)
                if verb is None:
                    return None
                tok = verb
                continue
            return tok.head
        controller = object_controller(tok)
        if controller is not None:
            return controller
        if tok.dep_ in ("conj", "advcl", "xcomp", "pcomp", "prep") and tok.head.i != tok.i:
            tok = tok.head
            hung = name_hung_before(tok)
            if hung is not None:
                # "Clinton, the once-presumptive nominee, was bracing for defeat here and hoping
                # to ...": the verb the cue is a conjunct of has its name hung on a place
                return hung
            continue
        return None
    return None


def _gerund_of_preposition(verb, clause) -> bool:
    """Whether ``verb`` is a gerund that is the object of a preposition of ``clause``'s verb
    ("known [for [telling]]", "criticised [for [saying]]")."""
    return verb.tag_ == "VBG" and verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.i == clause.i


def cue_subject(cue_tok):
    """The head token of a cue's speaker as the grammar finds it (inverted order, subject,
    passive agent, relative clause, a name in apposition), or None."""
    head = _inverted_subject(cue_tok) or _subject_of(cue_tok)
    if head is None or head.i == cue_tok.i or own_words(head.doc, *mention_range(head, *_np_range(head))) is None:
        return None  # (a speaker is never a markup fragment: 'datetime="2016', issue 15 \u00a75)
    return _speaker_head(head)


_BARE_CLASSES = frozenset(("say", "tell", "ask", "add", "write"))
_REPORTED_DEPS = frozenset(("ccomp", "xcomp", "csubj", "parataxis"))


def bare_attribution(toks) -> bool:
    """Whether the words of the sentence after a quotation that ends in its own full stop,
    question or exclamation mark are that quotation's attribution: the sentence opens with the
    subject of its root, a reporting verb ("say", "tell", "ask", "add", "write" classes) that
    reports nothing of its own (no clause, no object but the person addressed): '"..., who
    knows?" Trump told Britain's ITV television station in an interview to be broadcast on
    Monday.' A sentence that says something ("Trump told reporters the plan would fail.") is
    not.

    Args:
        toks: the sentence's tokens outside quotation marks, in text order.
    """
    words = [t for t in toks if not t.is_space]
    if not words:
        return False
    verb = words[0].head if words[0].head.dep_ == "ROOT" else words[0].head.head
    if verb.dep_ != "ROOT" or verb.pos_ != "VERB" or cues.cue_class(verb.lemma_) not in _BARE_CLASSES:
        return False
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if subj is None or subj.left_edge.i != words[0].i or not (words[0].i <= verb.i <= words[-1].i):
        return False
    addressee = cues.cue_class(verb.lemma_) in ("tell", "ask")
    return not any(c.dep_ in _REPORTED_DEPS or (c.dep_ == "dobj" and not addressee) for c in verb.children)


# Past forms of the bare classes' verbs that a suffix does not give (the tagger's noun reading is
# of present forms, "notes", "answers"; a past form is read here too when it is tagged a noun)
_IRREGULAR_PAST = {"said": "say", "told": "tell", "wrote": "write"}


def _verb_form_lemma(tok) -> str | None:
    """The lemma of a finite reporting verb of the bare classes written as ``tok``, whatever the
    tagger made of it ("notes" tagged a plural noun is "note"), else None."""
    if tok.pos_ in ("VERB", "AUX"):
        lemmas = [tok.lemma_.lower()] if tok.tag_ in ("VBD", "VBZ", "VBP") else []
    else:
        low = tok.lower_
        lemmas = [_IRREGULAR_PAST[low]] if low in _IRREGULAR_PAST else []
        if low.endswith("s"):
            lemmas += [low[:-1], low[:-2]] if low.endswith("es") else [low[:-1]]
        elif low.endswith("ed"):
            lemmas += [low[:-1], low[:-2]]
    return next((lem for lem in lemmas if cues.cue_class(lem) in _BARE_CLASSES), None)


def bare_attribution_verb(toks):
    """(name, verb) of the frame right after a quotation when it is only a name and a reporting
    verb ('"...," Conway notes.', '"...," Bozell answers.'), whatever the parse made of the two
    words: the small model, finding no subject for the quotation's clause, tags "answers" a plural
    noun with "Bozell" its compound, so no cue verb is seen. A name (proper nouns, an honorific
    before them) followed by a finite reporting verb of the "say", "tell", "ask", "add" or "write"
    classes, and nothing but punctuation after it, is a weak cue, read only when no cue verb is found.

    Args:
        toks: the frame's tokens after the quotation's closing mark, in text order.
    Returns:
        (the name's last token, the verb's token), else None.
    """
    words = [t for t in toks if not t.is_space]
    while words and words[-1].is_punct:
        words.pop()
    if not 2 <= len(words) <= 5 or any(t.is_punct or "\n" in t.text for t in words):
        return None
    verb, names = words[-1], words[:-1]
    if names[0].lower_.rstrip(".") in ("mr", "mrs", "ms", "miss", "dr"):
        names = names[1:]
    if not names or not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in names):
        return None
    if verb.text[:1].isupper() or _verb_form_lemma(verb) is None:
        return None
    return names[-1], verb


def according_to(tok):
    """The object of "according to" when ``tok`` is "according"."""
    if tok.lower_ != "according":
        return None
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "to":
            return prep_object(child)
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        return prep_object(nxt)
    return None


# ---------------------------------------------------------------------------------------------
# Speaker resolution
# ---------------------------------------------------------------------------------------------
@dataclass
class Speaker:
    name: str | None
    kind: str
    mention: str | None
    start: int | None
    end: int | None
    entity: int | None
    cue: str | None
    via: str | None
    cue_i: int | None = None  # token index of the cue
    cue_lemma: str | None = None
    mention_end: int | None = None  # end of the mention with its apposition ("X, chief economist at Y"), for output


class SpeakerResolver:
    def __init__(self, doc, article: Article, entities, quoted=()) -> None:
        self.doc = doc
        self.text = article.text
        self.entities = entities
        self.quoted = list(quoted)
        self._q_starts = [a for a, _ in self.quoted]

    def in_quote(self, offset: int) -> bool:
        i = bisect.bisect_right(self._q_starts, offset) - 1
        return i >= 0 and self.quoted[i][0] <= offset < self.quoted[i][1]

    def quotation_ending_at(self, end: int) -> int | None:
        """The opening offset of the quoted span that ends at ``end``, else None."""
        i = bisect.bisect_left(self._q_starts, end) - 1
        return self.quoted[i][0] if i >= 0 and self.quoted[i][1] == end else None

    def resolve(self, start: int, end: int) -> tuple[int | None, str, str]:
        words = self.text[start:end].strip()
        if self.entities is not None:
            try:
                idx, name, kind = self.entities.resolve(start, end)
                return idx, name, kind
            except Exception:  # a resolver failure must not lose the quote
                pass
        return None, words, "unknown"

    def outlet(self, start: int, end: int) -> str | None:
        idx, name, kind = self.resolve(start, end)
        if kind == "outlet":
            return name
        return outlet_or_none(self.text[start:end])

    def speaker_from_head(self, head, cue_tok=None, cue_text: str | None = None) -> Speaker:
        if head.tag_ in ("WDT", "WP") and head.i > 0:
            # a relative pronoun the parse left unattached ("the Chicago Police Department which
            # reported ..."): the noun right before it
            k = head.i - 1 - (head.doc[head.i - 1].text == ",")
            if k >= 0 and head.doc[k].pos_ in ("PROPN", "NOUN"):
                head = head.doc[k]
        head = _speaker_head(head)
        lo, hi = mention_range(head, *_np_range(head))
        own = own_words(self.doc, lo, hi)
        if own is None:
            # 'datetime="2016-06': a speaker is never a markup fragment (issue 15 \u00a75)
            return Speaker(None, "unknown", None, None, None, None, cue_text, None,
                           cue_tok.i if cue_tok is not None else None,
                           cue_tok.lemma_.lower() if cue_tok is not None else None)
        s, e = own
        idx, name, kind = self.resolve(s, e)
        if kind in ("person", "organisation", "outlet") and idx is not None and head.pos_ == "NOUN" \
                and not self.entities.covers(idx, head.idx, head.idx + len(head.text)) \
                and (self.entities.mentioned_within(idx, s, head.idx) or names_people(head)
                     or head.lower_ in ROLE_NOUNS):
            # "one Weibo commenter said" is not Weibo, "one Clinton aide" not Clinton, "China's
            # ambassador to Britain" not Britain: the entity sits in a modifier, the head noun
            # describes someone else (as SourceResolver.source reads a source; "a report from
            # Kotak" is still Kotak's)
            idx, name, kind = None, self.text[s:e].strip(), "anonymous" if is_description(head) else "unknown"
        via = None
        if cue_tok is not None:
            vspan = cues.cue_via(cue_tok)
            if vspan is not None:
                via = self.outlet(*vspan)
        limit = cue_tok.i if cue_tok is not None and head.i < cue_tok.i else None
        me = span_chars(self.doc, lo, cues.mention_end(head, lo, hi, limit=limit))[1]
        return Speaker(name, kind, self.text[s:e], s, e, idx, cue_text, via,
                        cue_tok.i if cue_tok is not None else None,
                        cue_tok.lemma_.lower() if cue_tok is not None else None,
                        me if me > e and not self.in_quote(e) else None)

    def speaker_from_cue(self, cue_tok) -> Speaker | None:
        phrase = cues.cue_phrase(cue_tok) or cue_tok.text
        head = _inverted_subject(cue_tok) or _subject_of(cue_tok)
        if head is not None and self.in_quote(head.idx):
            head = None  # the parser took a word of the quotation as the subject
        if head is None or head.i == cue_tok.i:
            if _subjectless(cue_tok):
                via = None
                vspan = cues.cue_via(cue_tok)
                if vspan is not None:
                    via = self.outlet(*vspan)
                return Speaker(None, "unknown", None, None, None, None, phrase, via, cue_tok.i)
            return None
        sp = self.speaker_from_head(head, cue_tok, phrase)
        if sp.via is None:
            sp.via = self.reported_via(cue_tok)
        return sp

    def reported_via(self, cue_tok) -> str | None:
        """The outlet a cue is reported through: 'The Times reported that X said ...', 'X said
        ..., according to the Times'."""
        if cue_tok.dep_ == "pcomp" and cue_tok.head.dep_ == "prep" \
                and cues.quoted_as_saying(cue_tok.head.head) is not None:
            # 'the New York Daily News quoted witness Devonte Brown as saying': through the subject
            out = self.outlet_of_np(_nearest_subject(cue_tok.head.head))
            if out:
                return out
        tok = cue_tok
        for _ in range(3):
            for child in tok.children:
                out = self.outlet_of_np(according_to(child))
                if out:
                    return out
            if tok.dep_ != "ccomp" or tok.head.i == tok.i:
                return None
            tok = tok.head
            if cues.is_cue_lemma(tok.lemma_):
                out = self.outlet_of_np(_subject_of(tok))
                if out:
                    return out
        return None

    def outlet_of_np(self, head) -> str | None:
        """The canonical outlet the noun phrase headed by ``head`` names, else None."""
        if head is None:
            return None
        lo, hi = _np_range(head)
        return self.outlet(*span_chars(self.doc, lo, hi)) if lo < hi else None


def _subjectless(verb) -> bool:
    """A finite cue verb whose subject is left out ("But told BBC News: ...", "and added")."""
    if verb.dep_ in ("ROOT", "conj") and verb.tag_ in ("VBD", "VBZ", "VBP"):
        return not any(c.dep_ in SUBJ_DEPS or c.dep_ == "expl" for c in verb.children)
    return False


def noun_source(noun):
    """Who a speech noun belongs to: 'claims from X', 'X's remarks', 'remarks by X'."""
    for c in noun.children:
        if c.dep_ == "poss" and c.lower_ not in ("his", "her", "its", "their", "our", "my", "your"):
            return c
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            pobj = prep_object(c)
            if pobj is not None:
                return pobj
    return None
