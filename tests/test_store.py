import sqlite3
from types import SimpleNamespace

import pytest

from newstrace.errors import DatabaseBusy, NewstraceError
from newstrace.models import Annotations, Article, Attribution, LocalEntity, Quote, Segment, Story
from newstrace.store import EXPORT_COLUMNS, iter_export, open_store


def _article(text="Mayorkas said \"no\" today.", source="a.txt"):
    from newstrace.models import article_id_for

    return Article(id=article_id_for(text), source=source, raw_text=text, text=text,
                   segments=[Segment(0, 0, len(text))], title="T", outlet="Outlet")


def test_store_write_article_once_and_records_both_sources(tmp_path):
    db = tmp_path / "s.db"
    art = _article()
    ann = Annotations(quotes=[Quote(article_id=art.id, kind="direct", text="no", start=15, end=17,
                                    speaker="Alejandro Mayorkas", speaker_kind="person", speaker_entity=0)],
                      entities=[LocalEntity(article_id=art.id, local_id=0, name="Alejandro Mayorkas", type="person")])
    with open_store(db) as store:
        assert store.write_article(art, ann, file="a.txt", run_id=1) is True
        art2 = _article(source="b.txt")
        assert store.write_article(art2, ann, file="b.txt", run_id=1) is False
        counts = store.counts()
    assert counts["articles"] == 1 and counts["quotes"] == 1 and counts["sources"] == 2


def test_store_uses_wal_and_fts(tmp_path):
    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.write_article(_article(), Annotations(), file="a.txt", run_id=1)
        assert store.db.journal_mode == "wal"
        hits = list(store.db["articles"].search("mayorkas"))
    assert len(hits) == 1


def test_store_second_writer_refused_with_clear_message(tmp_path):
    db = tmp_path / "s.db"
    with open_store(db):
        with pytest.raises(DatabaseBusy, match="another newstrace process is writing to this database"):
            open_store(db)
    open_store(db).close()  # released after close


def test_store_reader_on_missing_db_says_how_to_create(tmp_path):
    with pytest.raises(NewstraceError, match="no such database. Create it with: newstrace analyze"):
        open_store(tmp_path / "none.db", writer=False)


def test_store_link_result_replaces_tables_and_maps_entities(tmp_path):
    db = tmp_path / "s.db"
    art = _article()
    ann = Annotations(
        quotes=[Quote(article_id=art.id, kind="direct", text="no", start=15, end=17,
                      speaker="Alejandro Mayorkas", speaker_kind="person", speaker_entity=0)],
        attributions=[Attribution(article_id=art.id, source="CBS News", source_kind="outlet",
                                  cue="told", sentence="x", start=0, end=1, source_entity=0)],
        entities=[LocalEntity(article_id=art.id, local_id=0, name="Alejandro Mayorkas", type="person")])
    result = SimpleNamespace(
        stories=[Story(id="s1", label="Mayorkas", article_ids=[art.id])], links=[], quote_groups=[],
        provenance=[], citations=[{"article_id": art.id, "cited": "CBS News", "kind": "outlet", "count": 1}],
        outlet_citations=[], figure_conflicts=[],
        entities=[{"id": "e1", "name": "Alejandro Mayorkas", "type": "person", "aliases": ["Mayorkas"],
                   "roles": [], "article_ids": [art.id]}],
        entity_map={(art.id, 0): "e1"})
    with open_store(db) as store:
        store.write_article(art, ann, file="a.txt", run_id=1)
        store.write_link_result(result)
        store.write_link_result(result)  # idempotent
        assert store.counts()["stories"] == 1
        q = list(iter_export(store, "quotes"))
        ents = list(iter_export(store, "entities"))
    assert q[0]["speaker_entity_id"] == "e1"
    assert ents[0]["aliases"] == ["Mayorkas"]


