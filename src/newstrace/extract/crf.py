"""A linear-chain CRF decoder over a CRFsuite model file, without python-crfsuite (issue 15).

python-crfsuite trains the learned layer's tagger and stays the reference, but at run time about
two thirds of its tagging time went to converting each token's feature strings (a Python list of
str into C++ strings, then a lookup of each in the model's string database). :class:`CrfModel`
reads the same model file once (CRFsuite's ``crf1d`` format: the labels, the attributes, the
state features and the transitions), keeps its state weights as one row of label weights per
attribute and its transitions as a matrix, and decodes with Viterbi in numpy, all the sentences
of a text at once. The scores are summed in CRFsuite's own order (each token's attributes in the
order given, from zero), so the tags are CRFsuite's (``tests/test_learned.py`` compares both).
The model file stays the single source of truth: no weights are written anywhere else.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Sequence

import numpy as np

_HEADER = struct.Struct("<4sI4sIIIIIIIII")  # crf1dm.c's header_t, little-endian
_CQDB = struct.Struct("<4sIIIII")  # cqdb.c's header_t: id, size, flag, byte order, backward size/offset
_BATCH = 256  # sentences decoded together: the lattice holds longest x 256 x labels back-pointers
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])


class RowTable(dict):
    """Attribute rows by value; a value the model does not know gives row 0 (all weights zero)."""

    def __missing__(self, key: str) -> int:
        return 0


class CrfModel:
    """A CRFsuite model's weights, ready to decode: ``state[r]`` holds the weight of attribute row
    ``r`` for each label (row 0 is all zeros: an attribute the model does not know),
    ``trans[i, j]`` the weight of label ``i`` followed by label ``j``.

    >>> model = read_model(path)  # doctest: +SKIP
    >>> model.tag([["w=said", "p=VERB"], ["w=that", "p=SCONJ"]])  # doctest: +SKIP
    ['B-Cue', 'O']
    """

    def __init__(self, labels: Sequence[str], attributes: Sequence[str], state: np.ndarray,
                 trans: np.ndarray) -> None:
        self.labels = tuple(labels)
        # attribute string -> its row (rows start at 1: row 0 stands for an unknown attribute)
        self.rows: dict[str, int] = {a: k + 1 for k, a in enumerate(attributes)}
        self.state = state  # (rows, labels)
        self.trans = trans
        # the attributes "name=value" by name, then value (one pass: the name is what precedes the first "=")
        self._tables: dict[str, RowTable] = {}
        for attr, row in self.rows.items():
            name, eq, value = attr.partition("=")
            if eq:
                self._tables.setdefault(name, RowTable({"": 0}))[value] = row

    def row(self, attr: str) -> int:
        """The row of one attribute string (0 when the model does not know it)."""
        return self.rows.get(attr, 0)

    def row_ids(self, feats: Sequence[str]) -> list[int]:
        """The rows of one token's attributes that the model knows, in order."""
        get = self.rows.get
        return [r for r in map(get, feats) if r is not None]

    def table(self, name: str) -> RowTable:
        """The rows of the attributes ``name=value`` by their value (``table("w")["said"]`` is
        ``row("w=said")``, 0 for a value the model does not know)."""
        t = self._tables.get(name)
        if t is None:
            t = self._tables[name] = RowTable({"": 0})
        return t

    def tag_columns(self, ids: np.ndarray, lengths: Sequence[int]) -> list[list[str]]:
        """The best label sequence of each of several sentences, from their attribute rows by slot.

        Args:
            ids: (slots, tokens) rows: ``ids[s, i]`` is the row of token ``i``'s attribute in slot
                ``s`` (0 where it has none there or the model does not know it); the slots in the
                order in which the token's attributes are listed, tokens of all sentences in turn.
            lengths: how many tokens each sentence has.
        Returns:
            One list of labels per sentence, in order.
        """
        return self._decode(self.state_scores(ids), lengths)

    def _decode(self, scores: np.ndarray, lengths: Sequence[int]) -> list[list[str]]:
        labels, out, start = self.labels, [], 0
        for lo in range(0, len(lengths), _BATCH):  # the lattice of at most _BATCH sentences at once
            batch = lengths[lo:lo + _BATCH]
            end = start + sum(batch)
            out += [[labels[k] for k in p] for p in viterbi(scores[start:end], batch, self.trans)]
            start = end
        return out

    def state_scores(self, ids: np.ndarray) -> np.ndarray:
        """(tokens, labels) state scores from attribute rows by slot (``ids`` as for :meth:`tag_columns`)."""
        # slot after slot, from zero (one addition after another for each token and label):
        # CRFsuite's order of addition, so its scores to the bit. Each slot's rows are taken into
        # one reused buffer (not a slots x tokens x labels array of them all: half the time; numpy's
        # default mode="raise" would copy through a buffer of its own on every slot)
        scores = np.zeros((ids.shape[1], self.state.shape[1]))
        rows = np.empty_like(scores)
        for slot in ids:
            # valid rows: clip writes in place; the method, not np.take's Python wrapper (one call a slot)
            self.state.take(slot, axis=0, out=rows, mode="clip")
            scores += rows
        return scores

    def tag_with_marginals(self, ids: np.ndarray, lengths: Sequence[int], *,
                           only: str | None = None) -> tuple[list[list[str]], list[np.ndarray | None]]:
        """:meth:`tag_columns`' labels and, for each sentence, each token's marginal probability of
        each label (:func:`marginals` over the same scores: (tokens, labels), rows summing to 1).

        The marginals are the model's own confidence in a label at a token, given the whole
        sentence; the labels are exactly :meth:`tag_columns`' (the same scores, the same Viterbi).

        Args:
            ids, lengths: as for :meth:`tag_columns`.
            only: when given, the marginals of only the sentences tagged with a label ending in it
                ("Content"); the others get None.
        """
        scores = self.state_scores(ids)
        tags = self._decode(scores, lengths)
        starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.intp)
        wanted = [k for k, t in enumerate(tags) if only is None or any(x.endswith(only) for x in t)]
        margs: list[np.ndarray | None] = [None] * len(lengths)
        for lo in range(0, len(wanted), _BATCH):
            some = wanted[lo:lo + _BATCH]
            rows = np.concatenate([scores[starts[k]:starts[k + 1]] for k in some])
            for k, m in zip(some, marginals(rows, [lengths[k] for k in some], self.trans)):
                margs[k] = m
        return tags, margs

    def tag(self, feats: Sequence[Sequence[str]]) -> list[str]:
        """The best label sequence of one sentence (CRFsuite's ``Tagger.tag``).

        Args:
            feats: each token's feature strings (attributes of value 1).
        Returns:
            One label per token.
        """
        if not feats:
            return []
        rows = [self.row_ids(f) for f in feats]
        ids = np.zeros((max(map(len, rows)), len(rows)), dtype=np.intp)  # a token's attributes in order, then 0s
        for i, r in enumerate(rows):
            ids[:len(r), i] = r
        return self.tag_columns(ids, [len(feats)])[0]


