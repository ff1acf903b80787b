"""Ingest: find input files and read each into :class:`RawArticle` records.

Formats (chosen by extension, or sniffed from the content for stdin and unknown extensions):

* ``.txt`` / ``.md``: UTF-8, or another encoding detected from the bytes (BOMs incl. UTF-16
  and UTF-32, then charset-normalizer). The text is kept as written: headline, date marker and
  dateline are the clean stage's business.
* ``.html`` / ``.htm``: main text and metadata (title, date, authors, site name, URL) with
  trafilatura; paragraphs are separated by a blank line.
* ``.json`` / ``.jsonl``: news-dump records (news-please, NELA-GT and similar shapes): a JSON
  array, one object per line, or an object holding a list of records.
* ``.warc``: HTML responses of a web archive through the HTML reader (warcio).
* any of these gzipped (``.gz``), decompressed as a stream with a size cap (gzip bombs).

JSON Lines (``.jsonl``/``.ndjson``, gzipped or not) and WARC files are read as a stream, one
record at a time: a news dump of millions of articles in one file is never held in memory, and
``max_file_bytes`` caps each record (a JSON line) instead of the file. Other formats are read
whole and capped by ``max_file_bytes`` (``max_decompressed_bytes`` once decompressed).

Reading never raises: every problem becomes an :class:`InputError` naming the file (and the
record), what is wrong and what to do, and the run goes on with the next record or file.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, BinaryIO

from .config import Settings
from .models import InputError, RawArticle

__all__ = ["InputFile", "list_inputs", "split_input", "read_file", "read_bytes", "read_articles", "format_of", "html_to_article", "FORMATS"]

#: extension (lower case, without ``.gz``) -> format name
FORMATS: dict[str, str] = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc",
}
_KNOWN = ", ".join(sorted({ext for ext in FORMATS})) + " (and any of these gzipped, .gz)"

# Record fields, first match wins (news-please, NELA-GT, NewsAPI, schema.org shapes).
_TEXT_KEYS = ("text", "content", "maintext", "body", "articleBody")
_HTML_KEYS = ("html", "raw_html")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "published", "date_publish", "published_at", "publish_date",
              "datePublished", "publishedAt", "published_utc")
_OUTLET_KEYS = ("source", "outlet", "source_domain", "sitename", "publisher")
_AUTHOR_KEYS = ("author", "authors")
_URL_KEYS = ("url", "link")

_GZIP_MAGIC = b"\x1f\x8b"
_STREAMED = ("jsonl", "warc")  # formats read a record at a time (max_file_bytes caps a record)
_CHUNK = 1 << 16
_MAX_EARLY_ERRORS = 1000  # bad JSON lines before any good one after which a file is given up
# Leading bytes of binary formats people drop into news folders by mistake.
_BINARY_MAGIC = [
    (b"%PDF-", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx file)"), (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
]
_BOMS = [  # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# C0 controls that never occur in text (tab, newlines, form feed, escape allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_HTML_SNIFF_RE = re.compile(r"<(!doctype\s+html|html|head|body|article|p|div)\b", re.I)
_HTML_TAG_RE = re.compile(r"<(p|div|br|span|a|h[1-6]|ul|ol|li|article|section|blockquote|em|strong)\b[^>]*>", re.I)


@dataclass
class InputFile:
    """One input to read: a file, or stdin when ``path`` is ``"-"``.

    ``format`` is txt, md, html, json, jsonl or warc; ``auto`` (sniff the content: stdin and
    files named on the command line with an unknown extension); ``missing`` or ``unreadable``
    for a path that cannot be read (``read_file`` turns those into an InputError).
    """

    path: str
    size: int
    mtime: float
    format: str
    compressed: bool
    #: a piece of a big JSON Lines file (``split_input``): bytes [start, end), whose first line
    #: is line ``first_line`` of the file; the whole file when ``end`` is None
    start: int = 0
    end: int | None = None
    first_line: int = 1

    @property
    def key(self) -> str:
        """The name the ``files`` table records: the path, or ``path#bytes=START-END`` for a piece."""
        return self.path if self.end is None else f"{self.path}#bytes={self.start}-{self.end}"


class _Reject(Exception):
    """A bad input: becomes an InputError."""

    def __init__(self, reason: str, hint: str = "", record: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.hint, self.record = reason, hint, record


# -- finding inputs -----------------------------------------------------------------------------

def format_of(path: str) -> tuple[str | None, bool]:
    """The format and compression a file name says: ``("html", True)`` for ``page.html.gz``.

    Args:
        path: a file name or path.
    Returns:
        (format or None for an unknown extension, compressed).

    >>> format_of("feed.JSONL.gz")
    ('jsonl', True)
    """
    name = os.path.basename(path).lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    return FORMATS.get(os.path.splitext(name)[1]), compressed


def list_inputs(paths: Iterable[str]) -> Iterator[InputFile]:
    """Expand input paths into the files to read, in a deterministic order.

    Folders are walked recursively in sorted order; hidden files and folders (name starting
    with ".") and files with an unknown extension inside folders are skipped; symlinks are
    followed but a folder is never entered twice (symlink loops). A file named directly is
    always read (its format sniffed when the extension is unknown). A path that does not exist
    or cannot be read is yielded with format ``missing``/``unreadable`` so that ``read_file``
    reports it. The same file reached twice is listed once.

    Args:
        paths: files, folders, or "-" for stdin.
    Yields:
        InputFile records.

    >>> [f.format for f in list_inputs(["examples/"])][:2]  # doctest: +SKIP
    ['txt', 'txt']
    """
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    stdin_done = False
    for path in paths:
        path = os.fspath(path)
        if path == "-":
            if not stdin_done:
                stdin_done = True
                yield InputFile(path="-", size=0, mtime=0.0, format="auto", compressed=False)
            continue
        try:
            st = os.stat(path)
        except FileNotFoundError:
            kind = "missing"
            if os.path.islink(path):
                kind = "missing"  # a dangling symlink
            yield InputFile(path=path, size=0, mtime=0.0, format=kind, compressed=False)
            continue
        except OSError:  # symlink loop, permission denied on a parent, name too long ...
            yield InputFile(path=path, size=0, mtime=0.0, format="unreadable", compressed=False)
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, st, seen_files, seen_dirs)
            continue
        key = (st.st_dev, st.st_ino)
        if stat.S_ISREG(st.st_mode) and key in seen_files:
            continue
        seen_files.add(key)
        fmt, compressed = format_of(path)
        yield InputFile(path=path, size=st.st_size, mtime=st.st_mtime, format=fmt or "auto",
                        compressed=compressed)


