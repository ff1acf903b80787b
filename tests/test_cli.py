"""The CLI as a user runs it: exit codes, stdout data, stderr diagnostics."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from click.testing import CliRunner

from newstrace.cli import cli

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
    p.stop()
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["articles: 512", "articles: 1024", "articles: 1536", "analyze: 3/3"]
