"""Metadata sidecar: a CSV or TSV table of the articles' date, outlet, title, URL and author,
keyed by input file name (``read_metadata``), applied to the articles read (``apply_metadata``).

Text corpora often come with such a table beside the texts (PolNeAR's ``metadata.tsv``:
filename, publisher, publication_date, author, title), and so do monitoring exports. The table
has a header row; its delimiter (tab, comma, semicolon or bar) is sniffed from the header. The
key column is the first of ``filename``, ``file``, ``path``, ``name``, ``id`` (case, spaces,
hyphens and underscores aside); a key matches an input file by its path, a trailing part of
its path ("train/text/a.txt"), its name ("a.txt") or its stem ("a"). Value columns (any of them):
date (``date``, ``publication_date``, ``published``, ...), outlet (``outlet``, ``publisher``,
``source``, ...), title (``title``, ``headline``), ``url`` and author (``author``, ``authors``,
``byline``; several split at ``;`` or ``|``). Empty cells and ``None``/``null``/``NA`` are no value.

Which wins: what the input itself declares (a JSON record's fields, an HTML page's metadata)
and what the clean stage finds in the text (a ``date`` marker, a headline, a byline) win; the
table fills the fields they leave empty. The table never changes the text: an article's id (a
hash of its clean text) is the same with or without it.

A row that does not parse (no key, a date that is no date, a key given twice with other values,
the wrong number of cells) is not used and becomes an :class:`InputError` naming the table's file
and line; the rest of the table is used.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from ..errors import NewstraceError
from ..models import Article, InputError, RawArticle
from .html import clean_str, iso_date

__all__ = ["ArticleMeta", "MetadataTable", "apply_metadata", "read_metadata"]

R = TypeVar("R", RawArticle, Article)

# Column names, in order of preference, after lower-casing and turning spaces and hyphens into "_".
KEY_COLUMNS = ("filename", "file_name", "file", "path", "name", "id")
VALUE_COLUMNS = {
    "published": ("date", "publication_date", "published", "pub_date", "publish_date", "date_published",
                  "published_at", "pubdate"),
    "outlet": ("outlet", "publisher", "source", "site_name", "site", "media", "domain"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "authors": ("author", "authors", "byline"),
}
_NULLS = frozenset({"", "none", "null", "na", "n/a", "nan", "-"})
_DELIMITERS = "\t,;|"
_MAX_CELL = 100_000  # csv's own limit is 131,072; a longer cell is a broken quote


@dataclass
class ArticleMeta:
    """One row of a metadata table: the values it gives (None: not given) and its line."""

    key: str
    line: int
    published: str | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)


@dataclass
class MetadataTable:
    """A metadata table read by :func:`read_metadata`: its rows by key and the rows refused."""

    path: str
    rows: dict[str, ArticleMeta] = field(default_factory=dict)  # by key as written
    errors: list[InputError] = field(default_factory=list)
    key_column: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # field -> the column it is read from
    _by_name: dict[str, ArticleMeta] = field(default_factory=dict, repr=False)  # by key's name and stem

    def lookup(self, path: str) -> ArticleMeta | None:
        """The row of an input file: by its path, a trailing part of it, its name, then its stem.

        >>> t = MetadataTable("m.tsv", rows={"a": ArticleMeta("a", 2, outlet="nyt")})
        >>> t.lookup("corpus/text/a.txt").outlet
        'nyt'
        """
        if not self._by_name and self.rows:
            for key, row in self.rows.items():
                for name in (_base(key), _stem(_base(key))):
                    self._by_name.setdefault(name, row)
        parts = path.replace(os.sep, "/").split("/")
        for n in range(len(parts)):  # the whole path, then shorter tails: "text/a.txt", "a.txt"
            row = self.rows.get("/".join(parts[n:]))
            if row is not None:
                return row
        name = parts[-1]
        return self._by_name.get(name) or self._by_name.get(_stem(name))

    def unmatched(self, paths: Iterable[str]) -> list[str]:
        """The keys of rows that no path of ``paths`` matches, in table order."""
        used = {id(row) for p in paths if (row := self.lookup(p)) is not None}
        return [key for key, row in self.rows.items() if id(row) not in used]


def _base(key: str) -> str:
    return key.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def _stem(name: str) -> str:
    """A file name without its extensions ("a.txt.gz" -> "a"); a name without one is its own stem."""
    if name.lower().endswith(".gz"):
        name = name[:-3]
    stem, dot, ext = name.rpartition(".")
    return stem if dot and stem and ext.isalnum() and len(ext) <= 5 else name


def _column(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lstrip("\ufeff").lower())


def read_metadata(path: str | os.PathLike[str]) -> MetadataTable:
    """Read a metadata table (CSV or TSV with a header row) into rows by key.

    Args:
        path: the table's file (UTF-8, with or without a byte-order mark).
    Returns:
        A :class:`MetadataTable`; rows that do not parse are in its ``errors`` (stage
        ``metadata``, record ``line N``), the others in ``rows``.
    Raises:
        NewstraceError: the file cannot be read, is not UTF-8, has no header, or has no key
            column (the message lists the column names it looks for).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "meta.tsv"
    >>> _ = p.write_text("filename\\tpublisher\\tpublication_date\\na\\tnyt\\t2016-09-12\\n")
    >>> read_metadata(p).rows["a"].published
    '2016-09-12'
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        text = data.decode("utf-8-sig")
    except OSError as exc:
        raise NewstraceError(f"{path}: cannot read the metadata file ({exc.strerror or exc}). "
                             "Check the path and its permissions.") from exc
    except UnicodeDecodeError as exc:
        raise NewstraceError(f"{path}: the metadata file is not UTF-8 (byte {exc.start}). "
                             "Save it as UTF-8 and run again.") from exc
    header = text.split("\n", 1)[0]
    if not header.strip():
        raise NewstraceError(f"{path}:1: the metadata file has no header row. Its first line must "
                             f"name the columns (a key column: {', '.join(KEY_COLUMNS)}).")
    delimiter = max(_DELIMITERS, key=header.count)  # tab first on a tie: titles hold commas
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    names = [_column(n) for n in next(reader)]
    line = reader.line_num
    table = MetadataTable(path=path)
    key_col = next((names.index(k) for k in KEY_COLUMNS if k in names), None)
    if key_col is None:
        raise NewstraceError(f"{path}:1: no key column in the metadata file's header ({', '.join(names)}). "
                             f"Name the column of file names one of: {', '.join(KEY_COLUMNS)}.")
    table.key_column = names[key_col]
    cols = {f: names.index(next(c for c in cs if c in names)) for f, cs in VALUE_COLUMNS.items()
            if any(c in names for c in cs)}
    table.columns = {f: names[i] for f, i in cols.items()}
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue  # a blank line
            row = _row(cells, start, names, key_col, cols, table)
            if row is None:
                continue
            old = table.rows.get(row.key)
            if old is not None and dataclasses.replace(old, line=row.line) != row:
                table.errors.append(_bad(table, start, f"the key {row.key!r} was given on line {old.line} "
                                                       "with other values: this row is not used",
                                         "give each file one row"))
                continue
            table.rows.setdefault(row.key, row)
    except csv.Error as exc:  # an unclosed quote runs to the end of the file
        table.errors.append(_bad(table, line + 1, f"the table cannot be read from here on ({exc})",
                                 "close the quote (a \" inside a cell is written \"\")"))
    return table


