"""Tests for the link stage: link kinds on real passages, stories, quote groups, drift, provenance."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import types
from pathlib import Path

import pytest

from conftest_report import sample_records
from newstrace.config import Settings
from newstrace.link import LinkResult, align_sentences, link_articles, quote_drift
from newstrace.link import quote_groups as qg
from newstrace.link.features import EntityRows, Texts, article_entity_names, build_docs
from newstrace.link.pair_model import PAIR_FEATURES, PairModel, load_pair_model, neighbour_pairs, pair_features
from newstrace.link.stories import cluster_stories, pair_similarity
from newstrace.rows import as_rows
from newstrace.store import article_rows, open_store
from repo_scripts import load_script

SETTINGS = Settings()
REPO = Path(__file__).resolve().parents[1]


def _bbc(corpus_dir, name: str) -> str:
    return (corpus_dir / "bbc" / f"{name}.txt").read_text(encoding="latin-1")


def _art(aid: str, text: str, published: str | None = None, outlet: str | None = None) -> dict:
    title, _, body = text.partition("\n")
    return dict(id=aid, title=title.strip(), text=body.strip(), published=published, outlet=outlet)


def _link(arts: list[dict], **kw) -> LinkResult:
    return link_articles(arts, quotes=kw.get("quotes", []), claims=kw.get("claims", []),
                         local_entities=kw.get("local_entities", []), attributions=kw.get("attributions", []),
                         existing_stories=kw.get("existing_stories", []), settings=kw.get("settings", SETTINGS))


def _kinds(result: LinkResult) -> dict[tuple[str, str], str]:
    return {(lk.a, lk.b): lk.kind for lk in result.links}


@pytest.fixture(scope="module")
def sample_inputs() -> tuple[dict, dict[str, str]]:
    """The five seed articles with the hand-made annotations of conftest_report, as stored rows."""
    recs = sample_records()
    rows: dict[str, list] = {k: [] for k in ("articles", "quotes", "claims", "local_entities", "attributions")}
    for key, a in recs["articles"].items():
        r = article_rows(a, recs["annotations"][key], file=a.source, run_id=1)
        for k in rows:
            rows[k] += r[k]
    for e in rows["local_entities"]:
        e["aliases"], e["roles"] = json.loads(e["aliases"]), json.loads(e["roles"])
    names = {a.id: key for key, a in recs["articles"].items()}
    return rows, names


def _run_sample(rows: dict, **kw) -> LinkResult:
    return link_articles(rows["articles"], quotes=rows["quotes"], claims=rows["claims"],
                         local_entities=rows["local_entities"], attributions=rows["attributions"],
                         existing_stories=kw.get("existing_stories", []), settings=SETTINGS)


# -- link kinds on real passages --------------------------------------------------------------

def test_link_duplicate_bbc_update(corpus_dir):
    # politics/265 is politics/226 re-filed with light edits (BBC's own duplicate)
    a = _art("p226", _bbc(corpus_dir, "politics/226"))
    b = _art("p265", _bbc(corpus_dir, "politics/265"))
    result = _link([b, a])
    assert _kinds(result) == {("p226", "p265"): "duplicate"}
    assert result.story_of["p226"] == result.story_of["p265"]
    assert result.links[0].evidence and all({"a", "b", "similarity"} <= set(e) for e in result.links[0].evidence)


# A hand paraphrase of BBC politics/226 (a few sentences left out): other words, same facts, same
# figures and quote in the same order.
REWRITE_226 = """Conservatives reveal plan to axe quangos

The Conservative party has set out a scheme to scrap 162 quangos, in a bid to demonstrate how bureaucracy in government could be reduced.

Under the Tory proposals, six government units would also go, which the party claims would save over £4.3bn. Strategic health authorities and the recently created fair access regulator for universities are among those targeted. John Redwood, a Tory frontbencher, argued that the UK required leaner government and reduced taxation in order to compete.

Regional assemblies would be abolished under the plans, as would further regional organisations such as boards dealing with housing and industrial development. Those powers would go back to national government or to elected local councils. According to the Tories, strategic health authorities are unnecessary because hospitals and surgeries are better run by local people than by officials.

