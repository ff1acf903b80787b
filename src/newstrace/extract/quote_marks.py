"""Quote marks in plain text (no parse): which stretches of an article are inside quotation marks.

Two scanners, each kept with the rules its stage was measured with:

* :func:`quote_chains` / :func:`find_quote_spans` (the quotes stage, entities): double marks,
  curly and straight, paired paragraph by paragraph; a quote running over paragraphs (each
  re-opens the mark, only the last closes) is one chain; British single marks quote when a
  paragraph has no double ones; apostrophes and elisions are told apart from single marks.
* :func:`quote_regions` / :class:`Quoted` (attributions and reported speech): "is this offset
  inside quote marks", where an unclosed mark runs to the end of its paragraph and a closing
  mark after ",.!?" with no opening one starts the quotation at its sentence; :class:`Quoted` can
  leave out block quotes (paragraphs quoted after a colon), whose reported speech still counts.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace


OPEN_DOUBLE = "\u201c\u201e\u00ab\u201f"
CLOSE_DOUBLE = "\u201d\u00bb"
_OPEN_SINGLE = "\u2018\u201b\u2039"
_CLOSE_SINGLE = "\u2019\u203a"
DASHES = "\u2014\u2013-"


# Single-mark (British style) quotations need this many words: shorter ones are as often
# apostrophes ("rock 'n' roll", "the '90s") as quotations.
_MIN_SINGLE_WORDS = 2


@dataclass(frozen=True)
class Region:
    """One quoted stretch inside one paragraph: content [start, end) between the marks. Frozen:
    an article's chains are shared by its stages (``DocIndex.of_text``)."""

    open: int  # offset of the opening mark
    start: int  # content start
    end: int  # content end
    close: int | None  # offset of the closing mark; None when the mark is not closed
    para: int  # paragraph index
    cont: bool = False  # continues in the next paragraph / next re-opened stretch (news style)
    # a closing mark with nothing open in its paragraph, typed apart from its sentence as in
    # tokenised text ('I want to get out , " Adgate said'): [start, end) runs from the paragraph
    # start; it only counts when it closes the unclosed quote of an earlier paragraph
    orphan: bool = False


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    return spans


def _is_space(ch: str) -> bool:
    return ch.isspace()


