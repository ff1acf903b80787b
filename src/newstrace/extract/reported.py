"""Reported speech: what someone said, in the reporter's words (issue 3).

:func:`extract_indirect` finds reported speech (``X said (that) ...``, ``..., X said``, ``X told
reporters ...``, ``according to X, ...``, ``X denied that ...``, ``X vowed to ...``, ``As X said,
...``, ``The plan, he said, ...``, ``his claim that ...``) as :class:`~newstrace.models.Quote`
records of kind ``indirect``; :func:`newstrace.extract.quotes.extract_quotes` calls it and drops
overlaps with direct quotes. On request it also returns what PARC/PolNeAR-style attribution
counts and news speech does not: outlet and document reports, beliefs and requests, noun-phrase
contents.

It works from the dependency parse (clausal complements of cue verbs, to-infinitives of
commitments, parentheticals, the object of "according to", datives of "tell"), not from string
patterns; which verbs are cues is decided by :mod:`newstrace.extract.cues`, and who a phrase
refers to by :class:`~newstrace.extract.sources.SourceResolver` over the article's
:class:`~newstrace.extract.entities.EntityAnalysis` (names, titles, pronouns, outlets, anonymous
descriptions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import cues
from ..models import Article, Quote
from .doc_index import children, doc_index, prep_object, span_chars
from .entities import can_speak, inverted_subject
from .forms import content_form
from .lexicon import RELATIVE, SUBJ_DEPS, mention_chars, names_people, trim
from .quote_marks import DASHES, OPEN_DOUBLE, Quoted, pair_closes
from .sources import (
    EVIDENCE_VERBS, SPEECH_NOUNS, Source, SourceResolver, cue_words, inside_reported_speech,
    is_speech_cue, np_range, per_source, subject_of, tell_recipient,
)


def _cue_phrase(tok) -> str:
    phrase = cues.cue_phrase(tok)
    return phrase or tok.text


# ---------------------------------------------------------------------------------------------
# Indirect (reported) speech
# ---------------------------------------------------------------------------------------------
def _content_range(comp, verb) -> tuple[int, int]:
    """Token range of a clausal complement without its complementiser "that" and edge punctuation."""
    doc = comp.doc
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read
    lo, hi = comp.left_edge.i, comp.right_edge.i + 1
    if hi > verb.i > lo:
        # a cue inside a relative clause whose pronoun belongs to the complement ("a fair
        # sentence, which I said [was not a prison sentence]", "names he said [would be
        # released]"): the words are the complement's after the cue, not "which I" before it
        after = [t.i for t in comp.subtree if t.i > verb.i]
        lo, hi = (min(after), hi) if after else (lo, verb.i)
    hi = _reason_clause_end(comp, verb, hi)
    lo = _object_taken_for_subject(comp, verb, lo)
    lo, hi = trim(doc, lo, hi)
    # a semicolon closes the reported clause: what follows is the reporter's next sentence
    semi = next((k for k in range(lo, hi) if toks[k].text == ";"), None)
    if semi is not None and semi > lo:
        lo, hi = trim(doc, lo, semi)
    # "said, as heard in the audio, that ...": the words start after the complementiser
    mark = next((c for c in children(comp) if c.dep_ == "mark" and c.lower_ == "that"), None)
    if mark is not None and lo < mark.i < comp.i and any(toks[k].text == "," for k in range(lo, mark.i)):
        lo = mark.i
    # (a complementiser the parser took for the object: "that/dobj Hillary Clinton/nsubj lied")
    while lo < hi and toks[lo].lower_ == "that" and toks[lo].head.i == comp.i and (
            toks[lo].dep_ == "mark" or (toks[lo].dep_ == "advmod" and comp.dep_ == "relcl")
            or (toks[lo].dep_ == "dobj" and any(
                c.dep_ in SUBJ_DEPS and lo < c.i < comp.i for c in children(comp)))):
        lo += 1
        lo, hi = trim(doc, lo, hi)
    # A coordinated or comma-attached piece at the end that reports speech of its own ("... and
    # told him that ...", "..., with sources saying that ...", "..., citing ...") is another
    # report, not these words.
    for t in toks[lo:hi]:  # (the relation first: an edge is a new Token on every read)
        if t.dep_ not in ("conj", "prep", "advcl", "acl") or t.right_edge.i + 1 < hi or t.left_edge.i <= lo:
            continue
        before = toks[t.left_edge.i - 1]
        if not (before.text in (",", ";", "\u2014", "-") or before.dep_ == "cc"):
            continue
        own_report = any(u.i != comp.i and is_speech_cue(u) and any(c.dep_ == "ccomp" for c in children(u))
                         for u in t.subtree)
        # "said [the deaths were caused by gunshot wounds] and called on the government to ...": a
        # cue verb in the cue's own tense, with no subject of its own, coordinated onto the words'
        # verb is the speaker's next act (not "won't send you ... or tell you ...", "to talk to or yell at")
        # "said [CBP would review its disciplinary process] and outlined changes" (seed-001): a verb
        # in the cue's own tense cannot share the modal or "to" of a bare verb it is coordinated
        # with, so it is the speaker's next act whatever it is
        own_report = own_report or (t.dep_ == "conj" and before.dep_ == "cc" and t.head.i == comp.i
                                    and t.tag_ in ("VBD", "VBZ", "VBP") and t.tag_ == verb.tag_
                                    and (is_speech_cue(t) or cues.bare_after_modal(comp))
                                    and not any(c.dep_ in SUBJ_DEPS for c in children(t)))
        participle = before.text == "," and t.tag_ == "VBG" and not any(c.dep_ == "mark" for c in children(t)) and (
            t.lemma_.lower() == "cite" or cues.is_cue_lemma(t.lemma_))
        if own_report or participle:
            cut = t.left_edge.i
            while cut > lo and (toks[cut - 1].is_punct or toks[cut - 1].dep_ == "cc"):
                cut -= 1
            if cut > lo:
                lo, hi = trim(doc, lo, cut)
            break
    return _without_trailing_relative(doc, lo, hi)


def _object_taken_for_subject(comp, verb, lo: int) -> int:
    """Start of the content when the parser took the complement's subject for the cue's object
    ("added [the exact circumstances of the deaths]/dobj [remained unclear]/ccomp"): a finite
    complement with no subject right after the cue's object starts at that object."""
    if comp.i < verb.i or any(c.dep_ in SUBJ_DEPS or c.dep_ == "expl" for c in children(comp)):
        return lo
    if "Fin" not in comp.morph.get("VerbForm") and comp.tag_ not in ("VBD", "VBZ", "VBP"):
        return lo
    obj = next((c for c in children(verb) if c.dep_ == "dobj" and verb.i < c.i < comp.i), None)
    if obj is not None and obj.right_edge.i + 1 == comp.left_edge.i == lo:
        return obj.left_edge.i
    return lo


# Conjunctions of a clause of reason, purpose, condition or concession: the speaker's reasoning.
_REASON_MARKS = frozenset("because so if unless although though whereas".split())


