"""Quotes and speakers: what an article reports as said, written or posted, and by whom (issue 3).

:func:`extract_quotes` reads one spaCy parse of ``article.text`` and returns
:class:`~newstrace.models.Quote` records of five kinds:

* ``direct``: quoted sentences. Quote marks are paired paragraph by paragraph (curly and
  straight, an unbalanced mark never breaks the article); a quote running over several
  paragraphs follows the news convention (each paragraph re-opens the mark, only the last one
  closes) and gives one record per paragraph with the same speaker; a split quote (``"A," he
  said, "B."``) gives one record per part.
* ``partial``: a quoted fragment inside the reporter's own sentence, kept only when a speaker can
  be found (scare quotes and titles have none).
* ``block``: a paragraph or run of paragraphs quoted from an outlet or document (``The Washington
  Times reported:`` + a quoted or unmarked passage). Quotes nested inside (single marks) and
  reported speech inside are their own records with ``parent`` = the block's index and ``via``
  = the block's source.
* ``post``: one record per embedded social-media post (``article.posts``).
* ``indirect``: reported speech, from :func:`newstrace.attributions.extract_indirect` when that
  module provides it; an indirect quote overlapping a direct one is dropped.

The speaker is found from the dependency parse around the quote: the subject of a cue verb
(:mod:`newstrace.cues`) in the text framing the quote (before the opening or after the closing
mark, in the same sentence), the passive agent, the name in an apposition ("One of those
professors, Ahilan Arulananthem, told ..."), the head of a relative clause ("X, who ..., said"),
inverted order ("said Magnus"), "according to X", a dash attribution (``"..." — Chief X``) and a
colon ending the previous paragraph (``X said:``). A quote with no cue of its own continues the
previous speaker (a "floating" quote). The speaker words are resolved to a canonical name and a
kind by the article's :class:`~newstrace.entities.EntityAnalysis`.
"""

from __future__ import annotations

import bisect
import copy
import re
from dataclasses import dataclass, field, replace

from . import cues
from .entities import _TITLE_ABBREV
from .models import Article, Quote

__all__ = ["extract_quotes", "find_quote_spans"]

_OPEN_DOUBLE = "\u201c\u201e\u00ab\u201f"
_CLOSE_DOUBLE = "\u201d\u00bb"
_OPEN_SINGLE = "\u2018\u201b\u2039"
_CLOSE_SINGLE = "\u2019\u203a"
_DASHES = "\u2014\u2013-"
_SENT_END = ".?!"
_SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
_RELATIVE = frozenset("who which that whom whose".split())
_PRONOUNS = frozenset("he she they it we i you him her them".split())
# Words that make a quoted fragment read as a name or title rather than someone's words.
_MIN_PARTIAL_CHARS = 3
# Single-mark (British style) quotations need this many words: shorter ones are as often
# apostrophes ("rock 'n' roll", "the '90s") as quotations.
_MIN_SINGLE_WORDS = 2
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


@dataclass
class _Region:
    """One quoted stretch inside one paragraph: content [start, end) between the marks."""

    open: int  # offset of the opening mark
    start: int  # content start
    end: int  # content end
    close: int | None  # offset of the closing mark; None when the mark is not closed
    para: int  # paragraph index
    cont: bool = False  # continues in the next paragraph / next re-opened stretch (news style)
    nested: list[_Region] = field(default_factory=list)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    return spans


def _is_space(ch: str) -> bool:
    return ch.isspace()


