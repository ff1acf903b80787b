"""Tests for newstrace.extract.entities and newstrace.link.entities: mentions, within-article coreference, resolve, cross-article merge."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newstrace.extract import analyze_entities, canonical_outlet, entity_id, first_name_gender
from newstrace.extract.entities import EntityAnalysis, without_places
from newstrace.extract.entities.names import name_key_tokens, name_parts
from newstrace.link import build_global_entities, merge_entities
from newstrace.models import Article, LocalEntity, Mention, Role
from repo_scripts import load_script


def _article(text: str, aid: str = "a1", published: str | None = "2022-02-01", outlet: str | None = None) -> Article:
    return Article(id=aid, source=f"{aid}.txt", raw_text=text, text=text, published=published, outlet=outlet)


def _analyze(nlp, text, **kw):
    art = _article(text, **kw)
    return analyze_entities(nlp(text), art), art


def _resolve_in(ea, text: str, words: str, context: str | None = None):
    """``ea.resolve`` of ``words`` where ``context`` (which starts with them; default the words
    themselves) first occurs in ``text``."""
    start = text.index(context or words)
    return ea.resolve(start, start + len(words))


def _span(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    found = [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text)]
    return found[nth]


def _ent(ea, name):
    return next(e for e in ea.entities if e.name == name)


# -- canonical_outlet (no model) ---------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("the AP", "Associated Press"),
    ("LA Times", "Los Angeles Times"),
    ("The Washington Post's", "Washington Post"),
    ("Fox News", "Fox News"),
    ("the Arizona Daily Star", "Arizona Daily Star"),
    ("Border Report", "Border Report"),
    ("Townhall.com", "Townhall"),
    ("KOLD News", "KOLD News"),
    ("Emily Post", None),
    ("Fox", None),
    ("Alejandro Mayorkas", None),
    ("the commissioner", None),
    ("", None),
])
def test_entities_canonical_outlet(name, expected):
    assert canonical_outlet(name) == expected


def test_entities_entity_id_is_deterministic():
    assert entity_id("person", "Chris  Magnus") == entity_id("person", "chris magnus")
    assert entity_id("person", "Chris Magnus") != entity_id("organisation", "Chris Magnus")


# -- merge_entities (no model) -----------------------------------------------------------------

def _row(aid, lid, name, type_="person", roles=(), aliases=()):
    return dict(article_id=aid, local_id=lid, name=name, type=type_, aliases=list(aliases),
                roles=[dict(title=t, article_id=aid, current=True, org=o, published=None) for t, o in roles])


def test_entities_merge_full_name_and_unambiguous_surname():
    rows = [_row("a", 0, "Chris Magnus", roles=[("CBP Commissioner", "U.S. Customs and Border Protection")]),
            _row("b", 0, "Magnus"), _row("c", 2, "Mr. Chris Magnus")]
    emap, ents = merge_entities(rows)
    assert emap[("a", 0)] == emap[("b", 0)] == emap[("c", 2)]
    assert [e["name"] for e in ents] == ["Chris Magnus"]
    assert ents[0]["article_ids"] == ["a", "b", "c"]
    assert ents[0]["roles"][0]["title"] == "CBP Commissioner"


def test_entities_merge_keeps_people_sharing_a_surname_apart():
    rows = [_row("a", 0, "Joe Biden"), _row("b", 0, "Hunter Biden"), _row("c", 0, "Biden")]
    emap, ents = merge_entities(rows)
    assert emap[("a", 0)] != emap[("b", 0)]
    # the bare surname is ambiguous in the pool and has no context: it joins neither
    assert emap[("c", 0)] not in (emap[("a", 0)], emap[("b", 0)])
    assert len(ents) == 3


def test_entities_merge_ambiguous_surname_follows_shared_role():
    rows = [_row("a", 0, "Joe Biden", roles=[("President", None)]), _row("b", 0, "Hunter Biden"),
            _row("c", 0, "Biden", roles=[("President", None)])]
    emap, _ = merge_entities(rows)
    assert emap[("c", 0)] == emap[("a", 0)] != emap[("b", 0)]


def test_entities_merge_bare_surname_respects_gender():
    rows = [_row("a", 0, "Michael Howard"), dict(_row("b", 0, "Howard"), gender="f"),
            dict(_row("b", 1, "Howard"), gender="m")]
    emap, _ = merge_entities(rows)
    # both genders are written for the bare surname and the full name's gender is unknown
    assert emap[("b", 0)] != emap[("a", 0)] and emap[("b", 1)] != emap[("a", 0)]
    rows = [dict(_row("a", 0, "Michael Howard"), gender="m"), dict(_row("b", 0, "Howard"), gender="f"),
            dict(_row("c", 0, "Howard"), gender="m")]
    emap, _ = merge_entities(rows)
    assert emap[("c", 0)] == emap[("a", 0)] != emap[("b", 0)]


def test_entities_merge_misspelling_only_when_context_agrees():
    agree = [_row("a", 0, "Adam Arulanantham", roles=[("chief counsel", "ACLU")]),
             _row("b", 0, "Adam Arulananthem", roles=[("chief counsel", "ACLU")])]
    emap, ents = merge_entities(agree)
    assert emap[("a", 0)] == emap[("b", 0)] and len(ents) == 1
    disagree = [_row("a", 0, "Adam Arulanantham", roles=[("chief counsel", "ACLU")]),
                _row("b", 0, "Adam Arulananthem", roles=[("mayor", "Springfield")])]
    emap, ents = merge_entities(disagree)
    assert emap[("a", 0)] != emap[("b", 0)] and len(ents) == 2


def test_entities_merge_misspelling_by_co_occurring_entity():
    rows = [_row("a", 0, "Adam Arulanantham"), _row("a", 1, "ACLU", "organisation"),
            _row("b", 0, "Adam Arulananthem"), _row("b", 1, "American Civil Liberties Union", "organisation")]
    emap, ents = merge_entities(rows)
    assert emap[("a", 0)] == emap[("b", 0)]
    assert emap[("a", 1)] == emap[("b", 1)]
    assert {e["name"] for e in ents} == {"Adam Arulanantham", "American Civil Liberties Union"}


def test_entities_merge_organisations_and_outlets():
    rows = [_row("a", 0, "U.S. Customs and Border Protection", "organisation"),
            _row("b", 0, "Customs and Border Protection", "organisation"),
            _row("c", 0, "CBP", "organisation"),
            _row("a", 1, "LA Times", "outlet"), _row("b", 1, "Los Angeles Times", "outlet"),
            _row("c", 1, "Immigration and Customs Enforcement", "organisation")]
    emap, ents = merge_entities(rows)
    assert emap[("a", 0)] == emap[("b", 0)] == emap[("c", 0)]
    assert emap[("a", 1)] == emap[("b", 1)]
    assert emap[("c", 1)] != emap[("c", 0)]
    names = sorted(e["name"] for e in ents)
    assert names == ["Los Angeles Times", "U.S. Customs and Border Protection",
                     "U.S. Immigration and Customs Enforcement"]


def test_entities_build_global_entities_matches_merge():
    locals_ = [LocalEntity("a", 0, "Chris Magnus", "person", aliases=["Magnus"],
                           roles=[Role("CBP Commissioner", "a", True, "CBP", "2022-01-01")]),
               LocalEntity("b", 0, "Magnus", "person")]
    rows = [dict(article_id=e.article_id, local_id=e.local_id, name=e.name, type=e.type,
                 aliases=e.aliases, roles=[r.__dict__ for r in e.roles]) for e in locals_]
    emap, ents = merge_entities(rows)
    built = build_global_entities(locals_, emap)
    assert [(e["id"], e["name"], e["article_ids"]) for e in built] == [(e["id"], e["name"], e["article_ids"]) for e in ents]
    assert built[0]["roles"] == [dict(title="CBP Commissioner", article_id="a", current=True, org="CBP",
                                      published="2022-01-01")]


# -- analyze_entities (model) ------------------------------------------------------------------

@pytest.mark.model
def test_entities_merges_name_surname_title_in_article(nlp):
    text = ("Homeland Security Secretary Alejandro Mayorkas met Border Patrol agents in Yuma on Tuesday.\n\n"
            "Mayorkas, the DHS secretary, said the job had become harder. Mr. Mayorkas added that he "
            "would return next month.")
    ea, _ = _analyze(nlp, text)
    idx, name, kind = ea.resolve(*_span(text, "Alejandro Mayorkas"))
    assert (name, kind) == ("Alejandro Mayorkas", "person")
    assert ea.resolve(*_span(text, "Mayorkas", 1))[0] == idx
    assert ea.resolve(*_span(text, "Mr. Mayorkas"))[0] == idx
    assert ea.resolve(*_span(text, "the DHS secretary"))[:2] == (idx, "Alejandro Mayorkas")
    assert ea.resolve(*_span(text, "he"))[:2] == (idx, "Alejandro Mayorkas")
    ent = ea.entities[idx]
    assert ent.type == "person" and ent.gender == "m"
    titles = {r.title for r in ent.roles}
    assert "Homeland Security Secretary" in titles
    assert all(r.article_id == "a1" and r.published == "2022-02-01" and r.current for r in ent.roles)
    assert all(ea.entities[i].local_id == i for i in range(len(ea.entities)))
    for m in ea.mentions:
        assert text[m.start:m.end] == m.text
        assert m.label in {"PERSON", "ORG", "GPE", "NORP", "OUTLET", "TITLE", "PRONOUN"}


@pytest.mark.model
def test_entities_mr_and_mrs_share_a_surname(nlp):
    text = ("Michael Howard's wife, Sandra, is to play a leading role in the campaign. Mrs Howard will "
            "make solo visits. Mr Howard will host a news conference every morning.")
    ea, _ = _analyze(nlp, text)
    mrs = ea.resolve(*_span(text, "Mrs Howard"))[0]
    mr = ea.resolve(*_span(text, "Mr Howard"))[0]
    assert mrs is not None and mr is not None and mrs != mr
    assert ea.entities[mrs].gender == "f"


@pytest.mark.model
def test_entities_same_surname_different_people(nlp):
    text = ("President Joe Biden said on Monday that the border was secure. His son Hunter Biden "
            "did not comment.\n\nJill Biden, the first lady, visited a school in Delaware.")
    ea, _ = _analyze(nlp, text)
    joe = ea.resolve(*_span(text, "Joe Biden"))[0]
    hunter = ea.resolve(*_span(text, "Hunter Biden"))[0]
    jill = ea.resolve(*_span(text, "Jill Biden"))[0]
    assert len({joe, hunter, jill}) == 3 and None not in {joe, hunter, jill}


@pytest.mark.model
def test_entities_title_without_a_name(nlp):
    text = ("The commissioner of the agency told reporters that arrests had fallen. "
            "The commissioner said more officers were needed.")
    ea, _ = _analyze(nlp, text)
    i1, name1, kind1 = ea.resolve(*_span(text, "The commissioner"))
    i2, _, _ = ea.resolve(*_span(text, "The commissioner", 1))
    assert kind1 == "person" and i1 is not None and i1 == i2
    assert "commissioner" in name1.lower()


@pytest.mark.model
def test_entities_acronym_defined_late(nlp):
    text = ("ICE arrested 40 people in Houston last week, officials said.\n\n"
            "The arrests were part of a wider operation. A spokesperson for Immigration and Customs "
            "Enforcement (ICE) declined to say how many remain in custody.")
    ea, _ = _analyze(nlp, text)
    first = ea.resolve(*_span(text, "ICE"))
    long = ea.resolve(*_span(text, "Immigration and Customs Enforcement"))
    assert first[0] is not None and first[0] == long[0]
    assert first[2] == "organisation"


@pytest.mark.model
def test_entities_acronym_from_article_not_in_table(nlp):
    text = ("The Transactional Records Access Clearinghouse (TRAC) published new figures on Monday. "
            "According to TRAC, the backlog grew by a third.")
    ea, _ = _analyze(nlp, text)
    a = ea.resolve(*_span(text, "TRAC", 1))
    b = ea.resolve(*_span(text, "Transactional Records Access Clearinghouse"))
    assert a[0] is not None and a[0] == b[0]


@pytest.mark.model
def test_entities_group_word_and_proper_noun_are_one_organisation(nlp):
    # holdout-intl4 (polygraph-rukban, after its score): the small NER tags "Islamic" NORP and leaves
    # "State" out, so the article's "Islamic State" was two things, the group "Islamic" and (where
    # tagged ORG) the organisation; the proper noun the group word modifies makes one organisation
    for text in ("According to the Pentagon, the base serves as an outpost in the fight against the "
                 "Islamic State group.",
                 "Lamrani further described the idea that the U.S. is training the Islamic State or "
                 "like-minded groups at al-Tanf as \"certainly absurd.\""):
        ea, _ = _analyze(nlp, text)
        lid, name, kind = ea.resolve(*_span(text, "Islamic State"))
        assert (name, kind) == ("Islamic State", "organisation")
        assert "Islamic" not in [e.name for e in ea.entities]
    # constructed guards: a title-case run is a headline's words, and a title is a person's: the
    # NORP word stays a group
    for text in ("Russian Economy Shrinks Again\n\nThe economy shrank by 2 percent, officials said.",
                 "The French President said on Monday that the talks would go on."):
        ea, _ = _analyze(nlp, text)
        assert [e.type for e in ea.entities if e.name.split()[0] in ("Russian", "French")] in (
            ["group"], ["group", "person"])  # ("French President" is the person the title names)


@pytest.mark.model
def test_entities_outlets_vs_people_named_like_outlets(nlp):
    text = ("The Washington Post reported on Sunday that the plan had stalled. Emily Post, a "
            "etiquette writer, said she was surprised. Michael Fox told Fox News that he agreed.")
    ea, _ = _analyze(nlp, text)
    assert ea.resolve(*_span(text, "The Washington Post")) [1:] == ("Washington Post", "outlet")
    assert ea.resolve(*_span(text, "Emily Post"))[1:] == ("Emily Post", "person")
    assert ea.resolve(*_span(text, "Fox News"))[1:] == ("Fox News", "outlet")
    assert ea.resolve(*_span(text, "Michael Fox"))[1:] == ("Michael Fox", "person")
    assert ea.resolve(*_span(text, "she"))[1] == "Emily Post"


@pytest.mark.model
def test_entities_pronoun_across_sentences(nlp):
    text = ("Jen Psaki spoke to reporters at the White House on Monday. The questions were about the "
            "border.\n\nShe said the administration was working on it. Later, Raul Ortiz visited Yuma. "
            "He met agents there.")
    ea, _ = _analyze(nlp, text)
    assert ea.resolve(*_span(text, "She"))[1:] == ("Jen Psaki", "person")
    assert ea.resolve(*_span(text, "He"))[1:] == ("Raul Ortiz", "person")
    assert _ent(ea, "Jen Psaki").gender == "f"


@pytest.mark.model
def test_entities_anonymous_descriptions(nlp):
    text = ("Two sources familiar with the matter said the secretary would resign. An ICE employee "
            "said morale was low, and officials declined to comment.")
    ea, _ = _analyze(nlp, text)
    idx, desc, kind = ea.resolve(*_span(text, "Two sources familiar with the matter"))
    assert (idx, kind) == (None, "anonymous") and desc.startswith("Two sources")
    assert ea.resolve(*_span(text, "An ICE employee"))[2] == "anonymous"
    assert ea.resolve(*_span(text, "officials"))[2] == "anonymous"


@pytest.mark.model
def test_entities_former_role_and_org(nlp):
    text = ("Former acting commissioner of CBP Mark Morgan said the policy had failed. "
            "Morgan now works for a think tank.")
    ea, _ = _analyze(nlp, text)
    idx = ea.resolve(*_span(text, "Mark Morgan"))[0]
    roles = ea.entities[idx].roles
    assert any(not r.current and "commissioner" in r.title.lower() and r.org == "U.S. Customs and Border Protection"
               for r in roles)
    assert ea.resolve(*_span(text, "Morgan", 1))[0] == idx


@pytest.mark.model
def test_entities_seed_article_cast(nlp, examples_dir):
    path = sorted(examples_dir.glob("000_*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    ea, _ = _analyze(nlp, text, aid="seed0")
    names = {e.name: e for e in ea.entities}
    assert {"Alejandro Mayorkas", "Raul Ortiz", "Julio Rosas", "Jen Psaki"} <= set(names)
    assert names["Julio Rosas"].roles[0].title == "Townhall Senior Writer"
    assert names["Raul Ortiz"].roles[0].title == "Border Patrol Chief"
    may = [i for i, e in enumerate(ea.entities) if e.name == "Alejandro Mayorkas"]
    assert len(may) == 1
    assert sum(1 for m in ea.mentions if m.entity == may[0]) >= 20


@pytest.mark.model
def test_entities_definite_org_description_and_one_of_them(nlp):
    text = ("EMI said on Friday that sales had fallen by a fifth. The company blamed piracy.\n\n"
            "Officials within the administration did not praise the plan. One said it was too late.")
    ea, _ = _analyze(nlp, text)
    emi = ea.resolve(*_span(text, "EMI"))
    assert ea.resolve(*_span(text, "The company"))[:2] == emi[:2] and emi[0] is not None
    idx, desc, kind = ea.resolve(*_span(text, "One"))
    assert (idx, kind) == (None, "anonymous") and desc == "One official"


@pytest.mark.model
def test_entities_role_left_and_conjoined_roles(nlp):
    text = ("Mr Blunkett quit as home secretary last week.\n\n"
            "Ruth Kelly, a Cabinet Office minister and Bolton West MP, arrived later.")
    ea, _ = _analyze(nlp, text)
    blunkett = ea.entities[ea.resolve(*_span(text, "Blunkett"))[0]]
    assert [(r.title, r.current) for r in blunkett.roles] == [("home secretary", False)]
    kelly = ea.entities[ea.resolve(*_span(text, "Ruth Kelly"))[0]]
    assert {r.title for r in kelly.roles} >= {"Cabinet Office minister"}
    assert any(r.title.endswith("MP") for r in kelly.roles)


@pytest.mark.model
def test_entities_possessive_before_its_subject(nlp):
    text = ("Charles Kennedy spoke in Bristol on Monday.\n\nIn his New Year message the Liberal Democrat "
            "leader said Labour was relying on fear.")
    ea, _ = _analyze(nlp, text)
    assert ea.resolve(*_span(text, "his"))[1] == "Charles Kennedy"
    assert ea.resolve(*_span(text, "the Liberal Democrat leader"))[1] == "Charles Kennedy"
    assert ea.resolve(*_span(text, "Labour"))[1:] == ("Labour Party", "organisation")


@pytest.mark.model
def test_entities_honorific_and_noble_names(nlp):
    text = ("Sir Alan Budd found a chain of events. Sir Alan said the case was unusual.\n\n"
            "Lord Carlile said it was possible. Mr Kilroy-Silk disagreed, and Prince Harry apologised. "
            "The prince said he was sorry.")
    ea, _ = _analyze(nlp, text)
    budd = ea.resolve(*_span(text, "Sir Alan Budd"))
    assert budd[1:] == ("Alan Budd", "person") and ea.resolve(*_span(text, "Sir Alan"))[0] == budd[0]
    assert ea.resolve(*_span(text, "Lord Carlile"))[1:] == ("Lord Carlile", "person")
    assert ea.resolve(*_span(text, "Mr Kilroy-Silk"))[1:] == ("Kilroy-Silk", "person")
    harry = ea.resolve(*_span(text, "Prince Harry"))
    assert harry[1] == "Prince Harry" and ea.resolve(*_span(text, "The prince"))[0] == harry[0]


# -- the gold dev set and its quality floor (bench/entities.py) --------------------------------

def _load_bench():
    return load_script("bench/entities.py", "bench_entities")


def test_entities_gold_files_match_their_texts(corpus_dir):
    be = _load_bench()
    golds = be.load_gold()
    assert len(golds) >= 15 and len({g.id for g in golds}) == len(golds)
    for g in golds:
        text = g.read_source(corpus_dir)
        assert be.check_gold(g, text) == [], g.id
        assert any(e["type"] == "person" for e in g.entities), g.id


def test_entities_speaker_bench_leaves_out_the_unscored_blind_splits(monkeypatch):
    # bench/entities.py resolved the speakers of every quote gold file, a blind split committed unscored
    # too (README of tests/gold/quotes said to run it with --no-speakers meanwhile); it now skips the
    # splits bench/quotes.py lists in UNSCORED, as --split all does
    be = _load_bench()
    monkeypatch.setattr(be, "UNSCORED", ())
    every = {d["id"]: d["split"] for d in be.speaker_gold()}
    monkeypatch.setattr(be, "UNSCORED", ("holdout-intl4",))
    kept = {d["id"] for d in be.speaker_gold()}
    left_out = set(every) - kept
    assert "intl4-thehill-omar" in left_out and "seed-000" in kept
    assert left_out == {i for i, split in every.items() if split == "holdout-intl4"}


@pytest.mark.model
def test_entities_gold_quality_floor(nlp, corpus_dir):
    # floors pinned a little under the measured dev figures (bench/entities.py); a drop fails CI
    be = _load_bench()
    res = be.evaluate(be.load_gold(), nlp)
    assert res["pairwise"]["names"]["f1"] >= 0.93
    assert res["pairwise"]["all"]["f1"] >= 0.82
    assert res["pronoun_accuracy"] >= 0.73
    assert res["role_accuracy"] >= 0.85
    assert res["cross_article"]["all"]["f1"] >= 0.90
    assert res["cross_article"]["person"]["p"] >= 0.95


@pytest.mark.model
def test_entities_title_named_in_the_next_sentence(nlp):
    text = ("On Saturday, the Lib Dem chief executive said it was a mistake that Mr Kennedy missed the vote. "
            "\"Nobody had any idea that was going to happen,\" Lord Rennard told reporters.")
    ea, _ = _analyze(nlp, text)
    assert ea.resolve(*_span(text, "the Lib Dem chief executive"))[1] == "Lord Rennard"
    assert ea.resolve(*_span(text, "Mr Kennedy"))[1] == "Kennedy"


@pytest.mark.model
def test_entities_definite_description_resolves_like_a_pronoun(nlp):
    """PolNeAR-style: "the businessman said" after naming the man; "the man said" stays unnamed."""
    text = ("Donald Trump spoke to the crowd on Monday in Ohio.\n\n"
            "\u201cWe need change,\u201d the businessman said.\n\n"
            "A man was arrested nearby. \u201cI did nothing,\u201d the man said.")
    ea = _analyze(nlp, text)[0]
    desc = [m for m in ea.mentions if m.label == "DESCRIPTION"]
    assert [m.text for m in desc] == ["businessman"]
    assert _resolve_in(ea, text, "the businessman")[1:] == ("Donald Trump", "person")
    assert _resolve_in(ea, text, "the man", "the man said")[0] is None


@pytest.mark.model
def test_entities_title_after_a_subordinate_clause_naming_its_holder(nlp):
    """PolNeAR politico: the person named in the sentence's subordinate clause holds the title;
    a clause-mate of the title is someone else."""
    text = ("Bernie Sanders offered some pointed advice to Hillary Clinton on Friday.\n\n"
            "As far as whether Sanders still senses anger and hatred of Clinton among his supporters, "
            "the Vermont senator acknowledged that there are still some people who feel that way.\n\n"
            "Homeland Security Secretary Alejandro Mayorkas said the senator was wrong.")
    ea = _analyze(nlp, text)[0]
    assert _resolve_in(ea, text, "the Vermont senator")[1] == "Bernie Sanders"
    assert _resolve_in(ea, text, "the senator", "the senator was")[1] != "Alejandro Mayorkas"


@pytest.mark.model
def test_entities_organisation_name_with_for_a(nlp):
    """PolNeAR usa-today: "for a" inside an organisation's name does not split it."""
    text = "The Committee for a Responsible Federal Budget reported that the plan would cost $5.3 trillion."
    ea = _analyze(nlp, text)[0]
    assert ("Committee for a Responsible Federal Budget", "organisation") in [(e.name, e.type) for e in ea.entities]