def _reason_clause_end(comp, verb, hi: int) -> int:
    """End of the content with a clause of reason, purpose, condition or concession that the parser
    hung on the cue verb right after the complement, with no comma between ("argues [there should
    be new guidelines so all parties can act in the same way]", "said [the promise rings hollow
    because his policy is ...]"): the speaker's reasoning, part of the words. A clause of time
    ("said ... as he unveiled the manifesto") or one set off by a comma is the reporter's."""
    if verb.i > comp.i:
        return hi
    for c in children(verb):
        if c.dep_ == "advcl" and c.i > comp.i and c.left_edge.i == hi and any(
                m.dep_ == "mark" and m.lower_ in _REASON_MARKS for m in children(c)) and any(
                g.dep_ in SUBJ_DEPS or g.dep_ == "expl" for g in children(c)):
            return c.right_edge.i + 1
    return hi


def _without_trailing_relative(doc, lo: int, hi: int) -> tuple[int, int]:
    """[lo, hi) without a comma-attached relative clause closing it ("... to clamp down on the
    compensation culture[, which has brought ...]"): the reporter's aside more often than the
    speaker's words (PolNeAR train: 72 gold contents end before one, 41 include it)."""
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read
    for k in range(hi - 1, lo, -1):
        t = toks[k]
        if t.dep_ != "relcl" or t.right_edge.i + 1 < hi:
            continue
        first = toks[t.left_edge.i]
        before = toks[t.left_edge.i - 1] if t.left_edge.i > lo else None
        # the relative pronoun itself, not an interrogative ("..., and if so, which judge it should be")
        if before is not None and before.text in (",", "\u2014", "-") and first.lower_ in ("which", "who", "whom", "whose") \
                and first.dep_ != "det" and t.left_edge.i - 2 >= lo and (
                    t.head.i == t.left_edge.i - 2 or t.head.is_ancestor(toks[t.left_edge.i - 2])):
            cut = t.left_edge.i - 1  # (the noun it describes ends right before the comma)
            if cut - lo >= 3:
                return trim(doc, lo, cut)
        break
    return lo, hi


def extract_indirect(doc, article: Article, *, entities, include_reports: bool = False,
                     include_beliefs: bool = False, include_nominal: bool = False) -> list[Quote]:
    """Reported speech: the clausal complement of a cue verb, with its speaker.

    Finds ``X said (that) ...``, ``..., X said``, ``X told reporters (that) ...``, ``X denied /
    warned / asked whether ...``, ``The plan, he said, ...``, ``As X said, ...``, ``according
    to X, ...`` and commitments or claims by a to-infinitive (``X vowed / pledged / threatened /
    claimed to ...``). The content is the complement clause's contiguous span (without "that",
    without a comma-attached "which/who" clause closing it); the speaker is the cue verb's
    subject (inherited by "..., adding that ..." and "sources saying ..."; past a dateline the
    parser took for it), resolved with ``entities.resolve`` (names, titles, pronouns, anonymous
    descriptions); the speaker mention keeps its apposition ("Philip Shaw, chief economist at
    Investec Securities"). Complements that start inside quote marks are left to the
    direct-quote extractor.

    Args:
        doc: the spaCy Doc of ``article.text``.
        article: the cleaned article.
        entities: the article's :class:`~newstrace.extract.entities.EntityAnalysis`.
        include_reports: also return what an outlet or a document reports ("CBS News reported
            that ...", "..., according to the AP") as indirect speech of that outlet/document.
            Off by default: those are attributions (:func:`extract_attributions`); PolNeAR-style
            evaluations, which count them as content, turn it on.
        include_beliefs: also return beliefs and expectations ("analysts expect (that) rates will
            rise", cue verbs in :data:`newstrace.extract.cues.BELIEF_VERBS`, not inside someone's
            reported speech) and requests made to someone ("urged the department to process ...",
            "asked him to step aside"). Off by default: they are not reports of what was said;
            PARC and PolNeAR count them as attributions.
        include_nominal: also return reports whose content is a noun phrase ("accused Clinton of
            being too cozy with Wall Street", "denied the allegations", "warned of a recession").
            Off by default: a noun phrase names what was said about, not the words; PolNeAR
            counts them.
    Returns:
        Quotes of kind ``indirect`` in text order, with ``cue`` (with its medium: "told CNN",
        "said in a statement") and ``via`` (the outlet told, or the "according to" outlet).

    >>> quotes = extract_indirect(doc, article, entities=ents)  # doctest: +SKIP
    >>> [(q.speaker, q.cue, q.text) for q in quotes][:1]  # doctest: +SKIP
    [('Alejandro Mayorkas', 'said', 'CBP is not particularly keen on the policies ...')]
    """
    res = SourceResolver(doc, article, entities)
    quoted = Quoted(article.text, blocks=False)
    found = _Indirect(doc, article, res, quoted)

    according, verbs = [], []
    index = doc_index(doc)  # the tokens and their words, shared by the stages (issue 15's time budget)
    for tok, pos, low, at in zip(index.tokens, index.pos, index.lower, index.offsets):  # (at: tok.idx)
        if pos not in ("NOUN", "VERB", "AUX") and low not in ("according", "per") or quoted.inside(at):
            continue  # (only nouns and verbs report; one pass over the Doc: issue 15's time budget)
        if low == "according" or (low == "per" and pos == "ADP"):
            according.append(tok)
        if pos == "NOUN":
            _noun_cue(tok, res, found.emit)
            continue
        if pos not in ("VERB", "AUX") or _inside_name(tok):
            continue
        if pos == "VERB":
            verbs.append(tok)
        _verb_cue(tok, found, include_reports=include_reports, include_beliefs=include_beliefs)

    # "according to X, ...": the rest of the clause is X's, unless a cue verb of that clause
    # already reports it ("He added that ..., according to an Axios report" gives via instead).
    for tok in according:
        _according_to(tok, found, include_reports=include_reports, include_beliefs=include_beliefs)

    if include_nominal:
        # "Sanders has accused Clinton of being influenced by special interest groups"
        for tok in verbs:
            _nominal_report(tok, found, include_reports=include_reports)

    out = found.out
    out.sort(key=lambda q: (q.start, q.end))
    return out


