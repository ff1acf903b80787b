"""The read side of the store: every read-only SQL query the report and ``serve`` need.

The report renders what these functions return (plain dicts, JSON columns decoded); it never
writes SQL itself. :func:`datasette_metadata` describes the same tables for Datasette, with
facets and canned queries.

>>> from newstrace.store.queries import canned_queries
>>> sorted(canned_queries())[:2]
['articles_citing_outlet', 'duplicate_clusters']
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import NewstraceError
from .schema import TABLES, column_sql, decode_row

# Columns of the articles table the report shows (raw_text and segments stay in the database).
_ARTICLE_COLUMNS = ("id, source, outlet, title, published, authors, url, format, dateline, words, text, "
                   "event_date, event_participants, event_places")


def connect(db_path: str | Path) -> sqlite3.Connection:
    """Open a newstrace database read-only.

    Args:
        db_path: the SQLite file written by ``newstrace analyze``.
    Returns:
        A connection whose rows are :class:`sqlite3.Row`.
    Raises:
        NewstraceError: the file does not exist or is not a newstrace database.
    """
    path = Path(db_path)
    if not path.is_file():
        raise NewstraceError(f"{db_path}: no such database. Create it with: newstrace analyze PATH... --db {db_path}")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise NewstraceError(f"{db_path}: not an SQLite database ({exc}). Pass the file written by newstrace analyze.") from exc
    missing = {"articles", "quotes", "stories"} - names
    if missing:
        conn.close()
        raise NewstraceError(f"{db_path}: not a newstrace database (no table {', '.join(sorted(missing))}). "
                             "Pass the file written by newstrace analyze.")
    return conn


def _all(conn: sqlite3.Connection, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    return [decode_row(r) for r in conn.execute(sql, list(params))]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("select 1 from sqlite_master where type = 'table' and name = ?", [name]).fetchone() is not None


# -- index -----------------------------------------------------------------------------------
def stories(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """All stories, largest first; stories with no row get a synthetic one (articles not linked).

    Args:
        conn: from :func:`connect`.
    Returns:
        Dicts with id, label, article_ids, articles, start, end.
    """
    rows = _all(conn, "select id, label, article_ids, articles, start, [end] from stories "
                      "order by articles desc, start, id")
    for r in rows:
        if not isinstance(r.get("article_ids"), list):
            r["article_ids"] = []
    sub, params = _in([aid for r in rows for aid in r["article_ids"]])
    loose = [(r[0], r[1]) for r in conn.execute(
        f"select id, published from articles where id not in {sub} order by published is null, published, id", params)]
    if loose:
        dates = [d for _, d in loose if d]
        rows.append(dict(id="unlinked", label="Articles not in any story", article_ids=[a for a, _ in loose],
                         articles=len(loose), start=min(dates) if dates else None,
                         end=max(dates) if dates else None))
    return rows


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of the tables the front page summarises."""
    out = {}
    for name in ("articles", "quotes", "attributions", "entities", "stories", "quote_groups", "links",
                 "figure_conflicts"):
        out[name] = conn.execute(f"select count(*) from [{name}]").fetchone()[0] if _has_table(conn, name) else 0
    return out


# -- per story -------------------------------------------------------------------------------
def _in(ids: list[Any]) -> tuple[str, list[str]]:
    # json_each keeps any number of ids in one parameter (no SQLite variable limit).
    return "(select value from json_each(?))", [json.dumps(list(ids))]


def articles(conn: sqlite3.Connection, ids: list[str]) -> list[dict[str, Any]]:
    """Articles by id, in publication order (undated last).

    Args:
        conn: from :func:`connect`.
        ids: article ids.
    Returns:
        Article dicts (no raw text).
    """
    sub, params = _in(ids)
    return _all(conn, f"select {_ARTICLE_COLUMNS} from articles where id in {sub} "
                      "order by published is null, published, id", params)


