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

Modules: ``analysis`` (the result, :class:`EntityAnalysis`), ``names`` (name, title and role
helpers over tokens, shared with the link stage), ``analyzer`` (the steps).
"""

from .analysis import EntityAnalysis
from .analyzer import analyze_entities
from .names import entity_id, first_name_gender

__all__ = ["EntityAnalysis", "analyze_entities", "entity_id", "first_name_gender"]
