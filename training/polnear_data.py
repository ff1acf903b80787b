"""The data recipe of newstrace's learned attribution layer: PolNeAR, split, cleaned, parsed, cached.

Recipe (the same for every training script here, so that a rebuild is bit for bit):

1. Texts: ``../shared/corpus/polnear/<split>/text/*.txt``, each with **one** annotation file, the
   first ``attributions/<stem>_<ANNOTATOR>.ann`` by file name (as ``bench/quotes.py`` scores).
2. Blind split: a text of PolNeAR **train** whose ``sha1(stem)`` (hex, read as an integer) is
   ``0 mod 10`` is held out (:func:`is_blind`; 10 % of train, 83 of 840 texts). It is never
   trained on nor used for writing rules, and is scored once, by ``bench/attribution_model.py``.
   The other train texts are the training set. PolNeAR dev is for reporting only.
3. Each text goes through newstrace's own clean stage (``clean_article``) and the spaCy pipeline
   ``newstrace.nlp.load_nlp()`` (en_core_web_sm), as at run time; gold spans (brat offsets into
   the raw text) are mapped to clean-text offsets.
4. Texts are processed in sorted order of their stem; the parses are cached (DocBin) under
   ``$NEWSTRACE_TRAIN_CACHE`` (default: the system temp folder) keyed by split, the recipe's
   version (:data:`RECIPE`) and spaCy model.
5. The CRF's labels (:func:`label_relations`) leave out the later piece of a quote split by its cue
   when the .ann writes its span line after the relation (:data:`LABEL_LATER_PIECES`); the benches
   score every piece.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import pickle
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import DocBin

from newstrace.clean import clean_article
from newstrace.models import RawArticle
from newstrace.nlp import load_nlp

# The recipe's version, part of the parse cache's key: 2 since 2026-12-03 (span lines read before
# relation lines, :func:`read_relations`), so a cache of the old relations is not reused
RECIPE = 2
# Whether the CRF's Content labels take the later pieces of a split quote whose span line the .ann
# writes after its relation (:func:`read_relations`, :func:`label_relations`)
LABEL_LATER_PIECES = False

REPO = Path(__file__).resolve().parents[1]
CORPUS = next((p for p in (REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")) if p.is_dir()),
              REPO.parent / "shared" / "corpus")


@dataclass
class Relation:
    """One gold attribution relation, in clean-text offsets (lists of (start, end) pieces)."""

    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Example:
    stem: str
    article: object  # newstrace.models.Article
    relations: list[Relation]
    doc: object = None  # spaCy Doc of article.text


def is_blind(stem: str) -> bool:
    """True for the fixed 10 % of PolNeAR train held out from training and rule writing."""
    return int(hashlib.sha1(stem.encode("utf-8")).hexdigest(), 16) % 10 == 0


def list_docs(split: str) -> list[tuple[str, Path, Path]]:
    """(stem, text path, .ann path) of a PolNeAR split, one annotator per text, sorted by stem."""
    base = CORPUS / "polnear" / split
    if not base.is_dir():
        raise SystemExit(f"PolNeAR {split} not found at {base}: it ships in ../shared/corpus/polnear")
    anns: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        anns.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    return [(stem, base / "text" / f"{stem}.txt", ann) for stem, ann in sorted(anns.items())
            if (base / "text" / f"{stem}.txt").is_file()]


def read_relations(path: Path, *, later_pieces: bool = True) -> list[dict[str, list[tuple[int, int]]]]:
    """Relations of one brat .ann file as dicts role -> raw (start, end) pieces.

    Span lines (``T``) are read first and relation lines (``E``) after, in two passes: brat may
    write a span after the relation that names it (on PolNeAR train 76 content pieces, 10 of them
    a relation's only content, of 19,832 relations; read in one pass, they were dropped before
    2026-12-03). Only relations with a content are kept. A span line without offsets raises
    ValueError naming the file and line. The one brat reader (``bench/quotes.py`` reads gold with it).

    Args:
        path: the .ann file.
        later_pieces: False leaves out a content piece whose span line comes after the relation's
            line when a line before the relation holds another of its content pieces: the later
            piece of a quote split by its cue ('"A," he said. "B."'), as the one-pass reader left
            it out (the trainer's labels, :data:`LABEL_LATER_PIECES`); the benches score every piece.
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    span_line: dict[str, int] = {}
    events: list[tuple[int, list[str]]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            _, _, offs = cols[1].partition(" ")
            try:
                spans[cols[0]] = [(int(a), int(b)) for a, b in (p.split() for p in offs.split(";"))]
            except ValueError:
                raise ValueError(f"{path}:{lineno}: malformed span line") from None
            span_line[cols[0]] = lineno
        elif line.startswith("E") and len(cols) >= 2:
            events.append((lineno, cols[1].split()))
    out = []
    for lineno, args in events:
        roles = []
        for arg in args:
            role, _, tid = arg.partition(":")
            roles.append((re.sub(r"\d+$", "", role).lower(), tid))
        early = any(role == "content" and span_line.get(tid, lineno) < lineno for role, tid in roles)
        rel: dict[str, list[tuple[int, int]]] = {}
        for role, tid in roles:
            if role == "content" and early and not later_pieces and span_line.get(tid, 0) > lineno:
                continue
            if role in ("source", "cue", "content"):
                rel.setdefault(role, []).extend(spans.get(tid, []))
        if rel.get("content"):
            out.append(rel)
    return out


def to_relations(article, raw: list[dict[str, list[tuple[int, int]]]]) -> list[Relation]:
    """Relations in raw offsets (:func:`read_relations`) as :class:`Relation` in the clean text of
    ``article``; those whose content the clean stage removed are left out."""
    rels = [Relation(*(_to_clean(article, r.get(role, [])) for role in ("source", "cue", "content"))) for r in raw]
    return [r for r in rels if r.content]


def label_relations(ex: Example, ann: Path) -> list[Relation]:
    """The relations whose BIO labels the CRF is trained on: :func:`read_relations` of the example's
    .ann with ``later_pieces=LABEL_LATER_PIECES``, in its clean text (``Example.relations``, what the
    benches and the speaker ranker read, keeps every piece)."""
    if LABEL_LATER_PIECES:
        return ex.relations
    rels = to_relations(ex.article, read_relations(ann, later_pieces=False))
    ex.article.__dict__.pop("_raw_of", None)
    return rels


def _to_clean(article, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    raw_of = article.__dict__.get("_raw_of")
    if raw_of is None:
        raw_of = [article.to_raw(i) for i in range(len(article.text))]
        article.__dict__["_raw_of"] = raw_of
    out = []
    for a, b in pieces:
        s, e = bisect.bisect_left(raw_of, a), bisect.bisect_left(raw_of, b)
        if e > s:
            out.append((s, e))
    return out


def load_split(split: str, *, part: str = "all") -> list[Example]:
    """Cleaned, parsed examples of a PolNeAR split.

    Args:
        split: "train" or "dev".
        part: for train, "fit" (not blind), "blind" or "all".
    """
    nlp = load_nlp()
    docs = list_docs(split)
    cache_dir = Path(os.environ.get("NEWSTRACE_TRAIN_CACHE", Path(tempfile.gettempdir()) / "newstrace-training"))
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = f"{split}-recipe{RECIPE}-{nlp.meta['name']}-{nlp.meta['version']}-{len(docs)}"
    cache = cache_dir / f"{key}.pkl"
    if cache.is_file():
        examples, doc_bytes = pickle.loads(cache.read_bytes())
        parsed = list(DocBin().from_bytes(doc_bytes).get_docs(nlp.vocab))
        for ex, doc in zip(examples, parsed):
            ex.doc = doc
    else:
        examples = []
        for stem, text_path, ann_path in docs:
            text = text_path.read_text(encoding="utf-8")
            article = clean_article(RawArticle(source=str(text_path), text=text, file=str(text_path),
                                               format="txt"))
            examples.append(Example(stem, article, to_relations(article, read_relations(ann_path))))
        db = DocBin(store_user_data=False)
        for ex, doc in zip(examples, nlp.pipe((ex.article.text for ex in examples), batch_size=16)):
            ex.doc = doc
            db.add(doc)
        for ex in examples:
            ex.article.__dict__.pop("_raw_of", None)
        plain = [Example(ex.stem, ex.article, ex.relations) for ex in examples]
        cache.write_bytes(pickle.dumps((plain, db.to_bytes())))
    if part == "fit":
        return [ex for ex in examples if not is_blind(ex.stem)]
    if part == "blind":
        return [ex for ex in examples if is_blind(ex.stem)]
    return examples
