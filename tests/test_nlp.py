"""Tests for newstrace.nlp: the pipeline's own components (sentence and token boundaries)."""

from __future__ import annotations

import pytest

from newstrace.models import Article
from newstrace.extract import extract_quotes

pytestmark = pytest.mark.model

# BBC business 260: the sentence after "$660m." used to run on into the quote.
MALDIVES = ('The Maldives has gross domestic product of $660m. "It won\'t be surprising if the cost '
            'exceeds our GDP," he said.')


def test_nlp_unit_after_number_ends_the_sentence(nlp):
    doc = nlp(MALDIVES)
    assert [t.text for t in doc][7:11] == ["$", "660", "m", "."]
    assert [s.text for s in doc.sents][0] == "The Maldives has gross domestic product of $660m."


@pytest.mark.parametrize("text,tokens", [
    ("Sales hit £1.2m. Profits fell.", ["£", "1.2", "m", "."]),
    ("He ran 10 m. He said.", ["10", "m."]),          # a spaced letter is not glued to the number
    ("It is J. Smith.", ["J.", "Smith"]),              # initials keep their full stop
])
def test_nlp_unit_split_only_when_glued_to_a_number(nlp, text, tokens):
    words = [t.text for t in nlp(text)]
    assert any(words[i:i + len(tokens)] == tokens for i in range(len(words)))


def test_nlp_unit_split_keeps_offsets_and_quote(nlp):
    doc = nlp(MALDIVES)
    assert doc.text == MALDIVES
    art = Article(id="t", source="test", raw_text=MALDIVES, text=MALDIVES)
    quotes = extract_quotes(doc, art, entities=None)
    assert [q.text for q in quotes] == ["It won't be surprising if the cost exceeds our GDP,"]
    assert quotes[0].start == MALDIVES.index("It won't")


# Rules of every kind the English ruler has: tag map, LOWER+TAG lemma and morphology
# exceptions, DEP-conditioned rules, two-token rules with a regex ("ai" + "n't") and an index
# other than 0 ("gon" + "na", "Let" + "'s"), space tokens.
EDGE = ("It ain't so, but they're gonna go. Let's see: y'all did it. There is a cat and I saw it; "
        "did you have it?\n\n  \nWhich one? That one. But he ran. C'mon, I gotta go.")


def test_nlp_fast_attribute_ruler_equals_spacys(nlp, corpus_dir):
    import spacy

    from newstrace.nlp import resolve_model_name

    assert "newstrace_attributes" in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    ref = spacy.load(resolve_model_name("auto"))
    ref.add_pipe("newstrace_units", first=True)
    ref.add_pipe("newstrace_paragraphs", before="parser")
    files = sorted((corpus_dir / "bbc").glob("*/*.txt"))[::150]
    texts = [EDGE] + [f.read_text(encoding="latin-1") for f in files]

    def attrs(doc):
        return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc]

    for ours, theirs in zip(nlp.pipe(texts), ref.pipe(texts)):
        assert attrs(ours) == attrs(theirs)
    assert [(t.lemma_, t.pos_) for t in nlp("It ain't so.")][1] == ("be", "VERB")


def test_nlp_fast_attribute_ruler_refuses_unknown_pattern_features(nlp):
    import spacy

    from newstrace.nlp import FastAttributeRuler

    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "who"}]], {"POS": "PRON"})
    assert FastAttributeRuler.from_ruler(ruler) is not None
    ruler.add([[{"LENGTH": {">=": 12}}]], {"POS": "NOUN"})  # a comparison the class does not do
    assert FastAttributeRuler.from_ruler(ruler) is None


def test_nlp_load_once_whatever_the_spelling(nlp):
    # load_nlp() and load_nlp(settings.model == "auto") used to be two cache entries: two models
    from newstrace.config import Settings
    from newstrace.nlp import load_nlp, resolve_model_name

    assert load_nlp() is load_nlp("auto") is load_nlp(Settings().model) is load_nlp(resolve_model_name("auto"))


def test_nlp_load_freezes_the_pipeline_out_of_the_collector(nlp):
    # a full collection walked the pipeline's ~100,000 objects: about a tenth of the extraction's
    # time on PolNeAR dev (issue 15's budget); load_nlp moves them to the permanent generation
    import gc

    tracked = gc.get_objects()  # the objects of the collector's generations (not the frozen ones)
    assert not any(o is nlp or o is nlp.vocab or o is nlp.get_pipe("parser") for o in tracked)
    assert gc.get_freeze_count() > 10_000
    assert [t.text for t in nlp(MALDIVES)][7:11] == ["$", "660", "m", "."]  # and the pipeline still parses


# Hawaii News Now on Europa (tests/gold/quotes/texts/intl4-hawaiinewsnow-europa.txt) writes its
# dashes as U+2015 HORIZONTAL BAR; it was glued to the next word or tagged as a verb (issue 15).
EUROPA = ("Lucas Paganini, a NASA planetary scientist who led the water detection investigation, said two "
          "of the three requirements for life \u2015 essential chemical elements and sources of energy "
          "\u2015 are found all over the solar systems.")


@pytest.mark.parametrize("text", [EUROPA, "Europa \u2015located some 390 million miles away\u2015 is small."])
def test_nlp_horizontal_bar_reads_as_an_em_dash(nlp, text):
    doc = nlp(text)
    em = nlp(text.replace("\u2015", "\u2014"))
    assert doc.text == text
    assert [t.text.replace("\u2015", "\u2014") for t in doc] == [t.text for t in em]
    assert [(t.tag_, t.dep_, t.head.i) for t in doc] == [(t.tag_, t.dep_, t.head.i) for t in em]
    assert all(t.tag_ == ":" for t in doc if t.text == "\u2015")
