"""Wall time and peak memory of the link stage as the corpus grows (is it near-linear?).

Builds N articles from the BBC corpus (2,225 texts) repeated and perturbed: copy k of an article
has every non-stopword replaced by a copy-specific pseudo-word (a keyed hash suffix), so copies
are distinct articles with BBC's length and word-frequency profile rather than 45 duplicates of
each other; 2% of the articles are light edits of another one (word drops), so duplicate
detection has work to do. Dates are spread over two years, outlets over 50 names.

Each article carries the rows the pipeline stores for its BBC original (``--records pipeline``,
the default): its quotes, claims, local entities and attributions, ciphered as its text is. The
pipeline is run over the 2,225 BBC texts once to get them (a few minutes; the database is kept
in ``bench/.cache``). These rows are most of what the link stage holds: an earlier version of
this bench gave the linker articles and regex quotes only (``--records regex``) and so
under-measured memory about sevenfold (issue #5).

By default (``--texts store``) the corpus is written to a SQLite file by a separate process and
the measured process reads it as the pipeline does: ``Store.load_link_inputs(texts=False)``,
then ``link_articles(..., text_of=store.article_text)``, so article texts are read on demand and
never all resident. ``--texts held`` measures the old way: every article dict with its full text
in memory, built in the measured process.

Each size runs in a fresh process; printed per size: seconds in ``link_articles``, articles per
second, the peak resident memory of the process, what the inputs held before linking, and
memory per article (whole peak, and the growth during linking); the number of stories, links,
quote groups, global entities and input rows. Then the growth ratios between the smallest and
largest size (time ratio over size ratio, fitted exponent, 1.0 = linear) and the peak memory
projected to 1M articles by a straight line through the two sizes' peaks.

``--incremental F`` measures issue #16's incremental linking instead, at the first size: a
fraction F (e.g. 0.01) of the articles, chosen at random, is held back; the rest is stored and
linked in full (``pipeline.link_database``, which stores what later runs reuse: the term-weight
snapshot, every article's MinHash band keys and term vector, every candidate pair's verdict and
every compared quote pair's similarity); the held-back articles are added; then, ``--runs``
times in alternating rounds, a full relink (``relink=True``: nothing reused, a new snapshot) and
an incremental link (what the first link stored, the global entity ids it wrote into the local
entities, quotes and attributions included, is restored first, so each run starts from the state
before the articles were added) are timed, whole ``link_database`` calls: inputs read,
linked, tables written. Printed: the median seconds of each (wall, and CPU of the process), the
incremental cost as a share of the full link's, the peak resident memory of each (VmHWM, reset before each run), how many
signatures and pairs the incremental run computed; whether its stories, links and quote groups
equal a full link of the same database under the same snapshot (``reuse=False``), and how they
differ from the relink's (whose new snapshot weighs words by counts over all articles).

Progress lines (the base link, each round's two times) go to stderr as the runs go. ``--keep DB``
keeps the prepared database (articles written, the stored ones linked, the new ones added) and
reuses it on a later call made by the same link code: preparing 10,000 articles takes minutes.

Usage:  .venv/bin/python bench/link_scale.py [--sizes 10000 100000] [--texts store|held]
            [--records pipeline|regex] [--corpus DIR] [--incremental 0.01 [--runs 3] [--keep DB]]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CANDIDATES = [REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")]
_WORD = re.compile(r"[A-Za-z]+")


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Reset the process's peak resident memory (VmHWM), so the next run's peak is its own."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def _hwm_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# the columns the link stage reads from each per-article table (Store.load_link_inputs)
RECORD_COLUMNS = {
    "quotes": ("id", "article_id", "text", "start", "end", "speaker", "via", "parent_id"),
    "claims": ("id", "article_id", "text", "value", "unit", "what", "asserted_by", "kind", "date", "start", "end",
               "qualifier"),
    "local_entities": ("id", "article_id", "local_id", "name", "type", "aliases", "roles", "gender"),
    "attributions": ("id", "article_id", "source", "source_kind", "start", "end", "named"),
}
# string fields that carry an article's words: ciphered with the article's text in a copy
CIPHERED = {"text", "speaker", "via", "what", "asserted_by", "name", "source"}


def _bbc(corpus: Path) -> list[tuple[str, str]]:
    out = []
    for f in sorted((corpus / "bbc").glob("*/*.txt")):
        title, _, body = f.read_text(encoding="latin-1").partition("\n")
        out.append((title.strip(), body.strip()))
    return out


def pipeline_records(corpus: Path, cache: Path) -> list[dict[str, list[dict]]]:
    """Per BBC article (in file order): its quote, claim, local entity and attribution rows as
    the pipeline stores them. The pipeline is run over the 2,225 BBC texts once (a few minutes)
    and its database kept in ``cache``."""
    import sqlite3

    base = _bbc(corpus)
    db = cache / "bbc-records.db"
    if not db.exists():
        from newstrace.config import Settings
        from newstrace.pipeline import analyze

        cache.mkdir(parents=True, exist_ok=True)
        src = cache / "bbc.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for j, (title, body) in enumerate(base):
                fh.write(json.dumps(dict(id=f"bbc-{j}", title=title, text=body, outlet="BBC News",
                                         date="2005-01-01")) + "\n")
        t0 = time.perf_counter()
        print(f"running the pipeline over {len(base)} BBC articles once for their records "
              f"(cached in {db}) ...", file=sys.stderr, flush=True)
        tmp = cache / "bbc-records.partial.db"
        tmp.unlink(missing_ok=True)
        analyze([str(src)], str(tmp), settings=Settings(jobs=2))
        tmp.rename(db)
        print(f"... done in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    con = sqlite3.connect(db)
    # the JSONL line number in an article's source is its position in file order
    pos = {aid: int(src.rsplit("#", 1)[1]) - 1 for aid, src in con.execute("select id, source from articles")}
    recs: list[dict[str, list[dict]]] = [{t: [] for t in RECORD_COLUMNS} for _ in base]
    for table, cols in RECORD_COLUMNS.items():
        sql = f"select {', '.join(f'[{c}]' for c in cols)} from {table} order by rowid"
        for row in con.execute(sql):
            r = dict(zip(cols, row))
            j = pos.get(r["article_id"])
            if j is not None and j < len(base):
                recs[j][table].append(r)
    con.close()
    return recs


def _cipher_fn(copy: int):
    from newstrace.link.text import STOP

    def cipher(m: re.Match) -> str:
        w = m.group(0)
        if w.lower() in STOP:
            return w
        h = zlib.crc32(f"{w.lower()}|{copy}".encode())
        return w + "qwxzjkvy"[h % 8] + "aeiou"[(h >> 3) % 5] + "bcdfgh"[(h >> 6) % 6]
    return cipher


def _copy_records(recs: dict[str, list[dict]], aid: str, copy: int) -> dict[str, list[dict]]:
    """One BBC article's rows for copy ``copy`` of it: its article id, its ids, its words ciphered."""
    cipher = _cipher_fn(copy)

    def c(v):
        return _WORD.sub(cipher, v) if copy and isinstance(v, str) else v

    out: dict[str, list[dict]] = {}
    for table, rows in recs.items():
        new = []
        for r in rows:
            r = {k: (c(v) if k in CIPHERED else v) for k, v in r.items()}
            r["article_id"] = aid
            if r.get("id"):
                r["id"] = f"{aid}-{r['id'].rsplit('-', 1)[-1]}"
            if r.get("parent_id"):
                r["parent_id"] = f"{aid}-{r['parent_id'].rsplit('-', 1)[-1]}"
            if table == "local_entities":
                r["aliases"] = json.dumps([c(x) for x in json.loads(r["aliases"] or "[]")])
                roles = json.loads(r["roles"] or "[]")
                r["roles"] = json.dumps([dict(x, title=c(x.get("title")), org=c(x.get("org")), article_id=aid)
                                         for x in roles if isinstance(x, dict)])
            new.append(r)
        out[table] = new
    return out