def _mark_shape(text: str, i: int, lo: int, hi: int) -> str:
    """'open', 'close' or 'either' for a straight mark at ``text[i]`` inside [lo, hi)."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    opener = (prev.isspace() or prev in "([{\u2014\u2013-/:" or prev in _OPEN_DOUBLE + _OPEN_SINGLE) \
        and not nxt.isspace()
    closer = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
    if opener and not closer:
        return "open"
    if closer and not opener:
        return "close"
    return "either"


def _scan(text: str, lo: int, hi: int, para: int, *, single: bool) -> list[_Region]:
    """Quote regions of one paragraph ``text[lo:hi]`` (double marks, or single marks)."""
    opens = _OPEN_SINGLE if single else _OPEN_DOUBLE
    closes = _CLOSE_SINGLE if single else _CLOSE_DOUBLE
    straight = "'" if single else '"'
    regions: list[_Region] = []
    cur: int | None = None  # offset of the pending opening mark
    for i in range(lo, hi):
        ch = text[i]
        if ch == straight:
            shape = _mark_shape(text, i, lo, hi)
            if single and shape != "open" and (i > lo and text[i - 1].isalnum()
                                               and i + 1 < hi and text[i + 1].isalnum()):
                continue  # an apostrophe: don't, Blunkett's
            if single and shape == "open" and i + 1 < hi and text[i + 1].isdigit():
                continue  # an elision: the '90s
            kind = shape
            if kind == "either":
                kind = "close" if cur is not None else "open"
        elif ch in opens:
            kind = "open"
        elif ch in closes:
            if single and i + 1 < hi and text[i + 1].isalnum():
                continue  # an apostrophe: I’m, Mayorkas’s
            if single and cur is None:
                continue
            kind = "close"
        else:
            continue
        if kind == "open":
            if cur is not None:
                if single:
                    cur = i  # the earlier mark was an apostrophe ("the '90s", "'em")
                    continue
                # A mark re-opened before the previous closed: a paragraph break lost in the
                # text ("...remains. "He's been ...") or a missing closing mark.
                regions.append(_Region(cur, cur + 1, i, None, para, cont=True))
            cur = i
        else:  # close
            if cur is None:
                continue  # a closing mark without an opening one
            if single and i - cur < 2:
                continue
            regions.append(_Region(cur, cur + 1, i, i, para))
            cur = None
    if cur is not None:
        if single:
            return regions  # an unclosed single mark is an apostrophe, not a quote
        regions.append(_Region(cur, cur + 1, hi, None, para))
    return [r for r in regions if r.end > r.start]


def _strip_region(text: str, r: _Region) -> _Region:
    s, e = r.start, r.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    r.start, r.end = s, e
    return r


def find_quote_spans(text: str) -> list[list[tuple[int, int]]]:
    """Content spans of the quotations in ``text``, grouped into quotes.

    Double marks (curly or straight) are paired paragraph by paragraph. A quote running over
    paragraphs (each paragraph re-opens the mark, only the last closes) is one group of several
    spans. An opening mark never closed by the end of its paragraph (and not re-opened in the
    next) runs to the end of the paragraph; a closing mark without an opening one is ignored.

    Args:
        text: clean article text (paragraphs split by newlines).
    Returns:
        Groups of (start, end) content spans, without the quote marks, in text order.

    >>> t = 'He said: "One.\\n\\n"Two." Then "three" ended.'
    >>> [[t[s:e] for s, e in g] for g in find_quote_spans(t)]
    [['One.', 'Two.'], ['three']]
    """
    return [[(r.start, r.end) for r in chain] for chain in _chains(text)]


def _chains(text: str) -> list[list[_Region]]:
    paras = _paragraphs(text)
    regions: list[_Region] = []
    for p, (lo, hi) in enumerate(paras):
        para = text[lo:hi]
        if any(ch in para for ch in _OPEN_DOUBLE + _CLOSE_DOUBLE + '"'):
            regions.extend(_strip_region(text, r) for r in _scan(text, lo, hi, p, single=False))
        else:
            # British style: single marks quote when a paragraph has no double ones.
            regions.extend(_strip_region(text, r) for r in _scan(text, lo, hi, p, single=True)
                           if len(text[r.start:r.end].split()) >= _MIN_SINGLE_WORDS)
    regions = [r for r in regions if r.end > r.start]
    chains: list[list[_Region]] = []
    for r in regions:
        prev = chains[-1][-1] if chains else None
        if prev is not None and prev.close is None and _continues(text, paras, prev, r):
            prev.cont = True
            chains[-1].append(r)
        else:
            chains.append([r])
    # An unclosed region not continued: keep it only when it starts its paragraph or follows a
    # colon or comma (an opening quotation whose closing mark was forgotten).
    out = []
    for chain in chains:
        last = chain[-1]
        if last.close is None and len(chain) == 1:
            lo = paras[last.para][0]
            before = text[lo:last.open].rstrip()
            if before and before[-1] not in ":," + _DASHES:
                continue
        for r in chain[:-1]:
            r.cont = True
        chain[-1].cont = False
        out.append(chain)
    return out


def _continues(text: str, paras, prev: _Region, r: _Region) -> bool:
    """Whether region ``r`` re-opens the unclosed quote ``prev`` (next paragraph, or a mark
    re-opened in the same paragraph when the paragraph break was lost)."""
    if r.para == prev.para:
        return prev.end <= r.open and text[prev.end:r.open].strip() == ""
    if r.para != prev.para + 1:
        return False
    lo = paras[r.para][0]
    return text[lo:r.open].strip() == ""


# ---------------------------------------------------------------------------------------------
# Token helpers
# ---------------------------------------------------------------------------------------------
class _Index:
    """Character offsets -> tokens of one Doc."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def tokens_in(self, lo: int, hi: int):
        i = bisect.bisect_left(self.starts, lo)
        out = []
        while i < len(self.starts) and self.starts[i] < hi:
            out.append(self.doc[i])
            i += 1
        return out

    def token_at(self, offset: int):
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return None
        return self.doc[i]