@pytest.mark.model
def test_entities_name_particles_and_shared_surnames(nlp):
    """PolNeAR dev (holdout-us2): "Mayor Bill de Blasio" is one name, "De Blasio" the same
    person, not "Bill" Bratton; a bare "Clinton" is the more salient of two Clintons."""
    text = ("Twenty-nine people were injured by an explosion that Mayor Bill de Blasio described as "
            "an intentional act. Police Commissioner Bill Bratton spoke. De Blasio said that there was no link.")
    ea = _analyze(nlp, text)[0]
    assert [e.name for e in ea.entities if e.type == "person"] == ["Bill de Blasio", "Bill Bratton"]
    text = ("Former President Bill Clinton criticized the law during a campaign stop for his wife "
            "Hillary Clinton.\n\nDuring the rally Monday, the former president said premiums rose.\n\n"
            "\u201cIt doesn\u2019t make any sense,\u201d Clinton said.")
    ea = _analyze(nlp, text)[0]
    assert _resolve_in(ea, text, "Clinton", "Clinton said")[1] == "Bill Clinton"


@pytest.mark.model
def test_entities_the_fund_is_the_organisation_named_with_fund(nlp):
    """PolNeAR wash-post (holdout-us2): "the fund" takes up the International Monetary Fund;
    "the court" with no court named takes up nobody."""
    text = ("The International Monetary Fund cut its forecast on Tuesday. Congress met. "
            "The fund said growth would slow. The court said nothing.")
    ea = _analyze(nlp, text)[0]
    assert _resolve_in(ea, text, "The fund")[1] == "International Monetary Fund"
    assert _resolve_in(ea, text, "The court")[1] != "Congress"