def synth_corpus(corpus: Path, n: int, recs: list[dict[str, list[dict]]] | None = None,
                 seed: int = 3) -> Iterator[tuple[dict, dict[str, list[dict]]]]:
    """N perturbed BBC articles, one at a time, each with its per-article rows: the pipeline's
    rows of its BBC original (ciphered as the text is) when ``recs`` is given, else quotes from a
    regex over straight double quotes."""
    import datetime as dt

    base = _bbc(corpus)
    rng = random.Random(seed)
    start = 730000  # a day number in 2000; dates spread over two years
    made: list[tuple[int, int, str, str]] = []  # (copy, base index, title, text) of each article so far
    for i in range(n):
        copy, j = divmod(i, len(base))
        title, body = base[j]
        if copy:
            cipher = _cipher_fn(copy)
            title, body = _WORD.sub(cipher, title), _WORD.sub(cipher, body)
        if made and rng.random() < 0.02:  # a light edit of an earlier article (its rows too)
            copy, j, title, src_text = made[rng.randrange(len(made))]
            words = src_text.split(" ")
            body = " ".join(w for w in words if rng.random() > 0.05)
        made.append((copy, j, title, body))
        aid = f"s{i:07d}"
        day = dt.date.fromordinal(start + rng.randrange(730))
        art = dict(id=aid, title=title, text=body, published=day.isoformat(), outlet=f"Outlet {rng.randrange(50)}")
        if recs is not None:
            rows = _copy_records(recs[j], aid, copy)
        else:
            rows = {t: [] for t in RECORD_COLUMNS}
            k = 0
            for para in re.finditer(r"[^\n]+", body):
                marks = [m.start() for m in re.finditer('"', para.group(0))]
                for x in range(0, len(marks) - 1, 2):
                    s, e = para.start() + marks[x] + 1, para.start() + marks[x + 1]
                    if len(body[s:e].split()) >= 4:
                        rows["quotes"].append(dict(id=f"{aid}-q{k}", article_id=aid, text=body[s:e], start=s, end=e,
                                                   speaker=None, via=None, parent_id=None))
                        k += 1
        yield art, rows
        if len(made) > 20000:  # light edits copy one of the last 20,000: memory stays flat
            del made[:10000]