def _char_span(doc, lo_i: int, hi_i: int) -> tuple[int, int]:
    return doc[lo_i].idx, doc[hi_i - 1].idx + len(doc[hi_i - 1].text)


def _trim(doc, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space or doc[lo].dep_ == "cc"):
        lo += 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space or doc[hi - 1].dep_ == "cc"):
        hi -= 1
    return lo, hi


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
    return _trim(doc, lo, hi)


def _speaker_head(tok):
    """Prefer a name in apposition to a common-noun subject ("One of those professors, X"), and
    the owner of a speech noun ("The ministers' comments said")."""
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in cues.SPEECH_NOUNS:
        owner = _noun_source(tok)
        if owner is not None:
            tok = owner
    if tok.pos_ != "PROPN":
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return child
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
    if before not in (",", "\u201d", '"', "\u2019", "'"):
        return None
    k = verb.i + 1
    if k < len(doc) and doc[k].pos_ in ("DET", "NUM") and doc[k].dep_ != "dobj":
        k += 1
    start = k
    while k < len(doc) and doc[k].pos_ in ("PROPN", "NOUN", "ADJ", "NUM") and not doc[k].is_punct \
            and "\n" not in doc[k].text:
        k += 1
    while k > start and doc[k - 1].pos_ not in ("PROPN", "NOUN"):
        k -= 1
    if k == start:
        return None
    head = doc[k - 1]
    if head.head.i == verb.i and head.dep_ in ("dobj", "dative", "iobj", "oprd"):
        return None  # "X, chief executive, described the performance as ..."
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.i > head.i and head.head.i != verb.i \
            and not any(doc[j].text == "," for j in range(head.i + 1, head.head.i)):
        # "X, who ran the firm, said prices were ...": the reported clause's own subject, which
        # runs straight into its verb; an inverted speaker is closed off by a comma ("..., said
        # Junya Tanase of JPMorgan, were ...")
        return None
    return head


def _subject_of(verb):
    """(speaker head token, how) of a cue verb, inherited through participles, conjuncts and
    relative pronouns; None when there is none."""
    tok = verb
    for _ in range(8):
        subj = next((c for c in tok.children if c.dep_ in _SUBJ_DEPS), None)
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
        if subj is not None:
            if subj.dep_ == "csubj":
                return None
            if subj.lower_ in _RELATIVE and tok.dep_ == "relcl":
                return tok.head
            if subj.dep_ == "nsubjpass":
                return None  # "he was asked": the speaker is not stated by this verb
            return subj
        if tok.dep_ == "acl" and tok.head.dep_ == "dobj" and tok.head.pos_ == "NOUN" \
                and tok.tag_ == "VBG":
            # "defended the move saying ...": the participle belongs to the clause's subject
            tok = tok.head.head
            continue
        if tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return tok.head
        if tok.dep_ in ("conj", "advcl", "xcomp", "pcomp", "prep") and tok.head.i != tok.i:
            tok = tok.head
            continue
        return None
    return None