_MAX = np.maximum.reduce  # what ndarray.max runs (exact: the same values)


def marginals(scores: np.ndarray, lengths: Sequence[int], trans: np.ndarray) -> list[np.ndarray]:
    """Each token's marginal probability of each label, for several sequences at once
    (forward-backward in log space, as CRFsuite's ``crf1dc_marginals`` but batched like
    :func:`viterbi`: the sequences sorted longest first, so the live ones are a prefix).

    Args:
        scores: (tokens, labels) state scores of all sequences, one after another.
        lengths: each sequence's number of tokens.
        trans: (labels, labels) transition weights, from row to column.
    Returns:
        Each sequence's (tokens, labels) marginals; each row sums to 1.
    """
    labels = trans.shape[0]
    out = [np.zeros((0, labels)) for _ in lengths]
    order = sorted((k for k in range(len(lengths)) if lengths[k]), key=lambda k: -lengths[k])
    if not order:
        return out
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.intp)
    longest, width = lengths[order[0]], len(order)
    size = np.array([lengths[k] for k in order])
    live = [int((size > t).sum()) for t in range(longest)]
    at = np.arange(longest)[:, None]
    padded = np.concatenate([scores, np.zeros((1, labels))])[
        np.where(at < size, starts[order] + at, len(scores))]  # (longest, width, labels)
    alpha = np.empty_like(padded)
    beta = np.zeros_like(padded)
    alpha[0] = padded[0]
    for t in range(1, longest):
        m = live[t]
        alpha[t, :m] = np.logaddexp.reduce(alpha[t - 1, :m, :, None] + trans, axis=1) + padded[t, :m]
    for t in range(longest - 2, -1, -1):
        m = live[t + 1]  # the sequences that go on past t; the others end at t (beta 0)
        beta[t, :m] = np.logaddexp.reduce(trans + (padded[t + 1, :m] + beta[t + 1, :m])[:, None, :], axis=2)
    last = size - 1
    log_z = np.logaddexp.reduce(alpha[last, np.arange(width)], axis=1)
    for p, k in enumerate(order):
        n = lengths[k]
        out[k] = np.exp(alpha[:n, p] + beta[:n, p] - log_z[p])
    return out