def make_corpus(corpus: Path, n: int, recs: list[dict[str, list[dict]]] | None = None) -> tuple[list[dict], dict[str, list[dict]]]:
    """All of :func:`synth_corpus` in lists (the ``--texts held`` way)."""
    arts, rows = [], {t: [] for t in RECORD_COLUMNS}
    for art, r in synth_corpus(corpus, n, recs):
        arts.append(art)
        for t, v in r.items():
            rows[t].extend(v)
    return arts, rows


def write_corpus(corpus: Path, n: int, db_path: str, recs: list[dict[str, list[dict]]] | None) -> None:
    """Write N articles and their rows to a SQLite file with the store's columns, streaming (no
    full-text index: only the link stage's reads are measured)."""
    import sqlite_utils

    from newstrace.store import TABLES

    db = sqlite_utils.Database(db_path)
    for name in ("articles", "quotes", "claims", "local_entities", "attributions", "stories"):
        db[name].create(TABLES[name]["columns"], pk=TABLES[name]["pk"])
    batch: dict[str, list[dict]] = {t: [] for t in ("articles", *RECORD_COLUMNS)}

    def flush() -> None:
        with db.conn:
            for t, rows in batch.items():
                if rows:
                    db[t].insert_all(rows, batch_size=5000)
                    rows.clear()

    for k, (art, rows) in enumerate(synth_corpus(corpus, n, recs)):
        batch["articles"].append(dict(art, source=art["id"], words=len(art["text"].split())))
        for t, v in rows.items():
            batch[t].extend(v)
        if k % 5000 == 4999:
            flush()
    flush()
    db.close()


def run_one(corpus: Path, n: int, db_path: str | None = None, recs: list | None = None) -> dict:
    from newstrace.config import Settings
    from newstrace.link import link_articles

    store = None
    if db_path:  # the pipeline's way: rows from the store, texts read on demand
        from newstrace.store import open_store

        store = open_store(db_path, writer=False)
        inputs = store.load_link_inputs(texts=False)
        arts, text_of = inputs.pop("articles"), inputs.pop("text_of")
        rows = {t: inputs[t] for t in RECORD_COLUMNS}
    else:
        arts, rows = make_corpus(corpus, n, recs)
        text_of = None
    counts = {t: len(v) for t, v in rows.items()}
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    last: dict[str, int] = {}

    def progress(phase: str, done: int, total: int | None) -> None:  # live, on stderr: long runs
        pct = 100 * done // total if total else 100
        if pct >= last.get(phase, -10) + 10 or done == total:
            last[phase] = pct
            print(f"  [{n} articles] {time.perf_counter() - t0:7.0f} s  {phase} {done}/{total}  "
                  f"RSS {_rss_mb():.0f} MB", file=sys.stderr, flush=True)

    result = link_articles(arts, quotes=rows["quotes"], claims=rows["claims"], local_entities=rows["local_entities"],
                           attributions=rows["attributions"], existing_stories=[], settings=Settings(), text_of=text_of,
                           progress=progress)
    secs = time.perf_counter() - t0
    if store is not None:
        store.close()
    kinds: dict[str, int] = {}
    for lk in result.links:
        kinds[lk.kind] = kinds.get(lk.kind, 0) + 1
    return dict(n=n, seconds=secs, rss_before_mb=rss0, peak_mb=_peak_mb(), stories=len(result.stories),
                links=kinds, quote_groups=len(result.quote_groups), rows=counts,
                entities=len(result.entities), provenance=sum(1 for _ in result.provenance))


