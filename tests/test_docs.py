"""Documentation stays in step with the code: every command and setting is documented."""

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from newstrace.cli import cli
from newstrace.config import Settings

REPO = Path(__file__).resolve().parents[1]


def test_docs_generated_reference_is_current():
    res = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_docs.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_docs_every_command_in_readme():
    readme = (REPO / "README.md").read_text()
    for name in cli.commands:
        assert f"newstrace {name}" in readme, f"command {name} is not in the README"


def test_docs_every_setting_in_readme():
    readme = (REPO / "README.md").read_text()
    for f in fields(Settings):
        assert f"`{f.name}`" in readme


def test_docs_readme_gives_the_two_setup_commands():
    readme = (REPO / "README.md").read_text()
    first_screen = "\n".join(readme.splitlines()[:20])
    assert "bash scripts/run-sample.sh" in first_screen and "bash scripts/test.sh" in first_screen
    ci = (REPO / ".ci" / "run").read_text()
    assert "scripts/test.sh" in ci
