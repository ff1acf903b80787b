"""What every extractor reads from one parse, computed once per Doc: the token objects, the text,
the sentences, the entities, the heads and children (issue 15: extraction within 0.15 of the
parse's time).

spaCy builds a new :class:`~spacy.tokens.Token` object each time a Doc is iterated or indexed,
and ``Doc.text`` joins every token's text again on each read; the extractors walk the same Doc
some twenty times (and ``Token.children`` walks the token's whole subtree span on each read:
:func:`children` reads them from the index). :func:`doc_index` keeps one :class:`DocIndex` per
Doc in ``doc.user_data``, built lazily (a field is computed when first read), so that the stages
share one list of tokens and one text. :func:`newstrace.extract.core.annotate` drops it with :func:`release_index` when the
article is done (it holds Token objects, which a serialised Doc cannot carry).

The index is valid while the Doc is not changed: it is rebuilt when the Doc's length differs
from the one it was built for, and a stage that retokenizes a Doc must call :func:`release_index`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

import numpy
from spacy.attrs import HEAD, IDX, IS_TITLE, IS_UPPER, LEMMA, ORTH, SPACY
from spacy.parts_of_speech import NAMES as POS_NAMES

_KEY = "newstrace.doc_index"
_STRINGS: dict[int, str] = {}  # string hash -> string, shared by every Doc (one StringStore hash space)
_LOWERED: dict[int, str] = {}  # string hash -> the string in lower case, the same
# id(vocab) -> (the vocab, ORTH hash -> its lexeme row): lexical attributes, which depend on the vocab
_LEXEMES: dict[int, tuple[Any, dict[int, tuple[str, str, str, bool, bool]]]] = {}
_POS_NAMES = [POS_NAMES.get(k, "") for k in range(max(POS_NAMES) + 1)]  # part-of-speech id -> name


class DocIndex:
    """The shared, lazily computed views of one parsed article (read-only by convention)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.size = len(doc)
        # answers of pure functions of a token of this Doc, by (function name, token index)
        self.memo: dict[tuple[str, int], Any] = {}
        self._children: dict[int, tuple[Any, ...]] = {}  # children_of's answers by token index
        self._flagged: dict[tuple[int, ...], list[int]] = {}  # flagged's answers by flags
        self._of_text: dict[Callable[[str], Any], tuple[str, Any]] = {}  # of_text's answers by function

    @cached_property
    def tokens(self) -> list[Any]:
        """The Doc's tokens as a list: ``tokens[i]`` is ``doc[i]`` without building a new Token."""
        return list(self.doc)

    @cached_property
    def _lexemes(self) -> list[tuple[str, str, str, bool, bool]]:
        """Each token's lexeme row (:func:`lexeme_rows`: text, text and a space, lower case, title
        case, upper case), from the Doc's ORTH column read as one array: the lexical
        columns below share that one read and one lookup per token."""
        return lexeme_rows(self.doc.vocab, self.orths) if self.size else []

    @cached_property
    def orths(self) -> list[int]:
        """``tokens[i].orth`` of every token (the ORTH column, read as one array)."""
        return self.doc.to_array(ORTH).tolist() if self.size else []

    @cached_property
    def lower(self) -> list[str]:
        """``tokens[i].lower_`` of every token (from the lexeme rows, not from the Token objects)."""
        return [row[2] for row in self._lexemes]

    @cached_property
    def words(self) -> list[str]:
        """``tokens[i].text`` of every token (from the lexeme rows, not from the Token objects)."""
        return [row[0] for row in self._lexemes]

    @cached_property
    def offsets(self) -> list[int]:
        """``tokens[i].idx`` of every token (its character offset; read as one array, not from the
        Token objects)."""
        return self.doc.to_array(IDX).tolist() if self.size else []

    @cached_property
    def lemma_lower(self) -> list[str]:
        """``tokens[i].lemma_.lower()`` of every token (read as one array, lowered once per
        distinct lemma: the entity steps test the lemma of every noun)."""
        return lowered_strings(self.doc.vocab, self.doc.to_array(LEMMA).tolist()) if self.size else []

    @cached_property
    def pos(self) -> list[str]:
        """``tokens[i].pos_`` of every token (spaCy's ``Token.pos_`` reads the same table)."""
        return list(map(_POS_NAMES.__getitem__, self.doc.to_array("POS").tolist())) if self.size else []

    @cached_property
    def text(self) -> str:
        """``doc.text``, joined once as spaCy joins it (each token's text, and a space after it
        where it has one: ``Token.text_with_ws``)."""
        if not self.size:
            return ""
        space = self.doc.to_array(SPACY).tolist()  # (the lexeme rows hold each text with its space)
        return "".join([row[sp] for row, sp in zip(self._lexemes, space)])

    @cached_property
    def has_sents(self) -> bool:
        """``doc.has_annotation("SENT_START")``."""
        return self.doc.has_annotation("SENT_START")

    @cached_property
    def has_dep(self) -> bool:
        """``doc.has_annotation("DEP")``: whether the Doc was parsed."""
        return self.doc.has_annotation("DEP")

    @cached_property
    def ents(self) -> tuple[Any, ...]:
        """``doc.ents``, read once (spaCy builds a new tuple of new Spans on every read)."""
        return self.doc.ents

    def of_text(self, fn: Callable[[str], Any], text: str) -> Any:
        """``fn(text)`` of the article's clean text the Doc was parsed from, computed once for the
        stages that ask (the entity stage's pronouns and the quotes stage both read
        ``quote_marks.quote_chains``); another text is computed anew. The answer is read-only."""
        hit = self._of_text.get(fn)
        if hit is None or hit[0] != text:
            hit = self._of_text[fn] = (text, fn(text))
        return hit[1]

    def sent_ents(self, sent: Any) -> list[Any]:
        """``sent.ents``: the entities wholly inside the Span ``sent``, as spaCy's ``Span.ents``
        picks them (in order; the first one that starts inside and ends beyond it stops the scan)."""
        out = []
        for ent in self.ents:
            if ent.start >= sent.start:
                if ent.end <= sent.end:
                    out.append(ent)
                else:
                    break
        return out

    @cached_property
    def date_ents(self) -> list[Any]:
        """The Doc's DATE entities in order."""
        return [e for e in self.ents if e.label_ == "DATE"]

    @cached_property
    def sents(self) -> list[Any]:
        """``list(doc.sents)``: the sentence Spans in order."""
        return list(self.doc.sents) if self.size else []

    def sent_of(self, i: int) -> Any:
        """The sentence Span holding token ``i``: ``doc[i].sent`` without walking the sentence."""
        return self.sents[self.sent_no[i]]

    def sent_text(self, i: int) -> str:
        """``doc[i].sent.text``, cut from the text instead of joined from the sentence's tokens."""
        sent = self.sents[self.sent_no[i]]
        return self.text[sent.start_char:sent.end_char]

    def flagged(self, *flags: int) -> tuple[int, ...]:
        """The indices of the tokens with any of the lexical ``flags`` set (``spacy.attrs.IS_TITLE``,
        ``IS_UPPER``, ...: ``tok.is_title or tok.is_upper``), read as one array; kept per ``flags``
        (the entity steps ask for the title-case words four times), so a tuple no caller can change."""
        hit = self._flagged.get(flags)
        if hit is None:
            if not self.size:
                hit = ()
            elif flags == (IS_TITLE,):  # the lexeme rows' flags (``to_array`` of a flag reads it
                # token by token: as slow as reading ``tok.is_title`` of every token)
                hit = tuple([i for i, row in enumerate(self._lexemes) if row[3]])
            elif set(flags) <= {IS_TITLE, IS_UPPER}:
                title, upper = IS_TITLE in flags, IS_UPPER in flags
                hit = tuple([i for i, row in enumerate(self._lexemes) if title and row[3] or upper and row[4]])
            else:
                # (to_array gives one column, not a table, for a single attribute)
                hit = tuple(numpy.flatnonzero(self.doc.to_array(list(flags)).reshape(self.size, -1).any(axis=1)).tolist())
            self._flagged[flags] = hit
        return hit

    @cached_property
    def _head_array(self) -> Any:
        """The absolute head index of every token, as a numpy array (the HEAD column is relative)."""
        return numpy.arange(self.size, dtype="int64") + self.doc.to_array(HEAD).astype("int64")

    @cached_property
    def heads(self) -> list[int]:
        """``tokens[i].head.i`` of every token."""
        return self._head_array.tolist()

    @cached_property
    def _dependents(self) -> tuple[list[int], list[int]]:
        """The token indices ordered by their head (stably: in text order under each head), and
        where each head's run starts in that order (token ``i``'s run ends where ``i + 1``'s starts)."""
        heads = self._head_array
        order = numpy.argsort(heads, kind="stable")
        bounds = [0] + numpy.cumsum(numpy.bincount(heads, minlength=self.size)).tolist()
        return order.tolist(), bounds

    def children_of(self, i: int) -> tuple[Any, ...]:
        """``tuple(tokens[i].children)``: the tokens whose head token ``i`` is, in text order.

        spaCy's ``Token.children`` walks the token's whole subtree span (from its left edge to
        its right edge) and builds a new Token for each child on every read; a token's children
        all lie in its subtree, so the tokens found by head are the same."""
        kids = self._children.get(i)
        if kids is None:
            order, bounds = self._dependents
            toks = self.tokens
            kids = self._children[i] = tuple([toks[j] for j in order[bounds[i]:bounds[i + 1]] if j != i])
        return kids

    @cached_property
    def sent_no(self) -> list[int]:
        """The sentence number of each token."""
        out = [0] * self.size
        for k, sn in enumerate(self.sents):
            out[sn.start:sn.end] = [k] * (sn.end - sn.start)
        return out


