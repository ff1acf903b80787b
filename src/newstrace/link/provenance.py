"""The last step of :func:`~newstrace.link.core.link_articles`: provenance records (which article
and outlet carried a quote group or a figure first, and through whom: :func:`build_provenance`,
streamed to the store), citations of outlets and sources by articles (:func:`find_citations`), and
figures within one story that no single value satisfies (:func:`find_figure_conflicts`). It reads
the quote groups, stories and docs the earlier steps made.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any


from ..models import QuoteGroup
from ..rows import Rows
from .conflicts import conflicting_figures, figure_context, sentence_around
from .features import ArticleDoc, order_key
from .text import canonical_words, hash_id


class _ByArticle:
    """Row dicts of a :class:`Rows` by article id; rows kept as numbers until asked for."""

    def __init__(self, rows: Rows):
        self.rows = rows
        self.index: dict[Any, array] = defaultdict(lambda: array("q"))
        aid = rows.col("article_id")
        for r in range(len(rows)):
            self.index[aid[r]].append(r)

    def get(self, article_id: Any, default: Any = ()) -> list[dict[str, Any]] | Any:
        rs = self.index.get(article_id)
        return [self.rows[r] for r in rs] if rs else default


def build_provenance(groups: Sequence[QuoteGroup], quotes_by_id: Mapping[str, dict[str, Any]], claims: Rows,
                     attributions: Rows, docs_by_id: dict[str, ArticleDoc],
                     story_of: dict[str, str], *, only: set[str] | None = None) -> Iterator[dict[str, Any]]:
    """Provenance records, one at a time: one per quote group and per distinct figure in a story
    (about nine a million-article corpus's article; streamed to the store, not held, issue #5);
    given ``only`` (article ids: whole stories), the figures of those articles only (issue #16)."""

    def carriers(aids: Iterable[str]) -> list[ArticleDoc]:
        return sorted({docs_by_id[a] for a in aids if a in docs_by_id}, key=order_key)

    def record(item_type: str, item_id: str, arts: list[ArticleDoc], via: list[str]) -> dict[str, Any]:
        first = arts[0]
        outlets: list[str | None] = []
        for d in arts:
            if d.outlet not in outlets:
                outlets.append(d.outlet)
        return dict(item_type=item_type, item_id=item_id, first_article=first.id, first_outlet=first.outlet,
                    first_published=first.published, outlets=outlets, via=via)

    attr_by_article = _ByArticle(attributions)

    def sourced_by(article_id: str, start: Any, end: Any) -> list[str]:
        # outlets/documents an attribution in the same stretch of text credits ("according to X")
        if start is None:
            return []
        end = end if end is not None else start
        return [a["source"] for a in attr_by_article.get(article_id, ())
                if a.get("source") and a.get("source_kind") in ("outlet", "document") and a.get("start") is not None
                and a["start"] <= end and start <= (a.get("end") or a["start"])]

    for g in groups:
        qs = [quotes_by_id[q] for q in g.quote_ids if q in quotes_by_id]
        arts = carriers(q["article_id"] for q in qs)
        if not arts:
            continue
        order = {d.id: i for i, d in enumerate(arts)}
        via: list[str] = []
        for q in sorted(qs, key=lambda q: (order.get(q["article_id"], 0), str(q["id"]))):
            for v in ([q["via"]] if q.get("via") else []) + sourced_by(q["article_id"], q.get("start"), q.get("end")):
                if canonical_words(v) not in {canonical_words(x) for x in via}:
                    via.append(v)
        yield record("quote_group", g.id, arts, via)

    # claims by (story, kind, value, unit), as row numbers: a million articles carry ~9 million
    groups_c: dict[tuple, array] = defaultdict(lambda: array("q"))
    c_aid, c_kind, c_date, c_value, c_unit = (claims.col(k) for k in ("article_id", "kind", "date", "value", "unit"))
    for r in range(len(claims)):
        if c_aid[r] not in docs_by_id or only is not None and c_aid[r] not in only:
            continue
        val = c_date[r] if c_kind[r] == "date" else c_value[r]
        if val is None:
            continue
        key = (story_of.get(c_aid[r]), c_kind[r], str(val), (c_unit[r] or "").lower())
        groups_c[key].append(r)
    for key in sorted(groups_c, key=lambda k: tuple(str(x) for x in k)):
        cs = [claims[r] for r in groups_c.pop(key)]
        arts = carriers(c["article_id"] for c in cs)
        first_cs = sorted((c for c in cs if c["article_id"] == arts[0].id), key=lambda c: str(c["id"]))
        via: list[str] = []
        for c in cs:
            for a in attr_by_article.get(c["article_id"], ()):
                if a.get("source_kind") in ("outlet", "document", "person", "organisation") and \
                        a.get("start") is not None and a["start"] <= (c.get("start") or 0) < a.get("end", 0):
                    if a["source"] not in via:
                        via.append(a["source"])
            by = c.get("asserted_by")
            own = {canonical_words(d.outlet) for d in arts}
            if by and canonical_words(by) not in own and by not in via:
                via.append(by)
        yield record("claim", str(first_cs[0]["id"]), arts, via)


def find_citations(quotes: Rows, attributions: Rows,
                   docs_by_id: dict[str, ArticleDoc]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    counts: Counter[tuple[str, str]] = Counter()
    kinds: dict[tuple[str, str], str] = {}
    display: dict[str, str] = {}
    a_aid, a_named, a_kind, a_source = (attributions.col(k) for k in ("article_id", "named", "source_kind", "source"))
    for r in range(len(attributions)):
        # a row that does not say whether its source is named counts as named
        if a_named[r] is not None and not a_named[r] or a_kind[r] in ("anonymous", "unknown") or not a_source[r]:
            continue
        key = (a_aid[r], canonical_words(a_source[r]))
        counts[key] += 1
        kinds.setdefault(key, a_kind[r] or "outlet")
        display.setdefault(key[1], a_source[r])
    q_aid, q_via = quotes.col("article_id"), quotes.col("via")
    for r in range(len(quotes)):
        if q_via[r]:
            key = (q_aid[r], canonical_words(q_via[r]))
            counts[key] += 1
            kinds.setdefault(key, "outlet")
            display.setdefault(key[1], q_via[r])
    citations = [dict(article_id=aid, cited=display[c], kind=kinds[(aid, c)], count=n)
                 for (aid, c), n in sorted(counts.items()) if c]
    oc: Counter[tuple[str, str]] = Counter()
    for (aid, c), n in counts.items():
        d = docs_by_id.get(aid)
        if not d or not d.outlet or kinds[(aid, c)] != "outlet" or canonical_words(d.outlet) == c:
            continue
        oc[(d.outlet, display[c])] += n
    outlet_citations = [dict(from_outlet=f, to_outlet=t, count=n) for (f, t), n in sorted(oc.items())]
    return citations, outlet_citations


def find_figure_conflicts(claims: Rows, docs_by_id: dict[str, ArticleDoc],
                          story_of: dict[str, str]) -> list[dict[str, Any]]:
    by_story: dict[str, array] = defaultdict(lambda: array("q"))  # row numbers, not row dicts (issue #5)
    c_aid, c_value, c_kind = (claims.col(k) for k in ("article_id", "value", "kind"))
    for r in range(len(claims)):
        sid = story_of.get(c_aid[r])
        # figures without a "what" too: the same-slot rule compares them (issue #17)
        if sid and c_value[r] is not None and c_kind[r] != "date":
            by_story[sid].append(r)
    out = []
    for sid in sorted(by_story):
        cs = sorted((claims[r] for r in by_story.pop(sid)), key=lambda c: str(c["id"]))
        # issue #17: the same quantity of the same event at the same time, from two articles
        sentence_of = lambda c: sentence_around(docs_by_id[c["article_id"]].text,  # noqa: E731
                                                 c.get("start"), c.get("end"))
        for b in conflicting_figures(cs, sentence_of=sentence_of,
                                     published_of=lambda c: docs_by_id[c["article_id"]].published):
            b.sort(key=lambda c: (order_key(docs_by_id[c["article_id"]]), str(c["id"])))
            figures = [dict(article_id=c["article_id"], text=c.get("text"), value=c.get("value"),
                            qualifier=c.get("qualifier"), asserted_by=c.get("asserted_by"),
                            sentence=sentence_around(docs_by_id[c["article_id"]].text, c.get("start"), c.get("end")))
                       for c in b]
            out.append(dict(id=hash_id("fc", sid, *sorted(str(c["id"]) for c in b)), story_id=sid,
                            what=next((c["what"] for c in b if c.get("what")), None)
                            or figure_context(b[0], figures[0]["sentence"]), figures=figures))
    return out

