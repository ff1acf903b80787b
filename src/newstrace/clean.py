"""Clean stage: raw article text -> clean :class:`~newstrace.models.Article`.

What cleaning does (issue 2, "Clean"):

* splits the raw text into paragraphs (blank lines; one line per paragraph unless the block is
  hard-wrapped) and normalises whitespace inside them (tabs, NBSP, runs of spaces, zero-width
  characters); paragraphs are joined with exactly ``"\\n\\n"``; Markdown markup goes;
* takes a leading ``date YYYY-MM-DD`` marker (or a lead time stamp) as ``published``, a short
  first line without closing punctuation as the headline (with a given title: only its repeat),
  a lead byline as ``authors`` when there are none, and a dateline ("WASHINGTON, DC —",
  "LONDON (Reuters) -") at the start of the first paragraph as ``dateline``, so the first
  sentence starts clean;
* pulls embedded social-media posts ("text — Name (@handle) Month D, YYYY" plus t.co/pic links)
  out of the running text into :class:`~newstrace.models.Post` records;
* drops promotional and navigation boilerplate (calls to follow/subscribe/share, "Related
  Posts" lists, sponsor lines, image captions and credits) with a per-paragraph feature score
  (see :func:`score_boilerplate`), never a paragraph that reports speech;
* records a clean -> raw character map (``Article.segments``) and every dropped raw span
  (``Article.removed``).

Everything is linear in the length of the text and never raises on odd input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from .models import Article, Post, RawArticle, Segment, article_id_for
from .language import identify_language

__all__ = ["clean_article", "score_boilerplate"]

# -- paragraphs with an offset map ---------------------------------------------------------------

# Whitespace (Python's \s covers NBSP and the other Unicode spaces) plus invisible format
# characters that only get in the way of tokenizing: zero-width space/joiners, word joiner,
# BOM, soft hyphen.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_WS_RUN = re.compile(rf"[\s{_INVISIBLE}]{{2,}}|[^\S ]|[{_INVISIBLE}]")  # all but single spaces
_HAS_SPACE = re.compile(r"\s")


@dataclass
class _Para:
    """One paragraph: normalised text and its map to the raw text."""

    text: str
    segs: list[tuple[int, int, int]]  # (start in text, raw start, length)
    raw_start: int
    raw_end: int
    gap: int = 2  # newlines between this paragraph and the previous one in the raw text
    drop: str | None = None  # why it is dropped, if it is
    info: dict = field(default_factory=dict)


def _normalise(raw: str, a: int, b: int) -> tuple[str, list[tuple[int, int, int]]]:
    """Normalise whitespace in raw[a:b] (already stripped) and map the result back to raw."""
    out: list[str] = []
    segs: list[list[int]] = []
    clen = 0

    def copy(rs: int, re_: int) -> None:
        nonlocal clen
        if re_ <= rs:
            return
        if segs and segs[-1][1] + segs[-1][2] == rs and segs[-1][0] + segs[-1][2] == clen:
            segs[-1][2] += re_ - rs
        else:
            segs.append([clen, rs, re_ - rs])
        out.append(raw[rs:re_])
        clen += re_ - rs

    pos = a
    for m in _WS_RUN.finditer(raw, a, b):
        s, e = m.span()
        copy(pos, s)
        ws = m.group()
        if ws == " ":
            copy(s, e)
        elif _HAS_SPACE.search(ws):
            out.append(" ")
            clen += 1
        pos = e
    copy(pos, b)
    return "".join(out), [(s[0], s[1], s[2]) for s in segs]


def _make_para(raw: str, a: int, b: int, gap: int) -> _Para | None:
    text, segs = _normalise(raw, a, b)
    # invisible characters at the edges survive the raw strip: trim them from the text
    lead = len(text) - len(text.lstrip())
    if lead:
        text, segs = _cut(text, segs, lead, len(text))
    trail = len(text.rstrip())
    if trail != len(text):
        text, segs = _cut(text, segs, 0, trail)
    if not text:
        return None
    return _Para(text, segs, a, b, gap)


def _cut(text: str, segs: list[tuple[int, int, int]], i: int, j: int) -> tuple[str, list[tuple[int, int, int]]]:
    """text[i:j] with its segments."""
    out = []
    for s, r, n in segs:
        lo, hi = max(s, i), min(s + n, j)
        if hi > lo:
            out.append((lo - i, r + lo - s, hi - lo))
    return text[i:j], out


def _raw_span(p: _Para, i: int, j: int) -> tuple[int, int]:
    """Raw span covering p.text[i:j] (best effort at the edges of inserted spaces)."""
    rs, re_ = None, None
    for s, r, n in p.segs:
        if s + n > i and rs is None:
            rs = r + max(0, i - s)
        if s < j:
            re_ = r + min(n, j - s)
    return (rs if rs is not None else p.raw_start, re_ if re_ is not None else p.raw_end)


def _trim_para(p: _Para, i: int, j: int | None = None) -> _Para | None:
    """The paragraph cut to text[i:j], stripped; None when nothing is left."""
    j = len(p.text) if j is None else j
    text, segs = _cut(p.text, p.segs, i, j)
    lead = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if end <= lead:
        return None
    text, segs = _cut(text, segs, lead, end)
    rs, re_ = _raw_span(p, i + lead, i + end)
    return _Para(text, segs, rs, re_, p.gap)


_TERMINAL = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$|[\"”’»」』]$")
_LIST_ITEM = re.compile(r"(?:[-*+•]|\d{1,3}[.)])\s")


def _lines(raw: str) -> list[tuple[int, int]]:
    """(start, end) of every line, with \\r\\n and \\r treated as line ends."""
    out = []
    pos = 0
    n = len(raw)
    while pos <= n:
        nl = raw.find("\n", pos)
        end = n if nl < 0 else nl
        out.append((pos, end))
        if nl < 0:
            break
        pos = nl + 1
    return out


def _strip_span(raw: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (raw[a].isspace() or raw[a] in _INVISIBLE):
        a += 1
    while b > a and (raw[b - 1].isspace() or raw[b - 1] in _INVISIBLE):
        b -= 1
    return a, b


def _join_lines(raw: str, block: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group a block's lines into paragraphs: one per line unless the block is hard-wrapped."""
    if len(block) == 1:
        return [block]
    lengths = [b - a for a, b in block]
    width = max(lengths)
    # A hard-wrapped block has lines of about the same width (an editor's fill column); a
    # line break after closing punctuation or before a list item still ends a paragraph.
    wrapped = (30 <= width <= 100 and len(block) >= 3
               and sum(1 for n in lengths[:-1] if n >= 0.75 * width) >= 0.8 * (len(block) - 1))
    groups: list[list[tuple[int, int]]] = [[block[0]]]
    for prev, cur in zip(block, block[1:]):
        prev_text = raw[prev[0]:prev[1]]
        cur_text = raw[cur[0]:cur[1]]
        joins = (wrapped and not _TERMINAL.search(prev_text[-12:]) and not _LIST_ITEM.match(cur_text)
                 and (prev[1] - prev[0]) >= 0.6 * width) or (
            not _TERMINAL.search(prev_text[-12:]) and cur_text[:1].islower() and (prev[1] - prev[0]) >= 30) or (
            prev_text.endswith((",", ";")) and not _LIST_ITEM.match(cur_text))  # the clause goes on
        if joins:
            groups[-1].append(cur)
        else:
            groups.append([cur])
    return groups


