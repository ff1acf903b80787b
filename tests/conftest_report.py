"""Hand-made databases for the report and serve tests (no NLP: the records mirror examples/).

``build_sample_db`` writes the five sample articles with quotes, attributions, claims, a post,
entities, two stories, links, quote groups (including the "1326" / "826" drift between 003 and
002), provenance, citations and a figure conflict. ``build_hostile_db`` writes one article whose
every field carries script-injection payloads.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from newstrace.models import (
    Annotations, Article, Attribution, Claim, Link, LocalEntity, Post, Quote, QuoteGroup, Role, Story,
)
from newstrace.store import open_store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _text(name: str, drop_lines: int = 0, strip_prefix: str = "") -> str:
    path = next(EXAMPLES.glob(f"{name}_*.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()[drop_lines:]
    paras = [ln.replace("\u00a0", " ").strip() for ln in lines if ln.strip()]
    if strip_prefix and paras[0].startswith(strip_prefix):
        paras[0] = paras[0][len(strip_prefix):]
    return "\n\n".join(paras)


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.find(needle, start + 1)
    assert start >= 0, f"not in text: {needle!r}"
    return start, start + len(needle)


def _quote(art: Article, content: str, speaker: str | None, *, kind: str = "direct", speaker_kind: str = "person",
           mention: str | None = None, cue: str | None = "said", ent: int | None = None, via: str | None = None,
           nth: int = 0, post_index: int | None = None) -> Quote:
    s, e = _span(art.text, content, nth)
    ss = se = None
    if mention:
        # the speaker mention nearest the quote
        starts = [m.start() for m in re.finditer(re.escape(mention), art.text)]
        if starts:
            ss = min(starts, key=lambda x: abs(x - s))
            se = ss + len(mention)
    return Quote(article_id=art.id, kind=kind, text=content, start=s, end=e, speaker=speaker,
                 speaker_kind=speaker_kind, speaker_mention=mention, speaker_start=ss, speaker_end=se, cue=cue,
                 via=via, speaker_entity=ent, post_index=post_index)


def _attr(art: Article, sentence_part: str, source: str, kind: str, cue: str, source_words: str | None = None,
          named: bool = True) -> Attribution:
    s, e = _span(art.text, sentence_part)
    ss, se = _span(art.text, source_words) if source_words else (None, None)
    return Attribution(article_id=art.id, source=source, source_kind=kind, cue=cue, sentence=sentence_part,
                       start=s, end=e, source_start=ss, source_end=se, named=named)


def _claim(art: Article, figure: str, value: float | None, unit: str | None, what: str, by: str | None,
           kind: str = "quantity", date: str | None = None, nth: int = 0) -> Claim:
    s, e = _span(art.text, figure, nth)
    return Claim(article_id=art.id, text=figure, value=value, unit=unit, what=what, asserted_by=by, start=s,
                 end=e, kind=kind, date=date)


def sample_records() -> dict:
    """The sample articles (examples/) with hand-made annotations and link records."""
    arts = {}

    def art(key, text, **kw):
        a = Article(id=f"art{key}", source=f"examples/{next(EXAMPLES.glob(key + '_*.txt')).name}", raw_text=text,
                    text=text, **kw)
        arts[key] = a
        return a

    a0 = art("000", _text("000", strip_prefix="date 2022-02-01 "), published="2022-02-01",
             title="Mayorkas faces Border Patrol agents in Yuma meeting",
             posts=[Post(author="Julio Rosas", handle="@Julio_Rosas11", date="2022-01-26",
                         text="EXCLUSIVE: I was given audio of DHS Sec Mayorkas' meeting with Border Patrol agents "
                              "in the Yuma Sector today. It did not go well. One agent turned his back on Mayorkas.",
                         links=["https://t.co/hAdryUWeke"])])
    a1 = art("001", _text("001"), published="2022-11-14", dateline="Washington, DC",
             title="CBP Commissioner Chris Magnus told to quit or be fired")
    a2 = art("002", _text("002"), published="2022-06-14",
             title="Mayorkas: I am 100 percent against the abolition of ICE")
    a3 = art("003", _text("003", drop_lines=1), published="2022-06-13", outlet="Law Enforcement Today",
             title="DHS secretary won’t abolish ICE, now planning action against sanctuary cities that refuse to work with agency",
             url="https://www.lawenforcementtoday.com/dhs-secretary-wont-abolish-ice/", authors=["Law Enforcement Today staff"])
    a4 = art("004", _text("004", drop_lines=3), published="2022-11-13", outlet="The New American",
             title="Biden’s CBP Chief Magnus Told to Resign or Be Fired")

    mayorkas = lambda aid, i: LocalEntity(aid, i, "Alejandro Mayorkas", "person", aliases=["Mayorkas", "Mr. Mayorkas"],  # noqa: E731
                                          roles=[Role("Homeland Security Secretary", aid, org="DHS")], gender="m")
    magnus = lambda aid, i: LocalEntity(aid, i, "Chris Magnus", "person", aliases=["Magnus", "Commissioner Magnus"],  # noqa: E731
                                        roles=[Role("CBP Commissioner", aid, org="U.S. Customs and Border Protection")], gender="m")
    ann = {}
    ann["000"] = Annotations(
        entities=[mayorkas(a0.id, 0), LocalEntity(a0.id, 1, "Julio Rosas", "person", aliases=["Rosas"],
                                                  roles=[Role("Townhall Senior Writer", a0.id, org="Townhall")]),
                  LocalEntity(a0.id, 2, "Raul Ortiz", "person", roles=[Role("Border Patrol Chief", a0.id)])],
        quotes=[_quote(a0, "if not ever.", "Alejandro Mayorkas", kind="partial", mention="Mayorkas admitted", cue="admitted", ent=0),
                Quote(a0.id, "post", a0.posts[0].text, 0, 0, "Julio Rosas", "person", cue="tweeted", speaker_entity=1, post_index=0)],
        attributions=[_attr(a0, "He added that, however, that is the reality and should see what they can do within the "
                                "bounds of the policies, according to an Axios report.", "Axios", "outlet", "according to",
                            "an Axios report")],
        claims=[_claim(a0, "20 years", 20, "years", "how long the border has been this bad", "Alejandro Mayorkas"),
                _claim(a0, "January 26, 2022", None, "date", "Rosas posts audio of the Yuma meeting", "Julio Rosas",
                       kind="date", date="2022-01-26")])
    ann["001"] = Annotations(
        entities=[magnus(a1.id, 0), mayorkas(a1.id, 1),
                  LocalEntity(a1.id, 2, "Troy Miller", "person", roles=[Role("CBP Deputy Commissioner", a1.id)])],
        quotes=[_quote(a1, "I am excited about the progress I made and look forward to continuing that work", "Chris Magnus",
                       mention="he said", ent=0),
                _quote(a1, "I expressed to him that I felt there was no justification for me to resign when I still cared "
                           "deeply about the work I was doing and felt that that work was focused on the things I was "
                           "hired to do in the first place", "Chris Magnus", mention="he explained", cue="explained", ent=0)],
        attributions=[_attr(a1, "Two sources familiar with the matter told CBS News that Homeland Security Secretary Alejandro "
                                "Mayorkas has asked U.S. Customs and Border Protection (CBP) Commissioner Chris Magnus to step "
                                "down this week or face termination.", "two sources familiar with the matter", "anonymous",
                            "told CBS News", "Two sources familiar with the matter", named=False),
                      _attr(a1, "The commissioner confirmed to the Los Angeles Times on Nov. 11 that Mayorkas had asked him to resign.",
                            "Los Angeles Times", "outlet", "confirmed to", "Los Angeles Times")],
        claims=[_claim(a1, "Nov. 11", None, "date", "Magnus confirms to the Los Angeles Times he was asked to resign",
                       "Los Angeles Times", kind="date", date="2022-11-11")])
    ann["002"] = Annotations(
        entities=[mayorkas(a2.id, 0)],
        quotes=[_quote(a2, "I am 100 percent against the abolition of the ICE,", "Alejandro Mayorkas", mention="said Mayorkas", ent=0),
                _quote(a2, "I think we need to strengthen our policies and practices and communicate more effectively what we are "
                           "doing and why we are doing it.", "Alejandro Mayorkas", mention="he continued", cue="continued", ent=0),
                _quote(a2, "I am now seeing cases where we are arresting and removing people who I think should be prosecuted,",
                       "Alejandro Mayorkas", mention="he reportedly said", cue="reportedly said", ent=0),
                _quote(a2, "In all honesty, I need to understand why some of these people are not the subject of a USC 826 "
                           "Title 8 case, and I intend to work with the DOJ in that regard,", "Alejandro Mayorkas",
                       mention="he said", ent=0, nth=0)],
        attributions=[_attr(a2, "According to the Washington Times, which reviewed notes from the meeting, Mayorkas spoke in a "
                                "virtual town hall with ICE staff last week", "The Washington Times", "outlet", "according to",
                            "the Washington Times")],
        claims=[_claim(a2, "826", 826, "section", "Title 8 USC section Mayorkas cited", "Alejandro Mayorkas"),
                _claim(a2, "1326", 1326, "section", "Title 8 section on reentry", None)])
    ann["003"] = Annotations(
        entities=[mayorkas(a3.id, 0),
                  LocalEntity(a3.id, 1, "Jon Feere", "person", aliases=["Feere"],
                              roles=[Role("top ICE employee", a3.id, current=False, org="ICE")]),
                  LocalEntity(a3.id, 2, "Ahilan Arulananthem", "person", roles=[Role("professor", a3.id, org="UCLA School of Law")]),
                  LocalEntity(a3.id, 3, "The Washington Times", "outlet", aliases=["the newspaper"])],
        quotes=[_quote(a3, "I’m 100 percent opposed to the abolition of ICE. It is the opposite of what I think needs to occur. "
                           "I think we need to strengthen our policies and practices and communicate more effectively what we "
                           "do and why we do it.", "Alejandro Mayorkas", kind="block", mention="Mayorkas also told ICE employees",
                       cue="told ICE employees", ent=0, via="The Washington Times"),
                _quote(a3, "I see cases now where we apprehend and remove individuals that I think need to be prosecuted criminally,",
                       "Alejandro Mayorkas", ent=0, via="The Washington Times"),
                _quote(a3, "Quite frankly, I’m going to have to understand why some of these individuals are not subject to a "
                           "Title 8 USC 1326 case, and I intend to work with the DOJ in that regard.", "Alejandro Mayorkas",
                       ent=0, via="The Washington Times"),
                _quote(a3, "noble mission", "Alejandro Mayorkas", kind="partial", mention="Mayorkas reportedly said",
                       cue="reportedly said", ent=0),
                _quote(a3, "Biden’s DHS is allowing thousands of criminal aliens to run free via its own policies.", "Jon Feere",
                       kind="block", mention="Feere told The Washington Times", cue="told The Washington Times", ent=1),
                _quote(a3, "internal discussions with our personnel, including those that are deliberative and law enforcement "
                           "sensitive.", "Department of Homeland Security", kind="partial", speaker_kind="organisation",
                       cue="citing"),
                _quote(a3, "I’ve seen this administration say a lot of things that I feel like they’re disingenuous about",
                       "another official, who was not named", kind="block", speaker_kind="anonymous", cue="told the newspaper")],
        attributions=[_attr(a3, "Department of Homeland Security (DHS) Secretary Alejandro Mayorkas reaffirmed his support for "
                                "Immigration and Customs Enforcement (ICE) and has even revealed that he is planning to take "
                                "action against sanctuary cities that refuse to work with the agency, according to an exclusive "
                                "report by The Washington Times.", "The Washington Times", "outlet", "according to",
                            "an exclusive report by The Washington Times"),
                      _attr(a3, "The Washington Times reported that Mayorkas said he is working on a new set of deportation "
                                "guidelines", "The Washington Times", "outlet", "reported")],
        claims=[_claim(a3, "1326", 1326, "section", "Title 8 USC section Mayorkas cited", "Alejandro Mayorkas", nth=1),
                _claim(a3, "100 percent", 100, "percent", "Mayorkas' opposition to abolishing ICE", "Alejandro Mayorkas")])
    ann["004"] = Annotations(
        entities=[magnus(a4.id, 0), mayorkas(a4.id, 1),
                  LocalEntity(a4.id, 2, "Raul Ortiz", "person", aliases=["Ortiz", "Chief Ortiz"],
                              roles=[Role("head of Border Patrol", a4.id)])],
        quotes=[_quote(a4, "I expressed to him that I felt there was no justification for me to resign when I still cared "
                           "deeply about the work I was doing and felt that that work was focused on the things I was hired "
                           "to do in the first place,", "Chris Magnus", mention="Magnus told the newspaper",
                       cue="told the newspaper", ent=0, via="Los Angeles Times"),
                _quote(a4, "When it comes to the border, I was never comfortable saying the border was secure", "Chris Magnus",
                       mention="he told the outlet", cue="told the outlet", ent=0),
                _quote(a4, "missing in action,", "one official", kind="partial", speaker_kind="anonymous", mention="One said")],
        attributions=[_attr(a4, "The Los Angeles Times interviewed Magnus and was the first outlet to break the story",
                            "Los Angeles Times", "outlet", "first to break", "The Los Angeles Times")],
        claims=[_claim(a4, "two million encounters", 2000000, "encounters", "encounters with migrants at the border last fiscal year",
                       "The New American")])
    return dict(articles=arts, annotations=ann)


def link_result(arts: dict[str, Article]) -> SimpleNamespace:
    """Link-stage records for the sample articles."""
    i = {k: a.id for k, a in arts.items()}
    entities = [
        dict(id="person-alejandro-mayorkas", name="Alejandro Mayorkas", type="person", aliases=["Mayorkas", "Mr. Mayorkas"],
             roles=[{"title": "Homeland Security Secretary", "article_id": i[k], "current": True, "org": "DHS"} for k in ("000", "002", "003")],
             article_ids=[i[k] for k in ("000", "001", "002", "003", "004")]),
        dict(id="person-chris-magnus", name="Chris Magnus", type="person", aliases=["Magnus", "Commissioner Magnus"],
             roles=[{"title": "CBP Commissioner", "article_id": i[k], "current": True, "org": None} for k in ("001", "004")],
             article_ids=[i["001"], i["004"]]),
        dict(id="person-jon-feere", name="Jon Feere", type="person", aliases=["Feere"],
             roles=[{"title": "top ICE employee", "article_id": i["003"], "current": False, "org": "ICE"}],
             article_ids=[i["003"]]),
        dict(id="person-julio-rosas", name="Julio Rosas", type="person", aliases=["Rosas"],
             roles=[{"title": "Townhall Senior Writer", "article_id": i["000"], "current": True, "org": "Townhall"}],
             article_ids=[i["000"]]),
        dict(id="person-raul-ortiz", name="Raul Ortiz", type="person", aliases=["Ortiz"],
             roles=[{"title": "Border Patrol Chief", "article_id": i["000"], "current": True, "org": None}],
             article_ids=[i["000"], i["004"]]),
        dict(id="outlet-washington-times", name="The Washington Times", type="outlet", aliases=["Washington Times"],
             roles=[], article_ids=[i["002"], i["003"]]),
    ]
    entity_map = {(i["000"], 0): "person-alejandro-mayorkas", (i["000"], 1): "person-julio-rosas",
                  (i["000"], 2): "person-raul-ortiz", (i["001"], 0): "person-chris-magnus",
                  (i["001"], 1): "person-alejandro-mayorkas", (i["002"], 0): "person-alejandro-mayorkas",
                  (i["003"], 0): "person-alejandro-mayorkas", (i["003"], 1): "person-jon-feere",
                  (i["003"], 3): "outlet-washington-times", (i["004"], 0): "person-chris-magnus",
                  (i["004"], 1): "person-alejandro-mayorkas", (i["004"], 2): "person-raul-ortiz"}
    q = lambda k, n: f"{i[k]}-q{n}"  # noqa: E731
    groups = [
        QuoteGroup(id="g-1326", quote_ids=[q("003", 2), q("002", 3)],
                   variant="Quite frankly, I’m going to have to understand why some of these individuals are not subject to "
                           "a Title 8 USC 1326 case, and I intend to work with the DOJ in that regard.",
                   differences=[{"quote_id": q("002", 3), "figures": ["1326 -> 826"], "drift": True}],
                   speaker="Alejandro Mayorkas", first_article=i["003"], drift=True),
        QuoteGroup(id="g-abolition", quote_ids=[q("003", 0), q("002", 0)],
                   variant="I’m 100 percent opposed to the abolition of ICE. It is the opposite of what I think needs to "
                           "occur. I think we need to strengthen our policies and practices and communicate more effectively "
                           "what we do and why we do it.",
                   speaker="Alejandro Mayorkas", first_article=i["003"], drift=False),
        QuoteGroup(id="g-cases", quote_ids=[q("003", 1), q("002", 2)],
                   variant="I see cases now where we apprehend and remove individuals that I think need to be prosecuted criminally,",
                   speaker="Alejandro Mayorkas", first_article=i["003"], drift=False),
        QuoteGroup(id="g-justification", quote_ids=[q("004", 0), q("001", 1)],
                   variant="I expressed to him that I felt there was no justification for me to resign when I still cared deeply "
                           "about the work I was doing and felt that that work was focused on the things I was hired to do "
                           "in the first place,",
                   speaker="Chris Magnus", first_article=i["004"], drift=False),
    ]
    return SimpleNamespace(
        stories=[Story(id="s-ice", label="Mayorkas tells ICE staff he opposes abolishing ICE",
                       article_ids=[i["000"], i["003"], i["002"]], start="2022-02-01", end="2022-06-14"),
                 Story(id="s-magnus", label="CBP Commissioner Chris Magnus asked to resign",
                       article_ids=[i["004"], i["001"]], start="2022-11-13", end="2022-11-14")],
        links=[Link(a=i["003"], b=i["002"], kind="rewrite", score=0.71,
                    evidence=[{"a": "I’m 100 percent opposed to the abolition of ICE.",
                               "b": "I am 100 percent against the abolition of the ICE,", "similarity": 0.74}]),
               Link(a=i["004"], b=i["001"], kind="derived", score=0.42,
                    evidence=[{"shared_quote": "I expressed to him that I felt there was no justification"}]),
               Link(a=i["000"], b=i["003"], kind="same-story", score=0.2)],
        quote_groups=groups,
        provenance=[dict(item_type="quote_group", item_id="g-1326", first_article=i["003"],
                         first_outlet="Law Enforcement Today", first_published="2022-06-13",
                         outlets=["Law Enforcement Today", None], via=["The Washington Times"]),
                    dict(item_type="quote_group", item_id="g-justification", first_article=i["004"],
                         first_outlet="The New American", first_published="2022-11-13",
                         outlets=["The New American", None], via=["Los Angeles Times"]),
                    dict(item_type="claim", item_id=f"{i['003']}-c0", first_article=i["003"],
                         first_outlet="Law Enforcement Today", first_published="2022-06-13",
                         outlets=["Law Enforcement Today"], via=["The Washington Times"])],
        citations=[dict(article_id=i["002"], cited="The Washington Times", kind="outlet", count=1),
                   dict(article_id=i["003"], cited="The Washington Times", kind="outlet", count=9),
                   dict(article_id=i["001"], cited="Los Angeles Times", kind="outlet", count=2),
                   dict(article_id=i["001"], cited="CBS News", kind="outlet", count=1),
                   dict(article_id=i["004"], cited="Los Angeles Times", kind="outlet", count=2),
                   dict(article_id=i["000"], cited="Axios", kind="outlet", count=1),
                   dict(article_id=i["000"], cited="Townhall", kind="outlet", count=1)],
        outlet_citations=[dict(from_outlet="Law Enforcement Today", to_outlet="The Washington Times", count=9),
                          dict(from_outlet="The New American", to_outlet="Los Angeles Times", count=2)],
        figure_conflicts=[dict(id="fc-usc", story_id="s-ice", what="Title 8 USC section Mayorkas cited",
                               figures=[{"article_id": i["003"], "text": "1326", "value": 1326,
                                         "asserted_by": "Alejandro Mayorkas",
                                         "sentence": "Title 8 USC 1326 case, and I intend to work with the DOJ in that regard."},
                                        {"article_id": i["002"], "text": "826", "value": 826,
                                         "asserted_by": "Alejandro Mayorkas",
                                         "sentence": "not the subject of a USC 826 Title 8 case, and I intend to work with the DOJ"}])],
        entities=entities, entity_map=entity_map)


def build_sample_db(path: Path) -> dict:
    """Write the sample database; returns the records (articles, annotations)."""
    recs = sample_records()
    with open_store(path) as store:
        for key, a in recs["articles"].items():
            store.write_article(a, recs["annotations"][key], file=a.source, run_id=1)
        store.write_link_result(link_result(recs["articles"]))
    return recs


# Each payload would change window.__pwned or document.title, or open a dialog, if it ran.
PAYLOADS = [
    "<script>window.__pwned='script';document.title='PWNED'</script>",
    "\" onmouseover=\"window.__pwned='attr'\" x=\"",
    "' onfocus='window.__pwned=1' autofocus='",
    "<img src=x onerror=\"window.__pwned='img';alert(1)\">",
    "</script><script>window.__pwned='break'</script>",
    "<svg onload=\"window.__pwned='svg'\"></svg>",
    "{{ 7*7 }}",
]
JS_URL = "javascript:window.__pwned='href';alert(document.domain)"


def build_hostile_db(path: Path) -> dict:
    """Write a database whose article, quotes, speakers, outlet, URL, entities and story carry payloads."""
    bad = " ".join(PAYLOADS)
    text = (f"Officials met on Monday. {bad} The spokesman said: “{PAYLOADS[1]} we will act {PAYLOADS[0]}.”\n\n"
            f"Read more at {JS_URL} and <a href=\"{JS_URL}\">here</a>. The figure was 12 {PAYLOADS[3]}.")
    a = Article(id="evil1", source=f"evil/{PAYLOADS[1]}.txt", raw_text=text, text=text, title=f"Title {bad}",
                outlet=f"Outlet {PAYLOADS[3]}{PAYLOADS[1]}", url=JS_URL, published="2022-03-01",
                authors=[PAYLOADS[0]], dateline=PAYLOADS[2],
                posts=[Post(author=PAYLOADS[0], handle=PAYLOADS[1], date=PAYLOADS[2], text=bad,
                            links=[JS_URL, "data:text/html,<script>alert(1)</script>", "https://example.org/ok"])])
    b_text = f"Another outlet wrote: “{PAYLOADS[1]} we will not act {PAYLOADS[4]}.”"
    b = Article(id="evil2", source="evil/b.txt", raw_text=b_text, text=b_text, title=PAYLOADS[4],
                outlet=PAYLOADS[5], url=" JaVaScRiPt:window.__pwned='ws'", published="2022-03-02")
    qs, qe = _span(text, f"{PAYLOADS[1]} we will act {PAYLOADS[0]}.")
    ss, se = _span(text, "The spokesman")
    speaker = f"Spokes{PAYLOADS[0]}man {PAYLOADS[1]}"
    ann_a = Annotations(
        entities=[LocalEntity(a.id, 0, speaker, "person", aliases=[PAYLOADS[3]],
                              roles=[Role(PAYLOADS[2], a.id, org=PAYLOADS[5])])],
        quotes=[Quote(a.id, "direct", text[qs:qe], qs, qe, speaker, "person", speaker_mention=PAYLOADS[1],
                      speaker_start=ss, speaker_end=se, cue=PAYLOADS[2], via=PAYLOADS[3], speaker_entity=0),
                Quote(a.id, "post", bad, 0, 0, PAYLOADS[0], "person", cue=PAYLOADS[1], post_index=0)],
        attributions=[Attribution(a.id, PAYLOADS[3], "outlet", PAYLOADS[1], PAYLOADS[0], 0, 24, named=False)],
        claims=[Claim(a.id, PAYLOADS[3], 12.0, PAYLOADS[1], PAYLOADS[0], PAYLOADS[2], *_span(text, "12"),
                      kind="date", date=PAYLOADS[4])])
    bqs, bqe = _span(b_text, f"{PAYLOADS[1]} we will not act {PAYLOADS[4]}.")
    ann_b = Annotations(quotes=[Quote(b.id, "direct", b_text[bqs:bqe], bqs, bqe, PAYLOADS[4], PAYLOADS[1])])
    result = SimpleNamespace(
        stories=[Story(id=f"story-{PAYLOADS[1]}", label=f"Story {bad}", article_ids=[a.id, b.id],
                       start=PAYLOADS[0], end=PAYLOADS[2])],
        links=[Link(a=a.id, b=b.id, kind=PAYLOADS[1], score=0.9, evidence=[{PAYLOADS[0]: PAYLOADS[3]}, PAYLOADS[5]])],
        quote_groups=[QuoteGroup(id=f"g{PAYLOADS[1]}", quote_ids=[f"{a.id}-q0", f"{b.id}-q0"], variant=text[qs:qe],
                                 speaker=PAYLOADS[0], first_article=a.id, drift=True)],
        provenance=[dict(item_type="quote_group", item_id=f"g{PAYLOADS[1]}", first_article=a.id,
                         first_outlet=PAYLOADS[3], first_published=PAYLOADS[0], outlets=[PAYLOADS[0], {"outlet": PAYLOADS[1]}],
                         via=[PAYLOADS[4], {"source": PAYLOADS[5]}])],
        citations=[dict(article_id=a.id, cited=PAYLOADS[0], kind="outlet", count=1),
                   dict(article_id=b.id, cited=PAYLOADS[1], kind="outlet", count=2)],
        outlet_citations=[],
        figure_conflicts=[dict(id=PAYLOADS[1], story_id=f"story-{PAYLOADS[1]}", what=PAYLOADS[0],
                               figures=[{"article_id": a.id, "text": PAYLOADS[3], "asserted_by": PAYLOADS[1],
                                         "sentence": PAYLOADS[4]}, PAYLOADS[5]])],
        entities=[dict(id=f"p{PAYLOADS[1]}", name=speaker, type="person", aliases=[PAYLOADS[3]],
                       roles=[{"title": PAYLOADS[0], "article_id": a.id, "current": True, "org": PAYLOADS[1]}],
                       article_ids=[a.id, b.id])],
        entity_map={(a.id, 0): f"p{PAYLOADS[1]}"})
    with open_store(path) as store:
        store.write_article(a, ann_a, file="evil", run_id=1)
        store.write_article(b, ann_b, file="evil", run_id=1)
        store.write_link_result(result)
    return dict(articles=[a, b])


def css(el, selector: str) -> list:
    """Elements under ``el`` matching a simple CSS selector (tag, #id, .class, descendant, ``>``).

    A small stand-in for lxml's cssselect (not a dependency here).
    """
    steps, axis = [], "descendant-or-self::"
    for token in selector.replace(">", " > ").split():
        if token == ">":
            axis = "child::"
            continue
        m = re.fullmatch(r"([a-zA-Z][a-zA-Z0-9]*)?((?:[#.][A-Za-z0-9_-]+)*)", token)
        assert m, f"unsupported selector: {token!r}"
        preds = []
        for kind, name in re.findall(r"([#.])([A-Za-z0-9_-]+)", m.group(2)):
            preds.append(f"[@id='{name}']" if kind == "#" else
                         f"[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")
        steps.append(axis + (m.group(1) or "*") + "".join(preds))
        axis = "descendant::"
    return el.xpath("/".join(steps))
