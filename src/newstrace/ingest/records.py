"""News-dump records to articles: JSON documents, JSON Lines (streamed a line at a time, each line
capped by ``max_file_bytes``) and WARC web archives (streamed a record at a time; their HTML
responses go through ``html_to_article``).
"""

from __future__ import annotations

import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from ..config import Settings
from ..models import RawArticle
from .formats import Reject
from .html import clean_str, html_fragment_text, html_to_article, iso_date
from .text import CHUNK, check_binary, decode, read_capped, tidy, wide_encoding

__all__ = ["read_json", "read_warc", "record_to_article", "stream_json_lines"]

# Record fields, first match wins (news-please, NELA-GT, NewsAPI, schema.org shapes).
_TEXT_KEYS = ("text", "content", "maintext", "body", "articleBody")
_HTML_KEYS = ("html", "raw_html")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "published", "date_publish", "published_at", "publish_date",
              "datePublished", "publishedAt", "published_utc")
_OUTLET_KEYS = ("source", "outlet", "source_domain", "sitename", "publisher")
_AUTHOR_KEYS = ("author", "authors")
_URL_KEYS = ("url", "link")
_MAX_EARLY_ERRORS = 1000  # bad JSON lines before any good one after which a file is given up
_HTML_TAG_RE = re.compile(r"<(p|div|br|span|a|h[1-6]|ul|ol|li|article|section|blockquote|em|strong)\b[^>]*>", re.I)


# -- JSON ---------------------------------------------------------------------------------------