def _split_paragraphs(raw: str) -> list[_Para]:
    """Paragraphs of a raw text (blank lines; single lines unless hard-wrapped), normalised."""
    paras: list[_Para] = []
    block: list[tuple[int, int]] = []
    newlines = 0  # newlines since the last paragraph

    def flush() -> None:
        nonlocal newlines
        if not block:
            return
        for group in _join_lines(raw, block):
            a, b = _strip_span(raw, group[0][0], group[-1][1])
            p = _make_para(raw, a, b, newlines) if b > a else None
            if p is not None:
                paras.append(p)
                newlines = 1
        block.clear()

    for a, b in _lines(raw):
        sa, sb = _strip_span(raw, a, b)
        if sb <= sa:
            flush()
            newlines += 1
        else:
            block.append((sa, sb))
    flush()
    return paras


# -- markdown ------------------------------------------------------------------------------------

# Markup that is not text: heading and quote markers at the start of a paragraph, images,
# link targets (the link text stays), strong-emphasis markers.
_MD_LEAD = re.compile(r"(?:#{1,6}|>)[ \t]*")
_MD_INLINE = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\s]{0,500}\)|(\[)[^\]\n]{1,300}(\]\([^)\s]{0,500}\))|\*\*|__")
_SPACE_RUN = re.compile(r"  +")


def _delete_spans(p: _Para, spans: list[tuple[int, int]]) -> _Para | None:
    """The paragraph without text[i:j] for each (i, j) (sorted, disjoint); spaces tidied."""
    if not spans:
        return p
    pieces, keep, pos = [], [], 0
    for i, j in spans:
        if i > pos:
            keep.append((pos, i))
        pos = max(pos, j)
    if pos < len(p.text):
        keep.append((pos, len(p.text)))
    text_parts, segs, clen = [], [], 0
    for i, j in keep:
        t, sg = _cut(p.text, p.segs, i, j)
        text_parts.append(t)
        segs.extend((s + clen, r, n) for s, r, n in sg)
        clen += len(t)
    q = _Para("".join(text_parts), segs, p.raw_start, p.raw_end, p.gap)
    extra = [(m.start() + 1, m.end()) for m in _SPACE_RUN.finditer(q.text)]
    if extra:
        q = _delete_spans(q, extra)
    return _trim_para(q, 0) if q is not None else None


def _strip_markdown(p: _Para) -> _Para | None:
    spans = []
    m = _MD_LEAD.match(p.text)
    if m and m.end() > 0:
        spans.append((0, m.end()))
    for m in _MD_INLINE.finditer(p.text, spans[0][1] if spans else 0):
        if m.group(1):  # a link: drop "[" and "](target)", keep its text
            spans.append(m.span(1))
            spans.append(m.span(2))
        else:
            spans.append(m.span())
    return _delete_spans(p, spans)


# -- headline, date marker, dateline ---------------------------------------------------------------

