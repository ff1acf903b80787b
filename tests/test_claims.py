"""Tests for newstrace.extract.claims and .figures: figures and dated events with who asserts them (issue 4)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.extract import extract_claims, parse_number, resolve_date
from newstrace.models import Article, Attribution, Quote
from repo_scripts import load_script


@pytest.mark.parametrize("text, value, approx", [
    ("2.4 million", 2_400_000.0, False),
    ("two million", 2_000_000.0, False),
    ("1,500", 1500.0, False),
    ("$1.5bn", 1_500_000_000.0, False),
    ("£20m", 20_000_000.0, False),
    ("5 million dollars", 5_000_000.0, False),
    ("a dozen", 12.0, False),
    ("two dozen", 24.0, False),
    ("twenty-five", 25.0, False),
    ("three hundred and fifty", 350.0, False),
    ("one and a half million", 1_500_000.0, False),
    ("half a million", 500_000.0, False),
    ("thousands", 1000.0, True),
    ("tens of thousands", 10_000.0, True),
    ("hundreds of thousands", 100_000.0, True),
    ("10 to 20", 10.0, True),
    ("between 10 and 20", 10.0, True),
    ("10-20", 10.0, True),
    ("no number here", None, False),
])
def test_claims_parse_number(text, value, approx):
    assert parse_number(text) == (value, approx)


@pytest.mark.parametrize("text, published, future, expected", [
    ("Nov. 11", "2022-11-14", False, "2022-11-11"),
    ("on Nov. 11", "2022-11-14", False, "2022-11-11"),
    ("January 26, 2022", None, False, "2022-01-26"),
    ("July of 2021", None, False, "2021-07"),
    ("in March", "2022-02-01", False, "2021-03"),  # a past event in a later month: last year's
    ("in March", "2022-02-01", True, "2022-03"),   # a future one: this year's
    ("in September", "2022-11-14", False, "2022-09"),
    ("last week", "2022-02-01", False, "2022-W04"),
    ("last month", "2022-01-10", False, "2021-12"),
    ("last year", "2022-01-10", False, "2021"),
    ("yesterday", "2022-02-01", False, "2022-01-31"),
    ("three days ago", "2022-02-01", False, "2022-01-29"),
    ("Tuesday", "2022-11-14", False, "2022-11-08"),  # 14 Nov 2022 was a Monday
    ("Tuesday", "2022-11-14", True, "2022-11-15"),
    ("last week", None, False, None),  # relative dates need the article date
    ("Tuesday", None, False, None),
    ("2021", None, False, "2021"),
    # the day is the number beside the month, not another number of the words: ecbplus-dev's
    # dateline "17 September 2013 - 21: 29" the small NER cuts after the hour (was 2013-09-21),
    # and a time stamp of ECB+ 20_7ecbplus (was 2005-11-20)
    ("September 2013 - 21", None, False, "2013-09"),
    ("20 AM ET Last Updated: Nov 27, 2005 8", None, False, "2005-11-27"),
    ("8 p. m. Saturday, Jan. 15", "2011-01-05", True, "2011-01-15"),  # ECB+ 25_14ecbplus's words (was the 8th)
    ("the 12 months to November", "2022-11-14", False, "2022-11"),  # a count of months is no day
    # a range is its first day: PolNeAR train ("the event July 18-21", "conducted March 11-13") and
    # bbc/tech/041 ("runs from 14 to 17 February")
    ("July 18-21", "2016-06-30", True, "2016-07-18"),
    ("March 11-13", "2016-03-15", False, "2016-03-11"),
    ("from 14 to 17 February", "2005-02-14", True, "2005-02-14"),
    ("12th November", None, False, "--11-12"),
    ("the 12th of November", None, False, "--11-12"),
])
def test_claims_resolve_date(text, published, future, expected):
    assert resolve_date(text, published, future=future) == expected


def _article(text: str, published: str | None = "2022-11-14", outlet: str | None = "Example News") -> Article:
    return Article(id="a1", source="test", raw_text=text, text=text, published=published, outlet=outlet)


def _claims(nlp, text, **kw):
    quotes = kw.pop("quotes", [])
    attributions = kw.pop("attributions", [])
    art = _article(text, **kw)
    return extract_claims(nlp(text), art, entities=None, quotes=quotes, attributions=attributions)


def _by_text(claims):
    return {c.text: c for c in claims}


@pytest.mark.model
def test_claims_quantity_with_unit_and_what(nlp):
    # seed 001
    text = "In fiscal year 2022, which ended in September, CBP recorded 2.4 million encounters with illegal migrants."
    c = _by_text(_claims(nlp, text))["2.4 million"]
    assert (c.kind, c.value, c.unit) == ("quantity", 2_400_000.0, "encounters")
    assert c.what.startswith("encounters with illegal migrants")
    assert "fiscal year 2022" in c.what
    assert c.asserted_by == "Example News"
    assert text[c.start:c.end] == "2.4 million"


@pytest.mark.model
def test_claims_percent_governed_by_noun_and_verb(nlp):
    text = ("That number was an increase of 37 percent over the same time period last year, according to "
            "the Associated Press. ICE has been given a set of priorities that have cut ICE book-ins by 62 "
            "percent, according to the Transactional Records Access Clearinghouse.")
    # the attribution covers the whole first sentence
    s1 = text.index(" ICE has")
    attrs = [Attribution(article_id="a1", source="Associated Press", source_kind="outlet", cue="according to",
                         sentence=text[:s1], start=0, end=s1)]
    got = _by_text(_claims(nlp, text, attributions=attrs))
    inc = got["37 percent"]
    assert (inc.kind, inc.value, inc.unit) == ("percent", 37.0, "percent")
    assert inc.what.startswith("increase")
    assert inc.asserted_by == "Associated Press"
    cut = got["62 percent"]
    assert (cut.kind, cut.value, cut.unit) == ("percent", 62.0, "percent")
    assert "cut" in cut.what and "book-ins" in cut.what
    assert cut.asserted_by == "Example News"  # no attribution passed for the second sentence


@pytest.mark.model
def test_claims_money_currencies(nlp):
    # BBC business 001 and 004
    text = ("Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the three months "
            "to December, from $639m year-earlier. The airline made a pre-tax profit of £75m ($141m) compared "
            "with £125m a year earlier.")
    got = _by_text(_claims(nlp, text))
    assert (got["$1.13bn"].kind, got["$1.13bn"].value, got["$1.13bn"].unit) == ("money", 1.13e9, "USD")
    assert (got["£600m"].value, got["£600m"].unit) == (600e6, "GBP")
    assert (got["$639m"].value, got["$639m"].unit) == (639e6, "USD")
    assert (got["£75m"].value, got["£75m"].unit) == (75e6, "GBP")
    assert "profit" in got["£75m"].what
    assert (got["76%"].kind, got["76%"].value) == ("percent", 76.0)
    assert "profits" in got["76%"].what


@pytest.mark.model
def test_claims_ratios(nlp):
    # BBC business passages
    text = ("US firms created 337,000 jobs last month, twice the amount expected. "
            "Yangtze Electric Power has said its profits more than doubled in 2004. "
            "It had been billing clients twice in order to boost sales.")
    claims = _claims(nlp, text)
    ratios = [c for c in claims if c.kind == "ratio"]
    assert [(c.text, c.value) for c in ratios] == [("twice", 2.0), ("doubled", 2.0)]
    assert "profits" in ratios[1].what
    jobs = _by_text(claims)["337,000"]
    assert (jobs.kind, jobs.value, jobs.unit) == ("quantity", 337_000.0, "jobs")


@pytest.mark.model
def test_claims_word_numbers_and_vague_counts(nlp):
    text = ("With a price tag under £80,000, the V8 Vantage is tens of thousands of pounds cheaper. "
            "Air China plans to modernise a dozen state-owned carriers, and two million passengers flew with it.")
    got = _by_text(_claims(nlp, text))
    assert got["a dozen"].value == 12.0 and got["a dozen"].unit == "carriers"
    assert got["two million"].value == 2_000_000.0 and got["two million"].unit == "passengers"
    assert got["£80,000"].value == 80_000.0 and got["£80,000"].unit == "GBP"


@pytest.mark.model
def test_claims_event_dates(nlp):
    # seed 001: "on Nov. 11" resolved against the article date
    text = "The commissioner confirmed to the Los Angeles Times on Nov. 11 that Mayorkas had asked him to resign."
    (c,) = [c for c in _claims(nlp, text) if c.kind == "date"]
    assert (c.text, c.date, c.unit) == ("Nov. 11", "2022-11-11", "date")
    assert c.what.startswith("commissioner confirmed")
    # seed 000: "last week" against 2022-02-01
    text = "Alejandro Mayorkas has come face-to-face against U.S. Border Patrol agents in a meeting last week."
    dates = [c for c in _claims(nlp, text, published="2022-02-01") if c.kind == "date"]
    assert [(c.text, c.date) for c in dates] == [("last week", "2022-W04")]


@pytest.mark.model
@pytest.mark.parametrize("text", [
    # statute numbers are identifiers (seed 003)
    "Entering the U.S. without permission is a misdemeanor under Title 8 Section 1325.",
    # age in apposition
    "Charlie Bell, 44, the former head of McDonald's, has died of cancer.",
    "Charlie Bell has died of cancer aged 44.",
    # a measure used as an adjective, a date, a time of day
    "CBP officials released the findings of a 500-page report.",
    "The meeting was held on January 26, 2022 at 10:30 am.",
    # "one" as an article
    "One agent turned his back on Mayorkas.",
])
def test_claims_not_claims(nlp, text):
    assert [c for c in _claims(nlp, text, published=None) if c.kind != "date"] == []


@pytest.mark.model
def test_claims_asserted_by_quote_speaker(nlp):
    text = "\u201cI am 100 percent against the abolition of the ICE,\u201d said Mayorkas."
    q = Quote(article_id="a1", kind="direct", text=text[1:text.index("\u201d")], start=1,
              end=text.index("\u201d"), speaker="Alejandro Mayorkas", speaker_kind="person")
    (c,) = _claims(nlp, text, quotes=[q])
    assert (c.kind, c.value, c.asserted_by) == ("percent", 100.0, "Alejandro Mayorkas")
    # without an outlet the article itself asserts it
    (c,) = _claims(nlp, text, outlet=None)
    assert c.asserted_by == "the article"


@pytest.mark.model
def test_claims_seed_article(nlp, examples_dir):
    path = next(examples_dir.glob("001_*.txt"))
    text = path.read_text(encoding="utf-8")
    claims = _claims(nlp, text)
    for c in claims:
        assert text[c.start:c.end] == c.text
        assert c.kind in ("quantity", "percent", "money", "ratio", "date")
        assert (c.date is not None) == (c.kind == "date")
    values = {(c.kind, c.value, c.unit) for c in claims}
    assert ("quantity", 2_400_000.0, "encounters") in values
    assert ("percent", 37.0, "percent") in values


@pytest.mark.model
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-%$£€abcdehilmnoprstuvwy\n\"'()")), max_size=80))
def test_claims_never_crash(nlp, text):
    for c in _claims(nlp, text):
        assert 0 <= c.start <= c.end <= len(text)


@given(st.text(max_size=60), st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())), st.booleans())
def test_claims_parsers_never_crash(text, published, future):
    parse_number(text)
    resolve_date(text, published, future=future)


@pytest.mark.model
def test_claims_fractions_and_spelled_percent(nlp):
    # BBC politics 112
    text = ("Almost a quarter (21%) of those polled said he should return. One in four said he should be back "
            "within a year or two. Three-quarters said Mr Blunkett was right. Forty-three per cent thought Mr "
            "Blunkett had done a good job. But nearly half those surveyed said he should return.")
    got = [(c.text, c.kind, c.value) for c in _claims(nlp, text, published=None)]
    assert got == [("a quarter", "ratio", 0.25), ("21%", "percent", 21.0), ("One in four", "ratio", 0.25),
                   ("Three-quarters", "ratio", 0.75), ("Forty-three per cent", "percent", 43.0),
                   ("half", "ratio", 0.5)]


@pytest.mark.model
def test_claims_scale_split_by_tokenizer(nlp):
    # BBC business 001: "$500m." at the end of a sentence
    text = "The company said it previously set legal reserves at $500m. It has offered to pay $300m to settle."
    got = [(c.text, c.value, c.unit) for c in _claims(nlp, text)]
    assert got == [("$500m", 500e6, "USD"), ("$300m", 300e6, "USD")]


@pytest.mark.model
def test_claims_source_counts_are_not_figures(nlp):
    # seed 001
    text = ("Two sources familiar with the matter told CBS News that Mayorkas has asked Magnus to step down. "
            "Magnus had a reputation as a police chief in three different cities.")
    got = [(c.text, c.value, c.unit) for c in _claims(nlp, text) if c.kind == "quantity"]
    assert got == [("three", 3.0, "cities")]


@pytest.mark.model
def test_claims_relative_date_without_article_date(nlp):
    # BBC politics 304: no publication date, so "on Wednesday" is a date claim with an unknown date
    text = "Labour's campaign cost £1.7m, according to figures revealed by the Electoral Commission on Wednesday."
    dates = [c for c in _claims(nlp, text, published=None) if c.kind == "date"]
    assert [(c.text, c.date) for c in dates] == [("on Wednesday", None)] or \
        [(c.text, c.date) for c in dates] == [("Wednesday", None)]
    assert "revealed" in dates[0].what


@pytest.mark.model
@pytest.mark.parametrize("split, f1, value_acc", [("dev", 0.95, 0.97), ("test4", 0.90, 0.90)])
def test_claims_gold_floor(nlp, split, f1, value_acc):
    # pinned floors on the gold (tests/gold/claims): dev is tuned on, test4 is held out; see bench/claims.py
    bench = load_script("bench/claims.py", "bench_claims")
    if bench.find_corpus() is None:
        pytest.skip("shared corpus not found")
    res = bench.evaluate(nlp, split=split)
    assert res["overall"]["f1"] >= f1
    assert res["value_accuracy"] >= value_acc


@pytest.mark.model
def test_claims_held_out_patterns(nlp):
    # BBC business 010, politics 175 / 203 / 322 (found on the held-out gold)
    text = ("The demand was rejected in a 2-1 decision. Prosecutors wanted $280bn in profits accumulated over "
            "the past 50 years, from firms with multi-billion dollar advertising campaigns. The vote is expected "
            "to fall on 5 May. He backed a minimum wage for 16 and 17-year-olds. The UK valued the animals at "
            "between two and three times the assessment.")
    got = [(c.text, c.kind, c.value, c.unit) for c in _claims(nlp, text, published=None)]
    assert got == [("$280bn", "money", 280e9, "USD"), ("the past 50 years", "quantity", 50.0, "years"),
                   ("5 May", "date", None, "date"), ("two and three times", "ratio", 2.0, "ratio")]
    assert [c.date for c in _claims(nlp, text, published=None) if c.kind == "date"] == ["--05-05"]


@pytest.mark.parametrize("text, published, expected", [
    ("last autumn", "2005-02-10", "2004"),
    ("this summer", "2005-07-10", "2005"),
    ("last autumn", None, None),
])
def test_claims_resolve_season(text, published, expected):
    assert resolve_date(text, published) == expected


@pytest.mark.model
def test_claims_asserted_by_frame_vs_content(nlp):
    # seed 001: the date is in the article's frame, the reported clause belongs to the commissioner
    text = "The commissioner confirmed to the Los Angeles Times on Nov. 11 that Mayorkas had asked him to resign."
    content = "Mayorkas had asked him to resign"
    qs = text.index(content)
    quotes = [Quote(article_id="a1", kind="indirect", text=content, start=qs, end=qs + len(content),
                    speaker="Chris Magnus", speaker_kind="person")]
    attrs = [Attribution(article_id="a1", source="Los Angeles Times", source_kind="outlet", cue="confirmed to",
                         sentence=text, start=0, end=len(text))]
    (c,) = [c for c in _claims(nlp, text, quotes=quotes, attributions=attrs) if c.kind == "date"]
    assert c.asserted_by == "Example News"
    # without a known quote in the sentence the attribution's source asserts it
    (c,) = [c for c in _claims(nlp, text, attributions=attrs) if c.kind == "date"]
    assert c.asserted_by == "Los Angeles Times"


@pytest.mark.model
def test_claims_bbc_sample_fixes(nlp):
    # BBC business 154 / 198 / 238 / 386 and sport 290 (random-sample survey)
    text = ("Changes by the ONS have removed double counting. The FTSE 100 rose and England lost the Six Nations "
            "opener. Contributions have increased since the late 1990s. Employer contributions rose to £8.2bn. "
            "Shares closed down 6% at 64 pence. Revenue rose over the last four or five years.")
    got = [(c.text, c.kind, c.value, c.unit) for c in _claims(nlp, text, published=None)]
    assert got == [("£8.2bn", "money", 8.2e9, "GBP"), ("6%", "percent", 6.0, "percent"),
                   ("64 pence", "money", 0.64, "GBP"), ("the last four or five years", "quantity", 4.0, "years")]
    pct = _by_text(_claims(nlp, text, published=None))["6%"]
    assert "%" not in pct.what and "pence" not in pct.what


@pytest.mark.model
def test_claims_times_as_count_or_factor(nlp):
    # BBC business 100 (a frequency) and politics 203 (a factor); business 200 ("every three years")
    text = ('"In a lot of weeks, we would speak three or four times," Mr Ebbers said. He could face up to 85 '
            'years in jail. Cubans are limited to one visit every three years. The UK valued the animals at '
            'between "two and three times" the assessment.')
    claims = _claims(nlp, text, published=None)
    assert [(c.kind, c.value, c.unit) for c in claims] == [
        ("quantity", 3.0, "times"), ("quantity", 85.0, "years"), ("quantity", 1.0, "visit"),
        ("quantity", 3.0, "years"), ("ratio", 2.0, "ratio")]
    # the NER decides whether "every"/"up to" belong to the DATE span; the number is always in it
    assert [c.text for c in claims][0] == "three or four times"
    assert "85 years" in claims[1].text and "three" in claims[3].text


@pytest.mark.model
def test_claims_currency_forms_and_changes(nlp):
    # BBC business 050 / 250 and politics 181
    text = ("Revenue dipped 1.4% to 86.7bn Swiss francs ($74.6bn; £39.1bn). Lenovo's profit was HK$327m "
            "(US$42m; £22m). Chinese PC sales have risen by a fifth in each of the past two years. The move will "
            "increase the number of colleges from 350 to 400 and provide up to three hours of activity a week.")
    got = [(c.kind, c.value, c.unit) for c in _claims(nlp, text, published=None)]
    assert got == [("percent", 1.4, "percent"), ("money", 86.7e9, "CHF"), ("money", 74.6e9, "USD"),
                   ("money", 39.1e9, "GBP"), ("money", 327e6, "HKD"), ("money", 42e6, "USD"), ("money", 22e6, "GBP"),
                   ("ratio", 0.2, "ratio"), ("quantity", 2.0, "years"), ("quantity", 350.0, None),
                   ("quantity", 400.0, None), ("quantity", 3.0, "hours")]


def test_claims_resolve_ago_with_alternatives():
    assert resolve_date("30 or 40 years ago", "2005-03-01") == "1975"


@pytest.mark.model
def test_claims_scores_and_odds(nlp):
    # BBC sport (a tennis score), politics ("by two to one"), sport ("triple jumper")
    text = ("The Swede won 6-3 6-7 (2-7) 7-6 (7-5) to take the title. Voters would reject the constitution by "
            "two to one. Swedish triple jumper Christian Olsson was injured. Between 10-20 people came.")
    got = [(c.text, c.kind, c.value) for c in _claims(nlp, text, published=None)]
    assert got == [("two to one", "ratio", 2.0), ("10-20", "quantity", 10.0)]


def test_claims_docstring_examples():
    import doctest

    import newstrace.extract.claims as claims_module
    import newstrace.extract.figures as figures_module
    res = doctest.testmod(claims_module)
    res2 = doctest.testmod(figures_module)
    assert res.failed == 0 and res2.failed == 0 and res.attempted + res2.attempted >= 4


@pytest.mark.model
def test_claims_dates_through_time_nouns_agents_and_possessives(nlp):
    # seed 001, BBC politics 385, seed 003, BBC politics 322
    text = ("The annual total broke two million for the first time ever in August. Five million lives could "
            "have been saved by 2015, Mr Brown argued. During last week's forum, employees pleaded for a firmer "
            "hand. The totals were well up on the same period of 2003.")
    dates = [(c.text, c.date) for c in _claims(nlp, text, published="2005-02-10") if c.kind == "date"]
    assert dates == [("August", "2004-08"), ("2015", "2015"), ("last week's", "2005-W05")]


@pytest.mark.model
def test_claims_duration_what(nlp):
    # BBC politics 385 and business 100
    text = ("UK Chancellor Gordon Brown has offered £960m over 15 years to an international scheme. "
            "He could face a jail sentence of up to 85 years.")
    got = {c.value: c.what for c in _claims(nlp, text, published=None) if c.kind == "quantity"}
    assert "offered" in got[15.0]
    assert got[85.0] == "jail sentence"


@pytest.mark.model
def test_claims_metres_and_hyphenated_durations(nlp):
    # BBC sport and entertainment: "400m" is a distance, "three-hour epic" and "four-year contract" are modifiers
    text = ("Gillick won the 400m hurdles and Nolan took second in the men's 1500m behind Speaight. The show drew "
            "20m viewers. Critics savaged the three-hour epic. Most managers want a four-year contract.")
    got = [(c.text, c.kind, c.value) for c in _claims(nlp, text, published=None)]
    assert got == [("20m", "quantity", 20e6)]


# -- qualifiers: "more than £5m", "about 2.4 million" (issue #5) --------------------------------
@pytest.mark.model
@pytest.mark.parametrize("text, figure, qualifier", [
    # BBC business/politics sentences
    ("Cadbury Schweppes employs more than 50,000 people worldwide, with about 7,000 in the UK.", "50,000", "over"),
    ("Cadbury Schweppes employs more than 50,000 people worldwide, with about 7,000 in the UK.", "7,000", "approx"),
    ("Mittal Steel, one of the world's largest steel producers, could cut up to 45,000 jobs over the next "
     "five years, its chief executive has said.", "45,000", "up_to"),
    ("BMW has forecast sales growth of at least 10% in Asia this year after registering record sales there "
     "in 2004.", "10%", "at_least"),
    ("The deal will help the carrier, trying to survive by cutting costs by nearly $1bn (£530m) a year, "
     "save about $94m.", "$1bn", "approx"),
    ("The deal will help the carrier, trying to survive by cutting costs by nearly $1bn (£530m) a year, "
     "save about $94m.", "$94m", "approx"),
    ("The deal will help the carrier, trying to survive by cutting costs by nearly $1bn (£530m) a year, "
     "save about $94m.", "£530m", None),
    ("Mitch killed about 10,000 people and caused damage of about $10bn in 1998.", "10,000", "approx"),
    ("Shares in engineering group Jarvis have soared more than 16% on news that it is offloading its "
     "stake in London underground consortium Tube Lines.", "16%", "over"),
    ("Only firms at least 51% Russian-owned will be permitted to bid.", "51%", "at_least"),
    ("Pay rises were kept at no more than 3% a year.", "3%", "at_most"),
    ("They face fines of as much as $1m each.", "$1m", "up_to"),
    ("Fewer than 10 firms bid for the contract.", "10", "under"),
    ("Profits were in excess of £1bn last year.", "£1bn", "over"),
    ("The scheme will cost £960m over 15 years.", "15 years", None),  # a period, not "more than"
    ("The scheme will cost £960m over 15 years.", "£960m", None),
    ("Unions said 10 or more plants could close.", "10", "at_least"),
    ("The firm has 5 more stores than last year.", "5", None),  # a difference, not a bound
    ("More than 40 record labels turned up to one gig in Glasgow.", "one", None),  # a phrasal verb
    ("Sales of Blume's books have exceeded 75 million, but her work is still banned.", "75 million", "over"),
    ("Oil prices topped $50 a barrel for the first time.", "$50", "over"),
    ("Protesters broke 5 windows at the embassy.", "5", None),  # the figure counts the object
    ("The cost is likely to be less than the $27bn cost of the hurricanes.", "$27bn", None),  # compared with
    ("It took more than three years to build the plant.", "more than three years", "over"),
    # the value of a vague count or a range is its lower bound (seed 002, BBC politics 203)
    ("the overwhelming increase in the tens of thousands of Central American migrants", "tens of thousands",
     "at_least"),
    ("valuers had valued the culled animals at between \"two and three times\" the commission's own "
     "assessment", "two and three times", "at_least"),
])
def test_claims_qualifier(nlp, text, figure, qualifier):
    c = _by_text(_claims(nlp, text))[figure]
    assert c.qualifier == qualifier


def test_claims_value_range_and_conflicts():
    from newstrace.extract import QUALIFIERS, figures_conflict, figures_disagree, value_range

    assert value_range(2.4e6, "approx") == pytest.approx((2.16e6, 2.64e6))
    assert value_range(300, "up_to") == (float("-inf"), 300.0)
    assert value_range(12, None) == (12.0, 12.0)
    with pytest.raises(ValueError, match="unknown figure qualifier 'roughly'; valid ones: None, approx"):
        value_range(1, "roughly")
    assert set(QUALIFIERS) == {"approx", "over", "under", "at_least", "at_most", "up_to"}
    assert not figures_disagree((5e6, "over"), (5.2e6, None))     # "more than £5m" vs "£5.2m"
    assert not figures_disagree((2.4e6, "approx"), (2.5e6, None))  # "about 2.4 million" vs "2.5 million"
    assert figures_disagree((2.4e6, "approx"), (3e6, None))
    assert figures_disagree((300, "up_to"), (350, None))
    assert not figures_disagree((40, "approx"), (38, "over"))
    assert figures_disagree((10, "under"), (12, "at_least"))
    assert figures_disagree((826, None), (1326, None))
    # only figures from different articles count; linear in the number of figures
    assert not figures_conflict([("a", 5, None), ("a", 6, None), ("b", 5, "at_least")])
    assert figures_conflict([("a", 5, None), ("a", 6, None), ("b", 6, "at_least")])
    assert not figures_conflict([("a", float(i), "approx") for i in range(100, 110)] + [("b", 105.0, None)])


@pytest.mark.model
def test_claims_qualified_figures_are_no_conflict_in_link(nlp):
    """Issue #5: "more than £5m" in one article and "£5.2m" in another agree; "£4m" does not."""
    from newstrace.link import link_articles

    def run(texts):
        arts, claims = [], []
        for n, text in enumerate(texts):
            art = Article(id=f"a{n}", source=f"a{n}", raw_text=text, text=text, published="2005-02-1" + str(n))
            arts.append(dict(id=art.id, source=art.source, outlet=f"Outlet {n}", title=None,
                             published=art.published, text=text))
            for i, c in enumerate(extract_claims(nlp(text), art, entities=None, quotes=[], attributions=[])):
                claims.append(dict(vars(c), id=f"{art.id}-c{i}"))
        return link_articles(arts, claims=claims).figure_conflicts

    base = ("A US bank has said it will donate {} to victims of former Chilean military ruler Augusto "
            "Pinochet's regime under a Madrid court settlement. The bank agreed the payment with the court, "
            "which had frozen its assets in the case, lawyers for the victims said on Friday.")
    assert run([base.format("more than $8m"), base.format("$8.3m")]) == []
    (conflict,) = run([base.format("more than $8m"), base.format("$7m")])
    assert sorted((f["value"], f["qualifier"]) for f in conflict["figures"]) == [(7e6, None), (8e6, "over")]


