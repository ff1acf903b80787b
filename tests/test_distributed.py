"""The dask backend gives the same database as a local run (a real LocalCluster, two workers)."""

from __future__ import annotations

import sqlite3

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