_DATE_MARK = re.compile(
    r"date\s*[:=]?\s*(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4})\b[\s.,;:|-]*",
    re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _take_date(p: _Para) -> tuple[str | None, _Para | None]:
    m = _DATE_MARK.match(p.text)
    if not m:
        return None, p
    iso = m.group(1).replace(" ", "T") if m.group(1)[:1].isdigit() and "-" in m.group(1) else _post_date(m.group(1))
    try:
        datetime.fromisoformat((iso or "").rstrip("Z"))
    except ValueError:
        return None, p
    return iso, _trim_para(p, m.end())


# A report's lead sentence says when ("The council voted 7-2 on Monday."); a headline rarely does.
_LEAD_TIME = re.compile(r"\b(?:(?:on |last |this )?(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|"
                        r"tonight|last (?:week|month|year|night))\b", re.I)


def _is_headline(p: _Para, next_words: int = 0) -> bool:
    """A first line that reads as a headline: short, unpunctuated (or title case), not furniture.

    Some sources (news dumps such as PolNeAR's) end every headline with a full stop; such a line
    is still a headline when it is title case ("Black Lawmakers Rip Donald Trump As A
    'Disgusting Fraud.'"), a headline's "Name: claim" ("Sanders: Clinton needs to ..."), or a
    few words over a paragraph of real length (``next_words``: "Mixed messages on Trump leave
    plan.").
    """
    text = p.text
    if len(text) > 250:
        return False
    words = _WORD.findall(text)
    if not 2 <= len(words) <= 20 or text[0] in "([{":
        return False
    bare = text.rstrip("\"'”’»")
    content = [w for w in words if w.lower() not in _SMALL]
    title_case = len(content) >= 3 and sum(1 for w in content if w[0].isupper()) >= 0.75 * len(content)
    head, colon, _ = text.partition(": ")
    head_words = _WORD.findall(head)
    name_colon = bool(colon) and 1 <= len(head_words) <= 3 and len(head) <= 40 \
        and all(w[0].isupper() for w in head_words)
    stopped = bare.endswith(".") and not bare.endswith(("...", "…"))
    one_sentence = stopped and ". " not in text
    if (_TERMINAL.search(text) and not (text.endswith("?") and len(words) <= 10)
            and not bare.endswith(("...", "…"))
            and not (stopped and title_case)
            and not (one_sentence and (name_colon or (len(words) <= 8 and next_words >= 20
                                                      and not _LEAD_TIME.search(text))))):
        return False
    if text.endswith((",", ";", ":")):
        return False
    if _BYLINE.match(text):
        return False
    f = _features(text)
    if f["credit"] and (f["words"] <= 3 or any(c in text for c in ":/(")):  # "AP Images", "Photo: Reuters"
        return False
    if not (f["second_person"] or f["first_plural"] or f["url_density"] or f["email"]):
        f = dict(f, cta=0.0, cta_first=0.0)  # "Share boost for ..." is a noun phrase, not an imperative
    return _intrinsic_score(f) < 3.5


def _same_title(line: str, title: str) -> bool:
    """The line repeats the title, perhaps with or without the site name ("X | Site", "X - Site")."""
    a, b = _norm_cmp(line), _norm_cmp(title)
    if not a or not b or len(line) > 300:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short.split()) >= 3 and long_.startswith(short) and len(short) >= 0.6 * len(long_)