@pytest.mark.model
def test_claims_qualifier_gold_floor(nlp):
    # qualifiers were annotated by hand on every gold file (qualifiers_checked); see bench/claims.py
    bench = load_script("bench/claims.py", "bench_claims")
    if bench.find_corpus() is None:
        pytest.skip("shared corpus not found")
    res = bench.evaluate(nlp, split="all")
    assert res["qualifier_matched"] >= 200
    assert res["qualifier_accuracy"] >= 0.97
    assert res["qualifiers"]["p"] >= 0.95 and res["qualifiers"]["r"] >= 0.85


def test_claims_qualifier_is_stored_and_exported_also_in_an_older_database(tmp_path):
    import sqlite3

    from newstrace.models import Annotations, Claim
    from newstrace.store import iter_export, open_store

    db = tmp_path / "old.db"
    open_store(db).close()
    con = sqlite3.connect(db)  # a database written before the qualifier column existed
    con.execute("alter table claims drop column qualifier")
    con.commit()
    con.close()
    text = "Cadbury Schweppes employs more than 50,000 people worldwide."
    claim = Claim(article_id="a1", text="50,000", value=50000.0, unit="people", what="people",
                  asserted_by=None, start=36, end=42, qualifier="over")
    store = open_store(db)
    try:
        run = store.start_run(settings={}, inputs=[], version="test")
        assert store.write_article(_article(text), Annotations(claims=[claim]), file="t.txt", run_id=run)
        [row] = list(iter_export(store, "claims"))
        assert (row["text"], row["value"], row["qualifier"]) == ("50,000", 50000.0, "over")
        [loaded] = store.load_link_inputs()["claims"]
        assert loaded["qualifier"] == "over"
    finally:
        store.close()


