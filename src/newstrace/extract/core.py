"""The annotate stage: one spaCy parse per article, then entities, quotes, attributions, claims.

:func:`annotate` runs the extractors over one parsed article in their order; :func:`annotate_batch`
parses a batch with one ``nlp.pipe`` call under the per-article time budget and is the unit of work
for ``--jobs`` worker processes and cluster backends (:func:`worker_annotate`).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc

from ..budget import Timeout, time_limit
from ..config import Settings
from ..models import Annotations, Article, InputError
from ..nlp import load_nlp
from . import attributions, claims, learned, quotes
from .doc_index import release_index
from .entities import analyze_entities
from .events import extract_event


# The stages of annotate, in order (the names ``lap`` is called with).
STAGES = ("entities", "quotes", "attributions", "learned", "claims", "event")


def annotate(doc, article: Article, *, settings: Settings | None = None,
             lap: Callable[[str], None] | None = None) -> Annotations:
    """Find entities, quotes, attributions, claims and the main event in one parsed article.

    Args:
        doc: the spaCy Doc of ``article.text``.
        article: the cleaned article.
        settings: ``include_beliefs`` and ``include_nominal`` choose which attributions beyond
            reported speech are kept, ``attribution_model`` whether the learned tagger adds the
            contents no rule quote or attribution overlaps, with the speaker its ranker picks
            (:func:`newstrace.extract.learned.model_quotes`); default: :class:`~newstrace.config.Settings`' defaults.
        lap: called with each stage's name (:data:`STAGES`, every one, in order) as that stage
            ends, for a bench to time the stages of this very code (``bench/extract_time.py``).
    Returns:
        Annotations with offsets into ``article.text``.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> ann = annotate(load_nlp()(article.text), article)  # doctest: +SKIP
    """
    try:
        return _annotate(doc, article, settings or Settings(), lap or _no_lap)
    finally:
        release_index(doc)  # the stages' shared tokens (extract.doc_index) end with the article


def _no_lap(stage: str) -> None:
    return None


def _annotate(doc, article: Article, settings: Settings, lap: Callable[[str], None]) -> Annotations:
    ents = analyze_entities(doc, article)
    lap("entities")
    found_quotes = quotes.extract_quotes(doc, article, entities=ents, include_beliefs=settings.include_beliefs,
                                         include_nominal=settings.include_nominal)
    lap("quotes")
    found_attrs = attributions.extract_attributions(doc, article, entities=ents)
    lap("attributions")
    if settings.attribution_model:  # the learned layer (issue 15): the CRF's contents beyond the rules'
        # quotes and attributions (a statement the rules keep as an attribution is not a quote too)
        extra = learned.model_quotes(doc, article, entities=ents, have=found_quotes + found_attrs,
                                     evidence_quoted=settings.include_beliefs)
        # include_beliefs off keeps reported speech that was made, from the model as from the rules
        # (``extract_quotes`` leaves out a negated or refused report then); include_nominal off keeps
        # the reports whose content is no noun phrase, from the model as from the rules ("blamed
        # [poor sales since Christmas]": what was spoken about, not what was said)
        found_quotes += [q for q in extra if (settings.include_beliefs or (q.act == "speech" and not q.negated))
                         and (settings.include_nominal or q.form != "noun_phrase")]
        quotes.nest_partials(found_quotes)  # a learned content holding a partial quote is its parent
    lap("learned")
    found_claims = claims.extract_claims(doc, article, entities=ents, quotes=found_quotes,
                                         attributions=found_attrs)
    lap("claims")
    event = extract_event(doc, article)
    lap("event")
    return Annotations(quotes=found_quotes, attributions=found_attrs, mentions=ents.mentions,
                       entities=ents.entities, claims=found_claims, event=event)


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
    # components are linear in the length, so a group gets the sum of its articles' budgets;
    # if it still overruns (or fails), its articles are parsed one at a time.
    # Memory: parsing takes about 3 KB per character in flight (issue #18: one 400k-character
    # article peaked at 1.5 GB, a batch of 16 of them at 18.9 GB), so a group holds at most
    # batch_chars characters and an article longer than parse_chars is parsed alone, in pieces.
    tokenized: list[tuple[int, list[Any]]] = []
    for i, article in enumerate(articles):
        if article.language not in (None, "en"):  # the English model gives junk on other languages
            out[i] = skipped_language(article)
            continue
        try:
            with time_limit(budget):
                tokenized.append((i, [nlp.make_doc(t) for t in split_for_parse(article.text, settings.parse_chars)]))
        except Timeout:
            out[i] = over_budget(article, "tokenizing")
        except Exception as exc:
            out[i] = _failed(article, exc)
    docs: dict[int, Any] = {}
    for group in _parse_groups(tokenized, [len(articles[i].text) for i, _ in tokenized], settings):
        try:
            with time_limit(budget * len(group)):
                parsed = iter(nlp.pipe((d for _, pieces in group for d in pieces),
                                       batch_size=settings.batch_size if len(group) > 1 else 1))
                for i, pieces in group:
                    docs[i] = _join([next(parsed) for _ in pieces])
        except (Timeout, Exception):  # a time-out, or one text a component fails on: one at a time
            for i, _ in group:  # from the text again: a half-parsed Doc keeps stale annotations
                try:
                    with time_limit(budget):
                        docs[i] = _join([nlp(t) for t in split_for_parse(articles[i].text, settings.parse_chars)])
                except Timeout:
                    out[i] = over_budget(articles[i], "parsing")
                except Exception as exc:
                    out[i] = _failed(articles[i], exc)
    for i, doc in sorted(docs.items()):
        try:
            with time_limit(budget):
                out[i] = annotate(doc, articles[i], settings=settings)
        except Timeout:
            out[i] = over_budget(articles[i], "annotating")
        except Exception as exc:  # one article must never cost the rest of the run
            out[i] = _failed(articles[i], exc)
    return out  # type: ignore[return-value]  # every slot is filled above


def split_for_parse(text: str, max_chars: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``max_chars`` that join back into it exactly.

    Cuts fall after a paragraph break (a blank line), else after a sentence end (". "), else at a
    space, else anywhere; each piece keeps the whitespace that ends it, so the pieces' parses
    joined with ``Doc.from_docs`` have the same character offsets as a parse of the whole text.

    >>> split_for_parse("One.\\n\\nTwo. Three.", 12)
    ['One.\\n\\n', 'Two. Three.']
    """
    if len(text) <= max_chars or max_chars <= 0:
        return [text]
    pieces: list[str] = []
    start = 0
    while len(text) - start > max_chars:
        end = start + max_chars
        for sep in ("\n\n", ". ", " "):
            cut = text.rfind(sep, start + max_chars // 4, end - len(sep) + 1)
            if cut >= 0:
                end = cut + len(sep)
                while end < len(text) and text[end].isspace() and end - start < max_chars:
                    end += 1  # the whole whitespace run stays with the piece it ends
                break
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _join(pieces: list[Any]) -> Any:
    return pieces[0] if len(pieces) == 1 else Doc.from_docs(pieces, ensure_whitespace=False)


def _parse_groups(tokenized: list[tuple[int, list[Any]]], sizes: list[int],
                  settings: Settings) -> list[list[tuple[int, list[Any]]]]:
    """Consecutive articles in groups of at most batch_size articles and batch_chars characters
    (``sizes``: each tokenized article's length; its pieces join back to it, so no Doc.text is
    rebuilt here); an article in pieces, or longer than batch_chars, is a group alone."""
    groups: list[list[tuple[int, list[Any]]]] = []
    chars, closed = 0, True
    for item, size in zip(tokenized, sizes):
        alone = len(item[1]) > 1 or size >= settings.batch_chars
        if closed or alone or len(groups[-1]) >= settings.batch_size or chars + size > settings.batch_chars:
            groups.append([])
            chars = 0
        groups[-1].append(item)
        chars += size
        closed = alone
    return groups


def skipped_language(article: Article) -> InputError:
    """The error row of an article not annotated because it is not in English (issue #17)."""
    return InputError(file=article.source, stage="language", record=article.id,
                      reason=f"newstrace annotates English; this article is {article.language}",
                      hint="the article is stored (text, metadata, copies and stories) without "
                           "quotes, speakers or figures")


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
