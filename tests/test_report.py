"""Tests for the static report (present/report.py) and its read queries (store/queries.py)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import lxml.html
import pytest

from conftest_report import JS_URL, PAYLOADS, css
from newstrace.errors import NewstraceError
from newstrace.models import Annotations, Article, Quote
from newstrace.present.report import (
    highlight, provenance_graph, safe_url, script_json, slug, story_event, word_diff, write_report,
)
from newstrace.store import TABLES, open_store, queries


@pytest.fixture(scope="module")
def site(report_sample_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    index = write_report(report_sample_db, out, title="DHS leadership, 2022")
    assert index == out / "index.html"
    return out


def _doc(path: Path):
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def _text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


# -- pure helpers -----------------------------------------------------------------------------
def test_report_word_diff_marks_the_drifted_statute_number():
    ref = "why some of these individuals are not subject to a Title 8 USC 1326 case"
    var = "why some of these people are not the subject of a USC 826 Title 8 case"
    pieces = word_diff(ref, var)
    assert "".join(p["text"] for p in pieces if p["op"] != "del") == var
    assert "".join(p["text"] for p in pieces if p["op"] != "ins") == ref
    dels = [p["text"].strip() for p in pieces if p["op"] == "del"]
    ins = [p["text"].strip() for p in pieces if p["op"] == "ins"]
    assert any("1326" in d for d in dels) and any("826" in i for i in ins)
    assert [p["figure"] for p in pieces if "1326" in p["text"]] == [True]
    assert not any(p["figure"] for p in pieces if p["op"] == "eq")


def test_report_word_diff_ignores_case_and_punctuation_only_changes():
    pieces = word_diff("I am 100 percent against the abolition of the ICE,", "I am 100 percent against the abolition of the ICE")
    assert [p["op"] for p in pieces] == ["eq"]


def test_report_highlight_splits_overlapping_spans_per_paragraph():
    text = "He said “we will act” today.\n\nSecond paragraph."
    q0, q1 = text.index("we"), text.index("act") + 3
    spans = [dict(start=0, end=text.index("today") + 6, cls="attr", tip="Attributed to X"),
             dict(start=q0, end=q1, cls="q", tip="Speaker: A <b>", anchor="q-1"),
             dict(start=0, end=2, cls="spk", tip="Speaker: A"),
             dict(start=5, end=999, cls="bad", tip="out of range")]
    paras = highlight(text, spans)
    assert len(paras) == 2
    assert "".join(p["text"] for p in paras[0]) == "He said “we will act” today."
    assert [(p["text"], p["cls"]) for p in paras[0]] == [
        ("He", "attr spk"), (" said “", "attr"), ("we will act", "attr q"), ("” today.", "attr")]
    assert paras[0][2]["anchor"] == "q-1" and paras[0][2]["tip"] == "Attributed to X · Speaker: A <b>"
    assert paras[1] == [dict(text="Second paragraph.", cls="", tip="", anchor=None)]


@pytest.mark.parametrize("url,ok", [
    ("https://www.latimes.com/politics/story", True), ("http://example.org/a?b=1", True),
    ("javascript:alert(1)", False), (" JaVaScRiPt:alert(1)", False), ("java\tscript:alert(1)", False),
    ("data:text/html,<script>", False), ("//evil.example/x", False), ("vbscript:x", False),
    ("https:/no-host", False), (None, False), ("", False),
])
def test_report_safe_url_only_allows_http_and_https(url, ok):
    assert (safe_url(url) is not None) is ok


def test_report_script_json_cannot_close_the_script_element():
    data = {"l": "</script><script>alert(1)</script> & <!-- \u2028"}
    out = str(script_json(data))
    assert "<" not in out and ">" not in out and "&" not in out and "\u2028" not in out
    assert json.loads(out) == data


def test_report_slug_is_file_safe_and_distinct():
    assert slug("art003") == "art003"
    a, b = slug("person:chris magnus"), slug("person:chris-magnus")
    assert re.fullmatch(r"[A-Za-z0-9_-]+", a) and a != b
    assert "/" not in slug("../../etc/passwd") and ".." not in slug("../../etc/passwd")


def test_report_provenance_graph_layers_sources_then_articles_by_date():
    arts = [dict(id="a1", outlet="Law Enforcement Today", published="2022-06-13", title="t1"),
            dict(id="a2", outlet=None, source="examples/002.txt", published="2022-06-14", title="t2")]
    g = provenance_graph(arts, [dict(a="a1", b="a2", kind="rewrite", score=0.7)],
                         [dict(article_id="a1", cited="The Washington Times", kind="outlet", count=9),
                          dict(article_id="a2", cited="Law Enforcement Today", kind="outlet", count=1)])
    xs = {n["full"].split(" — ")[0]: n["x"] for n in g["nodes"]}
    assert xs["The Washington Times"] < xs["Law Enforcement Today"] < xs["t2"]  # no outlet: the headline
    # citing an outlet that is itself in the story adds no separate source node
    assert [n["label"] for n in g["nodes"] if n["kind"] == "source"] == ["The Washington Times"]
    assert sorted(e["kind"] for e in g["edges"]) == ["cites", "rewrite"]
    assert all(n["x"] + n["w"] <= g["width"] and n["y"] + n["h"] <= g["height"] for n in g["nodes"])


def test_report_story_event_takes_what_most_articles_say():
    # the story page's when / who / where line (issue #16): the date and names most leads give
    arts = [dict(event_date="2008-12-13", event_participants=["Brian Nichols", "James Bodiford"], event_places=["Atlanta"]),
            dict(event_date="2008-12-13", event_participants=["Brian Nichols"], event_places=[]),
            dict(event_date="2005", event_participants=None, event_places=None)]
    assert story_event(arts) == dict(date="2008-12-13", participants=["Brian Nichols", "James Bodiford"],
                                     places=["Atlanta"])


# -- the generated site ------------------------------------------------------------------------
def test_report_writes_one_page_per_story_article_and_entity(site):
    assert sorted(p.name for p in (site / "stories").iterdir()) == ["s-ice.html", "s-magnus.html"]
    assert sorted(p.name for p in (site / "articles").iterdir()) == [f"art00{i}.html" for i in range(5)]
    assert len(list((site / "people").iterdir())) == 6
    assert (site / "static" / "report.css").is_file() and (site / "static" / "search.js").is_file()


def test_report_is_self_contained(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for m in re.finditer(r'(?:src|href)="([^"]*)"', html):
            url = m.group(1)
            if url.startswith(("http://", "https://")):
                # only article/post links may point outside, never a resource the page loads
                assert 'class="ext"' in html[max(0, m.start() - 20):m.start()], (page, url)
            elif not url.startswith("#"):
                target = (page.parent / url.split("#")[0].split("?")[0]).resolve()
                assert target.exists(), (page, url)


def test_report_index_lists_stories_people_and_search_index(site):
    doc = _doc(site / "index.html")
    assert _text(css(doc, "h1")[0]) == "DHS leadership, 2022"
    stories = [_text(a) for a in css(doc, ".story-card h3 a")]
    assert stories == ["Mayorkas tells ICE staff he opposes abolishing ICE", "CBP Commissioner Chris Magnus asked to resign"]
    people = [_text(a) for a in css(doc, ".people-list a")]
    assert people[:2] == ["Alejandro Mayorkas", "Chris Magnus"] and "The Washington Times" in people
    index = json.loads(doc.get_element_by_id("search-index").text)
    kinds = {e["t"] for e in index}
    assert {"story", "article", "person", "quote", "outlet"} <= kinds
    magnus = [e for e in index if e["t"] == "quote" and e["s"] == "Chris Magnus"]
    assert len(magnus) == 3  # two single quotes + the "no justification" group once
    assert all((site / e["u"].split("#")[0]).is_file() for e in index)


def test_report_story_timeline_is_in_date_order_with_events(site):
    doc = _doc(site / "stories" / "s-ice.html")
    items = css(doc, ".timeline li")
    dates = [_text(css(li, "time")[0]) for li in items]
    assert dates == sorted(dates)
    assert dates[0] == "2022-01-26" and "tl-event" in items[0].get("class")
    assert "Rosas posts audio of the Yuma meeting" in _text(items[0])
    assert [li.get("class") for li in items].count("tl-article") == 3


def test_report_story_cast_shows_roles_quotes_and_carrying_articles(site):
    doc = _doc(site / "stories" / "s-magnus.html")
    cards = css(doc, "#cast article.person")
    names = [_text(css(c, "h3")[0]) for c in cards]
    assert names[0] == "Chris Magnus"
    magnus = cards[0]
    assert [_text(r) for r in css(magnus, ".role")] == ["CBP Commissioner"]
    group = css(magnus, "details.qgroup")[0]
    assert "no justification for me to resign" in _text(css(group, "summary")[0])
    carriers = [_text(css(a, ".outlet")[0]) for a in css(group, ".vhead a.art-ref")]
    # issue #17: outlet and headline, never a file name
    assert carriers == ["The New American — Biden’s CBP Chief Magnus Told to Resign or Be Fired", "CBP Commissioner Chris Magnus told to quit or be fired"]
    assert "2 articles" in _text(css(group, "summary")[0])
    others = [_text(css(c, "h3")[0]) for c in css(doc, "#cast article.other")]
    assert others == ["one official anonymous"]


def test_report_quote_group_shows_word_diff_where_the_quote_drifts(site):
    doc = _doc(site / "stories" / "s-ice.html")
    group = doc.get_element_by_id("g-g-1326")
    assert "drift" in group.get("class")
    assert {"wording drifts", "a figure changed"} <= {_text(b) for b in css(group, ".badge")}
    variants = css(group, "li.variant")
    assert len(variants) == 2 and "same" in variants[0].get("class")  # the reference itself
    drifted = variants[1]
    assert _text(css(drifted, ".outlet")[0]) == "Mayorkas: I am 100 percent against the abolition of ICE"
    assert "1326" in " ".join(_text(x) for x in css(drifted, "del.figure"))
    assert "826" in " ".join(_text(x) for x in css(drifted, "ins.figure"))
    assert "individuals" in " ".join(_text(x) for x in css(drifted, "del"))
    assert "people" in " ".join(_text(x) for x in css(drifted, "ins"))
    # one element id per page, even though the group is shown in the cast and in the group list
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_report_provenance_view_draws_graph_links_and_first_carriers(site):
    doc = _doc(site / "stories" / "s-ice.html")
    svg = css(doc, "#provenance svg")[0]
    labels = [_text(t) for t in css(svg, "text.nlabel")]
    assert {"The Washington Times", "Axios", "Townhall", "Law Enforcement Today", "Mayorkas: I am 100 perc…"} <= set(labels)
    assert len(css(svg, "g.edge-rewrite")) == 1 and len(css(svg, "g.edge-cites")) == 4
    links = [_text(li) for li in css(doc, "ul.links > li")]
    assert len(links) == 1 and links[0].startswith("Mayorkas: I am 100 percent against the abolition of ICE 2022-06-14 is a rewrite of Law Enforcement Today — DHS")
    rows = [[_text(td) for td in css(tr, "td")] for tr in css(doc, "table.prov tbody tr")]
    assert rows[0][1].startswith("Law Enforcement Today — DHS") and rows[0][1].endswith("2022-06-13")
    assert rows[0][3] == "The Washington Times"
    # issue #17: the column said "outlet not named" for each article without an outlet
    assert any(r[2] == "1 article without an outlet name" for r in rows)
    assert not any("outlet not named" in r[2] for r in rows)


def test_report_figure_conflicts_side_by_side(site):
    doc = _doc(site / "stories" / "s-ice.html")
    conflict = css(doc, "#figures .conflict")[0]
    assert _text(css(conflict, "h3")[0]) == "Title 8 USC section Mayorkas cited"
    assert [_text(v) for v in css(conflict, ".fig-value")] == ["1326", "826"]


def test_report_article_highlights_quotes_speakers_and_attributions(site):
    doc = _doc(site / "articles" / "art001.html")
    quote = doc.get_element_by_id("q-art001-q0")
    assert "q" in quote.get("class").split() and "q-direct" in quote.get("class").split()
    assert quote.text_content() == "I am excited about the progress I made and look forward to continuing that work"
    assert quote.get("title") == quote.get("data-tip") == "Chris Magnus (direct quote, said)"
    speakers = [(s.text_content(), s.get("title")) for s in css(doc, "span.spk")]
    assert ("he said", "Speaker: Chris Magnus") in speakers
    sources = [s.text_content() for s in css(doc, "span.src")]
    assert "Two sources familiar with the matter" in sources and "Los Angeles Times" in sources
    text = "".join(_text(p) + "\n\n" for p in css(doc, ".text p")).strip()
    assert text.startswith("Washington, DC – The head of the nation’s largest federal law enforcement agency")
    related = [_text(li) for li in css(doc, "ul.related li")]
    assert related == ["This article is derived from The New American — Biden’s CBP Chief Magnus Told to Resign or Be Fired 2022-11-13 (score 0.42)"]


def test_report_article_shows_embedded_post_with_safe_links(site):
    doc = _doc(site / "articles" / "art000.html")
    post = css(doc, "figure.post")[0]
    assert "Julio Rosas" in _text(css(post, "figcaption")[0])
    assert "One agent turned his back on Mayorkas." in _text(css(post, "blockquote")[0])
    assert [a.get("href") for a in css(post, "a.ext")] == ["https://t.co/hAdryUWeke"]


def test_report_person_page_lists_quotes_roles_and_sources(site):
    doc = _doc(site / "people" / "person-chris-magnus.html")
    assert _text(css(doc, "h1")[0]) == "Chris Magnus"
    assert [_text(r) for r in css(doc, ".roles-list .role")] == ["CBP Commissioner"]
    said = css(doc, "#said")[0]
    groups = css(said, "details.qgroup")
    assert len(groups) == 1  # the quote two articles carry is shown once, with both carriers
    assert "no justification for me to resign" in _text(css(groups[0], "summary")[0])
    carriers = [_text(css(a, ".outlet")[0]) for a in css(groups[0], ".vhead a.art-ref")]
    assert carriers == ["The New American — Biden’s CBP Chief Magnus Told to Resign or Be Fired", "CBP Commissioner Chris Magnus told to quit or be fired"]
    quotes = css(said, ".quote")
    assert [_text(css(q, "blockquote")[0]) for q in quotes] == [
        "“When it comes to the border, I was never comfortable saying the border was secure”",
        "“I am excited about the progress I made and look forward to continuing that work”"]
    assert [_text(css(q, ".art-ref .outlet")[0]) for q in quotes] == ["The New American — Biden’s CBP Chief Magnus Told to Resign or Be Fired", "CBP Commissioner Chris Magnus told to quit or be fired"]
    feere = _doc(site / "people" / "person-jon-feere.html")
    assert [_text(r) for r in css(feere, ".role")] == ["former top ICE employee, ICE"]


def test_report_article_not_in_any_story_gets_listed(tmp_path):
    db = tmp_path / "loose.db"
    text = "“We will not comment,” a spokesperson said."
    with open_store(db) as store:
        store.write_article(Article(id="solo", source="solo.txt", raw_text=text, text=text), Annotations(),
                            file="solo.txt", run_id=1)
    index = write_report(db, tmp_path / "out")
    doc = _doc(index)
    assert [_text(a) for a in css(doc, ".story-card h3 a")] == ["Articles not in any story"]
    assert (tmp_path / "out" / "articles" / "solo.html").is_file()


def test_report_rejects_missing_and_foreign_databases(tmp_path):
    with pytest.raises(NewstraceError, match="no such database"):
        write_report(tmp_path / "nope.db", tmp_path / "out")
    (tmp_path / "notes.txt").write_text("not sqlite " * 100)
    with pytest.raises(NewstraceError, match="not an SQLite database"):
        write_report(tmp_path / "notes.txt", tmp_path / "out")


# -- safety -------------------------------------------------------------------------------------
def test_report_escapes_every_untrusted_field(report_hostile_db, tmp_path):
    out = tmp_path / "hostile"
    write_report(report_hostile_db, out)
    pages = list(out.rglob("*.html"))
    assert len(pages) >= 5  # index, story, two articles, one person
    for page in pages:
        html = page.read_text(encoding="utf-8")
        low = html.lower()
        # every <script> element is one of ours
        assert low.count("<script") == len(re.findall(r'<script (?:type="application/json" id="search-index"|src="(?:\.\./)?static/search\.js")>', html)), page
        for bad in ("<img", "<svg onload", "<script>window", "</script><script>", "<a href=\"javascript"):
            assert bad not in low, (page, bad)
        for m in re.findall(r'(?:href|src|action|xlink:href)="([^"]*)"', html):
            assert not re.match(r"\s*[a-z][a-z0-9+.-]*:", m, re.I) or m.startswith(("http://", "https://")), (page, m)
        assert "{{ 7*7 }}" in html  # data is never evaluated as a template
        # attribute values never break out: parse and check no element has an event handler
        doc = lxml.html.fromstring(html)
        for el in doc.iter():
            if isinstance(el.tag, str):
                assert not [a for a in el.attrib if a.lower().startswith("on")], (page, el.tag, dict(el.attrib))
    index = json.loads(lxml.html.fromstring((out / "index.html").read_text()).get_element_by_id("search-index").text)
    assert any(PAYLOADS[0] in e["l"] for e in index)  # the payload is data, shown as text
    art = (out / "articles" / "evil1.html").read_text()
    assert "&lt;script&gt;window.__pwned=&#39;script&#39;" in art
    assert JS_URL.replace("'", "&#39;") in art  # shown as plain text, never as a link


# -- queries and Datasette metadata ---------------------------------------------------------------
def test_queries_datasette_metadata_describes_every_table_and_column():
    meta = queries.datasette_metadata("sample")
    tables = meta["databases"]["sample"]["tables"]
    assert set(tables) == set(TABLES)
    for name, spec in TABLES.items():
        assert tables[name]["description"] == spec["help"]
        assert set(tables[name]["columns"]) == set(spec["columns"])
        missing = [c for c in spec["columns"] if c not in queries.COLUMN_HELP.get(name, {})]
        assert not missing, (name, missing)
    assert tables["quotes"]["facets"] == ["kind", "act", "form", "speaker", "speaker_kind"]
    assert tables["attributions"]["facets"][:2] == ["source_kind", "named"]
    assert tables["links"]["facets"] == ["kind"] and tables["entities"]["facets"] == ["type"]
    assert set(meta["databases"]["sample"]["queries"]) == {
        "who_said_what", "quotes_of_person", "articles_citing_outlet", "quote_groups_with_drift", "duplicate_clusters"}


@pytest.mark.parametrize("name,params,expect", [
    ("who_said_what", {"story": "s-magnus"}, 5),
    ("quotes_of_person", {"name": "Magnus"}, 4),
    ("quotes_of_person", {"name": "Chris Magnus"}, 4),
    ("articles_citing_outlet", {"outlet": "Los Angeles Times"}, 2),
    ("quote_groups_with_drift", {}, 1),
    ("duplicate_clusters", {}, 1),
])
def test_queries_canned_queries_run_on_the_sample(report_sample_db, name, params, expect):
    conn = queries.connect(report_sample_db)
    rows = conn.execute(queries.canned_queries()[name]["sql"], params).fetchall()
    assert len(rows) == expect
    if name in ("who_said_what", "quotes_of_person"):
        # review of 2026-12-03: a thought or a negated report is not listed as if it had been said
        assert {"act", "negated"} <= set(rows[0].keys())
    if name == "quote_groups_with_drift":
        assert rows[0]["id"] == "g-1326" and rows[0]["first_outlet"] == "Law Enforcement Today"
    if name == "duplicate_clusters":
        assert dict(rows[0])["copied_by"] == "art002 (rewrite, 0.71)"
    conn.close()


def test_queries_canned_queries_run_on_a_database_older_than_a_column(report_sample_db, tmp_path):
    # review of 2026-12-03: `serve` gives Datasette the file as it is; who_said_what and
    # quotes_of_person read q.negated, which a database from before the column lacks
    old = tmp_path / "old.db"
    shutil.copy(report_sample_db, old)
    con = sqlite3.connect(old)
    con.execute("alter table quotes drop column negated")
    con.execute("alter table quotes drop column act")
    con.execute("alter table quotes drop column form")
    con.commit()
    con.close()
    conn = queries.connect(old)
    meta = queries.datasette_metadata("old", queries.table_columns(conn))["databases"]["old"]
    for name, params in (("who_said_what", {"story": "s-magnus"}), ("quotes_of_person", {"name": "Magnus"})):
        rows = conn.execute(meta["queries"][name]["sql"], params).fetchall()
        assert rows and {(r["act"], r["negated"]) for r in rows} == {("speech", 0)}
        # (form1: the form an older row gains: words in quote marks are quoted, an indirect quote unknown)
        assert {(r["kind"], r["form"]) for r in rows} <= {("direct", "quoted"), ("partial", "quoted"),
                                                           ("indirect", None)}
        assert any(r["form"] == "quoted" for r in rows)
    assert meta["tables"]["quotes"]["facets"] == ["kind", "speaker", "speaker_kind"]  # no facet on a missing column
    conn.close()


def test_queries_connect_is_read_only(report_sample_db):
    conn = queries.connect(report_sample_db)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("delete from quotes")
    conn.close()


@pytest.mark.model
def test_report_end_to_end_on_the_sample_corpus(examples_dir, tmp_path):
    from newstrace.pipeline import analyze

    db = tmp_path / "sample.db"
    analyze([str(examples_dir)], str(db))
    index = write_report(db, tmp_path / "report")
    doc = _doc(index)
    assert css(doc, ".story-card")
    assert len(list((tmp_path / "report" / "articles").glob("*.html"))) == 5
    people = [_text(a) for a in css(doc, ".people-list a")]
    assert "Chris Magnus" in people or "Alejandro Mayorkas" in people


def test_report_cli_command_writes_the_site(report_sample_db, tmp_path):
    from click.testing import CliRunner

    from newstrace.cli import cli

    out = tmp_path / "cli-report"
    result = CliRunner().invoke(cli, ["report", str(report_sample_db), "-o", str(out), "--title", "Sample"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out / "index.html")
    assert _text(css(_doc(out / "index.html"), "h1")[0]) == "Sample"


def test_report_empty_database_says_what_to_do(tmp_path):
    db = tmp_path / "empty.db"
    open_store(db).close()
    doc = _doc(write_report(db, tmp_path / "out"))
    assert "No stories yet: run newstrace analyze first." in _text(doc)


def test_report_search_index_is_capped_on_large_databases(report_sample_db, tmp_path, monkeypatch):
    import newstrace.present.report as report

    monkeypatch.setattr(report, "MAX_INDEX_QUOTES", 2)
    doc = _doc(write_report(report_sample_db, tmp_path / "capped"))
    index = json.loads(doc.get_element_by_id("search-index").text)
    assert sum(1 for e in index if e["t"] == "quote") == 2
    assert "The search covers part of the database only" in _text(doc)


def test_queries_quote_groups_accept_quote_rowids(tmp_path):
    from types import SimpleNamespace

    from newstrace.models import Quote, QuoteGroup

    db = tmp_path / "rowids.db"
    texts = {"x1": "“We will act,” she said.", "x2": "“We will act now,” she said."}
    with open_store(db) as store:
        for aid, text in texts.items():
            end = text.index("”") - 1
            store.write_article(Article(id=aid, source=aid, raw_text=text, text=text),
                                Annotations(quotes=[Quote(aid, "direct", text[1:end], 1, end, "A. Official")]),
                                file=aid, run_id=1)
        store.write_link_result(SimpleNamespace(stories=[], links=[], provenance=[], citations=[],
                                                quote_groups=[QuoteGroup(id="g", quote_ids=[1, 2], variant="We will act")]))
    conn = queries.connect(db)
    assert queries.quote_group_index(conn) == {"x1-q0": "g", "x2-q0": "g"}
    assert [g["quote_ids"] for g in queries.quote_groups_for(conn, ["x2-q0"])] == [["x1-q0", "x2-q0"]]
    conn.close()


def test_report_story_at_a_glance_names_drift_conflicts_and_copies(site):
    doc = _doc(site / "stories" / "s-ice.html")
    items = [_text(li) for li in css(doc, "aside.glance li")]
    assert items[0].startswith("drift “Quite frankly, I’m going to have to understand why")
    assert items[0].endswith("— Alejandro Mayorkas: the wording changes across 2 articles, including a figure.")
    assert items[1] == "figures Title 8 USC section Mayorkas cited: 1326 (Law Enforcement Today) vs 826 (Mayorkas: I am 100 percent against the abolition of ICE)."
    assert items[2] == "rewrite Mayorkas: I am 100 percent against the abolition of ICE is a rewrite of Law Enforcement Today."
    assert not css(_doc(site / "stories" / "s-magnus.html"), "aside.glance li .warn")


def test_report_provenance_graph_orders_nodes_to_avoid_crossings():
    arts = [dict(id=f"a{i}", outlet=f"Outlet {i}", published="2022-01-02") for i in range(3)]
    # listed alphabetically, Alpha would sit above Zeta and the two edges would cross
    cites = [dict(article_id="a0", cited="Zeta Wire", kind="outlet", count=1),
             dict(article_id="a2", cited="Alpha News", kind="outlet", count=1)]
    g = provenance_graph(arts, [], cites)
    y = {n["full"].split(" — ")[0]: n["y"] for n in g["nodes"]}
    assert (y["Zeta Wire"] < y["Alpha News"]) == (y["Outlet 0"] < y["Outlet 2"])


def test_report_figure_conflict_shows_qualifier(report_sample_db, tmp_path):
    # a figure's text is the number only ("£5m" of "more than £5m"): the card must say "more than"
    import json
    import shutil
    import sqlite3

    db = tmp_path / "q.db"
    shutil.copy(report_sample_db, db)
    with sqlite3.connect(db) as conn:
        (figs,) = conn.execute("select figures from figure_conflicts where id = 'fc-usc'").fetchone()
        figs = json.loads(figs)
        figs[0]["qualifier"] = "over"
        conn.execute("update figure_conflicts set figures = ? where id = 'fc-usc'", [json.dumps(figs)])
    write_report(db, tmp_path / "site")
    doc = _doc(tmp_path / "site" / "stories" / "s-ice.html")
    assert [_text(v) for v in css(doc, "#figures .fig-value")] == ["more than 1326", "826"]
    glance = [_text(li) for li in css(doc, "aside li") if "figures" in _text(li)]
    assert glance and "more than 1326" in glance[0]


def _story_page_after(tmp_path, sql: str):
    """The sample story's page in a report written after ``sql`` was run on the sample database."""
    from conftest_report import build_sample_db

    db = tmp_path / "s.db"
    build_sample_db(db)
    with open_store(db) as store:
        store.db.execute(sql)
        store.db.conn.commit()
    write_report(db, tmp_path / "site")
    return _doc(tmp_path / "site" / "stories" / "s-ice.html")