def _link_tables(db_path: str) -> dict[str, list]:
    """What must not differ between an incremental and a full link: the stories (as sets of
    article ids), the links and the quote groups."""
    import sqlite3

    con = sqlite3.connect(db_path)
    out = dict(stories=sorted(sorted(json.loads(r[0])) for r in con.execute("select article_ids from stories")),
               links=sorted(con.execute("select a, b, kind, score, evidence from links")),
               quote_groups=sorted(con.execute("select quote_ids, variant, differences, first_article "
                                               "from quote_groups")))
    con.close()
    return out


def _differences(x: dict[str, list], y: dict[str, list]) -> dict[str, int]:
    """How many stories, links and quote groups one side has that the other has not (both ways)."""
    out = {}
    for k in x:
        a, b = ({json.dumps(v, default=str) for v in side[k]} for side in (x, y))
        out[k] = len(a ^ b)
    links_x = {(r[0], r[1]): r for r in x["links"]}
    links_y = {(r[0], r[1]): r for r in y["links"]}
    both = links_x.keys() & links_y.keys()
    out["links_only_one_side"] = len(links_x.keys() ^ links_y.keys())
    out["links_other_kind"] = sum(1 for p in both if links_x[p][2] != links_y[p][2])
    out["links_other_score"] = sum(1 for p in both if links_x[p][2] == links_y[p][2] and links_x[p][3] != links_y[p][3])
    return out


# what a link run keeps for the next one and the link tables it wrote: restored before each
# incremental run, so that each starts from what the link of the stored articles (before the new
# ones came) left, not from the relink's tables (which already hold the new articles)
LINK_TABLES = ("entities", "stories", "links", "quote_groups", "provenance", "citations", "outlet_citations",
               "figure_conflicts")
CACHE_TABLES = ("link_minhash", "link_terms", "link_snapshot", "link_pairs", "link_features", "link_quote_pairs",
                "link_quote_words", "link_schemes", "link_neighbours",
                "link_entity_weights", "link_entity_sigs", "link_entity_terms", "link_entity_index", *LINK_TABLES)

# the global entity ids the link writes into the per-article tables: restored with the link tables
# (an incremental link reads the local entities' stored ids, ``stored_entity_names``)
ENTITY_ID_COLUMNS = (("local_entities", "entity_id"), ("quotes", "speaker_entity_id"),
                     ("attributions", "source_entity_id"))


