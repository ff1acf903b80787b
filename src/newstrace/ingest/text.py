"""Bytes to text: the binary check, decoding (byte-order marks, UTF-8, then charset-normalizer),
tidying, sniffing the format of content without a file name, and the capped readers that guard
against gzip bombs (``read_capped``, :class:`GzipReader`).
"""

from __future__ import annotations

import codecs
import io
import json
import re
import zlib
from typing import Any, BinaryIO

from .formats import KNOWN, Reject

__all__ = ["BOMS", "CHUNK", "GZIP_MAGIC", "GzipReader", "check_binary", "codec_ok", "decode", "decode_with",
           "read_capped", "sniff", "tidy", "wide_encoding"]

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 16
# Leading bytes of binary formats people drop into news folders by mistake.
_BINARY_MAGIC = [
    (b"%PDF-", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx file)"), (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
]
BOMS = [  # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# C0 controls that never occur in text (tab, newlines, form feed, escape allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_HTML_SNIFF_RE = re.compile(r"<(!doctype\s+html|html|head|body|article|p|div)\b", re.I)


def check_binary(data: bytes) -> None:
    """Reject binary content (known magic bytes, or control bytes that text does not hold)."""
    what = next((what for magic, what in _BINARY_MAGIC if data.startswith(magic)), None)
    if what is None and re.match(rb"BZh[1-9]1AY&SY", data[:10]):
        what = "a bzip2 archive"
    if what:
        raise Reject(f"binary file: this is {what}, not an article",
                      f"remove it from the inputs; newstrace reads {KNOWN}")
    if any(data.startswith(bom) for bom, _ in BOMS):
        return
    sample = data[:CHUNK]
    if sample.count(0) and _utf16_without_bom(sample):
        return
    bad = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if bad > max(2, len(sample) // 100):
        raise Reject(f"binary file: {bad} control bytes in the first {len(sample):,} bytes "
                      "(text has none)", f"remove it from the inputs; newstrace reads {KNOWN}")


def wide_encoding(head: bytes) -> str | None:
    """The UTF-16/32 codec the first bytes of a file are in (a byte-order mark, or NUL bytes where
    UTF-16 text puts them), else None. One stray NUL byte is no such signal (issue #18): only
    these make a JSON Lines file unsplittable on newline bytes."""
    for bom, codec in BOMS:
        if head.startswith(bom):
            return None if codec == "utf-8" else codec
    return _utf16_without_bom(head[:CHUNK]) if head[:CHUNK].count(0) else None


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


def decode(data: bytes, *, strict: bool = True) -> str:
    """Bytes to text: BOM, then UTF-8, then charset-normalizer; binary junk is rejected."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return decode_with(data[len(bom):], codec, f"{codec.upper()} (it starts with a "
                                "byte-order mark)", strict)
    if data.count(0):
        codec16 = _utf16_without_bom(data[:CHUNK])
        if codec16:
            return decode_with(data, codec16, codec16.upper(), strict)
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
        raise Reject("the text is neither UTF-8 nor an encoding that can be detected",
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
        text = data.decode(encoding, "replace") if codec_ok(encoding) else loose
    _check_decoded(text, encoding)
    return text


def codec_ok(name: str) -> bool:
    """Whether Python knows the codec ``name``."""
    try:
        codecs.lookup(name)
        return True
    except LookupError:
        return False


def decode_with(data: bytes, codec: str, label: str, strict: bool) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        text = data.decode(codec, "replace")
        if strict and text.count("\ufffd") > max(1, len(text) // 1000):
            raise Reject(f"the text is not valid {label}: {exc.reason} at byte {exc.start}",
                          "re-save the file as UTF-8") from None
    if strict:
        _check_decoded(text, codec)
    return text


def _check_decoded(text: str, codec: str) -> None:
    sample = text[:CHUNK]
    bad = len(_CONTROL_RE.findall(sample))
    if bad > max(2, len(sample) // 100):
        raise Reject(f"binary file: decoded as {codec} it holds {bad} control characters "
                      f"in the first {len(sample):,}", f"remove it from the inputs; newstrace reads {KNOWN}")


def tidy(text: str) -> str:
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


def sniff(data: bytes) -> str:
    """Guess the format of content without a file name (stdin, unknown extension)."""
    check_binary(data)
    head = data[:4096]
    if head.startswith(b"WARC/"):
        return "warc"
    text = decode(head, strict=False).lstrip("\ufeff \t\r\n")
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


def read_capped(stream: Any, cap: int, what: str, cap_name: str) -> bytes:
    """Read at most ``cap`` bytes; more is an error (the rest is never read)."""
    buf = bytearray()
    while len(buf) <= cap:
        chunk = stream.read(min(CHUNK * 16, cap + 1 - len(buf)))
        if not chunk:
            break
        buf += chunk
    if len(buf) > cap:
        raise Reject(f"{what} is larger than {cap_name} ({cap:,} bytes)"
                      + (" (a gzip bomb?)" if cap_name == "max_decompressed_bytes" else ""),
                      f"raise {cap_name} (newstrace.toml or NEWSTRACE_{cap_name.upper()}) if the "
                      "file is genuine, or split it")
    return bytes(buf)


class GzipReader(io.RawIOBase):
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
            more = self._raw.read(CHUNK)
            if not more:
                if self._d is not None:
                    raise Reject("truncated gzip file (it ends in the middle of the compressed data)",
                                  "the download or copy was cut short: fetch the file again")
                if self._pending and self._members == 0:
                    raise Reject("truncated gzip file (it ends inside the gzip header)"
                                  if GZIP_MAGIC.startswith(self._pending) else
                                  "not a gzip file (the name ends in .gz but the content is not gzip)",
                                  "fetch the file again, or rename it without .gz if it is not gzip")
                if self._pending and self._pending.strip(b"\x00"):
                    raise Reject("unexpected bytes after the end of the gzip data",
                                  "the file may be corrupt: fetch it again")
                if self._members == 0:
                    raise Reject("file is empty", "remove it, or check that it was downloaded completely")
                self._done = True
                return
            self._pending += more
            return
        if self._d is None:
            if self._pending[:2] != GZIP_MAGIC:
                if self._members == 0:
                    raise Reject("not a gzip file (the name ends in .gz but the content is not gzip)",
                                  "rename the file without .gz, or compress it with gzip")
                if not self._pending.strip(b"\x00"):
                    self._pending = b""  # zero padding after the last member (tape/block copies)
                    return
                raise Reject("unexpected bytes after the end of the gzip data",
                              "the file may be corrupt: fetch it again")
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self._members += 1
        try:
            out = self._d.decompress(self._pending, CHUNK)
        except zlib.error as exc:
            raise Reject(f"corrupt gzip data ({exc})", "the file is damaged: fetch it again") from None
        if self._d.eof:
            self._pending = self._d.unused_data
            self._d = None
        else:
            self._pending = self._d.unconsumed_tail
        self._total += len(out)
        if self._total > self._cap:
            raise Reject(f"the decompressed data is larger than max_decompressed_bytes "
                          f"({self._cap:,} bytes) (a gzip bomb?)",
                          "raise max_decompressed_bytes (newstrace.toml or "
                          "NEWSTRACE_MAX_DECOMPRESSED_BYTES) if the file is genuine, or split it")
        self._buf = out
