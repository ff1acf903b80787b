"""Records that cross pipeline stages.

Data flows one way: ingest -> clean -> annotate -> link -> store -> report.

* ``ingest`` yields :class:`RawArticle` (or :class:`InputError` for a bad input).
* ``clean`` turns a RawArticle into an :class:`Article` (clean text, a map back to the raw
  text, embedded :class:`Post` records pulled out of the running text).
* ``annotate`` parses an Article once with spaCy and returns :class:`Annotations`: quotes,
  attributions, entity mentions and article-local entities, claims.
* ``link`` works across articles from stored records: global entities, stories, links between
  articles, quote groups, provenance.

All offsets are character offsets into ``Article.text`` (the clean text) unless the field name
says ``raw_``; :meth:`Article.to_raw` maps a clean offset to the raw text.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any


def _normalise_for_id(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def article_id_for(text: str) -> str:
    """Stable article id: a hash of the whitespace- and case-normalised text.

    >>> article_id_for("Hello  World") == article_id_for("hello world")
    True
    """
    return hashlib.sha1(_normalise_for_id(text).encode("utf-8")).hexdigest()[:16]


def as_dict(record: Any) -> dict[str, Any]:
    """A record as a plain dict (for JSON and SQLite)."""
    return asdict(record)


@dataclass
class RawArticle:
    """One article as read from an input, before cleaning.

    ``text`` is plain text: HTML has already been reduced to its main text by the reader.
    """

    source: str  # file path as given, path#record for multi-record files, or the URL
    text: str
    file: str = ""  # the file it came from (for error messages); "-" for stdin
    title: str | None = None
    published: str | None = None  # ISO 8601 date (YYYY-MM-DD) or datetime
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    url: str | None = None
    format: str = "txt"  # txt, md, html, json, jsonl, warc
    language: str | None = None


@dataclass
class InputError:
    """A bad input: recorded in the ``errors`` table, reported on stderr, the run goes on."""

    file: str
    reason: str  # what is wrong
    hint: str = ""  # what to do about it
    record: str | None = None  # record number / offset inside a multi-record file
    stage: str = "ingest"
    # errors of one kind in one file past the first few are one InputError (issue #18): how many
    # records it stands for, and the last of them (``record`` is the first)
    count: int = 1
    last_record: str | None = None


@dataclass
class Post:
    """An embedded social-media post (tweet etc.) pulled out of an article's running text."""

    author: str | None
    handle: str | None
    date: str | None  # ISO date when it could be parsed, else the text as written
    text: str
    links: list[str] = field(default_factory=list)
    raw_start: int = 0  # span of the whole embed in the raw text
    raw_end: int = 0
    platform: str = "twitter"
    start: int = 0  # clean-text offset where the embed was (the paragraph boundary)


@dataclass
class Segment:
    """A piece of clean text copied from the raw text: clean[start:start+length] == raw[raw_start:...]."""

    start: int
    raw_start: int
    length: int


@dataclass
class Article:
    """A cleaned article: the unit every later stage works on."""

    id: str
    source: str
    raw_text: str
    text: str  # clean text: boilerplate, embeds and dateline removed; paragraphs split by "\n\n"
    segments: list[Segment] = field(default_factory=list)  # clean -> raw offset map
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    url: str | None = None
    format: str = "txt"
    dateline: str | None = None  # "WASHINGTON, DC" etc.
    posts: list[Post] = field(default_factory=list)
    removed: list[tuple[int, int, str]] = field(default_factory=list)  # raw spans dropped + why
    language: str | None = None  # ISO 639-1 code identified from the text ("en", "it")

    def to_raw(self, offset: int) -> int:
        """Map an offset in ``text`` to the corresponding offset in ``raw_text``."""
        if not self.segments:
            return offset
        starts = [s.start for s in self.segments]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return self.segments[0].raw_start
        seg = self.segments[i]
        return seg.raw_start + min(offset - seg.start, seg.length)


@dataclass
class Role:
    """A title or affiliation stated for a person in one article."""

    title: str  # "CBP Commissioner", "Border Patrol Chief", "Townhall Senior Writer"
    article_id: str
    current: bool = True  # False for "former ..." / "ex-..."
    org: str | None = None  # the organisation the title belongs to, when stated
    published: str | None = None  # the article date the role was stated on


@dataclass
class Mention:
    """A mention of a person, organisation, place, group, outlet or title in one article."""

    article_id: str
    text: str
    start: int
    end: int
    label: str  # PERSON, ORG, GPE, NORP, OUTLET, TITLE, PRONOUN, DESCRIPTION ("the New York businessman", resolved like a pronoun)
    entity: int | None = None  # index into Annotations.entities


@dataclass
class LocalEntity:
    """One person/organisation/outlet as referred to inside a single article."""

    article_id: str
    local_id: int
    name: str  # canonical name within the article ("Chris Magnus")
    type: str  # person, organisation, outlet, place, group
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    gender: str | None = None  # m, f or None, from pronouns/honorifics seen in the article
    global_id: str | None = None  # filled by link