def viterbi(scores: np.ndarray, lengths: Sequence[int], trans: np.ndarray) -> list[list[int]]:
    """Best label paths of several sequences at once (CRFsuite's ``crf1dc_viterbi``: ties go to
    the lowest label, as its strict ``<``).

    Args:
        scores: (tokens, labels) state scores of all sequences, one after another.
        lengths: each sequence's number of tokens.
        trans: (labels, labels) transition weights, from row to column.
    Returns:
        Each sequence's label indices.
    """
    order = sorted((k for k in range(len(lengths)) if lengths[k]), key=lambda k: -lengths[k])
    out: list[list[int]] = [[] for _ in lengths]
    if not order:
        return out
    longest, width = lengths[order[0]], len(order)
    starts = [0] * len(lengths)
    for k in range(1, len(lengths)):
        starts[k] = starts[k - 1] + lengths[k - 1]
    # sequences sorted longest first: at position t the live ones are a prefix of that order
    live, m = [0] * longest, width
    for t in range(longest):
        while lengths[order[m - 1]] <= t:
            m -= 1
        live[t] = m
    # the scores by position: padded[t, p] is the t-th token of the p-th longest sequence
    first = np.array([starts[k] for k in order])
    size = np.array([lengths[k] for k in order])
    at = np.arange(longest)[:, None]
    padded = np.concatenate([scores, np.zeros((1, scores.shape[1]))])[np.where(at < size, first + at, len(scores))]
    alpha = padded[0].copy()  # the first live[t - 1] rows are the live sequences' scores
    final = alpha.copy()
    labels = trans.shape[0]
    back = np.zeros((longest, width, labels), dtype=np.int8 if labels < 128 else np.intp)  # argmax writes into it
    cand, best = np.empty((width, labels, labels)), np.empty((width, labels))  # reused at each position
    for t in range(1, longest):
        m = live[t]
        if m < live[t - 1]:
            final[m:live[t - 1]] = alpha[m:live[t - 1]]
        c, a = cand[:m], best[:m]
        np.add(alpha[:m, :, None], trans, out=c)
        c.argmax(axis=1, out=back[t, :m])
        _MAX(c, axis=1, out=a)  # c.max without its Python wrapper (one call a position)
        np.add(a, padded[t, :m], out=alpha[:m])
    final[:live[-1]] = alpha[:live[-1]]
    # back from each sequence's best last label: a sequence joins when t reaches its last position
    lab = final.argmax(axis=1)
    paths = np.zeros((longest, width), dtype=np.intp)
    rows = np.arange(width)
    for t in range(longest - 1, 0, -1):
        m = live[t]
        paths[t, :m] = lab[:m]
        lab[:m] = back[t, rows[:m], lab[:m]]
    paths[0] = lab
    for p, path in enumerate(paths.T.tolist()):
        out[order[p]] = path[:lengths[order[p]]]
    return out


