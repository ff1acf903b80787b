"""The repository's scripts (``bench/``, ``training/``) loaded as modules, for the tests that
check their scorers and floors: one loader instead of a copy in each test file."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def load_script(relpath: str, name: str) -> ModuleType:
    """Execute ``REPO / relpath`` as a fresh module named ``name``, registered in ``sys.modules``
    (a script's dataclasses look their module up by name)."""
    spec = importlib.util.spec_from_file_location(name, REPO / relpath)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod
