"""Attributions and reported speech: what an article sources to someone else (issue 3).

Two entry points, both reading one spaCy parse of ``article.text``:

* :func:`extract_attributions` finds every statement the article sources to an outlet, a
  document, an anonymous source or (for "according to") anyone: ``according to X``, ``X
  reported``, ``obtained by X``, ``told X``, ``citing X``, ``in an interview with X``, ``X said
  in a report``, ``sources said``.
* :func:`extract_indirect` finds reported speech (``X said (that) ...``, ``..., X said``,
  ``according to X, ...``, ``X denied that ...``, ``X vowed to ...``, ``As X said, ...``) as
  :class:`~newstrace.models.Quote` records of kind ``indirect``;
  :func:`newstrace.quotes.extract_quotes` calls it and drops overlaps with direct quotes. On
  request it also returns what PARC/PolNeAR-style attribution counts and news speech does not:
  outlet and document reports, beliefs and requests, noun-phrase contents.

Both work from the dependency parse (clausal complements of cue verbs, passive agents, the
object of "according to", datives of "tell"), not from string patterns; which verbs are cues is
decided by :mod:`newstrace.cues`, and who a phrase refers to by the article's
:class:`~newstrace.entities.EntityAnalysis` (names, titles, pronouns, outlets, anonymous
descriptions).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .models import Article, Attribution, Quote

__all__ = ["extract_attributions", "extract_indirect"]

# Nouns that name a text or recording: "a DHS memo", "an Axios report", "the documents".  A
# source phrase headed by one is a document, or belongs to the outlet/organisation that owns it.
_DOC_NOUNS = frozenset("""
report reports memo memos memorandum document documents letter letters email emails e-mail
statement statements filing filings complaint lawsuit affidavit transcript transcripts recording
recordings audio video footage notes records data figures study studies survey surveys poll polls
analysis investigation audit story stories article articles account cable cables briefing
testimony indictment release announcement tweet tweets post posts assessment estimate estimates
research paper dossier guidance directive order email emails message messages readout summary
essay op-ed editorial commentary
""".split())
# Nouns for an outlet's own piece: "the report" after "the Washington Times reported ...".
_REPORT_NOUNS = frozenset("report story article piece investigation".split())
# Speech acts, not documents: "a statement saying ..." is its issuer's.
_SPEECH_NOUNS = frozenset("statement announcement release tweet post message".split())
# Nouns that stand for an outlet already named: "the newspaper", "the outlet", "the paper".
_OUTLET_NOUNS = frozenset("""
newspaper newspapers paper outlet outlets publication network broadcaster magazine website site
channel station tabloid daily newsroom wire
""".split())
# Shows and programmes belong to their outlet: "BBC Radio 4's Today programme".
_PROGRAMME_NOUNS = frozenset("programme program show broadcast podcast column edition".split())
# Verbs by which an outlet (or a journalist) comes to know or publish something.  They are not
# speech verbs, so they are not in the cue lexicon; they make attributions only with an outlet
# or document as subject or passive agent ("the Times reviewed ...", "obtained by CNN").
_ACQUIRE_VERBS = frozenset("""
obtain review see view examine learn find reveal publish broadcast break confirm verify analyze
analyse report uncover acquire
""".split())
# Verbs by which a document, poll or study states its findings ("a Bloomberg poll shows that",
# "the report found that"): they make attributions only with a document or outlet as subject.
_EVIDENCE_VERBS = frozenset("show find indicate suggest conclude estimate reveal document detail".split())
_MEDIUM_VERBS_TO = frozenset("say confirm explain admit acknowledge describe reveal speak talk write "
                             "tell insist deny complain".split())
_JOURNALIST_WORDS = re.compile(
    r"\b(reporter|writer|journalist|correspondent|editor|columnist|anchor|host|"
    r"producer|contributor|commentator|blogger)s?\b", re.I)
_SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
_RELATIVE = frozenset("who which that whom whose".split())
_OPEN_QUOTES = "\u201c\u00ab\u201e"
_CLOSE_QUOTES = "\u201d\u00bb"


# ---------------------------------------------------------------------------------------------
# Quote-mark regions
# ---------------------------------------------------------------------------------------------
def _quote_regions(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` inside double quote marks (curly or straight), paragraph by paragraph.

    An unclosed mark runs to the end of its paragraph (the news convention for quotes running
    over several paragraphs); a closing mark without an opening one is ignored.
    """
    regions: list[tuple[int, int]] = []
    # Two apostrophes stand for a double mark in some archives (''like this''): read the pair
    # as one mark followed by a neutral character, keeping offsets.
    text = text.replace("''", '"\x01')
    for para in re.finditer(r"[^\n]+", text):
        p0, ptext = para.start(), para.group()
        cache: dict[int, list[int]] = {}
        open_at: int | None = None
        for i, ch in enumerate(ptext):
            if ch in _OPEN_QUOTES:
                if open_at is None:
                    open_at = i + 1
            elif ch in _CLOSE_QUOTES:
                if open_at is not None:
                    regions.append((p0 + open_at, p0 + i))
                    open_at = None
                elif i and ptext[i - 1] in ",.!?":
                    regions.append((p0 + _sentence_start(ptext, i, cache), p0 + i))
            elif ch == '"':
                before = ptext[i - 1] if i else " "
                after = ptext[i + 1] if i + 1 < len(ptext) else " "
                opening = (before.isspace() or before in "([{-\u2014\u2013/:") and not after.isspace()
                if open_at is None:
                    if before in ",.!?" and (after.isspace() or after in ",.;:"):
                        # a closing mark whose opening mark is missing ('blue," he said'):
                        # the quotation began with its sentence
                        regions.append((p0 + _sentence_start(ptext, i, cache), p0 + i))
                    elif opening or (not before.isalnum() and not after.isspace()):
                        open_at = i + 1
                elif opening and i > open_at:
                    # an opening-shaped mark while a quote is open: the open quote ran on (a
                    # paragraph joined without its closing mark); a new quote starts here
                    regions.append((p0 + open_at, p0 + i))
                    open_at = i + 1
                else:
                    regions.append((p0 + open_at, p0 + i))
                    open_at = None
        if open_at is not None:
            regions.append((p0 + open_at, p0 + len(ptext)))
    return regions


_SENT_END = re.compile(r"[.!?][\"\u201d\x01]?\s+(?=\S)")


def _sentence_start(ptext: str, end: int, cache: dict[int, list[int]] | None = None) -> int:
    """Offset in ``ptext`` where the sentence holding ``end`` begins (after ". ", "! ", "? ")."""
    key = id(ptext)
    if cache is not None and key in cache:
        ends = cache[key]
    else:
        ends = [m.end() for m in _SENT_END.finditer(ptext)]
        if cache is not None:
            cache[key] = ends
    i = bisect.bisect_right(ends, max(end - 1, 0)) - 1
    # a sentence end must lie wholly before the mark
    while i >= 0 and ends[i] > end - 1:
        i -= 1
    return ends[i] if i >= 0 else 0