def _walk(folder: str, st: os.stat_result, seen_files: set, seen_dirs: set) -> Iterator[InputFile]:
    key = (st.st_dev, st.st_ino)
    if key in seen_dirs:  # a symlink loop or the same folder named twice
        return
    seen_dirs.add(key)
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        yield InputFile(path=folder, size=0, mtime=0.0, format="unreadable", compressed=False)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        try:
            est = entry.stat()  # follows symlinks
        except OSError as exc:
            # A dangling or looping symlink with an article's extension is reported; others skipped.
            if format_of(entry.name)[0] is not None:
                kind = "missing" if isinstance(exc, FileNotFoundError) else "unreadable"
                yield InputFile(path=path, size=0, mtime=0.0, format=kind, compressed=False)
            continue
        if stat.S_ISDIR(est.st_mode):
            yield from _walk(path, est, seen_files, seen_dirs)
            continue
        fmt, compressed = format_of(entry.name)
        if fmt is None or not stat.S_ISREG(est.st_mode):
            continue
        fkey = (est.st_dev, est.st_ino)
        if fkey in seen_files:
            continue
        seen_files.add(fkey)
        yield InputFile(path=path, size=est.st_size, mtime=est.st_mtime, format=fmt,
                        compressed=compressed)


# -- reading ------------------------------------------------------------------------------------

def read_articles(paths: Iterable[str], *, settings: Settings | None = None) -> Iterator[RawArticle | InputError]:
    """Read every article from files, folders or stdin ("-").

    Args:
        paths: as for :func:`list_inputs`.
        settings: size limits (defaults to ``Settings()``).
    Yields:
        RawArticle for each article read, InputError for each bad file or record.

    >>> [a.format for a in read_articles(["examples/"])][:1]  # doctest: +SKIP
    ['txt']
    """
    settings = settings or Settings()
    for f in list_inputs(paths):
        yield from read_file(f, settings=settings)


def read_file(f: InputFile, *, settings: Settings | None = None) -> Iterator[RawArticle | InputError]:
    """Read one input file into articles. Never raises: problems come out as InputError.

    Args:
        f: an :class:`InputFile` from :func:`list_inputs`.
        settings: size limits (``max_file_bytes``, ``max_decompressed_bytes``).
    Yields:
        RawArticle records, and an InputError (file, reason, hint, record) for each bad
        file or record; the good records of a file with some bad ones are still yielded.

    >>> f = next(list_inputs(["examples/000_3aafa46bbadb6af6.txt"]))  # doctest: +SKIP
    >>> next(read_file(f)).text[:16]  # doctest: +SKIP
    ' date 2022-02-01'
    """
    return _guard(_read(f, settings or Settings()), f.path)


def read_bytes(data: bytes, *, name: str = "-", settings: Settings | None = None) -> Iterator[RawArticle | InputError]:
    """Read articles from bytes in memory (an HTTP body, a database blob). Never raises.

    Args:
        data: the content of one input file.
        name: its file name: the extension picks the format (``.gz`` is decompressed); with an
            unknown extension, or "-", the format is sniffed from the content.
        settings: size limits (``max_file_bytes``, ``max_decompressed_bytes``).
    Yields:
        RawArticle records and InputError records, as :func:`read_file`.

    >>> [a.text for a in read_bytes(b'{"text": "Hello."}', name="feed.jsonl")]
    ['Hello.']
    """
    settings = settings or Settings()

    def run() -> Iterator[RawArticle | _Reject]:
        fmt, compressed = format_of(name) if name != "-" else (None, False)
        blob = data
        if len(blob) > settings.max_file_bytes:
            raise _Reject(f"the data is {len(blob):,} bytes, larger than max_file_bytes "
                          f"({settings.max_file_bytes:,})", "raise max_file_bytes or split the input")
        if compressed and blob:
            blob = _read_capped(io.BufferedReader(_GzipReader(io.BytesIO(blob), settings.max_decompressed_bytes)),
                                settings.max_decompressed_bytes, "the decompressed data",
                                "max_decompressed_bytes")
        yield from _read_bytes(blob, name, fmt or "auto", settings)

    return _guard(run(), name)


def _guard(items: Iterator[RawArticle | _Reject], file: str) -> Iterator[RawArticle | InputError]:
    """Turn rejections and any exception of a reader into InputError records."""
    try:
        for item in items:
            if isinstance(item, _Reject):
                yield InputError(file=file, reason=item.reason, hint=item.hint, record=item.record)
            else:
                yield item
    except _Reject as rej:
        yield InputError(file=file, reason=rej.reason, hint=rej.hint, record=rej.record)
    except MemoryError:
        yield InputError(file=file, reason="ran out of memory reading the file",
                         hint="lower max_file_bytes / max_decompressed_bytes, or split the file")
    except RecursionError:
        yield InputError(file=file, reason="the file is nested too deeply to read",
                         hint="the file is probably malformed or hostile; check it")
    except Exception as exc:  # a reader bug must not cost the run
        yield InputError(file=file, reason=f"could not read the file: {type(exc).__name__}: {exc}"[:500],
                         hint="please report this with the file; the other inputs are read")


