"""Language identification (newstrace.language) and the skip of non-English articles (issue #17)."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from newstrace.config import Settings
from newstrace.language import identify_language

AEB = "article-extraction-benchmark"
# Pages of the extraction benchmark in other languages that the English model read into junk
# quotes and speakers (issue #17): Italian, Portuguese, German.
ITALIAN_PAGE = "b6fb53e9fb043c98eb1e6530a1074c40922e29025f5454809f3938a7c174faa3"
PORTUGUESE_PAGE = "11ea381ad92b5448cf66eae62f52ac565361a244c8881615fc6a7bb523cc0c32"
GERMAN_PAGE = "ba07d1e64775f4090e39116c382111f5a2cfe9528dd179673f4e9bfcea370c15"


@pytest.mark.parametrize("text, code", [
    ("The minister said on Monday that the plan would go ahead as agreed with the unions.", "en"),
    ("Il ministro ha detto lunedì che il piano andrà avanti come concordato con i sindacati.", "it"),
    ("Der Minister sagte am Montag, dass der Plan wie mit den Gewerkschaften vereinbart weitergeht.", "de"),
    ("O ministro disse na segunda-feira que o plano vai avançar como acordado com os sindicatos.", "pt"),
    ("Hello there", None),  # too few letters to tell
    ("", None),
])
def test_language_identifies_common_languages_and_abstains_on_short_text(text, code):
    assert identify_language(text) == code


def test_language_no_bbc_article_is_taken_for_another_language(corpus_dir):
    files = sorted((corpus_dir / "bbc").glob("*/*.txt"))[::20]
    assert len(files) > 100
    other = [(f.name, identify_language(f.read_text(encoding="latin-1"))) for f in files]
    assert [x for x in other if x[1] != "en"] == []


def test_language_benchmark_pages_in_other_languages_are_not_english(corpus_dir):
    gt = json.loads((corpus_dir / AEB / "ground-truth.json").read_text(encoding="utf-8"))
    assert identify_language(gt[ITALIAN_PAGE]["articleBody"]) == "it"
    assert identify_language(gt[PORTUGUESE_PAGE]["articleBody"]) == "pt"
    assert identify_language(gt[GERMAN_PAGE]["articleBody"]) == "de"


@pytest.mark.model
def test_language_non_english_article_is_stored_but_not_annotated(corpus_dir, tmp_path):
    from newstrace.pipeline import analyze

    src = tmp_path / "in"
    src.mkdir()
    for page in (ITALIAN_PAGE, GERMAN_PAGE):
        shutil.copy(corpus_dir / AEB / "html" / f"{page}.html.gz", src)
    shutil.copy(corpus_dir / "bbc" / "business" / "001.txt", src)
    db = tmp_path / "x.db"
    stats = analyze([str(src)], str(db), settings=Settings())
    con = sqlite3.connect(db)
    try:
        langs = sorted(r[0] for r in con.execute("select language from articles"))
        errors = sorted(con.execute("select stage, reason from errors"))
        annotated = sorted(r[0] for r in con.execute(
            "select a.language from articles a where exists (select 1 from quotes q where q.article_id = a.id) "
            "or exists (select 1 from claims c where c.article_id = a.id)"))
    finally:
        con.close()
    assert langs == ["de", "en", "it"]
    assert errors == [("language", "newstrace annotates English; this article is de"),
                      ("language", "newstrace annotates English; this article is it")]
    assert annotated == ["en"]
    assert stats.articles_added == 3