Unveiling the proposals, Mr Redwood said: "Mr Blair has forgotten the interests of taxpayers, and has broken the pledges he made. "Far from improving public services, spending taxpayers' money on quangos has led only to more bureaucrats, more regulation and higher taxes." Michael Howard, who leads the party, said spending had to be brought under control and the country needed a new direction. "Labour are creating Two Britains: the Britain of the forgotten majority and bureaucratic Britain," he said. Ministers have already set out proposals to shed 100,000 civil service jobs to make government more efficient. The Liberal Democrats say they would reduce the number of Whitehall departments so that more money gets to frontline services.
"""


def test_link_rewrite_hand_paraphrase(corpus_dir):
    a = _art("orig", _bbc(corpus_dir, "politics/226"), published="2005-01-10")
    b = _art("para", REWRITE_226, published="2005-01-11")
    result = _link([a, b])
    assert _kinds(result) == {("orig", "para"): "rewrite"}
    ev = result.links[0].evidence
    assert len(ev) >= 5
    assert any("162" in e["a"] and "162" in e["b"] for e in ev)


def test_link_derived_block_quote(corpus_dir):
    # a commentary that quotes four paragraphs of a BBC report at length, then adds its own
    src = _bbc(corpus_dir, "politics/252")
    body = src.partition("\n")[2].strip().split("\n\n")
    own = _bbc(corpus_dir, "politics/255").partition("\n")[2].strip().split("\n\n")
    derived_text = "Brown camp stays silent\n\n" + "\n\n".join(own[:4] + ["As the BBC reported:"] + body[:4] + own[4:8])
    a = _art("bbc252", src, published="2005-01-09", outlet="BBC News")
    b = _art("blog", derived_text, published="2005-01-10", outlet="Some Blog")
    result = _link([a, b])
    assert _kinds(result) == {("bbc252", "blog"): "derived"}


def test_link_same_story_independent_reports(corpus_dir):
    # two BBC reports of one event (the hunting ban coming into force), written apart
    a = _art("p137", _bbc(corpus_dir, "politics/137"), published="2005-01-27")
    b = _art("p152", _bbc(corpus_dir, "politics/152"), published="2005-01-28")
    other = _art("t001", _bbc(corpus_dir, "tech/001"), published="2005-01-27")
    result = _link([a, b, other])
    assert result.story_of["p137"] == result.story_of["p152"] != result.story_of["t001"]
    assert _kinds(result) == {("p137", "p152"): "same-story"}


def test_link_derived_recycled_paragraphs(corpus_dir):
    # politics/253 (Blair dismisses the quit claims) re-uses eight paragraphs of politics/252
    a = _art("p252", _bbc(corpus_dir, "politics/252"), published="2005-01-09")
    b = _art("p253", _bbc(corpus_dir, "politics/253"), published="2005-01-10")
    result = _link([a, b])
    assert _kinds(result) == {("p252", "p253"): "derived"}
    assert sum(1 for e in result.links[0].evidence if e.get("similarity", 0) >= 0.99) >= 4


def test_link_seed_pairs(sample_inputs):
    rows, names = sample_inputs
    result = _run_sample(rows)
    got = {(names[lk.a], names[lk.b]): lk.kind for lk in result.links}
    # 002 is a machine paraphrase of a Washington Times report that 003 quotes at length;
    # 001 and 004 both re-tell the Los Angeles Times interview with Magnus
    assert got.get(("003", "002")) == "derived"
    assert got.get(("004", "001")) == "derived"
    assert ("000", "003") not in got and ("000", "002") not in got


# -- stories ---------------------------------------------------------------------------------

def test_link_stories_seeds_split_by_event(sample_inputs):
    rows, names = sample_inputs
    result = _run_sample(rows)
    clusters = sorted(sorted(names[a] for a in s.article_ids) for s in result.stories)
    assert clusters == [["000"], ["001", "004"], ["002", "003"]]
    for s in result.stories:
        assert s.start <= s.end
        assert s.label


def test_link_stories_incremental_keep_ids(sample_inputs):
    rows, names = sample_inputs
    first = _run_sample(rows)
    old = [dict(id=s.id, label=s.label, article_ids=s.article_ids, start=s.start, end=s.end)
           for s in first.stories]
    renamed = [dict(o, id=f"kept-{i}") for i, o in enumerate(old)]
    second = _run_sample(rows, existing_stories=renamed)
    assert sorted((s.id, tuple(sorted(s.article_ids))) for s in second.stories) == \
        sorted((r["id"], tuple(sorted(r["article_ids"]))) for r in renamed)


# -- quote groups and drift ------------------------------------------------------------------

def test_link_quote_groups_seeds(sample_inputs):
    rows, names = sample_inputs
    result = _run_sample(rows)
    groups = {tuple(sorted(g.quote_ids)): g for g in result.quote_groups}
    ids = {a: k for k, a in names.items()}
    q = lambda k, n: f"{ids[k]}-q{n}"  # noqa: E731
    statute = groups[tuple(sorted([q("003", 2), q("002", 3)]))]
    assert statute.drift is True
    assert statute.first_article == ids["003"]
    (diff,) = statute.differences
    assert diff["figures"] == ["1326 -> 826"]
    assert diff["quote_id"] == q("002", 3)
    abolition = groups[tuple(sorted([q("003", 0), q("002", 0), q("002", 1)]))]
    assert abolition.drift is False
    assert abolition.variant.startswith("I’m 100 percent opposed")
    assert tuple(sorted([q("003", 1), q("002", 2)])) in groups  # machine-paraphrased wording
    assert tuple(sorted([q("004", 0), q("001", 1)])) in groups


def test_link_quote_groups_compare_speakers_only_of_pairs_above_a_threshold(sample_inputs, monkeypatch):
    # the seeds' quote groups as before, but a candidate pair below both thresholds (0.72, and 0.6
    # for one speaker) is not asked who spoke, and a speaker's canonical words are made once: the
    # calls are those of the short quotes' speakers and at most one per distinct speaker
    rows, _ = sample_inputs
    calls: list[str | None] = []

    def counted(name):
        calls.append(name)
        return canonical(name)
    canonical = qg.canonical_words
    monkeypatch.setattr(qg, "canonical_words", counted)
    result = _run_sample(rows)
    assert len(result.quote_groups) == 4
    short = sum(1 for q in rows["quotes"] if q["speaker"] and 2 <= len(q["text"].split()) < 4)
    assert len(calls) <= short + len({q["speaker"] for q in rows["quotes"]})


@pytest.mark.parametrize("ref,var,field,expected", [
    ("not subject to a Title 8 USC 1326 case", "not the subject of a USC 826 Title 8 case", "figures", ["1326 -> 826"]),
    ("We will not raise taxes on working families", "We will raise taxes on working families", "negation",
     "1 -> 0 negations"),
    ("I spoke with Senator Warren about the bill yesterday", "I spoke with Senator Sanders about the bill yesterday",
     "names", ["+sanders", "-warren"]),
    ("I am 100 percent against the abolition of the ICE", "I'm 100 percent opposed to the abolition of ICE",
     "drift", False),
])
def test_link_quote_drift(ref, var, field, expected):
    assert quote_drift(ref, var)[field] == expected


@pytest.mark.parametrize("text,key", [
    ("not subject to a Title 8 USC 1326 case", "title 8 usc 1326"),
    ("charged under § 1326 of 8 U.S.C.", "section 1326 8 usc"),
    ("I read the title of the book twice", ""),
])
def test_link_statute_key(text, key):
    from newstrace.link.quote_groups import statute_key

    assert statute_key(text) == key


def test_link_quote_drift_statute_reordered():
    d = quote_drift("why they are not subject to a Title 8 USC 1326 case", "why they are not subject to a USC 1326 Title 8 case")
    assert d["figures"] == []
    assert d["statute"] == "title 8 usc 1326 -> usc 1326 title 8"
    assert d["drift"] is True


def test_link_quote_drift_diff_pieces():
    ref, var = "I see cases now where we apprehend", "I am now seeing cases where we apprehend"
    d = quote_drift(ref, var)
    assert " ".join(p["text"] for p in d["diff"] if p["op"] != "del") == var
    assert " ".join(p["text"] for p in d["diff"] if p["op"] != "ins") == ref
    assert d["diff"][-1] == {"op": "eq", "text": "where we apprehend"}
    assert d["drift"] is False


# -- provenance and citations -----------------------------------------------------------------

def test_link_provenance_and_citations(sample_inputs):
    rows, names = sample_inputs
    result = _run_sample(rows)
    ids = {a: k for k, a in names.items()}
    by_group = {p["item_id"]: p for p in result.provenance if p["item_type"] == "quote_group"}
    magnus = next(g for g in result.quote_groups if g.speaker == "Chris Magnus")
    prov = by_group[magnus.id]
    assert prov["first_article"] == ids["004"]
    assert prov["first_outlet"] == "The New American"
    assert prov["via"] == ["Los Angeles Times"]
    assert set(prov) == {"item_type", "item_id", "first_article", "first_outlet", "first_published", "outlets", "via"}
    cites = {(names[c["article_id"]], c["cited"]): c["count"] for c in result.citations}
    assert cites[("003", "The Washington Times")] >= 3
    assert ("The New American", "Los Angeles Times") in {(o["from_outlet"], o["to_outlet"]) for o in result.outlet_citations}
    (conflict,) = result.figure_conflicts
    assert sorted(f["value"] for f in conflict["figures"]) == [826, 1326]


# -- alignment and determinism ----------------------------------------------------------------

def test_link_align_sentences_one_to_one():
    pairs = align_sentences("Prices rose 5% in March. The bank held rates. Nothing else happened today.",
                            "The central bank held interest rates. In March prices rose by 5%.")
    assert [(p["ia"], p["ib"]) for p in pairs] == [(0, 1), (1, 0)]


def test_link_deterministic_under_input_order(sample_inputs):
    rows, _ = sample_inputs
    first = _run_sample(rows)
    shuffled = {k: list(v) for k, v in rows.items()}
    rng = random.Random(7)
    for v in shuffled.values():
        rng.shuffle(v)
    second = _run_sample(shuffled)
    assert repr(first) == repr(second)


def test_link_evidence_in_link_order(sample_inputs):
    rows, names = sample_inputs
    result = _run_sample(rows)
    texts = {a["id"]: a["text"] for a in rows["articles"]}
    (link,) = [lk for lk in result.links if (names[lk.a], names[lk.b]) == ("003", "002")]
    pairs = [e for e in link.evidence if "a" in e]
    assert pairs and all(e["a"] in texts[link.a] and e["b"] in texts[link.b] for e in pairs)


def test_link_incremental_new_article_joins_kept_story(sample_inputs):
    rows, names = sample_inputs
    ids = {k: a for a, k in names.items()}
    first_rows = dict(rows, articles=[a for a in rows["articles"] if a["id"] != ids["002"]])
    first = _run_sample(first_rows)
    old = [dict(id=f"kept-{i}", label=s.label, article_ids=s.article_ids, start=s.start, end=s.end)
           for i, s in enumerate(first.stories)]
    second = _run_sample(rows, existing_stories=old)
    kept = next(o["id"] for o in old if ids["003"] in o["article_ids"])
    assert second.story_of[ids["002"]] == kept
    assert {s.id for s in second.stories} == {o["id"] for o in old}


def test_link_derived_block_quote_with_via(corpus_dir):
    # a commentary whose block quote (two sentences) is credited to the BBC: the quote's via
    # names the other article's outlet
    src = _bbc(corpus_dir, "politics/226")
    a = _art("bbc", src, published="2005-01-10", outlet="BBC News")
    block = ("Plans to abolish 162 quangos have been unveiled by the Conservatives as part of their effort to "
             "show how government red tape can be cut. Six government units would also be scrapped under "
             "proposals which the Tories say would save more than £4.3bn.")
    own = _bbc(corpus_dir, "politics/107").partition("\n")[2].strip().split("\n\n")
    text = "\n\n".join(own[:3] + ["The BBC reported:", block] + own[3:6])
    b = dict(id="comment", title="Budget week", text=text, published="2005-01-11", outlet="Comment Weekly")
    start = text.index(block)
    quotes = [dict(id="comment-q0", article_id="comment", kind="block", text=block, start=start,
                   end=start + len(block), speaker="BBC News", via="BBC News", parent_id=None)]
    result = _link([a, b], quotes=quotes)
    (link,) = result.links
    assert (link.a, link.b, link.kind) == ("bbc", "comment", "derived")
    assert {"via": "BBC News", "quote": block[:200]} in link.evidence


def test_link_fingerprint_cap_drops_common_keys():
    from newstrace.link.candidates import fingerprint_candidates

    # keys: 0 common to all, 1-3 shared, 100+i each article's own
    keys = [[0, 1, 2, 3, 100 + i] for i in range(60)]
    assert fingerprint_candidates(keys, cap=40, min_shared=4) == set()
    assert fingerprint_candidates(keys[:10], cap=40, min_shared=4) == {(i, j) for i in range(10) for j in range(i + 1, 10)}
    # three shared keys are not enough
    assert fingerprint_candidates([k[1:] for k in keys[:10]], cap=40, min_shared=4) == set()


def test_link_shared_key_blocks_counts_each_pair_once():
    from newstrace.link.candidates import Keys, shared_key_blocks

    keys = Keys([[1, 2], [1, 2, 3], [3], [1], [9], []])

    def rows(cap, block=2048):
        return [(int(a), int(b), int(n)) for xs in shared_key_blocks(keys, cap=cap, block=block)
                for a, b, n in zip(*xs)]

    assert rows(40) == [(0, 1, 2), (0, 3, 1), (1, 2, 1), (1, 3, 1)]
    assert rows(40, block=1) == rows(40)  # a block of one item at a time gives the same pairs
    assert rows(2) == [(0, 1, 1), (1, 2, 1)]


def test_link_deterministic_across_processes(sample_inputs, tmp_path):
    # string hashing is salted per process: nothing may depend on set or dict-of-str order
    import hashlib
    import subprocess
    import sys

    rows, _ = sample_inputs
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows))
    code = ("import hashlib, json, sys; from newstrace.link import link_articles; from newstrace.config import Settings; "
            "r = json.load(open(sys.argv[1])); "
            "res = link_articles(r['articles'], quotes=r['quotes'], claims=r['claims'], local_entities=r['local_entities'], "
            "attributions=r['attributions'], existing_stories=[], settings=Settings()); "
            "print(hashlib.sha1(repr(res).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                              env=dict(__import__("os").environ, PYTHONHASHSEED=seed)).stdout.strip()
               for seed in ("987",)}
    here = hashlib.sha1(repr(_run_sample(json.loads(path.read_text()))).encode()).hexdigest()
    assert digests == {here}


def test_link_alignment_ties_independent_of_hash_seed(tmp_path):
    # fixture lists whose sentences hold the same words in another order score equal: which one
    # aligns with which must not depend on the order a set of words iterates in (it did: 3 links
    # of 13,560 changed their evidence between runs of one 5,695-article database; here hash
    # seed 8 gave other evidence than seeds 1-7 did)
    import subprocess
    import sys

    fixtures = ["Republic of Ireland v Cyprus; France v Israel; Switzerland v Faroe Islands.",
                "Switzerland v Republic of Ireland; Israel v Cyprus; Faroe Islands v France.",
                "France v Republic of Ireland; Israel v Switzerland; Cyprus v Faroe Islands.",
                "Republic of Ireland v France; Cyprus v Switzerland; Faroe Islands v Israel."]
    text = ("Ireland will close their bid to reach the finals by playing Switzerland in Dublin in October. "
            + " ".join(fixtures) + " The manager said the fixture list was fair to every team in the group.")
    arts = [dict(id="a", text=text, published="2005-01-01"),
            dict(id="b", text=text.replace("Israel;", "ISRAEL;", 1), published="2005-01-02")]
    # other articles give the words unequal idf weights, so sums depend on their order
    others = ["Israel beat Cyprus in a friendly.", "France and Switzerland drew in Geneva on Sunday night.",
              "The Faroe Islands lost to Ireland.", "Cyprus hosted Israel and France in a tournament.",
              "Switzerland named a new coach for the Republic game."]
    arts += [dict(id=f"o{k}", text=t + " Nothing else happened in the match that day at all.", published="2005-03-01")
             for k, t in enumerate(others)]
    path = tmp_path / "arts.json"
    path.write_text(json.dumps(arts))
    code = ("import json, sys; from newstrace.link import link_articles; "
            "r = link_articles(json.load(open(sys.argv[1]))); "
            "print(json.dumps([(lk.a, lk.b, lk.kind, lk.evidence) for lk in r.links if lk.a == 'a']))")
    outs = {subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                           env=dict(__import__("os").environ, PYTHONHASHSEED=seed)).stdout
            for seed in ("1", "8")}
    assert len(outs) == 1
    (links,) = [json.loads(o) for o in outs]
    assert [(a, b, kind) for a, b, kind, _ in links] == [("a", "b", "duplicate")]


@pytest.mark.parametrize("speaker_b,grouped", [("Alejandro Mayorkas", True), ("Jon Feere", False)])
def test_link_short_partial_quotes_need_same_speaker(speaker_b, grouped):
    a = dict(id="a", text="Mayorkas reportedly said ICE has a “noble mission” and praised its staff.", published="2022-06-13")
    b = dict(id="b", text="The secretary called it a “noble mission” on Friday.", published="2022-06-14")
    quotes = [dict(id="a-q0", article_id="a", kind="partial", text="noble mission", speaker="Alejandro Mayorkas",
                   via=None, parent_id=None, start=34, end=47),
              dict(id="b-q0", article_id="b", kind="partial", text="noble mission", speaker=speaker_b,
                   via=None, parent_id=None, start=26, end=39)]
    result = _link([a, b], quotes=quotes)
    assert [g.quote_ids for g in result.quote_groups] == ([["a-q0", "b-q0"]] if grouped else [])


def test_link_gold_gate(corpus_dir):
    """Quality floor on the linking dev set (tests/gold/linking, bench/linking.py): a change that
    loses accuracy fails here. Figures when pinned: story F1 .988, duplicate P .99 R 1.0,
    rewrite P .93 R .975, derived P .86 R .90, quote groups P .87 R .99, drift .99."""
    bench = load_script("bench/linking.py", "bench_linking")
    data = bench.build(corpus_dir)
    rows = data["rows"]
    result = link_articles(rows["articles"], quotes=rows["quotes"], claims=rows["claims"],
                           local_entities=rows["local_entities"], attributions=rows["attributions"],
                           existing_stories=[], settings=SETTINGS)
    scores = bench.evaluate(data, result)
    assert scores["stories"]["f1"] >= 0.95
    floors = {"duplicate": (0.95, 0.95), "rewrite": (0.85, 0.85), "derived": (0.75, 0.8)}
    for kind, (p, r) in floors.items():
        assert scores["links"][kind]["precision"] >= p, kind
        assert scores["links"][kind]["recall"] >= r, kind
    assert scores["quote_groups"]["precision"] >= 0.8
    assert scores["quote_groups"]["recall"] >= 0.95
    assert scores["quote_groups"]["drift_accuracy"] >= 0.95


def test_link_bench_story_losses_sum_to_bcubed():
    # bench/linking.py's loss breakdown: gold stories g1 (a b c d), g2 (e f i) of one topic and g3
    # (h) of another; predicted: a b c e together (g2's e pulled into g1's story), d alone, f i
    # together, h alone. Each kind's share is exact, and they sum to 1 - P and 1 - R
    bench = load_script("bench/linking.py", "bench_linking")
    gold = dict(a="g1", b="g1", c="g1", d="g1", e="g2", f="g2", i="g2", h="g3")
    pred = dict(a="s1", b="s1", c="s1", e="s1", d="s2", f="s3", i="s3", h="s4")
    topic = dict(a="t", b="t", c="t", d="t", e="t", f="t", i="t", h="u")
    ploss, rloss = bench.story_losses(pred, gold, topic)
    p, r, _ = bench.bcubed(pred, gold)
    assert ploss == pytest.approx({"merged same topic (minor parts <= 3)": (3 * 0.25 + 0.75) / 8})
    assert rloss == pytest.approx({"largest part": (3 * 0.25 + 2 / 3) / 8, "alone": 0.75 / 8,
                                   "pulled into another story": 2 / 3 / 8})
    assert sum(ploss.values()) == pytest.approx(1 - p) and sum(rloss.values()) == pytest.approx(1 - r)


def test_link_bench_topic_losses_sum_to_bcubed():
    # bench/linking.py's per-topic table on the same stories: topic t's two gold stories (g1 a b c
    # d, g2 e f i) hold every loss; topic u's one article (h) is a story of its own and loses none
    bench = load_script("bench/linking.py", "bench_linking")
    gold = dict(a="g1", b="g1", c="g1", d="g1", e="g2", f="g2", i="g2", h="g3")
    pred = dict(a="s1", b="s1", c="s1", e="s1", d="s2", f="s3", i="s3", h="s4")
    topic = dict(a="t", b="t", c="t", d="t", e="t", f="t", i="t", h="u")
    rows = bench.topic_losses(pred, gold, topic)
    p, r, _ = bench.bcubed(pred, gold)
    assert [(t, stories) for t, _, _, stories in rows] == [("t", "3a+1b 2b 1a"), ("u", "1a")]
    assert rows[0][1] == pytest.approx(1 - p) and rows[0][2] == pytest.approx(1 - r)
    assert rows[1][1:3] == (0.0, 0.0)


def _result_key(r: LinkResult) -> tuple:
    return ([(s.id, s.label, s.article_ids) for s in r.stories],
            [(lk.a, lk.b, lk.kind, lk.score, lk.evidence) for lk in r.links],
            [(g.id, g.quote_ids, g.drift, g.differences) for g in r.quote_groups],
            r.provenance, r.citations, r.outlet_citations, r.figure_conflicts)


def test_link_texts_read_on_demand_from_store(tmp_path):
    # issue #5: with load_link_inputs(texts=False) no article text is held; the link stage reads
    # each through text_of, and must give exactly what the held texts give
    recs = sample_records()
    store = open_store(tmp_path / "n.db")
    try:
        for key, a in recs["articles"].items():
            store.write_article(a, recs["annotations"][key], file=a.source, run_id=1)
        held = store.load_link_inputs()
        lazy = store.load_link_inputs(texts=False)
        reads: list[str] = []

        def text_of(aid: str) -> str | None:
            reads.append(aid)
            return lazy["text_of"](aid)

        assert all("text" not in a for a in lazy["articles"]) and "text_of" not in held
        assert store.article_text("no-such-article") is None
        args = {k: held[k] for k in ("quotes", "claims", "local_entities", "attributions", "existing_stories")}
        want = link_articles(held["articles"], settings=SETTINGS, **args)
        got = link_articles(lazy["articles"], settings=SETTINGS, text_of=text_of, **args)
        # the store gives rows column by column (Rows); plain row dicts must link the same
        plain = link_articles([dict(a) for a in held["articles"]], settings=SETTINGS,
                              **{k: [dict(r) for r in v] for k, v in args.items()})
    finally:
        store.close()
    assert _result_key(got) == _result_key(want) == _result_key(plain)
    assert list(got.entities) == list(plain.entities) and len(got.entities) >= 5
    assert dict(got.entity_map.items()) == dict(plain.entity_map.items())
    assert len(want.links) >= 2 and want.quote_groups and want.provenance  # the comparison has content
    assert set(reads) == {a.id for a in recs["articles"].values()}


def test_link_texts_cache_is_bounded():
    from newstrace.link.features import Texts

    reads: list[str] = []
    texts = Texts([dict(id=f"a{i}") for i in range(10)], lambda aid: reads.append(aid) or f"text of {aid}", size=3)
    assert [texts(i) for i in (0, 1, 0, 2, 3, 0, 1)] == ["text of a0", "text of a1", "text of a0", "text of a2",
                                                          "text of a3", "text of a0", "text of a1"]
    assert reads == ["a0", "a1", "a2", "a3", "a1"]  # a0 stayed (recently used), a1 was evicted by a3
    assert len(texts.cache) == 3


def test_link_links_are_a_sequence_read_from_the_spill(sample_inputs):
    # issue #5: links are packed arrays with their evidence in a temporary file; reading them
    # gives Link objects with the evidence, however many times and in whatever way they are read
    rows, _ = sample_inputs
    r = _run_sample(rows)
    links = list(r.links)
    assert len(r.links) == len(links) >= 2
    assert r.links[0] == links[0] and r.links[-1] == links[-1] and r.links[1:3] == links[1:3]
    assert [(lk.a, lk.b) for lk in r.links] == sorted((lk.a, lk.b) for lk in links)
    assert all(lk.evidence for lk in links) and list(r.links) == links  # read twice, same
    with pytest.raises(IndexError):
        r.links[len(links)]
    # provenance is made again when iterated (streamed to the store) and kept once indexed
    assert list(r.provenance) == list(r.provenance) and r.provenance[0] == list(r.provenance)[0]



def test_link_reports_progress_per_phase(sample_inputs):
    # hours of linking at a million articles must show where they are (about every 1%)
    rows, _ = sample_inputs
    seen: list[tuple[str, int, int | None]] = []
    link_articles(rows["articles"], quotes=rows["quotes"], claims=rows["claims"],
                  local_entities=rows["local_entities"], attributions=rows["attributions"],
                  settings=SETTINGS, progress=lambda *a: seen.append(a))
    phases = list(dict.fromkeys(p for p, _, _ in seen))
    assert phases == ["link: read articles", "link: article features", "link: compare pairs"]
    n = len(rows["articles"])
    for phase in phases:
        done = [d for p, d, _ in seen if p == phase]
        total = {t for p, _, t in seen if p == phase}
        assert done == sorted(done) and len(total) == 1
        assert done[-1] == total.pop()
    assert ("link: read articles", n, n) in seen


# -- stories: order independence and batches (issue #16) ---------------------------------------

def _bbc_sample(corpus_dir, n: int) -> list[dict]:
    gold = Path(__file__).resolve().parent / "gold" / "linking" / "bbc_sample.txt"
    names = gold.read_text().split()[:n]
    # dates spread over January 2005 by name, so the story window is in play
    return [_art(f"bbc:{name}", _bbc(corpus_dir, name), published=f"2005-01-{1 + sum(map(ord, name)) % 28:02d}")
            for name in names]


def _partition(result: LinkResult) -> list[list[str]]:
    return sorted(sorted(s.article_ids) for s in result.stories)


def test_link_stories_batches_equal_full_link(corpus_dir, sample_inputs):
    # shuffled articles fed in three batches, each linked against the stories stored by the last,
    # give the stories of one full link (issue #16)
    rows, _ = sample_inputs
    arts = rows["articles"] + _bbc_sample(corpus_dir, 60)
    full = _partition(_link(arts, local_entities=rows["local_entities"], quotes=rows["quotes"]))
    for seed in (1, 2, 3):
        order = arts[:]
        random.Random(seed).shuffle(order)
        stored: list[dict] = []
        for cut in (len(order) // 3, 2 * len(order) // 3, len(order)):
            result = _link(order[:cut], local_entities=rows["local_entities"], quotes=rows["quotes"],
                           existing_stories=stored)
            stored = [dict(id=s.id, label=s.label, article_ids=s.article_ids, start=s.start, end=s.end)
                      for s in result.stories]
        assert _partition(result) == full


def test_link_story_labels_are_headlines(sample_inputs):
    # a story is named by the title of its most central article, not a list of keywords (issue #16)
    rows, names = sample_inputs
    titles = {a["id"]: a["title"] for a in rows["articles"]}
    result = _run_sample(rows)
    labels = {tuple(sorted(names[a] for a in s.article_ids)): s.label for s in result.stories}
    assert labels[("000",)] == "Mayorkas faces Border Patrol agents in Yuma meeting"
    for s in result.stories:
        assert s.label in {titles[a] for a in s.article_ids}


def _ecb_docs(corpus_dir, names: list[str]):
    from newstrace.link.features import build_docs, Texts

    root = corpus_dir / "ecbplus-dev" / "articles"
    if not root.is_dir():
        pytest.skip("ecbplus-dev not found")
    arts = [dict(id=n, title=None, text=(root / f"{n}.txt").read_text(encoding="utf-8")) for n in names]
    docs, feats, _ = build_docs(arts, {}, Texts(arts))
    return docs, feats


def test_link_name_vector_names_and_numbers():
    # the words written capitalised inside a sentence and the numbers; a sentence's first word is not a name
    from newstrace.link.features import build_docs, Texts
    from newstrace.link.stories import name_vector
    from newstrace.link.text import content_terms

    arts = [dict(id="a", title="Quake kills 290 in Amatrice",
                 text="A magnitude 6.2 earthquake struck central Italy on Wednesday. The town of Amatrice was "
                      "destroyed, Mayor Sergio Pirozzi said."),
            dict(id="b", title="", text="Another earthquake struck. Rescuers searched the rubble in Norcia.")]
    docs, feats, _ = build_docs(arts, {}, Texts(arts))
    words = ["290", "amatrice", "6.2", "italy", "wednesday", "mayor", "sergio", "pirozzi", "norcia", "quake"]
    ids = feats.term_ids(content_terms(words))
    names_of = {ids[stem]: w for w, stem in zip(words, content_terms(words))}  # term id -> the word
    va, vb = name_vector(docs[0]), name_vector(docs[1])
    assert sorted(names_of[t] for t in va) == ["290", "6.2", "amatrice", "italy", "mayor", "pirozzi", "sergio",
                                                "wednesday"]
    assert names_of[max(va, key=va.get)] == "amatrice"  # named twice
    assert [names_of[t] for t in vb] == ["norcia"]


def test_link_name_vectors_tell_two_incidents_of_one_kind_apart(corpus_dir):
    # two celebrity rehab stays (ECB+ topic 1, dev set): by words, a Tara Reid report is nearer a
    # Lindsay Lohan report than another Tara Reid report is; by names, every Reid report is nearer
    # every other Reid report than any Lohan report (issue #16)
    from newstrace.link.stories import name_vector
    from newstrace.link.text import cosine

    reid, lohan = ["1_10ecb", "1_11ecb", "1_12ecb", "1_13ecb"], ["1_1ecbplus", "1_2ecbplus", "1_3ecbplus", "1_4ecbplus"]
    docs, _ = _ecb_docs(corpus_dir, reid + lohan)
    nv = [name_vector(d) for d in docs]
    pairs_in = [(i, j) for i in range(4) for j in range(i + 1, 4)]
    pairs_across = [(i, j) for i in range(4) for j in range(4, 8)]
    by_words = lambda i, j: cosine(docs[i].vec, docs[j].vec)  # noqa: E731
    by_names = lambda i, j: cosine(nv[i], nv[j])  # noqa: E731
    assert min(by_words(i, j) for i, j in pairs_in) < max(by_words(i, j) for i, j in pairs_across)
    assert min(by_names(i, j) for i, j in pairs_in) > max(by_names(i, j) for i, j in pairs_across)


def test_link_stories_small_leftover_joins_its_neighbours_story(corpus_dir):
    # ECB+ topics 12-14 (dev set), text only: two reports of the Waitrose fire story (14_6, 14_7)
    # that first pair off alone join the story of their nearest neighbours, all of one gold story;
    # with only one-article stories re-attached (the former rule) they stay a story of two

    root = corpus_dir / "ecbplus-dev" / "articles"
    if not root.is_dir():
        pytest.skip("ecbplus-dev not found")
    names = sorted(f.stem for t in ("12", "13", "14") for f in root.glob(f"{t}_*.txt"))
    docs, _ = _ecb_docs(corpus_dir, names)

    def story_of(name: str, **kw) -> list[str]:
        stories = cluster_stories(docs, [], SETTINGS, {}, **kw)
        return next(sorted(docs[m].id for m in st.members) for st in stories
                    if name in {docs[m].id for m in st.members})

    assert story_of("14_6ecb", leftover_size=1) == ["14_6ecb", "14_7ecb"]
    assert story_of("14_6ecb") == ["14_10ecb", "14_1ecb", "14_2ecb", "14_3ecb", "14_4ecb", "14_5ecb", "14_6ecb",
                                   "14_7ecb", "14_9ecb"]


def test_link_stories_leftover_whose_neighbours_were_leftovers_joins_in_a_later_round(corpus_dir):
    # ECB+ topic 21 (dev set), text only: 21_1ecb's nearest neighbours are all small stories before
    # the leftover pass, so its vote is split among them and it stays alone after one round; once
    # they have joined their story, a second round counts its votes again and it joins them (issue #16)
    root = corpus_dir / "ecbplus-dev" / "articles"
    if not root.is_dir():
        pytest.skip("ecbplus-dev not found")
    names = sorted(f.stem for f in root.glob("21_*.txt"))
    docs, _ = _ecb_docs(corpus_dir, names)

    def story_of(name: str, **kw) -> list[str]:
        stories = cluster_stories(docs, [], SETTINGS, {}, **kw)
        return next(sorted(docs[m].id for m in st.members) for st in stories
                    if name in {docs[m].id for m in st.members})

    assert story_of("21_1ecb", attach_rounds=1) == ["21_1ecb"]
    assert story_of("21_1ecb") == ["21_10ecb", "21_11ecb", "21_12ecb", "21_1ecb", "21_2ecb", "21_4ecb", "21_6ecb",
                                   "21_8ecb", "21_9ecb"]


def _flat_model(intercept: float) -> PairModel:
    # a pair model giving every pair the probability 1 / (1 + e**-intercept)
    n = len(PAIR_FEATURES)
    return PairModel.from_dict(dict(features=list(PAIR_FEATURES), mean=[0.0] * n, scale=[1.0] * n, coef=[0.0] * n,
                                    intercept=intercept))


def test_link_stories_pair_model_decides_the_edges(corpus_dir):
    # ECB+ topic 21 (dev set), text only: an option, off by default (issue #16, branch cluster6; not
    # shipped: README): under a learned pair score the edge pass joins the neighbour pairs whose
    # probability reaches model_edge, and the votes add up the probabilities
    names = sorted(f.stem for f in (corpus_dir / "ecbplus-dev" / "articles").glob("21_*.txt"))
    docs, _ = _ecb_docs(corpus_dir, names)
    ptr, nbr, nsim, nv = neighbour_pairs(docs, SETTINGS)
    j = int(nbr[ptr[0]])
    row = pair_features(docs[0], docs[j], nv[0], nv[j], float(nsim[0]), SETTINGS.story_window_days)
    assert len(row) == len(PAIR_FEATURES) and row[-1] == float(nsim[0])
    assert abs(nsim[0] - pair_similarity(docs[0], docs[j], docs[0].vec, docs[j].vec, SETTINGS.story_window_days,
                                         nv[0], nv[j], 0.3)) < 1e-6  # stored to 6 places

    def sizes(**kw) -> list[int]:
        return sorted(len(st.members) for st in cluster_stories(docs, [], SETTINGS, {}, attach_rounds=0, **kw))
    assert sizes(pair_model=_flat_model(-5.0), model_edge=0.5) == [1] * len(docs)  # no pair reaches .5: no edge
    assert sizes(pair_model=_flat_model(5.0), model_edge=0.0) == sizes()  # 0: the hand-weighted edges
    assert len(sizes(pair_model=_flat_model(5.0), model_edge=0.5)) < len(sizes())  # every neighbour pair an edge
    def voted(intercept: float) -> list[int]:
        return sorted(len(st.members) for st in cluster_stories(docs, [], SETTINGS, {}, pair_model=_flat_model(intercept),
                                                                model_votes=True, attach_threshold=0.01, attach_floor=0.0))
    # the leftovers' votes, twice a probability of .007 each, reach .01 and join stories that votes
    # of next to nothing (intercept -50) leave apart (second review of the session: "max > 1" held
    # from the edges alone)
    assert voted(-5.0) != voted(-50.0) and len(voted(-5.0)) < len(voted(-50.0))


def test_link_pair_model_of_other_features_is_refused(tmp_path):
    # a pair model file written for another version's features (here without "same outlet", and
    # one it does not know) is refused, naming the file and the mismatch, instead of its weights
    # falling on the wrong features through the reshape (review of session J, finding 1)
    names = [n for n in PAIR_FEATURES if n != "same outlet"] + ["headline cosine"]
    n = len(names)
    path = tmp_path / "old_pairs.json"
    path.write_text(json.dumps(dict(features=names, mean=[0.0] * n, scale=[1.0] * n, coef=[0.0] * n, intercept=0.0)))
    with pytest.raises(ValueError) as err:
        load_pair_model(path)
    assert str(path) in str(err.value) and "lacks ['same outlet']" in str(err.value)
    assert "['headline cosine']" in str(err.value)
    good = dict(features=list(PAIR_FEATURES), mean=[0.0] * len(PAIR_FEATURES), scale=[1.0] * len(PAIR_FEATURES),
                coef=[0.0] * len(PAIR_FEATURES), intercept=0.0)
    path.write_text(json.dumps(good))
    assert load_pair_model(path).probability([[1.0] * len(PAIR_FEATURES)]).tolist() == [0.5]


@pytest.mark.parametrize("content, problem", [
    ("[1, 2]", "must be a JSON object"),  # was AttributeError
    ("{not json", "is not a JSON file"),  # was JSONDecodeError without the file
    ({"intercept": None}, "lacks intercept"),  # was KeyError
    ({"scale": 0.0}, "scale must be above 0"),  # was a divide-by-zero warning at scoring
    ({"mean": "zero"}, "must be numbers"),
    ({"coef": float("nan")}, "not a finite number"),
])
def test_link_pair_model_file_errors_name_the_file_and_the_problem(tmp_path, content, problem):
    # review of 2026-12-03 (eleventh session): a damaged model file failed with a bare Python error
    n = len(PAIR_FEATURES)
    if isinstance(content, dict):
        model = dict(features=list(PAIR_FEATURES), mean=[0.0] * n, scale=[1.0] * n, coef=[0.0] * n, intercept=0.0)
        for key, value in content.items():
            if value is None:
                del model[key]
            else:
                model[key] = [value] * n if key != "intercept" else value
        content = json.dumps(model)
    path = tmp_path / "pairs.json"
    path.write_text(content)
    with pytest.raises(ValueError) as err:
        load_pair_model(path)
    assert str(err.value).startswith(f"{path}: ") and problem in str(err.value)

def test_link_stories_pair_model_rejection_holds_against_the_derived_bonus(corpus_dir):
    # ECB+ topic 21 (dev set), text only: 21_1ecb and its nearest neighbour marked as sharing a
    # passage (related: +0.1 in the edge pass) join by the hand-weighted edges; a pair model that
    # rejects every pair (probability .007 under model_edge .5) keeps them apart: the bonus is added
    # before the model decides, not after (it lifted a rejected pair, set just under the edge
    # threshold, back over it: review of session J, finding 1)
    names = sorted(f.stem for f in (corpus_dir / "ecbplus-dev" / "articles").glob("21_*.txt"))
    docs, _ = _ecb_docs(corpus_dir, names)
    ptr, nbr, nsim, _ = neighbour_pairs(docs, SETTINGS)
    i = next(i for i in range(len(docs)) if ptr[i + 1] > ptr[i] and nsim[ptr[i]] >= 0.45)
    j = int(nbr[ptr[i]])
    related = {i: {j}, j: {i}}

    def together(**kw) -> bool:
        out = cluster_stories(docs, [], SETTINGS, {}, related, attach_rounds=0, **kw)
        return any(i in st.members and j in st.members for st in out)
    assert together()  # the hand-weighted edges join them
    assert not together(pair_model=_flat_model(-5.0), model_edge=0.5)


def test_link_story_pair_trainer_refuses_to_write_a_model_of_ecbplus_dev(tmp_path):
    # training/train_story_pairs.py --out writes a model trained on every ecbplus-dev pair, and
    # ecbplus-dev is for measuring only: --out refuses (before reading any corpus) unless
    # --train-on-ecbplus-dev says the model is an experiment (review of session J, finding 2)
    out = tmp_path / "pairs.json"
    run = subprocess.run([sys.executable, str(REPO / "training" / "train_story_pairs.py"), "--out", str(out),
                          "--fit-only"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 2 and not out.exists()
    assert "ecbplus-dev is for measuring only" in run.stderr and "--train-on-ecbplus-dev" in run.stderr


def test_link_event_key_reads_event_figures():
    # the figures extraction stores for a lead (BBC business/345: "Sunday's 9.0 magnitude
    # earthquake", "at least 25,000 people dead", "20bn baht ($510m)"), read as (kind, value);
    # a bare number and a percentage say nothing of what they count (issue #16)
    from newstrace.link.features import event_key

    row = dict(event_figures=json.dumps(["9.0 magnitude", "25,000 people", "$510m", "10", "72%"]))
    assert event_key(row).figures == frozenset({("magnitude", 9.0), ("people", 25000.0), ("money", 510e6)})
    assert event_key(dict(event_figures=json.dumps(["$1.5bn contract"]))).figures == {("money:contract", 1.5e9)}


def _quake_pair(corpus_dir, other_magnitude: str) -> list[dict]:
    # BBC business/345 and business/354 (the Asian tsunami's economic costs), each with 345's
    # sentence on "Sunday's 9.0 magnitude earthquake"; the second's magnitude set to another value
    def paras(name: str) -> tuple[str, list[str]]:
        title, _, body = _bbc(corpus_dir, name).partition("\n")
        return title.strip(), [p for p in body.strip().split("\n") if p.strip()]

    (ta, pa), (tb, pb) = paras("business/345"), paras("business/354")
    quake = next(p for p in pa if "9.0 magnitude" in p)
    return [dict(id="quake-a", title=ta, text="\n\n".join(pa[:3] + [quake]), published="2004-12-30",
                 event_figures=json.dumps(["9.0 magnitude"])),
            dict(id="quake-b", title=tb, text="\n\n".join(pb[:3] + [quake.replace("9.0", other_magnitude)]),
                 published="2004-12-30", event_figures=json.dumps([f"{other_magnitude} magnitude"]))]


def test_link_stories_event_figures_apart_keep_two_quakes_apart(corpus_dir):
    # two reports alike in words whose earthquakes have other magnitudes (9.0 and 6.1) are two
    # incidents, as two dates far apart are; a magnitude written 9 against 9.0 is one (issue #16)
    if not (corpus_dir / "bbc").is_dir():
        pytest.skip("BBC corpus not found")
    apart = _link(_quake_pair(corpus_dir, "6.1")).story_of
    assert apart["quake-a"] != apart["quake-b"]
    same = _link(_quake_pair(corpus_dir, "9")).story_of
    assert same["quake-a"] == same["quake-b"]


def test_link_figures_apart_lets_a_toll_grow():
    # a count may grow over days (a death toll): a later, higher toll is no disagreement; a later,
    # lower one is, and so are 3 against 40 on one day; magnitudes 5.8 and 6.1 never agree
    import datetime as dt

    from newstrace.link.features import ArticleDoc, EventKey, event_figure
    from newstrace.link.stories import figures_apart, neighbour_inputs

    def doc(day: int, *figures: str) -> ArticleDoc:
        ev = EventKey(date=None, who=frozenset(), where=frozenset(), figures=frozenset(map(event_figure, figures)))
        return ArticleDoc(idx=0, id=f"d{day}", outlet=None, title=None, date=dt.date(2009, 4, day),
                          published=None, feats=None, ents={}, event=ev)  # type: ignore[arg-type]

    assert figures_apart(doc(6, "3 people"), doc(8, "40 people")) is None
    assert figures_apart(doc(8, "40 people"), doc(6, "3 people")) is None
    assert figures_apart(doc(6, "40 people"), doc(8, "12 people")) == "count"
    assert figures_apart(doc(6, "3 people"), doc(6, "40 people")) == "count"
    assert figures_apart(doc(6, "5.8 magnitude"), doc(8, "6.1 magnitude")) == "fixed"
    # incremental linking searches an article's neighbours again when its figures change
    assert neighbour_inputs(doc(6, "5.8 magnitude")) != neighbour_inputs(doc(6, "6.1 magnitude"))


def test_link_inputs_carry_event_figures(tmp_path):
    # the link stage reads each article's event figures from the store, not only its date, people
    # and places: without them event_key has no figures to compare (issue #16)
    from newstrace.link.features import event_key
    from newstrace.models import Event
    recs = sample_records()
    key, art = next(iter(recs["articles"].items()))
    ann = recs["annotations"][key]
    ann.event = Event(date="2004-12-26", date_source="Sunday", participants=[], places=["Thailand"],
                      figures=["9.0 magnitude"])
    store = open_store(tmp_path / "n.db")
    try:
        store.write_article(art, ann, file=art.source, run_id=1)
        for texts in (True, False):
            [row] = store.load_link_inputs(texts=texts)["articles"]
            assert event_key(row).figures == {("magnitude", 9.0)}
    finally:
        store.close()


def test_link_stories_common_entities_do_not_join_two_stories(corpus_dir):
    # BBC business/121 (the US Federal Reserve raises its rate to 2%) and business/438 (the Bank of
    # England holds UK rates at 4.75%) are two stories (tests/gold/linking/bbc_stories.tsv) that
    # share, among the entities the parse names (a subset below), "United Kingdom" (also "UK",
    # "Britain"), "Bank" and "Bank of England". Weighed by the BBC sample's word counts, those are
    # named in more than 5% of its articles: they no longer add the shared-entity bonus that
    # joined the two (issue 16)
    sample = _bbc_sample(corpus_dir, 10 ** 4)
    counted: dict = {}
    build_docs(sample, {}, Texts(sample), counted=counted)
    snapshot = types.SimpleNamespace(id="bbc-sample", **counted)
    parse = {"us": [("organisation", "Bank", []), ("organisation", "Bank of England", []), ("organisation", "BoE", []),
                    ("organisation", "Federal Reserve", []), ("organisation", "Fed", []),
                    ("organisation", "Open Market Committee", []), ("organisation", "Wells Fargo Bank", []),
                    ("person", "Avery Shenfeld", []), ("person", "Mervyn King", []), ("person", "Sung Won Sohn", []),
                    ("place", "United Kingdom", ["UK"]), ("place", "United States", ["US"])],
             "uk": [("organisation", "Bank", []), ("organisation", "Bank of England", []),
                    ("organisation", "British Retail Consortium", ["BRC"]), ("organisation", "MPC", []),
                    ("organisation", "Office for National Statistics", []), ("person", "David Frost", []),
                    ("person", "Ian McCafferty", []), ("person", "Steve Radley", []),
                    ("place", "United Kingdom", ["Britain"])]}
    arts = [_art("us", _bbc(corpus_dir, "business/121"), published="2005-01-10"),
            _art("uk", _bbc(corpus_dir, "business/438"), published="2005-01-10")]
    rows = as_rows([dict(article_id=aid, local_id=k, type=t, name=n, aliases=al)
                    for aid in ("uk", "us") for k, (t, n, al) in enumerate(parse[aid])])
    words = EntityRows(rows)
    ents = article_entity_names(rows, {}, arts, Texts(arts), words=words)
    docs, _, _ = build_docs(arts, ents, Texts(arts), snapshot=snapshot, ent_words=words)
    us, uk = docs
    # "Britain" (UK side) decides through the word counts; "UK" alone (US side) has no counted
    # word, so "United Kingdom"'s own words decide there
    assert uk.ent_df["united kingdom"] > 0.05 and us.ent_df["mervyn king"] < 0.05
    assert uk.ent_df["bank of england"] > 0.05 and us.ent_df["bank of england"] > 0.05
    assert len(cluster_stories(docs, [], SETTINGS, {}, entity_max_df=1.0)) == 1  # every entity counted: one story
    assert len(cluster_stories(docs, [], SETTINGS, {})) == 2


def _greek_sprinters(corpus_dir, late_participants: list[str], others: int = 100) -> list[dict]:
    # BBC's Greek sprinters story (tests/gold/linking/bbc_stories.tsv: sport/023, 048, 050, 089):
    # 048 (the hearing set) dated, 023 (the hearing) and 089 (Thanou cleared) undated, and 050
    # (the IAAF's charges, with their 16 December deadline) dated two months before; with 100
    # other BBC articles of the sample, undated, so that the sprinters' names are rare words
    def art(name: str, published: str | None = None, who: list[str] | None = None) -> dict:
        title, _, body = _bbc(corpus_dir, name).partition("\n")
        return dict(id=name, title=title.strip(), text=body.strip(), published=published,
                    event_participants=json.dumps(who or []))

    sample = [n for n in (Path(__file__).parent / "gold" / "linking" / "bbc_sample.txt").read_text().split()
              if n not in ("sport/023", "sport/048", "sport/050", "sport/089")][:others]
    pair = ["Kostas Kenteris", "Katerina Thanou"]
    return [art("sport/048", "2005-02-10", pair), art("sport/023", None, pair), art("sport/089", None, ["Katerina Thanou"]),
            art("sport/050", "2004-12-14", late_participants)] + [art(n) for n in sample]


def test_link_stories_follow_up_names_the_incident_across_the_window(corpus_dir):
    # a report two months from its story's dated reports joins it when its event names the
    # story's own rare participants (the sprinters charged, then heard, then cleared: one gold
    # story); named as nobody of the story, the date span keeps it apart, as before (issue #16)
    if not (corpus_dir / "bbc").is_dir():
        pytest.skip("BBC corpus not found")
    joined = _link(_greek_sprinters(corpus_dir, ["Kostas Kenteris", "Katerina Thanou"])).story_of
    assert joined["sport/050"] == joined["sport/048"] == joined["sport/023"] == joined["sport/089"]
    apart = _link(_greek_sprinters(corpus_dir, ["Jacques Rogge"])).story_of
    assert apart["sport/048"] == apart["sport/023"] == apart["sport/089"] != apart["sport/050"]


def test_link_stories_follow_up_rarity_is_the_entity_rule_in_a_small_corpus(corpus_dir):
    # the same sprinters' follow-up linked with only 20 other BBC articles: "Kenteris" is in 4 of
    # 24 articles (17%, over the 5% cut-off), but in fewer than features.ENTITY_MIN_ARTICLES, so it
    # is rare by the rule the shared-entity bonus uses (features.word_share) and the follow-up joins
    # its story; by the former idf bar (no floor) no name of a small corpus was rare and it stayed
    # apart. A follow-up naming nobody of the story stays apart
    if not (corpus_dir / "bbc").is_dir():
        pytest.skip("BBC corpus not found")
    joined = _link(_greek_sprinters(corpus_dir, ["Kostas Kenteris", "Katerina Thanou"], others=20)).story_of
    assert joined["sport/050"] == joined["sport/048"] == joined["sport/023"] == joined["sport/089"]
    apart = _link(_greek_sprinters(corpus_dir, ["Jacques Rogge"], others=20)).story_of
    assert apart["sport/048"] == apart["sport/023"] == apart["sport/089"] != apart["sport/050"]


def test_link_quote_groups_leave_out_negated_reports(corpus_dir):
    """A negated or refused report (``quotes.negated``: "Mr Balls refused to say whether ...")
    reports no utterance: the same refusal in a re-filed copy is no quote re-reported, so it joins
    no quote group (no provenance record, no shared-quote evidence), while a quote the two copies
    both carry still groups. BBC politics/005 and 359 are one article filed twice; the rows are
    the extractor's (issue 15's acts)."""
    a, b = _art("a", _bbc(corpus_dir, "politics/005"), "2005-02-10", "BBC"), \
        _art("b", _bbc(corpus_dir, "politics/359"), "2005-02-11", "Other")

    def rows(aid: str) -> list[dict]:
        text = a["text"]
        said, refused = "This is a big change in our political culture.", \
            "whether Mr Brown would remain as chancellor after the election, amid speculation he will be " \
            "offered the job of Foreign Secretary"
        return [dict(id=f"{aid}-q10", article_id=aid, kind="direct", text=said, speaker="Ed Balls", via=None,
                     parent_id=None, start=text.index(said), end=text.index(said) + len(said), negated=0),
                dict(id=f"{aid}-q19", article_id=aid, kind="indirect", text=refused, speaker="Ed Balls", via=None,
                     parent_id=None, start=text.index(refused), end=text.index(refused) + len(refused), negated=1)]

    assert "Mr Balls refused to say whether Mr Brown would remain" in a["text"]
    result = _link([a, b], quotes=rows("a") + rows("b"))
    assert [g.quote_ids for g in result.quote_groups] == [["a-q10", "b-q10"]]
    assert [p["item_type"] for p in result.provenance].count("quote_group") == 1


def test_link_inputs_carry_negated(tmp_path):
    # the link stage reads quotes.negated from the store: without it a stored refusal ("did not say
    # whether ...") would group as a quote re-reported (test_link_quote_groups_leave_out_negated_reports)
    recs = sample_records()
    key, art = next(iter(recs["articles"].items()))
    ann = recs["annotations"][key]
    ann.quotes[0].negated = True
    store = open_store(tmp_path / "n.db")
    try:
        store.write_article(art, ann, file=art.source, run_id=1)
        quotes = store.load_link_inputs()["quotes"]
        assert [quotes.col("negated")[r] for r in range(len(quotes))] == [1] + [0] * (len(ann.quotes) - 1)
    finally:
        store.close()


def test_link_articles_pauses_cycle_collection(corpus_dir):
    # the cyclic collector walks every object the link holds on each full collection (issue #16:
    # 1.2 s of an incremental link at 10,000 articles): paused while linking, restored after,
    # and left off when the caller had it off
    import gc

    arts = [_art(f"b{k}", _bbc(corpus_dir, name), published="2024-01-02")
            for k, name in enumerate(("politics/226", "politics/265"))]
    texts = {a["id"]: a.pop("text") for a in arts}
    seen = []

    def text_of(aid: str) -> str:
        seen.append(gc.isenabled())
        return texts[aid]

    assert gc.isenabled()
    result = link_articles(arts, settings=SETTINGS, text_of=text_of)
    assert seen and not any(seen) and gc.isenabled()
    gc.disable()
    try:
        assert link_articles(arts, settings=SETTINGS, text_of=text_of).links == result.links
        assert not gc.isenabled()
    finally:
        gc.enable()
