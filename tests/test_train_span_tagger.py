"""training/train_span_tagger.py: the cross-validation's content scoring (the benches' scorer)."""

from __future__ import annotations

import pytest

from newstrace.clean import clean_article
from newstrace.models import RawArticle
from repo_scripts import load_script

tst = load_script("training/train_span_tagger.py", "train_span_tagger")
pd = tst.polnear_data

# a PolNeAR train text (not of the blind split): '"... that's fine," Sanders campaign manager Jeff
# Weaver said. "But to call us liars ..."' is one relation whose content has two pieces
TESTY = "breitbart_2016-04-01_hillary-clinton-gets-testy-on-ca"
PIECES = [(1826, 1992), (2036, 2163)]


@pytest.mark.model
def test_train_span_tagger_cv_scores_a_split_quote_as_one_content(nlp, corpus_dir):
    base = corpus_dir / "polnear" / "train"
    text_path = base / "text" / f"{TESTY}.txt"
    article = clean_article(RawArticle(source=str(text_path), text=text_path.read_text(encoding="utf-8"),
                                       file=str(text_path), format="txt"))
    ex = pd.Example(TESTY, article, [], nlp(article.text))
    relations = pd.read_relations(base / "attributions" / f"{TESTY}_4e07.ann")
    weaver = next(gi for gi, r in enumerate(relations) if r["content"] == PIECES)
    # the CRF finding each quoted piece as a content of its own
    runs = [frozenset(t.i for t in ex.doc if a <= article.to_raw(t.idx) < b and not t.is_punct) for a, b in PIECES]
    result = tst.score_runs(ex, runs, relations)
    # scored as bench/scoring.py scores: the two pieces are one prediction, matching the relation
    # (the trainer's own matching counted the second piece spurious)
    assert (len(result.pred), result.merged_away, result.pairs) == (1, 1, [(weaver, 0)])
    assert result.gold == len(relations)


@pytest.mark.model
def test_train_span_tagger_check_passes_on_its_own_rebuild_and_fails_on_another(nlp, corpus_dir, tmp_path,
                                                                                monkeypatch):
    base = corpus_dir / "polnear" / "train"
    text_path, ann = base / "text" / f"{TESTY}.txt", base / "attributions" / f"{TESTY}_4e07.ann"
    article = clean_article(RawArticle(source=str(text_path), text=text_path.read_text(encoding="utf-8"),
                                       file=str(text_path), format="txt"))
    ex = pd.Example(TESTY, article, pd.to_relations(article, pd.read_relations(ann)), nlp(article.text))
    triggers = tmp_path / "triggers.json"
    monkeypatch.setattr(tst.learned, "triggers_path", lambda: triggers)
    try:
        # "shipped" files made from one text: the trigger lemmas, and a CRF of 5 iterations
        tst.write_triggers([ex], triggers)
        shipped = tmp_path / "crf.crfsuite"
        tst.train([ex], shipped, {**tst.PARAMS, "max_iterations": 5})
        assert tst.check([ex], shipped, 5) == 0  # the same recipe rebuilds them byte for byte
        assert tst.check([ex], shipped, 6) == 1  # one more iteration: another file
        triggers.write_text('{"lemmas": [], "min_count": 3, "min_rate": 0.1}\n', encoding="utf-8")
        assert tst.check([ex], shipped, 5) == 1  # the shipped triggers differ from the rebuilt ones
    finally:
        tst.learned.load_triggers.cache_clear()