def test_report_figure_badge_shows_what_the_database_holds(tmp_path):
    # issue #17: a group stored with drift false and no figure difference got "a figure changed"
    # because the report recomputed it from any reworded word holding a digit
    from conftest_report import build_sample_db

    page = _story_page_after(tmp_path, "update quote_groups set drift = 0, differences = '[]' where id = 'g-1326'")
    group = page.xpath("//details[@id='g-g-1326']")[0]
    assert "figure" not in group.get("class").split() and "drift" not in group.get("class").split()
    assert "a figure changed" not in _text(group) and "wording drifts" not in _text(group)
    assert not group.xpath(".//ins[contains(@class, 'figure')] | .//del[contains(@class, 'figure')]")
    assert group.xpath(".//ins[contains(., '826')]")  # the reworded words are still shown
    # and the stored drift still gives the badge
    fresh = _doc(_site_of(tmp_path, build_sample_db) / "stories" / "s-ice.html")
    assert "a figure changed" in _text(fresh.xpath("//details[@id='g-g-1326']")[0])


def _site_of(tmp_path: Path, build) -> Path:
    build(tmp_path / "fresh.db")
    write_report(tmp_path / "fresh.db", tmp_path / "fresh")
    return tmp_path / "fresh"


def test_queries_canned_query_parameters_are_named_in_the_page_and_the_readme():
    # issue #17: quotes_of_person?person= returned [] silently; the page and the README must say
    # which parameter names each query takes, as the URL takes them
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name, spec in queries.canned_queries().items():
        params = sorted(set(re.findall(r"(?<!:):([a-z_]+)", spec["sql"])))
        for p in params:
            assert f"Parameter {p}:" in spec["description"] and f"?{p}=" in spec["description"], name
        if not params:
            assert "No parameters." in spec["description"], name
        assert f"`{name}" + (f"?{params[0]}=" if params else "`") in readme, name


