"""The database file, through sqlite-utils: :class:`Store` (the only writer; the link stage and
``stats`` read through it too), :func:`open_store`, :func:`article_rows` (one article's rows,
also written to Parquet shards) and the export (:data:`EXPORT_COLUMNS`, :func:`iter_export`).

One file a user can open with ``sqlite3`` or Datasette. WAL mode; every article with all its
annotations is written in one transaction, so an interrupted run never leaves half an article.
A lock file next to the database stops two ``analyze`` runs writing at once.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import DatabaseBusy, NewstraceError
from ..models import ACTS, Annotations, Article, InputError
from ..rows import Rows
from .schema import ARTICLE_TABLES, JSON_COLUMNS, LINK_TABLES, SCHEMA_VERSION, TABLES, decode_row


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


class Store:
    """A newstrace database. Use :func:`open_store`."""

    def __init__(self, path: str | os.PathLike[str], *, writer: bool = True):
        self.path = str(path)
        self._lock_fh = None
        if writer:
            self._acquire_lock()
        self.db = sqlite_utils.Database(self.path)
        self.db.conn.execute("PRAGMA busy_timeout = 30000")
        if writer:
            self.db.enable_wal()
            self.db.conn.execute("PRAGMA synchronous = NORMAL")
            self._create_schema()

    # -- lifecycle -----------------------------------------------------------------------
    def _acquire_lock(self) -> None:
        # Next to the real file: the same database reached through a symlink takes the same lock.
        lock_path = os.path.realpath(self.path) + ".lock"
        fh = open(lock_path, "a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.close()
            raise DatabaseBusy(
                f"{self.path}: another newstrace process is writing to this database "
                f"(lock file {lock_path}). Wait for it to finish, or use another --db."
            ) from exc
        self._lock_fh = fh

    def close(self) -> None:
        """Close the database and release the writer lock."""
        try:
            self.db.close()
        finally:
            if self._lock_fh is not None:
                fcntl.flock(self._lock_fh, fcntl.LOCK_UN)
                self._lock_fh.close()
                self._lock_fh = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _create_schema(self) -> None:
        # One transaction (atomic() issues BEGIN; ``with conn`` would not, and every CREATE
        # committed on its own): a reader opening the file meanwhile sees all tables or none.
        with self.db.atomic():
            for name, spec in TABLES.items():
                if not self.db[name].exists():
                    self.db[name].create(spec["columns"], pk=spec["pk"])
                else:  # a database from an older version: add the columns added since
                    have = self.db[name].columns_dict
                    for col, kind in spec["columns"].items():
                        if col not in have:
                            self.db[name].add_column(col, kind)
            for table, cols in (("quotes", ["article_id"]), ("quotes", ["speaker"]),
                                ("attributions", ["article_id"]), ("attributions", ["source"]),
                                ("mentions", ["article_id"]), ("local_entities", ["article_id"]),
                                ("local_entities", ["entity_id"]), ("claims", ["article_id"]),
                                ("posts", ["article_id"]), ("sources", ["article_id"]),
                                ("errors", ["run_id"]), ("errors", ["file"]), ("links", ["b"]), ("citations", ["cited"])):
                self.db[table].create_index(cols, if_not_exists=True)
            self.db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
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
                   articles_seen: int, errors: int) -> None:
        """Record the end of a run."""
        with self.db.conn:
            self.db["runs"].update(run_id, dict(finished=_now(), status=status, files=files,
                                                articles_added=articles_added,
                                                articles_seen=articles_seen, errors=errors))

    # -- files and errors --------------------------------------------------------------------
    def file_done(self, path: str, size: int, mtime: float) -> bool:
        """True when this file, unchanged (same size and mtime), was fully processed before."""
        row = self.db.execute("select size, mtime, status from files where path = ?", [path]).fetchone()
        return bool(row and row[0] == size and abs((row[1] or 0) - mtime) < 1e-6 and row[2] == "done")

    def mark_file(self, path: str, *, size: int, mtime: float, fmt: str, run_id: int,
                  articles: int, status: str) -> None:
        """Record that a file was processed (status done) or failed (status error)."""
        with self.db.conn:
            self.db["files"].upsert(dict(path=path, size=size, mtime=mtime, format=fmt,
                                         run_id=run_id, articles=articles, status=status), pk="path")

    def record_error(self, run_id: int, err: InputError) -> None:
        """Store one bad input in the errors table (once: a re-read after a kill adds no copy)."""
        with self.db.conn:
            if self.db.execute("select 1 from errors where file is ? and record is ? and stage is ? "
                               "and reason is ?", [err.file, err.record, err.stage, err.reason]).fetchone():
                return
            self.db["errors"].insert(dict(run_id=run_id, file=err.file, record=err.record,
                                          stage=err.stage, reason=err.reason, hint=err.hint,
                                          created=_now()))

    def clear_errors_for(self, path: str) -> None:
        """Forget earlier errors of a file that now reads cleanly."""
        with self.db.conn:
            self.db.execute("delete from errors where file = ?", [path])

    # -- articles -------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        """True when an article with this id is stored."""
        return self.db.execute("select 1 from articles where id = ?", [article_id]).fetchone() is not None

    def add_source(self, article_id: str, source: str, file: str, run_id: int) -> None:
        """Record one more place an already stored article was read from."""
        with self.db.conn:
            self.db["sources"].insert(dict(source=source, article_id=article_id, file=file,
                                           run_id=run_id), pk="source", ignore=True)

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
        # atomic(), not ``with conn``: sqlite-utils commits each insert made outside an open
        # transaction, so a SIGKILL between two inserts left an article without its quotes.
        art = rows["articles"][0]
        with self.db.atomic():
            if self.has_article(art["id"]):
                self.db["sources"].insert_all(rows["sources"], pk="source", ignore=True)
                return False
            self.db["articles"].insert(art)
            self.db["sources"].insert_all(rows["sources"], pk="source", replace=True)
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

    def load_link_inputs(self, *, texts: bool = True) -> dict[str, Any]:
        """Everything the link stage reads (no text re-parsing needed).

        Args:
            texts: include each article's ``text``. With ``texts=False`` the article rows come
                without it and the result also holds ``text_of`` (:meth:`article_text`), to pass
                to ``link_articles(..., text_of=...)``: texts are then read when needed instead
                of a million of them being held at once (issue #5).
        Returns:
            ``articles`` (a list of dicts), ``quotes, claims, local_entities, attributions``
            (:class:`~newstrace.rows.Rows`: column by column, repeated strings shared and JSON
            left as text until read; one dict per row took ~21 KB an article, issue #5),
            ``existing_stories`` (and ``text_of`` when ``texts=False``). Local entities come in
            (article id, local id) order.
        """
        article_cols = "id, source, outlet, title, published, text, words" if texts else \
            "id, outlet, title, published"  # all that link reads besides the text
        shared: dict[Any, Any] = {}  # one string object per distinct id/kind/outlet across rows
        out: dict[str, Any] = dict(
            articles=list(self._link_rows("articles", article_cols, shared,
                                          shared_columns=self._SHARED_COLUMNS | {"id"})),
            # only the columns link reads
            quotes=self._link_rows("quotes", "id, article_id, text, start, [end], speaker, via, parent_id", shared),
            claims=self._link_rows("claims", "id, article_id, text, value, unit, what, asserted_by, kind, date, "
                                   "start, [end], qualifier", shared),
            local_entities=self._link_rows("local_entities", "article_id, local_id, name, type, aliases, roles, gender",
                                           shared, order="article_id, local_id"),
            attributions=self._link_rows("attributions", "id, article_id, source, source_kind, start, [end], named",
                                         shared),
            existing_stories=list(self.rows("stories")),
        )
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

    def write_link_result(self, result: Any) -> None:
        """Replace the link tables with a fresh link result, in one transaction."""
        def rec(obj: Any) -> dict[str, Any]:
            d = asdict(obj) if hasattr(obj, "__dataclass_fields__") else dict(obj)
            return {k: (_j(v) if isinstance(v, (list, dict, tuple, set)) else v) for k, v in d.items()}

        # atomic(), not ``with conn``: sqlite-utils commits each execute/insert_all made outside
        # an open transaction, so a kill mid-rewrite left half-replaced link tables.
        with self.db.atomic():
            for name in LINK_TABLES:
                self.db.execute(f"delete from [{name}]")
            entity_map = getattr(result, "entity_map", {}) or {}
            self.db["entities"].insert_all(
                (dict(rec(e), articles=len(e.get("article_ids", [])) if isinstance(e, dict) else None)
                 for e in getattr(result, "entities", []) or []), pk="id", alter=True)
            self.db["stories"].insert_all(
                (dict(rec(s), articles=len(s.article_ids)) for s in result.stories), pk="id", alter=True)
            self.db["links"].insert_all((rec(link) for link in result.links), pk=("a", "b"), replace=True, alter=True)
            self.db["quote_groups"].insert_all(
                (dict(rec(g), size=len(g.quote_ids)) for g in result.quote_groups), pk="id", alter=True)
            self.db["provenance"].insert_all((rec(p) for p in result.provenance),
                                             pk=("item_type", "item_id"), replace=True, alter=True)
            self.db["citations"].insert_all((rec(c) for c in result.citations),
                                            pk=("article_id", "cited"), replace=True, alter=True)
            self.db["outlet_citations"].insert_all(
                (rec(c) for c in getattr(result, "outlet_citations", []) or []),
                pk=("from_outlet", "to_outlet"), replace=True, alter=True)
            self.db["figure_conflicts"].insert_all(
                (rec(c) for c in getattr(result, "figure_conflicts", []) or []), pk="id", alter=True)
            if entity_map:
                self.db.execute("update local_entities set entity_id = null")
                self.db.conn.executemany(
                    "update local_entities set entity_id = ? where article_id = ? and local_id = ?",
                    ((gid, aid, lid) for (aid, lid), gid in entity_map.items()))  # streamed, not listed
                self.db.execute(
                    "update quotes set speaker_entity_id = (select entity_id from local_entities le "
                    "where le.article_id = quotes.article_id and le.local_id = quotes.local_entity)")
                self.db.execute(
                    "update attributions set source_entity_id = (select entity_id from local_entities le "
                    "where le.article_id = attributions.article_id and le.local_id = attributions.local_entity)")

    # -- export and stats ------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Row count of every table."""
        return {name: self.db[name].count for name in TABLES if self.db[name].exists()}


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
                     parts=_j([list(p) for p in q.parts]) if q.parts else None, act=q.act)
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
                     qualifier=c.qualifier)
                for i, c in enumerate(ann.claims)],
    )


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
    "quotes": "id, article_id, kind, act, text, speaker, speaker_kind, speaker_mention, cue, via, start, [end], parts, raw_start, raw_end, sentence, parent_id, post_id, speaker_entity_id",
    "attributions": "id, article_id, source, source_kind, named, cue, act, sentence, start, [end], source_entity_id",
    "entities": "id, name, type, aliases, roles, article_ids",
    "claims": "id, article_id, kind, text, value, unit, what, asserted_by, date, start, [end], qualifier",
    "stories": "id, label, article_ids, start, [end]",
    "links": "a, b, kind, score, evidence",
    "quote_groups": "id, quote_ids, variant, differences, speaker, first_article, drift",
    "provenance": "item_type, item_id, first_article, first_outlet, first_published, outlets, via",
    "citations": "article_id, cited, kind, count",
    "outlet_citations": "from_outlet, to_outlet, count",
    "figure_conflicts": "id, story_id, what, figures",
    "errors": "run_id, file, record, stage, reason, hint",
}


