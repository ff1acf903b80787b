"""The newstrace command line: a thin layer over the library.

Data goes to stdout, progress and diagnostics to stderr. Exit codes: 0 success, 1 some inputs
failed (the run still stored everything else), 2 usage error.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from .config import load_settings
from .distributed import analyze_to_shards, merge_shards
from .errors import NewstraceError
from .ingest.formats import KNOWN
from .models import ACTS, FORMS
from .pipeline import NOTICE_STAGES
from .pipeline import analyze as run_analyze
from .pipeline import metadata_table
from .present import serve as run_serve
from .present import write_report
from .sanitize import printable
from .store import EXPORT_COLUMNS, TABLES, iter_export, open_store, queries
from .version import __version__

CONTEXT_SETTINGS = dict(help_option_names=["-h", "--help"])
EXPORT_FORMATS = ("json", "jsonl", "csv")


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="newstrace")
def cli() -> None:
    """Turn news articles into a sourced, cross-checked record of a story.

    \b
    Example:
        newstrace analyze examples/ --db story.db
        newstrace report story.db -o report/
        newstrace export story.db --format json > story.json
    """


# What each progress phase does, as a person reads it (issue #17: "link: 0 / ?" said nothing).
PHASE_LABELS = {
    "analyze": "files read",
    "articles": "articles stored",
    "link": "linking across the database (stories, copies, quote groups, figures)",
    "cluster": "cluster tasks done",
    "merge": "shards merged",
}
# Without a terminal, a line at least this often (seconds), so a redirected log shows the run moving.
PROGRESS_INTERVAL = 30.0


class Progress:
    """Progress on stderr: a live bar on a terminal; otherwise a line at least every
    ``interval`` seconds (and every 500 articles) with what is done, the rate and the time left;
    JSON lines with --log-json; nothing with --quiet."""

    def __init__(self, quiet: bool, log_json: bool, *, interval: float = PROGRESS_INTERVAL):
        self.quiet, self.log_json, self.interval = quiet, log_json, interval
        self._bar = None
        self._tasks: dict[str, Any] = {}  # phase -> its bar
        self._printed: dict[str, int] = {}  # phase -> count last printed (no bar: stderr lines)
        self._state: dict[str, tuple[int, int | None, float, float]] = {}  # phase -> done, total, start, now
        self._last_line = time.monotonic()
        self._last_phase: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        if quiet or log_json:
            return
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            from rich.console import Console

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self._bar.start()
        else:  # a line every interval even while one long step (a big batch, a link phase) runs
            self._ticker = threading.Thread(target=self._tick, name="newstrace-progress", daemon=True)
            self._ticker.start()

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if self.quiet:
            return
        if self.log_json:
            click.echo(json.dumps({"event": "progress", "phase": phase, "done": done, "total": total}), err=True)
            return
        now = time.monotonic()
        with self._lock:
            if phase in self._state:
                start = self._state[phase][2]
            else:  # articles are counted from the start of reading, not from the first one stored
                start = self._state["analyze"][2] if phase == "articles" and "analyze" in self._state else now
            self._state[phase] = (done, total, start, now)
            self._last_phase = phase
        if self._bar is not None:
            if phase not in self._tasks:
                self._tasks[phase] = self._bar.add_task(self.label(phase), total=total)
            self._bar.update(self._tasks[phase], completed=done, total=total)
        elif (phase not in self._printed or (total and done == total) or done - self._printed[phase] >= 500
              or now - self._last_line >= self.interval):
            self._line(phase)

    @staticmethod
    def label(phase: str) -> str:
        """A phase's name as a person reads it."""
        head, _, rest = phase.partition(": ")
        return f"{head}: {rest}" if rest else PHASE_LABELS.get(phase, phase)

    def status(self, phase: str) -> str:
        """One line: done (of total), rate and time left of a phase."""
        done, total, start, _ = self._state[phase]
        if not done and not total:
            return f"{self.label(phase)} ..."
        text = f"{self.label(phase)}: {done:,}" + (f"/{total:,} ({100 * done // total}%)" if total else "")
        elapsed = time.monotonic() - start
        if elapsed >= min(1.0, self.interval) and done:
            rate = done / elapsed
            text += f", {rate:.1f}/s"
            if total and done < total:
                text += f", about {_duration((total - done) / rate)} left"
        if phase == "analyze" and "articles" in self._state:
            text += f"; {self._state['articles'][0]:,} articles stored"
        return text

    def _line(self, phase: str) -> None:
        with self._lock:
            done = self._state[phase][0]
            self._printed[phase] = done
            self._last_line = time.monotonic()
            line = self.status(phase)
        click.echo(line, err=True)

    def _tick(self) -> None:
        while not self._stop.wait(min(self.interval, 5.0) / 2):
            if self._last_phase and time.monotonic() - self._last_line >= self.interval:
                phase = "analyze" if "analyze" in self._state and not self._last_phase.startswith(
                    ("link", "cluster", "merge")) else self._last_phase
                self._line(phase)

    def stop(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=5)
            self._ticker = None
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _duration(seconds: float) -> str:
    """'40 s', '12 min', '3.5 h'."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _kind(stage: str) -> str:
    """How an error row is shown: an article skipped for its language is a notice (issue #17)."""
    return "notice" if stage in NOTICE_STAGES else "error"


def _error_line(stage: str, file: str, record: str | None, reason: str, count: int | None,
                last_record: str | None, hint: str | None = None) -> str:
    """One error row as ``analyze`` and ``stats`` print it: kind, where, reason, hint, and how many
    more records of the kind it stands for (issue #18)."""
    more = f" [{count} records of this kind, the last {last_record}]" if (count or 1) > 1 else ""
    return (f"{_kind(stage)}: {file}{'#' + record if record else ''}: {reason}"
            + (f" ({hint})" if hint else "") + more)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--db", "db_path", default="newstrace.db", show_default=True,
              type=click.Path(dir_okay=False), help="SQLite database to create or add to.")