# -- issue #17: names a person can read, links that resolve, a search that finds variants -------
def _local_links(site: Path):
    from urllib.parse import unquote, urlsplit

    for page in sorted(site.rglob("*.html")):
        doc = _doc(page)
        for el in doc.xpath("//a[@href]"):
            href = el.get("href")
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            yield page, href, target, parts.fragment


@pytest.mark.parametrize("which", ["sample", "hostile"])
def test_report_every_link_resolves(which, report_sample_db, report_hostile_db, tmp_path):
    # issue #17: quotes from embedded posts linked to anchors that did not exist
    site = tmp_path / which
    write_report(report_sample_db if which == "sample" else report_hostile_db, site)
    ids: dict[Path, set[str]] = {}
    broken, n = [], 0
    for page, href, target, fragment in _local_links(site):
        n += 1
        if not target.is_file():
            broken.append((page.name, href, "no such file"))
            continue
        if fragment:
            if target not in ids:
                ids[target] = set(_doc(target).xpath("//@id"))
            if fragment not in ids[target]:
                broken.append((page.name, href, "no such anchor"))
    assert n > 50 and broken == []


def test_report_counts_and_dates_read_as_words(tmp_path):
    from conftest_report import build_sample_db

    db = tmp_path / "s.db"
    build_sample_db(db)
    with open_store(db) as store:  # a month without its year, as resolve_date writes it
        (n,) = store.db.execute("select count(*) from claims where kind = 'date'").fetchone()
        store.db.execute("update claims set date = '--03' where kind = 'date'")
        store.db.execute("insert into stories (id, label, article_ids, articles, start) values "
                         "('s-one', 'A story of one article', json_array('art000'), 1, '2022-02-01')")
        store.db.conn.commit()
    assert n > 0
    write_report(db, tmp_path / "site")
    pages = " ".join(_text(_doc(p)) for p in (tmp_path / "site").rglob("*.html"))
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")  # the search index too
    assert not re.search(r"\b1 (articles|quotes|arrows)\b", pages + index)
    assert re.search(r"\b1 article\b", pages)
    timeline = _text(css(_doc(tmp_path / "site" / "stories" / "s-ice.html"), "#timeline")[0])
    assert "March (year not given)" in timeline and "--03" not in timeline