@pytest.mark.model
def test_entities_bare_surname_is_the_main_person_not_the_last_relative_named(nlp):
    """PolNeAR wash-post (holdout-us3): after many "Cruz" mentions of Ted Cruz, a photo of
    "Heidi Cruz" does not take over the bare surname."""
    text = ("Sen. Ted Cruz is endorsing Donald Trump. Cruz announced it on Friday. Cruz had refused "
            "to endorse him at the convention. Cruz said Trump had attacked his family. Trump also "
            "retweeted an unflattering photo of Heidi Cruz.\n\n"
            "\u201cI am not in the habit of supporting people who attack my wife,\u201d Cruz said then.")
    ea = _analyze(nlp, text)[0]
    assert _resolve_in(ea, text, "Cruz", "Cruz said then")[1] == "Ted Cruz"


@pytest.mark.model
def test_entities_anonymous_description_keeps_coordinated_modifiers(nlp):
    """PolNeAR nyt (holdout-us4): "Federal and state officials" is the description, not "officials"."""
    text = "Federal and state officials said the two raised $350 million from investors."
    ea = _analyze(nlp, text)[0]
    assert ea.resolve(0, len("Federal and state officials")) == (None, "Federal and state officials", "anonymous")


def test_entities_first_name_gender_table():
    """The packaged first-name table (scripts/make_first_names.py) keeps only near-unambiguous names."""

    assert (first_name_gender("Melanie"), first_name_gender("Donald"), first_name_gender("HEIDI")) == ("f", "m", "f")
    assert first_name_gender("Chris") is None and first_name_gender("Jordan") is None  # either
    assert first_name_gender("") is None and first_name_gender("Xqzv") is None