def _read(f: InputFile, settings: Settings) -> Iterator[RawArticle | _Reject]:
    fmt = f.format
    if fmt in ("missing", "unreadable"):
        _raise_unreadable(f.path)  # returns only if the path has become readable since
        fmt = format_of(f.path)[0] or "auto"
    if f.path == "-":
        data = _read_capped(sys.stdin.buffer, settings.max_file_bytes, "standard input",
                            "max_file_bytes")
        yield from _read_bytes(data, "-", "auto", settings)
        return
    try:
        st = os.stat(f.path)
    except OSError:
        _raise_unreadable(f.path)
        raise _Reject("cannot read the file", "check the path and its permissions") from None
    if stat.S_ISDIR(st.st_mode):
        raise _Reject("this is a folder, not a file", "pass folders to list_inputs / read_articles")
    streamed = fmt in _STREAMED
    if stat.S_ISREG(st.st_mode):
        if st.st_size > settings.max_file_bytes and not streamed:
            raise _Reject(f"file is {st.st_size:,} bytes, larger than max_file_bytes "
                          f"({settings.max_file_bytes:,})",
                          "raise max_file_bytes (newstrace.toml or NEWSTRACE_MAX_FILE_BYTES) "
                          "or split the file")
        if st.st_size == 0:
            raise _Reject("file is empty", "remove it, or check that it was downloaded completely")
    try:
        fh = open(f.path, "rb")
    except OSError:
        _raise_unreadable(f.path)
        raise _Reject("cannot open the file", "check the path and its permissions") from None
    with fh:
        compressed = f.compressed
        if not compressed and fmt == "auto":
            head = fh.peek(2)[:2] if hasattr(fh, "peek") else b""
            compressed = head == _GZIP_MAGIC
        if compressed:
            # A streamed format is read a record at a time, so its total size costs no memory
            # (gzip cannot expand more than about 1,000-fold): only the record is capped.
            stream: BinaryIO = io.BufferedReader(
                _GzipReader(fh, sys.maxsize if streamed else settings.max_decompressed_bytes), _CHUNK)
            cap, cap_name = settings.max_decompressed_bytes, "max_decompressed_bytes"
        else:
            stream, cap, cap_name = fh, settings.max_file_bytes, "max_file_bytes"
        if fmt == "warc":
            yield from _read_warc(stream, f.path, settings)
            return
        if fmt == "jsonl":
            if f.end is not None:  # a piece (split_input): cut at line starts, uncompressed
                fh.seek(f.start)
                stream = io.BufferedReader(_Window(fh, f.end - f.start), _CHUNK)
            yield from _stream_json_lines(stream, f.path, settings, first_line=f.first_line)
            return
        data = _read_capped(stream, cap, "the decompressed data" if compressed else "the file", cap_name)
    yield from _read_bytes(data, f.path, fmt, settings)


def split_input(f: InputFile, piece_bytes: int) -> list[InputFile]:
    """Cut an uncompressed JSON Lines file bigger than ``piece_bytes`` into pieces at line starts.

    One pass over the file finds the cuts and counts the lines before each, so a piece's
    articles get the same ``path#line`` sources, and its errors the same line numbers, as when
    the file is read whole. Anything else (other formats, gzip, which cannot be entered in the
    middle, UTF-16 text, a small file) comes back as ``[f]``.

    >>> split_input(InputFile("a.txt", 10, 0.0, "txt", False), 4)
    [InputFile(path='a.txt', size=10, mtime=0.0, format='txt', compressed=False, start=0, end=None, first_line=1)]
    """
    if f.format != "jsonl" or f.compressed or f.path == "-" or f.end is not None or f.size <= piece_bytes:
        return [f]
    cuts = [(0, 1)]  # (byte offset of a line start, its line number)
    target, offset, lines = piece_bytes, 0, 0
    try:
        with open(f.path, "rb") as fh:
            while True:
                block = fh.read(1 << 20)
                if not block:
                    break
                if offset == 0 and (block[:_CHUNK].count(0) or any(
                        block.startswith(bom) for bom, codec in _BOMS if codec != "utf-8")):
                    return [f]  # UTF-16/32: newline bytes are not line ends
                while target - 1 < offset + len(block):
                    i = block.find(b"\n", max(0, target - 1 - offset))
                    if i < 0:
                        break
                    start = offset + i + 1
                    if start >= f.size:
                        break
                    cuts.append((start, lines + block.count(b"\n", 0, i + 1) + 1))
                    target = start + piece_bytes
                lines += block.count(b"\n")
                offset += len(block)
    except OSError:
        return [f]  # read_file reports it
    if len(cuts) == 1:
        return [f]
    ends = [c[0] for c in cuts[1:]] + [f.size]
    return [dataclasses.replace(f, start=s0, end=e, first_line=ln) for (s0, ln), e in zip(cuts, ends)]


class _Window(io.RawIOBase):
    """The bytes [0, n) of a stream positioned at a piece's start."""

    def __init__(self, raw: BinaryIO, n: int) -> None:
        self._raw, self._left = raw, n

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._raw.read(min(len(b), self._left))
        n = len(data)
        b[:n] = data
        self._left -= n
        return n


def _raise_unreadable(path: str) -> None:
    try:
        os.stat(path)
        with open(path, "rb"):
            pass
    except FileNotFoundError:
        if os.path.islink(path):
            raise _Reject(f"symlink points to a missing file ({os.readlink(path)})",
                          "fix or remove the link") from None
        raise _Reject("no such file or folder", "check the path (typo? moved? unmounted?)") from None
    except IsADirectoryError:
        try:
            os.scandir(path).close()
        except OSError as exc:
            raise _Reject(f"folder cannot be listed: {exc.strerror or exc}",
                          "check its permissions") from None
        raise _Reject("this is a folder, not a file", "pass folders to list_inputs / read_articles") from None
    except PermissionError:
        raise _Reject("permission denied", "make the file readable (chmod) or run as its owner") from None
    except OSError as exc:
        if getattr(exc, "errno", None) == 40:  # ELOOP
            raise _Reject("symlink loop (the link points back to itself)", "fix or remove the link") from None
        raise _Reject(f"cannot open the file: {exc.strerror or exc}", "check the path and its permissions") from None


def _read_capped(stream: Any, cap: int, what: str, cap_name: str) -> bytes:
    """Read at most ``cap`` bytes; more is an error (the rest is never read)."""
    buf = bytearray()
    while len(buf) <= cap:
        chunk = stream.read(min(_CHUNK * 16, cap + 1 - len(buf)))
        if not chunk:
            break
        buf += chunk
    if len(buf) > cap:
        raise _Reject(f"{what} is larger than {cap_name} ({cap:,} bytes)"
                      + (" (a gzip bomb?)" if cap_name == "max_decompressed_bytes" else ""),
                      f"raise {cap_name} (newstrace.toml or NEWSTRACE_{cap_name.upper()}) if the "
                      "file is genuine, or split it")
    return bytes(buf)