def read_json(text: str, path: str, fmt: str) -> Iterator[RawArticle | Reject]:
    """Records of a JSON document (array, object, or an object holding a list) or of JSON lines."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise Reject("file holds only whitespace", "remove it, or check that it was saved completely")
    if fmt == "json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg != "Extra data":
                raise Reject(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                              "fix the file, or save one JSON object per line (.jsonl) so that one "
                              "bad record does not cost the others") from None
            # Several documents one after another: read it as JSON lines.
        except RecursionError:
            raise Reject("not valid JSON: nested too deeply", "the file is malformed or hostile: check it") from None
        except ValueError as exc:
            raise Reject(f"not valid JSON: {exc}"[:300], "fix the file") from None
        else:
            records, where = _records_of(doc)
            for n, rec in enumerate(records, start=1):
                yield _record_or_reject(rec, path, n, f"record {n}{where}", "json")
            return
    yield from _read_json_lines(text, path)


def _records_of(doc: Any) -> tuple[list[Any], str]:
    if isinstance(doc, list):
        if not doc:
            raise Reject("the JSON array is empty", "check that the export finished")
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
        raise Reject("the JSON object is neither an article (no "
                      + "/".join(_TEXT_KEYS) + " field) nor holds a list of articles"
                      + (f" (fields: {', '.join(list(doc)[:12])})" if doc else ""),
                      "give each article a text field, or put the articles in a list")
    raise Reject(f"the JSON document is {_type_name(doc)}, not articles",
                  "use an array of objects, or one object per line (.jsonl)")


def stream_json_lines(stream: Any, path: str, settings: Settings, *,
                       first_line: int = 1) -> Iterator[RawArticle | Reject]:
    """JSON lines from a binary stream, a line at a time; each line is capped by max_file_bytes.

    A file in UTF-16 or UTF-32 (NUL bytes in its first block) cannot be split on newline bytes:
    it is read whole, as before, within max_file_bytes.
    """
    head = stream.peek(CHUNK)[:CHUNK] if hasattr(stream, "peek") else b""
    if not head:
        raise Reject("file is empty", "remove it, or check that it was downloaded completely")
    check_binary(head)
    if wide_encoding(head):
        data = read_capped(stream, settings.max_file_bytes, "the file", "max_file_bytes")
        yield from _read_json_lines(decode(data), path)
        return
    # A later piece of a split file reads like the middle of the whole file: no "not JSON Lines"
    # verdict from its first records, no "only whitespace" for a piece of blank lines.
    yield from _json_lines(_numbered_lines(stream, settings.max_file_bytes, first_line), path,
                           middle=first_line > 1)


def _numbered_lines(stream: Any, cap: int, first_line: int = 1) -> Iterator[tuple[int, str | Reject]]:
    """(line number, text) for each line of a UTF-8 stream; an over-long line becomes a Reject."""
    n = first_line - 1
    while True:
        raw = stream.readline(cap + 1)
        if not raw:
            return
        n += 1
        if len(raw) > cap and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a block at a time
                raw = stream.readline(CHUNK)
            yield n, Reject(f"line {n} is larger than max_file_bytes ({cap:,} bytes)",
                             "raise max_file_bytes (newstrace.toml or NEWSTRACE_MAX_FILE_BYTES) "
                             "if the record is genuine; the other lines are read", f"line {n}")
            continue
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield n, raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                yield n, decode(raw)  # not UTF-8 (JSON Lines must be): detect this line's encoding
            except Reject as rej:
                yield n, Reject(f"line {n}: {rej.reason}", rej.hint, f"line {n}")


def _read_json_lines(text: str, path: str) -> Iterator[RawArticle | Reject]:
    yield from _json_lines(enumerate(text.split("\n"), start=1), path)


def _json_lines(lines: Iterable[tuple[int, str | Reject]], path: str, *,
                middle: bool = False) -> Iterator[RawArticle | Reject]:
    early: list[Reject] = []  # errors before the first good line: maybe not JSON lines at all
    good = int(middle)
    for n, line in lines:
        if isinstance(line, Reject):
            item: RawArticle | Reject = line
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
            item = Reject(f"line {n}: not valid JSON: {exc.msg} (column {exc.colno})",
                                                 "fix or remove the line; the other lines are read",
                                                 f"line {n}")
        except RecursionError:
            item = Reject(f"line {n}: not valid JSON: nested too deeply", "fix or remove the line", f"line {n}")
        except ValueError as exc:
            item = Reject(f"line {n}: not valid JSON: {exc}"[:300], "fix or remove the line", f"line {n}")
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
            raise Reject(f"not a JSON Lines file: the first {len(early)} records are not valid JSON "
                          f"({early[0].reason})",
                          "check the format: one JSON object per line, or name the file .txt/.html")
        if len(early) >= _MAX_EARLY_ERRORS:  # a streamed file may hold millions of such lines
            raise Reject(f"no article in the first {len(early):,} records, which are all bad "
                          f"(the first: {early[0].reason}): the rest of the file is skipped",
                          "check that this is a dump of articles with a text field")
    yield from early
    if not good and not early:
        raise Reject("file holds only whitespace", "remove it, or check that it was saved completely")


def _record_or_reject(rec: Any, path: str, n: int, where: str, fmt: str) -> RawArticle | Reject:
    try:
        return record_to_article(rec, source=f"{path}#{n}", file=path, fmt=fmt)
    except Reject as rej:
        return Reject(f"{where}: {rej.reason}", rej.hint, where)


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
        raise Reject(f"field {key!r} ({what}) is {_type_name(value)}, expected a string",
                      "fix the record's field type; the other records are read")
    return clean_str(value)


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
        Reject: not an object, no text, or a field of the wrong type (becomes InputError).

    >>> record_to_article({"maintext": "Hello.", "url": "https://x.org/a"}, source="f#1").source
    'https://x.org/a'
    """
    if not isinstance(rec, dict):
        raise Reject(f"the record is {_type_name(rec)}, expected an object with a text field",
                      "fix or remove the record; the other records are read")
    key, value = _first(rec, _TEXT_KEYS)
    url = _str_field(rec, _URL_KEYS, "URL")
    if key is None:
        hkey, hvalue = _first(rec, _HTML_KEYS)
        if isinstance(hvalue, str):
            art = html_to_article(hvalue, source=url or source, file=file, url=url, fmt=fmt)
            return _with_record_meta(art, rec)
        found = ", ".join(list(rec)[:12]) or "none"
        raise Reject(f"no article text (looked for {'/'.join(_TEXT_KEYS)}; fields: {found})",
                      "add a text field to the record")
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(v.strip() for v in value if v.strip())  # paragraphs as a list
    if not isinstance(value, str):
        raise Reject(f"field {key!r} (article text) is {_type_name(value)}, expected a string",
                      "fix the record's field type; the other records are read")
    text = tidy(value)
    if _HTML_TAG_RE.search(text[:5000]) and len(_HTML_TAG_RE.findall(text[:20000])) >= 2:
        text = html_fragment_text(text)
    if not text.strip():
        raise Reject(f"field {key!r} (article text) is empty", "remove the record or fill its text")
    art = RawArticle(source=url or source, text=text, file=file, url=url, format=fmt)
    return _with_record_meta(art, rec)