# -- what a conflict needs (issue #17 item 1): ranges, split decimals, role, period, event ------
@pytest.mark.parametrize("text, bounds", [
    ("35 to 40", (35.0, 40.0)),
    ("between 10 and 20", (10.0, 20.0)),
    ("10-20", (10.0, 20.0)),
    ("35 to 40 million", (35e6, 40e6)),
    ("2.4 million", None),
    ("6-3", None),  # not low-to-high: a score, no range
])
def test_claims_parse_range(text, bounds):
    from newstrace.extract.figures import parse_range
    assert parse_range(text) == bounds


@pytest.mark.parametrize("text, joined", [
    ("magnitude - 6. 1", "magnitude - 6.1"),
    ("$27. 5 million", "$27.5 million"),
    ("120, 000 people", "120,000 people"),
    ("IE6, 7, 8, 9, 10", "IE6, 7, 8, 9, 10"),  # a list, not thousands
])
def test_claims_join_split_number(text, joined):
    from newstrace.extract.figures import join_split_number
    assert join_split_number(text) == joined


@pytest.mark.model
def test_claims_range_keeps_both_bounds(nlp):
    text = "Police said 35 to 40 people were killed in the blast."
    [c] = [c for c in _claims(nlp, text) if c.kind != "date"]
    assert (c.text, c.value, c.low, c.high, c.unit) == ("35 to 40", 35.0, 35.0, 40.0, "people")