@pytest.mark.model
def test_entities_she_does_not_go_to_a_man_named_without_honorific(nlp):
    text = ("Melanie Austin watched the rally with her husband. Donald Trump walked onto the stage.\n\n"
            "\u201cHere comes Big Daddy,\u201d she said.")
    ea = _analyze(nlp, text)[0]
    assert _resolve_in(ea, text, "she", "she said")[1] == "Melanie Austin"


def test_entities_merge_a_one_word_name_takes_the_type_most_articles_give_it():
    # issue #17: "Chelsea" typed person in one article (thin evidence there), an organisation in two
    rows = [_row("a", 0, "Chelsea"), _row("b", 0, "Chelsea", "organisation"), _row("c", 0, "Chelsea", "organisation"),
            _row("d", 0, "Glasgow"), _row("e", 0, "Glasgow", "place"), _row("f", 0, "Glasgow", "place")]
    emap, ents = merge_entities(rows)
    assert emap[("a", 0)] == emap[("b", 0)] == emap[("c", 0)]
    assert emap[("d", 0)] == emap[("e", 0)] == emap[("f", 0)]
    assert sorted((e["name"], e["type"]) for e in ents) == [("Chelsea", "organisation"), ("Glasgow", "place")]


def test_entities_merge_a_person_named_like_a_place_stays_a_person():
    # a gender from the article, or the surname of a full name in the pool, keeps the person
    rows = [dict(_row("a", 0, "Jordan"), gender="m"), _row("b", 0, "Jordan", "place"), _row("c", 0, "Jordan", "place"),
            _row("d", 0, "Howard"), _row("e", 0, "Michael Howard"), _row("f", 0, "Howard", "organisation"),
            _row("g", 0, "Howard", "organisation"), _row("h", 0, "Chelsea"), _row("i", 0, "Chelsea", "organisation")]
    emap, ents = merge_entities(rows)
    types = {(e["name"], e["type"]) for e in ents}
    assert ("Jordan", "person") in types and ("Jordan", "place") in types
    assert emap[("d", 0)] == emap[("e", 0)] and ("Michael Howard", "person") in types
    assert ("Chelsea", "person") in types  # one other article is not enough


# -- names cut short and titles of another holder (issue 15 item 5) ------------------------------

# HuffPost, 2016-08-01 (PolNeAR train, not in the blind split): a surname of two words written alone
WASSERMAN = (
    "PHILADELPHIA \u2015 Hillary Clinton\u2019s campaign said it is looking for a progressive replacement to "
    "Rep. Debbie Wasserman Schultz (D-Fla.) to chair the Democratic National Committee, reflecting the "
    "party\u2019s attempts to unify with Sen. Bernie Sanders\u2019 (I-Vt.) supporters.\n"
    "Wasserman Schultz stepped down as DNC chair on July 24, the day before the big gathering in "
    "Philadelphia was set to commence.")


@pytest.mark.model
def test_entities_a_surname_of_two_words_joins_the_full_name(nlp):
    ea, _ = _analyze(nlp, WASSERMAN)
    assert _resolve_in(ea, WASSERMAN, "Wasserman Schultz", "Wasserman Schultz stepped")[1:] == \
        ("Debbie Wasserman Schultz", "person")
    assert [e.name for e in ea.entities if e.type == "person"].count("Debbie Wasserman Schultz") == 1
    assert not any(e.name == "Wasserman Schultz" for e in ea.entities)


# HuffPost, 2016-06-22 (PolNeAR train, not in the blind split): "McDermott" has an inner capital
MCDERMOTT = (
    "\u201cI want the House so I\u2019m going to do everything I can to help,\u2019\u201d Rep. Jim McDermott "
    "(D-Wash.) said.\n\u201cThat is a problem for the party,\u201d said Rep. Jim Clyburn (D-S.C.), a member "
    "of House Democratic leadership.")


