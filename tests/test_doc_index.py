"""The per-Doc shared views of newstrace.extract.doc_index (issue 15's time budget): each view must
be exactly what spaCy gives, shared while the article is annotated and gone afterwards."""

from __future__ import annotations

import pytest
from spacy.attrs import IS_PUNCT, IS_TITLE, IS_UPPER, LOWER
from spacy.lang.en import English
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from newstrace.extract import cues, learned
from newstrace.extract.core import annotate
from newstrace.extract.doc_index import DocIndex, KeptAnswers, children, doc_index, lexeme_rows, release_index, span_chars
from newstrace.extract.entities.names import is_role, role_candidates, span_text
from newstrace.extract.sources import is_speech_cue
from newstrace.models import Article

TEXT = ("Department of Homeland Security Secretary Alejandro Mayorkas has come face-to-face against "
        "U.S. Border Patrol agents in a meeting last week regarding the immigration policy.\n\n"
        "Mayorkas said, as heard in the audio, that CBP is not particularly keen on the policies of the "
        "current administration. He added that, however, that is the reality, according to an Axios report.\n\n"
        "\"It did not go well,\" Townhall Senior Writer Julio Rosas tweeted.")


def _article(text: str = TEXT) -> Article:
    return Article(id="a1", source="a1.txt", raw_text=text, text=text)


@pytest.mark.model
def test_doc_index_views_equal_spacy(nlp):
    doc = nlp(TEXT)
    idx = DocIndex(doc)
    assert idx.text == doc.text == TEXT
    assert [t.i for t in idx.tokens] == list(range(len(doc)))
    assert idx.lower == [t.lower_ for t in doc]
    assert idx.pos == [t.pos_ for t in doc]
    assert idx.words == [t.text for t in doc]
    assert idx.lemma_lower == [t.lemma_.lower() for t in doc]
    assert idx.offsets == [t.idx for t in doc]
    assert idx.orths == [t.orth for t in doc]
    assert [(s.start, s.end) for s in idx.sents] == [(s.start, s.end) for s in doc.sents]
    assert len(idx.sents) >= 4
    for tok in doc:
        sent = idx.sent_of(tok.i)
        assert (sent.start, sent.end) == (tok.sent.start, tok.sent.end)
        assert idx.sents[idx.sent_no[tok.i]].start <= tok.i < idx.sents[idx.sent_no[tok.i]].end


@pytest.mark.model
def test_doc_index_span_text_cuts_the_text(nlp):
    doc = nlp(TEXT)
    for s in range(len(doc)):
        for e in range(s, min(len(doc), s + 5) + 1):
            assert span_text(doc, s, e) == (doc[s:e].text if e > s else "")
    assert span_text(doc, 0, 3) == "Department of Homeland"
    assert span_text(doc, len(doc) - 2, len(doc) + 4) == doc[len(doc) - 2:].text  # spaCy's slice rules


@pytest.mark.model
def test_doc_index_span_chars_are_the_spans_offsets(nlp):
    doc = nlp(TEXT)
    for s in range(len(doc)):
        for e in range(s + 1, min(len(doc), s + 5) + 1):
            assert span_chars(doc, s, e) == (doc[s:e].start_char, doc[s:e].end_char)
    assert TEXT[slice(*span_chars(doc, 5, 7))] == "Alejandro Mayorkas"


@pytest.mark.model
def test_doc_index_kept_answers_many_gives_each_call_s_answer(nlp):
    doc = nlp(TEXT)
    keys = [(t.lemma_.lower(), t.pos_) for t in doc]
    classes = KeptAnswers(learned.word_class)
    assert classes.many(keys[:10]) == [learned.word_class(*k) for k in keys[:10]]  # computed, then kept
    assert set(classes.kept) == set(keys[:10])
    assert classes.many(keys) == [learned.word_class(*k) for k in keys]  # kept ones and new ones together
    assert classes.many([("say", "VERB")]) == ["cue:say"]
    assert classes.many([]) == []


@pytest.mark.model
def test_doc_index_is_shared_then_released(nlp):
    doc = nlp(TEXT)
    first = doc_index(doc)
    assert doc_index(doc) is first
    release_index(doc)
    assert doc_index(doc) is not first
    with doc.retokenize() as retok:  # a changed Doc gets a new index, never stale token lists
        retok.merge(doc[0:4])
    after = doc_index(doc)
    assert after.size == len(doc) and after.words[0] == "Department of Homeland Security"


