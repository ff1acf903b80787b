"""The static report: a self-contained HTML site rendered from a newstrace database.

The only module that renders HTML; its Jinja templates and the CSS/JS it copies sit next to it
in ``templates/`` and ``static/``. Every value from the database is untrusted article content:
templates autoescape everything, no article text is ever marked safe, links from articles are
only emitted as ``href`` when their scheme is http or https, and highlighted text is built from
separately escaped pieces. The search index is embedded as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped.

>>> from newstrace.present import write_report
>>> index = write_report("story.db", "report/")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from ..sanitize import BIDI_CONTROLS
from ..store import queries
from ..version import __version__

# Package data of newstrace.present (pyproject's package-data), installed next to this file.
_HERE = Path(__file__).resolve().parent
TEMPLATES = _HERE / "templates"
STATIC = _HERE / "static"

# Quotes in the search index are capped so a very large database still gives a usable page.
MAX_INDEX_QUOTES = 20000
# Entries of any kind in the search index (articles and people past this are left out).
MAX_INDEX_ENTRIES = 60000
# Nodes drawn in one provenance graph (the most connected are kept).
MAX_GRAPH_NODES = 60


def write_report(db_path: str | Path, out_dir: str | Path, *, title: str | None = None) -> Path:
    """Write the static report of a database to a folder.

    Args:
        db_path: the SQLite file written by ``newstrace analyze``.
        out_dir: folder to write the site to (created; existing report files are overwritten).
        title: title of the front page (default: "newstrace report").
    Returns:
        The path of ``index.html``.
    Raises:
        NewstraceError: the database is missing or is not a newstrace database.

    >>> write_report("story.db", "report/")  # doctest: +SKIP
    PosixPath('report/index.html')
    """
    conn = queries.connect(db_path)
    try:
        return _Site(conn, Path(out_dir), title or "newstrace report").build()
    finally:
        conn.close()


# -- helpers used by the templates ------------------------------------------------------------
def isolate_bidi(value: Any) -> Any:
    """Every ``{{ value }}`` of the templates (jinja2 ``finalize``): a string holding bidi
    controls (U+202E in a name) is wrapped in FSI ... PDI, which confines them to it, so they
    cannot reverse the report's own text around it (issue #18); other values unchanged."""
    if isinstance(value, str) and not isinstance(value, Markup) and any(c in value for c in BIDI_CONTROLS):
        return "\u2068" + value + "\u2069"
    return value


def _write_file(path: Path, data: bytes) -> None:
    # A new file moved over the name: a symlink already at that name is replaced, never
    # written through (issue #18: `report -o DIR` wrote wherever DIR's links pointed).
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def safe_url(url: Any) -> str | None:
    """The URL when its scheme is http or https (safe as an href), else None.

    Args:
        url: a URL taken from an article or post (untrusted).
    Returns:
        The stripped URL, or None for any other scheme, a missing host or control characters.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(c) < 32 or c in "\\" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None


def script_json(data: Any) -> Markup:
    """JSON safe to embed in a ``<script type="application/json">`` element.

    Args:
        data: anything :func:`json.dumps` accepts.
    Returns:
        Markup in which ``<``, ``>``, ``&`` and the JS line separators are ``\\u`` escapes, so
        no string in the data can close the element or open a comment.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)  # every character that could end the element is escaped above


# Claim.qualifier values as a reader says them.
QUALIFIER_LABELS = {"approx": "about", "over": "more than", "under": "less than", "at_least": "at least",
                    "at_most": "at most", "up_to": "up to"}


def slug(value: Any) -> str:
    """A file-name-safe slug for an id.

    Args:
        value: a record id.
    Returns:
        The id itself when it is already ``[A-Za-z0-9_-]{1,80}``, else a cleaned prefix plus a
        hash of the id (distinct ids stay distinct).
    """
    s = str(value)
    if re.fullmatch(r"[A-Za-z0-9_-]{1,80}", s):
        return s
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", s).strip("-")[:48]
    return f"{base or 'id'}-{hashlib.sha1(s.encode('utf-8')).hexdigest()[:10]}"


def _short(text: Any, n: int = 90) -> str:
    s = re.sub(r"\s+", " ", str(text or "")).strip()
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


_MONTH_NAMES = ("January February March April May June July August September October November "
                "December").split()


