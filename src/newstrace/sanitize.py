"""One sanitizer for every string newstrace stores or prints (issue #18).

* :func:`storable`: text SQLite (UTF-8) accepts. A lone surrogate cannot be encoded and crashed
  the run while writing an error row (``{"\\ud800": 1}`` as a JSON key); a byte that is not UTF-8
  in a file name reaches Python as a surrogate too (``surrogateescape``). Such a byte is stored as
  ``\\xNN`` (``caf\\xe9.txt``), any other lone surrogate as U+FFFD. The real path is kept for
  opening the file; only the stored name is escaped.
* :func:`printable`: text for a terminal line: :func:`storable`, then control characters (ANSI
  escape sequences, carriage returns, newlines) and bidirectional overrides written as
  ``\\xNN``/``\\uNNNN``, so a field or file name can neither drive the terminal nor reorder or
  forge the message around it.

>>> storable("caf\\udce9.txt")
'caf\\\\xe9.txt'
>>> printable("evil\\x1b[2J\\u202ename")
'evil\\\\x1b[2J\\\\u202ename'
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["BIDI_CONTROLS", "printable", "storable", "storable_value"]

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Explicit embeddings, overrides and isolates, and the marks: invisible, and able to reverse
# the text shown after them.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_TERMINAL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f" + BIDI_CONTROLS + "]")


def _escape_surrogate(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def storable(text: str) -> str:
    """``text`` with lone surrogates replaced, so that it encodes as UTF-8.

    Args:
        text: any string (a field of a record, a file name from ``os.scandir``).
    Returns:
        ``text`` itself when it encodes; else a copy with each undecodable file-name byte
        (U+DC80..U+DCFF) written ``\\xNN`` and any other lone surrogate as U+FFFD.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _SURROGATE_RE.sub(_escape_surrogate, text)


def storable_value(value: Any) -> Any:
    """:func:`storable` for a string; any other value unchanged."""
    return storable(value) if isinstance(value, str) else value


def _escape_control(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` made safe for one line of terminal output.

    Args:
        text: a message, file name or field value.
    Returns:
        :func:`storable` text with every control character except tab (escape sequences,
        carriage return, newline, C1 controls) and every bidi control written as an escape.
    """
    return _TERMINAL_RE.sub(_escape_control, storable(text))