def _block_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs that open with a quote mark right after a paragraph ending in a colon (and
    the run of quote-opened paragraphs continuing it)."""
    spans: list[tuple[int, int]] = []
    prev_colon = prev_block = False
    for para in re.finditer(r"[^\n]+", text):
        body = para.group().strip()
        if not body:
            continue
        opens = body[0] in _OPEN_QUOTES + '"'
        is_block = opens and (prev_colon or prev_block)
        if is_block:
            spans.append((para.start(), para.end()))
        closed = body.rstrip()[-1:] in _CLOSE_QUOTES + '"'
        prev_block = is_block and not closed
        prev_colon = body.endswith(":")
    return spans


# A quotation in single marks: an opening mark not inside a word, up to a closing mark that is
# not an apostrophe ("‘notoriously low morale’").
_SINGLE_QUOTED = re.compile("(?<!\\w)\u2018(?:[^\u2018\u2019\\n]|\u2019(?=\\w))*\u2019(?!\\w)")


class _Quoted:
    """Fast 'is this offset inside quote marks' lookups over :func:`_quote_regions`."""

    def __init__(self, text: str, *, blocks: bool = True) -> None:
        self.regions = _quote_regions(text)
        if not blocks:
            # Paragraphs quoted after a colon ("..., according to The Washington Times:" then
            # quoted paragraphs) are a block quoted from an outlet or document: reported speech
            # inside it is still reported speech (the quotes stage gives it the block as via).
            spans = _block_spans(text)
            self.regions = [(s, e) for s, e in self.regions
                            if not any(bs <= s - 1 <= be for bs, be in spans)]
            # quotes nested in a block use single marks
            for bs, be in spans:
                self.regions += [(m.start() + 1, m.end() - 1)
                                 for m in _SINGLE_QUOTED.finditer(text, bs, be)]
            self.regions.sort()
        self.starts = [s for s, _ in self.regions]

    def inside(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and self.regions[i][0] <= offset < self.regions[i][1]

    def covered(self, start: int, end: int, text: str) -> float:
        """Share of the non-space characters of text[start:end] inside quote marks."""
        total = inside = 0
        i = bisect.bisect_right(self.starts, start) - 1
        spans = self.regions[max(i, 0):]
        for pos in range(start, end):
            if text[pos].isspace():
                continue
            total += 1
        if not total:
            return 0.0
        for s, e in spans:
            if s >= end:
                break
            lo, hi = max(s, start), min(e, end)
            if lo < hi:
                inside += sum(1 for pos in range(lo, hi) if not text[pos].isspace())
        return inside / total


# ---------------------------------------------------------------------------------------------
# Helpers over the parse
# ---------------------------------------------------------------------------------------------
_CUES = None


def _cue_module():
    global _CUES
    if _CUES is None:
        from . import cues

        _CUES = cues
    return _CUES


def _canonical_outlet(name: str) -> str | None:
    from .entities import canonical_outlet

    try:
        return canonical_outlet(name)
    except Exception:  # a bad name must not stop the article
        return None


def _is_cue(tok) -> bool:
    return bool(_cue_module().is_cue(tok))


def _cue_phrase(tok) -> str:
    phrase = _cue_module().cue_phrase(tok)
    return phrase or tok.text


def _trim(doc, start_i: int, end_i: int) -> tuple[int, int]:
    """Token range [start_i, end_i) without punctuation, spaces and conjunctions at its edges."""
    while start_i < end_i and (doc[start_i].is_punct or doc[start_i].is_space
                               or doc[start_i].dep_ == "cc"):
        start_i += 1
    while end_i > start_i and (doc[end_i - 1].is_punct or doc[end_i - 1].is_space
                               or doc[end_i - 1].dep_ == "cc"):
        end_i -= 1
    return start_i, end_i


def _np_range(head) -> tuple[int, int]:
    """The compact noun phrase of ``head``: its subtree without relative clauses, appositions
    after a comma, participial clauses with their own agent, and trailing punctuation."""
    doc = head.doc
    lo, hi = head.i, head.i + 1
    for child in head.children:
        if child.dep_ in ("relcl", "appos", "punct", "cc", "conj", "parataxis", "preconj"):
            continue
        if child.dep_ == "acl" and any(c.dep_ in ("agent", "ccomp", "dobj") for c in child.children):
            continue  # "a memo obtained by CBS", "a statement saying the prince ..."
        if child.i > head.i and any(doc[k].text == "," for k in range(head.i, child.left_edge.i)):
            continue
        lo = min(lo, child.left_edge.i)
        hi = max(hi, child.right_edge.i + 1)
    return _trim(doc, lo, hi)


def _subject_of(verb):
    """(subject token, passive?) of ``verb``, inherited through participles, conjuncts and
    relative pronouns ("adding that ...", "sources saying ...", "the Times, which reviewed ...")."""
    tok = verb
    for _ in range(8):
        subj = next((c for c in tok.children if c.dep_ in _SUBJ_DEPS), None)
        if subj is not None:
            subj = _past_dateline(subj)
            if subj.lower_ in _RELATIVE and tok.dep_ == "relcl":
                return _who_antecedent(subj, tok.head), False
            return subj, subj.dep_ == "nsubjpass" and tok.i == verb.i
        if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            noun = tok.head
            if tok.tag_ == "VBG" and noun.pos_ == "NOUN" and noun.dep_ == "dobj" and not noun.ent_type_ \
                    and not _names_people(noun) and _owner(noun) is None and noun.head.i != noun.i:
                # "Clarence House has issued a statement saying ...", "X defended the move
                # saying ...": a thing that cannot speak, object of a verb; the participle
                # speaks for that verb's subject
                tok = noun.head
                continue
            return noun, False
        if tok.dep_ in ("conj", "advcl", "xcomp", "pcomp", "prep", "acl") and tok.head.i != tok.i:
            tok = tok.head
            # "X said errors had forced the move, adding that ...": a participle hung on the
            # reported clause belongs to the reporting verb above it
            if tok.dep_ == "ccomp" and _is_cue(tok.head) and verb.dep_ in ("advcl", "conj") \
                    and verb.head.i == tok.i and _is_cue(verb):
                tok = tok.head
            continue
        break
    return None, False


def _who_antecedent(rel, head):
    """Who "who" stands for: the relative clause's head, or the noun right before "who" when the
    parser hung the clause on a noun that cannot speak ("labelled a misjudgement by the
    Conservatives who said ...")."""
    if rel.lower_ not in ("who", "whom") or head.pos_ == "PROPN" or head.ent_type_ or _names_people(head):
        return head
    k = rel.i - 1
    if k >= 0 and rel.doc[k].text == ",":
        k -= 1
    prev = rel.doc[k] if k >= 0 else None
    if prev is not None and prev.i != head.i and (prev.pos_ == "PROPN" or (prev.pos_ == "NOUN" and _names_people(prev))):
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
    for child in head.children:
        if child.ent_type_ in ("DATE", "TIME"):
            continue  # "this weekend's broadcast", "Tuesday's report": when, not whose
        if child.dep_ in ("poss", "nmod") or (child.dep_ == "compound" and child.pos_ == "PROPN"):
            return child
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "of", "in"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.pos_ == "PROPN" or pobj.lemma_.lower() in _OUTLET_NOUNS):
                return pobj
        if child.dep_ == "acl":
            for agent in child.children:
                if agent.dep_ == "agent":
                    pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                    if pobj is not None:
                        return pobj
    return None


@dataclass
class _Source:
    name: str
    kind: str  # outlet, person, organisation, document, anonymous, unknown
    start: int
    end: int
    entity: int | None
    named: bool