class _GzipReader(io.RawIOBase):
    """Stream-decompress gzip (multi-member) with a cap on the output size."""

    def __init__(self, raw: BinaryIO, cap: int) -> None:
        self._raw, self._cap = raw, cap
        self._d: Any = None
        self._pending = b""
        self._buf = b""
        self._total = 0
        self._members = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf and not self._done:
            self._fill()
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def _fill(self) -> None:
        if not self._pending or (self._d is None and len(self._pending) < 2):
            more = self._raw.read(_CHUNK)
            if not more:
                if self._d is not None:
                    raise _Reject("truncated gzip file (it ends in the middle of the compressed data)",
                                  "the download or copy was cut short: fetch the file again")
                if self._pending and self._members == 0:
                    raise _Reject("truncated gzip file (it ends inside the gzip header)"
                                  if _GZIP_MAGIC.startswith(self._pending) else
                                  "not a gzip file (the name ends in .gz but the content is not gzip)",
                                  "fetch the file again, or rename it without .gz if it is not gzip")
                if self._pending and self._pending.strip(b"\x00"):
                    raise _Reject("unexpected bytes after the end of the gzip data",
                                  "the file may be corrupt: fetch it again")
                if self._members == 0:
                    raise _Reject("file is empty", "remove it, or check that it was downloaded completely")
                self._done = True
                return
            self._pending += more
            return
        if self._d is None:
            if self._pending[:2] != _GZIP_MAGIC:
                if self._members == 0:
                    raise _Reject("not a gzip file (the name ends in .gz but the content is not gzip)",
                                  "rename the file without .gz, or compress it with gzip")
                if not self._pending.strip(b"\x00"):
                    self._pending = b""  # zero padding after the last member (tape/block copies)
                    return
                raise _Reject("unexpected bytes after the end of the gzip data",
                              "the file may be corrupt: fetch it again")
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self._members += 1
        try:
            out = self._d.decompress(self._pending, _CHUNK)
        except zlib.error as exc:
            raise _Reject(f"corrupt gzip data ({exc})", "the file is damaged: fetch it again") from None
        if self._d.eof:
            self._pending = self._d.unused_data
            self._d = None
        else:
            self._pending = self._d.unconsumed_tail
        self._total += len(out)
        if self._total > self._cap:
            raise _Reject(f"the decompressed data is larger than max_decompressed_bytes "
                          f"({self._cap:,} bytes) (a gzip bomb?)",
                          "raise max_decompressed_bytes (newstrace.toml or "
                          "NEWSTRACE_MAX_DECOMPRESSED_BYTES) if the file is genuine, or split it")
        self._buf = out


# -- format dispatch ----------------------------------------------------------------------------

def _read_bytes(data: bytes, path: str, fmt: str, settings: Settings) -> Iterator[RawArticle | _Reject]:
    if not data:
        raise _Reject("file is empty" if path != "-" else "nothing on standard input",
                      "remove it, or check that it was downloaded completely" if path != "-"
                      else "pipe an article (text, HTML, JSON lines) into newstrace")
    if fmt == "auto":
        if data[:2] == _GZIP_MAGIC:
            data = _read_capped(io.BufferedReader(_GzipReader(io.BytesIO(data), settings.max_decompressed_bytes)),
                                settings.max_decompressed_bytes, "the decompressed data",
                                "max_decompressed_bytes")
        fmt = _sniff(data)
        if fmt == "warc":
            yield from _read_warc(io.BytesIO(data), path, settings)
            return
    if fmt in ("txt", "md"):
        _check_binary(data)
        text = _tidy(_decode(data))
        if not text.strip():
            raise _Reject("file holds only whitespace", "remove it, or check that it was saved completely")
        yield RawArticle(source=path, text=text, file=path, format=fmt)
    elif fmt == "html":
        _check_binary(data)
        yield html_to_article(data, source=path, file=path)
    elif fmt in ("json", "jsonl"):
        _check_binary(data)
        yield from _read_json(_decode(data), path, fmt)
    elif fmt == "warc":
        yield from _read_warc(io.BytesIO(data), path, settings)
    else:
        raise _Reject(f"unknown file type ({fmt})", f"newstrace reads {_KNOWN}")


def _sniff(data: bytes) -> str:
    """Guess the format of content without a file name (stdin, unknown extension)."""
    _check_binary(data)
    head = data[:4096]
    if head.startswith(b"WARC/"):
        return "warc"
    text = _decode(head, strict=False).lstrip("\ufeff \t\r\n")
    if text[:1] in "{[":
        first = text.split("\n", 1)[0].strip()
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except (ValueError, RecursionError):
            pass
        return "json"
    if _HTML_SNIFF_RE.search(text[:1024]):
        return "html"
    return "txt"


# -- text decoding ------------------------------------------------------------------------------

