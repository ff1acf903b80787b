"""Crash safety (issue 8): ``newstrace analyze`` killed with SIGKILL at random points, then re-run.

Each kill lands at a seeded random point: while the model loads, while the schema is created,
between and during article transactions, in the link stage, while the run is finished. After
every kill the database must pass ``PRAGMA integrity_check``, hold each article exactly once and
no rows of an article that is not stored; after a final uninterrupted re-run it must equal (every
exported table, ignoring run ids and timestamps) the database of one uninterrupted run.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

KILLS = 8
SEED = 8
LOG: list[str] = []  # where each kill landed, shown in pytest's terminal summary


class _Summary:
    def pytest_terminal_summary(self, terminalreporter):
        if LOG:
            terminalreporter.section("newstrace crash figures (tests/test_crash.py)")
            for line in LOG:
                terminalreporter.write_line(line)


@pytest.fixture(scope="module", autouse=True)
def _crash_summary(request):
    if not request.config.pluginmanager.has_plugin("newstrace-crash-summary"):
        request.config.pluginmanager.register(_Summary(), "newstrace-crash-summary")
ARTICLE_TABLES = ("quotes", "attributions", "mentions", "local_entities", "claims", "posts", "sources")


def _rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _export(db: Path) -> dict[str, list[str]]:
    """Every exported table as sorted JSON rows, without run ids and timestamps."""
    from newstrace.store import EXPORT_COLUMNS, iter_export, open_store

    store = open_store(db, writer=False)
    try:
        out = {}
        for table in EXPORT_COLUMNS:
            rows = []
            for row in iter_export(store, table):
                row.pop("run_id", None)
                rows.append(json.dumps(row, sort_keys=True, ensure_ascii=False))
            out[table] = sorted(rows)
        out["files"] = sorted(json.dumps(r) for r in _rows(db, "select path, articles, status from files"))
        return out
    finally:
        store.close()


def _check_consistent(db: Path, when: str) -> int:
    """Integrity, each article once, no orphan rows; returns the number of articles."""
    assert _rows(db, "pragma integrity_check") == [("ok",)], when
    n, distinct = _rows(db, "select count(*), count(distinct id) from articles")[0]
    assert n == distinct, when
    texts = _rows(db, "select count(distinct text) from articles")[0][0]
    assert texts == n, f"{when}: the same text stored twice"
    for table in ARTICLE_TABLES:
        orphans = _rows(db, f"select count(*) from [{table}] where article_id not in (select id from articles)")
        assert orphans == [(0,)], f"{when}: {table} rows of an article that is not stored"
    return n


@pytest.fixture(scope="module")
def crash_corpus(tmp_path_factory, examples_dir, corpus_dir):
    """The 5 examples, 20 BBC articles, a JSONL with a bad record and an over-long one, junk."""
    src = tmp_path_factory.mktemp("crash") / "in"
    src.mkdir()
    for p in sorted(examples_dir.glob("*.txt")):
        shutil.copy(p, src / p.name)
    bbc = sorted((corpus_dir / "bbc" / "politics").glob("*.txt"))
    for p in bbc[40:60]:
        shutil.copy(p, src / f"bbc-{p.name}")
    long_text = "\n\n".join(p.read_text(encoding="utf-8").split("\n", 1)[1].strip() for p in bbc[100:112])
    records = [{"text": bbc[90].read_text(encoding="utf-8")}, {"text": 5}, {"text": long_text},
               {"text": bbc[91].read_text(encoding="utf-8")}]
    (src / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    rng = random.Random(1)
    (src / "junk.txt").write_bytes(bytes(rng.randrange(256) for _ in range(3000)))
    return src


def test_crash_sigkill_at_random_points_then_rerun_equals_uninterrupted(tmp_path, crash_corpus):
    env = dict(os.environ, NEWSTRACE_BATCH_SIZE="3", NEWSTRACE_MAX_ARTICLE_CHARS="15000")
    env.pop("NEWSTRACE_CONFIG", None)

    def cmd(db: Path) -> list[str]:
        return [sys.executable, "-m", "newstrace", "analyze", str(crash_corpus), "--db", str(db), "--quiet"]

    ref = tmp_path / "ref.db"
    t0 = time.monotonic()
    done = subprocess.run(cmd(ref), env=env, capture_output=True, text=True, timeout=300)
    full = time.monotonic() - t0
    assert done.returncode == 1, done.stderr  # 1: the junk file and the bad record are errors
    total = _check_consistent(ref, "reference run")
    assert total == 5 + 20 + 3
    reference = _export(ref)
    assert len(reference["errors"]) == 3, reference["errors"]  # junk, bad record, truncation

    t0 = time.monotonic()
    subprocess.run(cmd(ref), env=env, capture_output=True, timeout=300)  # nothing to do: startup
    startup = time.monotonic() - t0

    db = tmp_path / "killed.db"
    rng = random.Random(SEED)
    kills = 0
    for n in range(KILLS):
        before = _check_consistent(db, f"before kill {n}") if db.exists() else 0
        proc = subprocess.Popen(cmd(db), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.monotonic()
        if n in (0, KILLS - 1):
            # while the model loads, the database opens and the schema is created (or, on a
            # complete database, while the run finds nothing to do)
            time.sleep(rng.uniform(0.3, startup * 1.1))
        else:
            # once the run has stored a few more articles (or all of them: then in the link
            # stage), plus a little: inside a transaction, between an article and its file's
            # mark, inside a batch
            # (earlier rounds leave a few articles for that one, so it has a link stage to hit)
            target = total if n == KILLS - 2 else rng.randint(
                before + 1, max(before + 1, min(total - 3, (before + total) // 2)))
            while proc.poll() is None and time.monotonic() - started < 120:
                try:
                    if _rows(db, "select count(*) from articles")[0][0] >= min(target, total):
                        break
                except sqlite3.Error:
                    pass
                time.sleep(0.02)
            time.sleep(rng.uniform(0, 1.0 if n == KILLS - 2 else 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        killed_at = time.monotonic() - started
        proc.wait()
        after = _check_consistent(db, f"after kill {n}") if db.exists() else 0
        linked = bool(db.exists() and _rows(db, "select count(*) from stories")[0][0])
        stage = ("finished before the kill" if proc.returncode >= 0 else "before any article"
                 if after == 0 else "while storing articles" if after < total
                 else "on a complete database (startup)" if before == total
                 else "after the last article, link stage " + ("done" if linked else "not done"))
        LOG.append(f"run {n}: killed at {killed_at:.2f} s, {before} -> {after} of {total} articles: {stage}")
    assert kills >= KILLS - 2, f"only {kills} of {KILLS} runs were still running when killed"

    final = subprocess.run(cmd(db), env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode in (0, 1), final.stderr
    assert _check_consistent(db, "after the final run") == total
    resumed = _export(db)
    statuses = [s for (s,) in _rows(db, "select status from runs order by id")]
    assert "running" not in statuses and statuses[-1] == "failed", statuses  # failed: the junk file
    assert statuses.count("interrupted") >= kills // 2, statuses  # killed before its run row: none
    LOG.append(f"{kills} SIGKILLs; reference run {full:.1f} s; after the final re-run: integrity ok, "
               f"{total} articles once each, {sum(map(len, reference.values()))} exported rows compared")
    for table in reference:
        assert resumed[table] == reference[table], f"table {table} differs from the uninterrupted run"


# -- what makes the above hold: each write is one transaction -----------------------------------

def _sample_rows(article_id: str) -> dict:
    from newstrace.models import Annotations, Article, Mention, Quote
    from newstrace.store import article_rows

    text = 'The minister said: "We will act." Officials agreed.'
    art = Article(id=article_id, source=f"{article_id}.txt", raw_text=text, text=text)
    ann = Annotations(quotes=[Quote(article_id, "direct", "We will act.", 20, 32, "The minister")],
                      mentions=[Mention(article_id, "Officials", 35, 44, "ORG")])
    return article_rows(art, ann, file=f"{article_id}.txt", run_id=None)


def test_crash_article_write_is_all_or_nothing(tmp_path):
    """A failure after the article row (as a SIGKILL would be) leaves none of its rows."""
    from newstrace.store import open_store

    with open_store(tmp_path / "a.db") as store:
        rows = _sample_rows("a1")
        rows["mentions"][0]["no_such_column"] = 1  # the last table's insert fails
        with pytest.raises(sqlite3.OperationalError):
            store.write_rows(rows)
        assert not store.has_article("a1")
        assert [store.db[t].count for t in ("articles", "sources", "quotes", "mentions")] == [0, 0, 0, 0]
        assert store.write_rows(_sample_rows("a1"))
        assert [store.db[t].count for t in ("articles", "sources", "quotes", "mentions")] == [1, 1, 1, 1]


def test_crash_link_tables_replaced_all_or_nothing(tmp_path):
    """A failure while the link tables are rewritten keeps the previous link result whole."""
    from types import SimpleNamespace

    from newstrace.models import Link, Story
    from newstrace.store import open_store

    def result(stories, links):
        return SimpleNamespace(stories=stories, links=links, quote_groups=[], provenance=[],
                               citations=[], entities=[], entity_map={}, outlet_citations=[],
                               figure_conflicts=[])

    with open_store(tmp_path / "l.db") as store:
        store.write_link_result(result([Story("s1", "one", ["a", "b"])], [Link("a", "b", "duplicate", 1.0)]))
        with pytest.raises(TypeError):  # the links (after stories) cannot be stored
            store.write_link_result(result([Story("s2", "two", ["c"])], [object()]))
        assert [r[0] for r in store.db.execute("select id from stories")] == ["s1"]
        assert [tuple(r) for r in store.db.execute("select a, b from links")] == [("a", "b")]


# -- --jobs N: killing the run also ends its worker processes (issue #7) ------------------------

def _workers_of(pid: int) -> list[int]:
    """Living child processes of ``pid`` that run newstrace's worker loop (workers.py)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmd = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid) and fields[0] != "Z" and b"newstrace.workers" in cmd:
            out.append(int(stat.parent.name))
    return out