@pytest.mark.model
def test_entities_a_name_with_an_inner_capital_is_not_cut_short(nlp):
    ea, _ = _analyze(nlp, MCDERMOTT)
    assert _resolve_in(ea, MCDERMOTT, "Jim McDermott")[1:] == ("Jim McDermott", "person")
    assert _resolve_in(ea, MCDERMOTT, "Jim Clyburn")[1:] == ("Jim Clyburn", "person")
    assert _resolve_in(ea, MCDERMOTT, "Jim McDermott")[0] != _resolve_in(ea, MCDERMOTT, "Jim Clyburn")[0]


# BBC Business, 2004 (business/317.txt, dev gold): the role noun's gender and the organisation
# keep "The Trafford Centre spokeswoman" from the later "Spokesman Alan Jones" of Bluewater
TRAFFORD = (
    "The Trafford Centre spokeswoman said about 8,500 thousand vehicles had arrived at the centre on "
    "Saturday before 1130 GMT. \"We predict that the next week will continue the same trend,\" she "
    "added.\n\nIt was a similar story at Bluewater in Kent. Spokesman Alan Jones said he expected "
    "150,000 shoppers to have visited by the end of Saturday and a further 100,000 on Sunday.")


@pytest.mark.model
@pytest.mark.parametrize("words", ["The Trafford Centre spokeswoman", "The Trafford Centre spokesman",
                                   "The spokeswoman"])
def test_entities_a_title_is_not_a_later_holder_of_another_organisation_or_gender(nlp, words):
    # the real sentence, and the same with only the organisation or only the gender to tell them apart
    text = TRAFFORD.replace("The Trafford Centre spokeswoman", words)
    ea, _ = _analyze(nlp, text)
    assert _resolve_in(ea, text, words)[1] != "Alan Jones"
    assert _resolve_in(ea, text, "Spokesman Alan Jones")[1] == "Alan Jones"


# Politico, 2016-04-20 (PolNeAR train, not in the blind split): "Chair" before the name is a title;
# the first name was taken into the title and the person cut to "Wasserman Schultz"
DNC_CHAIR = (
    "Democratic National Committee Chair Debbie Wasserman Schultz dismissed Bernie Sanders\u2019 "
    "accusations that the Clinton campaign is violating federal election law through its joint "
    "fundraising agreement with the DNC.")


@pytest.mark.model
def test_entities_chair_before_a_name_keeps_the_first_name(nlp):
    ea, _ = _analyze(nlp, DNC_CHAIR)
    assert _resolve_in(ea, DNC_CHAIR, "Debbie Wasserman Schultz")[1:] == ("Debbie Wasserman Schultz", "person")
    assert _resolve_in(ea, DNC_CHAIR, "Democratic National Committee Chair")[1] == "Debbie Wasserman Schultz"


# BBC Politics, 2004 (politics/102.txt, entity dev gold): Blair answers a question about Blunkett;
# inside his answer "He" is Blunkett, never Blair, who would say "I" (issue 15, item 5: a pronoun
# given to the wrong person)
BLUNKETT_ANSWER = (
    "Prime Minister Tony Blair said it was time to draw a line under the controversy surrounding David "
    "Blunkett.\n\nAt the end of his Middle East trip, Mr Blair said he still admired Mr Blunkett and thought "
    "his integrity was intact.\n\nAsked if Mr Blunkett could return to frontline politics at some point, he "
    "replied: \"I have made my admiration for David very clear and it remains. \"He's been a tremendous "
    "colleague, he's done a great job for us.\"")


@pytest.mark.model
def test_entities_a_pronoun_in_a_quotation_is_not_its_speaker(nlp):
    ea, _ = _analyze(nlp, BLUNKETT_ANSWER)
    assert _resolve_in(ea, BLUNKETT_ANSWER, "he", "he replied")[1] == "Tony Blair"
    assert _resolve_in(ea, BLUNKETT_ANSWER, "He", "He's been")[1] == "David Blunkett"
    assert _resolve_in(ea, BLUNKETT_ANSWER, "he", "he's done")[1] == "David Blunkett"


def test_entities_resolve_answers_again_after_the_mentions_change():
    text = "Chris Magnus said Mayorkas asked him to resign."
    ea = EntityAnalysis(mentions=[Mention("a", "Chris Magnus", 0, 12, "PERSON", 0)],
                        entities=[LocalEntity("a", 0, "Chris Magnus", "person"),
                                  LocalEntity("a", 1, "Alejandro Mayorkas", "person")], text=text)
    assert ea.resolve(0, 12) == (0, "Chris Magnus", "person")
    assert ea.resolve(18, 26) == (None, "Mayorkas", "unknown")
    assert ea.resolve(18, 26) == (None, "Mayorkas", "unknown")  # the kept answer
    ea.mentions.append(Mention("a", "Mayorkas", 18, 26, "PERSON", 1))
    assert ea.resolve(18, 26) == (1, "Alejandro Mayorkas", "person")


def test_entities_name_key_tokens_kept_answer_is_a_fresh_list():
    # name_key_tokens is kept per text: each call gets its own list, so a caller changing it
    # cannot change the next caller's
    words = name_key_tokens("Homeland Security Secretary Alejandro Mayorkas's")
    assert words == ["Homeland", "Security", "Secretary", "Alejandro", "Mayorkas"]
    words.append("x")
    assert name_key_tokens("Homeland Security Secretary Alejandro Mayorkas's")[-1] == "Mayorkas"
    assert name_key_tokens("Mr. Chris Magnus Jr") == ["Chris", "Magnus"]


@pytest.mark.model
def test_entities_without_places_keeps_the_subjects_that_can_speak(nlp):
    # Breitbart, 2016-02-08 (PolNeAR train, not in the blind split)
    doc = nlp("Speaking at a town hall event in Salem, New Hampshire, Trump went after Bush, calling him "
              "\u201ca total stiff.\u201d")
    went = next(t for t in doc if t.text == "went")
    subjects = [c for c in went.children if c.dep_ == "nsubj"]
    assert [t.text for t in subjects] == ["Hampshire", "Trump"]  # the parse the rule is for
    assert [t.text for t in without_places(subjects)] == ["Trump"]
    assert without_places(subjects[:1]) == subjects[:1]  # one subject is kept, whatever it is


# PolNeAR train (politico_2016-07-25, outside the blind split): "Al" before a surname is the first
# name, not the particle "al-", so the later "Franken" (tagged GPE) joins Al Franken instead of
# standing alone as a place named "Franken" (issue 15 §5: the surname alone kept)
AL_FRANKEN = (
    "As the crowd began to chant, Silverman was joined on stage again by Minnesota Sen. Al Franken and "
    "joked, \u201cBernie or Bust people, you\u2019re being ridiculous,\u201d drawing loud jeers.\n\n"
    "\u201cLook at what you did,\u201d Franken said.")


@pytest.mark.model
def test_entities_al_before_a_surname_is_a_first_name(nlp):
    assert name_parts("Al Franken") == ("al", "franken", False)
    assert name_parts("Bill de Blasio") == ("bill", "blasio", False)
    assert name_parts("De Blasio") == (None, "blasio", False)
    ea, _ = _analyze(nlp, AL_FRANKEN)
    assert _resolve_in(ea, AL_FRANKEN, "Franken", "Franken said")[1:] == ("Al Franken", "person")


# PolNeAR train (wash-post_2015-12-04 and 2016-07-02, outside the blind split): the NER tags the
# surname alone ("Paloma [Wu]") or misses the full name and tags only a later surname ("Rahm
# Emanuel may have ...", "and [Emanuel] fired"): the first name before it joins the name (issue 15
# §5: a name cut short, the surname alone kept)
PALOMA_WU = (
    "\"The fear is greater here than in other places,\" said Paloma Wu, legal director for the state "
    "American Civil Liberties Union, which filed a challenge against the law.")
RAHM_EMANUEL = (
    "CHICAGO - Rahm Emanuel may have thought the worst was over in April, when he won election to a "
    "second term as Chicago mayor.\n\nOver the past two weeks, prosecutors charged the officer with "
    "murder and Emanuel fired his police chief.")