def _bad(table: MetadataTable, line: int, reason: str, hint: str) -> InputError:
    return InputError(file=table.path, stage="metadata", record=f"line {line}", reason=reason, hint=hint)


def _row(cells: list[str], line: int, names: list[str], key_col: int, cols: dict[str, int],
         table: MetadataTable) -> ArticleMeta | None:
    """One row as ArticleMeta, or None (and an error in ``table.errors``) when it does not parse."""
    if len(cells) > len(names) and not any(c.strip() for c in cells[len(names):]):
        cells = cells[:len(names)]  # a delimiter at the end of each row, as some exports write
    if len(cells) != len(names):
        table.errors.append(_bad(table, line, f"the row has {len(cells)} cells, the header {len(names)}: "
                                              "this row is not used",
                                 "quote cells that hold the delimiter, or fill the missing cells"))
        return None
    if any(len(c) > _MAX_CELL for c in cells):
        table.errors.append(_bad(table, line, f"a cell is longer than {_MAX_CELL:,} characters: this row is not used",
                                 "check for a quote that is not closed"))
        return None
    key = cells[key_col].strip()
    if key.lower() in _NULLS:
        table.errors.append(_bad(table, line, f"no file name in column {names[key_col]!r}: this row is not used",
                                 "give the input file's name (or its name without the extension)"))
        return None
    values = {f: cells[i].strip() for f, i in cols.items()}
    values = {f: v for f, v in values.items() if v.lower() not in _NULLS}
    published = None
    if "published" in values:
        published = _date(values["published"])
        if published is None:
            table.errors.append(_bad(table, line, f"{values['published']!r} in column {names[cols['published']]!r} "
                                                  "is not a date: this row is not used",
                                     "write dates as YYYY-MM-DD (or an ISO 8601 date and time)"))
            return None
    authors = [a for a in (clean_str(x) for x in re.split(r"[;|]", values.get("authors", ""))) if a]
    return ArticleMeta(key=key, line=line, published=published, outlet=clean_str(values.get("outlet")),
                       title=clean_str(values.get("title")), url=clean_str(values.get("url")), authors=authors)


def _date(value: str) -> str | None:
    """An ISO date from a cell: ISO 8601, or a date with its year written in full ("12/09/2016")."""
    if not re.search(r"\d{4}", value):  # "12/9/16", "Monday": which day is not sure
        return None
    return iso_date(value)


def apply_metadata(record: R, table: MetadataTable | None, *, file: str | None = None) -> R:
    """The article with the fields it leaves empty filled from its file's row of ``table``.

    Args:
        record: a :class:`RawArticle` as read, or the :class:`Article` cleaned from it (the
            pipeline fills the cleaned one, so that the table never changes the text, nor the id).
        table: a table from :func:`read_metadata` (None: the article as it is).
        file: the input file it came from (default: ``record.file``, else ``record.source``).
    Returns:
        A new record of the same type when the table has a row for it with something to add;
        else ``record``.

    >>> t = MetadataTable("m.tsv", rows={"a": ArticleMeta("a", 2, published="2016-09-12", outlet="nyt")})
    >>> a = apply_metadata(RawArticle(source="in/a.txt", text="Hello.", file="in/a.txt", outlet="NYT"), t)
    >>> a.published, a.outlet
    ('2016-09-12', 'NYT')
    """
    if table is None:
        return record
    row = table.lookup(file or getattr(record, "file", "") or record.source)
    if row is None:
        return record
    changes = {f: getattr(row, f) for f in ("published", "outlet", "title", "url", "authors")
               if getattr(row, f) and not getattr(record, f)}
    return dataclasses.replace(record, **changes) if changes else record