@pytest.mark.model
def test_doc_index_annotate_leaves_doc_serialisable(nlp):
    doc = nlp(TEXT)
    ann = annotate(doc, _article())
    assert "Alejandro Mayorkas" in {e.name for e in ann.entities}
    assert "newstrace.doc_index" not in doc.user_data
    # Token objects in user_data would make this raise
    restored = list(DocBin(store_user_data=True, docs=[doc]).from_bytes(
        DocBin(store_user_data=True, docs=[doc]).to_bytes()).get_docs(nlp.vocab))
    assert restored[0].text == TEXT


@pytest.mark.model
def test_doc_index_speech_cue_memo_agrees(nlp):
    doc = nlp(TEXT)
    answers = [is_speech_cue(t) for t in doc]
    assert answers == [bool(cues.is_cue(t)) for t in doc]
    assert [t.text for t, a in zip(doc, answers) if a] == ["said", "added", "tweeted"]
    assert doc_index(doc).memo[("is_speech_cue", doc[0].i)] is False


@pytest.mark.model
def test_doc_index_role_candidates_admit_every_role(nlp):
    doc = nlp(TEXT + " The second in command at the department, Lord Carlile, and the chief spoke.")
    roles = [t.text for t in doc if is_role(t)]
    assert {"Secretary", "Writer", "second", "chief"} <= set(roles)
    idx = doc_index(doc)
    kept = role_candidates(idx.lower, idx.pos)
    assert {t.i for t in doc if is_role(t)} <= set(kept)
    assert [doc[i].text for i in kept if doc[i].lower_ == "the"] == []  # the cheap test drops words
    assert len(kept) < len(doc)
    release_index(doc)


@pytest.mark.model
def test_doc_index_learned_helpers_match_token_walk(nlp):
    doc = nlp(TEXT)
    # the speaker ranker's counts and quoted tokens, read from the index, as a walk over the Tokens gives them
    assert learned.mention_salience(doc) == {"department": 1, "face": 2, "homeland": 1, "security": 1, "secretary": 1,
                                             "alejandro": 1, "mayorkas": 2, "u.s.": 1, "border": 1,
                                             "patrol": 1, "agents": 1, "meeting": 1, "week": 1,
                                             "immigration": 1, "policy": 1, "audio": 1, "cbp": 1,
                                             "policies": 1, "administration": 1, "reality": 1,
                                             "report": 1, "townhall": 1, "senior": 1,
                                             "writer": 1, "julio": 1, "rosas": 1}
    walked: dict[str, int] = {}
    for t in doc:
        if t.pos_ in ("PROPN", "NOUN"):
            walked[t.lower_] = walked.get(t.lower_, 0) + 1
    assert learned.mention_salience(doc) == walked
    assert sorted(doc[i].text for i in learned.quoted_tokens(doc)) == sorted(
        ['"', "It", "did", "not", "go", "well", ",", '"'])
    said = next(t for t in doc if t.text == "said")
    cands = learned.speaker_candidates(doc, said.i)
    # noun-phrase heads of the cue's sentence and the one before, names by their last word; never a
    # date or time ("last week": the ranker's candidates since 2026-12-02)
    assert [doc[i].text for i in cands] == ["Homeland", "Mayorkas", "face", "face", "agents", "meeting",
                                            "policy", "Mayorkas", "audio", "CBP", "policies", "administration"]


@pytest.mark.model
def test_doc_index_children_heads_and_ents_equal_spacy(nlp):
    doc = nlp(TEXT)
    idx = DocIndex(doc)
    assert idx.heads == [t.head.i for t in doc]
    for tok in doc:
        assert idx.children_of(tok.i) == tuple(tok.children)
        assert [t.i for t in children(tok)] == [t.i for t in tok.children]
    said = next(t for t in doc if t.text == "said")
    assert [t.text for t in children(said)] == ["Mayorkas", ",", "is", "."]
    assert children(said) is children(said)  # built once, then shared
    assert [(e.start, e.end, e.label_) for e in idx.ents] == [(e.start, e.end, e.label_) for e in doc.ents]
    for sent in doc.sents:
        assert [(e.start, e.end) for e in idx.sent_ents(sent)] == [(e.start, e.end) for e in sent.ents]
    assert idx.date_ents == [e for e in idx.ents if e.label_ == "DATE"]