def test_store_export_rejects_unknown_table(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        with pytest.raises(ValueError, match="unknown table 'nope'; choose one of: runs, files, articles"):
            list(iter_export(store, "nope"))


def test_store_export_names_are_the_documented_ones():
    for name in ("articles", "quotes", "entities", "attributions", "claims", "stories", "links", "quote_groups"):
        assert name in EXPORT_COLUMNS
    for col in ("id", "source", "outlet", "title", "published", "text"):
        assert col in EXPORT_COLUMNS["articles"]


def test_store_integrity_after_writes(tmp_path):
    db = tmp_path / "s.db"
    with open_store(db) as store:
        for i in range(20):
            store.write_article(_article(f"Text number {i}. He said \"ok\".", f"{i}.txt"), Annotations(),
                                file=f"{i}.txt", run_id=1)
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("select count(*) from articles").fetchone()[0] == 20


def test_store_schema_created_all_or_nothing(tmp_path, monkeypatch):
    # A reader opening the file while a run creates it must never see half the tables (a
    # concurrent `stats` once hit "no such table: runs"): a failure part-way leaves no table.
    import sqlite3

    import sqlite_utils.db

    from newstrace.store import open_store

    real_create, calls = sqlite_utils.db.Table.create, []

    def failing_create(self, *args, **kw):
        calls.append(self.name)
        if len(calls) == 3:
            raise RuntimeError("disk went away")
        return real_create(self, *args, **kw)

    monkeypatch.setattr(sqlite_utils.db.Table, "create", failing_create)
    db = tmp_path / "half.db"
    with pytest.raises(RuntimeError):
        open_store(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from sqlite_master").fetchone() == (0,)
    monkeypatch.undo()
    open_store(db).close()  # and the next open creates everything
    with sqlite3.connect(db) as conn:
        assert {"runs", "articles", "quotes"} <= {r[0] for r in conn.execute("select name from sqlite_master")}


def test_store_leaves_no_lock_file_and_still_excludes_a_second_writer(tmp_path):
    # issue #17: a .lock file was left next to every database; the writer lock is now a flock on
    # the database file itself (issue #18), so there is no lock file at all
    db = tmp_path / "x.db"
    first = open_store(db)
    with pytest.raises(DatabaseBusy, match="another newstrace process is writing to this database"):
        open_store(db)
    first.close()
    with open_store(db):  # taken again after the first writer closed
        with pytest.raises(DatabaseBusy, match="another newstrace process"):
            open_store(db)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".lock")) == []


def test_store_export_filters_acts_and_lists_children_on_request(tmp_path):
    # issue 15: one quote one record; a partial quote inside an indirect one is its child, and
    # beliefs are kept apart from speech by their act
    text = 'She said the plan was "a disaster" and would fail. Analysts expect rates will rise.'
    art = _article(text)
    ann = Annotations(quotes=[
        Quote(article_id=art.id, kind="indirect", text="the plan was \"a disaster\" and would fail",
              start=9, end=49, speaker="She"),
        Quote(article_id=art.id, kind="partial", text="a disaster", start=22, end=32, speaker="She", parent=0),
        Quote(article_id=art.id, kind="indirect", text="rates will rise", start=67, end=82,
              speaker="Analysts", act="thought")])
    with open_store(tmp_path / "s.db") as store:
        store.write_article(art, ann, file="a.txt", run_id=1)
        every = list(iter_export(store, "quotes"))
        top = list(iter_export(store, "quotes", children=False))
        speech = list(iter_export(store, "quotes", acts=("speech",), children=False))
        with pytest.raises(ValueError, match="unknown act 'belief'; choose from: speech"):
            list(iter_export(store, "quotes", acts=("belief",)))
    assert [q["kind"] for q in every] == ["indirect", "partial", "indirect"]
    assert every[1]["parent_id"] == every[0]["id"]
    assert [(q["kind"], q["act"]) for q in top] == [("indirect", "speech"), ("indirect", "thought")]
    assert [q["text"] for q in speech] == ['the plan was "a disaster" and would fail']


