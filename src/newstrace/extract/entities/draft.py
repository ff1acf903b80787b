"""The working state of one article's entity analysis, shared by the step modules.

:class:`EntityDraft` is what the steps of :func:`~newstrace.extract.entities.analyze_entities`
read and write, in order: the spaCy parse and the article, the mentions found so far
(:class:`DraftMention`, token offsets, grown by the ``mentions``, ``titles`` and ``pronouns`` steps
and labelled with entities by ``coref``), the tokens names already cover, the anonymous
descriptions, the acronyms the article defines, and what later steps need from earlier ones (the
full names grouped, the sentence numbers, the anonymous antecedents of pronouns). The helpers
here are the few several step modules share: adding a mention, sentence numbers, creating an
entity record, the subject dependency labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...models import Article
from ..doc_index import doc_index

# Dependency labels of a clause's subject (and the agent of a passive).
SUBJECT_OR_AGENT_DEPS = {"nsubj", "nsubjpass", "csubj", "agent"}


@dataclass
class DraftMention:
    """A mention while the analysis runs: token offsets, label, and the entity once grouped."""

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


@dataclass
class EntityDraft:
    """The state the entity steps share for one article; each step reads what earlier ones wrote."""

    doc: Any  # the spaCy Doc of article.text
    article: Article
    mentions: list[DraftMention] = field(default_factory=list)  # in the order found
    taken: set[int] = field(default_factory=set)  # tokens inside a name/org/outlet mention
    # anonymous descriptions: (start, end, description, head start, head lemma), character offsets
    anon: list[tuple[int, int, str, int, str]] = field(default_factory=list)
    acro_long: dict[str, str] = field(default_factory=dict)  # acronym -> long org key (from the article)
    left_role: set[int] = field(default_factory=set)  # role tokens whose holder left the role
    # (entity, (first, surname, noble)) of the full person names, written by coref.group_mentions
    full_ents: list[tuple[int, tuple]] = field(default_factory=list)
    sent_no: list[int] | None = None  # sentence number of each token, see sentence_numbers()
    # pseudo-entity id (negative) -> (description, gender) of singular anonymous antecedents,
    # written by pronouns.resolve_pronouns
    anon_ref: dict[int, tuple[str, str | None]] = field(default_factory=dict)


def add_mention(draft: EntityDraft, m: DraftMention) -> DraftMention:
    """Append a mention; a name, organisation or outlet takes its tokens (titles and pronouns do not)."""
    draft.mentions.append(m)
    if m.label not in ("TITLE", "PRONOUN"):
        draft.taken.update(range(m.start, m.end))
    return m


def sentence_numbers(draft: EntityDraft) -> list[int]:
    """Sentence number of each token (computed once)."""
    if draft.sent_no is None:
        draft.sent_no = doc_index(draft.doc).sent_no
    return draft.sent_no


def new_entity(ents: list[dict[str, Any]], by_key: dict[str, int], type_: str, name: str, key: str) -> int:
    """Append an entity record under its grouping key and return its index."""
    ents.append(dict(type=type_, name=name, aliases=[], roles=[], gender=None, keys={key},
                     first=None, full=[]))
    by_key[key] = len(ents) - 1
    return len(ents) - 1
