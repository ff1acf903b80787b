"""TODO docstring."""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from ...models import Article, LocalEntity, Mention, Role
from ..lexicon import HONORIFICS, ROLE_NOUNS, TITLE_ABBREV, names_people
from ..outlets import (
    ACRONYM_OF, ACRONYMS, AMBIGUOUS_OUTLET_ALIASES, GPE_CANON, ORG_WORDS, OUTLET_OF,
    OUTLET_SHAPE_WORDS, canonical_outlet, fold, org_key,
)
from ..quote_marks import find_quote_spans
from .analysis import EntityAnalysis
from .names import (
    FORMER, GENDER_ROLE, NAME_CONNECTORS, NAME_OPENERS, NOBLE, PARTIES, PLATFORMS, SOURCE_NOUNS,
    clean_ents, compatible_parts, extend_channel, first_name_gender, has_person_apposition,
    initials_match, is_role, name_key_tokens, name_parts, person_name_tokens, role_lemma,
    span_text, title_span,
)


# Heads a leader's surname modifies: "the Trump administration", "the Biden campaign".
_LEADER_HEADS = {"administration", "presidency", "campaign", "team", "era", "government", "cabinet",
                 "aide", "camp", "premiership", "regime", "white", "doctrine", "policy", "policies"}
# Nouns that refer back to an organisation named before ("the company", "the agency").
_ORG_NOUNS = {"company", "firm", "agency", "department", "charity", "organisation", "organization",
              "party", "ministry", "union", "council", "committee", "bureau", "airline", "retailer",
              "carmaker", "watchdog", "regulator", "federation", "association", "institute",
              "university", "broadcaster", "network", "club", "group", "bank", "lender", "insurer",
              "operator", "manufacturer", "supermarket", "chain", "brand", "business", "corporation",
              "conglomerate", "giant", "maker", "producer", "foundation", "commission", "office",
              "fund", "campaign", "administration", "court", "board", "authority", "coalition"}
# Of these, ones that take up only an organisation whose name holds the word ("the fund" ->
# International Monetary Fund), never just the last organisation named.
_ORG_NOUNS_BY_NAME = {"fund", "campaign", "administration", "court", "board", "authority", "coalition"}
# Nouns that classify a proper name as a news outlet ("the Herald newspaper", "media outlet Townhall").
_MEDIA_NOUNS = {"newspaper", "paper", "tabloid", "broadsheet", "magazine", "website", "outlet",
                "broadcaster", "daily", "weekly", "newsletter", "journal"}
# Role nouns naming a relation or a trade rather than an office: no unnamed holder entity.
_RELATION_NOUNS = {"rival", "colleague", "ally", "opponent", "successor", "predecessor", "critic",
                   "partner", "fellow", "assistant", "associate", "person", "people", "member",
                   "worker", "employee", "resident", "witness", "student", "teacher", "nurse", "doctor",
                   "author", "writer", "reporter", "correspondent", "journalist", "columnist", "analyst",
                   "expert", "economist", "owner", "manager", "insider", "individual", "supporter",
                   "observer", "campaigner", "activist", "advocate", "historian", "scientist",
                   "physician", "boss", "host", "presenter", "commentator", "consultant", "strategist",
                   "lawyer", "incumbent", "candidate", "nominee", "officer", "agent",
                   "official", "source", "staffer", "aide", "adviser", "advisor", "investigator"}
# Verbs saying a role was left: "quit as home secretary".
_LEAVE_VERBS = {"quit", "resign", "leave", "step", "retire", "oust", "sack", "fire", "remove", "depart",
                "stand"}
_GENERIC_TITLE_MODS = {"new", "current", "top", "senior", "then", "now", "longtime", "veteran", "outgoing",
                       "incoming", "newly", "recently", "interim"}


_ANON_DETS = {"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
              "ten", "several", "some", "many", "multiple", "numerous", "few", "other", "another",
              "various", "dozens", "hundreds", "most", "both", "all", "senior", "unnamed",
              "anonymous", "current", "former", "those", "these"}
_PRONOUNS = {
    "he": ("m", "sg"), "him": ("m", "sg"), "his": ("m", "sg"), "himself": ("m", "sg"),
    "she": ("f", "sg"), "her": ("f", "sg"), "hers": ("f", "sg"), "herself": ("f", "sg"),
    "they": (None, "pl"), "them": (None, "pl"), "their": (None, "pl"), "theirs": (None, "pl"),
    "themselves": (None, "pl"),
    "it": (None, "it"), "its": (None, "it"), "itself": (None, "it"),
}
_SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj", "agent"}


@dataclass
class _M:
    start: int  # token indices [start, end)
    end: int
    label: str
    text: str = ""
    key: str = ""  # grouping key
    ent: int | None = None
    title_of: int | None = None  # for TITLE: index of the person mention holding it
    former: bool = False
    gender: str | None = None
    head: int = -1


def analyze_entities(doc, article: Article) -> EntityAnalysis:
    """Find the mentions and the article-local entities (within-article coreference) of an article.

    Args:
        doc: the spaCy Doc of ``article.text`` (NER and dependency parse).
        article: the cleaned article (``id``, ``published`` and ``outlet`` are used).
    Returns:
        An :class:`EntityAnalysis`; mention offsets are into ``article.text``.

    >>> from newstrace.nlp import load_nlp  # doctest: +SKIP
    >>> ea = analyze_entities(load_nlp()(article.text), article)  # doctest: +SKIP
    >>> ea.resolve(start, end)  # doctest: +SKIP
    (0, 'Alejandro Mayorkas', 'person')
    """
    doc_text = doc.text
    if doc_text != article.text:
        where = next((i for i, (a, b) in enumerate(zip(doc_text, article.text)) if a != b),
                     min(len(doc_text), len(article.text)))
        raise ValueError(f"article {article.id}: the spaCy Doc is not a parse of article.text (they differ "
                         f"from character {where}; {len(doc_text)} vs {len(article.text)} characters); "
                         "pass nlp(article.text)")
    return _Analyzer(doc, article).run()