PROFESSORS = (
    "Richard Alba and Nancy Foner, sociologists at the City University of New York, just published the "
    "book ''Strangers No More,'' (Princeton University Press).\n\nProfessors Foner and Alba suggest this "
    "incompatibility has perhaps less to do with Muslim intransigence than with the European insistence "
    "that immigrants adopt a narrow set of behaviors.")


@pytest.mark.model
def test_entities_a_first_name_the_ner_left_out_joins_the_name(nlp):
    ea, _ = _analyze(nlp, PALOMA_WU)
    assert _resolve_in(ea, PALOMA_WU, "Wu")[1:] == ("Paloma Wu", "person")
    ea, _ = _analyze(nlp, RAHM_EMANUEL)
    assert _resolve_in(ea, RAHM_EMANUEL, "Emanuel", "Emanuel fired")[1:] == ("Rahm Emanuel", "person")
    # a capitalised word before it that is no title is a longer name or a headline: not a first name
    head = "Trump Blasts Cruz Over Ad\n\nCruz said the ad was fair."
    ea, _ = _analyze(nlp, head)
    assert all(e.name != "Blasts Cruz" for e in ea.entities)
    # nor is a plural title (PolNeAR train, nyt_2015-12-10): "Professors Foner" is Nancy Foner
    ea, _ = _analyze(nlp, PROFESSORS)
    assert _resolve_in(ea, PROFESSORS, "Foner", "Foner and Alba")[1] == "Nancy Foner"


# PolNeAR train (politico_2016-07-25, outside the blind split): the NER takes a capitalised people
# noun into the name ("Comedian Sarah Silverman"); it is a title, not a word of her name, so the
# canonical name is "Sarah Silverman" (issue 15 §5: the speaker right by full name)
COMEDIAN = (
    "Comedian Sarah Silverman was booed and shouted down by Bernie Sanders supporters after telling "
    "holdouts for the Vermont senator that they were \u201cbeing ridiculous.\u201d\n\n"
    "Silverman responded, \u201cThank God they can fix this in post-[production].\u201d")


@pytest.mark.model
def test_entities_a_people_noun_before_a_full_name_is_no_part_of_it(nlp):
    ea, _ = _analyze(nlp, COMEDIAN)
    assert _resolve_in(ea, COMEDIAN, "Silverman", "Silverman responded")[1:] == ("Sarah Silverman", "person")
    # a first name that ends like a people noun stays the first name
    bale = "Christian Bale said the film was long."
    ea, _ = _analyze(nlp, bale)
    assert [e.name for e in ea.entities] == ["Christian Bale"]


# PolNeAR train (wash-post_2016-01-16, outside the blind split): the parse hangs the name on "book"
# in "The author of the book, Mitchell Zuckoff,"; the apposition names the author, not a book, so
# Mitchell Zuckoff is a person, and so is the later "Zuckoff" (issue 15 §5)
ZUCKOFF = (
    "The author of the book, Mitchell Zuckoff, said in a telephone interview that he stands by the "
    "depiction and that it is based on first-hand accounts.\n\nZuckoff said that was in part because the "
    "agency did not want the authors to attach their real names to the book, and that doing so would "
    "have undermined its credibility.")


@pytest.mark.model
def test_entities_a_name_after_the_author_of_a_book_is_a_person(nlp):
    ea, _ = _analyze(nlp, ZUCKOFF)
    assert _resolve_in(ea, ZUCKOFF, "Zuckoff", "Zuckoff said that was")[1:] == ("Mitchell Zuckoff", "person")


# PolNeAR train (west-journal_2016-04-02, outside the blind split): in this paragraph the NER tags
# "Priebus" alone, as an organisation; with a role noun in apposition ("the GOP chairman") the
# first name before it joins, and the name is a person's (issue 15 §5: a name cut short)
PRIEBUS = (
    "As the chance grows that there will be no clear winner by the time of the GOP convention in "
    "Cleveland, Republican officials are accelerating plans to deal with a contested convention.\n\n"
    "Reince Priebus, the GOP chairman, this past week announced the creation of a website to explain "
    "the process of a contested convention.")


@pytest.mark.model
def test_entities_a_name_cut_short_and_tagged_org_with_a_role_apposition_is_a_person(nlp):
    ea, _ = _analyze(nlp, PRIEBUS)
    assert _resolve_in(ea, PRIEBUS, "Reince Priebus")[1:] == ("Reince Priebus", "person")


# PolNeAR train (nyt_2016-01-29 and nyt_2016-05-18, outside the blind split): Bill and Hillary
# Clinton, the first-name table silent on "Hillary"; "Mrs. Clinton" is Hillary Clinton by the
# honorific's gender (issue 15 §5: the wrong one of two people with one surname)
CLINTON_SUPPORTERS = (
    "Bill Clinton came to the vote-rich city of Mason City on Wednesday night and recounted his wife's "
    "life experiences. But what Mr. Clinton used to do so well - and what Hillary Clinton needs, only "
    "days before the Iowa caucuses on Monday - was nowhere to be found.\n\n"
    "He may not electrify a room the way he once did, they say, but he is still an effective advocate "
    "for Mrs. Clinton.\n\n"
    "After the Mason City event, several Clinton supporters said the former president had made a good "
    "case for his wife.")
CLINTON_SPOKESMAN = (
    "In an election year when Bill Clinton's policies and personal indiscretions have faced intense "
    "scrutiny, Hillary Clinton is beginning to shape the role her husband would play in her "
    "administration.\n\n"
    "Nick Merrill, a spokesman for Mrs. Clinton, said that the central focus of her campaign was "
    "increasing wages and creating good jobs.")


@pytest.mark.model
def test_entities_a_surname_after_an_honorific_is_no_team(nlp):
    # "several Clinton supporters" made "Clinton" a team's name (a name modifying "supporters"),
    # which dropped the honorific's gender of every "Mr./Mrs. Clinton": all were Bill Clinton
    ea, _ = _analyze(nlp, CLINTON_SUPPORTERS)
    assert _resolve_in(ea, CLINTON_SUPPORTERS, "Clinton", "Clinton.\n\nAfter")[1:] == ("Hillary Clinton", "person")
    assert _resolve_in(ea, CLINTON_SUPPORTERS, "Clinton", "Clinton used")[1:] == ("Bill Clinton", "person")


@pytest.mark.model
def test_entities_a_role_for_a_named_person_gives_no_gender_of_theirs(nlp):
    # "a spokesman for Mrs. Clinton", a title prefix of Hillary Clinton, gave her gender as male,
    # so no later "Mrs. Clinton" could join her
    ea, _ = _analyze(nlp, CLINTON_SPOKESMAN)
    hillary = _resolve_in(ea, CLINTON_SPOKESMAN, "Hillary Clinton")[0]
    assert ea.entities[hillary].gender == "f"
    assert _resolve_in(ea, CLINTON_SPOKESMAN, "Clinton", "Clinton, said")[:2] == (hillary, "Hillary Clinton")


# PolNeAR train (huff-post_2016-02-03, outside the blind split): a bullet list of the week's reading,
# each line opened by a dash glued to the first name; the tokenizer reads "-Nate" as one word, so the
# name was "Cohn" alone (issue 15 §5: a name cut short)
DASH_BULLETS = (
    "-Pollster Ann Selzer is happy to be Iowa\u2019s \u201csilver standard,\u201d says she warned about surprises. "
    "[WashPost.]\n-Nate Cohn explains why the polls were way off on Donald Trump. [NYT.]\n"
    "-Jonathan Bernstein takes another  look at what happened in Iowa. [Bloomberg.]")


@pytest.mark.model
def test_entities_a_dash_before_a_first_name_is_no_part_of_the_name(nlp):
    ea, _ = _analyze(nlp, DASH_BULLETS)
    assert _resolve_in(ea, DASH_BULLETS, "Cohn")[1:] == ("Nate Cohn", "person")
    assert name_key_tokens("-Jonathan Bernstein") == ["Jonathan", "Bernstein"]