def _according_to(tok):
    """The object of "according to" when ``tok`` is "according"."""
    if tok.lower_ != "according":
        return None
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "to":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        return next((c for c in nxt.children if c.dep_ == "pobj"), None)
    return None


# ---------------------------------------------------------------------------------------------
# Speaker resolution
# ---------------------------------------------------------------------------------------------
@dataclass
class _Speaker:
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


class _Resolver:
    def __init__(self, doc, article: Article, entities, quoted=()) -> None:
        self.doc = doc
        self.text = article.text
        self.entities = entities
        self.quoted = list(quoted)
        self._q_starts = [a for a, _ in self.quoted]

    def in_quote(self, offset: int) -> bool:
        i = bisect.bisect_right(self._q_starts, offset) - 1
        return i >= 0 and self.quoted[i][0] <= offset < self.quoted[i][1]

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
        return _canonical_outlet(self.text[start:end])

    def speaker_from_head(self, head, cue_tok=None, cue_text: str | None = None) -> _Speaker:
        if head.tag_ in ("WDT", "WP") and head.i > 0:
            # a relative pronoun the parse left unattached ("the Chicago Police Department which
            # reported ..."): the noun right before it
            k = head.i - 1 - (head.doc[head.i - 1].text == ",")
            if k >= 0 and head.doc[k].pos_ in ("PROPN", "NOUN"):
                head = head.doc[k]
        head = _speaker_head(head)
        lo, hi = _np_range(head)
        if lo >= hi:
            lo, hi = head.i, head.i + 1
        s, e = _char_span(self.doc, lo, hi)
        idx, name, kind = self.resolve(s, e)
        via = None
        if cue_tok is not None:
            vspan = cues.cue_via(cue_tok)
            if vspan is not None:
                via = self.outlet(*vspan)
        limit = cue_tok.i if cue_tok is not None and head.i < cue_tok.i else None
        me = _char_span(self.doc, lo, cues.mention_end(head, lo, hi, limit=limit))[1]
        return _Speaker(name, kind, self.text[s:e], s, e, idx, cue_text, via,
                        cue_tok.i if cue_tok is not None else None,
                        cue_tok.lemma_.lower() if cue_tok is not None else None,
                        me if me > e and not self.in_quote(e) else None)

    def speaker_from_cue(self, cue_tok) -> _Speaker | None:
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
                return _Speaker(None, "unknown", None, None, None, None, phrase, via, cue_tok.i)
            return None
        sp = self.speaker_from_head(head, cue_tok, phrase)
        if sp.via is None:
            sp.via = self.reported_via(cue_tok)
        return sp

    def reported_via(self, cue_tok) -> str | None:
        """The outlet a cue is reported through: 'The Times reported that X said ...', 'X said
        ..., according to the Times'."""
        tok = cue_tok
        for _ in range(3):
            for child in tok.children:
                out = self.outlet_of_np(_according_to(child))
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
        return self.outlet(*_char_span(self.doc, lo, hi)) if lo < hi else None


def _subjectless(verb) -> bool:
    """A finite cue verb whose subject is left out ("But told BBC News: ...", "and added")."""
    if verb.dep_ in ("ROOT", "conj") and verb.tag_ in ("VBD", "VBZ", "VBP"):
        return not any(c.dep_ in _SUBJ_DEPS or c.dep_ == "expl" for c in verb.children)
    return False


def _attachment_roots(index: _Index, r: _Region) -> list:
    """The quoted tokens whose head lies outside the quote: where the quote attaches to the parse."""
    toks = index.tokens_in(r.start, r.end)
    inside = {t.i for t in toks}
    return [t for t in toks if t.head.i not in inside or t.head.i == t.i]


