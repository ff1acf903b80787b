"""Person precision of entity typing on a hand-judged BBC sample (issue #17: clubs, bands, games,
shows and awards typed as persons).

The sample is 120 BBC articles no typing rule was written on: files 201-240 of each of the sport,
entertainment and tech sections (rules were developed on files 001-150, the HTML pages of the
article-extraction benchmark and the seeds). ``bench/data/person_types_judged.jsonl`` holds, for
every entity of the sample that newstrace typed ``person`` before or after the issue #17 rules
(2026-12-02), whether it names a person (a real or fictional individual) or not (a club, band,
work, product, place, award, event or company); one line per (file, name).

Printed, from one run:

* newstrace: of the entities typed person, the share judged a person (precision), and how many
  judged persons are still typed person (persons kept);
* baseline: the same over the spaCy NER's PERSON spans alone (one per name and article), the
  label the typing rules start from.

Usage::

    .venv/bin/python bench/entity_types.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
JUDGED = REPO / "bench" / "data" / "person_types_judged.jsonl"
_CORPUS_CANDIDATES = [REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")]
SECTIONS = ("sport", "entertainment", "tech")


def sample_files(corpus: Path) -> list[Path]:
    """Files 201-240 of each BBC section in SECTIONS, in order."""
    return [p for s in SECTIONS for p in sorted((corpus / "bbc" / s).glob("*.txt"))[200:240]]


def load_judged() -> dict[tuple[str, str], bool]:
    """(section/file, name) -> judged a person."""
    out = {}
    for line in JUDGED.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out[(d["file"], d["name"])] = d["person"]
    return out


def score(found: set[tuple[str, str]], judged: dict[tuple[str, str], bool]) -> dict[str, float | int]:
    """Precision over the judged names found as persons, and judged persons kept."""
    known = [judged[k] for k in found if k in judged]
    persons = sum(judged.values())
    kept = sum(1 for k in found if judged.get(k))
    return {"typed_person": len(found), "judged": len(known), "unjudged": len(found) - len(known),
            "precision": round(sum(known) / len(known), 3) if known else 0.0,
            "persons_kept": kept, "persons_judged": persons}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", action="store_true", help="list the non-persons typed person, and unjudged names")
    args = ap.parse_args(argv)
    corpus = next((p for p in _CORPUS_CANDIDATES if (p / "bbc").is_dir()), None)
    if corpus is None:
        print(f"shared corpus not found (looked in {_CORPUS_CANDIDATES})", file=sys.stderr)
        return 1
    from newstrace.clean import clean_article
    from newstrace.extract.entities import analyze_entities
    from newstrace.ingest import read_file
    from newstrace.models import RawArticle
    from newstrace.nlp import load_nlp

    nlp = load_nlp()
    judged = load_judged()
    ours: set[tuple[str, str]] = set()
    base: set[tuple[str, str]] = set()
    for path in sample_files(corpus):
        key = f"{path.parent.name}/{path.name}"
        for raw in read_file(path):
            if not isinstance(raw, RawArticle):
                continue
            article = clean_article(raw)
            doc = nlp(article.text)
            base |= {(key, e.text) for e in doc.ents if e.label_ == "PERSON"}
            ours |= {(key, e.name) for e in analyze_entities(doc, article).entities if e.type == "person"}
    for label, found in (("newstrace", ours), ("baseline (spaCy PERSON)", base)):
        s = score(found, judged)
        print(f"{label:26} precision {s['precision']:.3f} ({s['judged']} judged, {s['unjudged']} unjudged "
              f"of {s['typed_person']} typed person); judged persons kept {s['persons_kept']}/{s['persons_judged']}")
    if args.verbose:
        print("non-persons typed person:", sorted(k for k in ours if judged.get(k) is False))
        print("unjudged:", sorted(k for k in ours if k not in judged))
        print("persons no longer typed person:", sorted(k for k, v in judged.items() if v and k not in ours))
    return 0


if __name__ == "__main__":
    sys.exit(main())
