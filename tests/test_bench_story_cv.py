"""bench/story_cv.py's --try settings are checked before hours of clustering (review of 2026-12-03:
a JSON object, bad JSON or an unknown key gave a bare traceback deep in cluster_stories)."""

from __future__ import annotations

import pytest

from repo_scripts import load_script


@pytest.fixture(scope="module")
def story_cv():
    return load_script("bench/story_cv.py", "bench_story_cv")


def test_bench_story_cv_try_takes_known_settings(story_cv):
    keys = story_cv.cluster_keywords()
    assert "edge_threshold" in keys and "docs" not in keys
    got = story_cv.parse_try('[{"edge_threshold": 0.45}, {"embed": "lead", "embed_weight": 0.5}]', keys)
    assert got == [{"edge_threshold": 0.45}, {"embed": "lead", "embed_weight": 0.5}]


@pytest.mark.parametrize("text, says", [
    ('{"edge_threshold": 0.45}', "list of objects"),
    ("[{", "not JSON"),
    ('[{"edge_thresh": 0.45}]', "unknown setting edge_thresh"),
])
def test_bench_story_cv_try_says_what_is_wrong(story_cv, text, says):
    with pytest.raises(ValueError, match=says):
        story_cv.parse_try(text, story_cv.cluster_keywords())