def _say(msg: str) -> None:
    """A progress line on stderr (a 10,000-article run under load takes the better part of an hour)."""
    print(f"  [link_scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _entity_merge(result) -> str:
    """How the link merged entities: incremental, or why in full ('-' for code without the choice)."""
    if not hasattr(result, "entity_fallback"):
        return "-"
    return result.entity_fallback or "incremental"


def run_incremental(db_path: str, fraction: float, runs: int, keep: str | None = None) -> dict:
    """Time a full relink and an incremental link after adding ``fraction`` new articles to the
    stored ones (see the module's docstring); medians over ``runs``. A database prepared by an
    earlier call (``keep``: the stored articles linked, the new ones added, what the link stored
    saved in ``bench_saved_*`` tables) is used as it is when the link code is the same."""
    import statistics

    from newstrace.config import Settings
    from newstrace.link.core import CODE_ID
    from newstrace.pipeline import link_database
    from newstrace.store import open_store

    settings = Settings()
    tables = ("articles", *RECORD_COLUMNS)
    with open_store(db_path) as store:
        cache_tables = [t for t in CACHE_TABLES if store.db[t].exists()]  # the link code's own (main's may lack some)
        if store.db["bench_meta"].exists():  # prepared by an earlier run (--keep)
            meta = dict(store.db.execute("select key, value from bench_meta").fetchall())
            if meta.get("code") != CODE_ID or float(meta["fraction"]) != fraction:
                raise SystemExit(f"{keep}: prepared by other link code or another --incremental: delete it")
            ids = [r[0] for r in store.db.execute("select id from articles order by id")]
            new = [r[0] for r in store.db.execute("select id from bench_new order by id")]
            base_s = float(meta["base_seconds"])
            _say(f"prepared database reused ({len(ids)} articles, {len(new)} new)")
        else:
            ids = [r[0] for r in store.db.execute("select id from articles order by id")]
            new = sorted(random.Random(9).sample(ids, max(1, round(fraction * len(ids)))))
            held: dict[str, list[dict]] = {}
            with store.db.atomic():
                store.db.execute("create table bench_new (id text primary key)")
                store.db.conn.executemany("insert into bench_new values (?)", ((i,) for i in new))
                for t in tables:
                    col = "id" if t == "articles" else "article_id"
                    held[t] = list(store.db.query(f"select * from [{t}] where [{col}] in (select id from bench_new)"))
                    store.db.execute(f"delete from [{t}] where [{col}] in (select id from bench_new)")
            _say(f"linking the {len(ids) - len(new)} stored articles in full")
            t0 = time.perf_counter()
            link_database(store, settings=settings)
            base_s = time.perf_counter() - t0
            _say(f"... {base_s:.1f} s")
            with store.db.atomic():
                for t in cache_tables:
                    store.db.execute(f"create table bench_saved_{t} as select * from [{t}]")
                for t, col in ENTITY_ID_COLUMNS:
                    store.db.execute(f"create table bench_saved_{t}_{col} as select id, [{col}] from [{t}]")
                    # indexed: restoring the ids looks one row up per row (without it each lookup
                    # scanned the table: quadratic, most of a 10,000-article run's hour)
                    store.db.execute(f"create index bench_saved_{t}_{col}_id on bench_saved_{t}_{col} (id)")
                for t in tables:
                    store.db[t].insert_all(held[t], batch_size=5000)
                store.db["bench_meta"].insert_all([dict(key="code", value=CODE_ID), dict(key="fraction", value=str(fraction)),
                                                   dict(key="base_seconds", value=str(base_s))])
            if keep:
                part = Path(keep + ".part")  # renamed when whole: a run stopped while saving leaves no half copy
                part.unlink(missing_ok=True)
                store.db.execute("vacuum into ?", [str(part)])
                part.replace(keep)
                _say(f"prepared database kept in {keep}")
        full, incr, full_cpu, incr_cpu = [], [], [], []
        peak_full = peak_incr = 0.0
        for k in range(runs):  # alternating rounds: the machine's load hits both alike
            _reset_peak()
            t0, c0 = time.perf_counter(), time.process_time()
            link_database(store, settings=settings, relink=True)
            full.append(time.perf_counter() - t0)
            full_cpu.append(time.process_time() - c0)
            peak_full = max(peak_full, _hwm_mb())
            relinked = _link_tables(db_path)
            with store.db.atomic():
                for t in cache_tables:
                    store.db.execute(f"delete from [{t}]")
                    store.db.execute(f"insert into [{t}] select * from bench_saved_{t}")
                for t, col in ENTITY_ID_COLUMNS:  # the new articles' rows had none: they get none
                    store.db.execute(f"update [{t}] set [{col}] = (select s.[{col}] from bench_saved_{t}_{col} s "
                                     f"where s.id = [{t}].id)")
            _reset_peak()
            t0, c0 = time.perf_counter(), time.process_time()
            result = link_database(store, settings=settings)
            incr.append(time.perf_counter() - t0)
            incr_cpu.append(time.process_time() - c0)
            peak_incr = max(peak_incr, _hwm_mb())
            computed = sum(1 for _ in result.minhash_keys)
            classified = len(result.pairs)
            _say(f"run {k + 1}/{runs}: full relink {full[-1]:.1f} s, incremental link {incr[-1]:.1f} s "
                 f"(entity merge: {_entity_merge(result)})")
        got = _link_tables(db_path)
        # the full link the incremental one must equal: every signature and verdict computed
        # again, under the same term-weight snapshot
        _say("the same-snapshot full link to compare with")
        link_database(store, settings=settings, reuse=False)
        want = _link_tables(db_path)
    return dict(n=len(ids), new=len(new), base_seconds=base_s, full=full, incremental=incr,
                full_median=statistics.median(full), incremental_median=statistics.median(incr),
                full_cpu=full_cpu, incremental_cpu=incr_cpu, full_cpu_median=statistics.median(full_cpu),
                incremental_cpu_median=statistics.median(incr_cpu),
                keys_computed=computed, pairs_classified=classified, same=got == want,
                differences=_differences(got, want), vs_relink=_differences(got, relinked),
                peak_full_mb=peak_full, peak_incr_mb=peak_incr,
                entity_merge=_entity_merge(result))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--texts", choices=("store", "held"), default="store",
                    help="read texts on demand from a SQLite store (default), or hold them all in memory")
    ap.add_argument("--corpus", help="folder holding bbc/ (default: ../shared/corpus)")
    ap.add_argument("--records", choices=("pipeline", "regex"), default="pipeline",
                    help="per-article rows: the pipeline's own quotes, claims, local entities and "
                         "attributions of each BBC original (default), or regex quotes only (the old bench)")
    ap.add_argument("--cache", default=str(REPO / "bench" / ".cache"),
                    help="where the pipeline's BBC records database is kept (default: bench/.cache)")
    ap.add_argument("--incremental", type=float, metavar="F",
                    help="measure adding this fraction of new articles (e.g. 0.01) against a full relink, "
                         "at the first size (issue #16)")
    ap.add_argument("--runs", type=int, default=3, help="runs per figure with --incremental (medians)")
    ap.add_argument("--keep", metavar="DB", help="with --incremental: keep the prepared database (articles written, "
                    "the stored ones linked, the new ones added) in this file, and reuse it when it exists and was "
                    "prepared by the same link code (a 10,000-article preparation takes minutes)")
    ap.add_argument("--incr-db", help=argparse.SUPPRESS)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--write", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    corpus = next((c for c in ([Path(args.corpus)] if args.corpus else CANDIDATES) if (c / "bbc").is_dir()), None)
    if corpus is None:
        raise SystemExit("BBC corpus not found: pass --corpus DIR (the folder holding bbc/)")
    recs = pipeline_records(corpus, Path(args.cache)) \
        if args.records == "pipeline" and not args.db and not args.incremental else None
    if args.write:
        write_corpus(corpus, args.write, args.db, pipeline_records(corpus, Path(args.cache))
                     if args.records == "pipeline" else None)
        return
    if args.incr_db:
        print(json.dumps(run_incremental(args.incr_db, args.incremental, args.runs, args.keep)))
        return
    if args.incremental:
        n = args.sizes[0]
        with tempfile.TemporaryDirectory(prefix="link_scale") as tmp:
            db = str(Path(tmp) / "corpus.db")
            keep = ["--keep", args.keep] if args.keep else []
            if args.keep and Path(args.keep).exists():
                shutil.copyfile(args.keep, db)
            else:
                _say(f"writing {n} articles")
                subprocess.run([sys.executable, __file__, "--write", str(n), "--db", db, "--corpus", str(corpus),
                                "--records", args.records, "--cache", args.cache], check=True)
            out = subprocess.run([sys.executable, __file__, "--incr-db", db, "--incremental", str(args.incremental),
                                  "--runs", str(args.runs), "--corpus", str(corpus), "--records", args.records, *keep],
                                 stdout=subprocess.PIPE, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['n']} articles stored ({args.records} records), {r['new']} added "
              f"({100 * r['new'] / r['n']:.1f}%); {args.runs} runs of each, whole link_database calls", flush=True)
        print(f"  full relink:      median {r['full_median']:7.1f} s  (runs: "
              f"{', '.join(f'{x:.1f}' for x in r['full'])})")
        print(f"  incremental link: median {r['incremental_median']:7.1f} s  (runs: "
              f"{', '.join(f'{x:.1f}' for x in r['incremental'])}); MinHash computed for {r['keys_computed']} articles")
        print(f"  incremental link classified {r['pairs_classified']} candidate pairs (the others' verdicts reused); "
              f"peak RSS of a full relink {r['peak_full_mb']:.0f} MB, of an incremental link {r['peak_incr_mb']:.0f} MB")
        print(f"  incremental / full: {r['incremental_median'] / r['full_median']:.1%} (target <= 5%)")
        # CPU seconds of the measuring process: the machine may be loaded by others
        print(f"  CPU seconds: full relink median {r['full_cpu_median']:.1f} (runs: "
              f"{', '.join(f'{x:.1f}' for x in r['full_cpu'])}), incremental median "
              f"{r['incremental_cpu_median']:.1f} (runs: {', '.join(f'{x:.1f}' for x in r['incremental_cpu'])}): "
              f"{r['incremental_cpu_median'] / r['full_cpu_median']:.1%}")
        print(f"  same stories, links and quote groups as a full link under the same term-weight snapshot: "
              f"{'yes' if r['same'] else 'NO'}; differing: {r['differences']}")
        print(f"  against the full relink (a new snapshot, counted over all {r['n']} articles), differing: "
              f"{r['vs_relink']}")
        print(f"  entity merge of the incremental link: {r['entity_merge']}")
        return
    if args.one:
        print(json.dumps(run_one(corpus, args.one, args.db, recs)))
        return
    print(f"per-article rows: {'the pipeline records of each BBC original' if recs is not None else 'regex quotes'}",
          flush=True)
    rows = []
    print(f"texts: {'read on demand from a SQLite store' if args.texts == 'store' else 'all held in memory'}",
          flush=True)
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="link_scale") as tmp:
            extra = []
            if args.texts == "store":
                db = str(Path(tmp) / "corpus.db")
                t0 = time.perf_counter()
                subprocess.run([sys.executable, __file__, "--write", str(n), "--db", db, "--corpus", str(corpus),
                                "--records", args.records, "--cache", args.cache], check=True)
                print(f"{n:>8} articles written to a SQLite store in {time.perf_counter() - t0:.0f} s", flush=True)
                extra = ["--db", db]
            out = subprocess.run([sys.executable, __file__, "--one", str(n), "--corpus", str(corpus),
                                  "--records", args.records, "--cache", args.cache, *extra],
                                 stdout=subprocess.PIPE, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(r)
        per_kb = r["peak_mb"] * 1024 / r["n"]
        added_kb = (r["peak_mb"] - r["rss_before_mb"]) * 1024 / r["n"]
        print(f"{r['n']:>8} articles: {r['seconds']:8.1f} s  {r['n'] / r['seconds']:7.0f} art/s  "
              f"peak RSS {r['peak_mb']:7.0f} MB (input held: {r['rss_before_mb']:.0f} MB)  "
              f"{per_kb:.1f} KB/article ({added_kb:.1f} KB/article added while linking)  "
              f"stories {r['stories']}  links {r['links']}  quote groups {r['quote_groups']}  "
              f"entities {r['entities']}  rows {r['rows']}", flush=True)
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        size_ratio = b["n"] / a["n"]
        time_ratio = b["seconds"] / a["seconds"]
        mem_ratio = (b["peak_mb"] - b["rss_before_mb"] + 1) / (a["peak_mb"] - a["rss_before_mb"] + 1)
        print(f"growth {a['n']} -> {b['n']} (x{size_ratio:.0f}): time x{time_ratio:.1f}, "
              f"exponent {math.log(time_ratio) / math.log(size_ratio):.2f} (1.00 = linear); "
              f"memory added while linking x{mem_ratio:.1f}")
        # a straight line through the two peaks: fixed cost (interpreter, libraries, bounded
        # caches) plus a per-article slope
        slope = (b["peak_mb"] - a["peak_mb"]) / (b["n"] - a["n"])
        at_1m = b["peak_mb"] + slope * (1_000_000 - b["n"])
        hours = b["seconds"] * (1_000_000 / b["n"]) ** (math.log(time_ratio) / math.log(size_ratio)) / 3600
        print(f"projected to 1,000,000 articles: peak RSS {at_1m / 1024:.1f} GB "
              f"({slope * 1024 * 1024 / 1000:.1f} KB per article above a fixed {b['peak_mb'] - slope * b['n']:.0f} MB), "
              f"link time {hours:.1f} h at the fitted exponent")


if __name__ == "__main__":
    main()