def test_store_export_keeps_the_parts_of_a_broken_quote(tmp_path):
    text = '"As far as I\'m concerned," he said, "we have drawn a line under that."'
    art = _article(text)
    ann = Annotations(quotes=[Quote(article_id=art.id, kind="direct", text="x", start=1, end=69,
                                    speaker="he", parts=[(1, 25), (37, 69)])])
    with open_store(tmp_path / "s.db") as store:
        store.write_article(art, ann, file="a.txt", run_id=1)
        (q,) = iter_export(store, "quotes")
    assert q["parts"] == [[1, 25], [37, 69]]


def test_store_link_rows_rewritten_when_a_value_goes_from_minus_one_to_minus_two(tmp_path):
    # _replace_rows compared rows by hash(values), and hash(-1) == hash(-2) in Python: a link
    # whose score went from -1.0 to -2.0 kept the stored -1.0 (review of 2026-12-03)
    art = _article()

    def result(score):
        return SimpleNamespace(stories=[Story(id="s1", label="Mayorkas", article_ids=[art.id])],
                               links=[{"a": art.id, "b": "other", "kind": "same_story", "score": score, "evidence": "[]"}],
                               quote_groups=[], provenance=[], citations=[], outlet_citations=[],
                               figure_conflicts=[], entities=[], entity_map={})

    with open_store(tmp_path / "s.db") as store:
        store.write_article(art, Annotations(), file="a.txt", run_id=1)
        store.write_link_result(result(-1.0))
        store.write_link_result(result(-2.0))
        scores = [r[0] for r in store.db.execute("select score from links")]
    assert scores == [-2.0]


def test_store_keeps_and_exports_a_negated_act(tmp_path):
    # issue 15 §4: "has not confirmed any timing" (bbc/politics/417) is a negated report, stored
    # with its flag; a database written before the column existed gains it on opening
    text = "Prime Minister Tony Blair has not confirmed any timing."
    art = _article(text)
    ann = Annotations(quotes=[Quote(article_id=art.id, kind="indirect", text="any timing", start=44, end=54,
                                    speaker="Tony Blair", cue="has not confirmed", negated=True)])
    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.write_article(art, ann, file="a.txt", run_id=1)
        rows = list(iter_export(store, "quotes"))
    assert [(q["text"], q["act"], q["negated"]) for q in rows] == [("any timing", "speech", True)]
    con = sqlite3.connect(db)
    con.execute("alter table quotes drop column negated")
    con.commit()
    con.close()
    with open_store(db) as store:
        assert "negated" in store.db["quotes"].columns_dict
        # review of 2026-12-03: the older rows read as not negated (NULL dropped them from the
        # README's "act = 'speech' and not negated")
        assert [q["negated"] for q in iter_export(store, "quotes")] == [False]
        assert store.db.execute("select count(*) from quotes where act = 'speech' and not negated").fetchone() == (1,)


def test_store_exports_a_database_older_than_a_column_read_only(tmp_path):
    # review of 2026-12-03: `newstrace export` opens the database as a reader, which never migrates;
    # a database from before `quotes.negated` failed with "no such column: negated"
    text = "Prime Minister Tony Blair has not confirmed any timing."
    art = _article(text)
    ann = Annotations(quotes=[Quote(article_id=art.id, kind="indirect", text="any timing", start=44, end=54,
                                    speaker="Tony Blair", cue="has not confirmed")])
    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.write_article(art, ann, file="a.txt", run_id=1)
        new_columns = {c.name: (c.notnull, c.default_value) for c in store.db["quotes"].columns}
    # a new table's added column is what the migration gives an older one: NOT NULL DEFAULT 0
    assert new_columns["negated"] == (1, "0")
    con = sqlite3.connect(db)
    con.execute("alter table quotes drop column negated")
    con.commit()
    con.close()
    with open_store(db, writer=False) as store:
        assert "negated" not in store.db["quotes"].columns_dict
        rows = list(iter_export(store, "quotes", acts=("speech",), children=False))
    assert [(q["text"], q["negated"]) for q in rows] == [("any timing", False)]


