"""A fuzzing campaign against newstrace's readers (issue 8), bigger than tests/test_fuzz.py.

Usage:
    .venv/bin/python bench/fuzz.py [--seconds 120] [--seed 1] [--max-inputs N] [--big] [--save DIR]

Generates inputs for ``newstrace.ingest.read_bytes`` until the time or input budget runs out,
from real seed files (examples/, tests/data/, a few BBC and Zyte benchmark pages):

* mutated: seed bytes with 1-8 random edits (bit flips, deleted, inserted, duplicated or
  spliced ranges, truncation), read under the seed's name or a random one: anything may come
  out, but nothing may crash;
* good: seed texts re-encoded (UTF-8 with or without BOM, UTF-16, UTF-32, cp1252), optionally
  gzipped, as text, Markdown, JSON lines or HTML: an article must come out;
* bad: truncated gzip, random binary junk, empty and NUL files, JSON records with wrong types
  or no text: an error with a reason must come out;
* JSON batches mixing good and bad records: each good record read, each bad one reported.

Checked on every input: no exception escapes; every item is a RawArticle or an InputError with
a reason and a hint; no InputError is the reader's catch-all for its own bugs ("could not read
the file: ..."); article text is non-empty, NUL-free, valid UTF-8. Prints inputs tried, crashes,
bad reported, good read, lost, inputs/s; ``--save DIR`` writes each failing input there.
``--big`` also reads a generated 200 MB single-line file (limits raised) and reports time and
peak memory.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newstrace.config import Settings  # noqa: E402
from newstrace.ingest import list_inputs, read_bytes, read_file  # noqa: E402
from newstrace.models import InputError, RawArticle  # noqa: E402

CORPUS = next((p for p in (REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")) if p.is_dir()), None)
NAMES = ["a.txt", "a.md", "a.html", "a.json", "a.jsonl", "a.warc", "a.txt.gz", "a.html.gz",
         "a.jsonl.gz", "a.warc.gz", "a.bin", "-"]
SMALL = Settings(max_file_bytes=5_000_000, max_decompressed_bytes=5_000_000)


def load_seeds(rng: random.Random) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Seed files as (name, bytes) and seed article texts."""
    files: list[tuple[str, bytes]] = []
    for p in sorted((REPO / "tests" / "data").iterdir()):
        if p.suffix != ".py":
            files.append((p.name, p.read_bytes()))
    for p in sorted((REPO / "examples").glob("*.txt")):
        files.append((p.name, p.read_bytes()))
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*.txt"))]
    if CORPUS is not None:
        bbc = sorted((CORPUS / "bbc").glob("*/*.txt"))
        for p in rng.sample(bbc, min(40, len(bbc))):
            files.append((p.name, p.read_bytes()))
            texts.append(p.read_bytes().decode("latin-1"))
        zyte = sorted((CORPUS / "article-extraction-benchmark").rglob("*.html.gz"))
        for p in rng.sample(zyte, min(6, len(zyte))):
            files.append((p.name, p.read_bytes()))
    return files, [t for t in texts if t.strip()]


# -- generators: each returns (data, name, expectation, records) ----------------------------------
# records is None, or for JSON batches the per-record expectations ("good"/"bad").

def gen_mutated(rng, files, texts):
    name, data = rng.choice(files)
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(7)
        pos = rng.randrange(len(buf) + 1)
        if op == 0 and buf:
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1 and buf:
            i = rng.randrange(len(buf))
            buf[i] = rng.choice([0, 0xFF, 0x80, ord("<"), ord("{"), ord('"'), ord("\n"), rng.randrange(256)])
        elif op == 2:
            del buf[pos:pos + rng.randint(1, 200)]
        elif op == 3:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif op == 4 and buf:
            j = rng.randrange(len(buf))
            buf[pos:pos] = buf[j:j + rng.randint(1, 2000)]
        elif op == 5:
            _, other = rng.choice(files)
            j = rng.randrange(len(other) + 1)
            buf[pos:] = other[j:j + rng.randint(1, 5000)]
        else:
            del buf[pos:]
    if rng.random() < 0.3:
        name = rng.choice(NAMES)
    return bytes(buf), name, "any", None


