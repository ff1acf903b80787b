"""Entity accuracy of newstrace on the entity gold dev set (issue 4, "Measure it").

Gold (``tests/gold/entities/*.json``, hand-annotated: the five seed articles and ten BBC politics
articles; conventions in ``tests/gold/entities/README.md``) lists, per article, the cast: each
entity with its canonical name, type, the strings used for it (``mentions``), the pronouns that
refer to it (``pronouns``: ``[word, n]`` = the n-th whole-word, case-sensitive occurrence of the
word in the text) and the roles the article binds to it (title, current, org).

Gold mention spans are every whole-word occurrence of a mention string (longest strings first;
an occurrence inside a longer gold occurrence is dropped). Each gold span is passed to
:meth:`EntityAnalysis.resolve` (the API the quote and attribution stages call) and the entity
index it returns is the system's answer for that mention. The script prints:

* mention resolution rate: gold name mentions resolved to some entity;
* within-article entity merge, pairwise over gold mentions: a pair is positive in gold when both
  mentions are of one gold entity, positive in the system when both resolve to one entity;
  precision, recall and F1, for names (names, surnames, titles) and for names + pronouns;
* pronoun accuracy: a gold pronoun resolves to the system entity most of its entity's name
  mentions resolve to;
* entity type accuracy and canonical-name accuracy (persons) per gold entity;
* role accuracy: a gold role is found when the system entity holds a role with the same role
  noun (the last role word of the title) and the same current/former flag; role precision over
  the system roles of matched entities; org accuracy over the found roles;
* cross-article merge: every (article, gold entity) is mapped to its system local entity; all
  system local entities of the dev set go through :func:`merge_entities`; pairs of items from
  different articles are positive in gold when the gold entities share type and name, positive
  in the system when they get one global id; precision, recall and F1 (all types, and persons);
* speaker resolution: every ``speaker_mention`` of the quote gold (``tests/gold/quotes``) is
  resolved and compared with the gold speaker; articles outside the entity gold are reported
  apart as held-out (nothing was tuned on them); the files of a split in ``bench/quotes.py``'s
  ``UNSCORED`` (committed blind, not yet scored) are left out;
* speed: analyze_entities milliseconds per article (parse excluded) and merge_entities time on
  a pool made by replicating the dev set's local entities (x10 and x100: near-linear growth).

Usage::

    .venv/bin/python bench/entities.py [--json] [--verbose] [--no-speed] [--no-speakers]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from quotes import UNSCORED  # noqa: E402  (bench/quotes.py's blind splits not yet scored: never resolved here)
GOLD_DIR = REPO / "tests" / "gold" / "entities"
_CORPUS_CANDIDATES = [REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")]
TYPES = ("person", "organisation", "outlet", "place", "group")


@dataclass
class Gold:
    id: str
    root: str
    file: str
    split: str
    entities: list[dict[str, Any]]
    notes: str = ""

    def read_source(self, corpus: Path | None = None) -> str:
        """The article text the gold was annotated on."""
        if self.root == "repo":
            return (REPO / self.file).read_text(encoding="utf-8")
        corpus = corpus or next((p for p in _CORPUS_CANDIDATES if p.is_dir()), None)
        if corpus is None:
            raise FileNotFoundError(f"{self.id}: shared corpus not found (looked in {_CORPUS_CANDIDATES})")
        return (corpus / self.file).read_text(encoding="utf-8")


def load_gold_file(path: Path) -> Gold:
    """One gold file."""
    d = json.loads(path.read_text(encoding="utf-8"))
    return Gold(id=d["id"], root=d["root"], file=d["file"], split=d.get("split", "dev"),
                entities=d["entities"], notes=d.get("notes", ""))


def load_gold(split: str = "all") -> list[Gold]:
    """All gold files of a split (dev, test or all)."""
    out = [load_gold_file(p) for p in sorted(GOLD_DIR.glob("*.json"))]
    return [g for g in out if split == "all" or g.split == split]


def _pattern(words: str) -> re.Pattern:
    body = re.escape(words).replace("\\ ", r"\s+")
    return re.compile(r"(?<![\w-])" + body + r"(?![\w-])")


@dataclass
class GoldSpan:
    start: int
    end: int
    entity: int  # index into Gold.entities
    kind: str  # name or pronoun
    text: str = ""


def gold_spans(gold: Gold, text: str) -> list[GoldSpan]:
    """Gold mention spans: whole-word occurrences of mention strings (longest first) and pronouns."""
    cands = []
    for ei, e in enumerate(gold.entities):
        for m in e.get("mentions", []):
            for x in _pattern(m).finditer(text):
                cands.append((x.end() - x.start(), x.start(), x.end(), ei, m))
    cands.sort(key=lambda c: (-c[0], c[1]))
    taken: list[tuple[int, int]] = []
    spans = []
    for _, s, e, ei, m in cands:
        if any(s < te and e > ts for ts, te in taken):
            continue
        taken.append((s, e))
        spans.append(GoldSpan(s, e, ei, "name", m))
    for ei, e in enumerate(gold.entities):
        for word, n in e.get("pronouns", []):
            occ = list(_pattern(word).finditer(text))
            if n < len(occ):
                spans.append(GoldSpan(occ[n].start(), occ[n].end(), ei, "pronoun", word))
    spans.sort(key=lambda g: g.start)
    return spans


def check_gold(gold: Gold, text: str) -> list[str]:
    """Problems with a gold file against its text (empty when it is well-formed)."""
    problems = []
    names = set()
    for e in gold.entities:
        if e.get("type") not in TYPES:
            problems.append(f"{gold.id}: {e.get('name')}: type {e.get('type')!r} not in {TYPES}")
        key = (e.get("type"), e.get("name"))
        if key in names:
            problems.append(f"{gold.id}: entity {key} listed twice")
        names.add(key)
        for m in e.get("mentions", []):
            if not _pattern(m).search(text):
                problems.append(f"{gold.id}: {e['name']}: mention {m!r} not in the text")
        for word, n in e.get("pronouns", []):
            if n >= len(_pattern(word).findall(text)):
                problems.append(f"{gold.id}: {e['name']}: pronoun {word!r} #{n} not in the text")
        for r in e.get("roles", []):
            if not r.get("title") or not isinstance(r.get("current"), bool):
                problems.append(f"{gold.id}: {e['name']}: role needs a title and a boolean current: {r}")
    return problems


def _prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _role_head(title: str) -> str | None:
    from newstrace.extract.entities.names import NOBLE
    from newstrace.extract.lexicon import ROLE_NOUNS, TITLE_ABBREV

    if re.search(r"\bin command\b", title or "", re.I):
        return "second-in-command"
    words = re.findall(r"[A-Za-z][\w.'-]*", title or "")
    head = None
    for w in words:
        lw = w.lower()
        lw2 = lw.rstrip(".")
        if lw in TITLE_ABBREV:
            head = TITLE_ABBREV[lw]
        elif lw2 + "." in TITLE_ABBREV:
            head = TITLE_ABBREV[lw2 + "."]
        elif lw.split("-")[-1] in ROLE_NOUNS or lw in NOBLE:
            lw = lw.split("-")[-1]
            head = {"spokesman": "spokesperson", "spokeswoman": "spokesperson", "chairman": "chair",
                    "chairwoman": "chair", "advisor": "adviser"}.get(lw, lw)
        if w.lower() in ("of", "at", "for", "in") and head:
            break
    return head


def _norm(s: str | None) -> str:
    s = (s or "").lower().replace("\u2019", "'")
    s = re.sub(r"^the\s+", "", s.strip())
    return re.sub(r"[^\w]+", " ", s).strip()


@dataclass
class Tally:
    name_total: int = 0
    name_resolved: int = 0
    pair: dict[str, list[int]] = field(default_factory=lambda: {"names": [0, 0, 0], "all": [0, 0, 0]})
    pron_total: int = 0
    pron_ok: int = 0
    type_total: int = 0
    type_ok: int = 0
    cname_total: int = 0
    cname_ok: int = 0
    roles_gold: int = 0
    roles_found: int = 0
    roles_sys: int = 0
    roles_sys_ok: int = 0
    org_total: int = 0
    org_ok: int = 0
    errors: list[str] = field(default_factory=list)


def evaluate(golds: list[Gold], nlp, verbose: bool = False) -> dict[str, Any]:
    """Score analyze_entities and merge_entities on the gold articles."""
    from newstrace.extract import analyze_entities
    from newstrace.link import merge_entities
    from newstrace.models import Article

    t = Tally()
    items = []  # (article id, gold entity name/type, system local id)
    all_locals: list[dict[str, Any]] = []
    times = []
    chars = 0
    for g in golds:
        text = g.read_source()
        art = Article(id=g.id, source=g.file, raw_text=text, text=text)
        doc = nlp(text)
        t0 = time.perf_counter()
        ea = analyze_entities(doc, art)
        times.append(time.perf_counter() - t0)
        chars += len(text)
        spans = gold_spans(g, text)
        sys_of = [ea.resolve(s.start, s.end)[0] for s in spans]
        for s, se in zip(spans, sys_of):
            if s.kind == "name":
                t.name_total += 1
                t.name_resolved += se is not None
                if se is None and verbose:
                    t.errors.append(f"{g.id}: unresolved {s.text!r} ({g.entities[s.entity]['name']}) at {s.start}")
        for key, keep in (("names", lambda s: s.kind == "name"), ("all", lambda s: True)):
            idx = [i for i, s in enumerate(spans) if keep(s)]
            tp = n_sys = n_gold = 0
            for a, b in combinations(idx, 2):
                gs = spans[a].entity == spans[b].entity
                ss = sys_of[a] is not None and sys_of[a] == sys_of[b]
                n_gold += gs
                n_sys += ss
                tp += gs and ss
                if verbose and key == "names" and ss and not gs:
                    t.errors.append(f"{g.id}: merged {spans[a].text!r} ({g.entities[spans[a].entity]['name']}) "
                                    f"with {spans[b].text!r} ({g.entities[spans[b].entity]['name']})")
            for k, v in enumerate((tp, n_sys, n_gold)):
                t.pair[key][k] += v
        # majority system entity per gold entity (from name mentions)
        major: dict[int, int | None] = {}
        for ei in range(len(g.entities)):
            votes = Counter(se for s, se in zip(spans, sys_of) if s.entity == ei and s.kind == "name" and se is not None)
            major[ei] = votes.most_common(1)[0][0] if votes else None
        for s, se in zip(spans, sys_of):
            if s.kind == "pronoun":
                t.pron_total += 1
                ok = major.get(s.entity) is not None and se == major[s.entity]
                t.pron_ok += ok
                if verbose and not ok:
                    got = ea.name_of(se) if se is not None else None
                    t.errors.append(f"{g.id}: pronoun {s.text!r}@{s.start} -> {got}, gold {g.entities[s.entity]['name']}")
        for ei, ge in enumerate(g.entities):
            se = major[ei]
            t.type_total += 1
            if se is None:
                for r in ge.get("roles", []):
                    t.roles_gold += 1
                continue
            sent = ea.entities[se]
            t.type_ok += sent.type == ge["type"]
            if verbose and sent.type != ge["type"]:
                t.errors.append(f"{g.id}: type of {ge['name']}: {sent.type}, gold {ge['type']}")
            if ge["type"] == "person":
                t.cname_total += 1
                t.cname_ok += _norm(sent.name) == _norm(ge["name"])
                if verbose and _norm(sent.name) != _norm(ge["name"]):
                    t.errors.append(f"{g.id}: name {sent.name!r}, gold {ge['name']!r}")
            items.append((g.id, ge["type"], _norm(ge["name"]), se))
            sys_roles = [(r, _role_head(r.title)) for r in sent.roles]
            used = set()
            for gr in ge.get("roles", []):
                t.roles_gold += 1
                head = _role_head(gr["title"])
                hit = next((k for k, (r, h) in enumerate(sys_roles) if h and h == head and r.current == gr["current"]), None)
                if hit is not None:
                    t.roles_found += 1
                    used.add(hit)
                    if gr.get("org"):
                        t.org_total += 1
                        t.org_ok += _norm(sys_roles[hit][0].org) == _norm(gr["org"])
                elif verbose:
                    t.errors.append(f"{g.id}: role {gr['title']!r} ({'current' if gr['current'] else 'former'}) of "
                                    f"{ge['name']} not found; system: {[(r.title, r.current) for r in sent.roles]}")
            if ge["type"] == "person":
                gold_heads = {(_role_head(gr["title"]), gr["current"]) for gr in ge.get("roles", [])}
                for r, h in sys_roles:
                    t.roles_sys += 1
                    t.roles_sys_ok += (h, r.current) in gold_heads
        for e in ea.entities:
            all_locals.append(dict(article_id=e.article_id, local_id=e.local_id, name=e.name, type=e.type,
                                   aliases=e.aliases, roles=[r.__dict__ for r in e.roles], gender=e.gender))
    emap, _ = merge_entities(all_locals)
    cross = {}
    for label, keep in (("all", lambda it: True), ("person", lambda it: it[1] == "person")):
        sel = [it for it in items if keep(it)]
        tp = n_sys = n_gold = 0
        for a, b in combinations(sel, 2):
            if a[0] == b[0]:
                continue
            gs = (a[1], a[2]) == (b[1], b[2])
            ss = emap.get((a[0], a[3])) is not None and emap.get((a[0], a[3])) == emap.get((b[0], b[3]))
            n_gold += gs
            n_sys += ss
            tp += gs and ss
            if verbose and gs != ss and label == "all":
                t.errors.append(f"cross: {'missed' if gs else 'wrong'} merge {a[0]}:{a[2]} ~ {b[0]}:{b[2]}")
        cross[label] = dict(zip(("p", "r", "f1"), _prf(tp, n_sys, n_gold))) | dict(gold_pairs=n_gold, sys_pairs=n_sys)
    pair = {k: dict(zip(("p", "r", "f1"), _prf(*v))) | dict(gold_pairs=v[2], sys_pairs=v[1]) for k, v in t.pair.items()}
    return dict(
        articles=len(golds), gold_name_mentions=t.name_total, gold_pronouns=t.pron_total,
        mention_resolution=t.name_resolved / max(1, t.name_total),
        pairwise=pair,
        pronoun_accuracy=t.pron_ok / max(1, t.pron_total),
        type_accuracy=t.type_ok / max(1, t.type_total),
        person_name_accuracy=t.cname_ok / max(1, t.cname_total),
        role_accuracy=t.roles_found / max(1, t.roles_gold), gold_roles=t.roles_gold,
        role_precision=t.roles_sys_ok / max(1, t.roles_sys), system_person_roles=t.roles_sys,
        role_org_accuracy=t.org_ok / max(1, t.org_total),
        cross_article=cross,
        ms_per_article=1000 * sum(times) / max(1, len(times)),
        chars_per_second=chars / max(1e-9, sum(times)),
        local_entities=all_locals, errors=t.errors,
    )


QUOTE_GOLD_DIR = REPO / "tests" / "gold" / "quotes"


def _loose_find(text: str, content: str) -> int:
    words = re.findall(r"\w+", content)[:8]
    if not words:
        return -1
    m = re.search(r"\W+".join(re.escape(w) for w in words), text)
    return m.start() if m else -1


def _same_speaker(got: str, gold: str, alts: list[str]) -> tuple[bool, bool]:
    """(strict, lenient): equal names; lenient also accepts a surname-only / fuller form."""
    g = [_norm(x) for x in [gold, *alts]]
    n = _norm(got)
    strict = n in g
    gt = set(n.split())
    lenient = strict or any(gt and (gt <= set(x.split()) or set(x.split()) <= gt) for x in g)
    return strict, lenient


def speaker_gold(gold_dir: Path = QUOTE_GOLD_DIR) -> list[dict[str, Any]]:
    """The quote gold files whose speakers are resolved: all but those of a split in ``UNSCORED``.

    A blind split committed unscored is scored once, by ``bench/quotes.py --split NAME``; resolving its
    speaker mentions here would run newstrace's entity stage on its texts before that score.
    """
    files = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]
    return [d for d in files if d.get("split") not in UNSCORED]


def evaluate_speakers(nlp, entity_gold_ids: set[str]) -> dict[str, Any]:
    """Resolve the speaker mentions of the quote gold (tests/gold/quotes) with EntityAnalysis.resolve.

    Each quote's ``speaker_mention`` is located as its occurrence nearest the quoted content;
    the resolved canonical name is compared with the gold speaker (anonymous speakers: the kind).
    Articles not in the entity gold are reported apart: nothing was tuned on them.
    """
    from newstrace.extract import analyze_entities
    from newstrace.models import Article

    out = {"entity-dev": [0, 0, 0], "held-out": [0, 0, 0]}
    errors = []
    for d in speaker_gold():
        g = Gold(id=d["id"], root=d["root"], file=d["file"], split=d.get("split", "dev"), entities=[])
        try:
            text = g.read_source()
        except FileNotFoundError:
            continue
        ea = analyze_entities(nlp(text), Article(id=g.id, source=g.file, raw_text=text, text=text))
        bucket = out["entity-dev" if g.id in entity_gold_ids else "held-out"]
        for q in d.get("quotes", []):
            sm = q.get("speaker_mention")
            content = q.get("content")
            if not sm or not isinstance(content, str) or not q.get("speaker"):
                continue
            c0 = _loose_find(text, content)
            occ = [x.start() for x in _pattern(sm).finditer(text)]
            if c0 < 0 or not occ:
                continue
            s0 = min(occ, key=lambda o: abs(o - c0))
            idx, name, kind = ea.resolve(s0, s0 + len(sm))
            if q.get("speaker_kind") == "anonymous":
                strict = lenient = kind == "anonymous"
            else:
                strict, lenient = _same_speaker(name, q["speaker"], q.get("speaker_alt") or [])
            bucket[0] += 1
            bucket[1] += strict
            bucket[2] += lenient
            if not lenient:
                errors.append(f"{g.id}: speaker {sm!r} -> {name!r} ({kind}), gold {q['speaker']!r}")
    return dict(speakers={k: dict(n=v[0], strict=v[1] / max(1, v[0]), lenient=v[2] / max(1, v[0]))
                          for k, v in out.items()}, speaker_errors=errors)


def merge_speed(local_rows: list[dict[str, Any]], factors=(10, 100)) -> list[tuple[int, float]]:
    """merge_entities seconds on the rows replicated ``factor`` times (as distinct articles)."""
    from newstrace.link import merge_entities

    out = []
    for f in factors:
        rows = [dict(r, article_id=f"{r['article_id']}#{k}") for k in range(f) for r in local_rows]
        t0 = time.perf_counter()
        merge_entities(rows)
        out.append((len(rows), time.perf_counter() - t0))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="all", choices=("dev", "test", "all"))
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--verbose", action="store_true", help="list every error")
    ap.add_argument("--no-speed", action="store_true", help="skip the merge_entities speed test")
    ap.add_argument("--no-speakers", action="store_true", help="skip resolving the quote gold's speakers")
    args = ap.parse_args(argv)
    try:
        from newstrace.nlp import load_nlp
    except ImportError as exc:  # pragma: no cover
        print(f"bench/entities.py: cannot import newstrace ({exc}); run with the project's venv", file=sys.stderr)
        return 2
    golds = load_gold(args.split)
    if not golds:
        print(f"bench/entities.py: no gold files in {GOLD_DIR}", file=sys.stderr)
        return 2
    nlp = load_nlp()
    res = evaluate(golds, nlp, verbose=args.verbose)
    if not args.no_speakers:
        res.update(evaluate_speakers(nlp, {g.id for g in golds}))
    speaker_errors = res.pop("speaker_errors", [])
    speed = [] if args.no_speed else merge_speed(res["local_entities"])
    locals_ = res.pop("local_entities")
    errors = res.pop("errors")
    res["merge_speed"] = [dict(rows=n, seconds=round(s, 3)) for n, s in speed]
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    print(f"entity gold: {res['articles']} articles, {res['gold_name_mentions']} name mentions, "
          f"{res['gold_pronouns']} pronouns, {len(locals_)} system local entities")
    print(f"mention resolution (gold name mentions resolved): {res['mention_resolution']:.3f}")
    for k, v in res["pairwise"].items():
        print(f"within-article merge, pairwise ({k:5}): P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}  "
              f"(gold pairs {v['gold_pairs']}, system pairs {v['sys_pairs']})")
    print(f"pronoun accuracy: {res['pronoun_accuracy']:.3f}")
    print(f"entity type accuracy: {res['type_accuracy']:.3f}   person canonical-name accuracy: "
          f"{res['person_name_accuracy']:.3f}")
    print(f"role accuracy (gold roles found): {res['role_accuracy']:.3f} of {res['gold_roles']}   "
          f"role precision: {res['role_precision']:.3f} of {res['system_person_roles']}   "
          f"org accuracy on found roles: {res['role_org_accuracy']:.3f}")
    for k, v in res["cross_article"].items():
        print(f"cross-article merge ({k:6}): P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}  "
              f"(gold pairs {v['gold_pairs']}, system pairs {v['sys_pairs']})")
    for k, v in res.get("speakers", {}).items():
        print(f"quote-gold speaker mentions resolved ({k}): {v['n']} mentions, name exact {v['strict']:.3f}, "
              f"exact or surname/fuller form {v['lenient']:.3f}")
    print(f"speed: analyze_entities {res['ms_per_article']:.1f} ms/article "
          f"({res['chars_per_second'] / 1000:.0f}k chars/s, parse excluded)")
    for d in res["merge_speed"]:
        print(f"speed: merge_entities {d['rows']} local entities in {d['seconds']:.3f} s")
    if args.verbose:
        for e in errors + speaker_errors:
            print("  " + e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