@dataclass
class _Indirect:
    """The indirect quotes of one article, collected once per content span."""

    doc: Any
    article: Article
    res: SourceResolver
    quoted: Quoted
    out: list[Quote] = field(default_factory=list)
    spans: set[tuple[int, int]] = field(default_factory=set)

    def emit(self, lo, hi, cue_tok, speaker_src: Source | None, mention_rng, cue: str, via: str | None,
             gap: tuple[int, int] | None = None, act: str | None = None) -> None:
        """Record the content at tokens [lo, hi) as an indirect quote, unless it is empty, seen or
        quoted; ``gap``: the tokens of a cue inside it ("The plan[, she says,] is dead"), left out
        of its ``parts``; ``act``: the act when the cue token does not tell it (default: its own)."""
        doc, quoted, article = self.doc, self.quoted, self.article
        text = article.text
        lo, hi, via = self._content_without_channel(lo, hi, via, cue_tok.i)
        if hi <= lo:
            return
        s, e = span_chars(doc, lo, hi)
        if (s, e) in self.spans:
            return
        region = quoted.region_at(s)
        if region is not None and any(region[0] <= doc[i].idx < region[1] for i in range(lo, hi)
                                      if not lo <= doc[i].head.i < hi or doc[i].head.i == i):
            # a quotation: the quotes extractor owns it. A clause whose head lies past the quotation
            # ('said that "a wise Latina" can bring ...': 'bring') is reported speech; a quotation
            # heading the content, with an adverbial or a clause of its own after it ('said "we are
            # done" on Monday', '... before she left the room'), is not
            return
        self.spans.add((s, e))
        if region is not None and region[0] == s and s > 0 and text[s - 1] in OPEN_DOUBLE + "\"'":
            s -= 1  # 'said that "a wise Latina" can ...': the clause opens with the quotation's mark
        seg = text[s:e]
        if seg.count("\u201c") > seg.count("\u201d") or seg.count('"') % 2:
            # a quotation closing with the words: keep its closing mark ('he was "obliged ..."')
            close = re.match('[,.!?]?(["\u201d]|\u2019\u2019|\'\')', text[e:e + 3])
            if close and (len(close.group(1)) == 1 or pair_closes(text, e + close.start(1), 0, len(text))):
                e += close.end()  # (two apostrophes close it in some wires: 'a \u201cwitch hunt\u2019\u2019')
        parts = self._parts(lo, hi, gap, e)
        q = Quote(article_id=article.id, kind="indirect", text=" ".join(text[a:b] for a, b in parts) or text[s:e],
                  start=s, end=e, parts=parts,
                  speaker=speaker_src.name if speaker_src else None,
                  speaker_kind=_speaker_kind(speaker_src.kind) if speaker_src else "unknown",
                  cue=cue, via=via, sentence=doc_index(doc).sent_text(cue_tok.i).strip(),
                  raw_start=article.to_raw(s), raw_end=article.to_raw(e - 1) + 1,
                  act=act or cues.act_of(cue_tok, speaker_src.kind if speaker_src else None),
                  negated=cues.is_negated(cue_tok), form=content_form(doc, lo, hi))
        if speaker_src is not None and mention_rng is not None:
            ms, me = mention_chars(doc, *mention_rng)
            q.speaker_mention = text[ms:me]
            q.speaker_start, q.speaker_end = ms, me
            q.speaker_entity = speaker_src.entity
        self.out.append(q)

    def _parts(self, lo: int, hi: int, gap: tuple[int, int] | None, end: int) -> list[tuple[int, int]]:
        """Character spans of the content on each side of a cue inside it; [] when there is none."""
        if gap is None or not lo < gap[0] < gap[1] < hi:
            return []
        a, b = trim(self.doc, lo, gap[0]), trim(self.doc, gap[1], hi)
        if a[1] <= a[0] or b[1] <= b[0]:
            return []
        first, second = span_chars(self.doc, *a), span_chars(self.doc, *b)
        return [first, (second[0], max(second[1], end))]

    def _content_without_channel(self, lo, hi, via: str | None, cue_i: int) -> tuple[int, int, str | None]:
        """(lo, hi, via) of the content without a closing relative clause, "according to" or quotation;
        empty when the quotation lies between the words and the cue ``cue_i``."""
        doc = self.doc
        toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read
        lo, hi = _without_trailing_relative(doc, *trim(doc, lo, hi))
        # "..., according to an ABC 13 News report" closing the content is the channel, not the words
        for k in range(lo + 1, hi):
            if toks[k].lower_ == "according" and toks[k].right_edge.i + 1 >= hi:
                pobj = _according_object(toks[k])
                if pobj is not None and via is None:
                    src = self.res.source(pobj)
                    via = src.name if src.kind in ("outlet", "document") else via
                lo, hi = trim(doc, lo, k)
                break
        def colon_opens_quotation(k: int) -> bool:
            return toks[k].text == ":" and (toks[k + 1].text[:1] in '"\u201c\u00ab\u2018'
                                            or self.quoted.inside(toks[k + 1].idx))

        # 'He said X: "..."' -- the quotation after the colon is a direct quote of its own
        for k in range(lo + 1, hi - 1):
            if colon_opens_quotation(k):
                if cue_i > k:
                    # 'Update: "We are still searching," the police said': the cue after the
                    # quotation reports the quotation; the words before the colon (a page label,
                    # the reporter's lead-in) are nobody's content
                    return lo, lo, via
                lo, hi = trim(doc, lo, k)
                break
        else:
            # 'Fallon fired back: "As a guardian ...," he wrote': the words end at the colon that
            # opens the quotation, and the cue comes after the quotation: the cue reports the
            # quotation, and the reporter's lead-in before the colon is nobody's content
            k = hi
            while k < len(toks) and toks[k].is_space:
                k += 1
            if k + 1 < len(toks) and cue_i > k + 1 and colon_opens_quotation(k):
                return lo, lo, via
        return lo, hi, via


def _verb_cue(tok, found: _Indirect, *, include_reports: bool, include_beliefs: bool) -> None:
    """Emit what a cue verb (or, on request, a belief or evidence verb) reports, with its speaker."""
    res, quoted = found.res, found.quoted
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        return  # a participle describing a noun ("27% of consumers asked are ..."): nobody reports
    belief = False
    # "polls show ...", "the report found ...": evidence, with the beliefs (issue 15)
    evidence = include_beliefs and tok.pos_ == "VERB" and tok.lemma_.lower() in EVIDENCE_VERBS
    intent = None
    if not is_speech_cue(tok):
        intent = _intention_range(tok) if include_beliefs else None
        belief = include_beliefs and (cues.is_belief(tok) or intent is not None
                                      or _decides_that(tok)) and not inside_reported_speech(tok)
        # (a verb of evidence goes on: a document's finding is kept with include_reports or the
        # beliefs, a person's below with either, :func:`_finding_by_someone`)
        if not belief and not (tok.lemma_.lower() in EVIDENCE_VERBS and tok.pos_ == "VERB"):
            return
    frames = ([], [intent], None, False) if intent is not None and belief else \
        _cue_contents(tok, belief, requests=include_beliefs)
    final = _closing_frame_host(tok) if not belief and is_speech_cue(tok) else None
    if final is not None:
        frames = ([], [final], None, False)
    if frames is None:
        return
    comps, ranges, clear, paren = frames
    subj, passive = subject_of(tok)
    if belief and (subj is None or passive or subj.lower_ in _FIRST_SECOND or quoted.inside(subj.idx)):
        return  # "I think ...", "it is believed that ...": the writer's voice, nobody to credit
    if subj is not None and subj.lower_ == "you" and not passive:
        return  # "if you say ...": the reader addressed (an advice column), not a source
    if subj is not None and subj.lower_ in ("that", "this") and subj.pos_ == "PRON" and not passive:
        return  # "That said, the DEA says ..." (PolitiFact, holdout-intl6): a thing says nothing
    credited = _cue_speaker(tok, subj, passive, res)
    if credited is None:
        return
    speaker, mention = credited
    if speaker is not None and speaker.kind in ("outlet", "document") and not include_reports \
            and not (evidence and speaker.kind == "document"):
        return  # an outlet's or a document's report is an attribution, not reported speech
    if not belief and not is_speech_cue(tok) and (speaker is None or speaker.kind not in ("outlet", "document")) \
            and not _finding_by_someone(tok, comps, speaker, subj, passive):
        return  # "the poll shows that ...": only a document or an outlet states findings
    via = _via(tok, res)
    folded = tell_recipient(tok, res)
    if folded is not None:
        via = via or folded[2].name
    cue = _cue_phrase(tok) if not belief and is_speech_cue(tok) else cue_words(tok)
    if clear is not None:
        cue = f"{tok.text} clear"
    if ranges and _nobody_speaking(subj, speaker):
        ranges = []  # "the costs promise to swell", "a close look suggests": no one speaking
    # "The scan revealed ...", "Blood tests revealed that ..." (Live Science, holdout-intl6): what a
    # thing that cannot speak shows is evidence, as a document's finding is
    act = "evidence" if tok.lemma_.lower() in EVIDENCE_VERBS and subj is not None and not passive \
        and subj.pos_ == "NOUN" and not can_speak(subj) else None
    for lo, hi in ranges:
        found.emit(lo, hi, tok, speaker, mention, cue, via, act=act)
    for comp in comps:
        if cues.withholds((tok,), comp.doc[comp.left_edge.i]):
            continue
        if _subject_taken_for_clause(comp, tok):
            continue
        if paren:
            lo, hi = _parenthetical_host(comp, tok)
            found.emit(lo, hi, tok, speaker, mention, cue, via, gap=(tok.left_edge.i, tok.right_edge.i + 1), act=act)
            continue
        else:
            lo, hi = _content_range(comp, tok)
            if folded is not None and lo < folded[1]:
                lo = folded[1]
            hi = _reported_conjunct_end(tok, comp, lo, hi)
        found.emit(lo, hi, tok, speaker, mention, cue, via, act=act)


