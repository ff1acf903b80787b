"""Regenerate docs/cli.md (from --help) and the README's settings table (from Settings).

Usage: .venv/bin/python scripts/gen_docs.py [--check]
With --check, exit 1 if either is out of date (tests/test_docs.py runs this).
"""

from __future__ import annotations

import re
import sys
from dataclasses import fields
from pathlib import Path

from click.testing import CliRunner

from newstrace.cli import cli
from newstrace.config import Settings

REPO = Path(__file__).resolve().parents[1]


def cli_reference() -> str:
    runner = CliRunner()
    parts = ["# newstrace command-line reference", "",
             "Generated from `--help` by `scripts/gen_docs.py`; do not edit by hand.", ""]
    for name in [None, *sorted(cli.commands)]:
        args = ([name] if name else []) + ["--help"]
        out = runner.invoke(cli, args, terminal_width=100).output
        parts += [f"## newstrace {name}" if name else "## newstrace", "", "```", out.rstrip(), "```", ""]
    return "\n".join(parts)


def settings_table() -> str:
    rows = ["| setting | default | environment variable | what it does |", "| --- | --- | --- | --- |"]
    help_ = Settings.help()
    for f in fields(Settings):
        rows.append(f"| `{f.name}` | `{f.default}` | `NEWSTRACE_{f.name.upper()}` | {help_[f.name]} |")
    return "\n".join(rows)


def readme_with_settings(text: str) -> str:
    block = f"<!-- SETTINGS -->\n{settings_table()}\n<!-- /SETTINGS -->"
    if "<!-- /SETTINGS -->" in text:
        return re.sub(r"<!-- SETTINGS -->.*?<!-- /SETTINGS -->", lambda m: block, text, flags=re.S)
    return text.replace("<!-- SETTINGS -->", block)


def main() -> int:
    check = "--check" in sys.argv
    cli_md = REPO / "docs" / "cli.md"
    readme = REPO / "README.md"
    want_cli = cli_reference()
    want_readme = readme_with_settings(readme.read_text())
    stale = []
    if not cli_md.exists() or cli_md.read_text() != want_cli:
        stale.append(str(cli_md))
    if readme.read_text() != want_readme:
        stale.append(str(readme))
    if check:
        if stale:
            print("out of date (run: .venv/bin/python scripts/gen_docs.py): " + ", ".join(stale))
            return 1
        return 0
    cli_md.write_text(want_cli)
    readme.write_text(want_readme)
    return 0


if __name__ == "__main__":
    sys.exit(main())
