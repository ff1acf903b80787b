"""Hostile and unlucky input from real archives (issue #18): each repro of the issue, made small.

High: memory bounded by characters, repeated errors aggregated, the attribute guard, lone
surrogates, file names that are not UTF-8. Medium: symlinks out of the input tree, one NUL byte
in a JSON Lines dump, hard links and the writer lock, a run killed in the link stage, the same
URL twice. Low: bidi controls in the report, escape codes on the terminal, CSV formulas, symlinks
in the report folder, device paths as databases, settings out of range, SQLite's own failures,
SIGTERM, the Datasette Host header.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from newstrace.cli import cli, csv_cell
from newstrace.config import Settings, load_settings
from newstrace.errors import DatabaseBusy, NewstraceError
from newstrace.extract.core import split_for_parse
from newstrace.ingest import list_inputs, read_bytes, read_file, split_input
from newstrace.models import Annotations, Article, InputError, Segment, article_id_for
from newstrace.present.report import isolate_bidi
from newstrace.present.serve import allowed_hosts, serve_url
from newstrace.sanitize import printable, storable
from newstrace.store import open_store, storage_error

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
YUKOS = (DATA / "bbc_yukos.txt").read_text(encoding="utf-8")


def _article(text: str, source: str) -> Article:
    return Article(id=article_id_for(text), source=source, raw_text=text, text=text,
                   segments=[Segment(0, 0, len(text))], title="T", outlet="Outlet")


# -- 1. memory: a long article is parsed in pieces, a batch is bounded by characters -------------

def test_hostile_split_for_parse_cuts_at_paragraphs_and_joins_back():
    pieces = split_for_parse(YUKOS, 1200)
    assert "".join(pieces) == YUKOS
    assert all(len(p) <= 1200 for p in pieces) and len(pieces) > 1
    assert all(p.endswith("\n\n") for p in pieces[:-1])  # paragraph-aligned
    assert split_for_parse(YUKOS, len(YUKOS)) == [YUKOS]


@pytest.mark.model
def test_hostile_long_article_never_parsed_whole(monkeypatch):
    """Issue #18 item 1: one 400k-character article peaked at 1.5 GB in one parse; now no parse
    sees more than parse_chars characters, and the annotations keep offsets into the whole text."""
    import newstrace.extract.core as core
    from newstrace.clean import clean_article
    from newstrace.models import RawArticle
    from newstrace.nlp import load_nlp

    nlp = load_nlp()
    seen: list[int] = []

    class Spy:
        def __getattr__(self, name):
            return getattr(nlp, name)

        def pipe(self, docs, **kw):
            def spy(docs):
                for d in docs:
                    seen.append(len(d.text))
                    yield d
            return nlp.pipe(spy(docs), **kw)

        def __call__(self, text):
            seen.append(len(text))
            return nlp(text)

    monkeypatch.setattr(core, "load_nlp", lambda model: Spy())
    long_text = "\n\n".join([YUKOS.split("\n", 1)[1].strip()] * 4)
    articles = [clean_article(RawArticle(source=f"a{i}.txt", text=t)) for i, t in
                enumerate([long_text, "Ann Smith said \"we are done\" on Monday.", "Bob Jones left."])]
    [long_ann, short1, short2] = core.annotate_batch(
        articles, settings=Settings(parse_chars=1500, batch_chars=3000))
    assert max(seen) <= 1500, seen
    assert sum(seen) == sum(len(a.text) for a in articles)
    assert isinstance(long_ann, Annotations) and long_ann.quotes and long_ann.mentions
    text = articles[0].text
    assert all(text[q.start:q.end] == q.text for q in long_ann.quotes)
    assert all(text[m.start:m.end] == m.text for m in long_ann.mentions)
    assert [q.speaker for q in short1.quotes] == ["Ann Smith"]


# -- 2. repeated errors of one kind: the first ones one by one, then one counted row ------------

@pytest.mark.model
def test_hostile_repeated_errors_aggregated(tmp_path):
    from newstrace.pipeline import ERRORS_PER_KIND, analyze

    dump = tmp_path / "renamed.jsonl"
    lines = [json.dumps({"text": "The minister said on Monday that the plan would go ahead."})]
    lines += [json.dumps({"title": f"Story {i}", "body_text": "x"}) for i in range(50)]
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "e.db"
    stats = analyze([str(dump)], str(db))
    assert stats.articles_added == 1 and stats.error_count == 50
    assert len(stats.errors) == ERRORS_PER_KIND + 1
    rows = sqlite3.connect(db).execute("select record, count, last_record from errors order by id").fetchall()
    assert rows[:ERRORS_PER_KIND] == [(f"line {n}", 1, None) for n in range(2, 2 + ERRORS_PER_KIND)]
    assert rows[ERRORS_PER_KIND:] == [(f"line {2 + ERRORS_PER_KIND}", 50 - ERRORS_PER_KIND, "line 51")]
    assert sqlite3.connect(db).execute("select errors from runs").fetchone() == (50,)
    shown = CliRunner().invoke(cli, ["stats", str(db)]).output
    assert f"[{50 - ERRORS_PER_KIND} records of this kind, the last line 51]" in shown


# -- 3. the attribute guard counts value-less attributes; reading runs in a child -------------

def test_hostile_valueless_attribute_bomb_refused():
    page = ("<html><body><div " + " ".join(f"a{i}" for i in range(5000)) + "><p>"
            + "The minister said the plan would go ahead. " * 5 + "</p></div></body></html>").encode()
    [item] = list(read_bytes(page, name="bomb.html"))
    assert isinstance(item, InputError) and item.reason == "an HTML tag has more than 2,000 attributes"


def test_hostile_long_tag_with_few_attributes_still_read():
    page = ('<html><body><img alt="a photo" src="data:image/png;base64,' + "A" * 20000 + '"><p>'
            + "The minister said the plan would go ahead. " * 5 + "</p></body></html>").encode()
    [item] = list(read_bytes(page, name="photo.html"))
    assert not isinstance(item, InputError) and "minister" in item.text


@pytest.mark.model
def test_hostile_reading_stall_killed_in_child_under_jobs(tmp_path, examples_dir, monkeypatch):
    from newstrace.pipeline import analyze

    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(examples_dir.glob("*.txt"))[:2]:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "zz_STALLREAD.html").write_text("<html><body><p>Words words words words words.</p></body></html>")
    monkeypatch.setenv("NEWSTRACE_TEST_FAULT", "stallread:STALLREAD")
    stats = analyze([str(folder)], str(tmp_path / "j.db"),
                    settings=Settings(jobs=2, batch_size=1, max_seconds_per_article=6))
    assert stats.articles_added == 2
    [err] = stats.errors  # at 1 s, a run on a loaded machine also lost a seed to the budget
    assert err.stage == "limit" and err.file.endswith("zz_STALLREAD.html")
    assert err.reason.startswith("reading took longer than 6 s (max_seconds_per_article) and did not stop")


# -- 4. and 5. one sanitizer: lone surrogates, file names that are not UTF-8 ----------------

def test_hostile_sanitizer_escapes_file_name_bytes_and_terminal_controls():
    assert storable("caf\udce9.txt") == "caf\\xe9.txt"
    assert storable("key \ud800") == "key \ufffd"
    assert printable("a\x1b[31mred\x07\r\nnext \u202eevil\tok") == "a\\x1b[31mred\\x07\\x0d\\x0anext \\u202eevil\tok"


def test_hostile_error_with_lone_surrogate_is_stored(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        row = store.record_error(1, InputError(file="in/caf\udce9.jsonl", record="line 2",
                                               reason="line 2: no article text (fields: \ud800)"))
        got = store.db.execute("select file, reason from errors where id = ?", [row]).fetchone()
    assert got == ("in/caf\\xe9.jsonl", "line 2: no article text (fields: \ufffd)")


@pytest.mark.model
def test_hostile_surrogate_key_and_latin1_file_name_do_not_stop_the_run(tmp_path, examples_dir, monkeypatch):
    from newstrace.pipeline import analyze

    folder = tmp_path / "in"
    folder.mkdir()
    good = sorted(examples_dir.glob("*.txt"))
    os.link(good[0], os.fsencode(folder) + b"/caf\xe9.txt")  # a Latin-1 name from a legacy archive
    (folder / "b.txt").write_bytes(good[1].read_bytes())
    (folder / "dump.jsonl").write_text('{"text": "Ann Smith said the plan would go ahead."}\n{"\\ud800": 1}\n')
    db = tmp_path / "u.db"
    stats = analyze([str(folder)], str(db))
    assert stats.articles_added == 3
    [err] = stats.errors
    assert err.record == "line 2" and "no article text" in err.reason
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from files where path like '%caf\\xe9.txt' and status = 'done'"
                        ).fetchone() == (1,)
    assert conn.execute("select reason from errors").fetchone()[0].endswith("fields: \ufffd)")
    again = analyze([str(folder)], str(db))  # the escaped name is found again: nothing re-read
    assert again.files_skipped == 2 and again.articles_added == 0


@pytest.mark.model
def test_hostile_failure_to_record_an_error_does_not_end_the_run(tmp_path, examples_dir, monkeypatch):
    from newstrace.pipeline import analyze
    from newstrace.store import Store

    def broken(self, run_id, err):
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(Store, "record_error", broken)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(sorted(examples_dir.glob("*.txt"))[0].read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    stats = analyze([str(folder)], str(tmp_path / "r.db"))
    assert stats.articles_added == 1 and [e.reason for e in stats.errors] == ["file is empty"]


# -- 6. symlinks out of the input tree; /proc, /sys, /dev ------------------------------------

def test_hostile_symlink_out_of_the_input_folder_not_followed(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text("An article.")
    (folder / "passwd.txt").symlink_to(outside)
    (folder / "inside.txt").symlink_to(folder / "sub" / "a.txt")  # stays in the tree: followed
    (folder / "etc").symlink_to(tmp_path)  # a folder link out
    found = {Path(f.path).name: f.format for f in list_inputs([str(folder)])}
    assert found == {"etc": "outside", "inside.txt": "txt", "passwd.txt": "outside"}
    [err] = list(read_file(next(f for f in list_inputs([str(folder)]) if f.path.endswith("passwd.txt"))))
    assert isinstance(err, InputError) and "symlink leads out of the input folder" in err.reason
    assert "--follow-symlinks" in err.hint
    followed = [f for f in list_inputs([str(folder)], follow_symlinks=True)]
    assert {f.format for f in followed} == {"txt"}
    assert str(outside) in {os.path.realpath(f.path) for f in followed}


def test_hostile_system_paths_never_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "environ.txt").symlink_to("/proc/self/environ")
    assert [f.format for f in list_inputs([str(folder)], follow_symlinks=True)] == ["system"]
    [f] = list(list_inputs(["/proc/self/environ"]))
    [err] = list(read_file(f))
    assert f.format == "system" and "never read" in err.reason


# -- 7. one NUL byte does not make a JSON Lines dump whole-file --------------------------------

def test_hostile_one_nul_byte_keeps_json_lines_streamed(tmp_path):
    dump = tmp_path / "d.jsonl"
    lines = [json.dumps({"text": f"Article {i} says the plan would go ahead."}) for i in range(30)]
    lines[3] = '{"text": "a NUL \x00 here"}'
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(max_file_bytes=200)  # per line: the dump is larger, every line smaller
    items = list(read_file(next(list_inputs([str(dump)])), settings=settings))
    assert sum(not isinstance(i, InputError) for i in items) == 29
    assert [i.record for i in items if isinstance(i, InputError)] == ["line 4"]
    f = next(list_inputs([str(dump)]))
    assert len(split_input(f, 400)) > 1


# -- 8. the writer lock is on the database file itself ----------------------------------------

def test_hostile_hard_link_to_the_database_takes_the_same_lock(tmp_path):
    db = tmp_path / "a.db"
    with open_store(db):
        os.link(db, tmp_path / "b.db")
        with pytest.raises(DatabaseBusy, match="another newstrace process is writing"):
            open_store(tmp_path / "b.db")


def test_hostile_no_lock_file_to_plant_and_device_paths_refused(tmp_path):
    victim = tmp_path / "victim"
    (tmp_path / "a.db.lock").symlink_to(victim)
    open_store(tmp_path / "a.db").close()
    assert not victim.exists()
    (tmp_path / "folder.db").mkdir()
    with pytest.raises(NewstraceError, match="the database path is a folder"):
        open_store(tmp_path / "folder.db")
    os.mkfifo(tmp_path / "fifo.db")
    with pytest.raises(NewstraceError, match="not a regular file"):
        open_store(tmp_path / "fifo.db")


# -- 9. a run killed in the link stage is linked by the next ----------------------------------

@pytest.mark.model
def test_hostile_link_pending_finished_by_next_run(tmp_path, examples_dir, monkeypatch):
    import newstrace.pipeline as pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    files = sorted(examples_dir.glob("*.txt"))
    for p in files[:3]:
        (folder / p.name).write_bytes(p.read_bytes())
    db = tmp_path / "l.db"
    pipeline.analyze([str(folder)], str(db))
    (folder / files[3].name).write_bytes(files[3].read_bytes())
    real = pipeline.link_database

    def killed(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "link_database", killed)
    with pytest.raises(KeyboardInterrupt):
        pipeline.analyze([str(folder)], str(db))
    conn = sqlite3.connect(db)
    assert conn.execute("select status, link_status from runs order by id").fetchall() == [
        ("ok", "done"), ("interrupted", "pending")]
    monkeypatch.setattr(pipeline, "link_database", real)
    stats = pipeline.analyze([str(folder)], str(db))
    assert stats.articles_added == 0 and stats.linked
    in_stories = {a for (ids,) in conn.execute("select article_ids from stories") for a in json.loads(ids)}
    assert in_stories == {a for (a,) in conn.execute("select id from articles")}
    assert conn.execute("select link_status from runs order by id").fetchall() == [("done",)] * 3


# -- 10. the same URL twice keeps both sources rows --------------------------------------------

def test_hostile_same_url_twice_keeps_both_sources(tmp_path):
    url = "https://example.com/news/plan"
    first = _article("The minister said the plan would go ahead.", url)
    revised = _article("The minister said the plan would go ahead in May.", url)
    with open_store(tmp_path / "s.db") as store:
        assert store.write_article(first, Annotations(), file="crawl1.jsonl", run_id=1)
        assert store.write_article(revised, Annotations(), file="crawl2.jsonl", run_id=2)
        rows = store.db.execute("select source, article_id, revision from sources order by run_id").fetchall()
    assert rows == [(url, first.id, 1), (url, revised.id, 2)]


def test_hostile_old_sources_table_migrated(tmp_path):
    db = tmp_path / "old.db"
    old = sqlite_utils.Database(db)
    old["sources"].create({"source": str, "article_id": str, "file": str, "run_id": int}, pk="source")
    old["sources"].insert_all([dict(source="a.txt", article_id="x", file="a.txt", run_id=1),
                               dict(source="b.txt", article_id="y", file="b.txt", run_id=1)])
    old.close()
    with open_store(db) as store:
        assert store.db["sources"].pks == ["source", "article_id"]
        assert store.db.execute("select source, article_id from sources order by 1").fetchall() == [
            ("a.txt", "x"), ("b.txt", "y")]


# -- low: report, terminal, CSV, settings, SQLite failures, SIGTERM, serve ---------------------

def test_hostile_bidi_override_isolated_in_templates():
    assert isolate_bidi("\u202eevil name") == "\u2068\u202eevil name\u2069"
    assert isolate_bidi("plain name") == "plain name" and isolate_bidi(3) == 3


@pytest.mark.model
def test_hostile_report_isolates_bidi_and_replaces_planted_symlinks(tmp_path, examples_dir):
    from newstrace.pipeline import analyze
    from newstrace.present import write_report

    folder = tmp_path / "in"
    folder.mkdir()
    text = sorted(examples_dir.glob("*.txt"))[0].read_text(encoding="utf-8")
    (folder / "a.jsonl").write_text(json.dumps({"text": text, "title": "Border \u202eevil title"}) + "\n")
    db = tmp_path / "r.db"
    analyze([str(folder)], str(db))
    out = tmp_path / "report"
    out.mkdir()
    victim = tmp_path / "victim.html"
    victim.write_text("keep me")
    (out / "index.html").symlink_to(victim)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "stories").symlink_to(elsewhere)
    write_report(db, out)
    assert victim.read_text() == "keep me" and not any(elsewhere.iterdir())
    assert not (out / "index.html").is_symlink()
    import re

    html = "".join(re.sub(r"(?s)<script.*?</script>", "", p.read_text(encoding="utf-8"))
                   for p in out.rglob("*.html"))
    shown = html.count("\u202eevil title")
    assert shown > 0 and html.count("\u202eevil title\u2069") == shown  # each one closed by its isolate


def test_hostile_csv_cells_neutralise_formulas(tmp_path):
    assert [csv_cell(v) for v in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "ok", 5]] == [
        "'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "ok", 5]
    db = tmp_path / "c.db"
    with open_store(db) as store:
        art = _article("=cmd|' /C calc'!A0 said the minister.", "=evil.txt")
        store.write_article(art, Annotations(), file="a", run_id=1)
    result = CliRunner().invoke(cli, ["export", str(db), "--format", "csv", "--table", "articles"])
    assert result.exit_code == 0
    [row] = list(csv.DictReader(io.StringIO(result.output)))
    assert row["source"] == "'=evil.txt" and row["text"].startswith("'=cmd")


@pytest.mark.model
def test_hostile_escape_codes_in_file_names_escaped_on_the_terminal(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\x1b[2Jb.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["analyze", str(folder), "--db", str(tmp_path / "t.db"), "-q"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "a\\x1b[2Jb.txt: file is empty" in result.output


@pytest.mark.parametrize("name,value", [("max_seconds_per_article", "0"), ("max_seconds_per_article", "-1"),
                                        ("max_seconds_per_article", "nan"), ("batch_size", "0"),
                                        ("jobs", "-1"), ("link_threshold", "1.5")])
def test_hostile_settings_out_of_range_refused(name, value, monkeypatch):
    monkeypatch.setenv("NEWSTRACE_" + name.upper(), value)
    with pytest.raises(ValueError, match=f"setting '{name}': .* is out of range"):
        load_settings()


def test_hostile_sqlite_failures_become_messages(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all, just some text " * 100)
    with pytest.raises(NewstraceError, match="junk.db: the database is not a newstrace database or is corrupt"):
        open_store(junk)
    for command in ("stats", "export"):  # readers too: a message, not a traceback
        result = CliRunner().invoke(cli, [command, str(junk)])
        assert result.exit_code == 1 and "junk.db: not an SQLite database" in result.output
        assert "Traceback" not in result.output
    full = storage_error("x.db", sqlite3.OperationalError("database or disk is full"))
    assert str(full).startswith("x.db: the database could not be written: the disk is full")
    ro = storage_error("x.db", sqlite3.OperationalError("attempt to write a readonly database"))
    assert "read-only" in str(ro) and "use another --db" in str(ro)


@pytest.mark.model
def test_hostile_sigterm_marks_the_run_interrupted_with_counts(tmp_path, examples_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):  # enough work that SIGTERM lands mid-run
        for p in sorted(examples_dir.glob("*.txt")):
            (folder / f"{i:02d}_{p.name}").write_text(p.read_text(encoding="utf-8") + f"\n\nCopy {i}.")
    db = tmp_path / "t.db"
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "newstrace", "analyze", str(folder), "--db", str(db), "-q"],
                            env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.5)
        try:
            if sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0] >= 2:
                break
        except sqlite3.Error:
            continue
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    status, finished, added = sqlite3.connect(db).execute(
        "select status, finished, articles_added from runs").fetchone()
    assert status == "interrupted" and finished is not None and added >= 2


def test_hostile_serve_pins_loopback_host_and_names_shared_address():
    assert allowed_hosts("127.0.0.1", 8001) >= {"127.0.0.1:8001", "localhost:8001", "[::1]:8001"}
    assert "evil.example:8001" not in allowed_hosts("127.0.0.1", 8001)
    assert allowed_hosts("0.0.0.0", 8001) is None
    assert "127.0.0.1" not in serve_url("0.0.0.0", 8001)
