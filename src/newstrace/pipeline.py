"""Orchestration: ingest -> clean -> annotate -> store, then link over the whole database.

Streaming: input files are read one at a time, articles are parsed in batches with
``nlp.pipe``, and each article is written in its own transaction as soon as it is annotated, so
an interrupted run keeps everything already written and a re-run picks up where it stopped.

With ``jobs > 1`` the batches are annotated in child processes (``workers.ChildPool``): a child
that dies or stalls past its time budget is killed and costs only the article it was on.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from dataclasses import replace as _replace
from pathlib import Path
from typing import Any

from .budget import Timeout, time_limit
from .clean import clean_article
from .config import Settings
from .extract import annotate_batch
from .ingest import MetadataTable, apply_metadata, list_inputs, read_file, read_metadata
from .errors import NewstraceError
from .language import load_language_model
from .link import link_articles
from .models import Annotations, Article, InputError, RawArticle
from .nlp import load_nlp, resolve_model_name
from .sanitize import printable
from .store import (
    open_store, storage_error, stored_entity_names, stored_entity_sigs, stored_entity_terms, stored_entity_weights,
    stored_features,
    stored_link_schemes, stored_minhash, stored_neighbours, stored_pairs, stored_quote_groups, stored_quote_scores, stored_quote_words,
    stored_terms,
)
from .version import __version__
from .workers import Child, ChildPool, read_in_child

# Errors of one kind in one file (the same reason but for numbers) are stored one by one up to
# this many; the rest are one row with a count and the last record (issue #18: a dump of a
# million records without text was recorded at a falling rate and would have taken 17 hours).
ERRORS_PER_KIND = 10
_MAX_KINDS = 10_000  # files, and kinds in one file, tracked at once: memory stays flat
_DIGITS_RE = re.compile(r"\d+")
# Stages of the errors table that note what was not done to an input that was still stored: no
# failure (a run whose only rows are these exits 0).
NOTICE_STAGES = frozenset({"language", "metadata_unmatched"})


@dataclass
class RunStats:
    """What one ``analyze`` run did."""

    run_id: int = 0
    files: int = 0  # input files read in this run
    files_skipped: int = 0  # unchanged files processed by an earlier run
    unknown_files: list[str] = field(default_factory=list)  # files in folders of no format newstrace reads
    articles_added: int = 0
    articles_seen: int = 0  # articles already stored (same text from another source or run)
    errors: list[InputError] = field(default_factory=list)
    linked: bool = False
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """True when an input could not be processed. An article skipped for its language is
        stored (without annotations) and noted in ``errors``, but is no failure."""
        return any(e.stage not in NOTICE_STAGES for e in self.errors)

    @property
    def notice_count(self) -> int:
        """The notices among ``errors`` (articles stored but not annotated, e.g. for their language)."""
        return sum(e.count for e in self.errors if e.stage in NOTICE_STAGES)

    @property
    def error_count(self) -> int:
        """Bad inputs in all: ``errors`` holds the first few of each kind one by one and the rest
        as one InputError with a ``count`` (issue #18)."""
        return sum(e.count for e in self.errors)


@dataclass
class _Pending:
    file: str
    size: int
    mtime: float
    fmt: str
    outstanding: int = 0
    articles: int = 0
    read_done: bool = False
    failed: bool = False


class _Run:
    """One analyze run's moving parts: the batch being filled, the batches in flight, the files
    whose articles are not all written yet."""

    def __init__(self, store: Any, stats: RunStats, *, settings: Settings, pool: ChildPool | None,
                 progress: Callable[[str, int, int | None], None] | None) -> None:
        self.store, self.stats, self.settings = store, stats, settings
        self.pool, self.progress = pool, progress
        self.timing = stats.stage_seconds
        self.pending: dict[str, _Pending] = {}
        self.batch: list[tuple[Article, RawArticle, str]] = []  # (article, raw, input file key)
        self.batch_chars = 0
        self.in_flight: list[tuple[Any, list[tuple[Article, RawArticle, str]]]] = []
        # --jobs N: files are read in a child too, so a hostile page that stalls libxml2 costs
        # its file, not the run (issue #18)
        self.reader = Child() if pool is not None else None
        # file -> error kind (stage, reason with numbers blanked) -> [count, aggregate, row id]
        self.kinds: dict[str, dict[tuple[str, str], list[Any]]] = {}
        self.link_pending = False

    def _add_time(self, stage: str, t0: float) -> None:
        self.timing[stage] = self.timing.get(stage, 0.0) + time.perf_counter() - t0

    def error(self, err: InputError) -> None:
        """Record a bad input: one by one up to ERRORS_PER_KIND of a kind, then counted."""
        prefix = f"{err.record}: " if err.record else ""
        reason = err.reason[len(prefix):] if prefix and err.reason.startswith(prefix) else err.reason
        kind = (err.stage, _DIGITS_RE.sub("#", reason))
        if err.file not in self.kinds and len(self.kinds) >= _MAX_KINDS:
            self.flush_errors()
        kinds = self.kinds.setdefault(err.file, {})
        if kind not in kinds and len(kinds) >= _MAX_KINDS:
            self.flush_errors(err.file)
            kinds = self.kinds.setdefault(err.file, {})
        seen = kinds.setdefault(kind, [0, None, None])  # [errors of this kind, aggregate, its row id]
        seen[0] += 1
        if seen[0] <= ERRORS_PER_KIND:
            self.stats.errors.append(err)
            self._record(err)
            return
        agg = seen[1]
        if agg is not None:
            agg.count += 1
            agg.last_record = err.record
            if seen[2] is not None and agg.count % 1000 == 0:
                self._record(agg, seen[2])
            return
        seen[1] = agg = InputError(file=err.file, stage=err.stage, record=err.record, last_record=err.record,
                                   reason=f"{err.reason} (and more of this kind: count and last_record say "
                                          "how many and up to where)", hint=err.hint)
        self.stats.errors.append(agg)
        seen[2] = self._record(agg)

    def flush_errors(self, file: str | None = None) -> None:
        """Write the counts of the aggregated errors of ``file`` (default: all) and forget them."""
        for key in [file] if file is not None else list(self.kinds):
            for _, agg, row_id in self.kinds.pop(key, {}).values():
                if agg is not None and row_id is not None:
                    self._record(agg, row_id)

    def _record(self, err: InputError, row_id: int | None = None) -> int | None:
        # An exception while recording an error never ends the run (issue #18: a lone surrogate
        # in a JSON key crashed it at the same record on every re-run).
        try:
            if row_id is not None:
                self.store.update_error(row_id, count=err.count, last_record=err.last_record)
                return row_id
            return self.store.record_error(self.stats.run_id, err)
        except sqlite3.DatabaseError:
            raise  # the database itself is failing (disk full ...): analyze says so and stops
        except Exception as exc:  # noqa: BLE001
            with contextlib.suppress(Exception):
                return self.store.record_error(self.stats.run_id, InputError(
                    file=printable(str(err.file)), stage=err.stage, record=err.record and printable(str(err.record)),
                    reason=printable(str(err.reason)) + f" (recording it failed: {type(exc).__name__})",
                    hint=printable(str(err.hint)), count=err.count))
            return None

    def read_input(self, f: Any) -> None:
        """Read, clean and queue the articles of one input file (skipped if done by an earlier run)."""
        store, stats = self.store, self.stats
        if f.path != "-" and store.file_done(f.path, f.size, f.mtime):
            stats.files_skipped += 1
            return
        if f.format not in ("missing", "unreadable"):  # not a file read (issue #17); read_file reports it
            stats.files += 1
        p = self.pending.setdefault(f.path, _Pending(f.path, f.size, f.mtime, f.format))
        t0 = time.perf_counter()
        store.clear_errors_for(f.path)
        items = (iter_clean(f, settings=self.settings) if self.reader is None or f.path == "-"
                 else read_in_child(self.reader, iter_clean, f, settings=self.settings))
        for item in items:
            if isinstance(item, InputError):
                if item.stage != "limit":
                    p.failed = True
                self.error(item)
                continue
            article, raw = item
            p.articles += 1
            if store.has_article(article.id) or any(it[0].id == article.id for it in self.batch):
                store.add_source(article.id, article.source, raw.file or f.path, stats.run_id)
                stats.articles_seen += 1
                continue
            p.outstanding += 1
            # a batch is bounded by its characters too (parsing takes ~3 KB a character, issue
            # #18): a long article goes alone
            if self.batch and self.batch_chars + len(article.text) > self.settings.batch_chars:
                self._add_time("ingest+clean", t0)
                self.flush()
                t0 = time.perf_counter()
            self.batch.append((article, raw, f.path))
            self.batch_chars += len(article.text)
            if len(self.batch) >= self.settings.batch_size or self.batch_chars >= self.settings.batch_chars:
                self._add_time("ingest+clean", t0)
                self.flush()
                t0 = time.perf_counter()
        self._add_time("ingest+clean", t0)
        self.flush_errors(f.path)
        p.read_done = True
        self.finish_files()

    def flush(self, force: bool = False) -> None:
        """Annotate the batch (here, or queued to the pool); write what has come back."""
        if self.batch:
            items, self.batch, self.batch_chars = self.batch, [], 0
            if self.pool is None:
                t0 = time.perf_counter()
                results = annotate_batch([it[0] for it in items], settings=self.settings)
                self._add_time("annotate", t0)
                self.write_results(items, results)
            else:
                self.in_flight.append((self.pool.submit([it[0] for it in items]), items))
        # Keep at most 2 batches per worker in flight: memory stays flat.
        while self.in_flight and (force or len(self.in_flight) > 2 * self.settings.jobs):
            fut, items = self.in_flight.pop(0)
            self.write_results(items, fut.result())

    def write_results(self, items: list[tuple[Article, RawArticle, str]],
                      results: list[Annotations | InputError]) -> None:
        t0 = time.perf_counter()
        stats = self.stats
        if not self.link_pending:  # before the first article: a kill from here on leaves it unlinked
            self.store.set_link_status(stats.run_id, "pending")
            self.link_pending = True
        for (article, raw, key), ann in zip(items, results):
            if isinstance(ann, InputError):
                self.error(ann)
                ann = Annotations()
            if self.store.write_article(article, ann, file=raw.file or key, run_id=stats.run_id):
                stats.articles_added += 1
            else:
                stats.articles_seen += 1
            self.pending[key].outstanding -= 1
        self._add_time("store", t0)
        if self.progress:  # article by article too: one file may hold millions (a JSONL dump)
            self.progress("articles", stats.articles_added + stats.articles_seen, None)
        self.finish_files()

    def finish_files(self) -> None:
        """Mark the files whose articles are all read and written as done."""
        for key in [k for k, p in self.pending.items() if p.read_done and p.outstanding == 0]:
            p = self.pending.pop(key)
            if p.file != "-":
                self.store.mark_file(p.file, size=p.size, mtime=p.mtime, fmt=p.fmt,
                                     run_id=self.stats.run_id, articles=p.articles,
                                     status="error" if p.failed else "done")


def analyze(paths: Iterable[str], db_path: str, *, settings: Settings | None = None,
            progress: Callable[[str, int, int | None], None] | None = None,
            relink: bool = False) -> RunStats:
    """Run the whole pipeline over input paths into a SQLite database.

    Args:
        paths: files, folders (recursive) or "-" for stdin.
        db_path: the SQLite database (created if missing).
        settings: see :class:`newstrace.config.Settings`.
        progress: called as ``progress(phase, done, total)``: phase ``analyze`` counts input
            files (of ``total``), ``articles`` the articles stored or found already stored so
            far (``total`` None), ``link`` marks the start of linking.
        relink: re-run the link stage even if no article was added, in full (the MinHash
            signatures stored by earlier runs are computed again too).
    Returns:
        RunStats; ``stats.errors`` lists every bad input (also stored in the ``errors`` table).
    Raises:
        DatabaseBusy: another analyze run holds the database.
        ModelNotInstalled: the English pipeline is missing.
        NewstraceError: the folder of ``db_path`` does not exist, or the metadata table
            (``settings.metadata``) cannot be read or has no key column.

    >>> stats = analyze(["examples/"], "story.db")  # doctest: +SKIP
    >>> stats.articles_added  # doctest: +SKIP
    5
    """
    settings = settings or Settings()
    paths = list(paths)
    folder = Path(db_path).resolve().parent
    if not folder.is_dir():  # issue #17: was a FileNotFoundError traceback on the .lock file
        raise NewstraceError(f"{db_path}: the folder {folder} does not exist. Create it "
                             f"(mkdir -p {folder}) or choose another database path.")
    # the metadata table is read first, to fail early and to report its bad rows once (child
    # processes read it again, once each)
    table = metadata_table(settings.metadata)
    started = time.perf_counter()
    stats = RunStats()
    if settings.jobs > 1:  # the worker processes load the model: only check it is there
        resolve_model_name(settings.model)
    else:
        load_nlp(settings.model)  # fail early and clearly if the model is missing
    store = open_store(db_path)
    run_status = "interrupted"
    pool = run = None
    link_pending = store.link_pending()  # an earlier run stored articles it did not link (killed)
    old_term = _stop_on_sigterm()
    try:
        # --jobs N: N child processes (workers.py), loading the model from here on; one that
        # crashes or stalls past its budget is killed and costs only its article (issue #7)
        pool = ChildPool(settings.jobs, settings=settings) if settings.jobs > 1 else None
        stats.run_id = store.start_run(settings=asdict(settings), inputs=paths, version=__version__)
        inputs = list(list_inputs(paths, follow_symlinks=settings.follow_symlinks,
                                  skipped=stats.unknown_files))
        total = len(inputs)
        run = _Run(store, stats, settings=settings, pool=pool, progress=progress)
        if table is not None:
            _report_metadata(run, table, inputs)
        for n, f in enumerate(inputs, start=1):
            if progress:
                progress("analyze", n - 1, total)
            run.read_input(f)
        run.flush(force=True)
        run.flush_errors()
        if pool is not None:
            pool.close()  # before linking: the children hold a parsed model each
        if progress:
            progress("analyze", total, total)
        if stats.articles_added or relink or link_pending or not store.db["stories"].count:
            t0 = time.perf_counter()
            if progress:
                progress("link", 0, None)
            link_database(store, settings=settings, progress=progress, relink=relink)
            store.set_link_status(stats.run_id, "done")
            stats.linked = True
            stats.stage_seconds["link"] = time.perf_counter() - t0
        run_status = "failed" if stats.failed else "ok"
    except sqlite3.DatabaseError as exc:  # disk full, read-only, corrupt: say so, not a traceback
        raise storage_error(db_path, exc) from exc
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
        if pool is not None:
            pool.close()
        if run is not None and run.reader is not None:
            run.reader.close()
        if run is not None:
            with contextlib.suppress(Exception):
                run.flush_errors()
        if stats.run_id:
            stats.seconds = time.perf_counter() - started
            with contextlib.suppress(Exception):
                store.finish_run(stats.run_id, status=run_status, files=stats.files,
                                 articles_added=stats.articles_added,
                                 articles_seen=stats.articles_seen, errors=stats.error_count,
                                 stage_seconds=stage_seconds(stats))
        store.close()
    return stats


def _report_metadata(run: _Run, table: MetadataTable, inputs: list[Any]) -> None:
    """Record the metadata table's bad rows, and one notice for its rows that match no input."""
    run.store.clear_errors_for(table.path)  # this run reports them anew
    for err in metadata_report(table, [f.path for f in inputs]):
        run.error(err)
    run.flush_errors(table.path)


def metadata_report(table: MetadataTable, paths: list[str]) -> list[InputError]:
    """What a run says about its metadata table: the rows that do not parse (errors, stage
    ``metadata``) and one notice (stage ``metadata_unmatched``) for the rows no input in ``paths``
    matches. Both backends record these."""
    out = list(table.errors)
    unmatched = table.unmatched(paths)
    if unmatched:
        shown = ", ".join(unmatched[:3]) + (", ..." if len(unmatched) > 3 else "")
        out.append(InputError(file=table.path, stage="metadata_unmatched",
                              reason=f"{len(unmatched):,} of its {len(table.rows):,} rows match no input file ({shown})",
                              hint=f"keys (column {table.key_column!r}) match an input's path, name or name without "
                                   "extension; rows of files not given are not used"))
    return out


_TABLE: dict[tuple[str, int, int], MetadataTable] = {}  # the metadata table this process has read


def metadata_table(path: str) -> MetadataTable | None:
    """The metadata table at ``path`` (None for ""), read once per process while it is unchanged."""
    if not path:
        return None
    try:
        st = os.stat(path)
    except OSError as exc:
        raise NewstraceError(f"{path}: cannot read the metadata file ({exc.strerror or exc}). "
                             "Check the path, or run without --metadata.") from exc
    key = (os.path.abspath(path), st.st_size, st.st_mtime_ns)
    if key not in _TABLE:
        _TABLE.clear()
        _TABLE[key] = read_metadata(path)
    return _TABLE[key]


def _stop_on_sigterm() -> Any:
    """SIGTERM stops a run as Ctrl-C does (the run is marked interrupted with its counts, issue
    #18); returns the previous handler, or None when not in the main thread (no signals there)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"stopped by signal {signum}")

    return signal.signal(signal.SIGTERM, stop)


def stage_seconds(stats: RunStats) -> dict[str, float]:
    """Seconds each stage of a run took, as ``runs.stage_seconds`` records them: ``read`` (input
    reading and cleaning), ``annotate``, ``store`` and ``link`` (0 when it did not run), issue #16."""
    t = stats.stage_seconds
    return dict(read=t.get("ingest+clean", 0.0), annotate=t.get("annotate", 0.0), store=t.get("store", 0.0),
                link=t.get("link", 0.0), **{k: v for k, v in t.items()
                                            if k not in ("ingest+clean", "annotate", "store", "link")})


def iter_clean(f: Any, *, settings: Settings) -> Iterator[tuple[Article, RawArticle] | InputError]:
    """Read one input file and clean each article in it; bad input comes out as InputError.

    Shared by the local pipeline and the cluster backend. An over-long article is truncated and
    reported with ``stage="limit"`` (the article itself is still yielded). With
    ``settings.metadata``, each cleaned article's empty date, outlet, title, URL and authors are
    filled from its file's row of that table (``ingest.apply_metadata``).
    """
    budget = settings.max_seconds_per_article
    load_language_model()  # once per process, outside the articles' time budgets
    table = metadata_table(settings.metadata)
    items = read_file(f, settings=settings)
    while True:
        # Reading one article counts against its budget too: HTML extraction can stall on a
        # hostile page (thousands of unclosed tags or attributes on one tag).
        try:
            with time_limit(budget):
                item = next(items, None)
        except Timeout:
            yield InputError(file=f.path, stage="limit",
                             reason=f"reading took longer than {budget:g} s (max_seconds_per_article): "
                                    "the rest of the file is skipped",
                             hint="the file is probably malformed or hostile; check it, or raise "
                                  "max_seconds_per_article and touch the file to read it again")
            return
        if item is None:
            return
        if isinstance(item, InputError):
            yield item
            continue
        # Cleaning (and storing raw_text) never sees more than twice the article limit, so
        # a 200 MB single-line file costs no more than a long article.
        raw_cut = len(item.text) > 2 * settings.max_article_chars
        if raw_cut:
            item = _replace(item, text=item.text[:2 * settings.max_article_chars])
        try:
            with time_limit(settings.max_seconds_per_article):
                article = clean_article(item)
        except Timeout:
            yield InputError(file=item.source, stage="limit",
                             reason=f"cleaning took longer than {settings.max_seconds_per_article:g} s "
                                    "(max_seconds_per_article): the article is skipped",
                             hint="raise max_seconds_per_article and touch the file to read it again")
            continue
        except Exception as exc:  # a cleaning bug must not cost the run
            yield InputError(file=item.source, stage="clean",
                             reason=f"cleaning failed: {type(exc).__name__}: {exc}",
                             hint="please report this with the input file")
            continue
        # the table fills what the input and the text leave empty; it never changes the text (nor the id)
        article = apply_metadata(article, table, file=item.file or f.path)
        if not article.text.strip():
            yield InputError(file=item.source, stage="clean",
                             reason="no article text left after cleaning",
                             hint="check that the file holds an article (HTML pages need a main text)")
            continue
        if raw_cut or len(article.text) > settings.max_article_chars:
            yield InputError(file=item.source, stage="limit",
                             reason=f"article text longer than {settings.max_article_chars} "
                                    "characters (max_article_chars): only the start is stored and annotated",
                             hint="to keep all of it, raise max_article_chars and analyze it into a new database")
            if len(article.text) > settings.max_article_chars:
                article = _truncate(article, settings.max_article_chars)
        yield article, item


def _truncate(article: Article, limit: int) -> Article:
    cut = article.text.rfind("\n\n", 0, limit)
    cut = cut if cut > limit // 2 else limit
    return _replace(article, text=article.text[:cut])


SNAPSHOT_GROWTH = 0.1  # a term-weight snapshot serves until the corpus has grown by this share (issue #16)


def link_database(store: Any, *, settings: Settings,
                  progress: Callable[[str, int, int | None], None] | None = None, relink: bool = False,
                  reuse: bool = True, max_growth: float = SNAPSHOT_GROWTH) -> Any:
    """Run the link stage over everything stored and write its tables (replacing old ones).

    Args:
        store: an open writer :class:`~newstrace.store.db.Store`.
        settings: the run's settings.
        progress: called as ``progress(phase, done, total)`` (``link_articles``).
        relink: compute everything again, stored MinHash signatures included (``analyze --relink``).
            Otherwise the signatures stored by earlier runs with the same MinHash settings are
            reused and only new articles' are computed: the same result (issue #16). A relink
            also takes a new term-weight snapshot (``link_snapshot``); otherwise the stored one
            is used until the corpus has grown by more than ``max_growth``, and the pair
            verdicts stored under it are reused: only pairs with a new article are classified.
        reuse: False computes every signature and verdict again but keeps the stored snapshot:
            the full link that an incremental one equals.
        max_growth: the share of articles added since the snapshot above which a new one is taken.
    Returns:
        The :class:`~newstrace.link.LinkResult`.
    """
    # texts are read on demand, not all held: what lets 1M articles link on one machine (issue #5)
    # and claims are read once the stories are known: only those of changed stories (issue #16)
    inputs = store.load_link_inputs(texts=False, claims=False)

    def stored(read: Callable[..., Any]) -> Any:  # what earlier runs stored, unless it is all computed again
        return functools.partial(read, store) if reuse and not relink else None

    result = link_articles(inputs.pop("articles"), quotes=inputs["quotes"], claims_of=inputs["claims_of"],
                           local_entities=inputs["local_entities"],
                           attributions=inputs["attributions"],
                           existing_stories=inputs["existing_stories"], settings=settings,
                           text_of=inputs["text_of"], progress=progress,
                           stored_minhash=stored(stored_minhash),
                           term_snapshot=None if relink else stored_terms(store, max_growth=max_growth),
                           stored_pairs=stored(stored_pairs),
                           stored_features=stored(stored_features),
                           stored_quote_scores=stored(stored_quote_scores),
                           stored_quote_groups=stored(stored_quote_groups),
                           stored_quote_words=stored(stored_quote_words),
                           stored_link_schemes=stored(stored_link_schemes),
                           stored_neighbours=stored(stored_neighbours),
                           stored_entity_weights=stored(stored_entity_weights),
                           stored_entity_sigs=stored(stored_entity_sigs),
                           stored_entity_names=stored(stored_entity_names),
                           stored_entity_terms=stored(stored_entity_terms))
    store.write_link_result(result)
    return result