# Tenses of reported speech after a past-tense cue: a present, a modal or a past perfect (the
# reporter's own narration goes on in the simple past).
_REPORTED_TENSES = frozenset({"present", "modal", "past perfect"})


def _clause_tense(verb) -> str:
    """"present", "modal", "past perfect", "past" or "other", from a clause's verb and auxiliaries."""
    aux = [c for c in children(verb) if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ == "had" for a in aux):
        return "past perfect"
    if any(a.tag_ == "MD" for a in aux):
        return "modal"
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in aux):
        return "present"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in aux):
        return "past"
    return "other"


def _reported_conjunct_end(verb, comp, lo: int, hi: int) -> int:
    """The end of a reported clause with the clause the parser coordinated with its cue instead
    ("Persson explained that the complainant's evidence had initially been deemed credible, but
    after additional investigations, it had been made clear that ...", Al Bawaba, holdout-intl4;
    "Cook said Apple employs about 450 Dreamers, and he sees \"first hand ...\"", CRN,
    holdout-intl5): a conjunct of the cue after the content, with a subject of its own, that is a
    second complement ("..., but that he would not support mass deportation") or, after a cue in
    the past tense, keeps reported speech's tense (present, modal, past perfect) where the
    reporter's own next clause would be in the past. On PolNeAR train (400 non-blind texts) such
    conjuncts lie inside the annotated content 10 times of 13 (the simple past: 7 of 29). Else ``hi``."""
    if comp.i < verb.i or hi <= lo:
        return hi
    conj = next((c for c in children(verb) if c.dep_ == "conj" and c.left_edge.i >= hi), None)
    if conj is None or conj.pos_ not in ("VERB", "AUX") or is_speech_cue(conj):
        return hi  # (the speaker's next act: "... and asked their governments to help")
    toks = doc_index(verb.doc).tokens
    if any(toks[k].text in DASHES for k in range(hi, conj.left_edge.i + 1)):
        return hi  # "— but it's impossible to know whether ...": the reporter's aside
    kids = children(conj)
    if not any(c.dep_ in SUBJ_DEPS or c.dep_ == "expl" for c in kids):
        return hi
    that = any(c.dep_ == "mark" and c.lower_ == "that" for c in kids)
    if that or (verb.tag_ == "VBD" and _clause_tense(conj) in _REPORTED_TENSES):
        return trim(verb.doc, lo, conj.right_edge.i + 1)[1]
    return hi


def _subject_taken_for_clause(comp, verb) -> bool:
    """Whether the parser made the cue's subject a clause before it: "[The only two Arab states to
    have signed peace treaties with Israel]/ccomp also sharply criticised the shift". Words reported
    before their cue have the cue's speaker after them ("..., Smith said", "..., said Smith"); a
    main-clause cue with no subject at all has swallowed it into that clause."""
    if comp.i > verb.i:
        return False
    subj = next((c for c in children(verb) if c.dep_ in SUBJ_DEPS), None)
    if subj is None:
        return verb.dep_ == "ROOT" and not any(c.dep_ in ("agent", "expl") for c in children(verb)) \
            and inverted_subject(verb) is None  # "..., said another witness": its subject parsed as object
    # a fronted adverbial clause that runs into the speaker's words with no comma or dash between
    # ("While slowing down humans' metabolic rate ... isn't possible yet, research team [head]
    # Jennifer Ngo-Anh says the idea ...", CTV News, holdout-intl3, "head" parsed as the clause's
    # verb): the parser took the adverbial and the speaker's title for a clause
    toks = doc_index(verb.doc).tokens
    first, last = toks[comp.left_edge.i], toks[comp.right_edge.i]
    return comp.i < subj.i < verb.i and comp.right_edge.i + 1 == subj.left_edge.i and not last.is_punct \
        and not toks[subj.left_edge.i].is_punct and first.dep_ == "mark" and first.head.i != comp.i


def _intention_range(tok) -> tuple[int, int] | None:
    """Token range of what a verb of intention or decision wants or decides: "wants [to repeal
    the law]", "wants [Congress to act]", "voted [to strike]", "hopes [to win]"; else None."""
    lemma = tok.lemma_.lower()
    if tok.pos_ != "VERB" or not (lemma in cues.INTENTION_VERBS or lemma in cues.DECISION_VERBS
                                  or lemma in ("hope", "expect")):
        return None
    inf = next((c for c in children(tok) if c.dep_ in ("xcomp", "ccomp") and c.i > tok.i
                and c.pos_ in ("VERB", "AUX")
                and cues.marked_by_to(c)), None)
    if inf is None or inf.i - tok.i > 12:
        return None
    lo = inf.left_edge.i
    obj = next((c for c in children(tok) if c.dep_ in ("dobj", "nsubj") and tok.i < c.i < inf.i), None)
    if obj is not None:
        lo = min(lo, obj.left_edge.i)  # "wants [Congress to act]"
    return trim(tok.doc, lo, inf.right_edge.i + 1)


def _decides_that(tok) -> bool:
    """A verb of decision with a that-clause: "the court decided that ...", "the panel determined that ..."."""
    return tok.pos_ == "VERB" and tok.lemma_.lower() in cues.DECISION_VERBS and any(
        c.dep_ == "ccomp" and c.i > tok.i and any(g.dep_ in SUBJ_DEPS for g in children(c))
        for c in children(tok))


def _small_clause(comp, tok) -> bool:
    """A verbless complement after the cue: an object and its adjective predicate ("have declared
    [most major settlements] [legal]", "declared [it] [bankrupt]"), a ruling on a thing, not a
    clause someone is reported to have said. The parser makes the adjective the ``ccomp``, with the
    object as its subject; a complement holding a verb or a quotation mark is a (misparsed) clause."""
    if comp.i < tok.i or comp.pos_ != "ADJ" or not any(c.dep_ == "nsubj" and c.i < comp.i for c in children(comp)):
        return False
    words = comp.doc[comp.left_edge.i:comp.right_edge.i + 1]
    return not any(t.pos_ in ("VERB", "AUX") or t.is_quote for t in words)


# Cue classes whose noun object is the person addressed, before the words: "told reporters [that was
# not true]", "warned voters ...", "asked him ...": the noun is no antecedent of a relative clause.
_RECIPIENT_CLASSES = frozenset({"tell", "warn", "ask"})