def _cqdb_strings(buf: bytes, off: int) -> list[str]:
    """The strings of a CQDB chunk by id (its backward array: id -> record offset)."""
    magic, _size, _flag, _order, n, bwd = _CQDB.unpack_from(buf, off)
    if magic != b"CQDB":
        raise ValueError(f"not a CQDB chunk at offset {off}")
    out = []
    for rec in struct.unpack_from(f"<{n}I", buf, off + bwd):
        ident, ksize = struct.unpack_from("<II", buf, off + rec)
        if ident != len(out):
            raise ValueError(f"CQDB record {ident} out of order at offset {off + rec}")
        out.append(buf[off + rec + 8:off + rec + 8 + ksize - 1].decode("utf-8"))
    return out


def read_model(path: Path | str) -> CrfModel:
    """Read a CRFsuite ``crf1d`` model file (as ``pycrfsuite.Trainer.train`` writes it).

    Raises:
        ValueError: the file is not a CRFsuite crf1d model.
    """
    buf = Path(path).read_bytes()
    try:
        return _parse_model(buf, path)
    except (struct.error, IndexError, UnicodeDecodeError) as exc:  # offsets past the end: a cut file
        raise ValueError(f"{path} is not a whole CRFsuite linear-chain model ({len(buf)} bytes; {exc})") from exc


def _parse_model(buf: bytes, path: Path | str) -> CrfModel:
    """:func:`read_model` over the file's bytes (``struct.error`` where an offset runs past the end)."""
    if len(buf) < _HEADER.size:
        raise ValueError(f"{path} is not a CRFsuite linear-chain model ({len(buf)} bytes, shorter than its header)")
    magic, size, kind, _version, _nf, n_labels, n_attrs, off_feat, off_labels, off_attrs, _lr, _ar = \
        _HEADER.unpack_from(buf, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ValueError(f"{path} is not a CRFsuite linear-chain model (magic {magic!r}, type {kind!r})")
    if size != len(buf):
        raise ValueError(f"{path} is not a whole CRFsuite linear-chain model ({len(buf)} bytes, its header "
                         f"says {size})")
    labels = _cqdb_strings(buf, off_labels)
    attributes = _cqdb_strings(buf, off_attrs)
    chunk, _csize, n_feat = struct.unpack_from("<4sII", buf, off_feat)
    if chunk != b"FEAT" or len(labels) != n_labels or len(attributes) != n_attrs:
        raise ValueError(f"{path}: unexpected chunk layout ({chunk!r}, {len(labels)} labels, {len(attributes)} attributes)")
    feats = np.frombuffer(buf, dtype=_FEATURE, count=n_feat, offset=off_feat + 12)
    state = np.zeros((n_attrs + 1, n_labels))  # row 0: an attribute the model does not know
    trans = np.zeros((n_labels, n_labels))
    is_state = feats["type"] == 0
    is_trans = feats["type"] == 1
    if not np.all(is_state | is_trans):
        raise ValueError(f"{path}: unknown feature types {sorted(set(feats['type'].tolist()) - {0, 1})}")
    s = feats[is_state]
    # added in the file's order (as CRFsuite adds a token's features; a pair is written once anyway)
    np.add.at(state, (s["src"].astype(np.int64) + 1, s["dst"].astype(np.int64)), s["weight"])
    t = feats[is_trans]
    np.add.at(trans, (t["src"].astype(np.int64), t["dst"].astype(np.int64)), t["weight"])
    return CrfModel(labels, attributes, state, trans)