# PolNeAR train (usa-today_2016-05-09 and politico_2016-06-22, outside the blind split): a full name
# the NER tags ORG ("Vanessa Iampaglia"), or leaves untagged ("Kendal Unruh"), whose surname alone is
# then the subject of "said" (tagged ORG or GPE): one person, not an organisation "Iampaglia"
IAMPAGLIA = (
    "For a short time, Vanessa Iampaglia considered selling her eggs to pay for college.\n\n"
    "Even though Iampaglia's parents outright paid for her first two years at Ocean County College, she "
    "needed loans to finance her four years at the private Georgian Court University.\n\n"
    "\"I do well,\" said Iampaglia, who graduated in 2009 with her master's in business administration.")
UNRUH = (
    "Delegates leading the stop-Trump efforts have largely been coordinated by New Jersey\u2019s Steve "
    "Lonegan \u2014 a former Cruz adviser \u2014 and Colorado\u2019s Kendal Unruh, a delegate serving on the "
    "convention\u2019s rules committee.\n\n"
    "\u201cIf a candidate was going into a convention, they have their votes counted \u2014 making sure that "
    "their supporters are staying strong,\u201d said Unruh.")


@pytest.mark.model
def test_entities_a_name_tagged_org_whose_surname_speaks_is_a_person(nlp):
    ea, _ = _analyze(nlp, IAMPAGLIA)
    assert _resolve_in(ea, IAMPAGLIA, "Iampaglia", "Iampaglia, who")[1:] == ("Vanessa Iampaglia", "person")
    ea, _ = _analyze(nlp, UNRUH)
    assert _resolve_in(ea, UNRUH, "Unruh", "Unruh.")[1:] == ("Kendal Unruh", "person")


# PolNeAR train (usa-today_2016-02-11, outside the blind split): the NER ran the name on into "of
# Christie", and every later "Murray said" was "Patrick Murray of Christie" (issue 15 §5: a name padded)
MURRAY_OF = (
    "\"It just was never meant to be,\" said Monmouth University political scientist Patrick Murray of "
    "Christie, who opted to suspend his campaign after a sixth-place finish in the New Hampshire primary.\n\n"
    "\"He lost the only one that mattered,\" Murray said.")


@pytest.mark.model
def test_entities_a_name_ends_before_of(nlp):
    ea, _ = _analyze(nlp, MURRAY_OF)
    assert _resolve_in(ea, MURRAY_OF, "Murray", "Murray said")[1:] == ("Patrick Murray", "person")
    # BBC politics 224 (outside the gold): a peer's title keeps its "of"
    text = ("Lord Nicholls of Birkenhead, in his ruling, said: \"Indefinite imprisonment without charge or trial is "
            "anathema in any country which observes the rule of law.\"")
    ea, _ = _analyze(nlp, text)
    assert _resolve_in(ea, text, "Lord Nicholls of Birkenhead")[1] == "Lord Nicholls of Birkenhead"


# PolNeAR train (nyt_2016-03-09, outside the blind split): one full name, "Hillary Clinton", whose
# first name the table leaves open, and both honorifics written ("Mr. Clinton's personal life", every
# other one "Mrs. Clinton"): "Mrs. Clinton", the honorific written more often, is Hillary Clinton;
# "Mr. Clinton" stays alone (before, neither joined: the speaker was "Clinton")
ONE_FULL_CLINTON = (
    "Hillary Clinton has a clearer path to the Democratic presidential nomination than she ever had in "
    "2008.\n\n"
    "''I've gone as far as I think the political equation will sustain,'' Mrs. Clinton said in an "
    "interview at a manufacturer of automobile dashboards.\n\n"
    "''People make all these claims,'' Mrs. Clinton said, a hint of frustration in her voice.\n\n"
    "He attacked Mr. Clinton's personal life after Mrs. Clinton accused him of sexism.")


@pytest.mark.model
def test_entities_a_lone_full_name_takes_the_honorific_written_most(nlp):
    ea, _ = _analyze(nlp, ONE_FULL_CLINTON)
    hillary = _resolve_in(ea, ONE_FULL_CLINTON, "Hillary Clinton")[0]
    assert _resolve_in(ea, ONE_FULL_CLINTON, "Mrs. Clinton", "Mrs. Clinton said, a")[:2] == (hillary, "Hillary Clinton")
    assert _resolve_in(ea, ONE_FULL_CLINTON, "Mr. Clinton")[0] != hillary


# PolNeAR train (usa-today_2016-07-07, outside the blind split): a sentence opened by its reporting
# verb ('Said Comey, "..."') is no name "Said Comey": the small NER tags the verb into the name,
# and the quote's speaker was an entity "Said Comey" apart from James Comey (issue 15 §5)
SAID_COMEY = (
    "FBI Director James Comey's news conference on Tuesday was just the latest in a series of very "
    "visible FBI failures.\n\nThe FBI made a \"mistake\" in the background check for mass shooter Dylann "
    "Roof, Comey has said. Roof should have been prevented from buying the .45-caliber weapon used in "
    "Charleston, S.C., in what officials called a hate crime. Said Comey, \"The thought that an error on "
    "our part is connected to this guy's purchase of a gun that he used to slaughter these good people "
    "is very painful to us.\"")
# PolNeAR train (nyt_2015-11-24 and usa-today_2016-03-21, outside the blind split): a cleric's title
# before the name is a title, not the first word of the canonical name ("Rabbi Marvin Hier")
RABBIS = (
    "Rabbi Marvin Hier, the founder of the Simon Wiesenthal Center in Los Angeles, has said that while "
    "he fears comparing any event to the Holocaust, ''I've never seen anything like ISIS since the "
    "Holocaust.''\n\nRabbi Rick Jacobs, president of the Union for Reform Judaism which represents about "
    "900 congregations, said he and other Jewish leaders are planning to skip the speech.")


@pytest.mark.model
def test_entities_an_opening_said_is_no_first_name(nlp):
    ea, _ = _analyze(nlp, SAID_COMEY)
    assert all("Said" not in e.name for e in ea.entities)
    assert _resolve_in(ea, SAID_COMEY, "Comey", "Comey, \"The")[1:] == ("James Comey", "person")


# PolNeAR train (breitbart_2016-06-05, outside the blind split): the inverted frame's quotation may
# follow a relative clause hung on the name, whose verb is the clause's, not the name's own
SAID_POYNTER = (
    "People are flocking to Muhammad Ali\u2019s boyhood home in Louisville, Kentucky, to pay tribute to the "
    "boxing great.\n\nThe small pink home on Grand Avenue was recently renovated and turned into a museum. "
    "Said Dorothy Poynter, who grew up with Ali in the neighborhood, \u201cWe were all so proud of him.\u201d")
# Constructed (no such sentence in PolNeAR train, BBC or the seeds; a guard only): "Said" is an Arabic
# first name when the name governs a verb of its own
SAID_JALILI = (
    "Talks on Iran's nuclear programme resumed in Geneva on Monday. Said Jalili, Iran's chief negotiator, "
    "told reporters that the talks had been useful. Mr Jalili said another round would follow.")


@pytest.mark.model
def test_entities_an_opening_said_before_a_relative_clause_and_a_quotation_is_no_first_name(nlp):
    ea, _ = _analyze(nlp, SAID_POYNTER)
    assert _resolve_in(ea, SAID_POYNTER, "Dorothy Poynter")[1:] == ("Dorothy Poynter", "person")
    assert all("Said" not in e.name for e in ea.entities)


@pytest.mark.model
@pytest.mark.parametrize("text", [SAID_JALILI, SAID_JALILI.replace("Iran's chief negotiator", "the negotiators' spokesman")])
def test_entities_said_is_a_first_name_when_the_name_governs_a_verb(nlp, text):
    # (second review of 2026-12-03: a possessive apostrophe is no quotation opening)
    ea, _ = _analyze(nlp, text)
    assert _resolve_in(ea, text, "Said Jalili")[1:] == ("Said Jalili", "person")