def _older_database_without_act(tmp_path, user_version: int | None):
    """A database with one quote and one attribution whose ``act`` column an older version lacks
    (``user_version`` None) or added without its value (NULL rows, as the migration of
    2026-12-03's sixth session did: ``user_version`` 2)."""
    text = "Prime Minister Tony Blair has not confirmed any timing, according to the BBC."
    art = _article(text)
    ann = Annotations(quotes=[Quote(article_id=art.id, kind="indirect", text="any timing", start=44, end=54,
                                    speaker="Tony Blair", cue="has not confirmed")],
                      attributions=[Attribution(article_id=art.id, source="the BBC", source_kind="outlet",
                                                named=True, cue="according to", sentence=text, start=0, end=len(text))])
    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.write_article(art, ann, file="a.txt", run_id=1)
    con = sqlite3.connect(db)
    for table in ("quotes", "attributions"):
        con.execute(f"alter table {table} drop column act")
        if user_version is not None:
            con.execute(f"alter table {table} add column act text")  # no default: NULL rows
    if user_version is not None:
        con.execute(f"pragma user_version = {user_version}")
    con.commit()
    con.close()
    return db


def test_store_older_rows_without_act_read_as_speech_read_only(tmp_path):
    # review of 2026-12-03 (seventh session): the export read a missing `act` as NULL while the
    # canned queries read 'speech', so `export --kind speech` gave nothing from an older database
    db = _older_database_without_act(tmp_path, None)
    with open_store(db, writer=False) as store:
        assert "act" not in store.db["quotes"].columns_dict
        assert [q["act"] for q in iter_export(store, "quotes", acts=("speech",))] == ["speech"]
        assert [a["act"] for a in iter_export(store, "attributions")] == ["speech"]


def test_store_rows_an_older_migration_left_null_read_as_speech_read_only(tmp_path):
    # second review of 2026-12-03: the one-off update runs only when a writer opens the file;
    # export, stats, serve and the report only read
    db = _older_database_without_act(tmp_path, 2)
    with open_store(db, writer=False) as store:
        assert [q["act"] for q in iter_export(store, "quotes", acts=("speech",))] == ["speech"]
        assert [a["act"] for a in iter_export(store, "attributions")] == ["speech"]
    assert sqlite3.connect(db).execute("pragma user_version").fetchone()[0] == 2  # not migrated


def test_store_rows_an_older_migration_left_null_gain_their_act(tmp_path):
    db = _older_database_without_act(tmp_path, 2)
    with open_store(db) as store:  # a writer migrates once (schema version 3)
        assert [q["act"] for q in iter_export(store, "quotes", acts=("speech",))] == ["speech"]
        assert store.db.execute("select act from attributions").fetchall() == [("speech",)]
        assert store.db.execute("pragma user_version").fetchone()[0] >= 3


def test_store_never_lowers_a_newer_schema_version(tmp_path):
    # second review of 2026-12-03: a writer set user_version to its own number, so a database of a
    # newer version would run that version's one-off updates again
    db = tmp_path / "s.db"
    with open_store(db):
        pass
    con = sqlite3.connect(db)
    con.execute("pragma user_version = 99")
    con.commit()
    con.close()
    with open_store(db) as store:
        assert store.db.execute("pragma user_version").fetchone()[0] == 99


def test_store_canned_queries_read_rows_an_older_migration_left_null_as_speech(tmp_path):
    # form1 (2026-12-04): the export read a NULL act as 'speech' (schema.column_sql) while the
    # canned queries Datasette serves read q.act raw where the column exists: a read-only database
    # an older migration left with NULL acts showed act NULL in quotes_of_person
    from newstrace.store import queries
    db = _older_database_without_act(tmp_path, 2)
    conn = queries.connect(db)
    try:
        meta = queries.datasette_metadata("old", queries.table_columns(conn))["databases"]["old"]
        rows = conn.execute(meta["queries"]["quotes_of_person"]["sql"], {"name": "Tony Blair"}).fetchall()
        assert [(r["text"], r["act"], r["negated"]) for r in rows] == [("any timing", "speech", 0)]
        assert [tuple(r) for r in conn.execute("select act from quotes")] == [(None,)]  # read as it is, not migrated
    finally:
        conn.close()


