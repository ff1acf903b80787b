"""Quotes and speakers: what an article reports as said, written or posted, and by whom (issue 3).

:func:`extract_quotes` reads one spaCy parse of ``article.text`` and returns
:class:`~newstrace.models.Quote` records of five kinds:

* ``direct``: quoted sentences. Quote marks are paired paragraph by paragraph
  (:mod:`newstrace.extract.quote_marks`: curly and straight, an unbalanced mark never breaks the
  article); a quote running over several
  paragraphs follows the news convention (each paragraph re-opens the mark, only the last one
  closes) and gives one record per paragraph with the same speaker; a quote broken by its cue
  (``"A," he said, "B."``) is one record whose ``parts`` are the pieces (issue 15).
* ``partial``: a quoted fragment inside the reporter's own sentence, kept only when a speaker can
  be found (scare quotes and titles have none); inside an indirect quote it is that quote's
  child (``parent``).
* ``block``: a paragraph or run of paragraphs quoted from an outlet or document (``The Washington
  Times reported:`` + a quoted or unmarked passage). Quotes nested inside (single marks) and
  reported speech inside are their own records with ``parent`` = the block's index and ``via``
  = the block's source.
* ``post``: one record per embedded social-media post (``article.posts``).
* ``indirect``: reported speech, from :func:`newstrace.extract.reported.extract_indirect`; an
  indirect quote overlapping a direct one is dropped; with ``include_beliefs`` also beliefs,
  intentions, decisions and evidence, each with its ``act``.

Nothing in page furniture ("READ MORE:", "WATCH:" lines) or a photo caption is a quote.

The speaker is found from the dependency parse around the quote (:mod:`newstrace.extract.speakers`):
the subject of a cue verb (:mod:`newstrace.extract.cues`) in the text framing the quote (before the opening or after the closing
mark, in the same sentence), the passive agent, the name in an apposition ("One of those
professors, Ahilan Arulananthem, told ..."), the head of a relative clause ("X, who ..., said"),
inverted order ("said Magnus"), "according to X", a dash attribution (``"..." — Chief X``) and a
colon ending the previous paragraph (``X said:``). A quote with no cue of its own continues the
previous speaker (a "floating" quote). The speaker words are resolved to a canonical name and a
kind by the article's :class:`~newstrace.extract.entities.EntityAnalysis`.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from . import cues
from .doc_index import children, doc_index
from .lexicon import RELATIVE, TITLE_ABBREV, names_people
from ..models import Article, Quote
from .outlets import outlet_or_none
from .reported import extract_indirect
from .quote_marks import (
    CLOSE_DOUBLE, DASHES, OPEN_DOUBLE, quote_chains, paragraphs, Region, scan, strip_region,
)
from .speakers import (
    PRONOUNS, Speaker, SpeakerResolver, according_to, bare_attribution, bare_attribution_verb, noun_source,
)


__all__ = ["drop_negated", "extract_quotes", "nest_partials"]


_SENT_END = ".?!"


# Words that make a quoted fragment read as a name or title rather than someone's words.
_MIN_PARTIAL_CHARS = 3


# A short sentence right after a quote ending in a full stop can still be its attribution.
_SHORT_TAIL_WORDS = 6
# The attribution of a quotation is looked for this many tokens each side of it at most.
_FRAME_TOKENS = 40
# Sentence boundaries are looked for this far from a quotation at most.
_MAX_SENTENCE_CHARS = 1500
# Cues that go on with the speaker already quoted ("he added", "she continued").
_CONTINUING = frozenset({"add", "continue"})
# Floating quotes inherit the previous speaker only this many paragraphs back.
_FLOAT_PARAGRAPHS = 2


# ---------------------------------------------------------------------------------------------
# Token helpers
# ---------------------------------------------------------------------------------------------
class _Index:
    """Character offsets -> tokens of one Doc."""

    def __init__(self, doc) -> None:
        self.doc = doc
        index = doc_index(doc)
        self.toks = index.tokens
        self.starts = index.offsets  # (shared: read-only here)

    def tokens_in(self, lo: int, hi: int):
        i = bisect.bisect_left(self.starts, lo)
        out = []
        while i < len(self.starts) and self.starts[i] < hi:
            out.append(self.toks[i])
            i += 1
        return out

    def token_at(self, offset: int):
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return None
        return self.toks[i]


def _attachment_roots(index: _Index, r: Region) -> list:
    """The quoted tokens whose head lies outside the quote: where the quote attaches to the parse."""
    toks = index.tokens_in(r.start, r.end)
    inside = {t.i for t in toks}
    heads = doc_index(index.doc).heads  # t.head builds a new Token on every read
    return [t for t in toks if heads[t.i] not in inside or heads[t.i] == t.i]


def _nominal_speaker(res: SpeakerResolver, index: _Index, r: Region, frame_toks) -> Speaker | None:
    """The speaker of a quoted fragment governed by a noun or verb with a stated source:
    'claims from Michael Howard that he led a "grubby government"', 'Howard's "grubby
    government" jibe', 'Sir Alan Budd found a "chain of events"'."""
    frame = {t.i for t in frame_toks}
    roots = _attachment_roots(index, r)
    for root in roots[:2]:
        anc = root.head
        for _ in range(5):
            if anc.i not in frame:
                break
            if anc.pos_ == "NOUN" and anc.lemma_.lower() in cues.SPEECH_NOUNS:
                src = noun_source(anc)
                if src is not None:
                    sp = res.speaker_from_head(src, None, anc.text)
                    if sp.kind != "unknown" or src.pos_ == "PROPN":
                        return sp
            if anc.pos_ == "VERB" and res.entities is not None:
                subj = next((c for c in anc.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.lower_ not in PRONOUNS and subj.lower_ not in RELATIVE:
                    sp = res.speaker_from_head(subj, None, anc.text)
                    if sp.kind in ("person", "anonymous") and sp.entity is not None or sp.kind == "anonymous":
                        return sp
            if anc.head.i == anc.i:
                break
            anc = anc.head
    return None


def _is_cue_near_quote(tok) -> bool:
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    if cues.is_cue(tok):
        return True
    return False


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` lies in one of the sorted, non-overlapping ``spans``."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def _frame_tokens(index: _Index, text: str, lo: int, hi: int, quoted: list[tuple[int, int]],
                  limit: int | None = None, from_end: bool = False):
    """Tokens in [lo, hi) outside quoted spans (at most ``limit``, nearest ``hi`` if from_end)."""
    i = bisect.bisect_left(index.starts, lo)
    j = bisect.bisect_left(index.starts, hi)
    order = range(j - 1, i - 1, -1) if from_end else range(i, j)
    out = []
    for k in order:
        if _inside(quoted, index.starts[k]):
            continue
        out.append(index.toks[k])
        if limit is not None and len(out) >= limit:
            break
    if from_end:
        out.reverse()
    return out


_CLOSE_MARKS = CLOSE_DOUBLE + '"'


def _sentence_start_before(text: str, lo: int, pos: int, quoted: list[tuple[int, int]]) -> int:
    """Start of the reporter's sentence that contains offset ``pos`` (within [lo, pos))."""
    k = pos - 1
    lo = max(lo, pos - _MAX_SENTENCE_CHARS)  # a longer "sentence" is a list or a broken text
    while k >= lo:
        ch = text[k]
        if ch in _SENT_END and not _inside(quoted, k) and not is_abbreviation(text, k):
            nxt = text[k + 1] if k + 1 < len(text) else " "
            if nxt.isspace() or nxt in CLOSE_DOUBLE + '"':
                # a closing quote right after: the sentence ended inside the quote
                return k + 1 if nxt.isspace() else k + 2
        if (ch in _CLOSE_MARKS and k > lo and text[k - 1] in _SENT_END and text[k + 1:k + 2].isspace()
                and text[k + 2:k + 3].isupper() and not _inside(quoted, k + 1)):
            return k + 1  # a quoted sentence ended the previous one: '... the future." The prime minister'
        k -= 1
    return lo


def is_abbreviation(text: str, k: int) -> bool:
    """The full stop at ``k`` ends a title or an initial ("Rep. Gwen Moore", "G.K. Butterfield")."""
    if text[k] != ".":
        return False
    j = k
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:k + 1].lower()
    nxt = text[k + 1:k + 3].lstrip()[:1]
    if word in _MONTH_ABBREVIATIONS:
        return nxt.isdigit() or nxt.islower()  # "published Oct. 25, the", "told VOA on Nov. that the"
    if word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)+", word):
        # before a capital, a title or an initial ("Rep. Gwen Moore"); before a small letter, no
        # sentence starts either ("the U.S. military")
        return nxt.isupper() or nxt.islower()
    return False


# Months written short with a full stop (AP style: "Oct. 25", "on Nov. that").
_MONTH_ABBREVIATIONS = frozenset({"jan.", "feb.", "aug.", "sept.", "sep.", "oct.", "nov.", "dec."})


def _sentence_end_after(text: str, pos: int, hi: int, quoted: list[tuple[int, int]]) -> int:
    k = pos
    hi = min(hi, pos + _MAX_SENTENCE_CHARS)
    while k < hi:
        ch = text[k]
        if ch in _SENT_END and not _inside(quoted, k) and not is_abbreviation(text, k):
            nxt = text[k + 1] if k + 1 < hi else " "
            if nxt.isspace():
                return k + 1
        if ch in OPEN_DOUBLE:
            return k
        k += 1
    return hi


# ---------------------------------------------------------------------------------------------
# The stage
# ---------------------------------------------------------------------------------------------
@dataclass
class _Found:
    """A quote before it becomes a Quote: content span, kind, speaker, links."""

    kind: str
    start: int
    end: int
    speaker: Speaker | None
    block: _Found | None = None  # enclosing block
    sentence: tuple[int, int] | None = None
    chain_id: int = -1
    floating: bool = False
    post_index: int | None = None
    parts: list[tuple[int, int]] = field(default_factory=list)  # a quote broken by its cue
    act: str = "speech"
    negated: bool = False  # a negated or refused report ("did not say that ...")
    form: str = "quoted"  # an indirect quote's content: "clause" or "noun_phrase" (models.FORMS)


def _content_has_clause(index: _Index, start: int, end: int) -> bool:
    toks = index.tokens_in(start, end)
    return any(t.pos_ in ("VERB", "AUX") and t.morph.get("VerbForm") in (["Fin"],) for t in toks) \
        or any(t.dep_ in ("nsubj", "nsubjpass") for t in toks)


def extract_quotes(doc, article: Article, *, entities=None, include_beliefs: bool = False,
                   include_nominal: bool = False) -> list[Quote]:
    """Find the direct, partial, block, post and indirect quotes of one article with speakers.

    Args:
        doc: the spaCy Doc of ``article.text`` (parsed by :func:`newstrace.nlp.load_nlp`).
        article: the cleaned article.
        entities: the article's :class:`~newstrace.extract.entities.EntityAnalysis`; speakers are
            resolved to canonical names with it. Without it, speakers are the words used.
        include_beliefs: also return beliefs, intentions, decisions and evidence ("analysts
            expect ...", "he wants to ...", "the court ruled ...", "polls show ...") as indirect
            quotes with their ``act`` (see :func:`newstrace.extract.reported.extract_indirect`).
        include_nominal: also return reports with a noun-phrase content ("accused Clinton of ...").
    Returns:
        Quotes in text order (posts last); offsets into ``article.text``; ``parent`` indexes
        into the returned list (the block a quote is nested in, the indirect quote a partial
        quote sits in); a direct quote broken by its cue ('"A," he said, "B."') is one record
        whose ``parts`` are the pieces' spans and whose ``text`` is the pieces joined.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> text = '"We will not resign," Magnus told the Los Angeles Times.'
    >>> art = Article(id="a1", source="x", raw_text=text, text=text)  # doctest: +SKIP
    >>> q = extract_quotes(load_nlp()(text), art)[0]  # doctest: +SKIP
    >>> (q.kind, q.text, q.speaker, q.cue)  # doctest: +SKIP
    ('direct', 'We will not resign,', 'Magnus', 'told the Los Angeles Times')
    """
    text = article.text
    if doc is None or not text:
        return _post_quotes(article, [])
    index = _Index(doc)
    paras = paragraphs(text)
    para_starts = [p[0] for p in paras]
    chains = doc_index(doc).of_text(quote_chains, text)  # read by the entity stage too: scanned once
    quoted = sorted((r.open, (r.close + 1) if r.close is not None else r.end) for ch in chains for r in ch)
    res = SpeakerResolver(doc, article, entities, quoted)

    found: list[_Found] = []
    blocks: list[_Found] = []

    furniture = _furniture(doc, text, paras)
    turns = _transcript_turns(text, paras, chains, skip=furniture)
    labels = _own_labels(index, text, chains)
    for cid, chain in enumerate(chains):
        if any(r.start in turns for r in chain) or any(lo < chain[0].start < hi for _, lo, hi in turns.values()):
            continue  # a transcript: each speaker turn is its own quote (below), quotes inside it none
        first, last = chain[0], chain[-1]
        plo, phi = paras[first.para]
        # Frame before: from the start of the reporter's sentence to the opening mark.
        lead_lo = _sentence_start_before(text, plo, first.open, quoted)
        lead_toks = _frame_tokens(index, text, lead_lo, first.open, quoted, _FRAME_TOKENS, True)
        llo, lhi = paras[last.para]
        tail_lo = (last.close + 1) if last.close is not None else last.end
        sent_end = None if last.close is None else _sentence_end_after(text, tail_lo, lhi, quoted)
        tail_hi = lhi if sent_end is None else sent_end
        tail_toks = _frame_tokens(index, text, tail_lo, tail_hi, quoted, _FRAME_TOKENS)
        if last.close is None or (_ends_sentence(text, last, lhi)
                                  and len(text[tail_lo:tail_hi].split()) > _SHORT_TAIL_WORDS
                                  and not bare_attribution(tail_toks)):
            # The quoted sentence ended the reporter's sentence; what follows is a new one
            # (unless it is a bare attribution: '"...." Magnus said.', '"...?" Trump told
            # Britain's ITV television station in an interview ...').
            tail_hi, tail_toks = tail_lo, []
        lead_text = text[lead_lo:first.open].strip()

        speaker = _digest_speaker(res, index, text, plo, first.open)
        if speaker is None and lead_text.endswith(":"):
            # a relative frame before the colon speaks, not the verb above it ('..., to which O'Malley
            # interjected: "..."'): read before _governing_speaker (why twice: _framing_verb_speaker)
            clause, as_clause = _trailing_frame_clause(lead_toks)
            if clause and not as_clause:
                speaker = _bare_clause_speaker(res, clause)
        if speaker is None:
            speaker = _governing_speaker(res, index, first, lead_toks + tail_toks)
        if speaker is None:
            speaker = _find_speaker(res, index, text, lead_toks, tail_toks, tail_lo, tail_hi,
                                    tail_first=not lead_text or lead_text[-1] not in ":,")
        if speaker is None:
            frame_tail = tail_toks if tail_hi > tail_lo or sent_end is None else _frame_tokens(
                index, text, tail_lo, sent_end, quoted, _FRAME_TOKENS)
            speaker = _framing_verb_speaker(res, text, first, last, lead_text, lead_toks, frame_tail)
        if speaker is None and last.close is not None and not text[last.close + 1:lhi].strip() \
                and last.para + 1 < len(paras):
            speaker = _signature_speaker(res, index, text, paras[last.para + 1])
        colon_block = False
        if speaker is None and not lead_text and first.para > 0:
            speaker, colon_block = _colon_intro(res, index, text, paras, first.para, quoted)
        if speaker is None and not lead_text:
            speaker = _previous_sentence_speaker(res, index, text, paras, first, lead_lo, quoted)
        # Kind: a full quotation, or a fragment inside the reporter's sentence.
        content = text[first.start:first.end]
        starts_upper = bool(re.match(r"\W*[A-Z0-9\[]", content))
        is_direct = (
            len(chain) > 1
            or not lead_text
            or (lead_text[-1] in ":," + DASHES and starts_upper)
            or (starts_upper and _content_has_clause(index, first.start, first.end)
                and len(content.split()) >= 5)
        ) and not _opens_that_clause(index, first, lead_text)
        if colon_block and speaker is not None and speaker.name is not None and (
                speaker.kind == "outlet" or _is_document(doc, speaker)):
            f = _Found("block", first.start, last.end, speaker, chain_id=cid)
            found.append(f)
            blocks.append(f)
            continue
        kind = "direct" if is_direct else "partial"
        if kind == "partial" and (_looks_like_title(index, first) or _is_label(index, first, content, labels)):
            continue  # a title ('MSNBC's "Morning Joe"') or a label ('a "phase one" deal'), not words said
        if kind == "partial" and (speaker is None or speaker.name is None):
            speaker = _nominal_speaker(res, index, first, lead_toks + tail_toks)
        if kind == "partial" and speaker is None:
            continue  # a scare quote, a title or a name: nobody's words
        for r in chain:
            found.append(_Found(kind, r.start, r.end, speaker, chain_id=cid))

    # Transcript turns ("WALLACE: ...", "PENCE: ..."), quoted or not: direct quotes of the
    # labelled speaker; stage directions ("(CROSSTALK)") are nobody's words.
    for start, (label, c_lo, c_hi) in sorted(turns.items()):
        if c_hi > c_lo and not re.fullmatch(r"\(.*\)\W*", text[c_lo:c_hi].strip()):
            found.append(_Found("direct", c_lo, c_hi, _label_speaker(res, label, start)))

    # Unmarked block: "The Times reported:" followed by a paragraph without quote marks.
    for p in range(1, len(paras)):
        lo, hi = paras[p]
        if any(lo <= f.start < hi for f in found) or any(lo <= t < hi for t in turns):
            continue
        if any(a < hi and b > lo for a, b in quoted):
            continue
        sp, is_block = _colon_intro(res, index, text, paras, p, quoted)
        if sp is not None and is_block and sp.name is not None and (
                sp.kind == "outlet" or _is_document(doc, sp)):
            f = _Found("block", lo, hi, sp)
            found.append(f)
            blocks.append(f)

    # Nested quotes inside blocks (single marks inside double): their own speakers, via the block.
    for b in blocks:
        found.extend(_nested_quotes(res, index, text, b, quoted))

    _join_broken(text, found, index)
    # Indirect quotes from the attributions module.
    found.extend(_indirect(doc, article, entities, found, blocks, include_beliefs=include_beliefs,
                           include_nominal=include_nominal))

    if furniture:  # nothing said in a "READ MORE:" line or a photo caption is the article's quote
        found = [f for f in found if bisect.bisect_right(para_starts, f.start) - 1 not in furniture]
    found.sort(key=lambda f: (f.start, _KIND_ORDER.get(f.kind, 9), f.end))
    _carry_speakers(found, para_starts)
    quotes = _to_quotes(doc, article, found, index)
    # reported speech only: what was said, not a negated report nor the partial quoted inside it
    return quotes if include_beliefs else drop_negated(quotes)


# Titles and honorifics written with a full stop that does not end the sentence.
_ABBREVIATIONS = frozenset(k for k in TITLE_ABBREV if k.endswith(".")) | {
    "mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "prof.", "rev.", "hon.", "messrs."}

# A transcript's speaker label: one to three upper-case words and a colon at a paragraph's start.
_LABEL_RE = re.compile(r"([A-Z][A-Z'\u2019.-]+(?: [A-Z][A-Z'\u2019.-]+){0,2}):\s+")


# A photo credit: "(AP Photo/Evan Vucci)", "(Photo by Chip Somodevilla/Getty Images)",
# "Photograph: Andrew Harnik/AP", "Image copyright Getty Images".
_CREDIT_RE = re.compile(r"\b(?:Photo|Photograph|Image|Picture)s?(?:\s+by\b|\s*[:/]|\s+copyright\b|\s+credit\b)")
# A subhead in quote marks: a paragraph that is one short quotation with no sentence punctuation at
# its end ('"We write with urgency"', MSN/NBC News, holdout-intl5; '"U.S.-controlled bandit
# formations"', Polygraph.info, holdout-intl4): the words of the section below it, not a quote.
_QUOTED_SUBHEAD_RE = re.compile(r"\s*[\"\u201c]([^\"\u201c\u201d\n]*[^\"\u201c\u201d\n\s.!?,;:\u2026\u2014-])[\"\u201d]\s*")
_SUBHEAD_MAX_WORDS = 12
# Entity labels that name who could speak in a transcript ("WALLACE:", "PENCE:").
_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _furniture(doc, text: str, paras) -> frozenset[int]:
    """Indexes of page-furniture paragraphs: a label line ("READ MORE:", "WATCH:", "KEEPING
    SCORE:", "RELATED:") whose label names nobody the article names (a transcript's "PENCE:"
    does), in an article whose labels do not take turns (a transcript's "JAKE TAPPER:" once,
    then "FALLIN:", "TAPPER:", "FALLIN:"), photo captions (a paragraph with a photo credit) and
    subheads in quote marks (:data:`_QUOTED_SUBHEAD_RE`)."""
    names: set[str] = set()
    labels: dict[int, tuple[int, int, str]] = {}
    for p, (lo, hi) in enumerate(paras):
        m = _LABEL_RE.match(text, lo, hi)
        if m is not None and not re.match(r"[A-Z]{2,}\b", text[m.end():hi]):
            # (an upper-case headline goes on after "UN:": a digest item, not a label line)
            labels[p] = (m.start(1), m.end(1), m.group(1))
    if labels:
        spans = sorted((a, b) for a, b, _ in labels.values())
        for ent in doc_index(doc).ents:
            if ent.label_ in _NAME_LABELS and not _inside(spans, ent.start_char):
                names.update(w.lower() for w in re.findall(r"[A-Za-z]+", ent.text))
    uses = Counter(label for _, _, label in labels.values())
    transcript = any(n > 1 for n in uses.values())  # speakers take turns: each label is one of them
    out = {p for p, (_, _, label) in labels.items() if not transcript
           and not any(w.lower() in names for w in re.findall(r"[A-Za-z]+", label))}
    out.update(p for p, (lo, hi) in enumerate(paras) if _CREDIT_RE.search(text, lo, hi))
    for p, (lo, hi) in enumerate(paras[:-1]):  # (a subhead has its section after it)
        m = _QUOTED_SUBHEAD_RE.fullmatch(text, lo, hi)
        if m is not None and len(re.findall(r"\w+(?:[-'\u2019.]\w+)*", m.group(1))) <= _SUBHEAD_MAX_WORDS:
            out.add(p)
    return frozenset(out)


def _transcript_turns(text: str, paras, chains, skip=frozenset()) -> dict[int, tuple[str, int, int]]:
    """Speaker turns of an interview transcript: {turn start: (label, content start, content end)}.

    A paragraph (or a quoted paragraph: transcripts are often quoted whole, each paragraph
    re-opening the mark) that starts with an upper-case label and a colon is a turn when the
    article has at least two such paragraphs under at least two labels ("WALLACE:", "PENCE:"),
    so one "UPDATE:" or "ABSTRACT:" line is not a transcript. A label-less paragraph between
    turns (a stage direction) is left alone.
    """
    regions = {r.start: r for ch in chains for r in ch}
    cands: dict[int, tuple[str, int, int]] = {}
    for p, (lo, hi) in enumerate(paras):
        if p in skip:
            continue
        k = lo
        while k < hi and text[k] in " \t\"\u201c\u2018'":
            k += 1
        m = _LABEL_RE.match(text, k, hi)
        if m is None:
            continue
        inner = next((r for r in regions.values() if r.start <= k < r.end or r.start == k), None)
        end = hi  # the turn runs to the end of its paragraph (quotes inside it end no turn)
        while end > m.end() and (text[end - 1].isspace() or text[end - 1] in "\"\u201d"):
            end -= 1
        cands[inner.start if inner is not None else lo] = (m.group(1), m.end(), end)
    labels = {c[0] for c in cands.values()}
    if len(cands) < 2 or len(labels) < 2:
        return {}
    return cands


def _label_speaker(res: SpeakerResolver, label: str, start: int) -> Speaker:
    """The person a transcript label names: an entity of the article with that surname, else
    the label in title case ("WALLACE" -> "Wallace")."""
    words = label.replace("\u2019", "'").title()
    name, idx, kind = words, None, "person"
    if res.entities is not None:
        low = words.lower().split()[-1]
        for i, ent in enumerate(res.entities.entities):
            if ent.type == "person" and ent.name.lower().split()[-1:] == [low]:
                name, idx = ent.name, i
                break
    return Speaker(name, kind, label, start, start + len(label), idx, None, None)


_TITLE_SMALL_WORDS = frozenset("a an the of and or in on at to for with by from de la le du".split())


def _opens_that_clause(index: _Index, r: Region, lead_text: str) -> bool:
    """Whether the word before a quotation's opening mark is the complementiser "that": 'the DEA says
    that ... and that "Mexico remains the most significant foreign source ..."' (PolitiFact,
    holdout-intl6): words quoted after it are the reporter's clause, a partial quote however full."""
    if not lead_text:
        return False
    before = [t for t in index.tokens_in(max(0, r.open - 8), r.open) if not t.is_space]
    return bool(before) and before[-1].lower_ == "that" and before[-1].dep_ == "mark"


def _looks_like_title(index: _Index, r: Region) -> bool:
    """Every significant word capitalised and no finite verb, or every word capitalised with a
    function word among them: a title or name in quote marks ('"What A Fool Believes,"', '"It Keeps
    You Runnin’,"': song titles, Billboard, holdout-intl7; prose capitalises no "A" or "You"
    after a phrase's first word)."""
    toks = [t for t in index.tokens_in(r.start, r.end) if t.is_alpha or t.like_num]
    if not toks or len(toks) > 8:
        return False
    sig = [t for t in toks if t.lower_ not in _TITLE_SMALL_WORDS]
    if not sig or not all(t.text[0].isupper() or t.like_num for t in sig):
        return False
    if not any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in toks):
        return True
    return all(t.text[0].isupper() or t.like_num for t in toks) and any(
        t.pos_ in _FUNCTION_POS and t.text != "I" and not (t.is_upper and len(t) > 1) for t in toks[1:])


# Closed-class words: capitalised inside a phrase only by title case.
_FUNCTION_POS = frozenset({"DET", "ADP", "PRON", "CCONJ", "SCONJ", "AUX", "PART"})


# How a quoted word hangs on the noun it labels ('a "skinny" deal', 'his "tough on China" stance').
_MODIFIER_DEPS = frozenset({"amod", "nmod", "compound", "nummod", "npadvmod", "advmod"})
# What comes before the quote inside that noun phrase (its determiner, owner or another adjective).
_NP_LEFT_DEPS = frozenset({"det", "poss", "amod", "nummod", "compound", "predet"})


def _modifier_head(index: _Index, r: Region):
    """The noun a quoted fragment is written inside of, between its determiner and the noun ('A
    "phase one" trade deal', 'the self-declared "interim" government'), when that noun is not a
    speech noun ('Howard's "grubby government" jibe'); else None."""
    roots = _attachment_roots(index, r)
    if not roots or r.close is None:
        return None
    head = roots[0].head
    if any(t.head.i != head.i or t.dep_ not in _MODIFIER_DEPS for t in roots):
        return None
    if head.pos_ not in ("NOUN", "PROPN") or head.idx < r.close or head.lemma_.lower() in cues.SPEECH_NOUNS:
        return None
    if not any(c.dep_ in _NP_LEFT_DEPS and c.idx < r.open for c in head.children):
        return None
    return head


def _label_key(words: str) -> str:
    return " ".join(re.findall(r"\w+", words.lower()))


def _own_labels(index: _Index, text: str, chains) -> frozenset[str]:
    """The quoted words the article writes as a label in its own voice somewhere (a fragment inside
    a noun phrase with no cue above it, :func:`_noun_modifier`): written again under a cue ('the
    self-declared "interim" government ...; the office said ... and called on the "interim"
    government to ...'), they are still the article's label, not the speaker's words."""
    return frozenset(_label_key(text[ch[0].start:ch[0].end]) for ch in chains
                     if len(ch) == 1 and _noun_modifier(index, ch[0]))


def _is_label(index: _Index, r: Region, words: str, labels: frozenset[str]) -> bool:
    """A quoted fragment inside a noun phrase that is a label: by its place (:func:`_noun_modifier`)
    or because the article writes the same words as its own label elsewhere (:func:`_own_labels`)."""
    return _noun_modifier(index, r) or (_label_key(words) in labels and _modifier_head(index, r) is not None)


def _noun_modifier(index: _Index, r: Region) -> bool:
    """A quoted fragment written inside a noun phrase, between its determiner and its noun, as a
    label or scare quote (:func:`_modifier_head`: 'A "phase one" trade deal', 'the self-declared
    "interim" government', 'his "tough on China" stance'). Not when the noun hangs from a cue or a
    speech noun ('promised a "big, beautiful" wall', 'Clinton said that this was a "new"
    expectation') or holds a cue clause ('The "historic" agreement, as Merkel called it'): then they
    may be the speaker's words."""
    head = _modifier_head(index, r)
    if head is None:
        return False
    if any(c.dep_ in ("advcl", "relcl", "acl") and cues.is_cue(c) for c in head.children):
        return False  # a cue clause on the noun itself: 'The "historic" agreement, as Merkel called it, ...'
    anc = head
    while anc.head.i != anc.i:  # inside what someone is reported to say, the words may be theirs
        anc = anc.head
        if cues.is_cue(anc) or (anc.pos_ == "NOUN" and anc.lemma_.lower() in cues.SPEECH_NOUNS):
            return False
    return True


# The pronouns an unresolved speaker may take the previous speaker through: not the writer's and the
# reader's ("We should also note that ...", PolitiFact, holdout-intl6, is the article's authors, not
# the person quoted last).
_CARRIED_PRONOUNS = PRONOUNS - frozenset({"i", "we", "you"})


def _carry_speakers(found: list[_Found], para_starts: list[int]) -> None:
    """Fill speakers the frame does not give from the previous speaker: floating quotes (no
    cue), cues without a subject ("But told BBC News: ..."), pronouns the resolver left open."""
    last: tuple[int, Speaker] | None = None
    for f in found:
        if f.kind == "block" or f.block is not None:
            continue
        para = bisect.bisect_right(para_starts, f.start) - 1
        prev = last[1] if last is not None and para - last[0] <= _FLOAT_PARAGRAPHS else None
        sp = f.speaker
        if sp is None and f.kind == "direct" and prev is not None:
            f.speaker = replace(prev, cue=None)
            f.floating = True
        elif sp is not None and sp.name is None and prev is not None:
            f.speaker = replace(prev, cue=sp.cue, via=sp.via or None)
        elif sp is not None and sp.kind == "unknown" and prev is not None \
                and (sp.mention or "").strip().lower() in _CARRIED_PRONOUNS:
            f.speaker = replace(prev, mention=sp.mention, start=sp.start, end=sp.end,
                                cue=sp.cue, via=sp.via, mention_end=sp.mention_end)
        elif sp is not None and sp.name is None:
            f.speaker = None
        elif sp is not None and prev is not None and sp.cue_lemma in _CONTINUING \
                and (sp.mention or "").strip().lower() in PRONOUNS and sp.entity != prev.entity \
                and prev.kind in ("person", "anonymous"):
            # "..., he added": a continuing cue with a pronoun goes on with the previous speaker.
            f.speaker = replace(prev, mention=sp.mention, start=sp.start, end=sp.end,
                                cue=sp.cue, via=sp.via, mention_end=sp.mention_end)
        if f.speaker is not None and f.speaker.name is not None:
            last = (para, f.speaker)


_KIND_ORDER = {"block": 0, "direct": 1, "partial": 2, "indirect": 3, "post": 4}


def _is_document(doc, sp: Speaker) -> bool:
    if sp.start is None:
        return False
    words = re.findall(r"[A-Za-z]+", sp.mention or "")
    return bool(words) and words[-1].lower() in cues.DOCUMENT_NOUNS


def _governing_speaker(res: SpeakerResolver, index: _Index, r: Region, frame_toks) -> Speaker | None:
    """The speaker of the cue verb that governs the quoted words in the parse (the quote is its
    complement, object or the object of its preposition: 'described it as the "..."')."""
    frame = {t.i for t in frame_toks}
    roots = _attachment_roots(index, r)
    for root in roots[:3]:
        anc = root.head
        for _ in range(4):
            if anc.i in frame and _is_cue_near_quote(anc) and not _continuing_inside_report(anc, frame):
                return res.speaker_from_cue(_nearer_cue(anc, r, frame_toks) or anc)
            if anc.head.i == anc.i:
                break
            anc = anc.head
    return None


def _continuing_inside_report(cue, frame: set[int]) -> bool:
    """Whether a verb of the "add" class ("continue", "conclude", "add") stands inside the clause
    another cue of the frame reports, where it tells what someone did, not who goes on speaking:
    'Mr Howard argues government is too big and cannot continue "down the path of ever rising
    taxes"' (BBC politics, Howard's words), 'Pompeo said that ... Washington had concluded the
    establishment of settlements was "not, per se, inconsistent with international law"' (Al
    Bawaba, holdout-intl: Pompeo's words)."""
    if cues.cue_class(cue.lemma_.lower()) != "add":
        return False
    tok = cue
    for _ in range(4):
        if tok.dep_ not in ("conj", "ccomp", "xcomp") or tok.head.i == tok.i:
            return False
        reported = tok.dep_ == "ccomp"
        tok = tok.head
        if reported and tok.i in frame and _is_cue_near_quote(tok) and cues.cue_class(tok.lemma_.lower()) != "add":
            return True
    return False


def _nearer_cue(cue, r: Region, frame_toks):
    """A cue that names the act of saying between a weak governing cue and the quotation, its clause
    ending at the opening mark ("Audience members laughed when he urged voters, \u201cLook what I have
    said ...\u201d", AP, holdout-intl: "urged", not "laughed"), with a subject of its own; else None."""
    if not cues.is_weak_cue(cue):
        return None
    toks = doc_index(cue.doc).tokens
    mark = cue.doc.char_span(r.open, r.open + 1, alignment_mode="expand")
    if mark is None:
        return None
    best = None
    for t in frame_toks:
        if t.i <= cue.i or t.i >= mark.start or t.pos_ != "VERB" or not cues.is_cue(t) or cues.is_weak_cue(t):
            continue
        kids = children(t)
        if not any(c.dep_ == "nsubj" for c in kids) or any(c.dep_ in ("ccomp", "xcomp", "nsubjpass") for c in kids):
            continue
        if all(toks[k].is_punct for k in range(t.right_edge.i + 1, mark.start)):
            best = t
    return best


def _ends_sentence(text: str, r: Region, hi: int) -> bool:
    """The quoted content ends a sentence and the reporter's text starts a new one after it."""
    if r.close is None or not text[r.start:r.end].rstrip().endswith(tuple(_SENT_END)):
        return False
    rest = text[r.close + 1:hi].lstrip()
    return not rest or rest[0].isupper() or rest[0] in OPEN_DOUBLE + '"'


def _find_speaker(res: SpeakerResolver, index: _Index, text: str, lead_toks, tail_toks,
                  tail_lo: int, tail_hi: int, *, tail_first: bool = True) -> Speaker | None:
    if tail_first:
        sp = _tail_speaker(res, text, tail_toks, tail_lo, tail_hi)
        return sp if sp is not None else _lead_speaker(res, lead_toks)
    sp = _lead_speaker(res, lead_toks)
    return sp if sp is not None else _tail_speaker(res, text, tail_toks, tail_lo, tail_hi)


def _tail_speaker(res: SpeakerResolver, text: str, tail_toks, tail_lo: int, tail_hi: int) -> Speaker | None:
    # After the quote: '"...," he said.' / '"...," said Magnus.' / '"..." — Chief X'
    tail_text = text[tail_lo:tail_hi]
    # (U+2015, the horizontal bar, is the quotation dash; HuffPost writes every dash with it)
    dash = re.match(r"\s*[\u2014\u2013\u2015]\s*|\s+-\s+", tail_text)
    for tok in tail_toks:
        sp = _word_speaker(res, tok)
        if sp is not None:
            if sp.cue_i is None:  # '"...," according to the Times': the outlet is the via
                sp.via = res.outlet(sp.start, sp.end) if sp.kind == "outlet" else None
            return sp
    bare = bare_attribution_verb(tail_toks) if not dash else None
    if bare is not None:  # '"...," Bozell answers.': a name and a reporting verb the tagger read as a noun
        name, verb = bare
        return res.speaker_from_head(name, verb, verb.text)
    if dash and tail_toks:
        names = [t for t in tail_toks if t.idx >= tail_lo + dash.end() and t.pos_ == "PROPN"]
        after = [t for t in tail_toks if t.idx >= tail_lo + dash.end() and not t.is_space]
        comma = next((k for k, t in enumerate(after) if t.text == ","), len(after))
        if names and ("\u2015" not in tail_text[:dash.end()] or after[0] is names[0] and not any(
                t.pos_ in ("VERB", "AUX") for t in after[:comma]) and _whole_quotation(res, text, tail_lo)):
            # a signature follows a whole quotation, opens with the name after the bar and has no
            # verb but in a description after a comma ('" ― David McKeague'); HuffPost's bar is its
            # every dash, so a phrase or a clause after it ('"basement dwellers" ― a group of ...',
            # '... ― Trump declined') is none
            head = names[0]
            while head.head.pos_ == "PROPN" and head.head.i != head.i and head.head in tail_toks:
                head = head.head
            return res.speaker_from_head(head, None, None)
    return None


def _whole_quotation(res: SpeakerResolver, text: str, close_end: int) -> bool:
    """Whether the quotation whose closing mark ends at ``close_end`` opens its paragraph or follows
    a sentence's end or a colon: a quotation of its own, not words quoted inside the reporter's."""
    opening = res.quotation_ending_at(close_end)
    if opening is None:
        return False
    lead = text[text.rfind("\n", 0, opening) + 1:opening].rstrip()
    return not lead or lead[-1] in _SENT_END + ":" or lead[-1] in _CLOSE_MARKS and lead[-2:-1] in _SENT_END


def _lead_speaker(res: SpeakerResolver, lead_toks) -> Speaker | None:
    # Before the quote: 'Magnus said: "..."' / 'He told CNN, "..."'
    for tok in reversed(lead_toks):
        sp = _word_speaker(res, tok)
        if sp is not None:
            return sp
    return None


def _word_speaker(res: SpeakerResolver, tok) -> Speaker | None:
    """The speaker a word next to a quote names: the subject of a cue verb, or the object of
    "according to" (a Speaker with no cue token, ``cue_i`` None)."""
    if _is_cue_near_quote(tok):
        sp = res.speaker_from_cue(tok)
        if sp is not None:
            return sp
    obj = according_to(tok)
    return res.speaker_from_head(obj, None, "according to") if obj is not None else None


# "Headline - Name: “...”": a digest line quoting a named writer (HuffPollster round-ups).
_MAX_DIGEST_CHARS = 100
_DIGEST_RE = re.compile(r"(?:^|\s[-\u2013\u2014]\s)([A-Z][^\s:]*(?:\s(?:and\s)?[A-Z][^\s:]*){0,4}):\s*$")
# "The crowd cheered. Clinton: “...”": a speaker label after a sentence or at a paragraph's start (issue 15
# §3); a person the article names only, not a heading ("WATCH:", "Update:").
_LABEL_AFTER_SENTENCE_RE = re.compile(r"(?:^|(?<=\n)|[.!?][\"\u201d\u2019']?\s+)([A-Z][^\s:]*(?:\s[A-Z][^\s:]*){0,2}):\s*$")  # (or a paragraph's start)


def _digest_speaker(res: SpeakerResolver, index: _Index, text: str, plo: int, open_i: int) -> Speaker | None:
    """The name alone before the colon that opens a quote ('... - Carl Bialik: "..."'), at the
    start of the paragraph or after a dash: a digest of quoted writers, no verb (issue 15)."""
    m = _DIGEST_RE.search(text, max(plo, open_i - _MAX_DIGEST_CHARS), open_i)  # a name, not the paragraph
    person_only = False
    if m is None:
        m = _LABEL_AFTER_SENTENCE_RE.search(text, max(plo, open_i - _MAX_DIGEST_CHARS), open_i)
        if m is not None and m.start() > plo and is_abbreviation(text, m.start()):
            return None  # 'said of Mr. Rubio:': a title's full stop ends no sentence
        person_only = True
    if m is None:
        return None
    toks = [t for t in index.tokens_in(m.start(1), m.end(1)) if not t.is_punct]
    if not toks or not (len(toks) > 1 or toks[0].pos_ == "PROPN") or not toks[-1].text[0].isupper() or any(
            t.lower_ in PRONOUNS or not (t.pos_ in ("PROPN", "NOUN") and t.text[0].isupper() or t.lower_ == "and")
            for t in toks):
        return None
    sp = _name_speaker(res, text, toks)  # the name as written: its parse often hangs on the headline
    return sp if not person_only or (sp.kind == "person" and sp.entity is not None) else None


# A quotation signed on the next line ('"...." / - Bernie Sanders.'), as fact-checks print them, the
# name alone or with a short description after a comma ('-Michelle Marks, Philadelphia.', '-President
# Obama, tweeting after Clinton's speech.', as a convention notebook prints voices from the floor).
_SIGNATURE_RE = re.compile(r"\s*[-\u2013\u2014\u2015]\s*([A-Z][^\s.,]*(?:\s+[A-Z][^\s,]*){0,3}?)"
                           r"(?:,(?:\s+[^\s,]+){1,8})?\.?\s*$")


def _signature_speaker(res: SpeakerResolver, index: _Index, text: str, para: tuple[int, int]) -> Speaker | None:
    """The name alone on the paragraph after a quotation, after a dash (issue 15)."""
    m = _SIGNATURE_RE.fullmatch(text, *para)
    if m is None:
        return None
    glued = index.token_at(m.start(1))  # "-Michelle": the tokenizer glues the dash to the name
    toks = [t for t in index.tokens_in(m.start(1), m.end(1)) if not t.is_punct]
    if glued is not None and glued.idx < m.start(1) and glued.idx + len(glued.text) > m.start(1):
        toks.insert(0, glued)
    if not toks or any(t.pos_ != "PROPN" for t in toks):
        return None
    if toks[0].idx < m.start(1):  # the name's words without the dash
        idx, name, kind = res.resolve(m.start(1), m.end(1))
        return Speaker(name, kind, text[m.start(1):m.end(1)], m.start(1), m.end(1), idx, None, None)
    return _name_speaker(res, text, toks)


def _name_speaker(res: SpeakerResolver, text: str, toks: list) -> Speaker:
    """The speaker named by the tokens ``toks`` alone (a digest's or a signature's name)."""
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    idx, name, kind = res.resolve(s, e)
    return Speaker(name, kind, text[s:e], s, e, idx, None, None)


# A verb framing a direct quote by position is its cue whatever its lemma ('"...," Oliver
# barked.', 'Trump gloated: "..."'): the frame is a bare clause, subject + verb + modifiers, so
# the quotation is the verb's missing object. A verb with its own object or complement is not.
_OBJECT_DEPS = frozenset({"dobj", "ccomp", "xcomp", "attr", "acomp", "oprd", "dative", "nsubjpass",
                          "auxpass", "agent", "advcl", "conj"})
_MAX_FRAME_WORDS = 8
_SPEAKING_PRONOUNS = frozenset("he she they we i".split())


def _framing_verb_speaker(res: SpeakerResolver, text: str, first: Region, last: Region, lead_text: str,
                          lead_toks, tail_toks) -> Speaker | None:
    """The subject of the bare clause that frames a direct quote: before it, ending in a colon or
    a comma, or after it, when the quotation ends in a comma, "?" or "!" (issue 15)."""
    words = [t for t in lead_toks if not t.is_punct and t.pos_ != "SYM"]
    as_clause = bool(words) and words[0].lower_ == "as" and words[0].dep_ == "mark"
    if lead_text.endswith((":", ",")):
        # 'As Professor Foner put it: "..."', 'As Vulture put it, "..."': the "as" clause of a source;
        # 'Silverman interjected, "..."': a bare clause opening the sentence, closed by a comma
        sp = _bare_clause_speaker(res, lead_toks, as_clause=as_clause)
        if sp is None:
            # the frame is the sentence's last clause ('Or, as Tom Ridge, ..., put it: "..."', '...,
            # to which O'Malley interjected: "..."'). Read twice on purpose: extract_quotes reads a
            # relative clause before a colon first, before _governing_speaker credits the verb above
            # it ('She said that ...'); an "as" clause and a frame closed by a comma wait for here,
            # the last resort, as they were measured (moving the "as" clause up was not benched)
            clause, as_clause = _trailing_frame_clause(lead_toks)
            sp = _bare_clause_speaker(res, clause, as_clause=as_clause) if clause else None
        if sp is None and lead_text.endswith(":"):
            sp = _noun_frame_speaker(res, lead_toks)
        if sp is not None:
            return sp
    if last.close is not None and text[last.start:last.end].rstrip()[-1:] in (",", "?", "!"):
        # the clause ends at the first comma or conjunction after its verb ('"Go back to Univision,"
        # Trump barked and a security guard escorted Ramos out.')
        verb = next((t for t in tail_toks if t.pos_ == "VERB"), None)
        cut = next((k for k, t in enumerate(tail_toks) if verb is not None and t.i > verb.i
                    and (t.text in (",", ";") or t.pos_ in ("CCONJ", "SCONJ") or t.text in DASHES)), len(tail_toks))
        return _bare_clause_speaker(res, tail_toks[:cut])
    return None


def _trailing_frame_clause(toks) -> tuple[list, bool]:
    """The clause of the last verb before a quotation's colon or comma when it is an "as" clause
    or a relative one ('..., as Tom Ridge, ..., put it:', '..., to which O'Malley interjected:'),
    with whether it is an "as" clause; else ([], False)."""
    words = [t for t in toks if not t.is_punct and t.pos_ != "SYM"]
    verb = next((t for t in reversed(words) if t.pos_ == "VERB"), None)
    if verb is None or verb.dep_ not in ("advcl", "relcl"):
        return [], False
    lo, hi = verb.left_edge.i, verb.right_edge.i
    clause = [t for t in words if lo <= t.i <= hi]
    if not clause or clause[0].i == words[0].i:
        return [], False  # the whole frame, already read
    if clause[0].lower_ == "as" and clause[0].dep_ == "mark":
        return clause, True
    if any(t.tag_ in ("WDT", "WP") and t.i < verb.i for t in clause):
        return clause, False
    return [], False


def _bare_clause_speaker(res: SpeakerResolver, toks, *, as_clause: bool = False) -> Speaker | None:
    words = [t for t in toks if not t.is_punct and t.pos_ != "SYM"]
    # a description set off beside the subject ('Tom Ridge, a former secretary of homeland
    # security, put it') is no word of the frame's length
    aside = {d.i for t in words if t.dep_ == "appos" and t.head.dep_ == "nsubj" for d in t.subtree}
    verbs = [t for t in words if t.pos_ == "VERB" and t.i not in aside]
    if not words or len(words) - sum(t.i in aside for t in words) > _MAX_FRAME_WORDS or len(verbs) != 1:
        return None
    verb, inside = verbs[0], {t.i for t in words}
    if any(c.dep_ in _OBJECT_DEPS and not (as_clause and c.lower_ == "it") for c in verb.children if c.i in inside):
        return None
    if any(t is not verb and verb not in t.ancestors for t in words):
        return None
    subj = [c for c in verb.children if c.dep_ == "nsubj" and c.i in inside]
    if not subj and verb.i - 1 in inside and verb.doc[verb.i - 1].head.i == verb.i \
            and verb.doc[verb.i - 1].pos_ == "PROPN":
        subj = [verb.doc[verb.i - 1]]  # the parse hung the name on the verb as a compound
    if len(subj) != 1:
        return None
    head = subj[0]
    if head.pos_ == "PRON" and head.lower_ not in _SPEAKING_PRONOUNS:
        return None
    sp = res.speaker_from_head(head, verb, cues.cue_phrase(verb) or verb.text)
    if head.pos_ == "NOUN" and not names_people(head) and head.ent_type_ not in ("PERSON", "ORG", "NORP") \
            and sp.kind != "person":
        if not _named_elsewhere(head):
            return None
        if sp.kind == "unknown" and sp.name is not None:
            sp = replace(sp, kind="person")  # 'Hannity interjected:', a name the tagger took for a noun
    return sp


def _named_elsewhere(tok) -> bool:
    """A capitalised word the tagger read as a common noun here ('Hannity/NN interjected:') that the
    same article tags elsewhere as a person's name, or as a proper noun inside a sentence of
    ordinary case (issue 15 \u00a75): a sentence's first word and the words of a headline in Title
    Case ('Documents Show Agency Ignored Warnings') are capitalised by position, not as names."""
    if not tok.text[:1].isupper() or not tok.text[1:].islower():
        return False
    index = doc_index(tok.doc)
    names = index.memo.get(("named_words", 0))
    if names is None:  # (once per Doc: the words tagged as names anywhere in the article)
        names = index.memo[("named_words", 0)] = frozenset(
            {t.text for t in index.tokens if t.ent_type_ == "PERSON"}
            | {t.text for sent in index.sents if not _title_case(sent) for t in sent[1:] if t.pos_ == "PROPN"})
    return tok.text in names


def _title_case(sent) -> bool:
    """A sentence (a headline) whose every word of four letters or more is capitalised."""
    words = [t.text for t in sent if t.is_alpha and len(t.text) >= 4]
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


# Speech nouns whose owner is the speaker of the quotation a colon opens ('X's response:',
# 'X delivered a blunt message to Trump:', 'X had one message for Y:').
_FRAME_NOUNS = cues.SPEECH_NOUNS | {"message", "answer", "retort", "verdict", "advice", "request"}


def _noun_frame_speaker(res: SpeakerResolver, toks) -> Speaker | None:
    """The owner of the speech noun that ends the frame before a colon: its possessor ('Clinton's
    response was:'), the agent of "from"/"by", or the subject of the verb it is the object of
    ('The mayor delivered a message to Trump:'), never the recipient (issue 15 §5)."""
    words = [t for t in toks if not t.is_punct and t.pos_ != "SYM"]
    if not words or len(words) > 2 * _MAX_FRAME_WORDS:
        return None
    inside = {t.i for t in words}
    noun = next((t for t in reversed(words) if t.pos_ == "NOUN" and t.lemma_.lower() in _FRAME_NOUNS), None)
    if noun is None:
        return None
    # what follows the noun belongs to it or to its verb ('to Trump', 'for the president', 'was')
    verb = noun.head if noun.dep_ in ("dobj", "nsubj", "attr") else None
    if any(t.i > noun.i and noun not in t.ancestors and (verb is None or t.head.i != verb.i and verb not in t.ancestors)
           for t in words):
        return None
    src = noun_source(noun)
    if src is None and verb is not None and verb.i in inside and noun.dep_ == "dobj":
        src = next((c for c in verb.children if c.dep_ == "nsubj" and c.i in inside), None)
    if src is None or src.lower_ in PRONOUNS or src.lower_ in RELATIVE:
        return None
    sp = res.speaker_from_head(src, None, noun.text)
    if sp.kind in ("person", "org", "outlet", "anonymous") or src.pos_ == "PROPN":
        return sp
    return None


def _colon_intro(res: SpeakerResolver, index: _Index, text: str, paras, p: int, quoted):
    """A speaker introduced at the end of paragraph ``p - 1`` ('X said:'): (speaker, True)."""
    lo, hi = paras[p - 1]
    prev = text[lo:hi].rstrip()
    if not prev.endswith(":"):
        return None, False
    colon = lo + len(prev) - 1
    s_lo = _sentence_start_before(text, lo, colon, quoted)
    toks = _frame_tokens(index, text, s_lo, colon, quoted)
    for tok in reversed(toks):
        if tok.pos_ in ("VERB", "AUX") and cues.is_cue(tok):
            sp = res.speaker_from_cue(tok)
            if sp is not None:
                return sp, True
        obj = according_to(tok)
        if obj is not None:
            return res.speaker_from_head(obj, None, "according to"), True
    # 'Hannity interjected:', 'Clinton's response was:': a bare clause or a speech noun (not a block)
    sp = _bare_clause_speaker(res, toks) or _noun_frame_speaker(res, toks)
    return sp, False


def _previous_sentence_speaker(res: SpeakerResolver, index: _Index, text: str, paras, r: Region,
                               lead_lo: int, quoted) -> Speaker | None:
    """A quotation opening its sentence, attributed by the sentence before it ('Magnus spoke to
    reporters on Friday. "We ..."'); that speaker's cue is the previous sentence's, so the quote
    records it with cue None (a floating quote with a stated speaker)."""
    plo = paras[r.para][0]
    if lead_lo > plo:
        end = lead_lo
        start = _sentence_start_before(text, plo, max(plo, end - 2), quoted)
    elif r.para > 0:
        lo, hi = paras[r.para - 1]
        end = hi
        start = _sentence_start_before(text, lo, max(lo, hi - 2), quoted)
    else:
        return None
    found = [t for t in _frame_tokens(index, text, start, end, quoted)
             if t.pos_ == "VERB" and cues.cue_class(t.lemma_) not in (None, "ask")
             and (cues.is_cue(t) or t.lemma_ != "point")]  # the quotation is the speech context
    # The main clause's cue, not one reported inside it ("He told reporters critics said ...").
    found.sort(key=lambda t: (sum(1 for _ in t.ancestors), -t.i))
    for tok in found:
        sp = res.speaker_from_cue(tok)
        if sp is not None and sp.name is not None:
            return replace(sp, cue=None)
    return None


def _nested_quotes(res: SpeakerResolver, index: _Index, text: str, block: _Found, quoted) -> list[_Found]:
    out: list[_Found] = []
    via = block.speaker.name if block.speaker else None
    regions = [strip_region(text, r) for r in scan(text, block.start, block.end, -1, single=True)]
    inner_quoted = sorted((r.open, (r.close or r.end) + 1) for r in regions)
    res = copy.copy(res)  # inside the block, only the nested marks quote
    res.quoted = sorted(inner_quoted)
    res._q_starts = [a for a, _ in res.quoted]
    for r in regions:
        if r.end <= r.start:
            continue
        s_lo = _sentence_start_before(text, block.start, r.open, inner_quoted)
        lead_toks = _frame_tokens(index, text, s_lo, r.open, inner_quoted, _FRAME_TOKENS, True)
        t_lo = (r.close or r.end) + 1
        t_hi = _sentence_end_after(text, t_lo, block.end, inner_quoted)
        tail_toks = _frame_tokens(index, text, t_lo, t_hi, inner_quoted, _FRAME_TOKENS)
        sp = _find_speaker(res, index, text, lead_toks, tail_toks, t_lo, t_hi)
        if sp is None:
            continue
        lead_text = text[s_lo:r.open].strip().strip('"\u201c\u201d\u201e').strip()
        content = text[r.start:r.end]
        starts_upper = bool(re.match(r"\W*[A-Z0-9]", content))
        direct = not lead_text or (lead_text[-1] in ":," and starts_upper)
        sp = replace(sp, via=sp.via or via)
        out.append(_Found("direct" if direct else "partial", r.start, r.end, sp, block=block))
    return out


def _indirect(doc, article: Article, entities, found: list[_Found], blocks: list[_Found], *,
              include_beliefs: bool = False, include_nominal: bool = False) -> list[_Found]:
    try:
        quotes = extract_indirect(doc, article, entities=entities, include_beliefs=include_beliefs,
                                  include_nominal=include_nominal)
    except Exception as exc:  # noqa: BLE001 - a bug there must not cost the direct quotes
        logging.getLogger("newstrace").warning(
            "%s: reported speech skipped, extract_indirect failed: %s: %s",
            article.source, type(exc).__name__, exc)
        return []
    # a direct quote overlaps [q.start, q.end) when one starting before q.end ends after q.start:
    # the direct quotes by start, with the furthest end so far (a bisection per quote, not a scan)
    direct = sorted((f.start, f.end) for f in found if f.kind == "direct")
    direct_starts = [s for s, _ in direct]
    furthest = list(itertools.accumulate((e for _, e in direct), max))
    partials = [(f.start, f.end) for f in found if f.kind == "partial" and f.block is None]
    out = []
    for q in quotes:
        k = bisect.bisect_left(direct_starts, q.end)
        if k and furthest[k - 1] > q.start:
            continue
        end = _through_quotation(article.text, q.start, q.end, partials) if not q.parts else q.end
        if end != q.end:
            q = replace(q, end=end, text=article.text[q.start:end])
        block = next((b for b in blocks if b.start <= q.start < b.end), None)
        sp = Speaker(q.speaker, q.speaker_kind, q.speaker_mention, q.speaker_start, q.speaker_end,
                      q.speaker_entity, q.cue, q.via or (block.speaker.name if block and block.speaker else None),
                      cue_lemma=_verb_lemma(q.cue))
        out.append(_Found("indirect", q.start, q.end, sp, block=block, act=q.act, parts=list(q.parts),
                          negated=q.negated, form=q.form or "clause"))
    return _join_coordinated(article.text, out)


def _through_quotation(text: str, start: int, end: int, partials: list[tuple[int, int]]) -> int:
    """The end of a reported clause that opens a quotation running past the parse's sentence end:
    the quotation's end and its closing mark ('Bornstein told CNN in 2018 that Trump "dictated that
    whole letter. I didn't write that letter. ..."': the words reported run to the closing mark, not
    to the first full stop inside it), within the paragraph; else ``end``."""
    for a, b in partials:
        if start < a < end < b and "\n" not in text[end:b]:
            return b + 1 if b < len(text) and text[b] in _CLOSE_MARKS else b
    return end


# What may separate two complements of one cue that are one report: "said [A], and [that B]".
_COORD_GAP = re.compile(r"[\s,;\u2014-]*(?:(?:and|or|but)\b[\s,]*)?(?:that\b)?\s*", re.I)


def _join_coordinated(text: str, found: list[_Found]) -> list[_Found]:
    """One record for the coordinated complements of one cue ('he said [A] and [that B]', 'she
    would be honoured to serve[,] [should the opportunity arise]'): the two spans of one speaker
    mention and cue, separated by a comma, a conjunction or "that" only, become one span."""
    found = sorted(found, key=lambda f: (f.start, f.end))
    out: list[_Found] = []
    for f in found:
        prev = out[-1] if out else None
        if prev is not None and prev.speaker is not None and f.speaker is not None \
                and prev.speaker.start is not None and prev.speaker.start == f.speaker.start \
                and prev.speaker.cue == f.speaker.cue and prev.act == f.act and prev.negated == f.negated \
                and prev.end <= f.start \
                and not prev.parts and not f.parts and _COORD_GAP.fullmatch(text[prev.end:f.start]):
            # (one clause makes the joined content a clause: "said [the deal] and [that it would pass]")
            out[-1] = replace(prev, end=f.end, form="clause" if "clause" in (prev.form, f.form) else prev.form)
            continue
        out.append(f)
    return out


def _join_broken(text: str, found: list[_Found], index: _Index) -> None:
    """Join a direct quote broken by its cue ('"A," he said, "B."') into one record with parts:
    two quotations of one paragraph whose gap is the attribution of both (the same speaker
    mention, opening it after at most the cue: '," said Smith,'), set off by commas, with no
    sentence ending, colon or second cue ('," he said, and then predicted: "', '," she said,
    adding, "': two reports) in between."""
    i = 0
    while i + 1 < len(found):
        a, b = found[i], found[i + 1]
        sp = a.speaker
        if a.kind in ("direct", "partial") and b.kind in ("direct", "partial") and a.block is None \
                and b.block is None and sp is not None and sp.start is not None \
                and a.end < sp.start < b.start and _broken_by_cue(text, a, b) \
                and b.speaker is not None and b.speaker.start == sp.start \
                and sum(_is_cue_near_quote(t) for t in index.tokens_in(a.end, b.start)) <= 1 \
                and len(re.findall(r"\w+", text[a.end:sp.start])) <= 1:  # '," he said,' / '," said Smith,'
            parts = (a.parts or [(a.start, a.end)]) + [(b.start, b.end)]
            found[i] = replace(a, kind="direct", end=b.end, parts=parts)
            del found[i + 1]
            continue
        i += 1


def _broken_by_cue(text: str, a: _Found, b: _Found) -> bool:
    """The text between two quotations is a comma-framed attribution ('," he said, "')."""
    gap = text[a.end:b.start]
    if "\n" in gap or len(gap) > 120:
        return False
    body = gap.strip(" \"\u201c\u201d\u2018\u2019'")
    first = text[a.start:a.end].rstrip()
    framed = (first.endswith(",") or body.startswith(",")) and body.rstrip().endswith(",")
    return framed and not re.search(r"[.?!:;](\s|$)", body.rstrip(", "))


def _verb_lemma(cue: str | None) -> str | None:
    """Lemma of the first word of a cue phrase ("added" -> "add", "continuing" -> "continue")."""
    words = (cue or "").split()
    if not words:
        return None
    word = words[-1] if words[0].lower() in ("has", "have", "had", "also", "then", "reportedly") \
        and len(words) > 1 else words[0]
    word = word.lower()
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("s", ""), ("", "")):
        if word.endswith(suffix):
            base = word[: len(word) - len(suffix)] + repl
            if cues.is_cue_lemma(base):
                return base
    return word


def _sentence_of(sents: list[tuple[int, int]], text: str, start: int, end: int, starts: list[int]) -> str:
    """The sentence(s) of the parse covering [start, end), capped at _MAX_SENTENCE_CHARS around it
    (``starts``: the sentences' start offsets)."""
    i = max(0, bisect.bisect_right(starts, start) - 1)
    j = max(i, bisect.bisect_right(starts, max(start, end - 1)) - 1)
    if not sents:
        return text[start:end]
    s_, e_ = sents[i][0], sents[j][1]
    s_ = max(s_, start - _MAX_SENTENCE_CHARS)
    e_ = min(e_, end + _MAX_SENTENCE_CHARS)
    return text[s_:e_].strip()


def _to_quotes(doc, article: Article, found: list[_Found], index: _Index) -> list[Quote]:
    text = article.text
    pos = {id(f): i for i, f in enumerate(found)}
    sents = [(sent.start_char, sent.end_char) for sent in doc_index(doc).sents]
    starts = [a for a, _ in sents]  # once, not per quote
    quotes: list[Quote] = []
    for f in found:
        sp = f.speaker
        q = Quote(
            article_id=article.id,
            kind=f.kind,
            text=text[f.start:f.end],
            start=f.start,
            end=f.end,
            speaker=sp.name if sp else None,
            speaker_kind=sp.kind if sp else "unknown",
            speaker_mention=(text[sp.start:sp.mention_end] if sp.mention_end else sp.mention) if sp else None,
            speaker_start=sp.start if sp else None,
            speaker_end=(sp.mention_end or sp.end) if sp else None,
            cue=sp.cue if sp else None,
            via=sp.via if sp else None,
            raw_start=article.to_raw(f.start),
            raw_end=article.to_raw(f.end),
            sentence=_sentence_of(sents, text, f.start, f.end, starts),
            speaker_entity=sp.entity if sp else None,
            parent=pos.get(id(f.block)) if f.block is not None else None,
            parts=list(f.parts),
            act=f.act,
            negated=f.negated,
            form=f.form,
        )
        if f.parts:
            q.text = " ".join(text[a:b] for a, b in f.parts)
        quotes.append(q)
    nest_partials(quotes)
    return _post_quotes(article, quotes)


def nest_partials(quotes: list[Quote]) -> None:
    """Make each top-level partial quote inside an indirect quote the child of the innermost one.

    'She said the plan was "a disaster"' is one report: the partial is its child (``parent``), not a
    record of its own at the top level (issue 15). The annotate stage calls it again once the
    learned layer's contents are added.

    Args:
        quotes: one article's quotes in their final order (``parent`` indexes this list); changed in place.
    """
    reported = [(q.start, q.end, i) for i, q in enumerate(quotes) if q.kind == "indirect"]
    for q in quotes:
        if q.kind != "partial" or q.parent is not None:
            continue
        # the innermost report holding it: 'Police said the mayor did not say the deal was "a
        # disaster"' -- the mayor's report is its host, not the police's
        hosts = [(e - s, i) for s, e, i in reported if s <= q.start and q.end <= e + 2]
        if hosts:
            q.parent = min(hosts)[1]
    for q in quotes:  # 'did not say that the deal was "a disaster"': the partial is not said either
        if q.kind == "partial" and q.parent is not None and quotes[q.parent].negated:
            q.negated = True
    for q in quotes:
        # a report found with nobody to say it (the learned layer's content, its ranker finding no
        # candidate) is said by whoever says the quoted words inside it ('Untreated pneumonic plague is
        # "always fatal", says WHO.')
        host = quotes[q.parent] if q.kind == "partial" and q.parent is not None else None
        if host is not None and host.speaker is None and q.speaker is not None:
            host.speaker, host.speaker_kind, host.speaker_mention = q.speaker, q.speaker_kind, q.speaker_mention
            host.speaker_start, host.speaker_end, host.speaker_entity = q.speaker_start, q.speaker_end, q.speaker_entity
            host.cue = host.cue or q.cue
            host.via = host.via or q.via


def drop_negated(quotes: list[Quote]) -> list[Quote]:
    """The quotes that report what was said: without the negated or refused reports and the
    partial quotes nested in them (:func:`nest_partials` gives those the flag), ``parent`` indices
    mapped to the shorter list.

    Args:
        quotes: one article's quotes (``parent`` indexes this list).
    Returns:
        A new list of the kept quotes (the same objects, their ``parent`` updated).
    """
    kept = [i for i, q in enumerate(quotes) if not q.negated]
    new_index = {old: new for new, old in enumerate(kept)}
    out = []
    for i in kept:
        q = quotes[i]
        if q.parent is not None:
            q.parent = new_index.get(q.parent)
        out.append(q)
    return out


def _account_owner(author: str | None) -> str | None:
    """A post's author as a person is named: without the office an account's display name leads
    with ("— Rep. Ilhan Omar (@Ilhan)", The Hill, holdout-intl4: "Ilhan Omar")."""
    words = (author or "").split()
    while len(words) > 2 and words[0].lower() in TITLE_ABBREV:
        words = words[1:]
    return " ".join(words) or author


def _post_quotes(article: Article, quotes: list[Quote]) -> list[Quote]:
    """One Quote per embedded post: speaker = the account owner, cue "tweeted"/"posted"."""
    for i, post in enumerate(article.posts):
        start = getattr(post, "start", None)
        body = post.text or ""
        if start is None or not 0 <= start <= len(article.text):
            start = 0
        end = start + len(body) if article.text[start:start + len(body)] == body else start
        platform = (post.platform or "").lower()
        kind = "person" if post.author else "unknown"
        outlet = outlet_or_none(post.author) if post.author else None
        if outlet:
            kind = "outlet"
        cue = "tweeted" if platform in ("twitter", "x") else "posted"
        speaker = _account_owner(post.author) or (f"@{post.handle.lstrip('@')}" if post.handle else None)
        quotes.append(Quote(
            article_id=article.id, kind="post", text=body, start=start, end=end,
            speaker=outlet or speaker, speaker_kind=kind,
            speaker_mention=post.author or post.handle, cue=cue,
            via=(post.platform or "").capitalize() if platform != "x" else "X",
            raw_start=post.raw_start, raw_end=post.raw_end, post_index=i, form="quoted"))
    return quotes

