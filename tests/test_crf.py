"""The CRF decoder over a CRFsuite model file (extract/crf.py, issue 15)."""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pytest

from newstrace.errors import MissingExtra, ModelNotInstalled
from newstrace.extract import crf, learned


def _best_path(scores, trans):
    """Brute force: the highest-scoring path, ties to the first in label order (CRFsuite's)."""
    n, labels = scores.shape
    best, arg = None, None
    for path in itertools.product(range(labels), repeat=n):
        s = scores[0, path[0]]
        for t in range(1, n):
            s += trans[path[t - 1], path[t]] + scores[t, path[t]]
        if best is None or s > best:
            best, arg = s, list(path)
    return arg


def test_crf_viterbi_is_the_best_path():
    rng = np.random.default_rng(15)
    lengths = [4, 1, 3, 5, 2, 4]
    scores = rng.normal(size=(sum(lengths), 3))
    trans = rng.normal(size=(3, 3))
    paths = crf.viterbi(scores, lengths, trans)
    start = 0
    for n, path in zip(lengths, paths):
        assert path == _best_path(scores[start:start + n], trans)
        start += n


def test_crf_viterbi_ties_go_to_the_first_label():
    # CRFsuite keeps the first of equal scores (a strict <): all zeros give label 0 everywhere
    assert crf.viterbi(np.zeros((5, 4)), [2, 0, 3], np.zeros((4, 4))) == [[0, 0], [], [0, 0, 0]]


def test_crf_reads_the_shipped_model():
    model = crf.read_model(learned.model_path())
    assert model.labels == ("O", "B-Source", "B-Cue", "B-Content", "I-Content", "I-Cue", "I-Source")
    assert model.state.shape == (len(model.rows) + 1, 7) and not model.state[0].any()
    assert model.table("w")["said"] == model.row("w=said") > 0 and model.table("w")["no such word"] == 0


def test_crf_rejects_other_files(tmp_path):
    path = tmp_path / "model.crfsuite"
    path.write_bytes(b"not a model at all, but long enough to hold a header of 48 bytes")
    with pytest.raises(ValueError, match="not a CRFsuite linear-chain model"):
        crf.read_model(path)


def test_crf_many_sentences_decode_as_each_alone():
    # more sentences than one lattice holds (crf._BATCH is 256) and more tokens than one scoring chunk
    rng = np.random.default_rng(7)
    model = crf.CrfModel(["O", "B", "I"], [f"a{k}" for k in range(40)],
                         np.vstack([np.zeros((1, 3)), rng.normal(size=(40, 3))]), rng.normal(size=(3, 3)))
    lengths = rng.integers(1, 30, size=600).tolist()
    ids = rng.integers(0, 41, size=(5, sum(lengths)))
    together = model.tag_columns(ids, lengths)
    start, alone = 0, []
    for n in lengths:
        alone += model.tag_columns(ids[:, start:start + n], [n])
        start += n
    assert together == alone and sum(lengths) > 4096


def test_crf_rejects_a_short_file(tmp_path):
    path = tmp_path / "model.crfsuite"
    path.write_bytes(b"lCRF")
    with pytest.raises(ValueError, match="shorter than its header"):
        crf.read_model(path)


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_crf_rejects_a_cut_file_with_a_value_error(tmp_path, keep):
    # a model file cut short (a broken download or disk) has offsets past its end: the reader says
    # so as the ValueError it documents, and the run-time loader names the fix
    whole = learned.model_path().read_bytes()
    path = tmp_path / "model.crfsuite"
    path.write_bytes(whole[:int(len(whole) * keep)])
    with pytest.raises(ValueError, match="not a whole CRFsuite"):
        crf.read_model(path)


def test_crf_loader_turns_a_damaged_model_into_model_not_installed(tmp_path, monkeypatch):
    path = tmp_path / "model.crfsuite"
    path.write_bytes(learned.model_path().read_bytes()[:4096])
    monkeypatch.setattr(learned, "model_path", lambda: path)
    learned.load_model.cache_clear()
    try:
        with pytest.raises(ModelNotInstalled, match="reinstall newstrace"):
            learned.load_model()
    finally:
        learned.load_model.cache_clear()


def test_crf_reference_tagger_needs_the_train_extra(monkeypatch):
    # python-crfsuite is the trainer and the decoder's reference, not a run-time dependency
    monkeypatch.setitem(sys.modules, "pycrfsuite", None)  # as if not installed
    learned.load_tagger.cache_clear()
    try:
        with pytest.raises(MissingExtra, match=r"newstrace\[train\]"):
            learned.load_tagger()
    finally:
        learned.load_tagger.cache_clear()


def test_crf_marginals_are_the_probabilities_of_every_path():
    # forward-backward, batched over sequences of several lengths (one empty), against the sum over
    # every label path of exp(score) / Z, computed by brute force
    rng = np.random.default_rng(15)
    trans, lengths = rng.normal(size=(3, 3)), [3, 1, 0, 4, 2]
    scores = rng.normal(size=(sum(lengths), 3))
    got = crf.marginals(scores, lengths, trans)
    start = 0
    for n, m in zip(lengths, got):
        sc, start = scores[start:start + n], start + n
        want = np.zeros((n, 3))
        for path in itertools.product(range(3), repeat=n):
            w = np.exp(sum(sc[i, path[i]] for i in range(n)) + sum(trans[path[i - 1], path[i]] for i in range(1, n)))
            for i, lab in enumerate(path):
                want[i, lab] += w
        assert m.shape == (n, 3)
        if n:
            assert np.allclose(m, want / want[0].sum())