def _nominal_speaker(res: _Resolver, index: _Index, r: _Region, frame_toks) -> _Speaker | None:
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
                src = _noun_source(anc)
                if src is not None:
                    sp = res.speaker_from_head(src, None, anc.text)
                    if sp.kind != "unknown" or src.pos_ == "PROPN":
                        return sp
            if anc.pos_ == "VERB" and res.entities is not None:
                subj = next((c for c in anc.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.lower_ not in _PRONOUNS and subj.lower_ not in _RELATIVE:
                    sp = res.speaker_from_head(subj, None, anc.text)
                    if sp.kind in ("person", "anonymous") and sp.entity is not None or sp.kind == "anonymous":
                        return sp
            if anc.head.i == anc.i:
                break
            anc = anc.head
    return None


def _noun_source(noun):
    """Who a speech noun belongs to: 'claims from X', 'X's remarks', 'remarks by X'."""
    for c in noun.children:
        if c.dep_ == "poss" and c.lower_ not in ("his", "her", "its", "their", "our", "my", "your"):
            return c
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
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
        out.append(index.doc[k])
        if limit is not None and len(out) >= limit:
            break
    if from_end:
        out.reverse()
    return out


def _sentence_start_before(text: str, lo: int, pos: int, quoted: list[tuple[int, int]]) -> int:
    """Start of the reporter's sentence that contains offset ``pos`` (within [lo, pos))."""
    k = pos - 1
    lo = max(lo, pos - _MAX_SENTENCE_CHARS)  # a longer "sentence" is a list or a broken text
    while k >= lo:
        ch = text[k]
        if ch in _SENT_END and not _inside(quoted, k) and not _is_abbreviation(text, k):
            nxt = text[k + 1] if k + 1 < len(text) else " "
            if nxt.isspace() or nxt in _CLOSE_DOUBLE + '"':
                # a closing quote right after: the sentence ended inside the quote
                return k + 1 if nxt.isspace() else k + 2
        k -= 1
    return lo


def _is_abbreviation(text: str, k: int) -> bool:
    """The full stop at ``k`` ends a title or an initial ("Rep. Gwen Moore", "G.K. Butterfield")."""
    if text[k] != ".":
        return False
    j = k
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:k + 1].lower()
    if word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)+", word):
        nxt = text[k + 1:k + 3].lstrip()
        return bool(nxt) and nxt[0].isupper()
    return False


def _sentence_end_after(text: str, pos: int, hi: int, quoted: list[tuple[int, int]]) -> int:
    k = pos
    hi = min(hi, pos + _MAX_SENTENCE_CHARS)
    while k < hi:
        ch = text[k]
        if ch in _SENT_END and not _inside(quoted, k) and not _is_abbreviation(text, k):
            nxt = text[k + 1] if k + 1 < hi else " "
            if nxt.isspace():
                return k + 1
        if ch in _OPEN_DOUBLE:
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
    speaker: _Speaker | None
    block: _Found | None = None  # enclosing block
    sentence: tuple[int, int] | None = None
    chain_id: int = -1
    floating: bool = False
    post_index: int | None = None


def _content_has_clause(index: _Index, start: int, end: int) -> bool:
    toks = index.tokens_in(start, end)
    return any(t.pos_ in ("VERB", "AUX") and t.morph.get("VerbForm") in (["Fin"],) for t in toks) \
        or any(t.dep_ in ("nsubj", "nsubjpass") for t in toks)


