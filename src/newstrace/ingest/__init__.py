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

Modules (imports point one way, top to bottom; each imports only from those below it):

* ``read``: ``read_file`` / ``read_bytes`` / ``read_articles``: dispatch by format, the guards.
* ``records``: JSON, JSON Lines and WARC records -> articles (``record_to_article``).
* ``html``: HTML -> article (``html_to_article``, ``html_fragment_text``), metadata dates.
* ``metadata``: a sidecar table of dates, outlets, titles (``read_metadata``, ``apply_metadata``).
* ``files``: finding inputs (``InputFile``, ``list_inputs``) and ``split_input``.
* ``text``: bytes -> text (binary check, decoding, sniffing) and the capped gzip reader.
* ``formats``: ``FORMATS``, ``format_of`` and :class:`Reject`, the bad input every reader raises.
"""

from __future__ import annotations

from .files import InputFile, list_inputs, split_input
from .formats import FORMATS, Reject, format_of
from .html import html_fragment_text, html_to_article
from .metadata import ArticleMeta, MetadataTable, apply_metadata, read_metadata
from .read import read_articles, read_bytes, read_file
from .records import record_to_article

__all__ = ["InputFile", "list_inputs", "split_input", "read_file", "read_bytes", "read_articles", "format_of",
           "html_to_article", "html_fragment_text", "record_to_article", "Reject", "FORMATS",
           "ArticleMeta", "MetadataTable", "apply_metadata", "read_metadata"]