# bbc/politics/357 and bbc/politics/355: a noun-phrase content and a clause (an embedded question),
# as the extractors give them (tests/test_forms.py), and a direct quote of bbc/tech/300
FORM_TEXT = ("But general secretary of the public services union Unison Dave Prentis criticised the plans. "
             "But the Lib Dem spokesman questioned whether that money was being found from cuts to education "
             "and health. \"People want portability,\" she said.")


def _form_quotes(art):
    t = FORM_TEXT

    def at(words):
        return t.index(words), t.index(words) + len(words)

    return [Quote(article_id=art.id, kind="indirect", text="the plans", start=at("the plans")[0],
                  end=at("the plans")[1], speaker="Dave Prentis", form="noun_phrase"),
            Quote(article_id=art.id, kind="indirect", text=t[slice(*at("whether that money"))], speaker="Lib Dem",
                  start=at("whether that money")[0], end=at("and health")[1], form="clause"),
            Quote(article_id=art.id, kind="direct", text="People want portability,", speaker="she",
                  start=at("People want")[0], end=at("portability,")[1], form="quoted")]


def test_store_keeps_and_exports_the_form_and_filters_by_it(tmp_path):
    art = _article(FORM_TEXT)
    with open_store(tmp_path / "s.db") as store:
        store.write_article(art, Annotations(quotes=_form_quotes(art)), file="a.txt", run_id=1)
        every = [(q["kind"], q["form"]) for q in iter_export(store, "quotes")]
        said = [q["form"] for q in iter_export(store, "quotes", forms=("clause", "quoted"))]
        with pytest.raises(ValueError, match="unknown form 'np'; choose from: clause, noun_phrase, quoted"):
            list(iter_export(store, "quotes", forms=("np",)))
    assert every == [("indirect", "noun_phrase"), ("indirect", "clause"), ("direct", "quoted")]
    assert said == ["clause", "quoted"]


def _database_before_form(tmp_path, drop: bool):
    """A database of schema version 3: no ``quotes.form`` (``drop``), or the column added without values."""
    art = _article(FORM_TEXT)
    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.write_article(art, Annotations(quotes=_form_quotes(art)), file="a.txt", run_id=1)
    con = sqlite3.connect(db)
    con.execute("alter table quotes drop column form")
    if not drop:
        con.execute("alter table quotes add column form text")
    con.execute("pragma user_version = 3")
    con.commit()
    con.close()
    return db


@pytest.mark.parametrize("drop", [True, False])
def test_store_rows_before_the_form_read_quoted_or_unknown_read_only(tmp_path, drop):
    # an older database opened read-only (never migrated): the words in quote marks read 'quoted',
    # an indirect quote's form is unknown (it needs the parse); --form lists only rows that have one
    db = _database_before_form(tmp_path, drop)
    with open_store(db, writer=False) as store:
        assert ("form" in store.db["quotes"].columns_dict) is not drop
        assert [(q["kind"], q["form"]) for q in iter_export(store, "quotes")] == [
            ("indirect", None), ("indirect", None), ("direct", "quoted")]
        assert [q["kind"] for q in iter_export(store, "quotes", forms=("quoted", "clause"))] == ["direct"]


def test_store_rows_before_the_form_gain_it_once_a_writer_opens_the_database(tmp_path):
    db = _database_before_form(tmp_path, True)
    with open_store(db) as store:  # a writer migrates (schema version 4)
        assert store.db.execute("select kind, form from quotes order by rowid").fetchall() == [
            ("indirect", None), ("indirect", None), ("direct", "quoted")]
        assert store.db.execute("pragma user_version").fetchone()[0] >= 4