def _norm_cmp(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


# Place: capitalised words ("WASHINGTON", "Washington, DC", "NEW YORK, Jan 5"), optionally a
# wire service in brackets, then a dash (or an all-caps place and a colon/comma+dash).
_CAP = r"[A-Z][A-Za-z.'’]*"
_DATELINE = re.compile(
    rf"(?P<place>{_CAP}(?:[ -]{_CAP}){{0,3}}(?:,\s*{_CAP}(?:\s{_CAP}){{0,2}}\.?)?"
    rf"(?:,\s*[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?)?)"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&'-]{1,30})\))?(?:\s*[—–]\s*|\s+--?\s+|:\s+)"
    r"(?=[\"“‘'A-Z0-9])")


def _over_a_dateline(p: _Para, nxt: _Para) -> bool:
    """A one-line first paragraph over a paragraph that opens with a dateline ("Bill Clinton calls
    Obamacare 'crazy system' during campaign stop." over "FLINT, Mich., Oct. 4 (UPI) — ..."):
    the report starts at the dateline, so the line above it is its headline."""
    words = _WORD.findall(p.text)
    return (2 <= len(words) <= 25 and len(p.text) <= 250 and "\n" not in p.text.strip()
            and _take_dateline(p)[0] is None and _take_dateline(nxt)[0] is not None)


def _take_dateline(p: _Para) -> tuple[str | None, _Para | None]:
    m = _DATELINE.match(p.text[:160])
    if not m:
        return None, p
    place = m.group("place").strip()
    sep = m.group(0)[m.end("place") - m.start():].strip()
    letters = [c for c in place if c.isalpha()]
    all_caps = bool(letters) and all(c.isupper() for c in letters)
    # A dateline is an all-caps place, or "City, ST", or has a wire service; a name followed by
    # a dash ("Chris Magnus – the commissioner") is none of these.
    if not (all_caps or "," in place or m.group("agency")):
        return None, p
    # a colon after one word is a kicker ("BREAKING:", "EXCLUSIVE:"), not a place
    if sep.startswith(":") and (not all_caps or (" " not in place and "," not in place)):
        return None, p
    if len(p.text) - m.end() < 20:  # nothing left worth a paragraph: not a dateline
        return None, p
    dateline = place + (f" ({m.group('agency')})" if m.group("agency") else "")
    return dateline, _trim_para(p, m.end())


# -- embedded social-media posts ---------------------------------------------------------------

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_POST_DATE = (rf"(?:(?:{_MONTHS}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)\s+\d{{1,2}},?\s+\d{{4}}"
              rf"|\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})")
_LINK = r"(?:https?://|pic\.twitter\.com/|t\.co/)\S+"
_SIGNATURE = re.compile(
    r"(?:^|\s)(?:[—–]|--?|A post shared by)\s*(?P<author>[^\s()—–@][^()—–\n]{0,79}?)?\s*"
    r"\(@(?P<handle>[A-Za-z0-9_.]{1,30}(?:@[A-Za-z0-9.-]{1,60})?)\)\s*"
    rf"(?:on\s+)?(?P<date>{_POST_DATE})?[^\S\n]*(?:at\s+\d{{1,2}}:\d{{2}}\s*[ap]m\s*\w*)?\s*"
    rf"(?P<trail>(?:{_LINK}\s*)*)$")
_LINKS = re.compile(_LINK)
_POST_CHARS = 300  # a tweet is at most 280 characters (plus line breaks)
_TAIL = 400  # a signature sits in the last few hundred characters of its paragraph


# A handle alone on its line ("@Fred_945."), signing the paragraph before it.
_BARE_HANDLE = re.compile(r"@(\w{1,15})\.?")


def _find_signature(text: str) -> re.Match[str] | None:
    start = max(0, len(text) - _TAIL)
    if "(@" not in text[start:]:
        return None
    return _SIGNATURE.search(text, start)


def _post_date(s: str | None) -> str | None:
    if not s:
        return None
    t = re.sub(r"\s+", " ", s.replace(",", ", ")).replace(" ,", ",").strip()
    t = re.sub(r",\s*", ", ", t).replace(".", "")
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(t, fmt).date().isoformat()
        except ValueError:
            continue
    if t.startswith("Sept"):
        return _post_date(t.replace("Sept", "Sep", 1))
    return s


def _extract_posts(paras: list[_Para]) -> list[tuple[int, int, Post]]:
    """Find embedded posts; mark their paragraphs dropped. Returns (first, last, post) indexes."""
    found = []
    for i, p in enumerate(paras):
        if p.drop:
            continue
        bare = _BARE_HANDLE.fullmatch(p.text.strip())
        if bare and i > 0 and not paras[i - 1].drop and not _find_signature(paras[i - 1].text) \
                and len(paras[i - 1].text) <= _POST_CHARS and not _BARE_HANDLE.fullmatch(paras[i - 1].text.strip()):
            # a readers' page: a post's text, then its author's handle on a line of its own
            prev = paras[i - 1]
            text = re.sub(r"[ \t]+", " ", _LINKS.sub("", prev.text)).strip()
            post = Post(author=None, handle=bare.group(1), date=None, text=text,
                        links=_LINKS.findall(prev.text), raw_start=prev.raw_start, raw_end=p.raw_end)
            prev.drop = p.drop = "post"
            found.append((i - 1, i, post))
            continue
        m = _find_signature(p.text)
        if not m:
            continue
        body = p.text[:m.start()].strip()
        first = i
        # The embed's own paragraphs come before its signature, set off by extra blank lines
        # (an embed's line breaks survive extraction as runs of newlines); a bare signature
        # line belongs to the paragraph just before it.
        # Lines of the same block (single line breaks, as HTML extraction gives a tweet's
        # lines) belong to it too, as long as the whole stays within a post's length.
        size = len(_LINKS.sub("", body))
        while first > 0 and not paras[first - 1].drop and not _find_signature(paras[first - 1].text):
            prev = paras[first - 1]
            grow = size + len(_LINKS.sub("", prev.text))
            if paras[first].gap >= 3 or (first == i and not body):
                pass
            elif paras[first].gap == 1 and grow <= _POST_CHARS:
                pass
            else:
                break
            size = grow
            first -= 1
        texts = [q.text for q in paras[first:i]] + ([body] if body else [])
        text = "\n\n".join(texts)
        links = _LINKS.findall(text) + _LINKS.findall(m.group("trail") or "")
        text = _LINKS.sub("", text)
        text = re.sub(r"[ \t]+", " ", text).strip()
        text = re.sub(r"\s*\n\n\s*", "\n\n", text)
        author = (m.group("author") or "").strip() or None
        lower_sig = m.group(0).lower()
        platform = "instagram" if "post shared by" in lower_sig else "twitter"
        handle = m.group("handle")
        if any("instagram.com" in x for x in links):
            platform = "instagram"
        elif "@" in handle:  # user@instance
            platform = "mastodon"
        elif handle.endswith(".bsky.social") or any("bsky.app" in x for x in links):
            platform = "bluesky"
        post = Post(author=author, handle=handle, date=_post_date(m.group("date")),
                    text=text, links=links, raw_start=paras[first].raw_start, raw_end=p.raw_end,
                    platform=platform)
        for q in paras[first:i + 1]:
            q.drop = "post"
        found.append((first, i, post))
    return found


# -- boilerplate ---------------------------------------------------------------------------------

# Verb classes, not phrases: calls to action start with one of these in the imperative.
_CTA_VERBS = frozenset("""
follow subscribe join share sign click tap download install read watch listen like get support
donate check see visit register learn find discover enable allow become upgrade try save
contact email send tell comment leave continue explore browse order shop buy claim unlock
want make be don't never stay keep log login view please
""".split())


class _Lexicon:
    """Words, stems ("subscrib*") and two- or three-word phrases, matched on lower-case tokens."""

    def __init__(self, spec: str) -> None:
        items = [i.strip() for i in spec.replace("\n", " ").split(",") if i.strip()]
        self.words = frozenset(i for i in items if " " not in i and not i.endswith("*"))
        self.stems = tuple(i[:-1] for i in items if i.endswith("*"))
        self.phrases = frozenset(tuple(i.split()) for i in items if " " in i)
        self.heads = frozenset(p[0] for p in self.phrases)

    def hits(self, toks: list[str]) -> list[int]:
        """Token positions where an entry starts."""
        out = []
        for i, t in enumerate(toks):
            if t in self.words or (self.stems and t.startswith(self.stems)) or (
                    t in self.heads and (tuple(toks[i:i + 2]) in self.phrases
                                         or tuple(toks[i:i + 3]) in self.phrases)):
                out.append(i)
        return out


_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_FIRST_PLURAL = frozenset("we us our ours".split())  # the outlet's voice: "follow us", "our newsletter"
_SECOND_PERSON = frozenset("you your yours yourself yourselves you're you'll you've you'd".split())
# Words of the page furniture around articles: social platforms, subscriptions, sponsorship,
# navigation, comments, legal notices.
_PROMO = _Lexicon("""
subscrib*, newsletter, newsletters, follow, following, followers, share, shares, shared, sign up,
signing up, signed up, signs up, signup, donat*, podcast, podcasts, sponsor*, advert*, ad, ads, app,
download*, click*, tap, inbox, email, emails, e mail, notification, notifications, premium,
membership, member, members, log in, login, register*, facebook, twitter, instagram, youtube,
tiktok, linkedin, whatsapp, telegram, reddit, pinterest, rss, cookie, cookies, comment, comments,
related, recommended, trending, popular, copyright, rights reserved, terms of use, terms of service,
privacy policy, video, videos, audio, read more, see more, more on this, more from this,
more about this, social media, stories, story, latest, update, updates, most read, most viewed,
most popular, most shared, don't miss, dont miss, also like, filed under, tag, tags, topic, topics,
category, categories, bookmark*, print, this article, this page, this post""")
# Media credits and captions: "AP Images", "(Photo by X/Getty Images)", "Image caption, ...".
_CREDIT = _Lexicon("""
image, images, photo, photos, photograph*, picture, pictures, credits, caption, captions, gallery,
galleries, getty, shutterstock, alamy, illustration, file photo, courtesy, wires""")
# Credit lines of the newsroom: "Reporting by X; Editing by Y", "X contributed to this report",
# "Originally published on ...".
_CREDIT_LINE = _Lexicon("""
contributed to this, contributed reporting, additional reporting, reporting by, editing by,
writing by, originally published, first published, republished""")
_CREDIT_LABEL = re.compile(r"\b(?:credit|sources?)\s*:", re.I)
# A caption's credit in brackets at its end: "(Reuters/Jane Smith)", "(AP Photo/John Doe)".
_CREDIT_TAIL = re.compile(r"\((?:[A-Z][\w.'’-]*\s?){1,4}/\s?(?:[A-Z][\w.'’-]*\s?){1,4}\)$")
_NAV_TAG = re.compile(r"\[[A-Z][A-Z ]{2,}\]")  # "[VIDEO]", "[INSIGHT]"
# Reporting verbs (a cue-verb class) and "according to": a paragraph that reports is prose.
_REPORTING = _Lexicon("""
said, says, say, told, tells, according to, added, adds, stated, states, reported, reports, wrote,
writes, tweeted, tweets, posted, explained, explains, announced, announces, claimed, claims, argued,
argues, insisted, insists, warned, warns, noted, notes, continued, asked, asks, replied, replies,
responded, admitted, admits, acknowledged, acknowledges, confirmed, confirms, denied, denies,
suggested, suggests, described, describes, called, urged, urges, testified, assesses, assessed,
concluded, concludes, predicted, predicts, estimated, estimates, recalled, recalls""")
# A transcript line opens with its speaker's name in capitals: "RAMOS: Secretary Clinton, ..."
_SPEAKER_LABEL = re.compile(r"[\"“]?[A-Z][A-Z.'’ -]{1,30}:\s")
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]{1,600})[\"“”„«»]")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b\S+\.(?:com|org|net|co\.uk)\S*\b")
_SMALL = frozenset("a an the of and or to in on at by for with from as is be vs".split())
_THRESHOLD = 2.5


