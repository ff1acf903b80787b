"""The database schema: every table's columns and help text, and the decoder of its JSON columns.

:data:`TABLES` defines each table (columns in display order, primary key, help text);
:data:`LINK_TABLES` and :data:`ARTICLE_TABLES` say which stage writes which tables;
:data:`JSON_COLUMNS` names the columns stored as JSON text and :func:`decode_row` reads them back.
The writer (:mod:`.db`) creates the tables from here and the read side (:mod:`.queries`) describes
them to Datasette from here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from ..rows import decode_json

# 2: sources keyed by (source, article_id), issue #18; 3: the rows an older version's migration
# left with a NULL ``act`` read 'speech' (a column's ``defaults`` below, filled once on opening);
# 4: ``quotes.form`` (a column's ``derived`` value below, filled once on opening)
SCHEMA_VERSION = 4

# Column definitions of every table, in the order they are shown. The link stage fills the
# link tables; the Datasette metadata (queries.datasette_metadata) describes each column.
TABLES: dict[str, dict[str, Any]] = {
    "runs": dict(
        columns={"id": int, "started": str, "finished": str, "status": str, "version": str,
                 "settings": str, "files": int, "articles_added": int, "articles_seen": int,
                 "errors": int, "inputs": str, "stage_seconds": str, "link_status": str},
        pk="id", help="One row per `newstrace analyze` run."),
    "files": dict(
        columns={"path": str, "size": int, "mtime": float, "format": str, "run_id": int,
                 "articles": int, "status": str},
        pk="path", help="Input files already processed: a re-run skips unchanged files."),
    "articles": dict(
        columns={"id": str, "source": str, "outlet": str, "title": str, "published": str,
                 "authors": str, "url": str, "format": str, "dateline": str, "words": int,
                 "text": str, "raw_text": str, "segments": str, "removed": str, "run_id": int,
                 "added": str, "language": str, "event_date": str, "event_date_source": str,
                 "event_participants": str, "event_places": str, "event_figures": str},
        pk="id", help="One row per distinct article (id = hash of its normalised text)."),
    "sources": dict(
        columns={"source": str, "article_id": str, "file": str, "run_id": int, "revision": int},
        pk=("source", "article_id"),
        help="Every place an article was read from (the same text from two files is one article; "
             "the same URL read again with another text is a second row, a later revision)."),
    "posts": dict(
        columns={"id": str, "article_id": str, "idx": int, "platform": str, "author": str,
                 "handle": str, "date": str, "text": str, "links": str, "raw_start": int,
                 "raw_end": int},
        pk="id", help="Embedded social-media posts pulled out of article text."),
    "quotes": dict(
        columns={"id": str, "article_id": str, "idx": int, "kind": str, "text": str,
                 "speaker": str, "speaker_kind": str, "speaker_mention": str, "cue": str,
                 "via": str, "start": int, "end": int, "raw_start": int, "raw_end": int,
                 "speaker_start": int, "speaker_end": int, "sentence": str, "parent_id": str,
                 "post_id": str, "local_entity": int, "speaker_entity_id": str, "parts": str,
                 "act": str, "negated": int, "form": str},
        pk="id", help="Everything reported as said, written or posted, with its speaker.",
        # what a column added since holds in the rows of an older database (a NULL flag would drop
        # them from "not negated")
        defaults={"negated": 0, "act": "speech"},
        # a column added since whose value in an older row follows from its other columns (SQL over
        # ``{column}`` references): the words in quote marks are "quoted"; an indirect quote's form
        # needs the parse, which the database does not keep, so it stays NULL (unknown)
        derived={"form": "case when {kind} = 'indirect' then null else 'quoted' end"}),
    "attributions": dict(
        columns={"id": str, "article_id": str, "idx": int, "source": str, "source_kind": str,
                 "named": int, "cue": str, "sentence": str, "start": int, "end": int,
                 "source_start": int, "source_end": int, "local_entity": int,
                 "source_entity_id": str, "act": str},
        pk="id", help="Statements an article sources to someone else (according to X, X reported).",
        defaults={"act": "speech"}),
    "mentions": dict(
        columns={"id": str, "article_id": str, "text": str, "label": str, "start": int,
                 "end": int, "local_entity": int},
        pk="id", help="Mentions of people, organisations, outlets, places and titles."),
    "local_entities": dict(
        columns={"id": str, "article_id": str, "local_id": int, "name": str, "type": str,
                 "aliases": str, "roles": str, "gender": str, "entity_id": str},
        pk="id", help="Each entity as referred to inside one article."),
    "claims": dict(
        columns={"id": str, "article_id": str, "idx": int, "kind": str, "text": str,
                 "value": float, "unit": str, "what": str, "asserted_by": str, "date": str,
                 "start": int, "end": int, "sentence": str, "qualifier": str, "low": float,
                 "high": float, "role": str, "period": str, "event": str, "agent": str},
        pk="id", help="Figures and dated events, with who asserts them."),
    "entities": dict(
        columns={"id": str, "name": str, "type": str, "aliases": str, "roles": str,
                 "article_ids": str, "articles": int},
        pk="id", help="People, organisations and outlets merged across articles."),
    "stories": dict(
        columns={"id": str, "label": str, "article_ids": str, "articles": int, "start": str,
                 "end": str},
        pk="id", help="Groups of articles about the same event."),
    "links": dict(
        columns={"a": str, "b": str, "kind": str, "score": float, "evidence": str},
        pk=("a", "b"), help="Relations between articles: duplicate, rewrite, derived, same-story."),
    "quote_groups": dict(
        columns={"id": str, "quote_ids": str, "variant": str, "differences": str,
                 "speaker": str, "first_article": str, "drift": int, "size": int},
        pk="id", help="The same utterance re-reported across articles, with word-level diffs and drift."),
    "provenance": dict(
        columns={"item_type": str, "item_id": str, "first_article": str, "first_outlet": str,
                 "first_published": str, "outlets": str, "via": str},
        pk=("item_type", "item_id"), help="Where each quote group and claim was first carried and how it travelled."),
    "citations": dict(
        columns={"article_id": str, "cited": str, "kind": str, "count": int},
        pk=("article_id", "cited"), help="Citation graph: article -> cited outlet, document or person."),
    "outlet_citations": dict(
        columns={"from_outlet": str, "to_outlet": str, "count": int},
        pk=("from_outlet", "to_outlet"), help="Citation graph aggregated outlet -> outlet."),
    "figure_conflicts": dict(
        columns={"id": str, "story_id": str, "what": str, "figures": str},
        pk="id", help="Figures about the same thing that disagree across a story's articles."),
    "link_minhash": dict(
        columns={"article_id": str, "scheme": str, "bands": bytes},
        pk="article_id",
        help="Each article's MinHash LSH band keys, kept so a later link run computes them only for new articles."),
    "link_terms": dict(
        columns={"term": str, "df": int},
        pk="term",
        help="The term-weight snapshot: each stemmed word's document frequency when the snapshot was taken "
             "(link_snapshot). Links weigh words by it until a relink or enough growth refreshes it, so "
             "stored articles' vectors and pair verdicts stay valid and a new article is compared against them only."),
    "link_snapshot": dict(
        columns={"id": str, "n_docs": int, "terms": int, "created": str},
        pk="id",
        help="The one current term-weight snapshot: its id, the number of articles its document frequencies were counted over."),
    "link_features": dict(
        columns={"article_id": str, "scheme": str, "packed": bytes},
        pk="article_id",
        help="Each article's term vector and fingerprint words under a term-weight snapshot (scheme), kept so a "
             "later link run reads only new articles' texts to build them."),
    "link_quote_pairs": dict(
        columns={"a": str, "b": str, "scheme": str, "sim": float},
        pk=("a", "b"),
        help="The similarity of each pair of quotes compared for quote groups, kept so a later link run "
             "compares only pairs with a new quote."),
    "link_pairs": dict(
        columns={"a": str, "b": str, "scheme": str, "kind": str, "score": float, "evidence": bytes,
                 "quotes": str},
        pk=("a", "b"),
        help="The verdict on each candidate pair of articles under a term-weight snapshot (scheme): kept so a later "
             "link run classifies only the pairs it has not classified (kind null: not a copy)."),
    "link_quote_words": dict(
        columns={"quote_id": str, "scheme": str, "words": str},
        pk="quote_id",
        help="Each quote's number of words and content words as quote groups read them, kept so a later "
             "link run reads only new quotes' words."),
    "link_neighbours": dict(
        columns={"article_id": str, "scheme": str, "inputs": str, "published": str, "near": str},
        pk="article_id",
        help="Each article's nearest articles as story clustering found them (JSON [similarity, article id] "
             "pairs) under a term-weight snapshot, settings and code (scheme), with a hash of the article's other "
             "inputs: a later link run searches again only for the articles a new or changed one can reach."),
    "link_entity_weights": dict(
        columns={"article_id": str, "scheme": str, "inputs": str, "weights": bytes},
        pk="article_id",
        help="How prominent each of an article's local entities is in its text (float64 each, in local id order), "
             "with a hash of its title and entities: a later link run reads only new articles' texts for them."),
    "link_entity_sigs": dict(
        columns={"id": str, "scheme": str, "sig": str},
        pk="id",
        help="A hash of what each global entity's row is made from (its name, type and member local entities): "
             "a later link run leaves the row of an entity of the same hash as it is."),
    "link_entity_terms": dict(
        columns={"id": str, "scheme": str, "terms": str, "members": int},
        pk="id",
        help="What can tie each global entity's member local entities to others (their merge keys, surnames, "
             "alias keys and one-word names) and how many members it has: a later link run merges again only "
             "the entities new local entities reach."),
    "link_entity_index": dict(
        columns={"term": str, "id": str, "scheme": str},
        pk=("term", "id"),
        help="Each merge term of each global entity (link_entity_terms' terms, one row each), looked up by term: "
             "a later link run reads only the entities holding a term of the new local entities, not all terms."),
    "link_schemes": dict(
        columns={"name": str, "scheme": str},
        pk="name",
        help="The scheme (code version) the last link run wrote each link table under: a later run reuses a "
             "stored row (a quote group whose quotes are unchanged) only when it was made by the same scheme."),
    "errors": dict(
        columns={"id": int, "run_id": int, "file": str, "record": str, "stage": str,
                 "reason": str, "hint": str, "created": str, "count": int, "last_record": str},
        pk="id", help="Inputs that could not be processed, why, and what to do."),
}

# Tables the link stage rewrites as a whole after each run.
LINK_TABLES = ("entities", "stories", "links", "quote_groups", "provenance", "citations",
               "outlet_citations", "figure_conflicts")
# Per-article tables written together with each article.
ARTICLE_TABLES = ("posts", "quotes", "attributions", "mentions", "local_entities", "claims")

# Columns holding JSON text (lists and objects), in whichever table they appear.
JSON_COLUMNS = frozenset({"authors", "segments", "removed", "links", "aliases", "roles", "article_ids",
                          "quote_ids", "differences", "evidence", "outlets", "via", "figures", "settings",
                          "inputs", "stage_seconds", "parts", "event_participants", "event_places",
                          "event_figures"})


def decode_row(row: Mapping[str, Any] | sqlite3.Row | Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """One database row as a new dict, its JSON columns decoded.

    The one decoder of :data:`JSON_COLUMNS`, used by the writer's reads (:mod:`.db`) and the
    read-only queries (:mod:`.queries`). A value is decoded only when it is text starting with
    ``[`` or ``{``; text that is not valid JSON is kept as it is.

    Args:
        row: a mapping, an :class:`sqlite3.Row`, or ``(column, value)`` pairs (such as
            ``zip(names, values)``, which builds the dict once).
    Returns:
        A new dict of column -> value; ``row`` itself is left unchanged.
    """
    d = dict(row)
    for key, val in d.items():
        if key in JSON_COLUMNS:
            d[key] = decode_json(val)
    return d


def sql_literal(value: Any) -> str:
    """``value`` (None, a number or a string) written as an SQL literal.

    >>> sql_literal("it's"), sql_literal(True), sql_literal(None)
    ("'it''s'", '1', 'NULL')
    """
    if value is None:
        return "NULL"
    if isinstance(value, (bool, int, float)):
        return repr(int(value) if isinstance(value, bool) else value)
    return "'" + str(value).replace("'", "''") + "'"


def column_sql(table: str, name: str, have: Iterable[str] | None, alias: str | None = None) -> str:
    """The SQL that reads column ``name`` of ``table`` in a database whose table has the columns
    ``have`` (None: unknown, taken as present).

    A database written by an older version (opened read-only, so never migrated) lacks the columns
    added since: such a column reads as the value the migration gives it (the table's
    ``defaults`` or ``derived`` value, else NULL) instead of failing with "no such column". The
    export and the canned queries both read columns through this.

    A column with a default or a derived value reads NULL as that value too: the rows an older
    version's migration left NULL, in a database opened read-only (never migrated again).

    Args:
        table: a table of :data:`TABLES`.
        name: one of its columns.
        have: the columns the database's table has (None: unknown, taken as all present).
        alias: the name the query gives the table ("q" in ``from quotes q``), prefixed to each
            column read; None reads the bare column.
    Returns:
        An SQL expression (without ``as``).

    >>> column_sql("quotes", "act", {"id", "act"}), column_sql("quotes", "act", {"id", "text"})
    ("coalesce([act], 'speech')", "'speech'")
    >>> column_sql("quotes", "text", {"id", "text"}), column_sql("quotes", "act", None, alias="q")
    ('[text]', "coalesce(q.[act], 'speech')")
    >>> column_sql("quotes", "form", {"id", "kind"})
    "case when [kind] = 'indirect' then null else 'quoted' end"
    """
    spec = TABLES[table]
    defaults, derived = spec.get("defaults", {}), spec.get("derived", {})

    def ref(col: str) -> str:
        return f"{alias}.[{col}]" if alias else f"[{col}]"

    if name in defaults:
        value = sql_literal(defaults[name])
    elif name in derived:
        value = derived[name].format_map({c: ref(c) for c in spec["columns"]})
    else:
        value = None
    if have is None or name in have:
        return f"coalesce({ref(name)}, {value})" if value is not None else ref(name)
    return value if value is not None else "NULL"

