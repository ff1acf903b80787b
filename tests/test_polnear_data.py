"""training/polnear_data.py: the data recipe of the learned layer (the brat reader)."""

from __future__ import annotations

from newstrace.clean import clean_article
from newstrace.models import RawArticle
from repo_scripts import load_script

pd = load_script("training/polnear_data.py", "polnear_data")

# a PolNeAR train text (not of the blind split) whose .ann writes the span of a relation's second
# content piece (T38) on the line after the relation (E9) that names it
TESTY = "breitbart_2016-04-01_hillary-clinton-gets-testy-on-ca"


def test_polnear_data_read_relations_keeps_a_content_piece_written_after_its_relation(corpus_dir):
    ann = corpus_dir / "polnear" / "train" / "attributions" / f"{TESTY}_4e07.ann"
    assert not pd.is_blind(TESTY)
    weaver = [r for r in pd.read_relations(ann) if r.get("source") == [(1993, 2029)]]
    # "..., that's fine," Sanders campaign manager Jeff Weaver said. "But to call us liars ...":
    # one relation, both quoted pieces (the second was dropped when relations were read in one pass)
    assert weaver == [{"content": [(1826, 1992), (2036, 2163)], "cue": [(2030, 2034)], "source": [(1993, 2029)]}]


def test_polnear_data_read_relations_can_leave_out_a_split_quotes_later_piece(corpus_dir):
    ann = corpus_dir / "polnear" / "train" / "attributions" / f"{TESTY}_4e07.ann"
    every = pd.read_relations(ann)
    first = pd.read_relations(ann, later_pieces=False)
    weaver = [r for r in first if r.get("source") == [(1993, 2029)]]
    # the trainer's labels: the quote's second piece, written after the relation, left out as the
    # one-pass reader left it out; every other relation and piece as read in full
    assert weaver == [{"content": [(1826, 1992)], "cue": [(2030, 2034)], "source": [(1993, 2029)]}]
    assert [r for r in first if r.get("source") != [(1993, 2029)]] == \
        [r for r in every if r.get("source") != [(1993, 2029)]]


def test_polnear_data_label_relations_leave_out_the_later_piece_the_benches_score(corpus_dir):
    base = corpus_dir / "polnear" / "train"
    text_path, ann = base / "text" / f"{TESTY}.txt", base / "attributions" / f"{TESTY}_4e07.ann"
    article = clean_article(RawArticle(source=str(text_path), text=text_path.read_text(encoding="utf-8"),
                                       file=str(text_path), format="txt"))
    ex = pd.Example(TESTY, article, pd.to_relations(article, pd.read_relations(ann)))
    labels = pd.label_relations(ex, ann)
    quote = article.text.index("But to call us liars")
    # Example.relations (the benches, the speaker ranker) hold both pieces of Weaver's quote; the
    # CRF's labels only its first, as the one-pass reader read it before 2026-12-03
    assert not pd.LABEL_LATER_PIECES
    assert len(labels) == len(ex.relations)
    assert [r for r in ex.relations if any(s <= quote < e for s, e in r.content)] != []
    assert [r for r in labels if any(s <= quote < e for s, e in r.content)] == []
    assert sum(len(r.content) for r in ex.relations) == sum(len(r.content) for r in labels) + 1