@dataclass
class Quote:
    """Something reported as said, written or posted by someone."""

    article_id: str
    kind: str  # direct, partial, indirect, block, post
    text: str  # the quoted content (without the quote marks)
    start: int  # content span in the clean text
    end: int
    speaker: str | None  # canonical speaker ("Chris Magnus", "two sources familiar with the matter")
    speaker_kind: str = "unknown"  # person, organisation, anonymous, outlet, unknown
    speaker_mention: str | None = None  # the words used for the speaker here ("he", "the commissioner")
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None  # "said", "told CNN", "said in a statement", "tweeted"
    via: str | None = None  # outlet/document it came through ("Los Angeles Times")
    raw_start: int | None = None
    raw_end: int | None = None
    sentence: str | None = None
    speaker_entity: int | None = None  # index into Annotations.entities
    parent: int | None = None  # index of the enclosing quote (block quote, or the indirect quote a partial sits in)
    post_index: int | None = None  # for kind == "post": index into Article.posts
    # clean-text spans of the pieces of a quote broken by its cue ("A," he said, "B."; "The plan,
    # she says, is dead"); empty when the quote is one piece; ``text`` is then the pieces joined
    parts: list[tuple[int, int]] = field(default_factory=list)
    # what the source did (ACTS): speech (said, wrote, posted), thought (believes, thinks),
    # intention (wants, plans), evidence (a poll shows, the report found), decision (ruled, voted)
    act: str = "speech"
    # the act is negated or refused: "did not say that ...", "never said ...", "did not deny the
    # allegations", "has not ruled out ..." (the rules and the learned layer flag them alike; an
    # answer withheld, "won't say what ...", "declined to say whether ...", is no record at all:
    # ``extract.cues.withholds``)
    negated: bool = False
    # the grammatical form of the content (FORMS): for an indirect quote "clause" ("said [the plan
    # was dead]", "urged [him to resign]", "asked [whether ...]") or "noun_phrase" ("condemned [the
    # move]", "accused [him of fraud]", "[his claim that ...]": what was said about, not the words;
    # ``extract.forms.content_form`` reads it from the parse of the content's head); "quoted" for the
    # words in quote marks (direct, partial, block) and posts; None: not decided (a record built
    # outside the extractors, or a row an older version stored)
    form: str | None = None


ACTS = ("speech", "thought", "intention", "evidence", "decision")
FORMS = ("clause", "noun_phrase", "quoted")


@dataclass
class Attribution:
    """A statement the article sources to someone else (according to X, X reported ...)."""

    article_id: str
    source: str  # canonical outlet / person / document / anonymous description
    source_kind: str  # outlet, person, organisation, document, anonymous, unknown
    cue: str  # "according to", "reported", "first reported", "obtained by", "told", "reviewed by"
    sentence: str
    start: int  # span of the attributed statement (sentence) in the clean text
    end: int
    source_start: int | None = None
    source_end: int | None = None
    named: bool = True  # False for anonymous sourcing
    source_entity: int | None = None  # index into Annotations.entities
    act: str = "speech"  # one of ACTS


@dataclass
class Claim:
    """A figure or dated event the article asserts, with who asserts it."""

    article_id: str
    text: str  # the figure as written ("2.4 million encounters")
    value: float | None  # normalised value (2400000.0); ratios as the factor (2.0 for "twice")
    unit: str | None  # "encounters", "percent", "USD", "ratio", "date"
    what: str | None  # what it counts / the event ("encounters with illegal migrants in fiscal year 2022")
    asserted_by: str | None  # speaker / attribution source, or the outlet itself
    start: int
    end: int
    kind: str = "quantity"  # quantity, percent, money, ratio, date
    date: str | None = None  # for kind == "date": resolved ISO date
    sentence: str | None = None
    # what the words around the figure say about the true value: None (given as exact),
    # "approx", "over", "under", "at_least", "at_most" or "up_to" (claims.QUALIFIERS)
    qualifier: str | None = None
    # what a conflict between two articles' figures needs (issue #17), read from the parse:
    low: float | None = None  # a range's bounds ("35 to 40" -> 35.0, 40.0); None for one value
    high: float | None = None
    # None: the quantity's own value; "earlier": a value compared with ("down from $19.5bn",
    # "from 350 to 400"); "change": a difference ("up 5%", "rose by 62%")
    role: str | None = None
    period: str | None = None  # the time the figure is for ("2018", "2022-W04", "the first quarter")
    event: str | None = None  # the lemma of the figure's clause verb ("kill", "measure", "drop")
    agent: str | None = None  # who did it: the clause's subject ("Manning" threw for 364 yards); a pronoun is replaced by the name coreference gives it


@dataclass
class Event:
    """When, who and where of the main event an article reports (for telling incidents apart)."""
    date: str | None = None  # ISO date of the main event ("2022-04-12"), resolved against publication
    date_source: str | None = None  # the words it came from ("on Tuesday", "April 12")
    participants: list[str] = field(default_factory=list)  # canonical names of the event's actors
    places: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)  # the event's own figures ("7.1 magnitude")


@dataclass
class Annotations:
    """Everything the annotate stage finds in one article."""

    quotes: list[Quote] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[LocalEntity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    event: Event | None = None


@dataclass
class Link:
    """A relation between two articles."""

    a: str  # article id (the earlier / source one where known)
    b: str
    kind: str  # duplicate, rewrite, derived, same-story
    score: float
    evidence: list[dict[str, Any]] = field(default_factory=list)  # aligned sentence pairs etc.


@dataclass
class Story:
    id: str
    label: str
    article_ids: list[str]
    start: str | None = None
    end: str | None = None


@dataclass
class QuoteGroup:
    id: str
    quote_ids: list[str]  # quote ids ("<article_id>-q<i>")
    variant: str  # the reference wording (earliest or most complete)
    differences: list[dict[str, Any]] = field(default_factory=list)  # per variant: diff and drift flags
    speaker: str | None = None
    first_article: str | None = None
    drift: bool = False