# Time stamps of the page: "Updated at 1:23 p.m.", "Tue., Nov. 19, 2019", "5:45 AM PST 11/19/2019".
_DATE_TOKEN = re.compile(r"""(?:updated|published|posted|modified|last|at|on|[ap]\.?m\.?|gmt|utc|[ecmp][sd]t
| (?:mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|rsday|urday)?\.?
| (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? | [\d:/.,-]*\d[\d:/.,-]*(?:am|pm|h)?
| min | mins | minutes? | read
)[,:|]?""", re.I | re.X)
_BY_TAIL = re.compile(r"\s+by\s+[A-Z].*$")


def _dateish(text: str) -> bool:
    """A line that is nothing but a time stamp (possibly with a byline)."""
    tokens = _BY_TAIL.sub("", text).split()
    if not tokens or len(tokens) > 10:
        return False
    hits = sum(1 for t in tokens if _DATE_TOKEN.fullmatch(t))
    return hits == len(tokens) and (any(c.isdigit() for c in text) or text.lower().startswith("updated"))


_LEGAL = re.compile(r"©|\(c\)\s*\d{4}|\ball rights reserved\b|\bcopyright\s+(?:©\s*)?\d{4}", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")


_FEATURE_CHARS = 3000  # boilerplate is short: longer paragraphs are judged on their start


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?:])\s+")
_EDGE_PUNCT = "\"'“”‘’()[]{}*•-–—.,;:!?"


