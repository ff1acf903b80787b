"""The result of one article's entity analysis: :class:`EntityAnalysis`.

It holds the article's mentions and article-local entities (``mentions[i].entity`` indexes
``entities``) and answers, for the quote and attribution stages, who a span of the article's text
refers to (:meth:`EntityAnalysis.resolve`: names, titles, pronouns, outlets, anonymous
descriptions), from what the steps in ``mentions``, ``titles``, ``coref`` and ``pronouns`` found.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from ...models import LocalEntity, Mention
from ..lexicon import names_people
from ..outlets import canonical_outlet


# Common nouns for a state's or an institution's bodies: "the French foreign ministry", "China's
# commerce ministry", "the US military" speak as that body, not as the country that modifies it.
BODY_HEADS = frozenset("""
ministry ministries department military army navy police government office agency embassy commission
authority authorities council committee court administration regulator bureau parliament cabinet
prosecutor's prosecution junta
""".split())

# Adjectives of quantity, which modify a group without naming a narrower one ("many Republicans").
_QUANTIFIERS = frozenset("many few several other most some more fewer all both such various numerous "
                         "certain enough".split())

_KIND_OF_TYPE = {"person": "person", "organisation": "organisation", "outlet": "outlet",
                 "place": "organisation", "group": "organisation"}


@dataclass
class EntityAnalysis:
    """Mentions and article-local entities of one article, with a resolver for spans.

    ``mentions[i].entity`` indexes ``entities``; ``entities[i].local_id == i``.
    """

    mentions: list[Mention]
    entities: list[LocalEntity]
    text: str = ""
    # anonymous descriptions: (start, end, description, head start, head lemma)
    anonymous: list[tuple[int, int, str, int, str]] = field(default_factory=list, repr=False)
    pronoun_entity: dict[int, int] = field(default_factory=dict, repr=False)  # mention idx -> entity
    pronoun_anonymous: dict[int, str] = field(default_factory=dict, repr=False)  # mention idx -> description
    doc: Any = field(default=None, repr=False, compare=False)
    _by_start: Any = field(default=None, init=False, repr=False, compare=False)  # _starts()
    _answers: Any = field(default=None, init=False, repr=False, compare=False)  # (key, {(start, end): answer})

    def name_of(self, idx: int) -> str:
        """Canonical name of entity ``idx``."""
        return self.entities[idx].name

    def covers(self, idx: int, start: int, end: int) -> bool:
        """Whether a mention of entity ``idx`` covers [start, end) of article.text (a speaker's head
        word: "A member of President Joe Biden's cabinet" has Biden in a modifier only)."""
        return any(m.entity == idx and m.start <= start and end <= m.end for m in self.mentions)

    def mentioned_within(self, idx: int, start: int, end: int) -> bool:
        """Whether a mention of entity ``idx`` lies inside [start, end) of article.text."""
        return any(m.entity == idx and start <= m.start and m.end <= end for m in self.mentions)

    def entity_at(self, start: int, end: int) -> int | None:
        """Index of the entity whose mention best overlaps [start, end) of article.text, else None.

        Among overlapping mentions with an entity, the one covering most of the span wins;
        names beat titles, titles beat pronouns on ties.
        """
        best, best_key = None, None
        mentions = self.mentions
        _, starts, idx, longest = self._starts()
        # the mentions that may overlap [start, end), in index order: those starting before ``end``
        # and after ``start`` less the longest mention's length (found by bisection: the quote and
        # attribution stages ask for every speaker and source; issue 15's time budget)
        lo, hi = bisect.bisect_right(starts, start - longest), bisect.bisect_left(starts, end)
        for m in (mentions[i] for i in sorted(idx[lo:hi])):
            if m.entity is None or m.end <= start or m.start >= end:
                continue
            ov = min(m.end, end) - max(m.start, start)
            if ov <= 0:
                continue
            pri = {"PERSON": 3, "OUTLET": 3, "ORG": 2, "TITLE": 2, "GPE": 1, "NORP": 1,
                   "PRONOUN": 0}.get(m.label, 0)
            # a mention covering most of the span (the title "UK Independence Party member")
            # beats the names inside it ("UK Independence Party")
            key = (ov / max(1, end - start) >= 0.8, ov / max(1, m.end - m.start) >= 0.5, pri, ov, -m.start)
            if best_key is None or key > best_key:
                best, best_key = m.entity, key
        return best

    def resolve(self, start: int, end: int) -> tuple[int | None, str, str]:
        """Who the words ``article.text[start:end]`` refer to.

        Returns:
            (entity index or None, canonical name, kind); kind is one of person, organisation,
            outlet, anonymous, unknown. Names, titles and pronouns resolve to their entity;
            anonymous descriptions give (None, the description, "anonymous").

        >>> # ea.resolve(*span_of("the DHS secretary"))  -> (0, "Alejandro Mayorkas", "person")
        """
        # the quote and attribution stages ask for the same spans (a speaker per quote, a source
        # per cue): each answer is kept while the mentions stay the same (issue 15's time budget)
        key = (id(self.mentions), len(self.mentions), len(self.anonymous), len(self.entities))
        if self._answers is None or self._answers[0] != key:
            self._answers = (key, {})
        answers = self._answers[1]
        hit = answers.get((start, end))
        if hit is None:
            hit = answers[(start, end)] = self._resolve(start, end)
        return hit

    def _resolve(self, start: int, end: int) -> tuple[int | None, str, str]:
        """:meth:`resolve`, worked out."""
        text = self.text[start:end] if self.text else ""
        stripped = text.strip().strip(",;:")
        # trim whitespace, punctuation and a leading determiner to compare with mention bounds
        m0 = re.match(r"[\s,;:\"'\u201c\u201d(]*(?:(?:the|The)\s+)?", text)
        s0 = start + (m0.end() if m0 else 0)
        e0 = start + len(text.rstrip(" \t\n,;:.\"'\u201c\u201d)"))
        inside = self._mentions_within(start, end)
        names = [(i, m) for i, m in inside if m.label in ("PERSON", "OUTLET") and m.entity is not None]
        exact = [(i, m) for i, m in inside if m.start == s0 and m.end == e0]
        for i, m in sorted(exact, key=lambda x: x[1].label == "TITLE"):
            if m.label in ("PRONOUN", "DESCRIPTION"):
                if i in self.pronoun_anonymous:
                    return None, self.pronoun_anonymous[i], "anonymous"
                return self._answer(self.pronoun_entity.get(i), stripped)
            if m.entity is not None:
                return self._answer(m.entity, stripped)
        # the span's syntactic head decides: "Townhall Senior Writer Julio Rosas" -> Rosas,
        # "the chairman of the Police Federation, which represents officers" -> chairman
        head = self._head_offset(start, end)
        if head is not None:
            for i, m in inside:
                if m.start <= head < m.end and m.label != "PRONOUN" and m.entity is not None:
                    group = self._modified_group(start, end, m)
                    if group is not None:
                        return None, group, "organisation"
                    return self._answer(m.entity, stripped)
            for a_s, a_e, desc, h_s, _ in self.anonymous:
                if h_s == head:
                    return None, desc, "anonymous"
            described = self._place_description(start, end, inside)
            if described is not None:
                return (None, *described)
        # "One said ..." after "Officials within the administration ...": one of them
        low = stripped.lower()
        if low in ("one", "another", "some", "others", "several", "many", "both") or \
                re.fullmatch(r"(one|two|some|several|many|most|none) of (them|those)", low):
            prev = [a for a in self.anonymous if a[1] <= start]
            if prev:
                return None, f"{stripped} {prev[-1][4]}".strip(), "anonymous"
            return None, stripped, "anonymous"
        # anonymous description starting where the span starts (and no name in the span)
        if not names:
            for a_s, a_e, desc, _, _ in self.anonymous:
                if a_s < end and a_e > start and (abs(a_s - s0) <= 3 or (a_s >= start and a_e <= end)):
                    return None, desc, "anonymous"
        if names:
            # the last name in the span is the head in "Townhall Senior Writer Julio Rosas"
            pers = [x for x in names if x[1].label == "PERSON"]
            i, m = pers[-1] if pers else names[0]
            return self._answer(m.entity, stripped)
        idx = self.entity_at(start, end)
        if idx is not None:
            return self._answer(idx, stripped)
        if stripped:
            outlet = canonical_outlet(stripped)
            if outlet:
                return None, outlet, "outlet"
        return None, stripped, "unknown"

    def _starts(self) -> tuple[Any, list[int], list[int], int]:
        """(key, the mentions' starts in order, their indices in that order, the longest mention's
        length), kept while the mention list is the same list of the same length."""
        key = (id(self.mentions), len(self.mentions))
        if self._by_start is None or self._by_start[0] != key:
            order = sorted((m.start, i) for i, m in enumerate(self.mentions))
            longest = max((m.end - m.start for m in self.mentions), default=0)
            self._by_start = (key, [s for s, _ in order], [i for _, i in order], longest)
        return self._by_start

    def _mentions_within(self, start: int, end: int) -> list[tuple[int, Mention]]:
        """(index, mention) of the mentions inside [start, end), in index order, found by bisection
        over the mentions sorted by start (resolve runs for every quote: issue 15's time budget)."""
        _, starts, idx, _ = self._starts()
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_right(starts, end)
        return [(i, self.mentions[i]) for i in sorted(idx[lo:hi]) if self.mentions[i].end <= end]

    def _answer(self, idx: int | None, stripped: str) -> tuple[int | None, str, str]:
        if idx is None:
            return None, stripped, "unknown"
        ent = self.entities[idx]
        return idx, ent.name, _KIND_OF_TYPE[ent.type]

    def _place_description(self, start: int, end: int, inside: list[tuple[int, Mention]]) -> tuple[str, str] | None:
        """(words, kind) of a body or a person described by a place or nationality, else None: a
        state's body speaks as itself, not as the country ("The French foreign ministry" ->
        ("French foreign ministry", "organisation"), "China's commerce ministry"), and so does an
        unnamed person ("one Coralville, Iowa, pastor" -> anonymous). The span ends at its head, a
        noun of :data:`BODY_HEADS` or a common noun for people that no mention covers (the small
        model tags "foreign ministry" a proper noun too), and the names in it are all places,
        nationalities or organisations modifying that head."""
        if self.doc is None or not inside:
            return None
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) < 2:
            return None
        root = span.root
        if root.i != span[-1].i or any(m.label not in ("GPE", "NORP", "ORG") for _, m in inside) \
                or not any(m.label in ("GPE", "NORP") for _, m in inside):
            return None
        if root.pos_ == "NOUN" and names_people(root):
            return span.text.strip(), "anonymous"
        if root.pos_ not in ("NOUN", "PROPN") or root.lower_ not in BODY_HEADS:
            return None
        words = span[1:] if span[0].dep_ == "det" else span
        return (words.text, "organisation") if len(words) > 1 else None

    def _modified_group(self, start: int, end: int, m: Mention) -> str | None:
        """The words of a group a nationality or party noun names with a modifier of its own
        ("Latino Republicans", "LGBT Republicans", "American Christians": some of the party's
        members or of the faithful, not the party), else None; a quantifier is no such modifier
        ("many Republicans")."""
        if self.doc is None or m.label not in ("NORP", "ORG"):
            return None
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        root = span.root
        if root.tag_ not in ("NNPS", "NNS") or root.idx != m.start or root.idx + len(root) != m.end:
            return None
        mods = [c for c in root.lefts if c.dep_ in ("compound", "amod", "nmod") and c.idx < m.start
                and c.idx >= start and c.pos_ in ("PROPN", "ADJ") and c.tag_ not in ("JJS", "JJR")
                and c.lower_ not in _QUANTIFIERS]
        if not mods:
            return None
        lo = min(c.left_edge.i for c in mods)
        return self.doc[lo:root.i + 1].text

    def _head_offset(self, start: int, end: int) -> int | None:
        """Character offset of the syntactic head of text[start:end], when the parse is at hand."""
        if self.doc is None:
            return None
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return span.root.idx