def story_event(arts: list[dict[str, Any]], top: int = 5) -> dict[str, Any]:
    """When, who and where of a story's event: the event date most of its articles give, and the
    people and places their leads name most (``articles.event_*``, issue #16)."""
    def ranked(key: str) -> list[str]:
        counts: dict[str, int] = defaultdict(int)
        for a in arts:
            value = a.get(key) or []
            for name in [value] if isinstance(value, str) else value:
                counts[name] += 1
        return sorted(counts, key=lambda n: (-counts[n], n))[:top]
    dates = ranked("event_date")
    return dict(date=dates[0] if dates else None, participants=ranked("event_participants"),
                places=ranked("event_places"))


def _date(value: Any) -> str:
    """A date as a reader reads it: ISO dates as they are, "--03" (a month without its year) as
    "March (year not given)" (issue #17: the timeline showed "--03")."""
    if not value:
        return ""
    s = str(value)
    m = re.fullmatch(r"--(\d\d)(?:-(\d\d))?", s[:8])
    if m and 1 <= int(m.group(1)) <= 12:
        month = _MONTH_NAMES[int(m.group(1)) - 1]
        return (f"{int(m.group(2))} {month}" if m.group(2) else month) + " (year not given)"
    return s[:10]


def _article_label(art: dict[str, Any] | None) -> str:
    """How a person names an article: "Outlet — Headline", else the headline or the outlet; the
    file name only when the article has neither (issue #17)."""
    if not art:
        return "unknown article"
    outlet, title = art.get("outlet"), art.get("title")
    if outlet and title:
        return f"{outlet} — {_short(title, 80)}"
    if title or outlet:
        return _short(title, 90) if title else str(outlet)
    return Path(str(art.get("source") or art.get("id") or "?")).name


def _article_name(art: dict[str, Any] | None) -> str:
    """A short name of an article for tight places (graph nodes, one-line summaries): the
    outlet, else the headline, else the file name."""
    if not art:
        return "unknown article"
    return str(art.get("outlet") or _short(art.get("title"), 60) or Path(str(art.get("source") or art.get("id") or "?")).name)


def _plural(count: Any, noun: str) -> str:
    """'1 article', '2 articles' (issue #17: "1 articles")."""
    n = count if isinstance(count, int) else len(count or [])
    if n == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return f"{n} {plural}"


_LINK_PHRASES = {"duplicate": "a copy of", "rewrite": "a rewrite of", "derived": "derived from",
                 "spin": "a spin of", "same-story": "on the same story as"}


def _link_phrase(kind: Any) -> str:
    return _LINK_PHRASES.get(str(kind), f"{kind} of")


def _name_of(value: Any, key: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get(key) or value.get("outlet") or value.get("name") or "outlet not named")
    return "outlet not named" if value is None else str(value)


_TOKEN = re.compile(r"\S+\s*")
_NORM = re.compile(r"[\W_]+")


def _norm_token(tok: str) -> str:
    return _NORM.sub("", tok.lower().replace("\u2019", "'"))