def _relative_taken_for_clause(comp, tok) -> bool:
    """A relative clause the parser hung on the cue as its complement: "reported [telephone wait
    times] [that exceeded two hours]" (Los Angeles Times, holdout-intl7), its relative pronoun
    ("that" tagged WDT) parsed as the subject. A complementiser is no subject ("said [that] the
    plan ..."), a demonstrative is no WH-word ("said that was wrong"): a relative "that" right after
    a noun and followed by its verb opens a clause about that noun, not what was said ('told
    investors that/WDT concerns ... were "overblown"': a complementiser the parser mistagged, with a
    subject after it). ("who" and "which" there may open the
    question asked: "asked Rubio which states ...", "Asked on Fox News who leads the party".)"""
    if comp.i < tok.i or cues.cue_class(tok.lemma_.lower()) in _RECIPIENT_CLASSES:
        return False
    toks = doc_index(tok.doc).tokens
    first = toks[comp.left_edge.i]
    return first.dep_ in SUBJ_DEPS and first.head.i == comp.i and first.tag_ == "WDT" \
        and first.lower_ == "that" and first.i > tok.i + 1 and toks[first.i - 1].pos_ in ("NOUN", "PROPN") \
        and first.i + 1 < len(toks) and toks[first.i + 1].pos_ in ("VERB", "AUX", "ADV", "PART") \
        and not any(c.dep_ in SUBJ_DEPS and c.i != first.i for c in children(comp))


def _cue_contents(tok, belief, *, requests: bool):
    """(complement clauses, other content ranges, the "clear" of "made it clear", parenthetical?)
    of a cue verb, or None when it reports nothing."""
    comps = [c for c in children(tok) if c.dep_ == "ccomp" and not _small_clause(c, tok)
             and not _relative_taken_for_clause(c, tok)]
    clear = cues.make_clear(tok)
    if clear is not None:
        # "Ham made it clear he had major misgivings": the clause under "clear" or beside it
        comps = [c for c in (*children(clear), *children(tok))
                 if c.dep_ in ("ccomp", "advcl") and c.i > clear.i and c.i != clear.i]
    if not comps:
        rel = _that_clause_in_cue_pp(tok) or _fronted_clause_as_advcl(tok)
        if rel is not None:
            comps = [rel]
    paren = False
    ranges: list[tuple[int, int]] = []  # content ranges found by other frames than a ccomp
    if not comps and not belief:
        displaced = _displaced_that_clause(tok)
        if displaced is not None:
            ranges = [displaced]
    if not comps and tok.dep_ == "parataxis" and tok.head.pos_ in ("VERB", "AUX"):
        comps, paren = [tok.head], True
    if not comps and not belief and not ranges:
        ranges = _other_frames(tok, cues, requests=requests)
        if not ranges:
            return None
    if not comps and not ranges:
        return None
    return comps, ranges, clear, paren


def _fronted_clause_as_advcl(tok):
    """The reported clause before its cue that the parser made an adverbial clause: "[As yet, there
    is no epidemiological evidence linking the third plague case to the earlier two], the Inner
    Mongolia health commission said" (Smithsonian, holdout-intl4). It opens the sentence, has a
    subject and no subordinator ("if", "when", "because": a real adverbial), is finite and is set
    off by a comma before the cue's own subject."""
    if tok.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    toks = doc_index(tok.doc).tokens
    sent_start = doc_index(tok.doc).sent_of(tok.i).start
    subj = next((c for c in children(tok) if c.dep_ == "nsubj"), None)
    if subj is None or subj.i > tok.i:
        return None
    for c in children(tok):
        if c.dep_ != "advcl" or c.i > subj.i or c.tag_ not in ("VBD", "VBZ", "VBP", "MD") \
                or c.left_edge.i != sent_start:
            continue
        kids = children(c)
        if any(g.dep_ == "mark" or g.tag_ in ("WRB", "WDT") for g in kids) or not any(
                g.dep_ in SUBJ_DEPS or g.dep_ == "expl" for g in kids):
            continue
        end = c.right_edge.i
        if toks[end].text == "," or (end + 1 < subj.left_edge.i and toks[end + 1].text == ","):
            return c
    return None


def _finding_by_someone(tok, comps, speaker: Source | None, subj, passive: bool) -> bool:
    """A person or a body who finds, indicates or concludes a clause states it: "Mayorkas also
    indicated that more illegal immigrants should face criminal prosecution" (seed-003), "Sir Alan
    Budd found a \"chain of events\" linked Mr Blunkett to ..." (BBC politics 102): a verb of
    evidence (the caller's ``tok``, a VERB of EVIDENCE_VERBS) with a named or described speaker, not
    itself inside what someone said, and right after it a finite clause with a subject of its own."""
    if passive or speaker is None or subj is None or not (
            speaker.kind in ("person", "organisation", "anonymous") or names_people(subj)):
        return False  # (a description of people the resolver did not type: "Her aides indicated that ...")
    if inside_reported_speech(tok):
        return False
    for c in comps:
        # the clause, or its "that", right after the verb ("found [a man bleeding], [who was ...]": what
        # someone came upon, and a relative clause, are no statement)
        if c.i < tok.i or c.left_edge.i != tok.i + 1:
            continue
        own_subj = next((g for g in children(c) if g.dep_ in SUBJ_DEPS), None)
        finite = c.tag_ in ("VBD", "VBZ", "VBP") or any(
            a.dep_ in ("aux", "auxpass") and a.tag_ != "TO" for a in children(c))
        if own_subj is not None and own_subj.tag_ not in ("WP", "WDT") and finite:
            return True
    return False


def _cue_speaker(tok, subj, passive: bool, res: SourceResolver):
    """(speaker, mention token range) of a cue verb, both None when it has no subject to credit;
    None when a passive cue names no agent."""
    speaker, mention = None, None
    if subj is not None and not passive and subj.lower_ not in RELATIVE:
        speaker = res.source(subj)
        mention = np_range(subj)
        if mention[1] > mention[0]:  # the words used, with an apposition ("X, chief economist at Y")
            mention = (mention[0], cues.mention_end(subj, *mention, limit=tok.i if subj.i < tok.i else None))
        speaker, mention = _joint_speakers(subj, speaker, mention, res)
    elif passive:
        agent = next((c for c in children(tok) if c.dep_ == "agent"), None)
        pobj = prep_object(agent) if agent is not None else None
        if pobj is not None:
            speaker, mention = res.source(pobj), np_range(pobj)
        else:
            return None  # "it was reported that ...", "he was told that ...": nobody to credit
    return speaker, mention


def _joint_speakers(subj, speaker: Source, mention: tuple[int, int], res: SourceResolver):
    """(speaker, mention) widened to the subject's conjuncts: "Mr. King and Mr. Schultz say ..."."""
    doc = subj.doc
    conjs = [c for c in children(subj) if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "PRON")]
    parts = [speaker]
    for c in conjs:
        if speaker.kind == "anonymous" and speaker.start <= c.idx < speaker.end:
            continue  # already in the description ("Developers and supporters ...")
        part = res.source(c)
        if all(part.name != p.name for p in parts):
            parts.append(part)
    if len(parts) > 1:
        # "Mr. King and Mr. Schultz say ...": both speak
        kinds = {p.kind for p in parts}
        mention = (mention[0], max(np_range(c)[1] for c in conjs))
        while mention[0] < mention[1] and doc[mention[0]].dep_ == "preconj":
            mention = (mention[0] + 1, mention[1])
        ms, me = span_chars(doc, *mention)
        speaker = Source(" and ".join(p.name for p in parts), kinds.pop() if len(kinds) == 1 else "unknown",
                         ms, me, None, all(p.named for p in parts))
    return speaker, mention


