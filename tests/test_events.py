"""Tests for extract.events: the main event's date, people and places (issue #16)."""

from __future__ import annotations

import pytest

from newstrace.clean import clean_article
from newstrace.extract.events import extract_event
from newstrace.models import Article, RawArticle

# ECB+ (topic 3): a lead dated by a weekday, and a background year further down
TEXT = ("Now that Fulton County courthouse killer Brian Nichols has been sentenced to life without parole, "
        "one of the not yet answered questions is where the 37-year-old will serve time.\n\n"
        "Superior Court Judge James Bodiford on Saturday suggested that Nichols should serve his time in the "
        "federal maximum security prison in Florence, Colo.\n\n"
        "Nichols was first arrested in 2005 after the shootings in Atlanta.")


@pytest.mark.model
def test_events_weekday_resolved_background_year_ignored():
    from newstrace.nlp import load_nlp

    art = clean_article(RawArticle(source="n.txt", text=TEXT, published="2008-12-15"))
    ev = extract_event(load_nlp()(art.text), art)
    assert ev is not None
    assert (ev.date, ev.date_source) == ("2008-12-13", "Saturday")  # the Saturday before Monday 15th
    assert "Brian Nichols" in ev.participants


@pytest.mark.model
def test_events_dateline_when_lead_has_no_date():
    from newstrace.nlp import load_nlp

    # a dateline line kept in the text (clean_article drops the ones it recognises)
    text = ("November 30, 2009 at 02: 22 pm\n\n"
            "Lindsay Lohan has left the Betty Ford Center and is moving to a rehab facility in Malibu, Calif., "
            "Access Hollywood has confirmed.")
    art = Article(id="l", source="l.txt", raw_text=text, text=text)
    ev = extract_event(load_nlp()(art.text), art)
    assert ev is not None and ev.date == "2009-11-30"
    assert "Lindsay Lohan" in ev.participants
