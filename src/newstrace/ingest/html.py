"""HTML to article: main text and metadata of a page with trafilatura (``html_to_article``), the
plain text of an HTML fragment (``html_fragment_text``), and the clean-up of metadata strings and
dates (``clean_str``, ``iso_date``) that records share.
"""

from __future__ import annotations

import codecs
import re
from datetime import date, datetime, timezone
from typing import Any

from ..models import RawArticle
from .formats import Reject
from .text import BOMS, codec_ok, decode, decode_with, tidy

__all__ = ["clean_str", "html_fragment_text", "html_to_article", "iso_date"]

_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_MIN_HTML_WORDS = 5  # less is navigation left over from a page without an article
# libxml2 compares each attribute of a tag with all earlier ones: quadratic, inside C where no
# time budget can interrupt it (30,000 attributes take 6 s per parse, 100,000 over a minute).
_MAX_TAG_ATTRIBUTES = 2000
_LONG_TAG_RE = re.compile(r"<[a-zA-Z][\w:-]*\s[^<>]{5000,}")
# Every attribute token counts, with a value or not (issue #18: 2.3 MB of value-less attributes,
# ``<div a0 a1 a2 ...>``, took 289 s inside libxml2): quoted values and ``=value`` are dropped
# first, and what is left of the tag is its name and one token per attribute.
_QUOTED_RE = re.compile(r"\"[^\"]*\"|'[^']*'")
_UNQUOTED_VALUE_RE = re.compile(r"=\s*[^\s>]*")


def _attribute_count(tag: str) -> int:
    return len(_UNQUOTED_VALUE_RE.sub(" ", _QUOTED_RE.sub("", tag)).split()) - 1


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
        Reject: the page holds no main text (an internal error turned into InputError).
    """
    import trafilatura

    if isinstance(html, bytes):
        html = _decode_html(html)
    html = tidy(html)
    if not html.strip():
        raise Reject("the HTML page is empty", "check that the page was saved completely", record)
    for tag in _LONG_TAG_RE.finditer(html):
        if _attribute_count(tag.group()) > _MAX_TAG_ATTRIBUTES:
            raise Reject(f"an HTML tag has more than {_MAX_TAG_ATTRIBUTES:,} attributes",
                          "the page is malformed or hostile; check it", record)
    doc = trafilatura.bare_extraction(html, url=url, **_TRAFILATURA_OPTS)
    text = _body_text(doc.body) if doc is not None and doc.body is not None else ""
    if not text.strip() and doc is not None and doc.text:
        text = re.sub(r"\n+", "\n\n", doc.text)
    words = len(text.split())
    if words < _MIN_HTML_WORDS:
        raise Reject("no main text found in the HTML page"
                      + (f" (only {words} word{'s' * (words > 1)}: {' '.join(text.split())[:60]!r})"
                         if words else ""),
                      "check that the page holds an article; pages that build their text with "
                      "JavaScript must be saved after rendering", record)
    authors = [a.strip() for a in re.split(r"[;|]", doc.author or "") if a.strip()]
    page_url = url or doc.url
    outlet = doc.sitename or doc.hostname or None
    return RawArticle(source=source, text=tidy(text), file=file, title=clean_str(doc.title),
                      published=iso_date(doc.date), authors=authors, outlet=clean_str(outlet),
                      url=page_url or None, format=fmt, language=doc.language or None)


def _decode_html(data: bytes) -> str:
    for bom, codec in BOMS:
        if data.startswith(bom):
            return decode_with(data[len(bom):], codec, codec.upper(), True)
    m = _META_CHARSET_RE.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        if codec_ok(name) and codecs.lookup(name).name not in ("utf-16-le", "utf-16-be", "utf-16",
                                                                "utf-32", "utf-32-le", "utf-32-be"):
            try:
                return data.decode(name)
            except UnicodeDecodeError:
                pass
    return decode(data)


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


def clean_str(value: Any) -> str | None:
    """A metadata string with its whitespace collapsed; None for a non-string or empty value."""
    if not isinstance(value, str):
        return None
    value = " ".join(tidy(value).split())
    return value or None


def iso_date(value: Any) -> str | None:
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
