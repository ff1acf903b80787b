"""Language identification of article text, with py3langid (its model ships in the wheel).

newstrace's extractors read English grammar: an Italian or German article parsed by the English
model gives junk quotes and speakers (issue #17). The cleaner stores the language identified here
in ``Article.language``; the annotate stage skips articles confidently identified as another
language and records why.

>>> identify_language("The minister said on Monday that the plan would go ahead as agreed.")
'en'
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Characters of text the identifier reads: a few paragraphs decide the language of a news
# article, and the identifier's cost grows with the text.
SAMPLE_CHARS = 3000
# Fewer letters than this and the identifier is guessing ("Hello" -> Breton): say nothing.
MIN_LETTERS = 40
# Below this normalised probability the text is mixed or too short to tell: say nothing.
MIN_CONFIDENCE = 0.9

__all__ = ["MIN_CONFIDENCE", "identify_language", "load_language_model"]

_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def load_language_model() -> None:
    """Load the identifier's model now (about a second, once per process), so that the first
    article's cleaning, which runs under a time budget, does not pay for it."""
    _identifier()


def identify_language(text: str) -> str | None:
    """The ISO 639-1 code of the language a text is written in, or None when unsure.

    Args:
        text: article text (only the first ``SAMPLE_CHARS`` characters are read).
    Returns:
        A code such as ``"en"`` or ``"it"``; None for text with fewer than ``MIN_LETTERS``
        letters or identified with a probability below ``MIN_CONFIDENCE``.

    >>> identify_language("Il ministro ha detto lunedì che il piano andrà avanti come previsto.")
    'it'
    >>> identify_language("Hello") is None
    True
    """
    sample = (text or "")[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    code, prob = _identifier().classify(sample)
    return str(code) if prob >= MIN_CONFIDENCE else None
