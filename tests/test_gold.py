"""The quote/attribution gold set (tests/gold/quotes) is well-formed and matches its source texts.

The gold files and the scoring live in ``bench/quotes.py`` (issue 3, "Measure it").
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import types
from pathlib import Path

import pytest

from newstrace.models import Article, RawArticle
from repo_scripts import load_script

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "tests" / "gold" / "quotes"


def _load_bench():
    return load_script("bench/quotes.py", "bench_quotes")


bq = _load_bench()
scoring = load_script("bench/scoring.py", "bench_scoring")  # the one PolNeAR content scorer of both benches
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))


def test_gold_directory_has_files():
    assert len(GOLD_FILES) >= 5
    ids = [bq.load_gold_file(p).id for p in GOLD_FILES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_gold_file_matches_its_source_text(path, corpus_dir):
    gold = bq.load_gold_file(path)
    if gold.root == "corpus":
        text = gold.read_source(corpus_dir)
    else:
        text = gold.read_source()
    assert bq.check_gold(gold, text) == []
    assert gold.quotes, f"{path.name}: a gold article without quotes teaches nothing"


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_gold_file_kinds_are_valid(path):
    gold = bq.load_gold_file(path)
    assert {q["kind"] for q in gold.quotes} <= set(bq.KINDS)
    assert {q["speaker_kind"] for q in gold.quotes} <= set(bq.SPEAKER_KINDS)
    assert {a["source_kind"] for a in gold.attributions} <= set(bq.SOURCE_KINDS)
    assert gold.split in bq.SPLITS


def test_gold_seeds_are_all_in_dev():
    seeds = {p.name for p in (REPO / "examples").glob("*.txt")}
    gold = {Path(g.file).name: g.split for g in bq.load_gold("all") if g.root == "repo" and g.file.startswith("examples/")}
    assert seeds <= set(gold)
    assert set(gold.values()) == {"dev"}


def test_gold_all_leaves_out_the_unscored_blind_splits(monkeypatch):
    # a blind split committed unscored is scored once, by name: "all" (what every helper runs) never
    # puts newstrace on its texts (holdout-intl4 stood there until its score, 2026-12-04)
    monkeypatch.setattr(bq, "UNSCORED", ("holdout-intl4",))
    every = [bq.load_gold_file(p) for p in GOLD_FILES]
    unscored = {g.id for g in every if g.split in bq.UNSCORED}
    assert "intl4-thehill-omar" in unscored
    assert {g.id for g in bq.load_gold("all")} == {g.id for g in every} - unscored
    assert {g.id for g in bq.load_gold("holdout-intl4")} == unscored


def test_gold_check_reports_a_missing_content(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "bad", "root": "repo", "file": "examples/001_554e2b8a526bf444.txt", '
                   '"split": "dev", "quotes": [{"kind": "direct", "content": "words nobody wrote", '
                   '"speaker": "X", "speaker_kind": "person", "cue": "said", "via": null}], '
                   '"attributions": []}', encoding="utf-8")
    problems = bq.check_gold(bq.load_gold_file(bad))
    assert problems == ["bad.json: quote 0: content not found in the source text: 'words nobody wrote'"]


def test_gold_check_reports_a_bad_kind_and_an_ambiguous_content(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "bad", "root": "repo", "file": "examples/001_554e2b8a526bf444.txt", '
                   '"split": "dev", "quotes": [{"kind": "quote", "content": "ABC News reported", '
                   '"speaker": "X", "speaker_kind": "person", "cue": "said", "via": null}], '
                   '"attributions": []}', encoding="utf-8")
    problems = bq.check_gold(bq.load_gold_file(bad))
    assert problems == [
        "bad.json: quote 0: kind 'quote' is not one of ('direct', 'partial', 'indirect', 'block', 'post')",
        "bad.json: quote 0: content occurs more than once; add \"after\": <text just before it> "
        "or \"occurrence\": N: 'ABC News reported'",
    ]


@pytest.mark.parametrize("text,needle,start,occ,expected", [
    ("He said: \u201cWe will go.\u201d", '"We will go."', 0, 1, (9, 22)),
    ("a\n\n  b  c", "a b c", 0, 1, (0, 9)),
    ("it\u2019s it's", "it's", 0, 2, (5, 9)),
    ("it\u2019s it's", "it's", 1, 1, (5, 9)),
    ("abc", "abd", 0, 1, None),
    ("dash \u2014 here", "dash - here", 0, 1, (0, 11)),
])
def test_gold_locate_ignores_quote_marks_dashes_and_spacing(text, needle, start, occ, expected):
    assert bq.locate(text, needle, start, occ) == expected


def test_gold_locate_quote_finds_parts_in_order():
    text = "\u201cA b,\u201d he said. \u201cC d.\u201d Then \u201cA b\u201d again."
    assert bq.locate_quote(text, {"content": ["A b,", "C d."]}) == [(1, 5), (17, 21)]
    assert bq.locate_quote(text, {"content": ["C d.", "A b,"]}) is None
    assert bq.locate_quote(text, {"content": "A b", "after": "Then"}) == [(29, 32)]


def test_gold_overlap_is_shared_tokens_over_the_longer_span():
    assert bq.overlap({1, 2, 3, 4}, {3, 4}) == 0.5
    assert bq.overlap({1, 2}, {1, 2}) == 1.0
    assert bq.overlap(set(), {1}) == 0.0


def test_gold_match_pairs_best_overlap_first():
    gold = [{1, 2, 3, 4}, {10, 11}]
    pred = [{1, 2}, {1, 2, 3, 4, 5}, {10, 11, 12, 13, 14, 15}]
    pairs = bq.match(gold, pred, 0.3, lambda g, p: bq.overlap(g, p))
    assert pairs == [(0, 1), (1, 2)]
    assert bq.match(gold, pred, 0.8, lambda g, p: bq.overlap(g, p)) == [(0, 1)]


@pytest.mark.parametrize("a,b,same", [
    ("Chris Magnus", "chris  magnus", True),
    ("the Washington Times", "Washington Times", True),
    ("Two sources familiar with the matter", "two sources familiar with the matter.", True),
    ("Chris Magnus", "Magnus", False),
])
def test_gold_speaker_names_compare_loosely(a, b, same):
    assert (bq.norm_name(a) == bq.norm_name(b)) is same


@pytest.mark.parametrize("gold,pred,anonymous,ok", [
    ("a Yuma, Arizona border patrol agent", "Arizona border patrol agent", True, True),
    ("a group of professors at the UCLA School of Law", "professors at the UCLA School of Law", True, True),
    ("some critics", "critics", True, True),
    ("the person who filmed it", "person", True, False),  # one word says nothing
    ("several current and former DHS officials", "those same individuals", True, False),
    ("Helmut Panke", "Panke", False, False),  # a named speaker needs the canonical name
    ("Helmut Panke", "", False, False),
])
def test_gold_speaker_matches_anonymous_descriptions_by_containment(gold, pred, anonymous, ok):
    assert bq.speaker_matches({bq.norm_name(gold)}, bq.norm_name(pred), anonymous=anonymous) is ok


def test_gold_split_quote_returned_in_pieces_still_matches():
    gold = [bq._Item("direct", frozenset(range(0, 10)) | frozenset(range(13, 20)), bq.Counter(), {"a"},
                     multi=True)]
    pieces = [bq._Item("direct", frozenset(range(0, 10)), bq.Counter(), {"a"}),
              bq._Item("direct", frozenset(range(13, 20)), bq.Counter(), {"a"}),
              bq._Item("direct", frozenset(range(30, 35)), bq.Counter(), {"b"})]
    merged = bq._merge_split(gold, pieces)
    assert len(merged) == 2
    assert bq.match(gold, merged, 0.8, bq._item_score) == [(0, 1)]
    scores = bq._score_quotes([(gold, pieces)], ("direct",))
    assert scores["direct"]["0.8"]["tp"] == 1 and scores["direct"]["0.8"]["pred"] == 2
    assert scores["direct"]["0.8"]["speaker_acc"] == 1.0


def test_gold_bench_names_a_missing_stage(monkeypatch, capsys):
    present = ("newstrace.clean", "newstrace.extract.entities")  # stand-ins, so that quotes is the one missing
    for name in present:
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    real = bq.importlib.util.find_spec
    monkeypatch.setattr(bq.importlib.util, "find_spec", lambda name, *a: None if name == "newstrace.extract.quotes"
                        else (sys.modules[name].__spec__ or True) if name in present else real(name, *a))
    assert bq.main(["--no-polnear", "--no-baseline"]) == 2
    err = capsys.readouterr().err
    assert "bench/quotes.py: needs newstrace.extract.quotes (src/newstrace/extract/quotes.py: extract_quotes)" in err
    assert "Traceback" not in err


# Regression gate (issue 3): measured on the dev split at 08:35 UTC on 2026-11-23 with direct
# F1 0.98 (at overlap 0.3 and 0.8) and direct speaker accuracy 0.94; the floors sit a little
# under so that noise does not fail CI but a real regression does. Raise them as quality rises.
DIRECT_F1_FLOOR = 0.92
DIRECT_SPEAKER_FLOOR = 0.88
ANY_F1_FLOOR = 0.85  # all kinds, kind-agnostic pairing, overlap 0.8 (measured 0.89)


@pytest.mark.model
def test_gold_quote_quality_gate_on_dev(nlp, corpus_dir):
    result = bq.run("dev", polnear=False, baseline=False, log=lambda *_: None)
    scores = result["gold"]["newstrace"]
    direct = scores["direct"]["0.8"]
    assert direct["gold"] >= 60
    assert direct["f1"] >= DIRECT_F1_FLOOR, direct
    assert direct["speaker_acc"] >= DIRECT_SPEAKER_FLOOR, direct
    assert scores["any"]["0.8"]["f1"] >= ANY_F1_FLOOR, scores["any"]["0.8"]


def test_gold_read_brat_joins_discontinuous_spans_and_roles(tmp_path):
    ann = tmp_path / "doc_ab12.ann"
    ann.write_text("T1\tSource 0 3\tSue\nT2\tCue 4 8\tsaid\nT3\tContent 9 14;20 25\tthat it\n"
                   "T4\tAttribution 4 8\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
                   "T5\tContent 30 40\tno source\nE2\tAttribution:T5 Content:T5\n", encoding="utf-8")
    assert bq.read_brat(ann) == [
        {"content": [(9, 14), (20, 25)], "cue": [(4, 8)], "source": [(0, 3)]},
        {"content": [(30, 40)]},
    ]


def test_gold_read_brat_names_the_file_and_line_of_a_malformed_span(tmp_path):
    ann = tmp_path / "doc_ab12.ann"
    ann.write_text("T1\tSource 0 3\tSue\nT2\tCue\tsaid\n", encoding="utf-8")
    with pytest.raises(bq.GoldError, match=r"doc_ab12\.ann:2: malformed span line"):
        bq.read_brat(ann)


def test_gold_polnear_split_content_pieces_are_merged_before_matching():
    g_content = [frozenset(range(0, 10)) | frozenset(range(13, 20)), frozenset(range(40, 45))]
    pred = [frozenset(range(0, 10)), frozenset(range(13, 21)), frozenset(range(40, 45)), frozenset(range(50, 52))]
    content, groups = scoring.merge_split_contents([0], g_content, pred)
    assert groups == [[2], [3], [0, 1]]
    assert content == [frozenset(range(40, 45)), frozenset(range(50, 52)),
                       frozenset(range(0, 10)) | frozenset(range(13, 21))]
    # a prediction mostly outside the gold pieces is not merged into them
    content, groups = scoring.merge_split_contents([0], g_content, [frozenset(range(0, 10)), frozenset(range(18, 30))])
    assert groups == [[0], [1]] and len(content) == 2


# A split quote of the BBC corpus (tech/300.txt): one PolNeAR-style relation with two content pieces.
SPLIT_QUOTE = ('"The Mac mini is not quite ready for that yet," he said. "It does not have the right connectors '
               'that fit a TV screen or enough storage."')
SPLIT_PIECES = [(1, SPLIT_QUOTE.index('," he')), (SPLIT_QUOTE.index("It does"), len(SPLIT_QUOTE) - 1)]  # inside the marks
SPLIT_SOURCE = [(SPLIT_QUOTE.index("he said"), SPLIT_QUOTE.index("he said") + 2)]


def _split_article():
    return Article(id="split", source="bbc/tech/300.txt", raw_text=SPLIT_QUOTE, text=SPLIT_QUOTE)


def _quote(kind, start, end, parts=None):
    return types.SimpleNamespace(kind=kind, start=start, end=end, parts=parts, raw_start=None, raw_end=None,
                           speaker="he", speaker_mention="he", speaker_start=SPLIT_SOURCE[0][0], speaker_end=SPLIT_SOURCE[0][1], act="speech")


def test_gold_shared_scorer_merges_the_pieces_of_a_split_content():
    article = _split_article()
    toks = scoring.Tokens(SPLIT_QUOTE)
    gold, split = scoring.gold_contents([{"content": SPLIT_PIECES, "source": SPLIT_SOURCE}], toks)
    assert split == [0] and len(gold[0]) == 25  # 10 + 15 words, not "he said"
    # each piece returned as its own quote: one prediction found the one relation
    quotes = [_quote("direct", a, b) for a, b in SPLIT_PIECES]
    kept, pred, nested = scoring.prediction_spans(article, quotes, toks)
    result = scoring.score_contents(gold, split, pred, 0.3)
    assert (result.pairs, len(result.pred), result.gold, result.merged_away) == ([(0, 0)], 1, 1, 1)
    # without the merge (bench/attribution_model.py before 2026-12-03) the second piece was spurious
    assert len(scoring.match(gold, pred, 0.3)) == 1 and len(pred) == 2
    # one quote with the two parts covers the parts, not the "he said" between them
    kept, pred, nested = scoring.prediction_spans(article, [_quote("direct", 1, SPLIT_PIECES[1][1], SPLIT_PIECES)],
                                                  toks)
    assert pred == gold and scoring.score_contents(gold, split, pred).pairs == [(0, 0)]


@pytest.mark.model
def test_gold_attribution_bench_scores_a_split_content_as_bench_quotes_does(nlp, monkeypatch):
    # bench/attribution_model.py counted the second piece as a spurious content (P .5, F1 .67)
    bam = _load_attribution_bench()
    article = _split_article()
    pd = bam.polnear_data  # training/polnear_data.py, as the bench imports it
    ex = pd.Example("split", article, [pd.Relation(source=SPLIT_SOURCE, content=SPLIT_PIECES)], nlp(SPLIT_QUOTE))
    monkeypatch.setattr(bam, "gold_relations", lambda ex: [{"content": SPLIT_PIECES, "source": SPLIT_SOURCE}],
                        raising=False)  # (the old bench had no gold_relations: gold came from ex.relations)
    monkeypatch.setattr(bam, "predictions", lambda system, ex, timing: [_quote("direct", a, b) for a, b in SPLIT_PIECES])
    s = bam.score([ex], "both", [])
    assert (s["p"], s["f1"]) == (1.0, 1.0)
    assert (s["tp"], s["pred"], s["gold"]) == (1, 1, 1)
    assert (s["old_tp"], s["old_pred"], s["old_gold"]) == (1, 2, 1)  # the old scorer, printed beside it
    assert (s["source_ok"], s["source_n"]) == (1, 1)


def test_gold_polnear_dev_has_one_annotation_per_text(corpus_dir):
    docs = bq.polnear_docs("dev", corpus=corpus_dir)
    assert len(docs) == 84
    assert len({t for t, _ in docs}) == 84
    rels = bq.read_brat(docs[0][1])
    text = docs[0][0].read_text(encoding="utf-8")
    assert rels and all(0 <= s < e <= len(text) for r in rels for s, e in r["content"])


def test_gold_bench_scores_a_crashing_stage_as_no_output(monkeypatch):
    def boom(doc, article, **kw):
        raise RuntimeError("parser state lost")

    clean = types.SimpleNamespace(clean_article=lambda raw: (_ for _ in ()).throw(ValueError("bad dateline")))
    mods = {"clean": clean, "entities": types.SimpleNamespace(analyze_entities=boom), "quotes": None}
    failures, logged = [], []
    raw = RawArticle(source="x.txt", text="He said no.")
    article, doc, quotes, attrs, _, _ = bq._process(mods, lambda t: t, raw, "x", failures, logged.append)
    assert article.text == "He said no." and quotes == [] and attrs is None
    assert failures == ["x: clean_article raised ValueError: bad dateline",
                        "x: annotate raised RuntimeError: parser state lost"]
    assert len(logged) == 2


def test_gold_polnear_dev_texts_we_looked_at_are_named(tmp_path):
    # the holdout-us* gold files are PolNeAR dev texts whose errors were read: the bench scores
    # the rest of dev apart as "never looked at", so the set must come from the gold files' paths
    seen = bq.looked_at_texts("dev")
    assert "nyt_2016-09-12_visa-program-up-for-renewal-amid.txt" in seen
    assert len(seen) == 24 and all(name.endswith(".txt") for name in seen)
    assert bq.looked_at_texts("train") == set()
    (tmp_path / "a.json").write_text('{"file": "polnear/dev/text/x.txt"}', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"file": "bbc/politics/001.txt"}', encoding="utf-8")
    (tmp_path / "c.json").write_text("not json", encoding="utf-8")
    assert bq.looked_at_texts("dev", tmp_path) == {"x.txt"}


def test_gold_polnear_error_analysis_never_reads_the_blind_split(tmp_path, monkeypatch):
    # the blind 10 % of PolNeAR train is scored once, never read for errors: the error analysis
    # leaves it out before taking its evenly spaced sample
    stems = [f"doc-{i:03d}" for i in range(60)]
    blind = {s for s in stems if bq.is_blind(s)}
    assert blind and len(blind) < len(stems)
    pairs = []
    for s in stems:
        (tmp_path / f"{s}.txt").write_text("Text.", encoding="utf-8")
        pairs.append((tmp_path / f"{s}.txt", tmp_path / f"{s}.ann"))
    read = []
    monkeypatch.setattr(bq, "polnear_docs", lambda split, limit=None: pairs)
    monkeypatch.setattr(bq, "read_brat", lambda path: read.append(path.stem) or [])
    monkeypatch.setattr(bq, "_process", lambda *a, **k: (None, None, [], None, 0.0, 0.0))
    bq.polnear_errors(None, {}, split="train", limit=None)
    assert read and not set(read) & blind and len(read) == len(stems) - len(blind)
    read.clear()
    bq.polnear_errors(None, {}, split="train", limit=10)
    assert len(read) == 10 and not set(read) & blind


def test_gold_bench_leaves_out_a_baseline_that_is_not_installed(monkeypatch, capsys):
    # a user's install (scripts/run-sample.sh) has no textacy: the bench printed its baseline as rows
    # of zeros beside newstrace's figures; it now says so and leaves the baseline out
    asked = {}
    monkeypatch.setattr(bq, "run", lambda split, **kw: asked.update(kw) or {})
    monkeypatch.setattr(bq, "print_report", lambda result: None)
    real = bq.importlib.util.find_spec
    monkeypatch.setattr(bq.importlib.util, "find_spec", lambda name, *a: None if name == "textacy" else real(name, *a))
    assert bq.main(["--no-polnear"]) == 0
    assert asked["baseline"] is False and "textacy is not installed" in capsys.readouterr().err


def test_gold_polnear_error_analysis_never_reads_dev(capsys):
    # review of 2026-12-03: the error analysis lists misses one by one, so it reads train only; dev
    # (the headline) is measured, never read for errors, whichever way the analysis is asked for
    with pytest.raises(SystemExit) as exc:
        bq.main(["--polnear-errors", "5", "--polnear-split", "dev"])
    assert exc.value.code == 2 and "train only" in capsys.readouterr().err
    with pytest.raises(ValueError, match="never read for errors"):
        bq.polnear_errors(None, {}, split="dev", limit=5)


@pytest.mark.model
def test_gold_bench_verbose_gives_counts_only_for_polnear_dev_texts(nlp, tmp_path):
    # review of 2026-12-03: --verbose listed every missed and spurious quote of the gold's polnear*
    # files, which are PolNeAR dev texts (measured, never read error by error); it prints counts
    first = next(p for p in sorted(bq.GOLD_DIR.glob("polnear*.json")))
    shutil.copy(first, tmp_path / first.name)
    lines: list[str] = []
    bq.evaluate_gold(nlp, bq.load_stages(), "all", verbose=True, log=lines.append, gold_dir=tmp_path)
    listed = sum(line.lstrip().startswith(("MISSED", "SPURIOUS", "SPEAKER", "ATTR")) for line in lines)
    assert listed == 0
    assert any("PolNeAR dev text" in line and "not listed" in line for line in lines)
    gold = bq.load_gold_file(first)
    assert bq.is_heldout_text(gold)
    assert not bq.is_heldout_text(bq.load_gold_file(bq.GOLD_DIR / "bbc-business-025.json"))
    # review of 2026-12-03 (seventh session): the text's path decides, not the file's name
    assert bq.is_heldout_text(dataclasses.replace(gold, id="renamed-dev-text"))


# Named source right (issue 15): the gold source's surname (name_head) against the predicted
# speaker's words (name_words). Sentences from PolNeAR train outside the blind split.
@pytest.mark.parametrize("pred,word", [
    ("Michael O'Hanlon", "o'hanlon"),  # the apostrophe inside a name is kept (was "o", "hanlon")
    ("Mr. O\u2019Hanlon's", "o'hanlon"),  # any typist's apostrophe; a possessive is not the name
    ("Eva Resnick-Day", "resnick-day"),
])
def test_gold_name_words_keep_apostrophes_and_hyphens_inside_a_name(pred, word):
    assert word in bq.name_words(pred)


@pytest.mark.model
@pytest.mark.parametrize("sentence,source,head", [
    ("Her seemingly incongruous comments on the issue speak to the reality that there may be no real "
     "political upside for Mrs. Clinton in coming out early with a detailed plan for Syria, said Michael "
     "O'Hanlon, a senior fellow at the Brookings Institution.",
     "Michael O'Hanlon, a senior fellow at the Brookings Institution", "o'hanlon"),
    ("\u201cYes, I support Ted Cruz,\u201d Brent Bozell III, founder of the Media Research Center, tells "
     "Breitbart News in an exclusive interview.",
     "Brent Bozell III, founder of the Media Research Center,", "bozell"),  # was "iii"
    ("Elliott\u2019s father, the Rev. Charles Elliott Jr., knew Muhammad Ali for decades.",
     "Elliott\u2019s father, the Rev. Charles Elliott Jr.,", "elliott"),  # was "jr."
    ("His father, Duncan Hunter Sr., who once represented the district where his son now serves and who "
     "ran for president in 2008, made building a border fence one of his signature issues.",
     "His father, Duncan Hunter Sr.,", "hunter"),  # was "sr"
    ("A woman later identified as Eva Resnick-Day, an activist for the environmental group Greenpeace, "
     "demanded to know whether Clinton would forsake campaign donations from oil companies.",
     "Eva Resnick-Day, an activist for the environmental group Greenpeace,", "resnick-day"),  # was "day"
    ("Former Maryland Gov. Martin O\u2019Malley (D) and former Arkansas Gov. Mike Huckabee (R) announced "
     "they will suspend their campaigns.",
     "Former Maryland Gov. Martin O\u2019Malley (D) and former Arkansas Gov. Mike Huckabee (R)",
     "o'malley"),  # was "d"
    ("As Donald Trump and Sen. Ted Cruz (R-Texas) lamented illegal immigration, Clinton took a moment to "
     "reach out to Spanish-speaking voters:", "Sen. Ted Cruz (R-Texas)", "cruz"),
    ("In hypothetical match-ups, former Secretary of State Hillary Clinton would beat Donald Trump and Sen. "
     "Ted Cruz, R-Texas, but lose to Ben Carson or Sen. Marco Rubio, R-Fla.", "Sen. Marco Rubio, R-Fla.",
     "rubio"),
])
def test_gold_name_head_is_the_surname_not_a_suffix_or_tag(nlp, sentence, source, head):
    doc = nlp(sentence)
    start = sentence.index(source)
    span = doc.char_span(start, start + len(source), alignment_mode="expand")
    assert bq.name_head(list(span)) == head
    assert head in bq.name_words(source)  # the predicted speaker written as the gold source matches


def _load_attribution_bench():
    return load_script("bench/attribution_model.py", "bench_attribution_model")


@pytest.mark.model
def test_gold_attribution_bench_names_a_source_by_its_surname_not_its_state(nlp):
    # bench/attribution_model.py took the source's last proper noun ("texas", "fla.")
    bam = _load_attribution_bench()
    sentence = ("In hypothetical match-ups, former Secretary of State Hillary Clinton would beat Donald Trump "
                "and Sen. Ted Cruz, R-Texas, but lose to Ben Carson or Sen. Marco Rubio, R-Fla.")
    doc = nlp(sentence)
    pieces = [(sentence.index(s), sentence.index(s) + len(s)) for s in ("Sen. Ted Cruz, R-Texas,",
                                                                          "Sen. Marco Rubio, R-Fla.")]
    article = Article(id="cruz", source="polnear", raw_text=sentence, text=sentence)
    assert [bam.gold_name(article, doc, [p]) for p in pieces] == ["cruz", "rubio"]


def test_gold_attribution_bench_reads_a_content_piece_written_after_its_relation(tmp_path):
    # PolNeAR writes some relations before their second content piece ("E5 ... Content2:T22" above
    # "T22"); polnear_data.read_relations (bench/quotes.py's read_brat since 2026-12-03) keeps it
    bam = _load_attribution_bench()
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "bbc_tech_300.txt").write_text(SPLIT_QUOTE, encoding="utf-8")
    (a, b), (c, d), (s, e) = *SPLIT_PIECES, SPLIT_SOURCE[0]
    (tmp_path / "attributions" / "bbc_tech_300_AN1.ann").write_text(
        f"T1\tContent {a} {b}\t{SPLIT_QUOTE[a:b]}\nT2\tSource {s} {e}\the\n"
        f"E1\tSource:T2 Content:T1 Content2:T3\nT3\tContent {c} {d}\t{SPLIT_QUOTE[c:d]}\n", encoding="utf-8")
    ex = types.SimpleNamespace(stem="bbc_tech_300", article=types.SimpleNamespace(source=str(tmp_path / "text" / "bbc_tech_300.txt")))
    assert bam.gold_relations(ex) == [{"source": SPLIT_SOURCE, "content": SPLIT_PIECES}]


# Full name right (issue 15's held-out measure "by full name"): the predicted canonical name's first
# name and surname (name_key) against the gold source person's, made full by the one longer name the
# article writes. Sentences from PolNeAR train outside the blind split.
@pytest.mark.parametrize("name,key", [
    ("Sen. Chuck Grassley (R-Iowa)", ("chuck", "grassley")),
    ("Donald J. Trump", ("donald", "trump")),
    ("C. Stewart Verdery Jr.", ("stewart", "verdery")),
    ("Marcel Laz\u0103r Lehel", ("marcel", "lehel")),
    ("Mr. Hannity", ("hannity",)),
    ("Sens. Paul", ("paul",)),
    (None, None),
])
def test_gold_name_key_is_first_name_and_surname(name, key):
    assert bq.name_key(name) == key


@pytest.mark.model
def test_gold_full_name_of_a_surname_is_the_one_the_article_writes(nlp):
    text = ("Fox News host Sean Hannity asked Trump about the wall. \u201cWe will build it,\u201d Trump said. "
            "\u201cWho pays?\u201d Hannity asked.")
    doc = nlp(text)
    names = bq.article_person_names(doc)

    def full(source, nth=0):
        start = [i for i in range(len(text)) if text.startswith(source, i)][nth]
        person = bq.gold_person(list(doc.char_span(start, start + len(source), alignment_mode="expand")))
        return bq.gold_full_name(person, names) if person else None

    assert full("Fox News host Sean Hannity") == ("sean", "hannity")
    assert full("Hannity", 1) == ("sean", "hannity")  # a surname alone: the full name written earlier
    assert full("Trump", 1) == ("trump",)  # never written in full: the surname is the whole name
    two = "Bill Clinton and Hillary Clinton spoke. Clinton said it was late."
    doc = nlp(two)
    start = two.index("Clinton said")
    person = bq.gold_person(list(doc.char_span(start, start + 7)))
    assert bq.gold_full_name(person, bq.article_person_names(doc)) == "?"  # two full names: not scored


def _gold_full(nlp, text: str, source: str, context: str | None = None, resolve: bool = True):
    # the gold full name of ``source`` where ``context`` (which starts with it) first occurs in ``text``
    doc = nlp(text)
    start = text.index(context or source)
    person = bq.gold_person(list(doc.char_span(start, start + len(source), alignment_mode="expand")))
    mentions = bq.article_person_mentions(doc)
    names = [words for _, words in mentions]
    return bq.gold_full_name(person, names, mentions if resolve else None) if person else None


# PolNeAR train (nyt_2016-01-28, outside the blind split): "Mr. Clinton" and "Mrs. Clinton" beside
# "Bill Clinton" and "Hillary Clinton" were not scored (two full names); the honorific's gender
# chooses between them, the scorer's own rule (bench/quotes.py resolve_namesake)
CLINTON_COUPLE = (
    "Bill Clinton came to the vote-rich city of Mason City on Wednesday night and recounted his wife's "
    "life experiences. But what Mr. Clinton used to do so well - and what Hillary Clinton needs, only "
    "days before the Iowa caucuses on Monday - was nowhere to be found.\n\n"
    "He may not electrify a room the way he once did, they say, but he is still an effective advocate "
    "for Mrs. Clinton.")


@pytest.mark.model
def test_gold_full_name_of_a_namesake_follows_the_honorific(nlp):
    assert _gold_full(nlp, CLINTON_COUPLE, "Mrs. Clinton", resolve=False) == "?"
    assert _gold_full(nlp, CLINTON_COUPLE, "Mrs. Clinton") == ("hillary", "clinton")
    assert _gold_full(nlp, CLINTON_COUPLE, "Mr. Clinton") == ("bill", "clinton")


# PolNeAR train (nyt_2015-11-18, wash-post_2015-12-20, outside the blind split): "Michael O'Hanlon"
# (one token with its apostrophe) was no full name of the article, and "state" (a PROPN to the small
# model) was taken as Hillary Clinton's first name in "former secretary of state Hillary Clinton"
OHANLON = (
    "Her seemingly incongruous comments on the issue speak to the reality that there may be no real "
    "political upside for Mrs. Clinton in coming out early with a detailed plan for Syria, said Michael "
    "O'Hanlon, a senior fellow at the Brookings Institution.\n\n"
    "''Even if she could convince people she's right today, by a year from now, on Election Day, the "
    "situation will have morphed,'' Mr. O'Hanlon said.")
SECRETARY_OF_STATE = (
    "\"The first line of defense against radicalization is within the Muslim American community,\" said "
    "former secretary of state Hillary Clinton.\n\n"
    "Clinton, the Democratic front-runner, was especially critical of the man who is leading the GOP race.")


@pytest.mark.model
def test_gold_full_name_reads_an_apostrophe_name_and_no_lower_case_word(nlp):
    assert _gold_full(nlp, OHANLON, "Mr. O'Hanlon") == ("michael", "o'hanlon")
    assert _gold_full(nlp, SECRETARY_OF_STATE, "Clinton", "Clinton, the") == ("hillary", "clinton")


# A predicted speaker of several people is compared person by person (PolNeAR train politico_2016-07-11,
# breitbart_2016-01-05): "Jason Chaffetz and Bob Goodlatte" was the key ("jason", "goodlatte")
@pytest.mark.parametrize("speaker,keys", [
    ("Jason Chaffetz and Bob Goodlatte", {("jason", "chaffetz"), ("bob", "goodlatte")}),
    ("Jeb Bush and his rivals for the Republican presidential nomination",
     {("jeb", "bush"), ("his", "nomination")}),
    ("Sen. Chuck Grassley (R-Iowa)", {("chuck", "grassley")}),
    (None, set()),
])
def test_gold_person_keys_split_a_speaker_of_several_people(speaker, keys):
    assert bq.person_keys(speaker) == keys