def extract_quotes(doc, article: Article, *, entities=None) -> list[Quote]:
    """Find the direct, partial, block, post and indirect quotes of one article with speakers.

    Args:
        doc: the spaCy Doc of ``article.text`` (parsed by :func:`newstrace.nlp.load_nlp`).
        article: the cleaned article.
        entities: the article's :class:`~newstrace.entities.EntityAnalysis`; speakers are
            resolved to canonical names with it. Without it, speakers are the words used.
    Returns:
        Quotes in text order (posts last); offsets into ``article.text``; ``parent`` indexes
        into the returned list.

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
    paras = _paragraphs(text)
    para_starts = [p[0] for p in paras]
    chains = _chains(text)
    quoted = sorted((r.open, (r.close + 1) if r.close is not None else r.end) for ch in chains for r in ch)
    res = _Resolver(doc, article, entities, quoted)

    found: list[_Found] = []
    blocks: list[_Found] = []

    turns = _transcript_turns(text, paras, chains)
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
        tail_hi = lhi if last.close is None else _sentence_end_after(text, tail_lo, lhi, quoted)
        if last.close is None or (_ends_sentence(text, last, lhi)
                                  and len(text[tail_lo:tail_hi].split()) > _SHORT_TAIL_WORDS):
            # The quoted sentence ended the reporter's sentence; what follows is a new one
            # (unless it is a bare attribution: '"...." Magnus said.').
            tail_hi = tail_lo
        tail_toks = _frame_tokens(index, text, tail_lo, tail_hi, quoted, _FRAME_TOKENS)
        lead_text = text[lead_lo:first.open].strip()

        speaker = _governing_speaker(res, index, first, lead_toks + tail_toks)
        if speaker is None:
            speaker = _find_speaker(res, index, text, lead_toks, tail_toks, tail_lo, tail_hi,
                                    tail_first=not lead_text or lead_text[-1] not in ":,")
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
            or (lead_text[-1] in ":," + _DASHES and starts_upper)
            or (starts_upper and _content_has_clause(index, first.start, first.end)
                and len(content.split()) >= 5)
        )
        if colon_block and speaker is not None and speaker.name is not None and (
                speaker.kind == "outlet" or _is_document(doc, speaker)):
            f = _Found("block", first.start, last.end, speaker, chain_id=cid)
            found.append(f)
            blocks.append(f)
            continue
        kind = "direct" if is_direct else "partial"
        if kind == "partial" and _looks_like_title(index, first):
            continue  # a programme, book or event title ('MSNBC's "Morning Joe"'), not words said
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

    # Indirect quotes from the attributions module.
    found.extend(_indirect(doc, article, entities, found, blocks))

    found.sort(key=lambda f: (f.start, _KIND_ORDER.get(f.kind, 9), f.end))
    _carry_speakers(found, para_starts)
    return _to_quotes(doc, article, found, index)


# Titles and honorifics written with a full stop that does not end the sentence.
_ABBREVIATIONS = frozenset(k for k in _TITLE_ABBREV if k.endswith(".")) | {
    "mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "prof.", "rev.", "hon.", "messrs."}

# A transcript's speaker label: one to three upper-case words and a colon at a paragraph's start.
_LABEL_RE = re.compile(r"([A-Z][A-Z'\u2019.-]+(?: [A-Z][A-Z'\u2019.-]+){0,2}):\s+")


def _transcript_turns(text: str, paras, chains) -> dict[int, tuple[str, int, int]]:
    """Speaker turns of an interview transcript: {turn start: (label, content start, content end)}.

    A paragraph (or a quoted paragraph: transcripts are often quoted whole, each paragraph
    re-opening the mark) that starts with an upper-case label and a colon is a turn when the
    article has at least two such paragraphs under at least two labels ("WALLACE:", "PENCE:"),
    so one "UPDATE:" or "ABSTRACT:" line is not a transcript. A label-less paragraph between
    turns (a stage direction) is left alone.
    """
    regions = {r.start: r for ch in chains for r in ch}
    cands: dict[int, tuple[str, int, int]] = {}
    for lo, hi in paras:
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


def _label_speaker(res: _Resolver, label: str, start: int) -> _Speaker:
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
    return _Speaker(name, kind, label, start, start + len(label), idx, None, None)


_TITLE_SMALL_WORDS = frozenset("a an the of and or in on at to for with by from de la le du".split())


def _looks_like_title(index: _Index, r: _Region) -> bool:
    """Every significant word capitalised and no finite verb: a title or name in quote marks."""
    toks = [t for t in index.tokens_in(r.start, r.end) if t.is_alpha or t.like_num]
    if not toks or len(toks) > 8:
        return False
    sig = [t for t in toks if t.lower_ not in _TITLE_SMALL_WORDS]
    if not sig or not all(t.text[0].isupper() or t.like_num for t in sig):
        return False
    return not any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in toks)


def _carry_speakers(found: list[_Found], para_starts: list[int]) -> None:
    """Fill speakers the frame does not give from the previous speaker: floating quotes (no
    cue), cues without a subject ("But told BBC News: ..."), pronouns the resolver left open."""
    last: tuple[int, _Speaker] | None = None
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
                and (sp.mention or "").strip().lower() in _PRONOUNS:
            f.speaker = replace(prev, mention=sp.mention, start=sp.start, end=sp.end,
                                cue=sp.cue, via=sp.via, mention_end=sp.mention_end)
        elif sp is not None and sp.name is None:
            f.speaker = None
        elif sp is not None and prev is not None and sp.cue_lemma in _CONTINUING \
                and (sp.mention or "").strip().lower() in _PRONOUNS and sp.entity != prev.entity \
                and prev.kind in ("person", "anonymous"):
            # "..., he added": a continuing cue with a pronoun goes on with the previous speaker.
            f.speaker = replace(prev, mention=sp.mention, start=sp.start, end=sp.end,
                                cue=sp.cue, via=sp.via, mention_end=sp.mention_end)
        if f.speaker is not None and f.speaker.name is not None:
            last = (para, f.speaker)


_KIND_ORDER = {"block": 0, "direct": 1, "partial": 2, "indirect": 3, "post": 4}


def _is_document(doc, sp: _Speaker) -> bool:
    if sp.start is None:
        return False
    words = re.findall(r"[A-Za-z]+", sp.mention or "")
    return bool(words) and words[-1].lower() in cues.DOCUMENT_NOUNS


def _governing_speaker(res: _Resolver, index: _Index, r: _Region, frame_toks) -> _Speaker | None:
    """The speaker of the cue verb that governs the quoted words in the parse (the quote is its
    complement, object or the object of its preposition: 'described it as the "..."')."""
    frame = {t.i for t in frame_toks}
    roots = _attachment_roots(index, r)
    for root in roots[:3]:
        anc = root.head
        for _ in range(4):
            if anc.i in frame and _is_cue_near_quote(anc):
                return res.speaker_from_cue(anc)
            if anc.head.i == anc.i:
                break
            anc = anc.head
    return None


def _ends_sentence(text: str, r: _Region, hi: int) -> bool:
    """The quoted content ends a sentence and the reporter's text starts a new one after it."""
    if r.close is None or not text[r.start:r.end].rstrip().endswith(tuple(_SENT_END)):
        return False
    rest = text[r.close + 1:hi].lstrip()
    return not rest or rest[0].isupper() or rest[0] in _OPEN_DOUBLE + '"'


