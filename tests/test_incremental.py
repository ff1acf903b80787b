"""Linking new articles against what is stored (issue #16): what a run reuses from earlier runs
(each article's MinHash band keys, ``link_minhash``) and that articles fed in batches give what
one full link of the same database gives."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from conftest import HAVE_MODEL
from conftest_report import sample_records
from newstrace.config import Settings
from newstrace.link import LinkResult, link_articles
from newstrace.link.candidates import MinHashIndex
from newstrace.link.features import build_docs, Texts
from newstrace.models import Annotations, Article
from newstrace.pipeline import analyze, link_database
from newstrace.store import open_store, stored_minhash

SETTINGS = Settings()
GOLD = Path(__file__).resolve().parent / "gold" / "linking" / "bbc_sample.txt"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _bbc(corpus_dir: Path, name: str) -> tuple[str, str]:
    title, _, body = (corpus_dir / "bbc" / f"{name}.txt").read_text(encoding="latin-1").partition("\n")
    return title.strip(), body.strip()


def _bbc_articles(corpus_dir: Path, n: int) -> list[dict]:
    """``n`` BBC articles of the linking sample plus BBC's own re-filed copy of politics/226
    (politics/265: a duplicate, found through MinHash), dated over January 2005."""
    names = GOLD.read_text().split()[:n] + ["politics/226", "politics/265"]
    out = []
    for name in dict.fromkeys(names):
        title, body = _bbc(corpus_dir, name)
        out.append(dict(id=f"bbc:{name}", title=title, text=body,
                        published=f"2005-01-{1 + sum(map(ord, name)) % 28:02d}"))
    return out


def _link(arts: list[dict], stored=None) -> LinkResult:
    return link_articles(arts, settings=SETTINGS, stored_minhash=stored)


def _links(result: LinkResult) -> list[tuple]:
    return [(lk.a, lk.b, lk.kind, lk.score, lk.evidence) for lk in result.links]


def _partition(stories) -> list[list[str]]:
    return sorted(sorted(s["article_ids"] if isinstance(s, dict) else s.article_ids) for s in stories)


def test_incremental_stored_minhash_gives_the_full_link(corpus_dir):
    arts = _bbc_articles(corpus_dir, 40)
    full = _link(arts)
    assert full.minhash_full and [a for a, _ in full.minhash_keys] == sorted(a["id"] for a in arts)
    assert ("bbc:politics/226", "bbc:politics/265", "duplicate") in [x[:3] for x in _links(full)]
    keys = dict(full.minhash_keys)
    order = arts[:]
    random.Random(5).shuffle(order)
    old = order[: len(order) * 3 // 4]  # linked first; the rest is new
    # the duplicate pair is among them: found again from its stored keys alone
    assert {"bbc:politics/226", "bbc:politics/265"} <= {a["id"] for a in old}
    first = _link(old)
    stored = sorted(first.minhash_keys)
    assert all(keys[a] == raw for a, raw in stored)  # a signature depends on the article's words only
    schemes = []

    def lookup(scheme: str):
        schemes.append(scheme)
        return iter(stored)
    again = _link(arts, lookup)
    assert schemes == [full.minhash_scheme]
    # only the new articles' keys were computed
    assert not again.minhash_full
    assert sorted(a for a, _ in again.minhash_keys) == sorted(a["id"] for a in order[len(old):])
    assert _links(again) == _links(full)
    assert _partition(again.stories) == _partition(full.stories)
    assert [g.quote_ids for g in again.quote_groups] == [g.quote_ids for g in full.quote_groups]


def test_incremental_stored_keys_are_used_not_recomputed(corpus_dir):
    # the keys stored for an article are what the index holds for it, even when they are not what
    # its words would give (here: another article's): nothing is computed for it again
    arts = _bbc_articles(corpus_dir, 4)
    keys = dict(_link(arts).minhash_keys)
    a, b = arts[0]["id"], arts[1]["id"]
    stored = [(a, keys[b])]
    index, fresh = MinHashIndex(SETTINGS), []
    texts = Texts(arts)
    build_docs(arts, {}, texts, minhash=index, stored_bands=stored, fresh_bands=fresh)
    assert fresh == list(range(1, len(arts)))
    table = np.frombuffer(index.keys, dtype=np.uint64).reshape(-1, index.bands)
    assert list(index.ids)[:2] == [0, 1] and table[0].tobytes() == keys[b] == table[1].tobytes()
    assert 0 * len(arts) + 1 in index.pair_codes(len(arts)).tolist()  # so they pair as copies


def test_incremental_keys_of_another_scheme_are_recomputed(tmp_path, corpus_dir):
    arts = _bbc_articles(corpus_dir, 6)
    with open_store(tmp_path / "n.db") as store:
        run = store.start_run(settings={}, inputs=[], version="test")
        for a in arts:
            store.write_article(Article(id=a["id"], source=a["id"], raw_text=a["text"], text=a["text"],
                                        title=a["title"], published=a["published"]), Annotations(),
                                file="bbc", run_id=run)
        link_database(store, settings=SETTINGS)
        n = store.db["link_minhash"].count
        assert n == len(arts)
        other = Settings(minhash_perm=64)
        assert list(stored_minhash(store, f"v1;k={other.shingle_words};perm=64;bands=0x0")) == []
        result = link_database(store, settings=other)
        assert result.minhash_full is False and len(list(result.minhash_keys)) == len(arts)
        assert {s for (s,) in store.db.execute("select distinct scheme from link_minhash")} == {result.minhash_scheme}


def _write(store, arts: list[Article], recs: dict) -> None:
    run = store.start_run(settings={}, inputs=[], version="test")
    for a in arts:
        store.write_article(a, recs.get(a.id) or Annotations(), file=a.source, run_id=run)


def _snapshot(db_path: Path) -> dict:
    con = sqlite3.connect(db_path)
    out = dict(
        stories=sorted(sorted(json.loads(r[0])) for r in con.execute("select article_ids from stories")),
        labels=sorted(r[0] for r in con.execute("select label from stories")),
        links=sorted(con.execute("select a, b, kind, score, evidence from links")),
        quote_groups=sorted(con.execute("select quote_ids, variant, differences, speaker, first_article, drift "
                                        "from quote_groups")),
        provenance=sorted(con.execute("select * from provenance")),
        figure_conflicts=sorted(con.execute("select what, figures from figure_conflicts")),
        entities=sorted(con.execute("select id, name, article_ids from entities")),
        minhash=sorted(con.execute("select article_id, scheme, bands from link_minhash")),
    )
    con.close()
    return out


def test_incremental_batches_through_the_store_equal_one_full_link(tmp_path, corpus_dir):
    # the seed articles with their annotations and 40 BBC articles, shuffled, stored and linked in
    # three batches, give the link tables of one full link of the same articles
    recs = sample_records()
    notes = {a.id: recs["annotations"][k] for k, a in recs["articles"].items()}
    arts = list(recs["articles"].values()) + [
        Article(id=a["id"], source=a["id"], raw_text=a["text"], text=a["text"], title=a["title"],
                published=a["published"]) for a in _bbc_articles(corpus_dir, 40)]
    with open_store(tmp_path / "full.db") as store:
        _write(store, arts, notes)
        link_database(store, settings=SETTINGS)
    full = _snapshot(tmp_path / "full.db")
    order = arts[:]
    random.Random(11).shuffle(order)
    with open_store(tmp_path / "batches.db") as store:
        for lo, hi in ((0, 15), (15, 30), (30, len(order))):
            _write(store, order[lo:hi], notes)
            result = link_database(store, settings=SETTINGS)
            assert sorted(a for a, _ in result.minhash_keys) == sorted(a.id for a in order[lo:hi])
    assert _snapshot(tmp_path / "batches.db") == full


@pytest.mark.model
@pytest.mark.skipif(not HAVE_MODEL, reason="English spaCy pipeline not installed")
def test_incremental_analyze_in_batches_equals_one_run(tmp_path, corpus_dir):
    # `newstrace analyze` over the seed files and a BBC duplicate pair, shuffled into three
    # batches, then once over all of them: the same stories, links and quote groups; --relink
    # recomputes every stored signature and changes nothing
    files = sorted(EXAMPLES.glob("*.txt"))
    for name in ("politics/226", "politics/265", "politics/001"):
        dst = tmp_path / f"bbc_{name.replace('/', '_')}.txt"
        shutil.copy(corpus_dir / "bbc" / f"{name}.txt", dst)
        files.append(dst)
    random.Random(3).shuffle(files)
    settings = Settings(jobs=1)
    for k, batch in enumerate((files[:3], files[3:6], files[6:])):
        folder = tmp_path / f"batch{k}"
        folder.mkdir()
        for f in batch:
            shutil.copy(f, folder / f.name)
        analyze([str(folder)], str(tmp_path / "batches.db"), settings=settings)
    everything = tmp_path / "all"
    everything.mkdir()
    for f in files:
        shutil.copy(f, everything / f.name)
    analyze([str(everything)], str(tmp_path / "full.db"), settings=settings)
    batches, full = _snapshot(tmp_path / "batches.db"), _snapshot(tmp_path / "full.db")
    assert any(kind == "duplicate" for _, _, kind, _, _ in full["links"])
    assert {k: batches[k] for k in ("stories", "links", "quote_groups")} == \
        {k: full[k] for k in ("stories", "links", "quote_groups")}
    assert batches["minhash"] == full["minhash"]
    analyze([str(everything)], str(tmp_path / "batches.db"), settings=settings, relink=True)
    assert _snapshot(tmp_path / "batches.db")["minhash"] == full["minhash"]