def iter_export(store: Store, table: str, *, acts: tuple[str, ...] = (),
                children: bool = True) -> Iterator[dict[str, Any]]:
    """Rows of one exported table, JSON columns decoded.

    Args:
        store: the open store.
        table: one of :data:`EXPORT_COLUMNS`.
        acts: keep only quotes and attributions whose ``act`` is one of these ("speech", "thought",
            "intention", "evidence", "decision"); empty keeps all.
        children: also list quotes nested in another (``parent_id`` set: a quote inside a block
            quote, a partial quote inside an indirect one); False lists top-level records only.
    Raises:
        ValueError: unknown table or act (the message lists the valid ones).
    """
    if table not in EXPORT_COLUMNS:
        raise ValueError(f"unknown table {table!r}; choose one of: {', '.join(EXPORT_COLUMNS)}")
    bad = [a for a in acts if a not in ACTS]
    if bad:
        raise ValueError(f"unknown act {bad[0]!r}; choose from: {', '.join(ACTS)}")
    order = "rowid" if table not in {"links", "provenance", "citations", "outlet_citations"} else "1, 2"
    where, params = [], []
    if acts and table in ("quotes", "attributions"):
        where.append(f"act in ({', '.join('?' for _ in acts)})")
        params.extend(acts)
    if not children and table == "quotes":
        where.append("parent_id is null")
    cond = f" where {' and '.join(where)}" if where else ""
    cur = store.db.execute(f"select {EXPORT_COLUMNS[table]} from [{table}]{cond} order by {order}", params)
    names = [d[0] for d in cur.description]
    for row in cur:
        d = decode_row(zip(names, row))
        for key in ("named", "drift"):
            if key in d and d[key] is not None:
                d[key] = bool(d[key])
        yield d