def _wait_for_two_working_workers(proc: subprocess.Popen, db: Path) -> set[int]:
    """The pids of a --jobs 2 run's two workers (and its reader child, issue #18), once it has stored
    an article (the run still going)."""
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        workers.update(_workers_of(proc.pid))
        try:
            if len(workers) >= 2 and _rows(db, "select count(*) from articles")[0][0] > 0:
                break
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    assert proc.poll() is None and len(workers) >= 2, "the run ended before both workers stored work"
    return workers



def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_crash_sigkill_jobs_run_leaves_no_workers_and_resumes(tmp_path, examples_dir, corpus_dir):
    src = tmp_path / "in"
    shutil.copytree(examples_dir, src)
    for p in sorted((corpus_dir / "bbc" / "politics").glob("*.txt"))[60:64]:
        shutil.copy(p, src / f"bbc-{p.name}")
    env = dict(os.environ, NEWSTRACE_BATCH_SIZE="2")
    env.pop("NEWSTRACE_CONFIG", None)

    def cmd(db: Path, jobs: int) -> list[str]:
        return [sys.executable, "-m", "newstrace", "analyze", str(src), "--db", str(db), "--quiet",
                "--jobs", str(jobs)]

    ref = tmp_path / "ref.db"
    subprocess.run(cmd(ref, 1), env=env, check=True, capture_output=True, timeout=300)
    db = tmp_path / "jobs.db"
    proc = subprocess.Popen(cmd(db, 2), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = _wait_for_two_working_workers(proc, db)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # an idle worker sees end-of-file on its stdin, a busy one a broken pipe when it answers
    deadline = time.monotonic() + 30
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "worker processes outlived the killed run"
    n = _check_consistent(db, "after the kill")
    assert 0 < n < 9
    done = subprocess.run(cmd(db, 2), env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _check_consistent(db, "after the re-run") == 9
    assert _export(db) == _export(ref)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_crash_ctrl_c_on_jobs_run_stops_workers_and_marks_run_interrupted(tmp_path, corpus_dir):
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted((corpus_dir / "bbc" / "politics").glob("*.txt"))[:60]:
        shutil.copy(p, src / p.name)
    db = tmp_path / "int.db"
    env = dict(os.environ, NEWSTRACE_BATCH_SIZE="2")
    env.pop("NEWSTRACE_CONFIG", None)
    # a shell's background job starts with SIGINT ignored: give the run Python's Ctrl-C handler
    launch = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
              "os.execv(sys.executable, [sys.executable, '-m', 'newstrace', *sys.argv[1:]])")
    proc = subprocess.Popen([sys.executable, "-c", launch, "analyze", str(src), "--db", str(db),
                             "--quiet", "--jobs", "2"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    workers = _wait_for_two_working_workers(proc, db)
    proc.send_signal(signal.SIGINT)
    t0 = time.monotonic()
    assert proc.wait(timeout=30) != 0
    stopped = time.monotonic() - t0
    assert stopped < 15, stopped  # the busy workers are killed, not waited for
    assert not [w for w in workers if _alive(w)], "worker processes outlived the interrupted run"
    assert 0 < _check_consistent(db, "after Ctrl-C") < 60
    assert [s for (s,) in _rows(db, "select status from runs")] == ["interrupted"]