class _Resolver:
    """Turns a source/speaker noun phrase into a canonical name and kind for one article."""

    def __init__(self, doc, article: Article, entities) -> None:
        self.doc = doc
        self.article = article
        self.entities = entities
        self.text = article.text
        # Outlets named in the article, by offset, for "the Times", "the newspaper".
        self.outlets: list[tuple[int, str]] = []
        for m in getattr(entities, "mentions", []) or []:
            if getattr(m, "label", None) == "OUTLET":
                name = None
                if m.entity is not None:
                    try:
                        name = entities.name_of(m.entity)
                    except Exception:
                        name = None
                name = name or _canonical_outlet(m.text) or m.text
                self.outlets.append((m.start, name))
        self.ents = list(doc.ents)
        self.ent_starts = [e.start for e in self.ents]
        for ent in self.ents:
            if ent.label_ in ("ORG", "WORK_OF_ART", "PERSON", "GPE", "PRODUCT", "FAC"):
                name = _canonical_outlet(ent.text)
                if name:
                    self.outlets.append((ent.start_char, name))
        self.outlets.sort()
        # A one-word short form names the outlet of that name mentioned before it ("the Times"
        # after "the Los Angeles Times"), even where the entity stage made it an outlet of its own.
        fixed: list[tuple[int, str]] = []
        for off, name in self.outlets:
            bare = re.sub(r"^(the|a|an)\s+", "", name, flags=re.I)
            if " " not in bare:
                earlier = next((n for o, n in reversed(fixed) if o < off and n.lower().endswith(" " + bare.lower())), None)
                name = earlier or name
            fixed.append((off, name))
        self.outlets = fixed
        self.anonymous: dict[str, list[tuple[int, str]]] = {}  # head lemma -> anonymous sources seen
        self.documents: list[tuple[int, _Source, str | None]] = []  # document/outlet sources seen, for "the report"

    # -- outlets --------------------------------------------------------------------------
    def _recent_outlet(self, before: int, like: str | None = None) -> str | None:
        best = None
        for off, name in self.outlets:
            if off >= before:
                break
            if like is None or name.lower().endswith(like.lower()):
                best = name
        return best

    def _outlet_name(self, start: int, end: int) -> str | None:
        """Canonical outlet for text[start:end], with short forms ("the Times") resolved to the
        outlet of that name mentioned earlier."""
        words = self.text[start:end].strip()
        if not words:
            return None
        bare = re.sub(r"^(the|a|an)\s+", "", words, flags=re.I)
        bare = re.sub(r"(\u2019s|'s|\u2019|')$", "", bare).strip()
        name = _canonical_outlet(words) or _canonical_outlet(bare)
        # A one-word short form names the outlet of that name already in the article.
        if bare and " " not in bare and bare[:1].isupper():
            earlier = self._recent_outlet(start, like=" " + bare)
            if earlier and (name is None or name.lower().endswith(bare.lower())):
                return earlier
        return name

    # -- generic --------------------------------------------------------------------------
    def resolve_span(self, start: int, end: int) -> tuple[int | None, str, str]:
        try:
            idx, name, kind = self.entities.resolve(start, end)
        except Exception:  # an entity resolver failure must not lose the attribution
            idx, name, kind = None, self.text[start:end].strip(), "unknown"
        return idx, name, kind

    def source(self, head) -> _Source:
        """Resolve the noun phrase headed by ``head``."""
        doc = self.doc
        lo, hi = _np_range(head)
        if hi <= lo:
            lo, hi = head.i, head.i + 1
        start, end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
        lemma = head.lemma_.lower()
        # Coordinated unnamed groups are one description: "Developers and supporters in Congress".
        conj = [c for c in head.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
        if head.pos_ == "NOUN" and head.tag_ == "NNS" and conj and not head.ent_type_ \
                and all(c.tag_ == "NNS" and not c.ent_type_ for c in conj) \
                and (_names_people(head) or any(_names_people(c) for c in conj)):
            return _Source(self.text[start:end], "anonymous", start, end, None, False)
        # An appositive name explains a common noun: "One of those professors, Ahilan A.".
        if head.pos_ != "PROPN":
            for child in head.children:
                if child.dep_ == "appos" and child.pos_ == "PROPN":
                    return self.source(child)
        # Programmes, shows, documents and reports belong to their owner when one is stated.
        if lemma in _DOC_NOUNS or lemma in _PROGRAMME_NOUNS or head.lower_ in _DOC_NOUNS:
            # "an Axios report", "an ABC 13 News report" (the tagger may read a name as an
            # adjective): all the modifiers together first, then each one
            mods = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nmod", "poss", "nummod")]
            spans = [(mods[0].left_edge.i, head.i)] if mods else []
            spans += [(c.left_edge.i, c.right_edge.i + 1) for c in mods
                      if c.dep_ != "nummod" and c.pos_ in ("PROPN", "ADJ", "NOUN")]
            for m_lo, m_hi in spans:
                c_lo, c_hi = _trim(doc, m_lo, m_hi)
                if c_hi > c_lo and doc[c_hi - 1].dep_ == "case":
                    c_hi -= 1  # "Radio 4's"
                if c_hi > c_lo and doc[c_lo].dep_ == "det":
                    c_lo += 1
                name = self._outlet_name(*_span_chars(doc, c_lo, c_hi)) if c_hi > c_lo else None
                if name:
                    return _Source(name, "outlet", start, end,
                                   self._outlet_entity(name, *_span_chars(doc, c_lo, c_hi)), True)
            owner = _owner(head)
            if owner is not None:
                osrc = self.source(owner)
                if osrc.kind == "outlet" or (osrc.kind == "person" and lemma not in _DOC_NOUNS):
                    return osrc
                if lemma in _PROGRAMME_NOUNS and osrc.kind in ("organisation", "unknown"):
                    # whoever owns a programme or show is a broadcaster: "Radio 4's Today programme"
                    name = re.sub(r"(\u2019s|'s|\u2019|')$", "", osrc.name).strip()
                    return _Source(name, "outlet", osrc.start, osrc.end, osrc.entity, True)
            if lemma in _SPEECH_NOUNS:
                # a statement or tweet is its issuer's speech, not a document to cite
                return _Source(self.text[start:end], "unknown", start, end, None, True)
            if lemma in _DOC_NOUNS or head.lower_ in _DOC_NOUNS:
                det = next((c.lower_ for c in head.children if c.dep_ == "det"), None)
                if det in ("the", "this", "that") and owner is None:
                    # "the report" takes up the report/outlet cited before it
                    prev = self._recent_document(start, lemma)
                    if prev is not None:
                        return _Source(prev.name, prev.kind, start, end, prev.entity, prev.named)
                words = self.text[start:end]
                named = any(doc[k].pos_ == "PROPN" for k in range(lo, hi))
                return _Source(words, "document", start, end, None, named)
        # "Cosmopolitan magazine", "the Des Moines Register newspaper": the name before the noun
        if lemma in _OUTLET_NOUNS and head.pos_ != "PROPN":
            mods = [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
            if mods:
                m_lo, m_hi = _trim(doc, mods[0].left_edge.i, head.i)
                name = self._outlet_name(*_span_chars(doc, m_lo, m_hi)) if m_hi > m_lo else None
                if name is None and m_hi > m_lo and self.entities is not None:
                    # the entity stage may know the name is an outlet ("Cosmopolitan magazine")
                    _, ename, ekind = self.entities.resolve(*_span_chars(doc, m_lo, m_hi))
                    name = ename if ekind == "outlet" else None
                if name:
                    return _Source(name, "outlet", start, end,
                                   self._outlet_entity(name, *_span_chars(doc, m_lo, m_hi)), True)
        # "the newspaper", "the outlet": the outlet named last.
        if lemma in _OUTLET_NOUNS and head.pos_ != "PROPN":
            det = next((c.lower_ for c in head.children if c.dep_ in ("det", "poss")), None)
            if det in ("the", "this", "that", "its"):
                prev = self._recent_outlet(start) or self.article.outlet
                if prev:
                    return _Source(prev, "outlet", start, end, self._outlet_entity(prev, start, end), True)
        if head.pos_ == "PROPN":
            # "Bill O'Reilly of Fox News": the words before the preposition name the person
            for child in head.rights:
                if child.dep_ == "prep" and child.lower_ in ("of", "from", "at"):
                    end = min(end, doc[child.i - 1].idx + len(doc[child.i - 1].text))
                    break
        outlet = self._outlet_name(start, end)
        if outlet is None and head.ent_type_:
            k = bisect.bisect_right(self.ent_starts, head.i) - 1
            ent = self.ents[k] if k >= 0 and self.ents[k].start <= head.i < self.ents[k].end else None
            if ent is not None:
                outlet = self._outlet_name(ent.start_char, ent.end_char)
        if outlet:
            return _Source(outlet, "outlet", start, end, self._outlet_entity(outlet, start, end), True)
        idx, name, kind = self.resolve_span(start, end)
        if kind not in ("person", "organisation", "outlet", "anonymous", "unknown"):
            kind = "unknown"
        if kind in ("person", "organisation", "outlet") and idx is not None and head.pos_ == "NOUN" \
                and not self._mentions_cover(head, idx):
            # "A member of President Joe Biden's cabinet" is not Joe Biden: the entity sits in a
            # modifier, the head noun describes someone else
            idx, name, kind = None, self.text[start:end].strip(), "unknown"
        if kind == "person" and head.tag_ == "NNS" and head.pos_ == "NOUN" and \
                not any(c.dep_ == "conj" for c in head.children) and _is_description(head):
            idx, name, kind = None, self.text[start:end].strip(), "unknown"  # "Analysts" is not one analyst
        if kind == "unknown" and idx is None and _is_description(head):
            kind = "anonymous"  # "Analysts said", "one official said": people left unnamed
        if kind == "anonymous":
            self.anonymous.setdefault(head.lemma_.lower(), []).append((start, name))
        elif kind == "unknown" and idx is None and head.pos_ == "NOUN":
            # "the source added" after "a source said": the same unnamed source
            det = next((c.lower_ for c in head.children if c.dep_ == "det"), None)
            earlier = [n for off, n in self.anonymous.get(head.lemma_.lower(), []) if off < start]
            if det in ("the", "that", "this") and earlier:
                return _Source(earlier[-1], "anonymous", start, end, None, False)
        if kind == "outlet":
            name = _canonical_outlet(name) or name
        return _Source(name, kind, start, end, idx, kind != "anonymous")

    def _mentions_cover(self, head, idx: int) -> bool:
        """Whether a mention of entity ``idx`` covers the token ``head``."""
        lo, hi = head.idx, head.idx + len(head.text)
        for m in getattr(self.entities, "mentions", []) or []:
            if m.entity == idx and m.start <= lo and hi <= m.end:
                return True
        return False

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

    def _recent_document(self, before: int, lemma: str) -> _Source | None:
        """The source "the <lemma>" takes up: the last one cited with a noun of that lemma, or
        for "the report/story/article" the last outlet cited."""
        best = None
        for off, src, noun in self.documents:
            if off < before and (noun == lemma or (src.kind == "outlet" and lemma in _REPORT_NOUNS)):
                best = src
        return best

    def remember(self, src: _Source, noun: str | None = None) -> None:
        if src.kind in ("outlet", "document"):
            self.documents.append((src.start, src, noun))
            self.documents.sort(key=lambda x: x[0])

    def is_journalist(self, src: _Source) -> bool:
        if src.kind != "person" or src.entity is None:
            return False
        try:
            ent = self.entities.entities[src.entity]
        except (AttributeError, IndexError, TypeError):
            return False
        for role in getattr(ent, "roles", []) or []:
            if _JOURNALIST_WORDS.search(role.title or "") or (role.org and _canonical_outlet(role.org)):
                return True
        return False


# Nouns for people that the agent-noun endings below do not catch.
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
""".split())
# Agent-noun endings that rarely end anything but people ("-er"/"-or" end "error" and "paper" too).
_AGENT_ENDINGS = ("ist", "ian", "eur", "man", "woman", "ee", "ier", "ster")


def _names_people(head) -> bool:
    """Whether a common noun denotes people: a known source noun or an agent-noun ending
    ("investigators", "residents", "participants", "protesters")."""
    lemma = head.lemma_.lower()
    if lemma in _PEOPLE_NOUNS:
        return True
    return len(lemma) > 4 and lemma.endswith(_AGENT_ENDINGS) and lemma not in _DOC_NOUNS \
        and lemma not in ("committee", "guarantee", "fee", "degree", "coffee")


def _is_description(head) -> bool:
    """A common-noun phrase that describes unnamed people: a plural ("analysts", "two sources
    familiar with the matter", "some critics") or an indefinite singular ("an official",
    "another agent")."""
    if head.pos_ != "NOUN" or head.ent_type_ or any(c.dep_ == "poss" for c in head.children):
        return False
    if any(c.pos_ == "PROPN" for c in head.lefts if c.dep_ == "compound"):
        return False  # "Border Patrol agents" is still a description, but "DHS memo"-like heads are not people
    if not _names_people(head):
        return False  # "situations", "several points of view"
    det = next((c.lower_ for c in head.children if c.dep_ == "det"), None)
    if head.tag_ == "NNS":
        return det not in ("the", "these", "those", "this", "that")
    return det in ("a", "an", "another", "one") or any(c.lower_ == "one" for c in head.children if c.dep_ == "nummod")


def _span_chars(doc, lo: int, hi: int) -> tuple[int, int]:
    return doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)


def _clause_range(tok) -> tuple[int, int]:
    """Token range of the independent clause of the sentence that contains ``tok``."""
    sent = tok.sent
    root = sent.root
    units = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
                      and any(g.dep_ in _SUBJ_DEPS for g in c.children)]
    if len(units) == 1:
        return _trim(tok.doc, sent.start, sent.end)
    bounds = sorted(u.left_edge.i if u.i != root.i else sent.start for u in units)
    bounds = sorted(set([sent.start] + [b for b in bounds if b > sent.start]))
    for k, b in enumerate(bounds):
        nxt = bounds[k + 1] if k + 1 < len(bounds) else sent.end
        if b <= tok.i < nxt:
            return _trim(tok.doc, b, nxt)
    return _trim(tok.doc, sent.start, sent.end)


def _cue_words(verb) -> str:
    """The cue as written: the verb with its auxiliaries of tense, "first" and particles
    ("has learned", "first reported", "point out")."""
    toks = [verb]
    for c in verb.children:
        if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ == "first") or \
                (c.dep_ == "aux" and c.lemma_ in ("have",) and c.i < verb.i):
            toks.append(c)
    toks.sort(key=lambda t: t.i)
    return " ".join(t.text for t in toks)


# ---------------------------------------------------------------------------------------------
# Attributions
# ---------------------------------------------------------------------------------------------
def extract_attributions(doc, article: Article, *, entities) -> list[Attribution]:
    """Every statement the article sources to someone else.

    Reads the dependency parse: the object of "according to", the passive agent of "obtained /
    reviewed / reported by", the subject of a reporting verb when it is an outlet, a document,
    an anonymous source or a journalist ("CBS News reported", "a report said", "sources said"),
    the outlet told ("told the Los Angeles Times", "confirmed to", "in an interview with"),
    "citing X", and an organisation that "said in a report". Sources are canonical: outlets via
    :func:`newstrace.entities.canonical_outlet` ("the Times" after "the Los Angeles Times" is the
    Los Angeles Times; "the newspaper" is the outlet named last), people and anonymous
    descriptions via ``entities.resolve``; a document without a stated owner is its own source
    ("a DHS memo").

    Args:
        doc: the spaCy Doc of ``article.text``.
        article: the cleaned article.
        entities: the article's :class:`~newstrace.entities.EntityAnalysis`.
    Returns:
        Attributions in text order; ``start``/``end`` span the attributed statement (the clause
        holding the cue), ``source_start``/``source_end`` the source's words.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> attrs = extract_attributions(doc, article, entities=analyze_entities(doc, article))  # doctest: +SKIP
    >>> [(a.source, a.cue) for a in attrs]  # doctest: +SKIP
    [('CBS News', 'told'), ('two sources familiar with the matter', 'told')]
    """
    res = _Resolver(doc, article, entities)
    quoted = _Quoted(article.text)
    found: list[tuple[int, Attribution, tuple[int, int]]] = []  # (cue token index, attr, src token range)
    seen: set[tuple[str, int, str]] = set()
    subject_hits: set[tuple[str, int]] = set()

    def add(cue_tok, src: _Source, cue: str, *, src_head=None) -> None:
        if not src.name:
            return
        lo, hi = _clause_range(cue_tok)
        s, e = _span_chars(doc, lo, hi)
        sent = cue_tok.sent
        key = (src.name.lower(), sent.start, cue)
        if key in seen:
            return
        seen.add(key)
        rng = _np_range(src_head) if src_head is not None else (cue_tok.i, cue_tok.i + 1)
        found.append((cue_tok.i, Attribution(
            article_id=article.id, source=src.name, source_kind=src.kind, cue=cue,
            sentence=sent.text.strip(), start=s, end=e, source_start=src.start, source_end=src.end,
            named=src.named, source_entity=src.entity), rng))
        res.remember(src, src_head.lemma_.lower() if src_head is not None else None)

    for tok in doc:
        if quoted.inside(tok.idx):
            continue  # words inside a direct quote are the speaker's, not the article's sourcing
        low = tok.lower_
        # 1. according to X
        if low == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            if to is None and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if pobj is not None:
                src = res.source(pobj)
                if pobj.lemma_.lower() not in _SPEECH_NOUNS:
                    add(tok, src, "according to", src_head=pobj)  # "according to a speech" names nobody
            continue
        if tok.pos_ not in ("VERB", "AUX") and not _is_cue(tok):
            # "an interview with X" outside "according to"
            if low in ("interview", "interviews"):
                for prep in tok.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("with", "on", "to"):
                        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                        if pobj is not None:
                            src = res.source(pobj)
                            if src.kind == "outlet":
                                add(tok, src, "in an interview with", src_head=pobj)
            continue
        lemma = tok.lemma_.lower()
        is_cue = _is_cue(tok)
        # 2. passive agent: "obtained by Townhall", "as first reported by CNN"
        for agent in (c for c in tok.children if c.dep_ == "agent"):
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is None or not (is_cue or lemma in _ACQUIRE_VERBS):
                continue
            src = res.source(pobj)
            if src.kind in ("outlet", "document") or (is_cue and (src.kind == "anonymous"
                                                                  or res.is_journalist(src))):
                add(tok, src, _cue_words(tok) + " by", src_head=pobj)
        # 3. citing X
        if lemma == "cite":
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "pobj")), None)
            if obj is not None:
                src = res.source(obj)
                if src.kind != "unknown" and (src.kind != "anonymous" or _names_people(obj)):
                    add(tok, src, "citing", src_head=obj)
            continue
        if not (is_cue or lemma in _ACQUIRE_VERBS or lemma in _EVIDENCE_VERBS):
            continue
        # 4. the outlet told: "told CBS News", "confirmed to the Los Angeles Times",
        #    "said in an interview with the Times", "told Radio 4's Today programme"
        told_outlet = False
        if is_cue:
            for child in tok.children:
                target, cue = None, None
                if child.dep_ in ("dative", "dobj") and lemma == "tell":
                    target, cue = child, "told"
                elif child.dep_ in ("dative", "prep") and child.lower_ in ("to", "with") \
                        and lemma in _MEDIUM_VERBS_TO:
                    target = next((c for c in child.children if c.dep_ == "pobj"), None)
                    cue = f"{_cue_words(tok)} {child.lower_}"
                elif child.dep_ == "prep" and child.lower_ in ("in", "on"):
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if pobj is not None and pobj.lemma_.lower() == "interview":
                        prep = next((c for c in pobj.children if c.dep_ == "prep"
                                     and c.lower_ in ("with", "to")), None)
                        target = next((c for c in prep.children if c.dep_ == "pobj"), None) \
                            if prep is not None else None
                        cue = "in an interview with"
                    elif pobj is not None and pobj.lemma_.lower() in _DOC_NOUNS | _PROGRAMME_NOUNS \
                            and pobj.lemma_.lower() not in _SPEECH_NOUNS:
                        # "In a Wall Street Journal essay, X said", "said on the network's
                        # broadcast of ...": the outlet that carried the words (when it is one)
                        target, cue = pobj, f"{_cue_words(tok)} {child.lower_} {pobj.lower_}"
                if target is None or target.pos_ == "PRON":
                    continue  # "told them": whoever they are, they were named before
                src = res.source(target)
                if src.kind != "outlet" and target.pos_ == "PROPN":
                    # "told Bill O'Reilly of Fox News": the journalist's outlet
                    for prep in target.rights:
                        if prep.dep_ == "prep" and prep.lower_ in ("of", "from", "at"):
                            inner = next((c for c in prep.children if c.dep_ == "pobj"), None)
                            if inner is not None and res.source(inner).kind == "outlet":
                                src, target = res.source(inner), inner
                            break
                if src.kind == "outlet":
                    add(tok, src, cue, src_head=target)
                    told_outlet = True
            folded = _tell_recipient(tok, res)
            if folded is not None:
                add(tok, folded[2], "told")
                told_outlet = True
        # 5. the subject of a reporting verb: an outlet, a document, an anonymous source, a
        #    journalist; an organisation speaking through a document ("said in a report").
        subj, passive = _subject_of(tok)
        if subj is None or passive or subj.lower_ in ("i", "we", "you", "it"):
            continue
        if quoted.inside(subj.idx):
            continue
        src = res.source(subj)
        cue = _cue_words(tok)
        inherited = subj.head.i != tok.i
        if inherited and (src.name.lower(), tok.sent.start) in subject_hits:
            continue  # "X tweeted about it, saying ...": one attribution, not two
        if (src.kind in ("document", "anonymous") or res.is_journalist(src)) and _inside_reported_speech(tok):
            continue  # "Davis said the research appeared to ...": Davis's claim, not the article's sourcing
        subject_hits.add((src.name.lower(), tok.sent.start))
        if src.kind in ("outlet", "document"):
            if not is_cue and lemma not in _EVIDENCE_VERBS and (src.kind == "document"
                                                               or lemma not in _ACQUIRE_VERBS):
                continue
            add(tok, src, cue, src_head=subj)
        elif not is_cue:
            continue
        elif src.kind == "anonymous":
            if re.search(r"\bspokes", f"{subj.lower_} {src.name.lower()}"):
                continue  # a spokesperson is the organisation's voice, not an unnamed source
            add(tok, src, cue + (" " + _told_object(tok) if told_outlet else ""), src_head=subj)
        elif src.kind == "person" and res.is_journalist(src) and \
                _cue_module().cue_class(tok.lemma_) in ("write", "report"):
            # a journalist reporting ("Townhall Senior Writer Julio Rosas tweeted"); an editor
            # who merely "said" something is quoted, not cited
            add(tok, src, cue, src_head=subj)
        elif src.kind == "organisation":
            medium = _document_medium(tok)
            if medium:
                add(tok, src, f"{cue} in {medium}", src_head=subj)
            elif tok.lemma_.lower() in ("report", "publish") and tok.head.i == tok.i \
                    and not _inside_reported_speech(tok):
                # "The Committee for a Responsible Federal Budget reported that ...": an
                # organisation publishing findings is a source the article cites, as a document is
                add(tok, src, cue, src_head=subj)

    found.sort(key=lambda x: x[0])
    # A passive agent inside an "according to" source ("according to documents obtained by CBS
    # News") is the same attribution, not a second one.
    out: list[Attribution] = []
    for i, (ci, attr, _) in enumerate(found):
        dup = any(j != i and a2.source == attr.source and a2.cue == "according to" and r2[0] <= ci < r2[1]
                  for j, (_, a2, r2) in enumerate(found))
        if not dup:
            out.append(attr)
    return out


def _tell_recipient(verb, res: "_Resolver") -> tuple[int, int, _Source] | None:
    """The outlet or person told, when the parser folded it into the complement's subject
    ("He told The Observer government life was ..." parsed as "The Observer government life")."""
    if verb.lemma_.lower() != "tell" or any(c.dep_ in ("dative", "dobj") for c in verb.children):
        return None
    comp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    if comp is None:
        return None
    doc = verb.doc
    limit = comp.left_edge.i
    subj = next((c for c in comp.children if c.dep_ in _SUBJ_DEPS), None)
    if subj is not None and subj.left_edge.i == verb.i + 1:
        limit = subj.i  # the recipient ends before the subject's head word
    for hi in range(min(limit, verb.i + 6), verb.i + 1, -1):
        s, e = _span_chars(doc, verb.i + 1, hi)
        name = res._outlet_name(s, e)
        if name:
            return verb.i + 1, hi, _Source(name, "outlet", s, e, res._entity_at(s, e), True)
    return None


def _inside_reported_speech(verb) -> bool:
    """Whether ``verb`` sits in the complement of another cue verb ("X said [the report found ...]")."""
    tok = verb
    for _ in range(12):
        if tok.dep_ in ("ROOT",) or tok.head.i == tok.i:
            return False
        if tok.dep_ == "ccomp" and _is_cue(tok.head):
            return True
        tok = tok.head
    return False


def _told_object(verb) -> str:
    obj = next((c for c in verb.children if c.dep_ in ("dative", "dobj")), None)
    if obj is None:
        return ""
    lo, hi = _np_range(obj)
    return verb.doc[lo:hi].text


def _document_medium(verb) -> str | None:
    """ "a report" in "said in a report" / "wrote in a memo" (a document noun after "in")."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.lemma_.lower() in _DOC_NOUNS - {"statement", "statements"}:
                lo, hi = _np_range(pobj)
                return verb.doc[lo:hi].text
    return None


# ---------------------------------------------------------------------------------------------
# Indirect (reported) speech
# ---------------------------------------------------------------------------------------------
def _content_range(comp, verb) -> tuple[int, int]:
    """Token range of a clausal complement without its complementiser "that" and edge punctuation."""
    doc = comp.doc
    lo, hi = comp.left_edge.i, comp.right_edge.i + 1
    if hi > verb.i > lo:  # should not happen for a child, but guard the span
        hi = verb.i
    lo, hi = _trim(doc, lo, hi)
    # a semicolon closes the reported clause: what follows is the reporter's next sentence
    semi = next((k for k in range(lo, hi) if doc[k].text == ";"), None)
    if semi is not None and semi > lo:
        lo, hi = _trim(doc, lo, semi)
    # "said, as heard in the audio, that ...": the words start after the complementiser
    mark = next((c for c in comp.children if c.dep_ == "mark" and c.lower_ == "that"), None)
    if mark is not None and lo < mark.i < comp.i and any(doc[k].text == "," for k in range(lo, mark.i)):
        lo = mark.i
    # (a complementiser the parser took for the object: "that/dobj Hillary Clinton/nsubj lied")
    while lo < hi and doc[lo].lower_ == "that" and doc[lo].head.i == comp.i and (
            doc[lo].dep_ == "mark" or (doc[lo].dep_ == "dobj" and any(
                c.dep_ in _SUBJ_DEPS and lo < c.i < comp.i for c in comp.children))):
        lo += 1
        lo, hi = _trim(doc, lo, hi)
    # A coordinated or comma-attached piece at the end that reports speech of its own ("... and
    # told him that ...", "..., with sources saying that ...", "..., citing ...") is another
    # report, not these words.
    for t in doc[lo:hi]:
        if t.right_edge.i + 1 < hi or t.left_edge.i <= lo or t.dep_ not in ("conj", "prep", "advcl", "acl"):
            continue
        before = doc[t.left_edge.i - 1]
        if not (before.text in (",", ";", "\u2014", "-") or before.dep_ == "cc"):
            continue
        own_report = any(u.i != comp.i and _is_cue(u) and any(c.dep_ == "ccomp" for c in u.children)
                         for u in t.subtree)
        participle = before.text == "," and t.tag_ == "VBG" and not any(c.dep_ == "mark" for c in t.children) and (
            t.lemma_.lower() == "cite" or _cue_module().is_cue_lemma(t.lemma_))
        if own_report or participle:
            cut = t.left_edge.i
            while cut > lo and (doc[cut - 1].is_punct or doc[cut - 1].dep_ == "cc"):
                cut -= 1
            if cut > lo:
                lo, hi = _trim(doc, lo, cut)
            break
    return _without_trailing_relative(doc, lo, hi)


def _without_trailing_relative(doc, lo: int, hi: int) -> tuple[int, int]:
    """[lo, hi) without a comma-attached relative clause closing it ("... to clamp down on the
    compensation culture[, which has brought ...]"): the reporter's aside more often than the
    speaker's words (PolNeAR train: 72 gold contents end before one, 41 include it)."""
    for k in range(hi - 1, lo, -1):
        t = doc[k]
        if t.dep_ != "relcl" or t.right_edge.i + 1 < hi:
            continue
        first = doc[t.left_edge.i]
        before = doc[t.left_edge.i - 1] if t.left_edge.i > lo else None
        # the relative pronoun itself, not an interrogative ("..., and if so, which judge it should be")
        if before is not None and before.text in (",", "\u2014", "-") and first.lower_ in ("which", "who", "whom", "whose") \
                and first.dep_ != "det" and t.left_edge.i - 2 >= lo and (
                    t.head.i == t.left_edge.i - 2 or t.head.is_ancestor(doc[t.left_edge.i - 2])):
            cut = t.left_edge.i - 1  # (the noun it describes ends right before the comma)
            if cut - lo >= 3:
                return _trim(doc, lo, cut)
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
        entities: the article's :class:`~newstrace.entities.EntityAnalysis`.
        include_reports: also return what an outlet or a document reports ("CBS News reported
            that ...", "..., according to the AP") as indirect speech of that outlet/document.
            Off by default: those are attributions (:func:`extract_attributions`); PolNeAR-style
            evaluations, which count them as content, turn it on.
        include_beliefs: also return beliefs and expectations ("analysts expect (that) rates will
            rise", cue verbs in :data:`newstrace.cues.BELIEF_VERBS`, not inside someone's reported
            speech) and requests made to someone ("urged the department to process ...", "asked
            him to step aside"). Off by default: they are not reports of what was said; PARC and
            PolNeAR count them as attributions.
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
    res = _Resolver(doc, article, entities)
    quoted = _Quoted(article.text, blocks=False)
    text = article.text
    out: list[Quote] = []
    spans: set[tuple[int, int]] = set()

    def emit(lo, hi, cue_tok, speaker_src: _Source | None, mention_rng, cue: str, via: str | None):
        lo, hi = _without_trailing_relative(doc, *_trim(doc, lo, hi))
        # "..., according to an ABC 13 News report" closing the content is the channel, not the words
        for k in range(lo + 1, hi):
            if doc[k].lower_ == "according" and doc[k].right_edge.i + 1 >= hi:
                to = next((c for c in doc[k].children if c.lower_ == "to"), None)
                pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
                if pobj is not None and via is None:
                    src = res.source(pobj)
                    via = src.name if src.kind in ("outlet", "document") else via
                lo, hi = _trim(doc, lo, k)
                break
        # 'He said X: "..."' -- the quotation after the colon is a direct quote of its own
        for k in range(lo + 1, hi - 1):
            if doc[k].text == ":" and (doc[k + 1].text[:1] in '"\u201c\u00ab\u2018' or quoted.inside(doc[k + 1].idx)):
                lo, hi = _trim(doc, lo, k)
                break
        if hi <= lo:
            return
        s, e = _span_chars(doc, lo, hi)
        if (s, e) in spans:
            return
        if quoted.inside(s):
            return  # a direct quote: the quotes extractor owns it
        spans.add((s, e))
        seg = text[s:e]
        if seg.count("\u201c") > seg.count("\u201d") or seg.count('"') % 2:
            # a quotation closing with the words: keep its closing mark ('he was "obliged ..."')
            close = re.match('[,.!?]?["\u201d]', text[e:e + 2])
            if close:
                e += close.end()
        q = Quote(article_id=article.id, kind="indirect", text=text[s:e], start=s, end=e,
                  speaker=speaker_src.name if speaker_src else None,
                  speaker_kind=_speaker_kind(speaker_src.kind) if speaker_src else "unknown",
                  cue=cue, via=via, sentence=cue_tok.sent.text.strip(),
                  raw_start=article.to_raw(s), raw_end=article.to_raw(e - 1) + 1)
        if speaker_src is not None and mention_rng is not None:
            ms, me = _span_chars(doc, *mention_rng)
            q.speaker_mention = text[ms:me]
            q.speaker_start, q.speaker_end = ms, me
            q.speaker_entity = speaker_src.entity
        out.append(q)

    for tok in doc:
        if tok.pos_ == "NOUN" and not quoted.inside(tok.idx):
            _noun_cue(tok, res, emit)
            continue
        if quoted.inside(tok.idx) or _inside_name(tok):
            continue
        cues = _cue_module()
        belief = False
        if not _is_cue(tok):
            belief = include_beliefs and cues.is_belief(tok) and not _inside_reported_speech(tok)
            if not belief and not (include_reports and tok.lemma_.lower() in _EVIDENCE_VERBS
                                   and tok.pos_ == "VERB"):
                continue
        comps = [c for c in tok.children if c.dep_ == "ccomp"]
        clear = cues.make_clear(tok)
        if clear is not None:
            # "Ham made it clear he had major misgivings": the clause under "clear" or beside it
            comps = [c for c in (*clear.children, *tok.children)
                     if c.dep_ in ("ccomp", "advcl") and c.i > clear.i and c.i != clear.i]
        paren = as_clause = False
        ranges: list[tuple[int, int]] = []  # content ranges found by other frames than a ccomp
        if not comps and not belief:
            displaced = _displaced_that_clause(tok)
            if displaced is not None:
                ranges = [displaced]
        if not comps and tok.dep_ == "parataxis" and tok.head.pos_ in ("VERB", "AUX"):
            comps, paren = [tok.head], True
        if not comps and not belief and not ranges:
            ranges = _other_frames(tok, cues, requests=include_beliefs)
            if not ranges:
                continue
        if not comps and not ranges:
            continue
        subj, passive = _subject_of(tok)
        if belief and (subj is None or passive or subj.lower_ in _FIRST_SECOND or quoted.inside(subj.idx)):
            continue  # "I think ...", "it is believed that ...": the writer's voice, nobody to credit
        speaker, mention = None, None
        if subj is not None and not passive and subj.lower_ not in _RELATIVE:
            speaker = res.source(subj)
            mention = _np_range(subj)
            if mention[1] > mention[0]:  # the words used, with an apposition ("X, chief economist at Y")
                mention = (mention[0], cues.mention_end(subj, *mention, limit=tok.i if subj.i < tok.i else None))
            conjs = [c for c in subj.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "PRON")]
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
                mention = (mention[0], max(_np_range(c)[1] for c in conjs))
                while mention[0] < mention[1] and doc[mention[0]].dep_ == "preconj":
                    mention = (mention[0] + 1, mention[1])
                ms, me = _span_chars(doc, *mention)
                speaker = _Source(" and ".join(p.name for p in parts), kinds.pop() if len(kinds) == 1 else "unknown",
                                  ms, me, None, all(p.named for p in parts))
        elif passive:
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if pobj is not None:
                speaker, mention = res.source(pobj), _np_range(pobj)
            else:
                continue  # "it was reported that ...", "he was told that ...": nobody to credit
        if speaker is not None and speaker.kind in ("outlet", "document") and not include_reports:
            continue  # an outlet's or a document's report is an attribution, not reported speech
        if not belief and not _is_cue(tok) and (speaker is None or speaker.kind not in ("outlet", "document")):
            continue  # "the poll shows that ...": only a document or an outlet states findings
        via = _via(tok, res)
        folded = _tell_recipient(tok, res)
        if folded is not None:
            via = via or folded[2].name
        cue = _cue_phrase(tok) if not belief and _is_cue(tok) else _cue_words(tok)
        if clear is not None:
            cue = f"{tok.text} clear"
        if ranges and (subj is None or (subj.pos_ == "NOUN" and subj.text.islower() and not subj.ent_type_
                                        and not _names_people(subj) and subj.lemma_.lower() not in _BODY_NOUNS
                                        and speaker is not None and speaker.kind == "unknown")):
            ranges = []  # "the costs promise to swell", "a close look suggests": no one speaking
        for lo, hi in ranges:
            emit(lo, hi, tok, speaker, mention, cue, via)
        for comp in comps:
            if paren:
                # "The plan, he said, will fail": the host clause around the parenthetical
                lo, hi = comp.left_edge.i, comp.right_edge.i + 1
                p_lo, p_hi = tok.left_edge.i, tok.right_edge.i + 1
                if p_lo <= lo or p_hi >= hi:
                    lo, hi = (p_hi, hi) if p_lo <= lo else (lo, p_lo)
                elif sum(not t.is_punct for t in doc[p_hi:hi]) <= 3 and not any(
                        t.pos_ in ("VERB", "AUX") for t in doc[p_hi:hi]):
                    hi = p_lo  # "It had to be brought together, he added, saying ...": the words precede
                elif any(t.dep_ in _SUBJ_DEPS or t.dep_ == "expl" for t in doc[lo:p_lo]):
                    pass  # "That, she explained, is by design": the whole clause around it
                elif sum(not t.is_punct for t in doc[lo:p_lo]) <= 3:
                    lo = p_hi  # "Now, he said, the gaming world rivals ...": the words follow
                elif sum(not t.is_punct for t in doc[p_hi:hi]) <= 3:
                    hi = p_lo
            else:
                lo, hi = _content_range(comp, tok)
                if folded is not None and lo < folded[1]:
                    lo = folded[1]
            emit(lo, hi, tok, speaker, mention, cue, via)

    # "according to X, ...": the rest of the clause is X's, unless a cue verb of that clause
    # already reports it ("He added that ..., according to an Axios report" gives via instead).
    for tok in doc:
        if tok.lower_ != "according" or quoted.inside(tok.idx):
            continue
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if pobj is None:
            continue
        head = tok.head
        if head.i == tok.i:
            continue
        while head.pos_ not in ("VERB", "AUX") and head.dep_ not in ("ROOT",) and head.head.i != head.i:
            head = head.head
        # "A, but B, according to X" closing the sentence: X is the source of both clauses
        while head.dep_ == "conj" and head.head.pos_ in ("VERB", "AUX") and tok.i > head.i \
                and tok.right_edge.i + 2 >= head.head.right_edge.i:
            head = head.head
        if any(t.pos_ in ("VERB", "AUX") and _is_cue(t) and any(c.dep_ == "ccomp" for c in t.children)
               for t in head.subtree if not (tok.i <= t.i <= tok.right_edge.i)):
            continue  # reported speech of that clause's own cue verb: the source is its via
        src = res.source(pobj)
        if src.kind in ("outlet", "document") and not include_reports:
            continue  # "..., according to the AP": an attribution, not reported speech
        if pobj.lemma_.lower() in _SPEECH_NOUNS:
            continue  # "according to a statement" names nobody
        lo, hi = head.left_edge.i, head.right_edge.i + 1
        a_lo, a_hi = tok.i, tok.right_edge.i + 1
        if a_lo <= lo:
            lo = a_hi
        elif a_hi >= hi:
            hi = a_lo
        else:  # mid-clause: keep the longer side
            lo, hi = (lo, a_lo) if a_lo - lo >= hi - a_hi else (a_hi, hi)
        emit(lo, hi, tok, src, _np_range(pobj), "according to", None)

    if include_nominal:
        # "Sanders has accused Clinton of being influenced by special interest groups"
        for tok in doc:
            if tok.pos_ != "VERB" or quoted.inside(tok.idx) or _inside_name(tok):
                continue
            rng = _nominal_content(tok, _cue_module())
            if rng is None:
                continue
            subj, passive = _subject_of(tok)
            if subj is None or passive or subj.lower_ in _RELATIVE or subj.lower_ in _FIRST_SECOND \
                    or quoted.inside(subj.idx):
                continue
            src = res.source(subj)
            if src.kind in ("outlet", "document") and not include_reports:
                continue
            mention = _np_range(subj)
            if mention[1] > mention[0]:
                mention = (mention[0], _cue_module().mention_end(
                    subj, *mention, limit=tok.i if subj.i < tok.i else None))
            emit(*rng, tok, src, mention, _cue_words(tok), None)

    out.sort(key=lambda q: (q.start, q.end))
    return out


def _displaced_that_clause(verb) -> tuple[int, int] | None:
    """The that-clause a cue verb reports when the parser hung the cue's clause under it: "The
    nominee continues to insist, most recently in an interview with ABC News, that he really
    wants to release his taxes" parsed with "continues" as a complement of "wants". Token range
    from after "that" to the end of the host clause, without the cue's own clause; else None."""
    x = verb
    for _ in range(4):
        if x.dep_ == "ccomp" and x.head.i != x.i:
            host = x.head
            mark = next((c for c in host.children if c.dep_ == "mark" and c.lower_ == "that"), None)
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


# Prepositions that introduce what a speech verb is about: "warned of ...", "talked about ...".
_TOPIC_PREPS = frozenset("about of on against for over".split())


def _nominal_content(verb, cues) -> tuple[int, int] | None:
    """Token range of a noun-phrase content of a speech verb without a clause: "accused [Clinton
    of being too cozy with Wall Street]", "praised [the efforts of ...]", "denied [the
    allegations]", "warned of [a recession]", "talked about [the stock market]"; else None."""
    cls = cues.cue_class(verb.lemma_)
    if cls is None or cls == "tell" or any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in verb.children):
        return None
    doc = verb.doc
    dobj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if dobj is not None and cls in ("describe", "deny", "confirm", "claim", "warn", "report"):
        extra = [c for c in verb.children if c.i > dobj.i and (
            c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ in ("of", "for", "as")))]
        if verb.lemma_.lower() == "call" and not any(c.dep_ == "oprd" for c in extra):
            return None  # "called a meeting", "called snap elections"
        if dobj.pos_ == "PRON" and not extra:
            return None  # "denied it": the content was given before
        hi = max([dobj.right_edge.i] + [c.right_edge.i for c in extra]) + 1
        return _trim(doc, dobj.left_edge.i, hi)
    if cls in ("say", "ask", "warn", "claim", "describe", "deny", "write", "add"):
        for c in verb.rights:
            if c.dep_ in ("prt", "advmod", "punct") and c.i <= verb.i + 2:
                continue
            if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS and c.i <= verb.i + 2:
                pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None and pobj.pos_ != "PRON":
                    return _trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
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
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "dative") and verb.i < c.i < inf.i), None)
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
            if c.dep_ != "advcl" or c.left_edge.i > hi + 1 or _is_cue(c) or any(
                    g.dep_ in ("mark", "nsubj", "nsubjpass") for g in c.children):
                break
            hi = c.right_edge.i + 1
        return [_trim(doc, lo, hi)]
    cls = cues.cue_class(verb.lemma_)
    if cls in ("say", "claim", "confirm", "add", "report"):
        x = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i and c.tag_ == "VBG"
                  and any(g.dep_ == "ccomp" for g in c.children)), None)
        if x is not None:
            return [_trim(doc, x.left_edge.i, x.right_edge.i + 1)]
    if verb.dep_ == "advcl" and verb.i < verb.head.i and any(
            c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) and not any(
            c.dep_ in ("dobj", "xcomp", "ccomp", "agent") for c in verb.children) \
            and not cues.cue_class(verb.lemma_) in ("add", "ask", "describe") \
            and any(c.dep_ == "nsubj" for c in verb.children):
        host = verb.head  # "As Crane said, [the two standard-bearers have become ...]"
        lo, hi = verb.right_edge.i + 1, host.right_edge.i + 1
        if host.left_edge.i < verb.left_edge.i:
            return []
        return [_trim(doc, lo, hi)]
    return []