@pytest.mark.model
def test_claims_decimal_split_by_tokenisation_is_one_number(nlp):
    # ECB+ 20_3 and 20_1 (ECB+ spaces every token): "6. 1" is 6.1, not 1; "120, 000" is 120,000
    text = ("Iran's seismological center said the quake measured magnitude - 5. 9, but the U. S. Geological "
            "Survey said it was 6. 1. The quake struck Qeshm island, home to 120, 000 people.")
    got = [(c.text, c.value) for c in _claims(nlp, text) if c.kind != "date"]
    assert got == [("5. 9", 5.9), ("6. 1", 6.1), ("120, 000", 120000.0)]


@pytest.mark.model
def test_claims_a_sentence_end_after_a_number_is_no_decimal(nlp):
    # (news style spells out a number that starts a sentence; a list of versions is no decimal)
    text = "The blast killed 6. Police said 12 others were hurt. It runs on Windows 7, 8, 10."
    got = [(c.text, c.value) for c in _claims(nlp, text) if c.kind != "date"]
    assert ("6", 6.0) in got and ("12", 12.0) in got and not any(v in (7.8, 8.1, 8010.0) for _, v in got)


@pytest.mark.model
def test_claims_role_period_and_event_from_the_parse(nlp):
    # the false conflict: two figures of one sentence, one the earlier value (HTML benchmark)
    text = ("U.S. agricultural exports to China dropped to $9.1 billion in 2018, down from $19.5 billion "
            "the previous year. Shares rose 5% to $12.40 on Monday. The population grew from 350 to 400.")
    got = {c.text: (c.role, c.period, c.event) for c in _claims(nlp, text, published="2019-10-20")
           if c.kind != "date"}
    assert got["$9.1 billion"] == (None, "2018", "drop")
    assert got["$19.5 billion"] == ("earlier", "2017", "drop")
    assert got["5%"] == ("change", "2019-10-14", "rise")
    assert got["$12.40"] == (None, "2019-10-14", "rise")
    assert got["350"][0] == "earlier" and got["400"][0] is None


