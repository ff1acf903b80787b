"""Entities of one article: mentions, article-local entities and within-article coreference.

:func:`analyze_entities` runs the steps in order over one spaCy parse:

* mentions come from the spaCy NER (PERSON, ORG, GPE, NORP), repaired where the small model is
  known to slip (spans running across lower-case words, org words tagged PERSON, a person's
  surname tagged ORG/GPE), plus grammar-found TITLE mentions (noun phrases headed by a role noun:
  "the DHS secretary", "former acting commissioner of CBP"), OUTLET mentions (news outlets, from a
  maintained table and the shape "the X Times/Post/...", "X News", "X.com") and PRONOUN mentions;
* names are merged ("Alejandro Mayorkas", "Mayorkas", "Mr. Mayorkas"), organisations through
  acronyms defined anywhere in the article ("Immigration and Customs Enforcement (ICE)") or in a
  small table of common ones; titles linked to a name by a compound ("Homeland Security Secretary
  Alejandro Mayorkas"), an apposition ("Mayorkas, the DHS secretary,") or a copula become
  :class:`~newstrace.models.Role` records and later bare titles ("the secretary") resolve to the
  person holding them;
* :meth:`EntityAnalysis.resolve` answers "who do these words refer to" for the quote and
  attribution stages: names, titles, pronouns (most recent compatible antecedent, preferring
  subjects), outlets and anonymous descriptions ("two sources familiar with the matter").

Merging entities across articles is the link stage's (:mod:`newstrace.link.entities`).

Modules, bottom up: ``names`` (name, title and role helpers over tokens, shared with the link
stage), ``analysis`` (the result, :class:`EntityAnalysis`), ``draft`` (:class:`~.draft.EntityDraft`,
the state the steps share, and their common helpers), then the steps: ``mentions`` (collecting
mentions), ``pronouns`` (collecting and resolving pronouns), ``titles`` (titles, their holders and
roles), ``coref`` (grouping mentions into entities, and the result). :func:`analyze_entities`
below is the run order.
"""

from __future__ import annotations

from ...models import Article
from ..doc_index import doc_index
from .analysis import EntityAnalysis
from .coref import (
    finish, fix_missed_org_names, fix_missed_surnames, group_mentions, link_org_descriptions, settle_genders,
)
from .draft import EntityDraft
from .mentions import (
    collect_bodies, collect_descriptions, collect_ner, collect_outlets_by_grammar, collect_outlets_from_text,
    complete_cut_names, find_acronyms,
)
from .names import (
    appositive_name, can_speak, entity_id, first_name_gender, inverted_subject, name_after_relative,
    name_closing_split_subject, name_for_description, name_hung_before, object_controller, speaks_above,
    thing_of_clause, with_subject, without_places,
)
from .pronouns import collect_pronouns, resolve_pronouns
from .titles import collect_titles

__all__ = ["EntityAnalysis", "analyze_entities", "appositive_name", "can_speak", "entity_id", "first_name_gender",
           "inverted_subject", "name_after_relative", "name_closing_split_subject", "name_for_description",
           "name_hung_before", "object_controller", "speaks_above", "thing_of_clause", "with_subject", "without_places"]


def analyze_entities(doc, article: Article) -> EntityAnalysis:
    """Find the mentions and the article-local entities (within-article coreference) of an article.

    Args:
        doc: the spaCy Doc of ``article.text`` (NER and dependency parse).
        article: the cleaned article (``id``, ``published`` and ``outlet`` are used).
    Returns:
        An :class:`EntityAnalysis`; mention offsets are into ``article.text``.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> ea = analyze_entities(load_nlp()(article.text), article)  # doctest: +SKIP
    >>> ea.resolve(start, end)  # doctest: +SKIP
    (0, 'Alejandro Mayorkas', 'person')
    """
    doc_text = doc_index(doc).text  # joined once for every stage (issue 15's time budget)
    if doc_text != article.text:
        where = next((i for i, (a, b) in enumerate(zip(doc_text, article.text)) if a != b),
                     min(len(doc_text), len(article.text)))
        raise ValueError(f"article {article.id}: the spaCy Doc is not a parse of article.text (they differ "
                         f"from character {where}; {len(doc_text)} vs {len(article.text)} characters); "
                         "pass nlp(article.text)")
    draft = EntityDraft(doc, article)
    # mentions, in this order: later steps read what earlier ones found (taken tokens, persons, titles)
    collect_ner(draft)
    complete_cut_names(draft)
    collect_outlets_by_grammar(draft)
    collect_outlets_from_text(draft)
    find_acronyms(draft)
    collect_titles(draft)
    collect_pronouns(draft)
    collect_descriptions(draft)
    collect_bodies(draft)
    # entities: group (titles assigned inside, once names have entities), then mentions of known ones
    entities = group_mentions(draft)
    fix_missed_surnames(draft, entities)
    fix_missed_org_names(draft, entities)
    link_org_descriptions(draft, entities)
    # genders before pronouns: a pronoun's gender filters its antecedents
    settle_genders(draft, entities)
    resolve_pronouns(draft, entities)
    return finish(draft, entities)