def strings(vocab: Any, ids: list[int]) -> list[str]:
    """The strings of string-store hashes (``Doc.to_array`` columns; 0 is ""), looked up once per
    distinct hash in a cache shared by every Doc (one StringStore hash space)."""
    return _looked_up(_STRINGS, vocab, ids, lower=False)


def lowered_strings(vocab: Any, ids: list[int]) -> list[str]:
    """:func:`strings` in lower case (the lemmas the learned layer reads), lowered once per
    distinct hash in a cache of their own."""
    return _looked_up(_LOWERED, vocab, ids, lower=True)


def lexeme_rows(vocab: Any, orths: list[int]) -> list[tuple[str, str, str, bool, bool]]:
    """The lexical attributes of the words whose ORTH hashes are ``orths`` (a ``Doc.to_array(ORTH)``
    column), read from ``vocab``'s lexemes once per distinct word and kept for later Docs of the
    same vocab: rows of (``text``, ``text`` and a space, ``lower_``, ``is_title``, ``is_upper``).
    One lookup per token gives the columns :class:`DocIndex` reads (words, lower case, the text,
    the title- and upper-case words) that each took an array read and a lookup of their own.

    Args:
        vocab: the Doc's ``Vocab``.
        orths: the ORTH hash of each token.
    Returns:
        One row per token, in token order.
    """
    kept = _LEXEMES.get(id(vocab))
    if kept is None or kept[0] is not vocab:
        if len(_LEXEMES) >= 2:  # one pipeline's vocab in a run; a second (tests) replaces it
            _LEXEMES.clear()
        kept = _LEXEMES[id(vocab)] = (vocab, {})  # (the vocab held: its id is not reused meanwhile)

    def row(x: int) -> tuple[str, str, str, bool, bool]:
        lex = vocab[x]
        text = lex.orth_
        return (text, text + " ", lex.lower_, lex.is_title, lex.is_upper)
    return _through(kept[1], orths, row, limit=200_000)  # a row is ~330 bytes: ~70 MB at most


