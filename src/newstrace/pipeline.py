"""Orchestration: ingest -> clean -> annotate -> store, then link over the whole database.

Streaming: input files are read one at a time, articles are parsed in batches with
``nlp.pipe``, and each article is written in its own transaction as soon as it is annotated, so
an interrupted run keeps everything already written and a re-run picks up where it stopped.

With ``jobs > 1`` the batches are annotated in child processes (``workers.ChildPool``): a child
that dies or stalls past its time budget is killed and costs only the article it was on.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from dataclasses import replace as _replace
from typing import Any

from .budget import Timeout, time_limit
from .clean import clean_article
from .config import Settings
from .extract import annotate_batch
from .ingest import list_inputs, read_file
from .link import link_articles
from .models import Annotations, Article, InputError, RawArticle
from .nlp import load_nlp, resolve_model_name
from .store import open_store
from .version import __version__
from .workers import ChildPool


@dataclass
class RunStats:
    """What one ``analyze`` run did."""

    run_id: int = 0
    files: int = 0  # input files read in this run
    files_skipped: int = 0  # unchanged files processed by an earlier run
    articles_added: int = 0
    articles_seen: int = 0  # articles already stored (same text from another source or run)
    errors: list[InputError] = field(default_factory=list)
    linked: bool = False
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return bool(self.errors)


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
        self.in_flight: list[tuple[Any, list[tuple[Article, RawArticle, str]]]] = []

    def _add_time(self, stage: str, t0: float) -> None:
        self.timing[stage] = self.timing.get(stage, 0.0) + time.perf_counter() - t0

    def error(self, err: InputError) -> None:
        self.stats.errors.append(err)
        self.store.record_error(self.stats.run_id, err)

    def read_input(self, f: Any) -> None:
        """Read, clean and queue the articles of one input file (skipped if done by an earlier run)."""
        store, stats = self.store, self.stats
        if f.path != "-" and store.file_done(f.path, f.size, f.mtime):
            stats.files_skipped += 1
            return
        stats.files += 1
        p = self.pending.setdefault(f.path, _Pending(f.path, f.size, f.mtime, f.format))
        t0 = time.perf_counter()
        store.clear_errors_for(f.path)
        for item in iter_clean(f, settings=self.settings):
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
            self.batch.append((article, raw, f.path))
            if len(self.batch) >= self.settings.batch_size:
                self._add_time("ingest+clean", t0)
                self.flush()
                t0 = time.perf_counter()
        self._add_time("ingest+clean", t0)
        p.read_done = True
        self.finish_files()

    def flush(self, force: bool = False) -> None:
        """Annotate the batch (here, or queued to the pool); write what has come back."""
        if self.batch:
            items, self.batch = self.batch, []
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
        relink: re-run the link stage even if no article was added.
    Returns:
        RunStats; ``stats.errors`` lists every bad input (also stored in the ``errors`` table).
    Raises:
        DatabaseBusy: another analyze run holds the database.
        ModelNotInstalled: the English pipeline is missing.

    >>> stats = analyze(["examples/"], "story.db")  # doctest: +SKIP
    >>> stats.articles_added  # doctest: +SKIP
    5
    """
    settings = settings or Settings()
    paths = list(paths)
    started = time.perf_counter()
    stats = RunStats()
    if settings.jobs > 1:  # the worker processes load the model: only check it is there
        resolve_model_name(settings.model)
    else:
        load_nlp(settings.model)  # fail early and clearly if the model is missing
    store = open_store(db_path)
    run_status = "interrupted"
    pool = None
    try:
        # --jobs N: N child processes (workers.py), loading the model from here on; one that
        # crashes or stalls past its budget is killed and costs only its article (issue #7)
        pool = ChildPool(settings.jobs, settings=settings) if settings.jobs > 1 else None
        stats.run_id = store.start_run(settings=asdict(settings), inputs=paths, version=__version__)
        inputs = list(list_inputs(paths))
        total = len(inputs)
        run = _Run(store, stats, settings=settings, pool=pool, progress=progress)
        for n, f in enumerate(inputs, start=1):
            if progress:
                progress("analyze", n - 1, total)
            run.read_input(f)
        run.flush(force=True)
        if pool is not None:
            pool.close()  # before linking: the children hold a parsed model each
        if progress:
            progress("analyze", total, total)
        if stats.articles_added or relink or not store.db["stories"].count:
            t0 = time.perf_counter()
            if progress:
                progress("link", 0, None)
            link_database(store, settings=settings, progress=progress)
            stats.linked = True
            stats.stage_seconds["link"] = time.perf_counter() - t0
        run_status = "failed" if stats.errors else "ok"
    finally:
        if pool is not None:
            pool.close()
        if stats.run_id:
            stats.seconds = time.perf_counter() - started
            with contextlib.suppress(Exception):
                store.finish_run(stats.run_id, status=run_status, files=stats.files,
                                 articles_added=stats.articles_added,
                                 articles_seen=stats.articles_seen, errors=len(stats.errors),
                                 stage_seconds=stage_seconds(stats))
        store.close()
    return stats


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
    reported with ``stage="limit"`` (the article itself is still yielded).
    """
    budget = settings.max_seconds_per_article
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


def link_database(store: Any, *, settings: Settings,
                  progress: Callable[[str, int, int | None], None] | None = None) -> Any:
    """Run the link stage over everything stored and write its tables (replacing old ones)."""
    # texts are read on demand, not all held: what lets 1M articles link on one machine (issue #5)
    inputs = store.load_link_inputs(texts=False)
    result = link_articles(inputs.pop("articles"), quotes=inputs["quotes"], claims=inputs["claims"],
                           local_entities=inputs["local_entities"],
                           attributions=inputs["attributions"],
                           existing_stories=inputs["existing_stories"], settings=settings,
                           text_of=inputs["text_of"], progress=progress)
    store.write_link_result(result)
    return result
