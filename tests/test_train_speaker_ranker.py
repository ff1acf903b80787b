"""training/train_speaker_ranker.py --check: the summary of how a rebuilt ranker differs from the shipped one."""

from __future__ import annotations

import json
from importlib import resources

from repo_scripts import load_script


tsr = load_script("training/train_speaker_ranker.py", "train_speaker_ranker")
SHIPPED = json.loads((resources.files("newstrace") / "data" / "speaker_ranker.json").read_text(encoding="utf-8"))


def test_train_speaker_ranker_diff_summary_names_moved_added_and_dropped_features():
    rebuilt = {**SHIPPED, "features": SHIPPED["features"][1:] + ["new_feature"],
               "weights": [w + (0.5 if n == 1 else 0.0) for n, w in enumerate(SHIPPED["weights"][1:])] + [0.25]}
    first, moved = SHIPPED["features"][0], SHIPPED["features"][2]
    lines = tsr.diff_summary(SHIPPED, rebuilt)
    assert lines[0] == "features not in the shipped file: new_feature"
    assert lines[1] == f"features the rebuild has no more: {first}"
    assert lines[2].startswith(f"1 of {len(rebuilt['features'])} weights differ (largest change 0.500000): {moved} ")


def test_train_speaker_ranker_diff_summary_of_the_same_model_says_so():
    assert tsr.diff_summary(SHIPPED, dict(SHIPPED)) == ["the same model, written otherwise (spacing or rounding)"]
