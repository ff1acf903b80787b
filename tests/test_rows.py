"""Tests for rows.Rows, the column-by-column row sets the link stage reads (issue #5)."""

from __future__ import annotations

import json

import pytest

from newstrace.rows import Rows, SortedLookup, as_rows


def test_rows_from_tuples_shares_strings_packs_ints_and_decodes_json():
    names = ["id", "article_id", "start", "roles", "name"]
    tuples = [("q1", "art" + "1" * 20, 3, "[]", "Chris Magnus"),
              ("q2", "art" + "1" * 20, None, json.dumps([{"title": "commissioner"}]), "Chris Magnus"),
              ("q3", "art2", 2 ** 40, None, None)]
    # SQLite gives a new string object per row: build them apart so sharing is observable
    tuples = [tuple("".join(list(v)) if isinstance(v, str) else v for v in t) for t in tuples]
    rows = Rows.from_tuples(names, tuples, shared={"article_id", "name"}, json_columns={"roles"})
    assert len(rows) == 3
    assert rows.col("article_id")[0] is rows.col("article_id")[1]  # one object for a repeated value
    assert rows.col("roles")[0] is not None and rows.col("roles")[0] is rows.col("roles")[0]
    assert list(rows.col("start")) == [3, None, 2 ** 40] and type(rows.col("start")).__name__ == "_IntColumn"
    assert rows.decoded("roles", 1) == [{"title": "commissioner"}] and rows.col("roles")[1].startswith("[")
    assert rows[1] == dict(id="q2", article_id="art" + "1" * 20, start=None, roles=[{"title": "commissioner"}],
                           name="Chris Magnus")
    assert rows[-1]["id"] == "q3" and [r["id"] for r in rows] == ["q1", "q2", "q3"]
    assert list(rows.col("no_such_column")) == [None, None, None]
    with pytest.raises(IndexError):
        rows[3]


def test_rows_from_dicts_take_and_as_rows():
    rows = Rows.from_dicts([dict(id="a", n=1), dict(id="b"), dict(id="c", n=3, extra="x")])
    assert [r["n"] for r in rows] == [1, None, 3] and rows[0]["extra"] is None
    back = rows.take([2, 0])
    assert [r["id"] for r in back] == ["c", "a"] and list(back.col("n")) == [3, 1]
    assert as_rows(rows) is rows and len(as_rows([])) == 0
    with pytest.raises(ValueError):
        Rows({"a": [1, 2], "b": [1]})


def test_rows_merge_entities_same_on_rows_and_dicts():
    from newstrace.link import merge_entities

    dicts = [dict(article_id="a", local_id=0, name="Chris Magnus", type="person", aliases=[],
                  roles=[{"title": "CBP Commissioner", "article_id": "a"}], gender="m"),
             dict(article_id="a", local_id=1, name="Customs and Border Protection", type="organisation",
                  aliases=["CBP"], roles=[], gender=None),
             dict(article_id="b", local_id=0, name="Magnus", type="person", aliases=[], roles=[], gender="m"),
             dict(article_id="b", local_id=1, name="CBP", type="organisation", aliases=[], roles=[], gender=None),
             dict(article_id="b", local_id=2, name="", type="person", aliases=[], roles=[], gender=None)]
    tuples = [(d["article_id"], d["local_id"], d["name"], d["type"], json.dumps(d["aliases"]), json.dumps(d["roles"]),
               d["gender"]) for d in dicts]
    rows = Rows.from_tuples(["article_id", "local_id", "name", "type", "aliases", "roles", "gender"], tuples,
                            json_columns={"aliases", "roles"})
    emap_d, ents_d = merge_entities(dicts)
    emap_r, ents_r = merge_entities(rows)
    assert dict(emap_d.items()) == dict(emap_r.items()) and list(ents_d) == list(ents_r)
    assert emap_r[("a", 0)] == emap_r[("b", 0)] and emap_r[("a", 1)] == emap_r[("b", 1)]
    assert ("b", 2) not in emap_r and len(emap_r) == 4  # a row without a name is not merged
    magnus = next(e for e in ents_r if e["type"] == "person")
    assert magnus["name"] == "Chris Magnus" and magnus["article_ids"] == ["a", "b"]
    assert [r["title"] for r in magnus["roles"]] == ["CBP Commissioner"]


def test_rows_sorted_lookup_merges_two_id_ordered_streams():
    # the link stage's stored rows (MinHash bands, vectors, entity weights and signatures, quote
    # words) are streamed in id order and met by articles in id order: one pass, missing ids None
    read = []

    def stream():
        for row in (("a1", 1), ("a3", 3), ("a4", 4), ("a9", 9)):
            read.append(row[0])
            yield row

    look = SortedLookup(stream())
    assert [look.get(k) for k in ("a0", "a1", "a2", "a3", "a5", "a9", "b")] == \
        [None, ("a1", 1), None, ("a3", 3), None, ("a9", 9), None]
    assert read == ["a1", "a3", "a4", "a9"]  # each stored row read once, none held back
    assert SortedLookup(None).get("a1") is None and SortedLookup([]).get("a1") is None


def test_rows_packed_column_indexes_like_a_list():
    # the packed column's own __getitem__ (the array checks the index) behaves as the list would
    values = [3, None, 2 ** 40, -7]
    col = Rows.from_tuples(["start"], [(v,) for v in values]).col("start")
    assert type(col).__name__ == "_IntColumn"
    assert [col[i] for i in range(-4, 4)] == [values[i] for i in range(-4, 4)]
    assert col[1:] == values[1:] and col[::-2] == values[::-2] and list(col) == values
    for bad in (4, -5):
        with pytest.raises(IndexError):
            col[bad]
    # a column holding the packing's None marker, or floats, stays a list
    assert type(Rows.from_tuples(["x"], [(-(2 ** 63),), (1,)]).col("x")) is list
    assert type(Rows.from_tuples(["x"], [(1,), (1.5,)]).col("x")) is list
    assert type(Rows.from_tuples(["x"], [(None,), (None,)]).col("x")) is list


def test_rows_without_cycle_collection_pauses_and_restores():
    # the link stage and the store's link reads and writes run with the cyclic collector paused
    # (issue #16: its full collections walked the whole corpus's rows); restored after, on an
    # error too, and left off when the caller had it off
    import gc

    from newstrace.rows import without_cycle_collection

    @without_cycle_collection
    def probe(fail: bool = False) -> bool:
        if fail:
            raise ValueError("boom")
        return gc.isenabled()

    assert gc.isenabled() and probe() is False and gc.isenabled()
    with pytest.raises(ValueError):
        probe(fail=True)
    assert gc.isenabled()
    gc.disable()
    try:
        assert probe() is False and not gc.isenabled()
    finally:
        gc.enable()
