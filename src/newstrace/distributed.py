"""Cluster backend: the per-article stages on Dask workers, results as Parquet shards.

The workers run exactly the local code path (``pipeline.iter_clean`` ->
``extract.annotate_batch`` -> ``store.article_rows``); only the destination differs: each
chunk of input files becomes one Parquet file per table under ``SHARDS/<table>/``. ``merge``
loads the shards into SQLite through the same ``Store.write_rows`` the local run uses, then the
link stage runs over the merged database. The shards are also directly queryable with DuckDB:
``select speaker, count(*) from 'shards/quotes/*.parquet' group by 1``.

Time budget on workers (issue #7): ``max_seconds_per_article`` is a SIGALRM, which only works in
a process's main thread, and Dask runs tasks in threads. So each task thread hands its reading,
cleaning and annotating to its own child Python process (``workers.Child``, the same machinery
``analyze --jobs`` uses; started once, then reused), which runs ``pipeline.iter_clean`` and
``extract.worker_annotate`` in its main thread, budgets included. If a budget runs out and the
child still has not stopped ``workers.kill_grace`` later (C code that never returns to the
interpreter), the task kills it. A killed or crashed child costs only the article it was on: the
rest of its batch is annotated again one article at a time in a fresh child, and a file it was
reading keeps the articles read so far.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import MissingExtra
from .ingest import list_inputs, split_input
from .models import Annotations, InputError
from .pipeline import NOTICE_STAGES, RunStats, iter_clean, link_database, metadata_report, metadata_table
from .store import ARTICLE_TABLES, TABLES, article_rows, open_store
from .version import __version__
from .workers import CAN_ISOLATE, Child, annotate_in_child, read_in_child

_EXTRA_HINT = "the dask backend needs: pip install 'newstrace[dask]' (dask[distributed], pyarrow)"
SHARD_TABLES = ("articles", "sources", "posts", "quotes", "attributions", "mentions",
                "local_entities", "claims", "errors", "files")


def _arrow_schema(table: str):
    import pyarrow as pa

    kinds = {int: pa.int64(), float: pa.float64(), str: pa.string()}
    cols = TABLES[table]["columns"]
    return pa.schema([(name, kinds[kind]) for name, kind in cols.items()])


def _write_parquet(out_dir: Path, table: str, part: str, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(table)
    names = set(schema.names)
    clean = [{k: v for k, v in row.items() if k in names} for row in rows]
    folder = out_dir / table
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{part}.parquet.tmp"
    pq.write_table(pa.Table.from_pylist(clean, schema=schema), tmp)
    os.replace(tmp, folder / f"{part}.parquet")  # a shard appears whole or not at all


def process_chunk(files: list[Any], *, settings: Settings, out_dir: str, part: str) -> dict[str, int]:
    """Run ingest, clean and annotate over a chunk of input files and write its shards.

    Reading, cleaning and annotating run in a child process of the calling thread (see the
    module docstring), so ``max_seconds_per_article`` holds on Dask's task threads too.

    Args:
        files: ``ingest.InputFile`` records.
        settings: the run's settings.
        out_dir: shard folder.
        part: shard name (deterministic for the chunk, so a retried task overwrites itself).
    Returns:
        counts of articles and errors written.
    """
    out = Path(out_dir)
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    errors: list[InputError] = []
    pending: list[tuple[Any, Any, Any]] = []
    seen: set[str] = set()
    for f in files:
        n_articles, failed = 0, False
        for item in _isolated_clean(f, settings=settings):
            if isinstance(item, InputError):
                errors.append(item)
                failed = failed or item.stage != "limit"
                continue
            article, raw = item
            n_articles += 1
            if article.id in seen:
                tables["sources"].append(dict(source=article.source, article_id=article.id,
                                              file=raw.file or f.path, run_id=None))
                continue
            seen.add(article.id)
            pending.append((article, raw, f))
        tables["files"].append(dict(path=f.key, size=f.size, mtime=f.mtime, format=f.format,
                                    run_id=None, articles=n_articles,
                                    status="error" if failed else "done"))
    for i in range(0, len(pending), settings.batch_size):
        items = pending[i:i + settings.batch_size]
        results = isolated_annotate([a for a, _, _ in items], settings=settings)
        for (article, raw, f), ann in zip(items, results):
            if isinstance(ann, InputError):
                errors.append(ann)
                ann = Annotations()
            for table, rows in article_rows(article, ann, file=raw.file or f.path, run_id=None).items():
                tables[table].extend(rows)
    _write_shards(out, part, tables, errors)
    return {"articles": len(pending), "errors": len(errors)}


def _write_shards(out: Path, part: str, tables: dict[str, list[dict[str, Any]]], errors: list[InputError]) -> None:
    """One Parquet file per shard table for ``part`` (an empty one where there are no rows)."""
    tables["errors"] = [dict(id=None, run_id=None, file=e.file, record=e.record, stage=e.stage,
                             reason=e.reason, hint=e.hint, created=None) for e in errors]
    for table in SHARD_TABLES:
        _write_parquet(out, table, part, tables.get(table, []))


# -- the child process of a task thread (issue #7): see workers.py ---------------------------

_local = threading.local()
_children: list[Child] = []
_children_lock = threading.Lock()


def _thread_child() -> Child:
    child = getattr(_local, "child", None)
    if child is None:
        child = _local.child = Child()
        with _children_lock:
            _children.append(child)
    return child


@atexit.register
def _close_children() -> None:
    with _children_lock:
        for child in _children:
            child.close()


def _isolated_clean(f: Any, *, settings: Settings) -> Iterator[Any]:
    """``pipeline.iter_clean`` in the thread's child; a lost child ends the file with an InputError."""
    if not CAN_ISOLATE:
        yield from iter_clean(f, settings=settings)
        return
    yield from read_in_child(_thread_child(), iter_clean, f, settings=settings, what="reading or cleaning")