def _nobody_speaking(subj, speaker: Source | None) -> bool:
    """Whether a frame without a complement clause has no one speaking: no subject, or a lower-case
    common noun that is no person, body or entity ("the costs promise to swell")."""
    return subj is None or (subj.pos_ == "NOUN" and subj.text.islower() and not subj.ent_type_
                            and not names_people(subj) and subj.lemma_.lower() not in _BODY_NOUNS
                            and speaker is not None and speaker.kind == "unknown")


def _closing_frame_host(tok) -> tuple[int, int] | None:
    """The words before a closing frame the parser hung inside them: "BMW is preparing to enter the
    market for car-style people carriers, [the firm's chief has told BBC News]." (BBC business 141:
    "told" parsed as a relative clause of "carriers"), "It was already using detention without trial
    ..., ignoring a recent Law Lords judgement that this contravenes basic human rights, [he said]."
    (BBC politics 036: "said" under "using", with "that this contravenes ..." as its clause). A cue
    with a subject of its own right after a comma, running to the end of the sentence, that is not
    the sentence's root (the words' main verb is, before the comma), frames the sentence before
    the comma; else None."""
    if tok.dep_ in ("ROOT", "parataxis") or tok.tag_ not in ("VBD", "VBZ", "VBP", "VBN"):
        return None
    subj = next((c for c in children(tok) if c.dep_ == "nsubj" and c.i < tok.i), None)
    if subj is None or subj.tag_ in ("WDT", "WP") or subj.lower_ in RELATIVE:
        return None
    index = doc_index(tok.doc)
    toks, sent = index.tokens, index.sent_of(tok.i)
    comma = subj.left_edge.i - 1
    root = sent.root
    if comma <= sent.start or toks[comma].text != "," or not sent.start <= root.i < comma:
        return None
    if any(toks[k].dep_ not in ("aux", "auxpass", "advmod", "neg") or toks[k].head.i != tok.i
           for k in range(subj.right_edge.i + 1, tok.i)):
        return None  # only its auxiliaries and adverbs between the speaker and the cue
    after = tok.right_edge.i + 1
    if any(not (toks[k].is_punct or toks[k].is_space) for k in range(after, sent.end)):
        return None
    if any(c.dep_ in ("ccomp", "xcomp", "parataxis") and c.i > tok.i
           or c.dep_ == "mark" and toks[c.i - 1].i == tok.head.i
           or c.dep_ == "dobj" and cues.cue_class(tok.lemma_.lower()) != "tell" for c in children(tok)):
        # "That said, the DEA says [that ...]": its words follow it; "found that, globally, people's
        # appetite ... continues unabated": the complement of the verb before it; "West announced [plans for a solo
        # album]": what was announced is its object (the person told is no content: "told BBC News")
        return None
    if root.pos_ not in ("VERB", "AUX") or not any(c.dep_ in SUBJ_DEPS or c.dep_ == "expl" for c in children(root)):
        return None  # the words before the comma are a clause with a subject of its own
    lo, hi = trim(tok.doc, sent.start, comma)
    return (lo, hi) if hi > lo else None


def _parenthetical_host(comp, tok) -> tuple[int, int]:
    """Token range of the host clause around a parenthetical cue: "The plan, he said, will fail"."""
    doc = tok.doc
    lo, hi = comp.left_edge.i, comp.right_edge.i + 1
    p_lo, p_hi = tok.left_edge.i, tok.right_edge.i + 1
    if p_lo <= lo or p_hi >= hi:
        lo, hi = (p_hi, hi) if p_lo <= lo else (lo, p_lo)
    elif sum(not t.is_punct for t in doc[p_hi:hi]) <= 3 and not any(
            t.pos_ in ("VERB", "AUX") for t in doc[p_hi:hi]):
        hi = p_lo  # "It had to be brought together, he added, saying ...": the words precede
    elif any(t.dep_ in SUBJ_DEPS or t.dep_ == "expl" for t in doc[lo:p_lo]):
        pass  # "That, she explained, is by design": the whole clause around it
    elif sum(not t.is_punct for t in doc[lo:p_lo]) <= 3:
        lo = p_hi  # "Now, he said, the gaming world rivals ...": the words follow
    elif sum(not t.is_punct for t in doc[p_hi:hi]) <= 3:
        hi = p_lo
    return lo, hi


def _according_to(tok, found: _Indirect, *, include_reports: bool, include_beliefs: bool = False) -> None:
    """Emit the clause around "according to X" as X's reported speech; with ``include_beliefs``,
    what a record or a measurement shows as evidence ("..., according to a new Gallup poll", "according
    to FEC filings": :data:`newstrace.extract.cues.EVIDENCE_DOCUMENTS`)."""
    res = found.res
    per = tok.lower_ == "per"
    # "per" as "according to": a named person, organisation or outlet ("Yersinia pestis, per the
    # WHO, is often found in small mammals", Smithsonian, holdout-intl4); "per day", "per cent",
    # "per a translator" name nobody (SourceResolver.per_source, as for attributions)
    per_src = per_source(res, tok) if per else None
    pobj = prep_object(tok) if per else _according_object(tok)
    if pobj is None or (per and per_src is None):
        return
    head = tok.head
    if head.i == tok.i:
        return
    while head.pos_ not in ("VERB", "AUX") and head.dep_ not in ("ROOT",) and head.head.i != head.i:
        head = head.head
    # "A, but B, according to X" closing the sentence: X is the source of both clauses
    while head.dep_ == "conj" and head.head.pos_ in ("VERB", "AUX") and tok.i > head.i \
            and tok.right_edge.i + 2 >= head.head.right_edge.i:
        head = head.head
    if any(t.pos_ in ("VERB", "AUX") and is_speech_cue(t) and (per or any(c.dep_ == "ccomp" for c in children(t)))
           for t in head.subtree if not (tok.i <= t.i <= tok.right_edge.i)):
        return  # reported speech of that clause's own cue verb: the source is its via ('said, per Feng')
    src = per_src or res.source(pobj)
    # "..., according to a new poll": what a poll shows is evidence, as "a new poll shows ..." is
    act = "evidence" if include_beliefs and cues.names_evidence(pobj) else None
    if src.kind in ("outlet", "document") and not include_reports and act is None:
        return  # "..., according to the AP": an attribution, not reported speech
    if pobj.lemma_.lower() in SPEECH_NOUNS:
        return  # "according to a statement" names nobody
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    a_lo, a_hi = tok.i, tok.right_edge.i + 1
    if a_lo <= lo:
        lo = a_hi
    elif a_hi >= hi:
        hi = a_lo
    elif any(not t.is_punct for t in tok.doc[a_hi:hi]) and tok.doc[a_lo - 1].is_punct:
        # mid-clause, set off by punctuation ("The troops, according to officials, will stay"):
        # both sides, in parts
        found.emit(lo, hi, tok, src, np_range(pobj), "per" if per else "according to", None, gap=(a_lo, a_hi), act=act)
        return
    else:
        hi = a_lo
    found.emit(lo, hi, tok, src, np_range(pobj), "per" if per else "according to", None, act=act)


