"""The database file, through sqlite-utils: :class:`Store` (the only writer; the link stage and
``stats`` read through it too), :func:`open_store`, :func:`article_rows` (one article's rows,
also written to Parquet shards) and the export (:data:`EXPORT_COLUMNS`, :func:`iter_export`).

One file a user can open with ``sqlite3`` or Datasette. WAL mode; every article with all its
annotations is written in one transaction, so an interrupted run never leaves half an article.
A writer holds an exclusive ``flock`` on the database file itself, so two ``analyze`` runs never
write at once, whatever names (symlinks, hard links) they reach the file by (issue #18). Every
string written passes through :func:`newstrace.sanitize.storable`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import functools
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any, NamedTuple

import sqlite_utils

from ..errors import DatabaseBusy, NewstraceError
from ..models import ACTS, FORMS, Annotations, Article, InputError, QuoteGroup
from ..rows import Rows, without_cycle_collection
from ..sanitize import storable, storable_value
from .schema import ARTICLE_TABLES, JSON_COLUMNS, LINK_TABLES, SCHEMA_VERSION, TABLES, column_sql, decode_row


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "__dataclass_fields__"):
        return asdict(obj)
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError(f"cannot store {type(obj).__name__} as JSON")


def _lock_database(path: str) -> int:
    """Open the database file (creating it) and take the writer lock on it; returns the fd."""
    # On the database file itself (its inode), not on a lock file next to one of its names:
    # two runs through two hard links, or a symlink, take the same lock; no lock file can be
    # a planted symlink; and /dev/null or a folder is refused before SQLite makes files there.
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise NewstraceError(f"{path}: cannot use this database path ({exc.strerror or exc}). "
                             "Check the path, or use another --db.") from exc
    if st is not None and not stat.S_ISREG(st.st_mode):
        what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device, pipe or socket)"
        raise NewstraceError(f"{path}: the database path is {what}. Give a file path, "
                             "e.g. --db story.db.")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise NewstraceError(f"{path}: cannot open the database for writing "
                             f"({exc.strerror or exc}). Check its permissions and its folder's "
                             "(read-only disk?), or use another --db.") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        os.close(fd)
        raise DatabaseBusy(
            f"{path}: another newstrace process is writing to this database. "
            "Wait for it to finish, or use another --db."
        ) from exc
    return fd


def _migrate_sources(db: sqlite_utils.Database) -> None:
    # A database from before issue #18 keys sources by source alone (the second text of a URL
    # took the first's row): re-key it, keeping every row.
    src = db["sources"]
    if src.exists() and src.pks == ["source"]:
        if "revision" not in src.columns_dict:
            src.add_column("revision", int)
        src.transform(pk=("source", "article_id"))


def _revision(db: sqlite_utils.Database, source: str, article_id: str) -> int:
    """1 + the number of other articles read from this source before (a re-scraped URL)."""
    row = db.execute("select count(*) from sources where source = ? and article_id != ?",
                     [source, article_id]).fetchone()
    return 1 + int(row[0])


# The indexes every database has: what the writer's checks and the report's queries look up.
INDEXES = (("quotes", ["article_id"]), ("quotes", ["speaker"]), ("attributions", ["article_id"]),
           ("attributions", ["source"]), ("mentions", ["article_id"]), ("local_entities", ["article_id"]),
           ("local_entities", ["entity_id"]), ("claims", ["article_id"]), ("posts", ["article_id"]),
           ("sources", ["article_id"]), ("errors", ["run_id"]), ("errors", ["file", "record"]),
           ("links", ["b"]), ("citations", ["cited"]), ("link_entity_index", ["id"]))


class Store:
    """A newstrace database. Use :func:`open_store`."""

    def __init__(self, path: str | os.PathLike[str], *, writer: bool = True):
        self.path = str(path)
        self._lock_fd: int | None = None
        if writer:
            self._lock_fd = _lock_database(self.path)
        try:
            with storage_errors(self.path):
                self.db = sqlite_utils.Database(self.path)
                self.db.conn.execute("PRAGMA busy_timeout = 30000")
                if writer:
                    self.db.enable_wal()
                    self.db.conn.execute("PRAGMA synchronous = NORMAL")
                    self._create_schema()
                else:  # a corrupt or foreign file fails here, with a message, not in the first query
                    self.db.execute("select count(*) from sqlite_master").fetchone()
        except BaseException:
            self._release_lock()
            raise

    # -- lifecycle -----------------------------------------------------------------------
    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            fd, self._lock_fd = self._lock_fd, None
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def close(self) -> None:
        """Close the database and release the writer lock."""
        try:
            self.db.close()
        finally:
            self._release_lock()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _create_schema(self) -> None:
        _migrate_sources(self.db)
        # One transaction (atomic() issues BEGIN; ``with conn`` would not, and every CREATE
        # committed on its own): a reader opening the file meanwhile sees all tables or none.
        before = self.db.execute("PRAGMA user_version").fetchone()[0]
        with self.db.atomic():
            for name, spec in TABLES.items():
                _ensure_table(self.db[name], spec)
                if before < 3:  # an older migration added the columns without their value
                    for col, value in spec.get("defaults", {}).items():
                        self.db.execute(f"update [{name}] set [{col}] = ? where [{col}] is null", [value])
                if before < 4:  # a column whose older rows' value follows from their other columns
                    for col in spec.get("derived", {}):  # (quotes.form: 'quoted' but for indirect quotes)
                        self.db.execute(f"update [{name}] set [{col}] = {column_sql(name, col, ())} "
                                        f"where [{col}] is null")
            for table, cols in INDEXES:
                self.db[table].create_index(cols, if_not_exists=True)
            # never lowered: a newer version's database keeps its number (and its one-off updates)
            self.db.conn.execute(f"PRAGMA user_version = {max(before, SCHEMA_VERSION)}")
            if not self.db["articles"].detect_fts():
                self.db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="porter")

    # -- runs ------------------------------------------------------------------------------
    def start_run(self, *, settings: dict[str, Any], inputs: list[str], version: str) -> int:
        """Record the start of a run and return its id (runs left "running" were killed)."""
        with self.db.conn:
            # We hold the writer lock, so no other run is really running.
            self.db.execute("update runs set status = 'interrupted' where status = 'running'")
            tbl = self.db["runs"].insert(dict(started=_now(), status="running", version=version,
                                              settings=_j(settings), inputs=_j(inputs), files=0,
                                              articles_added=0, articles_seen=0, errors=0))
        return int(tbl.last_pk)

    def finish_run(self, run_id: int, *, status: str, files: int, articles_added: int,
                   articles_seen: int, errors: int, stage_seconds: dict[str, float] | None = None) -> None:
        """Record the end of a run (``stage_seconds``: seconds each stage took, stored as JSON)."""
        row = dict(finished=_now(), status=status, files=files, articles_added=articles_added,
                   articles_seen=articles_seen, errors=errors)
        if stage_seconds is not None:
            row["stage_seconds"] = _j({k: round(v, 3) for k, v in stage_seconds.items()})
        with self.db.conn:
            self.db["runs"].update(run_id, row)

    # -- files and errors --------------------------------------------------------------------
    def file_done(self, path: str, size: int, mtime: float) -> bool:
        """True when this file, unchanged (same size and mtime), was fully processed before."""
        row = self.db.execute("select size, mtime, status from files where path = ?", [storable(path)]).fetchone()
        return bool(row and row[0] == size and abs((row[1] or 0) - mtime) < 1e-6 and row[2] == "done")

    def mark_file(self, path: str, *, size: int, mtime: float, fmt: str, run_id: int,
                  articles: int, status: str) -> None:
        """Record that a file was processed (status done) or failed (status error)."""
        with self.db.conn:
            self.db["files"].upsert(dict(path=storable(path), size=size, mtime=mtime, format=fmt,
                                         run_id=run_id, articles=articles, status=status), pk="path")

    def record_error(self, run_id: int, err: InputError) -> int | None:
        """Store one bad input in the errors table (once: a re-read after a kill adds no copy).

        Returns:
            the row id, or None when the same error was stored already.
        """
        row = {k: storable_value(v) for k, v in dict(
            run_id=run_id, file=err.file, record=err.record, stage=err.stage, reason=err.reason,
            hint=err.hint, count=err.count, last_record=err.last_record).items()}
        with self.db.conn:
            # index (file, record): the check no longer scans every earlier error of the file
            if self.db.execute("select 1 from errors where file is ? and record is ? and stage is ? "
                               "and reason is ?", [row["file"], row["record"], row["stage"],
                                                   row["reason"]]).fetchone():
                return None
            return int(self.db["errors"].insert(dict(row, created=_now())).last_pk)

    def update_error(self, row_id: int, *, count: int, last_record: str | None) -> None:
        """Set the count and last record of an aggregated error row (see :meth:`record_error`)."""
        with self.db.conn:
            self.db.execute("update errors set count = ?, last_record = ? where id = ?",
                            [count, storable_value(last_record), row_id])

    def clear_errors_for(self, path: str) -> None:
        """Forget earlier errors of a file that now reads cleanly."""
        with self.db.conn:
            self.db.execute("delete from errors where file = ?", [storable(path)])

    def set_link_status(self, run_id: int, status: str) -> None:
        """Record a run's link stage: ``pending`` (articles stored, not linked yet) or ``done``
        (which also settles earlier runs left pending: this link covered their articles too)."""
        with self.db.conn:
            if status == "done":
                self.db.execute("update runs set link_status = 'done' where link_status = 'pending'")
            self.db.execute("update runs set link_status = ? where id = ?", [status, run_id])

    def link_pending(self) -> bool:
        """True when a run stored articles that no link stage has covered yet (issue #18)."""
        return self.db.execute("select 1 from runs where link_status = 'pending' limit 1").fetchone() is not None

    # -- articles -------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        """True when an article with this id is stored."""
        return self.db.execute("select 1 from articles where id = ?", [article_id]).fetchone() is not None

    def add_source(self, article_id: str, source: str, file: str, run_id: int) -> None:
        """Record one more place an already stored article was read from."""
        source = storable(source)
        with self.db.conn:
            self.db["sources"].insert(dict(source=source, article_id=article_id, file=storable(file),
                                           run_id=run_id, revision=_revision(self.db, source, article_id)),
                                      pk=("source", "article_id"), ignore=True)

    def write_article(self, article: Article, ann: Annotations, *, file: str, run_id: int) -> bool:
        """Write an article with all its annotations in one transaction.

        Returns:
            False (and writes nothing but the source) when the article was already stored.
        """
        return self.write_rows(article_rows(article, ann, file=file, run_id=run_id))

    def write_rows(self, rows: dict[str, list[dict[str, Any]]]) -> bool:
        """Write one article's rows (from :func:`article_rows`) in one transaction.

        Returns:
            False (and records only the extra source) when the article was already stored.
        """
        try:
            return self._write_rows(rows)
        except UnicodeEncodeError:  # a lone surrogate somewhere (issue #18): the rare slow path
            return self._write_rows({table: [{k: storable_value(v) for k, v in row.items()} for row in trs]
                                     for table, trs in rows.items()})

    def _write_rows(self, rows: dict[str, list[dict[str, Any]]]) -> bool:
        # atomic(), not ``with conn``: sqlite-utils commits each insert made outside an open
        # transaction, so a SIGKILL between two inserts left an article without its quotes.
        art = rows["articles"][0]
        sources = [dict(r, revision=_revision(self.db, r["source"], r["article_id"])) for r in rows["sources"]]
        with self.db.atomic():
            if self.has_article(art["id"]):
                self.db["sources"].insert_all(sources, pk=("source", "article_id"), ignore=True)
                return False
            self.db["articles"].insert(art)
            self.db["sources"].insert_all(sources, pk=("source", "article_id"), replace=True)
            for table in ARTICLE_TABLES:
                if rows.get(table):
                    self.db[table].insert_all(rows[table], pk="id")
        return True

    # -- link stage ---------------------------------------------------------------------------
    def rows(self, table: str, *, columns: str = "*", where: str | None = None,
             params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        """Rows of a table as dicts, JSON columns decoded."""
        sql = f"select {columns} from [{table}]" + (f" where {where}" if where else "")
        cur = self.db.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        for row in cur:
            yield decode_row(zip(names, row))

    @without_cycle_collection
    def load_link_inputs(self, *, texts: bool = True, claims: bool = True) -> dict[str, Any]:
        """Everything the link stage reads (no text re-parsing needed).

        Args:
            texts: include each article's ``text``. With ``texts=False`` the article rows come
                without it and the result also holds ``text_of`` (:meth:`article_text`), to pass
                to ``link_articles(..., text_of=...)``: texts are then read when needed instead
                of a million of them being held at once (issue #5).
            claims: include every claim row. With ``claims=False`` the result holds ``claims_of``
                (:func:`link_claims`) instead, to pass to ``link_articles(..., claims_of=...)``:
                an incremental link then reads the claims of the articles whose stories changed
                only (issue #16).
        Returns:
            ``articles`` (a list of dicts), ``quotes, claims, local_entities, attributions``
            (:class:`~newstrace.rows.Rows`: column by column, repeated strings shared and JSON
            left as text until read; one dict per row took ~21 KB an article, issue #5),
            ``existing_stories`` (and ``text_of`` when ``texts=False``, ``claims_of`` instead of
            ``claims`` when ``claims=False``). Local entities come in (article id, local id) order.
        """
        # what tells incidents apart (issue #16)
        events = ", event_date, event_participants, event_places, event_figures"
        article_cols = ("id, source, outlet, title, published, text, words" if texts else
                        "id, outlet, title, published") + events  # all that link reads besides the text
        shared: dict[Any, Any] = {}  # one string object per distinct id/kind/outlet across rows
        out: dict[str, Any] = dict(
            articles=list(self._link_rows("articles", article_cols, shared,
                                          shared_columns=self._SHARED_COLUMNS | {"id"})),
            # only the columns link reads
            quotes=self._link_rows("quotes", "id, article_id, text, start, [end], speaker, via, parent_id, negated", shared),
            # entity_id: the global id the last link gave the row (``link_articles(stored_entity_names=...)``)
            local_entities=self._link_rows("local_entities",
                                           "article_id, local_id, name, type, aliases, roles, gender, entity_id",
                                           shared, order="article_id, local_id"),
            attributions=self._link_rows("attributions", "id, article_id, source, source_kind, start, [end], named",
                                         shared),
            existing_stories=list(self.rows("stories")),
        )
        if claims:
            out["claims"] = link_claims(self)
        else:
            out["claims_of"] = functools.partial(link_claims, self)
        if not texts:
            out["text_of"] = self.article_text
        return out

    # repeated values: article ids, kinds, cue verbs, outlets, entity names and their (mostly
    # empty) alias and role lists; SQLite returns a new string object per row, ~60 bytes each
    _SHARED_COLUMNS = frozenset({"article_id", "outlet", "published", "source", "kind", "type", "speaker",
                                 "speaker_kind", "source_kind", "cue", "via", "unit", "asserted_by", "gender",
                                 "qualifier", "name", "aliases", "what"})

    def _link_rows(self, table: str, columns: str, shared: dict[Any, Any], *,
                   shared_columns: frozenset[str] | None = None, order: str | None = None) -> Rows:
        """One table's rows for the link stage, column by column (:class:`~newstrace.rows.Rows`)."""
        cur = self.db.execute(f"select {columns} from [{table}]" + (f" order by {order}" if order else ""))
        names = [d[0] for d in cur.description]
        return Rows.from_tuples(names, cur, shared=shared_columns or self._SHARED_COLUMNS,
                                json_columns=JSON_COLUMNS, strings=shared)

    def article_text(self, article_id: str) -> str | None:
        """The clean text of one article (None if there is no such article).

        The link stage reads texts through this when given ``text_of`` (see :meth:`load_link_inputs`).
        """
        row = self.db.execute("select text from articles where id = ?", [article_id]).fetchone()
        return row[0] if row else None

    @without_cycle_collection
    def write_link_result(self, result: Any) -> None:
        """Make the link tables hold a fresh link result, in one transaction, writing only the rows
        that changed (:func:`_replace_rows`); add the MinHash band keys it computed to
        ``link_minhash`` (replacing all of them after a full pass)."""
        rec = link_record
        # atomic(), not ``with conn``: sqlite-utils commits each execute/insert_all made outside
        # an open transaction, so a kill mid-rewrite left half-replaced link tables.
        entity_map = getattr(result, "entity_map", {}) or {}
        rows = dict(
            entities=(dict(rec(e), articles=len(e.get("article_ids", [])) if isinstance(e, dict) else None)
                      for e in getattr(result, "entities", []) or []),
            stories=(story_row(s) for s in _changed_stories(result)),
            links=(rec(link) for link in result.links),
            quote_groups=(dict(rec(g), size=len(g.quote_ids)) for g in _unkept_groups(result)),
            provenance=(rec(p) for p in result.provenance),
            citations=(rec(c) for c in result.citations),
            outlet_citations=(rec(c) for c in getattr(result, "outlet_citations", []) or []),
            figure_conflicts=(rec(c) for c in getattr(result, "figure_conflicts", []) or []))
        with self.db.atomic():
            not_kept = _entities_not_kept(self.db, result)
            where = _kept_rows(self.db, result, not_kept)
            for name in LINK_TABLES:
                _replace_rows(self.db, name, rows[name], only=where.get(name))
            _write_entity_sigs(self.db, result, not_kept)
            _write_minhash(self.db, result)
            if entity_map:
                _write_entity_ids(self.db, entity_map, result, not_kept)

    # -- export and stats ------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Row count of every table."""
        return {name: self.db[name].count for name in TABLES if self.db[name].exists()}


_CLAIM_COLUMNS = ("id, article_id, text, value, unit, what, asserted_by, kind, date, start, [end], qualifier, "
                  "low, high, role, period, event, agent")


def link_claims(store: Store, article_ids: Iterable[str] | None = None) -> Rows:
    """The claim rows the link stage reads (``Store.load_link_inputs``), in stored order.

    Args:
        store: the open store.
        article_ids: only these articles' claims (the index on ``claims.article_id`` finds them:
            an incremental link reads a few articles' claims, not the table); None: all.
    Returns:
        :class:`~newstrace.rows.Rows`, in the table's row order either way, so the claims of
        given articles come in the order a full read gives them.
    """
    if article_ids is None:
        cur = store.db.execute(f"select {_CLAIM_COLUMNS} from claims order by rowid")
    else:
        cur = store.db.execute(f"select {_CLAIM_COLUMNS} from claims where article_id in "
                               "(select value from json_each(?)) order by rowid", [json.dumps(sorted(article_ids))])
    return Rows.from_tuples([d[0] for d in cur.description], cur, shared=Store._SHARED_COLUMNS,
                            json_columns=JSON_COLUMNS, strings={})


def _replace_rows(db: sqlite_utils.Database, table: str, rows: Iterable[dict[str, Any]], *,
                  only: str | None = None) -> None:
    """Make ``table`` hold exactly ``rows`` (a later row replaces an earlier one with its key),
    writing only the difference: rows whose key is gone are deleted, new or changed rows
    replaced; unchanged rows are not written. An incremental link changes few rows of each link
    table, and rewriting them all was half its time (issue #16). The stored rows are compared
    by a hash of their values (:func:`_digest`; read once, in this process), the new ones as they stream by. Given
    ``only`` (an SQL condition), only the stored rows it selects are compared (and deleted when gone): the
    others are kept as they are."""
    spec = TABLES[table]
    cols = list(db[table].columns_dict) if db[table].exists() else list(spec["columns"])
    pk = [spec["pk"]] if isinstance(spec["pk"], str) else list(spec["pk"])
    where = " and ".join(f"[{c}] = ?" for c in pk)
    n = len(pk)
    stored = {r[:n]: _digest(r[n:]) for r in db.execute(  # a row slice is a tuple: the key as built below
        f"select {', '.join(f'[{c}]' for c in pk + [c for c in cols if c not in pk])} from [{table}]"
        + (f" where {only}" if only else ""))}
    seen: set[tuple] = set()
    changed: dict[tuple, tuple] = {}
    rest = [c for c in cols if c not in pk]
    colset = set(cols)
    for row in rows:
        extra = row.keys() - colset
        if extra:  # a column this table has not got yet (sqlite-utils' alter=True, as before)
            for c in sorted(extra):
                db[table].add_column(c, type(row[c]) if row[c] is not None else str)
                cols.append(c)
                colset.add(c)
                rest.append(c)
            stored = {k: None for k in stored}  # compare all again: the rows lack the new column
        key = tuple(map(row.get, pk))
        values = tuple(map(row.get, rest))
        seen.add(key)
        if stored.get(key, ...) != _digest(_sqlite_values(values)):
            changed[key] = values
        else:
            changed.pop(key, None)  # an earlier row with this key changed it back
    gone = [k for k in stored if k not in seen]
    db.conn.executemany(f"delete from [{table}] where {where}", gone)
    names = ", ".join(f"[{c}]" for c in pk + rest)
    db.conn.executemany(f"insert or replace into [{table}] ({names}) values ({', '.join('?' * len(pk + rest))})",
                        (k + v for k, v in changed.items()))


def _digest(values: tuple) -> int:
    """A hash of a row's values that tells -1 from -2: ``hash(-1) == hash(-2)`` in Python (for
    floats too), so with ``hash(values)`` a value going from -1 to -2 was never rewritten. How many
    values equal -1 is hashed with them (``tuple.count``, in C: twice ``hash``'s time, where hashing
    the values' ``repr`` took ten times). Values compare as ``==`` does, so an integer written to a
    REAL column and read back as a float is the same value, as before. Left: two columns of one row
    trading -1 and -2 in one run, and integers equal modulo 2**61 - 1 (no link column holds either)."""
    return hash((values, values.count(-1)))


def _sqlite_values(values: tuple) -> tuple:
    """``values`` as SQLite gives them back: booleans as integers (everything else the link
    stage writes comes back as it went in: text, integers, floats, None)."""
    if bool not in set(map(type, values)):
        return values
    return tuple(int(v) if isinstance(v, bool) else v for v in values)


def _unkept_groups(result: Any) -> Iterator[Any]:
    """The result's quote groups but those whose stored row it keeps (``kept_quote_groups``)."""
    kept = set(getattr(result, "kept_quote_groups", None) or ())
    return (g for g in result.quote_groups if g.id not in kept)


def link_record(obj: Any) -> dict[str, Any]:
    """A link record as the writer stores it: its fields, lists, dicts and records as JSON text.

    Args:
        obj: a dataclass record (:class:`~newstrace.models.Story`, a link, a quote group ...) or a mapping.
    Returns:
        The row as :meth:`Store.write_link_result` writes it, one key a field.
    """
    # fields read as they are, not deep-copied by asdict(): _j gives the same JSON for nested
    # lists and records (a fifth of writing a link result went into the copies)
    d = {f: getattr(obj, f) for f in obj.__dataclass_fields__} if hasattr(obj, "__dataclass_fields__") else dict(obj)
    return {k: (_j(v) if isinstance(v, (list, dict, tuple, set)) or hasattr(v, "__dataclass_fields__") else v)
            for k, v in d.items()}


def story_row(story: Any) -> dict[str, Any]:
    """A story's row in ``stories`` as the writer stores it (:func:`link_record` and its number of articles).

    Args:
        story: a :class:`~newstrace.models.Story`.
    Returns:
        The row, JSON columns as JSON text (:func:`~newstrace.store.schema.decode_row` reads it back).
    """
    return dict(link_record(story), articles=len(story.article_ids))


def _changed_stories(result: Any) -> Iterator[Any]:
    """The result's stories but those whose stored row it says is unchanged (``stories_unchanged``)."""
    same = set(getattr(result, "stories_unchanged", None) or ())
    return (s for s in result.stories if s.id not in same)


def _temp_ids(db: sqlite_utils.Database, name: str, ids: Iterable[str]) -> None:
    """Make the temporary table ``temp.<name>`` (one ``id`` column) hold exactly ``ids``, for the
    writer's SQL conditions on kept rows."""
    db.execute(f"create temp table if not exists {name} (id text primary key)")
    db.execute(f"delete from temp.{name}")
    db.conn.executemany(f"insert into temp.{name} values (?)", ((k,) for k in ids))


def _kept_rows(db: sqlite_utils.Database, result: Any, not_kept: str | None = None) -> dict[str, str]:
    """Per link table, an SQL condition selecting the stored rows the writer compares with the
    result's (the others are kept as stored, issue #16): claim provenance and figure conflicts of
    the stories whose articles did not change, quote groups (rows and provenance) whose quotes and
    stories did not change, entities whose members did not change (``not_kept``: :func:`_entities_not_kept`)."""
    where: dict[str, str] = {}
    kept = getattr(result, "kept_stories", None)
    if kept is not None:  # the rows of stories whose articles did not change are kept as stored
        _temp_ids(db, "link_kept", kept)
        where = dict(
            provenance="item_type != 'claim' or item_id not in (select c.id from claims c join stories s "
                       "on s.id in (select id from temp.link_kept) join json_each(s.article_ids) j "
                       "on j.value = c.article_id)",
            figure_conflicts="story_id not in (select id from temp.link_kept)")
    kept_groups = getattr(result, "kept_quote_groups", None)
    if kept_groups is not None:  # quote groups of unchanged quotes and stories keep their row and provenance
        _temp_ids(db, "link_kept_groups", kept_groups)
        where["quote_groups"] = "id not in (select id from temp.link_kept_groups)"
        where["provenance"] = (f"({where['provenance']}) and " if "provenance" in where else "") + \
            "(item_type != 'quote_group' or item_id not in (select id from temp.link_kept_groups))"
    same_stories = getattr(result, "stories_unchanged", None)
    if same_stories is not None:  # story rows equal to the stored ones are neither made nor compared
        _temp_ids(db, "link_same_stories", same_stories)
        where["stories"] = "id not in (select id from temp.link_same_stories)"
    if not_kept is not None:  # entities of unchanged members keep their stored rows
        where["entities"] = not_kept.format(col="id")
    return where


def _entities_not_kept(db: sqlite_utils.Database, result: Any) -> str | None:
    """An SQL condition on a stored entity id (``{col}``, to format): not one of the entities whose
    rows the result keeps (``entities_kept``; None when it keeps none). After an incremental merge
    those are the entities it merged again (``entity_terms_dropped``) and did not keep, and those it
    writes: a few, put in ``temp.link_touched_entities``, when every other stored entity row and
    signature is a kept one's (counted: a row of neither, as another version may have left, must
    be compared); else every kept id goes into ``temp.link_kept_entities`` (57,000 at 10,000
    articles, with the scans of the tables against them a fifth of an incremental link's writing,
    issue #16)."""
    kept, dropped = getattr(result, "entities_kept", None), getattr(result, "entity_terms_dropped", None)
    if kept is None:
        return None
    if dropped is not None:
        held = set(kept)
        _temp_ids(db, "link_touched_entities", sorted({g for g in dropped if g not in held} |
                                                      {gid for gid, _ in getattr(result, "entity_sigs", ())}))
        if all(db.execute(f"select count(*) from {t}").fetchone()[0] == len(held) + db.execute(
                f"select count(*) from {t} where id in (select id from temp.link_touched_entities)").fetchone()[0]
               for t in ("entities", "link_entity_sigs")):
            return "{col} in (select id from temp.link_touched_entities)"
    _temp_ids(db, "link_kept_entities", kept)
    return "{col} not in (select id from temp.link_kept_entities)"


def _write_entity_sigs(db: sqlite_utils.Database, result: Any, not_kept: str | None = None) -> None:
    """Make ``link_entity_sigs`` hold the signature of every entity just written (the kept ones
    keep theirs), so that it always matches the ``entities`` rows; and ``link_entity_terms`` their
    merge terms (:func:`_write_entity_terms`)."""
    if not_kept is None:
        db.execute("delete from link_entity_sigs")
    else:
        db.execute(f"delete from link_entity_sigs where {not_kept.format(col='id')}")
    scheme = getattr(result, "entity_scheme", "")
    db.conn.executemany("insert or replace into link_entity_sigs (id, scheme, sig) values (?, ?, ?)",
                        ((gid, scheme, sig) for gid, sig in getattr(result, "entity_sigs", ())))
    _write_entity_terms(db, result)


def _write_entity_terms(db: sqlite_utils.Database, result: Any) -> None:
    """Make ``link_entity_terms`` hold the merge terms of the entities just merged: all of them
    after a full merge, else in place of the stored ids the result merged again."""
    dropped = getattr(result, "entity_terms_dropped", None)
    if dropped is None:
        db.execute("delete from link_entity_terms")
        db.execute("delete from link_entity_index")
    else:
        db.conn.executemany("delete from link_entity_terms where id = ?", ((g,) for g in dropped))
        db.conn.executemany("delete from link_entity_index where id = ?", ((g,) for g in dropped))
    scheme = getattr(result, "entity_scheme", "")
    made = getattr(result, "entity_terms", ())
    db.conn.executemany("insert or replace into link_entity_terms (id, scheme, terms, members) values (?, ?, ?, ?)",
                        ((gid, scheme, terms, members) for gid, terms, members in made))
    # each term a row of its own, looked up by term (EntityTerms.with_terms)
    db.conn.executemany("insert or replace into link_entity_index (term, id, scheme) values (?, ?, ?)",
                        ((t, gid, scheme) for gid, terms, _ in made for t in (terms.split("\x1f") if terms else ())))


def _write_entity_ids(db: sqlite_utils.Database, entity_map: Any, result: Any, not_kept: str | None) -> None:
    """Set each local entity's global id from the link result's map (none for those it leaves
    out), and the speaker and source entity ids of the quotes and attributions from them: only
    changed rows are written (an incremental link changes few, issue #16).

    When the result kept some entities' rows (``entities_kept``: their members did not change, so
    neither did their members' ids), only the rows of the entities written and the rows whose
    stored id is not a kept entity's can change: only those are compared, and only the quotes and
    attributions of the articles whose local entities changed (a link leaves each quote's speaker id
    equal to its local entity's). ``not_kept``: :func:`_entities_not_kept` of the result (None when it
    keeps none); given only the ids of the entities not kept, the rows holding one are found by the
    index on ``entity_id``, not by a scan."""
    kept = getattr(result, "entities_kept", None)
    db.execute("create temp table if not exists link_eid (article_id text, local_id integer, entity_id text, "
               "primary key (article_id, local_id))")
    db.execute("create temp table if not exists link_eid_changed (article_id text primary key)")
    db.execute("delete from temp.link_eid")
    db.execute("delete from temp.link_eid_changed")
    items = entity_map.items()
    if kept is not None:
        written = {gid for gid, _ in getattr(result, "entity_sigs", ())}
        items = (item for item in items if item[1] in written)
    db.conn.executemany("insert or replace into temp.link_eid values (?, ?, ?)",
                        ((aid, lid, gid) for (aid, lid), gid in items))  # streamed, not listed
    if not_kept is not None and "link_touched_entities" in not_kept:
        # the rows given an entity written whose id differs, and the rows of a stored entity not
        # kept that the map leaves out (a row of a kept entity is in it: its members did not change);
        # "cross join": link_eid's few rows outside (a temporary table has no statistics: the
        # planner scanned every local entity instead)
        db.execute("insert or ignore into temp.link_eid_changed select le.article_id from temp.link_eid n "
                   "cross join local_entities le on le.article_id = n.article_id and le.local_id = n.local_id "
                   "where le.entity_id is not n.entity_id union all select le.article_id from local_entities le "
                   f"where {not_kept.format(col='le.entity_id')} and not exists (select 1 from temp.link_eid n "
                   "where n.article_id = le.article_id and n.local_id = le.local_id)")
    else:
        which = "" if not_kept is None else f" and (n.article_id is not null or {not_kept.format(col='le.entity_id')})"
        db.execute("insert or ignore into temp.link_eid_changed select le.article_id from local_entities le "
                   "left join temp.link_eid n on n.article_id = le.article_id and n.local_id = le.local_id "
                   f"where le.entity_id is not n.entity_id{which}")
    db.execute("update local_entities set entity_id = (select n.entity_id from temp.link_eid n "
               "where n.article_id = local_entities.article_id and n.local_id = local_entities.local_id) "
               "where article_id in (select article_id from temp.link_eid_changed)"
               + ("" if not_kept is None else f" and (entity_id is null or {not_kept.format(col='entity_id')})"))
    only = "" if kept is None else " and article_id in (select article_id from temp.link_eid_changed)"
    for table, col, ref in (("quotes", "speaker_entity_id", "local_entity"),
                            ("attributions", "source_entity_id", "local_entity")):
        found = (f"(select entity_id from local_entities le where le.article_id = {table}.article_id "
                 f"and le.local_id = {table}.{ref})")
        db.execute(f"update {table} set {col} = {found} where {col} is not {found}{only}")  # read all, write changed
    db.execute("delete from temp.link_eid")
    db.execute("delete from temp.link_eid_changed")


def _scheme_rows(store: Store, table: str, columns: str, scheme: str, order_by: str | None = None) -> Iterator[tuple]:
    """The ``columns`` of a link table's rows made under ``scheme`` (in ``order_by`` order when
    given), streamed; none when the table does not exist yet."""
    if not store.db[table].exists():
        return iter(())
    order = f" order by {order_by}" if order_by else ""
    return iter(store.db.execute(f"select {columns} from {table} where scheme = ?{order}", [scheme]))


def _article_blobs(store: Store, table: str, column: str, scheme: str) -> Iterator[tuple[str, bytes]]:
    """``(article_id, blob)`` of a per-article link table's rows made under ``scheme``, in id order."""
    cur = _scheme_rows(store, table, f"article_id, {column}", scheme, "article_id")
    return ((aid, bytes(raw or b"")) for aid, raw in cur)


def stored_minhash(store: Store, scheme: str) -> Iterator[tuple[str, bytes]]:
    """``(article id, MinHash band keys)`` stored by earlier link runs with this ``scheme``
    (``MinHashIndex.scheme``), in article id order: what ``link_articles(stored_minhash=...)``
    reuses instead of computing them again (issue #16). Streamed from the table, not held.

    Args:
        store: an open :class:`Store`.
        scheme: the scheme the keys must have been made with; others are left out.
    Returns:
        An iterator of ``(article_id, bands)``.
    """
    return _article_blobs(store, "link_minhash", "bands", scheme)


class TermSnapshot(NamedTuple):
    """A stored term-weight snapshot (``link_snapshot``, ``link_terms``): what
    ``link_articles(term_snapshot=...)`` weighs words by instead of counting them again."""

    id: str
    n_docs: int
    terms: list[str]  # sorted
    df: list[int]  # document frequency of each term


def stored_terms(store: Store, *, max_growth: float) -> TermSnapshot | None:
    """The stored term-weight snapshot, or None when there is none or the corpus has grown by more
    than ``max_growth`` (a share: 0.1 = 10%) since it was taken (then the next link takes a new one).

    Args:
        store: an open :class:`Store`.
        max_growth: the share of articles added since the snapshot above which it is not used.
    Returns:
        A :class:`TermSnapshot` (terms in string order), or None.
    """
    if not store.db["link_snapshot"].exists():
        return None
    row = store.db.execute("select id, n_docs from link_snapshot").fetchone()
    if row is None:
        return None
    n_articles = store.db.execute("select count(*) from articles").fetchone()[0]
    if n_articles > row[1] * (1 + max_growth):
        return None
    terms, df = [], []
    for term, count in store.db.execute("select term, df from link_terms order by term"):
        terms.append(term)
        df.append(count)
    return TermSnapshot(id=row[0], n_docs=row[1], terms=terms, df=df)


def stored_pairs(store: Store, scheme: str) -> dict[tuple[str, str], tuple[str | None, float, bytes, str]]:
    """Pair verdicts stored by earlier link runs under ``scheme`` (``link_pairs``): ``(a, b) ->
    (kind, score, evidence, quotes)``, the evidence still compressed. What
    ``link_articles(stored_pairs=...)`` reuses instead of classifying the pair again (issue #16).

    Args:
        store: an open :class:`Store`.
        scheme: the snapshot, settings and version the verdicts must have been made under.
    Returns:
        A dict keyed by the pair's article ids (lower id first).
    """
    if not store.db["link_pairs"].exists():
        return {}
    cur = store.db.execute("select a, b, kind, score, evidence, quotes from link_pairs where scheme = ?", [scheme])
    return {(a, b): (kind, score, bytes(ev or b""), quotes) for a, b, kind, score, ev, quotes in cur}


def stored_features(store: Store, scheme: str) -> Iterator[tuple[str, bytes]]:
    """``(article id, packed term vector)`` stored by earlier link runs under ``scheme``
    (``link_features``), in article id order: what ``link_articles(stored_features=...)`` takes
    instead of reading and weighing the article's words again (issue #16). Streamed.

    Args:
        store: an open :class:`Store`.
        scheme: the snapshot and version they must have been made under.
    Returns:
        An iterator of ``(article_id, packed)``.
    """
    return _article_blobs(store, "link_features", "packed", scheme)


def stored_quote_scores(store: Store, scheme: str) -> dict[tuple[str, str], float]:
    """Quote pair similarities stored by earlier link runs under ``scheme`` (``link_quote_pairs``):
    ``(quote id, quote id) -> similarity``, what ``link_articles(stored_quote_scores=...)`` reuses.

    Args:
        store: an open :class:`Store`.
        scheme: the version they must have been computed by.
    Returns:
        A dict keyed by the pair's quote ids (lower id first).
    """
    if not store.db["link_quote_pairs"].exists():
        return {}
    cur = store.db.execute("select a, b, sim from link_quote_pairs where scheme = ?", [scheme])
    return {(a, b): sim for a, b, sim in cur}


def _write_link_cache(db: sqlite_utils.Database, result: Any) -> None:
    """Store a new term snapshot (replacing the old one) and the pair verdicts classified in this
    run (after a pass that classified every pair: replacing all stored ones)."""
    snap = getattr(result, "term_snapshot", None)
    if snap is not None:
        db.execute("delete from link_terms")
        db.execute("delete from link_snapshot")
        db["link_snapshot"].insert(dict(id=snap.id, n_docs=snap.n_docs, terms=len(snap.terms), created=_now()))
        db.conn.executemany("insert into link_terms (term, df) values (?, ?)", zip(snap.terms, snap.df))
    if getattr(result, "features_full", True):
        db.execute("delete from link_features")
    db.conn.executemany("insert or replace into link_features (article_id, scheme, packed) values (?, ?, ?)",
                        ((aid, getattr(result, "features_scheme", ""), raw) for aid, raw in getattr(result, "features", ())))
    if getattr(result, "quote_scores_full", True):
        db.execute("delete from link_quote_pairs")
    db.conn.executemany("insert or replace into link_quote_pairs (a, b, scheme, sim) values (?, ?, ?, ?)",
                        ((a, b, getattr(result, "quote_scheme", ""), sim) for a, b, sim in getattr(result, "quote_scores", ())))
    if getattr(result, "quote_words_full", True):
        db.execute("delete from link_quote_words")
    db.conn.executemany("insert or replace into link_quote_words (quote_id, scheme, words) values (?, ?, ?)",
                        ((q, getattr(result, "quote_scheme", ""), w) for q, w in getattr(result, "quote_words", ())))
    if getattr(result, "weights_full", True):
        db.execute("delete from link_entity_weights")
    db.conn.executemany("insert or replace into link_entity_weights (article_id, scheme, inputs, weights) "
                        "values (?, ?, ?, ?)", ((aid, getattr(result, "weights_scheme", ""), inputs, raw)
                                                for aid, inputs, raw in getattr(result, "entity_weights", ())))
    if getattr(result, "neighbours_full", True):
        db.execute("delete from link_neighbours")
    db.conn.executemany(
        "insert or replace into link_neighbours (article_id, scheme, inputs, published, near) values (?, ?, ?, ?, ?)",
        ((aid, getattr(result, "neighbours_scheme", ""), inputs, published, near)
         for aid, inputs, published, near in getattr(result, "neighbours", ())))
    if getattr(result, "pairs_full", True):
        db.execute("delete from link_pairs")
    scheme = getattr(result, "pairs_scheme", "")
    db.conn.executemany(
        "insert or replace into link_pairs (a, b, scheme, kind, score, evidence, quotes) values (?, ?, ?, ?, ?, ?, ?)",
        ((a, b, scheme, kind, score, ev, quotes) for a, b, kind, score, ev, quotes in getattr(result, "pairs", ())))


def stored_neighbours(store: Store, scheme: str) -> Iterator[tuple[str, tuple[str, str | None, str]]]:
    """Each article's story neighbours stored by earlier link runs under ``scheme``
    (``link_neighbours``): ``(article id, (inputs hash, published, JSON [[similarity, article id], ...]))``,
    what ``link_articles(stored_neighbours=...)`` reuses instead of searching again (issue #16).

    Args:
        store: an open :class:`Store`.
        scheme: the snapshot, settings and code they must have been found under.
    Returns:
        An iterator of ``(article_id, (inputs, published, neighbours))``.
    """
    cur = _scheme_rows(store, "link_neighbours", "article_id, inputs, published, near", scheme)
    return ((aid, (inputs, published, near)) for aid, inputs, published, near in cur)


def stored_entity_weights(store: Store, scheme: str) -> Iterator[tuple[str, str, bytes]]:
    """Each article's entity weights stored by earlier link runs under ``scheme``
    (``link_entity_weights``): ``(article id, inputs hash, packed weights)`` in article id order,
    what ``link_articles(stored_entity_weights=...)`` takes instead of reading the text (issue #16). Streamed.

    Args:
        store: an open :class:`Store`.
        scheme: the code they must have been computed by.
    Returns:
        An iterator of ``(article_id, inputs, weights)``.
    """
    cur = _scheme_rows(store, "link_entity_weights", "article_id, inputs, weights", scheme, "article_id")
    return ((aid, inputs, bytes(raw or b"")) for aid, inputs, raw in cur)


def stored_entity_sigs(store: Store, scheme: str) -> Iterator[tuple[str, str]]:
    """Each global entity's signature stored with its row by the last link run under ``scheme``
    (``link_entity_sigs``): ``(entity id, signature)`` in id order, what
    ``link_articles(stored_entity_sigs=...)`` compares with to keep an unchanged entity's row
    (issue #16). Streamed.

    Args:
        store: an open :class:`Store`.
        scheme: the code they must have been made by.
    Returns:
        An iterator of ``(id, sig)``.
    """
    return _scheme_rows(store, "link_entity_sigs", "id, sig", scheme, "id")


def stored_entity_terms(store: Store, scheme: str) -> "EntityTerms":
    """Each global entity's merge terms and member count stored by the last link run under
    ``scheme`` (``link_entity_terms``): ``(entity id, terms, members)``, what
    ``link_articles(stored_entity_terms=...)`` reads to merge again only the entities new local
    entities reach (issue #16). Iterated, all of them, streamed; its methods read only the
    entities holding given terms, and each entity's member count (:class:`EntityTerms`).

    Args:
        store: an open :class:`Store`.
        scheme: the code they must have been made by.
    Returns:
        An :class:`EntityTerms`.
    """
    return EntityTerms(store, scheme)


class EntityTerms:
    """The merge terms stored under one scheme (``link_entity_terms``, indexed by term in
    ``link_entity_index``), read as the incremental entity merge asks: an entity's terms are
    read only when it holds a term the new local entities reach (issue #16: reading and inverting
    every stored entity's terms was a fifth of the entity merge at 10,000 articles).

    Args:
        store: an open :class:`Store`.
        scheme: the code the rows must have been made by.
    """

    def __init__(self, store: Store, scheme: str):
        self.store, self.scheme = store, scheme

    def __iter__(self) -> Iterator[tuple[str, str, int]]:
        return _scheme_rows(self.store, "link_entity_terms", "id, terms, members", self.scheme)

    def indexed(self) -> bool:
        """Whether every stored entity's terms are in the term index (a database written by a
        version without it has none there: the merge then reads them all)."""
        db = self.store.db
        if not (db["link_entity_terms"].exists() and db["link_entity_index"].exists()):
            return False
        n = db.execute("select count(*) from link_entity_terms where scheme = ?", [self.scheme]).fetchone()[0]
        k = db.execute("select count(distinct id) from link_entity_index where scheme = ?",
                       [self.scheme]).fetchone()[0]
        return n == k

    def sizes(self) -> Iterator[tuple[str, int]]:
        """``(id, members)`` of every stored entity."""
        return _scheme_rows(self.store, "link_entity_terms", "id, members", self.scheme)

    def with_terms(self, terms: Iterable[str]) -> Iterator[tuple[str, str, int]]:
        """``(id, terms, members)`` of the stored entities holding one of ``terms``."""
        # the terms as one JSON parameter: a temporary table would open a write transaction in a read
        return iter(self.store.db.execute(
            "select t.id, t.terms, t.members from link_entity_terms t where t.scheme = ? and t.id in "
            "(select k.id from link_entity_index k where k.term in (select value from json_each(?)) "
            "and k.scheme = ?)", [self.scheme, json.dumps(sorted(set(terms))), self.scheme]).fetchall())

    def of_ids(self, ids: Iterable[str]) -> Iterator[tuple[str, str, int]]:
        """``(id, terms, members)`` of the stored entities of these ids."""
        return iter(self.store.db.execute("select id, terms, members from link_entity_terms where scheme = ? and id in "
                                          "(select value from json_each(?))",
                                          [self.scheme, json.dumps(sorted(set(ids)))]).fetchall())

    def surnames(self) -> Iterator[str]:
        """Every surname a stored entity holds (its ``s`` terms, without the ``s``)."""
        cur = self.store.db.execute("select distinct term from link_entity_index where term >= 's' and term < 't' "
                                    "and scheme = ?", [self.scheme])
        return (t[1:] for t, in cur)


def stored_entity_names(store: Store, scheme: str) -> Iterator[tuple[str, str, str]]:
    """``(entity id, name, type)`` of each stored global entity whose signature the last link run
    stored under ``scheme`` (``link_entity_sigs``), in id order: with each local entity's stored
    ``entity_id``, what ``link_articles(stored_entity_names=...)`` reads to leave an entity of
    unchanged members unnamed and unsigned (issue #16). Streamed.

    Args:
        store: an open :class:`Store`.
        scheme: the code they must have been made by.
    Returns:
        An iterator of ``(id, name, type)``.
    """
    if not (store.db["link_entity_sigs"].exists() and store.db["entities"].exists()):
        return iter(())
    return iter(store.db.execute("select e.id, e.name, e.type from link_entity_sigs s join entities e on e.id = s.id "
                                 "where s.scheme = ? order by s.id", [scheme]))


def stored_quote_words(store: Store, scheme: str) -> Iterator[tuple[str, str]]:
    """``(quote id, packed words)`` stored by earlier link runs under ``scheme`` (``link_quote_words``),
    in quote id order: what ``link_articles(stored_quote_words=...)`` takes instead of reading the
    quote's words again (issue #16). Streamed.

    Args:
        store: an open :class:`Store`.
        scheme: the version they must have been read by.
    Returns:
        An iterator of ``(quote_id, words)``.
    """
    return _scheme_rows(store, "link_quote_words", "quote_id, words", scheme, "quote_id")


def stored_link_schemes(store: Store) -> dict[str, str]:
    """The schemes the last link run wrote its tables under (``link_schemes``): table -> scheme.

    Args:
        store: an open :class:`Store`.
    Returns:
        A dict (empty for a database no link run has written them in).
    """
    if not store.db["link_schemes"].exists():
        return {}
    return dict(store.db.execute("select name, scheme from link_schemes"))


def stored_quote_groups(store: Store, scheme: str) -> dict[str, QuoteGroup]:
    """The quote groups the last link run wrote, by id, if it made them under ``scheme``
    (``link_schemes``; else none): a group's id is a hash of its quotes, and a group of the same
    quotes is the same group, so a later run takes it instead of comparing its wordings again.

    Args:
        store: an open :class:`Store`.
        scheme: the version the groups must have been made by (``LinkResult.quote_scheme``).
    Returns:
        Group id -> :class:`~newstrace.models.QuoteGroup`.
    """
    if stored_link_schemes(store).get("quote_groups") != scheme:
        return {}
    rows = store.rows("quote_groups", columns="id, quote_ids, variant, differences, speaker, first_article, drift")
    return {r["id"]: QuoteGroup(**{**r, "differences": r["differences"] or [], "drift": bool(r["drift"])})
            for r in rows}


def _write_minhash(db: sqlite_utils.Database, result: Any) -> None:
    """Add the link result's new MinHash band keys (after a full pass: replace them all), its term
    snapshot and pair verdicts (:func:`_write_link_cache`)."""
    _write_link_cache(db, result)
    if getattr(result, "minhash_full", True):
        db.execute("delete from link_minhash")
    db.conn.executemany("insert or replace into link_schemes (name, scheme) values (?, ?)",
                        [("quote_groups", getattr(result, "quote_scheme", "")),
                         ("provenance", getattr(result, "rows_scheme", "")),
                         ("stories", getattr(result, "stories_scheme", ""))])
    scheme = getattr(result, "minhash_scheme", "")
    db["link_minhash"].insert_all(
        (dict(article_id=aid, scheme=scheme, bands=raw) for aid, raw in getattr(result, "minhash_keys", ())),
        pk="article_id", replace=True)


def article_rows(article: Article, ann: Annotations, *, file: str, run_id: int | None) -> dict[str, list[dict[str, Any]]]:
    """The rows one article adds to each table (used by the SQLite writer and Parquet shards)."""
    aid = article.id
    return dict(
        articles=[dict(
            id=aid, source=article.source, outlet=article.outlet, title=article.title,
            published=article.published, authors=_j(article.authors), url=article.url,
            format=article.format, dateline=article.dateline, words=len(article.text.split()),
            text=article.text, raw_text=article.raw_text,
            segments=_j([[s.start, s.raw_start, s.length] for s in article.segments]),
            removed=_j(article.removed), run_id=run_id, added=_now(),
            language=article.language,
            event_date=ann.event.date if ann.event else None,
            event_date_source=ann.event.date_source if ann.event else None,
            event_participants=_j(ann.event.participants) if ann.event else None,
            event_places=_j(ann.event.places) if ann.event else None,
            event_figures=_j(ann.event.figures) if ann.event else None)],
        sources=[dict(source=article.source, article_id=aid, file=file, run_id=run_id)],
        posts=[dict(id=f"{aid}-p{i}", article_id=aid, idx=i, platform=p.platform,
                    author=p.author, handle=p.handle, date=p.date, text=p.text,
                    links=_j(p.links), raw_start=p.raw_start, raw_end=p.raw_end)
               for i, p in enumerate(article.posts)],
        quotes=[dict(id=f"{aid}-q{i}", article_id=aid, idx=i, kind=q.kind, text=q.text,
                     speaker=q.speaker, speaker_kind=q.speaker_kind,
                     speaker_mention=q.speaker_mention, cue=q.cue, via=q.via, start=q.start,
                     end=q.end, raw_start=q.raw_start, raw_end=q.raw_end,
                     speaker_start=q.speaker_start, speaker_end=q.speaker_end,
                     sentence=q.sentence,
                     parent_id=f"{aid}-q{q.parent}" if q.parent is not None else None,
                     post_id=f"{aid}-p{q.post_index}" if q.post_index is not None else None,
                     local_entity=q.speaker_entity, speaker_entity_id=None,
                     parts=_j([list(p) for p in q.parts]) if q.parts else None, act=q.act,
                     negated=int(q.negated), form=q.form)
                for i, q in enumerate(ann.quotes)],
        attributions=[dict(id=f"{aid}-a{i}", article_id=aid, idx=i, source=a.source,
                           source_kind=a.source_kind, named=int(a.named), cue=a.cue,
                           sentence=a.sentence, start=a.start, end=a.end,
                           source_start=a.source_start, source_end=a.source_end,
                           local_entity=a.source_entity, source_entity_id=None, act=a.act)
                      for i, a in enumerate(ann.attributions)],
        mentions=[dict(id=f"{aid}-m{i}", article_id=aid, text=m.text, label=m.label,
                       start=m.start, end=m.end, local_entity=m.entity)
                  for i, m in enumerate(ann.mentions)],
        local_entities=[dict(id=f"{aid}-e{e.local_id}", article_id=aid, local_id=e.local_id,
                             name=e.name, type=e.type, aliases=_j(e.aliases), roles=_j(e.roles),
                             gender=e.gender, entity_id=None)
                        for e in ann.entities],
        claims=[dict(id=f"{aid}-c{i}", article_id=aid, idx=i, kind=c.kind, text=c.text,
                     value=c.value, unit=c.unit, what=c.what, asserted_by=c.asserted_by,
                     date=c.date, start=c.start, end=c.end, sentence=c.sentence,
                     qualifier=c.qualifier, low=c.low, high=c.high, role=c.role, period=c.period,
                     event=c.event, agent=c.agent)
                for i, c in enumerate(ann.claims)],
    )


_STORAGE_PROBLEMS = (  # (words in SQLite's message, what it means and what to do)
    (("not a database", "malformed", "file is encrypted"),
     "is not a newstrace database or is corrupt", "restore it from a backup, or use another --db"),
    (("disk is full", "disk i/o"), "could not be written: the disk is full or failing",
     "free some space and run again: everything written so far is kept"),
    (("readonly", "read-only", "unable to open"), "cannot be written (read-only file, folder or disk)",
     "check the permissions of the file and its folder, or use another --db"),
)


def storage_error(path: str | os.PathLike[str], exc: BaseException) -> NewstraceError:
    """A NewstraceError that says what an SQLite error on the database means and what to do."""
    msg = str(exc)
    for words, what, fix in _STORAGE_PROBLEMS:
        if any(w in msg.lower() for w in words):
            return NewstraceError(f"{path}: the database {what} (SQLite: {msg}). To fix: {fix}.")
    return NewstraceError(f"{path}: database error (SQLite: {msg}). Check the file, or use another --db.")


@contextlib.contextmanager
def storage_errors(path: str | os.PathLike[str]) -> Iterator[None]:
    """Turn SQLite errors raised inside the block into :func:`storage_error` messages."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise storage_error(path, exc) from exc


def open_store(path: str | os.PathLike[str], *, writer: bool = True) -> Store:
    """Open (creating if needed) a newstrace database.

    Args:
        path: the SQLite file.
        writer: take the writer lock and create/upgrade the schema; readers pass False.
    Raises:
        DatabaseBusy: another process holds the writer lock.
        NewstraceError: ``path`` does not exist when opened as a reader.
    """
    if not writer and not Path(path).exists():
        raise NewstraceError(f"{path}: no such database. Create it with: newstrace analyze PATH... --db {path}")
    return Store(path, writer=writer)


# Columns of each exported table (the names other tools read: keep them).
EXPORT_COLUMNS: dict[str, str] = {
    "articles": "id, source, outlet, title, published, authors, url, dateline, words, text",
    "posts": "id, article_id, platform, author, handle, date, text, links",
    "quotes": "id, article_id, kind, act, negated, form, text, speaker, speaker_kind, speaker_mention, cue, via, start, [end], parts, raw_start, raw_end, sentence, parent_id, post_id, speaker_entity_id",
    "attributions": "id, article_id, source, source_kind, named, cue, act, sentence, start, [end], source_entity_id",
    "entities": "id, name, type, aliases, roles, article_ids",
    "claims": "id, article_id, kind, text, value, unit, what, asserted_by, date, start, [end], qualifier, low, high, role, period, event, agent",
    "stories": "id, label, article_ids, start, [end]",
    "links": "a, b, kind, score, evidence",
    "quote_groups": "id, quote_ids, variant, differences, speaker, first_article, drift",
    "provenance": "item_type, item_id, first_article, first_outlet, first_published, outlets, via",
    "citations": "article_id, cited, kind, count",
    "outlet_citations": "from_outlet, to_outlet, count",
    "figure_conflicts": "id, story_id, what, figures",
    "errors": "run_id, file, record, stage, reason, hint",
}


def _ensure_table(table: Any, spec: dict[str, Any]) -> None:
    """Create ``table`` from its ``spec``, or give a table of an older version the columns added since."""
    defaults = spec.get("defaults", {})
    if not table.exists():
        # a new table's added columns are what the migration below gives an older one
        table.create(spec["columns"], pk=spec["pk"], defaults=defaults or None, not_null=set(defaults) or None)
        return
    have = table.columns_dict
    for col, kind in spec["columns"].items():
        if col not in have:
            table.add_column(col, kind, not_null_default=defaults.get(col))


def _export_columns(store: Store, table: str) -> dict[str, str]:
    """Each exported column of ``table`` and the SQL that reads it (:func:`schema.column_sql`: a
    column an older, unmigrated database lacks reads as the value the migration gives it)."""
    names = [c.strip().strip("[]") for c in EXPORT_COLUMNS[table].split(",")] \
        if table in EXPORT_COLUMNS else list(TABLES[table]["columns"])
    have = store.db[table].columns_dict
    return {name: column_sql(table, name, have) for name in names}


def iter_export(store: Store, table: str, *, acts: tuple[str, ...] = (),
                children: bool = True, negated: bool = True, forms: tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
    """Rows of one exported table, JSON columns decoded.

    Args:
        store: the open store.
        table: any table of :data:`TABLES` (:data:`EXPORT_COLUMNS` names the columns of the main ones).
        acts: keep only quotes and attributions whose ``act`` is one of these ("speech", "thought",
            "intention", "evidence", "decision"); empty keeps all.
        children: also list quotes nested in another (``parent_id`` set: a quote inside a block
            quote, a partial quote inside an indirect one); False lists top-level records only.
        negated: also list quotes whose act is negated or refused ("did not say whether ...");
            False leaves them out.
        forms: keep only quotes whose ``form`` is one of these (:data:`~newstrace.models.FORMS`:
            "clause", "noun_phrase", "quoted"); empty keeps all. An indirect quote stored before
            the column existed has no form (NULL) and is listed only when ``forms`` is empty.
    Raises:
        ValueError: unknown table, act or form (the message lists the valid ones).
    """
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of: {', '.join(TABLES)}")
    bad = [a for a in acts if a not in ACTS]
    if bad:
        raise ValueError(f"unknown act {bad[0]!r}; choose from: {', '.join(ACTS)}")
    bad = [f for f in forms if f not in FORMS]
    if bad:
        raise ValueError(f"unknown form {bad[0]!r}; choose from: {', '.join(FORMS)}")
    if not store.db[table].exists():  # a database from before the table was added
        return
    expr = _export_columns(store, table)
    columns = ", ".join(f"{e} as [{c}]" if e != f"[{c}]" else e for c, e in expr.items())
    order = "rowid" if table not in {"links", "provenance", "citations", "outlet_citations"} else "1, 2"
    where, params = [], []
    if acts and table in ("quotes", "attributions"):
        where.append(f"{expr['act']} in ({', '.join('?' for _ in acts)})")
        params.extend(acts)
    if not children and table == "quotes":
        where.append(f"{expr['parent_id']} is null")
    if not negated and table == "quotes":
        where.append(f"not {expr['negated']}")
    if forms and table == "quotes":
        where.append(f"{expr['form']} in ({', '.join('?' for _ in forms)})")
        params.extend(forms)
    cond = f" where {' and '.join(where)}" if where else ""
    cur = store.db.execute(f"select {columns} from [{table}]{cond} order by {order}", params)
    names = [d[0] for d in cur.description]
    for row in cur:
        d = decode_row(zip(names, row))
        for key in ("named", "drift", "negated"):
            if key in d and d[key] is not None:
                d[key] = bool(d[key])
        yield d
