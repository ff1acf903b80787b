"""The formats ingest reads, the format a file name says, and :class:`Reject` (a bad input).

The bottom of the package: every other module imports from this one, and it imports none of them.
"""

from __future__ import annotations

import os

__all__ = ["FORMATS", "KNOWN", "Reject", "format_of"]

#: extension (lower case, without ``.gz``) -> format name
FORMATS: dict[str, str] = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc",
}
KNOWN = ", ".join(sorted({ext for ext in FORMATS})) + " (and any of these gzipped, .gz)"


class Reject(Exception):
    """A bad input or record: readers raise (or yield) it, ``read_file`` turns it into an InputError."""

    def __init__(self, reason: str, hint: str = "", record: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.hint, self.record = reason, hint, record


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
