"""The learned attribution layer (issue 15): CRF contents, the speaker ranker, their weights."""

from __future__ import annotations

import pytest

from newstrace.config import Settings
from newstrace.errors import ModelNotInstalled
from newstrace.extract import analyze_entities, annotate, extract_quotes, learned
from newstrace.models import ACTS, Article


def _article(text: str) -> Article:
    return Article(id="t", source="test", raw_text=text, text=text)


@pytest.mark.parametrize("lemma, act", [
    ("say", "speech"), ("believe", "thought"), ("want", "intention"), ("show", "evidence"),
    ("rule", "decision"), ("poll", "evidence"),
])
def test_learned_act_of(lemma, act):
    assert learned.act_of(lemma) == act
    assert act in ACTS


def test_learned_weights_ship_in_the_package():
    assert learned.model_path().is_file()
    assert learned.model_path().stat().st_size < 5_000_000
    assert len(learned.load_ranker()) == len(learned.RANKER_FEATURES)


def test_learned_missing_weights_name_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(learned, "model_path", lambda: tmp_path / "nothing.crfsuite")
    learned.load_tagger.cache_clear()
    try:
        with pytest.raises(ModelNotInstalled, match="attribution_model = false"):
            learned.load_tagger()
    finally:
        learned.load_tagger.cache_clear()


# BBC Technology, 2005 (../shared/corpus/bbc/tech): an intention and a decision the rules do not
# report
TOSHIBA = ("The PlayStation 3 is expected in 2006, while Toshiba plans to incorporate it into high-end "
           "televisions next year.")
BBC_DECIDED = "The BBC has already decided to embrace the technology."
# Breitbart, 2016-06-08 (PolNeAR train, not in the blind split): the participle's speaker is the
# inverted subject, not the object of "urging"
BIDEN = ("\u201cOh, let him make that decision,\u201d said Vice President Joe Biden, urging those calling for "
         "Sanders\u2019 withdrawal to \u201cgive him time.\u201d")


@pytest.mark.model
def test_learned_model_adds_nothing_twice_where_the_rules_already_report(nlp):
    # The rules now report "plans to" as an intention (issue 15): with the model on, the content
    # is still one record, with the rules' act and speaker
    art = _article(TOSHIBA)
    doc = nlp(TOSHIBA)
    rules = [q for q in annotate(doc, art, settings=Settings(attribution_model=False)).quotes
             if "incorporate it into high-end televisions" in q.text]
    both = [q for q in annotate(doc, art).quotes if "incorporate it into high-end televisions" in q.text]
    assert len(rules) == 1 and rules[0].act == "intention"
    assert [(q.start, q.end, q.act, q.speaker) for q in both] == [(q.start, q.end, q.act, q.speaker) for q in rules]


@pytest.mark.model
@pytest.mark.parametrize("text, content, act, speaker", [
    (BBC_DECIDED, "embrace the technology", "decision", "The BBC"),
])
def test_learned_model_adds_what_the_rules_miss(nlp, text, content, act, speaker):
    art = _article(text)
    doc = nlp(text)
    rules = annotate(doc, art, settings=Settings(attribution_model=False)).quotes
    both = annotate(doc, art).quotes
    assert not any(content in q.text for q in rules)
    hit = [q for q in both if content in q.text]
    assert len(hit) == 1 and hit[0].kind == "indirect" and hit[0].act == act
    assert hit[0].speaker_mention == speaker
    assert text[hit[0].start:hit[0].end] == hit[0].text  # offsets into the clean text


@pytest.mark.model
def test_learned_ranker_picks_the_speaker_over_the_object(nlp):
    art = _article(BIDEN)
    doc = nlp(BIDEN)
    quotes = extract_quotes(doc, art, entities=analyze_entities(doc, art))
    assert next(q for q in quotes if "give him time" in q.text).speaker == "those"  # the rules' choice
    urging = next(t for t in doc if t.lower_ == "urging")
    assert doc[learned.rank_speaker(doc, urging.i)].text == "Biden"
    assert learned.rerank_speakers(doc, art, quotes, entities=analyze_entities(doc, art)) == 1
    assert next(q for q in quotes if "give him time" in q.text).speaker == "Joe Biden"


@pytest.mark.model
def test_learned_model_quotes_never_overlap_the_rules(nlp, examples_dir):
    path = sorted(examples_dir.glob("*.txt"))[0]
    from newstrace.clean import clean_article
    from newstrace.models import RawArticle
    art = clean_article(RawArticle(source=str(path), text=path.read_text(encoding="utf-8"), file=str(path),
                                   format="txt"))
    doc = nlp(art.text)
    ann = annotate(doc, art)
    rules = annotate(doc, art, settings=Settings(attribution_model=False)).quotes
    extra = ann.quotes[len(rules):]
    assert [(q.start, q.end) for q in ann.quotes[:len(rules)]] == [(q.start, q.end) for q in rules]
    for q in extra:
        assert q.kind == "indirect" and q.act in ACTS and art.text[q.start:q.end] == q.text
        assert not any(r.start < q.end and q.start < r.end for r in rules)