def _find_speaker(res: _Resolver, index: _Index, text: str, lead_toks, tail_toks,
                  tail_lo: int, tail_hi: int, *, tail_first: bool = True) -> _Speaker | None:
    if tail_first:
        sp = _tail_speaker(res, text, tail_toks, tail_lo, tail_hi)
        return sp if sp is not None else _lead_speaker(res, lead_toks)
    sp = _lead_speaker(res, lead_toks)
    return sp if sp is not None else _tail_speaker(res, text, tail_toks, tail_lo, tail_hi)


def _tail_speaker(res: _Resolver, text: str, tail_toks, tail_lo: int, tail_hi: int) -> _Speaker | None:
    # After the quote: '"...," he said.' / '"...," said Magnus.' / '"..." — Chief X'
    tail_text = text[tail_lo:tail_hi]
    dash = re.match(r"\s*[\u2014\u2013]\s*|\s+-\s+", tail_text)
    for tok in tail_toks:
        if _is_cue_near_quote(tok):
            sp = res.speaker_from_cue(tok)
            if sp is not None:
                return sp
        obj = _according_to(tok)
        if obj is not None:
            sp = res.speaker_from_head(obj, None, "according to")
            sp.via = res.outlet(sp.start, sp.end) if sp.kind == "outlet" else None
            return sp
    if dash and tail_toks:
        names = [t for t in tail_toks if t.idx >= tail_lo + dash.end() and t.pos_ == "PROPN"]
        if names:
            head = names[0]
            while head.head.pos_ == "PROPN" and head.head.i != head.i and head.head in tail_toks:
                head = head.head
            return res.speaker_from_head(head, None, None)
    return None