def _features(text: str) -> dict[str, float]:
    full = text
    if len(text) > _FEATURE_CHARS:
        text = text[:_FEATURE_CHARS]
    words = [w for w in (w.strip(_EDGE_PUNCT) for w in text.split()) if w and w[0].isalpha()]
    n = len(words) if full is text else max(len(words), len(full) // 6)
    wide = sum(1 for c in text if "\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")
    if wide:  # Chinese, Japanese, Korean: no spaces between words; about two characters a word
        n = max(n, wide // 2)
    toks = _tokens(text)
    unquoted = _QUOTED.sub(" ", text) if any(q in text for q in "\"“”„«»") else text
    utoks = toks if unquoted is text else _tokens(unquoted)
    promo = _PROMO.hits(toks)
    url_chars = sum(len(m) for m in _URL.findall(text)) if "." in text else 0
    content = [w for w in words if w.lower() not in _SMALL]
    capital = sum(1 for w in content if w[0].isupper())
    quoted_words = max((len(q.split()) for q in _QUOTED.findall(text)), default=0) if unquoted is not text else 0
    starts = []
    for sent in _SENTENCE_SPLIT.split(unquoted):
        first = _tokens(sent[:40])
        if first:
            starts.append(first[0])
    first_tok = toks[0] if toks else ""
    return {
        "words": n,
        "numbered": 1.0 if re.match(r"\d{1,3}[.)]\s", text) else 0.0,  # a list item: content
        # a sentence ending in a colon introduces a quote or list ("X made the following comment:")
        "terminal": 1.0 if (_TERMINAL.search(full[-12:]) and not full.endswith(("...", "…")))
        or (full.endswith(":") and n >= 6) else 0.0,
        "cta": float(sum(1 for w in starts if w in _CTA_VERBS)),
        "cta_first": 1.0 if starts and first_tok in _CTA_VERBS and starts[0] == first_tok else 0.0,
        "second_person": float(sum(1 for t in utoks if t in _SECOND_PERSON)),
        "label": 1.0 if re.match(r"[A-Za-z]+:\s", text) else 0.0,  # "Watch: ...", "Read more: ..."
        "speaker_label": 1.0 if _SPEAKER_LABEL.match(text) else 0.0,
        "first_plural": float(sum(1 for t in utoks if t in _FIRST_PLURAL)),
        "promo": float(len(promo) + len(_NAV_TAG.findall(text))),
        "credit": float(len(_CREDIT.hits(toks)) + len(_CREDIT_LABEL.findall(text))
                        + (1 if full.endswith(")") and _CREDIT_TAIL.search(full[-80:]) else 0)),
        "promo_first": 1.0 if promo and promo[0] == 0 else 0.0,
        "url_density": url_chars / max(1, len(text)),
        "email": 1.0 if "@" in text and _EMAIL.search(text) else 0.0,
        "title_case": capital / len(content) if content else 0.0,
        "credit_line": float(len(_CREDIT_LINE.hits(toks))),
        # a capitalised verb in a title-case line is a headline's, not a report's ("X Added to Lineup")
        "reporting": float(len(_REPORTING.hits(toks))) if not (
            len(content) >= 3 and capital >= 0.8 * len(content) and not _TERMINAL.search(full[-12:])) else 0.0,
        "quoted_words": float(quoted_words),
        "legal": 1.0 if n <= 25 and _LEGAL.search(text) else 0.0,
        "dateish": 1.0 if len(text) <= 80 and _dateish(text) else 0.0,
        "handle": 1.0 if "@" in text and re.search(r"(?<!\w)@\w{2,}", text) else 0.0,
    }


def score_boilerplate(text: str, *, position: float = 0.5, features: dict[str, float] | None = None,
                      reader_addressed: bool = False) -> float:
    """Score how much a paragraph looks like page furniture rather than article prose.

    A weighted sum of general features: sentences opening with an imperative call-to-action
    verb, second-person words, words of social platforms / subscriptions / sponsorship / media
    credits, links and e-mail addresses, no closing punctuation, title case, shortness, position
    at the start or end of the article; reporting verbs, long quotations and long third-person
    sentences count against. ``>= 2.5`` is boilerplate. Shape alone (a short unpunctuated line)
    is enough only at the edges of an article: in the middle it is a subheading.

    Args:
        text: one paragraph, whitespace-normalised.
        position: where the paragraph sits in the article, 0.0 (first) to 1.0 (last).
        features: precomputed features of ``text`` (optional).
        reader_addressed: the article itself talks to the reader (advice, reviews): second
            person is then no sign of boilerplate.

    Returns:
        The score; higher means more likely boilerplate.

    >>> score_boilerplate("Sign up for our daily newsletter") >= 2.5
    True
    >>> score_boilerplate("Ms Hewitt said the plans would be paid for by taxpayers.") < 2.5
    True
    """
    f = features or _features(text)
    n = f["words"]
    if n == 0:  # punctuation, emoji or symbols only; a bare figure is data
        return 0.0 if any(c.isdigit() for c in text) else 5.0
    intrinsic = _intrinsic_score(f, reader_addressed=reader_addressed)
    score = intrinsic
    # Shape alone (short, unpunctuated, title case) marks captions and credits only at the
    # start; at the end a list of such lines is handled as a navigation list, in the middle
    # such a line is a subheading.
    edge = position <= 0.1 or position >= 0.85
    if intrinsic >= 1 or position <= 0.1:
        if not f["terminal"]:
            score += 1.0 if n <= 12 else 0.5 if n <= 25 else 0.0
            score += 1.0 if f["title_case"] >= 0.7 and n <= 15 else 0.0
        if edge and n <= 25:
            score += 0.5
    # Boilerplate is short; long paragraphs and full third-person sentences are prose.
    score -= 3.0 if n > 60 else 2.0 if n > 40 else 0.5 if n > 25 else 0.0
    if f["terminal"] and n >= 12 and not f["second_person"]:
        score -= 1.5
    score -= 3.0 * min(f["reporting"], 1.0)
    if f["quoted_words"] >= 4:
        score -= 1.5
    return score


def _intrinsic_score(f: dict[str, float], *, reader_addressed: bool = False) -> float:
    """The part of the score that comes from what the words say, not shape or position."""
    n = f["words"]
    second = f["second_person"] * (0.3 if reader_addressed else 1.0)
    support = (f["second_person"] + f["first_plural"] + f["promo"] - f["promo_first"] + f["credit"] + f["email"]
               + f["label"]
               + (f["url_density"] > 0.2) + (n <= 6 and not f["numbered"]))
    cta = f["cta"] > 0 and support > 0
    score = 0.0
    if cta:
        score += 2.0 if f["cta_first"] else 1.5
    # Second person alone is a writer's style; with a call to action or page words it is an ad.
    if cta or f["promo"] or f["email"] or f["url_density"] > 0.2:
        score += min(second, 2.0)
    else:
        score += min(second, 1.0) * (0.5 if f["terminal"] and n >= 12 else 1.0)
    # Platform and media words are common in news prose ("said on Twitter", "share prices"):
    # they weigh fully only in short, unpunctuated or reader-addressed paragraphs.
    if second >= 1 or cta or not f["terminal"]:
        score += min(f["promo"], 3.0)
        score += 1.0 if f["promo_first"] and n <= 15 else 0.0  # "Read more: ...", "Advertisement"
    elif n <= 15:
        score += min(f["promo"], 3.0) * 0.5
    else:
        score += min(f["promo"], 2.0) * 0.25
    score += 1.5 * min(f["credit"], 1.0) if n <= 15 and not f["reporting"] else 0.0
    score += 2.5 * min(f["credit_line"], 1.0) if n <= 25 else 0.0
    score += 2.0 * f["legal"]
    score += 2.0 * (f["url_density"] > 0.3)
    if f["first_plural"] and (cta or f["promo"]) and n <= 25:
        score += 1.0
    score += 0.5 * f["handle"] + 1.0 * f["email"] + 2.5 * f["dateish"]
    return score


def _protected(f: dict[str, float]) -> bool:
    """Paragraphs that report speech are never removed, whatever their score."""
    if f["speaker_label"] and f["words"] >= 8 and not (f["promo_first"] or f["cta_first"]):
        return True
    if f["reporting"] and f["words"] >= 6 and f["second_person"] == 0 and not f["cta"]:
        return True
    return f["quoted_words"] >= 5 and f["second_person"] == 0 and not f["cta"]


def _heading_like(f: dict[str, float]) -> bool:
    return not f["terminal"] and 0 < f["words"] <= 20


def _is_prose(f: dict[str, float]) -> bool:
    return (f["terminal"] and f["words"] >= 10) or _protected(f)


_BYLINE = re.compile(r"(?i:by)\s+(?P<names>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
                     r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}){0,3})"
                     r"(?:\s*[,|/–—-]\s*.{0,60})?$")


