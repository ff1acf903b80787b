"""Ingest: every format from real small files in tests/data, every kind of bad input, stdin."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from newstrace.config import Settings
from newstrace.ingest import (
    InputFile,
    format_of,
    html_fragment_text,
    html_to_article,
    list_inputs,
    read_articles,
    read_file,
    record_to_article,
)
from newstrace.models import InputError, RawArticle

DATA = Path(__file__).resolve().parent / "data"
YUKOS = (DATA / "bbc_yukos.txt").read_text(encoding="utf-8")


def read_all(path: Path | str, **settings) -> list[RawArticle | InputError]:
    return list(read_articles([str(path)], settings=Settings(**settings)))


def only_article(path: Path | str, **settings) -> RawArticle:
    items = read_all(path, **settings)
    assert len(items) == 1 and isinstance(items[0], RawArticle), items
    return items[0]


def only_error(path: Path | str, **settings) -> InputError:
    items = read_all(path, **settings)
    assert len(items) == 1 and isinstance(items[0], InputError), items
    err = items[0]
    assert err.file == str(path) and err.reason and err.hint
    return err


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# -- finding inputs -----------------------------------------------------------------------------

def test_ingest_format_of_names():
    assert format_of("a/page.HTML.gz") == ("html", True)
    assert format_of("feed.ndjson") == ("jsonl", False)
    assert format_of("crawl.warc.gz") == ("warc", True)
    assert format_of("notes.csv") == (None, False)


def test_ingest_list_inputs_folder_is_sorted_recursive_and_skips_hidden_and_unknown(tmp_path):
    for name in ["b.txt", "a.html", "sub/c.jsonl", "sub/deeper/d.md", ".hidden.txt",
                 ".git/e.txt", "image.png", "notes.csv", "z.txt.gz"]:
        write(tmp_path, name, "x")
    got = [os.path.relpath(f.path, tmp_path) for f in list_inputs([str(tmp_path)])]
    assert got == ["a.html", "b.txt", "sub/c.jsonl", "sub/deeper/d.md", "z.txt.gz"]
    f = [f for f in list_inputs([str(tmp_path)]) if f.path.endswith("z.txt.gz")][0]
    assert (f.format, f.compressed, f.size) == ("txt", True, 1)


def test_ingest_list_inputs_same_file_twice_listed_once(tmp_path):
    path = write(tmp_path, "a.txt", "x")
    got = list(list_inputs([str(tmp_path), str(path), str(tmp_path)]))
    assert [f.path for f in got] == [str(path)]


def test_ingest_list_inputs_symlink_loop_is_not_followed_twice(tmp_path):
    write(tmp_path, "top/a.txt", "x")
    (tmp_path / "top" / "loop").symlink_to(tmp_path / "top", target_is_directory=True)
    (tmp_path / "top" / "self.txt").symlink_to(tmp_path / "top" / "self.txt")
    (tmp_path / "top" / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    files = list(list_inputs([str(tmp_path / "top")]))
    assert [(os.path.basename(f.path), f.format) for f in files] == [
        ("a.txt", "txt"), ("dangling.txt", "missing"), ("self.txt", "unreadable")]
    errors = [item for f in files for item in read_file(f) if isinstance(item, InputError)]
    assert [e.reason for e in errors] == [
        f"symlink points to a missing file ({tmp_path / 'nowhere.txt'})",
        "symlink loop (the link points back to itself)"]


def test_ingest_missing_path_is_an_error_not_a_crash(tmp_path):
    missing = tmp_path / "nope.txt"
    (f,) = list(list_inputs([str(missing)]))
    assert f == InputFile(path=str(missing), size=0, mtime=0.0, format="missing", compressed=False)
    err = only_error(missing)
    assert err.reason == "no such file or folder"
    assert err.hint == "check the path (typo? moved? unmounted?)"


def test_ingest_explicit_file_with_unknown_extension_is_sniffed(tmp_path):
    html = (DATA / "bbc_casinos.html").read_bytes()
    art = only_article(write(tmp_path, "page.download", html))
    assert art.format == "html" and art.title == "Crucial decision on super-casinos"
    art = only_article(write(tmp_path, "story", YUKOS))
    assert art.format == "txt" and art.text == YUKOS


def test_ingest_examples_folder_reads_the_five_seeds(examples_dir):
    arts = list(read_articles([str(examples_dir)]))
    assert len(arts) == 5 and all(isinstance(a, RawArticle) for a in arts)
    first = arts[0]
    assert first.source == first.file == str(examples_dir / "000_3aafa46bbadb6af6.txt")
    assert first.text.startswith(" date 2022-02-01 Department of Homeland Security Secretary")


# -- text ---------------------------------------------------------------------------------------

def test_ingest_txt_is_kept_as_written():
    art = only_article(DATA / "bbc_yukos.txt")
    assert art.text == YUKOS
    assert (art.format, art.source, art.file, art.title) == ("txt", str(DATA / "bbc_yukos.txt"),
                                                             str(DATA / "bbc_yukos.txt"), None)
    assert "$900m (£479m) loan" in art.text


def test_ingest_txt_crlf_line_ends_become_newlines(tmp_path):
    art = only_article(write(tmp_path, "crlf.txt", YUKOS.replace("\n", "\r\n")))
    assert art.text == YUKOS


def test_ingest_txt_utf16_with_bom():
    art = only_article(DATA / "bbc_apology_utf16.txt")
    assert art.text.startswith("PM apology over jailings\n\nTony Blair has apologised to two families")
    assert "\ufeff" not in art.text


def test_ingest_txt_utf16_without_bom(tmp_path):
    art = only_article(write(tmp_path, "be.txt", YUKOS.encode("utf-16-be")))
    assert art.text == YUKOS


def test_ingest_md_utf8_bom_is_dropped():
    art = only_article(DATA / "bbc_apology_bom.md")
    assert art.format == "md" and art.text.startswith("# PM apology over jailings\n\n")


def test_ingest_txt_cp1252_is_detected():
    art = only_article(DATA / "seed_cp1252.txt")
    assert art.text.startswith("Washington, DC – The head of the nation’s largest federal law")


def test_ingest_txt_utf32_with_bom(tmp_path):
    art = only_article(write(tmp_path, "u32.txt", YUKOS.encode("utf-32")))
    assert art.text == YUKOS


def test_ingest_txt_mostly_utf8_with_a_damaged_byte_keeps_utf8(tmp_path):
    data = "The nation’s “largest” agency — said Magnus.\n".encode("utf-8") * 5 + b"bad \xff byte\n"
    art = only_article(write(tmp_path, "damaged.txt", data))
    assert art.text.startswith("The nation’s “largest” agency — said Magnus.")
    assert art.text.endswith("bad \ufffd byte\n")


def test_ingest_txt_gz(tmp_path):
    art = only_article(write(tmp_path, "yukos.txt.gz", gzip.compress(YUKOS.encode("utf-8"))))
    assert art.text == YUKOS and art.format == "txt"


def test_ingest_txt_multi_member_gzip(tmp_path):
    half = len(YUKOS) // 2
    data = gzip.compress(YUKOS[:half].encode()) + gzip.compress(YUKOS[half:].encode())
    assert only_article(write(tmp_path, "two.txt.gz", data)).text == YUKOS


def test_ingest_nul_characters_are_dropped(tmp_path):
    art = only_article(write(tmp_path, "nul.txt", "Yukos\x00 unit buyer faces loan claim\n"))
    assert art.text == "Yukos unit buyer faces loan claim\n"


# -- HTML ---------------------------------------------------------------------------------------

def test_ingest_html_main_text_and_metadata():
    art = only_article(DATA / "bbc_casinos.html")
    assert art.title == "Crucial decision on super-casinos"
    assert art.published == "2005-02-16"
    assert art.authors == ["Brian Taylor"]
    assert art.outlet == "BBC News"
    assert art.url == "http://news.bbc.co.uk/1/hi/scotland/4250000.stm"
    assert art.format == "html" and art.source == str(DATA / "bbc_casinos.html")
    paras = art.text.split("\n\n")
    assert "A decision on whether to allow Westminster to legislate on super-casinos is set to be " \
           "made by the Scottish Parliament." in paras
    assert paras[-1].startswith("The Scottish Executive believes that the legislation")
    for boilerplate in ("Most read", "Story one", "Copyright 2005 BBC", "Weather"):
        assert boilerplate not in art.text


def test_ingest_html_gz():
    art = only_article(DATA / "bbc_creative.html.gz")
    assert art.title == "Technology gets the creative bug" and art.published == "2005-03-21"
    assert "\n\nOften this help has come in the form of corporate art sponsorship" in art.text


def test_ingest_html_utf16_with_bom(tmp_path):
    html = (DATA / "bbc_casinos.html").read_text(encoding="utf-8")
    art = only_article(write(tmp_path, "u16.html", html.encode("utf-16")))
    assert art.title == "Crucial decision on super-casinos"


def test_ingest_html_fragment_text():
    assert html_fragment_text("<p>One <b>bold</b> line.</p><script>x()</script><p>Two<br>lines</p>") \
        == "One bold line.\n\nTwo\nlines"


def test_ingest_benchmark_page_from_the_corpus(corpus_dir):
    page = corpus_dir / "article-extraction-benchmark" / "html" / \
        "042bb7b5fedab6eac7db576522b89b93904c237d344bcbe14a6a5ab7f7335856.html.gz"
    art = only_article(page)
    assert art.title == "Google Stadia, Microsoft xCloud, Apple Arcade: So Many Ways to Play…and Pay"
    assert art.outlet == "Wall Street Journal" and art.published == "2019-11-19"
    assert "Gaming used to be so simple." in art.text


# -- JSON ---------------------------------------------------------------------------------------

def test_ingest_jsonl_news_please_records():
    arts = read_all(DATA / "newsplease.jsonl")
    assert [a.title for a in arts] == ["Mrs Howard gets key election role",
                                       "Howard rebuts asylum criticisms",
                                       "High fuel prices hit BA's profits"]
    a = arts[1]
    assert a.source == a.url == "http://news.bbc.co.uk/1/hi/politics_013.txt.stm"
    assert (a.published, a.authors, a.outlet, a.format, a.language) == (
        "2005-02-11T08:15:00", ["Nick Assinder"], "news.bbc.co.uk", "jsonl", "en")
    assert a.file == str(DATA / "newsplease.jsonl")
    assert a.text.startswith("Tory leader Michael Howard has gone on the offensive")


def test_ingest_json_array_nela_records_without_url():
    arts = read_all(DATA / "nela.json")
    assert [a.source for a in arts] == [f"{DATA / 'nela.json'}#1", f"{DATA / 'nela.json'}#2"]
    assert [a.authors for a in arts] == [[], ["BBC Sport"]]
    assert arts[0].published == "2005-01-05" and arts[0].outlet == "bbc" and arts[0].format == "json"


def test_ingest_json_object_with_article_list_and_html_content():
    (a,) = read_all(DATA / "newsapi.json")
    assert a.outlet == "BBC News" and a.authors == ["Jo Twist", "Darren Waters"]
    assert a.published == "2005-04-02T12:00:00+00:00"
    assert "<p>" not in a.text and "\n\n" in a.text
    assert a.text.startswith("Search engine firm Google has released a trial tool")


def test_ingest_record_fields_and_dates():
    rec = {"body": ["First paragraph.", " ", "Second one."], "headline": "H",
           "published_utc": 1104919200, "author": [{"name": "Ann Lee"}, "Bo Day; Cy Fox"]}
    art = record_to_article(rec, source="f.jsonl#3", file="f.jsonl")
    assert art.text == "First paragraph.\n\nSecond one."
    assert (art.title, art.published, art.authors, art.source) == (
        "H", "2005-01-05T10:00:00+00:00", ["Ann Lee", "Bo Day", "Cy Fox"], "f.jsonl#3")
    art = record_to_article({"text": "x", "date": "Wed, 05 Jan 2005 10:00:00 +0000"}, source="s")
    assert art.published == "2005-01-05T10:00:00+00:00"
    assert record_to_article({"text": "x", "date": "no date at all"}, source="s").published is None


def test_ingest_jsonl_bad_records_are_reported_and_the_rest_read(tmp_path):
    lines = [
        json.dumps({"text": YUKOS, "title": "Yukos unit buyer faces loan claim"}),
        '{"text": "unterminated',
        json.dumps({"text": 42}),
        json.dumps({"text": "Rosneft officials were unavailable.", "title": ["not", "a", "string"]}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"headline": "no body"}),
        json.dumps({"text": "Rosneft officials were unavailable for comment.", "date": {"y": 2005}}),
        json.dumps({"text": "Yugansk was sold to a little-known shell company."}),
    ]
    path = write(tmp_path, "mixed.jsonl", "\n".join(lines))
    items = read_all(path)
    assert [type(i).__name__ for i in items] == ["RawArticle"] + ["InputError"] * 6 + ["RawArticle"]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.record for e in errors] == ["line 2", "line 3", "line 4", "line 6", "line 7", "line 8"]
    assert [e.reason for e in errors] == [
        "line 2: not valid JSON: Unterminated string starting at (column 10)",
        "line 3: field 'text' (article text) is a number, expected a string",
        "line 4: field 'title' (title) is a list, expected a string",
        "line 6: the record is a list, expected an object with a text field",
        "line 7: no article text (looked for text/content/maintext/body/articleBody; fields: headline)",
        "line 8: field 'date' (date) is an object, expected a string or a Unix timestamp",
    ]
    assert all(e.file == str(path) and e.hint for e in errors)
    assert items[-1].source == f"{path}#9"


def test_ingest_jsonl_duplicate_ids_are_both_read(tmp_path):
    recs = [{"id": "a1", "text": "Rosneft bought the Yugansk unit."},
            {"id": "a1", "text": "Menatep Group says it will ask Rosneft to repay a loan."}]
    path = write(tmp_path, "dups.jsonl", "\n".join(json.dumps(r) for r in recs))
    assert [a.text for a in read_all(path)] == [r["text"] for r in recs]


@pytest.mark.parametrize("data, reason", [
    ('{"text": "abc", ', "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 17)"),
    ("[]", "the JSON array is empty"),
    ("42", "the JSON document is a number, not articles"),
    ('{"status": "ok", "count": 3}', "the JSON object is neither an article (no text/content/maintext/body/"
                                     "articleBody field) nor holds a list of articles (fields: status, count)"),
    ("[" * 50_000 + "]" * 50_000, "not valid JSON: nested too deeply"),
])
def test_ingest_json_malformed(tmp_path, data, reason):
    assert only_error(write(tmp_path, "bad.json", data)).reason.startswith(reason)


def test_ingest_json_concatenated_objects_are_read_as_lines(tmp_path):
    path = write(tmp_path, "concat.json", '{"text": "One."}\n{"text": "Two."}\n')
    assert [a.text for a in read_all(path)] == ["One.", "Two."]


def test_ingest_jsonl_that_is_not_json_at_all(tmp_path):
    path = write(tmp_path, "wrong.jsonl", "\n".join(YUKOS.split(". ")))
    err = only_error(path)
    assert err.reason.startswith("not a JSON Lines file: the first 10 records are not valid JSON")


def test_ingest_json_lone_surrogates_become_replacement_characters(tmp_path):
    art = only_article(write(tmp_path, "s.jsonl", '{"text": "Rosneft \\ud800 said"}'))
    assert art.text == "Rosneft \ufffd said"
    art.text.encode("utf-8")


# -- WARC ---------------------------------------------------------------------------------------

def test_ingest_warc_html_responses_only():
    arts = read_all(DATA / "crawl.warc.gz")
    assert [a.source for a in arts] == ["http://news.bbc.co.uk/1/hi/uk_politics/4100000.stm",
                                        "http://news.bbc.co.uk/1/hi/business/4100001.stm"]
    assert [a.title for a in arts] == ["Blair rejects Tory terror offer", "Pernod takeover talk lifts Domecq"]
    assert all(a.format == "warc" and a.url == a.source and a.file == str(DATA / "crawl.warc.gz")
               for a in arts)
    assert "Tony Blair has rejected a Conservative compromise offer" in arts[0].text


def test_ingest_warc_truncated_keeps_the_records_before(tmp_path):
    raw = gzip.decompress((DATA / "crawl.warc.gz").read_bytes())
    items = read_all(write(tmp_path, "cut.warc", raw[: len(raw) * 3 // 4]))
    assert isinstance(items[0], RawArticle) and isinstance(items[-1], InputError)
    assert items[-1].reason.startswith("truncated WARC: record ")


def test_ingest_warc_not_a_warc(tmp_path):
    err = only_error(write(tmp_path, "x.warc", YUKOS))
    assert err.reason == "not a valid WARC file (it does not start with 'WARC/')"


def test_ingest_warc_without_html(tmp_path):
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    writer.write_record(writer.create_warcinfo_record("x.warc", {"software": "test"}))
    err = only_error(write(tmp_path, "info.warc", buf.getvalue()))
    assert err.reason == "the WARC file holds no HTML responses (1 records)"


# -- bad files ----------------------------------------------------------------------------------

def test_ingest_file_larger_than_max_file_bytes(tmp_path):
    err = only_error(write(tmp_path, "big.txt", YUKOS), max_file_bytes=1000)
    assert err.reason == f"file is {len(YUKOS.encode()):,} bytes, larger than max_file_bytes (1,000)"
    assert "max_file_bytes" in err.hint


def test_ingest_gzip_bomb_is_refused_without_reading_it_all(tmp_path):
    bomb = gzip.compress(b"\0" * 30_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    err = only_error(write(tmp_path, "bomb.txt.gz", bomb), max_decompressed_bytes=1_000_000)
    assert err.reason == ("the decompressed data is larger than max_decompressed_bytes "
                          "(1,000,000 bytes) (a gzip bomb?)")


def test_ingest_gzip_bomb_in_a_warc(tmp_path):
    bomb = gzip.compress(b"WARC/1.0\r\n" + b" " * 5_000_000)
    err = only_error(write(tmp_path, "bomb.warc.gz", bomb), max_decompressed_bytes=1_000_000)
    assert "larger than max_decompressed_bytes" in err.reason


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "file is empty"),
    ("blank.txt", b" \n\t\n ", "file holds only whitespace"),
    ("empty.html", b"   \n", "the HTML page is empty"),
    ("empty.jsonl", b"\n\n", "file holds only whitespace"),
    ("trunc.txt.gz", gzip.compress(YUKOS.encode())[:-40],
     "truncated gzip file (it ends in the middle of the compressed data)"),
    ("plain.txt.gz", YUKOS.encode(), "not a gzip file (the name ends in .gz but the content is not gzip)"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(100), "binary file: this is a PNG image, not an article"),
    ("doc.html", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "binary file: this is a PDF document, not an article"),
    ("junk.txt", bytes(range(256)) * 8, "binary file: 208 control bytes in the first 2,048 bytes"),
    ("junk.json", b"\x01\x02\x03\x04" * 100, "binary file: 400 control bytes in the first 400 bytes"),
    ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
     "no main text found in the HTML page (only 1 word: 'Home')"),
    ("bad16.txt", b"\xff\xfe" + "Rosneft".encode("utf-16-le") + b"\x00\xd8\x00\xd8\x00\xd8",
     "the text is not valid UTF-16-LE (it starts with a byte-order mark)"),
])
def test_ingest_bad_file(tmp_path, name, data, reason):
    err = only_error(write(tmp_path, name, data))
    assert err.reason.startswith(reason), err.reason


def test_ingest_folder_named_as_a_file_input(tmp_path):
    f = InputFile(path=str(tmp_path), size=0, mtime=0.0, format="txt", compressed=False)
    (err,) = list(read_file(f))
    assert err.reason == "this is a folder, not a file"


def test_ingest_read_file_never_raises_on_a_reader_bug(tmp_path, monkeypatch):
    import newstrace.ingest.read as ingest_read

    def boom(*args, **kwargs):
        raise RuntimeError("synthetic failure")

    monkeypatch.setattr(ingest_read, "html_to_article", boom)  # where read_file looks it up
    err = only_error(DATA / "bbc_casinos.html")
    assert err.reason == "could not read the file: RuntimeError: synthetic failure"
    assert err.hint == "please report this with the file; the other inputs are read"


def test_ingest_bad_file_does_not_stop_the_next_one(tmp_path):
    bad = write(tmp_path, "a.txt.gz", b"not gzip")
    good = write(tmp_path, "b.txt", YUKOS)
    items = list(read_articles([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["InputError", "RawArticle"]
    assert items[0].file == str(bad) and items[1].source == str(good)


# -- stdin --------------------------------------------------------------------------------------

class _FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize("data, expect", [
    (YUKOS.encode(), [("txt", "-", "Yukos unit buyer faces loan claim")]),
    ((DATA / "newsplease.jsonl").read_bytes(),
     [("jsonl", "http://news.bbc.co.uk/1/hi/politics_011.txt.stm", "Michael Howard's ex-model wife"),
      ("jsonl", "http://news.bbc.co.uk/1/hi/politics_013.txt.stm", "Tory leader Michael Howard"),
      ("jsonl", "http://news.bbc.co.uk/1/hi/business_004.txt.stm", "British Airways has blamed")]),
    (b'{"text": "Yugansk was sold.", "title": "T"}', [("jsonl", "-#1", "Yugansk was sold.")]),
    ((DATA / "bbc_casinos.html").read_bytes(), [("html", "-", "Crucial decision on super-casinos")]),
    (gzip.compress(YUKOS.encode()), [("txt", "-", "Yukos unit buyer faces loan claim")]),
    ((DATA / "bbc_apology_utf16.txt").read_bytes(), [("txt", "-", "PM apology over jailings")]),
])
def test_ingest_stdin(monkeypatch, data, expect):
    monkeypatch.setattr(sys, "stdin", _FakeStdin(data))
    arts = list(read_articles(["-"]))
    assert [(a.format, a.source, a.text[: len(e[2])]) for a, e in zip(arts, expect)] == expect
    assert len(arts) == len(expect) and all(a.file == "-" for a in arts)


def test_ingest_stdin_empty_and_too_big(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b""))
    (err,) = list(read_articles(["-"]))
    assert (err.file, err.reason) == ("-", "nothing on standard input")
    monkeypatch.setattr(sys, "stdin", _FakeStdin(YUKOS.encode()))
    (err,) = list(read_articles(["-"], settings=Settings(max_file_bytes=100)))
    assert err.reason == "standard input is larger than max_file_bytes (100 bytes)"


def test_ingest_stdin_listed_once():
    assert [f.path for f in list_inputs(["-", "-"])] == ["-"]


def _shingles(text: str) -> Counter:
    tokens = re.findall(r"\w+", text)
    return Counter(tuple(tokens[i:i + 4]) for i in range(max(1, len(tokens) - 3)) if tokens[i:i + 4])


def test_ingest_html_extraction_quality_floor(corpus_dir):
    """Gate: 4-word-shingle P/R (the Zyte benchmark's metric, bench/extraction.py) on 40 pages."""
    bench = corpus_dir / "article-extraction-benchmark"
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    precisions, recalls = [], []
    for key in sorted(truth)[:40]:
        html = gzip.decompress((bench / "html" / f"{key}.html.gz").read_bytes())
        text = html_to_article(html, source=key, url=truth[key]["url"]).text
        t, p = _shingles(truth[key]["articleBody"]), _shingles(text)
        tp = sum((t & p).values())
        precisions.append(tp / sum(p.values()))
        recalls.append(tp / sum(t.values()))
    precision, recall = sum(precisions) / 40, sum(recalls) / 40
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


# -- JSON Lines and WARC are streamed -----------------------------------------------------------

def _jsonl_record(i: int) -> str:
    return json.dumps({"id": f"a{i}", "title": f"Story {i}", "text": f"Article {i}. " + YUKOS[:300]})


def test_ingest_jsonl_larger_than_max_file_bytes_is_streamed_and_read_whole(tmp_path):
    lines = [_jsonl_record(i) for i in range(40)]
    path = write(tmp_path, "dump.jsonl", "\n".join(lines) + "\n")
    assert path.stat().st_size > 10_000
    items = read_all(path, max_file_bytes=1_000)  # caps a line, not the file
    assert [type(x) for x in items] == [RawArticle] * 40
    assert [x.text.split(".")[0] for x in items] == [f"Article {i}" for i in range(40)]


def test_ingest_jsonl_gz_larger_than_max_decompressed_bytes_is_streamed(tmp_path):
    lines = [_jsonl_record(i) for i in range(40)]
    path = write(tmp_path, "dump.jsonl.gz", gzip.compress(("\n".join(lines)).encode()))
    items = read_all(path, max_file_bytes=1_000, max_decompressed_bytes=2_000)
    assert len(items) == 40 and all(isinstance(x, RawArticle) for x in items)


def test_ingest_jsonl_line_over_max_file_bytes_is_refused_alone(tmp_path):
    long = json.dumps({"text": "word " * 1_000})
    path = write(tmp_path, "dump.jsonl", "\n".join([_jsonl_record(0), long, _jsonl_record(2)]) + "\n")
    items = read_all(path, max_file_bytes=2_000)
    assert [type(x) for x in items] == [RawArticle, InputError, RawArticle]
    assert items[1].reason == "line 2 is larger than max_file_bytes (2,000 bytes)"
    assert items[1].record == "line 2" and items[2].source.endswith("#3")


def test_ingest_jsonl_first_record_comes_before_the_file_is_read(tmp_path):
    """Streaming: the first article of a 30 MB dump arrives after reading a few KB, not 30 MB."""
    import tracemalloc

    rec = _jsonl_record(0) + "\n"
    path = write(tmp_path, "big.jsonl", rec * (30_000_000 // len(rec)))
    tracemalloc.start()
    try:
        items = read_articles([str(path)], settings=Settings(max_file_bytes=100_000_000))
        first = next(items)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(first, RawArticle)
    assert peak < 3_000_000, f"{peak:,} bytes traced to read one record"
    items.close()


def test_ingest_jsonl_lines_in_a_legacy_encoding_are_decoded(tmp_path):
    good = json.dumps({"text": "Plain ASCII article text about the budget."}).encode()
    legacy = '{"text": "The minister said \u201cwe will not resign\u201d on Tuesday."}'.encode("cp1252")
    items = read_all(write(tmp_path, "mixed.jsonl", good + b"\n" + legacy + b"\n"))
    assert [type(x) for x in items] == [RawArticle, RawArticle]
    assert "\u201cwe will not resign\u201d" in items[1].text


def test_ingest_jsonl_utf16_is_still_read(tmp_path):
    data = (_jsonl_record(0) + "\n" + _jsonl_record(1) + "\n").encode("utf-16")
    items = read_all(write(tmp_path, "wide.jsonl", data))
    assert [x.title for x in items] == ["Story 0", "Story 1"]


def test_ingest_jsonl_of_only_bad_records_is_given_up_after_a_thousand(tmp_path):
    path = write(tmp_path, "junk.jsonl.gz", gzip.compress(b'{"no_text": 1}\n' * 200_000))
    items = read_all(path)
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert items[0].reason.startswith("no article in the first 1,000 records")


def test_ingest_split_input_pieces_read_exactly_the_whole_file(tmp_path):
    """Wherever the cuts fall, the pieces give the same records, sources and line numbers."""
    from newstrace.ingest import split_input

    lines = [_jsonl_record(i) for i in range(12)]
    lines[4] = "{not json"  # a bad line keeps its line number in a piece
    lines[7] = ""  # a blank line is skipped, and still counted
    path = write(tmp_path, "dump.jsonl", "\n".join(lines))  # no newline at the end
    (whole,) = list(list_inputs([str(path)]))
    expect = [(type(x).__name__, getattr(x, "source", None) or x.record, getattr(x, "text", None))
              for x in read_file(whole)]
    assert len(expect) == 11 and expect[4][:2] == ("InputError", "line 5")
    size = path.stat().st_size
    for piece_bytes in (1, 7, 100, 333, 400, 1_000, size // 2):
        pieces = split_input(whole, piece_bytes)
        assert len(pieces) > 1 and pieces[0].start == 0 and pieces[-1].end == size
        assert all(a.end == b.start for a, b in zip(pieces, pieces[1:]))
        got = [(type(x).__name__, getattr(x, "source", None) or x.record, getattr(x, "text", None))
               for p in pieces for x in read_file(p)]
        assert got == expect, piece_bytes
        assert len({p.key for p in pieces}) == len(pieces) and pieces[1].key.startswith(f"{path}#bytes=")
    assert split_input(whole, size) == [whole]


def test_ingest_split_input_leaves_what_cannot_be_cut_whole(tmp_path):
    from newstrace.ingest import split_input

    text = "\n".join(_jsonl_record(i) for i in range(5))
    for name, data in [("a.jsonl.gz", gzip.compress(text.encode())), ("a.txt", text.encode()),
                       ("wide.jsonl", text.encode("utf-16"))]:
        (f,) = list(list_inputs([str(write(tmp_path, name, data))]))
        assert split_input(f, 10) == [f], name


def test_ingest_read_file_accepts_a_path_as_str_or_path(examples_dir):
    # issue #17: read_file("path") raised AttributeError although documented as never raising
    name = examples_dir / "001_554e2b8a526bf444.txt"
    as_str = list(read_file(str(name)))
    as_path = list(read_file(name))
    assert len(as_str) == 1 and isinstance(as_str[0], RawArticle)
    assert as_str == as_path
    assert as_str[0].text.startswith(name.read_text(encoding="utf-8")[:40])
    missing = list(read_file("no/such/file.txt"))
    assert len(missing) == 1 and isinstance(missing[0], InputError)