def isolated_annotate(articles: list[Any], *, settings: Settings,
                       work: Callable[[Any], Any] | None = None) -> list[Annotations | InputError]:
    """``workers.annotate_in_child`` in the thread's child (``work`` for tests); a lost child costs only its article."""
    return annotate_in_child(_thread_child(), articles, settings=settings, work=work)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def analyze_to_shards(paths: Iterable[str], out_dir: str, *, settings: Settings,
                      scheduler: str | None = None, client: Any = None, files_per_task: int = 50,
                      skip: Callable[[Any], bool] | None = None,
                      progress: Callable[[str, int, int | None], None] | None = None) -> dict[str, int]:
    """Run the per-article stages on a Dask cluster, writing Parquet shards to ``out_dir``.

    Args:
        paths: input files or folders (they must be readable by the workers at the same paths).
        out_dir: shard folder (created).
        scheduler: address of an existing Dask scheduler (``tcp://HOST:8786``); or pass ``client``.
        files_per_task: input files per task (one shard per task).
        skip: returns True for an input file, or a piece of one (``InputFile.key``), already
            processed (e.g. recorded in the database's ``files`` table).
    Returns:
        totals: tasks, articles, errors.
    Raises:
        MissingExtra: dask or pyarrow is not installed.
    """
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MissingExtra(_EXTRA_HINT) from exc

    listed = list(list_inputs(paths, follow_symlinks=settings.follow_symlinks))
    files = [f for f in listed if f.path != "-" and not (skip and skip(f))]
    # the metadata table's bad rows and unmatched keys, as the local run records them: a shard
    # of their own, named after the table so that a second run overwrites it
    table = metadata_table(settings.metadata)
    notes = metadata_report(table, [f.path for f in listed]) if table is not None else []
    if notes:
        _write_shards(Path(out_dir), "part-metadata-" + hashlib.sha1(table.path.encode()).hexdigest()[:16], {}, notes)
    # A big JSON Lines dump is cut at line starts into pieces of about settings.split_bytes,
    # one task each, so one file of millions of articles spreads over the whole cluster.
    small, pieces = [], []
    for f in files:
        parts = split_input(f, settings.split_bytes)
        if len(parts) == 1:
            small.append(f)
        else:
            pieces.extend(p for p in parts if not (skip and skip(p)))
    own_client = client is None
    if own_client:
        client = Client(scheduler) if scheduler else Client(processes=True)
    try:
        futures = []
        for chunk in [*_chunks(small, files_per_task), *([p] for p in pieces)]:
            key = hashlib.sha1(json.dumps([[f.key, f.size, f.mtime] for f in chunk]).encode()).hexdigest()[:16]
            futures.append(client.submit(process_chunk, chunk, settings=settings, out_dir=str(out_dir),
                                         part=f"part-{key}", key=f"newstrace-{key}", pure=False))
        totals = {"tasks": len(futures), "articles": 0,
                  "errors": sum(e.stage not in NOTICE_STAGES for e in notes)}
        for done, fut in enumerate(as_completed(futures), start=1):
            res = fut.result()
            totals["articles"] += res["articles"]
            totals["errors"] += res["errors"]
            if progress:
                progress("cluster", done, len(futures))
    finally:
        if own_client:
            client.close()
    return totals


