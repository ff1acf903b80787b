"""Finding the inputs: :class:`InputFile`, ``list_inputs`` (files, folders walked in sorted
order, stdin) and ``split_input`` (a big JSON Lines file cut at line starts into pieces, each read
through a :class:`Window` on the file).
"""

from __future__ import annotations

import dataclasses
import io
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from .formats import format_of
from .text import wide_encoding

__all__ = ["InputFile", "Window", "list_inputs", "split_input"]


@dataclass
class InputFile:
    """One input to read: a file, or stdin when ``path`` is ``"-"``.

    ``format`` is txt, md, html, json, jsonl or warc; ``auto`` (sniff the content: stdin and
    files named on the command line with an unknown extension); ``missing`` or ``unreadable``
    for a path that cannot be read, ``outside`` for a symlink in a folder that leads out of it,
    ``system`` for a path into /proc, /sys or /dev (``read_file`` turns those into an InputError).
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


# Never read: kernel and device files (issue #18); a symlink to one is refused too.
SYSTEM_DIRS = ("/proc", "/sys", "/dev")


def _system_path(real: str) -> bool:
    return any(real == d or real.startswith(d + os.sep) for d in SYSTEM_DIRS)


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def list_inputs(paths: Iterable[str], *, follow_symlinks: bool = False,
                skipped: list[str] | None = None) -> Iterator[InputFile]:
    """Expand input paths into the files to read, in a deterministic order.

    Folders are walked recursively in sorted order; hidden files and folders (name starting
    with ".") and files with an unknown extension inside folders are skipped; symlinks that stay
    inside the folder named are followed but a folder is never entered twice (symlink loops); a
    symlink that leads out of it (``in/passwd.txt -> /etc/passwd``) is listed with format
    ``outside`` unless ``follow_symlinks`` (issue #18). Nothing under /proc, /sys or /dev is ever
    read (format ``system``). A file named directly is always read (its format sniffed when the
    extension is unknown). A path that does not exist or cannot be read is yielded with format
    ``missing``/``unreadable`` so that ``read_file`` reports it. The same file reached twice is
    listed once.

    Args:
        paths: files, folders, or "-" for stdin.
        follow_symlinks: also follow symlinks that lead out of the folders named.
        skipped: if given, the files of folders skipped for their unknown extension are
            appended to it (so a caller can say what it did not read).
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
        if _system_path(os.path.realpath(path)):
            yield InputFile(path=path, size=0, mtime=0.0, format="system", compressed=False)
            continue
        if stat.S_ISDIR(st.st_mode):
            root = None if follow_symlinks else os.path.realpath(path)
            yield from _walk(path, st, seen_files, seen_dirs, root, skipped)
            continue
        key = (st.st_dev, st.st_ino)
        if stat.S_ISREG(st.st_mode) and key in seen_files:
            continue
        seen_files.add(key)
        fmt, compressed = format_of(path)
        yield InputFile(path=path, size=st.st_size, mtime=st.st_mtime, format=fmt or "auto",
                        compressed=compressed)


def _walk(folder: str, st: os.stat_result, seen_files: set, seen_dirs: set,
          root: str | None, skipped: list[str] | None = None) -> Iterator[InputFile]:
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
        fmt, compressed = format_of(entry.name)
        if entry.is_symlink() and (fmt is not None or stat.S_ISDIR(est.st_mode)):
            real = os.path.realpath(path)
            refused = "system" if _system_path(real) else (
                "outside" if root is not None and not _inside(real, root) else None)
            if refused:
                yield InputFile(path=path, size=0, mtime=0.0, format=refused, compressed=False)
                continue
        if stat.S_ISDIR(est.st_mode):
            yield from _walk(path, est, seen_files, seen_dirs, root, skipped)
            continue
        if fmt is None or not stat.S_ISREG(est.st_mode):
            if skipped is not None and stat.S_ISREG(est.st_mode):
                skipped.append(path)
            continue
        fkey = (est.st_dev, est.st_ino)
        if fkey in seen_files:
            continue
        seen_files.add(fkey)
        yield InputFile(path=path, size=est.st_size, mtime=est.st_mtime, format=fmt,
                        compressed=compressed)


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
                if offset == 0 and wide_encoding(block):
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


class Window(io.RawIOBase):
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