def _nominal_report(tok, found: _Indirect, *, include_reports: bool) -> None:
    """Emit the noun-phrase content of a speech verb with its subject as speaker."""
    res, quoted = found.res, found.quoted
    rng = _nominal_content(tok, cues)
    if rng is None or cues.withholds((tok,), tok.doc[rng[0]]):
        return  # ("declined to comment on [whether ...]": an answer withheld)
    subj, passive = subject_of(tok)
    if subj is None or passive or subj.lower_ in RELATIVE or subj.lower_ in _FIRST_SECOND \
            or quoted.inside(subj.idx):
        return
    src = res.source(subj)
    if src.kind in ("outlet", "document") and not include_reports:
        return
    mention = np_range(subj)
    if mention[1] > mention[0]:
        mention = (mention[0], cues.mention_end(
            subj, *mention, limit=tok.i if subj.i < tok.i else None))
    found.emit(*rng, tok, src, mention, cue_words(tok), None)


# How deep a that-clause may hang inside the cue's prepositional phrases ("in an interview with CNN that ...").
_PP_DEPTH = 2


def _that_clause_in_cue_pp(verb):
    """The that-clause a cue verb reports when the parser hung it as a relative clause on the noun
    of one of the cue's prepositional phrases: "told reporters at a press conference [that the
    airline will recommence its expansion]", "claimed at the time [that they were being treated
    well]". A relative clause's "that" stands for one of its words (its subject or object); here
    it is a complementiser (``mark``, or ``advmod`` as the parser reads "the time that") before a
    clause with a subject of its own. The same on the person or outlet a "tell" verb addresses,
    where the parser may even make "that" the relative clause's object ("Employee Steve Castro tells
    the paper [that he fought with the shirtless man]", AP via SFGate, holdout-intl5): told
    someone, a that-clause is what was told. The clause's head token, else None."""
    nouns = []
    level = [verb]
    for _ in range(_PP_DEPTH):
        preps = [c for t in level for c in children(t) if c.dep_ == "prep" and c.i > verb.i]
        level = [g for c in preps for g in children(c) if g.dep_ == "pobj"]
        nouns.extend(level)
    told = [c for c in children(verb) if c.dep_ in ("dobj", "dative") and c.i > verb.i] \
        if cues.cue_class(verb.lemma_) == "tell" else []
    toks = doc_index(verb.doc).tokens
    for noun in told + nouns:
        for rel in children(noun):
            if rel.dep_ not in ("relcl", "acl") or rel.i < noun.i:
                continue
            first = toks[rel.left_edge.i]
            deps = ("mark", "advmod", "dobj") if noun in told else ("mark", "advmod")
            if first.lower_ == "that" and first.dep_ in deps and first.head.i == rel.i and any(
                    c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i > first.i for c in children(rel)):
                return rel
            if noun in told:
                inner = _clause_past_relative(rel)
                if inner is not None:
                    return inner
    return None


def _clause_past_relative(rel):
    """The that-clause the parser hung on a relative clause of the person told, when that relative
    clause has an object of its own before it: "Keith Gambill told a few thousand teachers [who covered
    the Statehouse lawn] [that the Legislature should direct money ...]" (The Detroit News,
    holdout-intl5): "covered" with its object "the Statehouse lawn" takes no that-clause too (only a
    verb of telling, warning or asking takes both), so the clause is what was told. Its head token, else None."""
    if cues.cue_class(rel.lemma_.lower()) in _RECIPIENT_CLASSES:
        return None
    obj = next((c for c in children(rel) if c.dep_ == "dobj" and c.i > rel.i), None)
    if obj is None:
        return None
    toks = doc_index(rel.doc).tokens
    for comp in children(rel):
        if comp.dep_ != "ccomp" or comp.i < obj.i:
            continue
        first = toks[comp.left_edge.i]
        if first.lower_ == "that" and first.dep_ == "mark" and first.head.i == comp.i \
                and first.i > obj.right_edge.i and any(c.dep_ in SUBJ_DEPS and c.i > first.i for c in children(comp)):
            return comp
    return None


def _displaced_that_clause(verb) -> tuple[int, int] | None:
    """The that-clause a cue verb reports when the parser hung the cue's clause under it: "The
    nominee continues to insist, most recently in an interview with ABC News, that he really
    wants to release his taxes" parsed with "continues" as a complement of "wants". Token range
    from after "that" to the end of the host clause, without the cue's own clause; else None."""
    x = verb
    for _ in range(4):
        if x.dep_ == "ccomp" and x.head.i != x.i:
            host = x.head
            mark = next((c for c in children(host) if c.dep_ == "mark" and c.lower_ == "that"), None)
            if mark is None or mark.i < verb.i or host.i < mark.i or x.right_edge.i >= mark.i:
                return None
            lo, hi = mark.i + 1, host.right_edge.i + 1
            while hi > lo and host.doc[hi - 1].is_punct:
                hi -= 1
            return (lo, hi) if hi - lo >= 3 else None
        if x.dep_ not in ("xcomp", "conj", "advcl") or x.head.i == x.i:
            return None
        x = x.head
    return None


# Entity types of a time or a place: "spoke on Monday" is not what was said.
_WHEN_WHERE = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC", "EVENT"})
# Prepositions that introduce what a speech verb is about: "warned of ...", "talked about ...".
_TOPIC_PREPS = frozenset("about of on against for over".split())


