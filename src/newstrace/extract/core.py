"""The annotate stage: one spaCy parse per article, then entities, quotes, attributions, claims.

:func:`annotate` runs the extractors over one parsed article in their order; :func:`annotate_batch`
parses a batch with one ``nlp.pipe`` call under the per-article time budget and is the unit of work
for ``--jobs`` worker processes and cluster backends (:func:`worker_annotate`).
"""

from __future__ import annotations

import traceback
from typing import Any

from ..budget import Timeout, time_limit
from ..config import Settings
from ..models import Annotations, Article, InputError
from ..nlp import load_nlp
from . import attributions, claims, learned, quotes
from .entities import analyze_entities


def annotate(doc, article: Article, *, attribution_model: bool = True) -> Annotations:
    """Find entities, quotes, attributions and claims in one parsed article.

    Args:
        doc: the spaCy Doc of ``article.text``.
        article: the cleaned article.
        attribution_model: also add the contents the learned tagger finds that no rule quote or
            attribution overlaps, with the speaker its ranker picks
            (:func:`newstrace.extract.learned.model_quotes`).
    Returns:
        Annotations with offsets into ``article.text``.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> ann = annotate(load_nlp()(article.text), article)  # doctest: +SKIP
    """
    ents = analyze_entities(doc, article)
    found_quotes = quotes.extract_quotes(doc, article, entities=ents)
    found_attrs = attributions.extract_attributions(doc, article, entities=ents)
    if attribution_model:  # the learned layer (issue 15): the CRF's contents beyond the rules'
        # quotes and attributions (a statement the rules keep as an attribution is not a quote too)
        found_quotes += learned.model_quotes(doc, article, entities=ents, have=found_quotes + found_attrs)
    found_claims = claims.extract_claims(doc, article, entities=ents, quotes=found_quotes,
                                         attributions=found_attrs)
    return Annotations(quotes=found_quotes, attributions=found_attrs, mentions=ents.mentions,
                       entities=ents.entities, claims=found_claims)


def annotate_batch(articles: list[Article], *, settings: Settings) -> list[Annotations | InputError]:
    """Parse a batch of clean articles with one ``nlp.pipe`` call and annotate each.

    A failure or time-out in one article gives an InputError for it; the others go on.
    This is the unit of work for ``--jobs`` worker processes and cluster backends.
    """
    nlp = load_nlp(settings.model)
    budget = settings.max_seconds_per_article
    out: list[Annotations | InputError | None] = [None] * len(articles)

    def over_budget(article: Article, what: str) -> InputError:
        return InputError(file=article.source, stage="limit", record=article.id,
                          reason=f"{what} took longer than {budget:g} s (max_seconds_per_article)",
                          hint="the article is stored without annotations; to annotate it, raise "
                               "max_seconds_per_article and analyze it into a new database")

    # Tokenizing counts against each article's budget: spaCy's tokenizer is quadratic on long
    # runs of brackets or quote marks (15,000 "(" take 40 s, 40,000 minutes). The statistical
    # components are linear in the length, so the batch gets the sum of its articles' budgets;
    # if it still overruns (or fails), its articles are parsed one at a time.
    tokenized: list[tuple[int, Any]] = []
    for i, article in enumerate(articles):
        try:
            with time_limit(budget):
                tokenized.append((i, nlp.make_doc(article.text)))
        except Timeout:
            out[i] = over_budget(article, "tokenizing")
        except Exception as exc:
            out[i] = _failed(article, exc)
    docs: dict[int, Any] = {}
    try:
        with time_limit(budget * len(tokenized)):
            docs = dict(zip((i for i, _ in tokenized),
                            nlp.pipe((d for _, d in tokenized), batch_size=settings.batch_size)))
    except (Timeout, Exception):  # a time-out, or one text a component fails on: one at a time
        for i, _ in tokenized:  # from the text again: a half-parsed Doc keeps stale annotations
            try:
                with time_limit(budget):
                    docs[i] = nlp(articles[i].text)
            except Timeout:
                out[i] = over_budget(articles[i], "parsing")
            except Exception as exc:
                out[i] = _failed(articles[i], exc)
    for i, doc in sorted(docs.items()):
        try:
            with time_limit(budget):
                out[i] = annotate(doc, articles[i], attribution_model=settings.attribution_model)
        except Timeout:
            out[i] = over_budget(articles[i], "annotating")
        except Exception as exc:  # one article must never cost the rest of the run
            out[i] = _failed(articles[i], exc)
    return out  # type: ignore[return-value]  # every slot is filled above


def _failed(article: Article, exc: Exception) -> InputError:
    return InputError(file=article.source, stage="annotate", record=article.id,
                      reason=f"annotation failed: {type(exc).__name__}: {exc}",
                      hint="please report this with the input file; the article is "
                           "stored without annotations. "
                           + traceback.format_exc(limit=3).replace("\n", " | "))


def worker_annotate(args: tuple[list[Article], Settings]) -> list[Annotations | InputError]:
    """:func:`annotate_batch` with its arguments as one tuple: the unit of work sent to a worker process."""
    articles, settings = args
    return annotate_batch(articles, settings=settings)
