"""The CLI as a user runs it: exit codes, stdout data, stderr diagnostics."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newstrace.cli import cli
from newstrace.models import Annotations, Article, Quote
from newstrace.store import TABLES, open_store

REQUIRED_TABLES = ("articles", "quotes", "entities", "attributions", "claims", "stories", "links",
                   "quote_groups")


def test_cli_help_lists_commands():
    res = CliRunner().invoke(cli, ["-h"])
    assert res.exit_code == 0
    for cmd in ("analyze", "export", "stats", "report", "serve"):
        assert cmd in res.output


def test_cli_export_missing_db_is_usage_error(tmp_path):
    res = CliRunner().invoke(cli, ["export", str(tmp_path / "nope.db")])
    assert res.exit_code == 2
    assert "does not exist" in res.output


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, examples_dir):
    from conftest import HAVE_MODEL

    if not HAVE_MODEL:
        pytest.skip("English spaCy pipeline not installed")
    db = tmp_path_factory.mktemp("cli") / "story.db"
    res = CliRunner().invoke(cli, ["analyze", str(examples_dir), "--db", str(db), "--quiet"])
    assert res.exit_code == 0, res.output
    return db


@pytest.mark.model
def test_cli_export_json_has_every_table(sample_db):
    res = CliRunner().invoke(cli, ["export", str(sample_db), "--format", "json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    for name in REQUIRED_TABLES:
        assert isinstance(data[name], list)
    assert len(data["articles"]) == 5
    for art in data["articles"]:
        assert {"id", "source", "outlet", "title", "published", "text"} <= set(art)
    assert any(a["published"] == "2022-02-01" for a in data["articles"])


@pytest.mark.model
def test_cli_export_jsonl_and_csv_one_table(sample_db):
    runner = CliRunner()
    res = runner.invoke(cli, ["export", str(sample_db), "--format", "jsonl", "--table", "quotes"])
    assert res.exit_code == 0
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert rows and all({"kind", "speaker", "text"} <= set(r) for r in rows)
    res = runner.invoke(cli, ["export", str(sample_db), "--format", "csv", "--table", "articles"])
    assert res.exit_code == 0
    assert len(list(csv.DictReader(io.StringIO(res.stdout)))) == 5


@pytest.mark.model
def test_cli_export_kind_speech_gives_speech_only_and_top_level_records(sample_db):
    # issue 15: beliefs, intentions, evidence and decisions are stored (on by default) with their
    # act; --kind speech keeps what was said; children (parent_id) only with --children
    runner = CliRunner()
    res = runner.invoke(cli, ["export", str(sample_db), "--format", "jsonl", "-t", "quotes", "--children"])
    every = [json.loads(line) for line in res.stdout.splitlines()]
    assert {q["act"] for q in every} > {"speech"}
    assert any(q["parent_id"] for q in every)
    res = runner.invoke(cli, ["export", str(sample_db), "--format", "jsonl", "-t", "quotes", "--kind", "speech"])
    assert res.exit_code == 0
    speech = [json.loads(line) for line in res.stdout.splitlines()]
    assert speech and {q["act"] for q in speech} == {"speech"}
    assert not any(q["parent_id"] for q in speech)
    assert len(speech) < len(every)


def test_cli_export_no_negated_leaves_out_a_negated_report(tmp_path):
    # review of 2026-12-03: --kind speech kept "has not confirmed any timing" (bbc/politics/417), a
    # report of what was not said; --no-negated leaves it out, and the help says so
    text = "Prime Minister Tony Blair has not confirmed any timing. He said it was not decided."
    db = tmp_path / "neg.db"
    quotes_ = [Quote(article_id="neg", kind="indirect", text="any timing", start=44, end=54, speaker="Tony Blair",
                     cue="has not confirmed", negated=True),
               Quote(article_id="neg", kind="indirect", text="it was not decided", start=64, end=82,
                     speaker="Tony Blair", cue="said")]
    with open_store(db) as store:
        store.write_article(Article(id="neg", source="neg.txt", raw_text=text, text=text),
                            Annotations(quotes=quotes_), file="neg.txt", run_id=1)
    runner = CliRunner()
    args = ["export", str(db), "--format", "jsonl", "-t", "quotes", "--kind", "speech"]
    every = [json.loads(line)["text"] for line in runner.invoke(cli, args).stdout.splitlines()]
    kept = [json.loads(line)["text"] for line in runner.invoke(cli, args + ["--no-negated"]).stdout.splitlines()]
    assert (every, kept) == (["any timing", "it was not decided"], ["it was not decided"])
    assert "--no-negated" in runner.invoke(cli, ["export", "--help"]).output


@pytest.mark.model
def test_cli_export_csv_needs_exactly_one_table(sample_db):
    res = CliRunner().invoke(cli, ["export", str(sample_db), "--format", "csv", "-t", "quotes", "-t", "claims"])
    assert res.exit_code == 2
    assert "exports one table; give exactly one --table" in res.output


@pytest.mark.model
def test_cli_stats_counts_tables(sample_db):
    res = CliRunner().invoke(cli, ["stats", str(sample_db), "--json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["counts"]["articles"] == 5
    assert data["last_run"]["status"] == "ok"


@pytest.mark.model
def test_cli_analyze_seeds_make_their_three_stories(sample_db):
    # the bundled sample through the whole pipeline: {000}, {001, 004}, {002, 003} (issue #16)
    import sqlite3

    conn = sqlite3.connect(sample_db)
    name = {aid: Path(source).name[:3] for aid, source in conn.execute("select id, source from articles")}
    stories = sorted(sorted(name[a] for a in json.loads(ids)) for (ids,) in conn.execute("select article_ids from stories"))
    conn.close()
    assert stories == [["000"], ["001", "004"], ["002", "003"]]


@pytest.mark.model
def test_cli_stats_shows_seconds_per_stage(sample_db):
    # every run records where its time went (issue #16): runs.stage_seconds, shown by stats
    data = json.loads(CliRunner().invoke(cli, ["stats", str(sample_db), "--json"]).stdout)
    seconds = data["last_run"]["stage_seconds"]
    assert {"read", "annotate", "store", "link"} <= set(seconds)
    assert seconds["annotate"] > 0 and seconds["link"] > 0
    res = CliRunner().invoke(cli, ["stats", str(sample_db)])
    assert res.exit_code == 0 and "seconds: read " in res.stdout


@pytest.mark.model
def test_cli_analyze_exit_code_1_on_bad_input(tmp_path, examples_dir):
    folder = tmp_path / "in"
    shutil.copytree(examples_dir, folder)
    (folder / "broken.json").write_text('{"text": "unterminated')
    res = CliRunner().invoke(cli, ["analyze", str(folder), "--db", str(tmp_path / "s.db")])
    assert res.exit_code == 1
    assert "broken.json" in res.stderr
    assert "5 articles added" in res.stderr


@pytest.mark.model
def test_cli_analyze_stdin(tmp_path, examples_dir):
    text = (examples_dir / "001_554e2b8a526bf444.txt").read_text()
    res = CliRunner().invoke(cli, ["analyze", "-", "--db", str(tmp_path / "s.db"), "--log-json"], input=text)
    assert res.exit_code == 0, res.output
    events = [json.loads(line) for line in res.stderr.splitlines() if line.startswith("{")]
    done = [e for e in events if e["event"] == "done"]
    assert done and done[0]["articles_added"] == 1


def test_cli_analyze_bad_setting_is_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSTRACE_JOBS", "lots")
    res = CliRunner().invoke(cli, ["analyze", str(tmp_path), "--db", str(tmp_path / "s.db")])
    assert res.exit_code == 2
    assert "setting 'jobs': cannot use 'lots' as int" in res.output


def test_cli_progress_without_a_terminal_prints_every_500_per_phase(capsys):
    from newstrace.cli import Progress

    p = Progress(quiet=False, log_json=False)  # pytest's stderr is not a terminal: plain lines
    for n in range(16, 2001, 16):  # batches of 16 never land on a multiple of 500
        p("articles", n, None)
    p("analyze", 0, 3)
    p("analyze", 3, 3)
    p("link", 0, None)
    p.stop()
    lines = capsys.readouterr().err.splitlines()
    lines = [re.sub(r", [0-9.]+/s(, about .* left)?", "", ln) for ln in lines]  # rates vary
    assert lines == ["articles stored: 16", "articles stored: 528", "articles stored: 1,040",
                     "articles stored: 1,552", "files read: 0/3 (0%); 2,000 articles stored",
                     "files read: 3/3 (100%); 2,000 articles stored",
                     "linking across the database (stories, copies, quote groups, figures) ..."]


def test_cli_progress_without_a_terminal_writes_a_line_every_interval(capsys):
    # issue #17: with stderr redirected nothing appeared for most of a run; now a line at least
    # every interval (30 s by default) while a long step runs, with the rate and the time left
    import time

    from newstrace.cli import Progress

    p = Progress(quiet=False, log_json=False, interval=0.3)
    p("analyze", 0, 10)
    time.sleep(0.1)
    p("articles", 16, None)
    p("analyze", 2, 10)
    time.sleep(1.6)  # no call for a while: a long batch
    p.stop()
    lines = capsys.readouterr().err.splitlines()
    ticks = [ln for ln in lines if ln.startswith("files read: 2/10 (20%)")]
    assert len(ticks) >= 2, lines
    assert all("/s, about" in ln and "left; 16 articles stored" in ln for ln in ticks)


# -- issue #17: mistakes get a message, never a traceback; a run that did nothing says so ------
def test_cli_analyze_db_in_a_missing_folder_says_so(tmp_path, examples_dir):
    res = CliRunner().invoke(cli, ["analyze", str(examples_dir), "--db", str(tmp_path / "nofolder" / "sub" / "x.db")])
    assert res.exit_code == 1
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert f"the folder {tmp_path / 'nofolder' / 'sub'} does not exist" in res.stderr
    assert "Traceback" not in res.output


@pytest.mark.parametrize("command", [["stats"], ["export"], ["export", "--format", "csv", "-t", "quotes"]])
def test_cli_foreign_sqlite_file_is_named_not_a_traceback(tmp_path, command):
    import sqlite3

    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute("create table t (x)")
    con.close()
    res = CliRunner().invoke(cli, [command[0], str(db), *command[1:]])
    assert res.exit_code == 1
    assert not isinstance(res.exception, sqlite3.Error)
    assert "not a newstrace database (no table articles, quotes, stories)" in res.stderr


@pytest.mark.parametrize("table", list(TABLES))
def test_cli_export_every_table_stats_lists(report_sample_db, table):
    res = CliRunner().invoke(cli, ["export", str(report_sample_db), "--format", "jsonl", "-t", table])
    assert res.exit_code == 0, res.output
    stats = json.loads(CliRunner().invoke(cli, ["stats", str(report_sample_db), "--json"]).stdout)
    assert len(res.stdout.splitlines()) == stats["counts"][table]


def test_cli_export_into_a_closed_pipe_exits_quietly(tmp_path):
    import subprocess
    import sys

    from newstrace.models import Annotations, Article, article_id_for
    from newstrace.store import open_store

    db = tmp_path / "big.db"  # more than a pipe's buffer of output, so the writer meets the closed end
    with open_store(db) as store:
        for n in range(400):
            text = f"Article {n}. " + "The council met on Monday and agreed the budget. " * 20
            store.write_article(Article(id=article_id_for(text), source=f"{n}.txt", raw_text=text, text=text),
                                Annotations(), file=f"{n}.txt", run_id=1)
    proc = subprocess.Popen([sys.executable, "-m", "newstrace", "export", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)  # `| head -c 10`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert err == ""


@pytest.mark.model
def test_cli_analyze_that_reads_nothing_says_so_and_fails(tmp_path):
    empty, odd = tmp_path / "empty", tmp_path / "odd"
    empty.mkdir()
    odd.mkdir()
    (odd / "a.pdf").write_bytes(b"%PDF-1.4")
    (odd / "b.docx").write_bytes(b"PK")
    res = CliRunner().invoke(cli, ["analyze", str(empty), "--db", str(tmp_path / "e.db")])
    assert res.exit_code == 1
    assert "0 files read" in res.stderr and f"error: nothing read from {empty}" in res.stderr
    res = CliRunner().invoke(cli, ["analyze", str(odd), "--db", str(tmp_path / "o.db")])
    assert res.exit_code == 1
    assert "2 files of unknown type skipped (.pdf 1, .docx 1)" in res.stderr
    res = CliRunner().invoke(cli, ["analyze", str(tmp_path / "nope"), "--db", str(tmp_path / "n.db")])
    assert res.exit_code == 1
    assert "0 files read" in res.stderr and "no such file or folder" in res.stderr


@pytest.mark.model
def test_cli_an_article_in_another_language_is_a_notice_not_an_error(tmp_path, corpus_dir):
    # issue #17: the language row printed as "error: ..." and counted in "1 error" of a run that succeeded
    src = tmp_path / "in"
    src.mkdir()
    page = "b6fb53e9fb043c98eb1e6530a1074c40922e29025f5454809f3938a7c174faa3.html.gz"  # an Italian page
    shutil.copy(corpus_dir / "article-extraction-benchmark" / "html" / page, src)
    shutil.copy(corpus_dir / "bbc" / "business" / "001.txt", src)
    db = tmp_path / "x.db"
    res = CliRunner().invoke(cli, ["analyze", str(src), "--db", str(db)])
    assert res.exit_code == 0, res.output
    notice = re.escape(f"notice: {src / page}#") + r"[0-9a-f]+: newstrace annotates English; this article is it"
    assert re.search("^" + notice, res.stderr, re.M)
    assert "error:" not in res.stderr
    assert re.search(r"2 articles added, .* 0 errors, 1 notice in ", res.stderr)
    res = CliRunner().invoke(cli, ["stats", str(db)])
    assert re.search("^  " + notice, res.stdout, re.M)
    assert "error:" not in res.stdout


def test_cli_export_form_keeps_the_forms_asked_for(tmp_path):
    # form1 (issue 15 §4): a Quotebank-style quote list leaves out noun-phrase contents ("criticised
    # the plans", bbc/politics/357); --form is repeatable and takes a comma list
    text = ("But general secretary of the public services union Unison Dave Prentis criticised the plans. "
            "\"People want portability,\" she said.")
    quotes_ = [Quote(article_id="f", kind="indirect", text="the plans", start=82, end=91, speaker="Dave Prentis",
                     form="noun_phrase"),
               Quote(article_id="f", kind="direct", text="People want portability,", start=94, end=118,
                     speaker="she", form="quoted")]
    assert [text[q.start:q.end] for q in quotes_] == [q.text for q in quotes_]
    db = tmp_path / "form.db"
    with open_store(db) as store:
        store.write_article(Article(id="f", source="f.txt", raw_text=text, text=text),
                            Annotations(quotes=quotes_), file="f.txt", run_id=1)
    runner = CliRunner()
    args = ["export", str(db), "--format", "jsonl", "-t", "quotes"]

    def forms(*extra):
        res = runner.invoke(cli, args + list(extra))
        assert res.exit_code == 0, res.output
        return [json.loads(line)["form"] for line in res.stdout.splitlines()]

    assert forms() == ["noun_phrase", "quoted"]
    assert forms("--form", "clause,quoted") == forms("--form", "clause", "--form", "quoted") == ["quoted"]
    assert forms("--form", "noun_phrase") == ["noun_phrase"]
    res = runner.invoke(cli, args + ["--form", "clause,np"])
    assert res.exit_code == 2 and "unknown form 'np'; choose from: clause, noun_phrase, quoted" in res.output
