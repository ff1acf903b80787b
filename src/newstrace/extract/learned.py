"""The learned attribution layer: a token CRF that finds what the rules miss (issue 15).

A linear-chain CRF (trained with python-crfsuite, decoded by :mod:`newstrace.extract.crf`) tags
each token of a sentence as part of an attribution's ``Source``, ``Cue`` or ``Content`` (BIO), over
features of the spaCy parse: the word, its tags, dependency and entity label, its head (lemma and
relation), the reporting verb it hangs from (the relation and the dependency path up to it), the
nearest cue word of its sentence, the cue and act classes of :mod:`newstrace.extract.cues` (the one
table of cue words and their acts), where it sits against quotation marks and a colon, and where
its sentence sits (position in the text, paragraph edges). Only sentences that can hold an
attribution are tagged (:func:`may_attribute`). It was trained on PolNeAR train
(``training/train_span_tagger.py`` rebuilds the weights bit for bit; the data recipe is in
``training/polnear_data.py``). The weights ship inside the package
(``newstrace/data/attribution_crf.crfsuite``) and are loaded once.

:func:`model_quotes` turns the tags into :class:`~newstrace.models.Quote` records (kind
``indirect``), with the act of their cue (speech, thought, intention, evidence, decision) and a
speaker resolved by the article's entities, for contents that no rule record overlaps.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from functools import cached_property, lru_cache
from itertools import repeat
from operator import mul
from importlib import resources
from pathlib import Path

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, IS_TITLE, LEMMA, LOWER, POS, TAG
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.strings import get_string_id

from ..errors import MissingExtra, ModelNotInstalled
from ..models import Article, Quote
from . import crf, cues
from .doc_index import KeptAnswers, children, doc_index, span_chars, strings
from .forms import content_form
from .lexicon import DOC_NOUNS, SHARES_SUBJECT_DEPS, names_people
from .outlets import ORG_WORDS
from .speakers import Speaker, SpeakerResolver, can_speak, cue_subject

MODEL_FILE = "attribution_crf.crfsuite"
TRIGGERS_FILE = "attribution_triggers.json"
LABELS = ("Source", "Cue", "Content")

_QUOTE_OPEN_CLOSE = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
_SUBJ = frozenset(("nsubj", "nsubjpass", "csubj", "agent", "expl"))
_TRIGGER_WORDS = frozenset(("according", ":"))  # with quote marks and cue-class words: see may_attribute
_NOMINAL = frozenset(("NOUN", "PROPN", "PRON", "NUM"))
_NAMING = frozenset(("NOUN", "PROPN"))  # a one-word content model_quotes keeps: a noun or a name, not a pronoun
_ATTRS = (LEMMA, DEP, TAG, HEAD, ENT_TYPE, IS_TITLE, POS, LOWER)


def act_of(lemma: str, pos: str | None = None) -> str:
    """The act (one of models.ACTS) a cue lemma reports: :func:`newstrace.extract.cues.act_of_lemma`.

    >>> act_of("believe"), act_of("show"), act_of("say")
    ('thought', 'evidence', 'speech')
    """
    return cues.act_of_lemma(lemma, pos)


def word_class(lem: str, pos: str) -> str:
    """The CRF's cue class of a word: ``cue:<class>`` for reporting verbs, ``act:<act>`` for the
    other verbs of :func:`act_of`, ``speechnoun``, ``docnoun``, ``actnoun:<act>``, ``according``,
    or "" (the tables are :mod:`newstrace.extract.cues`')."""
    return _CLASSES((lem, pos), lem, pos)


def _word_class(lem: str, pos: str) -> str:
    if pos in ("VERB", "AUX"):
        cls = cues.cue_class(lem)
        if cls:
            return "cue:" + cls
        act = cues.act_of_lemma(lem, "VERB")
        if act != "speech":
            return "act:" + act
    elif pos == "NOUN":
        if lem in cues.SPEECH_NOUNS:
            return "speechnoun"
        if lem in cues.DOCUMENT_NOUNS:
            return "docnoun"
        act = cues.act_of_lemma(lem, "NOUN")
        if act != "speech":
            return "actnoun:" + act
    elif lem in ("according", "accord"):  # spaCy lemmatises "according" (to) as "accord"
        return "according"
    return ""


_CLASSES = KeptAnswers(_word_class)


def _in_quotes(words: list[str]) -> list[bool]:
    out, inside = [], False
    for w in words:
        if w in _QUOTE_OPEN_CLOSE:
            if w == "\u201c":
                inside = True
            elif w == "\u201d":
                inside = False
            else:
                inside = not inside
            out.append(True)
        else:
            out.append(inside)
    return out


class DocView:
    """The token attributes the CRF reads, taken from a Doc once (``Doc.to_array``) as lists
    (the string columns the run-time features read by hash only, ``tag`` and ``ent``, are made
    when first read)."""

    def __init__(self, doc) -> None:
        n = len(doc)
        arr = doc.to_array(_ATTRS) if n else np.zeros((0, len(_ATTRS)), dtype="uint64")
        index = doc_index(doc)  # the shared index: lower, pos and words read once per parse
        self.doc = doc
        self.low = index.lower
        self.lem = index.lemma_lower  # the lemmas in lower case, shared with the entity steps
        self.pos = index.pos
        self.dep = strings(doc.vocab, arr[:, 1].tolist())
        self.head = index.heads  # each token's head index, shared with children()
        self.words = index.words  # not [t.text for t in doc]: a Token object each is slow
        self._arr = arr
        self._hashes = {"lem": arr[:, 0], "dep": arr[:, 1], "tag": arr[:, 2], "ent": arr[:, 4], "pos": arr[:, 6],
                        "low": arr[:, 7]}  # the string-store hashes of the columns coded() reads
        self._coded: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._hash_at: dict[tuple[str, int], np.ndarray] = {}
        # each token's cue class (word_class), computed once per distinct lemma and part of speech
        first, code = self.coded("classes")
        lem, pos = self.lem, self.pos
        distinct = _CLASSES.many([(lem[i], pos[i]) for i in first.tolist()])  # word_class of each
        self.classes = [distinct[c] for c in code.tolist()]
        # the distinct classes (a few), and each token's number among them
        numbers: dict[str, int] = {}
        of_distinct = np.array([numbers.setdefault(x, len(numbers)) for x in distinct], dtype=np.intp)
        self.class_names = list(numbers)
        self.class_code = of_distinct[code] if n else np.zeros(0, dtype=np.intp)
        self.is_cue = np.array([bool(x) for x in self.class_names], dtype=bool)[self.class_code] if n \
            else np.zeros(0, dtype=bool)

    @cached_property
    def tag(self) -> list[str]:
        """``tokens[i].tag_`` of every token."""
        return strings(self.doc.vocab, self._arr[:, 2].tolist())

    @cached_property
    def ent(self) -> list[str]:
        """``tokens[i].ent_type_`` of every token."""
        return strings(self.doc.vocab, self._arr[:, 4].tolist())

    @cached_property
    def title(self) -> list[bool]:
        """``tokens[i].is_title`` of every token."""
        return [bool(x) for x in self._arr[:, 5].tolist()]

    def is_one_of(self, column: str, values: frozenset[str]) -> np.ndarray:
        """Whether each token's ``column`` (``low`` or ``dep``) is one of ``values``, by hash."""
        hashes = self._hashes[column]
        mask = np.zeros(len(hashes), dtype=bool)
        for h in _value_hashes(values):  # (a few values: np.isin's set-up costs more than these comparisons)
            mask |= hashes == h
        return mask

    def hash_at(self, column: str, model: crf.CrfModel) -> np.ndarray:
        """Each token's position among the hashes of the values the model knows for ``column``
        (:func:`_hashed`), the number of those hashes where the token's value is not among them."""
        got = self._hash_at.get((column, id(model)))
        if got is None:
            keys = _hashed(model, column)[0]
            hashes = self._hashes[column]
            at = np.minimum(keys.searchsorted(hashes), max(len(keys) - 1, 0))
            got = self._hash_at[(column, id(model))] = np.where(keys[at] == hashes, at, len(keys)) if len(keys) else \
                np.zeros(len(hashes), dtype=np.intp)
        return got

    def coded(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """The distinct values of a column (``low``, ``lem``, ``pos``, ``dep``, ``tag``, ``ent`` or
        ``classes``) as the index of a token holding each, and each token's index among them."""
        got = self._coded.get(column)
        if got is None:
            if column == "classes":  # a function of the lemma and the part of speech
                got = _codes(self.coded("lem")[1].astype("uint64") * 1024 + self._hashes["pos"] % 1024)
            else:
                got = _codes(self._hashes[column])
            self._coded[column] = got
        return got


@lru_cache(maxsize=64)
def _value_hashes(values: frozenset[str]) -> tuple[np.uint64, ...]:
    """The string-store hashes of some strings, found once per set of them."""
    return tuple(np.uint64(get_string_id(v)) for v in values)


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the first position of each distinct value, each position's distinct value number)."""
    # np.unique(values, return_index=True, return_inverse=True) without its general set-up (about
    # 2 % of the extraction): the same stable sort, so the same first positions and numbers
    n = len(values)
    if not n:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    order = values.argsort(kind="mergesort")
    ordered = values[order]
    starts = np.empty(n, dtype=bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    code = np.empty(n, dtype=np.intp)
    code[order] = starts.cumsum() - 1  # (the methods: numpy's functions wrap them in Python)
    return order[starts], code


def may_attribute(view: DocView, start: int, end: int) -> bool:
    """Whether tokens [start, end) can hold an attribution the CRF is asked to tag: a cue-class
    word (a reporting, belief, intention, evidence or decision verb, a speech, document or act
    noun: :func:`word_class`), a quotation mark, "according", a colon, or a word whose lemma heads
    gold cues often enough in the training data (:func:`load_triggers`). Other sentences are not
    tagged (issue 15: they cost time and hold few attributions; ``training/train_span_tagger.py
    --coverage`` counts what the filter loses on PolNeAR train)."""
    classes, words, lem, low = view.classes, view.words, view.lem, view.low
    triggers = load_triggers()
    for i in range(start, end):
        if classes[i] or words[i] in _QUOTE_OPEN_CLOSE or low[i] in _TRIGGER_WORDS or lem[i] in triggers:
            return True
    return False


def triggers_path() -> Path:
    """Where the shipped trigger lemmas are (written by ``training/train_span_tagger.py``)."""
    return Path(str(resources.files("newstrace") / "data" / TRIGGERS_FILE))


@lru_cache(maxsize=1)
def load_triggers() -> frozenset[str]:
    """The lemmas (besides the cue tables') that make a sentence worth tagging, loaded once.

    Raises:
        ModelNotInstalled: the file is missing (a broken install).
    """
    import json

    path = triggers_path()
    if not path.is_file():
        raise ModelNotInstalled(
            f"newstrace's attribution triggers {path} are missing: reinstall newstrace (the wheel ships "
            "them), rebuild them with `python training/train_span_tagger.py`, or turn the model off "
            "with the setting attribution_model = false")
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["lemmas"])


def _bucket(d: int) -> str:
    return "1" if d == 1 else "2" if d == 2 else "3" if d <= 5 else "6"


def _paragraph_edges(words: list[str], start: int, end: int) -> tuple[bool, bool]:
    """Whether tokens [start, end) start and end a paragraph: a line break (in spaCy's white-space
    tokens) or the text's edge before the first token / after the last visible one."""
    j = start - 1
    while j >= 0 and words[j].isspace():
        if "\n" in words[j]:
            break
        j -= 1
    k = end - 1
    while k > start and words[k].isspace():
        k -= 1
    k += 1
    while k < len(words) and words[k].isspace():
        if "\n" in words[k]:
            break
        k += 1
    return j < 0 or words[j].isspace(), k >= len(words) or words[k].isspace()


_NEIGHBOURS = tuple((off, f"{off}w=", f"{off}p=", f"{off}d=", f"{off}c=", f"{off}e=") for off in (-2, -1, 1, 2))


def sentence_features(sent, *, index: int = 0, view: DocView | None = None) -> list[list[str]]:
    """CRF features of each token of one spaCy sentence span (strings ``name=value``).

    Args:
        sent: the sentence (a Span).
        index: its position in the text (0 for the first sentence).
        view: the DocView of ``sent.doc`` when the caller has one (built otherwise).
    """
    v = view if view is not None else DocView(sent.doc)
    base, end = sent.start, sent.end
    n = end - base
    low, lem, pos, dep, tags = v.low[base:end], v.lem[base:end], v.pos[base:end], v.dep[base:end], v.tag[base:end]
    head = [h - base for h in v.head[base:end]]  # outside the sentence never happens in spaCy's parse
    ent, title, words, classes = v.ent[base:end], v.title[base:end], v.words[base:end], v.classes[base:end]
    quoted = _in_quotes(words)
    marks = [w in _QUOTE_OPEN_CLOSE for w in words]
    cue_at = [k for k in range(n) if classes[k]]
    # the nearest cue-class word on each side of each token (ties go left, as min() by position)
    left, right, last = [-1] * n, [-1] * n, -1
    for k in range(n):
        left[k] = last
        if classes[k]:
            last = k
    last = -1
    for k in range(n - 1, -1, -1):
        right[k] = last
        if classes[k]:
            last = k
    # sentence-level context: where the sentence sits, paragraph edges, quote marks, a colon
    pstart, pend = _paragraph_edges(v.words, base, end)
    shared = ["si=" + str(min(index, 3))]
    if pstart:
        shared.append("pstart")
    if pend:
        shared.append("pend")
    if pstart and pend:
        shared.append("para1")
    if any(marks):
        shared.append("sq")
    if not cue_at:
        shared.append("nocue")
    colon = words.index(":") if ":" in words else n
    triggers = load_triggers()
    feats = []
    for k in range(n):
        h = head[k] if 0 <= head[k] < n else k
        dk, lk = dep[k], low[k]
        f = ["b", "w=" + lk, "l=" + lem[k], "p=" + pos[k], "t=" + tags[k], "d=" + dk,
             "s3=" + lk[-3:], "hd=" + dep[h], "hp=" + pos[h], "dhp=" + dk + "|" + pos[h],
             "hl=" + lem[h], "dhl=" + dk + "|" + lem[h], "rp=" + str(3 * k // n)]
        f += shared
        if title[k]:
            f.append("title")
        if ent[k]:
            f.append("e=" + ent[k])
        if classes[k]:
            f.append("c=" + classes[k])
        hc = classes[h] if h != k else ""
        if hc:
            f.append("hc=" + hc)
            f.append("dhc=" + dk + "|" + hc)
            if dk in _SUBJ:
                f.append("subjofcue")
        if quoted[k]:
            f.append("q")
        else:
            if (k >= 1 and marks[k - 1]) or (k >= 2 and marks[k - 2]):
                f.append("aq")
            if (k + 1 < n and marks[k + 1]) or (k + 2 < n and marks[k + 2]):
                f.append("bq")
        if k > colon:
            f.append("acolon")
        # the nearest cue-like ancestor, the relation through which this token hangs from it,
        # and the dependency path up to it
        child, anc, depth, path = k, h, 1, dk
        while anc != child and depth <= 8:
            ac = classes[anc]
            if ac:
                f.append("ac=" + ac)
                f.append("acd=" + dep[child] + "|" + ac)
                f.append("acl=" + lem[anc] + "|" + dep[child])
                f.append("acpos=" + ("before" if k < anc else "after"))
                f.append("path=" + (path if depth <= 3 else "long"))
                break
            nxt = head[anc] if 0 <= head[anc] < n else anc
            if depth < 3:
                path += ">" + dep[anc]
            child, anc, depth = anc, nxt, depth + 1
        else:
            f.append("noac")
        # the nearest cue-class word in the sentence, by side and distance
        if cue_at and not classes[k]:
            lj, rj = left[k], right[k]
            j = lj if rj < 0 or (lj >= 0 and k - lj <= rj - k) else rj
            f.append("cd=" + ("L" if j < k else "R") + _bucket(abs(j - k)))
        if k == 0:
            f.append("BOS")
        if k == n - 1:
            f.append("EOS")
        for off, pw, pp, pd, pc, pe in _NEIGHBOURS:
            j = k + off
            if 0 <= j < n:
                f.append(pw + low[j])
                f.append(pp + pos[j])
                if off == 1 or off == -1:
                    f.append(pd + dep[j])
                    if classes[j]:
                        f.append(pc + classes[j])
                    if ent[j]:
                        f.append(pe + ent[j])
        # the noun phrase the token lies in: the word its top hangs from (through a preposition)
        g, top = _phrase_governor(k, head, pos) if PHRASE_FEATURES else (-1, -1)
        if g >= 0:
            if PHRASE_LEMMAS:
                f.append("gov=" + dep[top] + "|" + lem[g])
            if lem[g] in triggers:
                f.append("govt=" + dep[top])
        if CUE_OBJECT_FEATURES:
            rel = _cue_object(k, head, classes, lem, dep, triggers)
            if rel:
                f.append("ta=" + rel)
        feats.append(f)
    return feats


# Whether sentence_features lists the template "ta" (:func:`_cue_object`): the relation through
# which a token's subtree hangs from its nearest cue word, a cue-class word or a trigger lemma
# (issue 15 §4, branch learned4: contents that are a cue's object or the object of a preposition
# after it). A recipe option, off (``training/train_span_tagger.py --cue-object``); the run-time
# columns hold it only for a model that knows it. Chosen by the trainer's 2-fold CV (content F1 mean
# .7147 -> .7218) and not shipped: "both" content F1 dev .7522 -> .7548, blind split .7401 -> .7382
# (docs/accuracy-log.md, learned4).
CUE_OBJECT_FEATURES = False
_CUE_STEPS = 8  # how far up its heads a token's nearest cue word is looked for (as "ac")


def _cue_object(k: int, head: list[int], classes: list[str], lem: list[str], dep: list[str],
                triggers: frozenset[str]) -> str:
    """The relation through which token ``k`` hangs from its nearest ancestor that is a cue word
    (a cue-class word or a trigger lemma, at most :data:`_CUE_STEPS` up), "" when there is none:
    the relation of the cue's child on the path ("dobj" for every word of 'denied [the
    allegations]'), followed by ">" and the next relation down when that child is a preposition
    ("prep>pobj" for 'felt for [me]', 'announcement of [the number]'), and "|t" when the cue is a
    trigger lemma only (no cue class). Positions in the sentence; a head outside it counts as none."""
    n = len(head)
    below, child, anc = k, k, head[k] if 0 <= head[k] < n else k
    for _ in range(_CUE_STEPS):
        if anc == child:
            return ""
        if classes[anc] or lem[anc] in triggers:
            rel = dep[child]
            if rel == "prep" and child != k:
                rel += ">" + dep[below]
            return rel if classes[anc] else rel + "|t"
        nxt = head[anc] if 0 <= head[anc] < n else anc
        below, child, anc = child, anc, nxt
    return ""


_PHRASE_STEPS = 6  # how far up its nominal heads a token's noun phrase is followed
# Whether sentence_features lists the noun-phrase templates "gov" and "govt" (_phrase_governor): a
# recipe option, off (``training/train_span_tagger.py --phrase-features`` trains with them). Tried
# on 2026-12-03 (issue 15 §4) and not shipped: "both" content F1 dev .7522 -> .7591, blind split
# .7401 -> .7296, the CRF's time over the parse .030 -> .035; "govt" alone (PHRASE_LEMMAS off) dev
# .7610, blind .7370 (docs/accuracy-log.md). The run-time columns (feature_columns) hold them only
# when the model knows them, so the shipped weights read no such slot.
PHRASE_FEATURES = False
PHRASE_LEMMAS = True  # with PHRASE_FEATURES: "gov" (the lemma) besides "govt"


def _phrase_governor(k: int, head: list[int], pos: list[str]) -> tuple[int, int]:
    """(the word the noun phrase of token ``k`` hangs from, the phrase's top), positions in the
    sentence; (-1, -1) when the token is in no noun phrase or its top is the root.

    The top is found up the token's nominal heads (at most :data:`_PHRASE_STEPS`): 'the' and
    'allegations' of 'denied the allegations' hang from 'denied' through 'allegations'; the object
    of a preposition hangs from the word the preposition hangs from ('felt for [me]', 'announcement
    of [the number]': its "of"-complement). A head outside the sentence counts as none."""
    n = len(head)
    t = k
    for _ in range(_PHRASE_STEPS):
        h = head[t]
        if not (0 <= h < n) or h == t or pos[h] not in _NOMINAL:
            break
        t = h
    if pos[t] not in _NOMINAL:
        return -1, -1
    g = head[t] if 0 <= head[t] < n else t
    if g == t:
        return -1, -1
    if pos[g] == "ADP":
        g = head[g] if 0 <= head[g] < n else g
    return g, t


# The attribute slots of a token, in the order in which sentence_features lists its strings: a
# token has at most one attribute per slot (feature_columns fills them without building strings).
SLOTS = ("b", "w", "l", "p", "t", "d", "s3", "hd", "hp", "dhp", "hl", "dhl", "rp",
         "si", "pstart", "pend", "para1", "sq", "nocue", "title", "e", "c", "hc", "dhc", "subjofcue",
         "q", "aq", "bq", "acolon", "ac", "acd", "acl", "acpos", "path", "noac", "cd", "BOS", "EOS",
         "-2w", "-2p", "-1w", "-1p", "-1d", "-1c", "-1e", "1w", "1p", "1d", "1c", "1e", "2w", "2p")
PHRASE_SLOTS = ("gov", "govt")  # after SLOTS, for a model trained with PHRASE_FEATURES
CUE_OBJECT_SLOTS = ("ta",)  # after those, for a model trained with CUE_OBJECT_FEATURES
_FLAGS = ("b", "pstart", "pend", "para1", "sq", "nocue", "title", "subjofcue", "q", "aq", "bq", "acolon",
          "noac", "BOS", "EOS")  # attributes without a value


class _Columns:
    """The selected tokens of a text and their sentences, as arrays, for :func:`feature_columns`."""

    def __init__(self, view: DocView, sents: list[tuple[int, int, int]], model: crf.CrfModel) -> None:
        self.view, self.model = view, model
        size = len(view.low)
        lengths = [end - start for _, start, end in sents]
        self.lengths = np.array(lengths, dtype=np.intp)
        self.sel = np.concatenate([np.arange(start, end) for _, start, end in sents])
        self.lo = np.array([start for _, start, _ in sents], dtype=np.intp).repeat(lengths)
        self.hi = self.lo + self.lengths.repeat(lengths)
        self.k = self.sel - self.lo  # position in the sentence
        # each token's head, itself where the head lies outside its sentence (as sentence_features)
        lo_all, hi_all = np.zeros(size, dtype=np.intp), np.zeros(size, dtype=np.intp)
        for sent in doc_index(view.doc).sents:
            lo_all[sent.start:sent.end], hi_all[sent.start:sent.end] = sent.start, sent.end
        head, at = np.array(view.head, dtype=np.intp), np.arange(size)
        self.head = np.where((head >= lo_all) & (head < hi_all), head, at)
        self.hs = self.head[self.sel]
        self._shifts: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # shifted()'s neighbours by offset
        self._keys: dict[str, list[str]] = {}  # word_rows' distinct values by column

    def rows(self, name: str, values: list[str]) -> np.ndarray:
        """The rows of ``name=value`` for a value per token of the text (or per selected token)."""
        return np.fromiter(map(self.model.table(name).get, values, repeat(0, len(values))), dtype=np.intp,
                           count=len(values))

    def word_rows(self, name: str, column: str) -> np.ndarray:
        """The rows of ``name=value`` for each token of the text, the value its ``column`` of the
        view (``low``, ``pos``, ...): by the string-store hash of each token's value where the
        column is a string of the parse (:func:`_hashed`), by class for ``classes``, else looked up
        once per distinct value (:meth:`DocView.coded`)."""
        if column in _HASHED_COLUMNS and name != "s3":
            rows = _hashed_rows(self.model, column).get(name)
            if rows is not None:
                return rows[self.view.hash_at(column, self.model)]
        if column == "classes":  # a few distinct classes
            return self.rows(name, self.view.class_names)[self.view.class_code]
        code = self.view.coded(column)[1]
        keys = self._keys.get(column)
        if keys is None:  # the distinct values, listed once for the templates of one column ("l", "hl")
            values = getattr(self.view, column)
            keys = self._keys[column] = [values[i] for i in self.view.coded(column)[0].tolist()]
        return self.rows(name, keys if name != "s3" else [x[-3:] for x in keys])[code]

    def pair_rows(self, name: str, column_a: str, at_a: np.ndarray, column_b: str, at_b: np.ndarray) -> np.ndarray:
        """The rows of ``name=a|b`` for each selected token, ``a`` the ``column_a`` value of token
        ``at_a[i]`` and ``b`` the ``column_b`` value of token ``at_b[i]``: looked up once per distinct pair."""
        code_a, code_b = self.view.coded(column_a)[1][at_a], self.view.coded(column_b)[1][at_b]
        first, code = _codes(code_a * (int(code_b.max(initial=0)) + 1) + code_b)
        va, vb = getattr(self.view, column_a), getattr(self.view, column_b)
        keys = [va[i] + "|" + vb[j] for i, j in zip(at_a[first].tolist(), at_b[first].tolist())]
        return self.rows(name, keys)[code]

    def shifted(self, rows: np.ndarray, off: int) -> np.ndarray:
        """Each selected token's neighbour's row (``off`` tokens away, 0 outside the sentence)."""
        got = self._shifts.get(off)
        if got is None:  # the neighbours of one offset, found once for all its templates
            j = self.sel + off
            got = self._shifts[off] = ((j >= self.lo) & (j < self.hi), j.clip(0, len(rows) - 1))
        inside, at = got
        return np.where(inside, rows[at], 0)

    def per_sentence(self, values: list[int]) -> np.ndarray:
        """One value per sentence, repeated for its tokens."""
        return np.array(values, dtype=np.intp).repeat(self.lengths)


# the view's columns that hold each token's value as its string-store hash (``pos``: the POS id),
# and the templates that read each
_HASHED_NAMES = {"low": ("w", "-2w", "-1w", "1w", "2w"), "dep": ("d", "hd", "-1d", "1d"), "tag": ("t",),
                 "ent": ("e", "-1e", "1e"), "pos": ("p", "hp", "-2p", "-1p", "1p", "2p")}
_HASHED_COLUMNS = frozenset(_HASHED_NAMES)
_HASHED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # CrfModel -> {column: (keys, {name: rows})}


def _hashed(model: crf.CrfModel, column: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The values the model knows for the templates of one column of the view, by their
    string-store hash (what ``Doc.to_array`` gives): (the hashes, sorted and distinct, and for each
    template the row of each hash, with a last entry 0 for a hash not among them). For ``pos``
    the keys are the POS ids spaCy names. Built once per model; a template whose values share a
    hash (none do) is left out, its values then looked up as strings."""
    columns = _HASHED.setdefault(model, {})
    got = columns.get(column)
    if got is None:
        names = _HASHED_NAMES[column]
        if column == "pos":
            values = {int(k): v for k, v in POS_NAMES.items()}
        else:
            values = {}
            clash = set()
            for name in names:
                for value in model.table(name):
                    h = get_string_id(value)
                    if values.setdefault(h, value) != value:
                        clash.add(name)
        keys = np.array(sorted(values), dtype=np.uint64)
        rows = {}
        for name in names:
            if column != "pos" and name in clash:
                continue
            table = model.table(name)
            rows[name] = np.array([table[values[k]] for k in keys.tolist()] + [0], dtype=np.intp)
        got = columns[column] = (keys, rows)
    return got


def _hashed_rows(model: crf.CrfModel, column: str) -> dict[str, np.ndarray]:
    """The rows by hash of the templates of ``column`` (:func:`_hashed`)."""
    return _hashed(model, column)[1]


def feature_columns(view: DocView, sents: list[tuple[int, int, int]], model: crf.CrfModel) -> np.ndarray:
    """The model's rows of the CRF features of the tokens of some sentences, by slot (:data:`SLOTS`,
    then :data:`PHRASE_SLOTS` for a model that knows them):
    what :func:`sentence_features` lists as strings, looked up by value (most strings are never built).

    Args:
        view: the DocView of the text.
        sents: (position in the text, start token, end token) of each sentence, in order (not empty).
        model: the CRF model whose rows are wanted.
    Returns:
        A (slots, tokens) array of rows, 0 where a token has no attribute in a slot or the model
        does not know it (:meth:`newstrace.extract.crf.CrfModel.tag_columns` reads it).
    """
    c = _Columns(view, sents, model)
    sel, hs, k = c.sel, c.hs, c.k
    flag = {name: model.row(name) for name in _FLAGS}
    has_hc = (hs != sel) & view.is_cue[hs]  # a cue-class head
    subj = view.is_one_of("dep", _SUBJ)
    cols = {"b": np.full(len(sel), flag["b"]), "w": c.word_rows("w", "low")[sel], "l": c.word_rows("l", "lem")[sel],
            "p": c.word_rows("p", "pos")[sel], "t": c.word_rows("t", "tag")[sel], "d": c.word_rows("d", "dep")[sel],
            "s3": c.word_rows("s3", "low")[sel], "hd": c.word_rows("hd", "dep")[hs],
            "hp": c.word_rows("hp", "pos")[hs], "hl": c.word_rows("hl", "lem")[hs],
            "dhp": c.pair_rows("dhp", "dep", sel, "pos", hs), "dhl": c.pair_rows("dhl", "dep", sel, "lem", hs),
            "title": np.where(np.array(view.title, dtype=bool)[sel], flag["title"], 0),
            "e": c.word_rows("e", "ent")[sel], "c": c.word_rows("c", "classes")[sel],
            "hc": np.where(has_hc, c.word_rows("hc", "classes")[hs], 0),
            "dhc": np.where(has_hc, c.pair_rows("dhc", "dep", sel, "classes", hs), 0),
            "subjofcue": np.where(has_hc & subj[sel], flag["subjofcue"], 0)}
    t_rp = model.table("rp")
    cols["rp"] = np.array([t_rp["0"], t_rp["1"], t_rp["2"]], dtype=np.intp)[3 * k // (c.hi - c.lo)]
    cols["BOS"] = np.where(k == 0, flag["BOS"], 0)
    cols["EOS"] = np.where(sel == c.hi - 1, flag["EOS"], 0)
    for off, names in ((-2, "wp"), (-1, "wpdce"), (1, "wpdce"), (2, "wp")):
        for name in names:
            column = {"w": "low", "p": "pos", "d": "dep", "c": "classes", "e": "ent"}[name]
            cols[f"{off}{name}"] = c.shifted(c.word_rows(f"{off}{name}", column), off)
    cols.update(_sentence_columns(c, sents, flag))
    cols.update(_ancestor_columns(c, flag))
    slots = SLOTS
    if len(model.table("gov")) > 1 or len(model.table("govt")) > 1:  # a model trained with PHRASE_FEATURES
        cols.update(_phrase_columns(c))
        slots += PHRASE_SLOTS
    if len(model.table("ta")) > 1:  # a model trained with CUE_OBJECT_FEATURES
        cols["ta"] = _cue_object_column(c)
        slots += CUE_OBJECT_SLOTS
    return np.stack([cols[name] for name in slots]).astype(np.intp, copy=False)


def _sentence_columns(c: _Columns, sents: list[tuple[int, int, int]], flag: dict[str, int]) -> dict[str, np.ndarray]:
    """The slots read from a token's sentence: where it sits, quotation marks, a colon, cue words."""
    view, model = c.view, c.model
    words, classes = view.words, view.classes
    out: dict[str, list[int]] = {name: [] for name in ("si", "pstart", "pend", "para1", "sq", "nocue")}
    quoted: list[bool] = []
    colon: list[int] = []
    t_si = model.table("si")
    for index, start, end in sents:
        sw = words[start:end]
        marks = any(w in _QUOTE_OPEN_CLOSE for w in sw)
        pstart, pend = _paragraph_edges(words, start, end)
        has_cue = any(classes[start:end])
        for name, on in (("pstart", pstart), ("pend", pend), ("para1", pstart and pend), ("sq", marks),
                         ("nocue", not has_cue)):
            out[name].append(flag[name] if on else 0)
        out["si"].append(t_si[str(min(index, 3))])
        quoted += _in_quotes(sw) if marks else [False] * (end - start)
        colon.append(start + sw.index(":") if ":" in sw else end)
    cols = {name: c.per_sentence(v) for name, v in out.items()}
    sel, lo, hi = c.sel, c.lo, c.hi
    q = np.array(quoted, dtype=bool)
    cols["q"] = np.where(q, flag["q"], 0)
    mark = view.is_one_of("low", _QUOTE_OPEN_CLOSE)  # (a quotation mark's lower case is itself)
    size = len(words)

    def near(off: int) -> np.ndarray:
        j = sel + off
        return ((j >= lo) & (j < hi)) & mark[j.clip(0, size - 1)]

    cols["aq"] = np.where(~q & (near(-1) | near(-2)), flag["aq"], 0)
    cols["bq"] = np.where(~q & (near(1) | near(2)), flag["bq"], 0)
    cols["acolon"] = np.where(sel > c.per_sentence(colon), flag["acolon"], 0)
    # the nearest cue-class word of the sentence on each side (ties go left)
    is_cue = view.is_cue
    at = np.arange(size)
    before = np.maximum.accumulate(np.where(is_cue, at, -1))  # the last cue word at or before i
    after = np.minimum.accumulate(np.where(is_cue, at, size)[::-1])[::-1]  # the first at or after i
    lj = np.where(sel > 0, before[np.maximum(sel - 1, 0)], -1)
    rj = np.where(sel + 1 < size, after[np.minimum(sel + 1, size - 1)], size)
    has_l, has_r = lj >= lo, rj < hi
    take_l = has_l & (~has_r | (sel - lj <= rj - sel))
    dist = np.where(take_l, sel - lj, rj - sel)
    bucket = np.where(dist == 1, 0, np.where(dist == 2, 1, np.where(dist <= 5, 2, 3)))
    t_cd = model.table("cd")
    codes = np.array([t_cd[side + b] for side in "LR" for b in "1236"], dtype=np.intp)
    cd = codes[np.where(take_l, 0, 4) + bucket]
    cols["cd"] = np.where((has_l | has_r) & ~is_cue[sel], cd, 0)
    return cols


def _ancestor_columns(c: _Columns, flag: dict[str, int]) -> dict[str, np.ndarray]:
    """The slots of a token's nearest cue-class ancestor (within 8 steps): its class, the relation
    through which the token hangs from it, its lemma, its side and the dependency path up to it."""
    view, model, sel = c.view, c.model, c.sel
    classes, dep, lem = view.classes, view.dep, view.lem
    is_cue = view.is_cue
    n = len(sel)
    child, anc = sel.copy(), c.hs.copy()
    active = anc != child
    found = np.zeros(n, dtype=bool)
    f_anc, f_child, f_depth = np.zeros(n, dtype=np.intp), np.zeros(n, dtype=np.intp), np.zeros(n, dtype=np.intp)
    chain = [sel, c.hs]  # the ancestors at depth 0, 1, 2 (the path is written up to depth 3)
    for depth in range(1, 9):
        hit = active & is_cue[anc]
        f_anc[hit], f_child[hit], f_depth[hit] = anc[hit], child[hit], depth
        found |= hit
        active &= ~hit
        child, anc = anc, c.head[anc]
        active &= anc != child
        if depth == 1:
            chain.append(anc.copy())
    cols = {name: np.zeros(n, dtype=np.intp) for name in ("ac", "acd", "acl", "acpos", "path")}
    cols["noac"] = np.where(found, 0, flag["noac"])
    idx = np.flatnonzero(found)
    if len(idx):
        t_ac, t_acd, t_acl, t_acpos, t_path = (model.table(x) for x in ("ac", "acd", "acl", "acpos", "path"))
        fa, fc, fd = f_anc[idx], f_child[idx], f_depth[idx]
        tok, a1, a2 = sel[idx], chain[1][idx], chain[2][idx]
        fa_, fc_, tok_, a1_, a2_ = fa.tolist(), fc.tolist(), tok.tolist(), a1.tolist(), a2.tolist()
        # each value's string built and looked up once per distinct value (by the codes of its parts)
        dcode, ccode, lcode = view.coded("dep")[1], view.class_code, view.coded("lem")[1]
        nd, nc = int(dcode.max(initial=0)) + 1, len(view.class_names)
        cols["ac"][idx] = np.array([t_ac[x] for x in view.class_names], dtype=np.intp)[ccode[fa]]
        cols["acd"][idx] = _rows_once(t_acd, dcode[fc] * nc + ccode[fa],
                                      lambda j: dep[fc_[j]] + "|" + classes[fa_[j]])
        cols["acl"][idx] = _rows_once(t_acl, lcode[fa] * nd + dcode[fc],
                                      lambda j: lem[fa_[j]] + "|" + dep[fc_[j]])
        cols["acpos"][idx] = np.where(tok < fa, t_acpos["before"], t_acpos["after"])
        depth = np.minimum(fd, 4)  # 4: "long"
        d0 = np.where(depth < 4, dcode[tok], 0)
        d1 = np.where((depth == 2) | (depth == 3), dcode[a1], 0)
        d2 = np.where(depth == 3, dcode[a2], 0)

        def path(j: int) -> str:
            i, d = tok_[j], fd_[j]
            return dep[i] if d == 1 else dep[i] + ">" + dep[a1_[j]] if d == 2 \
                else dep[i] + ">" + dep[a1_[j]] + ">" + dep[a2_[j]] if d == 3 else "long"
        fd_ = fd.tolist()
        cols["path"][idx] = _rows_once(t_path, ((depth * nd + d0) * nd + d1) * nd + d2, path)
    return cols


def _rows_once(table: crf.RowTable, codes: np.ndarray, key: Callable[[int], str]) -> np.ndarray:
    """``table[key(j)]`` for each position ``j`` of ``codes``, where positions of one code have one
    key: each key built and looked up once per distinct code."""
    first, code = _codes(codes)
    return np.array([table[key(j)] for j in first.tolist()], dtype=np.intp)[code]


def _trigger_mask(view: DocView) -> np.ndarray:
    """Whether each token's lemma is a trigger lemma (:func:`load_triggers`), tested once per distinct lemma."""
    first, code = view.coded("lem")
    triggers, lem = load_triggers(), view.lem
    return np.array([lem[i] in triggers for i in first.tolist()], dtype=bool)[code]


def _phrase_columns(c: _Columns) -> dict[str, np.ndarray]:
    """The slots of the word a token's noun phrase hangs from (:func:`_phrase_governor`, for all
    the selected tokens at once): the phrase top's relation and that word's lemma, and the relation
    alone when that lemma is a trigger lemma (:func:`load_triggers`)."""
    view, sel, head = c.view, c.sel, c.head
    first, code = view.coded("pos")
    pos_names = view.pos
    nominal = np.array([pos_names[i] in _NOMINAL for i in first.tolist()], dtype=bool)[code]
    is_adp = np.array([pos_names[i] == "ADP" for i in first.tolist()], dtype=bool)[code]
    t = sel.copy()
    for _ in range(_PHRASE_STEPS):
        h = head[t]
        step = (h != t) & nominal[h]
        if not step.any():
            break
        t = np.where(step, h, t)
    g = head[t]
    has = nominal[t] & (g != t)
    g = np.where(is_adp[g], head[g], g)
    is_trig = _trigger_mask(view)
    gov = np.where(has, c.pair_rows("gov", "dep", t, "lem", g), 0)
    govt = np.where(has & is_trig[g], c.word_rows("govt", "dep")[t], 0)
    return {"gov": gov, "govt": govt}


def _cue_object_column(c: _Columns) -> np.ndarray:
    """The slot "ta" of every selected token (:func:`_cue_object`, for all of them at once)."""
    view, model, sel = c.view, c.model, c.sel
    dep, classes = view.dep, view.classes
    is_trig = _trigger_mask(view)
    is_cue = view.is_cue
    n = len(sel)
    below, child, anc = sel.copy(), sel.copy(), c.hs.copy()
    active = anc != child
    found = np.zeros(n, dtype=bool)
    f_anc, f_child, f_below = (np.zeros(n, dtype=np.intp) for _ in range(3))
    for _ in range(_CUE_STEPS):
        hit = active & (is_cue[anc] | is_trig[anc])
        f_anc[hit], f_child[hit], f_below[hit] = anc[hit], child[hit], below[hit]
        found |= hit
        active &= ~hit
        below, child, anc = child, anc, c.head[anc]
        active &= anc != child
        if not active.any():
            break
    out = np.zeros(n, dtype=np.intp)
    idx = np.flatnonzero(found)
    if len(idx):
        t_ta = model.table("ta")
        rels = []
        for i, a, ch, b in zip(sel[idx].tolist(), f_anc[idx].tolist(), f_child[idx].tolist(), f_below[idx].tolist()):
            rel = dep[ch]
            if rel == "prep" and ch != i:
                rel += ">" + dep[b]
            rels.append(rel if classes[a] else rel + "|t")
        out[idx] = [t_ta[x] for x in rels]
    return out


def tagged_spans(doc, view: DocView) -> list[tuple[int, int, int]]:
    """The sentences the CRF tags (:func:`may_attribute`), in order: (sentence number, start
    token, end token). The one choice of them for training, run time, the tests and the benches."""
    return [(index, sent.start, sent.end) for index, sent in enumerate(doc_index(doc).sents)
            if may_attribute(view, sent.start, sent.end)]


def tagged_sentences(doc, view: DocView | None = None):
    """The sentences the CRF tags (:func:`tagged_spans`), with their features, in order.

    Yields:
        (sentence Span, its features).
    """
    v = view if view is not None else DocView(doc)
    for index, start, end in tagged_spans(doc, v):
        yield doc[start:end], sentence_features(doc[start:end], index=index, view=v)


def token_labels(sent, relations) -> list[str]:
    """BIO labels of a sentence's tokens from gold relations (each with .source/.cue/.content
    lists of clean-text (start, end)); Cue beats Source beats Content where spans nest."""
    labels = []
    prev = "O"
    for tok in sent:
        a, b = tok.idx, tok.idx + len(tok.text)
        lab = "O"
        for role in ("cue", "source", "content"):
            if any(s < b and a < e for r in relations for s, e in getattr(r, role)):
                lab = role.capitalize()
                break
        if lab == "O":
            labels.append("O")
        else:
            starts = any(s >= a and s < b for r in relations for s, _ in getattr(r, lab.lower()))
            labels.append(("B-" if starts or prev != lab else "I-") + lab)
        prev = lab
    return labels


def model_path() -> Path:
    """Where the shipped CRF weights are."""
    return Path(str(resources.files("newstrace") / "data" / MODEL_FILE))


def installed_model_path() -> Path:
    """:func:`model_path`, checked to exist.

    Raises:
        ModelNotInstalled: the weights file is missing (a broken install).
    """
    path = model_path()
    if not path.is_file():
        raise ModelNotInstalled(
            f"newstrace's attribution model {path} is missing: reinstall newstrace (the wheel ships "
            "it), rebuild it with `python training/train_span_tagger.py`, or turn the model off "
            "with the setting attribution_model = false")
    return path


@lru_cache(maxsize=1)
def load_tagger():
    """The python-crfsuite tagger of the shipped weights, loaded once (the reference the run-time
    decoder, :func:`load_model`, is checked against; training and the benches use it).

    Raises:
        ModelNotInstalled: the weights file is missing (a broken install).
        MissingExtra: python-crfsuite is not installed (``pip install 'newstrace[train]'``).
    """
    try:
        import pycrfsuite  # optional: training and checking only, never at run time
    except ImportError as exc:
        raise MissingExtra("the CRFsuite reference tagger needs python-crfsuite: "
                           "pip install 'newstrace[train]'") from exc

    path = installed_model_path()
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


@lru_cache(maxsize=1)
def load_model() -> crf.CrfModel:
    """The CRF's weights read from the shipped model file, once, for the run-time decoder
    (:mod:`newstrace.extract.crf`; python-crfsuite, :func:`load_tagger`, trains and checks it).

    Raises:
        ModelNotInstalled: the weights file is missing or cut short (a broken install).
    """
    path = installed_model_path()
    try:
        return crf.read_model(path)
    except ValueError as exc:
        raise ModelNotInstalled(f"{exc}: the learned attribution layer's weights are damaged; "
                                "reinstall newstrace (pip install --force-reinstall newstrace)") from exc


def tag_doc(doc) -> list[tuple[str, int, int]]:
    """Spans the CRF finds in a parsed text: (label, start token, end token), in order.

    The sentences :func:`tagged_spans` gives are tagged, all at once, from the rows of their
    features (:func:`feature_columns`): the tags python-crfsuite gives for their feature strings.
    A content running to the end of a sentence and continued (``I-Content``) at the start of
    the next one is one span.
    """
    return _tag_doc(doc, confidence=False)


def tag_doc_confidence(doc) -> list[tuple[str, int, int, float | None]]:
    """:func:`tag_doc`'s spans, each with the model's own confidence in it: the mean over its
    tokens of the marginal probability that the token carries the span's label, B- or I-
    (forward-backward over the sentence, :meth:`crf.CrfModel.tag_with_marginals`). Computed for
    the sentences that hold a content (the spans of the others get None)."""
    return _tag_doc(doc, confidence=True)


def content_confidence(doc) -> dict[tuple[int, int], float]:
    """The CRF's confidence in each of its contents (:func:`tag_doc_confidence`), by the clean-text
    (start, end) that :func:`model_quotes` gives the content's record (its edges trimmed)."""
    out = {}
    for lab, lo, hi, p in tag_doc_confidence(doc):
        if lab == "Content" and p is not None:
            a, b = _trim(doc, lo, hi)
            if b > a:
                out[span_chars(doc, a, b)] = p
    return out


def _tag_doc(doc, *, confidence: bool) -> list[tuple]:
    """(label, start, end) spans, with the confidence as a fourth item when ``confidence``."""
    model = load_model()
    view = DocView(doc)
    sents = tagged_spans(doc, view)
    if not sents:
        return []
    ids, lengths = feature_columns(view, sents, model), [end - start for _, start, end in sents]
    if confidence:
        tagged, margs = model.tag_with_marginals(ids, lengths, only="Content")
    else:
        tagged, margs = model.tag_columns(ids, lengths), [None] * len(sents)
    column = {lab: [k for k, name in enumerate(model.labels) if name.endswith("-" + lab)] for lab in LABELS}
    spans: list[list] = []
    for (_, start, _), tags, marg in zip(sents, tagged, margs):
        for k, tag in enumerate(tags):
            i = start + k
            if tag == "O":
                continue
            bio, lab = tag.split("-", 1)
            p = float(marg[k, column[lab]].sum()) if marg is not None else None
            if bio == "I" and spans and spans[-1][0] == lab and spans[-1][2] == i:
                spans[-1][2] = i + 1
                spans[-1][3].append(p)
            else:
                spans.append([lab, i, i + 1, [p]])
    if not confidence:
        return [(lab, a, b) for lab, a, b, _ in spans]
    return [(lab, a, b, None if None in ps else sum(ps) / len(ps)) for lab, a, b, ps in spans]


def _speech_word(tok, lemma: str) -> bool:
    if lemma in ("according", "accord"):  # spaCy lemmatises "according" (to) as "accord"
        return True
    verb_like = tok.pos_ == "NOUN" and (tok.dep_ == "ROOT" or any(c.dep_ == "nsubj" for c in tok.children))
    if tok.pos_ in ("VERB", "AUX") or verb_like:  # the small model tags some verbs NOUN ("he predicts ...")
        if lemma == "make" and any(c.lower_ == "clear" for c in tok.children):
            return True  # "made clear ...": the rules' light-verb cue (cues.make_clear)
        return cues.is_cue_lemma(lemma) or lemma in cues.COMMUNICATION_VERBS
    if tok.pos_ in ("NOUN", "PROPN"):
        return lemma in cues.SPEECH_NOUNS or lemma in cues.MEDIUM_NOUNS
    if tok.pos_ == "ADV":  # "reportedly", "allegedly": hearsay adverbs, not "repeatedly", "pointedly"
        return lemma != tok.lower_ and cues.cue_class(lemma) in _HEARSAY_CLASSES
    return False


# The cue classes whose participles make adverbs of hearsay ("reportedly", "allegedly",
# "purportedly" if it were a cue): an adverb of a verb of another class tells how something was
# done ("repeatedly" from "repeat", "pointedly" from "point", "assuredly" from "assure").
_HEARSAY_CLASSES = frozenset({"report", "claim"})


def cue_act(doc, ca: int, cb: int, content: tuple[int, int] | None = None) -> tuple[str, bool]:
    """The act (one of models.ACTS) a learned cue (tokens ``ca:cb``) reports, and whether it is negated.

    By the words of the cue, lemmatised for the tables (:func:`newstrace.extract.cues.word_lemma`):
    a noun of an act names what was expressed ("expressed [concern]", "offered a [view] on", "have
    any [doubt]"); else a word of communication makes it speech (a reporting verb, a verb of
    :data:`~newstrace.extract.cues.COMMUNICATION_VERBS`, a speech or medium noun, "according to",
    "reportedly"), but a verb of agreeing with a to-infinitive reports a decision ("has agreed [to
    merge]"); else a verb or adjective of thought, intention, decision or evidence gives its act
    (:func:`newstrace.extract.cues.act_of`: "hopes to win" is an intention); else the cue reports
    no words: speech when its verb's to-infinitive is a word of communication ("declined [to
    comment]"), an intention when it is another ("refused to back", "is set to"; not a raising
    verb's, "appears to be"), speech when a noun of speech heads the content ("shrugged off
    [claims from X that ...]"), a thought otherwise ("appears", "knows", "is backing").
    Negated: a word of the cue is (:func:`newstrace.extract.cues.is_negated`: "did not say",
    "declined to say").

    Args:
        doc: the spaCy Doc.
        ca, cb: the cue's token range.
        content: the content's token range, when known.
    Returns:
        (act, negated).
    """
    toks = [t for t in doc[ca:cb] if not (t.is_punct or t.is_space)]
    words = [(t, cues.word_lemma(t)) for t in toks]
    negated = cues.negates(toks)
    for t, lem in words:
        if t.pos_ == "NOUN" and lem not in cues.SPEECH_NOUNS:
            act = cues.act_of_lemma(lem, "NOUN")
            if act != "speech":
                return act, negated
    for t, lem in words:
        if _speech_word(t, lem):
            if cues.cue_class(lem) == "confirm" and t.pos_ == "VERB" and cues.to_infinitives(t):
                return "decision", negated
            return "speech", negated
    for t, lem in words:
        if t.pos_ == "VERB":
            act = cues.act_of(_Lemmatised(t, lem))
            if act == "speech":
                act = cues.act_of_lemma(lem, "VERB")
            if act != "speech":
                return act, negated
        elif t.pos_ == "ADJ" and lem in cues.STANCE_ADJECTIVES:
            return cues.STANCE_ADJECTIVES[lem], negated
    verbs = [t for t, lem in words if t.pos_ in ("VERB", "AUX", "ADJ") and lem not in cues.RAISING_VERBS]
    infinitives = [c for t in verbs for c in cues.to_infinitives(t)]
    if any(_speech_word(c, cues.word_lemma(c)) for c in infinitives):
        return "speech", negated  # "declined [to comment]", "refused [to say]": what was (not) said
    if infinitives:
        return "intention", negated
    if content is not None:
        lo, hi = content
        heads = [t for t in doc[lo:hi] if not (lo <= t.head.i < hi) or t.head.i == t.i]
        if heads and all(t.pos_ == "NOUN" and cues.word_lemma(t) in cues.SPEECH_NOUNS for t in heads):
            return "speech", negated  # what was shrugged off was said: "[claims from X that ...]"
    return "thought", negated


class _Lemmatised:
    """A token seen with another lemma (:func:`cues.act_of` reads ``lemma_``, ``pos_``, ``children``)."""

    __slots__ = ("lemma_", "pos_", "children")

    def __init__(self, tok, lemma: str):
        self.lemma_, self.pos_, self.children = lemma, tok.pos_, children(tok)  # a tuple: read as often as asked


_RELATIVE_PRONOUNS = frozenset(("which", "who", "whom"))


def _trim(doc, lo: int, hi: int) -> tuple[int, int]:
    """Tokens [lo, hi) without punctuation and space at the edges (a closing quotation mark
    stays), nor a relative pronoun after a comma closing it ('alienating Hispanics[, which]' of
    '..., which he believes will ...': the relative clause is another report)."""
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo:
        last = doc[hi - 1]
        if (last.is_punct or last.is_space) and last.text not in _QUOTE_OPEN_CLOSE:
            hi -= 1
        elif last.lower_ in _RELATIVE_PRONOUNS and hi - 2 > lo and doc[hi - 2].text == ",":
            hi -= 2
        else:
            break
    return lo, hi


def _overlaps(a: int, b: int, spans) -> bool:
    return any(s < b and a < e for s, e in spans)


def _adverbial(tok, lo: int, hi: int) -> bool:
    """Whether a token of the content ``lo:hi`` lies in an adverbial there: an adverb, a date or
    time, a prepositional phrase of a verb or an adverbial clause opening inside the content
    ('[on Monday]', 'Monday', 'later', '[after meeting the board]', '[as the meeting ended]'); a
    prepositional phrase of a noun is part of its noun phrase ('"a total and complete ban" [on all
    Muslims ...]')."""
    if tok.pos_ == "ADV" or tok.ent_type_ in ("DATE", "TIME"):
        return True
    t = tok
    while lo <= t.i < hi:
        if (t.dep_ == "prep" or t.pos_ == "ADP") and t.head.pos_ not in _NOMINAL:
            return True
        if t.dep_ == "advcl" and lo <= t.head.i < hi:
            return True
        if t.head.i == t.i:
            break
        t = t.head
    return False


def _holds_partials(doc, lo: int, hi: int, partials, min_tokens: int) -> bool:
    """Whether a content may hold the partial quotes it overlaps, which become its children.

    It must hold each whole and have ``min_tokens`` words of its own outside them, not a bare
    marker ('as "an intentional act"', 'that "..."'), and one of those words must stand outside an
    adverbial (:func:`_adverbial`): a clause of its own ('[the plan was "a disaster" and would
    fail]'), a phrase the quotation is part of ('calling [Trump's charge "pathetic"]', '[eight
    candidates "who embody ..."]'). A quotation with only an adverbial of its cue beside it is a
    quote, not a content: 'Ann Smith said "we are done" on Monday.'
    """
    s, e = span_chars(doc, lo, hi)
    inner = [(p.start, p.end) for p in partials]
    if any(a < s or b > e + 2 for a, b in inner):
        return False
    own = [t for t in doc[lo:hi] if not (t.is_punct or t.is_space or t.dep_ == "mark" or t.lower_ in ("that", "as"))
           and not any(a <= t.idx < b for a, b in inner)]
    return len(own) >= min_tokens and not all(_adverbial(t, lo, hi) for t in own)


def _next_act(tok) -> bool:
    """A cue verb coordinated after a reported content with no subject of its own: the speaker's
    next act, where the rules end the content ('said [the deaths were caused by gunshot wounds]
    and called on the "interim" government to withdraw ...', which the parser hangs on "caused");
    so is any finite verb coordinated onto a bare verb under a modal or "to", which it cannot share
    ('said [CBP would review its disciplinary process] and outlined changes', seed-001: the rules
    end there too, :func:`cues.bare_after_modal`)."""
    return tok.dep_ == "conj" and tok.pos_ == "VERB" and tok.i > 0 and tok.doc[tok.i - 1].dep_ == "cc" \
        and (cues.is_cue(tok) or (tok.tag_ in ("VBD", "VBZ", "VBP") and cues.bare_after_modal(tok.head))) \
        and not any(c.dep_ in _SUBJ for c in children(tok))


def _widen(doc, article: Article, lo: int, hi: int, records, partials, taken: list) -> None:
    """Widen a rule's reported content to the right, to the end of a learned content (tokens
    ``lo:hi``) that holds it whole and overlaps no other record (its partial quotes held whole
    too): the rules stop a noun-phrase or clause content short where the CRF reads on ('charged
    [the American swimmer] with filing a false robbery report' -> '[the American swimmer with
    filing a false robbery report]'). The words added must hang inside the widened content or on
    its cue (whole phrases: not '..., and it' of a next clause), and not the speaker's next act
    (:func:`_next_act`); its start stays the rules' (no 'that', no speaker before it). ``taken`` gains the new span. A record is widened at most once: the
    CRF's contents come in order without overlap, and a widened record ends where one ends."""
    s, e = span_chars(doc, lo, hi)
    # a record's parts lie inside it; an attribution is no content of its own: its statement is the
    # whole clause round the content ("Haq told Polygraph.info that ...", Polygraph.info, holdout-intl4)
    over = [q for q in records if q.start < e and s < q.end and isinstance(q, Quote)]
    if len(over) != 1:
        return
    q = over[0]
    if not isinstance(q, Quote) or q.kind != "indirect" or q.parts \
            or not (s <= q.start and q.end < e) or any(p.start < s or p.end > e + 2 for p in partials):
        return
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or not len(span) or span.end >= hi:
        return
    cue = span.root.head.i
    if any(not (span.start <= t.head.i < hi or t.head.i == cue) for t in doc[span.end:hi]):
        return
    if any(_next_act(t) for t in doc[span.end:hi]):
        return  # the rules end the words before the speaker's next act; the CRF reads on over it
    q.end, q.text = e, article.text[q.start:e]
    q.raw_end = article.to_raw(e - 1) + 1
    q.form = content_form(doc, span.start, hi)  # ("the American swimmer" + "with filing ...": its head's form)
    taken.append((q.start, e))


# The least confidence (:func:`tag_doc_confidence`: the mean marginal probability of Content over
# its tokens) a learned content needs to become a record of its own; 0 keeps every content (and
# skips the marginals). Measured on 2026-12-04 (branch model17, docs/accuracy-log.md): on PolNeAR dev
# the learned records' precision at 0.3 rises with it (.36 below .5, .52 at .5-.6, .86 above .9), but
# on the newstrace gold it is .13-.18 in every band (what they miss there is the gold's scheme: noun-
# phrase contents it does not annotate, not the model's doubt). .55, chosen on PolNeAR dev and the gold's
# dev split only (content F1 .7506 -> .7511, gold dev all kinds .898 -> .904), lost on the blind split
# (.7405 -> .7385) and gained .003 on the whole gold: not shipped.
MIN_CONFIDENCE = 0.0


def _statement_source(doc, attr) -> bool:
    """Whether an attribution's source is a statement, release or announcement (The Hill, holdout-intl4:
    "according to the office release"), whose words are its issuer's speech."""
    span = doc.char_span(getattr(attr, "source_start", 0), getattr(attr, "source_end", 0), alignment_mode="expand")
    return getattr(attr, "source_kind", None) == "document" and span is not None and len(span) > 0 \
        and span.root.lemma_.lower() in ("statement", "release", "announcement")


def model_quotes(doc, article: Article, *, entities=None, have=(), min_tokens: int = 2,
                 evidence_quoted: bool = True, min_confidence: float | None = None) -> list[Quote]:
    """Contents the CRF finds that no record in ``have`` overlaps (an attribution of evidence, 'a poll
    showed ...', excepted while ``evidence_quoted``: the rules quote what it shows), as indirect
    quotes; a content may
    hold a top-level partial quote whole (the caller nests it, ``quotes.nest_partials``: one record
    for 'She said the plan was "a disaster" and would fail', issue 15 §1).

    A content that holds one rule reported content whole, and overlaps no other record, widens
    that record to its right instead (:func:`_widen`: 'charged [the American swimmer] with
    filing ...' ends where the CRF's content ends); ``have`` is changed in place.

    Each content is paired with the nearest cue span of its sentence (contents without a cue in
    their sentence are dropped); its speaker is the candidate :func:`rank_speaker` picks for that
    cue, resolved to an entity by ``entities`` (an EntityAnalysis).

    Args:
        doc: the spaCy Doc of ``article.text``.
        article: the clean article.
        entities: the article's EntityAnalysis, or None (the speaker is then the words found).
        have: records with ``start``/``end`` (and ``parts``) the rules found already.
        evidence_quoted: whether the rules report what evidence shows as a quote of its own (they
            do with ``include_beliefs``); when not, an evidence attribution blocks the model like any
            record, or its finding would come back as speech.
        min_tokens: shortest content kept, in tokens (2: PolNeAR's noun-phrase contents are often
            a name, "is endorsing John Kasich"; against 3, content F1 at 0.3 rose on PolNeAR dev and
            the blind split; 1 also gained there but added one-word objects, often pronouns, that
            cost the BBC gold's indirect F1). A content of one word is kept all the same when that
            word is a noun or a name ('endorsed [Clinton]', 'support [deportation]'), never a
            pronoun (2026-12-03: "both" content F1 dev .7516 -> .7522, blind .7381 -> .7401; BBC
            any kind .867 -> .866), unless ``min_tokens`` asks for more than 2.
        min_confidence: the least confidence of the CRF in a content (:func:`tag_doc_confidence`)
            for it to be a record of its own (None: :data:`MIN_CONFIDENCE`, read at the call; 0 keeps
            every content and skips the marginals). A content below it still widens a rule's content (:func:`_widen`).
    Returns:
        New Quote records, kind "indirect", with their ``act``.
    """
    taken, partials, records = [], [], []
    for q in have:
        if getattr(q, "kind", None) == "partial" and q.parent is None:
            partials.append(q)  # a content may hold it whole, as its child (issue 15 §1)
            continue
        if evidence_quoted and not isinstance(q, Quote) and getattr(q, "act", None) == "evidence":
            continue  # what a poll or report shows is a quote too, beside its attribution ("polls show ...")
        if not isinstance(q, Quote) and _statement_source(doc, q):
            continue  # "..., according to the office release": a statement is its issuer's speech, a quote too
        taken.append((q.start, q.end))
        taken.extend(getattr(q, "parts", None) or [])
        records.append(q)
    if min_confidence is None:
        min_confidence = MIN_CONFIDENCE
    if min_confidence > 0:
        scored = tag_doc_confidence(doc)
        confidence = {sp[:3]: sp[3] for sp in scored}
        spans = [sp[:3] for sp in scored]
    else:
        spans, confidence = tag_doc(doc), {}
    out: list[Quote] = []
    text = article.text
    ctx: list = []  # the speaker resolver and the ranker's counts, built for the first content only
    index = doc_index(doc)  # a token's sentence and a span's text without walking or joining tokens
    for lab, lo, hi in spans:
        if lab != "Content":
            continue
        sure = confidence.get((lab, lo, hi), 1.0)
        lo, hi = _trim(doc, lo, hi)
        if hi - lo < min_tokens and not (hi - lo == 1 and min_tokens <= 2 and doc[lo].pos_ in _NAMING):
            continue
        s, e = span_chars(doc, lo, hi)
        inner = [p for p in partials if p.start < e and s < p.end]
        if _overlaps(s, e, taken):
            _widen(doc, article, lo, hi, records, inner, taken)
            continue
        if sure < min_confidence:
            continue  # the model is not sure of it (MIN_CONFIDENCE)
        if inner and not _holds_partials(doc, lo, hi, inner, min_tokens):
            continue
        sent = index.sent_of(lo)  # doc[lo].sent
        cands = [(l2, a, b) for l2, a, b in spans if l2 == "Cue" and sent.start <= a < sent.end
                 and not (lo <= a < hi)]
        if not cands:
            continue
        _, ca, cb = min(cands, key=lambda c: (min(abs(c[1] - hi), abs(c[2] - lo)), c[1]))
        cue_toks = [t for t in doc[ca:cb] if not t.is_punct]
        if not cue_toks:
            continue
        cue_head = next((t for t in cue_toks if t.pos_ in ("VERB", "NOUN")), cue_toks[0])
        q = Quote(article_id=article.id, kind="indirect", text=text[s:e], start=s, end=e, speaker=None,
                  cue=index.text[slice(*span_chars(doc, ca, cb))],  # doc[ca:cb].text
                  sentence=index.sent_text(lo).strip(), raw_start=article.to_raw(s),
                  raw_end=article.to_raw(e - 1) + 1, form=content_form(doc, lo, hi))
        q.act, q.negated = cue_act(doc, ca, cb, (lo, hi))
        if q.negated and cues.withholds(cue_toks, doc[lo]):
            continue  # "won't say [what ...]": an answer withheld, as the rules leave it out
        if not ctx:
            ctx = [SpeakerResolver(doc, article, entities), quoted_tokens(doc), mention_salience(doc)]
        rule = cue_subject(cue_head)
        best = rank_speaker(doc, cue_head.i, content=(lo, hi), rule_i=rule.i if rule is not None else None,
                            quoted=ctx[1], salience=ctx[2], cue=(ca, cb))
        if best is not None:
            _set_speaker(q, ctx[0].speaker_from_head(doc[best], cue_head, q.cue))
        out.append(q)
        taken.append((s, e))
    return out


# ---------------------------------------------------------------------------------------------
# The speaker ranker: which noun phrase near a cue is its source
# ---------------------------------------------------------------------------------------------
RANKER_FILE = "speaker_ranker.json"
_PERSONAL = frozenset("he she they i we you him her them me us".split())
RANKER_FEATURES = (
    "bias", "same_sent", "dist", "log_dist", "before", "subj_of_cue", "agent_of_cue", "rule_choice",
    "nsubj", "obj", "pobj", "poss", "propn", "pron_personal", "pron_other", "noun", "ent_person",
    "ent_org", "people_noun", "org_noun", "doc_noun", "in_quotes", "rank", "first_before",
    "relcl_head", "appos", "log_salience", "cue_noun", "cue_according", "in_content_sent",
    "prev_sent_subj", "cue_in_quotes", "ent_place", "thing_noun", "gov_subj", "root_subj", "other_clause",
)
_CLAUSES = frozenset(("ccomp", "advcl", "relcl", "acl", "csubj"))


def _governors(cue) -> set[int]:
    """Indices of the words above a cue that share its subject, the cue excluded."""
    out: set[int] = set()
    t = cue
    for _ in range(8):
        if t.dep_ not in SHARES_SUBJECT_DEPS or t.head.i == t.i:
            break
        t = t.head
        out.add(t.i)
    return out


def _in_other_clause(tok, cue) -> bool:
    """Whether a word sits in a subordinate clause that does not hold the cue ("... tweeting that
    it was a disaster and asking": "it"; "..., denouncing X after Trump said ...": "Trump")."""
    t = tok
    for _ in range(12):
        if t.head.i == t.i:
            return False
        if t.dep_ in _CLAUSES and not (t.left_edge.i <= cue.i <= t.right_edge.i):
            return True
        t = t.head
    return False


def speaker_candidates(doc, cue_i: int, content: tuple[int, int] | None = None,
                       cue: tuple[int, int] | None = None) -> list[int]:
    """Token indices of the noun-phrase heads that may be a cue's source: in the cue's sentence
    and the one before, outside the content and the cue's own words (token ranges), in text order;
    a time and a word of the description beside a name (:func:`_in_description`) are none.

    Args:
        doc: the parsed article.
        cue_i: the cue's head token.
        content: the content's token range [start, end), if known.
        cue: the whole cue's token range [start, end), if known: its nouns are the cue ("made an
            impassioned call for", "have drawn criticism"), never who speaks.
    Returns:
        Candidate head token indices in text order.
    """
    idx = doc_index(doc)
    sent = idx.sent_of(cue_i)
    lo = idx.sent_of(sent.start - 1).start if sent.start > 0 else sent.start
    out = []
    for t in idx.tokens[lo:sent.end]:
        if t.pos_ not in ("PROPN", "PRON", "NOUN") or t.i == cue_i:
            continue
        if content is not None and content[0] <= t.i < content[1]:
            continue
        if cue is not None and cue[0] <= t.i < cue[1]:
            continue
        if t.dep_ in ("compound", "flat", "nmod") and t.head.i > t.i and t.head.pos_ in ("PROPN", "NOUN") \
                and not (cue is not None and cue[0] <= t.head.i < cue[1]):
            continue  # a word inside a name or a compound: its head stands for it (unless the head
            # is a word of the cue: "Trump blasted Disney for", parsed as one name)
        if t.pos_ == "PRON" and t.lower_ not in _PERSONAL and t.lower_ not in ("who", "it"):
            continue
        if t.ent_type_ in ("DATE", "TIME"):
            continue  # "Obama ... last Thursday, stating ...": a time is never the source (issue 15)
        out.append(t.i)
    tokens = idx.tokens
    return [c for c in out if not _in_description(tokens[c])] or out


def _in_description(tok) -> bool:
    """Whether a noun sits inside the description set beside a name ("Khizr Khan, the father of
    a slain American soldier, decried": "soldier"; "Tanden, head of the Center for American
    Progress, recounted": "Progress"): the name, not a word of its apposition, is the source."""
    t = tok
    for _ in range(6):
        if t.dep_ == "appos":
            return t.i != tok.i and t.head.pos_ == "PROPN"
        if t.dep_ not in ("pobj", "prep", "compound", "poss", "amod", "nmod") or t.head.i == t.i:
            return False
        t = t.head
    return False


def candidate_features(doc, cands: list[int], cue_i: int, rule_i: int | None, quoted: set[int],
                       salience: dict[str, int]) -> list[list[float]]:
    """Feature vectors (RANKER_FEATURES order) of each candidate for one cue."""
    idx = doc_index(doc)
    tokens = idx.tokens
    cue = tokens[cue_i]
    sent = idx.sent_of(cue_i)
    before = [c for c in cands if c < cue_i]
    nearest_before = before[-1] if before else None
    by_dist = sorted(cands, key=lambda c: (abs(c - cue_i), c))
    rank = {c: r for r, c in enumerate(by_dist)}
    prev_sent = idx.sent_of(sent.start - 1) if sent.start > 0 else None
    governors = _governors(cue)
    lemmas, heads = idx.lemma_lower, idx.heads
    cue_noun, cue_in_quotes = float(cue.pos_ == "NOUN"), float(cue_i in quoted)
    relcl_head = cue.head.i if cue.dep_ == "relcl" else None
    rows = []
    for c in cands:
        # each Token attribute read once (a spaCy attribute read builds its string each time)
        t = tokens[c]
        dep, pos, low, ent, head_i = t.dep_, t.pos_, t.lower_, t.ent_type_, heads[c]
        lem = lemmas[c]
        dist = abs(c - cue_i)
        in_sent = sent.start <= c < sent.end
        agent = according = False
        if dep == "pobj":
            head = tokens[head_i]
            agent = head.dep_ == "agent" and heads[head_i] == cue_i
            according = head.lower_ == "to" and tokens[heads[head_i]].lower_ == "according"
        f = {
            "bias": 1.0, "same_sent": float(in_sent), "dist": min(dist, 40) / 10.0,
            "log_dist": float(math.log1p(dist)), "before": float(c < cue_i),
            "subj_of_cue": float(head_i == cue_i and dep in ("nsubj", "nsubjpass")),
            "agent_of_cue": float(agent), "rule_choice": float(rule_i == c),
            "nsubj": float(dep == "nsubj"), "obj": float(dep in ("dobj", "dative", "iobj")),
            "pobj": float(dep == "pobj" and not according), "poss": float(dep == "poss"),
            "propn": float(pos == "PROPN"), "pron_personal": float(low in _PERSONAL),
            "pron_other": float(pos == "PRON" and low not in _PERSONAL),
            "noun": float(pos == "NOUN"), "ent_person": float(ent == "PERSON"),
            "ent_org": float(ent in ("ORG", "NORP", "GPE")),
            "people_noun": float(pos == "NOUN" and names_people(t)),
            "org_noun": float(lem in ORG_WORDS), "doc_noun": float(lem in DOC_NOUNS),
            "in_quotes": float(c in quoted), "rank": min(rank[c], 10) / 5.0,
            "first_before": float(c == nearest_before),
            "relcl_head": float(relcl_head == c),
            "appos": float(dep == "appos"),
            "log_salience": float(math.log1p(salience.get(low, 0))),
            "cue_noun": cue_noun, "cue_according": float(according),
            "in_content_sent": 0.0,
            "prev_sent_subj": float(prev_sent is not None and prev_sent.start <= c < prev_sent.end
                                    and dep == "nsubj"),
            "cue_in_quotes": cue_in_quotes,
            # a place ("Senator Ted Cruz of Texas, urging ...") and a common noun that cannot
            # speak ("a campaign hat that says ...", "the debate") are rarely the source
            "ent_place": float(ent in ("GPE", "LOC", "FAC")),
            "thing_noun": float(pos == "NOUN" and not can_speak(t)),
            # grammar beyond the cue's own subject: the subject of a verb the cue hangs from as a
            # participle or conjunct, the subject of the sentence's main verb, and a word of a
            # clause that does not hold the cue
            "gov_subj": float(dep in ("nsubj", "nsubjpass") and head_i in governors),
            "root_subj": float(dep == "nsubj" and head_i != cue_i and tokens[head_i].dep_ == "ROOT"),
            "other_clause": float(_in_other_clause(t, cue)),
        }
        rows.append([f[name] for name in RANKER_FEATURES])
    return rows


def quoted_tokens(doc) -> set[int]:
    """Indices of tokens inside quotation marks (per sentence, as the CRF sees them)."""
    out: set[int] = set()
    idx = doc_index(doc)
    words = idx.words
    for sent in idx.sents:
        for k, q in enumerate(_in_quotes(words[sent.start:sent.end])):
            if q:
                out.add(sent.start + k)
    return out


def mention_salience(doc) -> dict[str, int]:
    """How often each word is a noun-phrase head in the text (a cheap salience count)."""
    out: dict[str, int] = {}
    idx = doc_index(doc)
    for p, w in zip(idx.pos, idx.lower):
        if p == "PROPN" or p == "NOUN":
            out[w] = out.get(w, 0) + 1
    return out


@lru_cache(maxsize=1)
def load_ranker() -> tuple[float, ...]:
    """The speaker ranker's weights (RANKER_FEATURES order), loaded once from the package data.

    Raises:
        ModelNotInstalled: the weights file is missing (a broken install).
    """
    import json

    path = Path(str(resources.files("newstrace") / "data" / RANKER_FILE))
    if not path.is_file():
        raise ModelNotInstalled(
            f"newstrace's speaker ranker {path} is missing: reinstall newstrace (the wheel ships it), "
            "rebuild it with `python training/train_speaker_ranker.py`, or turn the model off with the "
            "setting attribution_model = false")
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != RANKER_FEATURES:
        raise ModelNotInstalled(f"{path} was trained on other features; rebuild it with "
                                "`python training/train_speaker_ranker.py`")
    return tuple(data["weights"])


def rank_speaker(doc, cue_i: int, *, content: tuple[int, int] | None = None, rule_i: int | None = None,
                 quoted: set[int] | None = None, salience: dict[str, int] | None = None,
                 cue: tuple[int, int] | None = None) -> int | None:
    """The token index of the best-scoring source candidate of a cue, or None when there is none
    (``content`` and ``cue`` token ranges as for :func:`speaker_candidates`)."""
    cands = speaker_candidates(doc, cue_i, content, cue)
    if not cands:
        return None
    w = load_ranker()
    rows = candidate_features(doc, cands, cue_i, rule_i, quoted if quoted is not None else quoted_tokens(doc),
                              salience if salience is not None else mention_salience(doc))
    scores = [sum(map(mul, row, w)) for row in rows]  # (the same products, summed in the same order)
    return cands[max(range(len(cands)), key=lambda k: (scores[k], -k))]


def _set_speaker(q: Quote, sp: Speaker) -> None:
    q.speaker, q.speaker_entity = sp.name, sp.entity
    q.speaker_kind = sp.kind if sp.kind in ("person", "organisation", "anonymous", "outlet") else "unknown"
    q.speaker_mention, q.speaker_start, q.speaker_end = sp.mention, sp.start, sp.end


def _cue_token(doc, q: Quote):
    """The token of a rule quote's cue word nearest its content, in or next to its sentence."""
    if not q.cue:
        return None
    first = q.cue.split()[0].lower()
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    lo = span[0].sent.start
    lo = doc[lo - 1].sent.start if lo > 0 else lo
    hi = span[-1].sent.end
    hits = [t for t in doc[lo:hi] if t.lower_ == first and not (span.start <= t.i < span.end)]
    return min(hits, key=lambda t: min(abs(t.i - span.start), abs(t.i - span.end))) if hits else None


def rerank_speakers(doc, article: Article, found: list[Quote], *, entities=None) -> int:
    """Give each rule quote with a cue the speaker :func:`rank_speaker` picks, where it differs.

    Returns:
        The number of quotes whose speaker changed.
    """
    resolver = SpeakerResolver(doc, article, entities)
    quoted, salience = quoted_tokens(doc), mention_salience(doc)
    changed = 0
    for q in found:
        if q.kind == "post":
            continue
        cue = _cue_token(doc, q)
        if cue is None:
            continue
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        rule_i = None
        if q.speaker_start is not None and q.speaker_end is not None:
            ms = doc.char_span(q.speaker_start, q.speaker_end, alignment_mode="expand")
            if ms is not None and len(ms):
                rule_i = ms.root.i
        best = rank_speaker(doc, cue.i, content=(span.start, span.end), rule_i=rule_i, quoted=quoted,
                            salience=salience)
        if best is None or best == rule_i:
            continue
        _set_speaker(q, resolver.speaker_from_head(doc[best], cue, q.cue))
        changed += 1
    return changed