_STAMP_DATE = re.compile(_POST_DATE)
def _byline_names(names: str) -> list[str]:
    """Names of a byline: "A, B and C, Outlet" -> A, B, C; "A, Outlet" -> A."""
    parts = [x.strip() for x in names.split(",")]
    last_and = max((i for i, x in enumerate(parts) if re.search(r"\band\b|&", x)), default=0)
    out = []
    for x in parts[:last_and + 1]:
        out.extend(y.strip() for y in re.split(r"\band\b|&", x) if y.strip())
    return out


_EDGE_PARAS = (300, 300)
_PROSE = {"words": 50, "numbered": 0.0, "terminal": 1.0, "cta": 0.0, "cta_first": 0.0, "second_person": 0.0,
          "first_plural": 0.0, "speaker_label": 0.0, "label": 0.0, "credit_line": 0.0,
          "promo": 0.0, "credit": 0.0, "promo_first": 0.0, "url_density": 0.0, "email": 0.0,
          "title_case": 0.0, "reporting": 1.0, "quoted_words": 0.0, "legal": 0.0, "dateish": 0.0,
          "handle": 0.0}
_DATED_ITEM = re.compile(rf"(?:[-*•]\s*)?(?:(?:{_MONTHS}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)\s+\d|\d)")


def _mark_boilerplate(paras: list[_Para]) -> tuple[list[str], str | None]:
    """Mark boilerplate paragraphs dropped; returns authors from a byline, a date from a time stamp."""
    live = [p for p in paras if not p.drop]
    n = len(live)
    # Page furniture sits near the ends; on freak inputs with thousands of paragraphs the middle
    # is taken as prose, which keeps the cost per paragraph tiny.
    head, tail_n = _EDGE_PARAS
    feats = [_features(p.text) if n <= head + tail_n or k < head or k >= n - tail_n else _PROSE
             for k, p in enumerate(live)]
    long_paras = [f for f in feats if f["words"] >= 20]
    addressed = sum(1 for f in long_paras if f["second_person"]) >= max(2, 0.25 * len(long_paras))
    authors: list[str] = []
    stamp: str | None = None
    first_prose = next((k for k, f in enumerate(feats) if _is_prose(f)), n)
    last_prose = max((k for k, f in enumerate(feats) if _is_prose(f)), default=-1)
    for k, (p, f) in enumerate(zip(live, feats)):
        p.info["f"] = f
        if k < first_prose and f["words"] <= 12:
            m = _BYLINE.match(p.text)
            if m:
                authors.extend(_byline_names(m.group("names")))
                p.drop = "byline"
                continue
        # the edges are the first two and the last three paragraphs, whatever the length
        # (and everything above the first prose paragraph, up to eight lines of furniture)
        pos = 0.0 if k < 2 or k < min(first_prose, 8) else 1.0 if k >= n - 3 else 0.5
        if k > first_prose and f["dateish"] and not re.match(r"(?i)(?:last\s+)?(?:updated|published|posted)\b", p.text):
            f = dict(f, dateish=0.0)  # time stamps sit above the text; later a date is data
        s = score_boilerplate(p.text, position=pos, features=f, reader_addressed=addressed)
        p.info["score"] = s
        if s >= _THRESHOLD and not _protected(f):
            # a short line whose only sign is its shape, followed by prose, is a subheading
            nxt = next((g for g in feats[k + 1:k + 2]), None)
            if nxt is not None and _is_prose(nxt) and _intrinsic_score(f, reader_addressed=addressed) < 1:
                continue
            p.drop = "boilerplate"
            if f["dateish"] and stamp is None and k <= first_prose:
                m = _STAMP_DATE.search(p.text)
                stamp = _post_date(m.group(0)) if m else None
                stamp = stamp if stamp and stamp[:1].isdigit() else None
    # Furniture comes in clusters: a short line between two dropped ones goes with them
    # ("Pick Six Newsletter" / "Thanks for signing up!" / "Keep an eye on your inbox").
    for k in range(1, n - 1):
        f = feats[k]
        if (not live[k].drop and live[k - 1].drop and live[k + 1].drop and f["words"] <= 15
                and not _protected(f) and (f["words"] <= 4 or _intrinsic_score(f, reader_addressed=addressed) > 0)):
            live[k].drop = "boilerplate"
    # A call to action is often followed by its button or link label ("Join now", "LET Unity").
    for k in range(1, n):
        f, prev = feats[k], feats[k - 1]
        if (not live[k].drop and live[k - 1].drop == "boilerplate" and f["words"] <= 3 and not f["terminal"]
                and (prev["cta"] or prev["second_person"]) and not _protected(f)):
            live[k].drop = "boilerplate"
    # A removed heading near the end starts a navigation list ("Related Posts" + link titles):
    # the short unpunctuated lines after it go with it. So do runs of such lines after the last
    # prose paragraph (lists of headlines without a heading).
    in_list = False
    for k, p in enumerate(live):
        if p.drop == "boilerplate" and _heading_like(feats[k]) and k >= 0.5 * n:
            in_list = True
        elif p.drop:
            continue
        elif in_list and _heading_like(feats[k]) and not _protected(feats[k]):
            p.drop = "navigation list"
        else:
            in_list = False
    # headline-sized lines (five words or more): shorter ones are match facts, venues, names
    # A list the text announces ("Tour dates:") or of dated entries is content.
    tail = [k for k in range(last_prose + 1, n) if not live[k].drop]
    announced = last_prose >= 0 and live[last_prose].text.endswith(":")
    dated = sum(1 for k in tail if _DATED_ITEM.match(live[k].text)) >= max(1, len(tail) // 2)
    if last_prose >= 0 and tail and not announced and not dated and all(_heading_like(feats[k]) and feats[k]["words"] >= 5
                                        and not _protected(feats[k]) for k in tail):
        for k in tail:
            live[k].drop = "navigation list"
    return authors, stamp


# -- the stage entry point -----------------------------------------------------------------------

_PLAIN = frozenset({"txt", "md", "markdown", "json", "jsonl", "text", ""})


def clean_article(raw: RawArticle) -> Article:
    """Clean one raw article: paragraphs, headline/date/dateline, posts and boilerplate out.

    Args:
        raw: the article as read by ingest (plain text; HTML already reduced to its main text).

    Returns:
        The :class:`Article` with clean ``text`` (paragraphs split by ``"\\n\\n"``), the clean ->
        raw ``segments`` map, ``title``/``published``/``dateline`` found in the text, embedded
        ``posts`` and the ``removed`` raw spans with their reason.

    >>> from newstrace.models import RawArticle
    >>> a = clean_article(RawArticle(source="x.txt", text="Storm hits coast\\n\\n"
    ...     "LONDON (Reuters) - A storm hit the coast on Monday, officials said.\\n\\nFollow us on Twitter"))
    >>> a.title, a.dateline, a.text
    ('Storm hits coast', 'LONDON (Reuters)', 'A storm hit the coast on Monday, officials said.')
    """
    raw_text = raw.text or ""
    paras = _split_paragraphs(raw_text)
    removed: list[tuple[int, int, str]] = []
    title, published, dateline = raw.title, raw.published, None
    fmt = (raw.format or "").lower()

    def take_date(k: int) -> None:
        nonlocal published
        if k >= len(paras):
            return
        p = paras[k]
        iso, rest = _take_date(p)
        if iso is None:
            return
        if published is None:
            published = iso
        cut_end = rest.raw_start if rest is not None else p.raw_end
        removed.append((p.raw_start, cut_end, "date marker"))
        if rest is None:
            del paras[k]
        else:
            rest.gap = p.gap
            paras[k] = rest

    if fmt == "md":
        stripped = (_strip_markdown(p) for p in paras)
        paras = [p for p in stripped if p is not None]
    take_date(0)
    # headline: a repeat of the given title; without one, a first line that looks like a headline
    # (plain text and news dumps only: HTML text starts with the body)
    if len(paras) >= 2:
        p = paras[0]
        text = p.text
        if title is not None:
            is_head = _same_title(text, title)
        else:
            is_head = fmt in _PLAIN and (_is_headline(p, len(_WORD.findall(paras[1].text)))
                                         or _over_a_dateline(p, paras[1]))
        if is_head:
            if title is None:
                title = text.strip()
            removed.append((p.raw_start, p.raw_end, "headline"))
            del paras[0]
            take_date(0)

    posts = _extract_posts(paras)
    byline_authors, stamp = _mark_boilerplate(paras)
    if paras and all(p.drop for p in paras):
        # Nothing left: lines dropped for their shape alone (a lone headline, a list of short
        # lines) are the text after all; what the words mark as furniture stays out.
        for p in paras:
            if p.drop in ("boilerplate", "navigation list") and _intrinsic_score(p.info["f"]) < 1:
                p.drop = None
    if published is None and stamp is not None:
        published = stamp

    # dateline at the start of the first paragraph that stays
    for k, p in enumerate(paras):
        if p.drop:
            continue
        dl, rest = _take_dateline(p)
        if dl is not None and rest is not None:
            dateline = dl
            removed.append((p.raw_start, rest.raw_start, "dateline"))
            rest.gap = p.gap
            paras[k] = rest
        break

    # assemble
    out: list[str] = []
    segments: list[Segment] = []
    clen = 0
    para_start: list[int] = []  # clean offset where each paragraph (kept or not) starts
    for p in paras:
        if p.drop:
            para_start.append(clen + 2 if out else 0)
            continue
        if out:
            out.append("\n\n")
            clen += 2
        para_start.append(clen)
        for s, r, n in p.segs:
            segments.append(Segment(start=clen + s, raw_start=r, length=n))
        out.append(p.text)
        clen += len(p.text)
    text = "".join(out)
    for p in paras:
        if p.drop and p.drop != "post":
            removed.append((p.raw_start, p.raw_end, p.drop))
    for first, _last, post in posts:
        post.start = min(para_start[first], len(text))
        removed.append((post.raw_start, post.raw_end, "post"))
    removed.sort()

    return Article(
        id=article_id_for(text), source=raw.source, raw_text=raw_text, text=text,
        segments=segments, title=title, published=published,
        authors=list(raw.authors or []) or byline_authors,
        outlet=raw.outlet, url=raw.url, format=raw.format, dateline=dateline,
        posts=[post for _f, _l, post in posts], removed=removed, language=identify_language(text))