def _lead_speaker(res: _Resolver, lead_toks) -> _Speaker | None:
    # Before the quote: 'Magnus said: "..."' / 'He told CNN, "..."'
    for tok in reversed(lead_toks):
        if _is_cue_near_quote(tok):
            sp = res.speaker_from_cue(tok)
            if sp is not None:
                return sp
        obj = _according_to(tok)
        if obj is not None:
            sp = res.speaker_from_head(obj, None, "according to")
            return sp
    return None


def _colon_intro(res: _Resolver, index: _Index, text: str, paras, p: int, quoted):
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
        obj = _according_to(tok)
        if obj is not None:
            return res.speaker_from_head(obj, None, "according to"), True
    return None, False


def _previous_sentence_speaker(res: _Resolver, index: _Index, text: str, paras, r: _Region,
                               lead_lo: int, quoted) -> _Speaker | None:
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


def _nested_quotes(res: _Resolver, index: _Index, text: str, block: _Found, quoted) -> list[_Found]:
    out: list[_Found] = []
    via = block.speaker.name if block.speaker else None
    regions = [_strip_region(text, r) for r in _scan(text, block.start, block.end, -1, single=True)]
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


def _indirect(doc, article: Article, entities, found: list[_Found], blocks: list[_Found]) -> list[_Found]:
    try:
        from .attributions import extract_indirect
    except (ImportError, AttributeError):
        return []
    try:
        quotes = extract_indirect(doc, article, entities=entities)
    except Exception as exc:  # noqa: BLE001 - a bug there must not cost the direct quotes
        import logging

        logging.getLogger("newstrace").warning(
            "%s: reported speech skipped, extract_indirect failed: %s: %s",
            article.source, type(exc).__name__, exc)
        return []
    direct = [(f.start, f.end) for f in found if f.kind == "direct"]
    out = []
    for q in quotes:
        if any(q.start < e and q.end > s for s, e in direct):
            continue
        block = next((b for b in blocks if b.start <= q.start < b.end), None)
        sp = _Speaker(q.speaker, q.speaker_kind, q.speaker_mention, q.speaker_start, q.speaker_end,
                      q.speaker_entity, q.cue, q.via or (block.speaker.name if block and block.speaker else None),
                      cue_lemma=_verb_lemma(q.cue))
        out.append(_Found("indirect", q.start, q.end, sp, block=block))
    return out


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


def _sentence_of(sents: list[tuple[int, int]], text: str, start: int, end: int) -> str:
    """The sentence(s) of the parse covering [start, end), capped at _MAX_SENTENCE_CHARS around it."""
    starts = [a for a, _ in sents]
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
    sents = [(sent.start_char, sent.end_char) for sent in doc.sents] if len(doc) else []
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
            sentence=_sentence_of(sents, text, f.start, f.end),
            speaker_entity=sp.entity if sp else None,
            parent=pos.get(id(f.block)) if f.block is not None else None,
        )
        quotes.append(q)
    return _post_quotes(article, quotes)


def _canonical_outlet(name: str) -> str | None:
    try:
        from .entities import canonical_outlet
    except ImportError:
        return None
    try:
        return canonical_outlet(name)
    except Exception:  # noqa: BLE001 - a bad name must not lose the post
        return None


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
        outlet = _canonical_outlet(post.author) if post.author else None
        if outlet:
            kind = "outlet"
        cue = "tweeted" if platform in ("twitter", "x") else "posted"
        speaker = post.author or (f"@{post.handle.lstrip('@')}" if post.handle else None)
        quotes.append(Quote(
            article_id=article.id, kind="post", text=body, start=start, end=end,
            speaker=outlet or speaker, speaker_kind=kind,
            speaker_mention=post.author or post.handle, cue=cue,
            via=(post.platform or "").capitalize() if platform != "x" else "X",
            raw_start=post.raw_start, raw_end=post.raw_end, post_index=i))
    return quotes