class _Analyzer:
    def __init__(self, doc, article: Article) -> None:
        self.doc = doc
        self.article = article
        self.ms: list[_M] = []
        self.taken: set[int] = set()  # tokens inside a name/org/outlet mention
        self.anon: list[tuple[int, int, str, int, str]] = []
        self.acro_long: dict[str, str] = {}  # acronym -> long org key (from the article)
        self._left_role: set[int] = set()  # role tokens whose holder left the role

    # -- collection
    def run(self) -> EntityAnalysis:
        self._collect_ner()
        self._collect_outlets_from_text()
        self._find_acronyms()
        self._collect_titles()
        self._collect_pronouns()
        entities = self._group()
        self._fix_missed_surnames(entities)
        self._link_org_descriptions(entities)
        return self._finish(entities)

    def _add(self, m: _M) -> _M:
        self.ms.append(m)
        if m.label not in ("TITLE", "PRONOUN"):
            self.taken.update(range(m.start, m.end))
        return m

    def _collect_ner(self) -> None:
        doc = self.doc
        for s, e, label in clean_ents(doc):
            text = span_text(doc, s, e)
            if label in ("FAC", "LOC"):
                continue
            if any(t.text.startswith("@") or "_" in t.text or t.like_url or "http" in t.lower_ or "/" in t.text
                   for t in doc[s:e]):
                continue
            with_the = s > 0 and doc[s - 1].lower_ == "the"
            outlet = canonical_outlet(("the " if with_the else "") + text) if label in ("ORG", "WORK_OF_ART", "NORP", "PERSON", "GPE") else None
            if outlet and label == "PERSON" and text.lower() not in OUTLET_OF:
                outlet = None  # a person named like an outlet ("Emily Post")
            if outlet and label == "GPE" and text.lower() not in OUTLET_OF:
                outlet = None
            if outlet:
                e = extend_channel(doc, s, e)
                text = span_text(doc, s, e)
                outlet = canonical_outlet(text) or outlet
                self._add(_M(s, e, "OUTLET", text, key="outlet:" + outlet))
                continue
            if label == "WORK_OF_ART":
                continue
            if label == "PERSON":
                words = [t.lower_ for t in doc[s:e]]
                if (any(w in ORG_WORDS for w in words) and not (s > 0 and doc[s - 1].lower_ in NAME_OPENERS)) \
                        or all(t.is_upper and len(t) > 1 for t in doc[s:e]) or text.lower() in PLATFORMS \
                        or text.lower() in PARTIES:
                    label = "ORG"
            if label == "ORG" and e - s >= 2 and not any(t.lower_ in ORG_WORDS for t in doc[s:e]) \
                    and all(t.is_title for t in doc[s:e]) and has_person_apposition(doc[s:e]):
                label = "PERSON"  # "Emily Post, an etiquette writer," tagged ORG
            if label == "PERSON":
                ns, ne, gender, title_toks = person_name_tokens(doc, s, e)
                # honorific just before the span ("Mr. Mayorkas" tagged "Mayorkas")
                if ns == s and s > 0 and doc[s - 1].lower_ in HONORIFICS:
                    gender = HONORIFICS[doc[s - 1].lower_] or gender
                toks = name_key_tokens(span_text(doc, ns, ne))
                if not toks:
                    continue
                m = self._add(_M(ns, ne, "PERSON", span_text(doc, ns, ne), gender=gender))
                m.head = ne - 1
                continue
            if label in ("ORG", "NORP", "GPE") and e - s == 1 and (doc[s].lower_ in HONORIFICS or doc[s].lower_ in ROLE_NOUNS):
                continue  # "MEP", "Mr": a title, not an organisation
            self._add(_M(s, e, label, text))

    def _collect_outlets_by_grammar(self) -> None:
        """Names that a media noun classifies as an outlet: "the Herald newspaper", "Thursday's Sun
        newspaper", "media outlet Townhall"."""
        doc = self.doc
        person_tokens = {i for m in self.ms if m.label == "PERSON" for i in range(m.start, m.end)}
        for t in doc:
            if t.lemma_.lower() not in _MEDIA_NOUNS or t.pos_ != "NOUN":
                continue
            # proper-name run right before the noun, or right after it (apposition)
            for direction in (-1, 1):
                j = t.i + direction
                run = []
                while 0 <= j < len(doc) and (doc[j].is_title or doc[j].is_upper or doc[j].like_num) \
                        and doc[j].pos_ == "PROPN" and len(run) < 4:
                    run.append(j)
                    j += direction
                if not run or any(k in person_tokens for k in run):
                    continue
                s, e = min(run), max(run) + 1
                if doc[s:e].text.lower() in PARTIES or any(doc[k].ent_type_ in ("NORP", "DATE", "GPE") for k in run):
                    continue
                name = canonical_outlet("the " + doc[s:e].text) or canonical_outlet(doc[s:e].text) or doc[s:e].text
                for m in [m for m in self.ms if m.start < e and m.end > s and m.label in ("ORG", "OUTLET", "GPE", "NORP")]:
                    self.ms.remove(m)
                self._add(_M(s, e, "OUTLET", doc[s:e].text, key="outlet:" + name))
                break

    def _collect_outlets_from_text(self) -> None:
        """Outlets the NER missed: table names written in title case outside other mentions."""
        self._collect_outlets_by_grammar()
        doc = self.doc
        n = len(doc)
        i = 0
        while i < n:
            if i in self.taken or not (doc[i].is_title or doc[i].is_upper):
                i += 1
                continue
            found = None
            for L in (4, 3, 2, 1):
                j = i + L
                if j > n or any(k in self.taken for k in range(i, j)):
                    continue
                span = doc[i:j]
                if not all(t.is_title or t.is_upper or t.lower_ in ("of", "the", "and") or t.like_num for t in span):
                    continue
                low = fold(span.text).lower()
                if low in OUTLET_OF and low not in AMBIGUOUS_OUTLET_ALIASES:
                    found = (i, j, OUTLET_OF[low])
                    break
            if found:
                s, e, name = found
                e2 = extend_channel(doc, s, e)
                if e2 > e and not any(k in self.taken for k in range(e, e2)):
                    e = e2
                    name = canonical_outlet(span_text(doc, s, e)) or name
                self._add(_M(s, e, "OUTLET", span_text(doc, s, e), key="outlet:" + name))
                i = e
            else:
                i += 1

    def _find_acronyms(self) -> None:
        """'Immigration and Customs Enforcement (ICE)' and 'ICE (Immigration and ...)' anywhere in the text."""
        doc = self.doc
        for i, t in enumerate(doc):
            if t.text != "(" or i + 2 >= len(doc) or doc[i + 2].text != ")":
                continue
            inner = doc[i + 1]
            if re.fullmatch(r"[A-Z][A-Za-z&]{1,7}", inner.text) and sum(c.isupper() for c in inner.text) >= 2:
                # long form: the mention ending right before "("
                long = next((m for m in self.ms if m.end == i and m.label in ("ORG", "GPE", "NORP", "PERSON", "OUTLET")), None)
                if long is not None and long.text.upper() != inner.text.upper() and initials_match(inner.text, long.text):
                    self.acro_long[inner.text.upper()] = org_key(long.text)
                    if long.label == "PERSON":
                        long.label = "ORG"
                    if i + 1 not in self.taken:
                        self._add(_M(i + 1, i + 2, "ORG", inner.text))
                    continue
                # no NER span: the title-case run before "("
                s = i
                while s - 1 >= 0 and (doc[s - 1].is_title or doc[s - 1].lower_ in ("of", "and", "for", "the", "on")) \
                        and not doc[s - 1].is_sent_end:
                    s -= 1
                while s < i and doc[s].lower_ in ("of", "and", "for", "the", "on"):
                    s += 1
                if s < i and initials_match(inner.text, span_text(doc, s, i)):
                    self.acro_long[inner.text.upper()] = org_key(span_text(doc, s, i))
                    inside = [m for m in self.ms if m.start >= s and m.end <= i]
                    if all(k not in self.taken or any(m.start <= k < m.end for m in inside) for k in range(s, i)) \
                            and all(m.label in ("ORG", "GPE", "NORP", "PERSON") for m in inside):
                        # the NER's piece ("Homeland Security" of "Homeland Security Investigations") grows
                        for m in inside:
                            self.ms.remove(m)
                        self._add(_M(s, i, "ORG", span_text(doc, s, i)))
                    if i + 1 not in self.taken:
                        self._add(_M(i + 1, i + 2, "ORG", inner.text))
            else:
                # "ICE (Immigration and Customs Enforcement)"
                j = i + 1
                while j < len(doc) and doc[j].text != ")" and j - i < 12:
                    j += 1
                if j >= len(doc) or doc[j].text != ")" or i == 0:
                    continue
                prev = doc[i - 1]
                if re.fullmatch(r"[A-Z][A-Za-z&]{1,7}", prev.text) and initials_match(prev.text, span_text(doc, i + 1, j)):
                    self.acro_long[prev.text.upper()] = org_key(span_text(doc, i + 1, j))
        # every standalone occurrence of an article-defined acronym is an ORG mention
        acrs = set(self.acro_long)
        if acrs:
            for i, t in enumerate(doc):
                if t.text in acrs and i not in self.taken:
                    self._add(_M(i, i + 1, "ORG", t.text))

    def _collect_titles(self) -> None:
        doc = self.doc
        person_at = {}
        for k, m in enumerate(self.ms):
            if m.label == "PERSON":
                for i in range(m.start, m.end):
                    person_at[i] = k
        used_roles: set[int] = set()
        # 1. title prefixes: "Homeland Security Secretary Alejandro Mayorkas", "Chief Ortiz"
        for k, m in list(enumerate(self.ms)):
            if m.label != "PERSON":
                continue
            r = None
            i = m.start - 1
            # walk left over the contiguous pre-name region (no determiner, punctuation or verb)
            while i >= 0 and i not in person_at:
                t = doc[i]
                if t.is_sent_end and i != m.start - 1 or "\n" in t.text_with_ws:
                    break
                if is_role(t) and r is None:
                    r = i
                if t.pos_ in ("PROPN", "NOUN", "ADJ", "NUM") or t.lower_ in FORMER or t.lower_ in TITLE_ABBREV \
                        or t.text in ("-",) or (t.lower_ in ("of", "for", "at") and r is None) or (t.tag_ == "VBG" and t.dep_ in ("amod", "compound")):
                    i -= 1
                    continue
                break
            if r is None:
                continue
            s = i + 1
            while s < r and (doc[s].lower_ in NAME_CONNECTORS or doc[s].is_punct):
                s += 1
            e = m.start
            if e <= s:
                continue
            # the title's of-phrase may have been swallowed: keep tokens up to the name
            tm = self._add(_M(s, e, "TITLE", span_text(doc, s, e), title_of=k, head=r))
            tm.former = any(doc[x].lower_ in FORMER for x in range(max(0, s - 1), e))
            used_roles.update(range(s, e))
        # 1b. a role written right after the name: "Ruth Kelly MP", "John Smith QC"
        for k, m in list(enumerate(self.ms)):
            if m.label != "PERSON" or m.end >= len(doc):
                continue
            t = doc[m.end]
            if (t.is_upper or t.is_title) and is_role(t) and t.i not in used_roles and t.pos_ == "PROPN" \
                    and (m.end + 1 >= len(doc) or not doc[m.end + 1].is_title):
                tm = self._add(_M(t.i, t.i + 1, "TITLE", t.text, title_of=k, head=t.i))
                used_roles.add(t.i)
        # 2. other role-noun phrases
        for t in doc:
            if t.i in used_roles or t.i in person_at or not is_role(t):
                continue
            if t.i in self.taken and not (t.is_lower):
                continue
            # skip a role noun that only modifies a higher role noun ("police officer")
            if t.dep_ == "compound" and is_role(t.head) and t.head.i > t.i:
                continue
            s, e = title_span(doc, t.i)
            if any(x in person_at for x in range(s, e)):
                # a person inside the title phrase: the title is "X of Y"; cut before the name
                first = min(x for x in range(s, e) if x in person_at)
                if first <= t.i:
                    continue
                e = first
            det = None
            if s > 0 and doc[s - 1].tag_ in ("DT", "PRP$", "CD") or (s > 0 and doc[s - 1].lower_ in _ANON_DETS):
                det = doc[s - 1]
            # left determiners/quantifiers: "two sources", "a senior official", "several current and former"
            q = s - 1
            while q >= 0 and (doc[q].lower_ in _ANON_DETS or doc[q].tag_ in ("DT", "CD") or doc[q].lower_ in ("and", "or")) \
                    and not doc[q].is_sent_end:
                q -= 1
            qs = q + 1
            holder = self._holder_by_grammar(t, person_at)
            former = any(doc[x].lower_ in FORMER for x in range(max(0, qs), e)) or t.i in self._left_role
            tm = _M(s, e, "TITLE", span_text(doc, s, e), title_of=holder, former=former, head=t.i)
            plural = t.tag_ in ("NNS", "NNPS")
            lead = doc[qs].lower_ if qs < s else ""
            definite = lead in ("the", "this", "that", "its", "his", "her", "their", "our") or \
                (det is not None and det.tag_ == "PRP$") or (t.is_title and qs == s and not doc[s].is_sent_start)
            anonymous = holder is None and (lead in _ANON_DETS or (plural and not definite)
                                            or (not definite and qs == s and t.is_lower))
            if holder is None and not definite and not anonymous:
                anonymous = True
            if anonymous and holder is None:
                if t.lower_ in SOURCE_NOUNS or role_lemma(t) in SOURCE_NOUNS or t.lemma_.lower() in SOURCE_NOUNS \
                        or plural or lead in _ANON_DETS:
                    # description runs over its post-modifiers: "familiar with the matter"
                    end_i = e - 1
                    for c in t.rights:
                        if c.dep_ in ("amod", "prep") and c.i > end_i:
                            end_i = max(x.i for x in c.subtree)
                    end_i = min(end_i, e - 1 + 12)
                    while end_i > e - 1 and (doc[end_i].is_punct):
                        end_i -= 1
                    while qs < s and doc[qs].lower_ in ("and", "or"):
                        qs += 1
                    a_s, a_e = doc[qs].idx, doc[end_i].idx + len(doc[end_i].text)
                    self.anon.append((a_s, a_e, self.article.text[a_s:a_e], t.idx, t.lemma_.lower()))
                tm.label = "TITLE"
                tm.key = "anon"
            self._add(tm)
            used_roles.update(range(s, e))

    def _holder_by_grammar(self, t, person_at, depth: int = 0) -> int | None:
        """The person a role noun is linked to by apposition, copula or "as", else None.

        Sets ``self._left_role`` when the link says the role was left ("quit as home secretary").
        """
        doc = self.doc
        # "a Cabinet Office minister and Bolton West MP": a conjoined role has the same holder
        if t.dep_ == "conj" and is_role(t.head) and depth < 3:
            return self._holder_by_grammar(t.head, person_at, depth + 1)
        # "Mayorkas, the DHS secretary," : role appos to the name
        if t.dep_ == "appos" and t.head.i in person_at:
            return person_at[t.head.i]
        # "the DHS secretary, Alejandro Mayorkas,": name appos to the role (also after a relative
        # clause: "the chairman of the federation, which represents officers, Jan Berry,")
        for c in t.children:
            if c.dep_ == "appos" and c.i in person_at:
                return person_at[c.i]
        for c in t.subtree:
            if c.dep_ == "appos" and c.i in person_at and c.i > t.i and c.head.i != t.i \
                    and not any(x.i in person_at for x in doc[t.i:c.i]):
                return person_at[c.i]
        # "Magnus is the commissioner", "Nielson, who is UKIP Scotland chairman,"
        verb = t.head
        if t.dep_ in ("attr", "oprd") and verb.lemma_ in ("be", "become", "remain", "serve", "name", "appoint", "elect"):
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    if c.i in person_at:
                        return person_at[c.i]
                    if c.lower_ in ("who", "that") and verb.dep_ == "relcl" and verb.head.i in person_at:
                        return person_at[verb.head.i]
        # "served as commissioner", "quit as home secretary"
        if t.dep_ == "pobj" and t.head.lower_ == "as" and t.head.head.pos_ in ("VERB", "AUX"):
            verb = t.head.head
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i in person_at:
                    if verb.lemma_ in _LEAVE_VERBS:
                        self._left_role.add(t.i)
                    return person_at[c.i]
        # token pattern: NAME , [the/a] ... ROLE  (parser misses the apposition)
        s = t.i
        while s > 0 and doc[s - 1].pos_ in ("PROPN", "NOUN", "ADJ", "DET", "NUM") and doc[s - 1].text != ",":
            s -= 1
        if s >= 2 and doc[s - 1].text == "," and (s - 2) in person_at and doc[s].lower_ in ("the", "a", "an"):
            return person_at[s - 2]
        return None

    def _collect_pronouns(self) -> None:
        for t in self.doc:
            low = t.lower_
            if low in _PRONOUNS and t.tag_ in ("PRP", "PRP$") and t.dep_ != "expl" \
                    and not (t.is_upper and len(t) > 1 and not t.sent.text.isupper()):
                if low == "it" and t.dep_ in ("nsubj",) and any(c.dep_ in ("ccomp", "xcomp") for c in t.head.children) \
                        and t.head.lemma_ == "be":
                    continue  # "it is clear that ..."
                self._add(_M(t.i, t.i + 1, "PRONOUN", t.text))
        self._collect_descriptions()

    def _collect_descriptions(self) -> None:
        """Definite descriptions of a person that act as anaphors: "the New York businessman
        said", "the billionaire argued". A singular subject headed by a people noun (a known
        source noun or an agent ending, ``lexicon.names_people``) after "the"/"this", that
        is no title (titles find their holder in ``_group``), no anonymous source noun ("the
        official": ``SOURCE_NOUNS``) and no bare "man"/"woman" (usually someone unnamed), is
        resolved like a pronoun whose gender the noun gives. They are PRONOUN mentions inside
        (key "defnp") and DESCRIPTION mentions in the output."""
        doc = self.doc
        titled = {i for m in self.ms if m.label == "TITLE" for i in range(m.start, m.end)}
        for t in doc:
            if t.pos_ != "NOUN" or t.tag_ != "NN" or t.dep_ not in _SUBJ_DEPS or t.i in self.taken or t.i in titled:
                continue
            det = next((c for c in t.children if c.dep_ == "det" and c.i < t.i), None)
            if det is None or det.lower_ not in ("the", "this"):
                continue
            lemma = t.lemma_.lower()
            if lemma in ROLE_NOUNS or lemma in SOURCE_NOUNS or lemma in _PLAIN_PEOPLE or not names_people(t):
                continue
            if any(c.dep_ in ("poss", "relcl", "acl") or (c.dep_ == "prep" and c.lower_ == "of") for c in t.children):
                continue  # "the company's chairman", "the man who ...": not a bare anaphor
            gender = GENDER_ROLE.get(lemma) or ("f" if lemma.endswith("woman") else
                                                 "m" if lemma.endswith("man") else None)
            m = _M(det.i + 1, t.i + 1, "PRONOUN", span_text(doc, det.i + 1, t.i + 1), key="defnp",
                   gender=gender, head=t.i)
            self.ms.append(m)  # not _add: the words stay free for names inside ("New York")

    # -- grouping
    def _group(self) -> list[dict[str, Any]]:
        doc = self.doc
        ents: list[dict[str, Any]] = []
        by_key: dict[str, int] = {}

        def new(type_: str, name: str, key: str) -> int:
            ents.append(dict(type=type_, name=name, aliases=[], roles=[], gender=None, keys={key},
                             first=None, full=[]))
            by_key[key] = len(ents) - 1
            return len(ents) - 1

        order = sorted(range(len(self.ms)), key=lambda k: (self.ms[k].start, -self.ms[k].end))
        # "Helmut Panke" tagged ORG while "Panke" is tagged PERSON: a person
        single_names = {fold(self.ms[k].text).lower() for k in order
                        if self.ms[k].label == "PERSON" and len(name_key_tokens(self.ms[k].text)) == 1}
        for k in order:
            m = self.ms[k]
            words = m.text.split()
            if m.label in ("ORG", "GPE", "NORP") and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) \
                    and fold(words[-1]).lower() in single_names and not any(w.lower() in ORG_WORDS for w in words):
                m.label = "PERSON"
        # "the Trump administration", "the Biden team": a single name modifying these is a person
        doc = self.doc
        for k in order:
            m = self.ms[k]
            if m.label in ("ORG", "GPE", "NORP") and m.end - m.start == 1 and doc[m.start].is_title \
                    and doc[m.start].dep_ in ("compound", "nmod", "poss") \
                    and doc[m.start].head.lemma_.lower() in _LEADER_HEADS and m.text.lower() not in PARTIES:
                m.label = "PERSON"
        # "the Times" in an article that names the Los Angeles Times
        full_outlets = {m.key for m in self.ms if m.label == "OUTLET" and len(m.key.split()) > 1}
        if self.article.outlet:
            full_outlets.add("outlet:" + (canonical_outlet(self.article.outlet) or self.article.outlet))
        for m in self.ms:
            word = re.sub(r"^the\s+", "", m.text.lower())
            if m.label == "OUTLET" and word in OUTLET_SHAPE_WORDS:
                longer = sorted(k for k in full_outlets if k.lower().endswith(" " + word) and k != m.key)
                if len(longer) == 1:
                    m.key = longer[0]
        # persons: full names first (so surnames join them), in text order
        persons = [k for k in order if self.ms[k].label == "PERSON"]
        parts = {k: name_parts(self.ms[k].text) for k in persons}
        fulls = [k for k in persons if parts[k][1] and (parts[k][0] or parts[k][2])]
        singles = [k for k in persons if parts[k][1] and not (parts[k][0] or parts[k][2])]
        full_ents: list[tuple[int, tuple]] = []  # (entity, (first, surname, noble))
        self._full_ents = full_ents
        for k in fulls:
            pk = parts[k]
            display = " ".join(name_key_tokens(self.ms[k].text))
            match = next((idx for idx, fp in full_ents if compatible_parts(pk, fp)), None)
            if match is None:
                match = new("person", display, "p:" + display.lower())
                full_ents.append((match, pk))
            elif len(display.split()) > len(ents[match]["name"].split()) and not pk[2]:
                ents[match]["name"] = display  # keep the longest form as canonical
            self.ms[k].ent = match
        single_genders: dict[str, set] = defaultdict(set)
        for k in singles:
            if self.ms[k].gender:
                single_genders[parts[k][1]].add(self.ms[k].gender)
        hon_gender: dict[int, set] = defaultdict(set)  # honorific genders seen per entity
        for k in fulls:
            if self.ms[k].gender:
                hon_gender[self.ms[k].ent].add(self.ms[k].gender)
        for k in singles:
            m = self.ms[k]
            low = parts[k][1]
            cands = [idx for idx, fp in full_ents if fp[1] == low]
            if m.gender:
                # "Mrs Howard" is not Michael Howard ("Mr Howard"); when both are written and the
                # full name's gender is unknown, neither joins it
                both = len(single_genders[low]) > 1
                cands = [c for c in cands if hon_gender[c] <= {m.gender} and (not both or hon_gender[c] == {m.gender})]
            if not cands:
                cands = [idx for idx, fp in full_ents if fp[0] == low]  # "Sir Alan" after "Sir Alan Budd"
            if len(cands) > 1:
                # several people share the surname: gender from the honorific, else the most recent
                if m.gender:
                    g = [c for c in cands if ents[c]["gender"] in (None, m.gender)
                         and any(self.ms[j].gender in (None, m.gender) for j in fulls if self.ms[j].ent == c)]
                    g = [c for c in g if any(self.ms[j].gender == m.gender for j in fulls if self.ms[j].ent == c)] or g
                    cands = g or cands
                # else the most salient of them before this mention (after Lappin & Leass: a
                # subject counts double, halved per sentence back), recency breaking ties:
                # "Former President Bill Clinton criticized ... for his wife Hillary Clinton. ...
                # 'It doesn't make any sense,' Clinton said" is Bill Clinton
                sent_no = self._sentence_numbers()
                here = sent_no[m.start]
                score: dict[int, float] = defaultdict(float)
                last: dict[int, int] = {}
                # every earlier mention counts: full names and bare surnames already resolved, a
                # little for each however far back (the article's main Cruz is "Cruz", his wife
                # named once near the end is not)
                for x in (self.ms[j] for j in persons):
                    if x.ent in cands and x.start < m.start and (x is not m):
                        head = self.doc[x.end - 1]
                        w = 2.0 if head.dep_ in _SUBJ_DEPS else 1.0
                        score[x.ent] += w * 0.5 ** min(here - sent_no[x.start], 30) + 0.25
                        last[x.ent] = max(last.get(x.ent, -1), x.start)
                cands = [max(score, key=lambda c: (round(score[c], 6), last[c]))] if score else cands[:1]
            if cands:
                m.ent = cands[0]
            else:
                key = "p:" + low + (":" + m.gender if m.gender else "")
                m.ent = by_key.get(key)
                if m.ent is None:
                    m.ent = new("person", " ".join(name_key_tokens(m.text)), key)
            if m.gender:
                hon_gender[m.ent].add(m.gender)
        # organisations, places, groups, outlets
        for k in order:
            m = self.ms[k]
            if m.label in ("ORG", "GPE", "NORP"):
                key, name, type_ = self._org_identity(m)
                # a bare word equal to a person's surname is that person (NER slip)
                if len(m.text.split()) == 1 and m.label in ("ORG", "GPE", "NORP"):
                    low = fold(m.text).lower().replace(" ", "")
                    pk = [idx for idx, fp in full_ents if fp[1] == low]
                    if len(pk) >= 1 and low.upper() != m.text:
                        m.label = "PERSON"
                        m.ent = pk[-1] if len(pk) == 1 else pk[0]
                        continue
                idx = by_key.get(key)
                if idx is None:
                    idx = new(type_, name, key)
                m.ent = idx
            elif m.label == "OUTLET":
                idx = by_key.get(m.key)
                if idx is None:
                    idx = new("outlet", m.key.split(":", 1)[1], m.key)
                m.ent = idx
        # short outlet forms ("the Times" after "the Los Angeles Times")
        self._resolve_short_outlets(ents, by_key, new)
        # titles
        self._assign_titles(ents, by_key, new)
        for e in ents:
            e.pop("keys", None)
        return ents

    def _org_identity(self, m: _M) -> tuple[str, str, str]:
        text = m.text
        if m.label == "GPE":
            low = fold(text).lower().strip(".")
            canon = GPE_CANON.get(low) or GPE_CANON.get(low + ".") or text
            return "g:" + canon.lower(), canon, "place"
        if m.label == "NORP" and fold(text).lower() in PARTIES:
            party = PARTIES[fold(text).lower()]
            return "o:party:" + party.lower(), party, "organisation"
        if m.label == "NORP":
            low = fold(text)
            base = low[:-1] if low.endswith("s") and not low.endswith("ss") and len(low) > 4 else low
            return "n:" + base.lower(), base, "group"
        party = PARTIES.get(fold(text).lower())
        if party:
            return "o:party:" + party.lower(), party, "organisation"
        if text.lower() in PLATFORMS:
            return "o:" + text.lower(), text, "organisation"
        key = org_key(text)
        acr = None
        up = text.upper().replace(".", "")
        if text.isupper() and up in self.acro_long:
            acr = up
        elif up in ACRONYMS and text.isupper():
            acr = up
        else:
            for a, long in self.acro_long.items():
                if long == key:
                    acr = a
            if acr is None and key in ACRONYM_OF:
                acr = ACRONYM_OF[key]
        if acr is not None:
            if acr in ACRONYMS and (acr not in self.acro_long or ACRONYM_OF.get(self.acro_long[acr]) == acr):
                return "o:" + acr, ACRONYMS[acr][0], "organisation"
            if acr in self.acro_long:
                long = self.acro_long[acr]
                name = next((x.text for x in self.ms if x.label in ("ORG", "PERSON") and org_key(x.text) == long), acr)
                return "o:" + acr, name, "organisation"
        return "o:" + key, text, "organisation"

    def _resolve_short_outlets(self, ents, by_key, new) -> None:
        doc = self.doc
        outlets = [e["name"] for e in ents if e["type"] == "outlet"]
        if self.article.outlet:
            canon = canonical_outlet(self.article.outlet) or self.article.outlet
            outlets.append(canon)
        for t in doc:
            if t.i in self.taken or not t.is_title or t.i == 0 or doc[t.i - 1].lower_ != "the":
                continue
            low = t.lower_
            if low not in OUTLET_SHAPE_WORDS:
                continue
            if t.i + 1 < len(doc) and (doc[t.i + 1].is_title and not doc[t.i + 1].is_sent_start):
                continue
            match = [o for o in outlets if o.lower().split()[-1] == low]
            if not match:
                continue
            name = match[0]
            key = "outlet:" + name
            idx = by_key.get(key)
            if idx is None:
                idx = new("outlet", name, key)
            m = self._add(_M(t.i, t.i + 1, "OUTLET", t.text, key=key))
            m.ent = idx

    def _title_mods(self, m: _M) -> set[str]:
        """Content words of a title besides its role noun and its organisation ("foreign", "deputy")."""
        doc = self.doc
        inside_org = set()
        for x in self.ms:
            if x.label in ("ORG", "OUTLET", "GPE", "NORP") and x.start >= m.start and x.end <= m.end \
                    and self.doc[x.start].lower_ not in _GENERIC_TITLE_MODS:
                inside_org.update(range(x.start, x.end))
        out = set()
        for t in doc[m.start:m.end]:
            if t.i == m.head or t.i in inside_org or t.is_punct or t.is_stop or t.lower_ in FORMER:
                continue
            if t.lower_ in _GENERIC_TITLE_MODS or t.pos_ not in ("ADJ", "NOUN", "PROPN", "VERB"):
                continue
            if t.i > m.head:  # post-modifiers ("of CBP") name the org, not the office
                continue
            out.add(TITLE_ABBREV.get(t.lower_, t.lemma_.lower()))
        return out

    def _assign_titles(self, ents, by_key, new) -> None:
        doc = self.doc
        published = self.article.published
        titles = sorted((m for m in self.ms if m.label == "TITLE"), key=lambda m: m.start)
        # held titles first: they define who holds what
        holders: list[tuple[str, str | None, int, int, set]] = []  # (role lemma, org key, entity, start, mods)
        for m in titles:
            if m.title_of is None:
                continue
            pm = self.ms[m.title_of]
            if pm.ent is None:
                continue
            m.ent = pm.ent
            title, org = self._title_and_org(m)
            if not title:
                continue
            ents[pm.ent]["roles"].append(Role(title=title, article_id=self.article.id, current=not m.former,
                                              org=org, published=published))
            g = GENDER_ROLE.get(doc[m.head].lower_) if m.head >= 0 else None
            if g and not ents[pm.ent]["gender"]:
                ents[pm.ent]["gender"] = g
            holders.append((role_lemma(doc[m.head]), org_key(org) if org else None, pm.ent, m.start,
                            self._title_mods(m)))
        # noble titles in names: "the prince" is Prince Harry
        for idx, e in enumerate(ents):
            if e["type"] == "person" and e["name"].split()[0].lower() in NOBLE:
                first = min((x.start for x in self.ms if x.ent == idx), default=0)
                holders.append((e["name"].split()[0].lower(), None, idx, first, set()))
        persons_by_sent = self._person_subjects()
        for m in titles:
            if m.title_of is not None or m.key == "anon":
                continue
            lemma = role_lemma(doc[m.head])
            title, org = self._title_and_org(m)
            okey = org_key(org) if org else None
            mods = self._title_mods(m)
            if doc[m.head].tag_ in ("NNS", "NNPS"):
                continue  # "officials" are not the one official named earlier
            cands = [h for h in holders if h[0] == lemma and (okey is None or h[1] is None or h[1] == okey)
                     and mods <= h[4]]
            if cands:
                ents_c = {h[2] for h in cands}
                if len(ents_c) > 1:
                    # several holders ("the prince" with Harry and William): the most mentioned so far
                    count = Counter(x.ent for x in self.ms if x.ent in ents_c and x.start < m.start)
                    recent = {e: max((x.start for x in self.ms if x.ent == e and x.start < m.start), default=-1)
                              for e in ents_c}
                    m.ent = max(ents_c, key=lambda e: (count[e], recent[e]))
                else:
                    m.ent = cands[0][2]
                continue
            if doc[m.head].tag_ in ("NNS", "NNPS") or not title:
                continue
            generic = lemma in SOURCE_NOUNS and lemma not in ("spokesperson", "leader", "representative")
            if generic:
                # "the agent" after "one agent": the same anonymous person
                desc = next((a[2] for a in reversed(self.anon)
                             if a[1] <= doc[m.start].idx and lemma in a[2].lower()), None)
                s0 = doc[m.start - 1].idx if m.start > 0 and doc[m.start - 1].lower_ == "the" else doc[m.start].idx
                e0 = doc[m.end - 1].idx + len(doc[m.end - 1].text)
                self.anon.append((s0, e0, desc or self.article.text[s0:e0], doc[m.head].idx, lemma))
                m.key = "anon"
                continue
            # a definite title right after a named person ("Jack Straw ... The foreign secretary said")
            prev_person = self._anaphoric_holder(m, lemma, okey, mods, ents, holders, persons_by_sent)
            if prev_person is not None:
                m.ent = prev_person  # inferred, so not recorded as a stated role
                holders.append((lemma, okey, prev_person, m.start, mods))
                continue
            # "the Lib Dem chief executive said ... . Lord Rennard told reporters": a person first
            # named as a subject in the next two sentences, holding no other title
            nxt_person = self._cataphoric_holder(m, lemma, holders, ents)
            if nxt_person is not None:
                m.ent = nxt_person
                holders.append((lemma, okey, nxt_person, m.start, mods))
                continue
            # a title without a name: the unnamed holder is an entity of its own when the title acts
            # (subject, agent, possessor) or is written as an office ("the U.S. Attorney in Texas")
            head = doc[m.head]
            if not (head.dep_ in _SUBJ_DEPS or head.dep_ == "poss" or head.is_title
                    or (head.dep_ == "pobj" and head.head.lower_ in ("by", "to", "from", "with"))):
                continue
            if lemma in _RELATION_NOUNS:
                continue  # "the owner", "a rival": a relation, not an office someone holds
            key = "t:" + lemma + ":" + (okey or "") + ":" + " ".join(sorted(mods))
            idx = by_key.get(key)
            if idx is None:
                idx = new("person", title, key)
                ents[idx]["roles"].append(Role(title=title, article_id=self.article.id,
                                               current=not m.former, org=org, published=published))
                g = GENDER_ROLE.get(doc[m.head].lower_)
                if g:
                    ents[idx]["gender"] = g
                holders.append((lemma, okey, idx, m.start, mods))
            m.ent = idx

    def _sentence_numbers(self) -> list[int]:
        """Sentence number of each token (computed once)."""
        if getattr(self, "_sent_no", None) is None:
            out = [0] * len(self.doc)
            for k, sn in enumerate(self.doc.sents):
                for i in range(sn.start, sn.end):
                    out[i] = k
            self._sent_no = out
        return self._sent_no

    def _cataphoric_holder(self, m: _M, lemma: str, holders, ents) -> int | None:
        """The person a subject title introduces before naming them in the next two sentences."""
        doc = self.doc
        head = doc[m.head]
        if head.dep_ not in _SUBJ_DEPS or lemma in _RELATION_NOUNS or lemma in SOURCE_NOUNS and lemma != "spokesperson":
            return None
        sent = head.sent
        end = sent.end
        for _ in range(2):
            if end >= len(doc):
                break
            end = doc[end].sent.end
        first_seen: dict[int, int] = {}
        for x in self.ms:
            if x.ent is not None and x.label == "PERSON":
                first_seen[x.ent] = min(first_seen.get(x.ent, x.start), x.start)
        for x in sorted(self.ms, key=lambda x: x.start):
            if x.label != "PERSON" or x.ent is None or not (sent.end <= x.start < end):
                continue
            if first_seen[x.ent] < sent.end or doc[x.end - 1].dep_ not in _SUBJ_DEPS:
                continue
            g = GENDER_ROLE.get(head.lower_)
            if g and ents[x.ent]["gender"] not in (None, g):
                continue
            if any(h[2] == x.ent and h[0] not in NOBLE for h in holders):
                return None  # named with another title: not this one
            return x.ent
        return None

    def _person_subjects(self) -> dict[int, list[tuple[int, int, bool]]]:
        """Per sentence start: (token, person entity, is subject) of the named persons in it."""
        out: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
        for x in self.ms:
            if x.label == "PERSON" and x.ent is not None:
                head = self.doc[x.end - 1]
                out[head.sent.start].append((x.start, x.ent, head.dep_ in _SUBJ_DEPS))
        return out

    def _anaphoric_holder(self, m: _M, lemma, okey, mods, ents, holders, persons_by_sent) -> int | None:
        """The person a bare definite title refers back to: a named person (preferably a subject)
        of the previous three sentences who holds no conflicting title; never one of the title's
        own sentence (there the title is someone else: "Mayorkas asked the commissioner")."""
        doc = self.doc
        lead = doc[m.start - 1].lower_ if m.start > 0 else ""
        if lead not in ("the", "this") and doc[m.start].lower_ != "the":
            return None
        sent = doc[m.start].sent
        cands: list[tuple[int, int, bool]] = []
        cur = sent
        for _ in range(3):
            if cur.start == 0:
                break
            cur = doc[cur.start - 1].sent
            cands = persons_by_sent.get(cur.start, []) + cands
            if cands:
                break
        # a person named in the title's own sentence is someone else ("Mayorkas asked the
        # commissioner", "Mayorkas said the commissioner ..."), unless named before it in a
        # subordinate clause ("As far as whether Sanders still senses anger ..., the Vermont
        # senator acknowledged ..."): then the most likely holder
        title_verb = doc[m.head].head

        def subordinate(x) -> bool:
            for a in [doc[x.end - 1], *doc[x.end - 1].ancestors]:
                if a.i == title_verb.i:
                    return False
                if a.dep_ in ("advcl", "pcomp", "csubj"):
                    return True
            return False

        here_all = [x for x in self.ms if x.ent is not None and x.label == "PERSON" and sent.start <= x.start < sent.end]
        before = [(x.start, x.ent, doc[x.end - 1].dep_ in _SUBJ_DEPS) for x in here_all
                  if x.end <= m.start and subordinate(x)]
        here = {x.ent for x in here_all} - {b[1] for b in before}
        cands = [c for c in cands if c[1] not in here] + before
        if not cands:
            return None
        g = GENDER_ROLE.get(doc[m.head].lower_)

        def conflict(ent: int) -> bool:
            if g and ents[ent]["gender"] not in (None, g):
                return True
            own = [h for h in holders if h[2] == ent]
            if okey and own and not any(h[1] == okey for h in own):
                return True  # "the chairman of the Police Federation" is not whoever spoke last
            if any(h[1] is not None and h[1] == okey and h[0] != lemma for h in own):
                return True  # "the Lib Dem chief executive" is not the Lib Dem leader
            return any(h[2] == ent and h[0] == lemma and not (mods <= h[4] or h[4] <= mods) for h in holders) or \
                any(h[0] == lemma and h[2] != ent and (okey is None or h[1] == okey) and mods <= h[4] for h in holders)

        ok = [c for c in cands if not conflict(c[1]) and ents[c[1]]["type"] == "person"]
        if not ok:
            return None
        subj = [c for c in ok if c[2]]
        return (subj or ok)[-1][1]

    def _title_and_org(self, m: _M) -> tuple[str, str | None]:
        doc = self.doc
        toks = [t for t in doc[m.start:m.end] if t.lower_ not in FORMER and t.lower_ not in ("the", "a", "an")
                and not (t.text == "-" and t.i > 0 and doc[t.i - 1].lower_ in FORMER)]
        while toks and toks[0].lower_ in _GENERIC_TITLE_MODS and toks[0].i != m.head:
            toks = toks[1:]
        title = " ".join(t.text for t in toks).replace(" - ", "-").strip(" ,")
        title = re.sub(r"\s+(['\u2019]s)\b", r"\1", title)
        org = None
        for x in self.ms:
            if x.label in ("ORG", "OUTLET", "GPE") and x.start >= m.start and x.end <= m.end and x.ent is not None \
                    and doc[x.start].lower_ not in _GENERIC_TITLE_MODS:
                org = self._ent_display_name(x)
                break
        return title, org

    def _ent_display_name(self, x: _M) -> str:
        if x.label == "OUTLET":
            return x.key.split(":", 1)[1]
        return self._org_identity(x)[1]

    def _fix_missed_surnames(self, ents) -> None:
        """Surnames of known people the NER missed become PERSON mentions."""
        doc = self.doc
        surname_of: dict[str, int] = {}
        seen: Counter = Counter()
        for idx, (first, sn, noble) in getattr(self, "_full_ents", []):
            if sn and idx not in surname_of.values():
                seen[sn] += 1
                surname_of[sn] = idx
        covered = set()
        for m in self.ms:
            if m.label in ("PERSON", "ORG", "GPE", "NORP", "OUTLET"):
                covered.update(range(m.start, m.end))
        for t in doc:
            sn = fold(t.text).lower()
            if t.i in covered or sn not in surname_of or seen[sn] != 1 or not t.is_title:
                continue
            if t.pos_ != "PROPN" or t.ent_type_ in ("DATE", "TIME", "MONEY"):
                continue
            m = self._add(_M(t.i, t.i + 1, "PERSON", t.text))
            m.ent = surname_of[sn]
        # possessive names "Mayorkas'" are tokenised with the apostrophe apart: fine as is

    def _link_org_descriptions(self, ents) -> None:
        """ "the company", "the agency", "the non-partisan charity", "the newspaper": the most
        salient organisation (outlet for media nouns) of the last three sentences, preferring one
        whose name contains the noun ("the department" -> Department of Homeland Security)."""
        doc = self.doc
        covered = {i for m in self.ms if m.label not in ("PRONOUN",) for i in range(m.start, m.end)}
        named = sorted((m for m in self.ms if m.ent is not None and m.label in ("ORG", "OUTLET")), key=lambda m: m.start)
        for t in doc:
            low = t.lemma_.lower()
            if t.pos_ != "NOUN" or t.tag_ != "NN" or t.i in covered or (low not in _ORG_NOUNS and low not in _MEDIA_NOUNS):
                continue
            det = next((c for c in t.children if c.dep_ == "det"), None)
            if det is None or det.lower_ not in ("the", "this") or det.i > t.i:
                continue
            if any(c.dep_ in ("compound", "poss") for c in t.children) or any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
                continue  # "the Labour government", "the agency's", "the department of ..." name their own
            media = low in _MEDIA_NOUNS
            sent = t.sent
            lo = sent.start
            for _ in range(3):
                if lo == 0:
                    break
                lo = doc[lo - 1].sent.start
            cands = [m for m in named if lo <= m.start < t.i and (ents[m.ent]["type"] == "outlet") == media]
            if low == "party":
                cands = [m for m in cands if "party" in ents[m.ent]["name"].lower()]
            if not cands:
                continue
            by_name = [m for m in cands if low in ents[m.ent]["name"].lower()]
            if not by_name and low in _ORG_NOUNS_BY_NAME:
                continue
            pick = (by_name or cands)[-1]
            m = self._add(_M(det.i, t.i + 1, "OUTLET" if media else "ORG", span_text(doc, det.i, t.i + 1),
                             key="desc"))
            m.ent = pick.ent

    # -- pronouns and output
    def _finish(self, ents) -> EntityAnalysis:
        doc = self.doc
        # gender from honorifics
        for m in self.ms:
            if m.label == "PERSON" and m.ent is not None and m.gender and not ents[m.ent]["gender"]:
                ents[m.ent]["gender"] = m.gender
        # else from a first name nearly all of whose bearers are of one gender ("Donald",
        # "Melanie"; not "Chris"), so that "she said" does not go to Donald Trump
        for e in ents:
            if e["type"] == "person" and not e["gender"]:
                words = e["name"].split()
                if len(words) >= 2:
                    e["gender"] = first_name_gender(words[0])
        # pronoun resolution, in text order; resolved pronouns add to their entity's salience
        self._resolve_pronouns(ents)
        pron_ante: dict[int, int] = {}
        pron_anon: dict[int, str] = {}
        anon_of: dict[int, str] = {}
        for m in self.ms:
            if m.label == "PRONOUN" and m.ent is not None and m.ent < 0:
                anon_of[id(m)] = self._anon_ref[m.ent][0]
                m.ent = None
        # drop entities nothing refers to; renumber
        used = sorted({m.ent for m in self.ms if m.ent is not None})
        remap = {old: new for new, old in enumerate(used)}
        mentions: list[Mention] = []
        aliases: dict[int, list[str]] = defaultdict(list)
        for m in sorted(self.ms, key=lambda m: (m.start, m.end)):
            if m.end <= m.start:
                continue
            s = doc[m.start].idx
            e = doc[m.end - 1].idx + len(doc[m.end - 1].text)
            ent = remap.get(m.ent) if m.ent is not None else None
            if m.label == "PRONOUN" and ent is not None:
                pron_ante[len(mentions)] = ent
            if id(m) in anon_of:
                pron_anon[len(mentions)] = anon_of[id(m)]
            mentions.append(Mention(article_id=self.article.id, text=self.article.text[s:e], start=s, end=e,
                                    label="DESCRIPTION" if m.key == "defnp" else m.label, entity=ent))
            if ent is not None and m.label in ("PERSON", "ORG", "GPE", "NORP", "OUTLET") and m.key != "desc":
                al = self.article.text[s:e]
                if al not in aliases[ent]:
                    aliases[ent].append(al)
        local: list[LocalEntity] = []
        for new_i, old in enumerate(used):
            e = ents[old]
            roles = []
            seen = set()
            for r in e["roles"]:
                k = (r.title.lower(), r.current)
                # "Secretary" says nothing "DHS Secretary" does not
                if k in seen or any(o.current == r.current and o.title.lower() != k[0]
                                    and o.title.lower().endswith(" " + k[0]) for o in e["roles"]):
                    continue
                seen.add(k)
                roles.append(r)
            al = [a for a in aliases[new_i] if a != e["name"]]
            local.append(LocalEntity(article_id=self.article.id, local_id=new_i, name=e["name"], type=e["type"],
                                     aliases=al, roles=roles, gender=e["gender"]))
        return EntityAnalysis(mentions=mentions, entities=local, text=self.article.text,
                              _anon=self.anon, _pron_ante=pron_ante, _pron_anon=pron_anon, _doc=doc)

    def _resolve_pronouns(self, ents) -> None:
        """Salience-based pronoun resolution (after Lappin & Leass 1994): each earlier mention of a
        compatible entity adds a weight (subject > other, names/titles > pronouns) halved per
        sentence of distance; binding (an object pronoun is not its clause's subject) and
        gender/number/animacy filter the candidates."""
        doc = self.doc
        sents = list(doc.sents)
        sent_of = self._sentence_numbers()
        # Quoted words are the speaker's voice, not the reporter's: for a pronoun outside quotes
        # ('"Howard and Kennedy want a debate," he said') a name inside a quotation is a weak
        # antecedent (see _pick).
        quoted = sorted((s, e) for group in find_quote_spans(self.article.text) for s, e in group)
        q_starts = [s for s, _ in quoted]

        def in_quote(tok_i: int) -> bool:
            off = doc[tok_i].idx
            k = bisect.bisect_right(q_starts, off) - 1
            return k >= 0 and quoted[k][0] <= off < quoted[k][1]

        self._in_quote = in_quote
        items = []  # (start token, sentence, entity, weight, head token)
        for m in self.ms:
            if m.ent is None or m.label == "PRONOUN":
                continue
            head = doc[m.head] if (m.label == "TITLE" and m.head >= 0) else doc[m.end - 1]
            while head.dep_ in ("compound", "flat", "punct") and head.head.i > head.i and head.head.i < len(doc):
                if head.head.i >= m.end + 3:
                    break
                head = head.head
            items.append([m.start, sent_of[m.start], m.ent, self._weight(head, m.label), head.i])
        # singular anonymous people ("a Labour Party spokesman") can be antecedents too: they get
        # negative pseudo-entity ids, and a pronoun resolved to one is anonymous
        self._anon_ref: dict[int, tuple[str, str | None]] = {}
        anon_by_head = {a[3]: a for a in self.anon}
        for m in self.ms:
            if m.label == "TITLE" and m.key == "anon" and m.head >= 0 and doc[m.head].tag_ == "NN" \
                    and doc[m.head].dep_ in _SUBJ_DEPS:
                a = anon_by_head.get(doc[m.head].idx)
                if a is None:
                    continue
                pid = -1 - len(self._anon_ref)
                self._anon_ref[pid] = (a[2], GENDER_ROLE.get(doc[m.head].lower_))
                items.append([m.start, sent_of[m.start], pid, self._weight(doc[m.head], "TITLE") * 0.6, m.head])
        items.sort()
        prons = sorted((m for m in self.ms if m.label == "PRONOUN"), key=lambda m: m.start)
        # gender constraints come from honorifics and gendered nouns only; the pronouns' votes
        # decide an unknown gender afterwards (a first wrong guess must not lock it)
        votes: dict[int, Counter] = defaultdict(Counter)
        for m in prons:
            if m.key == "defnp":  # "the New York businessman": the noun's gender, singular
                tok = doc[m.head]
                gender, number = m.gender, "sg"
            else:
                tok = doc[m.start]
                gender, number = _PRONOUNS[tok.lower_]
            sp = sent_of[m.start]
            ent = self._pick(m, tok, gender, number, sp, items, ents, sents, sent_of)
            m.ent = ent
            if ent is not None and ent >= 0:
                if gender and ents[ent]["type"] == "person":
                    votes[ent][gender] += 1
                bisect.insort(items, [m.start, sp, ent, self._weight(tok, "PRONOUN"), tok.i])
        for ent, v in votes.items():
            if not ents[ent]["gender"]:
                (g, n), *rest = v.most_common()
                if not rest or n > rest[0][1]:
                    ents[ent]["gender"] = g

    @staticmethod
    def _weight(head, label: str) -> float:
        w = 50.0
        dep = head.dep_
        if dep in _SUBJ_DEPS:
            w = 100.0
        elif dep in ("dobj", "dative", "attr", "appos"):
            w = 60.0
        elif dep == "poss":
            w = 45.0
        if label == "PRONOUN":
            w *= 0.8
        # mentions inside adverbial/relative clauses are less salient than main-clause ones
        if any(a.dep_ in ("advcl", "relcl", "acl", "pcomp") for a in head.ancestors):
            w *= 0.7
        return w

    def _pick(self, m, tok, gender, number, sp, items, ents, sents, sent_of) -> int | None:
        doc = self.doc

        def compatible(ent: int) -> bool:
            if ent < 0:
                return number == "sg" and self._anon_ref[ent][1] in (None, gender)
            e = ents[ent]
            if number == "sg":
                return e["type"] == "person" and e["gender"] in (None, gender)
            if number == "it":
                return e["type"] in ("organisation", "outlet", "place")
            return e["type"] in ("organisation", "group", "outlet")

        window = 2 if number in ("it", "pl") else 8
        # binding: a non-reflexive object pronoun is not the subject of its own verb
        banned = set()
        if tok.dep_ in ("dobj", "dative", "pobj") and not tok.lower_.endswith("self"):
            verb = tok.head if tok.dep_ != "pobj" else tok.head.head
            for it in items:
                h = doc[it[4]]
                if h.head.i == verb.i and h.dep_ in _SUBJ_DEPS:
                    banned.add(it[2])
        # cataphora: "In his New Year message the Liberal Democrat leader said ..."
        if tok.dep_ == "poss":
            subj = [it for it in items if it[1] == sp and it[0] > m.start and doc[it[4]].dep_ in _SUBJ_DEPS
                    and doc[it[4]].head == sents[sp].root]
            if subj and not any(it[1] == sp and it[0] < m.start and compatible(it[2]) for it in items) \
                    and compatible(subj[0][2]) and tok.head.i < subj[0][0]:
                return subj[0][2]
        # an entity's salience: its most salient recent mention, plus a little for each other one
        best: dict[int, float] = defaultdict(float)
        total: dict[int, float] = defaultdict(float)
        last: dict[int, int] = {}
        hi = bisect.bisect_left(items, [m.start])
        lo = hi
        while lo > 0 and sp - items[lo - 1][1] <= window:
            lo -= 1
        pron_quoted = self._in_quote(tok.i)
        for it in items[lo:hi]:
            start, si, ent, w, head_i = it
            if ent in banned or not compatible(ent):
                continue
            v = w * (0.5 ** (sp - si))
            if not pron_quoted and self._in_quote(head_i):
                v *= _QUOTED_ANTECEDENT
            best[ent] = max(best[ent], v)
            total[ent] += v
            last[ent] = start
        scores: dict[int, float] = {e: best[e] + 0.1 * total[e] for e in best}
        if not scores and number == "sg":
            # nothing close: the most mentioned compatible person so far
            scores = defaultdict(float)
            for it in items:
                if it[0] < m.start and it[2] not in banned and compatible(it[2]):
                    scores[it[2]] += 1.0
                    last[it[2]] = it[0]
        if not scores:
            return None
        return max(scores, key=lambda e: (scores[e], last[e]))


# Salience factor of a mention inside a quotation for a pronoun outside it (the reporter's "he"
# rarely points into the words it attributes); the mention still counts, so a pronoun with no
# other candidate resolves as before.
_QUOTED_ANTECEDENT = 0.25
# People nouns too plain to point back to a named person ("the man said": usually someone unnamed).
_PLAIN_PEOPLE = frozenset("man woman person boy girl child kid guy lady gentleman people".split())