def test_report_search_indexes_every_variant_of_a_quote_group(site):
    # issue #17: "826" and "In all honesty" (the reworded variant) were not found
    doc = _doc(site / "index.html")
    data = json.loads(doc.xpath("//script[@type='application/json']")[0].text)
    quotes = [e["l"] for e in data if e["t"] == "quote"]
    assert any("USC 826" in q and q.startswith("In all honesty") for q in quotes)
    assert any("USC 1326" in q for q in quotes)


def test_report_provenance_graph_of_twelve_outlets_lists_every_arrow(tmp_path):
    arts = [dict(id=f"a{i}", outlet=f"Outlet {i}", title=f"Headline {i}", published="2022-06-13") for i in range(12)]
    cites = [dict(article_id=a["id"], cited="Reuters", kind="outlet", count=1) for a in arts]
    links = [dict(a="a0", b=f"a{i}", kind="rewrite", score=0.6) for i in range(1, 12)]
    g = provenance_graph(arts, links, cites)
    assert len(g["edges"]) == 23
    rows = {(e["src"]["full"], e["kind"], e["dst"]["full"]) for e in g["edges"]}
    assert ("Reuters", "cites", "Outlet 5 — Headline 5") in rows
    assert ("Outlet 0 — Headline 0", "rewrite", "Outlet 11 — Headline 11") in rows
    boxes = [(n["x"], n["y"], n["x"] + n["w"], n["y"] + n["h"]) for n in g["nodes"]]
    assert not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                   for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_report_cited_as_a_source_names_outlet_and_headline(site):
    # issue #17: "Cited as a source: d26324633f20984d" (an article id); the list names the article
    doc = _doc(site / "people" / "outlet-washington-times.html")
    section = next(s for s in css(doc, "section") if _text(css(s, "h2")[0]) == "Cited as a source")
    refs = [_text(css(a, ".outlet")[0]) for a in css(section, "a.art-ref")]
    assert refs == ["Law Enforcement Today — DHS secretary won’t abolish ICE, now planning action against sanctuary cities t…"] * 2 \
        + ["Mayorkas: I am 100 percent against the abolition of ICE"]
    assert not re.search(r"\b(art\d{3}|[0-9a-f]{16})\b", _text(section))