# PolNeAR train (breitbart_2016-07-21, AFP, outside the blind split): "Hillary" is in no first-name
# table, so "he" went to the salient Clinton; her own "her"s settle her gender, and the "he" is
# given again, to Wes Nakagiri
NAKAGIRI = (
    "\u201cI think he can do that, but the biggest unifier we got is Hillary Clinton.\u201d\n\nBoos rained "
    "down when Trump mentioned the former secretary of state, and at one point the crowd loudly reprised "
    "the caustic chant \u201cLock her up! Lock her up!\u201d that ricocheted through the arena\xa0throughout "
    "the week.\n\nTrump gestured as if to stop the ruckus, then leaned in and boomed: \u201cLet\u2019s defeat "
    "her in November.\u201d\n\nClinton made an appearance of sorts, courtesy of Wes Nakagiri, a delegate "
    "from Michigan who dressed up in a prison outfit, plastic handcuffs and rubber Hillary mask.\n\n"
    "\u201cI heard \u2018Lock her up\u2019 last night and thought it would be funny if I went out and bought "
    "an orange prison jump suit,\u201d he said.")


@pytest.mark.model
def test_entities_a_pronoun_against_the_gender_its_person_s_pronouns_settled_is_given_again(nlp):
    ea, _ = _analyze(nlp, NAKAGIRI)
    assert _resolve_in(ea, NAKAGIRI, "he", "he said")[1:] == ("Wes Nakagiri", "person")
    assert _resolve_in(ea, NAKAGIRI, "Clinton", "Clinton made")[1] == "Hillary Clinton"


@pytest.mark.model
def test_entities_a_clerics_title_is_no_part_of_the_name(nlp):
    ea, _ = _analyze(nlp, RABBIS)
    assert _resolve_in(ea, RABBIS, "Rabbi Marvin Hier")[1] == "Marvin Hier"
    assert _resolve_in(ea, RABBIS, "Rabbi Rick Jacobs")[1] == "Rick Jacobs"


@pytest.mark.model
def test_entities_entity_at_by_bisection_agrees_with_a_scan(nlp):
    # entity_at looks only at the mentions that may overlap the span (found by bisection over the
    # mentions' starts, bounded by the longest mention); the answer is the scan's over all mentions
    text = (Path(__file__).resolve().parents[1] / "examples" / "001_554e2b8a526bf444.txt").read_text(encoding="utf-8")
    ea, _ = _analyze(nlp, text)

    def scanned(start, end):
        best, best_key = None, None
        for m in ea.mentions:
            ov = min(m.end, end) - max(m.start, start)
            if m.entity is None or ov <= 0:
                continue
            pri = {"PERSON": 3, "OUTLET": 3, "ORG": 2, "TITLE": 2, "GPE": 1, "NORP": 1, "PRONOUN": 0}.get(m.label, 0)
            key = (ov / max(1, end - start) >= 0.8, ov / max(1, m.end - m.start) >= 0.5, pri, ov, -m.start)
            if best_key is None or key > best_key:
                best, best_key = m.entity, key
        return best

    spans = [(m.start, m.end) for m in ea.mentions] + [(s, s + w) for s in range(0, len(text), 37) for w in (1, 15, 90)]
    assert len(ea.mentions) > 20 and sum(scanned(*sp) is not None for sp in spans) > 20
    assert [ea.entity_at(*sp) for sp in spans] == [scanned(*sp) for sp in spans]


@pytest.mark.model
def test_entities_a_lower_case_piece_after_a_hyphen_is_in_the_name(nlp):
    # holdout-intl (intl-express-hongkong, Daily Express 2019; the split's errors are read): the
    # name was cut at "-yip", a lower-case word, so the quote's speaker was "Cheuk Hau"
    text = ("Cheuk Hau-yip, the commander of Kowloon West district, said: \u201cThese rioters, they are also "
            "criminals. They have to face the consequences of their acts.\u201d")
    ea, _ = _analyze(nlp, text)
    assert "Cheuk Hau-yip" in [e.name for e in ea.entities]
    assert "Cheuk Hau" not in [e.name for e in ea.entities]


@pytest.mark.model
@pytest.mark.parametrize("text, words, name", [
    # AP (holdout-intl6, intl6-ap-sondland): "Ukraine Kurt Volker" tagged one ORG
    ("Another diplomat, former special envoy to Ukraine Kurt Volker, shifted his own account of the "
     "July 10 meeting to say Sondland did, in fact, discuss investigations with the visiting Ukrainians.",
     "Volker", "Kurt Volker"),
    # Washington Post (PolNeAR train, wash-post_2016-02-14_nomination-question): "Liberals Elena Kagan"
    ("Obama has made two picks for the court, neither of whom shifted its ideological balance. Liberals "
     "Elena Kagan and Sonia Sotomayor were replacements for others who generally voted that way, David "
     "Souter and John Paul Stevens.", "Kagan", "Elena Kagan"),
])
def test_entities_org_span_ending_in_a_given_name_and_surname_is_a_person(nlp, text, words, name):
    ea, _ = _analyze(nlp, text)
    _, got, kind = _resolve_in(ea, text, words)
    assert (got, kind) == (name, "person")


@pytest.mark.model
@pytest.mark.parametrize("text, word", [
    # PolitiFact (holdout-intl6, intl6-politifact-drugs): "Border" tagged PERSON, and "he" then its
    ("In October, Rep. David McKinley, R-W.Va., visited the U.S.-Mexico border near McAllen, Texas, and "
     "argued that the United States needs stronger border security, including more border patrol agents.\n\n"
     "A major part of the reason that additional resources are needed, McKinley said, is the flow of drugs "
     "into the country.\n\nBorder agents \"say you\u2019ve got to pay attention to this \u2014 $53 million a week "
     "is coming across the border in drugs,\" he said, according to the Intelligencer, the Wheeling "
     "News-Register.\n\nHere\u2019s the most recent data on drug seizures \u2014 cocaine, heroin, marijuana, "
     "methamphetamine, and fentanyl \u2014 from Customs and Border Protection.", "Border"),
    # BBC News (bbc/business/297): "Jobs will also be lost" is no Steve Jobs
    ("ABN Amro, the Netherlands' largest bank, is to cut 2,850 jobs as a result of falling profits.\n\n"
     "Its profitability has been hit by a fall in mortgage lending in the United States - the bank's "
     "largest single market - following recent interest rate rises. ABN Amro's operations in the "
     "Netherlands and the United Kingdom will be hardest hit. Jobs will also be lost in the US - which "
     "accounted for 46% of profit in the first half of 2004 - and across its operations in Asia.", "Jobs"),
])
def test_entities_common_word_capitalised_at_a_sentence_start_is_no_person(nlp, text, word):
    ea, _ = _analyze(nlp, text)
    assert not any(e.type == "person" and e.name == word for e in ea.entities), [(e.name, e.type) for e in ea.entities]
    if "McKinley" in text:
        start = text.index("he said")
        assert ea.resolve(start, start + 2)[1] == "David McKinley"


@pytest.mark.model
def test_entities_team_and_position_before_a_full_name_are_no_part_of_it(nlp):
    # CBS Sports (holdout-intl7, intl7-cbssports-browns): the NER's PERSON "Browns DL Sheldon
    # Richardson" is the player; the team and the position abbreviation are his label, not his name
    text = '"He can\'t antagonize a fight and then get mad," Browns DL Sheldon Richardson said Thursday.'
    art = Article(id="t", source="test", raw_text=text, text=text)
    assert [e.name for e in analyze_entities(nlp(text), art).entities if e.type == "person"] == ["Sheldon Richardson"]
    # an initial pair is a first name, not a position ("PJ Tucker"); one word after it is no full name
    text = "PJ Tucker said he was fine."
    art = Article(id="t", source="test", raw_text=text, text=text)
    assert "PJ Tucker" in [e.name for e in analyze_entities(nlp(text), art).entities]