def merge_shards(shard_dir: str, db_path: str, *, settings: Settings | None = None,
                 progress: Callable[[str, int, int | None], None] | None = None) -> Any:
    """Load Parquet shards into the SQLite database and run the link stage.

    Articles already in the database are skipped (their sources are added), so merging the same
    shards twice changes nothing.

    Returns:
        pipeline.RunStats
    """
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover
        raise MissingExtra(_EXTRA_HINT) from exc

    settings = settings or Settings()
    root = Path(shard_dir)
    parts = sorted(p.name for p in (root / "articles").glob("part-*.parquet"))
    stats = RunStats()
    store = open_store(db_path)
    try:
        stats.run_id = run_id = store.start_run(settings=asdict(settings), inputs=[str(root)],
                                                version=__version__)
        for n, part in enumerate(parts, start=1):
            data = {t: pq.read_table(root / t / part).to_pylist() for t in SHARD_TABLES
                    if (root / t / part).exists()}
            by_article: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
            for table in ("articles", *ARTICLE_TABLES):
                for row in data.get(table, []):
                    key = row["id"] if table == "articles" else row["article_id"]
                    by_article[key][table].append(row)
            sources = defaultdict(list)
            for row in data.get("sources", []):
                sources[row["article_id"]].append(dict(row, run_id=run_id))
            for aid, rows in by_article.items():
                if not rows.get("articles"):
                    continue
                rows["articles"][0]["run_id"] = run_id
                rows["sources"] = sources.pop(aid, [])
                if store.write_rows(rows):
                    stats.articles_added += 1
                else:
                    stats.articles_seen += 1
            for aid, extra in sources.items():
                for row in extra:
                    store.add_source(aid, row["source"], row["file"], run_id)
                    stats.articles_seen += 1
            for row in data.get("errors", []):
                err = InputError(file=row["file"], reason=row["reason"], hint=row["hint"] or "",
                                 record=row["record"], stage=row["stage"])
                stats.errors.append(err)
                store.record_error(run_id, err)
            for row in data.get("files", []):
                store.mark_file(row["path"], size=row["size"], mtime=row["mtime"], fmt=row["format"],
                                run_id=run_id, articles=row["articles"], status=row["status"])
                stats.files += 1
            if progress:
                progress("merge", n, len(parts))
        link_database(store, settings=settings, progress=progress)
        stats.linked = True
        store.finish_run(run_id, status="failed" if stats.failed else "ok", files=stats.files,
                         articles_added=stats.articles_added, articles_seen=stats.articles_seen,
                         errors=len(stats.errors))
    finally:
        store.close()
    return stats