def word_diff(reference: str, variant: str) -> list[dict[str, Any]]:
    """A word-level diff of a variant against the reference wording.

    Args:
        reference: the reference wording of a quote.
        variant: another article's wording.
    Returns:
        Pieces ``{"op": "eq"|"del"|"ins", "text": str, "figure": bool}`` in reading order; a
        piece is a ``figure`` when a changed word holds a digit (a drifted number).
    """
    a, b = _TOKEN.findall(reference or ""), _TOKEN.findall(variant or "")
    sm = difflib.SequenceMatcher(a=[_norm_token(t) for t in a], b=[_norm_token(t) for t in b], autojunk=False)
    out: list[dict[str, Any]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(dict(op="eq", text="".join(b[j1:j2]), figure=False))
            continue
        if i2 > i1:
            t = "".join(a[i1:i2])
            out.append(dict(op="del", text=t, figure=any(c.isdigit() for c in t)))
        if j2 > j1:
            t = "".join(b[j1:j2])
            out.append(dict(op="ins", text=t, figure=any(c.isdigit() for c in t)))
    return out


def highlight(text: str, spans: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split an article's text into paragraphs of pieces, each with the annotations covering it.

    Args:
        text: the clean text.
        spans: dicts with start, end, cls, tip and optional anchor (an element id for the first piece).
    Returns:
        One list per paragraph of ``{"text", "cls", "tip", "anchor"}`` pieces; the template
        escapes each piece's text and attributes separately.
    """
    spans = [s for s in spans if isinstance(s.get("start"), int) and isinstance(s.get("end"), int)
             and 0 <= s["start"] < s["end"] <= len(text)]
    paragraphs = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]*)*", text):
        ps, pe = m.start(), m.end()
        if not text[ps:pe].strip():
            continue
        inside = [s for s in spans if s["start"] < pe and s["end"] > ps]
        cuts = sorted({ps, pe} | {min(max(x, ps), pe) for s in inside for x in (s["start"], s["end"])})
        pieces = []
        seen_anchor: set[str] = set()
        for a, b in zip(cuts, cuts[1:]):
            if a >= b:
                continue
            cover = [s for s in inside if s["start"] <= a and s["end"] >= b]
            anchor = None
            for s in cover:
                if s.get("anchor") and s["start"] == a and s["anchor"] not in seen_anchor:
                    anchor = s["anchor"]
                    seen_anchor.add(anchor)
                    break
            cls = " ".join(dict.fromkeys(c for s in cover for c in s["cls"].split()))
            tip = " · ".join(dict.fromkeys(s["tip"] for s in cover if s.get("tip")))
            pieces.append(dict(text=text[a:b], cls=cls, tip=tip, anchor=anchor))
        paragraphs.append(pieces)
    return paragraphs


def provenance_graph(arts: list[dict[str, Any]], links: list[dict[str, Any]],
                     citations: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Lay out the provenance graph of a story: cited sources, then articles by date, in layers.

    Args:
        arts: the story's articles (publication order).
        links: links among them (a is the earlier / source article).
        citations: what they cite.
    Returns:
        ``{"width", "height", "nodes", "edges"}`` with coordinates for the SVG template, or None
        when there is nothing to draw.
    """
    art_ids = {a["id"] for a in arts}
    own_outlets = {(a.get("outlet") or "").lower() for a in arts if a.get("outlet")}
    degree: dict[str, int] = defaultdict(int)
    links = [link for link in links if link.get("kind") != "same-story"]
    for link in links:
        degree[link["a"]] += 2
        degree[link["b"]] += 2
    cited_edges = []
    for c in citations:
        if c.get("kind") not in (None, "outlet", "document") or not c.get("cited"):
            continue
        if str(c["cited"]).lower() in own_outlets:
            continue
        cited_edges.append(c)
        degree[c["article_id"]] += 1
    if not links and not cited_edges and len(arts) < 2:
        return None
    keep = sorted(arts, key=lambda a: -degree[a["id"]])[:MAX_GRAPH_NODES]
    keep_ids = {a["id"] for a in keep}
    keep = [a for a in arts if a["id"] in keep_ids]
    sources = sorted({str(c["cited"]) for c in cited_edges if c["article_id"] in keep_ids},
                     key=lambda s: (-sum(1 for c in cited_edges if c["cited"] == s), s))[:MAX_GRAPH_NODES // 3]
    layers: list[list[dict[str, Any]]] = []
    if sources:
        layers.append([dict(key="src:" + s, label=_short(s, 24), sub="cited source", full=s, kind="source", href=None)
                       for s in sources])
    by_date: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in keep:
        by_date[_date(a.get("published")) or "undated"].append(a)
    for d in sorted(by_date, key=lambda d: (d == "undated", d)):
        layers.append([dict(key=a["id"], label=_short(_article_name(a), 24), sub=d,
                            full=_article_label(a), kind="article",
                            href=f"../articles/{slug(a['id'])}.html") for a in by_date[d]])
    pairs = [("src:" + str(c["cited"]), c["article_id"]) for c in cited_edges]
    pairs += [(link["a"], link["b"]) for link in links if link["a"] in art_ids and link["b"] in art_ids]
    _order_layers(layers, pairs)
    col_w, node_w, node_h, gap, pad = 250, 200, 46, 18, 16
    height = pad * 2 + max(len(layer) for layer in layers) * (node_h + gap) - gap
    pos: dict[str, dict[str, Any]] = {}
    nodes = []
    for li, layer in enumerate(layers):
        offset = (height - pad * 2 - (len(layer) * (node_h + gap) - gap)) / 2
        for ni, node in enumerate(layer):
            node.update(x=pad + li * col_w, y=round(pad + offset + ni * (node_h + gap)), w=node_w, h=node_h)
            pos[node["key"]] = node
            nodes.append(node)
    edges = []

    def edge(src: str, dst: str, kind: str, label: str) -> None:
        s, d = pos.get(src), pos.get(dst)
        if not s or not d:
            return
        if s["x"] == d["x"]:  # same layer: arc out to the right
            x1, y1 = s["x"] + s["w"], s["y"] + s["h"] / 2
            x2, y2 = d["x"] + d["w"], d["y"] + d["h"] / 2
            bend = 40 + abs(y2 - y1) / 4
            path = f"M{x1},{y1} C{x1 + bend},{y1} {x2 + bend},{y2} {x2 + 6},{y2}"
            lx, ly = x1 + bend * 0.75, (y1 + y2) / 2
        else:
            if s["x"] > d["x"]:
                s, d = d, s
            x1, y1 = s["x"] + s["w"], s["y"] + s["h"] / 2
            x2, y2 = d["x"], d["y"] + d["h"] / 2
            mx = (x1 + x2) / 2
            path = f"M{x1},{y1} C{mx},{y1} {mx},{y2} {x2 - 6},{y2}"
            lx, ly = mx, (y1 + y2) / 2
        # each edge also as a table row beside the drawing, which stays readable when many
        # edges fan into one node (issue #17: unreadable past six outlets)
        src_node, dst_node = pos[src], pos[dst]
        edges.append(dict(path=path, kind=kind, label=label, lx=round(lx), ly=round(ly) - 4,
                          src=dict(full=src_node["full"], href=src_node["href"], sub=src_node["sub"]),
                          dst=dict(full=dst_node["full"], href=dst_node["href"], sub=dst_node["sub"])))

    for c in cited_edges:
        edge("src:" + str(c["cited"]), c["article_id"], "cites", "")
    for link in links:
        if link["a"] in art_ids and link["b"] in art_ids and link.get("kind") != "same-story":
            edge(link["a"], link["b"], str(link.get("kind") or "link"), str(link.get("kind") or "link"))
    width = pad * 2 + (len(layers) - 1) * col_w + node_w + 60
    return dict(width=width, height=height, nodes=nodes, edges=edges)


def _order_layers(layers: list[list[dict[str, Any]]], pairs: list[tuple[str, str]]) -> None:
    """Reorder nodes within layers by the mean position of their neighbours (fewer crossings)."""
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        neighbours[a].append(b)
        neighbours[b].append(a)
    for sweep in range(2):
        order = range(1, len(layers)) if sweep == 0 else range(len(layers) - 2, -1, -1)
        for li in order:
            # relative positions in every other layer (edges may skip layers)
            pos = {n["key"]: (i + 0.5) / len(other) for lj, other in enumerate(layers) if lj != li
                   for i, n in enumerate(other)}

            def centre(node: dict[str, Any], i: int, size: int = len(layers[li])) -> float:
                near = [pos[k] for k in neighbours[node["key"]] if k in pos]
                return sum(near) / len(near) if near else (i + 0.5) / size

            keyed = [(centre(n, i), i, n) for i, n in enumerate(layers[li])]
            layers[li][:] = [n for _, _, n in sorted(keyed, key=lambda t: (t[0], t[1]))]


def conflict_view(c: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A figure_conflicts row for the template: its figures with their articles and qualifier words."""
    figs = []
    for f in c.get("figures") if isinstance(c.get("figures"), list) else []:
        if isinstance(f, dict):
            # a figure's text is the number only: "more than" lives in its qualifier
            figs.append(dict(f, article=by_id.get(f.get("article_id") or ""),
                             qualifier_label=QUALIFIER_LABELS.get(f.get("qualifier") or "")))
        else:
            figs.append(dict(text=str(f), article=None))
    return dict(c, figures_list=figs)


# -- the site -----------------------------------------------------------------------------------
def _index_quotes(index: list[dict[str, Any]], speakers: list[dict[str, Any]], room: int) -> int:
    """Add to the search ``index`` every wording of the speakers' quotes and quote groups, so a
    search for a reworded variant finds it (issue #17), at most ``room`` of them; returns how many."""
    added = 0
    for s in speakers:
        for it in s["items"]:
            qs = [it["quote"]] if it.get("quote") else [v["quote"] for v in it["group"]["variants"]]
            seen_text: set[str] = set()
            for q in qs:
                if added >= room:
                    return added  # the index is full: nothing more is shortened for it
                text = _short(q.get("text"), 200)
                if text in seen_text:
                    continue
                seen_text.add(text)
                added += 1
                index.append(dict(t="quote", l=text, s=s["name"],
                                  u=f"articles/{slug(q['article_id'])}.html#q-{slug(q['id'])}"))
    return added


class _Site:
    def __init__(self, conn: Any, out: Path, title: str):
        from jinja2 import Environment, FileSystemLoader

        self.conn, self.out, self.title = conn, out, title
        self.env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                               trim_blocks=True, lstrip_blocks=True, finalize=isolate_bidi)
        self.env.filters.update(safe_url=safe_url, slug=slug, short=_short, date=_date,
                                article_label=_article_label, script_json=script_json,
                                link_phrase=_link_phrase, plural=_plural,
                                article_name=_article_name)
        self.env.globals.update(site_title=title, version=__version__)
        self.index: list[dict[str, Any]] = []
        self.written_articles: set[str] = set()
        self.person_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.n_quotes_indexed = 0
        self.group_index = queries.quote_group_index(conn)

    def render(self, template: str, path: Path, **ctx: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_file(path, self.env.get_template(template).render(**ctx).encode("utf-8"))

    def build(self) -> Path:
        for sub in ("stories", "articles", "people", "static"):
            if (self.out / sub).is_symlink():  # a planted link to a folder elsewhere: not entered
                (self.out / sub).unlink()
            (self.out / sub).mkdir(parents=True, exist_ok=True)
        for f in STATIC.iterdir():
            if f.is_file():
                _write_file(self.out / "static" / f.name, f.read_bytes())
        stories = queries.stories(self.conn)
        cards = [self.story(s) for s in stories]
        people = self.people()
        index = self.out / "index.html"
        self.render("index.html", index, root="", page_title=self.title, stories=cards, people=people,
                    counts=queries.counts(self.conn), search_index=self.index,
                    capped=self.n_quotes_indexed >= MAX_INDEX_QUOTES or len(self.index) >= MAX_INDEX_ENTRIES)
        return index

    # -- a story ---------------------------------------------------------------------------------
    def story(self, story: dict[str, Any]) -> dict[str, Any]:
        ids = list(story["article_ids"])
        arts = queries.articles(self.conn, ids)
        by_id = {a["id"]: a for a in arts}
        quotes = queries.quotes_in(self.conn, ids)
        attributions = queries.attributions_in(self.conn, ids)
        claims = queries.claims_in(self.conn, ids)
        posts = queries.posts_in(self.conn, ids)
        links = queries.links_among(self.conn, ids)
        citations = queries.citations_in(self.conn, ids)
        entities = queries.entities_in(self.conn, ids)
        groups = queries.quote_groups_for(self.conn, [q["id"] for q in quotes], self.group_index)
        prov = queries.provenance_for(self.conn, ids)
        conflicts = queries.figure_conflicts_for(self.conn, story["id"])
        q_by_id = {q["id"]: q for q in quotes}
        # Quotes of a group may sit in articles of another story: fetch the missing ones.
        missing = [qid for g in groups for qid in g["quote_ids"] if qid not in q_by_id]
        extra = queries.quotes_by_id(self.conn, missing) if missing else {}
        for q in quotes:
            a = by_id.get(q["article_id"], {})
            q.update(article_outlet=a.get("outlet"), article_title=a.get("title"),
                     article_published=a.get("published"), article_source=a.get("source"))
        all_q = {**extra, **q_by_id}
        meta = queries.article_meta(self.conn, list({q["article_id"] for q in all_q.values()}))
        group_of: dict[str, dict[str, Any]] = {}
        group_cards = []
        for g in groups:
            card = self.group_card(g, all_q, meta)
            group_cards.append(card)
            for qid in g["quote_ids"]:
                group_of.setdefault(qid, card)

        # The cast: global entities first, then speakers without an entity.
        speakers: dict[str, dict[str, Any]] = {}
        ent_by_id = {e["id"]: e for e in entities}
        for e in entities:
            if e.get("type") == "person":
                speakers[e["id"]] = dict(key=e["id"], name=e["name"], kind="person", entity=e,
                                         roles=self.roles(e.get("roles")), items=[], attributed=[])
        for q in quotes:
            key = q.get("speaker_entity_id")
            if key and key not in speakers:
                e = ent_by_id.get(key)
                speakers[key] = dict(key=key, name=(e or {}).get("name") or q.get("speaker") or "unknown",
                                     kind=(e or {}).get("type") or q.get("speaker_kind"), entity=e,
                                     roles=self.roles((e or {}).get("roles")), items=[], attributed=[])
            if not key:
                key = "name:" + (q.get("speaker") or "unknown speaker")
                speakers.setdefault(key, dict(key=key, name=q.get("speaker") or "unknown speaker",
                                              kind=q.get("speaker_kind") or "unknown", entity=None,
                                              roles=[], items=[], attributed=[]))
            sp = speakers[key]
            g = group_of.get(q["id"])
            if g is not None:
                if not any(it.get("group") is g for it in sp["items"]):
                    sp["items"].append(dict(group=g))
            else:
                sp["items"].append(dict(quote=q))
        for t in attributions:
            key = t.get("source_entity_id")
            if key in speakers:
                t["article_outlet"] = by_id.get(t["article_id"], {}).get("outlet")
                speakers[key]["attributed"].append(t)
        for s in speakers.values():  # drifting quotes first, then quotes carried by several articles
            s["items"].sort(key=lambda it: (not (it.get("group") or {}).get("drift"), "group" not in it))
        cast = [s for s in speakers.values() if s["kind"] == "person" and (s["items"] or s["entity"])]
        cast.sort(key=lambda s: (-len(s["items"]), s["name"]))
        others = [s for s in speakers.values() if s["kind"] != "person" and s["items"]]
        others.sort(key=lambda s: (-len(s["items"]), s["name"]))
        for s in cast:
            if s["entity"]:
                self.person_story[s["entity"]["id"]].append(story)

        timeline = [dict(date=_date(a.get("published")), kind="article", article=a,
                         text=a.get("title") or _short(a.get("text"), 110)) for a in arts]
        for c in claims:
            if c.get("kind") == "date" and c.get("date"):
                timeline.append(dict(date=_date(c["date"]), kind="event", article=by_id.get(c["article_id"]),
                                     text=c.get("what") or c.get("sentence") or c.get("text"), claim=c))
        timeline.sort(key=lambda t: (not t["date"], t["date"], t["kind"] != "event"))

        prov_rows = [self.prov_row(p, group_cards, claims, by_id) for p in prov]
        links_view = [dict(link, a_art=by_id.get(link["a"]), b_art=by_id.get(link["b"])) for link in links
                      if link.get("kind") != "same-story"]
        conflict_rows = [conflict_view(c, by_id) for c in conflicts]
        graph = provenance_graph(arts, links, citations)
        page = self.out / "stories" / f"{slug(story['id'])}.html"
        self.render("story.html", page, root="../", page_title=story.get("label") or story["id"], story=story,
                    articles=arts, timeline=timeline, cast=cast, others=others, groups=group_cards,
                    provenance=prov_rows, links=links_view, graph=graph, conflicts=conflict_rows,
                    citations=citations, event=story_event(arts))
        for a in arts:
            self.article(a, story, [q for q in quotes if q["article_id"] == a["id"]],
                         [t for t in attributions if t["article_id"] == a["id"]],
                         [c for c in claims if c["article_id"] == a["id"]],
                         [p for p in posts if p["article_id"] == a["id"]], links, by_id, group_of)
        self.index.append(dict(t="story", l=story.get("label") or story["id"],
                               s=f"{_plural(len(ids), 'article')} {_date(story.get('start'))}",
                               u=f"stories/{slug(story['id'])}.html"))
        self.n_quotes_indexed += _index_quotes(self.index, cast + others, MAX_INDEX_QUOTES - self.n_quotes_indexed)
        return dict(story=story, articles=arts, n_quotes=len(quotes), cast=cast[:6],
                    n_groups=len(group_cards), n_drift=sum(1 for g in group_cards if g["drift"]),
                    n_conflicts=len(conflicts), url=f"stories/{slug(story['id'])}.html")

    def roles(self, roles: Any) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for r in roles if isinstance(roles, list) else []:
            if not isinstance(r, dict) or not r.get("title"):
                continue
            key = str(r["title"]).lower() + ("" if r.get("current", True) else " (former)")
            entry = out.setdefault(key, dict(title=r["title"], current=r.get("current", True), org=r.get("org"),
                                             articles=[]))
            if r.get("article_id"):
                entry["articles"].append(r["article_id"])
        return list(out.values())

    def group_card(self, g: dict[str, Any], all_q: dict[str, dict[str, Any]],
                   meta: dict[str, dict[str, Any]]) -> dict[str, Any]:
        members = [all_q[qid] for qid in g["quote_ids"] if qid in all_q]
        members.sort(key=lambda q: (not meta.get(q["article_id"], {}).get("published"),
                                    meta.get(q["article_id"], {}).get("published") or "", q["article_id"]))
        reference = g.get("variant") or (members[0]["text"] if members else "")
        # what the database holds decides the badges (issue #17): a variant's figure changed only
        # when its stored differences list a figure, not whenever a reworded word holds a digit
        stored = {d.get("quote_id"): d for d in (g.get("differences") or []) if isinstance(d, dict)}
        drift = bool(g.get("drift"))
        variants = []
        for q in members:
            diff = word_diff(reference, q.get("text") or "")
            changed = any(p["op"] != "eq" for p in diff)
            figure = drift and bool(stored.get(q["id"], {}).get("figures"))
            if not figure:
                diff = [dict(p, figure=False) for p in diff]
            variants.append(dict(quote=q, article=meta.get(q["article_id"]), diff=diff, changed=changed,
                                 figure=figure))
        return dict(id=g["id"], anchor=f"g-{slug(g['id'])}", reference=reference, speaker=g.get("speaker"),
                    drift=drift, variants=variants,
                    n_articles=len({v["quote"]["article_id"] for v in variants}),
                    n_changed=sum(1 for v in variants if v["changed"]),
                    figure=any(v["figure"] for v in variants), first_article=meta.get(g.get("first_article") or ""))

    def prov_row(self, p: dict[str, Any], groups: list[dict[str, Any]], claims: list[dict[str, Any]],
                 by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
        item, anchor = p.get("item_id"), None
        if p.get("item_type") == "quote_group":
            g = next((g for g in groups if g["id"] == p.get("item_id")), None)
            if g:
                item, anchor = f"“{_short(g['reference'], 140)}”" + (f" — {g['speaker']}" if g.get("speaker") else ""), g["anchor"]
        elif p.get("item_type") == "claim":
            c = next((c for c in claims if c["id"] == p.get("item_id")), None)
            if c:
                item = f"{c.get('text')}: {_short(c.get('what') or c.get('sentence'), 120)}"
        # the carriers in order, the first carrier first; issue #17: the "then" column said
        # "outlet not named" once for every later article without an outlet
        carriers = (p.get("outlets") if isinstance(p.get("outlets"), list) else [])[1:]
        outlets = [_name_of(o, "outlet") for o in carriers if o]
        unnamed = sum(1 for o in carriers if not o)
        via = [_name_of(v, "source") for v in (p.get("via") if isinstance(p.get("via"), list) else [])]
        first = by_id.get(p.get("first_article") or "")
        return dict(p, item=item, anchor=anchor, outlets_list=outlets, via_list=via, first=first,
                    unnamed=max(unnamed, 0), undated=bool(first) and not first.get("published"))

    # -- an article ------------------------------------------------------------------------------
    def article(self, a: dict[str, Any], story: dict[str, Any], quotes: list[dict[str, Any]],
                attributions: list[dict[str, Any]], claims: list[dict[str, Any]], posts: list[dict[str, Any]],
                links: list[dict[str, Any]], by_id: dict[str, dict[str, Any]],
                group_of: dict[str, dict[str, Any]]) -> None:
        spans = []
        for t in attributions:
            spans.append(dict(start=t.get("start"), end=t.get("end"), cls="attr",
                              tip=f"Attributed to {t.get('source')} ({t.get('cue')})"))
            spans.append(dict(start=t.get("source_start"), end=t.get("source_end"), cls="src",
                              tip=f"Source: {t.get('source')} ({t.get('source_kind')})"))
        for c in claims:
            spans.append(dict(start=c.get("start"), end=c.get("end"), cls="fig",
                              tip=f"Figure: {c.get('text')}" + (f", asserted by {c['asserted_by']}" if c.get("asserted_by") else "")))
        for q in quotes:
            who = q.get("speaker") or "unknown speaker"
            spans.append(dict(start=q.get("start"), end=q.get("end"), cls=f"q q-{q.get('kind') or 'direct'}",
                              tip=f"{who} ({q.get('kind')} quote" + (f", {q['cue']}" if q.get("cue") else "") + ")",
                              anchor=f"q-{slug(q['id'])}"))
            spans.append(dict(start=q.get("speaker_start"), end=q.get("speaker_end"), cls="spk",
                              tip=f"Speaker: {who}"))
        paragraphs = highlight(a.get("text") or "", spans)
        anchored = {piece["anchor"] for para in paragraphs for piece in para if piece["anchor"]}
        rel = []
        for link in links:
            if link.get("kind") == "same-story":
                continue
            if link["a"] == a["id"] and link["b"] in by_id:
                rel.append(dict(direction="later", other=by_id[link["b"]], link=link))
            elif link["b"] == a["id"] and link["a"] in by_id:
                rel.append(dict(direction="earlier", other=by_id[link["a"]], link=link))
        for q in quotes:
            q["group"] = group_of.get(q["id"])
            # a quote of an embedded post (or one whose offsets are not in the text) has no
            # highlight: its row in the quotes table carries the anchor links point to (issue #17)
            q["anchored"] = f"q-{slug(q['id'])}" in anchored
        for p in posts:
            p["links_list"] = p["links"] if isinstance(p.get("links"), list) else []
        authors = a.get("authors") if isinstance(a.get("authors"), list) else []
        self.render("article.html", self.out / "articles" / f"{slug(a['id'])}.html", root="../",
                    page_title=a.get("title") or _article_label(a), article=a, story=story, paragraphs=paragraphs,
                    quotes=quotes, attributions=attributions, claims=claims, posts=posts, related=rel,
                    authors=[x for x in authors if isinstance(x, str)])
        if a["id"] not in self.written_articles and len(self.index) < MAX_INDEX_ENTRIES:
            self.written_articles.add(a["id"])
            self.index.append(dict(t="article", l=a.get("title") or _short(a.get("text"), 100),
                                   s=" ".join(x for x in (a.get("outlet"), _date(a.get("published")),
                                                          Path(str(a.get("source") or "")).name) if x),
                                   u=f"articles/{slug(a['id'])}.html"))

    # -- people ----------------------------------------------------------------------------------
    def grouped(self, quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Quotes as items: each quote group once (with all its carriers and diffs), then single quotes."""
        groups = queries.quote_groups_for(self.conn, [q["id"] for q in quotes], self.group_index)
        members = queries.quotes_by_id(self.conn, [qid for g in groups for qid in g["quote_ids"]])
        meta = queries.article_meta(self.conn, list({q["article_id"] for q in members.values()}))
        items, seen = [], set()
        for g in groups:
            card = self.group_card(g, members, meta)
            items.append(dict(group=card))
            seen.update(g["quote_ids"])
        items.sort(key=lambda it: not it["group"]["drift"])
        items += [dict(quote=q) for q in quotes if q["id"] not in seen]
        return items

    def people(self) -> list[dict[str, Any]]:
        cards = []
        for e in queries.iter_entities(self.conn):
            quotes = queries.quotes_of_entity(self.conn, e)
            items = self.grouped(quotes)
            attributed = queries.attributions_to_entity(self.conn, e)
            ids = [x for x in (e.get("article_ids") or []) if isinstance(x, str)]
            arts = queries.articles(self.conn, ids) if ids else []
            url = f"people/{slug(e['id'])}.html"
            roles = self.roles(e.get("roles"))
            aliases = [x for x in (e.get("aliases") or []) if isinstance(x, str) and x != e["name"]]
            self.render("person.html", self.out / url, root="../", page_title=e["name"], entity=e, items=items,
                        attributed=attributed, articles=arts, roles=roles, aliases=aliases,
                        stories=self.person_story.get(e["id"], []))
            if len(self.index) < MAX_INDEX_ENTRIES:
                self.index.append(dict(t=e.get("type") or "entity", l=e["name"],
                                       s=", ".join([r["title"] for r in roles][:3] + aliases[:3]), u=url))
            cards.append(dict(entity=e, url=url, n_quotes=len(quotes), roles=roles))
        cards.sort(key=lambda c: (c["entity"].get("type") != "person", -c["n_quotes"], c["entity"]["name"]))
        return cards
