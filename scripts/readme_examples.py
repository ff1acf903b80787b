"""Run the README's example commands on examples/ and write (or check) their output in the README.

The block between ``<!-- EXAMPLES -->`` and ``<!-- /EXAMPLES -->`` holds commands (lines starting
with ``$ ``), each followed by what it prints. ``newstrace ...`` commands run the CLI;
``sqlite3 DB "SQL"`` runs the query with Python's sqlite3 and prints it as the sqlite3 shell does
by default (one row a line, values joined by ``|``, NULL empty). The commands run in a temporary
folder holding a copy of ``examples/``, so the output is what a fresh clone prints. Timestamps and
durations may differ from run to run: they are compared as placeholders (issue #17: the README
showed 110 quotes where the program printed 112, 4 of 18 rows, formatted JSON).

Usage: .venv/bin/python scripts/readme_examples.py [--check]
With --check, exit 1 and print a diff if the README is out of date (tests/test_readme.py runs this).
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
BLOCK = re.compile(r"(<!-- EXAMPLES -->\n```text\n)(.*?)(```\n<!-- /EXAMPLES -->)", re.S)
_VOLATILE = [(re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?"), "<time>"),
             (re.compile(r"\b\d+\.\d s\b"), "<seconds>"),
             (re.compile(r"^  seconds: .*$", re.M), "  seconds: <seconds per stage>")]


def normalize(text: str) -> str:
    """The text with run-dependent values (timestamps, durations) as placeholders."""
    for pattern, repl in _VOLATILE:
        text = pattern.sub(repl, text)
    return text


def run_command(line: str, cwd: Path) -> str:
    """What one README command prints (stdout), run in ``cwd``."""
    args = shlex.split(line)
    if args[0] == "newstrace":
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"),
                                                                        os.environ.get("PYTHONPATH")])))
        proc = subprocess.run([sys.executable, "-m", "newstrace", *args[1:]], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=600)
        if proc.returncode:
            raise SystemExit(f"README command failed ({proc.returncode}): {line}\n{proc.stderr}")
        return proc.stdout
    if args[0] == "sqlite3" and len(args) == 3:
        con = sqlite3.connect(cwd / args[1])
        try:
            rows = con.execute(args[2]).fetchall()
        finally:
            con.close()
        return "".join("|".join("" if v is None else str(v) for v in row) + "\n" for row in rows)
    raise SystemExit(f"README example: don't know how to run {line!r} (newstrace ... or sqlite3 DB \"SQL\")")


def render(block: str) -> str:
    """The block with each command's output replaced by what it prints now."""
    commands = [ln[2:] for ln in block.splitlines() if ln.startswith("$ ")]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        shutil.copytree(REPO / "examples", cwd / "examples")
        (cwd / "out").mkdir()
        for cmd in commands:
            out.append(f"$ {cmd}\n" + run_command(cmd, cwd))
    return "\n".join(out)


def main() -> None:
    check = "--check" in sys.argv[1:]
    text = README.read_text(encoding="utf-8")
    m = BLOCK.search(text)
    if not m:
        raise SystemExit(f"{README}: no <!-- EXAMPLES --> block")
    new = render(m.group(2))
    if check:
        if normalize(new) != normalize(m.group(2)):
            sys.stdout.writelines(difflib.unified_diff(m.group(2).splitlines(True), new.splitlines(True),
                                                       "README.md", "what the commands print"))
            print("README examples out of date (run: .venv/bin/python scripts/readme_examples.py)")
            sys.exit(1)
        return
    README.write_text(text[:m.start(2)] + new + text[m.end(2):], encoding="utf-8")
    print(f"updated {README}")


if __name__ == "__main__":
    main()