@pytest.mark.model
def test_claims_period_of_the_subject_and_compared_value(nlp):
    text = "Profits in the first quarter were $5 million, up from $4 million a year earlier."
    got = {c.text: (c.role, c.period) for c in _claims(nlp, text) if c.kind != "date"}
    assert got == {"$5 million": (None, "first quarter"), "$4 million": ("earlier", "a year earlier")}


def test_claims_conflict_fields_are_stored_also_in_an_older_database(tmp_path):
    import sqlite3

    from newstrace.models import Annotations, Claim
    from newstrace.store import open_store

    db = tmp_path / "old.db"
    open_store(db).close()
    con = sqlite3.connect(db)  # a database written before issue #17's columns existed
    for col in ("low", "high", "role", "period", "event"):
        con.execute(f"alter table claims drop column {col}")
    con.commit()
    con.close()
    text = "Police said 35 to 40 people were killed in 2018."
    claim = Claim(article_id="a1", text="35 to 40", value=35.0, unit="people", what="people", asserted_by="Police",
                  start=12, end=20, low=35.0, high=40.0, role=None, period="2018", event="kill")
    store = open_store(db)
    try:
        run = store.start_run(settings={}, inputs=[], version="test")
        assert store.write_article(_article(text), Annotations(claims=[claim]), file="t.txt", run_id=run)
        [loaded] = store.load_link_inputs()["claims"]
        assert (loaded["low"], loaded["high"], loaded["role"], loaded["period"], loaded["event"]) == \
            (35.0, 40.0, None, "2018", "kill")
    finally:
        store.close()


