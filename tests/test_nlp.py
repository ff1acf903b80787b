"""Tests for newstrace.nlp: the pipeline's own components (sentence and token boundaries)."""

from __future__ import annotations

import pytest

from newstrace.models import Article
from newstrace.quotes import extract_quotes

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
