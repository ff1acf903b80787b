"""The grammatical form of a reported content: a clause or a noun phrase (issue 15 §4).

PolNeAR-style attribution counts noun-phrase contents ("Clinton condemned [the move]", "accused
[him of fraud]", "[his claim that ...]") as much as clauses ("said [the plan was dead]"); a
Quotebank-style user wants what was said, not what it was about. :func:`content_form` labels a
content from the parse of its head, so that each user keeps the records they count
(:data:`newstrace.models.FORMS`; ``newstrace export --form clause``). It only labels: no record is
made or dropped by it.
"""

from __future__ import annotations

from .doc_index import children, doc_index

# Relations of a dependent that make its verb a clause: a subject ("[him] leaving"), a complementiser
# or a question word's mark ("[whether] the plan would work").
_CLAUSE_DEPS = frozenset(("nsubj", "nsubjpass", "csubj", "csubjpass", "expl", "mark"))
# Tags of a finite verb (a clause of its own, with or without a subject the parser found).
_FINITE_TAGS = frozenset(("VBD", "VBZ", "VBP", "MD"))


def content_form(doc, lo: int, hi: int) -> str:
    """``"clause"`` or ``"noun_phrase"``: the form of the content at tokens ``[lo, hi)``.

    The content's head is the word by which the largest part of it attaches to the rest of the
    sentence (of its words whose head lies outside it; a clause wins a tie). It is a clause when
    that head is a finite verb, a verb with an auxiliary or "to" (an infinitive: "urged [him to
    resign]", where "to resign" outweighs "him"; not a gerund's "being" or "having"), a verb with a
    subject of its own ("said [the plan was dead]") or a word with a complementiser ("asked [whether
    the plan would work]"); a preposition heads a clause when its object does ("asked about
    [whether ...]"). Anything else is a noun phrase: an object ("condemned [the move]"), an
    "of"-phrase ("warned of [a recession]", "accused [him of fraud]"), a noun with its complement
    ("[his claim that ...]"), a verbless small clause ("branded [the decision unacceptable]"), and a
    gerund without a subject of its own, which names an act as a noun does ("denied [taking the
    money]", "denied [being leaned on]").

    Args:
        doc: the spaCy Doc.
        lo: the content's first token.
        hi: one past its last token.
    Returns:
        "clause" or "noun_phrase" ("noun_phrase" for an empty range).
    """
    toks = doc_index(doc).tokens  # doc[i] builds a new Token on every read
    best, best_size = None, 0
    for k in range(lo, hi):
        t = toks[k]
        head = t.head.i
        if lo <= head < hi and head != k:
            continue  # attaches inside the content
        size = min(hi, t.right_edge.i + 1) - max(lo, t.left_edge.i)
        if size > best_size or (size == best_size and best is not None and not _heads_clause(best)
                                and _heads_clause(t)):
            best, best_size = t, size
    return "clause" if best is not None and _heads_clause(best) else "noun_phrase"


def _heads_clause(tok) -> bool:
    """Whether ``tok`` heads a clause (see :func:`content_form`)."""
    kids = children(tok)
    if tok.pos_ == "ADP":  # "about [whether ...]": the preposition's object decides
        obj = next((c for c in kids if c.dep_ in ("pcomp", "pobj")), None)
        return obj is not None and _heads_clause(obj)
    if tok.pos_ not in ("VERB", "AUX"):
        # a noun, or a verbless small clause: "branded [the decision unacceptable]"
        return any(c.dep_ == "mark" for c in kids)
    if any(c.dep_ in _CLAUSE_DEPS for c in kids):
        return True
    aux = next((c for c in kids if c.dep_ in ("aux", "auxpass") and c.i < tok.i), None)
    if aux is not None:  # "would [work]", "[to] resign"; "[being] leaned on", "[having] said": a gerund
        return aux.tag_ != "VBG"
    if tok.tag_ == "VBG":  # a gerund: a clause only as the head the parser gave a clause to
        return any(c.dep_ == "ccomp" for c in kids)  # ("said [seeing so many officers] was ...")
    return tok.tag_ in _FINITE_TAGS or tok.tag_ in ("VB", "VBN")