@pytest.mark.model
def test_claims_doer_is_the_subject_else_the_possessive_owner(nlp):
    # ECB+ dev topic 25's kind of sentence: whose yards (issue #17: two players' figures are no conflict)
    text = ("Peyton Hillis ran for 144 yards. Jamal Lewis's 92 rushing yards led the Browns. "
            "The team's 30 points were a season high. He had just 269 yards rushing.")
    got = {c.text: c.agent for c in _claims(nlp, text) if c.kind != "date"}
    assert got["144"] == "Peyton Hillis"
    assert got["92"] == "Jamal Lewis"
    assert got["30"] is None and got["269"] is None


@pytest.mark.model
def test_claims_pronoun_doer_is_the_name_coreference_gives(nlp):
    # ECB+ dev topic 4: "She" had been hospitalized in one report, "Page" in another (issue #17:
    # a pronoun doer named nobody, so the two reports' stays could not be tied to one person)
    from newstrace.extract import analyze_entities

    text = ("She was the wholesome face of America's kinky secret -- even if no one saw that face for half a "
            "century.\n\nBettie Page, the notorious Southern gal-turned-dominatrix-turned pin-up-queen-turned "
            "born again Christian, died Thursday at age 85.\n\nThe details of her death are known:\n\nShe had "
            "been hospitalized in Los Angeles for four weeks due to pneumonia, only to suffer from a heart attack."
            "\n\nPeyton Manning threw for 364 yards. His 28 completions set a record.")
    doc = nlp(text)
    art = _article(text)
    got = {c.text: c.agent for c in extract_claims(doc, art, entities=analyze_entities(doc, art))
           if c.kind != "date"}
    assert got["four weeks"] == "Bettie Page"
    assert got["364"] == "Peyton Manning"
    assert got["28"] == "Peyton Manning"  # a possessive pronoun owner
    without = {c.text: c.agent for c in extract_claims(nlp(text), art, entities=None) if c.kind != "date"}
    assert without["four weeks"] is None and without["28"] is None


@pytest.mark.model
def test_claims_fraction_written_without_its_zero(nlp):
    # ".75 percent" was no figure at all and parse_number(".75") gave 75 (issue #17 item 1: ECB+'s
    # ".357" against ".38" revolver)
    text = "The teenager pointed a .357 caliber revolver at the officers. The yield fell to .75 percent."
    got = {c.text: (c.value, c.unit) for c in _claims(nlp, text) if c.kind != "date"}
    assert got == {".357": (0.357, "caliber"), ".75 percent": (0.75, "percent")}


@pytest.mark.parametrize("text, value", [(".75", 0.75), (".5bn", 5e8), ("0.75", 0.75), ("6.5", 6.5), ("a. 357", 357.0)])
def test_claims_parse_number_leading_decimal_point(text, value):
    assert parse_number(text) == (value, False)