def _check_binary(data: bytes) -> None:
    what = next((what for magic, what in _BINARY_MAGIC if data.startswith(magic)), None)
    if what is None and re.match(rb"BZh[1-9]1AY&SY", data[:10]):
        what = "a bzip2 archive"
    if what:
        raise _Reject(f"binary file: this is {what}, not an article",
                      f"remove it from the inputs; newstrace reads {_KNOWN}")
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return
    sample = data[:_CHUNK]
    if sample.count(0) and _utf16_without_bom(sample):
        return
    bad = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if bad > max(2, len(sample) // 100):
        raise _Reject(f"binary file: {bad} control bytes in the first {len(sample):,} bytes "
                      "(text has none)", f"remove it from the inputs; newstrace reads {_KNOWN}")


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the NUL bytes sit where UTF-16 ASCII text puts them."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decode(data: bytes, *, strict: bool = True) -> str:
    """Bytes to text: BOM, then UTF-8, then charset-normalizer; binary junk is rejected."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with(data[len(bom):], codec, f"{codec.upper()} (it starts with a "
                                "byte-order mark)", strict)
    if data.count(0):
        codec16 = _utf16_without_bom(data[:_CHUNK])
        if codec16:
            return _decode_with(data, codec16, codec16.upper(), strict)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if not strict:
        return data.decode("utf-8", "replace")
    loose = data.decode("utf-8", "replace")
    bad = loose.count("\ufffd")
    good = sum(1 for ch in loose if ord(ch) > 127) - bad
    if good > 0 and bad <= max(1, good // 20):
        # Mostly UTF-8 with a few damaged bytes: a legacy-encoding guess would garble the rest.
        return loose
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data[:1_000_000]) if m.encoding]
    if not matches:
        raise _Reject("the text is neither UTF-8 nor an encoding that can be detected",
                      "convert the file to UTF-8 (e.g. iconv -f OLD_ENCODING -t UTF-8)")
    # Least mess first; among equally clean code pages prefer Windows-1252, by far the most
    # common legacy encoding of English text (charset-normalizer's own pick on short English
    # text is often an exotic DOS code page that turns curly quotes into letters).
    best = min(matches, key=lambda m: (round(m.chaos, 3), -m.coherence))
    candidates = (["cp1252"] if "cp1252" in best.could_be_from_charset else []) + [best.encoding]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    else:
        encoding = best.encoding
        text = data.decode(encoding, "replace") if _codec_ok(encoding) else loose
    _check_decoded(text, encoding)
    return text


def _codec_ok(name: str) -> bool:
    try:
        codecs.lookup(name)
        return True
    except LookupError:
        return False


def _decode_with(data: bytes, codec: str, label: str, strict: bool) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        text = data.decode(codec, "replace")
        if strict and text.count("\ufffd") > max(1, len(text) // 1000):
            raise _Reject(f"the text is not valid {label}: {exc.reason} at byte {exc.start}",
                          "re-save the file as UTF-8") from None
    if strict:
        _check_decoded(text, codec)
    return text


def _check_decoded(text: str, codec: str) -> None:
    sample = text[:_CHUNK]
    bad = len(_CONTROL_RE.findall(sample))
    if bad > max(2, len(sample) // 100):
        raise _Reject(f"binary file: decoded as {codec} it holds {bad} control characters "
                      f"in the first {len(sample):,}", f"remove it from the inputs; newstrace reads {_KNOWN}")


def _tidy(text: str) -> str:
    """Normalise line ends, drop BOM/NUL characters and lone surrogates (they break UTF-8 output)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE_RE.sub("\ufffd", text)
    return text


# -- HTML ---------------------------------------------------------------------------------------

_MIN_HTML_WORDS = 5  # less is navigation left over from a page without an article
# libxml2 compares each attribute of a tag with all earlier ones: quadratic, inside C where no
# time budget can interrupt it (30,000 attributes take 6 s per parse, 100,000 over a minute).
_MAX_TAG_ATTRIBUTES = 2000
_LONG_TAG_RE = re.compile(r"<[a-zA-Z][\w:-]*\s[^<>]{5000,}")
_ATTRIBUTE_RE = re.compile(r"\s[\w:.-]+\s*=")
# favor_precision: less boilerplate in the text that quote and attribution extraction read;
# on the Zyte benchmark (bench/extraction.py) it gives P .958 R .971 F1 .964 against
# P .942 R .978 F1 .960 without it, and comments are never part of the article.
_TRAFILATURA_OPTS = dict(include_comments=False, include_tables=True, favor_precision=True,
                         with_metadata=True)


def html_to_article(html: bytes | str, *, source: str, file: str = "", url: str | None = None,
                    fmt: str = "html", record: str | None = None) -> RawArticle:
    """Extract the main text and metadata of an HTML page (trafilatura).

    Args:
        html: the page, as bytes (encoding detected from BOM, meta charset, content) or text.
        source: the RawArticle source (file path or URL).
        file: the file it came from.
        url: the page URL when known (helps trafilatura resolve the outlet and date).
        fmt: RawArticle.format (``html``, or ``warc`` for a page from a web archive).
        record: record id for error messages.
    Returns:
        RawArticle with paragraphs separated by a blank line.
    Raises:
        _Reject: the page holds no main text (an internal error turned into InputError).
    """
    import trafilatura

    if isinstance(html, bytes):
        html = _decode_html(html)
    html = _tidy(html)
    if not html.strip():
        raise _Reject("the HTML page is empty", "check that the page was saved completely", record)
    for tag in _LONG_TAG_RE.finditer(html):
        if len(_ATTRIBUTE_RE.findall(tag.group())) > _MAX_TAG_ATTRIBUTES:
            raise _Reject(f"an HTML tag has more than {_MAX_TAG_ATTRIBUTES:,} attributes",
                          "the page is malformed or hostile; check it", record)
    doc = trafilatura.bare_extraction(html, url=url, **_TRAFILATURA_OPTS)
    text = _body_text(doc.body) if doc is not None and doc.body is not None else ""
    if not text.strip() and doc is not None and doc.text:
        text = re.sub(r"\n+", "\n\n", doc.text)
    words = len(text.split())
    if words < _MIN_HTML_WORDS:
        raise _Reject("no main text found in the HTML page"
                      + (f" (only {words} word{'s' * (words > 1)}: {' '.join(text.split())[:60]!r})"
                         if words else ""),
                      "check that the page holds an article; pages that build their text with "
                      "JavaScript must be saved after rendering", record)
    authors = [a.strip() for a in re.split(r"[;|]", doc.author or "") if a.strip()]
    page_url = url or doc.url
    outlet = doc.sitename or doc.hostname or None
    return RawArticle(source=source, text=_tidy(text), file=file, title=_clean_str(doc.title),
                      published=_iso_date(doc.date), authors=authors, outlet=_clean_str(outlet),
                      url=page_url or None, format=fmt, language=doc.language or None)


def _decode_html(data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with(data[len(bom):], codec, codec.upper(), True)
    m = _META_CHARSET_RE.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        if _codec_ok(name) and codecs.lookup(name).name not in ("utf-16-le", "utf-16-be", "utf-16",
                                                                "utf-32", "utf-32-le", "utf-32-be"):
            try:
                return data.decode(name)
            except UnicodeDecodeError:
                pass
    return _decode(data)


_BLOCKS = {"p", "head", "quote", "list", "item", "table", "row", "code", "pre", "div", "section"}


def _body_text(body: Any) -> str:
    """Paragraphs of trafilatura's XML body, separated by a blank line."""
    paras: list[str] = []

    def text_of(el: Any) -> str:
        parts = [el.text or ""]
        for child in el:
            if child.tag == "lb":
                parts.append("\n")
            elif child.tag in ("cell",):
                parts.append(" " + text_of(child) + " ")
            else:
                parts.append(text_of(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def walk(el: Any) -> None:
        for child in el:
            if child.tag in ("list", "table", "quote", "div", "section") and len(child):
                if child.tag == "quote" and not any(c.tag in _BLOCKS for c in child):
                    add(text_of(child))
                else:
                    if child.text and child.text.strip():
                        add(child.text)
                    walk(child)
            elif child.tag == "row":
                add(" | ".join(" ".join(text_of(c).split()) for c in child if c.tag == "cell"))
            else:
                add(text_of(child))
            if child.tail and child.tail.strip():
                add(child.tail)  # text between blocks (trafilatura leaves it as a tail)

    def add(s: str) -> None:
        lines = [" ".join(line.split()) for line in s.split("\n")]
        s = "\n".join(line for line in lines if line)
        if s:
            paras.append(s)

    if body.text and body.text.strip():
        add(body.text)
    walk(body)
    return "\n\n".join(paras)


def _clean_str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(_tidy(value).split())
    return value or None


def _iso_date(value: Any) -> str | None:
    """ISO 8601 date (or datetime when a time is given) from a string or a Unix timestamp."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        ts = float(value)
        if ts != ts or abs(ts) > 1e14:  # NaN or absurd
            return None
        if abs(ts) > 1e11:  # milliseconds
            ts /= 1000
        try:
            return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > 100:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    from dateutil import parser as dateparser

    try:
        dt = dateparser.parse(value)
    except (ValueError, OverflowError, TypeError, LookupError):
        return None
    if (dt.hour, dt.minute, dt.second, dt.microsecond) == (0, 0, 0, 0) and dt.tzinfo is None:
        return dt.date().isoformat()
    return dt.isoformat()


# -- JSON ---------------------------------------------------------------------------------------

def _read_json(text: str, path: str, fmt: str) -> Iterator[RawArticle | _Reject]:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise _Reject("file holds only whitespace", "remove it, or check that it was saved completely")
    if fmt == "json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg != "Extra data":
                raise _Reject(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                              "fix the file, or save one JSON object per line (.jsonl) so that one "
                              "bad record does not cost the others") from None
            # Several documents one after another: read it as JSON lines.
        except RecursionError:
            raise _Reject("not valid JSON: nested too deeply", "the file is malformed or hostile: check it") from None
        except ValueError as exc:
            raise _Reject(f"not valid JSON: {exc}"[:300], "fix the file") from None
        else:
            records, where = _records_of(doc)
            for n, rec in enumerate(records, start=1):
                yield _record_or_reject(rec, path, n, f"record {n}{where}", "json")
            return
    yield from _read_json_lines(text, path)


def _records_of(doc: Any) -> tuple[list[Any], str]:
    if isinstance(doc, list):
        if not doc:
            raise _Reject("the JSON array is empty", "check that the export finished")
        return doc, ""
    if isinstance(doc, dict):
        if any(k in doc for k in _TEXT_KEYS + _HTML_KEYS):
            return [doc], ""
        lists = {k: v for k, v in doc.items() if isinstance(v, list) and v and isinstance(v[0], dict)}
        for key in ("articles", "items", "data", "records", "results", "documents", "docs",
                    "posts", "stories", "entries"):
            if key in lists:
                return lists[key], f" of {key!r}"
        if len(lists) == 1:
            key = next(iter(lists))
            return lists[key], f" of {key!r}"
        raise _Reject("the JSON object is neither an article (no "
                      + "/".join(_TEXT_KEYS) + " field) nor holds a list of articles"
                      + (f" (fields: {', '.join(list(doc)[:12])})" if doc else ""),
                      "give each article a text field, or put the articles in a list")
    raise _Reject(f"the JSON document is {_type_name(doc)}, not articles",
                  "use an array of objects, or one object per line (.jsonl)")


def _stream_json_lines(stream: Any, path: str, settings: Settings, *,
                       first_line: int = 1) -> Iterator[RawArticle | _Reject]:
    """JSON lines from a binary stream, a line at a time; each line is capped by max_file_bytes.

    A file in UTF-16 or UTF-32 (NUL bytes in its first block) cannot be split on newline bytes:
    it is read whole, as before, within max_file_bytes.
    """
    head = stream.peek(_CHUNK)[:_CHUNK] if hasattr(stream, "peek") else b""
    if not head:
        raise _Reject("file is empty", "remove it, or check that it was downloaded completely")
    _check_binary(head)
    if head.count(0) or any(head.startswith(bom) for bom, codec in _BOMS if codec != "utf-8"):
        data = _read_capped(stream, settings.max_file_bytes, "the file", "max_file_bytes")
        yield from _read_json_lines(_decode(data), path)
        return
    # A later piece of a split file reads like the middle of the whole file: no "not JSON Lines"
    # verdict from its first records, no "only whitespace" for a piece of blank lines.
    yield from _json_lines(_numbered_lines(stream, settings.max_file_bytes, first_line), path,
                           middle=first_line > 1)


def _numbered_lines(stream: Any, cap: int, first_line: int = 1) -> Iterator[tuple[int, str | _Reject]]:
    """(line number, text) for each line of a UTF-8 stream; an over-long line becomes a _Reject."""
    n = first_line - 1
    while True:
        raw = stream.readline(cap + 1)
        if not raw:
            return
        n += 1
        if len(raw) > cap and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a block at a time
                raw = stream.readline(_CHUNK)
            yield n, _Reject(f"line {n} is larger than max_file_bytes ({cap:,} bytes)",
                             "raise max_file_bytes (newstrace.toml or NEWSTRACE_MAX_FILE_BYTES) "
                             "if the record is genuine; the other lines are read", f"line {n}")
            continue
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield n, raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                yield n, _decode(raw)  # not UTF-8 (JSON Lines must be): detect this line's encoding
            except _Reject as rej:
                yield n, _Reject(f"line {n}: {rej.reason}", rej.hint, f"line {n}")


def _read_json_lines(text: str, path: str) -> Iterator[RawArticle | _Reject]:
    yield from _json_lines(enumerate(text.split("\n"), start=1), path)


def _json_lines(lines: Iterable[tuple[int, str | _Reject]], path: str, *,
                middle: bool = False) -> Iterator[RawArticle | _Reject]:
    early: list[_Reject] = []  # errors before the first good line: maybe not JSON lines at all
    good = int(middle)
    for n, line in lines:
        if isinstance(line, _Reject):
            item: RawArticle | _Reject = line
            if good:
                yield item
            else:
                early.append(item)
            continue
        line = line.strip()
        if not line:
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            item = _Reject(f"line {n}: not valid JSON: {exc.msg} (column {exc.colno})",
                                                 "fix or remove the line; the other lines are read",
                                                 f"line {n}")
        except RecursionError:
            item = _Reject(f"line {n}: not valid JSON: nested too deeply", "fix or remove the line", f"line {n}")
        except ValueError as exc:
            item = _Reject(f"line {n}: not valid JSON: {exc}"[:300], "fix or remove the line", f"line {n}")
        else:
            item = _record_or_reject(rec, path, n, f"line {n}", "jsonl")
        if isinstance(item, RawArticle) or good:
            if early:
                yield from early
                early = []
            good += isinstance(item, RawArticle)
            yield item
            continue
        early.append(item)
        if len(early) >= 10 and all("not valid JSON" in e.reason for e in early):
            raise _Reject(f"not a JSON Lines file: the first {len(early)} records are not valid JSON "
                          f"({early[0].reason})",
                          "check the format: one JSON object per line, or name the file .txt/.html")
        if len(early) >= _MAX_EARLY_ERRORS:  # a streamed file may hold millions of such lines
            raise _Reject(f"no article in the first {len(early):,} records, which are all bad "
                          f"(the first: {early[0].reason}): the rest of the file is skipped",
                          "check that this is a dump of articles with a text field")
    yield from early
    if not good and not early:
        raise _Reject("file holds only whitespace", "remove it, or check that it was saved completely")


def _record_or_reject(rec: Any, path: str, n: int, where: str, fmt: str) -> RawArticle | _Reject:
    try:
        return record_to_article(rec, source=f"{path}#{n}", file=path, fmt=fmt)
    except _Reject as rej:
        return _Reject(f"{where}: {rej.reason}", rej.hint, where)


def _type_name(value: Any) -> str:
    """'an object', 'a list', 'a string', 'a number', 'a boolean', 'null'."""
    return {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
            bool: "a boolean", type(None): "null"}.get(type(value), type(value).__name__)


def _first(rec: dict, keys: tuple[str, ...]) -> tuple[str | None, Any]:
    for key in keys:
        if key in rec and rec[key] not in (None, ""):
            return key, rec[key]
    return None, None


def _str_field(rec: dict, keys: tuple[str, ...], what: str) -> str | None:
    key, value = _first(rec, keys)
    if key is None:
        return None
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        value = value["name"]  # {"source": {"id": ..., "name": "BBC News"}} (NewsAPI)
    if not isinstance(value, str):
        raise _Reject(f"field {key!r} ({what}) is {_type_name(value)}, expected a string",
                      "fix the record's field type; the other records are read")
    return _clean_str(value)


def record_to_article(rec: Any, *, source: str, file: str = "", fmt: str = "jsonl") -> RawArticle:
    """Turn one news-dump record (a JSON object) into a RawArticle.

    Fields, first match wins: text ``text|content|maintext|body|articleBody`` (or ``html``),
    ``title|headline``, date ``date|published|date_publish|...`` (ISO string or Unix time),
    outlet ``source|outlet|source_domain|sitename|publisher``, ``url``, ``author|authors``.

    Args:
        rec: the parsed record.
        source: the source to use when the record has no URL (``path#record``).
        file: the file it came from.
        fmt: RawArticle.format.
    Returns:
        RawArticle.
    Raises:
        _Reject: not an object, no text, or a field of the wrong type (becomes InputError).

    >>> record_to_article({"maintext": "Hello.", "url": "https://x.org/a"}, source="f#1").source
    'https://x.org/a'
    """
    if not isinstance(rec, dict):
        raise _Reject(f"the record is {_type_name(rec)}, expected an object with a text field",
                      "fix or remove the record; the other records are read")
    key, value = _first(rec, _TEXT_KEYS)
    url = _str_field(rec, _URL_KEYS, "URL")
    if key is None:
        hkey, hvalue = _first(rec, _HTML_KEYS)
        if isinstance(hvalue, str):
            art = html_to_article(hvalue, source=url or source, file=file, url=url, fmt=fmt)
            return _with_record_meta(art, rec)
        found = ", ".join(list(rec)[:12]) or "none"
        raise _Reject(f"no article text (looked for {'/'.join(_TEXT_KEYS)}; fields: {found})",
                      "add a text field to the record")
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(v.strip() for v in value if v.strip())  # paragraphs as a list
    if not isinstance(value, str):
        raise _Reject(f"field {key!r} (article text) is {_type_name(value)}, expected a string",
                      "fix the record's field type; the other records are read")
    text = _tidy(value)
    if _HTML_TAG_RE.search(text[:5000]) and len(_HTML_TAG_RE.findall(text[:20000])) >= 2:
        text = html_fragment_text(text)
    if not text.strip():
        raise _Reject(f"field {key!r} (article text) is empty", "remove the record or fill its text")
    art = RawArticle(source=url or source, text=text, file=file, url=url, format=fmt)
    return _with_record_meta(art, rec)


def _with_record_meta(art: RawArticle, rec: dict) -> RawArticle:
    title = _str_field(rec, _TITLE_KEYS, "title")
    outlet = _str_field(rec, _OUTLET_KEYS, "outlet")
    dkey, dvalue = _first(rec, _DATE_KEYS)
    if dkey is not None and (isinstance(dvalue, bool) or not isinstance(dvalue, (str, int, float))):
        raise _Reject(f"field {dkey!r} (date) is {_type_name(dvalue)}, expected a string or a "
                      "Unix timestamp", "fix the record's field type; the other records are read")
    akey, avalue = _first(rec, _AUTHOR_KEYS)
    authors: list[str] = []
    if akey is not None:
        values = avalue if isinstance(avalue, list) else [avalue]
        for v in values:
            if isinstance(v, dict) and isinstance(v.get("name"), str):
                v = v["name"]
            if not isinstance(v, str):
                raise _Reject(f"field {akey!r} (authors) holds {_type_name(v)}, expected strings",
                              "fix the record's field type; the other records are read")
            authors += [a for a in (_clean_str(p) for p in re.split(r"[;|\n]", v)) if a]
    lang = rec.get("language")
    art.title = title or art.title
    art.outlet = outlet or art.outlet
    art.published = _iso_date(dvalue) or art.published
    art.authors = authors or art.authors
    art.language = lang if isinstance(lang, str) and len(lang) < 20 else art.language
    return art


_FRAGMENT_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "section",
                    "article", "tr", "pre", "ul", "ol", "table", "figure", "header", "footer"}


def html_fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a record's ``content`` field): blocks become paragraphs.

    Args:
        html: HTML markup.
    Returns:
        text with paragraphs separated by a blank line (script/style dropped).

    >>> html_fragment_text("<p>One.</p><p>Two <b>words</b>.</p>")
    'One.\\n\\nTwo words.'
    """
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _FRAGMENT_BLOCKS:
            el.text = "\n\n" + (el.text or "")
            el.tail = "\n\n" + (el.tail or "")
    raw = root.text_content()
    paras = []
    for block in re.split(r"\n\s*\n", raw):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            paras.append(block)
    return "\n\n".join(paras)


# -- WARC ---------------------------------------------------------------------------------------

def _read_warc(stream: Any, path: str, settings: Settings) -> Iterator[RawArticle | _Reject]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages = 0
    n = 0
    counter = _CountingReader(stream, settings.max_decompressed_bytes, "max_decompressed_bytes")
    stream = io.BufferedReader(counter, _CHUNK)
    head = stream.peek(16)[:16].lstrip()
    if not head.startswith(b"WARC/"):
        raise _Reject("not a valid WARC file (it does not start with 'WARC/')",
                      "check that the file is a WARC web archive (ARC and other formats are not read)")
    try:
        it = ArchiveIterator(stream)
        for rec in it:
            n += 1
            if not (rec.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                raise _Reject(f"malformed or truncated WARC: record {n} has no valid Content-Length header",
                              "the archive is damaged or cut short: the records before it were read",
                              f"record {n}")
            if rec.rec_type not in ("response", "resource"):
                _drain(rec, n)
                continue
            uri = rec.rec_headers.get_header("WARC-Target-URI") or f"{path}#{n}"
            if rec.rec_type == "response":
                if rec.http_headers is None:
                    continue
                ctype = rec.http_headers.get_header("Content-Type") or ""
                status = rec.http_headers.get_statuscode() or ""
                if not status.startswith("2"):
                    _drain(rec, n)
                    continue
            else:
                ctype = rec.rec_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                _drain(rec, n)
                continue
            pages += 1
            where = f"record {n} ({uri})"
            try:
                payload = _read_capped(rec.content_stream(), settings.max_decompressed_bytes,
                                       f"{where}: the page", "max_decompressed_bytes")
            except _Reject as rej:
                yield _Reject(rej.reason, rej.hint, where)
                continue
            if getattr(rec.raw_stream, "limit", 0):
                raise _Reject(f"truncated WARC: {where} ends before its declared length",
                              "the archive was cut short: the records before it were read", where)
            if not payload.strip():
                yield _Reject(f"{where}: the HTML response is empty", "nothing to read in this record", where)
                continue
            try:
                _check_binary(payload)
                yield html_to_article(payload, source=uri, file=path, url=uri if "://" in uri else None,
                                      fmt="warc", record=where)
            except _Reject as rej:
                reason = rej.reason if rej.reason.startswith("record ") else f"{where}: {rej.reason}"
                yield _Reject(reason, rej.hint, where)
    except _Reject:
        raise
    except ArchiveLoadFailed as exc:
        msg = str(exc).split("\n")[0][:200]
        if n == 0:
            raise _Reject(f"not a valid WARC file ({msg})",
                          "check that the file is a WARC web archive (it starts with 'WARC/1.')") from None
        raise _Reject(f"malformed WARC record after record {n} ({msg})",
                      "the archive is damaged or truncated: the records before it were read") from None
    except (EOFError, ValueError, KeyError, IndexError, AttributeError, zlib.error, OSError) as exc:
        raise _Reject(f"malformed or truncated WARC after record {n} ({type(exc).__name__}: {exc})"[:300],
                      "the archive is damaged or truncated: the records before it were read") from None
    if n == 0:
        raise _Reject("not a valid WARC file (no records)", "check that the file is a WARC web archive")
    leftover = counter.total - (it.get_record_offset() + it.get_record_length())
    if leftover > 0 and (leftover > len(counter.tail) or counter.tail[-leftover:].strip()):
        raise _Reject(f"truncated WARC: the file ends inside the header of record {n + 1}",
                      "the archive was cut short: the records before it were read", f"record {n + 1}")
    if pages == 0:
        raise _Reject(f"the WARC file holds no HTML responses ({n} records)",
                      "newstrace reads the HTML pages of a web archive; this one has none")


class _CountingReader(io.RawIOBase):
    """Count the bytes read from a stream and keep the last 64 KiB (to see how a WARC ends).

    With ``line_cap``, a run of more than that many bytes without a newline is refused: warcio
    reads record headers with an unbounded readline, and a WARC is streamed without a cap on
    its total size, so a header "line" of gigabytes (a gzip bomb) must be stopped here.
    """

    def __init__(self, raw: Any, line_cap: int | None = None, cap_name: str = "") -> None:
        self._raw, self.total, self.tail = raw, 0, b""
        self._cap, self._cap_name, self._run = line_cap, cap_name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._raw.read(len(b))
        n = len(data)
        b[:n] = data
        self.total += n
        self.tail = (self.tail + data)[-_CHUNK:]
        if self._cap is not None and n:
            nl = data.rfind(b"\n")
            self._run = n - nl - 1 if nl >= 0 else self._run + n
            if self._run > self._cap:
                raise _Reject(f"the data holds a line larger than {self._cap_name} ({self._cap:,} bytes)"
                              + (" (a gzip bomb?)" if self._cap_name == "max_decompressed_bytes" else ""),
                              f"raise {self._cap_name} (newstrace.toml or NEWSTRACE_{self._cap_name.upper()}) "
                              "if the file is genuine")
        return n


def _drain(rec: Any, n: int) -> None:
    """Read past a record we skip, so that a truncated one is noticed."""
    while rec.raw_stream.read(_CHUNK):
        pass
    if getattr(rec.raw_stream, "limit", 0):
        raise _Reject(f"truncated WARC: record {n} ends before its declared length",
                      "the archive was cut short: the records before it were read", f"record {n}")
