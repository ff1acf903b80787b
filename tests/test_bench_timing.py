"""The timing helpers of ``bench/quotes.py`` and ``bench/extract_time.py``: CPU time is the headline
(robust to the other jobs of a shared machine), wall clock is printed beside it."""

from __future__ import annotations

import time

import pytest

from repo_scripts import load_script


@pytest.fixture(scope="module")
def bench_quotes():
    return load_script("bench/quotes.py", "bench_quotes")


@pytest.fixture(scope="module")
def extract_time():
    return load_script("bench/extract_time.py", "bench_extract_time")


def test_bench_timing_timed_reads_cpu_and_wall_clock_apart(bench_quotes):
    out, cpu, wall = bench_quotes.timed(time.sleep, 0.2)
    assert out is None
    assert wall >= 0.2
    assert cpu < 0.1  # sleeping takes no CPU time

    def spin(n):
        return sum(i * i for i in range(n))

    out, cpu, wall = bench_quotes.timed(spin, 300_000)
    assert out == sum(i * i for i in range(300_000))
    assert cpu > 0.0
    assert wall >= cpu * 0.9  # one thread: it cannot burn more CPU than the time it took


def test_bench_timing_summary_gives_the_ratio_in_both_clocks(bench_quotes):
    t = bench_quotes.timing_summary([4.0, 10.0], [0.6, 2.0], 20)
    assert t["annotate_vs_parse"] == 0.15  # CPU time: the headline
    assert t["annotate_vs_parse_wall"] == 0.2
    assert (t["parse_s"], t["annotate_s"], t["parse_wall_s"], t["annotate_wall_s"]) == (4.0, 0.6, 10.0, 2.0)
    assert t["parse_articles_per_s"] == 2.0 and t["annotate_articles_per_s"] == 10.0


def test_bench_timing_extract_time_takes_the_median_of_each_rounds_share(extract_time):
    def round_(parse, parse_wall, learned, rest, wall_share):
        stages = dict.fromkeys(extract_time.STAGES, 0.0) | {"learned": learned, "entities": rest}
        wall = {s: v * wall_share / (learned + rest) * parse_wall for s, v in stages.items()}
        return {"parse": parse, "parse_wall": parse_wall, "stages": stages, "stages_wall": wall}

    # a slow round (parse 20 s) weighs as much as a fast one: shares .15, .20, .10 -> median .15
    rounds = [round_(10.0, 20.0, 0.5, 1.0, 0.2), round_(20.0, 60.0, 1.0, 3.0, 0.3), round_(10.0, 30.0, 0.4, 0.6, 0.1)]
    out = extract_time.summarise({"docs": 3}, rounds)
    assert out["annotate_vs_parse"] == 0.15  # the share of the summed times would be 6.6 / 40 = .165
    assert out["without_learned"] == 0.1  # .10, .15, .06
    assert out["share"]["learned"] == 0.05
    assert out["annotate_vs_parse_wall"] == 0.2
    assert out["parse_s"] == 10.0 and out["parse_wall_s"] == 30.0


def test_bench_timing_extract_time_pairs_each_round_of_two_trees(extract_time):
    def round_(parse, total):
        return {"parse": parse, "stages": {"entities": total}}

    base = [round_(10.0, 2.0), round_(20.0, 2.0), round_(10.0, 1.0)]  # shares .2, .1, .1
    other = [round_(10.0, 1.0), round_(10.0, 2.0), round_(10.0, 0.8)]  # shares .1, .2, .08
    # pairs .5, 2.0, .8 -> .8 (the ratio of the medians would be .1 / .1 = 1.0)
    assert extract_time.paired_ratio(base, other) == pytest.approx(0.8)


@pytest.mark.model
def test_bench_timing_annotate_laps_every_stage_in_order(nlp, extract_time):
    # review of 2026-12-03: the benches time annotate itself through its lap callback (they had
    # copied its stage sequence twice, and the copies had fallen behind: evidence_quoted)
    from newstrace.extract import core
    from newstrace.models import Article

    text = "CBP Commissioner Chris Magnus said the agency would release its findings in March."
    article = Article(id="a", source="a.txt", raw_text=text, text=text)
    laps = []
    ann = core.annotate(nlp(text), article, lap=laps.append)
    assert tuple(laps) == core.STAGES == extract_time.STAGES
    assert repr(ann) == repr(core.annotate(nlp(text), article))


def test_bench_timing_extract_ab_refuses_trees_whose_data_differ(tmp_path, capsys):
    # review of 2026-12-03: in one process the package finds its data through the tree imported
    # last, so tree A ran with tree B's model; two trees with different data files are refused
    extract_ab = load_script("bench/extract_ab.py", "bench_extract_ab")
    for tree, weights in (("a", b"old"), ("b", b"new")):
        data = tmp_path / tree / "newstrace" / "data"
        data.mkdir(parents=True)
        (data / "attribution_crf.crfsuite").write_bytes(weights)
    with pytest.raises(SystemExit) as exc:
        extract_ab.main([str(tmp_path / "a"), str(tmp_path / "b")])
    assert exc.value.code == 2 and "data files" in capsys.readouterr().err
    assert extract_ab.data_digest(tmp_path / "a") != extract_ab.data_digest(tmp_path / "b")
    (tmp_path / "b" / "newstrace" / "data" / "attribution_crf.crfsuite").write_bytes(b"old")
    assert extract_ab.data_digest(tmp_path / "a") == extract_ab.data_digest(tmp_path / "b")
