"""The per-article stage: one spaCy parse of a clean article in, its annotations out.

Bottom up (every import points down):

* ``lexicon``, ``outlets``, ``quote_marks``, ``cues``, ``figures``: word classes, the outlet and
  acronym tables, the quote-mark scanners (pure text), the cue-verb classes, numbers and dates;
* ``entities``: mentions, local entities and within-article coreference;
* ``speakers`` (who a quotation's cue points to) and ``sources`` (who an attribution names);
* ``reported``: reported speech (indirect quotes), which the quotes stage reports;
* ``quotes``, ``attributions``, ``claims``: the extractors;
* ``core``: :func:`annotate` runs them in order; :func:`annotate_batch` parses and annotates a
  batch under the time budget.

>>> from newstrace.nlp import load_nlp  # doctest: +SKIP
>>> ann = annotate(load_nlp()(article.text), article)  # doctest: +SKIP
"""

from .attributions import extract_attributions
from .claims import extract_claims
from .core import annotate, annotate_batch, worker_annotate
from .entities import EntityAnalysis, analyze_entities, entity_id, first_name_gender
from .figures import (
    APPROX_TOLERANCE, QUALIFIERS, figures_conflict, figures_disagree, parse_number, resolve_date,
    value_range,
)
from .outlets import canonical_outlet
from .quote_marks import find_quote_spans
from .quotes import extract_quotes
from .reported import extract_indirect

__all__ = [
    "APPROX_TOLERANCE", "EntityAnalysis", "QUALIFIERS", "analyze_entities", "annotate",
    "annotate_batch", "canonical_outlet", "entity_id", "extract_attributions", "extract_claims",
    "extract_indirect", "extract_quotes", "figures_conflict", "figures_disagree", "find_quote_spans",
    "first_name_gender", "parse_number", "resolve_date", "value_range", "worker_annotate",
]