def _looked_up(cache: dict[int, str], vocab: Any, ids: list[int], *, lower: bool) -> list[str]:
    """``ids`` as strings through ``cache``."""
    def string(x: int) -> str:
        value = vocab.strings[x] if x else ""
        return value.lower() if lower else value
    return _through(cache, ids, string)


def _through(cache: dict[int, Any], ids: list[int], make: Callable[[int], Any], limit: int = 500_000) -> list[Any]:
    """What each of ``ids`` maps to, each distinct one made once by ``make`` and kept in ``cache``
    (cleared past ``limit`` entries, so memory stays bounded)."""
    if len(cache) > limit:
        cache.clear()
    try:  # most words of an article were seen before: no set of its ids to build then
        return list(map(cache.__getitem__, ids))
    except KeyError:
        pass
    for x in set(ids).difference(cache):
        cache[x] = make(x)
    return list(map(cache.__getitem__, ids))


def doc_index(doc: Any) -> DocIndex:
    """The :class:`DocIndex` of ``doc``, built on first use and kept in ``doc.user_data``.

    Args:
        doc: a spaCy Doc.
    Returns:
        Its index; the same object for every call until :func:`release_index`.

    >>> doc_index(doc).tokens[3] == doc[3]  # doctest: +SKIP
    True
    """
    global _LAST
    last = _LAST  # (one read: another thread may set it meanwhile)
    if last is not None and last.doc is doc and last.size == len(doc):
        return last  # the Doc asked about last (the stages ask some 1,500 times per article)
    idx = doc.user_data.get(_KEY)
    if idx is None or idx.doc is not doc or idx.size != len(doc):
        idx = DocIndex(doc)
        doc.user_data[_KEY] = idx
    _LAST = idx
    return idx


