"""Cluster backend: the per-article stages on Dask workers, results as Parquet shards.

The workers run exactly the local code path (``pipeline.iter_clean`` ->
``pipeline.annotate_batch`` -> ``store.article_rows``); only the destination differs: each
chunk of input files becomes one Parquet file per table under ``SHARDS/<table>/``. ``merge``
loads the shards into SQLite through the same ``Store.write_rows`` the local run uses, then the
link stage runs over the merged database. The shards are also directly queryable with DuckDB:
``select speaker, count(*) from 'shards/quotes/*.parquet' group by 1``.

Time budget on workers (issue #7): ``max_seconds_per_article`` is a SIGALRM, which only works in
a process's main thread, and Dask runs tasks in threads. So each task thread hands its reading,
cleaning and annotating to its own child Python process (started once, then reused), which runs
``pipeline.iter_clean`` and ``pipeline._worker_annotate`` -- the ``--jobs`` code -- in its main
thread, budgets included. The child tells the task thread when each budget starts and ends; if
one runs out and the child still has not stopped ``_kill_grace`` later (C code that never returns
to the interpreter), the task kills it. A killed or crashed child costs only the article it was
on: the rest of its batch is annotated again one article at a time in a fresh child, and a file
it was reading keeps the articles read so far.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import MissingExtra
from .models import Annotations, InputError

_EXTRA_HINT = "the dask backend needs: pip install 'newstrace[dask]' (dask[distributed], pyarrow)"
SHARD_TABLES = ("articles", "sources", "posts", "quotes", "attributions", "mentions",
                "local_entities", "claims", "errors", "files")


def _arrow_schema(table: str):
    import pyarrow as pa

    from .store import TABLES

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
    from .store import article_rows

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
        tables["files"].append(dict(path=f.path, size=f.size, mtime=f.mtime, format=f.format,
                                    run_id=None, articles=n_articles,
                                    status="error" if failed else "done"))
    for i in range(0, len(pending), settings.batch_size):
        items = pending[i:i + settings.batch_size]
        results = _isolated_annotate([a for a, _, _ in items], settings=settings)
        for (article, raw, f), ann in zip(items, results):
            if isinstance(ann, InputError):
                errors.append(ann)
                ann = Annotations()
            for table, rows in article_rows(article, ann, file=raw.file or f.path, run_id=None).items():
                tables[table].extend(rows)
    tables["errors"] = [dict(id=None, run_id=None, file=e.file, record=e.record, stage=e.stage,
                             reason=e.reason, hint=e.hint, created=None) for e in errors]
    for table in SHARD_TABLES:
        _write_parquet(out, table, part, tables.get(table, []))
    return {"articles": len(pending), "errors": len(errors)}


# -- the child process of a task thread (issue #7) ------------------------------------------


def _kill_grace(settings: Settings) -> float:
    """Seconds past a budget's end before a child that has not stopped is killed."""
    return max(5.0, 0.5 * settings.max_seconds_per_article)


class _ChildLost(Exception):
    """The child stopped answering: ``kind`` is "stalled" (killed past its budget), "died" or "failed"."""

    def __init__(self, kind: str, detail: str, error: BaseException | None = None) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.error = error  # for "failed": the exception the function raised, when it pickles