def gen_good(rng, files, texts):
    text = rng.choice(texts)
    if rng.random() < 0.3:  # a random slice of paragraphs
        paras = [p for p in text.split("\n\n") if p.strip()]
        i = rng.randrange(len(paras))
        text = "\n\n".join(paras[i:i + rng.randint(1, 4)])
    # HTML pages need some body text: a three-word page is boilerplate to any extractor.
    kind = rng.choice(["txt", "md", "jsonl", "json"] + (["html"] if len(text) >= 200 else []))
    if kind in ("txt", "md"):
        enc = rng.choice(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252"])
        try:
            data = text.encode(enc)
        except UnicodeEncodeError:
            data = text.encode("utf-8")
    elif kind == "jsonl":
        data = (json.dumps({"title": "t", "text": text}, ensure_ascii=rng.random() < 0.5) + "\n").encode()
    elif kind == "json":
        data = json.dumps([{"content": text, "date": "2022-02-01"}]).encode()
    else:
        from html import escape

        body = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
        data = f"<html><head><title>T</title></head><body><article>{body}</article></body></html>".encode()
    name = "a." + kind
    if rng.random() < 0.3:
        data, name = gzip.compress(data, compresslevel=1, mtime=0), name + ".gz"
    return data, name, "good", None


def gen_bad(rng, files, texts):
    kind = rng.randrange(6)
    if kind == 0:
        gz = gzip.compress(rng.choice(texts).encode(), mtime=0)
        return gz[:rng.randrange(len(gz))], rng.choice(["a.txt.gz", "a.jsonl.gz", "a.html.gz"]), "bad", None
    if kind == 1:
        n = rng.randint(200, 6000)
        return bytes(rng.randrange(256) for _ in range(n)), rng.choice(NAMES[:6]), "bad", None
    if kind == 2:
        return rng.choice([b"", bytes(rng.randint(1, 5000)), b" \n\t" * rng.randint(1, 50)]), \
            rng.choice(NAMES[:5]), "bad", None
    if kind == 3:
        rec = rng.choice([{"text": 1}, {"text": None}, {"text": {"a": "b"}}, {"title": "x"}, {},
                          {"text": "x", "title": [1]}, {"text": "x", "date": {"y": 1}}, 7, "str", None])
        return json.dumps(rec).encode(), rng.choice(["a.json", "a.jsonl"]), "bad", None
    if kind == 4:
        return ("[" * rng.randint(1000, 100_000)).encode(), rng.choice(["a.json", "a.jsonl"]), "bad", None
    gz = gzip.compress(bytes(rng.randint(6_000_000, 8_000_000)), compresslevel=9, mtime=0)
    return gz, "a.txt.gz", "bad", None  # a small gzip bomb over SMALL's cap


def gen_json_batch(rng, files, texts):
    recs, expect = [], []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.6:
            recs.append({rng.choice(["text", "content", "body", "maintext"]): rng.choice(texts)[:rng.randint(20, 3000)] + "x",
                         "title": rng.choice(["T", None, "é"]), "junk": rng.choice([1, [], {}, None])})
            expect.append("good")
        else:
            recs.append(rng.choice([{"text": 5}, {"title": "only"}, [1, 2], "s", {"text": "x", "authors": [1]}]))
            expect.append("bad")
    if rng.random() < 0.5:
        return "\n".join(json.dumps(r) for r in recs).encode(), "a.jsonl", "any", expect
    return json.dumps(recs).encode(), "a.json", "any", expect


GENERATORS = [(gen_mutated, 5), (gen_good, 2), (gen_bad, 2), (gen_json_batch, 1)]


class Campaign:
    """Runs inputs through read_bytes and keeps the figures."""

    def __init__(self, save: Path | None) -> None:
        self.fig = dict(inputs_tried=0, crashes=0, reader_bugs=0, invariant_failures=0, bad_inputs=0,
                        bad_reported=0, bad_unreported=0, good_inputs=0, good_read=0, lost=0)
        self.save = save
        self.examples: list[str] = []

    def fail(self, what: str, data: bytes, name: str, detail: str) -> None:
        self.fig[what] += 1
        if len(self.examples) < 10:
            self.examples.append(f"{what}: {name} ({len(data)} bytes): {detail}"[:400])
        if self.save is not None:
            self.save.mkdir(parents=True, exist_ok=True)
            n = sum(1 for _ in self.save.iterdir())
            (self.save / f"{n:04d}-{what}-{os.path.basename(name) or 'stdin'}").write_bytes(data)

    def run(self, data: bytes, name: str, expect: str, records: list[str] | None,
            settings: Settings = SMALL) -> None:
        self.fig["inputs_tried"] += 1
        try:
            items = list(read_bytes(data, name=name, settings=settings))
        except BaseException as exc:  # noqa: BLE001 - a crash is what we count
            if isinstance(exc, KeyboardInterrupt):
                raise
            self.fail("crashes", data, name, traceback.format_exc(limit=4))
            return
        for item in items:
            if isinstance(item, InputError):
                if not (item.reason.strip() and item.hint.strip()):
                    return self.fail("invariant_failures", data, name, f"error without reason/hint: {item}")
                if item.reason.startswith("could not read the file:"):
                    return self.fail("reader_bugs", data, name, item.reason)
            elif isinstance(item, RawArticle):
                if not item.text.strip() or "\x00" in item.text:
                    return self.fail("invariant_failures", data, name, "empty or NUL text")
                try:
                    item.text.encode("utf-8")
                except UnicodeEncodeError:
                    return self.fail("invariant_failures", data, name, "text is not valid UTF-8")
            else:
                return self.fail("invariant_failures", data, name, f"unexpected item {type(item)}")
        if not items:
            return self.fail("invariant_failures", data, name, "nothing came out")
        errors = [i for i in items if isinstance(i, InputError)]
        if records is not None:
            if len(items) != len(records):
                return self.fail("invariant_failures", data, name, f"{len(items)} items for {len(records)} records")
            for item, exp in zip(items, records):
                self._count(exp, isinstance(item, InputError), data, name)
        elif expect != "any":
            self._count(expect, bool(errors), data, name)

    def _count(self, expect: str, reported: bool, data: bytes, name: str) -> None:
        if expect == "good":
            self.fig["good_inputs"] += 1
            if reported:
                self.fail("lost", data, name, "a good input was not read")
            else:
                self.fig["good_read"] += 1
        else:
            self.fig["bad_inputs"] += 1
            if reported:
                self.fig["bad_reported"] += 1
            else:
                self.fail("bad_unreported", data, name, "a bad input was read without an error")


def big_line(campaign: Campaign, size: int) -> str:
    """Read a generated single-line text file of ``size`` bytes from disk; return a summary."""
    sentence = b"Rosneft bought the Yugansk unit for $9.3bn in a sale forced by the Russian state. "
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "line.txt"
        with path.open("wb") as fh:
            for _ in range(size // len(sentence)):
                fh.write(sentence)
        settings = Settings(max_file_bytes=size + 1, max_decompressed_bytes=size + 1)
        (f,) = list(list_inputs([str(path)]))
        t0 = time.perf_counter()
        campaign.fig["inputs_tried"] += 1
        try:
            items = list(read_file(f, settings=settings))
        except Exception:
            campaign.fail("crashes", b"", str(path), traceback.format_exc(limit=4))
            return "crashed"
        took = time.perf_counter() - t0
        arts = [i for i in items if isinstance(i, RawArticle)]
        campaign._count("good", not arts, b"", str(path))
        chars = sum(len(a.text) for a in arts)
        del items, arts
        refused = list(read_file(f, settings=Settings()))  # default max_file_bytes refuses it
        campaign._count("bad", any(isinstance(i, InputError) for i in refused), b"", str(path))
        campaign.fig["inputs_tried"] += 1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"{size / 1e6:.0f} MB single line: read in {took:.1f} s ({chars:,} chars), peak RSS {rss:.0f} MB; refused under the default max_file_bytes"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=120.0, help="time budget (default 120)")
    ap.add_argument("--max-inputs", type=int, default=0, help="stop after this many inputs (0: no cap)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--big", action="store_true", help="also read a generated 200 MB single-line file")
    ap.add_argument("--save", type=Path, help="write each failing input to this folder")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    files, texts = load_seeds(rng)
    campaign = Campaign(args.save)
    gens = [g for g, w in GENERATORS for _ in range(w)]
    by_gen: dict[str, int] = {}
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < args.seconds and (not args.max_inputs or campaign.fig["inputs_tried"] < args.max_inputs):
        gen = rng.choice(gens)
        data, name, expect, records = gen(rng, files, texts)
        by_gen[gen.__name__] = by_gen.get(gen.__name__, 0) + 1
        campaign.run(data, name, expect, records)
    elapsed = time.perf_counter() - t0
    tried = campaign.fig["inputs_tried"]
    big = big_line(campaign, 200_000_000) if args.big else None

    f = campaign.fig
    print(f"newstrace fuzz campaign: seed {args.seed}, {len(files)} seed files, {elapsed:.1f} s")
    print(f"inputs tried:   {f['inputs_tried']:,}  ({', '.join(f'{k[4:]} {v:,}' for k, v in sorted(by_gen.items()))})")
    print(f"crashes:        {f['crashes']}  (reader bugs caught by the guard: {f['reader_bugs']}, "
          f"invariant failures: {f['invariant_failures']})")
    print(f"bad reported:   {f['bad_reported']:,} of {f['bad_inputs']:,}  (unreported: {f['bad_unreported']})")
    print(f"good read:      {f['good_read']:,} of {f['good_inputs']:,}  (lost: {f['lost']})")
    print(f"inputs/s:       {tried / elapsed:,.0f}")
    if big:
        print(big)
    for ex in campaign.examples:
        print("  " + ex.replace("\n", " | "))
    bad = f["crashes"] + f["reader_bugs"] + f["invariant_failures"] + f["lost"] + f["bad_unreported"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