@pytest.mark.model
def test_doc_index_children_of_an_unparsed_doc_are_empty(nlp):
    doc = nlp.make_doc("Mayorkas said the policy failed.")
    idx = DocIndex(doc)
    assert idx.heads == [0, 1, 2, 3, 4, 5]
    assert all(idx.children_of(i) == () == tuple(doc[i].children) for i in range(len(doc)))


@pytest.mark.model
def test_doc_index_flagged_gives_the_title_or_upper_case_words(nlp):
    doc = nlp(TEXT)
    idx = DocIndex(doc)
    assert idx.flagged(IS_TITLE, IS_UPPER) == tuple(t.i for t in doc if t.is_title or t.is_upper)
    assert [doc[i].text for i in idx.flagged(IS_UPPER)] == ["U.S.", "CBP"]
    assert DocIndex(nlp.make_doc("")).flagged(IS_TITLE) == ()


@pytest.mark.model
def test_doc_index_flagged_kept_per_flags_equal_spacy(nlp):
    # the title and upper-case columns are read once and each answer kept: every order and
    # combination of the two, and any other flag, must still be what the tokens say
    doc = nlp(TEXT)
    idx = DocIndex(doc)
    assert idx.flagged(IS_TITLE) == tuple(t.i for t in doc if t.is_title)
    assert idx.flagged(IS_UPPER, IS_TITLE) == idx.flagged(IS_TITLE, IS_UPPER) \
        == tuple(t.i for t in doc if t.is_title or t.is_upper)
    assert idx.flagged(IS_PUNCT) == tuple(t.i for t in doc if t.is_punct)
    assert idx.flagged(IS_TITLE) is idx.flagged(IS_TITLE)  # kept, and a tuple: no caller can change it


@pytest.mark.model
def test_doc_index_last_doc_shortcut_follows_docs_and_release(nlp):
    # doc_index answers the Doc asked about last without reading its user_data: a second Doc, a
    # released index and a Doc changed in length must each still get their own, fresh index
    doc, other = nlp(TEXT), nlp("Mayorkas said the agency would not comment.")
    first = doc_index(doc)
    assert doc_index(other) is not first and doc_index(other).doc is other
    assert doc_index(doc) is first
    release_index(doc)
    again = doc_index(doc)
    assert again is not first and again.doc is doc and doc.user_data.get("newstrace.doc_index") is again
    assert [[k.i for k in children(t)] for t in doc] == [[k.i for k in t.children] for t in doc]
    with doc.retokenize() as retok:
        retok.merge(doc[0:4])
    # children's own shortcut to the index asked about last (which holds the old children) sees
    # the change too
    assert [[k.i for k in children(t)] for t in doc] == [[k.i for k in t.children] for t in doc]
    changed = doc_index(doc)
    assert changed is not again and changed.size == len(doc)
    release_index(doc)
    release_index(other)


def test_doc_index_lexeme_rows_are_the_vocab_lexemes_kept_per_vocab():
    # the lexical columns (words, lower case, the text, the title- and upper-case words) come from
    # one row per distinct word of the Doc's vocab; another vocab's lexemes are read apart
    english = English().vocab
    words = "Mayorkas said CBP is not particularly keen".split()
    orths = [english.strings.add(w) for w in words]
    rows = lexeme_rows(english, orths)
    assert rows[0] == ("Mayorkas", "Mayorkas ", "mayorkas", True, False)
    assert rows[2] == ("CBP", "CBP ", "cbp", False, True)
    assert [r[2] for r in rows] == [english[w].lower_ for w in words]
    shouting = Vocab(lex_attr_getters={**English.Defaults.lex_attr_getters, LOWER: str.upper})
    assert [shouting.strings.add(w) for w in words] == orths
    assert lexeme_rows(shouting, orths)[1][2] == "SAID"  # its own lexemes, not english's kept rows
    assert lexeme_rows(english, orths)[1][2] == "said"
