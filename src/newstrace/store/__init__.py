"""The SQLite store: the only code that touches the database.

:mod:`.schema` holds the tables and the one decoder of their JSON columns, :mod:`.db` the writer
(:class:`Store`, :func:`open_store`), the per-article rows and the export, and :mod:`.queries`
the read-only queries the report and Datasette use. This face re-exports what the rest of
newstrace uses.

>>> from newstrace.store import open_store
>>> with open_store("story.db", writer=False) as store:  # doctest: +SKIP
...     store.counts()["articles"]
5
"""

from .db import (
    EXPORT_COLUMNS, Store, article_rows, iter_export, open_store, storage_error, storage_errors, stored_minhash,
    stored_features, stored_entity_names, stored_entity_sigs, stored_entity_terms, stored_entity_weights,
    stored_link_schemes,
    stored_neighbours, stored_pairs,
    stored_quote_groups, stored_quote_scores, stored_quote_words, stored_terms, TermSnapshot,
)
from .schema import ARTICLE_TABLES, JSON_COLUMNS, LINK_TABLES, SCHEMA_VERSION, TABLES, decode_row

__all__ = [
    "open_store", "Store", "article_rows", "EXPORT_COLUMNS", "iter_export", "TABLES", "ARTICLE_TABLES",
    "LINK_TABLES", "JSON_COLUMNS", "SCHEMA_VERSION", "decode_row", "storage_error", "storage_errors",
    "stored_minhash", "stored_features", "stored_entity_names", "stored_entity_sigs", "stored_entity_terms",
    "stored_entity_weights",
    "stored_link_schemes",
    "stored_neighbours", "stored_pairs", "stored_quote_groups",
    "stored_quote_scores", "stored_quote_words", "stored_terms", "TermSnapshot",
]