def _mark_shape(text: str, i: int, lo: int, hi: int) -> str:
    """'open', 'close' or 'either' for a straight mark at ``text[i]`` inside [lo, hi)."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    opener = (prev.isspace() or prev in "([{\u2014\u2013-/:" or prev in OPEN_DOUBLE + _OPEN_SINGLE) \
        and not nxt.isspace()
    closer = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
    if opener and not closer:
        return "open"
    if closer and not opener:
        return "close"
    return "either"


# Two apostrophes close a double mark in some wires ('the statement warning that “voters are
# entitled ...’’', AP; 'a “question’’ that', the New York Post): read only while a double mark is open.
_DOUBLE_MARKS = re.compile("’’|''|[" + re.escape(OPEN_DOUBLE + CLOSE_DOUBLE + '"') + "]")
_SINGLE_MARKS = re.compile("[" + re.escape(_OPEN_SINGLE + _CLOSE_SINGLE + "'") + "]")


def pair_closes(text: str, i: int, lo: int, hi: int) -> bool:
    """Whether two apostrophes at ``i`` have a closing mark's shape: after a word or punctuation
    (not a space, a digit or "=": 6'2'' is feet and inches, x = '' an empty string in code) and
    before a space, punctuation or the end.

    Args:
        text: the text; ``text[i:i + 2]`` is the pair.
        i: offset of the first apostrophe.
        lo, hi: the paragraph (or text) bounds the neighbours are read within.
    Returns:
        True when the pair can close a double mark.

    >>> pair_closes("a \u201cquestion\u2019\u2019 that", 11, 0, 20), pair_closes("x = '' in", 4, 0, 9)
    (True, False)
    """
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 2] if i + 2 < hi else " "
    return not (prev.isspace() or prev.isdigit() or prev == "=") and not nxt.isalnum()


def _pair_opens(text: str, i: int) -> bool:
    """Whether two straight apostrophes at ``i`` have an opening mark's shape (''like this'')."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 2] if i + 2 < len(text) else " "
    return (prev.isspace() or prev in "([{\u2014\u2013-/:") and not nxt.isspace()


def _spaced_close(text: str, i: int, lo: int, hi: int) -> bool:
    """Whether the mark at ``text[i]`` is a closing mark set apart by a space from the ",.?!"
    ending its quotation, as in tokenised text ("I want to get out , \" Adgate said", ECB+), and
    followed by a space or the paragraph end."""
    return i - 2 >= lo and text[i - 1] == " " and text[i - 2] in ",.?!" \
        and (i + 1 >= hi or text[i + 1].isspace())


def scan(text: str, lo: int, hi: int, para: int, *, single: bool) -> list[Region]:
    """Quote regions of one paragraph ``text[lo:hi]`` (double marks, or single marks)."""
    opens = _OPEN_SINGLE if single else OPEN_DOUBLE
    closes = _CLOSE_SINGLE if single else CLOSE_DOUBLE
    straight = "'" if single else '"'
    regions: list[Region] = []
    cur: int | None = None  # offset of the pending opening mark
    # only the marks matter: visit them, not every character (issue 15's time budget)
    for m in (_SINGLE_MARKS if single else _DOUBLE_MARKS).finditer(text, lo, hi):
        i = m.start()
        ch = text[i]
        if m.end() - i == 2:  # (double scan only) two apostrophes
            if cur is not None and i > cur + 1 and pair_closes(text, i, lo, hi):
                regions.append(Region(cur, cur + 1, i, i + 1, para))
                cur = None
            continue
        if ch == straight:
            shape = _mark_shape(text, i, lo, hi)
            if single and shape != "open" and (i > lo and text[i - 1].isalnum()
                                               and i + 1 < hi and text[i + 1].isalnum()):
                continue  # an apostrophe: don't, Blunkett's
            if single and shape == "open" and i + 1 < hi and text[i + 1].isdigit():
                continue  # an elision: the '90s
            kind = shape
            if kind == "either":
                if cur is None and not single and not regions and _spaced_close(text, i, lo, hi):
                    # tokenised text: a quotation running over one-sentence lines closes here
                    regions.append(Region(lo, lo, i, i, para, orphan=True))
                    continue
                kind = "close" if cur is not None else "open"
        elif ch in opens:
            kind = "open"
            if cur is not None and i > lo and text[i - 1] in ",.?!" and (i + 1 >= hi or text[i + 1].isspace() or text[i + 1] in "[("):
                kind = "close"  # a closing mark typed as an opening one ('...here,“ said Jim Clyburn')
        elif ch in closes:
            if single and i + 1 < hi and text[i + 1].isalnum():
                continue  # an apostrophe: I’m, Mayorkas’s
            if single and cur is None:
                continue
            if cur is None and not single and not regions and _spaced_close(text, i, lo, hi):
                regions.append(Region(lo, lo, i, i, para, orphan=True))
                continue
            kind = "close"
        else:
            continue
        if kind == "open":
            if cur is not None:
                if single:
                    cur = i  # the earlier mark was an apostrophe ("the '90s", "'em")
                    continue
                # A mark re-opened before the previous closed: a paragraph break lost in the
                # text ("...remains. "He's been ...") or a missing closing mark.
                regions.append(Region(cur, cur + 1, i, None, para, cont=True))
            cur = i
        else:  # close
            if cur is None:
                continue  # a closing mark without an opening one
            if single and i - cur < 2:
                continue
            regions.append(Region(cur, cur + 1, i, i, para))
            cur = None
    if cur is not None:
        if single:
            return regions  # an unclosed single mark is an apostrophe, not a quote
        regions.append(Region(cur, cur + 1, hi, None, para))
    return [r for r in regions if r.end > r.start]


def strip_region(text: str, r: Region) -> Region:
    s, e = r.start, r.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return replace(r, start=s, end=e)


def find_quote_spans(text: str) -> list[list[tuple[int, int]]]:
    """Content spans of the quotations in ``text``, grouped into quotes.

    Double marks (curly or straight) are paired paragraph by paragraph. A quote running over
    paragraphs (each paragraph re-opens the mark, only the last closes) is one group of several
    spans. An opening mark never closed by the end of its paragraph (and not re-opened in the
    next) runs to the end of the paragraph; a closing mark without an opening one is ignored.

    Args:
        text: clean article text (paragraphs split by newlines).
    Returns:
        Groups of (start, end) content spans, without the quote marks, in text order.

    >>> t = 'He said: "One.\\n\\n"Two." Then "three" ended.'
    >>> [[t[s:e] for s, e in g] for g in find_quote_spans(t)]
    [['One.', 'Two.'], ['three']]
    """
    return [[(r.start, r.end) for r in chain] for chain in quote_chains(text)]


def quote_chains(text: str) -> tuple[tuple[Region, ...], ...]:
    """The quotations of ``text`` as chains of :class:`Region` (a quote over several paragraphs
    is one chain), in text order; what :func:`find_quote_spans` gives the spans of. The stages of
    one article read them once, through the article's shared index
    (:meth:`newstrace.extract.doc_index.DocIndex.of_text`)."""
    paras = paragraphs(text)
    regions: list[Region] = []
    for p, (lo, hi) in enumerate(paras):
        para = text[lo:hi]
        if any(ch in para for ch in OPEN_DOUBLE + CLOSE_DOUBLE + '"'):
            regions.extend(strip_region(text, r) for r in scan(text, lo, hi, p, single=False))
        else:
            # British style: single marks quote when a paragraph has no double ones.
            regions.extend(strip_region(text, r) for r in scan(text, lo, hi, p, single=True)
                           if len(text[r.start:r.end].split()) >= _MIN_SINGLE_WORDS)
    regions = [r for r in regions if r.end > r.start]
    chains: list[list[Region]] = []
    for r in regions:
        prev = chains[-1][-1] if chains else None
        if r.orphan:
            # Tokenised text, one sentence a line: a quotation over several sentences opens on
            # one line and closes on a later one, the lines between without marks ('"It's tough.'
            # / 'I want to get out , " Adgate said by telephone.', The Age via ECB+). Without
            # such an unclosed quote before it the closing mark is ignored, as any other.
            if prev is not None and prev.close is None and prev.para < r.para and not any(
                    ch in text[lo:hi] for lo, hi in paras[prev.para + 1:r.para]
                    for ch in OPEN_DOUBLE + CLOSE_DOUBLE + '"'):
                chains[-1].extend(strip_region(text, Region(lo, lo, hi, None, p))
                                  for p, (lo, hi) in enumerate(paras[prev.para + 1:r.para], prev.para + 1))
                chains[-1].append(replace(r, orphan=False))
            continue
        if prev is not None and prev.close is None and _continues(text, paras, prev, r):
            chains[-1].append(r)
        else:
            chains.append([r])
    # An unclosed region not continued: keep it only when it starts its paragraph or follows a
    # colon or comma (an opening quotation whose closing mark was forgotten).
    out = []
    for chain in chains:
        last = chain[-1]
        if last.close is None and len(chain) == 1:
            lo = paras[last.para][0]
            before = text[lo:last.open].rstrip()
            if before and before[-1] not in ":," + DASHES:
                continue
        out.append(tuple(replace(r, cont=k < len(chain) - 1) for k, r in enumerate(chain)))
    return tuple(out)


def _continues(text: str, paras, prev: Region, r: Region) -> bool:
    """Whether region ``r`` re-opens the unclosed quote ``prev`` (next paragraph, or a mark
    re-opened in the same paragraph when the paragraph break was lost)."""
    if r.para == prev.para:
        return prev.end <= r.open and text[prev.end:r.open].strip() == ""
    if r.para != prev.para + 1:
        return False
    lo = paras[r.para][0]
    return text[lo:r.open].strip() == ""


_OPEN_QUOTES = "\u201c\u00ab\u201e"
_CLOSE_QUOTES = "\u201d\u00bb"
_REGION_MARKS = re.compile("[" + _OPEN_QUOTES + _CLOSE_QUOTES + '"]')


# ---------------------------------------------------------------------------------------------
# Quote-mark regions
# ---------------------------------------------------------------------------------------------
def quote_regions(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` inside double quote marks (curly or straight), paragraph by paragraph.

    An unclosed mark runs to the end of its paragraph (the news convention for quotes running
    over several paragraphs); a closing mark without an opening one is ignored. The spans of the
    text asked about last are kept (the quotes and attributions stages both ask for the
    article's): a new list of them is returned each time.
    """
    global _LAST_REGIONS
    last = _LAST_REGIONS  # (one read: another thread may set it meanwhile)
    if last is not None and last[0] == text:
        return list(last[1])
    regions = _scan_regions(text)
    _LAST_REGIONS = (text, tuple(regions))
    return regions


_LAST_REGIONS: tuple[str, tuple[tuple[int, int], ...]] | None = None  # quote_regions' last text and answer


def _scan_regions(text: str) -> list[tuple[int, int]]:
    """:func:`quote_regions`, computed."""
    regions: list[tuple[int, int]] = []
    # Two apostrophes stand for a double mark in some archives (''like this''): read the pair
    # as one mark followed by a neutral character, keeping offsets, when it has a mark's shape
    # (:func:`pair_closes`, as the double scan reads them; x = '' is an empty string in code)
    text = re.sub("''", lambda m: '"\x01' if pair_closes(m.string, m.start(), 0, len(m.string))
                  or _pair_opens(m.string, m.start()) else m.group(), text)
    # and two curly ones close one ('warning that \u201cvoters are entitled ...\u2019\u2019', AP)
    text = re.sub("\u2019\u2019", lambda m: "\u201d\x01" if pair_closes(m.string, m.start(), 0, len(m.string))
                  else m.group(), text)
    for para in re.finditer(r"[^\n]+", text):
        p0, ptext = para.start(), para.group()
        cache: dict[int, list[int]] = {}
        open_at: int | None = None
        for mark in _REGION_MARKS.finditer(ptext):  # only the marks matter
            i = mark.start()
            ch = ptext[i]
            if ch in _OPEN_QUOTES:
                if open_at is None:
                    open_at = i + 1
            elif ch in _CLOSE_QUOTES:
                if open_at is not None:
                    regions.append((p0 + open_at, p0 + i))
                    open_at = None
                elif i and ptext[i - 1] in ",.!?":
                    regions.append((p0 + _sentence_start(ptext, i, cache), p0 + i))
            elif ch == '"':
                before = ptext[i - 1] if i else " "
                after = ptext[i + 1] if i + 1 < len(ptext) else " "
                opening = (before.isspace() or before in "([{-\u2014\u2013/:") and not after.isspace()
                if open_at is None:
                    if before in ",.!?" and (after.isspace() or after in ",.;:"):
                        # a closing mark whose opening mark is missing ('blue," he said'):
                        # the quotation began with its sentence
                        regions.append((p0 + _sentence_start(ptext, i, cache), p0 + i))
                    elif opening or (not before.isalnum() and not after.isspace()):
                        open_at = i + 1
                elif opening and i > open_at:
                    # an opening-shaped mark while a quote is open: the open quote ran on (a
                    # paragraph joined without its closing mark); a new quote starts here
                    regions.append((p0 + open_at, p0 + i))
                    open_at = i + 1
                else:
                    regions.append((p0 + open_at, p0 + i))
                    open_at = None
        if open_at is not None:
            regions.append((p0 + open_at, p0 + len(ptext)))
    return regions


_SENTENCE_END_RE = re.compile(r"[.!?][\"\u201d\x01]?\s+(?=\S)")


def _sentence_start(ptext: str, end: int, cache: dict[int, list[int]] | None = None) -> int:
    """Offset in ``ptext`` where the sentence holding ``end`` begins (after ". ", "! ", "? ")."""
    key = id(ptext)
    if cache is not None and key in cache:
        ends = cache[key]
    else:
        ends = [m.end() for m in _SENTENCE_END_RE.finditer(ptext)]
        if cache is not None:
            cache[key] = ends
    i = bisect.bisect_right(ends, max(end - 1, 0)) - 1
    # a sentence end must lie wholly before the mark
    while i >= 0 and ends[i] > end - 1:
        i -= 1
    return ends[i] if i >= 0 else 0


def _block_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs that open with a quote mark right after a paragraph ending in a colon (and
    the run of quote-opened paragraphs continuing it)."""
    spans: list[tuple[int, int]] = []
    prev_colon = prev_block = False
    for para in re.finditer(r"[^\n]+", text):
        body = para.group().strip()
        if not body:
            continue
        opens = body[0] in _OPEN_QUOTES + '"'
        is_block = opens and (prev_colon or prev_block)
        if is_block:
            spans.append((para.start(), para.end()))
        closed = body.rstrip()[-1:] in _CLOSE_QUOTES + '"'
        prev_block = is_block and not closed
        prev_colon = body.endswith(":")
    return spans


# A quotation in single marks: an opening mark not inside a word, up to a closing mark that is
# not an apostrophe ("‘notoriously low morale’").
_SINGLE_QUOTED = re.compile("(?<!\\w)\u2018(?:[^\u2018\u2019\\n]|\u2019(?=\\w))*\u2019(?!\\w)")


class Quoted:
    """Fast 'is this offset inside quote marks' lookups over :func:`quote_regions`."""

    def __init__(self, text: str, *, blocks: bool = True) -> None:
        self.regions = quote_regions(text)
        if not blocks:
            # Paragraphs quoted after a colon ("..., according to The Washington Times:" then
            # quoted paragraphs) are a block quoted from an outlet or document: reported speech
            # inside it is still reported speech (the quotes stage gives it the block as via).
            spans = _block_spans(text)
            self.regions = [(s, e) for s, e in self.regions
                            if not any(bs <= s - 1 <= be for bs, be in spans)]
            # quotes nested in a block use single marks
            for bs, be in spans:
                self.regions += [(m.start() + 1, m.end() - 1)
                                 for m in _SINGLE_QUOTED.finditer(text, bs, be)]
            self.regions.sort()
        self.starts = [s for s, _ in self.regions]

    def inside(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and self.regions[i][0] <= offset < self.regions[i][1]

    def region_at(self, offset: int) -> tuple[int, int] | None:
        """The (start, end) of the quotation holding ``offset``, else None."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.regions[i] if i >= 0 and self.regions[i][0] <= offset < self.regions[i][1] else None

    def covered(self, start: int, end: int, text: str) -> float:
        """Share of the non-space characters of text[start:end] inside quote marks."""
        total = inside = 0
        i = bisect.bisect_right(self.starts, start) - 1
        spans = self.regions[max(i, 0):]
        for pos in range(start, end):
            if text[pos].isspace():
                continue
            total += 1
        if not total:
            return 0.0
        for s, e in spans:
            if s >= end:
                break
            lo, hi = max(s, start), min(e, end)
            if lo < hi:
                inside += sum(1 for pos in range(lo, hi) if not text[pos].isspace())
        return inside / total