def article_meta(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title, outlet and date of articles (for labels), keyed by id."""
    sub, params = _in(ids)
    return {r["id"]: r for r in _all(conn, f"select id, title, outlet, published, url, source from articles "
                                           f"where id in {sub}", params)}


def quotes_in(conn: sqlite3.Connection, article_ids: list[str]) -> list[dict[str, Any]]:
    """Quotes carried by these articles, in article and text order."""
    sub, params = _in(article_ids)
    return _all(conn, f"select * from quotes where article_id in {sub} order by article_id, start, idx", params)


def attributions_in(conn: sqlite3.Connection, article_ids: list[str]) -> list[dict[str, Any]]:
    """Attributions made by these articles, in article and text order."""
    sub, params = _in(article_ids)
    return _all(conn, f"select * from attributions where article_id in {sub} order by article_id, start, idx", params)


def claims_in(conn: sqlite3.Connection, article_ids: list[str]) -> list[dict[str, Any]]:
    """Claims (figures, dated events) of these articles, in article and text order."""
    sub, params = _in(article_ids)
    return _all(conn, f"select * from claims where article_id in {sub} order by article_id, start, idx", params)


def posts_in(conn: sqlite3.Connection, article_ids: list[str]) -> list[dict[str, Any]]:
    """Embedded posts of these articles."""
    sub, params = _in(article_ids)
    return _all(conn, f"select * from posts where article_id in {sub} order by article_id, idx", params)


def links_among(conn: sqlite3.Connection, article_ids: list[str]) -> list[dict[str, Any]]:
    """Links whose both ends are among these articles, strongest first."""
    sub, params = _in(article_ids)
    return _all(conn, f"select a, b, kind, score, evidence from links where a in {sub} and b in {sub} "
                      "order by score desc, a, b", params * 2)


def citations_in(conn: sqlite3.Connection, article_ids: list[str]) -> list[dict[str, Any]]:
    """What these articles cite (outlets, documents, people)."""
    sub, params = _in(article_ids)
    return _all(conn, f"select article_id, cited, kind, count from citations where article_id in {sub} "
                      "order by article_id, count desc, cited", params)


def quote_group_index(conn: sqlite3.Connection) -> dict[str, str]:
    """Quote id -> id of the quote group holding it (one pass over the quote_groups table)."""
    index: dict[str, str] = {}
    by_rowid: dict[int, str] = {}
    for gid, ids in conn.execute("select id, quote_ids from quote_groups"):
        try:
            members = json.loads(ids or "[]")
        except ValueError:
            continue
        for qid in members if isinstance(members, list) else []:
            if isinstance(qid, int):
                by_rowid.setdefault(qid, gid)
            else:
                index.setdefault(str(qid), gid)
    if by_rowid:
        index.update({qid: by_rowid[rowid] for rowid, qid in _rowids_to_ids(conn, list(by_rowid)).items()})
    return index


def _rowids_to_ids(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, str]:
    # QuoteGroup.quote_ids is typed list[int]: integer members are quotes rowids.
    sub, params = _in(rowids)
    return {r[0]: r[1] for r in conn.execute(f"select rowid, id from quotes where rowid in {sub}", params)}


def quote_groups_for(conn: sqlite3.Connection, quote_ids: list[str],
                     index: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Quote groups containing any of these quotes, biggest first.

    Args:
        conn: from :func:`connect`.
        quote_ids: quote ids.
        index: from :func:`quote_group_index` (built here when not given; pass it when calling often).
    Returns:
        quote_groups rows, ``quote_ids`` as a list of strings.
    """
    index = quote_group_index(conn) if index is None else index
    gids = sorted({index[q] for q in quote_ids if q in index})
    if not gids:
        return []
    sub, params = _in(gids)
    out = _all(conn, f"select * from quote_groups where id in {sub} order by size desc, id", params)
    for g in out:
        members = g.get("quote_ids") if isinstance(g.get("quote_ids"), list) else []
        ints = _rowids_to_ids(conn, [q for q in members if isinstance(q, int)])
        g["quote_ids"] = [ints.get(q, str(q)) if isinstance(q, int) else str(q) for q in members]
    return out


def provenance_for(conn: sqlite3.Connection, article_ids: list[str]) -> list[dict[str, Any]]:
    """Provenance rows whose first article is one of these articles."""
    sub, params = _in(article_ids)
    return _all(conn, f"select * from provenance where first_article in {sub} order by first_published, item_type, item_id",
                params)


def figure_conflicts_for(conn: sqlite3.Connection, story_id: str) -> list[dict[str, Any]]:
    """Figures that disagree across a story's articles."""
    return _all(conn, "select * from figure_conflicts where story_id = ? order by id", [story_id])


def entities_in(conn: sqlite3.Connection, article_ids: list[str]) -> list[dict[str, Any]]:
    """Global entities appearing in any of these articles, most widely reported first."""
    sub, params = _in(article_ids)
    return _all(conn, "select distinct e.* from entities e, json_each(e.article_ids) j "
                      f"where j.value in {sub} order by e.articles desc, e.name", params)


def local_entities_in(conn: sqlite3.Connection, article_ids: list[str]) -> list[dict[str, Any]]:
    """Article-local entities of these articles (names and roles before cross-article merging)."""
    sub, params = _in(article_ids)
    return _all(conn, f"select * from local_entities where article_id in {sub} order by article_id, local_id", params)


# -- people ---------------------------------------------------------------------------------
def iter_entities(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every global entity, most widely reported first."""
    for r in conn.execute("select * from entities order by articles desc, name, id"):
        yield decode_row(r)


def quotes_of_entity(conn: sqlite3.Connection, entity: dict[str, Any]) -> list[dict[str, Any]]:
    """Everything an entity is reported to have said: by resolved entity id, else by speaker name.

    Args:
        conn: from :func:`connect`.
        entity: an entities row.
    Returns:
        Quote dicts joined with their article's outlet, title and date, oldest first.
    """
    names = [entity["name"]] + [a for a in (entity.get("aliases") or []) if isinstance(a, str)]
    return _all(conn, "select q.*, a.outlet as article_outlet, a.title as article_title, a.published as article_published, "
                      "a.source as article_source from quotes q join articles a on a.id = q.article_id "
                      "where q.speaker_entity_id = ? or (q.speaker_entity_id is null and q.speaker in "
                      "(select value from json_each(?))) order by a.published is null, a.published, q.article_id, q.start",
                [entity["id"], json.dumps(names)])


def attributions_to_entity(conn: sqlite3.Connection, entity: dict[str, Any]) -> list[dict[str, Any]]:
    """Statements articles source to an entity (by resolved id, else by name)."""
    return _all(conn, "select t.*, a.outlet as article_outlet, a.title as article_title, a.published as article_published "
                      "from attributions t join articles a on a.id = t.article_id "
                      "where t.source_entity_id = ? or (t.source_entity_id is null and t.source = ?) "
                      "order by a.published is null, a.published, t.article_id, t.start",
                [entity["id"], entity["name"]])


def quotes_by_id(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Quotes by id, joined with their article's outlet, title and date."""
    sub, params = _in(ids)
    return {r["id"]: r for r in _all(
        conn, "select q.*, a.outlet as article_outlet, a.title as article_title, a.published as article_published, "
              f"a.source as article_source from quotes q join articles a on a.id = q.article_id where q.id in {sub}", params)}


# -- Datasette ----------------------------------------------------------------------------------
COLUMN_HELP: dict[str, dict[str, str]] = {
    "articles": dict(id="Hash of the normalised clean text: the same text read twice is one article.",
                     source="Where it was first read from (file path, path#record or URL).",
                     outlet="Publishing outlet, when the input names it.", title="Headline.",
                     published="Publication date (ISO 8601).", authors="Bylines (JSON list).",
                     url="Canonical URL, when known.", format="Input format: txt, md, html, json, jsonl, warc.",
                     dateline="Dateline removed from the text (\"WASHINGTON, DC\").",
                     words="Words in the clean text.", text="Clean text; paragraphs split by a blank line. All offsets point here.",
                     raw_text="Text as read, before cleaning.", segments="Clean-to-raw offset map (JSON [start, raw_start, length]).",
                     removed="Raw spans dropped by cleaning and why (JSON).", run_id="Run that added it.",
                     added="When it was added (UTC).",
                     language="Language identified from the text (ISO 639-1); only English is annotated.",
                     event_date="Date of the main event reported (ISO), resolved against the publication date.",
                     event_date_source="The words the event date came from (\"on Tuesday\").",
                     event_participants="The main event's participants (JSON list).",
                     event_places="The main event's places (JSON list).",
                     event_figures="The main event's own figures (JSON list)."),
    "quotes": dict(id="article id + q + index.", article_id="Article carrying the quote.", idx="Order within the article.",
                   kind="direct, partial, indirect, block or post.", text="What was said (no quote marks).",
                   speaker="Canonical speaker name or description (\"two sources familiar with the matter\").",
                   speaker_kind="person, organisation, anonymous, outlet or unknown.",
                   speaker_mention="Words the article used for the speaker here (\"he\", \"the commissioner\").",
                   cue="Reporting verb phrase (\"said\", \"told CNN\").", via="Outlet or document the quote came through.",
                   start="Start of the quoted content in articles.text.", end="End of the quoted content in articles.text.",
                   raw_start="Start in articles.raw_text.", raw_end="End in articles.raw_text.",
                   speaker_start="Start of the speaker mention in articles.text.", speaker_end="End of the speaker mention.",
                   sentence="The sentence(s) carrying the quote.",
                   parent_id="Enclosing quote, if any: the block quote, or the indirect quote a partial quote sits in.",
                   parts="For a quote broken by its cue ('\"A,\" he said, \"B.\"', 'The plan, she says, is dead'): the clean-text spans of its pieces (JSON [[start, end], ...]); text is the pieces joined.",
                   act="What the speaker did: speech, thought, intention, evidence or decision.",
                   negated="1 when the act is negated or refused ('did not say whether', 'declined to say').",
                   form="The content's form: clause ('said the plan was dead', 'urged him to resign', 'asked "
                        "whether ...'), noun_phrase ('condemned the move', 'accused him of fraud', 'his claim that "
                        "...': what was said about, not the words) or quoted (words in quote marks, posts); empty "
                        "for an indirect quote stored before the column existed.",
                   post_id="Embedded post the quote comes from, if any.", local_entity="Speaker's article-local entity id.",
                   speaker_entity_id="Speaker's global entity (entities.id)."),
    "attributions": dict(id="article id + a + index.", article_id="Article making the attribution.", idx="Order within the article.",
                         source="Who or what the statement is sourced to.",
                         source_kind="outlet, person, organisation, document, anonymous or unknown.",
                         named="1 when the source is named, 0 for anonymous sourcing.",
                         cue="\"according to\", \"reported\", \"first reported\", \"obtained by\" ...",
                         sentence="The attributed statement.", start="Start of the statement in articles.text.",
                         end="End of the statement.", source_start="Start of the source mention.",
                         source_end="End of the source mention.", local_entity="Source's article-local entity id.",
                         source_entity_id="Source's global entity (entities.id).",
                         act="What the source did: speech, thought, intention, evidence or decision."),
    "entities": dict(id="Global entity id.", name="Canonical name.", type="person, organisation, outlet, place or group.",
                     aliases="Other names used (JSON list).", roles="Titles and affiliations stated, per article (JSON).",
                     article_ids="Articles mentioning it (JSON list).", articles="Number of articles mentioning it."),
    "local_entities": dict(id="article id + e + local id.", article_id="The article.", local_id="Index within the article.",
                           name="Name within the article.", type="person, organisation, outlet, place or group.",
                           aliases="Names used in the article (JSON).", roles="Roles stated in the article (JSON).",
                           gender="m, f or empty, from pronouns and honorifics.", entity_id="Global entity (entities.id)."),
    "claims": dict(id="article id + c + index.", article_id="The article.", idx="Order within the article.",
                   kind="quantity, percent, money, ratio or date.", text="The figure as written.",
                   value="Normalised value.", unit="Unit (encounters, percent, USD, ratio, date).",
                   what="What it counts, or the event.", asserted_by="Who asserts it (speaker, source or the outlet).",
                   date="Resolved ISO date for dated events.", start="Start in articles.text.", end="End in articles.text.",
                   sentence="The sentence carrying it.",
                   qualifier="What its words say of the true value: approx, over, under, at_least, "
                             "at_most, up_to, or empty when given as exact.",
                   low="A range's lower bound (\"35 to 40\" -> 35), else empty.",
                   high="A range's upper bound (\"35 to 40\" -> 40), else empty.",
                   role="earlier (a value compared with: \"down from $19.5bn\"), change (\"up 5%\"), "
                        "or empty for the quantity's own value.",
                   period="The time the figure is for (ISO when resolved: 2018, 2022-W04; else the words).",
                   event="Lemma of the figure's clause verb (kill, strike, drop).",
                   agent="Who did it: the clause's subject as written (no pronouns)."),
    "stories": dict(id="Story id.", label="Short label.", article_ids="Articles in the story (JSON list).",
                    articles="Number of articles.", start="Earliest article date.", end="Latest article date."),
    "links": dict(a="Earlier / source article.", b="Later article.", kind="duplicate, rewrite, derived or same-story.",
                  score="Similarity score (0-1).", evidence="Aligned sentence pairs and other evidence (JSON)."),
    "quote_groups": dict(id="Quote group id.", quote_ids="Quotes in the group (JSON list of quotes.id).",
                         variant="Reference wording (earliest or most complete).",
                         differences="Per variant: word diff and drift flags (JSON).", speaker="Speaker.",
                         first_article="Earliest article carrying it.", drift="1 when the wording drifted in meaning (figures, negation...).",
                         size="Number of quotes in the group."),
    "provenance": dict(item_type="quote_group or claim.", item_id="Its id.", first_article="Earliest article carrying it.",
                       first_outlet="That article's outlet.", first_published="That article's date.",
                       outlets="Outlets that carried it, in order (JSON).", via="How it travelled: cited intermediaries (JSON)."),
    "citations": dict(article_id="Citing article.", cited="Cited outlet, document or person.", kind="What is cited.",
                      count="Times cited in the article."),
    "outlet_citations": dict(from_outlet="Citing outlet.", to_outlet="Cited outlet.", count="Citations."),
    "figure_conflicts": dict(id="Conflict id.", story_id="Story.", what="What the figures count.",
                             figures="The disagreeing figures, each with its article and asserter (JSON)."),
    "link_minhash": dict(article_id="The article.",
                         scheme="Shingle words, permutations, threshold and scheme version the keys were made "
                                "with: keys of another scheme are recomputed.",
                         bands="Its LSH band keys (uint64, packed)."),
    "link_terms": dict(term="A stemmed word.", df="Articles holding it when the snapshot was taken."),
    "link_snapshot": dict(id="Snapshot id (a hash of its document frequencies).",
                          n_docs="Articles the document frequencies were counted over.",
                          terms="Distinct words in it.", created="When it was taken (UTC)."),
    "link_features": dict(article_id="The article.", scheme="Snapshot and version it was made under: others are recomputed.",
                          packed="Its top words with their weights, its fingerprint words and its name vector, each word as "
                                 "its index in the term snapshot (one outside it as its string; zlib-compressed)."),
    "link_quote_pairs": dict(a="One quote (the lower id).", b="The other quote.",
                             scheme="Version it was computed by: others are recomputed.", sim="Their similarity (0-1)."),
    "link_quote_words": dict(quote_id="The quote.", scheme="Version they were read by: others are read again.",
                             words="Its number of words, content words and (fewer than four words) its words."),
    "link_schemes": dict(name="A link table (quote_groups, provenance, stories).",
                         scheme="The scheme its rows were made under."),
    "link_neighbours": dict(article_id="The article.",
                            scheme="Snapshot, settings and code they were found under: others are searched again.",
                            inputs="A hash of its entity prominences and event: when it changes, searched again.",
                            published="Its publication date when they were found.",
                            near="Its nearest articles, strongest first: JSON [similarity, article id] pairs."),
    "link_entity_weights": dict(article_id="The article.", scheme="Code they were computed by: others are computed again.",
                                inputs="A hash of its title and local entities: when it changes, computed again.",
                                weights="Prominence in the text of each of its named local entities (float64, packed, local id order)."),
    "link_entity_terms": dict(id="The global entity.", scheme="Code it was made by.",
                              terms="Its merge terms, \\x1f-separated: k+key, s+surname, a+alias key, w+one-word name.",
                              members="How many local entities it had."),
    "link_entity_index": dict(term="One merge term (k+key, s+surname, a+alias key, w+one-word name).",
                                  id="A global entity holding it.", scheme="Code it was made by."),
    "link_entity_sigs": dict(id="The global entity.", scheme="Code it was made by.",
                             sig="A hash of its id, name, type and member local entities: the same hash, the same row."),
    "link_pairs": dict(a="One article (the lower id).", b="The other article.",
                       scheme="Snapshot, settings and version the verdict was made under: others are recomputed.",
                       kind="duplicate, rewrite or derived; empty when the pair is not a copy.",
                       score="The pair's score.", evidence="Its evidence (JSON, zlib-compressed).",
                       quotes="A hash of the quotes the two articles share (another value: recomputed)."),
    "posts": dict(id="article id + p + index.", article_id="The article.", idx="Order in the article.",
                  platform="twitter etc.", author="Display name.", handle="@handle.", date="Post date.",
                  text="Post text.", links="Links in the post (JSON).", raw_start="Start of the embed in raw text.",
                  raw_end="End of the embed."),
    "sources": dict(source="Path, path#record or URL read.", article_id="The article it held.", file="Input file.",
                    run_id="Run.", revision="1 for the first text read from this source; 2, 3... for "
                    "later, different texts from the same source (a revised article re-scraped)."),
    "files": dict(path="Input file.", size="Bytes.", mtime="Modification time.", format="Detected format.",
                  run_id="Last run that read it.", articles="Articles read.", status="done or error."),
    "runs": dict(id="Run id.", started="Start (UTC).", finished="End (UTC).", status="running, done, interrupted...",
                 version="newstrace version.", settings="Settings used (JSON).", files="Files read.",
                 articles_added="New articles.", articles_seen="Articles already stored.", errors="Bad inputs.",
                 inputs="Paths given (JSON).",
                 stage_seconds="Seconds each stage took (JSON: read, annotate, store, link ...).",
                 link_status="done, or pending when the run ended before linking finished (the next run links)."),
    "errors": dict(id="Error id.", run_id="Run.", file="Input file.", record="Record inside the file.",
                   stage="Stage that failed.", reason="What is wrong.", hint="What to do.", created="When (UTC).",
                   count="How many records of the file failed this way (repeats are counted, not stored one by one).",
                   last_record="Last record that failed this way, when count > 1 (record is the first)."),
    "mentions": dict(id="article id + m + index.", article_id="The article.", text="Words as written.",
                     label="PERSON, ORG, GPE, NORP, OUTLET, TITLE, PRONOUN or DESCRIPTION (a definite description resolved like a pronoun: \"the New York businessman\").", start="Start in articles.text.",
                     end="End in articles.text.", local_entity="Article-local entity id."),
}

FACETS: dict[str, list[str]] = {
    "quotes": ["kind", "act", "form", "speaker", "speaker_kind"],
    "attributions": ["source_kind", "named", "source"],
    "links": ["kind"],
    "entities": ["type"],
    "claims": ["kind", "unit"],
    "articles": ["outlet"],
    "mentions": ["label"],
    "citations": ["kind"],
}


_LABEL_COLUMNS = {"entities": "name", "stories": "label", "articles": "title"}


def canned_queries(quote_columns: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """The canned queries offered in Datasette (name -> Datasette query spec).

    Args:
        quote_columns: the columns of the database's quotes table (:func:`table_columns`), when
            known: the queries read ``act``, ``negated`` and ``form`` through
            :func:`schema.column_sql`, as the export does (a column an older database lacks, or a
            NULL an older migration left, reads as the value its rows would gain).
    Returns:
        who_said_what (param story), quotes_of_person (param name), articles_citing_outlet
        (param outlet), quote_groups_with_drift, duplicate_clusters. Each description names its
        parameters as the URL takes them (``?name=...``): Datasette answers a misspelt one with
        no rows and no warning (issue #17).
    """
    act, negated, form = (column_sql("quotes", c, quote_columns, alias="q") for c in ("act", "negated", "form"))
    said = f"{act} as act, {negated} as negated, {form} as form"
    return {
        "who_said_what": dict(
            title="Who said what in a story",
            description="Every quote in the story's articles with its speaker, kind, act (speech, thought, "
                        "intention, evidence, decision), whether it is negated ('did not say'), its form (clause, "
                        "noun_phrase, quoted), and article. "
                        "Parameter story: a story id (stories.id), as in ?story=ID.",
            sql=f"select q.speaker, q.speaker_kind, q.kind, {said}, q.text, q.cue, a.outlet, a.published, a.title, q.article_id, q.id "
                "from stories s, json_each(s.article_ids) j join quotes q on q.article_id = j.value "
                "join articles a on a.id = q.article_id where s.id = :story "
                "order by q.speaker is null, q.speaker, a.published, q.article_id, q.start"),
        "quotes_of_person": dict(
            title="All quotes of a person",
            description="Everything a person is reported to have said, thought, intended or decided, by "
                        "entity name or alias, with the act, whether it is negated ('did not say') and the form. "
                        "Parameter name: a name or alias, as in ?name=Alejandro+Mayorkas.",
            sql=f"select q.text, q.kind, {said}, q.cue, q.speaker, a.outlet, a.published, a.title, q.article_id, q.id "
                "from quotes q join articles a on a.id = q.article_id "
                "left join entities e on e.id = q.speaker_entity_id "
                "where q.speaker = :name or e.name = :name "
                "or exists (select 1 from json_each(e.aliases) al where al.value = :name) "
                "order by a.published, q.article_id, q.start"),
        "articles_citing_outlet": dict(
            title="Articles citing an outlet",
            description="Articles that source statements to an outlet, with how often. "
                        "Parameter outlet: an outlet's name, as in ?outlet=The+Washington+Times.",
            sql="select c.article_id, a.outlet, a.title, a.published, c.kind, c.count "
                "from citations c join articles a on a.id = c.article_id where c.cited = :outlet "
                "union select t.article_id, a.outlet, a.title, a.published, t.source_kind, count(*) "
                "from attributions t join articles a on a.id = t.article_id where t.source = :outlet "
                "and not exists (select 1 from citations c2 where c2.article_id = t.article_id and c2.cited = :outlet) "
                "group by t.article_id order by 4, 1"),
        "quote_groups_with_drift": dict(
            title="Quote groups with drift",
            description="Utterances whose wording changed in meaning as they were re-reported (figures, negation ...). "
                        "No parameters.",
            sql="select g.id, g.speaker, g.variant, g.size, g.first_article, a.outlet as first_outlet, g.differences "
                "from quote_groups g left join articles a on a.id = g.first_article where g.drift = 1 "
                "order by g.size desc, g.id"),
        "duplicate_clusters": dict(
            title="Duplicate clusters",
            description="Articles that are copies or rewrites of another, grouped by the earlier article. "
                        "No parameters.",
            sql="select l.a as original, oa.outlet as original_outlet, oa.title as original_title, "
                "count(*) as copies, group_concat(l.b || ' (' || l.kind || ', ' || round(l.score, 2) || ')', '; ') as copied_by "
                "from links l join articles oa on oa.id = l.a where l.kind in ('duplicate', 'rewrite') "
                "group by l.a order by copies desc, l.a"),
    }


def table_columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Each table of an open database and the columns it has (a database written by an older
    version lacks the columns added since: Datasette serves the file as it is)."""
    names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
    return {n: {r[1] for r in conn.execute(f"pragma table_info([{n}])")} for n in names if n in TABLES}


def datasette_metadata(db_name: str = "newstrace", columns: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """Datasette metadata for a newstrace database: table and column help, facets, canned queries.

    Args:
        db_name: the database name Datasette shows (the file name without ``.db``).
        columns: the database's tables and their columns (:func:`table_columns`), when known: a
            column an older database lacks is given no facet, and the canned queries read it as
            the value its rows would gain.
    Returns:
        A dict to write as ``metadata.json``.
    """
    have = columns.get("quotes") if columns is not None else None
    queries = canned_queries(have)
    tables: dict[str, Any] = {}
    for name, spec in TABLES.items():
        cols = COLUMN_HELP.get(name, {})
        entry: dict[str, Any] = dict(description=spec["help"],
                                     columns={c: cols.get(c, c.replace("_", " ")) for c in spec["columns"]})
        if name in _LABEL_COLUMNS:
            entry["label_column"] = _LABEL_COLUMNS[name]
        if name in FACETS:
            entry["facets"] = [f for f in FACETS[name] if columns is None or f in columns.get(name, {f})]
        if name in {"articles"}:
            entry["sort_desc"] = "published"
        tables[name] = entry
    return dict(
        title="newstrace",
        description="Who said what, according to whom, first reported where, copied by whom. "
                    "Canned queries are listed under the database.",
        databases={db_name: dict(tables=tables, queries=queries)},
    )