def _send(fd: int, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(struct.pack(">Q", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _recv(fd: int) -> Any:
    """One framed object from fd; raises EOFError when the other side is gone."""
    (size,) = struct.unpack(">Q", _read_exact(fd, 8))
    return pickle.loads(_read_exact(fd, size))


def _read_exact(fd: int, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


class _Child:
    """A child Python process that runs module-level functions in its main thread."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        # A plain subprocess, not multiprocessing: Dask's worker processes are daemonic and
        # may not have multiprocessing children; and the child sees end-of-file on its stdin
        # (and exits) when the worker dies, instead of lingering.
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from newstrace.distributed import _child_main; _child_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env=env)
        return self.proc

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()

    def run(self, fn: Callable[[Any], Any], arg: Any, *, grace: float) -> Iterator[Any]:
        """Yield what ``fn(arg)`` yields (or returns) in the child.

        Raises:
            _ChildLost: the child was killed past a budget, died, or ``fn`` raised.
        """
        proc = self.proc if self.proc is not None and self.proc.poll() is None else None
        if proc is None:
            self.close()
            proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            _send(proc.stdin.fileno(), (fn, arg))
        except OSError as exc:
            self.close()
            raise _ChildLost("died", f"the worker's child process could not be reached ({exc})") from exc
        finished = False
        try:
            yield from self._replies(proc, grace)
            finished = True
        except _ChildLost as lost:
            finished = lost.kind == "failed"  # the function raised; the child is fine
            raise
        finally:
            if not finished:  # lost, or the caller stopped early: unread replies would follow
                self.close()

    def _replies(self, proc: subprocess.Popen[bytes], grace: float) -> Iterator[Any]:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        deadline: float | None = None  # when the running budget's SIGALRM should have fired
        while True:
            ready, _, _ = select.select([fd], [], [], 0.25)
            if not ready:
                if deadline is not None and time.monotonic() > deadline + grace:
                    self.close()
                    raise _ChildLost("stalled", "did not stop when its time budget ran out, "
                                     f"nor {grace:g} s later; its process was killed")
                continue
            try:
                msg = _recv(fd)
            except EOFError:
                code = proc.wait()
                self.close()
                how = (f"killed by {signal.Signals(-code).name}" if code < 0 and -code in
                       signal.valid_signals() else f"exit code {code}")
                raise _ChildLost("died", f"the worker's child process died ({how}; out of "
                                 "memory, or a crash in native code)") from None
            if msg[0] == "budget":
                deadline = None if msg[1] is None else time.monotonic() + msg[1]
            elif msg[0] == "item":
                yield msg[1]
            elif msg[0] == "done":
                return
            else:  # "failed": fn raised
                raise _ChildLost("failed", msg[1], msg[2])


def _child_main() -> None:
    """Entry point of a task thread's child: answer requests on stdin until end-of-file."""
    import logging

    from . import pipeline

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    out = os.dup(1)
    os.dup2(2, 1)  # a stray print() goes to stderr instead of corrupting the replies
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the worker's to handle
    pipeline._budget_hook = lambda seconds: _send(out, ("budget", seconds))
    while True:
        try:
            fn, arg = _recv(0)
        except EOFError:  # the worker is gone
            return
        try:
            result = fn(arg)
            if isinstance(result, Iterator):
                for item in result:
                    _send(out, ("item", item))
            else:
                _send(out, ("item", result))
            _send(out, ("done",))
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc} | " + traceback.format_exc(limit=3).replace("\n", " | ")
            try:
                pickle.dumps(exc)
            except Exception:  # noqa: BLE001 - an exception that does not pickle is sent as text only
                exc = None
            _send(out, ("failed", detail, exc))


_local = threading.local()
_children: list[_Child] = []
_children_lock = threading.Lock()


def _thread_child() -> _Child:
    child = getattr(_local, "child", None)
    if child is None:
        child = _local.child = _Child()
        with _children_lock:
            _children.append(child)
    return child


@atexit.register
def _close_children() -> None:
    with _children_lock:
        for child in _children:
            child.close()


def _child_clean(args: tuple[Any, Settings]) -> Iterator[Any]:
    from .pipeline import iter_clean

    f, settings = args
    return iter_clean(f, settings=settings)


# POSIX only: the child's budget is a SIGALRM and the watchdog select()s on a pipe.
_CAN_ISOLATE = os.name == "posix" and hasattr(signal, "setitimer")


def _isolated_clean(f: Any, *, settings: Settings) -> Iterator[Any]:
    """``pipeline.iter_clean`` in the thread's child; a lost child ends the file with an InputError."""
    if not _CAN_ISOLATE:
        yield from _child_clean((f, settings))
        return
    try:
        yield from _thread_child().run(_child_clean, (f, settings), grace=_kill_grace(settings))
    except _ChildLost as lost:
        _reraise_own(lost)
        budget = settings.max_seconds_per_article
        if lost.kind == "stalled":
            yield InputError(file=f.path, stage="limit",
                             reason=f"reading or cleaning took longer than {budget:g} s "
                                    f"(max_seconds_per_article) and {lost.detail}: the rest of "
                                    "the file is skipped",
                             hint="the file is probably malformed or hostile; check it, or raise "
                                  "max_seconds_per_article and touch the file to read it again")
        else:
            yield InputError(file=f.path, stage="ingest",
                             reason=f"reading or cleaning failed: {lost.detail}: the rest of the "
                                    "file is skipped",
                             hint="please report this with the input file")


def _isolated_annotate(articles: list[Any], *, settings: Settings,
                       work: Callable[[Any], Any] | None = None) -> list[Annotations | InputError]:
    """``pipeline._worker_annotate`` (or ``work``, for tests) in the thread's child; a lost child costs only its article."""
    from .pipeline import _worker_annotate

    if not _CAN_ISOLATE:
        return (work or _worker_annotate)((articles, settings))
    try:
        (results,) = _thread_child().run(work or _worker_annotate, (articles, settings),
                                         grace=_kill_grace(settings))
        return results
    except _ChildLost as lost:
        _reraise_own(lost)
        if len(articles) > 1 and lost.kind != "failed":  # find the article: the others are annotated anew
            return [r for a in articles for r in _isolated_annotate([a], settings=settings, work=work)]
        article, budget = articles[0], settings.max_seconds_per_article
        if lost.kind == "stalled":
            return [InputError(file=article.source, stage="limit", record=article.id,
                               reason=f"annotating took longer than {budget:g} s "
                                      f"(max_seconds_per_article) and {lost.detail}",
                               hint="the article is stored without annotations; to annotate it, "
                                    "raise max_seconds_per_article and analyze it into a new database")]
        return [InputError(file=a.source, stage="annotate", record=a.id,
                           reason=f"annotation failed: {lost.detail}",
                           hint="please report this with the input file; the article is stored "
                                "without annotations") for a in articles]


def _reraise_own(lost: _ChildLost) -> None:
    # newstrace's own errors (the model is not installed on the worker, ...) fail the task as
    # they did before the child process, instead of turning every article into an error row
    from .errors import NewstraceError

    if isinstance(lost.error, NewstraceError):
        raise lost.error


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
        skip: returns True for an input file already processed (e.g. recorded in the database).
    Returns:
        totals: tasks, articles, errors.
    Raises:
        MissingExtra: dask or pyarrow is not installed.
    """
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MissingExtra(_EXTRA_HINT) from exc
    from .ingest import list_inputs

    files = [f for f in list_inputs(paths) if f.path != "-" and not (skip and skip(f))]
    own_client = client is None
    if own_client:
        client = Client(scheduler) if scheduler else Client(processes=True)
    try:
        futures = []
        for chunk in _chunks(files, files_per_task):
            key = hashlib.sha1(json.dumps([[f.path, f.size, f.mtime] for f in chunk]).encode()).hexdigest()[:16]
            futures.append(client.submit(process_chunk, chunk, settings=settings, out_dir=str(out_dir),
                                         part=f"part-{key}", key=f"newstrace-{key}", pure=False))
        totals = {"tasks": len(futures), "articles": 0, "errors": 0}
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
    from . import __version__
    from .pipeline import RunStats, link_database
    from .store import ARTICLE_TABLES, open_store

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
        link_database(store, settings=settings)
        stats.linked = True
        store.finish_run(run_id, status="failed" if stats.errors else "ok", files=stats.files,
                         articles_added=stats.articles_added, articles_seen=stats.articles_seen,
                         errors=len(stats.errors))
    finally:
        store.close()
    return stats