def _with_record_meta(art: RawArticle, rec: dict) -> RawArticle:
    title = _str_field(rec, _TITLE_KEYS, "title")
    outlet = _str_field(rec, _OUTLET_KEYS, "outlet")
    dkey, dvalue = _first(rec, _DATE_KEYS)
    if dkey is not None and (isinstance(dvalue, bool) or not isinstance(dvalue, (str, int, float))):
        raise Reject(f"field {dkey!r} (date) is {_type_name(dvalue)}, expected a string or a "
                      "Unix timestamp", "fix the record's field type; the other records are read")
    akey, avalue = _first(rec, _AUTHOR_KEYS)
    authors: list[str] = []
    if akey is not None:
        values = avalue if isinstance(avalue, list) else [avalue]
        for v in values:
            if isinstance(v, dict) and isinstance(v.get("name"), str):
                v = v["name"]
            if not isinstance(v, str):
                raise Reject(f"field {akey!r} (authors) holds {_type_name(v)}, expected strings",
                              "fix the record's field type; the other records are read")
            authors += [a for a in (clean_str(p) for p in re.split(r"[;|\n]", v)) if a]
    lang = rec.get("language")
    art.title = title or art.title
    art.outlet = outlet or art.outlet
    art.published = iso_date(dvalue) or art.published
    art.authors = authors or art.authors
    art.language = lang if isinstance(lang, str) and len(lang) < 20 else art.language
    return art


# -- WARC ---------------------------------------------------------------------------------------

def read_warc(stream: Any, path: str, settings: Settings) -> Iterator[RawArticle | Reject]:
    """The HTML responses of a WARC web archive, a record at a time."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages = 0
    n = 0
    counter = _CountingReader(stream, settings.max_decompressed_bytes, "max_decompressed_bytes")
    stream = io.BufferedReader(counter, CHUNK)
    head = stream.peek(16)[:16].lstrip()
    if not head.startswith(b"WARC/"):
        raise Reject("not a valid WARC file (it does not start with 'WARC/')",
                      "check that the file is a WARC web archive (ARC and other formats are not read)")
    try:
        it = ArchiveIterator(stream)
        for rec in it:
            n += 1
            if not (rec.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                raise Reject(f"malformed or truncated WARC: record {n} has no valid Content-Length header",
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
                payload = read_capped(rec.content_stream(), settings.max_decompressed_bytes,
                                       f"{where}: the page", "max_decompressed_bytes")
            except Reject as rej:
                yield Reject(rej.reason, rej.hint, where)
                continue
            if getattr(rec.raw_stream, "limit", 0):
                raise Reject(f"truncated WARC: {where} ends before its declared length",
                              "the archive was cut short: the records before it were read", where)
            if not payload.strip():
                yield Reject(f"{where}: the HTML response is empty", "nothing to read in this record", where)
                continue
            try:
                check_binary(payload)
                yield html_to_article(payload, source=uri, file=path, url=uri if "://" in uri else None,
                                      fmt="warc", record=where)
            except Reject as rej:
                reason = rej.reason if rej.reason.startswith("record ") else f"{where}: {rej.reason}"
                yield Reject(reason, rej.hint, where)
    except Reject:
        raise
    except ArchiveLoadFailed as exc:
        msg = str(exc).split("\n")[0][:200]
        if n == 0:
            raise Reject(f"not a valid WARC file ({msg})",
                          "check that the file is a WARC web archive (it starts with 'WARC/1.')") from None
        raise Reject(f"malformed WARC record after record {n} ({msg})",
                      "the archive is damaged or truncated: the records before it were read") from None
    except (EOFError, ValueError, KeyError, IndexError, AttributeError, zlib.error, OSError) as exc:
        raise Reject(f"malformed or truncated WARC after record {n} ({type(exc).__name__}: {exc})"[:300],
                      "the archive is damaged or truncated: the records before it were read") from None
    if n == 0:
        raise Reject("not a valid WARC file (no records)", "check that the file is a WARC web archive")
    leftover = counter.total - (it.get_record_offset() + it.get_record_length())
    if leftover > 0 and (leftover > len(counter.tail) or counter.tail[-leftover:].strip()):
        raise Reject(f"truncated WARC: the file ends inside the header of record {n + 1}",
                      "the archive was cut short: the records before it were read", f"record {n + 1}")
    if pages == 0:
        raise Reject(f"the WARC file holds no HTML responses ({n} records)",
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
        self.tail = (self.tail + data)[-CHUNK:]
        if self._cap is not None and n:
            nl = data.rfind(b"\n")
            self._run = n - nl - 1 if nl >= 0 else self._run + n
            if self._run > self._cap:
                raise Reject(f"the data holds a line larger than {self._cap_name} ({self._cap:,} bytes)"
                              + (" (a gzip bomb?)" if self._cap_name == "max_decompressed_bytes" else ""),
                              f"raise {self._cap_name} (newstrace.toml or NEWSTRACE_{self._cap_name.upper()}) "
                              "if the file is genuine")
        return n


def _drain(rec: Any, n: int) -> None:
    """Read past a record we skip, so that a truncated one is noticed."""
    while rec.raw_stream.read(CHUNK):
        pass
    if getattr(rec.raw_stream, "limit", 0):
        raise Reject(f"truncated WARC: record {n} ends before its declared length",
                      "the archive was cut short: the records before it were read", f"record {n}")
