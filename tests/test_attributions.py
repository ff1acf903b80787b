"""Tests for newstrace.attributions: attributions and indirect (reported) speech (issue 3)."""

from __future__ import annotations

import pytest

from newstrace.attributions import _quote_regions


def _inside(text: str) -> list[str]:
    return [text[s:e] for s, e in _quote_regions(text)]


@pytest.mark.parametrize("text, expected", [
    # curly marks (seed 001)
    ("\u201cI was horrified by what I saw,\u201d Mayorkas told CNN.", ["I was horrified by what I saw,"]),
    # straight marks, two quotes in one paragraph
    ('He said "no" and she said "yes".', ["no", "yes"]),
    # a quote that runs on into the next paragraph re-opens without closing (news convention)
    ("\u201cFirst part.\n\n\u201cSecond part,\u201d he said.", ["First part.", "Second part,"]),
    # a closing mark without an opening one is ignored; no quote at all
    ("It ended.\u201d Then nothing.", []),
    ("No quotes here at all.", []),
])
def test_attributions_quote_regions(text, expected):
    assert _inside(text) == expected
