"""The annotate stage: one spaCy parse per article, then entities, quotes, attributions, claims."""

from __future__ import annotations

from .models import Annotations, Article


def annotate(doc, article: Article) -> Annotations:
    """Find entities, quotes, attributions and claims in one parsed article.

    Args:
        doc: the spaCy Doc of ``article.text``.
        article: the cleaned article.
    Returns:
        Annotations with offsets into ``article.text``.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> ann = annotate(load_nlp()(article.text), article)  # doctest: +SKIP
    """
    from . import attributions, claims, entities, quotes

    ents = entities.analyze_entities(doc, article)
    found_quotes = quotes.extract_quotes(doc, article, entities=ents)
    found_attrs = attributions.extract_attributions(doc, article, entities=ents)
    found_claims = claims.extract_claims(doc, article, entities=ents, quotes=found_quotes,
                                         attributions=found_attrs)
    return Annotations(quotes=found_quotes, attributions=found_attrs, mentions=ents.mentions,
                       entities=ents.entities, claims=found_claims)