def test_report_first_carrier_among_undated_articles_says_the_order_is_unknown(tmp_path):
    # issue #17: "first carried by" named one of several undated articles as if it came first
    doc = _story_page_after(tmp_path, "update articles set published = null")
    rows = [[_text(td) for td in css(tr, "td")] for tr in css(doc, "table.prov tbody tr")]
    assert rows and all(r[1].endswith("(undated: the order of undated articles is unknown)") for r in rows)


def test_report_article_marks_a_negated_report_and_a_non_speech_act(tmp_path):
    # issue 15 §4: "has not confirmed any timing" (bbc/politics/417) was not said; "appear to be
    # playing out" (seed 004) reports no words
    text = "Tony Blair has not confirmed any timing. Struggles appear to be playing out."
    db = tmp_path / "neg.db"
    quotes_ = [Quote(article_id="neg", kind="indirect", text="any timing", start=29, end=39, speaker="Tony Blair",
                     cue="has not confirmed", negated=True),
               Quote(article_id="neg", kind="indirect", text="to be playing out", start=58, end=75, speaker=None,
                     cue="appear", act="thought")]
    with open_store(db) as store:
        store.write_article(Article(id="neg", source="neg.txt", raw_text=text, text=text),
                            Annotations(quotes=quotes_), file="neg.txt", run_id=1)
    write_report(db, tmp_path / "out")
    doc = _doc(tmp_path / "out" / "articles" / "neg.html")
    rows = [[_text(td) for td in tr.findall("td")] for tr in css(doc, ".annotations tbody tr")]
    assert [r[2] for r in rows if len(r) == 4] == ["indirect negated", "indirect thought"]
