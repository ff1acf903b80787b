"""Across articles: global entities, stories, links, quote groups, provenance, citations.

The link stage reads stored records (plain dicts or :class:`~newstrace.rows.Rows`, see
``Store.load_link_inputs``) and returns a :class:`LinkResult` that ``Store.write_link_result``
writes as a whole. Nothing here compares all pairs of articles:

* lexical copies are found with MinHash LSH over word shingles (datasketch);
* paraphrases with rare-key fingerprints: each article's rarest content words, numbers and entity
  names go into an inverted index; keys held by too many articles are dropped (a per-key cap), and
  two articles become a candidate pair when they share several keys;
* stories are built in one pass in date order: an article joins the story whose centroid is most
  similar among the stories of recent articles sharing its top terms (a capped, windowed index);
* quotes are grouped through an index of their rare words, then compared with rapidfuzz.

Every id is a hash of its content, and every loop runs in a sorted order, so the same input gives
the same output.

Memory (issue #5: a million articles on one machine) stays a few KB an article: texts can be read
on demand (``text_of``) through a bounded cache; term vectors, fingerprint and quote keys, MinHash
band keys and story postings are packed numpy/array buffers, not Python objects per item; term
strings are dropped once vectors are built (lookups by string hash); word features of articles
and quotes are recomputed for the pairs that need them through small caches; candidate pairs are
counted one item at a time instead of in a Counter over all pairs.

Modules, in the order :func:`link_articles` (``core``) uses them: ``entities`` (merging
article-local entities into global ones), ``features`` (per-article term vectors and fingerprint
keys), ``quote_groups`` (the same quote re-reported, and how it drifted), ``candidates`` (MinHash,
fingerprint and shared-quote candidate pairs), ``copies`` (classifying a pair: duplicate, rewrite,
derived), ``stories``, ``provenance`` (first carried by, citations, figure conflicts); ``text``
(tokens, stems, dates) and ``unionfind`` serve them.
"""

from .copies import align_sentences
from .core import LinkResult, link_articles
from .entities import EntityMap, MergedEntities, build_global_entities, merge_entities
from .quote_groups import quote_drift

__all__ = ["EntityMap", "LinkResult", "MergedEntities", "align_sentences", "build_global_entities",
           "link_articles", "merge_entities", "quote_drift"]
