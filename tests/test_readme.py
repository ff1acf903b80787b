"""The README shows what the program prints (issue #17: 110 vs 112 quotes, 4 of 18 rows, JSON
shown formatted). scripts/readme_examples.py runs the README's example commands on a copy of
examples/ and compares."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.model
def test_readme_examples_print_what_the_readme_shows():
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "readme_examples.py"), "--check"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_examples_check_compares_output_not_timestamps():
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import readme_examples
    finally:
        sys.path.pop(0)
    a = "last run 1: ok, started 2026-12-02T10:31:05+00:00, finished 2026-12-02T10:31:12+00:00"
    b = "last run 1: ok, started 2027-01-01T00:00:00+00:00, finished 2027-01-01T00:00:09+00:00"
    assert readme_examples.normalize(a) == readme_examples.normalize(b)
    assert readme_examples.normalize("quotes 110") != readme_examples.normalize("quotes 112")