_LAST: DocIndex | None = None  # the index doc_index returned last (release_index forgets it)


def children(tok: Any) -> tuple[Any, ...]:
    """``tuple(tok.children)`` from the shared index (:meth:`DocIndex.children_of`): the dependents
    of ``tok`` in text order, without walking its subtree and building new Tokens on every read."""
    last, doc = _LAST, tok.doc
    if last is not None and last.doc is doc:  # doc_index's own test, without its calls
        kids = last._children.get(tok.i)
        if kids is not None and last.size == len(doc):
            return kids
    return doc_index(doc).children_of(tok.i)


def prep_object(prep: Any) -> Any:
    """The object of a preposition: its first ``pobj`` dependent ("according to [the report]",
    "by [the agency]"), else None. (Also what an ``agent`` holds.)"""
    return next((c for c in children(prep) if c.dep_ == "pobj"), None)


class KeptAnswers:
    """The answers of a pure function of a word kept across documents, by a key the caller makes
    (a token's interned ids, or strings it already holds: building strings from a Token costs more
    than the lookup): at most ``limit`` of them, later ones are computed and not kept, so a run's
    memory stays bounded.

    >>> double = KeptAnswers(lambda x: 2 * x, limit=1)
    >>> double(("a",), 3), double(("b",), 4), len(double.kept)
    (6, 8, 1)
    """

    def __init__(self, fn: Any, limit: int = 100_000) -> None:
        self.fn, self.limit, self.kept = fn, limit, {}

    def __call__(self, key: Any, *args: Any) -> Any:
        hit = self.kept.get(key, _MISSING)
        if hit is _MISSING:
            hit = self.fn(*args)
            if len(self.kept) < self.limit:
                self.kept[key] = hit
        return hit

    def many(self, keys: list[tuple[Any, ...]]) -> list[Any]:
        """The answers for several keys that are each the function's own arguments (``self(key,
        *key)`` of each): one dict read per key when all were kept, no call per key."""
        try:
            return list(map(self.kept.__getitem__, keys))
        except KeyError:
            return [self(key, *key) for key in keys]


_MISSING = object()


def span_chars(doc: Any, lo: int, hi: int) -> tuple[int, int]:
    """Character offsets (start, end) of the tokens [lo, hi), read from the shared offsets and words."""
    index = doc_index(doc)
    offsets = index.offsets  # (the lists: a Token's idx and text are built on each read)
    return offsets[lo], offsets[hi - 1] + len(index.words[hi - 1])


def release_index(doc: Any) -> None:
    """Forget the index of ``doc`` (after the last stage, or after changing the Doc)."""
    global _LAST
    last = _LAST
    if last is not None and last.doc is doc:
        _LAST = None
    doc.user_data.pop(_KEY, None)
