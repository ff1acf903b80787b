"""Reading: ``read_file``, ``read_bytes`` and ``read_articles`` pick the reader by format, cap
the sizes, and turn every rejection or reader failure into an :class:`InputError` (reading never
raises).
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from ..config import Settings
from ..models import InputError, RawArticle
from .files import InputFile, Window, list_inputs
from .formats import KNOWN, Reject, format_of
from .html import html_to_article
from .records import read_json, read_warc, stream_json_lines
from .text import CHUNK, GZIP_MAGIC, GzipReader, check_binary, decode, read_capped, sniff, tidy

__all__ = ["read_articles", "read_bytes", "read_file"]

_STREAMED = ("jsonl", "warc")  # formats read a record at a time (max_file_bytes caps a record)


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


def read_file(f: InputFile | str | os.PathLike[str], *,
              settings: Settings | None = None) -> Iterator[RawArticle | InputError]:
    """Read one input file into articles. Never raises: problems come out as InputError.

    Args:
        f: an :class:`InputFile` from :func:`list_inputs`, or a path (a folder is read whole,
            as by :func:`read_articles`).
        settings: size limits (``max_file_bytes``, ``max_decompressed_bytes``).
    Yields:
        RawArticle records, and an InputError (file, reason, hint, record) for each bad
        file or record; the good records of a file with some bad ones are still yielded.

    >>> f = next(list_inputs(["examples/000_3aafa46bbadb6af6.txt"]))  # doctest: +SKIP
    >>> next(read_file(f)).text[:16]  # doctest: +SKIP
    ' date 2022-02-01'
    """
    if not isinstance(f, InputFile):  # a path as str or Path (issue #17: was an AttributeError)
        return read_articles([os.fspath(f)], settings=settings)
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

    def run() -> Iterator[RawArticle | Reject]:
        fmt, compressed = format_of(name) if name != "-" else (None, False)
        blob = data
        if len(blob) > settings.max_file_bytes:
            raise Reject(f"the data is {len(blob):,} bytes, larger than max_file_bytes "
                          f"({settings.max_file_bytes:,})", "raise max_file_bytes or split the input")
        if compressed and blob:
            blob = read_capped(io.BufferedReader(GzipReader(io.BytesIO(blob), settings.max_decompressed_bytes)),
                                settings.max_decompressed_bytes, "the decompressed data",
                                "max_decompressed_bytes")
        yield from _read_bytes(blob, name, fmt or "auto", settings)

    return _guard(run(), name)


def _guard(items: Iterator[RawArticle | Reject], file: str) -> Iterator[RawArticle | InputError]:
    """Turn rejections and any exception of a reader into InputError records."""
    try:
        for item in items:
            if isinstance(item, Reject):
                yield InputError(file=file, reason=item.reason, hint=item.hint, record=item.record)
            else:
                yield item
    except Reject as rej:
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


def _read(f: InputFile, settings: Settings) -> Iterator[RawArticle | Reject]:
    fmt = f.format
    if fmt == "outside":
        raise Reject(f"symlink leads out of the input folder (to {os.path.realpath(f.path)}): not read",
                     "pass --follow-symlinks (setting follow_symlinks) to read links that leave the folder")
    if fmt == "system":
        raise Reject("a kernel or device file (under /proc, /sys or /dev): never read",
                     "remove it (or the link to it) from the inputs")
    if fmt in ("missing", "unreadable"):
        _raise_unreadable(f.path)  # returns only if the path has become readable since
        fmt = format_of(f.path)[0] or "auto"
    if f.path == "-":
        data = read_capped(sys.stdin.buffer, settings.max_file_bytes, "standard input",
                            "max_file_bytes")
        yield from _read_bytes(data, "-", "auto", settings)
        return
    try:
        st = os.stat(f.path)
    except OSError:
        _raise_unreadable(f.path)
        raise Reject("cannot read the file", "check the path and its permissions") from None
    if stat.S_ISDIR(st.st_mode):
        raise Reject("this is a folder, not a file", "pass folders to list_inputs / read_articles")
    streamed = fmt in _STREAMED
    if stat.S_ISREG(st.st_mode):
        if st.st_size > settings.max_file_bytes and not streamed:
            raise Reject(f"file is {st.st_size:,} bytes, larger than max_file_bytes "
                          f"({settings.max_file_bytes:,})",
                          "raise max_file_bytes (newstrace.toml or NEWSTRACE_MAX_FILE_BYTES) "
                          "or split the file")
        if st.st_size == 0:
            raise Reject("file is empty", "remove it, or check that it was downloaded completely")
    try:
        fh = open(f.path, "rb")
    except OSError:
        _raise_unreadable(f.path)
        raise Reject("cannot open the file", "check the path and its permissions") from None
    with fh:
        compressed = f.compressed
        if not compressed and fmt == "auto":
            head = fh.peek(2)[:2] if hasattr(fh, "peek") else b""
            compressed = head == GZIP_MAGIC
        if compressed:
            # A streamed format is read a record at a time, so its total size costs no memory
            # (gzip cannot expand more than about 1,000-fold): only the record is capped.
            stream: BinaryIO = io.BufferedReader(
                GzipReader(fh, sys.maxsize if streamed else settings.max_decompressed_bytes), CHUNK)
            cap, cap_name = settings.max_decompressed_bytes, "max_decompressed_bytes"
        else:
            stream, cap, cap_name = fh, settings.max_file_bytes, "max_file_bytes"
        if fmt == "warc":
            yield from read_warc(stream, f.path, settings)
            return
        if fmt == "jsonl":
            if f.end is not None:  # a piece (split_input): cut at line starts, uncompressed
                fh.seek(f.start)
                stream = io.BufferedReader(Window(fh, f.end - f.start), CHUNK)
            yield from stream_json_lines(stream, f.path, settings, first_line=f.first_line)
            return
        data = read_capped(stream, cap, "the decompressed data" if compressed else "the file", cap_name)
    yield from _read_bytes(data, f.path, fmt, settings)


def _raise_unreadable(path: str) -> None:
    try:
        os.stat(path)
        with open(path, "rb"):
            pass
    except FileNotFoundError:
        if os.path.islink(path):
            raise Reject(f"symlink points to a missing file ({os.readlink(path)})",
                          "fix or remove the link") from None
        raise Reject("no such file or folder", "check the path (typo? moved? unmounted?)") from None
    except IsADirectoryError:
        try:
            os.scandir(path).close()
        except OSError as exc:
            raise Reject(f"folder cannot be listed: {exc.strerror or exc}",
                          "check its permissions") from None
        raise Reject("this is a folder, not a file", "pass folders to list_inputs / read_articles") from None
    except PermissionError:
        raise Reject("permission denied", "make the file readable (chmod) or run as its owner") from None
    except OSError as exc:
        if getattr(exc, "errno", None) == 40:  # ELOOP
            raise Reject("symlink loop (the link points back to itself)", "fix or remove the link") from None
        raise Reject(f"cannot open the file: {exc.strerror or exc}", "check the path and its permissions") from None


# -- format dispatch ----------------------------------------------------------------------------

def _read_bytes(data: bytes, path: str, fmt: str, settings: Settings) -> Iterator[RawArticle | Reject]:
    if not data:
        raise Reject("file is empty" if path != "-" else "nothing on standard input",
                      "remove it, or check that it was downloaded completely" if path != "-"
                      else "pipe an article (text, HTML, JSON lines) into newstrace")
    if fmt == "auto":
        if data[:2] == GZIP_MAGIC:
            data = read_capped(io.BufferedReader(GzipReader(io.BytesIO(data), settings.max_decompressed_bytes)),
                                settings.max_decompressed_bytes, "the decompressed data",
                                "max_decompressed_bytes")
        fmt = sniff(data)
        if fmt == "warc":
            yield from read_warc(io.BytesIO(data), path, settings)
            return
    if fmt in ("txt", "md"):
        check_binary(data)
        text = tidy(decode(data))
        if not text.strip():
            raise Reject("file holds only whitespace", "remove it, or check that it was saved completely")
        yield RawArticle(source=path, text=text, file=path, format=fmt)
    elif fmt == "html":
        check_binary(data)
        yield html_to_article(data, source=path, file=path)
    elif fmt in ("json", "jsonl"):
        check_binary(data)
        yield from read_json(decode(data), path, fmt)
    elif fmt == "warc":
        yield from read_warc(io.BytesIO(data), path, settings)
    else:
        raise Reject(f"unknown file type ({fmt})", f"newstrace reads {KNOWN}")