def _nominal_content(verb, cues) -> tuple[int, int] | None:
    """Token range of a noun-phrase content of a speech verb without a clause: "accused [Clinton
    of being too cozy with Wall Street]", "praised [the efforts of ...]", "denied [the
    allegations]", "warned of [a recession]", "talked about [the stock market]"; else None."""
    cls = cues.cue_class(verb.lemma_)
    if cls is None or cls == "tell" or any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in children(verb)):
        return None  # (a negated one is kept, flagged by ``emit``: "has not confirmed [any timing]")
    doc = verb.doc
    dobj = next((c for c in children(verb) if c.dep_ == "dobj" and c.i > verb.i), None)
    if dobj is not None and verb.lemma_.lower() == "maintain":
        return None  # "maintains a wide lead": keeping a thing; "maintained that ..." reports
    if dobj is not None and cls == "deny" and verb.lemma_.lower() != "deny" \
            and dobj.lemma_.lower() not in cues.SPEECH_NOUNS | cues.DOCUMENT_NOUNS:
        return None  # "rejected federal money" is an act; "rejected the claim" reports one
    if dobj is not None and cls in ("describe", "deny", "confirm", "claim", "warn", "report"):
        extra = [c for c in children(verb) if c.i > dobj.i and (
            c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ in ("of", "for", "as")))]
        if verb.lemma_.lower() == "call" and not any(c.dep_ == "oprd" for c in extra):
            return None  # "called a meeting", "called snap elections"
        if dobj.pos_ == "PRON" and not extra:
            return None  # "denied it": the content was given before
        hi = max([dobj.right_edge.i] + [c.right_edge.i for c in extra]) + 1
        return trim(doc, dobj.left_edge.i, hi)
    if cls in ("say", "ask", "warn", "claim", "describe", "deny", "write", "add"):
        for c in verb.rights:
            if c.dep_ in ("prt", "advmod", "punct") and c.i <= verb.i + 2:
                continue
            if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS and c.i <= verb.i + 2 and not cues.is_medium_pp(c):
                pobj = next((g for g in children(c) if g.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None and pobj.pos_ != "PRON" and pobj.ent_type_ not in _WHEN_WHERE \
                        and pobj.lemma_.lower() not in ("condition", "behalf"):
                    # "spoke on Monday", "on condition of anonymity", "spoke on behalf of the donors"
                    return trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
            break
    return None


# Common nouns for organised bodies, which speak as their members do ("the unions pledged to ...").
_BODY_NOUNS = frozenset("""
union group company firm government committee party council agency department organisation
organization association board administration campaign court ministry bank regulator team club
authority authorities coalition alliance movement panel commission jury network
""".split())
_FIRST_SECOND = frozenset("i we you it this that there".split())


def _other_frames(verb, cues, *, requests: bool = False) -> list[tuple[int, int]]:
    """Content token ranges of a cue verb without a clausal complement: a to-infinitive of a
    commitment or claim ("vowed [to ban ...]", "claimed [to have won]"), with ``requests`` also
    of a request made to someone ("urged [the department to process ...]", "told him [to
    leave]"), a clause the parser hung on an ``xcomp`` ("said [seeing so many officers was a
    welcome sight]"), and the host clause of "As X said, ..."."""
    doc = verb.doc
    inf = cues.infinitive_complement(verb)
    if inf is not None:
        lo = inf.left_edge.i
        obj = next((c for c in children(verb) if c.dep_ in ("dobj", "dative") and verb.i < c.i < inf.i), None)
        if (obj is not None or cues.cue_class(verb.lemma_) in ("ask", "tell")) and not requests:
            return []  # a request ("asked Magnus to resign") is not a report of what was said
        # the person addressed is part of the request: "urged [him to step aside]"; whom a
        # "tell" verb addresses is its recipient, not its content
        if obj is not None and cues.cue_class(verb.lemma_) != "tell" and obj.pos_ in ("PRON", "NOUN", "PROPN"):
            lo = obj.left_edge.i
        hi = inf.right_edge.i + 1
        # the parser hangs the infinitive's continuation on the cue verb ("promises to focus on
        # order, [trying to lower taxes ...]"); a clause with a conjunction ("if elected") or a
        # report of its own (", saying ...") is not part of the promise
        for c in verb.rights:
            if c.i <= inf.i or c.dep_ == "punct":
                continue
            if c.dep_ != "advcl" or c.left_edge.i > hi + 1 or is_speech_cue(c) or any(
                    g.dep_ in ("mark", "nsubj", "nsubjpass") for g in children(c)):
                break
            hi = c.right_edge.i + 1
        return [trim(doc, lo, hi)]
    cls = cues.cue_class(verb.lemma_)
    if cls in ("say", "claim", "confirm", "add", "report"):
        x = next((c for c in children(verb) if c.dep_ == "xcomp" and c.i > verb.i and c.tag_ == "VBG"
                  and any(g.dep_ == "ccomp" for g in children(c))), None)
        if x is not None:
            return [trim(doc, x.left_edge.i, x.right_edge.i + 1)]
    if cls not in ("add", "ask", "describe") or (cls == "add" and _remark_by_speaker(verb)):
        host = cues.as_clause_report(verb)  # "As Crane said, [the two standard-bearers have become ...]"
        if host is not None:
            return [trim(doc, *host)]
    return []


# Verbs of the "add" class that tell how a time goes on, not what was said: "as the war continued".
_ASPECTUAL = frozenset(("continue", "go"))


def _remark_by_speaker(verb) -> bool:
    """An "add"-class verb ("note", "point out", "observe", "add") reports a remark in an "as"
    clause when its subject can speak: "As CNN's chief medical correspondent Dr. Sanjay Gupta noted
    at the time, [Trump's heart disease meant ...]" (CNN, holdout-intl7); "as the meeting
    concluded" and "as the war continued" tell a time."""
    subj = next((c for c in children(verb) if c.dep_ == "nsubj"), None)
    if subj is None or verb.lemma_.lower() in _ASPECTUAL:
        return False
    return subj.lower_ not in ("it", "this", "that") if subj.pos_ == "PRON" else can_speak(subj)


def _inside_name(tok) -> bool:
    """A capitalised verb form inside a name ("the North East Says No campaign")."""
    if not tok.text[:1].isupper() or tok.is_sent_start or tok.i == 0 or tok.i + 1 >= len(tok.doc):
        return False
    prev, nxt = tok.doc[tok.i - 1], tok.doc[tok.i + 1]
    return prev.text[:1].isupper() and nxt.text[:1].isupper() and not prev.is_sent_start


def _noun_cue(noun, res: "SourceResolver", emit) -> None:
    """A speech noun with a that-clause and a stated owner: "his claim that ...", "Smith's
    warning that ...", "a statement by the department that ..."."""
    lemma = noun.lemma_.lower()
    if not (cues.is_cue_lemma(lemma) or lemma in ("statement", "remark", "comment", "warning",
                                                   "assertion", "allegation", "suggestion")):
        return
    comp = next((c for c in children(noun) if c.dep_ in ("acl", "ccomp") and c.i > noun.i
                 and any(m.dep_ == "mark" and m.lower_ == "that" and m.i == noun.i + 1
                         for m in children(c))
                 and any(g.dep_ in SUBJ_DEPS or g.dep_ == "expl" for g in children(c))), None)
    if comp is None:
        return  # ("that there have been ...": an expletive subject is a clause too)
    owner = next((c for c in children(noun) if c.dep_ == "poss"), None)
    if owner is None:
        owner = next((c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    if owner is None:
        for prep in children(noun):
            if prep.dep_ == "prep" and prep.lower_ in ("by", "from"):
                owner = prep_object(prep)
    if owner is None:
        return
    src = res.source(owner)
    if src.kind in ("outlet", "document"):
        return
    lo, hi = _content_range(comp, noun)
    emit(lo, hi, noun, src, np_range(owner), noun.text, None)


def _speaker_kind(kind: str) -> str:
    return kind if kind in ("person", "organisation", "anonymous", "outlet") else "unknown"


def _according_object(according):
    """The object of "according to" under the token "according" ("to" as any child), or None."""
    to = next((c for c in children(according) if c.lower_ == "to"), None)
    return prep_object(to) if to is not None else None


def _via(verb, res: SourceResolver) -> str | None:
    """The outlet a statement came through: the outlet told ("told CNN"), an interview with an
    outlet, or an "according to <outlet>" in the same clause."""
    for child in children(verb):
        target = None
        if child.dep_ in ("dative", "dobj") and verb.lemma_.lower() == "tell":
            target = child
        elif child.dep_ in ("prep", "dative") and child.lower_ in ("to", "with", "in"):
            target = prep_object(child)
            if target is not None and target.lemma_.lower() == "interview":
                prep = next((c for c in children(target) if c.dep_ == "prep"), None)
                target = prep_object(prep) if prep is not None else None
        elif child.lower_ == "according":
            target = _according_object(child)
        if target is not None:
            src = res.source(target)
            if src.kind == "outlet":
                return src.name
    # "according to" attached higher in the clause ("..., according to a Townhall report")
    for anc in verb.ancestors:
        for child in children(anc):
            if child.lower_ == "according":
                target = _according_object(child)
                if target is not None:
                    src = res.source(target)
                    if src.kind == "outlet":
                        return src.name
    return None

