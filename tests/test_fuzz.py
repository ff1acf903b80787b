"""Fuzzing the input side (issue 8): generated and malformed inputs through ``newstrace.ingest``.

Each check counts one input and asserts: reading never raises; every item is a RawArticle or an
InputError; every InputError has a reason and a hint (and none is the catch-all of a reader
bug, "could not read the file: ..."); every RawArticle has non-empty text that encodes as UTF-8
without NUL characters; an input known to be bad yields an InputError; an input known to be good
yields its article(s). The figures (inputs tried, crashes, bad inputs reported, good inputs
read, hostile inputs survived) are printed in pytest's terminal summary and written to
``fuzz-figures.json`` in pytest's base temp folder. ``bench/fuzz.py`` runs a bigger campaign.

Hypothesis runs derandomized (same examples on every run: CI cannot flake) with no example
database (nothing is written to the checkout).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import string
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.config import Settings
from newstrace.ingest import list_inputs, read_bytes, read_file
from newstrace.models import InputError, RawArticle

DATA = Path(__file__).resolve().parent / "data"
YUKOS = (DATA / "bbc_yukos.txt").read_text(encoding="utf-8")
PARAGRAPHS = [p.strip() for p in YUKOS.split("\n\n")[1:]] + [
    p.strip() for p in json.loads((DATA / "nela.json").read_text(encoding="utf-8"))[0]["content"].split("\n\n")
]
SMALL = Settings(max_file_bytes=5_000_000, max_decompressed_bytes=5_000_000)

FIGURES = {"inputs_tried": 0, "crashes": 0, "bad_inputs": 0, "bad_reported": 0, "good_inputs": 0,
           "good_read": 0, "hostile_inputs": 0, "hostile_survived": 0, "lost": 0, "reader_bugs": 0}

HYPOTHESIS = dict(deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.filter_too_much])


class _Summary:
    """Registered as a pytest plugin so the figures show in the terminal summary (pytest -ra)."""

    def pytest_terminal_summary(self, terminalreporter):
        if FIGURES["inputs_tried"]:
            terminalreporter.section("newstrace fuzz figures (tests/test_fuzz.py)")
            terminalreporter.write_line(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in FIGURES.items()))


@pytest.fixture(scope="module", autouse=True)
def fuzz_figures(request, tmp_path_factory):
    if not request.config.pluginmanager.has_plugin("newstrace-fuzz-summary"):
        request.config.pluginmanager.register(_Summary(), "newstrace-fuzz-summary")
    yield FIGURES
    out = tmp_path_factory.getbasetemp() / "fuzz-figures.json"
    out.write_text(json.dumps(FIGURES, indent=2), encoding="utf-8")


def check(items_or_fn, expect: str, label: str = "") -> list[RawArticle | InputError]:
    """Count one input and assert the reading invariants; ``expect`` is good, bad or any."""
    FIGURES["inputs_tried"] += 1
    try:
        items = list(items_or_fn() if callable(items_or_fn) else items_or_fn)
    except BaseException:
        FIGURES["crashes"] += 1
        raise
    assert items, f"{label}: nothing came out (neither an article nor an error)"
    for item in items:
        assert isinstance(item, (RawArticle, InputError)), (label, item)
        if isinstance(item, InputError):
            assert item.reason.strip() and item.hint.strip(), (label, item)
            if item.reason.startswith("could not read the file:"):
                FIGURES["reader_bugs"] += 1
                raise AssertionError(f"{label}: reader bug caught by the guard: {item.reason}")
        else:
            assert item.text.strip(), (label, item)
            assert "\x00" not in item.text, label
            item.text.encode("utf-8")
            for value in (item.title, item.outlet, item.url, item.published, *item.authors):
                if value is not None:
                    value.encode("utf-8")
    errors = [i for i in items if isinstance(i, InputError)]
    if expect == "bad":
        FIGURES["bad_inputs"] += 1
        assert errors, f"{label}: a bad input was read without an error: {items!r}"[:500]
        FIGURES["bad_reported"] += 1
    elif expect == "good":
        FIGURES["good_inputs"] += 1
        if errors:
            FIGURES["lost"] += 1
            raise AssertionError(f"{label}: a good input was not read: {errors!r}"[:500])
        FIGURES["good_read"] += 1
    else:
        FIGURES["hostile_inputs"] += 1
        FIGURES["hostile_survived"] += 1
    return items


# -- hypothesis: arbitrary bytes under every name -----------------------------------------------

NAMES = ["a.txt", "a.md", "a.html", "a.json", "a.jsonl", "a.warc", "a.txt.gz", "a.html.gz",
         "a.jsonl.gz", "a.warc.gz", "a.bin", "-"]


@settings(max_examples=2500, **HYPOTHESIS)
@given(data=st.binary(max_size=3000), name=st.sampled_from(NAMES))
def test_fuzz_arbitrary_bytes_never_crash(data, name):
    check(lambda: read_bytes(data, name=name, settings=SMALL), "any", f"{name} {data[:40]!r}")


_WRAPPERS = [b"", b"<html><body><p>", b'{"text": "', b"WARC/1.0\r\n", b"\xff\xfe", b"\xef\xbb\xbf",
             b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"]


@settings(max_examples=1500, **HYPOTHESIS)
@given(prefix=st.sampled_from(_WRAPPERS), data=st.binary(max_size=2000), name=st.sampled_from(NAMES))
def test_fuzz_plausible_headers_with_junk_never_crash(prefix, data, name):
    check(lambda: read_bytes(prefix + data, name=name, settings=SMALL), "any", f"{name} {prefix!r}")


# -- hypothesis: text round trip ----------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
               | st.sampled_from("\n\t  .,\"'’“”—–"), max_size=400)


@settings(max_examples=1500, **HYPOTHESIS)
@given(text=TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
       ext=st.sampled_from(["txt", "md", "txt.gz"]))
def test_fuzz_text_round_trip(text, encoding, ext):
    data = text.encode(encoding)
    if ext.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    if not text.strip():
        check(lambda: read_bytes(data, name=f"a.{ext}"), "bad", "whitespace-only text")
        return
    (art,) = check(lambda: read_bytes(data, name=f"a.{ext}"), "good", f"{encoding} {text[:40]!r}")
    assert art.text == text and art.format == ext.split(".")[0]


# -- hypothesis: JSON records -------------------------------------------------------------------

WORDS = st.text(alphabet=string.ascii_letters + string.digits + " .,'’é—", min_size=1, max_size=80)
JSON_ANY = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                        | st.text(max_size=20),
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                        max_leaves=8)
TEXT_KEYS = ["text", "content", "maintext", "body", "articleBody"]


@st.composite
def good_record(draw):
    text = draw(WORDS.filter(lambda s: s.strip()))
    rec = {draw(st.sampled_from(TEXT_KEYS)): text}
    if draw(st.booleans()):
        rec["title"] = draw(WORDS)
    if draw(st.booleans()):
        rec[draw(st.sampled_from(["date", "published", "date_publish"]))] = draw(
            st.sampled_from(["2022-02-01", "2022-02-01T10:20:30Z", "Tue, 01 Feb 2022 10:00:00 +0000", "soon"])
            | st.integers(0, 2_000_000_000))
    if draw(st.booleans()):
        rec[draw(st.sampled_from(["author", "authors"]))] = draw(WORDS | st.lists(WORDS, max_size=3))
    if draw(st.booleans()):
        rec["url"] = "https://example.org/" + draw(st.text(string.ascii_lowercase, min_size=1, max_size=12))
    if draw(st.booleans()):
        rec[draw(st.sampled_from(["source", "outlet", "source_domain"]))] = draw(WORDS)
    rec.update(draw(st.dictionaries(st.text(string.ascii_lowercase, min_size=1, max_size=6)
                                    .map(lambda k: "x_" + k), JSON_ANY, max_size=3)))
    return rec, "good", text


WRONG = st.integers() | st.floats(allow_nan=False) | st.booleans() | st.dictionaries(
    st.sampled_from(["a", "b"]), st.integers(), min_size=1) | st.lists(st.integers(), min_size=1)


@st.composite
def bad_record(draw):
    rec, _, _ = draw(good_record())
    kind = draw(st.sampled_from(["text", "title", "date", "authors", "not-object", "no-text"]))
    if kind == "text":
        for key in TEXT_KEYS:
            rec.pop(key, None)
        rec["text"] = draw(WRONG)
    elif kind == "title":
        rec["title"] = draw(WRONG.filter(lambda v: not isinstance(v, dict)))
    elif kind == "date":
        rec["date"] = draw(st.booleans() | st.lists(st.integers(), min_size=1)
                           | st.dictionaries(st.sampled_from(["y"]), st.integers(), min_size=1))
        for key in ("published", "date_publish"):
            rec.pop(key, None)
    elif kind == "authors":
        rec["author"] = [1, 2]
        rec.pop("authors", None)
    elif kind == "not-object":
        rec = draw(st.lists(st.integers(), max_size=2) | st.text(max_size=10) | st.integers() | st.none())
    else:
        for key in TEXT_KEYS:
            rec.pop(key, None)
    return rec, "bad", None


@settings(max_examples=1200, **HYPOTHESIS)
@given(records=st.lists(good_record() | bad_record(), min_size=1, max_size=6),
       container=st.sampled_from(["jsonl", "json-array", "json-object", "jsonl.gz"]))
def test_fuzz_json_records(records, container):
    if container == "json-object" and not isinstance(records[0][0], dict):
        container = "json-array"
    recs = [r for r, _, _ in records]
    if container.startswith("jsonl"):
        data = "\n".join(json.dumps(r) for r in recs).encode("utf-8")
        name = "a." + container
        if container.endswith(".gz"):
            data = gzip.compress(data, mtime=0)
    elif container == "json-array":
        data, name = json.dumps(recs).encode("utf-8"), "a.json"
    else:
        data, name = json.dumps({"status": "ok", "articles": recs}).encode("utf-8"), "a.json"
    items = check(lambda: read_bytes(data, name=name), "any", f"{container} {recs!r}"[:300])
    assert len(items) == len(records)
    for item, (rec, expect, text) in zip(items, records):
        if expect == "good":
            FIGURES["good_inputs"] += 1
            assert isinstance(item, RawArticle), (rec, item)
            assert item.text == text
            FIGURES["good_read"] += 1
        else:
            FIGURES["bad_inputs"] += 1
            assert isinstance(item, InputError) and item.record, (rec, item)
            FIGURES["bad_reported"] += 1


@settings(max_examples=400, **HYPOTHESIS)
@given(lines=st.lists(st.text(max_size=60) | st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
                      min_size=1, max_size=20))
def test_fuzz_jsonl_garbage_lines(lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    check(lambda: read_bytes(data, name="a.jsonl"), "any", repr(lines)[:200])


# -- hypothesis: HTML ---------------------------------------------------------------------------

TAGS = ["div", "p", "span", "a", "b", "h1", "h2", "ul", "li", "table", "tr", "td", "article", "nav",
        "footer", "header", "section", "script", "style", "blockquote", "figure", "iframe", "svg", "main"]


@st.composite
def html_tree(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        choice = draw(st.integers(0, 5))
        if choice == 0:
            parts.append(draw(st.text(max_size=40)).replace("\x00", ""))
        elif choice == 1:
            parts.append(draw(st.sampled_from(["<br>", "<img src=x onerror=alert(1)>", "<!-- c -->", "&amp;",
                                               "&#0;", "&#xD800;", "<![CDATA[x]]>", "</p>", "<p", "&bogus;"])))
        elif choice == 2:
            parts.append(draw(st.sampled_from(PARAGRAPHS)))
        else:
            tag = draw(st.sampled_from(TAGS))
            attr = draw(st.sampled_from(["", ' class="content"', ' id="main"', " style='x'", ' x="&quot;<"']))
            parts.append(f"<{tag}{attr}>{draw(html_tree(depth=depth + 1))}</{tag}>")
    return "".join(parts)


@settings(max_examples=700, **HYPOTHESIS)
@given(body=html_tree(), title=st.text(max_size=30), encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_fuzz_html_never_crash(body, title, encoding):
    page = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    data = page.encode(encoding, "replace")
    check(lambda: read_bytes(data, name="a.html"), "any", page[:200])


@settings(max_examples=300, **HYPOTHESIS)
@given(paras=st.lists(st.sampled_from(PARAGRAPHS), min_size=2, max_size=6, unique=True),
       nav=st.lists(st.text(string.ascii_letters, min_size=1, max_size=10), max_size=8),
       wrap=st.sampled_from(["article", "div", "main", "section"]))
def test_fuzz_html_article_pages_are_read(paras, nav, wrap):
    links = "".join(f'<li><a href="/{n}">{n}</a></li>' for n in nav)
    body = "".join(f"<p>{p}</p>" for p in paras)
    page = (f"<html><head><title>Yukos unit buyer faces loan claim</title></head><body>"
            f"<nav><ul>{links}</ul></nav><{wrap}><h1>Yukos unit buyer faces loan claim</h1>{body}</{wrap}>"
            f"<footer><p>Copyright 2005</p></footer></body></html>")
    (art,) = check(lambda: read_bytes(page.encode(), name="a.html"), "good", page[:100])
    assert all(p in art.text.split("\n\n") for p in paras), (paras, art.text)


# -- systematic corruption ----------------------------------------------------------------------

def test_fuzz_gzip_every_cut_and_byte_flip():
    gz = gzip.compress(YUKOS.encode("utf-8"), mtime=0)
    for cut in range(len(gz)):
        check(lambda: read_bytes(gz[:cut], name="a.txt.gz"), "bad", f"gzip cut at {cut}")
    rng = random.Random(8)
    for pos in range(len(gz)):
        flipped = bytearray(gz)
        flipped[pos] ^= 1 << rng.randrange(8)
        check(lambda: read_bytes(bytes(flipped), name="a.txt.gz"), "any", f"gzip bit flip at {pos}")


def test_fuzz_warc_every_cut():
    from warcio.archiveiterator import ArchiveIterator

    raw = gzip.decompress((DATA / "crawl.warc.gz").read_bytes())
    it = ArchiveIterator(io.BytesIO(raw))
    ends = []
    for rec in it:
        rec.content_stream().read()
        ends.append(it.get_record_offset() + it.get_record_length())
    for cut in range(0, len(raw), 3):
        at_boundary = any(end <= cut <= end + 4 for end in ends)
        check(lambda: read_bytes(raw[:cut], name="a.warc"), "any" if at_boundary else "bad",
              f"WARC cut at {cut}")
    gz = (DATA / "crawl.warc.gz").read_bytes()
    for cut in range(0, len(gz), 5):
        check(lambda: read_bytes(gz[:cut], name="a.warc.gz"), "bad", f"WARC.gz cut at {cut}")


# -- a corpus of malformed files on disk --------------------------------------------------------

def _bomb(size: int) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    return b"".join(comp.compress(block) for _ in range(size >> 20)) + comp.flush()


def _corpus(root: Path) -> dict[str, str]:
    """Write the malformed-file corpus; returns file name -> expectation (good/bad/any)."""
    rng = random.Random(2022)
    expect: dict[str, str] = {}

    def put(name: str, data: bytes | str, kind: str) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[name] = kind

    for ext in ["txt", "html", "json", "jsonl", "warc", "md"]:
        for i in range(5):
            put(f"junk/{i}.{ext}", bytes(rng.randrange(256) for _ in range(rng.randrange(200, 5000))), "bad")
        put(f"zero/empty.{ext}", b"", "bad")
        put(f"zero/nul.{ext}", bytes(4096), "bad")
    gz = gzip.compress(YUKOS.encode(), mtime=0)
    put("gzip/truncated.txt.gz", gz[: len(gz) // 2], "bad")
    put("gzip/header-only.txt.gz", gz[:10], "bad")
    put("gzip/not-gzip.txt.gz", YUKOS, "bad")
    put("gzip/trailing-garbage.txt.gz", gz + b"garbage", "bad")
    put("gzip/zero-padded.txt.gz", gz + bytes(512), "good")
    put("gzip/bomb.txt.gz", _bomb(300 << 20), "bad")  # 300 MB of zeros in ~300 KB: over the default cap
    warc = gzip.decompress((DATA / "crawl.warc.gz").read_bytes())
    put("warc/truncated.warc", warc[: len(warc) * 2 // 3], "bad")
    put("warc/truncated-gz.warc.gz", (DATA / "crawl.warc.gz").read_bytes()[:3000], "bad")
    put("warc/garbage-after.warc", warc + b"this is not a record", "bad")
    put("warc/good.warc", warc, "good")
    # a very long single line: 30 MB of words without a newline (the 200 MB case is in bench/fuzz.py)
    line = ("Rosneft bought the Yugansk unit for $9.3bn in a sale forced by Russia. " * 430_000)[:30_000_000]
    put("long/line.txt", line, "good")
    put("long/line.txt.gz", gzip.compress(line.encode(), compresslevel=1), "good")
    put("long/line.jsonl", json.dumps({"text": line[:10_000_000]}), "good")
    put("long/line.html", f"<html><body><p>{line[:5_000_000]}</p></body></html>", "any")
    # deeply nested HTML
    for depth in (300, 5_000, 100_000):
        put(f"nested/{depth}.html", "<html><body>" + "<div>" * depth + f"<p>{PARAGRAPHS[0]}</p>"
            + "</div>" * depth + "</body></html>", "any")
    put("nested/unclosed.html", "<html><body>" + "<div><span><p>" * 20_000 + PARAGRAPHS[0], "any")
    put("nested/deep.json", "[" * 200_000 + "]" * 200_000, "bad")
    put("nested/deep.jsonl", '{"text": ' + "[" * 200_000, "bad")
    # encodings
    put("unicode/invalid-utf8.txt", YUKOS.encode() + b"\xc3\x28 \xa0\xa1 \xf0\x28\x8c\xbc \xed\xa0\x80", "good")
    put("unicode/overlong.txt", b"\xc0\xaf" * 200, "any")
    put("unicode/utf16-bom.txt", YUKOS.encode("utf-16"), "good")
    put("unicode/utf16-bom-odd.txt", YUKOS.encode("utf-16") + b"\x00", "good")
    put("unicode/utf16-bom-garbage.txt", b"\xff\xfe" + bytes(rng.randrange(256) for _ in range(3000)), "bad")
    put("unicode/utf16be-bom.html", f"<html><body><p>{PARAGRAPHS[0]}</p></body></html>".encode("utf-16-be")
        .join([b"\xfe\xff", b""]), "good")
    put("unicode/utf32-bom.md", YUKOS.encode("utf-32"), "good")
    put("unicode/cp1252.txt", YUKOS.replace("£", "€").encode("cp1252"), "good")
    put("unicode/mixed-newlines.txt", YUKOS.replace("\n", "\r\n", 3).replace("\n\n", "\r\r", 1), "good")
    put("unicode/rtl-and-emoji.txt", "‏שלום 👩‍👩‍👧 Yukos ‮gnirts‬ said.\n", "good")
    put("unicode/lone-surrogate.jsonl", '{"text": "Rosneft \\udc80 said"}', "good")
    put("unicode/nul-in-json.jsonl", '{"text": "Rosneft\\u0000 said"}', "good")
    # JSON shapes and types
    put("json/wrong-types.jsonl", "\n".join(json.dumps(r) for r in [
        {"text": 1}, {"text": None}, {"text": {"a": 1}}, {"title": 5, "text": "x"}, {"text": "x", "authors": [1]},
        {"text": "x", "date": [2022]}, True, "string", None]), "bad")
    put("json/duplicate-ids.jsonl", "\n".join(json.dumps({"id": "same", "text": p}) for p in PARAGRAPHS[:3]), "good")
    put("json/duplicate-ids-same-text.json", json.dumps([{"id": 1, "text": PARAGRAPHS[0]}] * 3), "good")
    put("json/huge-int.json", '{"text": "x", "date": ' + "9" * 5000 + "}", "bad")
    put("json/nan.json", '{"text": "Rosneft said.", "date": NaN}', "good")
    put("json/empty-object.json", "{}", "bad")
    put("json/null.json", "null", "bad")
    put("json/array-of-nulls.json", "[null, null]", "bad")
    # issue #18: a lone surrogate in a key; a tag of value-less attributes
    put("json/surrogate-key.json", '{"\\ud800": 1}', "bad")
    put("html/valueless-attributes.html", "<html><body><div " + " ".join(f"a{i}" for i in range(5000))
        + "><p>" + PARAGRAPHS[0] + "</p></div></body></html>", "bad")
    # names
    put("names/space and ünïcödé.txt", YUKOS, "good")
    put("names/new\nline.txt", YUKOS, "good")
    put("names/.hidden.txt", b"\x00" * 10, "skipped")
    put("names/notes.csv", b"\x00" * 10, "skipped")
    return expect


def test_fuzz_malformed_file_corpus(tmp_path):
    root = tmp_path / "corpus"
    expect = _corpus(root)
    (root / "loops").mkdir()
    (root / "loops" / "again").symlink_to(root, target_is_directory=True)
    (root / "loops" / "self.txt").symlink_to(root / "loops" / "self.txt")
    (root / "loops" / "dangling.txt").symlink_to(root / "missing.txt")
    expect.update({"loops/self.txt": "bad", "loops/dangling.txt": "bad"})
    files = list(list_inputs([str(root)]))
    names = [os.path.relpath(f.path, root) for f in files]
    assert len(names) == len(set(names)) and not any(n.startswith("loops/again") for n in names)
    assert sorted(names) == sorted(n for n, k in expect.items() if k != "skipped")
    settings_ = Settings()
    for f, name in zip(files, names):
        check(lambda: read_file(f, settings=settings_), expect[name], name)


def test_fuzz_html_attribute_bomb_refused_fast():
    """libxml2 is quadratic in the attributes of one tag (in C: no time budget can stop it)."""
    import time

    for n, expect in ((1500, "good"), (200_000, "bad")):
        attrs = " ".join(f'data-a{i}="x"' for i in range(n))
        page = f"<html><body><div {attrs}><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></div></body></html>"
        t0 = time.perf_counter()
        items = check(lambda: read_bytes(page.encode(), name="a.html"), expect, f"{n} attributes")
        assert time.perf_counter() - t0 < 10
        if expect == "bad":
            assert "attributes" in items[0].reason


# -- the malformed corpus through the whole pipeline into a database ----------------------------

def _bbc(corpus_dir: Path, n: int) -> str:
    return (corpus_dir / "bbc" / "politics" / f"{n:03d}.txt").read_text(encoding="utf-8")


def _db_rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _pipeline_corpus(root: Path, corpus_dir: Path, examples_dir: Path) -> dict[str, tuple[str, int]]:
    """Write malformed and good files; returns relative name -> (good/bad/any, expected count).

    For good files the count is the number of distinct articles stored from the file; for bad
    files the number of rows in ``errors`` (0 means "at least one").
    """
    rng = random.Random(8)
    expect: dict[str, tuple[str, int]] = {}

    def put(name: str, data: bytes | str, kind: str, count: int = 1) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[name] = (kind, count)
        return path

    for p in sorted(examples_dir.glob("*.txt"))[:2]:
        put(f"good/{p.name}", p.read_bytes(), "good")
    put("unicode/utf16-bom.txt", _bbc(corpus_dir, 2).encode("utf-16"), "good")
    put("unicode/utf32-bom.md", _bbc(corpus_dir, 3).encode("utf-32"), "good")
    put("unicode/invalid-utf8.txt", _bbc(corpus_dir, 4).encode() + b"\xc3\x28 \xa0\xa1 \xf0\x28\x8c\xbc", "good")
    put("unicode/cp1252.txt", YUKOS.replace("£", "€").encode("cp1252"), "good")
    put("unicode/utf16-bom-garbage.txt", b"\xff\xfe" + bytes(rng.randrange(256) for _ in range(3000)), "bad")
    put("json/duplicate-ids.jsonl", "\n".join(json.dumps({"id": "same", "text": _bbc(corpus_dir, n)})
                                              for n in (5, 6, 7)), "good", 3)
    put("json/duplicate-ids-same-text.json", json.dumps([{"id": 1, "text": _bbc(corpus_dir, 8)}] * 3), "good")
    put("json/mixed-types.jsonl", "\n".join(json.dumps(r) for r in [
        {"text": _bbc(corpus_dir, 9)}, {"text": 1}, {"text": _bbc(corpus_dir, 10), "title": "ok"},
        {"text": {"a": 1}}, {"title": "no text"}]), "good", 2)
    expect["json/mixed-types.jsonl#bad"] = ("bad", 3)
    put("json/wrong-types.json", json.dumps([{"text": None}, {"text": ["a", 2]}, {"text": "x", "title": 5},
                                             True, "string"]), "bad", 5)
    put("json/deep.json", "[" * 200_000 + "]" * 200_000, "bad")
    put("warc/crawl.warc.gz", (DATA / "crawl.warc.gz").read_bytes(), "good", 2)
    warc = gzip.decompress((DATA / "crawl.warc.gz").read_bytes())
    put("warc/truncated.warc", warc[: len(warc) * 2 // 3], "bad")
    paras = "".join(f"<p>{p}</p>" for p in _bbc(corpus_dir, 11).split("\n\n")[1:] if p.strip())
    put("html/nested-300.html", "<html><body>" + "<div>" * 300 + paras + "</div>" * 300 + "</body></html>", "any")
    put("html/nested-100000.html", "<html><body>" + "<div>" * 100_000 + paras + "</div>" * 100_000
        + "</body></html>", "any")
    hostile = ("<script>alert('x')</script> \"<img src=x onerror=alert(1)>,\" said Ann O'Hara, "
               "the </title> director of {{ config }}. " + _bbc(corpus_dir, 12))
    put("html/hostile.txt", hostile, "good")
    put("gzip/bomb.txt.gz", _bomb(300 << 20), "bad")  # 300 MB of zeros in 300 KB: over the 200 MB cap
    gz = gzip.compress(_bbc(corpus_dir, 13).encode(), mtime=0)
    put("gzip/truncated.txt.gz", gz[: len(gz) // 2], "bad")
    (root / "long").mkdir()
    with (root / "long" / "line-200mb.txt").open("wb") as fh:  # generated here, never committed
        chunk = b"Rosneft bought the Yugansk unit in a sale forced by the Russian state. " * 10_000
        for _ in range(200_000_000 // len(chunk) + 1):
            fh.write(chunk)
    expect["long/line-200mb.txt"] = ("bad", 1)  # over the default max_file_bytes (50 MB)
    for ext in ("txt", "html", "json", "jsonl"):
        put(f"junk/junk.{ext}", bytes(rng.randrange(256) for _ in range(4000)), "bad")
    put("zero/empty.txt", b"", "bad")
    put("zero/nul.txt", bytes(4096), "bad")
    put("names/new\nline ü.txt", _bbc(corpus_dir, 14), "good")
    # issue #18: a lone surrogate in a JSON key, one NUL byte in a dump, value-less attributes,
    # a symlink out of the input folder
    put("json/surrogate-key.jsonl", json.dumps({"text": _bbc(corpus_dir, 15)}) + '\n{"\\ud800": 1}\n', "good")
    expect["json/surrogate-key.jsonl#bad"] = ("bad", 1)
    put("json/nul-byte.jsonl", "\n".join([json.dumps({"text": _bbc(corpus_dir, 16)}), '{"text": "NUL \x00 here"}',
                                          json.dumps({"text": _bbc(corpus_dir, 17)})]), "good", 2)
    expect["json/nul-byte.jsonl#bad"] = ("bad", 1)
    put("html/valueless-attributes.html", "<html><body><div " + " ".join(f"a{i}" for i in range(5000))
        + ">" + paras + "</div></body></html>", "bad")
    secret = root.parent / "secret.txt"
    secret.write_text(_bbc(corpus_dir, 18), encoding="utf-8")
    (root / "links").mkdir()
    (root / "links" / "passwd.txt").symlink_to(secret)
    expect["links/passwd.txt"] = ("bad", 1)
    (root / "loops").mkdir()
    (root / "loops" / "again").symlink_to(root, target_is_directory=True)
    (root / "loops" / "self.txt").symlink_to(root / "loops" / "self.txt")
    (root / "loops" / "dangling.txt").symlink_to(root / "missing.txt")
    expect.update({"loops/self.txt": ("bad", 1), "loops/dangling.txt": ("bad", 1)})
    return expect


@pytest.mark.model
def test_fuzz_pipeline_malformed_corpus_into_db(tmp_path, corpus_dir, examples_dir):
    from newstrace.pipeline import analyze
    from newstrace.present import write_report

    root = tmp_path / "in"
    expect = _pipeline_corpus(root, corpus_dir, examples_dir)
    db = tmp_path / "fuzz.db"
    stats = analyze([str(root)], str(db))
    FIGURES["inputs_tried"] += len(expect)

    assert _db_rows(db, "pragma integrity_check") == [("ok",)]
    errors = _db_rows(db, "select file, record, stage, reason, hint from errors")
    assert len(errors) == len(stats.errors)
    assert all(reason.strip() and hint.strip() for *_, reason, hint in errors), errors
    by_file: dict[str, list[tuple]] = {}
    for row in errors:
        rel = os.path.relpath(row[0].split("#")[0], root)
        by_file.setdefault(rel, []).append(row)
    assert set(by_file) <= {n.split("#")[0] for n in expect}, sorted(set(by_file) - set(expect))
    assert not any(rel.startswith("loops/again") for rel in by_file)
    stored = dict(_db_rows(db, "select file, count(distinct article_id) from sources group by file"))
    stored = {os.path.relpath(k, root): v for k, v in stored.items()}
    assert not any(rel.startswith("loops/again") for rel in stored)
    for name, (kind, count) in expect.items():
        file = name.split("#")[0]
        got_errors, got_articles = len(by_file.get(file, [])), stored.get(file, 0)
        if kind == "good":
            FIGURES["good_inputs"] += 1
            if got_articles != count:
                FIGURES["lost"] += 1
            assert got_articles == count, (name, got_articles, by_file.get(file))
            if f"{file}#bad" not in expect:
                assert not got_errors, by_file[file]
            FIGURES["good_read"] += 1
        elif kind == "bad":
            FIGURES["bad_inputs"] += 1
            assert got_errors == count if count > 1 else got_errors >= 1, (name, by_file.get(file))
            if not name.endswith("#bad"):
                assert got_articles == 0, name
            FIGURES["bad_reported"] += 1
        else:
            FIGURES["hostile_inputs"] += 1
            assert got_articles or got_errors, f"{name}: neither stored nor reported"
            FIGURES["hostile_survived"] += 1
    mixed = sorted(r[1] for r in by_file["json/mixed-types.jsonl"])
    assert len(mixed) == 3 and all(mixed), mixed  # each bad record named
    assert "max_file_bytes" in by_file["long/line-200mb.txt"][0][3]
    assert "max_decompressed_bytes" in by_file["gzip/bomb.txt.gz"][0][3]
    n_articles = _db_rows(db, "select count(*), count(distinct id) from articles")[0]
    assert n_articles[0] == n_articles[1] == stats.articles_added
    # the same text in two files (the WARC holds a BBC page) is one article with two sources
    assert stats.articles_added == _db_rows(db, "select count(distinct article_id) from sources")[0][0]

    # the hostile article's text reaches the report only escaped
    site = write_report(db, tmp_path / "site").parent
    pages = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "Ann O" in pages or "Yukos" in pages or "onerror" in pages
    assert "<script>alert('x')" not in pages and "<img src=x onerror" not in pages


@pytest.mark.model
# A time-out that lands in a gc callback is swallowed by Python (the alarm then fires again, see
# budget.time_limit); pytest reports the swallowed one as an unraisable-exception warning.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_fuzz_pipeline_limits_recorded_and_run_goes_on(tmp_path, corpus_dir):
    """Per-file size, per-article time and per-article length: each hit is a row in errors."""
    import time

    from newstrace.pipeline import analyze

    root = tmp_path / "in"
    root.mkdir()
    good = [_bbc(corpus_dir, n) for n in (20, 21, 22)]
    # A pathological text: spaCy's tokenizer is quadratic on runs of brackets (15,000 take
    # about 40 s to parse, 25,000 about 2 minutes); it sits in one batch between two good articles.
    patho = "Officials said the figures were wrong. " + "(" * 25_000
    (root / "batch.jsonl").write_text("\n".join(json.dumps({"text": t}) for t in (good[0], patho, good[1])),
                                      encoding="utf-8")
    (root / "big.txt").write_text(good[2] * 600, encoding="utf-8")  # over max_file_bytes
    (root / "ok.txt").write_text(good[2], encoding="utf-8")
    # trafilatura takes about 40 s over 150,000 unclosed paragraphs (a reading time-out)
    (root / "unclosed.html").write_text("<html><body>" + "<p>x" * 150_000 + f"<p>{good[0]}</body></html>",
                                        encoding="utf-8")
    assert (root / "unclosed.html").stat().st_size < 1_000_000 < (root / "big.txt").stat().st_size
    settings = Settings(max_file_bytes=1_000_000, max_seconds_per_article=5.0)

    t0 = time.perf_counter()
    stats = analyze([str(root)], str(tmp_path / "limits.db"), settings=settings)
    took = time.perf_counter() - t0
    db = tmp_path / "limits.db"
    FIGURES["inputs_tried"] += 4
    assert took < 80, took  # unbounded, the bracket run alone takes about 2 minutes
    errors = {(os.path.basename(f.split("#")[0]), stage): reason
              for f, stage, reason in _db_rows(db, "select file, stage, reason from errors")}
    assert len(errors) == len(stats.errors) == 3, errors
    assert "reading took longer than 5 s" in errors[("unclosed.html", "limit")]
    assert "max_file_bytes" in errors[("big.txt", "ingest")]
    assert "tokenizing took longer than 5 s" in errors[("batch.jsonl", "limit")]
    rows = dict(_db_rows(db, "select source, length(text) from articles"))
    assert len(rows) == 4  # batch x3, ok: the oversized and the unreadable file are not stored
    # the good articles of the batch were still parsed and annotated
    annotated = {s for (s,) in _db_rows(db, "select distinct a.source from articles a join mentions m "
                                            "on m.article_id = a.id")}
    assert len([s for s in annotated if "batch.jsonl" in s]) == 2, annotated
    patho_id = next(s for s in rows if "batch.jsonl" in s and s not in annotated)
    assert _db_rows(db, "select count(*) from quotes q join articles a on a.id = q.article_id "
                        "where a.source = ?", (patho_id,)) == [(0,)]

    # per-article length: the start is stored and annotated
    long_text = "\n\n".join(_bbc(corpus_dir, n).split("\n", 1)[1].strip() for n in range(30, 60))
    assert len(long_text) > 60_000
    (tmp_path / "long.txt").write_text(long_text, encoding="utf-8")
    stats = analyze([str(tmp_path / "long.txt")], str(tmp_path / "long.db"),
                    settings=Settings(max_article_chars=10_000))
    FIGURES["inputs_tried"] += 1
    assert [(e.stage, "max_article_chars" in e.reason) for e in stats.errors] == [("limit", True)]
    assert _db_rows(tmp_path / "long.db", "select stage from errors") == [("limit",)]
    (long_len,) = _db_rows(tmp_path / "long.db", "select length(text) from articles")[0]
    assert 5_000 < long_len <= 10_000 and long_text.startswith(
        _db_rows(tmp_path / "long.db", "select text from articles")[0][0][:1000])
    FIGURES["bad_inputs"] += 4
    FIGURES["bad_reported"] += 4


@pytest.mark.model
def test_fuzz_pipeline_200mb_single_line_costs_a_long_article(tmp_path):
    """A 200 MB file of one line, with max_file_bytes raised, is read, cut and stored once."""
    from newstrace.pipeline import analyze

    path = tmp_path / "in" / "line.txt"
    path.parent.mkdir()
    sentence = "The ministry said {} people had crossed the border in the year to March. "
    with path.open("w", encoding="utf-8") as fh:
        for i in range(0, 2_700_000, 1000):
            fh.write("".join(sentence.format(i + j) for j in range(1000)))
    assert path.stat().st_size > 200_000_000
    settings = Settings(max_file_bytes=250_000_000, max_decompressed_bytes=250_000_000,
                        max_article_chars=20_000)
    stats = analyze([str(path)], str(tmp_path / "line.db"), settings=settings)
    FIGURES["inputs_tried"] += 1
    db = tmp_path / "line.db"
    assert stats.articles_added == 1
    assert [(s, "max_article_chars" in r) for s, r in _db_rows(db, "select stage, reason from errors")] == [
        ("limit", True)]
    text_len, raw_len = _db_rows(db, "select length(text), length(raw_text) from articles")[0]
    assert text_len <= 20_000 and raw_len <= 40_000
    FIGURES["good_inputs"] += 1
    FIGURES["good_read"] += 1