def _inside_name(tok) -> bool:
    """A capitalised verb form inside a name ("the North East Says No campaign")."""
    if not tok.text[:1].isupper() or tok.is_sent_start or tok.i == 0 or tok.i + 1 >= len(tok.doc):
        return False
    prev, nxt = tok.doc[tok.i - 1], tok.doc[tok.i + 1]
    return prev.text[:1].isupper() and nxt.text[:1].isupper() and not prev.is_sent_start


def _noun_cue(noun, res: "_Resolver", emit) -> None:
    """A speech noun with a that-clause and a stated owner: "his claim that ...", "Smith's
    warning that ...", "a statement by the department that ..."."""
    cues = _cue_module()
    lemma = noun.lemma_.lower()
    if not (cues.is_cue_lemma(lemma) or lemma in ("statement", "remark", "comment", "warning",
                                                   "assertion", "allegation", "suggestion")):
        return
    comp = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i
                 and any(m.dep_ == "mark" and m.lower_ == "that" and m.i == noun.i + 1
                         for m in c.children)
                 and any(g.dep_ in _SUBJ_DEPS or g.dep_ == "expl" for g in c.children)), None)
    if comp is None:
        return  # ("that there have been ...": an expletive subject is a clause too)
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        owner = next((c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    if owner is None:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in ("by", "from"):
                owner = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if owner is None:
        return
    src = res.source(owner)
    if src.kind in ("outlet", "document"):
        return
    lo, hi = _content_range(comp, noun)
    emit(lo, hi, noun, src, _np_range(owner), noun.text, None)


def _speaker_kind(kind: str) -> str:
    return kind if kind in ("person", "organisation", "anonymous", "outlet") else "unknown"


def _via(verb, res: _Resolver) -> str | None:
    """The outlet a statement came through: the outlet told ("told CNN"), an interview with an
    outlet, or an "according to <outlet>" in the same clause."""
    for child in verb.children:
        target = None
        if child.dep_ in ("dative", "dobj") and verb.lemma_.lower() == "tell":
            target = child
        elif child.dep_ in ("prep", "dative") and child.lower_ in ("to", "with", "in"):
            target = next((c for c in child.children if c.dep_ == "pobj"), None)
            if target is not None and target.lemma_.lower() == "interview":
                prep = next((c for c in target.children if c.dep_ == "prep"), None)
                target = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        elif child.lower_ == "according":
            to = next((c for c in child.children if c.lower_ == "to"), None)
            target = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if target is not None:
            src = res.source(target)
            if src.kind == "outlet":
                return src.name
    # "according to" attached higher in the clause ("..., according to a Townhall report")
    for anc in verb.ancestors:
        for child in anc.children:
            if child.lower_ == "according":
                to = next((c for c in child.children if c.lower_ == "to"), None)
                target = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
                if target is not None:
                    src = res.source(target)
                    if src.kind == "outlet":
                        return src.name
    return None
