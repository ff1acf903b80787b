"""The metadata sidecar: a CSV/TSV table of the inputs' date, outlet, title, URL and author
(``ingest.read_metadata``, ``ingest.apply_metadata``, ``analyze --metadata``)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from newstrace.clean import clean_article
from newstrace.cli import cli
from newstrace.config import Settings
from newstrace.errors import NewstraceError
from newstrace.ingest import apply_metadata, read_file, read_metadata
from newstrace.models import RawArticle
from newstrace.pipeline import analyze

DATA = Path(__file__).resolve().parent / "data" / "metadata"
POLNEAR_TSV = DATA / "polnear_metadata.tsv"  # four real rows of PolNeAR's metadata.tsv (three train, one parc)

# The first paragraphs of two PolNeAR train articles, under their file names.
OMALLEY = ("O’Malley campaign to shift staff, resources to Iowa.\n\n"
           "DALLAS (AP) — Democratic presidential candidate Martin O’Malley is shifting staff and resources "
           "to Iowa as his campaign struggles to raise money.\n\n"
           "O’Malley’s campaign says it will shift staff from its Baltimore headquarters to the early states. "
           "Spokeswoman Haley Morris says the candidate has “always run a lean campaign and will continue to "
           "do so.”\n")
BANKS = ("Personal touch helps boutique banks run with the big dogs; Window on Wall Street.\n\n"
         "The boutique investment banks have been on a roll, taking market share from the big banks. "
         "Their advisers say clients like the personal attention they get.\n")


def test_metadata_reads_polnear_rows():
    table = read_metadata(POLNEAR_TSV)
    assert table.errors == []
    assert table.key_column == "filename"
    assert table.columns == {"published": "publication_date", "outlet": "publisher", "title": "title",
                             "authors": "author"}
    row = table.rows["nyt_2016-01-04_for-trump-lessons-from-a-brother"]
    assert (row.line, row.published, row.outlet, row.authors) == (3, "2016-01-04", "nyt", ["JASON HOROWITZ"])
    assert row.title == ("For Trump, lessons from a brother's pain; Free-spirited sibling died at 43, "
                         "an alcoholic failure of the family business")
    parc = table.rows["parc__wsj_0019"]  # empty cells and "None" are no value, not an error
    assert (parc.published, parc.outlet, parc.title, parc.authors) == (None, "parc", None, [])


def test_metadata_lookup_matches_path_name_and_stem(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("file,outlet\nalpha,A\nbeta.txt,B\ntext/gamma.txt,C\n", encoding="utf-8")
    table = read_metadata(p)
    assert table.lookup("corpus/train/alpha.txt").outlet == "A"  # the stem
    assert table.lookup("corpus/alpha.txt.gz").outlet == "A"
    assert table.lookup("/data/beta.txt").outlet == "B"  # the name
    assert table.lookup("/data/text/gamma.txt").outlet == "C"  # a trailing part of the path
    assert table.lookup("/data/delta.txt") is None
    assert table.unmatched(["/data/beta.txt", "/x/alpha.txt"]) == ["text/gamma.txt"]


def test_metadata_csv_with_quoted_commas_and_other_column_names(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text('\ufeffFile Name,Headline,Source,Date,URL,Authors\n'
                 'a.html,"Storm hits coast, 3 dead",Reuters,2020-03-01T10:15:00Z,https://x.test/a,"Ann Lee; Bo Kim"\n',
                 encoding="utf-8")
    table = read_metadata(p)
    row = table.rows["a.html"]
    assert (row.title, row.outlet, row.published, row.url, row.authors) == (
        "Storm hits coast, 3 dead", "Reuters", "2020-03-01T10:15:00+00:00", "https://x.test/a", ["Ann Lee", "Bo Kim"])


def test_metadata_bad_rows_are_errors_naming_file_and_line(tmp_path):
    p = tmp_path / "meta.tsv"
    p.write_text("filename\tpublisher\tpublication_date\n"
                 "good\tnyt\t2016-09-12\n"
                 "\n"  # a blank line is counted, not an error
                 "\tnyt\t2016-09-13\n"
                 "baddate\tnyt\t2016-13-45\n"
                 "short\tnyt\n"
                 "good\tpolitico\t2016-09-12\n"
                 "later\tnyt\t12 September 2016\t\n", encoding="utf-8")  # a trailing delimiter is no cell
    table = read_metadata(p)
    assert sorted(table.rows) == ["good", "later"]
    assert table.rows["good"].outlet == "nyt"
    assert table.rows["later"].published == "2016-09-12"
    assert [(e.file, e.stage, e.record) for e in table.errors] == [
        (str(p), "metadata", "line 4"), (str(p), "metadata", "line 5"),
        (str(p), "metadata", "line 6"), (str(p), "metadata", "line 7")]
    reasons = [e.reason for e in table.errors]
    assert reasons[0] == "no file name in column 'filename': this row is not used"
    assert reasons[1] == "'2016-13-45' in column 'publication_date' is not a date: this row is not used"
    assert reasons[2] == "the row has 2 cells, the header 3: this row is not used"
    assert reasons[3] == "the key 'good' was given on line 2 with other values: this row is not used"
    assert table.errors[1].hint == "write dates as YYYY-MM-DD (or an ISO 8601 date and time)"


def test_metadata_without_key_column_or_header_raises(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("title,date\nA,2016-01-01\n", encoding="utf-8")
    with pytest.raises(NewstraceError, match=r"m\.csv:1: no key column in the metadata file's header "
                                             r"\(title, date\)\. Name the column of file names one of: filename"):
        read_metadata(p)
    p.write_text("\nfile,date\n", encoding="utf-8")
    with pytest.raises(NewstraceError, match=r"m\.csv:1: the metadata file has no header row"):
        read_metadata(p)
    p.write_bytes(b"file,title\na,caf\xe9\n")
    with pytest.raises(NewstraceError, match=r"m\.csv: the metadata file is not UTF-8 \(byte 16\)"):
        read_metadata(p)


def test_metadata_fills_only_what_the_article_leaves_empty():
    table = read_metadata(POLNEAR_TSV)
    raw = RawArticle(source="in/nyt_2016-01-07_personal-touch-helps-boutique-ba.txt", text="x",
                     file="in/nyt_2016-01-07_personal-touch-helps-boutique-ba.txt", outlet="The New York Times")
    out = apply_metadata(raw, table)
    assert (out.outlet, out.published, out.authors) == ("The New York Times", "2016-01-07", ["DAVID GELLES"])
    assert out.title == "Personal touch helps boutique banks run with the big dogs; Window on Wall Street"
    assert raw.published is None  # the input record is not changed
    other = RawArticle(source="in/other.txt", text="x", file="in/other.txt")
    assert apply_metadata(other, table) is other
    assert apply_metadata(raw, None) is raw


def _polnear_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "text"
    folder.mkdir()
    (folder / "breitbart_2015-11-16_o-malley-campaign-to-shift-staff.txt").write_text(OMALLEY, encoding="utf-8")
    (folder / "nyt_2016-01-07_personal-touch-helps-boutique-ba.txt").write_text(BANKS, encoding="utf-8")
    return folder


def test_metadata_read_file_then_apply_keeps_the_text(tmp_path):
    folder = _polnear_folder(tmp_path)
    raw = next(read_file(folder / "breitbart_2015-11-16_o-malley-campaign-to-shift-staff.txt"))
    out = apply_metadata(raw, read_metadata(POLNEAR_TSV))
    assert (out.text, out.published, out.outlet, out.authors) == (raw.text, "2015-11-16", "breitbart", ["AP"])


@pytest.mark.model
def test_metadata_analyze_dates_articles_and_reruns_change_nothing(tmp_path):
    folder = _polnear_folder(tmp_path)
    meta = tmp_path / "metadata.tsv"
    shutil.copy(POLNEAR_TSV, meta)
    with meta.open("a", encoding="utf-8") as fh:
        fh.write("train\tnyt_2016-02-01_x\t7\t6b86\tnyt\tFeb 31 2016\tX\tY\t0\t0\tNone\tNone\n")
    db = tmp_path / "m.db"
    settings = Settings(metadata=str(meta))
    stats = analyze([str(folder)], str(db), settings=settings)
    assert stats.articles_added == 2
    assert [(e.stage, e.record) for e in stats.errors] == [("metadata", "line 6"), ("metadata_unmatched", None)]
    assert stats.errors[1].reason == ("2 of its 4 rows match no input file "
                                      "(nyt_2016-01-04_for-trump-lessons-from-a-brother, parc__wsj_0019)")
    assert stats.failed  # a bad row is an error; the unmatched rows are a notice
    con = sqlite3.connect(db)
    rows = con.execute("select published, outlet, title, id from articles order by published").fetchall()
    errors = con.execute("select file, stage, record from errors order by id").fetchall()
    con.close()
    # the headline clean finds in the text wins ("... Iowa."); where it finds none, the table's title
    assert [r[:3] for r in rows] == [
        ("2015-11-16", "breitbart", "O’Malley campaign to shift staff, resources to Iowa."),
        ("2016-01-07", "nyt", "Personal touch helps boutique banks run with the big dogs; Window on Wall Street")]
    # the table never changes the text: the ids are those of the articles without it
    assert [r[3] for r in rows] == [clean_article(next(read_file(folder / name))).id for name in (
        "breitbart_2015-11-16_o-malley-campaign-to-shift-staff.txt", "nyt_2016-01-07_personal-touch-helps-boutique-ba.txt")]
    assert errors == [(str(meta), "metadata", "line 6"), (str(meta), "metadata_unmatched", None)]
    again = analyze([str(folder)], str(db), settings=settings)
    assert (again.articles_added, again.files_skipped) == (0, 2)
    con = sqlite3.connect(db)
    assert con.execute("select published, outlet, title, id from articles order by published").fetchall() == rows
    assert con.execute("select file, stage, record from errors order by id").fetchall() == errors
    con.close()


@pytest.mark.model
def test_metadata_cli_option_reports_bad_rows_and_unmatched_keys(tmp_path):
    folder = _polnear_folder(tmp_path)
    meta = tmp_path / "meta.csv"
    meta.write_text("filename,publisher,date\n"
                    "breitbart_2015-11-16_o-malley-campaign-to-shift-staff,breitbart,2015-11-16\n"
                    "nyt_2016-01-07_personal-touch-helps-boutique-ba,nyt,not a date\n"
                    "missing_article,nyt,2016-01-01\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["analyze", str(folder), "--metadata", str(meta), "--db", str(tmp_path / "x.db"),
                                   "--quiet"])
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    assert f"error: {meta}#line 3: 'not a date' in column 'date' is not a date: this row is not used " \
           "(write dates as YYYY-MM-DD (or an ISO 8601 date and time))" in lines
    assert f"notice: {meta}: 1 of its 2 rows match no input file (missing_article) (keys (column 'filename') match " \
           "an input's path, name or name without extension; rows of files not given are not used)" in lines
    res = CliRunner().invoke(cli, ["analyze", str(folder), "--metadata", str(tmp_path / "none.csv")])
    assert res.exit_code == 2
    assert "does not exist" in res.stderr


def test_metadata_cli_refuses_a_table_without_key_column(tmp_path):
    folder = _polnear_folder(tmp_path)
    meta = tmp_path / "meta.csv"
    meta.write_text("title,date\nA,2016-01-01\n", encoding="utf-8")
    for backend in ("local", "dask"):
        res = CliRunner().invoke(cli, ["analyze", str(folder), "--metadata", str(meta), "--backend", backend,
                                       "--db", str(tmp_path / f"{backend}.db"), "--quiet"])
        assert res.exit_code == 1
        assert f"Error: {meta}:1: no key column in the metadata file's header (title, date)." in res.stderr


def test_metadata_analyze_refuses_a_missing_table_before_starting(tmp_path):
    folder = _polnear_folder(tmp_path)
    missing = tmp_path / "none.tsv"
    with pytest.raises(NewstraceError, match=r"none\.tsv: cannot read the metadata file \(No such file or directory\)\. "
                                             r"Check the path, or run without --metadata\."):
        analyze([str(folder)], str(tmp_path / "x.db"), settings=Settings(metadata=str(missing)))
    assert not (tmp_path / "x.db").exists()
