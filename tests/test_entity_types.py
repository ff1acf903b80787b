"""Entity types from grammar: teams, works and statutes are not persons or organisations (issue #17).

Real sentences from the BBC corpus and the sample; the rules read the parse (a plural verb, a
group noun the name modifies, a work noun it heads, a sequel number, a legal citation), not a
list of club, game or show names.
"""

from __future__ import annotations

import pytest

from newstrace.extract.entities import analyze_entities
from newstrace.models import Article

pytestmark = pytest.mark.model


def _types(nlp, text: str) -> dict[str, str]:
    article = Article(id="x", source="x.txt", raw_text=text, text=text)
    return {e.name: e.type for e in analyze_entities(nlp(text), article).entities}


def test_entities_a_club_used_as_a_team_is_not_a_person(nlp):
    types = _types(nlp, "Wayne Rooney made a winning return to Everton as Manchester United cruised into the "
                        "FA Cup quarter-finals. In fairness I think Everton have missed a couple of players, "
                        "Alex Ferguson said.")
    assert types["Everton"] == "organisation"
    assert types["Wayne Rooney"] == types["Alex Ferguson"] == "person"
    types = _types(nlp, "He issued a formal apology to the Everton supporters immediately after the game.")
    assert types.get("Everton") != "person"


@pytest.mark.parametrize("text, name", [
    # BBC sentences the small model tags PERSON
    ("Like some drill sergeant from the past, Metal Slug 3 is a wake-up call to today's gamers "
     "molly-coddled with slick visuals and fancy trimmings.", "Metal Slug"),
    ("The handheld console will go on sale for $250 (£132) and the first million sold will come with "
     "Spider-Man 2 on UMD, the disc format for the machine.", "Spider-Man"),
    ("Also released this year was the Mosquito game for Symbian phones which surreptitiously sends "
     "messages to premium rate numbers.", "Mosquito"),
    ("Microsoft said Halo 2 sold 2.4 million copies on its first day, more than any film.", "Halo"),
])
def test_entities_a_game_or_a_radio_show_is_not_a_person(nlp, text, name):
    types = _types(nlp, text)
    assert not any(name in n and t == "person" for n, t in types.items())


def test_entities_a_statute_is_not_an_organisation(nlp):
    types = _types(nlp, "“In all honesty, I need to understand why some of these people are not the subject of "
                        "a USC 826 Title 8 case,” he said.")
    assert "USC" not in types


def test_entities_people_next_to_works_and_scores_stay_people(nlp):
    assert _types(nlp, "Jude Law said the Jude Law film had been a hit.")["Jude Law"] == "person"
    types = _types(nlp, "Liverpool won 3-1 with goals from John Arne Riise and Glen Johnson 81, while "
                        "Steven Gerrard was booked.")
    assert types.get("Steven Gerrard") == "person"