@click.option("--model", default=None, help="Installed spaCy pipeline (default: auto).")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None,
              help="Worker processes for parsing and annotation.")
@click.option("--max-file-bytes", type=click.IntRange(1), default=None,
              help="Refuse input files larger than this.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="A newstrace.toml settings file.")
@click.option("--relink", is_flag=True, help="Re-run the cross-article stage in full, even if nothing was added (nothing reused from earlier runs).")
@click.option("--follow-symlinks", is_flag=True, default=None,
              help="Also read symlinks in input folders that lead out of them (never /proc, /sys, /dev).")
@click.option("--metadata", "metadata", type=click.Path(dir_okay=False, exists=True), default=None,
              help="A CSV or TSV table (header row) of the inputs' date, outlet, title, url, author, "
                   "keyed by file name or stem (column filename, file, path, name or id); fills what the inputs leave empty.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False), default=None,
              help="Also write the static report to this folder.")
@click.option("--backend", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: this machine (--jobs processes); dask: a Dask cluster, via Parquet shards.")
@click.option("--scheduler", default=None,
              help="Dask scheduler address (tcp://HOST:8786); default: a local cluster.")
@click.option("--shards", "shard_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the dask backend's Parquet shards (default: DB path + '.shards').")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.option("--log-json", is_flag=True, help="Progress and errors as JSON lines on stderr.")
def analyze(paths: tuple[str, ...], db_path: str, model: str | None, jobs: int | None,
            max_file_bytes: int | None, config_file: str | None, relink: bool, follow_symlinks: bool | None,
            metadata: str | None, report_dir: str | None, backend: str, scheduler: str | None, shard_dir: str | None,
            quiet: bool, log_json: bool) -> None:
    """Read articles from PATHS (files, folders, - for stdin) into the database.

    Re-running on the same input adds nothing; new files in a folder are processed alone.

    \b
    Example:
        newstrace analyze examples/ --db story.db
        newstrace analyze corpus/text/ --metadata corpus/metadata.tsv --db corpus.db
    """

    try:
        settings = load_settings(dict(model=model, jobs=jobs, max_file_bytes=max_file_bytes,
                                      follow_symlinks=follow_symlinks or None, metadata=metadata),
                                 config_file=config_file)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    progress = Progress(quiet, log_json)
    try:
        if backend == "dask":
            stats = _analyze_dask(paths, db_path, settings, scheduler, shard_dir, progress)
        else:
            stats = run_analyze(paths, db_path, settings=settings, progress=progress, relink=relink)
    except NewstraceError as exc:
        progress.stop()
        raise click.ClickException(str(exc)) from exc
    finally:
        progress.stop()
    # issue #17: an article skipped for its language is stored and is no failure: a notice, not an error
    notices = stats.notice_count
    for err in stats.errors:
        kind = _kind(err.stage)
        if log_json:  # json.dumps escapes control characters; surrogates are made storable
            click.echo(json.dumps({"event": kind, "file": printable(err.file), "record": err.record and printable(err.record),
                                   "stage": err.stage, "reason": printable(err.reason), "hint": printable(err.hint),
                                   "count": err.count, "last_record": err.last_record and printable(err.last_record)}),
                       err=True)
        else:  # escape codes in a file name or field must not reach the terminal (issue #18)
            click.echo(printable(_error_line(err.stage, err.file, err.record, err.reason, err.count, err.last_record,
                                             err.hint)), err=True)
    summary = (f"{_n(stats.articles_added, 'article')} added, {stats.articles_seen} already stored, "
               f"{_n(stats.files, 'file')} read, {_n(stats.files_skipped, 'unchanged file')} skipped, "
               + (f"{_n(len(stats.unknown_files), 'file')} of unknown type skipped ({_extensions(stats.unknown_files)}), "
                  if stats.unknown_files else "")
               + f"{_n(stats.error_count - notices, 'error')}"
               + (f", {_n(notices, 'notice')}" if notices else "")
               + f" in {stats.seconds:.1f} s -> {printable(db_path)}")
    nothing_read = not stats.files and not stats.files_skipped
    if log_json:
        click.echo(json.dumps({"event": "done", "db": printable(db_path), "articles_added": stats.articles_added,
                               "articles_seen": stats.articles_seen, "files": stats.files,
                               "unknown_files": len(stats.unknown_files),
                               "errors": stats.error_count - notices, "notices": notices,
                               "seconds": round(stats.seconds, 3)}), err=True)
    elif not quiet:
        click.echo(summary, err=True)
    if nothing_read:  # issue #17: a run that read nothing says so and fails
        click.echo(printable(f"error: nothing read from {' '.join(paths)}: no file newstrace reads was found "
                             f"(it reads {KNOWN})"), err=True)
    if report_dir:

        index = write_report(db_path, report_dir)
        if not quiet:
            click.echo(f"report: {index}", err=True)
    if stats.failed or nothing_read:
        sys.exit(1)


def _n(count: int, noun: str) -> str:
    """'1 file', '2 files'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _extensions(files: list[str]) -> str:
    """The extensions of skipped files, most frequent first: '.pdf 3, .docx 1'."""
    exts = Counter(os.path.splitext(f)[1].lower() or "no extension" for f in files)
    return ", ".join(f"{e} {n}" for e, n in exts.most_common(5)) + (", ..." if len(exts) > 5 else "")


def _check_database(db_path: str) -> None:
    """A clear message, not a traceback, for a file that is not a newstrace database (issue #17)."""
    try:
        queries.connect(db_path).close()
    except NewstraceError as exc:
        raise click.ClickException(str(exc)) from exc


@contextlib.contextmanager
def _stdout_reader_may_stop() -> Iterator[None]:
    """Stop quietly, exit code 0, when the reader of stdout goes away (``| head``), as Unix tools do."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # the interpreter flushes stdout again at exit: point it at /dev/null so that is quiet too
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


def _analyze_dask(paths, db_path, settings, scheduler, shard_dir, progress):
    shard_dir = shard_dir or db_path + ".shards"
    if settings.metadata:  # an unreadable table stops here with its message, not in every worker
        metadata_table(settings.metadata)  # read once: analyze_to_shards takes it from the cache
    skip = None
    if Path(db_path).exists():
        with open_store(db_path) as store:
            done = {r["path"]: (r["size"], r["mtime"]) for r in store.rows("files", where="status = 'done'")}
        skip = lambda f: done.get(f.key) == (f.size, f.mtime)  # noqa: E731  (a file or a piece)
    analyze_to_shards(paths, shard_dir, settings=settings, scheduler=scheduler, skip=skip,
                      progress=progress)
    return merge_shards(shard_dir, db_path, settings=settings, progress=progress)


@cli.command()
@click.argument("shard_dir", type=click.Path(file_okay=False, exists=True))
@click.option("--db", "db_path", default="newstrace.db", show_default=True,
              type=click.Path(dir_okay=False), help="SQLite database to load the shards into.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
def merge(shard_dir: str, db_path: str, quiet: bool) -> None:
    """Load Parquet shards written by `analyze --backend dask` into the database, then link.

    \b
    Example:
        newstrace merge story.db.shards --db story.db
    """

    progress = Progress(quiet, False)
    try:
        stats = merge_shards(shard_dir, db_path, settings=load_settings(), progress=progress)
    except NewstraceError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        progress.stop()
    if not quiet:  # a notice (an article skipped for its language, unmatched metadata) is no error
        notices = stats.notice_count
        click.echo(f"{stats.articles_added} articles added, {stats.articles_seen} already stored, "
                   f"{_n(stats.error_count - notices, 'error')}"
                   + (f", {_n(notices, 'notice')}" if notices else "") + f" -> {db_path}", err=True)
    if stats.failed:
        sys.exit(1)


@cli.command()
@click.argument("db_path", type=click.Path(dir_okay=False, exists=True))
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True,
              help="json: one object with a list per table; jsonl/csv: one table.")
@click.option("--table", "-t", "tables", multiple=True,
              help="Table(s) to export, any table `stats` lists (json: default the tables of the record; "
                   "jsonl/csv: exactly one, default articles).")
@click.option("--kind", "acts", multiple=True, type=click.Choice(ACTS),
              help="Quotes and attributions of this act only (repeatable): speech, or also what "
                   "sources believe (thought), want (intention), show (evidence) or decide (decision). "
                   "Negated reports ('did not say', 'declined to comment') are included: see --no-negated.")
@click.option("--no-negated", "no_negated", is_flag=True,
              help="Leave out quotes whose act is negated or refused ('did not say whether ...').")
@click.option("--form", "forms", multiple=True, callback=lambda ctx, param, value: _form_list(value),
              metavar="FORM[,FORM]",
              help="Quotes of this form only (repeatable or a comma list): clause (said the plan was dead, "
                   "urged him to resign, asked whether ...), noun_phrase (condemned the move, accused him "
                   "of fraud, his claim that ...: what was said about, not the words) or quoted (words in "
                   "quote marks, posts). A Quotebank-style quote list: --form clause,quoted. Indirect "
                   "quotes stored by a version before the form existed have none and are left out.")
@click.option("--children", is_flag=True,
              help="Also list quotes nested in another one (parent_id set: a quote inside a block "
                   "quote, a partial quote inside an indirect one). By default only top-level quotes.")
def export(db_path: str, fmt: str, tables: tuple[str, ...], acts: tuple[str, ...], no_negated: bool,
           forms: tuple[str, ...], children: bool) -> None:
    """Write the database's tables to stdout as JSON, JSON lines or CSV.

    Quotes are listed one record per quote: a quote broken by its cue has its pieces in
    ``parts``; a quote nested in another has ``parent_id`` and is listed with --children.

    \b
    Example:
        newstrace export story.db --format json > story.json
        newstrace export story.db --format csv --table quotes > quotes.csv
        newstrace export story.db --format jsonl -t quotes --kind speech --no-negated > speech.jsonl
        newstrace export story.db --format csv -t quotes --form clause,quoted > said.csv
    """
    names = list(tables) or (list(EXPORT_COLUMNS) if fmt == "json" else ["articles"])
    for name in names:
        if name not in TABLES:
            raise click.BadParameter(f"unknown table {name!r}; choose from: {', '.join(TABLES)}",
                                     param_hint="--table")
    if fmt != "json" and len(names) != 1:
        raise click.BadParameter(f"--format {fmt} exports one table; give exactly one --table",
                                 param_hint="--table")
    _check_database(db_path)
    try:
        store = open_store(db_path, writer=False)
    except NewstraceError as exc:
        raise click.ClickException(str(exc)) from exc
    out = sys.stdout

    def rows(name: str):
        return iter_export(store, name, acts=acts, children=children, negated=not no_negated, forms=forms)

    with _stdout_reader_may_stop(), contextlib.closing(store):
        if fmt == "json":
            # Streamed so that a large database does not have to fit in memory.
            out.write("{")
            for i, name in enumerate(names):
                out.write(("," if i else "") + "\n" + json.dumps(name) + ": [")
                for j, row in enumerate(rows(name)):
                    out.write(("," if j else "") + "\n  " + json.dumps(row, ensure_ascii=False))
                out.write("\n]")
            out.write("\n}\n")
        elif fmt == "jsonl":
            for row in rows(names[0]):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            writer = None
            for row in rows(names[0]):
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow({k: csv_cell(json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                                 for k, v in row.items()})


def _form_list(values: tuple[str, ...]) -> tuple[str, ...]:
    """The forms of ``--form`` options, each one form or a comma list ("clause,quoted"), checked
    against :data:`~newstrace.models.FORMS`."""
    out: list[str] = []
    for value in values:
        for form in filter(None, (v.strip() for v in value.split(","))):
            if form not in FORMS:
                raise click.BadParameter(f"unknown form {form!r}; choose from: {', '.join(FORMS)}",
                                         param_hint="--form")
            if form not in out:
                out.append(form)
    return tuple(out)


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or carriage
    return) gets a leading apostrophe, as OWASP advises against CSV injection (issue #18)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@cli.command()
@click.argument("db_path", type=click.Path(dir_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(db_path: str, as_json: bool) -> None:
    """Show row counts per table, the last run and its errors.

    \b
    Example:
        newstrace stats story.db
    """

    _check_database(db_path)
    try:
        store = open_store(db_path, writer=False)
    except NewstraceError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        counts = store.counts()
        last = next(store.rows("runs", where="1 order by id desc limit 1"), None)
        errors = list(store.rows("errors", columns="file, record, stage, reason, hint, count, last_record",
                                 where="run_id = ?", params=[last["id"]])) if last else []
    finally:
        store.close()
    data: dict[str, Any] = {"counts": counts, "last_run": last, "errors": errors}
    with _stdout_reader_may_stop():
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        width = max(map(len, counts))
        for name, n in counts.items():
            click.echo(f"{name:<{width}}  {n:>8}")
        if last:
            click.echo(f"\nlast run {last['id']}: {last['status']}, started {last['started']}, "
                       f"finished {last['finished'] or '-'}, {last['articles_added']} added, "
                       f"{last['articles_seen']} already stored, {last['errors']} errors")
            if last.get("stage_seconds"):
                click.echo("  seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in last["stage_seconds"].items()))
        for err in errors:
            click.echo(printable("  " + _error_line(err["stage"], err["file"], err["record"], err["reason"],
                                                    err["count"], err["last_record"])))


@cli.command()
@click.argument("db_path", type=click.Path(dir_okay=False, exists=True))
@click.option("--output", "-o", "out_dir", default="report", show_default=True,
              type=click.Path(file_okay=False), help="Folder to write the static site to.")
@click.option("--title", default=None, help="Title shown on the report's front page.")
def report(db_path: str, out_dir: str, title: str | None) -> None:
    """Write a static, self-contained HTML report of the database.

    \b
    Example:
        newstrace report story.db -o report/
    """

    try:
        index = write_report(db_path, out_dir, title=title)
    except NewstraceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(str(index))


@cli.command()
@click.argument("db_path", type=click.Path(dir_okay=False, exists=True))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; loopback unless you mean to share it.")
@click.option("--port", "-p", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option("--open", "open_browser", is_flag=True, help="Open a browser at the served page.")
def serve(db_path: str, host: str, port: int, open_browser: bool) -> None:
    """Browse the database in Datasette, with facets and canned queries.

    \b
    Example:
        newstrace serve story.db
    """

    try:
        run_serve(db_path, host=host, port=port, open_browser=open_browser)
    except NewstraceError as exc:
        raise click.ClickException(str(exc)) from exc


def main() -> None:  # pragma: no cover
    cli()


if __name__ == "__main__":  # pragma: no cover
    cli()
