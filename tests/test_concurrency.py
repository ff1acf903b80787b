"""Concurrency (issue 8): two ``newstrace analyze`` processes on one database at once.

Either both succeed or the second refuses with a clear message (the writer lock in
``store.db.Store._acquire_lock``); nothing is corrupted, no article is stored twice, and after the
refused run is repeated the database equals one made by running the two inputs one after the
other. Readers (``newstrace stats`` / ``export``) work while a run writes.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

BUSY = "another newstrace process is writing to this database"


def _rows(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _analyze(inputs: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "newstrace", "analyze", str(inputs), "--db", str(db), "--quiet"]


def _content(db: Path) -> dict[str, list[tuple]]:
    """What a run leaves, without run ids and timestamps."""
    return {
        "articles": _rows(db, "select id, source, title, published, text from articles order by id"),
        "sources": _rows(db, "select source, article_id from sources order by source"),
        "quotes": _rows(db, "select id, kind, text, speaker, cue, start, [end] from quotes order by id"),
        "mentions": _rows(db, "select id, text, label, start from mentions order by id"),
        "claims": _rows(db, "select id, text, value from claims order by id"),
        "stories": _rows(db, "select id, article_ids from stories order by id"),
        "links": _rows(db, "select a, b, kind from links order by a, b"),
    }


def _check(db: Path) -> None:
    assert _rows(db, "pragma integrity_check") == [("ok",)]
    n, distinct = _rows(db, "select count(*), count(distinct id) from articles")[0]
    assert n == distinct
    assert _rows(db, "select count(*) from quotes where article_id not in (select id from articles)") == [(0,)]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, examples_dir, corpus_dir):
    root = tmp_path_factory.mktemp("conc")
    a, b = root / "a", root / "b"
    shutil.copytree(examples_dir, a)
    b.mkdir()
    for p in sorted((corpus_dir / "bbc" / "politics").glob("*.txt"))[200:208]:
        shutil.copy(p, b / p.name)
    shutil.copy(a / "000_3aafa46bbadb6af6.txt", b / "same-as-an-example.txt")  # overlap
    return a, b


@pytest.fixture(scope="module")
def sequential(inputs, tmp_path_factory):
    """The database of running the inputs one after the other, in a given order."""
    made: dict[tuple[str, ...], dict] = {}

    def make(order: tuple[str, ...]) -> dict:
        if order not in made:
            db = tmp_path_factory.mktemp("seq") / "seq.db"
            for folder in order:
                res = subprocess.run(_analyze(Path(folder), db), capture_output=True, text=True, timeout=300)
                assert res.returncode == 0, res.stderr[-2000:]
            made[order] = _content(db)
        return made[order]

    return make


def _order(db: Path) -> tuple[str, ...]:
    """The inputs of the runs that wrote the database, in the order they took the lock."""
    return tuple(json.loads(inputs)[0] for (inputs,) in _rows(db, "select inputs from runs order by id"))


def _run_pair(first: list[str], second: list[str]) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for cmd in (first, second)]
    results = []
    for cmd, proc in zip((first, second), procs):
        out, err = proc.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(cmd, proc.returncode, out, err))
    return results


def _outcome(results: list[subprocess.CompletedProcess]) -> list[str]:
    """'ok' or 'refused' per process; anything else fails the test."""
    out = []
    for res in results:
        if res.returncode == 0:
            out.append("ok")
        else:
            assert res.returncode == 1 and BUSY in res.stderr, res.stderr[-2000:]
            assert "Wait for it to finish, or use another --db" in res.stderr
            assert "Traceback" not in res.stderr
            out.append("refused")
    assert "ok" in out, "neither run succeeded"
    return out


def test_concurrency_two_runs_same_db_one_refused_or_both_ok(inputs, sequential, tmp_path):
    a, b = inputs
    db = tmp_path / "both.db"
    results = _run_pair(_analyze(a, db), _analyze(b, db))
    outcome = _outcome(results)
    _check(db)
    for res, folder, status in zip(results, (a, b), outcome):
        if status == "refused":  # the refused run, repeated, does all its work
            again = subprocess.run(_analyze(folder, db), capture_output=True, text=True, timeout=300)
            assert again.returncode == 0, again.stderr
    _check(db)
    assert sorted(_order(db)) == sorted([str(a), str(b)])
    # the same database as running them one after the other, in the order they got the lock
    assert _content(db) == sequential(_order(db))


def test_concurrency_same_input_twice_at_once_stores_each_article_once(inputs, tmp_path):
    a, _ = inputs
    db = tmp_path / "same.db"
    outcome = _outcome(_run_pair(_analyze(a, db), _analyze(a, db)))
    _check(db)
    assert _rows(db, "select count(*) from articles") == [(5,)]
    assert _rows(db, "select count(*) from sources") == [(5,)]
    if "refused" in outcome:
        assert _rows(db, "select count(*) from runs") == [(1,)]  # the refused run left no trace


def test_concurrency_db_reached_through_another_path_is_refused(inputs, tmp_path):
    """The lock follows the real file: the database reached by a symlink or a relative path is
    the same database, and a run through it is refused while another process writes."""
    from newstrace.store import open_store

    a, _ = inputs
    db = tmp_path / "real.db"
    (tmp_path / "alias").mkdir()
    (tmp_path / "alias" / "other-name.db").symlink_to(db)
    with open_store(db):  # this test process is the writer now
        for path, cwd in (("alias/other-name.db", tmp_path), ("alias/../real.db", tmp_path),
                          (str(tmp_path / "alias" / "other-name.db"), None)):
            res = subprocess.run(_analyze(a, Path(path)), capture_output=True, text=True, timeout=300, cwd=cwd)
            assert res.returncode == 1 and BUSY in res.stderr, (path, res.stderr[-2000:])
    assert _rows(db, "select count(*) from runs") == [(0,)]
    res = subprocess.run(_analyze(a, tmp_path / "alias" / "other-name.db"), capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]  # once the writer is gone
    _check(db)
    assert _rows(db, "select count(*) from articles") == [(5,)]


def _runs_started(db) -> bool:
    """A run row exists; before the writer's schema transaction commits the file exists but has
    no tables yet (the schema is created in one transaction, so a reader never sees half of it)."""
    try:
        return bool(_rows(db, "select count(*) from runs")[0][0])
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return False
        raise


def test_concurrency_readers_work_while_a_run_writes(inputs, tmp_path):
    _, b = inputs
    db = tmp_path / "read.db"
    writer = subprocess.Popen(_analyze(b, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = set()
    deadline = time.monotonic() + 120
    while writer.poll() is None and time.monotonic() < deadline:
        if db.exists() and os.path.getsize(db) and _runs_started(db):
            res = subprocess.run([sys.executable, "-m", "newstrace", "stats", str(db), "--json"],
                                 capture_output=True, text=True, timeout=240)
            assert res.returncode == 0, res.stderr
            seen.add(json.loads(res.stdout)["counts"]["articles"])
            exp = subprocess.run([sys.executable, "-m", "newstrace", "export", str(db), "--format", "jsonl",
                                  "--table", "articles"], capture_output=True, text=True, timeout=240)
            assert exp.returncode == 0, exp.stderr
            assert all(json.loads(line)["text"] for line in exp.stdout.splitlines())
        time.sleep(0.2)
    assert writer.wait(timeout=300) == 0, writer.stderr.read()[-2000:]
    assert seen, "the run finished before any reader ran"
    _check(db)
